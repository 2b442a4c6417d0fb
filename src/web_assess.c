/* web_assess.c — loading an assessment view and asking authz about it. */
#include "web_assess.h"
#include "vn.h"
#include "q_council.h"
#include "q_publish.h"
#include "answers.h"
#include "score_json.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *today_iso(web *w)
{
	char *s = arena_alloc(w->a, 11);
	vn_today_iso(s);
	return s;
}

bool assess_allowed(web *w, assess_view *v, authz_action action, const char *item, authz_decision *why)
{
	authz_ctx c = v->az;
	c.account = web_account(w);
	if (item && w->account_id) {
		/* assigned_item only ever adds a permission (a council member's
		 * items): when the account may act without it, as a principal
		 * may, the assignment query is not needed. The form asks this for
		 * every item of the page. */
		if (authz_check(&c, action, why)) return true;
		bool yes = false;
		council_item_assigned(w->d, v->as.id, w->account_id, item, &yes);
		c.object.assigned_item = yes;
	}
	return authz_check(&c, action, why);
}

void assess_wf_input(web *w, assess_view *v, wf_input *in)
{
	memset(in, 0, sizeof *in);
	authz_ctx c = v->az;
	c.account = web_account(w);
	in->state = v->state;
	in->actor = authz_capacities(&c);
	in->today = assess_today();
	in->round_closed = v->round.state && strcmp(v->round.state, "closed") == 0;
	in->council_formed = v->council_formed;
	in->unanswered_required = v->score ? (int)v->score->unanswered : 0;
	in->deadline = assess_ymd(v->round.self_due);
	in->extended_until = assess_ymd(v->as.extended_until);
	if (v->state == WF_PUBLISHED) school_published_by_school(w->d, v->as.id, &in->published_by_school);
	else if (v->self_published_read) in->self_published = v->self_published;   /* read with the view's facts */
	else if (school_self_published(w->d, v->as.id, &in->self_published) != DB_OK) db_clear_error(w->d);
}

void assess_target_of(web *w, assess_view *v, authz_ctx *az, assess_target *t)
{
	memset(t, 0, sizeof *t);
	*az = v->az;
	az->account = web_account(w);
	t->id = v->as.id;
	assess_wf_input(w, v, &t->facts);
	t->az = az;
	t->score = v->score;
}

bool assess_leaf_differs(const assess_view *self, const assess_view *ext, const fw_node *leaf)
{
	if (!self->score || !ext->score || !leaf->rule || leaf->rule->kind == RULE_INFO) return false;
	const node_score *a = score_node(self->score, leaf), *b = score_node(ext->score, leaf);
	if (!b->answered) return false;
	if (leaf->rule->kind == RULE_GATE) return a->answered != b->answered || a->gate_failed != b->gate_failed;
	return q_cmp(a->points, b->points) != 0;
}

bool assess_leaf_explained(const assess_view *ext, const fw_node *leaf)
{
	const assessment_answer *st = ext->stored[leaf->leaf_index];
	return st && st->reason && *st->reason;
}

int assess_unexplained(const assess_view *self, const assess_view *ext)
{
	int n = 0;
	for (size_t i = 0; i < ext->fw->nleaves; i++)
		if (assess_leaf_differs(self, ext, ext->fw->leaves[i]) && !assess_leaf_explained(ext, ext->fw->leaves[i])) n++;
	return n;
}

void assess_eval_facts(web *w, const assess_view *self, const assess_view *ext, wf_input *in)
{
	evaluator_assignment *ea = NULL;
	size_t ne = 0;
	round_evaluators(w->d, ext->round.id, ext->u.id, w->a, &ea, &ne);
	in->evaluators_assigned = (int)ne;
	in->external_unscored = ext->score ? (int)ext->score->unanswered : (int)ext->fw->nleaves;
	in->differences_unexplained = assess_unexplained(self, ext);
}

bool assess_is_eval_step(wf_action a)
{
	return a == WF_START_EVALUATION || a == WF_FINISH_EVALUATION || a == WF_REOPEN_EVALUATION;
}

