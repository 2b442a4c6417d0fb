#!/bin/sh
# HTTP test of the rule editor of a framework draft (/quan-tri/bo-chi-so/{id}/sua,
# page_admin_fw_edit.c, fw_edit.c): an imported annex table's draft opens in
# the editor with each inferred rule marked, the checks passed and a preview
# scoring two sample sheets; saving one item's rule clears its inferred mark
# (the reviewer's source tag), is audited (framework.edit) and the checks are
# shown again; a rule that breaks a criterion's sum is kept but shown as a
# failed check and blocks Công bố; a bad number is refused naming the field;
# only a system administrator reaches the editor, with CSRF; a published
# version is never edited. One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
FIX=$(pwd)/test/fixtures/fw_import
tmp=$(mktemp -d)
server_pid=
cleanup() { stop_server; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
text() { sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' '; }
check() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, pattern: $4}" "$(text | head -c 600)"; fi
}
get() { curl -s -o "$tmp/out" -w '%{http_code}' -b "$1" "$base$2"; }
upload() {
	j=$1; f=$2; shift 2
	c=$(form_csrf "$j" /quan-tri/bo-chi-so)
	curl -s -o "$tmp/out" -w '%{http_code}' -b "$j" -c "$j" -F "_csrf=$c" -F "tep=@$f" "$@" "$base/quan-tri/bo-chi-so"
}
# save JAR CODE [field=value …] → status; the rest of the form as posted by the page
save() {
	j=$1; code=$2; shift 2
	c=$(form_csrf "$j" "/quan-tri/bo-chi-so/$draft/sua")
	for kv in "$@"; do set -- "$@" --data-urlencode "$kv"; shift; done
	curl -s -o "$tmp/out" -D "$tmp/hdr" -w '%{http_code}' -b "$j" -c "$j" --data-urlencode "_csrf=$c" \
		--data-urlencode "ma=$code" "$@" "$base/quan-tri/bo-chi-so/$draft/sua"
}
sql() { sqlite3 "$tmp/chiso.db" "$1"; }
draft_json() { sql "SELECT json FROM framework_versions WHERE id = $draft"; }

demo_fixture || { notok demo-fixture; exit 1; }
start_server || { notok server-start; exit 1; }
A=$tmp/admin
[ "$(signin "$A" admin)" = 303 ] || { notok signin-admin; exit 1; }

# the LibreOffice-written Word file (test/fixtures/fw_import/annex-libreoffice.docx)
st=$(upload "$A" "$FIX/annex-libreoffice.docx" -F ma=thu-nghiem-2025 -F "ten=Bộ chỉ số thử nghiệm" -F "so_qd=01/QĐ-TN" \
	-F ngay_qd=2025-01-15 -F "co_quan=Sở Giáo dục và Đào tạo Thử" -F loai_hinh=tieu_hoc -F loai_hinh=thcs)
check libreoffice-docx-draft 200 "$st" "Bản nháp nhập từ bảng: xem lại trước khi công bố"
draft=$(sed -n 's/.*href="\/quan-tri\/bo-chi-so\/\([0-9]*\)\/sua".*/\1/p' "$tmp/out" | head -1)
[ -n "$draft" ] && ok review-links-editor || { notok review-links-editor "$(text | head -c 400)"; exit 1; }

get "$A" /quan-tri/bo-chi-so >/dev/null
grep -qF '<a href="/quan-tri/bo-chi-so/'"$draft"'/sua">thu-nghiem-2025, phiên bản 1</a>' "$tmp/out" && ok drafts-card-links-editor \
	|| notok drafts-card-links-editor
st=$(get "$A" "/quan-tri/bo-chi-so/$draft/sua")
check editor-page 200 "$st" "Sửa cách chấm: thu-nghiem-2025, phiên bản 1 (bản nháp)"
ninf=$(grep -o 'data-inferred="1"' "$tmp/out" | wc -l)
[ "$ninf" -ge 3 ] && grep -q 'id="muc-1.2.2" data-inferred="1"' "$tmp/out" && ok inferred-marked || notok inferred-marked "$ninf marked"
grep -qF "✓ Tổng điểm khớp điểm tối đa của nhóm, tiêu chí" "$tmp/out" && grep -qF "✓ Mã không trùng" "$tmp/out" \
	&& grep -qF "✓ Mọi loại hình đơn vị đều có ngưỡng" "$tmp/out" && ok checks-pass || notok checks-pass "$(text | head -c 800)"
