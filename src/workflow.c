/* workflow.c — the assessment state machine: transitions, who may take
 * them, their preconditions and the Vietnamese refusals. Pure.
 *
 * The graph follows DOMAIN.md §3 and the seeds: the council consolidates,
 * the principal approves by decision (which locks the self-assessment) and
 * submits to the evaluating office, which either returns it for supplement
 * or evaluates it, then recognises the level by decision and publishes it.
 * A returned assessment is edited again and must be consolidated, approved
 * and submitted anew; withdrawing an approval puts it back to
 * self_assessed, so it cannot be submitted until approved again. The
 * office side can undo its own last step (reopen an evaluation, withdraw a
 * recognition, unpublish) with a reason, because decisions get corrected
 * and the alternative is someone editing the database by hand. */
#include "workflow.h"
#include "vn.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S(x) (1u << (x))
#define OFFICE (WF_BY_OFFICE_ADMIN | WF_BY_OFFICER)

static const struct {
	const char *code, *label;
} states[WF_STATE_COUNT] = {
	[WF_NOT_STARTED]      = {"not_started", "Chưa bắt đầu"},
	[WF_DRAFT]            = {"draft", "Bản nháp"},
	[WF_SELF_ASSESSED]    = {"self_assessed", "Đã tự đánh giá"},
	[WF_APPROVED]         = {"approved", "Đã phê duyệt"},
	[WF_SUBMITTED]        = {"submitted", "Đã gửi"},
	[WF_RETURNED]         = {"returned", "Bị trả lại để bổ sung"},
	[WF_UNDER_EVALUATION] = {"under_evaluation", "Đang đánh giá ngoài"},
	[WF_EVALUATED]        = {"evaluated", "Đã đánh giá ngoài"},
	[WF_RECOGNISED]       = {"recognised", "Đã công nhận"},
	[WF_PUBLISHED]        = {"published", "Đã công bố"},
};

static const char *const refusal_codes[WF_REFUSAL_COUNT] = {
	[WF_OK] = "ok",
	[WF_REFUSED_ACTION] = "action",
	[WF_REFUSED_ROLE] = "role",
	[WF_REFUSED_STATE] = "state",
	[WF_REFUSED_ROUND_CLOSED] = "round_closed",
	[WF_REFUSED_NO_COUNCIL] = "no_council",
	[WF_REFUSED_UNANSWERED] = "unanswered",
	[WF_REFUSED_DEADLINE] = "deadline",
	[WF_REFUSED_REASON] = "reason",
	[WF_REFUSED_NEW_DEADLINE] = "new_deadline",
	[WF_REFUSED_NO_EVALUATORS] = "no_evaluators",
	[WF_REFUSED_UNSCORED] = "unscored",
	[WF_REFUSED_UNEXPLAINED] = "unexplained",
	[WF_REFUSED_DECISION] = "decision",
	[WF_REFUSED_DATE] = "date",
	[WF_REFUSED_PUBLISHER] = "publisher",
};

typedef bool precondition(const wf_input *in, const char *verb, wf_result *out);
static precondition pre_none, pre_consolidate, pre_approve, pre_submit, pre_reason,
	pre_return, pre_start_evaluation, pre_finish_evaluation, pre_recognise, pre_own_publication;

/* One row per action. `verb` completes "Chưa thể …" / "Bạn không có quyền …";
 * `who_text` names the capacities of `who` for the refusal message; `early`
 * are states from which the action is merely premature, explained by
 * `early_text` instead of the generic state message. */
#define OFFICE_TEXT "cán bộ của cơ quan đánh giá đơn vị"
#define TEAM_TEXT OFFICE_TEXT " hoặc trưởng đoàn đánh giá ngoài"
#define COUNCIL_TEXT "chủ tịch hoặc thư ký hội đồng tự đánh giá"
#define HEAD_TEXT "thủ trưởng đơn vị"
/* Every state before the office receives the assessment. */
#define AT_SCHOOL (S(WF_NOT_STARTED) | S(WF_DRAFT) | S(WF_SELF_ASSESSED) | S(WF_APPROVED) | \
		   S(WF_RETURNED))

