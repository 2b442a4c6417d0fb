/* page_public.c — results are public once published (DOMAIN §5): a page
 * per unit and per area (the office that recognised them), with the level,
 * the scores per group and the recognition decision; the open data (CSV
 * and JSON) of every published result; a small SVG badge and the HTML
 * snippet a school copies into its own website. No sign-in.
 *
 * Everything here reads q_office's published results, which hold only
 * what an office published (and lose it when the office unpublishes):
 * nothing unpublished can reach these pages, whoever asks. */
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *level_class(int level)
{
	return level == 1 ? "level-1" : level == 2 ? "level-2" : level == 3 ? "level-3" : "";
}

/* "Mức 2", as the framework named the level when it was published. */
static const char *level_name(web *w, const public_result *p)
{
	if (p->level < 1 || p->level > 3) return "Chưa xếp mức";
	json_t *o = json_loads(p->result_json, 0, NULL);
	const char *s = json_string_value(json_object_get(o, "level_name"));
	bool same = json_integer_value(json_object_get(o, "level")) == p->level;
	const char *out = s && same ? arena_strdup(w->a, s) : arena_printf(w->a, "Mức %d", p->level);
	json_decref(o);
	return out;
}

/* Who made the result public: the evaluating office, or the school itself
 * (its recognised result, issue 11); the open data says which. */
static const char *publisher_text(const public_result *p)
{
	return p->by_school ? "Đơn vị tự công khai kết quả đã được công nhận" : "Công bố";
}

static const char *publisher_code(const public_result *p) { return p->by_school ? "school" : "office"; }

/* Public data may be cached a little; the layer above says no-store for
 * every page, which this replaces. */
static void cache_public(web *w, int seconds)
{
	for (size_t i = 0; i < w->r->nheaders; i++)
		if (strcmp(w->r->headers[i].name, "Cache-Control") == 0)
			w->r->headers[i].value = arena_printf(w->a, "public, max-age=%d", seconds);
}

static int by_name(const void *a, const void *b)
{
	const public_result *x = a, *y = b;
	int c = vn_collate(x->unit_name, y->unit_name);
	return c ? c : strcmp(x->unit_code, y->unit_code);
}

/* A number of the snapshot (docs/score-json.md: an integer when whole,
 * else two decimals) back as points. */
static q jpoints(json_t *v)
{
	q x = q_int(0);
	if (json_is_integer(v)) x = q_int(json_integer_value(v));
	else if (json_is_real(v)) q_from_double(json_real_value(v), 2, &x);
	return x;
}

static void groups_table(web *w, const public_result *p)
{
	json_t *o = json_loads(p->result_json, 0, NULL);
	json_t *groups = json_object_get(o, "groups");
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"totals\"><thead><tr><th>Nhóm tiêu chí</th><th class=\"num\">Điểm</th>"
	               "<th>Mức của nhóm</th></tr></thead><tbody>");
	for (size_t i = 0; i < json_array_size(groups); i++) {
		json_t *g = json_array_get(groups, i);
		int lv = (int)json_integer_value(json_object_get(g, "level"));
		html_f(w->out, "<tr><td>%h. %h</td><td class=\"num\">%q/%q</td><td class=\"%a\">%h</td></tr>",
		       json_string_value(json_object_get(g, "code")), json_string_value(json_object_get(g, "title")),
		       jpoints(json_object_get(g, "points")), jpoints(json_object_get(g, "max")), level_class(lv),
		       lv >= 1 && lv <= 3 ? arena_printf(w->a, "Mức %d", lv) : "");
	}
	html_f(w->out, "</tbody></table></div>");
	json_t *total = json_object_get(o, "total");
	if (json_is_object(total))
		html_f(w->out, "<p>Tổng điểm: <strong>%q/%q</strong></p>", jpoints(json_object_get(total, "points")), jpoints(json_object_get(total, "max")));
	json_decref(o);
}

static void decision_line(web *w, const public_result *p)
{
	if (p->decision_number)
		html_f(w->out, "<p>Quyết định công nhận số <strong>%h</strong> %h của %h%h%h.</p>", p->decision_number,
		       web_date_long(w, p->decision_date), p->office_name, p->decision_signer ? "; người ký: " : "", p->decision_signer);
}

