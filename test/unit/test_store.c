/* test_store.c — the store suite: storage interface, schema, units and
 * dated relations, accounts, rounds, assessments and versioned answers,
 * council, evidence, audit chain. Every test runs on SQLite and, when
 * CHISO_TEST_PG is set, on PostgreSQL (store_test.h). */
#include "store_test.h"
#include "audit.h"
#include "q_unit.h"

/* ---- storage interface ----------------------------------------------- */

static void test_migrate_idempotent(void **state)
{
	store_fx *fx = *state;
	int v = -1, applied = -1;
	OK(db_schema_version(fx->d, &v));
	assert_int_equal(v, db_schema_latest());
	OK(db_migrate(fx->d, &applied));
	assert_int_equal(applied, 0);
	OK(db_migrate(fx->d, &applied));
	assert_int_equal(applied, 0);
	int64_t rows = 0;
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM schema_version", NULL));
	assert_int_equal(rows, db_schema_latest());
	/* The tables of migration 1 are there and empty. */
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM units", NULL));
	assert_int_equal(rows, 0);
}

static void test_db_params_and_errors(void **state)
{
	store_fx *fx = *state;
	OK(db_exec(fx->d, "CREATE TABLE t (id BIGINT PRIMARY KEY, s TEXT, q TEXT)"));
	/* A `?` inside a quoted literal is not a parameter. */
	OK(db_execf(fx->d, "INSERT INTO t (id, s, q) VALUES (?, ?, 'what?')", "it",
		(int64_t)9007199254740993LL, "Trường THCS Đông Hà"));
	OK(db_execf(fx->d, "INSERT INTO t (id, s, q) VALUES (?, ?, ?)", "int", (int64_t)2, "x"));
	db_stmt *s = db_prepare(fx->d, "SELECT id, s, q FROM t WHERE id = ?");
	assert_non_null(s);
	db_bind_int64(s, 1, 9007199254740993LL);
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_int64(s, 0) == 9007199254740993LL);
	assert_string_equal(db_col_text(s, 1), "Trường THCS Đông Hà");
	assert_string_equal(db_col_text(s, 2), "what?");
	assert_int_equal(db_step(s), DB_DONE);
	db_finish(s);
	s = db_prepare(fx->d, "SELECT s, q FROM t WHERE id = ?");
	db_bind_int64(s, 1, 2);
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_null(s, 0) && !db_col_null(s, 1));
	assert_null(db_col_text(s, 0));
	db_finish(s);
	/* Errors are codes plus a message, never a crash. */
	int rc = db_execf(fx->d, "INSERT INTO t (id) VALUES (?)", "i", (int64_t)2);
	assert_int_equal(rc, DB_ECONSTRAINT);
	assert_true(strlen(db_errmsg(fx->d)) > 0);
	assert_null(db_prepare(fx->d, "SELEC nonsense"));
	assert_int_equal(db_errcode(fx->d), DB_ERROR);
	/* Statements come from the cache: same SQL, same handle. */
	db_stmt *a = db_prepare(fx->d, "SELECT COUNT(*) FROM t");
	db_finish(a);
	db_stmt *b = db_prepare(fx->d, "SELECT COUNT(*) FROM t");
	assert_ptr_equal(a, b);
	/* …and a statement in use is not handed out twice. */
	db_stmt *c = db_prepare(fx->d, "SELECT COUNT(*) FROM t");
	assert_ptr_not_equal(b, c);
	db_finish(c);
	db_finish(b);
	/* Blobs round-trip byte for byte, NULs included. */
	OK(db_exec(fx->d, db_kind(fx->d) == DB_PG ? "CREATE TABLE bl (id BIGINT, b BYTEA)"
	                                           : "CREATE TABLE bl (id BIGINT, b BLOB)"));
	static const unsigned char raw[] = { 0, 1, 2, 0xff, 0, '\\', 'x' };
	OK(db_execf(fx->d, "INSERT INTO bl (id, b) VALUES (?, ?)", "ib", (int64_t)1, raw, sizeof raw));
	s = db_prepare(fx->d, "SELECT b FROM bl WHERE id = 1");
	assert_int_equal(db_step(s), DB_ROW);
	size_t n = 0;
	const void *p = db_col_blob(s, 0, &n);
	assert_int_equal(n, sizeof raw);
	assert_memory_equal(p, raw, sizeof raw);
	db_finish(s);
}

