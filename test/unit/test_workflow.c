/* test_workflow.c — the assessment state machine: the whole graph against an
 * independent table, who may take each transition, every precondition
 * refused with its Vietnamese message, and the paths people actually walk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "workflow.h"

#define ALL_STATES WF_STATE_COUNT

/* The graph as docs/workflow.md states it, written out independently of
 * workflow.c's table. */
static const struct edge {
	wf_action a;
	wf_state from, to;
} graph[] = {
	{WF_START, WF_NOT_STARTED, WF_DRAFT},
	{WF_CONSOLIDATE, WF_DRAFT, WF_SELF_ASSESSED},
	{WF_CONSOLIDATE, WF_RETURNED, WF_SELF_ASSESSED},
	{WF_REOPEN, WF_SELF_ASSESSED, WF_DRAFT},
	{WF_APPROVE, WF_SELF_ASSESSED, WF_APPROVED},
	{WF_WITHDRAW_APPROVAL, WF_APPROVED, WF_SELF_ASSESSED},
	{WF_SUBMIT, WF_APPROVED, WF_SUBMITTED},
	{WF_RETURN, WF_SUBMITTED, WF_RETURNED},
	{WF_RETURN, WF_UNDER_EVALUATION, WF_RETURNED},
	{WF_START_EVALUATION, WF_SUBMITTED, WF_UNDER_EVALUATION},
	{WF_FINISH_EVALUATION, WF_UNDER_EVALUATION, WF_EVALUATED},
	{WF_REOPEN_EVALUATION, WF_EVALUATED, WF_UNDER_EVALUATION},
	{WF_RECOGNISE, WF_EVALUATED, WF_RECOGNISED},
	{WF_WITHDRAW_RECOGNITION, WF_RECOGNISED, WF_EVALUATED},
	{WF_PUBLISH, WF_RECOGNISED, WF_PUBLISHED},
	{WF_UNPUBLISH, WF_PUBLISHED, WF_RECOGNISED},
	{WF_PUBLISH_OWN, WF_RECOGNISED, WF_PUBLISHED},
	{WF_UNPUBLISH_OWN, WF_PUBLISHED, WF_RECOGNISED},
};

#define OFFICE (WF_BY_OFFICE_ADMIN | WF_BY_OFFICER)
/* Who, as docs/workflow.md states it (system administrators everywhere). */
static const unsigned who[WF_ACTION_COUNT] = {
	[WF_START] = WF_BY_PRINCIPAL,
	[WF_CONSOLIDATE] = WF_BY_PRINCIPAL | WF_BY_COUNCIL_SECRETARY,
	[WF_REOPEN] = WF_BY_PRINCIPAL | WF_BY_COUNCIL_SECRETARY,
	[WF_APPROVE] = WF_BY_PRINCIPAL,
	[WF_WITHDRAW_APPROVAL] = WF_BY_PRINCIPAL,
	[WF_SUBMIT] = WF_BY_PRINCIPAL,
	[WF_RETURN] = OFFICE,
	[WF_START_EVALUATION] = OFFICE | WF_BY_TEAM_HEAD,
	[WF_FINISH_EVALUATION] = OFFICE | WF_BY_TEAM_HEAD,
	[WF_REOPEN_EVALUATION] = OFFICE | WF_BY_TEAM_HEAD,
	[WF_RECOGNISE] = OFFICE,
	[WF_WITHDRAW_RECOGNITION] = OFFICE,
	[WF_PUBLISH] = OFFICE,
	[WF_UNPUBLISH] = OFFICE,
	[WF_PUBLISH_OWN] = WF_BY_PRINCIPAL,
	[WF_UNPUBLISH_OWN] = WF_BY_PRINCIPAL,
};

/* An input where every precondition holds: 25/05/2024, deadline 31/05. */
static wf_input good(wf_state s, unsigned actor)
{
	wf_input in = {0};
	in.state = s;
	in.actor = actor;
	in.today = 20240525;
	in.council_formed = true;
	in.deadline = 20240531;
	in.reason = "Thiếu minh chứng tiêu chí 1.3";
	in.evaluators_assigned = 2;
	in.decision_number = "125/QĐ-PGDĐT";
	in.decision_date = 20240520;
	in.decision_signer = "Trần Thị Tuyết";
	in.published_by_school = true;
	return in;
}

static const struct edge *edge_of(wf_action a, wf_state s)
{
	for (size_t i = 0; i < sizeof graph / sizeof graph[0]; i++)
		if (graph[i].a == a && graph[i].from == s) return &graph[i];
	return NULL;
}

static void expect_ok(const wf_input *in, wf_action a, wf_state to)
{
	wf_result r;
	int got = wf_check(in, a, &r);
	if (got != (int)to)
		fail_msg("%s from %s: got %d, refusal %s: %s", wf_action_code(a),
			wf_state_code(in->state), got, wf_refusal_code(r.refusal), r.message);
	assert_true(r.ok);
	assert_int_equal(r.next, to);
	assert_int_equal(r.refusal, WF_OK);
	assert_string_equal(r.message, "");
}

