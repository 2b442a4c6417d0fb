/* test_routes.c — the permission matrix generated from the route table
 * (issue 13, item 3), on SQLite and PostgreSQL.
 *
 * On the demo data set, for every route of web_routes_each (every table,
 * in dispatch order), every role (anonymous, principal, council member and
 * secretary, office administrator of the Sở and of a Phòng, commune
 * officer, external evaluator, system administrator) and every object of
 * the route's load kind (the principal's own school and foreign schools):
 * the dispatcher's verdict (web_route_prepare: 0 = the handler runs, or
 * the status of the refusal it rendered) must be "allowed" exactly where
 * authz_check, given a context this file builds from the store itself,
 * allows the route's declared action, and 403/404 (401 for nobody)
 * otherwise. A GET the dispatcher lets through must not be refused by its
 * handler either.
 *
 * A route that declares nothing fails, unless it is on the `pending` list
 * below (the tables not yet converted); a pending route that has since
 * been declared fails too, so the list only shrinks. A load kind the
 * matrix has no objects for fails. */
#include "assess.h"
#include "authz.h"
#include "blob.h"
#include "demo.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_council.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_unit.h"
#include "store_test.h"
#include "testutil.h"
#include "web.h"

/* Routes whose tables are not converted yet: "METHOD PATTERN" (a table
 * added without declarations lists its routes here until it is). */
static const char *const pending[] = {
	NULL,
};

/* The roles of the matrix: a demo login each (NULL: nobody signed in). */
static const char *const roles[][2] = {
	{ "anonymous", NULL },
	{ "principal", "ht.52101001" },
	{ "council member", "gv.52101001.1" },
	{ "council secretary", "tk.52101001" },
	{ "office admin (Sở)", "so.binhdinh" },
	{ "office admin (Phòng)", "phong.quynhon" },
	{ "commune officer", "ubnd.quynhon" },
	{ "external evaluator", "dgn.tranminhtuan" },
	{ "system admin", "admin" },
};

/* The schools whose current assessment is an object: the principal's own
 * (draft, with evidence) and foreign ones in other states and districts. */
static const char *const schools[] = { "52101001", "52100001", "52102001", "52111001", "52103001", "52112001" };
enum { NSCHOOLS = sizeof schools / sizeof schools[0], MAX_OBJECTS = 2 * NSCHOOLS };

typedef struct matrix {
	store_fx *fx;
	web_app app;
	char blob_dir[128];               /* app.blob_dir points here: it lives as long as the matrix */
	int64_t accounts[ARRAY_LEN(roles)];
	int64_t assessments[MAX_OBJECTS]; size_t nassessments;
	int64_t evidence[MAX_OBJECTS]; size_t nevidence;
	int64_t rounds[MAX_OBJECTS]; size_t nrounds;
	size_t checked, allowed, refused, failures;
	size_t served;                    /* cells a handler served (not refused by it) */
} matrix;

static bool is_pending(const web_route *r)
{
	char key[160];
	snprintf(key, sizeof key, "%s %s", r->method, r->pattern);
	for (size_t i = 0; i < ARRAY_LEN(pending) && pending[i]; i++)
		if (strcmp(pending[i], key) == 0) return true;
	return false;
}

/* ---- the oracle: authz_check on a context built here from the store ---------------- */

