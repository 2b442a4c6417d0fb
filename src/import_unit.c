/* import_unit.c — the unit list of an office into the store
 * (import_unit.h). The recognising of headers, types and public/private
 * cells is pure; validation needs the database only to look up codes
 * that are not in the file; writing goes through q_unit.h, so the SQL and
 * the audit trail stay there. */
#include "import_unit.h"
#include "q_unit.h"
#include "q_unit_bulk.h"
#include "util.h"
#include "vn.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Recognising cells ------------------------------------------------ */

/* The folded text with only letters and digits kept: "Phòng GD&ĐT" →
 * "phonggddt", "Mã đơn vị (*)" → "madonvi". malloc'd. */
static char *compact(const char *s)
{
	char *f = vn_fold(s ? s : "");
	if (!f) return xstrdup("");
	char *w = f;
	for (const char *r = f; *r; r++)
		if ((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9')) *w++ = *r;
	*w = '\0';
	return f;
}

/* The same with parenthesised parts and '*' removed: "Mã trường (bắt
 * buộc)" → "matruong". */
static char *compact_bare(const char *s)
{
	buf b;
	buf_init(&b);
	int depth = 0;
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '(' || *p == '[') depth++;
		else if ((*p == ')' || *p == ']') && depth > 0) depth--;
		else if (!depth && *p != '*') buf_putc(&b, *p);
	}
	char *c = compact(buf_str(&b));
	buf_free(&b);
	return c;
}

static const char *const col_labels[IU_NCOLS] = {
	[IU_CODE] = "Mã đơn vị", [IU_NAME] = "Tên đơn vị", [IU_TYPE] = "Loại hình",
	[IU_LEVELS] = "Các cấp học", [IU_PARENT] = "Mã đơn vị quản lý",
	[IU_EVALUATOR] = "Mã đơn vị đánh giá", [IU_ADDRESS] = "Địa chỉ",
	[IU_PUBLIC] = "Công lập/Tư thục",
};

static const struct { const char *key; import_unit_col col; } header_names[] = {
	{ "madonvi", IU_CODE }, { "matruong", IU_CODE }, { "ma", IU_CODE }, { "madv", IU_CODE },
	{ "macosogiaoduc", IU_CODE }, { "macsgd", IU_CODE }, { "macoso", IU_CODE },
	{ "madonvitruong", IU_CODE }, { "code", IU_CODE },
	{ "tendonvi", IU_NAME }, { "tentruong", IU_NAME }, { "ten", IU_NAME }, { "tendv", IU_NAME },
	{ "tencosogiaoduc", IU_NAME }, { "tencoso", IU_NAME }, { "tendonvitruong", IU_NAME },
	{ "name", IU_NAME },
	{ "loaihinh", IU_TYPE }, { "caphoc", IU_TYPE }, { "loaidonvi", IU_TYPE },
	{ "loai", IU_TYPE }, { "loaihinhdonvi", IU_TYPE }, { "loaicosogiaoduc", IU_TYPE },
	{ "type", IU_TYPE },
	{ "caccaphoc", IU_LEVELS }, { "caphocliencap", IU_LEVELS }, { "caphoccuatruongliencap", IU_LEVELS },
	{ "levels", IU_LEVELS },
	{ "madonviquanly", IU_PARENT }, { "donviquanly", IU_PARENT }, { "madvquanly", IU_PARENT },
	{ "donvichuquan", IU_PARENT }, { "madonvichuquan", IU_PARENT }, { "coquanquanly", IU_PARENT },
	{ "macoquanquanly", IU_PARENT }, { "coquanchuquan", IU_PARENT }, { "tructhuoc", IU_PARENT },
	{ "madonvicaptren", IU_PARENT }, { "donvicaptren", IU_PARENT }, { "macaptren", IU_PARENT },
	{ "parent", IU_PARENT },
	{ "madonvidanhgia", IU_EVALUATOR }, { "donvidanhgia", IU_EVALUATOR },
	{ "madvdanhgia", IU_EVALUATOR }, { "coquandanhgia", IU_EVALUATOR },
	{ "donvidanhgiangoai", IU_EVALUATOR }, { "evaluator", IU_EVALUATOR },
	{ "diachi", IU_ADDRESS }, { "address", IU_ADDRESS },
	{ "conglaptuthuc", IU_PUBLIC }, { "loaitruong", IU_PUBLIC }, { "conglap", IU_PUBLIC },
	{ "conglapngoaiconglap", IU_PUBLIC }, { "conglapdanlaptuthuc", IU_PUBLIC },
	{ "conglaptuthucdanlap", IU_PUBLIC }, { "public", IU_PUBLIC },
};

static int header_lookup(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(header_names); i++)
		if (!strcmp(key, header_names[i].key)) return (int)header_names[i].col;
	return -1;
}

int import_unit_header(const char *cell)
{
	char *k = compact(cell);
	int c = header_lookup(k);
	free(k);
	if (c < 0) {
		k = compact_bare(cell);
		c = header_lookup(k);
		free(k);
	}
	return c;
}

/* School levels in school order, as stored for liên cấp. */
static const char *const level_codes[] = { "mam_non", "tieu_hoc", "thcs", "thpt" };

static const struct { const char *words; int level; } level_names[] = {
	{ "trung hoc co so", 2 }, { "trung hoc pho thong", 3 },
	{ "mam non", 0 }, { "mau giao", 0 }, { "nha tre", 0 }, { "tieu hoc", 1 },
	{ "cap 1", 1 }, { "cap 2", 2 }, { "cap 3", 3 }, { "cap i", 1 }, { "cap ii", 2 },
	{ "cap iii", 3 },
	{ "mn", 0 }, { "mg", 0 }, { "th", 1 }, { "thcs", 2 }, { "thpt", 3 },
	{ "c1", 1 }, { "c2", 2 }, { "c3", 3 },
};
/* Words that may stand around the levels: "Liên cấp", "Trường phổ thông
 * nhiều cấp học", "Tiểu học và THCS", "các cấp". */
