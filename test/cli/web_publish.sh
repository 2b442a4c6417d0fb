#!/bin/sh
# HTTP tests of a school publishing its own recognised result (issue 11,
# item 5; page_publish.c, workflow publish_own / unpublish_own) on the demo
# data set: the principal sees what will become public, publishes it, the
# public sees it anonymously (unit page with its note, area page, open
# data, badge), the principal withdraws it and it is gone; a foreign
# principal is refused, publishing before recognition is refused with a
# Vietnamese message, the office's own publication cannot be withdrawn by
# the school. Before recognition (item 5): after the principal's approval
# the school publishes its self-assessment result, labelled "Tự đánh giá —
# chưa được công nhận" on its page, badge, area page and in the open data
# (status tu_danh_gia / cong_nhan); the office's publication replaces it.
# One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
tmp=$(mktemp -d)
server_pid=
cleanup() { stop_server; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"
. "$(dirname "$0")/lib/check.sh"

demo_fixture || { notok demo-fixture; exit 1; }
db="$tmp/chiso.db"
q() { sqlite3 -batch "$db" "$1"; }

# The current (open) round's assessments, each with its unit's principal.
ROUND=$(q "SELECT id FROM rounds WHERE state = 'open' ORDER BY school_year DESC, id LIMIT 1")
pick() {   # pick STATE [SKIP] — "assessment|unit|login|year" of the first such, after SKIP
	q "SELECT a.id, u.id, acc.login, r.school_year FROM assessments a JOIN units u ON u.id = a.unit_id
	   JOIN rounds r ON r.id = a.round_id
	   JOIN role_assignments ra ON ra.unit_id = u.id AND ra.role = 'principal' JOIN accounts acc ON acc.id = ra.account_id
	   WHERE a.round_id = $ROUND AND a.state = '$1' ORDER BY a.id LIMIT 1 OFFSET ${2:-0}"
}
field() { echo "$1" | cut -d'|' -f"$2"; }
REC=$(pick recognised); OTHER=$(pick recognised 1); EARLY=$(pick evaluated); PUB=$(pick published)
if [ -z "$REC" ] || [ -z "$OTHER" ] || [ -z "$EARLY" ] || [ -z "$PUB" ]; then
	notok fixture "round $ROUND: recognised '$REC', another '$OTHER', evaluated '$EARLY', published '$PUB'"; exit 1
fi
AS=$(field "$REC" 1); UNIT=$(field "$REC" 2); HT=$(field "$REC" 3); YEAR=$(field "$REC" 4)
FOREIGN=$(field "$OTHER" 3)
EAS=$(field "$EARLY" 1); EHT=$(field "$EARLY" 3)
PAS=$(field "$PUB" 1); PHT=$(field "$PUB" 3)
LEVEL=$(q "SELECT recognised_level FROM assessments WHERE id = $AS")
DEC=$(q "SELECT d.number FROM assessments a JOIN decisions d ON d.id = a.recognition_decision_id WHERE a.id = $AS")
[ -n "$DEC" ] && [ "$LEVEL" -ge 1 ] && ok fixture || notok fixture "decision '$DEC', level '$LEVEL'"

# the API: the other recognised school publishes through the transition endpoint
OAS=$(field "$OTHER" 1); OUNIT=$(field "$OTHER" 2)
TOKEN=$("$CHISO" token create "$FOREIGN" --label "kiểm thử công khai" --db "$db" 2>/dev/null)
[ -n "$TOKEN" ] && ok api-token || notok api-token

start_server || { notok server; exit 1; }

# post JAR PATH [FIELD=VALUE …] — the status of a POST with the page's CSRF token
post() {
	jar=$1 path=$2; shift 2
	c=$(form_csrf "$jar" /)
	set -- --data-urlencode "_csrf=$c" "$@"
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$base$path"
}
get() { curl -s -o "$tmp/out" -w '%{http_code}' ${2:+-b "$2"} "$base$1"; }
# the public's way in: "/" shows a visitor the sign-in page, which links the published results
check signin-links-public-results 200 "$(curl -s -L -o "$tmp/out" -w '%{http_code}' "$base/")" 'href="/cong-khai"'
pub_year() {   # the unit's public page holds this year's section
	get "/cong-khai/don-vi/$UNIT" >/dev/null; grep -qF "Năm học $YEAR" "$tmp/out"
}

# ---- before: not public ----------------------------------------------------------------------
if pub_year; then notok not-public-before "the $YEAR result is already public"; else ok not-public-before; fi

# ---- the principal's page: a button, then exactly what becomes public --------------------------
[ "$(signin "$tmp/ht" "$HT")" = 303 ] && ok signin-principal || notok signin-principal
st=$(get "/danh-gia/$AS" "$tmp/ht")
check school-page-offers-publishing 200 "$st" "/danh-gia/$AS/cong-khai"
st=$(get "/danh-gia/$AS/cong-khai" "$tmp/ht")
check confirmation-shows-level 200 "$st" "Mức $LEVEL"
check confirmation-shows-decision 200 "$st" "$DEC"
check confirmation-shows-groups 200 "$st" "Tổng điểm"
check confirmation-asks-to-confirm 200 "$st" 'name="xac_nhan"'

# without the confirmation: refused, nothing public
st=$(post "$tmp/ht" "/danh-gia/$AS/cong-khai")
check publish-needs-confirmation 422 "$st" "đánh dấu xác nhận"

# ---- a foreign principal is refused ------------------------------------------------------------
[ "$(signin "$tmp/foreign" "$FOREIGN")" = 303 ] && ok signin-foreign || notok signin-foreign
st=$(post "$tmp/foreign" "/danh-gia/$AS/cong-khai" --data-urlencode xac_nhan=1)
check foreign-principal-refused 403 "$st"
[ "$(q "SELECT state FROM assessments WHERE id = $AS")" = recognised ] && ok foreign-changed-nothing || notok foreign-changed-nothing

# ---- before recognition: refused with the reason -------------------------------------------------
[ "$(signin "$tmp/early" "$EHT")" = 303 ] && ok signin-early || notok signin-early
st=$(post "$tmp/early" "/danh-gia/$EAS/cong-khai" --data-urlencode xac_nhan=1)
check before-recognition-refused 409 "$st" "Chưa thể công khai kết quả: mức độ chuyển đổi số của đơn vị chưa được cơ quan đánh giá công nhận."
st=$(get "/danh-gia/$EAS/cong-khai" "$tmp/early")
check before-recognition-page-explains 200 "$st" "chưa được cơ quan đánh giá công nhận"

# ---- publish -------------------------------------------------------------------------------------
st=$(post "$tmp/ht" "/danh-gia/$AS/cong-khai" --data-urlencode xac_nhan=1)
check publish 303 "$st"
[ "$(q "SELECT a.state || '|' || p.by_school FROM assessments a JOIN published_results p ON p.assessment_id = a.id WHERE a.id = $AS")" = "published|1" ] \
	&& ok publish-stored || notok publish-stored "$(q "SELECT state FROM assessments WHERE id = $AS")"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE object_type = 'assessment' AND object_id = $AS AND action = 'assessment.publish'")" -ge 1 ] \
	&& ok publish-audited || notok publish-audited

