#!/bin/sh
# HTTP tests of a school publishing its own recognised result (issue 11,
# item 5; page_publish.c, workflow publish_own / unpublish_own) on the demo
# data set: the principal sees what will become public, publishes it, the
# public sees it anonymously (unit page with its note, area page, open
# data, badge), the principal withdraws it and it is gone; a foreign
# principal is refused, publishing before recognition is refused with a
# Vietnamese message, the office's own publication cannot be withdrawn by
# the school. One "ok NAME" / "not ok NAME" line per case.
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

server_clean server-clean
