/* bench/dash.c — the office's round summary and the open data at national
 * size, on SQLite and on PostgreSQL, against the raw aggregation in the
 * engines' own command-line tools, in one run.
 *
 * For each backend it generates a round of a Sở over 50,000 schools (a
 * CSV of units through the real importer, the round and its assessments
 * through the store, answers written a sheet at a time through q_bulk):
 * one school in ten not started, three self-assessed, six evaluated,
 * recognised by one decision and published, each with answers drawn from
 * the framework's rules and the level the scoring engine gives them. Then
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
 * stored aggregates; the "after" run first waits for the server's
 * background rebuild of the round's aggregates and reports its time); the binary under test is
 * also timed as a new build (copied to another file) for its first view;
 * BENCH_UNITS the number of schools (default 50000); BENCH_ENGINES
 * "sqlite" or "pg" for one of them (default both); BENCH_KEEP=1 keeps
 * the databases (to profile the pages on them); CHISO_TEST_PG a
 * PostgreSQL server, else test/pg.sh starts a throw-away one when run from
 * the source tree. A benchmark: it prints figures and never fails on
 * timing, only when the data cannot be made. */
#include "db.h"
#include "framework.h"
#include "import.h"
#include "import_unit.h"
#include "assess.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_office.h"
#include "q_round.h"
#include "q_unit.h"
#include "score.h"
#include "score_json.h"
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

