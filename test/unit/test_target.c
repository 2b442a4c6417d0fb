/* test_target.c — targets and aggregation: exact shares at the boundary,
 * blocking units in order, pooled indicator ratios, weakest criteria. */
#include "answers.h"
#include "target.h"
#include "util.h"
#include "testutil.h"
#include <stdio.h>

static framework *fw;
static arena *mem;

static int setup(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	fw = framework_load_file("frameworks/qd4725-2022.json", &err);
	buf_free(&err);
	mem = arena_new();
	return fw ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	framework_free(fw);
	arena_free(mem);
	return 0;
}

/* A THCS unit whose group-1 items are all met except what `yes` leaves out. */
static void make_unit(target_unit *u, int64_t id, const char *code, int level, bool studio, int rooms_num, int rooms_den)
{
	char sheet[2048];
	snprintf(sheet, sizeof sheet,
	         "{\"unit_type\":\"thcs\",\"answers\":{\"1.1\":true,\"1.2\":true,\"1.3.1\":true,\"1.3.3\":true,\"1.3.5\":true,"
	         "\"1.7.3\":%s,\"1.7.1\":{\"num\":%d,\"den\":%d}}}", studio ? "true" : "false", rooms_num, rooms_den);
	answers_opts o = { .partial = true };
	answer_sheet *s = arena_alloc(mem, sizeof *s);
	unit_type t;
	buf err;
	buf_init(&err);
	if (!answers_parse(fw, sheet, strlen(sheet), "t", &o, mem, s, &t, &err)) fail_msg("%s", buf_str(&err));
	score_result *r = score_compute(fw, t, POLICY_MIN, s, &err);
	buf_free(&err);
	assert_non_null(r);
	*u = (target_unit){ .id = id, .code = code, .name = code, .type = UT_THCS, .level = level, .score = r, .sheet = s };
}

static void free_units(target_unit *u, size_t n)
{
	for (size_t i = 0; i < n; i++) score_free((score_result *)u[i].score);
}

static void test_level_share_boundary(void **state)
{
	(void)state;
	target_unit u[5];
	int levels[5] = { 3, 3, 3, 3, 2 };
	for (int i = 0; i < 5; i++) make_unit(&u[i], i + 1, (const char *[]){ "A", "B", "C", "D", "E" }[i], levels[i], true, 20, 28);
	target_def d = { .kind = TARGET_LEVEL_SHARE, .type = UT_THCS, .level = 3, .share_percent = 80, .label = "80% THCS đạt Mức 3" };
	target_result *r = target_evaluate(mem, &d, 1, u, 5);
	assert_int_equal(r->counted, 5);
	assert_int_equal(r->meeting, 4);
	assert_true(r->attained);                 /* exactly 80% */
	assert_int_equal(q_cmp(r->share, q_int(80)), 0);
	assert_int_equal(r->nblocking, 1);
	assert_string_equal(r->blocking[0]->code, "E");
	/* one more unit below: 4/6 = 66.67% < 80%, and 1 more unit must rise (5/6) */
	u[3].level = 1;
	r = target_evaluate(mem, &d, 1, u, 5);
	assert_false(r->attained);
	assert_int_equal(r->more_needed, 1);
	assert_int_equal(r->nblocking, 2);
	/* a type filter: tiểu học counts none of these units */
	target_def th = { .kind = TARGET_LEVEL_SHARE, .type = UT_TIEU_HOC, .level = 3, .share_percent = 60 };
	r = target_evaluate(mem, &th, 1, u, 5);
	assert_int_equal(r->counted, 0);
	assert_false(r->attained);
	free_units(u, 5);
}

static void test_indicator_pooled(void **state)
{
	(void)state;
	target_unit u[2];
	make_unit(&u[0], 1, "A", 2, true, 20, 28);
	make_unit(&u[1], 2, "B", 2, true, 10, 30);
	target_def d = { .kind = TARGET_INDICATOR, .any_type = true, .item_code = "1.7.1", .share_percent = 60 };
	target_result *r = target_evaluate(mem, &d, 1, u, 2);
	assert_int_equal(r->counted, 2);
	assert_int_equal(q_cmp(r->num, q_int(30)), 0);
	assert_int_equal(q_cmp(r->den, q_int(58)), 0);
	assert_false(r->attained);               /* 30/58 = 51.7% */
	/* 35/58 = 60.3% is met */
	free_units(u, 2);
	make_unit(&u[0], 1, "A", 2, true, 25, 28);
	make_unit(&u[1], 2, "B", 2, true, 10, 30);
	r = target_evaluate(mem, &d, 1, u, 2);
	assert_true(r->attained);
	free_units(u, 2);
}

