/* test_derived.c — what the office's derived items read (q_derived.c), on
 * SQLite and, with CHISO_TEST_PG, PostgreSQL: the recognised results of the
 * units the office evaluated on each round's date, in the school year; their
 * current external answers; the office's last touch on its own assessment;
 * and the round that hosts the offices' own assessments. */
#include "store_test.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_derived.h"
#include "q_round.h"
#include "q_unit.h"

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

static int64_t open_round(store_fx *fx, int64_t office, const char *year, const char *title, const char *due,
                          const round_framework *fw, size_t nfw, const char *date)
{
	round_row r = { .office_unit_id = office, .school_year = year, .title = title, .policy = "min", .self_due = due };
	int64_t id = 0;
	OK(round_open(fx->d, 0, &r, fw, nfw, NULL, 0, &id));
	OK(round_add_units(fx->d, 0, id, date, NULL, NULL));
	return id;
}

static int64_t find(store_fx *fx, arena *a, int64_t round, int64_t unit_id)
{
	assessment as;
	OK(assessment_find(fx->d, round, unit_id, a, &as));
	return as.id;
}

/* Straight to a state (the store records; workflow.c is not asked here). */
static void to_state(store_fx *fx, int64_t id, const char *to, int level)
{
	OK(assessment_transition(fx->d, 0, id, "not_started", to, NULL, NULL));
	if (level) OK(assessment_set_level(fx->d, 0, id, "recognised", level));
}

