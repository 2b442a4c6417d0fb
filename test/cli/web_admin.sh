#!/bin/sh
# HTTP tests of the administration pages (page_admin.c, /quan-tri/) on the
# demo data set: an administrator creates a unit, moves a school to another
# evaluator from a date and the history shows both relations with their
# dates; a loop, a date before the current relation and a school as
# evaluator are refused with Vietnamese messages; an account is created,
# given a role, signs in, is disabled and can no longer sign in; a
# generated password works; the last administrator cannot lock itself out;
# an office administrator sees only its subtree's accounts; officers,
# schools and the public are kept out of every /quan-tri/ route; a POST
# without its CSRF token is 403; broken framework files (a deleted comma,
# Latin-1, a wrong maximum) show the loader's lines and publish nothing; a
# valid higher revision is published, survives a restart, reaches a second
# server on the same database, is offered to new rounds and used by one,
# while an existing assessment keeps its revision; an equal or lower
# revision is refused; a completed qd3806-2024 revision 2 goes through.
# One "ok NAME" / "not ok NAME" line per case.
#
# On SQLite (the demo fixture); then, when CHISO_TEST_PG names a PostgreSQL
# server, again on a database of its own there ("pg-" names), where the two
# servers share one PostgreSQL as in production.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
FW_DIR=$(pwd)/frameworks
tmp=$(mktemp -d)
server_pid= pid2=
cleanup() { stop_server; [ -n "$pid2" ] && kill "$pid2" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# check NAME WANT GOT [PATTERN]: the status, and a fixed string in the last body
check() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, pattern: $4}" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 600)"; fi
}
# get JAR PATH → status, body in $tmp/out
get() { curl -s -o "$tmp/out" -w '%{http_code}' -b "$1" "$base$2"; }
# post JAR PATH [curl args…] → status (the CSRF token of the session is added)
post() {
	j=$1; p=$2; shift 2
	c=$(form_csrf "$j" /quan-tri/tai-khoan)
	[ -n "$c" ] || c=$(form_csrf "$j" /)
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$j" -c "$j" --data-urlencode "_csrf=$c" "$@" "$base$p"
}
upload() {   # JAR FILE → status
	c=$(form_csrf "$1" /quan-tri/bo-chi-so)
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$1" -c "$1" -F "_csrf=$c" -F "tep=@$2;type=application/json" "$base/quan-tri/bo-chi-so"
}
PG=${CHISO_WEB_PG:-}
if [ -n "$PG" ]; then
	DB=$PG
	# the server secret of a PostgreSQL target is ./chiso.secret by default: keep it here
	export CHISO_SECRET_FILE="$tmp/chiso.secret"
	sql() { psql "$PG" -AtqX -c "$1"; }
else
	DB=$tmp/chiso.db
	sql() { sqlite3 "$DB" "$1"; }
fi
# start_server of lib/web.sh on $DB (a file or a PostgreSQL URL)
start_admin() {
	port=$(free_port)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0" \
	"$CHISO" serve --db "$DB" --blobs "$tmp/files" --port "$port" --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
	server_pid=$!
	base="http://127.0.0.1:$port"
	i=0
	until curl -s -o /dev/null "$base/dang-nhap"; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then cat "$tmp/serve.err" >&2; return 1; fi
		sleep 0.1
	done
}

if [ -n "$PG" ]; then
	# a scratch database: emptied, then the demo (~15 s)
	psql "$PG" -qX -c "DROP SCHEMA IF EXISTS public CASCADE" -c "CREATE SCHEMA public" >/dev/null 2>&1 &&
		"$CHISO" demo --db "$PG" --blobs "$tmp/files" --today "$(date -d '+10 days' +%F)" >"$tmp/demo.log" 2>&1 ||
		{ notok demo-pg "$(tail -3 "$tmp/demo.log" 2>/dev/null)"; exit 1; }
elif ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_admin || { notok server-start; exit 1; }
A=$tmp/admin
[ "$(signin "$A" admin)" = 303 ] || { notok signin-admin; exit 1; }

# ---- units ---------------------------------------------------------------------------
st=$(get "$A" "/quan-tri/don-vi?q=nguyen+binh+khiem")
check units-search-tone-insensitive 200 "$st" "Trường Tiểu học Nguyễn Bỉnh Khiêm"
st=$(get "$A" "/quan-tri/don-vi?loai=thcs")
n=$(sql "SELECT COUNT(*) FROM units WHERE type = 'thcs'")
check units-filter-type 200 "$st" "$n đơn vị."
st=$(get "$A" "/quan-tri/don-vi?trang=2")
check units-paging 200 "$st" "Trang 2 / "
# the four Phòng dissolved on 1/7/2025 (every relation ended): hidden unless asked for, then marked
st=$(get "$A" "/quan-tri/don-vi?loai=phong")
check units-dissolved-hidden 200 "$st" "0 đơn vị."
st=$(get "$A" "/quan-tri/don-vi?loai=phong&giai_the=1")
n=$(grep -o 'Đã giải thể từ 01/07/2025' "$tmp/out" | wc -l)
[ "$st" = 200 ] && [ "$n" = 4 ] && grep -q '4 đơn vị.' "$tmp/out" && grep -q 'name="giai_the" value="1" checked' "$tmp/out" \
	&& ok units-dissolved-shown-marked || notok units-dissolved-shown-marked "status $st, $n marked"
st=$(get "$A" "/quan-tri/don-vi?q=52000000")
if [ "$st" = 200 ] && grep -q 'Sở Giáo dục và Đào tạo tỉnh Gia Lai' "$tmp/out" && ! grep -q 'Đã giải thể' "$tmp/out"; then
	ok units-top-office-not-dissolved; else notok units-top-office-not-dissolved "status $st"; fi
