/* db.c — the backend-independent half of the storage interface: opening by
 * target, errors, the statement cache, nested transactions,
 * migrations, placeholder translation and small shorthands. The engines
 * themselves are in db_sqlite.c and db_pg.c behind db_ops. */
#include "db_impl.h"
#include "util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int db_open(const char *target, db **out, char **errmsg)
{
	*out = NULL;
	if (errmsg) *errmsg = NULL;
	if (!target || !*target) {
		if (errmsg) *errmsg = xstrdup("no database given");
		return DB_EINVAL;
	}
	db *d = xcalloc(1, sizeof *d);
	int rc;
	if (has_prefix(target, "postgresql://") || has_prefix(target, "postgres://"))
		rc = db_pg_open(d, target);
	else if (has_prefix(target, "pg:"))
		rc = db_pg_open(d, target + 3);
	else
		rc = db_sqlite_open(d, target);
	if (rc != DB_OK) {
		if (errmsg) *errmsg = xstrdup(d->errmsg ? d->errmsg : "cannot open database");
		if (d->ops && d->conn) d->ops->close(d);
		free(d->errmsg);
		free(d);
		return rc;
	}
	*out = d;
	return DB_OK;
}

void db_close(db *d)
{
	if (!d) return;
	if (d->depth > 0) {
		/* An open transaction at close is a bug upstream; never commit it. */
		d->depth = 1;
		db_rollback(d);
	}
	db_stmt *s = d->cache;
	while (s) {
		db_stmt *n = s->next;
		free(s->key);
		d->ops->finalize(s);
		s = n;
	}
	d->ops->close(d);
	free(d->errmsg);
	free(d);
}

db_backend db_kind(const db *d) { return d->ops->kind; }
const char *db_kind_name(const db *d) { return d->ops->name; }
int db_errcode(const db *d) { return d->errcode; }
const char *db_errmsg(const db *d) { return d->errmsg ? d->errmsg : ""; }

int db_fail(db *d, int code, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);  // NOLINT(clang-analyzer-valist.Uninitialized): started above
	va_end(ap);
	char *m = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	if (n > 0) vsnprintf(m, (size_t)n + 1, fmt, ap2);  // NOLINT(clang-analyzer-valist.Uninitialized): va_copy above
	else m[0] = '\0';
	va_end(ap2);
	free(d->errmsg);
	d->errmsg = m;
	d->errcode = code;
	return code;
}

void db_clear_error(db *d)
{
	free(d->errmsg);
	d->errmsg = NULL;
	d->errcode = DB_OK;
}

/* ---- statements ---------------------------------------------------- */

db_stmt *db_prepare(db *d, const char *sql)
{
	/* SQL is nearly always a string literal: the statement last prepared
	 * from the same pointer is the fast path (one strcmp, since a built
	 * string's buffer may hold other SQL by now), a strcmp of every
	 * cached statement the fallback. */
	for (db_stmt *s = d->cache; s; s = s->next) {
		if (!s->in_use && s->lit == sql && strcmp(s->key, sql) == 0) {
			s->in_use = true;
			return s;
		}
	}
	for (db_stmt *s = d->cache; s; s = s->next) {
		if (!s->in_use && strcmp(s->key, sql) == 0) {
			s->in_use = true;
			s->lit = sql;
			return s;
		}
	}
	if (d->ops->kind == DB_PG) d->round_trips++;   /* PQprepare: one round trip */
	db_stmt *s = d->ops->prepare(d, sql);
	if (!s) return NULL;
	s->d = d;
	s->key = xstrdup(sql);
	s->lit = sql;
	s->in_use = true;
	if (d->ncache < DB_CACHE_MAX) {
		s->cached = true;
		s->next = d->cache;
		d->cache = s;
		d->ncache++;
	}
	return s;
}

void db_finish(db_stmt *s)
{
	if (!s) return;
	s->d->ops->reset(s);
	s->in_use = false;
	s->started = false;
	s->col_base = 0;
	if (!s->cached) {
		free(s->key);
		s->d->ops->finalize(s);
	}
}

