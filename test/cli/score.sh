#!/bin/sh
# CLI tests for chiso frameworks / framework / score: one "ok NAME" or
# "not ok NAME" line per case (test/run.sh counts them).
set -u
CHISO=${CHISO:-build/chiso}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FW=frameworks/qd4725-2022.json

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

# expect NAME STATUS PATTERN CMD… — exit status and a fixed string in stdout+stderr
expect() {
	name=$1 want=$2 pat=$3; shift 3
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$pat"; then ok "$name"
	else notok "$name" "status $rc (wanted $want), pattern: $pat" "$(printf '%s' "$out" | head -5)"; fi
}

# a corrupted framework file: exit 2, exactly one line on stderr, no crash
corrupt() {
	name=$1 pat=$2 file=$3
	"$CHISO" framework check "$file" >"$tmp/out" 2>"$tmp/err"; rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$pat" "$tmp/err"; then ok "$name"
	else notok "$name" "status $rc, $lines lines, pattern: $pat" "$(cat "$tmp/err")"; fi
}

expect help 0 "Cách dùng (usage)" "$CHISO" --help
expect help-en 0 "Usage: chiso" "$CHISO" --lang en --help
expect help-score 0 "--what-if" "$CHISO" score --help
expect unknown-command 2 "không có lệnh 'chamdiem'" "$CHISO" chamdiem
expect frameworks-list 0 "CHƯA HOÀN CHỈNH" "$CHISO" frameworks
expect framework-show 0 "‹bên thứ ba›" "$CHISO" framework show qd4725-2022
expect framework-show-missing 2 "không có bộ chỉ số 'qd9999'" "$CHISO" framework show qd9999
expect framework-check-ok 0 "hợp lệ — qd4725-2022" "$CHISO" framework check "$FW"

# 1. a deleted comma
python3 - "$FW" "$tmp/comma.json" <<'PY'
import sys; s=open(sys.argv[1],encoding='utf-8').read()
i=s.index('"revision"'); j=s.rindex(',',0,i); open(sys.argv[2],'w',encoding='utf-8').write(s[:j]+s[j+1:])
PY
corrupt corrupt-comma "JSON không hợp lệ" "$tmp/comma.json"
# 2. a duplicated code
sed 's/"code": "1.3.3"/"code": "1.3.2"/' "$FW" >"$tmp/dup.json"
corrupt corrupt-duplicate 'mã "1.3.2" bị trùng' "$tmp/dup.json"
# 3. a wrong maximum (yes/no 6 → 7 in 1.3.3)
python3 - "$FW" "$tmp/max.json" <<'PY'
import sys,json; d=json.load(open(sys.argv[1],encoding='utf-8'))
for c in d['groups'][0]['criteria']:
    for it in c.get('items',[]):
        if it['code']=='1.3.3': it['rule']['points']=7
open(sys.argv[2],'w',encoding='utf-8').write(json.dumps(d,ensure_ascii=False,indent=1))
PY
corrupt corrupt-maximum "vượt điểm tối đa khai báo (30)" "$tmp/max.json"
# 4. Latin-1 text
iconv -f UTF-8 -t LATIN1//TRANSLIT "$FW" >"$tmp/latin1.json" 2>/dev/null
corrupt corrupt-latin1 "không phải UTF-8 hợp lệ" "$tmp/latin1.json"
# 5. an unknown rule kind
sed '0,/"kind": "count"/s//"kind": "dem"/' "$FW" >"$tmp/kind.json"
corrupt corrupt-kind 'giá trị không hợp lệ "dem"' "$tmp/kind.json"
# 6. an empty file, a missing file
: >"$tmp/empty.json"
corrupt corrupt-empty "JSON không hợp lệ" "$tmp/empty.json"
corrupt missing-file "không mở được tệp" "$tmp/nope.json"
# a corrected framework loads without recompiling: a copy with a new id appears in the list
mkdir "$tmp/fw"; sed 's/"id": "qd4725-2022"/"id": "qd4725-hcm"/' "$FW" >"$tmp/fw/hcm.json"
expect new-framework-loads 0 "qd4725-hcm" env CHISO_FRAMEWORKS="$tmp/fw" "$CHISO" frameworks