static const struct transition {
	const char *code, *label, *verb, *who_text, *early_text;
	precondition *pre;
	unsigned from, who, early;
	wf_state to;
} transitions[WF_ACTION_COUNT] = {
	[WF_START] = {
		.code = "start", .label = "Bắt đầu tự đánh giá", .verb = "bắt đầu tự đánh giá",
		.from = S(WF_NOT_STARTED), .to = WF_DRAFT,
		.who = WF_BY_PRINCIPAL, .who_text = HEAD_TEXT, .pre = pre_none},
	[WF_CONSOLIDATE] = {
		.code = "consolidate", .label = "Tổng hợp kết quả tự đánh giá",
		.verb = "tổng hợp kết quả tự đánh giá",
		.from = S(WF_DRAFT) | S(WF_RETURNED), .to = WF_SELF_ASSESSED,
		.who = WF_BY_PRINCIPAL | WF_BY_COUNCIL_SECRETARY, .who_text = COUNCIL_TEXT,
		.pre = pre_consolidate,
		.early = S(WF_NOT_STARTED), .early_text = "chưa bắt đầu tự đánh giá"},
	[WF_REOPEN] = {
		.code = "reopen", .label = "Mở lại để chỉnh sửa", .verb = "mở lại để chỉnh sửa",
		.from = S(WF_SELF_ASSESSED), .to = WF_DRAFT,
		.who = WF_BY_PRINCIPAL | WF_BY_COUNCIL_SECRETARY, .who_text = COUNCIL_TEXT,
		.pre = pre_none},
	[WF_APPROVE] = {
		.code = "approve", .label = "Phê duyệt kết quả tự đánh giá", .verb = "phê duyệt",
		.from = S(WF_SELF_ASSESSED), .to = WF_APPROVED,
		.who = WF_BY_PRINCIPAL, .who_text = HEAD_TEXT, .pre = pre_approve,
		.early = S(WF_NOT_STARTED) | S(WF_DRAFT) | S(WF_RETURNED),
		.early_text = "hội đồng chưa tổng hợp kết quả tự đánh giá"},
	[WF_WITHDRAW_APPROVAL] = {
		.code = "withdraw_approval", .label = "Thu hồi phê duyệt",
		.verb = "thu hồi phê duyệt",
		.from = S(WF_APPROVED), .to = WF_SELF_ASSESSED,
		.who = WF_BY_PRINCIPAL, .who_text = HEAD_TEXT, .pre = pre_reason},
	[WF_SUBMIT] = {
		.code = "submit", .label = "Gửi đề nghị đánh giá ngoài", .verb = "gửi hồ sơ",
		.from = S(WF_APPROVED), .to = WF_SUBMITTED,
		.who = WF_BY_PRINCIPAL, .who_text = HEAD_TEXT, .pre = pre_submit,
		.early = AT_SCHOOL & ~S(WF_APPROVED),
		.early_text = "kết quả tự đánh giá chưa được thủ trưởng đơn vị phê duyệt"},
	[WF_RETURN] = {
		.code = "return_for_supplement", .label = "Trả lại để bổ sung",
		.verb = "trả lại để bổ sung",
		.from = S(WF_SUBMITTED) | S(WF_UNDER_EVALUATION), .to = WF_RETURNED,
		.who = OFFICE, .who_text = OFFICE_TEXT, .pre = pre_return},
	[WF_START_EVALUATION] = {
		.code = "start_evaluation", .label = "Bắt đầu đánh giá ngoài",
		.verb = "bắt đầu đánh giá ngoài",
		.from = S(WF_SUBMITTED), .to = WF_UNDER_EVALUATION,
		.who = OFFICE | WF_BY_TEAM_HEAD, .who_text = TEAM_TEXT,
		.pre = pre_start_evaluation,
		.early = AT_SCHOOL, .early_text = "đơn vị chưa gửi hồ sơ"},
	[WF_FINISH_EVALUATION] = {
		.code = "finish_evaluation", .label = "Hoàn thành đánh giá ngoài",
		.verb = "hoàn thành đánh giá ngoài",
		.from = S(WF_UNDER_EVALUATION), .to = WF_EVALUATED,
		.who = OFFICE | WF_BY_TEAM_HEAD, .who_text = TEAM_TEXT,
		.pre = pre_finish_evaluation},
	[WF_REOPEN_EVALUATION] = {
		.code = "reopen_evaluation", .label = "Mở lại đánh giá ngoài",
		.verb = "mở lại đánh giá ngoài",
		.from = S(WF_EVALUATED), .to = WF_UNDER_EVALUATION,
		.who = OFFICE | WF_BY_TEAM_HEAD, .who_text = TEAM_TEXT, .pre = pre_none},
	[WF_RECOGNISE] = {
		.code = "recognise", .label = "Công nhận mức độ chuyển đổi số", .verb = "công nhận",
		.from = S(WF_EVALUATED), .to = WF_RECOGNISED,
		.who = OFFICE, .who_text = OFFICE_TEXT, .pre = pre_recognise,
		.early = AT_SCHOOL | S(WF_SUBMITTED) | S(WF_UNDER_EVALUATION),
		.early_text = "chưa hoàn thành đánh giá ngoài"},
	[WF_WITHDRAW_RECOGNITION] = {
		.code = "withdraw_recognition", .label = "Thu hồi công nhận",
		.verb = "thu hồi công nhận",
		.from = S(WF_RECOGNISED), .to = WF_EVALUATED,
		.who = OFFICE, .who_text = OFFICE_TEXT, .pre = pre_reason},
	[WF_PUBLISH] = {
		.code = "publish", .label = "Công bố kết quả", .verb = "công bố kết quả",
		.from = S(WF_RECOGNISED), .to = WF_PUBLISHED,
		.who = OFFICE, .who_text = OFFICE_TEXT, .pre = pre_none,
		.early = AT_SCHOOL | S(WF_SUBMITTED) | S(WF_UNDER_EVALUATION) | S(WF_EVALUATED),
		.early_text = "mức độ chuyển đổi số chưa được công nhận"},
	[WF_UNPUBLISH] = {
		.code = "unpublish", .label = "Gỡ công bố", .verb = "gỡ công bố",
		.from = S(WF_PUBLISHED), .to = WF_RECOGNISED,
		.who = OFFICE, .who_text = OFFICE_TEXT, .pre = pre_reason},
	/* The school publishes its own recognised result (issue 11): the
	 * same public snapshot as the office's publication. From recognised
	 * only, so never over a result the office already published. */
	[WF_PUBLISH_OWN] = {
		.code = "publish_own", .label = "Công khai kết quả đã được công nhận",
		.verb = "công khai kết quả",
		.from = S(WF_RECOGNISED), .to = WF_PUBLISHED,
		.who = WF_BY_PRINCIPAL, .who_text = HEAD_TEXT, .pre = pre_none,
		.early = AT_SCHOOL | S(WF_SUBMITTED) | S(WF_UNDER_EVALUATION) | S(WF_EVALUATED),
		.early_text = "mức độ chuyển đổi số của đơn vị chưa được cơ quan đánh giá công nhận"},
	[WF_UNPUBLISH_OWN] = {
		.code = "unpublish_own", .label = "Thu hồi công khai kết quả",
		.verb = "thu hồi công khai kết quả",
		.from = S(WF_PUBLISHED), .to = WF_RECOGNISED,
		.who = WF_BY_PRINCIPAL, .who_text = HEAD_TEXT, .pre = pre_own_publication},
};

