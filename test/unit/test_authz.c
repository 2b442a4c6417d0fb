/* test_authz.c — the one access decision, on a small province:
 *
 *   Sở GD&ĐT Hải Phòng (1)
 *   ├─ Phòng GD&ĐT Kiến An (10) ── TH Trần Thành Ngọ (100)
 *   └─ Phòng GD&ĐT Lê Chân (20) ── THCS Ngô Quyền (200)
 *   UBND phường Kiến An (30): manages school 100 since 1/7/2025, while the Sở
 *   evaluates it (the 2025 reform).
 *
 * Round 7 is 2023-2024, round 9 is 2025-2026. Each test builds one account
 * and one object the way the store would and checks the decision and its
 * reason, so a refusal for the wrong reason fails too. */
#include "testutil.h"
#include "authz.h"

enum { SO = 1, PHONG_KA = 10, PHONG_LC = 20, UBND_KA = 30, TH_TTN = 100, THCS_NQ = 200 };
enum { R2024 = 7, R2026 = 9 };

static const int64_t up_ka[] = {PHONG_KA, SO};      /* school 100 before the reform */
static const int64_t up_lc[] = {PHONG_LC, SO};
static const int64_t up_so[] = {SO};
static const int64_t up_ubnd[] = {UBND_KA};

/* School 100's data in the 2023-2024 round: managed and evaluated by Phòng Kiến An. */
static authz_object school_2024(authz_kind kind, wf_state s)
{
	authz_object o = {0};
	o.kind = kind;
	o.unit_id = TH_TTN;
	o.parents = up_ka, o.n_parents = 2;
	o.evaluators = up_ka, o.n_evaluators = 2;
	o.round_id = R2024;
	o.state = s;
	o.grant_role = AUTHZ_ROLE_INVALID;
	return o;
}

/* School 100 in 2025-2026: parent UBND phường, evaluator the Sở. */
static authz_object school_2026(authz_kind kind, wf_state s)
{
	authz_object o = school_2024(kind, s);
	o.parents = up_ubnd, o.n_parents = 1;
	o.evaluators = up_so, o.n_evaluators = 1;
	o.round_id = R2026;
	return o;
}

/* School 200 (Lê Chân), 2023-2024. */
static authz_object other_school(authz_kind kind, wf_state s)
{
	authz_object o = school_2024(kind, s);
	o.unit_id = THCS_NQ;
	o.parents = up_lc, o.evaluators = up_lc;
	return o;
}

/* Phòng Kiến An's own assessment under 3806: evaluated by the Sở. */
static authz_object phong_own(wf_state s)
{
	authz_object o = {0};
	o.kind = AUTHZ_KIND_ASSESSMENT;
	o.unit_id = PHONG_KA;
	o.parents = up_so, o.n_parents = 1;
	o.evaluators = up_so, o.n_evaluators = 1;
	o.round_id = R2024;
	o.state = s;
	o.grant_role = AUTHZ_ROLE_INVALID;
	return o;
}

static authz_ctx ctx(const authz_grant *g, size_t n, authz_object o)
{
	authz_ctx c = {0};
	c.account.id = 42;
	c.account.active = true;
	c.account.grants = g;
	c.account.n_grants = n;
	c.object = o;
	return c;
}

#define CTX(grant, obj) ctx(&(grant), 1, (obj))

static void allow(const authz_ctx *c, authz_action a)
{
	authz_decision d;
	if (!authz_check(c, a, &d))
		fail_msg("%s refused: %s (%s)", authz_action_code(a), authz_reason_code(d.reason),
			d.message);
	assert_true(d.allow);
	assert_int_equal(d.reason, AUTHZ_OK);
	assert_string_equal(d.message, "");
}

static void deny(const authz_ctx *c, authz_action a, authz_reason why)
{
	authz_decision d;
	if (authz_check(c, a, &d)) fail_msg("%s allowed", authz_action_code(a));
	assert_false(d.allow);
	if (d.reason != why)
		fail_msg("%s refused for %s, wanted %s", authz_action_code(a),
			authz_reason_code(d.reason), authz_reason_code(why));
	assert_true(strlen(d.message) > 10);
	assert_string_equal(d.message, authz_reason_message(why));
}

static const authz_grant sysadmin = {AUTHZ_SYSTEM_ADMIN, 0, 0};
static const authz_grant officer_ka = {AUTHZ_OFFICER, PHONG_KA, 0};
static const authz_grant officer_lc = {AUTHZ_OFFICER, PHONG_LC, 0};
static const authz_grant admin_ka = {AUTHZ_OFFICE_ADMIN, PHONG_KA, 0};
static const authz_grant officer_so = {AUTHZ_OFFICER, SO, 0};
static const authz_grant admin_so = {AUTHZ_OFFICE_ADMIN, SO, 0};
static const authz_grant officer_ubnd = {AUTHZ_OFFICER, UBND_KA, 0};
static const authz_grant principal_ttn = {AUTHZ_PRINCIPAL, TH_TTN, 0};
static const authz_grant council_ttn = {AUTHZ_COUNCIL_MEMBER, TH_TTN, R2024};
static const authz_grant evaluator_2024 = {AUTHZ_EXTERNAL_EVALUATOR, PHONG_KA, R2024};

