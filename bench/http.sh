#!/bin/sh
# bench/http.sh — the school's assessment page (GET /danh-gia/{id}) of a
# signed-in principal served by `chiso serve`, against Debian's nginx
# serving the very same bytes as a static file, in one run, with wrk.
# Prints requests per second, p50/p99 latency and the ratio (COMPASS P1
# asks for at least half of nginx's static throughput). P1 is measured
# without compression (wrk sends no Accept-Encoding, and that chiso runs
# with CHISO_COMPRESS=0): nginx serves the same uncompressed bytes.
#
# Then the cost of compression (issue 20): the same page and the round
# summary (GET /tong-hop/{round}, a big page, as the office's officer) with
# "Accept-Encoding: gzip", from a chiso with CHISO_COMPRESS=1 (on the fly,
# zlib level 5) and one with CHISO_COMPRESS=0 on the same database: bytes
# per response and server CPU per request both ways.
#
# The world is a small fixture built through the CLI and the JSON API (a
# Phòng, one THCS with every item of test/fixtures/answers/qd4725-thcs.json
# answered, its principal) so that it takes a second, not the demo's
# minute. BENCH_DB=PATH BENCH_LOGIN=ht.52101001 BENCH_ID=N measures an
# existing database instead (e.g. the demo's), password chiso2025; with
# BENCH_OFFICE_LOGIN=so.binhdinh BENCH_ROUND=N also that round's summary.
#
# nginx and wrk come from bench/deps (`make bench` installs them). nginx is
# started by this script on a free port with a configuration in a
# temporary directory and stopped at the end. Client and server share the
# machine's cores, as they would on a small school-district server; the
# figures say so. A benchmark: it prints figures and never fails on timing.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
SECONDS_EACH=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNS:-64}
NGINX=${NGINX:-/usr/sbin/nginx}

