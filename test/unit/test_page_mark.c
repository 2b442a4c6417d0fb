/* test_page_mark.c — the store's page mark (db_mark.c), on SQLite and
 * PostgreSQL: every table but the six left out carries its trigger; a
 * committed write moves the mark, a rolled-back one does not; a read
 * snapshot sees the mark of its own data while another connection writes;
 * a table that a later migration adds gets its trigger on the next start;
 * and laying the triggers again changes nothing. */
#include "store_test.h"
#include "q_unit.h"

static int64_t mark_of(store_fx *fx, db *d)
{
	int64_t m = 0;
	OK(db_mark_read(d, &m));
	return m;
}

/* Tables without the mark's trigger, other than the six left out. */
static int64_t unmarked_tables(store_fx *fx)
{
	int64_t n = -1;
	if (fx->pg)
		OK(db_query_int64(fx->d, &n,
			"SELECT COUNT(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
			" WHERE s.nspname = current_schema() AND c.relkind = 'r'"
			" AND c.relname NOT IN ('page_mark', 'schema_version', 'sessions', 'signin_attempts', 'blob_objects', 'blob_chunks')"
			" AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'page_mark_bump')", NULL));
	else
		OK(db_query_int64(fx->d, &n,
			"SELECT COUNT(*) FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'"
			" AND t.name NOT IN ('page_mark', 'schema_version', 'sessions', 'signin_attempts', 'blob_objects', 'blob_chunks')"
			" AND (SELECT COUNT(*) FROM sqlite_master g WHERE g.type = 'trigger' AND g.tbl_name = t.name"
			"      AND g.name LIKE 'page_mark_%') < 3", NULL));
	return n;
}

static void test_every_table_marked(void **state)
{
	store_fx *fx = *state;
	assert_int_equal(unmarked_tables(fx), 0);
	int64_t tables = 0;
	OK(db_query_int64(fx->d, &tables, fx->pg
		? "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'page_mark_bump'"
		: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'page_mark_%_del'", NULL));
	assert_true(tables > 40);   /* units, assessments, answers, council, evidence, … */
	OK(db_mark_install(fx->d));   /* again: nothing to do, nothing doubled */
	int64_t again = 0;
	OK(db_query_int64(fx->d, &again, fx->pg
		? "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'page_mark_bump'"
		: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'page_mark_%_del'", NULL));
	assert_int_equal(again, tables);
}

static void test_write_moves_rollback_does_not(void **state)
{
	store_fx *fx = *state;
	int64_t m0 = mark_of(fx, fx->d);
	store_add_unit(fx, "79760301", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	int64_t m1 = mark_of(fx, fx->d);
	assert_true(m1 > m0);
	OK(db_begin_write(fx->d));
	store_add_unit(fx, "79760302", "Trường THCS Huỳnh Tấn Phát", "thcs");
	assert_true(mark_of(fx, fx->d) > m1);   /* inside the writer's transaction */
	OK(db_rollback(fx->d));
	assert_int_equal(mark_of(fx, fx->d), m1);
	/* a write the page never shows (a session) leaves it */
	OK(db_exec(fx->d, "INSERT INTO signin_attempts (login, ip, at, ok) VALUES ('x', '127.0.0.1', '2026-12-07T00:00:00Z', 0)"));
	assert_int_equal(mark_of(fx, fx->d), m1);
	/* an UPDATE and a DELETE move it as an INSERT does */
	OK(db_exec(fx->d, "UPDATE units SET name = 'Trường THCS Nguyễn Hữu Thọ (mới)' WHERE code = '79760301'"));
	int64_t m2 = mark_of(fx, fx->d);
	assert_true(m2 > m1);
	OK(db_exec(fx->d, "DELETE FROM unit_relations WHERE unit_id = -1"));
	assert_true(mark_of(fx, fx->d) >= m2);   /* PostgreSQL: per statement, even of no row */
}

static void test_snapshot_sees_its_own_mark(void **state)
{
	store_fx *fx = *state;
	db *reader = NULL;
	char *err = NULL;
	int rc = db_open(fx->target, &reader, &err);
	if (rc != DB_OK) fail_msg("open: %s", err ? err : "");
	int64_t before = mark_of(fx, fx->d);
	OK(db_begin_read(reader));
	int64_t seen = mark_of(fx, reader);
	assert_int_equal(seen, before);
	store_add_unit(fx, "79760303", "Trường THCS Lê Văn Tám", "thcs");
	assert_true(mark_of(fx, fx->d) > before);
	/* the reader's page was read under `seen`, and its data is still the old one */
	assert_int_equal(mark_of(fx, reader), seen);
	int64_t n = -1;
	OK(db_query_int64(reader, &n, "SELECT COUNT(*) FROM units WHERE code = '79760303'", NULL));
	assert_int_equal(n, 0);
	OK(db_commit(reader));
	assert_true(mark_of(fx, reader) > seen);
	db_close(reader);
}

static void test_new_table_marked_on_next_start(void **state)
{
	store_fx *fx = *state;
	OK(db_exec(fx->d, "CREATE TABLE later_feature (id BIGINT PRIMARY KEY, note TEXT)"));
	assert_int_equal(unmarked_tables(fx), 1);
	OK(db_migrate(fx->d, NULL));
	assert_int_equal(unmarked_tables(fx), 0);
	int64_t m = mark_of(fx, fx->d);
	OK(db_exec(fx->d, "INSERT INTO later_feature (id, note) VALUES (1, 'x')"));
	assert_true(mark_of(fx, fx->d) > m);
}

#define STORE_TESTS(X) \
	X(every_table_marked) \
	X(write_moves_rollback_does_not) \
	X(snapshot_sees_its_own_mark) \
	X(new_table_marked_on_next_start)

int main(void)
{
	store_run("page_mark", STORE_TESTS);
}
