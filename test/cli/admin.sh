#!/bin/sh
# CLI tests for the administrative commands: user, round open, audit verify,
# levels verify, backup/restore, demo. One "ok NAME" / "not ok NAME" line per
# case (test/run.sh counts them). The demo database is built once and reused.
# With CHISO_TEST_PG set, backup and restore also run on PostgreSQL.
set -u
CHISO=${CHISO:-build/chiso}
tmp=$(mktemp -d)
pgdbs=""
cleanup() {
	if [ -n "$pgdbs" ]; then
		for x in $pgdbs; do psql -q -X "$CHISO_TEST_PG" -c "DROP DATABASE IF EXISTS $x" >/dev/null 2>&1; done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
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

db=$tmp/a.db

# ---- user ------------------------------------------------------------------
expect user-add 0 "Đã tạo tài khoản nguyenvana (Nguyễn Văn A)" \
	"$CHISO" user add NguyenVanA --name "Nguyễn Văn A" --password chiso2025 --db "$db"
expect user-add-duplicate 2 "Tên đăng nhập 'nguyenvana' đã có người dùng" \
	"$CHISO" user add nguyenvana --name "Người khác" --password chiso2025 --db "$db"
out=$(printf 'mat-khau-dai\n' | "$CHISO" user add tranthib --name "Trần Thị B" --db "$db" 2>&1); rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -qF "Đã tạo tài khoản tranthib"; then ok user-add-password-stdin
else notok user-add-password-stdin "status $rc" "$out"; fi
expect user-add-short-password 2 "Mật khẩu phải có ít nhất 8 ký tự" \
	"$CHISO" user add lethic --name "Lê Thị C" --password ngan --db "$db"
expect user-add-no-name 2 "Cách dùng" "$CHISO" user add lethic --password chiso2025 --db "$db"
expect user-add-bad-role 2 "vai trò không hợp lệ 'hieu_truong'" \
	"$CHISO" user add lethic --name "Lê Thị C" --password chiso2025 --role hieu_truong --unit X --db "$db"
expect user-add-unknown-unit 2 "không có đơn vị mã '99999999'" \
	"$CHISO" user add lethic --name "Lê Thị C" --password chiso2025 --role principal --unit 99999999 --db "$db"
# the role failed, so the account was not left behind
expect user-add-rolled-back 0 "Đã tạo tài khoản lethic" \
	"$CHISO" user add lethic --name "Lê Thị C" --password chiso2025 --db "$db"
expect user-grant-admin 0 "đã giao vai trò Quản trị hệ thống" \
	"$CHISO" user grant nguyenvana --role system_admin --db "$db"
expect user-grant-twice 2 "Vai trò này đã được giao" \
	"$CHISO" user grant nguyenvana --role system_admin --db "$db"
expect user-grant-unknown 2 "không có tài khoản 'khongco'" \
	"$CHISO" user grant khongco --role system_admin --db "$db"

# ---- audit verify --------------------------------------------------------------
expect audit-verify 0 "Chuỗi nhật ký hợp lệ: 4 bản ghi" "$CHISO" audit verify --db "$db"

# ---- demo ------------------------------------------------------------------------
demo=$tmp/demo.db
out=$("$CHISO" demo --db "$demo" --today 2026-11-23 2>&1); rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -qF "mật khẩu của tất cả: chiso2025" &&
   printf '%s' "$out" | grep -qF "ht.52101001"; then ok demo
else notok demo "status $rc" "$(printf '%s' "$out" | tail -20)"; fi
schools=$(sqlite3 "$demo" "SELECT COUNT(*) FROM units WHERE type NOT IN ('bo','ubnd_tinh','so','phong','ubnd_xa')" 2>&1)
if [ "$schools" -ge 200 ] 2>/dev/null; then ok demo-200-schools
else notok demo-200-schools "schools: $schools"; fi
types=$(sqlite3 "$demo" "SELECT COUNT(DISTINCT type) FROM units" 2>&1)
if [ "$types" = 10 ]; then ok demo-every-type; else notok demo-every-type "types: $types"; fi
states=$(sqlite3 "$demo" "SELECT COUNT(DISTINCT a.state) FROM assessments a JOIN rounds r ON r.id = a.round_id WHERE r.school_year = '2026-2027'" 2>&1)
if [ "$states" = 10 ]; then ok demo-every-state; else notok demo-every-state "states: $states"; fi
# 2024-2025 was evaluated by the Phòng; from 1/7/2025 the Sở evaluates, a UBND manages
who=$(sqlite3 "$demo" "SELECT o.type FROM assessments a JOIN rounds r ON r.id = a.round_id JOIN units o ON o.id = r.office_unit_id JOIN units u ON u.id = a.unit_id WHERE u.code = '52101001' ORDER BY r.school_year" 2>&1 | tr '\n' ' ')
if [ "$who" = "phong so " ]; then ok demo-reform-history; else notok demo-reform-history "offices: $who"; fi
parent=$(sqlite3 "$demo" "SELECT o.type FROM unit_relations x JOIN units u ON u.id = x.unit_id JOIN units o ON o.id = x.other_unit_id WHERE u.code = '52101001' AND x.kind = 'parent' AND x.valid_to IS NULL" 2>&1)
if [ "$parent" = ubnd_xa ]; then ok demo-ubnd-manages; else notok demo-ubnd-manages "parent: $parent"; fi
files=$(find "$demo-files" -type f -name '[0-9a-f]*' | wc -l)
if [ "$files" -ge 10 ]; then ok demo-evidence-files; else notok demo-evidence-files "files: $files"; fi
expect demo-levels-verify 0 "mức đã lưu khớp kết quả chấm lại" "$CHISO" levels verify --db "$demo"
expect demo-audit-verify 0 "Chuỗi nhật ký hợp lệ" "$CHISO" audit verify --db "$demo"
expect demo-again-refused 1 "đã có dữ liệu; dùng --force" "$CHISO" demo --db "$demo"
# an interrupted demo leaves no database under the real name (make run retries)
"$CHISO" demo --db "$tmp/k.db" >/dev/null 2>&1 &
kpid=$!
# kill it as soon as its work file exists, while it is still writing
i=0
until [ -e "$tmp/k.db.new" ] || [ $i -ge 200 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 $kpid 2>/dev/null; wait $kpid 2>/dev/null
if [ $i -lt 200 ] && [ ! -e "$tmp/k.db" ]; then ok demo-interrupted; else notok demo-interrupted "$(ls -la "$tmp")"; fi
expect demo-sign-in-hash 0 "argon2id" sqlite3 "$demo" "SELECT password_hash FROM accounts WHERE login = 'ht.52101001'"

# ---- round open -------------------------------------------------------------------
expect round-open 0 "Đã tạo 52 phiếu đánh giá" \
	"$CHISO" round open --db "$demo" --office 52100000 --year 2024-2025 --title "Đợt bổ sung" \
	--framework mam_non=q7-mamnon-2023 --framework qd4725-2022 --self-due 31/05/2025 \
	--report-due 2025-06-10 --external-due 2025-06-20 \
	--target level:2:100 --target level:3:80:thcs --target level:3:60:tieu_hoc --target indicator:1.7.1:60
# after 1/7/2025 the Phòng evaluates nobody: a round finds no unit
expect round-open-after-reform 0 "Đã tạo 0 phiếu đánh giá" \
	"$CHISO" round open --db "$demo" --office 52100000 --year 2025-2026 --framework qd4725-2022
expect round-open-so 0 "Đã tạo 200 phiếu đánh giá" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2027-2028 --framework qd4725-2022 \
	--framework mam_non=q7-mamnon-2023 --self-due 2028-05-31
expect round-open-duplicate 2 "Đã có đợt đánh giá" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2027-2028 --framework qd4725-2022 \
	--framework mam_non=q7-mamnon-2023
expect round-open-incomplete 2 "chưa hoàn chỉnh" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2028-2029 --framework mam_non=qd3276-2024
expect round-open-wrong-type 2 "không áp dụng cho Mầm non" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2028-2029 --framework mam_non=qd4725-2022
expect round-open-bad-year 2 "năm học không hợp lệ '2024-2026'" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2024-2026 --framework qd4725-2022
expect round-open-not-office 2 "không phải cơ quan quản lý giáo dục" \
	"$CHISO" round open --db "$demo" --office 52101001 --year 2028-2029 --framework qd4725-2022
expect round-open-unknown-office 2 "không có đơn vị mã 'X1'" \
	"$CHISO" round open --db "$demo" --office X1 --year 2028-2029 --framework qd4725-2022
expect round-open-bad-target 2 "chỉ tiêu không hợp lệ 'level:4:80'" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2028-2029 --framework qd4725-2022 --target level:4:80
expect round-open-unknown-item 2 "không có chỉ số '9.9'" \
	"$CHISO" round open --db "$demo" --office 52000000 --year 2028-2029 --framework qd4725-2022 --target indicator:9.9:60

# ---- backup / restore (SQLite) -----------------------------------------------------
expect backup 0 "Đã sao lưu" "$CHISO" backup "$tmp/bak" --db "$demo"
if [ -f "$tmp/bak/chiso.db" ] && [ -f "$tmp/bak/MANIFEST" ] && ! ls "$tmp" | grep -q 'bak.tmp-'; then ok backup-layout
else notok backup-layout "$(ls -la "$tmp" "$tmp/bak" 2>&1)"; fi
expect backup-dest-exists 1 "đã có dữ liệu" "$CHISO" backup "$tmp/bak" --db "$demo"
expect restore 0 "Đã khôi phục" "$CHISO" restore "$tmp/bak" --db "$tmp/r.db"
q="SELECT (SELECT COUNT(*) FROM units), (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM answers), (SELECT COUNT(*) FROM evidence_files), (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)"
a=$(sqlite3 "$demo" "$q" 2>&1); b=$(sqlite3 "$tmp/r.db" "$q" 2>&1)
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok restore-same-data; else notok restore-same-data "before: $a" "after:  $b"; fi
fa=$(cd "$demo-files" && find . -type f -name '[0-9a-f]*' | sort | xargs cat | sha256sum)
fb=$(cd "$tmp/r.db-files" && find . -type f -name '[0-9a-f]*' | sort | xargs cat | sha256sum)
if [ "$fa" = "$fb" ]; then ok restore-same-files; else notok restore-same-files "$fa" "$fb"; fi
expect restore-levels-verify 0 "mức đã lưu khớp" "$CHISO" levels verify --db "$tmp/r.db"
expect restore-refuses-nonempty 1 "đã có dữ liệu; dùng --force" "$CHISO" restore "$tmp/bak" --db "$tmp/r.db"
expect restore-force 0 "Đã khôi phục" "$CHISO" restore "$tmp/bak" --db "$tmp/r.db" --force
expect restore-not-a-backup 1 "không phải bản sao lưu Chiso" "$CHISO" restore "$tmp" --db "$tmp/x.db"
# a corrupted evidence file is caught by its checksum and not restored
one=$(find "$tmp/bak/files" -type f | head -1)
printf 'hong' >>"$one"
expect restore-corrupt-file 1 "bị hỏng" "$CHISO" restore "$tmp/bak" --db "$tmp/c.db"

# ---- audit verify detects tampering --------------------------------------------------
cp "$demo" "$tmp/t.db"
sqlite3 "$tmp/t.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 3" 2>&1
expect audit-tampered 1 "bản ghi số 3 đã bị sửa, xóa hoặc chèn" "$CHISO" audit verify --db "$tmp/t.db"
cp "$demo" "$tmp/d.db"
sqlite3 "$tmp/d.db" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 7" 2>&1
expect audit-deleted 1 "bản ghi số 7 đã bị sửa, xóa hoặc chèn" "$CHISO" audit verify --db "$tmp/d.db"

# ---- levels verify detects a stored level that the answers do not give ----------------
cp "$demo" "$tmp/l.db"
sqlite3 "$tmp/l.db" "UPDATE assessments SET self_level = CASE self_level WHEN 3 THEN 1 ELSE 3 END WHERE id = (SELECT MIN(id) FROM assessments WHERE self_level > 0)"
expect levels-mismatch 1 "KHÔNG khớp" "$CHISO" levels verify --db "$tmp/l.db"

# ---- PostgreSQL ---------------------------------------------------------------------------
if [ -n "${CHISO_TEST_PG:-}" ] && command -v psql >/dev/null; then
	base=${CHISO_TEST_PG%%\?*}; query=${CHISO_TEST_PG#*\?}
	[ "$query" = "$CHISO_TEST_PG" ] && query=""
	pgurl() { echo "${base%/*}/$1${query:+?$query}"; }
	for x in chiso_adm_a chiso_adm_b; do
		psql -q -X "$CHISO_TEST_PG" -c "DROP DATABASE IF EXISTS $x" -c "CREATE DATABASE $x" >/dev/null 2>&1
		pgdbs="$pgdbs $x"
	done
	pa=$(pgurl chiso_adm_a); pb=$(pgurl chiso_adm_b)
	"$CHISO" user add giamdoc --name "Giám đốc Sở" --password chiso2025 --db "$pa" >/dev/null 2>&1
	expect pg-backup 0 "Đã sao lưu" "$CHISO" backup "$tmp/pgbak" --db "$pa" --blobs "$tmp/pgfiles"
	expect pg-restore 0 "Đã khôi phục" "$CHISO" restore "$tmp/pgbak" --db "$pb" --blobs "$tmp/pgfiles2"
	a=$("$CHISO" audit verify --db "$pa" 2>/dev/null); b=$("$CHISO" audit verify --db "$pb" 2>/dev/null)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then ok pg-restore-same-chain; else notok pg-restore-same-chain "$a" "$b"; fi
	expect pg-restore-refuses-nonempty 1 "dùng --force" "$CHISO" restore "$tmp/pgbak" --db "$pb" --blobs "$tmp/pgfiles2"
	expect pg-restore-force 0 "Đã khôi phục" "$CHISO" restore "$tmp/pgbak" --db "$pb" --blobs "$tmp/pgfiles2" --force
	expect pg-restore-into-sqlite 1 "không khôi phục được vào sqlite" "$CHISO" restore "$tmp/pgbak" --db "$tmp/pg.db"
fi
exit 0
