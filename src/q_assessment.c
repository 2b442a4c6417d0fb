/* q_assessment.c — assessments, their recorded transitions and their
 * versioned answers (q_assessment.h). SQL for assessments,
 * assessment_transitions and answers lives here and nowhere else. */
#include "q_assessment.h"
#include "q_round_agg.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include "workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool assessment_item_code_valid(const char *c)
{
	if (!c) return false;
	size_t n = strlen(c);
	if (n == 0 || n > 32) return false;
	for (; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      *c == '.' || *c == '_' || *c == '-'))
			return false;
	return true;
}

/* State codes come from workflow.c; the store only insists on their shape
 * so that a typo cannot reach the table. */
static bool state_code_valid(const char *s)
{
	if (!s || !*s || strlen(s) > 32) return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_')) return false;
	return true;
}

const char *assessment_level_code(assessment_level l)
{
	static const char *const codes[] = { "self", "external", "recognised" };   /* not-a-state: level sides */
	return (unsigned)l < sizeof codes / sizeof codes[0] ? codes[l] : "";
}

const char *answer_side_code(answer_side s)
{
	return s == ANSWER_EXTERNAL ? "external" : "self";
}

int assessment_create(db *d, int64_t actor, int64_t round_id, int64_t unit_id,
                      const char *framework_id, const char *framework_revision, int64_t *id_out)
{
	if (id_out) *id_out = 0;
	if (!framework_id || !*framework_id || !framework_revision || !*framework_revision)
		return db_fail(d, DB_EINVAL, "Đánh giá cần bộ chỉ số và phiên bản");
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	char now[21];
	db_now(now);
	int64_t id = 0;
	rc = db_query_int64(d, &id, "INSERT INTO assessments (round_id, unit_id, framework_id,"
		" framework_revision, state, state_changed_at, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", "iittttt", round_id, unit_id,
		framework_id, framework_revision, wf_state_code(WF_NOT_STARTED), now, now);
	if (rc == DB_ECONSTRAINT)
		rc = db_fail(d, rc, "Đơn vị đã có phiếu đánh giá trong đợt này (hoặc đợt/đơn vị không tồn tại)");
	if (rc == DB_OK) rc = audit_record(d, actor, "assessment.create", "assessment", id, NULL,
		json_pack("{s:I, s:I, s:s, s:s, s:s}", "round_id", (json_int_t)round_id,
			"unit_id", (json_int_t)unit_id, "framework_id", framework_id,
			"framework_revision", framework_revision, "state", wf_state_code(WF_NOT_STARTED)));
	if (rc == DB_OK) rc = round_agg_changed(d, id);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
	return rc;
}

void assessment_read_row(db_stmt *s, arena *a, assessment *o)
{
	o->id = db_col_int64(s, 0);
	o->round_id = db_col_int64(s, 1);
	o->unit_id = db_col_int64(s, 2);
	o->framework_id = db_col_dup(s, 3, a);
	o->framework_revision = db_col_dup(s, 4, a);
	o->state = db_col_dup(s, 5, a);
	o->state_changed_at = db_col_dup(s, 6, a);
	o->extended_until = db_col_dup(s, 7, a);
	o->self_level = (int)db_col_int64(s, 8);
	o->external_level = (int)db_col_int64(s, 9);
	o->recognised_level = (int)db_col_int64(s, 10);
	o->recognition_decision_id = db_col_int64(s, 11);
}

static int get_one(db *d, const char *sql, int64_t k1, int64_t k2, arena *a, assessment *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, sql);
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, k1);
	if (k2) db_bind_int64(s, 2, k2);
	int rc = db_step(s);
	if (rc == DB_ROW) assessment_read_row(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy phiếu đánh giá");
	return rc;
}

int assessment_get(db *d, int64_t id, arena *a, assessment *out)
{
	return get_one(d, "SELECT " ASSESSMENT_COLUMNS " FROM assessments WHERE id = ?", id, 0, a,
		out);
}

