/* pdfsig.c — verifying a PDF's digital signatures (pdfsig.h).
 *
 * The only PDF parsing here is pdfsig_find: a /ByteRange array of four
 * decimal numbers. Everything else is decided on the ranges themselves: the
 * gap between the two ranges must be one <hex> string (the /Contents), so a
 * signature cannot be made to vouch for bytes it does not cover. CMS,
 * certificates, chains and CRLs are OpenSSL's. */
#include "pdfsig.h"
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include <time.h>

struct pdfsig_trust {
	X509_STORE *store;
	STACK_OF(X509_CRL) *crls;
	size_t ncerts;
};

pdfsig_trust *pdfsig_trust_new(void)
{
	pdfsig_trust *t = calloc(1, sizeof *t);
	if (!t) abort();
	t->store = X509_STORE_new();
	t->crls = sk_X509_CRL_new_null();
	if (!t->store || !t->crls) abort();
	return t;
}

void pdfsig_trust_free(pdfsig_trust *t)
{
	if (!t) return;
	X509_STORE_free(t->store);
	sk_X509_CRL_pop_free(t->crls, X509_CRL_free);
	free(t);
}

/* Adds each certificate and CRL of a PEM text; counts what was added. */
static void trust_add_infos(pdfsig_trust *t, const char *pem, size_t n, size_t *certs, size_t *crls)
{
	*certs = *crls = 0;
	if (n > (size_t)1 << 24) return;
	BIO *bio = BIO_new_mem_buf(pem, (int)n);
	if (!bio) return;
	STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (!infos) return;
	for (int i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *info = sk_X509_INFO_value(infos, i);
		if (info->x509 && X509_STORE_add_cert(t->store, info->x509)) (*certs)++;
		if (info->crl && X509_CRL_up_ref(info->crl)) {
			if (sk_X509_CRL_push(t->crls, info->crl)) (*crls)++;
			else X509_CRL_free(info->crl);
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	t->ncerts += *certs;
}

bool pdfsig_trust_add_pem(pdfsig_trust *t, const char *pem, size_t n)
{
	size_t certs, crls;
	trust_add_infos(t, pem, n, &certs, &crls);
	return certs > 0;
}

bool pdfsig_trust_add_crl_pem(pdfsig_trust *t, const char *pem, size_t n)
{
	size_t certs, crls;
	trust_add_infos(t, pem, n, &certs, &crls);
	return crls > 0;
}

/* ---- finding the signatures ----------------------------------------- */

static size_t skip_space(const unsigned char *p, size_t i, size_t n)
{
	while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t' || p[i] == '\f' || p[i] == '\0'))
		i++;
	return i;
}

/* A decimal number of at most 15 digits (a PDF over a petabyte is not a
 * concern); false if there is none. */
static bool read_uint(const unsigned char *p, size_t *i, size_t n, uint64_t *out)
{
	size_t k = *i, digits = 0;
	uint64_t v = 0;
	while (k < n && p[k] >= '0' && p[k] <= '9') {
		if (++digits > 15) return false;
		v = v * 10 + (uint64_t)(p[k] - '0');
		k++;
	}
	if (digits == 0) return false;
	*i = k;
	*out = v;
	return true;
}

/* The array after "/ByteRange" at i: "[a b c d]". */
static bool read_range(const unsigned char *p, size_t i, size_t n, pdfsig_range *r)
{
	i = skip_space(p, i, n);
	if (i >= n || p[i] != '[') return false;
	i++;
	for (int k = 0; k < 4; k++) {
		i = skip_space(p, i, n);
		if (!read_uint(p, &i, n, &r->off[k])) return false;
	}
	i = skip_space(p, i, n);
	return i < n && p[i] == ']';
}

size_t pdfsig_find(const unsigned char *pdf, size_t n, pdfsig_range *out, size_t max)
{
	static const char key[] = "/ByteRange";
	const size_t klen = sizeof key - 1;
	size_t found = 0, i = 0;
	while (found < max && i + klen <= n) {
		const unsigned char *hit = bytes_find(pdf + i, n - i, key, klen);
		if (!hit) break;
		i = (size_t)(hit - pdf) + klen;
		pdfsig_range r;
		if (read_range(pdf, i, n, &r)) out[found++] = r;
	}
	return found;
}

/* ---- verifying one signature ---------------------------------------- */

/* Do the ranges frame exactly one <hex> string inside the file? */
static bool range_sane(const unsigned char *pdf, size_t n, const pdfsig_range *r)
{
	const uint64_t *o = r->off;
	if (o[0] != 0 || o[1] + 2 > o[2] || o[2] > n || o[3] > n - o[2]) return false;
	if (o[1] + o[3] > INT_MAX) return false;   /* OpenSSL's BIOs take an int */
	if (pdf[o[1]] != '<' || pdf[o[2] - 1] != '>') return false;
	for (uint64_t i = o[1] + 1; i + 1 < o[2]; i++)
		if (!isxdigit(pdf[i]) && !isspace(pdf[i])) return false;
	return true;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	return (tolower(c) - 'a') + 10;
}

/* The DER bytes of /Contents (the gap without its brackets); the caller frees. */
static unsigned char *contents_der(const unsigned char *pdf, const pdfsig_range *r, size_t *len)
{
	size_t cap = (size_t)(r->off[2] - r->off[1]) / 2 + 1, k = 0;
	unsigned char *der = calloc(cap, 1);
	if (!der) abort();
	int half = -1;
	for (uint64_t i = r->off[1] + 1; i + 1 < r->off[2]; i++) {
		if (!isxdigit(pdf[i])) continue;
		if (half < 0) half = hexval(pdf[i]);
		else { der[k++] = (unsigned char)(half << 4 | hexval(pdf[i])); half = -1; }
	}
	if (half >= 0) der[k++] = (unsigned char)(half << 4);
	*len = k;
	return der;
}

static void name_entry(const X509_NAME *name, int nid, char *out, size_t cap)
{
	out[0] = '\0';
	int idx = X509_NAME_get_index_by_NID(name, nid, -1);
	if (idx < 0) return;
	unsigned char *utf8 = NULL;
	int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx)));
	if (len < 0) return;
	snprintf(out, cap, "%.*s", len, (const char *)utf8);
	OPENSSL_free(utf8);
}

