#!/bin/sh
# Static assets, the favicon and HEAD against a real `chiso serve` on the demo
# data set (issue 20, items 5–6): one "ok NAME" / "not ok NAME" line per case.
#
#   favicon   /favicon.ico is an icon (not 404), the SVG one is linked from every page
#   head      HEAD on an asset, a page (signed out and in) and a missing path: the GET's
#             status and headers (Content-Type, Content-Length, Cache-Control), no body
#   hashed    pages link /static/chiso.<hash>.css and .js; the hashed name is cached for a
#             year (immutable) with an ETag, If-None-Match → 304 without a body on both
#             names, a wrong hash → 404, the plain name answers 200 with no-cache
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

if ! demo_fixture; then notok assets-demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok assets-server-start; exit 1; }
[ "$(signin "$tmp/jar" ht.52101001)" = 303 ] || { notok assets-signin; exit 1; }

# ---- favicon ----------------------------------------------------------------------
curl -s -D "$tmp/h" -o "$tmp/ico" "$base/favicon.ico"
if head -1 "$tmp/h" | grep -q ' 200' && grep -qi '^Content-Type: image/x-icon' "$tmp/h" &&
   [ "$(od -An -tx1 -N4 "$tmp/ico" | tr -d ' ')" = 00000100 ]; then ok favicon-ico
else notok favicon-ico "$(head -1 "$tmp/h")" "$(grep -i '^Content-Type' "$tmp/h")"; fi
curl -s -D "$tmp/h" -o "$tmp/svg" "$base/static/favicon.svg"
if grep -qi '^Content-Type: image/svg+xml' "$tmp/h" && grep -q '<svg' "$tmp/svg"; then ok favicon-svg; else notok favicon-svg; fi
for p in /dang-nhap / /khong-co-trang-nay; do
	jar=$tmp/jar; [ "$p" = /dang-nhap ] && jar=/dev/null   # signed in, the sign-in page redirects
	if curl -s -b "$jar" "$base$p" | grep -q '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'; then
		ok "favicon-linked $p"; else notok "favicon-linked $p"; fi
done

# ---- HEAD -------------------------------------------------------------------------
# the headers that must agree between GET and HEAD (not Date, not cookies)
same_headers() { grep -iE '^(HTTP/|Content-Type|Content-Length|Cache-Control|Location|Content-Security-Policy)' "$1" | tr -d '\r' | sort; }
head_like_get() { # NAME PATH [curl options]
	name=$1 path=$2; shift 2
	curl -s "$@" -D "$tmp/gh" -o "$tmp/gb" "$base$path"
	curl -s "$@" -I -o "$tmp/hh" "$base$path"
	curl -s "$@" -X HEAD -D - -o "$tmp/hb" --max-time 5 "$base$path" >/dev/null 2>&1   # read any body sent
	if [ -n "$(same_headers "$tmp/gh")" ] && [ "$(same_headers "$tmp/gh")" = "$(same_headers "$tmp/hh")" ] && [ ! -s "$tmp/hb" ]; then
		ok "$name"
	else
		notok "$name" "GET: $(same_headers "$tmp/gh" | tr '\n' '|')" "HEAD: $(same_headers "$tmp/hh" | tr '\n' '|')" "HEAD body: $(wc -c <"$tmp/hb") bytes"
	fi
}
head_like_get head-static-css /static/chiso.css
head_like_get head-static-js /static/chiso.js
head_like_get head-favicon /favicon.ico
head_like_get head-static-missing /static/khong-co.css
head_like_get head-page-signed-out /dang-nhap
head_like_get head-page-signed-in / -b "$tmp/jar"
head_like_get head-page-redirect /tai-khoan-cua-toi
head_like_get head-page-missing /khong-co-trang-nay
code=$(curl -s -I -o /dev/null -w '%{http_code}' "$base/dang-nhap")
[ "$code" = 200 ] && ok head-page-not-405 || notok head-page-not-405 "HEAD /dang-nhap → $code"

