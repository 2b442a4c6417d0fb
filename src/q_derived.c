/* q_derived.c — the results an office's derived items read, and the basis
 * and date the office chose for them (q_derived.h). */
#include "q_derived.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include "workflow.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The office's choice per assessment of its own (3806). No row: the
 * recognised results, read on the day. */
const char derived_basis_migration_sql[] =
	"CREATE TABLE derived_bases ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id),"
	" basis TEXT NOT NULL CHECK (basis IN ('recognition', 'external', 'self', 'chain')),"
	" taken_on TEXT,"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n";

static const char *const basis_codes[] = { "recognition", "external", "self", "chain" };
static const char *const basis_labels[] = {
	"Kết quả đã được công nhận",
	"Kết quả đánh giá ngoài",
	"Kết quả tự đánh giá đã phê duyệt",
	"Kết quả công nhận; nếu chưa có thì kết quả đánh giá ngoài; nếu chưa có thì kết quả tự đánh giá",
};

const char *derived_basis_code(derived_basis b) { return b < DERIVED_BASIS_COUNT ? basis_codes[b] : basis_codes[0]; }
const char *derived_basis_label(derived_basis b) { return b < DERIVED_BASIS_COUNT ? basis_labels[b] : basis_labels[0]; }

bool derived_basis_parse(const char *code, derived_basis *out)
{
	for (size_t i = 0; code && i < ARRAY_LEN(basis_codes); i++)
		if (!strcmp(code, basis_codes[i])) {
			*out = (derived_basis)i;
			return true;
		}
	return false;
}

