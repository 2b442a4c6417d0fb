#!/bin/sh
# The office's round documents the seeds name (issue 11 item 7), on the demo
# data set's open round of the Sở: the visit schedule stored through the
# round's "Lịch kiểm tra" page (a unit of the round, a day, members of the
# round's team; conflicts flagged, never refused), then the plan (kế hoạch
# with its timeline), the schedule (lịch kiểm tra) and the list proposed
# for recognition (tờ trình with its annexed list) made from the round's
# Văn bản tab, read back with pdftotext the way a clerk checks them: the
# ND 30 header, the Căn cứ, every count equal to the database's, the
# conflicts flagged; and the XLSX lists equal to the database's rows.
set -u
CHISO=${CHISO:-build/chiso}
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got '$2', wanted '$3'"; fi; }

demo_fixture || { notok demo-fixture; exit 1; }
db=$tmp/chiso.db
q() { sqlite3 "$db" "$1"; }
start_server || { notok server; exit 1; }

R=$(q "select r.id from rounds r join units o on o.id = r.office_unit_id where o.type = 'so' and r.state = 'open' order by r.id limit 1")
[ -n "$R" ] && ok demo-open-round || { notok demo-open-round; exit 1; }
team() { q "select m.account_id from external_team_members m join external_teams t on t.id = m.team_id where t.round_id = $R and m.post = '$1' order by m.account_id limit 1"; }
HEAD=$(team truong_doan)
SEC=$(team thu_ky)
MEM=$(team thanh_vien)
HEAD_NAME=$(q "select full_name from accounts where id = $HEAD")
OUTSIDER=$(q "select id from accounts where id not in (select m.account_id from external_team_members m join external_teams t on t.id = m.team_id where t.round_id = $R) order by id limit 1")
unit() { q "select a.unit_id from assessments a join units u on u.id = a.unit_id where a.round_id = $R order by u.code limit 1 offset $1"; }
U1=$(unit 0)
U2=$(unit 1)
U3=$(unit 2)
U1_NAME=$(q "select name from units where id = $U1")
check demo-team [ -n "$HEAD" ] && [ -n "$SEC" ] && [ -n "$MEM" ] && [ -n "$U3" ] && [ -n "$OUTSIDER" ]

jar=$tmp/so.jar
is signin "$(signin "$jar" so.binhdinh)" 303
csrf=$(form_csrf "$jar" "/dot/$R/lich-kiem-tra")
other=$tmp/phong.jar
signin "$other" phong.quynhon >/dev/null
ocsrf=$(form_csrf "$other" /)
# post JAR CSRF PATH field=value… → status, body in $tmp/out
post() {
	j=$1 c=$2 url=$3
	shift 3
	n=$#
	for f in "$@"; do set -- "$@" --data-urlencode "$f"; done
	shift "$n"
	curl -s -b "$j" -c "$j" -o "$tmp/out" -w '%{http_code}' --data-urlencode "_csrf=$c" "$@" "$base$url"
}

# ---- the schedule: the page, the form, the rules -------------------------------------------
code=$(curl -s -b "$jar" -o "$tmp/page.html" -w '%{http_code}' "$base/dot/$R/lich-kiem-tra")
is schedule-page "$code" 200
check schedule-tab grep -q 'aria-current="page">Lịch kiểm tra' "$tmp/page.html"
check schedule-form grep -q "name=\"tv\" value=\"$HEAD\"" "$tmp/page.html"
is add-1 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U1" ngay=2027-01-05 tv="$HEAD" tv="$SEC")" 303
# the secretary again on the 5th elsewhere: a member in two places the same day
is add-2 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U2" ngay=2027-01-05 tv="$SEC" tv="$MEM")" 303
# unit 1 again on the 6th: a unit visited twice
is add-3 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U1" ngay=2027-01-06 tv="$MEM" "ghi_chu=Kiểm tra bổ sung")" 303
is add-4 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" ngay=2027-01-07 tv="$HEAD")" 303
is outsider-refused "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" ngay=2027-01-08 tv="$OUTSIDER")" 422
check outsider-message grep -q 'không thuộc Đoàn kiểm tra của đợt' "$tmp/out"
foreign=$(q "select id from units where id not in (select unit_id from assessments where round_id = $R) order by id limit 1")
is foreign-unit-refused "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$foreign" ngay=2027-01-08 tv="$HEAD")" 422
is no-member-422 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" ngay=2027-01-08)" 422
is no-date-400 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" tv="$HEAD")" 400
is bad-date-400 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" ngay=2027-02-30 tv="$HEAD")" 400
is other-office-403 "$(post "$other" "$ocsrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" ngay=2027-01-08 tv="$HEAD")" 403
is visits-stored "$(q "select count(*) from round_visits where round_id = $R")" 4
is members-stored "$(q "select count(*) from round_visit_members m join round_visits v on v.id = m.visit_id where v.round_id = $R")" 6
curl -s -b "$jar" -o "$tmp/page.html" "$base/dot/$R/lich-kiem-tra"
check page-flags-member grep -q "Trùng lịch: $(q "select full_name from accounts where id = $SEC") cùng ngày kiểm tra" "$tmp/page.html"
check page-flags-unit grep -q 'Đơn vị có hai lịch (ngày 05/01/2027 và 06/01/2027)' "$tmp/page.html"
is page-conflict-rows "$(grep -o '<tr class="conflict"' "$tmp/page.html" | wc -l)" 3
# removing a visit and adding it back
V4=$(q "select id from round_visits where round_id = $R and unit_id = $U3")
is remove "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra/xoa" lich="$V4")" 303
is removed "$(q "select count(*) from round_visits where round_id = $R")" 3
is remove-again-404 "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra/xoa" lich="$V4")" 404
is add-4-again "$(post "$jar" "$csrf" "/dot/$R/lich-kiem-tra" don_vi="$U3" ngay=2027-01-07 tv="$HEAD")" 303

