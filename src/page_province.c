/* page_province.c — the Sở's province roll-up (issue 11, item 3): every
 * round in which the schools the Sở evaluates or manages today take part —
 * its own, read-only those of the dissolved Phòng (2024-2025) and of
 * communes — and one summary across them: levels per round, per school
 * year by unit type, by commune/ward (the schools' managing body today),
 * year over year for the same schools; each round drills down to its own
 * table (/tinh/dot/{id}). The numbers of a year are the sums of its
 * rounds' numbers: both come from the same rows (q_province.c). The same
 * numbers as JSON (/tinh.json) and as a workbook (/tinh.xlsx) for the
 * report to the Ministry.
 *
 * Access: the account's office role at the Sở (authz_check, AUTHZ_VIEW on
 * the Sở's unit); the province of a Sở is the store's (q_province.h). A
 * level is the recognised one, else the external, else the self-assessed
 * one, as on the round summary. */
#include "api.h"
#include "q_province.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web.h"
#include "web_office.h"
#include "web_weakest.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const school_types[] = { "mam_non", "tieu_hoc", "thcs", "lien_cap", "thpt", "gdtx" };
enum { NTYPES = 6 };

typedef struct counts {
	size_t units, level[4];      /* level[0]: none yet */
	size_t recognised;
} counts;

typedef struct group {
	int64_t id;                  /* a round, a commune */
	const char *name;
	counts c;
} group;

typedef struct year {
	const char *school_year;
	counts all, by_type[NTYPES];
	group *communes;             /* the schools' managing body today */
	size_t ncommunes;
} year;

typedef struct province {
	unit so;
	const char *date;
	round_row *rounds;
	size_t nrounds;
	counts *per_round;           /* parallel to rounds */
	const char **round_office;   /* the office's name, parallel to rounds */
	year *years;                 /* newest first */
	size_t nyears;
	size_t up, same, down, compared;   /* the two newest years, same schools */
} province;

static void count(counts *c, const province_row *r)
{
	c->units++;
	c->level[r->level >= 1 && r->level <= 3 ? r->level : 0]++;
	if (r->recognised) c->recognised++;
}

static int type_index(const char *t)
{
	for (int i = 0; i < NTYPES; i++)
		if (!strcmp(t, school_types[i])) return i;
	return -1;
}

/* The Sở the dispatcher loaded and authorised (WEB_LOAD_PROVINCE). */
static bool so_load(web *w, province *p)
{
	memset(p, 0, sizeof *p);
	p->date = office_today_iso(w);
	p->so = *w->unit;
	return true;
}

static year *year_of(province *p, const char *school_year)
{
	for (size_t i = 0; i < p->nyears; i++)
		if (!strcmp(p->years[i].school_year, school_year)) return &p->years[i];
	return NULL;
}

static group *commune_of(web *w, year *y, int64_t id, size_t cap)
{
	for (size_t i = 0; i < y->ncommunes; i++)
		if (y->communes[i].id == id) return &y->communes[i];
	if (y->ncommunes == cap) return NULL;
	group *g = &y->communes[y->ncommunes++];
	unit u;
	g->id = id;
	g->name = id && unit_get(w->d, id, w->a, &u) == DB_OK ? u.name : "Chưa có cơ quan quản lý";
	return g;
}

typedef struct unit_level {
	int64_t unit;
	int level;
} unit_level;

