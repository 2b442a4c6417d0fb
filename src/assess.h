/* assess.h — the assessment service: the rules applied to one assessment,
 * with a db handle and an account, and no HTTP.
 *
 * Two things live here and nowhere else:
 *   - scoring stored answers: the one place a score sheet is built from an
 *     assessment's stored answers (assess_sheet_*), used by the pages, the
 *     documents, the dashboards, the demo and `chiso levels verify`;
 *   - applying a workflow action (assess_act): the actor's capacities from
 *     authz.c, the transition from workflow.c's table, what the action
 *     records beside it (letter, return reasons, decision, snapshot), the
 *     level it fixes and their audit rows, in ONE write transaction, with
 *     one refusal enum. Pages, the JSON API and the demo call it; no other
 *     file applies a transition.
 * The store (q_*.c) records what this module decided. */
#ifndef CHISO_ASSESS_H
#define CHISO_ASSESS_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "authz.h"
#include "buf.h"
#include "db.h"
#include "framework.h"
#include "q_assessment.h"
#include "q_office.h"
#include "q_submission.h"
#include "score.h"
#include "workflow.h"

/* ---- dates --------------------------------------------------------------- */

/* yyyymmdd of an ISO date ("2025-03-15…"), 0 for NULL or invalid. */
int assess_ymd(const char *iso);
/* Today in Asia/Ho_Chi_Minh (UTC+7, no DST) as yyyymmdd: deadlines are
 * Vietnamese dates. */
int assess_today(void);

/* ---- scoring stored answers ------------------------------------------------ */

/* The round's level policy code ("min", "per_group_only"); NULL or unknown
 * is "min" (the store's CHECK allows nothing else). */
unit_policy assess_policy(const char *code);

/* An answer sheet being filled from stored answers: answers by leaf index,
 * allocated in `a`. */
typedef struct assess_sheet {
	const framework *fw;
	unit_type type;
	arena *a;
	answer_sheet sheet;
	size_t bad;                 /* stored values that did not parse */
} assess_sheet;

void assess_sheet_init(assess_sheet *s, const framework *fw, unit_type t, arena *a);
/* One stored answer of `leaf` (value_json as stored; "null" is a cleared
 * answer). A value that does not parse counts as unanswered, so that one
 * bad stored value cannot hide the others; the reason goes to err (may be
 * NULL) and false is returned. A leaf without a rule is skipped (false). */
bool assess_sheet_put(assess_sheet *s, const fw_node *leaf, const char *value_json, buf *err);
/* The same by item code; codes not in the framework are skipped (false). */
bool assess_sheet_put_code(assess_sheet *s, const char *item_code, const char *value_json, buf *err);
/* Reads the current answers of `side` of assessment `id` into s. stored
 * (may be NULL) receives the stored rows by leaf index (NULL when never
 * answered), allocated in s->a. */
int assess_sheet_load(db *d, assess_sheet *s, int64_t id, answer_side side, assessment_answer ***stored,
                      buf *err);
/* Scores the sheet under the round's policy (assess_policy of its code).
 * NULL when the framework cannot be scored (an incomplete framework); the
 * caller frees with score_free. */
score_result *assess_sheet_score(const assess_sheet *s, unit_policy policy, buf *err);

/* The whole path for one side of one stored assessment: finds its
 * framework version in cat, reads the answers, scores. DB_EINVAL with the
 * reasons in err when the version or the unit type is unknown, or a stored
 * value does not parse. *level is 0 when the policy gives none. result (may
 * be NULL) receives the score (caller frees). `chiso levels verify` checks
 * the stored levels through this. */
int assess_score(db *d, const fw_catalog *cat, const assessment *as, const char *type_code,
                 const char *policy, answer_side side, int *level, score_result **result, buf *err);

/* An answer sheet given whole as JSON text (`chiso score`'s format), for
 * answers not stored yet (the demo's generator, the benchmark). partial:
 * required items may be unanswered. */
int assess_score_json(const framework *fw, const char *sheet_json, const char *policy, bool partial,
                      int *level, score_result **result, buf *err);

/* ---- applying an action ---------------------------------------------------- */

/* Why an action was not applied. assess_refusal_status gives the HTTP
 * status the pages and the API answer with. */
