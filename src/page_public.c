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
#include "q_open.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *level_class(int level)
{
	return level == 1 ? "level-1" : level == 2 ? "level-2" : level == 3 ? "level-3" : "";
}

/* "Mức 2", as the framework named the level when it was published. */
/* o: the result's snapshot, parsed. */
static const char *level_name_of(arena *a, const public_result *p, json_t *o)
{
	if (p->level < 1 || p->level > 3) return "Chưa xếp mức";
	const char *s = json_string_value(json_object_get(o, "level_name"));
	bool same = json_integer_value(json_object_get(o, "level")) == p->level;
	return s && same ? arena_strdup(a, s) : arena_printf(a, "Mức %d", p->level);
}

static const char *level_name_in(arena *a, const public_result *p)
{
	json_t *o = json_loads(p->result_json, 0, NULL);
	const char *out = level_name_of(a, p, o);
	json_decref(o);
	return out;
}

static const char *level_name(web *w, const public_result *p)
{
	return level_name_in(w->a, p);
}

/* Who made the result public: the evaluating office, or the school itself
 * (its recognised result, issue 11); the open data says which. */
static const char *publisher_text(const public_result *p)
{
	if (p->self_assessed) return "Đơn vị tự công khai kết quả tự đánh giá (chưa được công nhận)";
	return p->by_school ? "Đơn vị tự công khai kết quả đã được công nhận" : "Công bố";
}

static const char *publisher_code(const public_result *p) { return p->by_school ? "school" : "office"; }

/* Each figure's status (issue 11, item 5): the school's self-assessment
 * made public before recognition, or the recognised result. */
#define SELF_LABEL "Tự đánh giá — chưa được công nhận"
static const char *status_code(const public_result *p) { return p->self_assessed ? "tu_danh_gia" : "cong_nhan"; }
static const char *status_note(const public_result *p) { return p->self_assessed ? " (" SELF_LABEL ")" : ""; }

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

/* The school years of an area's published results, newest first. */
static size_t area_years(web *w, const public_result *rs, size_t n, const char ***out)
{
	const char **years = arena_alloc(w->a, (n + 1) * sizeof *years);
	size_t ny = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < ny && strcmp(years[j], rs[i].school_year) != 0) j++;
		if (j < ny) continue;
		/* insertion, newest first ("2026-2027" > "2025-2026") */
		for (j = ny++; j > 0 && strcmp(years[j - 1], rs[i].school_year) < 0; j--) years[j] = years[j - 1];
		years[j] = rs[i].school_year;
	}
	*out = years;
	return ny;
}

/* "Năm học: 2026-2027 · 2025-2026": the shown year in bold, the others linked. */
static void area_year_links(web *w, int64_t office_id, const char *const *years, size_t ny, const char *year)
{
	html_f(w->out, "<nav class=\"years\" aria-label=\"Năm học\"><p>Năm học:");
	for (size_t i = 0; i < ny; i++) {
		if (strcmp(years[i], year) == 0) html_f(w->out, "%h <strong>%h</strong>", i ? " ·" : "", years[i]);
		else html_f(w->out, "%h <a href=\"/cong-khai/khu-vuc/%D?nam-hoc=%u\">%h</a>", i ? " ·" : "", office_id, years[i], years[i]);
	}
	html_f(w->out, "</p></nav>");
}

