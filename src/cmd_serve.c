/* cmd_serve.c — `chiso init` (create or migrate a database) and `chiso
 * serve` (the web application). */
#include "cmd.h"
#include "q_framework.h"
#include "db.h"
#include "http.h"
#include "job.h"
#include "page_cache.h"
#include "round_agg.h"
#include "secret.h"
#include "util.h"
#include "web.h"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cmd_parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0) return false;
	*out = v;
	return true;
}

const char *cmd_default_db(void)
{
	const char *env = getenv("CHISO_DB");
	return env && *env ? env : "chiso.db";
}

/* Opens and migrates the database named by --db (or the default); prints
 * a Vietnamese message and returns NULL on failure. */
db *cmd_open_db(const char *target)
{
	db *d = NULL;
	char *msg = NULL;
	if (db_open(target, &d, &msg) != DB_OK) {
		fprintf(stderr, "chiso: không mở được cơ sở dữ liệu %s: %s\n", target, msg ? msg : "?");
		free(msg);
		return NULL;
	}
	int applied = 0;
	if (db_migrate(d, &applied) != DB_OK) {
		fprintf(stderr, "chiso: không cập nhật được lược đồ cơ sở dữ liệu: %s\n", db_errmsg(d));
		db_close(d);
		return NULL;
	}
	if (applied) fprintf(stderr, "chiso: đã áp dụng %d bản cập nhật lược đồ (migrations) cho %s\n", applied, target);
	return d;
}

bool cmd_server_secret(const char *option, const char *db_target, unsigned char out[SECRET_BYTES])
{
	buf path;
	buf_init(&path);
	secret_path(option, db_target, &path);
	char msg[SECRET_MSG_MAX];
	bool ok = secret_load(buf_str(&path), out, msg);
	if (!ok) fprintf(stderr, "chiso: %s\n", msg);
	buf_free(&path);
	return ok;
}

int cmd_init(int argc, char **argv)
{
	const char *target = cmd_default_db(), *secret_file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) target = argv[++i];
		else if (strcmp(argv[i], "--secret-file") == 0 && i + 1 < argc) secret_file = argv[++i];
		else {
			fprintf(stderr, "Cách dùng (usage): chiso init [--db PATH|postgresql://…] [--secret-file PATH]\n");
			return EXIT_BADINPUT;
		}
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	int v = 0;
	db_schema_version(d, &v);
	printf("Cơ sở dữ liệu %s (%s) sẵn sàng, lược đồ phiên bản %d.\n", target, db_kind_name(d), v);
	db_close(d);
	unsigned char key[SECRET_BYTES];
	bool ok = cmd_server_secret(secret_file, target, key);
	sodium_memzero(key, sizeof key);
	return ok ? EXIT_OK : EXIT_FAIL;
}

/* The rendered pages kept between requests (page_cache.h): CHISO_PAGE_CACHE_MB
 * megabytes, 64 by default (about a thousand assessment forms); 0 keeps none. */
static page_cache *page_cache_new_from_env(void)
{
	const char *e = getenv("CHISO_PAGE_CACHE_MB");
	long mb = 64;
	if (e && *e) {
		char *end;
		mb = strtol(e, &end, 10);
		if (*end || mb < 0 || mb > 1L << 20) mb = 64;
	}
	return mb ? page_cache_new((size_t)mb << 20) : NULL;
}

static bool ensure_dir(const char *path)
{
	if (mkdir(path, 0750) == 0 || errno == EEXIST) return true;
	fprintf(stderr, "chiso serve: không tạo được thư mục %s: %s\n", path, strerror(errno));
	return false;
}

/* The worker threads' connections may close at the same moment, so that
 * none of them is the last one and the WAL stays behind: fold it into the
 * database once more from here, after they are all gone. */
static void checkpoint_on_exit(const char *target)
{
	db *d = NULL;
	if (db_open(target, &d, NULL) != DB_OK) return;
	if (db_kind(d) == DB_SQLITE) db_exec(d, "PRAGMA wal_checkpoint(TRUNCATE)");
	db_close(d);
}

/* --base-url (or CHISO_BASE_URL): http(s)://host[:port][/path], printable
 * ASCII without quotes, spaces or angle brackets; a trailing '/' is
 * dropped. Without it, the address the server listens on. */
static char *base_url(const char *given, const char *host, int port)
{
	if (!given || !*given) {
		buf b;
		buf_init(&b);
		buf_printf(&b, "http://%s:%d", host, port);
		return buf_take(&b);
	}
	if (strncmp(given, "http://", 7) != 0 && strncmp(given, "https://", 8) != 0) return NULL;
	for (const unsigned char *p = (const unsigned char *)given; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"'<>\\`", *p)) return NULL;
	char *u = xstrdup(given);
	size_t n = strlen(u);
	while (n > 8 && u[n - 1] == '/') u[--n] = '\0';
	return u;
}

/* The default worker pool on SQLite: one per core, at least two. SQLite
 * runs in the process, so a worker waits on nothing but the writer before
 * it (db_sqlite.c's write gate), and every other connection has its page
 * cache dropped by each write — at 64 connections on 2 cores, 8 workers
 * spent ~40% more CPU per save than 1–2 (issue 19, docs/benchmarks.md). */
