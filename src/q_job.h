/* q_job.h — background jobs in the database (migration 7).
 *
 * `chiso serve` keeps no state of its own: a job, its parameters and its
 * progress are a row of `jobs`, so any process sharing the database may
 * run it and any other may show its progress. A job is generic — a kind
 * ("doc-batch") and its parameters as JSON — so that other long work
 * (reminder e-mails) can use the same queue later.
 *
 * Life of a job: queued → running → done | failed, or cancelled from
 * queued or running. A worker claims the oldest runnable job with a lease
 * (an owner token and a time until which the job is its own); every
 * progress update extends the lease (the heartbeat). A job whose worker
 * died (kill -9, a lost machine) keeps state 'running' with a lease in the
 * past and is claimed again by the next worker that looks, from the start.
 * Every update made by a worker names its owner token: a worker that lost
 * its lease (or whose job was cancelled) gets DB_ECONFLICT and stops.
 *
 * Claiming is safe with several processes on one database: on PostgreSQL
 * one UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED); on SQLite a
 * BEGIN IMMEDIATE transaction (one writer at a time). */
#ifndef CHISO_Q_JOB_H
#define CHISO_Q_JOB_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char job_migration_sql[];

typedef struct job_row {
	int64_t id;
	const char *kind;              /* "doc-batch" */
	int64_t round_id;              /* 0 = not about a round */
	int64_t requested_by;          /* account; 0 = the system */
	const char *params;            /* JSON object, the kind's own */
	const char *state;             /* queued | running | done | failed | cancelled */
	int64_t done, total;           /* progress; total 0 = not known yet */
	const char *message;           /* Vietnamese: the outcome, or why it failed */
	const char *result_sha256;     /* the result in the blob store (a ZIP), or NULL */
	int64_t result_size;
	const char *result_name;       /* the file name to offer on download */
	int64_t attempts;              /* claims not given back cleanly (job_release) */
	const char *lease_owner;       /* the token of the worker holding it */
	const char *lease_until;       /* ISO timestamp */
	const char *created_at, *started_at, *finished_at, *updated_at;
} job_row;

/* True for done, failed and cancelled. */
bool job_state_final(const char *state);
/* "Đang chờ", "Đang chạy", "Hoàn thành", "Lỗi", "Đã hủy". */
const char *job_state_label(const char *state);

/* Queues a job (audited: job.create). kind and params are required;
 * params must be a JSON object. *id may be NULL. */
int job_create(db *d, int64_t actor, const char *kind, int64_t round_id, const char *params,
               int64_t *id);

/* Claims the oldest job that is queued, or running with a lease that ran
 * out before `now` (ISO timestamp; NULL = the clock): sets it running,
 * owned by `owner` until now + lease_seconds, progress back to 0, one more
 * attempt. DB_ENOTFOUND when there is nothing to do. */
int job_claim(db *d, const char *owner, const char *now, int lease_seconds, arena *a, job_row *out);

/* The heartbeat: records progress and extends the lease. DB_ECONFLICT
 * when the job is no longer this owner's (cancelled, or its lease ran out
 * and another worker took it). */
int job_progress(db *d, int64_t id, const char *owner, int64_t done, int64_t total,
                 int lease_seconds);

/* Ends a job this owner holds: state "done" or "failed", with a message
 * and (for done) the result (audited as job.done / job.failed under the
 * account that asked for it). DB_ECONFLICT as job_progress. */
int job_finish(db *d, int64_t id, const char *owner, const char *state, const char *message,
               const char *result_sha256, int64_t result_size, const char *result_name);

/* Gives a running job back to the queue (a worker stopping cleanly): the
 * next worker starts it again at once instead of waiting for the lease,
 * and the claim does not count as an attempt. */
int job_release(db *d, int64_t id, const char *owner);

/* Cancels a queued or running job (audited: job.cancel). DB_ECONFLICT
 * with a Vietnamese message when it has already ended. */
int job_cancel(db *d, int64_t actor, int64_t id);

/* DB_ENOTFOUND when there is no such job. */
int job_get(db *d, int64_t id, arena *a, job_row *out);
/* The jobs of a kind about a round, newest first (at most `limit`). */
int job_list_round(db *d, const char *kind, int64_t round_id, int limit, arena *a,
                   job_row **out, size_t *n);

/* The oldest job of a kind with exactly these parameters that is still
 * queued or running (a double click queues nothing twice). DB_ENOTFOUND
 * when there is none. */
int job_find_active(db *d, const char *kind, const char *params, int64_t *id);

/* The state of the queue: how many jobs are queued or running. */
int job_count_active(db *d, int64_t *n);
#endif
