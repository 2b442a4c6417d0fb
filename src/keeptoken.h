/* keeptoken.h — the kept-file token ("giu"): how a file already stored
 * during a refused evidence form rides back with the next submission
 * without being uploaded again. Pure: no I/O, no clock (the caller says
 * what time it is), so it is tested directly (test/unit/test_keeptoken.c).
 *
 * The token is the server's word that this account, on this assessment,
 * uploaded the file with this hash under this name, less than an hour ago:
 *   <sha256 hex>.<expires, Unix seconds>.<MAC hex>.<name>
 * The MAC is crypto_auth (HMAC-SHA-512-256) under a key derived from the
 * server secret (secret.h), which no user ever sees. */
#ifndef CHISO_KEEPTOKEN_H
#define CHISO_KEEPTOKEN_H
#include "buf.h"
#include "secret.h"
#include <stdint.h>

enum { KEEPTOKEN_TTL = 3600 };      /* seconds a kept file stays usable */

/* Who may use a token, and where. */
typedef struct keeptoken_scope {
	int64_t account_id, assessment_id;
} keeptoken_scope;

typedef struct keeptoken {
	char sha256[65];
	const char *name;               /* points into the checked token */
	int64_t expires;
} keeptoken;

typedef enum keeptoken_rc {
	KEEPTOKEN_OK,
	KEEPTOKEN_MALFORMED,            /* not a token at all */
	KEEPTOKEN_FORGED,               /* not ours, or not for this account and assessment */
	KEEPTOKEN_EXPIRED               /* ours, but too old */
} keeptoken_rc;

/* Appends the token for a file (sha256: 64 lowercase hex digits; name:
 * non-empty, without NUL) to out. */
void keeptoken_make(const unsigned char secret[SECRET_BYTES], const keeptoken_scope *scope, const char *sha256,
                    const char *name, int64_t expires, buf *out);
/* Checks a token in constant time against its MAC before reading anything
 * else from it; on KEEPTOKEN_OK (and KEEPTOKEN_EXPIRED) fills *out. */
keeptoken_rc keeptoken_check(const unsigned char secret[SECRET_BYTES], const keeptoken_scope *scope,
                             const char *token, int64_t now, keeptoken *out);
#endif
