/* web_route.c — declared routes: what the dispatcher does around a handler.
 *
 * A route entry (web.h) declares what it loads from its {id} capture, the
 * authz action that object needs, and its inputs. Before the handler runs,
 * web_route_prepare loads the object (404), asks authz.c through the
 * object's loader (403; 401 for nobody), then parses and validates the
 * inputs (400) — after access, so a refused caller learns nothing of the
 * form — and puts the results on `web`; web_route_release frees it after
 * the handler. Handlers of declared routes therefore never parse an id,
 * load, authorise or free their object themselves. */
#include "web.h"
#include "q_assessment.h"
#include "q_evidence.h"
#include "util.h"
#include "vn.h"
#include "web_assess.h"
#include "web_office.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *web_load_name(web_load l)
{
	static const char *const names[WEB_LOAD_COUNT] = {
		[WEB_LOAD_UNDECLARED] = "undeclared", [WEB_LOAD_NONE] = "none", [WEB_LOAD_OWN] = "own",
		[WEB_LOAD_ADMIN] = "admin", [WEB_LOAD_SERVER] = "server", [WEB_LOAD_PROVINCE] = "province", [WEB_LOAD_ASSESSMENT] = "assessment", [WEB_LOAD_ASSESSMENT_PRIVATE] = "assessment-private",
		[WEB_LOAD_ASSESSMENT_EVIDENCE] = "assessment-evidence", [WEB_LOAD_EVIDENCE] = "evidence", [WEB_LOAD_ROUND] = "round", [WEB_LOAD_ROUND_REPORT] = "round-report", [WEB_LOAD_ROUND_MANAGED] = "round-managed",
	};
	return (unsigned)l < WEB_LOAD_COUNT ? names[l] : "?";
}

/* ---- inputs -------------------------------------------------------------------------- */

static int bad_input(web *w, const web_input *in, const char *why)
{
	web_error(w, 400, arena_printf(w->a, "Dữ liệu gửi lên không hợp lệ: %s %s.", in->label ? in->label : in->name, why));
	return 400;
}

static bool parse_int(const char *s, int64_t *out)
{
	if (!s || !*s) return false;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (*end || (s[0] != '-' && (s[0] < '0' || s[0] > '9'))) return false;
	*out = v;
	return true;
}

static bool is_date(const char *s)
{
	int y, m, d;
	char tail;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && vn_date_valid(y, m, d);
}

/* A field's raw value normalised as web_text does (NFC, trimmed); NULL
 * when it is not UTF-8. */
static const char *normalised(web *w, const char *raw)
{
	if (!vn_utf8_valid(raw, strlen(raw), NULL)) return NULL;
	char *n = vn_nfc(raw);
	if (!n) return NULL;
	const char *s = n;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n')) len--;
	const char *out = arena_strndup(w->a, s, len);
	free(n);
	return out;
}

/* Checks one given, normalised value t of `in`: 0, or the status of the
 * error page rendered; *num gets an ID's or INT's number. */
static int check_value(web *w, const web_input *in, const char *t, int64_t *num)
{
	size_t len = strlen(t);
	switch (in->type) {
	case WEB_IN_TEXT:
	case WEB_IN_SECRET:
		if (len < (size_t)in->min) return bad_input(w, in, "quá ngắn");
		if (len > (size_t)(in->max ? in->max : HTTP_MAX_FIELD)) return bad_input(w, in, "quá dài");
		return 0;
	case WEB_IN_ID:
		if (!parse_int(t, num) || *num < 1) return bad_input(w, in, "không phải mã số hợp lệ");
		return 0;
	case WEB_IN_INT:
		if (!parse_int(t, num) || ((in->min || in->max) && (*num < in->min || *num > in->max)))
			return bad_input(w, in, "không phải số trong khoảng cho phép");
		return 0;
	case WEB_IN_ENUM:
		for (const char *const *e = in->values; e && *e; e++)
			if (strcmp(*e, t) == 0) return 0;
		return bad_input(w, in, "không thuộc các giá trị cho phép");
	case WEB_IN_DATE:
		return is_date(t) ? 0 : bad_input(w, in, "không phải ngày hợp lệ (năm-tháng-ngày)");
	case WEB_IN_BOOL:
		return 0;
	}
	return bad_input(w, in, "không rõ kiểu");
}

