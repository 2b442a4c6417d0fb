/* q_council.c — councils, members, item assignments and tasks
 * (q_council.h). SQL for councils, council_members, council_assignments,
 * tasks and task_members lives here and nowhere else. */
#include "q_council.h"
#include "audit.h"
#include "q.h"
#include "q_assessment.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static const char *const post_codes[] = { "chu_tich", "pho_chu_tich", "thu_ky", "uy_vien" };
static const char *const post_labels[] = { "Chủ tịch", "Phó Chủ tịch", "Thư ký", "Ủy viên" };

const char *council_post_code(council_post p)
{
	return p >= 0 && (size_t)p < ARRAY_LEN(post_codes) ? post_codes[p] : "";
}

const char *council_post_label(council_post p)
{
	return p >= 0 && (size_t)p < ARRAY_LEN(post_labels) ? post_labels[p] : "";
}

council_post council_post_parse(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_LEN(post_codes); i++)
		if (!strcmp(code, post_codes[i])) return (council_post)i;
	return COUNCIL_POST_INVALID;
}

int council_form(db *d, int64_t actor, int64_t assessment_id, const char *kind,
                 const char *number_in, const char *date, int64_t *id_out)
{
	if (id_out) *id_out = 0;
	if (!kind) kind = "hoi_dong";
	if (strcmp(kind, "hoi_dong") != 0 && strcmp(kind, "to_cong_tac") != 0)
		return db_fail(d, DB_EINVAL, "Hình thức không hợp lệ: '%s' (hội đồng hoặc tổ công tác)",
			kind);
	int rc;
	if ((rc = q_date(d, "Ngày quyết định", date, false))) return rc;
	char *number = NULL;
	if ((rc = q_text(d, "Số quyết định", number_in, false, 100, false, &number))) return rc;
	arena *a = arena_new();
	if ((rc = db_begin_write(d))) goto out;
	council old;
	rc = council_get(d, assessment_id, a, &old);
	int64_t id = old.id;
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		char now[21];
		db_now(now);
		rc = db_query_int64(d, &id, "INSERT INTO councils (assessment_id, kind, decision_number,"
			" decision_date, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", "itttt",
			assessment_id, kind, number, date, now);
		if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy phiếu đánh giá");
	} else if (rc == DB_OK) {
		rc = db_execf(d, "UPDATE councils SET kind = ?, decision_number = ?, decision_date = ?"
			" WHERE id = ?", "ttti", kind, number, date, id);
	}
	if (rc == DB_OK) rc = audit_record(d, actor, old.id ? "council.update" : "council.form",
		"assessment", assessment_id,
		old.id ? json_pack("{s:s, s:o, s:o}", "kind", old.kind, "decision_number",
			q_json_str(old.decision_number), "decision_date", q_json_str(old.decision_date)) : NULL,
		json_pack("{s:s, s:o, s:o}", "kind", kind, "decision_number", q_json_str(number),
			"decision_date", q_json_str(date)));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
out:
	free(number);
	arena_free(a);
	return rc;
}

int council_get(db *d, int64_t assessment_id, arena *a, council *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT id, assessment_id, kind, decision_number, decision_date"
		" FROM councils WHERE assessment_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->id = db_col_int64(s, 0);
		out->assessment_id = db_col_int64(s, 1);
		out->kind = db_col_dup(s, 2, a);
		out->decision_number = db_col_dup(s, 3, a);
		out->decision_date = db_col_dup(s, 4, a);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Chưa thành lập hội đồng tự đánh giá");
	return rc;
}

