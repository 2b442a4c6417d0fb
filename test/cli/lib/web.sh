# test/cli/lib/web.sh — shared by the web tests (web_security.sh, browser.sh):
# the demo data set as a fixture, a server on a free port, sign-in with curl.
# Sourced, not run (test/run.sh runs only test/cli/*.sh). Needs $CHISO and $tmp.

# The demo data set takes about a minute to build, so one copy per build is
# kept beside the binary and copied for each test; it is rebuilt when the
# binary changes or after a day. Its "today" is ten days ahead, so that the
# current round's self-assessment deadline (five days before the demo's
# today) is still ahead of the real date: schools in draft can still submit.
demo_fixture() {
	cache="$(dirname "$CHISO")/fixtures/demo"
	if [ ! -f "$cache/ok" ] || [ "$CHISO" -nt "$cache/ok" ] || [ -n "$(find "$cache/ok" -mmin +1440 2>/dev/null)" ]; then
		# one builder at a time per build directory (plain and sanitizer runs differ)
		mkdir -p "$(dirname "$cache")"
		(
			flock 9
			if [ ! -f "$cache/ok" ] || [ "$CHISO" -nt "$cache/ok" ] || [ -n "$(find "$cache/ok" -mmin +1440 2>/dev/null)" ]; then
				rm -rf "$cache" && mkdir -p "$cache"
				"$CHISO" demo --db "$cache/chiso.db" --blobs "$cache/files" --today "$(date -d '+10 days' +%F)" \
					>"$cache/demo.log" 2>&1 && touch "$cache/ok"
			fi
		) 9>"$(dirname "$cache")/.demo.lock"
		[ -f "$cache/ok" ] || { cat "$cache/demo.log" >&2; return 1; }
	fi
	cp "$cache/chiso.db" "$tmp/chiso.db" && cp -r "$cache/files" "$tmp/files"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server [ENV=VALUE …] — chiso serve on $tmp/chiso.db; sets $port, $server_pid, $base
start_server() {
	port=$(free_port)
	# Under ASan, full (slow) unwinding on malloc: fontconfig's one-time
	# leak is suppressed by its library name (doc_pdf.c), which the fast
	# frame-pointer unwinder loses when a library without frame pointers
	# (expat, called by fontconfig) sits in between.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0" \
	env "$@" "$CHISO" serve --db "$tmp/chiso.db" --blobs "$tmp/files" --port "$port" --quiet \
		>"$tmp/serve.out" 2>"$tmp/serve.err" &
	server_pid=$!
	base="http://127.0.0.1:$port"
	i=0
	until curl -s -o /dev/null "$base/dang-nhap"; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
			echo "server did not start:" >&2; cat "$tmp/serve.err" >&2; return 1
		fi
		sleep 0.1
	done
}

# smtp_sink_start DIR — lib/smtp_sink.py accepting mail into DIR (N.eml each);
# sets $sinkpid (the caller kills it) and $sink_port
smtp_sink_start() {
	mkdir -p "$1"
	python3 "$(dirname "$0")/lib/smtp_sink.py" "$1" >"$tmp/sink.port" 2>"$tmp/sink.log" &
	sinkpid=$!
	# up to 10 s: python's start on a loaded machine (load 20+) can take seconds
	i=0
	while [ $i -lt 50 ] && [ ! -s "$tmp/sink.port" ]; do sleep 0.2; i=$((i + 1)); done
	sink_port=$(cat "$tmp/sink.port")
	[ -n "$sink_port" ]
}

# stop_server — SIGTERM; $server_rc is its exit status
stop_server() {
	server_rc=0
	[ -n "${server_pid:-}" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null; server_rc=$?
	server_pid=
}

# server_clean NAME — an "ok"/"not ok" line: the server stopped with status 0 and
# wrote no sanitizer report (under ASan/UBSan a report means a bug even when every
# request looked right)
server_clean() {
	stop_server
	if [ "$server_rc" = 0 ] && ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/serve.err"; then
		echo "ok $1"
	else
		echo "not ok $1"; echo "  exit status $server_rc"; grep -m5 -E 'Sanitizer|runtime error' "$tmp/serve.err" | sed 's/^/  /'
	fi
}

# form_csrf JAR PATH — the _csrf of a page's form (also sets the pre-session cookie)
form_csrf() {
	curl -s -b "$1" -c "$1" "$base$2" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1
}

# signin JAR LOGIN [PASSWORD] — prints the HTTP status of the sign-in POST (303 = signed in)
signin() {
	c=$(form_csrf "$1" /dang-nhap)
	curl -s -o "$tmp/signin.html" -w '%{http_code}' -b "$1" -c "$1" --data-urlencode "login=$2" \
		--data-urlencode "password=${3:-chiso2025}" --data-urlencode "_csrf=$c" "$base/dang-nhap"
}

# cookie_value JAR NAME
cookie_value() {
	awk -v n="$2" '$6 == n { v = $7 } END { print v }' "$1"
}
