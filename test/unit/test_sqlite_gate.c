/* test_sqlite_gate.c — db_sqlite.c's write gate (issue 19): this process's
 * connections to one SQLite file take their write transactions in turn on
 * a mutex instead of SQLite's sleeping busy handler.
 *   - TURNS: eight threads, each on its own connection with a short lock
 *     timeout, write 200 transactions each; none is refused and every row
 *     is there (with the busy handler alone a writer could sleep past its
 *     timeout behind the others).
 *   - TIMEOUT: a writer that waits longer than its lock timeout for the
 *     gate is refused with DB_EBUSY, as SQLite would refuse it, and gets
 *     its turn once the holder commits.
 *   - RELEASE: a rolled back transaction and one ended by an error also
 *     let the next writer in.
 * SQLite only: the gate is the SQLite backend's. */
#include "testutil.h"
#include "db.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { THREADS = 8, WRITES = 200 };

typedef struct {
	char path[64];
} gate_fx;

static int setup(void **state)
{
	gate_fx *fx = calloc(1, sizeof *fx);
	snprintf(fx->path, sizeof fx->path, "/tmp/chiso-gate-%d.db", (int)getpid());
	unlink(fx->path);
	db *d = NULL;
	char *err = NULL;
	if (db_open(fx->path, &d, &err) != DB_OK) { free(err); free(fx); return -1; }
	int rc = db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, who INTEGER NOT NULL, n INTEGER NOT NULL)");
	db_close(d);
	*state = fx;
	return rc == DB_OK ? 0 : -1;
}

static int teardown(void **state)
{
	gate_fx *fx = *state;
	char p[80];
	unlink(fx->path);
	snprintf(p, sizeof p, "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fx->path);
	unlink(p);
	free(fx);
	return 0;
}

static db *open_or_fail(const char *path)
{
	db *d = NULL;
	char *err = NULL;
	if (db_open(path, &d, &err) != DB_OK) fail_msg("open %s: %s", path, err ? err : "?");
	return d;
}

typedef struct {
	const char *path;
	int who, refused;
} writer_arg;

static void *writer(void *p)
{
	writer_arg *a = p;
	db *d = NULL;
	char *err = NULL;
	if (db_open(a->path, &d, &err) != DB_OK) {
		free(err);
		a->refused = -1;
		return NULL;
	}
	/* short: the busy handler's sleeps alone could pass it behind seven writers */
	db_set_lock_timeout(d, 2000);
	for (int i = 0; i < WRITES; i++) {
		int rc = db_begin_write(d);
		if (rc == DB_OK) rc = db_execf(d, "INSERT INTO t (who, n) VALUES (?, ?)", "ii", (int64_t)a->who, (int64_t)i);
		if (rc == DB_OK) rc = db_commit(d);
		else if (db_tx_depth(d)) db_rollback(d);
		if (rc != DB_OK) a->refused++;
	}
	db_close(d);
	return NULL;
}

static void test_turns(void **state)
{
	gate_fx *fx = *state;
	pthread_t t[THREADS];
	writer_arg a[THREADS];
	for (int i = 0; i < THREADS; i++) {
		a[i] = (writer_arg){ .path = fx->path, .who = i };
		assert_int_equal(pthread_create(&t[i], NULL, writer, &a[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		if (a[i].refused) fail_msg("writer %d: %d transactions refused", i, a[i].refused);
	}
	db *d = open_or_fail(fx->path);
	int64_t n = 0, distinct = 0;
	assert_int_equal(db_query_int64(d, &n, "SELECT count(*) FROM t", ""), DB_OK);
	assert_int_equal(db_query_int64(d, &distinct, "SELECT count(DISTINCT who * 1000 + n) FROM t", ""), DB_OK);
	assert_int_equal(n, THREADS * WRITES);
	assert_int_equal(distinct, THREADS * WRITES);
	db_close(d);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_timeout(void **state)
{
	gate_fx *fx = *state;
	db *holder = open_or_fail(fx->path), *waiter = open_or_fail(fx->path);
	db_set_lock_timeout(waiter, 300);
	assert_int_equal(db_begin_write(holder), DB_OK);
	double t0 = now_s();
	assert_int_equal(db_begin_write(waiter), DB_EBUSY);
	double waited = now_s() - t0;
	assert_int_equal(db_tx_depth(waiter), 0);
	/* it waited its timeout, no more than a loaded machine adds */
	if (waited < 0.25 || waited > 5.0) fail_msg("waited %.3f s for a 0.3 s lock timeout", waited);
	assert_int_equal(db_execf(holder, "INSERT INTO t (who, n) VALUES (?, ?)", "ii", (int64_t)100, (int64_t)1), DB_OK);
	assert_int_equal(db_commit(holder), DB_OK);
	/* the holder committed: the waiter's turn */
	assert_int_equal(db_begin_write(waiter), DB_OK);
	assert_int_equal(db_execf(waiter, "INSERT INTO t (who, n) VALUES (?, ?)", "ii", (int64_t)100, (int64_t)2), DB_OK);
	assert_int_equal(db_commit(waiter), DB_OK);
	int64_t n = 0;
	assert_int_equal(db_query_int64(holder, &n, "SELECT count(*) FROM t WHERE who = 100", ""), DB_OK);
	assert_int_equal(n, 2);
	db_close(holder);
	db_close(waiter);
}

static void test_release(void **state)
{
	gate_fx *fx = *state;
	db *one = open_or_fail(fx->path), *two = open_or_fail(fx->path);
	db_set_lock_timeout(two, 300);
	/* a rollback lets the next writer in */
	assert_int_equal(db_begin_write(one), DB_OK);
	assert_int_equal(db_rollback(one), DB_OK);
	assert_int_equal(db_begin_write(two), DB_OK);
	assert_int_equal(db_commit(two), DB_OK);
	/* so does a transaction ended by a failed statement and its rollback */
	assert_int_equal(db_begin_write(one), DB_OK);
	assert_int_not_equal(db_exec(one, "INSERT INTO no_such_table VALUES (1)"), DB_OK);
	db_rollback(one);
	assert_int_equal(db_begin_write(two), DB_OK);
	assert_int_equal(db_commit(two), DB_OK);
	/* and closing a connection in the middle of one */
	assert_int_equal(db_begin_write(one), DB_OK);
	db_close(one);
	assert_int_equal(db_begin_write(two), DB_OK);
	assert_int_equal(db_commit(two), DB_OK);
	db_close(two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_turns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
