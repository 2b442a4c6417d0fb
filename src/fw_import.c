/* fw_import.c — the criteria tree built from an annex table (fw_import.h).
 *
 * Pure: a table in, a framework JSON and review notes out; no I/O. The
 * rows are read top to bottom once:
 *   - the header row fixes which cell is which column;
 *   - an STT code places the row in the tree: "1" a group, "1.1" a
 *     criterion, "1.3.2" an item; "a", "b)" … a sub-item of the last
 *     numbered row (an item under a criterion, an option under an item);
 *     a Roman numeral ("II") is a group numbered like "2";
 *   - a row without STT is a heading: "Điều kiện bắt buộc" makes the rows
 *     under it without points gates, "Tổng (cộng)" gives the total's
 *     maximum, anything else is kept as a note of the row above;
 *   - a copy made by expanding a merged cell belongs to the row where the
 *     merge began and is not read again (a criterion's maximum merged
 *     down over its items is the criterion's, not each item's).
 * What the table says is "official" with an "origin" naming file and row;
 * what it does not say (the kind of a rule, a threshold, the levels, the
 * group maxima it leaves to be added up) is "inferred", said in the node's
 * note and in the review notes, for the administrator to check before
 * publishing. */
#include "fw_import.h"
#include "exact.h"
#include "util.h"
#include "vn.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_TABLE_ROWS = 5000, MAX_LEVELS = 10 };

const char *const fw_import_headers[FW_NCOLS] = {
	"STT", "Tiêu chí", "Điểm tối đa", "Điểm thành phần", "Mức độ", "Ghi chú, minh chứng",
};

/* ---- the table ---------------------------------------------------------- */

void fw_table_init(fw_table *t)
{
	memset(t, 0, sizeof *t);
	t->a = arena_new();
}

void fw_table_free(fw_table *t)
{
	if (t->a) arena_free(t->a);
	memset(t, 0, sizeof *t);
}

void fw_table_add(fw_table *t, size_t line, const fw_cell *cells, size_t n)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		fw_row *rows = arena_alloc(t->a, cap * sizeof *rows);
		if (t->nrows) memcpy(rows, t->rows, t->nrows * sizeof *rows);
		t->rows = rows;
		t->cap = cap;
	}
	fw_row *r = &t->rows[t->nrows++];
	r->line = line;
	r->ncells = n;
	r->cells = arena_alloc(t->a, (n ? n : 1) * sizeof *r->cells);
	for (size_t i = 0; i < n; i++) {
		r->cells[i].text = arena_strdup(t->a, cells[i].text ? cells[i].text : "");
		r->cells[i].merge = cells[i].merge;
	}
}

/* ---- text helpers ----------------------------------------------------------- */

/* Folded (lower case, no diacritics, đ → d) with runs of white space made
 * one space and the ends trimmed; in arena a. "" for invalid UTF-8. */
static char *fold_keep(arena *a, const char *s, bool keep_lines)
{
	char *f = vn_fold(s);
	if (!f) return arena_strdup(a, "");
	char *out = arena_alloc(a, strlen(f) + 1), *w = out;
	bool space = false;
	for (const char *r = f; *r; r++) {
		if (keep_lines && *r == '\n') { *w++ = '\n'; space = false; continue; }
		if (isspace((unsigned char)*r)) { space = w != out; continue; }
		if (space) *w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	free(f);
	return out;
}

static char *fold(arena *a, const char *s) { return fold_keep(a, s, false); }

/* s with white space trimmed at both ends and inner runs (line breaks
 * kept as one space) collapsed; in arena a. */
static char *tidy(arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) + 1), *w = out;
	bool space = false;
	for (const char *r = s; *r; r++) {
		if (isspace((unsigned char)*r)) { space = w != out; continue; }
		if ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0) { space = w != out; r++; continue; }
		if (space) *w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	return out;
}

static bool starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* The first decimal number in folded text from p on ("6", "7,5", "12.5");
 * *end after it. false when there is none or it has more than 2 decimals. */
static bool first_number(const char *p, q *out, const char **end)
{
	while (*p && !isdigit((unsigned char)*p)) p++;
	if (!*p) return false;
	char num[40];
	size_t n = 0;
	while (*p && n + 1 < sizeof num) {
		if (isdigit((unsigned char)*p)) num[n++] = *p++;
		else if ((*p == ',' || *p == '.') && isdigit((unsigned char)p[1]) && !strchr(num, '.') && n) {
			num[n++] = '.';
			num[n] = '\0';
			p++;
		} else break;
		num[n] = '\0';
	}
	num[n] = '\0';
	if (end) *end = p;
	return q_parse_decimal(num, 2, out);
}

static void json_put_q(json_t *o, const char *key, q v)
{
	if (v.d == 1) json_object_set_new(o, key, json_integer(v.n));
	else json_object_set_new(o, key, json_real(q_to_double(v)));
}

static const char *qtext(arena *a, q v)
{
	return q_to_text(a, v, 2, true);
}

/* ---- the header ------------------------------------------------------------- */

static int header_column(const char *folded)
{
	char s[64];
	size_t n = strlen(folded);
	if (n >= sizeof s) return -1;
	memcpy(s, folded, n + 1);
	while (n && (s[n - 1] == ':' || s[n - 1] == '.' || s[n - 1] == ' ')) s[--n] = '\0';
	if (!strcmp(s, "stt") || !strcmp(s, "tt") || !strcmp(s, "so tt") || !strcmp(s, "so thu tu")) return FW_COL_STT;
	if (starts(s, "tieu chi") || starts(s, "noi dung")) return FW_COL_TITLE;
	if (starts(s, "diem toi da")) return FW_COL_MAX;
	if (starts(s, "diem thanh phan")) return FW_COL_PART;
	if (starts(s, "muc do")) return FW_COL_BANDS;
	if (starts(s, "ghi chu") || starts(s, "minh chung")) return FW_COL_NOTE;
	return -1;
}

