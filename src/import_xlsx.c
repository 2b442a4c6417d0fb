/* import_xlsx.c — the first worksheet of an XLSX workbook into an import
 * table (import.h).
 *
 * An XLSX file is a zip of XML parts found through relationship files:
 *   _rels/.rels              → the workbook part (normally xl/workbook.xml)
 *   xl/workbook.xml          → the sheets in tab order, each with an r:id
 *   xl/_rels/workbook.xml.rels → r:id → worksheet part; the shared strings
 *   xl/sharedStrings.xml     → <si> strings, plain (<t>) or rich (<r><t>…)
 *   xl/worksheets/sheet1.xml → <row r="12"><c r="C12" t="s"><v>3</v></c>…
 * libzip reads the zip from memory and expat parses each part as it is
 * inflated, chunk by chunk, so no part is ever held whole. Cells carry
 * their reference, and writers omit empty cells, so a row's cells are
 * placed by column, not by position.
 *
 * Hostile files: the zip's declared sizes are checked before reading and
 * the bytes actually inflated are counted while reading (a header can
 * lie); the compression ratio of large parts is bounded; XML with a
 * DOCTYPE is refused outright, so no entity can be declared, let alone
 * expanded. Pure apart from memory: no file system access. */
#include "import.h"
#include "util.h"
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

enum { CHUNK = 64 * 1024, MAX_SHEETS = 1000, MAX_RELS = 10000, MAX_MERGES = 100000 };

typedef enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_BOOL, CT_ERROR, CT_STR } cell_type;

typedef struct sheet_ref {
	char *name, *rid;
	bool hidden;
} sheet_ref;

typedef struct xlsx {
	zip_t *z;
	const import_limits *lim;
	import_table *t;
	XML_Parser p;
	const char *part;         /* the part being parsed, for messages */
	uint64_t unzipped;        /* bytes inflated so far, all parts */
	char *err;                /* first error; parsing stops */

	/* _rels/.rels and the workbook's rels */
	char *workbook;           /* path of the workbook part */
	char *rel_dir;            /* directory targets are relative to */
	const char *want_rid;     /* the sheet's r:id being looked up */
	char *sheet_path, *sst_path;
	bool sheet_is_worksheet;
	size_t nrels;

	/* workbook.xml */
	sheet_ref *sheets;
	size_t nsheets;

	/* text of the current <t>/<v> */
	buf text;
	bool collecting;
	int rph_depth;            /* inside <rPh> (phonetic guide): text ignored */

	/* sharedStrings.xml */
	char **sst;
	import_fix *sst_fix;
	size_t nsst, sst_cap;
	bool in_si;

	/* the worksheet */
	bool in_row, in_cell, in_is;
	size_t row, last_row;
	size_t col, last_col;     /* 0-based; last_col = one past the last cell */
	cell_type ctype;
	char cref[16];
	char **cells;             /* the row being read (malloc'd vector) */
	size_t ncells, cells_cap;
	char *empty;              /* "" in the table's arena, for gaps */
} xlsx;

/* ---- Helpers ---------------------------------------------------------- */

static void fail(xlsx *x, char *msg)
{
	if (!x->err) x->err = msg;
	else free(msg);
	if (x->p) XML_StopParser(x->p, XML_FALSE);
}

/* The local part of a possibly prefixed XML name ("x:row" → "row"). */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *want)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), want)) return atts[i + 1];
	return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* A relationship target resolved against dir ("xl/"): "/xl/x.xml" is
 * absolute within the package; "." and ".." segments are folded. */
