/* db_mark.c — the store's page mark: one number that every committed write
 * to a table a page may show changes, read in a page's own snapshot.
 *
 * A rendered page kept in memory (page_cache.c) is valid exactly while the
 * mark it was rendered under is the mark its snapshot reads now. The mark
 * is moved by triggers on every table (each row on SQLite; on PostgreSQL
 * each statement, the first of a transaction only), in the writer's own
 * transaction, so
 *   - no write path can forget it: a store function, a migration, an
 *     import, the command line, another `chiso serve` on the same database;
 *   - a reader's snapshot sees the mark and the data it marks together: a
 *     page is never kept under a mark that does not describe its data.
 * The triggers are laid by db_migrate on every start (db_mark_install), for
 * every table there is, so a table added by a later migration gets its
 * trigger on the next start without anyone listing it here. Left out
 * (`unmarked` below): tables no page prints.
 *
 * The mark is global, not per assessment: any write makes every kept page
 * stale. Correctness over hit rate; the pages are read far more often than
 * anything is written. On PostgreSQL the writers already queue on one
 * advisory lock (db_begin_write), so the one row adds no new waiting. */
#include "db_impl.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Left out: the mark itself, the schema's version, what every request
 * writes and no page prints (sessions, the sign-in throttle), and the
 * evidence files' bytes kept in the database (blob_objects, blob_chunks):
 * content-addressed, printed by no page (the evidence rows that name them
 * are marked), and written on a connection of their own outside the write
 * lock while the evidence's transaction is open (blob_db.c) — on
 * PostgreSQL a trigger there would wait for that very transaction's row
 * of page_mark. */
static const char *const unmarked[] = { "page_mark", "schema_version", "sessions", "signin_attempts", "blob_objects",
                                        "blob_chunks" };

static bool is_unmarked(const char *table)
{
	if (strncmp(table, "sqlite_", 7) == 0) return true;
	for (size_t i = 0; i < ARRAY_LEN(unmarked); i++)
		if (strcmp(table, unmarked[i]) == 0) return true;
	return false;
}

/* Table names come from the catalogue; they are spliced into DDL only
 * when they are plain identifiers. */
static bool plain_name(const char *s)
{
	if (!*s) return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
	return true;
}

static const char mark_ddl[] =
	"CREATE TABLE IF NOT EXISTS page_mark (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);\n"
	"INSERT INTO page_mark (id, n) VALUES (1, 1) ON CONFLICT (id) DO NOTHING";

/* PostgreSQL: once per transaction, not once per statement. A save writes
 * four tables (the version, the current answer through its trigger, the
 * audit row, the round summary's mark) and each statement used to update
 * the one row again; the first statement of a transaction now moves the
 * mark and leaves a transaction-local setting saying so, which COMMIT and
 * ROLLBACK both forget (and a rolled-back savepoint with the update it
 * covered). The mark still moves in the writer's own transaction, before
 * its commit, so a reader's snapshot sees it with the data. */
#define PG_BUMP_BODY \
	" $$ BEGIN IF current_setting('chiso.page_marked', true) IS DISTINCT FROM 't' THEN" \
	" UPDATE page_mark SET n = n + 1 WHERE id = 1;" \
	" PERFORM set_config('chiso.page_marked', 't', true); END IF; RETURN NULL; END $$"
static const char pg_bump_fn[] =
	"CREATE OR REPLACE FUNCTION page_mark_bump() RETURNS trigger LANGUAGE plpgsql AS" PG_BUMP_BODY;
/* A database whose function is the one of every statement (laid before
 * it moved once per transaction): replaced on the next start. */
static const char pg_fn_stale[] =
	"SELECT count(*) FROM pg_proc WHERE proname = 'page_mark_bump' AND prosrc NOT LIKE '%chiso.page_marked%'";

/* The tables without their trigger yet: SQLite names one trigger per
 * table and event, PostgreSQL one per table. */
static const char sqlite_missing[] =
	"SELECT t.name FROM sqlite_master t WHERE t.type = 'table'"
	" AND NOT EXISTS (SELECT 1 FROM sqlite_master g WHERE g.type = 'trigger' AND g.tbl_name = t.name"
	"                 AND g.name = 'page_mark_' || t.name || '_del')"
	" ORDER BY t.name";
static const char pg_missing[] =
	"SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
	" WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p')"
	" AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'page_mark_bump')"
	" ORDER BY c.relname";

/* The tables that need a trigger, in `a`; *n of them. */
static int missing_tables(db *d, arena *a, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, db_kind(d) == DB_PG ? pg_missing : sqlite_missing);
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		if (!name || is_unmarked(name)) continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			char **grown = arena_alloc(a, cap * sizeof *grown);
			if (*n) memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
		}
		(*out)[(*n)++] = arena_strdup(a, name);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static int add_trigger(db *d, const char *table)
{
	if (!plain_name(table)) return db_fail(d, DB_EINVAL, "page mark: table name %s is not a plain identifier", table);
	char sql[1024];
	if (db_kind(d) == DB_PG) {
		snprintf(sql, sizeof sql,
		         "CREATE TRIGGER page_mark_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"%s\""
		         " FOR EACH STATEMENT EXECUTE FUNCTION page_mark_bump()", table);
		return db_exec(d, sql);
	}
	static const char *const events[][2] = { { "ins", "INSERT" }, { "upd", "UPDATE" }, { "del", "DELETE" } };
	for (size_t i = 0; i < ARRAY_LEN(events); i++) {
		snprintf(sql, sizeof sql,
		         "CREATE TRIGGER IF NOT EXISTS \"page_mark_%s_%s\" AFTER %s ON \"%s\""
		         " BEGIN UPDATE page_mark SET n = n + 1 WHERE id = 1; END", table, events[i][0], events[i][1], table);
		int rc = db_exec(d, sql);
		if (rc != DB_OK) return rc;
	}
	return DB_OK;
}

int db_mark_install(db *d)
{
	arena *a = arena_new();
	char **tables;
	size_t n;
	int rc = missing_tables(d, a, &tables, &n);   /* usually none: a read, no lock */
	int64_t stale = 0;
	if (rc == DB_OK && db_kind(d) == DB_PG) rc = db_query_int64(d, &stale, pg_fn_stale, NULL);
	if (rc == DB_OK && (n || stale)) {
		/* Under the write lock, looked for again: two processes starting
		 * together lay each trigger once. */
		rc = db_begin_write(d);
		if (rc == DB_OK) rc = db_exec(d, mark_ddl);
		if (rc == DB_OK && db_kind(d) == DB_PG) rc = db_exec(d, pg_bump_fn);
		if (rc == DB_OK) rc = missing_tables(d, a, &tables, &n);
		for (size_t i = 0; rc == DB_OK && i < n; i++) rc = add_trigger(d, tables[i]);
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	arena_free(a);
	return rc;
}

int db_mark_read(db *d, int64_t *mark)
{
	return db_query_int64(d, mark, "SELECT n FROM page_mark WHERE id = 1", NULL);
}