bool fw_import_header(const fw_row *r, int col[FW_NCOLS])
{
	for (int k = 0; k < FW_NCOLS; k++) col[k] = -1;
	arena *a = arena_new();
	for (size_t i = 0; i < r->ncells && i < 64; i++) {
		if (r->cells[i].merge != FW_CELL_OWN) continue;
		int k = header_column(fold(a, r->cells[i].text));
		if (k >= 0 && col[k] < 0) col[k] = (int)i;
	}
	arena_free(a);
	return col[FW_COL_STT] >= 0 && col[FW_COL_TITLE] >= 0 && col[FW_COL_MAX] >= 0;
}

/* ---- the tree while it is read -------------------------------------------------- */

typedef struct option {        /* a/b/c under an item */
	const char *code, *label;
	bool has_points;
	q points;
	size_t line;
	struct option *next;
} option;

typedef struct inode {
	int depth;                 /* 1 group, 2 criterion, 3 item */
	const char *code, *title;
	size_t line;
	bool has_max, has_part, upto, gate, gate_parent;
	q max, part;
	const char *bands;         /* the "Mức độ" text, joined */
	size_t bands_line;
	const char *note, *evidence;
	option *opts, *opts_tail;
	struct inode *parent, *kids, *kids_tail, *next;
	q total;                   /* computed maximum */
	bool dropped;              /* replaced by its options as items */
} inode;

typedef struct ctx {
	arena *a;
	const fw_import_meta *m;
	buf *notes, *errors;
	int nerr;
	inode *groups, *groups_tail;
	inode *stack[4];           /* last node at each depth */
	inode *last;               /* the last numbered node */
	inode **all;
	size_t nall, capall;
	bool gate_mode;
	bool has_total;
	q total_max;
	size_t total_line;
	size_t ngates;
} ctx;

static void err(ctx *c, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(ctx *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (line) buf_printf(c->errors, "%s: hàng %zu: ", c->m->file, line);
	else buf_printf(c->errors, "%s: ", c->m->file);
	buf_vprintf(c->errors, fmt, ap);
	buf_putc(c->errors, '\n');
	va_end(ap);
	c->nerr++;
}

static void note(ctx *c, const inode *n, size_t line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void note(ctx *c, const inode *n, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (n) buf_printf(c->notes, "%s (hàng %zu): ", n->code, n->line);
	else if (line) buf_printf(c->notes, "hàng %zu: ", line);
	buf_vprintf(c->notes, fmt, ap);
	buf_putc(c->notes, '\n');
	va_end(ap);
}

static const char *join(ctx *c, const char *a, const char *sep, const char *b)
{
	if (!a || !*a) return b;
	if (!b || !*b) return a;
	return arena_printf(c->a, "%s%s%s", a, sep, b);
}

static const char *cell(const fw_row *r, const int col[FW_NCOLS], int k, fw_cell_merge *merge)
{
	if (merge) *merge = FW_CELL_OWN;
	if (col[k] < 0 || (size_t)col[k] >= r->ncells) return "";
	if (merge) *merge = r->cells[col[k]].merge;
	return r->cells[col[k]].text;
}

/* The row's own text in column k, line breaks kept (the levels may be
 * one per line): "" for a copy of a merged cell. */
static const char *own_lines(const fw_row *r, const int col[FW_NCOLS], int k)
{
	fw_cell_merge mg;
	const char *s = cell(r, col, k, &mg);
	return mg == FW_CELL_OWN ? s : "";
}

/* The row's own text in column k: "" for a copy of a merged cell. */
static const char *own(ctx *c, const fw_row *r, const int col[FW_NCOLS], int k)
{
	fw_cell_merge mg;
	const char *s = cell(r, col, k, &mg);
	return mg == FW_CELL_OWN ? tidy(c->a, s) : "";
}

static int roman(const char *s)
{
	static const char *const r[] = { "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
		"xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx" };
	for (int i = 0; i < 20; i++)
		if (!strcmp(s, r[i])) return i + 1;
	return 0;
}

typedef enum code_kind { CODE_BAD, CODE_NUMBER, CODE_LETTER } code_kind;

/* STT text (trimmed) → a code. "1", "1.3.2", "1.3.2." → numbers
 * (depth = parts); "a", "b)", "c." → a letter; "II" → group 2. */
static code_kind parse_stt(ctx *c, const char *s, const char **code, int *depth)
{
	char t[32];
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof t) return CODE_BAD;
	memcpy(t, s, n + 1);
	while (n && (t[n - 1] == '.' || t[n - 1] == ')' || t[n - 1] == ' ')) t[--n] = '\0';
	if (n == 0) return CODE_BAD;
	/* "I", "V", "X" in capitals are Roman numerals; "i" is the letter after h */
	bool caps = true;
	for (size_t i = 0; i < n; i++) {
		if (t[i] >= 'A' && t[i] <= 'Z') t[i] = (char)(t[i] - 'A' + 'a');
		else caps = false;
	}
	int rn = caps ? roman(t) : 0;
	if (n == 1 && !rn && t[0] >= 'a' && t[0] <= 'z') {
		*code = arena_strdup(c->a, t);
		return CODE_LETTER;
	}
	if (rn) {
		*code = arena_printf(c->a, "%d", rn);
		*depth = 1;
		return CODE_NUMBER;
	}
	int parts = 1, digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)t[i])) {
			if (++digits > 3) return CODE_BAD;
		} else if (t[i] == '.' && digits) {
			parts++;
			digits = 0;
		} else return CODE_BAD;
	}
	if (!digits) return CODE_BAD;
	/* "01.2" → "1.2": leading zeros would make "1" and "01" two codes */
	buf b;
	buf_init(&b);
	const char *p = t;
	while (*p) {
		while (*p == '0' && isdigit((unsigned char)p[1])) p++;
		while (*p && *p != '.') buf_putc(&b, *p++);
		if (*p == '.') buf_putc(&b, *p++);
	}
	*code = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	*depth = parts;
	return CODE_NUMBER;
}