/* The field `name` of `in` into v; 0 or the status of the error page rendered. */
static int parse_input(web *w, const web_input *in, const char *name, web_value *v)
{
	v->decl = in;
	v->name = name;
	if (in->type == WEB_IN_BOOL) {
		v->given = http_param(w->r, name) != NULL;
		v->num = v->given;
		return 0;
	}
	const char *raw = http_param(w->r, name);
	const char *t = !raw ? NULL : in->type == WEB_IN_SECRET ? (vn_utf8_valid(raw, strlen(raw), NULL) ? raw : NULL)
	              : normalised(w, raw);
	if (!t && raw) return bad_input(w, in, "không phải văn bản UTF-8");
	v->given = t && *t;
	if (!v->given) return in->required && !in->prefix ? bad_input(w, in, "chưa được điền") : 0;
	v->text = t;
	return check_value(w, in, t, &v->num);
}

/* A repeated field (or a prefixed one, which may repeat): every value
 * checked, the given ones kept; its text is the last one given. */
static int parse_many(web *w, const web_input *in, const char *name, web_value *v)
{
	v->decl = in;
	v->name = name;
	size_t n;
	const char **raw = http_params(w->r, name, &n);
	v->list = arena_alloc(w->a, (n + 1) * sizeof *v->list);
	v->nums = arena_alloc(w->a, (n + 1) * sizeof *v->nums);
	for (size_t i = 0; i < n; i++) {
		const char *t = normalised(w, raw[i]);
		if (!t) return bad_input(w, in, "không phải văn bản UTF-8");
		if (!*t) continue;
		int64_t num = 0;
		int status = check_value(w, in, t, &num);
		if (status) return status;
		v->nums[v->nlist] = num;
		v->list[v->nlist++] = t;
	}
	v->given = v->nlist > 0;
	if (v->given) {
		v->text = v->list[v->nlist - 1];
		v->num = v->nums[v->nlist - 1];
	}
	return in->required && !in->prefix && !v->given ? bad_input(w, in, "chưa được chọn") : 0;
}

/* How many values the inputs may give: one each, a prefix one per field. */
static size_t count_values(web *w, const web_input *inputs)
{
	size_t n = 0;
	for (size_t i = 0; inputs && inputs[i].name; i++)
		n += inputs[i].prefix ? w->r->nfields : 1;
	return n;
}

/* Every field named with `in`'s prefix, once each (the last value wins,
 * as http_param's). */
static int parse_prefixed(web *w, const web_input *in)
{
	size_t plen = strlen(in->name);
	for (size_t f = 0; f < w->r->nfields; f++) {
		const char *name = w->r->fields[f].name;
		if (strncmp(name, in->name, plen) != 0 || !name[plen]) continue;
		bool seen = false;
		for (size_t k = 0; k < w->nin && !seen; k++) seen = strcmp(w->in[k].name, name) == 0;
		if (seen) continue;
		web_value *v = &w->in[w->nin++];
		int status = in->type == WEB_IN_BOOL ? parse_input(w, in, name, v) : parse_many(w, in, name, v);
		if (status) return status;
	}
	return 0;
}

static int parse_inputs(web *w, const web_input *inputs)
{
	size_t cap = count_values(w, inputs) + 1;
	w->in = arena_alloc(w->a, cap * sizeof *w->in);
	memset(w->in, 0, cap * sizeof *w->in);
	w->nin = 0;
	for (size_t i = 0; inputs && inputs[i].name; i++) {
		const web_input *in = &inputs[i];
		int status = in->prefix ? parse_prefixed(w, in)
		           : in->many ? parse_many(w, in, in->name, &w->in[w->nin++])
		           : parse_input(w, in, in->name, &w->in[w->nin++]);
		if (status) return status;
	}
	return 0;
}

