#!/usr/bin/env bash
# Benchmarks, printed as figures (not asserted in tests):
#  1. offline pipeline stages at 1k / 10k / 50k virtual servers: cost per server must stay flat;
#  2. live collection of N virtual servers from a local slapd (AD-like 1000-entry pages, TLS):
#     relayaudit collect against ldapsearch, the reference client, fetching the same objects.
# Usage: scripts/benchmark.sh [virtual servers for the LDAP part, default 10000]
# Needs the test packages (scripts/bootstrap test installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=${1:-10000}
build=build-bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DRELAYAUDIT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target relayaudit relayaudit_bench >/dev/null

echo "== 1. Offline pipeline (Release build; per-server cost should stay flat) =="
"$build/bench/relayaudit_bench" 1000 10000 50000

echo
echo "== 2. Live collection of $count virtual servers from slapd over ldaps, as a non-admin =="
work=$(mktemp -d)
export SLAPD_PORT=${SLAPD_PORT:-38910} SLAPD_TLS_PORT=${SLAPD_TLS_PORT:-38646}
trap 'scripts/test-servers/slapd.sh stop "$work/slapd" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/test-servers/slapd.sh start "$work/slapd" >/dev/null
set -a; . "$work/slapd/env"; set +a
python3 scripts/gen_directory.py --target slapd --virtual-servers "$count" > "$work/data.ldif"
scripts/test-servers/slapd.sh load "$work/slapd" "$work/data.ldif"

# Milliseconds a command takes (integer arithmetic: no bc on a minimal Debian).
time_of() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }
filter='(|(objectClass=msExchOrganizationContainer)(objectClass=msExchExchangeServer)(objectClass=protocolCfgSMTPServer)(objectClass=msExchSmtpReceiveConnector)(objectClass=msExchRoutingSMTPConnector))'
for run in 1 2 3; do
  ours=$(time_of "$build/analyzer/cli/relayaudit" collect --uri "$SLAPD_LDAPS_URI" --ca-file "$SLAPD_CA" \
          --bind-dn "$SLAPD_READER_DN" --password-file "$SLAPD_READER_PASSWORD_FILE" --snapshot-out "$work/snapshot.xml")
  reference=$(LDAPTLS_CACERT=$SLAPD_CA time_of ldapsearch -x -LLL -H "$SLAPD_LDAPS_URI" -D "$SLAPD_READER_DN" \
          -y "$SLAPD_READER_PASSWORD_FILE" -E pr=1000/noprompt -b "CN=Configuration,$SLAPD_BASE" "$filter")
  printf 'run %d: relayaudit collect (search + decode + snapshot) %d ms; ldapsearch (search + LDIF) %d ms\n' \
    "$run" "$ours" "$reference"
done
servers=$(grep -c '<virtualServer ' "$work/snapshot.xml")
echo "snapshot holds $servers virtual servers"

echo
echo "== 3. Hostile shapes (issue 10): time at n/10 and at n through the offline pipeline =="
cmake --build "$build" -j"$(nproc)" --target relayaudit_bench_hostile >/dev/null
"$build/bench/relayaudit_bench_hostile"
