/* q_submission.c — request letters, submissions and returns for
 * supplement (q_submission.h). SQL for submissions, submission_drafts and
 * return_reasons lives here and nowhere else. */
#include "q_submission.h"
#include "audit.h"
#include "q.h"
#include "q_assessment.h"
#include "util.h"
#include "workflow.h"
#include <stdlib.h>
#include <string.h>

const char submission_migration_sql[] =
	/* A submission is the letter as it was sent, frozen with the totals and
	 * levels it announced: the office reads what the school signed, even
	 * after a return changes the answers. */
	"CREATE TABLE submissions ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" transition_id BIGINT NOT NULL REFERENCES assessment_transitions (id),"
	" letter TEXT NOT NULL,"
	" summary_json TEXT,"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL);\n"
	"CREATE INDEX submissions_assessment ON submissions (assessment_id, id);\n"
	"CREATE TABLE submission_drafts ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id),"
	" letter TEXT NOT NULL,"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n"
	/* transition_id NULL: written by the office during its review, not yet
	 * sent. Sent reasons belong to the return transition that sent them. */
	"CREATE TABLE return_reasons ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" transition_id BIGINT REFERENCES assessment_transitions (id),"
	" item_code TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL);\n"
	"CREATE UNIQUE INDEX return_reasons_pending ON return_reasons (assessment_id, item_code)"
	" WHERE transition_id IS NULL;\n"
	"CREATE UNIQUE INDEX return_reasons_sent ON return_reasons (transition_id, item_code);\n";

/* ---- the request letter ------------------------------------------------ */

int submission_draft_save(db *d, int64_t actor, int64_t assessment_id, const char *letter_in)
{
	char *letter = NULL;
	int rc = q_text(d, "Nội dung tờ trình", letter_in, false, SUBMISSION_LETTER_MAX, true, &letter);
	if (rc != DB_OK) return rc;
	if ((rc = db_begin_write(d))) goto out;
	char now[21];
	db_now(now);
	int64_t exists = 0;
	rc = db_query_int64(d, &exists, "SELECT COUNT(*) FROM assessments WHERE id = ?", "i", assessment_id);
	if (rc == DB_OK && !exists) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy phiếu đánh giá");
	if (rc == DB_OK && letter)
		rc = db_execf(d, "INSERT INTO submission_drafts (assessment_id, letter, updated_by, updated_at)"
			" VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id) DO UPDATE SET letter = excluded.letter,"
			" updated_by = excluded.updated_by, updated_at = excluded.updated_at", "itIt",
			assessment_id, letter, actor, now);
	else if (rc == DB_OK)
		rc = db_execf(d, "DELETE FROM submission_drafts WHERE assessment_id = ?", "i", assessment_id);
	/* The audit row keeps the size, not the text: drafts change often and
	 * the text that matters is the one sent (stored whole in submissions). */
	if (rc == DB_OK) rc = audit_record(d, actor, "submission.draft", "assessment", assessment_id, NULL,
		json_pack("{s:I}", "letter_bytes", (json_int_t)(letter ? strlen(letter) : 0)));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(letter);
	return rc;
}

int submission_draft_get(db *d, int64_t assessment_id, arena *a, submission_draft *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT letter, updated_at, updated_by FROM submission_drafts"
		" WHERE assessment_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->letter = db_col_dup(s, 0, a);
		out->updated_at = db_col_dup(s, 1, a);
		out->updated_by = db_col_int64(s, 2);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	return rc == DB_DONE ? DB_ENOTFOUND : rc;
}

/* The id of the transition this transaction just recorded: the write lock
 * is held, so the newest row of the assessment is ours. */
static int last_transition(db *d, int64_t assessment_id, int64_t *id)
{
	return db_query_int64(d, id, "SELECT MAX(id) FROM assessment_transitions WHERE assessment_id = ?",
		"i", assessment_id);
}