/* The assessment a council member belongs to (audit rows hang off it). */
static int member_assessment(db *d, int64_t member_id, int64_t *assessment_id)
{
	int rc = db_query_int64(d, assessment_id, "SELECT c.assessment_id FROM council_members m"
		" JOIN councils c ON c.id = m.council_id WHERE m.id = ?", "i", member_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy thành viên hội đồng");
	return rc;
}

int council_add_member(db *d, int64_t actor, int64_t council_id, int64_t account_id,
                       const char *full_name_in, const char *job_title_in, council_post post,
                       int64_t *member_id)
{
	if (member_id) *member_id = 0;
	if (post < 0 || (size_t)post >= ARRAY_LEN(post_codes))
		return db_fail(d, DB_EINVAL, "Chức danh trong hội đồng không hợp lệ");
	char *name = NULL, *job = NULL;
	int rc;
	if ((rc = q_text(d, "Họ và tên", full_name_in, !account_id, 200, false, &name)) ||
	    (rc = q_text(d, "Chức vụ", job_title_in, false, 200, false, &job)))
		goto out;
	if ((rc = db_begin_write(d))) goto out;
	if (!name) {
		arena *a = arena_new();
		char *acc_name = NULL;
		rc = db_query_text(d, a, &acc_name, "SELECT full_name FROM accounts WHERE id = ?", "i",
			account_id);
		if (rc == DB_OK) name = xstrdup(acc_name);
		else if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy tài khoản");
		arena_free(a);
	}
	int64_t assessment_id = 0, id = 0;
	if (rc == DB_OK) {
		rc = db_query_int64(d, &assessment_id, "SELECT assessment_id FROM councils WHERE id = ?",
			"i", council_id);
		if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy hội đồng");
	}
	if (rc == DB_OK) {
		rc = db_query_int64(d, &id, "INSERT INTO council_members (council_id, account_id,"
			" full_name, job_title, post) VALUES (?, ?, ?, ?, ?) RETURNING id", "iIttt",
			council_id, account_id, name, job, council_post_code(post));
		if (rc == DB_ECONSTRAINT)
			rc = db_fail(d, rc, post == COUNCIL_CHU_TICH ? "Hội đồng đã có chủ tịch"
				: "Người này đã là thành viên hội đồng");
	}
	if (rc == DB_OK) rc = audit_record(d, actor, "council.member.add", "assessment",
		assessment_id, NULL, json_pack("{s:I, s:I, s:s, s:o, s:s}", "member_id",
			(json_int_t)id, "account_id", (json_int_t)account_id, "full_name", name,
			"job_title", q_json_str(job), "post", council_post_code(post)));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && member_id) *member_id = id;
out:
	free(name);
	free(job);
	return rc;
}

int council_remove_member(db *d, int64_t actor, int64_t member_id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	int64_t assessment_id = 0;
	arena *a = arena_new();
	char *name = NULL;
	rc = member_assessment(d, member_id, &assessment_id);
	if (rc == DB_OK) rc = db_query_text(d, a, &name, "SELECT full_name FROM council_members"
		" WHERE id = ?", "i", member_id);
	/* Tasks keep their rows; the owner becomes "none" (ON DELETE SET NULL)
	 * and the member leaves the task's participants (CASCADE). */
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM council_members WHERE id = ?", "i", member_id);
	if (rc == DB_OK) rc = audit_record(d, actor, "council.member.remove", "assessment",
		assessment_id, json_pack("{s:I, s:s}", "member_id", (json_int_t)member_id,
			"full_name", name), NULL);
	arena_free(a);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int council_assign(db *d, int64_t actor, int64_t member_id, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!assessment_item_code_valid(items[i]))
			return db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'",
				items[i] ? items[i] : "");
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	int64_t assessment_id = 0;
	arena *a = arena_new();
	json_t *before = json_array(), *after = json_array();
	rc = member_assessment(d, member_id, &assessment_id);
	db_stmt *s = rc == DB_OK ? db_prepare(d, "SELECT item_code FROM council_assignments"
		" WHERE member_id = ? ORDER BY item_code") : NULL;
	if (rc == DB_OK && !s) rc = db_errcode(d);
	if (s) {
		db_bind_int64(s, 1, member_id);
		while ((rc = db_step(s)) == DB_ROW) json_array_append_new(before,
			json_string(db_col_text(s, 0)));
		db_finish(s);
		rc = rc == DB_DONE ? DB_OK : rc;
	}
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM council_assignments WHERE member_id = ?", "i",
		member_id);
	const char **sorted = arena_alloc(a, (n ? n : 1) * sizeof *sorted);
	if (n) memcpy(sorted, items, n * sizeof *sorted);   /* items is NULL when none is given */
	sort_list(sorted, n, sizeof *sorted, cmp_str);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		if (i > 0 && !strcmp(sorted[i], sorted[i - 1])) continue;
		rc = db_execf(d, "INSERT INTO council_assignments (member_id, item_code) VALUES (?, ?)",
			"it", member_id, sorted[i]);
		json_array_append_new(after, json_string(sorted[i]));
	}
	if (rc == DB_OK) {
		rc = audit_record(d, actor, "council.assign", "assessment", assessment_id,
			json_pack("{s:I, s:o}", "member_id", (json_int_t)member_id, "items", before),
			json_pack("{s:I, s:o}", "member_id", (json_int_t)member_id, "items", after));
		before = after = NULL;
	}
	json_decref(before);
	json_decref(after);
	arena_free(a);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int council_members(db *d, int64_t council_id, arena *a, council_member **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* Post order is the order of the decision's list. */
	db_stmt *s = db_prepare(d, "SELECT id, council_id, account_id, full_name, job_title, post"
		" FROM council_members WHERE council_id = ? ORDER BY CASE post"
		" WHEN 'chu_tich' THEN 0 WHEN 'pho_chu_tich' THEN 1 WHEN 'thu_ky' THEN 2 ELSE 3 END, id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, council_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		council_member *m = &(*out)[(*n)++];
		m->id = db_col_int64(s, 0);
		m->council_id = db_col_int64(s, 1);
		m->account_id = db_col_int64(s, 2);
		m->full_name = db_col_dup(s, 3, a);
		m->job_title = db_col_dup(s, 4, a);
		m->post = council_post_parse(db_col_text(s, 5));
	}
	db_finish(s);
	if (rc != DB_DONE) return rc;
	for (size_t i = 0; i < *n; i++) {
		council_member *m = &(*out)[i];
		s = db_prepare(d, "SELECT item_code FROM council_assignments WHERE member_id = ?"
			" ORDER BY item_code");
		if (!s) return db_errcode(d);
		db_bind_int64(s, 1, m->id);
		size_t icap = 0;
		while ((rc = db_step(s)) == DB_ROW) {
			q_grow(a, (void **)&m->items, &icap, m->nitems, sizeof *m->items);
			m->items[m->nitems++] = db_col_dup(s, 0, a);
		}
		db_finish(s);
		if (rc != DB_DONE) return rc;
	}
	return DB_OK;
}

