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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_share_boundary),
		cmocka_unit_test(test_indicator_pooled),
		cmocka_unit_test(test_weakest_and_best),
	};
	return cmocka_run_group_tests_name("target", tests, setup, teardown);
}
