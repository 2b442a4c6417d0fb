/* test_score.c — the scoring core: exact numbers, every rule kind at its
 * boundaries, gates, levels and policies, the what-if planner, the shipped
 * frameworks and the hand-computed fixtures. */
#include "answers.h"
#include "score.h"
#include "util.h"
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>

/* ---- helpers ----------------------------------------------------------------- */

/* A one-group framework (basis groups, levels 50/75) around the given
 * criteria JSON; unit types tieu_hoc, thcs, thpt. */
static char *wrap(const char *criteria, int max, const char *extra_scoring)
{
	buf b;
	buf_init(&b);
	buf_printf(&b,
	  "{\"chiso_framework\":1,\"id\":\"t\",\"revision\":1,\"title\":\"T\","
	  "\"decision\":{\"number\":\"1/QĐ\",\"date\":\"2024-02-29\",\"issuer\":\"X\"},"
	  "\"status\":\"complete\",\"source\":\"inferred\",\"unit_types\":[\"tieu_hoc\",\"thcs\",\"thpt\"],"
	  "\"scoring\":{\"basis\":\"groups\",%s\"levels\":[{\"level\":1,\"name\":\"Mức 1\"},"
	  "{\"level\":2,\"name\":\"Mức 2\",\"from\":50},{\"level\":3,\"name\":\"Mức 3\",\"above\":75}]},"
	  "\"groups\":[{\"code\":\"1\",\"title\":\"Nhóm\",\"max\":%d,\"source\":\"official\",\"criteria\":[%s]}]}",
	  extra_scoring ? extra_scoring : "", max, criteria);
	return buf_take(&b);
}

static framework *parse_fw(const char *json, buf *err)
{
	return framework_parse(json, strlen(json), "t.json", err);
}

typedef struct run {
	framework *fw;
	arena *a;
	score_result *r;
	buf err;
} run;

/* Score `answers` (an "answers" object body) with the framework JSON. */
static bool run_score(run *x, const char *fwjson, const char *type, const char *answers, bool partial)
{
	buf_init(&x->err);
	x->a = arena_new();
	x->r = NULL;
	x->fw = parse_fw(fwjson, &x->err);
	if (!x->fw) return false;
	buf sheet;
	buf_init(&sheet);
	buf_printf(&sheet, "{\"unit_type\":\"%s\",\"answers\":{%s}}", type, answers);
	answers_opts o = { .partial = partial };
	answer_sheet s;
	unit_type t;
	bool ok = answers_parse(x->fw, buf_str(&sheet), sheet.len, "a.json", &o, x->a, &s, &t, &x->err);
	buf_free(&sheet);
	if (!ok) return false;
	x->r = score_compute(x->fw, t, POLICY_MIN, &s, &x->err);
	return x->r != NULL;
}

static void run_free(run *x)
{
	score_free(x->r);
	framework_free(x->fw);
	arena_free(x->a);
	buf_free(&x->err);
}

static q leaf_points(run *x, const char *code)
{
	const fw_node *n = framework_find(x->fw, code);
	assert_non_null(n);
	return score_node(x->r, n)->points;
}

#define assert_q(v, num, den) do { q v_ = (v); q e_ = q_make((num), (den)); \
	if (q_cmp(v_, e_) != 0) fail_msg("got %lld/%lld, expected %lld/%lld", (long long)v_.n, (long long)v_.d, (long long)e_.n, (long long)e_.d); } while (0)

/* Score one leaf criterion "1.1" of the given rule with one answer. */
static q score_one(const char *rule, int max, const char *type, const char *ans_json, const char *expect_explain)
{
	char crit[1024];
	snprintf(crit, sizeof crit, "{\"code\":\"1.1\",\"title\":\"X\",\"source\":\"official\",\"rule\":%s}", rule);
	char *fw = wrap(crit, max, NULL);
	char ans[512];
	snprintf(ans, sizeof ans, "\"1.1\":%s", ans_json);
	run x;
	if (!run_score(&x, fw, type, ans, false)) fail_msg("scoring failed: %s", buf_str(&x.err));
	q p = leaf_points(&x, "1.1");
	if (expect_explain) assert_contains(score_node(x.r, framework_find(x.fw, "1.1"))->explain, expect_explain);
	run_free(&x);
	free(fw);
	return p;
}

/* ---- exact numbers and levels ------------------------------------------------ */

static void test_exact_arithmetic(void **state)
{
	(void)state;
	q a = q_make(1, 3), b = q_make(1, 6);
	assert_q(q_add(a, b), 1, 2);
	assert_q(q_mul(q_int(7), q_make(45, 60)), 21, 4);
	assert_int_equal(q_cmp(q_make(751, 10), q_int(75)), 1);
	assert_int_equal(q_cmp(q_make(150, 2), q_int(75)), 0);
	q p;
	assert_true(q_parse_decimal("7.5", 2, &p));
	assert_q(p, 15, 2);
	assert_false(q_parse_decimal("7.555", 2, &p));
	assert_false(q_parse_decimal("7,5", 2, &p));
	assert_false(q_parse_decimal("", 2, &p));
	assert_true(q_from_double(0.1, 2, &p));
	assert_q(p, 1, 10);
	assert_false(q_from_double(0.125, 2, &p));
	buf b2;
	buf_init(&b2);
	q_format(&b2, q_make(2, 3), 2, true);
	assert_string_equal(buf_str(&b2), "0,67");
	buf_reset(&b2);
	q_format(&b2, q_int(75), 2, true);
	assert_string_equal(buf_str(&b2), "75");
	buf_reset(&b2);
	q_format(&b2, q_make(-1, 8), 2, false);
	assert_string_equal(buf_str(&b2), "-0.13");
	buf_free(&b2);
	/* q_to_text: the same text, kept in an arena */
	arena *ar = arena_new();
	assert_string_equal(q_to_text(ar, q_make(2, 3), 2, true), "0,67");
	assert_string_equal(q_to_text(ar, q_make(-1, 8), 2, false), "-0.13");
	assert_string_equal(q_to_text(ar, q_make(1000, 3), 1, true), "333,3");
	arena_free(ar);
}

