/* doc_pdf.c — the PDF renderer of the document model (doc.h): cairo's PDF
 * surface with pango (HarfBuzz shaping) in Liberation Serif, which renders
 * stacked Vietnamese diacritics correctly even from NFD text and embeds a
 * subset of the font, so the file prints the same everywhere.
 *
 * Layout is a single pass down the page: blocks are measured with pango,
 * paragraphs split between lines when they reach the bottom margin, tables
 * split between rows and repeat their header rows on the next page, and
 * the signature block is kept in one piece. Page numbers are printed at the
 * top centre from page 2 on (ND 30/2020, Phụ lục I). Units are PostScript
 * points, the PDF surface's own. */
#include "doc.h"
#include "util.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define CELL_PAD_X 4.0       /* points between a cell's border and its text */
#define CELL_PAD_Y 2.5
#define RULE_W 0.6           /* the short rules of the header block */
#define BORDER_W 0.5         /* table borders */

typedef struct pdf {
	const doc *d;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pc;
	double left, width, top, bottom, y;
	int page;
} pdf;

/* Metrics without hinting: positions are then the same on every output
 * device and match the widths doc_text_width_pt reports. */
static void context_setup(PangoContext *pc)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
}

static PangoFontDescription *font(int pt)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, DOC_FONT_PDF);
	/* absolute: points on the PDF surface, whatever pango's nominal dpi */
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	return fd;
}

static void attr_range(PangoAttrList *al, PangoAttribute *at, size_t start, size_t end)
{
	at->start_index = (guint)start;
	at->end_index = (guint)end;
	pango_attr_list_insert(al, at);
}

/* A layout of the paragraph's runs at `pt`, `width` points wide; `extra`
 * styles apply to every run (header rows are bold). */
static PangoLayout *layout_try(PangoContext *pc, const doc_para *para, double width, int pt,
                               unsigned extra, bool keep_tokens)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoAttrList *al = pango_attr_list_new();
	buf t;
	buf_init(&t);
	for (size_t i = 0; i < para->nruns; i++) {
		size_t start = t.len;
		buf_puts(&t, para->runs[i].text);
		unsigned st = para->runs[i].style | extra;
		if (st & DOC_B) attr_range(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, t.len);
		if (st & DOC_I) attr_range(al, pango_attr_style_new(PANGO_STYLE_ITALIC), start, t.len);
		if (st & DOC_U) attr_range(al, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, t.len);
	}
	/* Short tokens with a slash stay on one line: "(để b/c)", "12/KH-THCSNHT"
	 * (line breaking allows a break after "/" and "-") */
	for (size_t i = 0; keep_tokens && i < t.len;) {
		size_t j = i;
		while (j < t.len && t.data[j] != ' ' && t.data[j] != '\n') j++;
		if (j - i <= 16 && memchr(t.data + i, '/', j - i)) attr_range(al, pango_attr_allow_breaks_new(FALSE), i, j);
		i = j + 1;
	}
	/* Vietnamese words are single syllables: never "Khô-ng" */
	attr_range(al, pango_attr_insert_hyphens_new(FALSE), 0, t.len);
	pango_layout_set_text(l, t.len ? t.data : "", (int)t.len);
	buf_free(&t);
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	PangoFontDescription *fd = font(para->size ? para->size : pt);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	/* words whole first; para_layout falls back to breaking one that cannot fit */
	pango_layout_set_wrap(l, keep_tokens ? PANGO_WRAP_WORD : PANGO_WRAP_WORD_CHAR);
	switch (para->align) {
	case DOC_CENTER: pango_layout_set_alignment(l, PANGO_ALIGN_CENTER); break;
	case DOC_RIGHT: pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT); break;
	case DOC_JUSTIFY: pango_layout_set_justify(l, TRUE); /* fall through */
	case DOC_LEFT: pango_layout_set_alignment(l, PANGO_ALIGN_LEFT); break;
	}
	if (para->indent) pango_layout_set_indent(l, (int)(DOC_FIRST_INDENT_MM * MM * PANGO_SCALE));
	return l;
}

