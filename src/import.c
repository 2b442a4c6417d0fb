/* import.c — the table every import reads (import.h): limits, rows, text
 * repair (legacy encodings, NFC) and its report, and reading a file from
 * disk, the one place here that does I/O. The parsers themselves are
 * import_csv.c and import_xlsx.c. */
#include "import.h"
#include "util.h"
#include "vn.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const import_limits import_default_limits = {
	.max_file_bytes = (size_t)20 * 1024 * 1024,
	.max_rows = 200000,
	.max_cols = 1024,
	.max_cells = 4000000,
	.max_cell_bytes = (size_t)32 * 1024,
	.max_unzipped_bytes = (uint64_t)256 * 1024 * 1024,
	.max_zip_ratio = 200,
};

char *import_msg(const char *fmt, ...)
{
	buf b;
	buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_take(&b);
}

void import_put_count(buf *out, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%zu", n);
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0) buf_putc(out, '.');
		buf_putc(out, digits[i]);
	}
}

void import_table_init(import_table *t, import_format format)
{
	memset(t, 0, sizeof *t);
	t->a = arena_new();
	t->format = format;
	t->file_enc = VN_ENC_UTF8;
}

void import_table_free(import_table *t)
{
	if (!t) return;
	arena_free(t->a);
	free(t->rows);
	memset(t, 0, sizeof *t);
}

/* ---- Text repair ------------------------------------------------------ */

static bool is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80) return false;
	return true;
}

/* Could s be legacy bytes seen through Windows-1252 (or UTF-8 encoded
 * twice)? Only if every character is one Windows-1252 can show: ASCII,
 * U+0080..U+00FF, or one of its 27 punctuation and letter extras. Real
 * Vietnamese text almost always has a letter beyond that (ư ơ đ ă, any
 * of ạ…ỹ), which settles it at once: detection costs far more than this
 * scan, and a workbook has hundreds of thousands of cells. */
static bool may_be_wrapped(const char *s, size_t len)
{
	static const uint16_t extras[] = {
		0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017D, 0x017E, 0x0192, 0x02C6, 0x02DC,
		0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021,
		0x2022, 0x2026, 0x2030, 0x2039, 0x203A, 0x20AC, 0x2122,
	};
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned cp;
		if (*p < 0x80) { p++; continue; }
		if (*p < 0xE0 && p + 1 < end) { cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu); p += 2; }
		else if (*p < 0xF0 && p + 2 < end) {
			cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
			p += 3;
		} else {
			return false;   /* beyond the BMP, or cut short */
		}
		if (cp < 0x100) continue;
		bool extra = false;
		for (size_t i = 0; i < ARRAY_LEN(extras) && !extra; i++) extra = extras[i] == cp;
		if (!extra) return false;
	}
	return true;
}

/* True when s is certainly in NFC without asking utf8proc: every code
 * point lies below U+0300 (Latin-1 and Latin Extended-A/B have no
 * character that NFC changes, and no combining mark) or in U+1E00..U+1EFF
 * (the precomposed Vietnamese letters ạ…ỹ). Anything else — a combining
 * mark of NFD text above all — takes the full normalisation. */
static bool surely_nfc(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		if (*p < 0x80) { p++; continue; }
		unsigned cp;
		if (*p < 0xE0 && p + 1 < end) { cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu); p += 2; }
		else if (*p < 0xF0 && p + 2 < end) {
			cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
			p += 3;
		} else {
			return false;
		}
		if (cp >= 0x300 && (cp < 0x1E00 || cp > 0x1EFF)) return false;
	}
	return true;
}

char *import_text_clean(arena *a, const char *s, size_t len, bool detect_legacy,
                        import_fix *fix)
{
	import_fix f = { false, VN_ENC_UTF8, false };
	if (fix) *fix = f;
	if (is_ascii(s, len)) return arena_strndup(a, s, len);
	char *legacy = NULL;
	const char *text = s;
	if (detect_legacy && may_be_wrapped(s, len)) {
		/* Valid UTF-8 whose characters are really the bytes of TCVN3 or
		 * VNI seen through Windows-1252 (a cell typed in a .VnTime font),
		 * or UTF-8 encoded twice. The detector keeps clean UTF-8. */
		vn_detection det = vn_legacy_detect(s, len);
		if (det.enc != VN_ENC_UNKNOWN && (det.enc != VN_ENC_UTF8 || det.via_cp1252)) {
			legacy = vn_legacy_decode_auto(s, len, &det);
			if (legacy && (det.enc != VN_ENC_UTF8 || det.via_cp1252)) {
				f.legacy = true;
				f.enc = det.enc;
				text = legacy;
			}
		}
	}
	if (!legacy && surely_nfc(s, len)) return arena_strndup(a, s, len);
	char *owned = text == s ? xstrndup(s, len) : NULL;
	char *nfc = vn_nfc(owned ? owned : text);
	char *out;
	if (!nfc) {
		/* Not UTF-8 after all (the caller's contract is broken): keep the
		 * bytes; validation will reject the cell. */
		out = arena_strndup(a, s, len);
	} else {
		f.nfc = !f.legacy && strcmp(nfc, owned ? owned : text) != 0;
		out = arena_strdup(a, nfc);
	}
	free(nfc);
	free(owned);
	free(legacy);
	if (fix) *fix = f;
	return out;
}

void import_table_count(import_table *t, const char *text, import_fix fix)
{
	if (!text[0]) return;
	t->stats.text_cells++;
	if (fix.legacy) t->stats.legacy[fix.enc]++;
	if (fix.nfc) t->stats.nfc++;
}