/* An area's page shows one school year (?nam-hoc=, else the latest with a
 * published result): each unit's latest published result of that year,
 * counted per level; the other years are linked. */
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
	const char **years = NULL;
	size_t ny = area_years(w, rs, n, &years);
	const char *asked = web_in_text(w, "nam-hoc"), *year = ny ? years[0] : NULL;
	for (size_t i = 0; asked && i < ny; i++) if (strcmp(asked, years[i]) == 0) year = years[i];
	/* the latest published result of each unit in that year */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!year || strcmp(rs[i].school_year, year) != 0) continue;
		bool dup = false;
		for (size_t j = 0; j < k; j++) dup |= rs[j].unit_id == rs[i].unit_id;
		if (!dup) rs[k++] = rs[i];
	}
	n = k;
	sort_list(rs, n, sizeof *rs, by_name);
	size_t counts[4] = { 0 };
	for (size_t i = 0; i < n; i++) counts[rs[i].level >= 0 && rs[i].level <= 3 ? rs[i].level : 0]++;
	cache_public(w, 300);
	page_begin(w, year ? arena_printf(w->a, "%s — năm học %s", office.name, year) : office.name);
	html_f(w->out, "<p class=\"crumbs\"><a href=\"/cong-khai\">Kết quả công khai</a></p><h1>%h</h1>", office.name);
	if (!n) {
		html_f(w->out, "<p>Chưa có kết quả nào được công bố.</p>");
		page_end(w);
		return;
	}
	area_year_links(w, office.id, years, ny, year);
	html_f(w->out, "<section class=\"card\"><h2>Năm học %h</h2><p>%z đơn vị có kết quả đã công bố: Mức 3: <strong>%z</strong> · "
	               "Mức 2: <strong>%z</strong> · Mức 1: <strong>%z</strong>%h</p><p>Dữ liệu mở năm học %h: "
	               "<a href=\"/cong-khai/du-lieu.csv?khu-vuc=%D&amp;nam-hoc=%u\">CSV</a> · "
	               "<a href=\"/cong-khai/du-lieu.json?khu-vuc=%D&amp;nam-hoc=%u\">JSON</a></p></section>",
	       year, n, counts[3], counts[2], counts[1], counts[0] ? arena_printf(w->a, " · chưa xếp mức: %zu", counts[0]) : "", year,
	       office.id, year, office.id, year);
	html_f(w->out, "<div class=\"table-wrap\"><table><thead><tr><th>Đơn vị</th><th>Loại hình</th><th>Năm học</th><th>Mức</th>"
	               "<th>Quyết định công nhận</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		html_f(w->out, "<tr><td><a href=\"/cong-khai/don-vi/%D\">%h</a></td><td>%h</td><td>%h</td><td class=\"%a\">%h%h</td><td>%h%h%h</td></tr>",
		       rs[i].unit_id, rs[i].unit_name, office_unit_type_label(rs[i].unit_type), rs[i].school_year, level_class(rs[i].level),
		       level_name(w, &rs[i]), rs[i].self_assessed ? status_note(&rs[i]) : rs[i].by_school ? " (đơn vị tự công khai)" : "",
		       rs[i].decision_number,
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
		html_f(w->out, "<section class=\"card result\" data-status=\"%a\"><h2>Năm học %h: <span class=\"%a\">%h</span>%h</h2><p>%h</p>",
		       status_code(r), r->school_year, level_class(r->level), level_name(w, r), status_note(r), r->round_title);
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
	const char *right = p->self_assessed ? arena_printf(w->a, "Tự đánh giá: %s", level_name(w, p))
	                                     : arena_printf(w->a, "%s · %s", level_name(w, p), p->school_year);
	w->r->content_type = "image/svg+xml; charset=utf-8";
	cache_public(w, 3600);
	/* Fixed geometry and presentation attributes only (no style, no
	 * script): it renders the same in an <img> on any site. */
	html_f(w->out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"230\" height=\"28\" viewBox=\"0 0 230 28\" role=\"img\" "
	               "aria-label=\"%a — chuyển đổi số: %a%a\"><title>%h — mức độ chuyển đổi số: %h (năm học %h)%h</title>"
	               "<rect width=\"230\" height=\"28\" rx=\"4\" fill=\"%a\"/><rect width=\"104\" height=\"28\" rx=\"4\" fill=\"#0b5cab\"/>"
	               "<rect x=\"100\" width=\"4\" height=\"28\" fill=\"#0b5cab\"/>"
	               "<g fill=\"#fff\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\" text-anchor=\"middle\">"
	               "<text x=\"52\" y=\"18\">Chuyển đổi số</text><text x=\"167\" y=\"18\" font-weight=\"bold\">%h</text></g></svg>\n",
	       p->unit_name, right, status_note(p), p->unit_name, level_name(w, p), p->school_year, status_note(p), colour, right);
}

/* ---- open data ------------------------------------------------------------------------------ */

/* The open data is streamed (http_req.stream_fill): read a page of
 * OPEN_PAGE results at a time by assessment id (q_open.h), on a
 * connection of its own held in one read snapshot from the first row to
 * the last, each page written out and freed before the next is read: the
 * server's memory does not grow with the country. */
enum { OPEN_PAGE = 100 };

typedef struct open_stream {
	db *d;                            /* its own connection (the request's is the thread's) */
	bool json, snapshot, ended, failed;
	int64_t office_id, after, count;
	char *year, *base;                /* owned (malloc) */
	char **codes;                     /* CSV: the group columns, owned */
	size_t ncodes;
	buf out;                          /* made, not yet sent from pos */
	size_t pos;
	bool any;                         /* JSON: a result written (the comma) */
} open_stream;

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

/* One result as a CSV line. */
static void csv_row(buf *b, arena *a, const public_result *p, char *const *codes, size_t ncodes)
{
	json_t *parsed = json_loads(p->result_json, 0, NULL);
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
	csv_field(b, level_name_of(a, p, parsed), true);
	buf_putc(b, ',');
	csv_number(b, json_object_get(json_object_get(parsed, "total"), "points"));
	buf_putc(b, ',');
	csv_number(b, json_object_get(json_object_get(parsed, "total"), "max"));
	json_t *groups = json_object_get(parsed, "groups");
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
	buf_putc(b, ',');
	csv_field(b, status_code(p), true);
	buf_puts(b, "\r\n");
	json_decref(parsed);
}