int submission_send(db *d, int64_t actor, int64_t assessment_id, const char *from_state, const char *to_state,
                    const char *letter_in, const char *summary_json, int64_t *id_out)
{
	if (id_out) *id_out = 0;
	char *letter = NULL;
	int rc = q_text(d, "Nội dung tờ trình", letter_in, true, SUBMISSION_LETTER_MAX, true, &letter);
	if (rc != DB_OK) return rc;
	json_t *summary = NULL;
	if (summary_json && !(summary = json_loads(summary_json, JSON_DECODE_ANY, NULL))) {
		rc = db_fail(d, DB_EINVAL, "Tóm tắt kết quả không phải JSON hợp lệ");
		goto out;
	}
	if ((rc = db_begin_write(d))) goto out;
	int64_t tid = 0, id = 0;
	rc = assessment_transition(d, actor, assessment_id, from_state, to_state, NULL, NULL);
	if (rc == DB_OK) rc = last_transition(d, assessment_id, &tid);
	char now[21];
	db_now(now);
	if (rc == DB_OK)
		rc = db_query_int64(d, &id, "INSERT INTO submissions (assessment_id, transition_id, letter,"
			" summary_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", "iittIt",
			assessment_id, tid, letter, summary_json, actor, now);
	if (rc == DB_OK)
		rc = db_execf(d, "DELETE FROM submission_drafts WHERE assessment_id = ?", "i", assessment_id);
	if (rc == DB_OK) {
		rc = audit_record(d, actor, "submission.send", "assessment", assessment_id, NULL,
			json_pack("{s:I, s:I, s:s, s:o}", "submission_id", (json_int_t)id, "transition_id",
				(json_int_t)tid, "letter", letter, "summary", summary ? summary : json_null()));
		summary = NULL;
	}
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
out:
	json_decref(summary);
	free(letter);
	return rc;
}

static void submission_row(db_stmt *s, arena *a, submission *x)
{
	x->id = db_col_int64(s, 0);
	x->assessment_id = db_col_int64(s, 1);
	x->transition_id = db_col_int64(s, 2);
	x->letter = db_col_dup(s, 3, a);
	x->summary_json = db_col_dup(s, 4, a);
	x->created_by = db_col_int64(s, 5);
	x->created_at = db_col_dup(s, 6, a);
}

int submission_list(db *d, int64_t assessment_id, arena *a, submission **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, assessment_id, transition_id, letter, summary_json,"
		" created_by, created_at FROM submissions WHERE assessment_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		submission_row(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int submission_latest(db *d, int64_t assessment_id, arena *a, submission *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT id, assessment_id, transition_id, letter, summary_json,"
		" created_by, created_at FROM submissions WHERE assessment_id = ? ORDER BY id DESC LIMIT 1");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) submission_row(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	return rc == DB_DONE ? DB_ENOTFOUND : rc;
}

/* ---- return for supplement ------------------------------------------------ */

/* Writes one pending reason (replacing the item's previous one) inside the
 * caller's transaction; reason NULL deletes. */
static int put_pending(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                       const char *reason, const char *now)
{
	int rc = db_execf(d, "DELETE FROM return_reasons WHERE assessment_id = ? AND item_code = ?"
		" AND transition_id IS NULL", "it", assessment_id, item_code);
	if (rc == DB_OK && reason)
		rc = db_execf(d, "INSERT INTO return_reasons (assessment_id, transition_id, item_code, reason,"
			" created_by, created_at) VALUES (?, NULL, ?, ?, ?, ?)", "ittIt", assessment_id,
			item_code, reason, actor, now);
	return rc;
}

int submission_return_note_set(db *d, int64_t actor, int64_t assessment_id,
                               const char *item_code, const char *reason_in)
{
	if (!assessment_item_code_valid(item_code))
		return db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'", item_code ? item_code : "");
	char *reason = NULL;
	int rc = q_text(d, "Lý do yêu cầu bổ sung", reason_in, false, 4000, true, &reason);
	if (rc != DB_OK) return rc;
	if ((rc = db_begin_write(d))) goto out;
	int64_t exists = 0;
	rc = db_query_int64(d, &exists, "SELECT COUNT(*) FROM assessments WHERE id = ?", "i", assessment_id);
	if (rc == DB_OK && !exists) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy phiếu đánh giá");
	char now[21];
	db_now(now);
	if (rc == DB_OK) rc = put_pending(d, actor, assessment_id, item_code, reason, now);
	if (rc == DB_OK) rc = audit_record(d, actor, "return.note", "assessment", assessment_id, NULL,
		json_pack("{s:s, s:o}", "item", item_code, "reason", q_json_str(reason)));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(reason);
	return rc;
}