static void test_transactions_nest(void **state)
{
	store_fx *fx = *state;
	OK(db_exec(fx->d, "CREATE TABLE t (id BIGINT PRIMARY KEY)"));
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (1)", NULL));
	OK(db_begin_write(fx->d));              /* savepoint */
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (2)", NULL));
	/* A failing statement inside the savepoint … */
	assert_int_equal(db_execf(fx->d, "INSERT INTO t (id) VALUES (1)", NULL), DB_ECONSTRAINT);
	assert_int_equal(db_rollback(fx->d), DB_OK);
	/* … keeps its error message and undoes only the inner part. */
	assert_int_equal(db_errcode(fx->d), DB_ECONSTRAINT);
	assert_int_equal(db_tx_depth(fx->d), 1);
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (3)", NULL));
	OK(db_commit(fx->d));
	int64_t n = 0, sum = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM t", NULL));
	OK(db_query_int64(fx->d, &sum, "SELECT SUM(id) FROM t", NULL));
	assert_int_equal(n, 2);
	assert_int_equal(sum, 4);
	/* An outer rollback undoes everything; unbalanced calls are refused. */
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "DELETE FROM t", NULL));
	OK(db_rollback(fx->d));
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM t", NULL));
	assert_int_equal(n, 2);
	assert_int_equal(db_commit(fx->d), DB_EMISUSE);
	OK(db_begin_read(fx->d));
	assert_int_equal(db_begin_write(fx->d), DB_EMISUSE);
	OK(db_commit(fx->d));
}

/* ---- units ----------------------------------------------------------- */

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	if (!strcmp(type, "lien_cap")) u.levels = "tieu_hoc,thcs";
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	assert_true(id > 0);
	return id;
}

static void test_unit_save_idempotent_nfc(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	/* NFD input ("Trường" with combining marks) is stored as NFC. */
	unit u = { .code = "79760401", .name = "  Tru\xcc\x9bo\xcc\x9b\xcc\x80ng THCS \xc4\x90o\xcc\x82ng Ha\xcc\x80 ",
		.type = "thcs", .address = "Quận 7, TP. Hồ Chí Minh", .is_public = true };
	int64_t id = 0, id2 = 0;
	unit_change ch;
	OK(unit_save(fx->d, 0, &u, &id, &ch));
	assert_int_equal(ch, UNIT_CREATED);
	unit got;
	OK(unit_get(fx->d, id, a, &got));
	assert_string_equal(got.name, "Trường THCS Đông Hà");
	assert_string_equal(got.type, "thcs");
	/* The same row again: no change, no new audit row. */
	int64_t audits = 0, audits2 = 0;
	OK(db_query_int64(fx->d, &audits, "SELECT COUNT(*) FROM audit_log", NULL));
	OK(unit_save(fx->d, 0, &u, &id2, &ch));
	assert_int_equal(ch, UNIT_UNCHANGED);
	assert_int_equal(id, id2);
	OK(db_query_int64(fx->d, &audits2, "SELECT COUNT(*) FROM audit_log", NULL));
	assert_int_equal(audits, audits2);
	/* A renamed unit updates in place. */
	u.name = "Trường THCS Đông Hà (mới)";
	OK(unit_save(fx->d, 0, &u, &id2, &ch));
	assert_int_equal(ch, UNIT_UPDATED);
	assert_int_equal(id, id2);
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM units", NULL));
	assert_int_equal(n, 1);
	/* Search folds tone marks, case and đ. */
	unit *found;
	size_t nf;
	OK(unit_search(fx->d, "DONG HA", NULL, 10, a, &found, &nf));
	assert_int_equal(nf, 1);
	OK(unit_search(fx->d, "đông hà", "thpt", 10, a, &found, &nf));
	assert_int_equal(nf, 0);
	OK(unit_search(fx->d, "100%", NULL, 10, a, &found, &nf));
	assert_int_equal(nf, 0);
	/* Bad input is refused with a reason. */
	unit bad = { .code = "X 1", .name = "A", .type = "thcs" };
	assert_int_equal(unit_save(fx->d, 0, &bad, NULL, NULL), DB_EINVAL);
	bad.code = "X1";
	bad.type = "dai_hoc";
	assert_int_equal(unit_save(fx->d, 0, &bad, NULL, NULL), DB_EINVAL);
	assert_non_null(strstr(db_errmsg(fx->d), "Loại đơn vị"));
	bad.type = "lien_cap";
	assert_int_equal(unit_save(fx->d, 0, &bad, NULL, NULL), DB_EINVAL);
	bad.levels = "tieu_hoc,thcs";
	OK(unit_save(fx->d, 0, &bad, NULL, NULL));
	bad.code = "X2";
	bad.name = "bad \xff utf8";
	bad.levels = NULL;
	bad.type = "thpt";
	assert_int_equal(unit_save(fx->d, 0, &bad, NULL, NULL), DB_EINVAL);
	char *f = unit_fold("Trường  THCS\tĐÔNG Hà");
	assert_string_equal(f, "truong thcs dong ha");
	free(f);
	arena_free(a);
}