static const char *encoding_label(vn_encoding enc, bool twice)
{
	switch (enc) {
	case VN_ENC_TCVN3: return "TCVN3 (ABC)";
	case VN_ENC_VNI: return "VNI-Windows";
	case VN_ENC_CP1258: return "Windows-1258 (CP1258)";
	case VN_ENC_UTF8: return twice ? "UTF-8 bị mã hoá hai lần" : "UTF-8";
	case VN_ENC_UNKNOWN: break;
	}
	return "không rõ";
}

void import_describe_text(const import_table *t, buf *out)
{
	if (t->format == IMPORT_CSV && t->utf16)
		buf_puts(out, "Tệp ở dạng UTF-16 (Unicode text của Excel); đã chuyển sang UTF-8.\n");
	static const vn_encoding order[] = { VN_ENC_TCVN3, VN_ENC_VNI, VN_ENC_CP1258, VN_ENC_UTF8 };
	for (size_t i = 0; i < ARRAY_LEN(order); i++) {
		size_t n = t->stats.legacy[order[i]];
		bool whole = t->format == IMPORT_CSV && t->file_enc == order[i] &&
			(order[i] != VN_ENC_UTF8 || t->file_via_cp1252);
		if (!n && !whole) continue;
		buf_printf(out, "Phát hiện mã %s", encoding_label(order[i], true));
		if (whole) buf_puts(out, " trong toàn tệp");
		if (n) {
			buf_puts(out, whole ? " (" : " ở ");
			import_put_count(out, n);
			buf_puts(out, whole ? " ô có dấu)" : " ô");
		}
		buf_puts(out, "; đã chuyển sang Unicode.\n");
	}
	if (t->stats.nfc) {
		buf_puts(out, "Chuẩn hoá Unicode tổ hợp (NFD) sang dựng sẵn (NFC) ở ");
		import_put_count(out, t->stats.nfc);
		buf_puts(out, " ô.\n");
	}
}

/* ---- Rows ------------------------------------------------------------- */

/* Blank: nothing but ASCII white space and no-break spaces. */
static bool blank(const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') continue;
		if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) { s++; continue; }
		return false;
	}
	return true;
}

int import_table_add(import_table *t, size_t line, char **cells, size_t n,
                     const import_limits *lim, char **err)
{
	while (n > 0 && blank(cells[n - 1])) n--;
	if (n == 0) return 0;
	if (t->nrows >= lim->max_rows) {
		buf b;
		buf_init(&b);
		buf_puts(&b, "Tệp có quá ");
		import_put_count(&b, lim->max_rows);
		buf_puts(&b, " dòng dữ liệu (giới hạn của một lần nhập); hãy chia nhỏ tệp");
		*err = buf_take(&b);
		return -1;
	}
	if (n > lim->max_cols) {
		*err = import_msg("Dòng %zu có %zu cột, quá giới hạn %zu cột", line, n, lim->max_cols);
		return -1;
	}
	if (t->ncells_total + n > lim->max_cells) {
		buf b;
		buf_init(&b);
		buf_printf(&b, "Tệp có quá nhiều ô (đến dòng %zu đã vượt ", line);
		import_put_count(&b, lim->max_cells);
		buf_puts(&b, " ô)");
		*err = buf_take(&b);
		return -1;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	}
	t->rows[t->nrows++] = (import_row){ line, n, cells };
	t->ncells_total += n;
	return 0;
}

/* ---- Files ------------------------------------------------------------ */

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n < m) return false;
	for (size_t i = 0; i < m; i++) {
		char c = s[n - m + i];
		if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
		if (c != suffix[i]) return false;
	}
	return true;
}

int import_read_file(const char *path, const import_limits *lim, import_table *out,
                     char **err)
{
	memset(out, 0, sizeof *out);
	*err = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = import_msg("Không mở được tệp %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*err = import_msg("%s không phải là một tệp thông thường", path);
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > lim->max_file_bytes) {
		*err = import_msg("Tệp quá lớn: %.1f MB (tối đa %zu MB); hãy chia nhỏ tệp",
			(double)st.st_size / (1024.0 * 1024.0), lim->max_file_bytes / ((size_t)1024 * 1024));
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *data = xmalloc(size + 1);
	while (got < size) {
		ssize_t r = read(fd, data + got, size - got);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) {
			*err = r < 0 ? import_msg("Lỗi đọc tệp %s: %s", path, strerror(errno))
			             : import_msg("Tệp %s bị cắt ngắn khi đang đọc", path);
			free(data);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	data[size] = '\0';

	static const unsigned char ole[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	int rc;
	if (size >= 8 && !memcmp(data, ole, 8)) {
		*err = import_msg("Tệp là bảng tính Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu: "
			"hãy mở bằng Excel hoặc LibreOffice, bỏ mật khẩu và lưu lại dưới dạng .xlsx hoặc "
			"CSV UTF-8");
		rc = -1;
	} else if ((size >= 4 && !memcmp(data, "PK", 2)) || ends_with_ci(path, ".xlsx") ||
	           ends_with_ci(path, ".xlsm")) {
		rc = import_xlsx_parse(data, size, lim, out, err);
	} else if (ends_with_ci(path, ".xls") || ends_with_ci(path, ".ods")) {
		*err = import_msg("Không đọc được tệp %s: chỉ nhận .xlsx hoặc .csv", path);
		rc = -1;
	} else {
		rc = import_csv_parse(data, size, lim, out, err);
	}
	free(data);
	return rc;
}