static char *resolve(const char *dir, const char *target)
{
	buf b;
	buf_init(&b);
	if (target[0] == '/') target++;
	else buf_puts(&b, dir);
	buf_puts(&b, target);
	/* Fold segments in place. */
	char *s = b.data ? b.data : NULL;
	if (!s) return buf_take(&b);
	char *out = xmalloc(b.len + 1);
	size_t o = 0;
	for (char *seg = s; *seg;) {
		char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.')) {
			/* skip */
		} else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && out[o - 1] != '/') o--;   /* drop "name" */
			if (o > 0) o--;                           /* and its '/' */
			while (o > 0 && out[o - 1] != '/') o--;
		} else {
			memcpy(out + o, seg, n);
			o += n;
			if (slash) out[o++] = '/';
		}
		seg += n;
		if (*seg == '/') seg++;
	}
	if (o > 0 && out[o - 1] == '/') o--;
	out[o] = '\0';
	buf_free(&b);
	return out;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup("");
}

static const char *zip_reason(int code)
{
	switch (code) {
	case ZIP_ER_NOZIP: return "không phải tệp nén ZIP";
	case ZIP_ER_INCONS: return "tệp nén bị hỏng hoặc bị cắt ngắn";
	case ZIP_ER_EOF: return "tệp bị cắt ngắn hoặc hỏng (tải về hay sao chép chưa hết?)";
	case ZIP_ER_CRC: return "sai mã kiểm tra CRC, tệp bị hỏng";
	case ZIP_ER_ZLIB: case ZIP_ER_COMPRESSED_DATA: return "dữ liệu nén bị hỏng";
	case ZIP_ER_COMPNOTSUPP: return "kiểu nén không được hỗ trợ";
	case ZIP_ER_ENCRNOTSUPP: case ZIP_ER_NOPASSWD: return "tệp có đặt mật khẩu";
	case ZIP_ER_MULTIDISK: return "tệp nén nhiều phần";
	default: return "tệp nén không đọc được";
	}
}

/* ---- Reading one part ------------------------------------------------- */

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	xlsx *x = ud;
	fail(x, import_msg("Tệp XLSX không hợp lệ: phần %s có khai báo DOCTYPE (không được phép "
		"trong tệp Office)", x->part));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	xlsx *x = ud;
	if (!x->collecting || x->rph_depth > 0 || x->err) return;
	if (x->text.len + (size_t)len > x->lim->max_cell_bytes) {
		if (x->in_si) fail(x, import_msg("Chuỗi thứ %zu trong %s dài quá giới hạn %zu byte",
			x->nsst + 1, x->part, x->lim->max_cell_bytes));
		else fail(x, import_msg("Ô %s dài quá giới hạn %zu byte", x->cref,
			x->lim->max_cell_bytes));
		return;
	}
	buf_append(&x->text, s, (size_t)len);
}

/* Streams the part `name` through an expat parser with these handlers.
 * *found (may be NULL for a required part) says whether it exists. */
