/* blob_db.h — evidence files kept in a PostgreSQL database (issue 14,
 * item 4), so that every server sharing the database sees every file.
 *
 * The database is the store (q_blob.h: 256 KiB chunks and an object row);
 * each server's blob directory (blob.h's layout, DIR/ab/<sha256>) is its
 * cache: a file is written there and into the database on upload, and
 * fetched from the database into the directory when a server lacks it. A
 * file streams chunk by chunk both ways, never whole in memory, and its
 * SHA-256 is checked against its name on the way in and on every fetch.
 * A SQLite store keeps the directory alone (blob_db_wanted is false).
 * Each call opens its own connection (any thread may call). */
#ifndef CHISO_BLOB_DB_H
#define CHISO_BLOB_DB_H
#include "arena.h"
#include "blob.h"
#include <stdbool.h>
#include <stdint.h>

/* Whether files of this database live in it: PostgreSQL targets. */
bool blob_db_wanted(const char *db_target);

/* Streams the file at path into the database as sha256 (checked; nothing
 * kept on a mismatch). Already there: BLOB_OK at once. */
int blob_db_put_file(const char *db_target, const char *path, const char *sha256,
                     const char *mime, const char *ext, char msg[BLOB_MSG_MAX]);
/* The same, *existed set when the database already had it. */
int blob_db_put_file_ex(const char *db_target, const char *path, const char *sha256,
                        const char *mime, const char *ext, bool *existed, char msg[BLOB_MSG_MAX]);
/* Fetches sha256 from the database into dir/ab/<sha256> (through a
 * temporary file, checked, fsynced, renamed). BLOB_ENOTFOUND when the
 * database has no such file; BLOB_EIO when its content does not match. */
int blob_db_fetch(const char *db_target, const char *dir, const char *sha256,
                  char msg[BLOB_MSG_MAX]);
int blob_db_remove(const char *db_target, const char *sha256);

/* The file dir/ab/<sha256> ready to be read: when the store is PostgreSQL
 * and the directory lacks it, fetched. BLOB_OK when the file is there. */
int blob_local_ready(const char *dir, const char *db_target, const char *sha256,
                     char msg[BLOB_MSG_MAX]);

/* The path of blob sha256 in dir, ready to be read (blob_local_ready:
 * fetched from the database when db_target is PostgreSQL and the
 * directory lacks it), in arena a; NULL when it is nowhere. A page sends
 * it with http.c's sendfile. */
const char *blob_local_file(const char *dir, const char *db_target, const char *sha256, arena *a);

typedef struct blob_migrate_report {
	int64_t files, bytes, skipped, bad;
} blob_migrate_report;
/* `chiso blob migrate`: every file of the directory into the database
 * (into_db), or every file of the database into the directory; files the
 * other side has are skipped, files whose content does not match their name
 * are counted bad and not copied. */
int blob_db_migrate(const char *db_target, const char *dir, bool into_db, blob_migrate_report *r,
                    char msg[BLOB_MSG_MAX]);
#endif
