/* bench/insert_rate.c — the raw single-row INSERT rate of an engine through
 * db.h, as bench/saves.sh compares answer saves against: a loop of one
 * prepared INSERT per transaction (autocommit) into a table of its own, on
 * the same engine settings as the server (SQLite: WAL, synchronous=NORMAL).
 * For PostgreSQL bench/saves.sh uses pgbench; this loop takes any target.
 *
 *   build/bench/insert_rate [TARGET [SECONDS]]
 *
 * Without a target: a fresh SQLite file in a temp directory, 3 seconds.
 * Prints "insert_rate ENGINE ROWS_PER_SECOND"; never fails on timing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "db.h"
#include "util.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/chiso-insert-XXXXXX", path[96];
	const char *target = argc > 1 && *argv[1] ? argv[1] : NULL;
	double seconds = argc > 2 ? atof(argv[2]) : 3;
	if (!target) {
		if (!mkdtemp(dir)) return 1;
		snprintf(path, sizeof path, "%s/raw.db", dir);
		target = path;
	}
	db *d;
	char *err = NULL;
	if (db_open(target, &d, &err) != DB_OK) {
		fprintf(stderr, "bench/insert_rate: %s\n", err ? err : "cannot open");
		return 1;
	}
	if (db_exec(d, db_kind(d) == DB_PG ? "CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)"
	                                  : "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, v TEXT NOT NULL)") != DB_OK) {
		fprintf(stderr, "bench/insert_rate: %s\n", db_errmsg(d));
		return 1;
	}
	long n = 0;
	double t0 = now_s(), t = t0;
	while (t - t0 < seconds) {
		for (int i = 0; i < 100; i++, n++)
			if (db_execf(d, "INSERT INTO bench_raw (v) VALUES (?)", "t", "{\"1.1\": true}") != DB_OK) {
				fprintf(stderr, "bench/insert_rate: %s\n", db_errmsg(d));
				return 1;
			}
		t = now_s();
	}
	printf("insert_rate %s %.0f\n", db_kind_name(d), (double)n / (t - t0));
	db_exec(d, "DROP TABLE bench_raw");
	db_close(d);
	if (target == path) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0) fprintf(stderr, "bench/insert_rate: could not remove %s\n", dir);
	}
	return 0;
}
