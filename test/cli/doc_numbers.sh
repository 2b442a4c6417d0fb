#!/bin/sh
# A document's numbers are the database's (issue 12, item 1), on the demo data
# set: the recognition decision of the current round recognises exactly the
# units of its decision — Điều 1's total, each level's count, the annex's rows
# in the PDF and the XLSX's list all equal what the database holds.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
db=$tmp/chiso.db
q() { sqlite3 "$db" "$1"; }
dec=$(q "select max(recognition_decision_id) from assessments")
round=$(q "select round_id from assessments where recognition_decision_id = $dec limit 1")
[ -n "$dec" ] && [ -n "$round" ] || { notok demo-has-decision; exit 1; }
want_total=$(q "select count(*) from assessments where recognition_decision_id = $dec and recognised_level > 0")
want1=$(q "select count(*) from assessments where recognition_decision_id = $dec and recognised_level = 1")
want2=$(q "select count(*) from assessments where recognition_decision_id = $dec and recognised_level = 2")
want3=$(q "select count(*) from assessments where recognition_decision_id = $dec and recognised_level = 3")
others=$(q "select count(*) from assessments where round_id = $round and (recognition_decision_id is null or recognition_decision_id <> $dec)")
check round-has-other-units [ "$others" -gt 0 ]   # else the test would prove nothing

"$CHISO" doc recognition --round "$round" --format pdf --db "$db" --out "$tmp/qd.pdf" >/dev/null 2>&1 &&
"$CHISO" doc recognition --round "$round" --format xlsx --db "$db" --out "$tmp/qd.xlsx" >/dev/null 2>&1 ||
	{ notok documents-made; exit 1; }
