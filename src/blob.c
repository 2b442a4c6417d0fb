/* blob.c — the local-directory, content-addressed blob store and its type
 * sniffing (blob.h). Durability order on commit: write temp → fsync temp →
 * rename to DIR/ab/<sha256> → fsync DIR/ab. The ZIP and OLE readers here
 * parse attacker-supplied bytes: every offset is bounds-checked against the
 * file size and every loop is capped. */
#include "blob.h"
#include "blob_db.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_PREFIX ".tmp-"
enum { HEAD_MAX = 4096 };

struct blob_store {
	char *dir;
	int64_t max;
	char *db_target;      /* PostgreSQL: the files live there too (blob_db.h) */
};

struct blob_writer {
	blob_store *bs;
	int fd;
	char *tmp;
	crypto_hash_sha256_state st;
	int64_t size;
	unsigned char head[HEAD_MAX];
	size_t nhead;
	int failed;           /* the first error; later calls repeat it */
	const char *mime, *ext;   /* given: made by Chiso, not sniffed (blob_put_file_as) */
};

static int say(char msg[BLOB_MSG_MAX], int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int say(char msg[BLOB_MSG_MAX], int code, const char *fmt, ...)
{
	if (msg) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, BLOB_MSG_MAX, fmt, ap);  // NOLINT(clang-analyzer-valist.Uninitialized): started above
		va_end(ap);
	}
	return code;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int blob_store_open(const char *dir, int64_t max_size, blob_store **out, char msg[BLOB_MSG_MAX])
{
	*out = NULL;
	if (sodium_init() < 0) fatal("libsodium cannot initialise");
	if (!dir || !*dir) return say(msg, BLOB_EINVAL, "blob: no directory given");
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return say(msg, BLOB_EIO, "blob: cannot create %s: %s", dir, strerror(errno));
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return say(msg, BLOB_EIO, "blob: %s is not a directory", dir);
	blob_store *bs = xcalloc(1, sizeof *bs);
	bs->dir = xstrdup(dir);
	bs->max = max_size > 0 ? max_size : BLOB_DEFAULT_MAX_SIZE;
	*out = bs;
	return BLOB_OK;
}

void blob_store_close(blob_store *bs)
{
	if (!bs) return;
	free(bs->dir);
	free(bs->db_target);
	free(bs);
}

const char *blob_store_dir(const blob_store *bs) { return bs->dir; }

void blob_store_use_db(blob_store *bs, const char *db_target)
{
	free(bs->db_target);
	bs->db_target = blob_db_wanted(db_target) ? xstrdup(db_target) : NULL;
}

/* With a PostgreSQL store: the file fetched into the directory when missing. */
static void fetch_if_missing(blob_store *bs, const char *sha)
{
	char msg[BLOB_MSG_MAX];
	if (bs->db_target && blob_local_ready(bs->dir, bs->db_target, sha, msg) == BLOB_EIO)
		fprintf(stderr, "chiso: %s\n", msg);
}
int64_t blob_store_max_size(const blob_store *bs) { return bs->max; }

bool blob_sha_valid(const char *s)
{
	if (!s || strlen(s) != 64) return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return false;
	return true;
}

/* DIR/ab/<sha> into b. */
void blob_path_in(const char *dir, const char *sha, buf *b)
{
	buf_reset(b);
	buf_printf(b, "%s/%.2s/%s", dir, sha, sha);
}

static void blob_path(const blob_store *bs, const char *sha, buf *b)
{
	blob_path_in(bs->dir, sha, b);
}

/* ---- writing --------------------------------------------------------- */

int blob_begin(blob_store *bs, blob_writer **out, char msg[BLOB_MSG_MAX])
{
	*out = NULL;
	blob_writer *w = xcalloc(1, sizeof *w);
	w->bs = bs;
	size_t n = strlen(bs->dir) + sizeof "/" TMP_PREFIX "XXXXXX";
	w->tmp = xmalloc(n);
	snprintf(w->tmp, n, "%s/" TMP_PREFIX "XXXXXX", bs->dir);
	w->fd = mkstemp(w->tmp);
	if (w->fd >= 0) fcntl(w->fd, F_SETFD, FD_CLOEXEC);
	if (w->fd < 0) {
		int e = errno;
		free(w->tmp);
		free(w);
		return say(msg, BLOB_EIO, "blob: cannot create a temporary file in %s: %s", bs->dir,
			strerror(e));
	}
	crypto_hash_sha256_init(&w->st);
	*out = w;
	return BLOB_OK;
}

