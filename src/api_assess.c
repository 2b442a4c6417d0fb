/* api_assess.c — one assessment through the JSON API: read it (framework
 * tree, current self answers, the scoring engine's result with
 * explanations, levels and what-if), save answers, move it through the
 * workflow, list its evidence.
 *
 * Every route declares its assessment (WEB_LOAD_ASSESSMENT…): the
 * dispatcher loads it with assess_view_load, which asks authz exactly as
 * for the pages (another school's id gives 403, a missing one 404), before
 * the handler runs; and every answer goes through answers_parse_one, the parser
 * of answer sheets, so the API accepts exactly the values a sheet does. */
#include "answers.h"
#include "api.h"
#include "q_evidence.h"
#include "q_publish.h"
#include "score_json.h"
#include "util.h"
#include "web_assess.h"
#include "web_publish.h"
#include "web_school.h"
#include <stdlib.h>
#include <string.h>

/* A not-started assessment opens for editing on its first save, as on the
 * page: the school does not have to find a "start" action first. */
static bool self_open(const assess_view *v)
{
	return wf_self_editable(v->state) || v->state == WF_NOT_STARTED;
}

/* May this account change at least one self answer (a council member only
 * the items assigned to them)? */
static bool may_edit_some(web *w, assess_view *v)
{
	if (assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, NULL, NULL)) return true;
	for (size_t i = 0; i < v->fw->nleaves; i++)
		if (assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, v->fw->leaves[i]->code, NULL)) return true;
	return false;
}

static bool action_needs_reason(wf_action a)
{
	static const char *const with_reason[] = { "withdraw_approval", "return_for_supplement", "withdraw_recognition", "unpublish" };
	for (size_t i = 0; i < ARRAY_LEN(with_reason); i++)
		if (strcmp(wf_action_code(a), with_reason[i]) == 0) return true;
	return false;
}

static json_t *options_json(const fw_option *o, size_t n, bool points)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_pack("{s:s, s:s}", "code", o[i].code, "label", o[i].label);
		if (points) json_object_set_new(x, "points", score_json_num(o[i].points));
		json_array_append_new(arr, x);
	}
	return arr;
}

/* What a client needs to answer one leaf: its kind, whether it is
 * required, whether this account may change it now, the choices. */
static json_t *item_json(web *w, assess_view *v, const fw_node *leaf, bool open)
{
	const fw_rule *r = leaf->rule;
	const assessment_answer *st = v->stored[leaf->leaf_index];
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(leaf->code));
	json_object_set_new(o, "title", json_string(leaf->title));
	json_object_set_new(o, "kind", json_string(rule_kind_code(r->kind)));
	json_object_set_new(o, "required", json_boolean(leaf->required));
	json_object_set_new(o, "max", score_json_num(leaf->max));
	json_object_set_new(o, "editable", json_boolean(open && r->kind != RULE_DERIVED &&
	                                                assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, leaf->code, NULL)));
	if (r->kind == RULE_ALTERNATIVES || r->kind == RULE_TIERED)
		json_object_set_new(o, "options", options_json(r->options, r->noptions, true));
	if (r->kind == RULE_TIERED) {
		json_object_set_new(o, "components", options_json(r->components, r->ncomponents, false));
		json_object_set_new(o, "deduction", score_json_num(r->deduction));
	}
	if (r->kind == RULE_RATIO_BY_TYPE)
		json_object_set_new(o, "judged_by_hand", json_boolean(!r->type_has_threshold[v->type]));
	if (r->measure) json_object_set_new(o, "measure", json_string(r->measure));
	if (leaf->evidence) json_object_set_new(o, "evidence", json_string(leaf->evidence));
	json_object_set_new(o, "version", st ? json_integer(st->version) : json_null());
	json_object_set_new(o, "updated_at", api_str(st ? st->created_at : NULL));
	json_object_set_new(o, "updated_by", st ? json_integer(st->author_id) : json_null());
	return o;
}

/* What the public sees of this assessment (issue 11, item 5), as the open
 * data says it: the office's (or the school's) publication of the
 * recognised result, "cong_nhan"; the school's own self-assessment result
 * made public before recognition, "tu_danh_gia"; null when nothing is public. */