static void test_weakest_and_best(void **state)
{
	(void)state;
	target_unit u[3];
	make_unit(&u[0], 1, "A", 2, false, 20, 28);
	make_unit(&u[1], 2, "B", 2, false, 10, 30);
	make_unit(&u[2], 3, "C", 2, true, 25, 28);
	size_t n = 0;
	criterion_stat *st = target_weakest(mem, fw, u, 3, &n);
	assert_true(n >= 5);
	/* criteria nobody scored on (e.g. 1.4, 1.5) share 0 and come first; 1.3 (18/30) after them */
	assert_int_equal(q_cmp(st[0].mean_share, q_int(0)), 0);
	for (size_t i = 1; i < n; i++) assert_true(q_cmp(st[i - 1].mean_share, st[i].mean_share) <= 0);
	const target_unit **best = target_best(mem, u, 3);
	assert_string_equal(best[0]->code, "C");  /* studio + rooms ≥ 60% */
	size_t counts[UT_COUNT][4];
	target_level_counts(u, 3, counts);
	assert_int_equal(counts[UT_THCS][2], 3);
	free_units(u, 3);
}

/* The streamed form (begin / add one score at a time / finish, the score
 * freed in between, only its total kept) gives what the one-call form
 * gives over units that keep their scores. */
static void test_streamed_equals_whole(void **state)
{
	(void)state;
	target_unit u[4], lean[4];
	make_unit(&u[0], 1, "A", 3, true, 25, 28);
	make_unit(&u[1], 2, "B", 1, false, 10, 30);
	make_unit(&u[2], 3, "C", 2, true, 20, 28);
	make_unit(&u[3], 4, "D", 0, false, 5, 28);
	target_def defs[2] = {
		{ .kind = TARGET_LEVEL_SHARE, .any_type = true, .level = 2, .share_percent = 100 },
		{ .kind = TARGET_INDICATOR, .any_type = true, .item_code = "1.7.1", .share_percent = 60 },
	};
	target_result *whole = target_evaluate(mem, defs, 2, u, 4);
	size_t nw = 0;
	criterion_stat *sw = target_weakest(mem, fw, u, 4, &nw);

	target_result *res = target_begin(mem, defs, 2);
	criterion_acc *acc = target_weakest_begin(mem, fw);
	for (int i = 0; i < 4; i++) {
		target_add_indicators(res, 2, &u[i]);
		target_weakest_add(acc, u[i].score);
		lean[i] = u[i];
		lean[i].total = u[i].score->total;
		lean[i].score = NULL;       /* what the page keeps */
		lean[i].sheet = NULL;
	}
	target_finish(mem, res, 2, lean, 4);
	assert_int_equal(res[0].meeting, whole[0].meeting);
	assert_int_equal(res[0].nblocking, 2);
	for (size_t k = 0; k < res[0].nblocking; k++)   /* lowest total first, from the kept totals */
		assert_string_equal(res[0].blocking[k]->code, whole[0].blocking[k]->code);
	assert_int_equal(q_cmp(res[1].num, whole[1].num), 0);
	assert_int_equal(q_cmp(res[1].den, q_int(114)), 0);
	assert_int_equal(res[1].attained, whole[1].attained);
	size_t ns = 0;
	criterion_stat *ss = target_weakest_end(acc, &ns);
	assert_int_equal(ns, nw);
	for (size_t i = 0; i < ns; i++) {
		assert_ptr_equal(ss[i].node, sw[i].node);
		assert_int_equal(q_cmp(ss[i].mean_share, sw[i].mean_share), 0);
		assert_int_equal(ss[i].units, 4);
	}
	const target_unit **best = target_best(mem, lean, 4);
	const target_unit **best_whole = target_best(mem, u, 4);
	for (int i = 0; i < 4; i++) assert_string_equal(best[i]->code, best_whole[i]->code);
	free_units(u, 4);
}

/* Group levels: each group's band per unit type; a unit without a level
 * yet counts as "no level" in every group. */
static void test_group_levels(void **state)
{
	(void)state;
	target_unit u[2];
	make_unit(&u[0], 1, "A", 2, true, 25, 28);
	make_unit(&u[1], 2, "B", 0, false, 10, 30);
	group_levels *g = target_group_levels_begin(mem, fw);
	target_group_levels_add(g, u[0].score, true);
	target_group_levels_add(g, u[1].score, false);
	target_group_levels_add(g, NULL, true);          /* ignored */
	for (size_t k = 0; k < fw->ngroups; k++) {
		const fw_band *b = score_node(u[0].score, &fw->groups[k])->band;
		int l = b ? b->level : 0;
		assert_int_equal(g->counts[k][UT_THCS][l], l == 0 ? 2 : 1);
		assert_int_equal(g->counts[k][UT_THCS][0] + g->counts[k][UT_THCS][1] + g->counts[k][UT_THCS][2] + g->counts[k][UT_THCS][3], 2);
		assert_int_equal(g->counts[k][UT_TIEU_HOC][0] + g->counts[k][UT_TIEU_HOC][1], 0);
	}
	free_units(u, 2);
}

