# test/cli/lib/check.sh — the "ok NAME" / "not ok NAME" lines of the web
# tests that check the status and body of their last request in $tmp/out
# (web_commune.sh, web_publish.sh). Sourced, not run. Needs $tmp.

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# check NAME WANT GOT [PATTERN]: the status, and a fixed string in the last body
check() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, pattern: $4}" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 400)"; fi
}
# lacks NAME PATTERN: the last body does not hold the fixed string
lacks() { if grep -qF -- "$2" "$tmp/out"; then notok "$1" "found: $2"; else ok "$1"; fi; }
