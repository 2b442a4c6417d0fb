/* bench/dash.c — the office's round summary and the open data at national
 * size, on SQLite and on PostgreSQL, against the raw aggregation in the
 * engines' own command-line tools, in one run.
 *
 * For each backend it generates a round of a Sở over 50,000 schools
 * (bench/gen/: a CSV of units through the real importer, the round opened
 * through the store, the assessments written in bulk by q_generate.c):
 * one school in ten not started, three self-assessed, six evaluated,
 * recognised by one decision and published, each with answers drawn from
 * the framework's rules and the level the scoring engine gives them; the
 * round's stored aggregates are then counted by round_agg_rebuild (the
 * function of chiso serve's background job), and timed. Then
 * it starts `chiso serve` on that database, signs in as the Sở's
 * administrator with curl and times
 *   GET /tong-hop/{round}             the summary page (the first view scores
 *                                     every unit and stores the summaries,
 *                                     the next ones read them)
 *   GET /tong-hop/{round}/bang.csv    its table as CSV
 *   GET /tong-hop/{round}/tong-hop.xlsx  every table of the page as XLSX
 *   GET /tinh, /tinh.json             the Sở's province roll-up over the same
 *                                     schools (its numbers checked against
 *                                     the generated levels)
 *   GET /cong-khai/du-lieu.csv, .json the open data of published results
 * and, as the floor, the per-level counts by unit type in `sqlite3` and
 * `psql` (their own timers, and wall time including the tool's start).
 *
 * CHISO names the binary (default: ../chiso beside this program);
 * CHISO_BEFORE another one (e.g. a build of main) timed first on the same
 * database, for before and after in one run (without it, the binary under
 * test with CHISO_DASH_FULL=1: the summary from every unit, as before the
 * stored aggregates; the "after" run first checks that the round's
 * aggregates are current for the server and reports when); the binary under test is
 * also timed as a new build (copied to another file) for its first view;
 * BENCH_UNITS the number of schools (default 50000); BENCH_ENGINES
 * "sqlite" or "pg" for one of them (default both); BENCH_KEEP=1 keeps
 * the databases (to profile the pages on them); CHISO_TEST_PG a
 * PostgreSQL server, else test/pg.sh starts a throw-away one when run from
 * the source tree. A benchmark: it prints figures and never fails on
 * timing, only when the data cannot be made. */
#include "db.h"
#include "framework.h"
#include "gen/gen.h"
#include "util.h"
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { VARIANTS = 64, RUNS = 3 };

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static void die(db *d, const char *what)
{
	fprintf(stderr, "bench/dash: %s: %s\n", what, d ? db_errmsg(d) : "?");
	exit(1);
}

/* ---- measuring ------------------------------------------------------------------------- */


/* "-d 'x'"-safe: the values here are ours (paths, a URL, digits). */
typedef struct server {
	pid_t pid;
	int port;
	char dir[64], jar[96], base[64];
} server;

static int free_port(void)
{
	char *s = gen_first_line("python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])'");
	int p = atoi(s);
	free(s);
	return p;
}

static bool serve(const char *chiso, const char *target, server *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/chiso-bench-dash-XXXXXX");
	if (!mkdtemp(s->dir)) return false;
	snprintf(s->jar, sizeof s->jar, "%s/jar", s->dir);
	s->port = free_port();
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
	char port[16], blobs[96], log[96];
	snprintf(port, sizeof port, "%d", s->port);
	snprintf(blobs, sizeof blobs, "%s/files", s->dir);
	snprintf(log, sizeof log, "%s/serve.log", s->dir);
	s->pid = fork();
	if (s->pid == 0) {
		FILE *f = freopen(log, "w", stdout);
		if (f) dup2(fileno(stdout), 2);
		execl(chiso, chiso, "serve", "--db", target, "--blobs", blobs, "--port", port, "--quiet", (char *)NULL);
		_exit(127);
	}
	char cmd[512];
	snprintf(cmd, sizeof cmd, "curl -s -o /dev/null -w '%%{http_code}' %s/dang-nhap", s->base);
	for (int i = 0; i < 600; i++) {
		char *code = gen_first_line(cmd);
		bool up = !strcmp(code, "200");
		free(code);
		if (up) return true;
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) break;
		usleep(100000);
	}
	fprintf(stderr, "bench/dash: chiso serve did not start (%s)\n", log);
	return false;
}