static const char *const level_filler[] = {
	"lien", "cap", "truong", "pho", "thong", "nhieu", "hoc", "va", "cac", "gom", "co", "so",
};

/* Does the word list at w match the space-separated phrase? Returns the
 * number of words matched, 0 for none. */
static size_t match_phrase(char **w, size_t nw, const char *phrase)
{
	size_t k = 0;
	const char *p = phrase;
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (k >= nw || strlen(w[k]) != len || strncmp(w[k], p, len) != 0) return 0;
		k++;
		p += len;
		if (*p == ' ') p++;
	}
	return k;
}

bool import_unit_levels(const char *cell, char levels[64])
{
	levels[0] = '\0';
	char *f = vn_fold(cell ? cell : "");
	if (!f) return false;
	/* Words of letters and digits; everything else separates. */
	char *words[64];
	size_t nw = 0;
	for (char *p = f; *p && nw < ARRAY_LEN(words);) {
		while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) p++;
		if (!*p) break;
		words[nw++] = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) p++;
		if (*p) *p++ = '\0';
	}
	unsigned seen = 0;
	bool ok = nw > 0;
	for (size_t i = 0; i < nw && ok;) {
		size_t m = 0;
		for (size_t k = 0; k < ARRAY_LEN(level_names) && !m; k++) {
			m = match_phrase(words + i, nw - i, level_names[k].words);
			if (m) seen |= 1u << level_names[k].level;
		}
		for (size_t k = 0; k < ARRAY_LEN(level_filler) && !m; k++)
			if (!strcmp(words[i], level_filler[k])) m = 1;
		if (!m) ok = false;
		i += m;
	}
	free(f);
	if (!ok || !seen) return false;
	size_t o = 0;
	for (size_t k = 0; k < ARRAY_LEN(level_codes); k++) {
		if (!(seen & (1u << k))) continue;
		o += (size_t)snprintf(levels + o, 64 - o, "%s%s", o ? "," : "", level_codes[k]);
	}
	return true;
}

static const struct { const char *key, *type; } type_names[] = {
	{ "bo", "bo" }, { "bogddt", "bo" }, { "bogiaoducvadaotao", "bo" }, { "bogiaoduc", "bo" },
	{ "so", "so" }, { "sogddt", "so" }, { "sogiaoducvadaotao", "so" }, { "sogiaoduc", "so" },
	{ "sgddt", "so" }, { "sgd", "so" },
	{ "phong", "phong" }, { "phonggddt", "phong" }, { "phonggiaoducvadaotao", "phong" },
	{ "phonggiaoduc", "phong" }, { "phonggd", "phong" }, { "pgddt", "phong" }, { "pgd", "phong" },
	{ "ubndxa", "ubnd_xa" }, { "ubndphuong", "ubnd_xa" }, { "ubndxaphuong", "ubnd_xa" },
	{ "ubndtinh", "ubnd_tinh" }, { "uybannhandantinh", "ubnd_tinh" },
	{ "ubndphuongxa", "ubnd_xa" }, { "ubndcapxa", "ubnd_xa" }, { "ubnddackhu", "ubnd_xa" },
	{ "ubndxaphuongdackhu", "ubnd_xa" }, { "ubndthitran", "ubnd_xa" },
	{ "uybannhandanxa", "ubnd_xa" }, { "uybannhandanphuong", "ubnd_xa" },
	{ "uybannhandancapxa", "ubnd_xa" }, { "uybannhandanxaphuong", "ubnd_xa" },
	{ "mamnon", "mam_non" }, { "mn", "mam_non" }, { "maugiao", "mam_non" }, { "mg", "mam_non" },
	{ "nhatre", "mam_non" }, { "nhomtre", "mam_non" }, { "nhomtredoclap", "mam_non" },
	{ "lopmaugiaodoclap", "mam_non" }, { "giaoducmamnon", "mam_non" },
	{ "tieuhoc", "tieu_hoc" }, { "th", "tieu_hoc" }, { "cap1", "tieu_hoc" },
	{ "thcs", "thcs" }, { "trunghoccoso", "thcs" }, { "cap2", "thcs" },
	{ "thpt", "thpt" }, { "trunghocphothong", "thpt" }, { "cap3", "thpt" },
	{ "gdtx", "gdtx" }, { "giaoducthuongxuyen", "gdtx" }, { "ttgdtx", "gdtx" },
	{ "gdnngdtx", "gdtx" }, { "ttgdnngdtx", "gdtx" },
	{ "giaoducnghenghiepgiaoducthuongxuyen", "gdtx" },
};

static const char *type_lookup(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(type_names); i++)
		if (!strcmp(key, type_names[i].key)) return type_names[i].type;
	return NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

const char *import_unit_type(const char *cell, char levels[64])
{
	levels[0] = '\0';
	char *k = compact(cell);
	const char *type = NULL;
	if (!*k) goto out;
	if (starts_with(k, "liencap") || strstr(k, "nhieucaphoc")) {
		if (!import_unit_levels(cell, levels)) levels[0] = '\0';
		type = "lien_cap";
		goto out;
	}
	type = type_lookup(k);
	/* "Trường THCS", "Trung tâm GDTX", "Cấp Tiểu học". */
	static const char *const prefixes[] = { "truong", "trungtam", "tt", "cap" };
	for (size_t i = 0; i < ARRAY_LEN(prefixes) && !type; i++)
		if (starts_with(k, prefixes[i]) && k[strlen(prefixes[i])])
			type = type_lookup(k + strlen(prefixes[i]));
	if (type) goto out;
	/* Two or more levels named: "TH&THCS", "THCS - THPT", "Tiểu học và THCS". */
	char lv[64];
	if (import_unit_levels(cell, lv)) {
		if (strchr(lv, ',')) {
			memcpy(levels, lv, sizeof lv);
			type = "lien_cap";
		} else {
			type = lv[0] == 'm' ? "mam_non" : !strcmp(lv, "tieu_hoc") ? "tieu_hoc"
			     : !strcmp(lv, "thcs") ? "thcs" : "thpt";
		}
	}
out:
	free(k);
	return type;
}

