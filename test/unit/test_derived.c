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
	OK(derived_sources(fx->d, p, "2024-2025", "2026-01-01", a, &src, &n));
	assert_int_equal(n, 1);
	assert_int_equal(src[0].assessment_id, a1);
	assert_int_equal(src[0].level, 3);
	assert_string_equal(src[0].unit_code, "52102001");
	assert_string_equal(src[0].unit_type, "thcs");
	assert_string_equal(src[0].framework_id, "qd4725-2022");
	assert_non_null(src[0].recognised_at);
	bulk_answer *ans;
	OK(derived_answers(fx->d, p, "2024-2025", "2026-01-01", a, &ans, &n));
	assert_int_equal(n, 1);                    /* external only, the latest version */
	assert_string_equal(ans[0].item_code, "1.1");
	assert_string_equal(ans[0].value_json, "false");
	/* the other Phòng reads its own school; the Sở, in 2025-2026, S1 (evaluated since 1/7/2025) */
	OK(derived_sources(fx->d, p2, "2024-2025", "2026-01-01", a, &src, &n));
	assert_int_equal(n, 1);
	assert_int_equal(src[0].assessment_id, a3);
	OK(derived_sources(fx->d, so, "2025-2026", "2026-01-01", a, &src, &n));
	assert_int_equal(n, 1);
	assert_int_equal(src[0].assessment_id, a4);
	OK(derived_sources(fx->d, so, "2024-2025", "2026-01-01", a, &src, &n));
	assert_int_equal(n, 0);
	/* a withdrawn recognition is no longer read */
	OK(assessment_transition(fx->d, 0, a1, "recognised", "evaluated", "Thu hồi", NULL));
	OK(assessment_set_level(fx->d, 0, a1, "recognised", 0));
	OK(derived_sources(fx->d, p, "2024-2025", "2026-01-01", a, &src, &n));
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

#define STORE_TESTS(X) \
	X(derived_sources)

int main(void)
{
	store_run("derived", STORE_TESTS);
}
