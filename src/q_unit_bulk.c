/* q_unit_bulk.c — batched unit writes for the importer (q_unit_bulk.h).
 * Multi-row statements of CHUNK rows: both engines take them as one
 * prepared statement (cached per row count), so a chunk is one round trip.
 * On PostgreSQL new units and relations go in one COPY each instead
 * (db_copy_begin): the rows stream while the server inserts, and the new
 * units' ids are taken from the table's identity beforehand. */
#include "q_unit_bulk.h"
#include "audit.h"
#include "buf.h"
#include "q.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 250 };

static size_t chunk_len(size_t n, size_t i)
{
	return n - i < CHUNK ? n - i : CHUNK;
}

/* head + rows copies of `tuple` separated by ", " + tail; malloc'd. */
static char *multi_sql(const char *head, const char *tuple, size_t rows, const char *tail)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, head);
	for (size_t i = 0; i < rows; i++) {
		if (i) buf_puts(&b, ", ");
		buf_puts(&b, tuple);
	}
	buf_puts(&b, tail);
	return buf_take(&b);
}

/* An audit payload as the text audit_append_many takes; malloc'd. */
static char *json_text(json_t *j)
{
	char *s = audit_json_dump(j);
	json_decref(j);
	return s;
}

/* One bulk write: its rows in chunks of CHUNK, then one audit row per
 * row, in one write transaction. */
typedef struct bulk bulk;
struct bulk {
	int (*chunk)(db *d, const bulk *b, size_t i, size_t k, const char *now);
	int (*copy)(db *d, const bulk *b, size_t n, const char *now);   /* all rows; NULL: chunks */
	audit_item (*item)(const bulk *b, size_t i);
	int64_t actor;
	const unit *units, *old;
	const unit_relation *rels;
	const char *from;
	int64_t *ids;
};

/* Audits n items whose JSON texts are malloc'd, then frees the texts. */
static int audit_and_free(db *d, audit_item *items, size_t n)
{
	int rc = audit_append_many(d, items, n);
	for (size_t i = 0; i < n; i++) {
		free((char *)items[i].before_json);
		free((char *)items[i].after_json);
	}
	return rc;
}

