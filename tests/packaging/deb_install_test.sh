#!/usr/bin/env bash
# The Debian package as an administrator meets it: install it on this machine, check the layout and permissions,
# run `vigil validate` and `vigil plugins list` on the installed default configuration as the service's user, run
# one cycle, then remove and purge it and check that nothing is left. Needs root (CI runs as root); refuses to touch
# a vigil package it did not install.
#   deb_install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
failures=0
check() {  # check "what" command...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failures=$((failures + 1)); fi
}
if [[ $(id -u) -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then exec sudo -n "$0" "$@"; fi
  echo "FAILED: installing a package needs root (run the suite as root, as CI does, or with passwordless sudo)"
  exit 1
fi
if dpkg-query -W -f='${Status}' vigil 2>/dev/null | grep -q "installed"; then
  echo "FAILED: a vigil package is installed on this machine already; this test would replace it. Remove it first."
  exit 1
fi

work=$(mktemp -d)
trap 'dpkg -P vigil >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
(cd "$build_dir" && cpack -G DEB -B "$work" >/dev/null)
deb=$(ls "$work"/vigil_*.deb)
sdk=$(ls "$work"/vigil-sdk_*.deb)
echo "built $(basename "$deb") and $(basename "$sdk")"

check "the package says what it needs" bash -c "dpkg-deb -f '$deb' Depends | grep -q 'libpoco' && dpkg-deb -f '$deb' Depends | grep -q adduser"
check "the configuration is a conffile" bash -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./conffiles | grep -qx /etc/vigil/vigil.yaml"
check "the SDK package holds the headers" bash -c "dpkg-deb -c '$sdk' | grep -q 'usr/include/vigil/plugin.h'"

dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; echo "FAILED: dpkg -i"; exit 1; }
check "vigil on the PATH" test -x /usr/bin/vigil
check "the three connectors in /usr/lib/vigil/plugins" bash -c 'ls /usr/lib/vigil/plugins/{entra_activity,entra_logons,entra_state}.so >/dev/null'
check "the systemd unit" test -f /lib/systemd/system/vigil.service
check "the shipped hooks" test -f /usr/share/vigil/hooks/service_accounts.lua
check "a vigil system user without a shell" bash -c '[[ $(getent passwd vigil | cut -d: -f7) == /usr/sbin/nologin ]]'
check "/etc/vigil/vigil.yaml is 0640 root:vigil" bash -c '[[ $(stat -c %a:%U:%G /etc/vigil/vigil.yaml) == 640:root:vigil ]]'
check "/etc/vigil/conf.d is 0750 root:vigil" bash -c '[[ $(stat -c %a:%U:%G /etc/vigil/conf.d) == 750:root:vigil ]]'
check "/var/lib/vigil is 0700 vigil:vigil" bash -c '[[ $(stat -c %a:%U:%G /var/lib/vigil) == 700:vigil:vigil ]]'
check "/var/log/vigil is 0750 vigil:vigil" bash -c '[[ $(stat -c %a:%U:%G /var/log/vigil) == 750:vigil:vigil ]]'
check "no plugin writable by group or others" bash -c '[[ -z $(find /usr/lib/vigil -perm /022) ]]'

runuser -u vigil -- /usr/bin/vigil validate --config /etc/vigil/vigil.yaml >"$work/validate.out" 2>&1
check "validate accepts the installed configuration, as the vigil user" grep -q "valid:" "$work/validate.out"
runuser -u vigil -- /usr/bin/vigil plugins list --config /etc/vigil/vigil.yaml >"$work/plugins.out" 2>&1
for plugin in entra_activity entra_logons entra_state; do
  check "plugins list shows $plugin from /usr/lib/vigil/plugins" grep -q "/usr/lib/vigil/plugins/$plugin.so" "$work/plugins.out"
done
check "one cycle as the vigil user" runuser -u vigil -- /usr/bin/vigil run --config /etc/vigil/vigil.yaml --once
check "its log in /var/log/vigil" test -s /var/log/vigil/vigil.log
check "its spool in /var/lib/vigil" test -f /var/lib/vigil/spool.db
if command -v systemd-analyze >/dev/null; then
  # Checks the unit's syntax and every directive systemd knows; the executables must exist (they do now).
  check "systemd-analyze verify accepts the unit" bash -c "systemd-analyze verify /lib/systemd/system/vigil.service 2>&1 | tee '$work/verify.out' | { ! grep -q .; }"
fi

dpkg -r vigil >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; echo "FAILED: dpkg -r"; failures=$((failures + 1)); }
check "removed: no binary" test ! -e /usr/bin/vigil
check "removed: no plugins" test ! -e /usr/lib/vigil/plugins
check "removed: the collected data stays until purge" test -d /var/lib/vigil
check "removed: the edited configuration stays until purge" test -f /etc/vigil/vigil.yaml
dpkg -P vigil >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; echo "FAILED: dpkg -P"; failures=$((failures + 1)); }
check "purged: no configuration" test ! -e /etc/vigil
check "purged: no data" test ! -e /var/lib/vigil
check "purged: no logs" test ! -e /var/log/vigil
check "purged: no vigil user" bash -c '! getent passwd vigil >/dev/null'
check "purged: dpkg knows nothing of it" bash -c '! dpkg-query -W vigil >/dev/null 2>&1 || [[ -z $(dpkg-query -W -f="\${Status}" vigil | grep installed) ]]'

if ((failures > 0)); then
  echo "$failures check(s) failed"
  [[ -f $work/verify.out ]] && cat "$work/verify.out"
  exit 1
fi
echo "the package installs, runs and leaves cleanly"