/* One result as a JSON object (one line). */
static void json_row(buf *b, arena *a, const public_result *p, const char *base)
{
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
	                      "level", p->level, "level_name", level_name_of(a, p, res), "total", json_object_get(total, "points"),
	                      "total_max", json_object_get(total, "max"), "groups", groups,
	                      "decision", "number", p->decision_number, "date", p->decision_date, "signer", p->decision_signer,
	                      "published_at", p->published_at, "url", arena_printf(a, "%s/cong-khai/don-vi/%lld", base, (long long)p->unit_id),
	                      "badge", arena_printf(a, "%s/cong-khai/huy-hieu/%lld.svg", base, (long long)p->unit_id));
	if (o) json_object_set_new(o, "published_by", json_string(publisher_code(p)));
	if (o) json_object_set_new(o, "status", json_string(status_code(p)));
	if (o) json_object_set_new(o, "status_label", json_string(p->self_assessed ? SELF_LABEL : "Kết quả đã được công nhận"));
	char *text = o ? json_dumps(o, 0) : NULL;
	if (text) buf_puts(b, text);
	free(text);
	json_decref(o);
	json_decref(res);
}

/* The next page of results into s->out; the closing text after the last. */
static void open_next_page(open_stream *s)
{
	arena *a = arena_new();
	public_result *rs = NULL;
	size_t n = 0;
	if (open_results_page(s->d, s->office_id, s->year, s->after, OPEN_PAGE, a, &rs, &n) != DB_OK) {
		s->failed = true;
		arena_free(a);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s->json) {
			buf_puts(&s->out, s->any ? ",\n" : "\n");
			json_row(&s->out, a, &rs[i], s->base);
		} else {
			csv_row(&s->out, a, &rs[i], s->codes, s->ncodes);
		}
		s->any = true;
	}
	if (n) s->after = rs[n - 1].assessment_id;
	if (n < OPEN_PAGE) {
		s->ended = true;
		if (s->json) buf_puts(&s->out, "\n]}\n");
	}
	arena_free(a);
}

static long open_fill(void *ctx, char *out, size_t max)
{
	open_stream *s = ctx;
	if (s->pos && s->out.len - s->pos < max && !s->ended) {
		/* what is left to the front, so the buffer holds a page or two,
		 * never the whole response */
		memmove(s->out.data, s->out.data + s->pos, s->out.len - s->pos);
		s->out.len -= s->pos;
		s->pos = 0;
	}
	while (s->out.len - s->pos < max && !s->ended && !s->failed) open_next_page(s);
	if (s->failed) return -1;
	size_t k = s->out.len - s->pos < max ? s->out.len - s->pos : max;
	memcpy(out, s->out.data + s->pos, k);
	s->pos += k;
	if (s->pos == s->out.len) {
		buf_reset(&s->out);
		s->pos = 0;
	}
	return (long)k;
}

static void open_done(void *ctx)
{
	open_stream *s = ctx;
	if (s->snapshot) db_commit(s->d);
	db_close(s->d);
	for (size_t i = 0; i < s->ncodes; i++) free(s->codes[i]);
	free(s->codes);
	free(s->year);
	free(s->base);
	buf_free(&s->out);
	free(s);
}

/* The CSV's group columns: the groups of every framework version of the
 * results (their codes, first seen first), from the catalogue. */
static void open_codes(web *w, open_stream *s)
{
	const char **fws = NULL;
	size_t nf = 0, n = 0, cap = 0;
	if (open_results_frameworks(s->d, s->office_id, s->year, w->a, &fws, &nf) != DB_OK) nf = 0;
	for (size_t f = 0; f < nf; f++) {
		const framework *fw = fw_catalog_find(&w->app->frameworks, fws[f]);
		if (fw) cap += fw->ngroups;
	}
	/* first in the request's arena, then copied for the stream */
	const char **codes = arena_alloc(w->a, (cap + 1) * sizeof *codes);
	for (size_t f = 0; f < nf; f++) {
		const framework *fw = fw_catalog_find(&w->app->frameworks, fws[f]);
		for (size_t g = 0; fw && g < fw->ngroups; g++) {
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++) seen = strcmp(codes[k], fw->groups[g].code) == 0;
			if (!seen) codes[n++] = fw->groups[g].code;
		}
	}
	s->codes = xcalloc(n + 1, sizeof *s->codes);
	for (size_t k = 0; k < n; k++) s->codes[k] = xstrdup(codes[k]);
	s->ncodes = n;
}

