/* q_register.c — the round's plan reference and the register of issued
 * documents (q_register.h). SQL for round_plans and document_register. */
#include "q_register.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

const char register_migration_sql[] =
	"CREATE TABLE round_plans ("
	" round_id BIGINT PRIMARY KEY REFERENCES rounds (id),"
	" number TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n"
	/* Sổ đăng ký văn bản đi: (issuer, year, seq) is the number; a document
	 * (type, object) of a year is registered once. */
	"CREATE TABLE document_register ("
	" id {ID},"
	" issuer_unit_id BIGINT NOT NULL REFERENCES units (id),"
	" year BIGINT NOT NULL,"
	" seq BIGINT NOT NULL CHECK (seq > 0),"
	" number TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" summary TEXT NOT NULL,"
	" signer TEXT,"
	" object_type TEXT NOT NULL CHECK (object_type IN ('assessment', 'round')),"
	" object_id BIGINT NOT NULL,"
	" registered_by BIGINT REFERENCES accounts (id),"
	" registered_at TEXT NOT NULL,"
	" UNIQUE (issuer_unit_id, year, seq),"
	" UNIQUE (issuer_unit_id, year, type, object_type, object_id));\n";

const char register_numbering_migration_sql[] =
	"CREATE TABLE register_settings ("
	" unit_id BIGINT PRIMARY KEY REFERENCES units (id),"
	" per_kind BIGINT NOT NULL DEFAULT 0 CHECK (per_kind IN (0, 1)),"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n"
	"ALTER TABLE document_register ADD COLUMN number_seq BIGINT;\n"
	"UPDATE document_register SET number_seq = seq;\n"
	/* true in either mode: a kind's next number is above all of its year's */
	"CREATE UNIQUE INDEX document_register_number ON document_register"
	" (issuer_unit_id, year, kind, number_seq);\n";

/* ---- the round's plan ------------------------------------------------------ */

