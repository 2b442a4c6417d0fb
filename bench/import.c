/* bench/import.c — `chiso unit import` at scale: a CSV of 50,000 units (a
 * Sở, 50 Phòng, 49,949 schools with their managing and evaluating units)
 * through the real importer — parse, check every row, write in one
 * transaction with the dated relations and an audit row per change — then
 * the same file again (an idempotent re-import changes nothing), then with
 * one name in ten changed. On SQLite and on PostgreSQL (CHISO_TEST_PG, or a
 * throw-away server from test/pg.sh when run from the source tree; a
 * database is created in it and dropped). bench/import.c times the store
 * calls themselves (unit_save, assessments, level counts). A benchmark
 * prints figures and never fails on timing; it fails only when the import
 * does. */
#include "db.h"
#include "import.h"
#include "import_unit.h"
#include "q_unit.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { UNITS = 50000, OFFICES = 50 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This process's CPU time (user + system), seconds. */
static double cpu_self(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The CPU time of process pid (user + system) from /proc, seconds; 0 when
 * it cannot be read (the PostgreSQL backend of another machine). On this
 * loaded machine wall times follow the load; CPU times hold. */
static double cpu_of(long pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = pid > 0 ? fopen(path, "r") : NULL;
	if (!f) return 0;
	char line[1024];
	double t = 0;
	if (fgets(line, sizeof line, f)) {
		const char *p = strrchr(line, ')');   /* after the command name */
		unsigned long ut = 0, st = 0;
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
			t = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	fclose(f);
	return t;
}

static const char *const types[] = { "Mầm non", "Tiểu học", "THCS", "THPT", "GDTX" };

/* The unit list as an office keeps it: one Sở, 50 Phòng, 49,949 schools
 * (a Sở code and the Phòng codes first, so every parent is in the file). */
static void make_csv(buf *csv, int renamed_every)
{
	buf_puts(csv, "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ\n");
	buf_puts(csv, "B0000000,Sở Giáo dục và Đào tạo Thử nghiệm,Sở GD&ĐT,,,Số 1 Lê Lợi\n");
	for (int o = 1; o <= OFFICES; o++)
		buf_printf(csv, "B%02d00000,Phòng Giáo dục và Đào tạo huyện Số %d,Phòng GD&ĐT,B0000000,B0000000,"
			"Số %d Trần Phú\n", o, o, o);
	for (int i = 0; i < UNITS - OFFICES - 1; i++) {
		int o = 1 + i % OFFICES;
		const char *t = types[i % 5];
		bool renamed = renamed_every && i % renamed_every == 0;
		buf_printf(csv, "B%02d%05d,Trường %s %s số %d,%s,B%02d00000,B%02d00000,"
			"\"Thôn %d, xã Số %d\"\n", o, 1 + i / OFFICES, t, renamed ? "Lê Quý Đôn" : "Nguyễn Văn Trỗi",
			i + 1, t, o, o, i % 30, o);
	}
}

static void die(db *d, const char *what)
{
	fprintf(stderr, "bench/import: %s: %s\n", what, d ? db_errmsg(d) : "?");
	exit(1);
}

static void run(const char *label, const char *target)
{
	db *d = NULL;
	char *err = NULL;
	if (db_open(target, &d, &err) != DB_OK) {
		fprintf(stderr, "bench/import: %s: %s\n", target, err ? err : "?");
		exit(1);
	}
	if (db_migrate(d, NULL) != DB_OK) die(d, "migrate");
	printf("%s\n", label);
	int64_t backend = 0;
	if (db_kind(d) == DB_PG && db_query_int64(d, &backend, "SELECT pg_backend_pid()", NULL) != DB_OK)
		die(d, "backend");

	static const struct { const char *what; int renamed_every; } passes[] = {
		{ "first import", 0 }, { "the same file again", 0 }, { "one name in ten changed", 10 },
	};
	for (size_t k = 0; k < ARRAY_LEN(passes); k++) {
		buf csv;
		buf_init(&csv);
		make_csv(&csv, passes[k].renamed_every);
		double t0 = now();
		import_table tab;
		if (import_csv_parse(csv.data, csv.len, &import_default_limits, &tab, &err) != 0) {
			fprintf(stderr, "bench/import: CSV: %s\n", err);
			exit(1);
		}
		double t1 = now(), c1 = cpu_self(), s1 = cpu_of((long)backend);
		import_unit_opts io = { .from = "2024-08-01" };
		import_unit_result ir;
		if (import_unit_run(d, &tab, &io, &ir) != DB_OK) {
			fprintf(stderr, "bench/import: import: %s (%zu errors%s%s)\n", db_errmsg(d), ir.nerrors,
				ir.nerrors ? ", first: " : "", ir.nerrors ? ir.errors[0].msg : "");
			exit(1);
		}
		double t2 = now(), c2 = cpu_self(), s2 = cpu_of((long)backend);
		printf("  %-24s %d rows (CSV %.1f MB): parse %.2f s, check + write %.2f s: %6.0f units/s "
			"(%zu created, %zu updated, %zu unchanged)\n", passes[k].what, UNITS,
			(double)csv.len / 1e6, t1 - t0, t2 - t1, UNITS / (t2 - t0), ir.created, ir.updated,
			ir.unchanged);
		printf("  %-24s CPU of check + write: chiso %.2f s", "", c2 - c1);
		if (backend) printf(", postgres backend %.2f s", s2 - s1);
		printf("\n");
		import_unit_result_free(&ir);
		import_table_free(&tab);
		buf_free(&csv);
	}
	db_close(d);
}

/* "postgresql:///postgres?host=…" → the same server, database `name`. */
static char *pg_database(const char *url, const char *name)
{
	buf b;
	buf_init(&b);
	if (!strncmp(url, "pg:", 3)) {
		buf_printf(&b, "%s dbname=%s", url, name);
	} else {
		const char *q = strchr(url, '?');
		size_t end = q ? (size_t)(q - url) : strlen(url);
		size_t slash = end;
		while (slash > 0 && url[slash - 1] != '/') slash--;
		buf_append(&b, url, slash);
		buf_puts(&b, name);
		buf_puts(&b, url + end);
	}
	return buf_take(&b);
}

int main(void)
{
	char dir[] = "/tmp/chiso-bench-import-XXXXXX";
	if (!mkdtemp(dir)) return 1;
	char path[64];
	snprintf(path, sizeof path, "%s/bench.db", dir);
	run("SQLite (WAL, synchronous=NORMAL):", path);
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) fprintf(stderr, "bench/import: could not remove %s\n", dir);

	const char *env = getenv("CHISO_TEST_PG");
	char *started = NULL;
	if (!env || !*env) {
		/* from the source tree, a throw-away server */
		FILE *p = access("test/pg.sh", X_OK) == 0 ? popen("test/pg.sh start", "r") : NULL;
		char line[512] = "";
		if (p && fgets(line, sizeof line, p)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0]) started = xstrdup(line);
		}
		if (p) pclose(p);
		env = started;
	}
	if (!env) {
		printf("PostgreSQL: skipped (set CHISO_TEST_PG, or run from the source tree with "
		       "PostgreSQL installed)\n");
		return 0;
	}
	char name[48];
	snprintf(name, sizeof name, "chiso_bench_import_%d", (int)getpid());
	const char *admin = !strncmp(env, "postgres", 8) || !strncmp(env, "pg:", 3) ? env : NULL;
	db *d = NULL;
	char *err = NULL;
	char *sql = NULL;
	if (!admin || db_open(admin, &d, &err) != DB_OK) {
		fprintf(stderr, "bench/import: PostgreSQL %s: %s\n", env, err ? err : "not a postgresql:// URL");
		return 1;
	}
	buf b;
	buf_init(&b);
	buf_printf(&b, "CREATE DATABASE %s", name);
	sql = buf_take(&b);
	if (db_exec(d, sql) != DB_OK) die(d, "create database");
	free(sql);
	char *target = pg_database(admin, name);
	run("PostgreSQL (local socket):", target);
	buf_printf(&b, "DROP DATABASE %s", name);
	sql = buf_take(&b);
	if (db_exec(d, sql) != DB_OK) fprintf(stderr, "bench/import: %s\n", db_errmsg(d));
	free(sql);
	db_close(d);
	free(target);
	if (started) {
		char stop[600];
		snprintf(stop, sizeof stop, "test/pg.sh stop '%s'", started);
		if (system(stop) != 0) fprintf(stderr, "bench/import: could not stop %s\n", started);
		free(started);
	}
	return 0;
}