static void test_level_boundaries(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	framework *fw = framework_load_file("frameworks/qd4725-2022.json", &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	static const struct { int64_t n, d; int level; } cases[] = {
		{ 0, 1, 1 }, { 499, 10, 1 }, { 4999, 100, 1 }, { 50, 1, 2 }, { 75, 1, 2 },
		{ 751, 10, 3 }, { 7501, 100, 3 }, { 151, 2, 3 }, { 100, 1, 3 },
		/* 74.99999… as a ratio must stay Mức 2, 75 + 1/3000 goes up */
		{ 224999, 3000, 2 }, { 225001, 3000, 3 },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const fw_band *b = band_for(fw->levels, fw->nlevels, q_make(cases[i].n, cases[i].d));
		assert_non_null(b);
		if (b->level != cases[i].level)
			fail_msg("%lld/%lld: level %d, expected %d", (long long)cases[i].n, (long long)cases[i].d, b->level, cases[i].level);
	}
	framework_free(fw);
	buf_free(&err);
}

/* ---- rule kinds --------------------------------------------------------------- */

static void test_rule_yes_no(void **state)
{
	(void)state;
	assert_q(score_one("{\"kind\":\"yes_no\",\"points\":6}", 6, "thcs", "true", "Có: 6/6"), 6, 1);
	assert_q(score_one("{\"kind\":\"yes_no\",\"points\":6}", 6, "thcs", "false", "Không: 0/6"), 0, 1);
}

static void test_rule_up_to(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"up_to\",\"points\":15}";
	assert_q(score_one(r, 15, "thcs", "{\"points\":7.5,\"reason\":\"Mới triển khai 2 lớp\"}", "Mới triển khai"), 15, 2);
	assert_q(score_one(r, 15, "thcs", "{\"points\":15,\"reason\":\"Đủ\"}", NULL), 15, 1);
	assert_q(score_one(r, 15, "thcs", "{\"points\":0,\"reason\":\"Chưa có\"}", NULL), 0, 1);
}

static void test_rule_alternatives(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"alternatives\",\"options\":[{\"code\":\"pdf\",\"label\":\"Tệp PDF\",\"points\":5},"
	                "{\"code\":\"signed\",\"label\":\"Ký số\",\"points\":15}]}";
	assert_q(score_one(r, 15, "thcs", "\"pdf\"", "«Tệp PDF»"), 5, 1);
	assert_q(score_one(r, 15, "thcs", "\"signed\"", NULL), 15, 1);
	assert_q(score_one(r, 15, "thcs", "\"none\"", "Không đạt phương án"), 0, 1);
	assert_q(score_one(r, 15, "thcs", "{\"option\":\"signed\",\"points\":12,\"reason\":\"Mới ký số học kỳ II\"}", NULL), 12, 1);
}

static void test_rule_tiered(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"tiered\",\"max\":10,\"deduction\":1,\"tiers\":["
	                "{\"code\":\"separate\",\"label\":\"Riêng lẻ\",\"points\":4},{\"code\":\"connected\",\"label\":\"Kết nối\",\"points\":10}],"
	                "\"components\":[{\"code\":\"a\",\"label\":\"A\"},{\"code\":\"b\",\"label\":\"B\"},{\"code\":\"c\",\"label\":\"C\"},"
	                "{\"code\":\"d\",\"label\":\"D\"},{\"code\":\"e\",\"label\":\"E\"}]}";
	assert_q(score_one(r, 10, "thcs", "{\"tier\":\"connected\"}", "đủ các thành phần"), 10, 1);
	assert_q(score_one(r, 10, "thcs", "{\"tier\":\"connected\",\"missing\":[\"b\"]}", "thiếu 1 thành phần (B)"), 9, 1);
	assert_q(score_one(r, 10, "thcs", "{\"tier\":\"separate\",\"missing\":[\"a\",\"b\"]}", NULL), 2, 1);
	/* the floor: 4 − 5 missing stays at 0, never negative */
	assert_q(score_one(r, 10, "thcs", "{\"tier\":\"separate\",\"missing\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", NULL), 0, 1);
	assert_q(score_one(r, 10, "thcs", "\"none\"", "Chưa triển khai"), 0, 1);
}

static void test_rule_ratio_threshold(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"ratio\",\"points\":8,\"threshold\":60}";
	assert_q(score_one(r, 8, "thcs", "{\"num\":18,\"den\":30}", "≥ ngưỡng 60%"), 8, 1);      /* exactly 60% */
	assert_q(score_one(r, 8, "thcs", "{\"num\":17,\"den\":30}", "< ngưỡng 60%"), 0, 1);      /* 56.67% */
	assert_q(score_one(r, 8, "thcs", "{\"value\":59.99}", NULL), 0, 1);
	assert_q(score_one(r, 8, "thcs", "{\"value\":100}", NULL), 8, 1);
	/* 3/5 is exactly 60% even though 0.6 is not exact in binary */
	assert_q(score_one(r, 8, "thcs", "{\"num\":3,\"den\":5}", NULL), 8, 1);
}

static void test_rule_ratio_proportional(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"ratio\",\"points\":8,\"threshold\":60,\"mode\":\"proportional\"}";
	assert_q(score_one(r, 8, "thcs", "{\"num\":15,\"den\":30}", "tính theo tỉ lệ"), 20, 3); /* 8 × 50/60 */
	assert_q(score_one(r, 8, "thcs", "{\"num\":30,\"den\":30}", NULL), 8, 1);              /* capped */
	assert_q(score_one(r, 8, "thcs", "{\"num\":0,\"den\":30}", NULL), 0, 1);
	/* "le": pupils per computer, lower is better */
	const char *le = "{\"kind\":\"ratio\",\"points\":7,\"threshold\":2,\"unit\":\"ratio\",\"compare\":\"le\",\"mode\":\"proportional\"}";
	assert_q(score_one(le, 7, "thcs", "{\"num\":80,\"den\":40}", "≤ ngưỡng 2"), 7, 1);
	assert_q(score_one(le, 7, "thcs", "{\"num\":120,\"den\":40}", NULL), 14, 3);           /* 7 × 2/3 */
}

static void test_rule_ratio_by_type(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"ratio_by_type\",\"points\":6,\"thresholds\":{\"tieu_hoc\":5,\"thcs\":20,\"thpt\":null}}";
	assert_q(score_one(r, 6, "tieu_hoc", "{\"num\":1,\"den\":20}", "(Tiểu học) ≥ ngưỡng 5%"), 6, 1);
	assert_q(score_one(r, 6, "thcs", "{\"num\":1,\"den\":20}", "(THCS) < ngưỡng 20%"), 0, 1);
	assert_q(score_one(r, 6, "thcs", "{\"num\":1,\"den\":5}", NULL), 6, 1);
	assert_q(score_one(r, 6, "thpt", "{\"met\":true,\"reason\":\"Đã giao bài trên LMS cho mọi môn\"}", "người đánh giá xác định đạt"), 6, 1);
	assert_q(score_one(r, 6, "thpt", "{\"met\":false,\"reason\":\"Chưa giao bài\"}", NULL), 0, 1);
}

static void test_rule_count(void **state)
{
	(void)state;
	const char *r = "{\"kind\":\"count\",\"points\":10,\"min\":20}";
	assert_q(score_one(r, 10, "thcs", "20", "Số lượng 20 ≥ ngưỡng 20"), 10, 1);
	assert_q(score_one(r, 10, "thcs", "19", NULL), 0, 1);
	const char *p = "{\"kind\":\"count\",\"points\":10,\"min\":20,\"mode\":\"proportional\"}";
	assert_q(score_one(p, 10, "thcs", "5", NULL), 5, 2);
}

static void test_rule_info_and_gate(void **state)
{
	(void)state;
	const char *crit =
	  "{\"code\":\"1.1\",\"title\":\"Kế hoạch\",\"source\":\"official\",\"rule\":{\"kind\":\"gate\"}},"
	  "{\"code\":\"1.2\",\"title\":\"LMS\",\"source\":\"official\",\"rule\":{\"kind\":\"info\"}},"
	  "{\"code\":\"1.3\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":60}},"
	  "{\"code\":\"1.4\",\"title\":\"B\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":40}}";
	char *fw = wrap(crit, 100, NULL);
	run x;
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":true,\"1.2\":\"Moodle\",\"1.3\":true,\"1.4\":true", false));
	const node_score *g = score_node(x.r, &x.fw->groups[0]);
	assert_q(g->points, 100, 1);
	assert_int_equal(g->band->level, 3);
	assert_contains(score_node(x.r, framework_find(x.fw, "1.2"))->explain, "Moodle");
	run_free(&x);
	/* zero_group: the failed gate wipes the group */
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":false,\"1.3\":true,\"1.4\":true", false));
	g = score_node(x.r, &x.fw->groups[0]);
	assert_q(g->points, 0, 1);
	assert_q(g->raw, 100, 1);
	assert_true(g->gate_failed);
	assert_int_equal(g->band->level, 1);
	assert_contains(g->explain, "không đạt điều kiện bắt buộc");
	run_free(&x);
	free(fw);
	/* flag_only keeps the points and flags */
	fw = wrap(crit, 100, "\"gate_policy\":\"flag_only\",");
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":false,\"1.3\":true,\"1.4\":true", false));
	g = score_node(x.r, &x.fw->groups[0]);
	assert_q(g->points, 100, 1);
	assert_true(g->gate_failed);
	assert_contains(g->explain, "lưu ý");
	run_free(&x);
	free(fw);
}

