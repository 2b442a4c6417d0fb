/* arena.c — chunked bump allocator; large requests get their own chunk. */
#include "arena.h"
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { CHUNK = 16384, ALIGN = 16 };

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char mem[];
};

struct arena {
	struct chunk *head;
};

arena *arena_new(void)
{
	return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
	if (!a) return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0) n = ALIGN;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK / 4 ? n : CHUNK;
		c = xmalloc(sizeof(struct chunk) + size);
		c->used = 0;
		c->size = size;
		/* A big private chunk goes behind the current one so the current
		 * chunk's free space stays usable. */
		if (size != CHUNK && a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->mem + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	/* Short texts (field names, labels) are formatted once into a stack
	 * buffer and copied; only longer ones are measured first. */
	char small[256];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) fatal("arena_printf: bad format");
	char *d = arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof small) memcpy(d, small, (size_t)n + 1);
	else vsnprintf(d, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return d;
}
