/* q_report.c — the office's report to its superior (q_report.h). */
#include "q_report.h"
#include "audit.h"
#include "q.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char report_migration_sql[] =
	"CREATE TABLE office_reports ("
	" id {ID},"
	" round_id BIGINT NOT NULL UNIQUE REFERENCES rounds (id),"
	" office_unit_id BIGINT NOT NULL REFERENCES units (id),"
	" to_unit_id BIGINT NOT NULL REFERENCES units (id),"
	" state TEXT NOT NULL,"                   /* workflow.c: wf_report_state_code */
	" figures_json TEXT,"
	" narrative TEXT,"
	" return_reason TEXT,"
	" sent_at TEXT,"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n"
	"CREATE INDEX office_reports_to ON office_reports (to_unit_id);\n"
	"CREATE TABLE office_report_transitions ("
	" id {ID},"
	" report_id BIGINT NOT NULL REFERENCES office_reports (id),"
	" account_id BIGINT REFERENCES accounts (id),"
	" from_state TEXT NOT NULL,"
	" to_state TEXT NOT NULL,"
	" reason TEXT,"
	" at TEXT NOT NULL);\n"
	"CREATE INDEX office_report_transitions_report ON office_report_transitions (report_id, id);\n";

#define REPORT_COLUMNS "id, round_id, office_unit_id, to_unit_id, state, figures_json, narrative," \
	" return_reason, sent_at, updated_at"
enum { REPORT_NARRATIVE_MAX = 20000, REPORT_REASON_MAX = 2000 };

static void report_read(db_stmt *s, int c, arena *a, office_report *r)
{
	r->id = db_col_int64(s, c);
	r->round_id = db_col_int64(s, c + 1);
	r->office_unit_id = db_col_int64(s, c + 2);
	r->to_unit_id = db_col_int64(s, c + 3);
	r->state = db_col_dup(s, c + 4, a);
	r->figures_json = db_col_dup(s, c + 5, a);
	r->narrative = db_col_dup(s, c + 6, a);
	r->return_reason = db_col_dup(s, c + 7, a);
	r->sent_at = db_col_dup(s, c + 8, a);
	r->updated_at = db_col_dup(s, c + 9, a);
}

int report_get_round(db *d, int64_t round_id, arena *a, office_report *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " REPORT_COLUMNS " FROM office_reports WHERE round_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	int rc = db_step(s);
	if (rc == DB_ROW) report_read(s, 0, a, out);
	db_finish(s);
	return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ENOTFOUND : rc;
}

int report_save(db *d, int64_t actor, int64_t round_id, int64_t office_unit_id, int64_t to_unit_id,
                const char *draft_code, const char *const *editable, const char *narrative_in, int64_t *id)
{
	char *narrative = NULL;
	int rc = q_text(d, "Nội dung báo cáo", narrative_in, false, REPORT_NARRATIVE_MAX, true, &narrative);
	if (rc != DB_OK) return rc;
	if ((rc = db_begin_write(d))) goto out;
	arena *a = arena_new();
	office_report cur;
	char now[21];
	db_now(now);
	int64_t rid = 0;
	rc = report_get_round(d, round_id, a, &cur);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		rc = db_query_int64(d, &rid, "INSERT INTO office_reports (round_id, office_unit_id, to_unit_id, state,"
			" narrative, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", "iiittIt",
			round_id, office_unit_id, to_unit_id, draft_code, narrative, actor, now);
	} else if (rc == DB_OK) {
		bool ok = false;
		for (size_t i = 0; cur.state && editable[i] && !ok; i++) ok = !strcmp(cur.state, editable[i]);
		rid = cur.id;
		rc = ok ? db_execf(d, "UPDATE office_reports SET narrative = ?, updated_by = ?, updated_at = ? WHERE id = ?",
		                   "tIti", narrative, actor, now, rid)
		        : db_fail(d, DB_ECONFLICT, "Báo cáo đã gửi: không sửa được nữa");
	}
	if (rc == DB_OK)
		rc = audit_record(d, actor, "report.draft", "round", round_id, NULL,
			json_pack("{s:I, s:s?}", "report_id", (json_int_t)rid, "narrative", narrative));
	arena_free(a);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id) *id = rid;
out:
	free(narrative);
	return rc;
}

