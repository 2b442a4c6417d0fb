/* q_round.c — rounds, their frameworks and targets, and evaluator
 * assignments (q_round.h). SQL for rounds, round_frameworks, round_targets
 * and evaluator_assignments lives here and nowhere else. */
#include "q_round.h"
#include "vn.h"
#include "audit.h"
#include "q.h"
#include "q_assessment.h"
#include "q_unit.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool school_year_valid(const char *y)
{
	if (!y || strlen(y) != 9 || y[4] != '-') return false;
	for (int i = 0; i < 9; i++)
		if (i != 4 && (y[i] < '0' || y[i] > '9')) return false;
	return atoi(y + 5) == atoi(y) + 1;
}

static bool fw_text_valid(const char *s)
{
	if (!s || !*s || strlen(s) > 64) return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '.' || *s == '-' || *s == '_' || *s == '/'))
			return false;
	return true;
}

static json_t *round_json(const round_row *r, const round_framework *fw, size_t nfw,
                          const round_target *t, size_t nt)
{
	json_t *fws = json_array(), *ts = json_array();
	for (size_t i = 0; i < nfw; i++)
		json_array_append_new(fws, json_pack("{s:s, s:s, s:s}", "unit_type", fw[i].unit_type,
			"framework_id", fw[i].framework_id, "revision", fw[i].framework_revision));
	for (size_t i = 0; i < nt; i++)
		json_array_append_new(ts, json_pack("{s:s, s:o, s:i, s:o, s:i, s:o}", "kind", t[i].kind,
			"unit_type", q_json_str(t[i].unit_type), "level", t[i].level,
			"item_code", q_json_str(t[i].item_code), "share_percent", t[i].share_percent,
			"label", q_json_str(t[i].label)));
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
		"office_unit_id", (json_int_t)r->office_unit_id, "school_year", r->school_year,
		"title", r->title, "policy", r->policy, "self_due", q_json_str(r->self_due),
		"report_due", q_json_str(r->report_due), "external_due", q_json_str(r->external_due),
		"frameworks", fws, "targets", ts);
}

static int check_target(db *d, const round_target *t)
{
	if (!t->kind || (strcmp(t->kind, "level_share") != 0 && strcmp(t->kind, "indicator") != 0))
		return db_fail(d, DB_EINVAL, "Loại chỉ tiêu không hợp lệ");
	if (t->unit_type && !unit_type_valid(t->unit_type))
		return db_fail(d, DB_EINVAL, "Chỉ tiêu: loại đơn vị không hợp lệ '%s'", t->unit_type);
	if (t->share_percent < 0 || t->share_percent > 100)
		return db_fail(d, DB_EINVAL, "Chỉ tiêu: tỉ lệ phải từ 0 đến 100%%");
	if (!strcmp(t->kind, "level_share") && (t->level < 1 || t->level > 3))
		return db_fail(d, DB_EINVAL, "Chỉ tiêu: mức phải là 1, 2 hoặc 3");
	if (!strcmp(t->kind, "indicator") && (!t->item_code || !*t->item_code))
		return db_fail(d, DB_EINVAL, "Chỉ tiêu theo chỉ số cần mã chỉ số");
	return DB_OK;
}