static void expect_refused(const wf_input *in, wf_action a, wf_refusal why, const char *msg)
{
	wf_result r;
	int got = wf_check(in, a, &r);
	assert_int_equal(got, -1);
	assert_false(r.ok);
	if (r.refusal != why)
		fail_msg("%s from %s: refusal %s, wanted %s (%s)", wf_action_code(a),
			wf_state_code(in->state), wf_refusal_code(r.refusal), wf_refusal_code(why),
			r.message);
	if (msg) assert_string_equal(r.message, msg);
	else assert_true(strlen(r.message) > 10);
}

/* Every action from every state: allowed exactly on the edges of `graph`,
 * landing where the graph says; refused for the state otherwise. */
static void test_graph_every_action_every_state(void **st)
{
	(void)st;
	int allowed = 0;
	for (int a = 0; a < WF_ACTION_COUNT; a++)
		for (int s = 0; s < ALL_STATES; s++) {
			wf_input in = good((wf_state)s, who[a]);
			const struct edge *e = edge_of((wf_action)a, (wf_state)s);
			if (e) {
				expect_ok(&in, (wf_action)a, e->to);
				allowed++;
			} else {
				expect_refused(&in, (wf_action)a, WF_REFUSED_STATE, NULL);
			}
			assert_int_equal(wf_offered(&in, (wf_action)a), e != NULL);
		}
	assert_int_equal(allowed, (int)(sizeof graph / sizeof graph[0]));
}

/* Each capacity alone: allowed exactly when the docs name it. */
static void test_who_may_take_each_transition(void **st)
{
	(void)st;
	for (int a = 0; a < WF_ACTION_COUNT; a++) {
		wf_state from = WF_STATE_INVALID;
		for (size_t i = 0; i < sizeof graph / sizeof graph[0]; i++)
			if (graph[i].a == a) { from = graph[i].from; break; }
		assert_int_not_equal(from, WF_STATE_INVALID);
		for (unsigned bit = 1; bit <= WF_BY_EVALUATOR; bit <<= 1) {
			wf_input in = good(from, bit);
			bool want = (who[a] | WF_BY_SYSTEM_ADMIN) & bit;
			wf_result r;
			int got = wf_check(&in, (wf_action)a, &r);
			if (want != (got >= 0))
				fail_msg("%s by capacity 0x%x: %s", wf_action_code((wf_action)a), bit,
					r.message);
			if (!want) assert_int_equal(r.refusal, WF_REFUSED_ROLE);
		}
		assert_int_equal(wf_action_who((wf_action)a), who[a] | WF_BY_SYSTEM_ADMIN);
		wf_input nobody = good(from, 0);
		expect_refused(&nobody, (wf_action)a, WF_REFUSED_ROLE, NULL);
	}
}

static void test_role_refusal_message(void **st)
{
	(void)st;
	wf_input in = good(WF_SELF_ASSESSED, WF_BY_COUNCIL_MEMBER | WF_BY_COUNCIL_SECRETARY);
	expect_refused(&in, WF_APPROVE, WF_REFUSED_ROLE,
		"Bạn không có quyền phê duyệt: chỉ thủ trưởng đơn vị được thực hiện.");
	in = good(WF_SUBMITTED, WF_BY_PRINCIPAL);
	expect_refused(&in, WF_RETURN, WF_REFUSED_ROLE,
		"Bạn không có quyền trả lại để bổ sung: chỉ cán bộ của cơ quan đánh giá đơn vị "
		"được thực hiện.");
	/* an evaluator who is not the head cannot close the evaluation */
	in = good(WF_UNDER_EVALUATION, WF_BY_EVALUATOR);
	expect_refused(&in, WF_FINISH_EVALUATION, WF_REFUSED_ROLE, NULL);
}

/* One row per precondition: a good input with one thing wrong. */
struct precond_case {
	const char *name;
	wf_action a;
	wf_state s;
	void (*spoil)(wf_input *);
	wf_refusal why;
	const char *msg;
};

static void no_council(wf_input *in) { in->council_formed = false; }
static void two_unanswered(wf_input *in) { in->unanswered_required = 2; }
static void three_unanswered(wf_input *in) { in->unanswered_required = 3; }
static void no_reason(wf_input *in) { in->reason = NULL; }
static void blank_reason(wf_input *in) { in->reason = " \t\n"; }
static void nbsp_reason(wf_input *in) { in->reason = "\xC2\xA0 \xC2\xA0"; }
static void past_deadline(wf_input *in) { in->today = 20240601; }
static void past_extension(wf_input *in) { in->today = 20240611; in->extended_until = 20240610; }
static void no_today(wf_input *in) { in->today = 0; }
static void return_late(wf_input *in) { in->today = 20240605; }
static void return_old_deadline(wf_input *in) { in->new_deadline = 20240520; }
static void return_bad_deadline(wf_input *in) { in->new_deadline = 20240231; }
static void no_evaluators(wf_input *in) { in->evaluators_assigned = 0; }
static void four_unscored(wf_input *in) { in->external_unscored = 4; }
static void two_unexplained(wf_input *in) { in->differences_unexplained = 2; }
static void no_number(wf_input *in) { in->decision_number = "  "; }
static void no_decision(wf_input *in)
{
	in->decision_number = NULL;
	in->decision_date = 0;
	in->decision_signer = "";
}
static void no_date_signer(wf_input *in)
{
	in->decision_date = 0;
	in->decision_signer = NULL;
}
static void future_decision(wf_input *in) { in->decision_date = 20240620; }
static void bad_decision_date(wf_input *in) { in->decision_date = 20241332; }
static void closed(wf_input *in) { in->round_closed = true; }