# ---- content-hashed names ---------------------------------------------------------
hdr() { tr -d '\r' <"$1" | sed -n "s/^$2: //ip" | head -1; }
curl -s -b "$tmp/jar" "$base/" >"$tmp/page"
css=$(grep -o '<link rel="stylesheet" href="/static/chiso\.[0-9a-f]\{10\}\.css">' "$tmp/page" | sed 's/.*href="\([^"]*\)".*/\1/')
js=$(grep -o '<script src="/static/chiso\.[0-9a-f]\{10\}\.js" defer>' "$tmp/page" | sed 's/.*src="\([^"]*\)".*/\1/')
if [ -n "$css" ] && [ -n "$js" ] && ! grep -q 'href="/static/chiso.css"\|src="/static/chiso.js"' "$tmp/page"; then ok hashed-linked
else notok hashed-linked "css=$css js=$js"; fi
for pair in "${css:-/static/chiso.x.css} /static/chiso.css" "${js:-/static/chiso.x.js} /static/chiso.js"; do
	set -- $pair; hashed=$1 plain=$2
	h=$(echo "$hashed" | sed 's/.*\.\([0-9a-f]*\)\.[a-z]*$/\1/')
	curl -s -D "$tmp/h" -o "$tmp/b" "$base$hashed"
	curl -s -o "$tmp/pb" "$base$plain"
	if head -1 "$tmp/h" | grep -q ' 200' && [ "$(hdr "$tmp/h" Cache-Control)" = "public, max-age=31536000, immutable" ] &&
	   [ "$(hdr "$tmp/h" ETag)" = "\"$h\"" ] && [ -s "$tmp/b" ] && cmp -s "$tmp/b" "$tmp/pb" &&
	   [ "$(sha256sum <"$tmp/b" | cut -c1-10)" = "$h" ]; then ok "hashed-get $plain"
	else notok "hashed-get $plain" "$(head -1 "$tmp/h")" "Cache-Control: $(hdr "$tmp/h" Cache-Control)" "ETag: $(hdr "$tmp/h" ETag)"; fi
	curl -s -D "$tmp/h" -o /dev/null "$base$plain"
	if head -1 "$tmp/h" | grep -q ' 200' && [ "$(hdr "$tmp/h" Cache-Control)" = no-cache ] && [ "$(hdr "$tmp/h" ETag)" = "\"$h\"" ]; then
		ok "plain-get $plain"
	else notok "plain-get $plain" "$(head -1 "$tmp/h")" "Cache-Control: $(hdr "$tmp/h" Cache-Control)" "ETag: $(hdr "$tmp/h" ETag)"; fi
	for path in "$hashed" "$plain"; do
		for inm in "\"$h\"" "W/\"$h\"" "\"0000000000\", \"$h\""; do
			rm -f "$tmp/b"   # curl writes no file when no body comes
			curl -s -D "$tmp/h" -o "$tmp/b" -H "If-None-Match: $inm" "$base$path"
			if ! head -1 "$tmp/h" | grep -q ' 304' || [ -s "$tmp/b" ] || [ "$(hdr "$tmp/h" ETag)" != "\"$h\"" ]; then
				notok "not-modified $path" "If-None-Match: $inm → $(head -1 "$tmp/h"), $(wc -c <"$tmp/b") bytes"; continue 2
			fi
		done
		code=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "0000000000"' "$base$path")
		[ "$code" = 200 ] && ok "not-modified $path" || notok "not-modified $path" "a stale ETag → $code"
	done
	code=$(curl -s -o /dev/null -w '%{http_code}' "$base$(echo "$hashed" | sed 's/\.[0-9a-f]*\.\([a-z]*\)$/.0123456789.\1/')")
	code2=$(curl -s -o /dev/null -w '%{http_code}' "$base$(echo "$hashed" | sed 's/\.[0-9a-f]*\.\([a-z]*\)$/.\1x/')")
	[ "$code" = 404 ] && [ "$code2" = 404 ] && ok "hashed-wrong $plain" || notok "hashed-wrong $plain" "$code $code2"
	head_like_get "head-hashed $plain" "$hashed"
done

server_clean assets-server-stops-clean
