#!/bin/sh
# HTTP tests of the round summary (page_dash.c) on the demo data set: the
# level counts per unit type are those the database holds (the level that
# counts: recognised, else external, else self), the targets' rows count the
# same units, the CSV export has one row per assessment with its code and
# level, the open data has one row per published result; a school and the
# public cannot see the summary, an unknown round is a 404. The XLSX
# exports (every table, and one workbook with all of them) are real
# workbooks (read from their sheet XML) holding the page's and the
# database's numbers, refused like the page; the per-group levels, the
# progress chart and the comparison with earlier school years are there
# (and say "chưa có" for a round without earlier years); chart text stays
# readable on a phone. Each assessment's score is stored in short after a
# view; the next view reads it and gives the same page, a new answer or
# another stamp makes it scored again.
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
[ "$(signin "$tmp/so" so.binhdinh)" = 303 ] && [ "$(signin "$tmp/ht" ht.52101001)" = 303 ] &&
	[ "$(signin "$tmp/pq" phong.quynhon)" = 303 ] && ok setup || { notok setup "sign-in failed"; exit 1; }

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
# the blocking units' cheapest items carry their names (issue 16, item 11): every step of
# every listed unit is "code title: action", the title that of the framework's item
out=$(python3 - "$tmp/dash.html" "$CHISO_FRAMEWORKS" <<'EOF'
import glob, html, json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
titles = set()
def walk(o):
    if isinstance(o, dict):
        if isinstance(o.get("code"), str) and isinstance(o.get("title"), str): titles.add((o["code"], o["title"]))
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
for f in glob.glob(sys.argv[2] + "/*.json"): walk(json.load(open(f, encoding="utf-8")))
steps = 0
for table in re.findall(r'<table class="blocking">(.*?)</table>', page, re.S):
    for cell in re.findall(r"<tr><td>[^<]*</td><td><a [^>]*>[^<]*</a></td><td[^>]*>[^<]*</td><td>([^<]*)</td></tr>", table):
        if cell.startswith("Chỉ cần"): continue
        # a title may hold "; " itself: a step starts where a known "code title: " does
        text = html.unescape(cell)
        while text:
            t = [t for t in titles if text.startswith("%s %s: " % t)]
            if not t: sys.exit("step without its item's name: %r" % text[:120])
            steps += 1
            rest = text[len("%s %s: " % t[0]):]
            cut = [i for i in range(len(rest)) if rest.startswith("; ", i) and any(rest.startswith("%s %s: " % u, i + 2) for u in titles)]
            text = rest[cut[0] + 2:] if cut else ""
if not steps: sys.exit("no step listed for a blocking unit")
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-blocking-item-names || notok dash-blocking-item-names "$out"

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

# ---- the XLSX exports ---------------------------------------------------------------------------
# one workbook per table and one with all of them; each is a zip with the
# sheets named as on the page, read here from the sheet XML
xlsx_names="tong-hop phan-bo-muc chi-tieu tieu-chi-yeu don-vi-dien-hinh so-sanh-cac-nam tien-do"
fails=
for n in $xlsx_names; do
	st=$(curl -s -D "$tmp/$n.h" -o "$tmp/$n.xlsx" -w '%{http_code}' -b "$tmp/so" "$base/tong-hop/$round/$n.xlsx")
	grep -qi '^content-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' "$tmp/$n.h" &&
		grep -qi "^content-disposition: attachment; filename=\"$n-dot$round.xlsx\"" "$tmp/$n.h" && [ "$st" = 200 ] ||
		fails="$fails $n:$st"
	[ "$n" = tong-hop ] || grep -q "href=\"/tong-hop/$round/$n.xlsx\"" "$tmp/dash.html" || fails="$fails $n:no-link"
done
grep -q "href=\"/tong-hop/$round/tong-hop.xlsx\"" "$tmp/dash.html" || fails="$fails tong-hop:no-link"
[ -z "$fails" ] && ok dash-xlsx-200-headers-links || notok dash-xlsx-200-headers-links "$fails"

cat >"$tmp/xlsx.py" <<'EOF'
import re, sys, zipfile
from xml.etree import ElementTree as ET
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
def col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0): n = n * 26 + ord(ch) - 64
    return n - 1
