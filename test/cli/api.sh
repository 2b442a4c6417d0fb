#!/bin/sh
# The JSON API (/api/v1, docs/openapi.yaml) against a real `chiso serve` on the demo
# data set: one "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
# Security cases (other schools, CSRF, bad tokens, limits) are in web_security.sh;
# here: what the API says and does, and that its scores are the CLI's.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@" 2>"$tmp/why"; then ok "$name"; else notok "$name" "failed: $*" "$(head -3 "$tmp/why")"; fi; }
# j EXPR — a Python expression over d, the last response's JSON; true or fails
j() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); sys.exit(0 if r else "false: %s" % sys.argv[2])' "$tmp/r.json" "$1"; }
# call TOKEN METHOD PATH [BODY] — response in $tmp/r.json, status printed
call() {
	if [ $# -ge 4 ]; then
		curl -s -o "$tmp/r.json" -D "$tmp/r.head" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
			-H 'Content-Type: application/json' --data-binary "$4" "$base$3"
	else
		curl -s -o "$tmp/r.json" -D "$tmp/r.head" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" "$base$3"
	fi
}
token() { "$CHISO" token create "$1" --label "kiểm thử API" --db "$tmp/chiso.db" 2>/dev/null; }

if ! demo_fixture; then notok demo-fixture; exit 1; fi
ta=$(token ht.52101001)        # draft, council formed, some items unanswered
tm=$(token gv.52101001.1)      # a member of that council
tc=$(token ht.52100001)        # consolidated, waiting for approval
to=$(token so.binhdinh)        # the Sở: evaluates, does not answer for schools
start_server || { notok server-start; exit 1; }
[ "$(signin "$tmp/a" ht.52101001)" = 303 ] && [ "$(signin "$tmp/c" ht.52100001)" = 303 ] || { notok signin; exit 1; }
current() { curl -s -b "$1" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1; }
aid=$(current "$tmp/a")
cid=$(current "$tmp/c")

# ---- reading ----------------------------------------------------------------------------------
check get-200 [ "$(call "$ta" GET "/api/v1/danh-gia/$aid")" = 200 ]
check get-content-type grep -qi '^Content-Type: application/json; charset=utf-8' "$tmp/r.head"
check get-utf8-not-escaped grep -q 'Trường' "$tmp/r.json"
check get-shape j 'd["id"] == '"$aid"' and d["state"] == "draft" and d["unit"]["code"] == "52101001" and d["framework"]["id"] == "qd4725-2022" and d["editable"]'
check get-items-every-leaf j 'len(d["items"]) == 31 and all(set(["code","kind","required","editable"]) <= set(i) for i in d["items"])'
check get-actions j '[a["action"] for a in d["actions"]] == ["consolidate"]'
check get-score-layout j 'd["score"]["chiso_score"] == 1 and len(d["score"]["groups"]) == 2 and "what_if" in d["score"] and "explain" in d["score"]["groups"][0]["criteria"][0]'
cp "$tmp/r.json" "$tmp/view.json"
# the API's score is exactly `chiso score --json --what-if` on the same answers
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
json.dump({"framework": d["framework"]["id"], "unit_type": d["unit"]["type"], "answers": d["answers"]}, open(sys.argv[2], "w"), ensure_ascii=False)
json.dump(d["score"], open(sys.argv[3], "w"), ensure_ascii=False, sort_keys=True)' "$tmp/view.json" "$tmp/sheet.json" "$tmp/api-score.json"
"$CHISO" score --framework qd4725-2022 --json --what-if --partial "$tmp/sheet.json" 2>"$tmp/score.err" |
	python3 -c 'import json,sys; json.dump(json.load(sys.stdin), open(sys.argv[1], "w"), ensure_ascii=False, sort_keys=True)' "$tmp/cli-score.json"
check score-equals-cli cmp -s "$tmp/api-score.json" "$tmp/cli-score.json"
check evidence-list [ "$(call "$ta" GET "/api/v1/danh-gia/$aid/minh-chung")" = 200 ]
check evidence-shape j 'len(d["evidence"]) > 0 and all(e["code"].startswith("MC-") and e["items"] for e in d["evidence"]) and any(e["files"] for e in d["evidence"])'
check evidence-filter [ "$(call "$ta" GET "/api/v1/danh-gia/$aid/minh-chung?tieu-chi=1.1")" = 200 ]
check evidence-filter-only-1.1 j 'd["evidence"] and all("1.1" in e["items"] for e in d["evidence"])'
check evidence-bad-filter-400 [ "$(call "$ta" GET "/api/v1/danh-gia/$aid/minh-chung?tieu-chi=%3Cx%3E")" = 400 ]
check me-200 [ "$(call "$tm" GET /api/v1/toi)" = 200 ]
check me-shape j 'd["account"]["login"] == "gv.52101001.1" and d["auth"] == "token" and "csrf" not in d and any(r["role"] == "council_member" for r in d["roles"])'
check unknown-path-404 [ "$(call "$ta" GET /api/v1/khong-co)" = 404 ]
check unknown-path-json j 'd["error"]["code"] == "not_found"'
check wrong-method-405 [ "$(call "$ta" DELETE "/api/v1/danh-gia/$aid")" = 405 ]
check wrong-method-json j 'd["error"]["code"] == "method_not_allowed"'

# ---- answers ------------------------------------------------------------------------------------
st=$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi" '{"answers": {"1.2": true, "1.4": 25, "1.6.1": {"num": 30, "den": "ba mươi"}, "2.3.3": "vàng", "9.9": true, "1.3": true}}')
check put-mixed-422 [ "$st" = 422 ]
check put-mixed-reports-each j 'd["error"]["code"] == "invalid_answers" and sorted((e["item"], e["code"]) for e in d["error"]["items"]) == [("1.3","not_a_leaf"),("1.6.1","invalid_value"),("2.3.3","invalid_value"),("9.9","unknown_item")]'
check put-mixed-keeps-valid j 'sorted(d["saved"] + d["unchanged"]) == ["1.2", "1.4"] and "1.4" in d["saved"]'
call "$ta" GET "/api/v1/danh-gia/$aid" >/dev/null
check put-mixed-stored j 'd["answers"]["1.2"] is True and d["answers"]["1.4"] == 25 and "2.3.3" not in d["answers"]'
st=$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi" '{"answers": {"1.2": true, "2.3.3": "signed", "1.6.1": {"num": 30, "den": 30}}}')
check put-valid-200 [ "$st" = 200 ]
check put-valid-saved-unchanged j 'd["saved"] == ["2.3.3", "1.6.1"] and d["unchanged"] == ["1.2"]'
check put-valid-returns-new-score j 'd["assessment"]["answers"]["2.3.3"] == "signed" and [i for c in d["assessment"]["score"]["groups"][1]["criteria"] for i in c.get("items", []) if i["code"] == "2.3.3"][0]["points"] == 15'
check post-is-put [ "$(call "$ta" POST "/api/v1/danh-gia/$aid/tra-loi" '{"answers": {"1.4": 30}}')" = 200 ]
check put-null-clears [ "$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi" '{"answers": {"1.4": null}}')" = 200 ]
check put-null-cleared j '"1.4" not in d["assessment"]["answers"]'
# Prefer: return=minimal — what was stored and its version, no items, no scores
st=$(curl -s -o "$tmp/r.json" -D "$tmp/r.head" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ta" -H 'Prefer: return=minimal' \
	-H 'Content-Type: application/json' --data-binary '{"answers": {"1.4": 28, "1.2": true}}' "$base/api/v1/danh-gia/$aid/tra-loi")
check put-minimal-200 [ "$st" = 200 ]
check put-minimal-applied grep -qi '^Preference-Applied: return=minimal' "$tmp/r.head"
check put-minimal-shape j 'd["saved"] == ["1.4"] and d["unchanged"] == ["1.2"] and d["assessment"]["state"] == "draft" and "score" not in d["assessment"] and "items" not in d["assessment"]'
v=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["versions"]["1.4"])' "$tmp/r.json")
call "$ta" GET "/api/v1/danh-gia/$aid" >/dev/null
check put-minimal-stored j 'd["answers"]["1.4"] == 28 and [i for i in d["items"] if i["code"] == "1.4"][0]["version"] == '"${v:-0}"
check put-unknown-field-400 [ "$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi" '{"answer": {"1.4": 30}}')" = 400 ]
check put-empty-400 [ "$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi" '{"answers": {}}')" = 400 ]
check put-not-object-400 [ "$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi" '[1, 2]')" = 400 ]
check put-no-body-400 [ "$(call "$ta" PUT "/api/v1/danh-gia/$aid/tra-loi")" = 415 ] # no Content-Type either
# a council member: assigned items only
call "$tm" GET "/api/v1/danh-gia/$aid" >/dev/null
mine=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(i["code"] for i in d["items"] if i["editable"] and i["kind"] == "yes_no"))' "$tmp/r.json")
notmine=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(i["code"] for i in d["items"] if not i["editable"] and i["kind"] == "yes_no"))' "$tmp/r.json")
st=$(call "$tm" PUT "/api/v1/danh-gia/$aid/tra-loi" "{\"answers\": {\"$mine\": true, \"$notmine\": false}}")
check member-unassigned-422 [ "$st" = 422 ]
check member-unassigned-reason j 'd["error"]["items"] == [{"item": "'"$notmine"'", "code": "not_assigned", "message": "Nội dung này không được phân công cho bạn."}] and d["saved"] in (["'"$mine"'"], [])'
check office-cannot-answer-403 [ "$(call "$to" PUT "/api/v1/danh-gia/$aid/tra-loi" '{"answers": {"1.2": false}}')" = 403 ]
check office-can-read [ "$(call "$to" GET "/api/v1/danh-gia/$aid")" = 200 ]
check office-sees-nothing-editable j 'not d["editable"] and not any(i["editable"] for i in d["items"])'

