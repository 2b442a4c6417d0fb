#!/bin/sh
# HTTP tests of the "Văn bản" tab (page_doc.c) on the document fixture
# (test_doc --make-fixture): the list and the form, a generated PDF and DOCX
# downloaded and recorded with their SHA-256, a preview that leaves no
# record, the round's recognition as XLSX, refusals (another school, no
# CSRF token, a bad date). One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
maker=$(dirname "$CHISO")/test/test_doc
tmp=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1 st=$2; shift 2; if [ "$st" -eq 0 ]; then ok "$name"; else notok "$name" "$@"; fi; }
has() { grep -qF -- "$2" "$1"; }

ids=$("$maker" --make-fixture "$tmp/chiso.db") || { notok fixture "$ids"; exit 1; }
A=$(printf '%s' "$ids" | sed -n 's/.*assessment=\([0-9]*\).*/\1/p')
R=$(printf '%s' "$ids" | sed -n 's/.*round=\([0-9]*\).*/\1/p')
setup() {
	"$CHISO" user add ht.vanban --name "Nguyễn Văn An" --password chiso2025 --role principal --unit 79760101 --db "$tmp/chiso.db" &&
	"$CHISO" user add ht.khac --name "Trần Văn Khác" --password chiso2025 --role principal --unit 79760102 --db "$tmp/chiso.db" &&
	"$CHISO" user add pgd.vanban --name "Lê Văn Cường" --password chiso2025 --role officer --unit 79760 --db "$tmp/chiso.db"
}
if ! setup >"$tmp/setup.log" 2>&1; then notok setup "$(tail -5 "$tmp/setup.log")"; exit 1; fi
mkdir -p "$tmp/files"
start_server || { notok server; exit 1; }

jar=$tmp/ht
code=$(signin "$jar" ht.vanban); check signin-school "$([ "$code" = 303 ]; echo $?)" "status $code"

# the tab and the form, prefilled with nothing yet
curl -s -b "$jar" "$base/danh-gia/$A/van-ban" -o "$tmp/list.html"
check tab-lists-types "$(has "$tmp/list.html" 'Báo cáo kết quả tự đánh giá' && has "$tmp/list.html" 'Danh mục minh chứng' \
	&& has "$tmp/list.html" 'aria-current="page">Văn bản'; echo $?)" "$(head -c 400 "$tmp/list.html")"
curl -s -b "$jar" "$base/danh-gia/$A/van-ban?loai=bao-cao" -o "$tmp/form.html"
check form-shown "$(has "$tmp/form.html" 'name="loai" value="bao-cao"' && has "$tmp/form.html" 'value="xlsx"'; echo $?)"
# the school's report: the school's symbol and its principal's title
check form-school-placeholders "$(grep -q 'placeholder="15 hoặc 15/BC-THCS[A-ZĐ]*"' "$tmp/form.html" \
	&& grep -q 'placeholder="KT. HIỆU TRƯỞNG' "$tmp/form.html"; echo $?)" "$(grep -o 'placeholder="[^"]*' "$tmp/form.html")"
csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/form.html" | head -1)

# generate: a PDF download, recorded
curl -s -b "$jar" -D "$tmp/h1" -o "$tmp/report.pdf" --data-urlencode "_csrf=$csrf" --data-urlencode "loai=bao-cao" \
	--data-urlencode "dinh_dang=pdf" --data-urlencode "so=21" --data-urlencode "ngay=2025-05-22" \
	--data-urlencode "nguoi_ky=Nguyễn Văn An" "$base/danh-gia/$A/van-ban"
magic=$(head -c 4 "$tmp/report.pdf")
check generate-pdf "$([ "$magic" = "%PDF" ] && grep -qi 'content-disposition: attachment; filename="bao-cao-79760101-2024-2025.pdf"' "$tmp/h1"; echo $?)" "$(head -5 "$tmp/h1")"
txt=$(pdftotext "$tmp/report.pdf" - 2>/dev/null | tr '\n' ' ')
check pdf-has-number-date "$(printf '%s' "$txt" | grep -qF 'Số: 21/BC-THCSNHT' && printf '%s' "$txt" | grep -qF 'ngày 22 tháng 5 năm 2025'; echo $?)"
sha=$(sha256sum "$tmp/report.pdf" | cut -d' ' -f1)
curl -s -b "$jar" "$base/danh-gia/$A/van-ban?loai=bao-cao" -o "$tmp/after.html"
check history-sha256 "$(has "$tmp/after.html" "title=\"$sha\""; echo $?)"
check form-prefilled "$(has "$tmp/after.html" 'name="so" value="21/BC-THCSNHT"' && has "$tmp/after.html" 'value="2025-05-22"'; echo $?)"