int round_open(db *d, int64_t actor, const round_row *in, const round_framework *fw, size_t nfw,
               const round_target *targets, size_t ntargets, int64_t *id_out)
{
	if (id_out) *id_out = 0;
	char *title = NULL;
	arena *a = arena_new();
	int rc;
	if ((rc = q_text(d, "Tên đợt đánh giá", in->title, true, 300, false, &title))) goto out;
	if (!school_year_valid(in->school_year)) {
		rc = db_fail(d, DB_EINVAL, "Năm học không hợp lệ: '%s' (ví dụ 2024-2025)",
			in->school_year ? in->school_year : "");
		goto out;
	}
	const char *policy = in->policy ? in->policy : "min";
	if (strcmp(policy, "min") != 0 && strcmp(policy, "per_group_only") != 0) {
		rc = db_fail(d, DB_EINVAL, "Cách xếp mức không hợp lệ: '%s'", policy);
		goto out;
	}
	if ((rc = q_date(d, "Hạn tự đánh giá", in->self_due, false)) ||
	    (rc = q_date(d, "Hạn báo cáo", in->report_due, false)) ||
	    (rc = q_date(d, "Hạn đánh giá ngoài", in->external_due, false)))
		goto out;
	if (nfw == 0) {
		rc = db_fail(d, DB_EINVAL, "Đợt đánh giá cần ít nhất một bộ chỉ số");
		goto out;
	}
	for (size_t i = 0; i < nfw; i++) {
		if (!unit_type_valid(fw[i].unit_type) || !fw_text_valid(fw[i].framework_id) ||
		    !fw_text_valid(fw[i].framework_revision)) {
			rc = db_fail(d, DB_EINVAL, "Bộ chỉ số thứ %zu không hợp lệ", i + 1);
			goto out;
		}
	}
	for (size_t i = 0; i < ntargets; i++)
		if ((rc = check_target(d, &targets[i]))) goto out;

	if ((rc = db_begin_write(d))) goto out;
	unit office;
	if ((rc = unit_get(d, in->office_unit_id, a, &office))) goto fail;
	if (!unit_type_is_office(office.type)) {
		rc = db_fail(d, DB_EINVAL, "%s không phải cơ quan quản lý giáo dục: không mở được đợt "
			"đánh giá", office.name);
		goto fail;
	}
	char now[21];
	db_now(now);
	int64_t id = 0;
	rc = db_query_int64(d, &id, "INSERT INTO rounds (office_unit_id, school_year, title, policy,"
		" self_due, report_due, external_due, state, created_by, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id", "ittttttIt",
		in->office_unit_id, in->school_year, title, policy, in->self_due, in->report_due,
		in->external_due, actor, now);
	if (rc == DB_ECONSTRAINT) {
		rc = db_fail(d, rc, "Đã có đợt đánh giá '%s' năm học %s", title, in->school_year);
		goto fail;
	}
	if (rc == DB_OK && in->include_managed)
		rc = db_execf(d, "UPDATE rounds SET include_managed = 1 WHERE id = ?", "i", id);
	for (size_t i = 0; rc == DB_OK && i < nfw; i++) {
		rc = db_execf(d, "INSERT INTO round_frameworks (round_id, unit_type, framework_id,"
			" framework_revision) VALUES (?, ?, ?, ?)", "ittt", id, fw[i].unit_type,
			fw[i].framework_id, fw[i].framework_revision);
		if (rc == DB_ECONSTRAINT)
			rc = db_fail(d, rc, "Loại đơn vị '%s' có hai bộ chỉ số", fw[i].unit_type);
	}
	for (size_t i = 0; rc == DB_OK && i < ntargets; i++) {
		const round_target *t = &targets[i];
		bool share = !strcmp(t->kind, "level_share");
		rc = db_execf(d, "INSERT INTO round_targets (round_id, kind, unit_type, level, item_code,"
			" share_percent, label) VALUES (?, ?, ?, ?, ?, ?, ?)", "ittItit", id, t->kind,
			t->unit_type, share ? (int64_t)t->level : 0, share ? NULL : t->item_code,
			(int64_t)t->share_percent, t->label);
	}
	if (rc) goto fail;
	round_row clean = *in;
	clean.title = title;
	clean.policy = policy;
	rc = audit_record(d, actor, "round.open", "round", id, NULL,
		round_json(&clean, fw, nfw, targets, ntargets));
	if (rc) goto fail;
	rc = db_commit(d);
	if (rc == DB_OK && id_out) *id_out = id;
	goto out;
fail:
	db_rollback(d);
out:
	free(title);
	arena_free(a);
	return rc;
}

#define ROUND_COLUMNS "id, office_unit_id, school_year, title, policy, self_due, report_due," \
	" external_due, state"