static int too_big(const blob_store *bs, char msg[BLOB_MSG_MAX])
{
	return say(msg, BLOB_ETOOBIG, "Tệp quá lớn: tối đa %lld MB cho mỗi tệp minh chứng",
		(long long)(bs->max / ((int64_t)1024 * 1024)));
}

int blob_write(blob_writer *w, const void *p, size_t n, char msg[BLOB_MSG_MAX])
{
	if (w->failed) return w->failed == BLOB_ETOOBIG ? too_big(w->bs, msg)
		: say(msg, w->failed, "blob: an earlier write failed");
	if ((uint64_t)w->size + n > (uint64_t)w->bs->max) {
		w->failed = BLOB_ETOOBIG;
		return too_big(w->bs, msg);
	}
	const unsigned char *c = p;
	if (w->nhead < HEAD_MAX) {
		size_t k = n < HEAD_MAX - w->nhead ? n : HEAD_MAX - w->nhead;
		memcpy(w->head + w->nhead, c, k);
		w->nhead += k;
	}
	crypto_hash_sha256_update(&w->st, c, n);
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(w->fd, c + done, n - done);
		if (k < 0 && errno == EINTR) continue;
		if (k <= 0) {
			w->failed = BLOB_EIO;
			return say(msg, BLOB_EIO, "blob: write failed: %s", k < 0 ? strerror(errno) : "0 bytes");
		}
		done += (size_t)k;
	}
	w->size += (int64_t)n;
	return BLOB_OK;
}

void blob_abort(blob_writer *w)
{
	if (!w) return;
	if (w->fd >= 0) close(w->fd);
	unlink(w->tmp);
	free(w->tmp);
	free(w);
}

int blob_commit(blob_writer *w, blob_info *out, char msg[BLOB_MSG_MAX])
{
	memset(out, 0, sizeof *out);
	int rc = BLOB_OK;
	buf path;
	buf_init(&path);
	if (w->failed) {
		rc = w->failed == BLOB_ETOOBIG ? too_big(w->bs, msg)
			: say(msg, w->failed, "blob: an earlier write failed");
		goto fail;
	}
	if (w->size == 0) {
		rc = say(msg, BLOB_EEMPTY, "Tệp rỗng (0 byte)");
		goto fail;
	}
	if (w->mime) {
		out->mime = w->mime;
		out->ext = w->ext;
	} else if ((rc = blob_sniff(w->fd, w->size, w->head, w->nhead, &out->mime, &out->ext, msg))) {
		goto fail;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&w->st, h);
	sodium_bin2hex(out->sha256, sizeof out->sha256, h, sizeof h);
	out->size = w->size;
	/* The data must be on disk before the name points at it. */
	if (fchmod(w->fd, 0640) != 0 || fsync(w->fd) != 0) {
		rc = say(msg, BLOB_EIO, "blob: fsync failed: %s", strerror(errno));
		goto fail;
	}
	close(w->fd);
	w->fd = -1;
	buf_printf(&path, "%s/%.2s", w->bs->dir, out->sha256);
	if (mkdir(path.data, 0750) == 0) {
		if (sync_dir(w->bs->dir) != 0) {
			rc = say(msg, BLOB_EIO, "blob: fsync %s failed: %s", w->bs->dir, strerror(errno));
			goto fail;
		}
	} else if (errno != EEXIST) {
		rc = say(msg, BLOB_EIO, "blob: mkdir %s failed: %s", path.data, strerror(errno));
		goto fail;
	}
	char *subdir = xstrdup(path.data);
	blob_path(w->bs, out->sha256, &path);
	struct stat st;
	if (stat(path.data, &st) == 0 && st.st_size == out->size) {
		out->existed = true;       /* same content already stored */
		unlink(w->tmp);
	} else if (rename(w->tmp, path.data) != 0 || sync_dir(subdir) != 0) {
		rc = say(msg, BLOB_EIO, "blob: cannot store %s: %s", path.data, strerror(errno));
		free(subdir);
		goto fail;
	}
	free(subdir);
	/* PostgreSQL: the database is the store every server reads; the
	 * directory keeps this server's copy */
	if (w->bs->db_target &&
	    (rc = blob_db_put_file(w->bs->db_target, path.data, out->sha256, out->mime, out->ext, msg)))
		goto fail;
	buf_free(&path);
	free(w->tmp);
	free(w);
	return BLOB_OK;
fail:
	buf_free(&path);
	blob_abort(w);
	if (rc != BLOB_OK) {
		out->mime = out->ext = NULL;
		out->sha256[0] = '\0';
		out->size = 0;
	}
	return rc;
}

