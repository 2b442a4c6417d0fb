/* db_pg.c — the PostgreSQL backend of db.h, over libpq.
 *
 * Statements are prepared once per connection with PQprepare under a
 * generated name and run with PQexecPrepared; parameters travel as text
 * (blobs as binary), results come back as text and are converted on access.
 * Results are fetched whole: pages ask for bounded row counts; a streaming
 * (single-row mode) variant can come when an export needs it.
 *
 * Writers serialise on one transaction-scoped advisory lock, which gives
 * PostgreSQL the same one-writer-at-a-time semantics as SQLite's BEGIN
 * IMMEDIATE: the audit chain needs a total order, and the read-then-write
 * numbering (answer versions, evidence codes, audit seq) stays correct under
 * READ COMMITTED. lock_timeout plays the role of SQLite's busy timeout.
 * A write batch (db_write_batch: the answer save) sends BEGIN, the lock, its
 * statements and COMMIT in one libpq pipeline, so that lock is held only
 * while the server runs them, never across a turn of the client. */
#include "db_impl.h"
#include "util.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BYTEAOID = 17 };

typedef struct pg_stmt {
	struct db_stmt base;
	char name[24];
	char *sql;              /* as sent to the server ($n placeholders) */
	unsigned generation;    /* the connection it was prepared on */
	int nparams;
	char **values;          /* owned copies; NULL = SQL NULL */
	int *lengths, *formats;
	PGresult *res;
	int row, nrows;
	struct pg_bytea { unsigned char *p; size_t n; } *decoded;  /* unescaped bytea per column, current row */
} pg_stmt;

typedef struct pg_conn {
	PGconn *conn;
	unsigned next_name;
	unsigned generation;    /* bumped on every reconnect */
	int lock_timeout_ms;
} pg_conn;

#define PC(d) ((pg_conn *)(d)->conn)
#define PS(s) ((pg_stmt *)(s))

static int map_sqlstate(const char *st)
{
	if (!st) return DB_ERROR;
	if (strncmp(st, "23", 2) == 0) return DB_ECONSTRAINT;
	if (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03"))
		return DB_EBUSY;
	return DB_ERROR;
}

static int fail_result(db *d, PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : NULL;
	if (!msg || !*msg) msg = PQerrorMessage(PC(d)->conn);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
	return db_fail(d, map_sqlstate(st), "postgresql: %.*s%s%s%s", (int)n, msg,
		st ? " [" : "", st ? st : "", st ? "]" : "");
}

static void ignore_notice(void *arg, const char *message)
{
	/* "relation already exists, skipping" and friends: not for stderr. */
	(void)arg;
	(void)message;
}

static void pg_close(db *d)
{
	if (!d->conn) return;
	PQfinish(PC(d)->conn);
	free(d->conn);
	d->conn = NULL;
}

static int session_setup(db *d);

/* A connection lost outside a transaction (server restart, failover, idle
 * timeout) is re-established once, transparently: nothing was in flight.
 * Inside a transaction the work is gone and the caller must hear it. */
static bool pg_alive(db *d)
{
	pg_conn *pc = PC(d);
	if (PQstatus(pc->conn) == CONNECTION_OK) return true;
	if (d->depth > 0) return false;
	PQreset(pc->conn);
	if (PQstatus(pc->conn) != CONNECTION_OK) return false;
	/* Prepared statements died with the old session. */
	pc->generation++;
	return session_setup(d) == DB_OK;
}

static int pg_exec(db *d, const char *sql)
{
	pg_alive(d);
	PGresult *res = PQexec(PC(d)->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = DB_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) rc = fail_result(d, res);
	PQclear(res);
	return rc;
}

static int pg_exec_row(db *d, const char *sql, arena *a, char **c0, char **c1, bool *found)
{
	pg_alive(d);
	/* A simple query of several statements: one round trip, and PQexec
	 * returns the last statement's result (or the first error). */
	PGresult *res = PQexec(PC(d)->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = DB_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = fail_result(d, res);
	} else if (st == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) >= 2) {
		*found = true;
		*c0 = PQgetisnull(res, 0, 0) ? NULL : arena_strdup(a, PQgetvalue(res, 0, 0));
		*c1 = PQgetisnull(res, 0, 1) ? NULL : arena_strdup(a, PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return rc;
}

static int pg_set_lock_timeout(db *d, int ms)
{
	PC(d)->lock_timeout_ms = ms;
	char sql[64];
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms);
	return pg_exec(d, sql);
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
	int n = 0;
	pg_alive(d);
	char *pgsql = db_sql_to_pg(sql, &n);
	pg_stmt *s = xcalloc(1, sizeof *s);
	snprintf(s->name, sizeof s->name, "chiso_%u", ++PC(d)->next_name);
	PGresult *res = PQprepare(PC(d)->conn, s->name, pgsql, n, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fail_result(d, res);
		PQclear(res);
		free(pgsql);
		free(s);
		return NULL;
	}
	PQclear(res);
	s->sql = pgsql;
	s->generation = PC(d)->generation;
	s->nparams = n;
	if (n) {
		s->values = xcalloc((size_t)n, sizeof *s->values);
		s->lengths = xcalloc((size_t)n, sizeof *s->lengths);
		s->formats = xcalloc((size_t)n, sizeof *s->formats);
	}
	s->row = -1;
	return &s->base;
}

static void free_decoded(pg_stmt *s)
{
	if (!s->decoded || !s->res) return;
	int nc = PQnfields(s->res);
	for (int i = 0; i < nc; i++) {
		if (s->decoded[i].p) PQfreemem(s->decoded[i].p);
		s->decoded[i].p = NULL;
	}
}

static void pg_reset(db_stmt *b)
{
	pg_stmt *s = PS(b);
	free_decoded(s);
	free(s->decoded);
	s->decoded = NULL;
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	for (int i = 0; i < s->nparams; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
}

static void pg_finalize(db_stmt *b)
{
	pg_stmt *s = PS(b);
	pg_reset(b);
	/* Cached statements die with the connection; a one-off one would
	 * otherwise stay prepared on the server until then. */
	if (!b->cached && b->d->conn) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PQclear(PQexec(PC(b->d)->conn, sql));
	}
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->sql);
	free(s);
}