static void read_round(db_stmt *s, arena *a, round_row *r)
{
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

void round_read_row(db_stmt *s, arena *a, round_row *out)
{
	read_round(s, a, out);
}

int round_get(db *d, int64_t id, arena *a, round_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " ROUND_COLUMNS " FROM rounds WHERE id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) read_round(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy đợt đánh giá");
	return rc;
}

/* Every row of a prepared round query, then the statement finished. */
static int collect_rounds(db_stmt *s, arena *a, round_row **out, size_t *n)
{
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_round(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int round_list_for_office(db *d, int64_t office, arena *a, round_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " ROUND_COLUMNS " FROM rounds WHERE office_unit_id = ?"
		" ORDER BY school_year DESC, id DESC");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, office);
	return collect_rounds(s, a, out, n);
}

int round_list_managed(db *d, int64_t office, arena *a, round_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char today[11];
	vn_today_iso(today);
	/* "on the date that matters": the managing relation on the round's
	 * self-assessment deadline (today when it has none) */
	db_stmt *s = db_prepare(d, "SELECT " ROUND_COLUMNS " FROM rounds WHERE office_unit_id <> ? AND id IN"
		" (SELECT a.round_id FROM assessments a JOIN rounds r2 ON r2.id = a.round_id"
		"  JOIN unit_relations p ON p.unit_id = a.unit_id AND p.kind = 'parent' AND p.other_unit_id = ?"
		"   AND p.valid_from <= COALESCE(r2.self_due, ?) AND (p.valid_to IS NULL OR p.valid_to > COALESCE(r2.self_due, ?)))"
		" ORDER BY school_year DESC, id DESC");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, office);
	db_bind_int64(s, 2, office);
	db_bind_text(s, 3, today);
	db_bind_text(s, 4, today);
	return collect_rounds(s, a, out, n);
}

int round_list_all(db *d, size_t limit, arena *a, round_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " ROUND_COLUMNS " FROM rounds"
		" ORDER BY CASE WHEN state = 'open' THEN 0 ELSE 1 END, school_year DESC, id DESC LIMIT ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, (int64_t)limit);
	return collect_rounds(s, a, out, n);
}

int round_frameworks(db *d, int64_t round_id, arena *a, round_framework **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT unit_type, framework_id, framework_revision"
		" FROM round_frameworks WHERE round_id = ? ORDER BY unit_type");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		round_framework *f = &(*out)[(*n)++];
		f->unit_type = db_col_dup(s, 0, a);
		f->framework_id = db_col_dup(s, 1, a);
		f->framework_revision = db_col_dup(s, 2, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int round_framework_for(db *d, int64_t round_id, const char *unit_type, arena *a,
                        round_framework *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT unit_type, framework_id, framework_revision"
		" FROM round_frameworks WHERE round_id = ? AND unit_type = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "it", round_id, unit_type);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->unit_type = db_col_dup(s, 0, a);
		out->framework_id = db_col_dup(s, 1, a);
		out->framework_revision = db_col_dup(s, 2, a);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Đợt đánh giá không áp dụng cho loại "
		"đơn vị '%s'", unit_type ? unit_type : "");
	return rc;
}

int round_targets(db *d, int64_t round_id, arena *a, round_target **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, kind, unit_type, level, item_code, share_percent,"
		" label FROM round_targets WHERE round_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		round_target *t = &(*out)[(*n)++];
		t->id = db_col_int64(s, 0);
		t->kind = db_col_dup(s, 1, a);
		t->unit_type = db_col_dup(s, 2, a);
		t->level = (int)db_col_int64(s, 3);
		t->item_code = db_col_dup(s, 4, a);
		t->share_percent = (int)db_col_int64(s, 5);
		t->label = db_col_dup(s, 6, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static json_t *deadlines_json(const round_row *r)
{
	return json_pack("{s:o, s:o, s:o}", "self_due", q_json_str(r->self_due),
		"report_due", q_json_str(r->report_due), "external_due", q_json_str(r->external_due));
}

int round_set_deadlines(db *d, int64_t actor, int64_t round_id, const char *self_due,
                        const char *report_due, const char *external_due)
{
	int rc;
	if ((rc = q_date(d, "Hạn tự đánh giá", self_due, false)) ||
	    (rc = q_date(d, "Hạn báo cáo", report_due, false)) ||
	    (rc = q_date(d, "Hạn đánh giá ngoài", external_due, false)))
		return rc;
	arena *a = arena_new();
	if ((rc = db_begin_write(d)) == DB_OK) {
		round_row old;
		rc = round_get(d, round_id, a, &old);
		if (rc == DB_OK) rc = db_execf(d, "UPDATE rounds SET self_due = ?, report_due = ?,"
			" external_due = ? WHERE id = ?", "ttti", self_due, report_due, external_due,
			round_id);
		round_row now = { .self_due = self_due, .report_due = report_due,
			.external_due = external_due };
		if (rc == DB_OK) rc = audit_record(d, actor, "round.deadlines", "round", round_id,
			deadlines_json(&old), deadlines_json(&now));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	arena_free(a);
	return rc;
}

int round_close(db *d, int64_t actor, int64_t round_id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "UPDATE rounds SET state = 'closed' WHERE id = ? AND state = 'open'", "i",
		round_id);
	if (rc == DB_OK && db_changes(d) == 0) {
		int64_t x;
		rc = db_query_int64(d, &x, "SELECT id FROM rounds WHERE id = ?", "i", round_id);
		rc = rc == DB_ENOTFOUND ? db_fail(d, rc, "Không tìm thấy đợt đánh giá")
		                        : db_fail(d, DB_ECONFLICT, "Đợt đánh giá đã kết thúc");
	}
	if (rc == DB_OK) rc = audit_record(d, actor, "round.close", "round", round_id,
		json_pack("{s:s}", "state", "open"), json_pack("{s:s}", "state", "closed"));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

static int int64_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* The ids of the units that already have an assessment in the round, sorted. */
static int round_unit_ids(db *d, int64_t round_id, arena *a, int64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT unit_id FROM assessments WHERE round_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		(*out)[(*n)++] = db_col_int64(s, 0);
	}
	db_finish(s);
	sort_list(*out, *n, sizeof **out, int64_cmp);
	return rc == DB_DONE ? DB_OK : rc;
}

static const round_framework *framework_of_type(const round_framework *fw, size_t n,
                                                const char *unit_type)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fw[i].unit_type, unit_type) == 0) return &fw[i];
	return NULL;
}

