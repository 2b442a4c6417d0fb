/* q_register_signed.c — the signed originals of registered documents
 * (q_register_signed.h). SQL for register_signed. */
#include "q_register_signed.h"
#include "audit.h"
#include "q.h"
#include <string.h>

const char register_signed_migration_sql[] =
	"CREATE TABLE register_signed ("
	" register_id BIGINT PRIMARY KEY REFERENCES document_register (id),"
	" sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	" size BIGINT NOT NULL CHECK (size > 0),"
	" signer TEXT, organisation TEXT, signed_at TEXT,"
	" uploaded_by BIGINT REFERENCES accounts (id),"
	" uploaded_at TEXT NOT NULL);\n";

/* Migration "the generated file a signed original was matched to". */
const char register_signed_origin_migration_sql[] =
	"ALTER TABLE register_signed ADD COLUMN origin_sha256 TEXT;\n";

int register_entry_origin(db *d, int64_t register_id, arena *a, register_origin *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT r.issuer_unit_id, r.object_type, r.object_id, (SELECT f.sha256 FROM documents f"
		" WHERE f.type = r.type AND f.object_type = r.object_type AND f.object_id = r.object_id AND f.number = r.number"
		" ORDER BY f.id DESC LIMIT 1) FROM document_register r WHERE r.id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", register_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->issuer_unit_id = db_col_int64(s, 0);
		out->object_type = db_col_dup(s, 1, a);
		out->object_id = db_col_int64(s, 2);
		out->sha256 = db_col_dup(s, 3, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy văn bản trong sổ");
	}
	db_finish(s);
	return rc;
}

int register_signed_put(db *d, int64_t actor, const register_signed *s)
{
	char now[21];
	db_now(now);
	int rc = audit_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "INSERT INTO register_signed (register_id, sha256, size, signer, organisation, signed_at,"
		" uploaded_by, uploaded_at, origin_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (register_id) DO UPDATE"
		" SET sha256 = excluded.sha256, size = excluded.size, signer = excluded.signer,"
		" organisation = excluded.organisation, signed_at = excluded.signed_at,"
		" uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at, origin_sha256 = excluded.origin_sha256",
		"ititttItt", s->register_id, s->sha256, s->size, s->signer, s->organisation, s->signed_at,
		s->uploaded_by, now, s->origin_sha256);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "register.signed", "document_register", s->register_id, NULL,
			json_pack("{s:s, s:s?, s:s?}", "sha256", s->sha256, "signer", s->signer, "origin_sha256", s->origin_sha256));
	return rc == DB_OK ? db_commit(d) : (db_rollback(d), rc);
}

#define SIGNED_COLS "rs.register_id, rs.sha256, rs.size, rs.signer, rs.organisation, rs.signed_at, rs.uploaded_by," \
	" rs.uploaded_at, rs.origin_sha256"

static void signed_read(db_stmt *s, arena *a, register_signed *out)
{
	out->register_id = db_col_int64(s, 0);
	out->sha256 = db_col_dup(s, 1, a);
	out->size = db_col_int64(s, 2);
	out->signer = db_col_dup(s, 3, a);
	out->organisation = db_col_dup(s, 4, a);
	out->signed_at = db_col_dup(s, 5, a);
	out->uploaded_by = db_col_int64(s, 6);
	out->uploaded_at = db_col_dup(s, 7, a);
	out->origin_sha256 = db_col_dup(s, 8, a);
}

int register_signed_get(db *d, int64_t register_id, arena *a, register_signed *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " SIGNED_COLS " FROM register_signed rs WHERE rs.register_id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", register_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		signed_read(s, a, out);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

int register_signed_about(db *d, const char *object_type, int64_t object_id, arena *a, register_signed **out,
                          size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " SIGNED_COLS " FROM register_signed rs JOIN document_register r"
		" ON r.id = rs.register_id WHERE r.object_type = ? AND r.object_id = ? ORDER BY rs.register_id");
	if (!s) return db_errcode(d);
	db_bindf(s, "ti", object_type, object_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		signed_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
