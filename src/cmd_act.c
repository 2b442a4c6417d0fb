/* cmd_act.c — `chiso test-act`: the differential test's third channel
 * (test/cli/differential.sh). Reads steps from stdin, one a line, fields
 * separated by tabs, and applies each as LOGIN through the assessment
 * service and the views it is loaded with (assess_view_load, assess_apply,
 * school_submit, assess_act), with no HTTP — the same rules the forms and
 * the JSON API reach through their handlers:
 *   save    LOGIN ID {"code": value, …}   self answers (the first starts the assessment)
 *   act     LOGIN ID ACTION [REASON]       a workflow action (wf_action_code)
 *   submit  LOGIN ID LETTER                the submission with its request letter
 *   return  LOGIN ID REASON                returned for supplement
 *   external LOGIN ID {"answers": {…}, "reasons": {…}}   the team's answers
 *                                          (assess_external_put, as the team head's page)
 *   recognise LOGIN ID {"decision": {"number", "date", "signer"}, "level": N}
 *                                          recognition (assess_recognise)
 * The evaluation steps and publication are `act` (assess_apply takes them
 * on the external side).
 * Stops at the first refused step (exit status 1, the refusal on stderr).
 * Hidden from the help (test-*). */
#include "cmd.h"
#include "answers.h"
#include "assess.h"
#include "buf.h"
#include "q_account.h"
#include "web.h"
#include "web_assess.h"
#include "web_school.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct step {
	const char *verb, *login, *arg, *arg2;
	int64_t id;
} step;

/* One request's worth of context: the account signed in, no HTTP. */
typedef struct act_ctx {
	web_app *app;
	db *d;
	arena *a;
	http_req req;
	web w;
} act_ctx;

static bool ctx_open(act_ctx *c, web_app *app, db *d, const char *login)
{
	memset(c, 0, sizeof *c);
	c->app = app;
	c->d = d;
	c->a = arena_new();
	c->req = (http_req){ .a = c->a, .method = "POST", .path = "/", .remote = "127.0.0.1", .app = app };
	buf_init(&c->req.body);
	c->w = (web){ .r = &c->req, .a = c->a, .app = app, .d = d, .out = &c->req.body };
	account acc;
	if (account_find_login(d, login, c->a, &acc) != DB_OK || !web_load_account(&c->w, acc.id)) {
		fprintf(stderr, "chiso test-act: không có tài khoản %s\n", login);
		return false;
	}
	return true;
}

static void ctx_close(act_ctx *c)
{
	buf_free(&c->req.body);
	arena_free(c->a);
}

static int refused(const char *what, int status, const char *msg)
{
	fprintf(stderr, "chiso test-act: %s: %d %s\n", what, status, msg ? msg : "");
	return EXIT_FAIL;
}

/* save: each item parsed and stored as the forms and the API do. */
static int do_save(act_ctx *c, assess_view *v, const char *answers_json)
{
	json_error_t je;
	json_t *answers = json_loads(answers_json, 0, &je);
	if (!json_is_object(answers)) { json_decref(answers); return refused("save", 400, je.text); }
	int rc = EXIT_OK;
	wf_result res;
	int st;
	if (v->state == WF_NOT_STARTED && (st = assess_apply(&c->w, v, WF_START, NULL, &res)) != 0) {
		json_decref(answers);
		return refused("start", st, res.message);
	}
	if (v->state == WF_NOT_STARTED) {   /* started: edited as a draft from now on, as the form and the API do */
		v->state = WF_DRAFT;
		v->az.object.state = WF_DRAFT;
	}
	const char *code;
	json_t *val;
	json_object_foreach(answers, code, val) {
		const fw_node *node = framework_find(v->fw, code);
		if (!node || !node->rule) rc = refused(code, 422, "không phải chỉ tiêu");
	}
	/* in the framework's order, as the form and the API save a batch */
	for (size_t i = 0; rc == EXIT_OK && i < v->fw->nleaves; i++) {
		const fw_node *leaf = v->fw->leaves[i];
		code = leaf->code;
		if (!(val = json_object_get(answers, code))) continue;
		char *text = answers_stored_json(leaf, val);
		buf e;
		buf_init(&e);
		answer parsed;
		if (!answers_parse_one(v->fw, v->type, leaf, text, c->a, &parsed, &e)) {
			rc = refused(code, 422, buf_str(&e));
		} else if (!assess_allowed(&c->w, v, AUTHZ_EDIT_SELF_ANSWER, leaf->code, NULL)) {
			rc = refused(code, 403, NULL);
		} else if (assessment_answer_save(c->d, c->w.account_id, v->as.id, leaf->code, ANSWER_SELF, text, NULL,
		                                  v->stored[leaf->leaf_index], NULL, NULL) != DB_OK) {
			rc = refused(code, 500, db_errmsg(c->d));
		}
		buf_free(&e);
		free(text);
		if (rc != EXIT_OK) break;
	}
	json_decref(answers);
	return rc;
}

static int do_return(act_ctx *c, assess_view *v, const char *reason)
{
	authz_ctx az;
	assess_target t;
	assess_target_of(&c->w, v, &az, &t);
	assess_request rq = { .action = WF_RETURN, .account_id = c->w.account_id, .reason = reason };
	wf_result res;
	assess_refusal r = assess_act(c->d, &rq, &t, 1, &res);
	return r == ASSESS_OK ? EXIT_OK : refused("return", assess_refusal_status(r), res.message);
}

/* external: the team's answers in the framework's order, as the page and
 * the API store them. */
