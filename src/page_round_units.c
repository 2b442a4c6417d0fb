/* page_round_units.c — which units a new round will take, and why (issue
 * 11, item 2): a round covers the units the opening office evaluates on the
 * round's date (round_add_units) — and, when the round is opened with
 * "Gồm cả các đơn vị do cơ quan quản lý trực tiếp" (cung_quan_ly=1), the
 * units it manages directly. Before opening it, the office sees them,
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

static void units_list(web *w, const unit *u, size_t n, const char *const *why)
{
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"units\"><thead><tr><th>Mã</th><th>Đơn vị</th><th>Loại hình</th>"
	               "<th>Lý do</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		html_f(w->out, "<tr data-unit=\"%a\"><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", u[i].code, u[i].code, u[i].name,
		       office_unit_type_label(u[i].type), why[i]);
	html_f(w->out, "</tbody></table></div>");
}

/* What the preview found: the units the round takes, each with its reason,
 * and the managed units left out, each with the office that evaluates it. */
typedef struct preview {
	unit *in, *out;
	const char **why, **by;
	size_t nin, nout;
} preview;

static void preview_collect(web *w, int64_t office_id, const char *office_name, const char *date, bool managed, preview *p)
{
	unit *evaluated = NULL, *dependents = NULL;
	size_t ne = 0, nm = 0;
	unit_dependents_on(w->d, office_id, UNIT_EVALUATOR, date, w->a, &evaluated, &ne);
	unit_dependents_on(w->d, office_id, UNIT_PARENT, date, w->a, &dependents, &nm);
	db_clear_error(w->d);
	p->in = arena_alloc(w->a, (ne + nm + 1) * sizeof *p->in);
	p->why = arena_alloc(w->a, (ne + nm + 1) * sizeof *p->why);
	p->out = arena_alloc(w->a, (nm + 1) * sizeof *p->out);
	p->by = arena_alloc(w->a, (nm + 1) * sizeof *p->by);
	const char *evaluates = arena_printf(w->a, "Đánh giá: %s đánh giá đơn vị", office_name);
	for (size_t i = 0; i < ne; i++) {
		p->in[p->nin] = evaluated[i];
		p->why[p->nin++] = evaluates;
	}
	for (size_t i = 0; i < nm; i++) {
		int64_t ev = 0;
		if (unit_related_on(w->d, dependents[i].id, UNIT_EVALUATOR, date, &ev) == DB_OK && ev == office_id) continue;
		db_clear_error(w->d);
		unit e;
		const char *by = ev && unit_get(w->d, ev, w->a, &e) == DB_OK ? e.name : "cơ quan khác";
		db_clear_error(w->d);
		if (managed) {
			p->in[p->nin] = dependents[i];
			p->why[p->nin++] = arena_printf(w->a, "Quản lý trực tiếp: %s quản lý đơn vị (do %s đánh giá)", office_name, by);
		} else {
			p->out[p->nout] = dependents[i];
			p->by[p->nout++] = by;
		}
	}
}

static const char *zero_reason(web *w, const char *office_name, const preview *p, bool managed)
{
	if (p->nout)
		return arena_printf(w->a, "Các trường do %s quản lý được %s đánh giá, nên không có trong đợt của cơ quan. "
		                    "Chọn «Gồm cả các đơn vị do cơ quan quản lý trực tiếp» để đưa các trường này vào đợt.",
		                    office_name, p->by[0]);
	return managed ? "Vào ngày này, cơ quan không đánh giá và không quản lý trực tiếp đơn vị nào (xem Quản trị → Đơn vị)."
	               : "Chưa có đơn vị nào do cơ quan đánh giá vào ngày này (xem Quản trị → Đơn vị).";
}

static void preview_get(web *w)
{
	round_view v = { 0 };
	int64_t office_id = web_in_int(w, "co_quan", 0);
	if (!office_id || unit_get(w->d, office_id, w->a, &v.office) != DB_OK) {
		db_clear_error(w->d);
		web_error(w, 400, "Chưa chọn cơ quan mở đợt đánh giá.");
		return;
	}
	const char *date = web_in_text(w, "ngay");
	if (!date) date = office_today_iso(w);
	bool managed = web_in_bool(w, "cung_quan_ly");
	v.date = date;
	authz_decision why;
	if (!round_allowed(w, &v, AUTHZ_OPEN_ROUND, &why)) { web_error(w, 403, why.message); return; }

	preview p = { 0 };
	preview_collect(w, office_id, v.office.name, date, managed, &p);
	page_begin(w, "Các đơn vị sẽ có trong đợt đánh giá");
	html_f(w->out, "<section class=\"card\"><h1>Các đơn vị sẽ có trong đợt đánh giá</h1><p>%h — tính theo quan hệ ngày %h: "
	               "đợt gồm các đơn vị do cơ quan <strong>đánh giá</strong>%h vào ngày đó.</p>",
	       v.office.name, web_date_short(w, date), managed ? " và các đơn vị cơ quan <strong>quản lý trực tiếp</strong>" : "");
	html_f(w->out, "<p class=\"no-print\"><a href=\"/dot/xem-truoc-don-vi?co_quan=%D&amp;ngay=%a%a\">%h</a></p>", office_id, date,
	       managed ? "" : "&cung_quan_ly=1",
	       managed ? "Chỉ các đơn vị cơ quan đánh giá" : "Gồm cả các đơn vị do cơ quan quản lý trực tiếp");
	html_f(w->out, "<p id=\"so-don-vi\"><strong>%z đơn vị</strong> sẽ có phiếu đánh giá.</p>", p.nin);
	if (p.nin)
		units_list(w, p.in, p.nin, p.why);
	else
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\" id=\"ly-do\">%h</p>", zero_reason(w, v.office.name, &p, managed));
	if (p.nout) {
		html_f(w->out, "<h2>Do cơ quan quản lý nhưng không có trong đợt (%z)</h2><p class=\"explain\">Cơ quan theo dõi các trường này "
		               "trong đợt của cơ quan đánh giá (trang chủ → Tổng hợp các trường).</p>", p.nout);
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"units\"><thead><tr><th>Mã</th><th>Đơn vị</th><th>Lý do</th></tr></thead><tbody>");
		for (size_t i = 0; i < p.nout; i++)
			html_f(w->out, "<tr data-unit=\"%a\"><td>%h</td><td>%h</td><td>Do %h đánh giá</td></tr>", p.out[i].code, p.out[i].code,
			       p.out[i].name, p.by[i]);
		html_f(w->out, "</tbody></table></div>");
	}
	html_f(w->out, "<p><a href=\"/dot\">Về trang mở đợt đánh giá</a></p></section>");
	page_end(w);
}

/* The office (its absence is the handler's 400 with its own message), the
 * date the relations are read on (today by default), and the managed units. */
static const web_input preview_inputs[] = {
	{ .name = "co_quan", .type = WEB_IN_ID, .label = "cơ quan mở đợt" },
	{ .name = "ngay", .type = WEB_IN_DATE, .label = "ngày" },
	{ .name = "cung_quan_ly", .type = WEB_IN_BOOL, .label = "gồm cả các đơn vị quản lý trực tiếp" },
	{ .name = NULL },
};

const web_route page_round_units_routes[] = {
	/* the office is the query's (co_quan): the handler asks AUTHZ_OPEN_ROUND of it */
	{ "GET", "/dot/xem-truoc-don-vi", preview_get, WEB_SIGNED_IN, .load = WEB_LOAD_OWN, .inputs = preview_inputs },
	{ NULL, NULL, NULL, 0 },
};
