#!/bin/bash
# Throwaway Samba AD DC (a real Active Directory) for relayaudit's integration tests.
# Realm CORP.EXAMPLE, domain CORP, base DC=corp,DC=example, host dc1, 127.0.0.1 only.
# Everything lives in DIR: smb.conf, sam.ldb, pid files, sockets, logs, TLS cert, krb5.conf,
# credential cache. /etc, /run and /var are not touched. Needs root.
#
#   samba.sh provision     DIR        provision into DIR (own TLS cert with SAN IP:127.0.0.1,
#                                     a non-admin user reader@corp.example)
#   samba.sh start         DIR [OPT]  start (refuses if 127.0.0.1:389/636/88 is taken), wait for LDAP;
#                                     each OPT ("name = value") overrides smb.conf for this run,
#                                     e.g. "ldap server require strong auth = allow_sasl_over_tls"
#   samba.sh extend-schema DIR        add the Exchange attributes and classes used by
#                                     gen_directory.py --target samba, then schemaUpdateNow
#   samba.sh load          DIR FILE   ldapadd FILE as Administrator over ldaps (full TLS verification)
#   samba.sh modify        DIR FILE   ldapmodify FILE the same way
#   samba.sh restrict      DIR DN...  create the non-admin user "blind" (password in DIR/blind.pw)
#                                     and deny it List Contents on each DN with an explicit deny
#                                     ACE (D;;LC;;;SID), as a forest that hides part of Exchange
#                                     does: the objects below vanish from its searches, and a read
#                                     of one answers "no such object" (32)
#   samba.sh kinit         DIR        DIR/krb5.conf, kinit Administrator into DIR/krb5cc, SPNs
#                                     ldap/localhost + ldap/127.0.0.1, check a GSSAPI search
#   samba.sh stop          DIR        stop by PID: TERM, KILL after 10 s; fine if not running
#   samba.sh pause|resume  DIR        SIGSTOP / SIGCONT (hang tests)
#
# DIR/env (shell-sourceable KEY=VALUE, rewritten by provision, start and kinit):
#   SAMBA_LDAP_URI SAMBA_LDAPS_URI SAMBA_CA SAMBA_ADMIN_UPN SAMBA_PASSWORD_FILE SAMBA_BASE
#   SAMBA_PID SAMBA_GUEST_DN SAMBA_DOMAIN_SID SAMBA_READER_UPN SAMBA_READER_PASSWORD_FILE
#   SAMBA_BLIND_UPN SAMBA_BLIND_PASSWORD_FILE SAMBA_BLIND_HIDDEN (after restrict: the DNs
#   whose children "blind" cannot list, separated by '|') KRB5_CONFIG KRB5CCNAME
# Samba refuses simple binds over plain ldap:// (result 8): use ldaps:// or StartTLS (-ZZ).
# The ports are fixed, so only one Samba DC can run on this machine at a time.
set -euo pipefail

REALM=CORP.EXAMPLE
DOMAIN=CORP
DNSDOMAIN=corp.example
BASE='DC=corp,DC=example'
CFG="CN=Configuration,$BASE"
SCHEMA="CN=Schema,$CFG"
ADMIN_UPN="Administrator@$DNSDOMAIN"
READER_UPN="reader@$DNSDOMAIN"
BLIND_UPN="blind@$DNSDOMAIN"
LDAPS_URI=ldaps://127.0.0.1
LDAP_URI=ldap://127.0.0.1

die() { echo "samba.sh: $*" >&2; exit 1; }
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage() { die "usage: samba.sh provision|start|extend-schema|load|modify|restrict|kinit|stop|pause|resume DIR [FILE]"; }


# PID of the samba of DIR, if alive and really that samba (guards against PID reuse).
running_pid() {
  local dir=$1 pid
  pid=$(cat "$dir/samba.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # samba rewrites its process title, so identify it by binary and by its stdout (DIR/samba.out).
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */samba ]] || return 1
  [[ $(readlink "/proc/$pid/fd/1" 2>/dev/null) == "$dir/samba.out" ]] || return 1
  echo "$pid"
}

