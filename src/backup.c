/* backup.c — online backup and restore of the database and the blob
 * directory (backup.h).
 *
 * SQLite is copied with its online backup API on a connection of its own
 * (the store's db handle hides its sqlite3 pointer, and a backup needs no
 * SQL): one sqlite3_backup_step(-1) copies every page inside one read
 * transaction, and in WAL mode readers do not block writers, so the server
 * keeps running. PostgreSQL is dumped with Debian's pg_dump and restored
 * with psql (postgresql-client), run directly (no shell). Afterwards the
 * copy is opened through db.h to read its schema version and verify its
 * audit chain, so a backup that cannot be read back is noticed at once. */
#include "backup.h"
#include "audit.h"
#include "db.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool target_is_pg(const char *t)
{
	return !strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11) ||
	       !strncmp(t, "pg:", 3);
}

/* What pg_dump / psql take as --dbname: a URL as it is, "pg:…" without
 * the prefix (a libpq conninfo string). */
static const char *pg_dbname(const char *t)
{
	return !strncmp(t, "pg:", 3) ? t + 3 : t;
}

void backup_blob_dir(const char *db_target, const char *blobs, buf *out)
{
	buf_reset(out);
	if (blobs && *blobs) buf_puts(out, blobs);
	else if (target_is_pg(db_target)) buf_puts(out, "chiso-files");
	else buf_printf(out, "%s-files", db_target);
}

/* ---- small file-system helpers ----------------------------------------- */

static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* 1 = a directory with entries, 0 = missing or empty, -1 = not a directory. */
static int dir_state(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) return 0;
	if (!S_ISDIR(st.st_mode)) return -1;
	DIR *dir = opendir(path);
	if (!dir) return -1;
	struct dirent *e;
	int full = 0;
	while (!full && (e = readdir(dir)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) full = 1;
	closedir(dir);
	return full;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
	return s[n] == '\0';
}

static char *parent_dir(const char *path)
{
	char *p = xstrdup(path);
	char *slash = strrchr(p, '/');
	if (!slash) { free(p); return xstrdup("."); }
	if (slash == p) slash[1] = '\0';
	else *slash = '\0';
	return p;
}

/* Runs argv[0] with argv, stdout to /dev/null when quiet; its stderr goes
 * to ours. Returns the exit status, or -1 when it could not run. */
static int run_program(char *const argv[], bool quiet)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) return -1;
	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) { dup2(fd, 1); close(fd); }
		}
		execvp(argv[0], argv);
		fprintf(stderr, "chiso: không chạy được %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- blobs ---------------------------------------------------------------- */

/* Copies one blob through a temporary file in `to`, checking the SHA-256
 * of the bytes against the name. 0 copied, 1 bad content (not copied),
 * -1 I/O error (message in err). */
static int copy_blob(const char *src, const char *to, const char *sub, const char *sha,
                     int64_t *size, buf *err)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		buf_printf(err, "không đọc được %s: %s", src, strerror(errno));
		return -1;
	}
	buf tmp, dst, subdir;
	buf_init(&tmp);
	buf_init(&dst);
	buf_init(&subdir);
	buf_printf(&tmp, "%s/.tmp-restore-XXXXXX", to);
	buf_printf(&subdir, "%s/%s", to, sub);
	buf_printf(&dst, "%s/%s", buf_str(&subdir), sha);
	int out = mkstemp(tmp.data);
	int rc = 0;
	if (out < 0) {
		buf_printf(err, "không tạo được tệp tạm trong %s: %s", to, strerror(errno));
		rc = -1;
		goto done;
	}
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	char chunk[65536];
	ssize_t n;
	*size = 0;
	while ((n = read(in, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR) continue;
			buf_printf(err, "lỗi đọc %s: %s", src, strerror(errno));
			rc = -1;
			break;
		}
		crypto_hash_sha256_update(&st, (const unsigned char *)chunk, (size_t)n);
		for (ssize_t off = 0; off < n && rc == 0;) {
			ssize_t w = write(out, chunk + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR) continue;
			if (w <= 0) {
				buf_printf(err, "lỗi ghi %s: %s", buf_str(&tmp), strerror(errno));
				rc = -1;
			} else off += w;
		}
		if (rc) break;
		*size += n;
	}
	if (rc == 0) {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256_final(&st, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		if (strcmp(hex, sha) != 0) rc = 1;
	}
	if (rc == 0 && (fchmod(out, 0640) != 0 || fsync(out) != 0)) {
		buf_printf(err, "fsync %s: %s", buf_str(&tmp), strerror(errno));
		rc = -1;
	}
	close(out);
	if (rc == 0 && mkdir(buf_str(&subdir), 0750) != 0 && errno != EEXIST) {
		buf_printf(err, "không tạo được thư mục %s: %s", buf_str(&subdir), strerror(errno));
		rc = -1;
	}
	if (rc == 0 && (rename(buf_str(&tmp), buf_str(&dst)) != 0 || sync_path(buf_str(&subdir)) != 0)) {
		buf_printf(err, "không lưu được %s: %s", buf_str(&dst), strerror(errno));
		rc = -1;
	}
	if (rc != 0) unlink(buf_str(&tmp));
done:
	close(in);
	buf_free(&tmp);
	buf_free(&dst);
	buf_free(&subdir);
	return rc;
}