int report_transition(db *d, int64_t actor, int64_t id, const char *from, const char *to,
                      const char *figures_json, const char *reason_in)
{
	char *reason = NULL;
	int rc = q_text(d, "Lý do", reason_in, false, REPORT_REASON_MAX, true, &reason);
	if (rc != DB_OK) return rc;
	if ((rc = db_begin_write(d))) goto out;
	char now[21];
	db_now(now);
	/* compare-and-set on the state the caller checked */
	if (figures_json)          /* a send: the figures frozen, the time it left */
		rc = db_execf(d, "UPDATE office_reports SET state = ?, figures_json = ?, return_reason = ?, sent_at = ?,"
			" updated_by = ?, updated_at = ? WHERE id = ? AND state = ?", "ttttItit",
			to, figures_json, reason, now, actor, now, id, from);
	else
		rc = db_execf(d, "UPDATE office_reports SET state = ?, return_reason = ?, updated_by = ?, updated_at = ?"
			" WHERE id = ? AND state = ?", "ttItit", to, reason, actor, now, id, from);
	if (rc == DB_OK && db_changes(d) != 1) rc = db_fail(d, DB_ECONFLICT, "Báo cáo vừa được người khác chuyển trạng thái");
	if (rc == DB_OK)
		rc = db_execf(d, "INSERT INTO office_report_transitions (report_id, account_id, from_state, to_state, reason, at)"
			" VALUES (?, ?, ?, ?, ?, ?)", "iItttt", id, actor, from, to, reason, now);
	if (rc == DB_OK) {
		char action[48];
		snprintf(action, sizeof action, "report.%s", to);
		rc = audit_record(d, actor, action, "office_report", id, json_pack("{s:s}", "state", from),
			json_pack("{s:s, s:s?, s:s?}", "state", to, "reason", reason, "figures", figures_json));
	}
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(reason);
	return rc;
}

int report_history(db *d, int64_t id, arena *a, report_transition_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT account_id, from_state, to_state, reason, at FROM office_report_transitions"
		" WHERE report_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		report_transition_row *r = &(*out)[(*n)++];
		r->account_id = db_col_int64(s, 0);
		r->from_state = db_col_dup(s, 1, a);
		r->to_state = db_col_dup(s, 2, a);
		r->reason = db_col_dup(s, 3, a);
		r->at = db_col_dup(s, 4, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int report_inbox(db *d, int64_t to_unit, arena *a, report_inbox_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT r.id, r.office_unit_id, r.school_year, r.title, r.policy, r.self_due,"
		" r.report_due, r.external_due, r.state, u.name,"
		" p.id, p.round_id, p.office_unit_id, p.to_unit_id, p.state, p.figures_json, p.narrative, p.return_reason,"
		" p.sent_at, p.updated_at"
		" FROM rounds r JOIN units u ON u.id = r.office_unit_id"
		" JOIN unit_relations x ON x.unit_id = r.office_unit_id AND x.kind = 'parent' AND x.other_unit_id = ?"
		"  AND x.valid_from <= COALESCE(r.report_due, r.self_due) AND (x.valid_to IS NULL OR x.valid_to > COALESCE(r.report_due, r.self_due))"
		" LEFT JOIN office_reports p ON p.round_id = r.id"
		" WHERE COALESCE(r.report_due, r.self_due) IS NOT NULL"
		" ORDER BY COALESCE(r.report_due, r.self_due) DESC, u.code, r.id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, to_unit);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		report_inbox_row *x = &(*out)[(*n)++];
		memset(x, 0, sizeof *x);
		x->round.id = db_col_int64(s, 0);
		x->round.office_unit_id = db_col_int64(s, 1);
		x->round.school_year = db_col_dup(s, 2, a);
		x->round.title = db_col_dup(s, 3, a);
		x->round.policy = db_col_dup(s, 4, a);
		x->round.self_due = db_col_dup(s, 5, a);
		x->round.report_due = db_col_dup(s, 6, a);
		x->round.external_due = db_col_dup(s, 7, a);
		x->round.state = db_col_dup(s, 8, a);
		x->office_name = db_col_dup(s, 9, a);
		if (!db_col_null(s, 10)) report_read(s, 10, a, &x->report);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

const char report_remind_migration_sql[] =
	"CREATE TABLE report_reminder_slots ("
	" round_id BIGINT NOT NULL REFERENCES rounds (id),"
	" slot TEXT NOT NULL CHECK (slot IN ('before', 'day', 'after')),"
	" deadline TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (round_id, slot, deadline));\n";

int report_remind_claim(db *d, int64_t round_id, const char *slot, const char *deadline, bool *taken)
{
	*taken = false;
	char now[21];
	db_now(now);
	int rc = db_execf(d, "INSERT INTO report_reminder_slots (round_id, slot, deadline, at) VALUES (?, ?, ?, ?)"
		" ON CONFLICT (round_id, slot, deadline) DO NOTHING", "ittt", round_id, slot, deadline, now);
	if (rc == DB_OK) *taken = db_changes(d) == 1;
	return rc;
}
