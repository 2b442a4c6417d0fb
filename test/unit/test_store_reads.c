/* test_store_reads.c — the store reads that had no unit test (issue 10,
 * item 8: tools/store-coverage.pending is empty after them), each on
 * SQLite and, with CHISO_TEST_PG, on PostgreSQL, with the values a page
 * shows on a small fixture: the round summary's timeline and history, the
 * office's inbox and answer versions, a round's jobs, the evidence changes
 * between two moments, and the public results by area. Times that matter
 * (an hour bucket, a window) are set on the stored rows, so the answers do
 * not depend on the clock. */
#include "store_test.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_dash.h"
#include "q_evhist.h"
#include "q_evidence.h"
#include "q_job.h"
#include "q_office.h"
#include "q_open.h"
#include "q_publish.h"
#include "q_round.h"
#include "workflow.h"

typedef struct world {
	int64_t so, phong, a_school, b_school, admin, round;
	int64_t as_a, as_b;     /* the round's assessments of the two schools */
} world;

static int64_t open_round(store_fx *fx, int64_t office, int64_t admin, const char *year, const char *date)
{
	round_row r = { .office_unit_id = office, .school_year = year, .title = "Đánh giá mức độ chuyển đổi số",
		.policy = "min", .self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" }, { "thpt", "qd4725-2022", "1" } };
	int64_t id;
	OK(round_open(fx->d, admin, &r, fw, 2, NULL, 0, &id));
	OK(round_add_units(fx->d, admin, id, date, NULL, NULL));
	return id;
}

/* The assessment of `unit` in `round`. */
static int64_t assessment_of(store_fx *fx, int64_t round, int64_t unit_id)
{
	arena *a = arena_new();
	assessment as;
	OK(assessment_find(fx->d, round, unit_id, a, &as));
	arena_free(a);
	return as.id;
}

/* A Phòng evaluating two THCS: A, its school since 2020; B, evaluated by it
 * since 2020 but under it (parent) only from 2025. A round of 2024-2025. */
static void make_world(store_fx *fx, world *w)
{
	w->so = store_add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	w->phong = store_add_unit(fx, "79760", "Phòng GD&ĐT Quận 7", "phong");
	w->a_school = store_add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	w->b_school = store_add_unit(fx, "79760402", "Trường THCS Huỳnh Tấn Phát", "thcs");
	OK(unit_relate(fx->d, 0, w->phong, UNIT_PARENT, w->so, "2000-01-01"));
	OK(unit_relate(fx->d, 0, w->a_school, UNIT_PARENT, w->phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, w->a_school, UNIT_EVALUATOR, w->phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, w->b_school, UNIT_PARENT, w->phong, "2025-01-01"));
	OK(unit_relate(fx->d, 0, w->b_school, UNIT_EVALUATOR, w->phong, "2020-09-01"));
	OK(account_create(fx->d, 0, "pgd.q7", "Phạm Thị Dung", NULL, &w->admin));
	w->round = open_round(fx, w->phong, w->admin, "2024-2025", "2024-09-05");
	w->as_a = assessment_of(fx, w->round, w->a_school);
	w->as_b = assessment_of(fx, w->round, w->b_school);
}

/* Moves the assessment to `to` (the store records what it is told: the
 * workflow's checks are not this test's) and dates the transition `at`. */
static void move(store_fx *fx, int64_t id, wf_state to, const char *at)
{
	arena *a = arena_new();
	assessment cur;
	OK(assessment_get(fx->d, id, a, &cur));
	OK(assessment_transition(fx->d, 0, id, cur.state, wf_state_code(to), NULL, NULL));
	if (at)
		OK(db_execf(fx->d, "UPDATE assessment_transitions SET at = ? WHERE id ="
			" (SELECT MAX(id) FROM assessment_transitions WHERE assessment_id = ?)", "ti", at, id));
	arena_free(a);
}

/* ---- the round summary: when it opened, its timeline, its history ------------------------ */

static void test_dash_round_opened(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	char before[21], after[21];
	db_now(before);
	make_world(fx, &w);
	db_now(after);
	char *at = NULL;
	OK(dash_round_opened(fx->d, w.round, a, &at));
	assert_non_null(at);
	assert_int_equal(strlen(at), 20);   /* "2025-05-30T08:15:00Z" */
	assert_true(strcmp(at, before) >= 0 && strcmp(at, after) <= 0);
	assert_int_not_equal(dash_round_opened(fx->d, w.round + 1000, a, &at), DB_OK);
	db_clear_error(fx->d);
	arena_free(a);
}

static void test_dash_stage_counts(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	dash_stage_count *c;
	size_t n;
	OK(dash_stage_counts(fx->d, w.round, a, &c, &n));
	assert_int_equal(n, 0);
	/* A: submitted at 08:15, returned, resubmitted the next day (counted
	 * once, on its first submission), evaluated on 5 June; B: submitted at
	 * 08:50, the same hour as A. Drafts are not counted. */
	move(fx, w.as_a, WF_DRAFT, "2025-05-20T07:00:00Z");
	move(fx, w.as_a, WF_SUBMITTED, "2025-05-30T08:15:00Z");
	move(fx, w.as_a, WF_RETURNED, "2025-05-30T08:40:00Z");
	move(fx, w.as_a, WF_SUBMITTED, "2025-05-31T09:00:00Z");
	move(fx, w.as_a, WF_UNDER_EVALUATION, "2025-06-02T10:00:00Z");
	move(fx, w.as_a, WF_EVALUATED, "2025-06-05T10:30:00Z");
	move(fx, w.as_b, WF_DRAFT, "2025-05-21T07:00:00Z");
	move(fx, w.as_b, WF_SUBMITTED, "2025-05-30T08:50:00Z");
	OK(dash_stage_counts(fx->d, w.round, a, &c, &n));
	assert_int_equal(n, 2);
	assert_string_equal(c[0].hour, "2025-05-30T08");
	assert_string_equal(c[0].state, wf_state_code(WF_SUBMITTED));
	assert_int_equal(c[0].count, 2);
	assert_string_equal(c[1].hour, "2025-06-05T10");
	assert_string_equal(c[1].state, wf_state_code(WF_EVALUATED));
	assert_int_equal(c[1].count, 1);
	/* another round's transitions are not this round's */
	int64_t later = open_round(fx, w.phong, w.admin, "2025-2026", "2025-09-05");
	OK(dash_stage_counts(fx->d, later, a, &c, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

static void test_dash_history(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	dash_history_row *h;
	size_t n;
	OK(dash_history(fx->d, w.round, "2024-2025", a, &h, &n));
	assert_int_equal(n, 0);
	/* an earlier year (both schools; A recognised at Mức 2, B with no level) and a later one */
	int64_t old = open_round(fx, w.phong, w.admin, "2023-2024", "2023-09-05");
	int64_t old_a = assessment_of(fx, old, w.a_school);
	OK(assessment_set_level(fx->d, w.admin, old_a, assessment_level_code(LEVEL_SELF), 1));
	OK(assessment_set_level(fx->d, w.admin, old_a, assessment_level_code(LEVEL_RECOGNISED), 2));
	int64_t next = open_round(fx, w.phong, w.admin, "2025-2026", "2025-09-05");
	OK(assessment_set_level(fx->d, w.admin, assessment_of(fx, next, w.a_school), assessment_level_code(LEVEL_RECOGNISED), 3));
	OK(dash_history(fx->d, w.round, "2024-2025", a, &h, &n));
	assert_int_equal(n, 2);   /* by year, then unit */
	assert_string_equal(h[0].school_year, "2023-2024");
	assert_int_equal(h[0].unit_id, w.a_school);
	assert_string_equal(h[0].code, "79760401");
	assert_string_equal(h[0].name, "Trường THCS Nguyễn Hữu Thọ");
	assert_string_equal(h[0].type, "thcs");
	assert_int_equal(h[0].level, 2);   /* the recognised level before the self level */
	assert_int_equal(h[0].round_id, old);
	assert_string_equal(h[0].office, "Phòng GD&ĐT Quận 7");
	assert_int_equal(h[1].unit_id, w.b_school);
	assert_int_equal(h[1].level, 0);
	assert_int_equal(h[1].round_id, old);
	/* asked for the earlier year itself: nothing before it */
	OK(dash_history(fx->d, old, "2023-2024", a, &h, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

/* ---- the office: its inbox, the versions of an answer ---------------------------------- */

static void test_office_inbox(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	inbox_row *r;
	size_t n;
	/* before 2025, B has no managing body */
	OK(office_inbox(fx->d, w.round, "2024-10-01", a, &r, &n));
	assert_int_equal(n, 2);
	const inbox_row *ra = r[0].as.unit_id == w.a_school ? &r[0] : &r[1];
	const inbox_row *rb = r[0].as.unit_id == w.a_school ? &r[1] : &r[0];
	assert_int_equal(ra->as.id, w.as_a);
	assert_int_equal(ra->as.round_id, w.round);
	assert_int_equal(ra->u.id, w.a_school);
	assert_string_equal(ra->u.code, "79760401");
	assert_string_equal(ra->u.name, "Trường THCS Nguyễn Hữu Thọ");
	assert_string_equal(ra->u.type, "thcs");
	assert_true(ra->u.is_public);
	assert_int_equal(ra->manager_id, w.phong);
	assert_string_equal(ra->manager_name, "Phòng GD&ĐT Quận 7");
	assert_int_equal(rb->as.id, w.as_b);
	assert_int_equal(rb->manager_id, 0);
	assert_null(rb->manager_name);
	OK(office_inbox(fx->d, w.round, "2025-02-01", a, &r, &n));
	assert_int_equal(n, 2);
	assert_int_equal(r[0].manager_id, w.phong);
	assert_int_equal(r[1].manager_id, w.phong);
	OK(office_inbox(fx->d, w.round + 1000, "2025-02-01", a, &r, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

static void test_office_answer_versions(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	assessment_answer *v;
	size_t n;
	OK(office_answer_versions(fx->d, w.as_a, ANSWER_SELF, a, &v, &n));
	assert_int_equal(n, 0);
	int64_t principal;
	OK(account_create(fx->d, 0, "ht.79760401", "Nguyễn Văn An", NULL, &principal));
	OK(assessment_answer_put(fx->d, principal, w.as_a, "1.2", ANSWER_SELF, "false", NULL, NULL, NULL));
	OK(assessment_answer_put(fx->d, principal, w.as_a, "1.1", ANSWER_SELF, "true", NULL, NULL, NULL));
	OK(assessment_answer_put(fx->d, principal, w.as_a, "1.2", ANSWER_SELF, "true", "đã có kế hoạch", NULL, NULL));
	OK(assessment_answer_put(fx->d, w.admin, w.as_a, "1.1", ANSWER_EXTERNAL, "false", "chưa có minh chứng", NULL, NULL));
	OK(assessment_answer_put(fx->d, principal, w.as_b, "1.1", ANSWER_SELF, "true", NULL, NULL, NULL));
	OK(office_answer_versions(fx->d, w.as_a, ANSWER_SELF, a, &v, &n));
	assert_int_equal(n, 3);   /* by item, then version */
	assert_string_equal(v[0].item_code, "1.1");
	assert_int_equal(v[0].version, 1);
	assert_string_equal(v[0].value_json, "true");
	assert_string_equal(v[1].item_code, "1.2");
	assert_int_equal(v[1].version, 1);
	assert_string_equal(v[1].value_json, "false");
	assert_null(v[1].reason);
	assert_string_equal(v[2].item_code, "1.2");
	assert_int_equal(v[2].version, 2);
	assert_string_equal(v[2].value_json, "true");
	assert_string_equal(v[2].reason, "đã có kế hoạch");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].assessment_id, w.as_a);
		assert_int_equal(v[i].side, ANSWER_SELF);
		assert_int_equal(v[i].author_id, principal);
		assert_non_null(v[i].created_at);
	}
	OK(office_answer_versions(fx->d, w.as_a, ANSWER_EXTERNAL, a, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].value_json, "false");
	assert_string_equal(v[0].reason, "chưa có minh chứng");
	assert_int_equal(v[0].author_id, w.admin);
	arena_free(a);
}

/* ---- a round's jobs -------------------------------------------------------------------- */

static void test_job_list_round(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t later = open_round(fx, w.phong, w.admin, "2025-2026", "2025-09-05");
	job_row *j;
	size_t n;
	OK(job_list_round(fx->d, "doc-batch", w.round, 10, a, &j, &n));
	assert_int_equal(n, 0);
	int64_t j1, j2, j3, other;
	OK(job_create(fx->d, w.admin, "doc-batch", w.round, "{\"type\": \"bien_ban\"}", &j1));
	OK(job_create(fx->d, w.admin, "doc-batch", w.round, "{\"type\": \"to_trinh\"}", &j2));
	OK(job_create(fx->d, w.admin, "export", w.round, "{}", &other));
	OK(job_create(fx->d, w.admin, "doc-batch", later, "{}", &other));
	OK(job_create(fx->d, w.admin, "doc-batch", w.round, "{\"type\": \"bao_cao\"}", &j3));
	OK(job_list_round(fx->d, "doc-batch", w.round, 10, a, &j, &n));
	assert_int_equal(n, 3);   /* newest first, of this kind and round only */
	assert_int_equal(j[0].id, j3);
	assert_int_equal(j[1].id, j2);
	assert_int_equal(j[2].id, j1);
	assert_string_equal(j[2].kind, "doc-batch");
	assert_int_equal(j[2].round_id, w.round);
	assert_int_equal(j[2].requested_by, w.admin);
	assert_non_null(strstr(j[2].params, "bien_ban"));
	assert_string_equal(j[2].state, "queued");
	OK(job_list_round(fx->d, "doc-batch", w.round, 2, a, &j, &n));
	assert_int_equal(n, 2);
	assert_int_equal(j[1].id, j2);
	OK(job_list_round(fx->d, "export", w.round, 10, a, &j, &n));
	assert_int_equal(n, 1);
	assert_int_equal(j[0].id, other - 1);
	arena_free(a);
}

/* ---- evidence changes between two moments ---------------------------------------------- */

static int64_t add_evidence(store_fx *fx, const world *w, const char *title, const char *item)
{
	arena *a = arena_new();
	const char *items[] = { item };
	evidence e = { .assessment_id = w->as_a, .title = title, .doc_date = "2024-09-15",
	               .issuer = "Trường THCS Nguyễn Hữu Thọ", .items = items, .nitems = 1 };
	int64_t id;
	const char *code;
	OK(evidence_add(fx->d, w->admin, &e, &id, a, &code));
	arena_free(a);
	return id;
}

/* The next second of the stored clock after `mark` (timestamps are to
 * the second): a window's edge between what happened before and after. */
static void next_second(const char *mark)
{
	char now[21];
	for (db_now(now); strcmp(now, mark) <= 0; db_now(now)) usleep(20000);
}

static void test_evhist_between(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	/* before the window: e1 (criterion 1.1) and e4 (criterion 2.1) */
	int64_t e1 = add_evidence(fx, &w, "Kế hoạch chuyển đổi số", "1.1");
	int64_t e4 = add_evidence(fx, &w, "Quy chế cũ", "2.1");
	char from[21], to[21];
	db_now(from);
	next_second(from);
	/* in the window: e1 gets a link and criterion 1.2; e2 is added; e3 is
	 * added and deleted (nothing to show); e4 is deleted */
	OK(evidence_add_link(fx->d, w.admin, e1, "https://truong.example.vn/ke-hoach", "Cổng thông tin", NULL));
	OK(evidence_link_criterion(fx->d, w.admin, e1, "1.2"));
	int64_t e2 = add_evidence(fx, &w, "Biên bản họp hội đồng", "1.3");
	int64_t e3 = add_evidence(fx, &w, "Bản nháp", "1.4");
	OK(evidence_delete(fx->d, w.admin, e3));
	OK(evidence_delete(fx->d, w.admin, e4));
	db_now(to);
	evhist_change *c;
	size_t n;
	OK(evhist_between(fx->d, w.as_a, from, to, a, &c, &n));
	assert_int_equal(n, 5);
	/* e1: changed under each of its criteria, and added under 1.2 */
	assert_string_equal(c[0].item, "1.1");
	assert_int_equal(c[0].kind, EVHIST_CHANGED);
	assert_int_equal(c[0].evidence_id, e1);
	assert_string_equal(c[0].title, "Kế hoạch chuyển đổi số");
	assert_string_equal(c[0].what, "Thêm đường dẫn: https://truong.example.vn/ke-hoach");
	assert_string_equal(c[1].item, "1.2");
	assert_int_equal(c[1].kind, EVHIST_CHANGED);
	assert_string_equal(c[2].item, "1.2");
	assert_int_equal(c[2].kind, EVHIST_ADDED);
	assert_int_equal(c[2].evidence_id, e1);
	assert_string_equal(c[3].item, "1.3");
	assert_int_equal(c[3].kind, EVHIST_ADDED);
	assert_int_equal(c[3].evidence_id, e2);
	assert_string_equal(c[4].item, "2.1");   /* known from the deletion's row */
	assert_int_equal(c[4].kind, EVHIST_REMOVED);
	assert_int_equal(c[4].evidence_id, e4);
	assert_string_equal(c[4].title, "Quy chế cũ");
	for (size_t i = 0; i < n; i++) assert_true(strcmp(c[i].at, from) > 0 && strcmp(c[i].at, to) <= 0);
	/* the window before: e1 added, under the criteria it has now (e4,
	 * deleted since, is not read: its delete row is outside the window) */
	OK(evhist_between(fx->d, w.as_a, "2000-01-01T00:00:00Z", from, a, &c, &n));
	assert_int_equal(n, 2);
	assert_string_equal(c[0].item, "1.1");
	assert_int_equal(c[0].kind, EVHIST_ADDED);
	assert_int_equal(c[0].evidence_id, e1);
	assert_string_equal(c[1].item, "1.2");
	assert_int_equal(c[1].kind, EVHIST_ADDED);
	/* B's assessment: nothing, though e3 and e4 were deleted in the window */
	OK(evhist_between(fx->d, w.as_b, "2000-01-01T00:00:00Z", to, a, &c, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

/* ---- public results by area ------------------------------------------------------------ */

static void test_public_areas_and_results(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	public_area *ar;
	size_t n;
	OK(public_areas(fx->d, a, &ar, &n));
	assert_int_equal(n, 0);
	/* A recognised at Mức 2 and published by the Phòng; B published its
	 * own self-assessment (Mức 1) before recognition */
	decision dec = { .kind = "recognition", .number = "210/QĐ-PGDĐT", .date = "2025-06-18",
	                 .signer = "Phạm Thị Dung — Trưởng phòng" };
	int64_t did;
	OK(db_begin_write(fx->d));
	OK(office_recognition_decision(fx->d, w.admin, w.phong, &dec, &did));
	OK(office_recognition_link(fx->d, w.admin, w.as_a, did, 2));
	OK(db_commit(fx->d));
	OK(assessment_set_level(fx->d, w.admin, w.as_a, assessment_level_code(LEVEL_SELF), 3));
	OK(assessment_set_level(fx->d, w.admin, w.as_a, assessment_level_code(LEVEL_RECOGNISED), 2));
	move(fx, w.as_a, WF_PUBLISHED, NULL);
	OK(office_published_set(fx->d, w.admin, w.as_a, "{\"level\": 2}"));
	OK(assessment_set_level(fx->d, w.admin, w.as_b, assessment_level_code(LEVEL_SELF), 1));
	OK(school_self_published_set(fx->d, w.admin, w.as_b, "{\"level\": 1}"));
	/* a Sở round's snapshot whose assessment is not published: never public */
	int64_t thpt = store_add_unit(fx, "79000401", "Trường THPT Lê Quý Đôn", "thpt");
	OK(unit_relate(fx->d, 0, thpt, UNIT_EVALUATOR, w.so, "2020-09-01"));
	int64_t so_round = open_round(fx, w.so, w.admin, "2024-2025", "2024-09-05");
	OK(office_published_set(fx->d, w.admin, assessment_of(fx, so_round, thpt), "{\"level\": 3}"));

	OK(public_areas(fx->d, a, &ar, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ar[0].office_id, w.phong);
	assert_string_equal(ar[0].name, "Phòng GD&ĐT Quận 7");
	assert_string_equal(ar[0].type, "phong");
	assert_int_equal(ar[0].units, 2);

	/* each result as the public sees it (the row reader of PUBLIC_RESULT_COLUMNS) */
	public_result *p;
	OK(public_results(fx->d, 0, w.phong, a, &p, &n));
	assert_int_equal(n, 2);
	const public_result *pa = p[0].unit_id == w.a_school ? &p[0] : &p[1];
	const public_result *pb = p[0].unit_id == w.a_school ? &p[1] : &p[0];
	assert_int_equal(pa->assessment_id, w.as_a);
	assert_int_equal(pa->round_id, w.round);
	assert_int_equal(pa->office_id, w.phong);
	assert_string_equal(pa->unit_code, "79760401");
	assert_string_equal(pa->unit_name, "Trường THCS Nguyễn Hữu Thọ");
	assert_string_equal(pa->unit_type, "thcs");
	assert_string_equal(pa->round_title, "Đánh giá mức độ chuyển đổi số");
	assert_non_null(strstr(pa->result_json, "\"level\""));
	assert_non_null(pa->published_at);
	assert_string_equal(pa->office_name, "Phòng GD&ĐT Quận 7");
	assert_string_equal(pa->school_year, "2024-2025");
	assert_int_equal(pa->level, 2);   /* recognised, not the self level */
	assert_string_equal(pa->decision_number, "210/QĐ-PGDĐT");
	assert_string_equal(pa->decision_date, "2025-06-18");
	assert_string_equal(pa->decision_signer, "Phạm Thị Dung — Trưởng phòng");
	assert_false(pa->by_school);
	assert_false(pa->self_assessed);
	assert_int_equal(pb->assessment_id, w.as_b);
	assert_int_equal(pb->level, 1);   /* its self level */
	assert_null(pb->decision_number);
	assert_true(pb->by_school);
	assert_true(pb->self_assessed);
	OK(public_results(fx->d, 0, w.so, a, &p, &n));
	assert_int_equal(n, 0);
	OK(open_results_page(fx->d, 0, "2024-2025", 0, 10, a, &p, &n));
	assert_int_equal(n, 2);
	assert_int_equal(p[0].assessment_id, w.as_a < w.as_b ? w.as_a : w.as_b);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(dash_round_opened) \
	X(dash_stage_counts) \
	X(dash_history) \
	X(office_inbox) \
	X(office_answer_versions) \
	X(job_list_round) \
	X(evhist_between) \
	X(public_areas_and_results)

int main(void)
{
	store_run("store_reads", STORE_TESTS);
}