/* The signed attribute signingTime, or false when there is none. */
static bool signing_time(CMS_SignerInfo *si, struct tm *tm)
{
	int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (idx < 0) return false;
	X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, idx);
	ASN1_TYPE *v = attr ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
	if (!v || (v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME)) return false;
	return ASN1_TIME_to_tm((const ASN1_TIME *)v->value.asn1_string, tm) == 1;
}

static void set_detail(pdfsig_result *res, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	if (e) snprintf(res->detail, sizeof res->detail, "%s: %s", what, ERR_reason_error_string(e));
	else snprintf(res->detail, sizeof res->detail, "%s", what);
	ERR_clear_error();
}

/* Is cert revoked by one of the CRLs signed by its issuer? */
static bool revoked(const pdfsig_trust *trust, X509 *cert, X509 *issuer)
{
	EVP_PKEY *key = issuer ? X509_get0_pubkey(issuer) : NULL;
	if (!key) return false;
	for (int i = 0; i < sk_X509_CRL_num(trust->crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(trust->crls, i);
		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0) continue;
		if (X509_CRL_verify(crl, key) != 1) { ERR_clear_error(); continue; }
		X509_REVOKED *entry = NULL;
		if (X509_CRL_get0_by_cert(crl, &entry, cert) == 1) return true;
	}
	ERR_clear_error();
	return false;
}

/* The chain from signer to an installed CA, checked at the signing time. */
static void check_chain(const pdfsig_trust *trust, CMS_ContentInfo *cms, X509 *signer,
                        time_t at, pdfsig_result *res)
{
	if (!trust || trust->ncerts == 0) {
		res->status = PDFSIG_UNTRUSTED;
		snprintf(res->detail, sizeof res->detail, "no trusted CA installed");
		return;
	}
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	if (!ctx) abort();
	if (!X509_STORE_CTX_init(ctx, trust->store, signer, certs)) abort();
	X509_STORE_CTX_set_time(ctx, 0, at);
	int ok = X509_verify_cert(ctx);
	int err = X509_STORE_CTX_get_error(ctx);
	if (ok == 1) {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		X509 *issuer = sk_X509_num(chain) > 1 ? sk_X509_value(chain, 1) : NULL;
		res->status = revoked(trust, signer, issuer) ? PDFSIG_REVOKED : PDFSIG_VALID;
		if (res->status == PDFSIG_REVOKED) snprintf(res->detail, sizeof res->detail, "certificate revoked (CRL)");
	} else if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID) {
		res->status = PDFSIG_EXPIRED;
		snprintf(res->detail, sizeof res->detail, "%s", X509_verify_cert_error_string(err));
	} else {
		res->status = PDFSIG_UNTRUSTED;
		snprintf(res->detail, sizeof res->detail, "%s", X509_verify_cert_error_string(err));
	}
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
}

