#!/bin/sh
# Declared inputs of the office's routes (issue 10, item 4): the rounds,
# the inbox, a unit's extension, reminders, the review and its diff, the
# extension requests, the report to the superior, the visit schedule, the
# preview of a round's units, the self-inspection data, the submission's
# letter and the SMTP server. Bad input — a non-number id, an over-long
# text, bytes that are not UTF-8, a missing required field, a value outside
# its enum, a date that does not exist, a number out of its range — is
# answered by the dispatcher: 400 with "Dữ liệu gửi lên không hợp lệ: <the
# field> <why>." and nothing is stored (no row in the table, no audit row).
# Good input still goes through (the declarations do not refuse what the
# forms send).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

. "$(dirname "$0")/lib/check.sh"

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
db="$tmp/chiso.db"
q() { sqlite3 "$db" "$1"; }
R=$(q "select r.id from rounds r join assessments a on a.round_id = r.id join units u on u.id = a.unit_id where u.code = '52101001' and r.state = 'open'")
A=$(q "select a.id from assessments a join units u on u.id = a.unit_id where u.code = '52101001' and a.round_id = $R")
SO=$(q "select office_unit_id from rounds where id = $R")
[ -n "$R" ] && [ -n "$A" ] && [ -n "$SO" ] || { notok fixture "round $R, assessment $A, office $SO"; exit 1; }
start_server || { notok server-start; exit 1; }
[ "$(signin "$tmp/so" so.binhdinh)" = 303 ] && [ "$(signin "$tmp/ht" ht.52101001)" = 303 ] &&
	[ "$(signin "$tmp/admin" admin)" = 303 ] || { notok signin; exit 1; }
csrf_so=$(form_csrf "$tmp/so" /dot)
csrf_ht=$(form_csrf "$tmp/ht" /)
csrf_admin=$(form_csrf "$tmp/admin" /quan-tri/thu)

long2001=$(head -c 2001 /dev/zero | tr '\0' x)
long301=$(head -c 301 /dev/zero | tr '\0' y)

# rows that a refused request must leave as they are
counts() {
	q "select (select n from page_mark) || '/' || (select count(*) from audit_log) || '/' || (select count(*) from rounds) || '/' ||
	   (select count(*) from extension_requests) || '/' || (select count(*) from deadline_extensions) || '/' ||
	   (select count(*) from self_inspections) || '/' || (select count(*) from server_settings)"
}

# bad NAME JAR CSRF METHOD PATH MESSAGE [curl data args…] — a 400 whose page
# says MESSAGE, and nothing stored
bad() {
	name=$1 jar=$2 csrf=$3 method=$4 path=$5 msg=$6
	shift 6
	before=$(counts)
	if [ "$method" = GET ]; then
		st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$jar" -G "$@" "$base$path")
	else
		st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$jar" --data-urlencode "_csrf=$csrf" "$@" "$base$path")
	fi
	after=$(counts)
	if [ "$st" = 400 ] && grep -qF "Dữ liệu gửi lên không hợp lệ: $msg." "$tmp/out" && [ "$before" = "$after" ]; then
		ok "$name"
	else
		notok "$name" "status $st (wanted 400), rows $before → $after" \
			"$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | grep -o 'Dữ liệu[^.]*\.' | head -1)"
	fi
}

# a non-number id
bad extend-id-not-number "$tmp/so" "$csrf_so" POST "/dot/$R/gia-han" "đơn vị được chọn không phải mã số hợp lệ" \
	--data-urlencode "ho_so=abc" --data-urlencode "han=2099-01-01" --data-urlencode "ly_do=x"
bad inbox-manager-not-number "$tmp/so" "" GET "/dot/$R/hop-thu" "đơn vị quản lý không phải mã số hợp lệ" --data-urlencode "cq=12a"
bad rounds-office-not-number "$tmp/so" "" GET /dot "cơ quan không phải mã số hợp lệ" --data-urlencode "cq=-3"
bad preview-office-not-number "$tmp/so" "" GET /dot/xem-truoc-don-vi "cơ quan mở đợt không phải mã số hợp lệ" --data-urlencode "co_quan=x"
bad visit-unit-not-number "$tmp/so" "$csrf_so" POST "/dot/$R/lich-kiem-tra" "đơn vị không phải mã số hợp lệ" \
	--data-urlencode "don_vi=một" --data-urlencode "ngay=2027-01-08"
bad visit-member-not-number "$tmp/so" "$csrf_so" POST "/dot/$R/lich-kiem-tra" "thành viên Đoàn không phải mã số hợp lệ" \
	--data-urlencode "don_vi=1" --data-urlencode "ngay=2027-01-08" --data-urlencode "tv=1" --data-urlencode "tv=x"