static int unit_level_cmp(const void *a, const void *b)
{
	const unit_level *x = a, *y = b;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int group_cmp(const void *a, const void *b)
{
	return vn_collate(((const group *)a)->name, ((const group *)b)->name);
}

/* Year over year for the same schools: the newest year against the one
 * before (the last level a school has in each). */
static void compare_years(province *p, const province_row *rows, size_t n, const size_t *round_of)
{
	if (p->nyears < 2) return;
	unit_level *cur = xcalloc(n + 1, sizeof *cur), *prev = xcalloc(n + 1, sizeof *prev);
	size_t nc = 0, np = 0;
	for (size_t i = 0; i < n; i++) {
		const char *y = p->rounds[round_of[i]].school_year;
		if (rows[i].level == 0) continue;
		if (!strcmp(y, p->years[0].school_year)) cur[nc++] = (unit_level){ rows[i].unit_id, rows[i].level };
		else if (!strcmp(y, p->years[1].school_year)) prev[np++] = (unit_level){ rows[i].unit_id, rows[i].level };
	}
	sort_list(cur, nc, sizeof *cur, unit_level_cmp);
	sort_list(prev, np, sizeof *prev, unit_level_cmp);
	for (size_t i = 0, j = 0; i < nc && j < np;) {
		if (cur[i].unit < prev[j].unit) { i++; continue; }
		if (cur[i].unit > prev[j].unit) { j++; continue; }
		p->compared++;
		if (cur[i].level > prev[j].level) p->up++;
		else if (cur[i].level < prev[j].level) p->down++;
		else p->same++;
		i++;
		j++;
	}
	free(cur);
	free(prev);
}

/* Every number of the page from the province's rows; `only` (0 = all)
 * keeps one round of the province (404 when it is not one). */
static bool province_load(web *w, province *p, int64_t only)
{
	province_row *rows = NULL;
	size_t n = 0;
	if (province_rounds(w->d, p->so.id, p->date, w->a, &p->rounds, &p->nrounds) != DB_OK ||
	    province_rows(w->d, p->so.id, p->date, w->a, &rows, &n) != DB_OK) {
		db_clear_error(w->d);
		web_error(w, 500, "Không đọc được số liệu toàn tỉnh. Vui lòng thử lại.");
		return false;
	}
	if (only) {
		size_t k = 0;
		while (k < p->nrounds && p->rounds[k].id != only) k++;
		if (k == p->nrounds) {
			web_error(w, 404, "Đợt đánh giá này không thuộc tỉnh.");
			return false;
		}
		p->rounds += k;
		p->nrounds = 1;
	}
	p->per_round = arena_alloc(w->a, (p->nrounds + 1) * sizeof *p->per_round);
	memset(p->per_round, 0, (p->nrounds + 1) * sizeof *p->per_round);
	p->round_office = arena_alloc(w->a, (p->nrounds + 1) * sizeof *p->round_office);
	p->years = arena_alloc(w->a, (p->nrounds + 1) * sizeof *p->years);
	for (size_t i = 0; i < p->nrounds; i++) {
		unit o;
		p->round_office[i] = unit_get(w->d, p->rounds[i].office_unit_id, w->a, &o) == DB_OK ? o.name : "?";
		if (!year_of(p, p->rounds[i].school_year)) {
			year *y = &p->years[p->nyears++];
			memset(y, 0, sizeof *y);
			y->school_year = p->rounds[i].school_year;
			y->communes = arena_alloc(w->a, (n + 1) * sizeof *y->communes);
		}
	}
	size_t *round_of = arena_alloc(w->a, (n + 1) * sizeof *round_of);
	for (size_t i = 0, k = 0; i < n; i++) {
		/* rows come by round id; the rounds by year: look the round up */
		if (k >= p->nrounds || p->rounds[k].id != rows[i].round_id)
			for (k = 0; k < p->nrounds && p->rounds[k].id != rows[i].round_id; k++) {}
		if (k == p->nrounds) continue;
		round_of[i] = k;
		count(&p->per_round[k], &rows[i]);
		year *y = year_of(p, p->rounds[k].school_year);
		count(&y->all, &rows[i]);
		int t = type_index(rows[i].unit_type);
		if (t >= 0) count(&y->by_type[t], &rows[i]);
		group *g = commune_of(w, y, rows[i].commune_id, n);
		if (g) count(&g->c, &rows[i]);
	}
	for (size_t i = 0; i < p->nyears; i++) sort_list(p->years[i].communes, p->years[i].ncommunes, sizeof(group), group_cmp);
	compare_years(p, rows, n, round_of);
	return true;
}

/* ---- HTML ------------------------------------------------------------------------------ */

static void counts_cells(web *w, const counts *c)
{
	html_f(w->out, "<td>%z</td><td>%z</td><td>%z</td><td>%z</td><td>%z</td><td>%z</td>", c->units, c->level[1], c->level[2],
	       c->level[3], c->level[0], c->recognised);
}

static void counts_head(web *w, const char *first)
{
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"levels\"><thead><tr><th>%h</th><th>Số đơn vị</th><th>Mức 1</th>"
	               "<th>Mức 2</th><th>Mức 3</th><th>Chưa có mức</th><th>Đã công nhận</th></tr></thead><tbody>", first);
}