static int sqlite_threads(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores > 2 ? (int)(cores < HTTP_THREADS_DEFAULT_MAX ? cores : HTTP_THREADS_DEFAULT_MAX) : 2;
}

int cmd_serve(int argc, char **argv)
{
	const char *target = cmd_default_db(), *host = "127.0.0.1", *blobs = NULL, *secret_file = NULL;
	const char *base = getenv("CHISO_BASE_URL");
	int port = 8080, threads = 0;   /* 0: SQLite one per core, else http.c's default, 4 per core */
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0 && i + 1 < argc) target = argv[++i];
		else if (strcmp(a, "--host") == 0 && i + 1 < argc) host = argv[++i];
		else if (strcmp(a, "--port") == 0 && i + 1 < argc) port = atoi(argv[++i]);
		else if (strcmp(a, "--blobs") == 0 && i + 1 < argc) blobs = argv[++i];
		else if (strcmp(a, "--base-url") == 0 && i + 1 < argc) base = argv[++i];
		else if (strcmp(a, "--secret-file") == 0 && i + 1 < argc) secret_file = argv[++i];
		else if (strcmp(a, "--quiet") == 0) quiet = true;
		else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
			threads = atoi(argv[++i]);
			if (threads < 1 || threads > HTTP_THREADS_MAX) {
				fprintf(stderr, "chiso serve: --threads cần một số từ 1 đến %d\n", HTTP_THREADS_MAX);
				return EXIT_BADINPUT;
			}
		}
		else {
			fprintf(stderr, "Cách dùng (usage): chiso serve [--db PATH|postgresql://…] [--host 127.0.0.1] [--port 8080] "
			                "[--blobs DIR] [--base-url https://…] [--secret-file PATH] [--threads N] [--quiet]\n");
			return EXIT_BADINPUT;
		}
	}
	if (port <= 0 || port > 65535) { fprintf(stderr, "chiso serve: cổng không hợp lệ\n"); return EXIT_BADINPUT; }
	char *url = base_url(base, host, port);
	if (!url) {
		fprintf(stderr, "chiso serve: địa chỉ công khai (--base-url) không hợp lệ: cần dạng https://ten-mien[/duong-dan]\n");
		return EXIT_BADINPUT;
	}
	db *d = cmd_open_db(target);
	if (!d) { free(url); return EXIT_FAIL; }
	if (threads == 0 && db_kind(d) == DB_SQLITE) threads = sqlite_threads();
	db_close(d);
	buf bdir;
	buf_init(&bdir);
	if (blobs) buf_puts(&bdir, blobs);
	else if (strncmp(target, "postgres", 8) == 0 || strncmp(target, "pg:", 3) == 0) buf_puts(&bdir, "chiso-files");
	else buf_printf(&bdir, "%s-files", target);
	buf tmp;
	buf_init(&tmp);
	buf_printf(&tmp, "%s/.tmp", buf_str(&bdir));
	int rc = EXIT_FAIL;
	const char *trips = getenv("CHISO_ROUND_TRIPS");
	web_app app = { .db_target = target, .blob_dir = buf_str(&bdir), .base_url = url,
	                .round_trips_header = trips && strcmp(trips, "1") == 0 };
	if (ensure_dir(buf_str(&bdir)) && ensure_dir(buf_str(&tmp)) && cmd_server_secret(secret_file, target, app.secret)) {
		fw_catalog_load_default(&app.frameworks, NULL);
		/* and the versions published on the administration pages */
		db *fd = cmd_open_db(target);
		if (fd) {
			fw_catalog_sync_db(&app.frameworks, fd, 0, &app.frameworks.errors);
			db_close(fd);
		}
		if (app.frameworks.errors.len) fputs(buf_str(&app.frameworks.errors), stderr);
		printf("Chiso đang chạy: http://%s:%d/  (cơ sở dữ liệu: %s; dừng: Ctrl+C)\n", host, port, target);
		fflush(stdout);
		/* background jobs (batch documents) run beside the requests, never in them */
		job_worker_cfg jc = { .db_target = target, .blob_dir = buf_str(&bdir), .cat = &app.frameworks, .secret = app.secret,
		                      .base_url = url };
		job_worker_start(&jc);
		/* the round summary's aggregates: kept by every write of this
		 * server, rebuilt beside the requests when stale (round_agg.h) */
		round_agg_enable(&app.frameworks);
		round_agg_worker_start(target, &app.frameworks);
		app.page_cache = page_cache_new_from_env();
		rc = web_serve(&app, host, port, threads, quiet) == 0 ? EXIT_OK : EXIT_FAIL;
		round_agg_worker_stop();
		page_cache_free(app.page_cache);
		job_worker_stop();
		fw_catalog_free(&app.frameworks);
		checkpoint_on_exit(target);
	}
	sodium_memzero(app.secret, sizeof app.secret);
	buf_free(&tmp);
	buf_free(&bdir);
	free(url);
	return rc;
}
