/* sign_trust.c — the trust store from the database; submission seals (sign_trust.h). */
/* pem.h before any header that brings cms.h: cms.h declares PEM_read_bio_CMS only then */
#include <openssl/pem.h>
#include "sign_trust.h"
#include "cmd.h"
#include "q_assessment.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_sign.h"
#include "sign.h"
#include "sign_p11.h"
#include <jansson.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sign_trust_load(db *d, pdfsig_trust *t)
{
	arena *a = arena_new();
	trust_cert *certs = NULL;
	size_t n = 0;
	int rc = trust_cert_list(d, a, &certs, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		if (strcmp(certs[i].kind, "crl") == 0) pdfsig_trust_add_crl_pem(t, certs[i].pem, strlen(certs[i].pem));
		else pdfsig_trust_add_pem(t, certs[i].pem, strlen(certs[i].pem));
	}
	arena_free(a);
	return rc;
}

bool sign_trust_load_db(const char *target, pdfsig_trust *t)
{
	db *d = cmd_open_db(target);
	if (!d) return false;
	int rc = sign_trust_load(d, t);
	if (rc != DB_OK) fprintf(stderr, "chiso verify: %s\n", db_errmsg(d));
	db_close(d);
	return rc == DB_OK;
}

/* ---- the manifest ---------------------------------------------------- */

static void sha256_hex(const char *s, size_t n, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, n);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static int manifest_answers(db *d, int64_t assessment_id, arena *a, json_t *answers)
{
	assessment_answer *rows = NULL;
	size_t n = 0;
	int rc = assessment_answers(d, assessment_id, ANSWER_SELF, a, &rows, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		char hex[65];
		sha256_hex(rows[i].value_json, strlen(rows[i].value_json), hex);
		json_object_set_new(answers, rows[i].item_code, json_string(hex));
	}
	return rc;
}

static int manifest_files(db *d, int64_t assessment_id, arena *a, json_t *files)
{
	evidence *ev = NULL;
	size_t n = 0;
	int rc = evidence_list(d, assessment_id, NULL, a, &ev, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		evidence_file *f = NULL;
		size_t nf = 0;
		rc = evidence_files(d, ev[i].id, a, &f, &nf);
		for (size_t k = 0; rc == DB_OK && k < nf; k++) {
			char *key = arena_printf(a, "%s/%s", ev[i].code, f[k].original_name);
			json_object_set_new(files, key, json_string(f[k].sha256));
		}
	}
	return rc;
}

int sign_manifest(db *d, int64_t assessment_id, char **out)
{
	*out = NULL;
	arena *a = arena_new();
	json_t *answers = json_object(), *files = json_object();
	int rc = manifest_answers(d, assessment_id, a, answers);
	if (rc == DB_OK) rc = manifest_files(d, assessment_id, a, files);
	json_t *m = json_pack("{s:I, s:o, s:o}", "assessment_id", (json_int_t)assessment_id, "answers", answers,
	                      "evidence_files", files);
	if (rc == DB_OK) *out = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(m);
	arena_free(a);
	return rc;
}

/* The server's seal key pair, derived from the server secret: nothing to
 * keep beside it, and a different secret cannot forge a seal. */
static void seal_keypair(const unsigned char secret[SECRET_BYTES], unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                         unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	crypto_kdf_derive_from_key(seed, sizeof seed, 3, "chisosea", secret);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
}

/* A token's key: the sealed "URI\nPIN", on the server's PKCS#11 module
 * (CHISO_PKCS11_MODULE), with the intermediates of CHISO_PKCS11_CHAIN
 * when the operator names a chain file (a token seldom holds them). */
static sign_key *token_key(const buf *plain, char msg[SIGN_MSG_MAX])
{
	const char *nl = memchr(plain->data, '\n', plain->len);
	if (!nl) { snprintf(msg, SIGN_MSG_MAX, "Khóa đã lưu bị hỏng. Hãy khai báo lại token."); return NULL; }
	size_t ulen = (size_t)(nl - plain->data), plen = plain->len - ulen - 1;
	char *uri = malloc(ulen + 1), *pin = malloc(plen + 1);
	if (!uri || !pin) abort();
	memcpy(uri, plain->data, ulen);
	uri[ulen] = '\0';
	memcpy(pin, nl + 1, plen);
	pin[plen] = '\0';
	sign_key *k = sign_key_from_pkcs11(getenv("CHISO_PKCS11_MODULE"), uri, pin, msg);
	sodium_memzero(pin, plen);
	free(uri);
	free(pin);
	const char *chain = getenv("CHISO_PKCS11_CHAIN");
	if (k && chain && chain[0]) {
		buf pem;
		buf_init(&pem);
		if (!cmd_read_file(chain, (size_t)1 << 20, &pem) || !sign_key_add_chain(k, pem.data, pem.len, msg)) {
			if (!msg[0]) snprintf(msg, SIGN_MSG_MAX, "Không đọc được tệp chuỗi chứng thư CHISO_PKCS11_CHAIN");
			sign_key_free(k);
			k = NULL;
		}
		buf_free(&pem);
	}
	return k;
}

