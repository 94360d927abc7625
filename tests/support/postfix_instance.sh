# The part of main.cf every private test Postfix shares (sourced by tests/mail and tests/probe
# fixtures): the instance lives in its own directory, listens on 127.0.0.1 only, logs to a file
# there, and the system instance is never touched.
#   postfix_base_config BASE HOSTNAME DOMAIN   prints those lines; the fixture appends its mode
postfix_base_config() {
  local base=$1 hostname=$2 domain=$3
  cat <<CF
compatibility_level = 3.6
queue_directory = $base/spool
data_directory = $base/data
maillog_file = $base/maillog
maillog_file_prefixes = $base
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
mail_owner = postfix
setgid_group = postdrop
myhostname = $hostname
mydomain = $domain
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
biff = no
mydestination =
relay_domains =
local_recipient_maps =
CF
}

# The master.cf services every private test Postfix needs besides its smtpd listener (queue
# manager, cleanup, bounces, logging); the fixture adds its listener and any service of its own.
postfix_master_services() {
  cat <<CF
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
proxymap  unix  - - n - - proxymap
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
CF
}
