#!/bin/sh
# HTTP tests of the school's workflow pages (page_home.c, page_council.c,
# page_submission.c): the home page's deadline and progress, the council
# (members, a new account for a teacher, item assignments, tasks), a
# member refused an item not assigned to her, approval locking the form,
# submission storing its request letter, the office's return with per-item
# reasons, and another school's account refused everywhere.
# One "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
#
# The world is built with the CLI (unit import, round open, user add) so
# that dates are relative to today: the self-assessment deadline is 12
# days ahead, the supplement deadline 20.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
FIXTURE="$PWD/test/fixtures/answers/qd4725-thcs.json"
tmp=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# check NAME CONDITION-STATUS DETAIL… — ok when the status is 0
check() { name=$1 st=$2; shift 2; if [ "$st" -eq 0 ]; then ok "$name"; else notok "$name" "$@"; fi; }
has() { grep -qF -- "$2" "$1"; }

db="$tmp/chiso.db"
due=$(TZ=Asia/Ho_Chi_Minh date -d '+12 days' +%F)
supp=$(TZ=Asia/Ho_Chi_Minh date -d '+20 days' +%F)

# ---- the world ------------------------------------------------------------
cat >"$tmp/units.csv" <<'EOF'
Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục
79760000,Phòng Giáo dục và Đào tạo Quận 7,Phòng GD&ĐT,,,"1362 Huỳnh Tấn Phát, Quận 7",Công lập
79760301,Trường THCS Nguyễn Hữu Thọ,THCS,79760000,79760000,"40/7 Bùi Văn Ba, Phường Tân Thuận Đông, Quận 7",Công lập
79760302,Trường THCS Huỳnh Tấn Phát,THCS,79760000,79760000,"Quận 7",Công lập
EOF
setup() {
	"$CHISO" unit import "$tmp/units.csv" --db "$db" --from 2020-01-01 &&
	"$CHISO" round open --office 79760000 --year 2024-2025 --framework thcs=qd4725-2022 --self-due "$due" --db "$db" &&
	"$CHISO" user add ht.nht --name "Nguyễn Văn An" --password chiso2025 --role principal --unit 79760301 --db "$db" &&
	"$CHISO" user add ht.htp --name "Trần Thị Bình" --password chiso2025 --role principal --unit 79760302 --db "$db" &&
	"$CHISO" user add gv.dung --name "Phạm Thị Dung" --password chiso2025 --role council_member --unit 79760301 --round 1 --db "$db" &&
	"$CHISO" user add pgd.cuong --name "Lê Văn Cường" --password chiso2025 --role officer --unit 79760000 --db "$db"
}
if ! setup >"$tmp/setup.log" 2>&1; then notok setup "$(tail -5 "$tmp/setup.log")"; exit 1; fi

. "$(dirname "$0")/lib/web.sh"
mkdir -p "$tmp/files"
start_server 2>/dev/null || { notok setup "server did not start" "$(cat "$tmp/serve.err")"; exit 1; }
ok setup

