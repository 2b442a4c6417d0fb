/* q_dash.c — the round summary's own queries (q_dash.h). */
#include "q_dash.h"
#include "q.h"
#include <string.h>

int dash_round_opened(db *d, int64_t round_id, arena *a, char **out)
{
	return db_query_text(d, a, out, "SELECT created_at FROM rounds WHERE id = ?", "i", round_id);
}

int dash_stage_counts(db *d, int64_t round_id, arena *a, dash_stage_count **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* an assessment returned and resubmitted counts once, on its first
	 * submission */
	db_stmt *s = db_prepare(d, "SELECT substr(f.at, 1, 13), f.to_state, COUNT(*) FROM ("
		" SELECT t.assessment_id, t.to_state, MIN(t.at) AS at"
		" FROM assessments a JOIN assessment_transitions t ON t.assessment_id = a.id"
		" WHERE a.round_id = ? AND t.to_state IN ('submitted', 'evaluated', 'recognised', 'published')"
		" GROUP BY t.assessment_id, t.to_state) f"
		" GROUP BY substr(f.at, 1, 13), f.to_state ORDER BY 1, 2");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		dash_stage_count *c = &(*out)[(*n)++];
		c->hour = db_col_dup(s, 0, a);
		c->state = db_col_dup(s, 1, a);
		c->count = db_col_int64(s, 2);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int dash_history(db *d, int64_t round_id, const char *school_year, arena *a, dash_history_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT r2.school_year, a2.unit_id, u.code, u.name, u.type,"
		" COALESCE(a2.recognised_level, a2.external_level, a2.self_level, 0), r2.id, o.name"
		" FROM assessments a JOIN assessments a2 ON a2.unit_id = a.unit_id"
		" JOIN rounds r2 ON r2.id = a2.round_id JOIN units u ON u.id = a2.unit_id"
		" JOIN units o ON o.id = r2.office_unit_id"
		" WHERE a.round_id = ? AND r2.school_year < ?"
		" ORDER BY r2.school_year, a2.unit_id, r2.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "it", round_id, school_year);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		dash_history_row *h = &(*out)[(*n)++];
		h->school_year = db_col_dup(s, 0, a);
		h->unit_id = db_col_int64(s, 1);
		h->code = db_col_dup(s, 2, a);
		h->name = db_col_dup(s, 3, a);
		h->type = db_col_dup(s, 4, a);
		h->level = (int)db_col_int64(s, 5);
		h->round_id = db_col_int64(s, 6);
		h->office = db_col_dup(s, 7, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
