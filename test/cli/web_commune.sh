#!/bin/sh
# HTTP tests of the 2025-2026 chain of responsibility (issue 11) on the demo
# data set: the merged province (Gia Lai from 1/7/2025, the dissolved Sở
# of Bình Định keeping its 2024-2025 rounds, documents headed by the
# bodies of their date); a commune's dashboard of the schools it manages
# and its reminders to the late ones (page_commune.c); the Sở's province
# roll-up across its own rounds and those of the dissolved Phòng
# (page_province.c). One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
tmp=$(mktemp -d)
server_pid= sinkpid=
cleanup() { stop_server; [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"
. "$(dirname "$0")/lib/check.sh"

demo_fixture || { notok demo-fixture; exit 1; }
db="$tmp/chiso.db"
q() { sqlite3 -batch "$db" "$1"; }

# ---- the demo: the merged province ----------------------------------------------------------
name_of() { q "SELECT name FROM units WHERE code = '$1'"; }
[ "$(name_of 52000000)" = "Sở Giáo dục và Đào tạo tỉnh Gia Lai" ] && [ "$(name_of 52000001)" = "Sở Giáo dục và Đào tạo tỉnh Bình Định" ] \
	&& ok demo-two-so || notok demo-two-so "$(name_of 52000000) / $(name_of 52000001)"
CUR=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC LIMIT 1")
OLD=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000001' AND r.title LIKE 'Đánh giá mức độ chuyển đổi số năm học%'")
[ -n "$CUR" ] && [ -n "$OLD" ] && [ "$(q "SELECT school_year FROM rounds WHERE id = $OLD")" = 2024-2025 ] \
	&& ok demo-rounds-by-office || notok demo-rounds-by-office "cur=$CUR old=$OLD"
# a THPT: the Sở of Bình Định until 30/6/2025, the Sở of Gia Lai from 1/7/2025
THPT=$(q "SELECT id FROM units WHERE code = '52103001'")
rel() { q "SELECT o.code FROM unit_relations r JOIN units o ON o.id = r.other_unit_id WHERE r.unit_id = $THPT AND r.kind = '$1' AND r.valid_from <= '$2' AND (r.valid_to IS NULL OR r.valid_to > '$2')"; }
[ "$(rel evaluator 2025-05-31)" = 52000001 ] && [ "$(rel evaluator 2025-09-05)" = 52000000 ] && [ "$(rel parent 2025-09-05)" = 52000000 ] \
	&& ok demo-upper-secondary-moves-on-reform || notok demo-upper-secondary-moves-on-reform "$(rel evaluator 2025-05-31) $(rel evaluator 2025-09-05)"
# documents of each year are headed by that year's bodies, UBND tỉnh above the Sở
# (Nghị định 30/2020: the managing body's name may shorten "Ủy ban nhân dân" to UBND)
heading() {
	"$CHISO" doc recognition --round "$1" --format docx --db "$db" --out "$tmp/h.docx" >/dev/null 2>&1 &&
		unzip -p "$tmp/h.docx" word/document.xml | sed 's/<[^>]*>/ /g' | tr -s ' ' | head -c 400
}
h=$(heading "$CUR")
case $h in *"UBND TỈNH GIA LAI SỞ GIÁO DỤC VÀ ĐÀO TẠO"*"Gia Lai, ngày"*) ok doc-current-headed-gia-lai ;;
	*) notok doc-current-headed-gia-lai "$h" ;; esac
h=$(heading "$OLD")
case $h in *"UBND TỈNH BÌNH ĐỊNH SỞ GIÁO DỤC VÀ ĐÀO TẠO"*"Bình Định, ngày"*) ok doc-2024-headed-binh-dinh ;;
	*) notok doc-2024-headed-binh-dinh "$h" ;; esac
# undated, its blank date is of its own year: not "năm 2026" under the bodies of 2025
"$CHISO" doc summary --round "$OLD" --format pdf --db "$db" --out "$tmp/old.pdf" >/dev/null 2>&1
d=$(pdftotext -layout -l 1 "$tmp/old.pdf" - 2>/dev/null | grep -m1 'ngày.*tháng.*năm' | tr -s ' ')
case $d in *"Bình Định, ngày tháng năm 2025") ok doc-2024-blank-date-2025 ;; *) notok doc-2024-blank-date-2025 "$d" ;; esac

# ---- the commune's schools in the Sở's round (page_commune.c) --------------------------------
# the round's deadline three days ago: the schools still in draft are late
past=$(TZ=Asia/Ho_Chi_Minh date -d '-3 days' +%F)
q "UPDATE rounds SET self_due = '$past' WHERE id = $CUR"
UB=$(q "SELECT id FROM units WHERE code = '52109001'")            # Ủy ban nhân dân phường Quy Nhơn
managed_sql="FROM assessments a JOIN unit_relations r ON r.unit_id = a.unit_id AND r.kind = 'parent'
	AND r.valid_from <= '$past' AND (r.valid_to IS NULL OR r.valid_to > '$past') WHERE a.round_id = $CUR"