static int read_part(xlsx *x, const char *name, XML_StartElementHandler start,
                     XML_EndElementHandler end, bool *found)
{
	if (found) *found = false;
	zip_int64_t idx = zip_name_locate(x->z, name, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (found) return 0;
		fail(x, import_msg("Tệp XLSX không hợp lệ: thiếu phần %s", name));
		return -1;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->z, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
		fail(x, import_msg("Tệp XLSX hỏng: không đọc được thông tin phần %s", name));
		return -1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		fail(x, import_msg("Tệp XLSX có phần %s được mã hoá (đặt mật khẩu): hãy bỏ mật khẩu "
			"rồi lưu lại", name));
		return -1;
	}
	uint64_t room = x->lim->max_unzipped_bytes - x->unzipped;
	bool ratio_bad = (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (uint64_t)1024 * 1024 &&
		(st.comp_size == 0 || st.size / st.comp_size > x->lim->max_zip_ratio);
	if (st.size > room || ratio_bad) {
		fail(x, import_msg("Tệp XLSX bị từ chối: phần %s giải nén ra %llu byte%s — có thể là "
			"\"bom nén\" (zip bomb) hoặc bảng tính quá lớn", name, (unsigned long long)st.size,
			ratio_bad ? " từ rất ít dữ liệu nén" : ""));
		return -1;
	}
	zip_file_t *f = zip_fopen_index(x->z, (zip_uint64_t)idx, 0);
	if (!f) {
		fail(x, import_msg("Tệp XLSX hỏng: không mở được phần %s (%s)", name,
			zip_reason(zip_error_code_zip(zip_get_error(x->z)))));
		return -1;
	}
	if (found) *found = true;
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p) fatal("out of memory (expat)");
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	x->p = p;
	x->part = name;
	char *chunk = xmalloc(CHUNK);
	uint64_t part_bytes = 0;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, CHUNK);
		if (n < 0) {
			fail(x, import_msg("Tệp XLSX hỏng: lỗi giải nén phần %s (%s)", name,
				zip_reason(zip_error_code_zip(zip_file_get_error(f)))));
			break;
		}
		part_bytes += (uint64_t)n;
		x->unzipped += (uint64_t)n;
		if (part_bytes > st.size || x->unzipped > x->lim->max_unzipped_bytes) {
			fail(x, import_msg("Tệp XLSX bị từ chối: phần %s giải nén ra nhiều hơn kích thước "
				"khai báo hoặc quá giới hạn — có thể là \"bom nén\" (zip bomb)", name));
			break;
		}
		if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (!x->err) {
				/* bytes that are not UTF-8 (or a control character):
				 * say where in the sheet, not only where in the XML */
				char where[96] = "";
				if (XML_GetErrorCode(p) == XML_ERROR_INVALID_TOKEN && x->in_row)
					snprintf(where, sizeof where, " — văn bản không phải UTF-8 hợp lệ ở dòng %zu của trang tính", x->row);
				else if (XML_GetErrorCode(p) == XML_ERROR_INVALID_TOKEN && x->in_si)
					snprintf(where, sizeof where, " — văn bản không phải UTF-8 hợp lệ ở chuỗi dùng chung thứ %zu", x->nsst + 1);
				fail(x, import_msg("Tệp XLSX hỏng: lỗi XML trong %s, dòng %lu, cột %lu: %s%s", name,
					(unsigned long)XML_GetCurrentLineNumber(p),
					(unsigned long)XML_GetCurrentColumnNumber(p),
					XML_ErrorString(XML_GetErrorCode(p)), where));
			}
			break;
		}
		if (n == 0) break;
	}
	free(chunk);
	x->p = NULL;
	XML_ParserFree(p);
	zip_fclose(f);
	return x->err ? -1 : 0;
}

/* ---- Relationships ---------------------------------------------------- */

static void XMLCALL package_rel_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = ud;
	if (strcmp(local(name), "Relationship") != 0 || x->workbook) return;
	const char *type = attr(atts, "Type"), *target = attr(atts, "Target");
	if (type && target && ends_with(type, "/officeDocument")) x->workbook = resolve("", target);
}

static void XMLCALL workbook_rel_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = ud;
	if (strcmp(local(name), "Relationship") != 0) return;
	if (++x->nrels > MAX_RELS) {
		fail(x, import_msg("Tệp XLSX không hợp lệ: quá nhiều quan hệ trong %s", x->part));
		return;
	}
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
	const char *mode = attr(atts, "TargetMode");
	if (!id || !type || !target || (mode && !strcmp(mode, "External"))) return;
	if (x->want_rid && !strcmp(id, x->want_rid) && !x->sheet_path) {
		x->sheet_path = resolve(x->rel_dir, target);
		x->sheet_is_worksheet = ends_with(type, "/worksheet");
	}
	if (ends_with(type, "/sharedStrings") && !x->sst_path) x->sst_path = resolve(x->rel_dir, target);
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
	(void)ud, (void)name;
}

/* ---- workbook.xml ----------------------------------------------------- */

