#!/bin/sh
# The command `chiso framework import` (fw_import.h): the decision's annex
# table as DOCX and as XLSX gives the same framework file, which `chiso
# framework check` accepts; the review notes name each inferred rule with
# its code and row; bad input (no id, bytes that are not UTF-8, a duplicate
# code, a file that is no table) exits 2 with a Vietnamese message naming
# the row. One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
FIX=test/fixtures/fw_import
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
meta='--title Bộ_chỉ_số_thử_nghiệm --decision-number 01/QĐ-TN --decision-date 2025-01-15 --unit-types tieu_hoc,thcs'

# shellcheck disable=SC2086
"$CHISO" framework import "$FIX/annex.docx" --id thu-nghiem $meta --out "$tmp/d.json" >"$tmp/d.out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "2 nhóm, 4 tiêu chí, 3 chỉ số" "$tmp/d.out" && ok import-docx || notok import-docx "rc $rc" "$(cat "$tmp/d.out")"
grep -qF "1.2.2 (hàng 7): tỉ lệ ≥ 50% thì được 20 điểm" "$tmp/d.out" && grep -qF "1.2.3 (hàng 8): chọn một trong các mục a, b, c" "$tmp/d.out" \
	&& ok review-notes || notok review-notes "$(cat "$tmp/d.out")"
# shellcheck disable=SC2086
"$CHISO" framework import "$FIX/annex.xlsx" --id thu-nghiem $meta --out "$tmp/x.json" >"$tmp/x.out" 2>&1 && ok import-xlsx || notok import-xlsx "$(cat "$tmp/x.out")"
"$CHISO" framework check "$tmp/d.json" >"$tmp/c.out" 2>&1 && ok output-checks || notok output-checks "$(cat "$tmp/c.out")"
same=$(python3 - "$tmp/d.json" "$tmp/x.json" <<'PY'
import json, sys
def load(p):
    f = json.load(open(p, encoding="utf-8"))
    def strip(o):
        if isinstance(o, dict):
            o.pop("origin", None)
            for v in o.values(): strip(v)
        elif isinstance(o, list):
            for v in o: strip(v)
    strip(f); f.pop("note", None)
    return f
print(load(sys.argv[1]) == load(sys.argv[2]))
PY
)
[ "$same" = True ] && ok docx-xlsx-same-framework || notok docx-xlsx-same-framework
grep -q '"origin": "annex.docx, hàng 5"' "$tmp/d.json" && grep -q '"source": "inferred"' "$tmp/d.json" && ok source-tags || notok source-tags

bad() {   # NAME FILE PATTERN [ARGS…]
	n=$1; f=$2; p=$3; shift 3
	"$CHISO" framework import "$f" "$@" >"$tmp/b.out" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -qF -- "$p" "$tmp/b.out"; then ok "$n"; else notok "$n" "rc $rc" "$(cat "$tmp/b.out")"; fi
}
bad no-id "$FIX/annex.docx" "Cách dùng"
bad not-utf8-row "$FIX/bad-utf8.docx" "Bảng thứ 2, hàng 4: văn bản không phải UTF-8 hợp lệ" --id x
bad duplicate-code "$FIX/duplicate.docx" "hàng 11: mã 1.2 bị trùng với hàng 5" --id x
printf 'không phải bảng' >"$tmp/x.pdf"
bad not-a-table "$tmp/x.pdf" "Tệp PDF không đọc được bảng" --id x
bad missing-file "$tmp/none.docx" "không mở được" --id x

# The Word file as LibreOffice writes it (annex-libreoffice.docx: annex.docx
# converted with `soffice --headless --convert-to docx`; its own table
# properties, widths, spans) and the XLSX give exactly the hand-written JSON
# fixture annex.json (origin and the file's note aside).
# shellcheck disable=SC2086
"$CHISO" framework import "$FIX/annex-libreoffice.docx" --id thu-nghiem $meta --out "$tmp/lo.json" >"$tmp/lo.out" 2>&1 \
	&& ok import-libreoffice-docx || notok import-libreoffice-docx "$(cat "$tmp/lo.out")"
