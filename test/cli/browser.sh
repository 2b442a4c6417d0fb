#!/bin/sh
# Browser tests (test/browser/run.js): Debian's Chromium driven by playwright-core
# against a `chiso serve` started here on a copy of the demo data set. Prints the
# "ok NAME" / "not ok NAME" lines of run.js; screenshots go to build/…/artefacts/.
# Needs chromium and nodejs/npm (scripts/install-deps.sh); playwright-core comes from
# test/browser/package-lock.json through `npm ci` (the npm cache is enough offline),
# and never downloads a browser.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/lib/web.sh"

for tool in node npm; do
	command -v $tool >/dev/null || { echo "not ok browser-setup ($tool missing: run scripts/install-deps.sh)"; exit 1; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "not ok browser-setup (/usr/bin/chromium missing: run scripts/install-deps.sh)"; exit 1; }

# playwright-core exactly as locked; reinstalled only when the lock file changes
stamp="$root/test/browser/node_modules/.chiso-lock"
if ! cmp -s "$root/test/browser/package-lock.json" "$stamp" 2>/dev/null; then
	export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
	if ! npm ci --prefix "$root/test/browser" --offline --no-audit --no-fund >"$tmp/npm.log" 2>&1 &&
	   ! npm ci --prefix "$root/test/browser" --prefer-offline --no-audit --no-fund >>"$tmp/npm.log" 2>&1; then
		echo "not ok browser-setup (npm ci failed)"; sed 's/^/  /' "$tmp/npm.log" | tail -5; exit 1
	fi
	cp "$root/test/browser/package-lock.json" "$stamp"
fi

demo_fixture || { echo "not ok browser-demo-fixture"; exit 1; }
start_server || { echo "not ok browser-server-start"; exit 1; }
artefacts="$(dirname "$CHISO")/artefacts"
rm -rf "$artefacts" && mkdir -p "$artefacts"
CHISO_URL=$base ARTEFACTS=$artefacts timeout 300 node "$root/test/browser/run.js"
rc=$?
[ $rc -eq 124 ] && echo "not ok browser-suite-timeout (over 5 minutes)"
server_clean browser-server-stops-clean
exit $rc