pdftotext "$tmp/qd.pdf" - | tr '\n' ' ' | sed 's/  */ /g' >"$tmp/qd.txt"
art1=$(grep -o 'Điều 1\. Công nhận[^.]*\.' "$tmp/qd.txt")
got_total=$(printf '%s' "$art1" | sed -n 's/.*đối với \([0-9]*\) cơ sở.*/\1/p')
got3=$(printf '%s' "$art1" | sed -n 's/.*Mức 3: \([0-9]*\) đơn vị.*/\1/p')
got2=$(printf '%s' "$art1" | sed -n 's/.*Mức 2: \([0-9]*\) đơn vị.*/\1/p')
got1=$(printf '%s' "$art1" | sed -n 's/.*Mức 1: \([0-9]*\) đơn vị.*/\1/p')
check article1-total-is-database [ "$got_total" = "$want_total" ]
check article1-levels-are-database [ "$got3 $got2 $got1" = "$want3 $want2 $want1" ]
check article1-levels-add-up [ "$((got3 + got2 + got1))" = "$got_total" ]
# the annex: one row a unit, each with its level, none without one
annex=$(sed 's/.*DANH SÁCH CƠ SỞ GIÁO DỤC ĐƯỢC CÔNG NHẬN//' "$tmp/qd.txt")
rows=$(printf '%s' "$annex" | grep -o 'Mức [123]' | wc -l)
check annex-rows-are-database [ "$rows" = "$want_total" ]
check annex-no-unlevelled-unit [ "$(printf '%s' "$annex" | grep -c 'Chưa xếp mức')" = 0 ]
# the workbook's list: the same units
xrows=$(python3 - "$tmp/qd.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
# data rows start at row 5 (title, subtitle, blank, header)
print(len([r for r in re.findall(r'<row r="(\d+)"', sheet) if int(r) >= 5]))
PY
)
check xlsx-list-is-database [ "$xrows" = "$want_total" ]
# the legal bases (issue 12, item 2): the Ministry's decision, never another
# office's local form (the demo's preschools are scored with Quận 7's form)
check basis-ministry-decision grep -q 'Căn cứ Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022' "$tmp/qd.txt"
check basis-no-local-form-of-another-office sh -c "! grep -q 'Quận 7' '$tmp/qd.txt'"
"$CHISO" doc team --round "$round" --format pdf --db "$db" --out "$tmp/team.pdf" >/dev/null 2>&1
check team-basis-no-local-form sh -c "pdftotext '$tmp/team.pdf' - | tr '\n' ' ' | grep -q 'Căn cứ Quyết định số 4725' && ! pdftotext '$tmp/team.pdf' - | grep -q 'Quận 7'"
# the name line carries the name alone, the title is in the caption (issue 12, item 4)
check signer-name-alone sh -c "! grep -q 'Nguyễn Thanh Hùng — ' '$tmp/qd.txt' && grep -q 'GIÁM ĐỐC' '$tmp/qd.txt'"
pre=$(q "select a.id from assessments a join units u on u.id = a.unit_id where a.round_id = $round and u.type = 'mam_non' and a.state <> 'not_started' limit 1")
"$CHISO" doc report --assessment "$pre" --format pdf --db "$db" --out "$tmp/pre.pdf" >/dev/null 2>&1
check preschool-report-no-local-form-of-another-office sh -c "pdftotext '$tmp/pre.pdf' - | grep -q 'Kết quả tự đánh giá' && ! pdftotext '$tmp/pre.pdf' - | grep -q 'Quận 7'"
# the preschool report follows seed 003's headings (issue 12, item 7): part II.1's six
# headings, part 2's title, the contact of criterion 2.1 — dots until entered, then the data
pt1() { pdftotext "$1" - | tr '\n' ' ' | sed 's/  */ /g'; }
pt1 "$tmp/pre.pdf" >"$tmp/pre.txt"
for h in '1. Công tác ứng dụng công nghệ thông tin và chuyển đổi số khác' \
	'1.1. Công tác tổ chức, chỉ đạo, điều hành thực hiện nhiệm vụ chuyển đổi số' \
	'1.2. Công tác quản lý dạy và học trực tuyến; xây dựng và sử dụng học liệu số' \
	'1.3. Công tác thông tin, tuyên truyền trên môi trường mạng, trao đổi công việc bằng thư điện tử công vụ' \
	'1.4. Công tác triển khai thực hiện nhiệm vụ tuyển sinh đầu cấp trực tuyến; dữ liệu và phần mềm kiểm định chất lượng giáo dục, các phần mềm khác đang sử dụng trong nhà trường' \
	'1.5. Công tác cập nhật dữ liệu (cơ sở dữ liệu Ngành) theo chỉ đạo của Ngành và Đề án 06, dữ liệu bản đồ GIS' \
	'1.6. Kế hoạch bố trí kinh phí phục vụ các hoạt động chuyển đổi số' \
	'2. Kiểm tra các nội dung theo Bộ chỉ số đánh giá mức độ chuyển đổi số' 'III. KIẾN NGHỊ'; do
	check "preschool-seed-heading-${h%%.*}-$(printf '%s' "$h" | cksum | cut -c1-6)" grep -qF "$h" "$tmp/pre.txt"
done
check preschool-contact-dots grep -q 'tiêu chí 2.1) — họ tên: ……………; chức vụ: ……………' "$tmp/pre.txt"
cat >"$tmp/insp.json" <<'JSON'
{"staff_total": 41, "teachers": 29,
 "work": ["Ban chỉ đạo có 7 thành viên.", "Kho học liệu 124 clip.", "Trang tin của trường.", "Tuyển sinh trực tuyến.", "CSDL ngành cập nhật hằng tháng.", "Kinh phí 35 triệu đồng."],
 "contact_name": "Trần Thị Mai", "contact_title": "Phó Hiệu trưởng", "contact_email": "mai@mamnon.edu.vn", "contact_phone": "0905 123 456"}
