/* page_admin.c — the administration pages (/quan-tri/): units with their
 * dated managing and evaluating relations and the history of both, the
 * unit import from the browser (upload → the importer's report →
 * confirm), accounts and their roles, and framework versions (upload a
 * corrected file → the loader's report with a summary and a diff against
 * the previous revision → publish it as a new revision).
 *
 * Who: authz_is_administrator opens the pages to system administrators
 * and office administrators; everything else is decided per object by
 * authz_check — AUTHZ_MANAGE_UNITS on the unit (and on the unit it is
 * placed under), AUTHZ_MANAGE_ACCOUNTS on every role of an account,
 * AUTHZ_MANAGE_FRAMEWORKS on a national framework (system administrators
 * only). The store does the writing and the audit rows (q_unit, q_account,
 * q_framework, import_unit), the same functions as the command line. */
#include "audit.h"
#include "fw_import.h"
#include "import.h"
#include "import_unit.h"
#include "import_unit_job.h"
#include "job.h"
#include "q_job.h"
#include "q_account.h"
#include "q_framework.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_job.h"
#include "web_office.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { UNITS_PER_PAGE = 50, ACCOUNTS_PER_PAGE = 50 };

/* ---- access --------------------------------------------------------------------------- */

static bool is_system_admin(web *w)
{
	for (size_t i = 0; i < w->ngrants; i++)
		if (w->grants[i].role == AUTHZ_SYSTEM_ADMIN) return true;
	return false;
}

/* The gate of every /quan-tri/ page. */
static bool admin_gate(web *w)
{
	authz_account acc = web_account(w);
	if (authz_is_administrator(&acc)) return true;
	web_error(w, 403, "Trang quản trị chỉ dành cho quản trị viên hệ thống và quản trị viên của cơ quan quản lý.");
	return false;
}

/* The office whose subtree an office administrator works on: the one
 * named by ?cq= among its own, else its first. 0 for a system
 * administrator (every unit). */
static int64_t admin_office(web *w)
{
	if (is_system_admin(w)) return 0;
	int64_t asked = office_param_id(w, "cq"), first = 0;
	for (size_t i = 0; i < w->ngrants; i++) {
		if (w->grants[i].role != AUTHZ_OFFICE_ADMIN) continue;
		if (!first) first = w->grants[i].unit_id;
		if (asked == w->grants[i].unit_id) return asked;
	}
	return first;
}

/* The object "unit_id, with its chains today" for authz. */
static void unit_object(web *w, int64_t unit_id, authz_object *o)
{
	int64_t *p = NULL, *e = NULL;
	size_t np = 0, ne = 0;
	const char *today = office_today_iso(w);
	unit_chain_on(w->d, unit_id, UNIT_PARENT, today, w->a, &p, &np);
	unit_chain_on(w->d, unit_id, UNIT_EVALUATOR, today, w->a, &e, &ne);
	memset(o, 0, sizeof *o);
	o->kind = AUTHZ_KIND_UNIT;
	o->unit_id = unit_id;
	o->parents = p;
	o->n_parents = np;
	o->evaluators = e;
	o->n_evaluators = ne;
	o->state = WF_STATE_INVALID;
	o->grant_role = AUTHZ_ROLE_INVALID;
}

static bool may_manage_unit(web *w, int64_t unit_id, authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	unit_object(w, unit_id, &c.object);
	return authz_check(&c, AUTHZ_MANAGE_UNITS, why);
}

/* May a unit be placed under `office_id` (created there, moved there)?
 * Asked as "a unit being created" whose chains start at that office. */
static bool may_place_under(web *w, int64_t office_id, authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	authz_object o;
	unit_object(w, office_id, &o);
	int64_t *p = arena_alloc(w->a, (o.n_parents + 1) * sizeof *p);
	p[0] = office_id;
	if (o.n_parents) memcpy(p + 1, o.parents, o.n_parents * sizeof *p);
	o.unit_id = 0;
	o.parents = p;
	o.n_parents++;
	c.object = o;
	return authz_check(&c, AUTHZ_MANAGE_UNITS, why);
}

/* One role of an account (existing or to be granted) as an authz object. */
static bool role_allowed(web *w, authz_action action, int64_t account_id, authz_role role, int64_t unit_id,
                         authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	unit_object(w, unit_id, &c.object);
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.account_id = account_id;
	c.object.grant_role = role;
	return authz_check(&c, action, why);
}

/* Viewing an account: one of its roles lies in the administrator's
 * scope. Managing it (password, disabling, roles): every one does, so an
 * office administrator cannot lock out a superior who also holds a role
 * in one of its schools. A system administrator does both, also for an
 * account without roles. */
static bool may_account(web *w, int64_t account_id, const role_assignment *roles, size_t n, bool manage,
                        authz_decision *why)
{
	if (is_system_admin(w)) return true;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		authz_decision d;
		bool ok = role_allowed(w, manage ? AUTHZ_MANAGE_ACCOUNTS : AUTHZ_VIEW, account_id,
		                       authz_role_parse(roles[i].role), roles[i].unit_id, &d);
		if (ok) any = true;
		else if (manage) {
			if (why) *why = d;
			return false;
		}
	}
	if (!any && why) {
		why->allow = false;
		why->reason = AUTHZ_DENIED_SCOPE;
		why->message = authz_reason_message(AUTHZ_DENIED_SCOPE);
	}
	return any;
}

/* ---- small helpers -------------------------------------------------------------------- */

static const char *pval(web *w, const char *name, const char *dflt)
{
	const char *v = web_text(w, name);
	return v ? v : dflt;
}

static const char *sel(bool on) { return on ? " selected" : ""; }

static size_t page_param(web *w)
{
	const char *p = http_param(w->r, "trang");
	long v = p ? strtol(p, NULL, 10) : 1;
	return v >= 1 && v <= 100000 ? (size_t)v : 1;
}

/* A unit given by its code (what officers know) or its number. */
static bool unit_by_ref(web *w, const char *ref, unit *out)
{
	if (!ref || !*ref) return false;
	if (unit_find_code(w->d, ref, w->a, out) == DB_OK) return true;
	db_clear_error(w->d);
	return false;
}

/* "2025-09-01" or "01/09/2025" → ISO in the arena; NULL when invalid. */
static const char *date_param(web *w, const char *name)
{
	const char *v = web_text(w, name);
	int y, m, d;
	if (!v || !vn_parse_date(v, &y, &m, &d)) return NULL;
	return arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
}

/* The day before an ISO date: the last day a relation closed on `to` held. */
static const char *day_before(web *w, const char *iso)
{
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) return "";
	if (--d == 0) {
		static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		if (--m == 0) { m = 12; y--; }
		d = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	}
	return arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
}

static void admin_nav(web *w, const char *here)
{
	static const char *const tabs[][2] = {
		{ "/quan-tri/don-vi", "Đơn vị" }, { "/quan-tri/tai-khoan", "Tài khoản và vai trò" },
		{ "/quan-tri/bo-chi-so", "Bộ chỉ số" }, { "/quan-tri/chu-ky-so", "Chữ ký số" },
	};
	html_f(w->out, "<nav class=\"tabs\" aria-label=\"Quản trị\">");
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		html_f(w->out, "<a href=\"%a\"%h>%h</a>", tabs[i][0],
		       strcmp(here, tabs[i][0]) == 0 ? " aria-current=\"page\"" : "", tabs[i][1]);
	html_f(w->out, "</nav>");
}

static const char *const unit_types[] = { "bo", "ubnd_tinh", "so", "phong", "ubnd_xa", "mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx" };

static void type_options(web *w, const char *cur, bool any)
{
	if (any) html_f(w->out, "<option value=\"\">Mọi loại hình</option>");
	else if (!cur || !*cur) html_f(w->out, "<option value=\"\" selected>— Chọn loại hình —</option>");
	for (size_t i = 0; i < ARRAY_LEN(unit_types); i++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", unit_types[i], sel(cur && strcmp(cur, unit_types[i]) == 0),
		       office_unit_type_label(unit_types[i]));
}

/* The offices (Bộ, Sở, Phòng, UBND xã) the administrator may place units
 * under, not dissolved, as a <datalist id="co-quan"> for the unit-code
 * fields: the officer types a name or a code and picks. */
static void office_datalist(web *w)
{
	static const char *const types[] = { "bo", "ubnd_tinh", "so", "phong", "ubnd_xa" };
	html_f(w->out, "<datalist id=\"co-quan\">");
	for (size_t t = 0; t < ARRAY_LEN(types); t++) {
		unit_filter f = { .type = types[t], .scope_office = admin_office(w), .date = office_today_iso(w), .limit = 1000 };
		unit_list_row *rows = NULL;
		size_t n = 0;
		int64_t total = 0;
		if (unit_list(w->d, &f, w->a, &rows, &n, &total) != DB_OK) { db_clear_error(w->d); continue; }
		for (size_t i = 0; i < n; i++)
			html_f(w->out, "<option value=\"%a\">%h</option>", rows[i].u.code, rows[i].u.name);
	}
	html_f(w->out, "</datalist>");
}

/* ---- /quan-tri ------------------------------------------------------------------------ */

static void admin_home(web *w)
{
	if (!admin_gate(w)) return;
	http_redirect(w->r, "/quan-tri/don-vi");
}

/* ---- units: list ---------------------------------------------------------------------- */

static void units_list(web *w)
{
	if (!admin_gate(w)) return;
	const char *text = pval(w, "q", ""), *type = pval(w, "loai", "");
	const char *parent_code = pval(w, "quan_ly", "");
	unit parent = { 0 };
	bool has_parent = *parent_code && unit_by_ref(w, parent_code, &parent);
	size_t page = page_param(w);
	const char *gt = pval(w, "giai_the", "");
	bool dissolved = !strcmp(gt, "1");
	unit_filter f = { .text = text, .type = type, .parent_id = has_parent ? parent.id : 0,
		.scope_office = admin_office(w), .date = office_today_iso(w), .with_dissolved = dissolved,
		.limit = UNITS_PER_PAGE, .offset = (page - 1) * UNITS_PER_PAGE };
	unit_list_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (unit_list(w->d, &f, w->a, &rows, &n, &total) != DB_OK) {
		web_error(w, 500, "Không đọc được danh sách đơn vị. Vui lòng thử lại.");
		return;
	}
	page_begin(w, "Quản trị đơn vị");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/don-vi");
	html_f(w->out, "<section class=\"card\"><h2>Đơn vị</h2>"
	               "<p><a class=\"button\" href=\"/quan-tri/don-vi/moi\">Thêm đơn vị</a> "
	               "<a class=\"button\" href=\"/quan-tri/don-vi/nhap\">Nhập danh sách (CSV, XLSX)</a></p>"
	               "<form method=\"get\" action=\"/quan-tri/don-vi\" class=\"filters\">"
	               "<label>Tìm theo tên hoặc mã<input name=\"q\" value=\"%a\" maxlength=\"200\"></label>"
	               "<label>Loại hình<select name=\"loai\">", text);
	type_options(w, type, true);
	html_f(w->out, "</select></label><label>Mã đơn vị quản lý<input name=\"quan_ly\" value=\"%a\" maxlength=\"40\"></label>"
	               "<label class=\"check\"><input type=\"checkbox\" name=\"giai_the\" value=\"1\"%h> Hiện cả đơn vị đã giải thể</label>"
	               "<button type=\"submit\">Lọc</button></form>", parent_code, dissolved ? " checked" : "");
	if (*parent_code && !has_parent)
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Không có đơn vị mã %h.</p>", parent_code);
	html_f(w->out, "<p>%D đơn vị.</p>", total);
	if (n) {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"units labelled\"><thead><tr><th>Tên đơn vị</th><th>Mã</th><th>Loại hình</th>"
		               "<th>Đơn vị quản lý</th><th>Đơn vị đánh giá</th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			const unit_list_row *r = &rows[i];
			html_f(w->out, "<tr%h><td><a href=\"/quan-tri/don-vi/%D\">%h</a>", r->dissolved_on ? " class=\"dissolved\"" : "",
			       r->u.id, r->u.name);
			if (r->dissolved_on)
				html_f(w->out, " <span class=\"badge dissolved\">Đã giải thể từ %h</span>", web_date_short(w, r->dissolved_on));
			html_f(w->out, "</td><td data-label=\"Mã\">%h</td><td data-label=\"Loại hình\">%h</td>"
			               "<td data-label=\"Đơn vị quản lý\">%h</td><td data-label=\"Đơn vị đánh giá\">%h</td></tr>",
			       r->u.code, office_unit_type_label(r->u.type), r->parent_name ? r->parent_name : "—",
			       r->evaluator_name ? r->evaluator_name : "—");
		}
		html_f(w->out, "</tbody></table></div>");
	}
	size_t pages = (size_t)((total + UNITS_PER_PAGE - 1) / UNITS_PER_PAGE);
	if (pages > 1) {
		html_f(w->out, "<nav class=\"pager\" aria-label=\"Trang\">");
		if (page > 1)
			html_f(w->out, "<a href=\"/quan-tri/don-vi?q=%u&amp;loai=%u&amp;quan_ly=%u&amp;giai_the=%u&amp;trang=%z\">← Trang trước</a> ",
			       text, type, parent_code, gt, page - 1);
		html_f(w->out, "<span>Trang %z / %z</span>", page, pages);
		if (page < pages)
			html_f(w->out, " <a href=\"/quan-tri/don-vi?q=%u&amp;loai=%u&amp;quan_ly=%u&amp;giai_the=%u&amp;trang=%z\">Trang sau →</a>",
			       text, type, parent_code, gt, page + 1);
		html_f(w->out, "</nav>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

/* ---- units: create -------------------------------------------------------------------- */

/* The school levels a liên cấp unit combines (q_unit.c's order), each a
 * checkbox cap_hoc_<code>. */
static const char *const school_levels[] = { "mam_non", "tieu_hoc", "thcs", "thpt" };

static bool level_in(const char *levels, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = levels; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, code, n)) return true;
		p = e ? e + 1 : p + len;
	}
	return false;
}