/* The signed bytes: both ranges, one after the other; the caller frees. */
static BIO *signed_content(const unsigned char *pdf, const pdfsig_range *r, unsigned char **mem)
{
	size_t a = (size_t)r->off[1], b = (size_t)r->off[3];
	*mem = malloc(a + b + 1);
	if (!*mem) abort();
	memcpy(*mem, pdf, a);
	memcpy(*mem + a, pdf + r->off[2], b);
	BIO *bio = BIO_new_mem_buf(*mem, (int)(a + b));
	if (!bio) abort();
	return bio;
}

/* The signer's certificate of the first SignerInfo, or NULL. */
static X509 *first_signer(CMS_ContentInfo *cms, CMS_SignerInfo **si_out)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) < 1) return NULL;
	CMS_set1_signers_certs(cms, NULL, 0);
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
	X509 *signer = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
	*si_out = si;
	return signer;
}

/* ---- the timestamp (PAdES B-T) --------------------------------------- */

static void ts_fail(pdfsig_result *res, pdfsig_status st, const char *why)
{
	res->ts_status = st;
	snprintf(res->ts_detail, sizeof res->ts_detail, "%s", why);
	ERR_clear_error();
}

/* The TSA's certificate to an installed CA at the token's time, for
 * time-stamping (extended key usage timeStamping). */
static void ts_chain(const pdfsig_trust *trust, CMS_ContentInfo *tok, X509 *tsa, time_t at, pdfsig_result *res)
{
	if (!trust || trust->ncerts == 0) { ts_fail(res, PDFSIG_UNTRUSTED, "no trusted CA installed"); return; }
	STACK_OF(X509) *certs = CMS_get1_certs(tok);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	if (!ctx) abort();
	if (!X509_STORE_CTX_init(ctx, trust->store, tsa, certs)) abort();
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_TIMESTAMP_SIGN);
	X509_STORE_CTX_set_time(ctx, 0, at);
	int ok = X509_verify_cert(ctx), err = X509_STORE_CTX_get_error(ctx);
	if (ok == 1) {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		if (revoked(trust, tsa, sk_X509_num(chain) > 1 ? sk_X509_value(chain, 1) : NULL))
			ts_fail(res, PDFSIG_REVOKED, "TSA certificate revoked (CRL)");
		else res->ts_status = PDFSIG_VALID;
	} else ts_fail(res, err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID ? PDFSIG_EXPIRED
	                    : PDFSIG_UNTRUSTED, X509_verify_cert_error_string(err));
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
}

/* Does the TSTInfo's imprint hash the signature value? */
static bool imprint_matches(TS_TST_INFO *tst, const ASN1_OCTET_STRING *sigval)
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
	const ASN1_OBJECT *obj = NULL;
	X509_ALGOR_get0(&obj, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	const EVP_MD *md = obj ? EVP_get_digestbyobj(obj) : NULL;
	const ASN1_OCTET_STRING *want = TS_MSG_IMPRINT_get_msg(mi);
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	if (!md || EVP_MD_get_size(md) < 32 || !EVP_Digest(ASN1_STRING_get0_data(sigval), (size_t)ASN1_STRING_length(sigval), h, &hl, md, NULL))
		return false;
	return want && (unsigned)ASN1_STRING_length(want) == hl && memcmp(ASN1_STRING_get0_data(want), h, hl) == 0;
}

