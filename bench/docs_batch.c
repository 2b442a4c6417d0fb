/* bench/docs_batch.c — a province's batch of documents at full size (issue
 * 15, P3): a Sở's round over BENCH_UNITS schools (default 10,000), every
 * one self-assessed with answers drawn from the framework's rules, and the
 * self-assessment report of each as PDF in one batch (`chiso job batch`),
 * run by the background worker's code (`chiso job run --once`, the same
 * doc_batch.c as chiso serve's worker thread).
 *
 * Prints the documents, the wall time, the time per document, the
 * worker's CPU time and peak memory (wait4's ru_maxrss), the ZIP's size,
 * how many different progress values a poll of the job every half second
 * saw (the job page shows that counter), and checks the ZIP with libzip:
 * one PDF per unit plus danh-sach.csv, and the progress at the total.
 *
 * CHISO names the binary (default ../chiso beside this program);
 * CHISO_BEFORE another one timed first on a copy of the same database
 * (before and after in one run); BENCH_UNITS the number of schools;
 * BENCH_FORMAT pdf (default) or docx. A benchmark: it prints figures and
 * never fails on timing, only when the data cannot be made or the ZIP is
 * wrong. */
#include "assess.h"
#include "db.h"
#include "framework.h"
#include "import.h"
#include "import_unit.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_job.h"
#include "q_round.h"
#include "q_unit.h"
#include "score.h"
#include "util.h"
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

enum { OFFICES = 50, VARIANTS = 16 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(db *d, const char *what)
{
	fprintf(stderr, "bench/docs_batch: %s: %s\n", what, d ? db_errmsg(d) : "?");
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

/* Schools by type, in the shares of a province's list (as bench/dash.c). */
static const struct { const char *label, *code; int per_100; } kinds[] = {
	{ "Mầm non", "mam_non", 36 }, { "Tiểu học", "tieu_hoc", 34 }, { "THCS", "thcs", 22 },
	{ "THPT", "thpt", 6 }, { "GDTX", "gdtx", 2 },
};

static const char *kind_of(int i)
{
	int r = i % 100, acc = 0;
	for (size_t j = 0; j < ARRAY_LEN(kinds); j++) {
		acc += kinds[j].per_100;
		if (r < acc) return kinds[j].label;
	}
	return kinds[0].label;
}

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
		int o = 1 + i % OFFICES;
		const char *t = kind_of(i);
		buf_printf(csv, "B%02d%05d,Trường %s %s số %d,%s,B%02d00000,B0000000,\"Thôn %d, xã Số %d\"\n", o, 1 + i / OFFICES, t,
		           names[i % 10], i + 1, t, o, i % 30, o);
	}
}

/* A valid answer for one leaf, as JSON (as bench/dash.c). */
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

typedef struct variant {
	const char **codes, **values;
	size_t n;
	int level;
} variant;

static void make_variant(const framework *fw, unit_type t, int k, variant *x)
{
	int skill = 35 + k * 60 / VARIANTS;
	x->codes = xcalloc(fw->nleaves, sizeof *x->codes);
	x->values = xcalloc(fw->nleaves, sizeof *x->values);
	buf sheet, err;
	buf_init(&sheet);
	buf_init(&err);
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
	score_result *r = NULL;
	if (assess_score_json(fw, buf_str(&sheet), "min", false, &x->level, &r, &err) != DB_OK) {
		fprintf(stderr, "bench/docs_batch: a generated sheet is not valid: %s\n", buf_str(&err));
		exit(1);
	}
	score_free(r);
	buf_free(&err);
	buf_free(&sheet);
}

