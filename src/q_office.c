/* q_office.c — decisions, deadline extensions, the inbox, the external
 * team and its members' scores, recognition and publication
 * (q_office.h). SQL for deadline_extensions, external_teams,
 * external_team_members, member_scores and published_results lives here,
 * with the few statements on decisions and assessments that the office's
 * steps need and q_assessment.c does not offer. */
#include "q_office.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include "workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Migration 6 (db_schema.c). */
const char office_migration_sql[] =
	"CREATE INDEX decisions_issuer ON decisions (issuer_unit_id, kind);\n"
	/* The history of per-unit extensions: assessments.extended_until holds
	 * the one in force, this table why and by whom each was given. */
	"CREATE TABLE deadline_extensions ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" until TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" account_id BIGINT REFERENCES accounts (id),"
	" at TEXT NOT NULL);\n"
	"CREATE INDEX deadline_extensions_a ON deadline_extensions (assessment_id, id);\n"
	/* One team per round, formed by a decision of the round's office. */
	"CREATE TABLE external_teams ("
	" id {ID},"
	" round_id BIGINT NOT NULL UNIQUE REFERENCES rounds (id),"
	" decision_id BIGINT NOT NULL REFERENCES decisions (id),"
	" created_at TEXT NOT NULL);\n"
	"CREATE TABLE external_team_members ("
	" team_id BIGINT NOT NULL REFERENCES external_teams (id),"
	" account_id BIGINT NOT NULL REFERENCES accounts (id),"
	" post TEXT NOT NULL CHECK (post IN ('truong_doan', 'thu_ky', 'thanh_vien')),"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (team_id, account_id));\n"
	"CREATE UNIQUE INDEX external_team_head ON external_team_members (team_id)"
	" WHERE post = 'truong_doan';\n"
	"CREATE UNIQUE INDEX external_team_secretary ON external_team_members (team_id)"
	" WHERE post = 'thu_ky';\n"
	/* Each member's own score before the team reconciles: the reconciled
	 * score is the assessment's external answer (answers, side external). */
	"CREATE TABLE member_scores ("
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" item_code TEXT NOT NULL,"
	" account_id BIGINT NOT NULL REFERENCES accounts (id),"
	" value_json TEXT NOT NULL,"
	" reason TEXT,"
	" updated_at TEXT NOT NULL,"
	" PRIMARY KEY (assessment_id, item_code, account_id));\n"
	/* What the public sees: written when the office publishes, removed
	 * when it unpublishes. */
	"CREATE TABLE published_results ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id),"
	" result_json TEXT NOT NULL,"
	" published_by BIGINT REFERENCES accounts (id),"
	" published_at TEXT NOT NULL);\n";

/* ---- decisions ------------------------------------------------------- */

static int decision_insert(db *d, int64_t actor, const decision *in, int64_t *id_out)
{
	char *number = NULL, *signer = NULL;
	int rc;
	if ((rc = q_text(d, "Số quyết định", in->number, true, 100, false, &number)) ||
	    (rc = q_text(d, "Người ký", in->signer, false, 200, false, &signer)) ||
	    (rc = q_date(d, "Ngày quyết định", in->date, true)))
		goto out;
	if (!in->kind || !*in->kind) {
		rc = db_fail(d, DB_EINVAL, "Loại quyết định không hợp lệ");
		goto out;
	}
	char now[21];
	db_now(now);
	int64_t id = 0;
	rc = db_query_int64(d, &id, "INSERT INTO decisions (issuer_unit_id, kind, number, date, signer,"
		" created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", "ittttIt",
		in->issuer_unit_id, in->kind, number, in->date, signer, actor, now);
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Cơ quan ban hành không tồn tại");
	if (rc == DB_OK) rc = audit_record(d, actor, "decision.create", "decision", id, NULL,
		json_pack("{s:I, s:s, s:s, s:s, s:o}", "issuer_unit_id", (json_int_t)in->issuer_unit_id,
			"kind", in->kind, "number", number, "date", in->date, "signer", q_json_str(signer)));
	if (rc == DB_OK && id_out) *id_out = id;
out:
	free(number);
	free(signer);
	return rc;
}