# ---- the public sees it, anonymously -------------------------------------------------------------
st=$(get "/cong-khai/don-vi/$UNIT")
check public-unit-page 200 "$st" "Năm học $YEAR"
check public-unit-page-note 200 "$st" "Đơn vị tự công khai kết quả đã được công nhận"
check public-unit-page-decision 200 "$st" "$DEC"
st=$(get "/cong-khai/du-lieu.json")
python3 - "$tmp/out" "$HT" "$YEAR" <<'EOF' && ok open-data-says-school || notok open-data-says-school
import json, sys
d = json.load(open(sys.argv[1]))
code = sys.argv[2].split(".", 1)[1]
rows = [r for r in d["results"] if r["unit_code"] == code and r["school_year"] == sys.argv[3]]
assert len(rows) == 1 and rows[0]["published_by"] == "school", rows
others = [r for r in d["results"] if r["unit_code"] != code]
assert others and all(r["published_by"] == "office" for r in others if r["school_year"] != sys.argv[3])
EOF
st=$(get "/cong-khai/du-lieu.csv")
check open-data-csv-column 200 "$st" "nguoi_cong_bo"
grep -F "$(echo "$HT" | cut -d. -f2)" "$tmp/out" | grep -F "$YEAR" | grep -q ',school' && ok open-data-csv-school || notok open-data-csv-school
st=$(get "/cong-khai/huy-hieu/$UNIT.svg")
check badge 200 "$st" "$YEAR"

