/* testutil.h — small helpers shared by the cmocka unit tests. */
#ifndef CHISO_TESTUTIL_H
#define CHISO_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* cmocka 1.1.6 does not declare _fail noreturn (it long-jumps out of the
 * test): tell clang's analyzer, so that `if (!p) fail_msg(…);` followed
 * by a use of p is not reported as a null dereference. */
#ifdef __clang_analyzer__
void _fail(const char *const file, const int line) __attribute__((noreturn));
#endif

/* assert that haystack contains needle, printing both when it does not */
#define assert_contains(haystack, needle) do { \
	const char *h_ = (haystack), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) fail_msg("expected to find \"%s\" in:\n%s", n_, h_ ? h_ : "(null)"); \
} while (0)
#endif