# ---- workflow ------------------------------------------------------------------------------------
check action-unknown-400 [ "$(call "$ta" POST "/api/v1/danh-gia/$aid/chuyen" '{"action": "duyet"}')" = 400 ]
check action-unknown-lists j 'd["error"]["code"] == "unknown_action" and "approve" in d["error"]["message"]'
check action-wrong-state-409 [ "$(call "$ta" POST "/api/v1/danh-gia/$aid/chuyen" '{"action": "approve"}')" = 409 ]
check action-other-school-member-403 [ "$(call "$tm" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": "approve"}')" = 403 ]
check action-approve-200 [ "$(call "$tc" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": "approve"}')" = 200 ]
check action-approve-result j 'd == {"id": '"$cid"', "action": "approve", "from": "self_assessed", "state": "approved", "state_label": "Đã phê duyệt"}'
check locked-409 [ "$(call "$tc" PUT "/api/v1/danh-gia/$cid/tra-loi" '{"answers": {"1.1": true}}')" = 409 ]
check locked-code j 'd["error"]["code"] == "locked"'
check withdraw-needs-reason-422 [ "$(call "$tc" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": "withdraw_approval"}')" = 422 ]
check withdraw-reason-code j 'd["error"]["code"] == "reason"'
check withdraw-with-reason-200 [ "$(call "$tc" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": "withdraw_approval", "reason": "Cần xem lại chỉ tiêu 2.3"}')" = 200 ]
check withdraw-state j 'd["state"] == "self_assessed"'
check approve-again-200 [ "$(call "$tc" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": "approve"}')" = 200 ]
check submit-with-letter-200 [ "$(call "$tc" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": "submit", "letter": "TỜ TRÌNH gửi qua API: kính đề nghị Sở đánh giá ngoài."}')" = 200 ]
check submit-state j 'd["state"] == "submitted" and d["from"] == "approved"'
check submit-letter-kept sh -c "curl -s -b '$tmp/c' '$base/danh-gia/$cid/to-trinh' | grep -q 'TỜ TRÌNH gửi qua API'"
check submit-level-fixed [ "$(call "$tc" GET "/api/v1/danh-gia/$cid")" = 200 ]
check submit-level-is-engines j 'd["self_level"] == d["score"]["level"] and d["state"] == "submitted"'
check action-bad-body-400 [ "$(call "$tc" POST "/api/v1/danh-gia/$cid/chuyen" '{"action": 3}')" = 400 ]
# the page and the API see one state
check page-agrees sh -c "curl -s -b '$tmp/c' '$base/danh-gia/$cid' | grep -q 'Đã gửi'"