/* The token's TSTInfo once its signature checks (NULL: it does not). */
static TS_TST_INFO *token_info(CMS_ContentInfo *tok)
{
	BIO *out = BIO_new(BIO_s_mem());
	if (!out) abort();
	TS_TST_INFO *tst = NULL;
	if (OBJ_obj2nid(CMS_get0_eContentType(tok)) == NID_id_smime_ct_TSTInfo &&
	    CMS_verify(tok, NULL, NULL, NULL, out, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1) {
		char *data = NULL;
		long len = BIO_get_mem_data(out, &data);
		const unsigned char *p = (const unsigned char *)data;
		tst = len > 0 ? d2i_TS_TST_INFO(NULL, &p, len) : NULL;
	}
	BIO_free(out);
	return tst;
}

static void check_token(CMS_ContentInfo *tok, CMS_SignerInfo *si, const pdfsig_trust *trust, pdfsig_result *res,
                        time_t *at)
{
	TS_TST_INFO *tst = token_info(tok);
	struct tm tm;
	if (!tst) { ts_fail(res, PDFSIG_MODIFIED, "timestamp token's signature does not match"); return; }
	CMS_SignerInfo *tsi = NULL;
	X509 *tsa = first_signer(tok, &tsi);
	if (tsa) {
		name_entry(X509_get_subject_name(tsa), NID_commonName, res->tsa, sizeof res->tsa);
		if (!res->tsa[0]) name_entry(X509_get_subject_name(tsa), NID_organizationName, res->tsa, sizeof res->tsa);
	}
	if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst), &tm) == 1)
		strftime(res->timestamp_at, sizeof res->timestamp_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!imprint_matches(tst, CMS_SignerInfo_get0_signature(si))) ts_fail(res, PDFSIG_MODIFIED, "timestamp is not over this signature");
	else if (!tsa || !res->timestamp_at[0]) ts_fail(res, PDFSIG_BROKEN, "timestamp without TSA certificate or time");
	else ts_chain(trust, tok, tsa, *at = timegm(&tm), res);
	TS_TST_INFO_free(tst);
}

/* The unsigned attribute signature-time-stamp of si, checked; its time in *at. */
static void check_timestamp(CMS_SignerInfo *si, const pdfsig_trust *trust, pdfsig_result *res, time_t *at)
{
	int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
	if (idx < 0) return;
	res->has_timestamp = true;
	X509_ATTRIBUTE *attr = CMS_unsigned_get_attr(si, idx);
	ASN1_TYPE *v = attr ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
	const unsigned char *p = v && v->type == V_ASN1_SEQUENCE ? ASN1_STRING_get0_data(v->value.sequence) : NULL;
	int len = p ? ASN1_STRING_length(v->value.sequence) : 0;
	CMS_ContentInfo *tok = len > 0 ? d2i_CMS_ContentInfo(NULL, &p, len) : NULL;
	if (!tok || OBJ_obj2nid(CMS_get0_type(tok)) != NID_pkcs7_signed) ts_fail(res, PDFSIG_BROKEN, "timestamp token unreadable");
	else check_token(tok, si, trust, res, at);
	CMS_ContentInfo_free(tok);
	ERR_clear_error();
}

static void verify_cms(const unsigned char *pdf, const pdfsig_range *r, CMS_ContentInfo *cms,
                       const pdfsig_trust *trust, pdfsig_result *res)
{
	CMS_SignerInfo *si = NULL;
	X509 *signer = first_signer(cms, &si);
	if (!signer) { res->status = PDFSIG_BROKEN; set_detail(res, "no signer certificate"); return; }
	name_entry(X509_get_subject_name(signer), NID_commonName, res->signer, sizeof res->signer);
	name_entry(X509_get_subject_name(signer), NID_organizationName, res->organisation, sizeof res->organisation);
	struct tm tm;
	time_t at = time(NULL);
	if (signing_time(si, &tm)) {
		at = timegm(&tm);
		strftime(res->signed_at, sizeof res->signed_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	unsigned char *mem;
	BIO *content = signed_content(pdf, r, &mem);
	int ok = CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY);
	BIO_free(content);
	free(mem);
	if (ok != 1) { res->status = PDFSIG_MODIFIED; set_detail(res, "signature does not match"); return; }
	res->cms_valid = true;
	time_t ts_at = at;
	check_timestamp(si, trust, res, &ts_at);
	if (res->has_timestamp && res->ts_status == PDFSIG_VALID) at = ts_at;   /* the TSA's time, not the signer's word */
	check_chain(trust, cms, signer, at, res);
	if (res->status == PDFSIG_VALID && res->has_timestamp && res->ts_status != PDFSIG_VALID) {
		res->status = PDFSIG_BAD_TIMESTAMP;
		snprintf(res->detail, sizeof res->detail, "timestamp: %s", res->ts_detail);
	}
	if (res->status == PDFSIG_VALID && !res->covers_file) res->status = PDFSIG_VALID_PARTIAL;
}

static void verify_one(const unsigned char *pdf, size_t n, const pdfsig_range *r,
                       const pdfsig_trust *trust, pdfsig_result *res)
{
	memset(res, 0, sizeof *res);
	if (!range_sane(pdf, n, r)) {
		res->status = PDFSIG_BAD_RANGE;
		snprintf(res->detail, sizeof res->detail, "/ByteRange does not frame /Contents");
		return;
	}
	res->covers_file = r->off[2] + r->off[3] == n;
	size_t len;
	unsigned char *der = contents_der(pdf, r, &len);
	const unsigned char *p = der;
	CMS_ContentInfo *cms = len > 0 && len < (size_t)1 << 24 ? d2i_CMS_ContentInfo(NULL, &p, (long)len) : NULL;
	free(der);
	if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		res->status = PDFSIG_BROKEN;
		set_detail(res, "not a CMS SignedData");
		CMS_ContentInfo_free(cms);
		return;
	}
	verify_cms(pdf, r, cms, trust, res);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
}

