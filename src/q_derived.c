/* q_derived.c — the recognised results an office's derived items read
 * (q_derived.h). */
#include "q_derived.h"
#include "q.h"
#include "workflow.h"
#include <string.h>

/* The recognised assessments of the year whose unit the office evaluated
 * on the round's date. Parameters: office, today, today, school year, then
 * the two states that count (recognised, published: bind SOURCES_STATES). */
#define SOURCES_FROM \
	" FROM rounds r JOIN assessments a ON a.round_id = r.id JOIN units u ON u.id = a.unit_id" \
	" JOIN unit_relations e ON e.unit_id = a.unit_id AND e.kind = 'evaluator' AND e.other_unit_id = ?" \
	"  AND e.valid_from <= COALESCE(r.self_due, ?) AND (e.valid_to IS NULL OR e.valid_to > COALESCE(r.self_due, ?))"
#define SOURCES_WHERE \
	" WHERE r.school_year = ? AND a.state IN (?, ?) AND a.recognised_level IS NOT NULL"
#define SOURCES_STATES wf_state_code(WF_RECOGNISED), wf_state_code(WF_PUBLISHED)

int derived_sources(db *d, int64_t office_id, const char *school_year, const char *today, arena *a,
                    derived_source **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT a.id, a.round_id, a.unit_id, u.code, u.name, u.type, a.framework_id,"
		" a.framework_revision, a.recognised_level, (SELECT MAX(t.at) FROM assessment_transitions t"
		"  WHERE t.assessment_id = a.id AND t.to_state = ?), r.title"
		SOURCES_FROM SOURCES_WHERE " ORDER BY a.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "tittttt", wf_state_code(WF_RECOGNISED), office_id, today, today, school_year, SOURCES_STATES);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		derived_source *o = &(*out)[(*n)++];
		o->assessment_id = db_col_int64(s, 0);
		o->round_id = db_col_int64(s, 1);
		o->unit_id = db_col_int64(s, 2);
		o->unit_code = db_col_dup(s, 3, a);
		o->unit_name = db_col_dup(s, 4, a);
		o->unit_type = db_col_dup(s, 5, a);
		o->framework_id = db_col_dup(s, 6, a);
		o->framework_revision = db_col_dup(s, 7, a);
		o->level = (int)db_col_int64(s, 8);
		o->recognised_at = db_col_dup(s, 9, a);
		o->round_title = db_col_dup(s, 10, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int derived_answers(db *d, int64_t office_id, const char *school_year, const char *today, arena *a,
                    bulk_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* the current answers only (answers_current), as bulk_round_answers
	 * reads them */
	db_stmt *s = db_prepare(d, "SELECT x.assessment_id, x.item_code, x.value_json"
		SOURCES_FROM " JOIN answers_current x ON x.assessment_id = a.id AND x.side = 'external'" SOURCES_WHERE
		" ORDER BY x.assessment_id, x.item_code");
	if (!s) return db_errcode(d);
	db_bindf(s, "ittttt", office_id, today, today, school_year, SOURCES_STATES);
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
