#!/bin/sh
# HTTP tests of the office's own assessment under 3806 (web_derived.c,
# page_assess.c) on the demo data set, where the Sở's 2024-2025 office
# round holds one assessment per Phòng and one for the Sở, under the
# official qd3806-2024 file (incomplete: group 1 has no criteria).
#  - The Phòng's page shows group 1 as awaiting its criteria, group 2 as a
#    provisional sub-total computed from its recognised schools, with the
#    numbers the database gives independently, and never an overall level.
#  - Withdrawing one school's recognition and recognising it again changes
#    the value on the next view and lists the school as having moved it.
#  - Under test/fixtures/frameworks/qd3806-2024-r2.json (group 1 made up
#    for tests), the Phòng fills group 1 and gets a total and a level equal
#    to `chiso score` on the same answers and the same schools' results
#    (each school scored by `chiso score` from its stored external answers).
#  - The round form and `chiso round open` offer the official set for offices only.
#  - The workflow is the school's: a working group, consolidation, approval (the
#    stored self level is the page's), submission after the Sở's extension, the
#    Sở's review and return with a reason per item.
#  - Another Phòng, a UBND and a school get 403; the Sở (its evaluator) sees it.
# One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
here=$(dirname "$0")
. "$here/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# check NAME WANT GOT [PATTERN]: the status, and a fixed string in the last body
check() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, pattern: $4}" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 400)"; fi
}
has() { grep -qF -- "$2" "$1"; }
text() { sed 's/<[^>]*>/ /g' "$1" | tr -s ' \n' ' '; }

demo_fixture || { notok demo-fixture; exit 1; }
db=$tmp/chiso.db
sql() { sqlite3 "$db" "$@"; }

# the official frameworks and the test-only completed 3806 revision
mkdir -p "$tmp/fw"
cp frameworks/*.json "$tmp/fw/" && cp test/fixtures/frameworks/qd3806-2024-r2.json "$tmp/fw/"
start_server CHISO_FRAMEWORKS="$tmp/fw" || { notok server; exit 1; }

login() {   # login WHO LOGIN
	rm -f "$tmp/$1.jar"
	signin "$tmp/$1.jar" "$2" >/dev/null
	curl -s -b "$tmp/$1.jar" "$base/" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1 >"$tmp/$1.csrf"
}
get() { curl -s -b "$tmp/$1.jar" -c "$tmp/$1.jar" -o "$tmp/out" -w '%{http_code}' "$base$2"; }
post() {    # post WHO PATH field=value…
	who=$1 url=$2
	shift 2
	n=$#
	for f in "$@"; do set -- "$@" --data-urlencode "$f"; done
	shift "$n"
	curl -s -b "$tmp/$who.jar" -c "$tmp/$who.jar" -o "$tmp/out" -w '%{http_code}' \
		--data-urlencode "_csrf=$(cat "$tmp/$who.csrf")" "$@" "$base$url"
}
today=$(TZ=Asia/Ho_Chi_Minh date +%F)

PHONG=52100000
A=$(sql "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '$PHONG' AND a.framework_id = 'qd3806-2024'")
R=$(sql "SELECT r.id FROM rounds r JOIN units o ON o.id = r.office_unit_id WHERE o.code = '$PHONG' AND r.school_year = '2024-2025'")
SO_A=$(sql "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.type = 'so' AND a.framework_id = 'qd3806-2024'")
[ -n "$A" ] && [ -n "$R" ] && [ -n "$SO_A" ] && ok demo-has-office-assessments || notok demo-has-office-assessments "A=$A R=$R SO=$SO_A"

login phong phong.quynhon
login other phong.annhon
login so so.binhdinh
login ubnd ubnd.quynhon
login school ht.52101001

# ---- the official (incomplete) file ------------------------------------------------------
check official-page 200 "$(get phong "/danh-gia/$A")" "Chưa có tiêu chí: quản trị viên cần nhập theo văn bản chính thức"
cp "$tmp/out" "$tmp/official.html"
check official-inferred-badge 200 200 '>suy ra</span>'
check official-provisional 200 200 "(tạm tính)"
# the counts the database gives, independently of the page's query: the
# Phòng's own 2024-2025 round, recognised or published
counts() {
	sql "SELECT COUNT(*), SUM(recognised_level >= 2), SUM(recognised_level >= 3) FROM assessments
	     WHERE round_id = $R AND state IN ('recognised', 'published') AND recognised_level IS NOT NULL"
}
IFS='|' read -r n m2 m3 <<EOF
$(counts)
EOF
if has "$tmp/official.html" "$m2/$n đơn vị (" && has "$tmp/official.html" "$m3/$n đơn vị ("; then ok official-shares-match-db
else notok official-shares-match-db "db: $n units, $m2 at ≥ 2, $m3 at 3" "$(text "$tmp/official.html" | grep -o '[0-9]*/[0-9]* đơn vị ([^)]*)' | head -3)"; fi
if has "$tmp/official.html" "điểm trung bình nhóm 1 của $n đơn vị"; then ok official-average-counts-all
else notok official-average-counts-all "$(text "$tmp/official.html" | grep -o 'điểm trung bình[^:]*' | head -2)"; fi
# 2.1's points: 10 × m2/n, as the page writes it (two decimals, comma)
p21=$(python3 -c "from fractions import Fraction as F; v=F(10*$m2,$n); s=f'{float(round(v,2)):.2f}'.rstrip('0').rstrip('.'); print(s.replace('.',','))")
if has "$tmp/official.html" "= $p21/10 điểm"; then ok official-points-2.1; else notok official-points-2.1 "wanted $p21"; fi
# the table lists every counted unit, those below Mức 2 marked
below=$(sql "SELECT COUNT(*) FROM assessments WHERE round_id = $R AND state IN ('recognised', 'published') AND recognised_level = 1")
got=$(grep -o 'Dưới Mức 2: kéo tỉ lệ xuống' "$tmp/official.html" | wc -l)
if [ "$got" = "$below" ]; then ok official-units-holding-down; else notok official-units-holding-down "page $got, db $below"; fi
# never an overall level: the summary has no "Mức", and says why
section() { python3 -c 'import sys; s = open(sys.argv[1]).read(); i = s.find(sys.argv[2]); print(s[i:s.find(sys.argv[3], i)] if i >= 0 else "")' "$@"; }
section "$tmp/official.html" '<section class="card summary">' '</section>' >"$tmp/summary.html"
if has "$tmp/summary.html" "chưa xếp mức" && ! grep -q 'Mức [123]' "$tmp/summary.html" && ! has "$tmp/official.html" 'Để tổng điểm đạt'; then
	ok official-no-level
