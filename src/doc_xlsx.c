/* doc_xlsx.c — the spreadsheet forms of the documents (libxlsxwriter):
 * an assessment's score table, its evidence catalogue, and a round's list
 * of units with statistics and targets. Headers are bold on a light fill
 * with borders and wrapped text, columns have widths that fit Vietnamese
 * text, points and percentages are real numbers with number formats (not
 * text), dates are real dates, the header row is frozen and filtered, and
 * units come in Vietnamese alphabetical order (vn_collate, via the loaded
 * context). Times New Roman, like the DOCX. */
#include "doc_build.h"
#include "doc_xlsx.h"
#include "util.h"
#include "vn.h"
#include "workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef xlsx_fmt xfmt;

static lxw_format *base(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, DOC_FONT_DOCX);
	format_set_font_size(f, 12);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

static void formats(lxw_workbook *wb, xfmt *x)
{
	x->head = base(wb);
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xDDEBF7);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_CENTER);
	x->text = base(wb);
	x->wrap = base(wb);
	format_set_text_wrap(x->wrap);
	x->center = base(wb);
	format_set_align(x->center, LXW_ALIGN_CENTER);
	x->points = base(wb);
	/* General: 89, 75.5 and 33.33 as typed, without "89.0" */
	format_set_align(x->points, LXW_ALIGN_CENTER);
	x->percent = base(wb);
	format_set_num_format(x->percent, "0.0%");
	format_set_align(x->percent, LXW_ALIGN_CENTER);
	x->date = base(wb);
	format_set_num_format(x->date, "dd/mm/yyyy");
	format_set_align(x->date, LXW_ALIGN_CENTER);
	x->bold = base(wb);
	format_set_bold(x->bold);
	format_set_text_wrap(x->bold);
	x->decimal = base(wb);
	format_set_num_format(x->decimal, "0.00");
	x->title = workbook_add_format(wb);
	format_set_font_name(x->title, DOC_FONT_DOCX);
	format_set_font_size(x->title, 14);
	format_set_bold(x->title);
}

static bool finish(lxw_workbook *wb, buf *err)
{
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		buf_printf(err, "không ghi được tệp XLSX: %s\n", lxw_strerror(e));
		return false;
	}
	return true;
}

/* The header row of a sheet, and its page: A4, landscape when the columns
 * are wider than a portrait page, fitted to the page width, the header row
 * printed again on every page. */
static void headers(lxw_worksheet *ws, const xfmt *x, lxw_row_t row, const char *const *h, const double *w, size_t n)
{
	double width = 0;
	for (size_t i = 0; i < n; i++) width += w[i];
	worksheet_set_paper(ws, 9);            /* A4 */
	if (width > 95) worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, row, row);
	for (size_t i = 0; i < n; i++) {
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, w[i], NULL);
		worksheet_write_string(ws, row, (lxw_col_t)i, h[i], x->head);
	}
	worksheet_set_row(ws, row, 32, NULL);
	worksheet_freeze_panes(ws, row + 1, 0);
}

static void title(lxw_worksheet *ws, const xfmt *x, const char *text, const char *sub)
{
	worksheet_write_string(ws, 0, 0, text, x->title);
	if (sub) worksheet_write_string(ws, 1, 0, sub, NULL);
}

static void points(lxw_worksheet *ws, const xfmt *x, lxw_row_t r, lxw_col_t col, bool have, q v)
{
	if (have) worksheet_write_number(ws, r, col, q_to_double(v), x->points);
	else worksheet_write_blank(ws, r, col, x->points);
}

/* ---- one assessment's scores ------------------------------------------------------- */

/* The columns of an assessment's score workbook, by document: the
 * council's minutes carry the self-assessment and its evidence; the report
 * also the explanations; the external minutes both sides, their difference
 * and the evaluators' reasons. */
typedef enum score_col { SC_CODE, SC_TITLE, SC_MAX, SC_SELF, SC_EXT, SC_DIFF, SC_EVIDENCE, SC_EXPLAIN, SC_REASON } score_col;

typedef struct score_cols {
	const score_col *cols;
	size_t n;
} score_cols;

static score_cols score_cols_of(const char *type)
{
	static const score_col minutes[] = { SC_CODE, SC_TITLE, SC_MAX, SC_SELF, SC_EVIDENCE };
	static const score_col report[] = { SC_CODE, SC_TITLE, SC_MAX, SC_SELF, SC_EVIDENCE, SC_EXPLAIN };
	static const score_col external[] = { SC_CODE, SC_TITLE, SC_MAX, SC_SELF, SC_EXT, SC_DIFF, SC_REASON };
	if (!strcmp(type, "minutes")) return (score_cols){ minutes, ARRAY_LEN(minutes) };
	if (!strcmp(type, "external-minutes")) return (score_cols){ external, ARRAY_LEN(external) };
	return (score_cols){ report, ARRAY_LEN(report) };
}