int blob_put(blob_store *bs, const void *p, size_t n, blob_info *out, char msg[BLOB_MSG_MAX])
{
	blob_writer *w;
	memset(out, 0, sizeof *out);
	int rc = blob_begin(bs, &w, msg);
	if (rc || !w) return rc ? rc : BLOB_EIO;
	if ((rc = blob_write(w, p, n, msg))) {
		blob_abort(w);
		return rc;
	}
	return blob_commit(w, out, msg);
}

static int put_file(blob_store *bs, const char *path, const char *mime, const char *ext,
                    blob_info *out, char msg[BLOB_MSG_MAX]);

int blob_put_file(blob_store *bs, const char *path, blob_info *out, char msg[BLOB_MSG_MAX])
{
	return put_file(bs, path, NULL, NULL, out, msg);
}

int blob_put_file_as(blob_store *bs, const char *path, const char *mime, const char *ext,
                     blob_info *out, char msg[BLOB_MSG_MAX])
{
	if (!mime || !ext) return say(msg, BLOB_EINVAL, "blob: type required");
	return put_file(bs, path, mime, ext, out, msg);
}

static int put_file(blob_store *bs, const char *path, const char *mime, const char *ext,
                    blob_info *out, char msg[BLOB_MSG_MAX])
{
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return say(msg, BLOB_EIO, "Không mở được tệp %s: %s", path, strerror(errno));
	blob_writer *w;
	int rc = blob_begin(bs, &w, msg);
	if (rc || !w) {
		close(fd);
		return rc ? rc : BLOB_EIO;
	}
	w->mime = mime;
	w->ext = ext;
	unsigned char chunk[65536];
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof chunk);
		if (k < 0 && errno == EINTR) continue;
		if (k < 0) {
			rc = say(msg, BLOB_EIO, "Không đọc được tệp %s: %s", path, strerror(errno));
			break;
		}
		if (k == 0) break;
		if ((rc = blob_write(w, chunk, (size_t)k, msg))) break;
	}
	close(fd);
	if (rc) {
		blob_abort(w);
		return rc;
	}
	return blob_commit(w, out, msg);
}

/* ---- reading --------------------------------------------------------- */

bool blob_exists(blob_store *bs, const char *sha)
{
	if (!blob_sha_valid(sha)) return false;
	fetch_if_missing(bs, sha);
	buf p;
	buf_init(&p);
	blob_path(bs, sha, &p);
	bool yes = access(p.data, F_OK) == 0;
	buf_free(&p);
	return yes;
}

int blob_open_fd(blob_store *bs, const char *sha, int *fd, int64_t *size)
{
	*fd = -1;
	*size = 0;
	if (!blob_sha_valid(sha)) return BLOB_EINVAL;
	fetch_if_missing(bs, sha);
	buf p;
	buf_init(&p);
	blob_path(bs, sha, &p);
	int f = open(p.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	buf_free(&p);
	if (f < 0) return errno == ENOENT ? BLOB_ENOTFOUND : BLOB_EIO;
	struct stat st;
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return BLOB_EIO;
	}
	*fd = f;
	*size = st.st_size;
	return BLOB_OK;
}