/* ---- pages ------------------------------------------------------------------------------ */

static void index_get(web *w)
{
	public_area *areas = NULL;
	size_t n = 0;
	public_areas(w->d, w->a, &areas, &n);
	cache_public(w, 300);
	page_begin(w, "Kết quả công khai");
	html_f(w->out, "<h1>Kết quả đánh giá mức độ chuyển đổi số đã công bố</h1>"
	               "<p>Dữ liệu mở: <a href=\"/cong-khai/du-lieu.csv\">CSV</a> · <a href=\"/cong-khai/du-lieu.json\">JSON</a></p>");
	if (!n) html_f(w->out, "<p>Chưa có kết quả nào được công bố.</p>");
	else {
		html_f(w->out, "<ul class=\"areas\">");
		for (size_t i = 0; i < n; i++)
			html_f(w->out, "<li><a href=\"/cong-khai/khu-vuc/%D\">%h</a> — %D đơn vị</li>", areas[i].office_id, areas[i].name, areas[i].units);
		html_f(w->out, "</ul>");
	}
	page_end(w);
}

static void area_get(web *w)
{
	unit office;
	if (unit_get(w->d, w->ids[0], w->a, &office) != DB_OK || !unit_type_is_office(office.type)) {
		web_error(w, 404, "Không tìm thấy khu vực này.");
		return;
	}
	public_result *rs = NULL;
	size_t n = 0;
	public_results(w->d, 0, office.id, w->a, &rs, &n);
	/* the latest published result of each unit */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < k; j++) dup |= rs[j].unit_id == rs[i].unit_id;
		if (!dup) rs[k++] = rs[i];
	}
	n = k;
	qsort(rs, n, sizeof *rs, by_name);
	size_t counts[4] = { 0 };
	for (size_t i = 0; i < n; i++) counts[rs[i].level >= 0 && rs[i].level <= 3 ? rs[i].level : 0]++;
	cache_public(w, 300);
	page_begin(w, office.name);
	html_f(w->out, "<p class=\"crumbs\"><a href=\"/cong-khai\">Kết quả công khai</a></p><h1>%h</h1>", office.name);
	if (!n) {
		html_f(w->out, "<p>Chưa có kết quả nào được công bố.</p>");
		page_end(w);
		return;
	}
	html_f(w->out, "<section class=\"card\"><p>%z đơn vị có kết quả đã công bố: Mức 3: <strong>%z</strong> · Mức 2: <strong>%z</strong> · "
	               "Mức 1: <strong>%z</strong>%h</p><p>Dữ liệu mở: <a href=\"/cong-khai/du-lieu.csv?khu-vuc=%D\">CSV</a> · "
	               "<a href=\"/cong-khai/du-lieu.json?khu-vuc=%D\">JSON</a></p></section>",
	       n, counts[3], counts[2], counts[1], counts[0] ? arena_printf(w->a, " · chưa xếp mức: %zu", counts[0]) : "", office.id, office.id);
	html_f(w->out, "<div class=\"table-wrap\"><table><thead><tr><th>Đơn vị</th><th>Loại hình</th><th>Năm học</th><th>Mức</th>"
	               "<th>Quyết định công nhận</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		html_f(w->out, "<tr><td><a href=\"/cong-khai/don-vi/%D\">%h</a></td><td>%h</td><td>%h</td><td class=\"%a\">%h%h</td><td>%h%h%h</td></tr>",
		       rs[i].unit_id, rs[i].unit_name, office_unit_type_label(rs[i].unit_type), rs[i].school_year, level_class(rs[i].level),
		       level_name(w, &rs[i]), rs[i].by_school ? " (đơn vị tự công khai)" : "", rs[i].decision_number,
		       rs[i].decision_number ? " ngày " : "", web_date_short(w, rs[i].decision_date));
	html_f(w->out, "</tbody></table></div>");
	page_end(w);
}

