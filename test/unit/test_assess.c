/* test_assess.c — the assessment service (assess.c) on SQLite and, when
 * CHISO_TEST_PG is set, PostgreSQL: every workflow action applied through
 * assess_act stores the level its step fixes, scored from the stored
 * answers through the one path that `chiso levels verify` uses; and an
 * ATOMICITY test — a fault injected after the transition and before the
 * level write (assess_fault_hook) leaves neither the transition, nor the
 * level, nor what the action carries, nor any audit row, for every action
 * that stores a level. */
#include "store_test.h"
#include "assess.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_publish.h"
#include "q_office.h"
#include "q_round.h"
#include "q_submission.h"
#include "q_unit.h"
#include "sign_trust.h"
#include <jansson.h>

#define FIXTURE_ANSWERS "test/fixtures/answers/qd4725-thcs.json"   /* unit level 2 */
#define SELF_DAY 20250301          /* before the round's deadline */
#define OFFICE_DAY 20250620        /* after the recognition decision */

typedef struct world {
	int64_t phong, school, round, as, principal, officer;
	fw_catalog cat;
	const framework *fw;
	arena *a;
	score_result *self, *external;   /* scored from the stored answers */
} world;

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

/* Stores the fixture's answers on `side`. */
static void put_fixture(store_fx *fx, world *w, answer_side side)
{
	json_error_t je;
	json_t *sheet = json_load_file(FIXTURE_ANSWERS, 0, &je);
	if (!sheet) fail_msg("%s: %s", FIXTURE_ANSWERS, je.text);
	const char *code;
	json_t *v;
	json_object_foreach(json_object_get(sheet, "answers"), code, v) {
		char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
		OK(assessment_answer_put(fx->d, w->principal, w->as, code, side, text, NULL, NULL, NULL));
		free(text);
	}
	json_decref(sheet);
}

static score_result *score_stored(store_fx *fx, world *w, answer_side side)
{
	unit_type t;
	assert_true(unit_type_parse("thcs", &t));
	assess_sheet sh;
	assess_sheet_init(&sh, w->fw, t, w->a);
	OK(assess_sheet_load(fx->d, &sh, w->as, side, NULL, NULL));
	assert_int_equal(sh.bad, 0);
	score_result *r = assess_sheet_score(&sh, POLICY_MIN, NULL);
	assert_non_null(r);
	assert_non_null(r->level);
	assert_int_equal(r->level->level, 2);
	return r;
}

