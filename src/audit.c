/* audit.c — the append-only, hash-chained audit log (audit.h): appending a
 * row under the write lock, verifying the chain, reading an object's
 * history.
 *
 * The hash covers a canonical text form of the row, not the database's
 * rendering of it, so SQLite and PostgreSQL (and a dump restored into the
 * other) produce and verify the same chain. Each field is written as
 * `name=LEN:VALUE\n`, or `name=-\n` for NULL: length prefixes make the
 * encoding unambiguous whatever the JSON contains. */
#include "audit.h"
#include "buf.h"
#include "util.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

char *audit_json_dump(const json_t *j)
{
	if (!j) return NULL;
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (!s) fatal("audit: cannot serialise JSON");
	return s;
}

static void put_text(buf *b, const char *name, const char *v)
{
	if (!v) buf_printf(b, "%s=-\n", name);
	else buf_printf(b, "%s=%zu:%s\n", name, strlen(v), v);
}

static void put_int(buf *b, const char *name, int64_t v, bool null)
{
	if (null) buf_printf(b, "%s=-\n", name);
	else buf_printf(b, "%s=%lld\n", name, (long long)v);
}

/* hex(SHA-256(prev_hash ‖ canonical(row))) into out[65]. */
static void row_hash(const audit_entry *e, char out[65])
{
	buf b;
	buf_init(&b);
	put_int(&b, "seq", e->seq, false);
	put_text(&b, "at", e->at);
	put_int(&b, "account", e->account_id, e->account_id == 0);
	put_text(&b, "action", e->action);
	put_text(&b, "object_type", e->object_type);
	put_int(&b, "object_id", e->object_id, e->object_id == 0);
	put_text(&b, "before", e->before_json);
	put_text(&b, "after", e->after_json);
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)e->prev_hash, strlen(e->prev_hash));
	crypto_hash_sha256_update(&st, (const unsigned char *)b.data, b.len);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof h);
	buf_free(&b);
}

#define TAIL_SQL "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"

int audit_begin_write(db *d)
{
	arena *a = arena_new();
	char *seq = NULL, *hash = NULL;
	bool found = false;
	int rc = db_begin_write_row(d, TAIL_SQL, a, &seq, &hash, &found);
	if (rc == DB_OK) db_audit_head_set(d, found && seq ? strtoll(seq, NULL, 10) : 0,
		found && hash ? hash : genesis);
	arena_free(a);
	return rc;
}

int audit_append(db *d, int64_t actor, const char *action, const char *object_type,
                 int64_t object_id, const char *before_json, const char *after_json)
{
	if (db_tx_depth(d) == 0)
		return db_fail(d, DB_EMISUSE, "audit: must be called inside a write transaction");
	/* The chain's tail is read under the write lock (BEGIN IMMEDIATE /
	 * advisory lock), so no other writer can append in between. */
	char prev[65];
	int64_t seq = 0;
	if (!db_audit_head_get(d, &seq, prev)) {
		db_stmt *s = db_prepare(d, TAIL_SQL);
		if (!s) return db_errcode(d);
		int rc = db_step(s);
		if (rc == DB_ROW) {
			seq = db_col_int64(s, 0);
			const char *h = db_col_text(s, 1);
			snprintf(prev, sizeof prev, "%s", h ? h : "");
		} else {
			memcpy(prev, genesis, sizeof prev);
		}
		db_finish(s);
		if (rc < 0) return rc;
	}

	char at[21];
	db_now(at);
	audit_entry e = {
		.seq = seq + 1, .at = at, .account_id = actor, .action = action,
		.object_type = object_type, .object_id = object_id,
		.before_json = before_json, .after_json = after_json, .prev_hash = prev,
	};
	char hash[65];
	row_hash(&e, hash);
	int rc = db_execf(d,
		"INSERT INTO audit_log (seq, at, account_id, action, object_type, object_id,"
		" before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"itIttItttt",
		e.seq, at, actor, action, object_type, object_id, before_json, after_json, prev, hash);
	if (rc == DB_OK) db_audit_head_set(d, e.seq, hash);
	return rc;
}

/* The canonical form of row_hash written in SQL over the row r and the tail
 * t: the same bytes, hashed by the engine (PostgreSQL's sha256; on SQLite
 * the functions db_sqlite.c adds), so audit_verify checks these rows like
 * any other. A NULL account or object is 0 in C, NULL in the row. */
#define CHAIN_TEXT(name, col) \
	"CASE WHEN " col " IS NULL THEN '" name "=-\n' ELSE '" name "=' ||" \
	" CAST(length(convert_to(" col ", 'UTF8')) AS TEXT) || ':' || " col " || '\n' END"
#define CHAIN_INT(name, col) \
	"CASE WHEN " col " IS NULL THEN '" name "=-\n' ELSE '" name "=' ||" \
	" CAST(" col " AS TEXT) || '\n' END"
