/* doc.h — the administrative document model: one description of a
 * document laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I), rendered by
 * doc_pdf.c (cairo + pango) and doc_docx.c (WordprocessingML in a ZIP)
 * from the same values, so the PDF and the DOCX say the same thing.
 *
 * A document is:
 *   - the header block: the parent body (cơ quan chủ quản, upper case,
 *     regular) over the issuing body (upper case, bold) with a short rule
 *     under it on the left; the national motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
 *     VIỆT NAM / Độc lập - Tự do - Hạnh phúc" with a rule as long as the
 *     second line on the right; "Số: …" under the issuer and "<place>,
 *     ngày … tháng … năm …" (italic) under the motto;
 *   - the kind ("QUYẾT ĐỊNH") and summary line ("Về việc …") centred, bold,
 *     with a short rule under them;
 *   - the body: paragraphs of bold / italic / underlined runs, tables whose
 *     header rows repeat on every page a table spans;
 *   - "Nơi nhận:" on the left and the signature block on the right (title,
 *     a hint such as "(Ký, ghi rõ họ tên, đóng dấu)", room to sign, name),
 *     or two signature blocks side by side (minutes: secretary and chair);
 *   - optional annexes (phụ lục), each starting on a new page.
 *
 * Everything lives in the document's arena: doc_free releases it all.
 * Text is UTF-8; renderers escape it for their format. "\n" inside a run
 * is a line break within the paragraph. Sizes are in points. */
#ifndef CHISO_DOC_H
#define CHISO_DOC_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "buf.h"

/* Page geometry shared by both renderers (ND 30/2020: A4, top and bottom
 * 20–25 mm, left 30–35 mm, right 15–20 mm; we take the usual 20/20/30/15). */
#define DOC_PAGE_W_MM 210.0
#define DOC_PAGE_H_MM 297.0
#define DOC_MARGIN_TOP_MM 20.0
#define DOC_MARGIN_BOTTOM_MM 20.0
#define DOC_MARGIN_LEFT_MM 30.0
#define DOC_MARGIN_RIGHT_MM 15.0
#define DOC_TEXT_W_MM (DOC_PAGE_W_MM - DOC_MARGIN_LEFT_MM - DOC_MARGIN_RIGHT_MM)

/* Font sizes (ND 30/2020, Phụ lục I, mục II). Body text 14 pt; tables 13 pt
 * (still inside the 13–14 pt the decree asks for). */
#define DOC_PT_BODY 14
#define DOC_PT_TABLE 13
/* The header block: names of the bodies and the national name 12 pt
 * (the decree allows 12–13; at 13 the two columns no longer fit on one
 * line each), the motto 13 pt (13–14), the number 13 pt, place and date
 * 14 pt italic (13–14). */
#define DOC_PT_HEADER 12        /* parent, issuer, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" */
#define DOC_PT_MOTTO 13         /* "Độc lập - Tự do - Hạnh phúc" */
#define DOC_PT_NUMBER 13        /* "Số: …", page numbers */
#define DOC_PT_DATE 14          /* place and date */
#define DOC_PT_HINT 13          /* "(Ký, ghi rõ họ tên, đóng dấu)" */
#define DOC_NATION "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define DOC_MOTTO "Độc lập - Tự do - Hạnh phúc"
#define DOC_SIGN_ROOM_MM 26.0   /* room to sign and stamp */
#define DOC_RULE_SHARE 0.42     /* short rules: 1/3–1/2 of the line above */
#define DOC_PT_RECIPIENTS_HEAD 12
#define DOC_PT_RECIPIENTS 11
#define DOC_FIRST_INDENT_MM 12.7   /* 1–1.27 cm first-line indent */
#define DOC_PARA_AFTER_PT 6        /* at least 6 pt between paragraphs */

/* The family the PDF is set in and the family the DOCX names: Liberation
 * Serif has Times New Roman's metrics, so both paginate alike. */
#define DOC_FONT_PDF "Liberation Serif"
#define DOC_FONT_DOCX "Times New Roman"

enum { DOC_B = 1, DOC_I = 2, DOC_U = 4 };   /* run styles, combinable */

typedef enum doc_align { DOC_LEFT, DOC_CENTER, DOC_RIGHT, DOC_JUSTIFY } doc_align;

typedef struct doc_run {
	const char *text;
	unsigned style;
} doc_run;

typedef struct doc_para {
	doc_run *runs;
	size_t nruns, cap;
	doc_align align;
	bool indent;            /* first-line indent (ordinary body paragraphs) */
	bool keep_next;         /* headings: never the last thing on a page */
	int heading;            /* 1–3: a heading's outline level ("I." 1, "1." 2, "1.1." / "a)" 3); 0: body */
	int size;               /* points; 0 = the context's default */
	int space_before;       /* extra points above */
} doc_para;

typedef struct doc_cell {
	doc_para p;
	int span;               /* columns covered, ≥ 1 */
} doc_cell;

typedef struct doc_row {
	doc_cell *cells;
	size_t ncells, cap;
	bool header;            /* repeated at the top of every page */
} doc_row;

typedef struct doc_table {
	size_t ncols;
	double *widths;         /* relative column widths */
	doc_row **rows;
	size_t nrows, cap;
	int size;               /* points; 0 = DOC_PT_TABLE */
} doc_table;

/* A 100% stacked horizontal bar chart: one bar per category (a unit
 * type), split into the series (levels) by their counts, in grays that
 * survive a black-and-white printer. Drawn as vectors in the PDF, as a
 * 150 dpi PNG in the DOCX. */
