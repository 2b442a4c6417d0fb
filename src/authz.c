/* authz.c — the one access decision (role × unit scope × state). Pure.
 *
 * Scope of an office is its subtree: the units whose managing chain
 * (`parent`) or evaluating chain (`evaluator`) contains it, and the office
 * itself. Both relations are dated and change (the 2025 reform moved
 * schools from district Phòng to commune UBND and Sở), so the store passes
 * the chains as they were on the date that matters; this file never guesses.
 * Viewing needs scope; judging (review, return, recognise, publish) needs
 * the office to be the unit's evaluating office, because only that office
 * issues the decisions — a managing UBND xã or the Sở above a Phòng may
 * look, not act.
 *
 * Locks are not permissions: an approved self-assessment is locked for
 * everyone, system administrators included; it changes through the
 * workflow (withdraw approval), which leaves an audit trail. */
#include "authz.h"
#include <string.h>

static const struct {
	const char *code, *label;
} roles[AUTHZ_ROLE_COUNT] = {
	[AUTHZ_SYSTEM_ADMIN] = {"system_admin", "Quản trị hệ thống"},
	[AUTHZ_OFFICE_ADMIN] = {"office_admin", "Quản trị viên cơ quan quản lý"},
	[AUTHZ_OFFICER] = {"officer", "Cán bộ cơ quan quản lý"},
	[AUTHZ_PRINCIPAL] = {"principal", "Thủ trưởng đơn vị"},
	[AUTHZ_COUNCIL_MEMBER] = {"council_member", "Thành viên hội đồng tự đánh giá"},
	[AUTHZ_EXTERNAL_EVALUATOR] = {"external_evaluator", "Thành viên đoàn đánh giá ngoài"},
};

static const char *const action_codes[AUTHZ_ACTION_COUNT] = {
	[AUTHZ_VIEW] = "view",
	[AUTHZ_EDIT_SELF_ANSWER] = "edit_self_answer",
	[AUTHZ_EDIT_EXTERNAL_ANSWER] = "edit_external_answer",
	[AUTHZ_UPLOAD_EVIDENCE] = "upload_evidence",
	[AUTHZ_MANAGE_COUNCIL] = "manage_council",
	[AUTHZ_APPROVE] = "approve",
	[AUTHZ_SUBMIT] = "submit",
	[AUTHZ_REVIEW] = "review",
	[AUTHZ_RETURN] = "return",
	[AUTHZ_EVALUATE] = "evaluate",
	[AUTHZ_RECOGNISE] = "recognise",
	[AUTHZ_PUBLISH] = "publish",
	[AUTHZ_OPEN_ROUND] = "open_round",
	[AUTHZ_MANAGE_UNITS] = "manage_units",
	[AUTHZ_MANAGE_ACCOUNTS] = "manage_accounts",
	[AUTHZ_MANAGE_FRAMEWORKS] = "manage_frameworks",
	[AUTHZ_VIEW_PUBLIC] = "view_public",
	[AUTHZ_MANAGE_TRUST] = "manage_trust",
	[AUTHZ_MANAGE_SIGNING] = "manage_signing",
	[AUTHZ_REMIND] = "remind",
	[AUTHZ_FILE_SIGNED] = "file_signed",
};

static const struct {
	const char *code, *message;
} reasons[AUTHZ_REASON_COUNT] = {
	[AUTHZ_OK] = {"ok", ""},
	[AUTHZ_DENIED_ACTION] = {"action", "Thao tác không hợp lệ."},
	[AUTHZ_DENIED_ANONYMOUS] = {"anonymous", "Cần đăng nhập để thực hiện thao tác này."},
	[AUTHZ_DENIED_INACTIVE] = {"inactive", "Tài khoản đã bị khóa."},
	[AUTHZ_DENIED_ROLE] = {"role", "Vai trò của bạn không được phép thực hiện thao tác này."},
	[AUTHZ_DENIED_SCOPE] = {"scope", "Đơn vị này không thuộc phạm vi phụ trách của bạn."},
	[AUTHZ_DENIED_NOT_ASSIGNED] = {"not_assigned", "Nội dung này không được phân công cho bạn."},
	[AUTHZ_DENIED_ESCALATION] = {"escalation", "Bạn không thể cấp vai trò vượt quá quyền của mình."},
	[AUTHZ_DENIED_STATE] = {"state",
		"Trạng thái hiện tại của hồ sơ không cho phép thao tác này."},
	[AUTHZ_DENIED_NOT_PUBLISHED] = {"not_published", "Kết quả này chưa được công bố."},
	[AUTHZ_DENIED_OWN_ACCOUNT] = {"own_account", "Bạn không thể tự khóa tài khoản của chính mình."},
};

/* How specific a refusal is; the most specific one is reported. */
static int rank(authz_reason r)
{
	switch (r) {
	case AUTHZ_DENIED_SCOPE: return 2;
	case AUTHZ_DENIED_NOT_ASSIGNED:
	case AUTHZ_DENIED_ESCALATION: return 3;
	case AUTHZ_DENIED_STATE: return 4;
	default: return 1;
	}
}

static bool has(const int64_t *chain, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (chain[i] == id) return true;
	return false;
}

/* The office's subtree, the office included. */
static bool in_subtree(const authz_object *o, int64_t office)
{
	return office != 0 && (o->unit_id == office || has(o->parents, o->n_parents, office) ||
	                       has(o->evaluators, o->n_evaluators, office));
}

static bool evaluates(const authz_object *o, int64_t office)
{
	return office != 0 && o->n_evaluators > 0 && o->evaluators[0] == office;
}

/* The unit's direct manager (cấp trên quản lý trực tiếp) on the date. */
static bool manages(const authz_object *o, int64_t office)
{
	return office != 0 && o->n_parents > 0 && o->parents[0] == office;
}

static bool round_ok(const authz_grant *g, const authz_object *o)
{
	return g->round_id == 0 || o->round_id == 0 || g->round_id == o->round_id;
}

static bool own_unit(const authz_grant *g, const authz_object *o)
{
	return g->unit_id != 0 && o->unit_id == g->unit_id;
}

/* Capacities one grant gives on the object's assessment; *why says why it
 * gives none. */
static unsigned grant_caps(const authz_grant *g, const authz_object *o, authz_reason *why)
{
	*why = AUTHZ_DENIED_SCOPE;
	switch (g->role) {
	case AUTHZ_SYSTEM_ADMIN:
		return WF_BY_SYSTEM_ADMIN;
	case AUTHZ_OFFICE_ADMIN:
		return evaluates(o, g->unit_id) ? WF_BY_OFFICE_ADMIN : 0;
	case AUTHZ_OFFICER:
		return evaluates(o, g->unit_id) ? WF_BY_OFFICER : 0;
	case AUTHZ_PRINCIPAL:
		return own_unit(g, o) ? WF_BY_PRINCIPAL : 0;
	case AUTHZ_COUNCIL_MEMBER:
		if (!own_unit(g, o) || !round_ok(g, o)) return 0;
		return WF_BY_COUNCIL_MEMBER | (o->council_secretary ? WF_BY_COUNCIL_SECRETARY : 0);
	case AUTHZ_EXTERNAL_EVALUATOR:
		if (!round_ok(g, o)) return 0;
		if (!o->assigned_evaluator) {
			*why = AUTHZ_DENIED_NOT_ASSIGNED;
			return 0;
		}
		return WF_BY_EVALUATOR | (o->team_head ? WF_BY_TEAM_HEAD : 0);
	default:
		*why = AUTHZ_DENIED_ROLE;
		return 0;
	}
}

/* Capacities a role can give anywhere: tells "wrong role" from "wrong unit". */
static unsigned role_caps(authz_role r)
{
	switch (r) {
	case AUTHZ_SYSTEM_ADMIN: return WF_BY_SYSTEM_ADMIN;
	case AUTHZ_OFFICE_ADMIN: return WF_BY_OFFICE_ADMIN;
	case AUTHZ_OFFICER: return WF_BY_OFFICER;
	case AUTHZ_PRINCIPAL: return WF_BY_PRINCIPAL;
	case AUTHZ_COUNCIL_MEMBER: return WF_BY_COUNCIL_MEMBER | WF_BY_COUNCIL_SECRETARY;
	case AUTHZ_EXTERNAL_EVALUATOR: return WF_BY_EVALUATOR | WF_BY_TEAM_HEAD;
	default: return 0;
	}
}