static void test_system_admin_anything_but_locks(void **st)
{
	(void)st;
	authz_ctx c = CTX(sysadmin, other_school(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	for (int a = 0; a < AUTHZ_ACTION_COUNT; a++) {
		if (a == AUTHZ_VIEW_PUBLIC || a == AUTHZ_EDIT_EXTERNAL_ANSWER) continue;
		allow(&c, (authz_action)a);
	}
	c.object.unit_id = 0;                      /* a national framework */
	allow(&c, AUTHZ_MANAGE_FRAMEWORKS);
	c.object.grant_role = AUTHZ_SYSTEM_ADMIN;
	allow(&c, AUTHZ_MANAGE_ACCOUNTS);
	/* locks hold for everyone: approved answers change through the workflow */
	c = CTX(sysadmin, school_2024(AUTHZ_KIND_ANSWER, WF_APPROVED));
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_STATE);
	deny(&c, AUTHZ_EDIT_EXTERNAL_ANSWER, AUTHZ_DENIED_STATE);
	c.object.state = WF_UNDER_EVALUATION;
	allow(&c, AUTHZ_EDIT_EXTERNAL_ANSWER);
	assert_int_equal(authz_capacities(&c), WF_BY_SYSTEM_ADMIN);
}

static void test_officer_in_and_out_of_scope(void **st)
{
	(void)st;
	authz_ctx mine = CTX(officer_ka, school_2024(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	authz_ctx theirs = CTX(officer_ka, other_school(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	static const authz_action judging[] = {
		AUTHZ_VIEW, AUTHZ_REVIEW, AUTHZ_RETURN, AUTHZ_RECOGNISE, AUTHZ_PUBLISH,
	};
	for (size_t i = 0; i < sizeof judging / sizeof judging[0]; i++) {
		allow(&mine, judging[i]);
		deny(&theirs, judging[i], AUTHZ_DENIED_SCOPE);
	}
	/* an officer never does the school's or the team's work */
	deny(&mine, AUTHZ_APPROVE, AUTHZ_DENIED_ROLE);
	deny(&mine, AUTHZ_SUBMIT, AUTHZ_DENIED_ROLE);
	deny(&mine, AUTHZ_EVALUATE, AUTHZ_DENIED_ROLE);
	mine.object.state = WF_DRAFT;
	deny(&mine, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_ROLE);
	deny(&mine, AUTHZ_MANAGE_COUNCIL, AUTHZ_DENIED_ROLE);
	mine.object.state = WF_UNDER_EVALUATION;
	deny(&mine, AUTHZ_EDIT_EXTERNAL_ANSWER, AUTHZ_DENIED_ROLE);
	/* nor administers units or accounts */
	deny(&mine, AUTHZ_MANAGE_UNITS, AUTHZ_DENIED_ROLE);
	deny(&mine, AUTHZ_MANAGE_ACCOUNTS, AUTHZ_DENIED_ROLE);
	deny(&mine, AUTHZ_MANAGE_FRAMEWORKS, AUTHZ_DENIED_ROLE);

	assert_int_equal(authz_capacities(&mine), WF_BY_OFFICER);
	assert_int_equal(authz_capacities(&theirs), 0);
	/* the same through the workflow: Lê Chân's officer cannot return a Kiến An school */
	wf_input in = {.state = WF_SUBMITTED, .reason = "Thiếu biên bản", .today = 20240525};
	wf_result r;
	theirs = CTX(officer_lc, school_2024(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	in.actor = authz_capacities(&theirs);
	assert_int_equal(wf_check(&in, WF_RETURN, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);
	deny(&theirs, AUTHZ_RETURN, AUTHZ_DENIED_SCOPE);
	in.actor = authz_capacities(&mine);
	assert_int_equal(wf_check(&in, WF_RETURN, &r), WF_RETURNED);
}

static void test_rounds_belong_to_their_office(void **st)
{
	(void)st;
	authz_object round = {.kind = AUTHZ_KIND_ROUND, .unit_id = PHONG_KA,
		.parents = up_so, .n_parents = 1, .evaluators = up_so, .n_evaluators = 1};
	authz_ctx c = CTX(officer_ka, round);
	allow(&c, AUTHZ_OPEN_ROUND);
	c = CTX(officer_lc, round);
	deny(&c, AUTHZ_OPEN_ROUND, AUTHZ_DENIED_SCOPE);
	allow(&c, AUTHZ_VIEW);                     /* plans and deadlines are readable */
	c = CTX(officer_so, round);                /* the Sở does not open the Phòng's rounds */
	deny(&c, AUTHZ_OPEN_ROUND, AUTHZ_DENIED_SCOPE);
	c = CTX(principal_ttn, round);
	deny(&c, AUTHZ_OPEN_ROUND, AUTHZ_DENIED_ROLE);
	allow(&c, AUTHZ_VIEW);
}

static void test_office_admin_units_and_accounts(void **st)
{
	(void)st;
	authz_ctx c = CTX(admin_ka, school_2024(AUTHZ_KIND_UNIT, WF_NOT_STARTED));
	allow(&c, AUTHZ_MANAGE_UNITS);
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.account_id = 77;
	c.object.grant_role = AUTHZ_PRINCIPAL;
	allow(&c, AUTHZ_MANAGE_ACCOUNTS);
	c.object.grant_role = AUTHZ_SYSTEM_ADMIN;
	deny(&c, AUTHZ_MANAGE_ACCOUNTS, AUTHZ_DENIED_ESCALATION);

	c = CTX(admin_ka, other_school(AUTHZ_KIND_UNIT, WF_NOT_STARTED));
	deny(&c, AUTHZ_MANAGE_UNITS, AUTHZ_DENIED_SCOPE);
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.grant_role = AUTHZ_COUNCIL_MEMBER;
	deny(&c, AUTHZ_MANAGE_ACCOUNTS, AUTHZ_DENIED_SCOPE);

	/* its own office: accounts yes, its own place in the hierarchy no */
	c = CTX(admin_ka, phong_own(WF_NOT_STARTED));
	c.object.kind = AUTHZ_KIND_UNIT;
	deny(&c, AUTHZ_MANAGE_UNITS, AUTHZ_DENIED_SCOPE);
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.grant_role = AUTHZ_OFFICER;
	allow(&c, AUTHZ_MANAGE_ACCOUNTS);

	/* a new school under the Phòng: no id yet, the Phòng's chains */
	static const int64_t new_up[] = {PHONG_KA, SO};
	authz_object fresh = {.kind = AUTHZ_KIND_UNIT, .parents = new_up, .n_parents = 2,
		.evaluators = new_up, .n_evaluators = 2};
	c = CTX(admin_ka, fresh);
	allow(&c, AUTHZ_MANAGE_UNITS);
	c = CTX(admin_so, fresh);                  /* the Sở's subtree holds it too */
	allow(&c, AUTHZ_MANAGE_UNITS);
}

static void test_frameworks(void **st)
{
	(void)st;
	authz_object local = {.kind = AUTHZ_KIND_FRAMEWORK, .unit_id = SO};
	authz_object national = {.kind = AUTHZ_KIND_FRAMEWORK, .unit_id = 0};
	authz_ctx c = CTX(admin_so, local);
	allow(&c, AUTHZ_MANAGE_FRAMEWORKS);
	c = CTX(admin_so, national);
	deny(&c, AUTHZ_MANAGE_FRAMEWORKS, AUTHZ_DENIED_SCOPE);
	allow(&c, AUTHZ_VIEW);
	c = CTX(admin_ka, local);                  /* the Phòng may not edit the Sở's version */
	deny(&c, AUTHZ_MANAGE_FRAMEWORKS, AUTHZ_DENIED_SCOPE);
	c = CTX(officer_so, local);
	deny(&c, AUTHZ_MANAGE_FRAMEWORKS, AUTHZ_DENIED_ROLE);
}

/* Issue 17: the trust store is the system administrator's; an office's
 * signing key its own administrator's, not its superior's. */
static void test_signing(void **st)
{
	(void)st;
	authz_object ka = {.kind = AUTHZ_KIND_UNIT, .unit_id = PHONG_KA, .parents = up_so, .n_parents = 1};
	authz_ctx c = CTX(admin_ka, ka);
	allow(&c, AUTHZ_MANAGE_SIGNING);
	deny(&c, AUTHZ_MANAGE_TRUST, AUTHZ_DENIED_ROLE);
	c = CTX(admin_so, ka);
	deny(&c, AUTHZ_MANAGE_SIGNING, AUTHZ_DENIED_SCOPE);
	c = CTX(officer_ka, ka);
	deny(&c, AUTHZ_MANAGE_SIGNING, AUTHZ_DENIED_ROLE);
	c = CTX(sysadmin, ka);
	allow(&c, AUTHZ_MANAGE_SIGNING);
	allow(&c, AUTHZ_MANAGE_TRUST);
}

/* Issue 17: the signed original of a document goes into its issuer's
 * register, filed by the issuer: a school's head, an office's staff; not
 * the superior, not the council, not another school. */
static void test_file_signed(void **st)
{
	(void)st;
	authz_object ka = {.kind = AUTHZ_KIND_UNIT, .unit_id = PHONG_KA, .parents = up_so, .n_parents = 1};
	authz_object ttn = {.kind = AUTHZ_KIND_UNIT, .unit_id = TH_TTN};
	authz_ctx c = CTX(officer_ka, ka);
	allow(&c, AUTHZ_FILE_SIGNED);
	c = CTX(admin_ka, ka);
	allow(&c, AUTHZ_FILE_SIGNED);
	c = CTX(admin_so, ka);
	deny(&c, AUTHZ_FILE_SIGNED, AUTHZ_DENIED_SCOPE);
	c = CTX(principal_ttn, ttn);
	allow(&c, AUTHZ_FILE_SIGNED);
	c = CTX(principal_ttn, ka);
	deny(&c, AUTHZ_FILE_SIGNED, AUTHZ_DENIED_SCOPE);
	c = CTX(council_ttn, ttn);
	deny(&c, AUTHZ_FILE_SIGNED, AUTHZ_DENIED_ROLE);
	c = CTX(evaluator_2024, ttn);
	deny(&c, AUTHZ_FILE_SIGNED, AUTHZ_DENIED_ROLE);
	c = CTX(officer_ka, ttn);                  /* the office does not file the school's papers */
	deny(&c, AUTHZ_FILE_SIGNED, AUTHZ_DENIED_SCOPE);
	c = CTX(sysadmin, ttn);
	allow(&c, AUTHZ_FILE_SIGNED);
}

static void test_principal(void **st)
{
	(void)st;
	authz_ctx c = CTX(principal_ttn, school_2024(AUTHZ_KIND_ANSWER, WF_DRAFT));
	allow(&c, AUTHZ_VIEW);
	allow(&c, AUTHZ_EDIT_SELF_ANSWER);
	allow(&c, AUTHZ_UPLOAD_EVIDENCE);
	allow(&c, AUTHZ_MANAGE_COUNCIL);
	allow(&c, AUTHZ_APPROVE);
	allow(&c, AUTHZ_SUBMIT);
	deny(&c, AUTHZ_RETURN, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_RECOGNISE, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_REVIEW, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_EDIT_EXTERNAL_ANSWER, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_MANAGE_UNITS, AUTHZ_DENIED_ROLE);
	assert_int_equal(authz_capacities(&c), WF_BY_PRINCIPAL);

	c.object.state = WF_APPROVED;              /* the decision locks it */
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_STATE);
	deny(&c, AUTHZ_UPLOAD_EVIDENCE, AUTHZ_DENIED_STATE);
	deny(&c, AUTHZ_MANAGE_COUNCIL, AUTHZ_DENIED_STATE);
	c.object.state = WF_RETURNED;              /* returned: editable again */
	allow(&c, AUTHZ_EDIT_SELF_ANSWER);
	allow(&c, AUTHZ_MANAGE_COUNCIL);

	/* accounts: teachers for the council, nothing more */
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.grant_role = AUTHZ_COUNCIL_MEMBER;
	allow(&c, AUTHZ_MANAGE_ACCOUNTS);
	c.object.grant_role = AUTHZ_OFFICER;
	deny(&c, AUTHZ_MANAGE_ACCOUNTS, AUTHZ_DENIED_ESCALATION);

	c = CTX(principal_ttn, other_school(AUTHZ_KIND_ANSWER, WF_DRAFT));
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_APPROVE, AUTHZ_DENIED_SCOPE);
	assert_int_equal(authz_capacities(&c), 0);
}

static void test_council_member_assigned_items_only(void **st)
{
	(void)st;
	authz_object item = school_2024(AUTHZ_KIND_ANSWER, WF_DRAFT);
	item.assigned_item = true;
	authz_ctx c = CTX(council_ttn, item);
	allow(&c, AUTHZ_VIEW);
	allow(&c, AUTHZ_EDIT_SELF_ANSWER);
	allow(&c, AUTHZ_UPLOAD_EVIDENCE);
	deny(&c, AUTHZ_APPROVE, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_SUBMIT, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_MANAGE_COUNCIL, AUTHZ_DENIED_ROLE);

	c.object.state = WF_SELF_ASSESSED;         /* consolidated: locked */
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_STATE);
	c.object.state = WF_RETURNED;
	allow(&c, AUTHZ_EDIT_SELF_ANSWER);

	c.object.assigned_item = false;            /* someone else's item */
	allow(&c, AUTHZ_VIEW);
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_NOT_ASSIGNED);
	deny(&c, AUTHZ_UPLOAD_EVIDENCE, AUTHZ_DENIED_NOT_ASSIGNED);

	/* the same school in another round: membership is per round */
	authz_object later = school_2026(AUTHZ_KIND_ANSWER, WF_DRAFT);
	later.assigned_item = true;
	c = CTX(council_ttn, later);
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_SCOPE);

	c = CTX(council_ttn, other_school(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);
}

static void test_council_secretary_consolidates(void **st)
{
	(void)st;
	authz_object o = school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT);
	authz_ctx member = CTX(council_ttn, o);
	o.council_secretary = true;
	authz_ctx secretary = CTX(council_ttn, o);
	wf_input in = {.state = WF_DRAFT, .council_formed = true};
	wf_result r;

	in.actor = authz_capacities(&member);
	assert_int_equal(in.actor, WF_BY_COUNCIL_MEMBER);
	assert_int_equal(wf_check(&in, WF_CONSOLIDATE, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);

	in.actor = authz_capacities(&secretary);
	assert_int_equal(in.actor, WF_BY_COUNCIL_MEMBER | WF_BY_COUNCIL_SECRETARY);
	assert_int_equal(wf_check(&in, WF_CONSOLIDATE, &r), WF_SELF_ASSESSED);
	in.state = WF_SELF_ASSESSED;               /* but only the principal approves */
	assert_int_equal(wf_check(&in, WF_APPROVE, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);
}

static void test_evaluator_assigned_units_of_the_round(void **st)
{
	(void)st;
	authz_object o = school_2024(AUTHZ_KIND_ANSWER, WF_UNDER_EVALUATION);
	o.assigned_evaluator = true;
	authz_ctx c = CTX(evaluator_2024, o);
	allow(&c, AUTHZ_VIEW);
	allow(&c, AUTHZ_EVALUATE);
	allow(&c, AUTHZ_EDIT_EXTERNAL_ANSWER);
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_RETURN, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_RECOGNISE, AUTHZ_DENIED_ROLE);
	deny(&c, AUTHZ_APPROVE, AUTHZ_DENIED_ROLE);
	assert_int_equal(authz_capacities(&c), WF_BY_EVALUATOR);
	c.object.state = WF_EVALUATED;             /* scores close with the evaluation */
	deny(&c, AUTHZ_EDIT_EXTERNAL_ANSWER, AUTHZ_DENIED_STATE);
	allow(&c, AUTHZ_VIEW);

	/* an unassigned unit of the same round */
	authz_object other = other_school(AUTHZ_KIND_ANSWER, WF_UNDER_EVALUATION);
	c = CTX(evaluator_2024, other);
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_NOT_ASSIGNED);
	deny(&c, AUTHZ_EVALUATE, AUTHZ_DENIED_NOT_ASSIGNED);
	deny(&c, AUTHZ_EDIT_EXTERNAL_ANSWER, AUTHZ_DENIED_NOT_ASSIGNED);
	assert_int_equal(authz_capacities(&c), 0);

	/* the assigned unit, but in another round */
	authz_object later = school_2026(AUTHZ_KIND_ANSWER, WF_UNDER_EVALUATION);
	later.assigned_evaluator = true;
	c = CTX(evaluator_2024, later);
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_EDIT_EXTERNAL_ANSWER, AUTHZ_DENIED_SCOPE);

	/* the team head starts and finishes the evaluation */
	o.team_head = true;
	c = CTX(evaluator_2024, o);
	assert_int_equal(authz_capacities(&c), WF_BY_EVALUATOR | WF_BY_TEAM_HEAD);
	wf_input in = {.state = WF_SUBMITTED, .evaluators_assigned = 3};
	wf_result r;
	in.actor = authz_capacities(&c);
	assert_int_equal(wf_check(&in, WF_START_EVALUATION, &r), WF_UNDER_EVALUATION);
	in.state = WF_EVALUATED;                   /* and cannot recognise */
	in.decision_number = "12/QĐ-PGDĐT", in.decision_date = 20240610;
	in.decision_signer = "Trần Thị Tuyết", in.today = 20240612;
	assert_int_equal(wf_check(&in, WF_RECOGNISE, &r), -1);
	assert_int_equal(r.refusal, WF_REFUSED_ROLE);
}

static void test_public_sees_only_published(void **st)
{
	(void)st;
	authz_ctx c = {0};
	c.object = school_2024(AUTHZ_KIND_ASSESSMENT, WF_RECOGNISED);
	deny(&c, AUTHZ_VIEW_PUBLIC, AUTHZ_DENIED_NOT_PUBLISHED);
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_ANONYMOUS);
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_ANONYMOUS);
	deny(&c, AUTHZ_APPROVE, AUTHZ_DENIED_ANONYMOUS);
	assert_int_equal(authz_capacities(&c), 0);
	c.object.published = true;
	c.object.state = WF_PUBLISHED;
	allow(&c, AUTHZ_VIEW_PUBLIC);
	allow(&c, AUTHZ_VIEW);
	deny(&c, AUTHZ_PUBLISH, AUTHZ_DENIED_ANONYMOUS);
	/* even staff read unpublished results only through their roles */
	c = CTX(officer_lc, school_2024(AUTHZ_KIND_ASSESSMENT, WF_RECOGNISED));
	deny(&c, AUTHZ_VIEW_PUBLIC, AUTHZ_DENIED_NOT_PUBLISHED);
	c = CTX(sysadmin, school_2024(AUTHZ_KIND_ASSESSMENT, WF_RECOGNISED));
	deny(&c, AUTHZ_VIEW_PUBLIC, AUTHZ_DENIED_NOT_PUBLISHED);
}

static void test_disabled_account_is_the_public(void **st)
{
	(void)st;
	authz_ctx c = CTX(principal_ttn, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	c.account.active = false;
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_INACTIVE);
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_INACTIVE);
	assert_int_equal(authz_capacities(&c), 0);
	c.object.published = true;
	allow(&c, AUTHZ_VIEW_PUBLIC);
	c = CTX(sysadmin, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	c.account.active = false;
	deny(&c, AUTHZ_APPROVE, AUTHZ_DENIED_INACTIVE);
}

/* The reform: school 100's 2023-2024 round stays with Phòng Kiến An; its
 * 2025-2026 round belongs to the Sở, managed by UBND phường. */
static void test_scope_follows_dated_evaluator(void **st)
{
	(void)st;
	authz_ctx c;
	c = CTX(officer_ka, school_2024(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	allow(&c, AUTHZ_RETURN);
	allow(&c, AUTHZ_VIEW);
	c = CTX(officer_ka, school_2026(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	deny(&c, AUTHZ_RETURN, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);

	c = CTX(officer_so, school_2026(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	allow(&c, AUTHZ_VIEW);                     /* through the evaluator chain alone */
	allow(&c, AUTHZ_RETURN);
	allow(&c, AUTHZ_RECOGNISE);
	assert_int_equal(authz_capacities(&c), WF_BY_OFFICER);
	/* in 2023-2024 the Sở oversaw, it did not judge */
	c = CTX(officer_so, school_2024(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	allow(&c, AUTHZ_VIEW);
	deny(&c, AUTHZ_RETURN, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_RECOGNISE, AUTHZ_DENIED_SCOPE);
	assert_int_equal(authz_capacities(&c), 0);

	/* the managing UBND phường sees its school, judges nothing */
	c = CTX(officer_ubnd, school_2026(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	allow(&c, AUTHZ_VIEW);
	deny(&c, AUTHZ_RETURN, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_REVIEW, AUTHZ_DENIED_SCOPE);
	c = CTX(officer_ubnd, school_2024(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED));
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);
	deny(&c, AUTHZ_REMIND, AUTHZ_DENIED_SCOPE);

	/* the Phòng's own assessment is judged by the Sở, not by itself */
	c = CTX(officer_ka, phong_own(WF_SUBMITTED));
	allow(&c, AUTHZ_VIEW);
	deny(&c, AUTHZ_RETURN, AUTHZ_DENIED_SCOPE);
	c = CTX(officer_so, phong_own(WF_SUBMITTED));
	allow(&c, AUTHZ_RETURN);
}

/* Reminding a late school: its evaluator and its direct manager (the
 * commune since the reform), never an office that only looks on, a
 * school or an evaluator. */
static void test_remind_evaluator_or_direct_manager(void **st)
{
	(void)st;
	authz_ctx c = CTX(officer_ubnd, school_2026(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	allow(&c, AUTHZ_REMIND);
	deny(&c, AUTHZ_RECOGNISE, AUTHZ_DENIED_SCOPE);
	c = CTX(admin_so, school_2026(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	allow(&c, AUTHZ_REMIND);
	/* 2023-2024: the Phòng evaluated and managed; the Sở above it looked on */
	c = CTX(officer_ka, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	allow(&c, AUTHZ_REMIND);
	c = CTX(officer_so, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	deny(&c, AUTHZ_REMIND, AUTHZ_DENIED_SCOPE);
	c = CTX(officer_lc, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	deny(&c, AUTHZ_REMIND, AUTHZ_DENIED_SCOPE);
	c = CTX(principal_ttn, school_2026(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	deny(&c, AUTHZ_REMIND, AUTHZ_DENIED_ROLE);
	c = CTX(evaluator_2024, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	deny(&c, AUTHZ_REMIND, AUTHZ_DENIED_ROLE);
}

/* The Phòng's report to the Sở: the Phòng sends, the Sở receives; the
 * other Phòng, a school and the public have no part in it. */
static void test_report_capacities(void **st)
{
	(void)st;
	authz_object report = {.kind = AUTHZ_KIND_ROUND, .unit_id = PHONG_KA,
		.parents = up_so, .n_parents = 1, .evaluators = up_so, .n_evaluators = 1};
	authz_ctx c = CTX(officer_ka, report);
	assert_int_equal(authz_report_capacities(&c), WF_REPORT_BY_SENDER);
	c = CTX(admin_so, report);
	assert_int_equal(authz_report_capacities(&c), WF_REPORT_BY_SUPERIOR);
	c = CTX(officer_lc, report);
	assert_int_equal(authz_report_capacities(&c), 0);
	c = CTX(principal_ttn, report);
	assert_int_equal(authz_report_capacities(&c), 0);
	c = CTX(sysadmin, report);
	assert_int_equal(authz_report_capacities(&c), WF_REPORT_BY_SENDER | WF_REPORT_BY_SUPERIOR);
	c = CTX(officer_ka, report);
	c.account.active = false;
	assert_int_equal(authz_report_capacities(&c), 0);
	/* both at once: a Sở's report when the account also works at its superior */
	const authz_grant two[] = { officer_ka, officer_so };
	c = ctx(two, 2, report);
	assert_int_equal(authz_report_capacities(&c), WF_REPORT_BY_SENDER | WF_REPORT_BY_SUPERIOR);
}

static void test_most_specific_reason_and_default_deny(void **st)
{
	(void)st;
	/* principal elsewhere + council member here, unassigned item */
	const authz_grant two[] = {
		{AUTHZ_PRINCIPAL, THCS_NQ, 0},
		{AUTHZ_COUNCIL_MEMBER, TH_TTN, R2024},
	};
	authz_ctx c = ctx(two, 2, school_2024(AUTHZ_KIND_ANSWER, WF_DRAFT));
	deny(&c, AUTHZ_EDIT_SELF_ANSWER, AUTHZ_DENIED_NOT_ASSIGNED);
	c.object.assigned_item = true;
	allow(&c, AUTHZ_EDIT_SELF_ANSWER);
	/* and the union of capacities */
	assert_int_equal(authz_capacities(&c), WF_BY_COUNCIL_MEMBER);

	/* no grants at all */
	c = ctx(NULL, 0, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	for (int a = 0; a < AUTHZ_ACTION_COUNT; a++)
		if (a != AUTHZ_VIEW_PUBLIC) deny(&c, (authz_action)a, AUTHZ_DENIED_ROLE);
	/* a grant with a role this build does not know */
	const authz_grant odd = {(authz_role)99, TH_TTN, 0};
	c = CTX(odd, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	for (int a = 0; a < AUTHZ_ACTION_COUNT; a++)
		if (a != AUTHZ_VIEW_PUBLIC) deny(&c, (authz_action)a, AUTHZ_DENIED_ROLE);
	assert_int_equal(authz_capacities(&c), 0);
	/* an action this build does not know */
	c = CTX(sysadmin, school_2024(AUTHZ_KIND_ASSESSMENT, WF_DRAFT));
	deny(&c, AUTHZ_ACTION_COUNT, AUTHZ_DENIED_ACTION);
	deny(&c, AUTHZ_ACTION_INVALID, AUTHZ_DENIED_ACTION);
	assert_false(authz_check(&c, AUTHZ_ACTION_COUNT, NULL));
	assert_true(authz_check(&c, AUTHZ_VIEW, NULL));
	/* a grant on unit 0 scopes nothing */
	const authz_grant nowhere = {AUTHZ_OFFICER, 0, 0};
	authz_object orphan = {.kind = AUTHZ_KIND_UNIT};
	c = CTX(nowhere, orphan);
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_SCOPE);
}

static void test_own_account_and_others(void **st)
{
	(void)st;
	authz_object acc = school_2024(AUTHZ_KIND_ACCOUNT, WF_NOT_STARTED);
	acc.account_id = 42;                       /* ctx() signs in as account 42 */
	authz_ctx c = CTX(council_ttn, acc);
	allow(&c, AUTHZ_VIEW);
	c.object.account_id = 43;
	deny(&c, AUTHZ_VIEW, AUTHZ_DENIED_ROLE);
	c = CTX(principal_ttn, c.object);
	allow(&c, AUTHZ_VIEW);
}

/* An account of two roles — principal of school 100, officer of the Sở —
 * as the administration pages ask about it (authz_check_account). */
static void account_roles(authz_object roles[2], int64_t account_id)
{
	roles[0] = school_2024(AUTHZ_KIND_ACCOUNT, WF_NOT_STARTED);
	roles[0].account_id = account_id;
	roles[0].grant_role = AUTHZ_PRINCIPAL;
	roles[1] = (authz_object){ .kind = AUTHZ_KIND_ACCOUNT, .unit_id = SO, .account_id = account_id,
	                           .grant_role = AUTHZ_OFFICER, .state = WF_STATE_INVALID };
}

static authz_account signed_in(const authz_grant *g, size_t n)
{
	authz_account acc = { .id = 42, .active = true, .grants = g, .n_grants = n };
	return acc;
}

static void test_account_view_one_manage_every_role(void **st)
{
	(void)st;
	authz_object roles[2];
	account_roles(roles, 77);
	authz_decision d;
	/* the Phòng's administrator sees the principal of its school … */
	authz_account phong = signed_in(&admin_ka, 1);
	assert_true(authz_check_account(&phong, roles, 2, AUTHZ_VIEW, &d));
	/* … but cannot lock out the Sở's officer who is also that principal */
	assert_false(authz_check_account(&phong, roles, 2, AUTHZ_MANAGE_ACCOUNTS, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_SCOPE);
	assert_string_equal(d.message, authz_reason_message(AUTHZ_DENIED_SCOPE));
	/* the principal's role alone is its to manage */
	assert_true(authz_check_account(&phong, roles, 1, AUTHZ_MANAGE_ACCOUNTS, &d));
	/* the Sở's administrator holds both in its subtree */
	authz_account so = signed_in(&admin_so, 1);
	assert_true(authz_check_account(&so, roles, 2, AUTHZ_MANAGE_ACCOUNTS, &d));
	/* Lê Chân's officer: neither role, neither view nor manage */
	authz_account lc = signed_in(&officer_lc, 1);
	assert_false(authz_check_account(&lc, roles, 2, AUTHZ_VIEW, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_SCOPE);
	/* an account without roles: the system administrator's alone */
	assert_false(authz_check_account(&so, roles, 0, AUTHZ_VIEW, &d));
	assert_false(authz_check_account(&so, roles, 0, AUTHZ_MANAGE_ACCOUNTS, &d));
	authz_account sys = signed_in(&sysadmin, 1);
	assert_true(authz_check_account(&sys, roles, 0, AUTHZ_MANAGE_ACCOUNTS, &d));
	assert_true(authz_check_account(&sys, roles, 2, AUTHZ_MANAGE_ACCOUNTS, &d));
	assert_int_equal(d.reason, AUTHZ_OK);
	/* a disabled system administrator is nobody's administrator */
	sys.active = false;
	assert_false(authz_check_account(&sys, roles, 2, AUTHZ_MANAGE_ACCOUNTS, &d));
}

static void test_system_admin_and_own_lock(void **st)
{
	(void)st;
	authz_account sys = signed_in(&sysadmin, 1), phong = signed_in(&admin_ka, 1), nobody = { 0 };
	assert_true(authz_is_system_admin(&sys));
	assert_false(authz_is_system_admin(&phong));
	assert_false(authz_is_system_admin(&nobody));
	sys.active = false;
	assert_false(authz_is_system_admin(&sys));
	authz_decision d;
	/* nobody locks their own account; unlocking it, or locking another, passes */
	assert_false(authz_may_set_active(&phong, 42, false, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_OWN_ACCOUNT);
	assert_string_equal(d.message, "Bạn không thể tự khóa tài khoản của chính mình.");
	assert_true(authz_may_set_active(&phong, 42, true, &d));
	assert_true(authz_may_set_active(&phong, 43, false, &d));
	/* the subtree an administrator's lists show: its own office, the one
	 * asked among its own, never another's; every unit for the system */
	static const authz_grant two[] = { {AUTHZ_OFFICER, PHONG_LC, 0}, {AUTHZ_OFFICE_ADMIN, PHONG_KA, 0},
	                                   {AUTHZ_OFFICE_ADMIN, SO, 0} };
	authz_account both = signed_in(two, 3);
	assert_int_equal(authz_admin_scope(&both, 0), PHONG_KA);
	assert_int_equal(authz_admin_scope(&both, SO), SO);
	assert_int_equal(authz_admin_scope(&both, PHONG_LC), PHONG_KA);   /* an officer there, not its administrator */
	sys.active = true;
	assert_int_equal(authz_admin_scope(&sys, PHONG_KA), 0);
	authz_account off = signed_in(&officer_ka, 1);
	assert_int_equal(authz_admin_scope(&off, PHONG_KA), 0);
}

static void test_evidence_change_one_delete_every(void **st)
{
	(void)st;
	authz_decision ok = { .allow = true, .reason = AUTHZ_OK, .message = "" };
	authz_decision mine_not = { .allow = false, .reason = AUTHZ_DENIED_NOT_ASSIGNED,
	                            .message = authz_reason_message(AUTHZ_DENIED_NOT_ASSIGNED) };
	authz_decision locked = { .allow = false, .reason = AUTHZ_DENIED_STATE,
	                          .message = authz_reason_message(AUTHZ_DENIED_STATE) };
	authz_decision d;
	/* the whole evidence allowed (the principal): anything */
	assert_true(authz_evidence_change(&ok, NULL, 0, true, &d));
	/* refused otherwise than "not assigned": refused, whatever the items */
	authz_decision both[] = { ok, ok };
	assert_false(authz_evidence_change(&locked, both, 2, false, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_STATE);
	/* a council member: one criterion hers, one another member's */
	authz_decision mixed[] = { ok, mine_not };
	assert_true(authz_evidence_change(&mine_not, mixed, 2, false, &d));     /* edit: one suffices */
	assert_false(authz_evidence_change(&mine_not, mixed, 2, true, &d));     /* delete: every one */
	assert_int_equal(d.reason, AUTHZ_DENIED_NOT_ASSIGNED);
	assert_true(authz_evidence_change(&mine_not, both, 2, true, &d));       /* every one hers */
	/* none hers: neither; an item of no criterion is not hers to delete */
	authz_decision none[] = { mine_not, locked };
	assert_false(authz_evidence_change(&mine_not, none, 2, false, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_STATE);                         /* the last refusal told */
	assert_false(authz_evidence_change(&mine_not, NULL, 0, true, &d));
	assert_false(authz_evidence_change(&mine_not, NULL, 0, false, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_NOT_ASSIGNED);
}

/* authz and workflow name the same people for the same acts. */
static void test_agrees_with_workflow_table(void **st)
{
	(void)st;
	static const struct {
		authz_action a;
		wf_action w;
	} pairs[] = {
		{AUTHZ_APPROVE, WF_APPROVE}, {AUTHZ_SUBMIT, WF_SUBMIT}, {AUTHZ_RETURN, WF_RETURN},
		{AUTHZ_RECOGNISE, WF_RECOGNISE}, {AUTHZ_PUBLISH, WF_PUBLISH},
	};
	const authz_grant *people[] = {
		&sysadmin, &officer_ka, &admin_ka, &officer_lc, &officer_so, &principal_ttn,
		&council_ttn, &evaluator_2024,
	};
	authz_object o = school_2024(AUTHZ_KIND_ASSESSMENT, WF_SUBMITTED);
	o.assigned_evaluator = true;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		for (size_t p = 0; p < sizeof people / sizeof people[0]; p++) {
			authz_ctx c = ctx(people[p], 1, o);
			bool by_authz = authz_check(&c, pairs[i].a, NULL);
			bool by_wf = (authz_capacities(&c) & wf_action_who(pairs[i].w)) != 0;
			if (by_authz != by_wf)
				fail_msg("%s by %s: authz %d, workflow %d", authz_action_code(pairs[i].a),
					authz_role_code(people[p]->role), by_authz, by_wf);
		}
}

/* A school's own publication (issue 11): its principal holds the
 * capacity, nobody else of the school, nor the offices (they publish with
 * `publish`), nor a principal of another school. */
static void test_own_publication_capacity(void **st)
{
	(void)st;
	static const authz_grant principal_other = {AUTHZ_PRINCIPAL, THCS_NQ, 0};
	authz_object o = school_2024(AUTHZ_KIND_ASSESSMENT, WF_RECOGNISED);
	const struct {
		const authz_grant *g;
		bool own, office;
	} people[] = {
		{&principal_ttn, true, false}, {&council_ttn, false, false}, {&officer_ka, false, true},
		{&admin_ka, false, true}, {&evaluator_2024, false, false}, {&principal_other, false, false},
	};
	for (size_t p = 0; p < sizeof people / sizeof people[0]; p++) {
		authz_ctx c = ctx(people[p].g, 1, o);
		unsigned cap = authz_capacities(&c);
		if (((cap & wf_action_who(WF_PUBLISH_OWN)) != 0) != people[p].own ||
		    ((cap & wf_action_who(WF_UNPUBLISH_OWN)) != 0) != people[p].own ||
		    ((cap & wf_action_who(WF_PUBLISH)) != 0) != people[p].office)
			fail_msg("%s: capacities %#x", authz_role_code(people[p].g->role), cap);
	}
}

static void test_codes(void **st)
{
	(void)st;
	for (int r = 0; r < AUTHZ_ROLE_COUNT; r++) {
		assert_int_equal(authz_role_parse(authz_role_code((authz_role)r)), r);
		assert_true(strlen(authz_role_label((authz_role)r)) > 5);
	}
	assert_int_equal(authz_role_parse("office_admin"), AUTHZ_OFFICE_ADMIN);
	assert_int_equal(authz_role_parse("external_evaluator"), AUTHZ_EXTERNAL_EVALUATOR);
	assert_int_equal(authz_role_parse("root"), AUTHZ_ROLE_INVALID);
	assert_int_equal(authz_role_parse(NULL), AUTHZ_ROLE_INVALID);
	assert_string_equal(authz_role_code(AUTHZ_ROLE_INVALID), "");
	for (int a = 0; a < AUTHZ_ACTION_COUNT; a++)
		assert_int_equal(authz_action_parse(authz_action_code((authz_action)a)), a);
	assert_int_equal(authz_action_parse("view_public"), AUTHZ_VIEW_PUBLIC);
	assert_int_equal(authz_action_parse("delete"), AUTHZ_ACTION_INVALID);
	for (int r = 1; r < AUTHZ_REASON_COUNT; r++)
		assert_true(strlen(authz_reason_message((authz_reason)r)) > 10);
	assert_string_equal(authz_reason_code(AUTHZ_DENIED_SCOPE), "scope");
	assert_string_equal(authz_reason_message(AUTHZ_REASON_COUNT), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_admin_anything_but_locks),
		cmocka_unit_test(test_signing),
		cmocka_unit_test(test_file_signed),
		cmocka_unit_test(test_officer_in_and_out_of_scope),
		cmocka_unit_test(test_rounds_belong_to_their_office),
		cmocka_unit_test(test_office_admin_units_and_accounts),
		cmocka_unit_test(test_frameworks),
		cmocka_unit_test(test_principal),
		cmocka_unit_test(test_council_member_assigned_items_only),
		cmocka_unit_test(test_council_secretary_consolidates),
		cmocka_unit_test(test_evaluator_assigned_units_of_the_round),
		cmocka_unit_test(test_public_sees_only_published),
		cmocka_unit_test(test_disabled_account_is_the_public),
		cmocka_unit_test(test_scope_follows_dated_evaluator),
		cmocka_unit_test(test_remind_evaluator_or_direct_manager),
		cmocka_unit_test(test_report_capacities),
		cmocka_unit_test(test_most_specific_reason_and_default_deny),
		cmocka_unit_test(test_own_account_and_others),
		cmocka_unit_test(test_account_view_one_manage_every_role),
		cmocka_unit_test(test_system_admin_and_own_lock),
		cmocka_unit_test(test_evidence_change_one_delete_every),
		cmocka_unit_test(test_agrees_with_workflow_table),
		cmocka_unit_test(test_own_publication_capacity),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
