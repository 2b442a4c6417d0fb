/* q_sign.h — the signing tables (issue 17): the trust store the
 * administrator installs (CA certificates and CRLs, PEM), each office's
 * signing key (a PKCS#12 file, only ever stored sealed with the server
 * secret: sign.h sign_seal) and the sealed manifest of each submission. */
#ifndef CHISO_Q_SIGN_H
#define CHISO_Q_SIGN_H
#include "arena.h"
#include "db.h"
#include <stddef.h>
#include <stdint.h>

extern const char sign_migration_sql[];

typedef struct trust_cert {
	int64_t id;
	const char *kind;        /* "ca" or "crl" */
	const char *subject;     /* the certificate's subject or the CRL's issuer, one line */
	const char *created_at;
	const char *pem;
} trust_cert;

int trust_cert_add(db *d, int64_t actor, const char *kind, const char *subject, const char *pem, int64_t *id);
int trust_cert_remove(db *d, int64_t actor, int64_t id);
int trust_cert_list(db *d, arena *a, trust_cert **out, size_t *n);

/* The office's key, sealed; put replaces the previous one. */
int office_key_put(db *d, int64_t actor, int64_t unit_id, const char *subject, const void *sealed, size_t n);
/* DB_ENOTFOUND when the office has none. */
int office_key_get(db *d, int64_t unit_id, arena *a, char **subject, void **sealed, size_t *n);

extern const char seal_signer_migration_sql[];

/* A submission's seal: the manifest (JSON text) and its signature — the
 * server key's Ed25519 signature when signer_unit_id is 0, else a detached
 * CMS (DER) by the certificate of that office. No transaction of its own:
 * the submission's (assess_target.seal). */
int submission_seal_put(db *d, int64_t assessment_id, int64_t signer_unit_id, const char *manifest, const void *sig,
                        size_t n, int64_t *id);
/* The principal's seal (issue 17, item 4): the manifest as sealed at the
 * submission, signed outside by the school's head (detached CMS, DER),
 * added as the assessment's latest seal with the school as its signer, in
 * a write transaction of its own, audited ("seal.principal"). */
int submission_seal_add_signed(db *d, int64_t actor, int64_t assessment_id, int64_t school, const char *manifest,
                               const void *cms, size_t n, int64_t *id);
/* The latest seal of an assessment; DB_ENOTFOUND when there is none. */
int submission_seal_get(db *d, int64_t assessment_id, arena *a, int64_t *id, char **manifest, void **sig, size_t *n,
                        char **created_at, int64_t *signer_unit_id);

/* The trust store's generation: changes whenever a CA or CRL is added or removed. */
int trust_generation(db *d, arena *a, char **out);

/* What the verifier said of one PDF under one generation of the trust store. */
typedef struct signature_check {
	int64_t nsignatures;     /* 0: unsigned */
	const char *status;      /* pdfsig_status_code of the file's overall status */
	const char *signer, *organisation, *signed_at;   /* of its last signature; may be NULL */
	const char *timestamped_at, *tsa;                /* its RFC 3161 timestamp (PAdES B-T); may be NULL */
} signature_check;
/* Migration "the timestamps of signed PDFs": timestamped_at, tsa. */
extern const char signature_timestamp_migration_sql[];
/* DB_ENOTFOUND when not checked under this generation. */
int signature_check_get(db *d, const char *sha256, const char *generation, arena *a, signature_check *out);
int signature_check_put(db *d, const char *sha256, const char *generation, const signature_check *c);
#endif
