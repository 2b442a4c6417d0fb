/* page_visit.c — the external team's visit schedule of a round (lịch kiểm
 * tra, q_visit.h): the list by day with its conflicts flagged (a member in
 * two places the same day, a unit visited twice), and a small form for the
 * office that opened the round: a unit of the round, a day, members of the
 * round's team. The document (doc_round.c) is made from the Văn bản tab. */
#include "q_bulk.h"
#include "q_office.h"
#include "q_visit.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include <stdlib.h>
#include <string.h>

static int unit_cmp(const void *a, const void *b)
{
	const round_unit *x = a, *y = b;
	int c = vn_collate(x->unit_name, y->unit_name);
	return c ? c : strcmp(x->unit_code, y->unit_code);
}

static const char *remarks(web *w, const round_visit *v, const visit_conflict *cf, size_t ncf, size_t i)
{
	buf b;
	buf_init(&b);
	for (size_t k = 0; k < ncf; k++) {
		if (cf[k].first != i && cf[k].second != i) continue;
		const round_visit *other = &v[cf[k].first == i ? cf[k].second : cf[k].first];
		if (cf[k].kind == VISIT_MEMBER_TWICE)
			buf_printf(&b, "%sTrùng lịch: %s cùng ngày kiểm tra %s", b.len ? "; " : "", cf[k].member->full_name, other->unit_name);
		else
			buf_printf(&b, "%sĐơn vị có hai lịch (ngày %s và %s)", b.len ? "; " : "", web_date_short(w, v[cf[k].first].date),
			           web_date_short(w, v[cf[k].second].date));
	}
	const char *s = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static void visit_table(web *w, const round_view *rv, const round_visit *v, size_t n, bool manage)
{
	size_t ncf = 0;
	visit_conflict *cf = visit_conflicts(w->a, v, n, &ncf);
	html_f(w->out, "<section class=\"card\"><h2>Lịch kiểm tra, đánh giá ngoài</h2>");
	if (!n) {
		html_f(w->out, "<p>Chưa có lịch kiểm tra nào.</p></section>");
		return;
	}
	html_f(w->out, "<p>%z lượt kiểm tra; %z trường hợp trùng lịch.</p>", n, ncf);
	if (ncf) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Lịch có %z trường hợp trùng (đánh dấu trong bảng): hãy điều chỉnh trước khi ban hành.</p>", ncf);
	html_f(w->out, "<div class=\"visits-scroll\"><table class=\"visits\"><thead><tr><th>Ngày</th><th>Đơn vị</th><th>Thành viên Đoàn</th>"
	               "<th>Ghi chú</th>%h</tr></thead><tbody>", manage ? "<th></th>" : "");
	for (size_t i = 0; i < n; i++) {
		bool bad = visit_in_conflict(cf, ncf, i);
		html_f(w->out, "<tr class=\"%h\" data-visit=\"%D\"><td>%h</td><td>%h <small>(%h)</small></td><td>", bad ? "conflict" : "", v[i].id,
		       web_date_short(w, v[i].date), v[i].unit_name, v[i].unit_code);
		for (size_t k = 0; k < v[i].nmembers; k++) html_f(w->out, "%h%h", k ? ", " : "", v[i].members[k].full_name);
		html_f(w->out, "</td><td>%h%h%h</td>", remarks(w, v, cf, ncf, i), v[i].note && bad ? "; " : "", v[i].note ? v[i].note : "");
		if (manage) {
			html_f(w->out, "<td><form method=\"post\" action=\"/dot/%D/lich-kiem-tra/xoa\">", rv->r.id);
			web_csrf_field(w);
			html_f(w->out, "<input type=\"hidden\" name=\"lich\" value=\"%D\"><button type=\"submit\">Xóa</button></form></td>", v[i].id);
		}
		html_f(w->out, "</tr>");
	}
	html_f(w->out, "</tbody></table></div></section>");
}

static void visit_form(web *w, const round_view *rv)
{
	team tm;
	team_member *m = NULL;
	size_t nm = 0;
	if (team_get(w->d, rv->r.id, w->a, &tm) != DB_OK || team_members(w->d, tm.id, w->a, &m, &nm) != DB_OK || !nm) {
		db_clear_error(w->d);
		html_f(w->out, "<section class=\"card\"><h2>Thêm lịch kiểm tra</h2><p>Đợt chưa có Đoàn kiểm tra, đánh giá ngoài: "
		               "<a href=\"/dot/%D/doan\">thành lập Đoàn</a> trước khi lập lịch.</p></section>", rv->r.id);
		return;
	}
	round_unit *u = NULL;
	size_t nu = 0;
	if (bulk_round_units(w->d, rv->r.id, w->a, &u, &nu) != DB_OK) db_clear_error(w->d);
	sort_list(u, nu, sizeof *u, unit_cmp);
	html_f(w->out, "<section class=\"card\"><h2>Thêm lịch kiểm tra</h2><form method=\"post\" action=\"/dot/%D/lich-kiem-tra\">", rv->r.id);
	web_csrf_field(w);
	html_f(w->out, "<label>Đơn vị<select name=\"don_vi\" required>");
	for (size_t i = 0; i < nu; i++)
		html_f(w->out, "<option value=\"%D\">%h (%h)</option>", u[i].as.unit_id, u[i].unit_name, u[i].unit_code);
	html_f(w->out, "</select></label><label>Ngày kiểm tra<input type=\"date\" name=\"ngay\" required></label>"
	               "<fieldset><legend>Thành viên Đoàn</legend>");
	for (size_t i = 0; i < nm; i++)
		html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"tv\" value=\"%D\"> %h — %h</label>", m[i].account_id,
		       m[i].full_name, team_post_label(m[i].post));
	html_f(w->out, "</fieldset><label>Ghi chú<input name=\"ghi_chu\" maxlength=\"500\"></label>"
	               "<p class=\"actions\"><button type=\"submit\">Thêm vào lịch</button></p></form></section>");
}