phong=$(sql "SELECT id FROM units WHERE code = '52100000'")
check unit-page-dissolved 200 "$(get "$A" "/quan-tri/don-vi/$phong")" "Đã giải thể từ 01/07/2025"
# the new-unit form: a type to choose (no default), levels as labelled boxes, offices to pick from
st=$(get "$A" /quan-tri/don-vi/moi)
if [ "$st" = 200 ] && grep -q '<option value="" selected>— Chọn loại hình —</option>' "$tmp/out" \
   && ! grep -q 'value="bo" selected' "$tmp/out" && grep -q 'name="cap_hoc_thcs" value="1"> THCS' "$tmp/out" \
   && grep -q '<option value="52109001">Ủy ban nhân dân phường Quy Nhơn</option>' "$tmp/out" && ! grep -q 'tieu_hoc,thcs' "$tmp/out"; then
	ok unit-new-form-choices; else notok unit-new-form-choices "status $st"; fi

st=$(post "$A" /quan-tri/don-vi --data-urlencode ma=52119999 --data-urlencode "ten=Ủy ban nhân dân xã Thử Nghiệm" \
	--data-urlencode loai=ubnd_xa --data-urlencode quan_ly=52000000 --data-urlencode tu_ngay=2025-07-01)
new_id=$(sql "SELECT id FROM units WHERE code = '52119999'")
check unit-create 303 "$st"
[ -n "$new_id" ] && [ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create' AND object_id = $new_id AND account_id = (SELECT id FROM accounts WHERE login = 'admin')")" = 1 ] \
	&& ok unit-create-audited || notok unit-create-audited "id=$new_id"

st=$(post "$A" /quan-tri/don-vi --data-urlencode ma=52119995 --data-urlencode "ten=Trường TH&THCS Thử Nghiệm" \
	--data-urlencode loai=lien_cap --data-urlencode cap_hoc_tieu_hoc=1 --data-urlencode cap_hoc_thcs=1 \
	--data-urlencode quan_ly=52109001 --data-urlencode tu_ngay=2025-09-01)
lc=$(sql "SELECT id || '|' || levels FROM units WHERE code = '52119995'")
check unit-create-levels-boxes 303 "$st"
[ "${lc#*|}" = "tieu_hoc,thcs" ] && ok unit-levels-stored || notok unit-levels-stored "$lc"
get "$A" "/quan-tri/don-vi/${lc%%|*}" >/dev/null
if grep -q 'Cấp học: Tiểu học, THCS' "$tmp/out" && grep -q 'Loại hình: Liên cấp' "$tmp/out" && grep -q 'Hình thức: Công lập' "$tmp/out" \
   && ! grep -q 'tieu_hoc,thcs' "$tmp/out" && ! grep -q 'lien_cap<' "$tmp/out"; then ok unit-audit-labels-vietnamese
else notok unit-audit-labels-vietnamese "$(grep -o 'Cấp học[^<]*' "$tmp/out" | head -2)"; fi
st=$(post "$A" /quan-tri/don-vi --data-urlencode ma=52119994 --data-urlencode "ten=Trường Chưa Chọn Loại" --data-urlencode loai= \
	--data-urlencode quan_ly=52109001 --data-urlencode tu_ngay=2025-09-01)
[ "$st" = 422 ] && [ -z "$(sql "SELECT id FROM units WHERE code = '52119994'")" ] && ok unit-create-needs-type || notok unit-create-needs-type "status $st"

school=$(sql "SELECT id FROM units WHERE code = '52101001'")
st=$(post "$A" "/quan-tri/don-vi/$school/quan-he" --data-urlencode loai_quan_he=evaluator --data-urlencode don_vi=52119999 \
	--data-urlencode tu_ngay=2026-09-01)
check unit-move-evaluator 303 "$st"
get "$A" "/quan-tri/don-vi/$school" >/dev/null
flat=$(sed -e 's/<tr/\n<tr/g' -e 's/<td [^>]*>/<td>/g' "$tmp/out")
if printf '%s\n' "$flat" | grep -q 'Ủy ban nhân dân xã Thử Nghiệm (52119999)</td><td>01/09/2026</td><td>nay</td><td>Quản trị hệ thống (admin)' &&
   printf '%s\n' "$flat" | grep -q 'Sở Giáo dục và Đào tạo tỉnh Gia Lai (52000000)</td><td>01/07/2025</td><td>31/08/2026</td>' &&
   printf '%s\n' "$flat" | grep -q 'Phòng Giáo dục và Đào tạo thành phố Quy Nhơn (52100000)</td><td>01/08/2020</td><td>30/06/2025</td>'; then
	ok unit-history-both-relations
else notok unit-history-both-relations "$(printf '%s\n' "$flat" | grep -E '52119999|52000000' | head -4)"; fi
# the store: the old row closed on the new date, never rewritten
[ "$(sql "SELECT valid_from || '/' || valid_to FROM unit_relations WHERE unit_id = $school AND kind = 'evaluator' AND other_unit_id = (SELECT id FROM units WHERE code = '52000000')")" = "2025-07-01/2026-09-01" ] \
	&& ok unit-relation-closed-not-rewritten || notok unit-relation-closed-not-rewritten

so=$(sql "SELECT id FROM units WHERE code = '52000000'")
st=$(post "$A" "/quan-tri/don-vi/$so/quan-he" --data-urlencode loai_quan_he=parent --data-urlencode don_vi=52119999 \
	--data-urlencode tu_ngay=2026-09-01)
check unit-cycle-refused 422 "$st" "(vòng lặp)"
st=$(post "$A" "/quan-tri/don-vi/$school/quan-he" --data-urlencode loai_quan_he=evaluator --data-urlencode don_vi=52000000 \
	--data-urlencode tu_ngay=2026-08-01)
check unit-date-before-current-refused 422 "$st" "không thể ghi thay đổi sớm hơn"
st=$(post "$A" "/quan-tri/don-vi/$school/quan-he" --data-urlencode loai_quan_he=evaluator --data-urlencode don_vi=52102001 \
	--data-urlencode tu_ngay=2026-10-01)
check unit-evaluator-must-be-office 422 "$st" "không phải cơ quan quản lý"
st=$(post "$A" "/quan-tri/don-vi/$new_id" --data-urlencode ma=52119998 --data-urlencode "ten=UBND xã Thử Nghiệm Mới" \
	--data-urlencode loai=ubnd_xa --data-urlencode cong_lap=1)
[ "$st" = 303 ] && [ "$(sql "SELECT code || '|' || name FROM units WHERE id = $new_id")" = "52119998|UBND xã Thử Nghiệm Mới" ] \
	&& ok unit-edit-code-and-name || notok unit-edit-code-and-name "status $st"

# import: a CSV with one bad row is refused whole; the corrected one is checked, then imported
# The check is a background job too (kind unit-import, "check": true): the upload answers 303
# to its page, which shows the importer's report and, when every row is good, "Nhập".
# check_upload FILE → $st = "HTTP-status/final state", the job's page in $tmp/out, its number in $cjob
check_upload() {
	cjob=
	code=$(curl -s -o /dev/null -D "$tmp/hdr" -w '%{http_code}' -b "$A" -F "_csrf=$c" -F "tu_ngay=2026-09-01" \
		-F "tep=@$1;type=text/csv" "$base/quan-tri/don-vi/nhap")
	cjob=$(tr -d '\r' <"$tmp/hdr" | sed -n 's|^[Ll]ocation: .*/quan-tri/don-vi/nhap/\([0-9]*\)$|\1|p')
	i=0 cs=
	while [ -n "$cjob" ] && [ $i -lt 300 ]; do
		cs=$(curl -s -b "$A" "$base/quan-tri/don-vi/nhap/$cjob/trang-thai" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null)
		case $cs in done|failed|cancelled) break ;; esac
		i=$((i + 1)); sleep 0.2
	done
	[ -n "$cjob" ] && get "$A" "/quan-tri/don-vi/nhap/$cjob" >/dev/null
	st="$code/$cs"
}
printf 'Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n52119101,Trường Mầm non Thử Nghiệm,Mầm non,52119998\n52119102,Trường Tiểu học Thử Nghiệm,Lớp học,52119998\n' >"$tmp/bad.csv"
c=$(form_csrf "$A" /quan-tri/don-vi/nhap)
check_upload "$tmp/bad.csv"
check unit-import-report-refuses 303/failed "$st" "Dòng 3"
grep -q '>Nhập</button>' "$tmp/out" && notok unit-import-refused-no-confirm || ok unit-import-refused-no-confirm
[ -n "$cjob" ] && [ "$(sql "SELECT kind FROM jobs WHERE id = $cjob AND params LIKE '%\"check\":true%'")" = unit-import ] \
	&& ok unit-import-check-is-a-job || notok unit-import-check-is-a-job "job $cjob"
