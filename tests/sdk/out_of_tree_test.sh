#!/usr/bin/env bash
# Installs the SDK to a temporary prefix, builds sdk/examples/hello against it with find_package, as a third party
# would, then has the agent load and run the plugin.
set -euo pipefail
source_dir=$1 build_dir=$2 vigil=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

cmake --install "$build_dir" --component sdk --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/vigil/plugin.h"
test -f "$work/prefix/lib/cmake/VigilSDK/VigilSDKConfig.cmake"

cmake -S "$source_dir/sdk/examples/hello" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
plugin="$work/build/hello.so"
test -f "$plugin"
# Only the entry symbol is exported: hidden visibility works.
exported=$(nm -D --defined-only "$plugin" | awk '$2 == "T" {print $3}')
[[ $exported == vigil_plugin_entry ]] || { echo "exported symbols: $exported"; exit 1; }

mkdir -p "$work/plugins" && cp "$plugin" "$work/plugins/" && chmod 755 "$work/plugins" && chmod 644 "$work/plugins/hello.so"
cat >"$work/vigil.yaml" <<YAML
agent: {data_dir: $work/var, plugin_dirs: [$work/plugins], log: {level: warn}}
credentials:
  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: "\${env:HOME}"}
organizations:
  - name: Example
    sources:
      - {type: entra_id, tenant_id: example.onmicrosoft.com, credentials: app, connectors: {hello: {count: 4, greeting: bonjour}}}
outputs:
  - {type: jsonl, path: $work/events.jsonl}
YAML
"$vigil" plugins list --config "$work/vigil.yaml" | grep -q "^hello .*$work/plugins/hello.so"
"$vigil" run --config "$work/vigil.yaml" --once
"$vigil" run --config "$work/vigil.yaml" --once
lines=$(wc -l <"$work/events.jsonl")
[[ $lines == 8 ]] || { echo "expected 8 events after two runs, got $lines"; cat "$work/events.jsonl"; exit 1; }
grep -q '"id":"hello-7".*"what":"bonjour"' "$work/events.jsonl"
echo "out-of-tree plugin built, loaded and run: $lines events"