same_as_fixture() {
	python3 - "$1" "$FIX/annex.json" <<'PY'
import json, sys
def load(p):
    f = json.load(open(p, encoding="utf-8"))
    def strip(o):
        if isinstance(o, dict):
            o.pop("origin", None)
            for v in o.values(): strip(v)
        elif isinstance(o, list):
            for v in o: strip(v)
    strip(f); f.pop("note", None)
    return f
print(load(sys.argv[1]) == load(sys.argv[2]))
PY
}
[ "$(same_as_fixture "$tmp/lo.json")" = True ] && ok libreoffice-docx-equals-json-fixture || notok libreoffice-docx-equals-json-fixture
[ "$(same_as_fixture "$tmp/x.json")" = True ] && ok xlsx-equals-json-fixture || notok xlsx-equals-json-fixture

# The broken-table matrix: each refused (exit 2) with a Vietnamese message
# naming the row where there is one, and no file written.
matrix() {   # NAME FILE PATTERN
	rm -f "$tmp/m.json"
	"$CHISO" framework import "$2" --id x --out "$tmp/m.json" >"$tmp/b.out" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -qF -- "$3" "$tmp/b.out" && [ ! -e "$tmp/m.json" ]; then ok "broken-$1"
	else notok "broken-$1" "rc $rc" "$(cat "$tmp/b.out")"; fi
}
matrix missing-column "$FIX/missing-column.docx" 'hàng 1: hàng tiêu đề thiếu cột "Điểm thành phần"'
matrix duplicate-code "$FIX/duplicate.docx" "hàng 11: mã 1.2 bị trùng với hàng 5"
matrix non-numeric-maximum "$FIX/nonnumeric-max.docx" 'hàng 5: cột "Điểm tối đa" không phải là số điểm: "sáu mươi"'
matrix merged-points-down "$FIX/merged-odd.docx" 'hàng 7: ô ở cột "Điểm thành phần" ("20") gộp dọc với hàng trên'
matrix no-header "$FIX/no-header.docx" 'Không tìm thấy bảng có các cột "STT | Tiêu chí | Điểm tối đa'
matrix empty-file "$FIX/empty.docx" "Tệp rỗng (0 byte)"
matrix not-a-docx "$FIX/not-a-docx.docx" "Tệp không phải DOCX hợp lệ"
matrix not-utf8 "$FIX/bad-utf8.docx" "hàng 4: văn bản không phải UTF-8 hợp lệ"

# The imported sets score answer sheets exactly as the hand-written fixture does
mkdir -p "$tmp/fj" "$tmp/fl" "$tmp/fx"
cp "$FIX/annex.json" "$tmp/fj/t.json"; cp "$tmp/lo.json" "$tmp/fl/t.json"; cp "$tmp/x.json" "$tmp/fx/t.json"
printf '%s' '{"answers": {"1.1": true, "1.2.1": true, "1.2.2": {"num": 30, "den": 40}, "1.2.3": "b", "1.3": false, "2.1": {"points": 72.5, "reason": "Đủ"}}}' >"$tmp/s1.json"
printf '%s' '{"answers": {"1.1": false, "1.2.1": false, "1.2.2": {"num": 10, "den": 40}, "1.2.3": "a", "1.3": true, "2.1": {"points": 20, "reason": "Thiếu"}}}' >"$tmp/s2.json"
for s in s1 s2; do
	for d in fj fl fx; do
		"$CHISO" score --framework thu-nghiem --frameworks "$tmp/$d" --unit-type thcs --json "$tmp/$s.json" >"$tmp/$s.$d" 2>&1
	done
	if grep -q '"total"' "$tmp/$s.fj" && cmp -s "$tmp/$s.fj" "$tmp/$s.fl" && cmp -s "$tmp/$s.fj" "$tmp/$s.fx"; then ok "imported-scores-like-fixture-$s"
	else notok "imported-scores-like-fixture-$s" "$(head -c 300 "$tmp/$s.fj")" "$(diff "$tmp/$s.fj" "$tmp/$s.fl" | head -5)"; fi
done
