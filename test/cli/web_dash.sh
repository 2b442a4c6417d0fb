#!/bin/sh
# HTTP tests of the round summary (page_dash.c) on the demo data set: the
# level counts per unit type are those the database holds (the level that
# counts: recognised, else external, else self), the targets' rows count the
# same units, the CSV export has one row per assessment with its code and
# level, the open data has one row per published result; a school and the
# public cannot see the summary, an unknown round is a 404.
# One "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

db="$tmp/t.db"
if ! "$CHISO" demo --db "$db" --today 2026-11-23 >"$tmp/demo.log" 2>&1; then notok demo "$(tail -5 "$tmp/demo.log")"; exit 1; fi
q() { sqlite3 -batch "$db" "$1"; }
# the Sở's current round (all 200 schools, every workflow state)
round=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
[ -n "$round" ] || { notok setup "no round of the Sở in the demo"; exit 1; }
LEVEL="COALESCE(a.recognised_level, a.external_level, a.self_level, 0)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$CHISO" serve --db "$db" --blobs "$tmp/files" --port "$port" --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
base="http://127.0.0.1:$port"
i=0
until curl -s -o /dev/null "$base/dang-nhap"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then notok setup "server did not start" "$(cat "$tmp/serve.err")"; exit 1; fi
	sleep 0.1