size_t pdfsig_verify(const unsigned char *pdf, size_t n, const pdfsig_trust *trust,
                     pdfsig_result *out, size_t max)
{
	pdfsig_range ranges[PDFSIG_MAX];
	if (max > PDFSIG_MAX) max = PDFSIG_MAX;
	size_t found = pdfsig_find(pdf, n, ranges, max);
	for (size_t i = 0; i < found; i++) verify_one(pdf, n, &ranges[i], trust, &out[i]);
	return found;
}

size_t pdfsig_unsigned_length(const unsigned char *pdf, size_t n)
{
	pdfsig_range r[PDFSIG_MAX];
	size_t found = pdfsig_find(pdf, n, r, PDFSIG_MAX);
	uint64_t first = n;
	for (size_t i = 0; i < found; i++)
		if (r[i].off[1] < first) first = r[i].off[1];
	if (found == 0 || first < 5) return 0;
	for (size_t i = (size_t)first - 5; i > 0; i--) {
		if (memcmp(pdf + i, "%%EOF", 5) != 0) continue;
		size_t end = i + 5;
		if (end < n && pdf[end] == '\r') end++;
		if (end < n && pdf[end] == '\n') end++;
		return end;
	}
	return 0;
}

pdfsig_status pdfsig_overall(const pdfsig_result *r, size_t n)
{
	bool whole = false;
	for (size_t i = 0; i < n; i++) {
		if (r[i].status != PDFSIG_VALID && r[i].status != PDFSIG_VALID_PARTIAL) return r[i].status;
		if (r[i].status == PDFSIG_VALID) whole = true;
	}
	return whole ? PDFSIG_VALID : PDFSIG_VALID_PARTIAL;
}

static const struct { const char *code, *label; } statuses[] = {
	[PDFSIG_VALID] = { "valid", "Đã ký số — hợp lệ" },
	[PDFSIG_VALID_PARTIAL] = { "valid-partial", "Chữ ký hợp lệ nhưng tệp có thêm nội dung sau khi ký" },
	[PDFSIG_MODIFIED] = { "modified", "Tệp đã bị sửa sau khi ký" },
	[PDFSIG_UNTRUSTED] = { "untrusted", "Chứng thư không thuộc tổ chức chứng thực tin cậy" },
	[PDFSIG_EXPIRED] = { "expired", "Chứng thư hết hạn hoặc chưa có hiệu lực lúc ký" },
	[PDFSIG_REVOKED] = { "revoked", "Chứng thư đã bị thu hồi" },
	[PDFSIG_BROKEN] = { "broken", "Chữ ký số hỏng, không đọc được" },
	[PDFSIG_BAD_RANGE] = { "bad-range", "Vùng ký không hợp lệ (chữ ký không bao đúng tệp)" },
	[PDFSIG_BAD_TIMESTAMP] = { "bad-timestamp", "Chữ ký hợp lệ nhưng dấu thời gian không hợp lệ" },
};

/* Why a timestamp is not valid, for people. */
static const char *ts_reason(pdfsig_status s)
{
	switch (s) {
	case PDFSIG_VALID: return "";
	case PDFSIG_MODIFIED: return "dấu thời gian bị sửa hoặc không phải của chữ ký này";
	case PDFSIG_UNTRUSTED: return "máy chủ cấp dấu thời gian không thuộc tổ chức chứng thực tin cậy";
	case PDFSIG_EXPIRED: return "chứng thư của máy chủ cấp dấu thời gian hết hạn hoặc chưa có hiệu lực";
	case PDFSIG_REVOKED: return "chứng thư của máy chủ cấp dấu thời gian đã bị thu hồi";
	default: return "dấu thời gian hỏng, không đọc được";
	}
}

