/* test_generate.c — gen_assessments_put (q_generate.c), on SQLite and
 * PostgreSQL: an assessment written in bulk has the rows the one-by-one
 * path writes for the same steps (state, levels, decision, current
 * answers, transitions, published snapshot, the audit rows' actions and
 * contents) and the audit chain verifies; a unit already in the round
 * fails the whole call and leaves nothing; the round is left stale and
 * round_agg_rebuild then counts it as a full recomputation does. */
#include "store_test.h"
#include <jansson.h>
#include "audit.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_generate.h"
#include "q_office.h"
#include "q_round.h"
#include "q_unit.h"
#include "round_agg.h"

typedef struct world {
	int64_t office, round, decision, schools[4];
	arena *a;
} world;

static const char *const codes[] = { "1.1", "1.3.1", "1.6.1" };
static const char *const values[] = { "true", "true", "{ \"num\": 45, \"den\": 60 }" };
static const char *const path[] = { "evaluated", "recognised", "published" };
static const char snapshot[] = "{\"level\":2,\"total\":\"40\"}";

static void make_world(store_fx *fx, world *w)
{
	memset(w, 0, sizeof *w);
	w->a = arena_new();
	w->office = store_add_unit(fx, "31310", "Phòng GD&ĐT quận Dương Kinh", "phong");
	static const char *const names[] = { "Trường THCS Hưng Đạo", "Trường THCS Anh Dũng", "Trường THCS Tân Thành",
		"Trường THCS Đa Phúc" };
	for (int i = 0; i < 4; i++) {
		char code[24];
		snprintf(code, sizeof code, "3131040%d", i + 1);
		w->schools[i] = store_add_unit(fx, code, names[i], "thcs");
	}
	round_framework rf[] = { { "thcs", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = w->office, .school_year = "2024-2025",
		.title = "Đánh giá CĐS năm học 2024-2025", .policy = "min", .self_due = "2025-05-31" };
	OK(round_open(fx->d, 0, &r, rf, 1, NULL, 0, &w->round));
	decision dec = { .number = "125/QĐ-PGDĐT", .date = "2025-06-18", .signer = "Nguyễn Văn An" };
	OK(office_recognition_decision(fx->d, 0, w->office, &dec, &w->decision));
}

/* The same steps one by one, as bench/dash's generator took them before. */
static int64_t one_by_one(store_fx *fx, const world *w, int64_t unit_id)
{
	int64_t id = 0;
	OK(assessment_create(fx->d, 0, w->round, unit_id, "qd4725-2022", "1", &id));
	OK(bulk_answers_put(fx->d, 0, id, ANSWER_SELF, codes, values, ARRAY_LEN(codes)));
	OK(assessment_set_level(fx->d, 0, id, "self", 2));
	OK(assessment_transition(fx->d, 0, id, "not_started", "evaluated", NULL, NULL));
	OK(assessment_transition(fx->d, 0, id, "evaluated", "recognised", NULL, NULL));
	OK(office_recognition_link(fx->d, 0, id, w->decision, 2));
	OK(assessment_set_level(fx->d, 0, id, "recognised", 2));
	OK(assessment_transition(fx->d, 0, id, "recognised", "published", NULL, NULL));
	OK(office_published_set(fx->d, 0, id, snapshot));
	return id;
}

static gen_assessment published(const world *w, int64_t unit_id)
{
	return (gen_assessment){ .unit_id = unit_id, .framework_id = "qd4725-2022", .framework_revision = "1",
		.nanswers = ARRAY_LEN(codes), .codes = codes, .values = values, .nstates = ARRAY_LEN(path), .states = path,
		.self_level = 2, .recognised_level = 2, .decision_id = w->decision, .published_json = snapshot };
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* `text` with the unit's id in its "unit_id" written U. */
static const char *unit_blind(arena *a, const char *text, int64_t unit_id)
{
	const char *key = arena_printf(a, "\"unit_id\":%lld", (long long)unit_id), *at = text ? strstr(text, key) : NULL;
	if (!at) return text ? text : "-";
	return arena_printf(a, "%.*s\"unit_id\":U%s", (int)(at - text), text, at + strlen(key));
}

/* The assessment's audit rows as "action before after", sorted (the
 * one-by-one path interleaves them differently), its unit's id blinded. */
static char *audit_of(store_fx *fx, arena *a, int64_t id, size_t *n)
{
	assessment as;
	OK(assessment_get(fx->d, id, a, &as));
	audit_entry *e = NULL;
	OK(audit_history(fx->d, "assessment", id, a, &e, n));
	const char **lines = arena_alloc(a, (*n + 1) * sizeof *lines);
	for (size_t i = 0; i < *n; i++)
		lines[i] = arena_printf(a, "%s %s %s", e[i].action, e[i].before_json ? e[i].before_json : "-",
		                        unit_blind(a, e[i].after_json, as.unit_id));
	sort_list(lines, *n, sizeof *lines, cmp_text);
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < *n; i++) buf_printf(&b, "%s\n", lines[i]);
	char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* Everything of one assessment but its id and times, as text. */
static char *rows_of(store_fx *fx, arena *a, int64_t id)
{
	assessment as;
	OK(assessment_get(fx->d, id, a, &as));
	buf b;
	buf_init(&b);
	buf_printf(&b, "%s %s@%s self %d ext %d rec %d dec %lld\n", as.state, as.framework_id, as.framework_revision,
	           as.self_level, as.external_level, as.recognised_level, (long long)as.recognition_decision_id);
	assessment_answer *ans = NULL;
	size_t n = 0;
	OK(assessment_answers(fx->d, id, ANSWER_SELF, a, &ans, &n));
	for (size_t i = 0; i < n; i++) buf_printf(&b, "answer %s v%d %s\n", ans[i].item_code, ans[i].version, ans[i].value_json);
	assessment_transition_row *t = NULL;
	OK(assessment_transitions(fx->d, id, a, &t, &n));
	for (size_t i = 0; i < n; i++) buf_printf(&b, "transition %s > %s\n", t[i].from_state, t[i].to_state);
	char *pub = NULL;
	OK(db_query_text(fx->d, a, &pub, "SELECT result_json FROM published_results WHERE assessment_id = ?", "i", id));
	buf_printf(&b, "published %s\n", pub);
	char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

static void test_same_rows_as_one_by_one(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	int64_t slow = one_by_one(fx, &w, w.schools[0]);
	gen_assessment g[] = {
		published(&w, w.schools[1]),
		{ .unit_id = w.schools[2], .framework_id = "qd4725-2022", .framework_revision = "1" },   /* not started */
	};
	int64_t ids[2] = { 0 };
	OK(gen_assessments_put(fx->d, 0, w.round, g, ARRAY_LEN(g), ids));
	assert_true(ids[0] > slow && ids[1] > ids[0]);
	assert_string_equal(rows_of(fx, w.a, ids[0]), rows_of(fx, w.a, slow));
	assert_non_null(strstr(rows_of(fx, w.a, ids[0]), "answer 1.6.1 v1 {\"den\":60,\"num\":45}\n"));
	size_t n_slow = 0, n_fast = 0;
	assert_string_equal(audit_of(fx, w.a, ids[0], &n_fast), audit_of(fx, w.a, slow, &n_slow));
	assert_int_equal(n_fast, 9);   /* create, sheet, 2 levels, 3 transitions, recognition, publication */

	assessment as;
	OK(assessment_get(fx->d, ids[1], w.a, &as));
	assert_string_equal(as.state, "not_started");
	assert_int_equal(as.self_level, 0);
	assessment_answer *ans = NULL;
	size_t n = 9;
	OK(assessment_answers(fx->d, ids[1], ANSWER_SELF, w.a, &ans, &n));
	assert_int_equal(n, 0);
	audit_of(fx, w.a, ids[1], &n);
	assert_int_equal(n, 1);   /* created only */
	audit_report r;
	OK(audit_verify(fx->d, &r));
	assert_int_equal(r.bad_seq, 0);
	arena_free(w.a);
}

static void test_all_or_nothing(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	int64_t first = 0;
	gen_assessment one = published(&w, w.schools[0]);
	OK(gen_assessments_put(fx->d, 0, w.round, &one, 1, &first));
	/* the second call's last unit is already in the round */
	gen_assessment g[] = { published(&w, w.schools[1]), published(&w, w.schools[0]) };
	assert_int_equal(gen_assessments_put(fx->d, 0, w.round, g, 2, NULL), DB_ECONSTRAINT);
	int64_t count = 0;
	OK(db_query_int64(fx->d, &count, "SELECT COUNT(*) FROM assessments WHERE round_id = ?", "i", w.round));
	assert_int_equal(count, 1);
	OK(db_query_int64(fx->d, &count, "SELECT COUNT(*) FROM answers", NULL));
	assert_int_equal(count, ARRAY_LEN(codes));
	/* a value that is not JSON: refused, nothing written */
	static const char *const bad[] = { "{oops" };
	gen_assessment b = { .unit_id = w.schools[3], .framework_id = "qd4725-2022", .framework_revision = "1",
		.nanswers = 1, .codes = codes, .values = bad };
	assert_int_equal(gen_assessments_put(fx->d, 0, w.round, &b, 1, NULL), DB_EINVAL);
	OK(db_query_int64(fx->d, &count, "SELECT COUNT(*) FROM assessments WHERE round_id = ?", "i", w.round));
	assert_int_equal(count, 1);
	arena_free(w.a);
}

static void test_round_left_stale_then_rebuilt(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	OK(round_agg_rebuild(fx->d, &cat, w.round));   /* empty, current */
	assert_true(round_agg_current(fx->d, w.round));
	gen_assessment g[] = { published(&w, w.schools[0]), published(&w, w.schools[1]),
		{ .unit_id = w.schools[2], .framework_id = "qd4725-2022", .framework_revision = "1" } };
	OK(gen_assessments_put(fx->d, 0, w.round, g, ARRAY_LEN(g), NULL));
	assert_false(round_agg_current(fx->d, w.round));
	OK(round_agg_rebuild(fx->d, &cat, w.round));
	assert_true(round_agg_current(fx->d, w.round));
	/* the stored cells are those a full recomputation gives */
	agg_member *m = NULL;
	agg_cell_row *want = NULL, *got = NULL;
	size_t nm = 0, nwant = 0, ngot = 0;
	OK(round_agg_compute(fx->d, &cat, w.round, w.a, &m, &nm, &want, &nwant));
	OK(agg_cells(fx->d, w.round, w.a, &got, &ngot));
	assert_int_equal(nm, 3);
	assert_int_equal(ngot, nwant);
	assert_true(ngot >= 2);   /* level 2 and no level */
	for (size_t i = 0; i < ngot; i++) {
		assert_string_equal(got[i].cell, want[i].cell);
		assert_string_equal(got[i].body, want[i].body);
		assert_int_equal(got[i].units, want[i].units);
	}
	fw_catalog_free(&cat);
	arena_free(w.a);
}

#define STORE_TESTS(X) \
	X(same_rows_as_one_by_one) \
	X(all_or_nothing) \
	X(round_left_stale_then_rebuilt)

int main(void)
{
	store_run("generate", STORE_TESTS);
}