printf 'Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n52119101,Trường Mầm non Thử Nghiệm,Mầm non,52119998\n52119102,Trường Tiểu học Thử Nghiệm,Tiểu học,52119998\n' >"$tmp/good.csv"
check_upload "$tmp/good.csv"
fid=$(sed -n 's/.*action="\/quan-tri\/don-vi\/nhap\/\([0-9]*\)".*/\1/p' "$tmp/out" | head -1)
[ "$st" = 303/done ] && [ -n "$fid" ] && grep -q '>Nhập</button>' "$tmp/out" && grep -q 'Kết quả kiểm tra' "$tmp/out" && [ "$(sql "SELECT COUNT(*) FROM units WHERE code LIKE '5211910_'")" = 0 ] \
	&& ok unit-import-checked-not-written || notok unit-import-checked-not-written "status $st fid=$fid"
# the page explains the columns itself and offers a template: UTF-8 with BOM, the header and one row that passes the check
st=$(get "$A" /quan-tri/don-vi/nhap)
[ "$st" = 200 ] && grep -q 'href="/quan-tri/don-vi/nhap/mau.csv"' "$tmp/out" && grep -q '<td>Mã đơn vị quản lý</td>' "$tmp/out" \
	&& ! grep -q 'docs/' "$tmp/out" && ok unit-import-page-explains || notok unit-import-page-explains "status $st"
st=$(curl -s -o "$tmp/mau.csv" -D "$tmp/hdr" -w '%{http_code}' -b "$A" "$base/quan-tri/don-vi/nhap/mau.csv")
if [ "$st" = 200 ] && [ "$(head -c 3 "$tmp/mau.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && [ "$(wc -l <"$tmp/mau.csv")" = 2 ] \
   && head -1 "$tmp/mau.csv" | grep -q 'Mã đơn vị,Tên đơn vị,Loại hình,Các cấp học,Mã đơn vị quản lý' \
   && tr -d '\r' <"$tmp/hdr" | grep -qi '^content-disposition: attachment; filename="mau-danh-sach-don-vi.csv"'; then ok unit-import-template
else notok unit-import-template "status $st"; fi
check_upload "$tmp/mau.csv"
[ "$st" = 303/done ] && grep -q '>Nhập</button>' "$tmp/out" && grep -q 'Kiểm tra xong, chưa ghi gì. Khi nhập: 1 đơn vị: 1 tạo mới' "$tmp/out" \
	&& ! grep -q -- '--dry-run' "$tmp/out" && ok unit-import-template-passes-check || notok unit-import-template-passes-check "status $st"
# confirming queues a background job (kind unit-import) and shows its page: follow it to the end
# confirm FILE_ID → $st, and the job's number in $job
confirm() {
	job=
	st=$(curl -s -o "$tmp/out" -D "$tmp/hdr" -w '%{http_code}' -b "$A" --data-urlencode "_csrf=$c" --data-urlencode tu_ngay=2026-09-01 \
		"$base/quan-tri/don-vi/nhap/$1")
	job=$(tr -d '\r' <"$tmp/hdr" | sed -n 's|^[Ll]ocation: .*/quan-tri/don-vi/nhap/\([0-9]*\)$|\1|p')
}
# wait_job JOB → the job's final state, from its JSON status (at most ~60 s)
wait_job() {
	i=0
	while [ $i -lt 300 ]; do
		s=$(curl -s -b "$A" "$base/quan-tri/don-vi/nhap/$1/trang-thai" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null)
		case $s in done|failed|cancelled) echo "$s"; return ;; esac
		i=$((i + 1)); sleep 0.2
	done
	echo "timeout:$s"
}
confirm "$fid"
[ "$st" = 303 ] && [ -n "$job" ] && [ "$(sql "SELECT kind || '|' || state FROM jobs WHERE id = $job" | cut -d'|' -f1)" = unit-import ] \
	&& ok unit-import-queues-job || notok unit-import-queues-job "status $st job=$job"
