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

/* The first occurrence of needle (k bytes) in p (n bytes), or NULL (memmem
 * is a GNU extension this build does not enable). */
const void *bytes_find(const void *p, size_t n, const void *needle, size_t k);

/* qsort for a list that may be empty: C leaves qsort(NULL, 0, …) undefined
 * (UBSan stops on it), and an empty list is often a NULL pointer here. */
void sort_list(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif
