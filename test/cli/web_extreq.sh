#!/bin/sh
# "Xin gia hạn" (issue 16, item 5): with the current round's deadline
# passed, a school that has not sent its file asks the evaluating office
# for more time, with a reason, from its home (the form offers the same);
# the request lands in the office's inbox ("Hộp hồ sơ"), where it is
# granted with a new date (the unit's extension) or refused with a reason;
# the school reads the answer. A second request while one waits is refused;
# a request without a reason stores nothing; another school's principal
# cannot ask for this one; a school far from its deadline gets no form;
# a dissolved unit (the former Sở of Bình Định) gets none either.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
flat() { tr -s ' \n' ' '; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
db="$tmp/chiso.db"
rid=$(sqlite3 "$db" "select id from rounds where state = 'open' order by id limit 1")
aid=$(sqlite3 "$db" "select a.id from assessments a join units u on u.id = a.unit_id where u.code = '52101001' and a.round_id = $rid")
bid=$(sqlite3 "$db" "select a.id from assessments a join units u on u.id = a.unit_id where u.code = '52103001' and a.round_id = $rid")
sqlite3 "$db" "update rounds set self_due = '$(date -d '+30 days' +%F)' where id = $rid" || { notok far-deadline; exit 1; }
start_server || { notok server-start; exit 1; }
[ "$(signin "$tmp/ht" ht.52101001)" = 303 ] && [ "$(signin "$tmp/so" so.binhdinh)" = 303 ] &&
	[ "$(signin "$tmp/other" ht.52102001)" = 303 ] || { notok signin; exit 1; }

# far from the deadline: no form on the home
curl -s -b "$tmp/ht" "$base/" | flat >"$tmp/far.html"
check far-no-form sh -c "! grep -q 'action=\"/danh-gia/$aid/xin-gia-han\"' '$tmp/far.html'"
c=$(form_csrf "$tmp/ht" /)
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht" --data-urlencode "_csrf=$c" --data-urlencode "ly_do=x" "$base/danh-gia/$aid/xin-gia-han")
check far-refused [ "$st" = 409 ]

# the deadline passes (the server reads it on each request)
sqlite3 "$db" "update rounds set self_due = '2026-01-05' where id = $rid" || { notok move-deadline; exit 1; }
curl -s -b "$tmp/ht" "$base/" | flat >"$tmp/home.html"
check home-offers-request grep -q "action=\"/danh-gia/$aid/xin-gia-han\".*Lý do xin gia hạn (gửi đến Sở Giáo dục và Đào tạo[^<)]*).*Xin gia hạn</button>" "$tmp/home.html"
curl -s -b "$tmp/ht" "$base/danh-gia/$aid" | flat >"$tmp/form.html"
check form-offers-request grep -q "action=\"/danh-gia/$aid/xin-gia-han\".*name=\"tro_ve\" value=\"/danh-gia/$aid\"" "$tmp/form.html"

c=$(form_csrf "$tmp/ht" /)
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht" --data-urlencode "_csrf=$c" --data-urlencode "ly_do=  " "$base/danh-gia/$aid/xin-gia-han")
check no-reason-refused [ "$st" = 422 ]
check no-reason-nothing-stored [ "$(sqlite3 "$db" "select count(*) from extension_requests")" = 0 ]
c2=$(form_csrf "$tmp/other" /)
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/other" --data-urlencode "_csrf=$c2" --data-urlencode "ly_do=x" "$base/danh-gia/$aid/xin-gia-han")
check other-school-refused [ "$st" = 403 ]

loc=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$tmp/ht" --data-urlencode "_csrf=$c" --data-urlencode "tro_ve=/danh-gia/$aid" \
	--data-urlencode "ly_do=Trường bị ngập sau bão, mất điện 5 ngày" "$base/danh-gia/$aid/xin-gia-han")
check request-back-to-form sh -c "echo '$loc' | grep -q '/danh-gia/$aid?tb=gh-da-gui'"
check request-stored [ "$(sqlite3 "$db" "select count(*) from extension_requests where assessment_id = $aid and status = 0")" = 1 ]
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht" --data-urlencode "_csrf=$c" --data-urlencode "ly_do=lần hai" "$base/danh-gia/$aid/xin-gia-han")
check second-while-waiting-refused [ "$st" = 409 ]
curl -s -b "$tmp/ht" "$base/" | flat >"$tmp/home2.html"
check school-sees-waiting grep -q 'Trường bị ngập sau bão, mất điện 5 ngày): <strong>đang chờ Sở Giáo dục và Đào tạo' "$tmp/home2.html"
check no-form-while-waiting sh -c "! grep -q 'action=\"/danh-gia/$aid/xin-gia-han\"' '$tmp/home2.html'"

# the office's inbox
curl -s -b "$tmp/so" "$base/dot/$rid/hop-thu" | flat >"$tmp/inbox.html"
check inbox-lists-request grep -q "Đơn xin gia hạn chờ trả lời (1).*data-assessment=\"$aid\".*Trường bị ngập sau bão" "$tmp/inbox.html"
req=$(sqlite3 "$db" "select id from extension_requests where assessment_id = $aid")
c3=$(form_csrf "$tmp/so" "/dot/$rid/hop-thu")
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/other" --data-urlencode "_csrf=$c2" --data-urlencode "quyet=gia-han" \
	--data-urlencode "han=2099-01-01" "$base/dot/$rid/xin-gia-han/$req")
check school-cannot-answer [ "$st" = 403 ]
until=$(date -d '+14 days' +%F)
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" --data-urlencode "_csrf=$c3" --data-urlencode "quyet=gia-han" \
	--data-urlencode "han=$until" "$base/dot/$rid/xin-gia-han/$req")
check grant-303 [ "$st" = 303 ]
check grant-extends [ "$(sqlite3 "$db" "select extended_until from assessments where id = $aid")" = "$until" ]
check grant-history [ "$(sqlite3 "$db" "select count(*) from deadline_extensions where assessment_id = $aid")" = 1 ]
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" --data-urlencode "_csrf=$c3" --data-urlencode "quyet=tu-choi" \
	--data-urlencode "tra_loi=x" "$base/dot/$rid/xin-gia-han/$req")
check answered-once [ "$st" = 409 ]
curl -s -b "$tmp/ht" "$base/" | flat >"$tmp/home3.html"
dmy=$(date -d "$until" +%d/%m/%Y)
check school-sees-grant grep -q "được gia hạn đến $dmy" "$tmp/home3.html"
check no-late-warning-after-grant sh -c "! grep -q 'Đã quá hạn gửi hồ sơ' '$tmp/home3.html'"

# a refusal, with its reason, on another late school
sqlite3 "$db" "insert into extension_requests (assessment_id, reason, requested_at) values ($bid, 'cần thêm thời gian', '2026-01-06T01:00:00Z')"
req2=$(sqlite3 "$db" "select id from extension_requests where assessment_id = $bid")
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" --data-urlencode "_csrf=$c3" --data-urlencode "quyet=tu-choi" "$base/dot/$rid/xin-gia-han/$req2")
check refuse-needs-reason [ "$st" = 422 ]
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" --data-urlencode "_csrf=$c3" --data-urlencode "quyet=tu-choi" \
	--data-urlencode "tra_loi=Đã quá hạn quá lâu" "$base/dot/$rid/xin-gia-han/$req2")
check refuse-303 [ "$st" = 303 ]
check refuse-no-extension [ -z "$(sqlite3 "$db" "select extended_until from assessments where id = $bid")" ]
[ "$(signin "$tmp/b" ht.52103001)" = 303 ] || notok signin-b
curl -s -b "$tmp/b" "$base/" | flat >"$tmp/homeb.html"
check school-sees-refusal grep -q 'không được gia hạn</strong> — Đã quá hạn quá lâu' "$tmp/homeb.html"
check audited [ "$(sqlite3 "$db" "select count(*) from audit_log where action in ('extension.request', 'extension.grant', 'extension.refuse')")" = 3 ]
# the dissolved Sở of Bình Định (relations ended on 1/7/2025): its own 3806
# file in the 2024-2025 office round is long overdue, but nobody is left to
# grant it more time — no form on the Gia Lai Sở's home, and a request is refused
old=$(sqlite3 "$db" "select a.id from assessments a join units u on u.id = a.unit_id join rounds r on r.id = a.round_id where u.code = '52000001' and r.state = 'open' and a.state in ('not_started', 'draft', 'self_assessed', 'approved', 'returned') and r.self_due < date('now')")
check dissolved-file-overdue [ -n "$old" ]
curl -s -b "$tmp/so" "$base/" | flat >"$tmp/homeso.html"
check dissolved-no-form sh -c "! grep -q 'action=\"/danh-gia/${old:-0}/xin-gia-han\"' '$tmp/homeso.html' && ! grep -q 'Xin gia hạn</button>' '$tmp/homeso.html'"
c4=$(form_csrf "$tmp/so" /)
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" --data-urlencode "_csrf=$c4" --data-urlencode "ly_do=x" "$base/danh-gia/${old:-0}/xin-gia-han")
check dissolved-request-refused [ "$st" = 409 ]
server_clean server-clean-exit