static json_t *publication_json(web *w, const assess_view *v)
{
	if (v->state == WF_PUBLISHED) {
		bool by_school = false;
		if (school_published_by_school(w->d, v->as.id, &by_school) != DB_OK) db_clear_error(w->d);
		return json_pack("{s:s, s:s, s:s, s:o}", "status", "cong_nhan", "label", "Kết quả đã được công nhận",
		                 "published_by", by_school ? "school" : "office", "level",
		                 v->as.recognised_level ? json_integer(v->as.recognised_level) : json_null());
	}
	bool self = v->self_published;
	if (!v->self_published_read && school_self_published(w->d, v->as.id, &self) != DB_OK) {
		db_clear_error(w->d);
		self = false;
	}
	if (!self) return json_null();
	return json_pack("{s:s, s:s, s:s, s:o}", "status", "tu_danh_gia", "label", "Tự đánh giá — chưa được công nhận",
	                 "published_by", "school", "level", v->as.self_level ? json_integer(v->as.self_level) : json_null());
}

static json_t *assessment_json(web *w, assess_view *v)
{
	bool open = self_open(v);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(v->as.id));
	json_object_set_new(o, "state", json_string(wf_state_code(v->state)));
	json_object_set_new(o, "state_label", json_string(wf_state_label(v->state)));
	json_object_set_new(o, "state_changed_at", api_str(v->as.state_changed_at));
	json_object_set_new(o, "extended_until", api_str(v->as.extended_until));
	json_object_set_new(o, "self_level", v->as.self_level ? json_integer(v->as.self_level) : json_null());
	json_object_set_new(o, "publication", publication_json(w, v));
	json_object_set_new(o, "unit", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)v->u.id, "code", v->u.code,
	                                         "name", v->u.name, "type", unit_type_code(v->type)));
	json_object_set_new(o, "round", json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)v->round.id, "title",
	                                          v->round.title, "school_year", v->round.school_year, "self_due",
	                                          api_str(v->round.self_due), "policy", api_str(v->round.policy),
	                                          "state", api_str(v->round.state)));
	json_object_set_new(o, "framework", json_pack("{s:s, s:i, s:s, s:o}", "id", v->fw->id, "revision", v->fw->revision,
	                                              "title", v->fw->title, "decision_number", api_str(v->fw->decision_number)));
	json_object_set_new(o, "editable", json_boolean(open && may_edit_some(w, v)));

	wf_input in;
	assess_wf_input(w, v, &in);
	json_t *acts = json_array();
	for (int a = 0; a < WF_ACTION_COUNT; a++) {
		if (!wf_offered(&in, (wf_action)a)) continue;
		json_array_append_new(acts, json_pack("{s:s, s:s, s:b}", "action", wf_action_code((wf_action)a), "label",
		                                      wf_action_label((wf_action)a), "needs_reason", action_needs_reason((wf_action)a)));
	}
	json_object_set_new(o, "actions", acts);

	/* the answers exactly as PUT …/tra-loi takes them, then per item */
	json_t *answers = json_object(), *items = json_array();
	for (size_t i = 0; i < v->fw->nleaves; i++) {
		const fw_node *leaf = v->fw->leaves[i];
		const assessment_answer *st = v->stored[i];
		json_t *val = st ? json_loads(st->value_json, JSON_DECODE_ANY, NULL) : NULL;
		if (val && !json_is_null(val)) json_object_set_new(answers, leaf->code, val);
		else json_decref(val);
		json_array_append_new(items, item_json(w, v, leaf, open));
	}
	json_object_set_new(o, "answers", answers);
	json_object_set_new(o, "items", items);

	if (v->score) {
		size_t np = 0;
		whatif_plan *plans = score_whatif(v->score, &np);
		json_object_set_new(o, "score", score_json(v->score, plans, np, true));
	} else {
		json_object_set_new(o, "score", json_null());
	}
	/* an incomplete framework is never scored, but its derived items are
	 * (an office's results computed from its units): never a level */
	if (v->derived) json_object_set_new(o, "provisional_score", score_json(v->derived, NULL, 0, false));
	/* what the derived items were computed from (issue 11 item 6) */
	const char *bcode, *blabel, *bon;
	if (assess_derived_basis(v, &bcode, &blabel, &bon))
		json_object_set_new(o, "derived_basis", json_pack("{s:s, s:s, s:s}", "basis", bcode, "label", blabel, "taken_on", bon));
	return o;
}