static const struct precond_case precond_cases[] = {
	{"consolidate without council", WF_CONSOLIDATE, WF_DRAFT, no_council, WF_REFUSED_NO_COUNCIL,
		"Chưa thể tổng hợp kết quả tự đánh giá: chưa thành lập hội đồng tự đánh giá."},
	{"consolidate with unanswered", WF_CONSOLIDATE, WF_DRAFT, two_unanswered,
		WF_REFUSED_UNANSWERED,
		"Chưa thể tổng hợp kết quả tự đánh giá: còn 2 chỉ tiêu bắt buộc chưa đánh giá."},
	{"consolidate returned with unanswered", WF_CONSOLIDATE, WF_RETURNED, two_unanswered,
		WF_REFUSED_UNANSWERED, NULL},
	{"approve with unanswered", WF_APPROVE, WF_SELF_ASSESSED, three_unanswered,
		WF_REFUSED_UNANSWERED, "Chưa thể phê duyệt: còn 3 chỉ tiêu bắt buộc chưa đánh giá."},
	{"withdraw approval without reason", WF_WITHDRAW_APPROVAL, WF_APPROVED, no_reason,
		WF_REFUSED_REASON, "Chưa thể thu hồi phê duyệt: cần ghi rõ lý do."},
	{"withdraw approval blank reason", WF_WITHDRAW_APPROVAL, WF_APPROVED, blank_reason,
		WF_REFUSED_REASON, NULL},
	{"withdraw approval nbsp reason", WF_WITHDRAW_APPROVAL, WF_APPROVED, nbsp_reason,
		WF_REFUSED_REASON, NULL},
	{"submit after deadline", WF_SUBMIT, WF_APPROVED, past_deadline, WF_REFUSED_DEADLINE,
		"Chưa thể gửi hồ sơ: đã quá hạn nộp (31/05/2024) và đơn vị chưa được gia hạn."},
	{"submit after extension", WF_SUBMIT, WF_APPROVED, past_extension, WF_REFUSED_DEADLINE,
		"Chưa thể gửi hồ sơ: đã quá hạn nộp được gia hạn (10/06/2024)."},
	{"submit without today", WF_SUBMIT, WF_APPROVED, no_today, WF_REFUSED_DATE,
		"Chưa thể gửi hồ sơ: thiếu ngày hiện tại."},
	{"return without reason", WF_RETURN, WF_SUBMITTED, no_reason, WF_REFUSED_REASON,
		"Chưa thể trả lại để bổ sung: cần ghi rõ lý do."},
	{"return under evaluation without reason", WF_RETURN, WF_UNDER_EVALUATION, blank_reason,
		WF_REFUSED_REASON, NULL},
	{"return after deadline, no new one", WF_RETURN, WF_SUBMITTED, return_late,
		WF_REFUSED_NEW_DEADLINE,
		"Chưa thể trả lại để bổ sung: hạn nộp (31/05/2024) đã qua, cần đặt hạn nộp bổ sung mới."},
	{"return with past new deadline", WF_RETURN, WF_SUBMITTED, return_old_deadline,
		WF_REFUSED_NEW_DEADLINE,
		"Chưa thể trả lại để bổ sung: hạn nộp bổ sung (20/05/2024) đã qua."},
	{"return with impossible date", WF_RETURN, WF_SUBMITTED, return_bad_deadline,
		WF_REFUSED_NEW_DEADLINE, NULL},
	{"start evaluation without team", WF_START_EVALUATION, WF_SUBMITTED, no_evaluators,
		WF_REFUSED_NO_EVALUATORS,
		"Chưa thể bắt đầu đánh giá ngoài: chưa phân công thành viên đoàn đánh giá ngoài "
		"cho đơn vị."},
	{"finish with unscored", WF_FINISH_EVALUATION, WF_UNDER_EVALUATION, four_unscored,
		WF_REFUSED_UNSCORED,
		"Chưa thể hoàn thành đánh giá ngoài: còn 4 chỉ tiêu đoàn đánh giá chưa chấm điểm."},
	{"finish with unexplained differences", WF_FINISH_EVALUATION, WF_UNDER_EVALUATION,
		two_unexplained, WF_REFUSED_UNEXPLAINED,
		"Chưa thể hoàn thành đánh giá ngoài: còn 2 chỉ tiêu có điểm khác kết quả tự đánh giá "
		"nhưng chưa ghi lý do."},
	{"recognise without number", WF_RECOGNISE, WF_EVALUATED, no_number, WF_REFUSED_DECISION,
		"Chưa thể công nhận: quyết định công nhận còn thiếu số quyết định."},
	{"recognise without decision", WF_RECOGNISE, WF_EVALUATED, no_decision,
		WF_REFUSED_DECISION,
		"Chưa thể công nhận: quyết định công nhận còn thiếu số quyết định, ngày ký, người ký."},
	{"recognise without date and signer", WF_RECOGNISE, WF_EVALUATED, no_date_signer,
		WF_REFUSED_DECISION,
		"Chưa thể công nhận: quyết định công nhận còn thiếu ngày ký, người ký."},
	{"recognise dated in the future", WF_RECOGNISE, WF_EVALUATED, future_decision,
		WF_REFUSED_DECISION,
		"Chưa thể công nhận: ngày ký quyết định (20/06/2024) sau ngày hôm nay."},
	{"recognise with impossible date", WF_RECOGNISE, WF_EVALUATED, bad_decision_date,
		WF_REFUSED_DECISION, NULL},
	{"recognise without today", WF_RECOGNISE, WF_EVALUATED, no_today, WF_REFUSED_DATE, NULL},
	{"withdraw recognition without reason", WF_WITHDRAW_RECOGNITION, WF_RECOGNISED, no_reason,
		WF_REFUSED_REASON, "Chưa thể thu hồi công nhận: cần ghi rõ lý do."},
	{"unpublish without reason", WF_UNPUBLISH, WF_PUBLISHED, blank_reason, WF_REFUSED_REASON,
		"Chưa thể gỡ công bố: cần ghi rõ lý do."},
	{"start in a closed round", WF_START, WF_NOT_STARTED, closed, WF_REFUSED_ROUND_CLOSED,
		"Không thể bắt đầu tự đánh giá: đợt đánh giá đã kết thúc."},
};

