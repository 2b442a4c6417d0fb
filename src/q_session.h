/* q_session.h — sign-in sessions and sign-in throttling, kept in the
 * database so that several `chiso serve` processes share them (STYLE.md:
 * the server keeps no state of its own). A session token is 32 random
 * bytes; only its SHA-256 is stored, so a copy of the database does not
 * let anyone sign in. */
#ifndef CHISO_Q_SESSION_H
#define CHISO_Q_SESSION_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

enum { SESSION_HOURS = 12 };

typedef struct session {
	int64_t account_id;
	const char *csrf;          /* the form token of this session */
	const char *expires_at;
} session;

/* Creates a session; *token (arena) is what goes in the cookie. */
int session_create(db *d, int64_t account_id, const char *ip, arena *a, char **token, char **csrf);
/* DB_ENOTFOUND for an unknown or expired token. */
int session_get(db *d, const char *token, arena *a, session *out);
int session_delete(db *d, const char *token);
/* Ends every session of an account (password changed, account disabled). */
int session_delete_account(db *d, int64_t account_id);

/* Sign-in throttling. Each (login key, address) pair has THROTTLE_FREE_TRIES
 * failures free within THROTTLE_PAIR_HOURS; after that it waits
 * signin_delay_seconds(failures) from its last failure before the next
 * password check. An address with THROTTLE_PER_ADDRESS failures over any
 * logins in THROTTLE_MINUTES waits too. Nothing is counted per login alone,
 * so no one can lock another person out. */
enum {
	THROTTLE_FREE_TRIES = 5, THROTTLE_FIRST_DELAY = 60, THROTTLE_MAX_DELAY = 3600,
	THROTTLE_PAIR_HOURS = 24, THROTTLE_MINUTES = 15, THROTTLE_PER_ADDRESS = 30,
};
/* Seconds a pair waits after its `failures`-th failure: 0 below
 * THROTTLE_FREE_TRIES, then THROTTLE_FIRST_DELAY doubling per failure up
 * to THROTTLE_MAX_DELAY. Pure. */
int signin_delay_seconds(int64_t failures);
/* Before a password check: *wait_seconds > 0 refuses it for that long;
 * otherwise the attempt is counted as a failure right away (check and count
 * in one transaction, so parallel guesses cannot slip past) until
 * signin_succeeded clears it. login_key: account_login_key's form ("" for a
 * login no account can have). */
int signin_attempt(db *d, const char *login_key, const char *ip, int64_t *wait_seconds);
/* The password was right: the pair's failures are forgotten. */
int signin_succeeded(db *d, const char *login_key, const char *ip);

/* Migration SQL for these tables (db_schema.c lists it). */
extern const char session_migration_sql[];
extern const char signin_migration_sql[];

/* UTC timestamp `minutes` from now (negative for the past), in the stored
 * format "YYYY-MM-DDTHH:MM:SSZ". */
void session_time_offset(char out[static 21], long minutes);
#endif
