# Helpers shared by slapd.sh and samba.sh; sourced after each defines its own die().

need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (install: $2)"; }

# A value for DIR/env: bare when it is shell-safe, else single-quoted.
env_line() {
  local key=$1 value=$2
  if [[ $value =~ ^[A-Za-z0-9_./:=,@+%-]*$ ]]; then
    printf '%s=%s\n' "$key" "$value"
  else
    printf "%s='%s'\n" "$key" "${value//\'/\'\\\'\'}"
  fi
}

# 0 when something listens on 127.0.0.1:port or *:port.
port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