js=$(wait_job "$job")
job1=$job
st=$(get "$A" "/quan-tri/don-vi/nhap/$job")
[ "$js" = done ] && [ "$st" = 200 ] && grep -qF "Đã nhập 2 đơn vị: 2 tạo mới, 0 cập nhật, 0 không đổi." "$tmp/out" \
	&& grep -qF 'data-job-state="done"' "$tmp/out" && grep -qF '2/2 bước' "$tmp/out" \
	&& ok unit-import-job-done || notok unit-import-job-done "state $js, page $st" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 600)"
[ "$(sql "SELECT COUNT(*) FROM units WHERE code LIKE '5211910_'")" = 2 ] \
	&& [ "$(sql "SELECT COUNT(*) FROM unit_relations r JOIN units u ON u.id = r.unit_id JOIN units p ON p.id = r.other_unit_id WHERE u.code LIKE '5211910_' AND r.kind = 'parent' AND p.code = '52119998' AND r.valid_from = '2026-09-01'")" = 2 ] \
	&& [ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create' AND account_id = (SELECT id FROM accounts WHERE login = 'admin') AND object_id IN (SELECT id FROM units WHERE code LIKE '5211910_')")" = 2 ] \
	&& [ -n "$(sql "SELECT imported_at FROM unit_import_files WHERE id = $fid")" ] \
	&& ok unit-import-committed || notok unit-import-committed "units $(sql "SELECT COUNT(*) FROM units WHERE code LIKE '5211910_'")"
s=$(curl -s -b "$A" "$base/quan-tri/don-vi/nhap/$job/trang-thai")
printf '%s' "$s" | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["state"] == "done" and j["done"] == 2 and j["total"] == 2 and "Đã nhập 2 đơn vị" in j["message"]' 2>/dev/null \
	&& ok unit-import-job-status-json || notok unit-import-job-status-json "$s"
confirm "$fid"
check unit-import-once 409 "$st"
check unit-import-job-ended-not-cancelled 409 "$(post "$A" "/quan-tri/don-vi/nhap/$job1/huy")" "đã kết thúc"
check unit-import-job-unknown-404 404 "$(get "$A" "/quan-tri/don-vi/nhap/$(sql "SELECT COALESCE(MAX(id), 0) + 1000 FROM jobs")")"
# the database changed between the report and the confirmation: the job checks every row again,
# fails with the importer's Vietnamese report and writes nothing
st=$(post "$A" /quan-tri/don-vi --data-urlencode ma=52119997 --data-urlencode "ten=UBND xã Tạm Thời" \
	--data-urlencode loai=ubnd_xa --data-urlencode quan_ly=52000000 --data-urlencode tu_ngay=2025-07-01)
tmp_office=$(sql "SELECT id FROM units WHERE code = '52119997'")
printf 'Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n52119103,Trường THCS Thử Nghiệm,THCS,52119997\n52119101,Trường Mầm non Thử Nghiệm Đổi Tên,Mầm non,52119998\n' >"$tmp/later.csv"
check_upload "$tmp/later.csv"
fid2=$(sed -n 's/.*action="\/quan-tri\/don-vi\/nhap\/\([0-9]*\)".*/\1/p' "$tmp/out" | head -1)
[ "$st" = 303/done ] && [ -n "$fid2" ] && [ -n "$tmp_office" ] && ok unit-import-later-checked || notok unit-import-later-checked "status $st fid=$fid2"
st=$(post "$A" "/quan-tri/don-vi/$tmp_office" --data-urlencode ma=52119997 --data-urlencode "ten=Trường THCS Tạm Thời" \
	--data-urlencode loai=thcs --data-urlencode cong_lap=1)
[ "$st" = 303 ] || notok unit-import-later-office-now-school "status $st"
unit_audit_before=$(sql "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'unit.%'")
confirm "$fid2"
js=$(wait_job "$job")
get "$A" "/quan-tri/don-vi/nhap/$job" >/dev/null
[ "$st" = 303 ] && [ "$js" = failed ] && grep -qF "tệp không còn hợp lệ với dữ liệu hiện tại. Chưa ghi gì." "$tmp/out" \
	&& grep -qF "Dòng 2: đơn vị quản lý '52119997' là trường học (THCS)" "$tmp/out" \
	&& ok unit-import-invalid-meanwhile-fails || notok unit-import-invalid-meanwhile-fails "status $st state $js" "$(grep -A2 "LỖI" "$tmp/out")"
# nothing written: neither the new school, nor the other row's new name, nor the mark, nor a unit audit row
[ "$(sql "SELECT COUNT(*) FROM units WHERE code = '52119103'")" = 0 ] \
	&& [ "$(sql "SELECT name FROM units WHERE code = '52119101'")" = "Trường Mầm non Thử Nghiệm" ] \
	&& [ -z "$(sql "SELECT imported_at FROM unit_import_files WHERE id = $fid2")" ] \
	&& [ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'unit.%'")" = "$unit_audit_before" ] \
	&& ok unit-import-invalid-writes-nothing || notok unit-import-invalid-writes-nothing
# the job's pages are the import pages': an office administrator, an office officer and a school get 403
for who in so.binhdinh ubnd.quynhon ht.52101001; do
	J=$tmp/j.$who
	signin "$J" $who >/dev/null
	a1=$(get "$J" "/quan-tri/don-vi/nhap/$job") a2=$(get "$J" "/quan-tri/don-vi/nhap/$job/trang-thai")
	[ "$a1" = 403 ] && [ "$a2" = 403 ] && ok "unit-import-job-403-$who" || notok "unit-import-job-403-$who" "page $a1, status $a2"
done

# ---- accounts ------------------------------------------------------------------------
st=$(post "$A" /quan-tri/tai-khoan --data-urlencode dang_nhap=cb.thunghiem --data-urlencode "ho_ten=Trần Thị Thử" \
	--data-urlencode email=thu@example.vn --data-urlencode vai_tro=officer --data-urlencode don_vi=52000000 \
	--data-urlencode mat_khau=matkhau-2026)
check account-create 303 "$st"
acc=$(sql "SELECT id FROM accounts WHERE login = 'cb.thunghiem'")
[ "$(sql "SELECT email FROM accounts WHERE id = $acc")" = thu@example.vn ] && ok account-email || notok account-email
st=$(post "$A" "/quan-tri/tai-khoan/$acc/vai-tro" --data-urlencode vai_tro=principal --data-urlencode don_vi=52101001)
[ "$st" = 303 ] && [ "$(sql "SELECT COUNT(*) FROM role_assignments WHERE account_id = $acc")" = 2 ] \
	&& ok account-grant-role || notok account-grant-role "status $st"
get "$A" "/quan-tri/tai-khoan?q=tran%20thi%20thu" >/dev/null
grep -q "cb.thunghiem" "$tmp/out" && ok account-search-tone-insensitive || notok account-search-tone-insensitive
check account-signs-in 303 "$(signin "$tmp/new" cb.thunghiem matkhau-2026)"
# locking asks for the ticked confirmation, on the server too
st=$(post "$A" "/quan-tri/tai-khoan/$acc/trang-thai" --data-urlencode hoat_dong=0)
[ "$st" = 422 ] && grep -q "hãy đánh dấu ô xác nhận" "$tmp/out" && [ "$(sql "SELECT active FROM accounts WHERE id = $acc")" = 1 ] \
	&& ok account-disable-needs-confirmation || notok account-disable-needs-confirmation "status $st"
get "$A" "/quan-tri/tai-khoan/$acc" >/dev/null
grep -q 'name="xac_nhan" value="1" required' "$tmp/out" && grep -q 'class="danger">Khóa tài khoản' "$tmp/out" \
	&& grep -q 'class="danger">Thu hồi' "$tmp/out" && ok account-danger-buttons || notok account-danger-buttons
st=$(post "$A" "/quan-tri/tai-khoan/$acc/trang-thai" --data-urlencode hoat_dong=0 --data-urlencode xac_nhan=1)
check account-disable 303 "$st"
st=$(signin "$tmp/new2" cb.thunghiem matkhau-2026)
[ "$st" != 303 ] && ok account-disabled-cannot-sign-in || notok account-disabled-cannot-sign-in "status $st"
st=$(get "$tmp/new" /quan-tri/tai-khoan)
[ "$st" != 200 ] && ok account-disabled-session-dead || notok account-disabled-session-dead "status $st"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE object_type = 'account' AND object_id = $acc AND action IN ('account.create', 'role.grant', 'account.disable')")" = 4 ] \
	&& ok account-audited || notok account-audited