else notok official-no-level "$(text "$tmp/summary.html" | head -c 400)"; fi
# the API says the same: no score, the derived items as a provisional score without a level
TK=$("$CHISO" token create phong.quynhon --label "kiểm thử" --db "$db" 2>/dev/null)
curl -s -H "Authorization: Bearer $TK" "$base/api/v1/danh-gia/$A" >"$tmp/api.json"
if python3 - "$tmp/api.json" "$m2" "$n" <<'PY'; then ok api-provisional-score; else notok api-provisional-score "$(head -c 300 "$tmp/api.json")"; fi
import json, sys
from fractions import Fraction as F
o = json.load(open(sys.argv[1]))
p = o["provisional_score"]
assert o["score"] is None and p["provisional"] is True and p["level"] is None, o.get("score")
items = {i["code"]: i for g in p["groups"] for c in g.get("criteria", []) for i in ([c] + c.get("items", []))}
assert F(items["2.1"]["points_exact"]) == F(10 * int(sys.argv[2]), int(sys.argv[3])), items["2.1"]
PY
check so-own-page 200 "$(get so "/danh-gia/$SO_A")" "Chưa có tiêu chí: quản trị viên cần nhập theo văn bản chính thức"
thpt=$(sql "SELECT COUNT(*) FROM assessments a JOIN rounds r ON r.id = a.round_id JOIN units o ON o.id = r.office_unit_id
            WHERE o.type = 'so' AND r.school_year = '2024-2025' AND a.state IN ('recognised', 'published') AND a.recognised_level IS NOT NULL")
check so-own-counts-its-schools 200 200 "/$thpt đơn vị ("

# the round form offers the official set for the Sở's own assessment, marked provisional
check round-form-offers-3806 200 "$(get so /dot)" 'name="bcs:so"'
check round-form-3806-provisional 200 200 "chưa hoàn chỉnh: chỉ tạm tính phần kết quả của các cơ sở giáo dục"
# the CLI: only for office types; the round hosts the Sở's own assessment too
out=$("$CHISO" round open --db "$db" --office 52000001 --year 2024-2025 --title "Đợt thử 3806 (CLI)" \
	--framework qd3806-2024 2>&1)
case $out in *"chưa hoàn chỉnh"*) ok cli-3806-refused-for-schools ;; *) notok cli-3806-refused-for-schools "$out" ;; esac
out=$("$CHISO" round open --db "$db" --office 52000001 --year 2024-2025 --title "Đợt thử 3806 (CLI)" \
	--framework phong=qd3806-2024 --framework so=qd3806-2024 --self-due 2025-06-20 2>&1)
