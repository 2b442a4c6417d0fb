/* q_framework.c — framework versions uploaded and published through the
 * administration pages (q_framework.h). SQL for framework_versions lives
 * here and nowhere else, with the one count of assessments per version
 * that the framework list shows. */
#include "q_framework.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Migration 8 (db_schema.c): the administration pages' tables. A draft is an upload that passed the loader
 * and waits for "Công bố"; publishing gives it the next publish_seq, the
 * order in which servers pick versions up (drafts may be published in any
 * order, so their ids are not that order). (framework_id, revision) is
 * unique among published versions: a revision is never replaced. */
const char framework_migration_sql[] =
	"CREATE TABLE framework_versions ("
	" id {ID},"
	" framework_id TEXT NOT NULL,"
	" revision BIGINT NOT NULL CHECK (revision >= 1),"
	" json TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" file_name TEXT,"
	" uploaded_by BIGINT REFERENCES accounts (id),"
	" uploaded_at TEXT NOT NULL,"
	" publish_seq BIGINT,"                   /* NULL: a draft */
	" published_by BIGINT REFERENCES accounts (id),"
	" published_at TEXT);\n"
	"CREATE UNIQUE INDEX framework_versions_published ON framework_versions"
	" (framework_id, revision) WHERE publish_seq IS NOT NULL;\n"
	"CREATE UNIQUE INDEX framework_versions_seq ON framework_versions (publish_seq)"
	" WHERE publish_seq IS NOT NULL;\n"
	/* A unit list uploaded on the administration page, kept between its
	 * validation report and the officer's "Nhập" (q_unit.c): the server
	 * keeps nothing of its own between two requests. */
	"CREATE TABLE unit_import_files ("
	" id {ID},"
	" file_name TEXT,"
	" content {BLOB} NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" uploaded_by BIGINT REFERENCES accounts (id),"
	" uploaded_at TEXT NOT NULL,"
	" imported_at TEXT);\n"
	/* An office's subtree (unit_scope_list, the unit and account lists of an
	 * office administrator) walks relations downwards: covering, so the walk
	 * never reads the table (50,000 schools: ~0.1 s → ~0.05 s of CPU). */
	"CREATE INDEX unit_relations_down ON unit_relations (other_unit_id, valid_from, valid_to, unit_id);\n";