# a preview leaves no record; DOCX is a ZIP
curl -s -b "$jar" -D "$tmp/h2" -o "$tmp/prev.pdf" --data-urlencode "_csrf=$csrf" --data-urlencode "loai=ke-hoach" \
	--data-urlencode "xem_truoc=1" "$base/danh-gia/$A/van-ban"
check preview-inline "$(grep -qi 'content-disposition: inline' "$tmp/h2" && [ "$(head -c 4 "$tmp/prev.pdf")" = "%PDF" ]; echo $?)"
n=$("$CHISO" doc history --assessment "$A" --db "$tmp/chiso.db" 2>/dev/null | grep -c plan)
check preview-not-recorded "$([ "$n" = 0 ]; echo $?)" "$n plan rows"
curl -s -b "$jar" -o "$tmp/qd.docx" --data-urlencode "_csrf=$csrf" --data-urlencode "loai=quyet-dinh-phe-duyet" \
	--data-urlencode "dinh_dang=docx" "$base/danh-gia/$A/van-ban"
check generate-docx "$(unzip -p "$tmp/qd.docx" word/document.xml 2>/dev/null | grep -qF 'Về việc phê duyệt kết quả tự đánh giá'; echo $?)"

# refusals
curl -s -b "$jar" -o "$tmp/bad.html" -w '%{http_code}' --data-urlencode "_csrf=$csrf" --data-urlencode "loai=bao-cao" \
	--data-urlencode "ngay=31/02/2025" "$base/danh-gia/$A/van-ban" >"$tmp/code"
check bad-date-422 "$([ "$(cat "$tmp/code")" = 422 ] && has "$tmp/bad.html" 'Ngày ban hành không hợp lệ'; echo $?)"
code=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "loai=bao-cao" "$base/danh-gia/$A/van-ban")
check no-csrf-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
code=$(curl -s -b "$jar" -o "$tmp/wrong.html" -w '%{http_code}' --data-urlencode "_csrf=$csrf" --data-urlencode "loai=quyet-dinh-cong-nhan" \
	"$base/danh-gia/$A/van-ban")
