/* q_bulk.c — a round at a time: its assessments with their units, their
 * current answers in slices, and answer sheets written whole (q_bulk.h). */
#include "q_bulk.h"
#include "q_round_agg.h"
#include "audit.h"
#include "buf.h"
#include "q.h"
#include "util.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int bulk_round_units(db *d, int64_t round_id, arena *a, round_unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT a.id, a.round_id, a.unit_id, a.framework_id, a.framework_revision,"
		" a.state, a.state_changed_at, a.extended_until, a.self_level, a.external_level,"
		" a.recognised_level, a.recognition_decision_id, u.code, u.name, u.type"
		" FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.round_id = ? ORDER BY a.id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		round_unit *r = &(*out)[(*n)++];
		assessment *o = &r->as;
		assessment_read_row(s, a, o);
		r->unit_code = db_col_dup(s, 12, a);
		r->unit_name = db_col_dup(s, 13, a);
		r->unit_type = db_col_dup(s, 14, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int bulk_read_current(db_stmt *s, arena *a, bulk_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t id = db_col_int64(s, 0);
		const char *code = db_col_text(s, 1);
		bulk_answer *last = *n ? &(*out)[*n - 1] : NULL;
		if (!last || last->assessment_id != id || strcmp(last->item_code, code) != 0) {
			q_grow(a, (void **)out, &cap, *n, sizeof **out);
			last = &(*out)[(*n)++];
			last->assessment_id = id;
			last->item_code = db_col_dup(s, 1, a);
		}
		last->value_json = db_col_dup(s, 2, a);   /* a later version replaces it */
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int bulk_round_answers(db *d, int64_t round_id, int64_t lo_id, int64_t hi_id, arena *a,
                       bulk_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* The slice's assessments by primary key (the unary + keeps SQLite off
	 * the round_id indexes, which would walk the whole round for every
	 * slice), then each one's current answers of its side through the
	 * primary key of answers_current, in its order: no sort, one row per
	 * item whatever the history. */
	db_stmt *s = db_prepare(d, "SELECT x.assessment_id, x.item_code, x.value_json"
		" FROM assessments a JOIN answers_current x ON x.assessment_id = a.id"
		"  AND x.side = CASE WHEN a.external_level IS NULL THEN 'self' ELSE 'external' END"
		" WHERE a.id BETWEEN ? AND ? AND +a.round_id = ?"
		" ORDER BY a.id, x.item_code");
	if (!s) return db_errcode(d);
	db_bindf(s, "iii", lo_id, hi_id, round_id);
	return bulk_read_current(s, a, out, n);
}

int bulk_answers_of(db *d, int64_t round_id, const int64_t *ids, size_t nids, arena *a, bulk_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (nids == 0) return DB_OK;
	if (nids > BULK_IDS_MAX) return db_fail(d, DB_EINVAL, "Quá nhiều phiếu trong một lần đọc");
	buf sql;
	buf_init(&sql);
	buf_puts(&sql, "SELECT x.assessment_id, x.item_code, x.value_json"
		" FROM assessments a JOIN answers_current x ON x.assessment_id = a.id"
		"  AND x.side = CASE WHEN a.external_level IS NULL THEN 'self' ELSE 'external' END"
		" WHERE +a.round_id = ? AND a.id IN (?");
	for (size_t i = 1; i < nids; i++) buf_puts(&sql, ", ?");
	buf_puts(&sql, ") ORDER BY a.id, x.item_code");
	db_stmt *s = db_prepare(d, buf_str(&sql));
	buf_free(&sql);
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	for (size_t i = 0; i < nids; i++) db_bind_int64(s, (int)i + 2, ids[i]);
	return bulk_read_current(s, a, out, n);
}

/* Rows per INSERT: 9 parameters each, far below both engines' limits. */
enum { PUT_ROWS = 64 };

static int insert_rows(db *d, int64_t actor, int64_t assessment_id, const char *side,
                       const char *const *codes, char *const *canon, size_t n, const char *now)
{
	buf sql;
	buf_init(&sql);
	buf_puts(&sql, "INSERT INTO answers (assessment_id, item_code, side, version, value_json, reason,"
		" author_id, created_at) VALUES ");
	for (size_t i = 0; i < n; i++)
		buf_puts(&sql, i ? ", (?, ?, ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM answers"
			" WHERE assessment_id = ? AND side = ? AND item_code = ?), ?, NULL, ?, ?)"
			: "(?, ?, ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM answers"
			" WHERE assessment_id = ? AND side = ? AND item_code = ?), ?, NULL, ?, ?)");
	db_stmt *s = db_prepare(d, buf_str(&sql));
	buf_free(&sql);
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(s, p++, assessment_id);
		db_bind_text(s, p++, codes[i]);
		db_bind_text(s, p++, side);
		db_bind_int64(s, p++, assessment_id);
		db_bind_text(s, p++, side);
		db_bind_text(s, p++, codes[i]);
		db_bind_text(s, p++, canon[i]);
		if (actor) db_bind_int64(s, p++, actor);
		else db_bind_null(s, p++);
		db_bind_text(s, p++, now);
	}
	int rc = db_step(s);
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int bulk_answers_put(db *d, int64_t actor, int64_t assessment_id, answer_side side,
                     const char *const *item_codes, const char *const *values_json, size_t n)
{
	if (n == 0) return DB_OK;
	const char *side_code = answer_side_code(side);
	char **canon = xcalloc(n, sizeof *canon);
	json_t *answers = json_object();
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		if (!assessment_item_code_valid(item_codes[i])) {
			rc = db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'", item_codes[i] ? item_codes[i] : "");
			break;
		}
		json_error_t jerr;
		json_t *v = values_json[i] ? json_loads(values_json[i], JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr) : NULL;
		if (!v) {
			rc = db_fail(d, DB_EINVAL, "Câu trả lời cho %s không phải JSON hợp lệ: %s", item_codes[i],
			             values_json[i] ? jerr.text : "trống");
			break;
		}
		canon[i] = audit_json_dump(v);
		json_object_set_new(answers, item_codes[i], v);
	}
	if (rc == DB_OK && json_object_size(answers) != n)
		rc = db_fail(d, DB_EINVAL, "Một chỉ tiêu được trả lời hai lần trong cùng một phiếu");
	if (rc == DB_OK) rc = db_begin_write(d);
	if (rc == DB_OK) {
		char now[21];
		db_now(now);
		/* Answers of an assessment that does not exist would fail on the
		 * foreign key; say so in words instead. */
		int64_t x;
		rc = db_query_int64(d, &x, "SELECT id FROM assessments WHERE id = ?", "i", assessment_id);
		if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy phiếu đánh giá");
		for (size_t i = 0; rc == DB_OK && i < n; i += PUT_ROWS)
			rc = insert_rows(d, actor, assessment_id, side_code, item_codes + i, canon + i,
			                 n - i < PUT_ROWS ? n - i : PUT_ROWS, now);
		if (rc == DB_OK)
			rc = audit_record(d, actor, "answer.put_sheet", "assessment", assessment_id, NULL,
			                  json_pack("{s:s, s:O}", "side", side_code, "answers", answers));
		if (rc == DB_OK) rc = round_agg_changed(d, assessment_id);
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	json_decref(answers);
	for (size_t i = 0; i < n; i++) free(canon[i]);
	free(canon);
	return rc;
}
