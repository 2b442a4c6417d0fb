/* q_session.c — sessions and sign-in throttling (SQL lives here). */
#include "q_session.h"
#include "util.h"
#include <sodium.h>
#include <string.h>
#include <time.h>

const char session_migration_sql[] =
	"CREATE TABLE sessions ("
	" token_hash TEXT PRIMARY KEY,"
	" account_id BIGINT NOT NULL REFERENCES accounts(id),"
	" csrf TEXT NOT NULL,"
	" ip TEXT,"
	" created_at TEXT NOT NULL,"
	" expires_at TEXT NOT NULL);\n"
	"CREATE INDEX sessions_account ON sessions (account_id);\n"
	"CREATE TABLE signin_attempts ("
	" id {ID},"
	" login TEXT NOT NULL,"
	" ip TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" ok BIGINT NOT NULL);\n"
	"CREATE INDEX signin_attempts_login ON signin_attempts (login, at);\n"
	"CREATE INDEX signin_attempts_ip ON signin_attempts (ip, at);\n";

void session_time_offset(char out[static 21], long minutes)
{
	time_t t = time(NULL) + minutes * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *random_token(arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return arena_strdup(a, out);
}

static void token_hash(const char *token, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, 65, h, sizeof h);
}

int session_create(db *d, int64_t account_id, const char *ip, arena *a, char **token, char **csrf)
{
	if (sodium_init() < 0) return db_fail(d, DB_ERROR, "libsodium không khởi tạo được");
	*token = random_token(a);
	*csrf = random_token(a);
	char hash[65], now[21], exp[21];
	token_hash(*token, hash);
	db_now(now);
	session_time_offset(exp, SESSION_HOURS * 60L);
	return db_execf(d, "INSERT INTO sessions (token_hash, account_id, csrf, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
	                "titttt", hash, account_id, *csrf, ip, now, exp);
}

int session_get(db *d, const char *token, arena *a, session *out)
{
	if (!token || strlen(token) != 43) return DB_ENOTFOUND;
	char hash[65], now[21];
	token_hash(token, hash);
	db_now(now);
	db_stmt *s = db_prepare(d, "SELECT account_id, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "tt", hash, now);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->account_id = db_col_int64(s, 0);
		out->csrf = db_col_dup(s, 1, a);
		out->expires_at = db_col_dup(s, 2, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

int session_delete(db *d, const char *token)
{
	if (!token) return DB_OK;
	char hash[65];
	token_hash(token, hash);
	return db_execf(d, "DELETE FROM sessions WHERE token_hash = ?", "t", hash);
}

int session_delete_account(db *d, int64_t account_id)
{
	return db_execf(d, "DELETE FROM sessions WHERE account_id = ?", "i", account_id);
}

int signin_throttled(db *d, const char *login, const char *ip, bool *blocked, int *wait_minutes)
{
	char since[21];
	session_time_offset(since, -THROTTLE_MINUTES);
	int64_t by_login = 0, by_ip = 0;
	int rc = db_query_int64(d, &by_login, "SELECT COUNT(*) FROM signin_attempts WHERE login = ? AND at > ? AND ok = 0",
	                        "tt", login, since);
	if (rc == DB_OK)
		rc = db_query_int64(d, &by_ip, "SELECT COUNT(*) FROM signin_attempts WHERE ip = ? AND at > ? AND ok = 0",
		                    "tt", ip, since);
	if (rc != DB_OK) return rc;
	*blocked = by_login >= THROTTLE_PER_LOGIN || by_ip >= THROTTLE_PER_ADDRESS;
	*wait_minutes = THROTTLE_MINUTES;
	return DB_OK;
}

int signin_record(db *d, const char *login, const char *ip, bool ok)
{
	char now[21];
	db_now(now);
	int rc = db_execf(d, "INSERT INTO signin_attempts (login, ip, at, ok) VALUES (?, ?, ?, ?)", "ttti",
	                  login, ip, now, (int64_t)ok);
	if (rc == DB_OK && ok) rc = db_execf(d, "DELETE FROM signin_attempts WHERE login = ? AND ok = 0", "t", login);
	return rc;
}
