/* db.h — the one storage interface: SQLite (embedded default) or PostgreSQL.
 *
 * Everything else talks to the database through this header; SQL text lives
 * only in db*.c and q_*.c / audit.c. A handle is one connection and belongs to
 * one thread (open one per thread; SQLite is opened NOMUTEX for speed).
 *
 * SQL is written once, in the dialect both engines accept:
 *   - placeholders are `?`; for PostgreSQL they are rewritten to $1..$n
 *     (outside quotes and comments);
 *   - integers are BIGINT, booleans are 0/1 integers, dates and timestamps
 *     are ISO-8601 text ('2025-05-31', '2025-05-31T08:00:00Z'), so they
 *     compare the same way on both engines;
 *   - new ids come back through `INSERT … RETURNING id` (SQLite ≥ 3.35);
 *   - upserts use `ON CONFLICT (…) DO UPDATE SET … = excluded.…`;
 *   - PostgreSQL infers parameter types from context, so a bare `? IS NULL`
 *     fails there: write `CAST(? AS TEXT) IS NULL` / `CAST(? AS BIGINT)`.
 *
 * Errors come back as a code (DB_E*) plus a message kept on the handle
 * (db_errmsg); nothing here aborts except running out of memory. */
#ifndef CHISO_DB_H
#define CHISO_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum db_backend { DB_SQLITE, DB_PG } db_backend;

enum {
	DB_OK = 0,
	DB_ROW = 1,          /* db_step: a row is ready */
	DB_DONE = 2,         /* db_step: no (more) rows */
	DB_ERROR = -1,       /* backend, connection or I/O failure */
	DB_EBUSY = -2,       /* lock not obtained in time, serialization failure, deadlock */
	DB_ECONSTRAINT = -3, /* UNIQUE, FOREIGN KEY, CHECK or NOT NULL violated */
	DB_ENOTFOUND = -4,   /* the object asked for does not exist */
	DB_ECONFLICT = -5,   /* the object changed since it was read (stale state) */
	DB_EINVAL = -6,      /* the caller's input is invalid; the message says why */
	DB_EMISUSE = -7,     /* API misuse: unbalanced transaction, bad index… */
};

/* Opens `target`: a file path for SQLite (created on first use), a
 * `postgresql://` or `postgres://` URL, or `pg:` followed by a libpq
 * conninfo string ("pg:host=/tmp/x dbname=chiso"). On failure returns a
 * DB_E* code, *out is NULL and *errmsg (if errmsg is not NULL) is a malloc'd
 * message the caller frees. Does not migrate: call db_migrate. */
int db_open(const char *target, db **out, char **errmsg);
void db_close(db *d);
db_backend db_kind(const db *d);
const char *db_kind_name(const db *d);          /* "sqlite" / "postgresql" */

/* The last error on this handle: code and human-readable message. */
int db_errcode(const db *d);
const char *db_errmsg(const db *d);
/* Sets the handle's error and returns `code` (store modules use this to
 * report DB_EINVAL / DB_ENOTFOUND / DB_ECONFLICT with a Vietnamese message). */