/* kind evidence and the private view: a published result opens nothing */
static bool oracle_assessment(matrix *m, arena *a, int64_t account_id, int64_t id, authz_kind kind, bool private_view,
                              authz_action action, authz_decision *why)
{
	db *d = m->fx->d;
	assessment as;
	round_row rr;
	assert_int_equal(assessment_get(d, id, a, &as), DB_OK);
	assert_int_equal(round_get(d, as.round_id, a, &rr), DB_OK);
	authz_ctx c = { 0 };
	if (account_id) {
		authz_grant *g = NULL;
		size_t n = 0;
		assert_int_equal(account_grants(d, account_id, a, &g, &n), DB_OK);
		c.account = (authz_account){ .id = account_id, .active = true, .grants = g, .n_grants = n };
	}
	const char *date = rr.self_due;
	assert_non_null(date);
	int64_t *parents = NULL, *evaluators = NULL;
	size_t np = 0, ne = 0;
	unit_chain_on(d, as.unit_id, UNIT_PARENT, date, a, &parents, &np);
	unit_chain_on(d, as.unit_id, UNIT_EVALUATOR, date, a, &evaluators, &ne);
	wf_state st = wf_state_parse(as.state);
	c.object = (authz_object){ .kind = kind, .unit_id = as.unit_id, .parents = parents, .n_parents = np,
	                           .evaluators = evaluators, .n_evaluators = ne, .round_id = rr.id, .state = st,
	                           .published = kind == AUTHZ_KIND_ASSESSMENT && !private_view && st == WF_PUBLISHED,
	                           .grant_role = AUTHZ_ROLE_INVALID };
	if (account_id) {
		bool yes = false, assigned = false, lead = false;
		council_is_secretary(d, id, account_id, &yes);
		round_evaluator_of(d, rr.id, as.unit_id, account_id, &assigned, &lead);
		c.object.council_secretary = yes;
		c.object.assigned_evaluator = assigned;
		c.object.team_head = lead;
	}
	return authz_check(&c, action, why);
}

/* A round (web_office.c's round_allowed): viewing is asked about the
 * office (its staff and superiors), the other actions about the round. */
static bool oracle_round(matrix *m, arena *a, int64_t account_id, int64_t id, authz_action action)
{
	db *d = m->fx->d;
	round_row rr;
	assert_int_equal(round_get(d, id, a, &rr), DB_OK);
	authz_ctx c = { 0 };
	if (account_id) {
		authz_grant *g = NULL;
		size_t n = 0;
		assert_int_equal(account_grants(d, account_id, a, &g, &n), DB_OK);
		c.account = (authz_account){ .id = account_id, .active = true, .grants = g, .n_grants = n };
	}
	assert_non_null(rr.self_due);
	int64_t *parents = NULL, *evaluators = NULL;
	size_t np = 0, ne = 0;
	unit_chain_on(d, rr.office_unit_id, UNIT_PARENT, rr.self_due, a, &parents, &np);
	unit_chain_on(d, rr.office_unit_id, UNIT_EVALUATOR, rr.self_due, a, &evaluators, &ne);
	c.object = (authz_object){ .kind = action == AUTHZ_VIEW ? AUTHZ_KIND_UNIT : AUTHZ_KIND_ROUND, .unit_id = rr.office_unit_id,
	                           .parents = parents, .n_parents = np, .evaluators = evaluators, .n_evaluators = ne,
	                           .round_id = action == AUTHZ_VIEW ? 0 : rr.id, .state = WF_STATE_INVALID,
	                           .grant_role = AUTHZ_ROLE_INVALID };
	return authz_check(&c, action, NULL);
}

/* A round's report to the superior: a report capacity (the office or its
 * superior), the relations read on the report date. */
static bool oracle_report(matrix *m, arena *a, int64_t account_id, int64_t id)
{
	db *d = m->fx->d;
	round_row rr;
	assert_int_equal(round_get(d, id, a, &rr), DB_OK);
	if (!account_id) return false;
	authz_grant *g = NULL;
	size_t n = 0;
	assert_int_equal(account_grants(d, account_id, a, &g, &n), DB_OK);
	authz_ctx c = { .account = { .id = account_id, .active = true, .grants = g, .n_grants = n } };
	const char *date = rr.report_due ? rr.report_due : rr.self_due;
	assert_non_null(date);
	int64_t *parents = NULL, *evaluators = NULL;
	size_t np = 0, ne = 0;
	unit_chain_on(d, rr.office_unit_id, UNIT_PARENT, date, a, &parents, &np);
	unit_chain_on(d, rr.office_unit_id, UNIT_EVALUATOR, date, a, &evaluators, &ne);
	c.object = (authz_object){ .kind = AUTHZ_KIND_ROUND, .unit_id = rr.office_unit_id, .parents = parents, .n_parents = np,
	                           .evaluators = evaluators, .n_evaluators = ne, .round_id = rr.id,
	                           .grant_role = AUTHZ_ROLE_INVALID };
	return authz_report_capacities(&c) != 0;
}