/* Progress: daily up to 62 days, weekly beyond, cumulative, events before
 * the opening on the first point, after the end left out. */
static void test_progress(void **state)
{
	(void)state;
	progress_event ev[] = {
		{ "2025-02-27", 0, 1 },    /* before the opening */
		{ "2025-03-01", 0, 2 },
		{ "2025-03-02", 1, 1 },
		{ "2025-03-03", 0, 3 },
		{ "2025-03-09", 0, 5 },    /* after the end */
		{ "bad", 0, 9 },
	};
	size_t n = 0;
	bool weekly = true;
	progress_point *p = target_progress(mem, "2025-02-28", "2025-03-03", ev, 6, 2, &n, &weekly);
	assert_false(weekly);
	assert_int_equal(n, 4);                          /* 28/2 (2025 is not a leap year), 1/3, 2/3, 3/3 */
	assert_string_equal(p[0].day, "2025-02-28");
	assert_string_equal(p[1].day, "2025-03-01");
	assert_string_equal(p[3].day, "2025-03-03");
	size_t want0[] = { 1, 3, 3, 6 }, want1[] = { 0, 0, 1, 1 };
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p[i].cum[0], want0[i]);
		assert_int_equal(p[i].cum[1], want1[i]);
	}
	/* 100 days: weekly, the last point on the end day */
	p = target_progress(mem, "2024-09-05", "2024-12-14", ev, 0, 1, &n, &weekly);
	assert_true(weekly);
	assert_int_equal(n, 16);                         /* 0, 7, …, 98, then 100 */
	assert_string_equal(p[1].day, "2024-09-12");
	assert_string_equal(p[n - 2].day, "2024-12-12");
	assert_string_equal(p[n - 1].day, "2024-12-14");
	/* an event between two weekly points counts from the next one */
	progress_event mid = { "2024-09-06", 0, 4 };
	p = target_progress(mem, "2024-09-05", "2024-12-14", &mid, 1, 1, &n, &weekly);
	assert_int_equal(p[0].cum[0], 0);
	assert_int_equal(p[1].cum[0], 4);
	/* one day: one point */
	p = target_progress(mem, "2026-11-23", "2026-11-23", ev, 0, 1, &n, &weekly);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].day, "2026-11-23");
	/* invalid input */
	assert_null(target_progress(mem, "2025-02-30", "2025-03-03", ev, 0, 1, &n, &weekly));
	assert_int_equal(n, 0);
	assert_null(target_progress(mem, "2025-03-03", "2025-03-01", ev, 0, 1, &n, &weekly));
	assert_null(target_progress(mem, "2025-03-01", "2025-03-03", ev, 0, PROGRESS_MAX_STAGES + 1, &n, &weekly));
}

/* Year over year: units matched by id, moved up first then down, by code;
 * units without a level on either side, or only on one side, left out. */
static void test_yoy_moves(void **state)
{
	(void)state;
	yoy_unit now[] = {
		{ 5, "E", "E", UT_THCS, 3, "2025-2026", 0, false, { 0, 1 }, { 0, 1 } },
		{ 1, "A", "A", UT_THCS, 1, "2025-2026", 0, false, { 0, 1 }, { 0, 1 } },
		{ 2, "B", "B", UT_THCS, 2, "2025-2026", 0, false, { 0, 1 }, { 0, 1 } },
		{ 3, "C", "C", UT_THCS, 0, "2025-2026", 0, false, { 0, 1 }, { 0, 1 } },   /* no level this year */
		{ 4, "D", "D", UT_THCS, 2, "2025-2026", 0, false, { 0, 1 }, { 0, 1 } },   /* new this year */
		{ 6, "F", "F", UT_THCS, 3, "2025-2026", 0, false, { 0, 1 }, { 0, 1 } },
	};
	yoy_unit before[] = {
		{ 6, "F", "F", UT_THCS, 1, "2024-2025", 0, false, { 0, 1 }, { 0, 1 } },
		{ 2, "B", "B", UT_THCS, 2, "2024-2025", 0, false, { 0, 1 }, { 0, 1 } },   /* unchanged */
		{ 1, "A", "A", UT_THCS, 3, "2024-2025", 0, false, { 0, 1 }, { 0, 1 } },
		{ 3, "C", "C", UT_THCS, 2, "2024-2025", 0, false, { 0, 1 }, { 0, 1 } },
		{ 5, "E", "E", UT_THCS, 2, "2024-2025", 0, false, { 0, 1 }, { 0, 1 } },
		{ 7, "G", "G", UT_THCS, 2, "2024-2025", 0, false, { 0, 1 }, { 0, 1 } },   /* gone */
	};
	size_t n = 0, up = 0;
	yoy_move *m = target_yoy_moves(mem, now, 6, before, 6, &n, &up);
	assert_int_equal(n, 3);
	assert_int_equal(up, 2);
	assert_string_equal(m[0].now->code, "E");
	assert_int_equal(m[0].before->level, 2);
	assert_string_equal(m[1].now->code, "F");
	assert_string_equal(m[2].now->code, "A");
	assert_int_equal(m[2].before->level, 3);
	target_yoy_moves(mem, now, 6, NULL, 0, &n, &up);
	assert_int_equal(n, 0);
}