A=test/fixtures/answers
expect score-thcs-text 0 "NHÓM 1 — Chuyển đổi số trong dạy, học: 89/100 điểm → Mức 3" "$CHISO" score --framework qd4725-2022 $A/qd4725-thcs.json
expect score-thcs-item 0 "Tỉ lệ 45/250 = 18% (THCS) < ngưỡng 20%: 0/6 điểm" "$CHISO" score --framework qd4725-2022 $A/qd4725-thcs.json
expect score-thcs-unit 0 "KẾT LUẬN: Mức của đơn vị là mức thấp nhất của các nhóm: Mức 2" "$CHISO" score --framework qd4725-2022 $A/qd4725-thcs.json
expect score-whatif 0 "Để nhóm 2 đạt Mức 3 (hiện 50 điểm → 76 điểm)" "$CHISO" score --what-if --framework qd4725-2022 $A/qd4725-thcs.json
expect score-q7-total 0 "TỔNG ĐIỂM: 75,5/100" "$CHISO" score --framework q7-mamnon-2023 $A/q7-mamnon.json
expect score-gate 0 "không đạt điều kiện bắt buộc nên nhóm không có điểm" "$CHISO" score --framework q7-mamnon-2023 $A/q7-mamnon-gate-fail.json
expect score-incomplete 2 "chưa hoàn chỉnh" "$CHISO" score --framework qd3806-2024 --unit-type phong $A/q7-mamnon.json
expect score-wrong-type 2 "phiếu ghi loại hình THCS nhưng lệnh yêu cầu THPT" "$CHISO" score --framework qd4725-2022 --unit-type thpt $A/qd4725-thcs.json
expect score-bad-type 2 "loại hình đơn vị không hợp lệ 'daihoc'" "$CHISO" score --framework qd4725-2022 --unit-type daihoc $A/qd4725-thcs.json

# --json is valid, stable across runs, and carries the documented fields
"$CHISO" score --json --what-if --framework qd4725-2022 $A/qd4725-thcs.json >"$tmp/a.json"
"$CHISO" score --json --what-if --framework qd4725-2022 $A/qd4725-thcs.json >"$tmp/b.json"
if cmp -s "$tmp/a.json" "$tmp/b.json" && python3 - "$tmp/a.json" <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
g=d['groups']
assert d['chiso_score']==1 and d['framework']['id']=='qd4725-2022' and d['unit_type']=='thcs'
assert (g[0]['points'],g[0]['level'],g[1]['points'],g[1]['level'],d['level'])==(89,3,50,2,2)
i=[it for c in g[0]['criteria'] for it in c.get('items',[]) if it['code']=='1.3.2'][0]
assert i['points']==0 and i['rule']=='ratio_by_type' and i['rule_source']=='third-party' and 'ngưỡng 20%' in i['explain']
w=d['what_if'][0]
assert w['group']=='2' and w['to']==3 and w['after']==76 and len(w['steps'])==3
PY
then ok score-json; else notok score-json "$(head -c 300 "$tmp/a.json")"; fi

# bad answer sheets: exit 2 with the item code named
bad() {
	name=$1 pat=$2 body=$3
	printf '%s' "$body" >"$tmp/$name.json"
	expect "$name" 2 "$pat" "$CHISO" score --framework qd4725-2022 --unit-type thcs "$tmp/$name.json"
}
full=$(python3 -c "import json;d=json.load(open('$A/qd4725-thcs.json'));print(json.dumps(d['answers'],ensure_ascii=False))")
bad answers-unknown-code "9.9: mã chỉ tiêu không có trong bộ chỉ số" "{\"answers\": $(echo "$full" | sed 's/^{/{"9.9": true, /')}"
bad answers-wrong-type "1.3.1: cần true" "{\"answers\": $(echo "$full" | sed 's/"1.3.1": true/"1.3.1": "có"/')}"
bad answers-out-of-range "1.6.1: tử số (50) lớn hơn mẫu số (46)" "{\"answers\": $(echo "$full" | sed 's/"num": 46, "den": 46/"num": 50, "den": 46/')}"
bad answers-missing "2.4.3: thiếu câu trả lời cho chỉ tiêu bắt buộc" "{\"answers\": $(echo "$full" | sed 's/, "2.4.3": false//')}"
printf '{"answers": {"1.1": true, "x": "\377"}}' >"$tmp/badutf8.json"
expect answers-bad-utf8 2 "không phải UTF-8 hợp lệ (byte 0xFF)" "$CHISO" score --framework qd4725-2022 --unit-type thcs "$tmp/badutf8.json"
expect answers-partial 0 "còn 1 chỉ tiêu bắt buộc chưa đánh giá" "$CHISO" score --partial --framework qd4725-2022 --unit-type thcs "$tmp/answers-missing.json"