/* GET /api/v1/danh-gia/{id} */
static void api_assessment_get(web *w)
{
	assess_view *v = w->view;
	api_json(w, 200, assessment_json(w, v));
}

static void item_error(json_t *errs, const char *item, const char *code, const char *message)
{
	json_array_append_new(errs, json_pack("{s:s, s:s, s:s}", "item", item, "code", code, "message", message));
}

/* The parser says "CODE: what is wrong" per line; the item is named
 * beside the message already. */
static const char *parse_message(web *w, const char *code, const char *err)
{
	buf m;
	buf_init(&m);
	size_t cl = strlen(code);
	for (const char *p = err; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *line = p;
		if (len > cl + 2 && strncmp(line, code, cl) == 0 && line[cl] == ':' && line[cl + 1] == ' ') {
			line += cl + 2;
			len -= cl + 2;
		}
		if (len) {
			if (m.len) buf_puts(&m, "; ");
			buf_append(&m, line, len);
		}
		p += nl ? (size_t)(nl - p) + 1 : strlen(p);
	}
	const char *s = arena_strdup(w->a, m.len ? buf_str(&m) : "giá trị không hợp lệ");
	buf_free(&m);
	return s;
}

/* "Prefer: return=minimal" (RFC 7240): the client keeps its own copy of
 * the assessment and only needs to know what was stored. */
static bool wants_minimal(web *w)
{
	const char *p = http_header(w->r, "Prefer");
	if (!p) return false;
	for (const char *at = p; (at = strstr(at, "return")) != NULL; at += 6) {
		const char *e = at + 6;
		while (*e == ' ') e++;
		if (*e++ != '=') continue;
		while (*e == ' ') e++;
		if (strncmp(e, "minimal", 7) == 0 && (e[7] == '\0' || e[7] == ';' || e[7] == ',' || e[7] == ' ')) {
			http_set_header(w->r, "Preference-Applied", "return=minimal");
			return true;
		}
	}
	return false;
}

/* The minimal reply: what was saved and unchanged, the version each item
 * now has, the state (a first save starts the assessment) — no items, no
 * scores (GET has them). Takes saved and unchanged. */
static json_t *minimal_reply(const assess_view *v, json_t *saved, json_t *unchanged)
{
	json_t *versions = json_object();
	size_t i;
	json_t *x;
	json_array_foreach(saved, i, x) {
		const fw_node *leaf = framework_find(v->fw, json_string_value(x));
		const assessment_answer *st = leaf ? v->stored[leaf->leaf_index] : NULL;
		json_object_set_new(versions, json_string_value(x), st ? json_integer(st->version) : json_null());
	}
	return json_pack("{s:o, s:o, s:o, s:{s:I, s:s}}", "saved", saved, "unchanged", unchanged, "versions", versions,
	                 "assessment", "id", (json_int_t)v->as.id, "state", wf_state_code(v->state));
}

/* The item codes of list (an array of strings, taken) in the order the
 * request gave them: stored in the framework's order, told in the caller's. */
static json_t *in_body_order(json_t *answers, json_t *list)
{
	json_t *out = json_array(), *val, *x;
	const char *key;
	size_t i;
	json_object_foreach(answers, key, val) {
		json_array_foreach(list, i, x) {
			if (strcmp(json_string_value(x), key) == 0) { json_array_append(out, x); break; }
		}
	}
	json_decref(list);
	return out;
}

/* PUT or POST /api/v1/danh-gia/{id}/tra-loi {"answers": {code: value}}:
 * each item is checked and stored on its own, like the page's save, so one
 * wrong value does not lose the others; the reply lists what was saved and
 * what was not, and why. */