static void test_preconditions_table(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof precond_cases / sizeof precond_cases[0]; i++) {
		const struct precond_case *c = &precond_cases[i];
		unsigned actor = who[c->a];
		wf_input in = good(c->s, actor);
		wf_result r;
		/* the same input without the spoiler passes: the refusal is the
		 * precondition's doing, not something else in the input */
		if (wf_check(&in, c->a, &r) < 0) fail_msg("%s: good input refused: %s", c->name, r.message);
		c->spoil(&in);
		if (wf_check(&in, c->a, &r) >= 0) fail_msg("%s: allowed", c->name);
		if (r.refusal != c->why)
			fail_msg("%s: refusal %s, wanted %s", c->name, wf_refusal_code(r.refusal),
				wf_refusal_code(c->why));
		if (c->msg && strcmp(r.message, c->msg) != 0)
			fail_msg("%s: message\n  got  %s\n  want %s", c->name, r.message, c->msg);
		assert_true(strlen(r.message) + 1 < WF_MESSAGE_MAX);   /* never truncated */
		assert_int_equal(r.message[strlen(r.message) - 1], '.');
	}
}

/* A closed round freezes every transition, whoever asks. */
static void test_closed_round_blocks_everything(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof graph / sizeof graph[0]; i++) {
		wf_input in = good(graph[i].from, WF_BY_SYSTEM_ADMIN);
		in.round_closed = true;
		expect_refused(&in, graph[i].a, WF_REFUSED_ROUND_CLOSED, NULL);
	}
}

static void test_deadline_edges(void **st)
{
	(void)st;
	wf_input in = good(WF_APPROVED, WF_BY_PRINCIPAL);
	in.today = 20240531;                       /* on the day: on time */
	expect_ok(&in, WF_SUBMIT, WF_SUBMITTED);
	in.today = 20240601;
	expect_refused(&in, WF_SUBMIT, WF_REFUSED_DEADLINE, NULL);
	in.extended_until = 20240607;              /* extension granted */
	expect_ok(&in, WF_SUBMIT, WF_SUBMITTED);
	assert_int_equal(wf_effective_deadline(&in), 20240607);
	in.extended_until = 20240515;              /* an "extension" earlier than the deadline */
	assert_int_equal(wf_effective_deadline(&in), 20240531);
	expect_refused(&in, WF_SUBMIT, WF_REFUSED_DEADLINE, NULL);
	in.deadline = 0;                           /* no deadline: never late */
	in.extended_until = 0;
	in.today = 20250101;
	expect_ok(&in, WF_SUBMIT, WF_SUBMITTED);
	assert_int_equal(wf_effective_deadline(&in), 0);
	in.today = 0;                              /* and no date needed */
	expect_ok(&in, WF_SUBMIT, WF_SUBMITTED);
}

