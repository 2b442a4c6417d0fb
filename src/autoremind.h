/* autoremind.h — automatic deadline reminders (issue 16, item 12), run by
 * the job worker of `chiso serve` (and `chiso job remind`): for each open
 * round whose office set them (q_autoremind.h), every unit that has not
 * sent its file gets one e-mail N days before its deadline (the round's, or
 * its extension), one on the day and one N days after. A slot is taken in
 * reminder_slots before its message is queued, so it is never sent twice,
 * whichever server or pass gets there first; a slot missed while no server
 * ran is caught up within AUTOREMIND_CATCH_UP days, not later. The messages
 * go as a "reminders" job (remind.h), one per round and pass. */
#ifndef CHISO_AUTOREMIND_H
#define CHISO_AUTOREMIND_H
#include <stddef.h>
#include "db.h"
#include "q_autoremind.h"

enum { AUTOREMIND_CATCH_UP = 3, AUTOREMIND_INTERVAL_DEFAULT = 300 };

/* The scheduler's today (yyyymmdd): $CHISO_REMIND_TODAY ("2026-12-10",
 * for tests: the injected clock), else the Vietnamese date. */
int autoremind_today(void);
/* Which slot of `s` falls on `today` for a deadline (both yyyymmdd):
 * "before", "day", "after", or NULL. */
const char *autoremind_slot(const autoremind_settings *s, int today, int deadline);
/* One pass: the slots due today become reminder jobs. *queued: messages
 * queued. base_url (no trailing '/') for the link, may be NULL. */
int autoremind_tick(db *d, int today, const char *base_url, size_t *queued);
/* autoremind_tick at most once per $CHISO_REMIND_INTERVAL seconds
 * (default AUTOREMIND_INTERVAL_DEFAULT): the worker calls it each loop.
 * Errors go to stderr. */
void autoremind_maybe_tick(db *d, const char *base_url);
#endif
