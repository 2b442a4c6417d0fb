#!/bin/sh
# bench/saves.sh — answer saves through the real server (issue 19): wrk
# sends PUT /api/v1/danh-gia/{id}/tra-loi, each changing one yes/no answer
# of one of SCHOOLS draft assessments (each school's principal with an API
# token), on SQLite and on PostgreSQL (a throw-away server from test/pg.sh).
# For each engine: saves/s, p50/p99 and server CPU per save, the same load
# run twice on the same database, on PostgreSQL a third run with two servers
# on that database (half the connections each; saves/s summed, p50/p99 the
# worse of the two, CPU of both servers) (the second run sees the first run's
# history: the rate must not fall as versions accumulate), and the raw
# single-row INSERT rate of the same engine — pgbench (one INSERT per
# transaction, the same client count) for PostgreSQL, build/bench/insert_rate
# (a C loop of prepared autocommit INSERTs, the server's WAL settings) for
# SQLite. At the end `chiso audit verify` and `chiso levels verify` must
# pass on each database. A benchmark: it prints figures and never fails on
# timing.
#
# BENCH_SECONDS (10) per run, BENCH_CONNS (64), BENCH_SCHOOLS (16),
# BENCH_THREADS (chiso serve --threads; empty: its default),
# BENCH_ENGINES ("sqlite pg"), BENCH_REPLY (full: the assessment as GET
# returns it, as by default; minimal: "Prefer: return=minimal"), BENCH_PERF (a path: perf record of the
# server during each engine's first run, into PATH.ENGINE), CHISO_BEFORE (another
# build of chiso, e.g. the branch point's: each engine is then measured with
# it first and with CHISO second, each on a database of its own, in the
# same run and under the same load; labels before:… and now:…).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
CHISO_NOW=$CHISO
CHISO_BEFORE=${CHISO_BEFORE:-}
case $CHISO_BEFORE in /*|'') ;; *) CHISO_BEFORE="$PWD/$CHISO_BEFORE" ;; esac
BUILDS=now
[ -n "$CHISO_BEFORE" ] && BUILDS="before now"
RAW=${RAW:-$PWD/build/bench/insert_rate}
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
SECONDS_EACH=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNS:-64}
SCHOOLS=${BENCH_SCHOOLS:-16}
ENGINES=${BENCH_ENGINES:-sqlite pg}
REPLY=${BENCH_REPLY:-full}
root=$PWD
psql_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

die() { echo "bench/saves: $*" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || die "wrk is not installed (make bench installs bench/deps)"
[ -x "$CHISO" ] || die "no $CHISO (build first)"
[ -x "$RAW" ] || die "no $RAW (make build/bench/insert_rate)"

tmp=$(mktemp -d /tmp/chiso-bench-saves-XXXXXX)
server_pid= server2_pid= pg_url=
cleanup() {
	[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	[ -n "$server2_pid" ] && kill -TERM "$server2_pid" 2>/dev/null && wait "$server2_pid" 2>/dev/null
	[ -n "$pg_url" ] && "$root/test/pg.sh" stop "$pg_url" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ticks() {
	pids="$1 $(cat /proc/"$1"/task/*/children 2>/dev/null)"
	for p in $pids; do cut -d')' -f2 /proc/"$p"/stat 2>/dev/null; done | awk '{ t += $12 + $13 } END { print t + 0 }'
}
pg_ticks() {   # the postmaster and its backends (its direct children)
	pgdir=$(echo "$pg_url" | sed 's/.*host=\([^&]*\).*/\1/')
	ticks "$(head -1 "$pgdir/data/postmaster.pid")"
}
hz=$(getconf CLK_TCK)

# The world: a Phòng, SCHOOLS THCS each with a principal and an API token.
make_world() {   # $1 = database target
	{
		echo "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục"
		echo "79760000,Phòng Giáo dục và Đào tạo Quận 7,Phòng GD&ĐT,,,\"1362 Huỳnh Tấn Phát, Quận 7\",Công lập"
		i=1
		while [ $i -le "$SCHOOLS" ]; do
			printf '797603%02d,Trường THCS số %d,THCS,79760000,79760000,"%d Bùi Văn Ba, Quận 7",Công lập\n' "$i" "$i" "$i"
			i=$((i + 1))
		done
	} >"$tmp/units.csv"
	{
		"$CHISO" unit import "$tmp/units.csv" --db "$1" --from 2020-01-01 &&
		"$CHISO" round open --office 79760000 --year 2024-2025 --framework thcs=qd4725-2022 \
			--self-due "$(date -d '+12 days' +%F)" --db "$1"
	} >"$tmp/setup.log" 2>&1 || die "fixture: $(tail -3 "$tmp/setup.log")"
	: >"$tmp/tokens"
	i=1
	while [ $i -le "$SCHOOLS" ]; do
		code=$(printf '797603%02d' "$i")
		"$CHISO" user add "ht.$code" --name "Hiệu trưởng $i" --password chiso2025 --role principal --unit "$code" \
			--db "$1" >>"$tmp/setup.log" 2>&1 || die "user: $(tail -3 "$tmp/setup.log")"
		tok=$("$CHISO" token create "ht.$code" --label bench --db "$1" 2>>"$tmp/setup.log") || die "token: $(tail -3 "$tmp/setup.log")"
		echo "$tok" >>"$tmp/tokens"
		i=$((i + 1))
	done
}

