/* test_keeptoken.c — the kept-file token (keeptoken.c) and the server
 * secret's file (secret.c): a token is accepted only with the secret that
 * made it, for the account, assessment, file, name and hour it was made
 * for; every edited field, a token made the old way (keyed by what the
 * user knows) and an expired one are refused. The secret file is made
 * once, mode 0600, kept across loads, and refused when others may read it
 * or it is not one line of hex. */
#include "keeptoken.h"
#include "secret.h"
#include "testutil.h"
#include "util.h"
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char SHA_A[] = "3f2a9c0d1e4b5a6978c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6";
static const char SHA_B[] = "0000000000000000000000000000000000000000000000000000000000000001";
static const int64_t NOW = 1760000000;   /* 2025-10-09 */

static unsigned char secret[SECRET_BYTES];
static const keeptoken_scope A_X = { .account_id = 7, .assessment_id = 220 };

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0) return -1;
	randombytes_buf(secret, sizeof secret);
	return 0;
}

/* A token as the evidence form makes it (caller frees). */
static char *make(const keeptoken_scope *scope, const char *sha, const char *name, int64_t expires)
{
	buf b;
	buf_init(&b);
	keeptoken_make(secret, scope, sha, name, expires, &b);
	return buf_take(&b);
}

static void test_round_trip(void **state)
{
	(void)state;
	char *t = make(&A_X, SHA_A, "Biên bản họp.pdf", NOW + KEEPTOKEN_TTL);
	keeptoken k;
	assert_int_equal(keeptoken_check(secret, &A_X, t, NOW, &k), KEEPTOKEN_OK);
	assert_string_equal(k.sha256, SHA_A);
	assert_string_equal(k.name, "Biên bản họp.pdf");
	assert_int_equal(k.expires, NOW + KEEPTOKEN_TTL);
	/* a name with dots and spaces is the token's tail, whole */
	char *t2 = make(&A_X, SHA_A, "bao.cao. v2 .pdf", NOW + 60);
	assert_int_equal(keeptoken_check(secret, &A_X, t2, NOW, &k), KEEPTOKEN_OK);
	assert_string_equal(k.name, "bao.cao. v2 .pdf");
	free(t);
	free(t2);
}

static void test_bound_to_account_and_assessment(void **state)
{
	(void)state;
	char *t = make(&A_X, SHA_A, "a.pdf", NOW + KEEPTOKEN_TTL);
	keeptoken k;
	keeptoken_scope other_account = { .account_id = 8, .assessment_id = 220 };
	keeptoken_scope other_assessment = { .account_id = 7, .assessment_id = 221 };
	keeptoken_scope swapped = { .account_id = 220, .assessment_id = 7 };
	assert_int_equal(keeptoken_check(secret, &other_account, t, NOW, &k), KEEPTOKEN_FORGED);
	assert_int_equal(keeptoken_check(secret, &other_assessment, t, NOW, &k), KEEPTOKEN_FORGED);
	assert_int_equal(keeptoken_check(secret, &swapped, t, NOW, &k), KEEPTOKEN_FORGED);
	assert_null(k.name);   /* nothing read from a token that is not ours */
	free(t);
}

static void test_expiry(void **state)
{
	(void)state;
	char *t = make(&A_X, SHA_A, "a.pdf", NOW + KEEPTOKEN_TTL);
	keeptoken k;
	assert_int_equal(keeptoken_check(secret, &A_X, t, NOW + KEEPTOKEN_TTL - 1, &k), KEEPTOKEN_OK);
	assert_int_equal(keeptoken_check(secret, &A_X, t, NOW + KEEPTOKEN_TTL, &k), KEEPTOKEN_EXPIRED);
	assert_string_equal(k.name, "a.pdf");   /* ours: the message may name the file */
	assert_int_equal(keeptoken_check(secret, &A_X, t, NOW + 86400, &k), KEEPTOKEN_EXPIRED);
	free(t);
}