bool assess_is_external_step(wf_action a)
{
	return assess_is_eval_step(a) || a == WF_RECOGNISE || a == WF_WITHDRAW_RECOGNITION || a == WF_PUBLISH ||
	       a == WF_UNPUBLISH;
}

bool assess_may_reconcile(web *w, assess_view *ext)
{
	if (!assess_allowed(w, ext, AUTHZ_EDIT_EXTERNAL_ANSWER, NULL, NULL)) return false;
	wf_input in;
	assess_wf_input(w, ext, &in);
	return (in.actor & (WF_BY_TEAM_HEAD | WF_BY_SYSTEM_ADMIN)) != 0;
}

int assess_reconcile_refusal(web *w, assess_view *ext, const char **message)
{
	authz_decision why;
	if (!assess_allowed(w, ext, AUTHZ_EDIT_EXTERNAL_ANSWER, NULL, &why)) {
		*message = why.message;
		return assess_refusal_status(assess_refusal_of_authz(&why));
	}
	*message = "Chỉ trưởng đoàn thống nhất kết quả của đoàn.";
	return 403;
}

bool assess_external_put(web *w, assess_view *ext, const fw_node *leaf, const char *value_json, const char *reason,
                         buf *errors)
{
	const assessment_answer *st = ext->stored[leaf->leaf_index];
	if (!value_json && !st) return true;   /* still unscored */
	/* stored in one form whichever surface sent it (answers_stored_json:
	 * the form gives a text answer as a bare string, the API as {"text"}) */
	json_t *j = value_json ? json_loads(value_json, JSON_DECODE_ANY, NULL) : NULL;
	char *canon = j ? answers_stored_json(leaf, j) : NULL;
	json_decref(j);
	const char *text = canon ? canon : value_json;
	buf e;
	buf_init(&e);
	answer parsed;
	bool ok = !text || answers_parse_one(ext->fw, ext->type, leaf, text, w->a, &parsed, &e);
	if (!ok) buf_puts(errors, buf_str(&e));
	else if (assessment_answer_put(w->d, w->account_id, ext->as.id, leaf->code, ANSWER_EXTERNAL, text ? text : "null",
	                               reason && *reason ? reason : NULL, NULL, NULL) != DB_OK) {
		buf_printf(errors, "%s: %s\n", leaf->code, db_errmsg(w->d));
		ok = false;
	}
	buf_free(&e);
	free(canon);
	return ok;
}

/* The office's publication: the public snapshot of the team's score,
 * frozen now as the office's page freezes it (NULL when the team's
 * answers give no score: the service refuses with 422). */
static char *publish_snapshot(wf_action a, const assess_view *ext)
{
	return a == WF_PUBLISH ? score_public_snapshot(ext->score) : NULL;
}

/* A step on the external side (the evaluation, recognition, publication):
 * on the team's answers and, for the evaluation steps, with its facts,
 * whichever side v is (the JSON API loads the self side, the pages the
 * external). */
static int eval_apply(web *w, assess_view *v, wf_action a, const char *reason, wf_result *res)
{
	assess_view other, *self = v, *ext = v;
	bool loaded = assess_view_load(w, v->as.id, v->side == ANSWER_EXTERNAL ? ANSWER_SELF : ANSWER_EXTERNAL, AUTHZ_VIEW, &other);
	if (!loaded) {
		memset(res, 0, sizeof *res);
		return w->r->status ? w->r->status : 500;   /* the error is rendered */
	}
	if (v->side == ANSWER_EXTERNAL) self = &other;
	else ext = &other;
	authz_ctx az;
	assess_target t;
	assess_target_of(w, ext, &az, &t);
	if (assess_is_eval_step(a)) assess_eval_facts(w, self, ext, &t.facts);
	else t.label = ext->u.name;   /* as the office's page names the unit */
	char *snapshot = publish_snapshot(a, ext);
	t.result_json = snapshot;
	assess_request rq = { .action = a, .account_id = w->account_id, .reason = reason };
	assess_refusal r = assess_act(w->d, &rq, &t, 1, res);
	free(snapshot);
	assess_view_free(&other);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}

