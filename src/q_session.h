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

enum { SESSION_HOURS = 12, THROTTLE_MINUTES = 15, THROTTLE_PER_LOGIN = 5, THROTTLE_PER_ADDRESS = 30 };

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

/* Sign-in throttling per login and per address over the last
 * THROTTLE_MINUTES. *blocked tells whether to refuse without checking the
 * password; *wait_minutes how long until the oldest failure ages out. */
int signin_throttled(db *d, const char *login, const char *ip, bool *blocked, int *wait_minutes);
int signin_record(db *d, const char *login, const char *ip, bool ok);

/* Migration SQL for these tables (db_schema.c lists it). */
extern const char session_migration_sql[];

/* UTC timestamp `minutes` from now (negative for the past), in the stored
 * format "YYYY-MM-DDTHH:MM:SSZ". */
void session_time_offset(char out[static 21], long minutes);
#endif
