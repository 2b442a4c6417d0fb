/* q_publish.c — a school's own publication of its recognised result. */
#include "q_publish.h"
#include "q_office.h"
#include "audit.h"

const char publish_own_migration_sql[] =
	"ALTER TABLE published_results ADD COLUMN by_school BIGINT NOT NULL DEFAULT 0;\n";

int school_published_set(db *d, int64_t actor, int64_t assessment_id, const char *result_json)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = office_published_set(d, actor, assessment_id, result_json);
	if (rc == DB_OK && result_json)
		rc = db_execf(d, "UPDATE published_results SET by_school = 1 WHERE assessment_id = ?", "i", assessment_id);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int school_published_by_school(db *d, int64_t assessment_id, bool *yes)
{
	*yes = false;
	db_stmt *s = db_prepare(d, "SELECT by_school FROM published_results WHERE assessment_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) *yes = db_col_int64(s, 0) != 0;
	db_finish(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- the self-assessment result before recognition (issue 11, item 5) ---- */

const char publish_self_migration_sql[] =
	"ALTER TABLE published_results ADD COLUMN basis TEXT NOT NULL DEFAULT 'cong_nhan';\n";

int school_self_published_set(db *d, int64_t actor, int64_t assessment_id, const char *result_json)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	if (result_json) {
		rc = office_published_set(d, actor, assessment_id, result_json);
		if (rc == DB_OK)
			rc = db_execf(d, "UPDATE published_results SET by_school = 1, basis = 'tu_danh_gia' WHERE assessment_id = ?", "i",
				assessment_id);
	} else {
		rc = db_execf(d, "DELETE FROM published_results WHERE assessment_id = ? AND basis = 'tu_danh_gia'", "i", assessment_id);
		if (rc == DB_OK && db_changes(d))
			rc = audit_record(d, actor, "assessment.unpublish_self", "assessment", assessment_id, NULL, NULL);
	}
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int school_self_published(db *d, int64_t assessment_id, bool *yes)
{
	int64_t n = 0;
	int rc = db_query_int64(d, &n, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ? AND basis = 'tu_danh_gia'", "i",
		assessment_id);
	*yes = rc == DB_OK && n > 0;
	return rc;
}
