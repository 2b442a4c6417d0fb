/* q_school.c — cross-store reads for the school's pages (q_school.h).
 * Nothing here writes: the tables belong to q_assessment.c, q_round.c and
 * q_account.c, which keep their writes. */
#include "q_school.h"
#include "q.h"
#include <string.h>

int school_assessments(db *d, int64_t unit_id, arena *a, school_assessment **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT x.id, x.round_id, x.unit_id, x.framework_id,"
		" x.framework_revision, x.state, x.state_changed_at, x.extended_until,"
		" COALESCE(x.self_level, 0), COALESCE(x.external_level, 0), COALESCE(x.recognised_level, 0),"
		" COALESCE(x.recognition_decision_id, 0),"
		" r.office_unit_id, r.school_year, r.title, r.policy, r.self_due, r.report_due,"
		" r.external_due, r.state"
		" FROM assessments x JOIN rounds r ON r.id = x.round_id WHERE x.unit_id = ?"
		" ORDER BY r.school_year DESC, CASE r.state WHEN 'open' THEN 0 ELSE 1 END, r.id DESC");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, unit_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		school_assessment *sa = &(*out)[(*n)++];
		assessment *x = &sa->as;
		assessment_read_row(s, a, x);
		round_row *r = &sa->round;
		r->id = x->round_id;
		r->office_unit_id = db_col_int64(s, 12);
		r->school_year = db_col_dup(s, 13, a);
		r->title = db_col_dup(s, 14, a);
		r->policy = db_col_dup(s, 15, a);
		r->self_due = db_col_dup(s, 16, a);
		r->report_due = db_col_dup(s, 17, a);
		r->external_due = db_col_dup(s, 18, a);
		r->state = db_col_dup(s, 19, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int school_accounts(db *d, int64_t unit_id, arena *a, school_account **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT a.id, a.login, a.full_name, a.active,"
		" MAX(CASE r.role WHEN 'principal' THEN 1 ELSE 0 END)"
		" FROM accounts a JOIN role_assignments r ON r.account_id = a.id"
		" WHERE r.unit_id = ? GROUP BY a.id, a.login, a.full_name, a.active ORDER BY a.id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, unit_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		school_account *x = &(*out)[(*n)++];
		x->id = db_col_int64(s, 0);
		x->login = db_col_dup(s, 1, a);
		x->full_name = db_col_dup(s, 2, a);
		x->active = db_col_int64(s, 3) != 0;
		x->principal = db_col_int64(s, 4) != 0;
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