static const web_value *value(web *w, const char *name)
{
	for (size_t i = 0; i < w->nin; i++)
		if (strcmp(w->in[i].name, name) == 0) return &w->in[i];
	return NULL;
}

bool web_in_given(web *w, const char *name)
{
	const web_value *v = value(w, name);
	return v && v->given;
}

const char *web_in_text(web *w, const char *name)
{
	const web_value *v = value(w, name);
	return v && v->given && (!v->decl->many || v->decl->prefix) ? v->text : NULL;
}

int64_t web_in_int(web *w, const char *name, int64_t dflt)
{
	const web_value *v = value(w, name);
	return v && v->given && (!v->decl->many || v->decl->prefix) ? v->num : dflt;
}

bool web_in_bool(web *w, const char *name)
{
	const web_value *v = value(w, name);
	return v && v->num;
}

const char **web_in_list(web *w, const char *name, size_t *n, const int64_t **nums)
{
	const web_value *v = value(w, name);
	*n = v && (v->decl->many || v->decl->prefix) ? v->nlist : 0;
	if (nums) *nums = *n ? v->nums : NULL;
	return *n ? v->list : NULL;
}

/* ---- loads ----------------------------------------------------------------------------- */

static int status_of(web *w)
{
	return w->r->status ? w->r->status : 500;
}

/* `any_of`: one of those actions allowed on the view. */
static int check_any_of(web *w, const web_route *route, assess_view *v)
{
	if (!route->any_of) return 0;
	authz_decision why = { 0 };
	for (int a = 0; a < AUTHZ_ACTION_COUNT; a++)
		if ((route->any_of & WEB_ACTION(a)) && assess_allowed(w, v, (authz_action)a, NULL, &why)) return 0;
	web_error(w, 403, route->refusal ? route->refusal : why.message);
	return 403;
}

static int load_assessment(web *w, const web_route *route, int64_t id)
{
	assess_view *v = arena_alloc(w->a, sizeof *v);
	bool ok = route->unscored ? assess_view_load_unscored(w, id, (answer_side)route->side, route->action, v)
	                          : assess_view_load(w, id, (answer_side)route->side, route->action, v);
	if (!ok) return status_of(w);
	w->view = v;
	return check_any_of(w, route, v);
}

static int load_private(web *w, const web_route *route)
{
	assess_view *v = arena_alloc(w->a, sizeof *v);
	if (route->action != AUTHZ_VIEW) {
		web_error(w, 500, "Tuyến khai báo sai: hồ sơ riêng chỉ được xem (AUTHZ_VIEW).");
		return 500;
	}
	if (!assess_view_load_private(w, w->ids[0], v)) return status_of(w);
	w->view = v;
	return 0;
}

/* The assessment, seen, then `action` on its evidence: kind evidence,
 * which a published result does not open to everyone. */
static int load_evidence_of(web *w, const web_route *route, int64_t id)
{
	assess_view *v = arena_alloc(w->a, sizeof *v);
	if (!assess_view_load(w, id, ANSWER_SELF, AUTHZ_VIEW, v)) return status_of(w);
	w->view = v;
	authz_object saved = v->az.object;
	v->az.object.kind = AUTHZ_KIND_EVIDENCE;
	v->az.object.published = false;
	authz_decision why;
	bool ok = assess_allowed(w, v, route->action, NULL, &why);
	v->az.object = saved;
	if (ok || ((route->flags & WEB_PER_ITEM) && why.reason == AUTHZ_DENIED_NOT_ASSIGNED)) return 0;
	/* the one refusal → status mapping (assess.c): a locked state is 409 */
	int status = assess_refusal_status(assess_refusal_of_authz(&why));
	web_error(w, status, why.message);
	return status;
}

