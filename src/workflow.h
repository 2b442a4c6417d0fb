/* workflow.h — the assessment workflow as a pure state machine.
 *
 * One assessment per unit per round moves through the states below
 * (DOMAIN.md §3; the graph with who and preconditions is in docs/workflow.md).
 * This module owns three rules and nothing else:
 *   - which transitions exist (from which states, to which state),
 *   - in which capacity an actor may take each one (WF_BY_* bits; whether a
 *     given account holds a capacity on a given assessment is authz.c's
 *     question — see authz_capacities),
 *   - the preconditions, each refused with a Vietnamese message.
 * It also says which states let people edit self answers, external answers
 * and the council. Pure: no clock, no I/O; the caller passes today's date. */
#ifndef CHISO_WORKFLOW_H
#define CHISO_WORKFLOW_H
#include <stdbool.h>

typedef enum wf_state {
	WF_STATE_INVALID = -1,
	WF_NOT_STARTED = 0,     /* no assessment yet for this unit in this round */
	WF_DRAFT,               /* being filled in by the council */
	WF_SELF_ASSESSED,       /* council consolidated (biên bản) */
	WF_APPROVED,            /* principal's decision: self-assessment locked */
	WF_SUBMITTED,           /* sent to the evaluating office (tờ trình) */
	WF_RETURNED,            /* returned for supplement with reasons: editable */
	WF_UNDER_EVALUATION,    /* external team scoring */
	WF_EVALUATED,           /* external team reconciled its scores */
	WF_RECOGNISED,          /* level recognised by decision */
	WF_PUBLISHED,           /* result public */
	WF_STATE_COUNT
} wf_state;

typedef enum wf_action {
	WF_ACTION_INVALID = -1,
	WF_START = 0,               /* not_started -> draft */
	WF_CONSOLIDATE,             /* draft|returned -> self_assessed */
	WF_REOPEN,                  /* self_assessed -> draft */
	WF_APPROVE,                 /* self_assessed -> approved */
	WF_WITHDRAW_APPROVAL,       /* approved -> self_assessed */
	WF_SUBMIT,                  /* approved -> submitted (also a resubmission) */
	WF_RETURN,                  /* submitted|under_evaluation -> returned */
	WF_START_EVALUATION,        /* submitted -> under_evaluation */
	WF_FINISH_EVALUATION,       /* under_evaluation -> evaluated */
	WF_REOPEN_EVALUATION,       /* evaluated -> under_evaluation */
	WF_RECOGNISE,               /* evaluated -> recognised */
	WF_WITHDRAW_RECOGNITION,    /* recognised -> evaluated */
	WF_PUBLISH,                 /* recognised -> published */
	WF_UNPUBLISH,               /* published -> recognised */
	WF_PUBLISH_OWN,             /* recognised -> published, by the school itself */
	WF_UNPUBLISH_OWN,           /* published -> recognised, what the school published */
	WF_ACTION_COUNT
} wf_action;

/* Capacities in which someone acts on one assessment. authz_capacities()
 * computes them for an account; wf_check only intersects them with the
 * transition's mask. Office capacities mean "of the unit's evaluating
 * office"; evaluator capacities mean "assigned to this unit in this round". */
enum {
	WF_BY_SYSTEM_ADMIN      = 1u << 0,
	WF_BY_OFFICE_ADMIN      = 1u << 1,
	WF_BY_OFFICER           = 1u << 2,
	WF_BY_PRINCIPAL         = 1u << 3,
	WF_BY_COUNCIL_SECRETARY = 1u << 4,
	WF_BY_COUNCIL_MEMBER    = 1u << 5,
	WF_BY_TEAM_HEAD         = 1u << 6,
	WF_BY_EVALUATOR         = 1u << 7,
};

/* Why a transition was refused. wf_refusal_code gives a stable string; a
 * handler maps WF_REFUSED_ROLE to 403, WF_REFUSED_STATE to 409 and the
 * rest to 422. */
