/* buf.c — growable byte strings (doubling, always NUL-terminated). */
#include "buf.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b) { b->data = NULL; b->len = b->cap = 0; }
void buf_free(buf *b) { free(b->data); buf_init(b); }
void buf_reset(buf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }

static void buf_grow(buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap) return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s) { buf_append(b, s, strlen(s)); }
void buf_putc(buf *b, char c) { buf_append(b, &c, 1); }

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	/* One vsnprintf when the text fits the free space (it nearly always
	 * does once the buffer has grown); a second only when it did not. */
	buf_grow(b, 32);
	va_list ap2;
	va_copy(ap2, ap);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) fatal("buf_vprintf: bad format");
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

/* Decimal integers by hand: the pages write hundreds of numbers (points,
 * ids, counts), and vsnprintf cost ~1,400 instructions for each. */
void buf_put_uint(buf *b, unsigned long long v)
{
	char d[24];
	size_t i = sizeof d;
	do d[--i] = (char)('0' + v % 10); while ((v /= 10) != 0);
	buf_append(b, d + i, sizeof d - i);
}

void buf_put_int(buf *b, long long v)
{
	if (v < 0) {
		buf_putc(b, '-');
		buf_put_uint(b, 0ULL - (unsigned long long)v);   /* LLONG_MIN too */
	} else {
		buf_put_uint(b, (unsigned long long)v);
	}
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_take(buf *b)
{
	char *d = b->data ? b->data : xstrdup("");
	buf_init(b);
	return d;
}

const char *buf_str(const buf *b) { return b->data ? b->data : ""; }
