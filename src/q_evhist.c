/* q_evhist.c — evidence changes between two moments, from the audit log
 * (q_evhist.h). SQL over audit_log and evidence lives here. */
#include "q_evhist.h"
#include "q.h"
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

typedef struct ev_row {
	int64_t id;
	const char *action, *at;
	json_t *before, *after;   /* owned */
} ev_row;

/* Drops (and frees) the rows of evidence whose delete row names another
 * assessment: an evidence belongs to one assessment all its life. */
static void drop_other_assessments(arena *a, ev_row *rows, size_t *n, int64_t assessment_id)
{
	bool *drop = arena_alloc(a, (*n ? *n : 1) * sizeof *drop);
	for (size_t i = 0; i < *n; i++) {
		drop[i] = false;
		for (size_t k = 0; k < *n && !drop[i]; k++)
			drop[i] = rows[k].id == rows[i].id && strcmp(rows[k].action, "evidence.delete") == 0 &&
			          json_integer_value(json_object_get(rows[k].before, "assessment_id")) != assessment_id;
	}
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		if (!drop[i]) {
			rows[kept++] = rows[i];
			continue;
		}
		json_decref(rows[i].before);
		json_decref(rows[i].after);
	}
	*n = kept;
}

/* The evidence audit rows of the window: of evidence the assessment holds
 * now, and every row of evidence deleted in the window (its add too, so an
 * evidence added and deleted inside the window is seen as both), kept when
 * its delete row names this assessment. */
static int rows_of(db *d, int64_t assessment_id, const char *from, const char *to, arena *a,
                   ev_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT object_id, action, at, before_json, after_json FROM audit_log"
		" WHERE object_type = 'evidence' AND at > ? AND at <= ?"
		" AND (object_id IN (SELECT id FROM evidence WHERE assessment_id = ?)"
		"  OR object_id IN (SELECT object_id FROM audit_log WHERE object_type = 'evidence'"
		"   AND action = 'evidence.delete' AND at > ? AND at <= ?))"
		" ORDER BY seq");
	if (!s) return db_errcode(d);
	db_bindf(s, "ttitt", from, to, assessment_id, from, to);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *bj = db_col_text(s, 3), *aj = db_col_text(s, 4);
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		ev_row *r = &(*out)[(*n)++];
		r->id = db_col_int64(s, 0);
		r->action = db_col_dup(s, 1, a);
		r->at = db_col_dup(s, 2, a);
		r->before = bj ? json_loads(bj, 0, NULL) : NULL;
		r->after = aj ? json_loads(aj, 0, NULL) : NULL;
	}
	db_finish(s);
	drop_other_assessments(a, *out, n, assessment_id);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The evidence's criteria, code and title as known now or from its rows. */
typedef struct ev_info {
	const char *code, *title;
	const char **items;
	size_t nitems;
} ev_info;

static void info_from_json(arena *a, json_t *j, ev_info *o)
{
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "code"))) return;
	o->code = arena_strdup(a, json_string_value(json_object_get(j, "code")));
	o->title = arena_strdup(a, json_string_value(json_object_get(j, "title")) ? json_string_value(json_object_get(j, "title")) : "");
	json_t *its = json_object_get(j, "items");
	o->nitems = json_array_size(its);
	o->items = arena_alloc(a, (o->nitems + 1) * sizeof *o->items);
	for (size_t i = 0; i < o->nitems; i++) o->items[i] = arena_strdup(a, json_string_value(json_array_get(its, i)) ? json_string_value(json_array_get(its, i)) : "");
}

static int info_now(db *d, int64_t id, arena *a, ev_info *o)
{
	db_stmt *s = db_prepare(d, "SELECT e.code, e.title, c.item_code FROM evidence e"
		" LEFT JOIN evidence_criteria c ON c.evidence_id = e.id WHERE e.id = ? ORDER BY c.item_code");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		o->code = db_col_dup(s, 0, a);
		o->title = db_col_dup(s, 1, a);
		if (db_col_null(s, 2)) continue;
		q_grow(a, (void **)&o->items, &cap, o->nitems, sizeof *o->items);
		o->items[o->nitems++] = db_col_dup(s, 2, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static const char *jstr(json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));
	return v ? v : "";
}

