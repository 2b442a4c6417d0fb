#!/bin/sh
# The Sở's province roll-up (page_province.c) on a generated province of
# 5,000 schools over 30 communes, two school years (a round of each): the
# province's numbers per year equal, number for number, the sums of its
# rounds' numbers, which equal the database's; by type and by commune they
# add up to the same totals; the time of one /tinh.json is printed as a
# comment line (a figure, never a failure). One "ok NAME" / "not ok NAME"
# line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
tmp=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"
ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

db="$tmp/chiso.db"
q() { sqlite3 -batch "$db" "$1"; }
mkdir -p "$tmp/files"
# 1 Sở, 30 communes (managed by nobody here), 5,000 schools: tiểu học and THCS
# managed by a commune and evaluated by the Sở, every tenth a THPT of the Sở
python3 - "$tmp/units.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("STT,Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục\n")
    n = 1
    f.write('%d,99000000,Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm,Sở,,,"1 Trần Phú, phường Một",Công lập\n' % n)
    for c in range(30):
        n += 1
        f.write('%d,9990%04d,Ủy ban nhân dân phường Số %d,UBND xã,,,"phường Số %d",Công lập\n' % (n, c, c + 1, c + 1))
    for s in range(5000):
        n += 1
        kind = "THPT" if s % 10 == 9 else ("Tiểu học" if s % 2 else "THCS")
        manager = "99000000" if kind == "THPT" else "9990%04d" % ((s // 3) % 30)
        f.write('%d,99%06d,Trường %s Thử Nghiệm %d,%s,%s,99000000,"Số %d đường Một, phường Số %d",Công lập\n'
                % (n, s + 1, kind, s + 1, kind, manager, s + 1, s % 30 + 1))
PY
if "$CHISO" unit import "$tmp/units.csv" --db "$db" --from 2024-08-01 >"$tmp/import.log" 2>&1 &&
   "$CHISO" round open --db "$db" --office 99000000 --year 2024-2025 --title "Đánh giá năm học 2024-2025" \
	--framework tieu_hoc=qd4725-2022 --framework thcs=qd4725-2022 --framework thpt=qd4725-2022 --self-due 2025-05-31 >"$tmp/r1.log" 2>&1 &&
   "$CHISO" round open --db "$db" --office 99000000 --year 2025-2026 --title "Đánh giá năm học 2025-2026" \
	--framework tieu_hoc=qd4725-2022 --framework thcs=qd4725-2022 --framework thpt=qd4725-2022 --self-due 2026-05-31 >"$tmp/r2.log" 2>&1 &&
   "$CHISO" user add so.thu --name "Cán bộ Sở" --password chiso2025 --role officer --unit 99000000 --db "$db" >"$tmp/user.log" 2>&1; then
	ok generated-province
else notok generated-province "$(tail -3 "$tmp/import.log" "$tmp/r1.log" "$tmp/r2.log" "$tmp/user.log")"; exit 1; fi
n=$(q "SELECT COUNT(*) FROM assessments")
[ "$n" = 10000 ] && ok generated-two-rounds-of-5000 || notok generated-two-rounds-of-5000 "$n assessments"
# levels of every kind, spread by id: self, external, recognised, none
q "UPDATE assessments SET self_level = CASE WHEN id % 7 = 0 THEN NULL ELSE 1 + id % 3 END,
     external_level = CASE WHEN id % 5 = 0 THEN 1 + (id / 5) % 3 END,
     recognised_level = CASE WHEN id % 4 = 0 THEN 1 + (id / 4) % 3 END"

start_server || { notok server; exit 1; }
# the server's thread rebuilds the generated rounds' aggregates (written without
# the hook) in short write transactions; a slow build (ASan) may refuse a sign-in
# meanwhile, so it is tried again for up to 60 s
i=0
until [ "$(signin "$tmp/so" so.thu)" = 303 ]; do
	i=$((i + 1)); [ $i -ge 60 ] && { notok signin; break; }; sleep 1
done
t0=$(date +%s%N)
st=$(curl -s -b "$tmp/so" -o "$tmp/p.json" -w '%{http_code}' "$base/tinh.json")
t1=$(date +%s%N)
echo "# /tinh.json at 5,000 schools × 2 rounds: $(( (t1 - t0) / 1000000 )) ms"
# the page, with the newest year's weakest criteria (web_weakest.c): scored on the first
# view, read from the stored score summaries on the next
for k in first second; do
	t0=$(date +%s%N)
	st=$(curl -s -b "$tmp/so" -o "$tmp/p.html" -w '%{http_code}' "$base/tinh")
	t1=$(date +%s%N)
	echo "# /tinh (HTML, weakest criteria) at 5,000 schools × 2 rounds, $k view: $(( (t1 - t0) / 1000000 )) ms"
done
[ "$st" = 200 ] && grep -q 'id="tieu-chi-yeu"' "$tmp/p.html" && ok province-page-weakest || notok province-page-weakest "status $st"
[ "$st" = 200 ] && ok province-json || notok province-json "status $st"
LEVEL="COALESCE(a.recognised_level, a.external_level, a.self_level, 0)"
q "SELECT a.round_id, $LEVEL, COUNT(*), SUM(a.recognised_level IS NOT NULL) FROM assessments a GROUP BY 1, 2" >"$tmp/db.txt"
q "SELECT r.school_year, p.other_unit_id, COUNT(*) FROM assessments a JOIN rounds r ON r.id = a.round_id
   JOIN unit_relations p ON p.unit_id = a.unit_id AND p.kind = 'parent' AND p.valid_to IS NULL GROUP BY 1, 2" >"$tmp/communes.txt"
if python3 - "$tmp/p.json" "$tmp/db.txt" "$tmp/communes.txt" <<'PY'; then ok province-equals-sum-of-rounds-and-db; else notok province-equals-sum-of-rounds-and-db; fi
import json, sys, collections
p = json.load(open(sys.argv[1]))
db, rec = collections.Counter(), collections.Counter()
for line in open(sys.argv[2]):
    r, lvl, n, k = map(int, line.strip().split("|"))
    db[(r, lvl)] += n
    rec[r] += k
keys = ["units", "muc_1", "muc_2", "muc_3", "chua_co_muc", "da_cong_nhan"]
assert len(p["rounds"]) == 2 and len(p["years"]) == 2
for r in p["rounds"]:
    l = r["levels"]
    want = {"units": sum(db[(r["id"], x)] for x in range(4)), "muc_1": db[(r["id"], 1)], "muc_2": db[(r["id"], 2)],
            "muc_3": db[(r["id"], 3)], "chua_co_muc": db[(r["id"], 0)], "da_cong_nhan": rec[r["id"]]}
    assert l == want, (l, want)
communes = collections.Counter()
for line in open(sys.argv[3]):
    y, c, n = line.strip().split("|")
    communes[(y, int(c))] = int(n)
for y in p["years"]:
    s = collections.Counter()
    for r in p["rounds"]:
        if r["school_year"] == y["school_year"]:
            s.update({k: r["levels"][k] for k in keys})
    t, c = collections.Counter(), collections.Counter()
    for v in y["by_type"].values(): t.update(v)
    for v in y["by_commune"]:
        c.update(v["levels"])
        assert v["levels"]["units"] == communes[(y["school_year"], v["id"])], v
    assert all(y["levels"][k] == s[k] == t[k] == c[k] for k in keys), (y["levels"], s, t, c)
    assert len(y["by_commune"]) == 31, len(y["by_commune"])     # 30 communes and the Sở's own THPT
    assert y["levels"]["units"] == 5000
yo = p["year_over_year"]
assert yo["up"] + yo["same"] + yo["down"] == yo["schools"] > 0, yo
PY
# the province summary against the per-round summaries (/tong-hop/{id}, its CSV table):
# each round's numbers are its summary's, each year's the sum of its rounds' summaries
for id in $(python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))["rounds"]))' "$tmp/p.json"); do
	curl -s -b "$tmp/so" -o "$tmp/sum/$id.csv" --create-dirs "$base/tong-hop/$id/bang.csv"
done
if python3 "$(dirname "$0")/lib/round_sums.py" "$tmp/p.json" "$tmp/sum" >"$tmp/sums.txt" 2>&1; then ok province-equals-sum-of-round-summaries
else notok province-equals-sum-of-round-summaries "$(tail -2 "$tmp/sums.txt")"; fi
server_clean server-clean
