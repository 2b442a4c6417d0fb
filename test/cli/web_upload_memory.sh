#!/bin/sh
# Large uploads never sit in the server's memory: a 60 MB evidence file (over
# the 50 MB file limit, under the 64 MB body limit) is streamed to disk and
# refused by name; a 200 MB upload is refused from its headers (413) and
# chunked 200 MB bodies are counted and dropped. The server's peak resident
# memory (VmHWM) must stay within a small margin of where it started.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok server-start; exit 1; }
A=ht.52101001
[ "$(signin "$tmp/a" $A)" = 303 ] || { notok signin; exit 1; }
aid=$(curl -s -b "$tmp/a" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
[ -n "$aid" ] || { notok assessment-found; exit 1; }

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server_pid/status"; }
# warm up: the pages and the database caches are in memory before measuring
curl -s -o /dev/null -b "$tmp/a" "$base/danh-gia/$aid/minh-chung/moi"
curl -s -o /dev/null -b "$tmp/a" "$base/danh-gia/$aid"
before=$(kb VmRSS)
# sign-in's argon2id (64 MiB) already set the peak: start the peak afresh
echo 5 >"/proc/$server_pid/clear_refs"

# a PDF header followed by 60 MB of data: a plausible file that is too big
{ printf '%%PDF-1.4\n'; head -c 62914560 /dev/zero; } >"$tmp/big.pdf"
csrf=$(form_csrf "$tmp/a" "/danh-gia/$aid/minh-chung/moi")
st=$(curl -s -o "$tmp/r1.html" -w '%{http_code}' -b "$tmp/a" -F "_csrf=$csrf" -F "tieu_de=Tệp quá lớn" -F tc=1.1 \
	-F "tep=@$tmp/big.pdf;filename=ban-scan-rat-lon.pdf" "$base/danh-gia/$aid/minh-chung/moi")
if [ "$st" -ge 400 ] && grep -q 'ban-scan-rat-lon.pdf' "$tmp/r1.html"; then ok upload-60mb-refused-by-name
else notok upload-60mb-refused-by-name "status $st"; fi

# 200 MB declared: refused before the body is read
truncate -s 200M "$tmp/huge.pdf"
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" -F "_csrf=$csrf" -F "tieu_de=x" -F tc=1.1 \
	-F "tep=@$tmp/huge.pdf;filename=huge.pdf" "$base/danh-gia/$aid/minh-chung/moi")
[ "$st" = 413 ] && ok upload-200mb-413 || notok upload-200mb-413 "status $st"

# 200 MB chunked (no length announced): the server reads and drops it
st=$(head -c 209715200 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" \
	-H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary @- \
	"$base/danh-gia/$aid/minh-chung/moi")
case $st in 413|400|403) ok upload-200mb-chunked-refused ;; *) notok upload-200mb-chunked-refused "status $st" ;; esac

peak=$(kb VmHWM)
grow=$(( (peak - before) / 1024 ))
echo "# server memory: VmRSS before ${before} kB, peak VmHWM ${peak} kB (+${grow} MB) after 60 + 200 + 200 MB uploads"
# under ASan every allocation carries shadow memory and quarantine; allow more there
limit=24
case $CHISO in */asan/*) limit=96 ;; esac
if [ "$grow" -le "$limit" ]; then ok upload-memory-flat; else notok upload-memory-flat "+${grow} MB (limit ${limit} MB)"; fi
ls "$tmp/files/.tmp" 2>/dev/null | grep -q . && notok no-temp-files-left "$(ls "$tmp/files/.tmp")" || ok no-temp-files-left
server_clean server-clean-exit