static void serve_stop(server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	if (system(cmd) != 0) fprintf(stderr, "bench/dash: could not remove %s\n", s->dir);
}

/* The server's peak memory (VmHWM), in MB. */
static double peak_mb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	double kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6)) kb = atof(line + 6);
	if (f) fclose(f);
	return kb / 1024;
}

static bool add_user(const char *chiso, const char *target)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' user add so.bench --name 'Quản trị Sở' --password chiso2025 --role office_admin --unit B0000000"
	         " --db '%s' >/dev/null 2>&1 && echo ok", chiso, target);
	char *ok = gen_first_line(cmd);
	bool added = !strcmp(ok, "ok");
	free(ok);
	if (!added) fprintf(stderr, "bench/dash: user add failed\n");
	return added;
}

static bool sign_in(server *s)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "c=$(curl -s -b %s -c %s %s/dang-nhap | sed -n 's/.*name=\"_csrf\" value=\"\\([^\"]*\\)\".*/\\1/p' | head -1);"
	         " curl -s -o /dev/null -w '%%{http_code}' -b %s -c %s --data-urlencode login=so.bench --data-urlencode password=chiso2025"
	         " --data-urlencode \"_csrf=$c\" %s/dang-nhap", s->jar, s->jar, s->base, s->jar, s->jar, s->base);
	char *code = gen_first_line(cmd);
	bool in = !strcmp(code, "303");
	if (!in) fprintf(stderr, "bench/dash: sign-in: HTTP %s\n", code);
	free(code);
	return in;
}

/* GETs path RUNS times (`runs` when not 0); prints the median time, size
 * and status. */
static double get_n(server *s, const char *label, const char *path, bool signed_in, int runs)
{
	double t[RUNS];
	runs = runs > 0 && runs < RUNS ? runs : RUNS;
	char cmd[512], *out = NULL;
	snprintf(cmd, sizeof cmd, "curl -s -o /dev/null %s%s -w '%%{http_code} %%{size_download} %%{time_total}' '%s%s'",
	         signed_in ? "-b " : "", signed_in ? s->jar : "", s->base, path);
	int status = 0;
	double size = 0;
	for (int i = 0; i < runs; i++) {
		free(out);
		out = gen_first_line(cmd);
		if (sscanf(out, "%d %lf %lf", &status, &size, &t[i]) != 3) t[i] = 0;
	}
	free(out);
	double m = median(t, runs);
	printf("    %-42s %9.3f s  (median of %d; HTTP %d, %.0f KB)\n", label, m, runs, status, size / 1e3);
	if (status != 200) printf("    WARNING: %s answered %d%s\n", path, status, status == 404 ? " (is the route registered?)" : "");
	return status == 200 ? m : 0;
}

/* What the pages are measured against (the engine's own tools). */
typedef struct floors {
	double summary;   /* the level counts by unit type */
	double open;      /* the published results' rows */
} floors;

static double get(server *s, const char *label, const char *path, bool signed_in)
{
	return get_n(s, label, path, signed_in, RUNS);
}

static const char floor_sql[] =
	"SELECT u.type, COALESCE(a.recognised_level, a.external_level, a.self_level, 0) AS level, COUNT(*)"
	" FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.round_id = 1"
	" GROUP BY u.type, COALESCE(a.recognised_level, a.external_level, a.self_level, 0) ORDER BY 1, 2";

/* The floor in the engine's own tool: its timer over RUNS runs of the
 * query in one session (median), and the wall time of one run of the tool
 * including its start. */
