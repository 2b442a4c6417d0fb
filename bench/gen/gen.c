/* bench/gen/gen.c — the benchmarks' generated province (gen.h). */
#include "gen.h"
#include "assess.h"
#include "import.h"
#include "import_unit.h"
#include "q_generate.h"
#include "q_office.h"
#include "q_round.h"
#include "q_unit.h"
#include "q_unit_bulk.h"
#include "round_agg.h"
#include "score.h"
#include "score_json.h"
#include "util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OFFICES = 50 };

double gen_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *gen_first_line(const char *cmd)
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

static const char *who = "bench";

static void die(db *d, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", who, what, d ? db_errmsg(d) : "?");
	exit(1);
}

static uint64_t rng;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Schools by type, in the shares of a province's list. */
static const struct { const char *label, *code; int per_100; } kinds[] = {
	{ "Mầm non", "mam_non", 36 }, { "Tiểu học", "tieu_hoc", 34 }, { "THCS", "thcs", 22 },
	{ "THPT", "thpt", 6 }, { "GDTX", "gdtx", 2 },
};
enum { KINDS = ARRAY_LEN(kinds) };

static const char *framework_of(size_t k)
{
	return k == 0 ? "q7-mamnon-2023" : "qd4725-2022";
}

static const char *kind_of(int i)
{
	int r = i % 100, acc = 0;
	for (size_t j = 0; j < KINDS; j++) {
		acc += kinds[j].per_100;
		if (r < acc) return kinds[j].label;
	}
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
		int o = 1 + i % OFFICES;
		const char *t = kind_of(i);
		buf_printf(csv, "B%02d%05d,Trường %s %s số %d,%s,B%02d00000,B0000000,\"Thôn %d, xã Số %d\"\n", o, 1 + i / OFFICES, t,
		           names[i % 10], i + 1, t, o, i % 30, o);
	}
}

static void import_units(db *d, int schools)
{
	char *err = NULL;
	buf csv;
	buf_init(&csv);
	make_csv(&csv, schools);
	import_table tab;
	if (import_csv_parse(csv.data, csv.len, &import_default_limits, &tab, &err) != 0) {
		fprintf(stderr, "%s: CSV: %s\n", who, err);
		exit(1);
	}
	import_unit_opts io = { .from = "2024-08-01" };
	import_unit_result ir;
	if (import_unit_run(d, &tab, &io, &ir) != DB_OK) die(d, "unit import");
	import_unit_result_free(&ir);
	import_table_free(&tab);
	buf_free(&csv);
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

/* page_office.c's result_json: docs/score-json.md without criteria */
static char *public_snapshot(const score_result *r)
{
	json_t *full = score_json(r, NULL, 0, false);
	size_t gi;
	json_t *g;
	json_array_foreach(json_object_get(full, "groups"), gi, g) json_object_del(g, "criteria");
	char *s = json_dumps(full, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(full);
	return s;
}

static void make_variant(const framework *fw, unit_type t, int skill, variant *x)
{
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
		fprintf(stderr, "%s: a generated sheet for %s is not valid: %s\n", who, unit_type_code(t), buf_str(&err));
		exit(1);
	}
	x->snapshot = public_snapshot(r);
	score_free(r);
	buf_free(&err);
	buf_free(&sheet);
}

/* `nv` sheets per unit type, from weak to strong. */
static variant *make_variants(const fw_catalog *cat, int nv)
{
	variant *v = xcalloc((size_t)nv * KINDS, sizeof *v);
	for (size_t k = 0; k < KINDS; k++) {
		char key[64];
		snprintf(key, sizeof key, "%s@1", framework_of(k));
		const framework *fw = fw_catalog_find(cat, key);
		unit_type t;
		if (!fw || !unit_type_parse(kinds[k].code, &t)) { fprintf(stderr, "%s: no framework for %s\n", who, kinds[k].code); exit(1); }
		for (int j = 0; j < nv; j++) make_variant(fw, t, 35 + j * 60 / nv, &v[k * (size_t)nv + (size_t)j]);
	}
	return v;
}

static void free_variants(variant *v, int nv)
{
	for (size_t j = 0; j < (size_t)nv * KINDS; j++) {
		for (size_t i = 0; i < v[j].n; i++) free((char *)v[j].values[i]);
		free(v[j].codes);
		free(v[j].values);
		free(v[j].snapshot);
	}
	free(v);
}

static int64_t open_round(db *d, int64_t office, bool targets)
{
	round_row r = { .office_unit_id = office, .school_year = "2024-2025", .title = "Đánh giá mức độ chuyển đổi số năm học 2024-2025",
		.policy = "min", .self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fws[KINDS];
	for (size_t k = 0; k < KINDS; k++) fws[k] = (round_framework){ kinds[k].code, framework_of(k), "1" };
	round_target t[] = {
		{ .kind = "level_share", .level = 2, .share_percent = 100 },
		{ .kind = "level_share", .unit_type = "thcs", .level = 3, .share_percent = 80 },
		{ .kind = "level_share", .unit_type = "tieu_hoc", .level = 3, .share_percent = 60 },
	};
	int64_t id = 0;
	if (round_open(d, 0, &r, fws, KINDS, targets ? t : NULL, targets ? ARRAY_LEN(t) : 0, &id) != DB_OK) die(d, "round open");
	return id;
}

static int kind_index(const char *type)
{
	for (size_t k = 0; k < KINDS; k++)
		if (!strcmp(type, kinds[k].code)) return (int)k;
	return -1;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const unit *)a)->id, y = ((const unit *)b)->id;
	return x < y ? -1 : x > y;
}

