/* fw_import_read.c — the annex table out of a DOCX or an XLSX
 * (fw_import.h), from memory.
 *
 * DOCX: word/document.xml holds the body; a table is
 *   <w:tbl><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>
 *     <w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr>
 *       <w:p><w:r><w:t>text</w:t></w:r></w:p>…</w:tc>…</w:tr>…</w:tbl>
 * A cell spanning n grid columns (gridSpan) becomes the cell and n − 1
 * copies marked FW_CELL_LEFT; a cell with <w:vMerge/> (no value, or
 * "continue") continues the merged cell above it and becomes a copy of
 * the cell above in that grid column, marked FW_CELL_ABOVE. Tables inside
 * a cell are read as text of that cell. The first top-level table whose
 * header row (among its first five rows) names the annex's columns is
 * kept; the reading stops there.
 *
 * Hostile files: the zip and the part's declared and inflated sizes, the
 * ratio, rows, columns and cell sizes are bounded by import_limits as for
 * XLSX; XML with a DOCTYPE is refused; bytes that are not UTF-8 are found
 * before expat sees them, so the message can name the table's row.
 *
 * XLSX: import_xlsx_parse reads the first sheet and its <mergeCells>;
 * every merged range is expanded here the same way. */
#include "fw_import.h"
#include "util.h"
#include "vn.h"
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

enum { HEADER_ROWS = 5, MAX_SPAN = 64 };

typedef struct docx {
	const import_limits *lim;
	XML_Parser p;
	char *err;
	size_t ntables;            /* top-level tables seen */
	fw_table *out;             /* the table being read (reset per table) */
	size_t row;                /* 1-based within the table */
	fw_cell *cells;            /* the row */
	size_t ncells, cap;
	const char **above;        /* the previous row's text per grid column, for vMerge */
	size_t nabove;
	size_t total_cells;
	buf text;                  /* the cell's text */
	int depth;                 /* w:tbl nesting */
	int span;
	bool done;                 /* the annex table was found */
	bool in_row, in_cell, in_tcpr, in_t;
	bool vcont;
	bool para_open;
} docx;

static const char *lname(const char *n)
{
	const char *c = strrchr(n, ':');
	return c ? c + 1 : n;
}

static const char *att(const XML_Char **a, const char *want)
{
	for (size_t i = 0; a[i]; i += 2)
		if (!strcmp(lname(a[i]), want)) return a[i + 1];
	return NULL;
}

static void dfail(docx *d, char *msg)
{
	if (!d->err) d->err = msg;
	else free(msg);
	if (d->p) XML_StopParser(d->p, XML_FALSE);
}

static void push_cell(docx *d, const char *text, fw_cell_merge m)
{
	if (d->ncells >= d->lim->max_cols || d->ncells >= 1024) {
		dfail(d, import_msg("Bảng thứ %zu, hàng %zu: quá nhiều cột (tối đa %zu)", d->ntables, d->row,
		                    d->lim->max_cols < 1024 ? d->lim->max_cols : (size_t)1024));
		return;
	}
	if (++d->total_cells > d->lim->max_cells) {
		dfail(d, import_msg("Tệp DOCX có quá nhiều ô trong bảng (tối đa %zu)", d->lim->max_cells));
		return;
	}
	if (d->ncells == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->cells = xrealloc(d->cells, d->cap * sizeof *d->cells);
	}
	d->cells[d->ncells++] = (fw_cell){ text, m };
}