static void XMLCALL workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = ud;
	if (strcmp(local(name), "sheet") != 0) return;
	if (x->nsheets >= MAX_SHEETS) {
		fail(x, import_msg("Tệp XLSX có quá %d trang tính", MAX_SHEETS));
		return;
	}
	const char *sname = attr(atts, "name"), *rid = attr(atts, "id"), *state = attr(atts, "state");
	if (!rid) return;
	if (!x->sheets) x->sheets = xcalloc(MAX_SHEETS, sizeof *x->sheets);
	sheet_ref *s = &x->sheets[x->nsheets++];
	s->name = xstrdup(sname ? sname : "");
	s->rid = xstrdup(rid);
	s->hidden = state && strcmp(state, "visible") != 0;
}

/* ---- sharedStrings.xml ------------------------------------------------ */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	xlsx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "si")) {
		x->in_si = true;
		buf_reset(&x->text);
	} else if (!strcmp(n, "rPh")) {
		x->rph_depth++;
	} else if (!strcmp(n, "t") && x->in_si) {
		x->collecting = true;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	xlsx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "t")) {
		x->collecting = false;
	} else if (!strcmp(n, "rPh")) {
		if (x->rph_depth > 0) x->rph_depth--;
	} else if (!strcmp(n, "si") && x->in_si) {
		x->in_si = false;
		if (x->nsst >= x->lim->max_cells) {
			fail(x, import_msg("Tệp XLSX có quá nhiều chuỗi dùng chung"));
			return;
		}
		if (x->nsst == x->sst_cap) {
			x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 256;
			x->sst = xrealloc(x->sst, x->sst_cap * sizeof *x->sst);
			x->sst_fix = xrealloc(x->sst_fix, x->sst_cap * sizeof *x->sst_fix);
		}
		x->sst[x->nsst] = import_text_clean(x->t->a, buf_str(&x->text), x->text.len, true,
			&x->sst_fix[x->nsst]);
		x->nsst++;
	}
}

/* ---- The worksheet ---------------------------------------------------- */

/* "C12" → column 2 (0-based) and row 12; false when malformed. */
static bool parse_ref(const char *r, size_t *col, size_t *row)
{
	size_t c = 0, n = 0, letters = 0;
	while (*r >= 'A' && *r <= 'Z' && letters < 4) {
		c = c * 26 + (size_t)(*r++ - 'A' + 1);
		letters++;
	}
	if (letters == 0 || c > 16384) return false;
	size_t digits = 0;
	while (*r >= '0' && *r <= '9' && digits < 8) {
		n = n * 10 + (size_t)(*r++ - '0');
		digits++;
	}
	if (*r || digits == 0 || n == 0) return false;
	*col = c - 1;
	*row = n;
	return true;
}

static bool parse_uint(const char *s, size_t max, size_t *out)
{
	size_t v = 0;
	if (!*s) return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9') return false;
		v = v * 10 + (size_t)(*s - '0');
		if (v > max) return false;
	}
	*out = v;
	return true;
}

/* A number's text as people typed it: "79760101" for 79760101, also when
 * the writer stored "79760101.0" or "7.9760101E7". Other numbers keep
 * the writer's text ("0.5"). Exact and locale-free: digits are moved,
 * never converted through a double. */
