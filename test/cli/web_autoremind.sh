#!/bin/sh
# Automatic reminders (issue 16, item 12), through a real local SMTP server
# (test/cli/lib/smtp_sink.py) with the scheduler's clock injected
# (CHISO_REMIND_TODAY): the system administrator sets the SMTP server on
# "Quản trị — Gửi thư" (its password stored sealed with the server secret,
# never in clear; the sink receives the login); the Sở's officer sets the
# round's reminders (3 days before, on the day, 2 days after); the server's
# job worker then sends each unit that has not sent its file one e-mail per
# slot — none to a unit that has, none twice across passes or restarts;
# the round's office is reminded of its own report to its superior too.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid= sinkpid=
trap 'stop_server; [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
mails() { find "$tmp/mail" -name '*.eml' | wc -l | tr -d ' '; }
# wait_mails N: up to 20 s for the sink to hold N messages
wait_mails() { i=0; while [ "$(mails)" -lt "$1" ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done; [ "$(mails)" = "$1" ]; }
# to_of ADDRESS: how many messages went to it
to_of() { grep -l "^X-Rcpt: <$1>" "$tmp"/mail/*.eml 2>/dev/null | wc -l | tr -d ' '; }
post_form() {   # post_form JAR PATH field=value…: the status
	jar=$1 url=$2; shift 2
	c=$(form_csrf "$jar" /)
	n=$#
	for f in "$@"; do set -- "$@" --data-urlencode "$f"; done
	shift "$n"
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$jar" --data-urlencode "_csrf=$c" "$@" "$base$url"
}

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
db="$tmp/chiso.db"
mkdir -p "$tmp/mail"
python3 "$(dirname "$0")/lib/smtp_sink.py" "$tmp/mail" >"$tmp/sink.port" 2>"$tmp/sink.log" &
sinkpid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/sink.port" ] && break; sleep 0.2; done
R=$(sqlite3 "$db" "select r.id from rounds r join assessments a on a.round_id = r.id join units u on u.id = a.unit_id where u.code = '52101001' and r.state = 'open'")
aid() { sqlite3 "$db" "select a.id from assessments a join units u on u.id = a.unit_id where u.code = '$1' and a.round_id = $R"; }
A1=$(aid 52101001) A2=$(aid 52100001) SENT=$(aid 52102001)
# the deadline 20/01/2027; three principals with an address: two files open, one sent
sqlite3 "$db" "update rounds set self_due = '2027-01-20', report_due = '2027-01-30' where id = $R;
	update assessments set extended_until = null where id in ($A1, $A2);
	update accounts set email = 'ht1@truong.example.vn' where login = 'ht.52101001';
	update accounts set email = 'ht2@truong.example.vn' where login = 'ht.52100001';
	update accounts set email = 'ht3@truong.example.vn' where login = 'ht.52102001';" || { notok setup; exit 1; }

start_server CHISO_REMIND_TODAY=2027-01-17 CHISO_REMIND_INTERVAL=1 CHISO_SMTP_URL= CHISO_SMTP_FROM= || { notok server-start; exit 1; }
[ "$(signin "$tmp/admin" admin)" = 303 ] && [ "$(signin "$tmp/so" so.binhdinh)" = 303 ] || { notok signin; exit 1; }

# the SMTP server, on the administration page
check smtp-page-officer-403 [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" "$base/quan-tri/thu")" = 403 ]
check smtp-bad-url-422 [ "$(post_form "$tmp/admin" /quan-tri/thu url=http://x from=cds@sgddt.example.vn)" = 422 ]
check inbox-says-unconfigured sh -c "curl -s -b '$tmp/so' '$base/dot/$R' | grep -q 'Chưa cấu hình gửi thư — hãy liên hệ quản trị hệ thống'"
check smtp-save [ "$(post_form "$tmp/admin" /quan-tri/thu "url=smtp://127.0.0.1:$(cat "$tmp/sink.port")" from=cds@sgddt.example.vn \
	user=chiso.mailer password=Mk-bi-mat-2027 insecure=1)" = 303 ]
sealed=$(sqlite3 "$db" "select value from server_settings where key = 'smtp.password'")
check smtp-password-sealed sh -c "case '$sealed' in v1:*) ! grep -q 'Mk-bi-mat' '$db' ;; *) false ;; esac"
check smtp-password-not-shown sh -c "! curl -s -b '$tmp/admin' '$base/quan-tri/thu' | grep -q 'Mk-bi-mat'"
check smtp-password-not-audited [ "$(sqlite3 "$db" "select count(*) from audit_log where after_json like '%Mk-bi-mat%'")" = 0 ]

# the round's settings
check settings-school-403 [ "$( [ "$(signin "$tmp/ht" ht.52101001)" = 303 ] && post_form "$tmp/ht" "/dot/$R/nhac-tu-dong" truoc=3)" = 403 ]
check settings-bad-422 [ "$(post_form "$tmp/so" "/dot/$R/nhac-tu-dong" truoc=abc)" = 422 ]
check settings-save [ "$(post_form "$tmp/so" "/dot/$R/nhac-tu-dong" truoc=3 dung_ngay=1 sau=2)" = 303 ]
check settings-shown sh -c "curl -s -b '$tmp/so' '$base/dot/$R' | grep -q '3 ngày trước hạn; đúng ngày hết hạn; 2 ngày sau hạn'"

# 17/01: three days before
check before-sent wait_mails 2
check before-to-open-files [ "$(to_of ht1@truong.example.vn)" = 1 ] && [ "$(to_of ht2@truong.example.vn)" = 1 ]
check before-not-to-sent-file [ "$(to_of ht3@truong.example.vn)" = 0 ]
check before-login-decrypted grep -qx 'chiso.mailer Mk-bi-mat-2027' "$tmp/mail/auth.log"
m=$(grep -l '^X-Rcpt: <ht1@' "$tmp"/mail/*.eml | head -1)
check before-message python3 -c '
import email, email.header, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw.split(b"\r\n", 1)[1])
subj = str(email.header.make_header(email.header.decode_header(m["Subject"])))
body = m.get_payload(decode=True).decode()
assert subj.startswith("Nhắc hạn gửi hồ sơ") and "Nguyễn Bỉnh Khiêm" in subj, subj
assert "còn 3 ngày nữa là hết hạn gửi hồ sơ (20/01/2027)" in body and "/danh-gia/" + sys.argv[2] in body, body
assert "cds@sgddt.example.vn" in m["From"], m["From"]
' "$m" "$A1"
check before-slots-taken [ "$(sqlite3 "$db" "select count(*) from reminder_slots where assessment_id in ($A1, $A2) and slot = 'before' and deadline = '2027-01-20'")" = 2 ]
sleep 3
check before-never-twice [ "$(mails)" = 2 ]
stop_server
start_server CHISO_REMIND_TODAY=2027-01-17 CHISO_REMIND_INTERVAL=1 CHISO_SMTP_URL= CHISO_SMTP_FROM= || { notok server-restart; exit 1; }
sleep 3
check before-never-twice-after-restart [ "$(mails)" = 2 ]
stop_server

# 20/01: on the day; 22/01: two days after
start_server CHISO_REMIND_TODAY=2027-01-20 CHISO_REMIND_INTERVAL=1 CHISO_SMTP_URL= CHISO_SMTP_FROM= || { notok server-day; exit 1; }
check day-sent wait_mails 4
check day-words sh -c "grep -l '^X-Rcpt: <ht1@' '$tmp'/mail/*.eml | xargs -n1 python3 -c '
import email, sys
raw = open(sys.argv[1], \"rb\").read()
print(email.message_from_bytes(raw.split(b\"\\r\\n\", 1)[1]).get_payload(decode=True).decode())' 2>/dev/null | grep -q 'hôm nay (20/01/2027) là hạn cuối'"
stop_server
start_server CHISO_REMIND_TODAY=2027-01-22 CHISO_REMIND_INTERVAL=1 CHISO_SMTP_URL= CHISO_SMTP_FROM= || { notok server-after; exit 1; }
check after-sent wait_mails 6
sleep 2
check after-never-twice [ "$(mails)" = 6 ]
check after-not-to-sent-file [ "$(to_of ht3@truong.example.vn)" = 0 ]
# (in the order recorded: rowid breaks a tie of two slots taken within one second)
check slots-by-kind [ "$(sqlite3 "$db" "select group_concat(slot, ',') from (select slot from reminder_slots where assessment_id = $A1 order by at, rowid)")" = "before,day,after" ]
# the round's own report to its superior (issue 11, item 4): three days
# before the report deadline (30/01/2027) the Sở's head is reminded, once
sqlite3 "$db" "update accounts set email = 'so@sgddt.example.vn' where login = 'so.binhdinh'"
stop_server
start_server CHISO_REMIND_TODAY=2027-01-28 CHISO_REMIND_INTERVAL=1 CHISO_SMTP_URL= CHISO_SMTP_FROM= || { notok server-report; exit 1; }
check report-reminder-sent wait_mails 7
m=$(grep -l '^X-Rcpt: <so@sgddt.example.vn>' "$tmp"/mail/*.eml | head -1)
cat >"$tmp/subj.py" <<'PY'
import email, email.header, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw.split(b"\r\n", 1)[1])
s = str(email.header.make_header(email.header.decode_header(m["Subject"])))
b = m.get_payload(decode=True).decode()
sys.exit(0 if s.startswith(sys.argv[2]) and all(x in b for x in sys.argv[3:]) else 1)
PY
check report-reminder-subject python3 "$tmp/subj.py" "${m:-/dev/null}" "Nhắc hạn gửi báo cáo kết quả" \
	"còn 2 ngày nữa là hết hạn gửi báo cáo (30/01/2027)" "/dot/$R/bao-cao-cap-tren"
sleep 2
check report-reminder-never-twice [ "$(mails)" = 7 ]
check report-slot-recorded [ "$(sqlite3 "$db" "select group_concat(slot) from report_reminder_slots where round_id = $R")" = before ]
server_clean server-clean-exit
