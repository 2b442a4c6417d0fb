/* q_unit.c — units and their dated parent/evaluator relations (q_unit.h).
 * SQL for units and unit_relations lives here and nowhere else. */
#include "q_unit.h"
#include "q_round_agg.h"
#include "audit.h"
#include "buf.h"
#include "q.h"
#include "q_unit_bulk.h"
#include "util.h"
#include "vn.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_types[] = {
	"bo", "ubnd_tinh", "so", "phong", "ubnd_xa",
	"mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx",
};
/* The school levels a liên cấp unit can combine. */
static const char *const school_levels[] = { "mam_non", "tieu_hoc", "thcs", "thpt" };

bool unit_type_valid(const char *type)
{
	for (size_t i = 0; type && i < ARRAY_LEN(unit_types); i++)
		if (!strcmp(type, unit_types[i])) return true;
	return false;
}

bool unit_type_is_office(const char *type)
{
	return type && (!strcmp(type, "bo") || !strcmp(type, "so") || !strcmp(type, "phong") ||
		!strcmp(type, "ubnd_xa") || !strcmp(type, "ubnd_tinh"));
}

const char *unit_rel_code(unit_rel k)
{
	return k == UNIT_PARENT ? "parent" : "evaluator";
}

char *unit_fold(const char *s)
{
	/* vn_fold owns the Vietnamese folding (tone marks, đ → d); names also
	 * get their white space collapsed so "THCS  Đông Hà" finds "THCS Đông Hà". */
	char *f = vn_fold(s ? s : "");
	if (!f) return xstrdup("");
	char *o = f;
	bool space = true;
	for (const char *p = f; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			if (!space) *o++ = ' ';
			space = true;
		} else {
			*o++ = *p;
			space = false;
		}
	}
	if (o > f && o[-1] == ' ') o--;
	*o = '\0';
	return f;
}

static bool code_valid(const char *c)
{
	size_t n = strlen(c);
	if (n == 0 || n > 40) return false;
	for (; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      *c == '.' || *c == '-' || *c == '_'))
			return false;
	return true;
}

/* "tieu_hoc,thcs": at least two known levels, no repeats. */
static bool levels_valid(const char *lv)
{
	unsigned seen = 0;
	int count = 0;
	const char *p = lv;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		size_t k;
		for (k = 0; k < ARRAY_LEN(school_levels); k++)
			if (strlen(school_levels[k]) == len && !strncmp(p, school_levels[k], len)) break;
		if (k == ARRAY_LEN(school_levels) || (seen & (1u << k))) return false;
		seen |= 1u << k;
		count++;
		p += len;
		if (*p == ',') p++;
	}
	return count >= 2;
}

json_t *unit_audit_json(const unit *u)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "code", u->code, "name", u->name,
		"type", u->type, "address", q_json_str(u->address), "levels", q_json_str(u->levels),
		"is_public", u->is_public);
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

#define UNIT_COLUMNS "id, code, name, type, address, levels, is_public"

static void read_unit(db_stmt *s, arena *a, unit *u)
{
	u->id = db_col_int64(s, 0);
	u->code = db_col_dup(s, 1, a);
	u->name = db_col_dup(s, 2, a);
	u->type = db_col_dup(s, 3, a);
	u->address = db_col_dup(s, 4, a);
	u->levels = db_col_dup(s, 5, a);
	u->is_public = db_col_int64(s, 6) != 0;
}

void unit_read_row(db_stmt *s, arena *a, unit *out)
{
	read_unit(s, a, out);
}

static int get_one(db *d, const char *sql, const char *fmt, const void *key, arena *a, unit *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, sql);
	if (!s) return db_errcode(d);
	if (fmt[0] == 'i') db_bind_int64(s, 1, *(const int64_t *)key);
	else db_bind_text(s, 1, key);
	int rc = db_step(s);
	if (rc == DB_ROW) read_unit(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy đơn vị");
	return rc;
}

int unit_get(db *d, int64_t id, arena *a, unit *out)
{
	return get_one(d, "SELECT " UNIT_COLUMNS " FROM units WHERE id = ?", "i", &id, a, out);
}

int unit_find_code(db *d, const char *code, arena *a, unit *out)
{
	return get_one(d, "SELECT " UNIT_COLUMNS " FROM units WHERE code = ?", "t", code, a, out);
}

