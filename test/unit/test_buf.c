/* test_buf.c — the formatting paths the pages lean on: integers written by
 * hand (buf_put_int, html_f's %d %D %z, q_format) must say exactly what
 * printf would, at the extremes too; buf_printf and arena_printf must give
 * the same text whether or not it fits the space already there. */
#include "arena.h"
#include "exact.h"
#include "html.h"
#include "testutil.h"
#include "util.h"
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void test_integers_like_printf(void **state)
{
	(void)state;
	static const long long vals[] = { 0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321,
		INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, 9007199254740993LL };
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
		char want[32];
		snprintf(want, sizeof want, "%lld", vals[i]);
		buf_reset(&b);
		buf_put_int(&b, vals[i]);
		assert_string_equal(buf_str(&b), want);
		buf_reset(&b);
		html_f(&b, "%D", (int64_t)vals[i]);
		assert_string_equal(buf_str(&b), want);
	}
	buf_reset(&b);
	buf_put_uint(&b, ULLONG_MAX);
	assert_string_equal(buf_str(&b), "18446744073709551615");
	buf_reset(&b);
	html_f(&b, "%d %d %z %z", INT_MIN, INT_MAX, (size_t)0, SIZE_MAX);
	char want[96];
	snprintf(want, sizeof want, "%d %d 0 %zu", INT_MIN, INT_MAX, (size_t)SIZE_MAX);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_points(void **state)
{
	(void)state;
	buf b;
	buf_init(&b);
	html_f(&b, "%q|%q|%q|%q|%q", q_int(0), q_make(-1, 2), q_make(-15, 2), q_make(1, 3), q_int(-100));
	assert_string_equal(buf_str(&b), "0|-0,5|-7,5|0,33|-100");
	buf_reset(&b);
	q_format(&b, q_make(2, 3), 2, false);
	assert_string_equal(buf_str(&b), "0.67");
	buf_free(&b);
}

static void test_printf_grows(void **state)
{
	(void)state;
	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf b;
	buf_init(&b);
	/* appended to an empty buffer, to one with room, and to one without */
	for (int round = 0; round < 3; round++) {
		size_t before = b.len;
		buf_printf(&b, "[%s|%d]", round == 1 ? "ngắn" : big, round);
		char tail[3100];
		snprintf(tail, sizeof tail, "[%s|%d]", round == 1 ? "ngắn" : big, round);
		assert_int_equal(b.len, before + strlen(tail));
		assert_string_equal(b.data + before, tail);
		assert_int_equal(strlen(buf_str(&b)), b.len);
	}
	buf_free(&b);

	arena *a = arena_new();
	assert_string_equal(arena_printf(a, "v:%s:%s", "1.3.2", "num"), "v:1.3.2:num");
	char *s = arena_printf(a, "%s%s", big, "!");
	assert_int_equal(strlen(s), sizeof big);
	assert_int_equal(s[sizeof big - 1], '!');
	char exact[256];
	memset(exact, 'y', 255);
	exact[255] = '\0';   /* 255 characters: the largest that fits the stack buffer */
	assert_string_equal(arena_printf(a, "%s", exact), exact);
	exact[254] = '\0';
	assert_string_equal(arena_printf(a, "%s%c", exact, 'z') + 254, "z");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_like_printf),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_printf_grows),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
