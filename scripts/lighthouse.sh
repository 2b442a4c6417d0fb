#!/bin/sh
# scripts/lighthouse.sh — Lighthouse (mobile) on six pages of the demo, each as its role:
# the sign-in page, the public area page, the school's home, its self-assessment form and
# its evidence page (the principal of a school in draft), the Sở's round summary (its
# officer). Prints accessibility, best-practices, performance and SEO per page, and the
# failing audits of the first two; exits 1 when accessibility or best-practices is under 100
# on any page (issue 20). The reports (HTML and JSON) go to $OUT (build/lighthouse).
#
# A documentation tool, not a test: not part of `make check`, and Chiso never fetches it.
# Lighthouse comes from npm, pinned (LIGHTHOUSE_VERSION), installed on first use into
# $LIGHTHOUSE_HOME (~/.cache/chiso-lighthouse), outside the repository and outside the
# vendored test/browser tree. It drives Debian's Chromium (CHROME_PATH, /usr/bin/chromium).
# Signed-in pages: the session cookie of a curl sign-in, sent by Lighthouse as an extra
# header. Usage: sh scripts/lighthouse.sh [build/chiso]; docs/accessibility.md has the
# figures of the last run.
set -u
CHISO=${1:-${CHISO:-build/chiso}}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-12.8.2}
LIGHTHOUSE_HOME=${LIGHTHOUSE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/chiso-lighthouse}
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=${OUT:-$root/build/lighthouse}
export CHROME_PATH

die() { echo "lighthouse: $*" >&2; exit 2; }
[ -x "$CHISO" ] || die "no $CHISO (make all first)"
[ -x "$CHROME_PATH" ] || die "no Chromium at $CHROME_PATH (scripts/install-deps.sh)"
command -v npm >/dev/null || die "npm missing (scripts/install-deps.sh)"

lh="$LIGHTHOUSE_HOME/node_modules/.bin/lighthouse"
if ! [ -x "$lh" ] || [ "$("$lh" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
	echo "# installing lighthouse@$LIGHTHOUSE_VERSION into $LIGHTHOUSE_HOME"
	mkdir -p "$LIGHTHOUSE_HOME"
	npm install --prefix "$LIGHTHOUSE_HOME" --no-audit --no-fund --no-save "lighthouse@$LIGHTHOUSE_VERSION" \
		>"$LIGHTHOUSE_HOME/npm.log" 2>&1 || { tail -5 "$LIGHTHOUSE_HOME/npm.log" >&2; die "npm install failed"; }
fi

tmp=$(mktemp -d)
server_pid=
. "$root/test/cli/lib/web.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

demo_fixture || die "the demo data set could not be built"
start_server || die "chiso serve did not start"
q() { sqlite3 -batch "$tmp/chiso.db" "$1"; }
R=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
A=$(q "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '52101001' AND a.round_id = $R")
# the public area with the most schools (the first of /cong-khai's list)
area=$(curl -s "$base/cong-khai" | sed -n 's|.*href="\(/cong-khai/khu-vuc/[0-9]*\)".*|\1|p' | head -1)
[ -n "$R" ] && [ -n "$A" ] && [ -n "$area" ] || die "demo: round '$R', assessment '$A', area '$area'"

# cookie_header LOGIN — "Cookie: …" of a fresh session of LOGIN, as Lighthouse's extra headers (JSON)
cookie_header() {
	jar="$tmp/jar.$1"
	st=$(signin "$jar" "$1")
	[ "$st" = 303 ] || die "sign-in of $1: HTTP $st"
	c=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar")
	printf '{"Cookie": "%s"}' "$c"
}
principal=$(cookie_header ht.52101001)
office=$(cookie_header so.binhdinh)

mkdir -p "$OUT"
rm -f "$OUT"/*.report.json "$OUT"/*.report.html
fail=0
printf '%-16s %-34s %6s %6s %6s %6s\n' page path a11y bp perf seo
# run NAME PATH [HEADERS]
run() {
	name=$1 path=$2 headers=${3:-}
	set -- --quiet --form-factor=mobile --only-categories=accessibility,best-practices,performance,seo \
		--chrome-flags="--headless=new --no-sandbox --disable-gpu" --output=json --output=html \
		--output-path="$OUT/$name" --max-wait-for-load=60000
	[ -n "$headers" ] && set -- "$@" --extra-headers="$headers"
	if ! "$lh" "$base$path" "$@" >"$OUT/$name.log" 2>&1; then
		echo "$name: lighthouse failed"; tail -5 "$OUT/$name.log"; fail=1; return
	fi
	node -e '
		const r = require(process.argv[1]), c = r.categories, s = (k) => Math.round(c[k].score * 100);
		console.log([process.argv[2].padEnd(16), process.argv[3].padEnd(34)].concat(
			["accessibility", "best-practices", "performance", "seo"].map((k) => String(s(k)).padStart(6))).join(" "));
		if (r.finalDisplayedUrl && !r.finalDisplayedUrl.endsWith(process.argv[3])) console.log("  landed on " + r.finalDisplayedUrl);
		let bad = 0;
		for (const k of ["accessibility", "best-practices"]) {
			if (s(k) === 100) continue;
			bad = 1;
			for (const ref of c[k].auditRefs) {
				const a = r.audits[ref.id];
				if (ref.weight > 0 && a.score !== null && a.score < 1) console.log("  " + k + ": " + a.id + " — " + a.title);
			}
		}
		process.exit(bad);' "$OUT/$name.report.json" "$name" "$path" || fail=1
}
run sign-in /dang-nhap
run public-area "$area"
run school-home / "$principal"
run school-form "/danh-gia/$A" "$principal"
run school-evidence "/danh-gia/$A/minh-chung" "$principal"
run office-summary "/tong-hop/$R" "$office"
echo "# Lighthouse $("$lh" --version), $(date -u +%F), $("$CHROME_PATH" --version 2>/dev/null | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg); reports in $OUT"
exit $fail