/* The commune's page of a round: an office role elsewhere than the
 * round's office, managing a school of the round the account may view. */
static bool oracle_managed(matrix *m, arena *a, int64_t account_id, int64_t id)
{
	db *d = m->fx->d;
	if (!account_id) return false;
	round_row rr;
	assert_int_equal(round_get(d, id, a, &rr), DB_OK);
	authz_grant *g = NULL;
	size_t n = 0;
	assert_int_equal(account_grants(d, account_id, a, &g, &n), DB_OK);
	assert_non_null(rr.self_due);
	for (size_t i = 0; i < n; i++) {
		if ((g[i].role != AUTHZ_OFFICE_ADMIN && g[i].role != AUTHZ_OFFICER) || g[i].unit_id == rr.office_unit_id) continue;
		assessment *as = NULL;
		size_t k = 0;
		if (assessment_list_managed(d, rr.id, g[i].unit_id, rr.self_due, a, &as, &k) != DB_OK) db_clear_error(d);
		for (size_t j = 0; j < k; j++)
			if (oracle_assessment(m, a, account_id, as[j].id, AUTHZ_KIND_ASSESSMENT, false, AUTHZ_VIEW, NULL)) return true;
	}
	return false;
}

/* A province page: the account's Sở (an office role there, one with a
 * superior today first), which it may view. */
static bool oracle_province(matrix *m, arena *a, int64_t account_id)
{
	db *d = m->fx->d;
	if (!account_id) return false;
	authz_grant *g = NULL;
	size_t n = 0;
	assert_int_equal(account_grants(d, account_id, a, &g, &n), DB_OK);
	int t = assess_today();
	const char *today = arena_printf(a, "%04d-%02d-%02d", t / 10000, t / 100 % 100, t % 100);
	int64_t so = 0;
	for (size_t i = 0; i < n; i++) {
		unit u;
		if ((g[i].role != AUTHZ_OFFICE_ADMIN && g[i].role != AUTHZ_OFFICER) || unit_get(d, g[i].unit_id, a, &u) != DB_OK ||
		    strcmp(u.type, "so") != 0)
			continue;
		int64_t up = 0;
		if (!so || unit_related_on(d, u.id, UNIT_PARENT, today, &up) == DB_OK) so = u.id;
		if (up) break;
	}
	db_clear_error(d);
	if (!so) return false;
	int64_t *parents = NULL, *evaluators = NULL;
	size_t np = 0, ne = 0;
	unit_chain_on(d, so, UNIT_PARENT, today, a, &parents, &np);
	unit_chain_on(d, so, UNIT_EVALUATOR, today, a, &evaluators, &ne);
	authz_ctx c = { .account = { .id = account_id, .active = true, .grants = g, .n_grants = n } };
	c.object = (authz_object){ .kind = AUTHZ_KIND_UNIT, .unit_id = so, .parents = parents, .n_parents = np,
	                           .evaluators = evaluators, .n_evaluators = ne, .grant_role = AUTHZ_ROLE_INVALID };
	return authz_check(&c, AUTHZ_VIEW, NULL);
}

/* The route's action on the assessment's evidence; a WEB_PER_ITEM route
 * lets "not assigned" through to its handler's per-item check. */
static bool oracle_evidence(matrix *m, arena *a, const web_route *r, int64_t account_id, int64_t assessment_id)
{
	if (!oracle_assessment(m, a, account_id, assessment_id, AUTHZ_KIND_ASSESSMENT, false, AUTHZ_VIEW, NULL)) return false;
	authz_decision why = { 0 };
	if (oracle_assessment(m, a, account_id, assessment_id, AUTHZ_KIND_EVIDENCE, false, r->action, &why)) return true;
	return (r->flags & WEB_PER_ITEM) && why.reason == AUTHZ_DENIED_NOT_ASSIGNED;
}