static void answers_put(web *w)
{
	json_t *body = api_body(w, JSON_OBJECT);
	if (!body) return;
	json_t *answers = json_object_get(body, "answers");
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val) {
		if (strcmp(key, "answers") != 0) {
			api_error(w, 400, "unknown_field", arena_printf(w->a, "Trường \"%s\" không được hỗ trợ; chỉ gửi {\"answers\": {mã chỉ tiêu: giá trị}}.", key));
			json_decref(body);
			return;
		}
	}
	if (!json_is_object(answers) || json_object_size(answers) == 0) {
		json_decref(body);
		api_error(w, 400, "missing_answers", "Cần {\"answers\": {mã chỉ tiêu: giá trị}} với ít nhất một chỉ tiêu.");
		return;
	}
	assess_view *v = w->view;
	if (!self_open(v)) {
		json_decref(body);
		api_error(w, 409, "locked", "Hồ sơ đã được khóa (đã phê duyệt hoặc đã gửi), không thể sửa kết quả tự đánh giá.");
		return;
	}
	/* the first save starts a not-started assessment, as on the page */
	if (v->state == WF_NOT_STARTED) {
		assess_view_rescore(w, v);   /* the service sees the scored view */
		wf_result res;
		int st = assess_apply(w, v, WF_START, NULL, &res);
		if (st) {
			json_decref(body);
			api_error(w, st == 403 ? 403 : 409, wf_state_code(WF_NOT_STARTED), "Chưa thể bắt đầu tự đánh giá: hiệu trưởng cần bắt đầu hồ sơ trước.");
			return;
		}
		v->state = WF_DRAFT;
		v->az.object.state = WF_DRAFT;
	}
	if (!may_edit_some(w, v)) {
		authz_decision why;
		assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, NULL, &why);
		json_decref(body);
		api_error(w, 403, NULL, why.message && *why.message ? why.message : "Bạn không có quyền sửa kết quả tự đánh giá của hồ sơ này.");
		return;
	}
	json_t *saved = json_array(), *unchanged = json_array(), *errs = json_array();
	bool store_failed = false, started = v->state != wf_state_parse(v->as.state);
	size_t conflicts = 0;
	int src;
	/* the items in the framework's order, as the form saves them: the same
	 * batch leaves the same versions and audit rows whichever surface sent it */
	json_object_foreach(answers, key, val) {
		const fw_node *node = framework_find(v->fw, key);
		if (!node)
			item_error(errs, key, "unknown_item", arena_printf(w->a, "Không có chỉ tiêu mã \"%s\" trong bộ chỉ số %s.", key, v->fw->id));
		else if (!node->rule)
			item_error(errs, key, "not_a_leaf", node->kind == NODE_GROUP ? "Đây là nhóm tiêu chí: hãy trả lời các chỉ tiêu thành phần."
			                                                             : "Đây là tiêu chí tổng hợp: hãy trả lời các chỉ tiêu thành phần.");
	}
	for (size_t li = 0; li < v->fw->nleaves; li++) {
		const fw_node *leaf = v->fw->leaves[li];
		key = leaf->code;
		if (!leaf->rule || !(val = json_object_get(answers, key))) continue;
		authz_decision why;
		if (!assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, leaf->code, &why)) {
			item_error(errs, key, why.reason == AUTHZ_DENIED_NOT_ASSIGNED ? "not_assigned" : "forbidden", why.message);
			continue;
		}
		const assessment_answer *st = v->stored[leaf->leaf_index];
		if (json_is_null(val) && !st) { json_array_append_new(unchanged, json_string(key)); continue; }
		char *text = answers_stored_json(leaf, val);
		buf e;
		buf_init(&e);
		answer parsed;
		int version = 0;
		bool changed = false;
		if (!answers_parse_one(v->fw, v->type, leaf, text, w->a, &parsed, &e)) {
			item_error(errs, key, "invalid_value", parse_message(w, leaf->code, buf_str(&e)));
		} else if ((src = assessment_answer_save(w->d, w->account_id, v->as.id, leaf->code, ANSWER_SELF, text, NULL, st,
		                                         &version, &changed)) == DB_ECONFLICT) {
			/* another save of this item came first: never reordered, the
			 * client reloads (the current version is in the error) */
			json_array_append_new(errs, json_pack("{s:s, s:s, s:s, s:i}", "item", key, "code", "conflict", "message",
			                                      db_errmsg(w->d), "version", version));
			conflicts++;
		} else if (src != DB_OK) {
			item_error(errs, key, "store_error", arena_printf(w->a, "Không lưu được: %s", db_errmsg(w->d)));
			store_failed = true;
		} else {
			json_array_append_new(changed ? saved : unchanged, json_string(key));
			if (changed) {
				/* the reply is built from memory: this is now the stored answer */
				assessment_answer *na = arena_alloc(w->a, sizeof *na);
				*na = (assessment_answer){ .assessment_id = v->as.id, .item_code = leaf->code, .side = ANSWER_SELF,
				                           .version = version, .value_json = arena_strdup(w->a, text),
				                           .author_id = w->account_id };
				v->stored[leaf->leaf_index] = na;
				v->sheet.answers[leaf->leaf_index] = parsed;
			}
		}
		buf_free(&e);
		free(text);
	}
	saved = in_body_order(answers, saved);
	unchanged = in_body_order(answers, unchanged);
	json_decref(body);
	size_t nerr = json_array_size(errs);
	if (nerr) {
		bool all_store = store_failed;
		size_t i;
		json_t *x;
		json_array_foreach(errs, i, x) all_store &= strcmp(json_string_value(json_object_get(x, "code")), "store_error") == 0;
		bool all_conflict = conflicts == nerr;
		json_t *e = json_pack("{s:s, s:s, s:o}", "code", all_store ? "store_error" : all_conflict ? "conflict" : "invalid_answers", "message",
		                      all_conflict ? arena_printf(w->a, "%zu chỉ tiêu vừa được người khác lưu trước — hãy tải lại rồi lưu lại; %zu chỉ tiêu khác đã được lưu.",
		                                                  nerr, json_array_size(saved))
		                                   : arena_printf(w->a, "Chưa lưu được %zu chỉ tiêu — hãy sửa rồi gửi lại; %zu chỉ tiêu khác đã được lưu.",
		                                                  nerr, json_array_size(saved)),
		                      "items", errs);
		api_json(w, all_store ? 503 : all_conflict ? 409 : 422, json_pack("{s:o, s:o, s:o}", "error", e, "saved", saved, "unchanged", unchanged));
		return;
	}
	json_decref(errs);
	if (wants_minimal(w)) {
		api_json(w, 200, minimal_reply(v, saved, unchanged));   /* the dispatcher frees the view */
		return;
	}
	/* the totals, levels and what-if after this save: rescored from the
	 * view in memory (issue 19: no second load); a save that started the
	 * assessment, or items derived from other units, load it again */
	if (started || assess_has_derived(v->fw)) {
		assess_view_free(v);   /* loaded again in place: the dispatcher frees the new one */
		if (!assess_view_load(w, w->ids[0], ANSWER_SELF, AUTHZ_VIEW, v)) { json_decref(saved); json_decref(unchanged); return; }
	} else if (json_array_size(saved) || v->unscored) {
		assess_view_rescore(w, v);
	}
	json_t *o = json_pack("{s:o, s:o, s:o}", "saved", saved, "unchanged", unchanged, "assessment", assessment_json(w, v));
	api_json(w, 200, o);
}