# the office's publication in the same round: the school cannot withdraw it
[ "$(signin "$tmp/pub" "$PHT")" = 303 ] && ok signin-published || notok signin-published
st=$(post "$tmp/pub" "/danh-gia/$PAS/thu-hoi-cong-khai")
check office-publication-not-withdrawable 422 "$st" "kết quả do cơ quan đánh giá công bố"
st=$(post "$tmp/pub" "/danh-gia/$PAS/cong-khai" --data-urlencode xac_nhan=1)
check not-published-twice 409 "$st" "Đã công bố"
# …nor the foreign principal what this school published
st=$(post "$tmp/foreign" "/danh-gia/$AS/thu-hoi-cong-khai")
check foreign-withdraw-refused 403 "$st"

# ---- the same through the API ---------------------------------------------------------------------
api() {   # api ACTION — the status of the transition, the answer in $tmp/out
	curl -s -o "$tmp/out" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data "{\"action\": \"$1\"}" "$base/api/v1/danh-gia/$OAS/chuyen"
}
st=$(api publish_own)
check api-publish-own 200 "$st" '"state": "published"'
st=$(get "/cong-khai/don-vi/$OUNIT")
check api-published-public 200 "$st" "Đơn vị tự công khai kết quả đã được công nhận"
st=$(api unpublish_own)
check api-unpublish-own 200 "$st" '"state": "recognised"'

# ---- withdraw: gone ------------------------------------------------------------------------------
st=$(get "/danh-gia/$AS/cong-khai" "$tmp/ht")
check page-offers-withdrawal 200 "$st" "/danh-gia/$AS/thu-hoi-cong-khai"
st=$(post "$tmp/ht" "/danh-gia/$AS/thu-hoi-cong-khai")
check withdraw 303 "$st"
[ "$(q "SELECT state FROM assessments WHERE id = $AS")" = recognised ] && [ "$(q "SELECT COUNT(*) FROM published_results WHERE assessment_id = $AS")" = 0 ] \
	&& ok withdraw-stored || notok withdraw-stored
if pub_year; then notok public-gone "the $YEAR result is still public"; else ok public-gone; fi
st=$(get "/cong-khai/du-lieu.json")
lacks open-data-gone "\"published_by\": \"school\""

# ---- the self-assessment result before recognition (issue 11, item 5) --------------------------------
SUB=$(pick submitted); DRAFT=$(pick draft)
SAS=$(field "$SUB" 1); SUNIT=$(field "$SUB" 2); SHT=$(field "$SUB" 3)
DAS=$(field "$DRAFT" 1); DHT=$(field "$DRAFT" 3)
SLEVEL=$(q "SELECT self_level FROM assessments WHERE id = $SAS")
[ -n "$SAS" ] && [ -n "$DAS" ] && [ -n "$SLEVEL" ] && ok self-fixture || notok self-fixture "submitted '$SUB', draft '$DRAFT'"
if [ "${SLEVEL:-0}" -ge 1 ]; then SHOW="Mức $SLEVEL"; else SHOW="Chưa đạt mức 1"; fi
[ "$(signin "$tmp/sht" "$SHT")" = 303 ] && ok signin-self || notok signin-self
st=$(get "/danh-gia/$SAS" "$tmp/sht")
check self-page-offers-publishing 200 "$st" "/danh-gia/$SAS/cong-khai-tu-danh-gia"
st=$(get "/danh-gia/$SAS/cong-khai-tu-danh-gia" "$tmp/sht")
check self-confirmation-label 200 "$st" "Tự đánh giá — chưa được công nhận"
check self-confirmation-level 200 "$st" "<strong>$SHOW</strong>"
check self-needs-confirmation 422 "$(post "$tmp/sht" "/danh-gia/$SAS/cong-khai-tu-danh-gia")" "đánh dấu xác nhận"
check self-foreign-refused 403 "$(post "$tmp/foreign" "/danh-gia/$SAS/cong-khai-tu-danh-gia" --data-urlencode xac_nhan=1)"
[ "$(signin "$tmp/draft" "$DHT")" = 303 ] || notok signin-draft
check self-before-approval-refused 409 "$(post "$tmp/draft" "/danh-gia/$DAS/cong-khai-tu-danh-gia" --data-urlencode xac_nhan=1)" \
	"Chưa thể công khai kết quả tự đánh giá: kết quả tự đánh giá chưa được thủ trưởng đơn vị phê duyệt."