int council_is_secretary(db *d, int64_t assessment_id, int64_t account_id, bool *yes)
{
	int64_t n = 0;
	int rc = db_query_int64(d, &n, "SELECT COUNT(*) FROM council_members m JOIN councils c"
		" ON c.id = m.council_id WHERE c.assessment_id = ? AND m.account_id = ?"
		" AND m.post = 'thu_ky'", "ii", assessment_id, account_id);
	*yes = rc == DB_OK && n > 0;
	return rc;
}

int council_item_assigned(db *d, int64_t assessment_id, int64_t account_id,
                          const char *item_code, bool *yes)
{
	int64_t n = 0;
	int rc = db_query_int64(d, &n, "SELECT COUNT(*) FROM council_assignments x"
		" JOIN council_members m ON m.id = x.member_id JOIN councils c ON c.id = m.council_id"
		" WHERE c.assessment_id = ? AND m.account_id = ? AND x.item_code = ?", "iit",
		assessment_id, account_id, item_code);
	*yes = rc == DB_OK && n > 0;
	return rc;
}

/* ---- tasks ----------------------------------------------------------- */

static bool status_valid(const char *s)
{
	return s && (!strcmp(s, "todo") || !strcmp(s, "doing") || !strcmp(s, "done"));
}

int council_task_add(db *d, int64_t actor, int64_t assessment_id, const council_task *t,
                     int64_t *id_out)
{
	if (id_out) *id_out = 0;
	const char *status = t->status ? t->status : "todo";
	if (!status_valid(status))
		return db_fail(d, DB_EINVAL, "Trạng thái nhiệm vụ không hợp lệ: '%s'", status);
	char *title = NULL, *label = NULL, *note = NULL;
	int rc;
	if ((rc = q_text(d, "Nội dung nhiệm vụ", t->title, true, 2000, true, &title)) ||
	    (rc = q_text(d, "Thời gian hoàn thành", t->due_label, false, 100, false, &label)) ||
	    (rc = q_text(d, "Ghi chú", t->note, false, 2000, true, &note)) ||
	    (rc = q_date(d, "Hạn hoàn thành", t->due, false)))
		goto out;
	if ((rc = db_begin_write(d))) goto out;
	int64_t seq = t->seq;
	if (seq <= 0) rc = db_query_int64(d, &seq, "SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks"
		" WHERE assessment_id = ?", "i", assessment_id);
	char now[21];
	db_now(now);
	int64_t id = 0;
	if (rc == DB_OK) {
		rc = db_query_int64(d, &id, "INSERT INTO tasks (assessment_id, seq, title, due, due_label,"
			" owner_member_id, status, note, created_at, updated_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", "iitttItttt", assessment_id,
			seq, title, t->due, label, t->owner_member_id, status, note, now, now);
		if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Phiếu đánh giá hoặc người phụ trách "
			"không tồn tại");
	}
	for (size_t i = 0; rc == DB_OK && i < t->nmembers; i++)
		rc = db_execf(d, "INSERT INTO task_members (task_id, member_id) VALUES (?, ?)"
			" ON CONFLICT (task_id, member_id) DO NOTHING", "ii", id, t->member_ids[i]);
	if (rc == DB_OK) rc = audit_record(d, actor, "task.add", "assessment", assessment_id, NULL,
		json_pack("{s:I, s:I, s:s, s:o, s:o, s:I, s:s}", "task_id", (json_int_t)id, "seq",
			(json_int_t)seq, "title", title, "due", q_json_str(t->due), "due_label",
			q_json_str(label), "owner_member_id", (json_int_t)t->owner_member_id,
			"status", status));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