/* Actions that are decided by capacity: the workflow's own table says who
 * approves, submits, returns, recognises and publishes, so the two files
 * cannot disagree. Review and evaluate are not transitions; their
 * capacities are named here. */
static unsigned needed_caps(authz_action a)
{
	switch (a) {
	case AUTHZ_APPROVE: return wf_action_who(WF_APPROVE) | wf_action_who(WF_WITHDRAW_APPROVAL);
	case AUTHZ_SUBMIT: return wf_action_who(WF_SUBMIT);
	case AUTHZ_RETURN: return wf_action_who(WF_RETURN);
	case AUTHZ_RECOGNISE: return wf_action_who(WF_RECOGNISE);
	case AUTHZ_PUBLISH: return wf_action_who(WF_PUBLISH);
	case AUTHZ_REVIEW: return WF_BY_SYSTEM_ADMIN | WF_BY_OFFICE_ADMIN | WF_BY_OFFICER;
	case AUTHZ_EVALUATE: return WF_BY_SYSTEM_ADMIN | WF_BY_EVALUATOR | WF_BY_TEAM_HEAD;
	default: return 0;
	}
}

static authz_reason need_state(bool ok) { return ok ? AUTHZ_OK : AUTHZ_DENIED_STATE; }

/* Filling in the self-assessment: answers and evidence. */
static authz_reason self_work(const authz_grant *g, const authz_object *o)
{
	switch (g->role) {
	case AUTHZ_SYSTEM_ADMIN:
		return need_state(wf_self_editable(o->state));
	case AUTHZ_PRINCIPAL:
		if (!own_unit(g, o)) return AUTHZ_DENIED_SCOPE;
		return need_state(wf_self_editable(o->state));
	case AUTHZ_COUNCIL_MEMBER:
		if (!own_unit(g, o) || !round_ok(g, o)) return AUTHZ_DENIED_SCOPE;
		if (!o->assigned_item) return AUTHZ_DENIED_NOT_ASSIGNED;
		return need_state(wf_self_editable(o->state));
	default:
		return AUTHZ_DENIED_ROLE;
	}
}

static authz_reason view(const authz_grant *g, const authz_object *o)
{
	switch (g->role) {
	case AUTHZ_SYSTEM_ADMIN:
		return AUTHZ_OK;
	case AUTHZ_OFFICE_ADMIN:
	case AUTHZ_OFFICER:
		return in_subtree(o, g->unit_id) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_PRINCIPAL:
		return own_unit(g, o) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_COUNCIL_MEMBER:
		if (o->kind == AUTHZ_KIND_ACCOUNT) return AUTHZ_DENIED_ROLE;
		return own_unit(g, o) && round_ok(g, o) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_EXTERNAL_EVALUATOR:
		if (o->kind == AUTHZ_KIND_ACCOUNT) return AUTHZ_DENIED_ROLE;
		if (!round_ok(g, o)) return AUTHZ_DENIED_SCOPE;
		return o->assigned_evaluator ? AUTHZ_OK : AUTHZ_DENIED_NOT_ASSIGNED;
	default:
		return AUTHZ_DENIED_ROLE;
	}
}

/* Who may grant which role: an office administrator anything but system
 * administration, within its subtree; a principal only council membership,
 * in its own unit (teachers need accounts to sit on the council). */