int backup_copy_blobs(const char *from, const char *to, backup_report *r, buf *err)
{
	if (mkdir(to, 0750) != 0 && errno != EEXIST) {
		buf_printf(err, "không tạo được thư mục %s: %s", to, strerror(errno));
		return 1;
	}
	DIR *top = opendir(from);
	if (!top) {
		if (errno == ENOENT) return 0;   /* no evidence files yet */
		buf_printf(err, "không đọc được thư mục %s: %s", from, strerror(errno));
		return 1;
	}
	int rc = 0;
	struct dirent *e;
	buf path;
	buf_init(&path);
	while (rc == 0 && (e = readdir(top))) {
		/* Only the two-hex fan-out directories hold blobs; temporary
		 * files (".tmp-…") and anything else are not evidence. */
		if (strlen(e->d_name) != 2 || !is_hex(e->d_name, 2)) continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", from, e->d_name);
		DIR *sub = opendir(buf_str(&path));
		if (!sub) continue;
		struct dirent *f;
		while (rc == 0 && (f = readdir(sub))) {
			if (strlen(f->d_name) != 64 || !is_hex(f->d_name, 64) ||
			    strncmp(f->d_name, e->d_name, 2) != 0)
				continue;
			buf src, dst;
			buf_init(&src);
			buf_init(&dst);
			buf_printf(&src, "%s/%s/%s", from, e->d_name, f->d_name);
			buf_printf(&dst, "%s/%s/%s", to, e->d_name, f->d_name);
			struct stat ss, ds;
			if (stat(buf_str(&dst), &ds) == 0 && stat(buf_str(&src), &ss) == 0 &&
			    ds.st_size == ss.st_size) {
				r->files_skipped++;
			} else {
				int64_t size = 0;
				int c = copy_blob(buf_str(&src), to, e->d_name, f->d_name, &size, err);
				if (c < 0) rc = 1;
				else if (c > 0) {
					r->files_bad++;
					fprintf(stderr, "chiso: tệp %s không khớp mã SHA-256 của nó "
						"(hỏng?): không sao chép\n", buf_str(&src));
				} else {
					r->files++;
					r->bytes += size;
				}
			}
			buf_free(&src);
			buf_free(&dst);
		}
		closedir(sub);
	}
	closedir(top);
	buf_free(&path);
	if (rc == 0 && sync_path(to) != 0) {
		buf_printf(err, "fsync %s: %s", to, strerror(errno));
		rc = 1;
	}
	return rc;
}

/* ---- SQLite ----------------------------------------------------------------- */