static double floor_cli(bool pg, const char *target, const gen_world *w)
{
	char cmd[4096], script[2048];
	int len = snprintf(script, sizeof script, "%s", pg ? "\\\\timing on\\n" : ".timer on\\n");
	for (int i = 0; i < RUNS; i++) len += snprintf(script + len, sizeof script - (size_t)len, "%s;\\n", floor_sql);
	if (pg)
		snprintf(cmd, sizeof cmd, "printf '%s' | psql -X -q -A -t '%s' 2>&1 | sed -n 's/^Time: \\([0-9.]*\\) ms.*/\\1/p' | sort -n"
		         " | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] / 1000 }'", script, target);
	else
		snprintf(cmd, sizeof cmd, "printf '%s' | sqlite3 -batch '%s' 2>&1 | sed -n 's/^Run Time: real \\([0-9.]*\\).*/\\1/p' | sort -n"
		         " | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'", script, target);
	char *out = gen_first_line(cmd);
	double m = atof(out);
	free(out);
	/* one run of the tool, start included; and the counts themselves, to
	 * check them against what was generated */
	if (pg) snprintf(cmd, sizeof cmd, "psql -X -q -A -t '%s' -c \"%s\" | awk -F'|' '{ s[$2] += $3 } END { printf \"%%d %%d %%d %%d\", s[0], s[1], s[2], s[3] }'", target, floor_sql);
	else snprintf(cmd, sizeof cmd, "sqlite3 -batch '%s' \"%s\" | awk -F'|' '{ s[$2] += $3 } END { printf \"%%d %%d %%d %%d\", s[0], s[1], s[2], s[3] }'", target, floor_sql);
	double t0 = gen_now();
	char *counts = gen_first_line(cmd);
	double wall = gen_now() - t0;
	int c[4] = { 0 };
	sscanf(counts, "%d %d %d %d", &c[0], &c[1], &c[2], &c[3]);
	free(counts);
	printf("    %-42s %9.4f s  (%s's timer, median of %d; %.3f s wall with the tool's start)\n",
	       pg ? "floor: level counts by type in psql" : "floor: level counts by type in sqlite3", m, pg ? "psql" : "sqlite3", RUNS, wall);
	if (c[0] != w->levels[0] || c[1] != w->levels[1] || c[2] != w->levels[2] || c[3] != w->levels[3])
		printf("    WARNING: counts %d/%d/%d/%d, generated %d/%d/%d/%d\n", c[0], c[1], c[2], c[3], w->levels[0], w->levels[1],
		       w->levels[2], w->levels[3]);
	return m;
}

/* The open data's floor: the engine's own tool writing the published
 * results (the columns, joins and order q_open.c reads, the stored result
 * JSON included) as CSV to /dev/null; wall time, tool start included,
 * median of RUNS. */
static const char open_floor_sql[] =
	"SELECT a.id, u.id, r.id, r.office_unit_id, u.code, u.name, u.type, u.address, o.name, r.school_year, r.title,"
	" CASE WHEN p.basis = 'tu_danh_gia' THEN a.self_level ELSE a.recognised_level END, p.result_json,"
	" dc.number, dc.date, dc.signer, p.published_at, p.by_school, p.basis"
	" FROM published_results p JOIN assessments a ON a.id = p.assessment_id JOIN units u ON u.id = a.unit_id"
	" JOIN rounds r ON r.id = a.round_id JOIN units o ON o.id = r.office_unit_id"
	" LEFT JOIN decisions dc ON dc.id = a.recognition_decision_id"
	" WHERE (a.state = 'published' OR p.basis = 'tu_danh_gia') ORDER BY p.assessment_id";

static double open_floor(bool pg, const char *target)
{
	char cmd[4096];
	if (pg) snprintf(cmd, sizeof cmd, "psql -X -q '%s' -c \"COPY (%s) TO STDOUT WITH CSV\" >/dev/null", target, open_floor_sql);
	else snprintf(cmd, sizeof cmd, "sqlite3 -batch -csv '%s' \"%s\" >/dev/null", target, open_floor_sql);
	double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		double t0 = gen_now();
		if (system(cmd) != 0) printf("    WARNING: the open data's floor failed: %s\n", cmd);
		t[i] = gen_now() - t0;
	}
	qsort(t, RUNS, sizeof t[0], cmp_double);
	printf("    %-42s %9.4f s  (median of %d, wall, the tool's start included)\n",
	       pg ? "floor: the open data's rows as CSV in psql" : "floor: the open data's rows as CSV in sqlite3", t[RUNS / 2], RUNS);
	return t[RUNS / 2];
}

/* The province's numbers (/tinh.json) against the generated round's: the
 * Sở's one round is the whole province, so its year must count every
 * school at the level generated (levels[0] = none). */