done
signin() {
	c=$(curl -s -b "$1" -c "$1" "$base/dang-nhap" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -o /dev/null -w '%{http_code}' -b "$1" -c "$1" --data-urlencode "login=$2" \
		--data-urlencode "password=chiso2025" --data-urlencode "_csrf=$c" "$base/dang-nhap"
}
get() { curl -s -o "$tmp/page" -w '%{http_code}' -b "$1" "$base$2"; }
[ "$(signin "$tmp/so" so.binhdinh)" = 303 ] && [ "$(signin "$tmp/ht" ht.52101001)" = 303 ] && ok setup || { notok setup "sign-in failed"; exit 1; }

# ---- the page -------------------------------------------------------------------------------
st=$(get "$tmp/so" "/tong-hop/$round")
cp "$tmp/page" "$tmp/dash.html"
if [ "$st" = 404 ] && grep -q "không có trong Chiso" "$tmp/dash.html"; then
	# a build whose route table does not have the summary yet (web.c's
	# answer to an unknown address, not page_dash's to an unknown round)
	echo "# web_dash: skipped, /tong-hop/{id} is not routed in this build"
	exit 0
fi
[ "$st" = 200 ] && ok dash-200 || notok dash-200 "status $st"

# level counts per type: the first table of the page against the database
q "SELECT u.type, $LEVEL, COUNT(*) FROM assessments a JOIN units u ON u.id = a.unit_id
   WHERE a.round_id = $round GROUP BY 1, 2" >"$tmp/levels.sql"
out=$(python3 - "$tmp/dash.html" "$tmp/levels.sql" <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
names = {"mam_non": "Mầm non", "tieu_hoc": "Tiểu học", "thcs": "THCS", "thpt": "THPT", "lien_cap": "Liên cấp", "gdtx": "GDTX"}
want = {}
for line in open(sys.argv[2], encoding="utf-8"):
    t, lv, n = line.strip().split("|")
    row = want.setdefault(names.get(t, t), [0, 0, 0, 0])
    row[int(lv) - 1 if int(lv) else 3] += int(n)     # Mức 1, 2, 3, then none
table = re.search(r"Phân bố mức độ theo loại hình.*?<tbody>(.*?)</tbody>", page, re.S)
if not table: sys.exit("no level table")
got = {}
for tr in re.findall(r"<tr>(.*?)</tr>", table.group(1)):
    cells = [re.sub(r"<[^>]*>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
    nums = [int(c) for c in cells[1:]]
    if sum(nums[:4]) != nums[4]: sys.exit("row %s: total %d is not the sum" % (cells[0], nums[4]))
    got[cells[0]] = nums[:4]
if got != want: sys.exit("page %s\nsql  %s" % (got, want))
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-levels-equal-sql || notok dash-levels-equal-sql "$out"

# the province-wide target (Mức 2 or above for every unit): its row counts
# the units the database has at Mức >= 2 out of all of the round's units
tgt=$(q "SELECT COALESCE(label, ''), level, share_percent FROM round_targets WHERE round_id = $round
         AND kind = 'level_share' AND unit_type IS NULL ORDER BY id LIMIT 1")
meet=$(q "SELECT COUNT(*) FROM assessments a WHERE a.round_id = $round AND $LEVEL >= $(echo "$tgt" | cut -d'|' -f2)")
all=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = $round")
out=$(python3 - "$tmp/dash.html" "$tgt" "$meet" "$all" <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
label, level, share = sys.argv[2].split("|")
meet, total = int(sys.argv[3]), int(sys.argv[4])
body = re.search(r"<h2>Chỉ tiêu</h2>.*?<tbody>(.*?)</tbody>", page, re.S)
if not body: sys.exit("no target table")
for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1)):
    cells = [re.sub(r"<[^>]*>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
    if label and cells[0] != label: continue
    if not label and "Mức %s" % level not in cells[0]: continue
    if "(%d/%d)" % (meet, total) not in cells[1]: sys.exit("row %s: %s, wanted (%d/%d)" % (cells[0], cells[1], meet, total))
    if cells[2] != share + "%": sys.exit("row %s: target %s, wanted %s%%" % (cells[0], cells[2], share))
    attained = meet * 100 >= int(share) * total
    if attained != cells[3].startswith("Đạt"): sys.exit("row %s: %s" % (cells[0], cells[3]))
    if not attained:
        need = -(-int(share) * total // 100) - meet
        if "cần thêm %d đơn vị" % need not in cells[3]: sys.exit("row %s: %s, wanted %d more" % (cells[0], cells[3], need))
    print("ok"); break
else:
    sys.exit("no row for target %s" % sys.argv[2])
EOF
)
[ "$out" = ok ] && ok dash-target-row || notok dash-target-row "$out"
grep -q "Đơn vị chưa đạt:" "$tmp/dash.html" && grep -q "Đơn vị điển hình" "$tmp/dash.html" && grep -q "Tiêu chí yếu nhất" "$tmp/dash.html" &&
	ok dash-sections || notok dash-sections "blocking units, weakest criteria or best units missing"

# ---- the CSV export ----------------------------------------------------------------------------
st=$(get "$tmp/so" "/tong-hop/$round/bang.csv")
cp "$tmp/page" "$tmp/dash.csv"
[ "$st" = 200 ] && head -c 3 "$tmp/dash.csv" | od -An -tx1 | grep -q "ef bb bf" && ok dash-csv-200-bom || notok dash-csv-200-bom "status $st"
q "SELECT u.code, $LEVEL FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.round_id = $round ORDER BY 1" >"$tmp/csv.sql"
out=$(python3 - "$tmp/dash.csv" "$tmp/csv.sql" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
if rows[0] != ["Mã đơn vị", "Tên đơn vị", "Loại hình", "Tổng điểm", "Mức"]: sys.exit("header %s" % rows[0])
got = sorted((r[0], r[4]) for r in rows[1:])
want = sorted(tuple(l.strip().split("|")) for l in open(sys.argv[2], encoding="utf-8"))
if got != want: sys.exit("%d rows, %d in the database; first differences: %s" % (len(got), len(want), [x for x in got if x not in want][:3]))
totals = [float(r[3]) for r in rows[1:]]
if totals != sorted(totals, reverse=True): sys.exit("rows not by total, best first")
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-csv-rows-equal-sql || notok dash-csv-rows-equal-sql "$out"

# ---- the open data: one row per published result --------------------------------------------
pub=$(q "SELECT COUNT(*) FROM published_results p JOIN assessments a ON a.id = p.assessment_id WHERE a.state = 'published'")
st=$(curl -s -o "$tmp/open.csv" -w '%{http_code}' "$base/cong-khai/du-lieu.csv")
rows=$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))) - 1)' "$tmp/open.csv")
[ "$st" = 200 ] && [ "$rows" = "$pub" ] && [ "$pub" -gt 0 ] && ok open-data-csv-rows || notok open-data-csv-rows "status $st, $rows rows, $pub published"
st=$(curl -s -o "$tmp/open.json" -w '%{http_code}' "$base/cong-khai/du-lieu.json")
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["count"] if d["count"] == len(d["results"]) else -1)' "$tmp/open.json")
[ "$st" = 200 ] && [ "$n" = "$pub" ] && ok open-data-json-count || notok open-data-json-count "status $st, count $n, $pub published"

# ---- who may see it -----------------------------------------------------------------------------
st=$(get "$tmp/ht" "/tong-hop/$round"); [ "$st" = 403 ] && ok dash-school-403 || notok dash-school-403 "status $st"
st=$(get "$tmp/ht" "/tong-hop/$round/bang.csv"); [ "$st" = 403 ] && ok dash-csv-school-403 || notok dash-csv-school-403 "status $st"
st=$(curl -s -o /dev/null -w '%{http_code}' "$base/tong-hop/$round")
case $st in 303|401) ok dash-anonymous-refused ;; *) notok dash-anonymous-refused "status $st" ;; esac
st=$(get "$tmp/so" "/tong-hop/999999"); [ "$st" = 404 ] && ok dash-unknown-404 || notok dash-unknown-404 "status $st"
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
if grep -q "ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer" "$tmp/serve.err"; then notok server-sanitizers "$(head -20 "$tmp/serve.err")"; else ok server-sanitizers; fi