static void make_world(store_fx *fx, world *w)
{
	memset(w, 0, sizeof *w);
	w->a = arena_new();
	fw_catalog_load(&w->cat, "frameworks");
	w->fw = fw_catalog_find(&w->cat, "qd4725-2022@1");
	assert_non_null(w->fw);
	w->phong = add_unit(fx, "31310", "Phòng GD&ĐT quận Dương Kinh", "phong");
	w->school = add_unit(fx, "31310401", "Trường THCS Hưng Đạo", "thcs");
	OK(unit_relate(fx->d, 0, w->school, UNIT_PARENT, w->phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, w->school, UNIT_EVALUATOR, w->phong, "2020-09-01"));
	OK(account_create(fx->d, 0, "ht.hungdao", "Nguyễn Chí Linh", NULL, &w->principal));
	OK(account_create(fx->d, 0, "pgd.sy", "Đào Văn Sỹ", NULL, &w->officer));
	OK(account_grant(fx->d, 0, w->principal, "principal", w->school, 0, NULL));
	OK(account_grant(fx->d, 0, w->officer, "officer", w->phong, 0, NULL));
	round_framework rf[] = { { "thcs", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = w->phong, .school_year = "2024-2025",
		.title = "Đánh giá CĐS năm học 2024-2025", .policy = "min", .self_due = "2025-05-31" };
	OK(round_open(fx->d, w->officer, &r, rf, 1, NULL, 0, &w->round));
	OK(assessment_create(fx->d, 0, w->round, w->school, "qd4725-2022", "1", &w->as));
	put_fixture(fx, w, ANSWER_SELF);
	put_fixture(fx, w, ANSWER_EXTERNAL);
	w->self = score_stored(fx, w, ANSWER_SELF);
	w->external = score_stored(fx, w, ANSWER_EXTERNAL);
}

static void free_world(world *w)
{
	score_free(w->self);
	score_free(w->external);
	fw_catalog_free(&w->cat);
	arena_free(w->a);
}

static wf_state stored_state(store_fx *fx, world *w, assessment *as)
{
	OK(assessment_get(fx->d, w->as, w->a, as));
	return wf_state_parse(as->state);
}

static const decision recognition = { .number = "125/QĐ-PGDĐT", .date = "2025-06-18",
                                      .signer = "Đào Văn Sỹ — Trưởng phòng" };
static const return_item return_items[] = { { .item_code = "1.3.1", .reason = "Bổ sung minh chứng" } };

/* The request and the target of action a as its actor would make them
 * (the capacities stated, as the demo does: authz.c is tested apart). */
/* The submission's seal (issue 17), as school_submit makes it: the
 * server key of this secret (no office key in the fixture). */
static const unsigned char seal_secret[SECRET_BYTES] = { 7 };
static int seal_faults;   /* > 0: the seal itself fails (after writing its row) */
static int seal_or_fail(db *d, const void *ctx, int64_t id)
{
	int rc = sign_seal_hook(d, ctx, id);
	if (rc == DB_OK && seal_faults) {
		seal_faults--;
		rc = db_fail(d, DB_ERROR, "niêm phong: lỗi giả lập (kiểm thử)");
	}
	return rc;
}

static bool no_snapshot;  /* publish with no public snapshot (the team's answers give no score) */

static assess_refusal act(store_fx *fx, world *w, wf_action a, wf_result *res)
{
	assessment as;
	wf_state st = stored_state(fx, w, &as);
	bool office = a >= WF_RETURN && a != WF_PUBLISH_OWN && a != WF_UNPUBLISH_OWN;
	assess_target t = { .id = w->as, .score = st >= WF_SUBMITTED && st != WF_RETURNED ? w->external : w->self };
	t.facts.state = st;
	t.facts.actor = office ? WF_BY_OFFICER : WF_BY_PRINCIPAL;
	t.facts.today = office ? OFFICE_DAY : SELF_DAY;
	t.facts.council_formed = true;
	t.facts.deadline = 20250531;
	t.facts.evaluators_assigned = 1;
	t.summary_json = "{\"level\":2}";
	t.result_json = no_snapshot ? NULL : "{\"level\":2}";
	OK(school_published_by_school(fx->d, w->as, &t.facts.published_by_school));
	assess_request rq = { .action = a, .account_id = office ? w->officer : w->principal, .reason = "Lý do" };
	if (a == WF_SUBMIT) {
		rq.letter = "Tờ trình đề nghị đánh giá ngoài";
		t.seal = seal_or_fail;
		t.seal_ctx = seal_secret;
	}
	if (a == WF_RETURN) {
		rq.new_deadline = "2025-07-15";
		rq.items = return_items;
		rq.nitems = 1;
	}
	if (a == WF_RECOGNISE) {
		rq.decision = &recognition;
		rq.issuer = w->phong;
	}
	return assess_act(fx->d, &rq, &t, 1, res);
}

static void act_ok(store_fx *fx, world *w, wf_action a)
{
	wf_result res;
	assess_refusal r = act(fx, w, a, &res);
	if (r != ASSESS_OK) fail_msg("%s: %d %s", wf_action_code(a), (int)r, res.message);
}

/* Everything an action may write, counted. */
typedef struct snapshot {
	char state[32];
	int self, external, recognised;
	int64_t decision, transitions, audit, submissions, returns, decisions, published, seals;
} snapshot;

static int64_t count(store_fx *fx, const char *sql, int64_t id)
{
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, sql, "i", id));
	return n;
}

