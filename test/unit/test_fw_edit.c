/* test_fw_edit.c — the rule editor's pure work (fw_edit.h) on the
 * hand-written fixture test/fixtures/fw_import/annex.json (what the annex
 * table imports to): a rule built from the form's fields for each kind, bad
 * fields named; a leaf's rule replaced clears its inferred mark and the
 * import's explanation; the checks find a broken sum, a duplicate code and
 * a unit type without a threshold; the preview's full sample sheet earns
 * every group's maximum through the engine, the empty one nothing. */
#include "testutil.h"
#include "fw_edit.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "test/fixtures/fw_import/annex.json"

static json_t *fixture(void)
{
	json_error_t e;
	json_t *root = json_load_file(FIXTURE, JSON_PRESERVE_ORDER, &e);
	if (!root) fail_msg("%s: %s", FIXTURE, e.text);
	return root;
}

static char *rule_text(const fw_rule_form *f, buf *err)
{
	json_t *r = fw_edit_rule(f, err);
	char *s = r ? json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(r);
	return s;
}

static void test_rule_from_form(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	fw_rule_form f = { .kind = "ratio", .source = "official", .points = "20", .threshold = "12,5", .compare = "le" };
	char *s = rule_text(&f, &err);
	assert_string_equal(s, "{\"kind\":\"ratio\",\"source\":\"official\",\"points\":20,\"threshold\":12.5,\"compare\":\"le\"}");
	free(s);
	fw_rule_form alt = { .kind = "alternatives", .source = "seed", .options = "a | Tự xây dựng | 20\n\nb | Thuê | 10\n" };
	s = rule_text(&alt, &err);
	assert_string_equal(s, "{\"kind\":\"alternatives\",\"source\":\"seed\",\"options\":[{\"code\":\"a\",\"label\":\"Tự xây dựng\","
	                       "\"points\":20},{\"code\":\"b\",\"label\":\"Thuê\",\"points\":10}]}");
	free(s);
	fw_rule_form byt = { .kind = "ratio_by_type", .source = "official", .points = "10", .thresholds = "THCS = 20\ntieu_hoc =" };
	s = rule_text(&byt, &err);
	assert_string_equal(s, "{\"kind\":\"ratio_by_type\",\"source\":\"official\",\"points\":10,\"thresholds\":{\"thcs\":20,\"tieu_hoc\":null}}");
	free(s);
	fw_rule_form der = { .kind = "derived", .source = "official", .points = "10", .dmeasure = "share_at_least_level", .dlevel = "2" };
	s = rule_text(&der, &err);
	assert_string_equal(s, "{\"kind\":\"derived\",\"source\":\"official\",\"points\":10,\"measure\":\"share_at_least_level\",\"level\":2}");
	free(s);
	assert_int_equal(err.len, 0);
	/* refusals name the field */
	fw_rule_form bad = { .kind = "yes_no", .source = "official", .points = "hai" };
	assert_null(rule_text(&bad, &err));
	assert_non_null(strstr(buf_str(&err), "Điểm: \"hai\" không phải số"));
	buf_reset(&err);
	fw_rule_form inf = { .kind = "yes_no", .source = "inferred", .points = "2" };
	assert_null(rule_text(&inf, &err));
	assert_non_null(strstr(buf_str(&err), "Nguồn"));
	buf_reset(&err);
	fw_rule_form opt = { .kind = "alternatives", .source = "official", .options = "a | Không điểm" };
	assert_null(rule_text(&opt, &err));
	assert_non_null(strstr(buf_str(&err), "Các lựa chọn: dòng \"a\" cần dạng mã | tên | điểm"));
	buf_reset(&err);
	fw_rule_form ty = { .kind = "ratio_by_type", .source = "official", .points = "1", .thresholds = "dai_hoc = 3" };
	assert_null(rule_text(&ty, &err));
	assert_non_null(strstr(buf_str(&err), "\"dai_hoc\" không phải loại hình"));
	buf_free(&err);
}

