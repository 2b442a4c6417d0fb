/* q_dash.c — the round summary's own queries (q_dash.h). */
#include "q_dash.h"
#include "q.h"
#include "workflow.h"
#include "buf.h"
#include <string.h>

/* The round summary's memory of each assessment's score: what it needs
 * of the score (target.h: target_summary_encode), valid while the stamp
 * (the program, the framework version, the unit type, the level policy
 * and the side scored) and the highest answer id are the same. A row is
 * replaced when either differs; nothing else writes here. */
const char dash_migration_sql[] =
	"CREATE TABLE score_summaries ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id),"
	" stamp TEXT NOT NULL,"
	" answers_mark BIGINT NOT NULL,"
	" summary TEXT NOT NULL);\n"
	/* the highest answer id of an assessment's side in one probe (with
	 * the UNIQUE index alone: every version of every item, ~60 rows, and
	 * on PostgreSQL as many heap fetches) */
	"CREATE INDEX answers_mark ON answers (assessment_id, side, id);\n";

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
		" WHERE a.round_id = ? AND t.to_state IN (?, ?, ?, ?)"
		" GROUP BY t.assessment_id, t.to_state) f"
		" GROUP BY substr(f.at, 1, 13), f.to_state ORDER BY 1, 2");
	if (!s) return db_errcode(d);
	db_bindf(s, "itttt", round_id, wf_state_code(WF_SUBMITTED), wf_state_code(WF_EVALUATED),
		wf_state_code(WF_RECOGNISED), wf_state_code(WF_PUBLISHED));
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

int dash_marks(db *d, int64_t round_id, int64_t lo_id, int64_t hi_id, arena *a, dash_mark **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* the slice by primary key (as bulk_round_answers), each one's highest
	 * answer id of its side by one probe of answers_mark. A subquery per
	 * row, not a GROUP BY: that sorted the summaries in a temporary file
	 * (three quarters of the page once they were stored). */
	db_stmt *s = db_prepare(d, "SELECT a.id, COALESCE((SELECT MAX(x.id) FROM answers x WHERE x.assessment_id = a.id"
		"  AND x.side = CASE WHEN a.external_level IS NULL THEN 'self' ELSE 'external' END), 0),"
		" s.stamp, s.answers_mark, s.summary"
		" FROM assessments a LEFT JOIN score_summaries s ON s.assessment_id = a.id"
		" WHERE a.id BETWEEN ? AND ? AND +a.round_id = ? ORDER BY a.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "iii", lo_id, hi_id, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		dash_mark *m = &(*out)[(*n)++];
		m->assessment_id = db_col_int64(s, 0);
		m->answers_mark = db_col_int64(s, 1);
		m->stamp = db_col_dup(s, 2, a);
		m->stored_mark = db_col_int64(s, 3);
		m->summary = db_col_dup(s, 4, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* Rows per statement: 4 parameters each. */
enum { PUT_ROWS = 100 };

int dash_summaries_put(db *d, const dash_summary_row *rows, size_t n)
{
	int rc = DB_OK;
	for (size_t lo = 0; lo < n && rc == DB_OK; lo += PUT_ROWS) {
		size_t hi = lo + PUT_ROWS < n ? lo + PUT_ROWS : n;
		buf sql;
		buf_init(&sql);
		buf_puts(&sql, "INSERT INTO score_summaries (assessment_id, stamp, answers_mark, summary) VALUES ");
		for (size_t i = lo; i < hi; i++) buf_puts(&sql, i > lo ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)");
		buf_puts(&sql, " ON CONFLICT (assessment_id) DO UPDATE SET stamp = excluded.stamp,"
			" answers_mark = excluded.answers_mark, summary = excluded.summary");
		db_stmt *s = db_prepare(d, buf_str(&sql));
		buf_free(&sql);
		if (!s) return db_errcode(d);
		int k = 1;
		for (size_t i = lo; i < hi; i++) {
			db_bind_int64(s, k++, rows[i].assessment_id);
			db_bind_text(s, k++, rows[i].stamp);
			db_bind_int64(s, k++, rows[i].answers_mark);
			db_bind_text(s, k++, rows[i].summary);
		}
		rc = db_step(s);
		db_finish(s);
		rc = rc == DB_DONE ? DB_OK : rc;
	}
	return rc;
}
