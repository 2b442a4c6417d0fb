/* q_sign.c — trust store, office keys, submission seals (SQL lives here). See q_sign.h. */
#include "q_sign.h"
#include "audit.h"
#include <string.h>

const char sign_migration_sql[] =
	"CREATE TABLE trust_certs ("
	" id {ID},"
	" kind TEXT NOT NULL CHECK (kind IN ('ca', 'crl')),"
	" subject TEXT NOT NULL,"
	" pem TEXT NOT NULL,"
	" created_by BIGINT,"
	" created_at TEXT NOT NULL);\n"
	"CREATE TABLE office_keys ("
	" unit_id BIGINT PRIMARY KEY REFERENCES units (id),"
	" subject TEXT NOT NULL,"
	" sealed {BLOB} NOT NULL,"                /* sign_seal: never the key in clear */
	" created_by BIGINT,"
	" created_at TEXT NOT NULL);\n"
	"CREATE TABLE submission_seals ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" manifest TEXT NOT NULL,"                /* JSON: answers' and files' SHA-256 */
	" signature {BLOB} NOT NULL,"             /* detached CMS over manifest, DER */
	" created_at TEXT NOT NULL);\n"
	"CREATE INDEX submission_seals_assessment ON submission_seals (assessment_id, id);\n"
	/* What the verifier said of a PDF (by its SHA-256), under the trust
	 * store of one generation: a page lists forty files without reading
	 * them again; installing or removing a CA changes the generation. */
	"CREATE TABLE pdf_signature_checks ("
	" sha256 TEXT PRIMARY KEY,"
	" trust_generation TEXT NOT NULL,"
	" nsignatures BIGINT NOT NULL,"
	" status TEXT NOT NULL,"                  /* pdfsig_status_code */
	" signer TEXT, organisation TEXT, signed_at TEXT,"
	" checked_at TEXT NOT NULL);\n";

int trust_cert_add(db *d, int64_t actor, const char *kind, const char *subject, const char *pem, int64_t *id)
{
	char now[21];
	db_now(now);
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_query_int64(d, id, "INSERT INTO trust_certs (kind, subject, pem, created_by, created_at)"
	                           " VALUES (?, ?, ?, ?, ?) RETURNING id", "tttIt", kind, subject, pem, actor, now);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "trust.add", "trust_cert", *id, NULL,
		                  json_pack("{s:s, s:s}", "kind", kind, "subject", subject));
	return rc == DB_OK ? db_commit(d) : (db_rollback(d), rc);
}

int trust_cert_remove(db *d, int64_t actor, int64_t id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "DELETE FROM trust_certs WHERE id = ?", "i", id);
	if (rc == DB_OK && db_changes(d) == 0) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy chứng thư");
	if (rc == DB_OK) rc = audit_record(d, actor, "trust.remove", "trust_cert", id, NULL, NULL);
	return rc == DB_OK ? db_commit(d) : (db_rollback(d), rc);
}

int trust_cert_list(db *d, arena *a, trust_cert **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, kind, subject, created_at, pem FROM trust_certs ORDER BY id");
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			trust_cert *grown = arena_alloc(a, cap * sizeof *grown);
			if (*n) memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
		}
		trust_cert *t = &(*out)[(*n)++];
		t->id = db_col_int64(s, 0);
		t->kind = db_col_dup(s, 1, a);
		t->subject = db_col_dup(s, 2, a);
		t->created_at = db_col_dup(s, 3, a);
		t->pem = db_col_dup(s, 4, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int office_key_put(db *d, int64_t actor, int64_t unit_id, const char *subject, const void *sealed, size_t n)
{
	char now[21];
	db_now(now);
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "DELETE FROM office_keys WHERE unit_id = ?", "i", unit_id);
	if (rc == DB_OK)
		rc = db_execf(d, "INSERT INTO office_keys (unit_id, subject, sealed, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
		              "itbIt", unit_id, subject, sealed, n, actor, now);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "office_key.put", "unit", unit_id, NULL, json_pack("{s:s}", "subject", subject));
	return rc == DB_OK ? db_commit(d) : (db_rollback(d), rc);
}

static void *blob_dup(db_stmt *s, int col, arena *a, size_t *n)
{
	const void *p = db_col_blob(s, col, n);
	void *copy = arena_alloc(a, *n + 1);
	if (*n) memcpy(copy, p, *n);
	return copy;
}

int office_key_get(db *d, int64_t unit_id, arena *a, char **subject, void **sealed, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT subject, sealed FROM office_keys WHERE unit_id = ?");
	if (!s) return db_errcode(d);
	int rc = db_bindf(s, "i", unit_id);
	if (rc == DB_OK) rc = db_step(s);
	if (rc == DB_ROW) {
		*subject = db_col_dup(s, 0, a);
		*sealed = blob_dup(s, 1, a, n);
		rc = DB_OK;
	} else if (rc == DB_DONE) rc = DB_ENOTFOUND;
	db_finish(s);
	return rc;
}