bool import_unit_public(const char *cell, bool *ok)
{
	static const char *const yes[] = { "", "conglap", "cl", "co", "x", "1", "true", "yes", "cong" };
	static const char *const no[] = {
		"tuthuc", "tt", "danlap", "dl", "ngoaiconglap", "ncl", "khong", "0", "false", "no",
		"tu", "tuthucdanlap", "danlaptuthuc", "quocte", "tuthucquocte",
	};
	char *k = compact(cell);
	bool v = true;
	*ok = false;
	for (size_t i = 0; i < ARRAY_LEN(yes) && !*ok; i++)
		if (!strcmp(k, yes[i])) *ok = true;
	for (size_t i = 0; i < ARRAY_LEN(no) && !*ok; i++)
		if (!strcmp(k, no[i])) {
			*ok = true;
			v = false;
		}
	free(k);
	return v;
}

/* ---- A map from code to row ------------------------------------------- */

typedef struct code_map {
	const char **keys;
	size_t *vals;
	size_t cap;   /* a power of two, at least twice the entries */
} code_map;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void map_init(code_map *m, size_t n)
{
	m->cap = 16;
	while (m->cap < n * 2) m->cap *= 2;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
}

static void map_free(code_map *m)
{
	free(m->keys);
	free(m->vals);
}

/* Finds key; when absent and insert is true, adds it with val. Returns the
 * slot's value pointer, or NULL when absent and not inserted. */
static size_t *map_get(code_map *m, const char *key, bool insert, size_t val)
{
	size_t i = (size_t)hash_str(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key)) return &m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (!insert) return NULL;
	m->keys[i] = key;
	m->vals[i] = val;
	return &m->vals[i];
}

/* ---- Rows -------------------------------------------------------------- */

typedef struct plan_row {
	size_t line;
	const char *code, *name, *type, *address, *parent, *evaluator;
	char levels[64];
	bool is_public;
	bool bad;
	/* The related units: a row of the file (index + 1) or a stored unit. */
	size_t parent_row, eval_row;
	int64_t parent_id, eval_id;
	int64_t id;    /* after saving */
} plan_row;

typedef struct plan {
	import_unit_result *r;
	plan_row *rows;
	size_t n;
	code_map codes;
	db *d;
	arena *scratch;
} plan;