static void unit_page(web *w)
{
	public_result *rs = NULL;
	size_t n = 0;
	public_results(w->d, w->ids[0], 0, w->a, &rs, &n);
	if (!n) {
		web_error(w, 404, "Đơn vị này chưa có kết quả đánh giá được công bố.");
		return;
	}
	cache_public(w, 300);
	const public_result *p = &rs[0];
	page_begin(w, p->unit_name);
	html_f(w->out, "<p class=\"crumbs\"><a href=\"/cong-khai\">Kết quả công khai</a> · <a href=\"/cong-khai/khu-vuc/%D\">%h</a></p>"
	               "<h1>%h</h1><p>Mã đơn vị %h — %h%h%h</p>",
	       p->office_id, p->office_name, p->unit_name, p->unit_code, office_unit_type_label(p->unit_type), p->unit_address ? " — " : "",
	       p->unit_address);
	for (size_t i = 0; i < n; i++) {
		const public_result *r = &rs[i];
		html_f(w->out, "<section class=\"card result\"><h2>Năm học %h: <span class=\"%a\">%h</span></h2><p>%h</p>", r->school_year,
		       level_class(r->level), level_name(w, r), r->round_title);
		decision_line(w, r);
		groups_table(w, r);
		html_f(w->out, "<p class=\"explain\">%h lúc %h.</p></section>", publisher_text(r), office_time(w, r->published_at));
	}
	const char *base = office_base_url(w);
	buf snippet;
	buf_init(&snippet);
	html_f(&snippet, "<a href=\"%a/cong-khai/don-vi/%D\"><img src=\"%a/cong-khai/huy-hieu/%D.svg\" alt=\"%a: %a (%a)\" width=\"230\" height=\"28\"></a>",
	       base, p->unit_id, base, p->unit_id, p->unit_name, level_name(w, p), p->school_year);
	html_f(w->out, "<section class=\"card no-print\"><h2>Huy hiệu cho trang web của đơn vị</h2>"
	               "<p><img src=\"/cong-khai/huy-hieu/%D.svg\" alt=\"Huy hiệu: %a\" width=\"230\" height=\"28\"></p>"
	               "<label>Sao chép đoạn mã sau vào trang web của đơn vị<textarea class=\"snippet\" rows=\"3\" readonly>%h</textarea></label>"
	               "</section>",
	       p->unit_id, level_name(w, p), buf_str(&snippet));
	buf_free(&snippet);
	page_end(w);
}

/* ---- the badge ------------------------------------------------------------------------------ */

static void badge_svg(web *w)
{
	public_result *rs = NULL;
	size_t n = 0;
	public_results(w->d, w->ids[0], 0, w->a, &rs, &n);
	if (!n) {
		w->r->status = 404;
		w->r->content_type = "text/plain; charset=utf-8";
		buf_puts(w->out, "Chưa có kết quả được công bố.\n");
		return;
	}
	const public_result *p = &rs[0];
	static const char *const colours[] = { "#5b6675", "#b3261e", "#a15c00", "#1d7a3a" };
	const char *colour = colours[p->level >= 0 && p->level <= 3 ? p->level : 0];
	const char *right = arena_printf(w->a, "%s · %s", level_name(w, p), p->school_year);
	w->r->content_type = "image/svg+xml; charset=utf-8";
	cache_public(w, 3600);
	/* Fixed geometry and presentation attributes only (no style, no
	 * script): it renders the same in an <img> on any site. */
	html_f(w->out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"230\" height=\"28\" viewBox=\"0 0 230 28\" role=\"img\" "
	               "aria-label=\"%a — chuyển đổi số: %a\"><title>%h — mức độ chuyển đổi số: %h (năm học %h)</title>"
	               "<rect width=\"230\" height=\"28\" rx=\"4\" fill=\"%a\"/><rect width=\"104\" height=\"28\" rx=\"4\" fill=\"#0b5cab\"/>"
	               "<rect x=\"100\" width=\"4\" height=\"28\" fill=\"#0b5cab\"/>"
	               "<g fill=\"#fff\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\" text-anchor=\"middle\">"
	               "<text x=\"52\" y=\"18\">Chuyển đổi số</text><text x=\"167\" y=\"18\" font-weight=\"bold\">%h</text></g></svg>\n",
	       p->unit_name, right, p->unit_name, level_name(w, p), p->school_year, colour, right);
}

