#!/usr/bin/env bash
# relayaudit analyze --mail-to, through a real sendmail, into the private Postfix of
# postfix_fixture.sh: the message arrives in the mailbox with its summary and both reports.
#   mail_end_to_end.sh RELAYAUDIT SOURCE_DIR FIXTURE_DIR
set -euo pipefail
relayaudit=$1; source=$2; B=$3
fail() { echo "FAIL: $*" >&2; [ -f "$B/maillog" ] && tail -20 "$B/maillog" >&2; exit 1; }
[ -x "$B/sendmail" ] || fail "the postfix fixture did not start (no $B/sendmail)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1767225600
set +e
"$relayaudit" analyze --no-config --ldif "$source/samples/corp-config.ldif" \
  --ldif "$source/samples/corp-domain.ldif" --html "$work/report.html" \
  --mail-to 'audit@audit.invalid, second@audit.invalid' --mail-from relayaudit@audit.invalid \
  --mail-when findings --sendmail "$B/sendmail" > "$work/out.txt" 2> "$work/err.txt"
rc=$?
set -e
[ "$rc" = 2 ] || fail "relayaudit exited $rc, expected 2 (findings): $(cat "$work/err.txt")"
mailbox=$B/vmail/mailbox
for _ in $(seq 300); do
  [ -f "$mailbox" ] && [ "$(grep -c '^From relayaudit@audit.invalid' "$mailbox")" -ge 2 ] && break
  sleep 0.1
done
[ -f "$mailbox" ] || fail "nothing was delivered to $mailbox within 30 s"
[ "$(grep -c '^From relayaudit@audit.invalid' "$mailbox")" = 2 ] || fail "expected one copy per recipient"
grep -q '^Subject: =?utf-8?B?' "$mailbox" || fail "no encoded Subject"
grep -q '^Auto-Submitted: auto-generated' "$mailbox" || fail "no Auto-Submitted header"
grep -q 'filename="relayaudit-report.html"' "$mailbox" || fail "no HTML attachment"
grep -q 'filename="relayaudit-report.xml"' "$mailbox" || fail "no XML attachment"
# The summary part (first base64 part) names the findings.
summary=$(awk '/^Content-Disposition: inline/{f=1} f==1&&/^$/{f=2;next} f==2&&/^--/{exit} f==2{print}' "$mailbox" | base64 -d 2>/dev/null || true)
echo "$summary" | grep -q 'Verdict: ACTION NEEDED' || fail "summary has no verdict: $summary"
echo "$summary" | grep -q "Report: $work/report.html" || fail "summary does not name the report"
echo "PASS: delivered to $mailbox"