die() { echo "bench/http: $*" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || die "wrk is not installed (make bench installs bench/deps)"
[ -x "$NGINX" ] || die "nginx is not installed (make bench installs bench/deps)"
[ -x "$CHISO" ] || die "no $CHISO (build first)"

tmp=$(mktemp -d /tmp/chiso-bench-http-XXXXXX)
server_pid= gz_pid= nc_pid= nginx_pid=
cleanup() {
	[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null
	[ -n "$nc_pid" ] && kill -TERM "$nc_pid" 2>/dev/null
	[ -n "$gz_pid" ] && kill -TERM "$gz_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- the world ---------------------------------------------------------------
if [ -n "${BENCH_DB:-}" ]; then
	db=$BENCH_DB login=${BENCH_LOGIN:?BENCH_LOGIN} aid=${BENCH_ID:?BENCH_ID}
	office_login=${BENCH_OFFICE_LOGIN:-} round=${BENCH_ROUND:-}
	where="$BENCH_DB ($login, assessment $aid)"
else
	db="$tmp/chiso.db" login=ht.nht office_login=cb.q7 round=1
	cat >"$tmp/units.csv" <<'EOF'
Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục
79760000,Phòng Giáo dục và Đào tạo Quận 7,Phòng GD&ĐT,,,"1362 Huỳnh Tấn Phát, Quận 7",Công lập
79760301,Trường THCS Nguyễn Hữu Thọ,THCS,79760000,79760000,"40/7 Bùi Văn Ba, Phường Tân Thuận Đông, Quận 7",Công lập
EOF
	{
		"$CHISO" unit import "$tmp/units.csv" --db "$db" --from 2020-01-01 &&
		"$CHISO" round open --office 79760000 --year 2024-2025 --framework thcs=qd4725-2022 \
			--self-due "$(date -d '+12 days' +%F)" --db "$db" &&
		"$CHISO" user add ht.nht --name "Nguyễn Văn An" --password chiso2025 --role principal --unit 79760301 --db "$db" &&
		"$CHISO" user add cb.q7 --name "Lê Thị Hoa" --password chiso2025 --role officer --unit 79760000 --db "$db"
	} >"$tmp/setup.log" 2>&1 || die "fixture: $(tail -3 "$tmp/setup.log")"
	token=$("$CHISO" token create ht.nht --label bench --db "$db" 2>>"$tmp/setup.log") || die "token: $(tail -3 "$tmp/setup.log")"
	aid=1
	where="fixture: one THCS, every item of qd4725-thcs.json answered"
fi

mkdir -p "$tmp/files"
# serve COMPRESS [CACHE_MB] — a chiso serve with CHISO_COMPRESS=COMPRESS (and
# CHISO_PAGE_CACHE_MB=CACHE_MB: 0 keeps no rendered page); sets $pid and $url
# (--quiet: no access log line per request; nginx below logs nothing either)
serve() {
	p=$(free_port)
	url="http://127.0.0.1:$p"
	CHISO_COMPRESS=$1 CHISO_PAGE_CACHE_MB=${2:-64} "$CHISO" serve --db "$db" --blobs "$tmp/files" --port "$p" --quiet \
		>"$tmp/serve$1${2:-}.out" 2>"$tmp/serve$1${2:-}.err" &
	pid=$!
	i=0
	until curl -s -o /dev/null "$url/dang-nhap"; do
		i=$((i + 1))
		{ [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; } && die "chiso serve did not start: $(cat "$tmp/serve$1${2:-}.err")"
		sleep 0.1
	done
}
# the plain server (P1, and compression off) and the compressing one, on the same database
serve 0; server_pid=$pid base=$url
serve 1; gz_pid=$pid gz_base=$url
# and the plain one keeping no rendered page (page_cache.c): P1 before the cache, in the same run
serve 0 0; nc_pid=$pid nc_base=$url

if [ -z "${BENCH_DB:-}" ]; then
	python3 -c 'import json,sys; print(json.dumps({"answers": json.load(open(sys.argv[1]))["answers"]}))' \
		test/fixtures/answers/qd4725-thcs.json >"$tmp/answers.json"
	st=$(curl -s -o "$tmp/put.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' --data-binary @"$tmp/answers.json" "$base/api/v1/danh-gia/$aid/tra-loi")
	[ "$st" = 200 ] || die "answers: HTTP $st $(head -c 300 "$tmp/put.json")"
fi

# sign in as a browser does: the form's CSRF token, then the POST; prints the
# session's Cookie header (the session lives in the database: both servers take it)
signin() {
	jar="$tmp/jar.$1"
	csrf=$(curl -s -b "$jar" -c "$jar" "$base/dang-nhap" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	st=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "login=$1" \
		--data-urlencode "password=chiso2025" --data-urlencode "_csrf=$csrf" "$base/dang-nhap")
	[ "$st" = 303 ] || die "sign-in of $1: HTTP $st"
	c=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar")
	[ -n "$c" ] || die "no session cookie for $1"
	printf '%s' "$c"
}
cookie=$(signin "$login") || exit 1

page="/danh-gia/$aid"
mkdir -p "$tmp/www"
st=$(curl -s -o "$tmp/www/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$base$page")
[ "$st" = 200 ] || die "GET $page: HTTP $st"
bytes=$(wc -c <"$tmp/www/page.html")
grep -q 'Tổng điểm\|Nhóm' "$tmp/www/page.html" || die "GET $page did not return the assessment form"
# the page kept (page_cache.c: the second view is a hit) is byte for byte the page rendered
curl -s -H "Cookie: $cookie" "$base$page" | cmp -s - "$tmp/www/page.html" || die "the kept $page differs from the rendered one"
curl -s -H "Cookie: $cookie" "$nc_base$page" | cmp -s - "$tmp/www/page.html" || die "$page without the cache differs"
# and as the compressing server sends it, for nginx's gzip_static (P1 with compression)
curl -s -o "$tmp/www/page.html.gz" -H "Cookie: $cookie" -H 'Accept-Encoding: gzip' "$gz_base$page"
gunzip -c "$tmp/www/page.html.gz" | cmp -s - "$tmp/www/page.html" || die "the gzip'd $page is not the page"

# ---- nginx with the same bytes -------------------------------------------------
nport=$(free_port)
mkdir -p "$tmp/nginx/logs"
# run as root, nginx's workers become nobody: they must read the page
chmod 755 "$tmp" "$tmp/www" && chmod 644 "$tmp/www/page.html" "$tmp/www/page.html.gz"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	types { }
	default_type "text/html; charset=utf-8";
	server {
		listen 127.0.0.1:$nport;
		root $tmp/www;
		gzip_static on;         # page.html.gz to a client that accepts gzip
		location / { try_files /page.html =404; }
	}
}
EOF
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>"$tmp/nginx/stderr" &
nginx_pid=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$nport/"; do
	i=$((i + 1))
	{ [ $i -gt 100 ] || ! kill -0 "$nginx_pid" 2>/dev/null; } && die "nginx did not start: $(cat "$tmp/nginx/stderr" "$tmp/nginx/logs/error.log")"
	sleep 0.1
done
nbytes=$(curl -s "http://127.0.0.1:$nport$page" | wc -c)
[ "$nbytes" = "$bytes" ] || die "nginx served $nbytes bytes, chiso $bytes"

# ---- measure ----------------------------------------------------------------------
# CPU time (clock ticks, user + system) of a process and its children's
# threads: the server's cost per request, which a loaded machine disturbs
# far less than the throughput (other jobs take cores, not instructions).
ticks() {
	pids="$1 $(cat /proc/"$1"/task/*/children 2>/dev/null)"
	for p in $pids; do cut -d')' -f2 /proc/"$p"/stat 2>/dev/null; done | awk '{ t += $12 + $13 } END { print t + 0 }'
}
hz=$(getconf CLK_TCK)
# wrk_run LABEL URL [HEADER …] — appends "LABEL rps p50_ms p99_ms non2xx cpu_us_per_request" to
# $RESULTS ($tmp/results); the server measured: nginx for "nginx", the compressing chiso for
# a label ending in "-gz", the plain one otherwise
wrk_run() {
	label=$1 target=$2
	shift 2
	case $label in nginx*) pid=$nginx_pid ;; *-gz) pid=$gz_pid ;; *-nocache) pid=$nc_pid ;; *) pid=$server_pid ;; esac
	for h in "$@"; do set -- "$@" -H "$h"; shift; done
	t0=$(ticks "$pid")
	wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency "$@" "$target" >"$tmp/wrk.out" 2>&1
	t1=$(ticks "$pid")
	awk -v label="$label" -v cpu="$((t1 - t0))" -v hz="$hz" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/Requests\/sec:/ { rps = $2 }
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/Non-2xx/ { bad = $NF }
		/Socket errors/ { err = 1 }
		/requests in/ { n = $1 }
		END { printf "%s %.0f %.2f %.2f %d %.1f\n", label, rps, p50, p99, bad + 0, n ? cpu / hz * 1e6 / n : 0 }' "$tmp/wrk.out" >>"${RESULTS:-$tmp/results}"
}
: >"$tmp/results"
r=1
while [ $r -le "$ROUNDS" ]; do
	wrk_run nginx "http://127.0.0.1:$nport$page"
	wrk_run chiso "$base$page" "Cookie: $cookie"
	wrk_run chiso-nocache "$nc_base$page" "Cookie: $cookie"
	r=$((r + 1))