JSON
"$CHISO" doc inspection --assessment "$pre" "$tmp/insp.json" --db "$db" >/dev/null 2>&1
"$CHISO" doc report --assessment "$pre" --format pdf --db "$db" --out "$tmp/pre2.pdf" >/dev/null 2>&1
pt1 "$tmp/pre2.pdf" >"$tmp/pre2.txt"
check preschool-work-under-heading grep -q '1.2. Công tác quản lý dạy và học trực tuyến; xây dựng và sử dụng học liệu số Kho học liệu 124 clip.' "$tmp/pre2.txt"
check preschool-contact-printed grep -q 'họ tên: Trần Thị Mai; chức vụ: Phó Hiệu trưởng; email: mai@mamnon.edu.vn; điện thoại: 0905 123 456.' "$tmp/pre2.txt"
check preschool-staff-printed grep -q 'Tổng số CB-GV-CNV: 41 người' "$tmp/pre2.txt"
"$CHISO" doc report --assessment "$pre" --format docx --db "$db" --out "$tmp/pre2.docx" >/dev/null 2>&1
check preschool-docx-heading-style sh -c "unzip -p '$tmp/pre2.docx' word/document.xml | grep -q 'w:val=\"Heading3\"/>.*1.5. Công tác cập nhật dữ liệu'"
check preschool-docx-contact sh -c "unzip -p '$tmp/pre2.docx' word/document.xml | sed 's/<[^>]*>//g' | grep -q 'điện thoại: 0905 123 456'"
sed 's/mai@mamnon.edu.vn/mai@mamnon/; s/0905 123 456/090-abc/' "$tmp/insp.json" >"$tmp/bad.json"
check inspection-refuses-bad-email sh -c "! '$CHISO' doc inspection --assessment $pre '$tmp/bad.json' --db '$db' 2>'$tmp/bad.err' && grep -q Email '$tmp/bad.err'"
sed 's/0905 123 456/0905 12x 456/' "$tmp/insp.json" >"$tmp/bad2.json"
check inspection-refuses-bad-phone sh -c "! '$CHISO' doc inspection --assessment $pre '$tmp/bad2.json' --db '$db' 2>'$tmp/bad2.err' && grep -q 'Điện thoại' '$tmp/bad2.err'"
check inspection-kept-after-refusal [ "$(q "select contact_email from self_inspections where assessment_id = $pre")" = "mai@mamnon.edu.vn" ]
# the summary report's table is the web pages' count (recognised, else external, else self level):
# the report used to take the external team's half-filled sheet as the result, so the 26 units
# under evaluation counted as "chưa xếp mức" (72 instead of 46); a draft is not "đã tự đánh giá"
"$CHISO" doc summary --round "$round" --format pdf --db "$db" --out "$tmp/bc.pdf" >/dev/null 2>&1
pdftotext -layout "$tmp/bc.pdf" - >"$tmp/bc.txt"
lv() { q "select count(*) from assessments where round_id = $round and coalesce(nullif(recognised_level, 0), nullif(external_level, 0), self_level, 0) = $1"; }
want_row="$(q "select count(*) from assessments where round_id = $round") $(lv 3) $(lv 2) $(lv 1) $(lv 0)"
got_row=$(grep '^Tổng cộng' "$tmp/bc.txt" | head -1 | sed 's/[0-9]*,[0-9]*%//g; s/[0-9]*%//g' | tr -s ' ' | cut -d' ' -f3-)
check summary-levels-are-the-pages [ "$got_row" = "$want_row" ]
self_done=$(q "select count(*) from assessments where round_id = $round and state not in ('not_started', 'draft')")
tr '\n' ' ' <"$tmp/bc.txt" | sed 's/  */ /g' >"$tmp/bc.flat"
check summary-self-assessed-excludes-drafts grep -q "đã tự đánh giá: $self_done;" "$tmp/bc.flat"
# "đã gửi hồ sơ": every file sent, returned ones too — the summary page's progress sheet ("Đã nộp hồ sơ")
sent=$(q "select count(*) from assessments where round_id = $round and state not in ('not_started', 'draft', 'self_assessed', 'approved')")
check summary-sent-counts-returned grep -q "đã gửi hồ sơ đề nghị đánh giá ngoài: $sent;" "$tmp/bc.flat"
# the tờ trình (issue 11, item 8; issue 12, item 5): one "Kính gửi", and the ward that manages
# the school since 1/7/2025 in "Nơi nhận" beside the Sở that evaluates it
req=$(q "select a.id from assessments a join units u on u.id = a.unit_id where u.code = '52102001' and a.round_id = $round")
"$CHISO" doc request --assessment "$req" --format pdf --db "$db" --out "$tmp/req.pdf" >/dev/null 2>&1
pdftotext "$tmp/req.pdf" - | tr '\n' ' ' | sed 's/  */ /g' >"$tmp/req.txt"
check request-one-kinh-gui [ "$(grep -o 'Kính gửi' "$tmp/req.txt" | wc -l)" = 1 ]
# … addressed to both: the demo's letter named the Sở alone
check request-addressed-to-ward-and-so grep -q 'Kính gửi: - Ủy ban nhân dân phường[^;]*; - Sở Giáo dục và Đào tạo tỉnh Gia Lai\.' "$tmp/req.txt"
check request-ward-and-so-receive grep -q 'Nơi nhận: - Sở Giáo dục và Đào tạo[^;]*; - Ủy ban nhân dân phường[^;]*; - Lưu: VT.' "$tmp/req.txt"
# the header (issue 12, item 3): the parent body's line over the issuer's, each
# whole on its line, from the unit tree on the round's date — a school under
# its ward or commune, an office under the People's Committee of its locality
# — on every type, in the PDF and in the DOCX
on=$(q "select coalesce(self_due, date('now')) from rounds where id = $round")
school_parent=$(q "select o.name from unit_relations r join units o on o.id = r.other_unit_id join assessments a on a.unit_id = r.unit_id
	where a.id = $req and r.kind = 'parent' and r.valid_from <= '$on' and (r.valid_to is null or r.valid_to > '$on')")
school=$(q "select u.name from units u join assessments a on a.unit_id = u.id where a.id = $req")
office=$(q "select u.name from units u join rounds r on r.office_unit_id = u.id where r.id = $round")
upper() { python3 -c 'import sys; print(sys.argv[1].upper().replace("ỦY BAN NHÂN DÂN ", "UBND "))' "$1"; }
want_school="$(upper "$school_parent")|$(upper "$school")"
# "Sở Giáo dục và Đào tạo tỉnh X": "UBND TỈNH X" over "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
want_office="UBND $(upper "${office#*Đào tạo }")|$(upper "${office%% tỉnh *}")"
check header-school-parent-is-a-committee sh -c 'case $1 in "Ủy ban nhân dân "*) exit 0 ;; *) exit 1 ;; esac' _ "$school_parent"
heads() {   # the first two non-empty lines of a PDF's first page, or of a DOCX's text
	case $1 in
	*.pdf) pdftotext -l 1 "$1" - ;;
	*.docx) unzip -p "$1" word/document.xml | sed 's/<\/w:p>/\n/g; s/<[^>]*>//g' ;;
	esac | sed '/^ *$/d' | head -2 | paste -sd'|'
}
for t in plan council minutes report approval request evidence external-minutes team recognition summary; do
	case $t in team | recognition | summary) obj="--round $round" want=$want_office ;; *) obj="--assessment $req" want=$want_school ;; esac
	case $t in external-minutes) want=$want_office ;; esac
	for f in pdf docx; do
		# shellcheck disable=SC2086
		"$CHISO" doc "$t" $obj --format "$f" --db "$db" --out "$tmp/h-$t.$f" >/dev/null 2>&1
		got=$(heads "$tmp/h-$t.$f")
		if [ "$got" = "$want" ]; then ok "header-$t-$f"; else notok "header-$t-$f" "want: $want" "got:  $got"; fi
	done