/* The stream of the request's filter (?khu-vuc=, ?nam-hoc=), its first
 * text in out; NULL (an error page rendered) when it cannot start. */
static open_stream *open_begin(web *w, bool json)
{
	open_stream *s = calloc(1, sizeof *s);
	char *msg = NULL;
	if (!s || db_open(w->app->db_target, &s->d, &msg) != DB_OK) {
		free(msg);
		free(s);
		web_error(w, 500, "Không đọc được dữ liệu mở lúc này. Vui lòng thử lại sau.");
		return NULL;
	}
	s->json = json;
	s->office_id = web_in_int(w, "khu-vuc", 0);
	const char *year = web_in_text(w, "nam-hoc");
	s->year = year ? xstrdup(year) : NULL;
	s->base = xstrdup(office_base_url(w) ? office_base_url(w) : "");   /* no base URL configured: links stay relative */
	buf_init(&s->out);
	s->snapshot = db_begin_read_scan(s->d) == DB_OK;
	return s;
}

static void open_send(web *w, open_stream *s, const char *content_type, const char *filename)
{
	w->r->content_type = content_type;
	if (filename) http_set_header(w->r, "Content-Disposition", arena_printf(w->a, "attachment; filename=\"%s\"", filename));
	cache_public(w, 300);
	buf_reset(w->out);
	w->r->stream_fill = open_fill;
	w->r->stream_done = open_done;
	w->r->stream_ctx = s;
}

static void open_csv(web *w)
{
	open_stream *s = open_begin(w, false);
	if (!s) return;
	open_codes(w, s);
	buf *b = &s->out;
	buf_puts(b, "\xEF\xBB\xBF");   /* BOM: Excel then reads UTF-8 */
	buf_puts(b, "ma_don_vi,ten_don_vi,loai_hinh,co_quan_cong_nhan,nam_hoc,dot_danh_gia,muc,ten_muc,tong_diem,tong_diem_toi_da");
	for (size_t k = 0; k < s->ncodes; k++) buf_printf(b, ",nhom_%s_diem,nhom_%s_toi_da,nhom_%s_muc", s->codes[k], s->codes[k], s->codes[k]);
	buf_puts(b, ",so_quyet_dinh,ngay_quyet_dinh,nguoi_ky,ngay_cong_bo,nguoi_cong_bo,trang_thai\r\n");
	open_send(w, s, "text/csv; charset=utf-8", "chiso-ket-qua-cong-bo.csv");
}

static void open_json(web *w)
{
	open_stream *s = open_begin(w, true);
	if (!s) return;
	if (open_results_count(s->d, s->office_id, s->year, &s->count) != DB_OK) s->count = 0;
	json_t *js = json_string("Chiso — kết quả đánh giá mức độ chuyển đổi số đã công bố");
	char *source = json_dumps(js, JSON_ENCODE_ANY);
	json_decref(js);
	buf_printf(&s->out, "{\"source\": %s, \"count\": %lld, \"results\": [", source ? source : "\"\"", (long long)s->count);
	free(source);
	open_send(w, s, "application/json; charset=utf-8", NULL);
}

/* Public data, no account (flags 0): the queries read only published
 * snapshots (public_results), so nothing is loaded or authorised here. */
static const web_input year_inputs[] = {
	{ .name = "nam-hoc", .type = WEB_IN_TEXT, .max = 20, .label = "năm học" },
	{ .name = NULL },
};
static const web_input open_inputs[] = {
	{ .name = "khu-vuc", .type = WEB_IN_ID, .label = "khu vực" },
	{ .name = "nam-hoc", .type = WEB_IN_TEXT, .max = 20, .label = "năm học" },
	{ .name = NULL },
};

const web_route page_public_routes[] = {
	{ "GET", "/cong-khai", index_get, 0, .load = WEB_LOAD_NONE },
	{ "GET", "/cong-khai/khu-vuc/{id}", area_get, 0, .load = WEB_LOAD_NONE, .inputs = year_inputs },
	{ "GET", "/cong-khai/don-vi/{id}", unit_page, 0, .load = WEB_LOAD_NONE },
	{ "GET", "/cong-khai/huy-hieu/{id}.svg", badge_svg, 0, .load = WEB_LOAD_NONE },
	{ "GET", "/cong-khai/du-lieu.csv", open_csv, 0, .load = WEB_LOAD_NONE, .inputs = open_inputs },
	{ "GET", "/cong-khai/du-lieu.json", open_json, 0, .load = WEB_LOAD_NONE, .inputs = open_inputs },
	{ NULL, NULL, NULL, 0 },
};
