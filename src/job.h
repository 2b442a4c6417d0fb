/* job.h — running background jobs (the queue itself is q_job.h): the kinds
 * of job and their run functions, one claim-and-run step, and the worker
 * thread `chiso serve` starts beside the HTTP threads.
 *
 * The worker has its own database connection and blob store, claims one
 * job at a time, runs it outside any request and writes its progress after
 * each step (the heartbeat that keeps its lease). It looks for work every
 * poll interval, or at once when a request of this process queued a job
 * (job_worker_wake: a hint only, the queue is in the database). On SIGTERM
 * (job_worker_stop) the job in hand stops between two steps and goes back
 * to the queue; after kill -9 its lease runs out and the next worker to
 * look (this process restarted, or another) runs it again. */
#ifndef CHISO_JOB_H
#define CHISO_JOB_H
#include <stdatomic.h>
#include <stdbool.h>
#include "blob.h"
#include "db.h"
#include "buf.h"
#include "framework.h"
#include "q_job.h"

/* A job claimed this many times without ending (its process died each
 * time: a document that crashes the server?) fails instead of being
 * claimed again for ever. */
enum { JOB_LEASE_DEFAULT = 60, JOB_POLL_MS_DEFAULT = 1000, JOB_MAX_ATTEMPTS = 5 };

typedef struct job_env {
	db *d;
	const fw_catalog *cat;
	blob_store *bs;
	const char *owner;             /* this worker's lease token */
	int lease_seconds;
	atomic_bool *stop;             /* set: stop between two steps; may be NULL */
	const unsigned char *secret;   /* the server secret (SMTP password), may be NULL */
	const char *db_target;         /* d's target: a kind may open connections of its own
	                                * (doc_batch.c's renderers); NULL: only d */
} job_env;

/* How a run of a job ended. JOB_OUT_RECORDED: the run ended the job itself
 * (job_finish with the context's owner) inside the transaction of its own
 * work, so that the work and "done" commit together (unit-import). */
typedef enum job_outcome { JOB_OUT_DONE, JOB_OUT_FAILED, JOB_OUT_STOPPED, JOB_OUT_RECORDED } job_outcome;

/* What a job's run may call: the heartbeat, false = stop now (cancelled,
 * lease lost or the worker is stopping). */
typedef struct job_run_ctx {
	db *d;
	const fw_catalog *cat;
	blob_store *bs;
	bool (*progress)(void *ctx, int64_t done, int64_t total);
	void *ctx;
	const char *owner;             /* the lease token, for job_finish (JOB_OUT_RECORDED) */
	const unsigned char *secret;   /* the server secret, may be NULL */
	const char *db_target;         /* job_env.db_target, may be NULL */
	/* out: the result (JOB_OUT_DONE) and the message (done or failed) */
	char result_sha256[65];
	int64_t result_size;
	char result_name[160];
	buf message;
} job_run_ctx;

/* A fresh owner token: "host:pid:random". */
void job_owner_token(char out[static 96]);

/* Claims one job and runs it to its end. *ran: whether there was one.
 * Returns DB_OK, or a DB_E* code when the queue could not be read or the
 * outcome not written. */
int job_run_next(job_env *e, bool *ran);

/* The lease from $CHISO_JOB_LEASE (seconds), else JOB_LEASE_DEFAULT. */
int job_lease_seconds(void);

typedef struct job_worker_cfg {
	const char *db_target;
	const char *blob_dir;
	fw_catalog *cat;               /* the server's: published versions are appended
	                                  (fw_catalog_sync_db) before each job */
	int lease_seconds, poll_ms;    /* 0 = defaults */
	const unsigned char *secret;   /* the server secret (SMTP password), may be NULL */
	const char *base_url;          /* for links in automatic reminders (autoremind.h), may be NULL */
} job_worker_cfg;

/* Starts the worker thread (SIGTERM/SIGINT blocked in it: the HTTP layer
 * takes them). cfg's strings must outlive the worker. */
int job_worker_start(const job_worker_cfg *cfg);
/* Wakes the worker now (a job was queued). Safe from any thread, and a
 * no-op when no worker runs in this process. */
void job_worker_wake(void);
/* Stops the worker: the job in hand is given back to the queue. */
void job_worker_stop(void);
#endif