static void snap(store_fx *fx, world *w, snapshot *s)
{
	memset(s, 0, sizeof *s);
	assessment as;
	stored_state(fx, w, &as);
	snprintf(s->state, sizeof s->state, "%s", as.state);
	s->self = as.self_level;
	s->external = as.external_level;
	s->recognised = as.recognised_level;
	s->decision = as.recognition_decision_id;
	s->transitions = count(fx, "SELECT COUNT(*) FROM assessment_transitions WHERE assessment_id = ?", w->as);
	s->audit = count(fx, "SELECT COUNT(*) FROM audit_log WHERE seq > ?", 0);
	s->submissions = count(fx, "SELECT COUNT(*) FROM submissions WHERE assessment_id = ?", w->as);
	s->returns = count(fx, "SELECT COUNT(*) FROM return_reasons WHERE assessment_id = ?", w->as);
	s->seals = count(fx, "SELECT COUNT(*) FROM submission_seals WHERE assessment_id = ?", w->as);
	s->decisions = count(fx, "SELECT COUNT(*) FROM decisions WHERE id > ?", 0);
	s->published = count(fx, "SELECT COUNT(*) + 10 * COALESCE(SUM(by_school), 0) FROM published_results"
	                         " WHERE assessment_id = ?", w->as);
}

static void same(const snapshot *a, const snapshot *b, const char *what)
{
	if (strcmp(a->state, b->state) != 0 || a->self != b->self || a->external != b->external ||
	    a->recognised != b->recognised || a->decision != b->decision || a->transitions != b->transitions ||
	    a->audit != b->audit || a->submissions != b->submissions || a->returns != b->returns ||
	    a->decisions != b->decisions || a->published != b->published || a->seals != b->seals)
		fail_msg("%s left a trace: state %s→%s, levels %d/%d/%d→%d/%d/%d, transitions %lld→%lld, audit %lld→%lld,"
		         " submissions %lld→%lld, returns %lld→%lld, decisions %lld→%lld, published %lld→%lld,"
		         " seals %lld→%lld", what,
		         a->state, b->state, a->self, a->external, a->recognised, b->self, b->external, b->recognised,
		         (long long)a->transitions, (long long)b->transitions, (long long)a->audit, (long long)b->audit,
		         (long long)a->submissions, (long long)b->submissions, (long long)a->returns, (long long)b->returns,
		         (long long)a->decisions, (long long)b->decisions, (long long)a->published, (long long)b->published,
		         (long long)a->seals, (long long)b->seals);
}

static int faults;
static int fault_now(db *d, int64_t id, wf_action a)
{
	(void)d;
	(void)id;
	(void)a;
	faults++;
	return 1;
}

/* The whole workflow through the service: each step's level is stored
 * with it and equals what `chiso levels verify` computes. */
static void test_act_walks_the_workflow(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	static const wf_action path[] = { WF_START, WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT, WF_RETURN,
		WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT, WF_START_EVALUATION, WF_FINISH_EVALUATION, WF_RECOGNISE,
		WF_PUBLISH, WF_UNPUBLISH, WF_WITHDRAW_RECOGNITION, WF_RECOGNISE, WF_PUBLISH_OWN, WF_UNPUBLISH_OWN,
		WF_PUBLISH_OWN };
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) act_ok(fx, &w, path[i]);
	assessment as;
	assert_int_equal(stored_state(fx, &w, &as), WF_PUBLISHED);
	assert_int_equal(as.self_level, 2);
	assert_int_equal(as.external_level, 2);
	assert_int_equal(as.recognised_level, 2);
	assert_true(as.recognition_decision_id > 0);
	/* the stored levels are the ones the verifying path computes */
	buf err;
	buf_init(&err);
	int level = 0;
	OK(assess_score(fx->d, &w.cat, &as, "thcs", "min", ANSWER_SELF, &level, NULL, &err));
	assert_int_equal(level, as.self_level);
	OK(assess_score(fx->d, &w.cat, &as, "thcs", "min", ANSWER_EXTERNAL, &level, NULL, &err));
	assert_int_equal(level, as.external_level);
	buf_free(&err);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM submissions WHERE assessment_id = ?", w.as), 2);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ?", w.as), 1);
	/* the school published it: marked so, and the public pages see it */
	bool own = false;
	OK(school_published_by_school(fx->d, w.as, &own));
	assert_true(own);
	public_result *pr;
	size_t npr;
	OK(public_results(fx->d, w.school, 0, w.a, &pr, &npr));
	assert_int_equal(npr, 1);
	assert_true(pr[0].by_school);
	assert_int_equal(pr[0].level, 2);
	assert_string_equal(pr[0].decision_number, "125/QĐ-PGDĐT");
	free_world(&w);
}