static PangoLayout *para_layout(PangoContext *pc, const doc_para *para, double width, int pt,
                                unsigned extra)
{
	PangoLayout *l = layout_try(pc, para, width, pt, extra, true);
	/* a kept token wider than a narrow cell would spill over its border:
	 * then it may break after all */
	PangoRectangle log;
	pango_layout_get_extents(l, NULL, &log);
	/* a word wider than a narrow cell ("ĐKBB" in "Điểm tối đa"): set the
	 * cell up to 2 pt smaller before a word is ever broken ("ĐKB / B") */
	int size = para->size ? para->size : pt;
	for (int k = 1; k <= 2 && width > 0 && log.width > (int)(width * PANGO_SCALE) + PANGO_SCALE; k++) {
		doc_para smaller = *para;
		smaller.size = size - k;
		g_object_unref(l);
		l = layout_try(pc, &smaller, width, pt, extra, true);
		pango_layout_get_extents(l, NULL, &log);
	}
	if (width > 0 && log.width > (int)(width * PANGO_SCALE) + PANGO_SCALE) {
		g_object_unref(l);
		l = layout_try(pc, para, width, pt, extra, false);
	}
	return l;
}

/* A one-run layout (header block, signatures). */
static PangoLayout *text_layout(PangoContext *pc, const char *text, int pt, unsigned style,
                                doc_align align, double width)
{
	doc_run run = { .text = text ? text : "", .style = style };
	doc_para p = { .runs = &run, .nruns = 1, .align = align };
	return para_layout(pc, &p, width, pt, 0);
}

static double layout_height(PangoLayout *l)
{
	PangoRectangle log;
	pango_layout_get_extents(l, NULL, &log);
	return (double)log.height / PANGO_SCALE;
}

/* Width of the widest line actually set (not the layout's box). */
static double layout_line_width(PangoLayout *l)
{
	double w = 0;
	for (int i = 0, n = pango_layout_get_line_count(l); i < n; i++) {
		PangoRectangle log;
		pango_layout_line_get_extents(pango_layout_get_line_readonly(l, i), NULL, &log);
		if ((double)log.width / PANGO_SCALE > w) w = (double)log.width / PANGO_SCALE;
	}
	return w;
}