static char *number_text(arena *a, const char *s)
{
	const char *p = s;
	bool neg = *p == '-';
	if (neg || *p == '+') p++;
	char digits[64];
	size_t nd = 0, point = 0;
	bool seen_point = false;
	for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
		if (*p == '.') {
			if (seen_point) return arena_strdup(a, s);
			seen_point = true;
			continue;
		}
		if (nd >= sizeof digits - 1) return arena_strdup(a, s);
		digits[nd++] = *p;
		if (!seen_point) point++;
	}
	if (nd == 0) return arena_strdup(a, s);
	long exp = 0;
	if (*p == 'E' || *p == 'e') {
		p++;
		bool eneg = *p == '-';
		if (*p == '-' || *p == '+') p++;
		if (!(*p >= '0' && *p <= '9')) return arena_strdup(a, s);
		for (; *p >= '0' && *p <= '9'; p++) {
			exp = exp * 10 + (*p - '0');
			if (exp > 100) return arena_strdup(a, s);
		}
		if (eneg) exp = -exp;
	}
	if (*p) return arena_strdup(a, s);
	long pos = (long)point + exp;    /* digits before the decimal point */
	if (pos < 0 || pos > 20) return arena_strdup(a, s);
	for (size_t i = (size_t)pos; i < nd; i++)
		if (digits[i] != '0') return arena_strdup(a, s);   /* has a fraction */
	char out[32];
	size_t o = 0;
	for (long i = 0; i < pos; i++) {
		char d = (size_t)i < nd ? digits[i] : '0';
		if (o == 0 && d == '0') continue;   /* leading zeros */
		out[o++] = d;
	}
	if (o == 0) return arena_strdup(a, "0");
	out[o] = '\0';
	return neg ? arena_printf(a, "-%s", out) : arena_strdup(a, out);
}

/* A merged range "A2:C5" (fw_import reads merged annex tables). Ranges
 * that do not parse are passed over: the cells' own text still stands. */
static void add_merge(xlsx *x, const char *ref)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;
	if (!colon || colon - ref >= 16) return;
	char a[16];
	memcpy(a, ref, (size_t)(colon - ref));
	a[colon - ref] = '\0';
	import_merge m;
	if (!parse_ref(a, &m.c1, &m.r1) || !parse_ref(colon + 1, &m.c2, &m.r2) || m.r2 < m.r1 || m.c2 < m.c1) return;
	import_table *t = x->t;
	if (t->nmerges >= MAX_MERGES) {
		fail(x, import_msg("Tệp XLSX có quá nhiều vùng ô gộp (tối đa %d)", MAX_MERGES));
		return;
	}
	if (t->nmerges == t->capmerges) {
		t->capmerges = t->capmerges ? t->capmerges * 2 : 32;
		import_merge *v = arena_alloc(t->a, t->capmerges * sizeof *v);
		if (t->nmerges) memcpy(v, t->merges, t->nmerges * sizeof *v);
		t->merges = v;
	}
	t->merges[t->nmerges++] = m;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = ud;
	if (x->err) return;
	const char *n = local(name);
	if (!strcmp(n, "row")) {
		const char *r = attr(atts, "r");
		size_t row;
		if (r) {
			if (!parse_uint(r, 1048576, &row) || row == 0) {
				fail(x, import_msg("Tệp XLSX hỏng: số dòng không hợp lệ '%s'", r));
				return;
			}
		} else {
			row = x->last_row + 1;
		}
		x->in_row = true;
		x->row = row;
		x->ncells = 0;
		x->last_col = 0;
	} else if (!strcmp(n, "mergeCell") && !x->in_row) {
		add_merge(x, attr(atts, "ref"));
	} else if (!strcmp(n, "c") && x->in_row) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		size_t col = x->last_col, row;
		if (r) {
			if (!parse_ref(r, &col, &row)) {
				fail(x, import_msg("Tệp XLSX hỏng: tham chiếu ô không hợp lệ '%.20s' ở dòng %zu",
					r, x->row));
				return;
			}
			snprintf(x->cref, sizeof x->cref, "%s", r);
		} else {
			snprintf(x->cref, sizeof x->cref, "#%zu/%zu", x->row, col + 1);
		}
		x->col = col;
		x->in_cell = true;
		x->ctype = CT_NUMBER;
		if (t) {
			if (!strcmp(t, "s")) x->ctype = CT_SHARED;
			else if (!strcmp(t, "inlineStr")) x->ctype = CT_INLINE;
			else if (!strcmp(t, "b")) x->ctype = CT_BOOL;
			else if (!strcmp(t, "e")) x->ctype = CT_ERROR;
			else if (!strcmp(t, "str") || !strcmp(t, "d")) x->ctype = CT_STR;
		}
		buf_reset(&x->text);
	} else if (!x->in_cell) {
		return;
	} else if (!strcmp(n, "v")) {
		buf_reset(&x->text);
		x->collecting = true;
	} else if (!strcmp(n, "is")) {
		x->in_is = true;
		buf_reset(&x->text);
	} else if (!strcmp(n, "rPh")) {
		x->rph_depth++;
	} else if (!strcmp(n, "t") && x->in_is) {
		x->collecting = true;
	}
}