static int bulk_run(db *d, const bulk *b, size_t n)
{
	int rc = db_begin_write(d);
	if (rc) return rc;
	char now[21];
	db_now(now);
	if (b->copy && db_has_copy(d)) {
		rc = b->copy(d, b, n, now);
	} else {
		for (size_t i = 0; i < n && rc == DB_OK; i += CHUNK)
			rc = b->chunk(d, b, i, chunk_len(n, i), now);
	}
	audit_item *items = xcalloc(n, sizeof *items);
	for (size_t i = 0; i < n && rc == DB_OK; i++) items[i] = b->item(b, i);
	if (rc == DB_OK) rc = audit_and_free(d, items, n);
	free(items);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int unit_bulk_all(db *d, arena *a, unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, code, name, type, address, levels, is_public FROM units");
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		unit *u = &(*out)[(*n)++];
		u->id = db_col_int64(s, 0);
		u->code = db_col_dup(s, 1, a);
		u->name = db_col_dup(s, 2, a);
		u->type = db_col_dup(s, 3, a);
		u->address = db_col_dup(s, 4, a);
		u->levels = db_col_dup(s, 5, a);
		u->is_public = db_col_int64(s, 6) != 0;
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* A unit's stored fields from parameter p on, in the column order of
 * both chunks (name, name_fold, type, is_public, address, levels); the
 * next parameter. */
static int bind_unit_fields(db_stmt *s, int p, const unit *u, const char *fold)
{
	db_bind_text(s, p++, u->name);
	db_bind_text(s, p++, fold);
	db_bind_text(s, p++, u->type);
	db_bind_int64(s, p++, u->is_public);
	db_bind_text(s, p++, u->address);
	db_bind_text(s, p++, u->levels);
	return p;
}

/* Inserts u[0..k), reading the new ids back by code. */
static int create_chunk(db *d, const unit *u, size_t k, const char *now, int64_t *ids)
{
	char *sql = multi_sql("INSERT INTO units (code, name, name_fold, type, is_public, address, levels,"
		" created_at, updated_at) VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?, ?)", k, " RETURNING id, code");
	db_stmt *s = db_prepare(d, sql);
	free(sql);
	if (!s) return db_errcode(d);
	char **folds = xcalloc(k, sizeof *folds);
	int p = 1;
	for (size_t i = 0; i < k; i++) {
		folds[i] = unit_fold(u[i].name);
		db_bind_text(s, p++, u[i].code);
		p = bind_unit_fields(s, p, &u[i], folds[i]);
		db_bind_text(s, p++, now);
		db_bind_text(s, p++, now);
	}
	int rc;
	size_t next = 0, got = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *code = db_col_text(s, 1);
		/* Rows come back in VALUES order on both engines; search if not. */
		size_t j = next < k && !strcmp(u[next].code, code) ? next : 0;
		while (j < k && strcmp(u[j].code, code) != 0) j++;
		if (j < k) {
			ids[j] = db_col_int64(s, 0);
			got++;
		}
		next = j + 1;
	}
	db_finish(s);
	for (size_t i = 0; i < k; i++) free(folds[i]);
	free(folds);
	if (rc != DB_DONE) return rc;
	return got == k ? DB_OK : db_fail(d, DB_ERROR, "Không đọc lại được mã của đơn vị mới");
}

static int create_rows(db *d, const bulk *b, size_t i, size_t k, const char *now)
{
	return create_chunk(d, b->units + i, k, now, b->ids + i);
}

/* PostgreSQL: n new ids of units, in order, from the table's identity. */
static int reserve_ids(db *d, size_t n, int64_t *ids)
{
	db_stmt *s = db_prepare(d, "SELECT nextval(pg_get_serial_sequence('units', 'id'))"
		" FROM generate_series(1, CAST(? AS BIGINT))");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, (int64_t)n);
	size_t got = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		if (got < n) ids[got++] = db_col_int64(s, 0);
	db_finish(s);
	if (rc != DB_DONE) return rc;
	return got == n ? DB_OK : db_fail(d, DB_ERROR, "Không cấp được mã cho đơn vị mới");
}

/* Every new unit in one COPY, with the ids reserved first. */
static int create_copy(db *d, const bulk *b, size_t n, const char *now)
{
	int rc = reserve_ids(d, n, b->ids);
	if (rc) return rc;
	db_copy *c = db_copy_begin(d, "COPY units (id, code, name, name_fold, type, is_public, address, levels,"
		" created_at, updated_at) FROM STDIN");
	if (!c) return db_errcode(d);
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const unit *u = &b->units[i];
		char *fold = unit_fold(u->name);
		db_copy_int64(c, b->ids[i]);
		db_copy_text(c, u->code);
		db_copy_text(c, u->name);
		db_copy_text(c, fold);
		db_copy_text(c, u->type);
		db_copy_int64(c, u->is_public);
		db_copy_text(c, u->address);
		db_copy_text(c, u->levels);
		db_copy_text(c, now);
		db_copy_text(c, now);
		rc = db_copy_row(c);
		free(fold);
	}
	int end = db_copy_end(c);
	return rc != DB_OK ? rc : end;
}

static audit_item create_item(const bulk *b, size_t i)
{
	return (audit_item){ b->actor, "unit.create", "unit", b->ids[i], NULL, json_text(unit_audit_json(&b->units[i])) };
}

int unit_bulk_create(db *d, int64_t actor, const unit *u, size_t n, int64_t *ids)
{
	if (n == 0) return DB_OK;
	bulk b = { .chunk = create_rows, .copy = create_copy, .item = create_item, .actor = actor, .units = u, .ids = ids };
	return bulk_run(d, &b, n);
}