N=$(q "SELECT COUNT(*) $managed_sql AND r.other_unit_id = $UB")
LATE=$(q "SELECT a.id $managed_sql AND r.other_unit_id = $UB AND a.state IN ('not_started', 'draft', 'self_assessed', 'approved') ORDER BY a.id LIMIT 1")
LATE_UNIT=$(q "SELECT unit_id FROM assessments WHERE id = $LATE")
q "UPDATE accounts SET email = 'truong.tre@truong.example.vn' WHERE id IN (SELECT account_id FROM role_assignments WHERE role = 'principal' AND unit_id = $LATE_UNIT)"
OTHER_CODE=$(q "SELECT u.code $managed_sql AND r.other_unit_id <> $UB JOIN units u ON u.id = a.unit_id LIMIT 1" 2>/dev/null)
[ -n "$OTHER_CODE" ] || OTHER_CODE=$(q "SELECT u.code FROM assessments a JOIN units u ON u.id = a.unit_id JOIN unit_relations r ON r.unit_id = a.unit_id AND r.kind = 'parent' AND r.valid_to IS NULL WHERE a.round_id = $CUR AND r.other_unit_id <> $UB LIMIT 1")
# two roles at the commune (officer, and administrator too): its schools are listed once
q "INSERT INTO role_assignments (account_id, role, unit_id, created_at) SELECT id, 'office_admin', $UB, '2025-07-01T00:00:00Z' FROM accounts WHERE login = 'ubnd.quynhon'"
[ "$N" -gt 0 ] && [ -n "$LATE" ] && ok setup-commune-schools || notok setup-commune-schools "n=$N late=$LATE"

# lib/smtp_sink.py: every message it accepts becomes a file in $tmp/mail.
smtp_sink_start "$tmp/mail" || { notok smtp-sink; exit 1; }
start_server CHISO_SMTP_URL="smtp://127.0.0.1:$sink_port" CHISO_SMTP_FROM=cds@gialai.example.vn || { notok server; exit 1; }

for who in ubnd.quynhon ubnd.annhon so.binhdinh phong.quynhon phong.annhon; do
	[ "$(signin "$tmp/$who" "$who")" = 303 ] || notok "signin-$who"
done
signin "$tmp/ht" "ht.$(q "SELECT code FROM units WHERE id = $LATE_UNIT")" >/dev/null
get() { curl -s -b "$tmp/$1" -c "$tmp/$1" -o "$tmp/out" -w '%{http_code}' "$base$2"; }
post() {    # post WHO PATH field=value…
	who=$1 url=$2
	shift 2
	n=$#
	for f in "$@"; do set -- "$@" --data-urlencode "$f"; done
	shift "$n"
	c=$(form_csrf "$tmp/$who" /)
	curl -s -b "$tmp/$who" -c "$tmp/$who" -o "$tmp/out" -D "$tmp/hdr" -w '%{http_code}' --data-urlencode "_csrf=$c" "$@" "$base$url"
}

check home-links-commune-summary 200 "$(get ubnd.quynhon /)" "/dot/$CUR/truong-quan-ly"
check commune-summary 200 "$(get ubnd.quynhon "/dot/$CUR/truong-quan-ly")" "$N trường"
rows=$(grep -o '<tr[^>]*data-unit="[0-9]*"' "$tmp/out" | wc -l)
[ "$rows" = "$N" ] && ok commune-lists-exactly-its-schools || notok commune-lists-exactly-its-schools "page $rows, db $N"
lacks commune-not-other-communes-schools "data-unit=\"$OTHER_CODE\""
total=$(sed -n 's/.*<tr class="total"><th>Tổng<\/th><td>\([0-9]*\)<\/td>.*/\1/p' "$tmp/out")
[ "$total" = "$N" ] && ok commune-levels-total || notok commune-levels-total "total '$total', db $N"
# the levels by type: the level that counts (recognised, else external, else self), from the database
m3=$(q "SELECT COUNT(*) $managed_sql AND r.other_unit_id = $UB AND COALESCE(NULLIF(a.recognised_level, 0), NULLIF(a.external_level, 0), a.self_level) = 3")
got3=$(sed -n 's/.*<tr class="total"><th>Tổng<\/th><td>[0-9]*<\/td><td>[0-9]*<\/td><td>[0-9]*<\/td><td>\([0-9]*\)<\/td>.*/\1/p' "$tmp/out")
[ "$got3" = "$m3" ] && ok commune-level-3-count || notok commune-level-3-count "page '$got3', db $m3"
grep -q 'class="overdue-row"' "$tmp/out" && grep -qF "Quá hạn chưa gửi" "$tmp/out" && ok commune-sees-late || notok commune-sees-late
grep -qF 'Chỉ tiêu của đợt, tính trên các trường của cơ quan' "$tmp/out" && ok commune-targets || notok commune-targets
# a school's file, read-only; never the evaluator's work
check commune-opens-school-file 200 "$(get ubnd.quynhon "/danh-gia/$LATE")"
SUB=$(q "SELECT a.id $managed_sql AND r.other_unit_id = $UB AND a.state = 'submitted' LIMIT 1")
[ -n "$SUB" ] && check commune-no-review 403 "$(get ubnd.quynhon "/xet-duyet/$SUB")"
check commune-no-inbox 403 "$(get ubnd.quynhon "/dot/$CUR/hop-thu")"
check commune-no-recognition-page 403 "$(get ubnd.quynhon "/dot/$CUR/cong-nhan")"
[ -n "$SUB" ] && check commune-cannot-return 403 "$(post ubnd.quynhon "/xet-duyet/$SUB/tra-lai" "ly_do=Thiếu minh chứng")"
check commune-not-its-old-round 403 "$(get ubnd.quynhon "/dot/$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52100000'")/truong-quan-ly")"
check other-commune-own-schools-only 200 "$(get ubnd.annhon "/dot/$CUR/truong-quan-ly")"
lacks other-commune-not-quynhon "/danh-gia/$LATE\""
check so-uses-its-inbox 403 "$(get so.binhdinh "/dot/$CUR/truong-quan-ly")"
check school-403 403 "$(get ht "/dot/$CUR/truong-quan-ly")"
check school-cannot-remind 403 "$(post ht "/dot/$CUR/truong-quan-ly/nhac-nho")"
# reminders to the late schools, through the background job
st=$(post ubnd.quynhon "/dot/$CUR/truong-quan-ly/nhac-nho" "loi_nhan=Đề nghị hoàn thành trong tuần.")
J=$(sed -n "s|^[Ll]ocation: .*/dot/$CUR/truong-quan-ly/nhac-nho/\([0-9]*\).*|\1|p" "$tmp/hdr" | head -1)
[ "$st" = 303 ] && [ -n "$J" ] && ok commune-remind-queued || notok commune-remind-queued "status $st"
for i in $(seq 1 50); do
	grep -q '"state":"done"' "$tmp/out" 2>/dev/null && break
	get ubnd.quynhon "/dot/$CUR/truong-quan-ly/nhac-nho/$J/trang-thai" >/dev/null; sleep 0.2
