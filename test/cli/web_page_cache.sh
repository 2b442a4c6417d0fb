#!/bin/sh
# HTTP tests of the kept assessment page (page_cache.c, db_mark.c; issue
# 15, P1): the form a principal views twice is served the second time from
# memory, byte for byte the page rendered, with each session's own form
# token; and every change it shows is on the very next view — an answer, an
# item assigned to a council member, a permission withdrawn (the member
# taken off the council), a state change (approval locks the form), and a
# write by another process straight into the database. Another account is
# never served a page kept for someone else.
# One "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
# The server runs with CHISO_ROUND_TRIPS=1, so a kept page says so
# (X-Chiso-Kept: 1): a hit is seen, not guessed.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
FIXTURE="$PWD/test/fixtures/answers/qd4725-thcs.json"
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1 st=$2; shift 2; if [ "$st" -eq 0 ]; then ok "$name"; else notok "$name" "$@"; fi; }
has() { grep -qF -- "$2" "$1"; }

db="$tmp/chiso.db"
due=$(TZ=Asia/Ho_Chi_Minh date -d '+12 days' +%F)
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
	"$CHISO" user add gv.dung --name "Phạm Thị Dung" --password chiso2025 --role council_member --unit 79760301 --round 1 --db "$db"
}
if ! setup >"$tmp/setup.log" 2>&1; then notok setup "$(tail -5 "$tmp/setup.log")"; exit 1; fi

mkdir -p "$tmp/files"
start_server CHISO_ROUND_TRIPS=1 2>/dev/null || { notok setup "server did not start" "$(cat "$tmp/serve.err")"; exit 1; }

csrf() { form_csrf "$1" /; }
# view JAR — GET the form into $tmp/page (headers in $tmp/head); prints the status
view() { curl -s -o "$tmp/page" -D "$tmp/head" -w '%{http_code}' -b "$1" "$base/danh-gia/$A"; }
kept() { grep -qi '^X-Chiso-Kept: 1' "$tmp/head"; }
NL='
'
# post JAR PATH FIELD=VALUE… — with the session's token; prints "STATUS REDIRECT"
post() {
	jar=$1 path=$2; shift 2
	args="--data-urlencode${NL}_csrf=$(csrf "$jar")"
	for f in "$@"; do args="$args${NL}--data-urlencode${NL}$f"; done
	old=$IFS; IFS=$NL
	# shellcheck disable=SC2086
	curl -s -o "$tmp/post" -w '%{http_code} %{redirect_url}' -b "$jar" $args "$base$path"
	IFS=$old
}

P="$tmp/principal" P2="$tmp/principal2" M="$tmp/member" O="$tmp/other"
for x in "$P ht.nht" "$P2 ht.nht" "$M gv.dung" "$O ht.htp"; do
	set -- $x
	[ "$(signin "$1" "$2")" = 303 ] || { notok setup "sign-in $2 failed"; exit 1; }
done
curl -s -o "$tmp/home" -b "$P" "$base/"
A=$(grep -o 'href="/danh-gia/[0-9]*"' "$tmp/home" | head -1 | grep -o '[0-9]*')
[ -n "$A" ] || { notok setup "no assessment on the principal's home page"; exit 1; }
ok setup

# ---- kept, byte for byte, with each session's token ------------------------------------
st1=$(view "$P"); cp "$tmp/page" "$tmp/first"; k1=$(kept && echo hit || echo miss)
st2=$(view "$P"); k2=$(kept && echo hit || echo miss)
[ "$st1 $st2 $k1 $k2" = "200 200 miss hit" ] && cmp -s "$tmp/first" "$tmp/page"
check kept_page_same_bytes $? "statuses $st1 $st2, $k1 then $k2" "$(cmp "$tmp/first" "$tmp/page" 2>&1)"

# a hit is sent from the kept entry (http_lend); to a client accepting gzip it is copied and compressed
st=$(curl -s -o "$tmp/page.gz" -D "$tmp/head" -w '%{http_code}' -H 'Accept-Encoding: gzip' -b "$P" "$base/danh-gia/$A")
enc=$(grep -i '^Content-Encoding:' "$tmp/head" | tr -d '\r')
[ "$st" = 200 ] && kept && [ "$enc" = "Content-Encoding: gzip" ] && gunzip -c "$tmp/page.gz" | cmp -s - "$tmp/first"
check kept_page_gzip_same_bytes $? "status $st, ${enc:-no Content-Encoding}"
st=$(curl -s -o /dev/null -I -D "$tmp/head" -w '%{http_code}' -b "$P" "$base/danh-gia/$A")
check kept_page_head "$([ "$st" = 200 ] && kept; echo $?)" "HEAD: status $st"

t1=$(csrf "$P") t2=$(csrf "$P2")
st=$(view "$P2")
tokens=$(grep -o 'name="_csrf" value="[^"]*"' "$tmp/page" | sort -u)
[ "$st" = 200 ] && kept && [ "$t1" != "$t2" ] && [ "$tokens" = "name=\"_csrf\" value=\"$t2\"" ]
check kept_page_own_session_token $? "status $st, tokens in the page: $tokens, session's: $t2"
grep -q 'chisoFormTokenHole' "$tmp/first" "$tmp/page"
check no_hole_left "$([ $? -ne 0 ]; echo $?)"

st=$(curl -s -o /dev/null -w '%{http_code}' -b "$O" "$base/danh-gia/$A")
check other_account_refused "$([ "$st" = 403 ]; echo $?)" "status $st"