static int load_evidence(web *w, const web_route *route)
{
	evidence *e = arena_alloc(w->a, sizeof *e);
	int rc = evidence_get(w->d, w->ids[0], w->a, e);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, "Không tìm thấy minh chứng này."); return 404; }
	if (rc != DB_OK) { web_error(w, 500, "Không đọc được minh chứng. Vui lòng thử lại."); return 500; }
	w->evidence = e;
	return load_evidence_of(w, route, e->assessment_id);
}

static int load_round(web *w, const web_route *route)
{
	round_view *v = arena_alloc(w->a, sizeof *v);
	if (!round_view_load(w, w->ids[0], route->action, v)) return status_of(w);
	w->round = v;
	return 0;
}

/* One of the account's offices (not the round's) manages a school of the
 * round whose assessment the account may view. */
static bool manages_a_school(web *w, const round_view *v)
{
	authz_account acc = web_account(w);
	for (size_t g = 0; g < acc.n_grants; g++) {
		const authz_grant *gr = &acc.grants[g];
		if ((gr->role != AUTHZ_OFFICE_ADMIN && gr->role != AUTHZ_OFFICER) || gr->unit_id == v->r.office_unit_id) continue;
		assessment *as = NULL;
		size_t n = 0;
		if (assessment_list_managed(w->d, v->r.id, gr->unit_id, v->date, w->a, &as, &n) != DB_OK) db_clear_error(w->d);
		for (size_t i = 0; i < n; i++)
			if (office_assessment_allowed(w, v, &as[i], AUTHZ_VIEW)) return true;
	}
	return false;
}

/* The round as the offices that manage its schools see it: read, not
 * asked of the round's office (the commune is not in its scope). */
static int load_round_managed(web *w)
{
	round_view *v = arena_alloc(w->a, sizeof *v);
	int rc = round_get(w->d, w->ids[0], w->a, &v->r);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, "Không tìm thấy đợt đánh giá này."); return 404; }
	if (rc != DB_OK || unit_get(w->d, v->r.office_unit_id, w->a, &v->office) != DB_OK) {
		web_error(w, 500, "Không đọc được đợt đánh giá. Vui lòng thử lại.");
		return 500;
	}
	v->date = v->r.self_due ? v->r.self_due : office_today_iso(w);
	v->closed = v->r.state && strcmp(v->r.state, "closed") == 0;
	if (!manages_a_school(w, v)) {
		web_error(w, 403, "Cơ quan của bạn không quản lý trường nào trong đợt đánh giá này.");
		return 403;
	}
	w->round = v;
	return 0;
}

/* The round as its report to the superior sees it: the relations on the
 * report date, and a report capacity (sender or superior) on it. */
static int load_round_report(web *w)
{
	round_view *v = arena_alloc(w->a, sizeof *v);
	memset(v, 0, sizeof *v);
	int rc = round_get(w->d, w->ids[0], w->a, &v->r);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, "Không tìm thấy đợt đánh giá này."); return 404; }
	if (rc != DB_OK || unit_get(w->d, v->r.office_unit_id, w->a, &v->office) != DB_OK) {
		web_error(w, 500, "Không đọc được đợt đánh giá. Vui lòng thử lại.");
		return 500;
	}
	v->date = v->r.report_due ? v->r.report_due : v->r.self_due ? v->r.self_due : office_today_iso(w);
	v->closed = v->r.state && strcmp(v->r.state, "closed") == 0;
	unit_chain_on(w->d, v->office.id, UNIT_PARENT, v->date, w->a, &v->parents, &v->nparents);
	unit_chain_on(w->d, v->office.id, UNIT_EVALUATOR, v->date, w->a, &v->evaluators, &v->nevaluators);
	if (!round_report_capacities(w, v)) {
		int status = w->account_id ? 403 : 401;
		web_error(w, status, "Chỉ cơ quan lập báo cáo và cơ quan cấp trên nhận báo cáo mới xem được.");
		return status;
	}
	w->round = v;
	return 0;
}

