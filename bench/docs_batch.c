/* bench/docs_batch.c — a province's batch of documents at full size (issue
 * 15, P3): a Sở's round over BENCH_UNITS schools (default 10,000), every
 * one self-assessed with answers drawn from the framework's rules
 * (bench/gen/, shared with bench/dash), and the
 * self-assessment report of each as PDF in one batch (`chiso job batch`),
 * run by the background worker's code (`chiso job run --once`, the same
 * doc_batch.c as chiso serve's worker thread).
 *
 * Prints the documents, the wall time, the time per document, the
 * worker's CPU time and peak memory (wait4's ru_maxrss), the ZIP's size,
 * how many different progress values a poll of the job every half second
 * saw (the job page shows that counter), and checks the ZIP with libzip:
 * one PDF per unit plus danh-sach.csv, and the progress at the total.
 *
 * CHISO names the binary (default ../chiso beside this program);
 * CHISO_BEFORE another one timed first on a copy of the same database
 * (before and after in one run); BENCH_UNITS the number of schools;
 * BENCH_FORMAT pdf (default) or docx. A benchmark: it prints figures and
 * never fails on timing, only when the data cannot be made or the ZIP is
 * wrong. */
#include "db.h"
#include "framework.h"
#include "gen/gen.h"
#include "q_job.h"
#include "util.h"
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

enum { VARIANTS = 16 };

static void die(db *d, const char *what)
{
	fprintf(stderr, "bench/docs_batch: %s: %s\n", what, d ? db_errmsg(d) : "?");
	exit(1);
}


/* One batch with `chiso`: queue it, run the worker, poll the progress,
 * check the ZIP. */
static void batch(const char *label, const char *chiso, const char *path, const char *blobs, int64_t round_id,
                  const char *format, int schools)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' job batch --round %lld --type bao-cao --format %s --db '%s'", chiso, (long long)round_id,
	         format, path);
	char *line = gen_first_line(cmd);
	int64_t id = atoll(line);
	free(line);
	if (id <= 0) die(NULL, "job batch");
	double t0 = gen_now();
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout)) _exit(127);
		execl(chiso, chiso, "job", "run", "--once", "--db", path, "--blobs", blobs, (char *)NULL);
		_exit(127);
	}
	db *d = NULL;
	char *err = NULL;
	if (db_open(path, &d, &err) != DB_OK) die(NULL, err);
	int values = 0;
	int64_t last = -1;
	struct rusage ru;
	int status = 0;
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);
		arena *a = arena_new();
		job_row j;
		if (job_get(d, id, a, &j) == DB_OK && j.done != last) {
			last = j.done;
			values++;
		}
		arena_free(a);
		if (w == pid) break;
		usleep(500000);
	}
	double wall = gen_now() - t0;
	arena *a = arena_new();
	job_row j;
	if (job_get(d, id, a, &j) != DB_OK) die(d, "job get");
	char zpath[4200] = "";
	long long zsize = j.result_size;
	if (j.result_sha256) snprintf(zpath, sizeof zpath, "%s/%.2s/%s", blobs, j.result_sha256, j.result_sha256);
	int zerr = 0;
	zip_t *z = j.result_sha256 ? zip_open(zpath, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
	long long entries = z ? (long long)zip_get_num_entries(z, 0) : -1;
	if (z) zip_discard(z);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	             (double)ru.ru_stime.tv_usec / 1e6;
	printf("  %-8s %s: %lld/%lld documents, %.1f s wall, %.1f ms/document, %.1f s CPU (user+sys), peak RSS %.0f MB,"
	       " ZIP %.1f MB with %lld entries, %d progress values seen; %s\n",
	       label, format, (long long)j.done, (long long)j.total, wall, j.done ? wall * 1e3 / (double)j.done : 0, cpu,
	       (double)ru.ru_maxrss / 1024, (double)zsize / 1048576, entries, values, j.message ? j.message : j.state);
	bool good = !strcmp(j.state, "done") && j.done == schools && j.total == schools && entries == schools + 1;
	if (!good) {
		fprintf(stderr, "bench/docs_batch: %s: state %s, progress %lld/%lld, %lld entries (zip error %d)\n", label, j.state,
		        (long long)j.done, (long long)j.total, entries, zerr);
		exit(1);
	}
	arena_free(a);
	db_close(d);
}

int main(int argc, char **argv)
{
	(void)argc;
	char chiso[1024];
	const char *env = getenv("CHISO");
	if (env && *env) snprintf(chiso, sizeof chiso, "%s", env);
	else {
		char self[1024];
		snprintf(self, sizeof self, "%s", argv[0]);
		snprintf(chiso, sizeof chiso, "%s/../chiso", dirname(self));
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(chiso, X_OK) != 0) { fprintf(stderr, "bench/docs_batch: no chiso binary at %s (set CHISO)\n", chiso); return 1; }
	const char *units = getenv("BENCH_UNITS"), *format = getenv("BENCH_FORMAT");
	int schools = units ? atoi(units) : 10000;
	if (schools < 10) schools = 10;
	if (!format || strcmp(format, "docx") != 0) format = "pdf";
	char load[128] = "";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) { if (!fgets(load, sizeof load, f)) load[0] = '\0'; fclose(f); }
	load[strcspn(load, "\n")] = '\0';
	printf("bench/docs_batch: the self-assessment report of %d schools in one batch; %ld cores, load average %s\n", schools,
	       sysconf(_SC_NPROCESSORS_ONLN), load);

	char dir[] = "/tmp/chiso-bench-batch-XXXXXX";
	if (!mkdtemp(dir)) return 1;
	char path[128], blobs[128], cmd[512];
	snprintf(path, sizeof path, "%s/chiso.db", dir);
	snprintf(blobs, sizeof blobs, "%s/files", dir);
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	db *d = NULL;
	char *err = NULL;
	if (db_open(path, &d, &err) != DB_OK || db_migrate(d, NULL) != DB_OK) die(d, "open");
	double t0 = gen_now();
	gen_opts o = { .who = "bench/docs_batch", .schools = schools, .variants = VARIANTS, .all_self_assessed = true };
	gen_world w;
	gen_world_make(d, &cat, &o, &w);
	int64_t round_id = w.round_id;
	db_close(d);
	fw_catalog_free(&cat);
	printf("  generated in %.1f s (bench/gen: units %.1f s, assessments %.1f s)\n", gen_now() - t0, w.t_units, w.t_assessments);
	const char *before = getenv("CHISO_BEFORE");
	if (before && *before) {
		/* on a copy, so that both number their documents alike */
		char bpath[160], bblobs[160];
		snprintf(bpath, sizeof bpath, "%s/before.db", dir);
		snprintf(bblobs, sizeof bblobs, "%s/files-before", dir);
		snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\"", path, bpath);
		if (system(cmd) != 0) die(NULL, "copy");
		batch("before", before, bpath, bblobs, round_id, format, schools);
	}
	batch("after", chiso, path, blobs, round_id, format, schools);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) fprintf(stderr, "bench/docs_batch: could not remove %s\n", dir);
	return 0;
}
