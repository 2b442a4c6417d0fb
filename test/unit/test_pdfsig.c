/* test_pdfsig.c — the PDF signature finder and verifier (pdfsig.c) and the
 * signer (sign.c): a CA and a signer made here in memory with OpenSSL (no
 * key on disk), a small PDF signed and verified, then changed in each way
 * that must change its status; the finder on malformed input; the key
 * sealed with the server secret. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "testutil.h"
#include "pdfsig.h"
#include "sign.h"
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static EVP_PKEY *ca_key, *signer_key;
static X509 *ca_cert, *signer_cert;
static sign_key *key;
static buf plain_pdf;

static X509 *make_cert(const char *cn, EVP_PKEY *pub, EVP_PKEY *issuer_key, X509 *issuer, long serial, long days_from, long days_to)
{
	X509 *c = X509_new();
	X509_set_version(c, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
	X509_gmtime_adj(X509_getm_notBefore(c), days_from * 86400L);
	X509_gmtime_adj(X509_getm_notAfter(c), days_to * 86400L);
	X509_set_pubkey(c, pub);
	X509_NAME *name = X509_get_subject_name(c);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"Sở Giáo dục và Đào tạo", -1, -1, 0);
	X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer ? issuer : c, c, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, issuer ? "CA:FALSE" : "critical,CA:TRUE");
	X509_add_ext(c, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(c, issuer_key, EVP_sha256());
	return c;
}

static sign_key *key_of(EVP_PKEY *pkey, X509 *cert, const char *password)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	sk_X509_push(chain, ca_cert);
	PKCS12 *p12 = PKCS12_create(password, "test", pkey, cert, chain, 0, 0, 0, 0, 0);
	sk_X509_free(chain);
	unsigned char *der = NULL;
	int len = i2d_PKCS12(p12, &der);
	PKCS12_free(p12);
	char msg[SIGN_MSG_MAX] = "";
	sign_key *k = sign_key_from_p12(der, (size_t)len, password, msg);
	OPENSSL_free(der);
	return k;
}

/* A one-page PDF with a classic xref table, as cairo writes them. */
static void make_pdf(buf *out)
{
	static const char *objs[] = { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	                              "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>" };
	size_t offs[3];
	buf_puts(out, "%PDF-1.7\n");
	for (int i = 0; i < 3; i++) {
		offs[i] = out->len;
		buf_printf(out, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t xref = out->len;
	buf_puts(out, "xref\n0 4\n0000000000 65535 f \n");
	for (int i = 0; i < 3; i++) buf_printf(out, "%010zu 00000 n \n", offs[i]);
	buf_printf(out, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0) return -1;
	ca_key = EVP_RSA_gen(2048);
	signer_key = EVP_RSA_gen(2048);
	ca_cert = make_cert("CA thử nghiệm", ca_key, ca_key, NULL, 1, -10, 3650);
	signer_cert = make_cert("Nguyễn Văn An", signer_key, ca_key, ca_cert, 2, -1, 365);
	key = key_of(signer_key, signer_cert, "mật khẩu");
	buf_init(&plain_pdf);
	make_pdf(&plain_pdf);
	return key ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sign_key_free(key);
	X509_free(ca_cert);
	X509_free(signer_cert);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(signer_key);
	buf_free(&plain_pdf);
	return 0;
}

static pdfsig_trust *trust_ca(void)
{
	pdfsig_trust *t = pdfsig_trust_new();
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, ca_cert);
	char *pem = NULL;
	long n = BIO_get_mem_data(bio, &pem);
	assert_true(pdfsig_trust_add_pem(t, pem, (size_t)n));
	BIO_free(bio);
	return t;
}

static void sign_plain(buf *out)
{
	char msg[SIGN_MSG_MAX] = "";
	buf_init(out);
	assert_true(sign_pdf((const unsigned char *)plain_pdf.data, plain_pdf.len, key, out, msg));
}

static size_t verify(const buf *pdf, const pdfsig_trust *t, pdfsig_result *res)
{
	return pdfsig_verify((const unsigned char *)pdf->data, pdf->len, t, res, PDFSIG_MAX);
}

static void test_sign_and_verify(void **state)
{
	(void)state;
	buf pdf;
	sign_plain(&pdf);
	assert_memory_equal(pdf.data, plain_pdf.data, plain_pdf.len);   /* an incremental update */
	assert_int_equal(pdfsig_unsigned_length((const unsigned char *)pdf.data, pdf.len), plain_pdf.len);
	assert_int_equal(pdfsig_unsigned_length((const unsigned char *)plain_pdf.data, plain_pdf.len), 0);
	pdfsig_trust *t = trust_ca();
	pdfsig_result res[PDFSIG_MAX];
	assert_int_equal(verify(&pdf, t, res), 1);
	assert_int_equal(res[0].status, PDFSIG_VALID);
	assert_true(res[0].covers_file);
	assert_string_equal(res[0].signer, "Nguyễn Văn An");
	assert_string_equal(res[0].organisation, "Sở Giáo dục và Đào tạo");
	assert_int_equal(strlen(res[0].signed_at), 20);
	assert_string_equal(pdfsig_status_label(res[0].status), "Đã ký số — hợp lệ");
	/* nothing trusted: the same file is from an unknown CA */
	assert_int_equal(verify(&pdf, NULL, res), 1);
	assert_int_equal(res[0].status, PDFSIG_UNTRUSTED);
	assert_true(res[0].cms_valid);
	pdfsig_trust_free(t);
	buf_free(&pdf);
}

static void test_changes_show(void **state)
{
	(void)state;
	buf pdf;
	sign_plain(&pdf);
	pdfsig_trust *t = trust_ca();
	pdfsig_result res[PDFSIG_MAX];
	pdf.data[20] ^= 1;                         /* one bit in the signed bytes */
	assert_int_equal(verify(&pdf, t, res), 1);
	assert_int_equal(res[0].status, PDFSIG_MODIFIED);
	assert_string_equal(pdfsig_status_label(res[0].status), "Tệp đã bị sửa sau khi ký");
	pdf.data[20] ^= 1;
	buf_puts(&pdf, "4 0 obj\n<< >>\nendobj\n");  /* an update after signing */
	assert_int_equal(verify(&pdf, t, res), 1);
	assert_int_equal(res[0].status, PDFSIG_VALID_PARTIAL);
	assert_false(res[0].covers_file);
	assert_int_equal(pdfsig_overall(res, 1), PDFSIG_VALID_PARTIAL);
	pdf.len -= 21;
	char *contents = strstr(pdf.data + plain_pdf.len, "/Contents <");
	assert_non_null(contents);
	for (int i = 0; i < 4; i++) contents[11 + i] = 'F';   /* the CMS's first bytes */
	assert_int_equal(verify(&pdf, t, res), 1);
	assert_int_equal(res[0].status, PDFSIG_BROKEN);
	pdfsig_trust_free(t);
	buf_free(&pdf);
}

static void test_two_signatures(void **state)
{
	(void)state;
	buf once, twice;
	sign_plain(&once);
	buf_init(&twice);
	char msg[SIGN_MSG_MAX] = "";
	assert_true(sign_pdf((const unsigned char *)once.data, once.len, key, &twice, msg));
	pdfsig_trust *t = trust_ca();
	pdfsig_result res[PDFSIG_MAX];
	assert_int_equal(verify(&twice, t, res), 2);
	assert_int_equal(res[0].status, PDFSIG_VALID_PARTIAL);
	assert_int_equal(res[1].status, PDFSIG_VALID);
	assert_int_equal(pdfsig_overall(res, 2), PDFSIG_VALID);
	assert_int_equal(pdfsig_unsigned_length((const unsigned char *)twice.data, twice.len), plain_pdf.len);
	assert_non_null(strstr(twice.data + once.len, "/Fields [7 0 R 5 0 R]"));   /* both fields listed */
	pdfsig_trust_free(t);
	buf_free(&once);
	buf_free(&twice);
}

static void test_expired(void **state)
{
	(void)state;
	X509 *old = make_cert("Trần Thị Bình", signer_key, ca_key, ca_cert, 3, -400, -35);
	sign_key *k = key_of(signer_key, old, "x");
	assert_non_null(k);
	buf pdf;
	buf_init(&pdf);
	char msg[SIGN_MSG_MAX] = "";
	assert_true(sign_pdf((const unsigned char *)plain_pdf.data, plain_pdf.len, k, &pdf, msg));
	pdfsig_trust *t = trust_ca();
	pdfsig_result res[PDFSIG_MAX];
	assert_int_equal(verify(&pdf, t, res), 1);
	assert_int_equal(res[0].status, PDFSIG_EXPIRED);
	pdfsig_trust_free(t);
	buf_free(&pdf);
	sign_key_free(k);
	X509_free(old);
}

static void test_find_malformed(void **state)
{
	(void)state;
	pdfsig_range r[4];
	static const char *none[] = { "", "/ByteRange", "/ByteRange [", "/ByteRange [0 1 2]", "/ByteRange [0 1 2 3",
	                              "/ByteRange [0 1 2 x]", "/ByteRange [0 1234567890123456 2 3]", "/ByteRange (0 1 2 3)" };
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		assert_int_equal(pdfsig_find((const unsigned char *)none[i], strlen(none[i]), r, 4), 0);
	const char *two = "x /ByteRange [0 1 2 3] y /ByteRange[ 0\n10\r20 30 ] /ByteRange [0 1 2 3]";
	assert_int_equal(pdfsig_find((const unsigned char *)two, strlen(two), r, 2), 2);   /* max respected */
	assert_true(r[1].off[1] == 10 && r[1].off[2] == 20 && r[1].off[3] == 30);
	/* ranges that do not frame a <hex> string inside the file */
	const char *bad = "%PDF /ByteRange [0 9 30 1000] <3082>";
	pdfsig_result res[PDFSIG_MAX];
	assert_int_equal(pdfsig_verify((const unsigned char *)bad, strlen(bad), NULL, res, PDFSIG_MAX), 1);
	assert_int_equal(res[0].status, PDFSIG_BAD_RANGE);
	const char *unsigned_pdf = "%PDF-1.7 nothing here";
	assert_int_equal(pdfsig_verify((const unsigned char *)unsigned_pdf, strlen(unsigned_pdf), NULL, res, PDFSIG_MAX), 0);
}

static void test_not_signable(void **state)
{
	(void)state;
	buf out;
	buf_init(&out);
	char msg[SIGN_MSG_MAX] = "";
	assert_false(sign_pdf((const unsigned char *)"not a pdf", 9, key, &out, msg));
	assert_contains(msg, "PDF");
	char bad_p12[] = "0123456789";
	assert_null(sign_key_from_p12((const unsigned char *)bad_p12, sizeof bad_p12, "x", msg));
	assert_contains(msg, "PKCS#12");
	buf_free(&out);
}

static void test_seal(void **state)
{
	(void)state;
	unsigned char secret[SECRET_BYTES], other[SECRET_BYTES];
	randombytes_buf(secret, sizeof secret);
	randombytes_buf(other, sizeof other);
	buf sealed, opened;
	buf_init(&sealed);
	buf_init(&opened);
	sign_seal(secret, (const unsigned char *)"PKCS12 bytes", 12, &sealed);
	for (size_t i = 0; i + 6 <= sealed.len; i++) assert_true(memcmp(sealed.data + i, "PKCS12", 6) != 0);
	assert_false(sign_unseal(other, (const unsigned char *)sealed.data, sealed.len, &opened));
	assert_true(sign_unseal(secret, (const unsigned char *)sealed.data, sealed.len, &opened));
	assert_int_equal(opened.len, 12);
	assert_memory_equal(opened.data, "PKCS12 bytes", 12);
	sealed.data[sealed.len - 1] ^= 1;
	buf_reset(&opened);
	assert_false(sign_unseal(secret, (const unsigned char *)sealed.data, sealed.len, &opened));
	buf_free(&sealed);
	buf_free(&opened);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_and_verify),
		cmocka_unit_test(test_changes_show),
		cmocka_unit_test(test_two_signatures),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_find_malformed),
		cmocka_unit_test(test_not_signable),
		cmocka_unit_test(test_seal),
	};
	return cmocka_run_group_tests_name("pdfsig", tests, setup, teardown);
}
