/* q_job.c — background jobs (q_job.h). SQL for `jobs` lives here. */
#include "q_job.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char job_migration_sql[] =
	/* One row per job. The progress columns are written by the worker
	 * after each step and committed, so any process shows them; the lease
	 * (owner token, time) says which worker holds a running job and until
	 * when: past it, the job is anybody's again. */
	"CREATE TABLE jobs ("
	" id {ID},"
	" kind TEXT NOT NULL,"                   /* 'doc-batch' */
	" round_id BIGINT REFERENCES rounds (id),"
	" requested_by BIGINT REFERENCES accounts (id),"
	" params TEXT NOT NULL,"                 /* JSON object, the kind's own */
	" state TEXT NOT NULL DEFAULT 'queued'"
	"  CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),"
	" done BIGINT NOT NULL DEFAULT 0 CHECK (done >= 0),"
	" total BIGINT NOT NULL DEFAULT 0 CHECK (total >= 0),"
	" message TEXT,"                         /* Vietnamese */
	" result_sha256 TEXT CHECK (result_sha256 IS NULL OR length(result_sha256) = 64),"
	" result_size BIGINT,"
	" result_name TEXT,"
	" attempts BIGINT NOT NULL DEFAULT 0,"
	" lease_owner TEXT,"
	" lease_until TEXT,"
	" created_at TEXT NOT NULL,"
	" started_at TEXT,"
	" finished_at TEXT,"
	" updated_at TEXT NOT NULL);\n"
	/* the claim looks for runnable jobs in id order */
	"CREATE INDEX jobs_state ON jobs (state, id);\n"
	"CREATE INDEX jobs_round ON jobs (round_id, kind, id);\n";

bool job_state_final(const char *s)
{
	return s && (!strcmp(s, "done") || !strcmp(s, "failed") || !strcmp(s, "cancelled"));
}

const char *job_state_label(const char *s)
{
	static const char *const labels[][2] = {
		{ "queued", "Đang chờ" }, { "running", "Đang chạy" }, { "done", "Hoàn thành" },
		{ "failed", "Lỗi" }, { "cancelled", "Đã hủy" },
	};
	for (size_t i = 0; s && i < ARRAY_LEN(labels); i++)
		if (!strcmp(s, labels[i][0])) return labels[i][1];
	return s ? s : "";
}

/* "2025-05-31T08:00:00Z" + seconds; the clock when from is NULL. */
static void time_plus(const char *from, int seconds, char out[static 21])
{
	time_t t = time(NULL);
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (from && sscanf(from, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
	}
	t += seconds;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int job_create(db *d, int64_t actor, const char *kind, int64_t round_id, const char *params,
               int64_t *id_out)
{
	if (id_out) *id_out = 0;
	if (!kind || !*kind || strlen(kind) > 40) return db_fail(d, DB_EINVAL, "Loại công việc không hợp lệ");
	json_t *p = params ? json_loads(params, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(p)) {
		json_decref(p);
		return db_fail(d, DB_EINVAL, "Tham số của công việc không hợp lệ (cần một đối tượng JSON)");
	}
	int rc = db_begin_write(d);
	if (rc) {
		json_decref(p);
		return rc;
	}
	char now[21];
	db_now(now);
	int64_t id = 0;
	rc = db_query_int64(d, &id, "INSERT INTO jobs (kind, round_id, requested_by, params, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?) RETURNING id", "tIItt" "t", kind, round_id, actor, params, now, now);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "job.create", "job", id, NULL,
			json_pack("{s:s, s:I, s:o}", "kind", kind, "round_id", (json_int_t)round_id, "params", p));
	else
		json_decref(p);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
	return rc;
}

#define JOB_COLS "id, kind, round_id, requested_by, params, state, done, total, message, result_sha256," \
	" result_size, result_name, attempts, lease_owner, lease_until, created_at, started_at, finished_at, updated_at"

static void job_read(db_stmt *s, arena *a, job_row *o)
{
	o->id = db_col_int64(s, 0);
	o->kind = db_col_dup(s, 1, a);
	o->round_id = db_col_int64(s, 2);
	o->requested_by = db_col_int64(s, 3);
	o->params = db_col_dup(s, 4, a);
	o->state = db_col_dup(s, 5, a);
	o->done = db_col_int64(s, 6);
	o->total = db_col_int64(s, 7);
	o->message = db_col_dup(s, 8, a);
	o->result_sha256 = db_col_dup(s, 9, a);
	o->result_size = db_col_int64(s, 10);
	o->result_name = db_col_dup(s, 11, a);
	o->attempts = db_col_int64(s, 12);
	o->lease_owner = db_col_dup(s, 13, a);
	o->lease_until = db_col_dup(s, 14, a);
	o->created_at = db_col_dup(s, 15, a);
	o->started_at = db_col_dup(s, 16, a);
	o->finished_at = db_col_dup(s, 17, a);
	o->updated_at = db_col_dup(s, 18, a);
}

int job_get(db *d, int64_t id, arena *a, job_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " JOB_COLS " FROM jobs WHERE id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		job_read(s, a, out);
		rc = DB_OK;
	}
	db_finish(s);
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không có công việc số %lld", (long long)id);
	return rc;
}

