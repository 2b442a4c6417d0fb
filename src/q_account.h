/* q_account.h — accounts (login, name, argon2id password hash, active) and
 * their role assignments (role × unit scope × round scope, authz.h's
 * grants). Passwords are hashed with libsodium's crypto_pwhash_str at the
 * INTERACTIVE limits (argon2id, 64 MiB, ~55 ms here) and rehashed on sign-in
 * when the limits change. */
#ifndef CHISO_Q_ACCOUNT_H
#define CHISO_Q_ACCOUNT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "authz.h"
#include "db.h"

typedef struct account {
	int64_t id;
	const char *login;        /* lower case */
	const char *full_name;    /* NFC */
	const char *email, *phone;
	bool active;
	bool has_password;
	const char *created_at;
} account;

enum { ACCOUNT_LOGIN_MIN = 3, ACCOUNT_LOGIN_MAX = 64 };

/* The one normal form of a login, used to find the account and to count
 * failed sign-ins: surrounding blanks trimmed, A-Z folded to a-z. Logins
 * are ASCII only (a-z 0-9 . _ @ -), so NFC changes nothing once a login is
 * valid. false (and out "") for a string no account can have. Pure. */
bool account_login_key(const char *in, char out[static ACCOUNT_LOGIN_MAX + 1]);

/* Creates an account. login: 3–64 of a-z 0-9 . _ @ - (upper case is folded);
 * password may be NULL (set later) or at least 8 bytes. Audited as
 * account.create; the hash never enters the audit log. */
int account_create(db *d, int64_t actor, const char *login, const char *full_name,
                   const char *password, int64_t *id);
/* The same with a password hash made beforehand by account_password_hash
 * (the demo hashes its one shared password once instead of 221 times). */
int account_create_hashed(db *d, int64_t actor, const char *login, const char *full_name,
                          const char *hash, int64_t *id);
int account_get(db *d, int64_t id, arena *a, account *out);
int account_find_login(db *d, const char *login, arena *a, account *out);
int account_set_password(db *d, int64_t actor, int64_t id, const char *password);
/* Disabling the last active system administrator is refused
 * (DB_ECONFLICT), and so is revoking its system_admin role. */
int account_set_active(db *d, int64_t actor, int64_t id, bool active);
/* The account's e-mail (NULL or "" clears it); checked for one '@' and a
 * dot in the domain. Audited as account.email. */
int account_set_email(db *d, int64_t actor, int64_t id, const char *email);
/* Accounts ordered by login: all (scope_office 0) or those holding a role
 * on a unit of the office's subtree on `date`, the office included;
 * `text` (may be NULL) matches the login, the e-mail or the folded name
 * (any tone marks, any case). Rows offset..offset+limit of the matches,
 * *total = how many matched. */
int account_list(db *d, int64_t scope_office, const char *date, const char *text, size_t limit,
                 size_t offset, arena *a, account **out, size_t *n, size_t *total);

/* Checks a sign-in. DB_OK with *id set on success; DB_EINVAL with one
 * message for an unknown login and a wrong password alike (no account
 * enumeration, and an unknown login costs the same argon2id time);
 * a disabled account is refused with its own message only after the
 * password matched. Upgrades the stored hash when it needs a rehash. */
int account_authenticate(db *d, const char *login, const char *password, int64_t *id);

/* The password primitives, for tests and tools. hash_out has room for
 * crypto_pwhash_STRBYTES (128) bytes. */
int account_password_hash(const char *password, char hash_out[128]);
bool account_password_verify(const char *hash, const char *password);
bool account_password_needs_rehash(const char *hash);

typedef struct role_assignment {
	int64_t id, account_id;
	const char *role;         /* authz_role_code(): "office_admin" … */
	int64_t unit_id;          /* 0 for system_admin */
	int64_t round_id;         /* 0 = every round */
} role_assignment;

/* Grants a role. system_admin takes no unit; every other role needs one;
 * external_evaluator and council_member need a round. Granting the same
 * role on the same scope twice is DB_ECONSTRAINT. Audited (role.grant). */
int account_grant(db *d, int64_t actor, int64_t account_id, const char *role,
                  int64_t unit_id, int64_t round_id, int64_t *assignment_id);
int account_revoke(db *d, int64_t actor, int64_t assignment_id);
int account_roles(db *d, int64_t account_id, arena *a, role_assignment **out, size_t *n);
/* The same as authz_grant values, ready for authz_account. */
int account_grants(db *d, int64_t account_id, arena *a, authz_grant **out, size_t *n);
/* account_get and account_grants in one round trip (*g never NULL on
 * success, *n may be 0). */
int account_get_with_grants(db *d, int64_t id, arena *a, account *out, authz_grant **g, size_t *n);
/* Steps a prepared statement whose columns are those of
 * account_get_with_grants (the account, then role, unit_id, round_id of
 * each grant) and finishes it; columns 11 and 12 of the first row, when
 * asked, into *c11 / *c12. DB_ENOTFOUND when there is no row. */
int account_grants_rows(db_stmt *s, arena *a, account *out, authz_grant **g, size_t *n, int64_t *c11,
                        const char **c12);
#endif
