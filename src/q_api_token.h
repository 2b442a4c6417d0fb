/* q_api_token.h — API tokens: how another school system (a school
 * management system, a ministry collector) signs in to the JSON API as an
 * account, with `Authorization: Bearer chiso_…`.
 *
 * A token acts exactly as its account: the same roles, the same authz
 * checks. Like session tokens, a token is 32 random bytes shown once when
 * created; only its SHA-256 is stored, so a copy of the database does not
 * let anyone in. A token can be revoked; a disabled account's tokens stop
 * working with it (the account is checked on every request). */
#ifndef CHISO_Q_API_TOKEN_H
#define CHISO_Q_API_TOKEN_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_account.h"

#define API_TOKEN_PREFIX "chiso_"   /* lets secret scanners recognise a leaked token */
enum { API_TOKEN_LEN = 6 + 43, API_TOKEN_LABEL_MAX = 100 };

typedef struct api_token {
	int64_t id, account_id;
	const char *label;
	const char *created_at, *last_used_at, *expires_at, *revoked_at;   /* NULL when never / none */
} api_token;

/* A new token for account_id (label: what it is for, 1–100 characters;
 * expires_at: ISO date-time or NULL for no expiry). *token (arena) is the
 * secret, shown once. Audited (api_token.create, never the secret). */
int api_token_create(db *d, int64_t actor, int64_t account_id, const char *label,
                     const char *expires_at, arena *a, char **token, int64_t *id);
/* The account of a live token (not revoked, not expired); DB_ENOTFOUND
 * otherwise, also for anything not shaped like a token. Notes the use (at
 * most every few minutes, so reads stay reads). */
int api_token_lookup(db *d, const char *token, int64_t *account_id, int64_t *token_id);
/* api_token_lookup, account_get and account_grants in one round trip (issue
 * 19: every API request); the note of use as api_token_lookup. */
int api_token_account(db *d, const char *token, arena *a, account *out, authz_grant **g, size_t *n);
/* An account's tokens, newest first, revoked ones included. */
int api_token_list(db *d, int64_t account_id, arena *a, api_token **out, size_t *n);
/* Revokes token id of account_id; DB_ENOTFOUND when it is not theirs or
 * already revoked. Audited. */
int api_token_revoke(db *d, int64_t actor, int64_t account_id, int64_t id);

/* Migration SQL for the table (db_schema.c lists it as migration 4). */
extern const char api_token_migration_sql[];
#endif
