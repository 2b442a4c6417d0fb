/* q_evidence.c — evidence items, their criteria, files and links, code
 * generation and copying between rounds (q_evidence.h). SQL for evidence,
 * evidence_criteria, evidence_files, evidence_links and evidence_counters
 * lives here and nowhere else. */
#include "q_evidence.h"
#include "audit.h"
#include "q.h"
#include "q_assessment.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CODE_MAX = 64 };

/* Hands out the next free code for (assessment, item). The counter row is
 * bumped under the write lock; a code already taken (kept by a copy from
 * an earlier round) is skipped. */
static int next_code(db *d, int64_t assessment_id, const char *item, char code[CODE_MAX])
{
	for (int guard = 0; guard < 10000; guard++) {
		int64_t seq = 0, taken = 0;
		int rc = db_query_int64(d, &seq, "INSERT INTO evidence_counters (assessment_id, item_code,"
			" last_seq) VALUES (?, ?, 1) ON CONFLICT (assessment_id, item_code)"
			" DO UPDATE SET last_seq = evidence_counters.last_seq + 1 RETURNING last_seq", "it",
			assessment_id, item);
		if (rc != DB_OK) return rc;
		snprintf(code, CODE_MAX, "MC-%s-%02lld", item, (long long)seq);
		rc = db_query_int64(d, &taken, "SELECT COUNT(*) FROM evidence WHERE assessment_id = ?"
			" AND code = ?", "it", assessment_id, code);
		if (rc != DB_OK) return rc;
		if (!taken) return DB_OK;
	}
	return db_fail(d, DB_ERROR, "evidence: no free code for %s", item);
}

/* "MC-1.3-02" → item "1.3", seq 2; false for a code not in that form. */
static bool parse_code(const char *code, char item[CODE_MAX], int64_t *seq)
{
	if (!code || strncmp(code, "MC-", 3) != 0) return false;
	const char *dash = strrchr(code, '-');
	if (dash <= code + 3 || !dash[1]) return false;
	size_t n = (size_t)(dash - (code + 3));
	if (n >= CODE_MAX) return false;
	memcpy(item, code + 3, n);
	item[n] = '\0';
	char *end;
	long long v = strtoll(dash + 1, &end, 10);
	if (*end || v <= 0) return false;
	*seq = v;
	return true;
}

typedef struct clean_evidence {
	char *title, *doc_number, *issuer, *note;
} clean_evidence;

static void clean_free(clean_evidence *c)
{
	free(c->title);
	free(c->doc_number);
	free(c->issuer);
	free(c->note);
}

static int clean(db *d, const evidence *e, clean_evidence *c)
{
	memset(c, 0, sizeof *c);
	int rc;
	if ((rc = q_text(d, "Tên minh chứng", e->title, true, 1000, false, &c->title)) ||
	    (rc = q_text(d, "Số hiệu văn bản", e->doc_number, false, 100, false, &c->doc_number)) ||
	    (rc = q_text(d, "Nơi ban hành", e->issuer, false, 300, false, &c->issuer)) ||
	    (rc = q_text(d, "Ghi chú", e->note, false, 4000, true, &c->note)) ||
	    (rc = q_date(d, "Ngày ban hành", e->doc_date, false))) {
		clean_free(c);
		return rc;
	}
	return DB_OK;
}

static json_t *evidence_json(const char *code, const clean_evidence *c, const char *doc_date,
                             const char *const *items, size_t n)
{
	json_t *its = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(its, json_string(items[i]));
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "code", code, "title", c->title,
		"doc_number", q_json_str(c->doc_number), "doc_date", q_json_str(doc_date),
		"issuer", q_json_str(c->issuer), "note", q_json_str(c->note), "items", its);
}

static int insert_evidence(db *d, int64_t actor, int64_t assessment_id, const char *code,
                           const clean_evidence *c, const char *doc_date, int64_t copied_from,
                           const char *const *items, size_t nitems, int64_t *id)
{
	char now[21];
	db_now(now);
	int rc = db_query_int64(d, id, "INSERT INTO evidence (assessment_id, code, title, doc_number,"
		" doc_date, issuer, note, copied_from, created_by, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", "ittttttIItt",
		assessment_id, code, c->title, c->doc_number, doc_date, c->issuer, c->note, copied_from,
		actor, now, now);
	if (rc == DB_ECONSTRAINT) return db_fail(d, rc, "Không tìm thấy phiếu đánh giá");
	for (size_t i = 0; rc == DB_OK && i < nitems; i++)
		rc = db_execf(d, "INSERT INTO evidence_criteria (evidence_id, item_code) VALUES (?, ?)"
			" ON CONFLICT (evidence_id, item_code) DO NOTHING", "it", *id, items[i]);
	return rc;
}

