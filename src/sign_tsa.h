/* sign_tsa.h — an RFC 3161 timestamp for a signature (PAdES B-T, issue 17).
 *
 * After the CMS signature is made, its signature value is sent (as a
 * SHA-256 imprint, with a nonce, asking for the TSA's certificate) to the
 * time-stamping authority's URL over HTTP(S) with libcurl: one POST of
 * application/timestamp-query, 10 s at most, a reply of 64 KiB at most. The
 * reply must be a granted TimeStampResp whose token is a SignedData over a
 * TSTInfo with our imprint and nonce, signed by the certificate it carries;
 * anything else (an HTTP error, nothing, garbage, another imprint) is
 * refused with a Vietnamese message, and the caller writes no file. The
 * TSA's certificate chain is checked by the verifier (pdfsig.c), under the
 * trust store, at the token's time.
 *
 * The URL is the operator's choice (CHISO_TSA_URL for the server,
 * --tsa-url on the command line), never a web form's: the server would
 * otherwise POST to any address a user names. */
#ifndef CHISO_SIGN_TSA_H
#define CHISO_SIGN_TSA_H
#include "buf.h"
#include "sign.h"
#include <stdbool.h>
#include <stddef.h>

/* The largest reply accepted from a TSA, and the time allowed for it. */
#define SIGN_TSA_REPLY_MAX ((size_t)64 * 1024)
#define SIGN_TSA_TIMEOUT_S 10L

/* Asks url for a timestamp token over sigval (the signer's signature
 * value) and appends the token (DER, a CMS ContentInfo) to token. false
 * with a Vietnamese message; token unchanged. */
bool sign_tsa_token(const char *url, const unsigned char *sigval, size_t n, buf *token, char msg[SIGN_MSG_MAX]);
#endif