static authz_reason manage_accounts(const authz_grant *g, const authz_object *o)
{
	switch (g->role) {
	case AUTHZ_SYSTEM_ADMIN:
		return AUTHZ_OK;
	case AUTHZ_OFFICE_ADMIN:
		/* System administration has no unit, so it is never in scope:
		 * say what is really wrong. */
		if (o->grant_role == AUTHZ_SYSTEM_ADMIN) return AUTHZ_DENIED_ESCALATION;
		return in_subtree(o, g->unit_id) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_PRINCIPAL:
		if (!own_unit(g, o)) return AUTHZ_DENIED_SCOPE;
		return o->grant_role == AUTHZ_ROLE_INVALID || o->grant_role == AUTHZ_COUNCIL_MEMBER
			? AUTHZ_OK : AUTHZ_DENIED_ESCALATION;
	default:
		return AUTHZ_DENIED_ROLE;
	}
}

static authz_reason decide_grant(const authz_grant *g, const authz_object *o, authz_action a)
{
	bool admin = g->role == AUTHZ_SYSTEM_ADMIN;
	bool office = g->role == AUTHZ_OFFICE_ADMIN || g->role == AUTHZ_OFFICER;
	unsigned need = needed_caps(a);

	if (need) {
		authz_reason why;
		if (grant_caps(g, o, &why) & need) return AUTHZ_OK;
		return role_caps(g->role) & need ? why : AUTHZ_DENIED_ROLE;
	}
	switch (a) {
	case AUTHZ_VIEW:
		return view(g, o);
	case AUTHZ_EDIT_SELF_ANSWER:
	case AUTHZ_UPLOAD_EVIDENCE:
		return self_work(g, o);
	case AUTHZ_EDIT_EXTERNAL_ANSWER: {
		authz_reason why;
		if (!(grant_caps(g, o, &why) & (WF_BY_SYSTEM_ADMIN | WF_BY_EVALUATOR)))
			return g->role == AUTHZ_EXTERNAL_EVALUATOR ? why : AUTHZ_DENIED_ROLE;
		return need_state(wf_external_editable(o->state));
	}
	case AUTHZ_MANAGE_COUNCIL:
		if (!admin && g->role != AUTHZ_PRINCIPAL) return AUTHZ_DENIED_ROLE;
		if (!admin && !own_unit(g, o)) return AUTHZ_DENIED_SCOPE;
		return need_state(wf_council_editable(o->state));
	case AUTHZ_OPEN_ROUND:
		/* An office opens rounds for itself, not for the offices below. */
		if (admin) return AUTHZ_OK;
		if (!office) return AUTHZ_DENIED_ROLE;
		return own_unit(g, o) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_MANAGE_UNITS:
		/* Strictly below the office: its own place in the hierarchy is
		 * decided by its superior, or it could move itself out of scope. */
		if (admin) return AUTHZ_OK;
		if (g->role != AUTHZ_OFFICE_ADMIN) return AUTHZ_DENIED_ROLE;
		return in_subtree(o, g->unit_id) && o->unit_id != g->unit_id ? AUTHZ_OK
			: AUTHZ_DENIED_SCOPE;
	case AUTHZ_MANAGE_ACCOUNTS:
		return manage_accounts(g, o);
	case AUTHZ_REMIND:
		/* Chasing a late unit is the work of those it answers to: the
		 * office that evaluates it and its direct manager; an office
		 * higher up looks on. */
		if (admin) return AUTHZ_OK;
		if (!office) return AUTHZ_DENIED_ROLE;
		return evaluates(o, g->unit_id) || manages(o, g->unit_id) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_MANAGE_FRAMEWORKS:
		/* National frameworks are the Ministry's decisions; an office
		 * may maintain its own local adaptation. */
		if (admin) return AUTHZ_OK;
		if (g->role != AUTHZ_OFFICE_ADMIN) return AUTHZ_DENIED_ROLE;
		return o->unit_id != 0 && in_subtree(o, g->unit_id) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_MANAGE_TRUST:
		/* Which CAs vouch for a signature is one decision for the
		 * whole installation (docs/signing.md). */
		return admin ? AUTHZ_OK : AUTHZ_DENIED_ROLE;
	case AUTHZ_FILE_SIGNED:
		/* The signed original of what a unit issued is the unit's own
		 * record (ND 30/2020): a school's head signs its papers, an
		 * office's staff keep its register; not the superior's to file. */
		if (admin) return AUTHZ_OK;
		if (!office && g->role != AUTHZ_PRINCIPAL) return AUTHZ_DENIED_ROLE;
		return own_unit(g, o) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	case AUTHZ_MANAGE_SIGNING:
		/* An office's key is its own: not its superior's to replace. */
		if (admin) return AUTHZ_OK;
		if (g->role != AUTHZ_OFFICE_ADMIN) return AUTHZ_DENIED_ROLE;
		return own_unit(g, o) ? AUTHZ_OK : AUTHZ_DENIED_SCOPE;
	default:
		return AUTHZ_DENIED_ROLE;
	}
}