/* The self-assessment result made public before recognition (issue 11,
 * item 5): the state stays, the public sees it as self-assessed with the
 * self level; a stale state writes nothing; returning the file withdraws
 * it; the office's publication replaces it. */
static void self_publish(store_fx *fx, world *w, bool publish, assess_refusal want)
{
	assessment as;
	assess_target t = { .id = w->as, .result_json = "{\"level\":2}" };
	t.facts.state = stored_state(fx, w, &as);
	t.facts.actor = WF_BY_PRINCIPAL;
	OK(school_self_published(fx->d, w->as, &t.facts.self_published));
	wf_result res;
	assert_int_equal(assess_self_publication(fx->d, w->principal, &t, publish, &res), want);
}

static void test_self_publication(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	static const wf_action to_submitted[] = { WF_START, WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT };
	for (size_t i = 0; i < sizeof to_submitted / sizeof *to_submitted; i++) act_ok(fx, &w, to_submitted[i]);
	self_publish(fx, &w, false, ASSESS_UNMET);          /* nothing to withdraw yet */
	self_publish(fx, &w, true, ASSESS_OK);
	assessment as;
	assert_int_equal(stored_state(fx, &w, &as), WF_SUBMITTED);
	public_result *pr;
	size_t npr;
	OK(public_results(fx->d, w.school, 0, w.a, &pr, &npr));
	assert_int_equal(npr, 1);
	assert_true(pr[0].self_assessed);
	assert_true(pr[0].by_school);
	assert_int_equal(pr[0].level, as.self_level);
	/* a stale state: refused by the store, nothing written */
	assess_target stale = { .id = w.as, .result_json = "{\"level\":3}" };
	stale.facts.state = WF_APPROVED;
	stale.facts.actor = WF_BY_PRINCIPAL;
	wf_result res;
	assert_int_equal(assess_self_publication(fx->d, w.principal, &stale, true, &res), ASSESS_CONFLICT);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ? AND result_json LIKE '%3%'", w.as), 0);
	/* returned: the self-assessment reopens, what was public of it is withdrawn */
	act_ok(fx, &w, WF_RETURN);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ?", w.as), 0);
	self_publish(fx, &w, true, ASSESS_CONFLICT);         /* returned: not approved any more (a state refusal) */
	static const wf_action to_recognised[] = { WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT, WF_START_EVALUATION,
		WF_FINISH_EVALUATION };
	for (size_t i = 0; i < sizeof to_recognised / sizeof *to_recognised; i++) act_ok(fx, &w, to_recognised[i]);
	self_publish(fx, &w, true, ASSESS_OK);
	act_ok(fx, &w, WF_RECOGNISE);
	OK(public_results(fx->d, w.school, 0, w.a, &pr, &npr));
	assert_int_equal(npr, 1);
	assert_true(pr[0].self_assessed);                    /* until the office publishes */
	act_ok(fx, &w, WF_PUBLISH);
	OK(public_results(fx->d, w.school, 0, w.a, &pr, &npr));
	assert_int_equal(npr, 1);
	assert_false(pr[0].self_assessed);
	assert_false(pr[0].by_school);
	assert_int_equal(pr[0].level, 2);
	free_world(&w);
}