start_server() {   # $1 = database target
	port=$(free_port)
	base="http://127.0.0.1:$port"
	mkdir -p "$tmp/files"
	# shellcheck disable=SC2086
	"$CHISO" serve --db "$1" --blobs "$tmp/files" --port "$port" --quiet ${BENCH_THREADS:+--threads $BENCH_THREADS} \
		>"$tmp/serve.out" 2>"$tmp/serve.err" &
	server_pid=$!
	i=0
	until curl -s -o /dev/null "$base/dang-nhap"; do
		i=$((i + 1))
		{ [ $i -gt 300 ] || ! kill -0 "$server_pid" 2>/dev/null; } && die "chiso serve did not start: $(cat "$tmp/serve.err")"
		sleep 0.1
	done
	# each school answers the whole fixture once (this starts its
	# assessment), which also finds the assessment id of each token
	python3 -c 'import json,sys; print(json.dumps({"answers": json.load(open(sys.argv[1]))["answers"]}))' \
		"$root/test/fixtures/answers/qd4725-thcs.json" >"$tmp/answers.json"
	: >"$tmp/pairs"
	for tok in $(cat "$tmp/tokens"); do
		found=
		aid=1
		while [ $aid -le $((SCHOOLS + 1)) ]; do
			st=$(curl -s -o "$tmp/put.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $tok" \
				-H 'Content-Type: application/json' --data-binary @"$tmp/answers.json" "$base/api/v1/danh-gia/$aid/tra-loi")
			if [ "$st" = 200 ]; then found=$aid; break; fi
			aid=$((aid + 1))
		done
		[ -n "$found" ] || die "no assessment for a token: $(head -c 300 "$tmp/put.json")"
		echo "$found $tok" >>"$tmp/pairs"
	done
}

# A second server on the same database (PostgreSQL: issue 14's scale-out);
# run then splits the connections between the two.
start_second_server() {   # $1 = database target
	port2=$(free_port)
	base2="http://127.0.0.1:$port2"
	# shellcheck disable=SC2086
	"$CHISO" serve --db "$1" --blobs "$tmp/files" --port "$port2" --quiet ${BENCH_THREADS:+--threads $BENCH_THREADS} \
		>"$tmp/serve2.out" 2>"$tmp/serve2.err" &
	server2_pid=$!
	i=0
	until curl -s -o /dev/null "$base2/dang-nhap"; do
		i=$((i + 1))
		{ [ $i -gt 300 ] || ! kill -0 "$server2_pid" 2>/dev/null; } && die "second chiso serve did not start: $(cat "$tmp/serve2.err")"
		sleep 0.1
	done
}

stop_server() {
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
	if [ -n "$server2_pid" ]; then
		kill -TERM "$server2_pid" 2>/dev/null
		wait "$server2_pid" 2>/dev/null
		server2_pid=
	fi
}