static bool action_valid(wf_action a) { return a >= 0 && a < WF_ACTION_COUNT; }
static bool state_valid(wf_state s) { return s >= 0 && s < WF_STATE_COUNT; }

/* The system administrator may take any transition (technical support on
 * behalf of a unit; the audit log records who did it). */
static unsigned who_mask(wf_action a) { return transitions[a].who | WF_BY_SYSTEM_ADMIN; }

__attribute__((format(printf, 3, 4)))
static bool refuse(wf_result *out, wf_refusal r, const char *fmt, ...)
{
	va_list ap;
	out->ok = false;
	out->next = WF_STATE_INVALID;
	out->refusal = r;
	va_start(ap, fmt);
	/* Bounded: every argument is a fixed label or a number; the tests
	 * check the longest message fits. */
	vsnprintf(out->message, sizeof out->message, fmt, ap);
	va_end(ap);
	return false;
}

/* "31/05/2024" into a caller buffer. */
static const char *ddmmyyyy(char b[static 32], int ymd)
{
	snprintf(b, 32, "%02d/%02d/%04d", ymd % 100, ymd / 100 % 100, ymd / 10000);
	return b;
}

/* Blank = NULL, empty, or only spaces (ASCII whitespace and U+00A0). */
static bool blank(const char *s)
{
	if (!s) return true;
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
		    *s == '\v')
			s++;
		else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
			s += 2;
		else
			return false;
	}
	return true;
}

