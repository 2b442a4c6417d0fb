/* authz.h — the one access decision: may this account do this action on
 * this object? Role × scope in the unit hierarchy × the assessment's state.
 *
 * Pure: the store fills an authz_ctx (the account with its role grants; the
 * object with its unit, the unit's two ancestor chains on the relevant date,
 * the round, the assessment state and a few facts about the account and the
 * object that only the store can look up) and authz_check decides. Every
 * route and command calls it; nothing else decides access. Default deny.
 *
 * Transitions of the workflow are decided together with workflow.c: authz
 * says in which capacities an account acts on an assessment
 * (authz_capacities → wf_input.actor); wf_check says whether the transition
 * may happen now. */
#ifndef CHISO_AUTHZ_H
#define CHISO_AUTHZ_H
#include "workflow.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum authz_role {
	AUTHZ_ROLE_INVALID = -1,
	AUTHZ_SYSTEM_ADMIN = 0,     /* anything (but locks hold for everyone) */
	AUTHZ_OFFICE_ADMIN,         /* an office (Sở, Phòng, UBND xã): its subtree,
	                               accounts and units in it */
	AUTHZ_OFFICER,              /* an office's staff: its subtree */
	AUTHZ_PRINCIPAL,            /* head of a unit (hiệu trưởng, trưởng phòng for
	                               the office's own assessment) */
	AUTHZ_COUNCIL_MEMBER,       /* member of a unit's self-assessment council */
	AUTHZ_EXTERNAL_EVALUATOR,   /* member of an external evaluation team */
	AUTHZ_ROLE_COUNT
} authz_role;

/* One role held by an account. */
typedef struct authz_grant {
	authz_role role;
	int64_t unit_id;   /* scope: the office (office roles), the unit (principal,
	                      council member), the office that formed the team
	                      (external evaluator, informational); ignored for
	                      system administrators */
	int64_t round_id;  /* 0 = every round; council members and evaluators
	                      are granted per round */
} authz_grant;

typedef struct authz_account {
	int64_t id;        /* 0 = nobody signed in (the public) */
	bool active;       /* a disabled account is treated as the public */
	const authz_grant *grants;
	size_t n_grants;
} authz_account;

typedef enum authz_kind {
	AUTHZ_KIND_UNIT,
	AUTHZ_KIND_ASSESSMENT,
	AUTHZ_KIND_EVIDENCE,
	AUTHZ_KIND_ANSWER,
	AUTHZ_KIND_ROUND,
	AUTHZ_KIND_COUNCIL,
	AUTHZ_KIND_DOCUMENT,
	AUTHZ_KIND_ACCOUNT,
	AUTHZ_KIND_FRAMEWORK,
	AUTHZ_KIND_COUNT
} authz_kind;

typedef struct authz_object {
	authz_kind kind;
	/* The unit the object belongs to. A round: the office that opens it. An
	 * account: the unit of the role being granted (or the account's home
	 * unit). A framework: the office that owns a local version, 0 for a
	 * national one. A unit being created: 0, with the chains of its
	 * intended parent/evaluator. */
	int64_t unit_id;
	/* The unit's ancestors on the date that matters (the round's date for
	 * round data, today otherwise), nearest first, the unit itself
	 * excluded: managing chain via `parent`, evaluating chain via
	 * `evaluator` (evaluators[0] is the office that evaluates the unit). */
	const int64_t *parents;
	size_t n_parents;
	const int64_t *evaluators;
	size_t n_evaluators;
	int64_t round_id;          /* 0 when the object is not round data */
	wf_state state;            /* the assessment's state, for round data */
	bool published;            /* the result is published (public) */

	/* Facts about this account and this object, looked up by the store. */
	bool council_secretary;    /* secretary (thư ký) of this assessment's council */
	bool assigned_item;        /* council member assigned to this item (answer,
	                              or an evidence item for one of those items) */
	bool assigned_evaluator;   /* external evaluator assigned to this unit in
	                              this round */
	bool team_head;            /* head (trưởng đoàn) of that team */

	/* kind account, action manage_accounts */
	int64_t account_id;        /* the account concerned */
	authz_role grant_role;     /* the role being granted, AUTHZ_ROLE_INVALID if
	                              none (profile, password, disabling) */
} authz_object;

typedef struct authz_ctx {
	authz_account account;
	authz_object object;
} authz_ctx;

typedef enum authz_action {
	AUTHZ_ACTION_INVALID = -1,
	AUTHZ_VIEW = 0,             /* read, signed in */
	AUTHZ_EDIT_SELF_ANSWER,
	AUTHZ_EDIT_EXTERNAL_ANSWER,
	AUTHZ_UPLOAD_EVIDENCE,
	AUTHZ_MANAGE_COUNCIL,
	AUTHZ_APPROVE,              /* approve / withdraw approval */
	AUTHZ_SUBMIT,
	AUTHZ_REVIEW,               /* the evaluating office's inbox and review */
	AUTHZ_RETURN,
	AUTHZ_EVALUATE,             /* take part in the external evaluation */
	AUTHZ_RECOGNISE,
	AUTHZ_PUBLISH,
	AUTHZ_OPEN_ROUND,           /* open, extend, close the office's rounds */
	AUTHZ_MANAGE_UNITS,
	AUTHZ_MANAGE_ACCOUNTS,
	AUTHZ_MANAGE_FRAMEWORKS,
	AUTHZ_VIEW_PUBLIC,          /* public pages and open data */
	AUTHZ_MANAGE_TRUST,         /* the CA certificates signatures are verified against */
	AUTHZ_MANAGE_SIGNING,       /* an office's signing key (PKCS#12), its documents signed */
	AUTHZ_REMIND,               /* remind a late unit of its deadline: the
	                               office that evaluates it or the one that
	                               manages it directly (a commune its schools) */
	AUTHZ_FILE_SIGNED,          /* file the signed original of a document the
	                               unit issued into its register (issue 17):
	                               the unit's head or, for an office, its staff */
	AUTHZ_ACTION_COUNT
} authz_action;