int blob_read(blob_store *bs, const char *sha, buf *out, char msg[BLOB_MSG_MAX])
{
	buf_reset(out);
	int fd;
	int64_t size;
	int rc = blob_open_fd(bs, sha, &fd, &size);
	if (rc == BLOB_ENOTFOUND) return say(msg, rc, "Không tìm thấy tệp %s", sha);
	if (rc) return say(msg, rc, "blob: cannot open %s", sha ? sha : "(null)");
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	unsigned char chunk[65536];
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof chunk);
		if (k < 0 && errno == EINTR) continue;
		if (k < 0) {
			close(fd);
			return say(msg, BLOB_EIO, "blob: read failed: %s", strerror(errno));
		}
		if (k == 0) break;
		crypto_hash_sha256_update(&st, chunk, (size_t)k);
		buf_append(out, (const char *)chunk, (size_t)k);
	}
	close(fd);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (strcmp(hex, sha) != 0)
		return say(msg, BLOB_EIO, "blob %s is damaged: its content no longer matches its name",
			sha);
	return BLOB_OK;
}

int blob_remove(blob_store *bs, const char *sha)
{
	if (!blob_sha_valid(sha)) return BLOB_EINVAL;
	buf p;
	buf_init(&p);
	blob_path(bs, sha, &p);
	int rc = unlink(p.data) == 0 ? BLOB_OK : errno == ENOENT ? BLOB_ENOTFOUND : BLOB_EIO;
	buf_free(&p);
	if (bs->db_target && blob_db_remove(bs->db_target, sha) == BLOB_OK && rc == BLOB_ENOTFOUND) rc = BLOB_OK;
	return rc;
}

int blob_sweep(blob_store *bs, int max_age_seconds, int *removed)
{
	if (removed) *removed = 0;
	DIR *dir = opendir(bs->dir);
	if (!dir) return BLOB_EIO;
	int dfd = dirfd(dir);
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0) continue;
		struct stat st;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
		if (now - st.st_mtime < max_age_seconds) continue;   /* an upload in progress */
		if (unlinkat(dfd, e->d_name, 0) == 0 && removed) (*removed)++;
	}
	closedir(dir);
	return BLOB_OK;
}

/* ---- type sniffing --------------------------------------------------- */

static const char not_accepted[] =
	"Định dạng tệp không được chấp nhận. Chỉ nhận PDF, ảnh (JPEG, PNG, GIF, WEBP), "
	"văn bản Word, Excel, PowerPoint (DOCX, XLSX, PPTX, DOC, XLS, PPT) "
	"hoặc OpenDocument (ODT, ODS, ODP)";

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool read_at(int fd, int64_t off, void *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t k = pread(fd, (char *)p + done, n - done, (off_t)(off + (int64_t)done));
		if (k < 0 && errno == EINTR) continue;
		if (k <= 0) return false;
		done += (size_t)k;
	}
	return true;
}

static bool name_is(const unsigned char *name, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(name, s, n) == 0;
}

/* DOCX/XLSX/PPTX by their ZIP central directory; ODF by the stored
 * "mimetype" entry that the format requires to come first. */