/* "tieu_hoc,thcs" → "Tiểu học, THCS" (the unit type labels). */
static const char *levels_text(web *w, const char *levels)
{
	buf b;
	buf_init(&b);
	for (const char *p = levels; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *code = arena_strndup(w->a, p, len);
		buf_printf(&b, "%s%s", b.len ? ", " : "", office_unit_type_label(code));
		p = e ? e + 1 : p + len;
	}
	const char *out = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The levels of the form: the checked boxes in order, or the older
 * single field cap_hoc ("tieu_hoc,thcs"); NULL for none. */
static const char *levels_from_form(web *w)
{
	const char *typed = web_text(w, "cap_hoc");
	if (typed && *typed) return typed;
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < ARRAY_LEN(school_levels); i++) {
		const char *v = web_text(w, arena_printf(w->a, "cap_hoc_%s", school_levels[i]));
		if (v && !strcmp(v, "1")) buf_printf(&b, "%s%s", b.len ? "," : "", school_levels[i]);
	}
	const char *out = b.len ? arena_strdup(w->a, buf_str(&b)) : NULL;
	buf_free(&b);
	return out;
}

static void unit_fields(web *w, const unit *u)
{
	const char *type = pval(w, "loai", u ? u->type : "");
	html_f(w->out, "<label>Mã đơn vị<input name=\"ma\" value=\"%a\" required maxlength=\"40\" pattern=\"[A-Za-z0-9._\\-]+\"></label>"
	               "<label>Tên đơn vị<input name=\"ten\" value=\"%a\" required maxlength=\"300\"></label>"
	               "<label>Loại hình<select name=\"loai\" required>",
	       pval(w, "ma", u ? u->code : ""), pval(w, "ten", u ? u->name : ""));
	type_options(w, type, false);
	bool pub = u ? u->is_public : true;
	const char *cl = web_text(w, "cong_lap");
	if (cl) pub = strcmp(cl, "1") == 0;
	/* after this form was refused the boxes show what was sent (not after
	 * another form of the unit's page, whose POST carries no boxes) */
	bool posted = w->r->method && !strcmp(w->r->method, "POST") && web_text(w, "ma");
	const char *levels = posted ? levels_from_form(w) : u ? u->levels : NULL;
	html_f(w->out, "</select></label><fieldset class=\"levels\"><legend>Các cấp học (chỉ với trường liên cấp: chọn từ hai cấp)</legend>");
	for (size_t i = 0; i < ARRAY_LEN(school_levels); i++)
		html_f(w->out, "<label class=\"check\"><input type=\"checkbox\" name=\"cap_hoc_%a\" value=\"1\"%h> %h</label>",
		       school_levels[i], level_in(levels, school_levels[i]) ? " checked" : "", office_unit_type_label(school_levels[i]));
	html_f(w->out, "</fieldset>"
	               "<label>Địa chỉ<input name=\"dia_chi\" value=\"%a\" maxlength=\"500\"></label>"
	               "<label>Công lập / tư thục<select name=\"cong_lap\"><option value=\"1\"%h>Công lập</option>"
	               "<option value=\"0\"%h>Tư thục, dân lập</option></select></label>",
	       pval(w, "dia_chi", u && u->address ? u->address : ""), sel(pub), sel(!pub));
}

static void unit_new_page(web *w, int status, const char *error)
{
	if (status) w->r->status = status;
	page_begin(w, "Thêm đơn vị");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/don-vi");
	html_f(w->out, "<section class=\"card\"><h2>Thêm đơn vị</h2>");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/don-vi\" class=\"grid-form\">");
	web_csrf_field(w);
	unit_fields(w, NULL);
	office_datalist(w);
	html_f(w->out, "<label>Đơn vị quản lý (gõ tên hoặc mã để chọn)<input name=\"quan_ly\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Đơn vị đánh giá (để trống: như đơn vị quản lý)<input name=\"danh_gia\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Từ ngày<input type=\"date\" name=\"tu_ngay\" value=\"%a\"></label>"
	               "<p><button type=\"submit\">Thêm đơn vị</button></p></form></section>",
	       pval(w, "quan_ly", ""), pval(w, "danh_gia", ""), pval(w, "tu_ngay", office_today_iso(w)));
	page_end(w);
}

static void unit_new_get(web *w)
{
	if (!admin_gate(w)) return;
	unit_new_page(w, 0, NULL);
}

static unit unit_from_form(web *w)
{
	const char *levels = levels_from_form(w), *addr = web_text(w, "dia_chi"), *cl = web_text(w, "cong_lap");
	unit u = { .code = web_text(w, "ma"), .name = web_text(w, "ten"), .type = web_text(w, "loai"),
		.address = addr && *addr ? addr : NULL, .levels = levels && *levels ? levels : NULL,
		.is_public = !cl || strcmp(cl, "0") != 0 };
	return u;
}