static bool decide(authz_decision *out, authz_reason r)
{
	if (out) {
		out->allow = r == AUTHZ_OK;
		out->reason = r;
		out->message = reasons[r].message;
	}
	return r == AUTHZ_OK;
}

bool authz_check(const authz_ctx *c, authz_action a, authz_decision *out)
{
	const authz_account *acc = &c->account;
	const authz_object *o = &c->object;
	authz_reason best = AUTHZ_DENIED_ROLE;

	if (a < 0 || a >= AUTHZ_ACTION_COUNT) return decide(out, AUTHZ_DENIED_ACTION);
	/* Published results are public, to everyone. */
	if (a == AUTHZ_VIEW_PUBLIC)
		return decide(out, o->published ? AUTHZ_OK : AUTHZ_DENIED_NOT_PUBLISHED);
	if (a == AUTHZ_VIEW && o->published) return decide(out, AUTHZ_OK);
	if (acc->id == 0) return decide(out, AUTHZ_DENIED_ANONYMOUS);
	if (!acc->active) return decide(out, AUTHZ_DENIED_INACTIVE);

	if (a == AUTHZ_VIEW) {
		/* Rounds (the superior's plan and deadlines) and frameworks
		 * (the Ministry's decisions) are readable by every account. */
		if (o->kind == AUTHZ_KIND_ROUND || o->kind == AUTHZ_KIND_FRAMEWORK)
			return decide(out, AUTHZ_OK);
		if (o->kind == AUTHZ_KIND_ACCOUNT && o->account_id == acc->id)
			return decide(out, AUTHZ_OK);
	}
	for (size_t i = 0; i < acc->n_grants; i++) {
		authz_reason r = decide_grant(&acc->grants[i], o, a);
		if (r == AUTHZ_OK) return decide(out, AUTHZ_OK);
		if (rank(r) > rank(best)) best = r;
	}
	return decide(out, best);
}

unsigned authz_capacities(const authz_ctx *c)
{
	unsigned caps = 0;
	authz_reason why;
	if (c->account.id == 0 || !c->account.active) return 0;
	for (size_t i = 0; i < c->account.n_grants; i++)
		caps |= grant_caps(&c->account.grants[i], &c->object, &why);
	return caps;
}

unsigned authz_report_capacities(const authz_ctx *c)
{
	unsigned caps = 0;
	if (c->account.id == 0 || !c->account.active) return 0;
	const authz_object *o = &c->object;
	for (size_t i = 0; i < c->account.n_grants; i++) {
		const authz_grant *g = &c->account.grants[i];
		if (g->role == AUTHZ_SYSTEM_ADMIN) caps |= WF_REPORT_BY_SENDER | WF_REPORT_BY_SUPERIOR;
		if (g->role != AUTHZ_OFFICE_ADMIN && g->role != AUTHZ_OFFICER) continue;
		if (own_unit(g, o)) caps |= WF_REPORT_BY_SENDER;
		if (manages(o, g->unit_id)) caps |= WF_REPORT_BY_SUPERIOR;
	}
	return caps;
}

bool authz_is_administrator(const authz_account *acc)
{
	if (acc->id == 0 || !acc->active) return false;
	for (size_t i = 0; i < acc->n_grants; i++)
		if (acc->grants[i].role == AUTHZ_SYSTEM_ADMIN ||
		    (acc->grants[i].role == AUTHZ_OFFICE_ADMIN && acc->grants[i].unit_id != 0))
			return true;
	return false;
}

