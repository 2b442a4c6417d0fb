/* page_admin_units.c — /quan-tri/don-vi: the units, found by name, code,
 * type or office; a new unit; one unit with its dated managing and
 * evaluating relations and the history of both (audit rows). Access per
 * unit: AUTHZ_MANAGE_UNITS on the unit and on the unit it is placed under
 * (page_admin.c). The store writes and audits (q_unit.c). */
#include "audit.h"
#include "page_admin.h"
#include "q_account.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UNITS_PER_PAGE = 50 };

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

static const char *const unit_types[] = { "bo", "ubnd_tinh", "so", "phong", "ubnd_xa", "mam_non", "tieu_hoc", "thcs", "thpt",
                                          "lien_cap", "gdtx", NULL };

static void type_options(web *w, const char *cur, bool any)
{
	if (any) html_f(w->out, "<option value=\"\">Mọi loại hình</option>");
	else if (!cur || !*cur) html_f(w->out, "<option value=\"\" selected>— Chọn loại hình —</option>");
	for (size_t i = 0; unit_types[i]; i++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", unit_types[i], admin_selected(cur && strcmp(cur, unit_types[i]) == 0),
		       office_unit_type_label(unit_types[i]));
}

/* ---- units: list ---------------------------------------------------------------------- */

static void units_list(web *w)
{
	const char *text = admin_in(w, "q", ""), *type = admin_in(w, "loai", "");
	const char *parent_code = admin_in(w, "quan_ly", "");
	unit parent = { 0 };
	bool has_parent = *parent_code && admin_unit_by_ref(w, parent_code, &parent);
	size_t page = admin_in_page(w);
	const char *gt = admin_in(w, "giai_the", "");
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
	const char *typed = web_in_text(w, "cap_hoc");
	if (typed && *typed) return typed;
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < ARRAY_LEN(school_levels); i++) {
		const char *v = web_in_text(w, arena_printf(w->a, "cap_hoc_%s", school_levels[i]));
		if (v && !strcmp(v, "1")) buf_printf(&b, "%s%s", b.len ? "," : "", school_levels[i]);
	}
	const char *out = b.len ? arena_strdup(w->a, buf_str(&b)) : NULL;
	buf_free(&b);
	return out;
}

static void unit_fields(web *w, const unit *u)
{
	const char *type = admin_in(w, "loai", u ? u->type : "");
	html_f(w->out, "<label>Mã đơn vị<input name=\"ma\" value=\"%a\" required maxlength=\"40\" pattern=\"[A-Za-z0-9._\\-]+\"></label>"
	               "<label>Tên đơn vị<input name=\"ten\" value=\"%a\" required maxlength=\"300\"></label>"
	               "<label>Loại hình<select name=\"loai\" required>",
	       admin_in(w, "ma", u ? u->code : ""), admin_in(w, "ten", u ? u->name : ""));
	type_options(w, type, false);
	bool pub = u ? u->is_public : true;
	const char *cl = web_in_text(w, "cong_lap");
	if (cl) pub = strcmp(cl, "1") == 0;
	/* after this form was refused the boxes show what was sent (not after
	 * another form of the unit's page, whose POST carries no boxes) */
	bool posted = w->r->method && !strcmp(w->r->method, "POST") && web_in_text(w, "ma");
	const char *levels = posted ? levels_from_form(w) : u ? u->levels : NULL;
	html_f(w->out, "</select></label><fieldset class=\"levels\"><legend>Các cấp học (chỉ với trường liên cấp: chọn từ hai cấp)</legend>");
	for (size_t i = 0; i < ARRAY_LEN(school_levels); i++)
		html_f(w->out, "<label class=\"check\"><input type=\"checkbox\" name=\"cap_hoc_%a\" value=\"1\"%h> %h</label>",
		       school_levels[i], level_in(levels, school_levels[i]) ? " checked" : "", office_unit_type_label(school_levels[i]));
	html_f(w->out, "</fieldset>"
	               "<label>Địa chỉ<input name=\"dia_chi\" value=\"%a\" maxlength=\"500\"></label>"
	               "<label>Công lập / tư thục<select name=\"cong_lap\"><option value=\"1\"%h>Công lập</option>"
	               "<option value=\"0\"%h>Tư thục, dân lập</option></select></label>",
	       admin_in(w, "dia_chi", u && u->address ? u->address : ""), admin_selected(pub), admin_selected(!pub));
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
	admin_office_datalist(w);
	html_f(w->out, "<label>Đơn vị quản lý (gõ tên hoặc mã để chọn)<input name=\"quan_ly\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Đơn vị đánh giá (để trống: như đơn vị quản lý)<input name=\"danh_gia\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Từ ngày<input type=\"date\" name=\"tu_ngay\" value=\"%a\"></label>"
	               "<p><button type=\"submit\">Thêm đơn vị</button></p></form></section>",
	       admin_in(w, "quan_ly", ""), admin_in(w, "danh_gia", ""), admin_in(w, "tu_ngay", office_today_iso(w)));
	page_end(w);
}

