/* q_submission.h — what passes between a school and its evaluating office
 * once the self-assessment is approved: the request letter (tờ trình đề
 * nghị đánh giá ngoài) that goes with a submission, and the office's
 * return for supplement (yêu cầu bổ sung) with a reason per item.
 *
 * Like q_assessment.h, the store records and does not decide: the
 * assessment service (assess.c) has checked the transition with wf_check
 * and the account with authz, and passes the state it checked against and
 * the one workflow.c leads to (compare-and-set, DB_ECONFLICT when someone
 * moved the assessment meanwhile). Each call that changes the
 * state does the transition and its side records in one transaction, so a
 * submission never exists without its letter, nor a return without its
 * reasons. */
#ifndef CHISO_Q_SUBMISSION_H
#define CHISO_Q_SUBMISSION_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

enum { SUBMISSION_LETTER_MAX = 20000 };   /* bytes; a letter is about 2 KB */

/* ---- the request letter ------------------------------------------------ */

/* The letter being prepared (one per assessment), saved without sending.
 * letter NULL or blank deletes the draft. Audited (submission.draft). */
int submission_draft_save(db *d, int64_t actor, int64_t assessment_id, const char *letter);
typedef struct submission_draft {
	const char *letter, *updated_at;
	int64_t updated_by;
} submission_draft;
/* DB_ENOTFOUND when there is no draft. */
int submission_draft_get(db *d, int64_t assessment_id, arena *a, submission_draft *out);

typedef struct submission {
	int64_t id, assessment_id;
	int64_t transition_id;        /* the from → submitted transition */
	const char *letter;           /* as sent, NFC */
	const char *summary_json;     /* totals and levels when sent (the caller's JSON) */
	int64_t created_by;
	const char *created_at;
} submission;

/* Moves the assessment from `from_state` to `to_state` (the submission:
 * state codes as the service decided them) and stores the
 * letter (required) and the score summary (JSON text, may be NULL) with it;
 * the draft is consumed. Audited (the transition and submission.send). */
int submission_send(db *d, int64_t actor, int64_t assessment_id, const char *from_state, const char *to_state,
                    const char *letter, const char *summary_json, int64_t *id);
/* Every submission of the assessment, oldest first (a returned assessment
 * is submitted again). */
int submission_list(db *d, int64_t assessment_id, arena *a, submission **out, size_t *n);
/* The latest; DB_ENOTFOUND when never submitted. */
int submission_latest(db *d, int64_t assessment_id, arena *a, submission *out);

/* ---- return for supplement ------------------------------------------------ */

typedef struct return_item {
	const char *item_code;        /* framework item or criterion code */
	const char *reason;           /* what to supplement, NFC */
	int64_t created_by;
	const char *created_at;
} return_item;

/* The office writes reasons item by item while it reviews; they stay
 * pending (invisible to the school) until submission_return sends them.
 * reason NULL or blank removes the item's pending reason. Audited. */
int submission_return_note_set(db *d, int64_t actor, int64_t assessment_id,
                               const char *item_code, const char *reason);
/* Pending reasons by item code. */
int submission_return_notes_pending(db *d, int64_t assessment_id, arena *a, return_item **out,
                                    size_t *n);

/* Moves the assessment from `from_state` to `to_state` (the return for
 * supplement, as the service decided it) with the general
 * reason and the supplement deadline (ISO, may be NULL), and makes the
 * pending reasons, plus items[0..n) (which replace pending ones for the
 * same item), this return's per-item reasons. *transition_id may be NULL. */
int submission_return(db *d, int64_t actor, int64_t assessment_id, const char *from_state,
                      const char *to_state, const char *reason, const char *extended_until, const return_item *items,
                      size_t n, int64_t *transition_id);

typedef struct return_notice {
	int64_t transition_id;
	int64_t by;                   /* the office account that returned it */
	const char *at;               /* timestamp */
	const char *reason;           /* the general reason */
	const char *extended_until;   /* the supplement deadline, or NULL */
	return_item *items;           /* by item code */
	size_t nitems;
} return_notice;
/* The latest return of the assessment with its per-item reasons;
 * DB_ENOTFOUND when it was never returned. */
int submission_last_return(db *d, int64_t assessment_id, arena *a, return_notice *out);
/* The reason the latest return gave for one item; *reason NULL when none. */
int submission_return_reason_for(db *d, int64_t assessment_id, const char *item_code, arena *a,
                                 const char **reason);

/* Migration SQL for these tables (db_schema.c lists it as version 3). */
extern const char submission_migration_sql[];
#endif
