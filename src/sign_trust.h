/* sign_trust.h — what the signing modules need from the store (issue 17):
 * the trust store the administrator installed, loaded for pdfsig.h, and a
 * submission's seal: at submit, a manifest of the school's answers and
 * every evidence file's SHA-256, signed with a server key (Ed25519, derived
 * from the server secret, secret.h), so that the office can later check
 * that nothing it received has changed (`chiso verify --submission ID`). */
#ifndef CHISO_SIGN_TRUST_H
#define CHISO_SIGN_TRUST_H
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "pdfsig.h"
#include "secret.h"
#include "sign.h"
#include <stdbool.h>
#include <stdint.h>

/* Adds every installed CA and CRL to t. */
int sign_trust_load(db *d, pdfsig_trust *t);
/* The same for the CLI: opens target; false with the reason on stderr. */
bool sign_trust_load_db(const char *target, pdfsig_trust *t);

/* The manifest of an assessment as it is now (canonical JSON, the caller
 * frees): the self-assessment's answers and the evidence files, each by
 * SHA-256. */
int sign_manifest(db *d, int64_t assessment_id, char **out);
/* The office's signing key (office_keys, sealed with the server secret):
 * NULL when it has none (msg "") or when it does not open (msg says why);
 * the caller frees with sign_key_free. */
sign_key *sign_office_key(db *d, const unsigned char secret[SECRET_BYTES], int64_t office, char msg[SIGN_MSG_MAX]);

/* Seals the assessment now: its manifest signed with the certificate of
 * the office that receives it (its round's office) when that office has a
 * key stored, else with the server key. No transaction of its own: called
 * inside the submission's (assess_target.seal). */
int sign_seal_submission(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id);
/* The same as an assess_target.seal hook: ctx is the server secret. */
int sign_seal_hook(db *d, const void *secret, int64_t assessment_id);

typedef enum seal_state {
	SEAL_INTACT,        /* signature valid and the data unchanged */
	SEAL_CHANGED,       /* signature valid, but answers or files changed since */
	SEAL_FORGED,        /* the stored manifest does not match its signature */
	SEAL_NONE,          /* never sealed */
	SEAL_UNTRUSTED,     /* the office's CMS checks, but its certificate is not
	                     * trusted, expired or revoked (cms.status) */
} seal_state;

typedef struct seal_info {
	seal_state state;
	int64_t office;          /* the office whose certificate sealed; 0: the server's key */
	bool principal;          /* office is the school itself: its head's certificate (an uploaded seal) */
	char *sealed_at;         /* in the caller's arena; NULL when never sealed */
	pdfsig_result cms;       /* office: signer, organisation, signing time, certificate status */
} seal_info;
/* Checks the latest seal; what changed (item codes, file names) in diff. */
int sign_seal_check(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id, arena *a,
                    seal_info *out, buf *diff);
const char *sign_seal_label(seal_state s);
/* Which key sealed, for people: the server's, or the office's certificate
 * with its signer, organisation and status. "" when never sealed. */
const char *sign_seal_key_label(const seal_info *s, arena *a);

/* The principal's seal (issue 17, item 4: "the principal's when uploaded
 * signed"). The school's head downloads the manifest as sealed at the
 * submission (sign_sealed_manifest), signs it outside with their own
 * certificate (a detached CMS, .p7s, DER or PEM: the CA's signing
 * software, or `openssl cms -sign -binary`) and uploads the signature. It
 * is accepted when the data has not changed since the submission (the
 * manifest now is the sealed one) and the CMS is valid over those very
 * bytes under the installed trust store; it then becomes the latest seal,
 * with the school as signer. No key of the principal's reaches the server.
 * NULL when accepted, else the Vietnamese refusal; res has the verdict. */
const char *sign_seal_by_principal(db *d, int64_t actor, int64_t assessment_id, int64_t school,
                                   const unsigned char *p7s, size_t n, arena *a, pdfsig_result *res);
/* The manifest of the latest seal (JSON text in a); DB_ENOTFOUND when never sealed. */
int sign_sealed_manifest(db *d, int64_t assessment_id, arena *a, char **manifest);

/* `chiso verify --submission ID`. */
int sign_trust_verify_submission(const char *db_target, const char *secret_file, const char *id);
#endif