int db_bind_text(db_stmt *s, int i, const char *t)
{
	return t ? s->d->ops->bind_text(s, i, t) : s->d->ops->bind_null(s, i);
}
int db_bind_int64(db_stmt *s, int i, int64_t v) { return s->d->ops->bind_int64(s, i, v); }
int db_bind_null(db_stmt *s, int i) { return s->d->ops->bind_null(s, i); }
int db_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
	return s->d->ops->bind_blob(s, i, p, n);
}

/* More conversions than the statement has parameters means the caller
 * passed fewer arguments than the format reads: va_arg would read garbage
 * (a crash on one backend, a silent wrong bind on the other). A bug in
 * the caller, never bad input: stop loudly, as the tests then will. */
static void check_bind_count(db_stmt *s, const char *fmt)
{
	size_t want = 0;
	for (const char *f = fmt; f && *f; f++) want++;
	int have = s->d->ops->param_count(s);
	if (have >= 0 && want > (size_t)have) {
		fprintf(stderr, "db_bindf: format \"%s\" binds %zu parameters, the statement has %d: %s\n",
		        fmt, want, have, s->key ? s->key : "");
		abort();
	}
}

/* clang-analyzer cannot follow a va_list handed over by the variadic caller
 * (db_bindf, prepare_va), hence the NOLINTs below. */
static int bind_va(db_stmt *s, const char *fmt, va_list ap)
{
	check_bind_count(s, fmt);
	int rc = DB_OK;
	for (int i = 1; fmt && *fmt && rc == DB_OK; fmt++, i++) {
		switch (*fmt) {
		case 't': rc = db_bind_text(s, i, va_arg(ap, const char *)); break;  // NOLINT(clang-analyzer-valist.Uninitialized)
		case 'i': rc = db_bind_int64(s, i, va_arg(ap, int64_t)); break;  // NOLINT(clang-analyzer-valist.Uninitialized)
		case 'I': {
			int64_t v = va_arg(ap, int64_t);  // NOLINT(clang-analyzer-valist.Uninitialized)
			rc = v ? db_bind_int64(s, i, v) : db_bind_null(s, i);
			break;
		}
		case 'n': rc = db_bind_null(s, i); break;
		case 'b': {
			const void *p = va_arg(ap, const void *);  // NOLINT(clang-analyzer-valist.Uninitialized)
			size_t n = va_arg(ap, size_t);  // NOLINT(clang-analyzer-valist.Uninitialized)
			rc = db_bind_blob(s, i, p, n);
			break;
		}
		default:
			rc = db_fail(s->d, DB_EMISUSE, "db_bindf: unknown format '%c'", *fmt);
		}
	}
	return rc;
}

int db_bindf(db_stmt *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = bind_va(s, fmt, ap);
	va_end(ap);
	return rc;
}

int db_step(db_stmt *s)
{
	if (!s->started) {
		s->started = true;
		s->d->round_trips++;
	}
	return s->d->ops->step(s);
}

int64_t db_round_trips(const db *d) { return d->round_trips; }
void db_round_trips_reset(db *d) { d->round_trips = 0; }

/* Every statement db.c itself sends (BEGIN, COMMIT, DDL) goes through here. */
static int run(db *d, const char *sql)
{
	d->round_trips++;
	return d->ops->exec(d, sql);
}
int db_column_count(db_stmt *s) { return s->d->ops->column_count(s); }
bool db_col_null(db_stmt *s, int c) { return s->d->ops->col_null(s, c + s->col_base); }
const char *db_col_text(db_stmt *s, int c) { return s->d->ops->col_text(s, c + s->col_base); }
int64_t db_col_int64(db_stmt *s, int c) { return s->d->ops->col_int64(s, c + s->col_base); }
const void *db_col_blob(db_stmt *s, int c, size_t *n) { return s->d->ops->col_blob(s, c + s->col_base, n); }
void db_col_base(db_stmt *s, int base) { s->col_base = base; }
db *db_stmt_db(db_stmt *s) { return s->d; }
int64_t db_changes(db *d) { return d->changes; }

char *db_col_dup(db_stmt *s, int c, arena *a)
{
	const char *t = db_col_text(s, c);
	return t ? arena_strdup(a, t) : NULL;
}

static db_stmt *prepare_va(db *d, const char *sql, const char *fmt, va_list ap, int *rc)
{
	db_stmt *s = db_prepare(d, sql);
	if (!s) {
		*rc = d->errcode ? d->errcode : DB_ERROR;
		return NULL;
	}
	*rc = bind_va(s, fmt, ap);
	if (*rc != DB_OK) {
		db_finish(s);
		return NULL;
	}
	return s;
}