static void unit_create_post(web *w)
{
	if (!admin_gate(w)) return;
	unit u = unit_from_form(w);
	const char *pref = web_text(w, "quan_ly"), *eref = web_text(w, "danh_gia");
	const char *from = date_param(w, "tu_ngay");
	unit parent = { 0 }, eval = { 0 };
	if (pref && *pref && !unit_by_ref(w, pref, &parent)) { unit_new_page(w, 422, "Không có đơn vị quản lý với mã này."); return; }
	if (eref && *eref && !unit_by_ref(w, eref, &eval)) { unit_new_page(w, 422, "Không có đơn vị đánh giá với mã này."); return; }
	if (!eval.id) eval = parent;
	authz_decision why;
	/* An office administrator creates units only under its own subtree. */
	if (!parent.id && !is_system_admin(w)) { unit_new_page(w, 422, "Cần mã đơn vị quản lý thuộc phạm vi của bạn."); return; }
	if (parent.id && !may_place_under(w, parent.id, &why)) { web_error(w, 403, why.message); return; }
	if (eval.id && eval.id != parent.id && !may_place_under(w, eval.id, &why)) { web_error(w, 403, why.message); return; }
	if ((parent.id || eval.id) && !from) { unit_new_page(w, 422, "Ngày hiệu lực không hợp lệ."); return; }
	unit existing;
	if (u.code && unit_find_code(w->d, u.code, w->a, &existing) == DB_OK) {
		unit_new_page(w, 422, arena_printf(w->a, "Mã đơn vị %s đã có (%s).", u.code, existing.name));
		return;
	}
	db_clear_error(w->d);
	/* One transaction: a unit whose relation is refused is not left behind. */
	int64_t id = 0;
	int rc = db_begin_write(w->d);
	if (rc == DB_OK) rc = unit_save(w->d, w->account_id, &u, &id, NULL);
	if (rc == DB_OK && parent.id) rc = unit_relate(w->d, w->account_id, id, UNIT_PARENT, parent.id, from);
	if (rc == DB_OK && eval.id) rc = unit_relate(w->d, w->account_id, id, UNIT_EVALUATOR, eval.id, from);
	if (rc == DB_OK) rc = db_commit(w->d);
	else if (db_tx_depth(w->d)) db_rollback(w->d);
	if (rc != DB_OK) {
		unit_new_page(w, rc == DB_EINVAL || rc == DB_ECONSTRAINT ? 422 : 500, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/don-vi/%lld", (long long)id), "da-luu");
}

/* ---- units: one unit ------------------------------------------------------------------ */

static const char *unit_label(web *w, int64_t id)
{
	unit u;
	if (id && unit_get(w->d, id, w->a, &u) == DB_OK) return arena_printf(w->a, "%s (%s)", u.name, u.code);
	db_clear_error(w->d);
	return id ? arena_printf(w->a, "đơn vị số %lld", (long long)id) : "—";
}

static const char *account_label(web *w, int64_t id)
{
	if (!id) return "Hệ thống (dòng lệnh, nhập dữ liệu)";
	account a;
	if (account_get(w->d, id, w->a, &a) == DB_OK) return arena_printf(w->a, "%s (%s)", a.full_name, a.login);
	db_clear_error(w->d);
	return arena_printf(w->a, "tài khoản số %lld", (long long)id);
}

/* Who recorded relation r and when: the audit row that opened it (its
 * "after" names the same kind, other unit and start date). */
static const audit_entry *relation_audit(const unit_relation *r, const audit_entry *h, size_t nh)
{
	const audit_entry *found = NULL;
	for (size_t i = 0; i < nh; i++) {
		if (strcmp(h[i].action, "unit.relate") != 0 && strcmp(h[i].action, "unit.relation.correct") != 0) continue;
		json_t *j = h[i].after_json ? json_loads(h[i].after_json, 0, NULL) : NULL;
		if (!j) continue;
		const char *kind = json_string_value(json_object_get(j, "kind"));
		const char *from = json_string_value(json_object_get(j, "valid_from"));
		json_int_t other = json_integer_value(json_object_get(j, "other_unit_id"));
		if (kind && from && !strcmp(kind, unit_rel_code(r->kind)) && !strcmp(from, r->valid_from) &&
		    other == r->other_unit_id)
			found = &h[i];
		json_decref(j);
	}
	return found;
}

static const char *audit_action_label(const char *a)
{
	static const char *const labels[][2] = {
		{ "unit.create", "Tạo đơn vị" }, { "unit.update", "Sửa thông tin" }, { "unit.code", "Đổi mã đơn vị" },
		{ "unit.relate", "Thay đổi quan hệ" }, { "unit.relation.correct", "Sửa quan hệ trong ngày bắt đầu" },
		{ "unit.unrelate", "Kết thúc quan hệ" },
	};
	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (!strcmp(a, labels[i][0])) return labels[i][1];
	return a;
}

/* A JSON scalar as a reader says it (malloc'd). */
static char *json_value_text(const json_t *v)
{
	if (json_is_string(v)) return xstrdup(json_string_value(v));
	if (json_is_true(v)) return xstrdup("có");
	if (json_is_false(v)) return xstrdup("không");
	if (json_is_null(v)) return xstrdup("—");
	return json_dumps(v, JSON_ENCODE_ANY);
}

/* One audit row of a unit as a sentence: the relation and its dates, or
 * the fields that changed ("Tên: … → …"). */
static const char *audit_summary(web *w, const audit_entry *e)
{
	json_t *before = e->before_json ? json_loads(e->before_json, 0, NULL) : NULL;
	json_t *after = e->after_json ? json_loads(e->after_json, 0, NULL) : NULL;
	buf b;
	buf_init(&b);
	const char *kind = json_string_value(json_object_get(after ? after : before, "kind"));
	if (kind) {
		json_t *j = after ? after : before;
		const char *from = json_string_value(json_object_get(j, "valid_from"));
		const char *to = json_string_value(json_object_get(j, "valid_to"));
		buf_printf(&b, "%s: %s từ %s", strcmp(kind, "parent") ? "Đơn vị đánh giá" : "Đơn vị quản lý",
		           unit_label(w, (int64_t)json_integer_value(json_object_get(j, "other_unit_id"))), web_date_short(w, from));
		if (to) buf_printf(&b, " đến %s", web_date_short(w, day_before(w, to)));
		if (before && after && !strcmp(e->action, "unit.relate"))
			buf_printf(&b, " (thay %s)", unit_label(w, (int64_t)json_integer_value(json_object_get(before, "other_unit_id"))));
	} else if (after) {
		static const char *const fields[][2] = {
			{ "code", "Mã" }, { "name", "Tên" }, { "type", "Loại hình" }, { "address", "Địa chỉ" },
			{ "levels", "Cấp học" }, { "is_public", "Hình thức" },
		};
		for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
			json_t *x = json_object_get(after, fields[i][0]);
			json_t *o = before ? json_object_get(before, fields[i][0]) : NULL;
			if (!x || (before && json_equal(x, o)) || (!before && json_is_null(x))) continue;
			char *xs = json_value_text(x), *os = o ? json_value_text(o) : NULL;
			if (!strcmp(fields[i][0], "type")) {
				buf_printf(&b, "%s%s: %s%s%s", b.len ? "; " : "", fields[i][1], os ? office_unit_type_label(os) : "",
				           os ? " → " : "", office_unit_type_label(xs));
			} else if (!strcmp(fields[i][0], "levels")) {
				buf_printf(&b, "%s%s: %s%s%s", b.len ? "; " : "", fields[i][1], o && !json_is_null(o) ? levels_text(w, os) : "",
				           o && !json_is_null(o) ? " → " : "", json_is_null(x) ? "không" : levels_text(w, xs));
			} else if (!strcmp(fields[i][0], "is_public")) {
				buf_printf(&b, "%s%s: %s%s%s", b.len ? "; " : "", fields[i][1], o ? (json_is_true(o) ? "Công lập" : "Tư thục") : "",
				           o ? " → " : "", json_is_true(x) ? "Công lập" : "Tư thục");
			} else {
				buf_printf(&b, "%s%s: %s%s%s", b.len ? "; " : "", fields[i][1], os ? os : "", os ? " → " : "", xs);
			}
			free(xs);
			free(os);
		}
	}
	json_decref(before);
	json_decref(after);
	const char *out = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return out;
}

static void unit_page(web *w, int64_t id, int status, const char *error)
{
	unit u;
	if (unit_get(w->d, id, w->a, &u) != DB_OK) { web_error(w, 404, "Không tìm thấy đơn vị này."); return; }
	unit_relation *rels = NULL;
	size_t nr = 0;
	audit_entry *h = NULL;
	size_t nh = 0;
	if (unit_relations(w->d, id, w->a, &rels, &nr) != DB_OK || audit_history(w->d, "unit", id, w->a, &h, &nh) != DB_OK) {
		web_error(w, 500, "Không đọc được lịch sử của đơn vị. Vui lòng thử lại.");
		return;
	}
	if (status) w->r->status = status;
	/* dissolved (unit_list_row): every relation it had ended by today */
	const char *today = office_today_iso(w), *dissolved = NULL;
	for (size_t i = 0; i < nr; i++) {
		if (!rels[i].valid_to || strcmp(rels[i].valid_to, today) > 0) { dissolved = NULL; break; }
		if (!dissolved || strcmp(rels[i].valid_to, dissolved) > 0) dissolved = rels[i].valid_to;
	}
	page_begin(w, u.name);
	html_f(w->out, "<h1>%h</h1>", u.name);
	admin_nav(w, "/quan-tri/don-vi");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out, "<section class=\"card\"><h2>Thông tin đơn vị</h2>");
	if (dissolved)
		html_f(w->out, "<p class=\"dissolved-note\"><span class=\"badge dissolved\">Đã giải thể từ %h</span> Không còn đơn vị "
		               "quản lý, đơn vị đánh giá; lịch sử được giữ nguyên.</p>", web_date_short(w, dissolved));
	html_f(w->out, "<dl class=\"facts\">"
	               "<dt>Mã</dt><dd>%h</dd><dt>Loại hình</dt><dd>%h</dd>",
	       u.code, office_unit_type_label(u.type));
	if (u.levels) html_f(w->out, "<dt>Các cấp học</dt><dd>%h</dd>", levels_text(w, u.levels));
	html_f(w->out, "<dt>Địa chỉ</dt><dd>%h</dd><dt>Công lập</dt><dd>%h</dd></dl>"
	               "<details><summary>Sửa thông tin</summary><form method=\"post\" action=\"/quan-tri/don-vi/%D\" class=\"grid-form\">",
	       u.address ? u.address : "—", u.is_public ? "Công lập" : "Tư thục", u.id);
	web_csrf_field(w);
	unit_fields(w, &u);
	html_f(w->out, "<p><button type=\"submit\">Lưu</button></p></form></details></section>");

	/* the relations, both kinds, each with its dates and who recorded it */
	html_f(w->out, "<section class=\"card\"><h2>Đơn vị quản lý và đơn vị đánh giá</h2>");
	for (int k = 0; k < 2; k++) {
		unit_rel kind = k == 0 ? UNIT_PARENT : UNIT_EVALUATOR;
		html_f(w->out, "<h3>%h</h3>", kind == UNIT_PARENT ? "Đơn vị quản lý (trực thuộc)" : "Đơn vị đánh giá, công nhận");
		size_t shown = 0;
		for (size_t i = nr; i-- > 0;) {
			if (rels[i].kind != kind) continue;
			if (!shown++)
				html_f(w->out, "<div class=\"table-wrap\"><table class=\"history labelled\"><thead><tr><th>Đơn vị</th><th>Từ ngày</th>"
				               "<th>Đến ngày</th><th>Ghi nhận bởi</th><th>Lúc</th></tr></thead><tbody>");
			const audit_entry *e = relation_audit(&rels[i], h, nh);
			bool current = strcmp(rels[i].valid_from, today) <= 0 && (!rels[i].valid_to || strcmp(rels[i].valid_to, today) > 0);
			html_f(w->out, "<tr%h><td>%h</td><td data-label=\"Từ ngày\">%h</td><td data-label=\"Đến ngày\">%h</td>"
			               "<td data-label=\"Ghi nhận bởi\">%h</td><td data-label=\"Lúc\">%h</td></tr>",
			       current ? " class=\"current\"" : "", unit_label(w, rels[i].other_unit_id),
			       web_date_short(w, rels[i].valid_from),
			       rels[i].valid_to ? web_date_short(w, day_before(w, rels[i].valid_to)) : "nay",
			       e ? account_label(w, e->account_id) : "—", e ? office_time(w, e->at) : "—");
		}
		if (shown) html_f(w->out, "</tbody></table></div>");
		else html_f(w->out, "<p>Chưa có.</p>");
	}
	html_f(w->out, "<h3>Thay đổi từ một ngày</h3><p class=\"explain\">Quan hệ đang có được đóng vào ngày trước ngày hiệu lực; "
	               "lịch sử không bị ghi đè. Đơn vị quản lý và đơn vị đánh giá phải là cơ quan quản lý (Bộ, Sở, Phòng GD&ĐT, UBND xã).</p>"
	               "<form method=\"post\" action=\"/quan-tri/don-vi/%D/quan-he\" class=\"grid-form\">", u.id);
	web_csrf_field(w);
	office_datalist(w);
	const char *kind = pval(w, "loai_quan_he", "evaluator");
	html_f(w->out, "<label>Quan hệ<select name=\"loai_quan_he\"><option value=\"parent\"%h>Đơn vị quản lý</option>"
	               "<option value=\"evaluator\"%h>Đơn vị đánh giá</option></select></label>"
	               "<label>Đơn vị mới (gõ tên hoặc mã để chọn)<input name=\"don_vi\" value=\"%a\" required maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Từ ngày<input type=\"date\" name=\"tu_ngay\" value=\"%a\" required></label>"
	               "<p><button type=\"submit\">Ghi thay đổi</button></p></form></section>",
	       sel(!strcmp(kind, "parent")), sel(strcmp(kind, "parent") != 0), pval(w, "don_vi", ""), pval(w, "tu_ngay", today));

	html_f(w->out, "<section class=\"card\"><h2>Nhật ký thay đổi</h2>");
	if (!nh) html_f(w->out, "<p>Chưa có.</p>");
	else {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"audit labelled\"><thead><tr><th>Lúc</th><th>Người thực hiện</th><th>Thay đổi</th>"
		               "<th>Nội dung</th></tr></thead><tbody>");
		for (size_t i = nh; i-- > 0;)
			html_f(w->out, "<tr><td>%h</td><td data-label=\"Người thực hiện\">%h</td><td data-label=\"Thay đổi\">%h</td>"
			               "<td data-label=\"Nội dung\">%h</td></tr>",
			       office_time(w, h[i].at), account_label(w, h[i].account_id), audit_action_label(h[i].action),
			       audit_summary(w, &h[i]));
		html_f(w->out, "</tbody></table></div>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

static void unit_get_page(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	if (!may_manage_unit(w, w->ids[0], &why)) { web_error(w, 403, why.message); return; }
	unit_page(w, w->ids[0], 0, NULL);
}

static void unit_edit_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	if (!may_manage_unit(w, w->ids[0], &why)) { web_error(w, 403, why.message); return; }
	unit u = unit_from_form(w);
	int rc = unit_update(w->d, w->account_id, w->ids[0], &u);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, "Không tìm thấy đơn vị này."); return; }
	if (rc != DB_OK) { unit_page(w, w->ids[0], rc == DB_EINVAL || rc == DB_ECONSTRAINT ? 422 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/don-vi/%lld", (long long)w->ids[0]), "da-luu");
}

static void unit_relation_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	int64_t id = w->ids[0];
	if (!may_manage_unit(w, id, &why)) { web_error(w, 403, why.message); return; }
	const char *k = web_text(w, "loai_quan_he");
	if (!k || (strcmp(k, "parent") != 0 && strcmp(k, "evaluator") != 0)) { unit_page(w, id, 422, "Chưa chọn loại quan hệ."); return; }
	unit other;
	if (!unit_by_ref(w, web_text(w, "don_vi"), &other)) { unit_page(w, id, 422, "Không có đơn vị với mã đã nhập."); return; }
	const char *from = date_param(w, "tu_ngay");
	if (!from) { unit_page(w, id, 422, "Ngày hiệu lực không hợp lệ."); return; }
	if (!may_place_under(w, other.id, &why)) { web_error(w, 403, why.message); return; }
	int rc = unit_relate(w->d, w->account_id, id, strcmp(k, "parent") ? UNIT_EVALUATOR : UNIT_PARENT, other.id, from);
	if (rc != DB_OK) { unit_page(w, id, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/don-vi/%lld", (long long)id), "da-luu");
}

/* ---- units: import -------------------------------------------------------------------- */

static void import_form(web *w)
{
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/don-vi/nhap\" enctype=\"multipart/form-data\" class=\"grid-form\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Tệp danh sách đơn vị (XLSX hoặc CSV, tối đa 20 MB)<input type=\"file\" name=\"tep\" required "
	               "accept=\".xlsx,.csv,.txt\"></label>"
	               "<label>Quan hệ quản lý, đánh giá có hiệu lực từ ngày<input type=\"date\" name=\"tu_ngay\" value=\"%a\" required></label>"
	               "<p><button type=\"submit\">Kiểm tra tệp</button></p></form>",
	       pval(w, "tu_ngay", office_today_iso(w)));
}

static void import_get(web *w)
{
	if (!admin_gate(w)) return;
	if (!is_system_admin(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	page_begin(w, "Nhập danh sách đơn vị");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/don-vi");
	html_f(w->out, "<section class=\"card\"><h2>Nhập danh sách đơn vị</h2>"
	               "<p class=\"explain\">Tệp Excel (XLSX) hoặc CSV, mỗi dòng một đơn vị, dòng tiêu đề ở trên cùng (có thể có "
	               "tiêu đề bảng phía trên). Tên cột viết có dấu hay không dấu đều được; cột khác (STT, Ghi chú) được bỏ qua.</p>"
	               "<div class=\"table-wrap\"><table class=\"import-columns labelled\"><thead><tr><th>Cột</th><th>Nội dung</th>"
	               "<th>Bắt buộc</th></tr></thead><tbody>"
	               "<tr><td>Mã đơn vị</td><td data-label=\"Nội dung\">Mã trường hoặc mã cơ quan: chữ không dấu, chữ số, dấu . - _</td>"
	               "<td data-label=\"Bắt buộc\">Có</td></tr>"
	               "<tr><td>Tên đơn vị</td><td data-label=\"Nội dung\">Tên đầy đủ, có dấu</td><td data-label=\"Bắt buộc\">Có</td></tr>"
	               "<tr><td>Loại hình</td><td data-label=\"Nội dung\">Mầm non, Tiểu học, THCS, THPT, Liên cấp, GDTX; hoặc Phòng GD&amp;ĐT, "
	               "Sở GD&amp;ĐT, UBND xã/phường</td><td data-label=\"Bắt buộc\">Có</td></tr>"
	               "<tr><td>Các cấp học</td><td data-label=\"Nội dung\">Với trường liên cấp, ví dụ: Tiểu học, THCS</td>"
	               "<td data-label=\"Bắt buộc\">Với trường liên cấp</td></tr>"
	               "<tr><td>Mã đơn vị quản lý</td><td data-label=\"Nội dung\">Mã (hoặc tên chính xác) của cơ quan quản lý, có sẵn "
	               "hoặc ở một dòng khác của tệp</td><td data-label=\"Bắt buộc\">Không</td></tr>"
	               "<tr><td>Mã đơn vị đánh giá</td><td data-label=\"Nội dung\">Như trên; để trống: là đơn vị quản lý</td>"
	               "<td data-label=\"Bắt buộc\">Không</td></tr>"
	               "<tr><td>Địa chỉ</td><td data-label=\"Nội dung\"></td><td data-label=\"Bắt buộc\">Không</td></tr>"
	               "<tr><td>Công lập/Tư thục</td><td data-label=\"Nội dung\">Công lập hoặc Tư thục; để trống: công lập</td>"
	               "<td data-label=\"Bắt buộc\">Không</td></tr></tbody></table></div>"
	               "<p><a class=\"button\" href=\"/quan-tri/don-vi/nhap/mau.csv\" download>Tải tệp mẫu (CSV)</a></p>"
	               "<p class=\"explain\">Mọi dòng được kiểm tra trước; chỉ khi không có lỗi mới có nút Nhập.</p>");
	import_form(w);
	html_f(w->out, "</section>");
	page_end(w);
}

/* The template: the header row the importer recognises and one example
 * row (a school of the demo's province, under its UBND), UTF-8 with a BOM
 * so that Excel opens it with its Vietnamese letters. */
static void import_template(web *w)
{
	if (!admin_gate(w)) return;
	if (!is_system_admin(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	buf_reset(w->out);
	buf_puts(w->out, "\xEF\xBB\xBF"
	         "Mã đơn vị,Tên đơn vị,Loại hình,Các cấp học,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục\r\n"
	         "52109101,Trường Tiểu học và THCS Kim Đồng,Liên cấp,\"Tiểu học, THCS\",52109001,52000000,"
	         "\"Số 12 Lê Lợi, phường Quy Nhơn, tỉnh Bình Định\",Công lập\r\n");
	w->r->content_type = "text/csv; charset=utf-8";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"mau-danh-sach-don-vi.csv\"");
}

static void import_post(web *w)
{
	if (!admin_gate(w)) return;
	if (!is_system_admin(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	const char *from = date_param(w, "tu_ngay");
	http_upload *up = NULL;
	for (size_t i = 0; i < w->r->nuploads; i++)
		if (!strcmp(w->r->uploads[i].field, "tep") && w->r->uploads[i].size > 0) up = &w->r->uploads[i];
	if (!up || !from) { web_error(w, 422, !up ? "Chưa chọn tệp." : "Ngày hiệu lực không hợp lệ."); return; }
	if (up->truncated) { web_error(w, 413, "Tệp quá lớn."); return; }
	/* The check is a dry run of the whole import (seconds at 50,000 rows,
	 * holding the write lock): a background job of the import's kind with
	 * check_only, whose page shows the report and then offers "Nhập". The
	 * file is kept for it and for the confirmation. */
	buf bytes;
	buf_init(&bytes);
	FILE *f = fopen(up->tmp_path, "rb");
	char chunk[65536];
	size_t k;
	while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&bytes, chunk, k);
	if (f) fclose(f);
	const char *name = up->filename && *up->filename && strlen(up->filename) <= 255
	                   && vn_utf8_valid(up->filename, strlen(up->filename), NULL) ? up->filename : "tep";
	char sha[65];
	import_unit_job_sha256(bytes.data, bytes.len, sha);
	int64_t file_id = 0, id = 0;
	int rc = unit_import_file_save(w->d, w->account_id, name, bytes.data, bytes.len, &file_id);
	buf_free(&bytes);
	if (rc == DB_OK) {
		import_unit_job_params p = { .file_id = file_id, .from = from, .sha256 = sha, .file_name = name, .check_only = true };
		buf params;
		buf_init(&params);
		import_unit_job_params_json(&p, &params);
		rc = job_create(w->d, w->account_id, IMPORT_UNIT_JOB_KIND, 0, buf_str(&params), &id);
		buf_free(&params);
	}
	if (rc != DB_OK) { web_error(w, 500, "Không lưu được tệp để kiểm tra. Vui lòng thử lại."); return; }
	job_worker_wake();
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)id));
}

/* The confirmation queues the import as a background job (import_unit_job.h)
 * and shows its page: the request never holds the write lock. */
static void import_commit_post(web *w)
{
	if (!admin_gate(w)) return;
	if (!is_system_admin(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	const char *from = date_param(w, "tu_ngay");
	unit_import_file f;
	if (unit_import_file_get(w->d, w->ids[0], w->a, &f) != DB_OK) { web_error(w, 404, "Không tìm thấy tệp đã tải lên."); return; }
	if (!from) { web_error(w, 422, "Ngày hiệu lực không hợp lệ."); return; }
	if (f.imported_at) { web_error(w, 409, "Tệp này đã được nhập."); return; }
	char sha[65];
	import_unit_job_sha256(f.data, f.len, sha);
	const char *name = f.file_name && strlen(f.file_name) <= 255 && vn_utf8_valid(f.file_name, strlen(f.file_name), NULL)
	                   ? f.file_name : "tep";
	import_unit_job_params p = { .file_id = f.id, .from = from, .sha256 = sha, .file_name = name };
	buf params;
	buf_init(&params);
	import_unit_job_params_json(&p, &params);
	/* the same confirmation already waiting or running (a double click,
	 * another tab): show it rather than queue a second import of the file */
	int64_t id = 0;
	int rc = job_find_active(w->d, IMPORT_UNIT_JOB_KIND, buf_str(&params), &id);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(w->d);
		rc = job_create(w->d, w->account_id, IMPORT_UNIT_JOB_KIND, 0, buf_str(&params), &id);
	}
	buf_free(&params);
	if (rc != DB_OK) { web_error(w, 500, "Không tạo được công việc nhập. Vui lòng thử lại."); return; }
	job_worker_wake();
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)id));
}

