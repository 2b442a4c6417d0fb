/* sign.c — signing Chiso's PDFs and manifests with an office's key (sign.h). */
#include "sign.h"
#include "sign_look.h"
#include "sign_p11.h"
#include "sign_tsa.h"
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include <time.h>
#include <zlib.h>

struct sign_key {
	EVP_PKEY *pkey;
	X509 *cert;
	STACK_OF(X509) *chain;
	void (*release)(void *);   /* a token's: after the key is freed */
	void *token;
	char *tsa_url;             /* PAdES B-T: the TSA asked for a timestamp; NULL: B-B */
};

/* Room for the CMS in /Contents, in bytes (twice as many hex digits): a
 * signer certificate with a three-level chain and a TSA's token with its
 * own certificate and chain fit with ample margin. */
enum { SIG_CONTENTS_BYTES = 16384, RANGE_DIGITS = 10 };

sign_key *sign_key_from_p12(const unsigned char *p12, size_t n, const char *password, char msg[SIGN_MSG_MAX])
{
	const unsigned char *p = p12;
	PKCS12 *pk = n < (size_t)1 << 20 ? d2i_PKCS12(NULL, &p, (long)n) : NULL;
	if (!pk) {
		snprintf(msg, SIGN_MSG_MAX, "Tệp không phải PKCS#12 (.p12/.pfx)");
		ERR_clear_error();
		return NULL;
	}
	sign_key *k = calloc(1, sizeof *k);
	if (!k) abort();
	int ok = PKCS12_parse(pk, password, &k->pkey, &k->cert, &k->chain);
	PKCS12_free(pk);
	ERR_clear_error();
	if (!ok || !k->pkey || !k->cert) {
		snprintf(msg, SIGN_MSG_MAX, "Không mở được tệp PKCS#12: sai mật khẩu hoặc thiếu khóa/chứng thư");
		sign_key_free(k);
		return NULL;
	}
	return k;
}

sign_key *sign_key_adopt(EVP_PKEY *pkey, X509 *cert, STACK_OF(X509) *chain, void (*release)(void *), void *token)
{
	sign_key *k = calloc(1, sizeof *k);
	if (!k) abort();
	k->pkey = pkey;
	k->cert = cert;
	k->chain = chain;
	k->release = release;
	k->token = token;
	return k;
}

void sign_key_free(sign_key *k)
{
	if (!k) return;
	EVP_PKEY_free(k->pkey);
	X509_free(k->cert);
	sk_X509_pop_free(k->chain, X509_free);
	if (k->release) k->release(k->token);
	free(k->tsa_url);
	free(k);
}

void sign_key_set_tsa(sign_key *k, const char *url)
{
	free(k->tsa_url);
	k->tsa_url = NULL;
	if (url && url[0] && !(k->tsa_url = strdup(url))) abort();
}

bool sign_key_add_chain(sign_key *k, const char *pem, size_t n, char msg[SIGN_MSG_MAX])
{
	BIO *bio = n < (size_t)1 << 20 ? BIO_new_mem_buf(pem, (int)n) : NULL;
	STACK_OF(X509_INFO) *infos = bio ? PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	size_t added = 0;
	if (!k->chain && !(k->chain = sk_X509_new_null())) abort();
	for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
		X509 *x = sk_X509_INFO_value(infos, i)->x509;
		if (!x || X509_cmp(x, k->cert) == 0 || !X509_up_ref(x)) continue;
		if (!sk_X509_push(k->chain, x)) abort();
		added++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (!added) snprintf(msg, SIGN_MSG_MAX, "Tệp chuỗi chứng thư không chứa chứng thư PEM nào");
	return added > 0;
}

static void subject_entry(const X509 *cert, int nid, char *out, size_t cap)
{
	out[0] = '\0';
	const X509_NAME *name = X509_get_subject_name(cert);
	int idx = X509_NAME_get_index_by_NID(name, nid, -1);
	if (idx < 0) return;
	unsigned char *utf8 = NULL;
	int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx)));
	if (len < 0) return;
	snprintf(out, cap, "%.*s", len, (const char *)utf8);
	OPENSSL_free(utf8);
}

