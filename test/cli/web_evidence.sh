#!/bin/sh
# HTTP tests of the evidence pages (page_evidence.c) against a real `chiso
# serve`: catalogue, filter, upload of several files with one refused,
# files kept across a form error, download and preview headers, links,
# criteria, reuse from the previous round, deletion, CSRF, and another
# school's evidence refused on every route. One "ok NAME" / "not ok NAME"
# line per case (test/run.sh counts them).
#
# The data is made with the CLI (unit import, round open, user add): a Sở,
# two THCS, the 2024-2025 and 2025-2026 rounds; the rest goes through HTTP
# as a user would do it.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
FIX=$(pwd)/test/fixtures/blob
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# check NAME CONDITION-COMMAND… — ok when the command succeeds
check() { name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name" "failed: $*"; fi; }
has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }
# the last status line: a large upload first gets "100 Continue"
status_is() { [ "$(grep '^HTTP/' "$1" | tail -1 | cut -d' ' -f2)" = "$2" ]; }
header() { tr -d '\r' <"$1" | grep -i "^$2:" | head -1 | cut -d: -f2- | sed 's/^ //'; }

db=$tmp/chiso.db
cat >"$tmp/units.csv" <<'EOF'
STT,Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục
1,79000000,Sở Giáo dục và Đào tạo Thử nghiệm,Sở,,,"1 Lê Duẩn, Phường Bến Nghé",Công lập
2,79001001,Trường THCS Nguyễn Huệ,THCS,79000000,79000000,"12 Nguyễn Huệ, Phường Bến Nghé",Công lập
3,79001002,Trường THCS Lê Lợi,THCS,79000000,79000000,"34 Lê Lợi, Phường Bến Thành",Công lập
EOF
{
	"$CHISO" unit import "$tmp/units.csv" --db "$db" --from 2020-01-01 &&
	"$CHISO" round open --office 79000000 --year 2024-2025 --framework thcs=qd4725-2022 --db "$db" &&
	"$CHISO" round open --office 79000000 --year 2025-2026 --framework thcs=qd4725-2022 --db "$db" &&
	"$CHISO" user add ht.a --name "Nguyễn Văn An" --password chiso2025 --role principal --unit 79001001 --db "$db" &&
	"$CHISO" user add ht.b --name "Trần Thị Bình" --password chiso2025 --role principal --unit 79001002 --db "$db"
} >"$tmp/setup.log" 2>&1 || { notok setup "$(tail -5 "$tmp/setup.log")"; exit 1; }
round2=$(sed -n 's/^Đã mở đợt đánh giá số \([0-9]*\):.*2025-2026.*/\1/p' "$tmp/setup.log")
"$CHISO" user add gv.a --name "Lê Thị Cúc" --password chiso2025 --role council_member --unit 79001001 \
	--round "$round2" --db "$db" >>"$tmp/setup.log" 2>&1 || { notok setup-member "$(tail -3 "$tmp/setup.log")"; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=http://127.0.0.1:$port
"$CHISO" serve --db "$db" --port "$port" --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/dang-nhap" && break; sleep 0.1; done

# ---- HTTP helpers: one cookie jar per account -----------------------------------
# get JAR PATH [NAME] — body in $tmp/NAME.html, headers in $tmp/NAME.h
get() { curl -s -D "$tmp/${3:-r}.h" -o "$tmp/${3:-r}.html" -b "$tmp/$1.jar" -c "$tmp/$1.jar" "$B$2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -b "$tmp/$1.jar" "$B$2"; }
csrf() { get "$1" / tok; grep -o 'name="_csrf" value="[^"]*"' "$tmp/tok.html" | head -1 | sed 's/.*value="//; s/"$//'; }
# post JAR PATH NAME curl-form-args… — multipart POST with the account's token
post() { jar=$1 path=$2 name=$3; shift 3
	curl -s -D "$tmp/$name.h" -o "$tmp/$name.html" -b "$tmp/$jar.jar" -c "$tmp/$jar.jar" -F "_csrf=$(csrf "$jar")" "$@" "$B$path"; }
post_code() { jar=$1 path=$2; shift 2
	curl -s -o /dev/null -w '%{http_code}' -b "$tmp/$jar.jar" -F "_csrf=$(csrf "$jar")" "$@" "$B$path"; }
signin() {
	rm -f "$tmp/$1.jar"
	curl -s -o "$tmp/login.html" -c "$tmp/$1.jar" "$B/dang-nhap"
	t=$(grep -o 'name="_csrf" value="[^"]*"' "$tmp/login.html" | head -1 | sed 's/.*value="//; s/"$//')
	curl -s -o /dev/null -w '%{http_code}' -b "$tmp/$1.jar" -c "$tmp/$1.jar" --data-urlencode "login=$2" \
		--data-urlencode "password=chiso2025" --data-urlencode "_csrf=$t" "$B/dang-nhap"
}
location() { header "$tmp/$1.h" Location; }
# what the form says when a kept-file field is not the server's own
KEEP_REFUSED="không còn hiệu lực"

# the server made its secret beside the database, for its owner only
check server-secret-0600 [ "$(stat -c %a "$db.secret" 2>/dev/null)" = 600 ]
check signin-a [ "$(signin a ht.a)" = 303 ]
check signin-b [ "$(signin b ht.b)" = 303 ]
check signin-member [ "$(signin g gv.a)" = 303 ]

# Each principal sees only his school's assessments: find them by page.
a_prev= a_cur= b_prev= b_cur=
for id in 1 2 3 4 5 6; do
	for who in a b; do
		[ "$(code $who /danh-gia/$id)" = 200 ] || continue
		get $who /danh-gia/$id as
		if has "$tmp/as.html" "2024-2025"; then eval "${who}_prev=$id"; else eval "${who}_cur=$id"; fi
	done
done
check find-assessments test -n "$a_prev" -a -n "$a_cur" -a -n "$b_prev" -a -n "$b_cur"
for x in "a $a_prev" "a $a_cur" "b $b_cur"; do
	set -- $x
	post_code "$1" "/danh-gia/$2/chuyen" -F action=start >/dev/null
done
get a "/danh-gia/$a_cur" as
check start-assessment has "$tmp/as.html" "Bản nháp"

# ---- catalogue and creation ------------------------------------------------------
get a "/danh-gia/$a_cur/minh-chung" cat
check catalogue-empty has "$tmp/cat.html" "Chưa có minh chứng nào"
check catalogue-add-button has "$tmp/cat.html" "/danh-gia/$a_cur/minh-chung/moi"
get a "/danh-gia/$a_cur/minh-chung/moi?tc=1.3.2" new
check form-multipart has "$tmp/new.html" 'enctype="multipart/form-data"'
check form-phone-camera has "$tmp/new.html" 'accept="image/*" capture="environment"'
check form-accepts-pdf has "$tmp/new.html" 'multiple accept="image/*,application/pdf'
check form-preselects-criterion has "$tmp/new.html" 'value="1.3.2" checked'

check create-without-csrf [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a.jar" -F tieu_de=x -F tc=1.1 \
	"$B/danh-gia/$a_cur/minh-chung/moi")" = 403 ]

# A form error (no title) keeps the file already uploaded: it comes back
# listed with a signed hidden field, and the second submission attaches it.
post a "/danh-gia/$a_cur/minh-chung/moi" keep -F tieu_de= -F tc=1.2 -F "tep=@$FIX/anh-lop-hoc.jpg;filename=Ảnh lớp học.jpg"
check form-error-422 status_is "$tmp/keep.h" 422
check form-error-message has "$tmp/keep.html" "Hãy nhập tên minh chứng"
check form-error-keeps-file has "$tmp/keep.html" 'name="giu" value="'
check form-error-keeps-name has "$tmp/keep.html" "Ảnh lớp học.jpg"
giu=$(grep -o 'name="giu" value="[^"]*"' "$tmp/keep.html" | head -1 | sed 's/.*value="//; s/"$//')
post a "/danh-gia/$a_cur/minh-chung/moi" kept -F "tieu_de=Ảnh lớp học có máy chiếu" -F tc=1.2 -F "giu=$giu"
check kept-file-created status_is "$tmp/kept.h" 303
e_kept=$(location kept | sed -n 's|^/minh-chung/\([0-9]*\).*|\1|p')
get a "/minh-chung/$e_kept" kept_d
check kept-file-attached has "$tmp/kept_d.html" "Ảnh lớp học.jpg"
# a forged kept-file field (right hash, wrong signature) is refused with the
# form: no item is made (the file the user meant to keep is not silently lost)
post a "/danh-gia/$a_cur/minh-chung/moi" forged -F "tieu_de=Giả mạo" -F tc=2.2 \
	-F "giu=$(sha256sum "$FIX/bao-cao.pdf" | cut -c1-64).00000000000000000000000000000000.bao-cao.pdf"
check forged-kept-file-refused status_is "$tmp/forged.h" 422
check forged-kept-file-said has "$tmp/forged.html" "$KEEP_REFUSED"
e_forged=$(location forged | sed -n 's|^/minh-chung/\([0-9]*\).*|\1|p')
check forged-kept-file-no-item [ -z "$e_forged" ]

# Several files at once, one a disguised executable: refused by name, the
# others stored with the item.
cp "$CHISO" "$tmp/ke-hoach.pdf"
post a "/danh-gia/$a_cur/minh-chung/moi" mix \
	-F "tieu_de=Kế hoạch dạy học trực tuyến <script>alert(1)</script>" -F "so_hieu=12/KH-THCSNH" -F "ngay=05/09/2025" \
	-F "noi_ban_hanh=Trường THCS Nguyễn Huệ" -F tc=1.1 -F tc=1.3 \
	-F "tep=@$FIX/bao-cao.pdf;filename=Báo cáo tổng hợp.pdf" -F "tep=@$FIX/may-chieu.png" -F "tep=@$tmp/ke-hoach.pdf" \
	-F "duong_dan=https://lms.truong.edu.vn Hệ thống học tập trực tuyến"
check upload-refused-422 status_is "$tmp/mix.h" 422
check upload-refused-names-file has "$tmp/mix.html" "«ke-hoach.pdf»: Định dạng tệp không được chấp nhận"
e1=$(grep -o 'action="/minh-chung/[0-9]*/tep"' "$tmp/mix.html" | head -1 | sed 's/[^0-9]//g')
get a "/minh-chung/$e1" d1
check upload-others-kept has "$tmp/d1.html" "Báo cáo tổng hợp.pdf"
check upload-others-kept-png has "$tmp/d1.html" "may-chieu.png"
check upload-exe-not-stored hasnt "$tmp/d1.html" "ke-hoach.pdf"
check evidence-code has "$tmp/d1.html" "MC-1.1-01"
check evidence-link-stored has "$tmp/d1.html" 'href="https://lms.truong.edu.vn"'
check xss-escaped-detail has "$tmp/d1.html" "&lt;script&gt;alert(1)&lt;/script&gt;"
check xss-not-raw hasnt "$tmp/d1.html" "<script>alert(1)"
check date-vietnamese has "$tmp/d1.html" "ngày 05 tháng 9 năm 2025"
pdf_id=$(grep -o "/minh-chung/$e1/tep/[0-9]*\"" "$tmp/d1.html" | head -1 | sed 's/.*tep\///; s/"//')
png_id=$(grep -o "/minh-chung/$e1/tep/[0-9]*\"" "$tmp/d1.html" | sed 's/.*tep\///; s/"//' | sort -u | grep -vx "$pdf_id" | head -1)
check preview-pdf-iframe has "$tmp/d1.html" "<iframe src=\"/minh-chung/$e1/tep/$pdf_id?xem=1\""
check preview-image-img has "$tmp/d1.html" "<img src=\"/minh-chung/$e1/tep/$png_id?xem=1\""

# ---- download and preview ----------------------------------------------------------
curl -s -D "$tmp/dl.h" -o "$tmp/dl.pdf" -b "$tmp/a.jar" "$B/minh-chung/$e1/tep/$pdf_id"
check download-200 status_is "$tmp/dl.h" 200
check download-bytes-identical [ "$(sha256sum <"$tmp/dl.pdf" | cut -c1-64)" = "$(sha256sum <"$FIX/bao-cao.pdf" | cut -c1-64)" ]
check download-type [ "$(header "$tmp/dl.h" Content-Type)" = application/pdf ]
check download-attachment-rfc5987 [ "$(header "$tmp/dl.h" Content-Disposition)" = \
	"attachment; filename=\"bao cao tong hop.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20h%E1%BB%A3p.pdf" ]
check download-nosniff [ "$(header "$tmp/dl.h" X-Content-Type-Options)" = nosniff ]
check download-not-framable [ "$(header "$tmp/dl.h" X-Frame-Options)" = DENY ]
curl -s -D "$tmp/pv.h" -o /dev/null -b "$tmp/a.jar" "$B/minh-chung/$e1/tep/$pdf_id?xem=1"
check preview-inline-value [ "$(header "$tmp/pv.h" Content-Disposition | cut -d';' -f1)" = inline ]
check preview-frame-self [ "$(header "$tmp/pv.h" X-Frame-Options)" = SAMEORIGIN ]
check preview-csp-one-header [ "$(tr -d '\r' <"$tmp/pv.h" | grep -ci '^content-security-policy:')" = 1 ]
check preview-csp-frame-ancestors-self sh -c "tr -d '\r' <'$tmp/pv.h' | grep -i '^content-security-policy:' | grep -qF \"frame-ancestors 'self'\""
curl -s -D "$tmp/pi.h" -o "$tmp/pi.png" -b "$tmp/a.jar" "$B/minh-chung/$e1/tep/$png_id?xem=1"
check preview-image-type [ "$(header "$tmp/pi.h" Content-Type)" = image/png ]
check preview-image-bytes cmp -s "$tmp/pi.png" "$FIX/may-chieu.png"
check download-other-file-id [ "$(code a "/minh-chung/$e_kept/tep/$pdf_id")" = 404 ]
check download-anonymous [ "$(curl -s -o /dev/null -w '%{http_code}' "$B/minh-chung/$e1/tep/$pdf_id")" = 303 ]

# ---- more files: one over the limit, the other kept ----------------------------------
dd if=/dev/zero of="$tmp/scan-lon.pdf" bs=1048576 count=51 2>/dev/null
post a "/minh-chung/$e1/tep" big -F "tep=@$tmp/scan-lon.pdf" -F "tep=@$FIX/anh.gif"
check too-large-422 status_is "$tmp/big.h" 422
check too-large-names-file has "$tmp/big.html" "«scan-lon.pdf»: tệp lớn hơn 50 MB"
check too-large-other-kept has "$tmp/big.html" "anh.gif"
post a "/minh-chung/$e1/tep" none
check add-files-none-chosen has "$tmp/none.html" "Chưa chọn tệp nào"

# ---- links and criteria ---------------------------------------------------------------
post a "/minh-chung/$e1/duong-dan" link -F "duong_dan=Cổng thông tin: https://truong.edu.vn/cds"
check add-link status_is "$tmp/link.h" 303
get a "/minh-chung/$e1" d1
check add-link-label has "$tmp/d1.html" '>Cổng thông tin</a>'
post a "/minh-chung/$e1/duong-dan" badlink -F "duong_dan=ftp://truong.edu.vn"
check bad-link-refused has "$tmp/badlink.html" "cần bắt đầu bằng http:// hoặc https://"
post a "/minh-chung/$e1/gan" gan -F tc=2.2
check link-criterion status_is "$tmp/gan.h" 303
get a "/danh-gia/$a_cur/minh-chung?tc=2.2" f22
check filter-after-link has "$tmp/f22.html" "MC-1.1-01"
post a "/minh-chung/$e1/bo-gan" bo -F tc=2.2
check unlink-criterion status_is "$tmp/bo.h" 303
post a "/minh-chung/$e_kept/bo-gan" last -F tc=1.2
check unlink-last-refused has "$tmp/last.html" "ít nhất một tiêu chí"

# ---- the catalogue: codes in order, filters, files --------------------------------------
# a title alone is not evidence: refused (422), nothing stored (issue 16, item 4)
post a "/danh-gia/$a_cur/minh-chung/moi" empty -F "tieu_de=Minh chứng rỗng" -F tc=2.1
check empty-evidence-refused status_is "$tmp/empty.h" 422
check empty-evidence-message has "$tmp/empty.html" "ít nhất một tệp đính kèm hoặc một đường dẫn"
get a "/danh-gia/$a_cur/minh-chung" cat0
check empty-evidence-not-stored hasnt "$tmp/cat0.html" "Minh chứng rỗng"
post a "/danh-gia/$a_cur/minh-chung/moi" q21 -F "tieu_de=Quyết định thành lập ban chỉ đạo" -F tc=2.1 \
	-F "duong_dan=https://thcs.example.edu.vn/van-ban/qd-ban-chi-dao Quyết định trên trang của trường"
get a "/danh-gia/$a_cur/minh-chung" cat
check catalogue-lists-files has "$tmp/cat.html" "Báo cáo tổng hợp.pdf"
check catalogue-sizes has "$tmp/cat.html" "(PDF, 14 KB)"
check catalogue-xss-escaped hasnt "$tmp/cat.html" "<script>alert"
check catalogue-sorted-by-code [ "$(grep -o 'MC-[0-9.]*-[0-9]*' "$tmp/cat.html" | uniq | tr '\n' ' ')" = "MC-1.1-01 MC-1.2-01 MC-2.1-01 " ]
get a "/danh-gia/$a_cur/minh-chung?tc=1.3" f13
check filter-criterion has "$tmp/f13.html" "MC-1.1-01"
check filter-criterion-excludes hasnt "$tmp/f13.html" "MC-2.1-01"
get a "/danh-gia/$a_cur/minh-chung?tc=2" fg
check filter-group-not-a-criterion status_is "$tmp/fg.h" 404
get a "/danh-gia/$a_cur" form
check assessment-form-links has "$tmp/form.html" "<a href=\"/minh-chung/$e1\""
check assessment-form-add has "$tmp/form.html" "/danh-gia/$a_cur/minh-chung/moi?tc=1.4"
get a "/danh-gia/$a_cur/in" print
check print-view-codes has "$tmp/print.html" "MC-2.1-01"

# ---- reuse from the previous round --------------------------------------------------------
post a "/danh-gia/$a_prev/minh-chung/moi" old -F "tieu_de=Kế hoạch ứng dụng CNTT năm học 2024-2025" -F tc=2.2 \
	-F "tep=@$FIX/bien-ban.docx;filename=Kế hoạch CNTT.docx"
old=$(location old | sed -n 's|^/minh-chung/\([0-9]*\).*|\1|p')
check old-round-evidence [ -n "$old" ]
get a "/danh-gia/$a_cur/minh-chung/dung-lai" reuse
check reuse-lists-previous has "$tmp/reuse.html" "Kế hoạch ứng dụng CNTT năm học 2024-2025"
check reuse-offers-choice has "$tmp/reuse.html" "name=\"mc\" value=\"$old\""
post a "/danh-gia/$a_cur/minh-chung/dung-lai" reused -F "mc=$old" -F "mc=$e1"
check reuse-copies status_is "$tmp/reused.h" 303
get a "/danh-gia/$a_cur/minh-chung?tc=2.2" f22
check reuse-in-catalogue has "$tmp/f22.html" "Kế hoạch ứng dụng CNTT năm học 2024-2025"
check reuse-keeps-file has "$tmp/f22.html" "Kế hoạch CNTT.docx"
copy=$(grep -o 'href="/minh-chung/[0-9]*"' "$tmp/f22.html" | sed 's/[^0-9]//g' | grep -vx "$e_forged" | head -1)
get a "/minh-chung/$copy" cp
fid=$(grep -o "/minh-chung/$copy/tep/[0-9]*\"" "$tmp/cp.html" | head -1 | sed 's/.*tep\///; s/"//')
curl -s -o "$tmp/cp.docx" -b "$tmp/a.jar" "$B/minh-chung/$copy/tep/$fid"
check reuse-file-bytes cmp -s "$tmp/cp.docx" "$FIX/bien-ban.docx"
check reuse-marked-from-previous has "$tmp/cp.html" "Dùng lại từ hồ sơ đợt đánh giá trước"
get a "/danh-gia/$a_cur/minh-chung/dung-lai" reuse
check reuse-not-twice has "$tmp/reuse.html" "Đã dùng lại"
check reuse-not-twice-box hasnt "$tmp/reuse.html" "name=\"mc\" value=\"$old\""

# ---- another school: every route refused ------------------------------------------------
for u in "/danh-gia/$a_cur/minh-chung" "/danh-gia/$a_cur/minh-chung?tc=1.1" "/danh-gia/$a_cur/minh-chung/moi" \
         "/danh-gia/$a_cur/minh-chung/dung-lai" "/minh-chung/$e1" "/minh-chung/$e1/tep/$pdf_id" \
         "/minh-chung/$e1/tep/$pdf_id?xem=1" "/minh-chung/$old" "/danh-gia/$a_prev/minh-chung"; do
	c=$(code b "$u")
	case $c in 403|404) ok "other-school-get $u" ;; *) notok "other-school-get $u" "status $c" ;; esac