static int admin_gate(web *w)
{
	authz_account acc = web_account(w);
	if (authz_is_administrator(&acc)) return 0;
	web_error(w, 403, "Trang quản trị chỉ dành cho quản trị viên hệ thống và quản trị viên của cơ quan quản lý.");
	return 403;
}

/* The Sở whose province a page sums up, and may the account read it? */
static int load_province(web *w)
{
	const char *date = office_today_iso(w);
	int64_t id = office_province_so(w, date);
	if (!id) {
		web_error(w, 403, "Tổng hợp toàn tỉnh dành cho cán bộ Sở Giáo dục và Đào tạo.");
		return 403;
	}
	unit *so = arena_alloc(w->a, sizeof *so);
	if (unit_get(w->d, id, w->a, so) != DB_OK || strcmp(so->type, "so") != 0) {
		db_clear_error(w->d);
		web_error(w, 404, "Không tìm thấy Sở Giáo dục và Đào tạo này.");
		return 404;
	}
	int64_t *parents = NULL, *evals = NULL;
	size_t np = 0, ne = 0;
	unit_chain_on(w->d, id, UNIT_PARENT, date, w->a, &parents, &np);
	unit_chain_on(w->d, id, UNIT_EVALUATOR, date, w->a, &evals, &ne);
	authz_ctx c = { .account = web_account(w) };
	c.object = (authz_object){ .kind = AUTHZ_KIND_UNIT, .unit_id = id, .parents = parents, .n_parents = np,
	                           .evaluators = evals, .n_evaluators = ne, .grant_role = AUTHZ_ROLE_INVALID };
	authz_decision why;
	if (!authz_check(&c, AUTHZ_VIEW, &why)) {
		int status = w->account_id ? 403 : 401;
		web_error(w, status, why.message);
		return status;
	}
	w->unit = so;
	return 0;
}

static int server_gate(web *w)
{
	authz_account acc = web_account(w);
	if (authz_may_configure_server(&acc)) return 0;
	web_error(w, w->account_id ? 403 : 401, "Chỉ quản trị viên hệ thống cấu hình máy chủ thư.");
	return w->account_id ? 403 : 401;
}

static int load(web *w, const web_route *route)
{
	if (route->load >= WEB_LOAD_ASSESSMENT && w->nids == 0) {
		web_error(w, 500, "Tuyến này khai báo đối tượng nhưng không có mã trong đường dẫn.");
		return 500;
	}
	switch (route->load) {
	case WEB_LOAD_ADMIN: return admin_gate(w);
	case WEB_LOAD_SERVER: return server_gate(w);
	case WEB_LOAD_PROVINCE: return load_province(w);
	case WEB_LOAD_ASSESSMENT: return load_assessment(w, route, w->ids[0]);
	case WEB_LOAD_ASSESSMENT_PRIVATE: return load_private(w, route);
	case WEB_LOAD_ASSESSMENT_EVIDENCE: return load_evidence_of(w, route, w->ids[0]);
	case WEB_LOAD_EVIDENCE: return load_evidence(w, route);
	case WEB_LOAD_ROUND: return load_round(w, route);
	case WEB_LOAD_ROUND_REPORT: return load_round_report(w);
	case WEB_LOAD_ROUND_MANAGED: return load_round_managed(w);
	case WEB_LOAD_UNDECLARED:
	case WEB_LOAD_NONE:
	case WEB_LOAD_OWN:
	case WEB_LOAD_COUNT:
		break;
	}
	return 0;
}

int web_route_prepare(web *w, const web_route *route)
{
	w->view = NULL;
	w->evidence = NULL;
	w->round = NULL;
	w->unit = NULL;
	w->in = NULL;
	w->nin = 0;
	/* access before the form: a refused caller learns nothing of the form's rules */
	int status = load(w, route);
	return status ? status : parse_inputs(w, route->inputs);
}

void web_route_release(web *w)
{
	if (w->view) assess_view_free(w->view);
	w->view = NULL;
	w->evidence = NULL;
	w->round = NULL;
	w->unit = NULL;
}