# ---- helpers ----------------------------------------------------------------
# signin JAR LOGIN [PASSWORD] — prints the status of the sign-in POST (303 = signed in)
signin() {
	c=$(curl -s -b "$1" -c "$1" "$base/dang-nhap" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -o /dev/null -w '%{http_code}' -b "$1" -c "$1" --data-urlencode "login=$2" \
		--data-urlencode "password=${3:-chiso2025}" --data-urlencode "_csrf=$c" "$base/dang-nhap"
}
csrf() { curl -s -b "$1" "$base/" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
# get JAR PATH — body in $tmp/page, prints the status
get() { curl -s -o "$tmp/page" -w '%{http_code}' -b "$1" "$base$2"; }
# post JAR PATH FIELD=VALUE… — with the session's CSRF token (values may
# hold spaces); body in $tmp/page, prints "STATUS REDIRECT"
NL='
'
post() {
	jar=$1 path=$2; shift 2
	args="--data-urlencode${NL}_csrf=$(csrf "$jar")"
	for f in "$@"; do args="$args${NL}--data-urlencode${NL}$f"; done
	old=$IFS; IFS=$NL
	# shellcheck disable=SC2086
	curl -s -o "$tmp/page" -w '%{http_code} %{redirect_url}' -b "$jar" $args "$base$path"
	IFS=$old
}

P="$tmp/principal" M="$tmp/member" Y="$tmp/yen" O="$tmp/other" F="$tmp/office"
for x in "$P ht.nht" "$M gv.dung" "$O ht.htp" "$F pgd.cuong"; do
	set -- $x
	[ "$(signin "$1" "$2")" = 303 ] || { notok setup "sign-in $2 failed"; exit 1; }
done

# the two schools' assessments, from their home pages
get "$P" / >/dev/null
A=$(grep -o 'href="/danh-gia/[0-9]*"' "$tmp/page" | head -1 | grep -o '[0-9]*')
get "$O" / >/dev/null
B=$(grep -o 'href="/danh-gia/[0-9]*"' "$tmp/page" | head -1 | grep -o '[0-9]*')
[ -n "$A" ] && [ -n "$B" ] && [ "$A" != "$B" ] || { notok setup "assessment ids: '$A' '$B'"; exit 1; }

# ---- home -----------------------------------------------------------------------
get "$P" / >/dev/null
has "$tmp/page" "còn 12 ngày" && has "$tmp/page" "Chưa bắt đầu" && has "$tmp/page" "Đã đánh giá 0/30 chỉ tiêu"
check home_days_left $? "$(grep -o 'facts.\{0,400\}' "$tmp/page" | head -1)"
get "$F" / >/dev/null
has "$tmp/page" "Trường THCS Nguyễn Hữu Thọ" && has "$tmp/page" "Trường THCS Huỳnh Tấn Phát" && has "$tmp/page" "còn 12 ngày"
check home_office_units $?

# ---- council -----------------------------------------------------------------------
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$P" --data-urlencode "decision_number=15/QĐ-THCSNHT" "$base/danh-gia/$A/hoi-dong")
check post_without_csrf_403 "$([ "$st" = 403 ]; echo $?)" "status $st"

r=$(post "$P" "/danh-gia/$A/hoi-dong" kind=hoi_dong "decision_number=15/QĐ-THCSNHT" decision_date=10/02/2025)
get "$P" "/danh-gia/$A/hoi-dong" >/dev/null
case $r in 303*) has "$tmp/page" "Quyết định số 15/QĐ-THCSNHT ngày 10 tháng 02 năm 2025";; *) false;; esac
check council_formed $? "$r"

acc_dung=$(grep -o '<option value="[0-9]*">Phạm Thị Dung' "$tmp/page" | grep -o '[0-9]*' | head -1)
acc_an=$(grep -o '<option value="[0-9]*">Nguyễn Văn An' "$tmp/page" | grep -o '[0-9]*' | head -1)
r1=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien" mode=account "account_id=$acc_an" "job_title=Hiệu trưởng" post=chu_tich)
r2=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien" mode=account "account_id=$acc_dung" "job_title=Giáo viên Tin học" post=thu_ky)
get "$P" "/danh-gia/$A/hoi-dong" >/dev/null
case "$r1 $r2" in "303 "*" 303 "*) has "$tmp/page" "Phạm Thị Dung" && has "$tmp/page" "Thư ký";; *) false;; esac
check council_member_added $? "$r1" "$r2"

r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien" mode=new "full_name=Lê Thị Yến" "new_job_title=Tổ trưởng chuyên môn" \
	new_post=uy_vien login=gv.yen password=matkhau-ban-dau)
get "$P" "/danh-gia/$A/hoi-dong" >/dev/null
case $r in 303*) has "$tmp/page" "Lê Thị Yến";; *) false;; esac
check council_new_account_added $? "$r"
st=$(signin "$Y" gv.yen matkhau-ban-dau)
check new_account_signs_in "$([ "$st" = 303 ]; echo $?)" "status $st"

r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien" mode=new "full_name=Trần Văn Sỹ" "new_job_title=Nhân viên thiết bị" new_post=chu_tich)
check second_chair_refused "$(case $r in 422*) has "$tmp/page" "đã có chủ tịch"; echo $?;; *) echo 1;; esac)" "$r"

acc_other=2   # ht.htp, the second account the CLI created: the other school's principal
r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien" mode=account "account_id=$acc_other" post=uy_vien)
check foreign_account_refused "$(case $r in 422*) has "$tmp/page" "không thuộc đơn vị"; echo $?;; *) echo 1;; esac)" "$r"

