/* db_impl.h — what db.c shares with its backends (db_sqlite.c, db_pg.c).
 * Nothing outside db*.c includes this. */
#ifndef CHISO_DB_IMPL_H
#define CHISO_DB_IMPL_H
#include "db.h"

/* The common head of a backend's statement; the backend allocates a larger
 * struct that starts with this. */
struct db_stmt {
	db *d;
	char *key;              /* the SQL as the caller wrote it: the cache key */
	const char *lit;        /* the caller's pointer to it (a string literal, mostly) */
	bool in_use;            /* handed out by db_prepare, not yet finished */
	bool cached;            /* lives in d->cache; else freed by db_finish */
	bool started;           /* stepped since the last reset: counted once */
	int col_base;           /* db_col_base: added to every column index */
	struct db_stmt *next;   /* cache list */
};

typedef struct db_ops {
	db_backend kind;
	const char *name;
	const char *id_type;    /* DDL for an auto-assigned BIGINT primary key */
	const char *blob_type;
	const char *begin_write_sql, *begin_read_sql;
	const char *begin_scan_sql;     /* db_begin_read_scan */
	void (*close)(db *d);
	int (*exec)(db *d, const char *sql);
	/* Runs `sql` (several statements, no parameters) in one round trip and
	 * copies the first two text columns of the last statement's first row
	 * into `a` (*found false when it has none). May be NULL: db.c then
	 * runs the statements one by one. */
	int (*exec_row)(db *d, const char *sql, arena *a, char **c0, char **c1, bool *found);
	int (*set_lock_timeout)(db *d, int ms);
	/* db_write_batch outside a transaction in one round trip; may be NULL:
	 * db.c then steps the statements inside db_begin_write/db_commit. */
	int (*write_batch)(db *d, db_stmt *const *stmts, size_t n);
	db_stmt *(*prepare)(db *d, const char *sql);
	void (*reset)(db_stmt *s);      /* ready to bind and run again */
	void (*finalize)(db_stmt *s);   /* frees s */
	int (*bind_text)(db_stmt *s, int i, const char *text);
	int (*bind_int64)(db_stmt *s, int i, int64_t v);
	int (*bind_null)(db_stmt *s, int i);
	int (*bind_blob)(db_stmt *s, int i, const void *p, size_t n);
	int (*param_count)(db_stmt *s);  /* the statement's ? parameters */
	int (*step)(db_stmt *s);
	int (*column_count)(db_stmt *s);
	bool (*col_null)(db_stmt *s, int col);
	const char *(*col_text)(db_stmt *s, int col);
	int64_t (*col_int64)(db_stmt *s, int col);
	const void *(*col_blob)(db_stmt *s, int col, size_t *n);
	/* COPY … FROM STDIN (db_copy.c); NULL where the engine has none.
	 * copy_end with a message abandons the copy, and reads the result. */
	int (*copy_begin)(db *d, const char *sql);
	int (*copy_send)(db *d, const char *p, size_t n);
	int (*copy_end)(db *d, const char *abandon);
} db_ops;

struct db {
	const db_ops *ops;
	void *conn;
	int errcode;
	char *errmsg;
	int depth;              /* transaction nesting (flat: see db.c) */
	bool read_only_tx;      /* the outermost transaction is db_begin_read */
	int doomed;             /* an inner level rolled back: its error code */
	bool audit_head_valid;  /* audit.c's memo of the chain's head, valid */
	int64_t audit_head_seq; /*   within the current write transaction */
	char audit_head_hash[65];
	int64_t changes;
	int64_t round_trips;    /* statements sent to the engine (db_round_trips) */
	db_stmt *cache;
	int ncache;
};

/* Most statements a handle keeps prepared; beyond this a statement is
 * prepared per use (dynamic SQL must not grow the cache without bound). */
enum { DB_CACHE_MAX = 256 };

int db_sqlite_open(db *d, const char *path);
int db_pg_open(db *d, const char *conninfo);

/* `?` → `$1..$n` outside quotes and comments; malloc'd. */
char *db_sql_to_pg(const char *sql, int *nparams);
/* Replaces the dialect tokens {ID} and {BLOB} in schema SQL; malloc'd. */
char *db_sql_dialect(const db *d, const char *sql);

/* The schema: the ordered list of migrations (db_schema.c). */
typedef struct db_migration {
	int version;
	const char *name;
	const char *sql;          /* both engines, with {ID}/{BLOB} tokens */
	const char *sqlite_sql;   /* engine-specific extras (triggers), may be NULL */
	const char *pg_sql;
} db_migration;
extern const db_migration db_schema_migrations[];
extern const size_t db_schema_nmigrations;
#endif