typedef enum wf_refusal {
	WF_OK = 0,
	WF_REFUSED_ACTION,          /* unknown action */
	WF_REFUSED_ROLE,            /* actor lacks the capacity */
	WF_REFUSED_STATE,           /* not possible from the current state */
	WF_REFUSED_ROUND_CLOSED,
	WF_REFUSED_NO_COUNCIL,
	WF_REFUSED_UNANSWERED,      /* mandatory items without a self answer */
	WF_REFUSED_DEADLINE,        /* submission after the (extended) deadline */
	WF_REFUSED_REASON,          /* a reason is required */
	WF_REFUSED_NEW_DEADLINE,    /* return: new deadline missing or invalid */
	WF_REFUSED_NO_EVALUATORS,
	WF_REFUSED_UNSCORED,        /* items without an external score */
	WF_REFUSED_UNEXPLAINED,     /* differences from the self score without a reason */
	WF_REFUSED_DECISION,        /* recognition decision incomplete or misdated */
	WF_REFUSED_DATE,            /* today's date missing or invalid */
	WF_REFUSED_PUBLISHER,       /* the school withdraws what the office published */
	WF_REFUSAL_COUNT
} wf_refusal;

/* Dates are integers yyyymmdd (20240531), 0 meaning "none". Deadlines are
 * inclusive: submitting on the deadline day is on time. */

/* Everything a transition may depend on. The store fills it; zero it first
 * ({0}) so that unused fields mean "nothing". */
typedef struct wf_input {
	wf_state state;              /* current state */
	unsigned actor;              /* WF_BY_* capacities of the actor */
	int today;                   /* yyyymmdd, local date (Asia/Ho_Chi_Minh) */
	bool round_closed;           /* the round is closed: no transition at all */

	/* self-assessment */
	bool council_formed;         /* council / working group exists by decision */
	int unanswered_required;     /* mandatory items without a self answer */
	int deadline;                /* round's self-assessment deadline, 0 = none */
	int extended_until;          /* extension for this unit, 0 = none */

	/* return, withdrawals */
	const char *reason;          /* required where noted; blank counts as absent */
	int new_deadline;            /* return: due date for the supplement, 0 = none */

	/* external evaluation */
	int evaluators_assigned;     /* team members assigned to this unit */
	int external_unscored;       /* items without an external (reconciled) score */
	int differences_unexplained; /* items whose external score differs from the
	                                self score with no reason given */

	/* recognition decision */
	const char *decision_number; /* "125/QĐ-PGDĐT" */
	int decision_date;           /* yyyymmdd */
	const char *decision_signer;

	/* publication: the public snapshot was published by the school itself
	 * (publish_own), not by the office */
	bool published_by_school;
	/* the school made its self-assessment result public before
	 * recognition (wf_self_publication_check) */
	bool self_published;
} wf_input;

#define WF_MESSAGE_MAX 320

typedef struct wf_result {
	bool ok;
	wf_state next;               /* the state after the transition, if ok */
	wf_refusal refusal;          /* WF_OK if ok */
	char message[WF_MESSAGE_MAX];/* Vietnamese; empty if ok */
} wf_result;

/* Check action a against in. Returns the next state (>= 0) when allowed, or
 * -1 when refused; *out is filled in both cases. Checks, in order: the
 * action exists, the actor's capacity, the current state, the round, then
 * the transition's preconditions; the first failure is reported. */
int wf_check(const wf_input *in, wf_action a, wf_result *out);

/* True when a is possible from in->state for in->actor, ignoring the other
 * preconditions: the action to show (as a button) to this actor. Clicking it
 * may still be refused by wf_check, with the reason. */
bool wf_offered(const wf_input *in, wf_action a);

/* Publishing the self-assessment result before recognition (issue 11,
 * item 5) is not a transition: the state stays. The principal may publish
 * it once the self-assessment is approved — approved, submitted, under
 * evaluation, evaluated — and withdraw what is published; the office's
 * publication replaces it. 0 when allowed, else -1 with the refusal. */