/* Replaces the first occurrence of from in t by to (same length or not). */
static char *edited(const char *t, const char *from, const char *to)
{
	const char *at = strstr(t, from);
	assert_non_null(at);
	buf b;
	buf_init(&b);
	buf_append(&b, t, (size_t)(at - t));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	return buf_take(&b);
}

static void test_every_field_signed(void **state)
{
	(void)state;
	int64_t exp = NOW + KEEPTOKEN_TTL;
	char *t = make(&A_X, SHA_A, "a.pdf", exp);
	char exp_s[32], later_s[32];
	snprintf(exp_s, sizeof exp_s, ".%lld.", (long long)exp);
	snprintf(later_s, sizeof later_s, ".%lld.", (long long)exp + 86400);
	char *other_sha = edited(t, SHA_A, SHA_B);
	char *renamed = edited(t, ".a.pdf", ".b.pdf");
	char *longer = edited(t, ".a.pdf", ".a.pdf.exe");
	char *extended = edited(t, exp_s, later_s);
	keeptoken k;
	assert_int_equal(keeptoken_check(secret, &A_X, other_sha, NOW, &k), KEEPTOKEN_FORGED);
	assert_int_equal(keeptoken_check(secret, &A_X, renamed, NOW, &k), KEEPTOKEN_FORGED);
	assert_int_equal(keeptoken_check(secret, &A_X, longer, NOW, &k), KEEPTOKEN_FORGED);
	assert_int_equal(keeptoken_check(secret, &A_X, extended, NOW + KEEPTOKEN_TTL, &k), KEEPTOKEN_FORGED);
	/* one flipped bit of the MAC */
	char *flipped = strdup(t);
	char *mac = flipped + 64 + strlen(exp_s);   /* "<sha>.<expires>.<mac>" */
	*mac = *mac == '0' ? '1' : '0';
	assert_int_equal(keeptoken_check(secret, &A_X, flipped, NOW, &k), KEEPTOKEN_FORGED);
	/* another server's secret */
	unsigned char other[SECRET_BYTES];
	randombytes_buf(other, sizeof other);
	assert_int_equal(keeptoken_check(other, &A_X, t, NOW, &k), KEEPTOKEN_FORGED);
	free(t);
	free(other_sha);
	free(renamed);
	free(longer);
	free(extended);
	free(flipped);
}

/* The scheme this replaces: HMAC-SHA256 keyed by SHA-256 of the CSRF token
 * (which the user reads in every form) over sha "\0" name, 32 hex digits,
 * as "<sha>.<mac>.<name>". Such a field, or one spelled like a new token
 * with that MAC, is not accepted. */
static void test_old_csrf_keyed_token_refused(void **state)
{
	(void)state;
	const char *csrf = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA";
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	crypto_hash_sha256(key, (const unsigned char *)csrf, strlen(csrf));
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, sizeof key);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)SHA_A, sizeof SHA_A);   /* with its NUL */
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"stolen.pdf", 10);
	crypto_auth_hmacsha256_final(&st, mac);
	char hex16[33], hex32[65];
	sodium_bin2hex(hex16, sizeof hex16, mac, 16);
	sodium_bin2hex(hex32, sizeof hex32, mac, 32);
	char old[256], dressed[256];
	snprintf(old, sizeof old, "%s.%s.stolen.pdf", SHA_A, hex16);
	snprintf(dressed, sizeof dressed, "%s.%lld.%s.stolen.pdf", SHA_A, (long long)NOW + 60, hex32);
	keeptoken k;
	assert_int_equal(keeptoken_check(secret, &A_X, old, NOW, &k), KEEPTOKEN_MALFORMED);
	assert_int_equal(keeptoken_check(secret, &A_X, dressed, NOW, &k), KEEPTOKEN_FORGED);
}

