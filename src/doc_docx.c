/* doc_docx.c — the DOCX renderer of the document model (doc.h): Office
 * Open XML WordprocessingML written from C into a ZIP made with libzip.
 *
 * Nothing is searched and replaced in a document authored in Word (Word
 * splits text into runs at will, so placeholders break): every part is
 * generated, and all dynamic text goes through html.h's escaping writer,
 * whose %h / %a escapes are also correct XML. Control characters that XML
 * 1.0 forbids are dropped; "\n" becomes <w:br/>.
 *
 * The static parts name "Times New Roman" 14 pt with Vietnamese as the
 * language, A4 with the ND 30/2020 margins (the same constants as the PDF),
 * and a header with the page number from page 2 on. The header block and
 * the signature block are borderless tables; the short rules under the
 * issuer, the motto and the summary are paragraph borders whose indents
 * make them as long as the PDF's (doc_text_width_pt measures the same
 * metrics, since Liberation Serif has Times New Roman's widths).
 *
 * Element order inside w:pPr, w:rPr, w:tblPr, w:tcPr and w:sectPr follows
 * the schema: Word refuses files that put them in another order. */
#include "doc.h"
#include "html.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#define TWIPS_PER_MM (1440.0 / 25.4)
#define TWIPS_PER_PT 20.0

static int tw_mm(double mm) { return (int)(mm * TWIPS_PER_MM + 0.5); }
static int tw_pt(double pt) { return (int)(pt * TWIPS_PER_PT + 0.5); }

static const char W_NS[] =
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
	"xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"";

/* Pictures of the document (charts as PNG), word/media/chartN.png. */
typedef struct media {
	buf *png;
	size_t n, cap;
} media;

/* ---- text and runs ------------------------------------------------------------ */

/* Text with the characters XML 1.0 cannot carry removed (everything below
 * U+0020 but tab and newline), escaped. */
static void xml_text(buf *b, const char *s, size_t n)
{
	char *tmp = xstrndup(s, n);
	char *o = tmp;
	for (const char *p = tmp; *p; p++)
		if ((unsigned char)*p >= 0x20 || *p == '\t') *o++ = *p;
	*o = '\0';
	html_f(b, "%h", tmp);
	free(tmp);
}

static void rpr(buf *b, unsigned style, int pt)
{
	if (!style && !pt) return;
	buf_puts(b, "<w:rPr>");
	if (style & DOC_B) buf_puts(b, "<w:b/><w:bCs/>");
	if (style & DOC_I) buf_puts(b, "<w:i/><w:iCs/>");
	if (pt) html_f(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", pt * 2, pt * 2);
	if (style & DOC_U) buf_puts(b, "<w:u w:val=\"single\"/>");
	buf_puts(b, "</w:rPr>");
}

static void run(buf *b, const char *text, unsigned style, int pt)
{
	const char *s = text ? text : "";
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n) {
			buf_puts(b, "<w:r>");
			rpr(b, style, pt);
			buf_puts(b, "<w:t xml:space=\"preserve\">");
			xml_text(b, s, n);
			buf_puts(b, "</w:t></w:r>");
		}
		if (!nl) break;
		buf_puts(b, "<w:r>");
		rpr(b, style, pt);
		buf_puts(b, "<w:br/></w:r>");
		s = nl + 1;
	}
}

static const char *jc(doc_align a)
{
	switch (a) {
	case DOC_CENTER: return "center";
	case DOC_RIGHT: return "right";
	case DOC_JUSTIFY: return "both";
	case DOC_LEFT: break;
	}
	return "left";
}

typedef struct ppr {
	doc_align align;
	bool keep_next, indent;
	int before, after;          /* twips */
	int ind_left, ind_right;    /* twips */
	bool rule_top;              /* a border above: the short rules */
	int mark_pt;                /* size of the paragraph mark (empty rule paragraphs) */
	const char *style;          /* named paragraph style (styles_xml); NULL = Normal */
} ppr;