static void test_derived_sources(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t so = add_unit(fx, "52", "Sở GD&ĐT Bình Định", "so");
	int64_t p = add_unit(fx, "52100", "Phòng GD&ĐT Quy Nhơn", "phong");
	int64_t p2 = add_unit(fx, "52110", "Phòng GD&ĐT An Nhơn", "phong");
	int64_t s1 = add_unit(fx, "52102001", "Trường THCS Ngô Sĩ Liên", "thcs");
	int64_t s2 = add_unit(fx, "52101001", "Trường Tiểu học Nguyễn Bỉnh Khiêm", "tieu_hoc");
	int64_t s3 = add_unit(fx, "52112001", "Trường THCS Huỳnh Thúc Kháng", "thcs");
	OK(unit_relate(fx->d, 0, p, UNIT_EVALUATOR, so, "2000-01-01"));
	OK(unit_relate(fx->d, 0, p2, UNIT_EVALUATOR, so, "2000-01-01"));
	/* the Phòng evaluates S1 and S2 until 1/7/2025, then the Sở */
	OK(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, p, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s2, UNIT_EVALUATOR, p, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, so, "2025-07-01"));
	OK(unit_relate(fx->d, 0, s2, UNIT_EVALUATOR, so, "2025-07-01"));
	OK(unit_relate(fx->d, 0, s3, UNIT_EVALUATOR, p2, "2020-09-01"));
	round_framework schools[] = { { "thcs", "qd4725-2022", "1" }, { "tieu_hoc", "qd4725-2022", "1" } };
	int64_t r1 = open_round(fx, p, "2024-2025", "Đợt 2024-2025", "2025-05-31", schools, 2, "2025-05-31");
	int64_t r2 = open_round(fx, p2, "2024-2025", "Đợt 2024-2025", "2025-05-31", schools, 2, "2025-05-31");
	int64_t r3 = open_round(fx, so, "2025-2026", "Đợt 2025-2026", "2026-05-31", schools, 2, "2026-05-31");
	/* the offices' round: the two Phòng it evaluates, and the Sở itself */
	round_framework offices[] = { { "phong", "qd3806-2024", "1" }, { "so", "qd3806-2024", "1" } };
	round_row ro = { .office_unit_id = so, .school_year = "2024-2025", .title = "Đợt các phòng", .policy = "min",
	                 .self_due = "2025-06-25" };
	int64_t r4 = 0;
	int created = 0, skipped = 0;
	OK(round_open(fx->d, 0, &ro, offices, 2, NULL, 0, &r4));
	OK(round_add_units(fx->d, 0, r4, "2025-06-25", &created, &skipped));
	assert_int_equal(created, 3);
	assert_int_equal(skipped, 0);
	int64_t own = find(fx, a, r4, p);
	find(fx, a, r4, so);
	/* a round without the office's type does not host it */
	assessment none;
	assert_int_equal(assessment_find(fx->d, r1, p, a, &none), DB_ENOTFOUND);
	db_clear_error(fx->d);

	int64_t a1 = find(fx, a, r1, s1), a2 = find(fx, a, r1, s2), a3 = find(fx, a, r2, s3), a4 = find(fx, a, r3, s1);
	to_state(fx, a1, "recognised", 3);
	to_state(fx, a2, "evaluated", 0);          /* evaluated, not recognised: not read */
	to_state(fx, a3, "published", 2);          /* another Phòng's */
	to_state(fx, a4, "recognised", 1);         /* another year, the Sở's */
	OK(assessment_answer_put(fx->d, 0, a1, "1.1", ANSWER_EXTERNAL, "true", NULL, NULL, NULL));
	OK(assessment_answer_put(fx->d, 0, a1, "1.1", ANSWER_EXTERNAL, "false", "Thiếu minh chứng", NULL, NULL));
	OK(assessment_answer_put(fx->d, 0, a1, "1.2", ANSWER_SELF, "true", NULL, NULL, NULL));
	OK(assessment_answer_put(fx->d, 0, a2, "1.1", ANSWER_EXTERNAL, "true", NULL, NULL, NULL));

	derived_source *src;
	size_t n;
	OK(derived_sources(fx->d, p, "2024-2025", "2099-01-01", NULL, a, &src, &n));
	assert_int_equal(n, 1);
	assert_int_equal(src[0].assessment_id, a1);
	assert_int_equal(src[0].level, 3);
	assert_string_equal(src[0].unit_code, "52102001");
	assert_string_equal(src[0].unit_type, "thcs");
	assert_string_equal(src[0].framework_id, "qd4725-2022");
	assert_non_null(src[0].recognised_at);
	bulk_answer *ans;
	OK(derived_answers(fx->d, p, "2024-2025", "2099-01-01", ANSWER_EXTERNAL, a, &ans, &n));
	assert_int_equal(n, 2);                    /* external only, the latest version, of every unit in scope */
	size_t k1 = ans[0].assessment_id == a1 ? 0 : 1;
	assert_int_equal(ans[k1].assessment_id, a1);
	assert_int_equal(ans[1 - k1].assessment_id, a2);
	assert_string_equal(ans[k1].item_code, "1.1");
	assert_string_equal(ans[k1].value_json, "false");
	/* the other Phòng reads its own school; the Sở, in 2025-2026, S1 (evaluated since 1/7/2025) */
	OK(derived_sources(fx->d, p2, "2024-2025", "2099-01-01", NULL, a, &src, &n));
	assert_int_equal(n, 1);
	assert_int_equal(src[0].assessment_id, a3);
	OK(derived_sources(fx->d, so, "2025-2026", "2099-01-01", NULL, a, &src, &n));
	assert_int_equal(n, 1);
	assert_int_equal(src[0].assessment_id, a4);
	OK(derived_sources(fx->d, so, "2024-2025", "2099-01-01", NULL, a, &src, &n));
	assert_int_equal(n, 0);
	/* a withdrawn recognition is no longer read */
	OK(assessment_transition(fx->d, 0, a1, "recognised", "evaluated", "Thu hồi", NULL));
	OK(assessment_set_level(fx->d, 0, a1, "recognised", 0));
	OK(derived_sources(fx->d, p, "2024-2025", "2099-01-01", NULL, a, &src, &n));
	assert_int_equal(n, 0);

	/* the office's last touch on its own assessment */
	const char *at = "x";
	OK(derived_last_touch(fx->d, own, a, &at));
	assert_null(at);
	OK(assessment_answer_put(fx->d, 0, own, "1.1", ANSWER_SELF, "true", NULL, NULL, NULL));
	OK(derived_last_touch(fx->d, own, a, &at));
	assert_non_null(at);
	assert_int_equal(strlen(at), 20);          /* "YYYY-MM-DDTHH:MM:SSZ" */
	arena_free(a);
}

/* A step taken on a given day (the store stamps transitions "now"). */
static void step_on(store_fx *fx, int64_t id, const char *from, const char *to, const char *at)
{
	OK(assessment_transition(fx->d, 0, id, from, to, NULL, NULL));
	OK(db_execf(fx->d, "UPDATE assessment_transitions SET at = ? WHERE assessment_id = ? AND to_state = ?", "tit", at, id, to));
}

static int64_t level_sum(const derived_source *src, size_t n)
{
	int64_t s = 0;
	for (size_t i = 0; i < n; i++) s += src[i].level;
	return s;
}

/* The same figure straight from the tables: the sum of the levels the
 * basis takes, each result counted when its step was taken by `on`. */
