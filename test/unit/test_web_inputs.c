/* test_web_inputs.c — the declared inputs of a route (web.h web_input),
 * parsed and checked by the dispatcher (web_route.c) before a handler
 * runs: every type, the limits, a required field, a prefix input (one
 * field per framework item) and a repeated one (checkboxes); a bad value
 * is answered 400 with a Vietnamese message naming the field, and the
 * handler reads only what was declared. No database: the route loads
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "web.h"

typedef struct req {
	arena *a;
	http_req r;
	web_app app;
	web w;
} req;

/* A POST of the fields given as name, value, …, NULL. */
static req *post(const char *first, ...)
{
	req *rq = calloc(1, sizeof *rq);
	rq->a = arena_new();
	http_field *f = arena_alloc(rq->a, 32 * sizeof *f);
	size_t n = 0;
	va_list ap;
	va_start(ap, first);
	for (const char *name = first; name && n < 32; name = va_arg(ap, const char *)) {
		f[n].name = name;
		f[n++].value = va_arg(ap, const char *);
	}
	va_end(ap);
	rq->r = (http_req){ .a = rq->a, .method = "POST", .path = "/thu", .remote = "127.0.0.1", .fields = f, .nfields = n,
	                   .app = &rq->app };
	buf_init(&rq->r.body);
	rq->w = (web){ .r = &rq->r, .a = rq->a, .app = &rq->app, .out = &rq->r.body };
	return rq;
}

static void done(req *rq)
{
	web_route_release(&rq->w);
	buf_free(&rq->r.body);
	arena_free(rq->a);
	free(rq);
}

static void noop(web *w) { (void)w; }

static const char *const kinds[] = { "bien_ban", "to_trinh", NULL };
static const web_input inputs[] = {
	{ .name = "ly_do", .type = WEB_IN_TEXT, .max = 20, .label = "lý do" },
	{ .name = "ten", .type = WEB_IN_TEXT, .required = true, .min = 2, .label = "tên" },
	{ .name = "tai_khoan", .type = WEB_IN_ID, .label = "tài khoản" },
	{ .name = "muc", .type = WEB_IN_INT, .min = 1, .max = 3, .label = "mức" },
	{ .name = "loai", .type = WEB_IN_ENUM, .values = kinds, .label = "loại văn bản" },
	{ .name = "ngay", .type = WEB_IN_DATE, .label = "ngày" },
	{ .name = "xac_nhan", .type = WEB_IN_BOOL },
	{ .name = "gc:", .type = WEB_IN_TEXT, .max = 10, .prefix = true, .label = "ghi chú" },
	{ .name = "f:", .type = WEB_IN_BOOL, .prefix = true },
	{ .name = "tv", .type = WEB_IN_ID, .many = true, .label = "thành viên" },
	{ .name = "mat_khau", .type = WEB_IN_SECRET, .max = 16, .label = "mật khẩu" },
	{ .name = NULL },
};
static const web_route route = { "POST", "/thu", noop, 0, .load = WEB_LOAD_NONE, .inputs = inputs };

/* Prepares the route on rq; the status (0: the handler would run). */
static int prepare(req *rq)
{
	return web_route_prepare(&rq->w, &route);
}

static void assert_refused(req *rq, const char *field_label)
{
	assert_int_equal(prepare(rq), 400);
	assert_int_equal(rq->r.status, 400);
	const char *page = buf_str(&rq->r.body);
	assert_non_null(strstr(page, "Dữ liệu gửi lên không hợp lệ"));
	assert_non_null(strstr(page, field_label));
	done(rq);
}

static void test_values_parsed(void **state)
{
	(void)state;
	req *rq = post("ten", "  Tổ  chuyên môn\t", "ly_do", "", "tai_khoan", "42", "muc", "3", "loai", "to_trinh",
	              "ngay", "2025-02-28", "xac_nhan", "", "khac", "không khai báo", (char *)NULL);
	assert_int_equal(prepare(rq), 0);
	web *w = &rq->w;
	assert_string_equal(web_in_text(w, "ten"), "Tổ  chuyên môn");   /* trimmed */
	assert_false(web_in_given(w, "ly_do"));   /* empty = not given */
	assert_null(web_in_text(w, "ly_do"));
	assert_int_equal(web_in_int(w, "tai_khoan", 0), 42);
	assert_int_equal(web_in_int(w, "muc", 0), 3);
	assert_string_equal(web_in_text(w, "loai"), "to_trinh");
	assert_string_equal(web_in_text(w, "ngay"), "2025-02-28");
	assert_true(web_in_bool(w, "xac_nhan"));   /* a checkbox: present, whatever its value */
	assert_null(web_in_text(w, "khac"));       /* undeclared: never read */
	size_t n = 9;
	assert_null(web_in_list(w, "tv", &n, NULL));
	assert_int_equal(n, 0);
	done(rq);
}