done
# codes are never broken inside (issue 12, item 6): "ĐKBB", not "ĐKB / B"
for t in minutes report external-minutes; do
	check "code-whole-$t" sh -c "pdftotext '$tmp/h-$t.pdf' - | grep -qx 'ĐKBB' && ! pdftotext '$tmp/h-$t.pdf' - | grep -qx 'ĐKB'"
done
# the round plan (issue 12, item 2): without its number and date the documents
# say what is missing; once the office enters them, every document cites them
pt() { pdftotext "$1" - | tr '\n' ' ' | sed 's/  */ /g'; }
check plan-missing-said sh -c "pdftotext '$tmp/team.pdf' - | tr '\n' ' ' | sed 's/  */ /g' | grep -q 'chưa nhập số và ngày ban hành của Kế hoạch'"
"$CHISO" doc plan-ref --round "$round" --number 15/KH-SGDĐT --date 2026-03-10 --db "$db" >/dev/null 2>&1
check plan-stored [ "$(q "select number || ' ' || date from round_plans where round_id = $round")" = "15/KH-SGDĐT 2026-03-10" ]
check plan-refused-bad-date sh -c "! '$CHISO' doc plan-ref --round $round --number 1/KH --date 2026-02-30 --db '$db' 2>/dev/null"
for t in team recognition summary; do
	"$CHISO" doc "$t" --round "$round" --format pdf --db "$db" --out "$tmp/p-$t.pdf" >/dev/null 2>&1
	check "plan-cited-$t" sh -c "pdftotext '$tmp/p-$t.pdf' - | tr '\n' ' ' | sed 's/  */ /g' | grep -q 'Kế hoạch số 15/KH-SGDĐT ngày 10/03/2026 của $office'"
