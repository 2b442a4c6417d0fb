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

/* ---- sign-in throttling -------------------------------------------------
 *
 * Failures are counted per (login key, address) pair and per address, never
 * per login alone: a count on the login would let anyone lock its owner out
 * with a few wrong passwords. The pair gets a growing delay instead
 * (signin_delay_seconds), so a guesser at one address slows to a crawl while
 * the owner, elsewhere, signs in as usual. */

const char signin_migration_sql[] =
	/* one key per account (account_login_key), as sign-in finds it */
	"UPDATE signin_attempts SET login = lower(trim(login));\n"
	/* successes are no longer kept: only failures are ever counted */
	"DELETE FROM signin_attempts WHERE ok <> 0;\n"
	"DROP INDEX signin_attempts_login;\n"
	"CREATE INDEX signin_attempts_pair ON signin_attempts (login, ip, at);\n"
	"CREATE INDEX signin_attempts_at ON signin_attempts (at);\n";

int signin_delay_seconds(int64_t failures)
{
	if (failures < THROTTLE_FREE_TRIES) return 0;
	int64_t doublings = failures - THROTTLE_FREE_TRIES;
	if (doublings > 12) return THROTTLE_MAX_DELAY;   /* no shift overflow */
	int64_t delay = (int64_t)THROTTLE_FIRST_DELAY << doublings;
	return delay > THROTTLE_MAX_DELAY ? THROTTLE_MAX_DELAY : (int)delay;
}

/* Seconds since the epoch of a stored "YYYY-MM-DDTHH:MM:SSZ"; 0 for NULL. */
static int64_t stamp_seconds(const char *s)
{
	struct tm tm = { 0 };
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* The count and one end (MIN or MAX, per the SQL) of the failures a query selects. */
static int failures_since(db *d, const char *sql, const char *a, const char *b, const char *since,
                          int64_t *n, int64_t *edge)
{
	db_stmt *s = db_prepare(d, sql);
	if (!s) return db_errcode(d);
	db_bindf(s, b ? "ttt" : "tt", a, b ? b : since, since);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*n = db_col_int64(s, 0);
		*edge = stamp_seconds(db_col_text(s, 1));
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		*n = *edge = 0;
		rc = DB_OK;
	}
	db_finish(s);
	return rc;
}

static int64_t later(int64_t due, int64_t now) { return due > now ? due - now : 0; }

/* How long this pair and this address must still wait; 0 = go ahead. */
static int throttle_wait(db *d, const char *key, const char *ip, int64_t now, int64_t *wait)
{
	char since[21];
	int64_t n = 0, edge = 0;
	session_time_offset(since, -THROTTLE_PAIR_HOURS * 60L);
	int rc = failures_since(d, "SELECT COUNT(*), MAX(at) FROM signin_attempts"
	                        " WHERE login = ? AND ip = ? AND at > ? AND ok = 0", key, ip, since, &n, &edge);
	if (rc != DB_OK) return rc;
	*wait = later(edge + signin_delay_seconds(n), now);
	session_time_offset(since, -THROTTLE_MINUTES);
	rc = failures_since(d, "SELECT COUNT(*), MIN(at) FROM signin_attempts"
	                    " WHERE ip = ? AND at > ? AND ok = 0", ip, NULL, since, &n, &edge);
	if (rc != DB_OK) return rc;
	if (n >= THROTTLE_PER_ADDRESS) {
		/* until the oldest failure of the window ages out */
		int64_t by_address = later(edge + THROTTLE_MINUTES * 60L, now);
		if (by_address > *wait) *wait = by_address;
	}
	return DB_OK;
}

int signin_attempt(db *d, const char *login_key, const char *ip, int64_t *wait_seconds)
{
	*wait_seconds = 0;
	/* Check and count in one write transaction: parallel guesses queue on
	 * the write lock, each sees the ones before it. */
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	char now[21], old[21];
	db_now(now);
	session_time_offset(old, -THROTTLE_PAIR_HOURS * 60L);
	/* bounded storage: nothing older than the longest window is read */
	rc = db_execf(d, "DELETE FROM signin_attempts WHERE at < ?", "t", old);
	if (rc == DB_OK) rc = throttle_wait(d, login_key, ip, stamp_seconds(now), wait_seconds);
	if (rc == DB_OK && *wait_seconds == 0)
		rc = db_execf(d, "INSERT INTO signin_attempts (login, ip, at, ok) VALUES (?, ?, ?, 0)",
		              "ttt", login_key, ip, now);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int signin_succeeded(db *d, const char *login_key, const char *ip)
{
	/* only this pair: the owner's success must not reset a guesser elsewhere */
	return db_execf(d, "DELETE FROM signin_attempts WHERE login = ? AND ip = ? AND ok = 0", "tt",
	                login_key, ip);
}