static void add_error(import_unit_result *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_error(import_unit_result *r, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf b;
	buf_init(&b);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (r->nerrors == r->errors_cap) {
		r->errors_cap = r->errors_cap ? r->errors_cap * 2 : 32;
		import_unit_error *e = arena_alloc(r->a, r->errors_cap * sizeof *e);
		if (r->nerrors) memcpy(e, r->errors, r->nerrors * sizeof *e);
		r->errors = e;
	}
	r->errors[r->nerrors++] = (import_unit_error){ line, arena_strdup(r->a, buf_str(&b)) };
	buf_free(&b);
}

static void add_note(import_unit_result *r, const char *text)
{
	if (r->nnotes == r->notes_cap) {
		r->notes_cap = r->notes_cap ? r->notes_cap * 2 : 8;
		char **n = arena_alloc(r->a, r->notes_cap * sizeof *n);
		if (r->nnotes) memcpy(n, r->notes, r->nnotes * sizeof *n);
		r->notes = n;
	}
	r->notes[r->nnotes++] = arena_strdup(r->a, text);
}

/* "A", "B", …, "Z", "AA": the column letters of 0-based index i. */
static void col_letters(size_t i, char out[8])
{
	char tmp[8];
	size_t n = 0;
	i++;
	while (i > 0 && n < 7) {
		tmp[n++] = (char)('A' + (i - 1) % 26);
		i = (i - 1) / 26;
	}
	for (size_t k = 0; k < n; k++) out[k] = tmp[n - 1 - k];
	out[n] = '\0';
}

static const char *cell_at(const import_row *row, int col)
{
	return col >= 0 && (size_t)col < row->ncells ? row->cells[col] : "";
}

/* The cell trimmed, its line breaks and tabs made spaces and runs of
 * spaces made one (names typed with Alt+Enter or pasted from Word). */
static char *tidy(arena *a, const char *s)
{
	size_t len = strlen(s);
	char *out = arena_alloc(a, len + 1), *o = out;
	bool space = true;   /* drops leading spaces */
	for (const char *p = s; *p; p++) {
		bool ws = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
		bool nbsp = (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0;
		if (ws || nbsp) {
			if (nbsp) p++;
			if (!space) *o++ = ' ';
			space = true;
		} else {
			*o++ = *p;
			space = false;
		}
	}
	if (o > out && o[-1] == ' ') o--;
	*o = '\0';
	return out;
}

/* The first character no unit text may hold: control characters, C1
 * controls, U+FFFD (what undecodable bytes became) and invalid UTF-8.
 * Returns its code point, or 0 when the text is clean. */
static unsigned bad_char(const char *s)
{
	size_t len = strlen(s);
	if (!vn_utf8_valid(s, len, NULL)) return 0xFFFD;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n;
		if (p[i] < 0x80) { cp = p[i]; n = 1; }
		else if (p[i] < 0xE0) { cp = (p[i] & 0x1Fu) << 6 | (p[i + 1] & 0x3Fu); n = 2; }
		else if (p[i] < 0xF0) {
			cp = (p[i] & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
			n = 3;
		} else {
			cp = (p[i] & 0x07u) << 18 | (p[i + 1] & 0x3Fu) << 12 | (p[i + 2] & 0x3Fu) << 6 |
			     (p[i + 3] & 0x3Fu);
			n = 4;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD ||
		    (cp >= 0xE000 && cp <= 0xF8FF))
			return cp ? cp : 0xFFFD;
		i += n;
	}
	return 0;
}

static bool code_ok(const char *c)
{
	if (!*c || strlen(c) > 40) return false;
	for (; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      *c == '.' || *c == '-' || *c == '_'))
			return false;
	return true;
}

static const char *type_label(const char *type)
{
	static const struct { const char *code, *label; } labels[] = {
		{ "bo", "Bộ GD&ĐT" }, { "so", "Sở GD&ĐT" }, { "phong", "Phòng GD&ĐT" },
		{ "ubnd_xa", "UBND xã" }, { "ubnd_tinh", "UBND tỉnh" }, { "mam_non", "Mầm non" }, { "tieu_hoc", "Tiểu học" },
		{ "thcs", "THCS" }, { "thpt", "THPT" }, { "lien_cap", "Liên cấp" }, { "gdtx", "GDTX" },
	};
	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (!strcmp(type, labels[i].code)) return labels[i].label;
	return type;
}

/* ---- Header ------------------------------------------------------------ */

enum { HEADER_SCAN = 20 };

/* Finds the header among the first rows: the first row naming both the
 * code and the name column. Returns its index in t->rows, or -1. */
static long find_header(const import_table *t, import_unit_result *r)
{
	for (size_t i = 0; i < t->nrows && i < HEADER_SCAN; i++) {
		const import_row *row = &t->rows[i];
		int col[IU_NCOLS];
		for (size_t k = 0; k < IU_NCOLS; k++) col[k] = -1;
		for (size_t c = 0; c < row->ncells; c++) {
			int f = import_unit_header(row->cells[c]);
			if (f == IU_TYPE && col[IU_TYPE] >= 0) {
				/* "Loại hình" and "Cấp học" both present: the second
				 * names the levels of a liên cấp school. */
				char *k = compact_bare(row->cells[c]);
				if (!strcmp(k, "caphoc") && col[IU_LEVELS] < 0) f = IU_LEVELS;
				free(k);
			}
			if (f >= 0 && col[f] < 0) col[f] = (int)c;
		}
		if (col[IU_CODE] < 0 || col[IU_NAME] < 0) continue;
		memcpy(r->col, col, sizeof col);
		r->header_line = row->line;
		/* Tell which header cells were not used. */
		buf ignored;
		buf_init(&ignored);
		for (size_t c = 0; c < row->ncells; c++) {
			bool used = false;
			for (size_t k = 0; k < IU_NCOLS; k++) used |= col[k] == (int)c;
			if (used || !row->cells[c][0]) continue;
			char letters[8];
			col_letters(c, letters);
			buf_printf(&ignored, "%s%s (%s)", ignored.len ? ", " : "", row->cells[c], letters);
		}
		if (ignored.len) {
			buf note;
			buf_init(&note);
			buf_printf(&note, "Bỏ qua cột: %s", buf_str(&ignored));
			add_note(r, buf_str(&note));
			buf_free(&note);
		}
		buf_free(&ignored);
		return (long)i;
	}
	return -1;
}

/* ---- Validation -------------------------------------------------------- */

static bool check_text(import_unit_result *r, size_t line, import_unit_col c, const char *v)
{
	unsigned cp = bad_char(v);
	if (!cp) return true;
	add_error(r, line, "cột '%s' có ký tự không hợp lệ (U+%04X)%s", col_labels[c], cp,
		cp == 0xFFFD ? " — có thể do sai bảng mã khi lưu tệp" : "");
	return false;
}

/* Resolves a related unit (parent or evaluator) written as a code — or,
 * failing that, as the exact name of one unit in the file or the store.
 * Sets *row (1-based index into the plan) or *id. */
static bool resolve_related(plan *p, plan_row *pr, import_unit_col c, const char *v,
                            size_t *row, int64_t *id)
{
	import_unit_result *r = p->r;
	const char *what = c == IU_PARENT ? "đơn vị quản lý" : "đơn vị đánh giá";
	*row = 0;
	*id = 0;
	const char *type = NULL;
	size_t *in_file = map_get(&p->codes, v, false, 0);
	if (in_file) {
		*row = *in_file + 1;
		type = p->rows[*in_file].type;
	} else {
		unit u;
		int rc = unit_find_code(p->d, v, p->scratch, &u);
		if (rc == DB_OK) {
			*id = u.id;
			type = u.type;
		} else if (rc != DB_ENOTFOUND) {
			add_error(r, pr->line, "không tra được %s '%s': %s", what, v, db_errmsg(p->d));
			return false;
		} else {
			db_clear_error(p->d);
		}
	}
	if (!*row && !*id && !code_ok(v)) {
		/* Not a code: perhaps the unit's name ("Phòng GD&ĐT Quận 7"). */
		char *want = vn_fold(v);
		size_t hits = 0;
		for (size_t i = 0; want && i < p->n; i++) {
			if (!p->rows[i].name) continue;
			char *f = vn_fold(p->rows[i].name);
			if (f && !strcmp(f, want)) {
				hits++;
				*row = i + 1;
				type = p->rows[i].type;
			}
			free(f);
		}
		if (!hits && want) {
			unit *found;
			size_t n;
			if (unit_search(p->d, v, NULL, 20, p->scratch, &found, &n) == DB_OK) {
				for (size_t i = 0; i < n; i++) {
					char *f = vn_fold(found[i].name);
					if (f && !strcmp(f, want)) {
						hits++;
						*id = found[i].id;
						type = found[i].type;
					}
					free(f);
				}
			}
		}
		free(want);
		if (hits > 1) {
			add_error(r, pr->line, "%s '%s': có %zu đơn vị cùng tên, hãy ghi mã đơn vị", what, v,
				hits);
			return false;
		}
	}
	if (!*row && !*id) {
		add_error(r, pr->line, "mã %s '%s' không có trong tệp và chưa có trong cơ sở dữ liệu",
			what, v);
		return false;
	}
	if ((*row && *row - 1 == (size_t)(pr - p->rows)) || (pr->code && !strcmp(v, pr->code))) {
		*row = 0;
		*id = 0;
		add_error(r, pr->line, "%s không thể là chính đơn vị này", what);
		return false;
	}
	if (type && unit_type_valid(type) && !unit_type_is_office(type)) {
		add_error(r, pr->line, "%s '%s' là trường học (%s), không phải cơ quan quản lý", what, v,
			type_label(type));
		return false;
	}
	return true;
}

/* Reads and checks every row; fills p->rows. */
static void validate(plan *p, const import_table *t, size_t first)
{
	import_unit_result *r = p->r;
	const int *col = r->col;
	arena *a = r->a;
	p->n = t->nrows - first;
	p->rows = xcalloc(p->n ? p->n : 1, sizeof *p->rows);
	map_init(&p->codes, p->n);
	r->rows = p->n;

	/* Pass 1: each row on its own, and the codes of the file. */
	for (size_t i = 0; i < p->n; i++) {
		const import_row *row = &t->rows[first + i];
		plan_row *pr = &p->rows[i];
		pr->line = row->line;
		size_t errs = r->nerrors;
		const char *v[IU_NCOLS];
		bool bad[IU_NCOLS];   /* reported already: no "missing" on top */
		for (size_t k = 0; k < IU_NCOLS; k++) {
			v[k] = tidy(a, cell_at(row, col[k]));
			bad[k] = !check_text(r, pr->line, (import_unit_col)k, v[k]);
			if (bad[k]) v[k] = "";
		}
		if (!v[IU_CODE][0]) {
			if (!bad[IU_CODE]) add_error(r, pr->line, "thiếu mã đơn vị");
		} else if (!code_ok(v[IU_CODE])) {
			add_error(r, pr->line, "mã đơn vị '%s' chỉ được gồm chữ cái không dấu, chữ số, dấu "
				"chấm, gạch ngang, gạch dưới (tối đa 40 ký tự)", v[IU_CODE]);
		} else {
			size_t *seen = map_get(&p->codes, v[IU_CODE], true, i);
			if (*seen != i)
				add_error(r, pr->line, "mã đơn vị '%s' trùng với dòng %zu", v[IU_CODE],
					p->rows[*seen].line);
			else
				pr->code = v[IU_CODE];
		}
		if (!v[IU_NAME][0]) {
			if (!bad[IU_NAME]) add_error(r, pr->line, "thiếu tên đơn vị");
		}
		else if (strlen(v[IU_NAME]) > 300) add_error(r, pr->line, "tên đơn vị quá dài (tối đa 300 byte)");
		else pr->name = v[IU_NAME];
		if (strlen(v[IU_ADDRESS]) > 500) add_error(r, pr->line, "địa chỉ quá dài (tối đa 500 byte)");
		else pr->address = v[IU_ADDRESS][0] ? v[IU_ADDRESS] : NULL;

		if (!v[IU_TYPE][0]) {
			if (!bad[IU_TYPE]) add_error(r, pr->line, "thiếu loại hình đơn vị");
		} else {
			pr->type = import_unit_type(v[IU_TYPE], pr->levels);
			if (!pr->type) {
				add_error(r, pr->line, "loại hình '%s' không rõ (dùng: Mầm non, Tiểu học, THCS, "
					"THPT, Liên cấp, GDTX, Phòng GD&ĐT, Sở GD&ĐT, UBND xã)", v[IU_TYPE]);
			} else if (!strcmp(pr->type, "lien_cap")) {
				if (v[IU_LEVELS][0] && !import_unit_levels(v[IU_LEVELS], pr->levels)) {
					add_error(r, pr->line, "các cấp học '%s' không rõ (ví dụ: Tiểu học, THCS)",
						v[IU_LEVELS]);
				} else if (!strchr(pr->levels, ',')) {
					add_error(r, pr->line, "trường liên cấp phải ghi rõ ít nhất hai cấp học, ví dụ "
						"'Liên cấp (Tiểu học, THCS)'");
				}
			}
		}
		bool ok;
		pr->is_public = import_unit_public(v[IU_PUBLIC], &ok);
		if (!ok) add_error(r, pr->line, "'%s' không rõ là công lập hay tư thục", v[IU_PUBLIC]);
		if (pr->type && unit_type_is_office(pr->type)) pr->is_public = true;
		pr->parent = v[IU_PARENT][0] ? v[IU_PARENT] : NULL;
		pr->evaluator = v[IU_EVALUATOR][0] ? v[IU_EVALUATOR] : NULL;
		pr->bad = r->nerrors != errs;
	}

	/* Pass 2: the related units, now that every code of the file is known. */
	for (size_t i = 0; i < p->n; i++) {
		plan_row *pr = &p->rows[i];
		size_t errs = r->nerrors;
		if (pr->parent) resolve_related(p, pr, IU_PARENT, pr->parent, &pr->parent_row, &pr->parent_id);
		if (pr->evaluator) resolve_related(p, pr, IU_EVALUATOR, pr->evaluator, &pr->eval_row,
			&pr->eval_id);
		else if (pr->parent) {   /* the evaluator defaults to the parent */
			pr->eval_row = pr->parent_row;
			pr->eval_id = pr->parent_id;
		}
		if (r->nerrors != errs) pr->bad = true;
	}

	/* Pass 3: managing chains within the file must not loop. */
	unsigned char *state = xcalloc(p->n ? p->n : 1, 1);   /* 0 new, 1 on path, 2 done */
	for (size_t i = 0; i < p->n; i++) {
		size_t cur = i;
		while (state[cur] == 0) {
			state[cur] = 1;
			size_t next = p->rows[cur].parent_row;
			if (!next) break;
			cur = next - 1;
		}
		if (state[cur] == 1 && p->rows[cur].parent_row) {
			/* cur lies on a loop: name it once, from its first row. */
			buf chain;
			buf_init(&chain);
			size_t k = cur;
			do {
				buf_printf(&chain, "%s → ", p->rows[k].code);
				state[k] = 2;
				k = p->rows[k].parent_row - 1;
			} while (k != cur && p->rows[k].parent_row);
			buf_puts(&chain, p->rows[cur].code);
			add_error(r, p->rows[cur].line, "đơn vị quản lý tạo thành vòng lặp: %s", buf_str(&chain));
			p->rows[cur].bad = true;
			buf_free(&chain);
		}
		/* Mark the rest of the walked path done. */
		cur = i;
		while (state[cur] == 1) {
			state[cur] = 2;
			size_t next = p->rows[cur].parent_row;
			if (!next) break;
			cur = next - 1;
		}
	}
	free(state);
}

static int error_cmp(const void *a, const void *b)
{
	const import_unit_error *x = a, *y = b;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	/* Keep the order the checks ran in: compare positions. */
	return x < y ? -1 : x > y;
}

/* ---- Writing ----------------------------------------------------------- */

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The stored units, read in one query, and a map from code to index. */
typedef struct stored_units {
	unit *u;
	size_t n;
	code_map codes;
} stored_units;

/* Writes the units: new ones and changed ones in batches (q_unit_bulk.h),
 * checked as unit_save checks them; sets every row's id. */
static int write_units(plan *p, const import_unit_opts *o, plan_row **bad)
{
	import_unit_result *r = p->r;
	db *d = p->d;
	arena *a = arena_new();
	stored_units st;
	int rc = unit_bulk_all(d, a, &st.u, &st.n);
	map_init(&st.codes, st.n);
	for (size_t i = 0; i < st.n && rc == DB_OK; i++) map_get(&st.codes, st.u[i].code, true, i);
	unit *fresh = xcalloc(p->n, sizeof *fresh), *old = xcalloc(p->n, sizeof *old),
	     *changed = xcalloc(p->n, sizeof *changed);
	size_t *fresh_row = xcalloc(p->n, sizeof *fresh_row);
	int64_t *ids = xcalloc(p->n, sizeof *ids);
	size_t nf = 0, nc = 0;
	for (size_t i = 0; i < p->n && rc == DB_OK; i++) {
		plan_row *pr = &p->rows[i];
		unit in = { 0, pr->code, pr->name, pr->type, pr->address,
			pr->levels[0] ? pr->levels : NULL, pr->is_public }, u;
		if ((rc = unit_clean(d, &in, a, &u))) {
			*bad = pr;
			break;
		}
		size_t *at = map_get(&st.codes, u.code, false, 0);
		if (!at) {
			fresh_row[nf] = i;
			fresh[nf++] = u;
			continue;
		}
		const unit *s = &st.u[*at];
		pr->id = s->id;
		if (same_text(s->name, u.name) && same_text(s->type, u.type) &&
		    same_text(s->address, u.address) && same_text(s->levels, u.levels) &&
		    s->is_public == u.is_public) {
			r->unchanged++;
			continue;
		}
		old[nc] = *s;
		changed[nc++] = u;
	}
	if (rc == DB_OK) rc = unit_bulk_create(d, o->actor, fresh, nf, ids);
	for (size_t i = 0; i < nf && rc == DB_OK; i++) p->rows[fresh_row[i]].id = ids[i];
	if (rc == DB_OK) rc = unit_bulk_update(d, o->actor, old, changed, nc);
	if (rc == DB_OK) {
		r->created += nf;
		r->updated += nc;
	}
	free(fresh);
	free(old);
	free(changed);
	free(fresh_row);
	free(ids);
	map_free(&st.codes);
	arena_free(a);
	return rc;
}

/* ---- Relations --------------------------------------------------------- */

/* A map from (unit, kind) to an index, for the relations on the date. */
typedef struct rel_map {
	int64_t *keys;   /* unit_id * 2 + kind, 0 = empty */
	size_t *vals;
	size_t cap;
} rel_map;

static void rmap_init(rel_map *m, size_t n)
{
	m->cap = 16;
	while (m->cap < n * 2) m->cap *= 2;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
}

static void rmap_free(rel_map *m)
{
	free(m->keys);
	free(m->vals);
}

static size_t *rmap_get(rel_map *m, int64_t unit_id, unit_rel kind, bool insert, size_t val)
{
	int64_t key = unit_id * 2 + (int64_t)kind;
	size_t i = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ULL >> 20) & (m->cap - 1);
	while (m->keys[i]) {
		if (m->keys[i] == key) return &m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (!insert) return NULL;
	m->keys[i] = key;
	m->vals[i] = val;
	return &m->vals[i];
}

/* What the store holds for each (unit, kind) on `from`: the relation that
 * holds (its other unit), and whether any relation touches the date. */
typedef struct rel_state {
	rel_map map;          /* (unit, kind) → index into other/touched */
	int64_t *other;       /* 0: none holds on the date */
	size_t n, cap;
} rel_state;

static void rel_put(rel_state *rs, int64_t unit_id, unit_rel kind, int64_t other)
{
	size_t *at = rmap_get(&rs->map, unit_id, kind, true, rs->n);
	if (*at == rs->n) {
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? rs->cap * 2 : 1024;
			rs->other = xrealloc(rs->other, rs->cap * sizeof *rs->other);
		}
		rs->other[rs->n++] = 0;
	}
	if (other) rs->other[*at] = other;
}