# a generated password: 303 to the new account's page, which shows it once (not in the URL)
c=$(form_csrf "$A" /quan-tri/tai-khoan)
st=$(curl -s -o "$tmp/out" -D "$tmp/hdr" -w '%{http_code}' -b "$A" -c "$A" --data-urlencode "_csrf=$c" \
	--data-urlencode dang_nhap=gv.matkhautudong --data-urlencode "ho_ten=Lê Văn Tự" \
	--data-urlencode vai_tro=principal --data-urlencode don_vi=52102001 "$base/quan-tri/tai-khoan")
gen=$(sql "SELECT id FROM accounts WHERE login = 'gv.matkhautudong'")
loc=$(tr -d '\r' <"$tmp/hdr" | sed -n 's/^[Ll]ocation: //p')
# as a browser does: the page's Set-Cookie (deleting the one-time cookie) is kept
st2=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$A" -c "$A" "$base$loc")
pw=$(sed -n 's/.*<strong class="password">\([^<]*\)<.*/\1/p' "$tmp/out")
curl -s -o "$tmp/out" -b "$A" -c "$A" "$base$loc"
again=$(grep -c 'class="password"' "$tmp/out")
[ "$st" = 303 ] && [ "$loc" = "/quan-tri/tai-khoan/$gen" ] && [ "$st2" = 200 ] && [ ${#pw} = 16 ] && [ "$again" = 0 ] \
   && [ "$(signin "$tmp/gen" gv.matkhautudong "$pw")" = 303 ] \
	&& ok account-generated-password-once || notok account-generated-password-once "status $st → $loc $st2 pw=$pw again=$again"
! grep -qF -- "$pw" "$tmp/hdr" "$tmp/serve.out" "$tmp/serve.err" && ok generated-password-not-in-url-or-log \
	|| notok generated-password-not-in-url-or-log
grep -q chiso_mat_khau "$A" && notok once-cookie-deleted || ok once-cookie-deleted
# the list: roles with their unit; a council member's round chosen by name
get "$A" "/quan-tri/tai-khoan?q=gv.matkhautudong" >/dev/null
grep -q 'Thủ trưởng đơn vị — Trường [^<]*(52102001)' "$tmp/out" && ok accounts-list-roles || notok accounts-list-roles
rnd=$(sql "SELECT id FROM rounds WHERE state = 'open' ORDER BY id DESC LIMIT 1")
get "$A" /quan-tri/tai-khoan >/dev/null
grep -q "<option value=\"$rnd\">[^<]*(20[0-9-]*)</option>" "$tmp/out" && grep -q '<details class="create" id="tao">' "$tmp/out" \
	&& ok accounts-form-round-select || notok accounts-form-round-select "round $rnd"
st=$(post "$A" /quan-tri/tai-khoan --data-urlencode dang_nhap=hd.thunghiem --data-urlencode "ho_ten=Hội Đồng Thử" \
	--data-urlencode vai_tro=council_member --data-urlencode don_vi=52101001 --data-urlencode "dot=$rnd" --data-urlencode mat_khau=matkhau-2026)
[ "$st" = 303 ] && [ "$(sql "SELECT r.round_id FROM role_assignments r JOIN accounts a ON a.id = r.account_id WHERE a.login = 'hd.thunghiem'")" = "$rnd" ] \
	&& ok account-council-member-round || notok account-council-member-round "status $st"
admin_id=$(sql "SELECT id FROM accounts WHERE login = 'admin'")
st=$(post "$A" "/quan-tri/tai-khoan/$admin_id/trang-thai" --data-urlencode hoat_dong=0 --data-urlencode xac_nhan=1)
check admin-cannot-disable-self 422 "$st" "tự khóa"
ra=$(sql "SELECT id FROM role_assignments WHERE account_id = $admin_id AND role = 'system_admin'")
st=$(post "$A" "/quan-tri/tai-khoan/$admin_id/thu-hoi" --data-urlencode phan_quyen=$ra)
check revoke-needs-confirmation 422 "$st" "hãy đánh dấu ô xác nhận"
st=$(post "$A" "/quan-tri/tai-khoan/$admin_id/thu-hoi" --data-urlencode phan_quyen=$ra --data-urlencode xac_nhan=1)
check last-admin-role-kept 422 "$st" "quản trị hệ thống cuối cùng"
[ "$(sql "SELECT active FROM accounts WHERE id = $admin_id")" = 1 ] && ok last-admin-still-active || notok last-admin-still-active

# an office administrator: its subtree's accounts only
O=$tmp/office
[ "$(signin "$O" so.binhdinh)" = 303 ] || notok signin-office-admin
st=$(get "$O" /quan-tri/tai-khoan)
if [ "$st" = 200 ] && grep -q ">ht.52101001<" "$tmp/out" && ! grep -q ">admin<" "$tmp/out"; then ok office-admin-sees-subtree-accounts
else notok office-admin-sees-subtree-accounts "status $st"; fi
check office-admin-not-system-account 403 "$(get "$O" "/quan-tri/tai-khoan/$admin_id")"
check office-admin-manages-its-school 200 "$(get "$O" "/quan-tri/don-vi/$school")"
check office-admin-not-its-own-office 403 "$(get "$O" "/quan-tri/don-vi/$so")" "không thuộc phạm vi"
# within its subtree (the Sở, the new UBND created under it, the communes that report to it
# since 1/7/2025), not to a unit outside it (the province's People's Committee above it)
st=$(post "$O" "/quan-tri/don-vi/$school/quan-he" --data-urlencode loai_quan_he=evaluator --data-urlencode don_vi=52000000 \
	--data-urlencode tu_ngay=2026-12-01)
[ "$st" = 303 ] && [ "$(sql "SELECT COUNT(*) FROM unit_relations WHERE unit_id = $school AND kind = 'evaluator' AND valid_from = '2026-12-01' AND other_unit_id = $so")" = 1 ] \
	&& ok office-admin-moves-within-subtree || notok office-admin-moves-within-subtree "status $st"
st=$(post "$O" "/quan-tri/don-vi/$school/quan-he" --data-urlencode loai_quan_he=parent --data-urlencode don_vi=52000090 \
	--data-urlencode tu_ngay=2026-12-01)
check office-admin-not-outside-subtree 403 "$st" "không thuộc phạm vi"
st=$(post "$O" /quan-tri/tai-khoan --data-urlencode dang_nhap=leo.thang --data-urlencode "ho_ten=Leo Thang" \
	--data-urlencode vai_tro=system_admin --data-urlencode mat_khau=matkhau-2026)
check office-admin-no-escalation 422 "$st" "vượt quá quyền"
check office-admin-cannot-publish-frameworks 403 "$(upload "$O" "$FW_DIR/qd4725-2022.json")"

# ---- who is kept out -----------------------------------------------------------------
"$CHISO" test-routes | grep ' /quan-tri' >"$tmp/routes"
[ -s "$tmp/routes" ] || notok routes-listed
for who in ubnd.quynhon ht.52101001; do
	J=$tmp/j.$who
	signin "$J" $who >/dev/null
	bad=
	while read -r m p _; do
		u=$(printf '%s' "$p" | sed "s/{id}/$school/g")
		if [ "$m" = GET ]; then st=$(get "$J" "$u"); else st=$(post "$J" "$u" --data-urlencode x=1); fi
		[ "$st" = 403 ] || bad="$bad $m:$u=$st"
	done <"$tmp/routes"
	[ -z "$bad" ] && ok "forbidden-every-route-$who" || notok "forbidden-every-route-$who" "$bad"
done
bad=
while read -r m p _; do
	[ "$m" = GET ] || continue
	u=$(printf '%s' "$p" | sed "s/{id}/$school/g")
	loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$base$u")
	case $loc in "303 "*/dang-nhap*) ;; *) bad="$bad $u=$loc" ;; esac
