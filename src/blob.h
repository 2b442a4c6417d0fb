/* blob.h — the content-addressed store for evidence files.
 *
 * A file is named by the hex SHA-256 of its bytes (crypto_hash_sha256) and
 * lives at DIR/ab/abcdef… (two-hex fan-out so no directory grows huge). It
 * is written to a temporary file in DIR (".tmp-…", never a valid blob
 * name, so never listed as evidence), fsynced, renamed to its final name
 * and the directory fsynced: a crash leaves either nothing or the whole
 * file under its real name. blob_sweep removes temp files a crash left.
 *
 * Only known document types are accepted, by their magic bytes, never by
 * the name or the client's claim: PDF; PNG, JPEG, GIF, WEBP images; Office
 * Open XML (DOCX, XLSX, PPTX) and OpenDocument (ODT, ODS, ODP), recognised
 * by their ZIP directory; legacy Word/Excel/PowerPoint (DOC, XLS, PPT),
 * recognised by their OLE directory. Anything else is refused with a
 * Vietnamese message, as is a file over the size limit.
 *
 * A blob_store is shared by threads (it holds no per-request state); a
 * blob_writer belongs to one request. An S3-compatible backend can later
 * sit behind the same functions. */
#ifndef CHISO_BLOB_H
#define CHISO_BLOB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

enum {
	BLOB_OK = 0,
	BLOB_EIO = -1,        /* file system error (message says which call) */
	BLOB_ETYPE = -2,      /* not an accepted document type */
	BLOB_ETOOBIG = -3,    /* over the store's size limit */
	BLOB_EEMPTY = -4,     /* zero bytes */
	BLOB_ENOTFOUND = -5,
	BLOB_EINVAL = -6,     /* not a SHA-256 name, bad argument */
};

#define BLOB_MSG_MAX 256
#define BLOB_DEFAULT_MAX_SIZE ((int64_t)50 * 1024 * 1024)

typedef struct blob_store blob_store;
typedef struct blob_writer blob_writer;

typedef struct blob_info {
	char sha256[65];      /* hex */
	int64_t size;
	const char *mime;     /* static: "application/pdf" */
	const char *ext;      /* static: "pdf" */
	bool existed;         /* the same content was already stored */
} blob_info;

/* Opens (creating if needed, mode 0750) the store in `dir`. max_size <= 0
 * means BLOB_DEFAULT_MAX_SIZE (50 MiB). */
int blob_store_open(const char *dir, int64_t max_size, blob_store **out, char msg[BLOB_MSG_MAX]);
void blob_store_close(blob_store *bs);
const char *blob_store_dir(const blob_store *bs);
/* A PostgreSQL db_target: files go into the database as well and are
 * fetched from it when the directory lacks them (blob_db.h); anything else:
 * the directory alone. */
void blob_store_use_db(blob_store *bs, const char *db_target);
int64_t blob_store_max_size(const blob_store *bs);

/* Streaming write (uploads arrive in chunks): begin, write…, then commit
 * or abort. Both commit and abort free the writer. A write past the size
 * limit fails at once with BLOB_ETOOBIG (stop reading the upload). */
int blob_begin(blob_store *bs, blob_writer **w, char msg[BLOB_MSG_MAX]);
int blob_write(blob_writer *w, const void *p, size_t n, char msg[BLOB_MSG_MAX]);
int blob_commit(blob_writer *w, blob_info *out, char msg[BLOB_MSG_MAX]);
void blob_abort(blob_writer *w);

/* Whole-buffer and whole-file shorthands. */
int blob_put(blob_store *bs, const void *p, size_t n, blob_info *out, char msg[BLOB_MSG_MAX]);
int blob_put_file(blob_store *bs, const char *path, blob_info *out, char msg[BLOB_MSG_MAX]);
/* A file Chiso made itself (a batch of documents as a ZIP): stored as the
 * type given (mime, ext: static strings), without sniffing, since a plain
 * ZIP is not an accepted upload. */
int blob_put_file_as(blob_store *bs, const char *path, const char *mime, const char *ext,
                     blob_info *out, char msg[BLOB_MSG_MAX]);

/* Reading. blob_open_fd gives a read-only descriptor (caller closes) and
 * the size, for serving with sendfile; blob_read loads a blob into a buf
 * and checks its hash on the way. */
bool blob_sha_valid(const char *sha256);
/* Where blob sha256 lives in directory dir, DIR/ab/<sha256>, into b (reset
 * first): the one place the layout is spelled. */
void blob_path_in(const char *dir, const char *sha256, buf *b);
bool blob_exists(blob_store *bs, const char *sha256);
int blob_open_fd(blob_store *bs, const char *sha256, int *fd, int64_t *size);
int blob_read(blob_store *bs, const char *sha256, buf *out, char msg[BLOB_MSG_MAX]);
/* Removes a blob (garbage collection of unreferenced content). */
int blob_remove(blob_store *bs, const char *sha256);

/* Deletes temporary files older than max_age_seconds (left by a crash or
 * an abandoned upload). *removed may be NULL. */
int blob_sweep(blob_store *bs, int max_age_seconds, int *removed);

/* Identifies a whole file's type from its bytes: fd open for reading, its
 * size, and the first bytes already read (head, at least min(size, 4096)).
 * Returns BLOB_OK with *mime / *ext static strings, or BLOB_ETYPE with a
 * Vietnamese message. Pure apart from pread on fd. */
int blob_sniff(int fd, int64_t size, const unsigned char *head, size_t nhead,
               const char **mime, const char **ext, char msg[BLOB_MSG_MAX]);
#endif