/* What one row did to an existing evidence, NULL for add/copy/delete. */
static const char *change_text(arena *a, const ev_row *r)
{
	if (!strcmp(r->action, "evidence.file.add")) return arena_printf(a, "Thêm tệp: %s", jstr(r->after, "name"));
	if (!strcmp(r->action, "evidence.file.remove")) return arena_printf(a, "Gỡ tệp: %s", jstr(r->before, "name"));
	if (!strcmp(r->action, "evidence.link.add")) return arena_printf(a, "Thêm đường dẫn: %s", jstr(r->after, "url"));
	if (!strcmp(r->action, "evidence.update")) return "Sửa thông tin minh chứng";
	return NULL;
}

static void push(arena *a, evhist_change **out, size_t *n, size_t *cap, const char *item, evhist_kind kind,
                 int64_t id, const ev_info *info, const char *what, const char *at)
{
	q_grow(a, (void **)out, cap, *n, sizeof **out);
	(*out)[(*n)++] = (evhist_change){ item, kind, id, info->code ? info->code : "", info->title ? info->title : "", what, at };
}

int evhist_between(db *d, int64_t assessment_id, const char *from, const char *to, arena *a,
                   evhist_change **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	ev_row *rows;
	size_t nr;
	int rc = rows_of(d, assessment_id, from, to, a, &rows, &nr);
	size_t cap = 0;
	for (size_t i = 0; rc == DB_OK && i < nr; i++) {
		const ev_row *r = &rows[i];
		bool born = false, dies = false, seen = false;
		for (size_t k = 0; k < i; k++) seen |= rows[k].id == r->id;
		if (seen) continue;   /* each evidence once, at its first row */
		for (size_t k = i; k < nr; k++) {
			if (rows[k].id != r->id) continue;
			born |= !strcmp(rows[k].action, "evidence.add") || !strcmp(rows[k].action, "evidence.copy");
			dies |= !strcmp(rows[k].action, "evidence.delete");
		}
		if (born && dies) continue;
		ev_info info = { 0 };
		if (dies) {
			for (size_t k = i; k < nr; k++)
				if (rows[k].id == r->id && !strcmp(rows[k].action, "evidence.delete")) info_from_json(a, rows[k].before, &info);
		} else if ((rc = info_now(d, r->id, a, &info))) {
			break;
		}
		for (size_t t = 0; t < info.nitems; t++) {
			if (born) { push(a, out, n, &cap, info.items[t], EVHIST_ADDED, r->id, &info, NULL, r->at); continue; }
			if (dies) { push(a, out, n, &cap, info.items[t], EVHIST_REMOVED, r->id, &info, NULL, r->at); continue; }
			for (size_t k = i; k < nr; k++) {
				if (rows[k].id != r->id) continue;
				const char *what = change_text(a, &rows[k]);
				if (!strcmp(rows[k].action, "evidence.link_criterion") && !strcmp(jstr(rows[k].after, "item"), info.items[t]))
					push(a, out, n, &cap, info.items[t], EVHIST_ADDED, r->id, &info, NULL, rows[k].at);
				else if (what)
					push(a, out, n, &cap, info.items[t], EVHIST_CHANGED, r->id, &info, what, rows[k].at);
			}
		}
		/* unlinked from a criterion it no longer has */
		for (size_t k = i; !dies && k < nr; k++)
			if (rows[k].id == r->id && !strcmp(rows[k].action, "evidence.unlink_criterion"))
				push(a, out, n, &cap, arena_strdup(a, jstr(rows[k].before, "item")), EVHIST_REMOVED, r->id, &info, NULL, rows[k].at);
	}
	for (size_t i = 0; i < nr; i++) {
		json_decref(rows[i].before);
		json_decref(rows[i].after);
	}
	return rc;
}
