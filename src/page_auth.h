/* page_auth.h — what page_auth.c shares beyond its routes (web.h lists
 * those): the check on where a sign-in may send the browser next. */
#ifndef CHISO_PAGE_AUTH_H
#define CHISO_PAGE_AUTH_H

enum { PAGE_AUTH_NEXT_MAX = 512 };

/* `next` (the "tiep" parameter) when it is a local path: a single leading
 * '/', then at most PAGE_AUTH_NEXT_MAX bytes of A-Z a-z 0-9 and
 * "-._~/?=&%+,:" — no second '/' or '\\' after the first, no control
 * character, space or backslash anywhere. Anything else gives "/", so a
 * sign-in never leads to another site. Pure. */
const char *page_auth_safe_next(const char *next);
#endif