int assessment_get_with_round_unit(db *d, int64_t id, arena *a, assessment *out, round_row *round, unit *u)
{
	memset(out, 0, sizeof *out);
	memset(round, 0, sizeof *round);
	memset(u, 0, sizeof *u);
	/* the columns of assessment_read_row, round_read_row, unit_read_row */
	db_stmt *s = db_prepare(d, "SELECT x.id, x.round_id, x.unit_id, x.framework_id, x.framework_revision, x.state,"
		" x.state_changed_at, x.extended_until, x.self_level, x.external_level, x.recognised_level,"
		" x.recognition_decision_id,"
		" r.id, r.office_unit_id, r.school_year, r.title, r.policy, r.self_due, r.report_due, r.external_due, r.state,"
		" u.id, u.code, u.name, u.type, u.address, u.levels, u.is_public"
		" FROM assessments x JOIN rounds r ON r.id = x.round_id JOIN units u ON u.id = x.unit_id WHERE x.id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		assessment_read_row(s, a, out);
		db_col_base(s, 12);
		round_read_row(s, a, round);
		db_col_base(s, 21);
		unit_read_row(s, a, u);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy phiếu đánh giá");
	return rc;
}

int assessment_facts_get(db *d, int64_t assessment_id, int64_t round_id, int64_t unit_id, int64_t account_id,
                         assessment_facts *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT"
		" (SELECT COUNT(*) FROM councils WHERE assessment_id = ?),"
		" (SELECT COUNT(*) FROM council_members m JOIN councils c ON c.id = m.council_id"
		"  WHERE c.assessment_id = ? AND m.account_id = ? AND m.post = 'thu_ky'),"
		" (SELECT COUNT(*) FROM evaluator_assignments WHERE round_id = ? AND unit_id = ? AND account_id = ?),"
		" (SELECT COUNT(*) FROM evaluator_assignments WHERE round_id = ? AND unit_id = ? AND account_id = ?"
		"  AND is_lead = 1),"
		" (SELECT COUNT(*) FROM published_results WHERE assessment_id = ? AND basis = 'tu_danh_gia')");
	if (!s) return db_errcode(d);
	db_bindf(s, "iiiiiiiiii", assessment_id, assessment_id, account_id, round_id, unit_id, account_id, round_id,
	         unit_id, account_id, assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->council_formed = db_col_int64(s, 0) > 0;
		out->council_secretary = db_col_int64(s, 1) > 0;
		out->assigned_evaluator = db_col_int64(s, 2) > 0;
		out->team_head = db_col_int64(s, 3) > 0;
		out->self_published = db_col_int64(s, 4) > 0;
	}
	db_finish(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int assessment_find(db *d, int64_t round_id, int64_t unit_id, arena *a, assessment *out)
{
	return get_one(d, "SELECT " ASSESSMENT_COLUMNS " FROM assessments WHERE round_id = ?"
		" AND unit_id = ?", round_id, unit_id, a, out);
}

int assessment_list_managed(db *d, int64_t round_id, int64_t office, const char *date, arena *a, assessment **out,
                            size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " ASSESSMENT_COLUMNS " FROM assessments WHERE round_id = ? AND unit_id IN"
		" (SELECT unit_id FROM unit_relations WHERE kind = 'parent' AND other_unit_id = ?"
		"  AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)) ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	db_bind_int64(s, 2, office);
	db_bind_text(s, 3, date);
	db_bind_text(s, 4, date);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		assessment_read_row(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int assessment_list_round(db *d, int64_t round_id, arena *a, assessment **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " ASSESSMENT_COLUMNS " FROM assessments"
		" WHERE round_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		assessment_read_row(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int assessment_transition(db *d, int64_t actor, int64_t id, const char *from, const char *to,
                          const char *reason_in, const char *extended_until)
{
	if (!state_code_valid(from) || !state_code_valid(to))
		return db_fail(d, DB_EINVAL, "Trạng thái không hợp lệ");
	int rc;
	if ((rc = q_date(d, "Hạn bổ sung", extended_until, false))) return rc;
	char *reason = NULL;
	if ((rc = q_text(d, "Lý do", reason_in, false, 4000, true, &reason))) return rc;
	if ((rc = db_begin_write(d))) goto out;
	char now[21];
	db_now(now);
	/* Compare-and-set: the workflow check was made against `from`. */
	if (extended_until)
		rc = db_execf(d, "UPDATE assessments SET state = ?, state_changed_at = ?,"
			" extended_until = ? WHERE id = ? AND state = ?", "tttit", to, now, extended_until,
			id, from);
	else
		rc = db_execf(d, "UPDATE assessments SET state = ?, state_changed_at = ?"
			" WHERE id = ? AND state = ?", "ttit", to, now, id, from);
	if (rc == DB_OK && db_changes(d) == 0) {
		arena *a = arena_new();
		assessment cur;
		rc = assessment_get(d, id, a, &cur);
		if (rc == DB_OK)
			rc = db_fail(d, DB_ECONFLICT, "Phiếu đánh giá vừa được người khác chuyển sang "
				"trạng thái '%s'; hãy tải lại trang", cur.state);
		arena_free(a);
	}
	if (rc == DB_OK) rc = db_execf(d, "INSERT INTO assessment_transitions (assessment_id,"
		" account_id, from_state, to_state, at, reason) VALUES (?, ?, ?, ?, ?, ?)", "iItttt",
		id, actor, from, to, now, reason);
	/* the round summary's progress, in the same transaction */
	if (rc == DB_OK) rc = agg_stage_reached(d, id, to, now);
	if (rc == DB_OK) rc = audit_record(d, actor, "assessment.transition", "assessment", id,
		json_pack("{s:s}", "state", from),
		json_pack("{s:s, s:o, s:o}", "state", to, "reason", q_json_str(reason),
			"extended_until", q_json_str(extended_until)));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(reason);
	return rc;
}

int assessment_transitions(db *d, int64_t id, arena *a, assessment_transition_row **out,
                           size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, account_id, from_state, to_state, at, reason"
		" FROM assessment_transitions WHERE assessment_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		assessment_transition_row *t = &(*out)[(*n)++];
		t->id = db_col_int64(s, 0);
		t->account_id = db_col_int64(s, 1);
		t->from_state = db_col_dup(s, 2, a);
		t->to_state = db_col_dup(s, 3, a);
		t->at = db_col_dup(s, 4, a);
		t->reason = db_col_dup(s, 5, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int assessment_set_level(db *d, int64_t actor, int64_t id, const char *side, int level)
{
	const char *sql;
	if (!side) side = "";
	if (!strcmp(side, assessment_level_code(LEVEL_SELF)))
		sql = "UPDATE assessments SET self_level = ? WHERE id = ?";
	else if (!strcmp(side, assessment_level_code(LEVEL_EXTERNAL)))
		sql = "UPDATE assessments SET external_level = ? WHERE id = ?";
	else if (!strcmp(side, assessment_level_code(LEVEL_RECOGNISED)))
		sql = "UPDATE assessments SET recognised_level = ? WHERE id = ?";
	else
		return db_fail(d, DB_EINVAL, "Loại mức không hợp lệ: '%s'", side);
	if (level < 0 || level > 3) return db_fail(d, DB_EINVAL, "Mức phải từ 1 đến 3");
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, sql, "Ii", (int64_t)level, id);
	if (rc == DB_OK && db_changes(d) == 0)
		rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy phiếu đánh giá");
	if (rc == DB_OK) rc = audit_record(d, actor, "assessment.level", "assessment", id, NULL,
		json_pack("{s:s, s:i}", "side", side, "level", level));
	if (rc == DB_OK) rc = round_agg_changed(d, id);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int assessment_level_counts(db *d, int64_t round_id, const char *unit_type, int64_t counts[4])
{
	memset(counts, 0, 4 * sizeof *counts);
	/* Two statements rather than one with "? IS NULL OR …": the round-wide
	 * count is then answered from the (round_id, recognised_level) index
	 * alone, without visiting units. */
	db_stmt *s;
	if (unit_type) {
		s = db_prepare(d, "SELECT COALESCE(a.recognised_level, 0), COUNT(*)"
			" FROM assessments a JOIN units u ON u.id = a.unit_id"
			" WHERE a.round_id = ? AND u.type = ? GROUP BY COALESCE(a.recognised_level, 0)");
		if (s) db_bindf(s, "it", round_id, unit_type);
	} else {
		s = db_prepare(d, "SELECT COALESCE(recognised_level, 0), COUNT(*) FROM assessments"
			" WHERE round_id = ? GROUP BY COALESCE(recognised_level, 0)");
		if (s) db_bind_int64(s, 1, round_id);
	}
	if (!s) return db_errcode(d);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t level = db_col_int64(s, 0);
		if (level >= 0 && level <= 3) counts[level] = db_col_int64(s, 1);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- answers --------------------------------------------------------- */

/* Migration 11: the current answer of each (assessment, side, item) as one
 * row, so that reading an assessment's answers costs O(items), not
 * O(history) (issue 19): a school saving its form 200 times no longer slows
 * every later save and view. The versions in `answers` stay, for the
 * history, the diff between submissions and the audit. The row is kept by
 * a trigger on every INSERT INTO answers (the save, the bulk import, any
 * future writer), in the inserting statement itself: it can never disagree
 * with the versions and costs the save no round trip. The trigger keeps the
 * highest version (an out-of-order insert never makes an older version
 * current). Backfilled from the versions. */
const char answers_current_migration_sql[] =
	"CREATE TABLE answers_current ("
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" side TEXT NOT NULL,"
	" item_code TEXT NOT NULL,"
	" answer_id BIGINT NOT NULL,"            /* answers.id of the current version */
	" version BIGINT NOT NULL,"
	" value_json TEXT NOT NULL,"
	" reason TEXT,"
	" author_id BIGINT,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (assessment_id, side, item_code));\n"
	"INSERT INTO answers_current (assessment_id, side, item_code, answer_id, version,"
	" value_json, reason, author_id, created_at)"
	" SELECT x.assessment_id, x.side, x.item_code, x.id, x.version, x.value_json, x.reason,"
	" x.author_id, x.created_at FROM answers x WHERE x.version = (SELECT MAX(y.version)"
	" FROM answers y WHERE y.assessment_id = x.assessment_id AND y.side = x.side"
	" AND y.item_code = x.item_code);\n";

#define ANSWERS_CURRENT_UPSERT \
	"INSERT INTO answers_current (assessment_id, side, item_code, answer_id, version," \
	" value_json, reason, author_id, created_at) VALUES (NEW.assessment_id, NEW.side," \
	" NEW.item_code, NEW.id, NEW.version, NEW.value_json, NEW.reason, NEW.author_id," \
	" NEW.created_at) ON CONFLICT (assessment_id, side, item_code) DO UPDATE SET" \
	" answer_id = excluded.answer_id, version = excluded.version," \
	" value_json = excluded.value_json, reason = excluded.reason," \
	" author_id = excluded.author_id, created_at = excluded.created_at" \
	" WHERE excluded.version > answers_current.version;"

const char answers_current_migration_sqlite[] =
	"CREATE TRIGGER answers_current_put AFTER INSERT ON answers BEGIN "
	ANSWERS_CURRENT_UPSERT " END;\n";

const char answers_current_migration_pg[] =
	"CREATE FUNCTION answers_current_put() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	ANSWERS_CURRENT_UPSERT " RETURN NULL; END $$;\n"
	"CREATE TRIGGER answers_current_put AFTER INSERT ON answers"
	" FOR EACH ROW EXECUTE FUNCTION answers_current_put();\n";

#define ANSWER_COLUMNS "id, assessment_id, item_code, side, version, value_json, reason," \
	" author_id, created_at"
/* The same columns from answers_current (answer_id is the version's id). */
#define CURRENT_COLUMNS "answer_id, assessment_id, item_code, side, version, value_json," \
	" reason, author_id, created_at"

static void read_answer(db_stmt *s, arena *a, assessment_answer *o)
{
	o->id = db_col_int64(s, 0);
	o->assessment_id = db_col_int64(s, 1);
	o->item_code = db_col_dup(s, 2, a);
	o->side = strcmp(db_col_text(s, 3), "external") ? ANSWER_SELF : ANSWER_EXTERNAL;
	o->version = (int)db_col_int64(s, 4);
	o->value_json = db_col_dup(s, 5, a);
	o->reason = db_col_dup(s, 6, a);
	o->author_id = db_col_int64(s, 7);
	o->created_at = db_col_dup(s, 8, a);
}

/* Same value and reason as the current answer: nothing to store. */
static bool same_answer(const assessment_answer *cur, const char *canon, const char *reason)
{
	return cur && cur->value_json && strcmp(cur->value_json, canon) == 0 &&
	       ((!cur->reason && !reason) || (cur->reason && reason && strcmp(cur->reason, reason) == 0));
}

/* The version and its audit row in one write transaction: on PostgreSQL one
 * round trip (db_write_batch: BEGIN, the lock, the version — the
 * answers_current trigger runs in the same statement —, the audit row,
 * which reads the chain's tail and hashes itself under the lock
 * (audit_chain_stmt), COMMIT, pipelined), so the write lock is held only
 * while the server runs them, never across a turn of this thread. The lock
 * orders the audit chain; the version is a compare-and-set: UNIQUE
 * (assessment, side, item, version) lets only one save turn version n into
 * n + 1, whatever the lock. The batch also marks the assessment for the
 * round summary (agg_dirty_stmt), counted after the commit. */
static int save_version(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                        answer_side side, const char *canon, json_t *v, const char *reason,
                        const assessment_answer *cur, int next)
{
	char now[21];
	db_now(now);
	json_t *before = cur ? json_pack("{s:s, s:s, s:i, s:o, s:o}", "item", item_code,
		"side", answer_side_code(side), "version", cur->version,
		"value", json_loads(cur->value_json, JSON_DECODE_ANY, NULL),
		"reason", q_json_str(cur->reason)) : NULL;
	json_t *after = json_pack("{s:s, s:s, s:i, s:O, s:o}", "item", item_code, "side",
		answer_side_code(side), "version", next, "value", v, "reason", q_json_str(reason));
	char *bj = audit_json_dump(before), *aj = audit_json_dump(after);
	json_decref(before);
	json_decref(after);
	int rc = DB_OK;
	db_stmt *ins = db_prepare(d, "INSERT INTO answers (assessment_id, item_code, side, version,"
		" value_json, reason, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!ins || db_bindf(ins, "ittittIt", assessment_id, item_code, answer_side_code(side),
	                     (int64_t)next, canon, reason, actor, now) != DB_OK)
		rc = db_errcode(d);
	db_stmt *aud = rc == DB_OK ? audit_chain_stmt(d, actor, "answer.put", "assessment",
		assessment_id, bj, aj) : NULL;
	if (rc == DB_OK && !aud) rc = db_errcode(d);
	/* the round summary's mark, in the same transaction (q_round_agg.h) */
	db_stmt *mark = rc == DB_OK ? agg_dirty_stmt(d, assessment_id) : NULL;
	if (rc == DB_OK && !mark) rc = db_errcode(d);
	if (rc == DB_OK) {
		db_stmt *batch[] = { ins, aud, mark };
		rc = db_write_batch(d, batch, 3);
	}
	db_finish(ins);
	db_finish(aud);
	db_finish(mark);
	free(bj);
	free(aj);
	return rc;
}

/* The version could not be created: someone else saved this item since
 * `cur` was read (DB_ECONFLICT with the current version in *version, the
 * API's 409), or the assessment does not exist. */
static int save_refused(db *d, int64_t assessment_id, const char *item_code, answer_side side,
                        int next, int *version)
{
	arena *a = arena_new();
	assessment_answer now_cur;
	int rc;
	int g = assessment_answer_get(d, assessment_id, side, item_code, a, &now_cur);
	if (g == DB_OK && now_cur.version >= next) {
		if (version) *version = now_cur.version;
		rc = db_fail(d, DB_ECONFLICT, "Câu trả lời cho %s vừa được người khác lưu"
			" (phiên bản %d); hãy tải lại rồi lưu lại.", item_code, now_cur.version);
	} else {
		int64_t x;
		if (db_query_int64(d, &x, "SELECT id FROM assessments WHERE id = ?", "i",
		                   assessment_id) == DB_ENOTFOUND)
			rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy phiếu đánh giá");
		else
			rc = db_fail(d, DB_ECONSTRAINT, "Không lưu được câu trả lời cho %s", item_code);
	}
	arena_free(a);
	return rc;
}

int assessment_answer_save(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                           answer_side side, const char *value_json, const char *reason_in,
                           const assessment_answer *cur, int *version, bool *changed)
{
	if (version) *version = cur ? cur->version : 0;
	if (changed) *changed = false;
	if (!assessment_item_code_valid(item_code))
		return db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'", item_code ? item_code : "");
	json_error_t jerr;
	json_t *v = value_json ? json_loads(value_json, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
		&jerr) : NULL;
	if (!v) return db_fail(d, DB_EINVAL, "Câu trả lời cho %s không phải JSON hợp lệ: %s",
		item_code, value_json ? jerr.text : "trống");
	char *canon = audit_json_dump(v);
	char *reason = NULL;
	int rc = q_text(d, "Lý do", reason_in, false, 4000, true, &reason);
	if (rc) goto out;
	/* Autosave sending the same answer again: nothing changed, no round
	 * trip. */
	if (same_answer(cur, canon, reason)) goto out;
	int next = cur ? cur->version + 1 : 1;
	rc = save_version(d, actor, assessment_id, item_code, side, canon, v, reason, cur, next);
	if (rc == DB_ECONSTRAINT) rc = save_refused(d, assessment_id, item_code, side, next, version);
	/* the round summary's aggregates, after the commit (q_round_agg.h) */
	else if (rc == DB_OK) rc = round_agg_saved(d, assessment_id);
	if (rc == DB_OK) {
		if (version) *version = next;
		if (changed) *changed = true;
	}
out:
	json_decref(v);
	free(canon);
	free(reason);
	return rc;
}

int assessment_answer_put(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                          answer_side side, const char *value_json, const char *reason,
                          int *version, bool *changed)
{
	/* The current answer is read before the write lock, then the save is
	 * a compare-and-set on its version. A save that lost that race to
	 * another one reads again under the lock, where it cannot lose, and is
	 * applied after it, in the order the lock gave them. Inside a caller's
	 * transaction (imports) the first read is already under the lock. */
	int rc = DB_OK;
	for (int locked = 0; locked < 2; locked++) {
		if (locked && (rc = audit_begin_write(d))) break;
		arena *a = arena_new();
		assessment_answer cur;
		rc = assessment_answer_get(d, assessment_id, side, item_code, a, &cur);
		bool have = rc == DB_OK;
		if (rc == DB_ENOTFOUND) {
			db_clear_error(d);
			rc = DB_OK;
		}
		if (rc == DB_OK)
			rc = assessment_answer_save(d, actor, assessment_id, item_code, side, value_json,
				reason, have ? &cur : NULL, version, changed);
		arena_free(a);
		if (locked) {
			if (rc == DB_OK) rc = db_commit(d);
			else if (db_tx_depth(d)) db_rollback(d);
		}
		if (rc != DB_ECONFLICT) break;
	}
	return rc;
}

int assessment_answer_get(db *d, int64_t assessment_id, answer_side side, const char *item_code,
                          arena *a, assessment_answer *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " CURRENT_COLUMNS " FROM answers_current"
		" WHERE assessment_id = ? AND side = ? AND item_code = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "itt", assessment_id, answer_side_code(side), item_code);
	int rc = db_step(s);
	if (rc == DB_ROW) read_answer(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Chưa có câu trả lời cho %s", item_code);
	return rc;
}

int assessment_answers(db *d, int64_t assessment_id, answer_side side, arena *a,
                       assessment_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* One row per item, in the primary key's order: O(items), never
	 * O(history) (the versions used to be read and folded here). */
	db_stmt *s = db_prepare(d, "SELECT " CURRENT_COLUMNS " FROM answers_current"
		" WHERE assessment_id = ? AND side = ? ORDER BY item_code");
	if (!s) return db_errcode(d);
	db_bindf(s, "it", assessment_id, answer_side_code(side));
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_answer(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int assessment_answer_history(db *d, int64_t assessment_id, answer_side side,
                              const char *item_code, arena *a, assessment_answer **out,
                              size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " ANSWER_COLUMNS " FROM answers WHERE assessment_id = ?"
		" AND side = ? AND item_code = ? ORDER BY version");
	if (!s) return db_errcode(d);
	db_bindf(s, "itt", assessment_id, answer_side_code(side), item_code);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_answer(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int assessment_set_revision(db *d, int64_t actor, int64_t id, const char *from, const char *to, json_t *plan)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) {
		json_decref(plan);
		return rc;
	}
	rc = db_execf(d, "UPDATE assessments SET framework_revision = ? WHERE id = ? AND framework_revision = ?",
		"tit", to, id, from);
	if (rc == DB_OK && db_changes(d) == 0)
		rc = db_fail(d, DB_ECONFLICT, "Phiếu đánh giá đã được chuyển sang bản khác của bộ chỉ số");
	if (rc == DB_OK) rc = audit_record(d, actor, "assessment.revision", "assessment", id,
		json_pack("{s:s}", "framework_revision", from),
		json_pack("{s:s, s:o}", "framework_revision", to, "plan", plan));
	else json_decref(plan);
	if (rc == DB_OK) rc = round_agg_changed(d, id);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}