/* The Sở's round over `schools` schools, every one self-assessed. */
static int64_t generate(db *d, const fw_catalog *cat, int schools)
{
	char *err = NULL;
	buf csv;
	buf_init(&csv);
	make_csv(&csv, schools);
	import_table tab;
	if (import_csv_parse(csv.data, csv.len, &import_default_limits, &tab, &err) != 0) {
		fprintf(stderr, "bench/docs_batch: CSV: %s\n", err);
		exit(1);
	}
	import_unit_opts io = { .from = "2024-08-01" };
	import_unit_result ir;
	if (import_unit_run(d, &tab, &io, &ir) != DB_OK) die(d, "unit import");
	import_unit_result_free(&ir);
	import_table_free(&tab);
	buf_free(&csv);

	arena *a = arena_new();
	unit office;
	if (unit_find_code(d, "B0000000", a, &office) != DB_OK) die(d, "the Sở");
	round_row r = { .office_unit_id = office.id, .school_year = "2024-2025", .title = "Đánh giá mức độ chuyển đổi số năm học 2024-2025",
		.policy = "min", .self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fws[ARRAY_LEN(kinds)];
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++)
		fws[k] = (round_framework){ kinds[k].code, k == 0 ? "q7-mamnon-2023" : "qd4725-2022", "1" };
	int64_t round_id = 0;
	if (round_open(d, 0, &r, fws, ARRAY_LEN(fws), NULL, 0, &round_id) != DB_OK) die(d, "round open");
	int created = 0;
	if (round_add_units(d, 0, round_id, "2025-05-31", &created, NULL) != DB_OK || created != schools) die(d, "round add units");

	variant var[ARRAY_LEN(kinds)][VARIANTS];
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		const framework *fw = fw_catalog_find(cat, k == 0 ? "q7-mamnon-2023@1" : "qd4725-2022@1");
		unit_type t;
		if (!fw || !unit_type_parse(kinds[k].code, &t)) die(NULL, "no framework");
		for (int j = 0; j < VARIANTS; j++) {
			memset(&var[k][j], 0, sizeof var[k][j]);
			make_variant(fw, t, j, &var[k][j]);
		}
	}
	round_unit *ru = NULL;
	size_t n = 0;
	if (bulk_round_units(d, round_id, a, &ru, &n) != DB_OK) die(d, "round units");
	for (size_t i = 0; i < n; i++) {
		if (i % 1000 == 0 && db_begin_write(d) != DB_OK) die(d, "begin");
		size_t k = 0;
		for (size_t j = 0; j < ARRAY_LEN(kinds); j++) if (!strcmp(ru[i].unit_type, kinds[j].code)) k = j;
		const variant *v = &var[k][next() % VARIANTS];
		/* the store records states, the workflow decides them: a
		 * generated world may take its step in one */
		if (bulk_answers_put(d, 0, ru[i].as.id, ANSWER_SELF, v->codes, v->values, v->n) != DB_OK ||
		    assessment_set_level(d, 0, ru[i].as.id, "self", v->level) != DB_OK ||
		    assessment_transition(d, 0, ru[i].as.id, "not_started", "self_assessed", NULL, NULL) != DB_OK) die(d, "answers");
		if ((i % 1000 == 999 || i + 1 == n) && db_commit(d) != DB_OK) die(d, "commit");
	}
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++)
		for (int j = 0; j < VARIANTS; j++) {
			for (size_t i = 0; i < var[k][j].n; i++) free((char *)var[k][j].values[i]);
			free(var[k][j].codes);
			free(var[k][j].values);
		}
	arena_free(a);
	return round_id;
}

