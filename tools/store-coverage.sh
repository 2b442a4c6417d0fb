#!/bin/sh
# tools/store-coverage.sh — the store functions (declared in src/q_*.h) that
# no store unit test calls. A store test is a test/unit/test_*.c that uses
# the two-engine fixture (store_test.h), so what it calls runs on SQLite
# and, with CHISO_TEST_PG, on PostgreSQL (issue 10, item 8).
#
# Prints one uncovered function a line ("q_file.h: name") and exits 1 when
# there is one not in tools/store-coverage.allow (a name a line, then its
# reason; '#' comments); also fails on an allow-list entry that is covered
# or declared nowhere, so the list only shrinks. `make lint` runs it.
set -u
cd "$(dirname "$0")/.." || exit 2
allow=tools/store-coverage.allow
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
		if grep -qE "^$n([[:space:]]|$)" "$allow" 2>/dev/null; then continue; fi
		echo "$(basename "$h"): $n"
		status=1
	done
done
# the allow-list only shrinks: a listed name now tested, or gone, is an error
if [ -f "$allow" ]; then
	for n in $(grep -vE '^[[:space:]]*(#|$)' "$allow" | awk '{ print $1 }'); do
		case " $declared " in *" $n "*) ;; *) echo "$allow: $n is declared in no src/q_*.h"; status=1; continue ;; esac
		if grep -qx "$n" "$used"; then echo "$allow: $n has a store test now: take it off the list"; status=1; fi
	done
fi
exit $status