static int check_index(db_stmt *b, int i)
{
	if (i < 1 || i > PS(b)->nparams)
		return db_fail(b->d, DB_EMISUSE, "postgresql: parameter %d out of range (1..%d)",
			i, PS(b)->nparams);
	return DB_OK;
}

static int set_param(db_stmt *b, int i, char *v, int len, int format)
{
	int rc = check_index(b, i);
	if (rc != DB_OK) {
		free(v);
		return rc;
	}
	pg_stmt *s = PS(b);
	free(s->values[i - 1]);
	s->values[i - 1] = v;
	s->lengths[i - 1] = len;
	s->formats[i - 1] = format;
	return DB_OK;
}

static int pg_bind_text(db_stmt *b, int i, const char *t)
{
	return set_param(b, i, xstrdup(t), 0, 0);
}

static int pg_bind_int64(db_stmt *b, int i, int64_t v)
{
	char tmp[24];
	snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	return set_param(b, i, xstrdup(tmp), 0, 0);
}

static int pg_bind_null(db_stmt *b, int i)
{
	return set_param(b, i, NULL, 0, 0);
}

static int pg_bind_blob(db_stmt *b, int i, const void *p, size_t n)
{
	if (n > 0x7fffffff) return db_fail(b->d, DB_EINVAL, "postgresql: blob too large");
	char *copy = xmalloc(n ? n : 1);
	if (n) memcpy(copy, p, n);
	return set_param(b, i, copy, (int)n, 1);
}

static int pg_step(db_stmt *b)
{
	pg_stmt *s = PS(b);
	db *d = b->d;
	if (!s->res) {
		if (!pg_alive(d)) return fail_result(d, NULL);
		if (s->generation != PC(d)->generation) {
			/* Prepared on a connection since replaced: prepare again. */
			PGresult *pr = PQprepare(PC(d)->conn, s->name, s->sql, s->nparams, NULL);
			int ok = PQresultStatus(pr) == PGRES_COMMAND_OK;
			int rc = ok ? DB_OK : fail_result(d, pr);
			PQclear(pr);
			if (!ok) return rc;
			s->generation = PC(d)->generation;
		}
		PGresult *res = PQexecPrepared(PC(d)->conn, s->name, s->nparams,
			(const char *const *)s->values, s->lengths, s->formats, 0);
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			int rc = fail_result(d, res);
			PQclear(res);
			return rc;
		}
		s->res = res;
		s->nrows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
		s->row = -1;
		const char *ct = PQcmdTuples(res);
		if (ct && *ct) d->changes = strtoll(ct, NULL, 10);
		int nc = PQnfields(res);
		if (nc) s->decoded = xcalloc((size_t)nc, sizeof *s->decoded);
	}
	free_decoded(s);
	if (s->row + 1 < s->nrows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->nrows;
	return DB_DONE;
}

static bool have_row(pg_stmt *s, int c)
{
	return s->res && s->row >= 0 && s->row < s->nrows && c >= 0 && c < PQnfields(s->res);
}

static int pg_param_count(db_stmt *b) { return PS(b)->nparams; }