done
check commune-remind-sent 200 "$(get ubnd.quynhon "/dot/$CUR/truong-quan-ly/nhac-nho/$J")" "đã gửi đến truong.tre@truong.example.vn"
if grep -lq 'truong.tre@truong.example.vn' "$tmp/mail"/*.eml 2>/dev/null; then ok commune-remind-mail-delivered; else notok commune-remind-mail-delivered; fi
check other-commune-cannot-see-its-reminders 404 "$(get ubnd.annhon "/dot/$CUR/truong-quan-ly/nhac-nho/$J")"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'round.reminder' AND account_id = (SELECT id FROM accounts WHERE login = 'ubnd.quynhon')")" -gt 0 ] \
	&& ok commune-remind-audited || notok commune-remind-audited "$(q "SELECT DISTINCT action FROM audit_log WHERE action LIKE '%remind%'")"

# ---- the Sở's province roll-up (page_province.c) --------------------------------------------
PH1=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52100000'")
R3806=$(q "SELECT id FROM rounds WHERE id NOT IN ($CUR, $OLD) AND office_unit_id = (SELECT id FROM units WHERE code = '52000001')")
check home-links-province 200 "$(get so.binhdinh /)" "/tinh?co_quan="
check province-page 200 "$(get so.binhdinh /tinh)" "Tổng hợp toàn tỉnh"
# every round of the province: the Sở's, the dissolved Phòng's and the dissolved Sở's 2024-2025 ones
want=$(q "SELECT COUNT(*) FROM rounds WHERE id <> ${R3806:-0}")
got=$(grep -o '<tr data-round="[0-9]*"' "$tmp/out" | wc -l)
[ "$got" = "$want" ] && grep -q "<tr data-round=\"$PH1\"" "$tmp/out" && ok province-lists-every-round || notok province-lists-every-round "page $got, db $want"
grep -q "<tr data-round=\"$PH1\"><td><a href=\"/tinh/dot/$PH1[^\"]*\">[^<]*</a><br><small>[^<]*(chỉ xem)" "$tmp/out" \
	&& ok province-phong-round-read-only || notok province-phong-round-read-only
check province-json 200 "$(get so.binhdinh /tinh.json)"
cp "$tmp/out" "$tmp/province.json"
LEVEL="COALESCE(a.recognised_level, a.external_level, a.self_level, 0)"
q "SELECT a.round_id, u.type, $LEVEL, COUNT(*) FROM assessments a JOIN units u ON u.id = a.unit_id
   WHERE u.type NOT IN ('bo','ubnd_tinh','so','phong','ubnd_xa') GROUP BY 1, 2, 3" >"$tmp/db.txt"
# each year's numbers are the sums of its rounds', and each round's are the database's
if python3 - "$tmp/province.json" "$tmp/db.txt" <<'PY'; then ok province-sums-equal-rounds-and-db; else notok province-sums-equal-rounds-and-db; fi
import json, sys, collections
p = json.load(open(sys.argv[1]))
db = collections.Counter()
for line in open(sys.argv[2]):
    r, t, lvl, n = line.strip().split("|")
    db[(int(r), int(lvl))] += int(n)
keys = ["units", "muc_1", "muc_2", "muc_3", "chua_co_muc", "da_cong_nhan"]
for r in p["rounds"]:
    l = r["levels"]
    for k, lvl in (("muc_1", 1), ("muc_2", 2), ("muc_3", 3), ("chua_co_muc", 0)):
        assert l[k] == db[(r["id"], lvl)], (r["id"], k, l[k], db[(r["id"], lvl)])
    assert l["units"] == sum(db[(r["id"], x)] for x in range(4))
for y in p["years"]:
    s = collections.Counter()
    for r in p["rounds"]:
        if r["school_year"] == y["school_year"]:
            s.update({k: r["levels"][k] for k in keys})
    assert all(y["levels"][k] == s[k] for k in keys), (y["school_year"], y["levels"], s)
    t = collections.Counter()
    for v in y["by_type"].values(): t.update(v)
    c = collections.Counter()
    for v in y["by_commune"]: c.update(v["levels"])
    assert all(t[k] == s[k] == c[k] for k in keys), (t, c, s)
assert len(p["years"]) == 2 and p["year_over_year"]["schools"] > 0
PY
# ... and equal, number for number, the per-round summaries (/tong-hop/{id}, its CSV table),
# each read by the round's own office where the Sở may not (the dissolved Phòng's rounds)
mkdir -p "$tmp/sum"
for id in $(python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))["rounds"]))' "$tmp/province.json"); do
	who=so.binhdinh
	if [ "$(get "$who" "/tong-hop/$id/bang.csv")" != 200 ]; then
		who=$(q "SELECT a.login FROM role_assignments g JOIN accounts a ON a.id = g.account_id JOIN rounds r ON r.office_unit_id = g.unit_id
		         WHERE r.id = $id AND g.role IN ('office_admin', 'officer') AND a.active ORDER BY g.role = 'officer' DESC, a.id LIMIT 1")
		[ -f "$tmp/$who" ] || signin "$tmp/$who" "$who" >/dev/null
		get "$who" "/tong-hop/$id/bang.csv" >/dev/null
	fi
	cp "$tmp/out" "$tmp/sum/$id.csv"
done
if python3 "$(dirname "$0")/lib/round_sums.py" "$tmp/province.json" "$tmp/sum" >"$tmp/sums.txt" 2>&1; then ok province-equals-sum-of-round-summaries
else notok province-equals-sum-of-round-summaries "$(tail -2 "$tmp/sums.txt")"; fi
# the drill-down of the Phòng's round holds the JSON's numbers for it
n1=$(python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print([r['levels']['units'] for r in p['rounds'] if r['id']==$PH1][0])" "$tmp/province.json")
check province-round-drilldown 200 "$(get so.binhdinh "/tinh/dot/$PH1")" "Phòng Giáo dục và Đào tạo thành phố Quy Nhơn"
tot=$(sed -n 's/.*<tr class="total"><th>Toàn tỉnh<\/th><td>\([0-9]*\)<\/td>.*/\1/p' "$tmp/out" | head -1)
[ "$tot" = "$n1" ] && ok province-drilldown-equals-row || notok province-drilldown-equals-row "page '$tot', json $n1"
# the workbook: the rounds' sheet, one sheet per school year, the JSON's numbers
st=$(curl -s -b "$tmp/so.binhdinh" -o "$tmp/tinh.xlsx" -w '%{http_code}' "$base/tinh.xlsx")
if [ "$st" = 200 ] && python3 - "$tmp/tinh.xlsx" "$tmp/province.json" <<'PY'; then ok province-xlsx-same-numbers; else notok province-xlsx-same-numbers "status $st"; fi
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
p = json.load(open(sys.argv[2]))
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
import xml.etree.ElementTree as ET
shared = [si.findtext(".//m:t", namespaces=ns) or "" for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
def rows(n):
    out = []
    for r in ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % n)).iter("{%s}row" % ns["m"]):
        cells = []
        for c in r.findall("m:c", ns):
            v = c.findtext("m:v", namespaces=ns)
            cells.append(shared[int(v)] if c.get("t") == "s" else float(v))
        out.append(cells)
    return out
