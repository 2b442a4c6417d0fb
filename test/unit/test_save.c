/* test_save.c — the answer save (issue 19) on SQLite and, when CHISO_TEST_PG
 * is set, PostgreSQL, through assessment_answer_save: the function the JSON
 * API's PUT /api/v1/danh-gia/{id}/tra-loi calls for each item.
 *
 *   - ROUND TRIPS: one save is SAVE_TRIPS_PG round trips on PostgreSQL
 *     (BEGIN, the lock, the version, the self-chaining audit row, the round
 *     summary's mark and COMMIT in one pipeline: db_write_batch) and
 *     SAVE_TRIPS_SQLITE statements on SQLite (BEGIN IMMEDIATE, the three
 *     INSERTs, COMMIT); with the hook, as in a request of chiso serve, the
 *     save's own trips are the same and the touch after it is
 *     AGG_TRIPS_PG / AGG_TRIPS_SQLITE; an unchanged save
 *     is none; reading the current answers is one, whatever the history.
 *   - THE CHAIN: audit rows hashed by the engine (audit_chain_stmt) and by
 *     C (audit_append), mixed, verify as one chain.
 *   - READS: the account with its grants, and the council and evaluator
 *     facts of the assessment view, are one round trip each and equal to
 *     the separate reads they replace.
 *   - ORDER: a save from a stale read is refused (DB_ECONFLICT, with the
 *     current version), never applied over the newer one; concurrent saves
 *     from several connections to one item leave dense versions, one per
 *     acknowledged save, the current row equal to the highest version and
 *     an audit chain that verifies. */
#include "store_test.h"
#include "audit.h"
#include "q_account.h"
#include "q_api_token.h"
#include "q_assessment.h"
#include "q_council.h"
#include "q_round.h"
#include "q_unit.h"
#include "round_agg.h"
#include <pthread.h>

/* The bound the issue asks for is 6 on PostgreSQL; these are the figures
 * reached, asserted exactly so that any growth fails. The batch's third
 * statement marks the assessment for the round summary (round_agg_dirty,
 * q_round_agg.h): no round trip more on PostgreSQL, one statement more on
 * SQLite. With the server's hook the assessment is touched after the
 * commit in a transaction of its own: on SQLite AGG_TRIPS_SQLITE when the
 * unit's total moves within its cell (BEGIN and the lock, the context and
 * the answers read, the cell and the contribution written, the mark
 * cleared, COMMIT), two fewer when nothing moves; on PostgreSQL
 * AGG_TRIPS_PG: the mark, the context and the answers in one read without the
 * lock, then one pipelined write (BEGIN, the lock, chiso_agg_settle: the
 * mark cleared if it is still the one read, the unit and its cell's delta,
 * COMMIT). */
enum { SAVE_TRIPS_PG = 1, SAVE_TRIPS_SQLITE = 5, AGG_TRIPS_SQLITE = 7, AGG_TRIPS_PG = 2 };

typedef struct world {
	int64_t school, round, as, principal;
	arena *a;
} world;

