#!/usr/bin/env bash
# Installs what the build needs, configures (once), builds and runs every test. Non-zero on any failure.
# A second run on a built tree only rebuilds what changed: seconds, not minutes.
#   PRESET=asan ./scripts/test.sh     runs the suite under AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${PRESET:-release}

./scripts/deps.sh
build_dir=$(case $preset in release) echo build ;; *) echo "build-$preset" ;; esac)
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
ctest --preset "$preset"