static void test_return_with_new_deadline_after_due(void **st)
{
	(void)st;
	wf_input in = good(WF_SUBMITTED, WF_BY_OFFICER);
	in.today = 20240605;
	in.new_deadline = 20240612;
	expect_ok(&in, WF_RETURN, WF_RETURNED);
	in.new_deadline = 20240605;                /* due today is fine */
	expect_ok(&in, WF_RETURN, WF_RETURNED);
}

static void step(wf_input *in, wf_action a, wf_state to)
{
	expect_ok(in, a, to);
	in->state = to;
}

static const unsigned school = WF_BY_PRINCIPAL | WF_BY_COUNCIL_MEMBER;

static void test_happy_path(void **st)
{
	(void)st;
	wf_input in = good(WF_NOT_STARTED, WF_BY_PRINCIPAL);
	in.reason = NULL;
	assert_false(wf_self_editable(in.state));
	step(&in, WF_START, WF_DRAFT);
	assert_true(wf_self_editable(in.state));
	in.actor = WF_BY_COUNCIL_MEMBER | WF_BY_COUNCIL_SECRETARY;
	step(&in, WF_CONSOLIDATE, WF_SELF_ASSESSED);
	assert_false(wf_self_editable(in.state));
	in.actor = school;
	step(&in, WF_APPROVE, WF_APPROVED);
	assert_false(wf_self_editable(in.state));
	step(&in, WF_SUBMIT, WF_SUBMITTED);
	in.actor = WF_BY_EVALUATOR | WF_BY_TEAM_HEAD;
	assert_false(wf_external_editable(in.state));
	step(&in, WF_START_EVALUATION, WF_UNDER_EVALUATION);
	assert_true(wf_external_editable(in.state));
	assert_false(wf_self_editable(in.state));
	step(&in, WF_FINISH_EVALUATION, WF_EVALUATED);
	assert_false(wf_external_editable(in.state));
	in.actor = WF_BY_OFFICE_ADMIN;
	in.today = 20240618;
	in.decision_date = 20240618;
	step(&in, WF_RECOGNISE, WF_RECOGNISED);
	step(&in, WF_PUBLISH, WF_PUBLISHED);
	/* the end: nothing but unpublish is offered */
	for (int a = 0; a < WF_ACTION_COUNT; a++)
		assert_int_equal(wf_offered(&in, (wf_action)a), a == WF_UNPUBLISH);
}

/* The school publishes its own recognised result and withdraws it; it
 * cannot publish before recognition, over the office's publication, nor
 * withdraw what the office published; the office cannot use the school's
 * actions. */
static void test_school_publishes_own_result(void **st)
{
	(void)st;
	wf_input in = good(WF_RECOGNISED, WF_BY_PRINCIPAL);
	in.published_by_school = false;
	assert_true(wf_offered(&in, WF_PUBLISH_OWN));
	assert_false(wf_offered(&in, WF_PUBLISH));
	step(&in, WF_PUBLISH_OWN, WF_PUBLISHED);
	in.published_by_school = true;
	assert_true(wf_offered(&in, WF_UNPUBLISH_OWN));
	expect_refused(&in, WF_PUBLISH_OWN, WF_REFUSED_STATE,
		"Không thể công khai kết quả khi hồ sơ đang ở trạng thái “Đã công bố”.");
	step(&in, WF_UNPUBLISH_OWN, WF_RECOGNISED);

	wf_input early = good(WF_EVALUATED, WF_BY_PRINCIPAL);
	expect_refused(&early, WF_PUBLISH_OWN, WF_REFUSED_STATE,
		"Chưa thể công khai kết quả: mức độ chuyển đổi số của đơn vị chưa được cơ quan đánh giá công nhận.");
	early.state = WF_APPROVED;
	expect_refused(&early, WF_PUBLISH_OWN, WF_REFUSED_STATE, NULL);

	wf_input office = good(WF_PUBLISHED, WF_BY_PRINCIPAL);
	office.published_by_school = false;   /* the office published it */
	expect_refused(&office, WF_UNPUBLISH_OWN, WF_REFUSED_PUBLISHER,
		"Chưa thể thu hồi công khai kết quả: kết quả do cơ quan đánh giá công bố, chỉ cơ quan mới được gỡ công bố.");
	expect_refused(&office, WF_UNPUBLISH, WF_REFUSED_ROLE, NULL);

	wf_input officer = good(WF_RECOGNISED, WF_BY_OFFICER);
	expect_refused(&officer, WF_PUBLISH_OWN, WF_REFUSED_ROLE,
		"Bạn không có quyền công khai kết quả: chỉ thủ trưởng đơn vị được thực hiện.");
	officer.round_closed = true;
	officer.actor = WF_BY_PRINCIPAL;
	expect_refused(&officer, WF_PUBLISH_OWN, WF_REFUSED_ROUND_CLOSED, NULL);
}

/* The self-assessment result before recognition (issue 11, item 5): the
 * principal publishes it from approval to the external evaluation's end,
 * withdraws only what was published; the state never changes. */