static int sniff_zip(int fd, int64_t size, const unsigned char *head, size_t nhead,
                     const char **mime, const char **ext)
{
	if (nhead >= 38 && le16(head + 26) == 8 && memcmp(head + 30, "mimetype", 8) == 0 &&
	    le16(head + 8) == 0) {
		size_t off = 38 + le16(head + 28), len = le32(head + 18);
		static const struct { const char *m, *e; } odf[] = {
			{ "application/vnd.oasis.opendocument.text", "odt" },
			{ "application/vnd.oasis.opendocument.spreadsheet", "ods" },
			{ "application/vnd.oasis.opendocument.presentation", "odp" },
		};
		for (size_t i = 0; off + len <= nhead && i < ARRAY_LEN(odf); i++)
			if (name_is(head + off, len, odf[i].m)) {
				*mime = odf[i].m;
				*ext = odf[i].e;
				return BLOB_OK;
			}
	}
	/* The end-of-central-directory record sits in the last 22 + 65535
	 * bytes (its comment can be that long). */
	size_t tail_len = size < 65557 ? (size_t)size : 65557;
	if (tail_len < 22) return BLOB_ETYPE;
	unsigned char *tail = xmalloc(tail_len);
	int rc = BLOB_ETYPE;
	unsigned char *cd = NULL;
	if (!read_at(fd, size - (int64_t)tail_len, tail, tail_len)) goto out;
	const unsigned char *eocd = NULL;
	for (size_t i = tail_len - 22 + 1; i-- > 0;)
		if (le32(tail + i) == 0x06054b50) { eocd = tail + i; break; }
	if (!eocd) goto out;
	uint32_t cd_size = le32(eocd + 12), cd_off = le32(eocd + 16);
	/* Zip64 (0xFFFFFFFF markers) or a directory past the end: not an
	 * office document we accept. */
	if (cd_size > 16u * 1024 * 1024 || (int64_t)cd_off + cd_size > size) goto out;
	cd = xmalloc(cd_size ? cd_size : 1);
	if (!read_at(fd, cd_off, cd, cd_size)) goto out;
	bool types = false, word = false, xl = false, ppt = false;
	size_t pos = 0;
	for (int entries = 0; pos + 46 <= cd_size && entries < 100000; entries++) {
		if (le32(cd + pos) != 0x02014b50) break;
		size_t nlen = le16(cd + pos + 28), elen = le16(cd + pos + 30), clen = le16(cd + pos + 32);
		if (pos + 46 + nlen > cd_size) break;
		const unsigned char *name = cd + pos + 46;
		if (name_is(name, nlen, "[Content_Types].xml")) types = true;
		else if (name_is(name, nlen, "word/document.xml")) word = true;
		else if (name_is(name, nlen, "xl/workbook.xml")) xl = true;
		else if (name_is(name, nlen, "ppt/presentation.xml")) ppt = true;
		pos += 46 + nlen + elen + clen;
	}
	if (types && word) {
		*mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		*ext = "docx";
		rc = BLOB_OK;
	} else if (types && xl) {
		*mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		*ext = "xlsx";
		rc = BLOB_OK;
	} else if (types && ppt) {
		*mime = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
		*ext = "pptx";
		rc = BLOB_OK;
	}
out:
	free(tail);
	free(cd);
	return rc;
}

/* Legacy Office: a Compound File (OLE2); the kind is told by the name of
 * a stream in its directory. */
static int sniff_ole(int fd, int64_t size, const char **mime, const char **ext)
{
	unsigned char h[512];
	if (size < 1024 || !read_at(fd, 0, h, sizeof h)) return BLOB_ETYPE;
	unsigned shift = le16(h + 0x1E);
	if (shift != 9 && shift != 12) return BLOB_ETYPE;
	uint32_t ssz = 1u << shift, per = ssz / 4;
	/* No chain is longer than the file has sectors: a cycle (the fuzzer's
	 * 5 KB file walked its directory 10,000 times) stops there. */
	int64_t nsec = size / ssz;
	uint32_t dir_sector = le32(h + 0x30), difat_next = le32(h + 0x44);
	unsigned char *sec = xmalloc(ssz);
	int rc = BLOB_ETYPE;
	/* FAT sector k: the first 109 are listed in the header, the rest in
	 * the DIFAT chain (ssz/4 - 1 entries per sector, then the next link). */
	uint32_t *fat_secs = NULL;
	size_t nfat = 0, capfat = 0;
	for (int i = 0; i < 109; i++) {
		uint32_t v = le32(h + 0x4C + (size_t)4 * (size_t)i);
		if (v >= 0xFFFFFFFA) break;
		if (nfat == capfat) fat_secs = xrealloc(fat_secs, (capfat = capfat ? capfat * 2 : 128) * 4);
		fat_secs[nfat++] = v;
	}
	for (int64_t guard = 0; difat_next < 0xFFFFFFFA && guard < nsec; guard++) {
		if (((int64_t)difat_next + 2) * ssz > size || !read_at(fd, ((int64_t)difat_next + 1) * ssz,
		                                                        sec, ssz))
			goto out;
		for (uint32_t i = 0; i < per - 1; i++) {
			uint32_t v = le32(sec + (size_t)4 * i);
			if (v >= 0xFFFFFFFA) continue;
			if (nfat == capfat) fat_secs = xrealloc(fat_secs, (capfat = capfat ? capfat * 2 : 128) * 4);
			fat_secs[nfat++] = v;
		}
		difat_next = le32(sec + (size_t)4 * (per - 1));
	}
	uint32_t s = dir_sector;
	for (int64_t guard = 0; s < 0xFFFFFFFA && guard < nsec; guard++) {
		if (((int64_t)s + 2) * ssz > size || !read_at(fd, ((int64_t)s + 1) * ssz, sec, ssz))
			goto out;
		for (uint32_t e = 0; e + 128 <= ssz; e += 128) {
			const unsigned char *ent = sec + e;
			unsigned nlen = le16(ent + 0x40);
			if (ent[0x42] != 2 || nlen < 2 || nlen > 64) continue;   /* streams only */
			char name[33];
			unsigned k;
			for (k = 0; k < nlen / 2 - 1 && k < 32; k++)
				name[k] = ent[(size_t)2 * k + 1] ? '?' : (char)ent[(size_t)2 * k];
			name[k] = '\0';
			if (!strcmp(name, "WordDocument")) {
				*mime = "application/msword"; *ext = "doc"; rc = BLOB_OK; goto out;
			}
			if (!strcmp(name, "Workbook") || !strcmp(name, "Book")) {
				*mime = "application/vnd.ms-excel"; *ext = "xls"; rc = BLOB_OK; goto out;
			}
			if (!strcmp(name, "PowerPoint Document")) {
				*mime = "application/vnd.ms-powerpoint"; *ext = "ppt"; rc = BLOB_OK; goto out;
			}
		}
		/* Next directory sector through the FAT. */
		uint32_t k = s / per;
		if (k >= nfat) goto out;
		unsigned char link[4];
		if (!read_at(fd, ((int64_t)fat_secs[k] + 1) * ssz + (int64_t)(s % per) * 4, link, 4))
			goto out;
		s = le32(link);
	}
out:
	free(sec);
	free(fat_secs);
	return rc;
}