get "$P" "/danh-gia/$A/hoi-dong" >/dev/null
m_yen=$(grep -o 'Lê Thị Yến.\{0,900\}' "$tmp/page" | grep -o 'thanh-vien/[0-9]*"' | head -1 | grep -o '[0-9]*')
m_dung=$(grep -o 'Phạm Thị Dung.\{0,900\}' "$tmp/page" | grep -o 'thanh-vien/[0-9]*"' | head -1 | grep -o '[0-9]*')
m_an=$(grep -o 'Nguyễn Văn An (bạn).\{0,900\}' "$tmp/page" | grep -o 'thanh-vien/[0-9]*"' | head -1 | grep -o '[0-9]*')
r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien/$m_yen" tc=1.4 tc=2.1)
get "$P" "/danh-gia/$A/hoi-dong/thanh-vien/$m_yen" >/dev/null
case $r in 303*) has "$tmp/page" 'value="1.4" checked' && has "$tmp/page" 'value="2.1" checked' && ! has "$tmp/page" 'value="1.2" checked';; *) false;; esac
check council_items_assigned $? "$r member $m_yen"
r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien/$m_dung")
check assign_nothing_clears "$(case $r in 303*) echo 0;; *) echo 1;; esac)" "$r"
r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien/$m_yen" tc=9.9)
check assign_unknown_item_refused "$(case $r in 422*) echo 0;; *) echo 1;; esac)" "$r"

r1=$(post "$P" "/danh-gia/$A/nhiem-vu" "title=Thu thập minh chứng các quyết định thành lập Ban chỉ đạo" \
	"due=$(TZ=Asia/Ho_Chi_Minh date -d '+5 days' +%F)" "due_label=Tháng này" "owner=$m_dung" "members=$m_yen")
r2=$(post "$P" "/danh-gia/$A/nhiem-vu" "title=Tổng hợp minh chứng, báo cáo kết quả tự đánh giá" "due=$due" "owner=$m_an")
get "$P" "/danh-gia/$A/hoi-dong" >/dev/null
case "$r1 $r2" in "303 "*" 303 "*) has "$tmp/page" "Thu thập minh chứng các quyết định" && has "$tmp/page" "còn 5 ngày";; *) false;; esac
check task_added $? "$r1" "$r2"
t1=$(grep -o 'action="/danh-gia/[0-9]*/nhiem-vu/[0-9]*"' "$tmp/page" | head -1 | grep -o '[0-9]*"' | grep -o '[0-9]*')
t2=$(grep -o 'action="/danh-gia/[0-9]*/nhiem-vu/[0-9]*"' "$tmp/page" | sed -n 2p | grep -o '[0-9]*"' | grep -o '[0-9]*')
r=$(post "$Y" "/danh-gia/$A/nhiem-vu/$t1" status=doing)
check task_status_by_participant "$(case $r in 303*) echo 0;; *) echo 1;; esac)" "$r task $t1"
r=$(post "$Y" "/danh-gia/$A/nhiem-vu/$t2" status=done)
check task_status_not_hers_403 "$(case $r in 403*) echo 0;; *) echo 1;; esac)" "$r task $t2"
r=$(post "$Y" "/danh-gia/$A/hoi-dong/thanh-vien" mode=new "full_name=Người Lạ" new_post=uy_vien)
check member_cannot_manage_council_403 "$(case $r in 403*) echo 0;; *) echo 1;; esac)" "$r"

# ---- the form: assigned items only ---------------------------------------------------------
r=$(post "$P" "/danh-gia/$A" f:1.1=1 v:1.1=1)
r1=$(post "$Y" "/danh-gia/$A" f:1.4=1 v:1.4=35)
check member_edits_assigned_item "$(case "$r $r1" in "303 "*" 303 "*) echo 0;; *) echo 1;; esac)" "$r" "$r1"
r=$(post "$Y" "/danh-gia/$A" f:1.2=1 v:1.2=1)
st=$(get "$Y" "/danh-gia/$A")
case $r in 303*) false;; *) has "$tmp/page" 'name="v:1.2" value="1" disabled' && ! has "$tmp/page" 'name="v:1.2" value="1" checked';; esac
check member_refused_unassigned_item $? "$r"
get "$Y" / >/dev/null
has "$tmp/page" "Chỉ tiêu phân công cho bạn (đã đánh giá 1/2)" && has "$tmp/page" "Nhiệm vụ của bạn" && has "$tmp/page" "còn 5 ngày"
check home_member_items_and_tasks $?