/* A unit's score in short: read back, it feeds the accumulators exactly
 * as the score did (what the round summary stores instead of scoring the
 * unit again); damaged or foreign text is refused. */
static void test_summary_round_trip(void **state)
{
	(void)state;
	target_unit u[3];
	make_unit(&u[0], 1, "A", 3, true, 25, 28);
	make_unit(&u[1], 2, "B", 1, false, 10, 30);
	make_unit(&u[2], 3, "C", 0, true, 20, 28);
	target_def defs[1] = { { .kind = TARGET_INDICATOR, .any_type = true, .item_code = "1.7.1", .share_percent = 60 } };
	target_result *by_score = target_begin(mem, defs, 1), *by_sum = target_begin(mem, defs, 1);
	criterion_acc *wa = target_weakest_begin(mem, fw), *wb = target_weakest_begin(mem, fw);
	group_levels *ga = target_group_levels_begin(mem, fw), *gb = target_group_levels_begin(mem, fw);
	for (int i = 0; i < 3; i++) {
		char *text = target_summary_encode(mem, fw, u[i].score, u[i].sheet);
		assert_true(strncmp(text, "v1;T=", 5) == 0);
		assert_non_null(strstr(text, ";R=1.7.1:"));
		target_summary sum;
		assert_true(target_summary_decode(mem, fw, text, &sum));
		assert_true(sum.scored);
		assert_int_equal(q_cmp(sum.total, u[i].score->total), 0);
		target_add_indicators(by_score, 1, &u[i]);
		target_add_summary(by_sum, 1, &u[i], &sum);
		target_weakest_add(wa, u[i].score);
		target_weakest_add_summary(wb, &sum);
		target_group_levels_add(ga, u[i].score, u[i].level != 0);
		target_group_levels_add_summary(gb, u[i].type, &sum, u[i].level != 0);
	}
	assert_int_equal(by_sum[0].counted, 3);
	assert_int_equal(q_cmp(by_sum[0].num, by_score[0].num), 0);
	assert_int_equal(q_cmp(by_sum[0].den, by_score[0].den), 0);
	size_t na = 0, nb = 0;
	criterion_stat *sa = target_weakest_end(wa, &na), *sb = target_weakest_end(wb, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_ptr_equal(sa[i].node, sb[i].node);
		assert_int_equal(q_cmp(sa[i].mean_share, sb[i].mean_share), 0);
		assert_int_equal(sa[i].units, sb[i].units);
	}
	assert_memory_equal(ga->counts, gb->counts, fw->ngroups * sizeof *ga->counts);
	/* a unit that cannot be scored */
	target_summary none;
	assert_string_equal(target_summary_encode(mem, fw, NULL, NULL), "v1;-");
	assert_true(target_summary_decode(mem, fw, "v1;-", &none));
	assert_false(none.scored);
	/* refused: another format, cut short, a group too many, a bad number */
	char *good = target_summary_encode(mem, fw, u[0].score, u[0].sheet);
	assert_false(target_summary_decode(mem, fw, "v2;-", &none));
	assert_false(target_summary_decode(mem, fw, NULL, &none));
	assert_false(target_summary_decode(mem, fw, arena_strndup(mem, good, strlen(good) / 2), &none));
	char *g3 = arena_printf(mem, "%s", good);
	char *gp = strstr(g3, ";G=");
	assert_non_null(gp);
	assert_false(target_summary_decode(mem, fw, arena_printf(mem, "%.*s;G=1,%s", (int)(gp - g3), g3, gp + 3), &none));
	assert_false(target_summary_decode(mem, fw, "v1;T=1/0;G=1,1;C=;R=", &none));
	free_units(u, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_share_boundary),
		cmocka_unit_test(test_indicator_pooled),
		cmocka_unit_test(test_weakest_and_best),
		cmocka_unit_test(test_streamed_equals_whole),
		cmocka_unit_test(test_group_levels),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_yoy_moves),
		cmocka_unit_test(test_summary_round_trip),
	};
	return cmocka_run_group_tests_name("target", tests, setup, teardown);
}
