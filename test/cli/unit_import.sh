#!/bin/sh
# CLI tests for `chiso unit import`: one "ok NAME" or "not ok NAME" line per
# case (test/run.sh counts them). SQLite in a temp directory.
set -u
CHISO=${CHISO:-build/chiso}
FIX=test/fixtures/import
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DB=$tmp/chiso.db

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

# expect NAME STATUS PATTERN CMD… — exit status and a fixed string in stdout+stderr
expect() {
	name=$1 want=$2 pat=$3; shift 3
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$pat"; then ok "$name"
	else notok "$name" "status $rc (wanted $want), pattern: $pat" "$(printf '%s' "$out" | head -8)"; fi
}

expect unit-help 0 "chiso unit import" "$CHISO" unit --help
expect unit-no-subcommand 2 "cần lệnh con" "$CHISO" unit
expect unit-no-file 2 "Cách dùng" "$CHISO" unit import --db "$DB"
expect unit-bad-date 2 "ngày '31/02/2025' không hợp lệ" "$CHISO" unit import "$FIX/units-bom.csv" --db "$DB" --from 31/02/2025
expect unit-missing-file 2 "Không mở được tệp" "$CHISO" unit import "$tmp/none.csv" --db "$DB"

expect unit-dry-run 0 "Chạy thử (--dry-run), không ghi gì. Nếu nhập thật: 15 đơn vị: 15 tạo mới" \
	"$CHISO" unit import "$FIX/units-bom.csv" --db "$DB" --from 2025-09-01 --dry-run
expect unit-import-csv 0 "Đã nhập 15 đơn vị: 15 tạo mới, 0 cập nhật, 0 không đổi." \
	"$CHISO" unit import "$FIX/units-bom.csv" --db "$DB" --from 01/09/2025
expect unit-reimport-xlsx 0 "Đã nhập 15 đơn vị: 0 tạo mới, 0 cập nhật, 15 không đổi." \
	"$CHISO" unit import "$FIX/units-libreoffice.xlsx" --db "$DB" --from 2025-09-01
expect unit-reimport-tcvn3 0 "Phát hiện mã TCVN3 (ABC) trong toàn tệp" \
	"$CHISO" unit import "$FIX/units-tcvn3.csv" --db "$DB" --from 2025-09-01
expect unit-reimport-vni 0 "26 không đổi" \
	"$CHISO" unit import "$FIX/units-vni.csv" --db "$DB" --from 2025-09-01

# Bad rows: exit 2, exactly the committed report, nothing written.
"$CHISO" unit import "$FIX/units-broken.csv" --db "$tmp/broken.db" >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ "$rc" -eq 2 ] && cmp -s "$tmp/out" "$FIX/units-broken.expected"; then ok unit-broken-report
else notok unit-broken-report "status $rc" "$(diff "$tmp/out" "$FIX/units-broken.expected" | head -8)"; fi

for f in bomb lying-size doctype truncated notzip; do
	"$CHISO" unit import "$FIX/$f.xlsx" --db "$DB" >"$tmp/out" 2>"$tmp/err"; rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^chiso unit import: .*$f.xlsx: " "$tmp/err"; then ok "unit-refuse-$f"
	else notok "unit-refuse-$f" "status $rc, $lines lines" "$(cat "$tmp/err")"; fi
done
