/* test_page_cache.c — the kept pages (page_cache.c): a hit gives back the
 * body with the asking session's token in every hole; another mark, a
 * later day, another account or another object is a miss; a page read
 * under an older mark never replaces a newer one; the byte budget holds
 * (least recently used go first; a page bigger than the budget is not
 * kept); a hit lent as pieces is the copy's bytes and outlives its drop; and eight threads hammering one small cache leave it consistent
 * (run under ASan/UBSan: make asan). */
#include "page_cache.h"
#include "testutil.h"
#include "util.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hole[] = "HOLEtokenHOLE";

static void head(void *ctx, const char *title, bool flag)
{
	buf *b = ctx;
	buf_printf(b, "[%s|%d]", title, flag);
}

/* The page kept for k as get gives it (head + body), or NULL on a miss; malloc'd. */
static char *got(page_cache *c, page_key k, const char *fill)
{
	buf b;
	buf_init(&b);
	if (!page_cache_get(c, &k, fill, &b, head, &b)) {
		assert_int_equal(b.len, 0);
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

static void test_hit_fills_every_hole(void **state)
{
	(void)state;
	page_cache *c = page_cache_new(1 << 20);
	page_key k = { .object = 7, .account = 3, .mark = 41, .day = 20261207 };
	const char body[] = "<form><input name=\"_csrf\" value=\"HOLEtokenHOLE\"></form>HOLEtokenHOLEend";
	page_cache_put(c, &k, "Trường THCS", true, body, strlen(body), hole);
	char *s = got(c, k, "tok-A");
	assert_string_equal(s, "[Trường THCS|1]<form><input name=\"_csrf\" value=\"tok-A\"></form>tok-Aend");
	free(s);
	s = got(c, k, "another-longer-token-of-session-B");   /* another session of the same account */
	assert_string_equal(s, "[Trường THCS|1]<form><input name=\"_csrf\" value=\"another-longer-token-of-session-B\"></form>"
	                       "another-longer-token-of-session-Bend");
	free(s);
	/* a body without a hole, and a hole at both ends */
	page_key k2 = { .object = 8, .account = 3, .mark = 41, .day = 20261207 };
	page_cache_put(c, &k2, "", false, "HOLEtokenHOLEmidHOLEtokenHOLE", 29, hole);
	s = got(c, k2, "t");
	assert_string_equal(s, "[|0]tmidt");
	free(s);
	page_cache_stats st;
	page_cache_stats_get(c, &st);
	assert_int_equal(st.hits, 3);
	assert_int_equal(st.entries, 2);
	page_cache_free(c);
}

/* The pieces of a loan, joined; malloc'd. */
static char *joined(const struct iovec *iov, size_t n)
{
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) buf_append(&b, iov[i].iov_base, iov[i].iov_len);
	buf_putc(&b, '\0');
	return buf_take(&b);
}

/* A loan is the copy's bytes without the copy, and keeps its entry alive
 * after the cache has dropped it (a write moved the mark meanwhile). */
static void test_loan_is_the_copy(void **state)
{
	(void)state;
	page_cache *c = page_cache_new(1 << 20);
	page_key k = { .object = 7, .account = 3, .mark = 41, .day = 20261207 };
	const char body[] = "HOLEtokenHOLE<form><input name=\"_csrf\" value=\"HOLEtokenHOLE\"></form>end";
	page_cache_put(c, &k, "Trường THCS", true, body, strlen(body), hole);
	buf h;
	buf_init(&h);
	const struct iovec *iov;
	size_t n;
	page_loan *l = page_cache_lend(c, &k, "tok-A", head, &h, &iov, &n);
	assert_non_null(l);
	assert_string_equal(buf_str(&h), "[Trường THCS|1]");
	char *copy = got(c, k, "tok-A"), *lent = joined(iov, n);
	assert_string_equal(copy, "[Trường THCS|1]tok-A<form><input name=\"_csrf\" value=\"tok-A\"></form>end");
	assert_string_equal(copy + h.len, lent);
	free(copy);
	free(lent);
	page_key newer = k;
	newer.mark = 42;
	page_cache_put(c, &newer, "x", false, "new", 3, hole);   /* drops the lent entry from the cache */
	lent = joined(iov, n);
	assert_string_equal(lent, "tok-A<form><input name=\"_csrf\" value=\"tok-A\"></form>end");
	free(lent);
	page_cache_lent_free(l);
	assert_null(page_cache_lend(c, &k, "tok-A", head, &h, &iov, &n));   /* the older mark: a miss */
	buf_free(&h);
	page_cache_free(c);
}

static void test_what_makes_a_miss(void **state)
{
	(void)state;
	page_cache *c = page_cache_new(1 << 20);
	page_key k = { .object = 7, .account = 3, .mark = 41, .day = 20261207 };
	page_cache_put(c, &k, "t", false, "body", 4, hole);
	page_key other_account = k, other_object = k, older = k;
	other_account.account = 4;
	other_object.object = 8;
	older.mark = 40;
	assert_null(got(c, other_account, "x"));
	assert_null(got(c, other_object, "x"));
	assert_null(got(c, older, "x"));   /* a reader behind the kept page: a miss, the page stays */
	char *s = got(c, k, "x");
	assert_non_null(s);
	free(s);
	page_key next_day = k;
	next_day.day = 20261208;
	assert_null(got(c, next_day, "x"));   /* deadlines move with the day: dropped */
	assert_null(got(c, k, "x"));
	page_cache_put(c, &k, "t", false, "body", 4, hole);
	page_key written = k;
	written.mark = 42;                       /* anything written since: dropped */
	assert_null(got(c, written, "x"));
	assert_null(got(c, k, "x"));
	page_cache_stats st;
	page_cache_stats_get(c, &st);
	assert_int_equal(st.stale, 2);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	page_cache_free(c);
}

static void test_older_never_replaces_newer(void **state)
{
	(void)state;
	page_cache *c = page_cache_new(1 << 20);
	page_key newer = { .object = 1, .account = 1, .mark = 10, .day = 1 }, older = newer;
	older.mark = 9;
	page_cache_put(c, &newer, "t", false, "new", 3, hole);
	page_cache_put(c, &older, "t", false, "old", 3, hole);   /* a slow request that began before a write */
	char *s = got(c, newer, "");
	assert_string_equal(s, "[t|0]new");
	free(s);
	page_key later = newer;
	later.mark = 11;
	page_cache_put(c, &later, "t", false, "later", 5, hole);
	s = got(c, later, "");
	assert_string_equal(s, "[t|0]later");
	free(s);
	page_cache_free(c);
}

static void test_budget_and_lru(void **state)
{
	(void)state;
	char body[1000];
	memset(body, 'x', sizeof body);
	/* room for three pages of ~1.1 KB (body + title + bookkeeping) */
	page_cache *c = page_cache_new(3600);
	for (int64_t i = 1; i <= 3; i++) {
		page_key k = { .object = i, .account = 1, .mark = 1, .day = 1 };
		page_cache_put(c, &k, "t", false, body, sizeof body, hole);
	}
	page_key k1 = { .object = 1, .account = 1, .mark = 1, .day = 1 };
	free(got(c, k1, ""));                    /* 1 is now the most recent: 2 goes first */
	page_key k4 = { .object = 4, .account = 1, .mark = 1, .day = 1 };
	page_cache_put(c, &k4, "t", false, body, sizeof body, hole);
	page_cache_stats st;
	page_cache_stats_get(c, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.evicted, 1);
	assert_true(st.bytes <= st.max_bytes);
	page_key k2 = { .object = 2, .account = 1, .mark = 1, .day = 1 }, k3 = k2;
	k3.object = 3;
	assert_null(got(c, k2, ""));
	char *s;
	assert_non_null(s = got(c, k1, ""));
	free(s);
	assert_non_null(s = got(c, k3, ""));
	free(s);
	assert_non_null(s = got(c, k4, ""));
	free(s);
	/* bigger than the whole budget: not kept, nothing evicted for it */
	char *huge = xmalloc(10000);
	memset(huge, 'y', 10000);
	page_key k5 = { .object = 5, .account = 1, .mark = 1, .day = 1 };
	page_cache_put(c, &k5, "t", false, huge, 10000, hole);
	free(huge);
	assert_null(got(c, k5, ""));
	page_cache_stats_get(c, &st);
	assert_int_equal(st.entries, 3);
	page_cache_free(c);
}

/* ---- threads ---------------------------------------------------------------------- */

enum { THREADS = 8, ROUNDS = 4000, OBJECTS = 24 };

typedef struct worker { page_cache *c; unsigned seed; int bad; } worker;

static unsigned next(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Each page says which (object, mark) it is, so a hit that gives back
 * another page's bytes is caught. */
static void *work(void *arg)
{
	worker *wk = arg;
	char body[600], want[700], tok[32];
	buf b;
	buf_init(&b);
	for (int i = 0; i < ROUNDS; i++) {
		int64_t obj = next(&wk->seed) % OBJECTS, mark = next(&wk->seed) % 3;
		page_key k = { .object = obj, .account = obj % 5, .mark = mark, .day = 1 };
		snprintf(tok, sizeof tok, "t%u", next(&wk->seed) % 1000);
		int n = snprintf(body, sizeof body, "obj %lld mark %lld %s|", (long long)obj, (long long)mark, hole);
		memset(body + n, 'a' + (char)(obj % 26), sizeof body - (size_t)n);
		if (next(&wk->seed) % 3 == 0) {
			page_cache_put(wk->c, &k, "t", false, body, sizeof body, hole);
			continue;
		}
		buf_reset(&b);
		if (!page_cache_get(wk->c, &k, tok, &b, NULL, NULL)) continue;
		int m = snprintf(want, sizeof want, "obj %lld mark %lld %s|", (long long)obj, (long long)mark, tok);
		if (b.len != sizeof body - strlen(hole) + strlen(tok) || memcmp(b.data, want, (size_t)m) != 0 ||
		    b.data[b.len - 1] != 'a' + (char)(obj % 26))
			wk->bad++;
	}
	buf_free(&b);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	page_cache *c = page_cache_new(5600);   /* room for eight pages: eviction all the time */
	pthread_t t[THREADS];
	worker wk[THREADS];
	for (int i = 0; i < THREADS; i++) {
		wk[i] = (worker){ .c = c, .seed = (unsigned)i * 7919u + 1u };
		assert_int_equal(pthread_create(&t[i], NULL, work, &wk[i]), 0);
	}
	int bad = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		bad += wk[i].bad;
	}
	assert_int_equal(bad, 0);
	page_cache_stats st;
	page_cache_stats_get(c, &st);
	assert_true(st.bytes <= st.max_bytes);
	assert_true(st.hits > 0);
	assert_true(st.evicted > 0);
	page_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_fills_every_hole),
		cmocka_unit_test(test_loan_is_the_copy),
		cmocka_unit_test(test_what_makes_a_miss),
		cmocka_unit_test(test_older_never_replaces_newer),
		cmocka_unit_test(test_budget_and_lru),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("page_cache", tests, NULL, NULL);
}