# ---- approval --------------------------------------------------------------------------------
python3 -c 'import json,sys; print(json.dumps({"answers": json.load(open(sys.argv[1]))["answers"]}))' "$FIXTURE" >"$tmp/answers.json"
st=$(curl -s -o "$tmp/page" -w '%{http_code}' -b "$P" -X PUT -H "X-CSRF-Token: $(csrf "$P")" -H 'Content-Type: application/json' \
	--data-binary @"$tmp/answers.json" "$base/api/v1/danh-gia/$A/tra-loi")
r1=$(post "$P" "/danh-gia/$A/chuyen" action=consolidate)
r2=$(post "$P" "/danh-gia/$A/chuyen" action=approve)
get "$P" "/danh-gia/$A/gui" >/dev/null
case "$st $r1 $r2" in "200 303 "*" 303 "*) has "$tmp/page" "Đã phê duyệt: <strong>Nguyễn Văn An</strong>, lúc";; *) false;; esac
check approval_shows_who_and_when $? "answers $st" "$r1" "$r2"
get "$P" "/danh-gia/$A" >/dev/null
has "$tmp/page" "Phiếu đã khóa"
check form_shows_approval $?
r=$(post "$P" "/danh-gia/$A" f:1.1=1 v:1.1=0)
check approval_locks_form_409 "$(case $r in 409*) echo 0;; *) echo 1;; esac)" "$r"
r=$(post "$Y" "/danh-gia/$A" f:1.4=1 v:1.4=1)
check approval_locks_member_409 "$(case $r in 409*) echo 0;; *) echo 1;; esac)" "$r"
r=$(post "$P" "/danh-gia/$A/chuyen" action=submit)
get "$P" "/danh-gia/$A/gui" >/dev/null
case $r in "303 $base/danh-gia/$A/gui") has "$tmp/page" "trạng thái: <strong>Đã phê duyệt</strong>";; *) false;; esac
check submit_needs_the_letter_page $? "$r"

# ---- submission ---------------------------------------------------------------------------------
has "$tmp/page" "TỜ TRÌNH" && has "$tmp/page" "Kính gửi: Phòng Giáo dục và Đào tạo Quận 7." &&
	has "$tmp/page" "Trường THCS Nguyễn Hữu Thọ đã hoàn thành tự đánh giá" && has "$tmp/page" "Kết quả chung: Mức" &&
	has "$tmp/page" "Quyết định số 15/QĐ-THCSNHT" && has "$tmp/page" "còn 12 ngày"
check letter_prefilled_from_data $?
r=$(post "$M" "/danh-gia/$A/gui" do=send letter=x)
check submit_by_member_403 "$(case $r in 403*) echo 0;; *) echo 1;; esac)" "$r"
r=$(post "$P" "/danh-gia/$A/gui" do=save "letter=Bản nháp tờ trình")
get "$P" "/danh-gia/$A/gui" >/dev/null
check letter_draft_saved "$(case $r in 303*) has "$tmp/page" ">Bản nháp tờ trình</textarea>"; echo $?;; *) echo 1;; esac)" "$r"
r=$(post "$P" "/danh-gia/$A/gui" do=send "letter=  ")
check empty_letter_refused "$(case $r in 422*) echo 0;; *) echo 1;; esac)" "$r"
letter='TỜ TRÌNH về việc đề nghị đánh giá ngoài <script>alert(1)</script> — Trường THCS Nguyễn Hữu Thọ'
r=$(post "$P" "/danh-gia/$A/gui" do=send "letter=$letter")
get "$P" "/danh-gia/$A/to-trinh" >/dev/null
case $r in 303*) has "$tmp/page" "đánh giá ngoài &lt;script&gt;alert(1)&lt;/script&gt; — Trường" && ! has "$tmp/page" "<script>alert";; *) false;; esac
check submission_stores_letter $? "$r"
get "$P" "/danh-gia/$A/gui" >/dev/null
has "$tmp/page" "trạng thái: <strong>Đã gửi</strong>" && has "$tmp/page" "Tờ trình đã gửi"
check submitted_state $?
get "$F" "/danh-gia/$A/to-trinh" >/dev/null
check office_reads_letter "$(has "$tmp/page" "&lt;script&gt;"; echo $?)"