int db_execf(db *d, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, sql, fmt, ap, &rc);
	va_end(ap);
	if (!s) return rc;
	while ((rc = db_step(s)) == DB_ROW) {}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int db_query_int64(db *d, int64_t *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;
	*out = 0;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, sql, fmt, ap, &rc);
	va_end(ap);
	if (!s) return rc;
	rc = db_step(s);
	if (rc == DB_ROW) {
		*out = db_col_int64(s, 0);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = db_fail(d, DB_ENOTFOUND, "no row");
	}
	db_finish(s);
	return rc;
}

int db_query_text(db *d, arena *a, char **out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;
	*out = NULL;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, sql, fmt, ap, &rc);
	va_end(ap);
	if (!s) return rc;
	rc = db_step(s);
	if (rc == DB_ROW) {
		*out = db_col_dup(s, 0, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = db_fail(d, DB_ENOTFOUND, "no row");
	}
	db_finish(s);
	return rc;
}

int db_exec(db *d, const char *sql)
{
	return run(d, sql);
}

/* ---- transactions ---------------------------------------------------- */

/* Nesting is flat: only the outermost begin/commit/rollback reach the
 * engine. An inner rollback dooms the whole transaction (the outermost
 * commit then rolls back and reports the inner error). Savepoints would
 * allow "try and carry on", but on PostgreSQL each one is a subtransaction,
 * and tens of thousands of them in one import overflow the per-backend
 * subtransaction cache and slow every concurrent reader; no caller needs
 * partial rollback, since callers validate before they write. */

int db_tx_depth(const db *d) { return d->depth; }

int db_set_lock_timeout(db *d, int ms)
{
	if (ms < 0) ms = 0;
	return d->ops->set_lock_timeout(d, ms);
}

static void forget_audit_head(db *d)
{
	d->audit_head_valid = false;
}

int db_begin_write(db *d)
{
	if (d->depth == 0) {
		/* Another writer may have appended to the audit log since our
		 * last transaction. */
		forget_audit_head(d);
		int rc = run(d, d->ops->begin_write_sql);
		if (rc != DB_OK) {
			/* PostgreSQL: BEGIN succeeded but the lock timed out, leaving
			 * an aborted transaction open. Close it, keep the error. */
			d->depth = 1;
			db_rollback(d);
			return rc;
		}
		d->read_only_tx = false;
		d->doomed = DB_OK;
	} else if (d->read_only_tx) {
		/* Upgrading a read snapshot to a writer is how SQLite transactions
		 * fail with SQLITE_BUSY half-way: refuse it outright. */
		return db_fail(d, DB_EMISUSE, "write transaction inside a read transaction");
	}
	d->depth++;
	return DB_OK;
}

int db_begin_write_row(db *d, const char *sql, arena *a, char **c0, char **c1, bool *found)
{
	*c0 = *c1 = NULL;
	*found = false;
	if (d->depth == 0 && d->ops->exec_row) {
		forget_audit_head(d);
		/* one round trip: BEGIN, the lock and the query */
		size_t n = strlen(d->ops->begin_write_sql) + strlen(sql) + 3;
		char *all = xmalloc(n);
		snprintf(all, n, "%s; %s", d->ops->begin_write_sql, sql);
		d->round_trips++;
		int rc = d->ops->exec_row(d, all, a, c0, c1, found);
		free(all);
		d->depth = 1;
		d->read_only_tx = false;
		d->doomed = DB_OK;
		if (rc != DB_OK) db_rollback(d);   /* keeps the error */
		return rc;
	}
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	db_stmt *s = db_prepare(d, sql);
	if (!s) {
		rc = db_errcode(d);
		db_rollback(d);
		return rc;
	}
	rc = db_step(s);
	if (rc == DB_ROW) {
		*found = true;
		*c0 = db_col_dup(s, 0, a);
		*c1 = db_col_dup(s, 1, a);
	}
	db_finish(s);
	if (rc < 0) {
		db_rollback(d);
		return rc;
	}
	return DB_OK;
}