static void test_text_is_nfc(void **state)
{
	(void)state;
	/* "Hội" decomposed (o + combining circumflex + combining dot below) */
	req *rq = post("ten", "Ho\xcc\x82\xcc\xa3i", (char *)NULL);
	assert_int_equal(prepare(rq), 0);
	assert_string_equal(web_in_text(&rq->w, "ten"), "Hội");
	done(rq);
}

static void test_bad_values_refused(void **state)
{
	(void)state;
	assert_refused(post("ly_do", "x", (char *)NULL), "tên");                                   /* required, absent */
	assert_refused(post("ten", "   ", (char *)NULL), "tên");                                   /* only blanks */
	assert_refused(post("ten", "A", (char *)NULL), "tên");                                     /* shorter than min */
	assert_refused(post("ten", "Tổ", "ly_do", "Một lý do dài hơn hai mươi byte", (char *)NULL), "lý do");
	assert_refused(post("ten", "Tổ", "tai_khoan", "0", (char *)NULL), "tài khoản");
	assert_refused(post("ten", "Tổ", "tai_khoan", "12a", (char *)NULL), "tài khoản");
	assert_refused(post("ten", "Tổ", "muc", "4", (char *)NULL), "mức");
	assert_refused(post("ten", "Tổ", "loai", "quyet_dinh", (char *)NULL), "loại văn bản");
	assert_refused(post("ten", "Tổ", "ngay", "2025-02-29", (char *)NULL), "ngày");           /* not a real date */
	assert_refused(post("ten", "\xff\xfe", (char *)NULL), "tên");                              /* not UTF-8 */
}

static void test_prefix_fields(void **state)
{
	(void)state;
	req *rq = post("ten", "Tổ", "gc:1.1", " đủ ", "gc:1.2", "", "gc:2.1", "x", "gc:2.1", "sau cùng", "f:1.1", "1",
	              "gc:", "không có mã", (char *)NULL);
	assert_int_equal(prepare(rq), 0);
	web *w = &rq->w;
	assert_string_equal(web_in_text(w, "gc:1.1"), "đủ");
	assert_false(web_in_given(w, "gc:1.2"));
	assert_string_equal(web_in_text(w, "gc:2.1"), "sau cùng");   /* the last value wins */
	assert_null(web_in_text(w, "gc:3.1"));                        /* not posted */
	assert_null(web_in_text(w, "gc:"));                           /* the bare prefix is no field */
	assert_true(web_in_bool(w, "f:1.1"));
	assert_false(web_in_bool(w, "f:1.2"));
	done(rq);
	/* a prefixed field that repeats (an item's checkboxes): every value */
	rq = post("ten", "Tổ", "gc:4.1:thieu", "a", "gc:4.1:thieu", "", "gc:4.1:thieu", "c", (char *)NULL);
	assert_int_equal(prepare(rq), 0);
	size_t n;
	const char **v = web_in_list(&rq->w, "gc:4.1:thieu", &n, NULL);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "c");
	assert_string_equal(web_in_text(&rq->w, "gc:4.1:thieu"), "c");
	done(rq);
	assert_refused(post("ten", "Tổ", "gc:4.1:thieu", "quá dài cho mười byte", "gc:4.1:thieu", "c", (char *)NULL), "ghi chú");
	/* every prefixed field is checked as declared */
	assert_refused(post("ten", "Tổ", "gc:1.1", "ngắn", "gc:1.2", "dài hơn mười byte", (char *)NULL), "ghi chú");
}

static void test_repeated_fields(void **state)
{
	(void)state;
	req *rq = post("ten", "Tổ", "tv", "7", "tv", "", "tv", "12", (char *)NULL);
	assert_int_equal(prepare(rq), 0);
	size_t n;
	const int64_t *ids;
	const char **v = web_in_list(&rq->w, "tv", &n, &ids);
	assert_int_equal(n, 2);   /* the empty one is not given */
	assert_string_equal(v[0], "7");
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[1], 12);
	assert_null(web_in_text(&rq->w, "tv"));   /* a list is read as a list */
	done(rq);
	assert_refused(post("ten", "Tổ", "tv", "7", "tv", "bảy", (char *)NULL), "thành viên");
}

static void test_secret_as_sent(void **state)
{
	(void)state;
	req *rq = post("ten", "Tổ", "mat_khau", " Ho\xcc\x82i 8 ", (char *)NULL);
	assert_int_equal(prepare(rq), 0);
	assert_string_equal(web_in_text(&rq->w, "mat_khau"), " Ho\xcc\x82i 8 ");   /* neither NFC nor trimmed */
	done(rq);
	assert_refused(post("ten", "Tổ", "mat_khau", "\xc3\x28", (char *)NULL), "mật khẩu");
	assert_refused(post("ten", "Tổ", "mat_khau", "mười bảy byte đây", (char *)NULL), "mật khẩu");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_parsed),
		cmocka_unit_test(test_text_is_nfc),
		cmocka_unit_test(test_bad_values_refused),
		cmocka_unit_test(test_prefix_fields),
		cmocka_unit_test(test_repeated_fields),
		cmocka_unit_test(test_secret_as_sent),
	};
	return cmocka_run_group_tests_name("web_inputs", tests, NULL, NULL);
}
