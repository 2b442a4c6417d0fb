/* q_province.c — a Sở's province across offices (q_province.h). */
#include "q_province.h"
#include "q.h"
#include <string.h>

/* The rounds with an assessment of a school related (parent or evaluator)
 * to ?2 on ?3, and ?1's own rounds (?1 = ?2). Per round, EXISTS stops at
 * its first such school: a UNION over every assessment joined to its
 * relations read the whole province (50,000 rows) to find one round. */
#define PROVINCE_ROUND_IDS \
	"SELECT r.id FROM rounds r WHERE r.office_unit_id = ?" \
	" OR EXISTS (SELECT 1 FROM assessments a JOIN unit_relations x ON x.unit_id = a.unit_id" \
	" WHERE a.round_id = r.id AND x.other_unit_id = ? AND x.valid_from <= ? AND (x.valid_to IS NULL OR x.valid_to > ?))"

int province_rounds(db *d, int64_t so, const char *date, arena *a, round_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, office_unit_id, school_year, title, policy, self_due, report_due,"
		" external_due, state FROM rounds WHERE id IN (" PROVINCE_ROUND_IDS ") ORDER BY school_year DESC, id");
	if (!s) return db_errcode(d);
	db_bindf(s, "iitt", so, so, date, date);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		round_row *r = &(*out)[(*n)++];
		r->id = db_col_int64(s, 0);
		r->office_unit_id = db_col_int64(s, 1);
		r->school_year = db_col_dup(s, 2, a);
		r->title = db_col_dup(s, 3, a);
		r->policy = db_col_dup(s, 4, a);
		r->self_due = db_col_dup(s, 5, a);
		r->report_due = db_col_dup(s, 6, a);
		r->external_due = db_col_dup(s, 7, a);
		r->state = db_col_dup(s, 8, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int province_rows(db *d, int64_t so, const char *date, arena *a, province_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT a.round_id, a.unit_id, p.other_unit_id, u.type,"
		" COALESCE(a.recognised_level, a.external_level, a.self_level, 0), a.recognised_level IS NOT NULL"
		" FROM assessments a JOIN units u ON u.id = a.unit_id"
		" LEFT JOIN unit_relations p ON p.unit_id = a.unit_id AND p.kind = 'parent'"
		"  AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?)"
		" WHERE a.round_id IN (" PROVINCE_ROUND_IDS ")"
		" AND u.type NOT IN ('bo', 'ubnd_tinh', 'so', 'phong', 'ubnd_xa')"
		" ORDER BY a.round_id, a.unit_id");
	if (!s) return db_errcode(d);
	db_bindf(s, "ttiitt", date, date, so, so, date, date);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		province_row *r = &(*out)[(*n)++];
		r->round_id = db_col_int64(s, 0);
		r->unit_id = db_col_int64(s, 1);
		r->commune_id = db_col_int64(s, 2);
		r->unit_type = db_col_dup(s, 3, a);
		r->level = (int)db_col_int64(s, 4);
		r->recognised = db_col_int64(s, 5) != 0;
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