static const char *derived_fw =
  "{\"chiso_framework\":1,\"id\":\"d\",\"revision\":1,\"title\":\"D\","
  "\"decision\":{\"number\":\"1/QĐ\",\"date\":\"2024-11-29\",\"issuer\":\"X\"},"
  "\"status\":\"complete\",\"source\":\"inferred\",\"unit_types\":[\"phong\"],"
  "\"scoring\":{\"basis\":\"total\",\"max\":100,\"levels\":[{\"level\":1},{\"level\":2,\"from\":50},{\"level\":3,\"above\":75}]},"
  "\"groups\":[{\"code\":\"1\",\"title\":\"Lãnh đạo\",\"max\":40,\"source\":\"official\",\"criteria\":["
  "  {\"code\":\"1.1\",\"title\":\"A\",\"source\":\"inferred\",\"rule\":{\"kind\":\"up_to\",\"points\":40}}]},"
  " {\"code\":\"2\",\"title\":\"Kết quả\",\"max\":60,\"source\":\"official\",\"criteria\":["
  "  {\"code\":\"2.1\",\"title\":\"Tỉ lệ Mức 2+\",\"source\":\"inferred\",\"rule\":{\"kind\":\"derived\",\"points\":20,\"measure\":\"share_at_least_level\",\"level\":2}},"
  "  {\"code\":\"2.2\",\"title\":\"Tỉ lệ Mức 3 THCS\",\"source\":\"inferred\",\"rule\":{\"kind\":\"derived\",\"points\":20,\"measure\":\"share_at_least_level\",\"level\":3,\"unit_types\":[\"thcs\"],\"mode\":\"threshold\",\"threshold\":80}},"
  "  {\"code\":\"2.3\",\"title\":\"Điểm TB nhóm 1\",\"source\":\"inferred\",\"rule\":{\"kind\":\"derived\",\"points\":20,\"measure\":\"average_score\",\"of\":\"1\"}}]}]}";

