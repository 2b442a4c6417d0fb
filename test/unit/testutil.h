/* testutil.h — small helpers shared by the cmocka unit tests. */
#ifndef CHISO_TESTUTIL_H
#define CHISO_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* assert that haystack contains needle, printing both when it does not */
#define assert_contains(haystack, needle) do { \
	const char *h_ = (haystack), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) fail_msg("expected to find \"%s\" in:\n%s", n_, h_ ? h_ : "(null)"); \
} while (0)
#endif