done
for u in "/danh-gia/$a_cur/minh-chung/moi" "/danh-gia/$a_cur/minh-chung/dung-lai" "/minh-chung/$e1/sua" \
         "/minh-chung/$e1/xoa" "/minh-chung/$e1/gan" "/minh-chung/$e1/bo-gan" "/minh-chung/$e1/tep" \
         "/minh-chung/$e1/duong-dan" "/minh-chung/$e1/tep/$pdf_id/xoa"; do
	c=$(post_code b "$u" -F tieu_de=x -F tc=1.1 -F mc="$old" -F "duong_dan=https://evil.example.com" -F "tep=@$FIX/anh.gif")
	case $c in 403|404) ok "other-school-post $u" ;; *) notok "other-school-post $u" "status $c" ;; esac
done
# …nor through its own pages: A's items are not among B's previous round's
post b "/danh-gia/$b_cur/minh-chung/dung-lai" steal -F "mc=$old" -F "mc=$e1"
get b "/danh-gia/$b_cur/minh-chung" bcat
check other-school-reuse-refused has "$tmp/bcat.html" "Chưa có minh chứng nào"
get a "/minh-chung/$e1" d1
check other-school-changed-nothing has "$tmp/d1.html" "Báo cáo tổng hợp.pdf"

# ---- kept-file tokens cannot be forged or carried elsewhere (issue 13, finding 2) -------
# The old token's MAC was keyed by SHA-256 of the session's CSRF token, which
# every form shows its user: A computes it for school B's file (its hash is
# in the API) and must be refused, B's bytes never reachable through A.
{ cat "$FIX/bao-cao.pdf"; printf '%% hop dong rieng cua truong B %s\n' "$$-$(date +%s%N)"; } >"$tmp/hop-dong-b.pdf"
post b "/danh-gia/$b_cur/minh-chung/moi" bfile -F "tieu_de=Hợp đồng lao động" -F tc=1.1 \
	-F "tep=@$tmp/hop-dong-b.pdf;filename=hop-dong-b.pdf"
