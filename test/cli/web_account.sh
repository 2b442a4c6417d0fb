#!/bin/sh
# "Tài khoản của tôi" against a real `chiso serve` on the demo: the e-mail
# address reminders go to (valid, invalid, cleared, CSRF) and the password
# change (wrong current password, mismatch, success ends the other sessions).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# expect NAME STATUS GOT [TEXT] — the status, and TEXT in the last page ($tmp/out)
expect() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, text: $4}" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 300)"; fi
}
sql() { sqlite3 "$tmp/chiso.db" "$@"; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok server-start; exit 1; }
U=ht.52101001
[ "$(signin "$tmp/a" $U)" = 303 ] && [ "$(signin "$tmp/other" $U)" = 303 ] || { notok signin; exit 1; }
page() { curl -s -b "$1" -c "$1" -o "$tmp/out" -w '%{http_code}' "$base$2"; }
# post JAR PATH field=value… (with the page's CSRF token)
post() {
	jar=$1 path=$2; shift 2
	c=$(form_csrf "$jar" /tai-khoan-cua-toi)
	n=$#
	for f in "$@"; do set -- "$@" --data-urlencode "$f"; done
	shift "$n"
	curl -s -b "$jar" -c "$jar" -o "$tmp/out" -w '%{http_code}' --data-urlencode "_csrf=$c" "$@" "$base$path"
}

expect page 200 "$(page "$tmp/a" /tai-khoan-cua-toi)" "Địa chỉ thư điện tử"
grep -q 'href="/tai-khoan-cua-toi"' "$tmp/out" && ok nav-link || notok nav-link
expect anonymous-redirected 303 "$(curl -s -o "$tmp/out" -w '%{http_code}' "$base/tai-khoan-cua-toi")"

# ---- e-mail ------------------------------------------------------------------------------
expect email-saved 303 "$(post "$tmp/a" /tai-khoan-cua-toi/thu-dien-tu "email=  hieutruong@truong.example.vn ")"
[ "$(sql "SELECT email FROM accounts WHERE login = '$U'")" = hieutruong@truong.example.vn ] && ok email-stored-trimmed || notok email-stored-trimmed
expect email-shown 200 "$(page "$tmp/a" /tai-khoan-cua-toi)" 'value="hieutruong@truong.example.vn"'
for bad in "khong-co-a-cong" "a@b" "a b@truong.example.vn" "x@y.vn, z@t.vn" "a@b@c.vn"; do
	expect "email-refused: $bad" 422 "$(post "$tmp/a" /tai-khoan-cua-toi/thu-dien-tu "email=$bad")" "không hợp lệ"
done
[ "$(sql "SELECT email FROM accounts WHERE login = '$U'")" = hieutruong@truong.example.vn ] && ok email-unchanged-after-refusals || notok email-unchanged-after-refusals
code=$(curl -s -b "$tmp/a" -o "$tmp/out" -w '%{http_code}' --data-urlencode "email=ke-gian@example.vn" "$base/tai-khoan-cua-toi/thu-dien-tu")
expect email-without-csrf 403 "$code"
[ "$(sql "SELECT email FROM accounts WHERE login = '$U'")" = hieutruong@truong.example.vn ] && ok email-csrf-changed-nothing || notok email-csrf-changed-nothing
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'account.%' AND after_json LIKE '%hieutruong@truong.example.vn%'")" -ge 1 ] && ok email-audited || notok email-audited
expect email-cleared 303 "$(post "$tmp/a" /tai-khoan-cua-toi/thu-dien-tu "email=")"
[ -z "$(sql "SELECT email FROM accounts WHERE login = '$U'")" ] && ok email-null || notok email-null

# ---- password ----------------------------------------------------------------------------
expect password-wrong-current 422 "$(post "$tmp/a" /doi-mat-khau old=sai-mat-khau new=matkhaumoi2025 again=matkhaumoi2025)" "Mật khẩu hiện tại không đúng."
expect password-mismatch 422 "$(post "$tmp/a" /doi-mat-khau old=chiso2025 new=matkhaumoi2025 again=matkhaumoi2026)" "không khớp"
expect password-too-short 422 "$(post "$tmp/a" /doi-mat-khau old=chiso2025 new=ngan again=ngan)"
expect password-changed 303 "$(post "$tmp/a" /doi-mat-khau old=chiso2025 new=matkhaumoi2025 again=matkhaumoi2025)"
expect password-this-session-kept 200 "$(page "$tmp/a" /tai-khoan-cua-toi)" "Tài khoản của tôi"
expect password-other-session-ended 303 "$(page "$tmp/other" /tai-khoan-cua-toi)"
[ "$(signin "$tmp/old" $U chiso2025)" != 303 ] && ok password-old-refused || notok password-old-refused
[ "$(signin "$tmp/new" $U matkhaumoi2025)" = 303 ] && ok password-new-accepted || notok password-new-accepted
server_clean server-clean