# ---- an answer ----------------------------------------------------------------------------
view "$P" >/dev/null
had=$(has "$tmp/page" 'name="v:1.1" value="1" checked' && echo yes || echo no)
r=$(post "$P2" "/danh-gia/$A" f:1.1=1 v:1.1=1)
st=$(view "$P")
case "$r" in 303*) [ "$had $st" = "no 200" ] && ! kept && has "$tmp/page" 'name="v:1.1" value="1" checked';; *) false;; esac
check answer_shows_on_next_view $? "save $r, checked before: $had, view $st"
view "$P" >/dev/null
kept && has "$tmp/page" 'name="v:1.1" value="1" checked'
check kept_again_after_the_answer $?

# ---- an assignment (a council member's items) -------------------------------------------------
r=$(post "$P" "/danh-gia/$A/hoi-dong" kind=hoi_dong "decision_number=15/QĐ-THCSNHT" decision_date=10/02/2025)
curl -s -o "$tmp/council" -b "$P" "$base/danh-gia/$A/hoi-dong"
acc_dung=$(grep -o '<option value="[0-9]*">Phạm Thị Dung' "$tmp/council" | grep -o '[0-9]*' | head -1)
r1=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien" mode=account "account_id=$acc_dung" "job_title=Giáo viên Tin học" post=uy_vien)
curl -s -o "$tmp/council" -b "$P" "$base/danh-gia/$A/hoi-dong"
m_dung=$(python3 -c 'import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"thanh-vien/([0-9]+)\"", s[s.find("Phạm Thị Dung"):][:4000])
print(m.group(1) if m else "")' "$tmp/council")
view "$M" >/dev/null; view "$M" >/dev/null
before=$(kept && has "$tmp/page" 'name="v:1.4" inputmode="numeric" size="6" value="" aria-label="1.4 — Số lượng' && echo ok)
dis_before=$(grep -o 'name="v:1.4"[^>]*>' "$tmp/page" | head -1)
r2=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien/$m_dung" tc=1.4)
st=$(view "$M")
dis_after=$(grep -o 'name="v:1.4"[^>]*>' "$tmp/page" | head -1)
case "$r $r1 $r2" in "303 "*" 303 "*" 303 "*)
	[ "$st" = 200 ] && ! kept && case $dis_before in *disabled*) true;; *) false;; esac &&
		case $dis_after in *disabled*) false;; *) [ -n "$dis_after" ];; esac;;
*) false;; esac
check assignment_shows_on_next_view $? "council $r, member $r1, assign $r2, view $st (kept before: ${before:-no})" \
	"before: $dis_before" "after: $dis_after"

# ---- a permission withdrawn: the member taken off the council -----------------------------------
view "$M" >/dev/null; view "$M" >/dev/null
was=$(kept && echo kept)
r=$(post "$P" "/danh-gia/$A/hoi-dong/thanh-vien/$m_dung/xoa")
st=$(view "$M")
case "$r" in 303*) [ "$was" = kept ] && [ "$st" = 403 ];; *) false;; esac
check permission_change_shows_on_next_view $? "remove $r, kept before: ${was:-no}, view after: $st"

# ---- a write by another process, straight into the database -----------------------------------
view "$P" >/dev/null; view "$P" >/dev/null
was=$(kept && echo kept)
python3 - "$db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE units SET name = 'Trường THCS Nguyễn Hữu Thọ (đổi tên)' WHERE code = '79760301'")
c.commit()
EOF
st=$(view "$P")
[ "$was $st" = "kept 200" ] && ! kept && has "$tmp/page" "Trường THCS Nguyễn Hữu Thọ (đổi tên)"
check other_process_write_shows $? "kept before: ${was:-no}, view $st"

# ---- a state change: approval locks the form ------------------------------------------------------
python3 -c 'import json,sys; print(json.dumps({"answers": json.load(open(sys.argv[1]))["answers"]}))' "$FIXTURE" >"$tmp/answers.json"
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$P" -X PUT -H "X-CSRF-Token: $(csrf "$P")" -H 'Content-Type: application/json' \
	--data-binary @"$tmp/answers.json" "$base/api/v1/danh-gia/$A/tra-loi")
r1=$(post "$P" "/danh-gia/$A/chuyen" action=consolidate)
view "$P" >/dev/null; view "$P" >/dev/null
label() { grep -o 'trạng thái: <strong>[^<]*</strong>' "$tmp/page" | head -1; }
was=$(kept && ! has "$tmp/page" "Phiếu đã khóa" && echo kept) l1=$(label)
r2=$(post "$P" "/danh-gia/$A/chuyen" action=approve)
sv=$(view "$P") l2=$(label)
case "$st $r1 $r2" in "200 303 "*" 303 "*)
	[ "$was" = kept ] && [ "$sv" = 200 ] && ! kept && [ -n "$l2" ] && [ "$l1" != "$l2" ] && has "$tmp/page" "Phiếu đã khóa";;
*) false;; esac
check state_change_shows_on_next_view $? "answers $st, consolidate $r1, approve $r2, before: ${was:-not kept} $l1, view $sv $l2"

# ---- without the cache: the same bytes -------------------------------------------------------------
view "$P" >/dev/null; cp "$tmp/page" "$tmp/with"
stop_server
start_server CHISO_PAGE_CACHE_MB=0 CHISO_ROUND_TRIPS=1 2>/dev/null || { notok same_bytes_without_cache "server did not restart"; exit 1; }
st=$(view "$P")
[ "$st" = 200 ] && ! kept && cmp -s "$tmp/with" "$tmp/page"
check same_bytes_without_cache $? "status $st" "$(cmp "$tmp/with" "$tmp/page" 2>&1)"
view "$P" >/dev/null
check nothing_kept_when_off "$(kept; [ $? -ne 0 ]; echo $?)"

server_clean server_stopped_cleanly
