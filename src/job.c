/* job.c — the kinds of background job, claim-and-run, and the worker
 * thread of `chiso serve` (job.h). */
#include "job.h"
#include "autoremind.h"
#include "doc_batch.h"
#include "import_unit_job.h"
#include "q_framework.h"
#include "q_job.h"
#include "remind.h"
#include "util.h"
#include "vn.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The kinds: a new kind of background work is one line here. min_lease:
 * how long each heartbeat holds the job at least (0 = the worker's lease),
 * for a kind with a long step without heartbeats — a unit import writes
 * 50,000 rows in one transaction (~24-45 s on PostgreSQL, up to 200,000
 * rows), and another worker taking it over meanwhile would fail it. */
static const struct {
	const char *kind;
	job_outcome (*run)(job_run_ctx *c, const job_row *j);
	int min_lease;
} kinds[] = {
	{ DOC_BATCH_KIND, doc_batch_run, 0 },
	{ REMIND_KIND, remind_run, 0 },
	{ IMPORT_UNIT_JOB_KIND, import_unit_job_run, 600 },
};

void job_owner_token(char out[static 96])
{
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	host[sizeof host - 1] = '\0';
	unsigned char r[8];
	randombytes_buf(r, sizeof r);
	char hex[17];
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(out, 96, "%.40s:%ld:%s", host, (long)getpid(), hex);
}

int job_lease_seconds(void)
{
	const char *s = getenv("CHISO_JOB_LEASE");
	int v = s ? atoi(s) : 0;
	return v > 0 ? v : JOB_LEASE_DEFAULT;
}

typedef struct beat {
	job_env *e;
	int64_t id;
	int lease_seconds;   /* the worker's, or the kind's min_lease if longer */
	bool lost;           /* cancelled, or the lease went to another worker */
} beat;

static bool heartbeat(void *ctx, int64_t done, int64_t total)
{
	beat *b = ctx;
	if (b->e->stop && atomic_load(b->e->stop)) return false;
	int rc = job_progress(b->e->d, b->id, b->e->owner, done, total, b->lease_seconds);
	if (rc == DB_ECONFLICT) {
		b->lost = true;
		return false;
	}
	/* a failed write (the database busy a moment) is not a reason to
	 * throw the work away: the next step tries again */
	if (rc != DB_OK) db_clear_error(b->e->d);
	return true;
}

int job_run_next(job_env *e, bool *ran)
{
	*ran = false;
	arena *a = arena_new();
	job_row j;
	int rc = job_claim(e->d, e->owner, NULL, e->lease_seconds, a, &j);
	if (rc == DB_ENOTFOUND) {
		arena_free(a);
		return DB_OK;
	}
	if (rc != DB_OK) {
		arena_free(a);
		return rc;
	}
	*ran = true;
	job_outcome (*run)(job_run_ctx *, const job_row *) = NULL;
	beat b = { .e = e, .id = j.id, .lease_seconds = e->lease_seconds };
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (!strcmp(kinds[i].kind, j.kind)) {
			run = kinds[i].run;
			if (kinds[i].min_lease > b.lease_seconds) b.lease_seconds = kinds[i].min_lease;
		}
	job_run_ctx c = { .d = e->d, .cat = e->cat, .bs = e->bs, .progress = heartbeat, .ctx = &b, .owner = e->owner,
	                  .secret = e->secret, .db_target = e->db_target };
	buf_init(&c.message);
	job_outcome out;
	if (!run) {
		buf_printf(&c.message, "Loại công việc không được hỗ trợ: %s", j.kind);
		out = JOB_OUT_FAILED;
	} else if (j.attempts > JOB_MAX_ATTEMPTS) {
		buf_printf(&c.message, "Đã chạy %lld lần mà tiến trình đều bị dừng giữa chừng: ngừng thử lại. "
		           "Vui lòng báo quản trị viên (xem nhật ký của chiso serve).", (long long)j.attempts - 1);
		out = JOB_OUT_FAILED;
	} else {
		out = run(&c, &j);
	}
	if (out == JOB_OUT_RECORDED) {
		rc = DB_OK;                          /* ended by the run, with its work */
	} else if (out == JOB_OUT_STOPPED) {
		/* stopping cleanly: back to the queue for the next worker */
		rc = b.lost ? DB_OK : job_release(e->d, j.id, e->owner);
	} else {
		/* a kind without a file (reminders) leaves the result empty */
		bool file = out == JOB_OUT_DONE && c.result_sha256[0];
		rc = job_finish(e->d, j.id, e->owner, out == JOB_OUT_DONE ? "done" : "failed", buf_str(&c.message),
		                file ? c.result_sha256 : NULL, file ? c.result_size : 0, file ? c.result_name : NULL);
		if (rc == DB_ECONFLICT) rc = DB_OK;   /* cancelled meanwhile: its state says so */
	}
	buf_free(&c.message);
	arena_free(a);
	return rc;
}

/* ---- the worker thread ----------------------------------------------------------- */

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, wake;
	atomic_bool stop;
	job_worker_cfg cfg;
} worker = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* Sleeps up to ms, or until woken or told to stop. */
static void worker_wait(int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&worker.mu);
	while (!worker.wake && !atomic_load(&worker.stop))
		if (pthread_cond_timedwait(&worker.cv, &worker.mu, &until) == ETIMEDOUT) break;
	worker.wake = false;
	pthread_mutex_unlock(&worker.mu);
}

