/* doc.c — building the document model (doc.h) and the plain-text view of
 * it. Rendering lives in doc_pdf.c and doc_docx.c. */
#include "doc.h"
#include "util.h"
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

doc *doc_new(void)
{
	arena *a = arena_new();
	doc *d = arena_alloc(a, sizeof *d);
	d->a = a;
	d->cur = &d->body;
	return d;
}

void doc_free(doc *d)
{
	if (d) arena_free(d->a);
}

/* Grows an arena array of pointers-or-structs: same idea as q_grow. */
static void grow(arena *a, void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap) return;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *fresh = arena_alloc(a, ncap * size);
	if (n) memcpy(fresh, *arr, n * size);
	*arr = fresh;
	*cap = ncap;
}

static const char *dup(doc *d, const char *s)
{
	return s ? arena_strdup(d->a, s) : NULL;
}

static char *vfmt(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static char *vfmt(arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) fatal("doc: bad format \"%s\"", fmt);
	char *s = arena_alloc(a, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void doc_set_header(doc *d, const char *parent, const char *issuer, const char *number,
                    const char *place_date)
{
	d->parent = dup(d, parent);
	d->issuer = dup(d, issuer);
	d->number = dup(d, number);
	d->place_date = dup(d, place_date);
}

void doc_set_title(doc *d, const char *kind, const char *summary)
{
	d->kind = dup(d, kind);
	d->summary = dup(d, summary);
	char *title = summary ? arena_printf(d->a, "%s %s", kind ? kind : "", summary) : arena_strdup(d->a, kind ? kind : "");
	/* the summary's line break is a space in the file's title property */
	for (char *s = title; *s; s++) if (*s == '\n') *s = ' ';
	d->title = kind || summary ? title : NULL;
}

void doc_recipient(doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(d->a, fmt, ap);
	va_end(ap);
	grow(d->a, (void **)&d->recipients, &d->rcap, d->nrecipients, sizeof *d->recipients);
	d->recipients[d->nrecipients++] = s;
	d->has_recipients = true;
}

void doc_sign(doc *d, const char *caption, const char *hint, const char *name)
{
	if (d->nsign >= 2) fatal("doc_sign: at most two signature blocks");
	doc_signature *s = &d->sign[d->nsign++];
	s->caption = dup(d, caption);
	s->hint = dup(d, hint);
	s->name = name && *name ? dup(d, name) : NULL;
}

void doc_annex(doc *d)
{
	grow(d->a, (void **)&d->annexes, &d->acap, d->nannexes, sizeof *d->annexes);
	d->cur = &d->annexes[d->nannexes++];
	memset(d->cur, 0, sizeof *d->cur);
}

static doc_block *block_add(doc *d, doc_block_kind kind)
{
	doc_blocks *b = d->cur;
	grow(d->a, (void **)&b->v, &b->cap, b->n, sizeof *b->v);
	doc_block *k = arena_alloc(d->a, sizeof *k);
	k->kind = kind;
	b->v[b->n++] = k;
	return k;
}

doc_para *doc_para_add(doc *d, doc_align align)
{
	doc_block *k = block_add(d, DOC_BLOCK_PARA);
	k->para.align = align;
	return &k->para;
}

static void run_add(doc *d, doc_para *p, unsigned style, char *text)
{
	grow(d->a, (void **)&p->runs, &p->cap, p->nruns, sizeof *p->runs);
	p->runs[p->nruns++] = (doc_run){ .text = text, .style = style };
}

void doc_run_add(doc *d, doc_para *p, unsigned style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	run_add(d, p, style, vfmt(d->a, fmt, ap));
	va_end(ap);
}

doc_para *doc_text(doc *d, unsigned style, const char *fmt, ...)
{
	doc_para *p = doc_para_add(d, DOC_JUSTIFY);
	p->indent = true;
	va_list ap;
	va_start(ap, fmt);
	run_add(d, p, style, vfmt(d->a, fmt, ap));
	va_end(ap);
	return p;
}

doc_para *doc_line(doc *d, doc_align align, unsigned style, const char *fmt, ...)
{
	doc_para *p = doc_para_add(d, align);
	va_list ap;
	va_start(ap, fmt);
	run_add(d, p, style, vfmt(d->a, fmt, ap));
	va_end(ap);
	return p;
}

/* The outline level a heading's numbering says: "I." / "II." (Roman) 1,
 * "1." 2, "1.1." or "a)" 3; unnumbered 1. */
static int heading_level(const char *s)
{
	size_t roman = strspn(s, "IVX");
	if (roman && s[roman] == '.') return 1;
	size_t digits = strspn(s, "0123456789");
	if (digits && s[digits] == '.') return s[digits + 1] >= '0' && s[digits + 1] <= '9' ? 3 : 2;
	if (s[0] >= 'a' && s[0] <= 'z' && s[1] == ')') return 3;
	return 1;
}

doc_para *doc_heading(doc *d, const char *fmt, ...)
{
	doc_para *p = doc_para_add(d, DOC_JUSTIFY);
	p->keep_next = true;
	p->indent = true;
	va_list ap;
	va_start(ap, fmt);
	char *text = vfmt(d->a, fmt, ap);
	va_end(ap);
	run_add(d, p, DOC_B, text);
	p->heading = heading_level(text);
	return p;
}

void doc_page_break(doc *d)
{
	block_add(d, DOC_BLOCK_PAGE_BREAK);
}

doc_table *doc_table_add(doc *d, size_t ncols, const double *widths)
{
	doc_block *k = block_add(d, DOC_BLOCK_TABLE);
	doc_table *t = &k->table;
	t->ncols = ncols;
	t->widths = arena_alloc(d->a, ncols * sizeof *t->widths);
	memcpy(t->widths, widths, ncols * sizeof *t->widths);
	return t;
}

doc_chart *doc_chart_add(doc *d, const char *title, size_t ncats, size_t nseries)
{
	doc_block *k = block_add(d, DOC_BLOCK_CHART);
	doc_chart *c = &k->chart;
	c->title = dup(d, title);
	c->ncats = ncats;
	c->nseries = nseries;
	c->cats = arena_alloc(d->a, (ncats + 1) * sizeof *c->cats);
	c->series = arena_alloc(d->a, (nseries + 1) * sizeof *c->series);
	c->values = arena_alloc(d->a, (ncats * nseries + 1) * sizeof *c->values);
	return c;
}

doc_row *doc_row_add(doc *d, doc_table *t, bool header)
{
	grow(d->a, (void **)&t->rows, &t->cap, t->nrows, sizeof *t->rows);
	doc_row *r = arena_alloc(d->a, sizeof *r);
	r->header = header;
	t->rows[t->nrows++] = r;
	return r;
}

doc_para *doc_cell_add(doc *d, doc_row *r, doc_align align, int span)
{
	grow(d->a, (void **)&r->cells, &r->cap, r->ncells, sizeof *r->cells);
	doc_cell *c = &r->cells[r->ncells++];
	memset(c, 0, sizeof *c);
	c->p.align = align;
	c->span = span < 1 ? 1 : span;
	return &c->p;
}

void doc_cellf(doc *d, doc_row *r, doc_align align, unsigned style, const char *fmt, ...)
{
	/* The cell is added first: a later doc_cell_add may move r->cells. */
	doc_para *p = doc_cell_add(d, r, align, 1);
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(d->a, fmt, ap);
	va_end(ap);
	run_add(d, p, style, s);
}

/* ---- helpers -------------------------------------------------------------- */

char *doc_upper(arena *a, const char *s)
{
	if (!s) return NULL;
	size_t len = strlen(s);
	/* A code point takes at most 4 bytes and at least 1: 4× always fits. */
	char *out = arena_alloc(a, len * 4 + 1);
	size_t o = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)len;
	while (left > 0) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
		if (k <= 0) { out[o++] = (char)*p; p++; left--; continue; }  /* not UTF-8: copy the byte */
		o += (size_t)utf8proc_encode_char(utf8proc_toupper(c), (utf8proc_uint8_t *)out + o);
		p += k;
		left -= k;
	}
	out[o] = '\0';
	return out;
}