static inode *find(ctx *c, const char *code)
{
	for (size_t i = 0; i < c->nall; i++)
		if (!strcmp(c->all[i]->code, code)) return c->all[i];
	return NULL;
}

static void remember(ctx *c, inode *n)
{
	if (c->nall == c->capall) {
		c->capall = c->capall ? c->capall * 2 : 64;
		inode **v = arena_alloc(c->a, c->capall * sizeof *v);
		if (c->nall) memcpy(v, c->all, c->nall * sizeof *v);
		c->all = v;
	}
	c->all[c->nall++] = n;
}

static void add_child(inode *p, inode *n)
{
	n->parent = p;
	if (p->kids_tail) p->kids_tail->next = n;
	else p->kids = n;
	p->kids_tail = n;
}

/* A points cell: a number, possibly with words ("tối đa 6 điểm"), or
 * "Điều kiện bắt buộc". Returns false (with an error) for other text. */
static bool read_points(ctx *c, const char *text, size_t line, const char *column, bool *has, q *v,
                        bool *upto, bool *gate)
{
	*has = false;
	if (!*text) return true;
	const char *f = fold(c->a, text);
	if (strstr(f, "bat buoc")) { *gate = true; return true; }
	if (strstr(f, "khong tinh diem") || !strcmp(f, "-") || !strcmp(f, "x")) return true;
	if (!first_number(f, v, NULL)) {
		err(c, line, "cột \"%s\" không phải là số điểm: \"%s\"", column, text);
		return false;
	}
	*has = true;
	if (strstr(f, "toi da")) *upto = true;
	return true;
}

static void read_note(ctx *c, inode *n, const char *text)
{
	if (!*text) return;
	const char *f = fold(c->a, text);
	if (strstr(f, "dieu kien bat buoc")) n->gate = true;
	if (starts(f, "ghi chu")) {
		const char *colon = strchr(text, ':');
		n->note = join(c, n->note, " ", colon ? tidy(c->a, colon + 1) : text);
	} else if (starts(f, "minh chung")) {
		const char *colon = strchr(text, ':');
		n->evidence = join(c, n->evidence, "; ", colon ? tidy(c->a, colon + 1) : text);
	} else if (strstr(f, "dieu kien bat buoc") && strlen(f) <= strlen("dieu kien bat buoc") + 2) {
		/* the words alone: the gate, nothing to keep */
	} else {
		n->evidence = join(c, n->evidence, "; ", text);
	}
}

/* ---- reading the rows ------------------------------------------------------------ */

static void heading(ctx *c, const fw_row *r, const int col[FW_NCOLS], const char *text)
{
	const char *f = fold(c->a, text);
	if (starts(f, "dieu kien bat buoc")) {
		c->gate_mode = true;
		return;
	}
	if (starts(f, "tong")) {
		bool upto = false, gate = false;
		if (read_points(c, own(c, r, col, FW_COL_MAX), r->line, fw_import_headers[FW_COL_MAX],
		                &c->has_total, &c->total_max, &upto, &gate) && c->has_total)
			c->total_line = r->line;
		return;
	}
	c->gate_mode = false;
	if (c->last) {
		c->last->note = join(c, c->last->note, " ", text);
		note(c, NULL, r->line, "hàng không có STT: nội dung \"%s\" được ghi vào ghi chú của mã %s — cần xem lại",
		     text, c->last->code);
	} else {
		note(c, NULL, r->line, "hàng không có STT trước mục đầu tiên, bỏ qua: \"%s\"", text);
	}
}

static void numbered(ctx *c, const fw_row *r, const int col[FW_NCOLS], const char *code, int depth)
{
	size_t line = r->line;
	if (depth > 3) {
		err(c, line, "mã %s có %d cấp; định dạng chỉ có nhóm, tiêu chí và chỉ số (tối đa 3 cấp, rồi a, b, c)", code, depth);
		return;
	}
	inode *dup = find(c, code);
	if (dup) {
		err(c, line, "mã %s bị trùng với hàng %zu", code, dup->line);
		return;
	}
	inode *parent = NULL;
	if (depth > 1) {
		parent = c->stack[depth - 1];
		size_t plen = strrchr(code, '.') - code;
		if (!parent || strlen(parent->code) != plen || strncmp(parent->code, code, plen) != 0) {
			err(c, line, "mã %s không nằm dưới mã %.*s (hàng cha phải đứng trước)", code, (int)plen, code);
			return;
		}
	}
	inode *n = arena_alloc(c->a, sizeof *n);
	n->depth = depth;
	n->code = code;
	n->line = line;
	n->title = own(c, r, col, FW_COL_TITLE);
	if (depth == 1) {
		c->gate_mode = false;
		if (c->groups_tail) c->groups_tail->next = n;
		else c->groups = n;
		c->groups_tail = n;
	} else if (parent) {
		add_child(parent, n);
	}
	remember(c, n);
	c->stack[depth] = n;
	for (int d = depth + 1; d < 4; d++) c->stack[d] = NULL;
	c->last = n;
	if (!*n->title) err(c, line, "mã %s thiếu tên tiêu chí (cột \"Tiêu chí\" trống)", code);
	bool gate = false;
	read_points(c, own(c, r, col, FW_COL_MAX), line, fw_import_headers[FW_COL_MAX], &n->has_max, &n->max, &n->upto, &gate);
	read_points(c, own(c, r, col, FW_COL_PART), line, fw_import_headers[FW_COL_PART], &n->has_part, &n->part, &n->upto, &gate);
	const char *bands = own_lines(r, col, FW_COL_BANDS);
	if (*tidy(c->a, bands)) {
		if (strstr(fold(c->a, bands), "bat buoc")) gate = true;
		else {
			/* the levels of a criterion may be written on its items' rows */
			inode *holder = depth == 3 ? parent : n;
			holder->bands = join(c, holder->bands, "\n", bands);
			if (!holder->bands_line) holder->bands_line = line;
		}
	}
	read_note(c, n, own(c, r, col, FW_COL_NOTE));
	const char *ft = fold(c->a, n->title);
	if (starts(ft, "dieu kien bat buoc")) n->gate_parent = true;
	if (gate) n->gate = true;
	if (n->has_max || n->has_part) c->gate_mode = false;
	if (c->gate_mode && !n->has_max && !n->has_part) n->gate = true;
	if (parent && parent->gate_parent && !n->has_max && !n->has_part) n->gate = true;
	if (n->has_max && n->has_part && q_cmp(n->max, n->part) != 0 && depth == 3)
		err(c, line, "mã %s: điểm tối đa (%s) khác điểm thành phần (%s)", code, qtext(c->a, n->max), qtext(c->a, n->part));
}

