#!/bin/bash
# Throwaway OpenLDAP slapd that looks enough like Active Directory for relayaudit's tests:
# AD/Exchange test schema, AD rootDSE naming contexts, AD-like size limit of 1000 (forces paging
# for normal users), ldap:// + ldaps:// on 127.0.0.1 with a self-signed cert (SAN IP:127.0.0.1,
# DNS:localhost), a non-admin reader. Everything lives in DIR; nothing outside it is touched.
#
#   slapd.sh start  DIR        create DIR, configure, start, add base entries + reader, write DIR/env
#   slapd.sh load   DIR FILE   ldapadd FILE as the admin (rootdn); errors to stderr, exit non-zero
#   slapd.sh stop   DIR        stop by PID: TERM, then KILL after 10 s; fine if not running
#   slapd.sh pause  DIR        SIGSTOP (the server accepts connections but never answers)
#   slapd.sh resume DIR        SIGCONT
#
# Environment: SLAPD_PORT (38900), SLAPD_TLS_PORT (38636), SLAPD_BASE (DC=corp,DC=example).
# DIR/env (shell-sourceable KEY=VALUE): SLAPD_URI SLAPD_LDAPS_URI SLAPD_CA SLAPD_ADMIN_DN
# SLAPD_ADMIN_PASSWORD_FILE SLAPD_READER_DN SLAPD_READER_PASSWORD_FILE SLAPD_PID SLAPD_BASE
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCHEMA_FILE=$(cd "$HERE/../../tests/integration/schema" && pwd)/exchange-ad-test.schema
SLAPD=${SLAPD:-/usr/sbin/slapd}

die() { echo "slapd.sh: $*" >&2; exit 1; }
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage() { die "usage: slapd.sh start|load|stop|pause|resume DIR [FILE]"; }