int assess_recognise(web *w, assess_view *ext, size_t n, const decision *dec, int64_t issuer, int level, wf_result *res)
{
	authz_ctx *az = arena_alloc(w->a, (n + 1) * sizeof *az);
	assess_target *t = arena_alloc(w->a, (n + 1) * sizeof *t);
	for (size_t i = 0; i < n; i++) {
		/* the level recognised is the external team's, computed by the
		 * engine from its reconciled answers (the view's score) */
		assess_target_of(w, &ext[i], &az[i], &t[i]);
		t[i].label = ext[i].u.name;
	}
	assess_request rq = { .action = WF_RECOGNISE, .account_id = w->account_id, .decision = dec, .issuer = issuer,
	                      .level = level };
	assess_refusal r = assess_act(w->d, &rq, t, n, res);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}

int assess_apply(web *w, assess_view *v, wf_action a, const char *reason, wf_result *res)
{
	if (assess_is_external_step(a)) return eval_apply(w, v, a, reason, res);
	authz_ctx az;
	assess_target t;
	assess_target_of(w, v, &az, &t);
	assess_request rq = { .action = a, .account_id = w->account_id, .reason = reason };
	assess_refusal r = assess_act(w->d, &rq, &t, 1, res);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}

static bool fail(web *w, int status, const char *msg)
{
	web_error(w, status, msg);
	return false;
}

/* The stored answers by leaf, not parsed (an unscored view). */
static void stored_rows(web *w, assess_view *v, int64_t id)
{
	assessment_answer *ans = NULL;
	size_t n = 0;
	v->stored = arena_alloc(w->a, (v->fw->nleaves + 1) * sizeof *v->stored);
	v->sheet.answers = arena_alloc(w->a, (v->fw->nleaves + 1) * sizeof *v->sheet.answers);
	if (assessment_answers(w->d, id, v->side, w->a, &ans, &n) != DB_OK) return;
	for (size_t i = 0; i < n; i++) {
		const fw_node *leaf = framework_find(v->fw, ans[i].item_code);
		if (leaf && leaf->rule) v->stored[leaf->leaf_index] = &ans[i];
	}
}

static bool view_load(web *w, int64_t id, answer_side side, authz_action action, assess_view *v, bool scored);

bool assess_view_load(web *w, int64_t id, answer_side side, authz_action action, assess_view *v)
{
	return view_load(w, id, side, action, v, true);
}

bool assess_view_load_unscored(web *w, int64_t id, answer_side side, authz_action action, assess_view *v)
{
	return view_load(w, id, side, action, v, false);
}