static void lettered(ctx *c, const fw_row *r, const int col[FW_NCOLS], const char *letter)
{
	size_t line = r->line;
	inode *host = c->last;
	while (host && host->depth > 3) host = host->parent;
	if (!host) {
		err(c, line, "mục %s đứng trước mọi mã số (a, b, c thuộc mã số ngay trên nó)", letter);
		return;
	}
	/* the numbered row above a letter is the last one at depth ≤ 3 that
	 * was read; a letter after a letter belongs to the same host */
	const char *code = arena_printf(c->a, "%s.%s", host->code, letter);
	const char *title = own(c, r, col, FW_COL_TITLE);
	if (!*title) err(c, line, "mục %s thiếu tên (cột \"Tiêu chí\" trống)", code);
	bool upto = false, gate = false, hm = false, hp = false;
	q mx = q_int(0), pt = q_int(0);
	read_points(c, own(c, r, col, FW_COL_MAX), line, fw_import_headers[FW_COL_MAX], &hm, &mx, &upto, &gate);
	read_points(c, own(c, r, col, FW_COL_PART), line, fw_import_headers[FW_COL_PART], &hp, &pt, &upto, &gate);
	if (host->depth == 3) {
		for (option *o = host->opts; o; o = o->next)
			if (!strcmp(o->code, letter)) { err(c, line, "mục %s bị trùng với hàng %zu", code, o->line); return; }
		option *o = arena_alloc(c->a, sizeof *o);
		o->code = arena_strdup(c->a, letter);
		o->label = title;
		o->line = line;
		o->has_points = hp || hm;
		o->points = hp ? pt : mx;
		if (host->opts_tail) host->opts_tail->next = o;
		else host->opts = o;
		host->opts_tail = o;
		const char *nt = own(c, r, col, FW_COL_NOTE);
		if (*nt) host->evidence = join(c, host->evidence, "; ", arena_printf(c->a, "%s) %s", letter, nt));
		return;
	}
	inode *dup = find(c, code);
	if (dup) {
		err(c, line, "mục %s bị trùng với hàng %zu", code, dup->line);
		return;
	}
	inode *n = arena_alloc(c->a, sizeof *n);
	n->depth = host->depth + 1;
	n->code = code;
	n->line = line;
	n->title = title;
	n->has_max = hm;
	n->max = mx;
	n->has_part = hp;
	n->part = pt;
	n->upto = upto;
	n->gate = gate || (c->gate_mode && !hm && !hp) || (host->gate_parent && !hm && !hp);
	read_note(c, n, own(c, r, col, FW_COL_NOTE));
	const char *bands = own_lines(r, col, FW_COL_BANDS);
	if (*tidy(c->a, bands)) {
		inode *holder = n->depth == 3 ? host : n;
		holder->bands = join(c, holder->bands, "\n", bands);
		if (!holder->bands_line) holder->bands_line = line;
	}
	add_child(host, n);
	remember(c, n);
	/* host stays c->last's anchor: the next letter is host's too */
	c->stack[n->depth] = n;
}

/* ---- levels ("Mức độ") ------------------------------------------------------------ */

typedef struct band {
	int level;
	bool has_from, has_above;
	q from, above;
} band;

/* "Mức 1: dưới 10 điểm; Mức 2: từ 10 đến 20 điểm; Mức 3: trên 20 điểm",
 * or one level per line without "Mức N". false when unreadable. */
static bool parse_bands(ctx *c, const char *text, band *out, size_t *nout)
{
	const char *f = fold_keep(c->a, text, true);
	const char *seg[MAX_LEVELS + 1], *end[MAX_LEVELS + 1];
	int lv[MAX_LEVELS];
	size_t n = 0;
	for (const char *p = strstr(f, "muc"); p; p = strstr(p + 3, "muc")) {
		const char *d = p + 3;
		while (*d == ' ') d++;
		if (!isdigit((unsigned char)*d) || (p > f && isalpha((unsigned char)p[-1]))) continue;
		if (n == MAX_LEVELS) return false;
		if (n) end[n - 1] = p;
		lv[n] = atoi(d);
		while (isdigit((unsigned char)*d)) d++;
		seg[n++] = d;
	}
	if (n) end[n - 1] = f + strlen(f);
	if (n == 0) {
		/* one level per line or per ";" */
		char *copy = arena_strdup(c->a, f);
		for (char *s = copy; *s; s++) if (*s == ';') *s = '\n';
		char *save = NULL;
		for (char *tok = strtok_r(copy, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save)) {
			while (*tok == ' ') tok++;
			if (!*tok) continue;
			if (n == MAX_LEVELS) return false;
			lv[n] = (int)n + 1;
			end[n] = tok + strlen(tok);
			seg[n++] = tok;
		}
		if (n < 2) return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (lv[i] != (int)i + 1) return false;
		char *t = arena_strndup(c->a, seg[i], (size_t)(end[i] - seg[i]));
		band *b = &out[i];
		memset(b, 0, sizeof *b);
		b->level = (int)i + 1;
		if (i == 0) continue;          /* the lowest level has no bound */
		const char *kw = NULL;
		bool above = false;
		static const struct { const char *w; bool above; } keys[] = {
			{ "tren ", true }, { "lon hon", true }, { ">=", false }, { "\xe2\x89\xa5", false }, { ">", true },
			{ "tu ", false }, { "dat ", false },
		};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			const char *h = strstr(t, keys[k].w);
			while (h && h > t && isalpha((unsigned char)h[-1])) h = strstr(h + 1, keys[k].w);
			if (h && (!kw || h < kw)) { kw = h; above = keys[k].above; }
		}
		q v;
		if (!first_number(kw ? kw : t, &v, NULL)) return false;
		if (above) { b->has_above = true; b->above = v; }
		else { b->has_from = true; b->from = v; }
		if (i > 1) {
			const band *p = &out[i - 1];
			q prev = p->has_from ? p->from : p->above;
			int cmp = q_cmp(v, prev);
			if (cmp < 0 || (cmp == 0 && !(p->has_from && b->has_above))) return false;
		}
	}
	*nout = n;
	return true;
}