static void test_rule_derived(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	framework *fw = parse_fw(derived_fw, &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	const char *sheet =
	  "{\"unit_type\":\"phong\",\"answers\":{\"1.1\":{\"points\":30,\"reason\":\"Có kế hoạch\"}},\"subordinates\":["
	  "{\"code\":\"A\",\"unit_type\":\"thcs\",\"level\":3,\"groups\":{\"1\":80,\"2\":90}},"
	  "{\"code\":\"B\",\"unit_type\":\"thcs\",\"level\":2,\"groups\":{\"1\":60,\"2\":55}},"
	  "{\"code\":\"C\",\"unit_type\":\"tieu_hoc\",\"level\":1,\"groups\":{\"1\":40,\"2\":70}},"
	  "{\"code\":\"D\",\"unit_type\":\"tieu_hoc\",\"level\":3,\"groups\":{\"1\":100,\"2\":80}}]}";
	arena *a = arena_new();
	answers_opts o = { 0 };
	answer_sheet s;
	unit_type t;
	assert_true(answers_parse(fw, sheet, strlen(sheet), "a.json", &o, a, &s, &t, &err));
	score_result *r = score_compute(fw, t, POLICY_MIN, &s, &err);
	assert_non_null(r);
	/* 3 of 4 at Mức ≥ 2 → 20 × 3/4 = 15 */
	assert_q(score_node(r, framework_find(fw, "2.1"))->points, 15, 1);
	assert_contains(score_node(r, framework_find(fw, "2.1"))->explain, "3/4 đơn vị (75%) đạt Mức 2");
	/* THCS only: 1 of 2 at Mức 3 = 50% < 80% → 0 */
	assert_q(score_node(r, framework_find(fw, "2.2"))->points, 0, 1);
	/* average group 1 = 70 → 20 × 0.7 = 14 */
	assert_q(score_node(r, framework_find(fw, "2.3"))->points, 14, 1);
	assert_q(r->total, 59, 1);          /* 30 + 15 + 0 + 14 */
	assert_int_equal(r->level->level, 2);
	score_free(r);
	/* a derived item cannot be typed in */
	const char *bad = "{\"unit_type\":\"phong\",\"answers\":{\"1.1\":{\"points\":1,\"reason\":\"x\"},\"2.1\":20}}";
	buf_reset(&err);
	assert_false(answers_parse(fw, bad, strlen(bad), "a.json", &o, a, &s, &t, &err));
	assert_contains(buf_str(&err), "a.json: 2.1: chỉ tiêu được tính từ kết quả các đơn vị trực thuộc");
	arena_free(a);
	framework_free(fw);
	buf_free(&err);
}

/* The derived items alone (score_derived_only) over subordinates built in
 * C: the office's group 2 as its page computes it. */
static subordinate sub(const char *code, unit_type t, int level, const char **gc, q *gs, size_t ng)
{
	return (subordinate){ .code = code, .name = code, .type = t, .level = level,
	                      .group_codes = gc, .group_scores = gs, .ngroups = ng };
}

static void test_derived_only(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	/* the same set, incomplete: score_compute refuses it, the derived items still count */
	const char *from = "\"status\":\"complete\"";
	const char *at = strstr(derived_fw, from);
	assert_non_null(at);
	buf b;
	buf_init(&b);
	buf_printf(&b, "%.*s\"status\":\"incomplete\"%s", (int)(at - derived_fw), derived_fw, at + strlen(from));
	framework *fw = parse_fw(buf_str(&b), &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	assert_false(fw->complete);
	const fw_node *d21 = framework_find(fw, "2.1"), *d22 = framework_find(fw, "2.2"), *d23 = framework_find(fw, "2.3");
	answer_sheet s = { 0 };
	s.answers = calloc(fw->nleaves + 1, sizeof *s.answers);
	assert_null(score_compute(fw, UT_PHONG, POLICY_MIN, &s, &err));

	/* no unit at all: every derived item 0, said so; no level */
	score_result *r = score_derived_only(fw, &s);
	assert_true(r->provisional);
	assert_null(r->level);
	assert_q(score_node(r, d21)->points, 0, 1);
	assert_contains(score_node(r, d21)->explain, "Chưa có kết quả công nhận");
	assert_q(r->total, 0, 1);
	assert_q(r->total_max, 60, 1);      /* the derived items' maxima: 20 + 20 + 20 */
	assert_contains(r->level_explain, "chưa xếp mức");
	size_t counted = 9;
	q share;
	assert_false(score_derived_share(d21->rule, NULL, 0, &counted, &share));
	assert_int_equal(counted, 0);
	score_free(r);

	/* boundary shares: 2.2 (THCS at Mức 3, threshold 80%) with 4 of 5 = 80% exactly is met;
	 * with 3 of 4 = 75% it is not. Units not recognised (level 0) count for nothing;
	 * 2.1 counts every type, 2.2 THCS only. */
	const char *g1[] = { "1", "2" };
	q sa[] = { q_int(80), q_int(90) }, sb[] = { q_int(60), q_int(55) }, sc[] = { q_make(1001, 10), q_int(0) },
	  sd[] = { q_int(100), q_int(80) }, se[] = { q_int(0), q_int(0) };
	subordinate subs[] = {
		sub("A", UT_THCS, 3, g1, sa, 2), sub("B", UT_THCS, 3, g1, sa, 2), sub("C", UT_THCS, 3, g1, sb, 2),
		sub("D", UT_THCS, 3, g1, sd, 2), sub("E", UT_THCS, 2, g1, sb, 2),
		sub("F", UT_TIEU_HOC, 1, g1, sc, 2),
		sub("G", UT_THCS, 0, g1, se, 2),   /* evaluated, not recognised: ignored */
	};
	s.subs = subs;
	s.nsubs = ARRAY_LEN(subs);
	r = score_derived_only(fw, &s);
	/* 2.1: 5 of 6 recognised at Mức ≥ 2 → 20 × 5/6 */
	assert_q(score_node(r, d21)->points, 100, 6);
	assert_contains(score_node(r, d21)->explain, "5/6 đơn vị");
	/* 2.2: 4 of 5 THCS at Mức 3 = 80% ≥ 80% → 20 */
	assert_q(score_node(r, d22)->points, 20, 1);
	assert_contains(score_node(r, d22)->explain, "đạt ngưỡng 80%");
	/* 2.3: average of group 1 over the 6 recognised: (80+80+60+100+60+100.1)/6 = 480.1/6 */
	assert_q(score_node(r, d23)->points, 4801, 300);   /* 20 × 480.1/600 */
	assert_q(r->total, q_add(q_add(q_make(100, 6), q_int(20)), q_make(4801, 300)).n,
	         q_add(q_add(q_make(100, 6), q_int(20)), q_make(4801, 300)).d);
	assert_null(r->level);
	/* parts add up to the item under proportional mode: D adds 20 × 1/6, F nothing to 2.1 */
	assert_true(score_derived_share(d21->rule, subs, ARRAY_LEN(subs), &counted, &share));
	assert_int_equal(counted, 6);
	assert_q(share, 5, 6);
	assert_q(score_derived_part(d21->rule, &subs[3], counted), 20, 6);
	assert_q(score_derived_part(d21->rule, &subs[5], counted), 0, 1);
	assert_q(score_derived_part(d21->rule, &subs[6], counted), 0, 1);   /* not recognised */
	q sum = q_int(0);
	for (size_t i = 0; i < ARRAY_LEN(subs); i++) sum = q_add(sum, score_derived_part(d23->rule, &subs[i], 6));
	assert_q(sum, 4801, 300);
	/* threshold mode: no additive parts */
	assert_q(score_derived_part(d22->rule, &subs[0], 5), 0, 1);
	score_free(r);

	/* 3 of 4 THCS at Mức 3 = 75% < 80% → 0 */
	s.nsubs = 4;
	subs[3].level = 2;
	r = score_derived_only(fw, &s);
	assert_q(score_node(r, d22)->points, 0, 1);
	assert_contains(score_node(r, d22)->explain, "chưa đạt ngưỡng 80%");
	score_free(r);

	/* unit types filtered: only tiểu học recognised → 2.2 (THCS) has no unit */
	s.subs = &subs[5];
	s.nsubs = 1;
	r = score_derived_only(fw, &s);
	assert_contains(score_node(r, d22)->explain, "Chưa có kết quả công nhận");
	assert_q(score_node(r, d21)->points, 0, 1);       /* Mức 1: 0 of 1 */
	assert_contains(score_node(r, d21)->explain, "0/1 đơn vị");
	score_free(r);

	/* the formula in Vietnamese */
	arena *a = arena_new();
	assert_contains(score_derived_formula(a, d21->rule), "Điểm = 20 × (số đơn vị được công nhận Mức 2 trở lên");
	assert_contains(score_derived_formula(a, d22->rule), "(THCS)");
	assert_contains(score_derived_formula(a, d22->rule), "≥ 80%");
	assert_contains(score_derived_formula(a, d23->rule), "điểm trung bình nhóm 1");
	arena_free(a);
	free(s.answers);
	framework_free(fw);
	buf_free(&b);
	buf_free(&err);
}

static void test_node_capped_at_max(void **state)
{
	(void)state;
	/* a criterion declared at 10 whose items could give more is invalid … */
	const char *over = "{\"code\":\"1.1\",\"title\":\"C\",\"max\":10,\"source\":\"official\",\"items\":["
	                   "{\"code\":\"1.1.1\",\"title\":\"a\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":8}},"
	                   "{\"code\":\"1.1.2\",\"title\":\"b\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":8}}]}";
	char *fw = wrap(over, 10, NULL);
	buf err;
	buf_init(&err);
	assert_null(parse_fw(fw, &err));
	assert_contains(buf_str(&err), "t.json: groups[0].criteria[0].max: tổng điểm các thành phần (16) vượt điểm tối đa khai báo (10)");
	free(fw);
	buf_free(&err);
}