/* Copies database file `from` into `to` page by page in one step. */
static int sqlite_copy(const char *from, const char *to, bool self_contained, buf *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "không mở được %s: %s", from, src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "không mở được %s: %s", to, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(dst, 5000);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		rc = sqlite3_errcode(dst);
		buf_printf(err, "sao lưu SQLite: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/* -1: every page in one step, under one read lock (a consistent
	 * snapshot). BUSY only happens while another connection holds an
	 * exclusive lock (a checkpoint, a rollback-journal writer): retry. */
	for (int tries = 0; tries < 100; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
		sqlite3_sleep(50);
	}
	int frc = sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE) rc = frc;
	if (rc != SQLITE_OK) {
		buf_printf(err, "sao lưu SQLite thất bại: %s", sqlite3_errstr(rc));
		goto out;
	}
	/* A backup is one file: no -wal beside it (the store switches a
	 * database back to WAL when it opens it). */
	if (self_contained) {
		rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
		if (rc != SQLITE_OK) buf_printf(err, "SQLite: %s", sqlite3_errmsg(dst));
	}
out:
	sqlite3_close_v2(dst);
	sqlite3_close_v2(src);
	return rc == SQLITE_OK ? 0 : 1;
}

/* Opens a copy through the store, migrates it when asked, reads its schema
 * version and verifies the audit chain into r. */
static int check_copy(const char *target, bool migrate, backup_report *r, buf *err)
{
	db *d = NULL;
	char *msg = NULL;
	if (db_open(target, &d, &msg) != DB_OK) {
		buf_printf(err, "không mở được %s: %s", target, msg ? msg : "?");
		free(msg);
		return 1;
	}
	int rc = 0;
	if (migrate && db_migrate(d, NULL) != DB_OK) {
		buf_printf(err, "không cập nhật được lược đồ: %s", db_errmsg(d));
		rc = 1;
	}
	if (rc == 0 && db_schema_version(d, &r->schema_version) != DB_OK) {
		buf_printf(err, "không đọc được phiên bản lược đồ: %s", db_errmsg(d));
		rc = 1;
	}
	if (rc == 0 && r->schema_version == 0) {
		buf_printf(err, "%s không phải cơ sở dữ liệu Chiso (chưa có lược đồ)", target);
		rc = 1;
	}
	audit_report ar;
	if (rc == 0 && audit_verify(d, &ar) != DB_OK) {
		buf_printf(err, "không đọc được nhật ký: %s", db_errmsg(d));
		rc = 1;
	}
	if (rc == 0) {
		r->audit_rows = ar.rows;
		memcpy(r->audit_head, ar.head, sizeof r->audit_head);
		if (ar.bad_seq) {
			buf_printf(err, "chuỗi nhật ký của bản sao bị phá vỡ tại bản ghi %lld (%s)",
				(long long)ar.bad_seq, ar.problem);
			rc = 1;
		}
	}
	db_close(d);
	return rc;
}

/* Does the database hold a Chiso schema already? -1 when it cannot be
 * opened (message in err). A SQLite file that does not exist is empty and
 * is not created here. */
static int db_has_schema(const char *target, buf *err)
{
	if (!target_is_pg(target)) {
		struct stat st;
		if (stat(target, &st) != 0 || st.st_size == 0) return 0;
	}
	db *d = NULL;
	char *msg = NULL;
	if (db_open(target, &d, &msg) != DB_OK) {
		buf_printf(err, "không mở được %s: %s", target, msg ? msg : "?");
		free(msg);
		return -1;
	}
	int v = 0;
	int rc = db_schema_version(d, &v);
	db_close(d);
	if (rc != DB_OK) return 0;
	return v > 0;
}

/* ---- manifest ------------------------------------------------------------- */

static int write_manifest(const char *dir, const backup_report *r, buf *err)
{
	buf path;
	buf_init(&path);
	buf_printf(&path, "%s/MANIFEST", dir);
	char now[21];
	db_now(now);
	FILE *f = fopen(buf_str(&path), "w");
	int rc = 0;
	if (!f) {
		buf_printf(err, "không ghi được %s: %s", buf_str(&path), strerror(errno));
		rc = 1;
	} else {
		fprintf(f, "chiso-backup 1\nbackend %s\ncreated %s\nschema %d\n", r->backend, now,
			r->schema_version);
		if (r->audit_rows || r->audit_head[0])
			fprintf(f, "audit_rows %lld\naudit_head %s\n", (long long)r->audit_rows,
				r->audit_head[0] ? r->audit_head : "-");
		fprintf(f, "files %lld\nbytes %lld\n", (long long)r->files, (long long)r->bytes);
		if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
			buf_printf(err, "không ghi được %s: %s", buf_str(&path), strerror(errno));
			rc = 1;
		}
		fclose(f);
	}
	buf_free(&path);
	return rc;
}

