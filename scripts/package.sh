#!/usr/bin/env bash
# Builds the Debian packages from the release build: vigil (the agent, its plugins, configuration, systemd unit)
# and vigil-sdk (the plugin SDK).
#   ./scripts/package.sh [OUT_DIR]      default: build/packages; prints the paths of the .deb files
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
if [[ ! -f build/CMakeCache.txt ]]; then cmake --preset release >/dev/null; fi
cmake --build --preset release >/dev/null
out=$(realpath -m "${1:-build/packages}")
mkdir -p "$out"
(cd build && cpack -G DEB -B "$out" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls "$out"/*.deb
