/* test_submission.c — the school side's records: request-letter drafts,
 * submissions with their letter, returns for supplement with per-item
 * reasons, and the read-only school queries (q_school.h). Every test runs
 * on SQLite and, when CHISO_TEST_PG is set, on PostgreSQL. */
#include "store_test.h"
#include "audit.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_school.h"
#include "q_submission.h"
#include "q_unit.h"

typedef struct world {
	int64_t phong, school, other, round, old_round, as, other_as, principal, officer;
} world;

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

static void make_world(store_fx *fx, world *w)
{
	w->phong = add_unit(fx, "31310", "Phòng GD&ĐT quận Dương Kinh", "phong");
	w->school = add_unit(fx, "31310401", "Trường THCS Hưng Đạo", "thcs");
	w->other = add_unit(fx, "31310402", "Trường THCS Anh Dũng", "thcs");
	int64_t schools[] = { w->school, w->other };
	for (size_t i = 0; i < 2; i++) {
		OK(unit_relate(fx->d, 0, schools[i], UNIT_PARENT, w->phong, "2020-09-01"));
		OK(unit_relate(fx->d, 0, schools[i], UNIT_EVALUATOR, w->phong, "2020-09-01"));
	}
	OK(account_create(fx->d, 0, "ht.hungdao", "Nguyễn Chí Linh", NULL, &w->principal));
	OK(account_create(fx->d, 0, "pgd.sy", "Đào Văn Sỹ", NULL, &w->officer));
	OK(account_grant(fx->d, 0, w->principal, "principal", w->school, 0, NULL));
	OK(account_grant(fx->d, 0, w->officer, "officer", w->phong, 0, NULL));
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	round_row old = { .office_unit_id = w->phong, .school_year = "2023-2024",
		.title = "Đánh giá CĐS năm học 2023-2024", .policy = "min", .self_due = "2024-05-31" };
	OK(round_open(fx->d, w->officer, &old, fw, 1, NULL, 0, &w->old_round));
	round_row r = { .office_unit_id = w->phong, .school_year = "2024-2025",
		.title = "Đánh giá CĐS năm học 2024-2025", .policy = "min", .self_due = "2025-05-31" };
	OK(round_open(fx->d, w->officer, &r, fw, 1, NULL, 0, &w->round));
	int64_t old_as = 0;
	OK(assessment_create(fx->d, 0, w->old_round, w->school, "qd4725-2022", "1", &old_as));
	OK(assessment_create(fx->d, 0, w->round, w->school, "qd4725-2022", "1", &w->as));
	OK(assessment_create(fx->d, 0, w->round, w->other, "qd4725-2022", "1", &w->other_as));
}

/* Walks the assessment to "approved" the way the pages do. */
static void approve(store_fx *fx, world *w)
{
	OK(assessment_transition(fx->d, w->principal, w->as, "not_started", "draft", NULL, NULL));
	OK(assessment_transition(fx->d, w->principal, w->as, "draft", "self_assessed", NULL, NULL));
	OK(assessment_transition(fx->d, w->principal, w->as, "self_assessed", "approved", NULL, NULL));
}

static const char letter[] =
	"TỜ TRÌNH\nVề việc đề nghị đánh giá ngoài mức độ chuyển đổi số năm học 2024-2025\n"
	"Kính gửi: Phòng GD&ĐT quận Dương Kinh.";

