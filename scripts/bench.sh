#!/usr/bin/env bash
# Prints the figures README.md quotes. Builds the release preset first.
#   idle agent: RSS and start-to-ready time with one plugin loaded and no sources
#   pipeline:   1 M small events from the counter connector through spool to jsonl, pinned to one core
#   emulator:   sign-ins served per second
#   collection: 1 M sign-ins collected by vigil (entra_logons) and by a Python baseline, with the disk's rate
#   state:      Entra State on a 100 k-user tenant: the full snapshot and a delta run after 1,000 changes
#   store:      2 M events into the event store (SQLite), and the report queries on them
#   outputs:    1 M sign-in records through jsonl, syslog (json, cef, ocsf) and http (ndjson, hec, _bulk) on loopback
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
[[ -f build/CMakeCache.txt ]] || cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

events=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Idle: one plugin folder with the counter plugin, no organizations. "Ready" is the log line after start-up.
cat >"$work/vigil.yaml" <<YAML
agent: {data_dir: $work/var, plugin_dirs: [$PWD/build/tests/plugins/good], log: {level: info}}
YAML
for run in 1 2 3; do
  start=$(date +%s%N)
  ./build/vigil run --config "$work/vigil.yaml" 2>"$work/idle.log" &
  pid=$!
  until grep -q "agent started" "$work/idle.log" 2>/dev/null; do sleep 0.001; done
  ready=$(date +%s%N)
  sleep 0.5
  rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  threads=$(awk '/Threads/ {print $2}' /proc/$pid/status)
  kill -TERM $pid && wait $pid
  awk -v run="$run" -v ms=$(((ready - start) / 1000000)) -v kb="$rss_kb" -v threads="$threads" \
      'BEGIN { printf "idle agent (run %d): start to ready %d ms, RSS %.1f MB, %d threads\n", run, ms, kb / 1024, threads }'

done

# Several runs: the first after a pause pays the kernel for fresh page-cache pages (sys time), so one run misleads.
for run in 1 2 3 4 5; do
  /usr/bin/time -f "  (user %U s, sys %S s)" taskset -c 0 ./build/tests/bench/pipeline_bench "$events" true
done
/usr/bin/time -f "  (user %U s, sys %S s)" taskset -c 0 ./build/tests/bench/pipeline_bench "$events" false

# The Graph emulator must never limit an agent benchmark: sign-ins served per second (TLS, no gzip).
cmake --build --preset release --target emulator_bench >/dev/null
./build/tests/bench/emulator_bench 200000

# Collection (issue #4): N sign-ins from the emulator through entra_logons to jsonl, beside a Python baseline.
python3 tests/bench/collect_bench.py build "${COLLECT_EVENTS:-1000000}"

# Entra State (issue #5): a 100 k-user tenant's full snapshot, then a delta run after 1,000 changes.
cmake --build --preset release --target state_bench >/dev/null
./build/tests/bench/state_bench build "${STATE_USERS:-100000}" "${STATE_GROUPS:-20000}"

# The event store (issue #7): inserts per second the way the store output makes them, then the report queries.
cmake --build --preset release --target store_bench >/dev/null
./build/tests/bench/store_bench "${STORE_EVENTS:-2000000}"

# Outputs (issue #7): events per second through jsonl, syslog and http on loopback (receivers in the same process).
cmake --build --preset release --target output_bench >/dev/null
./build/tests/bench/output_bench "${OUTPUT_EVENTS:-1000000}"

# Lua hooks (issue #6): a two-field hook's cost per event on one core (the no-hook pipeline is printed above).
cmake --build --preset release --target hook_bench >/dev/null
for run in 1 2 3; do taskset -c 0 ./build/tests/bench/hook_bench 1000000; done