/* The backend named in src/MANIFEST ("sqlite" / "postgresql"), or NULL. */
static char *read_manifest_backend(const char *src, buf *err)
{
	buf path;
	buf_init(&path);
	buf_printf(&path, "%s/MANIFEST", src);
	FILE *f = fopen(buf_str(&path), "r");
	char *backend = NULL;
	if (!f) {
		buf_printf(err, "%s không phải bản sao lưu Chiso (không có MANIFEST)", src);
	} else {
		char line[256];
		bool magic = false;
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\r\n")] = '\0';
			if (!strcmp(line, "chiso-backup 1")) magic = true;
			else if (!strncmp(line, "backend ", 8) && !backend) backend = xstrdup(line + 8);
		}
		fclose(f);
		if (!magic || !backend) {
			buf_printf(err, "%s: MANIFEST không hợp lệ", buf_str(&path));
			free(backend);
			backend = NULL;
		}
	}
	buf_free(&path);
	return backend;
}

/* ---- backup --------------------------------------------------------------- */

int backup_create(const char *db_target, const char *blob_dir, const char *dest,
                  backup_report *r, buf *err)
{
	memset(r, 0, sizeof *r);
	bool pg = target_is_pg(db_target);
	r->backend = pg ? "postgresql" : "sqlite";
	int st = dir_state(dest);
	if (st != 0) {
		buf_printf(err, st > 0 ? "thư mục đích %s đã có dữ liệu: hãy chọn thư mục mới"
		                       : "%s đã tồn tại và không phải thư mục", dest);
		return 1;
	}
	if (!pg) {
		struct stat s;
		if (stat(db_target, &s) != 0) {
			buf_printf(err, "không có cơ sở dữ liệu %s", db_target);
			return 1;
		}
	}
	/* Built under a temporary name beside dest, renamed at the end. */
	buf tmp, path;
	buf_init(&tmp);
	buf_init(&path);
	buf_printf(&tmp, "%s.tmp-XXXXXX", dest);
	int rc = 0;
	if (!mkdtemp(tmp.data)) {
		buf_printf(err, "không tạo được thư mục %s: %s", buf_str(&tmp), strerror(errno));
		buf_free(&tmp);
		return 1;
	}
	if (pg) {
		buf_printf(&path, "%s/chiso.sql", buf_str(&tmp));
		buf file, dbn;
		buf_init(&file);
		buf_init(&dbn);
		buf_printf(&file, "--file=%s", buf_str(&path));
		buf_printf(&dbn, "--dbname=%s", pg_dbname(db_target));
		char *argv[] = { "pg_dump", "--format=plain", "--no-owner", "--no-privileges",
		                 "--clean", "--if-exists", file.data, dbn.data, NULL };
		int x = run_program(argv, false);
		if (x != 0) {
			buf_printf(err, x == 127 || x < 0 ? "không chạy được pg_dump (cài gói postgresql-client)"
			                                  : "pg_dump thất bại (mã %d)", x);
			rc = 1;
		}
		if (rc == 0 && sync_path(buf_str(&path)) != 0) {
			buf_printf(err, "fsync %s: %s", buf_str(&path), strerror(errno));
			rc = 1;
		}
		buf_free(&file);
		buf_free(&dbn);
		/* The schema version and the chain are read from the live
		 * database; the dump holds at least that much. */
		if (rc == 0) {
			backup_report live = { 0 };
			rc = check_copy(db_target, false, &live, err);
			r->schema_version = live.schema_version;
		}
	} else {
		buf_printf(&path, "%s/chiso.db", buf_str(&tmp));
		rc = sqlite_copy(db_target, buf_str(&path), true, err);
		if (rc == 0) rc = check_copy(buf_str(&path), false, r, err);
	}
	if (rc == 0) {
		buf_reset(&path);
		buf_printf(&path, "%s/files", buf_str(&tmp));
		rc = backup_copy_blobs(blob_dir, buf_str(&path), r, err);
	}
	if (rc == 0) rc = write_manifest(buf_str(&tmp), r, err);
	if (rc == 0 && sync_path(buf_str(&tmp)) != 0) {
		buf_printf(err, "fsync %s: %s", buf_str(&tmp), strerror(errno));
		rc = 1;
	}
	/* dest may be an empty directory the caller made: rename replaces it. */
	if (rc == 0 && rename(buf_str(&tmp), dest) != 0) {
		buf_printf(err, "không đổi tên %s thành %s: %s", buf_str(&tmp), dest, strerror(errno));
		rc = 1;
	}
	if (rc == 0) {
		char *parent = parent_dir(dest);
		sync_path(parent);
		free(parent);
	} else {
		/* Remove the partial copy: it must never be taken for a backup. */
		char *argv[] = { "rm", "-rf", "--", tmp.data, NULL };
		run_program(argv, true);
	}
	buf_free(&tmp);
	buf_free(&path);
	if (rc == 0 && r->files_bad) {
		buf_printf(err, "%lld tệp minh chứng hỏng (không khớp mã SHA-256) không được sao lưu",
			(long long)r->files_bad);
		rc = 1;
	}
	return rc;
}

