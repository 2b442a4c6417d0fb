/* test_store.c — the store suite: storage interface, schema, units and
 * dated relations, accounts, rounds, assessments and versioned answers,
 * council, evidence, audit chain. Every test runs on SQLite and, when
 * CHISO_TEST_PG is set, on PostgreSQL (store_test.h). */
#include "store_test.h"
#include "audit.h"
#include "blob.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_council.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_province.h"
#include "q_report.h"
#include "q_unit.h"
#include <sodium.h>

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
	OK(db_query_int64(fx->d, &rows, "SELECT MAX(version) FROM schema_version", NULL));
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
	/* Nested begin/commit: one transaction, committed by the outermost. */
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (1)", NULL));
	OK(db_begin_write(fx->d));
	assert_int_equal(db_tx_depth(fx->d), 2);
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (2)", NULL));
	OK(db_commit(fx->d));
	OK(db_commit(fx->d));
	int64_t n = 0, sum = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM t", NULL));
	assert_int_equal(n, 2);
	/* An inner failure dooms the whole transaction: the outermost commit
	 * rolls everything back and reports the inner error. */
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (3)", NULL));
	OK(db_begin_write(fx->d));
	assert_int_equal(db_execf(fx->d, "INSERT INTO t (id) VALUES (1)", NULL), DB_ECONSTRAINT);
	assert_int_equal(db_rollback(fx->d), DB_OK);
	assert_int_equal(db_tx_depth(fx->d), 1);
	assert_int_equal(db_commit(fx->d), DB_ECONSTRAINT);
	assert_int_equal(db_tx_depth(fx->d), 0);
	assert_true(strlen(db_errmsg(fx->d)) > 0);
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM t", NULL));
	OK(db_query_int64(fx->d, &sum, "SELECT SUM(id) FROM t", NULL));
	assert_int_equal(n, 2);
	assert_int_equal(sum, 3);
	/* The handle is usable again afterwards. */
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "INSERT INTO t (id) VALUES (3)", NULL));
	OK(db_commit(fx->d));
	/* An outer rollback undoes everything; unbalanced calls are refused. */
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "DELETE FROM t", NULL));
	OK(db_rollback(fx->d));
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM t", NULL));
	assert_int_equal(n, 3);
	assert_int_equal(db_commit(fx->d), DB_EMISUSE);
	assert_int_equal(db_rollback(fx->d), DB_EMISUSE);
	OK(db_begin_read(fx->d));
	assert_int_equal(db_begin_write(fx->d), DB_EMISUSE);
	OK(db_commit(fx->d));
	/* A store function inside a caller's transaction joins it: a failed
	 * second save undoes the first. */
	OK(db_begin_write(fx->d));
	unit ok = { .code = "A1", .name = "Trường A", .type = "thcs" };
	unit bad = { .code = "A2", .name = "Trường B", .type = "lien_cap", .levels = "thcs" };
	OK(unit_save(fx->d, 0, &ok, NULL, NULL));
	assert_int_equal(unit_save(fx->d, 0, &bad, NULL, NULL), DB_EINVAL);
	OK(db_rollback(fx->d));
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM units", NULL));
	assert_int_equal(n, 0);
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM audit_log", NULL));
	assert_int_equal(n, 0);
}


static void test_writers_queue_then_busy(void **state)
{
	store_fx *fx = *state;
	db *d2;
	char *err = NULL;
	assert_int_equal(db_open(fx->target, &d2, &err), DB_OK);
	OK(db_set_lock_timeout(d2, 200));
	OK(db_begin_write(fx->d));
	OK(db_execf(fx->d, "INSERT INTO units (code, name, name_fold, type, created_at, updated_at)"
		" VALUES ('X', 'X', 'x', 'thcs', 'now', 'now')", NULL));
	/* The second writer waits for the lock, then gives up with EBUSY and
	 * leaves no transaction behind. */
	assert_int_equal(db_begin_write(d2), DB_EBUSY);
	assert_int_equal(db_tx_depth(d2), 0);
	assert_true(strlen(db_errmsg(d2)) > 0);
	OK(db_commit(fx->d));
	assert_int_equal(db_begin_write(d2), DB_OK);
	int64_t n = 0;
	assert_int_equal(db_query_int64(d2, &n, "SELECT COUNT(*) FROM units", NULL), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_commit(d2), DB_OK);
	db_close(d2);
}