static void ppr_write(buf *b, const ppr *p)
{
	buf_puts(b, "<w:pPr>");
	if (p->style) html_f(b, "<w:pStyle w:val=\"%a\"/>", p->style);
	if (p->keep_next) buf_puts(b, "<w:keepNext/>");
	if (p->rule_top)
		buf_puts(b, "<w:pBdr><w:top w:val=\"single\" w:sz=\"5\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>");
	html_f(b, "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"240\" w:lineRule=\"auto\"/>", p->before, p->after);
	if (p->indent || p->ind_left || p->ind_right)
		html_f(b, "<w:ind w:left=\"%d\" w:right=\"%d\" w:firstLine=\"%d\"/>", p->ind_left, p->ind_right,
		       p->indent ? tw_mm(DOC_FIRST_INDENT_MM) : 0);
	html_f(b, "<w:jc w:val=\"%h\"/>", jc(p->align));
	if (p->mark_pt) html_f(b, "<w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>", p->mark_pt * 2, p->mark_pt * 2);
	buf_puts(b, "</w:pPr>");
}

/* A paragraph of the model at `pt` (0 = the document default, 14 pt), in
 * a named style: a heading's by its level, else `style` (Body Text, Table
 * Text). A size equal to the style's is left to the style, so a clerk who
 * restyles changes every paragraph of the style. */
static void para(buf *b, const doc_para *p, int pt, unsigned extra, int after, const char *style)
{
	static const char *const headings[] = { "Heading1", "Heading2", "Heading3" };
	ppr pp = { .align = p->align, .keep_next = p->keep_next, .indent = p->indent,
	           .before = tw_pt(p->space_before), .after = after,
	           .style = p->heading >= 1 && p->heading <= 3 ? headings[p->heading - 1] : style };
	buf_puts(b, "<w:p>");
	ppr_write(b, &pp);
	int size = p->size ? p->size : pt;
	if (style && !strcmp(style, "TableText") && size == DOC_PT_TABLE) size = 0;
	for (size_t i = 0; i < p->nruns; i++) run(b, p->runs[i].text, p->runs[i].style | extra, size);
	buf_puts(b, "</w:p>");
}

/* A one-run paragraph in a named paragraph style (NULL: Normal). */
static void styled_line(buf *b, const char *pstyle, const char *text, int pt, unsigned style, doc_align align,
                        int before, int after)
{
	ppr pp = { .align = align, .before = before, .after = after, .style = pstyle };
	buf_puts(b, "<w:p>");
	ppr_write(b, &pp);
	run(b, text, style, pt);
	buf_puts(b, "</w:p>");
}

/* A one-run paragraph. */
static void line(buf *b, const char *text, int pt, unsigned style, doc_align align, int before, int after)
{
	ppr pp = { .align = align, .before = before, .after = after };
	buf_puts(b, "<w:p>");
	ppr_write(b, &pp);
	run(b, text, style, pt);
	buf_puts(b, "</w:p>");
}

/* An empty paragraph whose top border is a centred rule `len_pt` long in
 * a column `col_tw` twips wide. */
static void rule(buf *b, int col_tw, double len_pt)
{
	int side = (col_tw - tw_pt(len_pt)) / 2;
	if (side < 0) side = 0;
	ppr pp = { .align = DOC_CENTER, .ind_left = side, .ind_right = side, .rule_top = true, .mark_pt = 4,
	           .before = 50 };
	buf_puts(b, "<w:p>");
	ppr_write(b, &pp);
	buf_puts(b, "</w:p>");
}

/* ---- tables ------------------------------------------------------------------- */