done

cores=$(nproc)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/http: GET $page as $login, $bytes bytes of HTML ($where)"
echo "  wrk -t2 -c$CONNS, ${SECONDS_EACH} s per run, $ROUNDS rounds alternating nginx / chiso; client and servers share $cores cores"
echo "  load average at the end: $load (a shared, loaded machine: compare the two columns of one run, not runs of different days)"
awk '
	{ rps[$1, ++n[$1]] = $2; p50[$1, n[$1]] = $3; p99[$1, n[$1]] = $4; cpu[$1, n[$1]] = $6 }
	END {
		for (k = 1; k <= n["nginx"]; k++)
			printf "  round %d: nginx %6d req/s (p50 %6.2f ms, p99 %7.2f ms, %5.1f µs CPU/req) | chiso %6d req/s (p50 %6.2f ms, p99 %7.2f ms, %6.1f µs CPU/req) | ratio %.2f\n",
				k, rps["nginx", k], p50["nginx", k], p99["nginx", k], cpu["nginx", k], rps["chiso", k], p50["chiso", k], p99["chiso", k],
				cpu["chiso", k], rps["nginx", k] ? rps["chiso", k] / rps["nginx", k] : 0
	}' "$tmp/results"
# the medians of the rounds
med() { grep "^$1 " "${3:-$tmp/results}" | awk -v c="$2" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
nr=$(med nginx 2) cr=$(med chiso 2)
nc=$(med nginx 6) cc=$(med chiso 6)
awk -v nr="$nr" -v cr="$cr" -v n50="$(med nginx 3)" -v n99="$(med nginx 4)" -v c50="$(med chiso 3)" -v c99="$(med chiso 4)" \
    -v nc="$nc" -v cc="$cc" 'BEGIN {
	printf "  median:  nginx static %7d req/s  p50 %6.2f ms  p99 %7.2f ms  %6.1f µs server CPU per request\n", nr, n50, n99, nc
	printf "           chiso page   %7d req/s  p50 %6.2f ms  p99 %7.2f ms  %6.1f µs server CPU per request\n", cr, c50, c99, cc
	printf "  throughput chiso / nginx = %.2f (P1 asks for >= 0.50); CPU per request nginx / chiso = %.2f\n", nr ? cr / nr : 0, cc ? nc / cc : 0 }'