/* A PKCS#12 file as page_sign.c seals it: password length (4 bytes,
 * big-endian), password, the file. */
static sign_key *p12_key(const buf *plain, char msg[SIGN_MSG_MAX])
{
	const unsigned char *p = (const unsigned char *)plain->data;
	size_t plen = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
	if (plen > plain->len - 4) { snprintf(msg, SIGN_MSG_MAX, "Khóa đã lưu bị hỏng. Hãy tải lại tệp PKCS#12."); return NULL; }
	char *pass = malloc(plen + 1);
	if (!pass) abort();
	memcpy(pass, plain->data + 4, plen);
	pass[plen] = '\0';
	sign_key *k = sign_key_from_p12(p + 4 + plen, plain->len - 4 - plen, pass, msg);
	sodium_memzero(pass, plen);
	free(pass);
	return k;
}

sign_key *sign_office_key(db *d, const unsigned char secret[SECRET_BYTES], int64_t office, char msg[SIGN_MSG_MAX])
{
	msg[0] = '\0';
	arena *a = arena_new();
	char *subject = NULL;
	void *sealed = NULL;
	size_t n = 0;
	sign_key *k = NULL;
	buf plain;
	buf_init(&plain);
	int rc = office_key_get(d, office, a, &subject, &sealed, &n);
	if (rc != DB_OK) {
		if (rc != DB_ENOTFOUND) snprintf(msg, SIGN_MSG_MAX, "%s", db_errmsg(d));
		db_clear_error(d);
	} else if (!sign_unseal(secret, sealed, n, &plain) || plain.len < 4) {
		snprintf(msg, SIGN_MSG_MAX, "Không mở được khóa đã lưu (khóa bí mật của máy chủ đã đổi?). Hãy tải lại tệp PKCS#12.");
	} else if (plain.len > 7 && memcmp(plain.data, "pkcs11:", 7) == 0) {
		k = token_key(&plain, msg);
	} else k = p12_key(&plain, msg);
	if (plain.data) sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	arena_free(a);
	return k;
}

/* The office that receives the assessment: the one that opened its round. */
static int receiving_office(db *d, int64_t assessment_id, int64_t *office)
{
	arena *a = arena_new();
	assessment as;
	round_row r;
	int rc = assessment_get(d, assessment_id, a, &as);
	if (rc == DB_OK) rc = round_get(d, as.round_id, a, &r);
	*office = rc == DB_OK ? r.office_unit_id : 0;
	arena_free(a);
	return rc;
}

/* The manifest signed by the office's certificate (detached CMS); false
 * when the office has no key, or its key does not open (then said on
 * stderr: the server's key seals instead, the submission is not refused
 * for the office's key). */
static bool seal_by_office(db *d, const unsigned char secret[SECRET_BYTES], int64_t office, const char *manifest,
                           buf *sig)
{
	char msg[SIGN_MSG_MAX];
	sign_key *k = sign_office_key(d, secret, office, msg);
	bool ok = k && sign_detached(k, (const unsigned char *)manifest, strlen(manifest), sig, msg);
	sign_key_free(k);
	if (!ok && msg[0]) fprintf(stderr, "chiso: niêm phong bằng khóa của cơ quan %lld không được (%s); dùng khóa máy chủ\n",
	                           (long long)office, msg);
	return ok;
}

static void seal_by_server(const unsigned char secret[SECRET_BYTES], const char *manifest, buf *sig)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], s[crypto_sign_BYTES];
	seal_keypair(secret, pk, sk);
	crypto_sign_detached(s, NULL, (const unsigned char *)manifest, strlen(manifest), sk);
	sodium_memzero(sk, sizeof sk);
	buf_append(sig, (const char *)s, sizeof s);
}

int sign_seal_submission(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id)
{
	char *manifest = NULL;
	int64_t office = 0;
	int rc = sign_manifest(d, assessment_id, &manifest);
	if (rc == DB_OK) rc = receiving_office(d, assessment_id, &office);
	if (rc != DB_OK) {
		free(manifest);
		return rc;
	}
	buf sig;
	buf_init(&sig);
	if (!seal_by_office(d, secret, office, manifest, &sig)) {
		buf_reset(&sig);
		office = 0;
		seal_by_server(secret, manifest, &sig);
	}
	int64_t id = 0;
	rc = submission_seal_put(d, assessment_id, office, manifest, sig.data, sig.len, &id);
	buf_free(&sig);
	free(manifest);
	return rc;
}

int sign_seal_hook(db *d, const void *secret, int64_t assessment_id)
{
	return sign_seal_submission(d, secret, assessment_id);
}

