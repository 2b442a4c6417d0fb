/* assess.c — the assessment service (assess.h): scoring stored answers and
 * applying a workflow action in one write transaction. No HTTP; SQL only
 * through the store (q_*.h). */
#include "assess.h"
#include "vn.h"
#include "answers.h"
#include "q_publish.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int (*assess_fault_hook)(db *d, int64_t assessment_id, wf_action a);

/* ---- dates ----------------------------------------------------------------- */

int assess_ymd(const char *iso)
{
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
	return y * 10000 + m * 100 + d;
}

int assess_today(void)
{
	return vn_today_ymd();
}

/* ---- scoring stored answers -------------------------------------------------- */

unit_policy assess_policy(const char *code)
{
	unit_policy p = POLICY_MIN;
	if (code && !unit_policy_parse(code, &p)) p = POLICY_MIN;
	return p;
}

void assess_sheet_init(assess_sheet *s, const framework *fw, unit_type t, arena *a)
{
	memset(s, 0, sizeof *s);
	s->fw = fw;
	s->type = t;
	s->a = a;
	s->sheet.answers = arena_alloc(a, (fw->nleaves + 1) * sizeof *s->sheet.answers);
}

bool assess_sheet_put(assess_sheet *s, const fw_node *leaf, const char *value_json, buf *err)
{
	if (!leaf || !leaf->rule) return false;
	answer *out = &s->sheet.answers[leaf->leaf_index];
	buf scratch;
	buf_init(&scratch);
	bool ok = answers_parse_one(s->fw, s->type, leaf, value_json, s->a, out, err ? err : &scratch);
	buf_free(&scratch);
	if (!ok) {
		memset(out, 0, sizeof *out);   /* a bad stored value counts as unanswered */
		s->bad++;
	}
	return ok;
}

bool assess_sheet_put_code(assess_sheet *s, const char *item_code, const char *value_json, buf *err)
{
	return assess_sheet_put(s, framework_find(s->fw, item_code), value_json, err);
}

int assess_sheet_load(db *d, assess_sheet *s, int64_t id, answer_side side, assessment_answer ***stored,
                      buf *err)
{
	assessment_answer *ans = NULL;
	size_t n = 0;
	assessment_answer **by_leaf = arena_alloc(s->a, (s->fw->nleaves + 1) * sizeof *by_leaf);
	if (stored) *stored = by_leaf;
	int rc = assessment_answers(d, id, side, s->a, &ans, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		const fw_node *leaf = framework_find(s->fw, ans[i].item_code);
		if (!leaf || !leaf->rule) continue;
		by_leaf[leaf->leaf_index] = &ans[i];
		assess_sheet_put(s, leaf, ans[i].value_json, err);
	}
	return rc;
}

score_result *assess_sheet_score(const assess_sheet *s, unit_policy policy, buf *err)
{
	buf scratch;
	buf_init(&scratch);
	score_result *r = score_compute(s->fw, s->type, policy, &s->sheet, err ? err : &scratch);
	buf_free(&scratch);
	return r;
}

int assess_score(db *d, const fw_catalog *cat, const assessment *as, const char *type_code,
                 const char *policy, answer_side side, int *level, score_result **result, buf *err)
{
	*level = 0;
	if (result) *result = NULL;
	char key[160];
	snprintf(key, sizeof key, "%s@%s", as->framework_id, as->framework_revision);
	const framework *fw = fw_catalog_find(cat, key);
	if (!fw) {
		buf_printf(err, "không có bộ chỉ số %s bản %s trong thư mục bộ chỉ số\n", as->framework_id,
		           as->framework_revision);
		return DB_EINVAL;
	}
	unit_type t;
	const char *code = type_code ? type_code : "";
	if (!unit_type_parse(code, &t)) {
		buf_printf(err, "loại hình đơn vị không hợp lệ '%s'\n", code);
		return DB_EINVAL;
	}
	arena *a = arena_new();
	assess_sheet s;
	assess_sheet_init(&s, fw, t, a);
	int rc = assess_sheet_load(d, &s, as->id, side, NULL, err);
	if (rc != DB_OK) buf_printf(err, "%s\n", db_errmsg(d));
	else if (s.bad) rc = DB_EINVAL;
	score_result *r = rc == DB_OK ? assess_sheet_score(&s, assess_policy(policy), err) : NULL;
	if (rc == DB_OK && !r) rc = DB_EINVAL;
	if (r) {
		*level = r->level ? r->level->level : 0;
		if (result) *result = r;
		else score_free(r);
	}
	arena_free(a);
	return rc;
}

