#!/bin/sh
# Hostile requests against a real `chiso serve` (issue 13, findings 1, 3 and 6):
# one "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
#
#   long fields   a 2 MB and a 10 MB text field, signed out, urlencoded and
#                 multipart: 413 with a Vietnamese message, server memory
#                 grows by less than 8 MB (it grew with the square of the field)
#   form text     many fields over 1 MB together: 413; a 60 KB field is read
#   framing       a NUL or a control byte in the path, a NUL in a query or form
#                 value, two Content-Length headers: 400
#   csrf          the token in the query string is not accepted (403, nothing saved)
#   slow clients  1,000 connections from 5 addresses trickling headers: another
#                 address is still answered within 1 s
#   proxy         behind nginx the client is X-Forwarded-For's last address
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server_pid/status"; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok server-start; exit 1; }

# ---- long text fields, signed out ------------------------------------------------------------
curl -s -o /dev/null "$base/dang-nhap"
before=$(kb VmRSS)
for mb in 2 10; do
	python3 -c "import sys; sys.stdout.write('zz=' + 'A' * ($mb << 20))" >"$tmp/f$mb"
	st=$(curl -s -o "$tmp/r$mb" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
		--data-binary @"$tmp/f$mb" "$base/dang-nhap" --max-time 30)
	check "urlencoded-${mb}mb-field-413" [ "$st" = 413 ]
	check "urlencoded-${mb}mb-field-message" grep -q "ô nhập quá dài" "$tmp/r$mb"
	python3 -c "import sys; sys.stdout.write('A' * ($mb << 20))" >"$tmp/m$mb"
	st=$(curl -s -o /dev/null -w '%{http_code}' -F "ghi_chu=<$tmp/m$mb" "$base/dang-nhap" --max-time 30)
	check "multipart-${mb}mb-field-413" [ "$st" = 413 ]
done
after=$(kb VmRSS)
grew=$((after - before))
if [ "$grew" -lt 8192 ]; then ok long-fields-memory-flat; else notok long-fields-memory-flat "RSS grew by $grew kB"; fi
check server-alive-after-long-fields [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/dang-nhap")" = 200 ]

# ---- the whole form's text ---------------------------------------------------------------------
python3 -c "import sys; sys.stdout.write('&'.join('f%d=%s' % (i, 'B' * 60000) for i in range(20)))" >"$tmp/many"
st=$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$tmp/many" "$base/dang-nhap")
check form-text-over-1mb-413 [ "$st" = 413 ]
# under the limits the form is read: a 60 KB login is a wrong login, not a refusal
python3 -c "import sys; sys.stdout.write('login=' + 'x' * 60000 + '&password=y')" >"$tmp/long-login"
st=$(curl -s -o "$tmp/long-login.html" -w '%{http_code}' --data-binary @"$tmp/long-login" "$base/dang-nhap")
check field-under-limit-read [ "$st" != 413 ] && [ "$st" != 400 ]

# ---- framing and NUL ---------------------------------------------------------------------------
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check nul-in-path-400 [ "$(code "$base/static/chiso.css%00.js")" = 400 ]
check newline-in-path-400 [ "$(code "$base/dang-nhap%0a")" = 400 ]
check nul-in-query-400 [ "$(code "$base/dang-nhap?tiep=/a%00b")" = 400 ]
check nul-in-form-400 [ "$(code --data-binary 'login=a%00b&password=x' "$base/dang-nhap")" = 400 ]
check nul-in-multipart-text-400 [ "$(printf 'a\000b' >"$tmp/nul"; code -F "login=<$tmp/nul" "$base/dang-nhap")" = 400 ]
check two-content-lengths-400 [ "$(code -H 'Content-Length: 3' -H 'Content-Length: 4' --data-binary abc "$base/dang-nhap")" = 400 ]
check plain-static-still-200 [ "$(code "$base/static/chiso.css")" = 200 ]

# ---- CSRF only from the body or a header ------------------------------------------------------------
A=ht.52101001
[ "$(signin "$tmp/a" $A)" = 303 ] || { notok signin-a; exit 1; }
aid=$(curl -s -b "$tmp/a" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
csrf=$(form_csrf "$tmp/a" "/danh-gia/$aid")
st=$(code -b "$tmp/a" --data-urlencode 'ghi_chu:1.1=qua chuỗi truy vấn' "$base/danh-gia/$aid?_csrf=$csrf")
check csrf-in-query-403 [ "$st" = 403 ]
curl -s -b "$tmp/a" "$base/danh-gia/$aid" | grep -q 'qua chuỗi truy vấn' && notok csrf-in-query-nothing-saved || ok csrf-in-query-nothing-saved
st=$(code -b "$tmp/a" --data-urlencode "_csrf=$csrf" "$base/danh-gia/$aid")
check csrf-in-body-accepted [ "$st" != 403 ]

# ---- slow clients ----------------------------------------------------------------------------------
out=$(python3 "$(dirname "$0")/lib/slow_clients.py" "$port" 3)
failed=$(echo "$out" | sed -n 's/.*probes_failed=\([0-9]*\).*/\1/p')
worst=$(echo "$out" | sed -n 's/.*worst=\([0-9.]*\).*/\1/p')
if [ "$failed" = 0 ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1 else 1)" "$worst"; then
	ok slow-clients-do-not-starve-others
else notok slow-clients-do-not-starve-others "$out"; fi

server_clean server-clean-exit

# ---- behind nginx: the client is the last X-Forwarded-For address -----------------------------------
# (the ones before it are the client's own claim: choosing them must not
# escape the sign-in throttle)
start_server CHISO_BEHIND_PROXY=1 || { notok server-start-proxy; exit 1; }
wrong() {   # wrong XFF — a wrong password for one login, through "nginx"
	c=$(form_csrf "$tmp/x" /dang-nhap)
	curl -s -o /dev/null -w '%{http_code}' -b "$tmp/x" -H "X-Forwarded-For: $1" --data-urlencode login=ht.52102001 \
		--data-urlencode password=sai-mat-khau --data-urlencode "_csrf=$c" "$base/dang-nhap"
}
for i in 1 2 3 4 5 6; do st=$(wrong "198.51.100.$i, 203.0.113.9"); done
check proxy-throttled-after-failures [ "$st" = 429 ]
check proxy-spoofed-first-address-still-throttled [ "$(wrong "192.0.2.77, 203.0.113.9")" = 429 ]
server_clean server-clean-exit-proxy
