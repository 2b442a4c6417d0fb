/* backup.h — consistent online backup and restore of one installation:
 * its database and its evidence files (the blob directory).
 *
 * A backup is a directory:
 *   chiso.db    SQLite: a snapshot taken with SQLite's online backup API
 *               (one read transaction, so writers keep going and the copy is
 *               one consistent state), switched to a self-contained journal
 *   chiso.sql   PostgreSQL: `pg_dump` (a single snapshot), restored by `psql`
 *   files/      the blobs, file by file, each checked against its SHA-256
 *               name on the way and fsynced
 *   MANIFEST    what was saved: backend, time, schema version, audit rows
 *               and the audit chain's head hash, number and size of files
 * It is built under a temporary name and renamed into place at the end, so
 * an interrupted backup never looks complete.
 *
 * The database is copied before the files: blobs are written (and fsynced)
 * before any row refers to them and never change, so every file the
 * snapshot refers to is already there when the files are copied.
 *
 * Restore refuses a target database that already holds data unless forced;
 * blobs are added (never overwritten: same name, same content). */
#ifndef CHISO_BACKUP_H
#define CHISO_BACKUP_H
#include <stdbool.h>
#include <stdint.h>
#include "buf.h"

typedef struct backup_report {
	const char *backend;       /* "sqlite" / "postgresql" (static) */
	int schema_version;
	int64_t audit_rows;
	char audit_head[65];
	int64_t files, bytes;      /* blobs copied */
	int64_t files_skipped;     /* restore: already present */
	int64_t files_bad;         /* content did not match its name: not copied */
} backup_report;

/* The blob directory of a database: `blobs` if given, else PATH-files next
 * to a SQLite file, else ./chiso-files for PostgreSQL (as `chiso serve`). */
void backup_blob_dir(const char *db_target, const char *blobs, buf *out);

/* Backs up db_target and blob_dir into the new directory dest (which must
 * not exist, or be empty). Returns 0 on success; otherwise 1 with the
 * reason in err (Vietnamese). Files that fail their checksum are counted
 * in r->files_bad and make the result 1, the rest being kept. */
int backup_create(const char *db_target, const char *blob_dir, const char *dest,
                  backup_report *r, buf *err);

/* Restores the backup directory src into db_target and blob_dir. Refuses
 * (1, message) when the target database already has a schema, unless
 * force. The restored database is migrated to this version and its audit
 * chain verified (r->audit_rows, r->audit_head). */
int backup_restore(const char *src, const char *db_target, const char *blob_dir, bool force,
                   backup_report *r, buf *err);

/* Copies the blobs of directory `from` (DIR/ab/<sha256>) into `to`, each
 * through a temporary file, hash-checked, fsynced and renamed. Existing
 * blobs of the same size are kept. */
int backup_copy_blobs(const char *from, const char *to, backup_report *r, buf *err);
#endif