static void unit_new_get(web *w)
{
	unit_new_page(w, 0, NULL);
}

static unit unit_from_form(web *w)
{
	const char *levels = levels_from_form(w), *addr = web_in_text(w, "dia_chi"), *cl = web_in_text(w, "cong_lap");
	unit u = { .code = web_in_text(w, "ma"), .name = web_in_text(w, "ten"), .type = web_in_text(w, "loai"),
		.address = addr && *addr ? addr : NULL, .levels = levels && *levels ? levels : NULL,
		.is_public = !cl || strcmp(cl, "0") != 0 };
	return u;
}

static void unit_create_post(web *w)
{
	unit u = unit_from_form(w);
	const char *pref = web_in_text(w, "quan_ly"), *eref = web_in_text(w, "danh_gia");
	const char *from = admin_in_date(w, "tu_ngay");
	unit parent = { 0 }, eval = { 0 };
	if (pref && *pref && !admin_unit_by_ref(w, pref, &parent)) { unit_new_page(w, 422, "Không có đơn vị quản lý với mã này."); return; }
	if (eref && *eref && !admin_unit_by_ref(w, eref, &eval)) { unit_new_page(w, 422, "Không có đơn vị đánh giá với mã này."); return; }
	if (!eval.id) eval = parent;
	authz_decision why;
	/* An office administrator creates units only under its own subtree. */
	if (!parent.id && !admin_is_system(w)) { unit_new_page(w, 422, "Cần mã đơn vị quản lý thuộc phạm vi của bạn."); return; }
	if (parent.id && !admin_may_place_under(w, parent.id, &why)) { web_error(w, 403, why.message); return; }
	if (eval.id && eval.id != parent.id && !admin_may_place_under(w, eval.id, &why)) { web_error(w, 403, why.message); return; }
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
		           admin_unit_label(w, (int64_t)json_integer_value(json_object_get(j, "other_unit_id"))), web_date_short(w, from));
		if (to) buf_printf(&b, " đến %s", web_date_short(w, day_before(w, to)));
		if (before && after && !strcmp(e->action, "unit.relate"))
			buf_printf(&b, " (thay %s)", admin_unit_label(w, (int64_t)json_integer_value(json_object_get(before, "other_unit_id"))));
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
			       current ? " class=\"current\"" : "", admin_unit_label(w, rels[i].other_unit_id),
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
	admin_office_datalist(w);
	const char *kind = admin_in(w, "loai_quan_he", "evaluator");
	html_f(w->out, "<label>Quan hệ<select name=\"loai_quan_he\"><option value=\"parent\"%h>Đơn vị quản lý</option>"
	               "<option value=\"evaluator\"%h>Đơn vị đánh giá</option></select></label>"
	               "<label>Đơn vị mới (gõ tên hoặc mã để chọn)<input name=\"don_vi\" value=\"%a\" required maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Từ ngày<input type=\"date\" name=\"tu_ngay\" value=\"%a\" required></label>"
	               "<p><button type=\"submit\">Ghi thay đổi</button></p></form></section>",
	       admin_selected(!strcmp(kind, "parent")), admin_selected(strcmp(kind, "parent") != 0), admin_in(w, "don_vi", ""), admin_in(w, "tu_ngay", today));

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
	authz_decision why;
	if (!admin_may_manage_unit(w, w->ids[0], &why)) { web_error(w, 403, why.message); return; }
	unit_page(w, w->ids[0], 0, NULL);
}