static json_t *bands_json(const band *b, size_t n, const char *const *labels)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "level", json_integer(b[i].level));
		json_object_set_new(o, "name", json_sprintf("Mức %d", b[i].level));
		if (labels && labels[i]) json_object_set_new(o, "label", json_string(labels[i]));
		if (b[i].has_from) json_put_q(o, "from", b[i].from);
		if (b[i].has_above) json_put_q(o, "above", b[i].above);
		json_object_set_new(o, "source", json_string("official"));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* ---- rules and nodes ---------------------------------------------------------------- */

static q node_points(const inode *n)
{
	return n->has_part ? n->part : n->max;
}

static json_t *leaf_rule(ctx *c, inode *n, const char **why)
{
	json_t *r = json_object();
	*why = NULL;
	if (n->gate && !n->has_max && !n->has_part) {
		json_object_set_new(r, "kind", json_string("gate"));
		c->ngates++;
		return r;
	}
	if (n->opts) {
		bool pts = false;
		q best = q_int(0), sum = q_int(0);
		size_t k = 0;
		for (option *o = n->opts; o; o = o->next, k++)
			if (o->has_points) { pts = true; best = q_max(best, o->points); sum = q_add(sum, o->points); }
		if (pts) {
			bool has = n->has_part || n->has_max;
			q p = node_points(n);
			if (has && q_cmp(p, best) != 0) {
				err(c, n->line, "mã %s: điểm (%s) khác điểm cao nhất của các mục a, b, c (%s)%s", n->code,
				    qtext(c->a, p), qtext(c->a, best),
				    q_cmp(p, sum) == 0 ? "; nếu các mục được cộng dồn, hãy đánh số chúng thành chỉ số riêng" : "");
				json_decref(r);
				return NULL;
			}
			json_object_set_new(r, "kind", json_string("alternatives"));
			json_t *opts = json_array();
			for (option *o = n->opts; o; o = o->next) {
				json_t *oj = json_object();
				json_object_set_new(oj, "code", json_string(o->code));
				json_object_set_new(oj, "label", json_string(o->label));
				json_put_q(oj, "points", o->has_points ? o->points : q_int(0));
				json_array_append_new(opts, oj);
			}
			json_object_set_new(r, "options", opts);
			json_object_set_new(r, "source", json_string("inferred"));
			*why = "chọn một trong các mục a, b, c (mỗi mục một mức điểm) — suy ra, bảng không nói cách chấm";
			return r;
		}
		buf b;
		buf_init(&b);
		for (option *o = n->opts; o; o = o->next) buf_printf(&b, "%s%s) %s", b.len ? "; " : "", o->code, o->label);
		n->note = join(c, n->note, " ", arena_printf(c->a, "Gồm: %s.", buf_str(&b)));
		buf_free(&b);
	}
	if (!n->has_max && !n->has_part) {
		json_object_set_new(r, "kind", json_string("info"));
		json_object_set_new(r, "source", json_string("inferred"));
		*why = "không có điểm trong bảng: dòng thông tin, không tính điểm — suy ra";
		return r;
	}
	q p = node_points(n);
	const char *ft = fold(c->a, n->title);
	const char *pct = strchr(ft, '%');
	if (pct) {
		/* a percentage in the wording: "tỉ lệ … đạt từ 50% trở lên" */
		const char *s = pct;
		while (s > ft && (isdigit((unsigned char)s[-1]) || s[-1] == ' ' || s[-1] == ',' || s[-1] == '.')) s--;
		q th;
		if (first_number(s, &th, NULL)) {
			size_t before = (size_t)(s - ft);
			char *head = arena_strndup(c->a, ft, before);
			bool le = strstr(head, "khong qua") || strstr(head, "duoi") || strstr(head, "toi da");
			json_object_set_new(r, "kind", json_string("ratio"));
			json_put_q(r, "points", p);
			json_put_q(r, "threshold", th);
			json_object_set_new(r, "unit", json_string("percent"));
			json_object_set_new(r, "compare", json_string(le ? "le" : "ge"));
			json_object_set_new(r, "mode", json_string("threshold"));
			json_object_set_new(r, "measure", json_string(n->title));
			json_object_set_new(r, "source", json_string("inferred"));
			*why = arena_printf(c->a, "tỉ lệ %s %s%% thì được %s điểm, không thì 0 — ngưỡng đọc từ lời văn, cách chấm suy ra",
			                    le ? "≤" : "≥", qtext(c->a, th), qtext(c->a, p));
			return r;
		}
	}
	if (n->upto) {
		json_object_set_new(r, "kind", json_string("up_to"));
		json_put_q(r, "points", p);
		json_object_set_new(r, "source", json_string("inferred"));
		*why = arena_printf(c->a, "người đánh giá cho từ 0 đến %s điểm, có lý do — suy ra từ chữ \"tối đa\"", qtext(c->a, p));
		return r;
	}
	json_object_set_new(r, "kind", json_string("yes_no"));
	json_put_q(r, "points", p);
	json_object_set_new(r, "source", json_string("inferred"));
	*why = arena_printf(c->a, "có/không: đạt được %s điểm, không đạt 0 — suy ra, bảng không nói cách chấm", qtext(c->a, p));
	return r;
}