static int begin_read(db *d, const char *sql)
{
	if (d->depth == 0) {
		int rc = run(d, sql);
		if (rc != DB_OK) return rc;
		d->read_only_tx = true;
		d->doomed = DB_OK;
	}
	d->depth++;
	return DB_OK;
}

int db_begin_read(db *d)
{
	return begin_read(d, d->ops->begin_read_sql);
}

int db_begin_read_scan(db *d)
{
	return begin_read(d, d->ops->begin_scan_sql);
}

int db_rollback(db *d)
{
	if (d->depth == 0) return db_fail(d, DB_EMISUSE, "rollback without a transaction");
	forget_audit_head(d);
	if (d->depth > 1) {
		d->depth--;
		if (d->doomed == DB_OK) d->doomed = d->errcode != DB_OK ? d->errcode : DB_ERROR;
		return DB_OK;
	}
	/* Keep the error that made the caller roll back. */
	int code = d->errcode;
	char *msg = d->errmsg;
	d->errmsg = NULL;
	/* SQLite may already have rolled back by itself (disk full, I/O
	 * error): "no transaction is active" then means done. */
	int rc = run(d, "ROLLBACK");
	d->depth = 0;
	d->read_only_tx = false;
	d->doomed = DB_OK;
	if (code != DB_OK) {
		free(d->errmsg);
		d->errmsg = msg;
		d->errcode = code;
	} else {
		free(msg);
	}
	return rc;
}

int db_commit(db *d)
{
	if (d->depth == 0) return db_fail(d, DB_EMISUSE, "commit without a transaction");
	if (d->depth > 1) {
		d->depth--;
		return d->doomed;   /* an inner part failed: say so on every level */
	}
	if (d->doomed != DB_OK) {
		int code = d->doomed;
		if (d->errcode == DB_OK) db_fail(d, code, "transaction rolled back: an inner step failed");
		db_rollback(d);
		return code;
	}
	int rc = run(d, "COMMIT");
	if (rc != DB_OK) {
		db_rollback(d);
		return rc;
	}
	d->depth = 0;
	d->read_only_tx = false;
	return DB_OK;
}

int db_write_batch(db *d, db_stmt *const *stmts, size_t n)
{
	if (d->depth == 0 && d->ops->write_batch) {
		forget_audit_head(d);
		d->round_trips++;
		for (size_t i = 0; i < n; i++) stmts[i]->started = true;
		return d->ops->write_batch(d, stmts, n);
	}
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		rc = db_step(stmts[i]);
		if (rc == DB_ROW || rc == DB_DONE) rc = DB_OK;
	}
	/* The caller's transaction goes on: its memo of the chain's head is
	 * stale if a statement appended to the log. */
	forget_audit_head(d);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

bool db_audit_head_get(db *d, int64_t *seq, char hash[65])
{
	if (!d->audit_head_valid || d->depth == 0) return false;
	*seq = d->audit_head_seq;
	memcpy(hash, d->audit_head_hash, 65);
	return true;
}

void db_audit_head_set(db *d, int64_t seq, const char *hash)
{
	if (d->depth == 0 || strlen(hash) != 64) return;
	d->audit_head_seq = seq;
	memcpy(d->audit_head_hash, hash, 65);
	d->audit_head_valid = true;
}

/* ---- SQL text -------------------------------------------------------- */

char *db_sql_to_pg(const char *sql, int *nparams)
{
	size_t len = strlen(sql);
	/* Each `?` becomes at most "$" + 5 digits. */
	char *out = xmalloc(len * 6 + 1);
	char *o = out;
	int n = 0;
	const char *p = sql;
	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*o++ = *p++;
			while (*p) {
				if (*p == q && p[1] == q) { *o++ = *p++; *o++ = *p++; continue; }
				if (*p == q) { *o++ = *p++; break; }
				*o++ = *p++;
			}
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n') *o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			*o++ = *p++; *o++ = *p++;
			while (*p && !(p[0] == '*' && p[1] == '/')) *o++ = *p++;
			if (*p) { *o++ = *p++; *o++ = *p++; }
		} else if (*p == '?') {
			o += sprintf(o, "$%d", ++n);
			p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	if (nparams) *nparams = n;
	return out;
}

