/* bench/store.c — store figures on both backends: saving 50,000 units in
 * one transaction (each validated, NFC-normalised, folded and audited, as
 * an import does), creating 50,000 assessments, and computing per-level
 * counts over them. SQLite always; PostgreSQL on CHISO_TEST_PG, or on a
 * throw-away server started with test/pg.sh when that is available.
 * Prints figures; never fails on timing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "db.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"

enum { UNITS = 50000 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(db *d, int rc, const char *what)
{
	if (rc != DB_OK) {
		fprintf(stderr, "bench/store: %s: %s\n", what, db_errmsg(d));
		exit(1);
	}
}

static void run(const char *target, const char *label)
{
	static const char *const types[] = { "mam_non", "tieu_hoc", "thcs", "thpt", "gdtx" };
	static const char *const names[] = { "Trường Mầm non Hoa Sen", "Trường Tiểu học Lê Văn Tám",
		"Trường THCS Nguyễn Hữu Thọ", "Trường THPT Lê Quý Đôn", "Trung tâm GDNN-GDTX Quận 7" };
	db *d;
	char *err = NULL;
	if (db_open(target, &d, &err) != DB_OK) {
		fprintf(stderr, "bench/store: %s: %s\n", label, err);
		free(err);
		return;
	}
	if (db_kind(d) == DB_PG) check(d, db_exec(d, "DROP SCHEMA IF EXISTS public CASCADE;"
		" CREATE SCHEMA public"), "reset");
	check(d, db_migrate(d, NULL), "migrate");

	unit office = { .code = "79", .name = "Sở GD&ĐT TP. Hồ Chí Minh", .type = "so",
		.is_public = true };
	int64_t office_id = 0;
	check(d, unit_save(d, 0, &office, &office_id, NULL), "office");

	int64_t *ids = xmalloc(UNITS * sizeof *ids);
	double t0 = now_s();
	check(d, db_begin_write(d), "begin");
	for (int i = 0; i < UNITS; i++) {
		char code[16], name[128], addr[96];
		snprintf(code, sizeof code, "79%06d", i);
		snprintf(name, sizeof name, "%s số %d", names[i % 5], i);
		snprintf(addr, sizeof addr, "%d đường Nguyễn Văn Linh, phường Tân Phong", i % 900 + 1);
		unit u = { .code = code, .name = name, .type = types[i % 5], .address = addr,
			.is_public = i % 7 != 0 };
		check(d, unit_save(d, 0, &u, &ids[i], NULL), "unit_save");
	}
	check(d, db_commit(d), "commit");
	double t_units = now_s() - t0;

	/* Re-import: every unit unchanged, nothing written. */
	t0 = now_s();
	check(d, db_begin_write(d), "begin");
	for (int i = 0; i < UNITS; i++) {
		char code[16], name[128], addr[96];
		snprintf(code, sizeof code, "79%06d", i);
		snprintf(name, sizeof name, "%s số %d", names[i % 5], i);
		snprintf(addr, sizeof addr, "%d đường Nguyễn Văn Linh, phường Tân Phong", i % 900 + 1);
		unit u = { .code = code, .name = name, .type = types[i % 5], .address = addr,
			.is_public = i % 7 != 0 };
		check(d, unit_save(d, 0, &u, NULL, NULL), "unit_save again");
	}
	check(d, db_commit(d), "commit");
	double t_reimport = now_s() - t0;

	round_row r = { .office_unit_id = office_id, .school_year = "2024-2025", .title = "Bench" };
	round_framework fw[5];
	for (int i = 0; i < 5; i++) fw[i] = (round_framework){ types[i], "qd4725-2022", "1" };
	int64_t round = 0;
	check(d, round_open(d, 0, &r, fw, 5, NULL, 0, &round), "round");
	t0 = now_s();
	check(d, db_begin_write(d), "begin");
	unsigned seed = 42;
	for (int i = 0; i < UNITS; i++) {
		int64_t as = 0;
		check(d, assessment_create(d, 0, round, ids[i], "qd4725-2022", "1", &as), "assessment");
		int level = (int)(rand_r(&seed) % 4);
		if (level) check(d, assessment_set_level(d, 0, as, "recognised", level), "level");
	}
	check(d, db_commit(d), "commit");
	double t_assess = now_s() - t0;

	int64_t counts[4];
	enum { REPS = 20 };
	t0 = now_s();
	for (int k = 0; k < REPS; k++) check(d, assessment_level_counts(d, round, NULL, counts), "counts");
	double t_counts = (now_s() - t0) / REPS;
	t0 = now_s();
	for (int k = 0; k < REPS; k++) check(d, assessment_level_counts(d, round, "thcs", counts), "counts");
	double t_counts_type = (now_s() - t0) / REPS;

	printf("%-10s save %d units (1 tx, audited): %6.2f s (%6.0f units/s); re-import unchanged: %5.2f s\n",
		label, UNITS, t_units, UNITS / t_units, t_reimport);
	printf("%-10s create %d assessments + levels (1 tx): %6.2f s\n", label, UNITS, t_assess);
	printf("%-10s per-level counts over %d assessments: %7.2f ms; one unit type: %7.2f ms"
		" (Mức 1/2/3: %lld/%lld/%lld)\n", label, UNITS, t_counts * 1e3, t_counts_type * 1e3,
		(long long)counts[1], (long long)counts[2], (long long)counts[3]);
	free(ids);
	db_close(d);
}

int main(void)
{
	char dir[] = "/tmp/chiso-bench-XXXXXX";
	if (!mkdtemp(dir)) return 1;
	char path[64];
	snprintf(path, sizeof path, "%s/chiso.db", dir);
	run(path, "sqlite");
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) fprintf(stderr, "bench/store: could not remove %s\n", dir);

	const char *env = getenv("CHISO_TEST_PG");
	char url[256] = "";
	bool started = false;
	if (env && *env) {
		snprintf(url, sizeof url, "%s%s", strncmp(env, "postgres", 8) ? "pg:" : "", env);
	} else if (access("test/pg.sh", X_OK) == 0) {
		FILE *p = popen("test/pg.sh start", "r");
		if (p && fgets(url, sizeof url, p)) {
			url[strcspn(url, "\n")] = '\0';
			started = true;
		}
		if (p) pclose(p);
	}
	if (url[0]) run(url, "postgresql");
	else printf("postgresql: skipped (no CHISO_TEST_PG and no test/pg.sh)\n");
	if (started) {
		char stop[320];
		snprintf(stop, sizeof stop, "test/pg.sh stop '%s'", url);
		if (system(stop) != 0) fprintf(stderr, "bench/store: could not stop %s\n", url);
	}
	return 0;
}
