/* page_admin.c — the administration area (/quan-tri/): its gate, the
 * scope an administrator works on, the per-object access questions its
 * pages ask of authz.c, and the helpers they share (page_admin.h). The
 * pages themselves are one file per family: page_admin_units.c (units and
 * their dated relations), page_admin_import.c (the unit import from the
 * browser), page_admin_accounts.c (accounts and their roles),
 * page_admin_frameworks.c (framework versions).
 *
 * Who: authz_is_administrator opens the pages to system administrators
 * and office administrators; everything else is decided per object by
 * authz_check — AUTHZ_MANAGE_UNITS on the unit (and on the unit it is
 * placed under), AUTHZ_MANAGE_ACCOUNTS on every role of an account,
 * AUTHZ_MANAGE_FRAMEWORKS on a national framework (system administrators
 * only). The store does the writing and the audit rows (q_unit, q_account,
 * q_framework, import_unit), the same functions as the command line. */
#include "page_admin.h"
#include "q_account.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- access --------------------------------------------------------------------------- */

bool admin_is_system(web *w)
{
	authz_account acc = web_account(w);
	return authz_is_system_admin(&acc);
}

/* The gate of every /quan-tri/ page. */
bool admin_gate(web *w)
{
	authz_account acc = web_account(w);
	if (authz_is_administrator(&acc)) return true;
	web_error(w, 403, "Trang quản trị chỉ dành cho quản trị viên hệ thống và quản trị viên của cơ quan quản lý.");
	return false;
}

/* The office whose subtree an office administrator works on: the one
 * named by ?cq= (a declared input, ADMIN_OFFICE_INPUT) among its own, else
 * its first. 0 for a system administrator (every unit). */
int64_t admin_office(web *w)
{
	authz_account acc = web_account(w);
	return authz_admin_scope(&acc, web_in_int(w, "cq", 0));
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

bool admin_may_manage_unit(web *w, int64_t unit_id, authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	unit_object(w, unit_id, &c.object);
	return authz_check(&c, AUTHZ_MANAGE_UNITS, why);
}

/* May a unit be placed under `office_id` (created there, moved there)?
 * Asked as "a unit being created" whose chains start at that office. */
bool admin_may_place_under(web *w, int64_t office_id, authz_decision *why)
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
bool admin_role_allowed(web *w, authz_action action, int64_t account_id, authz_role role, int64_t unit_id,
                        authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	unit_object(w, unit_id, &c.object);
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.account_id = account_id;
	c.object.grant_role = role;
	return authz_check(&c, action, why);
}

/* Viewing or managing an account, asked of authz.c (authz_check_account)
 * with each of its roles as an object. */
bool admin_may_account(web *w, int64_t account_id, const role_assignment *roles, size_t n, bool manage,
                       authz_decision *why)
{
	authz_object *objs = arena_alloc(w->a, (n + 1) * sizeof *objs);
	for (size_t i = 0; i < n; i++) {
		unit_object(w, roles[i].unit_id, &objs[i]);
		objs[i].kind = AUTHZ_KIND_ACCOUNT;
		objs[i].account_id = account_id;
		objs[i].grant_role = authz_role_parse(roles[i].role);
	}
	authz_account acc = web_account(w);
	return authz_check_account(&acc, objs, n, manage ? AUTHZ_MANAGE_ACCOUNTS : AUTHZ_VIEW, why);
}

/* ---- small helpers -------------------------------------------------------------------- */

const char *admin_in(web *w, const char *name, const char *dflt)
{
	const char *v = web_in_text(w, name);
	return v ? v : dflt;
}

const char *admin_selected(bool on) { return on ? " selected" : ""; }

size_t admin_in_page(web *w)
{
	return (size_t)web_in_int(w, "trang", 1);
}

/* A unit given by its code (what officers know) or its number. */
bool admin_unit_by_ref(web *w, const char *ref, unit *out)
{
	if (!ref || !*ref) return false;
	if (unit_find_code(w->d, ref, w->a, out) == DB_OK) return true;
	db_clear_error(w->d);
	return false;
}

/* "2025-09-01" or "01/09/2025" → ISO in the arena; NULL when invalid. */
const char *admin_in_date(web *w, const char *name)
{
	const char *v = web_in_text(w, name);
	int y, m, d;
	if (!v || !vn_parse_date(v, &y, &m, &d)) return NULL;
	return arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
}

void admin_nav(web *w, const char *here)
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

/* The offices (Bộ, Sở, Phòng, UBND xã) the administrator may place units
 * under, not dissolved, as a <datalist id="co-quan"> for the unit-code
 * fields: the officer types a name or a code and picks. */
void admin_office_datalist(web *w)
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

const char *admin_unit_label(web *w, int64_t id)
{
	unit u;
	if (id && unit_get(w->d, id, w->a, &u) == DB_OK) return arena_printf(w->a, "%s (%s)", u.name, u.code);
	db_clear_error(w->d);
	return id ? arena_printf(w->a, "đơn vị số %lld", (long long)id) : "—";
}

/* ---- /quan-tri ------------------------------------------------------------------------ */

static void admin_home(web *w)
{
	http_redirect(w->r, "/quan-tri/don-vi");
}

/* Every page is the administrators' (WEB_LOAD_ADMIN, checked by the
 * dispatcher); the units, accounts, imports and framework drafts they touch
 * are checked by their pages, per object. */
const web_route page_admin_routes[] = {
	{ "GET", "/quan-tri", admin_home, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ NULL, NULL, NULL, 0 },
};