/* What the route's declaration says for (account, object): allowed? */
static bool oracle(matrix *m, arena *a, const web_route *r, int64_t account_id, int64_t object)
{
	if ((r->flags & WEB_SIGNED_IN) && !account_id) return false;   /* redirected to sign in */
	switch (r->load) {
	case WEB_LOAD_ASSESSMENT: {
		if (!oracle_assessment(m, a, account_id, object, AUTHZ_KIND_ASSESSMENT, false, r->action, NULL)) return false;
		bool any = !r->any_of;
		for (int k = 0; k < AUTHZ_ACTION_COUNT && !any; k++)
			any = (r->any_of & WEB_ACTION(k)) &&
			      oracle_assessment(m, a, account_id, object, AUTHZ_KIND_ASSESSMENT, false, (authz_action)k, NULL);
		return any;
	}
	case WEB_LOAD_ASSESSMENT_PRIVATE:
		return oracle_assessment(m, a, account_id, object, AUTHZ_KIND_ASSESSMENT, true, r->action, NULL);
	case WEB_LOAD_ASSESSMENT_EVIDENCE: return oracle_evidence(m, a, r, account_id, object);
	case WEB_LOAD_EVIDENCE: {
		evidence e;
		assert_int_equal(evidence_get(m->fx->d, object, a, &e), DB_OK);
		return oracle_evidence(m, a, r, account_id, e.assessment_id);
	}
	case WEB_LOAD_ROUND: return oracle_round(m, a, account_id, object, r->action);
	case WEB_LOAD_ROUND_REPORT: return oracle_report(m, a, account_id, object);
	case WEB_LOAD_PROVINCE: return oracle_province(m, a, account_id);
	case WEB_LOAD_ROUND_MANAGED: return oracle_managed(m, a, account_id, object);
	case WEB_LOAD_NONE:
	case WEB_LOAD_OWN: return true;   /* the dispatcher lets everyone signed in through */
	case WEB_LOAD_ADMIN: {
		authz_grant *g = NULL;
		size_t n = 0;
		assert_int_equal(account_grants(m->fx->d, account_id, a, &g, &n), DB_OK);
		authz_account acc = { .id = account_id, .active = true, .grants = g, .n_grants = n };
		return authz_is_administrator(&acc);
	}
	case WEB_LOAD_SERVER: {
		authz_grant *g = NULL;
		size_t n = 0;
		assert_int_equal(account_grants(m->fx->d, account_id, a, &g, &n), DB_OK);
		authz_account acc = { .id = account_id, .active = true, .grants = g, .n_grants = n };
		return authz_may_configure_server(&acc);
	}
	default: return false;
	}
}

/* ---- one request through the dispatcher's steps --------------------------------------- */

static const char *path_of(arena *a, const char *pattern, int64_t id)
{
	buf b;
	buf_init(&b);
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{id}", 4) == 0) { buf_printf(&b, "%lld", (long long)id); p += 4; }
		else buf_append(&b, p++, 1);
	}
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* The verdict for one cell: 0 = the handler ran (or would run), else the
 * status of the refusal. */
static int verdict(matrix *m, const web_route *r, int64_t account_id, int64_t object, bool *handler_refused)
{
	arena *a = arena_new();
	http_req req = { .a = a, .method = r->method, .path = path_of(a, r->pattern, object), .remote = "127.0.0.1", .app = &m->app };
	buf_init(&req.body);
	web w = { .r = &req, .a = a, .app = &m->app, .d = m->fx->d, .out = &req.body };
	w.ids[0] = object;
	w.ids[1] = object;
	w.nids = 2;
	int status;
	if (account_id && !web_load_account(&w, account_id)) fail_msg("account %lld not active", (long long)account_id);
	if ((r->flags & WEB_SIGNED_IN) && !w.account_id) {
		status = 303;   /* web_handle sends nobody to the sign-in page */
	} else {
		status = web_route_prepare(&w, r);
		/* a read whose only {id} is the object runs its handler: it must
		 * not refuse what the dispatcher let through */
		if (status == 0 && strcmp(r->method, "GET") == 0 && strstr(r->pattern, "{id}") == strrchr(r->pattern, '{')) {
			r->handler(&w);
			/* a streamed body (the open data) is never sent here: end it as
			 * http.c does for a response it does not send */
			if (req.stream_done) req.stream_done(req.stream_ctx);
			/* (a 404 of its own is about a part that does not exist yet, like
			 * the letter of an assessment never submitted) */
			*handler_refused = req.status == 403 || req.status == 401;
		}
		web_route_release(&w);
		/* no form is posted here: a route's required input answers 400,
		 * which the dispatcher checks after access — access was granted */
		if (status == 400 && r->inputs) status = 0;
	}
	buf_free(&req.body);
	arena_free(a);
	return status;
}

