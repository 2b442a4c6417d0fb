# test/cli/lib/round_sums.py PROVINCE.json DIR — the province summary
# (/tinh.json) against the per-round summaries: DIR holds each round's
# /tong-hop/{id}/bang.csv as ID.csv (the round summary's table, one unit a
# line with its level: recognised, else external, else self; 0 = none).
# Each province round's numbers (units, units per level) must equal its
# summary's, and each year's the sum of its rounds' summaries, number for
# number. Exits non-zero with the first difference. Used by
# web_province.sh (5,000 schools) and web_commune.sh (the demo).
import collections, csv, json, os, sys

p = json.load(open(sys.argv[1]))
folder = sys.argv[2]
KEY = {0: "chua_co_muc", 1: "muc_1", 2: "muc_2", 3: "muc_3"}
per_round = {}
for r in p["rounds"]:
    rows = list(csv.reader(open(os.path.join(folder, "%d.csv" % r["id"]), encoding="utf-8-sig")))
    assert rows and rows[0][0] == "Mã đơn vị", ("not the summary's CSV", r["id"], rows[:1])
    c = collections.Counter()
    for row in rows[1:]:
        c["units"] += 1
        c[KEY[int(row[4])]] += 1
    per_round[r["id"]] = c
    l = r["levels"]
    for k in ("units", "muc_1", "muc_2", "muc_3", "chua_co_muc"):
        assert l[k] == c[k], ("round", r["id"], k, "province", l[k], "round summary", c[k])
checked = 0
for y in p["years"]:
    s = collections.Counter()
    for r in p["rounds"]:
        if r["school_year"] == y["school_year"]:
            s.update(per_round[r["id"]])
    for k in ("units", "muc_1", "muc_2", "muc_3", "chua_co_muc"):
        assert y["levels"][k] == s[k], ("year", y["school_year"], k, "province", y["levels"][k], "sum of round summaries", s[k])
        checked += 1
print("%d rounds, %d year figures equal to the sums of the round summaries" % (len(p["rounds"]), checked))