/* Refusals come back as one enum, and write nothing. */
static void test_act_refusals(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	snapshot before, after;
	snap(fx, &w, &before);
	wf_result res;
	/* not from this state */
	assert_int_equal(act(fx, &w, WF_APPROVE, &res), ASSESS_CONFLICT);
	assert_int_equal(assess_refusal_status(ASSESS_CONFLICT), 409);
	assert_true(res.message[0]);
	/* not in this account's capacity: authz.c says so (no grant on this unit) */
	authz_ctx az = { .account = { .id = w.officer, .active = true },
	                 .object = { .kind = AUTHZ_KIND_ASSESSMENT, .unit_id = w.school, .state = WF_NOT_STARTED } };
	assess_target t = { .id = w.as, .az = &az };
	t.facts.state = WF_NOT_STARTED;
	t.facts.today = SELF_DAY;
	assess_request rq = { .action = WF_START, .account_id = w.officer };
	assert_int_equal(assess_act(fx->d, &rq, &t, 1, &res), ASSESS_FORBIDDEN);
	assert_int_equal(res.refusal, WF_REFUSED_ROLE);
	assert_int_equal(assess_refusal_status(ASSESS_FORBIDDEN), 403);
	/* an unknown action */
	rq.action = WF_ACTION_INVALID;
	assert_int_equal(assess_act(fx->d, &rq, &t, 1, &res), ASSESS_BAD_REQUEST);
	assert_int_equal(assess_refusal_status(ASSESS_BAD_REQUEST), 400);
	/* someone moved it first: the compare-and-set refuses */
	act_ok(fx, &w, WF_START);
	snap(fx, &w, &before);
	assess_target stale = { .id = w.as, .score = w.self };
	stale.facts.state = WF_NOT_STARTED;
	stale.facts.actor = WF_BY_PRINCIPAL;
	stale.facts.today = SELF_DAY;
	rq = (assess_request){ .action = WF_START, .account_id = w.principal };
	assert_int_equal(assess_act(fx->d, &rq, &stale, 1, &res), ASSESS_CONFLICT);
	assert_int_equal(res.refusal, WF_OK);   /* the store refused, not the workflow */
	snap(fx, &w, &after);
	same(&before, &after, "a stale start");
	/* a precondition unmet: 422 */
	assert_int_equal(assess_refusal_status(ASSESS_UNMET), 422);
	assert_int_equal(assess_refusal_status(ASSESS_NOT_FOUND), 404);
	free_world(&w);
}

/* The atomicity test: for every action that stores a level, from every
 * state it is taken from (both read off workflow.c's table), a fault after
 * the transition and before the level write leaves nothing behind (and so
 * does one in every other action on the path: the hook runs for all); the
 * same action then succeeds. */
static void test_fault_leaves_neither(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	/* every action of the table from every state it leaves, the level
	 * storing ones among them: consolidate from draft and from returned,
	 * return from submitted and from under evaluation */
	static const wf_action path[] = { WF_START, WF_CONSOLIDATE, WF_REOPEN, WF_CONSOLIDATE, WF_APPROVE,
		WF_WITHDRAW_APPROVAL, WF_APPROVE, WF_SUBMIT, WF_RETURN, WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT,
		WF_START_EVALUATION, WF_RETURN, WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT, WF_START_EVALUATION,
		WF_FINISH_EVALUATION, WF_REOPEN_EVALUATION, WF_FINISH_EVALUATION, WF_RECOGNISE, WF_WITHDRAW_RECOGNITION,
		WF_RECOGNISE, WF_PUBLISH_OWN, WF_UNPUBLISH_OWN, WF_PUBLISH, WF_UNPUBLISH, WF_PUBLISH };
	unsigned faulted[WF_ACTION_COUNT] = { 0 };   /* the from-states each action was faulted in */
	int tested = 0, with_level = 0;
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
		assessment as;
		wf_state st = stored_state(fx, &w, &as);
		assessment_level which;
		int level;
		const score_result *sc = st >= WF_SUBMITTED && st != WF_RETURNED ? w.external : w.self;
		if (assess_level_fixed(path[i], wf_action_to(path[i]), sc, &which, &level)) {
			/* a level that differs from the one the step stores, so that
			 * a level written despite the fault would show */
			OK(assessment_set_level(fx->d, 0, w.as, assessment_level_code(which), level == 1 ? 3 : 1));
			with_level++;
		}
		snapshot before, after;
		snap(fx, &w, &before);
		faults = 0;
		assess_fault_hook = fault_now;
		wf_result res;
		assess_refusal r = act(fx, &w, path[i], &res);
		assess_fault_hook = NULL;
		assert_int_equal(faults, 1);
		assert_int_equal(r, ASSESS_FAILED);
		assert_int_equal(assess_refusal_status(r), 500);
		assert_int_equal(db_tx_depth(fx->d), 0);
		snap(fx, &w, &after);
		same(&before, &after, wf_action_code(path[i]));
		faulted[path[i]] |= 1u << st;
		tested++;
		act_ok(fx, &w, path[i]);
	}
	assert_int_equal(tested, (int)(sizeof path / sizeof path[0]));
	/* consolidate ×4, approve ×4, withdraw approval, submit ×3, finish ×2,
	 * recognise ×2, withdraw recognition */
	assert_int_equal(with_level, 17);
	/* the table's level-storing actions, each from every state it leaves,
	 * were all faulted: an action added to workflow.c that stores a level
	 * fails here until the path takes it */
	score_result *scores[] = { w.self, w.external };
	for (int a = 0; a < WF_ACTION_COUNT; a++) {
		assessment_level which;
		int level;
		bool stores = false;
		for (size_t k = 0; k < 2; k++)
			stores |= assess_level_fixed((wf_action)a, wf_action_to((wf_action)a), scores[k], &which, &level);
		if (stores && (faulted[a] & wf_action_from((wf_action)a)) != wf_action_from((wf_action)a))
			fail_msg("%s stores a level but the atomicity path does not fault it from every state (%#x of %#x)",
			         wf_action_code((wf_action)a), faulted[a], wf_action_from((wf_action)a));
	}
	/* and the path takes every action of the table */
	for (int a = 0; a < WF_ACTION_COUNT; a++)
		if (!faulted[a]) fail_msg("%s is not on the atomicity path", wf_action_code((wf_action)a));
	assessment as;
	assert_int_equal(stored_state(fx, &w, &as), WF_PUBLISHED);
	assert_int_equal(as.self_level, 2);
	assert_int_equal(as.external_level, 2);
	assert_int_equal(as.recognised_level, 2);
	/* each submission that went through was sealed once, none that faulted */
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM submission_seals WHERE assessment_id = ?", w.as), 3);
	free_world(&w);
}

