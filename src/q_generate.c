/* q_generate.c — generated data sets written in bulk (q_generate.h): a
 * chunk of assessments at a time, each table's rows of the chunk in
 * multi-row INSERTs, the audit rows chained by audit_append_many. */
#include "q_generate.h"
#include "q_assessment.h"
#include "audit.h"
#include "buf.h"
#include "util.h"
#include "workflow.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Assessments per chunk; rows per INSERT (at most 10 parameters each: far
 * below SQLite's 32,766 and PostgreSQL's 65,535). */
enum { CHUNK = 200, ROWS = 500 };

/* "head (?, …), (?, …)…" for n rows of `tuple`. */
static db_stmt *prepare_rows(db *d, const char *head, const char *tuple, size_t n, const char *tail)
{
	buf sql;
	buf_init(&sql);
	buf_puts(&sql, head);
	for (size_t i = 0; i < n; i++) {
		if (i) buf_puts(&sql, ", ");
		buf_puts(&sql, tuple);
	}
	buf_puts(&sql, tail);
	db_stmt *s = db_prepare(d, buf_str(&sql));
	buf_free(&sql);
	return s;
}

static int step_done(db_stmt *s)
{
	int rc = db_step(s);
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static const char *final_state(const gen_assessment *g)
{
	return g->nstates ? g->states[g->nstates - 1] : wf_state_code(WF_NOT_STARTED);
}

static int find_unit(const gen_assessment *g, size_t n, int64_t unit_id)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].unit_id == unit_id) return (int)i;
	return -1;
}

/* The chunk's assessment rows, created in their final state and levels;
 * their ids by unit (the RETURNING rows' order is not promised). */
static int put_assessments(db *d, int64_t round_id, const gen_assessment *g, size_t n, const char *now, int64_t *ids)
{
	db_stmt *s = prepare_rows(d, "INSERT INTO assessments (round_id, unit_id, framework_id, framework_revision, state,"
		" state_changed_at, self_level, recognised_level, recognition_decision_id, created_at) VALUES ",
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", n, " RETURNING id, unit_id");
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(s, p++, round_id);
		db_bind_int64(s, p++, g[i].unit_id);
		db_bind_text(s, p++, g[i].framework_id);
		db_bind_text(s, p++, g[i].framework_revision);
		db_bind_text(s, p++, final_state(&g[i]));
		db_bind_text(s, p++, now);
		if (g[i].self_level) db_bind_int64(s, p++, g[i].self_level);
		else db_bind_null(s, p++);
		if (g[i].recognised_level) db_bind_int64(s, p++, g[i].recognised_level);
		else db_bind_null(s, p++);
		if (g[i].decision_id) db_bind_int64(s, p++, g[i].decision_id);
		else db_bind_null(s, p++);
		db_bind_text(s, p++, now);
	}
	int rc;
	size_t got = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		int at = find_unit(g, n, db_col_int64(s, 1));
		if (at >= 0) ids[at] = db_col_int64(s, 0);
		got++;
	}
	db_finish(s);
	if (rc == DB_ECONSTRAINT) return db_fail(d, rc, "Đơn vị đã có phiếu đánh giá trong đợt này (hoặc đợt/đơn vị không tồn tại)");
	if (rc == DB_DONE && got != n) return db_fail(d, DB_ERROR, "Không tạo được đủ phiếu đánh giá");
	return rc == DB_DONE ? DB_OK : rc;
}

/* One answer row waiting for its INSERT. */
typedef struct answer_row {
	int64_t assessment_id;
	const char *code;
	char *value;   /* canonical JSON, owned */
} answer_row;

static int flush_answers(db *d, int64_t actor, const answer_row *r, size_t n, const char *now)
{
	if (n == 0) return DB_OK;
	db_stmt *s = prepare_rows(d, "INSERT INTO answers (assessment_id, item_code, side, version, value_json, reason,"
		" author_id, created_at) VALUES ", "(?, ?, ?, 1, ?, NULL, ?, ?)", n, "");
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(s, p++, r[i].assessment_id);
		db_bind_text(s, p++, r[i].code);
		db_bind_text(s, p++, answer_side_code(ANSWER_SELF));
		db_bind_text(s, p++, r[i].value);
		if (actor) db_bind_int64(s, p++, actor);
		else db_bind_null(s, p++);
		db_bind_text(s, p++, now);
	}
	return step_done(s);
}

/* The canonical form of one answer (as bulk_answers_put stores it), and
 * the value for the sheet's audit row. */
static int canonical_answer(db *d, const char *code, const char *value, char **out, json_t *sheet)
{
	if (!assessment_item_code_valid(code)) return db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'", code ? code : "");
	json_error_t e;
	json_t *v = value ? json_loads(value, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e) : NULL;
	if (!v) return db_fail(d, DB_EINVAL, "Câu trả lời cho %s không phải JSON hợp lệ: %s", code, value ? e.text : "trống");
	*out = audit_json_dump(v);
	json_object_set_new(sheet, code, v);
	return DB_OK;
}