bad diff-not-number "$tmp/so" "" GET "/xet-duyet/$A/so-sanh" "lần gửi so sánh không phải số trong khoảng cho phép" --data-urlencode "tu=một"
bad letter-not-number "$tmp/ht" "" GET "/danh-gia/$A/to-trinh" "lần gửi không phải số trong khoảng cho phép" --data-urlencode "lan=1x"

# an over-long text (the store's own limit)
bad extend-reason-too-long "$tmp/so" "$csrf_so" POST "/dot/$R/gia-han" "lý do gia hạn quá dài" \
	--data-urlencode "ho_so=$A" --data-urlencode "han=2099-01-01" --data-urlencode "ly_do=$long2001"
bad ask-reason-too-long "$tmp/ht" "$csrf_ht" POST "/danh-gia/$A/xin-gia-han" "lý do xin gia hạn quá dài" \
	--data-urlencode "ly_do=$long2001"
bad reminder-note-too-long "$tmp/so" "$csrf_so" POST "/dot/$R/nhac-nho" "lời nhắn thêm quá dài" --data-urlencode "loi_nhan=$long2001"
bad open-title-too-long "$tmp/so" "$csrf_so" POST /dot "tên đợt đánh giá quá dài" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data-urlencode "ten=$long301"
bad inspection-phone-too-long "$tmp/ht" "$csrf_ht" POST "/danh-gia/$A/tu-kiem-tra" "điện thoại người phụ trách quá dài" \
	--data-urlencode "tong_so=12" --data-urlencode "lh_dien_thoai=0905 123 456 0905 123 456 0905 12"
bad inspection-software-too-long "$tmp/ht" "$csrf_ht" POST "/danh-gia/$A/tu-kiem-tra" "tên phần mềm quá dài" \
	--data-urlencode "pm_ten_0=vnEdu" --data-urlencode "pm_ten_1=$long301"
bad smtp-url-too-long "$tmp/admin" "$csrf_admin" POST /quan-tri/thu "địa chỉ máy chủ thư quá dài" \
	--data-urlencode "url=smtp://$long2001" --data-urlencode "from=cds@sgddt.example.vn"

# not UTF-8 (a byte 0xFF, a cut sequence)
bad open-title-not-utf8 "$tmp/so" "$csrf_so" POST /dot "tên đợt đánh giá không phải văn bản UTF-8" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data "ten=%C4%90%E1%BB%A3t%FF"
bad inspection-not-utf8 "$tmp/ht" "$csrf_ht" POST "/danh-gia/$A/tu-kiem-tra" "kiến nghị không phải văn bản UTF-8" \
	--data "kien_nghi=Ki%E1%BA"
bad inbox-search-not-utf8 "$tmp/so" "" GET "/dot/$R/hop-thu" "từ khoá tìm không phải văn bản UTF-8" --data "q=hoa%C3%28"
bad report-text-not-utf8 "$tmp/so" "$csrf_so" POST "/dot/$R/bao-cao-cap-tren" "đánh giá chung, kiến nghị không phải văn bản UTF-8" \
	--data-urlencode "thao_tac=luu" --data "noi_dung=%80%80"

# a missing required field
bad answer-choice-missing "$tmp/so" "$csrf_so" POST "/dot/$R/xin-gia-han/999999" "quyết định chưa được điền" \
	--data-urlencode "han=2099-01-01"
bad report-action-missing "$tmp/so" "$csrf_so" POST "/dot/$R/bao-cao-cap-tren" "thao tác chưa được điền" --data-urlencode "noi_dung=x"
bad visit-unit-missing "$tmp/so" "$csrf_so" POST "/dot/$R/lich-kiem-tra" "đơn vị chưa được điền" --data-urlencode "ngay=2027-01-08"
bad visit-remove-missing "$tmp/so" "$csrf_so" POST "/dot/$R/lich-kiem-tra/xoa" "lịch kiểm tra chưa được điền"

# a value outside its enum
bad open-policy-not-in-enum "$tmp/so" "$csrf_so" POST /dot "cách xếp mức không thuộc các giá trị cho phép" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data-urlencode "ten=Đợt thử" --data-urlencode "cach_xep=max"
bad open-target-kind-not-in-enum "$tmp/so" "$csrf_so" POST /dot "loại chỉ tiêu không thuộc các giá trị cho phép" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data-urlencode "ten=Đợt thử" --data-urlencode "ct_loai_2=share"
bad answer-choice-not-in-enum "$tmp/so" "$csrf_so" POST "/dot/$R/xin-gia-han/999999" "quyết định không thuộc các giá trị cho phép" \
	--data-urlencode "quyet=dong-y"
