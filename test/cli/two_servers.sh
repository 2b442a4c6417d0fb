#!/bin/sh
# Two `chiso serve` on one PostgreSQL (issue 14, item 5), each with its own
# blob directory as two machines would have (contrib/nginx/chiso-cluster.conf
# puts them behind one nginx; this test talks to each directly): a session
# made on A works on B; a file uploaded through A downloads through B (B's
# directory starts empty: the file comes from the database); a batch job,
# which both servers' workers poll for, runs exactly once; `kill -9` of A
# under a write load loses no write A acknowledged, and B serves on.
# Reminders are jobs of the same queue, so "exactly once" covers them.
# Needs PostgreSQL (CHISO_TEST_PG from test/run.sh, else test/pg.sh starts
# one); without it one "ok … # skip" line. One "ok NAME"/"not ok NAME" per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
src=$(pwd)
tmp=$(mktemp -d)
pid_a= pid_b= load_pid= own_pg= dbname=
cleanup() {
	for p in $load_pid $pid_a $pid_b; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "$dbname" ] && psql "$PG" -qc "DROP DATABASE IF EXISTS $dbname" >/dev/null 2>&1
	[ -n "$own_pg" ] && "$src/test/pg.sh" stop "$PG"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
unset CHISO_DB
. "$src/test/cli/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1 st=$2; shift 2; if [ "$st" -eq 0 ]; then ok "$name"; else notok "$name" "$@"; fi; }
jget() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2" 2>/dev/null; }

PG=${CHISO_TEST_PG:-}
if [ -z "$PG" ]; then
	PG=$("$src/test/pg.sh" start 2>/dev/null) || { echo "ok two-servers # skip: no PostgreSQL (test/pg.sh could not start one)"; exit 0; }
	own_pg=1
fi
case $PG in postgres*) ;; *) echo "ok two-servers # skip: CHISO_TEST_PG is not a URL"; exit 0 ;; esac
dbname="chiso_two_$$"
psql "$PG" -qc "CREATE DATABASE $dbname" >/dev/null || { notok create-database; exit 1; }
T=$(printf '%s' "$PG" | sed "s,^\(postgres[a-z]*://[^/]*\)/[^?]*,\1/$dbname,")
q() { psql "$T" -Atqc "$1"; }

# the demo data set (its evidence files go into the database and A's directory)
"$CHISO" demo --db "$T" --blobs "$tmp/a" --secret-file "$tmp/secret" --today "$(date -d '+10 days' +%F)" \
	>"$tmp/demo.log" 2>&1 || { notok demo "$(tail -5 "$tmp/demo.log")"; exit 1; }
mkdir -p "$tmp/b"

# start NAME — chiso serve NAME on the shared database, its own blob directory, the shared secret
start() {
	p=$(free_port)
	CHISO_JOB_LEASE=2 "$CHISO" serve --db "$T" --blobs "$tmp/$1" --secret-file "$tmp/secret" --port "$p" --quiet \
		>"$tmp/$1.out" 2>"$tmp/$1.err" &
	eval "pid_$1=$! port_$1=$p"
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$p/dang-nhap"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { cat "$tmp/$1.err" >&2; return 1; }
		sleep 0.1
	done
}
start a && start b || { notok servers-start; exit 1; }
A="http://127.0.0.1:$port_a" B="http://127.0.0.1:$port_b"

# ---- a session from A works on B ------------------------------------------------------------------
base=$A
st=$(signin "$tmp/so" so.binhdinh)
curl -s -b "$tmp/so" "$B/" -o "$tmp/home_b.html"
check session-from-a-works-on-b "$([ "$st" = 303 ] && grep -q 'Đăng xuất' "$tmp/home_b.html"; echo $?)" "sign-in $st"
base=$A; signin "$tmp/ht" ht.52101001 >/dev/null

# ---- a file uploaded through A downloads through B -------------------------------------------------
aid=$(q "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '52101001' ORDER BY a.id DESC LIMIT 1")
head -c 300000 /dev/urandom >"$tmp/rand"
{ printf '%%PDF-1.4\n'; cat "$tmp/rand"; } >"$tmp/up.pdf"
c=$(form_csrf "$tmp/ht" "/danh-gia/$aid/minh-chung/moi?tc=1.1")
curl -s -b "$tmp/ht" -D "$tmp/up.h" -o /dev/null -F "_csrf=$c" -F "tieu_de=Tệp qua máy A" -F tc=1.1 \
	-F "tep=@$tmp/up.pdf;filename=may-a.pdf;type=application/pdf" "$A/danh-gia/$aid/minh-chung/moi"