assert len([n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]) == 1 + len(p["years"])
first = rows(1)
assert len(first) == 2 + len(p["rounds"]), len(first)
for r, cells in zip(p["rounds"], first[2:]):
    assert cells[2] == r["title"] and cells[3] == r["levels"]["units"] and cells[6] == r["levels"]["muc_3"], (cells, r)
for i, y in enumerate(p["years"]):
    total = [c for c in rows(2 + i) if c and c[0] == "Toàn tỉnh"][0]
    assert total[1] == y["levels"]["units"] and total[4] == y["levels"]["muc_3"], (total, y["levels"])
PY
check province-not-the-3806-round 404 "$(get so.binhdinh "/tinh/dot/${R3806:-0}")"
check province-commune-403 403 "$(get ubnd.quynhon /tinh)"
check province-school-403 403 "$(get ht /tinh)"
check province-phong-403 403 "$(get phong.quynhon /tinh)"
check province-commune-asks-for-so-403 403 "$(get ubnd.quynhon "/tinh.json?co_quan=$(q "SELECT id FROM units WHERE code = '52000000'")")"
# reads the Phòng's round, acts only on its own
check so-cannot-remind-in-phong-round 403 "$(post so.binhdinh "/dot/$PH1/nhac-nho")"
# a dissolved Phòng's old round stays readable to its people
check phong-reads-its-old-round 200 "$(get phong.quynhon "/tong-hop/$PH1")"
# its own unsent 3806 file says the Phòng is dissolved, not "overdue, ask for more time"
check phong-home-dissolved 200 "$(get phong.quynhon /)" "Đơn vị đã giải thể từ ngày 01/07/2025"
# nor a deadline counting down, nor a button to send it
if grep -q "Đã quá hạn gửi hồ sơ\|quá hạn [0-9]* ngày\|Phê duyệt và gửi hồ sơ" "$tmp/out"; then
	notok phong-home-not-overdue "$(grep -o 'Đã quá hạn gửi hồ sơ\|quá hạn [0-9]* ngày\|Phê duyệt và gửi hồ sơ' "$tmp/out" | head -3)"
else
	ok phong-home-not-overdue
fi
# 3806 as shipped has nothing to answer: the home says so instead of "0/0 chỉ tiêu"
if grep -q "chưa có chỉ tiêu để tự đánh giá" "$tmp/out" && ! grep -q "Đã đánh giá 0/0" "$tmp/out"; then
	ok phong-home-incomplete-set
else
	notok phong-home-incomplete-set "$(grep -o 'Tiến độ</dt><dd>[^<]*' "$tmp/out" | head -2)"
fi