case $out in *"Đã tạo 5 phiếu"*) ok cli-3806-office-round ;; *) notok cli-3806-office-round "$out" ;; esac

# ---- permissions --------------------------------------------------------------------------
check so-sees-phong 200 "$(get so "/danh-gia/$A")"
check other-phong-403 403 "$(get other "/danh-gia/$A")"
check ubnd-403 403 "$(get ubnd "/danh-gia/$A")"
check school-403 403 "$(get school "/danh-gia/$A")"
check other-phong-post-403 403 "$(post other "/danh-gia/$A")"

# ---- always current: a recognition moves it --------------------------------------------------
# the first save starts the assessment (the office's last touch)
check start 303 "$(post phong "/danh-gia/$A")"
check started 200 "$(get phong "/danh-gia/$A")" "Không có đơn vị nào được công nhận thêm sau lần cập nhật hồ sơ gần nhất"
# the demo closed the Phòng's school round; the application has no reopening, so the
# test reopens it in the database to withdraw a recognition and give it again
sql "UPDATE rounds SET state = 'open' WHERE id = $R"
X=$(sql "SELECT a.id FROM assessments a WHERE a.round_id = $R AND a.state = 'recognised' AND a.recognised_level >= 2 ORDER BY a.id LIMIT 1")
XC=$(sql "SELECT u.code FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.id = $X")
sleep 1   # timestamps are to the second
check withdraw 303 "$(post phong "/dot/$R/thu-hoi-cong-nhan" ho_so="$X" "ly_do=Kiểm tra lại minh chứng")"
check after-withdraw 200 "$(get phong "/danh-gia/$A")" "$((m2 - 1))/$((n - 1)) đơn vị ("
if grep -q "data-unit=\"$XC\"" "$tmp/out"; then notok withdrawn-not-counted "$XC still listed"; else ok withdrawn-not-counted; fi
check recognise 303 "$(post phong "/dot/$R/cong-nhan" ho_so="$X" so=99/QĐ-PGDĐT ngay="$today" "nguoi_ky=Trưởng phòng" xac_nhan=1)"
check after-recognise 200 "$(get phong "/danh-gia/$A")" "$m2/$n đơn vị ("
section "$tmp/out" '<ul class="moved-units">' '</ul>' >"$tmp/moved.html"
if grep -q "data-unit=\"$XC\"" "$tmp/moved.html" && [ "$(grep -o '<li' "$tmp/moved.html" | wc -l)" = 1 ]; then ok moved-lists-the-school
else notok moved-lists-the-school "$XC" "$(text "$tmp/moved.html")"; fi
if grep -q "class=\" moved\" data-unit=\"$XC\"\|class=\"moved\" data-unit=\"$XC\"" "$tmp/out"; then ok moved-row-marked
else notok moved-row-marked "$(grep -o "<tr[^>]*data-unit=\"$XC\"" "$tmp/out" | head -2)"; fi