int unit_save(db *d, int64_t actor, const unit *in, int64_t *id_out, unit_change *change)
{
	char *fold = NULL;
	arena *a = arena_new();
	int rc;
	if (id_out) *id_out = 0;
	if (change) *change = UNIT_UNCHANGED;
	unit clean;
	if ((rc = unit_clean(d, in, a, &clean))) goto out;
	const char *code = clean.code, *name = clean.name, *address = clean.address, *levels = clean.levels;
	fold = unit_fold(name);

	if ((rc = db_begin_write(d))) goto out;
	unit old;
	rc = unit_find_code(d, code, a, &old);
	char now[21];
	db_now(now);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		int64_t id = 0;
		rc = db_query_int64(d, &id,
			"INSERT INTO units (code, name, name_fold, type, is_public, address, levels,"
			" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"ttttitttt", code, name, fold, in->type, (int64_t)in->is_public, address,
			levels, now, now);
		if (rc == DB_OK) rc = audit_record(d, actor, "unit.create", "unit", id, NULL,
			unit_audit_json(&clean));
		if (rc == DB_OK && id_out) *id_out = id;
		if (rc == DB_OK && change) *change = UNIT_CREATED;
	} else if (rc == DB_OK) {
		if (id_out) *id_out = old.id;
		if (same_text(old.name, name) && same_text(old.type, in->type) &&
		    same_text(old.address, address) && same_text(old.levels, levels) &&
		    old.is_public == in->is_public) {
			rc = db_commit(d);
			goto out;
		}
		rc = db_execf(d, "UPDATE units SET name = ?, name_fold = ?, type = ?, is_public = ?,"
			" address = ?, levels = ?, updated_at = ? WHERE id = ?", "tttittti",
			name, fold, in->type, (int64_t)in->is_public, address, levels, now, old.id);
		if (rc == DB_OK) rc = audit_record(d, actor, "unit.update", "unit", old.id,
			unit_audit_json(&old), unit_audit_json(&clean));
		/* another type moves the unit's assessments between the round
		 * summary's cells: those rounds are counted again (round_agg.h) */
		if (rc == DB_OK && !same_text(old.type, in->type)) rc = agg_unit_changed(d, old.id);
		if (rc == DB_OK && change) *change = UNIT_UPDATED;
	}
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	free(fold);
	arena_free(a);
	return rc;
}

