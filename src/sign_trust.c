/* sign_trust.c — the trust store from the database; submission seals (sign_trust.h). */
#include "sign_trust.h"
#include "cmd.h"
#include "q_assessment.h"
#include "q_evidence.h"
#include "q_sign.h"
#include <jansson.h>
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

int sign_seal_submission(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id)
{
	char *manifest = NULL;
	int rc = sign_manifest(d, assessment_id, &manifest);
	if (rc != DB_OK) return rc;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	seal_keypair(secret, pk, sk);
	crypto_sign_detached(sig, NULL, (const unsigned char *)manifest, strlen(manifest), sk);
	sodium_memzero(sk, sizeof sk);
	int64_t id = 0;
	rc = submission_seal_put(d, assessment_id, manifest, sig, sizeof sig, &id);
	free(manifest);
	return rc;
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

int sign_seal_check(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id,
                    seal_state *state, char **sealed_at, arena *a, buf *diff)
{
	int64_t id = 0;
	char *manifest = NULL;
	void *sig = NULL;
	size_t n = 0;
	*state = SEAL_NONE;
	*sealed_at = NULL;
	int rc = submission_seal_get(d, assessment_id, a, &id, &manifest, &sig, &n, sealed_at);
	if (rc == DB_ENOTFOUND) { db_clear_error(d); return DB_OK; }
	if (rc != DB_OK) return rc;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	seal_keypair(secret, pk, sk);
	sodium_memzero(sk, sizeof sk);
	if (n != crypto_sign_BYTES || crypto_sign_verify_detached(sig, (const unsigned char *)manifest, strlen(manifest), pk) != 0) {
		*state = SEAL_FORGED;
		return DB_OK;
	}
	char *now = NULL;
	rc = sign_manifest(d, assessment_id, &now);
	if (rc != DB_OK) return rc;
	*state = strcmp(now, manifest) == 0 ? SEAL_INTACT : SEAL_CHANGED;
	if (*state == SEAL_CHANGED) diff_manifests(manifest, now, diff);
	free(now);
	return DB_OK;
}

const char *sign_seal_label(seal_state s)
{
	switch (s) {
	case SEAL_INTACT: return "Niêm phong hợp lệ — dữ liệu không thay đổi từ khi nộp";
	case SEAL_CHANGED: return "Dữ liệu đã thay đổi sau khi nộp";
	case SEAL_FORGED: return "Niêm phong không hợp lệ (bản kê đã bị sửa)";
	case SEAL_NONE: break;
	}
	return "Chưa được niêm phong";
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
	seal_state st;
	char *at = NULL;
	int rc = sign_seal_check(d, secret, assessment_id, &st, &at, a, &diff);
	sodium_memzero(secret, sizeof secret);
	if (rc != DB_OK) fprintf(stderr, "chiso verify: %s\n", db_errmsg(d));
	else {
		printf("Hồ sơ %lld: %s\n", (long long)assessment_id, sign_seal_label(st));
		if (at) printf("  Niêm phong lúc: %s\n", at);
		if (diff.len) fputs(diff.data, stdout);
	}
	buf_free(&diff);
	arena_free(a);
	db_close(d);
	return rc != DB_OK ? EXIT_FAIL : st == SEAL_INTACT ? EXIT_OK : EXIT_FAIL;
}