static void XMLCALL d_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	docx *d = ud;
	if (d->err || d->done) return;
	const char *n = lname(name);
	if (!strcmp(n, "tbl")) {
		if (++d->depth == 1) {
			d->ntables++;
			fw_table_free(d->out);
			fw_table_init(d->out);
			d->row = 0;
			d->nabove = 0;
		}
		return;
	}
	if (d->depth != 1) {
		if (d->depth > 1 && d->in_cell && (!strcmp(n, "t"))) d->in_t = true;
		if (d->depth > 1 && d->in_cell && !strcmp(n, "p") && d->text.len) buf_putc(&d->text, '\n');
		return;
	}
	if (!strcmp(n, "tr")) {
		d->in_row = true;
		d->row++;
		d->ncells = 0;
		if (d->row > d->lim->max_rows) dfail(d, import_msg("Bảng thứ %zu có quá nhiều hàng (tối đa %zu)", d->ntables, d->lim->max_rows));
	} else if (!strcmp(n, "gridBefore") && d->in_row && !d->in_cell) {
		const char *v = att(atts, "val");
		int k = v ? atoi(v) : 0;
		for (int i = 0; i < k && i < MAX_SPAN && !d->err; i++) push_cell(d, "", FW_CELL_OWN);
	} else if (!strcmp(n, "tc") && d->in_row) {
		d->in_cell = true;
		d->span = 1;
		d->vcont = false;
		d->para_open = false;
		buf_reset(&d->text);
	} else if (!d->in_cell) {
		return;
	} else if (!strcmp(n, "tcPr")) {
		d->in_tcpr = true;
	} else if (!strcmp(n, "gridSpan") && d->in_tcpr) {
		const char *v = att(atts, "val");
		int k = v ? atoi(v) : 1;
		d->span = k < 1 ? 1 : k > MAX_SPAN ? MAX_SPAN : k;
	} else if (!strcmp(n, "vMerge") && d->in_tcpr) {
		const char *v = att(atts, "val");
		d->vcont = !v || !strcmp(v, "continue");
	} else if (!strcmp(n, "p")) {
		if (d->para_open || d->text.len) buf_putc(&d->text, '\n');
		d->para_open = true;
	} else if (!strcmp(n, "t")) {
		d->in_t = true;
	} else if (!strcmp(n, "tab")) {
		buf_putc(&d->text, ' ');
	} else if (!strcmp(n, "br") || !strcmp(n, "cr")) {
		buf_putc(&d->text, '\n');
	}
}

static void end_cell(docx *d)
{
	d->in_cell = d->in_tcpr = d->in_t = false;
	size_t col = d->ncells;
	const char *text;
	fw_cell_merge m = FW_CELL_OWN;
	if (d->vcont) {
		text = col < d->nabove ? d->above[col] : "";
		m = FW_CELL_ABOVE;
	} else {
		/* paragraphs joined by one line break; empty ones dropped */
		const char *raw = buf_str(&d->text);
		buf b;
		buf_init(&b);
		for (const char *p = raw; *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			if (len) {
				if (b.len) buf_putc(&b, '\n');
				buf_append(&b, p, len);
			}
			p += len + (e ? 1 : 0);
		}
		text = import_text_clean(d->out->a, buf_str(&b), b.len, true, NULL);
		buf_free(&b);
	}
	push_cell(d, text, m);
	for (int i = 1; i < d->span && !d->err; i++) push_cell(d, text, m == FW_CELL_ABOVE ? FW_CELL_ABOVE : FW_CELL_LEFT);
}

static void XMLCALL d_end(void *ud, const XML_Char *name)
{
	docx *d = ud;
	if (d->err || d->done) return;
	const char *n = lname(name);
	if (!strcmp(n, "tbl")) {
		if (d->depth-- != 1) return;
		for (size_t i = 0; i < d->out->nrows && i < HEADER_ROWS; i++) {
			int col[FW_NCOLS];
			if (fw_import_header(&d->out->rows[i], col)) {
				d->done = true;
				XML_StopParser(d->p, XML_TRUE);
				return;
			}
		}
		return;
	}
	if (d->depth != 1) {
		if (!strcmp(n, "t")) d->in_t = false;
		return;
	}
	if (!strcmp(n, "t")) d->in_t = false;
	else if (!strcmp(n, "tcPr")) d->in_tcpr = false;
	else if (!strcmp(n, "tc") && d->in_cell) end_cell(d);
	else if (!strcmp(n, "tr") && d->in_row) {
		d->in_row = false;
		fw_table_add(d->out, d->row, d->cells, d->ncells);
		/* the row as stored (its strings live in the table's arena) */
		const fw_row *r = &d->out->rows[d->out->nrows - 1];
		d->above = xrealloc(d->above, (r->ncells ? r->ncells : 1) * sizeof *d->above);
		for (size_t i = 0; i < r->ncells; i++) d->above[i] = r->cells[i].text;
		d->nabove = r->ncells;
	}
}

static void XMLCALL d_text(void *ud, const XML_Char *s, int len)
{
	docx *d = ud;
	if (!d->in_t || !d->in_cell || d->err || d->done) return;
	if (d->text.len + (size_t)len > d->lim->max_cell_bytes) {
		dfail(d, import_msg("Bảng thứ %zu, hàng %zu: một ô dài quá giới hạn %zu byte", d->ntables, d->row,
		                    d->lim->max_cell_bytes));
		return;
	}
	buf_append(&d->text, s, (size_t)len);
}

static void XMLCALL d_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                              int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	dfail(ud, import_msg("Tệp DOCX không hợp lệ: word/document.xml có khai báo DOCTYPE (không được phép trong tệp Office)"));
}