static void test_draft_then_send(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	submission_draft dr;
	assert_int_equal(submission_draft_get(fx->d, w.as, a, &dr), DB_ENOTFOUND);
	/* NFD in, NFC stored; a draft is replaced, not duplicated. */
	OK(submission_draft_save(fx->d, w.principal, w.as, "To\xcc\x9b\xcc\x80 tri\xcc\x80nh nha\xcc\x81p"));
	OK(submission_draft_save(fx->d, w.principal, w.as, "Tờ trình (bản 2)"));
	OK(submission_draft_get(fx->d, w.as, a, &dr));
	assert_string_equal(dr.letter, "Tờ trình (bản 2)");
	assert_int_equal(dr.updated_by, w.principal);
	OK(submission_draft_save(fx->d, w.principal, w.as, "Tờ trình nháp"));
	assert_int_equal(submission_draft_save(fx->d, w.principal, 999999, "x"), DB_ENOTFOUND);

	/* Sending needs the state it was checked against. */
	submission sub;
	assert_int_equal(submission_latest(fx->d, w.as, a, &sub), DB_ENOTFOUND);
	assert_int_equal(submission_send(fx->d, w.principal, w.as, "approved", "submitted", letter, NULL, NULL),
		DB_ECONFLICT);
	approve(fx, &w);
	assert_int_equal(submission_send(fx->d, w.principal, w.as, "approved", "submitted", "  \n ", NULL, NULL),
		DB_EINVAL);
	assert_int_equal(submission_send(fx->d, w.principal, w.as, "approved", "submitted", letter, "{bad", NULL),
		DB_EINVAL);
	int64_t id = 0;
	OK(submission_send(fx->d, w.principal, w.as, "approved", "submitted", letter,
		"{\"level\":2,\"groups\":[{\"code\":\"1\",\"points\":\"62.5\"}]}", &id));
	assert_true(id > 0);
	assessment got;
	OK(assessment_get(fx->d, w.as, a, &got));
	assert_string_equal(got.state, "submitted");
	OK(submission_latest(fx->d, w.as, a, &sub));
	assert_int_equal(sub.id, id);
	assert_string_equal(sub.letter, letter);
	assert_int_equal(sub.created_by, w.principal);
	assert_non_null(strstr(sub.summary_json, "62.5"));
	/* The letter is tied to the transition that sent it. */
	assessment_transition_row *t;
	size_t n;
	OK(assessment_transitions(fx->d, w.as, a, &t, &n));
	assert_int_equal(sub.transition_id, t[n - 1].id);
	assert_string_equal(t[n - 1].to_state, "submitted");
	/* The draft was consumed. */
	assert_int_equal(submission_draft_get(fx->d, w.as, a, &dr), DB_ENOTFOUND);
	/* Sending twice from a stale state fails and stores nothing. */
	assert_int_equal(submission_send(fx->d, w.principal, w.as, "approved", "submitted", letter, NULL, NULL),
		DB_ECONFLICT);
	submission *all;
	OK(submission_list(fx->d, w.as, a, &all, &n));
	assert_int_equal(n, 1);
	/* Audited with the whole letter. */
	audit_entry *h;
	OK(audit_history(fx->d, "assessment", w.as, a, &h, &n));
	assert_string_equal(h[n - 1].action, "submission.send");
	assert_non_null(strstr(h[n - 1].after_json, "Kính gửi"));
	arena_free(a);
}