int blob_sniff(int fd, int64_t size, const unsigned char *head, size_t nhead,
               const char **mime, const char **ext, char msg[BLOB_MSG_MAX])
{
	*mime = *ext = NULL;
	if (nhead >= 5) {
		/* Readers accept "%PDF-" anywhere in the first 1024 bytes. */
		size_t lim = nhead < 1024 ? nhead : 1024;
		for (size_t i = 0; i + 5 <= lim; i++)
			if (!memcmp(head + i, "%PDF-", 5)) {
				*mime = "application/pdf"; *ext = "pdf";
				return BLOB_OK;
			}
	}
	if (nhead >= 8 && !memcmp(head, "\x89PNG\r\n\x1a\n", 8)) {
		*mime = "image/png"; *ext = "png";
		return BLOB_OK;
	}
	if (nhead >= 3 && !memcmp(head, "\xff\xd8\xff", 3)) {
		*mime = "image/jpeg"; *ext = "jpg";
		return BLOB_OK;
	}
	if (nhead >= 6 && (!memcmp(head, "GIF87a", 6) || !memcmp(head, "GIF89a", 6))) {
		*mime = "image/gif"; *ext = "gif";
		return BLOB_OK;
	}
	if (nhead >= 12 && !memcmp(head, "RIFF", 4) && !memcmp(head + 8, "WEBP", 4)) {
		*mime = "image/webp"; *ext = "webp";
		return BLOB_OK;
	}
	if (nhead >= 4 && !memcmp(head, "PK\x03\x04", 4)) {
		if (sniff_zip(fd, size, head, nhead, mime, ext) == BLOB_OK) return BLOB_OK;
		return say(msg, BLOB_ETYPE, "Tệp nén ZIP không phải văn bản Word, Excel, PowerPoint "
			"hay OpenDocument: hãy giải nén và tải lên từng tệp");
	}
	if (nhead >= 8 && !memcmp(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
		if (sniff_ole(fd, size, mime, ext) == BLOB_OK) return BLOB_OK;
		return say(msg, BLOB_ETYPE, "Tệp Office định dạng cũ nhưng không phải Word, Excel hay "
			"PowerPoint (hoặc bị hỏng)");
	}
	return say(msg, BLOB_ETYPE, "%s", not_accepted);
}
