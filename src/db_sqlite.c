/* db_sqlite.c — the SQLite backend of db.h: the embedded default.
 *
 * One connection per thread, opened NOMUTEX (Debian builds SQLite with
 * THREADSAFE=1, which would otherwise serialise every call on a mutex).
 * WAL + synchronous=NORMAL survives kill -9 (Debian's default for WAL is
 * FULL, ~15x slower per commit); foreign keys are off by default in SQLite
 * and must be switched on per connection; writers wait up to 5 s for the
 * lock, which together with BEGIN IMMEDIATE makes concurrent writers queue
 * instead of failing (engineering notes §3.3). */
#include "db_impl.h"
#include "util.h"
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
} sq_stmt;

/* The writers' gate of one database file: this process's connections to
 * it take their write transactions in turn on a mutex (woken the moment
 * the writer before commits) instead of in SQLite's busy handler, which
 * sleeps 1, 2, 5, 10… ms between tries and let a save wait hundreds of
 * milliseconds behind writers that came later (issue 19). Other processes
 * (a command beside the server) still meet the busy timeout. */
typedef struct sq_gate {
	char *path;
	pthread_mutex_t mu;
} sq_gate;

enum { GATES_MAX = 32 };
static pthread_mutex_t gates_mu = PTHREAD_MUTEX_INITIALIZER;
static sq_gate gates[GATES_MAX];
static size_t ngates;

/* The connection: SQLite's handle, its file's gate (NULL: none, an
 * in-memory or temporary database) and whether it holds it. */
typedef struct sq_conn {
	sqlite3 *c;
	sq_gate *gate;
	bool held;
	int timeout_ms;   /* the lock timeout: the longest wait at the gate too */
	sqlite3_stmt *tx[3];   /* BEGIN IMMEDIATE, COMMIT, ROLLBACK: prepared once */
} sq_conn;

static const char *const tx_sql[3] = { "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK" };

#define SQC(d) ((sq_conn *)(d)->conn)
#define CONN(d) (SQC(d)->c)

/* The gate of `path` (the file's full name), made on first use; lives as
 * long as the process. NULL when there is no file or no room. */
static sq_gate *gate_for(const char *path)
{
	if (!path || !*path) return NULL;
	sq_gate *g = NULL;
	pthread_mutex_lock(&gates_mu);
	for (size_t i = 0; i < ngates && !g; i++)
		if (strcmp(gates[i].path, path) == 0) g = &gates[i];
	if (!g && ngates < GATES_MAX) {
		g = &gates[ngates++];
		g->path = xstrdup(path);
		pthread_mutex_init(&g->mu, NULL);
	}
	pthread_mutex_unlock(&gates_mu);
	return g;
}

/* Waits its turn, at most the lock timeout, as SQLite's busy handler
 * would; false when the turn did not come (the caller answers "locked",
 * as SQLite would have). */
static bool gate_enter(sq_conn *c)
{
	if (!c->gate || c->held) return true;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += c->timeout_ms / 1000;
	until.tv_nsec += (long)(c->timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int rc;
	while ((rc = pthread_mutex_timedlock(&c->gate->mu, &until)) == EINTR) {}
	c->held = rc == 0;
	return c->held;
}

static void gate_leave(sq_conn *c)
{
	if (!c->held) return;
	c->held = false;
	pthread_mutex_unlock(&c->gate->mu);
}

/* After any statement: a connection back in autocommit mode (COMMIT,
 * ROLLBACK, or SQLite's own rollback after an error) has no write
 * transaction left, and lets the next writer in. */
static void gate_check(sq_conn *c)
{
	if (c->held && sqlite3_get_autocommit(c->c)) gate_leave(c);
}

#define ST(s) (((sq_stmt *)(s))->st)

static int map_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: return DB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_EBUSY;
	case SQLITE_CONSTRAINT: return DB_ECONSTRAINT;
	case SQLITE_MISUSE:
	case SQLITE_RANGE: return DB_EMISUSE;
	default: return DB_ERROR;
	}
}

static int fail_sqlite(db *d, int rc)
{
	return db_fail(d, map_code(rc), "sqlite: %s", sqlite3_errmsg(CONN(d)));
}