static void test_pg_reconnects_outside_transactions(void **state)
{
	store_fx *fx = *state;
	if (!fx->pg) skip();
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM units", NULL));
	/* The server drops the session (restart, failover): the call in flight
	 * fails, the next one reconnects and re-prepares cached statements. */
	assert_int_not_equal(db_execf(fx->d, "SELECT pg_terminate_backend(pg_backend_pid())", NULL),
		DB_OK);
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM units", NULL));
	assert_int_equal(n, 0);
	unit so = { .code = "79", .name = "Sở GD&ĐT TP. Hồ Chí Minh", .type = "so" };
	OK(unit_save(fx->d, 0, &so, NULL, NULL));
	audit_report r;
	OK(audit_verify(fx->d, &r));
	assert_int_equal(r.rows, 1);
	/* Inside a transaction the loss is reported, not papered over. */
	OK(db_begin_write(fx->d));
	assert_int_not_equal(db_execf(fx->d, "SELECT pg_terminate_backend(pg_backend_pid())", NULL),
		DB_OK);
	assert_int_not_equal(db_execf(fx->d, "SELECT 1", NULL), DB_OK);
	db_rollback(fx->d);
	assert_int_equal(db_tx_depth(fx->d), 0);
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM units", NULL));
	assert_int_equal(n, 1);
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
	/* both chains in one round trip, each as unit_chain_on */
	int64_t *parents, *evaluators, *evchain;
	size_t np, ne, nev;
	OK(unit_chains_on(fx->d, school, "2024-05-31", a, &parents, &np, &evaluators, &ne));
	OK(unit_chain_on(fx->d, school, UNIT_EVALUATOR, "2024-05-31", a, &evchain, &nev));
	assert_int_equal(np, 2);
	assert_int_equal(parents[0], phong);
	assert_int_equal(parents[1], so);
	assert_int_equal(ne, nev);
	assert_true(ne >= 1);
	for (size_t i = 0; i < ne; i++) assert_int_equal(evaluators[i], evchain[i]);
	OK(unit_related_on(fx->d, school, UNIT_EVALUATOR, "2024-05-31", &who));
	assert_int_equal(evaluators[0], who);
	db_round_trips_reset(fx->d);
	OK(unit_chains_on(fx->d, school, "2025-09-05", a, &parents, &np, &evaluators, &ne));
	if (fx->pg) assert_int_equal(db_round_trips(fx->d), 1);
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


/* ---- accounts -------------------------------------------------------- */

static void test_account_password(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t id = 0, who = 0;
	OK(account_create(fx->d, 0, "Ht.NguyenHuuTho", "Nguyễn Văn An", "mật-khẩu-2025", &id));
	account acc;
	OK(account_get(fx->d, id, a, &acc));
	assert_string_equal(acc.login, "ht.nguyenhuutho");     /* folded to lower case */
	assert_true(acc.active && acc.has_password);
	/* The stored hash is argon2id, never the password. */
	char *hash = NULL;
	OK(db_query_text(fx->d, a, &hash, "SELECT password_hash FROM accounts WHERE id = ?", "i", id));
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_null(strstr(hash, "mật-khẩu"));
	assert_false(account_password_needs_rehash(hash));
	OK(account_authenticate(fx->d, "HT.NGUYENHUUTHO", "mật-khẩu-2025", &who));
	assert_int_equal(who, id);
	assert_int_equal(account_authenticate(fx->d, "ht.nguyenhuutho", "mat-khau-2025", &who),
		DB_EINVAL);
	assert_int_equal(who, 0);
	const char *wrong = db_errmsg(fx->d);
	assert_non_null(strstr(wrong, "Sai tên đăng nhập"));
	/* An unknown login gets the same answer. */
	assert_int_equal(account_authenticate(fx->d, "khong.co", "mật-khẩu-2025", &who), DB_EINVAL);
	assert_non_null(strstr(db_errmsg(fx->d), "Sai tên đăng nhập"));
	/* A hash made with weaker limits is upgraded at the next sign-in. */
	char weak[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str(weak, "mật-khẩu-2025", strlen("mật-khẩu-2025"),
		crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_true(account_password_needs_rehash(weak));
	OK(db_execf(fx->d, "UPDATE accounts SET password_hash = ? WHERE id = ?", "ti", weak, id));
	OK(account_authenticate(fx->d, "ht.nguyenhuutho", "mật-khẩu-2025", &who));
	OK(db_query_text(fx->d, a, &hash, "SELECT password_hash FROM accounts WHERE id = ?", "i", id));
	assert_string_not_equal(hash, weak);
	assert_false(account_password_needs_rehash(hash));
	/* Password change, disabling, bad input, duplicates. */
	OK(account_set_password(fx->d, id, id, "mật khẩu mới 2025"));
	assert_int_equal(account_authenticate(fx->d, "ht.nguyenhuutho", "mật-khẩu-2025", &who),
		DB_EINVAL);
	OK(account_authenticate(fx->d, "ht.nguyenhuutho", "mật khẩu mới 2025", &who));
	OK(account_set_active(fx->d, 0, id, false));
	assert_int_equal(account_authenticate(fx->d, "ht.nguyenhuutho", "mật khẩu mới 2025", &who),
		DB_EINVAL);
	assert_non_null(strstr(db_errmsg(fx->d), "khoá"));
	assert_int_equal(account_set_password(fx->d, 0, id, "ngan"), DB_EINVAL);
	assert_int_equal(account_create(fx->d, 0, "ht.nguyenhuutho", "X", NULL, NULL), DB_ECONSTRAINT);
	assert_int_equal(account_create(fx->d, 0, "có dấu", "X", NULL, NULL), DB_EINVAL);
	/* An account without a password cannot sign in. */
	int64_t nopw = 0;
	OK(account_create(fx->d, 0, "gv.le", "Lê Thị Bình", NULL, &nopw));
	assert_int_equal(account_authenticate(fx->d, "gv.le", "", &who), DB_EINVAL);
	/* The audit log never holds a password or a hash. */
	int64_t leaks = 0;
	OK(db_query_int64(fx->d, &leaks, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE"
		" '%argon2%' OR after_json LIKE '%mật%'", NULL));
	assert_int_equal(leaks, 0);
	arena_free(a);
}

static void test_role_assignments(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t so = add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	int64_t school = add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	int64_t acc = 0, admin = 0, g1 = 0, g2 = 0;
	OK(account_create(fx->d, 0, "admin", "Quản trị", NULL, &admin));
	OK(account_create(fx->d, 0, "chuyenvien", "Trần Văn Cường", NULL, &acc));
	OK(account_grant(fx->d, admin, admin, "system_admin", 0, 0, NULL));
	OK(account_grant(fx->d, admin, acc, "officer", so, 0, &g1));
	OK(account_grant(fx->d, admin, acc, "principal", school, 0, &g2));
	/* Scope rules and duplicates are refused. */
	assert_int_equal(account_grant(fx->d, admin, acc, "officer", so, 0, NULL), DB_ECONSTRAINT);
	assert_int_equal(account_grant(fx->d, admin, acc, "officer", 0, 0, NULL), DB_EINVAL);
	assert_int_equal(account_grant(fx->d, admin, acc, "system_admin", so, 0, NULL), DB_EINVAL);
	assert_int_equal(account_grant(fx->d, admin, acc, "external_evaluator", so, 0, NULL),
		DB_EINVAL);
	assert_int_equal(account_grant(fx->d, admin, acc, "hieu_truong", so, 0, NULL), DB_EINVAL);
	authz_grant *g;
	size_t n;
	OK(account_grants(fx->d, acc, a, &g, &n));
	assert_int_equal(n, 2);
	assert_int_equal(g[0].role, AUTHZ_OFFICER);
	assert_int_equal(g[0].unit_id, so);
	assert_int_equal(g[1].role, AUTHZ_PRINCIPAL);
	OK(account_revoke(fx->d, admin, g1));
	assert_int_equal(account_revoke(fx->d, admin, g1), DB_ENOTFOUND);
	OK(account_grants(fx->d, acc, a, &g, &n));
	assert_int_equal(n, 1);
	assert_int_equal(g[0].role, AUTHZ_PRINCIPAL);
	audit_entry *h;
	OK(audit_history(fx->d, "account", acc, a, &h, &n));
	assert_int_equal(n, 4);   /* create, 2 grants, revoke */
	assert_string_equal(h[3].action, "role.revoke");
	assert_int_equal(h[3].account_id, admin);
	(void)g2;
	arena_free(a);
}

/* ---- rounds, assessments, answers ------------------------------------ */

typedef struct world {
	int64_t so, phong, thcs, tieuhoc, mamnon, round, admin;
} world;

static void make_world(store_fx *fx, world *w)
{
	w->so = add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	w->phong = add_unit(fx, "79760", "Phòng GD&ĐT Quận 7", "phong");
	w->thcs = add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	w->tieuhoc = add_unit(fx, "79760301", "Trường Tiểu học Lê Văn Tám", "tieu_hoc");
	w->mamnon = add_unit(fx, "79760101", "Trường Mầm non Sen Hồng", "mam_non");
	OK(unit_relate(fx->d, 0, w->phong, UNIT_PARENT, w->so, "2000-01-01"));
	int64_t schools[] = { w->thcs, w->tieuhoc, w->mamnon };
	for (size_t i = 0; i < 3; i++) {
		OK(unit_relate(fx->d, 0, schools[i], UNIT_PARENT, w->phong, "2020-09-01"));
		OK(unit_relate(fx->d, 0, schools[i], UNIT_EVALUATOR, w->phong, "2020-09-01"));
	}
	OK(account_create(fx->d, 0, "pgd.q7", "Phạm Thị Dung", NULL, &w->admin));
	round_row r = { .office_unit_id = w->phong, .school_year = "2024-2025",
		.title = "Đánh giá mức độ chuyển đổi số năm học 2024-2025", .policy = "min",
		.self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	/* Preschools are not in this round: no framework for mam_non. */
	round_framework fw[] = {
		{ "thcs", "qd4725-2022", "1" },
		{ "tieu_hoc", "qd4725-2022", "1" },
	};
	round_target t[] = {
		{ .kind = "level_share", .level = 2, .share_percent = 100 },
		{ .kind = "level_share", .unit_type = "thcs", .level = 3, .share_percent = 80 },
		{ .kind = "indicator", .item_code = "2.3.1", .share_percent = 60,
		  .label = "Phòng học có thiết bị trình chiếu và Internet" },
	};
	OK(round_open(fx->d, w->admin, &r, fw, 2, t, 3, &w->round));
}

static void test_round_open_and_units(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	round_row r;
	OK(round_get(fx->d, w.round, a, &r));
	assert_string_equal(r.school_year, "2024-2025");
	assert_string_equal(r.self_due, "2025-05-31");
	assert_string_equal(r.state, "open");
	round_target *t;
	size_t n;
	OK(round_targets(fx->d, w.round, a, &t, &n));
	assert_int_equal(n, 3);
	assert_int_equal(t[1].share_percent, 80);
	assert_string_equal(t[1].unit_type, "thcs");
	assert_null(t[0].unit_type);
	assert_string_equal(t[2].item_code, "2.3.1");
	round_framework f;
	OK(round_framework_for(fx->d, w.round, "tieu_hoc", a, &f));
	assert_string_equal(f.framework_id, "qd4725-2022");
	assert_int_equal(round_framework_for(fx->d, w.round, "mam_non", a, &f), DB_ENOTFOUND);
	/* One assessment per evaluated unit whose type the round covers. */
	int created = -1, skipped = -1;
	OK(round_add_units(fx->d, w.admin, w.round, "2025-03-01", &created, &skipped));
	assert_int_equal(created, 2);
	assert_int_equal(skipped, 1);
	OK(round_add_units(fx->d, w.admin, w.round, "2025-03-01", &created, &skipped));
	assert_int_equal(created, 0);      /* idempotent */
	assessment as;
	OK(assessment_find(fx->d, w.round, w.thcs, a, &as));
	assert_string_equal(as.state, "not_started");
	assert_string_equal(as.framework_revision, "1");
	/* Bad rounds are refused with a reason. */
	round_row bad = r;
	bad.school_year = "2024-2026";
	round_framework fw1[] = { { "thcs", "qd4725-2022", "1" } };
	assert_int_equal(round_open(fx->d, 0, &bad, fw1, 1, NULL, 0, NULL), DB_EINVAL);
	bad.school_year = "2024-2025";
	bad.office_unit_id = w.thcs;       /* a school cannot open a round */
	bad.title = "Khác";
	assert_int_equal(round_open(fx->d, 0, &bad, fw1, 1, NULL, 0, NULL), DB_EINVAL);
	bad.office_unit_id = w.phong;
	bad.title = r.title;               /* same title, same year */
	assert_int_equal(round_open(fx->d, 0, &bad, fw1, 1, NULL, 0, NULL), DB_ECONSTRAINT);
	bad.title = "Đợt bổ sung";
	bad.self_due = "2025-02-30";
	assert_int_equal(round_open(fx->d, 0, &bad, fw1, 1, NULL, 0, NULL), DB_EINVAL);
	/* Nothing of the refused rounds was written. */
	int64_t rounds = 0;
	OK(db_query_int64(fx->d, &rounds, "SELECT COUNT(*) FROM rounds", NULL));
	assert_int_equal(rounds, 1);
	/* Deadlines move; closing is once. */
	OK(round_set_deadlines(fx->d, w.admin, w.round, "2025-06-05", "2025-06-10", "2025-06-20"));
	OK(round_get(fx->d, w.round, a, &r));
	assert_string_equal(r.self_due, "2025-06-05");
	OK(round_close(fx->d, w.admin, w.round));
	assert_int_equal(round_close(fx->d, w.admin, w.round), DB_ECONFLICT);
	assert_int_equal(round_add_units(fx->d, 0, w.round, "2025-03-01", NULL, NULL), DB_ECONFLICT);
	arena_free(a);
}

/* What a commune follows: the rounds of other offices in which units it
 * manages take part, and those units, on the round's deadline. */
static void test_managed_rounds(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t xa = add_unit(fx, "79760-X", "UBND phường Tân Phong", "ubnd_xa");
	OK(unit_relate(fx->d, 0, w.thcs, UNIT_PARENT, xa, "2025-07-01"));
	OK(unit_relate(fx->d, 0, w.thcs, UNIT_EVALUATOR, w.so, "2025-07-01"));
	OK(unit_relate(fx->d, 0, w.tieuhoc, UNIT_PARENT, xa, "2025-07-01"));
	OK(unit_relate(fx->d, 0, w.tieuhoc, UNIT_EVALUATOR, w.so, "2025-07-01"));
	OK(round_add_units(fx->d, w.admin, w.round, "2025-03-01", NULL, NULL));   /* the Phòng's 2024-2025 round */
	round_row r = { .office_unit_id = w.so, .school_year = "2025-2026", .title = "Đánh giá năm học 2025-2026",
		.policy = "min", .self_due = "2026-05-31" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	int64_t so_round;
	OK(round_open(fx->d, 0, &r, fw, 1, NULL, 0, &so_round));
	int created = 0;
	OK(round_add_units(fx->d, 0, so_round, "2026-05-31", &created, NULL));
	assert_int_equal(created, 1);      /* the THCS; the primary school has no framework here */
	round_row *rs;
	size_t n;
	OK(round_list_managed(fx->d, xa, a, &rs, &n));
	assert_int_equal(n, 1);
	assert_int_equal(rs[0].id, so_round);
	assessment *as;
	OK(assessment_list_managed(fx->d, so_round, xa, "2026-05-31", a, &as, &n));
	assert_int_equal(n, 1);
	assert_int_equal(as[0].unit_id, w.thcs);
	/* on a date before the ward took the school over: none */
	OK(assessment_list_managed(fx->d, so_round, xa, "2025-05-31", a, &as, &n));
	assert_int_equal(n, 0);
	/* the Phòng managed the schools of its own round: its own round is not "followed" */
	OK(round_list_managed(fx->d, w.phong, a, &rs, &n));
	assert_int_equal(n, 0);
	OK(assessment_list_managed(fx->d, w.round, w.phong, "2025-05-31", a, &as, &n));
	assert_int_equal(n, 2);
	arena_free(a);
}

/* A ward that manages two schools the Sở evaluates (issue 11, item 2):
 * its round by evaluator relation takes none; opened "also managed" it
 * takes both whose type has a framework, on the round's date only, each
 * once even when the ward also evaluates one. The Phòng, whose relations
 * end on 1/7/2025, is dissolved from that day. */
static void test_round_by_relation(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t xa = add_unit(fx, "79760-X", "UBND phường Tân Phong", "ubnd_xa");
	int64_t schools[] = { w.thcs, w.tieuhoc, w.mamnon };
	for (size_t i = 0; i < 3; i++) {
		OK(unit_relate(fx->d, 0, schools[i], UNIT_PARENT, xa, "2025-07-01"));
		OK(unit_relate(fx->d, 0, schools[i], UNIT_EVALUATOR, w.so, "2025-07-01"));
	}
	OK(unit_unrelate(fx->d, 0, w.phong, UNIT_PARENT, "2025-07-01"));
	const char *on = NULL;
	OK(unit_dissolved_on(fx->d, w.phong, "2025-06-30", a, &on));
	assert_null(on);
	OK(unit_dissolved_on(fx->d, w.phong, "2025-07-01", a, &on));
	assert_non_null(on);
	assert_string_equal(on, "2025-07-01");
	OK(unit_dissolved_on(fx->d, xa, "2025-07-01", a, &on));   /* never placed: not dissolved */
	assert_null(on);
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" }, { "tieu_hoc", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = xa, .school_year = "2025-2026", .title = "Theo quan hệ đánh giá",
		.policy = "min", .self_due = "2026-05-31" };
	int64_t plain, both, early;
	int created = -1;
	OK(round_open(fx->d, 0, &r, fw, 2, NULL, 0, &plain));
	OK(round_add_units(fx->d, 0, plain, "2026-05-31", &created, NULL));
	assert_int_equal(created, 0);
	bool yes = true;
	OK(round_includes_managed(fx->d, plain, &yes));
	assert_false(yes);
	r.title = "Cả quan hệ quản lý";
	r.include_managed = true;
	OK(round_open(fx->d, 0, &r, fw, 2, NULL, 0, &both));
	OK(round_includes_managed(fx->d, both, &yes));
	assert_true(yes);
	/* the ward evaluates one of them too: still one assessment */
	OK(unit_relate(fx->d, 0, w.thcs, UNIT_EVALUATOR, xa, "2025-09-01"));
	OK(round_add_units(fx->d, 0, both, "2026-05-31", &created, NULL));
	assert_int_equal(created, 2);      /* the THCS and the primary school; no framework for the preschool */
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM assessments WHERE round_id = ? AND unit_id IN (?, ?)", "iii", both,
		w.thcs, w.tieuhoc));
	assert_int_equal(n, 2);
	OK(round_add_units(fx->d, 0, both, "2026-05-31", &created, NULL));
	assert_int_equal(created, 0);      /* idempotent */
	/* before the ward took the schools over (1/7/2025): none */
	r.title = "Trước ngày tiếp nhận";
	OK(round_open(fx->d, 0, &r, fw, 2, NULL, 0, &early));
	OK(round_add_units(fx->d, 0, early, "2025-05-31", &created, NULL));
	assert_int_equal(created, 0);
	arena_free(a);
}

/* A Sở's province: its own round and, read-only, the dissolved Phòng's
 * round of schools it evaluates today; not another province's rounds nor
 * the Phòng's own office assessment. One row per school assessment with
 * the level that counts and the school's managing body today. */
static void test_province_rounds(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t xa = add_unit(fx, "79760-X", "UBND phường Tân Phong", "ubnd_xa");
	int64_t schools[] = { w.thcs, w.tieuhoc };
	for (size_t i = 0; i < 2; i++) {
		OK(unit_relate(fx->d, 0, schools[i], UNIT_PARENT, xa, "2025-07-01"));
		OK(unit_relate(fx->d, 0, schools[i], UNIT_EVALUATOR, w.so, "2025-07-01"));
	}
	OK(round_add_units(fx->d, w.admin, w.round, "2025-03-01", NULL, NULL));   /* the Phòng's 2024-2025 round */
	assessment as;
	OK(assessment_find(fx->d, w.round, w.thcs, a, &as));
	OK(assessment_set_level(fx->d, 0, as.id, "self", 2));
	OK(assessment_set_level(fx->d, 0, as.id, "recognised", 3));
	OK(assessment_find(fx->d, w.round, w.tieuhoc, a, &as));
	OK(assessment_set_level(fx->d, 0, as.id, "self", 1));
	round_row r = { .office_unit_id = w.so, .school_year = "2025-2026", .title = "Đánh giá năm học 2025-2026",
		.policy = "min", .self_due = "2026-05-31" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	int64_t so_round;
	OK(round_open(fx->d, 0, &r, fw, 1, NULL, 0, &so_round));
	OK(round_add_units(fx->d, 0, so_round, "2026-05-31", NULL, NULL));
	/* another province: its Sở, its school, its round */
	int64_t so2 = add_unit(fx, "01", "Sở GD&ĐT Hà Nội", "so");
	int64_t other = add_unit(fx, "01001301", "Trường THCS Ba Đình", "thcs");
	OK(unit_relate(fx->d, 0, other, UNIT_EVALUATOR, so2, "2020-01-01"));
	r.office_unit_id = so2;
	int64_t round2;
	OK(round_open(fx->d, 0, &r, fw, 1, NULL, 0, &round2));
	OK(round_add_units(fx->d, 0, round2, "2026-05-31", NULL, NULL));

	round_row *rs;
	size_t n;
	OK(province_rounds(fx->d, w.so, "2026-01-15", a, &rs, &n));
	assert_int_equal(n, 2);
	assert_int_equal(rs[0].id, so_round);          /* newest school year first */
	assert_string_equal(rs[0].school_year, "2025-2026");
	assert_int_equal(rs[1].id, w.round);
	assert_int_equal(rs[1].office_unit_id, w.phong);
	province_row *rows;
	OK(province_rows(fx->d, w.so, "2026-01-15", a, &rows, &n));
	assert_int_equal(n, 3);
	size_t in_phong = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(rows[i].round_id == w.round || rows[i].round_id == so_round);
		assert_int_equal(rows[i].commune_id, xa);   /* managing body on the date asked */
		if (rows[i].round_id != w.round) continue;
		in_phong++;
		if (rows[i].unit_id == w.thcs) {
			assert_int_equal(rows[i].level, 3);      /* recognised over self */
			assert_true(rows[i].recognised);
			assert_string_equal(rows[i].unit_type, "thcs");
		} else {
			assert_int_equal(rows[i].level, 1);
			assert_false(rows[i].recognised);
		}
	}
	assert_int_equal(in_phong, 2);
	/* before the reform the schools were the Phòng's: only the Sở's own round is its */
	OK(province_rows(fx->d, w.so, "2025-01-15", a, &rows, &n));
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].round_id, so_round);
	assert_int_equal(rows[0].commune_id, w.phong);
	OK(province_rounds(fx->d, so2, "2026-01-15", a, &rs, &n));
	assert_int_equal(n, 1);
	assert_int_equal(rs[0].id, round2);
	arena_free(a);
}