int unit_search(db *d, const char *text, const char *type, int limit, arena *a,
                unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char *fold = unit_fold(text);
	/* LIKE wildcards in the user's text are matched literally. */
	size_t fl = strlen(fold);
	char *pat = xmalloc(fl * 2 + 3), *p = pat;
	*p++ = '%';
	for (const char *f = fold; *f; f++) {
		if (*f == '%' || *f == '_' || *f == '\\') *p++ = '\\';
		*p++ = *f;
	}
	*p++ = '%';
	*p = '\0';
	free(fold);
	db_stmt *s = db_prepare(d, "SELECT " UNIT_COLUMNS " FROM units"
		" WHERE name_fold LIKE ? ESCAPE '\\' AND (CAST(? AS TEXT) IS NULL OR type = ?)"
		" ORDER BY code LIMIT ?");
	if (!s) {
		free(pat);
		return db_errcode(d);
	}
	db_bindf(s, "ttti", pat, type, type, (int64_t)(limit > 0 ? limit : 50));
	free(pat);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_unit(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int unit_update(db *d, int64_t actor, int64_t id, const unit *in)
{
	char *code = NULL, *name = NULL, *fold = NULL;
	arena *a = arena_new();
	int rc;
	if ((rc = q_text(d, "Mã đơn vị", in->code, true, 40, false, &code))) goto out;
	if (!code_valid(code)) {
		rc = db_fail(d, DB_EINVAL, "Mã đơn vị '%s' chỉ được gồm chữ cái không dấu, chữ số, "
			"dấu chấm, gạch ngang, gạch dưới", code);
		goto out;
	}
	if ((rc = db_begin_write(d))) goto out;
	unit old, other;
	if ((rc = unit_get(d, id, a, &old))) goto fail;
	rc = unit_find_code(d, code, a, &other);
	if (rc == DB_OK && other.id != id) {
		rc = db_fail(d, DB_ECONSTRAINT, "Mã đơn vị '%s' đã dùng cho %s", code, other.name);
		goto fail;
	}
	if (rc != DB_OK && rc != DB_ENOTFOUND) goto fail;
	db_clear_error(d);
	if (!old.code || strcmp(old.code, code) != 0) {
		char now[21];
		db_now(now);
		if ((rc = db_execf(d, "UPDATE units SET code = ?, updated_at = ? WHERE id = ?", "tti", code,
			now, id))) goto fail;
		/* the round summary's lists order by it (round_agg.h) */
		if ((rc = agg_unit_recoded(d, id, code))) goto fail;
		if ((rc = audit_record(d, actor, "unit.code", "unit", id, json_pack("{s:s}", "code", old.code),
			json_pack("{s:s}", "code", code)))) goto fail;
	}
	/* the rest through unit_save, now keyed by the (new) code */
	unit u = *in;
	u.code = code;
	if ((rc = unit_save(d, actor, &u, NULL, NULL))) goto fail;
	rc = db_commit(d);
	goto out;
fail:
	db_rollback(d);
out:
	free(code);
	free(name);
	free(fold);
	arena_free(a);
	return rc;
}

bool unit_chain_has_cycle(int64_t unit_id, const int64_t *other_chain, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (other_chain[i] == unit_id) return true;
	return false;
}

int unit_list(db *d, const unit_filter *f, arena *a, unit_list_row **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	if (!db_date_valid(f->date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		f->date ? f->date : "");
	char *fold = unit_fold(f->text);
	size_t fl = strlen(fold);
	char *pat = xmalloc(fl * 2 + 3), *p = pat;
	*p++ = '%';
	for (const char *c = fold; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\') *p++ = '\\';
		*p++ = *c;
	}
	*p++ = '%';
	*p = '\0';
	free(fold);
	const char *type = f->type && *f->type ? f->type : NULL;
	/* The office's subtree on the date (for an office administrator), the
	 * current managing and evaluating units, one page, and the count of
	 * all matches in the same statement (COUNT(*) OVER ()). */
	db_stmt *s = db_prepare(d,
		"WITH RECURSIVE down(id) AS ("
		" SELECT CAST(? AS BIGINT)"
		" UNION"
		" SELECT r.unit_id FROM unit_relations r JOIN down ON r.other_unit_id = down.id"
		" WHERE r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?))"
		" SELECT u.id, u.code, u.name, u.type, u.address, u.levels, u.is_public,"
		" p.other_unit_id, pu.name, e.other_unit_id, eu.name, COUNT(*) OVER (),"
		" CASE WHEN p.other_unit_id IS NULL AND e.other_unit_id IS NULL AND NOT EXISTS (SELECT 1 FROM unit_relations y"
		"  WHERE y.unit_id = u.id AND (y.valid_to IS NULL OR y.valid_to > ?))"
		" THEN (SELECT MAX(x.valid_to) FROM unit_relations x WHERE x.unit_id = u.id) END"
		" FROM units u"
		" LEFT JOIN unit_relations p ON p.unit_id = u.id AND p.kind = 'parent' AND p.valid_from <= ?"
		"  AND (p.valid_to IS NULL OR p.valid_to > ?)"
		" LEFT JOIN units pu ON pu.id = p.other_unit_id"
		" LEFT JOIN unit_relations e ON e.unit_id = u.id AND e.kind = 'evaluator' AND e.valid_from <= ?"
		"  AND (e.valid_to IS NULL OR e.valid_to > ?)"
		" LEFT JOIN units eu ON eu.id = e.other_unit_id"
		" WHERE (CAST(? AS BIGINT) = 0 OR u.id IN (SELECT id FROM down))"
		" AND (u.name_fold LIKE ? ESCAPE '\\' OR u.code LIKE ? ESCAPE '\\')"
		" AND (CAST(? AS TEXT) IS NULL OR u.type = ?)"
		" AND (CAST(? AS BIGINT) = 0 OR p.other_unit_id = ?)"
		" AND (CAST(? AS BIGINT) = 1 OR p.other_unit_id IS NOT NULL OR e.other_unit_id IS NOT NULL"
		"  OR NOT EXISTS (SELECT 1 FROM unit_relations z WHERE z.unit_id = u.id)"
		"  OR EXISTS (SELECT 1 FROM unit_relations z WHERE z.unit_id = u.id AND (z.valid_to IS NULL OR z.valid_to > ?)))"
		" ORDER BY u.code LIMIT ? OFFSET ?");
	if (!s) {
		free(pat);
		return db_errcode(d);
	}
	db_bindf(s, "ittt" "tttti" "tt" "tt" "ii" "it" "ii", f->scope_office, f->date, f->date, f->date,
		f->date, f->date, f->date, f->date, f->scope_office, pat, pat, type, type, f->parent_id, f->parent_id,
		(int64_t)(f->with_dissolved ? 1 : 0), f->date,
		(int64_t)(f->limit > 0 ? f->limit : 50), (int64_t)f->offset);
	free(pat);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		unit_list_row *r = &(*out)[(*n)++];
		read_unit(s, a, &r->u);
		r->parent_id = db_col_int64(s, 7);
		r->parent_name = db_col_dup(s, 8, a);
		r->evaluator_id = db_col_int64(s, 9);
		r->evaluator_name = db_col_dup(s, 10, a);
		*total = db_col_int64(s, 11);
		r->dissolved_on = db_col_dup(s, 12, a);
	}
	db_finish(s);
	if (rc == DB_DONE && *n == 0 && f->offset > 0) {
		/* a page past the end: the count still matters to the pager */
		unit_filter g = *f;
		g.offset = 0;
		g.limit = 1;
		unit_list_row *one;
		size_t k;
		return unit_list(d, &g, a, &one, &k, total);
	}
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- relations ------------------------------------------------------- */

static const char rel_on_sql[] =
	"SELECT other_unit_id FROM unit_relations WHERE unit_id = ? AND kind = ?"
	" AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)";

int unit_related_on(db *d, int64_t unit_id, unit_rel kind, const char *date, int64_t *other)
{
	*other = 0;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		date ? date : "");
	int rc = db_query_int64(d, other, rel_on_sql, "ittt", unit_id, unit_rel_code(kind),
		date, date);
	if (rc == DB_ENOTFOUND) db_fail(d, rc, "Đơn vị không có %s vào ngày %s",
		kind == UNIT_PARENT ? "đơn vị quản lý" : "đơn vị đánh giá", date);
	return rc;
}

/* The chains in one statement (issue 19: the assessment view walked them
 * one round trip per level). Bộ → Sở → Phòng → school is four levels; 32
 * is a guard, and a cycle (possible through bad data in the evaluator
 * chain) stops the walk where the step-by-step walk stopped: at the unit
 * itself or at a unit already in the chain. */
typedef struct chain_out {
	int64_t *ids;
	size_t n, cap;
	int64_t depth;
	bool done;
} chain_out;

static void chain_add(chain_out *c, int64_t unit_id, int64_t next, int64_t at, arena *a)
{
	/* one relation per level on a date; the first, as unit_related_on */
	if (c->done || at == c->depth) return;
	c->depth = at;
	if (next == unit_id) { c->done = true; return; }
	for (size_t i = 0; i < c->n && !c->done; i++) c->done = c->ids[i] == next;
	if (c->done) return;
	q_grow(a, (void **)&c->ids, &c->cap, c->n, sizeof *c->ids);
	c->ids[c->n++] = next;
}

int unit_chains_on(db *d, int64_t unit_id, const char *date, arena *a, int64_t **parents, size_t *np,
                   int64_t **evaluators, size_t *ne)
{
	*parents = *evaluators = NULL;
	*np = *ne = 0;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		date ? date : "");
	db_stmt *s = db_prepare(d,
		"WITH RECURSIVE up(k, id, depth) AS ("
		" SELECT 0, CAST(? AS BIGINT), 0"
		" UNION ALL SELECT 1, CAST(? AS BIGINT), 0"
		" UNION ALL"
		" SELECT up.k, r.other_unit_id, up.depth + 1 FROM up JOIN unit_relations r ON r.unit_id = up.id"
		" WHERE up.depth < 32 AND r.kind = CASE up.k WHEN 0 THEN ? ELSE ? END"
		" AND r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?))"
		" SELECT k, id, depth FROM up WHERE depth > 0 ORDER BY k, depth");
	if (!s) return db_errcode(d);
	db_bindf(s, "iitttt", unit_id, unit_id, unit_rel_code(UNIT_PARENT), unit_rel_code(UNIT_EVALUATOR), date, date);
	chain_out c[2] = { { 0 }, { 0 } };
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		chain_add(&c[db_col_int64(s, 0) ? 1 : 0], unit_id, db_col_int64(s, 1), db_col_int64(s, 2), a);
	db_finish(s);
	if (rc != DB_DONE) return rc;
	*parents = c[0].ids;
	*np = c[0].n;
	*evaluators = c[1].ids;
	*ne = c[1].n;
	return DB_OK;
}

int unit_chain_on(db *d, int64_t unit_id, unit_rel kind, const char *date, arena *a,
                  int64_t **ids, size_t *n)
{
	int64_t *other;
	size_t nother;
	return kind == UNIT_PARENT ? unit_chains_on(d, unit_id, date, a, ids, n, &other, &nother)
	                           : unit_chains_on(d, unit_id, date, a, &other, &nother, ids, n);
}

int unit_dependents_on(db *d, int64_t other_id, unit_rel kind, const char *date, arena *a,
                       unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		date ? date : "");
	db_stmt *s = db_prepare(d, "SELECT u.id, u.code, u.name, u.type, u.address, u.levels,"
		" u.is_public FROM unit_relations r JOIN units u ON u.id = r.unit_id"
		" WHERE r.other_unit_id = ? AND r.kind = ? AND r.valid_from <= ?"
		" AND (r.valid_to IS NULL OR r.valid_to > ?) ORDER BY u.code");
	if (!s) return db_errcode(d);
	db_bindf(s, "ittt", other_id, unit_rel_code(kind), date, date);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_unit(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

void unit_relation_read_row(db_stmt *s, arena *a, unit_relation *r)
{
	r->id = db_col_int64(s, 0);
	r->unit_id = db_col_int64(s, 1);
	r->kind = strcmp(db_col_text(s, 2), "parent") ? UNIT_EVALUATOR : UNIT_PARENT;
	r->other_unit_id = db_col_int64(s, 3);
	r->valid_from = db_col_dup(s, 4, a);
	r->valid_to = db_col_dup(s, 5, a);
}

int unit_relations(db *d, int64_t unit_id, arena *a, unit_relation **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, unit_id, kind, other_unit_id, valid_from, valid_to"
		" FROM unit_relations WHERE unit_id = ? ORDER BY valid_from, id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, unit_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		unit_relation_read_row(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

json_t *unit_relation_audit_json(int64_t unit_id, unit_rel kind, int64_t other, const char *from,
                                 const char *to)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:o}", "unit_id", (json_int_t)unit_id,
		"kind", unit_rel_code(kind), "other_unit_id", (json_int_t)other, "valid_from", from,
		"valid_to", q_json_str(to));
}