/* Migration "submission seals by an office's certificate" (issue 17):
 * which key sealed — NULL the server's Ed25519 key, else the office whose
 * certificate signed the manifest (detached CMS). */
const char seal_signer_migration_sql[] =
	"ALTER TABLE submission_seals ADD COLUMN signer_unit_id BIGINT REFERENCES units (id);\n";

int submission_seal_put(db *d, int64_t assessment_id, int64_t signer_unit_id, const char *manifest, const void *sig,
                        size_t n, int64_t *id)
{
	char now[21];
	db_now(now);
	return db_query_int64(d, id, "INSERT INTO submission_seals (assessment_id, signer_unit_id, manifest, signature,"
	                             " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", "iItbt", assessment_id,
	                      signer_unit_id, manifest, sig, n, now);
}

int submission_seal_add_signed(db *d, int64_t actor, int64_t assessment_id, int64_t school, const char *manifest,
                               const void *cms, size_t n, int64_t *id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = submission_seal_put(d, assessment_id, school, manifest, cms, n, id);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "seal.principal", "assessment", assessment_id, NULL,
		                  json_pack("{s:I, s:I}", "seal_id", (json_int_t)*id, "signer_unit_id", (json_int_t)school));
	return rc == DB_OK ? db_commit(d) : (db_rollback(d), rc);
}

int submission_seal_get(db *d, int64_t assessment_id, arena *a, int64_t *id, char **manifest, void **sig, size_t *n,
                        char **created_at, int64_t *signer_unit_id)
{
	db_stmt *s = db_prepare(d, "SELECT id, manifest, signature, created_at, signer_unit_id FROM submission_seals"
	                           " WHERE assessment_id = ? ORDER BY id DESC LIMIT 1");
	if (!s) return db_errcode(d);
	int rc = db_bindf(s, "i", assessment_id);
	if (rc == DB_OK) rc = db_step(s);
	if (rc == DB_ROW) {
		*id = db_col_int64(s, 0);
		*manifest = db_col_dup(s, 1, a);
		*sig = blob_dup(s, 2, a, n);
		*created_at = db_col_dup(s, 3, a);
		*signer_unit_id = db_col_int64(s, 4);
		rc = DB_OK;
	} else if (rc == DB_DONE) rc = DB_ENOTFOUND;
	db_finish(s);
	return rc;
}

int trust_generation(db *d, arena *a, char **out)
{
	return db_query_text(d, a, out, "SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM trust_certs", "");
}

/* Migration "the timestamps of signed PDFs" (PAdES B-T, issue 17): the
 * time and the TSA of the last signature's timestamp, beside the verdict. */
const char signature_timestamp_migration_sql[] =
	"ALTER TABLE pdf_signature_checks ADD COLUMN timestamped_at TEXT;\n"
	"ALTER TABLE pdf_signature_checks ADD COLUMN tsa TEXT;\n";

int signature_check_get(db *d, const char *sha256, const char *generation, arena *a, signature_check *out)
{
	db_stmt *s = db_prepare(d, "SELECT nsignatures, status, signer, organisation, signed_at, timestamped_at, tsa"
	                           " FROM pdf_signature_checks"
	                           " WHERE sha256 = ? AND trust_generation = ?");
	if (!s) return db_errcode(d);
	int rc = db_bindf(s, "tt", sha256, generation);
	if (rc == DB_OK) rc = db_step(s);
	if (rc == DB_ROW) {
		out->nsignatures = db_col_int64(s, 0);
		out->status = db_col_dup(s, 1, a);
		out->signer = db_col_dup(s, 2, a);
		out->organisation = db_col_dup(s, 3, a);
		out->signed_at = db_col_dup(s, 4, a);
		out->timestamped_at = db_col_dup(s, 5, a);
		out->tsa = db_col_dup(s, 6, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) rc = DB_ENOTFOUND;
	db_finish(s);
	return rc;
}

int signature_check_put(db *d, const char *sha256, const char *generation, const signature_check *c)
{
	char now[21];
	db_now(now);
	return db_execf(d, "INSERT INTO pdf_signature_checks (sha256, trust_generation, nsignatures, status, signer, organisation,"
	                   " signed_at, timestamped_at, tsa, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                   " ON CONFLICT (sha256) DO UPDATE SET"
	                   " trust_generation = excluded.trust_generation, nsignatures = excluded.nsignatures,"
	                   " status = excluded.status, signer = excluded.signer, organisation = excluded.organisation,"
	                   " signed_at = excluded.signed_at, timestamped_at = excluded.timestamped_at, tsa = excluded.tsa,"
	                   " checked_at = excluded.checked_at",
	                "ttittttttt", sha256, generation, c->nsignatures, c->status, c->signer, c->organisation, c->signed_at,
	                c->timestamped_at, c->tsa, now);
}