int job_list_round(db *d, const char *kind, int64_t round_id, int limit, arena *a,
                   job_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " JOB_COLS " FROM jobs WHERE round_id = ? AND kind = ?"
		" ORDER BY id DESC LIMIT ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "iti", round_id, kind, (int64_t)limit);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		job_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int job_find_active(db *d, const char *kind, const char *params, int64_t *id)
{
	return db_query_int64(d, id, "SELECT id FROM jobs WHERE state IN ('queued', 'running') AND kind = ? AND params = ?"
		" ORDER BY id LIMIT 1", "tt", kind, params);
}

int job_count_active(db *d, int64_t *n)
{
	return db_query_int64(d, n, "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')", "");
}

/* Runnable: queued, or running under a lease that has run out. */
#define RUNNABLE "(state = 'queued' OR (state = 'running' AND lease_until < ?))"

int job_claim(db *d, const char *owner, const char *now_in, int lease_seconds, arena *a, job_row *out)
{
	memset(out, 0, sizeof *out);
	if (!owner || !*owner || lease_seconds <= 0) return db_fail(d, DB_EINVAL, "job_claim: owner and lease required");
	char now[21], until[21];
	if (now_in) snprintf(now, sizeof now, "%s", now_in);
	else db_now(now);
	time_plus(now, lease_seconds, until);
	int64_t id = 0;
	int rc;
	if (db_kind(d) == DB_PG) {
		/* Row locks, not the writers' advisory lock: claimers skip a row
		 * another one is taking instead of queuing behind it, and the
		 * outer UPDATE re-checks the row once it holds the lock. */
		rc = db_query_int64(d, &id, "UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?,"
			" attempts = attempts + 1, done = 0, started_at = ?, updated_at = ?"
			" WHERE id = (SELECT id FROM jobs WHERE " RUNNABLE " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
			" RETURNING id", "tttt" "t", owner, until, now, now, now);
	} else {
		/* SQLite: BEGIN IMMEDIATE makes this transaction the only writer
		 * between the look and the update. */
		if ((rc = db_begin_write(d))) return rc;
		rc = db_query_int64(d, &id, "SELECT id FROM jobs WHERE " RUNNABLE " ORDER BY id LIMIT 1", "t", now);
		if (rc == DB_OK)
			rc = db_execf(d, "UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?,"
				" attempts = attempts + 1, done = 0, started_at = ?, updated_at = ? WHERE id = ?",
				"tttti", owner, until, now, now, id);
		if (rc == DB_OK) rc = db_commit(d);
		else if (rc == DB_ENOTFOUND) db_commit(d);
		else db_rollback(d);
	}
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		return DB_ENOTFOUND;
	}
	if (rc != DB_OK) return rc;
	return job_get(d, id, a, out);
}

int job_progress(db *d, int64_t id, const char *owner, int64_t done, int64_t total, int lease_seconds)
{
	char now[21], until[21];
	db_now(now);
	time_plus(now, lease_seconds, until);
	int rc = db_execf(d, "UPDATE jobs SET done = ?, total = ?, lease_until = ?, updated_at = ?"
		" WHERE id = ? AND state = 'running' AND lease_owner = ?", "iittit", done, total, until, now, id, owner);
	if (rc == DB_OK && db_changes(d) == 0)
		return db_fail(d, DB_ECONFLICT, "Công việc số %lld đã bị hủy hoặc đã chuyển cho tiến trình khác", (long long)id);
	return rc;
}

int job_finish(db *d, int64_t id, const char *owner, const char *state, const char *message,
               const char *result_sha256, int64_t result_size, const char *result_name)
{
	if (!state || (strcmp(state, "done") != 0 && strcmp(state, "failed") != 0))
		return db_fail(d, DB_EINVAL, "job_finish: state must be done or failed");
	char now[21];
	db_now(now);
	int rc = db_begin_write(d);
	if (rc) return rc;
	int64_t actor = 0;
	rc = db_query_int64(d, &actor, "SELECT requested_by FROM jobs WHERE id = ? AND state = 'running' AND lease_owner = ?",
		"it", id, owner);
	if (rc == DB_ENOTFOUND)
		rc = db_fail(d, DB_ECONFLICT, "Công việc số %lld đã bị hủy hoặc đã chuyển cho tiến trình khác", (long long)id);
	if (rc == DB_OK)
		rc = db_execf(d, "UPDATE jobs SET state = ?, message = ?, result_sha256 = ?, result_size = ?, result_name = ?,"
			" finished_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
			"tttItt" "ti", state, message, result_sha256, result_size, result_name, now, now, id);
	if (rc == DB_OK)
		rc = audit_record(d, actor, !strcmp(state, "done") ? "job.done" : "job.failed", "job", id, NULL,
			json_pack("{s:o, s:o, s:I}", "message", q_json_str(message), "sha256", q_json_str(result_sha256),
			          "size", (json_int_t)result_size));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

int job_release(db *d, int64_t id, const char *owner)
{
	char now[21];
	db_now(now);
	/* a clean stop is not a failed attempt: only the claims that ended in
	 * a dead process count against JOB_MAX_ATTEMPTS */
	return db_execf(d, "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL, done = 0,"
		" attempts = attempts - 1, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
		"tit", now, id, owner);
}

int job_cancel(db *d, int64_t actor, int64_t id)
{
	char now[21];
	db_now(now);
	int rc = db_begin_write(d);
	if (rc) return rc;
	char *state = NULL;
	arena *a = arena_new();
	rc = db_query_text(d, a, &state, "SELECT state FROM jobs WHERE id = ?", "i", id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, DB_ENOTFOUND, "Không có công việc số %lld", (long long)id);
	else if (rc == DB_OK && job_state_final(state))
		rc = db_fail(d, DB_ECONFLICT, "Công việc đã kết thúc (%s), không hủy được nữa", job_state_label(state));
	if (rc == DB_OK)
		rc = db_execf(d, "UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ?, lease_owner = NULL,"
			" lease_until = NULL, message = ? WHERE id = ?", "ttti", now, now, "Đã hủy theo yêu cầu.", id);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "job.cancel", "job", id, json_pack("{s:s}", "state", state), NULL);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	arena_free(a);
	return rc;
}