static void sq_close(db *d)
{
	sq_conn *c = SQC(d);
	if (!c) return;
	for (size_t i = 0; i < 3; i++) sqlite3_finalize(c->tx[i]);
	sqlite3_close_v2(c->c);
	gate_leave(c);
	free(c);
	d->conn = NULL;
}

/* A transaction's own statement, prepared on first use and kept (they
 * are most of what a save sends besides its three statements); false when
 * sql is not one. */
static bool tx_exec(db *d, const char *sql, int *out)
{
	sq_conn *c = SQC(d);
	size_t i = 0;
	while (i < 3 && strcmp(sql, tx_sql[i]) != 0) i++;
	if (i == 3) return false;
	int rc = c->tx[i] ? SQLITE_OK : sqlite3_prepare_v3(c->c, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->tx[i], NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(c->tx[i]);
		sqlite3_reset(c->tx[i]);
	}
	gate_check(c);
	*out = rc == SQLITE_DONE ? DB_OK : fail_sqlite(d, rc);
	return true;
}

static int sq_exec(db *d, const char *sql)
{
	char *msg = NULL;
	/* db.c begins every write transaction with the ops' begin_write_sql */
	if (strcmp(sql, "BEGIN IMMEDIATE") == 0 && !gate_enter(SQC(d)))
		return db_fail(d, DB_EBUSY, "sqlite: database is locked (another writer of this process)");
	int rc;
	if (tx_exec(d, sql, &rc)) return rc;
	rc = sqlite3_exec(CONN(d), sql, NULL, NULL, &msg);
	gate_check(SQC(d));
	if (rc != SQLITE_OK) {
		int code = db_fail(d, map_code(rc), "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return DB_OK;
}

static int sq_set_lock_timeout(db *d, int ms)
{
	sqlite3_busy_timeout(CONN(d), ms);
	SQC(d)->timeout_ms = ms;
	return DB_OK;
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(CONN(d), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		fail_sqlite(d, rc);
		sqlite3_finalize(st);
		return NULL;
	}
	sq_stmt *s = xcalloc(1, sizeof *s);
	s->st = st;
	return &s->base;
}

static void sq_reset(db_stmt *s)
{
	sqlite3_reset(ST(s));
	sqlite3_clear_bindings(ST(s));
}

static void sq_finalize(db_stmt *s)
{
	sqlite3_finalize(ST(s));
	free(s);
}

static int bind_rc(db_stmt *s, int rc)
{
	return rc == SQLITE_OK ? DB_OK : fail_sqlite(s->d, rc);
}

static int sq_bind_text(db_stmt *s, int i, const char *t)
{
	return bind_rc(s, sqlite3_bind_text(ST(s), i, t, -1, SQLITE_TRANSIENT));
}

static int sq_bind_int64(db_stmt *s, int i, int64_t v)
{
	return bind_rc(s, sqlite3_bind_int64(ST(s), i, v));
}

static int sq_bind_null(db_stmt *s, int i)
{
	return bind_rc(s, sqlite3_bind_null(ST(s), i));
}

static int sq_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
	return bind_rc(s, sqlite3_bind_blob64(ST(s), i, p ? p : "", n, SQLITE_TRANSIENT));
}

static int sq_step(db_stmt *s)
{
	int rc = sqlite3_step(ST(s));
	if (rc == SQLITE_ROW) return DB_ROW;
	gate_check(SQC(s->d));
	if (rc == SQLITE_DONE) {
		if (!sqlite3_stmt_readonly(ST(s))) s->d->changes = sqlite3_changes64(CONN(s->d));
		return DB_DONE;
	}
	return fail_sqlite(s->d, rc);
}

static int sq_column_count(db_stmt *s) { return sqlite3_column_count(ST(s)); }
static int sq_param_count(db_stmt *s) { return sqlite3_bind_parameter_count(ST(s)); }

static bool sq_col_null(db_stmt *s, int c)
{
	return sqlite3_column_type(ST(s), c) == SQLITE_NULL;
}

static const char *sq_col_text(db_stmt *s, int c)
{
	return (const char *)sqlite3_column_text(ST(s), c);
}

static int64_t sq_col_int64(db_stmt *s, int c)
{
	return sqlite3_column_int64(ST(s), c);
}

static const void *sq_col_blob(db_stmt *s, int c, size_t *n)
{
	const void *p = sqlite3_column_blob(ST(s), c);
	*n = (size_t)sqlite3_column_bytes(ST(s), c);
	return p;
}

static const db_ops sqlite_ops = {
	.kind = DB_SQLITE,
	.name = "sqlite",
	.id_type = "INTEGER PRIMARY KEY",    /* the rowid alias: must be spelt exactly so */
	.blob_type = "BLOB",
	.begin_write_sql = "BEGIN IMMEDIATE",
	.begin_read_sql = "BEGIN",
	.begin_scan_sql = "BEGIN",
	.close = sq_close,
	.exec = sq_exec,
	.set_lock_timeout = sq_set_lock_timeout,
	.prepare = sq_prepare,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.bind_text = sq_bind_text,
	.bind_int64 = sq_bind_int64,
	.bind_null = sq_bind_null,
	.bind_blob = sq_bind_blob,
	.param_count = sq_param_count,
	.step = sq_step,
	.column_count = sq_column_count,
	.col_null = sq_col_null,
	.col_text = sq_col_text,
	.col_int64 = sq_col_int64,
	.col_blob = sq_col_blob,
};

/* PostgreSQL's convert_to(text, 'UTF8'), sha256(bytea) and encode(bytea,
 * 'hex'), so that SQL computing a SHA-256 (audit.c's self-chaining audit
 * row, audit_chain_stmt) is written once for both engines. SQLite text is
 * already UTF-8: convert_to only turns it into a blob of its bytes. */
static void fn_convert_to(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
	const unsigned char *t = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	sqlite3_result_blob(cx, t ? (const void *)t : "", n, SQLITE_TRANSIENT);
}

static void fn_sha256(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
	const void *p = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p ? p : (const void *)"", (unsigned long long)n);
	sqlite3_result_blob(cx, h, sizeof h, SQLITE_TRANSIENT);
}