typedef enum assess_refusal {
	ASSESS_OK = 0,
	ASSESS_BAD_REQUEST,     /* 400: unknown action, malformed request */
	ASSESS_FORBIDDEN,       /* 403: not in this account's capacity */
	ASSESS_NOT_FOUND,       /* 404 */
	ASSESS_CONFLICT,        /* 409: not from this state, or someone moved it first */
	ASSESS_UNMET,           /* 422: a precondition or an input refused */
	ASSESS_FAILED,          /* 500: the store failed */
	ASSESS_REFUSAL_COUNT
} assess_refusal;

/* The HTTP status of a refusal (200 for ASSESS_OK), for pages and API alike. */
int assess_refusal_status(assess_refusal r);
/* What to say when the refusal came with no message of its own, in
 * Vietnamese ("" for ASSESS_OK). */
const char *assess_refusal_message(assess_refusal r);
/* An access refusal from authz_check as a refusal: a state's lock is a
 * conflict (409), anything else forbidden (403). */
assess_refusal assess_refusal_of_authz(const authz_decision *why);

/* One assessment an action is applied to, as the caller found it. */
typedef struct assess_target {
	int64_t id;
	/* The workflow facts (state, today, round, council, counts…); actor,
	 * reason, new deadline and decision are filled by assess_act. */
	wf_input facts;
	/* The account on this assessment: authz_capacities gives the
	 * capacities it acts in. NULL only for the demo, which writes as named
	 * people and states facts.actor itself. */
	const authz_ctx *az;
	/* The score of the side the action fixes a level from (self before
	 * submission, external from the evaluation on), from assess_sheet_score;
	 * NULL when there is none. */
	const score_result *score;
	const char *summary_json;   /* submit: the score summary the submission carries */
	/* submit: seals what is sent (issue 17: sign_trust.h's
	 * sign_seal_submission), called inside the transaction after the
	 * submission is recorded, so that a failure or a crash leaves neither;
	 * NULL = no seal (the demo, the unit tests that need none). */
	int (*seal)(db *d, const void *ctx, int64_t assessment_id);
	const void *seal_ctx;
	const char *result_json;    /* publish: the public snapshot (required) */
	const char *label;          /* the unit's name, put before a workflow refusal; NULL = none */
} assess_target;

/* What is asked, the same for every target. */
typedef struct assess_request {
	wf_action action;
	int64_t account_id;         /* the author of the rows (0 = the system) */
	const char *reason;         /* as typed; blank counts as absent */
	const char *new_deadline;   /* return: ISO date for the supplement, NULL = none */
	const return_item *items;   /* return: the reasons item by item */
	size_t nitems;
	const char *letter;         /* submit: the request letter (required) */
	const decision *decision;   /* recognise: number, date, signer */
	int64_t issuer;             /* recognise: the office issuing the decision */
	int level;                  /* recognise: the level the decision names, which must be the
	                               one the team's answers give (422 otherwise); 0 = not named */
} assess_request;

/* Applies rq to targets t[0..n) (n > 1 only for recognition, which is one
 * decision for several units): checks each with wf_check, then in one
 * write transaction records each transition (compare-and-set on the state
 * checked), what the action carries, the level it fixes and their audit
 * rows. All or nothing. On a refusal res->message says why in Vietnamese
 * (a workflow refusal prefixed with the target's label, if any);
 * res->refusal is the workflow's refusal when the workflow refused, WF_OK
 * when the store did; res->next is the new state on success. */
assess_refusal assess_act(db *d, const assess_request *rq, const assess_target *t, size_t n, wf_result *res);

/* The school's self-assessment result made public before recognition, or
 * withdrawn (issue 11, item 5): wf_self_publication_check on t's facts in
 * the capacities authz gives, then, in one write transaction, the state
 * compared with the one checked and the public snapshot t->result_json
 * (required to publish: the self-assessment score) stored or removed. The
 * state does not change. */
assess_refusal assess_self_publication(db *d, int64_t account_id, const assess_target *t, bool publish, wf_result *res);

/* Which level, if any, an action fixes when it succeeds (*which) and the
 * one to store (*level). False when it fixes none. Pure; exported for the
 * tests. */
bool assess_level_fixed(wf_action a, wf_state next, const score_result *score, assessment_level *which, int *level);

/* A test hook: when set, assess_act calls it after recording the
 * transition (and what the action carries) and before writing the level;
 * non-zero makes the whole action fail and roll back. Never set outside
 * tests. */
extern int (*assess_fault_hook)(db *d, int64_t assessment_id, wf_action a);
#endif