static void province_check(server *s, const gen_world *w)
{
	char file[] = "/tmp/chiso-bench-tinh-XXXXXX", cmd[1024];
	int fd = mkstemp(file);
	if (fd < 0) return;
	close(fd);
	snprintf(cmd, sizeof cmd, "curl -s -o '%s' -b %s -w '%%{http_code}' '%s/tinh.json'", file, s->jar, s->base);
	char *code = gen_first_line(cmd);
	json_t *j = !strcmp(code, "200") ? json_load_file(file, 0, NULL) : NULL;
	free(code);
	unlink(file);
	json_t *lv = json_object_get(json_array_get(json_object_get(j, "years"), 0), "levels");
	int got[4] = { (int)json_integer_value(json_object_get(lv, "chua_co_muc")), (int)json_integer_value(json_object_get(lv, "muc_1")),
	               (int)json_integer_value(json_object_get(lv, "muc_2")), (int)json_integer_value(json_object_get(lv, "muc_3")) };
	int units = (int)json_integer_value(json_object_get(lv, "units"));
	if (lv && units == w->schools && !memcmp(got, w->levels, sizeof got))
		printf("    /tinh.json: %d schools, levels none %d, Mức 1 %d, Mức 2 %d, Mức 3 %d = the round's, as generated\n", units,
		       got[0], got[1], got[2], got[3]);
	else
		printf("    WARNING: /tinh.json counts %d schools, levels %d/%d/%d/%d; generated %d, %d/%d/%d/%d\n", units, got[0], got[1],
		       got[2], got[3], w->schools, w->levels[0], w->levels[1], w->levels[2], w->levels[3]);
	json_decref(j);
}

/* The Sở's province roll-up (page_province.c) over the same schools: the
 * page (its first view scores nothing new: the weakest criteria read the
 * summaries the round summary stored), its JSON, and their numbers. */
static void province(server *s, const gen_world *w)
{
	get_n(s, "GET /tinh, first view", "/tinh", true, 1);
	get(s, "GET /tinh (province summary)", "/tinh", true);
	get(s, "GET /tinh.json", "/tinh.json", true);
	province_check(s, w);
}

/* One binary's figures on the generated round: the summary's first view
 * and later ones, its CSV and XLSX, then the open data on a fresh server
 * (its peak memory is the open data's alone); with `rebuilt`, the first
 * view of the same program copied to a new file (a new build that changes
 * no scoring rule). */
/* Waits until the round's aggregates are current (round_agg.h: counted by
 * the generator, or by the server's background rebuild when a binary
 * before them left them stale) and prints how long after the server's
 * start. */
static void wait_aggregates(bool pg, const char *target, const gen_world *w, double t0)
{
	char sql[160], cmd[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM round_agg_rounds WHERE round_id = %lld AND stamp NOT LIKE 'building:%%'",
	         (long long)w->round_id);
	if (pg) snprintf(cmd, sizeof cmd, "psql -X -q -A -t '%s' -c \"%s\" 2>/dev/null", target, sql);
	else snprintf(cmd, sizeof cmd, "sqlite3 -batch '%s' \"%s\" 2>/dev/null", target, sql);
	for (int i = 0; i < 6000; i++) {
		char *n = gen_first_line(cmd);
		bool done = !strcmp(n, "1");
		free(n);
		if (done) {
			printf("    %-42s %9.2f s\n", "round aggregates current (from server start)", gen_now() - t0);
			return;
		}
		usleep(100000);
	}
	printf("    round aggregates: not current after 10 minutes\n");
}