# ---- return for supplement -------------------------------------------------------------------------
r=$(post "$F" "/xet-duyet/$A/tra-lai" "ly_do=Bổ sung minh chứng theo các chỉ tiêu dưới đây" "han=$supp" \
	"r:1.4=Thiếu ảnh chụp học liệu số trên hệ thống" "r:2.1=Quyết định thành lập bộ phận chưa có chữ ký")
case $r in
404*)
	# the office's review pages (page_office.c) write the reasons; without
	# them in this build there is nothing to return with
	for n in returned_view_reasons_per_item form_shows_reason_inline returned_form_editable_again home_shows_return; do
		echo "ok $n # SKIP no office return route (/xet-duyet/ID/tra-lai) in this build"
	done ;;
*)
	get "$P" "/danh-gia/$A/bo-sung" >/dev/null
	case $r in 303*) has "$tmp/page" "Thiếu ảnh chụp học liệu số trên hệ thống" && has "$tmp/page" "Quyết định thành lập bộ phận chưa có chữ ký" &&
		has "$tmp/page" "Lê Văn Cường" && has "$tmp/page" "còn 20 ngày";; *) false;; esac
	check returned_view_reasons_per_item $? "$r"
	get "$Y" "/danh-gia/$A" >/dev/null
	has "$tmp/page" "Yêu cầu bổ sung:</strong> Thiếu ảnh chụp học liệu số" && has "$tmp/page" "Hồ sơ bị trả lại để bổ sung"
	check form_shows_reason_inline $?
	r=$(post "$Y" "/danh-gia/$A" f:1.4=1 v:1.4=40)
	check returned_form_editable_again "$(case $r in 303*) echo 0;; *) echo 1;; esac)" "$r"
	get "$P" / >/dev/null
	has "$tmp/page" "Hạn nộp bổ sung" && has "$tmp/page" "Bị trả lại để bổ sung"
	check home_shows_return $?
	;;
esac

# ---- another school -----------------------------------------------------------------------------------
bad=""
for p in "/danh-gia/$A/hoi-dong" "/danh-gia/$A/hoi-dong/thanh-vien/$m_yen" "/danh-gia/$A/gui" "/danh-gia/$A/to-trinh" "/danh-gia/$A/bo-sung"; do
	st=$(get "$O" "$p")
	case $st in 403|404) ;; *) bad="$bad GET $p=$st";; esac
done
for p in "/danh-gia/$A/hoi-dong" "/danh-gia/$A/hoi-dong/thanh-vien" "/danh-gia/$A/hoi-dong/thanh-vien/$m_yen" \
	"/danh-gia/$A/hoi-dong/thanh-vien/$m_yen/xoa" "/danh-gia/$A/nhiem-vu" "/danh-gia/$A/nhiem-vu/$t1" "/danh-gia/$A/gui"; do
	r=$(post "$O" "$p" mode=new full_name=X post=uy_vien status=done do=save letter=x tc=1.1)
	case $r in 403*|404*) ;; *) bad="$bad POST $p=$r";; esac
done
check other_school_refused "$([ -z "$bad" ]; echo $?)" "$bad"
# the other school's own member ids are not this council's
r=$(post "$O" "/danh-gia/$B/hoi-dong/thanh-vien/$m_yen")
check member_of_other_council_404 "$(case $r in 404*|409*) echo 0;; *) echo 1;; esac)" "$r"
st=$(curl -s -o /dev/null -w '%{http_code}' "$base/danh-gia/$A/hoi-dong")
check anonymous_redirected "$([ "$st" = 303 ]; echo $?)" "status $st"

kill -TERM "$server_pid"; wait "$server_pid"; st=$?; server_pid=
# a clean stop, and nothing from the sanitizers (ASan/UBSan builds) on stderr
! grep -qE "runtime error|Sanitizer" "$tmp/serve.err" && [ "$st" -eq 0 ]
check server_stopped_cleanly $? "exit $st" "$(head -5 "$tmp/serve.err")"