int round_plan_set(db *d, int64_t actor, int64_t round_id, const char *number, const char *date)
{
	char *num = NULL;
	int rc = q_text(d, "Số kế hoạch", number, true, 40, false, &num);
	if (!rc) rc = q_date(d, "Ngày kế hoạch", date, true);
	if (rc) {
		free(num);
		return rc;
	}
	if ((rc = audit_begin_write(d))) {
		free(num);
		return rc;
	}
	char now[21];
	db_now(now);
	int64_t found = 0;
	rc = db_query_int64(d, &found, "SELECT id FROM rounds WHERE id = ?", "i", round_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy đợt đánh giá");
	if (!rc)
		rc = db_execf(d, "INSERT INTO round_plans (round_id, number, date, updated_by, updated_at)"
			" VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id) DO UPDATE SET number = excluded.number,"
			" date = excluded.date, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
			"ittIt", round_id, num, date, actor, now);
	if (!rc)
		rc = audit_record(d, actor, "round.plan", "round", round_id, NULL,
			json_pack("{s:s, s:s}", "number", num, "date", date));
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	free(num);
	return rc;
}

int round_plan_get(db *d, int64_t round_id, arena *a, round_plan *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT number, date FROM round_plans WHERE round_id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", round_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->round_id = round_id;
		out->number = db_col_dup(s, 0, a);
		out->date = db_col_dup(s, 1, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

/* ---- the register ------------------------------------------------------------ */

#define REG_COLS "r.id, r.issuer_unit_id, r.year, r.seq, r.number, r.date, r.type, r.kind, r.summary," \
	" r.signer, r.object_type, r.object_id, r.registered_at, r.number_seq," \
	" (SELECT sha256 FROM documents f WHERE f.type = r.type AND f.object_type = r.object_type" \
	"  AND f.object_id = r.object_id AND f.number = r.number ORDER BY f.id DESC LIMIT 1)"

static void entry_read(db_stmt *s, arena *a, register_entry *o)
{
	o->id = db_col_int64(s, 0);
	o->issuer_unit_id = db_col_int64(s, 1);
	o->year = (int)db_col_int64(s, 2);
	o->seq = db_col_int64(s, 3);
	o->number = db_col_dup(s, 4, a);
	o->date = db_col_dup(s, 5, a);
	o->type = db_col_dup(s, 6, a);
	o->kind = db_col_dup(s, 7, a);
	o->summary = db_col_dup(s, 8, a);
	o->signer = db_col_dup(s, 9, a);
	o->object_type = db_col_dup(s, 10, a);
	o->object_id = db_col_int64(s, 11);
	o->registered_at = db_col_dup(s, 12, a);
	o->number_seq = db_col_int64(s, 13);
	o->sha256 = db_col_dup(s, 14, a);
}

static int entry_find(db *d, const register_entry *e, int year, arena *a, register_entry *out)
{
	db_stmt *s = db_prepare(d, "SELECT " REG_COLS " FROM document_register r WHERE r.issuer_unit_id = ?"
		" AND r.year = ? AND r.type = ? AND r.object_type = ? AND r.object_id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "iitti", e->issuer_unit_id, (int64_t)year, e->type, e->object_type, e->object_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		entry_read(s, a, out);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

int register_issue(db *d, int64_t actor, const register_entry *e, const char *symbol, arena *a,
                   register_entry *out)
{
	memset(out, 0, sizeof *out);
	if (!e->type || !e->kind || !e->summary || !e->object_type || !symbol || !*symbol)
		return db_fail(d, DB_EINVAL, "Thiếu thông tin để vào sổ văn bản đi");
	int rc = q_date(d, "Ngày văn bản", e->date, true);
	if (rc) return rc;
	int year = atoi(e->date);
	if ((rc = audit_begin_write(d))) return rc;
	rc = entry_find(d, e, year, a, out);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		/* the write lock is held: nobody else reads the same maximum */
		int64_t seq = 0, nseq = 0;
		register_numbering mode = REGISTER_PER_YEAR;
		rc = db_query_int64(d, &seq, "SELECT COALESCE(MAX(seq), 0) + 1 FROM document_register"
			" WHERE issuer_unit_id = ? AND year = ?", "ii", e->issuer_unit_id, (int64_t)year);
		if (!rc) rc = register_numbering_get(d, e->issuer_unit_id, &mode);
		if (!rc && mode == REGISTER_PER_KIND)
			rc = db_query_int64(d, &nseq, "SELECT COALESCE(MAX(number_seq), 0) + 1 FROM document_register"
				" WHERE issuer_unit_id = ? AND year = ? AND kind = ?", "iit", e->issuer_unit_id,
				(int64_t)year, e->kind);
		else if (!rc)
			rc = db_query_int64(d, &nseq, "SELECT COALESCE(MAX(number_seq), 0) + 1 FROM document_register"
				" WHERE issuer_unit_id = ? AND year = ?", "ii", e->issuer_unit_id, (int64_t)year);
		/* ND 30/2020: numbers below 10 are written with a leading zero */
		const char *number = arena_printf(a, "%02lld/%s", (long long)nseq, symbol);
		char now[21];
		db_now(now);
		if (!rc)
			rc = db_execf(d, "INSERT INTO document_register (issuer_unit_id, year, seq, number, date, type,"
				" kind, summary, signer, object_type, object_id, registered_by, registered_at, number_seq)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "iiitttttttiIti",
				e->issuer_unit_id, (int64_t)year, seq, number, e->date, e->type, e->kind, e->summary,
				e->signer, e->object_type, e->object_id, actor, now, nseq);
		if (!rc)
			rc = audit_record(d, actor, "register.issue", e->object_type, e->object_id, NULL,
				json_pack("{s:I, s:s, s:s, s:s}", "issuer", (json_int_t)e->issuer_unit_id,
				          "number", number, "date", e->date, "type", e->type));
		if (!rc) rc = entry_find(d, e, year, a, out);
	}
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

int register_numbering_get(db *d, int64_t unit_id, register_numbering *out)
{
	int64_t v = 0;
	int rc = db_query_int64(d, &v, "SELECT per_kind FROM register_settings WHERE unit_id = ?", "i", unit_id);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		v = 0;
		rc = DB_OK;
	}
	*out = v ? REGISTER_PER_KIND : REGISTER_PER_YEAR;
	return rc;
}

int register_numbering_set(db *d, int64_t actor, int64_t unit_id, register_numbering n)
{
	if (n != REGISTER_PER_YEAR && n != REGISTER_PER_KIND) return db_fail(d, DB_EINVAL, "Cách đánh số không hợp lệ");
	int rc = audit_begin_write(d);
	if (rc) return rc;
	char now[21];
	db_now(now);
	int64_t found = 0;
	rc = db_query_int64(d, &found, "SELECT id FROM units WHERE id = ?", "i", unit_id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy đơn vị");
	if (!rc)
		rc = db_execf(d, "INSERT INTO register_settings (unit_id, per_kind, updated_by, updated_at)"
			" VALUES (?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET per_kind = excluded.per_kind,"
			" updated_by = excluded.updated_by, updated_at = excluded.updated_at",
			"iiIt", unit_id, (int64_t)n, actor, now);
	if (!rc)
		rc = audit_record(d, actor, "register.numbering", "unit", unit_id, NULL,
			json_pack("{s:s}", "numbering", n == REGISTER_PER_KIND ? "per_kind" : "per_year"));
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

int register_list(db *d, int64_t issuer_unit_id, int year, arena *a, register_entry **out,
                  size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " REG_COLS " FROM document_register r WHERE r.issuer_unit_id = ?"
		" AND r.year = ? ORDER BY r.seq");
	if (!s) return db_errcode(d);
	db_bindf(s, "ii", issuer_unit_id, (int64_t)year);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		entry_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int register_list_about(db *d, int64_t issuer_unit_id, const char *object_type, int64_t object_id, arena *a,
                        register_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " REG_COLS " FROM document_register r WHERE r.issuer_unit_id = ?"
		" AND r.object_type = ? AND r.object_id = ? ORDER BY r.year, r.seq");
	if (!s) return db_errcode(d);
	db_bindf(s, "iti", issuer_unit_id, object_type, object_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		entry_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
