/* util.c — allocation wrappers that abort loudly on exhaustion. */
#include "util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("chiso: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p) fatal("out of memory (%zu x %zu bytes)", count, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) fatal("out of memory (%zu bytes)", n);
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* The first occurrence of needle (k bytes) in p (n bytes), or NULL; memmem
 * is a GNU extension this build does not enable. */
const void *bytes_find(const void *p, size_t n, const void *needle, size_t k)
{
	const unsigned char *s = p;
	if (k == 0 || n < k) return NULL;
	for (size_t i = 0; i + k <= n; i++) {
		const unsigned char *hit = memchr(s + i, *(const unsigned char *)needle, n - k + 1 - i);
		if (!hit) return NULL;
		if (memcmp(hit, needle, k) == 0) return hit;
		i = (size_t)(hit - s);
	}
	return NULL;
}

void sort_list(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1) qsort(base, n, size, cmp);
}