/* ---- unit level policy and basis total --------------------------------------- */

static void test_policy(void **state)
{
	(void)state;
	buf err, text;
	buf_init(&err);
	buf_init(&text);
	framework *fw = framework_load_file("frameworks/qd4725-2022.json", &err);
	assert_non_null(fw);
	FILE *f = fopen("test/fixtures/answers/qd4725-thcs.json", "rb");
	assert_non_null(f);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&text, chunk, n);
	fclose(f);
	arena *a = arena_new();
	answers_opts o = { 0 };
	answer_sheet s;
	unit_type t;
	assert_true(answers_parse(fw, buf_str(&text), text.len, "x", &o, a, &s, &t, &err));
	score_result *r = score_compute(fw, t, POLICY_MIN, &s, &err);
	assert_int_equal(r->level->level, 2);                /* min(3, 2) */
	score_free(r);
	r = score_compute(fw, t, POLICY_PER_GROUP_ONLY, &s, &err);
	assert_null(r->level);
	assert_contains(r->level_explain, "theo từng nhóm");
	score_free(r);
	/* not applicable to preschool */
	assert_null(score_compute(fw, UT_MAM_NON, POLICY_MIN, &s, &err));
	assert_contains(buf_str(&err), "không áp dụng cho loại hình Mầm non");
	arena_free(a);
	framework_free(fw);
	buf_free(&err);
	buf_free(&text);
}

/* ---- shipped frameworks -------------------------------------------------------- */

static void test_shipped_frameworks(void **state)
{
	(void)state;
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	if (cat.errors.len) fail_msg("%s", buf_str(&cat.errors));
	assert_true(cat.n >= 4);
	const framework *f4725 = fw_catalog_find(&cat, "qd4725-2022");
	assert_non_null(f4725);
	assert_true(f4725->complete);
	assert_int_equal(f4725->ngroups, 2);
	for (size_t g = 0; g < 2; g++) assert_q(f4725->groups[g].max, 100, 1);
	/* every leaf of the complete sets sums to its group's maximum */
	for (size_t i = 0; i < cat.n; i++) {
		const framework *fw = cat.items[i];
		if (!fw->complete) continue;
		for (size_t g = 0; g < fw->ngroups; g++) {
			q sum = q_int(0);
			for (size_t l = 0; l < fw->nleaves; l++)
				if (fw->leaves[l]->group_index == g) sum = q_add(sum, fw->leaves[l]->max);
			assert_int_equal(q_cmp(sum, fw->groups[g].max), 0);
		}
	}
	const framework *q7 = fw_catalog_find(&cat, "q7-mamnon-2023");
	assert_non_null(q7);
	assert_int_equal(q7->basis, BASIS_TOTAL);
	assert_q(q_add(q7->groups[0].max, q7->groups[1].max), 100, 1);
	assert_q(q7->groups[0].max, 55, 1);
	/* incomplete sets load, are marked, and refuse to score */
	static const char *const incomplete[] = { "qd3806-2024", "qd3276-2024" };
	for (size_t i = 0; i < 2; i++) {
		const framework *fw = fw_catalog_find(&cat, incomplete[i]);
		assert_non_null(fw);
		assert_false(fw->complete);
		buf err;
		buf_init(&err);
		answer_sheet s = { 0 };
		assert_null(score_compute(fw, fw->unit_types[UT_PHONG] ? UT_PHONG : UT_MAM_NON, POLICY_MIN, &s, &err));
		assert_contains(buf_str(&err), "chưa hoàn chỉnh");
		buf_free(&err);
	}
	const framework *f3806 = fw_catalog_find(&cat, "qd3806-2024");
	bool has_derived = false;
	for (size_t l = 0; l < f3806->nleaves; l++) has_derived |= f3806->leaves[l]->rule->kind == RULE_DERIVED;
	assert_true(has_derived);
	/* every node carries its source tag: 1.3.2's points are third-party */
	const fw_node *n = framework_find(f4725, "1.3.2");
	assert_non_null(n);
	assert_int_equal(n->rule->source, SRC_THIRD_PARTY);
	fw_catalog_free(&cat);
}

/* The embedded copies are the files of frameworks/ (the build embeds them):
 * the same ids and revisions, byte for byte the same titles, marked as
 * embedded; a directory's copy of the same id@revision replaces one. */
static void test_embedded_frameworks(void **state)
{
	(void)state;
	unsetenv("CHISO_FRAMEWORKS");
	fw_catalog files, all;
	fw_catalog_load(&files, "frameworks");
	fw_catalog_load_default(&all, NULL);
	if (all.errors.len) fail_msg("%s", buf_str(&all.errors));
	assert_int_equal(all.n, files.n);
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < files.n; i++) {
		const framework *f = files.items[i], *e = all.items[i];
		assert_string_equal(e->id, f->id);
		assert_int_equal(e->revision, f->revision);
		assert_string_equal(e->title, f->title);
		assert_int_equal(e->nleaves, f->nleaves);
		assert_int_equal(e->origin, FW_FROM_EMBEDDED);
		assert_string_equal(fw_origin_text(e, &b), "nhúng trong chương trình");
		assert_int_equal(f->origin, FW_FROM_DIR);
	}
	fw_catalog_free(&all);
	/* an override directory: its copy wins, the others stay embedded */
	fw_catalog_load_default(&all, "frameworks");
	if (all.errors.len) fail_msg("%s", buf_str(&all.errors));
	assert_int_equal(all.n, files.n);
	const framework *f = fw_catalog_find(&all, "qd4725-2022");
	assert_non_null(f);
	assert_string_equal(fw_origin_text(f, &b), "frameworks/qd4725-2022.json");
	fw_catalog_free(&all);
	/* one that cannot be read is said, and the embedded ones still load */
	fw_catalog_load_default(&all, "test/fixtures/no-such-directory");
	assert_non_null(strstr(buf_str(&all.errors), "no-such-directory: không mở được thư mục bộ chỉ số"));
	assert_int_equal(all.n, files.n);
	fw_catalog_free(&all);
	fw_catalog_free(&files);
	buf_free(&b);
}