static void score_cell(doc_ctx *c, lxw_worksheet *ws, const xfmt *x, const doc_unit *u, const fw_node *n,
                       lxw_row_t r, lxw_col_t col, score_col k)
{
	bool gate = n->rule && n->rule->kind == RULE_GATE, info = n->rule && n->rule->kind == RULE_INFO;
	const node_score *self = u->self ? score_node(u->self, n) : NULL;
	const node_score *ext = u->has_ext && u->ext ? score_node(u->ext, n) : NULL;
	switch (k) {
	case SC_CODE: worksheet_write_string(ws, r, col, n->code, x->center); break;
	case SC_TITLE: worksheet_write_string(ws, r, col, n->title, n->kind == NODE_GROUP ? x->bold : x->wrap); break;
	case SC_MAX:
		if (gate) worksheet_write_string(ws, r, col, "ĐKBB", x->center);
		else points(ws, x, r, col, !info, n->max);
		break;
	case SC_SELF:
	case SC_EXT: {
		const node_score *ns = k == SC_SELF ? self : ext;
		if (!ns || (n->rule && !ns->answered) || info) worksheet_write_blank(ws, r, col, x->points);
		else if (gate) worksheet_write_string(ws, r, col, ns->gate_failed ? "Không đạt" : "Đạt", x->center);
		else points(ws, x, r, col, true, ns->points);
		break;
	}
	case SC_DIFF:   /* external − self, points only */
		points(ws, x, r, col, self && ext && !gate && !info && (!n->rule || (self->answered && ext->answered)),
		       self && ext ? q_sub(ext->points, self->points) : q_int(0));
		break;
	case SC_EVIDENCE: worksheet_write_string(ws, r, col, evidence_codes(c, n), x->wrap); break;
	case SC_EXPLAIN:
	case SC_REASON: {
		const node_score *ns = k == SC_EXPLAIN ? self : ext;
		worksheet_write_string(ws, r, col, ns && ns->explain ? ns->explain : "", x->wrap);
		break;
	}
	}
}

static void score_rows(doc_ctx *c, lxw_worksheet *ws, const xfmt *x, const doc_unit *u, const fw_node *n,
                       lxw_row_t *row, score_cols sc)
{
	lxw_row_t r = (*row)++;
	for (size_t i = 0; i < sc.n; i++) score_cell(c, ws, x, u, n, r, (lxw_col_t)i, sc.cols[i]);
	for (size_t i = 0; i < n->nchildren; i++) score_rows(c, ws, x, u, &n->children[i], row, sc);
}

