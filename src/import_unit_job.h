/* import_unit_job.h — the unit import confirmed on the administration page
 * (page_admin.c, /quan-tri/don-vi/nhap) as a background job, kind
 * "unit-import" (job.h runs it), so that no request waits the seconds a
 * 50,000-row file holds the write lock.
 *
 * The job's parameters name the kept upload (unit_import_files, q_unit.h)
 * by id with the SHA-256 of its bytes when the import was confirmed, the
 * date the relations hold from and the file's name; who asked is the
 * job's requested_by (the audit actor of every change).
 *
 * The run reads the file back and imports it with import_unit_run, which
 * checks every row again against the database as it is now (it may have
 * changed since the report) and writes nothing when one is wrong. The
 * import stays one transaction: the mark "imported" on the file and the
 * job's own end ("done" with the report) are written inside it
 * (JOB_OUT_RECORDED), so the units and "done" commit together, and a job
 * cancelled or taken over meanwhile rolls the whole import back.
 *
 * Progress is reported in phases, honestly: 0/2 checking every row, 1/2
 * writing (inside the transaction a heartbeat would be part of it, and on
 * SQLite wait for its own lock), 2/2 written. Without heartbeats while it
 * writes, the kind's heartbeat holds the job 10 minutes (job.c's min_lease)
 * rather than the worker's 60 s: 50,000 rows take ~24-45 s on PostgreSQL. */
#ifndef CHISO_IMPORT_UNIT_JOB_H
#define CHISO_IMPORT_UNIT_JOB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "import.h"
#include "job.h"
#include "q_job.h"
#include "q_unit.h"

#define IMPORT_UNIT_JOB_KIND "unit-import"

typedef struct import_unit_job_params {
	int64_t file_id;        /* unit_import_files.id */
	const char *from;       /* "YYYY-MM-DD": relations hold from this day */
	const char *sha256;     /* lowercase hex of the file's bytes when confirmed */
	const char *file_name;  /* as uploaded, for the pages */
	bool check_only;        /* the check before the confirmation: a dry run
	                           whose report is the job's message ("check": true) */
} import_unit_job_params;

/* Pure: the parameters as the job's JSON object. */
void import_unit_job_params_json(const import_unit_job_params *p, buf *out);
/* Pure: reads them back, checking each (file id > 0, a real ISO date, 64
 * lowercase hex digits, a name of at most 255 bytes); strings go to a.
 * False when anything is missing or malformed. */
bool import_unit_job_params_parse(const char *json, arena *a, import_unit_job_params *out);

/* The SHA-256 of bytes as lowercase hex. */
void import_unit_job_sha256(const void *data, size_t len, char out[65]);

/* Reads a kept upload back into a table (XLSX by its ZIP signature, else
 * CSV); non-zero with *err (malloc'd, Vietnamese) when it cannot. */
int import_unit_job_table(const unit_import_file *f, import_table *t, char **err);

/* A check-only job (the upload's report, page_admin.c) runs the import as
 * a dry run: done with the report when every row is good (the page then
 * offers "Nhập", which queues the real import), failed with it otherwise;
 * nothing is written either way and the file is not marked. */
job_outcome import_unit_job_run(job_run_ctx *c, const job_row *j);
#endif