/* The computed maximum of every node (declared, or the sum below). */
static q compute_total(inode *n)
{
	if (!n->kids) {
		if (n->gate && !n->has_max && !n->has_part) n->total = q_int(0);
		else if (n->opts && !n->has_max && !n->has_part) {
			q best = q_int(0);
			for (option *o = n->opts; o; o = o->next) if (o->has_points) best = q_max(best, o->points);
			n->total = best;
		} else n->total = node_points(n);
		return n->total;
	}
	q sum = q_int(0);
	for (inode *k = n->kids; k; k = k->next) sum = q_add(sum, compute_total(k));
	n->total = n->has_max ? n->max : sum;
	return n->total;
}

static json_t *node_json(ctx *c, inode *n)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(n->code));
	json_object_set_new(o, "title", json_string(*n->title ? n->title : n->code));
	json_object_set_new(o, "source", json_string("official"));
	json_object_set_new(o, "origin", json_sprintf("%s, hàng %zu", c->m->file, n->line));
	const char *extra = NULL;
	if (n->depth == 1) {
		if (n->has_max) json_put_q(o, "max", n->max);
		else {
			json_put_q(o, "max", n->total);
			extra = arena_printf(c->a, "Điểm tối đa của nhóm (%s) là tổng các tiêu chí — suy ra, bảng không ghi.",
			                     qtext(c->a, n->total));
			note(c, n, 0, "điểm tối đa %s = tổng các tiêu chí (suy ra, bảng không ghi)", qtext(c->a, n->total));
		}
		if (!n->kids) err(c, n->line, "nhóm %s không có tiêu chí nào bên dưới", n->code);
		json_t *kids = json_array();
		for (inode *k = n->kids; k; k = k->next) {
			json_t *kj = node_json(c, k);
			if (kj) json_array_append_new(kids, kj);
		}
		json_object_set_new(o, "criteria", kids);
	} else {
		if (n->evidence) json_object_set_new(o, "evidence", json_string(n->evidence));
		if (n->kids) {
			if (n->has_max) json_put_q(o, "max", n->max);
			json_t *kids = json_array();
			for (inode *k = n->kids; k; k = k->next) {
				json_t *kj = node_json(c, k);
				if (kj) json_array_append_new(kids, kj);
			}
			json_object_set_new(o, "items", kids);
		} else {
			if (n->depth == 2 && n->has_max && n->has_part && q_cmp(n->max, n->part) != 0)
				err(c, n->line, "mã %s: điểm tối đa (%s) khác điểm thành phần (%s)", n->code,
				    qtext(c->a, n->max), qtext(c->a, n->part));
			const char *why;
			json_t *r = leaf_rule(c, n, &why);
			if (!r) { json_decref(o); return NULL; }
			json_object_set_new(o, "rule", r);
			if (why) {
				extra = arena_printf(c->a, "Cách chấm: %s.", why);
				note(c, n, 0, "%s", why);
			}
		}
		if (n->bands && n->depth == 2) {
			band b[MAX_LEVELS];
			size_t nb = 0;
			if (parse_bands(c, n->bands, b, &nb)) json_object_set_new(o, "bands", bands_json(b, nb, NULL));
			else {
				extra = join(c, extra, " ", arena_printf(c->a, "Mức độ theo bảng: %s.", n->bands));
				note(c, n, 0, "không đọc được ngưỡng các mức ở cột \"Mức độ\" (\"%s\"): chỉ ghi vào ghi chú", n->bands);
			}
		} else if (n->bands) {
			extra = join(c, extra, " ", arena_printf(c->a, "Mức độ theo bảng: %s.", n->bands));
		}
	}
	const char *nt = join(c, n->note, " ", extra);
	if (nt) json_object_set_new(o, "note", json_string(nt));
	return o;
}

/* ---- the unit types --------------------------------------------------------- */

static void guess_unit_types(ctx *c, const char *title, bool ut[UT_COUNT], buf *said)
{
	const char *f = fold(c->a, title);
	memset(ut, 0, UT_COUNT * sizeof *ut);
	if (strstr(f, "mam non")) ut[UT_MAM_NON] = true;
	if (strstr(f, "tieu hoc") || strstr(f, "pho thong")) ut[UT_TIEU_HOC] = true;
	if (strstr(f, "trung hoc co so") || strstr(f, "thcs") || strstr(f, "pho thong")) ut[UT_THCS] = true;
	if (strstr(f, "trung hoc pho thong") || strstr(f, "thpt") || strstr(f, "pho thong")) ut[UT_THPT] = true;
	if (strstr(f, "thuong xuyen")) ut[UT_GDTX] = true;
	if (strstr(f, "so giao duc")) ut[UT_SO] = true;
	if (strstr(f, "phong giao duc")) ut[UT_PHONG] = true;
	bool any = false;
	for (int t = 0; t < UT_COUNT; t++) any = any || ut[t];
	if (!any) ut[UT_TIEU_HOC] = ut[UT_THCS] = ut[UT_THPT] = true;
	for (int t = 0; t < UT_COUNT; t++)
		if (ut[t]) buf_printf(said, "%s%s", said->len ? ", " : "", unit_type_name((unit_type)t));
}

/* ---- the whole ------------------------------------------------------------------ */

/* An item's component points merged down from the row above: the points
 * belong to the row where the merge began, so this row would silently get
 * none. An error naming the row. (A row whose STT is merged too is a
 * continuation line, read before this.) */