static int64_t rel_other(rel_state *rs, int64_t unit_id, unit_rel kind, bool *touched)
{
	size_t *at = rmap_get(&rs->map, unit_id, kind, false, 0);
	if (touched) *touched = at != NULL;
	return at ? rs->other[*at] : 0;
}

/* Would unit → other (kind) close a loop, the chain above other on the
 * date being what rs holds? Walks at most 32 steps, as unit_chain_on. */
static bool closes_loop(rel_state *rs, int64_t unit_id, unit_rel kind, int64_t other)
{
	int64_t cur = other;
	for (int depth = 0; depth < 32 && cur; depth++) {
		if (cur == unit_id) return true;
		cur = rel_other(rs, cur, kind, NULL);
	}
	return cur == unit_id;
}

typedef struct rel_job {
	plan_row *pr;
	unit_rel kind;
	int64_t other;
} rel_job;

/* Sorts the relations of the file: unchanged ones counted, new ones for
 * units with no relation on or after the date into batch[], the rest
 * (changes in time, corrections) into slow[] for unit_relate. */
static int plan_relations(plan *p, const char *from, rel_state *rs, unit_relation *batch,
                          size_t *nb, rel_job *slow, size_t *ns)
{
	arena *a = arena_new();
	unit_relation *held;
	size_t nh;
	int rc = unit_bulk_touching(p->d, from, a, &held, &nh);
	rmap_init(&rs->map, nh + p->n * 2);
	for (size_t i = 0; i < nh && rc == DB_OK; i++)
		rel_put(rs, held[i].unit_id, held[i].kind,
			strcmp(held[i].valid_from, from) <= 0 ? held[i].other_unit_id : 0);
	arena_free(a);
	*nb = *ns = 0;
	for (size_t i = 0; i < p->n && rc == DB_OK; i++) {
		plan_row *pr = &p->rows[i];
		for (int k = 0; k < 2; k++) {
			unit_rel kind = k ? UNIT_EVALUATOR : UNIT_PARENT;
			size_t row = k ? pr->eval_row : pr->parent_row;
			int64_t other = row ? p->rows[row - 1].id : k ? pr->eval_id : pr->parent_id;
			if (!other) continue;
			bool touched;
			int64_t cur = rel_other(rs, pr->id, kind, &touched);
			if (cur == other) p->r->rel_unchanged++;
			else if (!touched) batch[(*nb)++] = (unit_relation){ 0, pr->id, other, kind, from, NULL };
			else slow[(*ns)++] = (rel_job){ pr, kind, other };
		}
	}
	/* The new relations join the chains; one that would close a loop goes
	 * to unit_relate, which names the loop. */
	for (size_t i = 0; i < *nb; i++) rel_put(rs, batch[i].unit_id, batch[i].kind, batch[i].other_unit_id);
	size_t keep = 0;
	for (size_t i = 0; i < *nb; i++) {
		if (closes_loop(rs, batch[i].unit_id, batch[i].kind, batch[i].other_unit_id)) {
			plan_row *pr = NULL;
			for (size_t j = 0; j < p->n && !pr; j++)
				if (p->rows[j].id == batch[i].unit_id) pr = &p->rows[j];
			slow[(*ns)++] = (rel_job){ pr, batch[i].kind, batch[i].other_unit_id };
		} else {
			batch[keep++] = batch[i];
		}
	}
	*nb = keep;
	return rc;
}