void sign_key_subject(const sign_key *k, char *cn, size_t cncap, char *org, size_t orgcap)
{
	subject_entry(k->cert, NID_commonName, cn, cncap);
	subject_entry(k->cert, NID_organizationName, org, orgcap);
}

/* PAdES B-B / CAdES: the signer's certificate bound by the signed
 * attribute ESS signing-certificate-v2 (its SHA-256 and issuer-serial), so
 * the certificate cannot be swapped for another with the same key. */
static bool add_signing_cert_v2(CMS_SignerInfo *si, const X509 *cert)
{
	ESS_SIGNING_CERT_V2 *sc = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), cert, NULL, 1);
	unsigned char *der = NULL;
	int len = sc ? i2d_ESS_SIGNING_CERT_V2(sc, &der) : -1;
	ESS_SIGNING_CERT_V2_free(sc);
	bool ok = len > 0 && CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE, der, len);
	OPENSSL_free(der);
	return ok;
}

/* PAdES B-T: the TSA's token over the signature value, as the unsigned
 * attribute id-aa-signatureTimeStampToken (RFC 3161, appendix A). */
static bool add_timestamp(CMS_SignerInfo *si, const char *url, char msg[SIGN_MSG_MAX])
{
	const ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
	buf token;
	buf_init(&token);
	bool ok = sign_tsa_token(url, ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv), &token, msg);
	if (ok && !CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data,
	                                         (int)token.len)) {
		snprintf(msg, SIGN_MSG_MAX, "Không gắn được dấu thời gian vào chữ ký");
		ok = false;
	}
	buf_free(&token);
	return ok;
}

static CMS_ContentInfo *cms_detached(const sign_key *k, const unsigned char *data, size_t n, char msg[SIGN_MSG_MAX])
{
	unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, k->chain, NULL, flags);
	CMS_SignerInfo *si = cms ? CMS_add1_signer(cms, k->cert, k->pkey, EVP_sha256(), flags) : NULL;
	BIO *in = BIO_new_mem_buf(data, (int)n);
	if (!in) abort();
	bool ok = si && add_signing_cert_v2(si, k->cert) && CMS_final(cms, in, NULL, flags);
	BIO_free(in);
	if (!ok) snprintf(msg, SIGN_MSG_MAX, "Không ký được (OpenSSL)");
	else if (k->tsa_url) ok = add_timestamp(si, k->tsa_url, msg);
	if (!ok) { CMS_ContentInfo_free(cms); return NULL; }
	return cms;
}

bool sign_detached(const sign_key *k, const unsigned char *data, size_t n, buf *der, char msg[SIGN_MSG_MAX])
{
	char why[SIGN_MSG_MAX] = "Không ký được (OpenSSL)";   /* cms_detached says why when it can */
	CMS_ContentInfo *cms = n < (size_t)1 << 30 ? cms_detached(k, data, n, why) : NULL;
	unsigned char *out = NULL;
	int len = cms ? i2d_CMS_ContentInfo(cms, &out) : -1;
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	if (len <= 0) { snprintf(msg, SIGN_MSG_MAX, "%s", why); return false; }
	buf_append(der, (const char *)out, (size_t)len);
	OPENSSL_free(out);
	return true;
}

/* ---- the incremental update ----------------------------------------- */

/* The last occurrence of needle in [0, n). */
static const unsigned char *last_of(const unsigned char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const unsigned char *hit = NULL, *at = p;
	while ((size_t)(at - p) + k <= n) {
		const unsigned char *h = bytes_find(at, n - (size_t)(at - p), needle, k);
		if (!h) break;
		hit = h;
		at = h + 1;
	}
	return hit;
}

static bool number_after(const unsigned char *p, size_t n, size_t i, unsigned long long *v)
{
	while (i < n && (p[i] == ' ' || p[i] == '\r' || p[i] == '\n')) i++;
	size_t digits = 0;
	*v = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 15) { *v = *v * 10 + (unsigned)(p[i++] - '0'); digits++; }
	return digits > 0;
}

typedef struct pdf_tail {
	unsigned long long startxref, size, root, root_gen;
	const unsigned char *catalog;    /* "<<" of the catalog's dictionary */
	size_t catalog_len;              /* up to and including its ">>" */
} pdf_tail;

