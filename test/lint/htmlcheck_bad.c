/* htmlcheck_bad.c — calls tools/htmlcheck.py must refuse, one problem per
 * line marked BAD; `make lint` checks that it reports exactly these. Never
 * compiled into Chiso. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "html.h"

void htmlcheck_bad(buf *out, const char *text, int n, int64_t id, size_t len, q points, bool flag);
void htmlcheck_bad(buf *out, const char *text, int n, int64_t id, size_t len, q points, bool flag)
{
	char name[8] = "x";
	html_f(out, "<p>%h %d %D %z %q %a %u</p>", text, n, id, len, points, name, text);   /* good */
	html_f(out, flag ? "<b>%d</b>" : "<i>%d</i>", flag);                              /* good */
	html_f(out, "<p>%h</p>", n);                  /* BAD: an int for %h */
	html_f(out, "<p>%d</p>", id);                 /* BAD: an int64_t for %d */
	html_f(out, "<p>%D</p>", n);                  /* BAD: an int for %D */
	html_f(out, "<p>%z</p>", n);                  /* BAD: an int for %z */
	html_f(out, "<p>%q</p>", n);                  /* BAD: an int for %q */
	html_f(out, "<p>%h %h</p>", text);            /* BAD: two directives, one argument */
	html_f(out, "<p>%s</p>", text);               /* BAD: no raw %s */
	html_f(out, text);                            /* BAD: a format from data */
	html_f(out, flag ? "<b>%h</b>" : "<i>%d</i>", text);   /* BAD: the second branch wants int */
}
