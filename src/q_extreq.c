/* q_extreq.c — deadline-extension requests (q_extreq.h). SQL for
 * `extension_requests` lives here. */
#include "q_extreq.h"
#include "audit.h"
#include "q.h"
#include "q_office.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char extreq_migration_sql[] =
	/* status: 0 waiting, 1 granted, 2 refused (extreq_status) */
	"CREATE TABLE extension_requests ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" reason TEXT NOT NULL,"
	" requested_by BIGINT REFERENCES accounts (id),"
	" requested_at TEXT NOT NULL,"
	" status BIGINT NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),"
	" until TEXT,"
	" answer TEXT,"
	" answered_by BIGINT REFERENCES accounts (id),"
	" answered_at TEXT);\n"
	"CREATE INDEX extension_requests_a ON extension_requests (assessment_id, id);\n"
	/* one waiting request per assessment */
	"CREATE UNIQUE INDEX extension_requests_waiting ON extension_requests (assessment_id)"
	" WHERE status = 0;\n";

#define EXTREQ_COLS "r.id, r.assessment_id, r.reason, r.requested_by, r.requested_at, r.status," \
	" r.until, r.answer, r.answered_by, r.answered_at"

static void extreq_read(db_stmt *s, arena *a, extreq *o)
{
	o->id = db_col_int64(s, 0);
	o->assessment_id = db_col_int64(s, 1);
	o->reason = db_col_dup(s, 2, a);
	o->requested_by = db_col_int64(s, 3);
	o->requested_at = db_col_dup(s, 4, a);
	o->status = (extreq_status)db_col_int64(s, 5);
	o->until = db_col_dup(s, 6, a);
	o->answer = db_col_dup(s, 7, a);
	o->answered_by = db_col_int64(s, 8);
	o->answered_at = db_col_dup(s, 9, a);
}

int extreq_create(db *d, int64_t actor, int64_t assessment_id, const char *reason_in, int64_t *id_out)
{
	if (id_out) *id_out = 0;
	char *reason = NULL;
	int rc = q_text(d, "Lý do xin gia hạn", reason_in, true, 2000, true, &reason);
	if (rc) return rc;
	if ((rc = db_begin_write(d))) goto out;
	int64_t waiting = 0, id = 0;
	rc = db_query_int64(d, &waiting, "SELECT count(*) FROM extension_requests WHERE assessment_id = ?"
		" AND status = 0", "i", assessment_id);
	if (rc == DB_OK && waiting)
		rc = db_fail(d, DB_ECONFLICT, "Đơn vị đã có một đơn xin gia hạn đang chờ cơ quan trả lời.");
	char now[21];
	db_now(now);
	if (rc == DB_OK)
		rc = db_query_int64(d, &id, "INSERT INTO extension_requests (assessment_id, reason, requested_by,"
			" requested_at) VALUES (?, ?, ?, ?) RETURNING id", "itIt", assessment_id, reason, actor, now);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "extension.request", "assessment", assessment_id, NULL,
			json_pack("{s:I, s:s}", "request_id", (json_int_t)id, "reason", reason));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
out:
	free(reason);
	return rc;
}

int extreq_get(db *d, int64_t id, arena *a, extreq *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " EXTREQ_COLS " FROM extension_requests r WHERE r.id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) extreq_read(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy đơn xin gia hạn");
	return rc;
}

static int extreq_list(db *d, const char *sql, int64_t key, arena *a, extreq **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, sql);
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, key);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		extreq_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int extreq_of_assessment(db *d, int64_t assessment_id, arena *a, extreq **out, size_t *n)
{
	return extreq_list(d, "SELECT " EXTREQ_COLS " FROM extension_requests r WHERE r.assessment_id = ?"
		" ORDER BY r.id DESC", assessment_id, a, out, n);
}

int extreq_pending_of_round(db *d, int64_t round_id, arena *a, extreq **out, size_t *n)
{
	return extreq_list(d, "SELECT " EXTREQ_COLS " FROM extension_requests r"
		" JOIN assessments a ON a.id = r.assessment_id WHERE a.round_id = ? AND r.status = 0"
		" ORDER BY r.id", round_id, a, out, n);
}

int extreq_answer(db *d, int64_t actor, int64_t id, bool grant, const char *until, const char *answer_in)
{
	char *answer = NULL;
	int rc = grant ? q_date(d, "Hạn mới", until, true) : DB_OK;
	if (rc == DB_OK) rc = q_text(d, "Trả lời", answer_in, !grant, 2000, true, &answer);
	if (rc) return rc;
	if ((rc = db_begin_write(d))) goto out;
	arena *a = arena_new();
	extreq r;
	rc = extreq_get(d, id, a, &r);
	if (rc == DB_OK && r.status != EXTREQ_PENDING)
		rc = db_fail(d, DB_ECONFLICT, "Đơn xin gia hạn này đã được trả lời.");
	char now[21];
	db_now(now);
	if (rc == DB_OK)
		rc = db_execf(d, "UPDATE extension_requests SET status = ?, until = ?, answer = ?, answered_by = ?,"
			" answered_at = ? WHERE id = ? AND status = 0", "ittIti", (int64_t)(grant ? EXTREQ_GRANTED : EXTREQ_REFUSED),
			grant ? until : NULL, answer, actor, now, id);
	if (rc == DB_OK && db_changes(d) != 1)
		rc = db_fail(d, DB_ECONFLICT, "Đơn xin gia hạn này đã được trả lời.");
	if (rc == DB_OK && grant)
		rc = office_extend_tx(d, actor, r.assessment_id, until,
			answer ? answer : arena_printf(a, "Theo đơn xin gia hạn: %s", r.reason));
	if (rc == DB_OK)
		rc = audit_record(d, actor, grant ? "extension.grant" : "extension.refuse", "assessment", r.assessment_id,
			NULL, json_pack("{s:I, s:o, s:o}", "request_id", (json_int_t)id, "until", q_json_str(grant ? until : NULL),
				"answer", q_json_str(answer)));
	arena_free(a);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(answer);
	return rc;
}