/* The import's job, for the routes under /quan-tri/don-vi/nhap/{job}: the
 * same gate as the import pages (system administrators); a job of another
 * kind (a batch of documents) is "not found" here. */
static bool import_job_load(web *w, job_row *j, import_unit_job_params *p)
{
	if (!admin_gate(w)) return false;
	if (!is_system_admin(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return false; }
	if (job_get(w->d, w->ids[0], w->a, j) != DB_OK || strcmp(j->kind, IMPORT_UNIT_JOB_KIND) != 0
	    || !import_unit_job_params_parse(j->params, w->a, p)) {
		db_clear_error(w->d);
		web_error(w, 404, "Không tìm thấy lần nhập danh sách đơn vị này.");
		return false;
	}
	return true;
}

/* What the job is doing, from its phase (import_unit_job.h). */
static const char *import_phase(const job_row *j, const import_unit_job_params *p)
{
	if (!strcmp(j->state, "queued")) return "Đang chờ tiến trình nền.";
	if (strcmp(j->state, "running") != 0) return "";
	if (p->check_only) return "Đang đọc tệp và kiểm tra từng dòng với dữ liệu hiện tại (chưa ghi gì).";
	if (j->done == 0) return "Đang đọc tệp và kiểm tra lại từng dòng với dữ liệu hiện tại.";
	if (j->done == 1) return "Đang ghi các đơn vị và quan hệ (một giao dịch: ghi hết hoặc không ghi gì).";
	return "Đang hoàn tất.";
}

static const char *import_who(web *w, int64_t id)
{
	account a;
	if (!id) return "Hệ thống";
	if (account_get(w->d, id, w->a, &a) == DB_OK) return a.full_name;
	db_clear_error(w->d);
	return "";
}

static void import_job_page(web *w)
{
	job_row j;
	import_unit_job_params p;
	if (!import_job_load(w, &j, &p)) return;
	const char *base = arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)j.id);
	int y = 0, m = 0, d = 0;
	buf day;
	buf_init(&day);
	if (vn_parse_date(p.from, &y, &m, &d)) vn_format_date(&day, y, m, d);
	const char *from_text = arena_strdup(w->a, buf_str(&day));
	buf_free(&day);
	bool final = job_state_final(j.state), done = !strcmp(j.state, "done"), check = p.check_only;
	/* a check is one step, an import two (import_unit_job.h) */
	int64_t total = check ? 1 : 2, step = done ? total : check ? 0 : j.done;
	page_begin(w, "Nhập danh sách đơn vị");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/don-vi");
	web_job_card_begin(w, &j, base, "bước");
	html_f(w->out, "<h2>%h: %h</h2><p>Quan hệ quản lý, đánh giá có hiệu lực từ %h. Yêu cầu bởi %h lúc %h.</p>",
	       check ? (final ? "Kết quả kiểm tra" : "Kiểm tra tệp") : done ? "Đã nhập" : "Nhập danh sách đơn vị",
	       p.file_name, from_text, import_who(w, j.requested_by), office_time(w, j.created_at));
	web_job_progress(w, &j, step, total, "bước");
	html_f(w->out, "<p id=\"job-message\">%h</p>", import_phase(&j, &p));
	if (final && j.message && *j.message)
		html_f(w->out, "<pre class=\"report\"%h>%h</pre>", done ? "" : " role=\"alert\"", j.message);
	if (check && done) {
		/* every row is good: the confirmation queues the import itself */
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/don-vi/nhap/%D\">", p.file_id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"tu_ngay\" value=\"%a\"><p><button type=\"submit\">Nhập</button> "
		               "<a href=\"/quan-tri/don-vi/nhap\">Chọn tệp khác</a></p>"
		               "<p class=\"explain\">Việc nhập chạy nền: các dòng được kiểm tra lại với dữ liệu lúc nhập, rồi ghi trong "
		               "một giao dịch (ghi hết hoặc không ghi gì). Bạn có thể rời trang và quay lại xem kết quả.</p></form>", p.from);
	} else if (!final) {
		html_f(w->out, "<form method=\"post\" action=\"%h/huy\">", base);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\">Hủy</button></form>");
	} else if (!done) {
		html_f(w->out, "<p>Chưa ghi gì. Hãy sửa tệp và tải lên lại.</p>");
		import_form(w);
	}
	html_f(w->out, "<p><a href=\"/quan-tri/don-vi\">Về danh sách đơn vị</a></p></section>");
	page_end(w);
}