write_env() {
  local dir=$1 pid=
  pid=$(running_pid "$dir") || pid=
  {
    env_line SAMBA_LDAP_URI "$LDAP_URI"
    env_line SAMBA_LDAPS_URI "$LDAPS_URI"
    env_line SAMBA_CA "$dir/tls/cert.pem"
    env_line SAMBA_ADMIN_UPN "$ADMIN_UPN"
    env_line SAMBA_PASSWORD_FILE "$dir/admin.pw"
    env_line SAMBA_READER_UPN "$READER_UPN"
    env_line SAMBA_READER_PASSWORD_FILE "$dir/reader.pw"
    if [[ -f $dir/blind.hidden ]]; then
      env_line SAMBA_BLIND_UPN "$BLIND_UPN"
      env_line SAMBA_BLIND_PASSWORD_FILE "$dir/blind.pw"
      env_line SAMBA_BLIND_HIDDEN "$(paste -sd '|' "$dir/blind.hidden")"
    fi
    env_line SAMBA_BASE "$BASE"
    env_line SAMBA_GUEST_DN "CN=Guest,CN=Users,$BASE"
    env_line SAMBA_DOMAIN_SID "$(cat "$dir/domain-sid" 2>/dev/null || true)"
    env_line SAMBA_PID "$pid"
    env_line KRB5_CONFIG "$dir/krb5.conf"
    env_line KRB5CCNAME "FILE:$dir/krb5cc"
  } > "$dir/env"
}

write_krb5_conf() {
  cat > "$1/krb5.conf" <<EOF
[libdefaults]
	default_realm = $REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false
[realms]
	$REALM = {
		kdc = 127.0.0.1
	}
[domain_realm]
	dc1.$DNSDOMAIN = $REALM
	localhost = $REALM
EOF
}

abs_dir() { [[ -d $1 ]] || die "no such directory: $1"; (cd "$1" && pwd); }

cmd_provision() {
  local dir=$1
  need samba-tool "samba samba-ad-dc samba-ad-provision"; need openssl openssl
  [[ -f /usr/share/samba/setup/ad-schema/AD_DS_Attributes__Windows_Server_2012_R2.ldf ]] \
    || die "samba-ad-provision is not installed (apt-get install samba-ad-provision)"
  [[ $(id -u) -eq 0 ]] || die "provisioning a Samba DC needs root (run the tests as root or through sudo, as scripts/bootstrap test does)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ -e $dir/etc/smb.conf ]] && die "$dir is already provisioned (use an empty directory)"
  if [[ -n $(ls -A "$dir" 2>/dev/null) ]]; then die "$dir is not empty"; fi
  mkdir -p "$dir/run" "$dir/log" "$dir/tls"
  umask 077
  # Complexity: upper, lower, digit and symbol.
  printf 'Adm1n-%s' "$(openssl rand -hex 8)" > "$dir/admin.pw"
  printf 'Read3r-%s' "$(openssl rand -hex 8)" > "$dir/reader.pw"
  umask 022
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=dc1.$DNSDOMAIN" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:dc1.$DNSDOMAIN" \
    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>"$dir/tls/openssl.log" \
    || die "openssl failed: $(cat "$dir/tls/openssl.log")"
  chmod 600 "$dir/tls/key.pem"

  if ! samba-tool domain provision --targetdir="$dir" \
      --realm="$REALM" --domain="$DOMAIN" --server-role=dc --dns-backend=NONE \
      --host-name=dc1 --adminpass="$(cat "$dir/admin.pw")" \
      --option="interfaces = lo" --option="bind interfaces only = yes" \
      --option="server services = ldap, cldap, kdc" \
      --option="pid directory = $dir/run" --option="ncalrpc dir = $dir/run/ncalrpc" \
      --option="winbindd socket directory = $dir/run/winbindd" \
      --option="ntp signd socket directory = $dir/run/ntp_signd" \
      --option="log file = $dir/log/log.%m" --option="logging = file" \
      --option="tls enabled = yes" \
      --option="tls certfile = $dir/tls/cert.pem" --option="tls keyfile = $dir/tls/key.pem" \
      --option="tls cafile = $dir/tls/cert.pem" \
      --option="ldap server require strong auth = yes" \
      --option="dsdb:schema update allowed = true" > "$dir/provision.log" 2>&1; then
    tail -n 20 "$dir/provision.log" >&2
    die "provision failed (full log: $dir/provision.log)"
  fi
  grep -q "tls certfile = $dir/tls/cert.pem" "$dir/etc/smb.conf" \
    || die "provision did not keep the TLS options in $dir/etc/smb.conf"

  # Offline, straight into sam.ldb: a non-admin reader.
  if ! samba-tool user create reader "$(cat "$dir/reader.pw")" \
      --configfile="$dir/etc/smb.conf" > "$dir/reader-create.log" 2>&1; then
    die "creating reader failed: $(cat "$dir/reader-create.log")"
  fi
  # Domain SID (for generated security descriptors that name the domain's groups).
  samba-tool group show "Domain Admins" --attributes=objectSid --configfile="$dir/etc/smb.conf" \
      2>/dev/null | sed -n 's/^objectSid: \(S-1-5-21-.*\)-512$/\1/p' > "$dir/domain-sid" || true
  [[ -s $dir/domain-sid ]] || die "could not read the domain SID"
  write_krb5_conf "$dir"
  write_env "$dir"
  echo "samba.sh: provisioned $REALM into $dir"
}