/* The seal is written in the submission's transaction (issue 17): a seal
 * that fails leaves no submission, no transition and no seal; the one
 * made when it succeeds is the server key's and checks intact. */
static void test_seal_with_submission(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	static const wf_action path[] = { WF_START, WF_CONSOLIDATE, WF_APPROVE };
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) act_ok(fx, &w, path[i]);
	snapshot before, after;
	snap(fx, &w, &before);
	seal_faults = 1;
	wf_result res;
	assert_int_equal(act(fx, &w, WF_SUBMIT, &res), ASSESS_FAILED);
	assert_int_equal(seal_faults, 0);
	assert_int_equal(db_tx_depth(fx->d), 0);
	snap(fx, &w, &after);
	same(&before, &after, "submit with a failing seal");
	assert_int_equal(after.seals, 0);
	act_ok(fx, &w, WF_SUBMIT);
	snap(fx, &w, &after);
	assert_int_equal(after.seals, 1);
	assert_int_equal(after.submissions, before.submissions + 1);
	seal_info si;
	buf diff;
	buf_init(&diff);
	OK(sign_seal_check(fx->d, seal_secret, w.as, w.a, &si, &diff));
	assert_int_equal(si.state, SEAL_INTACT);
	assert_int_equal(si.office, 0);
	assert_non_null(si.sealed_at);
	/* another server secret: the seal does not check */
	static const unsigned char other[SECRET_BYTES] = { 8 };
	OK(sign_seal_check(fx->d, other, w.as, w.a, &si, &diff));
	assert_int_equal(si.state, SEAL_FORGED);
	buf_free(&diff);
	free_world(&w);
}

/* An action inside a caller's transaction (the demo's, one per school):
 * the fault dooms the whole of it. */
static void test_fault_inside_outer_transaction(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	act_ok(fx, &w, WF_START);
	snapshot before, after;
	snap(fx, &w, &before);
	OK(db_begin_write(fx->d));
	assess_fault_hook = fault_now;
	wf_result res;
	assert_int_equal(act(fx, &w, WF_CONSOLIDATE, &res), ASSESS_FAILED);
	assess_fault_hook = NULL;
	assert_int_not_equal(db_commit(fx->d), DB_OK);
	assert_int_equal(db_tx_depth(fx->d), 0);
	snap(fx, &w, &after);
	same(&before, &after, "consolidate inside a transaction");
	free_world(&w);
}

