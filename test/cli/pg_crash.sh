#!/bin/sh
# PostgreSQL crashes in the middle of a write load (issue 13, item 4): four
# principals save answers through the JSON API while the database server is
# killed (immediate stop) and started again. The server reconnects by itself,
# no acknowledged save is lost (each assessment holds its last acknowledged
# value, or a later one whose answer was cut off), and the audit chain and
# the stored levels verify. The database runs with its default durability.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
server_pid=
url=
trap 'stop_server; [ -n "$url" ] && "$here/../pg.sh" stop "$url"; rm -rf "$tmp"' EXIT
. "$here/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

# the server secret of a PostgreSQL store lives beside the command, not in the tree
export CHISO_SECRET_FILE="$tmp/chiso.secret"
url=$(PG_DURABLE=1 "$here/../pg.sh" start) || { notok pg-start; exit 1; }
"$CHISO" demo --db "$url" --blobs "$tmp/files" --today "$(date -d '+10 days' +%F)" >"$tmp/demo.log" 2>&1 ||
	{ notok demo-on-postgresql "$(tail -3 "$tmp/demo.log")"; exit 1; }
# four schools of the current round still answering (4725: item 1.4 is a count)
pairs=""
for row in $(psql "$url" -Atc "select u.code || ':' || a.id from assessments a join units u on u.id = a.unit_id
		join rounds r on r.id = a.round_id where a.state = 'draft' and r.state = 'open'
		and u.type in ('tieu_hoc', 'thcs', 'thpt') order by a.id limit 4"); do
	t=$("$CHISO" token create "ht.${row%%:*}" --label "kiểm thử sự cố" --db "$url" 2>/dev/null) || continue
	pairs="$pairs $t:${row#*:}"
done
[ "$(echo $pairs | wc -w)" = 4 ] || { notok writers-found "$pairs"; exit 1; }

port=$(free_port)
base="http://127.0.0.1:$port"
"$CHISO" serve --db "$url" --blobs "$tmp/files" --port "$port" --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
i=0
until curl -s -o /dev/null "$base/dang-nhap"; do i=$((i + 1)); [ $i -gt 100 ] && { notok server-start; exit 1; }; sleep 0.1; done

python3 "$here/lib/save_load.py" "$base" 12 $pairs >"$tmp/load.json" &
load=$!
sleep 4
if "$here/../pg.sh" crash "$url"; then ok postgresql-crashed-and-restarted; else notok postgresql-crashed-and-restarted; fi
wait $load

# what each assessment holds now, read back through the API
python3 - "$base" "$tmp/load.json" $pairs >"$tmp/verdict" <<'PY'
import json, sys, urllib.request
base, load = sys.argv[1], json.load(open(sys.argv[2]))
lost, back, saves, failures = [], 0, 0, 0
for pair in sys.argv[3:]:
    token, aid = pair.split(":")
    r = load[aid]
    req = urllib.request.Request(base + "/api/v1/danh-gia/" + aid, headers={"Authorization": "Bearer " + token})
    held = json.load(urllib.request.urlopen(req, timeout=10))["answers"].get("1.4")
    if not (isinstance(held, int) and r["acked"] <= held <= r["attempted"]):
        lost.append("%s: holds %r, acknowledged %d, attempted %d" % (aid, held, r["acked"], r["attempted"]))
    back += r["ok_after_failure"]
    saves += r["ok"]
    failures += r["failed"]
print("lost=%d back=%d saves=%d failures=%d" % (len(lost), back, saves, failures))
for l in lost:
    print("  " + l)
PY
verdict=$(head -1 "$tmp/verdict")
case $verdict in
lost=0*) ok no-acknowledged-save-lost ;;
*) notok no-acknowledged-save-lost "$(cat "$tmp/verdict")" ;;
esac
case $verdict in
*" back=0 "*) notok server-reconnected "$verdict" ;;
*) ok server-reconnected ;;
esac
case $verdict in
*" failures=0") notok crash-was-felt "$verdict (the crash did not interrupt any save: the test proved nothing)" ;;
*) ok crash-was-felt ;;
esac
echo "# $verdict"
server_clean server-clean-exit
if "$CHISO" audit verify --db "$url" >"$tmp/audit.out" 2>&1; then ok audit-chain-verifies; else notok audit-chain-verifies "$(tail -2 "$tmp/audit.out")"; fi
if "$CHISO" levels verify --db "$url" >"$tmp/levels.out" 2>&1; then ok levels-verify; else notok levels-verify "$(tail -2 "$tmp/levels.out")"; fi
