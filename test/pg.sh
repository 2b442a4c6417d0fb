#!/bin/sh
# test/pg.sh — a throw-away PostgreSQL server for the store tests.
#
#   url=$(test/pg.sh start)   initdb into a fresh temp directory, start the
#                             server on a Unix socket in that directory only
#                             (no TCP), print a postgresql:// URL for db_open
#   test/pg.sh stop "$url"    stop it and delete the directory (the URL or
#                             the directory itself)
#   test/pg.sh crash "$url"   stop it at once as a crash would, start it again
#   PG_DURABLE=1 test/pg.sh start   with fsync and synchronous commit (see below)
#
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user (or `nobody`) through runuser; as anyone else it runs as
# that user. The directory is short (/tmp/pg.XXXXXX) because a socket path
# must fit in 107 bytes. fsync is off (the data is thrown away anyway) unless PG_DURABLE=1.
set -u

pg_bin() {
	if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
	# The newest installed major version (Debian: /usr/lib/postgresql/15/bin).
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

pg_runner() {   # prints the user to run as, empty for "as myself"
	if [ "$(id -u)" -ne 0 ]; then return; fi
	if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

pg_start() {
	bin=$(pg_bin)
	if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
		echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
		return 1
	fi
	dir=$(mktemp -d /tmp/pg.XXXXXX) || return 1
	user=$(pg_runner)
	run=""
	if [ -n "$user" ]; then
		chown "$user" "$dir" || return 1
		run="runuser -u $user --"
	fi
	if ! $run "$bin/initdb" -D "$dir/data" -U chiso -A trust -E UTF8 --no-locale \
			--no-sync >"$dir/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		return 1
	fi
	# PG_DURABLE=1: the default durability (fsync, synchronous commit), for
	# the tests that crash the server and count acknowledged writes
	opts="-c listen_addresses='' -k $dir -c max_connections=50"
	[ "${PG_DURABLE:-}" = 1 ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	echo "$opts" >"$dir/opts"
	if ! $run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$opts" start >/dev/null 2>&1; then
		echo "pg.sh: server did not start:" >&2
		cat "$dir/server.log" >&2
		rm -rf "$dir"
		return 1
	fi
	echo "postgresql:///postgres?host=$dir&user=chiso"
}

pg_stop() {
	# Called from exit traps, possibly with a closed stdout: never die of it.
	trap '' PIPE HUP
	arg=${1:-}
	case "$arg" in
	*host=*) dir=${arg#*host=}; dir=${dir%%&*} ;;
	*) dir=$arg ;;
	esac
	case "$dir" in
	/tmp/pg.*) ;;
	*) echo "pg.sh: refusing to stop '$arg' (not a directory made by pg.sh)" >&2; return 1 ;;
	esac
	[ -d "$dir/data" ] || { rm -rf "$dir"; return 0; }
	bin=$(pg_bin)
	user=$(pg_runner)
	run=""
	[ -n "$user" ] && run="runuser -u $user --"
	$run "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
}

# pg_crash URL — kill the server as a crash would (immediate stop: no
# checkpoint, sessions cut), then start it again with the same options.
pg_crash() {
	dir=${1#*host=}; dir=${dir%%&*}
	bin=$(pg_bin)
	user=$(pg_runner)
	run=""
	[ -n "$user" ] && run="runuser -u $user --"
	$run "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || return 1
	$run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/opts")" start >/dev/null 2>&1
}

case "${1:-}" in
start) pg_start ;;
stop) pg_stop "${2:-}" ;;
crash) pg_crash "${2:-}" ;;
"") ;;   # sourced: only define the functions
*) echo "usage: $0 start | stop URL-or-DIR | crash URL" >&2; exit 2 ;;
esac
