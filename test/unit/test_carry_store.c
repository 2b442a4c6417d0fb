/* test_carry_store.c — assess_carry on a stored assessment, on SQLite and
 * PostgreSQL (store_test.h): moving to a corrected revision clears exactly
 * the answers the new rule refuses, keeps the others, changes the revision
 * with a compare-and-set, scores the stored level again, audits the move;
 * a dry run writes nothing; a recognised assessment keeps its revision;
 * assessment_set_revision refuses a stale `from`. */
#include "store_test.h"
#include <jansson.h>
#include "assess_carry.h"
#include "audit.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"

typedef struct world {
	int64_t school, round, as;
	fw_catalog cat;
	const framework *r2;
	arena *a;
} world;

/* qd4725-2022 revision 2: 1.3.1 becomes a count (a yes/no answer no longer
 * fits), 1.6.1's threshold rises to 90 (a ratio answer still fits). */
static framework *revision2(void)
{
	json_error_t je;
	json_t *root = json_load_file("frameworks/qd4725-2022.json", 0, &je);
	if (!root) fail_msg("frameworks/qd4725-2022.json: %s", je.text);
	json_object_set_new(root, "revision", json_integer(2));
	json_t *groups = json_object_get(root, "groups"), *g, *c, *it;
	size_t i, j, k;
	json_array_foreach(groups, i, g) json_array_foreach(json_object_get(g, "criteria"), j, c)
		json_array_foreach(json_object_get(c, "items"), k, it) {
			const char *code = json_string_value(json_object_get(it, "code"));
			json_t *rule = json_object_get(it, "rule");
			if (!strcmp(code, "1.3.1"))
				json_object_set_new(it, "rule", json_pack("{s:s, s:I, s:I, s:s}", "kind", "count", "points",
					json_integer_value(json_object_get(rule, "points")), "min", (json_int_t)3, "measure", "Số phần mềm"));
			if (!strcmp(code, "1.6.1")) json_object_set_new(rule, "threshold", json_integer(90));
		}
	char *text = json_dumps(root, 0);
	json_decref(root);
	buf err;
	buf_init(&err);
	framework *fw = framework_parse(text, strlen(text), "qd4725-2022-r2.json", &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	buf_free(&err);
	free(text);
	return fw;
}

static void make_world(store_fx *fx, world *w)
{
	memset(w, 0, sizeof *w);
	w->a = arena_new();
	unit p = { .code = "31310", .name = "Phòng GD&ĐT quận Dương Kinh", .type = "phong", .is_public = true };
	unit s = { .code = "31310401", .name = "Trường THCS Hưng Đạo", .type = "thcs", .is_public = true };
	int64_t phong, officer;
	OK(unit_save(fx->d, 0, &p, &phong, NULL));
	OK(unit_save(fx->d, 0, &s, &w->school, NULL));
	OK(unit_relate(fx->d, 0, w->school, UNIT_PARENT, phong, "2020-09-01"));
	OK(account_create(fx->d, 0, "pgd.sy", "Đào Văn Sỹ", NULL, &officer));
	OK(account_grant(fx->d, 0, officer, "officer", phong, 0, NULL));
	round_framework rf[] = { { "thcs", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = phong, .school_year = "2024-2025",
		.title = "Đánh giá CĐS năm học 2024-2025", .policy = "min", .self_due = "2025-05-31" };
	OK(round_open(fx->d, officer, &r, rf, 1, NULL, 0, &w->round));
	OK(assessment_create(fx->d, 0, w->round, w->school, "qd4725-2022", "1", &w->as));
	OK(assessment_answer_put(fx->d, 0, w->as, "1.3.1", ANSWER_SELF, "true", NULL, NULL, NULL));
	OK(assessment_answer_put(fx->d, 0, w->as, "1.6.1", ANSWER_SELF, "{\"num\":45,\"den\":60}", NULL, NULL, NULL));
	fw_catalog_load(&w->cat, "frameworks");
	framework *r2 = revision2();
	w->r2 = r2;
	assert_true(fw_catalog_append(&w->cat, r2));
}

static void free_world(world *w)
{
	fw_catalog_free(&w->cat);
	arena_free(w->a);
}

static const char *current(store_fx *fx, world *w, const char *code)
{
	assessment_answer an;
	OK(assessment_answer_get(fx->d, w->as, ANSWER_SELF, code, w->a, &an));
	return an.value_json;
}

static void test_carry_moves(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	assess_carry_result r;
	buf err;
	buf_init(&err);
	/* a dry run: the plan, nothing written */
	int64_t audits0, audits1;
	OK(db_query_int64(fx->d, &audits0, "SELECT count(*) FROM audit_log", ""));
	OK(assess_carry(fx->d, &w.cat, 0, w.as, w.r2, true, w.a, &r, &err));
	assert_false(r.moved);
	assert_int_equal(r.side[ANSWER_SELF].count[CARRY_REANSWER], 1);
	assert_int_equal(r.side[ANSWER_SELF].count[CARRY_RESCORED], 1);
	OK(db_query_int64(fx->d, &audits1, "SELECT count(*) FROM audit_log", ""));
	assert_int_equal(audits1, audits0);
	assessment as;
	OK(assessment_get(fx->d, w.as, w.a, &as));
	assert_string_equal(as.framework_revision, "1");
	/* the move */
	OK(assess_carry(fx->d, &w.cat, 0, w.as, w.r2, false, w.a, &r, &err));
	assert_true(r.moved);
	OK(assessment_get(fx->d, w.as, w.a, &as));
	assert_string_equal(as.framework_revision, "2");
	assert_string_equal(current(fx, &w, "1.3.1"), "null");
	assert_string_equal(current(fx, &w, "1.6.1"), "{\"den\":60,\"num\":45}");
	int64_t moves;
	OK(db_query_int64(fx->d, &moves, "SELECT count(*) FROM audit_log WHERE action = ?", "t", "assessment.revision"));
	assert_int_equal(moves, 1);
	audit_report rep;
	OK(audit_verify(fx->d, &rep));
	assert_int_equal(rep.bad_seq, 0);
	/* the revision's compare-and-set: a stale `from` is refused */
	assert_int_equal(assessment_set_revision(fx->d, 0, w.as, "1", "2", json_object()), DB_ECONFLICT);
	buf_free(&err);
	free_world(&w);
}

static void test_carry_keeps_recognised(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	OK(assessment_set_level(fx->d, 0, w.as, assessment_level_code(LEVEL_RECOGNISED), 2));
	assess_carry_result r;
	buf err;
	buf_init(&err);
	assert_int_equal(assess_carry(fx->d, &w.cat, 0, w.as, w.r2, false, w.a, &r, &err), DB_ECONFLICT);
	assert_non_null(strstr(buf_str(&err), "đã được công nhận"));
	assessment as;
	OK(assessment_get(fx->d, w.as, w.a, &as));
	assert_string_equal(as.framework_revision, "1");
	assert_string_equal(current(fx, &w, "1.3.1"), "true");
	buf_free(&err);
	free_world(&w);
}

#define STORE_TESTS(X) \
	X(carry_moves) \
	X(carry_keeps_recognised)

int main(void)
{
	store_run("carry", STORE_TESTS);
}