int decision_get(db *d, int64_t id, arena *a, decision *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT id, issuer_unit_id, kind, number, date, signer FROM decisions"
		" WHERE id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->id = db_col_int64(s, 0);
		out->issuer_unit_id = db_col_int64(s, 1);
		out->kind = db_col_dup(s, 2, a);
		out->number = db_col_dup(s, 3, a);
		out->date = db_col_dup(s, 4, a);
		out->signer = db_col_dup(s, 5, a);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy quyết định");
	return rc;
}

/* ---- deadline extensions --------------------------------------------- */

int office_extend_tx(db *d, int64_t actor, int64_t assessment_id, const char *until,
                     const char *reason)
{
	arena *a = arena_new();
	char *old = NULL;
	int rc = db_query_text(d, a, &old, "SELECT extended_until FROM assessments WHERE id = ?", "i",
		assessment_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy phiếu đánh giá");
	char now[21];
	db_now(now);
	if (rc == DB_OK) rc = db_execf(d, "UPDATE assessments SET extended_until = ? WHERE id = ?",
		"ti", until, assessment_id);
	if (rc == DB_OK) rc = db_execf(d, "INSERT INTO deadline_extensions (assessment_id, until, reason,"
		" account_id, at) VALUES (?, ?, ?, ?, ?)", "ittIt", assessment_id, until, reason, actor, now);
	if (rc == DB_OK) rc = audit_record(d, actor, "assessment.extend", "assessment", assessment_id,
		json_pack("{s:o}", "extended_until", q_json_str(old)),
		json_pack("{s:s, s:s}", "extended_until", until, "reason", reason));
	arena_free(a);
	return rc;
}

int office_extend(db *d, int64_t actor, int64_t assessment_id, const char *until,
                  const char *reason_in)
{
	int rc;
	char *reason = NULL;
	if ((rc = q_date(d, "Hạn mới", until, true)) ||
	    (rc = q_text(d, "Lý do gia hạn", reason_in, true, 2000, true, &reason)))
		return rc;
	if ((rc = db_begin_write(d))) goto out;
	rc = office_extend_tx(d, actor, assessment_id, until, reason);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(reason);
	return rc;
}

int office_extensions(db *d, int64_t round_id, arena *a, deadline_extension **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT e.id, e.assessment_id, e.account_id, e.until, e.reason, e.at"
		" FROM deadline_extensions e JOIN assessments a ON a.id = e.assessment_id"
		" WHERE a.round_id = ? ORDER BY e.id DESC");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		deadline_extension *e = &(*out)[(*n)++];
		e->id = db_col_int64(s, 0);
		e->assessment_id = db_col_int64(s, 1);
		e->account_id = db_col_int64(s, 2);
		e->until = db_col_dup(s, 3, a);
		e->reason = db_col_dup(s, 4, a);
		e->at = db_col_dup(s, 5, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- the inbox ------------------------------------------------------- */

int office_inbox(db *d, int64_t round_id, const char *date, arena *a, inbox_row **out,
                 size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT a.id, a.round_id, a.unit_id, a.framework_id,"
		" a.framework_revision, a.state, a.state_changed_at, a.extended_until, a.self_level,"
		" a.external_level, a.recognised_level, a.recognition_decision_id,"
		" u.code, u.name, u.type, u.address, u.levels, u.is_public, rel.other_unit_id, p.name"
		" FROM assessments a JOIN units u ON u.id = a.unit_id"
		" LEFT JOIN unit_relations rel ON rel.unit_id = u.id AND rel.kind = 'parent'"
		"  AND rel.valid_from <= ? AND (rel.valid_to IS NULL OR rel.valid_to > ?)"
		" LEFT JOIN units p ON p.id = rel.other_unit_id"
		" WHERE a.round_id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "tti", date, date, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		inbox_row *r = &(*out)[(*n)++];
		assessment *o = &r->as;
		assessment_read_row(s, a, o);
		r->u.id = o->unit_id;
		r->u.code = db_col_dup(s, 12, a);
		r->u.name = db_col_dup(s, 13, a);
		r->u.type = db_col_dup(s, 14, a);
		r->u.address = db_col_dup(s, 15, a);
		r->u.levels = db_col_dup(s, 16, a);
		r->u.is_public = db_col_int64(s, 17) != 0;
		r->manager_id = db_col_int64(s, 18);
		r->manager_name = db_col_dup(s, 19, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int office_answer_versions(db *d, int64_t assessment_id, answer_side side, arena *a,
                           assessment_answer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, item_code, version, value_json, reason, author_id,"
		" created_at FROM answers WHERE assessment_id = ? AND side = ?"
		" ORDER BY item_code, version");
	if (!s) return db_errcode(d);
	db_bindf(s, "it", assessment_id, answer_side_code(side));
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		assessment_answer *x = &(*out)[(*n)++];
		x->id = db_col_int64(s, 0);
		x->assessment_id = assessment_id;
		x->item_code = db_col_dup(s, 1, a);
		x->side = side;
		x->version = (int)db_col_int64(s, 2);
		x->value_json = db_col_dup(s, 3, a);
		x->reason = db_col_dup(s, 4, a);
		x->author_id = db_col_int64(s, 5);
		x->created_at = db_col_dup(s, 6, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- the team -------------------------------------------------------- */

static const char *const post_codes[] = { "truong_doan", "thu_ky", "thanh_vien" };
static const char *const post_labels[] = { "Trưởng đoàn", "Thư ký", "Thành viên" };

const char *team_post_code(team_post p) { return p >= 0 && p < 3 ? post_codes[p] : ""; }
const char *team_post_label(team_post p) { return p >= 0 && p < 3 ? post_labels[p] : ""; }

team_post team_post_parse(const char *code)
{
	for (int i = 0; code && i < 3; i++)
		if (strcmp(code, post_codes[i]) == 0) return (team_post)i;
	return TEAM_POST_INVALID;
}

int team_form(db *d, int64_t actor, int64_t round_id, const decision *dec_in, int64_t *team_id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	int64_t office = 0, dec_id = 0, id = 0;
	rc = db_query_int64(d, &office, "SELECT office_unit_id FROM rounds WHERE id = ?", "i", round_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy đợt đánh giá");
	decision dec = *dec_in;
	dec.issuer_unit_id = office;
	dec.kind = "external_team";
	if (rc == DB_OK) rc = decision_insert(d, actor, &dec, &dec_id);
	if (rc == DB_OK) {
		char now[21];
		db_now(now);
		rc = db_query_int64(d, &id, "INSERT INTO external_teams (round_id, decision_id, created_at)"
			" VALUES (?, ?, ?) ON CONFLICT (round_id) DO UPDATE SET decision_id = excluded.decision_id"
			" RETURNING id", "iit", round_id, dec_id, now);
	}
	if (rc == DB_OK) rc = audit_record(d, actor, "team.form", "round", round_id, NULL,
		json_pack("{s:I, s:I}", "team_id", (json_int_t)id, "decision_id", (json_int_t)dec_id));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && team_id) *team_id = id;
	return rc;
}

int team_get(db *d, int64_t round_id, arena *a, team *out)
{
	memset(out, 0, sizeof *out);
	int64_t dec = 0;
	db_stmt *s = db_prepare(d, "SELECT id, decision_id FROM external_teams WHERE round_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->id = db_col_int64(s, 0);
		out->round_id = round_id;
		dec = db_col_int64(s, 1);
	}
	db_finish(s);
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Đợt đánh giá chưa có đoàn đánh giá ngoài");
	if (rc != DB_ROW) return rc;
	return decision_get(d, dec, a, &out->dec);
}

int team_set_member(db *d, int64_t actor, int64_t team_id, int64_t account_id, team_post post)
{
	if (post == TEAM_POST_INVALID) return db_fail(d, DB_EINVAL, "Vị trí trong đoàn không hợp lệ");
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	char now[21];
	db_now(now);
	rc = db_execf(d, "INSERT INTO external_team_members (team_id, account_id, post, created_at)"
		" VALUES (?, ?, ?, ?) ON CONFLICT (team_id, account_id) DO UPDATE SET post = excluded.post",
		"iitt", team_id, account_id, team_post_code(post), now);
	if (rc == DB_ECONSTRAINT)
		rc = db_fail(d, rc, post == TEAM_HEAD ? "Đoàn đã có trưởng đoàn" : post == TEAM_SECRETARY
			? "Đoàn đã có thư ký" : "Tài khoản hoặc đoàn không tồn tại");
	if (rc == DB_OK) rc = audit_record(d, actor, "team.member", "team", team_id, NULL,
		json_pack("{s:I, s:s}", "account_id", (json_int_t)account_id, "post", team_post_code(post)));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int team_remove_member(db *d, int64_t actor, int64_t team_id, int64_t account_id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "DELETE FROM external_team_members WHERE team_id = ? AND account_id = ?", "ii",
		team_id, account_id);
	if (rc == DB_OK && db_changes(d) == 0) rc = db_fail(d, DB_ENOTFOUND, "Không phải thành viên của đoàn");
	if (rc == DB_OK) rc = audit_record(d, actor, "team.remove_member", "team", team_id,
		json_pack("{s:I}", "account_id", (json_int_t)account_id), NULL);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int team_members(db *d, int64_t team_id, arena *a, team_member **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT m.account_id, m.post, acc.full_name, acc.login"
		" FROM external_team_members m JOIN accounts acc ON acc.id = m.account_id"
		" WHERE m.team_id = ? ORDER BY CASE m.post WHEN 'truong_doan' THEN 0"
		" WHEN 'thu_ky' THEN 1 ELSE 2 END, acc.full_name");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, team_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		team_member *m = &(*out)[(*n)++];
		m->account_id = db_col_int64(s, 0);
		m->post = team_post_parse(db_col_text(s, 1));
		m->full_name = db_col_dup(s, 2, a);
		m->login = db_col_dup(s, 3, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int team_conflicts(db *d, int64_t round_id, int64_t unit_id, int64_t account_id,
                   bool *belongs, bool *on_council)
{
	*belongs = *on_council = false;
	int64_t k = 0;
	int rc = db_query_int64(d, &k, "SELECT COUNT(*) FROM role_assignments WHERE account_id = ?"
		" AND unit_id = ?", "ii", account_id, unit_id);
	if (rc != DB_OK) return rc;
	*belongs = k > 0;
	rc = db_query_int64(d, &k, "SELECT COUNT(*) FROM council_members m"
		" JOIN councils c ON c.id = m.council_id JOIN assessments a ON a.id = c.assessment_id"
		" WHERE a.round_id = ? AND a.unit_id = ? AND m.account_id = ?", "iii", round_id, unit_id,
		account_id);
	if (rc != DB_OK) return rc;
	*on_council = k > 0;
	return DB_OK;
}

int office_assignments(db *d, int64_t round_id, int64_t account_id, arena *a,
                       evaluator_unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT e.round_id, e.unit_id, e.account_id, a.id, e.is_lead,"
		" u.name, u.code, a.state, r.title, acc.full_name"
		" FROM evaluator_assignments e JOIN units u ON u.id = e.unit_id"
		" JOIN rounds r ON r.id = e.round_id JOIN accounts acc ON acc.id = e.account_id"
		" LEFT JOIN assessments a ON a.round_id = e.round_id AND a.unit_id = e.unit_id"
		" WHERE (CAST(? AS BIGINT) = 0 OR e.round_id = ?)"
		" AND (CAST(? AS BIGINT) = 0 OR e.account_id = ?)"
		" ORDER BY e.round_id DESC, u.code, e.is_lead DESC, acc.full_name");
	if (!s) return db_errcode(d);
	db_bindf(s, "iiii", round_id, round_id, account_id, account_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		evaluator_unit *e = &(*out)[(*n)++];
		e->round_id = db_col_int64(s, 0);
		e->unit_id = db_col_int64(s, 1);
		e->account_id = db_col_int64(s, 2);
		e->assessment_id = db_col_int64(s, 3);
		e->lead = db_col_int64(s, 4) != 0;
		e->unit_name = db_col_dup(s, 5, a);
		e->unit_code = db_col_dup(s, 6, a);
		e->state = db_col_dup(s, 7, a);
		e->round_title = db_col_dup(s, 8, a);
		e->member_name = db_col_dup(s, 9, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- members' scores ------------------------------------------------- */

/* Canonical JSON (sorted keys, compact) so that equal scores compare equal. */
static char *canonical_json(db *d, const char *text, int *rc)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	if (!v) {
		*rc = db_fail(d, DB_EINVAL, "Giá trị không phải JSON hợp lệ: %s", e.text);
		return NULL;
	}
	char *out = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	*rc = DB_OK;
	return out;
}

int member_score_put(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                     const char *value_json, const char *reason_in)
{
	if (!assessment_item_code_valid(item_code)) return db_fail(d, DB_EINVAL, "Mã chỉ tiêu không hợp lệ");
	int rc = DB_OK;
	char *value = value_json ? canonical_json(d, value_json, &rc) : NULL;
	char *reason = NULL;
	if (rc || (rc = q_text(d, "Lý do", reason_in, false, 4000, true, &reason))) goto out;
	if ((rc = db_begin_write(d))) goto out;
	arena *a = arena_new();
	char *old = NULL;
	int grc = db_query_text(d, a, &old, "SELECT value_json FROM member_scores WHERE assessment_id = ?"
		" AND item_code = ? AND account_id = ?", "iti", assessment_id, item_code, actor);
	if (grc == DB_ENOTFOUND) db_clear_error(d);
	else if (grc != DB_OK) rc = grc;
	char now[21];
	db_now(now);
	if (rc == DB_OK && value)
		rc = db_execf(d, "INSERT INTO member_scores (assessment_id, item_code, account_id, value_json,"
			" reason, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, item_code,"
			" account_id) DO UPDATE SET value_json = excluded.value_json, reason = excluded.reason,"
			" updated_at = excluded.updated_at", "itittt", assessment_id, item_code, actor, value,
			reason, now);
	else if (rc == DB_OK)
		rc = db_execf(d, "DELETE FROM member_scores WHERE assessment_id = ? AND item_code = ?"
			" AND account_id = ?", "iti", assessment_id, item_code, actor);
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Phiếu đánh giá không tồn tại");
	bool same = (old && value && strcmp(old, value) == 0) || (!old && !value);
	if (rc == DB_OK && !same)
		rc = audit_record(d, actor, "member_score.put", "assessment", assessment_id,
			json_pack("{s:s, s:o}", "item", item_code, "value", q_json_str(old)),
			json_pack("{s:s, s:o}", "item", item_code, "value", q_json_str(value)));
	arena_free(a);
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(value);
	free(reason);
	return rc;
}

int member_scores(db *d, int64_t assessment_id, arena *a, member_score **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT account_id, item_code, value_json, reason, updated_at"
		" FROM member_scores WHERE assessment_id = ? ORDER BY item_code, account_id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		member_score *m = &(*out)[(*n)++];
		m->account_id = db_col_int64(s, 0);
		m->item_code = db_col_dup(s, 1, a);
		m->value_json = db_col_dup(s, 2, a);
		m->reason = db_col_dup(s, 3, a);
		m->updated_at = db_col_dup(s, 4, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- recognition and publication --------------------------------------- */

int office_recognition_decision(db *d, int64_t actor, int64_t issuer, const decision *dec_in, int64_t *id)
{
	*id = 0;
	if (!dec_in) return db_fail(d, DB_EINVAL, "Thiếu quyết định công nhận");
	decision dec = *dec_in;
	dec.issuer_unit_id = issuer;
	dec.kind = "recognition";
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = decision_insert(d, actor, &dec, id);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int office_recognition_link(db *d, int64_t actor, int64_t assessment_id, int64_t decision_id, int level)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	if (decision_id)
		rc = db_execf(d, "UPDATE assessments SET recognition_decision_id = ? WHERE id = ?", "ii", decision_id,
			assessment_id);
	else
		rc = db_execf(d, "UPDATE assessments SET recognition_decision_id = NULL WHERE id = ?", "i", assessment_id);
	if (rc == DB_OK && decision_id) rc = audit_record(d, actor, "assessment.recognise", "assessment", assessment_id,
		NULL, json_pack("{s:I, s:i}", "decision_id", (json_int_t)decision_id, "level", level));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int office_published_set(db *d, int64_t actor, int64_t assessment_id, const char *result_json)
{
	int rc = DB_OK;
	char *result = result_json ? canonical_json(d, result_json, &rc) : NULL;
	if (rc) return rc;
	if ((rc = db_begin_write(d)) == DB_OK) {
		char now[21];
		db_now(now);
		rc = db_execf(d, "DELETE FROM published_results WHERE assessment_id = ?", "i", assessment_id);
		if (rc == DB_OK && result) rc = db_execf(d, "INSERT INTO published_results (assessment_id, result_json,"
			" published_by, published_at) VALUES (?, ?, ?, ?)", "itIt", assessment_id, result, actor, now);
		if (rc == DB_OK && result) rc = audit_record(d, actor, "assessment.publish", "assessment", assessment_id,
			NULL, json_loads(result, 0, NULL));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	free(result);
	return rc;
}

void public_result_read(db_stmt *s, arena *a, public_result *p)
{
	p->assessment_id = db_col_int64(s, 0);
	p->unit_id = db_col_int64(s, 1);
	p->round_id = db_col_int64(s, 2);
	p->office_id = db_col_int64(s, 3);
	p->unit_code = db_col_dup(s, 4, a);
	p->unit_name = db_col_dup(s, 5, a);
	p->unit_type = db_col_dup(s, 6, a);
	p->unit_address = db_col_dup(s, 7, a);
	p->office_name = db_col_dup(s, 8, a);
	p->school_year = db_col_dup(s, 9, a);
	p->round_title = db_col_dup(s, 10, a);
	p->level = (int)db_col_int64(s, 11);
	p->result_json = db_col_dup(s, 12, a);
	p->decision_number = db_col_dup(s, 13, a);
	p->decision_date = db_col_dup(s, 14, a);
	p->decision_signer = db_col_dup(s, 15, a);
	p->published_at = db_col_dup(s, 16, a);
	p->by_school = db_col_int64(s, 17) != 0;
	const char *basis = db_col_text(s, 18);
	p->self_assessed = basis && strcmp(basis, "tu_danh_gia") == 0;
}

int public_results(db *d, int64_t unit_id, int64_t office_id, arena *a, public_result **out,
                   size_t *n)
{
	*out = NULL;
	*n = 0;
	/* The state is checked too: a snapshot left behind by a failed
	 * unpublish must never reach the public. */
	db_stmt *s = db_prepare(d, "SELECT " PUBLIC_RESULT_COLUMNS
		" FROM published_results p JOIN assessments a ON a.id = p.assessment_id"
		" JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id"
		" JOIN units o ON o.id = r.office_unit_id"
		" LEFT JOIN decisions dc ON dc.id = a.recognition_decision_id"
		" WHERE " PUBLIC_RESULT_VISIBLE
		" AND (CAST(? AS BIGINT) = 0 OR u.id = ?) AND (CAST(? AS BIGINT) = 0 OR r.office_unit_id = ?)"
		" ORDER BY r.school_year DESC, u.code, r.id DESC");
	if (!s) return db_errcode(d);
	db_bindf(s, "tiiii", wf_state_code(WF_PUBLISHED), unit_id, unit_id, office_id, office_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		public_result_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int public_areas(db *d, arena *a, public_area **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT o.id, o.name, o.type, COUNT(DISTINCT a.unit_id)"
		" FROM published_results p JOIN assessments a ON a.id = p.assessment_id"
		" JOIN rounds r ON r.id = a.round_id JOIN units o ON o.id = r.office_unit_id"
		" WHERE " PUBLIC_RESULT_VISIBLE " GROUP BY o.id, o.name, o.type ORDER BY o.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "t", wf_state_code(WF_PUBLISHED));
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		public_area *p = &(*out)[(*n)++];
		p->office_id = db_col_int64(s, 0);
		p->name = db_col_dup(s, 1, a);
		p->type = db_col_dup(s, 2, a);
		p->units = db_col_int64(s, 3);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- reminders ------------------------------------------------------- */

int office_unit_contacts(db *d, int64_t unit_id, arena *a, unit_contact **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT DISTINCT acc.id, acc.full_name, acc.email FROM role_assignments r"
		" JOIN accounts acc ON acc.id = r.account_id WHERE r.unit_id = ? AND r.role = 'principal'"
		" AND acc.active = 1 AND acc.email IS NOT NULL AND acc.email <> '' ORDER BY acc.id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, unit_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		unit_contact *c = &(*out)[(*n)++];
		c->account_id = db_col_int64(s, 0);
		c->full_name = db_col_dup(s, 1, a);
		c->email = db_col_dup(s, 2, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int office_reminder_record(db *d, int64_t actor, int64_t round_id, int64_t unit_id, const char *to, bool ok,
                           const char *error)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = audit_record(d, actor, "round.reminder", "round", round_id, NULL,
		json_pack("{s:I, s:o, s:b, s:o}", "unit_id", (json_int_t)unit_id, "to", q_json_str(to), "sent", ok,
			"error", q_json_str(ok ? NULL : error)));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}