bad report-action-not-in-enum "$tmp/so" "$csrf_so" POST "/dot/$R/bao-cao-cap-tren" "thao tác không thuộc các giá trị cho phép" \
	--data-urlencode "thao_tac=xoa"
bad inbox-view-not-in-enum "$tmp/so" "" GET "/dot/$R/hop-thu" "cách xem không thuộc các giá trị cho phép" --data-urlencode "xem=moi"

# a date that does not exist, a number out of its range
bad open-deadline-not-a-date "$tmp/so" "$csrf_so" POST /dot "hạn tự đánh giá không phải ngày hợp lệ (năm-tháng-ngày)" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data-urlencode "ten=Đợt thử" --data-urlencode "han_tu_danh_gia=2027-02-30"
bad open-share-out-of-range "$tmp/so" "$csrf_so" POST /dot "tỉ lệ của chỉ tiêu (0 đến 100) không phải số trong khoảng cho phép" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data-urlencode "ten=Đợt thử" \
	--data-urlencode "ct_loai_0=level_share" --data-urlencode "ct_tl_0=101"
bad open-level-out-of-range "$tmp/so" "$csrf_so" POST /dot "mức của chỉ tiêu không phải số trong khoảng cho phép" \
	--data-urlencode "co_quan=$SO" --data-urlencode "nam_hoc=2027-2028" --data-urlencode "ten=Đợt thử" \
	--data-urlencode "ct_loai_0=level_share" --data-urlencode "ct_tl_0=80" --data-urlencode "ct_muc_0=4"
bad inbox-page-out-of-range "$tmp/so" "" GET "/dot/$R/hop-thu" "trang không phải số trong khoảng cho phép" --data-urlencode "trang=0"

# access before the form: a school's principal posting a bad form to the
# office's route is refused (403), not told what the form wants
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$tmp/ht" --data-urlencode "_csrf=$csrf_ht" --data-urlencode "ho_so=abc" "$base/dot/$R/gia-han")
if [ "$st" = 403 ] && ! grep -qF "Dữ liệu gửi lên không hợp lệ" "$tmp/out"; then ok refused-before-inputs
else notok refused-before-inputs "status $st (wanted 403)"; fi

# good input still passes the declarations: the inspection form saves
# (software with a fee, the checkbox), the inbox filters, a round opens
# with a target
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht" --data-urlencode "_csrf=$csrf_ht" --data-urlencode "tong_so=40" \
	--data-urlencode "giao_vien=30" --data-urlencode "cong_tac_2=Dạy học trực tuyến qua K12Online" --data-urlencode "pm_ten_0=vnEdu" \
	--data-urlencode "pm_thu_phi_0=1" --data-urlencode "pm_phi_0=150.000" --data-urlencode "lh_email=cds@truong.edu.vn" \
	"$base/danh-gia/$A/tu-kiem-tra")
if [ "$st" = 303 ] && [ "$(q "select staff_total || '/' || teachers from self_inspections where assessment_id = $A")" = 40/30 ] &&
	[ "$(q "select name || '/' || paid || '/' || fee_vnd from software_in_use where assessment_id = $A")" = vnEdu/1/150000 ]; then
	ok inspection-good-saved
else notok inspection-good-saved "status $st"; fi
st=$(curl -s -o "$tmp/out" -w '%{http_code}' -b "$tmp/so" "$base/dot/$R/hop-thu?xem=tat-ca&qh=1&trang=1&q=hoa+phuong")
if [ "$st" = 200 ] && grep -q 'aria-label="Lọc theo trạng thái"' "$tmp/out"; then ok inbox-good-filters; else notok inbox-good-filters "status $st"; fi
n0=$(q "select count(*) from rounds")
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/so" --data-urlencode "_csrf=$csrf_so" --data-urlencode "co_quan=$SO" \
	--data-urlencode "nam_hoc=2030-2031" --data-urlencode "ten=Đợt kiểm tra khai báo" --data-urlencode "cach_xep=min" \
	--data-urlencode "bcs:thcs=qd4725-2022@1" --data-urlencode "ct_loai_0=level_share" --data-urlencode "ct_dv_0=thcs" \
	--data-urlencode "ct_muc_0=3" --data-urlencode "ct_tl_0=80" --data-urlencode "ct_nhan_0=THCS đạt Mức 3" "$base/dot")
if [ "$st" = 303 ] && [ "$(q "select count(*) from rounds")" = $((n0 + 1)) ] &&
	[ "$(q "select t.level || '/' || t.share_percent || '/' || t.label from round_targets t join rounds r on r.id = t.round_id where r.title = 'Đợt kiểm tra khai báo'")" = "3/80/THCS đạt Mức 3" ]; then
	ok open-good-with-target
else notok open-good-with-target "status $st"; fi

server_clean server-clean
