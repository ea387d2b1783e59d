#!/usr/bin/env bash
# Installs what the build needs, configures (once), builds and runs every test. Non-zero on any failure.
# A second run on a built tree only rebuilds what changed: seconds, not minutes.
#   PRESET=asan ./scripts/test.sh     runs the suite under AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${PRESET:-release}

./scripts/deps.sh
# The PostgreSQL event store's tests need a server: a throwaway one on loopback (scripts/postgres.sh), unless given.
VIGIL_TEST_PG_DSN=${VIGIL_TEST_PG_DSN:-$(./scripts/postgres.sh start)}
export VIGIL_TEST_PG_DSN
build_dir=$(case $preset in release) echo build ;; *) echo "build-$preset" ;; esac)
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
ctest --preset "$preset"