/* The round's schools: every stored unit of a school type, in the order
 * they were imported. */
static unit *schools_of(db *d, arena *a, size_t *n)
{
	unit *all = NULL;
	size_t nall = 0;
	if (unit_bulk_all(d, a, &all, &nall) != DB_OK) die(d, "units");
	qsort(all, nall, sizeof *all, by_id);
	size_t k = 0;
	for (size_t i = 0; i < nall; i++)
		if (kind_index(all[i].type) >= 0) all[k++] = all[i];
	*n = k;
	return all;
}

/* the store records states, the workflow decides them: a generated world
 * takes its steps in one */
static const char *const self_path[] = { "self_assessed" };
static const char *const published_path[] = { "evaluated", "recognised", "published" };

/* One school's assessment: slot 0 of ten not started, 1–3 self-assessed,
 * 4–9 recognised and published (the batch's mix: all self-assessed). */
static void school(const gen_opts *o, const unit *u, const variant *vars, int64_t decision_id, size_t i, gen_assessment *g,
                   gen_world *w)
{
	int k = kind_index(u->type);
	const variant *v = &vars[(size_t)k * (size_t)o->variants + next() % (unsigned)o->variants];
	int slot = o->all_self_assessed ? 1 : (int)(i % 10);
	*g = (gen_assessment){ .unit_id = u->id, .framework_id = framework_of((size_t)k), .framework_revision = "1" };
	if (slot == 0) {
		w->not_started++;
		w->levels[0]++;
		return;
	}
	g->nanswers = v->n;
	g->codes = v->codes;
	g->values = v->values;
	g->self_level = v->level;
	w->levels[v->level]++;
	if (slot <= 3) {
		g->states = self_path;
		g->nstates = ARRAY_LEN(self_path);
		w->self_assessed++;
		return;
	}
	g->states = published_path;
	g->nstates = ARRAY_LEN(published_path);
	g->recognised_level = v->level;
	g->decision_id = decision_id;
	g->published_json = v->snapshot;
	w->published++;
}

static int64_t recognition_decision(db *d, int64_t office)
{
	decision dec = { .number = "125/QĐ-SGDĐT", .date = "2025-06-30", .signer = "Nguyễn Văn An — Giám đốc" };
	int64_t id = 0;
	if (office_recognition_decision(d, 0, office, &dec, &id) != DB_OK) die(d, "decision");
	return id;
}

static void write_assessments(db *d, const gen_opts *o, const variant *vars, int64_t office, gen_world *w)
{
	arena *a = arena_new();
	size_t n = 0;
	unit *schools = schools_of(d, a, &n);
	if ((int)n != o->schools) { fprintf(stderr, "%s: %zu schools stored, not %d\n", who, n, o->schools); exit(1); }
	int64_t dec = o->all_self_assessed ? 0 : recognition_decision(d, office);
	/* Schools per write transaction. On PostgreSQL the page mark
	 * (db_mark.c) is one row that every statement updates, the
	 * answers_current trigger's INSERT of each answer row included, and
	 * within one transaction each update walks all the row's earlier
	 * versions: 1,000 schools (30,000 answers) in one transaction cost
	 * minutes, 20 cost milliseconds. */
	size_t per_tx = db_kind(d) == DB_PG ? 20 : 1000;
	const char *env = getenv("BENCH_GEN_TX");   /* to try another size */
	if (env && atoi(env) > 0) per_tx = (size_t)atoi(env);
	gen_assessment *g = xcalloc(per_tx, sizeof *g);
	for (size_t lo = 0; lo < n; lo += per_tx) {
		size_t k = n - lo < per_tx ? n - lo : per_tx;
		for (size_t i = 0; i < k; i++) school(o, &schools[lo + i], vars, dec, lo + i, &g[i], w);
		if (gen_assessments_put(d, 0, w->round_id, g, k, NULL) != DB_OK) die(d, "assessments");
	}
	free(g);
	arena_free(a);
}

void gen_world_make(db *d, const fw_catalog *cat, const gen_opts *o, gen_world *w)
{
	memset(w, 0, sizeof *w);
	who = o->who;
	w->schools = o->schools;
	rng = 0x2545F4914F6CDD1Du;   /* the same world on both backends */
	double t0 = gen_now();
	import_units(d, o->schools);
	w->t_units = gen_now() - t0;

	t0 = gen_now();
	arena *a = arena_new();
	unit office;
	if (unit_find_code(d, "B0000000", a, &office) != DB_OK) die(d, "the Sở");
	w->round_id = open_round(d, office.id, o->targets);
	w->t_round = gen_now() - t0;

	variant *vars = make_variants(cat, o->variants);
	t0 = gen_now();
	write_assessments(d, o, vars, office.id, w);
	w->t_assessments = gen_now() - t0;
	free_variants(vars, o->variants);
	arena_free(a);

	if (!o->aggregates) return;
	t0 = gen_now();
	if (round_agg_rebuild(d, cat, w->round_id) != DB_OK) die(d, "aggregates");
	w->t_aggregates = gen_now() - t0;
}