/* What differs between two JSON objects of name → hash. */
static void diff_objects(const char *what, json_t *then, json_t *now, buf *diff)
{
	const char *k;
	json_t *v;
	json_object_foreach(then, k, v) {
		json_t *w = json_object_get(now, k);
		if (!w) buf_printf(diff, "%s %s: đã xóa\n", what, k);
		else if (!json_equal(v, w)) buf_printf(diff, "%s %s: đã thay đổi\n", what, k);
	}
	json_object_foreach(now, k, v)
		if (!json_object_get(then, k)) buf_printf(diff, "%s %s: thêm sau khi nộp\n", what, k);
}

static void diff_manifests(const char *then_text, const char *now_text, buf *diff)
{
	json_t *then = json_loads(then_text, 0, NULL), *now = json_loads(now_text, 0, NULL);
	diff_objects("Câu trả lời", json_object_get(then, "answers"), json_object_get(now, "answers"), diff);
	diff_objects("Tệp minh chứng", json_object_get(then, "evidence_files"), json_object_get(now, "evidence_files"), diff);
	json_decref(then);
	json_decref(now);
}

/* Whether the stored signature is the manifest's: the server key's, or
 * the office certificate's (who signed it, and the certificate's status
 * under the installed trust store, in out->cms). */
static bool seal_signature_holds(db *d, const unsigned char secret[SECRET_BYTES], const char *manifest,
                                 const void *sig, size_t n, seal_info *out)
{
	if (!out->office) {
		unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
		seal_keypair(secret, pk, sk);
		sodium_memzero(sk, sizeof sk);
		return n == crypto_sign_BYTES &&
		       crypto_sign_verify_detached(sig, (const unsigned char *)manifest, strlen(manifest), pk) == 0;
	}
	pdfsig_trust *t = pdfsig_trust_new();
	sign_trust_load(d, t);
	pdfsig_verify_detached((const unsigned char *)manifest, strlen(manifest), sig, n, t, &out->cms);
	pdfsig_trust_free(t);
	return out->cms.cms_valid;
}

int sign_seal_check(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id, arena *a,
                    seal_info *out, buf *diff)
{
	int64_t id = 0;
	char *manifest = NULL;
	void *sig = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	out->state = SEAL_NONE;
	int rc = submission_seal_get(d, assessment_id, a, &id, &manifest, &sig, &n, &out->sealed_at, &out->office);
	if (rc == DB_ENOTFOUND) { db_clear_error(d); return DB_OK; }
	if (rc != DB_OK) return rc;
	if (!seal_signature_holds(d, secret, manifest, sig, n, out)) {
		out->state = SEAL_FORGED;
		return DB_OK;
	}
	assessment as;
	if (out->office && assessment_get(d, assessment_id, a, &as) == DB_OK) out->principal = as.unit_id == out->office;
	db_clear_error(d);
	if (out->office && out->cms.status != PDFSIG_VALID) {
		out->state = SEAL_UNTRUSTED;
		return DB_OK;
	}
	char *now = NULL;
	rc = sign_manifest(d, assessment_id, &now);
	if (rc != DB_OK) return rc;
	out->state = strcmp(now, manifest) == 0 ? SEAL_INTACT : SEAL_CHANGED;
	if (out->state == SEAL_CHANGED) diff_manifests(manifest, now, diff);
	free(now);
	return DB_OK;
}

const char *sign_seal_label(seal_state s)
{
	switch (s) {
	case SEAL_INTACT: return "Niêm phong hợp lệ — dữ liệu không thay đổi từ khi nộp";
	case SEAL_CHANGED: return "Dữ liệu đã thay đổi sau khi nộp";
	case SEAL_FORGED: return "Niêm phong không hợp lệ (bản kê đã bị sửa)";
	case SEAL_UNTRUSTED: return "Chứng thư niêm phong không được tin cậy";
	case SEAL_NONE: break;
	}
	return "Chưa được niêm phong";
}

const char *sign_seal_key_label(const seal_info *s, arena *a)
{
	if (s->state == SEAL_NONE) return "";
	if (!s->office) return "khóa của máy chủ Chiso (Ed25519)";
	return arena_printf(a, "%s — %s%s%s (%s)", s->principal ? "chứng thư số của hiệu trưởng" : "chứng thư số của cơ quan", s->cms.signer[0] ? s->cms.signer : "không rõ tên",
	                    s->cms.organisation[0] ? ", " : "", s->cms.organisation, pdfsig_status_label(s->cms.status));
}

int sign_sealed_manifest(db *d, int64_t assessment_id, arena *a, char **manifest)
{
	int64_t id = 0, signer = 0;
	void *sig = NULL;
	size_t n = 0;
	char *at = NULL;
	return submission_seal_get(d, assessment_id, a, &id, manifest, &sig, &n, &at, &signer);
}