const char round_managed_migration_sql[] =
	"ALTER TABLE rounds ADD COLUMN include_managed BIGINT NOT NULL DEFAULT 0;\n";

int round_includes_managed(db *d, int64_t round_id, bool *yes)
{
	int64_t v = 0;
	int rc = db_query_int64(d, &v, "SELECT include_managed FROM rounds WHERE id = ?", "i", round_id);
	*yes = rc == DB_OK && v != 0;
	return rc;
}

static int unit_id_cmp(const void *x, const void *y)
{
	int64_t a = ((const unit *)x)->id, b = ((const unit *)y)->id;
	return (a > b) - (a < b);
}

/* The units the round takes on `date`: those its office evaluates, and
 * those it manages directly when the round includes them, each once. */
static int round_units_on(db *d, int64_t office_id, int64_t round_id, const char *date, arena *a,
                          unit **out, size_t *n)
{
	bool managed = false;
	unit *m;
	size_t nm;
	int rc = unit_dependents_on(d, office_id, UNIT_EVALUATOR, date, a, out, n);
	if (rc == DB_OK) rc = round_includes_managed(d, round_id, &managed);
	if (rc != DB_OK || !managed) return rc;
	if ((rc = unit_dependents_on(d, office_id, UNIT_PARENT, date, a, &m, &nm)) || !nm) return rc;
	unit *all = arena_alloc(a, (*n + nm) * sizeof *all);
	if (*n) memcpy(all, *out, *n * sizeof *all);
	size_t k = *n;
	sort_list(all, k, sizeof *all, unit_id_cmp);
	for (size_t i = 0; i < nm; i++)
		if (!*n || !bsearch(&m[i], all, *n, sizeof *all, unit_id_cmp)) all[k++] = m[i];
	*out = all;
	*n = k;
	return DB_OK;
}

/* The round's frameworks and existing assessments are read once, not per
 * unit: looked up one by one, PostgreSQL kept the plan it made on an empty
 * table and opening a round over 50,000 schools grew quadratic (142 s). */
int round_add_units(db *d, int64_t actor, int64_t round_id, const char *date, int *created,
                    int *skipped)
{
	if (created) *created = 0;
	if (skipped) *skipped = 0;
	int rc;
	if ((rc = q_date(d, "Ngày", date, true))) return rc;
	arena *a = arena_new();
	if ((rc = db_begin_write(d))) goto out;
	round_row r;
	unit *units;
	round_framework *fws;
	int64_t *have;
	size_t nu, nfw, nhave;
	if ((rc = round_get(d, round_id, a, &r))) goto fail;
	if (!r.state || strcmp(r.state, "open") != 0) {
		rc = db_fail(d, DB_ECONFLICT, "Đợt đánh giá đã kết thúc");
		goto fail;
	}
	if ((rc = round_units_on(d, r.office_unit_id, round_id, date, a, &units, &nu)) ||
	    (rc = round_frameworks(d, round_id, a, &fws, &nfw)) ||
	    (rc = round_unit_ids(d, round_id, a, &have, &nhave)))
		goto fail;
	/* The office's own assessment (3806) when the round has a framework
	 * for its type: a Sở has no evaluator in the system to host it, and a
	 * Phòng's is hosted by the Sở's round (docs/office.md). */
	unit self;
	if ((rc = unit_get(d, r.office_unit_id, a, &self))) goto fail;
	if (framework_of_type(fws, nfw, self.type)) {
		unit *all = arena_alloc(a, (nu + 1) * sizeof *all);
		if (nu) memcpy(all, units, nu * sizeof *units);
		all[nu++] = self;
		units = all;
	}
	for (size_t i = 0; i < nu; i++) {
		const round_framework *fw = framework_of_type(fws, nfw, units[i].type);
		if (!fw) {
			if (skipped) (*skipped)++;
			continue;
		}
		if (nhave && bsearch(&units[i].id, have, nhave, sizeof *have, int64_cmp)) continue;
		if ((rc = assessment_create(d, actor, round_id, units[i].id, fw->framework_id,
		                            fw->framework_revision, NULL)))
			goto fail;
		if (created) (*created)++;
	}
	rc = db_commit(d);
	goto out;
fail:
	db_rollback(d);
out:
	arena_free(a);
	return rc;
}