static void test_self_publication(void **st)
{
	(void)st;
	wf_result r;
	static const wf_state yes[] = { WF_APPROVED, WF_SUBMITTED, WF_UNDER_EVALUATION, WF_EVALUATED };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		wf_input in = good(yes[i], WF_BY_PRINCIPAL);
		assert_int_equal(wf_self_publication_check(&in, true, &r), 0);
		assert_true(r.ok);
		assert_int_equal(r.next, yes[i]);
	}
	static const wf_state early[] = { WF_NOT_STARTED, WF_DRAFT, WF_SELF_ASSESSED, WF_RETURNED };
	for (size_t i = 0; i < sizeof early / sizeof *early; i++) {
		wf_input in = good(early[i], WF_BY_PRINCIPAL);
		assert_int_equal(wf_self_publication_check(&in, true, &r), -1);
		assert_int_equal(r.refusal, WF_REFUSED_STATE);
		assert_string_equal(r.message,
			"Chưa thể công khai kết quả tự đánh giá: kết quả tự đánh giá chưa được thủ trưởng đơn vị phê duyệt.");
	}
	wf_input rec = good(WF_RECOGNISED, WF_BY_PRINCIPAL);
	assert_int_equal(wf_self_publication_check(&rec, true, &r), -1);
	assert_string_equal(r.message, "Không thể công khai kết quả tự đánh giá khi hồ sơ đang ở trạng thái “Đã công nhận”: "
		"kết quả đã được công nhận.");
	/* withdrawing: only what was published, even after recognition */
	assert_int_equal(wf_self_publication_check(&rec, false, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_PUBLISHER);
	rec.self_published = true;
	assert_int_equal(wf_self_publication_check(&rec, false, &r), 0);
	/* the principal only; not on a closed round */
	wf_input officer = good(WF_SUBMITTED, WF_BY_OFFICER | WF_BY_COUNCIL_SECRETARY);
	assert_int_equal(wf_self_publication_check(&officer, true, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);
	assert_string_equal(r.message, "Bạn không có quyền công khai kết quả tự đánh giá: chỉ thủ trưởng đơn vị được thực hiện.");
	wf_input closed = good(WF_SUBMITTED, WF_BY_PRINCIPAL);
	closed.round_closed = true;
	assert_int_equal(wf_self_publication_check(&closed, true, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROUND_CLOSED);
}

static void test_return_and_resubmit(void **st)
{
	(void)st;
	wf_input in = good(WF_SUBMITTED, WF_BY_OFFICER);
	in.today = 20240603;                       /* after the round's deadline */
	in.new_deadline = 20240610;
	step(&in, WF_RETURN, WF_RETURNED);
	assert_true(wf_self_editable(in.state));   /* the school edits again */
	assert_true(wf_council_editable(in.state));
	assert_string_equal(wf_state_label(in.state), "Bị trả lại để bổ sung");

	in.actor = school;
	in.reason = NULL;
	in.new_deadline = 0;
	/* straight back up is refused: it must be consolidated and approved again */
	expect_refused(&in, WF_SUBMIT, WF_REFUSED_STATE,
		"Chưa thể gửi hồ sơ: kết quả tự đánh giá chưa được thủ trưởng đơn vị phê duyệt.");
	expect_refused(&in, WF_APPROVE, WF_REFUSED_STATE,
		"Chưa thể phê duyệt: hội đồng chưa tổng hợp kết quả tự đánh giá.");
	in.unanswered_required = 1;                /* the supplement added a mandatory item */
	expect_refused(&in, WF_CONSOLIDATE, WF_REFUSED_UNANSWERED, NULL);
	in.unanswered_required = 0;
	step(&in, WF_CONSOLIDATE, WF_SELF_ASSESSED);
	step(&in, WF_APPROVE, WF_APPROVED);
	/* the new deadline is the unit's extension (the store records it so) */
	expect_refused(&in, WF_SUBMIT, WF_REFUSED_DEADLINE, NULL);
	in.extended_until = 20240610;
	step(&in, WF_SUBMIT, WF_SUBMITTED);
	in.actor = WF_BY_OFFICER;
	step(&in, WF_START_EVALUATION, WF_UNDER_EVALUATION);
}

static void test_submit_refused_after_approval_withdrawn(void **st)
{
	(void)st;
	wf_input in = good(WF_APPROVED, WF_BY_PRINCIPAL);
	step(&in, WF_WITHDRAW_APPROVAL, WF_SELF_ASSESSED);
	expect_refused(&in, WF_SUBMIT, WF_REFUSED_STATE,
		"Chưa thể gửi hồ sơ: kết quả tự đánh giá chưa được thủ trưởng đơn vị phê duyệt.");
	assert_false(wf_self_editable(in.state));  /* still locked until reopened */
	step(&in, WF_REOPEN, WF_DRAFT);
	assert_true(wf_self_editable(in.state));
}

static void test_generic_state_message(void **st)
{
	(void)st;
	wf_input in = good(WF_PUBLISHED, WF_BY_PRINCIPAL);
	expect_refused(&in, WF_APPROVE, WF_REFUSED_STATE,
		"Không thể phê duyệt khi hồ sơ đang ở trạng thái “Đã công bố”.");
	in.state = WF_STATE_INVALID;
	expect_refused(&in, WF_APPROVE, WF_REFUSED_STATE,
		"Không thể phê duyệt khi hồ sơ đang ở trạng thái “không xác định”.");
	in.state = WF_STATE_COUNT;
	expect_refused(&in, WF_APPROVE, WF_REFUSED_STATE, NULL);
	assert_false(wf_offered(&in, WF_APPROVE));
}

static void test_invalid_action(void **st)
{
	(void)st;
	wf_input in = good(WF_DRAFT, ~0u);
	expect_refused(&in, WF_ACTION_INVALID, WF_REFUSED_ACTION, "Thao tác không hợp lệ.");
	expect_refused(&in, WF_ACTION_COUNT, WF_REFUSED_ACTION, NULL);
	assert_false(wf_offered(&in, WF_ACTION_COUNT));
	assert_int_equal(wf_action_from(WF_ACTION_INVALID), 0);
	assert_int_equal(wf_action_to(WF_ACTION_COUNT), WF_STATE_INVALID);
	assert_int_equal(wf_action_who(WF_ACTION_INVALID), 0);
}

static void test_editing_by_state(void **st)
{
	(void)st;
	for (int s = 0; s < WF_STATE_COUNT; s++) {
		assert_int_equal(wf_self_editable((wf_state)s), s == WF_DRAFT || s == WF_RETURNED);
		assert_int_equal(wf_external_editable((wf_state)s), s == WF_UNDER_EVALUATION);
		assert_int_equal(wf_council_editable((wf_state)s),
			s == WF_NOT_STARTED || s == WF_DRAFT || s == WF_RETURNED);
	}
	assert_false(wf_self_editable(WF_STATE_INVALID));
}

static void test_overdue(void **st)
{
	(void)st;
	wf_input in = good(WF_DRAFT, 0);
	in.today = 20240601;
	assert_true(wf_overdue(&in));
	in.state = WF_APPROVED;                     /* approved but never sent: still late */
	assert_true(wf_overdue(&in));
	in.state = WF_SUBMITTED;
	assert_false(wf_overdue(&in));
	in.state = WF_RETURNED;
	assert_true(wf_overdue(&in));
	in.extended_until = 20240605;
	assert_false(wf_overdue(&in));
	in.state = WF_NOT_STARTED;
	in.today = 20240606;
	assert_true(wf_overdue(&in));
	in.deadline = 0;
	assert_false(wf_overdue(&in));
}

static void test_codes_and_labels(void **st)
{
	(void)st;
	static const char *labels[WF_STATE_COUNT] = {
		"Chưa bắt đầu", "Bản nháp", "Đã tự đánh giá", "Đã phê duyệt", "Đã gửi",
		"Bị trả lại để bổ sung", "Đang đánh giá ngoài", "Đã đánh giá ngoài",
		"Đã công nhận", "Đã công bố",
	};
	for (int s = 0; s < WF_STATE_COUNT; s++) {
		assert_int_equal(wf_state_parse(wf_state_code((wf_state)s)), s);
		assert_string_equal(wf_state_label((wf_state)s), labels[s]);
	}
	assert_int_equal(wf_state_parse("self_assessed"), WF_SELF_ASSESSED);
	assert_int_equal(wf_state_parse("under_evaluation"), WF_UNDER_EVALUATION);
	assert_int_equal(wf_state_parse("Draft"), WF_STATE_INVALID);
	assert_int_equal(wf_state_parse(""), WF_STATE_INVALID);
	assert_int_equal(wf_state_parse(NULL), WF_STATE_INVALID);
	assert_string_equal(wf_state_code(WF_STATE_INVALID), "");
	assert_string_equal(wf_state_label(WF_STATE_COUNT), "");

	for (int a = 0; a < WF_ACTION_COUNT; a++) {
		assert_int_equal(wf_action_parse(wf_action_code((wf_action)a)), a);
		assert_true(strlen(wf_action_label((wf_action)a)) > 3);
	}
	assert_int_equal(wf_action_parse("return_for_supplement"), WF_RETURN);
	assert_int_equal(wf_action_parse("withdraw_approval"), WF_WITHDRAW_APPROVAL);
	assert_int_equal(wf_action_parse("resubmit"), WF_ACTION_INVALID);
	assert_int_equal(wf_action_parse(NULL), WF_ACTION_INVALID);
	assert_string_equal(wf_action_code(WF_ACTION_INVALID), "");

	for (int r = 0; r < WF_REFUSAL_COUNT; r++) assert_true(strlen(wf_refusal_code((wf_refusal)r)) > 0);
	assert_string_equal(wf_refusal_code(WF_REFUSED_ROLE), "role");
	assert_string_equal(wf_refusal_code(WF_REFUSAL_COUNT), "");
}

static void test_date_valid(void **st)
{
	(void)st;
	assert_true(wf_date_valid(20240229));
	assert_false(wf_date_valid(20230229));
	assert_false(wf_date_valid(20241301));
	assert_false(wf_date_valid(20240400 + 31));
	assert_false(wf_date_valid(0));
	assert_false(wf_date_valid(-20240101));
}

/* The office's report to its superior: sent, returned with a reason,
 * sent again, acknowledged; each by its side only; late while unsent. */
static void test_report_to_superior(void **st)
{
	(void)st;
	wf_result r;
	wf_report_input in = { .state = WF_REPORT_DRAFT, .actor = WF_REPORT_BY_SENDER, .narrative = "Đã hoàn thành" };
	assert_int_equal(wf_report_check(&in, WF_REPORT_SEND, &r), WF_REPORT_SENT);
	assert_true(r.ok);
	/* no text, no report */
	in.narrative = "  ";
	assert_int_equal(wf_report_check(&in, WF_REPORT_SEND, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_REASON);
	in.narrative = "Đã hoàn thành";
	/* the sender cannot acknowledge its own report; the superior cannot send it */
	in.state = WF_REPORT_SENT;
	assert_int_equal(wf_report_check(&in, WF_REPORT_ACKNOWLEDGE, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);
	wf_report_input sup = { .state = WF_REPORT_DRAFT, .actor = WF_REPORT_BY_SUPERIOR, .narrative = "x" };
	assert_int_equal(wf_report_check(&sup, WF_REPORT_SEND, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);
	/* a draft is not the superior's to judge */
	assert_int_equal(wf_report_check(&sup, WF_REPORT_ACKNOWLEDGE, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_STATE);
	/* returned only with a reason */
	sup.state = WF_REPORT_SENT;
	assert_int_equal(wf_report_check(&sup, WF_REPORT_RETURN, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_REASON);
	sup.reason = "Thiếu số liệu trường mầm non";
	assert_int_equal(wf_report_check(&sup, WF_REPORT_RETURN, &r), WF_REPORT_RETURNED);
	/* sent again, then acknowledged; nothing after that */
	in.state = WF_REPORT_RETURNED;
	assert_int_equal(wf_report_check(&in, WF_REPORT_SEND, &r), WF_REPORT_SENT);
	assert_int_equal(wf_report_check(&sup, WF_REPORT_ACKNOWLEDGE, &r), WF_REPORT_ACKNOWLEDGED);
	sup.state = WF_REPORT_ACKNOWLEDGED;
	assert_int_equal(wf_report_check(&sup, WF_REPORT_RETURN, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_STATE);
	in.state = WF_REPORT_ACKNOWLEDGED;
	assert_int_equal(wf_report_check(&in, WF_REPORT_SEND, &r), -1);
	assert_int_equal(wf_report_check(&in, (wf_report_action)7, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ACTION);
	/* late: unsent or returned after the deadline, not once sent */
	assert_true(wf_report_overdue(WF_REPORT_DRAFT, 20250611, 20250610));
	assert_true(wf_report_overdue(WF_REPORT_RETURNED, 20250611, 20250610));
	assert_false(wf_report_overdue(WF_REPORT_DRAFT, 20250610, 20250610));
	assert_false(wf_report_overdue(WF_REPORT_SENT, 20250611, 20250610));
	assert_false(wf_report_overdue(WF_REPORT_DRAFT, 20250611, 0));
	/* codes round-trip */
	for (int s = 0; s < WF_REPORT_STATE_COUNT; s++) {
		assert_int_equal(wf_report_state_parse(wf_report_state_code((wf_report_state)s)), s);
		assert_true(strlen(wf_report_state_label((wf_report_state)s)) > 3);
	}
	for (int a = 0; a < WF_REPORT_ACTION_COUNT; a++)
		assert_int_equal(wf_report_action_parse(wf_report_action_code((wf_report_action)a)), a);
	assert_int_equal(wf_report_state_parse("khong-co"), WF_REPORT_STATE_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph_every_action_every_state),
		cmocka_unit_test(test_who_may_take_each_transition),
		cmocka_unit_test(test_role_refusal_message),
		cmocka_unit_test(test_preconditions_table),
		cmocka_unit_test(test_closed_round_blocks_everything),
		cmocka_unit_test(test_deadline_edges),
		cmocka_unit_test(test_return_with_new_deadline_after_due),
		cmocka_unit_test(test_happy_path),
		cmocka_unit_test(test_return_and_resubmit),
		cmocka_unit_test(test_submit_refused_after_approval_withdrawn),
		cmocka_unit_test(test_generic_state_message),
		cmocka_unit_test(test_invalid_action),
		cmocka_unit_test(test_editing_by_state),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_codes_and_labels),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_report_to_superior),
		cmocka_unit_test(test_school_publishes_own_result),
		cmocka_unit_test(test_self_publication),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