static void tbl_begin(buf *b, const int *cols, size_t n, bool borders, int margin_lr)
{
	int total = 0;
	for (size_t i = 0; i < n; i++) total += cols[i];
	html_f(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>", total);
	if (borders) {
		buf_puts(b, "<w:tblBorders>");
		static const char *const sides[] = { "top", "left", "bottom", "right", "insideH", "insideV" };
		for (size_t i = 0; i < ARRAY_LEN(sides); i++)
			html_f(b, "<w:%h w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", sides[i]);
		buf_puts(b, "</w:tblBorders>");
	}
	html_f(b, "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"%d\" w:type=\"dxa\"/>"
	       "<w:left w:w=\"%d\" w:type=\"dxa\"/><w:bottom w:w=\"%d\" w:type=\"dxa\"/>"
	       "<w:right w:w=\"%d\" w:type=\"dxa\"/></w:tblCellMar>"
	       "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>"
	       "</w:tblPr><w:tblGrid>",
	       borders ? 50 : 0, margin_lr, borders ? 50 : 0, margin_lr);
	for (size_t i = 0; i < n; i++) html_f(b, "<w:gridCol w:w=\"%d\"/>", cols[i]);
	buf_puts(b, "</w:tblGrid>");
}

static void tc_begin(buf *b, int width, int span, bool vcenter)
{
	html_f(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
	if (span > 1) html_f(b, "<w:gridSpan w:val=\"%d\"/>", span);
	if (vcenter) buf_puts(b, "<w:vAlign w:val=\"center\"/>");
	buf_puts(b, "</w:tcPr>");
}

static void table(buf *b, const doc_table *t)
{
	int pt = t->size ? t->size : DOC_PT_TABLE;
	double sum = 0;
	for (size_t i = 0; i < t->ncols; i++) sum += t->widths[i];
	int text_tw = tw_mm(DOC_TEXT_W_MM);
	int *cols = xmalloc(t->ncols * sizeof *cols);
	int used = 0;
	for (size_t i = 0; i < t->ncols; i++) {
		/* the last column takes the rounding so the table is exactly the line */
		cols[i] = i + 1 < t->ncols ? (int)(text_tw * t->widths[i] / sum) : text_tw - used;
		used += cols[i];
	}
	tbl_begin(b, cols, t->ncols, true, tw_pt(4));
	for (size_t r = 0; r < t->nrows; r++) {
		const doc_row *row = t->rows[r];
		buf_puts(b, "<w:tr>");
		if (row->header) buf_puts(b, "<w:trPr><w:tblHeader/></w:trPr>");
		size_t col = 0;
		for (size_t c = 0; c < row->ncells && col < t->ncols; c++) {
			size_t span = (size_t)row->cells[c].span;
			if (col + span > t->ncols) span = t->ncols - col;
			int w = 0;
			for (size_t k = col; k < col + span; k++) w += cols[k];
			tc_begin(b, w, (int)span, true);
			para(b, &row->cells[c].p, pt, row->header ? DOC_B : 0, 0, "TableText");
			buf_puts(b, "</w:tc>");
			col += span;
		}
		/* Word wants every grid column covered */
		if (col < t->ncols) {
			int w = 0;
			for (size_t k = col; k < t->ncols; k++) w += cols[k];
			tc_begin(b, w, (int)(t->ncols - col), false);
			buf_puts(b, "<w:p/></w:tc>");
		}
		buf_puts(b, "</w:tr>");
	}
	buf_puts(b, "</w:tbl>");
	/* two tables in a row would merge, and a body may not end in one */
	line(b, "", 6, 0, DOC_LEFT, 0, 0);
	free(cols);
}

/* A chart as an inline picture in its own centred paragraph. */
static void chart(buf *b, const doc_chart *c, media *m)
{
	double w_pt = DOC_TEXT_W_MM * 72 / 25.4, h_pt = 0;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4;
		m->png = xrealloc(m->png, m->cap * sizeof *m->png);
	}
	buf *png = &m->png[m->n];
	buf_init(png);
	if (!doc_chart_png(c, w_pt, png, &h_pt)) {
		buf_free(png);
		styled_line(b, "Caption", c->title ? c->title : "", DOC_PT_TABLE, DOC_I, DOC_CENTER, 0, 0);
		return;
	}
	size_t id = ++m->n;
	long cx = (long)(w_pt * 12700), cy = (long)(h_pt * 12700);   /* EMU: 12,700 per point */
	html_f(b, "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"60\" w:after=\"120\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>"
	       "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">");
	buf_printf(b, "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:docPr id=\"%zu\" name=\"chart%zu\" descr=\"", cx, cy, id, id);
	if (c->title) xml_text(b, c->title, strlen(c->title));
	buf_printf(b, "\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
	           "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
	           "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
	           "<pic:nvPicPr><pic:cNvPr id=\"%zu\" name=\"chart%zu.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
	           "<pic:blipFill><a:blip r:embed=\"rIdC%zu\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
	           "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
	           "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
	           "</wp:inline></w:drawing></w:r></w:p>", id, id, id, cx, cy);
}

/* keep_last: the closing paragraph is kept with what follows (the
 * signature block: never a page of only Nơi nhận and the signature). */
static void blocks(buf *b, const doc_blocks *bl, media *m, bool keep_last)
{
	for (size_t i = 0; i < bl->n; i++) {
		const doc_block *k = bl->v[i];
		doc_para kept;
		switch (k->kind) {
		case DOC_BLOCK_PARA:
			kept = k->para;
			if (keep_last && i + 1 == bl->n) kept.keep_next = true;
			para(b, &kept, 0, 0, tw_pt(DOC_PARA_AFTER_PT), "BodyText");
			break;
		case DOC_BLOCK_TABLE: table(b, &k->table); break;
		case DOC_BLOCK_PAGE_BREAK: buf_puts(b, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"); break;
		case DOC_BLOCK_CHART: chart(b, &k->chart, m); break;
		}
	}
}

/* ---- header block, title, signatures ------------------------------------------- */

static double widest_line(const char *text, int pt, unsigned style)
{
	double w = 0;
	char *copy = xstrdup(text);
	for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		double lw = doc_text_width_pt(l, pt, style);
		if (lw > w) w = lw;
	}
	free(copy);
	return w;
}

static void header(buf *b, const doc *d)
{
	arena *a = d->a;
	double lw_pt, rw_pt;
	doc_header_columns(&lw_pt, &rw_pt);
	int lw = tw_pt(lw_pt), rw = tw_mm(DOC_TEXT_W_MM) - lw;
	int cols[] = { lw, rw };
	tbl_begin(b, cols, 2, false, 0);

	buf_puts(b, "<w:tr>");
	tc_begin(b, lw, 1, false);
	const char *parent = doc_balance(a, d->parent, DOC_PT_HEADER, 0, lw_pt);
	const char *issuer = doc_balance(a, d->issuer, DOC_PT_HEADER, DOC_B, lw_pt);
	if (parent) line(b, parent, DOC_PT_HEADER, 0, DOC_CENTER, 0, 0);
	if (issuer) {
		line(b, issuer, DOC_PT_HEADER, DOC_B, DOC_CENTER, 0, 0);
		rule(b, lw, widest_line(issuer, DOC_PT_HEADER, DOC_B) * DOC_RULE_SHARE);
	} else {
		buf_puts(b, "<w:p/>");
	}
	buf_puts(b, "</w:tc>");
	tc_begin(b, rw, 1, false);
	line(b, DOC_NATION, DOC_PT_HEADER, DOC_B, DOC_CENTER, 0, 0);
	line(b, DOC_MOTTO, DOC_PT_MOTTO, DOC_B, DOC_CENTER, 0, 0);
	rule(b, rw, doc_text_width_pt(DOC_MOTTO, DOC_PT_MOTTO, DOC_B));
	buf_puts(b, "</w:tc></w:tr><w:tr>");
	tc_begin(b, lw, 1, false);
	line(b, doc_balance(a, d->number, DOC_PT_NUMBER, 0, lw_pt), DOC_PT_NUMBER, 0, DOC_CENTER, 60, 0);
	buf_puts(b, "</w:tc>");
	tc_begin(b, rw, 1, false);
	line(b, doc_balance(a, d->place_date, DOC_PT_DATE, DOC_I, rw_pt), DOC_PT_DATE, DOC_I, DOC_CENTER, 60, 0);
	buf_puts(b, "</w:tc></w:tr></w:tbl>");

	if (d->kind) {
		styled_line(b, "Title", d->kind, DOC_PT_BODY, DOC_B, DOC_CENTER, tw_pt(14), 0);
		if (d->summary) {
			styled_line(b, "Title", d->summary, DOC_PT_BODY, DOC_B, DOC_CENTER, 0, 0);
			rule(b, tw_mm(DOC_TEXT_W_MM), widest_line(d->summary, DOC_PT_BODY, DOC_B) * DOC_RULE_SHARE);
		}
		line(b, "", 6, 0, DOC_LEFT, 0, 0);
	} else {
		line(b, "", DOC_PT_BODY, 0, DOC_LEFT, 0, 0);
	}
}

static void sign_cell(buf *b, const doc_signature *s, int width)
{
	tc_begin(b, width, 1, false);
	if (s->caption) line(b, s->caption, DOC_PT_BODY, DOC_B, DOC_CENTER, 0, 0);
	if (s->hint) line(b, s->hint, DOC_PT_HINT, DOC_I, DOC_CENTER, 0, 0);
	/* the room to sign is the space above the name */
	line(b, s->name ? s->name : "", DOC_PT_BODY, DOC_B, DOC_CENTER, tw_mm(DOC_SIGN_ROOM_MM), 0);
	buf_puts(b, "</w:tc>");
}

static void signatures(buf *b, const doc *d)
{
	if (!d->nsign && !d->has_recipients) return;
	int text = tw_mm(DOC_TEXT_W_MM);
	int lw = d->nsign == 2 ? text / 2 : (int)(text * 0.45);
	int cols[] = { lw, text - lw };
	tbl_begin(b, cols, 2, false, 0);
	/* the block is never split across two pages */
	buf_puts(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	if (d->nsign == 2) {
		sign_cell(b, &d->sign[0], cols[0]);
		sign_cell(b, &d->sign[1], cols[1]);
	} else {
		tc_begin(b, cols[0], 1, false);
		if (d->has_recipients) {
			line(b, "Nơi nhận:", DOC_PT_RECIPIENTS_HEAD, DOC_B | DOC_I, DOC_LEFT, 0, 0);
			for (size_t i = 0; i < d->nrecipients; i++) {
				char *l = arena_printf(d->a, "- %s", d->recipients[i]);
				line(b, l, DOC_PT_RECIPIENTS, 0, DOC_LEFT, 0, 0);
			}
		} else {
			buf_puts(b, "<w:p/>");
		}
		buf_puts(b, "</w:tc>");
		if (d->nsign) sign_cell(b, &d->sign[0], cols[1]);
		else { tc_begin(b, cols[1], 1, false); buf_puts(b, "<w:p/></w:tc>"); }
	}
	buf_puts(b, "</w:tr></w:tbl>");
}

static char *document_xml(const doc *d, media *m)
{
	buf b;
	buf_init(&b);
	html_f(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document ");
	buf_puts(&b, W_NS);
	buf_puts(&b, "><w:body>");
	header(&b, d);
	blocks(&b, &d->body, m, d->nsign || d->has_recipients);
	/* the spacer, kept with the signature table's one row */
	buf_puts(&b, "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"0\" w:after=\"0\"/><w:rPr><w:sz w:val=\"12\"/></w:rPr></w:pPr></w:p>");
	signatures(&b, d);
	for (size_t i = 0; i < d->nannexes; i++) {
		buf_puts(&b, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
		blocks(&b, &d->annexes[i], m, false);
	}
	html_f(&b, "<w:p/><w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdH1\"/>"
	       "<w:headerReference w:type=\"first\" r:id=\"rIdH2\"/>"
	       "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
	       "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
	       "<w:titlePg/></w:sectPr></w:body></w:document>",
	       tw_mm(DOC_PAGE_W_MM), tw_mm(DOC_PAGE_H_MM), tw_mm(DOC_MARGIN_TOP_MM), tw_mm(DOC_MARGIN_RIGHT_MM),
	       tw_mm(DOC_MARGIN_BOTTOM_MM), tw_mm(DOC_MARGIN_LEFT_MM));
	return buf_take(&b);
}

/* ---- static parts --------------------------------------------------------------- */

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Default Extension=\"png\" ContentType=\"image/png\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
	"<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
	"</Relationships>";

static const char document_rels_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
	"<Relationship Id=\"rIdH1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
	"<Relationship Id=\"rIdH2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>";

static char *document_rels(const media *m)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, document_rels_head);
	for (size_t i = 1; i <= m->n; i++)
		buf_printf(&b, "<Relationship Id=\"rIdC%zu\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\""
		           " Target=\"media/chart%zu.png\"/>", i, i);
	buf_puts(&b, "</Relationships>");
	return buf_take(&b);
}

/* Times New Roman 14 pt, Vietnamese, single spacing, no space after. */
static const char styles_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:docDefaults><w:rPrDefault><w:rPr>"
	"<w:rFonts w:ascii=\"" DOC_FONT_DOCX "\" w:hAnsi=\"" DOC_FONT_DOCX "\" w:eastAsia=\"" DOC_FONT_DOCX "\" w:cs=\"" DOC_FONT_DOCX "\"/>"
	"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>"
	"</w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
	"</w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	/* the named styles a clerk restyles with (and Word's navigation pane
	 * lists, by the headings' outline levels) */
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>"
	"<w:pPr><w:keepNext/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>"
	"<w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>"
	"<w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>"
	"<w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
	"<w:pPr><w:spacing w:after=\"120\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
	"<w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
	"<w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:i/><w:iCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>"
	"<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>"
	"<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
	"<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
	"</w:styles>";

static const char settings_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
	"<w:characterSpacingControl w:val=\"doNotCompress\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"</w:settings>";

/* Page number, centred at the top, from page 2 (the first page uses the
 * empty header2 through w:titlePg). */
static const char header1_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
	"<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:t>2</w:t></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>"
	"</w:p></w:hdr>";

static const char header2_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p/></w:hdr>";

static const char app_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>Chiso</Application></Properties>";

static char *core_xml(const doc *d)
{
	buf b;
	buf_init(&b);
	html_f(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	       "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
	       "<dc:title>");
	if (d->title) xml_text(&b, d->title, strlen(d->title));
	html_f(&b, "</dc:title><dc:creator>Chiso</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>");
	return buf_take(&b);
}

/* ---- the package -------------------------------------------------------------- */

/* Adds a part; `data` is malloc'd and handed to libzip (freed by it), or
 * static when `owned` is false. */
static bool add_bytes(zip_t *z, const char *name, const char *data, size_t len, bool owned, time_t mtime, buf *err)
{
	zip_source_t *s = zip_source_buffer(z, data, len, owned ? 1 : 0);
	if (!s) {
		buf_printf(err, "libzip: %s\n", zip_strerror(z));
		if (owned) free((void *)data);
		return false;
	}
	zip_int64_t idx = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
	if (idx < 0) {
		buf_printf(err, "libzip: %s: %s\n", name, zip_strerror(z));
		zip_source_free(s);
		return false;
	}
	/* a fixed time: the same document gives the same bytes (and SHA-256) */
	zip_file_set_mtime(z, (zip_uint64_t)idx, mtime, 0);
	return true;
}

static bool add_part(zip_t *z, const char *name, const char *data, bool owned, time_t mtime, buf *err)
{
	return add_bytes(z, name, data, strlen(data), owned, mtime, err);
}

bool doc_render_docx(const doc *d, buf *out, buf *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!mem) {
		buf_printf(err, "libzip: %s\n", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return false;
	}
	zip_source_keep(mem);   /* outlives zip_close: we read the archive from it */
	zip_t *z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	if (!z) {
		buf_printf(err, "libzip: %s\n", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(mem);
		return false;
	}
	struct tm tm = { .tm_year = 2020 - 1900, .tm_mon = 0, .tm_mday = 1, .tm_hour = 12 };
	time_t mtime = timegm(&tm);
	media m = { 0 };
	bool ok = add_part(z, "[Content_Types].xml", content_types, false, mtime, err) &&
	          add_part(z, "_rels/.rels", root_rels, false, mtime, err) &&
	          add_part(z, "word/document.xml", document_xml(d, &m), true, mtime, err) &&
	          add_part(z, "word/_rels/document.xml.rels", document_rels(&m), true, mtime, err) &&
	          add_part(z, "word/styles.xml", styles_xml, false, mtime, err) &&
	          add_part(z, "word/settings.xml", settings_xml, false, mtime, err) &&
	          add_part(z, "word/header1.xml", header1_xml, false, mtime, err) &&
	          add_part(z, "word/header2.xml", header2_xml, false, mtime, err) &&
	          add_part(z, "docProps/core.xml", core_xml(d), true, mtime, err) &&
	          add_part(z, "docProps/app.xml", app_xml, false, mtime, err);
	for (size_t i = 0; i < m.n; i++) {
		/* handed to libzip, which frees it (zip_source_buffer with freep) */
		size_t len = m.png[i].len;
		char *bytes = buf_take(&m.png[i]);
		char name[64];
		snprintf(name, sizeof name, "word/media/chart%zu.png", i + 1);
		if (ok) ok = add_bytes(z, name, bytes, len, true, mtime, err);
		else free(bytes);
	}
	free(m.png);
	if (!ok) {
		zip_discard(z);
		zip_source_free(mem);
		zip_error_fini(&ze);
		return false;
	}
	if (zip_close(z) < 0) {
		buf_printf(err, "libzip: %s\n", zip_strerror(z));
		zip_discard(z);
		zip_source_free(mem);
		zip_error_fini(&ze);
		return false;
	}
	zip_stat_t st;
	ok = zip_source_open(mem) == 0;
	if (ok) {
		zip_source_stat(mem, &st);
		size_t start = out->len;
		buf_append(out, "", 0);
		char chunk[16384];
		zip_int64_t n;
		while ((n = zip_source_read(mem, chunk, sizeof chunk)) > 0) buf_append(out, chunk, (size_t)n);
		if (n < 0 || out->len - start != st.size) {
			buf_printf(err, "libzip: không đọc lại được tệp DOCX vừa tạo\n");
			ok = false;
		}
		zip_source_close(mem);
	} else {
		buf_printf(err, "libzip: không mở lại được tệp DOCX vừa tạo\n");
	}
	zip_source_free(mem);
	zip_error_fini(&ze);
	return ok;
}