static void draw_layout(pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void rule(pdf *p, double cx, double y, double len)
{
	cairo_set_line_width(p->cr, RULE_W);
	cairo_move_to(p->cr, cx - len / 2, y);
	cairo_line_to(p->cr, cx + len / 2, y);
	cairo_stroke(p->cr);
}

/* ---- pages ------------------------------------------------------------------ */

static void page_begin(pdf *p)
{
	p->page++;
	p->y = p->top;
	if (p->page < 2) return;
	/* ND 30/2020: page numbers from the second page, centred in the top margin */
	char num[16];
	snprintf(num, sizeof num, "%d", p->page);
	PangoLayout *l = text_layout(p->pc, num, DOC_PT_NUMBER, 0, DOC_CENTER, p->width);
	draw_layout(p, l, p->left, p->top / 2 - layout_height(l) / 2);
	g_object_unref(l);
}

static void page_next(pdf *p)
{
	cairo_show_page(p->cr);
	page_begin(p);
}

static bool fits(const pdf *p, double h)
{
	return p->y + h <= p->bottom + 0.01;
}

/* ---- paragraphs ------------------------------------------------------------- */

static double first_lines_height(PangoLayout *l, int nlines)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double h = 0;
	int i = 0;
	do {
		PangoRectangle lr;
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		h = (double)(lr.y + lr.height) / PANGO_SCALE;
	} while (++i < nlines && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return h;
}

static void draw_para(pdf *p, const doc_para *para, int pt)
{
	if (p->y > p->top) p->y += para->space_before;
	PangoLayout *l = para_layout(p->pc, para, p->width, pt, 0);
	double h = layout_height(l);
	int nlines = pango_layout_get_line_count(l);
	/* A heading keeps two lines of what follows with it; any paragraph
	 * starts a page rather than leave a single line behind (orphan). */
	double need = para->keep_next ? h + 2.4 * (para->size ? para->size : pt)
	              : first_lines_height(l, nlines >= 2 ? 2 : 1);
	if (!fits(p, need) && p->y > p->top) page_next(p);

	PangoLayoutIter *it = pango_layout_get_iter(l);
	double origin = p->y;        /* page position of the layout's y = 0 */
	do {
		PangoRectangle lr;
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		double ly = (double)lr.y / PANGO_SCALE, lh = (double)lr.height / PANGO_SCALE;
		if (origin + ly + lh > p->bottom + 0.01 && origin + ly > p->top + 0.01) {
			page_next(p);
			origin = p->top - ly;
		}
		double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		cairo_move_to(p->cr, p->left + (double)lr.x / PANGO_SCALE, origin + baseline);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		p->y = origin + ly + lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	p->y += DOC_PARA_AFTER_PT;
}

/* ---- tables ----------------------------------------------------------------- */

typedef struct row_box {
	PangoLayout **cells;
	double h;
} row_box;

static void draw_row(pdf *p, const doc_table *t, const double *colx, const doc_row *row, const row_box *rb)
{
	size_t col = 0;
	cairo_set_line_width(p->cr, BORDER_W);
	for (size_t c = 0; c < row->ncells && col < t->ncols; c++) {
		size_t span = (size_t)row->cells[c].span;
		if (col + span > t->ncols) span = t->ncols - col;
		double x = colx[col], w = colx[col + span] - colx[col];
		cairo_rectangle(p->cr, x, p->y, w, rb->h);
		cairo_stroke(p->cr);
		double ch = layout_height(rb->cells[c]);
		draw_layout(p, rb->cells[c], x + CELL_PAD_X, p->y + (rb->h - ch) / 2);
		col += span;
	}
	/* a row with fewer cells than columns still closes its box */
	if (col < t->ncols) {
		cairo_rectangle(p->cr, colx[col], p->y, colx[t->ncols] - colx[col], rb->h);
		cairo_stroke(p->cr);
	}
	p->y += rb->h;
}

static void draw_table(pdf *p, const doc_table *t)
{
	int pt = t->size ? t->size : DOC_PT_TABLE;
	double sum = 0;
	for (size_t i = 0; i < t->ncols; i++) sum += t->widths[i];
	double *colx = xmalloc((t->ncols + 1) * sizeof *colx);
	colx[0] = p->left;
	for (size_t i = 0; i < t->ncols; i++) colx[i + 1] = colx[i] + p->width * t->widths[i] / sum;

	row_box *rb = xcalloc(t->nrows ? t->nrows : 1, sizeof *rb);
	double head_h = 0;
	size_t nhead = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const doc_row *row = t->rows[r];
		rb[r].cells = xcalloc(row->ncells ? row->ncells : 1, sizeof *rb[r].cells);
		double h = pt * 1.2;
		size_t col = 0;
		for (size_t c = 0; c < row->ncells; c++) {
			size_t span = (size_t)row->cells[c].span;
			if (col >= t->ncols) span = 0;
			else if (col + span > t->ncols) span = t->ncols - col;
			double w = col < t->ncols ? colx[col + span] - colx[col] : 10;
			rb[r].cells[c] = para_layout(p->pc, &row->cells[c].p, w - 2 * CELL_PAD_X, pt,
			                             row->header ? DOC_B : 0);
			double ch = layout_height(rb[r].cells[c]);
			if (ch > h) h = ch;
			col += span;
		}
		rb[r].h = h + 2 * CELL_PAD_Y;
		if (row->header && r == nhead) { nhead++; head_h += rb[r].h; }
	}

	/* the header never stands alone at the foot of a page */
	double first = nhead < t->nrows ? rb[nhead].h : 0;
	if (!fits(p, head_h + first) && p->y > p->top) page_next(p);
	for (size_t r = 0; r < t->nrows; r++) {
		if (r >= nhead && !fits(p, rb[r].h) && p->y > p->top) {
			page_next(p);
			for (size_t h = 0; h < nhead; h++) draw_row(p, t, colx, t->rows[h], &rb[h]);
		}
		draw_row(p, t, colx, t->rows[r], &rb[r]);
	}
	p->y += DOC_PARA_AFTER_PT;

	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->rows[r]->ncells; c++) g_object_unref(rb[r].cells[c]);
		free(rb[r].cells);
	}
	free(rb);
	free(colx);
}