# ---- the external side: the team's answers, recognition, publication (issue 10) --------------------
# refusals through the one mapping (assess_refusal_status): 403 another office or
# not the team head, 409 the wrong state, 422 a bad level or value
sqlv() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print(r[0] if r else "")' "$tmp/chiso.db" "$1"; }
ue=$(sqlv "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id WHERE u.code = '52102011' AND r.state = 'open'")
ev=$(sqlv "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id WHERE u.code = '52100017' AND r.state = 'open'")
sub=$(sqlv "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id WHERE u.code = '52100003' AND r.state = 'open'")
lvl=$(sqlv "SELECT external_level FROM assessments WHERE id = $ev")
th=$(token dgn.tranminhtuan)   # head of the team for $ue and $ev
tt=$(token dgn.lethithu)       # a member of that team, not its head
tp=$(token phong.annhon)       # another office
check ext-put-head-200 [ "$(call "$th" PUT "/api/v1/danh-gia/$ue/tra-loi-ngoai" '{"answers": {"1.4": 25, "1.2": true}, "reasons": {"1.4": "Theo biên bản kiểm tra."}}')" = 200 ]
check ext-put-saved j 'd["side"] == "external" and d["saved"] == ["1.4", "1.2"]'
check ext-put-stored [ "$(sqlv "SELECT value_json || '|' || reason FROM answers_current WHERE assessment_id = $ue AND side = 'external' AND item_code = '1.4'")" = "25|Theo biên bản kiểm tra." ]
check ext-put-member-403 [ "$(call "$tt" PUT "/api/v1/danh-gia/$ue/tra-loi-ngoai" '{"answers": {"1.4": 20}}')" = 403 ]
check ext-put-member-says-why j '"trưởng đoàn" in d["error"]["message"]'
check ext-put-other-office-403 [ "$(call "$tp" PUT "/api/v1/danh-gia/$ue/tra-loi-ngoai" '{"answers": {"1.4": 20}}')" = 403 ]
check ext-put-evaluated-409 [ "$(call "$th" PUT "/api/v1/danh-gia/$ev/tra-loi-ngoai" '{"answers": {"1.4": 20}}')" = 409 ]
check ext-put-bad-value-422 [ "$(call "$th" PUT "/api/v1/danh-gia/$ue/tra-loi-ngoai" '{"answers": {"1.4": "nhiều"}}')" = 422 ]
check ext-put-bad-value-item j 'd["error"]["items"][0]["item"] == "1.4" and d["error"]["items"][0]["code"] == "invalid_value"'
check ext-put-unknown-field-400 [ "$(call "$th" PUT "/api/v1/danh-gia/$ue/tra-loi-ngoai" '{"answer": {"1.4": 20}}')" = 400 ]
check ext-put-unchanged-after-refusals [ "$(sqlv "SELECT value_json FROM answers_current WHERE assessment_id = $ue AND side = 'external' AND item_code = '1.4'")" = 25 ]
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
rec() { printf '{"decision": {"number": "%s", "date": "%s", "signer": "%s"}, "level": %s}' "$1" "$today" "$2" "$3"; }
check recognise-other-office-403 [ "$(call "$tp" POST "/api/v1/danh-gia/$ev/cong-nhan" "$(rec 7/QĐ-PGD 'Trần Văn B' "$lvl")")" = 403 ]
check recognise-submitted-409 [ "$(call "$to" POST "/api/v1/danh-gia/$sub/cong-nhan" "$(rec 7/QĐ-SGD 'Trần Văn B' 3)")" = 409 ]
check recognise-level-out-of-range-422 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/cong-nhan" "$(rec 7/QĐ-SGD 'Trần Văn B' 7)")" = 422 ]
check recognise-level-code j 'd["error"]["code"] == "bad_level"'
check recognise-other-level-422 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/cong-nhan" "$(rec 7/QĐ-SGD 'Trần Văn B' $((lvl % 3 + 1)))")" = 422 ]
check recognise-other-level-says-why j 'd["error"]["code"] == "bad_level" and "khác mức tính từ kết quả đánh giá ngoài" in d["error"]["message"]'
check recognise-no-signer-422 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/cong-nhan" "$(rec 7/QĐ-SGD '' "$lvl")")" = 422 ]
check recognise-no-level-400 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/cong-nhan" '{"decision": {"number": "7/QĐ-SGD"}}')" = 400 ]
check recognise-refusals-left-it-evaluated [ "$(sqlv "SELECT state || '|' || COALESCE(recognised_level, 0) FROM assessments WHERE id = $ev")" = "evaluated|0" ]
check recognise-200 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/cong-nhan" "$(rec 7/QĐ-SGD 'Trần Văn B' "$lvl")")" = 200 ]
check recognise-result j 'd["state"] == "recognised" and d["from"] == "evaluated" and d["recognised_level"] == '"$lvl"
check recognise-stored [ "$(sqlv "SELECT a.recognised_level || '|' || d.number FROM assessments a JOIN decisions d ON d.id = a.recognition_decision_id WHERE a.id = $ev")" = "$lvl|7/QĐ-SGD" ]
check recognise-again-409 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/cong-nhan" "$(rec 8/QĐ-SGD 'Trần Văn B' "$lvl")")" = 409 ]
check publish-other-office-403 [ "$(call "$tp" POST "/api/v1/danh-gia/$ev/chuyen" '{"action": "publish"}')" = 403 ]
check publish-submitted-409 [ "$(call "$to" POST "/api/v1/danh-gia/$sub/chuyen" '{"action": "publish"}')" = 409 ]
# it used to answer 500: the API did not freeze the public snapshot the page freezes
check publish-200 [ "$(call "$to" POST "/api/v1/danh-gia/$ev/chuyen" '{"action": "publish"}')" = 200 ]
check publish-state j 'd["state"] == "published"'
check publish-snapshot-stored [ "$(sqlv "SELECT COUNT(*) FROM published_results WHERE assessment_id = $ev AND result_json LIKE '{%' AND by_school = 0")" = 1 ]

