#!/bin/sh
# Rebuilds samples/*.ldif with scripts/gen_directory.py (deterministic: same output every run).
# Usage: scripts/regenerate-samples.sh   (PYTHON=/path/to/python3 to choose the interpreter)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
GEN="$ROOT/scripts/gen_directory.py"
OUT="$ROOT/samples"

CORP=DC=corp,DC=example
CORP_SID=S-1-5-21-1004336348-1177238915-682003330
CHILD=DC=child,DC=corp,DC=example
CHILD_SID=S-1-5-21-2118363711-3155738521-2957046394

"$PY" "$GEN" --self-test >/dev/null

gen() { # output file, then generator arguments
  file=$1; shift
  "$PY" "$GEN" "$@" > "$OUT/$file.tmp"
  mv "$OUT/$file.tmp" "$OUT/$file"
  echo "wrote samples/$file ($(wc -c < "$OUT/$file") bytes, $(grep -c '^dn:' "$OUT/$file") entries)"
}

mkdir -p "$OUT"
gen corp-config.ldif --target export --part config --base "$CORP" --domain-sid "$CORP_SID" \
  --mix sample --virtual-servers 6 --receive-connectors 2 --smtp-connectors 1 \
  --extra-domain "$CHILD:$CHILD_SID:enabled"
gen corp-domain.ldif --target export --part domain --base "$CORP" --domain-sid "$CORP_SID" \
  --guest disabled
gen child-domain.ldif --target export --part domain --base "$CHILD" --forest-root "$CORP" \
  --domain-sid "$CHILD_SID" \
  --guest enabled

# Exchange 5.5 IMS registry exports (samples/ims/*.reg).
"$PY" "$ROOT/scripts/gen_ims_registry.py" "$OUT/ims"