static void pages(const char *chiso, const char *target, const gen_world *w, const floors *fl, bool rebuilt, bool pg, bool agg)
{
	server s;
	double t0 = gen_now();
	if (!serve(chiso, target, &s) || !sign_in(&s)) { serve_stop(&s); return; }
	if (agg) wait_aggregates(pg, target, w, t0);
	char path[64];
	snprintf(path, sizeof path, "/tong-hop/%lld", (long long)w->round_id);
	get_n(&s, "GET /tong-hop/{round}, first view", path, true, 1);
	double page = get(&s, "GET /tong-hop/{round} (summary page)", path, true);
	printf("    %-42s %9.0f MB\n", "server peak memory after the page", peak_mb(s.pid));
	snprintf(path, sizeof path, "/tong-hop/%lld/bang.csv", (long long)w->round_id);
	get(&s, "GET /tong-hop/{round}/bang.csv", path, true);
	snprintf(path, sizeof path, "/tong-hop/%lld/tong-hop.xlsx", (long long)w->round_id);
	get(&s, "GET /tong-hop/{round}/tong-hop.xlsx (6 sheets)", path, true);
	province(&s, w);
	serve_stop(&s);
	if (!serve(chiso, target, &s)) { serve_stop(&s); return; }
	double csv = get(&s, "GET /cong-khai/du-lieu.csv (open data)", "/cong-khai/du-lieu.csv", false);
	double json = get(&s, "GET /cong-khai/du-lieu.json (open data)", "/cong-khai/du-lieu.json", false);
	printf("    %-42s %9.0f MB\n", "server peak memory, open data only (VmHWM)", peak_mb(s.pid));
	serve_stop(&s);
	if (page > 0)
		printf("    summary page / its floor = %.1f×; open data / its floor: CSV %.1f×, JSON %.1f×\n",
		       page / (fl->summary > 1e-4 ? fl->summary : 1e-4), csv / (fl->open > 1e-4 ? fl->open : 1e-4),
		       json / (fl->open > 1e-4 ? fl->open : 1e-4));
	if (!rebuilt) return;
	char copy[] = "/tmp/chiso-bench-rebuilt-XXXXXX", cmd[2200];
	int fd = mkstemp(copy);
	if (fd < 0) return;
	close(fd);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod +x '%s' && touch '%s'", chiso, copy, copy, copy);
	if (system(cmd) == 0 && serve(copy, target, &s) && sign_in(&s)) {
		snprintf(path, sizeof path, "/tong-hop/%lld", (long long)w->round_id);
		get_n(&s, "GET /tong-hop/{round}, first view of a new build", path, true, 1);
	}
	serve_stop(&s);
	unlink(copy);
}

static void run(const char *label, const char *target, bool pg, const char *chiso, const fw_catalog *cat, int schools)
{
	db *d = NULL;
	char *err = NULL;
	if (db_open(target, &d, &err) != DB_OK) {
		fprintf(stderr, "bench/dash: %s: %s\n", target, err ? err : "?");
		exit(1);
	}
	if (db_migrate(d, NULL) != DB_OK) die(d, "migrate");
	gen_world w;
	double t0 = gen_now();
	gen_opts o = { .who = "bench/dash", .schools = schools, .variants = VARIANTS, .targets = true, .aggregates = true };
	gen_world_make(d, cat, &o, &w);
	db_close(d);
	printf("%s: %d schools generated in %.1f s (units %.1f s, round %.1f s, assessments with answers, states, recognition and"
	       " publication %.1f s; then the round's aggregates counted by round_agg_rebuild, the background job's function, %.1f s)\n",
	       label, w.schools, gen_now() - t0, w.t_units, w.t_round, w.t_assessments, w.t_aggregates);
	printf("    not started %d, self-assessed %d, recognised and published %d; levels: none %d, Mức 1 %d, Mức 2 %d, Mức 3 %d\n",
	       w.not_started, w.self_assessed, w.published, w.levels[0], w.levels[1], w.levels[2], w.levels[3]);

	if (!add_user(chiso, target)) return;
	floors fl_ = { floor_cli(pg, target, &w), open_floor(pg, target) }, *fl = &fl_;
	const char *before = getenv("CHISO_BEFORE");
	if (before && *before) {
		printf("  before (%s):\n", before);
		pages(before, target, &w, fl, false, pg, false);
	} else {
		/* the page computed from every unit, as before the aggregates
		 * (main's binary cannot open this schema version) */
		printf("  before (%s, CHISO_DASH_FULL=1: every unit read and summarised):\n", chiso);
		setenv("CHISO_DASH_FULL", "1", 1);
		pages(chiso, target, &w, fl, false, pg, false);
		unsetenv("CHISO_DASH_FULL");
	}
	printf("  after (%s):\n", chiso);
	pages(chiso, target, &w, fl, true, pg, true);
}

/* "postgresql:///postgres?host=…" → the same server, database `name`. */
static char *pg_database(const char *url, const char *name)
{
	buf b;
	buf_init(&b);
	const char *qm = strchr(url, '?');
	size_t end = qm ? (size_t)(qm - url) : strlen(url);
	size_t slash = end;
	while (slash > 0 && url[slash - 1] != '/') slash--;
	buf_append(&b, url, slash);
	buf_puts(&b, name);
	buf_puts(&b, url + end);
	return buf_take(&b);
}

