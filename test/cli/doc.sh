#!/bin/sh
# CLI tests for `chiso doc`: every document type in every format it has, on
# the document fixture (test/unit/doc_fixture.h, written by
# `test_doc --make-fixture`), the files' kind and contents, what is recorded,
# the self-inspection inputs from JSON, and bad requests. One "ok NAME" /
# "not ok NAME" line per case (test/run.sh counts them).
set -u
CHISO=${CHISO:-build/chiso}
maker=$(dirname "$CHISO")/test/test_doc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset CHISO_DB

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

# expect NAME STATUS PATTERN CMD… — exit status and a fixed string in stdout+stderr
expect() {
	name=$1 want=$2 pat=$3; shift 3
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$pat"; then ok "$name"
	else notok "$name" "status $rc (wanted $want), pattern: $pat" "$(printf '%s' "$out" | head -8)"; fi
}

if [ ! -x "$maker" ]; then
	notok doc-fixture "$maker is not built (make test builds it)"
	exit 1
fi
db=$tmp/doc.db
ids=$("$maker" --make-fixture "$db") || { notok doc-fixture "$ids"; exit 1; }
A=$(printf '%s' "$ids" | sed -n 's/.*assessment=\([0-9]*\).*/\1/p')
R=$(printf '%s' "$ids" | sed -n 's/.*round=\([0-9]*\).*/\1/p')
D=$(printf '%s' "$ids" | sed -n 's/.*draft=\([0-9]*\).*/\1/p')
ok doc-fixture

expect doc-list 0 "quyet-dinh-cong-nhan" "$CHISO" doc list
expect doc-help 0 "chiso doc TYPE" "$CHISO" doc --help

# every type, PDF and DOCX (and XLSX where it has one): right kind of file
for t in plan council minutes report approval request evidence external-minutes team recognition summary \
	round-plan schedule proposal; do
	case $t in team|recognition|summary|round-plan|schedule|proposal) obj="--round $R";; *) obj="--assessment $A";; esac
	for f in pdf docx xlsx; do
		case "$t:$f" in
		plan:xlsx|council:xlsx|approval:xlsx|request:xlsx|team:xlsx|round-plan:xlsx) continue;;
		esac
		# shellcheck disable=SC2086
		out=$("$CHISO" doc "$t" $obj --format "$f" --number 9 --date 2025-05-06 --db "$db" --out "$tmp/$t.$f" 2>&1); rc=$?
		magic=$(head -c 4 "$tmp/$t.$f" 2>/dev/null | od -An -c | tr -d ' \n')
		want=PK003004; [ "$f" = pdf ] && want=%PDF
		if [ $rc -eq 0 ] && [ "$magic" = "$want" ] && printf '%s' "$out" | grep -qF "SHA-256"; then ok "doc-$t-$f"
		else notok "doc-$t-$f" "status $rc, magic '$magic'" "$out"; fi
	done
done

# what the report says, read back from the PDF
txt=$(pdftotext "$tmp/report.pdf" - 2>&1 | tr '\n' ' ' | tr -s ' ')
for want in "Số: 09/BC-THCSNHT" "Quận 7, ngày 06 tháng 5 năm 2025" "Tổng số CB-GV-CNV: 68 người" \
	"đạt 89 điểm, Mức 3 (đáp ứng tốt)" "Mức 2 (đáp ứng cơ bản)" "MC-1.3-01"; do
	if printf '%s' "$txt" | grep -qF "$want"; then ok "report-says-$(printf '%s' "$want" | tr -c 'a-zA-Z0-9' '-' | cut -c1-24)"
	else notok "report-says" "missing: $want" "$(printf '%s' "$txt" | cut -c1-300)"; fi
done

# to stdout, and the default file name
expect doc-stdout 0 "%PDF" sh -c "\"$CHISO\" doc approval --assessment $A --db \"$db\" --out - --no-record 2>/dev/null | head -c 5"
abs=$(cd "$(dirname "$CHISO")" && pwd)/$(basename "$CHISO")
fws=$(pwd)/frameworks
(cd "$tmp" && CHISO_FRAMEWORKS=$fws "$abs" doc plan --assessment "$A" --format docx --db "$db" --no-record >/dev/null 2>&1)
if [ -s "$tmp/ke-hoach-79760101-2024-2025.docx" ]; then ok doc-default-name; else notok doc-default-name "$(ls "$tmp")"; fi