awk -v nr="$nr" -v r="$(med chiso-nocache 2)" -v c50="$(med chiso-nocache 3)" -v c99="$(med chiso-nocache 4)" -v cc="$(med chiso-nocache 6)" 'BEGIN {
	printf "  before the kept page (CHISO_PAGE_CACHE_MB=0): %d req/s  p50 %.2f ms  p99 %.2f ms  %.1f µs server CPU per request; chiso / nginx = %.2f\n",
		r, c50, c99, cc, nr ? r / nr : 0 }'
bad=$(awk '$1 == "chiso" { s += $5 } END { print s + 0 }' "$tmp/results")
[ "$bad" -eq 0 ] || echo "  WARNING: $bad non-2xx replies from chiso during the runs (the session may have expired)"

# ---- the cost of compression ---------------------------------------------------------
# size LABEL URL COOKIE — bytes of the body as sent to a client accepting gzip, and its encoding
size() {
	curl -s -o "$tmp/body" -D "$tmp/head" -H "Cookie: $3" -H 'Accept-Encoding: gzip' "$2"
	grep -q '^HTTP/[0-9.]* 200' "$tmp/head" || die "GET $2: $(head -1 "$tmp/head")"
	enc=$(sed -n 's/^[Cc]ontent-[Ee]ncoding: *\([a-z]*\).*/\1/p' "$tmp/head")
	echo "$1 $(wc -c <"$tmp/body") ${enc:-identity}" >>"$tmp/sizes"
}
pages="assessment $page $cookie"
if [ -n "$office_login" ] && [ -n "$round" ]; then
	ocookie=$(signin "$office_login") || exit 1
	pages="$pages
summary /tong-hop/$round $ocookie"
fi
RESULTS="$tmp/gz" && : >"$RESULTS" && : >"$tmp/sizes"
echo "$pages" | while read -r name path c; do
	size "$name-plain" "$base$path" "$c"
	size "$name-gz" "$gz_base$path" "$c"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		wrk_run "$name-plain" "$base$path" "Cookie: $c" "Accept-Encoding: gzip"
		wrk_run "$name-gz" "$gz_base$path" "Cookie: $c" "Accept-Encoding: gzip"
		[ "$name" = assessment ] && wrk_run nginx-gz "http://127.0.0.1:$nport$page" "Accept-Encoding: gzip"
		r=$((r + 1))
	done
done
echo "bench/http: compression, each page sent to a client accepting gzip (CHISO_COMPRESS=0 | =1: zlib at src/http.h's HTTP_GZIP_LEVEL), medians of $ROUNDS rounds"
echo "$pages" | while read -r name path c; do
	awk -v n="$name" -v path="$path" '
		FILENAME ~ /sizes$/ { b[$1] = $2; e[$1] = $3; next }
		{ k = $1; rps[k, ++m[k]] = $2; cpu[k, m[k]] = $6 }
		function med(k, a,   i, j, t, v) {
			for (i = 1; i <= m[k]; i++) v[i] = (a == "rps" ? rps[k, i] : cpu[k, i])
			for (i = 1; i <= m[k]; i++) for (j = i + 1; j <= m[k]; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return v[int((m[k] + 1) / 2)]
		}
		END {
			p = n "-plain"; g = n "-gz"
			printf "  %-10s GET %s\n", n, path
			printf "    CHISO_COMPRESS=0: %7d bytes %-10s %6d req/s  %7.1f µs server CPU per request\n", b[p], "(" e[p] ")", med(p, "rps"), med(p, "cpu")
			printf "    CHISO_COMPRESS=1: %7d bytes %-10s %6d req/s  %7.1f µs server CPU per request\n", b[g], "(" e[g] ")", med(g, "rps"), med(g, "cpu")
			printf "    gzip: %.1f%% of the bytes, %+.1f µs CPU per request (%.2f×)\n", b[p] ? 100 * b[g] / b[p] : 0,
				med(g, "cpu") - med(p, "cpu"), med(p, "cpu") ? med(g, "cpu") / med(p, "cpu") : 0
		}' "$tmp/sizes" "$tmp/gz"
done
bad=$(awk '{ s += $5 } END { print s + 0 }' "$tmp/gz")
[ "$bad" -eq 0 ] || echo "  WARNING: $bad non-2xx replies from chiso during the compression runs"
ngz=$(med nginx-gz 2 "$tmp/gz") cgz=$(med assessment-gz 2 "$tmp/gz")
awk -v n="$ngz" -v c="$cgz" -v nc="$(med nginx-gz 6 "$tmp/gz")" 'BEGIN {
	printf "  with compression: nginx gzip_static %d req/s (%.1f µs CPU/req) | chiso CHISO_COMPRESS=1 %d req/s: chiso / nginx = %.2f\n", n, nc, c, n ? c / n : 0 }'
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