int db_fail(db *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void db_clear_error(db *d);

/* Schema. Migrations are forward-only and versioned (schema_version table);
 * each runs in its own write transaction, so a failure leaves the database
 * at the previous version. Safe to call on every start and from several
 * processes at once. *applied (may be NULL) is how many ran now. */
int db_migrate(db *d, int *applied);
int db_schema_version(db *d, int *version);     /* 0 for an empty database */
int db_schema_latest(void);
/* The page mark (db_mark.c): a number every committed write to a table a
 * page may show moves, by triggers in the writer's transaction. Laid by
 * db_migrate on every table there is (db_mark_install); read inside a
 * read snapshot it names that snapshot's data for a kept page. */
int db_mark_install(db *d);
int db_mark_read(db *d, int64_t *mark);

/* Transactions. db_begin_write takes the write lock up front (SQLite:
 * BEGIN IMMEDIATE; PostgreSQL: BEGIN + a transaction-scoped advisory lock),
 * so writers queue instead of failing half-way. Calls nest flatly: only the
 * outermost pair reaches the engine, so a store function can run alone or
 * inside a caller's transaction (an import of 50,000 units is one
 * transaction). An inner rollback dooms the whole transaction: the
 * outermost commit rolls back and returns the inner error. db_rollback
 * keeps the error that caused it. db_begin_read opens a consistent
 * read-only snapshot for multi-query pages and reports. */
int db_begin_write(db *d);
/* How long db_begin_write waits for another writer before DB_EBUSY
 * (default 5000 ms; SQLite busy_timeout, PostgreSQL lock_timeout). */
int db_set_lock_timeout(db *d, int ms);
int db_begin_read(db *d);
/* db_begin_read for reading a large table a page at a time by its key: on
 * PostgreSQL every statement of the snapshot is planned for its values. */
int db_begin_read_scan(db *d);
/* db_begin_write followed by `sql`, a parameterless query of at most one
 * row, whose first two columns come back as arena text (*found false when
 * there is no row): on PostgreSQL in the same round trip as BEGIN and the
 * lock. audit.c uses it to read the chain's tail with the lock. Inside a
 * transaction it only runs the query. */
int db_begin_write_row(db *d, const char *sql, arena *a, char **c0, char **c1, bool *found);
int db_commit(db *d);
int db_rollback(db *d);
int db_tx_depth(const db *d);
/* Runs the bound statements stmts[0..n) in order in one write transaction
 * and commits: outside a transaction on PostgreSQL, BEGIN, the write lock,
 * the statements and COMMIT go in one libpq pipeline — one round trip, and
 * the lock is held from the server's BEGIN to its COMMIT, never across a
 * turn of the client (a chiso thread waiting for a core). Elsewhere (SQLite,
 * or inside a caller's transaction) db_begin_write, db_step of each and
 * db_commit. Rows the statements return are not read. Returns DB_OK, or the
 * first failure with the transaction (this level of it) rolled back. The
 * caller still db_finish-es each statement. The audit head memo is
 * forgotten: a statement may append to the audit log (audit_chain_stmt). */
int db_write_batch(db *d, db_stmt *const *stmts, size_t n);

/* A memo of the audit chain's head (seq, hash) for audit.c, valid only
 * inside the current write transaction: saves a query per audited change.
 * Forgotten when a write transaction begins and on any rollback. */
bool db_audit_head_get(db *d, int64_t *seq, char hash[65]);
void db_audit_head_set(db *d, int64_t seq, const char *hash);

/* Runs SQL without parameters or results; may hold several statements
 * (used for DDL and migrations). */
int db_exec(db *d, const char *sql);

/* Prepared statements. db_prepare returns a statement from the per-handle
 * cache (keyed by SQL text) or prepares it; NULL on error (see db_errmsg).
 * Every statement obtained must be handed back with db_finish, which resets
 * it — an un-reset SELECT keeps SQLite's WAL from checkpointing.
 * Parameter indexes start at 1, column indexes at 0. Text binds are copied. */
db_stmt *db_prepare(db *d, const char *sql);
int db_bind_text(db_stmt *s, int i, const char *text);   /* NULL binds NULL */
int db_bind_int64(db_stmt *s, int i, int64_t v);
int db_bind_null(db_stmt *s, int i);
int db_bind_blob(db_stmt *s, int i, const void *p, size_t n);
/* Binds parameters 1..n from a format: 't' const char * (NULL → NULL),
 * 'i' int64_t, 'I' int64_t where 0 means NULL (optional ids), 'n' NULL,
 * 'b' const void *, size_t. */
int db_bindf(db_stmt *s, const char *fmt, ...);

/* DB_ROW, DB_DONE or a DB_E* code. */
int db_step(db_stmt *s);
int db_column_count(db_stmt *s);
bool db_col_null(db_stmt *s, int col);
/* Valid until the next db_step / db_finish; NULL for SQL NULL. */
const char *db_col_text(db_stmt *s, int col);
int64_t db_col_int64(db_stmt *s, int col);              /* 0 for NULL */
/* From now until db_finish, column c of db_col_* is column base + c: a
 * row that joins several tables is read with each table's own reader. */
void db_col_base(db_stmt *s, int base);
db *db_stmt_db(db_stmt *s);   /* the connection the statement belongs to */
const void *db_col_blob(db_stmt *s, int col, size_t *n);
/* Copies of a text column into an arena (NULL stays NULL). */
char *db_col_dup(db_stmt *s, int col, arena *a);
/* Rows changed by the last finished INSERT/UPDATE/DELETE of this handle. */
int64_t db_changes(db *d);
void db_finish(db_stmt *s);

/* Shorthands over prepare + bindf + step + finish. */
/* Runs a statement that returns no rows (or ignores them). */
int db_execf(db *d, const char *sql, const char *fmt, ...);
/* The first column of the first row as an integer; DB_ENOTFOUND if no row,
 * *out = 0 (and DB_OK) when the value is NULL. */
int db_query_int64(db *d, int64_t *out, const char *sql, const char *fmt, ...);
/* The first column of the first row as arena text; DB_ENOTFOUND if no row. */
int db_query_text(db *d, arena *a, char **out, const char *sql, const char *fmt, ...);

/* Round trips: statements this handle has sent to the engine (each
 * execution of a prepared statement, each db_exec, BEGIN/COMMIT/ROLLBACK,
 * each PostgreSQL PQprepare) since it was opened or last reset. For tests
 * and benchmarks that bound what one operation costs. */
int64_t db_round_trips(const db *d);
void db_round_trips_reset(db *d);

/* Bulk rows (db_copy.c): on PostgreSQL `COPY table (columns) FROM STDIN`,
 * the rows streamed in COPY's text format while the server inserts the
 * ones before: one statement for any number of rows, no parameters to
 * parse, the client's work and the server's side by side. Only inside a
 * write transaction. db_has_copy is false on SQLite (its prepared INSERTs
 * cost no round trip); there db_copy_begin fails with DB_EMISUSE. A row
 * is its fields in the column order of `sql`, then db_copy_row. What the
 * rows break (a constraint, a foreign key) comes back from db_copy_end,
 * which frees c; the caller rolls back as after a failed statement. */
typedef struct db_copy db_copy;
bool db_has_copy(const db *d);
db_copy *db_copy_begin(db *d, const char *sql);   /* NULL on error */
void db_copy_text(db_copy *c, const char *v);     /* NULL writes NULL */
void db_copy_int64(db_copy *c, int64_t v);
void db_copy_id(db_copy *c, int64_t v);           /* 0 writes NULL (optional ids) */
int db_copy_row(db_copy *c);
int db_copy_end(db_copy *c);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (the timestamp format stored
 * everywhere). */
void db_now(char out[static 21]);
/* True for a valid calendar date written "YYYY-MM-DD". */
bool db_date_valid(const char *s);
#endif