static void fn_encode(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *how = sqlite3_value_text(argv[1]);
	if (!how || strcmp((const char *)how, "hex") != 0) {
		sqlite3_result_error(cx, "encode: only 'hex' is supported", -1);
		return;
	}
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
	const unsigned char *p = sqlite3_value_blob(argv[0]);
	size_t n = (size_t)sqlite3_value_bytes(argv[0]);
	char *hex = xmalloc(2 * n + 1);
	sodium_bin2hex(hex, 2 * n + 1, p ? p : (const unsigned char *)"", n);
	sqlite3_result_text(cx, hex, (int)(2 * n), free);
}

static int add_functions(sqlite3 *conn)
{
	const int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = sqlite3_create_function(conn, "convert_to", 2, f, NULL, fn_convert_to, NULL, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_create_function(conn, "sha256", 1, f, NULL, fn_sha256, NULL, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_create_function(conn, "encode", 2, f, NULL, fn_encode, NULL, NULL);
	return rc;
}

/* Before SQLite's first use in the process: no memory statistics, which
 * take one process-wide mutex around every allocation of every connection
 * (with a server's threads, a tenth of a save's CPU went to that mutex's
 * wake-ups; issue 19). Nothing reads them. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static void config_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_sqlite_open(db *d, const char *path)
{
	pthread_once(&config_once, config_sqlite);
	sqlite3 *conn = NULL;
	d->ops = &sqlite_ops;
	int rc = sqlite3_open_v2(path, &conn,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	sq_conn *c = xcalloc(1, sizeof *c);
	c->c = conn;
	c->timeout_ms = 5000;
	d->conn = c;
	if (rc != SQLITE_OK) {
		if (conn) return db_fail(d, map_code(rc), "sqlite: cannot open %s: %s", path,
			sqlite3_errmsg(conn));
		return db_fail(d, DB_ERROR, "sqlite: cannot open %s", path);
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, 5000);
	if ((rc = add_functions(conn)) != SQLITE_OK)
		return db_fail(d, map_code(rc), "sqlite: cannot add functions: %s", sqlite3_errmsg(conn));
	/* journal_mode=WAL is persistent in the file; the others are per
	 * connection and must be set on every open. */
	rc = sq_exec(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		" PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;");
	c->gate = gate_for(sqlite3_db_filename(conn, "main"));
	return rc;
}