cmd_start() {
  local dir; dir=$(abs_dir "$1"); shift
  local overrides=() option
  for option in "$@"; do overrides+=("--option=$option"); done
  need samba samba; need ss iproute2; need ldapsearch ldap-utils
  [[ -f $dir/etc/smb.conf ]] || die "$dir is not provisioned: run 'samba.sh provision $dir' first"
  if pid=$(running_pid "$dir"); then die "the Samba of $dir is already running (PID $pid)"; fi
  local port
  for port in 389 636 88; do
    if port_in_use "$port"; then
      die "port $port is already in use ($(ss -Hltnp "sport = :$port" 2>/dev/null | head -n 1 | tr -s ' ')); another LDAP server or Samba DC is running: stop it first (Samba's ports are fixed)"
    fi
  done
  # Own session: a Ctrl-C in the caller's terminal does not reach it; stop it with 'stop'.
  setsid samba -s "$dir/etc/smb.conf" -i -M single "${overrides[@]}" < /dev/null > "$dir/samba.out" 2>&1 &
  local pid=$!
  echo "$pid" > "$dir/samba.pid"
  local ok=
  for _ in $(seq 1 300); do
    if ldapsearch -x -H "$LDAP_URI" -s base -b "" defaultNamingContext >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir/samba.out" >&2; die "samba exited during start (log: $dir/samba.out)"; }
    sleep 0.1
  done
  if [[ -z $ok ]]; then
    cmd_stop "$dir" >/dev/null 2>&1 || true
    die "samba LDAP did not answer within 30 s (log: $dir/samba.out)"
  fi
  # LDAPS is served by the same task; wait for it as well (full certificate verification).
  ok=
  for _ in $(seq 1 100); do
    if LDAPTLS_CACERT="$dir/tls/cert.pem" ldapsearch -x -H "$LDAPS_URI" -s base -b "" \
        defaultNamingContext >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  [[ -n $ok ]] || { cmd_stop "$dir" >/dev/null 2>&1 || true; die "samba LDAPS did not answer with a verifiable certificate"; }
  write_env "$dir"
  echo "samba.sh: samba running (PID $pid) on $LDAP_URI and $LDAPS_URI; env in $dir/env"
}

# ldapadd/ldapmodify as Administrator over ldaps with full verification of our own cert.
admin_ldap() {
  local dir=$1 tool=$2 file=$3 out
  running_pid "$dir" >/dev/null || die "the Samba of $dir is not running"
  [[ -r $file ]] || die "cannot read $file"
  out=$(mktemp)
  if ! LDAPTLS_CACERT="$dir/tls/cert.pem" LDAPTLS_REQCERT=demand "$tool" -x -H "$LDAPS_URI" \
      -D "$ADMIN_UPN" -y "$dir/admin.pw" -f "$file" > "$out" 2>&1; then
    echo "samba.sh: $tool of $file failed:" >&2
    grep -v '^$' "$out" | tail -n 4 >&2
    rm -f "$out"
    return 1
  fi
  rm -f "$out"
}

refresh_schema() {
  local dir=$1
  printf 'dn:\nchangetype: modify\nadd: schemaUpdateNow\nschemaUpdateNow: 1\n-\n' > "$dir/schema-refresh.ldif"
  admin_ldap "$dir" ldapmodify "$dir/schema-refresh.ldif"
}

# attributeSchema entry: CN lDAPDisplayName OID attributeSyntax oMSyntax single(TRUE/FALSE)
attr() {
  cat <<EOF
dn: CN=$1,$SCHEMA
objectClass: attributeSchema
attributeID: $3
lDAPDisplayName: $2
attributeSyntax: $4
oMSyntax: $5
isSingleValued: $6

EOF
}

