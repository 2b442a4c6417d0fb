#!/bin/sh
# The workflow's state names live in one place: src/workflow.c (and the
# column's definition in src/db_schema.c). Everywhere else states are the
# wf_state enum, and the stored codes come from wf_state_code — so a quoted
# state name ("draft", 'published' in SQL) anywhere else in src/ fails this
# check. Comments do not count; a line that must hold such a word for
# another meaning says so with the marker "not-a-state".
# One "ok NAME" / "not ok NAME" line, as test/run.sh reads them.
set -u
cd "$(dirname "$0")/../.." || exit 1
states=$(sed -n 's/^[[:space:]]*\[WF_[A-Z_]*\][[:space:]]*=[[:space:]]*{[[:space:]]*"\([a-z_]*\)",.*/\1/p' src/workflow.c |
	sort -u | tr '\n' '|' | sed 's/|$//')
# the table of codes must be found, or the check would pass vacuously
case "$states" in
*not_started*published*|*published*not_started*) ;;
*) echo "not ok state-names-table"; echo "  no state codes found in src/workflow.c"; exit 0 ;;
esac
hits=$(for f in src/*.c src/*.h; do
	case "$f" in src/workflow.c|src/db_schema.c) continue ;; esac
	# drop /* … */ comments (also across lines) and // comments, keep line numbers
	awk -v file="$f" -v re="[\"'](${states})[\"']" '
	{
		line = $0; out = ""
		while (length(line) > 0) {
			if (incomment) {
				e = index(line, "*/")
				if (!e) { line = ""; break }
				line = substr(line, e + 2); incomment = 0
			} else {
				s = index(line, "/*")
				if (!s) { out = out line; line = ""; break }
				out = out substr(line, 1, s - 1); line = substr(line, s + 2); incomment = 1
			}
		}
		sub(/[[:space:]]\/\/.*$/, "", out)
		if (out ~ re && $0 !~ /not-a-state/) printf "%s:%d: %s\n", file, NR, out
	}' "$f"
done)
if [ -z "$hits" ]; then
	echo "ok state-names-only-in-workflow"
else
	echo "not ok state-names-only-in-workflow"
	printf '%s\n' "$hits" | sed 's/^/  /'
fi
