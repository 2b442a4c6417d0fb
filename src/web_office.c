/* web_office.c — helpers shared by the office-side pages (web_office.h). */
#include "web_office.h"
#include "exact.h"
#include "job.h"
#include "util.h"
#include "vn.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *office_today_iso(web *w)
{
	char *s = arena_alloc(w->a, 11);
	vn_today_iso(s);
	return s;
}

/* The configured address, never the request's Host header: a badge
 * snippet or a mailed link must not point wherever a client claimed. */
const char *office_base_url(web *w)
{
	return w->app->base_url;
}

/* A loader's own id parameter (the province page's co_quan), read before the
 * route's inputs are: 0 when absent or not a number. */
int64_t office_param_id(web *w, const char *name)
{
	const char *s = http_param(w->r, name);
	if (!s || !*s || strlen(s) > 15) return 0;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9') return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

const char *office_q(web *w, q v)
{
	return q_to_text(w->a, v, 2, true);
}

int office_days(int from, int to)
{
	return vn_days_between(from, to);
}

const char *office_unit_type_label(const char *type)
{
	static const char *const offices[][2] = {
		{ "bo", "Bộ GD&ĐT" }, { "so", "Sở GD&ĐT" }, { "phong", "Phòng GD&ĐT" }, { "ubnd_xa", "UBND xã/phường" },
		{ "ubnd_tinh", "UBND tỉnh/thành phố" },
	};
	for (size_t i = 0; type && i < ARRAY_LEN(offices); i++)
		if (strcmp(type, offices[i][0]) == 0) return offices[i][1];
	unit_type t;
	if (type && unit_type_parse(type, &t)) return unit_type_name(t);
	return type ? type : "";
}

/* ---- rounds ------------------------------------------------------------------------- */

bool round_allowed(web *w, const round_view *v, authz_action action, authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	/* Viewing a round is open to every account (authz: rounds are the
	 * superior's published plan), but its inbox, team and results are the
	 * office's business: "view" here is asked about the office itself, so
	 * only accounts whose scope holds the office (its staff, its superiors)
	 * see them. Opening, extending and closing are asked about the round. */
	c.object.kind = action == AUTHZ_VIEW ? AUTHZ_KIND_UNIT : AUTHZ_KIND_ROUND;
	c.object.unit_id = v->office.id;
	c.object.parents = v->parents;
	c.object.n_parents = v->nparents;
	c.object.evaluators = v->evaluators;
	c.object.n_evaluators = v->nevaluators;
	c.object.round_id = action == AUTHZ_VIEW ? 0 : v->r.id;
	c.object.state = WF_STATE_INVALID;
	return authz_check(&c, action, why);
}

unsigned round_report_capacities(web *w, const round_view *v)
{
	authz_ctx c = { .account = web_account(w) };
	c.object = (authz_object){ .kind = AUTHZ_KIND_ROUND, .unit_id = v->office.id, .parents = v->parents,
	                           .n_parents = v->nparents, .evaluators = v->evaluators, .n_evaluators = v->nevaluators,
	                           .round_id = v->r.id, .grant_role = AUTHZ_ROLE_INVALID };
	return authz_report_capacities(&c);
}

bool round_view_load(web *w, int64_t id, authz_action action, round_view *v)
{
	memset(v, 0, sizeof *v);
	int rc = round_get(w->d, id, w->a, &v->r);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, "Không tìm thấy đợt đánh giá này."); return false; }
	if (rc != DB_OK || unit_get(w->d, v->r.office_unit_id, w->a, &v->office) != DB_OK) {
		web_error(w, 500, "Không đọc được đợt đánh giá. Vui lòng thử lại.");
		return false;
	}
	v->date = v->r.self_due ? v->r.self_due : office_today_iso(w);
	v->closed = v->r.state && strcmp(v->r.state, "closed") == 0;
	unit_chain_on(w->d, v->office.id, UNIT_PARENT, v->date, w->a, &v->parents, &v->nparents);
	unit_chain_on(w->d, v->office.id, UNIT_EVALUATOR, v->date, w->a, &v->evaluators, &v->nevaluators);
	authz_decision why;
	if (!round_allowed(w, v, action, &why)) {
		web_error(w, w->account_id ? 403 : 401, why.message);
		return false;
	}
	return true;
}