/* The part `name`, inflated whole into *out, within the limits. */
static char *read_zip_part(zip_t *z, const char *name, const import_limits *lim, const char *what, buf *out)
{
	zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (idx < 0) return import_msg("Tệp %s không hợp lệ: thiếu phần %s", what, name);
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return import_msg("Tệp %s hỏng: không đọc được thông tin phần %s", what, name);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return import_msg("Tệp %s có đặt mật khẩu: hãy bỏ mật khẩu rồi lưu lại", what);
	bool ratio_bad = (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (uint64_t)1024 * 1024 &&
		(st.comp_size == 0 || st.size / st.comp_size > lim->max_zip_ratio);
	if (st.size > lim->max_unzipped_bytes || ratio_bad)
		return import_msg("Tệp %s bị từ chối: phần %s giải nén ra %llu byte%s — có thể là \"bom nén\" (zip bomb)",
		                  what, name, (unsigned long long)st.size, ratio_bad ? " từ rất ít dữ liệu nén" : "");
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!f) return import_msg("Tệp %s hỏng: không mở được phần %s", what, name);
	char chunk[65536];
	char *e = NULL;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
		if (n < 0) { e = import_msg("Tệp %s hỏng: lỗi giải nén phần %s", what, name); break; }
		if (n == 0) break;
		if (out->len + (size_t)n > st.size || out->len + (size_t)n > lim->max_unzipped_bytes) {
			e = import_msg("Tệp %s bị từ chối: phần %s giải nén ra nhiều hơn kích thước khai báo — có thể là "
			               "\"bom nén\" (zip bomb)", what, name);
			break;
		}
		buf_append(out, chunk, (size_t)n);
	}
	zip_fclose(f);
	return e;
}

static zip_t *open_zip(const void *data, size_t len, const char *what, char **err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_t *z = NULL;
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src) {
		z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
		if (!z) zip_source_free(src);
	}
	if (!z) *err = import_msg("Tệp không phải %s hợp lệ (không đọc được tệp nén: %s)", what, zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return z;
}

int fw_import_docx(const void *data, size_t len, const import_limits *lim, fw_table *out, char **err)
{
	*err = NULL;
	fw_table_init(out);
	if (len > lim->max_file_bytes) {
		*err = import_msg("Tệp quá lớn: %zu byte (tối đa %zu MB)", len, lim->max_file_bytes / ((size_t)1024 * 1024));
		return -1;
	}
	zip_t *z = open_zip(data, len, "DOCX", err);
	if (!z) return -1;
	buf xml;
	buf_init(&xml);
	*err = read_zip_part(z, "word/document.xml", lim, "DOCX", &xml);
	zip_discard(z);
	if (*err) { buf_free(&xml); return -1; }
	size_t bad = 0;
	const char *xd = xml.data ? xml.data : "";
	bool utf8 = vn_utf8_valid(xd, xml.len, &bad);
	docx d;
	memset(&d, 0, sizeof d);
	d.lim = lim;
	d.out = out;
	buf_init(&d.text);
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p) fatal("out of memory (expat)");
	XML_SetUserData(p, &d);
	XML_SetElementHandler(p, d_start, d_end);
	XML_SetCharacterDataHandler(p, d_text);
	XML_SetStartDoctypeDeclHandler(p, d_doctype);
	d.p = p;
	/* up to the first byte that is not UTF-8: the rows before it are
	 * read, so the message can say where it is */
	size_t upto = utf8 ? xml.len : bad;
	enum XML_Status st = XML_Parse(p, xd, (int)upto, utf8);
	if (!d.err && !d.done) {
		if (!utf8) {
			if (d.depth >= 1 && d.row)
				d.err = import_msg("Bảng thứ %zu, hàng %zu: văn bản không phải UTF-8 hợp lệ (byte 0x%02X); hãy mở tệp "
				                   "bằng Word hoặc LibreOffice và lưu lại", d.ntables, d.row, (unsigned char)xd[bad]);
			else
				d.err = import_msg("Tệp DOCX có văn bản không phải UTF-8 hợp lệ (byte 0x%02X) ngoài bảng; hãy mở tệp "
				                   "bằng Word hoặc LibreOffice và lưu lại", (unsigned char)xd[bad]);
		} else if (st == XML_STATUS_ERROR) {
			d.err = import_msg("Tệp DOCX hỏng: lỗi XML trong word/document.xml, dòng %lu, cột %lu: %s",
			                   (unsigned long)XML_GetCurrentLineNumber(p), (unsigned long)XML_GetCurrentColumnNumber(p),
			                   XML_ErrorString(XML_GetErrorCode(p)));
		} else {
			d.err = import_msg("Không tìm thấy bảng có các cột \"STT | Tiêu chí | Điểm tối đa | Điểm thành phần | Mức độ | "
			                   "Ghi chú, minh chứng\" trong tệp DOCX (%zu bảng đã xem)", d.ntables);
		}
	}
	XML_ParserFree(p);
	buf_free(&d.text);
	buf_free(&xml);
	free(d.cells);
	free(d.above);
	if (d.err) {
		*err = d.err;
		fw_table_free(out);
		fw_table_init(out);
		return -1;
	}
	return 0;
}