/* POST /api/v1/danh-gia/{id}/chuyen {"action": "approve", "reason": "…"};
 * "submit" may carry "letter", the request letter (tờ trình) — without it
 * the letter is prefilled from the data, as on the page. */
static void transition_post(web *w)
{
	json_t *body = api_body(w, JSON_OBJECT);
	if (!body) return;
	json_t *ja = json_object_get(body, "action"), *jr = json_object_get(body, "reason"), *jl = json_object_get(body, "letter");
	if (!json_is_string(ja) || (jr && !json_is_null(jr) && !json_is_string(jr)) || (jl && !json_is_null(jl) && !json_is_string(jl))) {
		json_decref(body);
		api_error(w, 400, "bad_request", "Cần {\"action\": \"mã thao tác\"}, có thể có \"reason\" và (khi gửi hồ sơ) \"letter\" (văn bản).");
		return;
	}
	wf_action a = wf_action_parse(json_string_value(ja));
	const char *reason = json_is_string(jr) ? arena_strdup(w->a, json_string_value(jr)) : NULL;
	const char *letter = json_is_string(jl) ? arena_strdup(w->a, json_string_value(jl)) : NULL;
	json_decref(body);
	if ((int)a < 0) {
		buf codes;
		buf_init(&codes);
		for (int i = 0; i < WF_ACTION_COUNT; i++) buf_printf(&codes, "%s%s", i ? ", " : "", wf_action_code((wf_action)i));
		api_error(w, 400, "unknown_action", arena_printf(w->a, "Thao tác không hợp lệ. Các thao tác: %s.", buf_str(&codes)));
		buf_free(&codes);
		return;
	}
	assess_view *v = w->view;
	/* the school's own publication freezes the recognised (external) score */
	assess_view ext;
	bool own = a == WF_PUBLISH_OWN;
	if (own && !assess_view_load(w, w->ids[0], ANSWER_EXTERNAL, AUTHZ_VIEW, &ext)) return;
	wf_state from = v->state;
	wf_result res;
	/* a submission goes with its request letter and frozen totals (web_school.c) */
	int status = a == WF_SUBMIT ? school_submit(w, v, letter, &res)
	           : own ? school_publication_apply(w, &ext, a, &res) : assess_apply(w, v, a, reason, &res);
	if (own) assess_view_free(&ext);
	if (status) {
		const char *code = res.refusal != WF_OK ? wf_refusal_code(res.refusal) : NULL;
		api_error(w, status, code, arena_strdup(w->a, res.message));
		return;
	}
	api_json(w, 200, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)w->ids[0], "action", wf_action_code(a),
	                           "from", wf_state_code(from), "state", wf_state_code(res.next), "state_label",
	                           wf_state_label(res.next)));
}