static void test_return_with_reasons(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	approve(fx, &w);
	OK(submission_send(fx->d, w.principal, w.as, "approved", "submitted", letter, NULL, NULL));
	return_notice rn;
	assert_int_equal(submission_last_return(fx->d, w.as, a, &rn), DB_ENOTFOUND);

	/* The office writes reasons while reviewing; they stay pending. */
	OK(submission_return_note_set(fx->d, w.officer, w.as, "1.3", "Thiếu quyết định thành lập tổ"));
	OK(submission_return_note_set(fx->d, w.officer, w.as, "2.4", "Ảnh chụp không đọc được"));
	OK(submission_return_note_set(fx->d, w.officer, w.as, "1.3", "Thiếu quyết định thành lập Ban chỉ đạo"));
	OK(submission_return_note_set(fx->d, w.officer, w.as, "2.1", "tạm"));
	OK(submission_return_note_set(fx->d, w.officer, w.as, "2.1", "   "));   /* removed */
	assert_int_equal(submission_return_note_set(fx->d, w.officer, w.as, "1 3", "x"), DB_EINVAL);
	return_item *p;
	size_t n;
	OK(submission_return_notes_pending(fx->d, w.as, a, &p, &n));
	assert_int_equal(n, 2);
	assert_string_equal(p[0].item_code, "1.3");
	assert_string_equal(p[0].reason, "Thiếu quyết định thành lập Ban chỉ đạo");
	const char *r = NULL;
	OK(submission_return_reason_for(fx->d, w.as, "1.3", a, &r));
	assert_null(r);                                   /* not sent yet */

	/* Sending: pending reasons plus the ones passed, one transaction. */
	return_item more[] = { { .item_code = "2.4", .reason = "Cần ảnh rõ hơn và biên bản kiểm kê" },
	                       { .item_code = "1.5", .reason = "Chưa có minh chứng về kinh phí" } };
	return_item bad[] = { { .item_code = "1.5", .reason = "" } };
	assert_int_equal(submission_return(fx->d, w.officer, w.as, "submitted", "returned", "Bổ sung minh chứng",
		"2025-06-07", bad, 1, NULL), DB_EINVAL);
	assert_int_equal(submission_return(fx->d, w.officer, w.as, "approved", "returned", "Bổ sung minh chứng",
		"2025-06-07", more, 2, NULL), DB_ECONFLICT);
	/* the failed call left the pending reasons as they were */
	OK(submission_return_notes_pending(fx->d, w.as, a, &p, &n));
	assert_int_equal(n, 2);
	assert_string_equal(p[1].reason, "Ảnh chụp không đọc được");
	int64_t tid = 0;
	OK(submission_return(fx->d, w.officer, w.as, "submitted", "returned", "Bổ sung minh chứng các tiêu chí dưới đây",
		"2025-06-07", more, 2, &tid));
	assert_true(tid > 0);
	assessment got;
	OK(assessment_get(fx->d, w.as, a, &got));
	assert_string_equal(got.state, "returned");
	assert_string_equal(got.extended_until, "2025-06-07");
	OK(submission_last_return(fx->d, w.as, a, &rn));
	assert_int_equal(rn.transition_id, tid);
	assert_int_equal(rn.by, w.officer);
	assert_string_equal(rn.reason, "Bổ sung minh chứng các tiêu chí dưới đây");
	assert_string_equal(rn.extended_until, "2025-06-07");
	assert_int_equal(rn.nitems, 3);
	assert_string_equal(rn.items[0].item_code, "1.3");
	assert_string_equal(rn.items[1].item_code, "1.5");
	assert_string_equal(rn.items[2].item_code, "2.4");
	assert_string_equal(rn.items[2].reason, "Cần ảnh rõ hơn và biên bản kiểm kê");
	OK(submission_return_reason_for(fx->d, w.as, "2.4", a, &r));
	assert_string_equal(r, "Cần ảnh rõ hơn và biên bản kiểm kê");
	OK(submission_return_reason_for(fx->d, w.as, "2.1", a, &r));
	assert_null(r);
	OK(submission_return_notes_pending(fx->d, w.as, a, &p, &n));
	assert_int_equal(n, 0);

	/* Resubmitted, then returned again: only the new return's reasons show. */
	OK(assessment_transition(fx->d, w.principal, w.as, "returned", "self_assessed", NULL, NULL));
	OK(assessment_transition(fx->d, w.principal, w.as, "self_assessed", "approved", NULL, NULL));
	OK(submission_send(fx->d, w.principal, w.as, "approved", "submitted", "Tờ trình lần 2", NULL, NULL));
	submission *all;
	OK(submission_list(fx->d, w.as, a, &all, &n));
	assert_int_equal(n, 2);
	assert_string_equal(all[1].letter, "Tờ trình lần 2");
	OK(submission_return(fx->d, w.officer, w.as, "submitted", "returned", "Còn thiếu một minh chứng", NULL,
		(return_item[]){ { .item_code = "1.5", .reason = "Vẫn chưa có" } }, 1, NULL));
	OK(submission_last_return(fx->d, w.as, a, &rn));
	assert_int_equal(rn.nitems, 1);
	assert_string_equal(rn.items[0].reason, "Vẫn chưa có");
	OK(submission_return_reason_for(fx->d, w.as, "2.4", a, &r));
	assert_null(r);
	/* Another school's assessment is untouched. */
	assert_int_equal(submission_last_return(fx->d, w.other_as, a, &rn), DB_ENOTFOUND);
	arena_free(a);
}

static void test_school_queries(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	school_assessment *sa;
	size_t n;
	OK(school_assessments(fx->d, w.school, a, &sa, &n));
	assert_int_equal(n, 2);
	assert_int_equal(sa[0].as.id, w.as);                 /* newest year first */
	assert_string_equal(sa[0].round.school_year, "2024-2025");
	assert_string_equal(sa[0].round.self_due, "2025-05-31");
	assert_string_equal(sa[0].as.state, "not_started");
	assert_string_equal(sa[1].round.school_year, "2023-2024");
	OK(school_assessments(fx->d, w.phong, a, &sa, &n));
	assert_int_equal(n, 0);

	int64_t gv = 0;
	OK(account_create(fx->d, 0, "gv.yen", "Lê Thị Yến", NULL, &gv));
	OK(account_grant(fx->d, 0, gv, "council_member", w.school, w.round, NULL));
	OK(account_grant(fx->d, 0, gv, "council_member", w.school, w.old_round, NULL));
	school_account *acc;
	OK(school_accounts(fx->d, w.school, a, &acc, &n));
	assert_int_equal(n, 2);                              /* once each */
	bool seen_principal = false, seen_gv = false;
	for (size_t i = 0; i < n; i++) {
		if (acc[i].id == w.principal) seen_principal = acc[i].principal;
		if (acc[i].id == gv) seen_gv = !acc[i].principal && !strcmp(acc[i].full_name, "Lê Thị Yến");
	}
	assert_true(seen_principal);
	assert_true(seen_gv);
	OK(school_accounts(fx->d, w.other, a, &acc, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(draft_then_send) \
	X(return_with_reasons) \
	X(school_queries)

int main(void)
{
	store_run("submission", STORE_TESTS);
}
