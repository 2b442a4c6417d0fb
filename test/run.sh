#!/bin/sh
# Run every test program of one build and report "N passed, N failed" as the last line.
# Unit tests are cmocka programs (their summary lines are parsed); shell tests in
# test/cli/*.sh print "ok NAME" / "not ok NAME" per case.
set -u
build=${1:-build}
export CHISO=${CHISO:-$build/chiso}
# The store suite runs on SQLite and on a real PostgreSQL started here once
# (test/pg.sh) unless CHISO_TEST_PG already names one; stopped on exit.
if [ -z "${CHISO_TEST_PG:-}" ] && CHISO_TEST_PG=$("$(dirname "$0")/pg.sh" start); then
	export CHISO_TEST_PG
	trap '"$(dirname "$0")/pg.sh" stop "$CHISO_TEST_PG"' EXIT
	# also when the output pipe closes (`make test | head`): the trap above must run
	trap 'exit 130' INT TERM HUP PIPE
else
	[ -n "${CHISO_TEST_PG:-}" ] || unset CHISO_TEST_PG
fi
pass=0; fail=0; broken=""
for t in "$build"/test/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or sanitizer report
	if [ "$f" -ne 0 ]; then printf '%s\n' "$out"; broken="$broken $(basename "$t")"; fi
	echo "$(basename "$t"): $p passed, $f failed"
	pass=$((pass + p)); fail=$((fail + f))
done
for t in test/cli/*.sh; do
	[ -f "$t" ] || continue
	out=$(sh "$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$f" -ne 0 ]; then printf '%s\n' "$out"; broken="$broken $(basename "$t")"; fi
	echo "$(basename "$t"): $p passed, $f failed"
	pass=$((pass + p)); fail=$((fail + f))
done
[ -n "$broken" ] && echo "failing:$broken"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