/* ---- open data ------------------------------------------------------------------------------ */

static size_t filtered(web *w, public_result **out)
{
	int64_t area = office_param_id(w, "khu-vuc");
	const char *year = http_param(w->r, "nam-hoc");
	public_result *rs = NULL;
	size_t n = 0, k = 0;
	public_results(w->d, 0, area, w->a, &rs, &n);
	for (size_t i = 0; i < n; i++)
		if (!year || !*year || strcmp(year, rs[i].school_year) == 0) rs[k++] = rs[i];
	*out = rs;
	return k;
}

/* One CSV field: quoted when it must be, and a leading = + - @ defused so
 * that a spreadsheet never runs a name as a formula. */
static void csv_field(buf *b, const char *s, bool text)
{
	if (!s) s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL || (text && strchr("=+-@", s[0]) && s[0]);
	if (!quote) { buf_puts(b, s); return; }
	buf_putc(b, '"');
	if (text && s[0] && strchr("=+-@", s[0])) buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"') buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void csv_number(buf *b, json_t *v)
{
	if (json_is_integer(v)) buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v)) buf_printf(b, "%.2f", json_real_value(v));
}

static void open_csv(web *w)
{
	public_result *rs;
	size_t n = filtered(w, &rs);
	/* the group columns: every group code of the results, in first-seen order */
	const char **codes = NULL;
	size_t ncodes = 0, cap = 0;
	json_t **parsed = arena_alloc(w->a, (n + 1) * sizeof *parsed);
	for (size_t i = 0; i < n; i++) {
		parsed[i] = json_loads(rs[i].result_json, 0, NULL);
		json_t *groups = json_object_get(parsed[i], "groups");
		for (size_t g = 0; g < json_array_size(groups); g++) {
			const char *c = json_string_value(json_object_get(json_array_get(groups, g), "code"));
			bool seen = !c;
			for (size_t k = 0; k < ncodes && !seen; k++) seen = strcmp(codes[k], c) == 0;
			if (seen) continue;
			if (ncodes == cap) {
				cap = cap ? cap * 2 : 8;
				const char **nc = arena_alloc(w->a, cap * sizeof *nc);
				if (ncodes) memcpy(nc, codes, ncodes * sizeof *nc);
				codes = nc;
			}
			codes[ncodes++] = arena_strdup(w->a, c);
		}
	}
	buf *b = w->out;
	buf_puts(b, "\xEF\xBB\xBF");   /* BOM: Excel then reads UTF-8 */
	buf_puts(b, "ma_don_vi,ten_don_vi,loai_hinh,co_quan_cong_nhan,nam_hoc,dot_danh_gia,muc,ten_muc,tong_diem,tong_diem_toi_da");
	for (size_t k = 0; k < ncodes; k++) buf_printf(b, ",nhom_%s_diem,nhom_%s_toi_da,nhom_%s_muc", codes[k], codes[k], codes[k]);
	buf_puts(b, ",so_quyet_dinh,ngay_quyet_dinh,nguoi_ky,ngay_cong_bo,nguoi_cong_bo\r\n");
	for (size_t i = 0; i < n; i++) {
		const public_result *p = &rs[i];
		csv_field(b, p->unit_code, true);
		buf_putc(b, ',');
		csv_field(b, p->unit_name, true);
		buf_putc(b, ',');
		csv_field(b, p->unit_type, true);
		buf_putc(b, ',');
		csv_field(b, p->office_name, true);
		buf_putc(b, ',');
		csv_field(b, p->school_year, true);
		buf_putc(b, ',');
		csv_field(b, p->round_title, true);
		buf_printf(b, ",%d,", p->level);
		csv_field(b, level_name(w, p), true);
		buf_putc(b, ',');
		csv_number(b, json_object_get(json_object_get(parsed[i], "total"), "points"));
		buf_putc(b, ',');
		csv_number(b, json_object_get(json_object_get(parsed[i], "total"), "max"));
		json_t *groups = json_object_get(parsed[i], "groups");
		for (size_t k = 0; k < ncodes; k++) {
			json_t *g = NULL;
			for (size_t j = 0; j < json_array_size(groups) && !g; j++) {
				const char *c = json_string_value(json_object_get(json_array_get(groups, j), "code"));
				if (c && strcmp(c, codes[k]) == 0) g = json_array_get(groups, j);
			}
			buf_putc(b, ',');
			if (g) csv_number(b, json_object_get(g, "points"));
			buf_putc(b, ',');
			if (g) csv_number(b, json_object_get(g, "max"));
			buf_putc(b, ',');
			if (g && json_is_integer(json_object_get(g, "level"))) buf_printf(b, "%lld", (long long)json_integer_value(json_object_get(g, "level")));
		}
		buf_putc(b, ',');
		csv_field(b, p->decision_number, true);
		buf_putc(b, ',');
		csv_field(b, p->decision_date, true);
		buf_putc(b, ',');
		csv_field(b, p->decision_signer, true);
		buf_putc(b, ',');
		csv_field(b, p->published_at, true);
		buf_putc(b, ',');
		csv_field(b, publisher_code(p), true);
		buf_puts(b, "\r\n");
		json_decref(parsed[i]);
	}
	w->r->content_type = "text/csv; charset=utf-8";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"chiso-ket-qua-cong-bo.csv\"");
	cache_public(w, 300);
}