static int read_items(db *d, db_stmt *s, arena *a, return_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		return_item *r = &(*out)[(*n)++];
		r->item_code = db_col_dup(s, 0, a);
		r->reason = db_col_dup(s, 1, a);
		r->created_by = db_col_int64(s, 2);
		r->created_at = db_col_dup(s, 3, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int submission_return_notes_pending(db *d, int64_t assessment_id, arena *a, return_item **out,
                                    size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT item_code, reason, created_by, created_at FROM return_reasons"
		" WHERE assessment_id = ? AND transition_id IS NULL ORDER BY item_code");
	if (s) db_bind_int64(s, 1, assessment_id);
	return read_items(d, s, a, out, n);
}

int submission_return(db *d, int64_t actor, int64_t assessment_id, const char *from_state,
                      const char *to_state, const char *reason, const char *extended_until, const return_item *items,
                      size_t n, int64_t *transition_id)
{
	if (transition_id) *transition_id = 0;
	char **clean = xcalloc(n + 1, sizeof *clean);
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		if (!assessment_item_code_valid(items[i].item_code))
			rc = db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'",
				items[i].item_code ? items[i].item_code : "");
		else
			rc = q_text(d, "Lý do yêu cầu bổ sung", items[i].reason, true, 4000, true, &clean[i]);
	}
	if (rc != DB_OK) goto out;
	if ((rc = db_begin_write(d))) goto out;
	char now[21];
	db_now(now);
	for (size_t i = 0; i < n && rc == DB_OK; i++)
		rc = put_pending(d, actor, assessment_id, items[i].item_code, clean[i], now);
	int64_t tid = 0, sent = 0;
	if (rc == DB_OK)
		rc = assessment_transition(d, actor, assessment_id, from_state, to_state, reason, extended_until);
	if (rc == DB_OK) rc = last_transition(d, assessment_id, &tid);
	if (rc == DB_OK) {
		rc = db_execf(d, "UPDATE return_reasons SET transition_id = ? WHERE assessment_id = ?"
			" AND transition_id IS NULL", "ii", tid, assessment_id);
		sent = db_changes(d);
	}
	if (rc == DB_OK) rc = audit_record(d, actor, "return.send", "assessment", assessment_id, NULL,
		json_pack("{s:I, s:I}", "transition_id", (json_int_t)tid, "items", (json_int_t)sent));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && transition_id) *transition_id = tid;
out:
	for (size_t i = 0; i < n; i++) free(clean[i]);
	free(clean);
	return rc;
}

int submission_last_return(db *d, int64_t assessment_id, arena *a, return_notice *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT t.id, t.account_id, t.at, t.reason, x.extended_until"
		" FROM assessment_transitions t JOIN assessments x ON x.id = t.assessment_id"
		" WHERE t.assessment_id = ? AND t.to_state = ? ORDER BY t.id DESC LIMIT 1");
	if (!s) return db_errcode(d);
	db_bindf(s, "it", assessment_id, wf_state_code(WF_RETURNED));
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->transition_id = db_col_int64(s, 0);
		out->by = db_col_int64(s, 1);
		out->at = db_col_dup(s, 2, a);
		out->reason = db_col_dup(s, 3, a);
		out->extended_until = db_col_dup(s, 4, a);
	}
	db_finish(s);
	if (rc == DB_DONE) return DB_ENOTFOUND;
	if (rc != DB_ROW) return rc;
	s = db_prepare(d, "SELECT item_code, reason, created_by, created_at FROM return_reasons"
		" WHERE transition_id = ? ORDER BY item_code");
	if (s) db_bind_int64(s, 1, out->transition_id);
	return read_items(d, s, a, &out->items, &out->nitems);
}

int submission_return_reason_for(db *d, int64_t assessment_id, const char *item_code, arena *a,
                                 const char **reason)
{
	*reason = NULL;
	char *r = NULL;
	int rc = db_query_text(d, a, &r, "SELECT reason FROM return_reasons WHERE item_code = ?"
		" AND transition_id = (SELECT MAX(id) FROM assessment_transitions WHERE assessment_id = ?"
		" AND to_state = ?)", "tit", item_code, assessment_id, wf_state_code(WF_RETURNED));
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		return DB_OK;
	}
	*reason = r;
	return rc;
}
