#!/bin/sh
# chiso round carry (issue 18, item 3): a correction of qd4725-2022 published
# as revision 2 during the demo's current round; the round's assessments that
# are not recognised move to it. 1.3.1 turns from yes/no into a count (its
# answers no longer fit: cleared, to be answered again), 1.6.1's threshold
# changes (answers kept, scored by the new rule). A dry run writes nothing;
# the move keeps recognised assessments on revision 1, clears exactly the
# answers that no longer fit, and leaves levels and the audit chain verifiable.
set -u
CHISO=${CHISO:-build/chiso}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. test/cli/lib/web.sh

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
q() { sqlite3 "$tmp/chiso.db" "$1"; }

demo_fixture || { notok carry-fixture "no demo"; exit 0; }
mkdir -p "$tmp/fw" && cp frameworks/*.json "$tmp/fw/"
python3 - "$tmp/fw/qd4725-2022-r2.json" <<'PY'
import json, sys
f = json.load(open('frameworks/qd4725-2022.json'))
f['revision'] = 2
def walk(n):
    for k in ('groups', 'criteria', 'items'):
        for c in n.get(k, []):
            r = c.get('rule')
            if c['code'] == '1.3.1':
                c['rule'] = {'kind': 'count', 'points': r['points'], 'min': 3, 'measure': 'Số phần mềm'}
            if c['code'] == '1.6.1':
                r['threshold'] = 90
            walk(c)
walk(f)
json.dump(f, open(sys.argv[1], 'w'), ensure_ascii=False)
PY
export CHISO_FRAMEWORKS="$tmp/fw"
if "$CHISO" framework check "$tmp/fw/qd4725-2022-r2.json" >"$tmp/check" 2>&1; then ok carry-revision-valid
else notok carry-revision-valid "$(cat "$tmp/check")"; fi

# the round with the most assessments still open on qd4725-2022 (the demo's current one)
round=$(q "SELECT round_id FROM assessments WHERE framework_id = 'qd4725-2022' AND recognised_level IS NULL
	GROUP BY round_id ORDER BY count(*) DESC LIMIT 1")
on4725="SELECT count(*) FROM assessments WHERE round_id = $round AND framework_id = 'qd4725-2022'"
total=$(q "$on4725")
recognised=$(q "$on4725 AND recognised_level IS NOT NULL")
yes131=$(q "SELECT count(*) FROM answers_current c JOIN answers v ON v.id = c.answer_id JOIN assessments a ON a.id = c.assessment_id
	WHERE a.round_id = $round AND a.framework_id = 'qd4725-2022' AND a.recognised_level IS NULL AND c.item_code = '1.3.1' AND v.value_json <> 'null'")
answers_before=$(q "SELECT count(*) FROM answers")
[ "$total" -gt 0 ] && [ "$yes131" -gt 0 ] && ok carry-fixture-has-answers || notok carry-fixture-has-answers "total $total, 1.3.1 answered $yes131"

"$CHISO" round carry "$round" --to qd4725-2022@2 --dry-run --db "$tmp/chiso.db" >"$tmp/dry" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q "1.3.1 .* — cần trả lời lại" "$tmp/dry" && grep -q "^Sẽ chuyển" "$tmp/dry" &&
	[ "$(q "$on4725 AND framework_revision = '2'")" -eq 0 ] && [ "$(q "SELECT count(*) FROM answers")" -eq "$answers_before" ]
then ok carry-dry-run-writes-nothing
else notok carry-dry-run-writes-nothing "status $rc" "$(tail -3 "$tmp/dry")"; fi

"$CHISO" round carry "$round" --to qd4725-2022@2 --db "$tmp/chiso.db" >"$tmp/run" 2>&1; rc=$?
moved=$(q "$on4725 AND framework_revision = '2'")
if [ "$rc" -eq 0 ] && [ "$moved" -eq $((total - recognised)) ] && [ "$(q "$on4725 AND framework_revision = '1'")" -eq "$recognised" ]
then ok carry-moves-all-but-recognised
else notok carry-moves-all-but-recognised "status $rc, moved $moved of $total, recognised $recognised" "$(tail -3 "$tmp/run")"; fi

cleared=$(q "SELECT count(*) FROM answers_current c JOIN answers v ON v.id = c.answer_id JOIN assessments a ON a.id = c.assessment_id
	WHERE a.round_id = $round AND a.framework_revision = '2' AND v.value_json = 'null' AND v.reason LIKE '%Cần trả lời lại%'")
others=$(q "SELECT count(DISTINCT c.item_code) FROM answers_current c JOIN answers v ON v.id = c.answer_id JOIN assessments a ON a.id = c.assessment_id
	WHERE a.round_id = $round AND a.framework_revision = '2' AND v.reason LIKE '%Cần trả lời lại%'")
if [ "$cleared" -eq "$yes131" ] && [ "$others" -eq 1 ]; then ok carry-clears-exactly-what-no-longer-fits
else notok carry-clears-exactly-what-no-longer-fits "cleared $cleared, wanted $yes131 (1.3.1 answered); items $others"; fi

kept161=$(q "SELECT count(*) FROM answers_current c JOIN answers v ON v.id = c.answer_id JOIN assessments a ON a.id = c.assessment_id
	WHERE a.framework_revision = '2' AND a.round_id = $round AND c.item_code = '1.6.1' AND v.value_json = 'null'")
[ "$kept161" -eq 0 ] && ok carry-keeps-answers-that-fit || notok carry-keeps-answers-that-fit "1.6.1 cleared $kept161 times"

audits=$(q "SELECT count(*) FROM audit_log WHERE action = 'assessment.revision'")
[ "$audits" -eq "$moved" ] && ok carry-audited || notok carry-audited "$audits audit rows for $moved moves"

if "$CHISO" levels verify --db "$tmp/chiso.db" >"$tmp/lv" 2>&1; then ok carry-levels-verify
else notok carry-levels-verify "$(tail -3 "$tmp/lv")"; fi
if "$CHISO" audit verify --db "$tmp/chiso.db" >"$tmp/av" 2>&1; then ok carry-audit-verify
else notok carry-audit-verify "$(tail -3 "$tmp/av")"; fi

# the school's form names the items to answer again, each linked to its row
aid=$(q "SELECT c.assessment_id FROM answers_current c JOIN answers v ON v.id = c.answer_id
	WHERE v.reason LIKE '%Cần trả lời lại%' AND c.side = 'self' ORDER BY c.assessment_id LIMIT 1")
login=$(q "SELECT a.login FROM accounts a JOIN role_assignments g ON g.account_id = a.id JOIN assessments s ON s.unit_id = g.unit_id
	WHERE s.id = $aid AND g.role = 'principal' LIMIT 1")
if start_server CHISO_FRAMEWORKS="$tmp/fw"; then
	signin "$tmp/jar" "$login" >/dev/null
	curl -s -b "$tmp/jar" "$base/danh-gia/$aid" >"$tmp/form.html"
	if grep -q "cần trả lời lại vì cách chấm đã thay đổi" "$tmp/form.html" && grep -qF 'href="#tc-1.3.1"' "$tmp/form.html" &&
		grep -q 'class="error-msg carried">Bộ chỉ số sửa đổi (bản 2)' "$tmp/form.html"
	then ok carry-form-names-items
	else notok carry-form-names-items "assessment $aid as $login" "$(grep -o 'warn-box.\{0,200\}' "$tmp/form.html" | head -2)"; fi
	server_clean carry-server-clean
else notok carry-form-names-items "no server"; fi

# again: nothing left to move, nothing written
before=$(q "SELECT count(*) FROM answers")
"$CHISO" round carry "$round" --to qd4725-2022@2 --db "$tmp/chiso.db" >"$tmp/again" 2>&1; rc=$?
[ "$rc" -eq 0 ] && [ "$(q "SELECT count(*) FROM answers")" -eq "$before" ] && grep -q "^Đã chuyển 0 phiếu" "$tmp/again" \
	&& ok carry-twice-is-a-no-op || notok carry-twice-is-a-no-op "status $rc" "$(tail -2 "$tmp/again")"

# bad input: no such revision, no round
"$CHISO" round carry "$round" --to qd4725-2022@9 --db "$tmp/chiso.db" >"$tmp/bad" 2>&1; rc=$?
[ "$rc" -eq 2 ] && grep -q "không có bộ chỉ số" "$tmp/bad" && ok carry-unknown-revision || notok carry-unknown-revision "status $rc" "$(cat "$tmp/bad")"
"$CHISO" round carry x --to qd4725-2022@2 --db "$tmp/chiso.db" >"$tmp/bad" 2>&1; rc=$?
[ "$rc" -eq 2 ] && grep -q "Cách dùng" "$tmp/bad" && ok carry-usage || notok carry-usage "status $rc"

# the office's page: revision 3 (1.3.1 back to yes/no) published; the Sở's
# officer previews, then moves; a principal may not
python3 - "$tmp/fw/qd4725-2022-r3.json" <<'PY'
import json, sys
f = json.load(open('frameworks/qd4725-2022.json'))
f['revision'] = 3
json.dump(f, open(sys.argv[1], 'w'), ensure_ascii=False)
PY
if start_server CHISO_FRAMEWORKS="$tmp/fw"; then
	office_login=$(q "SELECT a.login FROM accounts a JOIN role_assignments g ON g.account_id = a.id JOIN rounds r ON r.office_unit_id = g.unit_id
		WHERE r.id = $round AND g.role = 'office_admin' LIMIT 1")
	signin "$tmp/office" "$office_login" >/dev/null
	on2=$(q "$on4725 AND framework_revision = '2'")
	st=$(curl -s -o "$tmp/plan.html" -w '%{http_code}' -b "$tmp/office" "$base/dot/$round/chuyen-ban")
	if [ "$st" = 200 ] && grep -q "bản 2 → bản 3" "$tmp/plan.html" && grep -q "Chuyển $on2 phiếu sang bản 3" "$tmp/plan.html" &&
		[ "$(q "$on4725 AND framework_revision = '3'")" -eq 0 ]
	then ok carry-page-preview-writes-nothing
	else notok carry-page-preview-writes-nothing "status $st, $on2 on revision 2" "$(grep -o 'Chuyển [0-9]* phiếu[^<]*' "$tmp/plan.html")"; fi
	c=$(form_csrf "$tmp/office" "/dot/$round/chuyen-ban")
	st=$(curl -s -o "$tmp/done.html" -w '%{http_code}' -b "$tmp/office" --data-urlencode "_csrf=$c" "$base/dot/$round/chuyen-ban")
	if [ "$st" = 200 ] && [ "$(q "$on4725 AND framework_revision = '3'")" -eq "$on2" ] && grep -q "Đã chuyển $on2 phiếu sang bản 3" "$tmp/done.html"
	then ok carry-page-moves
	else notok carry-page-moves "status $st" "$(grep -o 'Đã chuyển[^<]*' "$tmp/done.html")"; fi
	signin "$tmp/school" "$login" >/dev/null
	st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/school" "$base/dot/$round/chuyen-ban")
	[ "$st" = 403 ] && ok carry-page-refuses-school || notok carry-page-refuses-school "status $st"
	server_clean carry-page-server-clean
else notok carry-page-preview-writes-nothing "no server"; fi