/* ---- hand-computed fixtures --------------------------------------------------- */

static q parse_expect_num(const char *s)
{
	q v;
	if (!q_parse_decimal(s, 2, &v)) fail_msg("bad number in .expected: %s", s);
	return v;
}

static void check_fixture(const char *name)
{
	char path[256], exp[256];
	snprintf(path, sizeof path, "test/fixtures/answers/%s.json", name);
	snprintf(exp, sizeof exp, "test/fixtures/answers/%s.expected", name);
	buf text, err;
	buf_init(&text);
	buf_init(&err);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&text, chunk, n);
	fclose(f);
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	const framework *fw = fw_catalog_find(&cat, strstr(name, "q7") ? "q7-mamnon-2023" : "qd4725-2022");
	assert_non_null(fw);
	arena *a = arena_new();
	answers_opts o = { 0 };
	answer_sheet s;
	unit_type t;
	if (!answers_parse(fw, buf_str(&text), text.len, path, &o, a, &s, &t, &err)) fail_msg("%s", buf_str(&err));
	score_result *r = score_compute(fw, t, POLICY_MIN, &s, &err);
	assert_non_null(r);
	f = fopen(exp, "r");
	assert_non_null(f);
	char line[512];
	int checked = 0;
	while (fgets(line, sizeof line, f) && line[0] != '\n') {
		char code[32], pts[32], lv[8];
		if (sscanf(line, "group %31s %31s %7s", code, pts, lv) == 3) {
			const fw_node *g = framework_find(fw, code);
			assert_non_null(g);
			const node_score *gs = score_node(r, g);
			if (q_cmp(gs->points, parse_expect_num(pts)) != 0) fail_msg("%s group %s: points differ from %s", name, code, pts);
			if (strcmp(lv, "-") != 0) assert_int_equal(gs->band->level, atoi(lv));
			checked++;
		} else if (sscanf(line, "total %31s %7s", pts, lv) == 2) {
			if (q_cmp(r->total, parse_expect_num(pts)) != 0) fail_msg("%s total differs from %s", name, pts);
			assert_int_equal(r->level->level, atoi(lv));
			checked++;
		} else if (sscanf(line, "unit %7s", lv) == 1) {
			assert_int_equal(r->level->level, atoi(lv));
			checked++;
		}
	}
	fclose(f);
	assert_true(checked >= 3);
	score_free(r);
	arena_free(a);
	fw_catalog_free(&cat);
	buf_free(&text);
	buf_free(&err);
}

static void test_fixture_tieu_hoc(void **state) { (void)state; check_fixture("qd4725-tieu-hoc"); }
static void test_fixture_thcs(void **state) { (void)state; check_fixture("qd4725-thcs"); }
static void test_fixture_thpt(void **state) { (void)state; check_fixture("qd4725-thpt"); }
static void test_fixture_gate_fail(void **state) { (void)state; check_fixture("qd4725-gate-fail"); }
static void test_fixture_q7(void **state) { (void)state; check_fixture("q7-mamnon"); }
static void test_fixture_q7_gate_fail(void **state) { (void)state; check_fixture("q7-mamnon-gate-fail"); }

/* ---- what-if ------------------------------------------------------------------ */

static void test_whatif_minimal_set(void **state)
{
	(void)state;
	const char *crit =
	  "{\"code\":\"1.1\",\"title\":\"Gate\",\"source\":\"official\",\"rule\":{\"kind\":\"gate\"}},"
	  "{\"code\":\"1.2\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":40}},"
	  "{\"code\":\"1.3\",\"title\":\"B\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":30}},"
	  "{\"code\":\"1.4\",\"title\":\"C\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":20}},"
	  "{\"code\":\"1.5\",\"title\":\"D\",\"source\":\"official\",\"rule\":{\"kind\":\"ratio\",\"points\":10,\"threshold\":60}}";
	char *fw = wrap(crit, 100, NULL);
	run x;
	/* 40 now (Mức 1); Mức 2 needs ≥ 50: one item suffices, and of the single
	 * items that do (30, 20, 10), D (+10) overshoots least */
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":true,\"1.2\":true,\"1.3\":false,\"1.4\":false,\"1.5\":{\"num\":1,\"den\":2}", false));
	size_t np;
	whatif_plan *p = score_whatif(x.r, &np);
	assert_int_equal(np, 1);
	assert_int_equal(p[0].to->level, 2);
	assert_true(p[0].reachable);
	assert_int_equal(p[0].nsteps, 1);
	assert_string_equal(p[0].steps[0].leaf->code, "1.5");
	assert_q(p[0].after, 50, 1);
	assert_contains(p[0].steps[0].action, "Đạt tỉ lệ ≥ 60%");
	run_free(&x);
	/* 70 now; Mức 3 needs > 75: 1.4 (+20) → 90 or 1.5 (+10) → 80: take 1.5 */
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":true,\"1.2\":true,\"1.3\":true,\"1.4\":false,\"1.5\":{\"num\":1,\"den\":2}", false));
	p = score_whatif(x.r, &np);
	assert_int_equal(np, 1);
	assert_int_equal(p[0].nsteps, 1);
	assert_string_equal(p[0].steps[0].leaf->code, "1.5");
	assert_q(p[0].after, 80, 1);
	run_free(&x);
	/* a failed gate comes first and restores the raw points */
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":false,\"1.2\":true,\"1.3\":false,\"1.4\":false,\"1.5\":{\"num\":1,\"den\":2}", false));
	p = score_whatif(x.r, &np);
	assert_int_equal(p[0].from->level, 1);
	assert_int_equal(p[0].nsteps, 2);
	assert_string_equal(p[0].steps[0].leaf->code, "1.1");
	assert_q(p[0].current, 0, 1);
	assert_q(p[0].after, 50, 1);
	run_free(&x);
	/* at the top level there is nothing to plan */
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":true,\"1.2\":true,\"1.3\":true,\"1.4\":true,\"1.5\":{\"num\":1,\"den\":2}", false));
	score_whatif(x.r, &np);
	assert_int_equal(np, 0);
	run_free(&x);
	free(fw);
}

