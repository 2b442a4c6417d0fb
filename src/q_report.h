/* q_report.h — the office's report to its superior (báo cáo kết quả, issue
 * 11 item 4): one per round, written by the round's office, addressed to
 * its managing body on the round's date; the figures computed from the
 * round when it is sent, the narrative, the state and every state change.
 * The store records states as codes it is given (workflow.c's
 * wf_report_state_code) and compares-and-sets them; it decides nothing. */
#ifndef CHISO_Q_REPORT_H
#define CHISO_Q_REPORT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_round.h"

extern const char report_migration_sql[];

typedef struct office_report {
	int64_t id, round_id, office_unit_id, to_unit_id;
	const char *state;          /* wf_report_state_code() */
	const char *figures_json;   /* what was reported, frozen when sent; NULL until then */
	const char *narrative;
	const char *return_reason;  /* the last return's; NULL otherwise */
	const char *sent_at, *updated_at;
} office_report;

/* DB_ENOTFOUND when the round has no report yet. */
int report_get_round(db *d, int64_t round_id, arena *a, office_report *out);

/* Saves the narrative of the round's report (creating it in state
 * `draft_code` addressed to to_unit_id when there is none), only while
 * its state is one of `editable` (codes, NULL-terminated); else
 * DB_ECONFLICT. Audited (report.draft). */
int report_save(db *d, int64_t actor, int64_t round_id, int64_t office_unit_id, int64_t to_unit_id,
                const char *draft_code, const char *const *editable, const char *narrative, int64_t *id);

/* from → to (codes), compare-and-set: DB_ECONFLICT when the stored state
 * is no longer `from`. figures_json (may be NULL: kept) is frozen with a
 * send; reason is kept with a return. A transition row and an audit row
 * (report.<to>). */
int report_transition(db *d, int64_t actor, int64_t id, const char *from, const char *to,
                      const char *figures_json, const char *reason);

typedef struct report_transition_row {
	int64_t account_id;
	const char *from_state, *to_state, *reason, *at;
} report_transition_row;
int report_history(db *d, int64_t id, arena *a, report_transition_row **out, size_t *n);

/* The superior's inbox: every round whose office was managed by `to_unit`
 * on the round's report deadline (else its self-assessment deadline),
 * with its report when there is one (report.id 0 otherwise); the latest
 * deadline first. */
typedef struct report_inbox_row {
	round_row round;
	const char *office_name;
	office_report report;
} report_inbox_row;
int report_inbox(db *d, int64_t to_unit, arena *a, report_inbox_row **out, size_t *n);

/* The automatic reminders of the report deadline (autoremind.c): one row
 * per slot taken, as reminder_slots for the schools' files. */
extern const char report_remind_migration_sql[];
/* *taken: the round's report slot (before/day/after of `deadline`) was
 * free and is now taken — never twice. */
int report_remind_claim(db *d, int64_t round_id, const char *slot, const char *deadline, bool *taken);
#endif