static void open_json(web *w)
{
	public_result *rs;
	size_t n = filtered(w, &rs);
	const char *base = office_base_url(w);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const public_result *p = &rs[i];
		json_t *res = json_loads(p->result_json, 0, NULL);
		json_t *total = json_object_get(res, "total"), *groups = json_array();
		size_t gi;
		json_t *g;
		json_array_foreach(json_object_get(res, "groups"), gi, g)
			json_array_append_new(groups, json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "code", json_object_get(g, "code"), "title",
			                                        json_object_get(g, "title"), "points", json_object_get(g, "points"), "max",
			                                        json_object_get(g, "max"), "level", json_object_get(g, "level")));
		json_t *o = json_pack("{s:s, s:s, s:s, s:{s:I, s:s}, s:s, s:s, s:i, s:s, s:O?, s:O?, s:o, s:{s:s?, s:s?, s:s?}, s:s, s:s, s:s}",
		                      "unit_code", p->unit_code, "unit_name", p->unit_name, "unit_type", p->unit_type, "area", "id",
		                      (json_int_t)p->office_id, "name", p->office_name, "school_year", p->school_year, "round", p->round_title,
		                      "level", p->level, "level_name", level_name(w, p), "total", json_object_get(total, "points"),
		                      "total_max", json_object_get(total, "max"), "groups", groups,
		                      "decision", "number", p->decision_number, "date", p->decision_date, "signer", p->decision_signer,
		                      "published_at", p->published_at, "url", arena_printf(w->a, "%s/cong-khai/don-vi/%lld", base, (long long)p->unit_id),
		                      "badge", arena_printf(w->a, "%s/cong-khai/huy-hieu/%lld.svg", base, (long long)p->unit_id));
		if (o) json_object_set_new(o, "published_by", json_string(publisher_code(p)));
		if (o) json_array_append_new(arr, o);
		json_decref(res);
	}
	json_t *doc = json_pack("{s:s, s:I, s:o}", "source", "Chiso — kết quả đánh giá mức độ chuyển đổi số đã công bố", "count",
	                        (json_int_t)json_array_size(arr), "results", arr);
	char *text = json_dumps(doc, JSON_INDENT(1));
	json_decref(doc);
	buf_puts(w->out, text ? text : "{}");
	buf_putc(w->out, '\n');
	free(text);
	w->r->content_type = "application/json; charset=utf-8";
	cache_public(w, 300);
}

const web_route page_public_routes[] = {
	{ "GET", "/cong-khai", index_get, 0 },
	{ "GET", "/cong-khai/khu-vuc/{id}", area_get, 0 },
	{ "GET", "/cong-khai/don-vi/{id}", unit_page, 0 },
	{ "GET", "/cong-khai/huy-hieu/{id}.svg", badge_svg, 0 },
	{ "GET", "/cong-khai/du-lieu.csv", open_csv, 0 },
	{ "GET", "/cong-khai/du-lieu.json", open_json, 0 },
	{ NULL, NULL, NULL, 0 },
};