int assess_score_json(const framework *fw, const char *sheet_json, const char *policy, bool partial,
                      int *level, score_result **result, buf *err)
{
	*level = 0;
	if (result) *result = NULL;
	unit_policy pol = POLICY_MIN;
	if (policy && !unit_policy_parse(policy, &pol)) {
		buf_printf(err, "cách xếp mức không hợp lệ '%s'\n", policy);
		return DB_EINVAL;
	}
	arena *a = arena_new();
	answer_sheet sheet;
	unit_type t;
	answers_opts opts = { .partial = partial };
	int rc = DB_EINVAL;
	if (answers_parse(fw, sheet_json, strlen(sheet_json), fw->id, &opts, a, &sheet, &t, err)) {
		score_result *r = score_compute(fw, t, pol, &sheet, err);
		if (r) {
			*level = r->level ? r->level->level : 0;
			if (result) *result = r;
			else score_free(r);
			rc = DB_OK;
		}
	}
	arena_free(a);
	return rc;
}

/* ---- applying an action ------------------------------------------------------ */

int assess_refusal_status(assess_refusal r)
{
	switch (r) {
	case ASSESS_OK: return 200;
	case ASSESS_BAD_REQUEST: return 400;
	case ASSESS_FORBIDDEN: return 403;
	case ASSESS_NOT_FOUND: return 404;
	case ASSESS_CONFLICT: return 409;
	case ASSESS_UNMET: return 422;
	case ASSESS_FAILED:
	case ASSESS_REFUSAL_COUNT: break;
	}
	return 500;
}

const char *assess_refusal_message(assess_refusal r)
{
	switch (r) {
	case ASSESS_OK: return "";
	case ASSESS_BAD_REQUEST: return "Yêu cầu không hợp lệ.";
	case ASSESS_FORBIDDEN: return "Bạn không có quyền thực hiện thao tác này.";
	case ASSESS_NOT_FOUND: return "Không tìm thấy hồ sơ đánh giá này.";
	case ASSESS_CONFLICT: return "Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang.";
	case ASSESS_UNMET: return "Chưa đủ điều kiện để thực hiện thao tác này.";
	case ASSESS_FAILED:
	case ASSESS_REFUSAL_COUNT: break;
	}
	return "Không lưu được. Vui lòng thử lại.";
}

assess_refusal assess_refusal_of_authz(const authz_decision *why)
{
	if (!why || why->allow) return ASSESS_OK;
	return why->reason == AUTHZ_DENIED_STATE ? ASSESS_CONFLICT : ASSESS_FORBIDDEN;
}

bool assess_level_fixed(wf_action a, wf_state next, const score_result *score, assessment_level *which, int *level)
{
	int scored = score && score->level ? score->level->level : 0;
	*which = LEVEL_SELF;
	*level = 0;
	switch (a) {
	case WF_CONSOLIDATE:
	case WF_APPROVE:
	case WF_WITHDRAW_APPROVAL:
	case WF_SUBMIT:
		/* the steps that fix the self-assessment: its level as it stands
		 * (kept as stored when the answers give none yet) */
		if (next != WF_SELF_ASSESSED && next != WF_APPROVED && next != WF_SUBMITTED) return false;
		if (!scored) return false;
		*which = LEVEL_SELF;
		*level = scored;
		return true;
	case WF_FINISH_EVALUATION:
		/* the team's reconciled answers, for the recognition list */
		*which = LEVEL_EXTERNAL;
		*level = scored;
		return true;
	case WF_RECOGNISE:
		/* the external team's level, computed now by the engine */
		*which = LEVEL_RECOGNISED;
		*level = scored;
		return true;
	case WF_WITHDRAW_RECOGNITION:
		*which = LEVEL_RECOGNISED;
		return true;
	default:
		return false;
	}
}

static assess_refusal refuse(wf_result *res, assess_refusal r, const char *label, const char *msg)
{
	buf b;
	buf_init(&b);
	if (label) buf_printf(&b, "%s: ", label);
	buf_puts(&b, msg && *msg ? msg : assess_refusal_message(r));
	snprintf(res->message, sizeof res->message, "%s", buf_str(&b));
	buf_free(&b);
	res->ok = false;
	return r;
}