# ---- tokens through the browser session ---------------------------------------------------------------
csrf=$(curl -s -b "$tmp/a" "$base/api/v1/toi" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
st=$(curl -s -o "$tmp/r.json" -w '%{http_code}' -b "$tmp/a" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	--data-binary '{"label": "Phần mềm quản lý trường học", "expires": "2099-12-31"}' "$base/api/v1/token")
check token-create-201 [ "$st" = 201 ]
check token-create-shape j 'd["token"].startswith("chiso_") and len(d["token"]) == 49 and d["label"] == "Phần mềm quản lý trường học" and d["expires_at"] == "2099-12-31T17:00:00Z"'
nt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$tmp/r.json")
nid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/r.json")
check token-works [ "$(call "$nt" GET "/api/v1/danh-gia/$aid")" = 200 ]
check token-list [ "$(call "$nt" GET /api/v1/token)" = 200 ]
check token-list-shape j 'len(d["tokens"]) >= 2 and all("token" not in t for t in d["tokens"])'
check token-list-no-secrets sh -c "! grep -q '$nt' '$tmp/r.json'"
tpost() { curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' --data-binary "$1" "$base/api/v1/token"; }
check token-bad-label-422 [ "$(tpost '{"label": ""}')" = 422 ]
check token-bad-expiry-422 [ "$(tpost '{"label": "x", "expires": "31/12/2099"}')" = 422 ]
check token-revoke-other-404 [ "$(call "$tm" DELETE "/api/v1/token/$nid")" = 404 ]
check token-revoke-200 [ "$(call "$nt" DELETE "/api/v1/token/$nid")" = 200 ]
check token-revoked-401 [ "$(call "$nt" GET "/api/v1/danh-gia/$aid")" = 401 ]
check token-cli-list sh -c "'$CHISO' token list ht.52101001 --db '$tmp/chiso.db' | grep -q 'ĐÃ THU HỒI'"
check token-cli-unknown-login sh -c "! '$CHISO' token create khong.co --label x --db '$tmp/chiso.db' 2>/dev/null"
server_clean server-stops-clean
