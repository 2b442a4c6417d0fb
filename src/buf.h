/* buf.h — a growable byte string. The owner calls buf_free (or takes the
 * data with buf_take). Text is always NUL-terminated. */
#ifndef CHISO_BUF_H
#define CHISO_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Decimal integers, as "%lld" / "%llu" would write them, without printf. */
void buf_put_int(buf *b, long long v);
void buf_put_uint(buf *b, unsigned long long v);
char *buf_take(buf *b); /* caller owns the result; b is left empty */
const char *buf_str(const buf *b);
#endif