# preview: the full sheet earns each group's maximum, the empty sheet nothing
text >"$tmp/t"
grep -qF "Chấm thử" "$tmp/t" && grep -qE "1 Chuyển đổi số trong dạy, học 100 100 — Mức 3 \(.*\) 0 — Mức 1" "$tmp/t" \
	&& ok preview-scores-samples || notok preview-scores-samples "$(grep -o 'Chấm thử.*' "$tmp/t" | head -c 700)"
grep -qF '<form method="post" action="/quan-tri/bo-chi-so/'"$draft"'/cong-bo">' "$tmp/out" && ok publish-offered || notok publish-offered

# access: a principal and an office administrator are refused; no CSRF token: refused
P=$tmp/principal
signin "$P" ht.52101001 >/dev/null
st=$(get "$P" "/quan-tri/bo-chi-so/$draft/sua")
[ "$st" = 403 ] && ok principal-refused || notok principal-refused "status $st"
O=$tmp/office
signin "$O" phong.quynhon >/dev/null
st=$(get "$O" "/quan-tri/bo-chi-so/$draft/sua")
[ "$st" = 403 ] && ok office-admin-refused || notok office-admin-refused "status $st"
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$A" --data-urlencode "ma=1.2.2" --data-urlencode loai=yes_no \
	--data-urlencode nguon=official --data-urlencode diem=20 "$base/quan-tri/bo-chi-so/$draft/sua")
[ "$st" = 403 ] && ok save-needs-csrf || notok save-needs-csrf "status $st"

# fix the inferred rule of 1.2.2: a ratio ≥ 50 % for 20 points, from the decision
before=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.edit'")
st=$(save "$A" 1.2.2 loai=ratio nguon=official diem=20 nguong=50 so_sanh=ge don_vi=percent che_do=threshold \
	"do_luong=Số giáo viên sử dụng / tổng số giáo viên")
[ "$st" = 303 ] && grep -qi '^location: /quan-tri/bo-chi-so/'"$draft"'/sua?da_luu=1.2.2#muc-1.2.2' "$tmp/hdr" \
	&& ok save-redirects || notok save-redirects "status $st" "$(cat "$tmp/hdr")"
st=$(get "$A" "/quan-tri/bo-chi-so/$draft/sua?da_luu=1.2.2")
check saved-notice 200 "$st" "Đã lưu cách chấm của mục 1.2.2"
grep -q 'id="muc-1.2.2" data-inferred' "$tmp/out" && notok inferred-mark-cleared || ok inferred-mark-cleared
[ "$(grep -o 'data-inferred="1"' "$tmp/out" | wc -l)" = $((ninf - 1)) ] && ok one-fewer-inferred || notok one-fewer-inferred
grep -qF "Tỉ lệ đạt ngưỡng: ≥ 50% thì 20 điểm <span class=\"badge\">Nguồn: official</span>" "$tmp/out" && ok rule-shown || notok rule-shown "$(grep -o 'muc-1.2.2.\{0,600\}' "$tmp/out" | head -c 600)"
draft_json | python3 -c '
import json, sys
f = json.load(sys.stdin)
n = [i for g in f["groups"] for c in g["criteria"] for i in c.get("items", []) if i["code"] == "1.2.2"][0]
r = n["rule"]
assert r == {"kind": "ratio", "source": "official", "points": 20, "threshold": 50, "measure": "Số giáo viên sử dụng / tổng số giáo viên"}, r
assert n["source"] == "official", n
assert "suy ra" not in n.get("note", ""), n
' && ok draft-json-rule || notok draft-json-rule
after=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.edit'")
[ "$after" = $((before + 1)) ] && [ "$(sql "SELECT object_id FROM audit_log WHERE action = 'framework.edit' ORDER BY seq DESC LIMIT 1")" = "$draft" ] \
	&& sql "SELECT before_json || after_json FROM audit_log WHERE action = 'framework.edit' ORDER BY seq DESC LIMIT 1" | grep -q '"source":"inferred".*"code":"1.2.2".*"source":"official"' \
	&& ok edit-audited || notok edit-audited "$before → $after"