# ---- reporting up is a step (page_report.c) ----------------------------------------------------
# the four Phòng's 2024-2025 reports were due on 10/06/2025 to the Sở of Bình Định (so.binhdinh's)
check home-links-reports-inbox 200 "$(get so.binhdinh /)" 'href="/bao-cao-cap-duoi"'
check home-links-report-up 200 "$(get phong.quynhon /)" "/dot/$PH1/bao-cao-cap-tren"
check superior-inbox 200 "$(get so.binhdinh /bao-cao-cap-duoi)" "quá hạn chưa gửi: 4"
[ "$(grep -o '<tr class="overdue-row" data-round=' "$tmp/out" | wc -l)" = 4 ] && ok superior-late-list || notok superior-late-list
check report-page 200 "$(get phong.quynhon "/dot/$PH1/bao-cao-cap-tren")" "Chưa gửi"
grep -qF 'Sở Giáo dục và Đào tạo tỉnh Bình Định' "$tmp/out" && ok report-addressed-to-superior-of-its-date || notok report-addressed-to-superior-of-its-date
units=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = $PH1")
grep -q "<th>Số đơn vị</th><td>$units</td>" "$tmp/out" && ok report-figures-from-round || notok report-figures-from-round "db $units"
check report-send-needs-text 422 "$(post phong.quynhon "/dot/$PH1/bao-cao-cap-tren" thao_tac=gui noi_dung=)"
check report-other-phong-403 403 "$(get phong.annhon "/dot/$PH1/bao-cao-cap-tren")"
check report-commune-403 403 "$(get ubnd.quynhon "/dot/$PH1/bao-cao-cap-tren")"
check report-send 303 "$(post phong.quynhon "/dot/$PH1/bao-cao-cap-tren" thao_tac=gui "noi_dung=Các trường đã hoàn thành tự đánh giá đúng hạn.")"
st() { q "SELECT state FROM office_reports WHERE round_id = $PH1"; }
[ "$(st)" = submitted ] && [ "$(q "SELECT json_extract(figures_json, '\$.units') FROM office_reports WHERE round_id = $PH1")" = "$units" ] \
	&& ok report-sent-figures-frozen || notok report-sent-figures-frozen "$(st)"
check report-sender-cannot-acknowledge 403 "$(post phong.quynhon "/dot/$PH1/bao-cao-cap-tren" thao_tac=tiep-nhan)"
check superior-inbox-after-send 200 "$(get so.binhdinh /bao-cao-cap-duoi)" "quá hạn chưa gửi: 3"
# (the date one unbreakable dd/mm/yyyy: on a phone it broke as "10/06" over "/2025")
grep -q "data-round=\"$PH1\"><td data-label=\"Cơ quan\">[^<]*</td><td[^>]*><a[^>]*>[^<]*</a></td><td[^>]*><span class=\"date\">[0-9][0-9]/[0-9][0-9]/20[0-9][0-9]</span>[^<]*</td><td[^>]*><span class=\"state report-submitted\">Đã gửi" "$tmp/out" \
	&& ok superior-inbox-shows-sent || notok superior-inbox-shows-sent