int main(int argc, char **argv)
{
	(void)argc;
	char chiso[1024];
	const char *env = getenv("CHISO");
	if (env && *env) snprintf(chiso, sizeof chiso, "%s", env);
	else {
		char self[1024];
		snprintf(self, sizeof self, "%s", argv[0]);
		snprintf(chiso, sizeof chiso, "%s/../chiso", dirname(self));
	}
	/* line by line: the children (curl, psql, the server) share stdout */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(chiso, X_OK) != 0) { fprintf(stderr, "bench/dash: no chiso binary at %s (set CHISO)\n", chiso); return 1; }
	char *real = realpath(chiso, NULL);
	if (real) { snprintf(chiso, sizeof chiso, "%s", real); free(real); }
	const char *units = getenv("BENCH_UNITS");
	int schools = units ? atoi(units) : 50000;
	if (schools < 100) schools = 100;
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	char load[128] = "";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) { if (!fgets(load, sizeof load, f)) load[0] = '\0'; fclose(f); }
	load[strcspn(load, "\n")] = '\0';
	printf("bench/dash: a Sở's round over %d schools; %ld cores, load average %s at the start (a shared, loaded machine:\n"
	       "  compare figures of one run with each other, not with another day's)\n", schools, sysconf(_SC_NPROCESSORS_ONLN), load);

	char dir[] = "/tmp/chiso-bench-dash-db-XXXXXX";
	if (!mkdtemp(dir)) return 1;
	char path[96];
	snprintf(path, sizeof path, "%s/chiso.db", dir);
	const char *engines = getenv("BENCH_ENGINES");   /* "sqlite", "pg"; default both */
	if (!engines || strstr(engines, "sqlite")) run("SQLite", path, false, chiso, &cat, schools);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (getenv("BENCH_KEEP")) printf("SQLite database kept: %s\n", path);   /* for profiling the pages */
	else if (system(cmd) != 0) fprintf(stderr, "bench/dash: could not remove %s\n", dir);

	const char *pg = engines && !strstr(engines, "pg") ? "none" : getenv("CHISO_TEST_PG");
	char *started = NULL;
	if (!pg || !*pg) {
		FILE *p = access("test/pg.sh", X_OK) == 0 ? popen("test/pg.sh start", "r") : NULL;
		char line[512] = "";
		if (p && fgets(line, sizeof line, p)) {
			line[strcspn(line, "\n")] = '\0';
			started = xstrdup(line);
		}
		if (p) pclose(p);
		pg = started;
	}
	if (pg && *pg && !strncmp(pg, "postgres", 8)) {
		/* a database of its own, dropped afterwards */
		char sql[256];
		snprintf(sql, sizeof sql, "psql -X -q '%s' -c 'DROP DATABASE IF EXISTS chiso_bench_dash' -c 'CREATE DATABASE chiso_bench_dash'"
		         " >/dev/null 2>&1 && echo ok", pg);
		char *ok = gen_first_line(sql);
		if (!strcmp(ok, "ok")) {
			char *url = pg_database(pg, "chiso_bench_dash");
			run("PostgreSQL", url, true, chiso, &cat, schools);
			free(url);
			snprintf(sql, sizeof sql, "psql -X -q '%s' -c 'DROP DATABASE chiso_bench_dash' >/dev/null 2>&1", pg);
			if (getenv("BENCH_KEEP")) printf("PostgreSQL database kept: chiso_bench_dash\n");
			else if (system(sql) != 0) fprintf(stderr, "bench/dash: could not drop the database\n");
		} else {
			printf("PostgreSQL: skipped (cannot create a database in %s)\n", pg);
		}
		free(ok);
	} else {
		printf("PostgreSQL: skipped (no CHISO_TEST_PG and no test/pg.sh)\n");
	}
	if (started) {
		snprintf(cmd, sizeof cmd, "test/pg.sh stop '%s'", started);
		if (system(cmd) != 0) fprintf(stderr, "bench/dash: could not stop %s\n", started);
		free(started);
	}
	fw_catalog_free(&cat);
	return 0;
}
