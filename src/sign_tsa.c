/* sign_tsa.c — an RFC 3161 timestamp from a TSA over HTTP (sign_tsa.h). */
#include "sign_tsa.h"
#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
/* curl_global_init is not thread-safe: once, whichever thread asks first. */
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* A positive 63-bit nonce whose DER is always 8 bytes (top bits 01). */
static ASN1_INTEGER *new_nonce(void)
{
	unsigned char r[8];
	if (RAND_bytes(r, sizeof r) != 1) abort();
	r[0] = (unsigned char)((r[0] & 0x3f) | 0x40);
	BIGNUM *bn = BN_bin2bn(r, sizeof r, NULL);
	ASN1_INTEGER *nonce = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	BN_free(bn);
	if (!nonce) abort();
	return nonce;
}

/* The request: SHA-256 of sigval, a nonce, the TSA's certificate wanted. */
static TS_REQ *new_request(const unsigned char *sigval, size_t n)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (!EVP_Digest(sigval, n, digest, &dlen, EVP_sha256(), NULL)) abort();
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_INTEGER *nonce = new_nonce();
	if (!req || !mi || !alg) abort();
	X509_ALGOR_set_md(alg, EVP_sha256());
	bool ok = TS_MSG_IMPRINT_set_algo(mi, alg) && TS_MSG_IMPRINT_set_msg(mi, digest, (int)dlen) &&
	          TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) && TS_REQ_set_nonce(req, nonce) &&
	          TS_REQ_set_cert_req(req, 1);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	ASN1_INTEGER_free(nonce);
	if (!ok) abort();
	return req;
}

typedef struct reply { buf body; bool too_big; } reply;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
	reply *r = ctx;
	size_t n = size * nmemb;
	if (r->body.len + n > SIGN_TSA_REPLY_MAX) { r->too_big = true; return 0; }
	buf_append(&r->body, p, n);
	return n;
}

/* POSTs the DER query; the body of a 200 reply in r. */
static bool post_query(const char *url, const unsigned char *query, size_t n, reply *r, char msg[SIGN_MSG_MAX])
{
	pthread_once(&curl_once, curl_init_once);
	CURL *c = curl_easy_init();
	if (!c) abort();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, query);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)n);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SIGN_TSA_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	if (r->too_big) snprintf(msg, SIGN_MSG_MAX, "Máy chủ cấp dấu thời gian trả lời quá lớn (quá %zu KiB)", SIGN_TSA_REPLY_MAX / 1024);
	else if (rc == CURLE_OPERATION_TIMEDOUT) snprintf(msg, SIGN_MSG_MAX, "Máy chủ cấp dấu thời gian không trả lời trong %ld giây", SIGN_TSA_TIMEOUT_S);
	else if (rc != CURLE_OK) snprintf(msg, SIGN_MSG_MAX, "Không kết nối được máy chủ cấp dấu thời gian: %s", curl_easy_strerror(rc));
	else if (status != 200) snprintf(msg, SIGN_MSG_MAX, "Máy chủ cấp dấu thời gian báo lỗi HTTP %ld", status);
	else return true;
	return false;
}

/* The token's own signature, by the certificate it carries (its chain is
 * the verifier's business): a reply that is not the TSA's is refused. */
static bool token_signed(PKCS7 *token)
{
	unsigned char *der = NULL;
	int len = i2d_PKCS7(token, &der);
	const unsigned char *p = der;
	CMS_ContentInfo *cms = len > 0 ? d2i_CMS_ContentInfo(NULL, &p, len) : NULL;
	OPENSSL_free(der);
	bool ok = cms && CMS_verify(cms, NULL, NULL, NULL, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
	CMS_ContentInfo_free(cms);
	return ok;
}

/* A granted reply to req (imprint, nonce, version) signed by its TSA. The
 * status, imprint and nonce are OpenSSL's checks; the signature is
 * token_signed's, without a trust store (the verifier has one). */
static bool reply_holds(TS_REQ *req, const reply *r, buf *token, char msg[SIGN_MSG_MAX])
{
	const unsigned char *p = (const unsigned char *)r->body.data;
	TS_RESP *resp = r->body.len ? d2i_TS_RESP(NULL, &p, (long)r->body.len) : NULL;
	TS_VERIFY_CTX *ctx = resp ? TS_REQ_to_TS_VERIFY_CTX(req, NULL) : NULL;
	bool ok = false;
	if (!resp) snprintf(msg, SIGN_MSG_MAX, "Máy chủ cấp dấu thời gian trả lời không phải một dấu thời gian RFC 3161");
	else if (!ctx || !TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE) ||
	         TS_RESP_verify_response(ctx, resp) != 1)
		snprintf(msg, SIGN_MSG_MAX, "Máy chủ cấp dấu thời gian từ chối hoặc trả lời sai yêu cầu (trạng thái, dấu băm hay nonce không khớp)");
	else if (!token_signed(TS_RESP_get_token(resp)))
		snprintf(msg, SIGN_MSG_MAX, "Dấu thời gian nhận được không có chữ ký hợp lệ của máy chủ cấp");
	else {
		unsigned char *der = NULL;
		int len = i2d_PKCS7(TS_RESP_get_token(resp), &der);
		if (len > 0) { buf_append(token, (const char *)der, (size_t)len); ok = true; }
		else snprintf(msg, SIGN_MSG_MAX, "Dấu thời gian nhận được không đọc được");
		OPENSSL_free(der);
	}
	TS_VERIFY_CTX_free(ctx);
	TS_RESP_free(resp);
	ERR_clear_error();
	return ok;
}

bool sign_tsa_token(const char *url, const unsigned char *sigval, size_t n, buf *token, char msg[SIGN_MSG_MAX])
{
	TS_REQ *req = new_request(sigval, n);
	unsigned char *query = NULL;
	int qlen = i2d_TS_REQ(req, &query);
	if (qlen <= 0) abort();
	reply r = { .too_big = false };
	buf_init(&r.body);
	bool ok = post_query(url, query, (size_t)qlen, &r, msg) && reply_holds(req, &r, token, msg);
	OPENSSL_free(query);
	buf_free(&r.body);
	TS_REQ_free(req);
	return ok;
}