check other-school-file-stored status_is "$tmp/bfile.h" 303
sha_b=$(sha256sum "$tmp/hop-dong-b.pdf" | cut -c1-64)
old_mac=$(python3 -c 'import hashlib, hmac, sys
k = hashlib.sha256(sys.argv[1].encode()).digest()
print(hmac.new(k, sys.argv[2].encode() + b"\0" + sys.argv[3].encode(), hashlib.sha256).hexdigest()[:32])' \
	"$(csrf a)" "$sha_b" stolen.pdf)
post a "/danh-gia/$a_cur/minh-chung/moi" stolen -F "tieu_de=Tệp lấy trộm" -F tc=1.4 -F "giu=$sha_b.$old_mac.stolen.pdf"
check csrf-keyed-token-refused status_is "$tmp/stolen.h" 422
check csrf-keyed-token-said has "$tmp/stolen.html" "$KEEP_REFUSED"
e_stolen=$(location stolen | sed -n 's|^/minh-chung/\([0-9]*\).*|\1|p')
if [ -n "$e_stolen" ]; then
	get a "/minh-chung/$e_stolen" stolen_d
	f_stolen=$(grep -o "/minh-chung/$e_stolen/tep/[0-9]*\"" "$tmp/stolen_d.html" | head -1 | sed 's/.*tep\///; s/"//')
	curl -s -o "$tmp/stolen.pdf" -b "$tmp/a.jar" "$B/minh-chung/$e_stolen/tep/${f_stolen:-0}"
fi
check csrf-keyed-token-no-item [ -z "$e_stolen" ]
check other-school-file-unreachable sh -c "! cmp -s '$tmp/stolen.pdf' '$tmp/hop-dong-b.pdf'"
get a "/danh-gia/$a_cur/minh-chung" acat
check csrf-keyed-token-not-listed hasnt "$tmp/acat.html" "Tệp lấy trộm"
# A genuine token is A's, for this assessment only: B cannot use it on his
# own assessment, nor A on her previous round's.
post a "/danh-gia/$a_cur/minh-chung/moi" keep2 -F tieu_de= -F tc=1.4 -F "tep=@$FIX/may-chieu.png;filename=Máy chiếu.png"
giu2=$(grep -o 'name="giu" value="[^"]*"' "$tmp/keep2.html" | head -1 | sed 's/.*value="//; s/"$//')
check keep-token-issued [ -n "$giu2" ]
post b "/danh-gia/$b_cur/minh-chung/moi" other_acc -F "tieu_de=Của người khác" -F tc=1.1 -F "giu=$giu2"
check keep-token-other-account-refused status_is "$tmp/other_acc.h" 422
check keep-token-other-account-said has "$tmp/other_acc.html" "$KEEP_REFUSED"
get b "/danh-gia/$b_cur/minh-chung" bcat2
check keep-token-other-account-no-item hasnt "$tmp/bcat2.html" "Của người khác"
post a "/danh-gia/$a_prev/minh-chung/moi" other_as -F "tieu_de=Hồ sơ khác" -F tc=1.4 -F "giu=$giu2"
check keep-token-other-assessment-refused status_is "$tmp/other_as.h" 422
check keep-token-other-assessment-said has "$tmp/other_as.html" "$KEEP_REFUSED"
# a token's fields cannot be edited: another file name, another hash
giu2_renamed=$(printf '%s' "$giu2" | sed 's/Máy chiếu\.png$/Khác.png/')
post a "/danh-gia/$a_cur/minh-chung/moi" renamed -F "tieu_de=Đổi tên" -F tc=1.4 -F "giu=$giu2_renamed"
check keep-token-renamed-refused status_is "$tmp/renamed.h" 422
giu2_other=$(printf '%s' "$giu2" | sed "s/^[0-9a-f]\{64\}/$sha_b/")
post a "/danh-gia/$a_cur/minh-chung/moi" resha -F "tieu_de=Đổi tệp" -F tc=1.4 -F "giu=$giu2_other"
check keep-token-other-hash-refused status_is "$tmp/resha.h" 422
# …and still works where it was made
post a "/danh-gia/$a_cur/minh-chung/moi" kept2 -F "tieu_de=Máy chiếu phòng học" -F tc=1.4 -F "giu=$giu2"
check keep-token-own-works status_is "$tmp/kept2.h" 303
get a "$(location kept2)" kept2_d
check keep-token-own-attached has "$tmp/kept2_d.html" "Máy chiếu.png"

# ---- a council member without assigned criteria: reads, cannot add ----------------------
check member-reads-catalogue [ "$(code g "/danh-gia/$a_cur/minh-chung")" = 200 ]
check member-reads-item [ "$(code g "/minh-chung/$e1")" = 200 ]
check member-cannot-add [ "$(code g "/danh-gia/$a_cur/minh-chung/moi")" = 403 ]
check member-cannot-post [ "$(post_code g "/danh-gia/$a_cur/minh-chung/moi" -F tieu_de=x -F tc=1.1)" = 403 ]
check member-cannot-delete [ "$(post_code g "/minh-chung/$e1/xoa")" = 403 ]

# ---- removal ---------------------------------------------------------------------------
check remove-without-csrf [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a.jar" -X POST "$B/minh-chung/$e1/tep/$png_id/xoa")" = 403 ]
post a "/minh-chung/$e1/tep/$png_id/xoa" rm
check remove-file status_is "$tmp/rm.h" 303
get a "/minh-chung/$e1" d1
check remove-file-gone hasnt "$tmp/d1.html" "may-chieu.png"
post a "/minh-chung/$e_kept/xoa" del
check delete-evidence [ "$(location del)" = "/danh-gia/$a_cur/minh-chung?tb=mc-da-xoa" ]
check delete-evidence-gone [ "$(code a "/minh-chung/$e_kept")" = 404 ]
post a "/danh-gia/$a_cur/minh-chung/moi" again -F "tieu_de=Quy chế dạy học trực tuyến" -F tc=1.2 \
	-F "duong_dan=https://thcs.example.edu.vn/van-ban/quy-che-day-hoc-truc-tuyen"
get a "$(location again)" again_d
check code-not-reused has "$tmp/again_d.html" "MC-1.2-02"

# ---- the server stops cleanly (and, under the sanitizers, without a report) ------------
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
check server-clean-exit [ "$rc" = 0 ]
check server-no-sanitizer-report sh -c "! grep -q 'Sanitizer\|runtime error' '$tmp/serve.err'"