static void make_world(store_fx *fx, world *w)
{
	memset(w, 0, sizeof *w);
	w->a = arena_new();
	unit p = { .code = "31310", .name = "Phòng GD&ĐT quận Dương Kinh", .type = "phong", .is_public = true };
	unit s = { .code = "31310401", .name = "Trường THCS Hưng Đạo", .type = "thcs", .is_public = true };
	int64_t phong;
	OK(unit_save(fx->d, 0, &p, &phong, NULL));
	OK(unit_save(fx->d, 0, &s, &w->school, NULL));
	OK(unit_relate(fx->d, 0, w->school, UNIT_PARENT, phong, "2020-09-01"));
	int64_t officer;
	OK(account_create(fx->d, 0, "ht.hungdao", "Nguyễn Chí Linh", NULL, &w->principal));
	OK(account_create(fx->d, 0, "pgd.sy", "Đào Văn Sỹ", NULL, &officer));
	OK(account_grant(fx->d, 0, officer, "officer", phong, 0, NULL));
	round_framework rf[] = { { "thcs", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = phong, .school_year = "2024-2025",
		.title = "Đánh giá CĐS năm học 2024-2025", .policy = "min", .self_due = "2025-05-31" };
	OK(round_open(fx->d, officer, &r, rf, 1, NULL, 0, &w->round));
	OK(assessment_create(fx->d, 0, w->round, w->school, "qd4725-2022", "1", &w->as));
}

static void audit_ok(store_fx *fx)
{
	audit_report rep;
	OK(audit_verify(fx->d, &rep));
	if (rep.bad_seq) fail_msg("audit chain broken at %lld: %s", (long long)rep.bad_seq, rep.problem);
}

static void test_save_round_trips(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	int version = 0;
	bool changed = false;
	/* the first save of the connection prepares its statements */
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "1", NULL, NULL, &version, &changed));
	assert_int_equal(version, 1);
	for (int i = 2; i <= 30; i++) {
		/* what the API has in hand: the current answer from the view */
		assessment_answer cur;
		OK(assessment_answer_get(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &cur));
		char value[16];
		snprintf(value, sizeof value, "%d", i);
		db_round_trips_reset(fx->d);
		OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, value, NULL, &cur, &version, &changed));
		int64_t trips = db_round_trips(fx->d);
		assert_true(changed);
		assert_int_equal(version, i);
		if (trips != (fx->pg ? SAVE_TRIPS_PG : SAVE_TRIPS_SQLITE))
			fail_msg("one save took %lld round trips, expected %d", (long long)trips,
			         fx->pg ? SAVE_TRIPS_PG : SAVE_TRIPS_SQLITE);
	}
	/* the same answer again (autosave): nothing stored, no round trip */
	assessment_answer cur;
	OK(assessment_answer_get(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &cur));
	db_round_trips_reset(fx->d);
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "30", NULL, &cur, &version, &changed));
	assert_false(changed);
	assert_int_equal(version, 30);
	assert_int_equal(db_round_trips(fx->d), 0);
	/* the current answers: one statement and one row per item, 30
	 * versions or not */
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.2", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	assessment_answer *all;
	size_t n;
	OK(assessment_answers(fx->d, w.as, ANSWER_SELF, w.a, &all, &n));   /* prepared */
	db_round_trips_reset(fx->d);
	OK(assessment_answers(fx->d, w.as, ANSWER_SELF, w.a, &all, &n));
	assert_int_equal(db_round_trips(fx->d), 1);
	assert_int_equal(n, 2);
	assert_string_equal(all[0].item_code, "1.1");
	assert_int_equal(all[0].version, 30);
	assert_string_equal(all[0].value_json, "30");
	assert_string_equal(all[1].item_code, "1.2");
	assessment_answer *hist;
	OK(assessment_answer_history(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &hist, &n));
	assert_int_equal(n, 30);   /* the versions stay */
	audit_ok(fx);
	arena_free(w.a);
}

static void test_save_stale_is_refused(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "\"a\"", NULL, NULL, NULL, NULL));
	assessment_answer cur;
	OK(assessment_answer_get(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &cur));
	int version = 0;
	bool changed = false;
	/* two clients read version 1; the first save wins */
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "\"b\"", NULL, &cur, &version, &changed));
	assert_int_equal(version, 2);
	assert_int_equal(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "\"c\"", NULL, &cur,
	                                        &version, &changed), DB_ECONFLICT);
	assert_false(changed);
	assert_int_equal(version, 2);   /* the current version, for the 409 */
	assert_int_equal(db_tx_depth(fx->d), 0);
	/* a first answer from two clients that both saw none */
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.2", ANSWER_SELF, "1", NULL, NULL, &version, NULL));
	assert_int_equal(assessment_answer_save(fx->d, w.principal, w.as, "1.2", ANSWER_SELF, "2", NULL, NULL,
	                                        &version, NULL), DB_ECONFLICT);
	assert_int_equal(version, 1);
	/* no such assessment */
	assert_int_equal(assessment_answer_save(fx->d, w.principal, w.as + 999, "1.1", ANSWER_SELF, "1", NULL, NULL,
	                                        NULL, NULL), DB_ENOTFOUND);
	OK(assessment_answer_get(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &cur));
	assert_string_equal(cur.value_json, "\"b\"");
	assert_int_equal(cur.version, 2);
	audit_ok(fx);
	arena_free(w.a);
}

/* audit_chain_stmt hashes in the engine what audit_append hashes in C: rows
 * of both kinds, with NULLs, a system actor, multibyte text, a backslash, a
 * quote and a newline, interleaved, alone and inside a caller's
 * transaction (whose head memo must not outlive the batch), verify as one
 * chain; a failing batch leaves no row and the connection usable. */
