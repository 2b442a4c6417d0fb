/* q_assessment.h — assessments (one per unit per round), their state
 * changes, and their answers.
 *
 * The store records states; it does not decide them: workflow.c says which
 * transition is allowed (wf_check) and authz.c who may ask, then
 * assessment_transition records it as a compare-and-set (the state must
 * still be what the caller checked) with a transition row and an audit row.
 *
 * Answers are versioned: every change is a new row (author, time, reason),
 * the current answer of an item is its latest version, and self and
 * external answers are kept apart (side). */
#ifndef CHISO_Q_ASSESSMENT_H
#define CHISO_Q_ASSESSMENT_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "arena.h"
#include "db.h"
#include "q_round.h"
#include "q_unit.h"

typedef struct assessment {
	int64_t id, round_id, unit_id;
	const char *framework_id, *framework_revision;  /* kept for good */
	const char *state;              /* wf_state_code(): "draft" … */
	const char *state_changed_at;
	const char *extended_until;     /* supplement deadline after a return, or NULL */
	int self_level, external_level, recognised_level;   /* 1–3, 0 = none yet */
	int64_t recognition_decision_id;
} assessment;

/* A new assessment in state "not_started". DB_ECONSTRAINT when the unit
 * already has one in this round. Audited. */
int assessment_create(db *d, int64_t actor, int64_t round_id, int64_t unit_id,
                      const char *framework_id, const char *framework_revision, int64_t *id);
int assessment_get(db *d, int64_t id, arena *a, assessment *out);
/* What authz and the view need to know about an account and one
 * assessment beside the rows themselves, in one round trip (issue 19):
 * whether its council is formed, whether the account is that council's
 * secretary, whether it is an evaluator assigned to the unit in the round
 * and the team head. */
/* assessment_get, round_get and unit_get of its round and unit in one
 * round trip (the assessment view, issue 19). */
int assessment_get_with_round_unit(db *d, int64_t id, arena *a, assessment *out, round_row *round, unit *u);
typedef struct assessment_facts {
	bool council_formed, council_secretary, assigned_evaluator, team_head;
	bool self_published;              /* school_self_published's answer */
} assessment_facts;
int assessment_facts_get(db *d, int64_t assessment_id, int64_t round_id, int64_t unit_id, int64_t account_id,
                         assessment_facts *out);
/* The columns every query reading an assessment selects first, in this
 * order (a table alias may be put before each), and the reader of them. */
#define ASSESSMENT_COLUMNS "id, round_id, unit_id, framework_id, framework_revision, state," \
	" state_changed_at, extended_until, self_level, external_level, recognised_level," \
	" recognition_decision_id"
void assessment_read_row(db_stmt *s, arena *a, assessment *o);
int assessment_find(db *d, int64_t round_id, int64_t unit_id, arena *a, assessment *out);
int assessment_list_round(db *d, int64_t round_id, arena *a, assessment **out, size_t *n);
/* The assessments of a round whose units `office` manages on `date`
 * ("YYYY-MM-DD"): a commune's schools in the Sở's round. */
int assessment_list_managed(db *d, int64_t round_id, int64_t office, const char *date, arena *a, assessment **out,
                            size_t *n);

/* Records from → to (state codes) with the reason. DB_ECONFLICT when the
 * stored state is no longer `from` (someone else moved it meanwhile).
 * extended_until (may be NULL) is stored with a return for supplement. */
int assessment_transition(db *d, int64_t actor, int64_t id, const char *from, const char *to,
                          const char *reason, const char *extended_until);

typedef struct assessment_transition_row {
	int64_t id, account_id;
	const char *from_state, *to_state, *at, *reason;
} assessment_transition_row;
/* Oldest first. */
int assessment_transitions(db *d, int64_t id, arena *a, assessment_transition_row **out,
                           size_t *n);

/* The three levels an assessment keeps, and their codes as `side` takes
 * them ("self", "external", "recognised": a level, not a state). */
typedef enum assessment_level { LEVEL_SELF, LEVEL_EXTERNAL, LEVEL_RECOGNISED } assessment_level;
const char *assessment_level_code(assessment_level l);

/* The levels computed by the scoring engine (0 = clear). side: an
 * assessment_level_code. Audited. */
int assessment_set_level(db *d, int64_t actor, int64_t id, const char *side, int level);

/* Per-level counts of recognised levels in a round: counts[0] = none yet,
 * counts[1..3] = Mức 1..3. unit_type NULL = every type. */
int assessment_level_counts(db *d, int64_t round_id, const char *unit_type, int64_t counts[4]);

typedef enum answer_side { ANSWER_SELF, ANSWER_EXTERNAL } answer_side;
const char *answer_side_code(answer_side s);      /* "self" / "external" */

typedef struct assessment_answer {
	int64_t id, assessment_id;
	const char *item_code;
	answer_side side;
	int version;                 /* 1, 2, … */
	const char *value_json;      /* canonical JSON (sorted keys) */
	const char *reason;          /* why (required by callers for external differences) */
	int64_t author_id;
	const char *created_at;
} assessment_answer;

/* Stores a new version of the answer to item_code on `side`. value_json
 * must be JSON (any value); it is stored canonicalised. An answer equal to
 * the current one (value and reason) creates no version: *version is the
 * current one and *changed false. Audited (answer.put) with the previous
 * and the new value. version / changed may be NULL. */
/* The save with a compare-and-set: `cur` is the current answer the caller
 * read (NULL: the item was never answered). Stored as version
 * cur->version + 1 unless that version exists already — another save came
 * first — which is DB_ECONFLICT with *version the current version: the
 * caller reloads, nothing is reordered. Same value and reason as `cur`:
 * nothing stored, *changed false, no round trip. Otherwise four round trips
 * on PostgreSQL (BEGIN + lock + audit tail, the version — answers_current
 * follows by trigger —, the audit row, COMMIT). */
int assessment_answer_save(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                           answer_side side, const char *value_json, const char *reason,
                           const assessment_answer *cur, int *version, bool *changed);
int assessment_answer_put(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                          answer_side side, const char *value_json, const char *reason,
                          int *version, bool *changed);
/* Migration 11 (db_schema.c): answers_current, one row per current answer. */
extern const char answers_current_migration_sql[];
extern const char answers_current_migration_sqlite[];
extern const char answers_current_migration_pg[];
/* The current answers (latest version per item) of one side, by item code:
 * one row per item (answers_current), whatever the history. */
int assessment_answers(db *d, int64_t assessment_id, answer_side side, arena *a,
                       assessment_answer **out, size_t *n);
/* The current answer to one item; DB_ENOTFOUND when never answered. */
int assessment_answer_get(db *d, int64_t assessment_id, answer_side side, const char *item_code,
                          arena *a, assessment_answer *out);
/* Every version of one item's answer, oldest first. */
int assessment_answer_history(db *d, int64_t assessment_id, answer_side side,
                              const char *item_code, arena *a, assessment_answer **out,
                              size_t *n);

/* Moves the assessment from revision `from` of its framework to `to`
 * (compare-and-set: DB_ECONFLICT if it is no longer on `from`), audited
 * (assessment.revision) with `plan`, whose reference it takes. The
 * service (assess_carry) decides; this only records. */
int assessment_set_revision(db *d, int64_t actor, int64_t id, const char *from, const char *to, json_t *plan);

/* Framework item codes ("1.3", "2.4.b"): 1–32 of A-Z a-z 0-9 . _ -. */
bool assessment_item_code_valid(const char *code);
#endif
