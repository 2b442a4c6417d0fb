/* blob_db.c — evidence files kept in a PostgreSQL database (blob_db.h). */
#include "blob_db.h"
#include "db.h"
#include "q_blob.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int say(char msg[BLOB_MSG_MAX], int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int say(char msg[BLOB_MSG_MAX], int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, BLOB_MSG_MAX, fmt, ap);
	va_end(ap);
	return code;
}

bool blob_db_wanted(const char *t)
{
	return t && (!strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11) || !strncmp(t, "pg:", 3));
}

static db *open_db(const char *target, char msg[BLOB_MSG_MAX])
{
	db *d = NULL;
	char *err = NULL;
	if (db_open(target, &d, &err) != DB_OK) {
		say(msg, BLOB_EIO, "blob: cannot open the database: %s", err ? err : "?");
		free(err);
		return NULL;
	}
	return d;
}

static void hex_of(crypto_hash_sha256_state *st, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(st, h);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

/* Streams fd's bytes as chunks of sha256; *chunks, *size set. The hash of
 * what was sent must be sha256, else the chunks are deleted. */
static int put_chunks(db *d, int fd, const char *sha, int64_t *chunks, int64_t *size,
                      char msg[BLOB_MSG_MAX])
{
	unsigned char *chunk = xmalloc(BLOB_CHUNK);
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	int rc = BLOB_OK;
	*chunks = *size = 0;
	for (;;) {
		size_t got = 0;
		while (got < BLOB_CHUNK) {
			ssize_t k = read(fd, chunk + got, BLOB_CHUNK - got);
			if (k < 0 && errno == EINTR) continue;
			if (k < 0) rc = say(msg, BLOB_EIO, "blob: read failed: %s", strerror(errno));
			if (k <= 0) break;
			got += (size_t)k;
		}
		if (rc || got == 0) break;
		crypto_hash_sha256_update(&st, chunk, got);
		if (blob_chunk_put(d, sha, *chunks, chunk, got) != DB_OK) {
			rc = say(msg, BLOB_EIO, "blob: cannot store a chunk: %s", db_errmsg(d));
			break;
		}
		(*chunks)++;
		*size += (int64_t)got;
	}
	free(chunk);
	char hex[65];
	hex_of(&st, hex);
	if (rc == BLOB_OK && (*size == 0 || strcmp(hex, sha) != 0)) {
		rc = say(msg, BLOB_EIO, "blob %s: the content does not match its name", sha);
		blob_row_delete(d, sha);
	}
	return rc;
}

int blob_db_put_file(const char *db_target, const char *path, const char *sha, const char *mime,
                     const char *ext, char msg[BLOB_MSG_MAX])
{
	bool existed;
	return blob_db_put_file_ex(db_target, path, sha, mime, ext, &existed, msg);
}

int blob_db_put_file_ex(const char *db_target, const char *path, const char *sha, const char *mime,
                        const char *ext, bool *existed, char msg[BLOB_MSG_MAX])
{
	*existed = false;
	if (!blob_sha_valid(sha)) return say(msg, BLOB_EINVAL, "blob: not a SHA-256 name");
	db *d = open_db(db_target, msg);
	if (!d) return BLOB_EIO;
	blob_row r;
	int rc = blob_row_find(d, sha, &r);
	if (rc == DB_OK) {
		*existed = true;
		db_close(d);
		return BLOB_OK;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) rc = say(msg, BLOB_EIO, "blob: cannot open %s: %s", path, strerror(errno));
	else {
		int64_t chunks, size;
		rc = put_chunks(d, fd, sha, &chunks, &size, msg);
		close(fd);
		if (rc == BLOB_OK && blob_row_put(d, sha, size, chunks, mime, ext) != DB_OK)
			rc = say(msg, BLOB_EIO, "blob: cannot store %s: %s", sha, db_errmsg(d));
	}
	db_close(d);
	return rc;
}

typedef struct fetch_sink {
	int fd;
	crypto_hash_sha256_state st;
	int64_t size;
} fetch_sink;

static int sink_write(void *ctx, const void *p, size_t n)
{
	fetch_sink *f = ctx;
	crypto_hash_sha256_update(&f->st, p, n);
	f->size += (int64_t)n;
	const char *c = p;
	while (n > 0) {
		ssize_t k = write(f->fd, c, n);
		if (k < 0 && errno == EINTR) continue;
		if (k < 0) return DB_ERROR;
		c += k;
		n -= (size_t)k;
	}
	return DB_OK;
}

/* Writes every chunk of sha (row r) to fd, checking size and hash. */
static int fetch_chunks(db *d, const char *sha, const blob_row *r, int fd, char msg[BLOB_MSG_MAX])
{
	fetch_sink f = { .fd = fd };
	crypto_hash_sha256_init(&f.st);
	for (int64_t i = 0; i < r->chunks; i++) {
		int rc = blob_chunk_get(d, sha, i, sink_write, &f);
		if (rc != DB_OK)
			return say(msg, BLOB_EIO, "blob %s: chunk %lld unreadable: %s", sha, (long long)i,
				rc == DB_ENOTFOUND ? "missing" : db_errmsg(d));
	}
	char hex[65];
	hex_of(&f.st, hex);
	if (f.size != r->size || strcmp(hex, sha) != 0)
		return say(msg, BLOB_EIO, "blob %s is damaged in the database: its content no longer "
			"matches its name", sha);
	return BLOB_OK;
}

/* dir/ab made, its path in sub; dir/.tmp-XXXXXX open in tmp, *fd. */
static int make_tmp(const char *dir, const char *sha, buf *sub, buf *tmp, int *fd,
                    char msg[BLOB_MSG_MAX])
{
	buf_printf(sub, "%s/%.2s", dir, sha);
	if (mkdir(buf_str(sub), 0750) != 0 && errno != EEXIST)
		return say(msg, BLOB_EIO, "blob: mkdir %s failed: %s", buf_str(sub), strerror(errno));
	buf_printf(tmp, "%s/.tmp-XXXXXX", dir);
	*fd = mkstemp(tmp->data);
	if (*fd < 0) return say(msg, BLOB_EIO, "blob: cannot create a temporary file in %s: %s", dir,
		strerror(errno));
	return BLOB_OK;
}

/* The checked content of fd (at tmp) becomes dir/ab/<sha>. Closes fd. */
static int publish(int fd, const char *tmp, const char *sub, const char *sha, char msg[BLOB_MSG_MAX])
{
	int rc = BLOB_OK;
	if (fchmod(fd, 0640) != 0 || fsync(fd) != 0)
		rc = say(msg, BLOB_EIO, "blob: fsync failed: %s", strerror(errno));
	close(fd);
	buf path;
	buf_init(&path);
	buf_printf(&path, "%s/%s", sub, sha);
	if (rc == BLOB_OK && rename(tmp, buf_str(&path)) != 0)
		rc = say(msg, BLOB_EIO, "blob: cannot store %s: %s", buf_str(&path), strerror(errno));
	buf_free(&path);
	return rc;
}

int blob_db_fetch(const char *db_target, const char *dir, const char *sha, char msg[BLOB_MSG_MAX])
{
	if (!blob_sha_valid(sha)) return say(msg, BLOB_EINVAL, "blob: not a SHA-256 name");
	db *d = open_db(db_target, msg);
	if (!d) return BLOB_EIO;
	blob_row r;
	int rc = blob_row_find(d, sha, &r);
	if (rc != DB_OK) {
		rc = rc == DB_ENOTFOUND ? say(msg, BLOB_ENOTFOUND, "Không tìm thấy tệp %s", sha)
			: say(msg, BLOB_EIO, "blob: %s", db_errmsg(d));
		db_close(d);
		return rc;
	}
	buf sub, tmp;
	buf_init(&sub);
	buf_init(&tmp);
	int fd = -1;
	rc = make_tmp(dir, sha, &sub, &tmp, &fd, msg);
	if (rc == BLOB_OK) rc = fetch_chunks(d, sha, &r, fd, msg);
	if (rc == BLOB_OK) rc = publish(fd, buf_str(&tmp), buf_str(&sub), sha, msg);
	else if (fd >= 0) close(fd);
	if (rc != BLOB_OK && fd >= 0) unlink(buf_str(&tmp));
	buf_free(&sub);
	buf_free(&tmp);
	db_close(d);
	return rc;
}

int blob_db_remove(const char *db_target, const char *sha)
{
	char msg[BLOB_MSG_MAX];
	db *d = open_db(db_target, msg);
	if (!d) return BLOB_EIO;
	int rc = blob_row_delete(d, sha) == DB_OK ? BLOB_OK : BLOB_EIO;
	db_close(d);
	return rc;
}

int blob_local_ready(const char *dir, const char *db_target, const char *sha, char msg[BLOB_MSG_MAX])
{
	if (!blob_sha_valid(sha)) return say(msg, BLOB_EINVAL, "blob: not a SHA-256 name");
	buf p;
	buf_init(&p);
	blob_path_in(dir, sha, &p);
	bool here = access(buf_str(&p), R_OK) == 0;
	buf_free(&p);
	if (here) return BLOB_OK;
	if (!blob_db_wanted(db_target)) return say(msg, BLOB_ENOTFOUND, "Không tìm thấy tệp %s", sha);
	return blob_db_fetch(db_target, dir, sha, msg);
}

const char *blob_local_file(const char *dir, const char *db_target, const char *sha, arena *a)
{
	char msg[BLOB_MSG_MAX];
	if (!dir || !sha || blob_local_ready(dir, db_target, sha, msg) != BLOB_OK) return NULL;
	buf p;
	buf_init(&p);
	blob_path_in(dir, sha, &p);
	const char *path = access(buf_str(&p), R_OK) == 0 ? arena_strdup(a, buf_str(&p)) : NULL;
	buf_free(&p);
	return path;
}

/* ---- chiso blob migrate ----------------------------------------------------------- */

/* The type of a file from the directory (the database keeps it): sniffed, or
 * a plain ZIP (a batch of documents) or octet-stream. */
static void type_of(const char *path, const char **mime, const char **ext)
{
	*mime = "application/octet-stream";
	*ext = "bin";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return;
	unsigned char head[4096];
	ssize_t n = pread(fd, head, sizeof head, 0);
	struct stat st;
	char msg[BLOB_MSG_MAX];
	if (n > 0 && fstat(fd, &st) == 0 &&
	    blob_sniff(fd, st.st_size, head, (size_t)n, mime, ext, msg) != BLOB_OK) {
		*mime = n >= 4 && !memcmp(head, "PK\3\4", 4) ? "application/zip" : "application/octet-stream";
		*ext = !strcmp(*mime, "application/zip") ? "zip" : "bin";
	}
	close(fd);
}

static void count_put(const char *db_target, const char *path, const char *sha,
                      blob_migrate_report *r, char msg[BLOB_MSG_MAX])
{
	struct stat st;
	if (stat(path, &st) != 0) return;
	const char *mime, *ext;
	type_of(path, &mime, &ext);
	bool existed;
	if (blob_db_put_file_ex(db_target, path, sha, mime, ext, &existed, msg) != BLOB_OK) {
		r->bad++;
		fprintf(stderr, "chiso blob migrate: %s\n", msg);
	} else if (existed) {
		r->skipped++;
	} else {
		r->files++;
		r->bytes += st.st_size;
	}
}

static int migrate_in(const char *db_target, const char *dir, blob_migrate_report *r,
                      char msg[BLOB_MSG_MAX])
{
	DIR *top = opendir(dir);
	if (!top) return say(msg, BLOB_EIO, "blob: cannot read %s: %s", dir, strerror(errno));
	struct dirent *e;
	buf sub, path;
	buf_init(&sub);
	buf_init(&path);
	while ((e = readdir(top))) {
		if (strlen(e->d_name) != 2 || e->d_name[0] == '.') continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s/%s", dir, e->d_name);
		DIR *in = opendir(buf_str(&sub));
		if (!in) continue;
		struct dirent *f;
		while ((f = readdir(in))) {
			if (!blob_sha_valid(f->d_name) || strncmp(f->d_name, e->d_name, 2) != 0) continue;
			buf_reset(&path);
			buf_printf(&path, "%s/%s", buf_str(&sub), f->d_name);
			count_put(db_target, buf_str(&path), f->d_name, r, msg);
		}
		closedir(in);
	}
	closedir(top);
	buf_free(&sub);
	buf_free(&path);
	return r->bad ? say(msg, BLOB_EIO, "%lld tệp không khớp mã băm (files do not match their hash)",
		(long long)r->bad) : BLOB_OK;
}

static int migrate_out(const char *db_target, const char *dir, blob_migrate_report *r,
                       char msg[BLOB_MSG_MAX])
{
	db *d = open_db(db_target, msg);
	if (!d) return BLOB_EIO;
	char names[256][65], after[65] = "";
	size_t n;
	int rc = BLOB_OK;
	while (rc == BLOB_OK && blob_row_list(d, after, 256, names, &n) == DB_OK && n > 0) {
		for (size_t i = 0; i < n; i++) {
			char m[BLOB_MSG_MAX];
			blob_row row;
			if (blob_local_ready(dir, NULL, names[i], m) == BLOB_OK) r->skipped++;
			else if (blob_db_fetch(db_target, dir, names[i], m) == BLOB_OK &&
			         blob_row_find(d, names[i], &row) == DB_OK) {
				r->files++;
				r->bytes += row.size;
			} else {
				r->bad++;
				fprintf(stderr, "chiso blob migrate: %s\n", m);
			}
		}
		memcpy(after, names[n - 1], 65);
	}
	db_close(d);
	return r->bad ? say(msg, BLOB_EIO, "%lld tệp không khớp mã băm (files do not match their hash)",
		(long long)r->bad) : BLOB_OK;
}

int blob_db_migrate(const char *db_target, const char *dir, bool into_db, blob_migrate_report *r,
                    char msg[BLOB_MSG_MAX])
{
	memset(r, 0, sizeof *r);
	if (!blob_db_wanted(db_target))
		return say(msg, BLOB_EINVAL, "chỉ cơ sở dữ liệu PostgreSQL giữ tệp minh chứng "
			"(only a PostgreSQL database keeps files)");
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return say(msg, BLOB_EIO, "blob: cannot create %s: %s", dir, strerror(errno));
	return into_db ? migrate_in(db_target, dir, r, msg) : migrate_out(db_target, dir, r, msg);
}