/* ---- restore -------------------------------------------------------------- */

int backup_restore(const char *src, const char *db_target, const char *blob_dir, bool force,
                   backup_report *r, buf *err)
{
	memset(r, 0, sizeof *r);
	bool pg = target_is_pg(db_target);
	r->backend = pg ? "postgresql" : "sqlite";
	char *backend = read_manifest_backend(src, err);
	if (!backend) return 1;
	int rc = 0;
	if (strcmp(backend, r->backend) != 0) {
		buf_printf(err, "bản sao lưu là của %s, không khôi phục được vào %s", backend, r->backend);
		rc = 1;
	}
	free(backend);
	if (rc) return rc;
	int has = db_has_schema(db_target, err);
	if (has < 0) return 1;
	if (has && !force) {
		buf_printf(err, "cơ sở dữ liệu %s đã có dữ liệu; dùng --force để ghi đè", db_target);
		return 1;
	}
	buf path;
	buf_init(&path);
	if (pg) {
		buf_printf(&path, "%s/chiso.sql", src);
		buf file, dbn;
		buf_init(&file);
		buf_init(&dbn);
		buf_printf(&file, "--file=%s", buf_str(&path));
		buf_printf(&dbn, "--dbname=%s", pg_dbname(db_target));
		/* The dump starts with DROP … IF EXISTS (pg_dump --clean), so a
		 * forced restore replaces what is there, all in one transaction. */
		char *argv[] = { "psql", "--no-psqlrc", "--quiet", "--single-transaction",
		                 "--set=ON_ERROR_STOP=1", file.data, dbn.data, NULL };
		int x = run_program(argv, true);
		if (x != 0) {
			buf_printf(err, x == 127 || x < 0 ? "không chạy được psql (cài gói postgresql-client)"
			                                  : "psql thất bại (mã %d): cơ sở dữ liệu không thay đổi", x);
			rc = 1;
		}
		buf_free(&file);
		buf_free(&dbn);
	} else {
		buf_printf(&path, "%s/chiso.db", src);
		struct stat st;
		if (stat(buf_str(&path), &st) != 0) {
			buf_printf(err, "bản sao lưu thiếu tệp %s", buf_str(&path));
			rc = 1;
		} else {
			rc = sqlite_copy(buf_str(&path), db_target, false, err);
		}
	}
	if (rc == 0) rc = check_copy(db_target, true, r, err);
	if (rc == 0) {
		buf_reset(&path);
		buf_printf(&path, "%s/files", src);
		rc = backup_copy_blobs(buf_str(&path), blob_dir, r, err);
	}
	buf_free(&path);
	if (rc == 0 && r->files_bad) {
		buf_printf(err, "%lld tệp trong bản sao lưu bị hỏng, không khôi phục",
			(long long)r->files_bad);
		rc = 1;
	}
	return rc;
}