/* The dictionary ("<<" up to its ">>") of object num gen, as last defined. */
static bool object_dict(const unsigned char *pdf, size_t n, unsigned long long num, unsigned long long gen,
                        const unsigned char **dict, size_t *len)
{
	char head[48];
	snprintf(head, sizeof head, "\n%llu %llu obj", num, gen);
	const unsigned char *obj = last_of(pdf, n, head);
	if (!obj) return false;
	const unsigned char *open = bytes_find(obj, n - (size_t)(obj - pdf), "<<", 2);
	if (!open || open - obj > 64) return false;
	int depth = 0;
	for (size_t k = (size_t)(open - pdf); k + 1 < n && k < (size_t)(open - pdf) + 65536; k++) {
		if (pdf[k] == '<' && pdf[k + 1] == '<') { depth++; k++; }
		else if (pdf[k] == '>' && pdf[k + 1] == '>') {
			k++;
			if (--depth == 0) { *dict = open; *len = k + 1 - (size_t)(open - pdf); return true; }
		}
	}
	return false;
}

/* The last trailer's /Size and /Root, and the catalog's dictionary. */
static bool read_tail(const unsigned char *pdf, size_t n, pdf_tail *t)
{
	size_t tail = n > 2048 ? n - 2048 : 0;
	const unsigned char *sx = last_of(pdf + tail, n - tail, "startxref");
	const unsigned char *tr = last_of(pdf, n, "trailer");
	if (!sx || !tr || !number_after(pdf, n, (size_t)(sx - pdf) + 9, &t->startxref)) return false;
	size_t trn = n - (size_t)(tr - pdf);
	const unsigned char *sz = bytes_find(tr, trn, "/Size", 5), *rt = bytes_find(tr, trn, "/Root", 5);
	if (!sz || !rt || !number_after(pdf, n, (size_t)(sz - pdf) + 5, &t->size)) return false;
	size_t i = (size_t)(rt - pdf) + 5;
	if (!number_after(pdf, n, i, &t->root)) return false;
	while (i < n && (pdf[i] == ' ' || pdf[i] == '\n' || pdf[i] == '\r')) i++;
	while (i < n && pdf[i] >= '0' && pdf[i] <= '9') i++;
	if (!number_after(pdf, n, i, &t->root_gen)) return false;
	return object_dict(pdf, n, t->root, t->root_gen, &t->catalog, &t->catalog_len);
}

/* ---- the visible signature ------------------------------------------- */

/* Where Chiso's renderer marked the signature block (doc_pdf.c: the named
 * destination "chiso.sign", [page /XYZ x y 0]) and the page's dictionary. */
typedef struct sign_spot {
	bool found;
	unsigned long long page, page_gen;
	double x, y;                       /* top centre of the room, points */
	const unsigned char *page_dict;
	size_t page_dict_len;
} sign_spot;

/* The look's box in points: 70 mm × 22 mm, 2 mm below the top of the room. */
enum { SPOT_W = 198, SPOT_H = 62, SPOT_DROP = 6 };

/* A non-negative decimal number at p[*i] (locale-free); advances *i. */
static bool real_at(const unsigned char *p, size_t n, size_t *i, double *v)
{
	while (*i < n && p[*i] == ' ') (*i)++;
	double x = 0, scale = 0;
	size_t digits = 0;
	for (; *i < n && digits < 12; (*i)++) {
		if (p[*i] >= '0' && p[*i] <= '9') { x = x * 10 + (p[*i] - '0'); if (scale) scale *= 10; digits++; }
		else if (p[*i] == '.' && !scale) scale = 1;
		else break;
	}
	*v = scale > 1 ? x / scale : x;
	return digits > 0;
}