static int64_t sql_sum(store_fx *fx, int64_t round, const char *basis, const char *on)
{
	static const char sql[] =
		"SELECT COALESCE(SUM(CASE"
		" WHEN ? IN ('recognition', 'chain') AND a.state IN ('recognised', 'published') AND a.recognised_level IS NOT NULL"
		"  AND EXISTS (SELECT 1 FROM assessment_transitions t WHERE t.assessment_id = a.id AND t.to_state = 'recognised'"
		"  AND t.at < ?) THEN a.recognised_level"
		" WHEN ? IN ('external', 'chain') AND a.state IN ('evaluated', 'recognised', 'published') AND a.external_level IS NOT NULL"
		"  AND EXISTS (SELECT 1 FROM assessment_transitions t WHERE t.assessment_id = a.id AND t.to_state = 'evaluated'"
		"  AND t.at < ?) THEN a.external_level"
		" WHEN ? IN ('self', 'chain') AND a.state NOT IN ('not_started', 'draft', 'self_assessed', 'returned')"
		"  AND a.self_level IS NOT NULL"
		"  AND EXISTS (SELECT 1 FROM assessment_transitions t WHERE t.assessment_id = a.id AND t.to_state = 'approved'"
		"  AND t.at < ?) THEN a.self_level"
		" ELSE 0 END), 0) FROM assessments a WHERE a.round_id = ?";
	/* "on or before the day": before the next day's first second */
	const char *next = !strcmp(on, "2025-05-31") ? "2025-06-01" : !strcmp(on, "2025-06-19") ? "2025-06-20"
	                 : !strcmp(on, "2025-06-20") ? "2025-06-21" : "2026-01-02";
	int64_t v = -1;
	OK(db_query_int64(fx->d, &v, sql, "tttttti", basis, next, basis, next, basis, next, round));
	return v;
}

