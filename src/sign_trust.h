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
/* Seals the assessment now: its manifest signed with the server key. */
int sign_seal_submission(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id);

typedef enum seal_state {
	SEAL_INTACT,        /* signature valid and the data unchanged */
	SEAL_CHANGED,       /* signature valid, but answers or files changed since */
	SEAL_FORGED,        /* the stored manifest does not match its signature */
	SEAL_NONE,          /* never sealed */
} seal_state;
/* Checks the latest seal; what changed (item codes, file names) in diff. */
int sign_seal_check(db *d, const unsigned char secret[SECRET_BYTES], int64_t assessment_id,
                    seal_state *state, char **sealed_at, arena *a, buf *diff);
const char *sign_seal_label(seal_state s);

/* `chiso verify --submission ID`. */
int sign_trust_verify_submission(const char *db_target, const char *secret_file, const char *id);
#endif