/* Loads the relation of (unit, kind) that holds on `date` or starts after
 * it: the rows a change on `date` would touch. */
typedef struct open_rel {
	int64_t id, other;
	char from[11];
	char to[11];     /* "" = open */
} open_rel;

static int rel_touching(db *d, int64_t unit_id, unit_rel kind, const char *date,
                        open_rel *cur, bool *has_cur, char later[11])
{
	*has_cur = false;
	later[0] = '\0';
	db_stmt *s = db_prepare(d, "SELECT id, other_unit_id, valid_from, valid_to"
		" FROM unit_relations WHERE unit_id = ? AND kind = ?"
		" AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from");
	if (!s) return db_errcode(d);
	db_bindf(s, "itt", unit_id, unit_rel_code(kind), date);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *from = db_col_text(s, 2);
		if (strcmp(from, date) > 0) {
			if (!later[0]) snprintf(later, 11, "%s", from);
			continue;
		}
		*has_cur = true;
		cur->id = db_col_int64(s, 0);
		cur->other = db_col_int64(s, 1);
		snprintf(cur->from, sizeof cur->from, "%s", from);
		const char *to = db_col_text(s, 3);
		snprintf(cur->to, sizeof cur->to, "%s", to ? to : "");
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int unit_relation_insert(db *d, const unit_relation *r, size_t k, const char *from)
{
	buf sql;
	buf_init(&sql);
	buf_puts(&sql, "INSERT INTO unit_relations (unit_id, kind, other_unit_id, valid_from) VALUES ");
	for (size_t i = 0; i < k; i++) buf_puts(&sql, i ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)");
	db_stmt *s = db_prepare(d, buf_str(&sql));
	buf_free(&sql);
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < k; i++) {
		db_bind_int64(s, p++, r[i].unit_id);
		db_bind_text(s, p++, unit_rel_code(r[i].kind));
		db_bind_int64(s, p++, r[i].other_unit_id);
		db_bind_text(s, p++, from);
	}
	int rc = db_step(s);
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int unit_relate(db *d, int64_t actor, int64_t unit_id, unit_rel kind, int64_t other_id,
                const char *from)
{
	int rc;
	if ((rc = q_date(d, "Ngày hiệu lực", from, true))) return rc;
	if (unit_id == other_id)
		return db_fail(d, DB_EINVAL, "Một đơn vị không thể quản lý hay đánh giá chính nó");
	arena *a = arena_new();
	if ((rc = db_begin_write(d))) goto out;
	unit u, o;
	if ((rc = unit_get(d, unit_id, a, &u)) || (rc = unit_get(d, other_id, a, &o))) goto fail;
	if (!unit_type_is_office(o.type)) {
		rc = db_fail(d, DB_EINVAL, "%s không phải cơ quan quản lý (Bộ, Sở, Phòng GD&ĐT, UBND xã): "
			"không thể làm đơn vị %s", o.name, kind == UNIT_PARENT ? "quản lý" : "đánh giá");
		goto fail;
	}
	{
		/* other must not already sit below unit on that date, in the same
		 * kind of chain: a Phòng cannot manage (or evaluate) the Sở above it. */
		int64_t *chain;
		size_t n;
		if ((rc = unit_chain_on(d, other_id, kind, from, a, &chain, &n))) goto fail;
		if (unit_chain_has_cycle(unit_id, chain, n)) {
			rc = db_fail(d, DB_EINVAL, "%s đang %s %s: không thể đặt làm đơn vị %s (vòng lặp)",
				o.name, kind == UNIT_PARENT ? "trực thuộc" : "được đánh giá bởi", u.name,
				kind == UNIT_PARENT ? "quản lý" : "đánh giá");
			goto fail;
		}
	}
	open_rel cur;
	bool has_cur;
	char later[11];
	if ((rc = rel_touching(d, unit_id, kind, from, &cur, &has_cur, later))) goto fail;
	if (later[0]) {
		rc = db_fail(d, DB_EINVAL, "Đã có thay đổi từ ngày %s: không thể ghi thay đổi sớm hơn "
			"(%s)", later, from);
		goto fail;
	}
	if (has_cur && cur.other == other_id) {   /* already so: nothing to do */
		rc = db_commit(d);
		goto out;
	}
	if (has_cur && !strcmp(cur.from, from)) {
		/* Same day: a correction of today's entry, not a change in time. */
		rc = db_execf(d, "UPDATE unit_relations SET other_unit_id = ? WHERE id = ?", "ii",
			other_id, cur.id);
		if (rc == DB_OK) rc = audit_record(d, actor, "unit.relation.correct", "unit", unit_id,
			unit_relation_audit_json(unit_id, kind, cur.other, cur.from, cur.to[0] ? cur.to : NULL),
			unit_relation_audit_json(unit_id, kind, other_id, cur.from, cur.to[0] ? cur.to : NULL));
		if (rc) goto fail;
		rc = db_commit(d);
		goto out;
	}
	if (has_cur) {
		rc = db_execf(d, "UPDATE unit_relations SET valid_to = ? WHERE id = ?", "ti", from,
			cur.id);
		if (rc) goto fail;
	}
	unit_relation row = { .unit_id = unit_id, .kind = kind, .other_unit_id = other_id };
	rc = unit_relation_insert(d, &row, 1, from);
	if (rc == DB_OK) rc = audit_record(d, actor, "unit.relate", "unit", unit_id,
		has_cur ? unit_relation_audit_json(unit_id, kind, cur.other, cur.from, NULL) : NULL,
		unit_relation_audit_json(unit_id, kind, other_id, from, NULL));
	if (rc) goto fail;
	rc = db_commit(d);
	goto out;
fail:
	db_rollback(d);
out:
	arena_free(a);
	return rc;
}

int unit_unrelate(db *d, int64_t actor, int64_t unit_id, unit_rel kind, const char *on)
{
	int rc;
	if ((rc = q_date(d, "Ngày kết thúc", on, true))) return rc;
	if ((rc = db_begin_write(d))) return rc;
	open_rel cur;
	bool has_cur;
	char later[11];
	if ((rc = rel_touching(d, unit_id, kind, on, &cur, &has_cur, later))) goto fail;
	if (later[0]) {
		rc = db_fail(d, DB_EINVAL, "Đã có thay đổi từ ngày %s", later);
		goto fail;
	}
	if (!has_cur || cur.to[0]) {
		rc = db_fail(d, DB_ENOTFOUND, "Không có quan hệ nào đang hiệu lực vào ngày %s", on);
		goto fail;
	}
	if (!strcmp(cur.from, on)) {
		rc = db_fail(d, DB_EINVAL, "Quan hệ bắt đầu đúng ngày %s: không thể kết thúc cùng ngày", on);
		goto fail;
	}
	rc = db_execf(d, "UPDATE unit_relations SET valid_to = ? WHERE id = ?", "ti", on, cur.id);
	if (rc == DB_OK) rc = audit_record(d, actor, "unit.unrelate", "unit", unit_id,
		unit_relation_audit_json(unit_id, kind, cur.other, cur.from, NULL),
		unit_relation_audit_json(unit_id, kind, cur.other, cur.from, on));
	if (rc) goto fail;
	return db_commit(d);
fail:
	db_rollback(d);
	return rc;
}

/* UNION (not UNION ALL) makes both engines stop at a cycle. */
int unit_in_scope(db *d, int64_t office, int64_t unit_id, const char *date, bool *yes)
{
	*yes = false;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		date ? date : "");
	int64_t n = 0;
	int rc = db_query_int64(d, &n,
		"WITH RECURSIVE up(id) AS ("
		" SELECT CAST(? AS BIGINT)"
		" UNION"
		" SELECT r.other_unit_id FROM unit_relations r JOIN up ON r.unit_id = up.id"
		" WHERE r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?))"
		" SELECT COUNT(*) FROM up WHERE id = ?", "itti", unit_id, date, date, office);
	*yes = rc == DB_OK && n > 0;
	return rc;
}