static void rounds_table(web *w, const province *p)
{
	html_f(w->out, "<h2>Các đợt đánh giá trong tỉnh</h2><p class=\"explain\">Đợt của Sở và, chỉ xem, các đợt của Phòng GD&ĐT "
	               "(đã giải thể) và của UBND xã/phường có trường thuộc tỉnh.</p>");
	counts_head(w, "Đợt đánh giá");
	for (size_t i = 0; i < p->nrounds; i++) {
		const round_row *r = &p->rounds[i];
		html_f(w->out, "<tr data-round=\"%D\"><td><a href=\"/tinh/dot/%D?co_quan=%D\">%h</a><br><small>%h — năm học %h%h</small></td>",
		       r->id, r->id, p->so.id, r->title, p->round_office[i], r->school_year,
		       r->office_unit_id == p->so.id ? "" : " (chỉ xem)");
		counts_cells(w, &p->per_round[i]);
		html_f(w->out, "</tr>");
	}
	html_f(w->out, "</tbody></table></div>");
}

static void year_tables(web *w, const year *y)
{
	html_f(w->out, "<section class=\"card\" data-year=\"%a\"><h2>Năm học %h</h2><h3>Theo loại hình</h3>", y->school_year, y->school_year);
	counts_head(w, "Loại hình");
	for (int t = 0; t < NTYPES; t++) {
		if (!y->by_type[t].units) continue;
		html_f(w->out, "<tr data-type=\"%a\"><td>%h</td>", school_types[t], office_unit_type_label(school_types[t]));
		counts_cells(w, &y->by_type[t]);
		html_f(w->out, "</tr>");
	}
	html_f(w->out, "<tr class=\"total\"><th>Toàn tỉnh</th>");
	counts_cells(w, &y->all);
	html_f(w->out, "</tr></tbody></table></div><h3>Theo xã, phường (cơ quan quản lý trường hiện nay)</h3>");
	counts_head(w, "Cơ quan quản lý");
	for (size_t i = 0; i < y->ncommunes; i++) {
		html_f(w->out, "<tr data-commune=\"%D\"><td>%h</td>", y->communes[i].id, y->communes[i].name);
		counts_cells(w, &y->communes[i].c);
		html_f(w->out, "</tr>");
	}
	html_f(w->out, "</tbody></table></div></section>");
}

/* The newest school year's weakest criteria over every round of it
 * (web_weakest.h). */
static void weakest_section(web *w, const province *p)
{
	weakest_acc k;
	weakest_init(w, &k);
	for (size_t i = 0; i < p->nrounds; i++)
		if (strcmp(p->rounds[i].school_year, p->years[0].school_year) == 0) weakest_add_round(w, &k, &p->rounds[i], NULL, 0);
	weakest_render(w, &k, 10);
}

static void province_get(web *w)
{
	province p;
	if (!so_load(w, &p) || !province_load(w, &p, 0)) return;
	page_begin(w, arena_printf(w->a, "Tổng hợp toàn tỉnh — %s", p.so.name));
	html_f(w->out, "<section class=\"card\"><h1>Tổng hợp toàn tỉnh</h1><p>%h — các trường Sở đánh giá hoặc quản lý ngày %h. "
	               "Mức tính: mức được công nhận; nếu chưa thì mức đánh giá ngoài, rồi mức tự đánh giá.</p>"
	               "<p class=\"links\"><a class=\"button secondary\" href=\"/tinh.xlsx?co_quan=%D\">Tải bảng tổng hợp (XLSX)</a> "
	               "<a class=\"button secondary\" href=\"/tinh.json?co_quan=%D\">Tải số liệu (JSON)</a></p>",
	       p.so.name, web_date_short(w, p.date), p.so.id, p.so.id);
	rounds_table(w, &p);
	html_f(w->out, "</section>");
	if (p.nyears >= 2)
		html_f(w->out, "<section class=\"card\" id=\"so-sanh\"><h2>So sánh năm học %h với %h</h2><p>Cùng %z trường có mức ở cả hai năm: "
		               "<strong>%z</strong> tăng mức, %z giữ nguyên, %z giảm mức.</p></section>",
		       p.years[0].school_year, p.years[1].school_year, p.compared, p.up, p.same, p.down);
	for (size_t i = 0; i < p.nyears; i++) {
		year_tables(w, &p.years[i]);
		if (i == 0) weakest_section(w, &p);
	}
	page_end(w);
}