check round-type-on-assessment-422 "$([ "$code" = 422 ]; echo $?)" "status $code"
other=$tmp/other
signin "$other" ht.khac >/dev/null
code=$(curl -s -b "$other" -o /dev/null -w '%{http_code}' "$base/danh-gia/$A/van-ban")
check other-school-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
c2=$(form_csrf "$other" /)
code=$(curl -s -b "$other" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$c2" --data-urlencode "loai=bao-cao" "$base/danh-gia/$A/van-ban")
check other-school-post-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/danh-gia/$A/van-ban")
check anonymous-redirect "$([ "$code" = 303 ]; echo $?)" "status $code"

# the office: the round's recognition as XLSX
ojar=$tmp/office
signin "$ojar" pgd.vanban >/dev/null
curl -s -b "$ojar" "$base/dot/$R/van-ban?loai=quyet-dinh-cong-nhan" -o "$tmp/round.html"
check round-tab "$(has "$tmp/round.html" 'Quyết định công nhận mức độ chuyển đổi số' && has "$tmp/round.html" 'aria-current="page">Văn bản'; echo $?)"
# the office's own documents: its symbol and its head's title (a Phòng), not a school's
check round-form-placeholders "$(has "$tmp/round.html" 'placeholder="15 hoặc 15/QĐ-PGDĐT"' \
	&& grep -q 'placeholder="KT. TRƯỞNG PHÒNG' "$tmp/round.html" && ! grep -q 'HIỆU TRƯỞNG\|THCS[A-Z]*"' "$tmp/round.html"; echo $?)" \
	"$(grep -o 'placeholder="[^"]*' "$tmp/round.html")"
oc=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/round.html" | head -1)
curl -s -b "$ojar" -D "$tmp/h3" -o "$tmp/cn.xlsx" --data-urlencode "_csrf=$oc" --data-urlencode "loai=quyet-dinh-cong-nhan" \
	--data-urlencode "dinh_dang=xlsx" "$base/dot/$R/van-ban"
check round-xlsx "$(grep -qi 'spreadsheetml' "$tmp/h3" && unzip -p "$tmp/cn.xlsx" xl/sharedStrings.xml | grep -qF 'Trường THCS Ánh Sáng'; echo $?)"
check round-history "$("$CHISO" doc history --round "$R" --db "$tmp/chiso.db" 2>/dev/null | grep -q 'recognition	xlsx'; echo $?)"
# "Các văn bản đã tạo" hands each file out again (issue 16, item 11): one "Tải về" per
# document recorded (= the database's rows), each the very bytes made (its SHA-256 that
# of the file downloaded when it was made, and the one the row shows); refused to another
# school and for an unknown document
curl -s -b "$jar" "$base/danh-gia/$A/van-ban" -o "$tmp/made.html"
links=$(grep -o "href=\"/danh-gia/$A/van-ban/[0-9]*\" download" "$tmp/made.html" | sed 's/.*van-ban\/\([0-9]*\)".*/\1/')
rows=$(sqlite3 "$tmp/chiso.db" "SELECT COUNT(*) FROM documents WHERE object_type = 'assessment' AND object_id = $A")
fails=
[ "$(echo "$links" | grep -c .)" = "$rows" ] && [ "$rows" -ge 2 ] || fails="$(echo "$links" | grep -c .) links, $rows documents"
for d in $links; do
	want=$(sqlite3 "$tmp/chiso.db" "SELECT sha256 FROM documents WHERE id = $d")
	code=$(curl -s -b "$jar" -o "$tmp/again" -w '%{http_code}' "$base/danh-gia/$A/van-ban/$d")
	[ "$code" = 200 ] && [ "$(sha256sum "$tmp/again" | cut -d' ' -f1)" = "$want" ] || fails="$fails doc $d: status $code"
done
pdf_doc=$(sqlite3 "$tmp/chiso.db" "SELECT id FROM documents WHERE sha256 = '$sha'")
curl -s -b "$jar" -D "$tmp/h4" -o "$tmp/again.pdf" "$base/danh-gia/$A/van-ban/$pdf_doc"
cmp -s "$tmp/again.pdf" "$tmp/report.pdf" && grep -qi 'content-type: application/pdf' "$tmp/h4" || fails="$fails the report PDF differs"
check documents-downloadable "$([ -z "$fails" ]; echo $?)" "$fails"
code=$(curl -s -b "$other" -o /dev/null -w '%{http_code}' "$base/danh-gia/$A/van-ban/$pdf_doc")
code2=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base/danh-gia/$A/van-ban/999999")
check document-download-refused "$([ "$code" = 403 ] && [ "$code2" = 404 ]; echo $?)" "other school $code, unknown $code2"
xdoc=$(sqlite3 "$tmp/chiso.db" "SELECT MAX(id) FROM documents WHERE object_type = 'round' AND object_id = $R AND format = 'xlsx'")
curl -s -b "$ojar" "$base/dot/$R/van-ban" -o "$tmp/rmade.html"
code=$(curl -s -b "$ojar" -o "$tmp/cn-again.xlsx" -w '%{http_code}' "$base/dot/$R/van-ban/$xdoc")
check round-document-downloadable "$(has "$tmp/rmade.html" "href=\"/dot/$R/van-ban/$xdoc\" download" && [ "$code" = 200 ] \
	&& cmp -s "$tmp/cn.xlsx" "$tmp/cn-again.xlsx"; echo $?)" "status $code"

# the round's plan (issue 12): missing → said; entered by the office; a bad date refused;
# a school cannot enter it; the documents cite it
check plan-missing-shown "$(has "$tmp/round.html" 'Chưa nhập số và ngày của Kế hoạch'; echo $?)"
code=$(curl -s -b "$ojar" -o "$tmp/plan-bad.html" -w '%{http_code}' --data-urlencode "_csrf=$oc" --data-urlencode "so=12/KH-PGDĐT" \
	--data-urlencode "ngay=31/02/2025" "$base/dot/$R/ke-hoach")
check plan-bad-date-422 "$([ "$code" = 422 ] && has "$tmp/plan-bad.html" 'Ngày ban hành kế hoạch không hợp lệ'; echo $?)" "status $code"
code=$(curl -s -b "$other" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$c2" --data-urlencode "so=1/KH" \
	--data-urlencode "ngay=2025-02-10" "$base/dot/$R/ke-hoach")
check plan-school-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
code=$(curl -s -b "$ojar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$oc" --data-urlencode "so=12/KH-PGDĐT" \
	--data-urlencode "ngay=2025-02-10" "$base/dot/$R/ke-hoach")
curl -s -b "$ojar" "$base/dot/$R/van-ban" -o "$tmp/round2.html"
check plan-saved "$([ "$code" = 303 ] && has "$tmp/round2.html" 'Kế hoạch số <strong>12/KH-PGDĐT</strong> ngày <strong>10/02/2025</strong>'; echo $?)" "status $code"
curl -s -b "$ojar" -o "$tmp/team.pdf" --data-urlencode "_csrf=$oc" --data-urlencode "loai=quyet-dinh-doan" \
	--data-urlencode "dinh_dang=pdf" "$base/dot/$R/van-ban"
check plan-cited "$(pdftotext "$tmp/team.pdf" - | tr '\n' ' ' | sed 's/  */ /g' | grep -qF 'Căn cứ Kế hoạch số 12/KH-PGDĐT ngày 10/02/2025'; echo $?)"

# the register: a number from the register when none is typed; the same again on a
# second generation; listed on the register page with the file's SHA-256
reg() { curl -s -b "$ojar" -o "$1" --data-urlencode "_csrf=$oc" --data-urlencode "loai=bao-cao-tong-hop" \
	--data-urlencode "dinh_dang=pdf" --data-urlencode "ngay=2025-06-10" --data-urlencode "cap_so=1" "$base/dot/$R/van-ban"; }
reg "$tmp/sum1.pdf"; reg "$tmp/sum2.pdf"
n1=$(pdftotext -l 1 "$tmp/sum1.pdf" - | grep '^Số:'); n2=$(pdftotext -l 1 "$tmp/sum2.pdf" - | grep '^Số:')
check register-number-given "$(case $n1 in "Số: 01/BC-"*) [ "$n1" = "$n2" ] ;; *) false ;; esac; echo $?)" "$n1 / $n2"
curl -s -b "$ojar" "$base/dot/$R/so-van-ban?nam=2025" -o "$tmp/reg.html"
sha=$(sha256sum "$tmp/sum2.pdf" | cut -c1-16)
check register-page "$(has "$tmp/reg.html" 'Sổ đăng ký văn bản đi năm 2025' && has "$tmp/reg.html" "${n1#Số: }" && has "$tmp/reg.html" "$sha"; echo $?)"
code=$(curl -s -b "$other" -o /dev/null -w '%{http_code}' "$base/danh-gia/$A/so-van-ban")
check register-other-school-403 "$([ "$code" = 403 ]; echo $?)" "status $code"

# the self-inspection data (issue 12, item 7): the form, refusals with every message
# and the typed values kept, a draft saved with blanks, the report printing it — by
# the principal of the fixture's school still in draft
D=$(printf '%s' "$ids" | sed -n 's/.*draft=\([0-9]*\).*/\1/p')
"$CHISO" user add ht.dongda --name "Đỗ Thị Đào" --password chiso2025 --role principal --unit 79760104 --db "$tmp/chiso.db" >/dev/null 2>&1
djar=$tmp/dd
signin "$djar" ht.dongda >/dev/null
curl -s -b "$djar" "$base/danh-gia/$D/tu-kiem-tra" -o "$tmp/insp.html"
check inspection-form "$(has "$tmp/insp.html" 'name="tong_so"' && has "$tmp/insp.html" 'name="pm_ten_0"' && has "$tmp/insp.html" 'name="kien_nghi"'; echo $?)"
ic=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/insp.html" | head -1)
code=$(curl -s -b "$djar" -o "$tmp/insp-bad.html" -w '%{http_code}' --data-urlencode "_csrf=$ic" --data-urlencode "tong_so=sáu mươi" \
	--data-urlencode "can_bo_quan_ly=2" --data-urlencode "hieu_truong=1" --data-urlencode "pho_hieu_truong=3" \
	--data-urlencode "pm_muc_dich_0=Sổ liên lạc" --data-urlencode "pm_ten_1=SMAS" --data-urlencode "pm_phi_1=150.000" \
	--data-urlencode "kien_nghi=Cấp thêm máy chiếu" "$base/danh-gia/$D/tu-kiem-tra")
check inspection-refused-422 "$([ "$code" = 422 ] && has "$tmp/insp-bad.html" 'Chưa lưu: 4 chỗ cần sửa' \
	&& has "$tmp/insp-bad.html" 'Tổng số CB-GV-CNV: ghi một số nguyên' && has "$tmp/insp-bad.html" 'Hiệu trưởng và phó hiệu trưởng (4) nhiều hơn' \
	&& has "$tmp/insp-bad.html" 'dòng 1: cần ghi tên' && has "$tmp/insp-bad.html" 'chưa đánh dấu “Có thu phí”' \
	&& has "$tmp/insp-bad.html" 'value="sáu mươi"' && has "$tmp/insp-bad.html" 'Cấp thêm máy chiếu'; echo $?)" "status $code"
check inspection-refused-nothing-stored "$([ "$(sqlite3 "$tmp/chiso.db" "select count(*) from self_inspections where assessment_id = $D and recommendations = 'Cấp thêm máy chiếu'")" = 0 ]; echo $?)"
code=$(curl -s -b "$djar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$ic" --data-urlencode "tong_so=71" \
	--data-urlencode "giao_vien=58" --data-urlencode "pm_ten_0=QLTH" --data-urlencode "pm_muc_dich_0=Quản lý điểm" \
	--data-urlencode "pm_thu_phi_0=1" --data-urlencode "pm_phi_0=120.000" --data-urlencode "pm_ghi_chu_0=/học sinh/năm" \
	--data-urlencode "kien_nghi=Cấp thêm máy chiếu" "$base/danh-gia/$D/tu-kiem-tra")
check inspection-draft-saved "$([ "$code" = 303 ] && [ "$(sqlite3 "$tmp/chiso.db" "select staff_total || ',' || teachers || ',' || coalesce(managers, 'null') from self_inspections where assessment_id = $D")" = "71,58,null" ]; echo $?)" "status $code"
curl -s -b "$djar" "$base/danh-gia/$D/tu-kiem-tra" -o "$tmp/insp2.html"
check inspection-shown-again "$(has "$tmp/insp2.html" 'name="tong_so" inputmode="numeric" pattern="[0-9]*" maxlength="7" value="71"' && has "$tmp/insp2.html" 'value="QLTH"'; echo $?)"
curl -s -b "$djar" -o "$tmp/insp-report.pdf" --data-urlencode "_csrf=$ic" --data-urlencode "loai=bao-cao" --data-urlencode "dinh_dang=pdf" \
	--data-urlencode "xem_truoc=1" "$base/danh-gia/$D/van-ban"
pdftotext "$tmp/insp-report.pdf" - | tr '\n' ' ' | sed 's/  */ /g' >"$tmp/insp-report.txt"
check inspection-in-report "$(grep -qF 'Tổng số CB-GV-CNV: 71 người' "$tmp/insp-report.txt" && grep -qF QLTH "$tmp/insp-report.txt" \
	&& grep -qF 120.000 "$tmp/insp-report.txt" && grep -qF 'Cấp thêm máy chiếu' "$tmp/insp-report.txt" && grep -qF 'Cán bộ quản lý: ……' "$tmp/insp-report.txt"; echo $?)" \
	"$(grep -o 'Tổng số CB-GV-CNV[^.]*' "$tmp/insp-report.txt" | head -2)"
code=$(curl -s -b "$other" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$c2" --data-urlencode "tong_so=1" "$base/danh-gia/$D/tu-kiem-tra")
check inspection-other-school-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
code=$(curl -s -b "$ojar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$oc" --data-urlencode "tong_so=1" "$base/danh-gia/$D/tu-kiem-tra")
check inspection-office-cannot-edit-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
code=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$csrf" --data-urlencode "tong_so=1" "$base/danh-gia/$A/tu-kiem-tra")
check inspection-locked-after-evaluation-403 "$([ "$code" = 403 ]; echo $?)" "status $code"
# the contact of criterion 2.1 and seed 003's headings (issue 12, item 7): a bad e-mail and
# telephone refused together, then stored and printed
code=$(curl -s -b "$djar" -o "$tmp/insp-c.html" -w '%{http_code}' --data-urlencode "_csrf=$ic" --data-urlencode "lh_email=mai@" \
	--data-urlencode "lh_dien_thoai=12" --data-urlencode "cong_tac_3=Trang tin điện tử của trường" "$base/danh-gia/$D/tu-kiem-tra")
check inspection-contact-refused-422 "$([ "$code" = 422 ] && has "$tmp/insp-c.html" 'Chưa lưu: 2 chỗ cần sửa' \
	&& has "$tmp/insp-c.html" 'value="mai@"' && has "$tmp/insp-c.html" 'Trang tin điện tử của trường'; echo $?)" "status $code"
code=$(curl -s -b "$djar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$ic" --data-urlencode "lh_ho_ten=Võ Thị Lan" \
	--data-urlencode "lh_chuc_vu=Phó Hiệu trưởng" --data-urlencode "lh_email=lan@dongda.edu.vn" --data-urlencode "lh_dien_thoai=0283 822 1234" \
	--data-urlencode "cong_tac_3=Trang tin điện tử của trường" "$base/danh-gia/$D/tu-kiem-tra")
check inspection-contact-saved "$([ "$code" = 303 ] && [ "$(sqlite3 "$tmp/chiso.db" "select contact_email || ',' || contact_phone || ',' || work_comms from self_inspections where assessment_id = $D")" = "lan@dongda.edu.vn,0283 822 1234,Trang tin điện tử của trường" ]; echo $?)" "status $code"
curl -s -b "$djar" -o "$tmp/insp-report2.pdf" --data-urlencode "_csrf=$ic" --data-urlencode "loai=bao-cao" --data-urlencode "dinh_dang=pdf" \
	--data-urlencode "xem_truoc=1" "$base/danh-gia/$D/van-ban"
pdftotext "$tmp/insp-report2.pdf" - | tr '\n' ' ' | sed 's/  */ /g' >"$tmp/insp-report2.txt"
check inspection-contact-in-report "$(grep -qF 'họ tên: Võ Thị Lan; chức vụ: Phó Hiệu trưởng; email: lan@dongda.edu.vn; điện thoại: 0283 822 1234' "$tmp/insp-report2.txt" \
	&& grep -qF 'trao đổi công việc bằng thư điện tử công vụ Trang tin điện tử của trường' "$tmp/insp-report2.txt"; echo $?)"

# the office's numbering (issue 12, item 9): chosen on the round's Văn bản tab, by the office only
curl -s -b "$ojar" "$base/dot/$R/van-ban" -o "$tmp/numbering.html"
check numbering-shown "$(has "$tmp/numbering.html" 'Cách đánh số văn bản đi' && has "$tmp/numbering.html" 'value="nam" checked'; echo $?)"
nc=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/numbering.html" | head -1)
code=$(curl -s -b "$ojar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$nc" --data-urlencode "cach=loai" "$base/dot/$R/danh-so")
check numbering-set-per-kind "$([ "$code" = 303 ] && [ "$(sqlite3 "$tmp/chiso.db" "select per_kind from register_settings r join rounds o on o.office_unit_id = r.unit_id where o.id = $R")" = 1 ]; echo $?)" "status $code"
curl -s -b "$ojar" "$base/dot/$R/van-ban" -o "$tmp/numbering2.html"
check numbering-shown-per-kind "$(has "$tmp/numbering2.html" 'value="loai" checked'; echo $?)"
code=$(curl -s -b "$ojar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$nc" "$base/dot/$R/danh-so")
check numbering-none-chosen-422 "$([ "$code" = 422 ]; echo $?)" "status $code"
code=$(curl -s -b "$ojar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$nc" --data-urlencode "cach=tuan" "$base/dot/$R/danh-so")
check numbering-bad-value-400 "$([ "$code" = 400 ]; echo $?)" "status $code"
code=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$csrf" --data-urlencode "cach=nam" "$base/dot/$R/danh-so")
check numbering-school-refused "$([ "$code" = 403 ] || [ "$code" = 404 ]; echo $?)" "status $code"
server_clean server-clean
