/* q_blob.c — evidence files inside the database (q_blob.h). SQL for
 * `blob_objects` and `blob_chunks` lives here. */
#include "q_blob.h"
#include <string.h>

const char blob_migration_sql[] =
	"CREATE TABLE blob_objects ("
	" sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
	" size BIGINT NOT NULL CHECK (size > 0),"
	" chunks BIGINT NOT NULL CHECK (chunks > 0),"
	" mime TEXT NOT NULL,"
	" ext TEXT NOT NULL,"
	" created_at TEXT NOT NULL);\n"
	"CREATE TABLE blob_chunks ("
	" sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	" seq BIGINT NOT NULL CHECK (seq >= 0),"
	" data {BLOB} NOT NULL,"
	" PRIMARY KEY (sha256, seq));\n";

int blob_row_find(db *d, const char *sha256, blob_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT size, chunks FROM blob_objects WHERE sha256 = ?");
	if (!s) return db_errcode(d);
	int rc = db_bindf(s, "t", sha256);
	if (rc == DB_OK) rc = db_step(s);
	if (rc == DB_ROW) {
		out->size = db_col_int64(s, 0);
		out->chunks = db_col_int64(s, 1);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

int blob_chunk_put(db *d, const char *sha256, int64_t seq, const void *p, size_t n)
{
	return db_execf(d, "INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)"
	                   " ON CONFLICT (sha256, seq) DO NOTHING", "tib", sha256, seq, p, n);
}

int blob_row_put(db *d, const char *sha256, int64_t size, int64_t chunks, const char *mime,
                 const char *ext)
{
	char now[21];
	db_now(now);
	return db_execf(d, "INSERT INTO blob_objects (sha256, size, chunks, mime, ext, created_at)"
	                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
	                "tiittt", sha256, size, chunks, mime, ext, now);
}

int blob_chunk_get(db *d, const char *sha256, int64_t seq,
                   int (*sink)(void *ctx, const void *p, size_t n), void *ctx)
{
	db_stmt *s = db_prepare(d, "SELECT data FROM blob_chunks WHERE sha256 = ? AND seq = ?");
	if (!s) return db_errcode(d);
	int rc = db_bindf(s, "ti", sha256, seq);
	if (rc == DB_OK) rc = db_step(s);
	if (rc == DB_ROW) {
		size_t n = 0;
		const void *p = db_col_blob(s, 0, &n);
		rc = p && n ? sink(ctx, p, n) : DB_ENOTFOUND;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

int blob_row_delete(db *d, const char *sha256)
{
	int rc = db_execf(d, "DELETE FROM blob_objects WHERE sha256 = ?", "t", sha256);
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM blob_chunks WHERE sha256 = ?", "t", sha256);
	return rc;
}

int blob_row_list(db *d, const char *after, size_t max, char (*out)[65], size_t *n)
{
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT sha256 FROM blob_objects WHERE sha256 > ? ORDER BY sha256 LIMIT ?");
	if (!s) return db_errcode(d);
	int rc = db_bindf(s, "ti", after, (int64_t)max);
	while (rc == DB_OK && (rc = db_step(s)) == DB_ROW) {
		const char *t = db_col_text(s, 0);
		if (t && strlen(t) == 64) memcpy(out[(*n)++], t, 65);
		rc = DB_OK;
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