# a bad number: refused naming the field, nothing stored
sha=$(sql "SELECT sha256 FROM framework_versions WHERE id = $draft")
st=$(save "$A" 1.2.1 loai=yes_no nguon=official diem=hai)
check bad-number-refused 422 "$st" "Điểm: \"hai\" không phải số"
grep -q '<details class="fw-edit" open><summary>Sửa cách chấm 1.2.1' "$tmp/out" && ok refused-form-open || notok refused-form-open
[ "$(sql "SELECT sha256 FROM framework_versions WHERE id = $draft")" = "$sha" ] && ok refused-nothing-stored || notok refused-nothing-stored
st=$(save "$A" 9.9.9 loai=yes_no nguon=official diem=1)
[ "$st" = 404 ] && ok unknown-item-404 || notok unknown-item-404 "status $st"
st=$(save "$A" 1.2.1 loai=yes_no nguon=inferred diem=20)
[ "$st" = 400 ] && ok inferred-not-a-choice || notok inferred-not-a-choice "status $st"

# a rule that breaks the criterion's sum is kept, shown failed, and blocks publishing
st=$(save "$A" 1.2.1 loai=yes_no nguon=official diem=30)
[ "$st" = 303 ] && ok sum-breaking-save-kept || notok sum-breaking-save-kept "status $st"
get "$A" "/quan-tri/bo-chi-so/$draft/sua" >/dev/null
grep -qF "✗ Tổng điểm khớp điểm tối đa của nhóm, tiêu chí" "$tmp/out" && grep -qF "1.2: điểm tối đa 60 nhưng tổng các mục bên dưới là 70" "$tmp/out" \
	&& ok sum-check-fails || notok sum-check-fails "$(text | grep -o 'Kiểm tra bản nháp.\{0,600\}')"
grep -qF "Chưa công bố được" "$tmp/out" && ! grep -q '/cong-bo">' "$tmp/out" && ok publish-withheld || notok publish-withheld
c=$(form_csrf "$A" "/quan-tri/bo-chi-so")
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$A" --data-urlencode "_csrf=$c" "$base/quan-tri/bo-chi-so/$draft/cong-bo")
[ "$st" = 422 ] && [ "$(sql "SELECT COUNT(*) FROM framework_versions WHERE id = $draft AND publish_seq IS NOT NULL")" = 0 ] \
	&& ok invalid-draft-not-published || notok invalid-draft-not-published "status $st"
st=$(save "$A" 1.2.1 loai=yes_no nguon=official diem=20)
get "$A" "/quan-tri/bo-chi-so/$draft/sua" >/dev/null
grep -qF "✓ Tổng điểm khớp" "$tmp/out" && ok sum-fixed || notok sum-fixed

# every kind the form offers is saved and loads: alternatives on 1.2.3, ratio_by_type on 1.2.2
st=$(save "$A" 1.2.3 loai=alternatives nguon=official "lua_chon=a | Tự xây dựng | 20
b | Thuê dịch vụ | 10")
st2=$(save "$A" 1.2.2 loai=ratio_by_type nguon=seed diem=20 "nguong_loai=tieu_hoc = 50
thcs =")
get "$A" "/quan-tri/bo-chi-so/$draft/sua" >/dev/null
[ "$st$st2" = 303303 ] && grep -qF "✓ Bộ chỉ số nạp được" "$tmp/out" && grep -qF "✓ Mọi loại hình đơn vị đều có ngưỡng" "$tmp/out" \
	&& ok other-kinds-load || notok other-kinds-load "$st $st2" "$(text | grep -o 'Kiểm tra bản nháp.\{0,600\}')"
st=$(save "$A" 1.2.2 loai=ratio_by_type nguon=seed diem=20 "nguong_loai=tieu_hoc = 50")
get "$A" "/quan-tri/bo-chi-so/$draft/sua" >/dev/null
grep -qF "1.2.2: chưa có ngưỡng cho loại hình THCS" "$tmp/out" && ok unit-type-check || notok unit-type-check "$(text | grep -o 'Kiểm tra bản nháp.\{0,600\}')"
st=$(save "$A" 1.2.2 loai=ratio nguon=official diem=20 nguong=50)

# publish: then the version is never edited again
c=$(form_csrf "$A" "/quan-tri/bo-chi-so")
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$A" --data-urlencode "_csrf=$c" "$base/quan-tri/bo-chi-so/$draft/cong-bo")
[ "$st" = 303 ] && ok published || notok published "status $st"
st=$(get "$A" "/quan-tri/bo-chi-so/$draft/sua")
[ "$st" = 409 ] && ok published-not-editable || notok published-not-editable "status $st"
get "$A" /quan-tri/bo-chi-so >/dev/null
grep -q 'data-framework="thu-nghiem-2025@1"' "$tmp/out" && ok edited-set-listed || notok edited-set-listed
server_clean server-clean