static void place_cell(xlsx *x, char *text, import_fix fix)
{
	if (!text[0]) return;
	if (x->col >= x->lim->max_cols) {
		fail(x, import_msg("Ô %s nằm ngoài giới hạn %zu cột", x->cref, x->lim->max_cols));
		return;
	}
	if (x->col >= x->cells_cap) {
		size_t cap = x->cells_cap ? x->cells_cap : 16;
		while (cap <= x->col) cap *= 2;
		x->cells = xrealloc(x->cells, cap * sizeof *x->cells);
		x->cells_cap = cap;
	}
	while (x->ncells <= x->col) x->cells[x->ncells++] = x->empty;
	x->cells[x->col] = text;
	import_table_count(x->t, text, fix);
}

static void end_cell(xlsx *x)
{
	x->in_cell = x->in_is = x->collecting = false;
	x->last_col = x->col + 1;
	const char *raw = buf_str(&x->text);
	import_fix fix = { false, VN_ENC_UTF8, false };
	if (!raw[0]) return;
	char *text;
	switch (x->ctype) {
	case CT_SHARED: {
		size_t i;
		if (!parse_uint(raw, SIZE_MAX / 2, &i) || i >= x->nsst) {
			fail(x, import_msg("Tệp XLSX hỏng: ô %s trỏ tới chuỗi dùng chung số %.20s không tồn tại",
				x->cref, raw));
			return;
		}
		text = x->sst[i];
		fix = x->sst_fix[i];
		break;
	}
	case CT_INLINE:
	case CT_STR:
		text = import_text_clean(x->t->a, raw, x->text.len, true, &fix);
		break;
	case CT_BOOL:
		text = arena_strdup(x->t->a, !strcmp(raw, "0") ? "FALSE" : "TRUE");
		break;
	case CT_ERROR:
		text = import_text_clean(x->t->a, raw, x->text.len, false, &fix);
		break;
	case CT_NUMBER:
	default:
		text = number_text(x->t->a, raw);
		break;
	}
	place_cell(x, text, fix);
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	xlsx *x = ud;
	if (x->err) return;
	const char *n = local(name);
	if (!strcmp(n, "c") && x->in_cell) {
		end_cell(x);
	} else if (!strcmp(n, "v") || !strcmp(n, "t")) {
		x->collecting = false;
	} else if (!strcmp(n, "rPh")) {
		if (x->rph_depth > 0) x->rph_depth--;
	} else if (!strcmp(n, "row") && x->in_row) {
		x->in_row = false;
		x->last_row = x->row;
		if (x->ncells == 0) return;
		char **row = arena_alloc(x->t->a, x->ncells * sizeof *row);
		memcpy(row, x->cells, x->ncells * sizeof *row);
		char *err = NULL;
		if (import_table_add(x->t, x->row, row, x->ncells, x->lim, &err)) fail(x, err);
	}
}

/* ---- The workbook ----------------------------------------------------- */