/* Writes the relations: the new ones in batches, the others one by one
 * through unit_relate (which checks them against recorded history). */
static int write_relations(plan *p, const import_unit_opts *o, const char *from, plan_row **at)
{
	rel_state rs;
	memset(&rs, 0, sizeof rs);
	unit_relation *batch = xcalloc(p->n * 2 + 1, sizeof *batch);
	rel_job *slow = xcalloc(p->n * 2 + 1, sizeof *slow);
	size_t nb, ns;
	int rc = plan_relations(p, from, &rs, batch, &nb, slow, &ns);
	if (rc == DB_OK) rc = unit_bulk_relate_new(p->d, o->actor, batch, nb, from);
	if (rc == DB_OK) p->r->rel_changed += nb;
	for (size_t i = 0; i < ns && rc == DB_OK; i++) {
		*at = slow[i].pr;
		rc = unit_relate(p->d, o->actor, slow[i].pr->id, slow[i].kind, slow[i].other, from);
		if (rc == DB_OK) p->r->rel_changed++;
		if (rc == DB_OK && o->progress && i % 500 == 499 &&
		    !o->progress(o->progress_ctx, p->n + i * p->n / ns, p->n * 2))
			rc = db_fail(p->d, DB_ECONFLICT, "Đã dừng khi đang ghi");
	}
	free(batch);
	free(slow);
	rmap_free(&rs.map);
	free(rs.other);
	return rc;
}

