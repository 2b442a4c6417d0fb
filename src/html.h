/* html.h — the one way Chiso writes HTML (and SVG/XML): a writer whose
 * format string is the only raw markup, and every dynamic value goes
 * through a typed conversion that escapes for its context:
 *
 *   %h  text (const char *), escaped for element content
 *   %a  attribute value (const char *), escaped for a quoted attribute
 *   %u  URL component (const char *), percent-encoded (then safe anywhere)
 *   %d  int          %D  int64_t        %z  size_t
 *   %q  points (q), Vietnamese decimal comma, at most 2 decimals
 *   %%  a percent sign
 *
 * There is no raw %s: text from the database, the user or a framework file
 * cannot reach the page unescaped. An unknown directive aborts (a
 * programming error, found by the first test that renders the page).
 * NULL strings render as nothing. */
#ifndef CHISO_HTML_H
#define CHISO_HTML_H
#include <stdarg.h>
#include "buf.h"
#include "exact.h"

void html_f(buf *out, const char *fmt, ...);
void html_vf(buf *out, const char *fmt, va_list ap);
void html_text(buf *out, const char *s);   /* = html_f(out, "%h", s) */
void html_attr(buf *out, const char *s);   /* = html_f(out, "%a", s) */
void html_url(buf *out, const char *s);    /* = html_f(out, "%u", s) */
#endif
