/* q_open.c — the open data a page at a time (q_open.h). */
#include "q_open.h"
#include "q.h"
#include "workflow.h"
#include <string.h>

/* The filter every statement here shares: published, the area, the year. */
#define OPEN_FROM " FROM published_results p JOIN assessments a ON a.id = p.assessment_id" \
	" JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id"
#define OPEN_WHERE " WHERE " PUBLIC_RESULT_VISIBLE " AND (CAST(? AS BIGINT) = 0 OR r.office_unit_id = ?)" \
	" AND (CAST(? AS TEXT) = '' OR r.school_year = ?)"

static void bind_filter(db_stmt *s, int64_t office_id, const char *year)
{
	const char *y = year ? year : "";
	db_bindf(s, "tiitt", wf_state_code(WF_PUBLISHED), office_id, office_id, y, y);
}

int open_results_page(db *d, int64_t office_id, const char *school_year, int64_t after_id, int64_t limit, arena *a,
                      public_result **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " PUBLIC_RESULT_COLUMNS
		OPEN_FROM " JOIN units o ON o.id = r.office_unit_id"
		" LEFT JOIN decisions dc ON dc.id = a.recognition_decision_id"
		OPEN_WHERE " AND p.assessment_id > ? AND a.id > ? ORDER BY p.assessment_id LIMIT ?");
	if (!s) return db_errcode(d);
	bind_filter(s, office_id, school_year);
	db_bind_int64(s, 6, after_id);
	db_bind_int64(s, 7, after_id);   /* the same key on both sides: PostgreSQL starts both scans there */
	db_bind_int64(s, 8, limit);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		public_result_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int open_results_count(db *d, int64_t office_id, const char *school_year, int64_t *out)
{
	*out = 0;
	db_stmt *s = db_prepare(d, "SELECT COUNT(*)" OPEN_FROM OPEN_WHERE);
	if (!s) return db_errcode(d);
	bind_filter(s, office_id, school_year);
	int rc = db_step(s);
	if (rc == DB_ROW) *out = db_col_int64(s, 0);
	db_finish(s);
	return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_OK : rc;
}

int open_results_frameworks(db *d, int64_t office_id, const char *school_year, arena *a, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT DISTINCT a.framework_id, a.framework_revision" OPEN_FROM OPEN_WHERE " ORDER BY 1, 2");
	if (!s) return db_errcode(d);
	bind_filter(s, office_id, school_year);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		(*out)[(*n)++] = arena_printf(a, "%s@%s", db_col_text(s, 0), db_col_text(s, 1));
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