static assess_refusal from_workflow(const wf_result *r)
{
	switch (r->refusal) {
	case WF_OK: return ASSESS_OK;
	case WF_REFUSED_ACTION: return ASSESS_BAD_REQUEST;
	case WF_REFUSED_ROLE: return ASSESS_FORBIDDEN;
	case WF_REFUSED_STATE: return ASSESS_CONFLICT;
	default: return ASSESS_UNMET;
	}
}

/* The workflow check of one target: its facts with this request's actor,
 * reason, deadline and decision. */
static int check(const assess_request *rq, const assess_target *t, wf_result *res)
{
	wf_input in = t->facts;
	if (t->az) in.actor = authz_capacities(t->az);
	in.reason = rq->reason;
	in.new_deadline = rq->new_deadline ? assess_ymd(rq->new_deadline) : 0;
	if (rq->new_deadline && !in.new_deadline) in.new_deadline = -1;   /* present but not a date: refused */
	if (rq->decision) {
		in.decision_number = rq->decision->number;
		in.decision_date = assess_ymd(rq->decision->date);
		in.decision_signer = rq->decision->signer;
	}
	return wf_check(&in, rq->action, res);
}

/* What the action records for one target beside its level: the
 * transition, and what the action carries. Inside the transaction. */
static int record(db *d, const assess_request *rq, const assess_target *t, wf_state next, int64_t decision_id,
                  int level)
{
	const char *from = wf_state_code(t->facts.state), *to = wf_state_code(next);
	const char *reason = rq->reason && *rq->reason ? rq->reason : NULL;
	int64_t actor = rq->account_id;
	int rc;
	switch (rq->action) {
	case WF_SUBMIT:   /* with its seal, when the caller seals (issue 17) */
		rc = submission_send(d, actor, t->id, from, to, rq->letter, t->summary_json, NULL);
		return rc || !t->seal ? rc : t->seal(d, t->seal_ctx, t->id);
	case WF_RETURN:   /* the self-assessment reopens: what the school made public of it is withdrawn */
		rc = submission_return(d, actor, t->id, from, to, reason, rq->new_deadline, rq->items, rq->nitems, NULL);
		return rc ? rc : school_self_published_set(d, actor, t->id, NULL);
	case WF_WITHDRAW_APPROVAL:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : school_self_published_set(d, actor, t->id, NULL);
	case WF_RECOGNISE:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : office_recognition_link(d, actor, t->id, decision_id, level);
	case WF_WITHDRAW_RECOGNITION:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : office_recognition_link(d, actor, t->id, 0, 0);
	case WF_PUBLISH:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : office_published_set(d, actor, t->id, t->result_json);
	case WF_UNPUBLISH:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : office_published_set(d, actor, t->id, NULL);
	case WF_PUBLISH_OWN:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : school_published_set(d, actor, t->id, t->result_json);
	case WF_UNPUBLISH_OWN:
		rc = assessment_transition(d, actor, t->id, from, to, reason, NULL);
		return rc ? rc : school_published_set(d, actor, t->id, NULL);
	default:
		return assessment_transition(d, actor, t->id, from, to, reason, NULL);
	}
}

static int apply_one(db *d, const assess_request *rq, const assess_target *t, wf_state next, int64_t decision_id)
{
	assessment_level which;
	int level;
	bool fixes = assess_level_fixed(rq->action, next, t->score, &which, &level);
	int rc = record(d, rq, t, next, decision_id, level);
	if (rc == DB_OK && assess_fault_hook && assess_fault_hook(d, t->id, rq->action))
		rc = db_fail(d, DB_ERROR, "lỗi giả lập (kiểm thử)");
	if (rc == DB_OK && fixes) rc = assessment_set_level(d, rq->account_id, t->id, assessment_level_code(which), level);
	return rc;
}

static assess_refusal from_store(db *d, int rc, wf_action a, wf_result *res)
{
	if (rc == DB_ECONFLICT)
		return refuse(res, ASSESS_CONFLICT, NULL, a == WF_RECOGNISE ? "Có hồ sơ vừa được người khác cập nhật. Hãy tải lại trang."
		                                                : "Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang.");
	if (rc == DB_EINVAL) return refuse(res, ASSESS_UNMET, NULL, db_errmsg(d));
	if (rc == DB_ENOTFOUND) return refuse(res, ASSESS_NOT_FOUND, NULL, db_errmsg(d));
	return refuse(res, ASSESS_FAILED, NULL, db_errmsg(d));
}