static void test_malformed(void **state)
{
	(void)state;
	char *t = make(&A_X, SHA_A, "a.pdf", NOW + 60);
	size_t len = strlen(t);
	keeptoken k;
	/* every strict prefix is refused, none read past its end */
	for (size_t n = 0; n < len; n++) {
		char *p = strndup(t, n);
		assert_int_not_equal(keeptoken_check(secret, &A_X, p, NOW, &k), KEEPTOKEN_OK);
		free(p);
	}
	char *upper = strdup(t);
	upper[0] = 'F';   /* '3' → 'F': not lowercase hex */
	assert_int_equal(keeptoken_check(secret, &A_X, upper, NOW, &k), KEEPTOKEN_MALFORMED);
	static const char *bad[] = {
		"", ".", "giu", "x.y.z.w",
		SHA_A,
		"3f2a9c0d1e4b5a6978c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6..00.a",
		"3f2a9c0d1e4b5a6978c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6.-5.00.a",
		"3f2a9c0d1e4b5a6978c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6.99999999999999999999999.a",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(keeptoken_check(secret, &A_X, bad[i], NOW, &k), KEEPTOKEN_MALFORMED);
	/* a leading zero spells the same expiry another way: not accepted */
	char *zero = edited(t, ".17", ".017");
	assert_int_equal(keeptoken_check(secret, &A_X, zero, NOW, &k), KEEPTOKEN_MALFORMED);
	free(zero);
	free(upper);
	free(t);
}

/* ---- the secret file ---------------------------------------------------------------- */

static void test_secret_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/chiso-secret-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], msg[SECRET_MSG_MAX];
	snprintf(path, sizeof path, "%s/chiso.db.secret", dir);
	unsigned char a[SECRET_BYTES], b[SECRET_BYTES], zero[SECRET_BYTES] = { 0 };
	assert_true(secret_load(path, a, msg));                  /* made */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 2 * SECRET_BYTES + 1);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_true(secret_load(path, b, msg));                  /* kept */
	assert_memory_equal(a, b, sizeof a);

	assert_int_equal(chmod(path, 0644), 0);                  /* others may read it: refused */
	assert_false(secret_load(path, b, msg));
	assert_contains(msg, "chmod 600");
	assert_int_equal(chmod(path, 0600), 0);

	FILE *f = fopen(path, "w");                              /* not one line of hex: refused */
	assert_non_null(f);
	fputs("not a key\n", f);
	fclose(f);
	assert_false(secret_load(path, b, msg));
	assert_contains(msg, "không đúng dạng");

	char missing[160];                                       /* a directory that is not there */
	snprintf(missing, sizeof missing, "%s/no/such/dir/secret", dir);
	assert_false(secret_load(missing, b, msg));
	assert_contains(msg, "không tạo được");
	unlink(path);
	rmdir(dir);
}

static void test_secret_path(void **state)
{
	(void)state;
	buf p;
	buf_init(&p);
	unsetenv("CHISO_SECRET_FILE");
	secret_path(NULL, "/var/lib/chiso/chiso.db", &p);
	assert_string_equal(buf_str(&p), "/var/lib/chiso/chiso.db.secret");
	secret_path(NULL, "postgresql:///chiso?host=/run/postgresql", &p);
	assert_string_equal(buf_str(&p), "chiso.secret");
	setenv("CHISO_SECRET_FILE", "/etc/chiso/secret", 1);
	secret_path(NULL, "chiso.db", &p);
	assert_string_equal(buf_str(&p), "/etc/chiso/secret");
	secret_path("/run/chiso/key", "chiso.db", &p);          /* the option wins */
	assert_string_equal(buf_str(&p), "/run/chiso/key");
	unsetenv("CHISO_SECRET_FILE");
	buf_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bound_to_account_and_assessment),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_every_field_signed),
		cmocka_unit_test(test_old_csrf_keyed_token_refused),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_secret_path),
	};
	return cmocka_run_group_tests_name("keeptoken", tests, setup, NULL);
}
