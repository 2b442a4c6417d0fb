/* pdfsig.h — verifying the digital signatures of a PDF (issue 17).
 *
 * A PDF signature is a detached CMS (PKCS#7) over the bytes named by its
 * /ByteRange [a b c d]: [a, a+b) and [c, c+d), the gap between them being
 * exactly the hex string of /Contents that holds the CMS. The finder here
 * is deliberately tiny and bounded (pdfsig_find): it looks for /ByteRange
 * arrays, never interprets the rest of the PDF, and accepts a signature
 * only when its gap is a well-formed <hex> string; everything
 * cryptographic (CMS, X.509 chains, CRLs, signing time) is OpenSSL's
 * libcrypto. It is a fuzz target (fuzz/fuzz_pdfsig.c).
 *
 * A verification gives each signature a status the user reads in
 * Vietnamese (pdfsig_status_label), the signer's name and organisation
 * from the certificate and the signing time from the CMS's signed
 * attributes. */
#ifndef CHISO_PDFSIG_H
#define CHISO_PDFSIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many signatures are looked at in one file. */
#define PDFSIG_MAX 16

typedef enum pdfsig_status {
	PDFSIG_VALID = 0,        /* CMS valid, chain trusted at signing time, covers the file */
	PDFSIG_VALID_PARTIAL,    /* valid, but the file was extended after this signature */
	PDFSIG_MODIFIED,         /* the digest does not match: bytes changed after signing */
	PDFSIG_UNTRUSTED,        /* no chain to an installed CA */
	PDFSIG_EXPIRED,          /* certificate not valid at signing time */
	PDFSIG_REVOKED,          /* revoked by a CRL that was given */
	PDFSIG_BROKEN,           /* the CMS cannot be read or has no signer */
	PDFSIG_BAD_RANGE,        /* /ByteRange does not frame its /Contents */
	PDFSIG_BAD_TIMESTAMP,    /* signature valid, but its RFC 3161 timestamp is not */
} pdfsig_status;

typedef struct pdfsig_range {
	uint64_t off[4];         /* a b c d */
} pdfsig_range;

typedef struct pdfsig_result {
	pdfsig_status status;
	bool covers_file;        /* the ranges end at the end of the file */
	bool cms_valid;          /* the signature over the ranges checks */
	char signer[256];        /* certificate's CN, UTF-8 */
	char organisation[256];  /* certificate's O */
	char signed_at[32];      /* signingTime, "2026-12-07T11:05:26Z", or "" */
	char detail[256];        /* OpenSSL's reason, English, for logs and the CLI */
	/* PAdES B-T: the unsigned attribute signature-time-stamp, if any. Its
	 * token must be signed by a TSA whose chain (purpose timeStamping)
	 * reaches an installed CA at the token's time, over the SHA-2 imprint
	 * of this signature's value. A valid timestamp is the time the
	 * signer's certificate is checked at (instead of signingTime). */
	bool has_timestamp;
	pdfsig_status ts_status; /* VALID, MODIFIED (imprint or token signature), BROKEN, UNTRUSTED, EXPIRED, REVOKED */
	char timestamp_at[32];   /* the token's genTime, "2026-12-07T11:05:26Z" */
	char tsa[256];           /* the TSA certificate's CN (else O) */
	char ts_detail[128];     /* why it is not valid, English */
} pdfsig_result;

/* The trust store: CA certificates (PEM, one or more each) and CRLs. */
typedef struct pdfsig_trust pdfsig_trust;
pdfsig_trust *pdfsig_trust_new(void);
void pdfsig_trust_free(pdfsig_trust *t);
/* Adds every certificate (and CRL) in a PEM text; false if none was read. */
bool pdfsig_trust_add_pem(pdfsig_trust *t, const char *pem, size_t n);
bool pdfsig_trust_add_crl_pem(pdfsig_trust *t, const char *pem, size_t n);

/* Finds the signatures of a PDF: their ranges, at most max. Returns how
 * many; the file is not otherwise interpreted. */
size_t pdfsig_find(const unsigned char *pdf, size_t n, pdfsig_range *out, size_t max);

/* Verifies every signature of a PDF against trust (NULL: nothing trusted).
 * Returns how many signatures were found (0: unsigned). */
size_t pdfsig_verify(const unsigned char *pdf, size_t n, const pdfsig_trust *trust,
                     pdfsig_result *out, size_t max);

/* Verifies a detached CMS signature (DER) over data, e.g. a submission's
 * seal: the same checks as a PDF's signature (digest, chain at the signing
 * time, CRLs), with the signer, organisation and time in res. */
void pdfsig_verify_detached(const unsigned char *data, size_t n, const unsigned char *der, size_t dern,
                            const pdfsig_trust *trust, pdfsig_result *res);
/* The length of the revision before the first signature (issue 17, item
 * 2): the file up to the "%%EOF" line that precedes the earliest signed
 * gap — for a file signed as an incremental update, the unsigned original
 * byte for byte, whose SHA-256 matches the generated document's in the
 * register. 0 when there is no signature or no such line. */
size_t pdfsig_unsigned_length(const unsigned char *pdf, size_t n);

/* The timestamp for people: "2026-12-07T11:05:26Z (TSA Name)" followed,
 * when it is not valid, by " — " and why, in Vietnamese; "" without one. */
void pdfsig_timestamp_text(const pdfsig_result *r, char *out, size_t cap);

/* The status for people, in Vietnamese ("Đã ký số — hợp lệ"). */
const char *pdfsig_status_label(pdfsig_status s);
/* A stable code for the CLI and the API ("valid", "modified", …). */
const char *pdfsig_status_code(pdfsig_status s);
/* The status of a code; false for an unknown code. */
bool pdfsig_status_from_code(const char *code, pdfsig_status *out);
/* The overall status of a file from its results: the worst of its
 * signatures (n > 0). */
pdfsig_status pdfsig_overall(const pdfsig_result *r, size_t n);

/* One certificate or CRL of a file an administrator uploads (PEM, or one
 * DER certificate as .cer files often are): its subject (the CRL's
 * issuer) on one line and itself as PEM (malloc'd, pdfsig_pem_items_free). */
typedef struct pdfsig_pem_item {
	bool crl;
	char subject[512];
	char *pem;
} pdfsig_pem_item;
size_t pdfsig_pem_split(const unsigned char *data, size_t n, pdfsig_pem_item *out, size_t max);
void pdfsig_pem_items_free(pdfsig_pem_item *items, size_t n);
#endif
