/* test_signin.c — the sign-in guards (issue 13, findings 4 and 5): the one
 * normal form of a login that both finding the account and the throttle use,
 * the delay schedule, the throttle's storage on both engines (a guesser at
 * one address waits, the owner elsewhere does not; the per-address limit),
 * and the check on where a sign-in may send the browser next. */
#include "page_auth.h"
#include "q_account.h"
#include "q_session.h"
#include "store_test.h"
#include "testutil.h"

static void test_login_key(void **state)
{
	(void)state;
	char key[ACCOUNT_LOGIN_MAX + 1];
	assert_true(account_login_key("ht.52132001", key));
	assert_string_equal(key, "ht.52132001");
	/* letter case and blanks around it make no second key */
	assert_true(account_login_key("HT.52132001", key));
	assert_string_equal(key, "ht.52132001");
	assert_true(account_login_key(" \tHt.52132001\r\n", key));
	assert_string_equal(key, "ht.52132001");
	assert_true(account_login_key("Nguyen_Van-A@So.GD", key));
	assert_string_equal(key, "nguyen_van-a@so.gd");
	/* strings no account can have: one empty key */
	static const char *const bad[] = { NULL, "", "ab", "  ab  ", "ht 5213", "ht.5213\x01",
		"trường.01", "ht/52132001", "a\tb.c" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(key, 'x', sizeof key);
		assert_false(account_login_key(bad[i], key));
		assert_string_equal(key, "");
	}
	char longest[ACCOUNT_LOGIN_MAX + 2];
	memset(longest, 'A', ACCOUNT_LOGIN_MAX);
	longest[ACCOUNT_LOGIN_MAX] = '\0';
	assert_true(account_login_key(longest, key));
	assert_int_equal(strlen(key), ACCOUNT_LOGIN_MAX);
	assert_int_equal(key[0], 'a');
	longest[ACCOUNT_LOGIN_MAX] = 'A';
	longest[ACCOUNT_LOGIN_MAX + 1] = '\0';
	assert_false(account_login_key(longest, key));
}

static void test_delay_schedule(void **state)
{
	(void)state;
	for (int64_t n = -1; n < THROTTLE_FREE_TRIES; n++) assert_int_equal(signin_delay_seconds(n), 0);
	assert_int_equal(signin_delay_seconds(5), 60);
	assert_int_equal(signin_delay_seconds(6), 120);
	assert_int_equal(signin_delay_seconds(7), 240);
	assert_int_equal(signin_delay_seconds(10), 1920);
	assert_int_equal(signin_delay_seconds(11), THROTTLE_MAX_DELAY);
	assert_int_equal(signin_delay_seconds(100), THROTTLE_MAX_DELAY);
	assert_int_equal(signin_delay_seconds(INT64_MAX), THROTTLE_MAX_DELAY);
	/* never shrinks as failures grow */
	for (int64_t n = 0; n < 80; n++) assert_true(signin_delay_seconds(n + 1) >= signin_delay_seconds(n));
}

static void test_safe_next(void **state)
{
	(void)state;
	static const char *const kept[] = { "/", "/danh-gia/1", "/danh-gia/220/minh-chung?tb=x&y=1",
		"/tim-kiem?q=tr%C6%B0%E1%BB%9Dng+so%2C1", "/a-b_c.d~e/f:g,h" };
	for (size_t i = 0; i < ARRAY_LEN(kept); i++) assert_string_equal(page_auth_safe_next(kept[i]), kept[i]);
	static const char *const refused[] = { NULL, "", "danh-gia/1", "//evil.example", "/\\evil.example",
		"/\t/evil.example", "/\n/evil.example", "/\r/evil", "/ /evil.example", "https://evil.example",
		"javascript:alert(1)", "/x\\y", "/x y", "/x\"y", "/x<y", "/x'y", "/x#y", "/x@evil", "/x\x7f",
		"/tr\xc6\xb0\xe1\xbb\x9dng", "\\/evil.example", " /danh-gia/1" };
	for (size_t i = 0; i < ARRAY_LEN(refused); i++) assert_string_equal(page_auth_safe_next(refused[i]), "/");
	/* bounded: PAGE_AUTH_NEXT_MAX bytes pass, one more does not */
	char path[PAGE_AUTH_NEXT_MAX + 2];
	memset(path, 'a', sizeof path);
	path[0] = '/';
	path[PAGE_AUTH_NEXT_MAX] = '\0';
	assert_string_equal(page_auth_safe_next(path), path);
	path[PAGE_AUTH_NEXT_MAX] = 'a';
	path[PAGE_AUTH_NEXT_MAX + 1] = '\0';
	assert_string_equal(page_auth_safe_next(path), "/");
}

