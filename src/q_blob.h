/* q_blob.h — evidence files inside the database (migration 12), for a
 * PostgreSQL store, where several servers share one database and no
 * directory (blob_db.h streams them; blob.h decides when).
 *
 * A file is a `blob_objects` row (its SHA-256, size, type, number of chunks)
 * and its bytes in `blob_chunks` rows of at most BLOB_CHUNK bytes, numbered
 * from 0. Chunks are written first, each in its own short statement (no
 * write lock held for a 50 MB upload), the object row last: a file without
 * its object row is not there. The same content twice is the same rows. */
#ifndef CHISO_Q_BLOB_H
#define CHISO_Q_BLOB_H
#include "db.h"
#include <stddef.h>
#include <stdint.h>

#define BLOB_CHUNK ((size_t)256 * 1024)

extern const char blob_migration_sql[];

typedef struct blob_row {
	int64_t size, chunks;
} blob_row;

/* DB_OK with *out, DB_ENOTFOUND, or a DB_E* code. */
int blob_row_find(db *d, const char *sha256, blob_row *out);
/* Stores chunk seq (a repeat of the same content changes nothing). */
int blob_chunk_put(db *d, const char *sha256, int64_t seq, const void *p, size_t n);
/* The object row that makes the chunks a file (after all of them). */
int blob_row_put(db *d, const char *sha256, int64_t size, int64_t chunks, const char *mime,
                 const char *ext);
/* Hands chunk seq's bytes to sink (valid during the call only); DB_ENOTFOUND
 * when the chunk is missing; sink's non-zero result is returned. */
int blob_chunk_get(db *d, const char *sha256, int64_t seq,
                   int (*sink)(void *ctx, const void *p, size_t n), void *ctx);
/* Deletes the object row, then its chunks. */
int blob_row_delete(db *d, const char *sha256);
/* Up to `max` SHA-256 names after `after` ("" for the first), in order,
 * into out[max][65]; *n how many. */
int blob_row_list(db *d, const char *after, size_t max, char (*out)[65], size_t *n);
#endif