int evidence_add(db *d, int64_t actor, const evidence *e, int64_t *id_out, arena *a,
                 const char **code_out)
{
	if (id_out) *id_out = 0;
	if (code_out) *code_out = NULL;
	if (e->nitems == 0)
		return db_fail(d, DB_EINVAL, "Minh chứng cần gắn với ít nhất một tiêu chí");
	for (size_t i = 0; i < e->nitems; i++)
		if (!assessment_item_code_valid(e->items[i]))
			return db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'",
				e->items[i] ? e->items[i] : "");
	clean_evidence c;
	int rc = clean(d, e, &c);
	if (rc) return rc;
	char code[CODE_MAX];
	int64_t id = 0;
	if ((rc = db_begin_write(d))) goto out;
	rc = next_code(d, e->assessment_id, e->items[0], code);
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy phiếu đánh giá");
	if (rc == DB_OK) rc = insert_evidence(d, actor, e->assessment_id, code, &c, e->doc_date, 0,
		e->items, e->nitems, &id);
	if (rc == DB_OK) rc = audit_record(d, actor, "evidence.add", "evidence", id, NULL,
		evidence_json(code, &c, e->doc_date, e->items, e->nitems));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK) {
		if (id_out) *id_out = id;
		if (code_out && a) *code_out = arena_strdup(a, code);
	}
out:
	clean_free(&c);
	return rc;
}

#define EVIDENCE_COLUMNS "e.id, e.assessment_id, e.code, e.title, e.doc_number, e.doc_date," \
	" e.issuer, e.note, e.copied_from, e.created_by"

static void read_evidence(db_stmt *s, arena *a, evidence *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int64(s, 0);
	o->assessment_id = db_col_int64(s, 1);
	o->code = db_col_dup(s, 2, a);
	o->title = db_col_dup(s, 3, a);
	o->doc_number = db_col_dup(s, 4, a);
	o->doc_date = db_col_dup(s, 5, a);
	o->issuer = db_col_dup(s, 6, a);
	o->note = db_col_dup(s, 7, a);
	o->copied_from = db_col_int64(s, 8);
	o->created_by = db_col_int64(s, 9);
}

static int load_items(db *d, evidence *e, arena *a)
{
	db_stmt *s = db_prepare(d, "SELECT item_code FROM evidence_criteria WHERE evidence_id = ?"
		" ORDER BY item_code");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, e->id);
	size_t cap = 0;
	int rc;
	e->items = NULL;
	e->nitems = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)&e->items, &cap, e->nitems, sizeof *e->items);
		e->items[e->nitems++] = db_col_dup(s, 0, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int evidence_get(db *d, int64_t id, arena *a, evidence *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " EVIDENCE_COLUMNS " FROM evidence e WHERE e.id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) read_evidence(s, a, out);
	db_finish(s);
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy minh chứng");
	if (rc != DB_ROW) return rc;
	return load_items(d, out, a);
}