static void test_unit_relations_dated(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t so = add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	int64_t phong = add_unit(fx, "79760", "Phòng GD&ĐT Quận 7", "phong");
	int64_t xa = add_unit(fx, "79760-X", "UBND phường Tân Phong", "ubnd_xa");
	int64_t school = add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	OK(unit_relate(fx->d, 0, phong, UNIT_PARENT, so, "2000-01-01"));
	OK(unit_relate(fx->d, 0, school, UNIT_PARENT, phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, school, UNIT_EVALUATOR, phong, "2020-09-01"));
	/* 1/7/2025: district level abolished; the commune manages the school
	 * and the Sở evaluates it. */
	OK(unit_relate(fx->d, 0, school, UNIT_PARENT, xa, "2025-07-01"));
	OK(unit_relate(fx->d, 0, school, UNIT_EVALUATOR, so, "2025-07-01"));

	int64_t who = 0;
	/* A 2023-2024 round still shows the Phòng that evaluated it … */
	OK(unit_related_on(fx->d, school, UNIT_EVALUATOR, "2024-05-31", &who));
	assert_int_equal(who, phong);
	OK(unit_related_on(fx->d, school, UNIT_EVALUATOR, "2025-06-30", &who));
	assert_int_equal(who, phong);
	/* … and from the change on, the Sở. */
	OK(unit_related_on(fx->d, school, UNIT_EVALUATOR, "2025-07-01", &who));
	assert_int_equal(who, so);
	OK(unit_related_on(fx->d, school, UNIT_PARENT, "2025-09-05", &who));
	assert_int_equal(who, xa);
	assert_int_equal(unit_related_on(fx->d, school, UNIT_PARENT, "2019-01-01", &who),
		DB_ENOTFOUND);

	unit *deps;
	size_t n;
	OK(unit_dependents_on(fx->d, phong, UNIT_EVALUATOR, "2024-05-31", a, &deps, &n));
	assert_int_equal(n, 1);
	assert_string_equal(deps[0].code, "79760401");
	OK(unit_dependents_on(fx->d, phong, UNIT_EVALUATOR, "2025-09-05", a, &deps, &n));
	assert_int_equal(n, 0);
	OK(unit_dependents_on(fx->d, so, UNIT_EVALUATOR, "2025-09-05", a, &deps, &n));
	assert_int_equal(n, 1);

	/* Chains and scope on a date. */
	int64_t *chain;
	OK(unit_chain_on(fx->d, school, UNIT_PARENT, "2024-05-31", a, &chain, &n));
	assert_int_equal(n, 2);
	assert_int_equal(chain[0], phong);
	assert_int_equal(chain[1], so);
	bool in = false;
	OK(unit_in_scope(fx->d, so, school, "2024-05-31", &in));
	assert_true(in);          /* via the Phòng */
	OK(unit_in_scope(fx->d, phong, school, "2025-09-05", &in));
	assert_false(in);         /* no longer */
	int64_t *scope;
	OK(unit_scope_list(fx->d, so, "2024-05-31", a, &scope, &n));
	assert_int_equal(n, 2);   /* the Phòng and the school */

	/* The past is not rewritten: a change before a recorded later change
	 * is refused; re-stating the current relation is a no-op. */
	assert_int_equal(unit_relate(fx->d, 0, school, UNIT_EVALUATOR, xa, "2024-01-01"), DB_EINVAL);
	OK(unit_relate(fx->d, 0, school, UNIT_EVALUATOR, so, "2025-08-01"));
	unit_relation *hist;
	OK(unit_relations(fx->d, school, a, &hist, &n));
	assert_int_equal(n, 4);
	/* No cycles in the managing hierarchy, no self-relation. */
	assert_int_equal(unit_relate(fx->d, 0, so, UNIT_PARENT, phong, "2025-01-01"), DB_EINVAL);
	assert_int_equal(unit_relate(fx->d, 0, so, UNIT_PARENT, so, "2025-01-01"), DB_EINVAL);
	/* Ending a relation. */
	OK(unit_unrelate(fx->d, 0, school, UNIT_PARENT, "2026-01-01"));
	assert_int_equal(unit_related_on(fx->d, school, UNIT_PARENT, "2026-02-01", &who),
		DB_ENOTFOUND);
	OK(unit_related_on(fx->d, school, UNIT_PARENT, "2025-12-31", &who));
	assert_int_equal(who, xa);
	arena_free(a);
}

