#!/bin/sh
# What one answer save costs the store (issue 19): a server started with
# CHISO_ROUND_TRIPS=1 says in X-Chiso-Round-Trips how many round trips each
# API request made (db_round_trips: every statement sent, every PQprepare,
# a pipelined batch as one). A PUT …/tra-loi changing one item, full reply
# and `Prefer: return=minimal`, must stay at or under TRIPS_PG on
# PostgreSQL (the issue's bound: the token with its account and grants, the
# assessment with its round and unit, both unit chains, the council and
# evaluator facts, the current answers, and the save — version, audit row
# and COMMIT pipelined after BEGIN and the lock) and TRIPS_SQLITE on
# SQLite (BEGIN IMMEDIATE and COMMIT are statements of their own there,
# and so is the round summary's mark the save writes in its transaction:
# q_round_agg.h); the figures reached are the bounds, so any growth fails.
# After the request's own work the server counts the saved assessment in
# the round summary's aggregates in a short transaction of its own, before
# the reply is sent; X-Chiso-Agg-Round-Trips says what that cost, bounded
# by TRIPS_AGG on SQLite (BEGIN and the lock, the context, the answers, the
# unit's cell and contribution, the mark cleared, COMMIT) and TRIPS_AGG_PG
# on PostgreSQL (the mark, the context and the answers read in one statement without the
# lock, then one pipelined write: q_round_agg.c's chiso_agg_settle). One server
# thread, warmed up, so every statement is already prepared; the lowest of
# five saves is compared (a framework-catalogue check every 2 s may add a
# query to one of them). On PostgreSQL only when one can be had
# (CHISO_TEST_PG, else test/pg.sh). One "ok NAME"/"not ok NAME" per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
src=$(pwd)
tmp=$(mktemp -d)
server_pid= own_pg= dbname= PG=
TRIPS_PG=6
TRIPS_SQLITE=10
TRIPS_AGG=7
TRIPS_AGG_PG=2
cleanup() {
	[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
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

# one Phòng, one THCS, its principal with an API token, an open round
world() {   # $1 = database target; prints the token
	{
		echo "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục"
		echo "79760000,Phòng Giáo dục và Đào tạo Quận 7,Phòng GD&ĐT,,,\"1362 Huỳnh Tấn Phát, Quận 7\",Công lập"
		echo "79760301,Trường THCS Nguyễn Hữu Thọ,THCS,79760000,79760000,\"1 Bùi Văn Ba, Quận 7\",Công lập"
	} >"$tmp/units.csv"
	"$CHISO" unit import "$tmp/units.csv" --db "$1" --from 2020-01-01 >"$tmp/setup.log" 2>&1 &&
	"$CHISO" round open --office 79760000 --year 2024-2025 --framework thcs=qd4725-2022 \
		--self-due "$(date -d '+12 days' +%F)" --db "$1" >>"$tmp/setup.log" 2>&1 &&
	"$CHISO" user add ht.79760301 --name "Lê Văn Tám" --password chiso2025 --role principal \
		--unit 79760301 --db "$1" >>"$tmp/setup.log" 2>&1 &&
	"$CHISO" token create ht.79760301 --label "đếm lượt" --db "$1" 2>>"$tmp/setup.log"
}

serve() {   # $1 = database target
	port=$(free_port)
	base="http://127.0.0.1:$port"
	mkdir -p "$tmp/files"
	CHISO_ROUND_TRIPS=1 "$CHISO" serve --db "$1" --blobs "$tmp/files" --port "$port" --threads 1 --quiet \
		>"$tmp/serve.out" 2>"$tmp/serve.err" &
	server_pid=$!
	i=0
	until curl -s -o /dev/null "$base/dang-nhap"; do
		i=$((i + 1))
		{ [ $i -gt 300 ] || ! kill -0 "$server_pid" 2>/dev/null; } && return 1
		sleep 0.1
	done
}

# put VALUE [minimal] — one save of item 1.1; prints "STATUS TRIPS SAVED AGG"
put() {
	curl -s -D "$tmp/h" -o "$tmp/b" -X PUT -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
		${2:+-H 'Prefer: return=minimal'} --data-binary "{\"answers\": {\"1.1\": $1}}" "$base/api/v1/danh-gia/$aid/tra-loi"
	st=$(sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p' "$tmp/h")
	n=$(tr -d '\r' <"$tmp/h" | sed -n 's/^[Xx]-[Cc]hiso-[Rr]ound-[Tt]rips: *//p')
	agg=$(tr -d '\r' <"$tmp/h" | sed -n 's/^[Xx]-[Cc]hiso-[Aa]gg-[Rr]ound-[Tt]rips: *//p')
	saved=$(python3 -c 'import json, sys; print(",".join(json.load(open(sys.argv[1])).get("saved", [])))' "$tmp/b" 2>/dev/null)
	echo "$st ${n:-none} ${saved:-none} ${agg:-none}"
}

check_engine() {   # $1 = label, $2 = database target, $3 = bound, $4 = the aggregates' bound
	label=$1 target=$2 bound=$3 agg_bound=$4
	tok=$(world "$target") || { notok "$label-world" "$(tail -3 "$tmp/setup.log")"; return; }
	serve "$target" || { notok "$label-serve" "$(cat "$tmp/serve.err")"; return; }
	# the first save starts the assessment; find its id
	aid=
	for i in 1 2 3; do
		aid=$i
		set -- $(put true)
		[ "$1" = 200 ] && break
		aid=
	done
	[ -n "$aid" ] || { notok "$label-assessment"; return; }
	for reply in full minimal; do
		m=; [ $reply = minimal ] && m=1
		for v in false true false; do put $v $m >/dev/null; done   # warm-up: statements prepared
		low= all= bad= aggs=
		for v in true false true false true; do
			set -- $(put $v $m)
			all="$all $2"
			aggs="$aggs $4"
			[ "$1" = 200 ] && [ "$3" = 1.1 ] || bad="status $1, saved $3"
			case $4 in ''|*[!0-9]*) bad="no X-Chiso-Agg-Round-Trips header ($4)" ;;
				*) [ "$4" -ge 1 ] && [ "$4" -le "$agg_bound" ] || bad="the aggregates' touch took $4 round trips (1 to $agg_bound)" ;;
			esac
			case $2 in ''|*[!0-9]*) bad="no X-Chiso-Round-Trips header ($2)"; continue ;; esac
			{ [ -z "$low" ] || [ "$2" -lt "$low" ]; } && low=$2
		done
		if [ -n "$bad" ]; then
			notok "$label-$reply-save-round-trips" "$bad" "$(head -c 300 "$tmp/b")"
		elif [ "$low" -le "$bound" ]; then
			ok "$label-$reply-save-round-trips ($low ≤ $bound; each:$all; the aggregates' touch after it:$aggs)"
		else
			notok "$label-$reply-save-round-trips" "a save of one item took $low round trips, more than $bound (each:$all)"
		fi
	done
	# an unchanged answer is acknowledged without a write
	set -- $(put true)
	if [ "$1" = 200 ] && [ "$3" = none ]; then ok "$label-unchanged"; else notok "$label-unchanged" "$*"; fi
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}

check_engine sqlite "$tmp/chiso.db" "$TRIPS_SQLITE" "$TRIPS_AGG"

PG=${CHISO_TEST_PG:-}
if [ -z "$PG" ]; then
	PG=$("$src/test/pg.sh" start 2>/dev/null) || { echo "ok pg-save-round-trips # skip: no PostgreSQL"; exit 0; }
	own_pg=1
fi
case $PG in postgres*) ;; *) echo "ok pg-save-round-trips # skip: CHISO_TEST_PG is not a URL"; exit 0 ;; esac
dbname="chiso_trips_$$"
psql "$PG" -qc "CREATE DATABASE $dbname" >/dev/null || { notok pg-create-database; exit 1; }
T=$(printf '%s' "$PG" | sed "s,^\(postgres[a-z]*://[^/]*\)/[^?]*,\1/$dbname,")
check_engine pg "$T" "$TRIPS_PG" "$TRIPS_AGG_PG"