# recorded: the history lists the files with their SHA-256 and number
sha=$(sha256sum "$tmp/report.pdf" | cut -d' ' -f1)
expect doc-history 0 "$sha" "$CHISO" doc history --assessment "$A" --db "$db"
expect doc-history-number 0 "09/BC-THCSNHT" "$CHISO" doc history --assessment "$A" --db "$db"
expect doc-history-round 0 "recognition" "$CHISO" doc history --round "$R" --db "$db"
expect doc-audit-intact 0 "" "$CHISO" audit verify --db "$db"
# --reuse: the last number, date, signer come back
expect doc-reuse 0 "SHA-256" "$CHISO" doc report --assessment "$A" --reuse --db "$db" --out "$tmp/again.pdf"
if pdftotext "$tmp/again.pdf" - | tr '\n' ' ' | grep -qF "Số: 09/BC-THCSNHT"; then ok doc-reuse-number
else notok doc-reuse-number "$(pdftotext "$tmp/again.pdf" - | head -8)"; fi

# the self-inspection inputs from JSON, then in the report
cat >"$tmp/insp.json" <<'EOF'
{"staff_total": 41, "managers": 2, "principals": 1, "vice_principals": 1, "teachers": 33,
 "teachers_surplus": 1, "teachers_shortage": 0, "staff": 6, "staff_in_quota": 4, "staff_school_contract": 2,
 "work_summary": "Triển khai học bạ số cho khối 6.",
 "recommendations": "Đề nghị bồi dưỡng kỹ năng số cho giáo viên.",
 "software": [{"name": "K12Online", "purpose": "Dạy học trực tuyến", "vendor": "Viettel", "paid": true,
               "fee_vnd": 2500000, "fee_note": "/năm"}]}
EOF
expect doc-inspection 0 "1 phần mềm" "$CHISO" doc inspection --assessment "$A" "$tmp/insp.json" --db "$db"
"$CHISO" doc report --assessment "$A" --db "$db" --out "$tmp/r2.pdf" --no-record >/dev/null 2>&1
txt=$(pdftotext "$tmp/r2.pdf" - 2>&1 | tr '\n' ' ' | tr -s ' ')
if printf '%s' "$txt" | grep -qF "Tổng số CB-GV-CNV: 41 người" && printf '%s' "$txt" | grep -qF "K12Online" \
	&& printf '%s' "$txt" | grep -qF "2.500.000 đồng" && printf '%s' "$txt" | grep -qF "bồi dưỡng kỹ năng số"; then
	ok doc-inspection-in-report
else notok doc-inspection-in-report "$(printf '%s' "$txt" | cut -c1-400)"; fi
printf '{"teachers": -3}' >"$tmp/bad.json"
expect doc-inspection-negative 2 "phải là số nguyên không âm" "$CHISO" doc inspection --assessment "$A" "$tmp/bad.json" --db "$db"
printf '{"teachers": 3,' >"$tmp/broken.json"
expect doc-inspection-broken-json 2 "broken.json" "$CHISO" doc inspection --assessment "$A" "$tmp/broken.json" --db "$db"

# bad requests: a clear message and status 2, no file, nothing recorded
expect doc-unknown-type 2 "không có loại văn bản 'congvan'" "$CHISO" doc congvan --assessment "$A" --db "$db"
expect doc-needs-assessment 2 "cần --assessment" "$CHISO" doc report --round "$R" --db "$db"
expect doc-needs-round 2 "cần --round" "$CHISO" doc recognition --assessment "$A" --db "$db"
expect doc-no-xlsx 2 "không có bản Excel" "$CHISO" doc plan --assessment "$A" --format xlsx --db "$db" --out "$tmp/x.xlsx"
expect doc-bad-format 2 "định dạng 'odt'" "$CHISO" doc plan --assessment "$A" --format odt --db "$db"
expect doc-missing 2 "Không có hồ sơ đánh giá số 999" "$CHISO" doc report --assessment 999 --db "$db" --out "$tmp/x.pdf"
expect doc-bad-date 2 "Ngày văn bản không hợp lệ" "$CHISO" doc report --assessment "$A" --date 2025-13-01 --db "$db" --out "$tmp/x.pdf"
if [ ! -e "$tmp/x.pdf" ] && [ ! -e "$tmp/x.xlsx" ]; then ok doc-no-file-on-error; else notok doc-no-file-on-error "$(ls "$tmp")"; fi
# an assessment still in draft gets its documents (blank where nothing was entered)
expect doc-draft 0 "SHA-256" "$CHISO" doc report --assessment "$D" --db "$db" --out "$tmp/draft.pdf"
# frameworks missing (the assessment's revision is in no file, not embedded,
# not published): the document still comes out, with a warning
sqlite3 "$db" ".backup '$tmp/nofw.db'" && sqlite3 "$tmp/nofw.db" "UPDATE assessments SET framework_revision = '99' WHERE id = $A"
expect doc-no-frameworks 0 "Cảnh báo: không tìm thấy bộ chỉ số" "$CHISO" doc report --assessment "$A" --db "$tmp/nofw.db" --out "$tmp/nofw.pdf" --no-record