/* ---- charts --------------------------------------------------------------------- */

#define CHART_ROW 20.0       /* bar height */
#define CHART_GAP 7.0

/* Grays that stay apart on a black-and-white printer, darkest first. */
static double chart_gray(size_t series)
{
	static const double g[] = { 0.25, 0.5, 0.75, 0.93 };
	return g[series < 4 ? series : 3];
}

static void chart_text(cairo_t *cr, PangoContext *pc, const char *text, int pt, unsigned style, doc_align align,
                       double x, double y, double w, double *h)
{
	PangoLayout *l = text_layout(pc, text, pt, style, align, w);
	double lh = layout_height(l);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	if (h) *h = lh;
}

/* Draws the chart at (x, y), `w` wide (draw = false: only measures);
 * returns its height. */
static double chart_draw(cairo_t *cr, PangoContext *pc, const doc_chart *c, double x, double y, double w, bool draw)
{
	double y0 = y, h = 0;
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (c->title) {
		PangoLayout *l = text_layout(pc, c->title, DOC_PT_TABLE, DOC_B, DOC_CENTER, w);
		h = layout_height(l);
		if (draw) { cairo_move_to(cr, x, y); pango_cairo_show_layout(cr, l); }
		g_object_unref(l);
		y += h + 6;
	}
	/* room on the right for half of the "100%" under the scale's end */
	double label_w = w * 0.22, bx = x + label_w + 6, bw = w - label_w - 28;
	double top = y;
	/* the scale first, 0 … 100% with guides, so the bars cover it */
	double bottom = top + (double)c->ncats * (CHART_ROW + CHART_GAP);
	if (draw) {
		cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(cr, 0.4);
		for (int t = 0; t <= 4; t++) {
			double tx = bx + bw * t / 4;
			cairo_move_to(cr, tx, top - 2);
			cairo_line_to(cr, tx, bottom - CHART_GAP + 3);
			cairo_stroke(cr);
			char lab[8];
			snprintf(lab, sizeof lab, "%d%%", t * 25);
			PangoLayout *l = text_layout(pc, lab, 10, 0, DOC_CENTER, 40);
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_move_to(cr, tx - 20, bottom - CHART_GAP + 4);
			pango_cairo_show_layout(cr, l);
			g_object_unref(l);
			cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		}
	}
	for (size_t r = 0; r < c->ncats; r++, y += CHART_ROW + CHART_GAP) {
		if (!draw) continue;
		double total = 0;
		for (size_t k = 0; k < c->nseries; k++) total += c->values[r * c->nseries + k];
		PangoLayout *l = text_layout(pc, c->cats[r], 12, 0, DOC_RIGHT, label_w);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, x, y + (CHART_ROW - layout_height(l)) / 2);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		double sx = bx;
		for (size_t k = 0; k < c->nseries && total > 0; k++) {
			double v = c->values[r * c->nseries + k], sw = bw * v / total;
			if (sw <= 0) continue;
			double gray = chart_gray(k);
			cairo_set_source_rgb(cr, gray, gray, gray);
			cairo_rectangle(cr, sx, y, sw, CHART_ROW);
			cairo_fill_preserve(cr);
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_set_line_width(cr, 0.5);
			cairo_stroke(cr);
			if (sw >= 26) {
				char pct[16];
				snprintf(pct, sizeof pct, "%.0f%%", 100 * v / total);
				double tg = gray < 0.55 ? 1 : 0;
				PangoLayout *pl = text_layout(pc, pct, 10, DOC_B, DOC_CENTER, sw);
				cairo_set_source_rgb(cr, tg, tg, tg);
				cairo_move_to(cr, sx, y + (CHART_ROW - layout_height(pl)) / 2);
				pango_cairo_show_layout(cr, pl);
				g_object_unref(pl);
			}
			sx += sw;
		}
	}
	double scale_y = y;
	y = scale_y - CHART_GAP + 18;
	/* the legend, centred */
	double lw = 0;
	for (size_t k = 0; k < c->nseries; k++) lw += 14 + doc_text_width_pt(c->series[k], 11, 0) + 14;
	double lx = x + (w - lw) / 2;
	for (size_t k = 0; k < c->nseries && draw; k++) {
		double gray = chart_gray(k);
		cairo_set_source_rgb(cr, gray, gray, gray);
		cairo_rectangle(cr, lx, y + 3, 10, 10);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 0.5);
		cairo_stroke(cr);
		double th;
		chart_text(cr, pc, c->series[k], 11, 0, DOC_LEFT, lx + 14, y, 200, &th);
		lx += 14 + doc_text_width_pt(c->series[k], 11, 0) + 14;
	}
	y += 18;
	return y - y0;
}

