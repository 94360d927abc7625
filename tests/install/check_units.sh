#!/usr/bin/env bash
# The shipped units verify (systemd-analyze verify) and the two audit units score 2.0 or less
# in `systemd-analyze security --offline=yes`; the sysusers.d entry creates the account.
#   check_units.sh SOURCE_DIR RELAYAUDIT_BINARY
set -euo pipefail
source=$1; binary=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
units=(relayaudit.service relayaudit-kerberos.service relayaudit-mail.service relayaudit.timer)
# verify checks that ExecStart= names an executable: point it at the binary just built. The
# man page is not installed here, so Documentation=man: is not looked up (--man=no).
for unit in "${units[@]}"; do
  sed "s#/usr/bin/relayaudit#$binary#" "$source/samples/$unit" > "$work/$unit"
done
( cd "$work" && systemd-analyze verify --man=no "${units[@]/#/./}" ) 2>&1 | tee "$work/verify.log"
[ ! -s "$work/verify.log" ] || fail "systemd-analyze verify complained"
for unit in relayaudit.service relayaudit-kerberos.service; do
  line=$(cd "$work" && systemd-analyze security --offline=yes "./$unit" 2>&1 | grep 'Overall exposure level') ||
    fail "no exposure level for $unit"
  score=$(echo "$line" | sed -E 's/.*: ([0-9]+\.[0-9]+).*/\1/')
  echo "$unit: exposure $score"
  awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "$unit scores $score, more than 2.0"
done
for unit in relayaudit.service relayaudit-kerberos.service; do
  grep -q '^UMask=0077$' "$source/samples/$unit" || fail "$unit: no UMask=0077"
  grep -q '^SuccessExitStatus=2$' "$source/samples/$unit" || fail "$unit: no SuccessExitStatus=2"
  grep -q '^StateDirectory=relayaudit' "$source/samples/$unit" || fail "$unit: no StateDirectory"
done
grep -q '^LoadCredential=password:' "$source/samples/relayaudit.service" || fail "no LoadCredential"
grep -q -- '--password-file %d/password' "$source/samples/relayaudit.service" || fail "no %d/password"
grep -q '^LoadCredential=keytab:' "$source/samples/relayaudit-kerberos.service" || fail "no keytab credential"
grep -q '^Environment=KRB5CCNAME=' "$source/samples/relayaudit-kerberos.service" || fail "no own ccache"
mkdir -p "$work/root/etc"
systemd-sysusers --root="$work/root" "$source/packaging/relayaudit.sysusers"
grep -q '^relayaudit:' "$work/root/etc/passwd" || fail "sysusers.d entry made no relayaudit user"
echo "PASS"