check superior-cannot-send-it 403 "$(post so.binhdinh "/dot/$PH1/bao-cao-cap-tren" thao_tac=gui noi_dung=x)"
check return-needs-reason 422 "$(post so.binhdinh "/dot/$PH1/bao-cao-cap-tren" thao_tac=tra-lai ly_do=)"
check report-return 303 "$(post so.binhdinh "/dot/$PH1/bao-cao-cap-tren" thao_tac=tra-lai "ly_do=Bổ sung số liệu trường mầm non tư thục")"
check report-returned-shows-reason 200 "$(get phong.quynhon "/dot/$PH1/bao-cao-cap-tren")" "Cấp trên trả lại: Bổ sung số liệu trường mầm non tư thục"
check returned-is-late-again 200 "$(get so.binhdinh /bao-cao-cap-duoi)" "quá hạn chưa gửi: 4"
# the superior reminds the late reporter by e-mail (issue 11, item 4): the reporter's head receives it
q "UPDATE accounts SET email = 'truong.phong@pgd.example.vn' WHERE login = 'phong.quynhon'"
check report-page-offers-reminder 200 "$(get so.binhdinh "/dot/$PH1/bao-cao-cap-tren")" 'action="/dot/'"$PH1"'/bao-cao-cap-tren/nhac-nho"'
check reporter-page 200 "$(get phong.quynhon "/dot/$PH1/bao-cao-cap-tren")"
lacks reporter-not-offered-reminder 'bao-cao-cap-tren/nhac-nho'
check reporter-cannot-remind-itself 403 "$(post phong.quynhon "/dot/$PH1/bao-cao-cap-tren/nhac-nho")"
check school-cannot-remind-report 403 "$(post ht "/dot/$PH1/bao-cao-cap-tren/nhac-nho")"
check superior-reminds-late-report 303 "$(post so.binhdinh "/dot/$PH1/bao-cao-cap-tren/nhac-nho" "loi_nhan=Đề nghị gửi trước thứ Sáu.")"
for i in $(seq 1 50); do grep -lq 'truong.phong@pgd.example.vn' "$tmp/mail"/*.eml 2>/dev/null && break; sleep 0.2; done
m=$(grep -l 'truong.phong@pgd.example.vn' "$tmp/mail"/*.eml 2>/dev/null | head -1)
if [ -n "$m" ] && python3 -c '
import email, email.header, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw.split(b"\r\n", 1)[1])
subj = str(email.header.make_header(email.header.decode_header(m["Subject"])))
body = m.get_payload(decode=True).decode()
sys.exit(0 if "Nhắc hạn gửi báo cáo kết quả" in subj and "Đề nghị gửi trước thứ Sáu." in body and "/bao-cao-cap-tren" in body else 1)' "$m"
then ok report-reminder-delivered; else notok report-reminder-delivered "$m"; fi
check report-resend 303 "$(post phong.quynhon "/dot/$PH1/bao-cao-cap-tren" thao_tac=gui "noi_dung=Đã bổ sung số liệu trường mầm non tư thục.")"
check report-acknowledge 303 "$(post so.binhdinh "/dot/$PH1/bao-cao-cap-tren" thao_tac=tiep-nhan)"
[ "$(st)" = acknowledged ] && [ "$(q "SELECT group_concat(to_state, ',') FROM (SELECT to_state FROM office_report_transitions t JOIN office_reports r ON r.id = t.report_id WHERE r.round_id = $PH1 ORDER BY t.id)")" = "submitted,returned,submitted,acknowledged" ] \
	&& ok report-history-sent-returned-resent-acknowledged || notok report-history-sent-returned-resent-acknowledged "$(st)"
check acknowledged-is-final 409 "$(post so.binhdinh "/dot/$PH1/bao-cao-cap-tren" thao_tac=tra-lai ly_do=x)"
check superior-inbox-acknowledged 200 "$(get so.binhdinh /bao-cao-cap-duoi)" "Đã tiếp nhận"

# ---- a new round: the units it will take, and why 0 (page_round_units.c) -----------------------
check round-form-links-preview 200 "$(get ubnd.quynhon /dot)" "/dot/xem-truoc-don-vi?co_quan=$UB"
check preview-commune-zero-units 200 "$(get ubnd.quynhon "/dot/xem-truoc-don-vi?co_quan=$UB")" "0 đơn vị</strong> sẽ có phiếu"
grep -qF "Các trường do Ủy ban nhân dân phường Quy Nhơn quản lý được Sở Giáo dục và Đào tạo tỉnh Gia Lai đánh giá" "$tmp/out" \
	&& ok preview-says-why-zero || notok preview-says-why-zero "$(grep -o 'id="ly-do">[^<]*' "$tmp/out")"
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
nm=$(q "SELECT COUNT(*) FROM unit_relations WHERE kind = 'parent' AND other_unit_id = $UB AND valid_from <= '$today' AND (valid_to IS NULL OR valid_to > '$today')")
[ "$(grep -o '<tr data-unit=' "$tmp/out" | wc -l)" = "$nm" ] && ok preview-lists-managed-elsewhere || notok preview-lists-managed-elsewhere "db $nm"
SO=$(q "SELECT id FROM units WHERE code = '52000000'")
ne=$(q "SELECT COUNT(*) FROM unit_relations WHERE kind = 'evaluator' AND other_unit_id = $SO AND valid_from <= '$today' AND (valid_to IS NULL OR valid_to > '$today')")
check preview-so-units 200 "$(get so.binhdinh "/dot/xem-truoc-don-vi?co_quan=$SO")" "$ne đơn vị</strong> sẽ có phiếu"
check preview-other-commune-403 403 "$(get ubnd.annhon "/dot/xem-truoc-don-vi?co_quan=$UB")"
check preview-bad-date-400 400 "$(get ubnd.quynhon "/dot/xem-truoc-don-vi?co_quan=$UB&ngay=2025-02-30")"

# ---- the weakest criteria (issue 11, item 3) -----------------------------------------------------
# rows of a weakest-criteria table: code|title|share|units, one a line
weak_rows() { tr -d '\n' <"$tmp/out" | sed 's|<section|\n<section|g' | grep "$1" | grep -o '<tr><td>[^<]*</td><td>[^<]*</td><td class="num">[^<]*%</td><td class="num">[0-9]*</td></tr>' | sed 's|</td><td[^>]*>|\||g; s|<[^>]*>||g'; }
cur_year=$(q "SELECT school_year FROM rounds WHERE id = $CUR")
[ "$(q "SELECT COUNT(*) FROM rounds WHERE school_year > '$cur_year'")" = 0 ] && [ "$(q "SELECT COUNT(*) FROM rounds WHERE school_year = '$cur_year'")" = 1 ] \
	&& ok weakest-setup-one-round-this-year || notok weakest-setup-one-round-this-year
get so.binhdinh "/tong-hop/$CUR" >/dev/null; weak_rows 'Tiêu chí yếu nhất' >"$tmp/dash.weak"
get so.binhdinh /tinh >/dev/null; weak_rows 'id="tieu-chi-yeu"' >"$tmp/prov.weak"
[ -s "$tmp/dash.weak" ] && cmp -s "$tmp/dash.weak" "$tmp/prov.weak" && ok province-weakest-equals-round-summary \
	|| notok province-weakest-equals-round-summary "$(head -3 "$tmp/dash.weak")" "--" "$(head -3 "$tmp/prov.weak")"
check commune-weakest 200 "$(get ubnd.quynhon "/dot/$CUR/truong-quan-ly")" 'id="tieu-chi-yeu"'
weak_rows 'id="tieu-chi-yeu"' >"$tmp/com.weak"
maxn=$(cut -d'|' -f4 "$tmp/com.weak" | sort -n | tail -1)
[ -s "$tmp/com.weak" ] && [ "${maxn:-0}" -le "$N" ] && ok commune-weakest-counts-its-schools || notok commune-weakest-counts-its-schools "max $maxn of $N"
# ---- rounds by relation (issue 11, item 2): "also the units it manages" ----------------------------
check preview-also-managed 200 "$(get ubnd.quynhon "/dot/xem-truoc-don-vi?co_quan=$UB&cung_quan_ly=1")" "$nm đơn vị</strong> sẽ có phiếu"
[ "$(grep -o '<td>Quản lý trực tiếp: Ủy ban nhân dân phường Quy Nhơn quản lý đơn vị (do Sở Giáo dục và Đào tạo tỉnh Gia Lai đánh giá)</td>' "$tmp/out" | wc -l)" = "$nm" ] \
	&& ok preview-also-managed-says-why || notok preview-also-managed-says-why "db $nm"
lacks preview-also-managed-no-zero-reason 'id="ly-do"'
check round-form-offers-also-managed 200 "$(get ubnd.quynhon /dot)" 'name="cung_quan_ly" value="1"'
fws="bcs:mam_non=q7-mamnon-2023@1 bcs:tieu_hoc=qd4725-2022@1 bcs:thcs=qd4725-2022@1"
# shellcheck disable=SC2086
check commune-round-evaluated-only 303 "$(post ubnd.quynhon /dot co_quan="$UB" nam_hoc=2026-2027 "ten=Đợt của phường theo quan hệ đánh giá" $fws)"
R0=$(q "SELECT id FROM rounds WHERE title = 'Đợt của phường theo quan hệ đánh giá'")
[ -n "$R0" ] && [ "$(q "SELECT COUNT(*) FROM assessments WHERE round_id = $R0")" = 0 ] && [ "$(q "SELECT include_managed FROM rounds WHERE id = $R0")" = 0 ] \
	&& ok commune-round-evaluated-only-0 || notok commune-round-evaluated-only-0 "round $R0"
# shellcheck disable=SC2086
check commune-round-also-managed 303 "$(post ubnd.quynhon /dot co_quan="$UB" nam_hoc=2026-2027 "ten=Đợt của phường gồm trường quản lý" cung_quan_ly=1 $fws)"
R1=$(q "SELECT id FROM rounds WHERE title = 'Đợt của phường gồm trường quản lý'")
want=$(q "SELECT group_concat(unit_id) FROM (SELECT r.unit_id FROM unit_relations r JOIN units u ON u.id = r.unit_id WHERE r.kind = 'parent' AND r.other_unit_id = $UB AND r.valid_from <= '$today' AND (r.valid_to IS NULL OR r.valid_to > '$today') AND u.type IN ('mam_non', 'tieu_hoc', 'thcs') ORDER BY r.unit_id)")
got=$(q "SELECT group_concat(unit_id) FROM (SELECT unit_id FROM assessments WHERE round_id = ${R1:-0} ORDER BY unit_id)")
[ -n "$want" ] && [ "$got" = "$want" ] && ok commune-round-gets-its-schools || notok commune-round-gets-its-schools "want $want got $got"
check commune-round-inbox 200 "$(get ubnd.quynhon "/dot/${R1:-0}/hop-thu")"
check commune-round-says-also-managed 200 "$(get ubnd.quynhon "/dot/${R1:-0}")" 'id="cung-quan-ly"'
check commune-round-evaluated-only-says-nothing 200 "$(get ubnd.quynhon "/dot/${R0:-0}")"
lacks commune-round-evaluated-only-no-note 'id="cung-quan-ly"'
# ---- a commune reports up too (issue 11, item 4): its round's report to the Sở of Gia Lai ----------
# (the demo's communes answer to the Sở from 1/7/2025); the report date three days ago: late
q "UPDATE rounds SET report_due = '$past' WHERE id = ${R1:-0}"
check commune-home-links-report-up 200 "$(get ubnd.quynhon /)" "/dot/${R1:-0}/bao-cao-cap-tren"
check commune-report-page 200 "$(get ubnd.quynhon "/dot/${R1:-0}/bao-cao-cap-tren")" "Chưa gửi"
grep -qF '<dt>Gửi đến</dt><dd>Sở Giáo dục và Đào tạo tỉnh Gia Lai</dd>' "$tmp/out" && ok commune-report-addressed-to-so || notok commune-report-addressed-to-so
cu=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = ${R1:-0}")
grep -q "<th>Số đơn vị</th><td>$cu</td>" "$tmp/out" && ok commune-report-figures-from-round || notok commune-report-figures-from-round "db $cu"
in_row() { tr -d '\n' <"$tmp/out" | grep -o "<tr[^>]*data-round=\"$1\">.*" | sed 's|</tr>.*||'; }
check so-inbox-has-commune 200 "$(get so.binhdinh /bao-cao-cap-duoi)"
case $(in_row "${R1:-0}") in *overdue-row*"Ủy ban nhân dân phường Quy Nhơn"*"(quá hạn)"*"Chưa gửi"*) ok so-late-list-has-commune ;;
	*) notok so-late-list-has-commune "$(in_row "${R1:-0}")" ;; esac
# another commune neither sees nor acts on it
check commune-report-other-commune-403 403 "$(get ubnd.annhon "/dot/${R1:-0}/bao-cao-cap-tren")"
check commune-report-other-commune-cannot-send 403 "$(post ubnd.annhon "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=gui noi_dung=x)"
check commune-report-other-commune-cannot-remind 403 "$(post ubnd.annhon "/dot/${R1:-0}/bao-cao-cap-tren/nhac-nho")"
check other-commune-inbox-lacks-it 200 "$(get ubnd.annhon /bao-cao-cap-duoi)"
lacks other-commune-inbox-not-quynhon "data-round=\"${R1:-0}\""
check commune-report-send 303 "$(post ubnd.quynhon "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=gui "noi_dung=Các trường của phường đã tự đánh giá.")"
cst() { q "SELECT state FROM office_reports WHERE round_id = ${R1:-0}"; }
[ "$(cst)" = submitted ] && [ "$(q "SELECT to_unit_id FROM office_reports WHERE round_id = ${R1:-0}")" = "$SO" ] \
	&& ok commune-report-sent-to-so || notok commune-report-sent-to-so "$(cst)"
check commune-cannot-acknowledge-own 403 "$(post ubnd.quynhon "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=tiep-nhan)"
check other-commune-cannot-acknowledge 403 "$(post ubnd.annhon "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=tiep-nhan)"
check other-commune-cannot-return 403 "$(post ubnd.annhon "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=tra-lai ly_do=x)"
get so.binhdinh /bao-cao-cap-duoi >/dev/null
case $(in_row "${R1:-0}") in *overdue-row*) notok so-inbox-commune-sent "$(in_row "${R1:-0}")" ;; *"Đã gửi"*) ok so-inbox-commune-sent ;;
	*) notok so-inbox-commune-sent "$(in_row "${R1:-0}")" ;; esac
check commune-report-return 303 "$(post so.binhdinh "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=tra-lai "ly_do=Thiếu số liệu trường mầm non")"
check commune-report-returned-shows-reason 200 "$(get ubnd.quynhon "/dot/${R1:-0}/bao-cao-cap-tren")" "Cấp trên trả lại: Thiếu số liệu trường mầm non"
get so.binhdinh /bao-cao-cap-duoi >/dev/null
case $(in_row "${R1:-0}") in *overdue-row*) ok so-late-list-commune-returned ;; *) notok so-late-list-commune-returned "$(in_row "${R1:-0}")" ;; esac
check commune-report-resend 303 "$(post ubnd.quynhon "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=gui "noi_dung=Đã bổ sung số liệu trường mầm non.")"
check commune-report-acknowledge 303 "$(post so.binhdinh "/dot/${R1:-0}/bao-cao-cap-tren" thao_tac=tiep-nhan)"
[ "$(cst)" = acknowledged ] && [ "$(q "SELECT group_concat(to_state, ',') FROM (SELECT to_state FROM office_report_transitions t JOIN office_reports r ON r.id = t.report_id WHERE r.round_id = ${R1:-0} ORDER BY t.id)")" = "submitted,returned,submitted,acknowledged" ] \
	&& ok commune-report-sent-returned-resent-acknowledged || notok commune-report-sent-returned-resent-acknowledged "$(cst)"
get so.binhdinh /bao-cao-cap-duoi >/dev/null
case $(in_row "${R1:-0}") in *"Đã tiếp nhận"*) ok so-inbox-commune-acknowledged ;; *) notok so-inbox-commune-acknowledged "$(in_row "${R1:-0}")" ;; esac
# the commune's own report heads itself (ND 30/2020): no Sở above the People's Committee, though it reports to it
"$CHISO" doc summary --round "${R1:-0}" --format pdf --db "$db" --out "$tmp/com.pdf" >/dev/null 2>&1
h=$(pdftotext -layout -l 1 "$tmp/com.pdf" - 2>/dev/null | head -3 | tr -s ' ')
case $h in *"SỞ GIÁO DỤC"*|*"GD&ĐT"*) notok commune-doc-header-no-so "$h" ;; " ỦY BAN NHÂN DÂN CỘNG HÒA"*) ok commune-doc-header-no-so ;;
	*) notok commune-doc-header-no-so "$h" ;; esac
# the command line: --also-managed
out=$("$CHISO" round open --office 52109001 --year 2027-2028 --framework thcs=qd4725-2022 --framework tieu_hoc=qd4725-2022 --also-managed --db "$db" 2>&1)
nt=$(q "SELECT COUNT(*) FROM unit_relations r JOIN units u ON u.id = r.unit_id WHERE r.kind = 'parent' AND r.other_unit_id = $UB AND r.valid_from <= '$today' AND (r.valid_to IS NULL OR r.valid_to > '$today') AND u.type IN ('tieu_hoc', 'thcs')")
case $out in *"Đã tạo $nt phiếu đánh giá cho các đơn vị do Ủy ban nhân dân phường Quy Nhơn đánh giá hoặc quản lý trực tiếp"*) ok cli-round-also-managed ;;
	*) notok cli-round-also-managed "$out (want $nt)" ;; esac
out=$("$CHISO" round open --office 52109001 --year 2028-2029 --framework thcs=qd4725-2022 --db "$db" 2>&1)
case $out in *"Đã tạo 0 phiếu"*) ok cli-round-evaluated-only-0 ;; *) notok cli-round-evaluated-only-0 "$out" ;; esac

# the commune manages every school of the round: its table is the round summary's, number for number
q "UPDATE unit_relations SET valid_to = '2025-07-01' WHERE kind = 'parent' AND valid_to IS NULL AND valid_from < '2025-07-01' AND unit_id IN (SELECT unit_id FROM assessments WHERE round_id = $CUR)"
q "UPDATE unit_relations SET other_unit_id = $UB WHERE kind = 'parent' AND valid_to IS NULL AND unit_id IN (SELECT unit_id FROM assessments WHERE round_id = $CUR)"
q "INSERT INTO unit_relations (unit_id, kind, other_unit_id, valid_from) SELECT a.unit_id, 'parent', $UB, '2025-07-01' FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.round_id = $CUR AND u.type NOT IN ('so', 'phong', 'ubnd_xa', 'ubnd_tinh', 'bo') AND NOT EXISTS (SELECT 1 FROM unit_relations r WHERE r.unit_id = a.unit_id AND r.kind = 'parent' AND r.valid_to IS NULL)" 2>/dev/null
check commune-weakest-all 200 "$(get ubnd.quynhon "/dot/$CUR/truong-quan-ly")" 'id="tieu-chi-yeu"'
weak_rows 'id="tieu-chi-yeu"' >"$tmp/com2.weak"
cmp -s "$tmp/dash.weak" "$tmp/com2.weak" && ok commune-weakest-equals-round-summary-same-schools \
	|| notok commune-weakest-equals-round-summary-same-schools "$(diff "$tmp/dash.weak" "$tmp/com2.weak" | head -4)"

server_clean server-clean