/* Only a first signature is visible: a later one would cover it. */
static void find_spot(const unsigned char *pdf, size_t n, const pdf_tail *t, sign_spot *s)
{
	memset(s, 0, sizeof *s);
	if (bytes_find(t->catalog, t->catalog_len, "/AcroForm", 9)) return;
	const unsigned char *at = last_of(pdf, n, "(chiso.sign) [");
	if (!at) return;
	size_t i = (size_t)(at - pdf) + 14;
	double page, gen;
	if (!real_at(pdf, n, &i, &page) || !real_at(pdf, n, &i, &gen) || i + 8 > n || memcmp(pdf + i, " R /XYZ ", 8) != 0) return;
	i += 8;
	if (!real_at(pdf, n, &i, &s->x) || !real_at(pdf, n, &i, &s->y)) return;
	s->page = (unsigned long long)page;
	s->page_gen = (unsigned long long)gen;
	if (!object_dict(pdf, n, s->page, s->page_gen, &s->page_dict, &s->page_dict_len)) return;
	const unsigned char *annots = bytes_find(s->page_dict, s->page_dict_len, "/Annots", 7);
	if (annots && !bytes_find(annots, s->page_dict_len - (size_t)(annots - s->page_dict), "/Annots [", 9)) return;
	s->found = bytes_find(s->page_dict, s->page_dict_len, "/Type /Page", 11) != NULL && s->x > SPOT_W / 2.0 && s->y > SPOT_H;
}

/* The page with the widget in its /Annots. */
static void new_page(const sign_spot *s, unsigned long long widget, buf *out)
{
	const char *pg = (const char *)s->page_dict;
	size_t len = s->page_dict_len;
	const char *annots = bytes_find(pg, len, "/Annots [", 9);
	if (annots) {
		size_t at = (size_t)(annots - pg) + 9;
		buf_append(out, pg, at);
		buf_printf(out, "%llu 0 R ", widget);
		buf_append(out, pg + at, len - at);
		return;
	}
	buf_append(out, pg, len - 2);
	buf_printf(out, " /Annots [%llu 0 R] >>", widget);
}

/* The signer, the organisation and the day (Vietnam's time, UTC+7). */
static void write_look(const sign_key *k, unsigned long long obj, buf *out)
{
	char cn[256], org[256], day[48];
	sign_key_subject(k, cn, sizeof cn, org, sizeof org);
	time_t vn = time(NULL) + (time_t)7 * 3600;
	struct tm tm;
	gmtime_r(&vn, &tm);
	strftime(day, sizeof day, "Ký ngày %d/%m/%Y", &tm);
	char who[300];
	snprintf(who, sizeof who, "Người ký: %s", cn);
	const char *lines[] = { who, org, day };
	buf plain;
	buf_init(&plain);
	sign_look_stream(lines, 3, SPOT_W, SPOT_H, &plain);
	uLongf zlen = compressBound(plain.len);
	unsigned char *z = malloc(zlen);
	if (!z) abort();
	if (compress2(z, &zlen, (const unsigned char *)plain.data, plain.len, 9) != Z_OK) abort();
	buf_printf(out, "%llu 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Resources << >> /Filter /FlateDecode /Length %lu >>\nstream\n",
	           obj, SPOT_W, SPOT_H, (unsigned long)zlen);
	buf_append(out, (const char *)z, zlen);
	buf_puts(out, "\nendstream\nendobj\n");
	free(z);
	buf_free(&plain);
}

/* The catalog with the new field in its /AcroForm. */
static bool new_catalog(const pdf_tail *t, unsigned long long field, buf *out, char msg[SIGN_MSG_MAX])
{
	const char *cat = (const char *)t->catalog;
	size_t len = t->catalog_len;
	const char *fields = bytes_find(cat, len, "/Fields [", 9);
	if (fields) {   /* signed before, by us: the field joins the list */
		size_t at = (size_t)(fields - cat) + 9;
		buf_append(out, cat, at);
		buf_printf(out, "%llu 0 R ", field);
		buf_append(out, cat + at, len - at);
		return true;
	}
	if (bytes_find(cat, len, "/AcroForm", 9)) {
		snprintf(msg, SIGN_MSG_MAX, "Tệp PDF đã có biểu mẫu (AcroForm) không do Chiso tạo: không ký thêm được");
		return false;
	}
	buf_append(out, cat, len - 2);
	buf_printf(out, " /AcroForm << /Fields [%llu 0 R] /SigFlags 3 >> >>", field);
	return true;
}