/* The Phòng's report to the Sở: a draft, sent with its figures frozen,
 * a stale transition refused, returned with a reason, in the Sở's inbox
 * and in no one else's. Codes are the caller's (workflow.c). */
static void test_office_report(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	office_report r;
	assert_int_equal(report_get_round(fx->d, w.round, a, &r), DB_ENOTFOUND);
	static const char *const editable[] = { "draft", "returned", NULL };   /* not-a-state: test data */
	int64_t id = 0, id2 = 0;
	OK(report_save(fx->d, w.admin, w.round, w.phong, w.so, "draft", editable, "Bản nháp", &id));   /* not-a-state */
	OK(report_save(fx->d, w.admin, w.round, w.phong, w.so, "draft", editable, "Đã hoàn thành đánh giá", &id2));   /* not-a-state */
	assert_int_equal(id, id2);
	OK(report_get_round(fx->d, w.round, a, &r));
	assert_string_equal(r.narrative, "Đã hoàn thành đánh giá");
	assert_null(r.figures_json);
	assert_null(r.sent_at);
	OK(report_transition(fx->d, w.admin, id, "draft", "submitted", "{\"units\":2}", NULL));   /* not-a-state */
	assert_int_equal(report_transition(fx->d, w.admin, id, "draft", "submitted", "{}", NULL), DB_ECONFLICT);   /* not-a-state */
	OK(report_get_round(fx->d, w.round, a, &r));
	assert_string_equal(r.figures_json, "{\"units\":2}");
	assert_non_null(r.sent_at);
	/* once sent, the text is frozen */
	assert_int_equal(report_save(fx->d, w.admin, w.round, w.phong, w.so, "draft", editable, "x", NULL), DB_ECONFLICT);   /* not-a-state */
	OK(report_transition(fx->d, 0, id, "submitted", "returned", NULL, "Thiếu số liệu"));   /* not-a-state */
	OK(report_get_round(fx->d, w.round, a, &r));
	assert_string_equal(r.return_reason, "Thiếu số liệu");
	assert_string_equal(r.figures_json, "{\"units\":2}");     /* kept */
	report_transition_row *h;
	size_t n;
	OK(report_history(fx->d, id, a, &h, &n));
	assert_int_equal(n, 2);
	assert_string_equal(h[1].reason, "Thiếu số liệu");
	report_inbox_row *in;
	OK(report_inbox(fx->d, w.so, a, &in, &n));
	assert_int_equal(n, 1);
	assert_int_equal(in[0].round.id, w.round);
	assert_string_equal(in[0].office_name, "Phòng GD&ĐT Quận 7");
	assert_int_equal(in[0].report.id, id);
	OK(report_inbox(fx->d, w.phong, a, &in, &n));
	assert_int_equal(n, 0);
	int64_t audits = 0;
	OK(db_query_int64(fx->d, &audits, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'report.%'", NULL));
	assert_int_equal(audits, 4);
	arena_free(a);
}

static void test_answer_versioning(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = 0, teacher = 0, evaluator = 0;
	OK(assessment_create(fx->d, w.admin, w.round, w.thcs, "qd4725-2022", "1", &as));
	OK(account_create(fx->d, 0, "gv.hoa", "Nguyễn Thị Hoa", NULL, &teacher));
	OK(account_create(fx->d, 0, "dg.minh", "Đỗ Văn Minh", NULL, &evaluator));
	int v = 0;
	bool changed = false;
	/* Three changes to one self answer: three versions. */
	OK(assessment_answer_put(fx->d, teacher, as, "1.3", ANSWER_SELF, "{\"met\": false}", NULL,
		&v, &changed));
	assert_int_equal(v, 1);
	assert_true(changed);
	OK(assessment_answer_put(fx->d, teacher, as, "1.3", ANSWER_SELF, "{\"met\": true}",
		"Đã có kế hoạch", &v, &changed));
	assert_int_equal(v, 2);
	OK(assessment_answer_put(fx->d, teacher, as, "1.3", ANSWER_SELF,
		"{\"value\": 7, \"met\": true}", "Đã có kế hoạch và quy chế", &v, &changed));
	assert_int_equal(v, 3);
	/* Sending the current answer again (autosave) adds nothing; key order
	 * does not matter. */
	OK(assessment_answer_put(fx->d, teacher, as, "1.3", ANSWER_SELF,
		"{\"met\":true,\"value\":7}", "Đã có kế hoạch và quy chế", &v, &changed));
	assert_int_equal(v, 3);
	assert_false(changed);
	/* The external side is kept apart. */
	OK(assessment_answer_put(fx->d, evaluator, as, "1.3", ANSWER_EXTERNAL,
		"{\"value\": 5, \"met\": true}", "Quy chế chưa ban hành chính thức", &v, &changed));
	assert_int_equal(v, 1);
	OK(assessment_answer_put(fx->d, teacher, as, "2.1", ANSWER_SELF, "true", NULL, &v, NULL));
	assessment_answer *cur;
	size_t n;
	OK(assessment_answers(fx->d, as, ANSWER_SELF, a, &cur, &n));
	assert_int_equal(n, 2);
	assert_string_equal(cur[0].item_code, "1.3");
	assert_int_equal(cur[0].version, 3);
	assert_string_equal(cur[0].value_json, "{\"met\":true,\"value\":7}");
	assert_string_equal(cur[0].reason, "Đã có kế hoạch và quy chế");
	assert_int_equal(cur[0].author_id, teacher);
	assert_string_equal(cur[1].value_json, "true");
	OK(assessment_answers(fx->d, as, ANSWER_EXTERNAL, a, &cur, &n));
	assert_int_equal(n, 1);
	assert_string_equal(cur[0].value_json, "{\"met\":true,\"value\":5}");
	assert_int_equal(cur[0].author_id, evaluator);
	assessment_answer *hist;
	OK(assessment_answer_history(fx->d, as, ANSWER_SELF, "1.3", a, &hist, &n));
	assert_int_equal(n, 3);
	assert_string_equal(hist[0].value_json, "{\"met\":false}");
	assert_null(hist[0].reason);
	assert_int_equal(hist[2].version, 3);
	assessment_answer one;
	OK(assessment_answer_get(fx->d, as, ANSWER_EXTERNAL, "1.3", a, &one));
	assert_int_equal(one.version, 1);
	assert_int_equal(assessment_answer_get(fx->d, as, ANSWER_EXTERNAL, "2.1", a, &one),
		DB_ENOTFOUND);
	/* Bad input. */
	assert_int_equal(assessment_answer_put(fx->d, teacher, as, "1.3", ANSWER_SELF, "{met: 1}",
		NULL, NULL, NULL), DB_EINVAL);
	assert_int_equal(assessment_answer_put(fx->d, teacher, as, "1.3", ANSWER_SELF,
		"{\"a\":1,\"a\":2}", NULL, NULL, NULL), DB_EINVAL);
	assert_int_equal(assessment_answer_put(fx->d, teacher, as, "1.3'; --", ANSWER_SELF, "1",
		NULL, NULL, NULL), DB_EINVAL);
	assert_int_equal(assessment_answer_put(fx->d, teacher, 999999, "1.3", ANSWER_SELF, "1",
		NULL, NULL, NULL), DB_ENOTFOUND);
	/* Every change was audited with before and after. */
	audit_entry *h;
	OK(audit_history(fx->d, "assessment", as, a, &h, &n));
	int puts = 0;
	for (size_t i = 0; i < n; i++) puts += !strcmp(h[i].action, "answer.put");
	assert_int_equal(puts, 5);
	audit_report r;
	OK(audit_verify(fx->d, &r));
	assert_int_equal(r.bad_seq, 0);
	arena_free(a);
}

static void test_assessment_transitions(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = 0;
	OK(assessment_create(fx->d, w.admin, w.round, w.thcs, "qd4725-2022", "1", &as));
	assert_int_equal(assessment_create(fx->d, w.admin, w.round, w.thcs, "qd4725-2022", "1", NULL),
		DB_ECONSTRAINT);
	OK(assessment_transition(fx->d, w.admin, as, "not_started", "draft", NULL, NULL));
	OK(assessment_transition(fx->d, w.admin, as, "draft", "self_assessed", "Biên bản họp 15/3",
		NULL));
	/* A stale "from" (someone moved it meanwhile) is a conflict and
	 * changes nothing. */
	assert_int_equal(assessment_transition(fx->d, w.admin, as, "draft", "self_assessed", NULL,
		NULL), DB_ECONFLICT);
	assert_non_null(strstr(db_errmsg(fx->d), "self_assessed"));
	OK(assessment_transition(fx->d, w.admin, as, "self_assessed", "returned", "Thiếu minh chứng 1.3",
		"2025-06-07"));
	assessment got;
	OK(assessment_get(fx->d, as, a, &got));
	assert_string_equal(got.state, "returned");
	assert_string_equal(got.extended_until, "2025-06-07");
	assessment_transition_row *t;
	size_t n;
	OK(assessment_transitions(fx->d, as, a, &t, &n));
	assert_int_equal(n, 3);
	assert_string_equal(t[1].from_state, "draft");
	assert_string_equal(t[1].to_state, "self_assessed");
	assert_string_equal(t[1].reason, "Biên bản họp 15/3");
	assert_int_equal(t[2].account_id, w.admin);
	assert_int_equal(strlen(t[2].at), 20);
	assert_int_equal(assessment_transition(fx->d, 0, as, "returned", "Draft!", NULL, NULL),
		DB_EINVAL);
	/* Levels and per-level counts. */
	int64_t as2 = 0;
	OK(assessment_create(fx->d, w.admin, w.round, w.tieuhoc, "qd4725-2022", "1", &as2));
	OK(assessment_set_level(fx->d, w.admin, as, "recognised", 3));
	OK(assessment_set_level(fx->d, w.admin, as2, "self", 2));
	assert_int_equal(assessment_set_level(fx->d, w.admin, as2, "recognised", 4), DB_EINVAL);
	int64_t counts[4];
	OK(assessment_level_counts(fx->d, w.round, NULL, counts));
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[3], 1);
	OK(assessment_level_counts(fx->d, w.round, "tieu_hoc", counts));
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[3], 0);
	arena_free(a);
}