#define CHAIN_SQL \
	"INSERT INTO audit_log (seq, at, account_id, action, object_type, object_id," \
	" before_json, after_json, prev_hash, hash)" \
	" SELECT t.seq + 1, r.at, r.account_id, r.action, r.object_type, r.object_id," \
	" r.before_json, r.after_json, t.hash, encode(sha256(convert_to(t.hash ||" \
	" 'seq=' || CAST(t.seq + 1 AS TEXT) || '\n' || " CHAIN_TEXT("at", "r.at") \
	" || " CHAIN_INT("account", "r.account_id") " || " CHAIN_TEXT("action", "r.action") \
	" || " CHAIN_TEXT("object_type", "r.object_type") \
	" || " CHAIN_INT("object_id", "r.object_id") " || " CHAIN_TEXT("before", "r.before_json") \
	" || " CHAIN_TEXT("after", "r.after_json") ", 'UTF8')), 'hex')" \
	" FROM (SELECT CAST(? AS TEXT) AS at, CAST(? AS BIGINT) AS account_id," \
	" CAST(? AS TEXT) AS action, CAST(? AS TEXT) AS object_type," \
	" CAST(? AS BIGINT) AS object_id, CAST(? AS TEXT) AS before_json," \
	" CAST(? AS TEXT) AS after_json) r," \
	" (SELECT COALESCE((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0) AS seq," \
	" COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)," \
	" '0000000000000000000000000000000000000000000000000000000000000000') AS hash) t"

db_stmt *audit_chain_stmt(db *d, int64_t actor, const char *action, const char *object_type,
                          int64_t object_id, const char *before_json, const char *after_json)
{
	db_stmt *s = db_prepare(d, CHAIN_SQL);
	if (!s) return NULL;
	char at[21];
	db_now(at);
	if (db_bindf(s, "tIttItt", at, actor, action, object_type, object_id, before_json,
	             after_json) != DB_OK) {
		db_finish(s);
		return NULL;
	}
	return s;
}

int audit_record(db *d, int64_t actor, const char *action, const char *object_type,
                 int64_t object_id, json_t *before, json_t *after)
{
	char *b = audit_json_dump(before), *a = audit_json_dump(after);
	json_decref(before);
	json_decref(after);
	int rc = audit_append(d, actor, action, object_type, object_id, b, a);
	free(b);
	free(a);
	return rc;
}

enum { AUDIT_CHUNK = 200 };

/* "INSERT INTO audit_log (…) VALUES (?, …), …" for rows rows; malloc'd. */
static char *insert_many_sql(size_t rows)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "INSERT INTO audit_log (seq, at, account_id, action, object_type, object_id,"
		" before_json, after_json, prev_hash, hash) VALUES ");
	for (size_t i = 0; i < rows; i++)
		buf_puts(&b, i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	return buf_take(&b);
}

/* Appends items[0..n) (n ≤ AUDIT_CHUNK) chaining from *seq / prev. */
/* The entry of item `it` as the chain's next row after prev, with its hash. */
static audit_entry chained(const audit_item *it, const char *at, int64_t seq, const char *prev, char hash[65])
{
	audit_entry e = {
		.seq = seq, .at = at, .account_id = it->actor, .action = it->action,
		.object_type = it->object_type, .object_id = it->object_id,
		.before_json = it->before_json, .after_json = it->after_json, .prev_hash = prev,
	};
	row_hash(&e, hash);
	return e;
}

static int append_chunk(db *d, const audit_item *items, size_t n, const char *at, int64_t *seq,
                        char prev[65])
{
	char *sql = insert_many_sql(n);
	db_stmt *s = db_prepare(d, sql);
	free(sql);
	if (!s) return db_errcode(d);
	int p = 1;
	for (size_t i = 0; i < n; i++) {
		const audit_item *it = &items[i];
		char hash[65];
		audit_entry e = chained(it, at, *seq + 1, prev, hash);
		db_bind_int64(s, p++, e.seq);
		db_bind_text(s, p++, at);
		if (it->actor) db_bind_int64(s, p++, it->actor); else db_bind_null(s, p++);
		db_bind_text(s, p++, it->action);
		db_bind_text(s, p++, it->object_type);
		if (it->object_id) db_bind_int64(s, p++, it->object_id); else db_bind_null(s, p++);
		db_bind_text(s, p++, it->before_json);
		db_bind_text(s, p++, it->after_json);
		db_bind_text(s, p++, prev);
		db_bind_text(s, p++, hash);
		*seq = e.seq;
		memcpy(prev, hash, 65);
	}
	int rc = db_step(s);
	db_finish(s);
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Appends items[0..n) chaining from *seq / prev in one COPY (PostgreSQL):
 * the rows stream while the server inserts them. */
static int append_copy(db *d, const audit_item *items, size_t n, const char *at, int64_t *seq,
                       char prev[65])
{
	db_copy *c = db_copy_begin(d, "COPY audit_log (seq, at, account_id, action, object_type, object_id,"
		" before_json, after_json, prev_hash, hash) FROM STDIN");
	if (!c) return db_errcode(d);
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const audit_item *it = &items[i];
		char hash[65];
		audit_entry e = chained(it, at, *seq + 1, prev, hash);
		db_copy_int64(c, e.seq);
		db_copy_text(c, at);
		db_copy_id(c, it->actor);
		db_copy_text(c, it->action);
		db_copy_text(c, it->object_type);
		db_copy_id(c, it->object_id);
		db_copy_text(c, it->before_json);
		db_copy_text(c, it->after_json);
		db_copy_text(c, prev);
		db_copy_text(c, hash);
		rc = db_copy_row(c);
		*seq = e.seq;
		memcpy(prev, hash, 65);
	}
	int end = db_copy_end(c);
	return rc != DB_OK ? rc : end;
}