static void import_job_status(web *w)
{
	job_row j;
	import_unit_job_params p;
	if (!import_job_load(w, &j, &p)) return;
	bool done = !strcmp(j.state, "done");
	int64_t total = p.check_only ? 1 : 2;
	web_job_status_reply(w, &j, done ? total : p.check_only ? 0 : j.done, total,
	                     job_state_final(j.state) && j.message ? j.message : import_phase(&j, &p), NULL);
}

static void import_job_cancel_post(web *w)
{
	job_row j;
	import_unit_job_params p;
	if (!import_job_load(w, &j, &p)) return;
	int rc = job_cancel(w->d, w->account_id, j.id);
	if (rc == DB_ECONFLICT) { web_error(w, 409, db_errmsg(w->d)); return; }
	if (rc != DB_OK) { web_error(w, 500, "Không hủy được. Vui lòng thử lại."); return; }
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)j.id));
}

/* ---- accounts ------------------------------------------------------------------------- */

/* A password shown once: 16 characters from an alphabet without look-alikes. */
static const char *generated_password(web *w)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
	char *p = arena_alloc(w->a, 17);
	for (int i = 0; i < 16; i++) p[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	p[16] = '\0';
	return p;
}

/* The round of a council member's or external evaluator's role, by name,
 * office and school year; "" for the roles that take none. An office
 * administrator sees the rounds of the offices in its subtree. */
static void round_select(web *w, const char *cur)
{
	round_row *rs = NULL;
	size_t n = 0;
	if (round_list_all(w->d, 500, w->a, &rs, &n) != DB_OK) db_clear_error(w->d);
	int64_t office = admin_office(w);
	const char *today = office_today_iso(w);
	html_f(w->out, "<select name=\"dot\"><option value=\"\">— Không cần (các vai trò khác) —</option>");
	for (size_t i = 0; i < n; i++) {
		bool in = true;
		if (office && unit_in_scope(w->d, office, rs[i].office_unit_id, today, &in) != DB_OK) { db_clear_error(w->d); in = false; }
		if (!in) continue;
		const char *id = arena_printf(w->a, "%lld", (long long)rs[i].id);
		unit u;
		const char *who = unit_get(w->d, rs[i].office_unit_id, w->a, &u) == DB_OK ? u.name : "";
		db_clear_error(w->d);
		html_f(w->out, "<option value=\"%a\"%h>%h — %h (%h)%h</option>", id, sel(cur && !strcmp(cur, id)), rs[i].title, who,
		       rs[i].school_year, strcmp(rs[i].state, "open") ? ", đã đóng" : "");
	}
	html_f(w->out, "</select>");
}

static const char *round_label(web *w, int64_t id)
{
	round_row r;
	if (round_get(w->d, id, w->a, &r) == DB_OK) return arena_printf(w->a, "%s (%s)", r.title, r.school_year);
	db_clear_error(w->d);
	return arena_printf(w->a, "đợt số %lld", (long long)id);
}

/* A generated password is shown once, on the account's page reached by
 * the 303 after the POST (a reload posts nothing again): it travels in a
 * short-lived HttpOnly cookie, encrypted (secretbox) with a key derived
 * from the session token — a secret the browser holds and the database
 * keeps only hashed — and the account id, and the page deletes the cookie
 * as it shows it. Never in a URL, a log or the database. */
#define ONCE_COOKIE "chiso_mat_khau"

static bool once_key(web *w, int64_t account_id, unsigned char key[crypto_secretbox_KEYBYTES])
{
	const char *token = web_session_token(w);
	if (!token || !*token) return false;
	char ctx[64];
	snprintf(ctx, sizeof ctx, "chiso: mật khẩu hiển thị một lần %lld", (long long)account_id);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, crypto_secretbox_KEYBYTES);
	crypto_generichash_update(&st, (const unsigned char *)ctx, strlen(ctx) + 1);
	crypto_generichash_update(&st, (const unsigned char *)token, strlen(token));
	crypto_generichash_final(&st, key, crypto_secretbox_KEYBYTES);
	return true;
}

/* Redirects to the account's page, which shows `password` once. */
static void redirect_with_password(web *w, int64_t account_id, const char *password)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	size_t len = strlen(password);
	if (len <= 64 && once_key(w, account_id, key)) {
		unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64];
		randombytes_buf(box, crypto_secretbox_NONCEBYTES);
		crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)password, len, box, key);
		size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
		char *hex = arena_alloc(w->a, blen * 2 + 1);
		sodium_bin2hex(hex, blen * 2 + 1, box, blen);
		http_set_cookie(w->r, ONCE_COOKIE, arena_printf(w->a, "%lld-%s", (long long)account_id, hex), 300);
		sodium_memzero(key, sizeof key);
	}
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/tai-khoan/%lld", (long long)account_id));
}

/* The password waiting for this account's page, if any (and forgets it). */
static const char *take_password(web *w, int64_t account_id)
{
	const char *c = http_cookie(w->r, ONCE_COOKIE);
	if (!c) return NULL;
	char *end;
	long long id = strtoll(c, &end, 10);
	if (id != account_id || *end != '-') return NULL;      /* another account's: left to expire */
	http_set_cookie(w->r, ONCE_COOKIE, "", -1);
	const char *hex = end + 1;
	size_t hl = strlen(hex);
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64], key[crypto_secretbox_KEYBYTES];
	size_t blen = 0;
	if (hl > sizeof box * 2 || sodium_hex2bin(box, sizeof box, hex, hl, NULL, &blen, NULL) != 0
	    || blen <= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES || !once_key(w, account_id, key))
		return NULL;
	size_t plen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *pw = arena_alloc(w->a, plen + 1);
	int bad = crypto_secretbox_open_easy((unsigned char *)pw, box + crypto_secretbox_NONCEBYTES, blen - crypto_secretbox_NONCEBYTES,
	                                     box, key);
	sodium_memzero(key, sizeof key);
	if (bad) return NULL;
	pw[plen] = '\0';
	return vn_utf8_valid(pw, plen, NULL) ? pw : NULL;
}

static void role_select(web *w, const char *cur)
{
	html_f(w->out, "<select name=\"vai_tro\">");
	for (int r = 0; r < AUTHZ_ROLE_COUNT; r++) {
		if (r == AUTHZ_SYSTEM_ADMIN && !is_system_admin(w)) continue;
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", authz_role_code((authz_role)r),
		       sel(cur && !strcmp(cur, authz_role_code((authz_role)r))), authz_role_label((authz_role)r));
	}
	html_f(w->out, "</select>");
}

/* An account's roles in a list cell: "Hiệu trưởng — Trường … (5210…)". */
static void roles_cell(web *w, int64_t account_id)
{
	role_assignment *roles = NULL;
	size_t nr = 0;
	if (account_roles(w->d, account_id, w->a, &roles, &nr) != DB_OK) { db_clear_error(w->d); return; }
	if (!nr) { html_f(w->out, "Chưa có vai trò"); return; }
	html_f(w->out, "<ul class=\"roles\">");
	for (size_t i = 0; i < nr; i++) {
		html_f(w->out, "<li>%h", authz_role_label(authz_role_parse(roles[i].role)));
		if (roles[i].unit_id) html_f(w->out, " — %h", unit_label(w, roles[i].unit_id));
		round_row r;
		if (roles[i].round_id && round_get(w->d, roles[i].round_id, w->a, &r) == DB_OK)
			html_f(w->out, ", đợt năm học %h", r.school_year);
		db_clear_error(w->d);
		html_f(w->out, "</li>");
	}
	html_f(w->out, "</ul>");
}

/* The create form, behind "Thêm tài khoản" (open again after a refusal). */
static void account_create_form(web *w, const char *error)
{
	html_f(w->out, "<details class=\"create\" id=\"tao\"%h><summary class=\"button\">Thêm tài khoản</summary>",
	       error ? " open" : "");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan\" class=\"grid-form\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Tên đăng nhập<input name=\"dang_nhap\" value=\"%a\" required maxlength=\"64\" autocomplete=\"off\"></label>"
	               "<label>Họ và tên<input name=\"ho_ten\" value=\"%a\" required maxlength=\"200\"></label>"
	               "<label>Thư điện tử<input type=\"email\" name=\"email\" value=\"%a\" maxlength=\"254\"></label>"
	               "<label>Vai trò", pval(w, "dang_nhap", ""), pval(w, "ho_ten", ""), pval(w, "email", ""));
	role_select(w, pval(w, "vai_tro", "principal"));
	office_datalist(w);
	html_f(w->out, "</label><label>Mã đơn vị (trường hoặc cơ quan)<input name=\"don_vi\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Đợt đánh giá (thành viên hội đồng, đoàn đánh giá ngoài)", pval(w, "don_vi", ""));
	round_select(w, pval(w, "dot", ""));
	html_f(w->out, "</label><label>Mật khẩu ban đầu (để trống: tạo tự động)<input type=\"password\" name=\"mat_khau\" minlength=\"8\" autocomplete=\"new-password\"></label>"
	               "<p><button type=\"submit\">Tạo tài khoản</button></p></form></details>");
}