static int pg_column_count(db_stmt *b)
{
	return PS(b)->res ? PQnfields(PS(b)->res) : 0;
}

static bool pg_col_null(db_stmt *b, int c)
{
	pg_stmt *s = PS(b);
	return !have_row(s, c) || PQgetisnull(s->res, s->row, c);
}

static const char *pg_col_text(db_stmt *b, int c)
{
	pg_stmt *s = PS(b);
	if (pg_col_null(b, c)) return NULL;
	return PQgetvalue(s->res, s->row, c);
}

static int64_t pg_col_int64(db_stmt *b, int c)
{
	const char *t = pg_col_text(b, c);
	if (!t) return 0;
	/* Comparisons and EXISTS come back as booleans on PostgreSQL and as
	 * 0/1 on SQLite: read both as integers. */
	if (t[0] == 't' && !t[1]) return 1;
	if (t[0] == 'f' && !t[1]) return 0;
	return strtoll(t, NULL, 10);
}

static const void *pg_col_blob(db_stmt *b, int c, size_t *n)
{
	pg_stmt *s = PS(b);
	*n = 0;
	if (pg_col_null(b, c)) return NULL;
	if (PQftype(s->res, c) != BYTEAOID) {
		*n = (size_t)PQgetlength(s->res, s->row, c);
		return PQgetvalue(s->res, s->row, c);
	}
	if (!s->decoded[c].p) {
		s->decoded[c].p = PQunescapeBytea(
			(const unsigned char *)PQgetvalue(s->res, s->row, c), &s->decoded[c].n);
		if (!s->decoded[c].p) fatal("out of memory (bytea)");
	}
	*n = s->decoded[c].n;
	return s->decoded[c].p;
}

/* Prepares s again on a connection that replaced the one it was prepared
 * on (a reconnect outside a transaction). */
static int ensure_prepared(db *d, pg_stmt *s)
{
	if (s->generation == PC(d)->generation) return DB_OK;
	PGresult *pr = PQprepare(PC(d)->conn, s->name, s->sql, s->nparams, NULL);
	int rc = PQresultStatus(pr) == PGRES_COMMAND_OK ? DB_OK : fail_result(d, pr);
	PQclear(pr);
	if (rc == DB_OK) s->generation = PC(d)->generation;
	return rc;
}

#define WRITE_LOCK_SQL "SELECT pg_advisory_xact_lock(7243120405071)"

static bool send_simple(PGconn *c, const char *sql)
{
	return PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
}

static bool send_batch(PGconn *c, db_stmt *const *stmts, size_t n)
{
	if (!send_simple(c, "BEGIN") || !send_simple(c, WRITE_LOCK_SQL)) return false;
	for (size_t i = 0; i < n; i++) {
		pg_stmt *s = PS(stmts[i]);
		if (PQsendQueryPrepared(c, s->name, s->nparams, (const char *const *)s->values,
		                        s->lengths, s->formats, 0) != 1)
			return false;
	}
	return send_simple(c, "COMMIT") && PQpipelineSync(c) == 1;
}

/* Reads the results of `queries` pipelined queries and the sync; the first
 * error becomes the handle's. */
static int read_batch(db *d, size_t queries)
{
	PGconn *c = PC(d)->conn;
	int rc = DB_OK;
	size_t ended = 0;
	while (ended < queries) {
		PGresult *r = PQgetResult(c);
		if (!r) {
			ended++;   /* one query's results are complete */
			continue;
		}
		ExecStatusType st = PQresultStatus(r);
		if (rc == DB_OK && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_PIPELINE_ABORTED)
			rc = fail_result(d, r);
		PQclear(r);
		if (PQstatus(c) != CONNECTION_OK) return rc != DB_OK ? rc : fail_result(d, NULL);
	}
	PGresult *sync = PQgetResult(c);
	if (rc == DB_OK && PQresultStatus(sync) != PGRES_PIPELINE_SYNC) rc = fail_result(d, sync);
	PQclear(sync);
	return rc;
}

/* db_write_batch outside a transaction: BEGIN, the lock, the statements and
 * COMMIT in one pipeline, one round trip. After an error the server skips
 * the rest up to the sync and the transaction is left aborted: ROLLBACK. */