/* One round of the province: its units by type, by commune. */
static void province_round_get(web *w)
{
	province p;
	/* the round alone, through the same aggregation as the province */
	if (!so_load(w, &p) || !province_load(w, &p, w->ids[0])) return;
	const round_row *r = &p.rounds[0];
	page_begin(w, arena_printf(w->a, "Tổng hợp toàn tỉnh — %s", r->title));
	html_f(w->out, "<section class=\"card\"><p class=\"crumbs\"><a href=\"/tinh?co_quan=%D\">Tổng hợp toàn tỉnh</a></p>"
	               "<h1>%h</h1><p>%h — năm học %h%h</p></section>",
	       p.so.id, r->title, p.round_office[0], r->school_year, r->office_unit_id == p.so.id ? "" : " (chỉ xem)");
	year_tables(w, &p.years[0]);
	page_end(w);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static json_t *counts_json(const counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "units", (json_int_t)c->units, "muc_1", (json_int_t)c->level[1],
	                 "muc_2", (json_int_t)c->level[2], "muc_3", (json_int_t)c->level[3],
	                 "chua_co_muc", (json_int_t)c->level[0], "da_cong_nhan", (json_int_t)c->recognised);
}

static void province_json(web *w)
{
	province p;
	if (!so_load(w, &p) || !province_load(w, &p, 0)) return;
	json_t *rounds = json_array(), *years = json_array();
	for (size_t i = 0; i < p.nrounds; i++)
		json_array_append_new(rounds, json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}", "id", (json_int_t)p.rounds[i].id,
			"office", p.round_office[i], "school_year", p.rounds[i].school_year, "title", p.rounds[i].title,
			"own", p.rounds[i].office_unit_id == p.so.id, "levels", counts_json(&p.per_round[i])));
	for (size_t i = 0; i < p.nyears; i++) {
		const year *y = &p.years[i];
		json_t *types = json_object(), *communes = json_array();
		for (int t = 0; t < NTYPES; t++)
			if (y->by_type[t].units) json_object_set_new(types, school_types[t], counts_json(&y->by_type[t]));
		for (size_t c = 0; c < y->ncommunes; c++)
			json_array_append_new(communes, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)y->communes[c].id,
				"name", y->communes[c].name, "levels", counts_json(&y->communes[c].c)));
		json_array_append_new(years, json_pack("{s:s, s:o, s:o, s:o}", "school_year", y->school_year,
			"levels", counts_json(&y->all), "by_type", types, "by_commune", communes));
	}
	json_t *body = json_pack("{s:{s:I, s:s}, s:s, s:s, s:o, s:o}", "office", "id", (json_int_t)p.so.id, "name", p.so.name,
		"date", p.date, "level_basis", "recognised, else external, else self", "rounds", rounds, "years", years);
	if (p.nyears >= 2)
		json_object_set_new(body, "year_over_year", json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "year", p.years[0].school_year,
			"against", p.years[1].school_year, "schools", (json_int_t)p.compared, "up", (json_int_t)p.up,
			"same", (json_int_t)p.same, "down", (json_int_t)p.down));
	api_json(w, 200, body);
}

/* ---- XLSX: the same tables, one sheet for the rounds, one per school year ------------------- */

static const char *const count_heads[] = { "Số đơn vị", "Mức 1", "Mức 2", "Mức 3", "Chưa có mức", "Đã công nhận" };

static void xl_counts(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const counts *c)
{
	const size_t v[6] = { c->units, c->level[1], c->level[2], c->level[3], c->level[0], c->recognised };
	for (int k = 0; k < 6; k++) worksheet_write_number(ws, row, (lxw_col_t)(col + k), (double)v[k], NULL);
}

