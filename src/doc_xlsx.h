/* doc_xlsx.h — what doc_xlsx.c's spreadsheet writer offers outside the
 * documents (the round summary's workbooks, page_dash.c): one set of cell
 * formats (Times New Roman 12, thin borders; a bold header on a light
 * fill), a header row with column widths, frozen, and a workbook written
 * to a private temporary file and handed back as bytes. */
#ifndef CHISO_DOC_XLSX_H
#define CHISO_DOC_XLSX_H
#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>
#include "buf.h"

typedef struct xlsx_fmt {
	lxw_format *head, *text, *wrap, *center, *points, *percent, *date, *bold, *title;
	lxw_format *decimal;              /* 0.00: an average, a mean share */
} xlsx_fmt;

/* The formats, added to wb (which owns them). */
void xlsx_fmt_init(lxw_workbook *wb, xlsx_fmt *x);
/* Row `row` as the header h[0..n) (column widths w), frozen below. */
void xlsx_fmt_headers(lxw_worksheet *ws, const xlsx_fmt *x, unsigned row, const char *const *h, const double *w, size_t n);

/* A workbook filled by fill(wb, ctx), written to a private temporary file
 * and appended to out (the file is removed). false (message in err) when
 * it could not be made. */
typedef void (*xlsx_fill_fn)(lxw_workbook *wb, void *ctx);
bool xlsx_workbook_bytes(xlsx_fill_fn fill, void *ctx, buf *out, buf *err);
#endif