static void test_whatif_q7_total(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	framework *fw = framework_load_file("frameworks/q7-mamnon-2023.json", &err);
	assert_non_null(fw);
	const char *sheet = "{\"unit_type\":\"mam_non\",\"answers\":{\"1.1\":true,\"2.1\":true,\"2.2\":true,"
	  "\"1.2.a\":{\"points\":10,\"reason\":\"r\"},\"1.2.b\":{\"points\":5,\"reason\":\"r\"},\"1.2.c\":{\"points\":10,\"reason\":\"r\"},"
	  "\"1.3\":{\"points\":10,\"reason\":\"r\"},\"2.3.a\":{\"tier\":\"separate\"},\"2.3.b\":{\"points\":0,\"reason\":\"r\"},"
	  "\"2.4.1\":{\"points\":4,\"reason\":\"r\"},\"2.4.2\":{\"points\":0,\"reason\":\"r\"},\"2.4.3\":{\"points\":0,\"reason\":\"r\"}}}";
	arena *a = arena_new();
	answers_opts o = { 0 };
	answer_sheet s;
	unit_type t;
	if (!answers_parse(fw, sheet, strlen(sheet), "a", &o, a, &s, &t, &err)) fail_msg("%s", buf_str(&err));
	score_result *r = score_compute(fw, t, POLICY_MIN, &s, &err);
	assert_q(r->total, 43, 1);
	size_t np;
	whatif_plan *p = score_whatif(r, &np);
	assert_int_equal(np, 1);
	assert_null(p[0].group);
	assert_int_equal(p[0].to->level, 2);
	/* 7 more points: the single item 2.4.2 (+12) reaches 55 */
	assert_int_equal(p[0].nsteps, 1);
	assert_true(q_cmp(p[0].after, q_int(50)) >= 0);
	score_free(r);
	arena_free(a);
	framework_free(fw);
	buf_free(&err);
}

/* ---- malformed frameworks ------------------------------------------------------- */

static void expect_fw_error(const char *json, const char *message)
{
	buf err;
	buf_init(&err);
	framework *fw = framework_parse(json, strlen(json), "t.json", &err);
	if (fw) fail_msg("expected an error \"%s\"", message);
	assert_contains(buf_str(&err), message);
	buf_free(&err);
}

static void test_framework_errors(void **state)
{
	(void)state;
	const char *ok_item = "{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":100}}";
	char *good = wrap(ok_item, 100, NULL);
	buf err;
	buf_init(&err);
	framework *fw = parse_fw(good, &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	framework_free(fw);
	free(good);

	char *s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"bonus\",\"points\":100}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].criteria[0].rule.kind: giá trị không hợp lệ \"bonus\"");
	free(s);
	s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":50}},"
	         "{\"code\":\"1.1\",\"title\":\"B\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":50}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].criteria[1].code: mã \"1.1\" bị trùng với groups[0].criteria[0]");
	free(s);
	s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":90}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].max: tổng điểm các thành phần (90) không bằng điểm tối đa khai báo (100)");
	free(s);
	s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"pionts\":100}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].criteria[0].rule.pionts: khóa không được hỗ trợ");
	free(s);
	s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"ratio_by_type\",\"points\":100,"
	         "\"thresholds\":{\"tieu_hoc\":5,\"thcs\":20}}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].criteria[0].rule.thresholds: thiếu ngưỡng cho loại hình \"thpt\"");
	free(s);
	s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"guess\",\"rule\":{\"kind\":\"yes_no\",\"points\":100}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].criteria[0].source: giá trị không hợp lệ \"guess\"");
	free(s);
	/* NFD text: "Trường" with a combining grave and hook */
	s = wrap("{\"code\":\"1.1\",\"title\":\"Tru\xcc\x9bo\xcc\x9b\xcc\x80ng\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":100}}", 100, NULL);
	expect_fw_error(s, "t.json: groups[0].criteria[0].title: văn bản không ở dạng chuẩn Unicode NFC");
	free(s);
	/* Latin-1 bytes (0xE0 = à) */
	s = wrap("{\"code\":\"1.1\",\"title\":\"Tr\xe0\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":100}}", 100, NULL);
	expect_fw_error(s, "văn bản không phải UTF-8 hợp lệ (byte 0xE0)");
	free(s);
	/* a deleted comma */
	expect_fw_error("{\"chiso_framework\":1 \"id\":\"x\"}", "t.json: dòng 1, cột");
	/* duplicate keys */
	expect_fw_error("{\"id\":\"x\",\"id\":\"y\"}", "duplicate object key");
	/* an incomplete framework may fall short, never exceed */
	s = wrap("{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":120}}", 100, NULL);
	expect_fw_error(s, "vượt điểm tối đa khai báo");
	free(s);
	/* levels must increase */
	expect_fw_error("{\"chiso_framework\":1,\"id\":\"x\",\"revision\":1,\"title\":\"X\",\"decision\":{\"number\":\"1\",\"date\":\"2023-02-29\",\"issuer\":\"X\"},"
	                "\"status\":\"complete\",\"source\":\"seed\",\"unit_types\":[\"thcs\"],\"scoring\":{\"basis\":\"groups\",\"levels\":["
	                "{\"level\":1},{\"level\":2,\"from\":75},{\"level\":3,\"above\":50}]},\"groups\":[]}",
	                "scoring.levels[2]: ngưỡng các mức phải tăng dần");
	expect_fw_error("{\"chiso_framework\":1,\"id\":\"x\",\"revision\":1,\"title\":\"X\",\"decision\":{\"number\":\"1\",\"date\":\"2023-02-29\",\"issuer\":\"X\"},"
	                "\"status\":\"complete\",\"source\":\"seed\",\"unit_types\":[\"thcs\"],\"scoring\":{\"basis\":\"groups\",\"levels\":[{\"level\":1}]},\"groups\":[]}",
	                "decision.date: ngày không hợp lệ \"2023-02-29\"");
	buf_free(&err);
}

/* ---- malformed answer sheets ---------------------------------------------------- */