static bool points_merged_down(ctx *c, const fw_row *r, const int col[FW_NCOLS])
{
	fw_cell_merge mg;
	const char *s = tidy(c->a, cell(r, col, FW_COL_PART, &mg));
	if (mg != FW_CELL_ABOVE || !*s) return false;
	err(c, r->line, "ô ở cột \"%s\" (\"%s\") gộp dọc với hàng trên: mỗi chỉ số cần điểm của riêng nó — tách ô ra",
	    fw_import_headers[FW_COL_PART], s);
	return true;
}

json_t *fw_import_build(const fw_table *t, const fw_import_meta *m, buf *notes, buf *errors)
{
	ctx c = { .a = arena_new(), .m = m, .notes = notes, .errors = errors };
	int col[FW_NCOLS];
	size_t h = 0;
	for (; h < t->nrows; h++)
		if (fw_import_header(&t->rows[h], col)) break;
	json_t *root = NULL;
	if (h == t->nrows) {
		err(&c, 0, "không tìm thấy bảng có các cột \"STT | Tiêu chí | Điểm tối đa | Điểm thành phần | Mức độ | Ghi chú, minh chứng\"");
		goto out;
	}
	if (t->nrows - h > MAX_TABLE_ROWS) {
		err(&c, 0, "bảng có quá nhiều hàng (%zu, tối đa %d)", t->nrows - h, MAX_TABLE_ROWS);
		goto out;
	}
	if (col[FW_COL_PART] < 0) {
		/* the items' points live there: without it every item would be information */
		err(&c, t->rows[h].line, "hàng tiêu đề thiếu cột \"%s\" (điểm của từng chỉ số)", fw_import_headers[FW_COL_PART]);
		goto out;
	}
	for (int k = FW_COL_BANDS; k < FW_NCOLS; k++)
		if (col[k] < 0) note(&c, NULL, t->rows[h].line, "bảng không có cột \"%s\"", fw_import_headers[k]);
	for (size_t i = h + 1; i < t->nrows; i++) {
		const fw_row *r = &t->rows[i];
		fw_cell_merge mstt, mtitle;
		const char *stt = tidy(c.a, cell(r, col, FW_COL_STT, &mstt));
		const char *title = cell(r, col, FW_COL_TITLE, &mtitle);
		if (mstt == FW_CELL_OWN && *stt && mtitle == FW_CELL_LEFT && col[FW_COL_TITLE] > col[FW_COL_STT]) {
			/* one cell across the row: "I. CHUYỂN ĐỔI SỐ …" or a heading */
			const char *sp = strpbrk(stt, ". ");
			const char *code = NULL;
			int depth = 0;
			if (sp && parse_stt(&c, arena_strndup(c.a, stt, (size_t)(sp - stt)), &code, &depth) == CODE_NUMBER &&
			    depth == 1) {
				/* the row as if STT and title had their own cells */
				fw_cell *cells = arena_alloc(c.a, r->ncells * sizeof *cells);
				for (size_t k = 0; k < r->ncells; k++)
					cells[k] = r->cells[k];   /* copies of the spanned cell are not read */
				fw_row rr = { r->line, r->ncells, cells };
				cells[col[FW_COL_STT]].text = code;
				cells[col[FW_COL_TITLE]] = (fw_cell){ tidy(c.a, sp + 1), FW_CELL_OWN };
				numbered(&c, &rr, col, code, 1);
			} else {
				heading(&c, r, col, stt);
			}
			continue;
		}
		if (mstt == FW_CELL_ABOVE) {
			/* the STT cell merged down: the same criterion, another line */
			const char *more = own(&c, r, col, FW_COL_TITLE);
			if (c.last && *more) {
				c.last->note = join(&c, c.last->note, " ", more);
				note(&c, c.last, 0, "hàng %zu (ô STT gộp với hàng trên) được ghi vào ghi chú — cần xem lại", r->line);
			}
			const char *nt = own(&c, r, col, FW_COL_NOTE);
			if (c.last && *nt) read_note(&c, c.last, nt);
			continue;
		}
		if (points_merged_down(&c, r, col)) continue;
		if (!*stt) {
			const char *text = mtitle == FW_CELL_OWN ? tidy(c.a, title) : "";
			if (*text) heading(&c, r, col, text);
			else {
				const char *nt = own(&c, r, col, FW_COL_NOTE);
				if (c.last && *nt) read_note(&c, c.last, nt);
			}
			continue;
		}
		const char *code = NULL;
		int depth = 0;
		switch (parse_stt(&c, stt, &code, &depth)) {
		case CODE_NUMBER: numbered(&c, r, col, code, depth); break;
		case CODE_LETTER: lettered(&c, r, col, code); break;
		case CODE_BAD: {
			const char *f = fold(c.a, stt);
			if (starts(f, "tong") || starts(f, "dieu kien bat buoc")) heading(&c, r, col, stt);
			else err(&c, r->line, "STT \"%s\" không đọc được (cần 1, 1.1, 1.1.1 hoặc a, b, c)", stt);
			break;
		}
		}
	}
	if (!c.groups) err(&c, 0, "bảng không có hàng nào có STT (không có nhóm tiêu chí)");
	if (c.nerr) goto out;

	/* ---- to JSON ---- */
	root = json_object();
	json_object_set_new(root, "chiso_framework", json_integer(1));
	json_object_set_new(root, "id", json_string(m->id ? m->id : ""));
	json_object_set_new(root, "revision", json_integer(m->revision > 0 ? m->revision : 1));
	const char *title = m->title;
	if (!title || !*title) {
		title = arena_printf(c.a, "Bộ chỉ số nhập từ %s", m->file);
		note(&c, NULL, 0, "tên bộ chỉ số chưa có: tạm đặt \"%s\" — cần sửa theo quyết định", title);
	}
	json_object_set_new(root, "title", json_string(title));
	json_t *dec = json_object();
	const char *num = m->decision_number && *m->decision_number ? m->decision_number : NULL;
	const char *date = m->decision_date && *m->decision_date ? m->decision_date : NULL;
	const char *issuer = m->decision_issuer && *m->decision_issuer ? m->decision_issuer : NULL;
	if (!num) note(&c, NULL, 0, "chưa có số quyết định: tạm ghi \"Chưa ghi số\"");
	if (!date) note(&c, NULL, 0, "chưa có ngày quyết định: tạm ghi ngày nhập %s", m->today ? m->today : "2025-01-01");
	if (!issuer) note(&c, NULL, 0, "chưa có cơ quan ban hành: tạm ghi \"Bộ Giáo dục và Đào tạo\"");
	json_object_set_new(dec, "number", json_string(num ? num : "Chưa ghi số"));
	json_object_set_new(dec, "date", json_string(date ? date : m->today ? m->today : "2025-01-01"));
	json_object_set_new(dec, "issuer", json_string(issuer ? issuer : "Bộ Giáo dục và Đào tạo"));
	json_object_set_new(root, "decision", dec);
	json_object_set_new(root, "status", json_string("complete"));
	json_object_set_new(root, "source", json_string("official"));
	json_object_set_new(root, "note", json_sprintf("Nhập từ bảng phụ lục trong tệp %s. Mục có nguồn \"inferred\" "
		"(suy ra) là điều bảng không nói, cần quản trị viên xem lại trước khi công bố.", m->file));
	json_t *uts = json_array();
	bool ut[UT_COUNT];
	if (m->unit_types_set) memcpy(ut, m->unit_types, sizeof ut);
	else {
		buf said;
		buf_init(&said);
		guess_unit_types(&c, title, ut, &said);
		note(&c, NULL, 0, "loại hình đơn vị áp dụng suy ra từ tên: %s — cần xem lại", buf_str(&said));
		buf_free(&said);
	}
	for (int k = 0; k < UT_COUNT; k++)
		if (ut[k]) json_array_append_new(uts, json_string(unit_type_code((unit_type)k)));
	json_object_set_new(root, "unit_types", uts);

	for (inode *g = c.groups; g; g = g->next) compute_total(g);
	json_t *groups = json_array();
	for (inode *g = c.groups; g; g = g->next) {
		json_t *gj = node_json(&c, g);
		if (gj) json_array_append_new(groups, gj);
	}

	json_t *sc = json_object();
	json_object_set_new(sc, "basis", json_string(c.has_total ? "total" : "groups"));
	if (c.has_total) json_put_q(sc, "max", c.total_max);
	else note(&c, NULL, 0, "cách tổng hợp: chấm và xếp mức từng nhóm (basis groups) — suy ra, bảng không có hàng \"Tổng\"");
	json_object_set_new(sc, "gate_policy", json_string("zero_group"));
	if (c.ngates)
		note(&c, NULL, 0, "%zu điều kiện bắt buộc: không đạt thì nhóm của nó không có điểm (zero_group) — hệ quả suy ra, bảng không nói",
		     c.ngates);
	/* levels: the "Mức độ" of the total row or of the first group, else
	 * the 4725 levels (50 %, 75 %) of the first group's maximum */
	static const char *const labels[] = { "Chưa đáp ứng", "Đáp ứng cơ bản", "Đáp ứng tốt", NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	band lb[MAX_LEVELS];
	size_t nlb = 0;
	const inode *src = NULL;
	for (inode *g = c.groups; g && !src; g = g->next) if (g->bands) src = g;
	json_t *levels = NULL;
	if (src && parse_bands(&c, src->bands, lb, &nlb)) {
		levels = bands_json(lb, nlb, nlb == 3 ? labels : NULL);
		for (inode *g = c.groups; g; g = g->next)
			if (g != src && g->bands && strcmp(g->bands, src->bands) != 0)
				note(&c, g, 0, "mức độ của nhóm khác nhóm %s; bộ chỉ số dùng một thang mức (của nhóm %s)", src->code, src->code);
	} else {
		q base = c.has_total ? c.total_max : c.groups->total;
		q l2 = q_mul(base, q_make(1, 2)), l3 = q_mul(base, q_make(3, 4));
		buf b;
		buf_init(&b);
		q_format(&b, l2, 2, false);
		q_parse_decimal(buf_str(&b), 2, &l2);
		buf_reset(&b);
		q_format(&b, l3, 2, false);
		q_parse_decimal(buf_str(&b), 2, &l3);
		buf_free(&b);
		levels = json_array();
		for (int i = 0; i < 3; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "level", json_integer(i + 1));
			json_object_set_new(o, "name", json_sprintf("Mức %d", i + 1));
			json_object_set_new(o, "label", json_string(labels[i]));
			if (i == 1) json_put_q(o, "from", l2);
			if (i == 2) json_put_q(o, "above", l3);
			json_object_set_new(o, "source", json_string("inferred"));
			json_array_append_new(levels, o);
		}
		note(&c, NULL, 0, "các mức chung suy ra như Quyết định 4725: Mức 2 từ %s điểm, Mức 3 trên %s điểm — bảng không ghi",
		     qtext(c.a, l2), qtext(c.a, l3));
	}
	json_object_set_new(sc, "levels", levels);
	json_object_set_new(root, "scoring", sc);
	json_object_set_new(root, "groups", groups);
	if (c.nerr) { json_decref(root); root = NULL; }
out:
	arena_free(c.a);
	return root;
}

framework *fw_import_run(const fw_table *t, const fw_import_meta *m, char **json_text, buf *notes, buf *errors)
{
	*json_text = NULL;
	json_t *j = fw_import_build(t, m, notes, errors);
	if (!j) return NULL;
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text) fatal("out of memory (json_dumps)");
	framework *fw = framework_parse(text, strlen(text), m->file, errors);
	if (!fw) { free(text); return NULL; }
	*json_text = text;
	return fw;
}

bool fw_import_is_table_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 5) return false;
	const char *e = name + n - 5;
	return !strcasecmp(e, ".docx") || !strcasecmp(e, ".xlsx");
}