static void xl_head(lxw_worksheet *ws, lxw_row_t row, const char *const *first, int nfirst, lxw_format *bold)
{
	for (int k = 0; k < nfirst; k++) worksheet_write_string(ws, row, (lxw_col_t)k, first[k], bold);
	for (int k = 0; k < 6; k++) worksheet_write_string(ws, row, (lxw_col_t)(nfirst + k), count_heads[k], bold);
}

static void xl_year(web *w, lxw_workbook *wb, const year *y, lxw_format *bold)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, arena_printf(w->a, "Năm học %s", y->school_year));
	static const char *const by_type[] = { "Loại hình" }, *const by_commune[] = { "Cơ quan quản lý" };
	lxw_row_t row = 0;
	if (!ws) return;
	worksheet_set_column(ws, 0, 0, 40, NULL);
	xl_head(ws, row++, by_type, 1, bold);
	for (int t = 0; t < NTYPES; t++) {
		if (!y->by_type[t].units) continue;
		worksheet_write_string(ws, row, 0, office_unit_type_label(school_types[t]), NULL);
		xl_counts(ws, row++, 1, &y->by_type[t]);
	}
	worksheet_write_string(ws, row, 0, "Toàn tỉnh", bold);
	xl_counts(ws, row++, 1, &y->all);
	row++;
	xl_head(ws, row++, by_commune, 1, bold);
	for (size_t i = 0; i < y->ncommunes; i++) {
		worksheet_write_string(ws, row, 0, y->communes[i].name, NULL);
		xl_counts(ws, row++, 1, &y->communes[i].c);
	}
}

static bool xl_write(web *w, const province *p, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb) return false;
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Các đợt đánh giá");
	static const char *const first[] = { "Cơ quan", "Năm học", "Đợt đánh giá" };
	worksheet_set_column(ws, 0, 0, 45, NULL);
	worksheet_set_column(ws, 2, 2, 50, NULL);
	worksheet_write_string(ws, 0, 0, arena_printf(w->a, "%s — tổng hợp toàn tỉnh ngày %s", p->so.name, p->date), bold);
	xl_head(ws, 2, first, 3, bold);
	for (size_t i = 0; i < p->nrounds; i++) {
		lxw_row_t row = (lxw_row_t)(3 + i);
		worksheet_write_string(ws, row, 0, p->round_office[i], NULL);
		worksheet_write_string(ws, row, 1, p->rounds[i].school_year, NULL);
		worksheet_write_string(ws, row, 2, p->rounds[i].title, NULL);
		xl_counts(ws, row, 3, &p->per_round[i]);
	}
	for (size_t i = 0; i < p->nyears; i++) xl_year(w, wb, &p->years[i], bold);
	return workbook_close(wb) == LXW_NO_ERROR;
}

/* libxlsxwriter writes files only: a private temporary file, read back. */
static void province_xlsx(web *w)
{
	province p;
	if (!so_load(w, &p) || !province_load(w, &p, 0)) return;
	char path[] = "/tmp/chiso-tinh-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { web_error(w, 500, "Không tạo được tệp tạm cho XLSX."); return; }
	close(fd);
	bool ok = xl_write(w, &p, path);
	buf_reset(w->out);
	FILE *f = ok ? fopen(path, "rb") : NULL;
	if (f) {
		char chunk[16384];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(w->out, chunk, n);
		fclose(f);
	}
	unlink(path);
	if (!f) { web_error(w, 500, "Không tạo được tệp XLSX."); return; }
	w->r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"tong-hop-toan-tinh.xlsx\"");
}

const web_route page_province_routes[] = {
	/* {id}: one round of the Sở's province, else 404 (province_load) */
	{ "GET", "/tinh", province_get, WEB_SIGNED_IN, .load = WEB_LOAD_PROVINCE },
	{ "GET", "/tinh.json", province_json, WEB_SIGNED_IN, .load = WEB_LOAD_PROVINCE },
	{ "GET", "/tinh/dot/{id}", province_round_get, WEB_SIGNED_IN, .load = WEB_LOAD_PROVINCE },
	{ "GET", "/tinh.xlsx", province_xlsx, WEB_SIGNED_IN, .load = WEB_LOAD_PROVINCE },
	{ NULL, NULL, NULL, 0 },
};