static void test_derived_basis(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t p = add_unit(fx, "52100", "Phòng GD&ĐT Quy Nhơn", "phong");
	int64_t s[4];
	const char *codes[] = { "52102001", "52102002", "52102003", "52102004" };
	for (int i = 0; i < 4; i++) {
		s[i] = add_unit(fx, codes[i], arena_printf(a, "Trường THCS số %d", i + 1), "thcs");
		OK(unit_relate(fx->d, 0, s[i], UNIT_EVALUATOR, p, "2020-09-01"));
	}
	round_framework schools[] = { { "thcs", "qd4725-2022", "1" } };
	int64_t r = open_round(fx, p, "2024-2025", "Đợt 2024-2025", "2025-05-31", schools, 1, "2025-05-31");
	int64_t as[4];
	for (int i = 0; i < 4; i++) as[i] = find(fx, a, r, s[i]);
	/* S1: self Mức 2 (approved 20/5), external Mức 3 (5/6), recognised Mức 3 (20/6)
	 * S2: self Mức 1, external Mức 2, not recognised; S3: self Mức 3 only; S4: a draft */
	step_on(fx, as[0], "not_started", "approved", "2025-05-20T08:00:00Z");
	step_on(fx, as[0], "approved", "evaluated", "2025-06-05T08:00:00Z");
	step_on(fx, as[0], "evaluated", "recognised", "2025-06-20T15:00:00Z");
	step_on(fx, as[1], "not_started", "approved", "2025-05-21T08:00:00Z");
	step_on(fx, as[1], "approved", "evaluated", "2025-06-06T08:00:00Z");
	step_on(fx, as[2], "not_started", "approved", "2025-05-22T08:00:00Z");
	step_on(fx, as[3], "not_started", "draft", "2025-05-10T08:00:00Z");
	OK(assessment_set_level(fx->d, 0, as[0], "self", 2));
	OK(assessment_set_level(fx->d, 0, as[0], "external", 3));
	OK(assessment_set_level(fx->d, 0, as[0], "recognised", 3));
	OK(assessment_set_level(fx->d, 0, as[1], "self", 1));
	OK(assessment_set_level(fx->d, 0, as[1], "external", 2));
	OK(assessment_set_level(fx->d, 0, as[2], "self", 3));
	OK(assessment_set_level(fx->d, 0, as[3], "self", 1));   /* a draft's level is not a result */

	struct { derived_basis b; const char *on; size_t n; int64_t sum; } cases[] = {
		{ DERIVED_RECOGNISED, NULL, 1, 3 },
		{ DERIVED_EXTERNAL, NULL, 2, 5 },
		{ DERIVED_SELF, NULL, 3, 6 },
		{ DERIVED_CHAIN, NULL, 3, 8 },             /* S1 recognised 3, S2 external 2, S3 self 3 */
		{ DERIVED_CHAIN, "2025-05-31", 3, 6 },     /* seed 002's 31/5: only the self-assessed results exist */
		{ DERIVED_RECOGNISED, "2025-05-31", 0, 0 },
		{ DERIVED_RECOGNISED, "2025-06-19", 0, 0 },   /* recognised on 20/6: after the date */
		{ DERIVED_RECOGNISED, "2025-06-20", 1, 3 },
		{ DERIVED_EXTERNAL, "2025-05-31", 0, 0 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		derived_choice ch = { .basis = cases[k].b, .taken_on = cases[k].on };
		derived_source *src;
		size_t n;
		OK(derived_sources(fx->d, p, "2024-2025", "2026-01-01", &ch, a, &src, &n));
		assert_int_equal(n, cases[k].n);
		assert_int_equal(level_sum(src, n), cases[k].sum);
		assert_int_equal(level_sum(src, n), sql_sum(fx, r, derived_basis_code(cases[k].b), cases[k].on ? cases[k].on : "2026-01-01"));
		for (size_t i = 0; i < n; i++) {
			assert_true(src[i].assessment_id != as[3]);
			assert_non_null(src[i].recognised_at);
			if (cases[k].on) assert_true(strncmp(src[i].recognised_at, cases[k].on, 10) <= 0);
		}
		if (cases[k].b == DERIVED_CHAIN && !cases[k].on) {
			assert_int_equal(src[0].used, DERIVED_RECOGNISED);
			assert_int_equal(src[1].used, DERIVED_EXTERNAL);
			assert_int_equal(src[2].used, DERIVED_SELF);
		}
	}
	/* self answers for the self basis */
	OK(assessment_answer_put(fx->d, 0, as[2], "1.1", ANSWER_SELF, "true", NULL, NULL, NULL));
	bulk_answer *ans;
	size_t n;
	OK(derived_answers(fx->d, p, "2024-2025", "2026-01-01", ANSWER_SELF, a, &ans, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ans[0].assessment_id, as[2]);
	OK(derived_answers(fx->d, p, "2024-2025", "2026-01-01", ANSWER_EXTERNAL, a, &ans, &n));
	assert_int_equal(n, 0);

	/* the office's choice: the default, stored, changed, audited; a bad date refused */
	int64_t own = as[3];
	derived_choice ch;
	OK(derived_choice_get(fx->d, own, a, &ch));
	assert_int_equal(ch.basis, DERIVED_RECOGNISED);
	assert_null(ch.taken_on);
	assert_null(ch.set_at);
	OK(derived_choice_set(fx->d, 0, own, DERIVED_CHAIN, "2025-05-31"));
	OK(derived_choice_get(fx->d, own, a, &ch));
	assert_int_equal(ch.basis, DERIVED_CHAIN);
	assert_string_equal(ch.taken_on, "2025-05-31");
	assert_non_null(ch.set_at);
	OK(derived_choice_set(fx->d, 0, own, DERIVED_SELF, ""));
	OK(derived_choice_get(fx->d, own, a, &ch));
	assert_int_equal(ch.basis, DERIVED_SELF);
	assert_null(ch.taken_on);
	assert_int_equal(derived_choice_set(fx->d, 0, own, DERIVED_EXTERNAL, "2025-02-30"), DB_EINVAL);
	db_clear_error(fx->d);
	OK(derived_choice_get(fx->d, own, a, &ch));
	assert_int_equal(ch.basis, DERIVED_SELF);
	int64_t audits = 0;
	OK(db_query_int64(fx->d, &audits, "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment.derived_basis'", NULL));
	assert_int_equal(audits, 2);
	derived_basis parsed;
	for (int b = 0; b < DERIVED_BASIS_COUNT; b++) {
		assert_true(derived_basis_parse(derived_basis_code((derived_basis)b), &parsed));
		assert_int_equal(parsed, b);
		/* each basis has its own label, printed beside the derived items */
		for (int c = 0; c < b; c++)
			assert_string_not_equal(derived_basis_label((derived_basis)b), derived_basis_label((derived_basis)c));
	}
	assert_string_equal(derived_basis_label(DERIVED_RECOGNISED), derived_basis_label(DERIVED_BASIS_COUNT));
	assert_false(derived_basis_parse("recognized", &parsed));
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(derived_sources) \
	X(derived_basis)

int main(void)
{
	store_run("derived", STORE_TESTS);
}