int derived_choice_get(db *d, int64_t assessment_id, arena *a, derived_choice *out)
{
	memset(out, 0, sizeof *out);
	out->basis = DERIVED_RECOGNISED;
	db_stmt *s = db_prepare(d, "SELECT basis, taken_on, updated_at FROM derived_bases WHERE assessment_id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		if (!derived_basis_parse(db_col_text(s, 0), &out->basis)) out->basis = DERIVED_RECOGNISED;
		out->taken_on = db_col_dup(s, 1, a);
		out->set_at = db_col_dup(s, 2, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_OK;
	}
	db_finish(s);
	return rc;
}

int derived_choice_set(db *d, int64_t actor, int64_t assessment_id, derived_basis basis, const char *taken_on)
{
	if (basis >= DERIVED_BASIS_COUNT) return db_fail(d, DB_EINVAL, "Cơ sở tính không hợp lệ");
	if (taken_on && !*taken_on) taken_on = NULL;
	int rc = q_date(d, "Ngày lấy kết quả", taken_on, false);
	if (rc) return rc;
	if ((rc = audit_begin_write(d))) return rc;
	char now[21];
	db_now(now);
	int64_t found = 0;
	rc = db_query_int64(d, &found, "SELECT id FROM assessments WHERE id = ?", "i", assessment_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy hồ sơ đánh giá");
	if (!rc)
		rc = db_execf(d, "INSERT INTO derived_bases (assessment_id, basis, taken_on, updated_by, updated_at)"
			" VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id) DO UPDATE SET basis = excluded.basis,"
			" taken_on = excluded.taken_on, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
			"ittIt", assessment_id, derived_basis_code(basis), taken_on, actor, now);
	if (!rc)
		rc = audit_record(d, actor, "assessment.derived_basis", "assessment", assessment_id, NULL,
			json_pack("{s:s, s:o}", "basis", derived_basis_code(basis), "taken_on", q_json_str(taken_on)));
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

/* The assessments of the year whose unit the office evaluated on the
 * round's date. Parameters: office, today, today, then the school year. */
#define SOURCES_FROM \
	" FROM rounds r JOIN assessments a ON a.round_id = r.id JOIN units u ON u.id = a.unit_id" \
	" JOIN unit_relations e ON e.unit_id = a.unit_id AND e.kind = 'evaluator' AND e.other_unit_id = ?" \
	"  AND e.valid_from <= COALESCE(r.self_due, ?) AND (e.valid_to IS NULL OR e.valid_to > COALESCE(r.self_due, ?))"
#define SOURCES_WHERE " WHERE r.school_year = ?"
/* The latest transition to a state (or, for recognition, to published:
 * a result published is recognised) on or before the date taken
 * (parameters: the states, the date). */
#define FIXED_AT(x) \
	" (SELECT MAX(t.at) FROM assessment_transitions t WHERE t.assessment_id = a.id AND t.to_state IN (?, ?)" \
	"  AND SUBSTR(t.at, 1, 10) <= ?) AS " x

typedef struct result_at {
	int level;
	const char *at;
} result_at;

/* Which of the unit's results the basis takes, if any: [0] recognised,
 * [1] external, [2] self, each usable only when its level is stored, its
 * step was taken by the date and the assessment is still past that step. */
static bool choose(derived_basis b, wf_state st, const result_at r[3], derived_source *o)
{
	bool usable[3] = {
		r[0].level && r[0].at && (st == WF_RECOGNISED || st == WF_PUBLISHED),
		r[1].level && r[1].at && st >= WF_EVALUATED,
		r[2].level && r[2].at && st >= WF_APPROVED && st != WF_RETURNED,
	};
	static const derived_basis side_basis[3] = { DERIVED_RECOGNISED, DERIVED_EXTERNAL, DERIVED_SELF };
	for (int k = 0; k < 3; k++) {
		if (b != DERIVED_CHAIN && b != side_basis[k]) continue;
		if (!usable[k]) continue;
		o->used = side_basis[k];
		o->level = r[k].level;
		o->recognised_at = r[k].at;
		return true;
	}
	return false;
}

int derived_sources(db *d, int64_t office_id, const char *school_year, const char *today,
                    const derived_choice *ch, arena *a, derived_source **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const char *on = ch && ch->taken_on ? ch->taken_on : today;
	db_stmt *s = db_prepare(d, "SELECT a.id, a.round_id, a.unit_id, u.code, u.name, u.type, a.framework_id,"
		" a.framework_revision, a.state, a.recognised_level, a.external_level, a.self_level,"
		FIXED_AT("rec_at") "," FIXED_AT("ext_at") "," FIXED_AT("self_at") ", r.title"
		SOURCES_FROM SOURCES_WHERE " ORDER BY a.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "tttttttttittt", wf_state_code(WF_RECOGNISED), wf_state_code(WF_PUBLISHED), on,
		wf_state_code(WF_EVALUATED), wf_state_code(WF_EVALUATED), on, wf_state_code(WF_APPROVED), wf_state_code(WF_APPROVED), on,
		office_id, today, today, school_year);
	derived_basis basis = ch ? ch->basis : DERIVED_RECOGNISED;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		result_at r[3];
		for (int k = 0; k < 3; k++) {
			r[k].level = db_col_null(s, 9 + k) ? 0 : (int)db_col_int64(s, 9 + k);
			r[k].at = db_col_text(s, 12 + k);
		}
		derived_source o = { 0 };
		if (!choose(basis, wf_state_parse(db_col_text(s, 8)), r, &o)) continue;
		o.recognised_at = arena_strdup(a, o.recognised_at);
		o.assessment_id = db_col_int64(s, 0);
		o.round_id = db_col_int64(s, 1);
		o.unit_id = db_col_int64(s, 2);
		o.unit_code = db_col_dup(s, 3, a);
		o.unit_name = db_col_dup(s, 4, a);
		o.unit_type = db_col_dup(s, 5, a);
		o.framework_id = db_col_dup(s, 6, a);
		o.framework_revision = db_col_dup(s, 7, a);
		o.round_title = db_col_dup(s, 15, a);
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		(*out)[(*n)++] = o;
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int derived_answers(db *d, int64_t office_id, const char *school_year, const char *today, answer_side side,
                    arena *a, bulk_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* the current answers only (answers_current), as bulk_round_answers
	 * reads them */
	db_stmt *s = db_prepare(d, "SELECT x.assessment_id, x.item_code, x.value_json"
		SOURCES_FROM " JOIN answers_current x ON x.assessment_id = a.id AND x.side = ?" SOURCES_WHERE
		" ORDER BY x.assessment_id, x.item_code");
	if (!s) return db_errcode(d);
	db_bindf(s, "itttt", office_id, today, today, answer_side_code(side), school_year);
	return bulk_read_current(s, a, out, n);
}

int derived_last_touch(db *d, int64_t assessment_id, arena *a, const char **at)
{
	*at = NULL;
	char *t = NULL;
	int rc = db_query_text(d, a, &t, "SELECT MAX(z.at) FROM (SELECT created_at AS at FROM answers_current"
		" WHERE assessment_id = ? AND side = 'self' UNION ALL SELECT at FROM assessment_transitions"
		" WHERE assessment_id = ?) z", "ii", assessment_id, assessment_id);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		return DB_OK;
	}
	if (rc == DB_OK) *at = t;
	return rc;
}