static void round_nav(web *w, const round_view *v, const char *here)
{
	static const char *const links[][2] = {
		{ "", "Tổng quan" }, { "/hop-thu", "Hộp hồ sơ" }, { "/doan", "Đoàn đánh giá ngoài" }, { "/lich-kiem-tra", "Lịch kiểm tra" }, { "/cong-nhan", "Công nhận và công bố" },
		{ "/van-ban", "Văn bản" },
	};
	html_f(w->out, "<nav class=\"tabs no-print\" aria-label=\"Đợt đánh giá\">");
	for (size_t i = 0; i < ARRAY_LEN(links); i++) {
		bool cur = strcmp(links[i][0], here) == 0;
		html_f(w->out, "<a href=\"/dot/%D%h\"%h>%h</a>", v->r.id, links[i][0], cur ? " aria-current=\"page\"" : "", links[i][1]);
	}
	html_f(w->out, "</nav>");
}

static void round_heading(web *w, const round_view *v)
{
	html_f(w->out, "<p class=\"crumbs no-print\"><a href=\"/dot?cq=%D\">Các đợt đánh giá của %h</a></p>"
	               "<h1>%h</h1><p>%h%h%h%h</p>",
	       v->office.id, v->office.name, v->r.title, v->office.name, strstr(v->r.title, v->r.school_year) ? "" : " — năm học ",
	       strstr(v->r.title, v->r.school_year) ? "" : v->r.school_year, v->closed ? " — đã kết thúc" : "");
}

void office_round_header(web *w, const round_view *v, const char *here)
{
	round_heading(w, v);
	round_nav(w, v, here);
}

bool office_assessment_allowed(web *w, const round_view *rv, const assessment *as, authz_action action)
{
	authz_ctx c = { .account = web_account(w) };
	int64_t *parents = NULL, *evaluators = NULL;
	size_t np = 0, ne = 0;
	unit_chain_on(w->d, as->unit_id, UNIT_PARENT, rv->date, w->a, &parents, &np);
	unit_chain_on(w->d, as->unit_id, UNIT_EVALUATOR, rv->date, w->a, &evaluators, &ne);
	c.object.kind = AUTHZ_KIND_ASSESSMENT;
	c.object.unit_id = as->unit_id;
	c.object.parents = parents;
	c.object.n_parents = np;
	c.object.evaluators = evaluators;
	c.object.n_evaluators = ne;
	c.object.round_id = as->round_id;
	c.object.state = wf_state_parse(as->state);
	c.object.published = c.object.state == WF_PUBLISHED;
	return authz_check(&c, action, NULL);
}

static int inbox_cmp(const void *a, const void *b)
{
	const inbox_row *x = a, *y = b;
	int c = vn_collate(x->u.name, y->u.name);
	return c ? c : strcmp(x->u.code, y->u.code);
}

/* The round's assessments that this account may see, in Vietnamese order. */
size_t office_round_rows(web *w, const round_view *v, inbox_row **out)
{
	inbox_row *rows = NULL;
	size_t n = 0, kept = 0;
	if (office_inbox(w->d, v->r.id, v->date, w->a, &rows, &n) != DB_OK) n = 0;
	for (size_t i = 0; i < n; i++)
		if (office_assessment_allowed(w, v, &rows[i].as, AUTHZ_VIEW)) rows[kept++] = rows[i];
	sort_list(rows, kept, sizeof *rows, inbox_cmp);
	*out = rows;
	return kept;
}

/* ---- answers ------------------------------------------------------------------------ */

static const char *jnum(web *w, json_t *v)
{
	if (json_is_integer(v)) return arena_printf(w->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		q x;
		if (q_from_double(json_real_value(v), 2, &x)) return office_q(w, x);
		return arena_printf(w->a, "%g", json_real_value(v));
	}
	if (json_is_string(v)) return arena_strdup(w->a, json_string_value(v));
	return "?";
}

static const char *option_label(const fw_option *o, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(o[i].code, code) == 0) return o[i].label;
	return code ? code : "";
}