done
for t in plan council report; do
	"$CHISO" doc "$t" --assessment "$req" --format pdf --db "$db" --out "$tmp/p-$t.pdf" >/dev/null 2>&1
	check "plan-cited-$t" sh -c "pdftotext '$tmp/p-$t.pdf' - | tr '\n' ' ' | sed 's/  */ /g' | grep -q 'Kế hoạch số 15/KH-SGDĐT ngày 10/03/2026' && ! pdftotext '$tmp/p-$t.pdf' - | grep -q 'chưa nhập số'"
done

# the register (issue 12, item 9): the office's documents of one year generated
# at the same time get the numbers 1..N, no gap, no duplicate; generated again
# (another format) each keeps its number; the printed number is the register's
# the office with the most rounds (the Sở of Bình Định since the Gia Lai demo)
office_id=$(q "select office_unit_id from rounds group by office_unit_id order by count(*) desc, office_unit_id limit 1")
rounds=$(q "select id from rounds where office_unit_id = $office_id")
for r in $rounds; do for t in team recognition summary; do
	"$CHISO" doc "$t" --round "$r" --format pdf --register --date 2026-05-05 --db "$db" --out "$tmp/reg-$t-$r.pdf" >/dev/null 2>&1 &
done; done
wait
nreg=$(q "select count(*) from document_register where issuer_unit_id = $office_id and year = 2026")
# each document printed either the register's number or the one its data holds
# (a decision already taken), never a blank one
bad=0
for r in $rounds; do for t in team recognition summary; do
	want=$(q "select number from document_register where type = '$t' and object_type = 'round' and object_id = $r")
	got=$(pdftotext -l 1 "$tmp/reg-$t-$r.pdf" - 2>/dev/null | grep '^Số:')
	if [ -n "$want" ]; then [ "$got" = "Số: $want" ] || bad=$((bad + 1))
	else case $got in "Số: "[0-9]*) ;; *) bad=$((bad + 1)) ;; esac; fi
done; done
check register-number-printed [ "$bad" = 0 ]
check register-concurrent-several [ "$nreg" -ge 4 ]
check register-no-gap [ "$(q "select max(seq) from document_register where issuer_unit_id = $office_id and year = 2026")" = "$nreg" ]
check register-no-duplicate [ "$(q "select count(distinct seq) || ' ' || count(distinct number) from document_register where issuer_unit_id = $office_id and year = 2026")" = "$nreg $nreg" ]
for r in $rounds; do "$CHISO" doc summary --round "$r" --format docx --register --date 2026-05-05 --db "$db" --out "$tmp/reg-$r.docx" >/dev/null 2>&1; done
check register-regenerated-keeps-number [ "$(q "select count(*) from document_register where issuer_unit_id = $office_id and year = 2026")" = "$nreg" ]
"$CHISO" doc register --unit "$office_id" --year 2026 --db "$db" >"$tmp/reg.txt" 2>&1
check register-listed [ "$(wc -l <"$tmp/reg.txt")" = "$nreg" ] && check register-lists-sha256 grep -q "$(sha256sum "$tmp/reg-$(echo "$rounds" | tail -1).docx" | cut -c1-64)" "$tmp/reg.txt"