done <"$tmp/routes"
[ -z "$bad" ] && ok anonymous-redirected-to-signin || notok anonymous-redirected-to-signin "$bad"
before=$(sql "SELECT COUNT(*) FROM units")
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$A" --data-urlencode ma=52119990 --data-urlencode ten=X --data-urlencode loai=thcs "$base/quan-tri/don-vi")
[ "$st" = 403 ] && [ "$(sql "SELECT COUNT(*) FROM units")" = "$before" ] && ok csrf-missing-403 || notok csrf-missing-403 "status $st"

# ---- frameworks ----------------------------------------------------------------------
python3 - "$FW_DIR" "$tmp" <<'EOF'
import json, sys
src, out = sys.argv[1], sys.argv[2]
text = open(src + '/qd4725-2022.json', encoding='utf-8').read()
i = text.index('"revision"')
j = text.index(',', i)
open(out + '/comma.json', 'w', encoding='utf-8').write(text[:j] + text[j + 1:])   # a deleted comma
d = json.loads(text)
d['note'] = 'Bản sửa thử: ghi chú đổi, có chữ Việt để thấy mã Latin-1.'
d['revision'] = 2
# saved by an editor in Latin-1/Windows-1252: 'ữ' became one byte, not UTF-8
open(out + '/latin1.json', 'wb').write(json.dumps(d, ensure_ascii=False).encode('utf-8').replace('ữ'.encode('utf-8'), b'\xfd'))
bad = json.loads(text); bad['revision'] = 2; bad['groups'][0]['max'] = 90
json.dump(bad, open(out + '/max.json', 'w', encoding='utf-8'), ensure_ascii=False)
d['groups'][0]['title'] = d['groups'][0]['title'] + ' (sửa)'
json.dump(d, open(out + '/rev2.json', 'w', encoding='utf-8'), ensure_ascii=False)
same = json.loads(text)
json.dump(same, open(out + '/rev1.json', 'w', encoding='utf-8'), ensure_ascii=False)
f = json.load(open(src + '/qd3806-2024.json', encoding='utf-8'))
f['revision'] = 2
f['status'] = 'complete'
f['note'] = 'Nhóm 1 bổ sung theo văn bản chính thức (thử nghiệm).'
g1 = f['groups'][0]
g1.pop('note', None)
g1['max'] = 60
g1['criteria'] = [{'code': '1.%d' % k, 'title': 'Tiêu chí thử %d' % k, 'source': 'inferred',
                   'rule': {'kind': 'yes_no', 'points': 10}} for k in range(1, 7)]