authz_role authz_role_parse(const char *code)
{
	if (!code) return AUTHZ_ROLE_INVALID;
	for (int i = 0; i < AUTHZ_ROLE_COUNT; i++)
		if (strcmp(code, roles[i].code) == 0) return (authz_role)i;
	return AUTHZ_ROLE_INVALID;
}

const char *authz_role_code(authz_role r)
{
	return r >= 0 && r < AUTHZ_ROLE_COUNT ? roles[r].code : "";
}

const char *authz_role_label(authz_role r)
{
	return r >= 0 && r < AUTHZ_ROLE_COUNT ? roles[r].label : "";
}

authz_action authz_action_parse(const char *code)
{
	if (!code) return AUTHZ_ACTION_INVALID;
	for (int i = 0; i < AUTHZ_ACTION_COUNT; i++)
		if (strcmp(code, action_codes[i]) == 0) return (authz_action)i;
	return AUTHZ_ACTION_INVALID;
}

const char *authz_action_code(authz_action a)
{
	return a >= 0 && a < AUTHZ_ACTION_COUNT ? action_codes[a] : "";
}

const char *authz_reason_code(authz_reason r)
{
	return r >= 0 && r < AUTHZ_REASON_COUNT ? reasons[r].code : "";
}

const char *authz_reason_message(authz_reason r)
{
	return r >= 0 && r < AUTHZ_REASON_COUNT ? reasons[r].message : "";
}

/* The server's own settings (the SMTP server of the reminders): system
 * administrators only, office administrators included nowhere. */
bool authz_may_configure_server(const authz_account *acc)
{
	if (acc->id == 0 || !acc->active) return false;
	for (size_t i = 0; i < acc->n_grants; i++)
		if (acc->grants[i].role == AUTHZ_SYSTEM_ADMIN) return true;
	return false;
}

bool authz_is_system_admin(const authz_account *acc)
{
	return authz_may_configure_server(acc);
}

int64_t authz_admin_scope(const authz_account *acc, int64_t asked)
{
	if (authz_is_system_admin(acc) || acc->id == 0 || !acc->active) return 0;
	int64_t first = 0;
	for (size_t i = 0; i < acc->n_grants; i++) {
		if (acc->grants[i].role != AUTHZ_OFFICE_ADMIN) continue;
		if (!first) first = acc->grants[i].unit_id;
		if (asked && asked == acc->grants[i].unit_id) return asked;
	}
	return first;
}

bool authz_check_account(const authz_account *acc, const authz_object *grants, size_t n, authz_action a,
                         authz_decision *out)
{
	if (authz_is_system_admin(acc)) return decide(out, AUTHZ_OK);
	bool manage = a != AUTHZ_VIEW, any = false;
	for (size_t i = 0; i < n; i++) {
		authz_ctx c = { .account = *acc, .object = grants[i] };
		authz_decision d;
		if (authz_check(&c, a, &d)) any = true;
		else if (manage) {
			if (out) *out = d;
			return false;
		}
	}
	return decide(out, any ? AUTHZ_OK : AUTHZ_DENIED_SCOPE);
}

bool authz_may_set_active(const authz_account *acc, int64_t account_id, bool active, authz_decision *out)
{
	return decide(out, !active && acc->id == account_id ? AUTHZ_DENIED_OWN_ACCOUNT : AUTHZ_OK);
}

bool authz_evidence_change(const authz_decision *whole, const authz_decision *each, size_t n, bool all,
                           authz_decision *out)
{
	authz_decision last = *whole;
	if (whole->allow || whole->reason != AUTHZ_DENIED_NOT_ASSIGNED) {
		if (out) *out = last;
		return last.allow;
	}
	bool refused = false;
	for (size_t i = 0; i < n && !refused; i++) {
		if (each[i].allow && !all) return decide(out, AUTHZ_OK);
		if (each[i].allow) continue;
		last = each[i];
		refused = all;
	}
	if (all && n > 0 && !refused) return decide(out, AUTHZ_OK);
	if (out) *out = last;
	return false;
}
