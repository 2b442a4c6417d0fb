#!/bin/sh
# The binary stands alone (issue 14, item 1): copied anywhere and run from a
# directory with no frameworks/ folder and no CHISO_FRAMEWORKS, it lists the
# frameworks embedded in it, scores, creates a database and the demo, and
# serves; an installed copy (PREFIX/share/chiso/frameworks beside
# PREFIX/bin/chiso, as `make install` lays it out) replaces the embedded one,
# an override directory replaces both, a version published in the database
# comes on top; `chiso frameworks` says where each came from. One "ok NAME" /
# "not ok NAME" line per case (test/run.sh counts them).
set -u
CHISO=${CHISO:-build/chiso}
CHISO_BUILT=$CHISO
src=$(pwd)
tmp=$(mktemp -d)
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
unset CHISO_DB CHISO_FRAMEWORKS
. "$src/test/cli/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

# expect NAME STATUS PATTERN CMD… — exit status and a fixed string in stdout+stderr
expect() {
	name=$1 want=$2 pat=$3; shift 3
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$pat"; then ok "$name"
	else notok "$name" "status $rc (wanted $want), pattern: $pat" "$(printf '%s' "$out" | head -8)"; fi
}

# source_of ID CMD… — the "nguồn:" line under ID's row in `chiso frameworks`
source_of() {
	id=$1; shift
	"$@" 2>/dev/null | awk -v id="$id" '$1 == id { want = 1; next } want && /nguồn:/ { sub(/^ *nguồn: */, ""); print; exit } { want = 0 }'
}

# the binary alone in one directory, run from another with nothing in it
mkdir "$tmp/app" "$tmp/run"
cp "$CHISO" "$tmp/app/chiso"
bin=$tmp/app/chiso
cp test/fixtures/answers/qd4725-thcs.json "$tmp/answers.json"
cd "$tmp/run" || exit 1

s=$(source_of qd4725-2022 "$bin" frameworks)
if [ "$s" = "nhúng trong chương trình" ] && [ "$(source_of q7-mamnon-2023 "$bin" frameworks)" = "$s" ]; then ok embedded-frameworks-listed
else notok embedded-frameworks-listed "source: '$s'" "$("$bin" frameworks 2>&1 | head -6)"; fi
expect embedded-score 0 "NHÓM 1 — Chuyển đổi số trong dạy, học: 89/100 điểm → Mức 3" "$bin" score --framework qd4725-2022 "$tmp/answers.json"
expect embedded-show 0 "‹bên thứ ba›" "$bin" framework show qd4725-2022
expect standalone-init 0 "" "$bin" init --db "$tmp/run/init.db"
if [ -s "$tmp/run/init.db" ]; then ok standalone-init-file; else notok standalone-init-file "$(ls -la "$tmp/run")"; fi