static void test_set_rule_clears_inferred(void **state)
{
	(void)state;
	json_t *root = fixture();
	fw_edit_checks c;
	fw_edit_check(root, &c);
	size_t before = c.inferred;
	assert_true(before >= 2);
	assert_int_equal(c.leaves, 6);
	fw_edit_checks_free(&c);
	json_t *leaf = fw_edit_leaf(root, "2.1");
	assert_non_null(leaf);
	assert_non_null(strstr(json_string_value(json_object_get(leaf, "note")), "Cách chấm:"));
	assert_null(fw_edit_leaf(root, "1.2"));          /* a criterion with items has no rule */
	assert_false(fw_edit_set_rule(root, "9.9", json_object(), "official"));
	assert_true(fw_edit_set_rule(root, "2.1", json_pack("{s:s, s:s, s:i}", "kind", "yes_no", "source", "official", "points", 100),
	                             "official"));
	leaf = fw_edit_leaf(root, "2.1");
	json_t *note = json_object_get(leaf, "note");
	assert_true(!note || !strstr(json_string_value(note), "suy ra"));
	fw_edit_check(root, &c);
	assert_int_equal(c.inferred, before - 1);
	assert_int_equal(c.sums.len + c.codes.len + c.types.len, 0);
	fw_edit_checks_free(&c);
	json_decref(root);
}

static void test_checks(void **state)
{
	(void)state;
	json_t *root = fixture();
	/* 1.2.1 worth 30: criterion 1.2 (60) and group 1 (100) no longer add up */
	fw_edit_set_rule(root, "1.2.1", json_pack("{s:s, s:s, s:i}", "kind", "yes_no", "source", "official", "points", 30), "official");
	/* 1.3 given code 1.1; 1.2.2 a ratio by type without thcs */
	json_object_set_new(fw_edit_leaf(root, "1.3"), "code", json_string("1.1"));
	fw_edit_set_rule(root, "1.2.2", json_pack("{s:s, s:s, s:i, s:{s:i}}", "kind", "ratio_by_type", "source", "official", "points", 20,
	                                          "thresholds", "tieu_hoc", 5), "official");
	fw_edit_checks c;
	fw_edit_check(root, &c);
	assert_non_null(strstr(buf_str(&c.sums), "1.2: điểm tối đa 60 nhưng tổng các mục bên dưới là 70"));
	assert_null(strstr(buf_str(&c.sums), "1: điểm"));  /* the group adds its criteria's declared maxima */
	assert_non_null(strstr(buf_str(&c.codes), "Mã 1.1 bị trùng"));
	assert_non_null(strstr(buf_str(&c.types), "1.2.2: chưa có ngưỡng cho loại hình THCS"));
	fw_edit_checks_free(&c);
	json_decref(root);
}

static void test_preview_samples(void **state)
{
	(void)state;
	buf err;
	buf_init(&err);
	framework *fw = framework_load_file(FIXTURE, &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	arena *a = arena_new();
	answer_sheet full, empty;
	fw_edit_sample(fw, UT_THCS, true, a, &full);
	fw_edit_sample(fw, UT_THCS, false, a, &empty);
	score_result *rf = score_compute(fw, UT_THCS, POLICY_MIN, &full, &err);
	score_result *re = score_compute(fw, UT_THCS, POLICY_MIN, &empty, &err);
	assert_non_null(rf);
	assert_non_null(re);
	for (size_t g = 0; g < fw->ngroups; g++) {
		assert_int_equal(q_cmp(score_node(rf, &fw->groups[g])->points, fw->groups[g].max), 0);
		assert_true(q_is_zero(score_node(re, &fw->groups[g])->points));
	}
	assert_int_equal(rf->unanswered, 0);
	assert_int_equal(re->unanswered, fw->nleaves);
	assert_int_equal(rf->level->level, 3);
	score_free(rf);
	score_free(re);
	arena_free(a);
	framework_free(fw);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_from_form),
		cmocka_unit_test(test_set_rule_clears_inferred),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_preview_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