static void draw_chart(pdf *p, const doc_chart *c)
{
	double h = chart_draw(p->cr, p->pc, c, p->left, p->y, p->width, false);
	if (!fits(p, h) && p->y > p->top) page_next(p);
	chart_draw(p->cr, p->pc, c, p->left, p->y, p->width, true);
	p->y += h + DOC_PARA_AFTER_PT;
}

/* The height of paragraph k as drawn in the body. */
static double para_height(pdf *p, const doc_block *k)
{
	PangoLayout *l = para_layout(p->pc, &k->para, p->width, DOC_PT_BODY, 0);
	double h = layout_height(l) + k->para.space_before + DOC_PARA_AFTER_PT;
	g_object_unref(l);
	return h;
}

/* keep_last: the height that must follow the last paragraph on its page
 * (the signature block: a page holding only a signature is not signed
 * text, so the closing paragraph goes over with it — and the heading
 * kept with that paragraph, "III. KIẾN NGHỊ", goes along). */
static void draw_blocks(pdf *p, const doc_blocks *b, double keep_last)
{
	size_t tail = b->n;    /* the closing paragraph and the headings kept with it */
	if (keep_last > 0 && b->n && b->v[b->n - 1]->kind == DOC_BLOCK_PARA) {
		tail = b->n - 1;
		while (tail > 0 && b->v[tail - 1]->kind == DOC_BLOCK_PARA && b->v[tail - 1]->para.keep_next) tail--;
	}
	for (size_t i = 0; i < b->n; i++) {
		const doc_block *k = b->v[i];
		if (i == tail && p->y > p->top) {
			double h = 0;
			for (size_t j = tail; j < b->n; j++) h += para_height(p, b->v[j]);
			/* over to the next page when they do not fit here but do fit on a page */
			if (!fits(p, h + keep_last) && h + keep_last <= p->bottom - p->top) page_next(p);
		}
		switch (k->kind) {
		case DOC_BLOCK_PARA: draw_para(p, &k->para, DOC_PT_BODY); break;
		case DOC_BLOCK_TABLE: draw_table(p, &k->table); break;
		case DOC_BLOCK_PAGE_BREAK: page_next(p); break;
		case DOC_BLOCK_CHART: draw_chart(p, &k->chart); break;
		}
	}
}

/* ---- the header block, title, signatures -------------------------------------- */

/* A stack of centred one-run lines in a column; returns the y below it. */
typedef struct hline {
	const char *text;
	int pt;
	unsigned style;
} hline;

static double column(pdf *p, double x, double w, double y, const hline *lines, size_t n, double *last_w)
{
	for (size_t i = 0; i < n; i++) {
		if (!lines[i].text) continue;
		PangoLayout *l = text_layout(p->pc, lines[i].text, lines[i].pt, lines[i].style, DOC_CENTER, w);
		draw_layout(p, l, x, y);
		y += layout_height(l);
		if (last_w) *last_w = layout_line_width(l);
		g_object_unref(l);
	}
	return y;
}