json.dump(f, open(out + '/3806.json', 'w', encoding='utf-8'), ensure_ascii=False)
EOF
published() { sql "SELECT COUNT(*) FROM framework_versions WHERE publish_seq IS NOT NULL"; }
st=$(upload "$A" "$tmp/comma.json")
check framework-deleted-comma 422 "$st" "comma.json: dòng"
grep -q "JSON không hợp lệ" "$tmp/out" && ok framework-deleted-comma-message || notok framework-deleted-comma-message
st=$(upload "$A" "$tmp/latin1.json")
check framework-latin1 422 "$st" "không phải UTF-8 hợp lệ"
st=$(upload "$A" "$tmp/max.json")
check framework-wrong-maximum 422 "$st" "max.json: groups[0].max: tổng điểm các thành phần (100) vượt điểm tối đa khai báo (90)"
[ "$(published)" = 0 ] && ! grep -q "Công bố</button>" "$tmp/out" && ok framework-broken-publishes-nothing || notok framework-broken-publishes-nothing
st=$(upload "$A" "$tmp/rev1.json")
check framework-equal-revision-refused 422 "$st" "Phiên bản này đã có"

# a school's current assessment before the new revision
S=$tmp/school
signin "$S" ht.52101001 >/dev/null
aid=$(curl -s -b "$S" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
rev_of() { curl -s -b "$S" "$base/api/v1/danh-gia/$aid" | python3 -c 'import json,sys; f=json.load(sys.stdin)["framework"]; print("%s@%s" % (f["id"], f["revision"]))'; }
[ "$(rev_of)" = "qd4725-2022@1" ] || notok assessment-revision-before "$(rev_of)"

st=$(upload "$A" "$tmp/rev2.json")
check framework-valid-report 200 "$st" "Tệp hợp lệ."
grep -q "Khác biệt so với phiên bản 1" "$tmp/out" && grep -q "2 nhóm" "$tmp/out" && ok framework-report-summary-diff || notok framework-report-summary-diff
draft=$(sed -n 's/.*action="\/quan-tri\/bo-chi-so\/\([0-9]*\)\/cong-bo".*/\1/p' "$tmp/out" | head -1)
[ "$(published)" = 0 ] && ok framework-not-published-before-confirm || notok framework-not-published-before-confirm
# a second server on the same database, started before the publication
base1=$base
port2=$(free_port)
"$CHISO" serve --db "$DB" --blobs "$tmp/files" --port "$port2" --quiet >"$tmp/serve2.out" 2>"$tmp/serve2.err" &
pid2=$!
i=0; until curl -s -o /dev/null "http://127.0.0.1:$port2/dang-nhap" || [ $i -gt 100 ]; do i=$((i + 1)); sleep 0.1; done
st=$(post "$A" "/quan-tri/bo-chi-so/$draft/cong-bo")
check framework-publish 303 "$st"
get "$A" /quan-tri/bo-chi-so >/dev/null
grep -q 'data-framework="qd4725-2022@2"' "$tmp/out" && ok framework-listed || notok framework-listed
st=$(post "$A" "/quan-tri/bo-chi-so/$draft/cong-bo")
check framework-publish-twice-refused 409 "$st"
sleep 3   # the second server looks for new versions at most every 2 s
base=http://127.0.0.1:$port2
signin "$tmp/o2" so.binhdinh >/dev/null
st=$(get "$tmp/o2" "/dot?cq=$so")
check framework-second-server-offers-new-revision 200 "$st" 'value="qd4725-2022@2"'
base=$base1
kill "$pid2" 2>/dev/null; wait "$pid2" 2>/dev/null; pid2=

# survives a restart; the old assessment keeps revision 1
stop_server
start_admin || { notok server-restart; exit 1; }
signin "$A" admin >/dev/null
signin "$S" ht.52101001 >/dev/null
get "$A" /quan-tri/bo-chi-so >/dev/null
grep -q 'data-framework="qd4725-2022@2"' "$tmp/out" && ok framework-survives-restart || notok framework-survives-restart
[ "$(rev_of)" = "qd4725-2022@1" ] && ok assessment-keeps-revision || notok assessment-keeps-revision "$(rev_of)"
st=$(upload "$A" "$tmp/rev2.json")
check framework-same-revision-again-refused 422 "$st" "Phiên bản này đã có"
st=$(upload "$A" "$tmp/rev1.json")
check framework-lower-revision-refused 422 "$st" "cao hơn mọi phiên bản"

# a round opened now uses the new revision
signin "$O" so.binhdinh >/dev/null
c=$(form_csrf "$O" "/dot?cq=$so")
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$O" --data-urlencode "_csrf=$c" --data-urlencode "co_quan=$so" \
	--data-urlencode nam_hoc=2026-2027 --data-urlencode "ten=Đợt thử phiên bản 2" --data-urlencode cach_xep=min \
	--data-urlencode han_tu_danh_gia=2027-05-31 --data-urlencode "bcs:thcs=qd4725-2022@2" \
	--data-urlencode "bcs:tieu_hoc=qd4725-2022@1" "$base/dot")
rid=$(sql "SELECT id FROM rounds WHERE title = 'Đợt thử phiên bản 2'")
if [ -n "$rid" ] && [ "$(sql "SELECT framework_revision FROM round_frameworks WHERE round_id = $rid AND unit_type = 'thcs'")" = 2 ] &&
   [ "$(sql "SELECT COUNT(*) FROM assessments WHERE round_id = $rid AND framework_revision = '2'")" -gt 0 ]; then ok new-round-uses-new-revision
else notok new-round-uses-new-revision "status $st rid=$rid"; fi
[ "$(rev_of)" = "qd4725-2022@1" ] && ok old-assessment-still-revision-1 || notok old-assessment-still-revision-1
# the command line sees published versions too
if "$CHISO" round open --db "$DB" --office 52000000 --year 2027-2028 --title "Đợt thử dòng lệnh" \
	--framework thcs=qd4725-2022@2 --self-due 2028-05-31 >"$tmp/cli.out" 2>&1 &&
   [ "$(sql "SELECT framework_revision FROM round_frameworks f JOIN rounds r ON r.id = f.round_id WHERE r.title = 'Đợt thử dòng lệnh'")" = 2 ]; then
	ok cli-round-open-uses-published-revision
else notok cli-round-open-uses-published-revision "$(cat "$tmp/cli.out")"; fi

# the completed 3806 (group 1 filled in), revision 2
st=$(upload "$A" "$tmp/3806.json")
check framework-3806-valid 200 "$st" "Tệp hợp lệ."
grep -q "1.6" "$tmp/out" && grep -q "Thêm mới" "$tmp/out" && ok framework-3806-diff-lists-new-criteria || notok framework-3806-diff-lists-new-criteria
draft=$(sed -n 's/.*action="\/quan-tri\/bo-chi-so\/\([0-9]*\)\/cong-bo".*/\1/p' "$tmp/out" | head -1)
check framework-3806-publish 303 "$(post "$A" "/quan-tri/bo-chi-so/$draft/cong-bo")"
get "$A" /quan-tri/bo-chi-so >/dev/null
sed 's/<tr/\n<tr/g' "$tmp/out" | grep 'data-framework="qd3806-2024@2"' | grep -q "Đầy đủ" && ok framework-3806-complete || notok framework-3806-complete
if grep -q 'table class="frameworks labelled"' "$tmp/out" && grep -q 'data-label="Số hồ sơ đánh giá"' "$tmp/out" \
   && ! grep -qE '\((complete|incomplete|revision)\)|thư mục frameworks' "$tmp/out"; then ok frameworks-page-vietnamese-labelled
else notok frameworks-page-vietnamese-labelled "$(grep -oE '\((complete|incomplete|revision)\)|thư mục frameworks' "$tmp/out" | head -3)"; fi
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.publish'")" = 2 ] && ok framework-publish-audited || notok framework-publish-audited

server_clean server-clean

# the same on PostgreSQL, in a database of its own on the test server
if [ -z "$PG" ] && [ -n "${CHISO_TEST_PG:-}" ]; then
	psql "$CHISO_TEST_PG" -qX -c "DROP DATABASE IF EXISTS chiso_web_admin" -c "CREATE DATABASE chiso_web_admin" >/dev/null 2>&1
	url=$(printf '%s' "$CHISO_TEST_PG" | sed 's#^\(postgres[a-z]*://[^/]*\)/[^?]*#\1/chiso_web_admin#')
	if [ "$url" != "$CHISO_TEST_PG" ] && psql "$url" -qAtX -c "SELECT 1" >/dev/null 2>&1; then
		CHISO_WEB_PG=$url sh "$0" | sed -e 's/^ok /ok pg-/' -e 's/^not ok /not ok pg-/'
	else
		echo "ok pg-skipped # no database of its own on $CHISO_TEST_PG"
	fi
fi