static void test_save_audit_chain_in_engine(void **state)
{
	store_fx *fx = *state;
	db *d = fx->d;
	OK(db_begin_write(d));
	OK(audit_append(d, 0, "test.c", "thing", 0, NULL, "{\"a\":1}"));
	OK(db_commit(d));
	const char *odd = "{\"t\":\"Trường THCS Hưng Đạo \\\\ 'x' \\n đ\"}\nthứ hai\tdòng";
	db_stmt *s[2];
	s[0] = audit_chain_stmt(d, 7, "test.sql", "thing", 42, NULL, odd);
	s[1] = audit_chain_stmt(d, 0, "test.sql", "thing", 0, odd, NULL);
	assert_non_null(s[0]);
	assert_non_null(s[1]);
	db_round_trips_reset(d);
	OK(db_write_batch(d, s, 2));
	if (fx->pg) assert_int_equal(db_round_trips(d), 1);
	db_finish(s[0]);
	db_finish(s[1]);
	/* nested: C row, engine row, C row again in one transaction */
	OK(db_begin_write(d));
	OK(audit_append(d, 3, "test.c", "thing", 9, "null", "[]"));
	s[0] = audit_chain_stmt(d, 3, "test.sql", "thing", 9, "[]", "Mức 3");
	OK(db_write_batch(d, s, 1));
	db_finish(s[0]);
	OK(audit_append(d, 3, "test.c", "thing", 9, "Mức 3", NULL));
	OK(db_commit(d));
	/* a batch that fails after its audit row: nothing of it stays */
	int64_t before = 0, after = 0;
	OK(db_query_int64(d, &before, "SELECT COUNT(*) FROM audit_log", ""));
	s[0] = audit_chain_stmt(d, 3, "test.sql", "thing", 9, NULL, NULL);
	s[1] = db_prepare(d, "INSERT INTO answers (assessment_id, item_code, side, version, value_json,"
		" created_at) VALUES (?, '1.1', 'self', 1, '1', '2025-01-01T00:00:00Z')");
	OK(db_bindf(s[1], "i", (int64_t)999999));   /* no such assessment */
	assert_int_equal(db_write_batch(d, s, 2), DB_ECONSTRAINT);
	db_finish(s[0]);
	db_finish(s[1]);
	assert_int_equal(db_tx_depth(d), 0);
	OK(db_query_int64(d, &after, "SELECT COUNT(*) FROM audit_log", ""));
	assert_int_equal(after, before);
	assert_int_equal(before, 6);
	audit_report rep;
	OK(audit_verify(d, &rep));
	if (rep.bad_seq) fail_msg("audit chain broken at %lld: %s", (long long)rep.bad_seq, rep.problem);
	assert_int_equal(rep.rows, 6);
	char *t;
	arena *a = arena_new();
	OK(db_query_text(d, a, &t, "SELECT after_json FROM audit_log WHERE seq = 2", ""));
	assert_string_equal(t, odd);
	arena_free(a);
}

/* ---- concurrent saves ------------------------------------------------ */

enum { WRITERS = 4, SAVES = 25 };

typedef struct writer {
	const char *target;
	int64_t as, actor;
	int id;
	bool cas;                 /* compare-and-set from its own read, else assessment_answer_put */
	int acked[SAVES];         /* version of each acknowledged save, 0 when refused */
	int conflicts, errors;
	char err[200];
} writer;

static void *write_loop(void *arg)
{
	writer *wr = arg;
	db *d;
	char *msg = NULL;
	if (db_open(wr->target, &d, &msg) != DB_OK) {
		snprintf(wr->err, sizeof wr->err, "%s", msg ? msg : "open");
		free(msg);
		wr->errors = SAVES;
		return NULL;
	}
	db_set_lock_timeout(d, 30000);
	arena *a = arena_new();
	for (int i = 0; i < SAVES; i++) {
		char value[32];
		snprintf(value, sizeof value, "%d", wr->id * 1000 + i);
		int version = 0;
		int rc;
		if (wr->cas) {
			assessment_answer cur;
			rc = assessment_answer_get(d, wr->as, ANSWER_SELF, "1.1", a, &cur);
			bool have = rc == DB_OK;
			rc = assessment_answer_save(d, wr->actor, wr->as, "1.1", ANSWER_SELF, value, NULL,
			                            have ? &cur : NULL, &version, NULL);
		} else {
			rc = assessment_answer_put(d, wr->actor, wr->as, "1.1", ANSWER_SELF, value, NULL, &version, NULL);
		}
		if (rc == DB_OK) wr->acked[i] = version;
		else if (rc == DB_ECONFLICT) wr->conflicts++;
		else {
			wr->errors++;
			snprintf(wr->err, sizeof wr->err, "%d: %s", rc, db_errmsg(d));
		}
	}
	arena_free(a);
	db_close(d);
	return NULL;
}