[ "$(q "SELECT COUNT(*) FROM published_results WHERE assessment_id IN ($SAS, $DAS)")" = 0 ] && ok self-nothing-public-yet || notok self-nothing-public-yet
check self-publish 303 "$(post "$tmp/sht" "/danh-gia/$SAS/cong-khai-tu-danh-gia" --data-urlencode xac_nhan=1)"
[ "$(q "SELECT a.state || '|' || p.basis || '|' || p.by_school FROM assessments a JOIN published_results p ON p.assessment_id = a.id WHERE a.id = $SAS")" = "submitted|tu_danh_gia|1" ] \
	&& ok self-publish-stored-state-unchanged || notok self-publish-stored-state-unchanged "$(q "SELECT state FROM assessments WHERE id = $SAS")"
# the assessment API says the same (GET /api/v1/danh-gia/{id}: publication)
api_pub() {   # status|label|published_by|level of the assessment's publication, "None" when nothing is public
	get "/api/v1/danh-gia/$1" "$2" >/dev/null
	python3 -c 'import json,sys; p=json.load(open(sys.argv[1])).get("publication", "missing")
print("None" if p is None else p if isinstance(p, str) else "%s|%s|%s|%s" % (p["status"], p["label"], p["published_by"], p["level"]))' "$tmp/out"
}
got=$(api_pub "$SAS" "$tmp/sht")
[ "$got" = "tu_danh_gia|Tự đánh giá — chưa được công nhận|school|$SLEVEL" ] && ok self-api-publication || notok self-api-publication "$got"
st=$(get "/cong-khai/don-vi/$SUNIT")
check self-public-page-label 200 "$st" "$SHOW</span> (Tự đánh giá — chưa được công nhận)</h2>"
check self-public-page-status 200 "$st" 'data-status="tu_danh_gia"'
check self-badge 200 "$(get "/cong-khai/huy-hieu/$SUNIT.svg")" "Tự đánh giá: $SHOW"
check self-badge-title 200 "$(get "/cong-khai/huy-hieu/$SUNIT.svg")" "(Tự đánh giá — chưa được công nhận)</title>"
OFFICE=$(q "SELECT office_unit_id FROM rounds WHERE id = $ROUND")
check self-area-page 200 "$(get "/cong-khai/khu-vuc/$OFFICE?nam-hoc=$YEAR")" "(Tự đánh giá — chưa được công nhận)"
scode=$(q "SELECT code FROM units WHERE id = $SUNIT")
open_status() {   # the open data's status of the unit's row this year, and the others'
	get "/cong-khai/du-lieu.json" >/dev/null
	python3 - "$tmp/out" "$scode" "$YEAR" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
mine = [r["status"] for r in d["results"] if r["unit_code"] == sys.argv[2] and r["school_year"] == sys.argv[3]]
rest = set(r["status"] for r in d["results"] if r["unit_code"] != sys.argv[2] and r.get("published_by") == "office")
print(",".join(mine) + "|" + ",".join(sorted(rest)))
PY
}
[ "$(open_status)" = "tu_danh_gia|cong_nhan" ] && ok self-open-data-json-status || notok self-open-data-json-status "$(open_status)"
get "/cong-khai/du-lieu.json" >/dev/null
labels=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(sorted(set((r["status"], r["status_label"]) for r in d["results"])))' "$tmp/out")
[ "$labels" = "[('cong_nhan', 'Kết quả đã được công nhận'), ('tu_danh_gia', 'Tự đánh giá — chưa được công nhận')]" ] \
	&& ok self-open-data-json-label || notok self-open-data-json-label "$labels"