/* Recognition naming a level: the one the team's answers give, or refused. */
static bool level_named(const assess_request *rq, const assess_target *t, wf_result *res)
{
	int scored = t->score && t->score->level ? t->score->level->level : 0;
	if (rq->level == scored) return true;
	char msg[WF_MESSAGE_MAX];
	if (scored) snprintf(msg, sizeof msg, "Mức đề nghị công nhận (mức %d) khác mức tính từ kết quả đánh giá ngoài (mức %d).", rq->level, scored);
	else snprintf(msg, sizeof msg, "Kết quả đánh giá ngoài chưa đạt mức nào: không thể công nhận mức %d.", rq->level);
	res->refusal = WF_OK;
	refuse(res, ASSESS_UNMET, t->label, msg);
	return false;
}

assess_refusal assess_act(db *d, const assess_request *rq, const assess_target *t, size_t n, wf_result *res)
{
	memset(res, 0, sizeof *res);
	if ((int)rq->action < 0 || rq->action >= WF_ACTION_COUNT) {
		res->refusal = WF_REFUSED_ACTION;
		return refuse(res, ASSESS_BAD_REQUEST, NULL, "Thao tác không hợp lệ.");
	}
	if (n == 0) return refuse(res, ASSESS_UNMET, NULL, "Chưa chọn hồ sơ nào.");
	if (n > 1 && rq->action != WF_RECOGNISE) return refuse(res, ASSESS_BAD_REQUEST, NULL, "Thao tác không hợp lệ.");
	wf_state next = WF_STATE_INVALID;
	for (size_t i = 0; i < n; i++) {
		if (check(rq, &t[i], res) < 0) {
			char msg[WF_MESSAGE_MAX];
			snprintf(msg, sizeof msg, "%s", res->message);
			return refuse(res, from_workflow(res), t[i].label, msg);
		}
		next = res->next;
		if (rq->action == WF_RECOGNISE && rq->level && !level_named(rq, &t[i], res))
			return ASSESS_UNMET;
		/* no snapshot: the team's answers give no score to publish — a
		 * precondition the caller can meet (422), not a store failure */
		if ((rq->action == WF_PUBLISH || rq->action == WF_PUBLISH_OWN) && !t[i].result_json)
			return refuse(res, ASSESS_UNMET, t[i].label,
			              "Chưa thể công bố kết quả: chưa tính được điểm đánh giá ngoài (đoàn đánh giá chưa chấm đủ các chỉ tiêu).");
	}
	int rc = db_begin_write(d);
	int64_t decision_id = 0;
	if (rc == DB_OK && rq->action == WF_RECOGNISE)
		rc = office_recognition_decision(d, rq->account_id, rq->issuer, rq->decision, &decision_id);
	for (size_t i = 0; rc == DB_OK && i < n; i++) rc = apply_one(d, rq, &t[i], next, decision_id);
	if (rc == DB_OK) rc = db_commit(d);
	else if (db_tx_depth(d)) db_rollback(d);
	if (rc != DB_OK) return from_store(d, rc, rq->action, res);
	res->ok = true;
	res->next = next;
	res->refusal = WF_OK;
	res->message[0] = '\0';
	return ASSESS_OK;
}

assess_refusal assess_self_publication(db *d, int64_t account_id, const assess_target *t, bool publish, wf_result *res)
{
	memset(res, 0, sizeof *res);
	wf_input in = t->facts;
	if (t->az) in.actor = authz_capacities(t->az);
	if (wf_self_publication_check(&in, publish, res) < 0) {
		char msg[WF_MESSAGE_MAX];
		snprintf(msg, sizeof msg, "%s", res->message);
		return refuse(res, from_workflow(res), t->label, msg);
	}
	if (publish && !t->result_json)
		return refuse(res, ASSESS_UNMET, t->label, "Chưa thể công khai: chưa tính được điểm tự đánh giá.");
	arena *a = arena_new();
	assessment now;
	int rc = db_begin_write(d);
	if (rc == DB_OK) rc = assessment_get(d, t->id, a, &now);
	if (rc == DB_OK && (!now.state || strcmp(now.state, wf_state_code(t->facts.state)) != 0)) rc = DB_ECONFLICT;
	if (rc == DB_OK) rc = school_self_published_set(d, account_id, t->id, publish ? t->result_json : NULL);
	if (rc == DB_OK) rc = db_commit(d);
	else if (db_tx_depth(d)) db_rollback(d);
	arena_free(a);
	if (rc != DB_OK) return from_store(d, rc, WF_PUBLISH_OWN, res);
	res->ok = true;
	res->next = t->facts.state;
	res->refusal = WF_OK;
	return ASSESS_OK;
}