/* GET /api/v1/danh-gia/{id}/minh-chung[?tieu-chi=1.3] — the evidence
 * catalogue (danh mục minh chứng) with files and links. */
static void api_evidence_get(web *w)
{
	/* (publishing opens the scores, never the school's documents: the
	 * route asks as for unpublished evidence, WEB_LOAD_ASSESSMENT_EVIDENCE) */
	assess_view *v = w->view;
	const char *item = http_param(w->r, "tieu-chi");
	if (item && !assessment_item_code_valid(item)) {
		api_error(w, 400, "bad_request", "Mã tiêu chí không hợp lệ (ví dụ: tieu-chi=1.3).");
		return;
	}
	evidence *ev = NULL;
	size_t n = 0;
	if (evidence_list(w->d, v->as.id, item, w->a, &ev, &n) != DB_OK) {
		api_error(w, 500, NULL, "Không đọc được danh mục minh chứng. Vui lòng thử lại.");
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const evidence *e = &ev[i];
		json_t *items = json_array(), *files = json_array(), *links = json_array();
		for (size_t k = 0; k < e->nitems; k++) json_array_append_new(items, json_string(e->items[k]));
		evidence_file *f = NULL;
		size_t nf = 0;
		evidence_files(w->d, e->id, w->a, &f, &nf);
		for (size_t k = 0; k < nf; k++)
			json_array_append_new(files, json_pack("{s:I, s:s, s:o, s:I, s:o}", "id", (json_int_t)f[k].id, "name",
			                                       f[k].original_name, "mime", api_str(f[k].mime), "size",
			                                       (json_int_t)f[k].size, "sha256", api_str(f[k].sha256)));
		evidence_link *l = NULL;
		size_t nl = 0;
		evidence_links(w->d, e->id, w->a, &l, &nl);
		for (size_t k = 0; k < nl; k++)
			json_array_append_new(links, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)l[k].id, "url", l[k].url, "label",
			                                       api_str(l[k].label)));
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)e->id,
		                                     "code", e->code, "title", e->title, "doc_number", api_str(e->doc_number),
		                                     "doc_date", api_str(e->doc_date), "issuer", api_str(e->issuer), "note",
		                                     api_str(e->note), "items", items, "files", files, "links", links));
	}
	api_json(w, 200, json_pack("{s:I, s:o}", "assessment_id", (json_int_t)w->ids[0], "evidence", arr));
}

/* ---- the external side: the team's answers, recognition ------------------------------------ */

/* The members of an object that may be given: anything else is a 400
 * naming the field (a misspelt key must not be ignored silently). */