static void pdf_date(char *out, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, cap, "D:%Y%m%d%H%M%SZ", &tm);
}

typedef struct xref_entry { unsigned long long num, gen; size_t off; } xref_entry;

static int entry_cmp(const void *a, const void *b)
{
	const xref_entry *x = a, *y = b;
	return x->num < y->num ? -1 : x->num > y->num;
}

/* The new cross-reference section, one subsection per object, and the trailer. */
static void write_xref(const pdf_tail *t, xref_entry *e, size_t ne, unsigned long long size, buf *out)
{
	sort_list(e, ne, sizeof *e, entry_cmp);
	size_t xref = out->len;
	buf_puts(out, "xref\n0 1\n0000000000 65535 f \n");
	for (size_t i = 0; i < ne; i++) buf_printf(out, "%llu 1\n%010zu %05llu n \n", e[i].num, e[i].off, e[i].gen);
	buf_printf(out, "trailer\n<< /Size %llu /Root %llu %llu R /Prev %llu >>\nstartxref\n%zu\n%%%%EOF\n",
	           size, t->root, t->root_gen, t->startxref, xref);
}

/* The widget: invisible, or in the signature block with its look (ap). */
static void write_widget(const sign_spot *spot, unsigned long long field, unsigned long long sig, unsigned long long ap, buf *out)
{
	buf_printf(out, "%llu 0 obj\n<< /FT /Sig /T (Chiso %llu) /V %llu 0 R /Type /Annot /Subtype /Widget /F 132", field, sig, sig);
	if (!spot->found) { buf_puts(out, " /Rect [0 0 0 0] >>\nendobj\n"); return; }
	int x0 = (int)spot->x - SPOT_W / 2, y1 = (int)spot->y - SPOT_DROP;
	buf_printf(out, " /P %llu %llu R /Rect [%d %d %d %d] /AP << /N %llu 0 R >> >>\nendobj\n", spot->page, spot->page_gen,
	           x0, y1 - SPOT_H, x0 + SPOT_W, y1, ap);
}

/* Writes the update; *contents is where the '<' of /Contents is. */
static bool write_update(const unsigned char *pdf, size_t n, const pdf_tail *t, const sign_key *k, buf *out,
                         size_t *contents, char msg[SIGN_MSG_MAX])
{
	unsigned long long sig = t->size, field = t->size + 1, ap = t->size + 2;
	sign_spot spot;
	find_spot(pdf, n, t, &spot);
	xref_entry e[5];
	size_t ne = 0;
	char when[32];
	pdf_date(when, sizeof when);
	buf_append(out, (const char *)pdf, n);
	if (n && pdf[n - 1] != '\n') buf_putc(out, '\n');
	e[ne++] = (xref_entry){ sig, 0, out->len };
	buf_printf(out, "%llu 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (%s)\n"
	           "   /ByteRange [0 %0*d %0*d %0*d]\n   /Contents ", sig, when, RANGE_DIGITS, 0, RANGE_DIGITS, 0, RANGE_DIGITS, 0);
	*contents = out->len;
	buf_putc(out, '<');
	for (int i = 0; i < 2 * SIG_CONTENTS_BYTES; i++) buf_putc(out, '0');
	buf_puts(out, "> >>\nendobj\n");
	e[ne++] = (xref_entry){ field, 0, out->len };
	write_widget(&spot, field, sig, ap, out);
	if (spot.found) {
		e[ne++] = (xref_entry){ ap, 0, out->len };
		write_look(k, ap, out);
		e[ne++] = (xref_entry){ spot.page, spot.page_gen, out->len };
		buf_printf(out, "%llu %llu obj\n", spot.page, spot.page_gen);
		new_page(&spot, field, out);
		buf_puts(out, "\nendobj\n");
	}
	e[ne++] = (xref_entry){ t->root, t->root_gen, out->len };
	buf_printf(out, "%llu %llu obj\n", t->root, t->root_gen);
	if (!new_catalog(t, field, out, msg)) return false;
	buf_puts(out, "\nendobj\n");
	write_xref(t, e, ne, spot.found ? ap + 1 : field + 1, out);
	return true;
}