const char *office_answer_text(web *w, const fw_node *leaf, unit_type t, const char *value_json)
{
	if (!value_json) return "";
	json_t *v = json_loads(value_json, JSON_DECODE_ANY, NULL);
	if (!v || json_is_null(v)) { json_decref(v); return ""; }
	const fw_rule *r = leaf->rule;
	const char *out = NULL;
	switch (r ? r->kind : RULE_INFO) {
	case RULE_GATE:
		out = json_is_true(v) ? "Đạt" : "Chưa đạt";
		break;
	case RULE_YES_NO:
		out = json_is_true(v) ? "Có" : "Không";
		break;
	case RULE_UP_TO: {
		json_t *p = json_object_get(v, "points"), *why = json_object_get(v, "reason");
		out = arena_printf(w->a, "%s điểm%s%s", p ? jnum(w, p) : "?", json_is_string(why) ? " — " : "",
		                   json_is_string(why) ? json_string_value(why) : "");
		break;
	}
	case RULE_ALTERNATIVES:
		out = json_is_string(v) && strcmp(json_string_value(v), "none") == 0
			? "Chưa có" : option_label(r->options, r->noptions, json_string_value(v));
		break;
	case RULE_TIERED:
		if (json_is_string(v)) { out = "Chưa triển khai"; break; }
		out = option_label(r->options, r->noptions, json_string_value(json_object_get(v, "tier")));
		{
			json_t *m = json_object_get(v, "missing");
			for (size_t i = 0; i < json_array_size(m); i++)
				out = arena_printf(w->a, "%s%s%s", out, i ? ", " : " — thiếu: ",
				                   option_label(r->components, r->ncomponents, json_string_value(json_array_get(m, i))));
		}
		break;
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE:
		if (json_object_get(v, "met")) {
			json_t *why = json_object_get(v, "reason");
			out = arena_printf(w->a, "%s%s%s", json_is_true(json_object_get(v, "met")) ? "Đạt" : "Chưa đạt",
			                   json_is_string(why) ? " — " : "", json_is_string(why) ? json_string_value(why) : "");
		} else if (json_object_get(v, "value")) {
			out = jnum(w, json_object_get(v, "value"));
		} else {
			out = arena_printf(w->a, "%s/%s", jnum(w, json_object_get(v, "num")), jnum(w, json_object_get(v, "den")));
		}
		break;
	case RULE_COUNT:
		out = jnum(w, v);
		break;
	case RULE_INFO:
	case RULE_DERIVED:
	case RULE_KIND_COUNT:
		out = json_is_string(v) ? arena_strdup(w->a, json_string_value(v)) : jnum(w, v);
		break;
	}
	(void)t;
	json_decref(v);
	return out ? out : "";
}

score_result *office_score(web *w, const framework *fw, unit_type t, const char *policy,
                           const char *const *values)
{
	/* the service's sheet (assess.c): a bad stored value counts as unanswered */
	assess_sheet sheet;
	assess_sheet_init(&sheet, fw, t, w->a);
	for (size_t i = 0; i < fw->nleaves; i++)
		if (values[i]) assess_sheet_put(&sheet, fw->leaves[i], values[i], NULL);
	return assess_sheet_score(&sheet, assess_policy(policy), NULL);
}

const char *office_time(web *w, const char *ts)
{
	struct tm local;
	if (vn_local_time(ts, &local) != 6) return ts ? ts : "";
	return arena_printf(w->a, "%02d/%02d/%04d %02d:%02d", local.tm_mday, local.tm_mon + 1, local.tm_year + 1900,
	                    local.tm_hour, local.tm_min);
}

/* The Sở a province page is about (WEB_LOAD_PROVINCE): a dissolved Sở has
 * no superior any more. */
int64_t office_province_so(web *w, const char *date)
{
	int64_t asked = office_param_id(w, "co_quan");
	if (asked) return asked;
	authz_account acc = web_account(w);
	int64_t first = 0;
	for (size_t g = 0; g < acc.n_grants; g++) {
		const authz_grant *gr = &acc.grants[g];
		unit u;
		if ((gr->role != AUTHZ_OFFICE_ADMIN && gr->role != AUTHZ_OFFICER) ||
		    unit_get(w->d, gr->unit_id, w->a, &u) != DB_OK || strcmp(u.type, "so") != 0)
			continue;
		if (!first) first = u.id;
		int64_t up = 0;
		if (unit_related_on(w->d, u.id, UNIT_PARENT, date, &up) == DB_OK) return u.id;
	}
	db_clear_error(w->d);
	return first;
}

bool web_remind_queue(web *w, int64_t round_id, remind_batch *b, size_t late, int64_t *id_out)
{
	int rc = remind_batch_queue(w->d, w->account_id, round_id, b, "late", json_integer((json_int_t)late), id_out);
	remind_batch_free(b);
	if (rc != DB_OK) {
		db_clear_error(w->d);
		web_error(w, 500, "Không tạo được việc gửi thư. Vui lòng thử lại.");
		return false;
	}
	job_worker_wake();
	return true;
}