static int write_all(plan *p, const import_unit_opts *o, const char *from)
{
	import_unit_result *r = p->r;
	db *d = p->d;
	size_t total = p->n * 2;
	if (o->progress && !o->progress(o->progress_ctx, 0, total))
		return db_fail(d, DB_ECONFLICT, "Đã dừng trước khi ghi");
	int rc = db_begin_write(d);
	if (rc) return rc;
	plan_row *at = NULL;
	rc = write_units(p, o, &at);
	if (rc == DB_OK && o->progress && !o->progress(o->progress_ctx, p->n, total))
		rc = db_fail(d, DB_ECONFLICT, "Đã dừng khi đang ghi");
	if (rc == DB_OK) rc = write_relations(p, o, from, &at);
	if (rc != DB_OK) {
		/* The store refused a row (a relation that contradicts recorded
		 * history, a loop through stored units…): a problem of the file,
		 * reported like the others; nothing stays written. */
		char *msg = xstrdup(db_errmsg(d));
		db_rollback(d);
		if (rc == DB_EINVAL || rc == DB_ECONSTRAINT || rc == DB_ENOTFOUND) {
			add_error(r, at ? at->line : 0, "%s", msg);
			rc = DB_EINVAL;
		}
		db_fail(d, rc, "%s", msg);
		free(msg);
		r->created = r->updated = r->unchanged = r->rel_changed = r->rel_unchanged = 0;
		return rc;
	}
	if (o->progress && !o->progress(o->progress_ctx, total, total)) {
		db_rollback(d);
		db_fail(d, DB_ECONFLICT, "Đã dừng khi đang ghi");
		r->created = r->updated = r->unchanged = r->rel_changed = r->rel_unchanged = 0;
		return DB_ECONFLICT;
	}
	if (o->dry_run) return db_rollback(d) == DB_OK ? DB_OK : db_errcode(d);
	if (o->before_commit && (rc = o->before_commit(o->progress_ctx, r)) != DB_OK) {
		/* the caller's refusal (its job cancelled meanwhile…): nothing stays */
		char *msg = xstrdup(db_errmsg(d));
		db_rollback(d);
		db_fail(d, rc, "%s", msg);
		free(msg);
		r->created = r->updated = r->unchanged = r->rel_changed = r->rel_unchanged = 0;
		return rc;
	}
	rc = db_commit(d);
	if (rc == DB_OK) r->written = true;
	return rc;
}