static void cell(matrix *m, const web_route *r, size_t role, const char *what, int64_t object)
{
	arena *a = arena_new();
	bool want = oracle(m, a, r, m->accounts[role], object);
	arena_free(a);
	bool handler_refused = false;
	int got = verdict(m, r, m->accounts[role], object, &handler_refused);
	bool refused_ok = got == 403 || got == 404 || got == 401 || got == 303 || got == 409;
	m->checked++;
	if (want) m->allowed++; else m->refused++;
	if (got == 0 && !handler_refused) m->served++;
	/* WEB_LOAD_OWN: the handler refuses an account whose own grants reach
	 * nothing; WEB_LOAD_ADMIN: the handler checks the unit or account {id} */
	if (handler_refused && want && (r->load == WEB_LOAD_OWN || r->load == WEB_LOAD_ADMIN)) return;
	if ((want && got == 0 && !handler_refused) || (!want && refused_ok)) return;
	m->failures++;
	print_error("%s %s as %s on %s %lld: authz says %s, the server answered %d%s\n", r->method, r->pattern, roles[role][0],
	            what, (long long)object, want ? "allowed" : "refused", got, handler_refused ? " (refused by the handler)" : "");
}

static void check_route(const web_route *r, void *ctx)
{
	matrix *m = ctx;
	if (r->load == WEB_LOAD_UNDECLARED) {
		if (is_pending(r)) return;
		m->failures++;
		print_error("%s %s declares nothing (.load, .action): add its declaration\n", r->method, r->pattern);
		return;
	}
	if (is_pending(r)) {
		m->failures++;
		print_error("%s %s is declared: remove it from the pending list of test_routes.c\n", r->method, r->pattern);
		return;
	}
	const int64_t *objects = NULL;
	size_t n = 0;
	const char *what = web_load_name(r->load);
	switch (r->load) {
	case WEB_LOAD_ASSESSMENT:
	case WEB_LOAD_ASSESSMENT_PRIVATE:
	case WEB_LOAD_ASSESSMENT_EVIDENCE: objects = m->assessments; n = m->nassessments; break;
	case WEB_LOAD_EVIDENCE: objects = m->evidence; n = m->nevidence; break;
	case WEB_LOAD_ROUND:
	case WEB_LOAD_ROUND_REPORT:
	case WEB_LOAD_ROUND_MANAGED: objects = m->rounds; n = m->nrounds; break;
	case WEB_LOAD_OWN:
	case WEB_LOAD_PROVINCE:
		/* an {id} of a page of the account's own grants or of the Sở's
		 * is a round (/tinh/dot/{id}: one round of its province) */
		if (strstr(r->pattern, "{id}")) { objects = m->rounds; n = m->nrounds; break; }
		/* fall through */
	case WEB_LOAD_NONE:
	case WEB_LOAD_ADMIN:
	case WEB_LOAD_SERVER: {
		static const int64_t none[] = { 1 };
		objects = none; n = 1; break;
	}
	default:
		m->failures++;
		print_error("%s %s loads %s, for which the matrix has no objects: add them\n", r->method, r->pattern, what);
		return;
	}
	size_t allowed0 = m->allowed, refused0 = m->refused, served0 = m->served;
	for (size_t role = 0; role < ARRAY_LEN(roles); role++)
		for (size_t i = 0; i < n; i++) cell(m, r, role, what, objects[i]);
	/* every object route is both granted and refused to someone, and some
	 * role is served: the matrix is not vacuous */
	if (m->served == served0) {
		m->failures++;
		print_error("%s %s: no role is served\n", r->method, r->pattern);
	}
	if (r->load != WEB_LOAD_NONE && r->load != WEB_LOAD_OWN && (m->allowed == allowed0 || m->refused == refused0)) {
		m->failures++;
		print_error("%s %s: no role is %s\n", r->method, r->pattern, m->allowed == allowed0 ? "allowed" : "refused");
	}
}