int audit_append_many(db *d, const audit_item *items, size_t n)
{
	if (db_tx_depth(d) == 0)
		return db_fail(d, DB_EMISUSE, "audit: must be called inside a write transaction");
	if (n == 0) return DB_OK;
	/* The first row through audit_append: it finds the chain's tail. */
	int rc = audit_append(d, items[0].actor, items[0].action, items[0].object_type,
		items[0].object_id, items[0].before_json, items[0].after_json);
	int64_t seq;
	char prev[65];
	if (rc != DB_OK || !db_audit_head_get(d, &seq, prev)) return rc;
	char at[21];
	db_now(at);
	if (n > 1 && db_has_copy(d)) {
		rc = append_copy(d, items + 1, n - 1, at, &seq, prev);
	} else {
		for (size_t i = 1; i < n && rc == DB_OK; i += AUDIT_CHUNK) {
			size_t k = n - i < AUDIT_CHUNK ? n - i : AUDIT_CHUNK;
			rc = append_chunk(d, items + i, k, at, &seq, prev);
		}
	}
	if (rc == DB_OK) db_audit_head_set(d, seq, prev);
	return rc;
}

static void read_entry(db_stmt *s, audit_entry *e)
{
	e->seq = db_col_int64(s, 0);
	e->at = db_col_text(s, 1);
	e->account_id = db_col_int64(s, 2);
	e->action = db_col_text(s, 3);
	e->object_type = db_col_text(s, 4);
	e->object_id = db_col_int64(s, 5);
	e->before_json = db_col_text(s, 6);
	e->after_json = db_col_text(s, 7);
	e->prev_hash = db_col_text(s, 8);
	e->hash = db_col_text(s, 9);
}

#define AUDIT_COLUMNS "seq, at, account_id, action, object_type, object_id," \
	" before_json, after_json, prev_hash, hash"

int audit_verify(db *d, audit_report *r)
{
	memset(r, 0, sizeof *r);
	int rc = db_begin_read(d);
	if (rc != DB_OK) return rc;
	char prev[65];
	memcpy(prev, genesis, sizeof prev);
	int64_t last = 0;
	bool more = true;
	/* Pages of 1,000 rows: PostgreSQL results arrive whole, and the log of
	 * a province grows into the millions. */
	while (more && r->bad_seq == 0) {
		db_stmt *s = db_prepare(d, "SELECT " AUDIT_COLUMNS
			" FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000");
		if (!s) { rc = db_errcode(d); break; }
		db_bind_int64(s, 1, last);
		int n = 0;
		while ((rc = db_step(s)) == DB_ROW) {
			audit_entry e;
			read_entry(s, &e);
			n++;
			r->rows++;
			char h[65];
			if (e.seq != last + 1) {
				snprintf(r->problem, sizeof r->problem,
					"row %lld missing (next row is %lld)", (long long)last + 1,
					(long long)e.seq);
				r->bad_seq = last + 1;
			} else if (!e.prev_hash || strcmp(e.prev_hash, prev) != 0) {
				snprintf(r->problem, sizeof r->problem,
					"row %lld does not chain to the row before it", (long long)e.seq);
				r->bad_seq = e.seq;
			} else if (row_hash(&e, h), !e.hash || strcmp(h, e.hash) != 0) {
				snprintf(r->problem, sizeof r->problem,
					"row %lld was modified: its content does not match its hash",
					(long long)e.seq);
				r->bad_seq = e.seq;
			}
			if (r->bad_seq) break;
			snprintf(prev, sizeof prev, "%s", e.hash);
			last = e.seq;
		}
		db_finish(s);
		if (rc < 0) break;
		rc = DB_OK;
		more = n == 1000;
	}
	if (rc == DB_OK && r->bad_seq == 0 && last > 0) memcpy(r->head, prev, sizeof prev);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int audit_history(db *d, const char *object_type, int64_t object_id, arena *a,
                  audit_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " AUDIT_COLUMNS
		" FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY seq");
	if (!s) return db_errcode(d);
	db_bindf(s, "ti", object_type, object_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			audit_entry *grown = arena_alloc(a, cap * sizeof *grown);
			if (*n) memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
		}
		audit_entry *e = &(*out)[(*n)++];
		read_entry(s, e);
		e->at = arena_strdup(a, e->at);
		e->action = arena_strdup(a, e->action);
		e->object_type = arena_strdup(a, e->object_type);
		e->before_json = e->before_json ? arena_strdup(a, e->before_json) : NULL;
		e->after_json = e->after_json ? arena_strdup(a, e->after_json) : NULL;
		e->prev_hash = arena_strdup(a, e->prev_hash);
		e->hash = arena_strdup(a, e->hash);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