/* ---- council --------------------------------------------------------- */

static void test_council_and_tasks(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = 0, ht = 0, tk = 0, c = 0, m_ht = 0, m_tk = 0, m_uv = 0;
	OK(assessment_create(fx->d, w.admin, w.round, w.thcs, "qd4725-2022", "1", &as));
	OK(account_create(fx->d, 0, "ht.an", "Nguyễn Văn An", NULL, &ht));
	OK(account_create(fx->d, 0, "gv.yen", "Lê Thị Yến", NULL, &tk));
	OK(council_form(fx->d, ht, as, "hoi_dong", "15/QĐ-THCSNHT", "2025-02-10", &c));
	OK(council_add_member(fx->d, ht, c, ht, NULL, "Hiệu trưởng", COUNCIL_CHU_TICH, &m_ht));
	OK(council_add_member(fx->d, ht, c, tk, NULL, "Giáo viên Tin học", COUNCIL_THU_KY, &m_tk));
	OK(council_add_member(fx->d, ht, c, 0, "Trần Văn Sỹ", "Nhân viên thiết bị", COUNCIL_UY_VIEN,
		&m_uv));
	/* One chair; one seat per account. */
	assert_int_equal(council_add_member(fx->d, ht, c, 0, "Người thứ hai", NULL, COUNCIL_CHU_TICH,
		NULL), DB_ECONSTRAINT);
	assert_int_equal(council_add_member(fx->d, ht, c, tk, NULL, NULL, COUNCIL_UY_VIEN, NULL),
		DB_ECONSTRAINT);
	const char *items_tk[] = { "2.3", "1.3", "1.3" };
	OK(council_assign(fx->d, ht, m_tk, items_tk, 3));
	const char *items_uv[] = { "2.4" };
	OK(council_assign(fx->d, ht, m_uv, items_uv, 1));
	council_member *m;
	size_t n;
	OK(council_members(fx->d, c, a, &m, &n));
	assert_int_equal(n, 3);
	assert_int_equal(m[0].post, COUNCIL_CHU_TICH);
	assert_string_equal(m[0].full_name, "Nguyễn Văn An");   /* from the account */
	assert_int_equal(m[1].post, COUNCIL_THU_KY);
	assert_int_equal(m[1].nitems, 2);                        /* deduplicated, sorted */
	assert_string_equal(m[1].items[0], "1.3");
	assert_int_equal(m[2].account_id, 0);
	bool yes;
	OK(council_is_secretary(fx->d, as, tk, &yes));
	assert_true(yes);
	OK(council_is_secretary(fx->d, as, ht, &yes));
	assert_false(yes);
	OK(council_item_assigned(fx->d, as, tk, "2.3", &yes));
	assert_true(yes);
	OK(council_item_assigned(fx->d, as, tk, "2.4", &yes));
	assert_false(yes);
	/* The plan's task table. */
	int64_t members[] = { m_tk, m_uv };
	council_task t1 = { .title = "Thu thập minh chứng các quyết định thành lập Ban chỉ đạo",
		.due = "2025-02-28", .due_label = "Tháng 02/2025", .owner_member_id = m_tk,
		.member_ids = members, .nmembers = 2 };
	council_task t2 = { .title = "Tổng hợp minh chứng, báo cáo kết quả tự đánh giá",
		.due = "2025-05-31", .owner_member_id = m_ht };
	int64_t id1 = 0, id2 = 0;
	OK(council_task_add(fx->d, ht, as, &t1, &id1));
	OK(council_task_add(fx->d, ht, as, &t2, &id2));
	OK(council_task_set_status(fx->d, tk, id1, "done"));
	assert_int_equal(council_task_set_status(fx->d, tk, id1, "xong"), DB_EINVAL);
	council_task *tasks;
	OK(council_tasks(fx->d, as, a, &tasks, &n));
	assert_int_equal(n, 2);
	assert_int_equal(tasks[0].seq, 1);
	assert_int_equal(tasks[1].seq, 2);
	assert_string_equal(tasks[0].status, "done");
	assert_string_equal(tasks[0].due_label, "Tháng 02/2025");
	assert_int_equal(tasks[0].nmembers, 2);
	assert_string_equal(tasks[1].status, "todo");
	/* A member leaves: tasks stay, without that owner. */
	OK(council_remove_member(fx->d, ht, m_tk));
	OK(council_tasks(fx->d, as, a, &tasks, &n));
	assert_int_equal(tasks[0].owner_member_id, 0);
	assert_int_equal(tasks[0].nmembers, 1);
	council got;
	OK(council_form(fx->d, ht, as, "to_cong_tac", "16/QĐ-THCSNHT", "2025-02-12", NULL));
	OK(council_get(fx->d, as, a, &got));
	assert_int_equal(got.id, c);
	assert_string_equal(got.kind, "to_cong_tac");
	arena_free(a);
}

