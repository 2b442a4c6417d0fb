#!/bin/sh
# Compression (issue 20, item 6): CSS and JS go gzip'd from the build
# (scripts/embed.sh) to a client that accepts gzip — the same bytes once
# inflated, their own ETag ("…-gz", 304 on it), Vary: Accept-Encoding — and
# as they are to one that does not (or says gzip;q=0); pages above 1 KiB are
# compressed on the fly, unless CHISO_COMPRESS=0. And the critical CSS
# (item 7): inline in the head, allowed by its hash; the rest at the end.
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
hdr() { tr -d '\r' <"$1" | sed -n "s/^$2: //Ip" | head -1; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok server-start; exit 1; }
curl -s "$base/dang-nhap" >"$tmp/page.html"
for kind in css js; do
	url=$(grep -o "/static/chiso\.[0-9a-f]*\.$kind" "$tmp/page.html" | head -1)
	[ -n "$url" ] || { notok "$kind-linked"; continue; }
	curl -s -D "$tmp/plain.h" -o "$tmp/plain.$kind" "$base$url"
	curl -s -D "$tmp/gz.h" -o "$tmp/gz.$kind.gz" -H 'Accept-Encoding: gzip, deflate, br' "$base$url"
	curl -s -D "$tmp/q0.h" -o /dev/null -H 'Accept-Encoding: gzip;q=0, identity' "$base$url"
	check "$kind-plain-identity" [ -z "$(hdr "$tmp/plain.h" Content-Encoding)" ]
	check "$kind-gzip" [ "$(hdr "$tmp/gz.h" Content-Encoding)" = gzip ]
	check "$kind-gzip-same-bytes" sh -c "gunzip -c '$tmp/gz.$kind.gz' | cmp -s - '$tmp/plain.$kind'"
	check "$kind-gzip-smaller" [ "$(wc -c <"$tmp/gz.$kind.gz")" -lt "$(wc -c <"$tmp/plain.$kind")" ]
	check "$kind-vary" [ "$(hdr "$tmp/gz.h" Vary)" = Accept-Encoding ]
	etag=$(hdr "$tmp/gz.h" ETag)
	check "$kind-gzip-own-etag" sh -c "case '$etag' in *-gz\\\") [ '$etag' != '$(hdr "$tmp/plain.h" ETag)' ] ;; *) false ;; esac"
	check "$kind-gzip-304" [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$base$url")" = 304 ]
	check "$kind-q0-identity" [ -z "$(hdr "$tmp/q0.h" Content-Encoding)" ]
	echo "# $kind: $(wc -c <"$tmp/plain.$kind") bytes, $(wc -c <"$tmp/gz.$kind.gz") gzip'd"
done
# a page: on the fly
curl -s -D "$tmp/p.h" -o "$tmp/p.gz" -H 'Accept-Encoding: gzip' "$base/dang-nhap"
check page-gzip [ "$(hdr "$tmp/p.h" Content-Encoding)" = gzip ]
check page-inflates sh -c "gunzip -c '$tmp/p.gz' | grep -q '<h1>Đăng nhập'"
check page-plain-without sh -c "curl -s -D - -o /dev/null '$base/dang-nhap' | tr -d '\\r' | grep -qi '^content-encoding' && exit 1 || exit 0"
curl -s -D "$tmp/s.h" -o "$tmp/s.json" -H 'Accept-Encoding: gzip' "$base/api/v1/toi"
check small-not-compressed sh -c "[ \$(wc -c <'$tmp/s.json') -lt 1024 ] && grep -q '\"' '$tmp/s.json' && ! tr -d '\\r' <'$tmp/s.h' | grep -qi '^content-encoding'"
echo "# /dang-nhap: $(curl -s "$base/dang-nhap" | wc -c) bytes, $(wc -c <"$tmp/p.gz") gzip'd"
# critical CSS (issue 20, item 7): inlined in the head and allowed by its hash alone; the
# rest of the stylesheet preloaded there and applied at the end of the body
curl -s -D "$tmp/c.h" -o "$tmp/c.html" "$base/dang-nhap"
cat >"$tmp/critical.py" <<'PY'
import base64, hashlib, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
hdr = open(sys.argv[2], encoding="utf-8").read()
head = html.split("</head>", 1)[0]
m = re.search(r"<style>(.*?)</style>", head, re.S)
assert m and ":root" in m.group(1) and "header.top" in m.group(1), "no critical CSS in the head"
h = base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()
csp = [l for l in hdr.splitlines() if l.lower().startswith("content-security-policy:")]
assert len(csp) == 1 and ("style-src 'self' 'sha256-%s';" % h) in csp[0] and "unsafe-inline" not in csp[0], csp
assert re.search(r'<link rel="preload" href="/static/chiso\.[0-9a-f]{10}\.css" as="style">', head), "no preload"
assert 'rel="stylesheet"' not in head, "a render-blocking stylesheet in the head"
assert re.search(r'</footer><link rel="stylesheet" href="/static/chiso\.[0-9a-f]{10}\.css"></body>', html), "no stylesheet at the end"
PY
check critical-inline-allowed-by-hash python3 "$tmp/critical.py" "$tmp/c.html" "$tmp/c.h"
stop_server
start_server CHISO_COMPRESS=0 || { notok server-start-2; exit 1; }
check compress-off-page-plain sh -c "! curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' '$base/dang-nhap' | tr -d '\\r' | grep -qi '^content-encoding: gzip'"
server_clean server-clean-exit