/* ---- evaluator assignments ------------------------------------------- */

int round_assign_evaluator(db *d, int64_t actor, int64_t round_id, int64_t unit_id,
                           int64_t account_id, bool lead)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	char now[21];
	db_now(now);
	rc = db_execf(d, "INSERT INTO evaluator_assignments (round_id, unit_id, account_id, is_lead,"
		" created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id, unit_id, account_id)"
		" DO UPDATE SET is_lead = excluded.is_lead", "iiiit", round_id, unit_id, account_id,
		(int64_t)lead, now);
	if (rc == DB_ECONSTRAINT)
		rc = db_fail(d, rc, "Đợt, đơn vị hoặc tài khoản không tồn tại");
	if (rc == DB_OK) rc = audit_record(d, actor, "round.assign_evaluator", "round", round_id,
		NULL, json_pack("{s:I, s:I, s:b}", "unit_id", (json_int_t)unit_id, "account_id",
			(json_int_t)account_id, "lead", lead));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int round_unassign_evaluator(db *d, int64_t actor, int64_t round_id, int64_t unit_id,
                             int64_t account_id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "DELETE FROM evaluator_assignments WHERE round_id = ? AND unit_id = ?"
		" AND account_id = ?", "iii", round_id, unit_id, account_id);
	if (rc == DB_OK && db_changes(d) == 0)
		rc = db_fail(d, DB_ENOTFOUND, "Thành viên chưa được phân công đơn vị này");
	if (rc == DB_OK) rc = audit_record(d, actor, "round.unassign_evaluator", "round", round_id,
		json_pack("{s:I, s:I}", "unit_id", (json_int_t)unit_id, "account_id",
			(json_int_t)account_id), NULL);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int round_evaluators(db *d, int64_t round_id, int64_t unit_id, arena *a,
                     evaluator_assignment **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT account_id, is_lead FROM evaluator_assignments"
		" WHERE round_id = ? AND unit_id = ? ORDER BY is_lead DESC, account_id");
	if (!s) return db_errcode(d);
	db_bindf(s, "ii", round_id, unit_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		evaluator_assignment *e = &(*out)[(*n)++];
		e->round_id = round_id;
		e->unit_id = unit_id;
		e->account_id = db_col_int64(s, 0);
		e->lead = db_col_int64(s, 1) != 0;
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int round_evaluator_of(db *d, int64_t round_id, int64_t unit_id, int64_t account_id,
                       bool *assigned, bool *lead)
{
	*assigned = *lead = false;
	int64_t l = 0;
	int rc = db_query_int64(d, &l, "SELECT is_lead FROM evaluator_assignments WHERE round_id = ?"
		" AND unit_id = ? AND account_id = ?", "iii", round_id, unit_id, account_id);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		return DB_OK;
	}
	if (rc != DB_OK) return rc;
	*assigned = true;
	*lead = l != 0;
	return DB_OK;
}

int round_framework_set_revision(db *d, int64_t actor, int64_t round_id, const char *framework_id, const char *revision)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "UPDATE round_frameworks SET framework_revision = ? WHERE round_id = ? AND framework_id = ?",
		"tit", revision, round_id, framework_id);
	if (rc == DB_OK) rc = audit_record(d, actor, "round.framework_revision", "round", round_id, NULL,
		json_pack("{s:s, s:s}", "framework_id", framework_id, "framework_revision", revision));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}