/* ---- audit ----------------------------------------------------------- */

static void test_audit_chain(void **state)
{
	store_fx *fx = *state;
	add_unit(fx, "01", "Sở GD&ĐT Hà Nội", "so");
	add_unit(fx, "02", "Sở GD&ĐT Hà Giang", "so");
	unit u = { .code = "02", .name = "Sở GD&ĐT Tuyên Quang", .type = "so", .is_public = true };
	OK(unit_save(fx->d, 0, &u, NULL, NULL));
	audit_report r;
	OK(audit_verify(fx->d, &r));
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.bad_seq, 0);
	assert_int_equal(strlen(r.head), 64);
	/* Outside a transaction an append is refused. */
	assert_int_equal(audit_append(fx->d, 0, "x", "y", 1, NULL, NULL), DB_EMISUSE);
	/* The engine refuses edits … */
	assert_int_not_equal(db_execf(fx->d, "UPDATE audit_log SET action = 'x' WHERE seq = 2", NULL),
		DB_OK);
	assert_int_not_equal(db_execf(fx->d, "DELETE FROM audit_log WHERE seq = 3", NULL), DB_OK);
	/* … and someone who drops the guard is caught by the chain. */
	OK(db_exec(fx->d, fx->pg ? "DROP TRIGGER audit_log_no_change ON audit_log"
	                         : "DROP TRIGGER audit_log_no_update"));
	OK(db_execf(fx->d, "UPDATE audit_log SET after_json = ? WHERE seq = 2", "t",
		"{\"code\":\"02\",\"name\":\"Sở GD&ĐT Hà Giang (sửa)\"}"));
	OK(audit_verify(fx->d, &r));
	assert_int_equal(r.bad_seq, 2);
	assert_non_null(strstr(r.problem, "modified"));
	arena *a = arena_new();
	audit_entry *h;
	size_t n;
	int64_t id = 0;
	OK(db_query_int64(fx->d, &id, "SELECT id FROM units WHERE code = '02'", NULL));
	OK(audit_history(fx->d, "unit", id, a, &h, &n));
	assert_int_equal(n, 2);
	assert_string_equal(h[1].action, "unit.update");
	assert_non_null(strstr(h[1].before_json, "Hà Giang"));
	assert_non_null(strstr(h[1].after_json, "Tuyên Quang"));
	arena_free(a);
}

static void test_audit_detects_deleted_row(void **state)
{
	store_fx *fx = *state;
	add_unit(fx, "01", "A", "so");
	add_unit(fx, "02", "B", "so");
	add_unit(fx, "03", "C", "so");
	OK(db_exec(fx->d, fx->pg ? "DROP TRIGGER audit_log_no_change ON audit_log"
	                         : "DROP TRIGGER audit_log_no_delete"));
	OK(db_execf(fx->d, "DELETE FROM audit_log WHERE seq = 2", NULL));
	audit_report r;
	OK(audit_verify(fx->d, &r));
	assert_int_equal(r.bad_seq, 2);
}

#define STORE_TESTS(X) \
	X(migrate_idempotent) \
	X(db_params_and_errors) \
	X(transactions_nest) \
	X(unit_save_idempotent_nfc) \
	X(unit_relations_dated) \
	X(audit_chain) \
	X(audit_detects_deleted_row)

int main(void)
{
	store_run("store", STORE_TESTS);
}