# the demo (it needs qd4725-2022 and q7-mamnon-2023), then the server on it
expect standalone-demo 0 "ht.52101001" "$bin" demo --db "$tmp/chiso.db" --blobs "$tmp/files"
CHISO=$bin
if start_server; then
	A=$tmp/admin.jar
	st=$(signin "$A" admin)
	curl -s -b "$A" -o "$tmp/fw.html" "$base/quan-tri/bo-chi-so"
	if [ "$st" = 303 ] && grep -qF 'data-framework="qd4725-2022@1"' "$tmp/fw.html" \
	   && grep -qF 'data-framework="q7-mamnon-2023@1"' "$tmp/fw.html"; then ok standalone-serve
	else notok standalone-serve "sign-in $st" "$(grep -o 'data-framework="[^"]*"' "$tmp/fw.html" | head -4)"; fi
	stop_server
else notok standalone-serve "$(cat "$tmp/serve.err")"; fi
[ -d "$tmp/run/frameworks" ] && notok no-frameworks-dir-made "$(ls "$tmp/run")" || ok no-frameworks-dir-made

# installed as `make install` lays it out: DESTDIR/PREFIX/bin/chiso and
# DESTDIR/PREFIX/share/chiso/frameworks; a modified copy there wins over the embedded one
if (cd "$src" && make --no-print-directory -s install BUILD="$(dirname "$CHISO_BUILT")" -o "$CHISO_BUILT" \
	DESTDIR="$tmp/stage" PREFIX=/usr) >"$tmp/install.log" 2>&1 \
   && [ -x "$tmp/stage/usr/bin/chiso" ] && [ -f "$tmp/stage/usr/share/chiso/frameworks/qd4725-2022.json" ]; then ok make-install
else notok make-install "$(cat "$tmp/install.log")"; fi
inst=$tmp/stage/usr/share/chiso/frameworks
s=$(source_of qd4725-2022 "$tmp/stage/usr/bin/chiso" frameworks)
if [ "$s" = "$inst/qd4725-2022.json" ]; then ok installed-copy-listed
else notok installed-copy-listed "source: '$s'"; fi
sed 's/"title": "Bộ chỉ số đánh giá mức độ chuyển đổi số của cơ sở giáo dục phổ thông/"title": "BẢN CÀI ĐẶT phổ thông/' \
	"$src/frameworks/qd4725-2022.json" >"$inst/qd4725-2022.json"
expect installed-copy-wins 0 "BẢN CÀI ĐẶT phổ thông" "$tmp/stage/usr/bin/chiso" frameworks
s=$(source_of qd3806-2024 "$tmp/stage/usr/bin/chiso" frameworks)
[ "$s" = "$inst/qd3806-2024.json" ] && ok installed-others-still-there || notok installed-others-still-there "source: '$s'"

# an override directory with a modified copy wins over both; the others stay
mkdir "$tmp/over"
sed 's/"title": "Bộ chỉ số đánh giá mức độ chuyển đổi số của cơ sở giáo dục phổ thông/"title": "BẢN SỬA CỦA TỈNH phổ thông/' \
	"$src/frameworks/qd4725-2022.json" >"$tmp/over/qd4725-2022.json"
for b in "$bin" "$tmp/stage/usr/bin/chiso"; do
	s=$(CHISO_FRAMEWORKS="$tmp/over" source_of qd4725-2022 "$b" frameworks)
	t=$(CHISO_FRAMEWORKS="$tmp/over" "$b" frameworks 2>&1)
	if [ "$s" = "$tmp/over/qd4725-2022.json" ] && printf '%s' "$t" | grep -qF "BẢN SỬA CỦA TỈNH" \
	   && ! printf '%s' "$t" | grep -qF "BẢN CÀI ĐẶT" && [ "$(CHISO_FRAMEWORKS="$tmp/over" source_of q7-mamnon-2023 "$b" frameworks)" != "" ]; then
		ok "override-wins-$(basename "$(dirname "$b")")"
	else notok "override-wins-$(basename "$(dirname "$b")")" "source: '$s'" "$(printf '%s' "$t" | head -4)"; fi
done
s=$(source_of qd4725-2022 "$bin" frameworks --frameworks "$tmp/over")
[ "$s" = "$tmp/over/qd4725-2022.json" ] && ok override-option || notok override-option "source: '$s'"
expect override-in-show 0 "BẢN SỬA CỦA TỈNH" env CHISO_FRAMEWORKS="$tmp/over" "$bin" framework show qd4725-2022
expect override-missing-said 1 "$tmp/nope: không mở được thư mục bộ chỉ số" "$bin" frameworks --frameworks "$tmp/nope"

# a version published in the database comes on top, and says so
python3 - "$src/frameworks/qd4725-2022.json" "$tmp/chiso.db" <<'EOF'
import json, sqlite3, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
d['revision'] = 2
d['title'] = 'BẢN CÔNG BỐ trong cơ sở dữ liệu'
db = sqlite3.connect(sys.argv[2])
db.execute("INSERT INTO framework_versions (framework_id, revision, json, sha256, file_name, uploaded_at, publish_seq)"
           " VALUES ('qd4725-2022', 2, ?, 'x', 'r2.json', '2025-01-01T00:00:00Z',"
           " (SELECT COALESCE(MAX(publish_seq), 0) + 1 FROM framework_versions))", (json.dumps(d, ensure_ascii=False),))
db.commit()
EOF
t=$("$bin" frameworks --db "$tmp/chiso.db" 2>&1)
if printf '%s' "$t" | grep -qF "BẢN CÔNG BỐ trong cơ sở dữ liệu" && printf '%s' "$t" | grep -qF "nguồn: cơ sở dữ liệu, bản 2" \
   && printf '%s' "$t" | grep -qF "nguồn: nhúng trong chương trình"; then ok database-revision-listed
else notok database-revision-listed "$(printf '%s' "$t" | head -12)"; fi