static void draw_header(pdf *p)
{
	const doc *d = p->d;
	arena *a = d->a;
	double lw, rw;
	doc_header_columns(&lw, &rw);
	double lx = p->left, rx = p->left + lw;
	double issuer_w = 0, motto_w = 0;

	hline left[] = { { doc_balance(a, d->parent, DOC_PT_HEADER, 0, lw), DOC_PT_HEADER, 0 },
	                 { doc_balance(a, d->issuer, DOC_PT_HEADER, DOC_B, lw), DOC_PT_HEADER, DOC_B } };
	double yl = column(p, lx, lw, p->top, left, 2, &issuer_w);
	/* the rule under the issuer: 1/3 to 1/2 of the line above it */
	if (d->issuer) { rule(p, lx + lw / 2, yl + 2.5, issuer_w * DOC_RULE_SHARE); yl += 7; }

	hline right[] = { { DOC_NATION, DOC_PT_HEADER, DOC_B }, { DOC_MOTTO, DOC_PT_MOTTO, DOC_B } };
	double yr = column(p, rx, rw, p->top, right, 2, &motto_w);
	/* the rule under the motto is exactly as long as the motto */
	rule(p, rx + rw / 2, yr + 2.5, motto_w);
	yr += 7;

	double y = (yl > yr ? yl : yr) + 4;
	hline num[] = { { doc_balance(a, d->number, DOC_PT_NUMBER, 0, lw), DOC_PT_NUMBER, 0 } };
	hline date[] = { { doc_balance(a, d->place_date, DOC_PT_DATE, DOC_I, rw), DOC_PT_DATE, DOC_I } };
	yl = column(p, lx, lw, y, num, 1, NULL);
	yr = column(p, rx, rw, y, date, 1, NULL);
	p->y = (yl > yr ? yl : yr) + 14;

	if (d->kind) {
		double sw = 0;
		hline title[] = { { d->kind, DOC_PT_BODY, DOC_B }, { d->summary, DOC_PT_BODY, DOC_B } };
		p->y = column(p, p->left, p->width, p->y, title, 2, &sw);
		if (d->summary) { rule(p, p->left + p->width / 2, p->y + 1.5, sw * DOC_RULE_SHARE); p->y += 6; }
		p->y += 10;
	}
}

/* The room to sign in, marked for the server's signer (sign.c): a named
 * destination "chiso.sign" at the top centre of the room, where a signed
 * copy shows its visible signature. */
static void mark_sign_room(pdf *p, double cx, double y)
{
	char *attrs = g_strdup_printf("name='chiso.sign' x=%d y=%d", (int)cx, (int)y);
	cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attrs);
	cairo_tag_end(p->cr, CAIRO_TAG_DEST);
	g_free(attrs);
}

/* Height of a signature column drawn at y (dry run when draw is false);
 * mark: the room of the signature that a server signs (mark_sign_room). */
static double sign_block(pdf *p, const doc_signature *s, double x, double w, double y, bool draw, bool mark)
{
	double y0 = y;
	if (s->caption) {
		PangoLayout *l = text_layout(p->pc, s->caption, DOC_PT_BODY, DOC_B, DOC_CENTER, w);
		if (draw) draw_layout(p, l, x, y);
		y += layout_height(l);
		g_object_unref(l);
	}
	if (s->hint) {
		PangoLayout *l = text_layout(p->pc, s->hint, DOC_PT_HINT, DOC_I, DOC_CENTER, w);
		if (draw) draw_layout(p, l, x, y);
		y += layout_height(l);
		g_object_unref(l);
	}
	if (draw && mark) mark_sign_room(p, x + w / 2, y);
	y += DOC_SIGN_ROOM_MM * MM;
	if (s->name) {
		PangoLayout *l = text_layout(p->pc, s->name, DOC_PT_BODY, DOC_B, DOC_CENTER, w);
		if (draw) draw_layout(p, l, x, y);
		y += layout_height(l);
		g_object_unref(l);
	}
	return y - y0;
}