/* Runs a shell command, returns its first line of output (malloc'd). */
static char *first_line(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char line[1024] = "";
	if (p) {
		if (!fgets(line, sizeof line, p)) line[0] = '\0';
		while (fgetc(p) != EOF) {}
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/* One batch with `chiso`: queue it, run the worker, poll the progress,
 * check the ZIP. */
static void batch(const char *label, const char *chiso, const char *path, const char *blobs, int64_t round_id,
                  const char *format, int schools)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' job batch --round %lld --type bao-cao --format %s --db '%s'", chiso, (long long)round_id,
	         format, path);
	char *line = first_line(cmd);
	int64_t id = atoll(line);
	free(line);
	if (id <= 0) die(NULL, "job batch");
	double t0 = now();
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout)) _exit(127);
		execl(chiso, chiso, "job", "run", "--once", "--db", path, "--blobs", blobs, (char *)NULL);
		_exit(127);
	}
	db *d = NULL;
	char *err = NULL;
	if (db_open(path, &d, &err) != DB_OK) die(NULL, err);
	int values = 0;
	int64_t last = -1;
	struct rusage ru;
	int status = 0;
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);
		arena *a = arena_new();
		job_row j;
		if (job_get(d, id, a, &j) == DB_OK && j.done != last) {
			last = j.done;
			values++;
		}
		arena_free(a);
		if (w == pid) break;
		usleep(500000);
	}
	double wall = now() - t0;
	arena *a = arena_new();
	job_row j;
	if (job_get(d, id, a, &j) != DB_OK) die(d, "job get");
	char zpath[4200] = "";
	long long zsize = j.result_size;
	if (j.result_sha256) snprintf(zpath, sizeof zpath, "%s/%.2s/%s", blobs, j.result_sha256, j.result_sha256);
	int zerr = 0;
	zip_t *z = j.result_sha256 ? zip_open(zpath, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
	long long entries = z ? (long long)zip_get_num_entries(z, 0) : -1;
	if (z) zip_discard(z);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	             (double)ru.ru_stime.tv_usec / 1e6;
	printf("  %-8s %s: %lld/%lld documents, %.1f s wall, %.1f ms/document, %.1f s CPU (user+sys), peak RSS %.0f MB,"
	       " ZIP %.1f MB with %lld entries, %d progress values seen; %s\n",
	       label, format, (long long)j.done, (long long)j.total, wall, j.done ? wall * 1e3 / (double)j.done : 0, cpu,
	       (double)ru.ru_maxrss / 1024, (double)zsize / 1048576, entries, values, j.message ? j.message : j.state);
	bool good = !strcmp(j.state, "done") && j.done == schools && j.total == schools && entries == schools + 1;
	if (!good) {
		fprintf(stderr, "bench/docs_batch: %s: state %s, progress %lld/%lld, %lld entries (zip error %d)\n", label, j.state,
		        (long long)j.done, (long long)j.total, entries, zerr);
		exit(1);
	}
	arena_free(a);
	db_close(d);
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
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(chiso, X_OK) != 0) { fprintf(stderr, "bench/docs_batch: no chiso binary at %s (set CHISO)\n", chiso); return 1; }
	const char *units = getenv("BENCH_UNITS"), *format = getenv("BENCH_FORMAT");
	int schools = units ? atoi(units) : 10000;
	if (schools < 10) schools = 10;
	if (!format || strcmp(format, "docx") != 0) format = "pdf";
	char load[128] = "";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) { if (!fgets(load, sizeof load, f)) load[0] = '\0'; fclose(f); }
	load[strcspn(load, "\n")] = '\0';
	printf("bench/docs_batch: the self-assessment report of %d schools in one batch; %ld cores, load average %s\n", schools,
	       sysconf(_SC_NPROCESSORS_ONLN), load);

	char dir[] = "/tmp/chiso-bench-batch-XXXXXX";
	if (!mkdtemp(dir)) return 1;
	char path[128], blobs[128], cmd[512];
	snprintf(path, sizeof path, "%s/chiso.db", dir);
	snprintf(blobs, sizeof blobs, "%s/files", dir);
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	db *d = NULL;
	char *err = NULL;
	if (db_open(path, &d, &err) != DB_OK || db_migrate(d, NULL) != DB_OK) die(d, "open");
	double t0 = now();
	int64_t round_id = generate(d, &cat, schools);
	db_close(d);
	fw_catalog_free(&cat);
	printf("  generated in %.1f s\n", now() - t0);
	const char *before = getenv("CHISO_BEFORE");
	if (before && *before) {
		/* on a copy, so that both number their documents alike */
		char bpath[160], bblobs[160];
		snprintf(bpath, sizeof bpath, "%s/before.db", dir);
		snprintf(bblobs, sizeof bblobs, "%s/files-before", dir);
		snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\"", path, bpath);
		if (system(cmd) != 0) die(NULL, "copy");
		batch("before", before, bpath, bblobs, round_id, format, schools);
	}
	batch("after", chiso, path, blobs, round_id, format, schools);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) fprintf(stderr, "bench/docs_batch: could not remove %s\n", dir);
	return 0;
}