static void test_save_concurrent(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	writer wr[WRITERS];
	pthread_t th[WRITERS];
	memset(wr, 0, sizeof wr);
	for (int i = 0; i < WRITERS; i++) {
		wr[i] = (writer){ .target = fx->target, .as = w.as, .actor = w.principal, .id = i + 1, .cas = i % 2 == 0 };
		assert_int_equal(pthread_create(&th[i], NULL, write_loop, &wr[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) pthread_join(th[i], NULL);
	/* every acknowledged save has its own version; refusals came only
	 * from the compare-and-set writers */
	bool seen[WRITERS * SAVES + 1];
	memset(seen, 0, sizeof seen);
	int acked = 0, top = 0;
	for (int i = 0; i < WRITERS; i++) {
		if (wr[i].errors) fail_msg("writer %d: %d errors, last %s", i, wr[i].errors, wr[i].err);
		if (!wr[i].cas) assert_int_equal(wr[i].conflicts, 0);
		int last = 0;
		for (int k = 0; k < SAVES; k++) {
			int v = wr[i].acked[k];
			if (!v) continue;
			assert_true(v >= 1 && v <= WRITERS * SAVES);
			assert_false(seen[v]);
			seen[v] = true;
			assert_true(v > last);   /* one connection's saves, in its order */
			last = v;
			acked++;
			if (v > top) top = v;
		}
	}
	assessment_answer *hist;
	size_t n;
	OK(assessment_answer_history(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &hist, &n));
	assert_int_equal((int)n, acked);      /* nothing stored that was not acknowledged */
	assert_int_equal(top, acked);         /* dense 1..n */
	for (size_t i = 0; i < n; i++) assert_int_equal(hist[i].version, (int)i + 1);
	assessment_answer cur;
	OK(assessment_answer_get(fx->d, w.as, ANSWER_SELF, "1.1", w.a, &cur));
	assert_int_equal(cur.version, top);
	assert_string_equal(cur.value_json, hist[n - 1].value_json);
	audit_ok(fx);
	arena_free(w.a);
}

/* Concurrent saves of several items of one assessment with the server's
 * hook, each counted after its commit as in chiso serve: on PostgreSQL
 * without the lock across the settle's reads (a save committed between a
 * settle's read and its write changes the mark, the later settle counts
 * both). At the end no mark is left and the unit and its cell equal a
 * full recomputation. */
typedef struct agg_writer {
	const char *target;
	int64_t as, actor;
	const char *item;
	const char *const *values;   /* four, in turn */
	int errors;
	char err[200];
} agg_writer;

static void *agg_write_loop(void *arg)
{
	agg_writer *wr = arg;
	db *d;
	char *msg = NULL;
	if (db_open(wr->target, &d, &msg) != DB_OK) {
		snprintf(wr->err, sizeof wr->err, "%s", msg ? msg : "open");
		free(msg);
		wr->errors = 1;
		return NULL;
	}
	db_set_lock_timeout(d, 30000);
	for (int i = 0; i < SAVES; i++) {
		int rc = assessment_answer_put(d, wr->actor, wr->as, wr->item, ANSWER_SELF, wr->values[i % 4], NULL, NULL, NULL);
		if (rc != DB_OK) {
			wr->errors++;
			snprintf(wr->err, sizeof wr->err, "%d: %s", rc, db_errmsg(d));
		}
	}
	db_close(d);
	return NULL;
}

static void test_save_settle_concurrent(void **state)
{
	store_fx *fx = *state;
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	round_agg_enable(&cat);
	world w;
	make_world(fx, &w);
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.2", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	/* points, the same item from two connections, a ratio, a yes/no */
	static const char *const points[] = { "25", "5", "15", "0" };
	static const char *const ratio[] = { "{\"num\": 45, \"den\": 250}", "{\"num\": 200, \"den\": 250}",
	                                     "{\"num\": 0, \"den\": 250}", "{\"num\": 7, \"den\": 9}" };
	static const char *const yesno[] = { "true", "false", "true", "false" };
	static const char *const items[WRITERS] = { "1.4", "1.4", "1.3.2", "1.5.1" };
	const char *const *values[WRITERS] = { points, points, ratio, yesno };
	agg_writer wr[WRITERS];
	pthread_t th[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		wr[i] = (agg_writer){ .target = fx->target, .as = w.as, .actor = w.principal, .item = items[i], .values = values[i] };
		assert_int_equal(pthread_create(&th[i], NULL, agg_write_loop, &wr[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) pthread_join(th[i], NULL);
	for (int i = 0; i < WRITERS; i++)
		if (wr[i].errors) fail_msg("writer %d: %d errors, last %s", i, wr[i].errors, wr[i].err);
	bool marked = true;
	OK(agg_round_dirty(fx->d, w.round, &marked));
	assert_false(marked);
	agg_member *m1 = NULL, *m2 = NULL;
	agg_cell_row *c1 = NULL, *c2 = NULL;
	size_t nm1 = 0, nm2 = 0, nc1 = 0, nc2 = 0;
	OK(round_agg_compute(fx->d, &cat, w.round, w.a, &m1, &nm1, &c1, &nc1));
	OK(agg_members(fx->d, w.round, w.a, &m2, &nm2));
	OK(agg_cells(fx->d, w.round, w.a, &c2, &nc2));
	assert_int_equal(nm1, 1);
	assert_int_equal(nm2, 1);
	assert_string_equal(m2[0].summary, m1[0].summary);
	assert_int_equal(nc1, 1);
	assert_int_equal(nc2, 1);
	assert_string_equal(c2[0].body, c1[0].body);
	assert_int_equal(c2[0].units, c1[0].units);
	/* the settle's one read: the context, no mark left, the five items answered */
	agg_context cx;
	bulk_answer *ans = NULL;
	size_t na = 0;
	OK(agg_context_answers_get(fx->d, w.as, w.a, &cx, &ans, &na));
	assert_true(cx.has_member && cx.has_cell && !cx.has_mark);
	assert_string_equal(cx.member.summary, m1[0].summary);
	assert_int_equal(na, 5);
	for (size_t i = 1; i < na; i++) assert_true(strcmp(ans[i - 1].item_code, ans[i].item_code) < 0);
	audit_ok(fx);
	round_agg_enable(NULL);
	fw_catalog_free(&cat);
	arena_free(w.a);
}

/* chiso_agg_settle's guards (PostgreSQL): a mark that is no longer the
 * one read is left alone (a later save's settle counts it); a unit that
 * is no longer the one read fails the write (40001: the caller takes the
 * locked path) and leaves the mark; the locked path then counts it. */
static void test_save_settle_guards(void **state)
{
	store_fx *fx = *state;
	if (!fx->pg) skip();
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	round_agg_enable(&cat);
	world w;
	make_world(fx, &w);
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.2", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	/* a save whose settle never ran (a crash after its commit) */
	round_agg_defer();
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.4", ANSWER_SELF, "25", NULL, NULL, NULL, NULL));
	round_agg_settle_deferred(NULL);
	agg_context cx;
	OK(agg_context_get(fx->d, w.as, w.a, &cx));
	assert_true(cx.has_mark && cx.has_member && cx.mark_seq > 0);
	agg_member now = cx.member;
	now.summary = "v1;-";
	now.total_key = 0;
	/* another transaction's mark: nothing written */
	agg_settle st = { w.as, cx.mark_seq + 1, &cx.member, &now, NULL };
	db_stmt *s = agg_settle_stmt(fx->d, &st);
	assert_non_null(s);
	OK(db_write_batch(fx->d, &s, 1));
	db_finish(s);
	agg_context after;
	OK(agg_context_get(fx->d, w.as, w.a, &after));
	assert_true(after.has_mark);
	assert_string_equal(after.member.summary, cx.member.summary);
	/* the unit changed since the read: refused, nothing written */
	agg_member stale = cx.member;
	stale.summary = "v1;T=1;G=;C=;R=";
	st = (agg_settle){ w.as, cx.mark_seq, &stale, &now, NULL };
	s = agg_settle_stmt(fx->d, &st);
	assert_non_null(s);
	assert_int_equal(db_write_batch(fx->d, &s, 1), DB_EBUSY);
	db_clear_error(fx->d);
	db_finish(s);
	OK(agg_context_get(fx->d, w.as, w.a, &after));
	assert_true(after.has_mark);
	assert_string_equal(after.member.summary, cx.member.summary);
	/* the locked path (the server's thread) counts it */
	size_t napplied = 0;
	OK(round_agg_apply_marks(fx->d, &cat, &napplied));
	assert_int_equal(napplied, 1);
	OK(agg_context_get(fx->d, w.as, w.a, &after));
	assert_false(after.has_mark);
	agg_member *m1 = NULL;
	agg_cell_row *c1 = NULL, *c2 = NULL;
	size_t nm1 = 0, nc1 = 0, nc2 = 0;
	OK(round_agg_compute(fx->d, &cat, w.round, w.a, &m1, &nm1, &c1, &nc1));
	OK(agg_cells(fx->d, w.round, w.a, &c2, &nc2));
	assert_int_equal(nc2, 1);
	assert_string_equal(c2[0].body, c1[0].body);
	assert_string_equal(after.member.summary, m1[0].summary);
	/* without the lock-free settle: the locked path, its round trips, the same sums */
	round_agg_set_settle(NULL);
	round_agg_defer();
	OK(assessment_answer_put(fx->d, w.principal, w.as, "1.4", ANSWER_SELF, "5", NULL, NULL, NULL));
	assert_int_equal(round_agg_settle_deferred(fx->d), AGG_TRIPS_SQLITE);
	OK(round_agg_compute(fx->d, &cat, w.round, w.a, &m1, &nm1, &c1, &nc1));
	OK(agg_cells(fx->d, w.round, w.a, &c2, &nc2));
	assert_string_equal(c2[0].body, c1[0].body);
	round_agg_enable(NULL);
	fw_catalog_free(&cat);
	arena_free(w.a);
}

/* The reads before a save (issue 19): the account with its grants, and
 * the council and evaluator facts of the view, one round trip each, each
 * equal to what the separate reads give. */
static void test_save_reads_combined(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	int64_t secretary, evaluator, cid, mid;
	OK(account_create(fx->d, 0, "gv.thuky", "Lê Thị Thu", NULL, &secretary));
	OK(account_create(fx->d, 0, "dg.ngoai", "Phạm Văn Đức", NULL, &evaluator));
	OK(account_grant(fx->d, 0, secretary, "council_member", w.school, w.round, NULL));
	OK(account_grant(fx->d, 0, evaluator, "external_evaluator", w.school, w.round, NULL));

	/* before the council: nothing */
	assessment_facts f;
	OK(assessment_facts_get(fx->d, w.as, w.round, w.school, secretary, &f));   /* prepares */
	db_round_trips_reset(fx->d);
	OK(assessment_facts_get(fx->d, w.as, w.round, w.school, secretary, &f));
	if (fx->pg) assert_int_equal(db_round_trips(fx->d), 1);
	assert_false(f.council_formed || f.council_secretary || f.assigned_evaluator || f.team_head);

	OK(council_form(fx->d, 0, w.as, "hoi_dong", NULL, NULL, &cid));
	OK(council_add_member(fx->d, 0, cid, secretary, NULL, "Giáo viên", COUNCIL_THU_KY, &mid));
	OK(round_assign_evaluator(fx->d, 0, w.round, w.school, evaluator, true));
	OK(assessment_facts_get(fx->d, w.as, w.round, w.school, secretary, &f));
	assert_true(f.council_formed && f.council_secretary);
	assert_false(f.assigned_evaluator || f.team_head);
	OK(assessment_facts_get(fx->d, w.as, w.round, w.school, evaluator, &f));
	assert_true(f.council_formed && f.assigned_evaluator && f.team_head);
	assert_false(f.council_secretary);
	OK(round_assign_evaluator(fx->d, 0, w.round, w.school, evaluator, false));
	OK(assessment_facts_get(fx->d, w.as, w.round, w.school, evaluator, &f));
	assert_true(f.assigned_evaluator);
	assert_false(f.team_head);

	/* the assessment with its round and unit: as the three gets */
	assessment as1, as2;
	round_row r1, r2;
	unit u1, u2;
	OK(assessment_get_with_round_unit(fx->d, w.as, w.a, &as1, &r1, &u1));   /* prepares */
	db_round_trips_reset(fx->d);
	OK(assessment_get_with_round_unit(fx->d, w.as, w.a, &as1, &r1, &u1));
	if (fx->pg) assert_int_equal(db_round_trips(fx->d), 1);
	OK(assessment_get(fx->d, w.as, w.a, &as2));
	OK(round_get(fx->d, as2.round_id, w.a, &r2));
	OK(unit_get(fx->d, as2.unit_id, w.a, &u2));
	assert_int_equal(as1.id, as2.id);
	assert_int_equal(as1.round_id, as2.round_id);
	assert_int_equal(as1.unit_id, as2.unit_id);
	assert_string_equal(as1.framework_id, as2.framework_id);
	assert_string_equal(as1.framework_revision, as2.framework_revision);
	assert_string_equal(as1.state, as2.state);
	assert_int_equal(r1.id, r2.id);
	assert_int_equal(r1.office_unit_id, r2.office_unit_id);
	assert_string_equal(r1.school_year, r2.school_year);
	assert_string_equal(r1.title, r2.title);
	assert_string_equal(r1.policy, r2.policy);
	assert_string_equal(r1.self_due, r2.self_due);
	assert_string_equal(r1.state, r2.state);
	assert_int_equal(u1.id, u2.id);
	assert_string_equal(u1.code, u2.code);
	assert_string_equal(u1.name, u2.name);
	assert_string_equal(u1.type, u2.type);
	assert_int_equal(u1.is_public, u2.is_public);
	assert_int_equal(assessment_get_with_round_unit(fx->d, 999999, w.a, &as1, &r1, &u1), DB_ENOTFOUND);

	/* the account and its grants: as account_get + account_grants */
	int64_t ids[] = { w.principal, secretary, evaluator };
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		account one, sep;
		authz_grant *g, *g2;
		size_t n, n2;
		OK(account_get_with_grants(fx->d, ids[i], w.a, &one, &g, &n));   /* prepares */
		db_round_trips_reset(fx->d);
		OK(account_get_with_grants(fx->d, ids[i], w.a, &one, &g, &n));
		if (fx->pg) assert_int_equal(db_round_trips(fx->d), 1);
		OK(account_get(fx->d, ids[i], w.a, &sep));
		OK(account_grants(fx->d, ids[i], w.a, &g2, &n2));
		assert_int_equal(one.id, sep.id);
		assert_string_equal(one.login, sep.login);
		assert_string_equal(one.full_name, sep.full_name);
		assert_int_equal(one.active, sep.active);
		assert_int_equal(n, n2);
		assert_non_null(g);
		for (size_t k = 0; k < n; k++) {
			assert_int_equal(g[k].role, g2[k].role);
			assert_int_equal(g[k].unit_id, g2[k].unit_id);
			assert_int_equal(g[k].round_id, g2[k].round_id);
		}
	}
	account none;
	authz_grant *g;
	size_t n;
	assert_int_equal(account_get_with_grants(fx->d, 999999, w.a, &none, &g, &n), DB_ENOTFOUND);

	/* a token with its account and grants (the API's request): one round
	 * trip once its use is noted; revoked or malformed, nobody */
	char *tok;
	int64_t tid;
	OK(api_token_create(fx->d, evaluator, evaluator, "bench", NULL, w.a, &tok, &tid));
	account ta;
	OK(api_token_account(fx->d, tok, w.a, &ta, &g, &n));   /* prepares, notes the use */
	db_round_trips_reset(fx->d);
	OK(api_token_account(fx->d, tok, w.a, &ta, &g, &n));
	if (fx->pg) assert_int_equal(db_round_trips(fx->d), 1);
	assert_int_equal(ta.id, evaluator);
	assert_string_equal(ta.login, "dg.ngoai");
	assert_int_equal(n, 1);
	assert_int_equal(g[0].role, AUTHZ_EXTERNAL_EVALUATOR);
	assert_int_equal(g[0].round_id, w.round);
	int64_t via = 0;
	OK(api_token_lookup(fx->d, tok, &via, NULL));
	assert_int_equal(via, ta.id);
	assert_int_equal(api_token_account(fx->d, "chiso_khong-phai-token", w.a, &ta, &g, &n), DB_ENOTFOUND);
	OK(api_token_revoke(fx->d, evaluator, evaluator, tid));
	assert_int_equal(api_token_account(fx->d, tok, w.a, &ta, &g, &n), DB_ENOTFOUND);
	arena_free(w.a);
}

/* With the server's hook: the save's own trips unchanged, its touch after
 * it AGG_TRIPS_PG / AGG_TRIPS_SQLITE, the mark cleared, the stored total
 * follows and the cell equals its recomputation. */
static void test_save_round_trips_kept(void **state)
{
	store_fx *fx = *state;
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	round_agg_enable(&cat);
	world w;
	make_world(fx, &w);   /* the round's first assessment started its aggregates */
	assert_true(round_agg_current(fx->d, w.round));
	/* the gates passed and 1.4 answered: 1.4's points move the unit's total
	 * (its cell stays: its level is the stored one) */
	static const char *const values[] = { "25", "5" };
	int64_t last_total = 0;
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.1", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.2", ANSWER_SELF, "true", NULL, NULL, NULL, NULL));
	OK(assessment_answer_save(fx->d, w.principal, w.as, "1.4", ANSWER_SELF, "25", NULL, NULL, NULL, NULL));
	for (int i = 0; i < 6; i++) {
		assessment_answer cur;
		OK(assessment_answer_get(fx->d, w.as, ANSWER_SELF, "1.4", w.a, &cur));
		/* as in a request of chiso serve: the touch after the save */
		round_agg_defer();
		db_round_trips_reset(fx->d);
		OK(assessment_answer_save(fx->d, w.principal, w.as, "1.4", ANSWER_SELF, values[(i + 1) % 2], NULL, &cur, NULL, NULL));
		int64_t trips = db_round_trips(fx->d), agg = round_agg_settle_deferred(fx->d);
		if (trips != (fx->pg ? SAVE_TRIPS_PG : SAVE_TRIPS_SQLITE))
			fail_msg("a kept save took %lld round trips, expected %d", (long long)trips, fx->pg ? SAVE_TRIPS_PG : SAVE_TRIPS_SQLITE);
		int agg_trips = fx->pg ? AGG_TRIPS_PG : AGG_TRIPS_SQLITE;
		if (agg != agg_trips) fail_msg("its touch took %lld round trips, expected %d", (long long)agg, agg_trips);
		bool marked = true;
		OK(agg_round_dirty(fx->d, w.round, &marked));
		assert_false(marked);
		/* the stored total followed the save */
		agg_member *m = NULL;
		size_t n = 0;
		OK(agg_members(fx->d, w.round, w.a, &m, &n));
		assert_int_equal(n, 1);
		if (i) assert_int_not_equal(m[0].total_key, last_total);
		last_total = m[0].total_key;
	}
	agg_member *m = NULL;
	size_t n = 0;
	OK(agg_members(fx->d, w.round, w.a, &m, &n));
	assert_int_equal(n, 1);
	assert_non_null(strstr(m[0].summary, "v1;T="));
	/* the cell moved by deltas (PostgreSQL: in the engine) equals the sum counted again */
	agg_member *m1 = NULL;
	agg_cell_row *c1 = NULL, *c2 = NULL;
	size_t nm1 = 0, nc1 = 0, nc2 = 0;
	OK(round_agg_compute(fx->d, &cat, w.round, w.a, &m1, &nm1, &c1, &nc1));
	OK(agg_cells(fx->d, w.round, w.a, &c2, &nc2));
	assert_int_equal(nc1, 1);
	assert_int_equal(nc2, 1);
	assert_string_equal(c2[0].cell, c1[0].cell);
	assert_string_equal(c2[0].body, c1[0].body);
	round_agg_enable(NULL);
	fw_catalog_free(&cat);
	arena_free(w.a);
}

#define STORE_TESTS(X) \
	X(save_round_trips) \
	X(save_round_trips_kept) \
	X(save_reads_combined) \
	X(save_stale_is_refused) \
	X(save_audit_chain_in_engine) \
	X(save_concurrent) \
	X(save_settle_concurrent) \
	X(save_settle_guards)

int main(void)
{
	store_run("save", STORE_TESTS);
}
