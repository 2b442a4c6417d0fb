/* page_round_units.c — which units a new round will take, and why (issue
 * 11, item 2): a round covers the units the opening office evaluates on the
 * round's date (round_add_units). Before opening it, the office sees them,
 * each with the relation that brings it in, and the units it manages but
 * does not evaluate, each with the office that does — so a commune that
 * would open a round of 0 units reads why ("các trường của phường này do
 * Sở … đánh giá") instead of "Đã tạo 0 phiếu".
 *
 * Access: AUTHZ_OPEN_ROUND on the office, as for opening the round. */
#include "q_unit.h"
#include "util.h"
#include "web.h"
#include "web_office.h"
#include <string.h>

static void units_list(web *w, const unit *u, size_t n, const char *why)
{
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"units\"><thead><tr><th>Mã</th><th>Đơn vị</th><th>Loại hình</th>"
	               "<th>Lý do</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		html_f(w->out, "<tr data-unit=\"%a\"><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", u[i].code, u[i].code, u[i].name,
		       office_unit_type_label(u[i].type), why);
	html_f(w->out, "</tbody></table></div>");
}

static void preview_get(web *w)
{
	round_view v = { 0 };
	int64_t office_id = office_param_id(w, "co_quan");
	if (!office_id || unit_get(w->d, office_id, w->a, &v.office) != DB_OK) {
		db_clear_error(w->d);
		web_error(w, 400, "Chưa chọn cơ quan mở đợt đánh giá.");
		return;
	}
	const char *date = web_text(w, "ngay");
	if (!date || !*date) date = office_today_iso(w);
	if (!db_date_valid(date)) { web_error(w, 400, "Ngày không hợp lệ (YYYY-MM-DD)."); return; }
	v.date = date;
	authz_decision why;
	if (!round_allowed(w, &v, AUTHZ_OPEN_ROUND, &why)) { web_error(w, 403, why.message); return; }

	unit *evaluated = NULL, *managed = NULL;
	size_t ne = 0, nm = 0;
	unit_dependents_on(w->d, office_id, UNIT_EVALUATOR, date, w->a, &evaluated, &ne);
	unit_dependents_on(w->d, office_id, UNIT_PARENT, date, w->a, &managed, &nm);
	db_clear_error(w->d);
	/* managed here, evaluated by another office: left out, with who evaluates */
	unit *elsewhere = arena_alloc(w->a, (nm + 1) * sizeof *elsewhere);
	const char **by = arena_alloc(w->a, (nm + 1) * sizeof *by);
	size_t nx = 0;
	for (size_t i = 0; i < nm; i++) {
		int64_t ev = 0;
		if (unit_related_on(w->d, managed[i].id, UNIT_EVALUATOR, date, &ev) != DB_OK || ev == office_id) {
			db_clear_error(w->d);
			continue;
		}
		unit e;
		elsewhere[nx] = managed[i];
		by[nx++] = unit_get(w->d, ev, w->a, &e) == DB_OK ? e.name : "cơ quan khác";
	}
	page_begin(w, "Các đơn vị sẽ có trong đợt đánh giá");
	html_f(w->out, "<section class=\"card\"><h1>Các đơn vị sẽ có trong đợt đánh giá</h1><p>%h — tính theo quan hệ ngày %h: "
	               "đợt gồm các đơn vị do cơ quan <strong>đánh giá</strong> vào ngày đó.</p>",
	       v.office.name, web_date_short(w, date));
	html_f(w->out, "<p id=\"so-don-vi\"><strong>%z đơn vị</strong> sẽ có phiếu đánh giá.</p>", ne);
	if (ne) {
		units_list(w, evaluated, ne, arena_printf(w->a, "%s đánh giá đơn vị", v.office.name));
	} else {
		const char *reason = nx ? arena_printf(w->a, "Các trường do %s quản lý được %s đánh giá, nên không có trong đợt của cơ quan.",
		                                       v.office.name, by[0])
		                        : "Chưa có đơn vị nào do cơ quan đánh giá vào ngày này (xem Quản trị → Đơn vị).";
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\" id=\"ly-do\">%h</p>", reason);
	}
	if (nx) {
		html_f(w->out, "<h2>Do cơ quan quản lý nhưng không có trong đợt (%z)</h2><p class=\"explain\">Cơ quan theo dõi các trường này "
		               "trong đợt của cơ quan đánh giá (trang chủ → Tổng hợp các trường).</p>", nx);
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"units\"><thead><tr><th>Mã</th><th>Đơn vị</th><th>Lý do</th></tr></thead><tbody>");
		for (size_t i = 0; i < nx; i++)
			html_f(w->out, "<tr data-unit=\"%a\"><td>%h</td><td>%h</td><td>Do %h đánh giá</td></tr>", elsewhere[i].code, elsewhere[i].code,
			       elsewhere[i].name, by[i]);
		html_f(w->out, "</tbody></table></div>");
	}
	html_f(w->out, "<p><a href=\"/dot\">Về trang mở đợt đánh giá</a></p></section>");
	page_end(w);
}

const web_route page_round_units_routes[] = {
	/* the office is the query's (co_quan): the handler asks AUTHZ_OPEN_ROUND of it */
	{ "GET", "/dot/xem-truoc-don-vi", preview_get, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ NULL, NULL, NULL, 0 },
};
