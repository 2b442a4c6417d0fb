/* fw_import.h — an indicator set read from the decision's own annex table.
 *
 * The Ministry publishes a framework as a table in the decision's annex,
 * with the columns
 *   STT | Tiêu chí | Điểm tối đa | Điểm thành phần | Mức độ | Ghi chú, minh chứng
 * An officer loads it from the decision's Word file (DOCX) or from a
 * spreadsheet with the same columns (XLSX, a template is offered); the
 * result is a framework JSON in the format of docs/framework-format.md,
 * kept as a draft until an administrator has reviewed and published it.
 *
 * Two steps:
 *   1. readers (fw_import_read.c): the first table with those columns in a
 *      DOCX (word/document.xml, merged cells as Word writes them), or the
 *      first sheet of an XLSX (with its <mergeCells>), into an fw_table:
 *      rows of cells, merged cells expanded, each copy marked as such;
 *   2. the builder (fw_import.c, pure: no I/O): the criteria tree from the
 *      STT codes, maxima and component points, "Điều kiện bắt buộc" as
 *      gates, the "Mức độ" column as bands, notes and evidence hints.
 *      What the table states is tagged "official" with its "origin" (file
 *      and row); every rule the table does not state (the kind of rule, a
 *      threshold, levels not given) is tagged "inferred", explained in the
 *      node's note and listed in the review notes.
 * The result is validated by framework_parse, the loader every framework
 * goes through. Messages are Vietnamese and name the row ("hàng 12"). */
#ifndef CHISO_FW_IMPORT_H
#define CHISO_FW_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "arena.h"
#include "buf.h"
#include "framework.h"
#include "import.h"

/* A cell's text (NFC UTF-8, never NULL) and whether it is a copy made
 * when a merged cell was expanded: FW_CELL_LEFT copies the cell on its
 * left (Word's gridSpan, a horizontal merge), FW_CELL_ABOVE the cell
 * above (Word's vMerge "continue", a vertical merge). */
typedef enum fw_cell_merge { FW_CELL_OWN, FW_CELL_LEFT, FW_CELL_ABOVE } fw_cell_merge;
typedef struct fw_cell {
	const char *text;
	fw_cell_merge merge;
} fw_cell;
typedef struct fw_row {
	size_t line;          /* 1-based row in the source table or sheet */
	size_t ncells;
	fw_cell *cells;
} fw_row;
typedef struct fw_table {
	arena *a;             /* owns everything; fw_table_free frees it */
	fw_row *rows;         /* in a */
	size_t nrows, cap;
} fw_table;

void fw_table_init(fw_table *t);
void fw_table_free(fw_table *t);
/* Appends a row (cells copied into t->a); trailing empty cells are kept. */
void fw_table_add(fw_table *t, size_t line, const fw_cell *cells, size_t n);

/* The columns, in the order of the annex. */
enum { FW_COL_STT, FW_COL_TITLE, FW_COL_MAX, FW_COL_PART, FW_COL_BANDS, FW_COL_NOTE, FW_NCOLS };
extern const char *const fw_import_headers[FW_NCOLS];   /* "STT", "Tiêu chí", … */
/* Whether row r is the header row: its cells name at least STT, Tiêu chí
 * and Điểm tối đa (case, diacritics' normalisation and spaces do not
 * matter). col[k] is then the cell index of column k, or -1. */
bool fw_import_header(const fw_row *r, int col[FW_NCOLS]);

/* What the table does not say: given by the officer (command line
 * options, the upload form). NULL fields take the defaults below. */
typedef struct fw_import_meta {
	const char *file;              /* the source's name, for messages and "origin" */
	const char *id;                /* required: [a-z0-9-]+ */
	int revision;                  /* ≥ 1 */
	const char *title;             /* default: "Bộ chỉ số nhập từ FILE" (noted) */
	const char *decision_number;   /* default: "Chưa ghi số" (noted) */
	const char *decision_date;     /* YYYY-MM-DD; default: today (noted) */
	const char *decision_issuer;   /* default: "Bộ Giáo dục và Đào tạo" (noted) */
	const char *today;             /* YYYY-MM-DD, for the default date */
	bool unit_types_set;           /* else guessed from the title (noted) */
	bool unit_types[UT_COUNT];
} fw_import_meta;

/* Builds the framework JSON from table t. Returns a new JSON object, or
 * NULL when the table cannot give one; errors are appended to *errors one
 * per line ("FILE: hàng 12: …"). Review notes (one per line, each naming
 * the code and row of what was inferred) go to *notes. */
json_t *fw_import_build(const fw_table *t, const fw_import_meta *m, buf *notes, buf *errors);

/* fw_import_build, then the JSON text (indented, UTF-8) validated by
 * framework_parse. On success returns the parsed framework and sets
 * *json_text (malloc'd); else NULL with the builder's or the validator's
 * lines in *errors. */
framework *fw_import_run(const fw_table *t, const fw_import_meta *m, char **json_text, buf *notes,
                         buf *errors);

/* ---- Readers (fw_import_read.c): memory in, no file system. ---------- */

/* The first table of word/document.xml whose header row (one of its first
 * five rows) has the annex's columns. Horizontal merges (w:gridSpan) are
 * expanded into FW_CELL_LEFT copies, vertical ones (w:vMerge without
 * "restart") into FW_CELL_ABOVE copies; a cell's text is its paragraphs
 * joined by a line break. Bounded by lim like the XLSX reader (zip bombs,
 * sizes); text that is not UTF-8 is refused naming the table's row. On
 * failure returns -1 and sets *err (malloc'd, Vietnamese). */
int fw_import_docx(const void *data, size_t len, const import_limits *lim, fw_table *out, char **err);
/* The first sheet through import_xlsx_parse, its merged ranges expanded. */
int fw_import_xlsx(const void *data, size_t len, const import_limits *lim, fw_table *out, char **err);
/* By the content (a zip holding word/document.xml is DOCX, one holding
 * xl/ is XLSX) or, failing that, by the name. -1 with *err otherwise. */
int fw_import_read(const void *data, size_t len, const char *name, const import_limits *lim,
                   fw_table *out, char **err);
/* Whether name ends in .docx or .xlsx (any case). */
bool fw_import_is_table_name(const char *name);

/* The downloadable template (libxlsxwriter, fw_import_template.c): the
 * columns and two example rows, written to path. false with *err. */
bool fw_import_template_write(const char *path, buf *err);
#endif
