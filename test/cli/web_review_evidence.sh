#!/bin/sh
# The evidence where reviewers work (issue 16, item 1), on the demo data set:
# the office's review page (/xet-duyet/{id}) and the external team's scoring
# page (/danh-gia-ngoai/{id}) list each item's evidence with its files behind
# "Xem tệp" (inline preview) and a download that the reviewer may open.
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

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
start_server || { notok server-start; exit 1; }
current() { curl -s -b "$1" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1; }
for who in ht.52102001 ht.52103001 so.binhdinh dgn.tranminhtuan; do
	[ "$(signin "$tmp/$who" $who)" = 303 ] || { notok "signin-$who"; exit 1; }
done
submitted=$(current "$tmp/ht.52102001")
evaluated=$(current "$tmp/ht.52103001")

# every file link of a page, opened by the same account: 200 and not an HTML page
files_open() {   # JAR PAGE
	links=$(grep -oE 'href="/minh-chung/[0-9]+/tep/[0-9]+"' "$2" | sed 's/href="//; s/"$//' | sort -u)
	[ -n "$links" ] || return 1
	for l in $links; do
		ct=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' -b "$1" "$base$l")
		case $ct in "200 text/html"*|"200 ") return 1 ;; 200*) ;; *) return 1 ;; esac
	done
}

curl -s -b "$tmp/so.binhdinh" "$base/xet-duyet/$submitted" >"$tmp/review.html"
check review-lists-evidence grep -q 'href="/minh-chung/[0-9]*"><strong>MC-' "$tmp/review.html"
check review-has-preview grep -q '<details class="ev-review"><summary>Xem tệp ' "$tmp/review.html"
check review-preview-inline grep -qE '<iframe src="/minh-chung/[0-9]+/tep/[0-9]+\?xem=1"|<img src="/minh-chung/[0-9]+/tep/[0-9]+\?xem=1"' "$tmp/review.html"
check review-files-open files_open "$tmp/so.binhdinh" "$tmp/review.html"

curl -s -b "$tmp/dgn.tranminhtuan" "$base/danh-gia-ngoai/$evaluated" >"$tmp/ext.html"
check external-lists-evidence grep -q 'href="/minh-chung/[0-9]*"><strong>MC-' "$tmp/ext.html"
check external-has-preview grep -q '<details class="ev-review"><summary>Xem tệp ' "$tmp/ext.html"
check external-files-open files_open "$tmp/dgn.tranminhtuan" "$tmp/ext.html"
# the other school's principal still may not open them
first=$(grep -oE 'href="/minh-chung/[0-9]+/tep/[0-9]+"' "$tmp/ext.html" | head -1 | sed 's/href="//; s/"$//')
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht.52102001" "$base$first")
case $st in 403|404) ok other-school-cannot-open ;; *) notok other-school-cannot-open "status $st for $first" ;; esac
server_clean server-clean-exit
