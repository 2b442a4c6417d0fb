/* test_html.c — the escaping writer: every conversion escapes for its
 * context, runs are copied intact, NULL renders as nothing. */
#include "html.h"
#include "testutil.h"

static void test_text_and_attr(void **state)
{
	(void)state;
	buf b;
	buf_init(&b);
	html_f(&b, "<p>%h</p>", "<script>alert('x')</script> & \"Trường\"");
	assert_string_equal(buf_str(&b), "<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"Trường\"</p>");
	buf_reset(&b);
	html_f(&b, "<input value=\"%a\">", "\" onfocus=\"alert(1)' <b>");
	assert_string_equal(buf_str(&b), "<input value=\"&quot; onfocus=&quot;alert(1)&#39; &lt;b&gt;\">");
	buf_reset(&b);
	html_f(&b, "<a href=\"/tim?q=%u\">", "Đông Hà & x=1/2");
	assert_string_equal(buf_str(&b), "<a href=\"/tim?q=%C4%90%C3%B4ng%20H%C3%A0%20%26%20x%3D1%2F2\">");
	buf_free(&b);
}

static void test_numbers_and_null(void **state)
{
	(void)state;
	buf b;
	buf_init(&b);
	html_f(&b, "%d|%D|%z|%q|%q|%%|%h|", -3, (int64_t)9007199254740993LL, (size_t)42, q_make(15, 2), q_int(75), (const char *)NULL);
	assert_string_equal(buf_str(&b), "-3|9007199254740993|42|7,5|75|%||");
	buf_free(&b);
}

static void test_long_runs(void **state)
{
	(void)state;
	buf b, in;
	buf_init(&b);
	buf_init(&in);
	for (int i = 0; i < 2000; i++) buf_puts(&in, "Chuyển đổi số <&> ");
	html_text(&b, buf_str(&in));
	/* each "<&>" becomes 13 bytes instead of 3 */
	assert_int_equal(b.len, in.len + (size_t)2000 * 10);
	buf_free(&b);
	buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_attr),
		cmocka_unit_test(test_numbers_and_null),
		cmocka_unit_test(test_long_runs),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