typedef enum authz_reason {
	AUTHZ_OK = 0,
	AUTHZ_DENIED_ACTION,        /* unknown action */
	AUTHZ_DENIED_ANONYMOUS,     /* sign-in needed */
	AUTHZ_DENIED_INACTIVE,      /* account disabled */
	AUTHZ_DENIED_ROLE,          /* no role of the account allows this action */
	AUTHZ_DENIED_SCOPE,         /* a role allows it, but not on this unit/round */
	AUTHZ_DENIED_NOT_ASSIGNED,  /* right unit, but item/unit not assigned to you */
	AUTHZ_DENIED_ESCALATION,    /* granting a role beyond one's own powers */
	AUTHZ_DENIED_STATE,         /* allowed, but not in the current state */
	AUTHZ_DENIED_NOT_PUBLISHED, /* public access to an unpublished result */
	AUTHZ_DENIED_OWN_ACCOUNT,   /* locking one's own account */
	AUTHZ_REASON_COUNT
} authz_reason;

typedef struct authz_decision {
	bool allow;
	authz_reason reason;
	const char *message;        /* Vietnamese, static; "" when allowed */
} authz_decision;

/* Decide. Returns out->allow; out may be NULL. When several roles refuse,
 * the most specific reason is reported (state over not-assigned over
 * scope over role), so a council member editing an item assigned to
 * someone else hears "not assigned", not "no role". */
bool authz_check(const authz_ctx *c, authz_action a, authz_decision *out);

/* The WF_BY_* capacities in which the account acts on the object's
 * assessment: put them in wf_input.actor before wf_check. 0 for the public
 * and for disabled accounts. Office capacities require the account's office
 * to be the unit's evaluating office (evaluators[0]); managing a unit
 * (parent chain) or sitting higher up the evaluating chain lets an office
 * view, not judge. */
unsigned authz_capacities(const authz_ctx *c);

/* The capacities (workflow.h's WF_REPORT_BY_*) in which the account acts
 * on the report to its superior of office c->object.unit_id (the round's
 * office; its chains on the round's report date): an office role at that
 * office writes and sends it, one at its managing body (parents[0])
 * receives it — acknowledges or returns it. 0: neither (no access). */
unsigned authz_report_capacities(const authz_ctx *c);

/* May the account open the administration pages (/quan-tri/) at all: a
 * system administrator, or an office administrator (who then manages
 * only its office's subtree: AUTHZ_MANAGE_UNITS / _ACCOUNTS decide per
 * object). Officers, schools and the public may not. */
bool authz_is_administrator(const authz_account *acc);
/* May the account change the server's own settings (the SMTP server)? */
bool authz_may_configure_server(const authz_account *acc);
/* Is the account (active) a system administrator: every unit, every
 * account, the unit import, a unit placed under no office? */
bool authz_is_system_admin(const authz_account *acc);

/* The office whose subtree an administrator's lists show: 0 (every unit)
 * for a system administrator; else `asked` when it is one of the
 * account's own office-administrator offices, else the first of them; 0
 * with none (authz_is_administrator refuses such an account anyway). */
int64_t authz_admin_scope(const authz_account *acc, int64_t asked);

/* An account as the administration pages see it. `grants` are its role
 * grants, one object each (kind account, account_id, grant_role, the
 * role's unit with its chains today). Viewing it (AUTHZ_VIEW) needs one of
 * them within the administrator's scope; managing it
 * (AUTHZ_MANAGE_ACCOUNTS: password, locking, e-mail, roles) needs every
 * one, so an office administrator cannot lock out a superior who also
 * holds a role in one of its schools. A system administrator does both,
 * also for an account without roles. */
bool authz_check_account(const authz_account *acc, const authz_object *grants, size_t n, authz_action a,
                         authz_decision *out);
/* Setting account `account_id` active or not: nobody locks their own
 * account (AUTHZ_DENIED_OWN_ACCOUNT); unlocking, or locking another, is
 * then authz_check_account's AUTHZ_MANAGE_ACCOUNTS. */
bool authz_may_set_active(const authz_account *acc, int64_t account_id, bool active, authz_decision *out);

/* Changing an evidence item that serves several criteria. `whole`: the
 * decision on the assessment's evidence as a whole (AUTHZ_UPLOAD_EVIDENCE,
 * no item); `each`: the one for each of the item's criteria. Allowed on
 * the whole, allowed; refused otherwise than "not assigned", refused.
 * Else, per criterion: editing (all = false) needs one of them, deleting
 * (all = true) needs every one — a council member cannot delete what also
 * serves another member's criterion — and an item with no criterion is
 * then not hers to delete. out: the refusal reported. */
bool authz_evidence_change(const authz_decision *whole, const authz_decision *each, size_t n, bool all,
                           authz_decision *out);

/* Codes ("office_admin") and labels ("Quản trị viên cơ quan quản lý").
 * Parsers return the _INVALID value for unknown text or NULL. */
authz_role authz_role_parse(const char *code);
const char *authz_role_code(authz_role r);
const char *authz_role_label(authz_role r);
authz_action authz_action_parse(const char *code);
const char *authz_action_code(authz_action a);
const char *authz_reason_code(authz_reason r);
const char *authz_reason_message(authz_reason r);
#endif
