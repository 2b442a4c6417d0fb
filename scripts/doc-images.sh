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
# the team's visit schedule (there is no command for it; the round's "Lịch kiểm tra" page
# stores the same rows): four units over three days, the secretary twice on the first
member() { q "select m.account_id from external_team_members m join external_teams t on t.id = m.team_id
	where t.round_id = $round and m.post = '$1' order by m.account_id limit 1"; }
head=$(member truong_doan) sec=$(member thu_ky) mem=$(member thanh_vien)
i=0
for plan in "2027-01-05 $head $sec" "2027-01-05 $sec $mem" "2027-01-06 $head $mem" "2027-01-07 $head $sec"; do
	set -- $plan
	u=$(q "select unit_id from assessments where round_id = $round order by unit_id limit 1 offset $i")
	v=$(q "insert into round_visits (round_id, unit_id, visit_date, created_at) values ($round, $u, '$1', '2026-12-01T08:00:00Z') returning id")
	q "insert into round_visit_members (visit_id, account_id) values ($v, $2), ($v, $3)"
	i=$((i + 1))
done
mkdir -p "$out"
for t in plan council minutes report approval request evidence external-minutes team recognition summary round-plan schedule proposal; do
	case $t in team | recognition | summary | round-plan | schedule | proposal) obj="--round $round" ;; *) obj="--assessment $a" ;; esac
	# shellcheck disable=SC2086
	"$CHISO" doc "$t" $obj --format pdf --db "$db" --out "$tmp/$t.pdf" --no-record >/dev/null 2>&1
	pdftoppm -r 60 -gray -png -f 1 -l 1 -singlefile "$tmp/$t.pdf" "$out/$t"
	echo "$t: $(pdfinfo "$tmp/$t.pdf" | sed -n 's/^Pages: *//p') pages"
done