static int pg_write_batch(db *d, db_stmt *const *stmts, size_t n)
{
	if (!pg_alive(d)) return fail_result(d, NULL);
	for (size_t i = 0; i < n; i++) {
		int rc = ensure_prepared(d, PS(stmts[i]));
		if (rc != DB_OK) return rc;
	}
	PGconn *c = PC(d)->conn;
	if (PQenterPipelineMode(c) != 1) return fail_result(d, NULL);
	int rc = send_batch(c, stmts, n) ? read_batch(d, n + 3) : fail_result(d, NULL);
	if (PQexitPipelineMode(c) != 1) {
		/* results still pending: the connection is in an unknown state */
		if (rc == DB_OK) rc = fail_result(d, NULL);
		PQreset(c);
		PC(d)->generation++;
		if (PQstatus(c) == CONNECTION_OK) session_setup(d);
		return rc;
	}
	if (PQtransactionStatus(c) != PQTRANS_IDLE) PQclear(PQexec(c, "ROLLBACK"));
	return rc;
}

/* COPY … FROM STDIN (db_copy.c). */
static int pg_copy_begin(db *d, const char *sql)
{
	if (!pg_alive(d)) return fail_result(d, NULL);
	PGresult *res = PQexec(PC(d)->conn, sql);
	int rc = PQresultStatus(res) == PGRES_COPY_IN ? DB_OK : fail_result(d, res);
	PQclear(res);
	return rc;
}

static int pg_copy_send(db *d, const char *p, size_t n)
{
	if (n > 0x7fffffff) return db_fail(d, DB_EMISUSE, "postgresql: COPY piece too large");
	return PQputCopyData(PC(d)->conn, p, (int)n) == 1 ? DB_OK : fail_result(d, NULL);
}

/* Ends the copy and reads its result: the server's verdict on every row
 * (an error in a row surfaces here, the rows after it were discarded). */
static int pg_copy_end(db *d, const char *abandon)
{
	PGconn *c = PC(d)->conn;
	int rc = PQputCopyEnd(c, abandon) == 1 ? DB_OK : fail_result(d, NULL);
	PGresult *r;
	while ((r = PQgetResult(c)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COMMAND_OK) {
			const char *ct = PQcmdTuples(r);
			if (ct && *ct) d->changes = strtoll(ct, NULL, 10);
		} else if (rc == DB_OK) {
			rc = fail_result(d, r);
		}
		PQclear(r);
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || PQstatus(c) != CONNECTION_OK) break;
	}
	return rc;
}

static const db_ops pg_ops = {
	.kind = DB_PG,
	.name = "postgresql",
	.id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.blob_type = "BYTEA",
	.begin_write_sql = "BEGIN; " WRITE_LOCK_SQL,
	.begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	/* A generic plan cannot see that a page is LIMIT 100 after one key with
	 * a filter of optional parameters: it scanned and sorted the whole
	 * table for every page (the open data at 50,000 schools: 15 s). */
	.begin_scan_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan",
	.close = pg_close,
	.exec = pg_exec,
	.set_lock_timeout = pg_set_lock_timeout,
	.exec_row = pg_exec_row,
	.write_batch = pg_write_batch,
	.prepare = pg_prepare,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.bind_text = pg_bind_text,
	.bind_int64 = pg_bind_int64,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.param_count = pg_param_count,
	.step = pg_step,
	.column_count = pg_column_count,
	.col_null = pg_col_null,
	.col_text = pg_col_text,
	.col_int64 = pg_col_int64,
	.col_blob = pg_col_blob,
	.copy_begin = pg_copy_begin,
	.copy_send = pg_copy_send,
	.copy_end = pg_copy_end,
};

int db_pg_open(db *d, const char *conninfo)
{
	d->ops = &pg_ops;
	pg_conn *pc = xcalloc(1, sizeof *pc);
	pc->lock_timeout_ms = 5000;
	d->conn = pc;
	pc->conn = PQconnectdb(conninfo);
	if (!pc->conn) return db_fail(d, DB_ERROR, "postgresql: out of memory");
	if (PQstatus(pc->conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(pc->conn);
		size_t n = strlen(m);
		while (n && m[n - 1] == '\n') n--;
		return db_fail(d, DB_ERROR, "postgresql: cannot connect: %.*s", (int)n, m);
	}
	PQsetNoticeProcessor(pc->conn, ignore_notice, NULL);
	return session_setup(d);
}

/* Per-session settings, again after every reconnect. */
static int session_setup(db *d)
{
	PGconn *c = PC(d)->conn;
	if (PQsetClientEncoding(c, "UTF8") != 0)
		return db_fail(d, DB_ERROR, "postgresql: cannot use UTF8 client encoding");
	char sql[96];
	/* jit off: compiling a page's plan costs more than running it (the
	 * province page's query at 50,000 schools: 0.6 s of JIT in 2.4 s) */
	snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET standard_conforming_strings = on; SET jit = off",
		PC(d)->lock_timeout_ms);
	PGresult *res = PQexec(c, sql);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : fail_result(d, res);
	PQclear(res);
	return rc;
}
