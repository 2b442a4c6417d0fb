#!/bin/sh
# Bad input on the declared routes of the account, administration, evidence,
# document, signing and public pages (issue 10, item 4) against a real
# `chiso serve` on the demo: a non-number id, an over-long text, bytes that
# are not UTF-8, a missing required field and a value outside an enum are
# each answered 400 by the dispatcher with a Vietnamese message naming the
# field, and nothing is stored. Sign-in keeps its throttle and one message
# for a wrong login and a wrong password. One "ok NAME" / "not ok NAME" line
# per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

. "$(dirname "$0")/lib/check.sh"
sql() { sqlite3 "$tmp/chiso.db" "$1"; }
# bad NAME STATUS FIELD-LABEL WHY — the last response ($tmp/out) is a 400
# whose message names the field and why ("Dữ liệu gửi lên không hợp lệ: …")
bad() {
	if [ "$2" = 400 ] && grep -qF "Dữ liệu gửi lên không hợp lệ: $3 $4." "$tmp/out"; then ok "$1"
	else notok "$1" "status $2 (wanted 400, “$3 $4”)" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 300)"; fi
}
# same NAME BEFORE AFTER — what the store holds did not change (and was read)
same() { if [ -n "$2" ] && [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "before “$2”, after “$3”"; fi; }
get() { curl -s -b "$1" -c "$1" -o "$tmp/out" -w '%{http_code}' "$base$2"; }
# post JAR PAGE PATH ARGS… — urlencoded with the CSRF token of PAGE (raw
# --data for the bytes that must reach the server as they are)
post() {
	jar=$1 page=$2 path=$3; shift 3
	c=$(form_csrf "$jar" "$page")
	curl -s -b "$jar" -c "$jar" -o "$tmp/out" -w '%{http_code}' --data-urlencode "_csrf=$c" "$@" "$base$path"
}
long() { head -c "$1" /dev/zero | tr '\0' x; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok server-start; exit 1; }
A=$tmp/admin P=$tmp/principal
[ "$(signin "$A" admin)" = 303 ] && [ "$(signin "$P" ht.52101001)" = 303 ] || { notok signin; exit 1; }

# ---- sign-in: one message, the throttle holds ----------------------------------------------------
c=$(form_csrf "$tmp/s1" /dang-nhap)
curl -s -o "$tmp/nouser.html" -b "$tmp/s1" --data-urlencode "login=khong.co.ai" --data-urlencode "password=chiso2025" \
	--data-urlencode "_csrf=$c" "$base/dang-nhap"
c=$(form_csrf "$tmp/s2" /dang-nhap)
curl -s -o "$tmp/nopass.html" -b "$tmp/s2" --data-urlencode "login=ht.52102001" --data-urlencode "password=sai-mat-khau" \
	--data-urlencode "_csrf=$c" "$base/dang-nhap"
m1=$(grep -o 'role="alert">[^<]*' "$tmp/nouser.html") m2=$(grep -o 'role="alert">[^<]*' "$tmp/nopass.html")
[ -n "$m1" ] && [ "$m1" = "$m2" ] && ok signin-same-message-user-or-password || notok signin-same-message-user-or-password "“$m1” / “$m2”"
# a password that is not UTF-8: 400, and it does not open the throttle
J=$tmp/throttle
for i in 1 2 3 4 5; do signin "$J" ht.52102001 sai-mat-khau >/dev/null; done
c=$(form_csrf "$J" /dang-nhap)
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$J" -c "$J" --data "login=ht.52102001&password=%FF%FE&_csrf=$c" "$base/dang-nhap")
bad signin-password-not-utf8 "$st" "mật khẩu" "không phải văn bản UTF-8"
st=$(signin "$J" ht.52102001)
[ "$st" = 429 ] && ok signin-throttle-holds-after-bad-input || notok signin-throttle-holds-after-bad-input "status $st"

# ---- my account ----------------------------------------------------------------------------------
email() { sql "SELECT 'email:' || COALESCE(email, '') FROM accounts WHERE login = 'ht.52101001'"; }
before=$(email)
st=$(post "$P" /tai-khoan-cua-toi /tai-khoan-cua-toi/thu-dien-tu --data-urlencode "email=$(long 250)@x.vn")
bad email-too-long "$st" "địa chỉ thư điện tử" "quá dài"
st=$(post "$P" /tai-khoan-cua-toi /tai-khoan-cua-toi/thu-dien-tu --data "email=a%C3%28b@truong.example.vn")
bad email-not-utf8 "$st" "địa chỉ thư điện tử" "không phải văn bản UTF-8"
same email-unchanged "$before" "$(email)"

# ---- administration: accounts --------------------------------------------------------------------
accounts() { sql "SELECT COUNT(*) || '/' || (SELECT COUNT(*) FROM role_assignments) FROM accounts"; }
before=$(accounts)
st=$(post "$A" /quan-tri/tai-khoan /quan-tri/tai-khoan --data-urlencode dang_nhap=cb.dai --data-urlencode "ho_ten=$(long 201)" \
	--data-urlencode vai_tro=officer --data-urlencode don_vi=52000000)
bad account-name-too-long "$st" "họ và tên" "quá dài"
st=$(post "$A" /quan-tri/tai-khoan /quan-tri/tai-khoan --data-urlencode "ho_ten=Không Tên Đăng Nhập" \
	--data-urlencode vai_tro=officer --data-urlencode don_vi=52000000)
bad account-login-missing "$st" "tên đăng nhập" "chưa được điền"
st=$(post "$A" /quan-tri/tai-khoan /quan-tri/tai-khoan --data-urlencode dang_nhap=cb.vua --data-urlencode "ho_ten=Vua Chúa" \
	--data-urlencode vai_tro=king --data-urlencode don_vi=52000000)
bad account-role-outside-enum "$st" "vai trò" "không thuộc các giá trị cho phép"
st=$(post "$A" /quan-tri/tai-khoan /quan-tri/tai-khoan --data-urlencode dang_nhap=cb.dot --data-urlencode "ho_ten=Đợt Chữ" \
	--data-urlencode vai_tro=council_member --data-urlencode don_vi=52101001 --data-urlencode dot=hai)
bad account-round-not-a-number "$st" "đợt đánh giá" "không phải mã số hợp lệ"
same accounts-none-created "$before" "$(accounts)"
st=$(get "$A" "/quan-tri/tai-khoan?trang=abc")
bad accounts-page-not-a-number "$st" "trang" "không phải số trong khoảng cho phép"
st=$(get "$A" "/quan-tri/tai-khoan?cq=-3")
bad accounts-office-not-an-id "$st" "cơ quan" "không phải mã số hợp lệ"
hid=$(sql "SELECT id FROM accounts WHERE login = 'ht.52102001'")
st=$(post "$A" "/quan-tri/tai-khoan/$hid" "/quan-tri/tai-khoan/$hid/thu-hoi" --data-urlencode phan_quyen=1x --data-urlencode xac_nhan=1)
bad revoke-assignment-not-a-number "$st" "vai trò được giao" "không phải mã số hợp lệ"
st=$(post "$A" "/quan-tri/tai-khoan/$hid" "/quan-tri/tai-khoan/$hid/trang-thai" --data-urlencode hoat_dong=khoa)
bad lock-state-outside-enum "$st" "trạng thái" "không thuộc các giá trị cho phép"
same accounts-unchanged "$before" "$(accounts)"
[ "$(sql "SELECT active FROM accounts WHERE id = $hid")" = 1 ] && ok account-still-active || notok account-still-active

# ---- administration: units -----------------------------------------------------------------------
units() { sql "SELECT COUNT(*) || '/' || (SELECT COUNT(*) FROM unit_relations) FROM units"; }
before=$(units)
st=$(post "$A" /quan-tri/don-vi/moi /quan-tri/don-vi --data-urlencode ma=52119911 --data "ten=Tr%FF%FEng" \
	--data-urlencode loai=thcs --data-urlencode quan_ly=52000000 --data-urlencode tu_ngay=2025-09-01)
bad unit-name-not-utf8 "$st" "tên đơn vị" "không phải văn bản UTF-8"
st=$(post "$A" /quan-tri/don-vi/moi /quan-tri/don-vi --data-urlencode ma=52119912 --data-urlencode "ten=$(long 301)" \
	--data-urlencode loai=thcs --data-urlencode quan_ly=52000000 --data-urlencode tu_ngay=2025-09-01)
bad unit-name-too-long "$st" "tên đơn vị" "quá dài"
st=$(post "$A" /quan-tri/don-vi/moi /quan-tri/don-vi --data-urlencode ma=52119913 --data-urlencode "ten=Trường Lạ" \
	--data-urlencode loai=dai_hoc --data-urlencode quan_ly=52000000 --data-urlencode tu_ngay=2025-09-01)
bad unit-type-outside-enum "$st" "loại hình" "không thuộc các giá trị cho phép"
school=$(sql "SELECT id FROM units WHERE code = '52101001'")
st=$(post "$A" "/quan-tri/don-vi/$school" "/quan-tri/don-vi/$school/quan-he" --data-urlencode don_vi=52000000 \
	--data-urlencode tu_ngay=2026-12-01)
bad relation-kind-missing "$st" "loại quan hệ" "chưa được điền"
st=$(get "$A" "/quan-tri/don-vi?loai=truong")
bad units-filter-outside-enum "$st" "loại hình" "không thuộc các giá trị cho phép"
same units-none-created "$before" "$(units)"

# ---- evidence ------------------------------------------------------------------------------------
aid=$(curl -s -b "$P" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
ev=$(sql "SELECT id FROM evidence WHERE assessment_id = $aid ORDER BY id LIMIT 1")
[ -n "$ev" ] || notok evidence-found "assessment $aid"
evidence() { sql "SELECT COUNT(*) || '/' || (SELECT COUNT(*) FROM evidence_criteria) FROM evidence"; }
before=$(evidence)
c=$(form_csrf "$P" "/danh-gia/$aid/minh-chung/moi")
st=$(curl -s -b "$P" -c "$P" -o "$tmp/out" -w '%{http_code}' -F "_csrf=$c" -F "tieu_de=$(long 1001)" -F tc=1.1 \
	-F "duong_dan=https://truong.edu.vn/cds" "$base/danh-gia/$aid/minh-chung/moi")
bad evidence-title-too-long "$st" "tên minh chứng" "quá dài"
st=$(post "$P" "/minh-chung/$ev" "/minh-chung/$ev/gan")
bad evidence-link-criterion-missing "$st" "tiêu chí" "chưa được điền"
st=$(post "$P" "/danh-gia/$aid/minh-chung/dung-lai" "/danh-gia/$aid/minh-chung/dung-lai" --data-urlencode "mc=mot")
bad evidence-reuse-not-a-number "$st" "minh chứng" "không phải mã số hợp lệ"
same evidence-unchanged "$before" "$(evidence)"
fid=$(sql "SELECT id FROM evidence_files WHERE evidence_id = $ev LIMIT 1")
if [ -n "$fid" ]; then
	st=$(get "$P" "/minh-chung/$ev/tep/$fid?xem=2")
	bad evidence-file-view-outside-enum "$st" "xem trực tiếp" "không thuộc các giá trị cho phép"
fi

# ---- documents, signing, public data ---------------------------------------------------------------
docs=$(sql "SELECT COUNT(*) FROM documents")
st=$(post "$P" "/danh-gia/$aid/van-ban?loai=bao-cao" "/danh-gia/$aid/van-ban" --data-urlencode loai=bao-cao \
	--data-urlencode "noi_nhan=$(long 4001)")
bad document-recipients-too-long "$st" "nơi nhận" "quá dài"
same documents-none-made "$docs" "$(sql "SELECT COUNT(*) FROM documents")"
st=$(get "$P" "/danh-gia/$aid/so-van-ban?nam=20x5")
bad register-year-not-a-number "$st" "năm" "không phải số trong khoảng cho phép"
st=$(get "$A" "/quan-tri/chu-ky-so?kq=hack")
bad signing-notice-outside-enum "$st" "kết quả" "không thuộc các giá trị cho phép"
st=$(curl -s -o "$tmp/out" -w '%{http_code}' "$base/cong-khai/du-lieu.csv?khu-vuc=abc")
bad open-data-area-not-an-id "$st" "khu vực" "không phải mã số hợp lệ"

# ---- refused callers learn nothing of the form --------------------------------------------------------
st=$(post "$P" / /quan-tri/tai-khoan --data-urlencode vai_tro=king)
[ "$st" = 403 ] && ok refused-before-inputs || notok refused-before-inputs "status $st"

server_clean server-clean-exit