static bool view_load(web *w, int64_t id, answer_side side, authz_action action, assess_view *v, bool scored)
{
	memset(v, 0, sizeof *v);
	v->side = side;
	/* the assessment, its round and its unit in one round trip (issue 19) */
	int rc = assessment_get_with_round_unit(w->d, id, w->a, &v->as, &v->round, &v->u);
	if (rc == DB_ENOTFOUND) return fail(w, 404, "Không tìm thấy hồ sơ đánh giá này.");
	if (rc != DB_OK) return fail(w, 500, "Không đọc được hồ sơ đánh giá. Vui lòng thử lại.");
	v->state = wf_state_parse(v->as.state);
	v->date = v->round.self_due ? v->round.self_due : today_iso(w);
	unit_chains_on(w->d, v->u.id, v->date, w->a, &v->parents, &v->nparents, &v->evaluators, &v->nevaluators);
	v->az.object.kind = AUTHZ_KIND_ASSESSMENT;
	v->az.object.unit_id = v->u.id;
	v->az.object.parents = v->parents;
	v->az.object.n_parents = v->nparents;
	v->az.object.evaluators = v->evaluators;
	v->az.object.n_evaluators = v->nevaluators;
	v->az.object.round_id = v->round.id;
	v->az.object.state = v->state;
	v->az.object.published = v->state == WF_PUBLISHED;
	/* the council and evaluator facts in one round trip (issue 19) */
	assessment_facts f = { 0 };
	v->self_published_read = assessment_facts_get(w->d, id, v->round.id, v->u.id, w->account_id, &f) == DB_OK;
	v->self_published = f.self_published;
	if (w->account_id) {
		v->az.object.council_secretary = f.council_secretary;
		v->az.object.assigned_evaluator = f.assigned_evaluator;
		v->az.object.team_head = f.team_head;
	}
	authz_decision why;
	if (!assess_allowed(w, v, action, NULL, &why))
		return fail(w, w->account_id ? 403 : 401, why.message);

	v->council_formed = f.council_formed;
	/* the framework version the assessment was made with */
	const char *key = arena_printf(w->a, "%s@%s", v->as.framework_id, v->as.framework_revision);
	v->fw = fw_catalog_find(&w->app->frameworks, key);
	if (!v->fw) return fail(w, 500, "Không tìm thấy phiên bản bộ chỉ số của hồ sơ này. Hãy báo quản trị viên.");
	if (!unit_type_parse(v->u.type, &v->type)) return fail(w, 500, "Loại hình đơn vị không hợp lệ.");
	if (!scored) {
		stored_rows(w, v, id);
		v->unscored = true;
		return true;
	}

	/* stored answers → the engine's answers (assess.c: one bad stored
	 * value cannot hide the others) */
	assess_sheet sh;
	assess_sheet_init(&sh, v->fw, v->type, w->a);
	assess_sheet_load(w->d, &sh, id, side, &v->stored, NULL);
	v->sheet = sh.sheet;
	if (assess_has_derived(v->fw)) assess_load_derived(w, v);
	sh.sheet = v->sheet;
	v->score = assess_sheet_score(&sh, assess_policy(v->round.policy), NULL);
	/* an incomplete framework is never scored; its derived items still are */
	if (!v->score && !v->fw->complete && assess_has_derived(v->fw)) v->derived = score_derived_only(v->fw, &v->sheet);
	return true;
}

/* An unscored view's sheet from its stored rows, as assess_view_load
 * parses them (assess_sheet_put: a bad stored value counts as unanswered). */
static void complete_sheet(web *w, assess_view *v)
{
	assess_sheet sh;
	assess_sheet_init(&sh, v->fw, v->type, w->a);
	for (size_t i = 0; i < v->fw->nleaves; i++)
		if (v->stored[i]) assess_sheet_put(&sh, v->fw->leaves[i], v->stored[i]->value_json, NULL);
	v->sheet = sh.sheet;
	if (assess_has_derived(v->fw)) assess_load_derived(w, v);
	v->unscored = false;
}

void assess_view_rescore(web *w, assess_view *v)
{
	if (v->unscored) complete_sheet(w, v);
	score_free(v->score);
	v->score = NULL;
	score_free(v->derived);
	v->derived = NULL;
	assess_sheet sh;
	assess_sheet_init(&sh, v->fw, v->type, w->a);
	sh.sheet = v->sheet;
	v->score = assess_sheet_score(&sh, assess_policy(v->round.policy), NULL);
	if (!v->score && !v->fw->complete && assess_has_derived(v->fw)) v->derived = score_derived_only(v->fw, &v->sheet);
}

void assess_view_free(assess_view *v)
{
	score_free(v->score);
	v->score = NULL;
	score_free(v->derived);
	v->derived = NULL;
}

bool assess_view_load_private(web *w, int64_t id, assess_view *v)
{
	if (!assess_view_load(w, id, ANSWER_SELF, AUTHZ_VIEW, v)) return false;
	v->az.object.published = false;
	authz_decision why;
	if (assess_allowed(w, v, AUTHZ_VIEW, NULL, &why)) return true;
	web_error(w, w->account_id ? 403 : 401, why.message);
	assess_view_free(v);
	return false;
}