/* ---- the demo and its objects ------------------------------------------------------------ */

static void build_demo(matrix *m)
{
	store_fx *fx = m->fx;
	snprintf(m->blob_dir, sizeof m->blob_dir, "%s/blobs", fx->dir);
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_store_open(m->blob_dir, 0, &bs, msg), BLOB_OK);
	fw_catalog_load_default(&m->app.frameworks, NULL);
	m->app.db_target = fx->target;
	m->app.blob_dir = m->blob_dir;
	demo_opts o = { .db_target = fx->target, .blobs = bs, .frameworks = &m->app.frameworks };
	demo_summary s;
	buf err;
	buf_init(&err);
	int rc = demo_create(fx->d, &o, &s, &err);
	if (rc != DB_OK) fail_msg("demo: %s", buf_str(&err));
	buf_free(&err);
	blob_store_close(bs);
	arena *a = arena_new();
	for (size_t i = 0; i < ARRAY_LEN(roles); i++) {
		if (!roles[i][1]) continue;
		account acc;
		if (account_find_login(fx->d, roles[i][1], a, &acc) != DB_OK) fail_msg("no demo account %s", roles[i][1]);
		m->accounts[i] = acc.id;
	}
	round_row *rounds = NULL;
	size_t nr = 0;
	assert_int_equal(round_list_all(fx->d, 100, a, &rounds, &nr), DB_OK);
	/* every round: the Sở's current one and the Phòng's of 2024-2025 */
	for (size_t k = 0; k < nr && m->nrounds < MAX_OBJECTS; k++) m->rounds[m->nrounds++] = rounds[k].id;
	for (size_t i = 0; i < NSCHOOLS; i++) {
		unit u;
		assert_int_equal(unit_find_code(fx->d, schools[i], a, &u), DB_OK);
		for (size_t k = 0; k < nr; k++) {
			if (strcmp(rounds[k].school_year, s.current_year) != 0) continue;
			assessment as;
			if (assessment_find(fx->d, rounds[k].id, u.id, a, &as) != DB_OK) continue;
			m->assessments[m->nassessments++] = as.id;
			evidence *ev = NULL;
			size_t ne = 0;
			if (evidence_list(fx->d, as.id, NULL, a, &ev, &ne) == DB_OK && ne) m->evidence[m->nevidence++] = ev[0].id;
			break;
		}
	}
	demo_summary_free(&s);
	arena_free(a);
	assert_int_equal(m->nassessments, NSCHOOLS);
	assert_true(m->nevidence >= 2);   /* own and at least one foreign school's */
	assert_true(m->nrounds >= 2);
}

static void test_matrix(void **state)
{
	matrix *m = xcalloc(1, sizeof *m);
	m->fx = *state;
	build_demo(m);
	web_routes_each(check_route, m);
	printf("# %s: %zu cells (%zu allowed, %zu refused), %zu failures\n", m->fx->pg ? "pg" : "sqlite", m->checked, m->allowed,
	       m->refused, m->failures);
	fw_catalog_free(&m->app.frameworks);
	size_t failures = m->failures, checked = m->checked;
	free(m);
	assert_int_equal(failures, 0);
	assert_true(checked > 0);
}

#define STORE_TESTS(X) X(matrix)

int main(void)
{
	store_run("routes", STORE_TESTS);
}