static void accounts_page(web *w, int status, const char *error)
{
	const char *text = pval(w, "q", "");
	size_t page = page_param(w), total = 0, n = 0;
	account *rows = NULL;
	if (account_list(w->d, admin_office(w), office_today_iso(w), text, ACCOUNTS_PER_PAGE, (page - 1) * ACCOUNTS_PER_PAGE,
	                 w->a, &rows, &n, &total) != DB_OK) {
		web_error(w, 500, "Không đọc được danh sách tài khoản. Vui lòng thử lại.");
		return;
	}
	if (status) w->r->status = status;
	page_begin(w, "Tài khoản và vai trò");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/tai-khoan");
	html_f(w->out, "<section class=\"card\"><h2>Tài khoản</h2>");
	account_create_form(w, error);
	html_f(w->out, "<form method=\"get\" action=\"/quan-tri/tai-khoan\" class=\"filters\">"
	               "<label>Tìm theo tên, tên đăng nhập, thư điện tử<input name=\"q\" value=\"%a\" maxlength=\"200\"></label>"
	               "<button type=\"submit\">Tìm</button></form><p>%z tài khoản.</p>", text, total);
	if (n) {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"accounts labelled\"><thead><tr><th>Tên đăng nhập</th><th>Họ và tên</th>"
		               "<th>Vai trò và đơn vị</th><th>Thư điện tử</th><th>Trạng thái</th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			html_f(w->out, "<tr><td><a href=\"/quan-tri/tai-khoan/%D\">%h</a></td><td data-label=\"Họ và tên\">%h</td>"
			               "<td data-label=\"Vai trò và đơn vị\">", rows[i].id, rows[i].login, rows[i].full_name);
			roles_cell(w, rows[i].id);
			html_f(w->out, "</td><td data-label=\"Thư điện tử\">%h</td><td data-label=\"Trạng thái\">%h</td></tr>",
			       rows[i].email ? rows[i].email : "", rows[i].active ? "Đang hoạt động" : "Đã khóa");
		}
		html_f(w->out, "</tbody></table></div>");
	}
	size_t pages = (total + ACCOUNTS_PER_PAGE - 1) / ACCOUNTS_PER_PAGE;
	if (pages > 1) {
		html_f(w->out, "<nav class=\"pager\" aria-label=\"Trang\">");
		if (page > 1) html_f(w->out, "<a href=\"/quan-tri/tai-khoan?q=%u&amp;trang=%z\">← Trang trước</a> ", text, page - 1);
		html_f(w->out, "<span>Trang %z / %z</span>", page, pages);
		if (page < pages) html_f(w->out, " <a href=\"/quan-tri/tai-khoan?q=%u&amp;trang=%z\">Trang sau →</a>", text, page + 1);
		html_f(w->out, "</nav>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

static void accounts_get(web *w)
{
	if (!admin_gate(w)) return;
	accounts_page(w, 0, NULL);
}

/* The role and unit of a grant form; NULL when fine, else why not. */
static const char *grant_from_form(web *w, int64_t account_id, authz_role *role, int64_t *unit_id, int64_t *round_id)
{
	*role = authz_role_parse(web_text(w, "vai_tro"));
	*unit_id = *round_id = 0;
	if (*role == AUTHZ_ROLE_INVALID) return "Vai trò không hợp lệ.";
	const char *ref = web_text(w, "don_vi");
	unit u;
	if (*role != AUTHZ_SYSTEM_ADMIN) {
		if (!unit_by_ref(w, ref, &u)) return "Không có đơn vị với mã đã nhập.";
		*unit_id = u.id;
	}
	const char *rd = web_text(w, "dot");
	if (rd && *rd) {
		char *end;
		long long v = strtoll(rd, &end, 10);
		if (*end || v <= 0) return "Số đợt đánh giá không hợp lệ.";
		*round_id = v;
	}
	authz_decision why;
	if (!role_allowed(w, AUTHZ_MANAGE_ACCOUNTS, account_id, *role, *unit_id, &why))
		return why.message;
	return NULL;
}

static void account_create_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_role role;
	int64_t unit_id, round_id;
	const char *why = grant_from_form(w, 0, &role, &unit_id, &round_id);
	if (why) { accounts_page(w, 422, why); return; }
	const char *pw = web_text(w, "mat_khau");
	bool generated = !pw || !*pw;
	if (generated) pw = generated_password(w);
	const char *email = web_text(w, "email");
	int64_t id = 0;
	/* One transaction: account, e-mail and role, or nothing. */
	int rc = db_begin_write(w->d);
	if (rc == DB_OK) rc = account_create(w->d, w->account_id, web_text(w, "dang_nhap"), web_text(w, "ho_ten"), pw, &id);
	if (rc == DB_OK && email && *email) rc = account_set_email(w->d, w->account_id, id, email);
	if (rc == DB_OK) rc = account_grant(w->d, w->account_id, id, authz_role_code(role), unit_id, round_id, NULL);
	if (rc == DB_OK) rc = db_commit(w->d);
	else if (db_tx_depth(w->d)) db_rollback(w->d);
	if (rc != DB_OK) { accounts_page(w, rc == DB_EINVAL || rc == DB_ECONSTRAINT ? 422 : 500, db_errmsg(w->d)); return; }
	/* 303 to the new account's page (a reload creates nothing again),
	 * which shows a generated password once */
	if (generated) { redirect_with_password(w, id, pw); return; }
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/tai-khoan/%lld", (long long)id), "da-luu");
}

static void account_page(web *w, int64_t id, int status, const char *error, const char *shown_password)
{
	account a;
	role_assignment *roles = NULL;
	size_t nr = 0;
	if (account_get(w->d, id, w->a, &a) != DB_OK) { web_error(w, 404, "Không tìm thấy tài khoản này."); return; }
	if (account_roles(w->d, id, w->a, &roles, &nr) != DB_OK) { web_error(w, 500, "Không đọc được vai trò."); return; }
	authz_decision why;
	if (!may_account(w, id, roles, nr, false, &why)) { web_error(w, 403, why.message); return; }
	bool manage = may_account(w, id, roles, nr, true, NULL);
	if (status) w->r->status = status;
	if (shown_password) http_set_header(w->r, "Cache-Control", "no-store");
	page_begin(w, a.full_name);
	html_f(w->out, "<h1>%h</h1>", a.full_name);
	admin_nav(w, "/quan-tri/tai-khoan");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	if (shown_password)
		html_f(w->out, "<section class=\"card notice\" role=\"status\"><h2>Mật khẩu của %h</h2><p>Mật khẩu được tạo: "
		               "<strong class=\"password\">%h</strong></p><p>Mật khẩu chỉ hiển thị một lần (tải lại trang sẽ không còn); "
		               "hãy trao cho người dùng và đề nghị đổi sau khi đăng nhập.</p></section>", a.login, shown_password);
	html_f(w->out, "<section class=\"card\"><h2>Tài khoản</h2><dl class=\"facts\"><dt>Tên đăng nhập</dt><dd>%h</dd>"
	               "<dt>Thư điện tử</dt><dd>%h</dd><dt>Trạng thái</dt><dd>%h</dd><dt>Tạo lúc</dt><dd>%h</dd></dl>",
	       a.login, a.email ? a.email : "—", a.active ? "Đang hoạt động" : "Đã khóa", office_time(w, a.created_at));
	if (manage) {
		/* locking asks for a ticked confirmation, checked by the server too */
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/trang-thai\" class=\"inline confirm\">", id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"hoat_dong\" value=\"%h\">", a.active ? "0" : "1");
		if (a.active)
			html_f(w->out, "<label class=\"check\"><input type=\"checkbox\" name=\"xac_nhan\" value=\"1\" required> "
			               "Tôi xác nhận khóa tài khoản này (người dùng bị đăng xuất, không đăng nhập được nữa)</label> "
			               "<button type=\"submit\" class=\"danger\">Khóa tài khoản</button></form> ");
		else html_f(w->out, "<button type=\"submit\">Mở khóa tài khoản</button></form> ");
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/mat-khau\" class=\"inline\">", id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\">Đặt lại mật khẩu (tạo tự động)</button></form>"
		               "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/email\" class=\"grid-form\">", id);
		web_csrf_field(w);
		html_f(w->out, "<label>Thư điện tử<input type=\"email\" name=\"email\" value=\"%a\" maxlength=\"254\"></label>"
		               "<p><button type=\"submit\">Lưu thư điện tử</button></p></form>", a.email ? a.email : "");
	}
	html_f(w->out, "</section><section class=\"card\"><h2>Vai trò</h2>");
	if (!nr) html_f(w->out, "<p>Chưa có vai trò nào.</p>");
	else {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"roles labelled\"><thead><tr><th>Vai trò</th><th>Đơn vị</th><th>Đợt</th><th></th></tr></thead><tbody>");
		for (size_t i = 0; i < nr; i++) {
			html_f(w->out, "<tr><td>%h</td><td data-label=\"Đơn vị\">%h</td><td data-label=\"Đợt\">%h</td><td>",
			       authz_role_label(authz_role_parse(roles[i].role)),
			       roles[i].unit_id ? unit_label(w, roles[i].unit_id) : "Toàn hệ thống",
			       roles[i].round_id ? round_label(w, roles[i].round_id) : "Mọi đợt");
			if (manage) {
				html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/thu-hoi\" class=\"inline confirm\">", id);
				web_csrf_field(w);
				html_f(w->out, "<input type=\"hidden\" name=\"phan_quyen\" value=\"%D\"><label class=\"check\"><input "
				               "type=\"checkbox\" name=\"xac_nhan\" value=\"1\" required> Xác nhận</label> "
				               "<button type=\"submit\" class=\"danger\">Thu hồi</button></form>", roles[i].id);
			}
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table></div>");
	}
	if (manage) {
		html_f(w->out, "<h3>Giao vai trò</h3><form method=\"post\" action=\"/quan-tri/tai-khoan/%D/vai-tro\" class=\"grid-form\">", id);
		web_csrf_field(w);
		html_f(w->out, "<label>Vai trò");
		role_select(w, pval(w, "vai_tro", "officer"));
		office_datalist(w);
		html_f(w->out, "</label><label>Mã đơn vị (trường hoặc cơ quan)<input name=\"don_vi\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
		               "<label>Đợt đánh giá (thành viên hội đồng, đoàn đánh giá ngoài)", pval(w, "don_vi", ""));
		round_select(w, pval(w, "dot", ""));
		html_f(w->out, "</label><p><button type=\"submit\">Giao vai trò</button></p></form>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

static void account_get_page(web *w)
{
	if (!admin_gate(w)) return;
	account_page(w, w->ids[0], 0, NULL, take_password(w, w->ids[0]));
}

/* The ticked box of a destructive form (locking, revoking): the page asks
 * for it with `required`, the server insists without JavaScript's help. */
static bool confirmed(web *w)
{
	const char *v = web_text(w, "xac_nhan");
	return v && !strcmp(v, "1");
}

/* Loads the account's roles and checks that the administrator manages it. */
static bool account_manage_check(web *w, int64_t id)
{
	account a;
	if (account_get(w->d, id, w->a, &a) != DB_OK) { web_error(w, 404, "Không tìm thấy tài khoản này."); return false; }
	role_assignment *roles = NULL;
	size_t nr = 0;
	authz_decision why;
	if (account_roles(w->d, id, w->a, &roles, &nr) != DB_OK) { web_error(w, 500, "Không đọc được vai trò."); return false; }
	if (!may_account(w, id, roles, nr, true, &why)) { web_error(w, 403, why.message); return false; }
	return true;
}

static void account_done(web *w, int64_t id, int rc)
{
	if (rc == DB_OK) web_redirect_notice(w, arena_printf(w->a, "/quan-tri/tai-khoan/%lld", (long long)id), "da-luu");
	else account_page(w, id, rc == DB_EINVAL || rc == DB_ECONSTRAINT || rc == DB_ECONFLICT ? 422 : 500, db_errmsg(w->d), NULL);
}

static void account_active_post(web *w)
{
	int64_t id = w->ids[0];
	if (!admin_gate(w) || !account_manage_check(w, id)) return;
	const char *v = web_text(w, "hoat_dong");
	bool on = v && !strcmp(v, "1");
	if (!on && id == w->account_id) {
		account_page(w, id, 422, "Bạn không thể tự khóa tài khoản của chính mình.", NULL);
		return;
	}
	if (!on && !confirmed(w)) {
		account_page(w, id, 422, "Chưa khóa: hãy đánh dấu ô xác nhận rồi bấm “Khóa tài khoản”.", NULL);
		return;
	}
	account_done(w, id, account_set_active(w->d, w->account_id, id, on));
}

static void account_password_post(web *w)
{
	int64_t id = w->ids[0];
	if (!admin_gate(w) || !account_manage_check(w, id)) return;
	const char *pw = generated_password(w);
	int rc = account_set_password(w->d, w->account_id, id, pw);
	if (rc != DB_OK) { account_done(w, id, rc); return; }
	redirect_with_password(w, id, pw);
}

static void account_email_post(web *w)
{
	int64_t id = w->ids[0];
	if (!admin_gate(w) || !account_manage_check(w, id)) return;
	account_done(w, id, account_set_email(w->d, w->account_id, id, web_text(w, "email")));
}

static void account_grant_post(web *w)
{
	int64_t id = w->ids[0];
	if (!admin_gate(w) || !account_manage_check(w, id)) return;
	authz_role role;
	int64_t unit_id, round_id;
	const char *why = grant_from_form(w, id, &role, &unit_id, &round_id);
	if (why) { account_page(w, id, 422, why, NULL); return; }
	account_done(w, id, account_grant(w->d, w->account_id, id, authz_role_code(role), unit_id, round_id, NULL));
}

static void account_revoke_post(web *w)
{
	int64_t id = w->ids[0];
	if (!admin_gate(w) || !account_manage_check(w, id)) return;
	int64_t assignment = office_param_id(w, "phan_quyen");
	role_assignment *roles = NULL;
	size_t nr = 0;
	bool mine = false;
	account_roles(w->d, id, w->a, &roles, &nr);
	for (size_t i = 0; i < nr; i++) mine |= roles[i].id == assignment;
	if (!mine) { web_error(w, 404, "Không tìm thấy vai trò này của tài khoản."); return; }
	if (!confirmed(w)) { account_page(w, id, 422, "Chưa thu hồi: hãy đánh dấu ô xác nhận rồi bấm “Thu hồi”.", NULL); return; }
	account_done(w, id, account_revoke(w->d, w->account_id, assignment));
}

/* ---- frameworks ----------------------------------------------------------------------- */

static bool may_publish_frameworks(web *w, authz_decision *why)
{
	/* National frameworks (unit 0): the Ministry's decisions, kept by the
	 * system administrators. */
	authz_ctx c = { .account = web_account(w) };
	c.object.kind = AUTHZ_KIND_FRAMEWORK;
	c.object.state = WF_STATE_INVALID;
	c.object.grant_role = AUTHZ_ROLE_INVALID;
	return authz_check(&c, AUTHZ_MANAGE_FRAMEWORKS, why);
}

static bool stored_in_db(const framework *fw) { return fw->file && !strncmp(fw->file, "CSDL:", 5); }

static const char *fw_status_text(const framework *fw)
{
	return fw->complete ? "Đầy đủ" : "Chưa đầy đủ: chưa dùng để chấm điểm";
}

static void upload_form(web *w)
{
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/bo-chi-so\" enctype=\"multipart/form-data\" class=\"grid-form\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Tệp bộ chỉ số: JSON (UTF-8, tối đa 4 MB), hoặc bảng phụ lục của quyết định dạng Word (.docx) hay "
	               "bảng tính (.xlsx)<input type=\"file\" name=\"tep\" required accept=\".json,application/json,.docx,.xlsx\"></label>"
	               "<fieldset><legend>Chỉ cần khi nhập bảng phụ lục (.docx, .xlsx)</legend>"
	               "<label>Mã bộ chỉ số<input name=\"ma\" pattern=\"[a-z0-9\\-]+\" placeholder=\"qd3276-2024\"></label>"
	               "<label>Tên bộ chỉ số<input name=\"ten\"></label>"
	               "<label>Số quyết định<input name=\"so_qd\" placeholder=\"3276/QĐ-BGDĐT\"></label>"
	               "<label>Ngày quyết định<input type=\"date\" name=\"ngay_qd\"></label>"
	               "<label>Cơ quan ban hành<input name=\"co_quan\" placeholder=\"Bộ Giáo dục và Đào tạo\"></label>"
	               "<fieldset><legend>Loại hình đơn vị áp dụng (để trống: suy ra từ tên)</legend>");
	for (int t = 0; t < UT_COUNT; t++)
		html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"loai_hinh\" value=\"%a\"> %h</label>",
		       unit_type_code((unit_type)t), unit_type_name((unit_type)t));
	html_f(w->out, "</fieldset><p class=\"explain\">Mẫu bảng: <a href=\"/quan-tri/bo-chi-so/mau-bang-tieu-chi.xlsx\">"
	               "mau-bang-tieu-chi.xlsx</a> (các cột STT, Tiêu chí, Điểm tối đa, Điểm thành phần, Mức độ, Ghi chú, minh chứng). "
	               "Bảng nhập vào thành bản nháp để xem lại; chỉ công bố khi bấm Công bố.</p></fieldset>"
	               "<p><button type=\"submit\">Kiểm tra tệp</button></p></form>");
}