# ---- the documents from the Văn bản tab ------------------------------------------------------
curl -s -b "$jar" -o "$tmp/docs.html" "$base/dot/$R/van-ban"
for alias in ke-hoach-kiem-tra lich-kiem-tra de-nghi-cong-nhan; do
	check "tab-offers-$alias" grep -q "loai=$alias" "$tmp/docs.html"
done
# "ngày 07 tháng 12 năm 2026" (ND 30: days below 10 and months below 3 with a leading zero)
date_words() { python3 -c 'import sys; y, m, d = map(int, sys.argv[1].split("-")); print(f"ngày {d:02d} tháng {m:02d} năm {y}" if m < 3 else f"ngày {d:02d} tháng {m} năm {y}")' "$1"; }
make_doc() {   # make_doc ALIAS FORMAT OUT [field=value…]
	a=$1 f=$2 o=$3
	shift 3
	n=$#
	for x in "$@"; do set -- "$@" --data-urlencode "$x"; done
	shift "$n"
	curl -s -b "$jar" -o "$o" -w '%{http_code} %{content_type}' --data-urlencode "_csrf=$csrf" --data-urlencode "loai=$a" \
		--data-urlencode "dinh_dang=$f" "$@" "$base/dot/$R/van-ban"
}
text() { pdftotext "$1" - | tr '\n' ' ' | sed 's/  */ /g'; }
for a in ke-hoach-kiem-tra lich-kiem-tra de-nghi-cong-nhan; do
	got=$(make_doc "$a" pdf "$tmp/$a.pdf" cap_so=1)
	is "pdf-$a" "$got" "200 application/pdf"
	text "$tmp/$a.pdf" >"$tmp/$a.txt"
	# ND 30: the managing body over the issuer, the national name and motto, the number
	check "header-issuer-$a" grep -q '^UBND TỈNH GIA LAI SỞ GIÁO DỤC VÀ ĐÀO TẠO ' "$tmp/$a.txt"
	check "header-nation-$a" grep -q 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' "$tmp/$a.txt"
	check "header-motto-$a" grep -q 'Độc lập - Tự do - Hạnh phúc' "$tmp/$a.txt"
	check "header-number-$a" grep -q 'Số: [0-9][0-9]*/\(KH\|TB\|TTr\)-SGDĐT' "$tmp/$a.txt"
	check "nd30-place-date-$a" grep -q "Gia Lai, $(date_words "$(TZ=Asia/Ho_Chi_Minh date +%F)")" "$tmp/$a.txt"
	got=$(make_doc "$a" docx "$tmp/$a.docx")
	is "docx-$a" "$got" "200 application/vnd.openxmlformats-officedocument.wordprocessingml.document"
done
# numbered by the register: KH, TB, TTr of the Sở, in the year's register
for s in KH TB TTr; do
	n=$(q "select number from document_register where object_type = 'round' and object_id = $R and number like '%/$s-%' order by id desc limit 1")
	check "register-$s" [ -n "$n" ]
done
kh=$(q "select number from document_register where object_type = 'round' and object_id = $R and number like '%/KH-%'")
check plan-number-printed grep -qF "Số: $kh" "$tmp/ke-hoach-kiem-tra.txt"
# the plan issued with its number is the round's plan the other documents cite
is plan-is-the-rounds "$(q "select number from round_plans where round_id = $R")" "$kh"
check schedule-cites-plan grep -qF "Căn cứ Kế hoạch số $kh ngày" "$tmp/lich-kiem-tra.txt"
check proposal-cites-plan grep -qF "Căn cứ Kế hoạch số $kh ngày" "$tmp/de-nghi-cong-nhan.txt"

# the plan: the Căn cứ, the scope counted by type, the timeline of the round's dates
P=$tmp/ke-hoach-kiem-tra.txt
check plan-title grep -q 'KẾ HOẠCH Kiểm tra, đánh giá mức độ chuyển đổi số của các cơ sở giáo dục năm học' "$P"
check plan-basis grep -q 'Căn cứ Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022' "$P"
total=$(q "select count(*) from assessments where round_id = $R")
check plan-total grep -q "tổng số $total đơn vị" "$P"
for t in thcs tieu_hoc mam_non thpt; do
	n=$(q "select count(*) from assessments a join units u on u.id = a.unit_id where a.round_id = $R and u.type = '$t'")
	[ "$n" = 0 ] && continue
	case $t in thcs) label='THCS' ;; tieu_hoc) label='Tiểu học' ;; mam_non) label='Mầm non' ;; thpt) label='THPT' ;; esac
	check "plan-count-$t" grep -q "$label: $n[;.]" "$P"