static int do_external(act_ctx *c, assess_view *ext, const char *body_json)
{
	json_t *body = json_loads(body_json, 0, NULL), *answers = json_object_get(body, "answers");
	json_t *reasons = json_object_get(body, "reasons");
	if (!json_is_object(answers)) { json_decref(body); return refused("external", 400, "answers"); }
	if (!assess_may_reconcile(&c->w, ext)) {
		const char *why;
		int st = assess_reconcile_refusal(&c->w, ext, &why);
		json_decref(body);
		return refused("external", st, why);
	}
	int rc = EXIT_OK;
	for (size_t i = 0; rc == EXIT_OK && i < ext->fw->nleaves; i++) {
		const fw_node *leaf = ext->fw->leaves[i];
		json_t *val = json_object_get(answers, leaf->code);
		if (!val) continue;
		char *text = json_is_null(val) ? NULL : answers_stored_json(leaf, val);
		buf e;
		buf_init(&e);
		if (!assess_external_put(&c->w, ext, leaf, text, json_string_value(json_object_get(reasons, leaf->code)), &e))
			rc = refused(leaf->code, 422, buf_str(&e));
		buf_free(&e);
		free(text);
	}
	json_decref(body);
	return rc;
}

static const char *json_text(arena *a, json_t *s)
{
	return json_is_string(s) ? arena_strdup(a, json_string_value(s)) : NULL;
}

static int do_recognise(act_ctx *c, assess_view *ext, const char *body_json)
{
	json_t *body = json_loads(body_json, 0, NULL), *jd = json_object_get(body, "decision");
	decision dec = { .number = json_text(c->a, json_object_get(jd, "number")),
	                 .date = json_text(c->a, json_object_get(jd, "date")),
	                 .signer = json_text(c->a, json_object_get(jd, "signer")) };
	int level = (int)json_integer_value(json_object_get(body, "level"));
	json_decref(body);
	wf_result res;
	int st = assess_recognise(&c->w, ext, 1, &dec, ext->round.office_unit_id, level, &res);
	return st ? refused("recognise", st, res.message) : EXIT_OK;
}

static int run_step(web_app *app, db *d, const step *s)
{
	act_ctx c;
	if (!ctx_open(&c, app, d, s->login)) { ctx_close(&c); return EXIT_FAIL; }
	assess_view v;
	/* the team's answers and recognition load the external side, as their routes declare */
	bool external = strcmp(s->verb, "external") == 0, recognise = strcmp(s->verb, "recognise") == 0;
	if (!assess_view_load(&c.w, s->id, external || recognise ? ANSWER_EXTERNAL : ANSWER_SELF,
	                      external ? AUTHZ_EVALUATE : recognise ? AUTHZ_RECOGNISE : AUTHZ_VIEW, &v)) {
		int rc = refused(s->verb, c.req.status, buf_str(&c.req.body));
		ctx_close(&c);
		return rc;
	}
	int rc = EXIT_BADINPUT, st;
	wf_result res;
	if (strcmp(s->verb, "save") == 0) {
		rc = do_save(&c, &v, s->arg);
	} else if (strcmp(s->verb, "act") == 0) {
		wf_action a = wf_action_parse(s->arg);
		rc = (st = assess_apply(&c.w, &v, a, s->arg2, &res)) ? refused(s->arg, st, res.message) : EXIT_OK;
	} else if (strcmp(s->verb, "submit") == 0) {
		rc = (st = school_submit(&c.w, &v, s->arg, &res)) ? refused("submit", st, res.message) : EXIT_OK;
	} else if (strcmp(s->verb, "return") == 0) {
		rc = do_return(&c, &v, s->arg);
	} else if (external) {
		rc = do_external(&c, &v, s->arg);
	} else if (recognise) {
		rc = do_recognise(&c, &v, s->arg);
	} else {
		fprintf(stderr, "chiso test-act: không rõ bước %s\n", s->verb);
	}
	assess_view_free(&v);
	ctx_close(&c);
	return rc;
}

/* Splits a line at tabs into s (the fields point into line). */
static bool parse_step(char *line, step *s)
{
	char *f[5] = { 0 };
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; p && n < 5; n++) {
		f[n] = p;
		p = strchr(p, '\t');
		if (p) *p++ = '\0';
	}
	memset(s, 0, sizeof *s);
	if (n < 4 || !cmd_parse_id(f[2], &s->id)) return false;
	s->verb = f[0];
	s->login = f[1];
	s->arg = f[3];
	s->arg2 = n > 4 ? f[4] : NULL;
	return true;
}

int cmd_test_act(int argc, char **argv)
{
	const char *target = cmd_default_db();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) target = argv[++i];
		else {
			fprintf(stderr, "Cách dùng (usage): chiso test-act [--db PATH|postgresql://…] < STEPS\n");
			return EXIT_BADINPUT;
		}
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	static web_app app;
	app.db_target = target;
	int rc = cmd_server_secret(NULL, target, app.secret) ? EXIT_OK : EXIT_FAIL;
	fw_catalog_load_default(&app.frameworks, NULL);
	char line[65536];
	for (unsigned no = 1; rc == EXIT_OK && fgets(line, sizeof line, stdin); no++) {
		step s;
		if (line[0] == '#' || line[0] == '\n') continue;
		if (!parse_step(line, &s)) {
			fprintf(stderr, "chiso test-act: dòng %u không hợp lệ\n", no);
			rc = EXIT_BADINPUT;
		} else {
			rc = run_step(&app, d, &s);
		}
	}
	fw_catalog_free(&app.frameworks);
	db_close(d);
	return rc;
}