int unit_scope_list(db *d, int64_t office, const char *date, arena *a, int64_t **ids,
                    size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		date ? date : "");
	db_stmt *s = db_prepare(d,
		"WITH RECURSIVE down(id) AS ("
		" SELECT CAST(? AS BIGINT)"
		" UNION"
		" SELECT r.unit_id FROM unit_relations r JOIN down ON r.other_unit_id = down.id"
		" WHERE r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?))"
		" SELECT id FROM down WHERE id <> ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bindf(s, "itti", office, date, date, office);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)ids, &cap, *n, sizeof **ids);
		(*ids)[(*n)++] = db_col_int64(s, 0);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- unit lists uploaded on the administration page ------------------- */

int unit_import_file_save(db *d, int64_t actor, const char *file_name, const void *data, size_t len,
                          int64_t *id)
{
	*id = 0;
	char *name = NULL;
	if (q_text(d, "Tên tệp", file_name, false, 200, false, &name) != DB_OK) {
		db_clear_error(d);
		name = NULL;
	}
	unsigned char h[32];
	char hex[65], now[21];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	db_now(now);
	int rc = db_begin_write(d);
	if (rc == DB_OK) {
		db_stmt *s = db_prepare(d, "INSERT INTO unit_import_files (file_name, content, sha256,"
			" uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
		if (!s) rc = db_errcode(d);
		else {
			db_bindf(s, "tbtIt", name, data, len, hex, actor, now);
			rc = db_step(s);
			if (rc == DB_ROW) {
				*id = db_col_int64(s, 0);
				rc = DB_OK;
			}
			db_finish(s);
		}
		if (rc == DB_OK) rc = audit_record(d, actor, "unit.import.upload", "unit_import_file", *id, NULL,
			json_pack("{s:o, s:s, s:I}", "file_name", q_json_str(name), "sha256", hex,
				"bytes", (json_int_t)len));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	free(name);
	return rc;
}

int unit_import_file_get(db *d, int64_t id, arena *a, unit_import_file *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT id, file_name, content, uploaded_by, uploaded_at, imported_at"
		" FROM unit_import_files WHERE id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->id = db_col_int64(s, 0);
		out->file_name = db_col_dup(s, 1, a);
		size_t n = 0;
		const void *p = db_col_blob(s, 2, &n);
		void *copy = arena_alloc(a, n ? n : 1);
		if (n) memcpy(copy, p, n);
		out->data = copy;
		out->len = n;
		out->uploaded_by = db_col_int64(s, 3);
		out->uploaded_at = db_col_dup(s, 4, a);
		out->imported_at = db_col_dup(s, 5, a);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy tệp danh sách đơn vị đã tải lên");
	return rc;
}

int unit_import_file_done(db *d, int64_t id)
{
	char now[21];
	db_now(now);
	int rc = db_execf(d, "UPDATE unit_import_files SET imported_at = ? WHERE id = ? AND imported_at IS NULL",
		"ti", now, id);
	if (rc == DB_OK && db_changes(d) != 1)
		rc = db_fail(d, DB_ECONFLICT, "Tệp này đã được nhập");
	return rc;
}

int unit_clean(db *d, const unit *in, arena *a, unit *out)
{
	char *code = NULL, *name = NULL, *address = NULL, *levels = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = q_text(d, "Mã đơn vị", in->code, true, 40, false, &code))) goto out;
	if (!code_valid(code)) {
		rc = db_fail(d, DB_EINVAL, "Mã đơn vị '%s' chỉ được gồm chữ cái không dấu, chữ số, "
			"dấu chấm, gạch ngang, gạch dưới", code);
		goto out;
	}
	if ((rc = q_text(d, "Tên đơn vị", in->name, true, 300, false, &name))) goto out;
	if ((rc = q_text(d, "Địa chỉ", in->address, false, 500, false, &address))) goto out;
	if (!unit_type_valid(in->type)) {
		rc = db_fail(d, DB_EINVAL, "Loại đơn vị không hợp lệ: '%s'", in->type ? in->type : "");
		goto out;
	}
	if (!strcmp(in->type, "lien_cap")) {
		if ((rc = q_text(d, "Cấp học (liên cấp)", in->levels, true, 100, false, &levels))) goto out;
		if (!levels_valid(levels)) {
			rc = db_fail(d, DB_EINVAL, "Cấp học của trường liên cấp không hợp lệ: '%s' "
				"(ví dụ: tieu_hoc,thcs)", levels);
			goto out;
		}
	} else if (in->levels && *in->levels) {
		rc = db_fail(d, DB_EINVAL, "Chỉ trường liên cấp mới ghi cấp học");
		goto out;
	}
	*out = (unit){ in->id, arena_strdup(a, code), arena_strdup(a, name), arena_strdup(a, in->type),
		address ? arena_strdup(a, address) : NULL, levels ? arena_strdup(a, levels) : NULL,
		in->is_public };
out:
	free(code);
	free(name);
	free(address);
	free(levels);
	return rc;
}

/* Dissolved: the unit had relations and none holds on the date any more
 * (a Phòng after 1/7/2025, a merged province's former Sở). The day the
 * last one ended, or NULL. */
int unit_dissolved_on(db *d, int64_t unit_id, const char *date, arena *a, const char **on)
{
	*on = NULL;
	char *day = NULL;
	int rc = db_query_text(d, a, &day, "SELECT MAX(valid_to) FROM unit_relations WHERE unit_id = ?"
		" HAVING COUNT(*) > 0 AND SUM(CASE WHEN valid_to IS NULL OR valid_to > ? THEN 1 ELSE 0 END) = 0",
		"it", unit_id, date);
	if (rc == DB_ENOTFOUND) return DB_OK;
	if (rc == DB_OK) *on = day;
	return rc;
}
