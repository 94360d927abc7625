#!/bin/bash
# ctest fixtures of the integration tests: set up (start + load) and clean up (stop) the
# throwaway servers, through scripts/test-servers/*.sh. ctest runs the cleanup even when a test
# failed, and the server scripts stop their server by the PID they recorded.
#
#   fixtures.sh slapd-setup DIR | slapd-cleanup DIR | samba-setup DIR | samba-cleanup DIR
#
# Any failure exits non-zero with the reason on stderr: the tests that need the server are then
# not run, and ctest reports them as failed (never skipped).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SLAPD_SH=$ROOT/scripts/test-servers/slapd.sh
SAMBA_SH=$ROOT/scripts/test-servers/samba.sh
GENERATOR=$ROOT/scripts/gen_directory.py
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=python3
# Not the scripts' default ports, so a server someone started by hand does not collide.
export SLAPD_PORT=${SLAPD_PORT:-38911} SLAPD_TLS_PORT=${SLAPD_TLS_PORT:-38647}
# Sizes: more virtual servers than AD's MaxPageSize (1000), so only a paging client gets them all.
SLAPD_VIRTUAL_SERVERS=1200
# Child domains beside DC=corp,DC=example, each with its Guest: more than one batch of Guest SIDs
# (500 to a search), so the search-count test sees that searches do not grow with domains.
SLAPD_EXTRA_DOMAINS=600
SAMBA_VIRTUAL_SERVERS=8

die() { echo "fixtures.sh: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || die "usage: fixtures.sh slapd-setup|slapd-cleanup|samba-setup|samba-cleanup DIR"
action=$1 dir=$2

case $action in
  slapd-setup)
    # A previous run that was killed may have left its server: stop it (by its PID) first.
    "$SLAPD_SH" stop "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir"
    "$SLAPD_SH" start "$dir"
    extra=()
    for i in $(seq 1 "$SLAPD_EXTRA_DOMAINS"); do
      extra+=(--extra-domain "DC=child$i,DC=corp,DC=example:S-1-5-21-1000-2000-$i")
    done
    "$PYTHON" "$GENERATOR" --target slapd --virtual-servers "$SLAPD_VIRTUAL_SERVERS" \
      --receive-connectors 20 "${extra[@]}" > "$dir/data.ldif" || die "gen_directory.py failed"
    "$SLAPD_SH" load "$dir" "$dir/data.ldif"
    echo "fixtures.sh: slapd ready in $dir"
    ;;
  slapd-cleanup)
    "$SLAPD_SH" stop "$dir"
    ;;
  samba-setup)
    "$SAMBA_SH" stop "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir"
    "$SAMBA_SH" provision "$dir"
    "$SAMBA_SH" start "$dir"
    "$SAMBA_SH" extend-schema "$dir"
    sid=$(sed -n "s/^SAMBA_DOMAIN_SID=//p" "$dir/env" | tr -d "'")
    [[ -n $sid ]] || die "no SAMBA_DOMAIN_SID in $dir/env"
    "$PYTHON" "$GENERATOR" --target samba --domain-sid "$sid" \
      --virtual-servers "$SAMBA_VIRTUAL_SERVERS" --receive-connectors 3 > "$dir/data.ldif" \
      || die "gen_directory.py failed"
    "$SAMBA_SH" load "$dir" "$dir/data.ldif"
    # A second non-admin reader that may not list the virtual servers of EXCH002 (one of them an
    # open relay) nor the receive connectors of EXMBX001 (one of them an anonymous relay).
    org="CN=First Organization,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=example"
    "$SAMBA_SH" restrict "$dir" \
      "CN=SMTP,CN=Protocols,CN=EXCH002,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,$org" \
      "CN=SMTP Receive Connectors,CN=Protocols,CN=EXMBX001,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,$org"
    "$SAMBA_SH" kinit "$dir"
    echo "fixtures.sh: samba ready in $dir"
    ;;
  samba-cleanup)
    "$SAMBA_SH" stop "$dir"
    ;;
  *) die "unknown action '$action'" ;;
esac
