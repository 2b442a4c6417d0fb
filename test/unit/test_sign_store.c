/* test_sign_store.c — the signing tables (q_sign.c) on SQLite and
 * PostgreSQL: the trust store and its generation, loading it for the
 * verifier (sign_trust_load), the verdicts kept per file and generation,
 * and an office's sealed key. */
#include "store_test.h"
#include "testutil.h"
#include "pdfsig.h"
#include "q_sign.h"
#include "q_unit.h"
#include "sign_trust.h"
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* A self-signed CA certificate as PEM (malloc'd). */
static char *ca_pem(const char *cn)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *c = X509_new();
	ASN1_INTEGER_set(X509_get_serialNumber(c), 1);
	X509_gmtime_adj(X509_getm_notBefore(c), 0);
	X509_gmtime_adj(X509_getm_notAfter(c), 86400L);
	X509_set_pubkey(c, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(c, X509_get_subject_name(c));
	X509_sign(c, key, EVP_sha256());
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, c);
	char *data = NULL;
	long n = BIO_get_mem_data(bio, &data);
	char *pem = xmalloc((size_t)n + 1);
	memcpy(pem, data, (size_t)n);
	pem[n] = '\0';
	BIO_free(bio);
	X509_free(c);
	EVP_PKEY_free(key);
	return pem;
}

static void test_trust_store(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	char *gen0 = NULL, *gen1 = NULL, *gen2 = NULL;
	OK(trust_generation(fx->d, a, &gen0));
	char *pem = ca_pem("Ban Cơ yếu Chính phủ (thử)");
	pdfsig_pem_item items[4];
	size_t n = pdfsig_pem_split((const unsigned char *)pem, strlen(pem), items, 4);
	assert_int_equal(n, 1);
	assert_false(items[0].crl);
	assert_contains(items[0].subject, "Ban Cơ yếu Chính phủ (thử)");
	int64_t id = 0;
	OK(trust_cert_add(fx->d, 1, "ca", items[0].subject, items[0].pem, &id));
	OK(trust_generation(fx->d, a, &gen1));
	assert_string_not_equal(gen0, gen1);
	trust_cert *certs = NULL;
	size_t nc = 0;
	OK(trust_cert_list(fx->d, a, &certs, &nc));
	assert_int_equal(nc, 1);
	assert_string_equal(certs[0].kind, "ca");
	assert_string_equal(certs[0].pem, items[0].pem);
	pdfsig_pem_items_free(items, n);
	pdfsig_trust *t = pdfsig_trust_new();
	OK(sign_trust_load(fx->d, t));
	pdfsig_trust_free(t);
	OK(trust_cert_remove(fx->d, 1, id));
	assert_int_equal(trust_cert_remove(fx->d, 1, id), DB_ENOTFOUND);
	OK(trust_generation(fx->d, a, &gen2));
	assert_string_not_equal(gen1, gen2);
	free(pem);
	arena_free(a);
}

static void test_verdicts_per_generation(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	signature_check c = { .nsignatures = 1, .status = "untrusted", .signer = "Nguyễn Văn An" }, got;
	OK(signature_check_put(fx->d, sha, "0:0", &c));
	OK(signature_check_get(fx->d, sha, "0:0", a, &got));
	assert_string_equal(got.status, "untrusted");
	assert_string_equal(got.signer, "Nguyễn Văn An");
	assert_null(got.organisation);
	assert_int_equal(signature_check_get(fx->d, sha, "1:1", a, &got), DB_ENOTFOUND);
	db_clear_error(fx->d);
	c.status = "valid";
	OK(signature_check_put(fx->d, sha, "1:1", &c));   /* replaces the older verdict */
	OK(signature_check_get(fx->d, sha, "1:1", a, &got));
	assert_string_equal(got.status, "valid");
	assert_int_equal(signature_check_get(fx->d, sha, "0:0", a, &got), DB_ENOTFOUND);
	db_clear_error(fx->d);
	assert_null(got.timestamped_at);
	/* PAdES B-T: the timestamp's time and TSA kept beside the verdict */
	c.timestamped_at = "2026-12-07T21:38:50Z";
	c.tsa = "Chiso Test TSA";
	OK(signature_check_put(fx->d, sha, "1:1", &c));
	OK(signature_check_get(fx->d, sha, "1:1", a, &got));
	assert_string_equal(got.timestamped_at, "2026-12-07T21:38:50Z");
	assert_string_equal(got.tsa, "Chiso Test TSA");
	arena_free(a);
}

static void test_office_key(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	unit u = { .code = "79000000", .name = "Sở Giáo dục và Đào tạo", .type = "so", .is_public = true };
	int64_t office = 0;
	OK(unit_save(fx->d, 0, &u, &office, NULL));
	char *subject = NULL;
	void *sealed = NULL;
	size_t n = 0;
	assert_int_equal(office_key_get(fx->d, office, a, &subject, &sealed, &n), DB_ENOTFOUND);
	db_clear_error(fx->d);
	static const unsigned char first[] = { 0, 1, 2, 0xff, 0 }, second[] = { 9, 8, 7 };
	OK(office_key_put(fx->d, 1, office, "Nguyễn Văn An — Sở", first, sizeof first));
	OK(office_key_put(fx->d, 1, office, "Trần Thị Bình — Sở", second, sizeof second));   /* replaced */
	OK(office_key_get(fx->d, office, a, &subject, &sealed, &n));
	assert_string_equal(subject, "Trần Thị Bình — Sở");
	assert_int_equal(n, sizeof second);
	assert_memory_equal(sealed, second, sizeof second);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(trust_store) \
	X(verdicts_per_generation) \
	X(office_key)

int main(void)
{
	store_run("sign_store", STORE_TESTS);
}