bool xlsx_scores(doc_ctx *c, const char *path, buf *err)
{
	const doc_unit *u = c->one;
	lxw_workbook *wb = workbook_new(path);
	if (!wb) { buf_printf(err, "không tạo được tệp XLSX\n"); return false; }
	xfmt x;
	formats(wb, &x);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Bảng điểm");
	title(ws, &x, arena_printf(c->a, "Kết quả đánh giá mức độ chuyển đổi số năm học %s — %s", c->school_year, u->u.name),
		u->fw ? u->fw->title : NULL);
	static const char *const names[] = { "Mã", "Tiêu chí, chỉ tiêu", "Điểm tối đa", "Tự đánh giá", "Đánh giá ngoài",
	                                     "Chênh lệch (ngoài − tự)", "Minh chứng", "Giải thích", "Lý do của đoàn" };
	static const double widths[] = { 8, 60, 10, 11, 11, 12, 22, 50, 50 };
	score_cols sc = score_cols_of(c->type->code);
	const char *h[ARRAY_LEN(names)];
	double w[ARRAY_LEN(names)];
	for (size_t i = 0; i < sc.n; i++) { h[i] = names[sc.cols[i]]; w[i] = widths[sc.cols[i]]; }
	headers(ws, &x, 3, h, w, sc.n);
	lxw_row_t row = 4;
	if (u->fw)
		for (size_t g = 0; g < u->fw->ngroups; g++) score_rows(c, ws, &x, u, &u->fw->groups[g], &row, sc);
	worksheet_autofilter(ws, 3, 0, row > 4 ? row - 1 : 4, (lxw_col_t)(sc.n - 1));
	bool external = !strcmp(c->type->code, "external-minutes");

	lxw_worksheet *ts = workbook_add_worksheet(wb, "Tổng hợp");
	static const char *const h2[] = { "Nhóm tiêu chí", "Điểm tối đa", "Tự đánh giá", "Mức (tự đánh giá)", "Đánh giá ngoài", "Mức (đánh giá ngoài)" };
	static const double w2[] = { 55, 11, 11, 24, 13, 24 };
	title(ts, &x, arena_printf(c->a, "Tổng hợp — %s", u->u.name), NULL);
	headers(ts, &x, 2, h2, w2, external ? ARRAY_LEN(h2) : 4);   /* the self-assessment's papers: its side only */
	row = 3;
	if (u->fw) {
		for (size_t g = 0; g < u->fw->ngroups; g++, row++) {
			const fw_node *gn = &u->fw->groups[g];
			worksheet_write_string(ts, row, 0, arena_printf(c->a, "%s. %s", gn->code, gn->title), x.wrap);
			points(ts, &x, row, 1, true, gn->max);
			const node_score *s1 = u->self ? score_node(u->self, gn) : NULL;
			const node_score *s2 = u->has_ext && u->ext ? score_node(u->ext, gn) : NULL;
			points(ts, &x, row, 2, s1, s1 ? s1->points : q_int(0));
			worksheet_write_string(ts, row, 3, s1 ? level_words(c, s1->band) : "", x.center);
			if (!external) continue;
			points(ts, &x, row, 4, s2, s2 ? s2->points : q_int(0));
			worksheet_write_string(ts, row, 5, s2 ? level_words(c, s2->band) : "", x.center);
		}
		worksheet_write_string(ts, row, 0, "Mức độ chuyển đổi số của đơn vị", x.bold);
		worksheet_write_blank(ts, row, 1, x.text);
		worksheet_write_blank(ts, row, 2, x.text);
		worksheet_write_string(ts, row, 3, u->self && u->self->level ? level_words(c, u->self->level) : "", x.center);
		const char *basis = doc_derived_basis_text(c, u);
		if (basis) worksheet_write_string(ts, row + 2, 0, basis, NULL);
		if (!external) return finish(wb, err);
		worksheet_write_blank(ts, row, 4, x.text);
		worksheet_write_string(ts, row, 5, u->has_ext && u->ext && u->ext->level ? level_words(c, u->ext->level) : "", x.center);
	}
	return finish(wb, err);
}

/* ---- evidence --------------------------------------------------------------------- */

bool xlsx_evidence(doc_ctx *c, const char *path, buf *err)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb) { buf_printf(err, "không tạo được tệp XLSX\n"); return false; }
	xfmt x;
	formats(wb, &x);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Minh chứng");
	title(ws, &x, arena_printf(c->a, "Danh mục minh chứng năm học %s — %s", c->school_year, c->one->u.name), NULL);
	static const char *const h[] = { "TT", "Mã minh chứng", "Tên minh chứng", "Số văn bản", "Ngày ban hành", "Nơi ban hành", "Tiêu chí", "Tệp", "Đường dẫn" };
	static const double w[] = { 5, 15, 50, 16, 13, 28, 12, 36, 36 };
	headers(ws, &x, 2, h, w, ARRAY_LEN(h));
	lxw_row_t row = 3;
	for (size_t i = 0; i < c->nev; i++, row++) {
		const evidence *e = &c->ev[i];
		worksheet_write_number(ws, row, 0, (double)(i + 1), x.center);
		worksheet_write_string(ws, row, 1, e->code, x.text);
		worksheet_write_string(ws, row, 2, e->title, x.wrap);
		worksheet_write_string(ws, row, 3, e->doc_number ? e->doc_number : "", x.text);
		int yy, mm, dd;
		if (e->doc_date && vn_parse_date(e->doc_date, &yy, &mm, &dd)) {
			lxw_datetime dt = { .year = yy, .month = mm, .day = dd };
			worksheet_write_datetime(ws, row, 4, &dt, x.date);
		} else {
			worksheet_write_blank(ws, row, 4, x.date);
		}
		worksheet_write_string(ws, row, 5, e->issuer ? e->issuer : "", x.wrap);
		buf b;
		buf_init(&b);
		for (size_t k = 0; k < e->nitems; k++) buf_printf(&b, "%s%s", k ? ", " : "", e->items[k]);
		worksheet_write_string(ws, row, 6, buf_str(&b), x.center);
		buf_reset(&b);
		evidence_file *files = NULL;
		evidence_link *links = NULL;
		size_t nf = 0, nl = 0;
		evidence_files(c->d, e->id, c->a, &files, &nf);
		evidence_links(c->d, e->id, c->a, &links, &nl);
		for (size_t k = 0; k < nf; k++) buf_printf(&b, "%s%s", k ? "\n" : "", files[k].original_name);
		worksheet_write_string(ws, row, 7, buf_str(&b), x.wrap);
		buf_reset(&b);
		for (size_t k = 0; k < nl; k++) buf_printf(&b, "%s%s", k ? "\n" : "", links[k].url);
		worksheet_write_string(ws, row, 8, buf_str(&b), x.wrap);
		buf_free(&b);
	}
	worksheet_autofilter(ws, 2, 0, row > 3 ? row - 1 : 3, ARRAY_LEN(h) - 1);
	return finish(wb, err);
}