/* Every answer of the chunk, ROWS to an INSERT; each sheet's answers as
 * JSON objects in sheets[i] for its audit row. Version 1: the
 * assessments are new. */
static int put_answers(db *d, int64_t actor, const gen_assessment *g, size_t n, const int64_t *ids, const char *now,
                       json_t **sheets)
{
	answer_row *rows = xcalloc(ROWS, sizeof *rows);
	size_t k = 0;
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		sheets[i] = json_object();
		for (size_t j = 0; j < g[i].nanswers && rc == DB_OK; j++) {
			rows[k] = (answer_row){ ids[i], g[i].codes[j], NULL };
			rc = canonical_answer(d, g[i].codes[j], g[i].values[j], &rows[k].value, sheets[i]);
			if (rc == DB_OK && ++k == ROWS) {
				rc = flush_answers(d, actor, rows, k, now);
				for (size_t x = 0; x < k; x++) free(rows[x].value);
				k = 0;
			}
		}
	}
	if (rc == DB_OK) rc = flush_answers(d, actor, rows, k, now);
	for (size_t x = 0; x < k; x++) free(rows[x].value);
	free(rows);
	return rc;
}

static int flush_transitions(db *d, int64_t actor, const int64_t *as, const char *const *from, const char *const *to,
                             size_t n, const char *now)
{
	if (n == 0) return DB_OK;
	db_stmt *s = prepare_rows(d, "INSERT INTO assessment_transitions (assessment_id, account_id, from_state, to_state, at,"
		" reason) VALUES ", "(?, ?, ?, ?, ?, NULL)", n, "");
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(s, p++, as[i]);
		if (actor) db_bind_int64(s, p++, actor);
		else db_bind_null(s, p++);
		db_bind_text(s, p++, from[i]);
		db_bind_text(s, p++, to[i]);
		db_bind_text(s, p++, now);
	}
	return step_done(s);
}

/* Each assessment's path from not_started, one row per step. */
static int put_transitions(db *d, int64_t actor, const gen_assessment *g, size_t n, const int64_t *ids, const char *now)
{
	int64_t as[ROWS];
	const char *from[ROWS], *to[ROWS];
	size_t k = 0;
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++)
		for (size_t j = 0; j < g[i].nstates && rc == DB_OK; j++) {
			as[k] = ids[i];
			from[k] = j ? g[i].states[j - 1] : wf_state_code(WF_NOT_STARTED);
			to[k] = g[i].states[j];
			if (++k == ROWS) {
				rc = flush_transitions(d, actor, as, from, to, k, now);
				k = 0;
			}
		}
	return rc == DB_OK ? flush_transitions(d, actor, as, from, to, k, now) : rc;
}

/* The published snapshots of the chunk, canonical (office_published_set's form). */
static int put_published(db *d, int64_t actor, const gen_assessment *g, size_t n, const int64_t *ids, const char *now,
                         char **snapshots)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!g[i].published_json) continue;
		json_error_t e;
		json_t *v = json_loads(g[i].published_json, JSON_DECODE_ANY, &e);
		if (!v) return db_fail(d, DB_EINVAL, "Giá trị không phải JSON hợp lệ: %s", e.text);
		snapshots[i] = audit_json_dump(v);
		json_decref(v);
		k++;
	}
	if (k == 0) return DB_OK;
	db_stmt *s = prepare_rows(d, "INSERT INTO published_results (assessment_id, result_json, published_by, published_at)"
		" VALUES ", "(?, ?, ?, ?)", k, "");
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < n; i++) {
		if (!snapshots[i]) continue;
		db_bind_int64(s, p++, ids[i]);
		db_bind_text(s, p++, snapshots[i]);
		if (actor) db_bind_int64(s, p++, actor);
		else db_bind_null(s, p++);
		db_bind_text(s, p++, now);
	}
	return step_done(s);
}

/* The audit rows of the chunk, in the order the one-by-one path writes
 * them: created, the sheet, the self level, each transition, the
 * recognition with its level, the publication. */
typedef struct audit_list {
	audit_item *items;
	char **texts;   /* owned JSON of the items */
	size_t n, ntexts, cap;
} audit_list;

static const char *own(audit_list *l, json_t *j)
{
	char *s = audit_json_dump(j);
	json_decref(j);
	l->texts[l->ntexts++] = s;
	return s;
}

static void add(audit_list *l, int64_t actor, const char *action, int64_t id, const char *before, const char *after)
{
	l->items[l->n++] = (audit_item){ actor, action, "assessment", id, before, after };
}