int evidence_list(db *d, int64_t assessment_id, const char *item_code, arena *a,
                  evidence **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s;
	if (item_code) {
		s = db_prepare(d, "SELECT " EVIDENCE_COLUMNS " FROM evidence e JOIN evidence_criteria c"
			" ON c.evidence_id = e.id WHERE e.assessment_id = ? AND c.item_code = ?"
			" ORDER BY e.code");
		if (s) db_bindf(s, "it", assessment_id, item_code);
	} else {
		s = db_prepare(d, "SELECT " EVIDENCE_COLUMNS " FROM evidence e WHERE e.assessment_id = ?"
			" ORDER BY e.code");
		if (s) db_bind_int64(s, 1, assessment_id);
	}
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_evidence(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	if (rc != DB_DONE) return rc;
	for (size_t i = 0; i < *n; i++)
		if ((rc = load_items(d, &(*out)[i], a))) return rc;
	return DB_OK;
}

int evidence_update(db *d, int64_t actor, int64_t id, const evidence *e)
{
	clean_evidence c;
	int rc = clean(d, e, &c);
	if (rc) return rc;
	arena *a = arena_new();
	if ((rc = db_begin_write(d))) goto out;
	evidence old;
	if ((rc = evidence_get(d, id, a, &old))) goto fail;
	char now[21];
	db_now(now);
	rc = db_execf(d, "UPDATE evidence SET title = ?, doc_number = ?, doc_date = ?, issuer = ?,"
		" note = ?, updated_at = ? WHERE id = ?", "tttttti", c.title, c.doc_number, e->doc_date,
		c.issuer, c.note, now, id);
	if (rc) goto fail;
	clean_evidence was = { (char *)old.title, (char *)old.doc_number, (char *)old.issuer,
		(char *)old.note };
	rc = audit_record(d, actor, "evidence.update", "evidence", id,
		evidence_json(old.code, &was, old.doc_date, old.items, old.nitems),
		evidence_json(old.code, &c, e->doc_date, old.items, old.nitems));
	if (rc) goto fail;
	rc = db_commit(d);
	goto out;
fail:
	db_rollback(d);
out:
	clean_free(&c);
	arena_free(a);
	return rc;
}

int evidence_delete(db *d, int64_t actor, int64_t id)
{
	arena *a = arena_new();
	int rc = db_begin_write(d);
	if (rc) goto out;
	evidence old;
	if ((rc = evidence_get(d, id, a, &old))) goto fail;
	/* Criteria, files and links go with it (ON DELETE CASCADE); the blobs
	 * stay until no evidence references them. */
	if ((rc = db_execf(d, "DELETE FROM evidence WHERE id = ?", "i", id))) goto fail;
	clean_evidence was = { (char *)old.title, (char *)old.doc_number, (char *)old.issuer,
		(char *)old.note };
	/* the assessment too: the row is gone, and the resubmission diff
	 * (q_evhist.c) finds a deleted evidence's file by it */
	json_t *before = evidence_json(old.code, &was, old.doc_date, old.items, old.nitems);
	json_object_set_new(before, "assessment_id", json_integer((json_int_t)old.assessment_id));
	rc = audit_record(d, actor, "evidence.delete", "evidence", id, before, NULL);
	if (rc) goto fail;
	rc = db_commit(d);
	goto out;
fail:
	db_rollback(d);
out:
	arena_free(a);
	return rc;
}

int evidence_link_criterion(db *d, int64_t actor, int64_t id, const char *item)
{
	if (!assessment_item_code_valid(item))
		return db_fail(d, DB_EINVAL, "Mã tiêu chí không hợp lệ: '%s'", item ? item : "");
	int rc = db_begin_write(d);
	if (rc) return rc;
	rc = db_execf(d, "INSERT INTO evidence_criteria (evidence_id, item_code) VALUES (?, ?)"
		" ON CONFLICT (evidence_id, item_code) DO NOTHING", "it", id, item);
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy minh chứng");
	if (rc == DB_OK && db_changes(d) > 0)
		rc = audit_record(d, actor, "evidence.link_criterion", "evidence", id, NULL,
			json_pack("{s:s}", "item", item));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int evidence_unlink_criterion(db *d, int64_t actor, int64_t id, const char *item)
{
	int rc = db_begin_write(d);
	if (rc) return rc;
	int64_t n = 0;
	rc = db_query_int64(d, &n, "SELECT COUNT(*) FROM evidence_criteria WHERE evidence_id = ?",
		"i", id);
	if (rc == DB_OK && n <= 1)
		rc = db_fail(d, DB_EINVAL, "Minh chứng phải gắn với ít nhất một tiêu chí");
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM evidence_criteria WHERE evidence_id = ?"
		" AND item_code = ?", "it", id, item);
	if (rc == DB_OK && db_changes(d) == 0)
		rc = db_fail(d, DB_ENOTFOUND, "Minh chứng không gắn với tiêu chí %s", item ? item : "");
	if (rc == DB_OK) rc = audit_record(d, actor, "evidence.unlink_criterion", "evidence", id,
		json_pack("{s:s}", "item", item), NULL);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int evidence_add_file(db *d, int64_t actor, int64_t evidence_id, const blob_info *b,
                      const char *original_name, int64_t *file_id)
{
	if (file_id) *file_id = 0;
	if (!b || !blob_sha_valid(b->sha256) || !b->mime || b->size <= 0)
		return db_fail(d, DB_EINVAL, "Tệp chưa được lưu đúng cách");
	/* Browsers on old Windows send "C:\\…\\scan.pdf": keep the last part. */
	const char *base = original_name ? original_name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\') base = p + 1;
	char *name = NULL;
	int rc = q_text(d, "Tên tệp", *base ? base : NULL, false, 255, false, &name);
	if (rc) return rc;
	if (!name) name = xstrdup(b->ext ? b->ext : "tep");
	if ((rc = db_begin_write(d)) == DB_OK) {
		char now[21];
		db_now(now);
		int64_t id = 0;
		rc = db_query_int64(d, &id, "INSERT INTO evidence_files (evidence_id, sha256, size, mime,"
			" original_name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"itittIt", evidence_id, b->sha256, b->size, b->mime, name, actor, now);
		if (rc == DB_ECONSTRAINT)
			rc = db_fail(d, rc, "Tệp này đã có trong minh chứng (hoặc minh chứng không tồn tại)");
		if (rc == DB_OK) rc = audit_record(d, actor, "evidence.file.add", "evidence", evidence_id,
			NULL, json_pack("{s:I, s:s, s:I, s:s, s:s}", "file_id", (json_int_t)id,
				"sha256", b->sha256, "size", (json_int_t)b->size, "mime", b->mime,
				"name", name));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
		if (rc == DB_OK && file_id) *file_id = id;
	}
	free(name);
	return rc;
}

int evidence_remove_file(db *d, int64_t actor, int64_t file_id)
{
	int rc = db_begin_write(d);
	if (rc) return rc;
	db_stmt *s = db_prepare(d, "SELECT evidence_id, sha256, original_name FROM evidence_files"
		" WHERE id = ?");
	if (!s) {
		rc = db_errcode(d);
		goto fail;
	}
	db_bind_int64(s, 1, file_id);
	rc = db_step(s);
	int64_t evidence_id = 0;
	json_t *before = NULL;
	if (rc == DB_ROW) {
		evidence_id = db_col_int64(s, 0);
		before = json_pack("{s:I, s:s, s:s}", "file_id", (json_int_t)file_id,
			"sha256", db_col_text(s, 1), "name", db_col_text(s, 2));
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy tệp minh chứng");
	}
	db_finish(s);
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM evidence_files WHERE id = ?", "i", file_id);
	if (rc == DB_OK) rc = audit_record(d, actor, "evidence.file.remove", "evidence",
		evidence_id, before, NULL);
	else json_decref(before);
	if (rc == DB_OK) return db_commit(d);
fail:
	db_rollback(d);
	return rc;
}

static bool url_valid(const char *u)
{
	if (!u || (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)) return false;
	size_t n = strlen(u);
	if (n > 2000 || n < 10) return false;
	for (; *u; u++)
		if ((unsigned char)*u <= 0x20 || *u == 0x7f || *u == '"' || *u == '<' || *u == '>')
			return false;
	return true;
}

int evidence_add_link(db *d, int64_t actor, int64_t evidence_id, const char *url,
                      const char *label_in, int64_t *link_id)
{
	if (link_id) *link_id = 0;
	if (!url_valid(url))
		return db_fail(d, DB_EINVAL, "Đường dẫn không hợp lệ: cần bắt đầu bằng http:// hoặc https://"
			" và không có khoảng trắng");
	char *label = NULL;
	int rc = q_text(d, "Mô tả đường dẫn", label_in, false, 300, false, &label);
	if (rc) return rc;
	if ((rc = db_begin_write(d)) == DB_OK) {
		char now[21];
		db_now(now);
		int64_t id = 0;
		rc = db_query_int64(d, &id, "INSERT INTO evidence_links (evidence_id, url, label,"
			" created_at) VALUES (?, ?, ?, ?) RETURNING id", "ittt", evidence_id, url, label, now);
		if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy minh chứng");
		if (rc == DB_OK) rc = audit_record(d, actor, "evidence.link.add", "evidence", evidence_id,
			NULL, json_pack("{s:I, s:s, s:o}", "link_id", (json_int_t)id, "url", url,
				"label", q_json_str(label)));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
		if (rc == DB_OK && link_id) *link_id = id;
	}
	free(label);
	return rc;
}

int evidence_files(db *d, int64_t evidence_id, arena *a, evidence_file **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, evidence_id, sha256, size, mime, original_name"
		" FROM evidence_files WHERE evidence_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, evidence_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		evidence_file *f = &(*out)[(*n)++];
		f->id = db_col_int64(s, 0);
		f->evidence_id = db_col_int64(s, 1);
		f->sha256 = db_col_dup(s, 2, a);
		f->size = db_col_int64(s, 3);
		f->mime = db_col_dup(s, 4, a);
		f->original_name = db_col_dup(s, 5, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int evidence_links(db *d, int64_t evidence_id, arena *a, evidence_link **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, evidence_id, url, label FROM evidence_links"
		" WHERE evidence_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, evidence_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		evidence_link *l = &(*out)[(*n)++];
		l->id = db_col_int64(s, 0);
		l->evidence_id = db_col_int64(s, 1);
		l->url = db_col_dup(s, 2, a);
		l->label = db_col_dup(s, 3, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* Copy inside an open write transaction. */
static int copy_one(db *d, int64_t actor, int64_t evidence_id, int64_t to, arena *a,
                    int64_t *new_id)
{
	evidence src;
	int rc = evidence_get(d, evidence_id, a, &src);
	if (rc) return rc;
	if (src.assessment_id == to)
		return db_fail(d, DB_EINVAL, "Minh chứng đã thuộc phiếu đánh giá này");
	/* Keep the code when it is free in the target: catalogues stay
	 * comparable from year to year. Bump the counter past it so that new
	 * codes never collide with it. */
	char code[CODE_MAX], item[CODE_MAX];
	int64_t seq = 0, taken = 0;
	rc = db_query_int64(d, &taken, "SELECT COUNT(*) FROM evidence WHERE assessment_id = ?"
		" AND code = ?", "it", to, src.code);
	if (rc) return rc;
	if (!taken && parse_code(src.code, item, &seq)) {
		snprintf(code, sizeof code, "%s", src.code);
		rc = db_execf(d, "INSERT INTO evidence_counters (assessment_id, item_code, last_seq)"
			" VALUES (?, ?, ?) ON CONFLICT (assessment_id, item_code) DO UPDATE SET last_seq ="
			" CASE WHEN excluded.last_seq > evidence_counters.last_seq THEN excluded.last_seq"
			" ELSE evidence_counters.last_seq END", "iti", to, item, seq);
	} else {
		rc = next_code(d, to, src.nitems ? src.items[0] : "0", code);
	}
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy phiếu đánh giá đích");
	if (rc) return rc;
	clean_evidence c = { (char *)src.title, (char *)src.doc_number, (char *)src.issuer,
		(char *)src.note };
	int64_t id = 0;
	rc = insert_evidence(d, actor, to, code, &c, src.doc_date, src.id, src.items, src.nitems, &id);
	if (rc == DB_OK) rc = db_execf(d, "INSERT INTO evidence_files (evidence_id, sha256, size, mime,"
		" original_name, created_by, created_at) SELECT ?, sha256, size, mime, original_name,"
		" created_by, created_at FROM evidence_files WHERE evidence_id = ?", "ii", id, src.id);
	if (rc == DB_OK) rc = db_execf(d, "INSERT INTO evidence_links (evidence_id, url, label,"
		" created_at) SELECT ?, url, label, created_at FROM evidence_links WHERE evidence_id = ?",
		"ii", id, src.id);
	if (rc == DB_OK) rc = audit_record(d, actor, "evidence.copy", "evidence", id,
		json_pack("{s:I, s:I}", "from_evidence", (json_int_t)src.id, "from_assessment",
			(json_int_t)src.assessment_id),
		evidence_json(code, &c, src.doc_date, src.items, src.nitems));
	if (rc == DB_OK && new_id) *new_id = id;
	return rc;
}

int evidence_copy(db *d, int64_t actor, int64_t evidence_id, int64_t to, int64_t *new_id)
{
	if (new_id) *new_id = 0;
	arena *a = arena_new();
	int rc = db_begin_write(d);
	if (rc == DB_OK) {
		rc = copy_one(d, actor, evidence_id, to, a, new_id);
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	arena_free(a);
	return rc;
}

int evidence_copy_all(db *d, int64_t actor, int64_t from, int64_t to, int *copied)
{
	if (copied) *copied = 0;
	arena *a = arena_new();
	int rc = db_begin_write(d);
	if (rc) goto out;
	evidence *list;
	size_t n;
	if ((rc = evidence_list(d, from, NULL, a, &list, &n))) goto fail;
	for (size_t i = 0; i < n; i++) {
		if ((rc = copy_one(d, actor, list[i].id, to, a, NULL))) goto fail;
		if (copied) (*copied)++;
	}
	rc = db_commit(d);
	goto out;
fail:
	if (copied) *copied = 0;
	db_rollback(d);
out:
	arena_free(a);
	return rc;
}

int evidence_blob_referenced(db *d, const char *sha256, bool *yes)
{
	int64_t n = 0;
	int rc = db_query_int64(d, &n, "SELECT COUNT(*) FROM evidence_files WHERE sha256 = ?", "t",
		sha256);
	*yes = rc == DB_OK && n > 0;
	return rc;
}