/* One attempt; its wait (0 = the password would be checked, and counted). */
static int64_t attempt(store_fx *fx, const char *key, const char *ip)
{
	int64_t wait = -1;
	OK(signin_attempt(fx->d, key, ip, &wait));
	return wait;
}

static void test_throttle_pair(void **state)
{
	store_fx *fx = *state;
	for (int i = 0; i < THROTTLE_FREE_TRIES; i++) assert_int_equal(attempt(fx, "ht.1", "198.51.100.7"), 0);
	/* the guesser's address waits about a minute, even for the right password … */
	int64_t wait = attempt(fx, "ht.1", "198.51.100.7");
	assert_true(wait > 0 && wait <= THROTTLE_FIRST_DELAY);
	/* … the refused attempt is not counted again … */
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM signin_attempts WHERE login = ?", "t", "ht.1"));
	assert_int_equal(n, THROTTLE_FREE_TRIES);
	/* … and the owner, elsewhere, is not held up; the owner's success does
	 * not give the guesser fresh tries */
	assert_int_equal(attempt(fx, "ht.1", "203.0.113.9"), 0);
	OK(signin_succeeded(fx->d, "ht.1", "203.0.113.9"));
	assert_true(attempt(fx, "ht.1", "198.51.100.7") > 0);
	/* another login from the guesser's address is a pair of its own */
	assert_int_equal(attempt(fx, "ht.2", "198.51.100.7"), 0);
	/* a success from the pair itself clears it */
	OK(signin_succeeded(fx->d, "ht.1", "198.51.100.7"));
	assert_int_equal(attempt(fx, "ht.1", "198.51.100.7"), 0);
}

static void test_throttle_grows(void **state)
{
	store_fx *fx = *state;
	/* seven failures an hour ago: the seventh's delay (240 s) has passed, so
	 * an eighth try goes ahead … */
	char at[21];
	session_time_offset(at, -60);
	for (int i = 0; i < 7; i++)
		OK(db_execf(fx->d, "INSERT INTO signin_attempts (login, ip, at, ok) VALUES (?, ?, ?, 0)", "ttt",
		            "ht.3", "198.51.100.8", at));
	assert_int_equal(attempt(fx, "ht.3", "198.51.100.8"), 0);
	/* … and after it the pair waits 480 s */
	int64_t wait = attempt(fx, "ht.3", "198.51.100.8");
	assert_true(wait > 240 && wait <= 480);
}

static void test_throttle_address(void **state)
{
	store_fx *fx = *state;
	char key[32];
	for (int i = 0; i < THROTTLE_PER_ADDRESS; i++) {
		snprintf(key, sizeof key, "khong.co.%d", i);
		assert_int_equal(attempt(fx, key, "198.51.100.9"), 0);
	}
	int64_t wait = attempt(fx, "ht.4", "198.51.100.9");
	assert_true(wait > 0 && wait <= THROTTLE_MINUTES * 60L);
	assert_int_equal(attempt(fx, "ht.4", "198.51.100.10"), 0);
}

static void test_throttle_prunes(void **state)
{
	store_fx *fx = *state;
	char old[21];
	session_time_offset(old, -(THROTTLE_PAIR_HOURS * 60L + 5));
	OK(db_execf(fx->d, "INSERT INTO signin_attempts (login, ip, at, ok) VALUES (?, ?, ?, 0)", "ttt",
	            "ht.5", "198.51.100.11", old));
	assert_int_equal(attempt(fx, "ht.6", "198.51.100.12"), 0);
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM signin_attempts", NULL));
	assert_int_equal(n, 1);
}

#define STORE_TESTS(X) \
	X(login_key) \
	X(delay_schedule) \
	X(safe_next) \
	X(throttle_pair) \
	X(throttle_grows) \
	X(throttle_address) \
	X(throttle_prunes)

int main(void)
{
	store_run("signin", STORE_TESTS);
}
