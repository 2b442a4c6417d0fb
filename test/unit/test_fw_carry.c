/* test_fw_carry.c — moving answers to a new revision of a framework
 * (fw_carry.c): an unchanged item keeps its answer, a changed item keeps
 * an answer that still fits and clears one that does not, a new item is
 * listed to be answered, an answered item the revision drops is listed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fw_carry.h"

/* Revision 1: 1.1 yes/no 10, 1.2 ratio 40 (threshold 60), 1.3 yes/no 20,
 * 1.4 alternatives a/b, 1.5 yes/no 30. Revision 2: 1.1 unchanged, 1.2's
 * points 50, 1.3 becomes a ratio, 1.4 loses option b, 1.5 dropped, 1.6 new (20). */
static framework *fw(int revision)
{
	const char *items1 =
		"{\"code\": \"1.1\", \"title\": \"Kế hoạch\", \"source\": \"seed\", \"rule\": {\"kind\": \"yes_no\", \"points\": 10}},"
		"{\"code\": \"1.2\", \"title\": \"Máy chiếu\", \"source\": \"seed\", \"rule\": {\"kind\": \"ratio\", \"points\": 40, \"threshold\": 60, \"mode\": \"proportional\"}},"
		"{\"code\": \"1.3\", \"title\": \"LMS\", \"source\": \"seed\", \"rule\": {\"kind\": \"yes_no\", \"points\": 20}},"
		"{\"code\": \"1.4\", \"title\": \"Mạng\", \"source\": \"seed\", \"rule\": {\"kind\": \"alternatives\", \"options\": ["
		"  {\"code\": \"a\", \"label\": \"Cáp quang\", \"points\": 0}, {\"code\": \"b\", \"label\": \"Wifi\", \"points\": 0}]}},"
		"{\"code\": \"1.5\", \"title\": \"Học liệu\", \"source\": \"seed\", \"rule\": {\"kind\": \"yes_no\", \"points\": 30}}";
	const char *items2 =
		"{\"code\": \"1.1\", \"title\": \"Kế hoạch\", \"source\": \"seed\", \"rule\": {\"kind\": \"yes_no\", \"points\": 10}},"
		"{\"code\": \"1.2\", \"title\": \"Máy chiếu\", \"source\": \"seed\", \"rule\": {\"kind\": \"ratio\", \"points\": 50, \"threshold\": 60, \"mode\": \"proportional\"}},"
		"{\"code\": \"1.3\", \"title\": \"LMS\", \"source\": \"seed\", \"rule\": {\"kind\": \"ratio\", \"points\": 20, \"threshold\": 50, \"mode\": \"threshold\"}},"
		"{\"code\": \"1.4\", \"title\": \"Mạng\", \"source\": \"seed\", \"rule\": {\"kind\": \"alternatives\", \"options\": ["
		"  {\"code\": \"a\", \"label\": \"Cáp quang\", \"points\": 0}]}},"
		"{\"code\": \"1.6\", \"title\": \"Chữ ký số\", \"source\": \"seed\", \"rule\": {\"kind\": \"yes_no\", \"points\": 20}}";
	buf b;
	buf_init(&b);
	buf_printf(&b, "{\"chiso_framework\": 1, \"id\": \"vi-du\", \"revision\": %d, \"title\": \"Ví dụ\", \"decision\": {\"number\": \"01/QĐ-VD\", \"date\": \"2025-01-15\", \"issuer\": \"Phòng GD&ĐT Ví Dụ\"},"
		" \"status\": \"complete\", \"source\": \"inferred\", \"unit_types\": [\"tieu_hoc\"],"
		" \"scoring\": {\"basis\": \"groups\", \"levels\": [{\"level\": 1, \"name\": \"Mức 1\"},"
		"  {\"level\": 2, \"name\": \"Mức 2\", \"from\": 50}, {\"level\": 3, \"name\": \"Mức 3\", \"above\": 75}]},"
		" \"groups\": [{\"code\": \"1\", \"title\": \"Nhóm\", \"max\": 100, \"source\": \"seed\", \"criteria\": ["
		"  {\"code\": \"1.0\", \"title\": \"Tiêu chí\", \"source\": \"seed\", \"items\": [%s]}]}]}", revision, revision == 1 ? items1 : items2);
	buf err;
	buf_init(&err);
	framework *f = framework_parse(buf_str(&b), b.len, "vi-du.json", &err);
	if (!f) fail_msg("%s", buf_str(&err));
	buf_free(&err);
	buf_free(&b);
	return f;
}

static const carry_item *find(const carry_plan *p, const char *code)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].code, code) == 0) return &p->items[i];
	fail_msg("%s is not in the plan", code);
	abort();
}

static void test_carry_fates(void **state)
{
	(void)state;
	framework *a = fw(1), *b = fw(2);
	arena *ar = arena_new();
	const carry_answer ans[] = {
		{ "1.1", "true" }, { "1.2", "{\"num\":45,\"den\":60}" }, { "1.3", "true" },
		{ "1.4", "\"b\"" }, { "1.5", "false" },
	};
	carry_plan p;
	fw_carry_plan(a, b, UT_TIEU_HOC, ans, 5, ar, &p);
	assert_int_equal(p.n, 6);
	assert_int_equal(find(&p, "1.1")->fate, CARRY_KEPT);
	assert_null(find(&p, "1.1")->why);
	assert_int_equal(find(&p, "1.2")->fate, CARRY_RESCORED);
	const char *why = find(&p, "1.2")->why;
	assert_true(why && strstr(why, "từ 40 sang 50"));
	assert_int_equal(find(&p, "1.3")->fate, CARRY_REANSWER);   /* true is not a ratio */
	assert_int_equal(find(&p, "1.4")->fate, CARRY_REANSWER);   /* option b is gone */
	assert_int_equal(find(&p, "1.6")->fate, CARRY_NEW);
	assert_int_equal(find(&p, "1.5")->fate, CARRY_DROPPED);
	assert_string_equal(p.items[p.n - 1].code, "1.5");         /* dropped ones last */
	assert_int_equal(p.count[CARRY_KEPT], 1);
	assert_int_equal(p.count[CARRY_RESCORED], 1);
	assert_int_equal(p.count[CARRY_REANSWER], 2);
	assert_int_equal(p.count[CARRY_NEW], 1);
	assert_int_equal(p.count[CARRY_DROPPED], 1);
	arena_free(ar);
	framework_free(a);
	framework_free(b);
}

static void test_carry_unanswered_and_same(void **state)
{
	(void)state;
	framework *a = fw(1), *b = fw(2), *a2 = fw(1);
	arena *ar = arena_new();
	carry_plan p;
	/* nothing answered: only the new item is listed; a "null" answer is none */
	const carry_answer none[] = { { "1.3", "null" } };
	fw_carry_plan(a, b, UT_TIEU_HOC, none, 1, ar, &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].code, "1.6");
	assert_int_equal(p.items[0].fate, CARRY_NEW);
	/* the same framework again: every answer kept, nothing else */
	const carry_answer ans[] = { { "1.1", "false" }, { "1.4", "\"a\"" } };
	fw_carry_plan(a, a2, UT_TIEU_HOC, ans, 2, ar, &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.count[CARRY_KEPT], 2);
	assert_string_equal(carry_fate_name(CARRY_REANSWER), "cần trả lời lại");
	arena_free(ar);
	framework_free(a);
	framework_free(a2);
	framework_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_carry_fates),
		cmocka_unit_test(test_carry_unanswered_and_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