/* ---- a round ----------------------------------------------------------------------- */

bool xlsx_round(doc_ctx *c, const char *path, buf *err)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb) { buf_printf(err, "không tạo được tệp XLSX\n"); return false; }
	xfmt x;
	formats(wb, &x);

	lxw_worksheet *ws = workbook_add_worksheet(wb, "Danh sách");
	title(ws, &x, arena_printf(c->a, "Kết quả đánh giá mức độ chuyển đổi số năm học %s — %s", c->school_year, c->office.name),
		c->round.title);
	/* One scale a column: group points, and the share of the maximum (a
	 * framework scored out of 100 and one out of 200 are not summed in one
	 * column). The recognition decision's annex lists the recognised level
	 * only; the summary also where each result comes from and the file's
	 * state. */
	bool recognition = !strcmp(c->type->code, "recognition");
	static const char *const hs[] = { "TT", "Mã đơn vị", "Tên đơn vị", "Loại hình", "Điểm nhóm 1", "Điểm nhóm 2", "Tỉ lệ điểm đạt / tối đa", "Mức độ", "Nguồn kết quả", "Trạng thái hồ sơ" };
	static const char *const hr[] = { "TT", "Mã đơn vị", "Tên đơn vị", "Loại hình", "Điểm nhóm 1", "Điểm nhóm 2", "Tỉ lệ điểm đạt / tối đa", "Mức được công nhận" };
	static const double w[] = { 5, 12, 42, 14, 11, 11, 13, 24, 16, 22 };
	const char *const *h = recognition ? hr : hs;
	size_t ncols = recognition ? ARRAY_LEN(hr) : ARRAY_LEN(hs);
	headers(ws, &x, 3, h, w, ncols);
	lxw_row_t row = 4;
	for (size_t i = 0; i < c->nunits; i++) {
		const doc_unit *u = &c->units[i];
		if (!doc_unit_in(c, u)) continue;
		const score_result *r = u->result;
		worksheet_write_number(ws, row, 0, (double)(row - 3), x.center);
		worksheet_write_string(ws, row, 1, u->u.code, x.text);
		worksheet_write_string(ws, row, 2, u->u.name, x.wrap);
		worksheet_write_string(ws, row, 3, unit_type_words(u->u.type), x.center);
		bool groups = r && u->fw->basis == BASIS_GROUPS;
		for (size_t g = 0; g < 2; g++)
			points(ws, &x, row, (lxw_col_t)(4 + g), groups && g < u->fw->ngroups,
			       groups && g < u->fw->ngroups ? score_node(r, &u->fw->groups[g])->points : q_int(0));
		q total = q_int(0), max = q_int(0);
		if (r && u->fw->basis == BASIS_TOTAL) total = r->total;
		else if (r) for (size_t g = 0; g < u->fw->ngroups; g++) total = q_add(total, score_node(r, &u->fw->groups[g])->points);
		for (size_t g = 0; u->fw && g < u->fw->ngroups; g++) max = q_add(max, u->fw->groups[g].max);
		if (r && q_cmp(max, q_int(0)) > 0) worksheet_write_number(ws, row, 6, q_to_double(q_div(total, max)), x.percent);
		else worksheet_write_blank(ws, row, 6, x.percent);
		worksheet_write_string(ws, row, 7, level_words_n(c, u->fw, u->level), x.center);
		if (recognition) { row++; continue; }
		worksheet_write_string(ws, row, 8, u->as.recognised_level ? "Đã công nhận" : u->has_ext ? "Đánh giá ngoài" : "Tự đánh giá", x.center);
		wf_state st = wf_state_parse(u->as.state);
		worksheet_write_string(ws, row, 9, st != WF_STATE_INVALID ? wf_state_label(st) : u->as.state, x.center);
		row++;
	}
	worksheet_autofilter(ws, 3, 0, row > 4 ? row - 1 : 4, (lxw_col_t)(ncols - 1));
	/* the basis and date of an office's derived items, under the list */
	row++;
	for (size_t i = 0; i < c->nunits; i++) {
		const char *basis = doc_unit_in(c, &c->units[i]) ? doc_derived_basis_text(c, &c->units[i]) : NULL;
		if (basis) worksheet_write_string(ws, row++, 0, arena_printf(c->a, "%s: %s", c->units[i].u.name, basis), NULL);
	}

	lxw_worksheet *ss = workbook_add_worksheet(wb, "Thống kê");
	title(ss, &x, "Thống kê mức độ chuyển đổi số theo loại hình", NULL);
	static const char *const h2[] = { "Loại hình", "Số đơn vị", "Mức 3", "Tỉ lệ Mức 3", "Mức 2", "Tỉ lệ Mức 2", "Mức 1", "Tỉ lệ Mức 1", "Chưa xếp mức" };
	static const double w2[] = { 22, 11, 9, 12, 9, 12, 9, 12, 13 };
	headers(ss, &x, 2, h2, w2, ARRAY_LEN(h2));
	size_t nt = 0;
	type_stats all;
	type_stats *st = round_stats(c, &nt, &all);
	row = 3;
	for (size_t i = 0; i <= nt; i++, row++) {
		const type_stats *s = i < nt ? &st[i] : &all;
		worksheet_write_string(ss, row, 0, i < nt ? unit_type_name(s->type) : "Tổng cộng", i < nt ? x.text : x.bold);
		worksheet_write_number(ss, row, 1, s->units, x.center);
		lxw_col_t col = 2;
		for (int l = 3; l >= 1; l--) {
			worksheet_write_number(ss, row, col++, s->at[l], x.center);
			if (s->units) worksheet_write_number(ss, row, col++, (double)s->at[l] / s->units, x.percent);
			else worksheet_write_blank(ss, row, col++, x.percent);
		}
		worksheet_write_number(ss, row, col, s->at[0], x.center);
	}

	if (recognition) return finish(wb, err);   /* the decision sets no targets */
	lxw_worksheet *ts = workbook_add_worksheet(wb, "Chỉ tiêu");
	title(ts, &x, "Thực hiện chỉ tiêu", NULL);
	static const char *const h3[] = { "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Số đơn vị tính", "Đánh giá" };
	static const double w3[] = { 60, 11, 11, 14, 18 };
	headers(ts, &x, 2, h3, w3, ARRAY_LEN(h3));
	target_result *tr = round_target_results(c);
	row = 3;
	for (size_t i = 0; i < c->ntargets; i++, row++) {
		const round_target *t = tr[i].t;
		const char *label = t->label ? t->label
			: !strcmp(t->kind, "level_share") ? arena_printf(c->a, "Tỉ lệ %s đạt Mức %d%s", t->unit_type ? unit_type_words(t->unit_type) : "cơ sở giáo dục", t->level, t->level < 3 ? " trở lên" : "")
			: arena_printf(c->a, "Chỉ tiêu %s", t->item_code);
		worksheet_write_string(ts, row, 0, label, x.wrap);
		worksheet_write_number(ts, row, 1, t->share_percent / 100.0, x.percent);
		if (tr[i].known) worksheet_write_number(ts, row, 2, q_to_double(tr[i].achieved) / 100.0, x.percent);
		else worksheet_write_blank(ts, row, 2, x.percent);
		worksheet_write_number(ts, row, 3, tr[i].units, x.center);
		worksheet_write_string(ts, row, 4, !tr[i].known ? "Chưa có số liệu" : tr[i].met ? "Đạt" : "Chưa đạt", x.center);
	}
	return finish(wb, err);
}

/* ---- the writer outside the documents (doc_xlsx.h) ------------------------------- */

void xlsx_fmt_init(lxw_workbook *wb, xlsx_fmt *x)
{
	formats(wb, x);
}

void xlsx_fmt_headers(lxw_worksheet *ws, const xlsx_fmt *x, unsigned row, const char *const *h, const double *w, size_t n)
{
	headers(ws, x, (lxw_row_t)row, h, w, n);
}

bool xlsx_workbook_bytes(xlsx_fill_fn fill, void *ctx, buf *out, buf *err)
{
	char path[] = "/tmp/chiso-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { buf_printf(err, "không tạo được tệp tạm cho XLSX\n"); return false; }
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	bool ok = wb != NULL;
	if (ok) {
		fill(wb, ctx);
		ok = finish(wb, err);
	} else {
		buf_printf(err, "không tạo được tệp XLSX\n");
	}
	FILE *f = ok ? fopen(path, "rb") : NULL;
	if (f) {
		char chunk[16384];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, n);
		fclose(f);
	}
	unlink(path);
	return f != NULL;
}