static void sha256_hex(const char *text, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int framework_draft_save(db *d, int64_t actor, const framework *fw, const char *text, size_t len,
                         const char *file_name, int64_t *id)
{
	*id = 0;
	if (sodium_init() < 0) fatal("libsodium cannot initialise");
	if (strlen(text) != len) return db_fail(d, DB_EINVAL, "Tệp chứa ký tự NUL");
	char *name = NULL;
	/* The name is only shown back; an unprintable one is dropped. */
	if (q_text(d, "Tên tệp", file_name, false, 200, false, &name) != DB_OK) {
		db_clear_error(d);
		name = NULL;
	}
	char hex[65], now[21];
	sha256_hex(text, len, hex);
	db_now(now);
	int rc = db_begin_write(d);
	if (rc == DB_OK) {
		rc = db_query_int64(d, id, "INSERT INTO framework_versions (framework_id, revision, json,"
			" sha256, file_name, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"titttIt", fw->id, (int64_t)fw->revision, text, hex, name, actor, now);
		if (rc == DB_OK) rc = audit_record(d, actor, "framework.upload", "framework_version", *id, NULL,
			json_pack("{s:s, s:i, s:s, s:o}", "framework_id", fw->id, "revision", fw->revision,
				"sha256", hex, "file_name", q_json_str(name)));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	if (rc != DB_OK) *id = 0;
	free(name);
	return rc;
}

int framework_draft_update(db *d, int64_t actor, int64_t id, const char *text, size_t len,
                           const char *code, const char *before, const char *after)
{
	if (sodium_init() < 0) fatal("libsodium cannot initialise");
	if (strlen(text) != len) return db_fail(d, DB_EINVAL, "Tệp chứa ký tự NUL");
	char hex[65];
	sha256_hex(text, len, hex);
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "UPDATE framework_versions SET json = ?, sha256 = ? WHERE id = ? AND publish_seq IS NULL",
		"tti", text, hex, id);
	if (rc == DB_OK && db_changes(d) != 1)
		rc = db_fail(d, DB_ECONFLICT, "Bản nháp này không còn (hoặc đã được công bố): không sửa được");
	if (rc == DB_OK) rc = audit_record(d, actor, "framework.edit", "framework_version", id,
		json_pack("{s:s, s:o?}", "code", code, "rule", before ? json_loads(before, 0, NULL) : NULL),
		json_pack("{s:s, s:o?, s:s}", "code", code, "rule", after ? json_loads(after, 0, NULL) : NULL, "sha256", hex));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

#define VERSION_COLUMNS "id, framework_id, revision, publish_seq IS NOT NULL, file_name, sha256," \
	" uploaded_by, uploaded_at, published_by, published_at"

static void read_version(db_stmt *s, arena *a, framework_version *v)
{
	v->id = db_col_int64(s, 0);
	v->framework_id = db_col_dup(s, 1, a);
	v->revision = (int)db_col_int64(s, 2);
	v->published = db_col_int64(s, 3) != 0;
	v->file_name = db_col_dup(s, 4, a);
	v->sha256 = db_col_dup(s, 5, a);
	v->uploaded_by = db_col_int64(s, 6);
	v->uploaded_at = db_col_dup(s, 7, a);
	v->published_by = db_col_int64(s, 8);
	v->published_at = db_col_dup(s, 9, a);
}

int framework_version_get(db *d, int64_t id, arena *a, framework_version *out, const char **text)
{
	memset(out, 0, sizeof *out);
	if (text) *text = NULL;
	db_stmt *s = db_prepare(d, "SELECT " VERSION_COLUMNS ", json FROM framework_versions WHERE id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		read_version(s, a, out);
		if (text) *text = db_col_dup(s, 10, a);
	}
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy tệp bộ chỉ số đã tải lên");
	return rc;
}

int framework_publish(db *d, int64_t actor, int64_t id, int known_max)
{
	arena *a = arena_new();
	int rc = db_begin_write(d);
	if (rc != DB_OK) goto out;
	framework_version v;
	if ((rc = framework_version_get(d, id, a, &v, NULL))) goto fail;
	if (v.published) {
		rc = db_fail(d, DB_ECONFLICT, "Phiên bản %d của %s đã được công bố", v.revision, v.framework_id);
		goto fail;
	}
	/* Read again under the write lock: another server may have published
	 * a revision of this framework since the page was shown. */
	int64_t stored = 0, seq = 0;
	if ((rc = db_query_int64(d, &stored, "SELECT MAX(revision) FROM framework_versions"
		" WHERE framework_id = ? AND publish_seq IS NOT NULL", "t", v.framework_id))) goto fail;
	int max = known_max > stored ? known_max : (int)stored;
	const char *why = fw_revision_refusal(v.revision, max);
	if (why) {
		rc = db_fail(d, DB_ECONFLICT, "%s (đã có phiên bản %d)", why, max);
		goto fail;
	}
	if ((rc = db_query_int64(d, &seq, "SELECT MAX(publish_seq) FROM framework_versions", ""))) goto fail;
	char now[21];
	db_now(now);
	rc = db_execf(d, "UPDATE framework_versions SET publish_seq = ?, published_by = ?, published_at = ?"
		" WHERE id = ? AND publish_seq IS NULL", "iIti", seq + 1, actor, now, id);
	if (rc == DB_OK && db_changes(d) != 1)
		rc = db_fail(d, DB_ECONFLICT, "Phiên bản này vừa được công bố");
	if (rc == DB_OK) rc = audit_record(d, actor, "framework.publish", "framework_version", id,
		json_pack("{s:s, s:i, s:i}", "framework_id", v.framework_id, "revision", v.revision,
			"previous_revision", max),
		json_pack("{s:s, s:i, s:s, s:I}", "framework_id", v.framework_id, "revision", v.revision,
			"sha256", v.sha256, "publish_seq", (json_int_t)seq + 1));
	if (rc) goto fail;
	rc = db_commit(d);
	goto out;
fail:
	db_rollback(d);
out:
	arena_free(a);
	return rc;
}

int framework_drafts(db *d, arena *a, int limit, framework_version **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " VERSION_COLUMNS " FROM framework_versions"
		" WHERE publish_seq IS NULL ORDER BY id DESC LIMIT ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, limit);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_version(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int framework_published(db *d, arena *a, framework_version **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " VERSION_COLUMNS " FROM framework_versions"
		" WHERE publish_seq IS NOT NULL ORDER BY publish_seq");
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_version(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int framework_usage(db *d, arena *a, framework_use **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT framework_id, framework_revision, COUNT(*) FROM assessments"
		" GROUP BY framework_id, framework_revision ORDER BY framework_id, framework_revision");
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		framework_use *u = &(*out)[(*n)++];
		u->framework_id = db_col_dup(s, 0, a);
		u->revision = db_col_dup(s, 1, a);
		u->assessments = db_col_int64(s, 2);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* One loader at a time per process; the others carry on with the
 * catalogue they see (it only ever grows). */
static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;

int fw_catalog_sync_db(fw_catalog *c, db *d, int max_age, buf *errors)
{
	long long now = (long long)time(NULL);
	if (max_age > 0 && now - atomic_load(&c->db_checked_at) < max_age) return 0;
	if (max_age > 0 ? pthread_mutex_trylock(&sync_lock) != 0 : pthread_mutex_lock(&sync_lock) != 0)
		return 0;
	atomic_store(&c->db_checked_at, now);
	int added = 0;
	db_stmt *s = db_prepare(d, "SELECT publish_seq, framework_id, revision, json FROM framework_versions"
		" WHERE publish_seq > ? ORDER BY publish_seq");
	if (!s) {
		added = db_errcode(d);
		/* a database older than migration 8 (a tool on an old file): nothing to add */
		pthread_mutex_unlock(&sync_lock);
		return added;
	}
	db_bind_int64(s, 1, c->db_last_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		long long seq = db_col_int64(s, 0);
		const char *text = db_col_text(s, 3);
		char label[160];
		snprintf(label, sizeof label, "CSDL:%s@%lld", db_col_text(s, 1), (long long)db_col_int64(s, 2));
		buf err;
		buf_init(&err);
		framework *fw = framework_parse(text ? text : "", text ? strlen(text) : 0, label, &err);
		if (fw) fw->origin = FW_FROM_DB;
		if (fw && !fw_catalog_append(c, fw)) {
			/* already there (a file with the same id@revision) or full */
			if (errors) buf_printf(errors, "%s: đã có phiên bản này trong thư mục bộ chỉ số hoặc danh mục đã đầy; bỏ qua\n", label);
			framework_free(fw);
		} else if (fw) {
			added++;
		} else if (errors) {
			buf_puts(errors, buf_str(&err));
		}
		buf_free(&err);
		c->db_last_id = seq;
	}
	db_finish(s);
	pthread_mutex_unlock(&sync_lock);
	return rc == DB_DONE ? added : rc;
}