static double recipients_block(pdf *p, double x, double w, double y, bool draw)
{
	const doc *d = p->d;
	double y0 = y;
	PangoLayout *l = text_layout(p->pc, "Nơi nhận:", DOC_PT_RECIPIENTS_HEAD, DOC_B | DOC_I, DOC_LEFT, w);
	if (draw) draw_layout(p, l, x, y);
	y += layout_height(l);
	g_object_unref(l);
	for (size_t i = 0; i < d->nrecipients; i++) {
		char *line = g_strdup_printf("- %s", d->recipients[i]);
		l = text_layout(p->pc, line, DOC_PT_RECIPIENTS, 0, DOC_LEFT, w);
		g_free(line);
		if (draw) draw_layout(p, l, x, y);
		y += layout_height(l);
		g_object_unref(l);
	}
	return y - y0;
}

/* The signature section: recipients and one signature side by side, or
 * two signatures. measure: only return the height. */
static double signatures(pdf *p, bool measure)
{
	const doc *d = p->d;
	if (!d->nsign && !d->has_recipients) return 0;
	double y = p->y + 8;
	double lh = 0, rh = 0;
	double lx = p->left, lw, rx, rw;
	if (d->nsign == 2) {
		lw = rw = p->width / 2;
		rx = lx + lw;
		lh = sign_block(p, &d->sign[0], lx, lw, y, false, false);
		rh = sign_block(p, &d->sign[1], rx, rw, y, false, false);
	} else {
		lw = p->width * 0.45;
		rx = lx + lw;
		rw = p->width - lw;
		if (d->has_recipients) lh = recipients_block(p, lx, lw, y, false);
		if (d->nsign) rh = sign_block(p, &d->sign[0], rx, rw, y, false, false);
	}
	double h = lh > rh ? lh : rh;
	if (measure) return h + 8;
	if (!fits(p, h + 8) && p->y > p->top) { page_next(p); y = p->y; }
	if (d->nsign == 2) {
		sign_block(p, &d->sign[0], lx, lw, y, true, false);
		sign_block(p, &d->sign[1], rx, rw, y, true, true);
	} else {
		if (d->has_recipients) recipients_block(p, lx, lw, y, true);
		if (d->nsign) sign_block(p, &d->sign[0], rx, rw, y, true, true);
	}
	p->y = y + h;
	return h + 8;
}

/* ---- entry points ---------------------------------------------------------- */

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

bool doc_render_pdf(const doc *d, buf *out, buf *err)
{
	pdf p = { .d = d };
	double pw = DOC_PAGE_W_MM * MM, ph = DOC_PAGE_H_MM * MM;
	p.surface = cairo_pdf_surface_create_for_stream(write_buf, out, pw, ph);
	if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
		buf_printf(err, "không tạo được tệp PDF: %s\n", cairo_status_to_string(cairo_surface_status(p.surface)));
		cairo_surface_destroy(p.surface);
		return false;
	}
	if (d->title) cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "Chiso");
	p.cr = cairo_create(p.surface);
	p.pc = pango_cairo_create_context(p.cr);
	context_setup(p.pc);
	p.left = DOC_MARGIN_LEFT_MM * MM;
	p.width = DOC_TEXT_W_MM * MM;
	p.top = DOC_MARGIN_TOP_MM * MM;
	p.bottom = ph - DOC_MARGIN_BOTTOM_MM * MM;
	cairo_set_source_rgb(p.cr, 0, 0, 0);

	page_begin(&p);
	draw_header(&p);
	draw_blocks(&p, &d->body, signatures(&p, true));
	signatures(&p, false);
	for (size_t i = 0; i < d->nannexes; i++) {
		page_next(&p);
		draw_blocks(&p, &d->annexes[i], 0);
	}
	cairo_show_page(p.cr);

	g_object_unref(p.pc);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	cairo_status_t st = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		buf_printf(err, "không ghi được tệp PDF: %s\n", cairo_status_to_string(st));
		return false;
	}
	return true;
}