static int update_chunk(db *d, const unit *now_u, size_t k, const char *now)
{
	char *sql = multi_sql("UPDATE units SET name = v.column2, name_fold = v.column3, type = v.column4,"
		" is_public = v.column5, address = v.column6, levels = v.column7, updated_at = v.column8"
		" FROM (VALUES ", "(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
		" CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))", k,
		") AS v WHERE units.id = v.column1");
	db_stmt *s = db_prepare(d, sql);
	free(sql);
	if (!s) return db_errcode(d);
	char **folds = xcalloc(k, sizeof *folds);
	int p = 1;
	for (size_t i = 0; i < k; i++) {
		folds[i] = unit_fold(now_u[i].name);
		db_bind_int64(s, p++, now_u[i].id);
		p = bind_unit_fields(s, p, &now_u[i], folds[i]);
		db_bind_text(s, p++, now);
	}
	int rc = db_step(s);
	db_finish(s);
	for (size_t i = 0; i < k; i++) free(folds[i]);
	free(folds);
	return rc == DB_DONE ? DB_OK : rc;
}

static int update_rows(db *d, const bulk *b, size_t i, size_t k, const char *now)
{
	return update_chunk(d, b->units + i, k, now);
}

static audit_item update_item(const bulk *b, size_t i)
{
	return (audit_item){ b->actor, "unit.update", "unit", b->old[i].id, json_text(unit_audit_json(&b->old[i])),
		json_text(unit_audit_json(&b->units[i])) };
}

int unit_bulk_update(db *d, int64_t actor, const unit *old, const unit *now_u, size_t n)
{
	if (n == 0) return DB_OK;
	unit *rows = xcalloc(n, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		rows[i] = now_u[i];
		rows[i].id = old[i].id;
	}
	bulk b = { .chunk = update_rows, .item = update_item, .actor = actor, .units = rows, .old = old };
	int rc = bulk_run(d, &b, n);
	free(rows);
	return rc;
}

int unit_bulk_touching(db *d, const char *date, arena *a, unit_relation **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'",
		date ? date : "");
	db_stmt *s = db_prepare(d, "SELECT id, unit_id, kind, other_unit_id, valid_from, valid_to"
		" FROM unit_relations WHERE valid_to IS NULL OR valid_to > ?");
	if (!s) return db_errcode(d);
	db_bind_text(s, 1, date);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		unit_relation_read_row(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static int relate_rows(db *d, const bulk *b, size_t i, size_t k, const char *now)
{
	(void)now;
	return unit_relation_insert(d, b->rels + i, k, b->from);
}

/* Every new relation in one COPY. */
static int relate_copy(db *d, const bulk *b, size_t n, const char *now)
{
	(void)now;
	db_copy *c = db_copy_begin(d, "COPY unit_relations (unit_id, kind, other_unit_id, valid_from) FROM STDIN");
	if (!c) return db_errcode(d);
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const unit_relation *r = &b->rels[i];
		db_copy_int64(c, r->unit_id);
		db_copy_text(c, unit_rel_code(r->kind));
		db_copy_int64(c, r->other_unit_id);
		db_copy_text(c, b->from);
		rc = db_copy_row(c);
	}
	int end = db_copy_end(c);
	return rc != DB_OK ? rc : end;
}

static audit_item relate_item(const bulk *b, size_t i)
{
	const unit_relation *r = &b->rels[i];
	return (audit_item){ b->actor, "unit.relate", "unit", r->unit_id, NULL,
		json_text(unit_relation_audit_json(r->unit_id, r->kind, r->other_unit_id, b->from, NULL)) };
}

int unit_bulk_relate_new(db *d, int64_t actor, const unit_relation *r, size_t n, const char *from)
{
	if (n == 0) return DB_OK;
	int rc = q_date(d, "Ngày hiệu lực", from, true);
	if (rc) return rc;
	bulk b = { .chunk = relate_rows, .copy = relate_copy, .item = relate_item, .actor = actor, .rels = r, .from = from };
	return bulk_run(d, &b, n);
}