static bool only_fields(web *w, json_t *o, const char *const *names, size_t n, const char *usage)
{
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val) {
		bool known = false;
		for (size_t i = 0; i < n; i++) known |= strcmp(key, names[i]) == 0;
		if (!known) {
			api_error(w, 400, "unknown_field", arena_printf(w->a, "Trường \"%s\" không được hỗ trợ; %s", key, usage));
			return false;
		}
	}
	return true;
}

/* PUT or POST /api/v1/danh-gia/{id}/tra-loi-ngoai {"answers": {code: value},
 * "reasons": {code: "lý do"}}: the team's reconciled answers, as the team
 * head saves them on /danh-gia-ngoai/{id}/thong-nhat (assess_external_put,
 * in the framework's order; null clears a scored item). A score that
 * differs from the self-assessment needs its reason before the evaluation
 * can be finished. */
static void external_put(web *w)
{
	static const char *const fields[] = { "answers", "reasons" };
	static const char usage[] = "gửi {\"answers\": {mã chỉ tiêu: giá trị}, \"reasons\": {mã chỉ tiêu: lý do}}.";
	json_t *body = api_body(w, JSON_OBJECT);
	if (!body) return;
	json_t *answers = json_object_get(body, "answers"), *reasons = json_object_get(body, "reasons");
	if (!only_fields(w, body, fields, ARRAY_LEN(fields), usage)) { json_decref(body); return; }
	if (!json_is_object(answers) || json_object_size(answers) == 0 || (reasons && !json_is_object(reasons))) {
		json_decref(body);
		api_error(w, 400, "missing_answers", arena_printf(w->a, "Cần %s", usage));
		return;
	}
	assess_view *ext = w->view;
	if (!assess_may_reconcile(w, ext)) {
		const char *why;
		int status = assess_reconcile_refusal(w, ext, &why);
		json_decref(body);
		api_error(w, status, NULL, why);
		return;
	}
	json_t *errs = json_array(), *saved = json_array(), *val;
	const char *key;
	json_object_foreach(answers, key, val) {
		const fw_node *node = framework_find(ext->fw, key);
		if (!node || !node->rule)
			item_error(errs, key, "unknown_item", arena_printf(w->a, "Không có chỉ tiêu mã \"%s\" trong bộ chỉ số %s.", key, ext->fw->id));
	}
	json_object_foreach(reasons, key, val) {
		if (!json_is_string(val) && !json_is_null(val)) item_error(errs, key, "invalid_reason", "Lý do phải là một chuỗi văn bản.");
	}
	/* an unknown item or a reason that is no text stores nothing; past
	 * that, each item is stored on its own, as the page stores them */
	bool checked = json_array_size(errs) == 0;
	for (size_t i = 0; checked && i < ext->fw->nleaves; i++) {
		const fw_node *leaf = ext->fw->leaves[i];
		if (!(val = json_object_get(answers, leaf->code))) continue;
		char *text = json_is_null(val) ? NULL : answers_stored_json(leaf, val);
		buf e;
		buf_init(&e);
		if (assess_external_put(w, ext, leaf, text, json_string_value(json_object_get(reasons, leaf->code)), &e))
			json_array_append_new(saved, json_string(leaf->code));
		else
			item_error(errs, leaf->code, "invalid_value", parse_message(w, leaf->code, buf_str(&e)));
		buf_free(&e);
		free(text);
	}
	saved = in_body_order(answers, saved);
	json_decref(body);
	if (json_array_size(errs)) {
		json_t *e = json_pack("{s:s, s:s, s:o}", "code", "invalid_answers", "message",
		                      arena_printf(w->a, "Chưa lưu được %zu chỉ tiêu — hãy sửa rồi gửi lại; %zu chỉ tiêu khác đã được lưu.",
		                                   json_array_size(errs), json_array_size(saved)), "items", errs);
		api_json(w, 422, json_pack("{s:o, s:o}", "error", e, "saved", saved));
		return;
	}
	json_decref(errs);
	api_json(w, 200, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)ext->as.id, "side", "external", "saved", saved));
}

/* A JSON string copied into the request's arena; NULL for anything else. */
static const char *api_text(web *w, json_t *s)
{
	return json_is_string(s) ? arena_strdup(w->a, json_string_value(s)) : NULL;
}