double doc_text_width_pt(const char *text, int pt, unsigned style)
{
	PangoFontMap *fm = pango_cairo_font_map_get_default();   /* per thread, not ours */
	PangoContext *pc = pango_font_map_create_context(fm);
	context_setup(pc);
	PangoLayout *l = text_layout(pc, text, pt, style, DOC_LEFT, -1);
	pango_layout_set_width(l, -1);
	double w = layout_line_width(l);
	g_object_unref(l);
	g_object_unref(pc);
	return w;
}

void doc_header_columns(double *left_pt, double *right_pt)
{
	double text = DOC_TEXT_W_MM * MM;
	*right_pt = doc_text_width_pt(DOC_NATION, DOC_PT_HEADER, DOC_B) + 12;
	*left_pt = text - *right_pt;
}

const char *doc_balance(arena *a, const char *text, int pt, unsigned style, double width_pt)
{
	if (!text || strchr(text, '\n') || doc_text_width_pt(text, pt, style) <= width_pt) return text;
	const char *best = NULL;
	double best_w = 0;
	char *tmp = arena_strdup(a, text);
	for (char *sp = strchr(tmp, ' '); sp; sp = strchr(sp + 1, ' ')) {
		*sp = '\0';
		double w1 = doc_text_width_pt(tmp, pt, style), w2 = doc_text_width_pt(sp + 1, pt, style);
		*sp = ' ';
		double w = w1 > w2 ? w1 : w2;
		if (w <= width_pt && (!best || w < best_w)) { best = text + (sp - tmp); best_w = w; }
	}
	if (!best) return text;
	char *out = arena_strdup(a, text);
	out[best - text] = '\n';
	return out;
}

void doc_release_fonts(bool process_exit)
{
	/* Only pango's font map: FcFini() and cairo_debug_reset_static_data()
	 * assert when a cache is still held, and pango 1.50 initialises
	 * fontconfig on a thread of its own that may still hold one. What
	 * fontconfig keeps after this stays reachable from its globals. */
	(void)process_exit;
	pango_cairo_font_map_set_default(NULL);
}

bool doc_chart_png(const doc_chart *c, double width_pt, buf *png, double *height_pt)
{
	const double scale = 150.0 / 72;
	cairo_surface_t *probe = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *pcr = cairo_create(probe);
	PangoContext *pc = pango_cairo_create_context(pcr);
	context_setup(pc);
	double h = chart_draw(pcr, pc, c, 0, 0, width_pt, false);
	g_object_unref(pc);
	cairo_destroy(pcr);
	cairo_surface_destroy(probe);
	*height_pt = h;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(width_pt * scale + 1), (int)(h * scale + 1));
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_scale(cr, scale, scale);
	pc = pango_cairo_create_context(cr);
	context_setup(pc);
	chart_draw(cr, pc, c, 0, 0, width_pt, true);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	bool ok = cairo_surface_write_to_png_stream(s, write_buf, png) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	return ok;
}

/* LeakSanitizer reads this hook (when the program is built with it) for
 * leaks to ignore. Debian's fontconfig 2.14 loses a few hundred bytes
 * while parsing its configuration, once per process, on the thread pango
 * starts to load it; freeing them needs FcFini(), which asserts whenever a
 * cache is still held (see doc_release_fonts). Only stacks that pass
 * through libfontconfig are ignored, never Chiso's own. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	/* and OpenSSL's dynamic engine loading for libp11 (pkcs11.so), whose
	 * methods stay when a token refuses a login or has no such key and the
	 * module is unloaded at exit (sign_p11.c frees the engine it was given
	 * either way): only stacks through ENGINE_by_id or ENGINE_remove */
	return "leak:libfontconfig.so\nleak:ENGINE_by_id\nleak:ENGINE_remove\n";
}