static void frameworks_get(web *w)
{
	if (!admin_gate(w)) return;
	fw_catalog *cat = &w->app->frameworks;
	fw_catalog_sync_db(cat, w->d, 0, NULL);
	framework_use *use = NULL;
	size_t nu = 0;
	framework_usage(w->d, w->a, &use, &nu);
	page_begin(w, "Bộ chỉ số");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/bo-chi-so");
	/* the name first (a phone shows it as the card's title), the code and
	 * version under it; table.labelled stacks the other cells on a phone */
	html_f(w->out, "<section class=\"card\"><h2>Các bộ chỉ số đang nạp</h2><div class=\"table-wrap\"><table class=\"frameworks labelled\"><thead><tr>"
	               "<th>Bộ chỉ số</th><th>Trạng thái</th><th>Quyết định</th><th>Nguồn</th>"
	               "<th>Số hồ sơ đánh giá</th></tr></thead><tbody>");
	size_t n = cat->n;
	/* id order, then revision (appended versions come last in the catalogue) */
	const framework **order = arena_alloc(w->a, (n + 1) * sizeof *order);
	for (size_t i = 0; i < n; i++) {
		const framework *fw = cat->items[i];
		size_t k = i;
		while (k > 0 && (strcmp(order[k - 1]->id, fw->id) > 0 ||
		                 (!strcmp(order[k - 1]->id, fw->id) && order[k - 1]->revision > fw->revision))) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = fw;
	}
	for (size_t i = 0; i < n; i++) {
		const framework *fw = order[i];
		int64_t count = 0;
		const char *rev = arena_printf(w->a, "%d", fw->revision);
		for (size_t k = 0; k < nu; k++)
			if (!strcmp(use[k].framework_id, fw->id) && !strcmp(use[k].revision, rev)) count = use[k].assessments;
		html_f(w->out, "<tr data-framework=\"%a@%d\"><td class=\"fw-name\">%h<span class=\"fw-id\">Mã %h, phiên bản %d</span></td>"
		               "<td data-label=\"Trạng thái\">%h</td><td data-label=\"Quyết định\">%h%h%h</td><td data-label=\"Nguồn\">%h</td>"
		               "<td data-label=\"Số hồ sơ đánh giá\">%D</td></tr>",
		       fw->id, fw->revision, fw->title, fw->id, fw->revision, fw_status_text(fw),
		       fw->decision_number ? fw->decision_number : "", fw->decision_date ? " ngày " : "",
		       fw->decision_date ? web_date_short(w, fw->decision_date) : "",
		       stored_in_db(fw) ? "Công bố trên trang quản trị" : "Tệp đi kèm phần mềm", count);
	}
	html_f(w->out, "</tbody></table></div>");
	if (cat->errors.len)
		html_f(w->out, "<h3>Tệp không nạp được</h3><pre class=\"report\">%h</pre>", buf_str(&cat->errors));
	html_f(w->out, "</section>");
	if (may_publish_frameworks(w, NULL)) {
		html_f(w->out, "<section class=\"card\"><h2>Tải lên bộ chỉ số đã sửa hoặc bổ sung</h2><p class=\"explain\">Tệp được kiểm tra "
		               "như khi khởi động; nếu hợp lệ, trang kết quả cho xem tóm tắt và khác biệt so với phiên bản trước, rồi mới "
		               "công bố thành một phiên bản mới. Số phiên bản phải cao hơn mọi phiên bản đã có; các hồ sơ đã lập "
		               "giữ phiên bản của mình.</p>");
		upload_form(w);
		html_f(w->out, "</section>");
	}
	page_end(w);
}

static const char *change_text(web *w, const fw_change *c)
{
	switch (c->kind) {
	case FW_ADDED: return arena_printf(w->a, "Thêm mới (tối đa %s điểm)", office_q(w, c->new_max));
	case FW_REMOVED: return arena_printf(w->a, "Bỏ (trước đây tối đa %s điểm)", office_q(w, c->old_max));
	case FW_MAX_CHANGED: return arena_printf(w->a, "Điểm tối đa %s → %s", office_q(w, c->old_max), office_q(w, c->new_max));
	case FW_RULE_CHANGED: return arena_printf(w->a, "Cách chấm %s → %s", c->old_rule, c->new_rule);
	}
	return "";
}

/* The validation report of a valid file: summary, diff, the revision rule. */
static void framework_report(web *w, const framework *fw, const framework *prev, const char *refusal, int64_t draft_id)
{
	size_t ng, nc, ni, nl;
	fw_counts(fw, &ng, &nc, &ni, &nl);
	html_f(w->out, "<p class=\"ok-msg\"><strong>Tệp hợp lệ.</strong></p><dl class=\"facts\"><dt>Mã</dt><dd>%h</dd><dt>Phiên bản</dt><dd>%d</dd>"
	               "<dt>Tên</dt><dd>%h</dd><dt>Trạng thái</dt><dd>%h</dd><dt>Quyết định</dt><dd>%h</dd>"
	               "<dt>Số nhóm, tiêu chí, chỉ số</dt><dd>%z nhóm, %z tiêu chí, %z chỉ số (%z mục được chấm)</dd></dl>",
	       fw->id, fw->revision, fw->title, fw_status_text(fw),
	       fw->decision_number ? fw->decision_number : "", ng, nc, ni, nl);
	html_f(w->out, "<h3>Điểm tối đa theo nhóm</h3><div class=\"table-wrap\"><table><thead><tr><th>Nhóm</th><th>Tên</th>"
	               "<th>Tiêu chí</th><th>Tối đa</th></tr></thead><tbody>");
	for (size_t g = 0; g < fw->ngroups; g++)
		html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%z</td><td>%q</td></tr>", fw->groups[g].code, fw->groups[g].title,
		       fw->groups[g].nchildren, fw->groups[g].max);
	if (fw->has_total_max) html_f(w->out, "<tr><td></td><td>Tổng</td><td></td><td>%q</td></tr>", fw->total_max);
	html_f(w->out, "</tbody></table></div><h3>Các mức</h3><ul>");
	for (size_t i = 0; i < fw->nlevels; i++) {
		const fw_band *b = &fw->levels[i];
		if (b->has_from) html_f(w->out, "<li>%h — %h: từ %q điểm</li>", b->name, b->label, b->from);
		else if (b->has_above) html_f(w->out, "<li>%h — %h: trên %q điểm</li>", b->name, b->label, b->above);
		else html_f(w->out, "<li>%h — %h</li>", b->name, b->label);
	}
	html_f(w->out, "</ul>");
	if (prev) {
		fw_change *ch = NULL;
		size_t n = 0;
		fw_diff(prev, fw, w->a, &ch, &n);
		html_f(w->out, "<h3>Khác biệt so với phiên bản %d</h3>", prev->revision);
		if (!n) html_f(w->out, "<p>Không khác về mã, điểm tối đa và cách chấm.</p>");
		else {
			html_f(w->out, "<div class=\"table-wrap\"><table class=\"diff\"><thead><tr><th>Mã</th><th>Tên</th><th>Thay đổi</th></tr></thead><tbody>");
			for (size_t i = 0; i < n; i++)
				html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td></tr>", ch[i].code, ch[i].title, change_text(w, &ch[i]));
			html_f(w->out, "</tbody></table></div>");
		}
	} else {
		html_f(w->out, "<p>Đây là bộ chỉ số mới (chưa có phiên bản nào với mã này).</p>");
	}
	if (refusal) {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Không thể công bố: %h</p>", refusal);
		return;
	}
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/bo-chi-so/%D/cong-bo\">", draft_id);
	web_csrf_field(w);
	html_f(w->out, "<p><button type=\"submit\">Công bố</button> thành phiên bản %d của %h</p></form>", fw->revision, fw->id);
}

/* The XLSX template of an annex table (fw_import_template.c). */
static void framework_template(web *w)
{
	if (!admin_gate(w)) return;
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(w->a, "%s/chiso-mau-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) { web_error(w, 500, "Không tạo được tệp mẫu. Vui lòng thử lại."); return; }
	close(fd);
	buf err;
	buf_init(&err);
	bool ok = fw_import_template_write(path, &err);
	buf_free(&err);
	FILE *f = ok ? fopen(path, "rb") : NULL;
	buf_reset(w->out);
	char chunk[65536];
	size_t k;
	while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(w->out, chunk, k);
	if (f) fclose(f);
	unlink(path);
	if (!ok || !f) { web_error(w, 500, "Không tạo được tệp mẫu. Vui lòng thử lại."); return; }
	w->r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"mau-bang-tieu-chi.xlsx\"");
}

static bool rule_inferred(const fw_node *n)
{
	return n->rule && n->rule->source == SRC_INFERRED;
}

