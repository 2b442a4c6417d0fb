/* sign.h — signing Chiso's PDFs with an office's key (issue 17, item 3).
 *
 * A signature is an incremental update appended to the PDF: a signature
 * field (an invisible widget) in the catalog's /AcroForm, its /Sig
 * dictionary with /ByteRange and /Contents, a new xref section and a
 * trailer whose /Prev is the old one, so the unsigned revision stays
 * byte-for-byte the prefix of the signed file. /Contents holds a detached
 * CMS SignedData over both byte ranges (PAdES B-B: ETSI.CAdES.detached,
 * SHA-256, signingTime, ESS signing-certificate-v2; B-T with a TSA's
 * RFC 3161 timestamp, sign_tsa.h), made by OpenSSL's CMS;
 * pdfsig.c and poppler's pdfsig verify it. In Chiso's own PDFs the first
 * signature is visible in the signature block (the renderer's mark
 * "chiso.sign", the look from sign_look.c).
 *
 * Only PDFs with a classic xref table and an uncompressed catalog are
 * signed (what cairo writes, which is every PDF Chiso makes); a file
 * signed here may be signed again (a second signature extends /Fields).
 *
 * The key: a PKCS#12 file (key, certificate, chain), kept in the database
 * only encrypted with a key derived from the server secret (sign_seal), or
 * a key on a PKCS#11 token (sign_p11.h). Remote signing is the next step
 * (docs/signing.md). */
#ifndef CHISO_SIGN_H
#define CHISO_SIGN_H
#include "buf.h"
#include "secret.h"
#include <stdbool.h>
#include <stddef.h>

#define SIGN_MSG_MAX 256

typedef struct sign_key sign_key;

/* Reads a PKCS#12 file's key, certificate and chain; NULL with a
 * Vietnamese message when the password is wrong or the file is not one. */
sign_key *sign_key_from_p12(const unsigned char *p12, size_t n, const char *password, char msg[SIGN_MSG_MAX]);
void sign_key_free(sign_key *k);
/* PAdES B-T: after each signature, ask url (http:// or https://) for an
 * RFC 3161 timestamp over the signature value (sign_tsa.h); a TSA that
 * fails makes the signing fail, nothing half-written. NULL or "": B-B. */
void sign_key_set_tsa(sign_key *k, const char *url);
/* Adds the CA certificates of a PEM text to the chain the CMS carries
 * (a token's key: its intermediates; the signer's own is skipped). false
 * with a message when the text holds no certificate. */
bool sign_key_add_chain(sign_key *k, const char *pem, size_t n, char msg[SIGN_MSG_MAX]);
/* The certificate's CN and O, UTF-8 ("" when absent). */
void sign_key_subject(const sign_key *k, char *cn, size_t cncap, char *org, size_t orgcap);

/* Appends a signature to pdf and writes the signed file to out. false with
 * a Vietnamese message when the PDF cannot be signed. */
bool sign_pdf(const unsigned char *pdf, size_t n, const sign_key *k, buf *out, char msg[SIGN_MSG_MAX]);

/* A detached CMS signature (DER) over data, for a submission's manifest. */
bool sign_detached(const sign_key *k, const unsigned char *data, size_t n, buf *der, char msg[SIGN_MSG_MAX]);

/* Encrypts a PKCS#12 file (and its password) for the database with a key
 * derived from the server secret (libsodium secretbox); sign_unseal opens
 * it. The sealed form is nonce || box. */
void sign_seal(const unsigned char secret[SECRET_BYTES], const unsigned char *plain, size_t n, buf *out);
bool sign_unseal(const unsigned char secret[SECRET_BYTES], const unsigned char *sealed, size_t n, buf *out);
#endif