/* ---- evidence -------------------------------------------------------- */

static void test_evidence_codes_files_copy(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = 0;
	OK(assessment_create(fx->d, w.admin, w.round, w.thcs, "qd4725-2022", "1", &as));
	const char *i13[] = { "1.3" }, *i13_24[] = { "1.3", "2.4" }, *i21[] = { "2.1" };
	evidence e = { .assessment_id = as, .title = "Kế hoạch chuyển đổi số năm học 2024-2025",
		.doc_number = "12/KH-THCSNHT", .doc_date = "2024-09-15",
		.issuer = "Trường THCS Nguyễn Hữu Thọ", .items = i13, .nitems = 1 };
	int64_t e1 = 0, e2 = 0, e3 = 0, e4 = 0;
	const char *code = NULL;
	OK(evidence_add(fx->d, w.admin, &e, &e1, a, &code));
	assert_string_equal(code, "MC-1.3-01");
	e.title = "Quy chế quản lý hồ sơ điện tử";
	e.items = i13_24;
	e.nitems = 2;
	OK(evidence_add(fx->d, w.admin, &e, &e2, a, &code));
	assert_string_equal(code, "MC-1.3-02");
	e.title = "Hợp đồng phần mềm quản trị trường học";
	e.items = i21;
	e.nitems = 1;
	OK(evidence_add(fx->d, w.admin, &e, &e3, a, &code));
	assert_string_equal(code, "MC-2.1-01");
	/* A deleted code is never handed out again. */
	OK(evidence_delete(fx->d, w.admin, e2));
	e.items = i13;
	OK(evidence_add(fx->d, w.admin, &e, &e4, a, &code));
	assert_string_equal(code, "MC-1.3-03");
	/* Reuse for another criterion keeps the code stable. */
	OK(evidence_link_criterion(fx->d, w.admin, e1, "2.4"));
	evidence *list;
	size_t n;
	OK(evidence_list(fx->d, as, "2.4", a, &list, &n));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].code, "MC-1.3-01");
	assert_int_equal(list[0].nitems, 2);
	assert_int_equal(evidence_unlink_criterion(fx->d, w.admin, e3, "2.1"), DB_EINVAL);
	OK(evidence_list(fx->d, as, NULL, a, &list, &n));
	assert_int_equal(n, 3);
	/* Files go to the blob store and are attached by hash. */
	char store[96], msg[BLOB_MSG_MAX];
	snprintf(store, sizeof store, "%s/blobs", fx->dir);
	blob_store *bs;
	assert_int_equal(blob_store_open(store, 0, &bs, msg), BLOB_OK);
	static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
	blob_info bi;
	assert_int_equal(blob_put(bs, pdf, sizeof pdf - 1, &bi, msg), BLOB_OK);
	int64_t f1 = 0;
	OK(evidence_add_file(fx->d, w.admin, e1, &bi, "C:\\Users\\GV\\Ke hoach CDS.pdf", &f1));
	assert_int_equal(evidence_add_file(fx->d, w.admin, e1, &bi, "lan 2.pdf", NULL), DB_ECONSTRAINT);
	OK(evidence_add_link(fx->d, w.admin, e1, "https://truongnht.edu.vn/ke-hoach-cds",
		"Cổng thông tin điện tử của trường", NULL));
	assert_int_equal(evidence_add_link(fx->d, w.admin, e1, "javascript:alert(1)", NULL, NULL),
		DB_EINVAL);
	evidence_file *files;
	OK(evidence_files(fx->d, e1, a, &files, &n));
	assert_int_equal(n, 1);
	assert_string_equal(files[0].original_name, "Ke hoach CDS.pdf");
	assert_string_equal(files[0].mime, "application/pdf");
	assert_string_equal(files[0].sha256, bi.sha256);
	/* Next round: copy the catalogue; codes, files and links come along,
	 * new evidence continues after the copied numbers. */
	round_row r2 = { .office_unit_id = w.phong, .school_year = "2025-2026", .title = "Năm học 2025-2026" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	int64_t round2 = 0, as2 = 0;
	OK(round_open(fx->d, w.admin, &r2, fw, 1, NULL, 0, &round2));
	OK(assessment_create(fx->d, w.admin, round2, w.thcs, "qd4725-2022", "1", &as2));
	int copied = 0;
	OK(evidence_copy_all(fx->d, w.admin, as, as2, &copied));
	assert_int_equal(copied, 3);
	OK(evidence_list(fx->d, as2, NULL, a, &list, &n));
	assert_int_equal(n, 3);
	assert_string_equal(list[0].code, "MC-1.3-01");
	assert_string_equal(list[1].code, "MC-1.3-03");
	assert_int_equal(list[0].copied_from, e1);
	OK(evidence_files(fx->d, list[0].id, a, &files, &n));
	assert_int_equal(n, 1);
	assert_string_equal(files[0].sha256, bi.sha256);
	e.assessment_id = as2;
	OK(evidence_add(fx->d, w.admin, &e, &e4, a, &code));
	assert_string_equal(code, "MC-1.3-04");
	bool used;
	OK(evidence_blob_referenced(fx->d, bi.sha256, &used));
	assert_true(used);
	/* Copying the same item into the same assessment again gets a new code. */
	int64_t again = 0;
	OK(evidence_copy(fx->d, w.admin, e1, as2, &again));
	evidence got;
	OK(evidence_get(fx->d, again, a, &got));
	assert_string_equal(got.code, "MC-1.3-05");
	blob_store_close(bs);
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
	X(writers_queue_then_busy) \
	X(pg_reconnects_outside_transactions) \
	X(unit_save_idempotent_nfc) \
	X(unit_relations_dated) \
	X(account_password) \
	X(role_assignments) \
	X(round_open_and_units) \
	X(managed_rounds) \
	X(round_by_relation) \
	X(province_rounds) \
	X(office_report) \
	X(answer_versioning) \
	X(assessment_transitions) \
	X(council_and_tasks) \
	X(evidence_codes_files_copy) \
	X(audit_chain) \
	X(audit_detects_deleted_row)

int main(void)
{
	store_run("store", STORE_TESTS);
}