# the evidence catalogue carries a "Số:" line (issue 12, item 6), numbered from the
# school's register like its other documents
"$CHISO" doc evidence --assessment "$req" --format pdf --register --date 2026-05-06 --db "$db" --out "$tmp/ev.pdf" >/dev/null 2>&1
want=$(q "select number from document_register where type = 'evidence' and object_type = 'assessment' and object_id = $req")
check evidence-registered sh -c 'case $1 in [0-9][0-9]/DM-*) exit 0 ;; *) exit 1 ;; esac' _ "$want"
check evidence-number-printed [ "$(pdftotext -l 1 "$tmp/ev.pdf" - | grep '^Số:')" = "Số: $want" ]
"$CHISO" doc evidence --assessment "$req" --format pdf --db "$db" --out "$tmp/ev0.pdf" >/dev/null 2>&1
check evidence-blank-number-line sh -c "pdftotext -l 1 '$tmp/ev0.pdf' - | tr '\n' ' ' | sed 's/  */ /g' | grep -q 'Số: /DM-'"

# numbering per kind (issue 12, item 9): the office's setting; generated at the same
# time, each kind of document of 2027 gets 01..N of its own, no gap, no duplicate,
# while the book's order (seq) stays one sequence; back to one sequence a year, the
# next number is above every number given that year
check numbering-refuses-bad-mode sh -c "! '$CHISO' doc numbering --unit $office_id tuan --db '$db' 2>/dev/null"
"$CHISO" doc numbering --unit "$office_id" loai --db "$db" >/dev/null 2>&1
check numbering-stored [ "$(q "select per_kind from register_settings where unit_id = $office_id")" = 1 ]
for r in $rounds; do for t in team recognition summary; do
	"$CHISO" doc "$t" --round "$r" --format pdf --register --date 2027-05-05 --db "$db" --out "$tmp/k-$t-$r.pdf" >/dev/null 2>&1 &
done; done
wait
y27="issuer_unit_id = $office_id and year = 2027"
n27=$(q "select count(*) from document_register where $y27")
check per-kind-concurrent-several [ "$n27" -ge 4 ]
check per-kind-two-kinds [ "$(q "select count(distinct kind) from document_register where $y27")" = 2 ]
check per-kind-book-order-one-sequence [ "$(q "select max(seq) || ' ' || count(distinct seq) from document_register where $y27")" = "$n27 $n27" ]
bad=0
for k in 'Quyết định' 'Báo cáo'; do
	nk=$(q "select count(*) from document_register where $y27 and kind = '$k'")
	[ "$(q "select min(number_seq) || ' ' || max(number_seq) || ' ' || count(distinct number) from document_register where $y27 and kind = '$k'")" = "1 $nk $nk" ] || bad=$((bad + 1))
done
check per-kind-each-from-01-no-gap-no-duplicate [ "$bad" = 0 ]
bad=0
for r in $rounds; do for t in team recognition summary; do
	want=$(q "select number from document_register where type = '$t' and object_type = 'round' and object_id = $r and year = 2027")
	[ -z "$want" ] || [ "$(pdftotext -l 1 "$tmp/k-$t-$r.pdf" - 2>/dev/null | grep '^Số:')" = "Số: $want" ] || bad=$((bad + 1))
done; done
check per-kind-number-printed [ "$bad" = 0 ]
"$CHISO" doc numbering --unit "$office_id" nam --db "$db" >/dev/null 2>&1
ext=$(q "select a.id from assessments a join rounds r on r.id = a.round_id where r.office_unit_id = $office_id order by a.id limit 1")
"$CHISO" doc external-minutes --assessment "$ext" --format pdf --register --date 2027-06-01 --db "$db" --out "$tmp/k-ext.pdf" >/dev/null 2>&1
check per-year-after-per-kind-above-all [ "$(q "select number_seq = (select max(number_seq) from document_register where $y27 and type <> 'external-minutes') + 1
	from document_register where $y27 and type = 'external-minutes'")" = 1 ]
echo "# decision $dec of round $round: $want_total units (Mức 3 $want3, Mức 2 $want2, Mức 1 $want1); $others other units in the round"
