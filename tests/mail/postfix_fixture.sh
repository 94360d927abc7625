#!/usr/bin/env bash
# A private Postfix on 127.0.0.1 that delivers mail for @audit.invalid into one mbox file, for
# the end-to-end mail test (after the recipe for a private Postfix on loopback in the shared test-server notes, adapted to deliver).
#   postfix_fixture.sh start DIR PORT   builds DIR, starts the master, writes DIR/master.pid and
#                                       DIR/sendmail (sendmail bound to this instance)
#   postfix_fixture.sh stop DIR         stops the master by its PID and waits for its children
# Mail for @audit.invalid lands in DIR/vmail/mailbox; everything else bounces (error transport),
# so nothing can leave the machine. Needs root (the master starts as root) and the postfix
# package.
set -euo pipefail
action=$1; B=$2

fail() { echo "postfix fixture: $*" >&2; exit 1; }
# shellcheck source=../support/postfix_instance.sh
. "$(dirname "${BASH_SOURCE[0]}")/../support/postfix_instance.sh"

start() {
  local port=$1
  [ "$(id -u)" = 0 ] || fail "needs root: the Postfix master starts as root"
  [ -x /usr/lib/postfix/sbin/master ] || fail "postfix is not installed (scripts/bootstrap test installs it)"
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && fail "127.0.0.1:$port is already in use"
  rm -rf "$B"; mkdir -p "$B/postfix" "$B/spool" "$B/data" "$B/vmail"
  chmod 755 "$B"; chown postfix "$B/data"; chown nobody:nogroup "$B/vmail"
  {
    postfix_base_config "$B" relayaudit-test.invalid relayaudit-test.invalid
    cat <<CF
mynetworks = 127.0.0.1/32
smtpd_peername_lookup = no
default_transport = error:5.7.1 test instance - no delivery outside audit.invalid
relay_transport = error:5.7.1 test instance - no delivery outside audit.invalid
local_transport = error:5.7.1 test instance - no delivery outside audit.invalid
virtual_mailbox_domains = audit.invalid
virtual_mailbox_base = $B/vmail
virtual_mailbox_maps = static:mailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
CF
  } > "$B/postfix/main.cf"
  {
    cat <<CF
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
virtual   unix  - n n - - virtual
CF
    postfix_master_services
  } > "$B/postfix/master.cf"
  postfix -c "$B/postfix" check </dev/null >"$B/check.log" 2>&1 || { cat "$B/check.log" "$B/maillog" >&2 2>/dev/null; fail "postfix check failed"; }
  setsid /usr/lib/postfix/sbin/master -c "$B/postfix" </dev/null >"$B/master.out" 2>&1 &
  echo $! > "$B/master.pid"
  for _ in $(seq 200); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.05
  done
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || { cat "$B/maillog" >&2 2>/dev/null; fail "master did not listen on $port"; }
  printf '#!/bin/sh\nMAIL_CONFIG=%s/postfix exec /usr/sbin/sendmail "$@"\n' "$B" > "$B/sendmail"
  chmod 755 "$B/sendmail"
  echo "postfix fixture: master $(cat "$B/master.pid") on 127.0.0.1:$port, mailbox $B/vmail/mailbox"
}

stop() {
  [ -f "$B/master.pid" ] || { echo "postfix fixture: nothing to stop"; return 0; }
  local pid; pid=$(cat "$B/master.pid")
  kill "$pid" 2>/dev/null || true
  # The master leads its own session: wait for its children, which hold the port for a while.
  for _ in $(seq 100); do
    [ -z "$(ps -o pid= -s "$pid" 2>/dev/null)" ] && break
    sleep 0.1
  done
  rm -f "$B/master.pid"
  echo "postfix fixture: stopped master $pid"
}

case $action in
  start) start "${3:?port}" ;;
  stop) stop ;;
  *) fail "usage: postfix_fixture.sh start DIR PORT | stop DIR" ;;
esac
