/* html.c — the escaping writer. Escapers copy runs of safe bytes with one
 * memcpy (a per-byte writer measured 4× slower on a 5.5 KB page). */
#include "html.h"
#include "util.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bytes that end a run: NUL and what must be escaped in text (1) or in
 * an attribute (2). A table lookup per byte, no switch, no strlen. */
static const unsigned char stops[256] = { [0] = 3, ['&'] = 3, ['<'] = 3, ['>'] = 3, ['"'] = 2, ['\''] = 2 };

static void escape(buf *out, const char *s, bool attr)
{
	if (!s) return;
	const unsigned char mask = attr ? 3 : 1;
	const char *run = s, *p = s;
	for (;;) {
		while (!(stops[(unsigned char)*p] & mask)) p++;
		if (p > run) buf_append(out, run, (size_t)(p - run));
		const char *rep;
		switch (*p) {
		case '\0': return;
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = "&#39;"; break;
		}
		buf_append(out, rep, strlen(rep));
		run = ++p;
	}
}

void html_text(buf *out, const char *s) { escape(out, s, false); }
void html_attr(buf *out, const char *s) { escape(out, s, true); }

void html_url(buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s) return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			buf_putc(out, (char)*p);
		} else {
			char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			buf_append(out, e, 3);
		}
	}
}

void html_vf(buf *out, const char *fmt, va_list ap)
{
	const char *run = fmt;
	/* strchr finds the next directive many bytes at a time: the formats
	 * are long runs of markup with a few directives */
	for (const char *p; (p = strchr(run, '%')) != NULL;) {
		if (p > run) buf_append(out, run, (size_t)(p - run));
		switch (*++p) {
		case 'h': html_text(out, va_arg(ap, const char *)); break;
		case 'a': html_attr(out, va_arg(ap, const char *)); break;
		case 'u': html_url(out, va_arg(ap, const char *)); break;
		case 'd': buf_put_int(out, va_arg(ap, int)); break;
		case 'D': buf_put_int(out, (long long)va_arg(ap, int64_t)); break;
		case 'z': buf_put_uint(out, va_arg(ap, size_t)); break;
		case 'q': q_format(out, va_arg(ap, q), 2, true); break;
		case '%': buf_putc(out, '%'); break;
		default: fatal("html_f: unknown directive %%%c in \"%s\"", *p ? *p : '0', fmt);
		}
		run = p + 1;
	}
	buf_puts(out, run);
}

void html_f(buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vf(out, fmt, ap);
	va_end(ap);
}