out:
	free(title);
	free(label);
	free(note);
	return rc;
}

int council_task_set_status(db *d, int64_t actor, int64_t task_id, const char *status)
{
	if (!status_valid(status))
		return db_fail(d, DB_EINVAL, "Trạng thái nhiệm vụ không hợp lệ: '%s'",
			status ? status : "");
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	arena *a = arena_new();
	char *old = NULL;
	int64_t assessment_id = 0;
	rc = db_query_text(d, a, &old, "SELECT status FROM tasks WHERE id = ?", "i", task_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy nhiệm vụ");
	if (rc == DB_OK) rc = db_query_int64(d, &assessment_id, "SELECT assessment_id FROM tasks"
		" WHERE id = ?", "i", task_id);
	if (rc == DB_OK && old && strcmp(old, status) != 0) {
		char now[21];
		db_now(now);
		rc = db_execf(d, "UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?", "tti",
			status, now, task_id);
		if (rc == DB_OK) rc = audit_record(d, actor, "task.status", "assessment", assessment_id,
			json_pack("{s:I, s:s}", "task_id", (json_int_t)task_id, "status", old),
			json_pack("{s:I, s:s}", "task_id", (json_int_t)task_id, "status", status));
	}
	arena_free(a);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int council_tasks(db *d, int64_t assessment_id, arena *a, council_task **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, assessment_id, seq, title, due, due_label,"
		" owner_member_id, status, note FROM tasks WHERE assessment_id = ? ORDER BY seq, id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		council_task *t = &(*out)[(*n)++];
		t->id = db_col_int64(s, 0);
		t->assessment_id = db_col_int64(s, 1);
		t->seq = (int)db_col_int64(s, 2);
		t->title = db_col_dup(s, 3, a);
		t->due = db_col_dup(s, 4, a);
		t->due_label = db_col_dup(s, 5, a);
		t->owner_member_id = db_col_int64(s, 6);
		t->status = db_col_dup(s, 7, a);
		t->note = db_col_dup(s, 8, a);
	}
	db_finish(s);
	if (rc != DB_DONE) return rc;
	for (size_t i = 0; i < *n; i++) {
		council_task *t = &(*out)[i];
		s = db_prepare(d, "SELECT member_id FROM task_members WHERE task_id = ? ORDER BY member_id");
		if (!s) return db_errcode(d);
		db_bind_int64(s, 1, t->id);
		size_t mcap = 0;
		while ((rc = db_step(s)) == DB_ROW) {
			q_grow(a, (void **)&t->member_ids, &mcap, t->nmembers, sizeof *t->member_ids);
			t->member_ids[t->nmembers++] = db_col_int64(s, 0);
		}
		db_finish(s);
		if (rc != DB_DONE) return rc;
	}
	return DB_OK;
}