char *db_sql_dialect(const db *d, const char *sql)
{
	static const char *const tokens[] = { "{ID}", "{BLOB}" };
	const char *repl[] = { d->ops->id_type, d->ops->blob_type };
	size_t cap = strlen(sql) + 1;
	size_t extra = strlen(repl[0]) + strlen(repl[1]);
	for (const char *p = sql; (p = strchr(p, '{')); p++) cap += extra;
	char *out = xmalloc(cap);
	char *o = out;
	const char *p = sql;
	while (*p) {
		size_t k;
		for (k = 0; k < ARRAY_LEN(tokens); k++)
			if (has_prefix(p, tokens[k])) break;
		if (k < ARRAY_LEN(tokens)) {
			size_t n = strlen(repl[k]);
			memcpy(o, repl[k], n);
			o += n;
			p += strlen(tokens[k]);
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* ---- migrations ------------------------------------------------------ */

int db_schema_latest(void)
{
	return db_schema_migrations[db_schema_nmigrations - 1].version;
}

static const char schema_version_ddl[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	" version BIGINT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL)";

int db_schema_version(db *d, int *version)
{
	*version = 0;
	/* Asked through the catalogue, not by catching "no such table": a
	 * failed statement would abort an enclosing PostgreSQL transaction. */
	const char *probe = db_kind(d) == DB_PG
		? "SELECT COUNT(*) FROM information_schema.tables"
		  " WHERE table_name = 'schema_version' AND table_schema = current_schema()"
		: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
	int64_t n = 0;
	int rc = db_query_int64(d, &n, probe, NULL);
	if (rc != DB_OK || n == 0) return rc;
	int64_t v = 0;
	rc = db_query_int64(d, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL);
	if (rc != DB_OK) return rc;
	*version = (int)v;
	return DB_OK;
}

static int migrate_one(db *d, const db_migration *m, int *applied)
{
	/* The version is re-read inside the write transaction: two processes
	 * starting together serialise on the write lock and the second one
	 * finds the work done. */
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	int v;
	rc = db_exec(d, schema_version_ddl);
	if (rc == DB_OK) rc = db_schema_version(d, &v);
	if (rc != DB_OK) goto fail;
	if (v > db_schema_latest()) {
		rc = db_fail(d, DB_EINVAL,
			"database schema version %d is newer than this program (%d); "
			"upgrade chiso", v, db_schema_latest());
		goto fail;
	}
	if (v >= m->version) return db_commit(d);
	char *sql = db_sql_dialect(d, m->sql);
	rc = db_exec(d, sql);
	free(sql);
	const char *extra = db_kind(d) == DB_PG ? m->pg_sql : m->sqlite_sql;
	if (rc == DB_OK && extra) rc = db_exec(d, extra);
	if (rc != DB_OK) {
		char *why = xstrdup(db_errmsg(d));
		db_fail(d, rc, "migration %d (%s) failed: %s", m->version, m->name, why);
		free(why);
		goto fail;
	}
	char now[21];
	db_now(now);
	rc = db_execf(d, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
		"itt", (int64_t)m->version, m->name, now);
	if (rc != DB_OK) goto fail;
	rc = db_commit(d);
	if (rc == DB_OK && applied) (*applied)++;
	return rc;
fail:
	db_rollback(d);
	return rc;
}

int db_migrate(db *d, int *applied)
{
	if (applied) *applied = 0;
	/* A migration listed after a higher number would never run on a
	 * database already past it: refuse the list rather than skip silently. */
	for (size_t i = 1; i < db_schema_nmigrations; i++)
		if (db_schema_migrations[i].version <= db_schema_migrations[i - 1].version)
			return db_fail(d, DB_EMISUSE, "db_schema.c: migration %d (%s) is listed after %d;"
				" versions must increase", db_schema_migrations[i].version,
				db_schema_migrations[i].name, db_schema_migrations[i - 1].version);
	for (size_t i = 0; i < db_schema_nmigrations; i++) {
		int rc = migrate_one(d, &db_schema_migrations[i], applied);
		if (rc != DB_OK) return rc;
	}
	return db_mark_install(d);   /* every table's trigger, a new one's too */
}

/* ---- time and dates -------------------------------------------------- */

void db_now(char out[static 21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool db_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
	int y = atoi(s), m = atoi(s + 5), dd = atoi(s + 8);
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1900 || m < 1 || m > 12 || dd < 1) return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
	return dd <= max;
}
