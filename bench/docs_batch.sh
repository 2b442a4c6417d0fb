#!/bin/sh
# bench/docs_batch.sh — batch documents of a round as the background worker
# makes them (doc_batch.c through `chiso job run --once`, the same code as
# chiso serve's worker thread): on the demo's Sở round, the external minutes
# of every evaluated unit and the self-assessment report of every unit that
# consolidated, each as PDF and as DOCX; prints the documents, the ZIP's
# size, the wall time and the time per document (each document also
# recorded and audited, the progress committed about once a second).
# bench/docs_batch.c does the same for a province's 10,000 units.
# A benchmark: it prints figures and never fails on timing.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
die() { echo "bench/docs_batch: $*" >&2; exit 1; }
tmp=$(mktemp -d /tmp/chiso-bench-batch-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

"$CHISO" demo --db "$tmp/demo.db" --blobs "$tmp/files" >"$tmp/demo.log" 2>&1 || die "demo: $(tail -3 "$tmp/demo.log")"
round=$(sqlite3 -batch "$tmp/demo.db" "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id
	WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
[ -n "$round" ] || die "no round of the Sở in the demo"
ms() { echo $(($(date +%s%N) / 1000000)); }

printf '%-24s %-6s %6s %10s %9s %8s\n' "type" "format" "docs" "zip" "wall ms" "ms/doc"
for type in bien-ban-danh-gia-ngoai bao-cao; do
	for format in pdf docx; do
		id=$("$CHISO" job batch --round "$round" --type "$type" --format "$format" --db "$tmp/demo.db" 2>/dev/null) || die "job batch $type $format"
		t0=$(ms)
		"$CHISO" job run --once --db "$tmp/demo.db" --blobs "$tmp/files" >/dev/null 2>&1 || die "job run $type $format"
		t=$(($(ms) - t0))
		"$CHISO" job show "$id" --db "$tmp/demo.db" >"$tmp/show" 2>/dev/null
		grep -q '^state done' "$tmp/show" || die "job $id: $(cat "$tmp/show")"
		n=$(sed -n 's/^progress \([0-9]*\)\/.*/\1/p' "$tmp/show")
		size=$(sed -n 's/^result [0-9a-f]* \([0-9]*\) .*/\1/p' "$tmp/show")
		printf '%-24s %-6s %6s %7s KB %9s %8s\n' "$type" "$format" "$n" "$((size / 1024))" "$t" \
			"$(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.1f", n ? t / n : 0 }')"
	done
done