cmd_extend_schema() {
  local dir; dir=$(abs_dir "$1")
  # Real Exchange 2000/2003 OIDs (1.2.840.113556.1.4.7000.102.N, public schema copy) where
  # known; private OIDs under 1.3.6.1.4.1.99999.3 otherwise (2007+ connector attributes, class
  # OIDs not in our facts). Syntaxes: 2.5.5.8/1 boolean, 2.5.5.9/2 integer, 2.5.5.10/4 octet
  # string, 2.5.5.12/64 Unicode string.
  local x=1.2.840.113556.1.4.7000.102 p=1.3.6.1.4.1.99999.3
  {
    attr ms-Exch-Smtp-Relay-For-Auth msExchSmtpRelayForAuth $x.5020 2.5.5.8 1 TRUE
    attr ms-Exch-Smtp-Relay-Ip-List msExchSmtpRelayIpList $x.5048 2.5.5.10 4 TRUE
    attr ms-Exch-Authentication-Flags msExchAuthenticationFlags $x.2003 2.5.5.9 2 TRUE
    attr ms-Exch-Access-SSL-Flags msExchAccessSSLFlags $x.2006 2.5.5.9 2 TRUE
    attr ms-Exch-IP-Security msExchIPSecurity $x.2013 2.5.5.10 4 TRUE
    attr ms-Exch-Server-Bindings msExchServerBindings $x.2001 2.5.5.12 64 FALSE
    attr ms-Exch-Secure-Bindings msExchSecureBindings $x.2002 2.5.5.12 64 FALSE
    attr ms-Exch-Smtp-Smart-Host msExchSmtpSmartHost $x.5024 2.5.5.12 64 TRUE
    attr ms-Exch-Smtp-Fully-Qualified-Domain-Name msExchSmtpFullyQualifiedDomainName $x.5029 2.5.5.12 64 TRUE
    attr ms-Exch-Smtp-Max-Message-Size msExchSmtpMaxMessageSize $x.5007 2.5.5.9 2 TRUE
    attr ms-Exch-Smtp-Receive-Bindings msExchSmtpReceiveBindings $p.1.1 2.5.5.12 64 FALSE
    attr ms-Exch-Smtp-Receive-Remote-IP-Ranges msExchSmtpReceiveRemoteIPRanges $p.1.2 2.5.5.12 64 FALSE
    attr ms-Exch-SMTP-Receive-Inbound-Security-Flag msExchSMTPReceiveInboundSecurityFlag $p.1.3 2.5.5.9 2 TRUE
    attr ms-Exch-Smtp-Receive-Enabled msExchSmtpReceiveEnabled $p.1.4 2.5.5.8 1 TRUE
    attr Routing-List routingList $p.1.5 2.5.5.12 64 FALSE
  } > "$dir/schema-attrs.ldif"
  # Without a defaultSecurityDescriptor, new objects get only inherited ACEs and a non-admin
  # (the reader) cannot see them at all. Use the one of AD's `container` class: Domain Admins and
  # SYSTEM full control, Authenticated Users read.
  local DEFAULT_SD='D:(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;DA)(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)(A;;RPLCLORC;;;AU)'
  cat > "$dir/schema-classes.ldif" <<EOF
dn: CN=ms-Exch-Organization-Container,$SCHEMA
objectClass: classSchema
governsID: $p.2.1
lDAPDisplayName: msExchOrganizationContainer
subClassOf: container
objectClassCategory: 1
defaultSecurityDescriptor: $DEFAULT_SD
possSuperiors: container
rDNAttID: cn
mayContain: legacyExchangeDN
defaultObjectCategory: CN=ms-Exch-Organization-Container,$SCHEMA

dn: CN=ms-Exch-Admin-Group,$SCHEMA
objectClass: classSchema
governsID: $p.2.2
lDAPDisplayName: msExchAdminGroup
subClassOf: container
objectClassCategory: 1
defaultSecurityDescriptor: $DEFAULT_SD
possSuperiors: container
rDNAttID: cn
mayContain: legacyExchangeDN
defaultObjectCategory: CN=ms-Exch-Admin-Group,$SCHEMA

dn: CN=ms-Exch-Exchange-Server,$SCHEMA
objectClass: classSchema
governsID: $p.2.3
lDAPDisplayName: msExchExchangeServer
subClassOf: container
objectClassCategory: 1
defaultSecurityDescriptor: $DEFAULT_SD
possSuperiors: container
rDNAttID: cn
mayContain: serialNumber
mayContain: networkAddress
mayContain: legacyExchangeDN
defaultObjectCategory: CN=ms-Exch-Exchange-Server,$SCHEMA

dn: CN=Protocol-Cfg-SMTP-Server,$SCHEMA
objectClass: classSchema
governsID: 1.2.840.113556.1.5.7000.62.5002
lDAPDisplayName: protocolCfgSMTPServer
subClassOf: top
objectClassCategory: 1
defaultSecurityDescriptor: $DEFAULT_SD
possSuperiors: container
rDNAttID: cn
mayContain: msExchSmtpRelayForAuth
mayContain: msExchSmtpRelayIpList
mayContain: msExchAuthenticationFlags
mayContain: msExchAccessSSLFlags
mayContain: msExchIPSecurity
mayContain: msExchServerBindings
mayContain: msExchSecureBindings
mayContain: msExchSmtpSmartHost
mayContain: msExchSmtpFullyQualifiedDomainName
mayContain: msExchSmtpMaxMessageSize
defaultObjectCategory: CN=Protocol-Cfg-SMTP-Server,$SCHEMA

dn: CN=ms-Exch-Routing-SMTP-Connector,$SCHEMA
objectClass: classSchema
governsID: 1.2.840.113556.1.5.7000.62.12008
lDAPDisplayName: msExchRoutingSMTPConnector
subClassOf: top
objectClassCategory: 1
defaultSecurityDescriptor: $DEFAULT_SD
possSuperiors: container
rDNAttID: cn
mayContain: routingList
mayContain: msExchSmtpSmartHost
mayContain: msExchSmtpMaxMessageSize
defaultObjectCategory: CN=ms-Exch-Routing-SMTP-Connector,$SCHEMA

dn: CN=ms-Exch-Smtp-Receive-Connector,$SCHEMA
objectClass: classSchema
governsID: $p.2.4
lDAPDisplayName: msExchSmtpReceiveConnector
subClassOf: top
objectClassCategory: 1
defaultSecurityDescriptor: $DEFAULT_SD
possSuperiors: container
rDNAttID: cn
mayContain: msExchSmtpReceiveBindings
mayContain: msExchSmtpReceiveRemoteIPRanges
mayContain: msExchSMTPReceiveInboundSecurityFlag
mayContain: msExchSmtpReceiveEnabled
defaultObjectCategory: CN=ms-Exch-Smtp-Receive-Connector,$SCHEMA

EOF
  admin_ldap "$dir" ldapadd "$dir/schema-attrs.ldif" || die "adding the attributeSchema objects failed"
  refresh_schema "$dir" || die "schemaUpdateNow failed"
  admin_ldap "$dir" ldapadd "$dir/schema-classes.ldif" || die "adding the classSchema objects failed"
  refresh_schema "$dir" || die "schemaUpdateNow failed"
  echo "samba.sh: schema extended (15 attributes, 6 classes)"
}

