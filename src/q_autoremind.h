/* q_autoremind.h — automatic deadline reminders (issue 16, item 12): each
 * round's settings (N days before the deadline, on the day, N days after),
 * the record of every reminder slot taken — one row per (assessment, slot,
 * deadline), claimed before it is sent, so no reminder goes twice even with
 * several servers — and the server's own settings (key → value; the SMTP
 * configuration of the administration page). Migration 13. */
#ifndef CHISO_Q_AUTOREMIND_H
#define CHISO_Q_AUTOREMIND_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char autoremind_migration_sql[];

typedef struct autoremind_settings {
	int64_t round_id;
	int days_before;     /* 0 = no reminder before */
	bool on_day;
	int days_after;      /* 0 = no reminder after */
} autoremind_settings;

/* A round's settings; all zero (off) when never set. */
int autoremind_get(db *d, int64_t round_id, autoremind_settings *out);
/* Sets them (days 0..60). Audited (round.reminders). */
int autoremind_set(db *d, int64_t actor, const autoremind_settings *s);
/* The settings of open rounds with any reminder on. */
int autoremind_active(db *d, arena *a, autoremind_settings **out, size_t *n);
/* Takes the slot ("before", "day", "after") of an assessment's deadline
 * (ISO): *taken is false when it was taken before (by this or another
 * server). */
int autoremind_claim(db *d, int64_t assessment_id, const char *slot, const char *deadline, bool *taken);
/* How many slots an assessment has had (tests, the round page). */
int autoremind_count(db *d, int64_t round_id, int64_t *n);

/* The server's settings: a value, NULL when unset. */
int server_setting_get(db *d, const char *key, arena *a, char **out);
/* Sets (value non-NULL) or removes one. Audited without the value when
 * `secret` (a password). */
int server_setting_set(db *d, int64_t actor, const char *key, const char *value, bool secret);
#endif