void pdfsig_timestamp_text(const pdfsig_result *r, char *out, size_t cap)
{
	if (!r->has_timestamp) { snprintf(out, cap, "%s", ""); return; }
	snprintf(out, cap, "%s (TSA %s)%s%s", r->timestamp_at[0] ? r->timestamp_at : "không rõ thời điểm",
	         r->tsa[0] ? r->tsa : "không rõ", r->ts_status == PDFSIG_VALID ? "" : " — ", ts_reason(r->ts_status));
}

const char *pdfsig_status_label(pdfsig_status s)
{
	return (unsigned)s < sizeof statuses / sizeof statuses[0] ? statuses[s].label : "?";
}

const char *pdfsig_status_code(pdfsig_status s)
{
	return (unsigned)s < sizeof statuses / sizeof statuses[0] ? statuses[s].code : "?";
}

bool pdfsig_status_from_code(const char *code, pdfsig_status *out)
{
	for (size_t i = 0; code && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(code, statuses[i].code) == 0) { *out = (pdfsig_status)i; return true; }
	return false;
}

/* ---- what an administrator uploads ---------------------------------- */

static char *pem_of(int (*write)(BIO *, void *), void *obj)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio) abort();
	char *data = NULL, *copy = NULL;
	if (write(bio, obj)) {
		long len = BIO_get_mem_data(bio, &data);
		copy = malloc((size_t)len + 1);
		if (!copy) abort();
		memcpy(copy, data, (size_t)len);
		copy[len] = '\0';
	}
	BIO_free(bio);
	return copy;
}

static int write_cert(BIO *b, void *x) { return PEM_write_bio_X509(b, x); }
static int write_crl(BIO *b, void *x) { return PEM_write_bio_X509_CRL(b, x); }

static void one_line(const X509_NAME *name, char *out, size_t cap)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio) abort();
	X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);
	snprintf(out, cap, "%.*s", (int)len, data ? data : "");
	BIO_free(bio);
}

static bool add_item(pdfsig_pem_item *it, X509 *cert, X509_CRL *crl)
{
	it->crl = crl != NULL;
	it->pem = crl ? pem_of(write_crl, crl) : pem_of(write_cert, cert);
	one_line(crl ? X509_CRL_get_issuer(crl) : X509_get_subject_name(cert), it->subject, sizeof it->subject);
	return it->pem != NULL;
}

size_t pdfsig_pem_split(const unsigned char *data, size_t n, pdfsig_pem_item *out, size_t max)
{
	size_t got = 0;
	if (n == 0 || n > (size_t)1 << 24) return 0;
	BIO *bio = BIO_new_mem_buf(data, (int)n);
	if (!bio) abort();
	STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	for (int i = 0; infos && i < sk_X509_INFO_num(infos) && got < max; i++) {
		X509_INFO *info = sk_X509_INFO_value(infos, i);
		if ((info->x509 || info->crl) && add_item(&out[got], info->x509, info->crl)) got++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	if (got == 0 && max > 0) {   /* one DER certificate (.cer) */
		const unsigned char *p = data;
		X509 *cert = d2i_X509(NULL, &p, (long)n);
		if (cert && add_item(&out[0], cert, NULL)) got = 1;
		X509_free(cert);
	}
	ERR_clear_error();
	return got;
}

void pdfsig_pem_items_free(pdfsig_pem_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) { free(items[i].pem); items[i].pem = NULL; }
}

/* A detached CMS over data (a submission's manifest): the PDF path with
 * one range covering all of data and an empty second one. */
void pdfsig_verify_detached(const unsigned char *data, size_t n, const unsigned char *der, size_t dern,
                            const pdfsig_trust *trust, pdfsig_result *res)
{
	memset(res, 0, sizeof *res);
	res->covers_file = true;
	const unsigned char *p = der;
	CMS_ContentInfo *cms = dern > 0 && dern < (size_t)1 << 24 && n < (size_t)1 << 30
		? d2i_CMS_ContentInfo(NULL, &p, (long)dern) : NULL;
	if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		res->status = PDFSIG_BROKEN;
		set_detail(res, "not a CMS SignedData");
	} else {
		pdfsig_range r = { { 0, n, n, 0 } };
		verify_cms(data, &r, cms, trust, res);
	}
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
}
