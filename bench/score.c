/* bench/score.c — scores 100,000 generated answer sheets for 4725 and
 * prints sheets per second: the engine alone, and JSON parsing + scoring.
 * A benchmark: it prints figures and never fails on timing. */
#include "answers.h"
#include "score.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SHEETS = 100000, NUMBERS_SHEETS = 1000000 };

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* CPU time of this process: the figure holds on a machine busy with
 * other work (the engine is single-threaded). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A random but valid answer for one leaf, as JSON. */
static void answer_json(buf *b, const fw_node *n, unit_type t)
{
	const fw_rule *r = n->rule;
	switch (r->kind) {
	case RULE_GATE: buf_puts(b, next() % 10 ? "true" : "false"); break;
	case RULE_YES_NO: buf_puts(b, next() % 2 ? "true" : "false"); break;
	case RULE_UP_TO: buf_printf(b, "{\"points\":%u,\"reason\":\"Đánh giá theo minh chứng\"}", next() % (unsigned)(r->points.n / r->points.d + 1)); break;
	case RULE_ALTERNATIVES: buf_printf(b, "\"%s\"", next() % 3 ? r->options[next() % r->noptions].code : "none"); break;
	case RULE_TIERED: buf_printf(b, "{\"tier\":\"%s\"}", r->options[next() % r->noptions].code); break;
	case RULE_RATIO_BY_TYPE:
		if (!r->type_has_threshold[t]) { buf_printf(b, "{\"met\":%s,\"reason\":\"Theo biên bản\"}", next() % 2 ? "true" : "false"); break; }
		/* fall through */
	case RULE_RATIO: {
		unsigned den = 10 + next() % 90;
		unsigned num = r->unit == UNIT_PERCENT ? next() % (den + 1) : next() % (den * 3);
		buf_printf(b, "{\"num\":%u,\"den\":%u}", num, den);
		break;
	}
	case RULE_COUNT: buf_printf(b, "%u", next() % 40); break;
	case RULE_INFO: buf_puts(b, "\"Moodle\""); break;
	case RULE_DERIVED: case RULE_KIND_COUNT: buf_puts(b, "null"); break;
	}
}

int main(void)
{
	buf err;
	buf_init(&err);
	framework *fw = framework_load_file("frameworks/qd4725-2022.json", &err);
	if (!fw) { fputs(buf_str(&err), stderr); return 1; }
	static const unit_type types[] = { UT_TIEU_HOC, UT_THCS, UT_THPT };

	/* Prepare the sheets as JSON text (not timed). */
	enum { VARIANTS = 1000 };
	char **texts = xcalloc(VARIANTS, sizeof *texts);
	for (size_t v = 0; v < VARIANTS; v++) {
		buf b;
		buf_init(&b);
		buf_printf(&b, "{\"unit_type\":\"%s\",\"answers\":{", unit_type_code(types[v % 3]));
		for (size_t i = 0; i < fw->nleaves; i++) {
			if (fw->leaves[i]->rule->kind == RULE_DERIVED) continue;
			buf_printf(&b, "%s\"%s\":", i ? "," : "", fw->leaves[i]->code);
			answer_json(&b, fw->leaves[i], types[v % 3]);
		}
		buf_puts(&b, "}}");
		texts[v] = buf_take(&b);
	}

	/* Parsed sheets for the engine-only run. */
	arena *a = arena_new();
	answer_sheet *sheets = xcalloc(VARIANTS, sizeof *sheets);
	unit_type *stype = xcalloc(VARIANTS, sizeof *stype);
	answers_opts o = { 0 };
	for (size_t v = 0; v < VARIANTS; v++)
		if (!answers_parse(fw, texts[v], strlen(texts[v]), "bench", &o, a, &sheets[v], &stype[v], &err)) {
			fputs(buf_str(&err), stderr);
			return 1;
		}

	long levels[4] = { 0 }, quiet_levels[4] = { 0 };
	double t0 = now();
	for (size_t i = 0; i < SHEETS; i++) {
		size_t v = i % VARIANTS;
		score_result *r = score_compute(fw, stype[v], POLICY_MIN, &sheets[v], &err);
		levels[r->level->level]++;
		score_free(r);
	}
	double explained = now() - t0;

	t0 = now();
	for (size_t i = 0; i < NUMBERS_SHEETS; i++) {
		size_t v = i % VARIANTS;
		score_result *r = score_compute_numbers(fw, stype[v], POLICY_MIN, &sheets[v], &err);
		if (i < SHEETS) quiet_levels[r->level->level]++;
		score_free(r);
	}
	double engine = now() - t0;
	if (memcmp(levels, quiet_levels, sizeof levels) != 0) {
		fputs("bench/score: the numbers-only engine disagrees with the explained one\n", stderr);
		return 1;
	}

	t0 = now();
	for (size_t i = 0; i < SHEETS; i++) {
		size_t v = i % VARIANTS;
		arena *pa = arena_new();
		answer_sheet s;
		unit_type t;
		answers_parse(fw, texts[v], strlen(texts[v]), "bench", &o, pa, &s, &t, &err);
		score_result *r = score_compute(fw, t, POLICY_MIN, &s, &err);
		score_free(r);
		arena_free(pa);
	}
	double full = now() - t0;

	t0 = now();
	size_t steps = 0;
	for (size_t i = 0; i < SHEETS / 10; i++) {
		size_t v = i % VARIANTS;
		score_result *r = score_compute(fw, stype[v], POLICY_MIN, &sheets[v], &err);
		size_t np;
		whatif_plan *p = score_whatif(r, &np);
		for (size_t k = 0; k < np; k++) steps += p[k].nsteps;
		score_free(r);
	}
	double whatif = now() - t0;

	printf("bench/score (CPU time): framework %s, %zu leaves, %d sheets (tiểu học/THCS/THPT)\n", fw->id, fw->nleaves, SHEETS);
	printf("  engine, numbers:    %10.0f sheets/s  (%.2f µs/sheet, %d sheets)\n", NUMBERS_SHEETS / engine,
	       engine / NUMBERS_SHEETS * 1e6, NUMBERS_SHEETS);
	printf("  engine, explained:  %10.0f sheets/s  (%.2f µs/sheet)\n", SHEETS / explained, explained / SHEETS * 1e6);
	printf("  JSON parse + score: %10.0f sheets/s  (%.2f µs/sheet)\n", SHEETS / full, full / SHEETS * 1e6);
	printf("  score + what-if:    %10.0f sheets/s  (%zu steps planned)\n", (SHEETS / 10.0) / whatif, steps);
	printf("  unit levels: Mức 1 %ld, Mức 2 %ld, Mức 3 %ld\n", levels[1], levels[2], levels[3]);
	for (size_t v = 0; v < VARIANTS; v++) free(texts[v]);
	free(texts);
	free(sheets);
	free(stype);
	arena_free(a);
	framework_free(fw);
	buf_free(&err);
	return 0;
}