static void expect_answer_error(const char *answers, bool partial, const char *message)
{
	const char *crit =
	  "{\"code\":\"1.1\",\"title\":\"G\",\"source\":\"official\",\"rule\":{\"kind\":\"gate\"}},"
	  "{\"code\":\"1.2\",\"title\":\"U\",\"source\":\"official\",\"max\":60,\"items\":["
	  "  {\"code\":\"1.2.1\",\"title\":\"U\",\"source\":\"official\",\"rule\":{\"kind\":\"up_to\",\"points\":30}},"
	  "  {\"code\":\"1.2.2\",\"title\":\"R\",\"source\":\"official\",\"rule\":{\"kind\":\"ratio\",\"points\":30,\"threshold\":60}}]},"
	  "{\"code\":\"1.3\",\"title\":\"N\",\"source\":\"official\",\"rule\":{\"kind\":\"count\",\"points\":40,\"min\":3}}";
	char *fw = wrap(crit, 100, NULL);
	run x;
	if (run_score(&x, fw, "thcs", answers, partial)) fail_msg("expected an error \"%s\"", message);
	assert_contains(buf_str(&x.err), message);
	run_free(&x);
	free(fw);
}

static void test_answer_errors(void **state)
{
	(void)state;
	const char *rest = "\"1.2.1\":{\"points\":3,\"reason\":\"r\"},\"1.2.2\":{\"num\":1,\"den\":2},\"1.3\":3";
	char buf1[512];
	snprintf(buf1, sizeof buf1, "\"1.1\":true,%s,\"9.9\":true", rest);
	expect_answer_error(buf1, false, "a.json: 9.9: mã chỉ tiêu không có trong bộ chỉ số");
	snprintf(buf1, sizeof buf1, "\"1.1\":\"có\",%s", rest);
	expect_answer_error(buf1, false, "a.json: 1.1: cần true");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":31,\"reason\":\"r\"},\"1.2.2\":{\"num\":1,\"den\":2},\"1.3\":3", false,
	                    "a.json: 1.2.1: điểm phải từ 0 đến 30");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":3},\"1.2.2\":{\"num\":1,\"den\":2},\"1.3\":3", false,
	                    "a.json: 1.2.1: cần ghi lý do");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":3,\"reason\":\"r\"},\"1.2.2\":{\"num\":3,\"den\":2},\"1.3\":3", false,
	                    "a.json: 1.2.2: tử số (3) lớn hơn mẫu số (2)");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":3,\"reason\":\"r\"},\"1.2.2\":{\"num\":1,\"den\":0},\"1.3\":3", false,
	                    "a.json: 1.2.2: \"num\" và \"den\" phải là số nguyên");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":3,\"reason\":\"r\"},\"1.2.2\":{\"num\":1,\"den\":2},\"1.3\":-1", false,
	                    "a.json: 1.3: cần số nguyên không âm");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":3,\"reason\":\"r\"},\"1.3\":3", false,
	                    "a.json: 1.2.2: thiếu câu trả lời cho chỉ tiêu bắt buộc");
	expect_answer_error("\"1.2\":5", true, "a.json: 1.2: là tiêu chí tổng hợp");
	expect_answer_error("\"1.1\":true,\"1.2.1\":{\"points\":3.333,\"reason\":\"r\"}", true, "a.json: 1.2.1: điểm phải từ 0 đến 30, tối đa 2 chữ số thập phân");
	/* partial sheets score what is there and count the rest */
	const char *crit = "{\"code\":\"1.1\",\"title\":\"A\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":60}},"
	                   "{\"code\":\"1.2\",\"title\":\"B\",\"source\":\"official\",\"rule\":{\"kind\":\"yes_no\",\"points\":40}}";
	char *fw = wrap(crit, 100, NULL);
	run x;
	assert_true(run_score(&x, fw, "thcs", "\"1.1\":true", true));
	assert_int_equal(x.r->unanswered, 1);
	assert_contains(score_node(x.r, framework_find(x.fw, "1.2"))->explain, "Chưa đánh giá");
	run_free(&x);
	free(fw);
	/* invalid UTF-8 in the sheet itself */
	buf err;
	buf_init(&err);
	fw = wrap(crit, 100, NULL);
	framework *f = parse_fw(fw, &err);
	arena *a = arena_new();
	answers_opts o = { .partial = true };
	answer_sheet s;
	unit_type t;
	const char *bad = "{\"unit_type\":\"thcs\",\"answers\":{\"1.1\":true},\"note\":\"\xff\"}";
	assert_false(answers_parse(f, bad, strlen(bad), "a.json", &o, a, &s, &t, &err));
	assert_contains(buf_str(&err), "không phải UTF-8 hợp lệ (byte 0xFF)");
	arena_free(a);
	framework_free(f);
	free(fw);
	buf_free(&err);
}

static void test_unit_type_parse(void **state)
{
	(void)state;
	unit_type t;
	assert_true(unit_type_parse("thcs", &t));
	assert_int_equal(t, UT_THCS);
	assert_true(unit_type_parse("THPT", &t));
	assert_int_equal(t, UT_THPT);
	assert_true(unit_type_parse("Tiểu học", &t));
	assert_int_equal(t, UT_TIEU_HOC);
	assert_true(unit_type_parse("mầm non", &t));
	assert_int_equal(t, UT_MAM_NON);
	assert_false(unit_type_parse("đại học", &t));
	assert_false(unit_type_parse("", &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_arithmetic),
		cmocka_unit_test(test_level_boundaries),
		cmocka_unit_test(test_rule_yes_no),
		cmocka_unit_test(test_rule_up_to),
		cmocka_unit_test(test_rule_alternatives),
		cmocka_unit_test(test_rule_tiered),
		cmocka_unit_test(test_rule_ratio_threshold),
		cmocka_unit_test(test_rule_ratio_proportional),
		cmocka_unit_test(test_rule_ratio_by_type),
		cmocka_unit_test(test_rule_count),
		cmocka_unit_test(test_rule_info_and_gate),
		cmocka_unit_test(test_rule_derived),
		cmocka_unit_test(test_derived_only),
		cmocka_unit_test(test_node_capped_at_max),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_shipped_frameworks),
		cmocka_unit_test(test_embedded_frameworks),
		cmocka_unit_test(test_fixture_tieu_hoc),
		cmocka_unit_test(test_fixture_thcs),
		cmocka_unit_test(test_fixture_thpt),
		cmocka_unit_test(test_fixture_gate_fail),
		cmocka_unit_test(test_fixture_q7),
		cmocka_unit_test(test_fixture_q7_gate_fail),
		cmocka_unit_test(test_whatif_minimal_set),
		cmocka_unit_test(test_whatif_q7_total),
		cmocka_unit_test(test_framework_errors),
		cmocka_unit_test(test_answer_errors),
		cmocka_unit_test(test_unit_type_parse),
	};
	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