static void schedule_get(web *w)
{
	const round_view *rv = w->round;
	round_visit *v = NULL;
	size_t n = 0;
	if (visit_list(w->d, rv->r.id, w->a, &v, &n) != DB_OK) {
		web_error(w, 500, db_errmsg(w->d));
		return;
	}
	bool manage = round_allowed(w, rv, AUTHZ_OPEN_ROUND, NULL) && !rv->closed;
	page_begin(w, arena_printf(w->a, "Lịch kiểm tra — %s", rv->r.title));
	office_round_header(w, rv, "/lich-kiem-tra");
	visit_table(w, rv, v, n, manage);
	if (manage) visit_form(w, rv);
	html_f(w->out, "<p>Văn bản “Lịch kiểm tra, đánh giá ngoài” (PDF, DOCX, XLSX) được tạo tại thẻ <a href=\"/dot/%D/van-ban\">Văn bản</a>.</p>",
	       rv->r.id);
	page_end(w);
}

static bool refuse_closed(web *w)
{
	if (!w->round->closed) return false;
	web_error(w, 409, "Đợt đánh giá đã kết thúc: không sửa lịch kiểm tra.");
	return true;
}

static void schedule_add(web *w)
{
	const round_view *rv = w->round;
	if (refuse_closed(w)) return;
	size_t n = 0;
	const int64_t *members = NULL;
	web_in_list(w, "tv", &n, &members);
	int rc = visit_add(w->d, w->account_id, rv->r.id, web_in_int(w, "don_vi", 0), web_in_text(w, "ngay"), members, n,
	                   web_in_text(w, "ghi_chu"), NULL);
	if (rc != DB_OK) {
		web_error(w, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/lich-kiem-tra", (long long)rv->r.id), "da-luu");
}

static void schedule_remove(web *w)
{
	const round_view *rv = w->round;
	if (refuse_closed(w)) return;
	int rc = visit_remove(w->d, w->account_id, rv->r.id, web_in_int(w, "lich", 0));
	if (rc != DB_OK) {
		web_error(w, rc == DB_ENOTFOUND ? 404 : 500, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/lich-kiem-tra", (long long)rv->r.id), "da-luu");
}

/* The unit and the date are required (400); the members are the team's
 * checkboxes (none: the store's 422). */
static const web_input add_inputs[] = {
	{ .name = "don_vi", .type = WEB_IN_ID, .required = true, .label = "đơn vị" },
	{ .name = "ngay", .type = WEB_IN_DATE, .required = true, .label = "ngày kiểm tra" },
	{ .name = "tv", .type = WEB_IN_ID, .many = true, .label = "thành viên Đoàn" },
	{ .name = "ghi_chu", .type = WEB_IN_TEXT, .max = 500, .label = "ghi chú" },
	{ .name = NULL },
};

static const web_input remove_inputs[] = {
	{ .name = "lich", .type = WEB_IN_ID, .required = true, .label = "lịch kiểm tra" },
	{ .name = NULL },
};

const web_route page_visit_routes[] = {
	{ "GET", "/dot/{id}/lich-kiem-tra", schedule_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "POST", "/dot/{id}/lich-kiem-tra", schedule_add, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = add_inputs },
	{ "POST", "/dot/{id}/lich-kiem-tra/xoa", schedule_remove, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = remove_inputs },
	{ NULL, NULL, NULL, 0 },
};
