/* import_csv.c — CSV files into an import table (import.h).
 *
 * The file is first made UTF-8 as a whole: a UTF-8 byte-order mark is
 * dropped, UTF-16 (Excel's "Unicode text", which starts with a BOM) is
 * converted, and anything else is run through the legacy detector, so a
 * CSV saved from an old TCVN3 or VNI workbook is converted once, before
 * the fields are split (these encodings leave ASCII — and so the
 * separators and quotes — alone). Then RFC 4180, read leniently the way
 * Excel writes it: a quote inside an unquoted field is a character, text
 * after a closing quote is kept. Pure: no I/O. */
#include "import.h"
#include "util.h"
#include "vn.h"
#include <stdlib.h>
#include <string.h>

/* ---- Encoding --------------------------------------------------------- */

static void put_utf8(buf *b, uint32_t cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) { s[0] = (char)cp; n = 1; }
	else if (cp < 0x800) { s[0] = (char)(0xC0 | cp >> 6); s[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
	else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | cp >> 12); s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
	} else {
		s[0] = (char)(0xF0 | cp >> 18); s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
	}
	buf_append(b, s, n);
}

/* UTF-16 (after its BOM) to UTF-8; false on a lone surrogate, an odd
 * length or a NUL character. */
static bool utf16_to_utf8(const unsigned char *p, size_t len, bool big_endian, buf *out)
{
	if (len % 2) return false;
	for (size_t i = 0; i < len; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(p[i] << 8 | p[i + 1]) : (uint32_t)(p[i + 1] << 8 | p[i]);
		if (u == 0) return false;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 3 >= len) return false;
			uint32_t l = big_endian ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
			                        : (uint32_t)(p[i + 3] << 8 | p[i + 2]);
			if (l < 0xDC00 || l > 0xDFFF) return false;
			u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
			i += 2;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			return false;
		}
		put_utf8(out, u);
	}
	return true;
}

/* The line (1-based) holding byte offset `at`. */
static size_t line_of(const char *s, size_t at)
{
	size_t line = 1;
	for (size_t i = 0; i < at; i++)
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) line++;
	return line;
}

/* Makes the whole file UTF-8 in *text (malloc'd). */
static int to_utf8(const char *data, size_t len, import_table *t, char **text, size_t *text_len,
                   char **err)
{
	const unsigned char *u = (const unsigned char *)data;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		buf b;
		buf_init(&b);
		if (!utf16_to_utf8(u + 2, len - 2, u[0] == 0xFE, &b)) {
			buf_free(&b);
			*err = import_msg("Tệp bắt đầu như UTF-16 nhưng nội dung không phải UTF-16 hợp lệ");
			return -1;
		}
		t->bom = t->utf16 = true;
		*text_len = b.len;
		*text = buf_take(&b);
		return 0;
	}
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		t->bom = true;
		data += 3;
		len -= 3;
	}
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		*err = import_msg("Tệp chứa byte NUL ở dòng %zu: không phải tệp CSV dạng văn bản "
			"(hãy lưu bảng tính dưới dạng .xlsx hoặc CSV UTF-8)", line_of(data, (size_t)(nul - data)));
		return -1;
	}
	size_t bad_at = 0;
	bool utf8 = vn_utf8_valid(data, len, &bad_at);
	vn_detection det = vn_legacy_detect(data, len);
	if (utf8 && det.enc == VN_ENC_UTF8 && !det.via_cp1252) {
		*text = xstrndup(data, len);
		*text_len = len;
		return 0;
	}
	if (det.enc == VN_ENC_UNKNOWN) {
		if (utf8) {   /* UTF-8 that is not Vietnamese: leave it be */
			*text = xstrndup(data, len);
			*text_len = len;
			return 0;
		}
		*err = import_msg("Tệp không phải UTF-8 (byte lạ ở dòng %zu) và không nhận ra bảng mã "
			"tiếng Việt cũ (TCVN3, VNI, CP1258): hãy lưu lại dưới dạng CSV UTF-8",
			line_of(data, bad_at));
		return -1;
	}
	char *conv = vn_legacy_decode_auto(data, len, &det);
	if (!conv) {
		*err = import_msg("Không chuyển được tệp từ mã %s sang Unicode", vn_encoding_name(det.enc));
		return -1;
	}
	t->file_enc = det.enc;
	t->file_via_cp1252 = det.via_cp1252;
	*text = conv;
	*text_len = strlen(conv);
	return 0;
}

/* ---- Separator -------------------------------------------------------- */

enum { SAMPLE_LINES = 20 };
static const char seps[] = { ',', ';', '\t' };

/* The separator that splits the first lines most consistently: the one
 * whose most common non-zero count per line occurs on most lines (then
 * the larger count). Addresses such as "Phường Tân Phú, Quận 7" in a
 * ';'-separated file add a varying number of commas per line, so commas
 * lose. Default ','. */
