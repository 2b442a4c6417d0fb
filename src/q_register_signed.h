/* q_register_signed.h — the signed original of a registered document
 * (issue 17, item 2; migration "signed originals in the register").
 *
 * A document Chiso generated and registered (document_register) is
 * signed outside (a USB token, signing software) and uploaded back: when
 * its signatures verify and the revision before the first signature is
 * byte for byte the generated file (same SHA-256 as the newest generated
 * file of the entry), the signed file — kept in the blob store by its own
 * SHA-256 — becomes the document of record: one row per register entry,
 * replaced by a later upload. */
#ifndef CHISO_Q_REGISTER_SIGNED_H
#define CHISO_Q_REGISTER_SIGNED_H
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char register_signed_migration_sql[];

typedef struct register_signed {
	int64_t register_id;
	const char *sha256;        /* of the signed file (blob name) */
	int64_t size;
	const char *signer;        /* CN of the last signature's certificate, or NULL */
	const char *organisation;  /* its O, or NULL */
	const char *signed_at;     /* signingTime "2026-12-07T11:05:26Z", or NULL */
	int64_t uploaded_by;
	const char *uploaded_at;
	const char *origin_sha256; /* the generated file it was matched to (its unsigned
	                            * revision); NULL for uploads before migration 29 */
} register_signed;

/* Where a register entry comes from: its issuer, the object the document
 * is about and the SHA-256 of its newest generated file (NULL when none
 * was kept). */
typedef struct register_origin {
	int64_t issuer_unit_id;
	const char *object_type;   /* "assessment" | "round" */
	int64_t object_id;
	const char *sha256;
} register_origin;

/* DB_ENOTFOUND when there is no entry. */
int register_entry_origin(db *d, int64_t register_id, arena *a, register_origin *out);
/* Records (or replaces) the signed original of an entry. In: every field
 * but uploaded_at. Audited (register.signed). */
int register_signed_put(db *d, int64_t actor, const register_signed *s);
/* DB_ENOTFOUND when the entry has no signed original. */
int register_signed_get(db *d, int64_t register_id, arena *a, register_signed *out);
/* The signed originals of the documents about one object (the entries of
 * any issuer whose object it is): the generated-documents list (Văn bản)
 * serves the signed file for the generated file it was matched to. */
int register_signed_about(db *d, const char *object_type, int64_t object_id, arena *a, register_signed **out,
                          size_t *n);

extern const char register_signed_origin_migration_sql[];
#endif