# One Python process (samba's own bindings on DIR's sam.ldb, which the running samba shares
# safely): the user and every ACE, instead of a samba-tool start-up (1.5 s) for each.
cmd_restrict() {
  local dir; dir=$(abs_dir "$1"); shift
  [[ $# -ge 1 ]] || die "restrict needs at least one DN"
  running_pid "$dir" >/dev/null || die "the Samba of $dir is not running"
  [[ -e $dir/blind.hidden ]] && die "$dir is already restricted"
  umask 077
  printf 'Bl1nd-%s' "$(openssl rand -hex 8)" > "$dir/blind.pw"
  umask 022
  if ! /usr/bin/python3 - "$dir/etc/smb.conf" "$dir/private/sam.ldb" "$dir/blind.pw" "$@" \
      > "$dir/restrict.log" 2>&1 <<'PY'
import sys
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
from samba.sd_utils import SDUtils
from samba.dcerpc import security
from samba.ndr import ndr_unpack
import ldb
conf, url, password_file, dns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
lp = LoadParm()
lp.load(conf)
samdb = SamDB(url=url, session_info=system_session(), lp=lp)
samdb.newuser("blind", open(password_file).read())
user = samdb.search(samdb.domain_dn(), scope=ldb.SCOPE_SUBTREE,
                    expression="(sAMAccountName=blind)", attrs=["objectSid"])[0]
sid = str(ndr_unpack(security.dom_sid, user["objectSid"][0]))
for dn in dns:
    SDUtils(samdb).dacl_add_ace(dn, "(D;;LC;;;%s)" % sid)
print(sid)
PY
  then
    die "restrict failed: $(tail -n 5 "$dir/restrict.log")"
  fi
  printf '%s\n' "$@" > "$dir/blind.hidden"
  write_env "$dir"
  echo "samba.sh: user blind ($(tail -n 1 "$dir/restrict.log")) may not list children of $# object(s)"
}

cmd_kinit() {
  local dir; dir=$(abs_dir "$1")
  need kinit krb5-user
  running_pid "$dir" >/dev/null || die "the Samba of $dir is not running"
  write_krb5_conf "$dir"
  export KRB5_CONFIG="$dir/krb5.conf" KRB5CCNAME="FILE:$dir/krb5cc"
  kinit "Administrator@$REALM" < "$dir/admin.pw" > "$dir/kinit.log" 2>&1 \
    || die "kinit failed: $(cat "$dir/kinit.log")"
  # GSSAPI needs an SPN matching the host in the URI. `samba-tool spn add` over ldaps fails
  # (NT_STATUS_INVALID_PARAMETER_MIX), so modify the DC account directly; skip existing ones.
  local spn
  for spn in ldap/localhost ldap/127.0.0.1; do
    if ! LDAPTLS_CACERT="$dir/tls/cert.pem" ldapsearch -x -LLL -H "$LDAPS_URI" -D "$ADMIN_UPN" \
        -y "$dir/admin.pw" -b "OU=Domain Controllers,$BASE" "(servicePrincipalName=$spn)" dn \
        | grep -q '^dn:'; then
      printf 'dn: CN=DC1,OU=Domain Controllers,%s\nchangetype: modify\nadd: servicePrincipalName\nservicePrincipalName: %s\n-\n' \
        "$BASE" "$spn" > "$dir/spn.ldif"
      admin_ldap "$dir" ldapmodify "$dir/spn.ldif" || die "adding SPN $spn failed"
    fi
  done
  if ! ldapsearch -N -Y GSSAPI -H ldap://localhost -LLL -s base -b "CN=Guest,CN=Users,$BASE" \
      userAccountControl > "$dir/gssapi-check.log" 2>&1; then
    die "GSSAPI search failed: $(cat "$dir/gssapi-check.log")"
  fi
  write_env "$dir"
  echo "samba.sh: kinit OK, ticket cache $dir/krb5cc; 'ldapsearch -N -Y GSSAPI -H ldap://localhost' works"
}

cmd_stop() {
  local dir=$1 pid
  [[ -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(running_pid "$dir") || { echo "samba.sh: not running ($dir)"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true   # a paused samba only sees TERM once continued
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "samba.sh: killed (PID $pid) after 10 s"
  else
    echo "samba.sh: stopped (PID $pid)"
  fi
  [[ -f $dir/env ]] && write_env "$dir"
  return 0
}

cmd_signal() {
  local dir; dir=$(abs_dir "$1")
  local pid; pid=$(running_pid "$dir") || die "the Samba of $dir is not running"
  kill "-$2" "$pid"
}

[[ $# -ge 2 ]] || usage
action=$1
case $action in
  provision)     [[ $# -eq 2 ]] || usage; cmd_provision "$2" ;;
  start)         shift; cmd_start "$@" ;;
  extend-schema) [[ $# -eq 2 ]] || usage; cmd_extend_schema "$2" ;;
  load)          [[ $# -eq 3 ]] || usage; admin_ldap "$(abs_dir "$2")" ldapadd "$3" || exit 1 ;;
  modify)        [[ $# -eq 3 ]] || usage; admin_ldap "$(abs_dir "$2")" ldapmodify "$3" || exit 1 ;;
  restrict)      [[ $# -ge 3 ]] || usage; shift; cmd_restrict "$@" ;;
  kinit)         [[ $# -eq 2 ]] || usage; cmd_kinit "$2" ;;
  stop)          [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
  pause)         [[ $# -eq 2 ]] || usage; cmd_signal "$2" STOP ;;
  resume)        [[ $# -eq 2 ]] || usage; cmd_signal "$2" CONT ;;
  *) usage ;;
esac
