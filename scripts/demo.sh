#!/usr/bin/env bash
# The demo (contract section 1): builds Vigil, starts the Graph emulator with two organizations' three tenants
# (one with a certificate credential, one without a P1/P2 licence), checks the set-up with `vigil doctor`, runs one
# collection cycle (which ends with a summary per organization and connector), and prints the reports.
#   ./scripts/demo.sh            work folder: ./var/demo (removed and made again)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

./scripts/deps.sh
if [[ ! -f build/CMakeCache.txt ]]; then cmake --preset release >/dev/null; fi
cmake --build --preset release >/dev/null

work=$root/var/demo
rm -rf "$work"
mkdir -p "$work/cert"
chmod 700 "$work"
started=$(date +%s)

echo "== a certificate for the Woodgrove app registration (what you would upload to Entra ID)"
build/vigil cert generate --out "$work/cert" --days 30 | sed 's/^/   /'
cp scripts/demo/scenario.yaml "$work/scenario.yaml"

echo "== the Graph emulator"
build/graph-emulator --scenario "$work/scenario.yaml" --state-dir "$work/emulator" >"$work/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [[ -f $work/emulator/emulator.env ]] && break; sleep 0.1; done
[[ -f $work/emulator/emulator.env ]] || { echo "the emulator did not start: $(cat "$work/emulator.log")"; exit 1; }
# shellcheck disable=SC1091
source "$work/emulator/emulator.env"
echo "   listening on $URL"

export VIGIL_DEMO_DIR=$work VIGIL_DEMO_URL=$URL VIGIL_DEMO_CA=$CA_FILE VIGIL_DEMO_PLUGINS=$root/build/plugins
export CONTOSO_SECRET=demo-contoso-secret FABRIKAM_SECRET=demo-fabrikam-secret
config=$root/scripts/demo/vigil.yaml

echo "== vigil validate"
build/vigil validate --config "$config"
echo "== vigil doctor (Fabrikam has no P1/P2 licence: its sign-ins cannot be read, and doctor says so)"
build/vigil doctor --config "$config" || true
echo "== vigil run --once"
build/vigil run --config "$config" --once || echo "   (one job failed, as doctor said: see $work/vigil.log)"
grep -E ' (error|warn) ' "$work/vigil.log" | cut -c1-200 | sed 's/^/   /' || true
first=$(wc -l <"$work/events.jsonl")
echo "== vigil run --once, again: the records Graph showed late arrive, nothing already collected comes twice"
sleep 1
build/vigil run --config "$config" --once >/dev/null 2>&1 || true
echo "   $(( $(wc -l <"$work/events.jsonl") - first )) new events"
echo
export COLUMNS=${COLUMNS:-160}
echo "== vigil report activity --limit 8 (the newest directory changes of every tenant)"
build/vigil report activity --config "$config" --limit 8
echo "== vigil report logons --status failure --limit 8"
build/vigil report logons --config "$config" --status failure --limit 8
echo "== vigil report risks --org 'Contoso Group' (from the Entra State snapshot)"
build/vigil report risks --config "$config" --org "Contoso Group"
mkdir -p "$work/reports"
for kind in activity logons state risks; do
  build/vigil report "$kind" --config "$config" --format html --out "$work/reports/$kind.html"
done
echo "== the same reports for a browser: $work/reports/{activity,logons,state,risks}.html"
echo
echo "collected in $(( $(date +%s) - started )) s; events in $work/events.jsonl, the agent's log in $work/vigil.log"
