#!/usr/bin/env bash
# Installs the Debian packages Vigil builds and tests with. Idempotent and quiet when everything is there:
# apt-get runs only for what is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache binutils openssl python3
  libpoco-dev libyaml-cpp-dev libspdlog-dev libsqlite3-dev libssl-dev liblua5.4-dev libsimdjson-dev
  libgtest-dev libgmock-dev zlib1g-dev libpq-dev postgresql librdkafka-dev chromium dpkg-dev adduser
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
((${#missing[@]} == 0)) && exit 0

echo "installing: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