# wrk's script: a random school, a random yes/no item, a random value.
cat >"$tmp/saves.lua" <<'EOF'
local pairs_file = os.getenv("PAIRS")
local minimal = os.getenv("REPLY") == "minimal"
local ids, toks = {}, {}
for line in io.lines(pairs_file) do
	local id, tok = line:match("^(%d+) (%S+)$")
	ids[#ids + 1] = id
	toks[#toks + 1] = tok
end
local items = { "1.1", "1.2", "1.3.1", "1.3.3", "1.3.5", "1.5.1", "1.5.2", "1.7.3", "2.1", "2.2",
	"2.3.1", "2.3.2", "2.3.4", "2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9", "2.4.1", "2.4.2", "2.4.3" }
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
	local k = math.random(#ids)
	local body = string.format('{"answers": {"%s": %s}}', items[math.random(#items)],
		math.random(2) == 1 and "true" or "false")
	local h = { ["Authorization"] = "Bearer " .. toks[k], ["Content-Type"] = "application/json" }
	if minimal then h["Prefer"] = "return=minimal" end
	return wrk.format("PUT", "/api/v1/danh-gia/" .. ids[k] .. "/tra-loi", h, body)
end
response = function(status)
	if status ~= 200 then io.stderr:write("status " .. status .. "\n") end
end
EOF

# run LABEL — one wrk run; appends "ENGINE LABEL saves/s p50 p99 non2xx cpu_us_chiso cpu_us_pg why lock_waits" to results
server_ticks() { echo $(($(ticks "$server_pid") + ${server2_pid:+$(ticks "$server2_pid")}+0)); }
run() {
	t0=$(server_ticks)
	p0=0; [ "$engine" = pg ] && p0=$(pg_ticks)
	perf_pid=
	if [ -n "${BENCH_PERF:-}" ] && [ "$1" = now:first ]; then
		perf record -F 499 --call-graph dwarf,16384 -o "$BENCH_PERF.$engine" -p "$server_pid" >/dev/null 2>&1 &
		perf_pid=$!
		if [ "$engine" = pg ]; then
			pgdir=$(echo "$pg_url" | sed 's/.*host=\([^&]*\).*/\1/')
			backends=$(cat /proc/"$(head -1 "$pgdir/data/postmaster.pid")"/task/*/children | tr ' ' '\n' | grep . | paste -sd,)
			perf record -F 499 -g -o "$BENCH_PERF.postgres" -p "$backends" >/dev/null 2>&1 &
			perf_pid="$perf_pid $!"
		fi
	fi
	sampler=
	if [ "$engine" = pg ]; then
		# what the backends wait on, every 0.2 s: the share of busy backends
		# waiting for the write lock (an advisory lock) is the lock's cost
		(
			end=$(($(date +%s) + SECONDS_EACH))
			while [ "$(date +%s)" -lt "$end" ]; do
				"$psql_bin/psql" -At "$pg_url" -c "SELECT count(*) FILTER (WHERE wait_event = 'advisory'),
					count(*) FILTER (WHERE state = 'active' AND pid <> pg_backend_pid())
					FROM pg_stat_activity WHERE backend_type = 'client backend'" 2>/dev/null
				sleep 0.2
			done
		) >"$tmp/waits" &
		sampler=$!
	fi
	if [ -z "$server2_pid" ]; then
		PAIRS="$tmp/pairs" REPLY=$REPLY wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency -s "$tmp/saves.lua" "$base" >"$tmp/wrk.out" 2>&1
	else
		# half the connections to each server, at the same time
		PAIRS="$tmp/pairs" REPLY=$REPLY wrk -t1 -c"$((CONNS / 2))" -d"${SECONDS_EACH}s" --latency -s "$tmp/saves.lua" "$base" >"$tmp/wrk.out" 2>&1 &
		PAIRS="$tmp/pairs" REPLY=$REPLY wrk -t1 -c"$((CONNS - CONNS / 2))" -d"${SECONDS_EACH}s" --latency -s "$tmp/saves.lua" "$base2" >"$tmp/wrk2.out" 2>&1
		wait $!
		cat "$tmp/wrk2.out" >>"$tmp/wrk.out"
	fi
	t1=$(server_ticks)
	lockw=-
	if [ -n "$sampler" ]; then
		wait "$sampler"
		lockw=$(awk -F'|' '{ w += $1; b += $2 } END { printf "%.0f%%", b ? 100 * w / b : 0 }' "$tmp/waits")
	fi
	for p in $perf_pid; do kill -INT "$p" && wait "$p"; done
	p1=0; [ "$engine" = pg ] && p1=$(pg_ticks)
	awk -v engine="$engine" -v label="$1" -v lockw="$lockw" -v cpu="$((t1 - t0))" -v pcpu="$((p1 - p0))" -v hz="$hz" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/Requests\/sec:/ { rps += $2 }
		$1 == "50%" && ms($2) > p50 { p50 = ms($2) }
		$1 == "99%" && ms($2) > p99 { p99 = ms($2) }
		/Non-2xx/ { bad += $NF }
		$1 == "status" { st[$2]++ }
		/requests in/ { n += $1 }
		END { why = ""; for (c in st) why = why (why ? "," : "") c "x" st[c]; if (why == "") why = "-"
			printf "%s %s %.0f %.2f %.2f %d %.0f %.0f %s %s\n", engine, label, rps, p50, p99, bad + 0,
			n ? cpu / hz * 1e6 / n : 0, n ? pcpu / hz * 1e6 / n : 0, why, lockw }' "$tmp/wrk.out" >>"$tmp/results"
}

: >"$tmp/results"
: >"$tmp/raw"
for engine in $ENGINES; do
	case $engine in
	sqlite) ;;
	pg) pg_url=$("$root/test/pg.sh" start) || die "test/pg.sh start failed" ;;
	*) die "unknown engine $engine" ;;
	esac
	for build in $BUILDS; do
		CHISO=$CHISO_NOW; [ "$build" = before ] && CHISO=$CHISO_BEFORE
		case $engine in
		sqlite) target="$tmp/chiso-$build.db" ;;
		pg)
			"$psql_bin/psql" -q "$pg_url" -c "CREATE DATABASE chiso_$build" >/dev/null || die "create database"
			target=$(printf '%s' "$pg_url" | sed "s,^\(postgres[a-z]*://[^/]*\)/[^?]*,\1/chiso_$build,")
			;;
		esac
		make_world "$target"
		start_server "$target"
		run "$build:first"
		run "$build:second"
		if [ "$engine" = pg ]; then
			start_second_server "$target"
			run "$build:two-servers"
		fi
		stop_server
		"$CHISO" audit verify --db "$target" >"$tmp/verify.out" 2>&1 || die "$engine: audit verify failed: $(tail -3 "$tmp/verify.out")"
		"$CHISO" levels verify --db "$target" >>"$tmp/verify.out" 2>&1 || die "$engine: levels verify failed: $(tail -3 "$tmp/verify.out")"
		versions=$("$CHISO" audit verify --db "$target" 2>/dev/null | head -1)
		echo "$engine $build: $versions" >>"$tmp/verified"
	done
	CHISO=$CHISO_NOW
	if [ "$engine" = sqlite ]; then
		raw=$("$RAW" "$tmp/raw.db" "$SECONDS_EACH" | awk '{ print $3 }')
		echo "sqlite $raw C loop of prepared autocommit INSERTs, one connection" >>"$tmp/raw"
	else
		# pgbench: one single-row INSERT per transaction, as many clients as wrk has
		psql_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
		"$psql_bin/psql" -q "$pg_url" -c "CREATE TABLE bench_raw (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)" >/dev/null
		echo "INSERT INTO bench_raw (v) VALUES ('{\"1.1\": true}');" >"$tmp/insert.sql"
		# (test/pg.sh allows 50 connections: at most 40 clients)
		clients=$CONNS; [ "$clients" -gt 40 ] && clients=40
		pgbench -n -f "$tmp/insert.sql" -c "$clients" -j 2 -T "$SECONDS_EACH" "$pg_url" >"$tmp/pgbench.out" 2>&1 ||
			die "pgbench: $(tail -3 "$tmp/pgbench.out")"
		raw=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$tmp/pgbench.out" | head -1)
		echo "pg ${raw%.*} pgbench, one INSERT per transaction, $clients clients" >>"$tmp/raw"
		"$root/test/pg.sh" stop "$pg_url" >/dev/null 2>&1
		pg_url=
	fi
done

echo "bench/saves: PUT /api/v1/danh-gia/{id}/tra-loi, one yes/no answer changed per request, $SCHOOLS draft assessments"
echo "  wrk -t2 -c$CONNS, ${SECONDS_EACH} s per run, two runs on the same database; client, server and PostgreSQL share $(nproc) cores"
echo "  reply: $REPLY; chiso serve --threads ${BENCH_THREADS:-default}; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
while read -r engine label rps p50 p99 bad cpu pcpu why lockw; do
	rawr=$(awk -v e="$engine" '$1 == e { print $2 }' "$tmp/raw")
	printf "  %-6s %-18s %6d saves/s  p50 %6.2f ms  p99 %7.2f ms  non-2xx %d (%s)  CPU/save chiso %5d µs" \
		"$engine" "$label" "$rps" "$p50" "$p99" "$bad" "$why" "$cpu"
	[ "$engine" = pg ] && printf " + postgres %5d µs  lock waits %s" "$pcpu" "$lockw"
	awk -v r="$rps" -v raw="$rawr" 'BEGIN { if (raw > 0) printf "  = %.1f%% of raw INSERT\n", 100 * r / raw; else print "" }'
done <"$tmp/results"
while read -r engine raw how; do
	printf "  %-6s raw INSERT %7d rows/s (%s)\n" "$engine" "$raw" "$how"
done <"$tmp/raw"
awk '{ split($2, l, ":"); r[$1, l[1], l[2]] = $3 }
	END { for (k in r) { split(k, p, SUBSEP); if (p[3] == "first" && r[p[1], p[2], "second"])
		printf "  %-6s %-6s second run / first run: %.2f\n", p[1], p[2], r[p[1], p[2], "second"] / r[p[1], p[2], "first"] } }' "$tmp/results"
sed 's/^/  verified: /' "$tmp/verified"
