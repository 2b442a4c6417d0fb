#!/bin/sh
# tools/store-coverage.sh — the store functions (declared in src/q_*.h) that
# no store unit test calls. A store test is a test/unit/test_*.c that uses
# the two-engine fixture (store_test.h), so what it calls runs on SQLite
# and, with CHISO_TEST_PG, on PostgreSQL (issue 10, item 8).
#
# Prints one uncovered function a line ("q_file.h: name") and exits 1 when
# there is one in neither list: tools/store-coverage.allow (what cannot be
# tested on its own, each with its reason) or tools/store-coverage.pending
# (not tested yet: the debt of issue 10 item 8). Each is a name a line,
# then words; '#' starts a comment. An entry that a store test now calls,
# or that no header declares, fails too, so both lists only shrink.
# `make lint` runs it.
set -u
cd "$(dirname "$0")/.." || exit 2
lists="tools/store-coverage.allow tools/store-coverage.pending"
tests=$(grep -l '#include "store_test.h"' test/unit/test_*.c)
used=$(mktemp)
trap 'rm -f "$used"' EXIT
# every identifier the store tests mention
cat $tests | tr -c 'A-Za-z0-9_' '\n' | grep -E '^[a-z]' | sort -u >"$used"
status=0
declared=""
for h in src/q_*.h; do
	# a declaration at the start of a line: type, then name( — not a typedef,
	# not a static inline helper, not a function pointer
	names=$(grep -E '^[a-z][A-Za-z0-9_ ]*[ *]+[a-z_][a-z0-9_]*\(' "$h" | grep -vE '^(typedef|static|#)' |
		sed -E 's/^[^(]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' | sort -u)
	for n in $names; do
		declared="$declared $n"
		grep -qx "$n" "$used" && continue
		if cat $lists 2>/dev/null | grep -qE "^$n([[:space:]]|$)"; then continue; fi
		echo "$(basename "$h"): $n"
		status=1
	done
done
# the lists only shrink: a listed name now tested, or gone, is an error
for list in $lists; do
	[ -f "$list" ] || continue
	for n in $(grep -vE '^[[:space:]]*(#|$)' "$list" | awk '{ print $1 }'); do
		case " $declared " in *" $n "*) ;; *) echo "$list: $n is declared in no src/q_*.h"; status=1; continue ;; esac
		if grep -qx "$n" "$used"; then echo "$list: $n has a store test now: take it off the list"; status=1; fi
	done
done
exit $status
