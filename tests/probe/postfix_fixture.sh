#!/usr/bin/env bash
# Private Postfix instances for the relay-probe tests, on loopback ports 39140-39145, each in its
# own directory under DIR (the system instance is never touched). Needs root (the Postfix master
# starts as root) and the postfix package; the AUTH modes need sasl2-bin (saslpasswd2) and
# libsasl2-modules (PLAIN/LOGIN), with a private sasldb under DIR (no saslauthd). Nothing can be
# delivered: DATA/BDAT are refused, every transport is an error transport, and master.cf defines
# no delivery service.
#   postfix_fixture.sh setup DIR     build, check and start open, closed554, closed454, tls,
#                                    authreq (530 Authentication required at RCPT, AUTH in clear)
#                                    and tlsauth (STARTTLS required, AUTH only inside TLS)
#   postfix_fixture.sh cleanup DIR   stop them by the PIDs setup recorded, wait for their children
# Recipe: docs of the test servers (relay-probe-servers.md, section 2).
set -euo pipefail
action=$1 dir=$2
declare -A PORTS=([open]=39140 [closed554]=39141 [closed454]=39142 [tls]=39143 [authreq]=39144 [tlsauth]=39145)
die() { echo "postfix_fixture.sh: $*" >&2; exit 1; }
# shellcheck source=../support/postfix_instance.sh
. "$(dirname "${BASH_SOURCE[0]}")/../support/postfix_instance.sh"

make_instance() { # BASE MODE PORT
  local B=$1 MODE=$2 PORT=$3 C=$1/postfix
  mkdir -p "$C" "$B/spool" "$B/data"
  chmod 755 "$B"; chown postfix "$B/data"
  {
    postfix_base_config "$B" relaytest.invalid invalid
    cat <<CF
smtpd_banner = \$myhostname ESMTP relay-probe test server
default_transport = error:5.7.1 relay test server - no delivery
relay_transport   = error:5.7.1 relay test server - no delivery
local_transport   = error:5.7.1 relay test server - no delivery
virtual_transport = error:5.7.1 relay test server - no delivery
smtpd_reject_unlisted_recipient = no
smtpd_data_restrictions = reject
smtpd_end_of_data_restrictions = reject
smtpd_peername_lookup = no
# log every command the client sends ("< unknown[127.0.0.1]: RCPT TO:<...>") so the tests can
# prove the probe sent nothing after RCPT but RSET and QUIT
debug_peer_list = 127.0.0.1
debug_peer_level = 2
CF
  } > "$C/main.cf"
  case $MODE in
  open)      printf '%s\n' 'mynetworks = 0.0.0.0/0' 'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination' ;;
  closed554) printf '%s\n' 'mynetworks = 127.0.0.2/32' 'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination' ;;
  closed454) printf '%s\n' 'mynetworks = 127.0.0.2/32' 'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination' ;;
  tls|tlsauth|authreq)
    # tlsauth's certificate also names exch001.corp.example, the server analyze --probe maps to
    # loopback, so that STARTTLS verifies there too
    local names=DNS:relaytest.invalid
    [[ $MODE == tlsauth ]] && names+=,DNS:exch001.corp.example
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=relaytest.invalid \
      -addext "subjectAltName=$names" -keyout "$C/key.pem" -out "$C/cert.pem" 2>/dev/null
    chmod 600 "$C/key.pem"
    local tls_level=encrypt auth_only=yes
    local relay='permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination'
    if [[ $MODE == authreq ]]; then
      # unauthenticated relay attempts get an explicit 530 instead of 554; AUTH offered in clear
      tls_level=may auth_only=no
      relay='permit_mynetworks, permit_sasl_authenticated, check_recipient_access static:{530 5.7.0 Authentication required}, reject_unauth_destination'
    fi
    printf '%s\n' 'mynetworks = 127.0.0.2/32' "smtpd_tls_security_level = $tls_level" \
      "smtpd_tls_chain_files = $C/key.pem, $C/cert.pem" "smtpd_relay_restrictions = $relay"
    if [[ $MODE != tls ]]; then
      # Cyrus SASL with a private sasldb: no daemon, nothing outside this directory
      mkdir -p "$C/sasl"
      printf '%s\n' 'pwcheck_method: auxprop' 'auxprop_plugin: sasldb' \
        "sasldb_path: $C/sasl/sasldb2" 'mech_list: PLAIN LOGIN' > "$C/sasl/smtpd.conf"
      echo testpass | saslpasswd2 -p -c -f "$C/sasl/sasldb2" -u relaytest.invalid tester
      chown postfix "$C/sasl/sasldb2"; chmod 600 "$C/sasl/sasldb2"
      printf '%s\n' 'smtpd_sasl_auth_enable = yes' 'smtpd_sasl_type = cyrus' \
        'smtpd_sasl_path = smtpd' "cyrus_sasl_config_path = $C/sasl" \
        'smtpd_sasl_local_domain = relaytest.invalid' \
        "smtpd_tls_auth_only = $auth_only" 'smtpd_sasl_security_options = noanonymous'
    fi ;;
  esac >> "$C/main.cf"
  {
    cat <<CF
127.0.0.1:$PORT inet n - n - - smtpd
tlsmgr    unix  - - n 1000? 1 tlsmgr
CF
    postfix_master_services
  } > "$C/master.cf"
}

stop_all() {
  for pidfile in "$dir"/*/master.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do [[ -z $(ps -o pid= -s "$pid") ]] && break; sleep 0.05; done
    rm -f "$pidfile"
  done
}

case $action in
  setup)
    [[ $(id -u) -eq 0 ]] || die "needs root: the Postfix master starts as root"
    [[ -x /usr/lib/postfix/sbin/master ]] || die "postfix is not installed (scripts/bootstrap test)"
    command -v saslpasswd2 >/dev/null || die "sasl2-bin is not installed (scripts/bootstrap test)"
    ls /usr/lib/*/sasl2/libplain.so* >/dev/null 2>&1 ||
      die "libsasl2-modules (SASL PLAIN/LOGIN) is not installed (scripts/bootstrap test)"
    stop_all
    rm -rf "$dir"; mkdir -p "$dir"
    for mode in "${!PORTS[@]}"; do
      make_instance "$dir/$mode" "$mode" "${PORTS[$mode]}"
      postfix -c "$dir/$mode/postfix" check </dev/null >/dev/null 2>&1 ||
        die "postfix check failed for $mode (see $dir/$mode/maillog)"
      setsid /usr/lib/postfix/sbin/master -c "$dir/$mode/postfix" </dev/null >/dev/null 2>&1 &
      echo $! > "$dir/$mode/master.pid"
    done
    for mode in "${!PORTS[@]}"; do
      port=${PORTS[$mode]}
      for i in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
      (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || die "$mode is not listening on $port"
    done
    echo "postfix_fixture.sh: open, closed554, closed454, tls, authreq, tlsauth listening on 39140-39145"
    ;;
  cleanup) stop_all ;;
  *) die "unknown action '$action'" ;;
esac
