#!/bin/sh
# HTTP test of the annex-table import on /quan-tri/bo-chi-so (page_admin.c,
# fw_import.h): the XLSX template is offered; a decision's Word table is
# uploaded and becomes a DRAFT shown for review (the tree, the maxima, each
# inferred rule highlighted with its note), nothing published until the
# administrator publishes it with the existing action; then the set is
# listed. A table without an id, a table with bytes that are not UTF-8 and
# one with a duplicate code are refused naming the row, publishing
# nothing. The JSON upload keeps working (web_admin.sh tests it at length).
# One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
FIX=$(pwd)/test/fixtures/fw_import
tmp=$(mktemp -d)
server_pid=
cleanup() { stop_server; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, pattern: $4}" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 600)"; fi
}
get() { curl -s -o "$tmp/out" -w '%{http_code}' -b "$1" "$base$2"; }
# upload JAR FILE [curl -F args…] → status
upload() {
	j=$1; f=$2; shift 2
	c=$(form_csrf "$j" /quan-tri/bo-chi-so)
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$j" -c "$j" -F "_csrf=$c" -F "tep=@$f" "$@" "$base/quan-tri/bo-chi-so"
}
post() {
	c=$(form_csrf "$1" /quan-tri/bo-chi-so)
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$1" -c "$1" --data-urlencode "_csrf=$c" "$base$2"
}
sql() { sqlite3 "$tmp/chiso.db" "$1"; }
published() { sql "SELECT COUNT(*) FROM framework_versions WHERE framework_id = 'thu-nghiem-2025' AND publish_seq IS NOT NULL"; }

demo_fixture || { notok demo-fixture; exit 1; }
start_server || { notok server-start; exit 1; }
A=$tmp/admin
[ "$(signin "$A" admin)" = 303 ] || { notok signin-admin; exit 1; }

st=$(get "$A" /quan-tri/bo-chi-so)
check upload-form-offers-tables 200 "$st" 'accept=".json,application/json,.docx,.xlsx"'
grep -qF 'href="/quan-tri/bo-chi-so/mau-bang-tieu-chi.xlsx"' "$tmp/out" && ok template-linked || notok template-linked
st=$(curl -s -o "$tmp/mau.xlsx" -w '%{http_code}' -b "$A" "$base/quan-tri/bo-chi-so/mau-bang-tieu-chi.xlsx")
# the template reads back as an annex table: header and two example rows
if [ "$st" = 200 ] && "$CHISO" framework import "$tmp/mau.xlsx" --id mau >"$tmp/mau.out" 2>&1; then ok template-download
else notok template-download "status $st" "$(cat "$tmp/mau.out")"; fi

st=$(upload "$A" "$FIX/annex.docx")
check table-needs-id 422 "$st" "cần nhập mã bộ chỉ số"
st=$(upload "$A" "$FIX/bad-utf8.docx" -F ma=thu-nghiem-2025)
check table-not-utf8-names-row 422 "$st" "hàng 4: văn bản không phải UTF-8 hợp lệ"
st=$(upload "$A" "$FIX/duplicate.docx" -F ma=thu-nghiem-2025)
check table-duplicate-code 422 "$st" "hàng 11: mã 1.2 bị trùng với hàng 5"
[ "$(published)" = 0 ] && ! grep -q "Công bố</button>" "$tmp/out" && ok broken-table-publishes-nothing || notok broken-table-publishes-nothing
# the broken-table matrix (fw_import.sh has the messages): 422, the row named, no draft stored
for b in missing-column:hàng\ 1 nonnumeric-max:hàng\ 5 merged-odd:hàng\ 7 no-header:Không\ tìm\ thấy\ bảng empty:Tệp\ rỗng not-a-docx:không\ phải\ DOCX; do
	st=$(upload "$A" "$FIX/${b%%:*}.docx" -F ma=thu-nghiem-2025)
	check "broken-${b%%:*}-refused" 422 "$st" "${b#*:}"
done
[ "$(sql "SELECT COUNT(*) FROM framework_versions WHERE framework_id = 'thu-nghiem-2025'")" = 0 ] && ok broken-tables-store-nothing \
	|| notok broken-tables-store-nothing

st=$(upload "$A" "$FIX/annex.docx" -F ma=thu-nghiem-2025 -F "ten=Bộ chỉ số thử nghiệm" -F "so_qd=01/QĐ-TN" \
	-F ngay_qd=2025-01-15 -F "co_quan=Sở Giáo dục và Đào tạo Thử" -F loai_hinh=tieu_hoc -F loai_hinh=thcs)
check table-draft-review 200 "$st" "Bản nháp nhập từ bảng: xem lại trước khi công bố"
grep -q 'data-inferred="1"' "$tmp/out" && grep -qF "Suy ra — cần xem lại" "$tmp/out" && ok inferred-highlighted || notok inferred-highlighted
grep -qF "tỉ lệ ≥ 50% thì được 20 điểm" "$tmp/out" && grep -qF "annex.docx, hàng 7" "$tmp/out" && ok inferred-note-and-origin || notok inferred-note-and-origin
grep -qF "Điều kiện bắt buộc" "$tmp/out" && grep -qF "2 nhóm, 4 tiêu chí, 3 chỉ số" "$tmp/out" && ok tree-shown || notok tree-shown
draft=$(sed -n 's/.*action="\/quan-tri\/bo-chi-so\/\([0-9]*\)\/cong-bo".*/\1/p' "$tmp/out" | head -1)
[ -n "$draft" ] && [ "$(published)" = 0 ] && [ "$(sql "SELECT COUNT(*) FROM framework_versions WHERE id = $draft AND publish_seq IS NULL")" = 1 ] \
	&& ok draft-not-published || notok draft-not-published "draft=$draft published=$(published)"
st=$(post "$A" "/quan-tri/bo-chi-so/$draft/cong-bo")
check publish 303 "$st"
[ "$(published)" = 1 ] && ok published-once || notok published-once
get "$A" /quan-tri/bo-chi-so >/dev/null
grep -q 'data-framework="thu-nghiem-2025@1"' "$tmp/out" && ok imported-set-listed || notok imported-set-listed
# the XLSX of the same table is the next revision, with the same tree
st=$(upload "$A" "$FIX/annex.xlsx" -F ma=thu-nghiem-2025 -F "ten=Bộ chỉ số thử nghiệm" -F "so_qd=01/QĐ-TN" \
	-F ngay_qd=2025-01-15 -F "co_quan=Sở Giáo dục và Đào tạo Thử" -F loai_hinh=tieu_hoc -F loai_hinh=thcs)
check xlsx-next-revision 200 "$st" "Không khác về mã, điểm tối đa và cách chấm."
grep -qF "thành phiên bản 2 của thu-nghiem-2025" "$tmp/out" && ok xlsx-revision-2 || notok xlsx-revision-2
server_clean server-clean