# PID of the slapd of DIR, if it is alive and really that slapd (guards against PID reuse).
running_pid() {
  local dir=$1 pid
  pid=$(cat "$dir/slapd.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/slapd.conf" || return 1
  echo "$pid"
}

cmd_start() {
  local dir=$1
  need "$SLAPD" slapd; need ldapadd ldap-utils; need openssl openssl; need ss iproute2
  local port=${SLAPD_PORT:-38900} tlsport=${SLAPD_TLS_PORT:-38636}
  local base=${SLAPD_BASE:-DC=corp,DC=example}
  [[ $base =~ ^[Dd][Cc]=([^,]+)(,[Dd][Cc]=[^,]+)*$ ]] || die "SLAPD_BASE must be DC=...,DC=..., got '$base'"
  local dc=${BASH_REMATCH[1]}
  [[ -f $SCHEMA_FILE ]] || die "schema not found: $SCHEMA_FILE"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if pid=$(running_pid "$dir"); then die "a slapd for $dir is already running (PID $pid)"; fi
  port_in_use "$port" && die "port $port is already in use (set SLAPD_PORT)"
  port_in_use "$tlsport" && die "port $tlsport is already in use (set SLAPD_TLS_PORT)"

  rm -rf "$dir/db"; mkdir -p "$dir/db" "$dir/tls"
  umask 077
  printf %s "$(openssl rand -hex 16)" > "$dir/admin.pw"
  printf 'readerpw' > "$dir/reader.pw"
  umask 022
  local adminpw; adminpw=$(cat "$dir/admin.pw")
  local admin_dn="CN=admin,$base" reader_dn="CN=reader,CN=Users,$base"

  cat > "$dir/rootdse.ldif" <<EOF
dn:
defaultNamingContext: $base
rootDomainNamingContext: $base
configurationNamingContext: CN=Configuration,$base
schemaNamingContext: CN=Schema,CN=Configuration,$base
EOF

  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>"$dir/tls/openssl.log" \
    || die "openssl failed: $(cat "$dir/tls/openssl.log")"
  chmod 600 "$dir/tls/key.pem"

  (umask 077; cat > "$dir/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $SCHEMA_FILE
rootDSE $dir/rootdse.ldif
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
loglevel none
TLSCertificateFile $dir/tls/cert.pem
TLSCertificateKeyFile $dir/tls/key.pem

database mdb
suffix   "$base"
rootdn   "$admin_dn"
rootpw   $adminpw
directory $dir/db
maxsize  1073741824
dbnosync
index objectClass eq
index cn,sAMAccountName eq
index objectSid eq
# AD-like: 1000 entries max per plain search and per page (the rootdn is exempt from limits!)
sizelimit size.soft=1000 size.hard=1000 size.pr=1000 size.prtotal=unlimited
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
EOF
  )
  slaptest -Q -u -f "$dir/slapd.conf" 2>"$dir/slaptest.log" \
    || die "slaptest rejected $dir/slapd.conf: $(cat "$dir/slaptest.log")"

  rm -f "$dir/slapd.pid"
  # slapd detaches itself after opening the listeners and writes DIR/slapd.pid.
  if ! "$SLAPD" -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tlsport/" \
      > "$dir/slapd.log" 2>&1; then
    die "slapd failed to start: $(cat "$dir/slapd.log")"
  fi
  local uri="ldap://127.0.0.1:$port" ok=
  for _ in $(seq 1 200); do
    if ldapsearch -x -H "$uri" -s base -b "" namingContexts >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.05
  done
  [[ -n $ok ]] || { cmd_stop "$dir" >/dev/null 2>&1 || true; die "slapd did not answer on $uri within 10 s"; }
  local pid; pid=$(running_pid "$dir") || die "slapd answered but $dir/slapd.pid is not a live slapd"

  ldapadd -x -H "$uri" -D "$admin_dn" -y "$dir/admin.pw" > "$dir/base-add.log" 2>&1 <<EOF || { cmd_stop "$dir" >/dev/null 2>&1 || true; die "adding the base entries failed: $(cat "$dir/base-add.log")"; }
dn: $base
objectClass: top
objectClass: domain
objectClass: domainDNS
dc: $dc

dn: CN=Users,$base
objectClass: top
objectClass: container
cn: Users

dn: $reader_dn
objectClass: top
objectClass: person
objectClass: organizationalPerson
objectClass: user
cn: reader
sn: reader
sAMAccountName: reader
userAccountControl: 66048
userPassword: readerpw
EOF

  {
    env_line SLAPD_URI "$uri"
    env_line SLAPD_LDAPS_URI "ldaps://127.0.0.1:$tlsport"
    env_line SLAPD_CA "$dir/tls/cert.pem"
    env_line SLAPD_ADMIN_DN "$admin_dn"
    env_line SLAPD_ADMIN_PASSWORD_FILE "$dir/admin.pw"
    env_line SLAPD_READER_DN "$reader_dn"
    env_line SLAPD_READER_PASSWORD_FILE "$dir/reader.pw"
    env_line SLAPD_PID "$pid"
    env_line SLAPD_BASE "$base"
  } > "$dir/env"
  echo "slapd.sh: slapd running (PID $pid) on $uri and ldaps://127.0.0.1:$tlsport; env in $dir/env"
}

load_env() {
  local dir=$1
  [[ -f $dir/env ]] || die "$dir/env not found: run 'slapd.sh start $dir' first"
  # shellcheck disable=SC1090,SC1091
  . "$dir/env"
}

cmd_load() {
  local dir=$1 file=$2
  [[ -r $file ]] || die "cannot read $file"
  load_env "$dir"
  running_pid "$dir" >/dev/null || die "slapd of $dir is not running"
  local out; out=$(mktemp)
  if ! ldapadd -x -H "$SLAPD_URI" -D "$SLAPD_ADMIN_DN" -y "$SLAPD_ADMIN_PASSWORD_FILE" -f "$file" \
      > "$out" 2>&1; then
    echo "slapd.sh: ldapadd of $file failed:" >&2
    grep -v '^$' "$out" | tail -n 4 >&2
    rm -f "$out"
    exit 1
  fi
  rm -f "$out"
}

cmd_stop() {
  local dir=$1 pid
  [[ -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(running_pid "$dir") || { echo "slapd.sh: not running ($dir)"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true   # a paused slapd only sees TERM once continued
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { echo "slapd.sh: stopped (PID $pid)"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  echo "slapd.sh: killed (PID $pid) after 10 s"
}

cmd_signal() {
  local dir=$1 sig=$2 pid
  [[ -d $dir ]] || die "no such directory: $dir"
  dir=$(cd "$dir" && pwd)
  pid=$(running_pid "$dir") || die "slapd of $dir is not running"
  kill "-$sig" "$pid"
}

[[ $# -ge 2 ]] || usage
action=$1 dir=$2
case $action in
  start)  [[ $# -eq 2 ]] || usage; cmd_start "$dir" ;;
  load)   [[ $# -eq 3 ]] || usage; cmd_load "$(cd "$dir" 2>/dev/null && pwd || echo "$dir")" "$3" ;;
  stop)   [[ $# -eq 2 ]] || usage; cmd_stop "$dir" ;;
  pause)  [[ $# -eq 2 ]] || usage; cmd_signal "$dir" STOP ;;
  resume) [[ $# -eq 2 ]] || usage; cmd_signal "$dir" CONT ;;
  *) usage ;;
esac