/* The one sheet builder: a stored value that does not parse counts as
 * unanswered and is reported, without hiding the others; the verifying
 * path refuses to vouch for such a sheet. */
static void test_sheet_bad_stored_value(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	OK(assessment_answer_put(fx->d, w.principal, w.as, "1.4", ANSWER_SELF, "\"ba mươi lăm\"", NULL, NULL, NULL));
	unit_type t;
	assert_true(unit_type_parse("thcs", &t));
	assess_sheet sh;
	assess_sheet_init(&sh, w.fw, t, w.a);
	buf err;
	buf_init(&err);
	assessment_answer **stored = NULL;
	OK(assess_sheet_load(fx->d, &sh, w.as, ANSWER_SELF, &stored, &err));
	assert_int_equal(sh.bad, 1);
	assert_non_null(strstr(buf_str(&err), "1.4"));
	const fw_node *leaf = framework_find(w.fw, "1.4");
	assert_non_null(stored[leaf->leaf_index]);                 /* the row is there… */
	assert_false(sh.sheet.answers[leaf->leaf_index].present);   /* …and counts as unanswered */
	assert_true(sh.sheet.answers[framework_find(w.fw, "1.1")->leaf_index].present);
	score_result *r = assess_sheet_score(&sh, assess_policy("per_group_only"), NULL);
	assert_non_null(r);
	assert_int_equal(r->policy, POLICY_PER_GROUP_ONLY);
	score_free(r);
	assert_int_equal(assess_policy(NULL), POLICY_MIN);
	assert_int_equal(assess_policy("bogus"), POLICY_MIN);
	assessment as;
	stored_state(fx, &w, &as);
	int level = -1;
	buf_reset(&err);
	assert_int_equal(assess_score(fx->d, &w.cat, &as, "thcs", "min", ANSWER_SELF, &level, NULL, &err), DB_EINVAL);
	assert_int_equal(level, 0);
	buf_free(&err);
	free_world(&w);
}

/* Publishing without a public snapshot (nothing the team's answers
 * score): the service refuses with ASSESS_UNMET, which the one mapping
 * answers 422 (the API said 500 before), and stores nothing — neither the
 * transition nor a published row nor an audit row. The office's
 * publication and the school's own alike; with the snapshot it passes. */
static void test_publish_without_snapshot(void **state)
{
	store_fx *fx = *state;
	world w;
	make_world(fx, &w);
	static const wf_action to_recognised[] = { WF_START, WF_CONSOLIDATE, WF_APPROVE, WF_SUBMIT, WF_START_EVALUATION,
		WF_FINISH_EVALUATION, WF_RECOGNISE };
	for (size_t i = 0; i < sizeof to_recognised / sizeof *to_recognised; i++) act_ok(fx, &w, to_recognised[i]);
	static const wf_action publish[] = { WF_PUBLISH, WF_PUBLISH_OWN };
	for (size_t i = 0; i < 2; i++) {
		snapshot before, after;
		snap(fx, &w, &before);
		wf_result res;
		no_snapshot = true;
		assess_refusal r = act(fx, &w, publish[i], &res);
		no_snapshot = false;
		assert_int_equal(r, ASSESS_UNMET);
		assert_int_equal(assess_refusal_status(r), 422);
		assert_false(res.ok);
		assert_non_null(strstr(res.message, "Chưa thể công bố kết quả"));
		snap(fx, &w, &after);
		same(&before, &after, wf_action_code(publish[i]));
		assert_int_equal(count(fx, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ?", w.as), 0);
		assessment as;
		assert_int_equal(stored_state(fx, &w, &as), WF_RECOGNISED);
	}
	act_ok(fx, &w, WF_PUBLISH);
	assessment as;
	assert_int_equal(stored_state(fx, &w, &as), WF_PUBLISHED);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ?", w.as), 1);
	free_world(&w);
}

#define TESTS(X) \
	X(act_walks_the_workflow) \
	X(publish_without_snapshot) \
	X(self_publication) \
	X(sheet_bad_stored_value) \
	X(act_refusals) \
	X(fault_leaves_neither) \
	X(fault_inside_outer_transaction) \
	X(seal_with_submission)

int main(void)
{
	store_run("assess", TESTS);
}