static void *worker_main(void *arg)
{
	(void)arg;
	const job_worker_cfg *cfg = &worker.cfg;
	char owner[96];
	job_owner_token(owner);
	db *d = NULL;
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	/* a batch ZIP may be bigger than one evidence file may */
	if (blob_store_open(cfg->blob_dir, (int64_t)8 << 30, &bs, msg) == BLOB_OK) blob_store_use_db(bs, cfg->db_target);
	else {
		fprintf(stderr, "chiso serve: công việc nền không mở được kho tệp: %s\n", msg);
		return NULL;
	}
	while (!atomic_load(&worker.stop)) {
		if (!d) {
			char *err = NULL;
			if (db_open(cfg->db_target, &d, &err) != DB_OK) {
				fprintf(stderr, "chiso serve: công việc nền không mở được cơ sở dữ liệu: %s\n", err ? err : "?");
				free(err);
				d = NULL;
				worker_wait(cfg->poll_ms * 5);
				continue;
			}
		}
		/* a version published on another server since the last request here */
		fw_catalog_sync_db(cfg->cat, d, 2, NULL);
		job_env e = { .d = d, .cat = cfg->cat, .bs = bs, .owner = owner, .lease_seconds = cfg->lease_seconds,
		              .stop = &worker.stop, .secret = cfg->secret, .db_target = cfg->db_target };
		/* automatic reminders: the day's slots become reminder jobs */
		autoremind_maybe_tick(d, cfg->base_url);
		bool ran = false;
		int rc = job_run_next(&e, &ran);
		if (rc != DB_OK) {
			fprintf(stderr, "chiso serve: công việc nền: %s\n", db_errmsg(d));
			/* a connection that failed is opened anew (PostgreSQL restarted) */
			db_close(d);
			d = NULL;
		}
		if (!ran || rc != DB_OK) worker_wait(cfg->poll_ms);
	}
	db_close(d);
	blob_store_close(bs);
	vn_collate_thread_done();
	return NULL;
}

int job_worker_start(const job_worker_cfg *cfg)
{
	if (worker.running) return 0;
	worker.cfg = *cfg;
	if (worker.cfg.lease_seconds <= 0) worker.cfg.lease_seconds = job_lease_seconds();
	if (worker.cfg.poll_ms <= 0) worker.cfg.poll_ms = JOB_POLL_MS_DEFAULT;
	atomic_store(&worker.stop, false);
	/* the HTTP layer takes SIGTERM/SIGINT with sigwait: the worker must
	 * never be the thread they are delivered to */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	int rc = pthread_create(&worker.thread, NULL, worker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "chiso serve: không khởi động được công việc nền: %s\n", strerror(rc));
		return -1;
	}
	worker.running = true;
	return 0;
}

void job_worker_wake(void)
{
	pthread_mutex_lock(&worker.mu);
	worker.wake = true;
	pthread_cond_signal(&worker.cv);
	pthread_mutex_unlock(&worker.mu);
}

void job_worker_stop(void)
{
	if (!worker.running) return;
	pthread_mutex_lock(&worker.mu);
	atomic_store(&worker.stop, true);
	pthread_cond_signal(&worker.cv);
	pthread_mutex_unlock(&worker.mu);
	pthread_join(worker.thread, NULL);
	worker.running = false;
}