/* POST /api/v1/danh-gia/{id}/cong-nhan {"decision": {"number": "…",
 * "date": "YYYY-MM-DD", "signer": "…"}, "level": 1..3}: the office
 * recognises the level the team's answers give (assess_recognise, as the
 * office's page does for the units it ticks). "level" is the level the
 * decision names: the service refuses it (422) unless it is the one the
 * engine computes, so that no decision names a level the answers do not
 * give. Its state is checked first (409), its decision (422). */
static void recognise_post(web *w)
{
	static const char *const fields[] = { "decision", "level" }, *const dfields[] = { "number", "date", "signer" };
	static const char usage[] = "gửi {\"decision\": {\"number\", \"date\", \"signer\"}, \"level\": mức}.";
	json_t *body = api_body(w, JSON_OBJECT);
	if (!body) return;
	json_t *jd = json_object_get(body, "decision"), *jl = json_object_get(body, "level");
	bool ok = only_fields(w, body, fields, ARRAY_LEN(fields), usage) &&
	          (!json_is_object(jd) || only_fields(w, jd, dfields, ARRAY_LEN(dfields), usage));
	if (ok && (!json_is_object(jd) || !jl)) {
		api_error(w, 400, "bad_request", arena_printf(w->a, "Cần %s", usage));
		ok = false;
	}
	for (size_t i = 0; ok && i < ARRAY_LEN(dfields); i++) {
		json_t *x = json_object_get(jd, dfields[i]);
		if (x && !json_is_string(x) && !json_is_null(x)) {
			api_error(w, 400, "bad_request", arena_printf(w->a, "\"decision.%s\" phải là một chuỗi văn bản.", dfields[i]));
			ok = false;
		}
	}
	assess_view *ext = w->view;
	if (ok && (!json_is_integer(jl) || json_integer_value(jl) < 1 || json_integer_value(jl) > 3)) {
		api_error(w, 422, "bad_level", "Mức công nhận phải là 1, 2 hoặc 3.");
		ok = false;
	}
	if (!ok) { json_decref(body); return; }
	decision dec = { .number = api_text(w, json_object_get(jd, "number")), .date = api_text(w, json_object_get(jd, "date")),
	                 .signer = api_text(w, json_object_get(jd, "signer")) };
	int level = (int)json_integer_value(jl);
	json_decref(body);
	wf_state from = ext->state;
	wf_result res;
	int status = assess_recognise(w, ext, 1, &dec, ext->round.office_unit_id, level, &res);
	if (status) {
		/* the service's own refusal of the named level comes with no workflow code */
		const char *code = res.refusal != WF_OK ? wf_refusal_code(res.refusal) : status == 422 ? "bad_level" : NULL;
		api_error(w, status, code, arena_strdup(w->a, res.message));
		return;
	}
	api_json(w, 200, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)ext->as.id, "action", wf_action_code(WF_RECOGNISE),
	                           "from", wf_state_code(from), "state", wf_state_code(res.next), "state_label",
	                           wf_state_label(res.next), "recognised_level", level));
}

const web_route api_assess_routes[] = {
	{ "GET", "/api/v1/danh-gia/{id}", api_assessment_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW },
	{ "PUT", "/api/v1/danh-gia/{id}/tra-loi", answers_put, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .unscored = true },
	{ "POST", "/api/v1/danh-gia/{id}/tra-loi", answers_put, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .unscored = true },
	{ "POST", "/api/v1/danh-gia/{id}/chuyen", transition_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW },
	{ "GET", "/api/v1/danh-gia/{id}/minh-chung", api_evidence_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_EVIDENCE,
	  .action = AUTHZ_VIEW },
	{ "PUT", "/api/v1/danh-gia/{id}/tra-loi-ngoai", external_put, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT,
	  .side = ANSWER_EXTERNAL, .action = AUTHZ_EVALUATE },
	{ "POST", "/api/v1/danh-gia/{id}/tra-loi-ngoai", external_put, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT,
	  .side = ANSWER_EXTERNAL, .action = AUTHZ_EVALUATE },
	{ "POST", "/api/v1/danh-gia/{id}/cong-nhan", recognise_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT,
	  .side = ANSWER_EXTERNAL, .action = AUTHZ_RECOGNISE },
	{ NULL, NULL, NULL, 0 },
};