static char detect_sep(const char *s, size_t len)
{
	unsigned counts[SAMPLE_LINES][ARRAY_LEN(seps)];
	memset(counts, 0, sizeof counts);
	size_t line = 0;
	bool quoted = false, any = false;
	for (size_t i = 0; i < len && line < SAMPLE_LINES; i++) {
		char c = s[i];
		if (c == '"') quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r')) {
			if (any) line++;
			any = false;
		} else if (!quoted) {
			any = true;
			for (size_t k = 0; k < ARRAY_LEN(seps); k++)
				if (c == seps[k]) counts[line][k]++;
		}
	}
	if (any && line < SAMPLE_LINES) line++;
	char best = ',';
	unsigned long best_score = 0;
	for (size_t k = 0; k < ARRAY_LEN(seps); k++) {
		unsigned mode = 0, mode_lines = 0;
		for (size_t i = 0; i < line; i++) {
			unsigned v = counts[i][k], same = 0;
			if (!v) continue;
			for (size_t j = 0; j < line; j++) same += counts[j][k] == v;
			if (same > mode_lines || (same == mode_lines && v > mode)) {
				mode = v;
				mode_lines = same;
			}
		}
		unsigned long score = (unsigned long)mode_lines * 100000UL + mode;
		if (score > best_score) {
			best_score = score;
			best = seps[k];
		}
	}
	return best;
}

/* ---- Records ---------------------------------------------------------- */

typedef struct csv_state {
	import_table *t;
	const import_limits *lim;
	buf field;
	char **cells;          /* the record being read (malloc'd vector) */
	size_t n, cap;
	bool legacy_file;
} csv_state;

static int end_field(csv_state *st, size_t line, char **err)
{
	if (st->field.len > st->lim->max_cell_bytes) {
		*err = import_msg("Dòng %zu: một ô dài %zu byte, quá giới hạn %zu byte", line,
			st->field.len, st->lim->max_cell_bytes);
		return -1;
	}
	if (st->n >= st->lim->max_cols) {
		*err = import_msg("Dòng %zu có quá %zu cột", line, st->lim->max_cols);
		return -1;
	}
	import_fix fix;
	char *cell = import_text_clean(st->t->a, buf_str(&st->field), st->field.len, false, &fix);
	if (st->legacy_file) {
		/* The whole file was converted: count the cells it changed. */
		for (const char *p = cell; *p; p++)
			if ((unsigned char)*p >= 0x80) {
				fix.legacy = true;
				fix.enc = st->t->file_enc;
				break;
			}
	}
	import_table_count(st->t, cell, fix);
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->cells = xrealloc(st->cells, st->cap * sizeof *st->cells);
	}
	st->cells[st->n++] = cell;
	buf_reset(&st->field);
	return 0;
}

static int end_record(csv_state *st, size_t line, char **err)
{
	if (st->n == 0) return 0;
	char **row = arena_alloc(st->t->a, st->n * sizeof *row);
	memcpy(row, st->cells, st->n * sizeof *row);
	size_t n = st->n;
	st->n = 0;
	return import_table_add(st->t, line, row, n, st->lim, err);
}

/* Rows are numbered the way a spreadsheet shows the file: one per record,
 * empty lines included, so a cell holding a line break does not shift the
 * numbers of the rows after it. */
static int split(csv_state *st, const char *s, size_t len, char sep, char **err)
{
	enum { START, PLAIN, QUOTED, QUOTE_SEEN } state = START;
	size_t rec = 1, line = 1, quote_line = 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool nl = c == '\n' || c == '\r';
		if (state == QUOTED) {
			if (c == '"') {
				state = QUOTE_SEEN;
			} else if (nl) {
				/* A line break inside a cell (Alt+Enter): kept as LF. */
				if (c == '\r' && i + 1 < len && s[i + 1] == '\n') i++;
				buf_putc(&st->field, '\n');
				line++;
			} else {
				buf_putc(&st->field, c);
			}
			continue;
		}
		if (state == QUOTE_SEEN && c == '"') {
			buf_putc(&st->field, '"');
			state = QUOTED;
			continue;
		}
		if (c == sep) {
			if (end_field(st, rec, err)) return -1;
			state = START;
		} else if (nl) {
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n') i++;
			if (state != START || st->n > 0) {
				if (end_field(st, rec, err) || end_record(st, rec, err)) return -1;
			}
			state = START;
			line++;
			rec++;
		} else if (c == '"' && state == START) {
			state = QUOTED;
			quote_line = line;
		} else {
			buf_putc(&st->field, c);
			state = PLAIN;
		}
		if (st->field.len > st->lim->max_cell_bytes)
			return end_field(st, rec, err);   /* reports the limit */
	}
	if (state == QUOTED) {
		*err = import_msg("Dòng %zu: dấu ngoặc kép (\") mở ở dòng văn bản %zu không được đóng "
			"đến hết tệp", rec, quote_line);
		return -1;
	}
	if (state != START || st->n > 0) {
		if (end_field(st, rec, err) || end_record(st, rec, err)) return -1;
	}
	return 0;
}

int import_csv_parse(const char *data, size_t len, const import_limits *lim,
                     import_table *out, char **err)
{
	*err = NULL;
	import_table_init(out, IMPORT_CSV);
	if (len > lim->max_file_bytes) {
		*err = import_msg("Tệp quá lớn: %zu byte (tối đa %zu MB)", len,
			lim->max_file_bytes / ((size_t)1024 * 1024));
		import_table_free(out);
		return -1;
	}
	char *text;
	size_t text_len;
	if (to_utf8(data, len, out, &text, &text_len, err)) {
		import_table_free(out);
		return -1;
	}
	out->sep = detect_sep(text, text_len);
	csv_state st = { out, lim, { NULL, 0, 0 }, NULL, 0, 0,
		out->file_enc != VN_ENC_UTF8 || out->file_via_cp1252 };
	buf_init(&st.field);
	int rc = split(&st, text, text_len, out->sep, err);
	buf_free(&st.field);
	free(st.cells);
	free(text);
	if (rc) import_table_free(out);
	return rc;
}