enum { OFFICES = 50, VARIANTS = 64, RUNS = 3 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* ---- the data -------------------------------------------------------------------------- */

/* Schools by type, in the shares of a province's list. */
static const struct { const char *label, *code; int per_100; } kinds[] = {
	{ "Mầm non", "mam_non", 36 }, { "Tiểu học", "tieu_hoc", 34 }, { "THCS", "thcs", 22 },
	{ "THPT", "thpt", 6 }, { "GDTX", "gdtx", 2 },
};

static const char *kind_of(int i, int *k)
{
	int r = i % 100, acc = 0;
	for (int j = 0; j < (int)ARRAY_LEN(kinds); j++) {
		acc += kinds[j].per_100;
		if (r < acc) { *k = j; return kinds[j].label; }
	}
	*k = 0;
	return kinds[0].label;
}

/* A Sở, 50 Phòng managing the schools, the Sở evaluating them all (as
 * since the 2025 reform): the Sở's round covers every school. */
static void make_csv(buf *csv, int schools)
{
	static const char *const names[] = { "Nguyễn Văn Trỗi", "Lê Quý Đôn", "Trần Hưng Đạo", "Võ Thị Sáu", "Hoa Sen",
		"Ánh Dương", "Phù Đổng", "Chu Văn An", "Huỳnh Thúc Kháng", "Đống Đa" };
	buf_puts(csv, "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ\n");
	buf_puts(csv, "B0000000,Sở Giáo dục và Đào tạo Thử nghiệm,Sở GD&ĐT,,,Số 1 Lê Lợi\n");
	for (int o = 1; o <= OFFICES; o++)
		buf_printf(csv, "B%02d00000,Phòng Giáo dục và Đào tạo huyện Số %d,Phòng GD&ĐT,B0000000,B0000000,Số %d Trần Phú\n",
		           o, o, o);
	for (int i = 0; i < schools; i++) {
		int o = 1 + i % OFFICES, k;
		const char *t = kind_of(i, &k);
		buf_printf(csv, "B%02d%05d,Trường %s %s số %d,%s,B%02d00000,B0000000,\"Thôn %d, xã Số %d\"\n", o, 1 + i / OFFICES, t,
		           names[i % 10], i + 1, t, o, i % 30, o);
	}
}

/* A valid answer for one leaf, as JSON, leaning towards "done" so that
 * the levels spread over Mức 1–3. */
static void answer_json(buf *b, const fw_node *n, unit_type t, int skill)
{
	const fw_rule *r = n->rule;
	bool good = (int)(next() % 100) < skill;
	switch (r->kind) {
	case RULE_GATE: buf_puts(b, next() % 40 ? "true" : "false"); break;
	case RULE_YES_NO: buf_puts(b, good ? "true" : "false"); break;
	case RULE_UP_TO: {
		unsigned max = (unsigned)(r->points.n / r->points.d);
		buf_printf(b, "{\"points\":%u,\"reason\":\"Đánh giá theo minh chứng\"}", good ? max : next() % (max + 1));
		break;
	}
	case RULE_ALTERNATIVES: buf_printf(b, "\"%s\"", good || next() % 2 ? r->options[next() % r->noptions].code : "none"); break;
	case RULE_TIERED: buf_printf(b, "{\"tier\":\"%s\"}", r->options[good ? r->noptions - 1 : next() % r->noptions].code); break;
	case RULE_RATIO_BY_TYPE:
		if (!r->type_has_threshold[t]) { buf_printf(b, "{\"met\":%s,\"reason\":\"Theo biên bản\"}", good ? "true" : "false"); break; }
		/* fall through */
	case RULE_RATIO: {
		unsigned den = 10 + next() % 90;
		unsigned num = good ? den : next() % (den + 1);
		buf_printf(b, "{\"num\":%u,\"den\":%u}", num, den);
		break;
	}
	case RULE_COUNT: buf_printf(b, "%u", good ? 20 + next() % 40 : next() % 20); break;
	case RULE_INFO: buf_puts(b, "{\"text\":\"Moodle\"}"); break;
	case RULE_DERIVED: case RULE_KIND_COUNT: buf_puts(b, "null"); break;
	}
}

/* One generated answer sheet: its items, the level the engine gives it
 * and the public snapshot page_office.c would publish for it. */
typedef struct variant {
	const char **codes, **values;
	size_t n;
	int level;
	char *snapshot;
} variant;

static void make_variants(const framework *fw, unit_type t, variant *v)
{
	for (int k = 0; k < VARIANTS; k++) {
		int skill = 35 + k * 60 / VARIANTS;
		variant *x = &v[k];
		x->codes = xcalloc(fw->nleaves, sizeof *x->codes);
		x->values = xcalloc(fw->nleaves, sizeof *x->values);
		buf sheet;
		buf_init(&sheet);
		buf_printf(&sheet, "{\"unit_type\":\"%s\",\"answers\":{", unit_type_code(t));
		for (size_t i = 0; i < fw->nleaves; i++) {
			const fw_node *leaf = fw->leaves[i];
			if (leaf->rule->kind == RULE_DERIVED) continue;
			buf val;
			buf_init(&val);
			answer_json(&val, leaf, t, skill);
			buf_printf(&sheet, "%s\"%s\":%s", x->n ? "," : "", leaf->code, buf_str(&val));
			x->codes[x->n] = leaf->code;
			x->values[x->n++] = buf_take(&val);
		}
		buf_puts(&sheet, "}}");
		buf err;
		buf_init(&err);
		score_result *r = NULL;
		if (assess_score_json(fw, buf_str(&sheet), "min", false, &x->level, &r, &err) != DB_OK) {
			fprintf(stderr, "bench/dash: a generated sheet for %s is not valid: %s\n", unit_type_code(t), buf_str(&err));
			exit(1);
		}
		/* page_office.c's result_json: docs/score-json.md without criteria */
		json_t *full = score_json(r, NULL, 0, false);
		size_t gi;
		json_t *g;
		json_array_foreach(json_object_get(full, "groups"), gi, g) json_object_del(g, "criteria");
		x->snapshot = json_dumps(full, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(full);
		score_free(r);
		buf_free(&err);
		buf_free(&sheet);
	}
}

typedef struct world {
	int64_t round_id;
	int schools, published, self_assessed, not_started;
	int levels[4];
	double t_units, t_round, t_answers, t_recognise;
} world;

static void generate(db *d, const fw_catalog *cat, int schools, world *out)
{
	memset(out, 0, sizeof *out);
	out->schools = schools;
	rng = 0x2545F4914F6CDD1Du;   /* the same world on both backends */
	char *err = NULL;
	double t0 = now();
	buf csv;
	buf_init(&csv);
	make_csv(&csv, schools);
	import_table tab;
	if (import_csv_parse(csv.data, csv.len, &import_default_limits, &tab, &err) != 0) {
		fprintf(stderr, "bench/dash: CSV: %s\n", err);
		exit(1);
	}
	import_unit_opts io = { .from = "2024-08-01" };
	import_unit_result ir;
	if (import_unit_run(d, &tab, &io, &ir) != DB_OK) die(d, "unit import");
	import_unit_result_free(&ir);
	import_table_free(&tab);
	buf_free(&csv);
	out->t_units = now() - t0;

	t0 = now();
	arena *a = arena_new();
	unit office;
	if (unit_find_code(d, "B0000000", a, &office) != DB_OK) die(d, "the Sở");
	round_row r = { .office_unit_id = office.id, .school_year = "2024-2025", .title = "Đánh giá mức độ chuyển đổi số năm học 2024-2025",
		.policy = "min", .self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fws[ARRAY_LEN(kinds)];
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++)
		fws[k] = (round_framework){ kinds[k].code, k == 0 ? "q7-mamnon-2023" : "qd4725-2022", "1" };
	round_target targets[] = {
		{ .kind = "level_share", .level = 2, .share_percent = 100 },
		{ .kind = "level_share", .unit_type = "thcs", .level = 3, .share_percent = 80 },
		{ .kind = "level_share", .unit_type = "tieu_hoc", .level = 3, .share_percent = 60 },
	};
	if (round_open(d, 0, &r, fws, ARRAY_LEN(fws), targets, ARRAY_LEN(targets), &out->round_id) != DB_OK) die(d, "round open");
	int created = 0;
	if (round_add_units(d, 0, out->round_id, "2025-05-31", &created, NULL) != DB_OK) die(d, "round add units");
	if (created != schools) { fprintf(stderr, "bench/dash: the round has %d assessments, not %d\n", created, schools); exit(1); }
	out->t_round = now() - t0;

	/* the answer sheets, VARIANTS per type, scored once */
	variant *var[ARRAY_LEN(kinds)];
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		const framework *fw = fw_catalog_find(cat, k == 0 ? "q7-mamnon-2023@1" : "qd4725-2022@1");
		unit_type t;
		if (!fw || !unit_type_parse(kinds[k].code, &t)) { fprintf(stderr, "bench/dash: no framework for %s\n", kinds[k].code); exit(1); }
		var[k] = xcalloc(VARIANTS, sizeof *var[k]);
		make_variants(fw, t, var[k]);
	}

	t0 = now();
	round_unit *ru = NULL;
	size_t n = 0;
	if (bulk_round_units(d, out->round_id, a, &ru, &n) != DB_OK) die(d, "round units");
	int64_t *ids = xcalloc(n + 1, sizeof *ids);
	int *levels = xcalloc(n + 1, sizeof *levels);
	const char **snaps = xcalloc(n + 1, sizeof *snaps);
	size_t nrec = 0;
	/* write transactions of 1,000 schools: one would do, but a WAL of a
	 * few hundred MB helps nobody */
	for (size_t i = 0; i < n; i++) {
		if (i % 1000 == 0 && db_begin_write(d) != DB_OK) die(d, "begin");
		int k = 0;
		for (size_t j = 0; j < ARRAY_LEN(kinds); j++) if (!strcmp(ru[i].unit_type, kinds[j].code)) k = (int)j;
		const variant *v = &var[k][next() % VARIANTS];
		int slot = (int)(i % 10);
		if (slot == 0) {
			out->not_started++;
			out->levels[0]++;
		} else {
			if (bulk_answers_put(d, 0, ru[i].as.id, ANSWER_SELF, v->codes, v->values, v->n) != DB_OK) die(d, "answers");
			if (assessment_set_level(d, 0, ru[i].as.id, "self", v->level) != DB_OK) die(d, "self level");
			/* the store records states, the workflow decides them: a
			 * generated world may take a step in one */
			const char *to = slot <= 3 ? "self_assessed" : "evaluated";
			if (assessment_transition(d, 0, ru[i].as.id, "not_started", to, NULL, NULL) != DB_OK) die(d, "transition");
			if (slot <= 3) {
				out->self_assessed++;
				out->levels[v->level]++;
			} else {
				ids[nrec] = ru[i].as.id;
				levels[nrec] = v->level;
				snaps[nrec++] = v->snapshot;
				out->levels[v->level]++;
			}
		}
		if ((i % 1000 == 999 || i + 1 == n) && db_commit(d) != DB_OK) die(d, "commit");
	}
	out->t_answers = now() - t0;

	t0 = now();
	decision dec = { .number = "125/QĐ-SGDĐT", .date = "2025-06-30", .signer = "Nguyễn Văn An — Giám đốc" };
	if (db_begin_write(d) != DB_OK) die(d, "begin");
	/* the rows the service (assess_act) records for recognition and publication */
	int64_t dec_id = 0;
	if (office_recognition_decision(d, 0, office.id, &dec, &dec_id) != DB_OK) die(d, "decision");
	for (size_t i = 0; i < nrec; i++) {
		if (assessment_transition(d, 0, ids[i], "evaluated", "recognised", NULL, NULL) != DB_OK ||
		    office_recognition_link(d, 0, ids[i], dec_id, levels[i]) != DB_OK ||
		    assessment_set_level(d, 0, ids[i], "recognised", levels[i]) != DB_OK) die(d, "recognise");
		if (assessment_transition(d, 0, ids[i], "recognised", "published", NULL, NULL) != DB_OK ||
		    office_published_set(d, 0, ids[i], snaps[i]) != DB_OK) die(d, "publish");
	}
	if (db_commit(d) != DB_OK) die(d, "commit");
	out->published = (int)nrec;
	out->t_recognise = now() - t0;

	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		for (int j = 0; j < VARIANTS; j++) {
			for (size_t i = 0; i < var[k][j].n; i++) free((char *)var[k][j].values[i]);
			free(var[k][j].codes);
			free(var[k][j].values);
			free(var[k][j].snapshot);
		}
		free(var[k]);
	}
	free(ids);
	free(levels);
	free(snaps);
	arena_free(a);
}