int import_unit_run(db *d, const import_table *t, const import_unit_opts *o,
                    import_unit_result *r)
{
	memset(r, 0, sizeof *r);
	r->a = arena_new();
	for (size_t k = 0; k < IU_NCOLS; k++) r->col[k] = -1;
	char today[11];
	vn_today_iso(today);
	const char *from = o->from ? o->from : today;
	if (!db_date_valid(from)) {
		add_error(r, 0, "ngày hiệu lực '%s' không hợp lệ (YYYY-MM-DD)", from);
		return db_fail(d, DB_EINVAL, "Ngày hiệu lực không hợp lệ");
	}
	long h = find_header(t, r);
	if (h < 0) {
		add_error(r, 0, "không tìm thấy dòng tiêu đề: cần ít nhất cột 'Mã đơn vị' (hoặc 'Mã "
			"trường') và 'Tên đơn vị' (hoặc 'Tên trường') trong %d dòng đầu", HEADER_SCAN);
		return db_fail(d, DB_EINVAL, "Tệp không có dòng tiêu đề");
	}
	if (r->col[IU_TYPE] < 0) {
		add_error(r, 0, "thiếu cột 'Loại hình' (hoặc 'Cấp học'): Mầm non, Tiểu học, THCS, "
			"THPT, Liên cấp, GDTX, Phòng GD&ĐT, Sở GD&ĐT, UBND xã");
		return db_fail(d, DB_EINVAL, "Thiếu cột loại hình");
	}
	plan p;
	memset(&p, 0, sizeof p);
	p.r = r;
	p.d = d;
	p.scratch = arena_new();
	validate(&p, t, (size_t)h + 1);
	int rc;
	if (r->nerrors) {
		sort_list(r->errors, r->nerrors, sizeof *r->errors, error_cmp);
		rc = db_fail(d, DB_EINVAL, "Tệp có %zu lỗi", r->nerrors);
	} else if (p.n == 0) {
		add_error(r, 0, "tệp không có dòng dữ liệu nào dưới dòng tiêu đề");
		rc = db_fail(d, DB_EINVAL, "Tệp không có dữ liệu");
	} else {
		rc = write_all(&p, o, from);
	}
	map_free(&p.codes);
	free(p.rows);
	arena_free(p.scratch);
	return rc;
}

void import_unit_result_free(import_unit_result *r)
{
	if (!r) return;
	arena_free(r->a);
	memset(r, 0, sizeof *r);
}

/* ---- Report ------------------------------------------------------------ */

void import_unit_report(const import_table *t, const import_unit_result *r,
                        const import_unit_opts *o, const char *source, buf *out)
{
	buf_printf(out, "Tệp: %s — ", source);
	if (t->format == IMPORT_XLSX) {
		buf_printf(out, "XLSX, trang tính \"%s\"\n", t->sheet ? t->sheet : "");
	} else {
		const char *sep = t->sep == ';' ? "dấu chấm phẩy" : t->sep == '\t' ? "dấu tab" : "dấu phẩy";
		buf_printf(out, "CSV, phân cách bằng %s%s\n", sep, t->bom && !t->utf16 ? ", UTF-8 có BOM" : "");
	}
	if (r->header_line) {
		buf_printf(out, "Dòng tiêu đề: %zu; ", r->header_line);
		import_put_count(out, r->rows);
		buf_puts(out, " dòng dữ liệu.\nCột: ");
		bool first = true;
		for (size_t k = 0; k < IU_NCOLS; k++) {
			if (r->col[k] < 0) continue;
			char letters[8];
			col_letters((size_t)r->col[k], letters);
			buf_printf(out, "%s%s (%s)", first ? "" : ", ", col_labels[k], letters);
			first = false;
		}
		buf_puts(out, "\n");
	}
	for (size_t i = 0; i < r->nnotes; i++) buf_printf(out, "%s.\n", r->notes[i]);
	import_describe_text(t, out);
	if (r->nerrors) {
		size_t lines = 0, last = (size_t)-1;
		for (size_t i = 0; i < r->nerrors; i++)
			if (r->errors[i].line && r->errors[i].line != last) {
				lines++;
				last = r->errors[i].line;
			}
		buf_puts(out, "LỖI: ");
		import_put_count(out, r->nerrors);
		buf_puts(out, " lỗi");
		if (lines) {
			buf_puts(out, " ở ");
			import_put_count(out, lines);
			buf_puts(out, " dòng");
		}
		buf_puts(out, "; không ghi gì vào cơ sở dữ liệu. Hãy sửa tệp rồi nhập lại.\n");
		for (size_t i = 0; i < r->nerrors; i++) {
			if (r->errors[i].line) buf_printf(out, "  Dòng %zu: %s\n", r->errors[i].line, r->errors[i].msg);
			else buf_printf(out, "  %s\n", r->errors[i].msg);
		}
		return;
	}
	char today[11];
	vn_today_iso(today);
	const char *from = o && o->from ? o->from : today;
	int y, m, d;
	buf date;
	buf_init(&date);
	if (!(vn_parse_date(from, &y, &m, &d) && vn_format_date_short(&date, y, m, d)))
		buf_puts(&date, from);
	size_t total = r->created + r->updated + r->unchanged;
	if (o && o->dry_run) buf_puts(out, "Chạy thử (--dry-run), không ghi gì. Nếu nhập thật: ");
	else buf_puts(out, "Đã nhập ");
	import_put_count(out, total);
	buf_puts(out, " đơn vị: ");
	import_put_count(out, r->created);
	buf_puts(out, " tạo mới, ");
	import_put_count(out, r->updated);
	buf_puts(out, " cập nhật, ");
	import_put_count(out, r->unchanged);
	buf_puts(out, " không đổi.\n");
	buf_printf(out, "Quan hệ quản lý/đánh giá từ ngày %s: ", buf_str(&date));
	import_put_count(out, r->rel_changed);
	buf_puts(out, " ghi mới hoặc thay đổi, ");
	import_put_count(out, r->rel_unchanged);
	buf_puts(out, " không đổi.\n");
	buf_free(&date);
}