bool wf_date_valid(int ymd)
{
	return ymd > 0 && vn_date_valid(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static bool need_today(const wf_input *in, const char *verb, wf_result *out)
{
	if (wf_date_valid(in->today)) return true;
	return refuse(out, WF_REFUSED_DATE, "Chưa thể %s: thiếu ngày hiện tại.", verb);
}

static bool pre_none(const wf_input *in, const char *verb, wf_result *out)
{
	(void)in, (void)verb, (void)out;
	return true;
}

static bool no_unanswered(const wf_input *in, const char *verb, wf_result *out)
{
	if (in->unanswered_required <= 0) return true;
	return refuse(out, WF_REFUSED_UNANSWERED,
		"Chưa thể %s: còn %d chỉ tiêu bắt buộc chưa đánh giá.",
		verb, in->unanswered_required);
}

static bool pre_consolidate(const wf_input *in, const char *verb, wf_result *out)
{
	if (!in->council_formed)
		return refuse(out, WF_REFUSED_NO_COUNCIL,
			"Chưa thể %s: chưa thành lập hội đồng tự đánh giá.", verb);
	return no_unanswered(in, verb, out);
}

/* Consolidation already required every mandatory item, but approval is the
 * legal act that locks the result, so it checks again: answers or the
 * framework's mandatory set may have changed underneath. */
static bool pre_approve(const wf_input *in, const char *verb, wf_result *out)
{
	return no_unanswered(in, verb, out);
}

int wf_effective_deadline(const wf_input *in)
{
	if (in->deadline <= 0) return 0;
	return in->extended_until > in->deadline ? in->extended_until : in->deadline;
}

static bool pre_submit(const wf_input *in, const char *verb, wf_result *out)
{
	int due = wf_effective_deadline(in);
	char b[32];
	if (!due) return true;
	if (!need_today(in, verb, out)) return false;
	if (in->today <= due) return true;
	if (due != in->deadline)
		return refuse(out, WF_REFUSED_DEADLINE,
			"Chưa thể %s: đã quá hạn nộp được gia hạn (%s).", verb, ddmmyyyy(b, due));
	return refuse(out, WF_REFUSED_DEADLINE,
		"Chưa thể %s: đã quá hạn nộp (%s) và đơn vị chưa được gia hạn.",
		verb, ddmmyyyy(b, due));
}

static bool pre_reason(const wf_input *in, const char *verb, wf_result *out)
{
	if (!blank(in->reason)) return true;
	return refuse(out, WF_REFUSED_REASON, "Chưa thể %s: cần ghi rõ lý do.", verb);
}

/* A return needs reasons. If the school's deadline has already passed, it
 * also needs a new deadline — otherwise the school could never resubmit.
 * The store records the new deadline as the unit's extension. */
static bool pre_return(const wf_input *in, const char *verb, wf_result *out)
{
	int due = wf_effective_deadline(in);
	char b[32];
	if (!pre_reason(in, verb, out)) return false;
	if (in->new_deadline) {
		if (!need_today(in, verb, out)) return false;
		if (!wf_date_valid(in->new_deadline))
			return refuse(out, WF_REFUSED_NEW_DEADLINE,
				"Chưa thể %s: hạn nộp bổ sung không phải là ngày hợp lệ.", verb);
		if (in->new_deadline < in->today)
			return refuse(out, WF_REFUSED_NEW_DEADLINE,
				"Chưa thể %s: hạn nộp bổ sung (%s) đã qua.", verb,
				ddmmyyyy(b, in->new_deadline));
		return true;
	}
	if (!due) return true;
	if (!need_today(in, verb, out)) return false;
	if (in->today <= due) return true;
	return refuse(out, WF_REFUSED_NEW_DEADLINE,
		"Chưa thể %s: hạn nộp (%s) đã qua, cần đặt hạn nộp bổ sung mới.", verb,
		ddmmyyyy(b, due));
}

static bool pre_start_evaluation(const wf_input *in, const char *verb, wf_result *out)
{
	if (in->evaluators_assigned > 0) return true;
	return refuse(out, WF_REFUSED_NO_EVALUATORS,
		"Chưa thể %s: chưa phân công thành viên đoàn đánh giá ngoài cho đơn vị.",
		verb);
}

static bool pre_finish_evaluation(const wf_input *in, const char *verb, wf_result *out)
{
	if (in->external_unscored > 0)
		return refuse(out, WF_REFUSED_UNSCORED,
			"Chưa thể %s: còn %d chỉ tiêu đoàn đánh giá chưa chấm điểm.",
			verb, in->external_unscored);
	if (in->differences_unexplained > 0)
		return refuse(out, WF_REFUSED_UNEXPLAINED,
			"Chưa thể %s: còn %d chỉ tiêu có điểm khác kết quả tự đánh giá "
			"nhưng chưa ghi lý do.", verb, in->differences_unexplained);
	return true;
}

static bool pre_recognise(const wf_input *in, const char *verb, wf_result *out)
{
	bool no_num = blank(in->decision_number), no_date = in->decision_date == 0;
	bool no_signer = blank(in->decision_signer);
	char b[32];
	if (no_num || no_date || no_signer) {
		const char *parts[3];
		int n = 0;
		if (no_num) parts[n++] = "số quyết định";
		if (no_date) parts[n++] = "ngày ký";
		if (no_signer) parts[n++] = "người ký";
		return refuse(out, WF_REFUSED_DECISION,
			"Chưa thể %s: quyết định công nhận còn thiếu %s%s%s%s%s.", verb,
			parts[0], n > 1 ? ", " : "", n > 1 ? parts[1] : "",
			n > 2 ? ", " : "", n > 2 ? parts[2] : "");
	}
	if (!wf_date_valid(in->decision_date))
		return refuse(out, WF_REFUSED_DECISION,
			"Chưa thể %s: ngày ký quyết định không phải là ngày hợp lệ.", verb);
	if (!need_today(in, verb, out)) return false;
	if (in->decision_date > in->today)
		return refuse(out, WF_REFUSED_DECISION,
			"Chưa thể %s: ngày ký quyết định (%s) sau ngày hôm nay.", verb,
			ddmmyyyy(b, in->decision_date));
	return true;
}

/* The school withdraws only what it published itself; the office's
 * publication is the office's to take down (unpublish, with a reason). */
static bool pre_own_publication(const wf_input *in, const char *verb, wf_result *out)
{
	if (in->published_by_school) return true;
	return refuse(out, WF_REFUSED_PUBLISHER,
		"Chưa thể %s: kết quả do cơ quan đánh giá công bố, chỉ cơ quan mới được gỡ công bố.", verb);
}

int wf_check(const wf_input *in, wf_action a, wf_result *out)
{
	const struct transition *t;
	out->message[0] = '\0';
	if (!action_valid(a)) {
		refuse(out, WF_REFUSED_ACTION, "Thao tác không hợp lệ.");
		return -1;
	}
	t = &transitions[a];
	if (!(in->actor & who_mask(a))) {
		refuse(out, WF_REFUSED_ROLE, "Bạn không có quyền %s: chỉ %s được thực hiện.",
			t->verb, t->who_text);
		return -1;
	}
	if (!state_valid(in->state) || !(t->from & S(in->state))) {
		if (state_valid(in->state) && (t->early & S(in->state)))
			refuse(out, WF_REFUSED_STATE, "Chưa thể %s: %s.", t->verb, t->early_text);
		else
			refuse(out, WF_REFUSED_STATE,
				"Không thể %s khi hồ sơ đang ở trạng thái “%s”.", t->verb,
				state_valid(in->state) ? states[in->state].label : "không xác định");
		return -1;
	}
	if (in->round_closed) {
		refuse(out, WF_REFUSED_ROUND_CLOSED, "Không thể %s: đợt đánh giá đã kết thúc.",
			t->verb);
		return -1;
	}
	if (!t->pre(in, t->verb, out)) return -1;
	out->ok = true;
	out->next = t->to;
	out->refusal = WF_OK;
	out->message[0] = '\0';
	return (int)t->to;
}

bool wf_offered(const wf_input *in, wf_action a)
{
	return action_valid(a) && state_valid(in->state) && (in->actor & who_mask(a)) &&
	       (transitions[a].from & S(in->state));
}

#define SELF_PUBLISHABLE (S(WF_APPROVED) | S(WF_SUBMITTED) | S(WF_UNDER_EVALUATION) | S(WF_EVALUATED))

int wf_self_publication_check(const wf_input *in, bool publish, wf_result *out)
{
	const char *verb = publish ? "công khai kết quả tự đánh giá" : "thu hồi công khai kết quả tự đánh giá";
	out->message[0] = '\0';
	if (!(in->actor & (WF_BY_PRINCIPAL | WF_BY_SYSTEM_ADMIN))) {
		refuse(out, WF_REFUSED_ROLE, "Bạn không có quyền %s: chỉ %s được thực hiện.", verb, HEAD_TEXT);
		return -1;
	}
	if (in->round_closed) {
		refuse(out, WF_REFUSED_ROUND_CLOSED, "Không thể %s: đợt đánh giá đã kết thúc.", verb);
		return -1;
	}
	if (!publish) {
		if (in->self_published) goto ok;
		refuse(out, WF_REFUSED_PUBLISHER, "Chưa thể %s: đơn vị chưa công khai kết quả tự đánh giá.", verb);
		return -1;
	}
	if (!state_valid(in->state) || !(SELF_PUBLISHABLE & S(in->state))) {
		if (state_valid(in->state) && (AT_SCHOOL & S(in->state)))
			refuse(out, WF_REFUSED_STATE, "Chưa thể %s: kết quả tự đánh giá chưa được thủ trưởng đơn vị phê duyệt.", verb);
		else
			refuse(out, WF_REFUSED_STATE, "Không thể %s khi hồ sơ đang ở trạng thái “%s”: kết quả đã được công nhận.", verb,
			       state_valid(in->state) ? states[in->state].label : "không xác định");
		return -1;
	}
ok:
	out->ok = true;
	out->next = in->state;
	out->refusal = WF_OK;
	return 0;
}

unsigned wf_action_from(wf_action a) { return action_valid(a) ? transitions[a].from : 0; }
wf_state wf_action_to(wf_action a) { return action_valid(a) ? transitions[a].to : WF_STATE_INVALID; }
unsigned wf_action_who(wf_action a) { return action_valid(a) ? who_mask(a) : 0; }

bool wf_self_editable(wf_state s) { return s == WF_DRAFT || s == WF_RETURNED; }
bool wf_external_editable(wf_state s) { return s == WF_UNDER_EVALUATION; }
bool wf_council_editable(wf_state s)
{
	return s == WF_NOT_STARTED || s == WF_DRAFT || s == WF_RETURNED;
}

bool wf_overdue(const wf_input *in)
{
	int due = wf_effective_deadline(in);
	unsigned before = S(WF_NOT_STARTED) | S(WF_DRAFT) | S(WF_SELF_ASSESSED) |
	                  S(WF_APPROVED) | S(WF_RETURNED);
	return due && state_valid(in->state) && (before & S(in->state)) &&
	       wf_date_valid(in->today) && in->today > due;
}

wf_state wf_state_parse(const char *code)
{
	if (!code) return WF_STATE_INVALID;
	for (int i = 0; i < WF_STATE_COUNT; i++)
		if (strcmp(code, states[i].code) == 0) return (wf_state)i;
	return WF_STATE_INVALID;
}

const char *wf_state_code(wf_state s) { return state_valid(s) ? states[s].code : ""; }
const char *wf_state_label(wf_state s) { return state_valid(s) ? states[s].label : ""; }

wf_action wf_action_parse(const char *code)
{
	if (!code) return WF_ACTION_INVALID;
	for (int i = 0; i < WF_ACTION_COUNT; i++)
		if (strcmp(code, transitions[i].code) == 0) return (wf_action)i;
	return WF_ACTION_INVALID;
}

const char *wf_action_code(wf_action a) { return action_valid(a) ? transitions[a].code : ""; }
const char *wf_action_label(wf_action a) { return action_valid(a) ? transitions[a].label : ""; }

const char *wf_refusal_code(wf_refusal r)
{
	return r >= 0 && r < WF_REFUSAL_COUNT ? refusal_codes[r] : "";
}

/* ---- the office's report to its superior ------------------------------------------------ */

static const struct {
	const char *code, *label;
} report_states[WF_REPORT_STATE_COUNT] = {
	[WF_REPORT_DRAFT]        = {"draft", "Đang soạn"},
	[WF_REPORT_SENT]         = {"submitted", "Đã gửi"},
	[WF_REPORT_RETURNED]     = {"returned", "Bị trả lại"},
	[WF_REPORT_ACKNOWLEDGED] = {"acknowledged", "Đã tiếp nhận"},
};

static const struct {
	const char *code, *verb;
	unsigned from, who;
	wf_report_state to;
} report_transitions[WF_REPORT_ACTION_COUNT] = {
	[WF_REPORT_SEND] = { .code = "send", .verb = "gửi báo cáo", .from = S(WF_REPORT_DRAFT) | S(WF_REPORT_RETURNED),
	                     .who = WF_REPORT_BY_SENDER, .to = WF_REPORT_SENT },
	[WF_REPORT_RETURN] = { .code = "return", .verb = "trả lại báo cáo", .from = S(WF_REPORT_SENT),
	                       .who = WF_REPORT_BY_SUPERIOR, .to = WF_REPORT_RETURNED },
	[WF_REPORT_ACKNOWLEDGE] = { .code = "acknowledge", .verb = "tiếp nhận báo cáo", .from = S(WF_REPORT_SENT),
	                            .who = WF_REPORT_BY_SUPERIOR, .to = WF_REPORT_ACKNOWLEDGED },
};

static bool report_state_valid(wf_report_state s) { return s >= 0 && s < WF_REPORT_STATE_COUNT; }

int wf_report_check(const wf_report_input *in, wf_report_action a, wf_result *out)
{
	memset(out, 0, sizeof *out);
	if (a < 0 || a >= WF_REPORT_ACTION_COUNT) {
		refuse(out, WF_REFUSED_ACTION, "Thao tác không hợp lệ.");
		return -1;
	}
	const char *verb = report_transitions[a].verb;
	if (!(in->actor & report_transitions[a].who)) {
		refuse(out, WF_REFUSED_ROLE, a == WF_REPORT_SEND
			? "Chỉ cơ quan lập báo cáo mới được %s."
			: "Chỉ cơ quan cấp trên nhận báo cáo mới được %s.", verb);
		return -1;
	}
	if (!report_state_valid(in->state) || !(report_transitions[a].from & S(in->state))) {
		refuse(out, WF_REFUSED_STATE, "Không thể %s khi báo cáo đang ở trạng thái \"%s\".", verb,
			report_state_valid(in->state) ? report_states[in->state].label : "?");
		return -1;
	}
	if (a == WF_REPORT_RETURN && blank(in->reason)) {
		refuse(out, WF_REFUSED_REASON, "Cần ghi lý do khi %s.", verb);
		return -1;
	}
	if (a == WF_REPORT_SEND && blank(in->narrative)) {
		refuse(out, WF_REFUSED_REASON, "Chưa thể %s: báo cáo chưa có nội dung đánh giá chung.", verb);
		return -1;
	}
	out->ok = true;
	out->refusal = WF_OK;
	return report_transitions[a].to;
}

bool wf_report_overdue(wf_report_state s, int today, int due)
{
	return due && today > due && (s == WF_REPORT_DRAFT || s == WF_REPORT_RETURNED);
}

bool wf_report_awaited(wf_report_state s)
{
	return s == WF_REPORT_DRAFT || s == WF_REPORT_RETURNED;
}

wf_report_state wf_report_state_parse(const char *code)
{
	if (!code) return WF_REPORT_STATE_INVALID;
	for (int i = 0; i < WF_REPORT_STATE_COUNT; i++)
		if (strcmp(code, report_states[i].code) == 0) return (wf_report_state)i;
	return WF_REPORT_STATE_INVALID;
}

const char *wf_report_state_code(wf_report_state s) { return report_state_valid(s) ? report_states[s].code : ""; }
const char *wf_report_state_label(wf_report_state s) { return report_state_valid(s) ? report_states[s].label : ""; }

wf_report_action wf_report_action_parse(const char *code)
{
	if (!code) return WF_REPORT_ACTION_INVALID;
	for (int i = 0; i < WF_REPORT_ACTION_COUNT; i++)
		if (strcmp(code, report_transitions[i].code) == 0) return (wf_report_action)i;
	return WF_REPORT_ACTION_INVALID;
}

const char *wf_report_action_code(wf_report_action a)
{
	return a >= 0 && a < WF_REPORT_ACTION_COUNT ? report_transitions[a].code : "";
}