static void audit_one(audit_list *l, int64_t actor, int64_t round_id, const gen_assessment *g, int64_t id, json_t *sheet,
                      const char *snapshot)
{
	const char *start = wf_state_code(WF_NOT_STARTED);
	add(l, actor, "assessment.create", id, NULL, own(l, json_pack("{s:I, s:I, s:s, s:s, s:s}", "round_id",
		(json_int_t)round_id, "unit_id", (json_int_t)g->unit_id, "framework_id", g->framework_id,
		"framework_revision", g->framework_revision, "state", start)));
	const char *side = answer_side_code(ANSWER_SELF);
	if (g->nanswers)
		add(l, actor, "answer.put_sheet", id, NULL, own(l, json_pack("{s:s, s:O}", "side", side, "answers", sheet)));
	if (g->self_level)
		add(l, actor, "assessment.level", id, NULL, own(l, json_pack("{s:s, s:i}", "side",
			assessment_level_code(LEVEL_SELF), "level", g->self_level)));
	for (size_t j = 0; j < g->nstates; j++)
		add(l, actor, "assessment.transition", id, own(l, json_pack("{s:s}", "state", j ? g->states[j - 1] : start)),
		    own(l, json_pack("{s:s, s:n, s:n}", "state", g->states[j], "reason", "extended_until")));
	if (g->decision_id)
		add(l, actor, "assessment.recognise", id, NULL, own(l, json_pack("{s:I, s:i}", "decision_id",
			(json_int_t)g->decision_id, "level", g->recognised_level)));
	if (g->recognised_level)
		add(l, actor, "assessment.level", id, NULL, own(l, json_pack("{s:s, s:i}", "side",
			assessment_level_code(LEVEL_RECOGNISED), "level", g->recognised_level)));
	if (snapshot) add(l, actor, "assessment.publish", id, NULL, snapshot);
}

static int put_audit(db *d, int64_t actor, int64_t round_id, const gen_assessment *g, size_t n, const int64_t *ids,
                     json_t **sheets, char **snapshots)
{
	audit_list l = { 0 };
	for (size_t i = 0; i < n; i++) l.cap += 6 + 2 * g[i].nstates;
	l.items = xcalloc(l.cap, sizeof *l.items);
	l.texts = xcalloc(l.cap * 2, sizeof *l.texts);
	for (size_t i = 0; i < n; i++) audit_one(&l, actor, round_id, &g[i], ids[i], sheets[i], snapshots[i]);
	int rc = audit_append_many(d, l.items, l.n);
	for (size_t i = 0; i < l.ntexts; i++) free(l.texts[i]);
	free(l.texts);
	free(l.items);
	return rc;
}

static int put_chunk(db *d, int64_t actor, int64_t round_id, const gen_assessment *g, size_t n, int64_t *ids)
{
	char now[21];
	db_now(now);
	json_t **sheets = xcalloc(n, sizeof *sheets);
	char **snapshots = xcalloc(n, sizeof *snapshots);
	int rc = put_assessments(d, round_id, g, n, now, ids);
	if (rc == DB_OK) rc = put_answers(d, actor, g, n, ids, now, sheets);
	if (rc == DB_OK) rc = put_transitions(d, actor, g, n, ids, now);
	if (rc == DB_OK) rc = put_published(d, actor, g, n, ids, now, snapshots);
	if (rc == DB_OK) rc = put_audit(d, actor, round_id, g, n, ids, sheets, snapshots);
	for (size_t i = 0; i < n; i++) {
		json_decref(sheets[i]);
		free(snapshots[i]);
	}
	free(sheets);
	free(snapshots);
	return rc;
}

int gen_assessments_put(db *d, int64_t actor, int64_t round_id, const gen_assessment *g, size_t n, int64_t *ids_out)
{
	for (size_t i = 0; i < n; i++)
		if (!g[i].framework_id || !*g[i].framework_id || !g[i].framework_revision || !*g[i].framework_revision)
			return db_fail(d, DB_EINVAL, "Đánh giá cần bộ chỉ số và phiên bản");
	int64_t *ids = ids_out ? ids_out : xcalloc(n + 1, sizeof *ids);
	int rc = db_begin_write(d);
	bool began = rc == DB_OK;
	for (size_t lo = 0; rc == DB_OK && lo < n; lo += CHUNK)
		rc = put_chunk(d, actor, round_id, g + lo, n - lo < CHUNK ? n - lo : CHUNK, ids + lo);
	/* the round's aggregates no longer describe it: the rebuild counts it */
	if (rc == DB_OK) rc = db_execf(d, "UPDATE round_agg_rounds SET stamp = NULL WHERE round_id = ?", "i", round_id);
	if (rc == DB_OK) rc = db_commit(d);
	else if (began) db_rollback(d);
	if (!ids_out) free(ids);
	return rc;
}