int wf_self_publication_check(const wf_input *in, bool publish, wf_result *out);

/* The graph itself, for documentation and tests. */
unsigned wf_action_from(wf_action a);   /* mask of 1u << state; 0 if invalid */
wf_state wf_action_to(wf_action a);     /* WF_STATE_INVALID if invalid */
unsigned wf_action_who(wf_action a);    /* mask of WF_BY_*; 0 if invalid */

/* Editing follows the state alone. */
bool wf_self_editable(wf_state s);      /* draft, returned */
bool wf_external_editable(wf_state s);  /* under_evaluation */
bool wf_council_editable(wf_state s);   /* not_started, draft, returned */

/* The deadline that applies: the later of the round's deadline and the
 * unit's extension; 0 when the round has none. */
int wf_effective_deadline(const wf_input *in);
/* Not yet submitted and past the effective deadline (the office's inbox
 * highlights these). */
bool wf_overdue(const wf_input *in);
/* True when yyyymmdd is a real calendar day. */
bool wf_date_valid(int yyyymmdd);

/* Codes and labels. Codes are the stored/URL form ("self_assessed");
 * labels are what users read ("Đã tự đánh giá"). Parsers return
 * WF_STATE_INVALID / WF_ACTION_INVALID for unknown text or NULL; code and
 * label functions return "" for an invalid value. */
wf_state wf_state_parse(const char *code);
const char *wf_state_code(wf_state s);
const char *wf_state_label(wf_state s);
wf_action wf_action_parse(const char *code);
const char *wf_action_code(wf_action a);
const char *wf_action_label(wf_action a);
const char *wf_refusal_code(wf_refusal r);

/* ---- the office's report to its superior (issue 11, item 4) ---------------------------
 * A Phòng's, a commune's or a Sở's "báo cáo kết quả" of its round is a
 * submission of its own: drafted, sent to the superior (the office's
 * managing body on the round's date), acknowledged or returned with a
 * reason, sent again. Its deadline is the round's report_due. */
typedef enum wf_report_state {
	WF_REPORT_STATE_INVALID = -1,
	WF_REPORT_DRAFT = 0,
	WF_REPORT_SENT,
	WF_REPORT_RETURNED,
	WF_REPORT_ACKNOWLEDGED,
	WF_REPORT_STATE_COUNT
} wf_report_state;

typedef enum wf_report_action {
	WF_REPORT_ACTION_INVALID = -1,
	WF_REPORT_SEND = 0,          /* draft or returned → sent (the reporting office) */
	WF_REPORT_RETURN,            /* sent → returned, with a reason (the superior) */
	WF_REPORT_ACKNOWLEDGE,       /* sent → acknowledged (the superior) */
	WF_REPORT_ACTION_COUNT
} wf_report_action;

/* Capacities on a report (authz.c decides which the account holds). */
enum { WF_REPORT_BY_SENDER = 1u << 0, WF_REPORT_BY_SUPERIOR = 1u << 1 };

typedef struct wf_report_input {
	wf_report_state state;       /* WF_REPORT_DRAFT for a report not yet written */
	unsigned actor;              /* WF_REPORT_BY_* */
	const char *reason;          /* return: required */
	const char *narrative;       /* send: required (the report's own text) */
} wf_report_input;

/* The next state (>= 0) or -1; out->message says why not (out->next is
 * not used). */
int wf_report_check(const wf_report_input *in, wf_report_action a, wf_result *out);
/* Late: not sent (or returned and not sent again) after the deadline
 * (yyyymmdd; 0 = none). */
bool wf_report_overdue(wf_report_state s, int today, int due);
/* Not sent yet (draft, or returned and not sent again): reminders apply. */
bool wf_report_awaited(wf_report_state s);
wf_report_state wf_report_state_parse(const char *code);
const char *wf_report_state_code(wf_report_state s);
const char *wf_report_state_label(wf_report_state s);
wf_report_action wf_report_action_parse(const char *code);
const char *wf_report_action_code(wf_report_action a);
#endif
