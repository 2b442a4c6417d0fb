#!/bin/sh
# bench/docs_cli.sh — the self-assessment report as a script gets it, one
# process per document: `chiso doc report --format pdf` against
# `chiso doc report --format docx` followed by `soffice --headless
# --convert-to pdf`, on the demo's most complete assessment, in one run.
# bench/docs.c measures the same inside one process (no start-up, fonts
# already loaded) and the 1,000-page recognition list; this one adds what
# a CLI user or a cron job pays: process start, font discovery, the
# database, and LibreOffice's own start.
# A benchmark: it prints figures and never fails on timing.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
RUNS=${BENCH_RUNS:-5}
die() { echo "bench/docs_cli: $*" >&2; exit 1; }
command -v soffice >/dev/null 2>&1 || die "LibreOffice (soffice) is not installed (make deps)"
tmp=$(mktemp -d /tmp/chiso-bench-docs-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

"$CHISO" demo --db "$tmp/demo.db" --blobs "$tmp/files" >"$tmp/demo.log" 2>&1 || die "demo: $(tail -3 "$tmp/demo.log")"
# the published assessment with the most answers (every section filled)
aid=$(sqlite3 -batch "$tmp/demo.db" "SELECT a.id FROM assessments a JOIN answers x ON x.assessment_id = a.id
	WHERE a.state = 'published' GROUP BY a.id ORDER BY COUNT(*) DESC, a.id LIMIT 1")
[ -n "$aid" ] || die "no published assessment in the demo"

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
doc() { "$CHISO" doc report --assessment "$aid" --format "$1" --number 15 --date 2025-05-20 --out "$2" --db "$tmp/demo.db" >/dev/null 2>&1; }

: >"$tmp/pdf.ms"
i=0
while [ $i -lt "$RUNS" ]; do
	t0=$(ms); doc pdf "$tmp/bao-cao.pdf" || die "chiso doc report --format pdf failed"; echo $(($(ms) - t0)) >>"$tmp/pdf.ms"
	i=$((i + 1))
done
: >"$tmp/docx.ms"; : >"$tmp/lo.ms"
i=0
while [ $i -lt "$RUNS" ]; do
	t0=$(ms); doc docx "$tmp/bao-cao.docx" || die "chiso doc report --format docx failed"; t1=$(ms)
	# a private profile, as a server would use, kept between runs: the
	# first run pays for creating it
	HOME="$tmp" soffice -env:UserInstallation="file://$tmp/lo" --headless --convert-to pdf --outdir "$tmp/out" \
		"$tmp/bao-cao.docx" >/dev/null 2>&1 || die "soffice failed"
	t2=$(ms)
	echo $((t1 - t0)) >>"$tmp/docx.ms"
	if [ $i -eq 0 ]; then first=$((t2 - t1)); else echo $((t2 - t1)) >>"$tmp/lo.ms"; fi
	i=$((i + 1))
done
[ -s "$tmp/lo.ms" ] || echo "$first" >"$tmp/lo.ms"
pdf=$(median <"$tmp/pdf.ms") docx=$(median <"$tmp/docx.ms") lo=$(median <"$tmp/lo.ms")
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
echo "bench/docs_cli: report of assessment $aid of the demo, one process per document; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared, loaded machine)"
printf '  chiso doc report --format pdf            %6d ms  (median of %d; %s pages, %d bytes)\n' "$pdf" "$RUNS" "$(pages "$tmp/bao-cao.pdf")" "$(wc -c <"$tmp/bao-cao.pdf")"
printf '  chiso doc report --format docx           %6d ms  (median of %d)\n' "$docx" "$RUNS"
printf '  soffice --headless --convert-to pdf      %6d ms  (median of %d later runs; the first, creating its profile: %d ms; %s pages)\n' \
	"$lo" $((RUNS - 1)) "$first" "$(pages "$tmp/out/bao-cao.pdf")"
awk -v p="$pdf" -v d="$docx" -v l="$lo" 'BEGIN { printf "  DOCX + LibreOffice / direct PDF = %.1f×\n", (d + l) / (p ? p : 1) }'
exit 0