/* ---- measuring ------------------------------------------------------------------------- */

/* Runs a shell command, returns its first line of output (malloc'd, "" when none). */
static char *first_line(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char line[4096] = "";
	if (p) {
		if (!fgets(line, sizeof line, p)) line[0] = '\0';
		while (fgetc(p) != EOF) {}
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/* "-d 'x'"-safe: the values here are ours (paths, a URL, digits). */
typedef struct server {
	pid_t pid;
	int port;
	char dir[64], jar[96], base[64];
} server;

static int free_port(void)
{
	char *s = first_line("python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])'");
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
		char *code = first_line(cmd);
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
	char *ok = first_line(cmd);
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
	char *code = first_line(cmd);
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
		out = first_line(cmd);
		if (sscanf(out, "%d %lf %lf", &status, &size, &t[i]) != 3) t[i] = 0;
	}
	free(out);
	double m = median(t, runs);
	printf("    %-42s %9.3f s  (median of %d; HTTP %d, %.0f KB)\n", label, m, runs, status, size / 1e3);
	if (status != 200) printf("    WARNING: %s answered %d%s\n", path, status, status == 404 ? " (is the route registered?)" : "");
	return status == 200 ? m : 0;
}

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
static double floor_cli(bool pg, const char *target, const world *w)
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
	char *out = first_line(cmd);
	double m = atof(out);
	free(out);
	/* one run of the tool, start included; and the counts themselves, to
	 * check them against what was generated */
	if (pg) snprintf(cmd, sizeof cmd, "psql -X -q -A -t '%s' -c \"%s\" | awk -F'|' '{ s[$2] += $3 } END { printf \"%%d %%d %%d %%d\", s[0], s[1], s[2], s[3] }'", target, floor_sql);
	else snprintf(cmd, sizeof cmd, "sqlite3 -batch '%s' \"%s\" | awk -F'|' '{ s[$2] += $3 } END { printf \"%%d %%d %%d %%d\", s[0], s[1], s[2], s[3] }'", target, floor_sql);
	double t0 = now();
	char *counts = first_line(cmd);
	double wall = now() - t0;
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

/* The province's numbers (/tinh.json) against the generated round's: the
 * Sở's one round is the whole province, so its year must count every
 * school at the level generated (levels[0] = none). */
static void province_check(server *s, const world *w)
{
	char file[] = "/tmp/chiso-bench-tinh-XXXXXX", cmd[1024];
	int fd = mkstemp(file);
	if (fd < 0) return;
	close(fd);
	snprintf(cmd, sizeof cmd, "curl -s -o '%s' -b %s -w '%%{http_code}' '%s/tinh.json'", file, s->jar, s->base);
	char *code = first_line(cmd);
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
static void province(server *s, const world *w)
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
/* Waits for the server's background rebuild of the round's aggregates
 * (round_agg.h: the generated data is written without the hook) and
 * prints how long it took from the server's start. */
static void wait_aggregates(bool pg, const char *target, const world *w, double t0)
{
	char sql[160], cmd[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM round_agg_rounds WHERE round_id = %lld AND stamp NOT LIKE 'building:%%'",
	         (long long)w->round_id);
	if (pg) snprintf(cmd, sizeof cmd, "psql -X -q -A -t '%s' -c \"%s\" 2>/dev/null", target, sql);
	else snprintf(cmd, sizeof cmd, "sqlite3 -batch '%s' \"%s\" 2>/dev/null", target, sql);
	for (int i = 0; i < 6000; i++) {
		char *n = first_line(cmd);
		bool done = !strcmp(n, "1");
		free(n);
		if (done) {
			printf("    %-42s %9.2f s\n", "background rebuild of the aggregates", now() - t0);
			return;
		}
		usleep(100000);
	}
	printf("    background rebuild of the aggregates: not done after 10 minutes\n");
}

static void pages(const char *chiso, const char *target, const world *w, double fl, bool rebuilt, bool pg, bool agg)
{
	server s;
	double t0 = now();
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
	get(&s, "GET /cong-khai/du-lieu.json (open data)", "/cong-khai/du-lieu.json", false);
	printf("    %-42s %9.0f MB\n", "server peak memory, open data only (VmHWM)", peak_mb(s.pid));
	serve_stop(&s);
	if (page > 0)
		printf("    summary page / floor = %.1f×; open-data CSV / floor = %.1f×\n", page / (fl > 1e-4 ? fl : 1e-4),
		       csv / (fl > 1e-4 ? fl : 1e-4));
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
	world w;
	double t0 = now();
	generate(d, cat, schools, &w);
	db_close(d);
	printf("%s: %d schools generated in %.0f s (units %.1f s, round %.1f s, answers %.1f s, recognition + publication %.1f s)\n",
	       label, w.schools, now() - t0, w.t_units, w.t_round, w.t_answers, w.t_recognise);
	printf("    not started %d, self-assessed %d, recognised and published %d; levels: none %d, Mức 1 %d, Mức 2 %d, Mức 3 %d\n",
	       w.not_started, w.self_assessed, w.published, w.levels[0], w.levels[1], w.levels[2], w.levels[3]);

	if (!add_user(chiso, target)) return;
	double fl = floor_cli(pg, target, &w);
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
		char *ok = first_line(sql);
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