E=$(sed -n 's/^[Ll]ocation: *\/minh-chung\/\([0-9]*\).*/\1/p' "$tmp/up.h" | tr -d '\r')
sha=$(sha256sum "$tmp/up.pdf" | cut -c1-64)
before=$(find "$tmp/b" -name "$sha")   # B has not seen it: it comes from the database
link=$(curl -s -b "$tmp/ht" "$B/minh-chung/$E" | grep -o '/minh-chung/[0-9]*/tep/[0-9]*' | head -1)
st=$(curl -s -b "$tmp/ht" -o "$tmp/down.pdf" -w '%{http_code}' "$B$link")
check file-from-a-downloads-on-b "$([ -n "$link" ] && [ "$st" = 200 ] && cmp -s "$tmp/up.pdf" "$tmp/down.pdf" \
	&& [ -z "$before" ] && [ -f "$tmp/b/$(printf %.2s "$sha")/$sha" ]; echo $?)" \
	"evidence $E, link $link, status $st, in B's directory before: $before"
check file-in-database "$([ "$(q "SELECT size FROM blob_objects WHERE sha256 = '$sha'")" = "$(stat -c %s "$tmp/up.pdf")" ]; echo $?)"

# ---- a batch job runs exactly once ----------------------------------------------------------------
R=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
n_eval=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = $R AND state IN ('evaluated', 'recognised', 'published')")
base=$A; c=$(form_csrf "$tmp/so" "/dot/$R/van-ban")
curl -s -b "$tmp/so" -o /dev/null -D "$tmp/job.h" --data-urlencode "_csrf=$c" \
	--data-urlencode "loai=bien-ban-danh-gia-ngoai" --data-urlencode "dinh_dang=pdf" "$A/dot/$R/van-ban/hang-loat"
loc=$(sed -n 's/^[Ll]ocation: *\([^[:space:]]*\).*/\1/p' "$tmp/job.h")
J=${loc##*/}
i=0 state=
while [ $i -lt 600 ]; do
	curl -s -b "$tmp/so" "$B$loc/trang-thai" -o "$tmp/status.json"
	state=$(jget "$tmp/status.json" state)
	case $state in done|failed|cancelled) break ;; esac
	i=$((i + 1)); sleep 0.2
done
ndone=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'job.done' AND object_id = $J")
ndocs=$(q "SELECT COUNT(*) FROM documents WHERE type = 'external-minutes'")
check batch-job-runs-exactly-once "$([ "$state" = done ] && [ "$n_eval" -gt 0 ] && [ "$ndone" = 1 ] && [ "$ndocs" = "$n_eval" ]; echo $?)" \
	"state $state, job.done $ndone, documents $ndocs for $n_eval evaluated"
st=$(curl -s -b "$tmp/so" -o "$tmp/batch.zip" -w '%{http_code}' "$A$loc/tai-ve")
st2=$(curl -s -b "$tmp/so" -o "$tmp/batch_b.zip" -w '%{http_code}' "$B$loc/tai-ve")
check batch-zip-on-both "$([ "$st$st2" = 200200 ] && cmp -s "$tmp/batch.zip" "$tmp/batch_b.zip" \
	&& [ "$(sha256sum "$tmp/batch.zip" | cut -c1-64)" = "$(jget "$tmp/status.json" sha256)" ]; echo $?)" "status $st/$st2"

# ---- kill -9 of A under a write load: every acknowledged write is there ---------------------------
# the principal's session (made on A) and its CSRF token, for JSON writes
curl -s -b "$tmp/ht" "$A/api/v1/toi" -o "$tmp/toi.json"
csrf=$(jget "$tmp/toi.json" csrf)
load() {   # loader K: API tokens named wK-N created through A, one after another; each 2xx logged
	n=0
	while :; do
		n=$((n + 1))
		st=$(curl -s -o /dev/null -w '%{http_code}' -X POST -b "$tmp/ht" -H "X-CSRF-Token: $csrf" \
			-H 'Content-Type: application/json' --data "{\"label\": \"w$1-$n\"}" "$2/api/v1/token")
		case $st in 20*) echo "w$1-$n" >>"$tmp/acked" ;; 000) break ;; esac
	done
}
: >"$tmp/acked"
load_pid=
for k in 1 2 3 4; do load "$k" "$A" & load_pid="$load_pid $!"; done
sleep 2
kill -9 "$pid_a"; wait "$pid_a" 2>/dev/null; pid_a=
sleep 0.5
for p in $load_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
load_pid=
acked=$(sort -u "$tmp/acked" | wc -l)
q "SELECT label FROM api_tokens WHERE label LIKE 'w%-%'" | sort -u >"$tmp/stored"
lost=$(sort -u "$tmp/acked" | comm -23 - "$tmp/stored" | wc -l)
echo "# $acked writes acknowledged by A before kill -9"
check kill-9-loses-no-acknowledged-write "$([ "$acked" -gt 10 ] && [ "$lost" = 0 ]; echo $?)" "$acked acknowledged, $lost lost"
st=$(curl -s -o /dev/null -w '%{http_code}' -X POST -b "$tmp/ht" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	--data '{"label": "sau"}' "$B/api/v1/token")
check b-serves-on "$(case $st in 20*) true ;; *) false ;; esac; echo $?)" "status $st"
base=$B
check audit-chain-intact "$("$CHISO" audit verify --db "$T" >"$tmp/audit.log" 2>&1; echo $?)" "$(tail -3 "$tmp/audit.log")"