/* Fills /ByteRange and /Contents of the update written at contents. */
static bool fill_signature(buf *out, size_t contents, const sign_key *k, char msg[SIGN_MSG_MAX])
{
	size_t gap_end = contents + (size_t)2 * SIG_CONTENTS_BYTES + 2;
	unsigned long long b = contents, c = gap_end, d = out->len - gap_end;
	const char *found = bytes_find(out->data + contents - 60, 60, "[0 ", 3);
	if (!found) { snprintf(msg, SIGN_MSG_MAX, "Lỗi nội bộ khi ký"); return false; }
	char digits[3 * RANGE_DIGITS + 8];
	snprintf(digits, sizeof digits, "%0*llu %0*llu %0*llu", RANGE_DIGITS, b, RANGE_DIGITS, c, RANGE_DIGITS, d);
	memcpy(out->data + (found - out->data) + 3, digits, (size_t)3 * RANGE_DIGITS + 2);
	size_t total = b + d;
	unsigned char *signed_bytes = malloc(total);
	if (!signed_bytes) abort();
	memcpy(signed_bytes, out->data, b);
	memcpy(signed_bytes + b, out->data + c, d);
	buf der;
	buf_init(&der);
	bool ok = sign_detached(k, signed_bytes, total, &der, msg);
	free(signed_bytes);
	if (ok && der.len > SIG_CONTENTS_BYTES) {
		snprintf(msg, SIGN_MSG_MAX, "Chữ ký quá lớn (chuỗi chứng thư quá dài)");
		ok = false;
	}
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; ok && i < der.len; i++) {
		unsigned char v = (unsigned char)der.data[i];
		out->data[contents + 1 + 2 * i] = hex[v >> 4];
		out->data[contents + 2 + 2 * i] = hex[v & 15];
	}
	buf_free(&der);
	return ok;
}

bool sign_pdf(const unsigned char *pdf, size_t n, const sign_key *k, buf *out, char msg[SIGN_MSG_MAX])
{
	pdf_tail t;
	if (n < 8 || memcmp(pdf, "%PDF-", 5) != 0 || !read_tail(pdf, n, &t)) {
		snprintf(msg, SIGN_MSG_MAX, "Không đọc được cấu trúc tệp PDF (chỉ ký được PDF có bảng xref thông thường)");
		return false;
	}
	size_t contents = 0;
	if (!write_update(pdf, n, &t, k, out, &contents, msg)) return false;
	return fill_signature(out, contents, k, msg);
}

/* ---- the key at rest ------------------------------------------------ */

static void seal_key(const unsigned char secret[SECRET_BYTES], unsigned char key[crypto_secretbox_KEYBYTES])
{
	crypto_kdf_derive_from_key(key, crypto_secretbox_KEYBYTES, 2, "chisokey", secret);
}

void sign_seal(const unsigned char secret[SECRET_BYTES], const unsigned char *plain, size_t n, buf *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES], nonce[crypto_secretbox_NONCEBYTES];
	seal_key(secret, key);
	randombytes_buf(nonce, sizeof nonce);
	unsigned char *box = malloc(n + crypto_secretbox_MACBYTES);
	if (!box) abort();
	crypto_secretbox_easy(box, plain, n, nonce, key);
	buf_append(out, (const char *)nonce, sizeof nonce);
	buf_append(out, (const char *)box, n + crypto_secretbox_MACBYTES);
	free(box);
	sodium_memzero(key, sizeof key);
}

bool sign_unseal(const unsigned char secret[SECRET_BYTES], const unsigned char *sealed, size_t n, buf *out)
{
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return false;
	unsigned char key[crypto_secretbox_KEYBYTES];
	seal_key(secret, key);
	size_t plain = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	unsigned char *p = malloc(plain + 1);
	if (!p) abort();
	bool ok = crypto_secretbox_open_easy(p, sealed + crypto_secretbox_NONCEBYTES, n - crypto_secretbox_NONCEBYTES,
	                                     sealed, key) == 0;
	sodium_memzero(key, sizeof key);
	if (ok) buf_append(out, (const char *)p, plain);
	sodium_memzero(p, plain);
	free(p);
	return ok;
}