# ---- the basis of the derived items and the date (issue 11 item 6) ---------------------------
check basis-default 200 "$(get phong "/danh-gia/$A")" "<strong>Cơ sở tính:</strong> Kết quả đã được công nhận. <strong>Kết quả tính đến:</strong> "
check basis-default-on-the-day 200 200 "(ngày xem trang)"
check basis-form-offered 200 200 "action=\"/danh-gia/$A/co-so-tinh\""
check basis-other-phong-403 403 "$(post other "/danh-gia/$A/co-so-tinh" co_so=self)"
check basis-school-403 403 "$(post school "/danh-gia/$A/co-so-tinh" co_so=self)"
check basis-bad-400 400 "$(post phong "/danh-gia/$A/co-so-tinh" co_so=recognized)"
check basis-bad-date-400 400 "$(post phong "/danh-gia/$A/co-so-tinh" co_so=self ngay=2025-02-30)"
# self-assessed results: the share is the database's over the self levels
check basis-self 303 "$(post phong "/danh-gia/$A/co-so-tinh" co_so=self)"
IFS='|' read -r sn s2 <<EOF
$(sql "SELECT COUNT(*), SUM(self_level >= 2) FROM assessments WHERE round_id = $R AND self_level IS NOT NULL
       AND state NOT IN ('not_started', 'draft', 'self_assessed', 'returned')")
EOF
check basis-self-page 200 "$(get phong "/danh-gia/$A")" "<strong>Cơ sở tính:</strong> Kết quả tự đánh giá đã phê duyệt."
check basis-self-shares 200 200 "$s2/$sn đơn vị ("
check basis-self-rows-say-so 200 200 "data-basis=\"self\""
# a date before the demo's recognitions (all made today): nothing counts, and the page says to when
check basis-dated 303 "$(post phong "/danh-gia/$A/co-so-tinh" co_so=recognition ngay=2025-05-31)"
check basis-dated-page 200 "$(get phong "/danh-gia/$A")" "<strong>Kết quả tính đến:</strong> ngày 31 tháng 5 năm 2025."
check basis-dated-excludes 200 200 "Chưa có đơn vị nào thuộc phạm vi có kết quả theo cơ sở tính này đến ngày 31 tháng 5 năm 2025"
stored=$(sql "SELECT basis || ' ' || taken_on FROM derived_bases WHERE assessment_id = $A")
[ "$stored" = "recognition 2025-05-31" ] && ok basis-stored || notok basis-stored "$stored"
check basis-print 200 "$(get phong "/danh-gia/$A/in")" "Cơ sở tính các mục suy ra: Kết quả đã được công nhận; kết quả tính đến ngày 31 tháng 5 năm 2025."
got=$(curl -s -H "Authorization: Bearer $TK" "$base/api/v1/danh-gia/$A" | python3 -c 'import json,sys; b=json.load(sys.stdin)["derived_basis"]; print(b["basis"], b["taken_on"])' 2>&1)
[ "$got" = "recognition 2025-05-31" ] && ok basis-api || notok basis-api "$got"
# the chain on the day: every school is recognised, so the recognised figures
check basis-chain 303 "$(post phong "/danh-gia/$A/co-so-tinh" co_so=chain)"
check basis-chain-page 200 "$(get phong "/danh-gia/$A")" "$m2/$n đơn vị ("
check basis-chain-label 200 200 "Kết quả công nhận; nếu chưa có thì kết quả đánh giá ngoài; nếu chưa có thì kết quả tự đánh giá"
check basis-back 303 "$(post phong "/danh-gia/$A/co-so-tinh" co_so=recognition)"

# ---- a completed revision (test fixture) ------------------------------------------------------
out=$(CHISO_FRAMEWORKS="$tmp/fw" "$CHISO" round open --db "$db" --office 52000001 --year 2024-2025 \
	--title "Đợt kiểm thử bộ chỉ số 3806 bản 2" --framework phong=qd3806-2024@2 --self-due 2025-06-26 2>&1)
B=$(sql "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '$PHONG' AND a.framework_revision = '2'")
[ -n "$B" ] && ok fixture-round || notok fixture-round "$out"
code=$(post phong "/danh-gia/$B" f:1.1=1 v:1.1=1 f:1.2=1 v:1.2=1 f:1.3=1 v:1.3:points=12,5 "v:1.3:reason=Có văn bản chỉ đạo" \
	f:1.4=1 v:1.4:num=45 v:1.4:den=60)
check fixture-save 303 "$code"
check fixture-page 200 "$(get phong "/danh-gia/$B")" "Tổng điểm"
cp "$tmp/out" "$tmp/full.html"
page_total=$(text "$tmp/full.html" | grep -o 'Tổng điểm [0-9,]*/100 → Mức [123]' | head -1)
# chiso score on the same answers, with every recognised school of the Phòng scored
# by chiso score from its stored external answers
python3 - "$db" "$CHISO" "$tmp" "$R" <<'PY' >"$tmp/cli.txt" 2>"$tmp/cli.err"
import json, sqlite3, subprocess, sys, os
db, chiso, tmp, r = sys.argv[1:5]
c = sqlite3.connect(db)
env = dict(os.environ, CHISO_FRAMEWORKS=tmp + "/fw")
subs = []
for aid, code, utype, fid, frev, lvl in c.execute(
        "SELECT a.id, u.code, u.type, a.framework_id, a.framework_revision, a.recognised_level FROM assessments a"
        " JOIN units u ON u.id = a.unit_id WHERE a.round_id = ? AND a.state IN ('recognised', 'published')"
        " AND a.recognised_level IS NOT NULL", (r,)).fetchall():
    answers = {}
    for item, value in c.execute("SELECT item_code, value_json FROM answers WHERE assessment_id = ? AND side = 'external'"
                                 " ORDER BY item_code, version", (aid,)):
        answers[item] = json.loads(value)
    answers = {k: v for k, v in answers.items() if v is not None}
    p = tmp + "/s.json"
    json.dump({"unit_type": utype, "answers": answers}, open(p, "w"), ensure_ascii=False)
    res = json.loads(subprocess.run([chiso, "score", "--framework", "%s@%s" % (fid, frev), "--unit-type", utype, "--json", p],
                                    capture_output=True, text=True, env=env, check=True).stdout)
    subs.append({"code": code, "unit_type": utype, "level": lvl,
                 "groups": {g["code"]: g["points"] for g in res["groups"]}})
sheet = {"unit_type": "phong", "subordinates": subs, "answers": {
    "1.1": True, "1.2": True, "1.3": {"points": 12.5, "reason": "Có văn bản chỉ đạo"}, "1.4": {"num": 45, "den": 60}}}
p = tmp + "/office.json"
json.dump(sheet, open(p, "w"), ensure_ascii=False)
res = json.loads(subprocess.run([chiso, "score", "--framework", "qd3806-2024@2", "--unit-type", "phong", "--json", p],
                                capture_output=True, text=True, env=env, check=True).stdout)
print(res["level"], res["total"]["points"])
PY
read -r cli_level cli_total <"$tmp/cli.txt" 2>/dev/null
page_level=$(printf '%s' "$page_total" | sed -n 's/.*Mức \([123]\)$/\1/p')
page_pts=$(printf '%s' "$page_total" | sed -n 's/Tổng điểm \([0-9,]*\)\/100.*/\1/p' | tr , .)
if [ -n "$page_level" ] && [ "$page_level" = "${cli_level:-x}" ]; then ok fixture-level-equals-chiso-score
else notok fixture-level-equals-chiso-score "page: $page_total" "chiso score: ${cli_level:-?} ${cli_total:-?}" "$(head -5 "$tmp/cli.err")"; fi
# the schools' group scores pass through a sheet with two decimals: the totals agree to 0.05
if python3 -c "import sys; sys.exit(0 if abs(float('${page_pts:-0}') - float('${cli_total:-999}')) <= 0.05 else 1)"; then ok fixture-total-equals-chiso-score
else notok fixture-total-equals-chiso-score "page $page_pts, chiso score $cli_total"; fi
if [ "${page_level:-3}" -lt 3 ]; then check fixture-whatif 200 200 "Để tổng điểm đạt"; else ok fixture-whatif; fi
# ---- the office's documents print the derived figures with their basis and date (item 6) ---
# the self-assessment report of B (PDF, read back with pdftotext): the total the page shows,
# derived items included, and the basis line with the date and the units counted
doc_text() {   # doc_text TYPE --assessment ID | --round ID: the document as one line of text
	t=$1; shift
	CHISO_FRAMEWORKS="$tmp/fw" "$CHISO" doc "$t" "$@" --format pdf --db "$db" --out "$tmp/$t.pdf" >/dev/null 2>"$tmp/doc.err" &&
		pdftotext "$tmp/$t.pdf" - | tr '\n' ' ' | sed 's/  */ /g'
}
today_short=$(TZ=Asia/Ho_Chi_Minh date +%d/%m/%Y)
doc_text report --assessment "$B" >"$tmp/report.txt"
doc_pts=$(sed -n 's/.*Kết luận: tổng điểm đạt \([0-9,]*\)\/100 điểm.*/\1/p' "$tmp/report.txt" | tr , .)
if [ -n "$doc_pts" ] && python3 -c "import sys; sys.exit(0 if abs(float('$doc_pts') - float('${page_pts:-999}')) < 0.005 else 1)"; then
	ok doc-report-total-equals-page
else notok doc-report-total-equals-page "document '$doc_pts', page '$page_pts'" "$(head -3 "$tmp/doc.err")"; fi
grep -qF "Căn cứ kết quả: đã công nhận; số liệu tính đến ngày $today_short ($n đơn vị)." "$tmp/report.txt" \
	&& ok doc-report-basis-and-date || notok doc-report-basis-and-date "$(grep -o 'Các chỉ tiêu suy ra[^.]*\.' "$tmp/report.txt" | head -1)" "n=$n"
# another basis and a date: the document follows the office's choice, with the page's count
check doc-basis-self 303 "$(post phong "/danh-gia/$B/co-so-tinh" co_so=self ngay="$(TZ=Asia/Ho_Chi_Minh date +%F)")"
check doc-basis-self-page 200 "$(get phong "/danh-gia/$B")" "<strong>Cơ sở tính:</strong> Kết quả tự đánh giá đã phê duyệt."
k=$(text "$tmp/out" | grep -o '[0-9]*/[0-9]* đơn vị (' | head -1 | sed 's/^[0-9]*\/\([0-9]*\) .*/\1/')
doc_text report --assessment "$B" >"$tmp/report.txt"
grep -qF "Căn cứ kết quả: tự đánh giá; số liệu tính đến ngày $today_short (${k:-?} đơn vị)." "$tmp/report.txt" \
	&& ok doc-report-basis-self-dated || notok doc-report-basis-self-dated "$(grep -o 'Các chỉ tiêu suy ra[^.]*\.' "$tmp/report.txt" | head -1)" "page: $k"
# the round's documents (the summary report's annex) say it under the office's name
doc_text summary --round "$(sql "SELECT round_id FROM assessments WHERE id = $B")" >"$tmp/summary.txt"
grep -qF "Phòng Giáo dục và Đào tạo thành phố Quy Nhơn: Các chỉ tiêu suy ra từ kết quả của các đơn vị (Nhóm 2) — Căn cứ kết quả: tự đánh giá; số liệu tính đến ngày $today_short" "$tmp/summary.txt" \
	&& ok doc-round-summary-basis || notok doc-round-summary-basis "$(grep -o '[^.]*Các chỉ tiêu suy ra[^.]*\.' "$tmp/summary.txt" | head -1)"
check doc-basis-back 303 "$(post phong "/danh-gia/$B/co-so-tinh" co_so=recognition)"
check fixture-group1-filled 200 "$(get phong "/danh-gia/$B")" "Đạt điều kiện bắt buộc"
check fixture-test-source 200 200 ">kiểm thử</span>"
check fixture-state-draft 200 200 "trạng thái: <strong>Bản nháp"
check fixture-other-403 403 "$(get other "/danh-gia/$B")"

# ---- the workflow: a working group, consolidate, approve, submit to the Sở, returned ------
RB=$(sql "SELECT round_id FROM assessments WHERE id = $B")
later=$(TZ=Asia/Ho_Chi_Minh date -d '+7 days' +%F)
later2=$(TZ=Asia/Ho_Chi_Minh date -d '+14 days' +%F)
check council 303 "$(post phong "/danh-gia/$B/hoi-dong" kind=to_cong_tac decision_number=12/QĐ-PGDĐT \
	decision_date="$(TZ=Asia/Ho_Chi_Minh date +%d/%m/%Y)")"
check consolidate 303 "$(post phong "/danh-gia/$B/chuyen" action=consolidate)"
check approve 303 "$(post phong "/danh-gia/$B/chuyen" action=approve)"
stored=$(sql "SELECT self_level FROM assessments WHERE id = $B")
if [ -n "$page_level" ] && [ "$stored" = "$page_level" ]; then ok stored-self-level; else notok stored-self-level "stored $stored, page $page_level"; fi
submit() { post phong "/danh-gia/$B/gui" do=send "letter=Kính gửi: Sở Giáo dục và Đào tạo. Đề nghị đánh giá ngoài."; }
check submit-after-deadline 422 "$(submit)" "quá hạn"
check so-extends 303 "$(post so "/dot/$RB/gia-han" ho_so="$B" han="$later" "ly_do=Kiểm thử gia hạn")"
check submit 303 "$(submit)"
check so-reviews 200 "$(get so "/xet-duyet/$B")" 'name="r:1.3"'
check other-cannot-review 403 "$(get other "/xet-duyet/$B")"
check so-returns 303 "$(post so "/xet-duyet/$B/tra-lai" "r:1.3=Chưa có văn bản chỉ đạo kèm theo" han="$later2")"
check phong-sees-return 200 "$(get phong "/danh-gia/$B")" "Chưa có văn bản chỉ đạo kèm theo"

server_clean server-clean