typedef struct doc_chart {
	const char *title;
	const char **cats;
	size_t ncats;
	const char **series;
	size_t nseries;
	double *values;         /* ncats × nseries counts, row by row */
} doc_chart;

typedef enum doc_block_kind { DOC_BLOCK_PARA, DOC_BLOCK_TABLE, DOC_BLOCK_PAGE_BREAK, DOC_BLOCK_CHART } doc_block_kind;

typedef struct doc_block {
	doc_block_kind kind;
	doc_para para;
	doc_table table;
	doc_chart chart;
} doc_block;

typedef struct doc_blocks {
	doc_block **v;
	size_t n, cap;
} doc_blocks;

typedef struct doc_signature {
	const char *caption;    /* upper case, may hold "\n": "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG" */
	const char *hint;       /* "(Ký, ghi rõ họ tên, đóng dấu)"; NULL = none */
	const char *name;       /* NULL or "": left blank for a hand-written name */
} doc_signature;

typedef struct doc {
	arena *a;               /* owns the document and everything in it */
	const char *parent;     /* cơ quan chủ quản (already upper case), NULL = none */
	const char *issuer;     /* cơ quan ban hành (already upper case) */
	const char *number;     /* the whole line: "Số: 15/QĐ-THCSNHT" */
	const char *place_date; /* "Quận 7, ngày 05 tháng 5 năm 2025" */
	const char *kind;       /* "QUYẾT ĐỊNH"; NULL = no title */
	const char *summary;    /* "Về việc …", may hold "\n"; NULL = none */
	const char *title;      /* for metadata: kind + summary */
	doc_blocks body;
	bool has_recipients;
	const char **recipients; /* "Phòng GD&ĐT (để b/c);" … */
	size_t nrecipients, rcap;
	doc_signature sign[2];  /* one: on the right; two: [0] left, [1] right */
	size_t nsign;
	doc_blocks *annexes;    /* each starts on a new page, after the signature */
	size_t nannexes, acap;
	doc_blocks *cur;        /* where doc_para_add / doc_table_add append */
} doc;

doc *doc_new(void);
void doc_free(doc *d);

/* Header fields; text is copied into the document's arena. */
void doc_set_header(doc *d, const char *parent, const char *issuer, const char *number,
                    const char *place_date);
void doc_set_title(doc *d, const char *kind, const char *summary);
void doc_recipient(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a signature block (at most two). */
void doc_sign(doc *d, const char *caption, const char *hint, const char *name);
/* From now on blocks go into a new annex (a new page after the signature). */
void doc_annex(doc *d);

/* A new paragraph at the end of the current part (body or annex). */
doc_para *doc_para_add(doc *d, doc_align align);
/* Appends a run: printf-style text with a style (DOC_B | DOC_I | DOC_U). */
void doc_run_add(doc *d, doc_para *p, unsigned style, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* One-run paragraph shortcuts. doc_text: justified body text with a
 * first-line indent; doc_line: aligned as asked, no indent. */
doc_para *doc_text(doc *d, unsigned style, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
doc_para *doc_line(doc *d, doc_align align, unsigned style, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A heading: bold, justified, no indent, kept with what follows. */
doc_para *doc_heading(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_page_break(doc *d);

/* A table of ncols columns with relative widths (copied). */
doc_table *doc_table_add(doc *d, size_t ncols, const double *widths);
doc_row *doc_row_add(doc *d, doc_table *t, bool header);
/* A cell spanning `span` columns; its paragraph takes runs. */
doc_para *doc_cell_add(doc *d, doc_row *r, doc_align align, int span);
/* A one-run cell. */
void doc_cellf(doc *d, doc_row *r, doc_align align, unsigned style, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A chart of ncats × nseries values, all zero: fill cats, series, values.
 * The strings are copied by the caller into the arena (doc->a). */
doc_chart *doc_chart_add(doc *d, const char *title, size_t ncats, size_t nseries);

/* ---- helpers shared by the renderers and the document builders ---------- */

/* Upper case of UTF-8 text with Vietnamese letters ("Trường Đông Hà" →
 * "TRƯỜNG ĐÔNG HÀ"), in arena a. */
char *doc_upper(arena *a, const char *s);
/* Width in points of one line of text set in DOC_FONT_PDF at `pt`
 * (bold/italic per style): the length of the rules under the issuer and
 * the motto, shared by both renderers so the DOCX rules match the PDF's. */
double doc_text_width_pt(const char *text, int pt, unsigned style);
/* The header block's columns in points: the right one as wide as the
 * national name needs, the issuer's column the rest of the line. */
void doc_header_columns(double *left_pt, double *right_pt);
/* Text that would wrap in `width_pt` broken by "\n" into lines of about
 * equal width (a greedy wrap leaves "PHÒNG GIÁO DỤC VÀ ĐÀO / TẠO"); text
 * that fits, or cannot be balanced into two lines, is returned as is. */
const char *doc_balance(arena *a, const char *text, int pt, unsigned style, double width_pt);

/* The chart drawn `width_pt` wide as a PNG at 150 dpi (for the DOCX);
 * *height_pt is its height. */
bool doc_chart_png(const doc_chart *c, double width_pt, buf *png, double *height_pt);

/* Releases the calling thread's fonts (pango's font map) and, when
 * `process_exit`, fontconfig's and cairo's static data: for leak checkers
 * at the end of a command or a test; rendering again afterwards works. */
void doc_release_fonts(bool process_exit);

/* Renderers. Both append the file's bytes to out and return true, or
 * return false with a message in err. */
bool doc_render_pdf(const doc *d, buf *out, buf *err);
bool doc_render_docx(const doc *d, buf *out, buf *err);
#endif
