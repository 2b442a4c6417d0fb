/* q_api_token.c — API tokens (SQL lives here). See q_api_token.h. */
#include "q_api_token.h"
#include "audit.h"
#include "q_session.h"
#include "util.h"
#include <sodium.h>
#include <string.h>

const char api_token_migration_sql[] =
	"CREATE TABLE api_tokens ("
	" id {ID},"
	" account_id BIGINT NOT NULL REFERENCES accounts(id),"
	" token_hash TEXT NOT NULL UNIQUE,"
	" label TEXT NOT NULL,"
	" created_by BIGINT,"
	" created_at TEXT NOT NULL,"
	" last_used_at TEXT,"
	" expires_at TEXT,"
	" revoked_at TEXT);\n"
	"CREATE INDEX api_tokens_account ON api_tokens (account_id);\n";

/* Noting every use would turn each API read into a write; every few
 * minutes is enough to tell a token in use from a forgotten one. */
enum { USE_NOTE_MINUTES = 5 };

static void token_hash(const char *token, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static bool token_shaped(const char *t)
{
	if (!t || strlen(t) != API_TOKEN_LEN || strncmp(t, API_TOKEN_PREFIX, 6) != 0) return false;
	for (const char *p = t + 6; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

int api_token_create(db *d, int64_t actor, int64_t account_id, const char *label,
                     const char *expires_at, arena *a, char **token, int64_t *id)
{
	if (sodium_init() < 0) return db_fail(d, DB_ERROR, "libsodium không khởi tạo được");
	size_t llen = label ? strlen(label) : 0;
	if (llen == 0 || llen > API_TOKEN_LABEL_MAX)
		return db_fail(d, DB_EINVAL, "Tên token phải có từ 1 đến %d ký tự (ví dụ: \"Phần mềm quản lý trường học\")",
		               API_TOKEN_LABEL_MAX);
	/* an expiry date means "valid through that day", Vietnamese time
	 * (UTC+7): the end of day D there is 17:00 UTC on D */
	char exp[21] = "";
	if (expires_at) {
		if (!db_date_valid(expires_at)) return db_fail(d, DB_EINVAL, "Ngày hết hạn phải có dạng YYYY-MM-DD");
		memcpy(exp, expires_at, 10);
		memcpy(exp + 10, "T17:00:00Z", 11);
	}
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*token = arena_printf(a, "%s%s", API_TOKEN_PREFIX, b64);
	char hash[65], now[21];
	token_hash(*token, hash);
	db_now(now);
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	int64_t exists = 0;
	rc = db_query_int64(d, &exists, "SELECT COUNT(*) FROM accounts WHERE id = ?", "i", account_id);
	if (rc == DB_OK && !exists) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy tài khoản");
	int64_t new_id = 0;
	if (rc == DB_OK)
		rc = db_query_int64(d, &new_id,
		                    "INSERT INTO api_tokens (account_id, token_hash, label, created_by, created_at, expires_at)"
		                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		                    "ittItt", account_id, hash, label, actor, now, exp[0] ? exp : NULL);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "api_token.create", "api_token", new_id, NULL,
		                  json_pack("{s:I, s:s, s:s?}", "account_id", (json_int_t)account_id, "label", label,
		                            "expires_at", exp[0] ? exp : NULL));
	if (rc != DB_OK) { db_rollback(d); return rc; }
	if (id) *id = new_id;
	return db_commit(d);
}

int api_token_lookup(db *d, const char *token, int64_t *account_id, int64_t *token_id)
{
	if (!token_shaped(token)) return DB_ENOTFOUND;
	char hash[65], now[21];
	token_hash(token, hash);
	db_now(now);
	db_stmt *s = db_prepare(d, "SELECT id, account_id, last_used_at FROM api_tokens"
	                           " WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)");
	if (!s) return db_errcode(d);
	db_bindf(s, "tt", hash, now);
	int rc = db_step(s);
	int64_t id = 0;
	bool note = false;
	if (rc == DB_ROW) {
		id = db_col_int64(s, 0);
		*account_id = db_col_int64(s, 1);
		char since[21];
		session_time_offset(since, -USE_NOTE_MINUTES);
		const char *last = db_col_text(s, 2);
		note = !last || strcmp(last, since) < 0;
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	if (rc == DB_OK && token_id) *token_id = id;
	/* a failed note of use must not refuse a valid token */
	if (rc == DB_OK && note) db_execf(d, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", "ti", now, id);
	return rc;
}

int api_token_account(db *d, const char *token, arena *a, account *out, authz_grant **g, size_t *n)
{
	memset(out, 0, sizeof *out);
	*g = NULL;
	*n = 0;
	if (!token_shaped(token)) return DB_ENOTFOUND;
	char hash[65], now[21];
	token_hash(token, hash);
	db_now(now);
	db_stmt *s = db_prepare(d, "SELECT a.id, a.login, a.full_name, a.email, a.phone, a.active,"
		" a.password_hash IS NOT NULL, a.created_at, r.role, r.unit_id, r.round_id, t.id, t.last_used_at"
		" FROM api_tokens t JOIN accounts a ON a.id = t.account_id LEFT JOIN role_assignments r ON r.account_id = a.id"
		" WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) ORDER BY r.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "tt", hash, now);
	int64_t id = 0;
	const char *last = NULL;
	int rc = account_grants_rows(s, a, out, g, n, &id, &last);
	if (rc != DB_OK) return rc;
	char since[21];
	session_time_offset(since, -USE_NOTE_MINUTES);
	/* a failed note of use must not refuse a valid token */
	if (!last || strcmp(last, since) < 0) db_execf(d, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", "ti", now, id);
	return DB_OK;
}

int api_token_list(db *d, int64_t account_id, arena *a, api_token **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, account_id, label, created_at, last_used_at, expires_at, revoked_at"
	                           " FROM api_tokens WHERE account_id = ? ORDER BY id DESC");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", account_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			api_token *nt = arena_alloc(a, cap * sizeof *nt);
			if (*n) memcpy(nt, *out, *n * sizeof *nt);
			*out = nt;
		}
		api_token *t = &(*out)[(*n)++];
		t->id = db_col_int64(s, 0);
		t->account_id = db_col_int64(s, 1);
		t->label = db_col_dup(s, 2, a);
		t->created_at = db_col_dup(s, 3, a);
		t->last_used_at = db_col_dup(s, 4, a);
		t->expires_at = db_col_dup(s, 5, a);
		t->revoked_at = db_col_dup(s, 6, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int api_token_revoke(db *d, int64_t actor, int64_t account_id, int64_t id)
{
	char now[21];
	db_now(now);
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = db_execf(d, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL",
	              "tii", now, id, account_id);
	if (rc == DB_OK && db_changes(d) == 0) rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy token này (hoặc token đã bị thu hồi)");
	if (rc == DB_OK)
		rc = audit_record(d, actor, "api_token.revoke", "api_token", id, NULL,
		                  json_pack("{s:I}", "account_id", (json_int_t)account_id));
	if (rc != DB_OK) { db_rollback(d); return rc; }
	return db_commit(d);
}