static int read_workbook(xlsx *x)
{
	bool found;
	if (read_part(x, "_rels/.rels", package_rel_start, no_end, &found)) return -1;
	if (!x->workbook) {
		if (zip_name_locate(x->z, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0) {
			x->workbook = xstrdup("xl/workbook.xml");
		} else if (zip_name_locate(x->z, "content.xml", 0) >= 0) {
			fail(x, import_msg("Tệp là bảng tính OpenDocument (.ods), không phải XLSX: hãy lưu "
				"lại dưới dạng .xlsx hoặc CSV UTF-8"));
			return -1;
		} else {
			fail(x, import_msg("Tệp nén không phải bảng tính XLSX (không có xl/workbook.xml)"));
			return -1;
		}
	}
	if (read_part(x, x->workbook, workbook_start, no_end, NULL)) return -1;
	if (x->nsheets == 0) {
		fail(x, import_msg("Tệp XLSX không có trang tính nào"));
		return -1;
	}
	x->rel_dir = dir_of(x->workbook);
	const char *base = strrchr(x->workbook, '/');
	base = base ? base + 1 : x->workbook;
	char *rels = import_msg("%s_rels/%s.rels", x->rel_dir, base);
	/* The first visible worksheet (a chart sheet or a hidden sheet in
	 * front is passed over); the first sheet if every one is hidden. */
	int rc = -1;
	for (int pass = 0; pass < 2 && rc; pass++) {
		for (size_t i = 0; i < x->nsheets; i++) {
			if (pass == 0 && x->sheets[i].hidden) continue;
			free(x->sheet_path);
			free(x->sst_path);
			x->sheet_path = x->sst_path = NULL;
			x->want_rid = x->sheets[i].rid;
			x->nrels = 0;
			if (read_part(x, rels, workbook_rel_start, no_end, NULL)) goto out;
			if (x->sheet_path && x->sheet_is_worksheet) {
				x->t->sheet = arena_strdup(x->t->a, x->sheets[i].name);
				rc = 0;
				break;
			}
		}
	}
	if (rc) fail(x, import_msg("Tệp XLSX không có trang tính dữ liệu (worksheet) nào đọc được"));
out:
	free(rels);
	return rc;
}

int import_xlsx_parse(const void *data, size_t len, const import_limits *lim,
                      import_table *out, char **err)
{
	*err = NULL;
	import_table_init(out, IMPORT_XLSX);
	if (len > lim->max_file_bytes) {
		*err = import_msg("Tệp quá lớn: %zu byte (tối đa %zu MB)", len,
			lim->max_file_bytes / ((size_t)1024 * 1024));
		import_table_free(out);
		return -1;
	}
	xlsx x;
	memset(&x, 0, sizeof x);
	x.lim = lim;
	x.t = out;
	x.empty = arena_strdup(out->a, "");
	buf_init(&x.text);

	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src) {
		x.z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
		if (!x.z) zip_source_free(src);
	}
	if (!x.z) {
		int code = zip_error_code_zip(&ze);
		/* A zip that starts right but has no central directory at its end
		 * was cut short (an interrupted download or copy). */
		if (code == ZIP_ER_NOZIP && len >= 4 && !memcmp(data, "PK\3\4", 4)) code = ZIP_ER_EOF;
		x.err = import_msg("Tệp không phải XLSX hợp lệ: %s (%s)", zip_reason(code),
			zip_error_strerror(&ze));
	}
	zip_error_fini(&ze);

	if (x.z && read_workbook(&x) == 0) {
		bool found;
		if (x.sst_path) read_part(&x, x.sst_path, sst_start, sst_end, &found);
		x.collecting = false;
		x.rph_depth = 0;
		if (!x.err) read_part(&x, x.sheet_path, sheet_start, sheet_end, NULL);
	}

	if (x.z) zip_discard(x.z);
	for (size_t i = 0; i < x.nsheets; i++) {
		free(x.sheets[i].name);
		free(x.sheets[i].rid);
	}
	free(x.sheets);
	free(x.workbook);
	free(x.rel_dir);
	free(x.sheet_path);
	free(x.sst_path);
	free(x.sst);
	free(x.sst_fix);
	free(x.cells);
	buf_free(&x.text);
	if (x.err) {
		*err = x.err;
		import_table_free(out);
		return -1;
	}
	return 0;
}