def sheets(path):
    """{sheet name: [[cell, …] per row]}, numbers as floats."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    out = {}
    for sh in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        target = rels[sh.get("{%s}id" % NS["r"])]
        name = target[1:] if target.startswith("/") else "xl/" + target
        rows = []
        for row in ET.fromstring(z.read(name)).iter("{%s}row" % NS["m"]):
            r = int(row.get("r")) - 1
            while len(rows) <= r: rows.append([])
            for c in row.findall("m:c", NS):
                v = c.find("m:v", NS)
                if v is None: continue
                val = shared[int(v.text)] if c.get("t") == "s" else v.text if c.get("t") == "str" else float(v.text)
                i = col(c.get("r"))
                while len(rows[r]) <= i: rows[r].append(None)
                rows[r][i] = val
        out[sh.get("name")] = rows
    return out
EOF

# the all-in-one workbook: six sheets, and each sheet's numbers
q "SELECT u.code FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.round_id = $round AND $LEVEL < 2" >"$tmp/below2.sql"
title=$(q "SELECT title || '|' || school_year FROM rounds WHERE id = $round")
subm=$(q "SELECT COUNT(DISTINCT t.assessment_id) FROM assessment_transitions t JOIN assessments a ON a.id = t.assessment_id
          WHERE a.round_id = $round AND t.to_state = 'submitted'")
before=$(q "SELECT COUNT(DISTINCT a2.unit_id) FROM assessments a JOIN assessments a2 ON a2.unit_id = a.unit_id
            JOIN rounds r2 ON r2.id = a2.round_id WHERE a.round_id = $round AND r2.school_year < (SELECT school_year FROM rounds WHERE id = $round)")
meet2=$(q "SELECT COUNT(*) FROM assessments a WHERE a.round_id = $round AND $LEVEL >= 2")
out=$(python3 - "$tmp" "$title" "$meet2" "$all" "$subm" "$before" <<'EOF'
import csv, re, sys
sys.path.insert(0, sys.argv[1]); from xlsx import sheets
tmp, title = sys.argv[1], sys.argv[2].split("|")
meet, total, subm, before = (int(x) for x in sys.argv[3:7])
wb = sheets(tmp + "/tong-hop.xlsx")
names = ["Phân bố mức", "Chỉ tiêu", "Tiêu chí yếu", "Đơn vị điển hình", "So sánh các năm", "Tiến độ"]
if list(wb) != names: sys.exit("sheets %s" % list(wb))
for n, rows in wb.items():
    if title[0] not in rows[1][0] or "năm học " + title[1] not in rows[1][0]: sys.exit("%s: row 2 is %r" % (n, rows[1]))
    # the year once ("… năm học 2026-2027 — năm học 2026-2027 — Sở …" before)
    if rows[1][0].count(title[1]) != 1: sys.exit("%s: row 2 names the year twice: %r" % (n, rows[1]))
    if not re.fullmatch(r"Lập ngày \d\d tháng \d{1,2} năm \d{4}", rows[2][0]): sys.exit("%s: row 3 is %r" % (n, rows[2]))
    if not rows[4] or not all(isinstance(c, str) for c in rows[4]): sys.exit("%s: header row %r" % (n, rows[4]))
# levels: the same counts as the page's table (which equals the database's)
page = open(tmp + "/dash.html", encoding="utf-8").read()
table = re.search(r"Phân bố mức độ theo loại hình.*?<tbody>(.*?)</tbody>", page, re.S).group(1)
want = {}
for tr in re.findall(r"<tr>(.*?)</tr>", table):
    cells = [re.sub(r"<[^>]*>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
    want[cells[0]] = [float(c) for c in cells[1:6]]
got = {r[0]: r[1:6] for r in wb["Phân bố mức"][5:5 + len(want)]}
if got != want: sys.exit("levels sheet %s, page %s" % (got, want))
tot = wb["Phân bố mức"][5 + len(want)]
if tot[0] != "Tổng cộng" or tot[5] != total: sys.exit("total row %r" % tot)
# targets: the Mức 2 target counts the database's units; its blocking list is whole
rows = wb["Chỉ tiêu"]
t = [r for r in rows[5:] if r and isinstance(r[0], str) and "Mức 2" in r[0] and len(r) > 4 and isinstance(r[4], float)]
if not t or t[0][3] != meet or t[0][4] != total or abs(t[0][2] - meet / total) > 1e-9: sys.exit("target row %r, %d/%d" % (t[:1], meet, total))
label = t[0][0]
blocking = sorted(r[1] for r in rows if r and len(r) > 5 and r[0] == label and isinstance(r[5], float))
below = sorted(l.strip() for l in open(tmp + "/below2.sql"))
if blocking != below: sys.exit("blocking list: %d rows, %d units below Mức 2 in the database" % (len(blocking), len(below)))
if len(blocking) <= 20: sys.exit("the demo should have more than the page's 20 blocking units")
# best units: the CSV's first ten, same totals
best = [(r[1], r[4]) for r in wb["Đơn vị điển hình"][5:15]]
csvrows = list(csv.reader(open(tmp + "/dash.csv", encoding="utf-8-sig", newline="")))[1:11]
if best != [(r[0], float(r[3])) for r in csvrows]: sys.exit("best %s, csv %s" % (best[:3], csvrows[:3]))
# weakest criteria: shares between 0 and 1, weakest first
w = [r[3] for r in wb["Tiêu chí yếu"][5:] if r and len(r) > 3]
if not w or any(not 0 <= x <= 1 for x in w): sys.exit("weakest shares %s" % w[:5])
# progress: the last point has every submitted assessment
p = [r for r in wb["Tiến độ"][5:] if r]
if not p or p[-1][1] != subm: sys.exit("progress last row %r, %d submitted" % (p[-1:], subm))
# year over year: all types, the earlier year, as many units as the database has there
y = [r for r in wb["So sánh các năm"][5:] if r and r[0] == "Tất cả"]
if len(y) != 2 or y[0][6] != before or y[1][6] != total: sys.exit("yoy rows %r, %d units before" % (y, before))
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-xlsx-workbook-numbers || notok dash-xlsx-workbook-numbers "$out"
out=$(python3 - "$tmp" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1]); from xlsx import sheets
want = {"phan-bo-muc": "Phân bố mức", "chi-tieu": "Chỉ tiêu", "tieu-chi-yeu": "Tiêu chí yếu", "don-vi-dien-hinh": "Đơn vị điển hình",
        "so-sanh-cac-nam": "So sánh các năm", "tien-do": "Tiến độ"}
whole = sheets(sys.argv[1] + "/tong-hop.xlsx")
for n, sheet in want.items():
    wb = sheets(sys.argv[1] + "/" + n + ".xlsx")
    if list(wb) != [sheet]: sys.exit("%s: sheets %s" % (n, list(wb)))
    if wb[sheet][3:] != whole[sheet][3:]: sys.exit("%s: not the all-in-one workbook's sheet" % n)
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-xlsx-one-sheet-each || notok dash-xlsx-one-sheet-each "$out"
if command -v libreoffice >/dev/null 2>&1; then
	# LibreOffice opens it as a spreadsheet (its CSV is the first sheet)
	(cd "$tmp" && HOME="$tmp" timeout 120 libreoffice --headless --convert-to csv:"Text - txt - csv (StarCalc)":44,34,76 phan-bo-muc.xlsx >/dev/null 2>&1)
	grep -q "Tổng cộng" "$tmp/phan-bo-muc.csv" 2>/dev/null && ok dash-xlsx-libreoffice || notok dash-xlsx-libreoffice "no CSV from LibreOffice"
fi

# ---- per-group levels, progress, earlier years, charts on a phone ------------------------------
out=$(python3 - "$tmp/dash.html" "$subm" <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
subm = int(sys.argv[2])
g = re.search(r"<h2>Phân bố mức theo nhóm tiêu chí[^<]*</h2>(.*?)</section>", page, re.S)
if not g or "<svg" not in g.group(1) or "Nhóm 1" not in g.group(1) or "Nhóm 2" not in g.group(1): sys.exit("no group levels")
p = re.search(r'id="tien-do">(.*?)</section>', page, re.S)
if not p: sys.exit("no progress section")
days = re.findall(r"<tr><td>\d\d/\d\d/\d{4}</td>", p.group(1))
if len(days) >= 3:
    if len(re.findall(r"<circle ", p.group(1))) < 4: sys.exit("progress chart without points")
else:
    # one or two days (the demo's transitions are all stamped today): no column of dots
    # but bars of the last day's counts, the submitted one saying subm/units
    if "<circle " in p.group(1) or "<svg" not in p.group(1): sys.exit("a one-day progress drawn as a line chart")
    if not re.search(r"Đã nộp hồ sơ: %d/\d+ đơn vị" % subm, p.group(1)): sys.exit("no bar of %d submitted units" % subm)
last = re.findall(r"<tr><td>[^<]*</td><td class=\"num\">(\d+)</td>", p.group(1))
if not last or int(last[-1]) != subm: sys.exit("progress table %s, %d submitted" % (last[-1:], subm))
y = re.search(r'id="so-sanh">(.*?)</section>', page, re.S)
if not y or "<svg" not in y.group(1) or "Tất cả — 2024-2025" not in y.group(1) or "Lên mức" not in y.group(1): sys.exit("no year-over-year comparison")
if "01/7/2025" not in y.group(1): sys.exit("the page does not say how the 2025 reform is handled")
# chart text is set in CSS pixels (no viewBox scaling it down on a phone), at least
# 12 px, in the page's font (no font-family of its own)
for svg in re.findall(r"<svg class=\"chart\".*?</svg>", page, re.S):
    if "viewBox" in svg or "font-family" in svg: sys.exit("a chart scales its text or sets its own font: " + svg[:200])
    for fs in re.findall(r'font-size="(\d+)"', svg):
        if int(fs) < 12: sys.exit("font-size %s in a chart" % fs)
    # a long label wraps and is never cut at its end, where the group rows differ
    # ("THCS — Nhóm 2 (…)"): the drawn lines of different labels differ
    drawn = {}
    for full, lines in re.findall(r"<text[^>]*><title>([^<]*)</title>((?:<tspan[^>]*>[^<]*</tspan>)+)</text>", svg):
        parts = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", lines)
        if parts[-1].endswith("…"): sys.exit("label cut at its end: %r" % parts)
        if not full.endswith(parts[-1].lstrip("…")): sys.exit("label %r drawn as %r" % (full, parts))
        if drawn.setdefault(tuple(parts), full) != full: sys.exit("%r and %r are drawn alike" % (drawn[tuple(parts)], full))
g_rows = re.findall(r"<text[^>]*><title>([^<]*)</title>", g.group(1))
if len(g_rows) < 2 or not all(re.match(r"(Tiểu học|THCS|THPT|Liên cấp|GDTX|Mầm non) — Nhóm", r) for r in g_rows): sys.exit("group rows %r" % g_rows)
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-groups-progress-yoy || notok dash-groups-progress-yoy "$out"
# the earlier year's average on one scale (issue 16, item 11): each unit's answers of that
# year scored again by `chiso score` (the command line, not the page's code path), its
# total as a percentage of its own maximum, averaged, against the page; never an average
# of raw totals of 100-point and 200-point frameworks (every row's average is <= 100%)
out=$(python3 - "$db" "$CHISO" "$round" "$tmp/dash.html" "$tmp/tong-hop.xlsx" "$tmp" <<'EOF'
import json, re, sqlite3, subprocess, sys
dbp, chiso, rnd, page, xlsx, tmp = sys.argv[1:7]
sys.path.insert(0, tmp); from xlsx import sheets
db = sqlite3.connect(dbp)
year = db.execute("SELECT school_year FROM rounds WHERE id = ?", (rnd,)).fetchone()[0]
# each unit's latest round of the latest earlier year (the page compares with that year)
prev = db.execute("""SELECT MAX(r2.school_year) FROM assessments a JOIN assessments a2 ON a2.unit_id = a.unit_id
                     JOIN rounds r2 ON r2.id = a2.round_id WHERE a.round_id = ? AND r2.school_year < ?""", (rnd, year)).fetchone()[0]
rows = db.execute("""SELECT a2.id, a2.framework_id, a2.framework_revision, u.type, a2.external_level, r2.policy, a2.unit_id
                     FROM assessments a JOIN assessments a2 ON a2.unit_id = a.unit_id JOIN rounds r2 ON r2.id = a2.round_id
                     JOIN units u ON u.id = a2.unit_id WHERE a.round_id = ? AND r2.school_year = ? ORDER BY a2.unit_id, r2.id""",
                  (rnd, prev)).fetchall()
latest = {r[6]: r for r in rows}     # by unit: its last round of that year
total, n = 0.0, 0
for aid, fid, frev, utype, ext, policy, _ in latest.values():
    side = "self" if ext is None else "external"
    ans = db.execute("""SELECT item_code, value_json FROM answers x WHERE assessment_id = ? AND side = ? AND version =
                        (SELECT MAX(version) FROM answers y WHERE y.assessment_id = x.assessment_id AND y.side = x.side
                         AND y.item_code = x.item_code)""", (aid, side)).fetchall()
    path = tmp + "/a%d.json" % aid
    json.dump({"unit_type": utype, "answers": {c: json.loads(v) for c, v in ans}}, open(path, "w"))
    r = subprocess.run([chiso, "score", "--framework", "%s@%s" % (fid, frev), "--policy", policy, "--partial", "--json", path],
                       capture_output=True, text=True)
    if r.returncode: sys.exit("chiso score %d: %s" % (aid, r.stderr[:200]))
    t = json.loads(r.stdout)["total"]
    total += 100.0 * t["points"] / t["max"]; n += 1
want = total / n
html = open(page, encoding="utf-8").read()
if "Điểm TB (% tối đa)" not in html or "Tổng điểm TB" in html: sys.exit("the column is not on one scale")
for v in re.findall(r"<tr><td>[^<]* — \d{4}-\d{4}</td>(?:<td[^>]*>[^<]*</td>){5}<td class=\"num\">([^<]*)</td>", html):
    if v != "—" and not (v.endswith("%") and 0 <= float(v[:-1].replace(",", ".")) <= 100): sys.exit("average %r not a percentage" % v)
m = re.search(r"<tr><td>Tất cả — %s</td>(?:<td[^>]*>[^<]*</td>){5}<td class=\"num\">([^<]*)%%</td>" % prev, html)
if not m: sys.exit("no average for Tất cả — %s on the page" % prev)
got = float(m.group(1).replace(",", "."))
if abs(got - round(want, 2)) > 0.006: sys.exit("page average %s, chiso score %.4f over %d units" % (m.group(1), want, n))
y = [r for r in sheets(xlsx)["So sánh các năm"][5:] if r and r[0] == "Tất cả" and r[1] == prev]
if not y or abs(y[0][10] - want) > 1e-6: sys.exit("sheet average %r, chiso score %.6f" % (y[:1], want))
print("ok")
EOF
)
[ "$out" = ok ] && ok dash-yoy-average-total || notok dash-yoy-average-total "$out"
# a round without earlier years (the Phòng's 2024-2025 round, its first)
first=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52100000' ORDER BY r.school_year LIMIT 1")
st=$(get "$tmp/pq" "/tong-hop/$first")
out=$(python3 -c '
import re, sys
y = re.search(r"id=\"so-sanh\">(.*?)</section>", open(sys.argv[1], encoding="utf-8").read(), re.S)
print("ok" if y and "chưa có kết quả đánh giá của năm học nào trước" in y.group(1) and "<svg" not in y.group(1) and "<table" not in y.group(1)
      else "section: %s" % (y.group(1)[:300] if y else None))' "$tmp/page")
[ "$st" = 200 ] && [ "$out" = ok ] && ok dash-yoy-none || notok dash-yoy-none "status $st" "$out"

# ---- stored summaries (score_summaries): the next view reads them; a new answer is seen ---------
n=$(q "SELECT COUNT(*) FROM score_summaries s JOIN assessments a ON a.id = s.assessment_id WHERE a.round_id = $round")
[ "$n" = "$all" ] && ok dash-summaries-stored || notok dash-summaries-stored "$n summaries for $all assessments"
nocsrf() { sed 's/name="_csrf" value="[^"]*"//g' "$1"; }
st=$(get "$tmp/so" "/tong-hop/$round")
nocsrf "$tmp/page" >"$tmp/warm.html"; nocsrf "$tmp/dash.html" >"$tmp/cold.html"
[ "$st" = 200 ] && cmp -s "$tmp/warm.html" "$tmp/cold.html" && ok dash-summaries-same-page || notok dash-summaries-same-page "status $st; the page read from stored summaries differs"
# a self-assessed unit's yes/no item answered true gets a new version, false (as any save does)
pick=$(q "SELECT x.assessment_id, x.item_code, x.version FROM answers x JOIN assessments a ON a.id = x.assessment_id
          WHERE a.round_id = $round AND a.external_level IS NULL AND x.side = 'self' AND x.value_json = 'true'
          AND x.version = (SELECT MAX(y.version) FROM answers y WHERE y.assessment_id = x.assessment_id AND y.side = 'self' AND y.item_code = x.item_code)
          AND x.item_code NOT LIKE '%.%.%' ORDER BY x.assessment_id, x.item_code LIMIT 1")
aid=$(echo "$pick" | cut -d'|' -f1); item=$(echo "$pick" | cut -d'|' -f2); ver=$(echo "$pick" | cut -d'|' -f3)
code=$(q "SELECT u.code FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.id = $aid")
q "UPDATE score_summaries SET stamp = 'cũ' WHERE assessment_id = (SELECT MIN(id) FROM assessments WHERE round_id = $round AND id <> $aid)"
q "INSERT INTO answers (assessment_id, item_code, side, version, value_json, created_at) VALUES ($aid, '$item', 'self', $((ver + 1)), 'false', '2026-11-23T10:00:00Z')"
st=$(get "$tmp/so" "/tong-hop/$round/bang.csv"); cp "$tmp/page" "$tmp/after.csv"
stale=$(q "SELECT COUNT(*) FROM score_summaries WHERE stamp = 'cũ'")
q "DELETE FROM score_summaries"
get "$tmp/so" "/tong-hop/$round/bang.csv" >/dev/null; cp "$tmp/page" "$tmp/fresh.csv"
before=$(grep "^\"$code\"" "$tmp/dash.csv" | cut -d, -f4); after=$(grep "^\"$code\"" "$tmp/after.csv" | cut -d, -f4)
[ "$st" = 200 ] && [ -n "$aid" ] && [ "$before" != "$after" ] && cmp -s "$tmp/after.csv" "$tmp/fresh.csv" && [ "$stale" = 0 ] &&
	ok dash-summaries-new-answer-seen || notok dash-summaries-new-answer-seen "unit $code item $item: total $before before, $after after; stale stamps left $stale" "$(diff "$tmp/after.csv" "$tmp/fresh.csv" | head -4)"

# a new build that changes no scoring rule (the same program as another file, modified
# later) keeps the stored summaries (their stamp is the scoring sources' hash, not the
# binary's): its first view reads them — a summary altered in the database shows in the
# CSV — and scores no unit again (the rows are left as they were)
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
cp "$CHISO" "$tmp/chiso-rebuilt"; sleep 1; touch "$tmp/chiso-rebuilt"
"$tmp/chiso-rebuilt" serve --db "$db" --blobs "$tmp/files" --port "$port" --quiet >>"$tmp/serve.out" 2>>"$tmp/serve.err" &
pid=$!
i=0
until curl -s -o /dev/null "$base/dang-nhap"; do i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1; done
alt=$(q "SELECT s.assessment_id FROM score_summaries s JOIN assessments a ON a.id = s.assessment_id
         WHERE a.round_id = $round AND s.summary LIKE 'v1;T=%' ORDER BY s.assessment_id LIMIT 1")
altcode=$(q "SELECT u.code FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.id = $alt")
q "UPDATE score_summaries SET summary = 'v1;T=4242;' || substr(summary, instr(substr(summary, 6), ';') + 6) WHERE assessment_id = $alt"
before_rows=$(q "SELECT COUNT(*), MIN(stamp), MAX(stamp) FROM score_summaries")
st=$(get "$tmp/so" "/tong-hop/$round/bang.csv"); cp "$tmp/page" "$tmp/rebuilt.csv"
after_rows=$(q "SELECT COUNT(*), MIN(stamp), MAX(stamp) FROM score_summaries")
got=$(grep "^\"$altcode\"" "$tmp/rebuilt.csv" | cut -d, -f4)
case $got in 4242|4242.00|4242,00) seen=yes ;; *) seen=no ;; esac
[ "$st" = 200 ] && [ "$seen" = yes ] && [ "$before_rows" = "$after_rows" ] &&
	ok dash-summaries-kept-across-builds || notok dash-summaries-kept-across-builds "status $st; unit $altcode total $got (4242 stored)" "$before_rows / $after_rows"
q "DELETE FROM score_summaries WHERE assessment_id = $alt"

# ---- the open data: one row per published result --------------------------------------------
pub=$(q "SELECT COUNT(*) FROM published_results p JOIN assessments a ON a.id = p.assessment_id WHERE a.state = 'published'")
st=$(curl -s -o "$tmp/open.csv" -w '%{http_code}' "$base/cong-khai/du-lieu.csv")
rows=$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))) - 1)' "$tmp/open.csv")
[ "$st" = 200 ] && [ "$rows" = "$pub" ] && [ "$pub" -gt 0 ] && ok open-data-csv-rows || notok open-data-csv-rows "status $st, $rows rows, $pub published"
st=$(curl -s -o "$tmp/open.json" -w '%{http_code}' "$base/cong-khai/du-lieu.json")
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["count"] if d["count"] == len(d["results"]) else -1)' "$tmp/open.json")
[ "$st" = 200 ] && [ "$n" = "$pub" ] && ok open-data-json-count || notok open-data-json-count "status $st, count $n, $pub published"

# streamed (issue 15): chunked, no Content-Length (the body is made as it is sent, a page of
# results at a time); every row is a published result of the database (code, year, level),
# each exactly once, and a filtered stream holds that area's and year's rows only
fails=
for ext in csv json; do
	curl -s -D "$tmp/open.h" -o /dev/null "$base/cong-khai/du-lieu.$ext"
	grep -qi '^transfer-encoding: chunked' "$tmp/open.h" && ! grep -qi '^content-length:' "$tmp/open.h" || fails="$fails $ext not streamed"
done
so_id=$(q "SELECT id FROM units WHERE code = '52000000'")
PUBSQL="SELECT u.code, r.school_year, a.recognised_level FROM published_results p JOIN assessments a ON a.id = p.assessment_id
        JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id WHERE a.state = 'published'"
q "$PUBSQL" | sort >"$tmp/open.sql"
q "$PUBSQL AND r.office_unit_id = $so_id AND r.school_year = '2026-2027'" | sort >"$tmp/open-f.sql"
curl -s -o "$tmp/open-f.csv" "$base/cong-khai/du-lieu.csv?khu-vuc=$so_id&nam-hoc=2026-2027"
curl -s -o "$tmp/open-f.json" "$base/cong-khai/du-lieu.json?khu-vuc=$so_id&nam-hoc=2026-2027"
out=$(python3 - "$tmp" <<'EOF'
import csv, json, sys
t = sys.argv[1]
def sql(n): return sorted(l.rstrip("\n") for l in open("%s/%s" % (t, n), encoding="utf-8"))
def rows(n): return sorted("%s|%s|%s" % (r[0], r[4], r[6]) for r in list(csv.reader(open("%s/%s" % (t, n), encoding="utf-8-sig", newline="")))[1:])
if rows("open.csv") != sql("open.sql"): sys.exit("the CSV's rows are not the published results")
f = sql("open-f.sql")
if not f or rows("open-f.csv") != f: sys.exit("filtered CSV: %d rows, %d in the database" % (len(rows("open-f.csv")), len(f)))
d = json.load(open(t + "/open-f.json", encoding="utf-8"))
j = sorted("%s|%s|%s" % (r["unit_code"], r["school_year"], r["level"]) for r in d["results"])
if j != f or d["count"] != len(f): sys.exit("filtered JSON: count %s, %d results, %d in the database" % (d["count"], len(j), len(f)))
print("ok")
EOF
)
[ "$out" = ok ] || fails="$fails $out"
[ -z "$fails" ] && ok open-data-streamed-equal-sql || notok open-data-streamed-equal-sql "$fails"

# ---- the public area page: one school year at a time (issue 16, item 11) ----------------------
# an office that published results: each year's page counts that year's units only
# (= the database's count), the page without a year shows the latest, and links the
# others. (Since the Gia Lai demo no office of the demo has published two years: the Sở
# of Bình Định holds 2024-2025, the Sở of Gia Lai 2026-2027; the per-year links are
# checked whenever there are two.)
so_id=$(q "SELECT r.office_unit_id FROM published_results p JOIN assessments a ON a.id = p.assessment_id
      JOIN rounds r ON r.id = a.round_id WHERE a.state = 'published'
      GROUP BY r.office_unit_id ORDER BY count(DISTINCT r.school_year) DESC, count(*) DESC LIMIT 1")
PUBQ="FROM published_results p JOIN assessments a ON a.id = p.assessment_id JOIN rounds r ON r.id = a.round_id
      WHERE a.state = 'published' AND r.office_unit_id = $so_id"
years=$(q "SELECT DISTINCT r.school_year $PUBQ ORDER BY 1 DESC")
fails=
[ -n "$years" ] || fails="no office of the demo has published results"
for y in $years; do
	want=$(q "SELECT COUNT(DISTINCT a.unit_id) $PUBQ AND r.school_year = '$y'")
	st=$(curl -s -o "$tmp/area.html" -w '%{http_code}' "$base/cong-khai/khu-vuc/$so_id?nam-hoc=$y")
	res=$(python3 - "$tmp/area.html" "$y" "$want" "$years" <<'EOF'
import re, sys
page, year, want, years = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], int(sys.argv[3]), sys.argv[4].split()
rows = re.findall(r'<tr><td><a href="/cong-khai/don-vi/\d+">[^<]*</a></td><td>[^<]*</td><td>([^<]*)</td>', page)
if len(rows) != want or set(rows) != {year}: sys.exit("%s: %d rows of years %s, %d units in the database" % (year, len(rows), sorted(set(rows)), want))
m = re.search(r"<p>(\d+) đơn vị có kết quả đã công bố", page)
if not m or int(m.group(1)) != want: sys.exit("%s: count %s, %d in the database" % (year, m and m.group(1), want))
for other in years:
    if other != year and "?nam-hoc=%s\"" % other not in page: sys.exit("%s: no link to %s" % (year, other))
print("ok")
EOF
)
	[ "$st" = 200 ] && [ "$res" = ok ] || fails="$fails status $st: $res"
done
latest=$(echo "$years" | head -1)
curl -s -o "$tmp/area.html" "$base/cong-khai/khu-vuc/$so_id"
grep -q "<h2>Năm học $latest</h2>" "$tmp/area.html" || fails="$fails the page without a year does not show $latest"
[ -z "$fails" ] && ok public-area-per-school-year || notok public-area-per-school-year "$fails"

# ---- progress over several days: a line chart (the round opened three weeks ago) ---------------
q "UPDATE rounds SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '-21 days') WHERE id = $round"
st=$(get "$tmp/so" "/tong-hop/$round")
out=$(python3 - "$tmp/page" "$subm" <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
p = re.search(r'id="tien-do">(.*?)</section>', page, re.S)
if not p: sys.exit("no progress section")
days = re.findall(r"<tr><td>(\d\d/\d\d/\d{4})</td>((?:<td class=\"num\">\d+</td>)+)</tr>", p.group(1))
if len(days) < 3: sys.exit("%d days" % len(days))
if len(re.findall(r"<circle ", p.group(1))) != 4 * len(days): sys.exit("%d points for %d days" % (len(re.findall(r"<circle ", p.group(1))), len(days)))
first = [int(n) for n in re.findall(r"\d+", days[0][1])]
last = [int(n) for n in re.findall(r"\d+", days[-1][1])]
if sum(first) != 0 or last[0] != int(sys.argv[2]): sys.exit("first day %r, last %r" % (first, last))
if re.search(r"Đã nộp hồ sơ: \d+/\d+ đơn vị", p.group(1)): sys.exit("bars drawn with the line chart")
print("ok")
EOF
)
[ "$st" = 200 ] && [ "$out" = ok ] && ok dash-progress-line-over-days || notok dash-progress-line-over-days "status $st: $out"
q "UPDATE rounds SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+21 days') WHERE id = $round"

# ---- who may see it -----------------------------------------------------------------------------
st=$(get "$tmp/ht" "/tong-hop/$round"); [ "$st" = 403 ] && ok dash-school-403 || notok dash-school-403 "status $st"
st=$(get "$tmp/ht" "/tong-hop/$round/bang.csv"); [ "$st" = 403 ] && ok dash-csv-school-403 || notok dash-csv-school-403 "status $st"
st=$(curl -s -o /dev/null -w '%{http_code}' "$base/tong-hop/$round")
case $st in 303|401) ok dash-anonymous-refused ;; *) notok dash-anonymous-refused "status $st" ;; esac
st=$(get "$tmp/so" "/tong-hop/999999"); [ "$st" = 404 ] && ok dash-unknown-404 || notok dash-unknown-404 "status $st"
# the XLSX exports: refused like the page (another office: a Phòng below the Sở; a school; the public)
fails=
for n in $xlsx_names; do
	st=$(get "$tmp/pq" "/tong-hop/$round/$n.xlsx"); [ "$st" = 403 ] || fails="$fails office:$n:$st"
	st=$(get "$tmp/ht" "/tong-hop/$round/$n.xlsx"); [ "$st" = 403 ] || fails="$fails school:$n:$st"
	st=$(curl -s -o /dev/null -w '%{http_code}' "$base/tong-hop/$round/$n.xlsx"); case $st in 303|401) ;; *) fails="$fails anonymous:$n:$st" ;; esac
done
st=$(get "$tmp/pq" "/tong-hop/$round"); [ "$st" = 403 ] || fails="$fails office:page:$st"
[ -z "$fails" ] && ok dash-xlsx-refused || notok dash-xlsx-refused "$fails"
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
if grep -q "ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer" "$tmp/serve.err"; then notok server-sanitizers "$(head -20 "$tmp/serve.err")"; else ok server-sanitizers; fi