/* A .p7s as DER: PEM ("-----BEGIN CMS-----", "PKCS7") is converted. */
static bool p7s_der(const unsigned char *p7s, size_t n, buf *der)
{
	if (n < 11 || memcmp(p7s, "-----BEGIN ", 11) != 0) { buf_append(der, (const char *)p7s, n); return true; }
	BIO *bio = n < (size_t)1 << 20 ? BIO_new_mem_buf(p7s, (int)n) : NULL;
	CMS_ContentInfo *cms = bio ? PEM_read_bio_CMS(bio, NULL, NULL, NULL) : NULL;
	unsigned char *out = NULL;
	int len = cms ? i2d_CMS_ContentInfo(cms, &out) : -1;
	if (len > 0) buf_append(der, (const char *)out, (size_t)len);
	OPENSSL_free(out);
	CMS_ContentInfo_free(cms);
	BIO_free(bio);
	ERR_clear_error();
	return len > 0;
}

/* The principal's CMS over the sealed manifest, checked; NULL or why not. */
static const char *principal_refusal(db *d, const char *manifest, const buf *der, pdfsig_result *res, arena *a)
{
	pdfsig_trust *t = pdfsig_trust_new();
	sign_trust_load(d, t);
	pdfsig_verify_detached((const unsigned char *)manifest, strlen(manifest), (const unsigned char *)der->data, der->len,
	                       t, res);
	pdfsig_trust_free(t);
	if (res->status == PDFSIG_BROKEN) return "Tệp tải lên không phải chữ ký số CMS (.p7s) tách rời.";
	if (!res->cms_valid) return "Chữ ký số không khớp với bản kê niêm phong của hồ sơ (đã ký một tệp khác?).";
	if (res->status != PDFSIG_VALID)
		return arena_printf(a, "Chữ ký số không hợp lệ: %s.", pdfsig_status_label(res->status));
	return NULL;
}

const char *sign_seal_by_principal(db *d, int64_t actor, int64_t assessment_id, int64_t school,
                                   const unsigned char *p7s, size_t n, arena *a, pdfsig_result *res)
{
	memset(res, 0, sizeof *res);
	char *sealed = NULL, *now = NULL;
	if (sign_sealed_manifest(d, assessment_id, a, &sealed) != DB_OK) {
		db_clear_error(d);
		return "Hồ sơ chưa được gửi nên chưa có bản kê niêm phong để ký.";
	}
	if (sign_manifest(d, assessment_id, &now) != DB_OK) return db_errmsg(d);
	bool same = strcmp(now, sealed) == 0;
	free(now);
	if (!same) return "Dữ liệu hồ sơ đã thay đổi sau khi gửi: bản kê niêm phong không còn đúng, không ký được.";
	buf der;
	buf_init(&der);
	const char *refusal = p7s_der(p7s, n, &der) ? principal_refusal(d, sealed, &der, res, a)
		: "Tệp tải lên không phải chữ ký số CMS (.p7s) tách rời.";
	int64_t id = 0;
	if (!refusal && submission_seal_add_signed(d, actor, assessment_id, school, sealed, der.data, der.len, &id) != DB_OK)
		refusal = arena_strdup(a, db_errmsg(d));
	buf_free(&der);
	return refusal;
}

int sign_trust_verify_submission(const char *db_target, const char *secret_file, const char *id)
{
	int64_t assessment_id;
	if (!cmd_parse_id(id, &assessment_id)) { fprintf(stderr, "chiso verify: mã hồ sơ không hợp lệ: %s\n", id); return EXIT_BADINPUT; }
	unsigned char secret[SECRET_BYTES];
	if (!cmd_server_secret(secret_file, db_target, secret)) return EXIT_FAIL;
	db *d = cmd_open_db(db_target);
	if (!d) return EXIT_FAIL;
	arena *a = arena_new();
	buf diff;
	buf_init(&diff);
	seal_info si;
	int rc = sign_seal_check(d, secret, assessment_id, a, &si, &diff);
	sodium_memzero(secret, sizeof secret);
	if (rc != DB_OK) fprintf(stderr, "chiso verify: %s\n", db_errmsg(d));
	else {
		printf("Hồ sơ %lld: %s\n", (long long)assessment_id, sign_seal_label(si.state));
		if (si.sealed_at) printf("  Niêm phong lúc: %s\n", si.sealed_at);
		if (si.state != SEAL_NONE) printf("  Khóa niêm phong: %s\n", sign_seal_key_label(&si, a));
		if (diff.len) fputs(diff.data, stdout);
	}
	buf_free(&diff);
	arena_free(a);
	db_close(d);
	return rc != DB_OK ? EXIT_FAIL : si.state == SEAL_INTACT ? EXIT_OK : EXIT_FAIL;
}