static const char *rule_text(web *w, const fw_rule *r)
{
	switch (r->kind) {
	case RULE_GATE: return "Điều kiện bắt buộc";
	case RULE_INFO: return "Thông tin, không tính điểm";
	case RULE_RATIO:
		return arena_printf(w->a, "%s: %s %s%s thì %s điểm", rule_kind_name(r->kind), r->cmp == CMP_GE ? "≥" : "≤",
		                    office_q(w, r->threshold), r->unit == UNIT_PERCENT ? "%" : "", office_q(w, r->points));
	case RULE_ALTERNATIVES: {
		buf b;
		buf_init(&b);
		for (size_t i = 0; i < r->noptions; i++)
			buf_printf(&b, "%s%s) %s: %s", i ? "; " : "", r->options[i].code, r->options[i].label, office_q(w, r->options[i].points));
		const char *s = arena_printf(w->a, "%s — %s", rule_kind_name(r->kind), buf_str(&b));
		buf_free(&b);
		return s;
	}
	default: return arena_printf(w->a, "%s, tối đa %s điểm", rule_kind_name(r->kind), office_q(w, r->points));
	}
}

static void review_node(web *w, const fw_node *n, int depth, size_t *ninferred)
{
	bool inf = n->source == SRC_INFERRED || rule_inferred(n);
	if (inf) (*ninferred)++;
	if (inf) html_f(w->out, "<tr class=\"depth-%d inferred\" data-inferred=\"1\">", depth);
	else html_f(w->out, "<tr class=\"depth-%d\">", depth);
	html_f(w->out, "<td>%h</td><td>%h", n->code, n->title);
	if (n->evidence) html_f(w->out, "<br><small>Minh chứng: %h</small>", n->evidence);
	if (n->nbands) {
		html_f(w->out, "<br><small>Mức độ:");
		for (size_t i = 0; i < n->nbands; i++) {
			const fw_band *b = &n->bands[i];
			if (b->has_from) html_f(w->out, " %h từ %q;", b->name, b->from);
			else if (b->has_above) html_f(w->out, " %h trên %q;", b->name, b->above);
			else html_f(w->out, " %h;", b->name);
		}
		html_f(w->out, "</small>");
	}
	html_f(w->out, "</td><td>%q</td><td>%h</td><td>", n->max, n->rule ? rule_text(w, n->rule) : "");
	if (inf) html_f(w->out, "<span class=\"badge inferred\">Suy ra — cần xem lại</span> ");
	else html_f(w->out, "Theo bảng. ");
	html_f(w->out, "%h</td><td>%h</td></tr>", n->note ? n->note : "", n->origin ? n->origin : "");
	for (size_t i = 0; i < n->nchildren; i++) review_node(w, &n->children[i], depth + 1, ninferred);
}

/* An imported table's draft: the tree, maxima, rules, and every inferred
 * rule highlighted with its note, then the review notes. */
static void framework_review(web *w, const framework *fw, const char *notes)
{
	size_t ninf = 0;
	html_f(w->out, "<h3>Bản nháp nhập từ bảng: xem lại trước khi công bố</h3>"
	               "<div class=\"table-wrap\"><table class=\"fw-review\"><thead><tr><th>Mã</th><th>Tiêu chí</th>"
	               "<th>Tối đa</th><th>Cách chấm</th><th>Nguồn, ghi chú</th><th>Đọc từ</th></tr></thead><tbody>");
	for (size_t g = 0; g < fw->ngroups; g++) review_node(w, &fw->groups[g], 1, &ninf);
	html_f(w->out, "</tbody></table></div><p><strong>%z mục suy ra</strong> (tô màu) cần quản trị viên xem lại.</p>", ninf);
	if (notes && *notes) {
		html_f(w->out, "<h3>Những điều bảng không nói (suy ra)</h3><ul class=\"review-notes\">");
		for (const char *p = notes; *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			html_f(w->out, "<li>%h</li>", arena_strndup(w->a, p, len));
			p += len + (e ? 1 : 0);
		}
		html_f(w->out, "</ul>");
	}
}

/* The upload is an annex table: the framework it gives (or NULL with the
 * lines in err), its JSON in *text and the review notes in notes. */
static framework *framework_from_table(web *w, const char *name, const char *path, size_t size, int next_revision,
                                       buf *text, buf *notes, buf *err)
{
	fw_import_meta m = { .file = name, .revision = next_revision };
	m.id = pval(w, "ma", NULL);
	if (!m.id || !*m.id) { buf_printf(err, "%s: cần nhập mã bộ chỉ số (ví dụ qd3276-2024) khi nhập bảng phụ lục\n", name); return NULL; }
	m.title = pval(w, "ten", NULL);
	m.decision_number = pval(w, "so_qd", NULL);
	m.decision_date = pval(w, "ngay_qd", NULL);
	m.decision_issuer = pval(w, "co_quan", NULL);
	char *today = arena_alloc(w->a, 11);
	vn_today_iso(today);
	m.today = today;
	for (size_t i = 0; i < w->r->nfields; i++) {
		unit_type t;
		if (!strcmp(w->r->fields[i].name, "loai_hinh") && unit_type_parse(w->r->fields[i].value, &t)) {
			m.unit_types[t] = true;
			m.unit_types_set = true;
		}
	}
	const import_limits *lim = &import_default_limits;
	if (size > lim->max_file_bytes) { buf_printf(err, "%s: tệp quá lớn (tối đa %zu MB)\n", name, lim->max_file_bytes >> 20); return NULL; }
	buf data;
	buf_init(&data);
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t k;
	while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0 && data.len <= lim->max_file_bytes) buf_append(&data, chunk, k);
	if (f) fclose(f);
	fw_table t;
	char *e = NULL;
	framework *fw = NULL;
	if (fw_import_read(data.data ? data.data : "", data.len, name, lim, &t, &e)) {
		buf_printf(err, "%s: %s\n", name, e);
		free(e);
	} else {
		char *json = NULL;
		fw = fw_import_run(&t, &m, &json, notes, err);
		if (json) buf_puts(text, json);
		free(json);
	}
	fw_table_free(&t);
	buf_free(&data);
	return fw;
}

static int stored_max_revision(web *w, const char *id)
{
	framework_version *v = NULL;
	size_t n = 0;
	int max = 0;
	if (framework_published(w->d, w->a, &v, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(v[i].framework_id, id) && v[i].revision > max) max = v[i].revision;
	return max;
}

static void framework_upload_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	if (!may_publish_frameworks(w, &why)) { web_error(w, 403, why.message); return; }
	http_upload *up = NULL;
	for (size_t i = 0; i < w->r->nuploads; i++)
		if (!strcmp(w->r->uploads[i].field, "tep")) up = &w->r->uploads[i];
	if (!up || up->size == 0) { web_error(w, 422, "Chưa chọn tệp."); return; }
	const char *name = up->filename && *up->filename ? up->filename : "tep.json";
	if (!vn_utf8_valid(name, strlen(name), NULL)) name = "tep.json";
	buf text, err, notes;
	buf_init(&text);
	buf_init(&err);
	buf_init(&notes);
	framework *fw = NULL;
	fw_catalog *cat = &w->app->frameworks;
	bool table = fw_import_is_table_name(name);
	if (table) {
		/* the next revision of the id typed in the form */
		fw_catalog_sync_db(cat, w->d, 0, NULL);
		const char *id = pval(w, "ma", "");
		int known = fw_catalog_max_revision(cat, id), stored = stored_max_revision(w, id);
		if (up->truncated) buf_printf(&err, "%s: tệp quá lớn\n", name);
		else fw = framework_from_table(w, name, up->tmp_path, up->size, (known > stored ? known : stored) + 1, &text, &notes, &err);
	} else if (up->truncated || up->size > (4u << 20)) buf_printf(&err, "%s: tệp quá lớn (tối đa 4 MB)\n", name);
	else {
		FILE *f = fopen(up->tmp_path, "rb");
		char chunk[65536];
		size_t k;
		while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&text, chunk, k);
		if (f) fclose(f);
		if (strlen(buf_str(&text)) != text.len) buf_printf(&err, "%s: tệp chứa byte 0 (không phải văn bản JSON)\n", name);
		else fw = framework_parse(buf_str(&text), text.len, name, &err);
	}
	fw_catalog_sync_db(cat, w->d, 0, NULL);
	int64_t draft = 0;
	const char *refusal = NULL;
	if (fw) {
		int known = fw_catalog_max_revision(cat, fw->id), stored = stored_max_revision(w, fw->id);
		refusal = fw_revision_refusal(fw->revision, known > stored ? known : stored);
		if (!refusal && framework_draft_save(w->d, w->account_id, fw, buf_str(&text), text.len, name, &draft) != DB_OK) {
			framework_free(fw);
			buf_free(&text);
			buf_free(&err);
			buf_free(&notes);
			web_error(w, 500, "Không lưu được tệp. Vui lòng thử lại.");
			return;
		}
	}
	w->r->status = fw && !refusal ? 200 : 422;
	page_begin(w, "Kiểm tra bộ chỉ số");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/bo-chi-so");
	html_f(w->out, "<section class=\"card\"><h2>Kết quả kiểm tra: %h</h2>", name);
	if (!fw) {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Tệp không hợp lệ; chưa công bố gì. Mỗi dòng dưới đây là một lỗi, "
		               "kèm vị trí trong tệp:</p><ul class=\"errors\">");
		const char *p = buf_str(&err);
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			html_f(w->out, "<li><code>%h</code></li>", arena_strndup(w->a, p, len));
			p += len + (e ? 1 : 0);
		}
		html_f(w->out, "</ul>");
		upload_form(w);
	} else {
		const framework *prev = fw_catalog_find(cat, fw->id);
		if (table) framework_review(w, fw, buf_str(&notes));
		framework_report(w, fw, prev, refusal, draft);
		if (refusal) upload_form(w);
	}
	html_f(w->out, "</section>");
	page_end(w);
	framework_free(fw);
	buf_free(&text);
	buf_free(&err);
	buf_free(&notes);
}

static void framework_publish_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	if (!may_publish_frameworks(w, &why)) { web_error(w, 403, why.message); return; }
	framework_version v;
	if (framework_version_get(w->d, w->ids[0], w->a, &v, NULL) != DB_OK) { web_error(w, 404, "Không tìm thấy tệp đã tải lên."); return; }
	fw_catalog *cat = &w->app->frameworks;
	fw_catalog_sync_db(cat, w->d, 0, NULL);
	int rc = framework_publish(w->d, w->account_id, v.id, fw_catalog_max_revision(cat, v.framework_id));
	if (rc != DB_OK) { web_error(w, rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d)); return; }
	buf errs;
	buf_init(&errs);
	fw_catalog_sync_db(cat, w->d, 0, &errs);
	if (errs.len) fputs(buf_str(&errs), stderr);
	buf_free(&errs);
	web_redirect_notice(w, "/quan-tri/bo-chi-so", "bcs-cong-bo");
}

/* Every page is the administrators' (WEB_LOAD_ADMIN, checked by the
 * dispatcher); the units, accounts, imports and framework drafts they touch
 * are checked here, per object. */
const web_route page_admin_routes[] = {
	{ "GET", "/quan-tri", admin_home, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi", units_list, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi", unit_create_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/moi", unit_new_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/nhap", import_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/nhap", import_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/nhap/mau.csv", import_template, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/nhap/{id}", import_commit_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/nhap/{id}", import_job_page, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/nhap/{id}/trang-thai", import_job_status, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/nhap/{id}/huy", import_job_cancel_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/{id}", unit_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/{id}", unit_edit_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/{id}/quan-he", unit_relation_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/tai-khoan", accounts_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/tai-khoan", account_create_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/tai-khoan/{id}", account_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/tai-khoan/{id}/trang-thai", account_active_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/tai-khoan/{id}/mat-khau", account_password_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/tai-khoan/{id}/email", account_email_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/tai-khoan/{id}/vai-tro", account_grant_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/tai-khoan/{id}/thu-hoi", account_revoke_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/bo-chi-so", frameworks_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/bo-chi-so", framework_upload_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/bo-chi-so/mau-bang-tieu-chi.xlsx", framework_template, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/bo-chi-so/{id}/cong-bo", framework_publish_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ NULL, NULL, NULL, 0 },
};