st=$(get "/cong-khai/du-lieu.csv")
check self-open-data-csv-header 200 "$st" "nguoi_cong_bo,trang_thai"
grep -F "$scode," "$tmp/out" | grep -F "$YEAR" | grep -q ',school,tu_danh_gia' && ok self-open-data-csv-status || notok self-open-data-csv-status
# the office's figures stay "cong_nhan" in the CSV
grep -v "^$scode," "$tmp/out" | grep -q ',office,cong_nhan' && ok self-open-data-csv-office-status || notok self-open-data-csv-office-status
# withdraw, publish again
check self-withdraw 303 "$(post "$tmp/sht" "/danh-gia/$SAS/thu-hoi-tu-danh-gia")"
[ "$(q "SELECT COUNT(*) FROM published_results WHERE assessment_id = $SAS")" = 0 ] && ok self-withdrawn || notok self-withdrawn
[ "$(api_pub "$SAS" "$tmp/sht")" = None ] && ok self-api-withdrawn || notok self-api-withdrawn "$(api_pub "$SAS" "$tmp/sht")"
check self-withdraw-nothing-422 422 "$(post "$tmp/sht" "/danh-gia/$SAS/thu-hoi-tu-danh-gia")" "chưa công khai kết quả tự đánh giá"
check self-publish-again 303 "$(post "$tmp/sht" "/danh-gia/$SAS/cong-khai-tu-danh-gia" --data-urlencode xac_nhan=1)"
# the evaluated school publishes its self-assessment; the office recognises and publishes: replaced
check self-evaluated-publish 303 "$(post "$tmp/early" "/danh-gia/$EAS/cong-khai-tu-danh-gia" --data-urlencode xac_nhan=1)"
EUNIT=$(q "SELECT unit_id FROM assessments WHERE id = $EAS")
check self-evaluated-public 200 "$(get "/cong-khai/don-vi/$EUNIT")" 'data-status="tu_danh_gia"'
[ "$(signin "$tmp/so" so.binhdinh)" = 303 ] || notok signin-so
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
check self-office-recognises 303 "$(post "$tmp/so" "/dot/$ROUND/cong-nhan" --data-urlencode ho_so="$EAS" --data-urlencode so=77/QĐ-SGDĐT \
	--data-urlencode ngay="$today" --data-urlencode "nguoi_ky=Nguyễn Văn Bình" --data-urlencode xac_nhan=1)"
check self-still-until-published 200 "$(get "/cong-khai/don-vi/$EUNIT")" 'data-status="tu_danh_gia"'
check self-office-publishes 303 "$(post "$tmp/so" "/dot/$ROUND/cong-bo" --data-urlencode ho_so="$EAS" --data-urlencode xac_nhan=1)"
st=$(get "/cong-khai/don-vi/$EUNIT")
check self-replaced-by-recognised 200 "$st" "77/QĐ-SGDĐT"
ELEVEL=$(q "SELECT recognised_level FROM assessments WHERE id = $EAS")
got=$(api_pub "$EAS" "$tmp/early")
[ -n "$ELEVEL" ] && [ "$got" = "cong_nhan|Kết quả đã được công nhận|office|$ELEVEL" ] && ok self-api-replaced-by-recognised \
	|| notok self-api-replaced-by-recognised "$got"
lacks self-replaced-no-label "Tự đánh giá — chưa được công nhận"
[ "$(q "SELECT a.state || '|' || p.basis || '|' || p.by_school FROM assessments a JOIN published_results p ON p.assessment_id = a.id WHERE a.id = $EAS")" = "published|cong_nhan|0" ] \
	&& ok self-replaced-stored || notok self-replaced-stored "$(q "SELECT basis FROM published_results WHERE assessment_id = $EAS")"
check self-published-state-refused 409 "$(post "$tmp/early" "/danh-gia/$EAS/cong-khai-tu-danh-gia" --data-urlencode xac_nhan=1)" "kết quả đã được công nhận"

server_clean server-clean
