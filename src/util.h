/* util.h — process-wide helpers: allocation that aborts on exhaustion.
 * Out of memory is fatal (STYLE.md): callers never check for NULL. */
#ifndef CHISO_UTIL_H
#define CHISO_UTIL_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif
