/* store_test.h — a cmocka fixture that gives each test a fresh, migrated
 * database on one backend: a new SQLite file in a temp directory, or a clean
 * `public` schema on the PostgreSQL named by CHISO_TEST_PG (a postgresql://
 * URL or a libpq conninfo; test/run.sh starts one with test/pg.sh). Each
 * test also gets a temp directory (fx->dir) for blobs and other files.
 *
 * A test file lists its tests once in a STORE_TESTS(X) macro and calls
 * store_run(), which runs every test on SQLite and, when CHISO_TEST_PG is
 * set, again on PostgreSQL as "sqlite/name" and "pg/name" in one cmocka
 * group (so test/run.sh reads one summary). */
#ifndef CHISO_STORE_TEST_H
#define CHISO_STORE_TEST_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "q_unit.h"
#include "util.h"

typedef struct store_fx {
	db *d;
	bool pg;
	char dir[64];
	char *target;     /* what db_open was given: another process can open it too */
} store_fx;

/* Fails the test with the handle's message when expr is not DB_OK. */
#define OK(expr) do { \
	int rc_ = (expr); \
	if (rc_ != DB_OK) fail_msg("%s -> %d: %s", #expr, rc_, db_errmsg(fx->d)); \
} while (0)

/* A public unit saved by the system (actor 0); its id. */
static inline int64_t store_add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

static char *store_pg_target(void)
{
	const char *env = getenv("CHISO_TEST_PG");
	if (!env || !*env) return NULL;
	if (!strncmp(env, "postgres", 8) || !strncmp(env, "pg:", 3)) return xstrdup(env);
	char *t = xmalloc(strlen(env) + 4);
	sprintf(t, "pg:%s", env);
	return t;
}

static void store_rmdir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", dir);
}

static int store_setup(void **state, bool pg)
{
	store_fx *fx = xcalloc(1, sizeof *fx);
	fx->pg = pg;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/chiso-store-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	char *err = NULL;
	int rc;
	if (pg) {
		fx->target = store_pg_target();
		rc = db_open(fx->target, &fx->d, &err);
		/* A clean schema per test: tests never see each other's rows. */
		if (rc == DB_OK) rc = db_exec(fx->d, "DROP SCHEMA IF EXISTS public CASCADE;"
			" CREATE SCHEMA public");
	} else {
		fx->target = xmalloc(96);
		snprintf(fx->target, 96, "%s/chiso.db", fx->dir);
		rc = db_open(fx->target, &fx->d, &err);
	}
	if (rc == DB_OK) rc = db_migrate(fx->d, NULL);
	if (rc != DB_OK) {
		fprintf(stderr, "store fixture (%s): %s\n", pg ? "pg" : "sqlite",
			err ? err : db_errmsg(fx->d));
		free(err);
		db_close(fx->d);
		store_rmdir(fx->dir);
		free(fx->target);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int store_setup_sqlite(void **state) { return store_setup(state, false); }
static int store_setup_pg(void **state) { return store_setup(state, true); }

static int store_teardown(void **state)
{
	store_fx *fx = *state;
	if (!fx) return 0;
	db_close(fx->d);
	store_rmdir(fx->dir);
	free(fx->target);
	free(fx);
	return 0;
}

#define STORE_TEST_ENTRY_SQLITE(name) \
	{ "sqlite/" #name, test_##name, store_setup_sqlite, store_teardown, NULL },
#define STORE_TEST_ENTRY_PG(name) \
	{ "pg/" #name, test_##name, store_setup_pg, store_teardown, NULL },

/* Runs the listed tests on SQLite, then on PostgreSQL if configured. */
#define store_run(group, LIST) do { \
	static const struct CMUnitTest lite_[] = { LIST(STORE_TEST_ENTRY_SQLITE) }; \
	static const struct CMUnitTest pg_[] = { LIST(STORE_TEST_ENTRY_PG) }; \
	size_t nl_ = sizeof lite_ / sizeof lite_[0], np_ = sizeof pg_ / sizeof pg_[0]; \
	struct CMUnitTest *all_ = xcalloc(nl_ + np_, sizeof *all_); \
	memcpy(all_, lite_, sizeof lite_); \
	size_t n_ = nl_; \
	char *pg_target_ = store_pg_target(); \
	if (pg_target_) { \
		memcpy(all_ + nl_, pg_, sizeof pg_); \
		n_ += np_; \
		free(pg_target_); \
	} else { \
		printf("[ SKIPPED  ] PostgreSQL: CHISO_TEST_PG is not set, only SQLite runs\n"); \
	} \
	int failed_ = _cmocka_run_group_tests(group, all_, n_, NULL, NULL); \
	free(all_); \
	return failed_; \
} while (0)
#endif
