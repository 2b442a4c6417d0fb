#!/bin/sh
# Regenerates the first-page images of docs/documents.md: the demo data set,
# the Sở's round plan entered, each document type as PDF (the round's latest
# recognition decision, a lower-secondary school of the current round), page 1
# rendered with pdftoppm at 60 dpi in grey into docs/img/documents/TYPE.png.
#   sh scripts/doc-images.sh [build/chiso]
set -eu
CHISO=${1:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
out=$(pwd)/docs/img/documents
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/chiso.db
"$CHISO" demo --db "$db" >/dev/null 2>&1
q() { sqlite3 "$db" "$1"; }
round=$(q "select round_id from assessments where recognition_decision_id = (select max(recognition_decision_id) from assessments) limit 1")
a=$(q "select a.id from assessments a join units u on u.id = a.unit_id where a.round_id = $round and u.type = 'thcs'
	and a.recognised_level > 0 order by u.code limit 1")
"$CHISO" doc plan-ref --round "$round" --number 15/KH-SGDĐT --date 2026-03-10 --db "$db" >/dev/null
mkdir -p "$out"
for t in plan council minutes report approval request evidence external-minutes team recognition summary; do
	case $t in team | recognition | summary) obj="--round $round" ;; *) obj="--assessment $a" ;; esac
	# shellcheck disable=SC2086
	"$CHISO" doc "$t" $obj --format pdf --db "$db" --out "$tmp/$t.pdf" --no-record >/dev/null 2>&1
	pdftoppm -r 60 -gray -png -f 1 -l 1 -singlefile "$tmp/$t.pdf" "$out/$t"
	echo "$t: $(pdfinfo "$tmp/$t.pdf" | sed -n 's/^Pages: *//p') pages"
done
