/* test_open.c — the open data read a page at a time (q_open.c), on SQLite
 * and PostgreSQL: only published results (a snapshot of an assessment no
 * longer published never), by assessment id from after_id, at most limit
 * per page; the area and school-year filters; the count; the framework
 * versions. */
#include "store_test.h"
#include "arena.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_office.h"
#include "q_open.h"
#include "q_round.h"
#include "q_unit.h"
#include "workflow.h"

typedef struct open_world {
	int64_t phong, other, admin, ids[4];   /* ids: 3 published (2 in 2024-2025, 1 in 2025-2026), 1 not */
} open_world;

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

static int64_t open_round(store_fx *fx, open_world *w, int64_t office, const char *year)
{
	round_row r = { .office_unit_id = office, .school_year = year, .title = "Đánh giá mức độ chuyển đổi số", .policy = "min",
		.self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	int64_t id = 0;
	OK(round_open(fx->d, w->admin, &r, fw, 1, NULL, 0, &id));
	int created = 0, skipped = 0;
	OK(round_add_units(fx->d, w->admin, id, "2025-03-01", &created, &skipped));
	return id;
}

static int64_t publish(store_fx *fx, open_world *w, int64_t round, int64_t unit_id, int level)
{
	arena *a = arena_new();
	assessment as;
	OK(assessment_find(fx->d, round, unit_id, a, &as));
	arena_free(a);
	OK(db_execf(fx->d, "UPDATE assessments SET recognised_level = ?, state = ? WHERE id = ?", "iti", level,
	            wf_state_code(WF_PUBLISHED), as.id));
	OK(office_published_set(fx->d, w->admin, as.id, "{\"level\": 2, \"groups\": []}"));
	return as.id;
}

static void make_open_world(store_fx *fx, open_world *w)
{
	w->phong = add_unit(fx, "79760", "Phòng GD&ĐT Quận 7", "phong");
	w->other = add_unit(fx, "79770", "Phòng GD&ĐT Quận 8", "phong");
	int64_t s1 = add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	int64_t s2 = add_unit(fx, "79760402", "Trường THCS Hoàng Quốc Việt", "thcs");
	OK(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, w->phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s2, UNIT_EVALUATOR, w->phong, "2020-09-01"));
	OK(account_create(fx->d, 0, "pgd.q7", "Phạm Thị Dung", NULL, &w->admin));
	int64_t r1 = open_round(fx, w, w->phong, "2024-2025"), r2 = open_round(fx, w, w->phong, "2025-2026");
	w->ids[0] = publish(fx, w, r1, s1, 2);
	w->ids[1] = publish(fx, w, r1, s2, 3);
	w->ids[2] = publish(fx, w, r2, s1, 3);
	/* a snapshot left behind by an assessment that is no longer published */
	w->ids[3] = publish(fx, w, r2, s2, 1);
	OK(db_execf(fx->d, "UPDATE assessments SET state = ? WHERE id = ?", "ti", wf_state_code(WF_RECOGNISED), w->ids[3]));
}

static void test_open_pages_in_id_order(void **state)
{
	store_fx *fx = *state;
	open_world w;
	make_open_world(fx, &w);
	arena *a = arena_new();
	public_result *rs = NULL;
	size_t n = 0;
	/* two pages of two, then nothing: ids ascending, the unpublished one never;
	 * in the open data's snapshot (planned per page on PostgreSQL) */
	OK(db_begin_read_scan(fx->d));
	OK(open_results_page(fx->d, 0, NULL, 0, 2, a, &rs, &n));
	assert_int_equal(n, 2);
	assert_true(rs[0].assessment_id == w.ids[0] && rs[1].assessment_id == w.ids[1]);
	assert_string_equal(rs[0].unit_code, "79760401");
	assert_string_equal(rs[0].school_year, "2024-2025");
	assert_string_equal(rs[0].office_name, "Phòng GD&ĐT Quận 7");
	assert_int_equal(rs[1].level, 3);
	OK(open_results_page(fx->d, 0, NULL, rs[1].assessment_id, 2, a, &rs, &n));
	assert_int_equal(n, 1);
	assert_true(rs[0].assessment_id == w.ids[2]);
	OK(open_results_page(fx->d, 0, "", rs[0].assessment_id, 2, a, &rs, &n));
	assert_int_equal(n, 0);
	int64_t count = -1;
	OK(open_results_count(fx->d, 0, NULL, &count));
	assert_int_equal(count, 3);
	OK(db_commit(fx->d));
	arena_free(a);
}

static void test_open_filters(void **state)
{
	store_fx *fx = *state;
	open_world w;
	make_open_world(fx, &w);
	arena *a = arena_new();
	public_result *rs = NULL;
	size_t n = 0;
	OK(open_results_page(fx->d, w.phong, "2025-2026", 0, 500, a, &rs, &n));
	assert_int_equal(n, 1);
	assert_true(rs[0].assessment_id == w.ids[2]);
	int64_t count = -1;
	OK(open_results_count(fx->d, w.phong, "2024-2025", &count));
	assert_int_equal(count, 2);
	OK(open_results_count(fx->d, w.other, NULL, &count));
	assert_int_equal(count, 0);
	OK(open_results_page(fx->d, w.other, NULL, 0, 500, a, &rs, &n));
	assert_int_equal(n, 0);
	const char **fws = NULL;
	OK(open_results_frameworks(fx->d, w.phong, NULL, a, &fws, &n));
	assert_int_equal(n, 1);
	assert_string_equal(fws[0], "qd4725-2022@1");
	OK(open_results_frameworks(fx->d, w.other, NULL, a, &fws, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(open_pages_in_id_order) \
	X(open_filters)

int main(void)
{
	store_run("open", STORE_TESTS);
}