/* ---- XLSX ------------------------------------------------------------------ */

static fw_row *row_at(fw_table *t, size_t line)
{
	size_t lo = 0, hi = t->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->rows[mid].line < line) lo = mid + 1;
		else hi = mid;
	}
	return lo < t->nrows && t->rows[lo].line == line ? &t->rows[lo] : NULL;
}

int fw_import_xlsx(const void *data, size_t len, const import_limits *lim, fw_table *out, char **err)
{
	*err = NULL;
	fw_table_init(out);
	import_table it;
	if (import_xlsx_parse(data, len, lim, &it, err)) return -1;
	/* widest row, then every row padded to it so that merges can reach */
	size_t width = 0;
	for (size_t i = 0; i < it.nrows; i++) if (it.rows[i].ncells > width) width = it.rows[i].ncells;
	for (size_t m = 0; m < it.nmerges; m++) if (it.merges[m].c2 + 1 > width && it.merges[m].c2 < 64) width = it.merges[m].c2 + 1;
	if (width > 64) width = 64;   /* the annex has six columns; more are never read */
	fw_cell *cells = xcalloc(width ? width : 1, sizeof *cells);
	for (size_t i = 0; i < it.nrows; i++) {
		const import_row *r = &it.rows[i];
		for (size_t k = 0; k < width; k++) cells[k] = (fw_cell){ k < r->ncells ? r->cells[k] : "", FW_CELL_OWN };
		fw_table_add(out, r->line, cells, width);
	}
	free(cells);
	for (size_t m = 0; m < it.nmerges; m++) {
		const import_merge *g = &it.merges[m];
		fw_row *top = row_at(out, g->r1);
		const char *text = top && g->c1 < top->ncells ? top->cells[g->c1].text : "";
		/* only the rows the sheet has: a row made only of merged copies
		 * says nothing of its own */
		for (size_t i = 0; i < out->nrows; i++) {
			fw_row *r = &out->rows[i];
			if (r->line < g->r1 || r->line > g->r2) continue;
			for (size_t c = g->c1; c <= g->c2 && c < r->ncells; c++) {
				if (r->line == g->r1 && c == g->c1) continue;
				r->cells[c].text = text;
				r->cells[c].merge = r->line == g->r1 ? FW_CELL_LEFT : FW_CELL_ABOVE;
			}
		}
	}
	import_table_free(&it);
	return 0;
}

int fw_import_read(const void *data, size_t len, const char *name, const import_limits *lim, fw_table *out,
                   char **err)
{
	*err = NULL;
	if (!len) {
		fw_table_init(out);
		*err = import_msg("Tệp rỗng (0 byte): không có bảng nào để nhập");
		return -1;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (src && !z) zip_source_free(src);
	zip_error_fini(&ze);
	int kind = 0;   /* 1 DOCX, 2 XLSX */
	if (z) {
		if (zip_name_locate(z, "word/document.xml", ZIP_FL_NOCASE) >= 0) kind = 1;
		else if (zip_name_locate(z, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0) kind = 2;
		zip_discard(z);
	}
	size_t n = name ? strlen(name) : 0;
	if (!kind && n >= 5 && !strcasecmp(name + n - 5, ".docx")) kind = 1;
	if (!kind && n >= 5 && !strcasecmp(name + n - 5, ".xlsx")) kind = 2;
	if (kind == 1) return fw_import_docx(data, len, lim, out, err);
	if (kind == 2) return fw_import_xlsx(data, len, lim, out, err);
	fw_table_init(out);
	if (n >= 4 && !strcasecmp(name + n - 4, ".doc"))
		*err = import_msg("Tệp .doc (Word 97–2003) không đọc được: hãy mở bằng Word hoặc LibreOffice và lưu lại dạng .docx");
	else if (n >= 4 && !strcasecmp(name + n - 4, ".pdf"))
		*err = import_msg("Tệp PDF không đọc được bảng: hãy dùng tệp Word (.docx) của quyết định hoặc mẫu XLSX");
	else
		*err = import_msg("Tệp không phải DOCX hay XLSX: hãy dùng tệp Word (.docx) của quyết định hoặc mẫu XLSX");
	return -1;
}
