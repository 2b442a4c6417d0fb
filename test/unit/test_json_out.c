/* test_json_out.c — json_out (the JSON API's writer) must give, byte for
 * byte, what json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(12)) gives: for hand-made values at the edges (empty
 * and deep containers, escapes, reals that print as integers or with
 * exponents, integer extremes), for random trees, and for the shipped
 * frameworks (large real documents). It must refuse what json_dumps
 * refuses: NaN and infinities. */
#include "json_out.h"
#include "testutil.h"
#include "util.h"
#include <stdio.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { FLAGS = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12) };

static void same(json_t *v)
{
	char *want = json_dumps(v, FLAGS | JSON_ENCODE_ANY); /* (a scalar too) */
	assert_non_null(want);
	buf b;
	buf_init(&b);
	assert_true(json_out(&b, v));
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
	free(want);
}

static void test_edges(void **state)
{
	(void)state;
	static const double reals[] = { 0.0, -0.0, 0.5, 1.0, 100.0, -3.25, 1e-7, 1.5e-300, 1e21, 123456789012345.0,
		3.141592653589793, 2.0 / 3.0, 1e100, -1e-100, 4.7e-5, 99999999999.9 };
	json_t *o = json_object();
	json_object_set_new(o, "empty_object", json_object());
	json_object_set_new(o, "empty_array", json_array());
	json_object_set_new(o, "z_first_then_a", json_true());
	json_object_set_new(o, "a", json_false());
	json_object_set_new(o, "null", json_null());
	json_object_set_new(o, "escapes", json_string("\"quoted\" \\ back\tslash\nnew\rline\b\f \x01\x1f / Trường Việt €"));
	json_object_set_new(o, "key \"with\" \n escapes", json_integer(1));
	json_t *ints = json_array();
	static const json_int_t iv[] = { 0, -1, 1, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };
	for (size_t i = 0; i < ARRAY_LEN(iv); i++) json_array_append_new(ints, json_integer(iv[i]));
	json_object_set_new(o, "ints", ints);
	json_t *rs = json_array();
	for (size_t i = 0; i < ARRAY_LEN(reals); i++) json_array_append_new(rs, json_real(reals[i]));
	json_object_set_new(o, "reals", rs);
	/* deeper than the indent table */
	json_t *deep = json_string("đáy");
	for (int i = 0; i < 60; i++) deep = json_pack(i % 2 ? "[o]" : "{s:o}", i % 2 ? (void *)deep : (void *)"k", deep);
	json_object_set_new(o, "deep", deep);
	same(o);
	json_decref(o);
	json_t *scalar = json_string("một");
	same(scalar);
	json_decref(scalar);

	buf b;
	buf_init(&b);
	json_t *bad = json_pack("{s:[f]}", "x", NAN);
	assert_null(json_dumps(bad, FLAGS));
	assert_false(json_out(&b, bad));
	json_decref(bad);
	assert_false(json_out(&b, NULL));
	buf_free(&b);
}

static json_t *random_tree(unsigned *seed, int depth)
{
	int k = rand_r(seed) % (depth > 5 ? 6 : 8);
	switch (k) {
	case 0: return json_integer(rand_r(seed) - RAND_MAX / 2);
	case 1: return json_real((rand_r(seed) - RAND_MAX / 2) / (double)(1 + rand_r(seed) % 100000));
	case 2: {
		char s[16];
		for (size_t i = 0; i < sizeof s - 1; i++) s[i] = (char)(1 + rand_r(seed) % 127);
		s[sizeof s - 1] = '\0';
		return json_string(s);
	}
	case 3: return json_boolean(rand_r(seed) % 2);
	case 4: return json_null();
	case 5: return json_string("Mức độ");
	case 6: {
		json_t *a = json_array();
		for (int i = rand_r(seed) % 5; i > 0; i--) json_array_append_new(a, random_tree(seed, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (int i = rand_r(seed) % 5; i > 0; i--) {
			char key[8];
			snprintf(key, sizeof key, "k%d", rand_r(seed) % 50);
			json_object_set_new(o, key, random_tree(seed, depth + 1));
		}
		return o;
	}
	}
}

static void test_random_trees(void **state)
{
	(void)state;
	unsigned seed = 19;
	for (int i = 0; i < 500; i++) {
		json_t *t = random_tree(&seed, 0);
		same(t);
		json_decref(t);
	}
}

static void test_frameworks(void **state)
{
	(void)state;
	static const char *const files[] = { "frameworks/qd4725-2022.json", "frameworks/q7-mamnon-2023.json",
		"frameworks/qd3806-2024.json", "frameworks/qd3276-2024.json" };
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		json_error_t err;
		json_t *fw = json_load_file(files[i], 0, &err);
		if (!fw) fail_msg("%s: %s", files[i], err.text);
		same(fw);
		json_decref(fw);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_frameworks),
	};
	return cmocka_run_group_tests_name("json_out", tests, NULL, NULL);
}