done
self_due=$(q "select strftime('%d/%m/%Y', self_due) from rounds where id = $R")
report_due=$(q "select strftime('%d/%m/%Y', report_due) from rounds where id = $R")
check plan-self-due grep -q "Trước ngày $self_due" "$P"
check plan-report-due grep -q "Trước ngày $report_due" "$P"
check plan-visits-span grep -q 'Từ ngày 05/01/2027 đến ngày 07/01/2027 (theo lịch kiểm tra)' "$P"
ntargets=$(q "select count(*) from round_targets where round_id = $R")
is plan-targets "$(grep -o '[0-9]*%\.' "$P" | wc -l)" "$ntargets"

# the schedule: every visit, the conflicts flagged
S=$tmp/lich-kiem-tra.txt
check schedule-title grep -q 'THÔNG BÁO Lịch kiểm tra, đánh giá ngoài mức độ chuyển đổi số' "$S"
check schedule-basis-plan grep -q 'Căn cứ Kế hoạch' "$S"
check schedule-basis-team grep -q "Căn cứ Quyết định số $(q "select d.number from external_teams t join decisions d on d.id = t.decision_id where t.round_id = $R")" "$S"
nv=$(q "select count(*) from round_visits where round_id = $R")
nu=$(q "select count(distinct unit_id) from round_visits where round_id = $R")
check schedule-total grep -q "Tổng số: $nv lượt kiểm tra tại $nu đơn vị; số đơn vị của đợt chưa có lịch kiểm tra: $((total - nu))." "$S"
check schedule-member-flag grep -q "TRÙNG LỊCH: $(q "select full_name from accounts where id = $SEC") cùng ngày kiểm tra" "$S"
check schedule-unit-flag grep -q 'ĐƠN VỊ CÓ HAI LỊCH: ngày 05/01/2027 và ngày 06/01/2027' "$S"
check schedule-conflicts-counted grep -q 'Lưu ý: lịch có 2 trường hợp trùng lịch: 1 trường hợp một thành viên kiểm tra hai nơi trong cùng một ngày, 1 trường hợp một đơn vị được kiểm tra hai lần' "$S"
check schedule-names-unit grep -qF "$U1_NAME" "$S"

# the list proposed: external evaluation finished, at the external level
D=$tmp/de-nghi-cong-nhan.txt
want() { q "select count(*) from assessments where round_id = $R and state in ('evaluated', 'recognised', 'published') and external_level $1"; }
w_all=$(want '> 0')
line=$(grep -o 'đề nghị [^.]*công nhận mức độ chuyển đổi số năm học [^.]*\.' "$D" | head -1)
is proposal-total "$(printf '%s' "$line" | sed -n 's/.*đối với \([0-9]*\) cơ sở.*/\1/p')" "$w_all"
is proposal-levels "$(printf '%s' "$line" | sed -n 's/.*Mức 3: \([0-9]*\) đơn vị; Mức 2: \([0-9]*\) đơn vị; Mức 1: \([0-9]*\) đơn vị.*/\1 \2 \3/p')" "$(want '= 3') $(want '= 2') $(want '= 1')"
check proposal-pending grep -q "chưa đưa vào danh sách: $((total - w_all))\." "$D"
check proposal-basis-team grep -q 'Căn cứ Quyết định số' "$D"
check proposal-signed-by-head grep -qF "$HEAD_NAME" "$D"
annex=$(sed 's/.*DANH SÁCH CƠ SỞ GIÁO DỤC ĐỀ NGHỊ CÔNG NHẬN//' "$D")
is proposal-annex-rows "$(printf '%s' "$annex" | grep -o 'Mức [123] Mức [123]' | wc -l)" "$w_all"

# ---- the workbooks: the same rows -------------------------------------------------------------
xrows() {
	python3 - "$1" <<'PY'
import re, sys, zipfile
sheet = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
print(len([r for r in re.findall(r'<row r="(\d+)"', sheet) if int(r) >= 5]))
PY
}
is xlsx-schedule "$(make_doc lich-kiem-tra xlsx "$tmp/s.xlsx")" "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
is xlsx-schedule-rows "$(xrows "$tmp/s.xlsx")" "$nv"
is xlsx-proposal "$(make_doc de-nghi-cong-nhan xlsx "$tmp/p.xlsx")" "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
is xlsx-proposal-rows "$(xrows "$tmp/p.xlsx")" "$w_all"
is plan-no-xlsx "$(make_doc ke-hoach-kiem-tra xlsx "$tmp/k.xlsx" | cut -c1-3)" 422

server_clean server-clean