static void unit_edit_post(web *w)
{
	authz_decision why;
	if (!admin_may_manage_unit(w, w->ids[0], &why)) { web_error(w, 403, why.message); return; }
	unit u = unit_from_form(w);
	int rc = unit_update(w->d, w->account_id, w->ids[0], &u);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, "Không tìm thấy đơn vị này."); return; }
	if (rc != DB_OK) { unit_page(w, w->ids[0], rc == DB_EINVAL || rc == DB_ECONSTRAINT ? 422 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/don-vi/%lld", (long long)w->ids[0]), "da-luu");
}

static void unit_relation_post(web *w)
{
	authz_decision why;
	int64_t id = w->ids[0];
	if (!admin_may_manage_unit(w, id, &why)) { web_error(w, 403, why.message); return; }
	const char *k = web_in_text(w, "loai_quan_he");
	if (!k || (strcmp(k, "parent") != 0 && strcmp(k, "evaluator") != 0)) { unit_page(w, id, 422, "Chưa chọn loại quan hệ."); return; }
	unit other;
	if (!admin_unit_by_ref(w, web_in_text(w, "don_vi"), &other)) { unit_page(w, id, 422, "Không có đơn vị với mã đã nhập."); return; }
	const char *from = admin_in_date(w, "tu_ngay");
	if (!from) { unit_page(w, id, 422, "Ngày hiệu lực không hợp lệ."); return; }
	if (!admin_may_place_under(w, other.id, &why)) { web_error(w, 403, why.message); return; }
	int rc = unit_relate(w->d, w->account_id, id, strcmp(k, "parent") ? UNIT_EVALUATOR : UNIT_PARENT, other.id, from);
	if (rc != DB_OK) { unit_page(w, id, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/don-vi/%lld", (long long)id), "da-luu");
}

static const char *const zero_one[] = { "0", "1", NULL };
static const char *const relation_kinds[] = { "parent", "evaluator", NULL };

static const web_input list_inputs[] = {
	{ .name = "q", .type = WEB_IN_TEXT, .max = 200, .label = "từ khóa tìm" },
	{ .name = "loai", .type = WEB_IN_ENUM, .values = unit_types, .label = "loại hình" },
	{ .name = "quan_ly", .type = WEB_IN_TEXT, .max = 40, .label = "đơn vị quản lý" },
	{ .name = "giai_the", .type = WEB_IN_ENUM, .values = zero_one, .label = "đơn vị đã giải thể" },
	ADMIN_PAGE_INPUT,
	ADMIN_OFFICE_INPUT,
	{ .name = NULL },
};

/* The unit's form and its relation form (both refilled after a refusal):
 * the store's own limits (q_unit.c). */
static const web_input unit_inputs[] = {
	{ .name = "ma", .type = WEB_IN_TEXT, .max = 40, .label = "mã đơn vị" },
	{ .name = "ten", .type = WEB_IN_TEXT, .max = 300, .label = "tên đơn vị" },
	{ .name = "loai", .type = WEB_IN_ENUM, .values = unit_types, .label = "loại hình" },
	{ .name = "cap_hoc", .type = WEB_IN_TEXT, .max = 100, .label = "cấp học" },
	{ .name = "cap_hoc_", .type = WEB_IN_ENUM, .values = zero_one, .prefix = true, .label = "cấp học" },
	{ .name = "dia_chi", .type = WEB_IN_TEXT, .max = 500, .label = "địa chỉ" },
	{ .name = "cong_lap", .type = WEB_IN_ENUM, .values = zero_one, .label = "công lập / tư thục" },
	{ .name = "quan_ly", .type = WEB_IN_TEXT, .max = 40, .label = "đơn vị quản lý" },
	{ .name = "danh_gia", .type = WEB_IN_TEXT, .max = 40, .label = "đơn vị đánh giá" },
	ADMIN_DATE_INPUT("tu_ngay"),
	{ .name = "loai_quan_he", .type = WEB_IN_ENUM, .values = relation_kinds, .label = "loại quan hệ" },
	{ .name = "don_vi", .type = WEB_IN_TEXT, .max = 40, .label = "mã đơn vị" },
	ADMIN_OFFICE_INPUT,
	{ .name = NULL },
};

/* A dated relation names its kind, the other unit and the date. */
static const web_input relation_inputs[] = {
	ADMIN_DATE_INPUT("tu_ngay"),
	{ .name = "loai_quan_he", .type = WEB_IN_ENUM, .required = true, .values = relation_kinds, .label = "loại quan hệ" },
	{ .name = "don_vi", .type = WEB_IN_TEXT, .required = true, .max = 40, .label = "mã đơn vị" },
	ADMIN_OFFICE_INPUT,
	{ .name = NULL },
};

/* WEB_LOAD_ADMIN is the gate; each unit is checked here. */
const web_route page_admin_unit_routes[] = {
	{ "GET", "/quan-tri/don-vi", units_list, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = list_inputs },
	{ "POST", "/quan-tri/don-vi", unit_create_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = unit_inputs },
	{ "GET", "/quan-tri/don-vi/moi", unit_new_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = unit_inputs },
	{ "GET", "/quan-tri/don-vi/{id}", unit_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = unit_inputs },
	{ "POST", "/quan-tri/don-vi/{id}", unit_edit_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = unit_inputs },
	{ "POST", "/quan-tri/don-vi/{id}/quan-he", unit_relation_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = relation_inputs },
	{ NULL, NULL, NULL, 0 },
};
