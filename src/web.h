/* web.h — the web application on top of http.h: the route table, the
 * signed-in account of a request, CSRF tokens, the page layout and error
 * pages. Page families live in page_*.c and only see this header, html.h
 * and the store. */
#ifndef CHISO_WEB_H
#define CHISO_WEB_H
#include <stdbool.h>
#include <stdint.h>
#include "authz.h"
#include "db.h"
#include "framework.h"
#include "html.h"
#include "http.h"
#include "q_account.h"
#include "secret.h"

typedef struct web_app {
	const char *db_target;          /* SQLite path or postgresql:// URL */
	const char *blob_dir;           /* evidence files */
	const char *base_url;           /* "https://chiso.example.gov.vn", no trailing '/': links made for outside (never from Host) */
	unsigned char secret[SECRET_BYTES];   /* the server secret: keys the kept-file token (keeptoken.h) */
	fw_catalog frameworks;          /* append-only while serving: published versions are added (framework.h) */
	bool round_trips_header;        /* CHISO_ROUND_TRIPS=1: each API reply says in X-Chiso-Round-Trips what
	                                   it cost the store (db_round_trips), and a kept page (page_cache)
	                                   says X-Chiso-Kept: 1, for tests and benchmarks */
	struct page_cache *page_cache;  /* rendered pages kept (page_cache.h); NULL: none kept */
} web_app;

typedef struct web {
	http_req *r;
	arena *a;                       /* the request's arena */
	web_app *app;
	db *d;                          /* this thread's connection */
	buf *out;                       /* the response body */
	/* the signed-in account (account_id 0 = nobody) */
	int64_t account_id;
	const char *account_name, *account_login;
	authz_grant *grants; size_t ngrants;
	const char *csrf;               /* this session's form token */
	int64_t ids[4]; size_t nids;    /* {id} captures of the route */
	bool api;                       /* a /api/ request: errors as JSON (api.c) */
	bool via_token;                 /* signed in by an API token, not a cookie */
	bool skip_to_save;              /* a long form whose save button is #nut-luu: page_begin links to it */
	/* What the route declared, prepared by the dispatcher (web_route.c)
	 * before the handler runs and freed after it. */
	struct assess_view *view;       /* WEB_LOAD_ASSESSMENT / _EVIDENCE: loaded and authorised */
	struct evidence *evidence;      /* WEB_LOAD_EVIDENCE: the evidence item ({id}) of w->view */
	struct round_view *round;       /* WEB_LOAD_ROUND: loaded and authorised */
	struct unit *unit;              /* WEB_LOAD_PROVINCE: the Sở, authorised */
	struct web_value *in;           /* the declared inputs, parsed (web_in_*) */
	size_t nin;
} web;

typedef void (*web_handler)(web *w);

enum {                              /* route flags */
	WEB_SIGNED_IN = 1,
	WEB_READ_SNAPSHOT = 2,          /* load and handler in one read snapshot (db_begin_read) */
	WEB_PER_ITEM = 4,               /* the action is granted per framework item (a council member's
	                                   assigned items): refused only for "not assigned", the route
	                                   passes and the handler checks the items it touches */
};

/* What a route loads from its first {id} capture before the handler runs.
 * The dispatcher answers 404 (no such object), 403 (authz refuses the
 * route's action) or 500 itself; the handler sees the object on `web`. */
typedef enum web_load {
	WEB_LOAD_UNDECLARED = 0,        /* an entry that declares nothing: the permission
	                                   matrix (test_routes) fails on it */
	WEB_LOAD_NONE,                  /* loads nothing: access is the flags' (signed in or public) */
	WEB_LOAD_OWN,                   /* no object in the path: the handler shows what the account's own
	                                   grants reach (its offices, its assignments) and refuses (403)
	                                   an account whose grants reach none */
	WEB_LOAD_ADMIN,                 /* the administration area (/quan-tri/): authz_is_administrator, else
	                                   403; each unit, account, import or framework draft in it is
	                                   checked by its handler (AUTHZ_MANAGE_UNITS / _ACCOUNTS / …) */
	WEB_LOAD_PROVINCE,              /* the Sở of ?co_quan=, else of the account's own office grants
	                                   (office_province_so) → w->unit; AUTHZ_VIEW on it, else 403 */
	WEB_LOAD_SERVER,                /* the server's own settings (/quan-tri/thu): a system administrator
	                                   (authz_may_configure_server), else 403 */
	WEB_LOAD_ASSESSMENT,            /* assess_view_load(ids[0], side, action) → w->view */
	WEB_LOAD_ASSESSMENT_PRIVATE,    /* the same, but as the school's own data: a published
	                                   result does not open it (assess_view_load_private; AUTHZ_VIEW) */
	WEB_LOAD_ASSESSMENT_EVIDENCE,   /* an assessment's evidence: the assessment (AUTHZ_VIEW) → w->view,
	                                   then `action` on its evidence (never public) */
	WEB_LOAD_EVIDENCE,              /* the evidence item ids[0] → w->evidence, then as above for its assessment */
	WEB_LOAD_ROUND,                 /* round_view_load(ids[0], action) → w->round */
	WEB_LOAD_ROUND_MANAGED,         /* round ids[0] → w->round, not asked of its office: the account's
	                                   own offices (office roles elsewhere) must manage a school of it
	                                   that authz lets the account view, else 403 (the commune's page) */
	WEB_LOAD_ROUND_REPORT,          /* round ids[0], its office's relations read on the report date
	                                   → w->round; the account must have a report capacity on it
	                                   (authz_report_capacities: the office or its superior), else 403 */
	WEB_LOAD_COUNT
} web_load;

typedef enum web_input_type {
	WEB_IN_TEXT = 0,                /* NFC, trimmed (web_text); length in bytes within [min, max] */
	WEB_IN_ID,                      /* a positive decimal id */
	WEB_IN_INT,                     /* a decimal integer within [min, max] */
	WEB_IN_ENUM,                    /* one of `values` (NULL-terminated) */
	WEB_IN_DATE,                    /* YYYY-MM-DD, a real date */
	WEB_IN_BOOL,                    /* a checkbox: present (any value) or absent */
	WEB_IN_SECRET,                  /* a password: taken byte for byte (neither NFC nor trimmed),
	                                   UTF-8, length in bytes within [min, max] as TEXT */
} web_input_type;

/* One declared form or query field. An absent optional field and an empty
 * one are the same: "not given". A bad value is answered 400 with a
 * Vietnamese message naming `label`. */
typedef struct web_input {
	const char *name;
	web_input_type type;
	bool required;
	int64_t min, max;               /* INT: range (both 0 = any); TEXT: byte length (max 0 = HTTP_MAX_FIELD) */
	const char *const *values;      /* ENUM */
	const char *label;              /* "lý do", shown in the message */
	bool prefix;                    /* `name` is a prefix ("gc:"): every field whose name starts with it
	                                   (one per framework item) is checked as declared, each of its values
	                                   if it repeats, and read by its whole name (web_in_text(w, "gc:1.1"):
	                                   the last value; web_in_list: all of them); `required` is not used */
	bool many;                      /* a repeated field (checkboxes): every value is checked, the
	                                   given ones read with web_in_list; `required`: at least one */
} web_input;

/* A parsed input (web_in_*). */
typedef struct web_value {
	const web_input *decl;
	const char *name;               /* the field's whole name (a prefix input's own) */
	bool given;
	const char *text;               /* TEXT, ENUM, DATE: the normalised text */
	int64_t num;                    /* ID, INT; BOOL 1/0 */
	const char **list;              /* many: the given values' texts, in order */
	int64_t *nums;                  /* many ID / INT: their numbers */
	size_t nlist;
} web_value;

/* An entry written positionally ({ method, pattern, handler, flags }, as
 * every table was before declarations) leaves the declaration zero, "none
 * declared": it compiles, and the permission matrix (test_routes) fails on
 * it until it is declared. Every table here is declared; the pragma lets
 * routes added meanwhile on other branches merge and compile. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

typedef struct web_route {
	const char *method, *pattern;   /* "/danh-gia/{id}/tra-loi" */
	web_handler handler;
	unsigned flags;
	/* The declaration (designated initializers; zero = none declared). */
	web_load load;
	authz_action action;            /* checked on the loaded object (WEB_LOAD_ASSESSMENT…) */
	unsigned any_of;                /* an assessment: besides `action`, at least one of these
	                                   (WEB_ACTION(AUTHZ_REVIEW) | …), else 403 with `refusal` */
	const char *refusal;            /* that refusal's message; NULL: authz's */
	int side;                       /* answer_side of an assessment load (ANSWER_SELF = 0) */
	const web_input *inputs;        /* { .name = NULL }-terminated, or NULL */
	/* A page kept in the app's page_cache: tried first, in the route's
	 * snapshot, before the load; true when it answered (a hit). Only a
	 * page rendered for the same account through the whole declared load
	 * and check is ever kept, so a hit was authorised under the same mark. */
	bool (*cached)(web *w);
	/* An assessment load that neither parses nor scores the stored answers
	 * (v->stored only): for a handler that needs no score or scores after
	 * its own writes (assess_view_rescore completes the view). */
	bool unscored;
} web_route;

#define WEB_ACTION(a) (1u << (a))

/* The declared inputs, parsed: present and valid, or the default. */
bool web_in_given(web *w, const char *name);
const char *web_in_text(web *w, const char *name);    /* NULL when not given */
int64_t web_in_int(web *w, const char *name, int64_t dflt);
bool web_in_bool(web *w, const char *name);
/* A `many` input: its given values (texts; *nums, when not NULL, their
 * numbers for ID / INT), *n of them; none: *n = 0. */
const char **web_in_list(web *w, const char *name, size_t *n, const int64_t **nums);

/* The dispatcher's steps around a declared route's handler (web_route.c):
 * parse the inputs, load and authorise. Returns 0 when the handler may run
 * (then web_route_release frees what was loaded), or the status of the
 * error page it has rendered (400, 403, 404, 500). The permission matrix
 * (test/unit/test_routes.c) drives these directly. */
int web_route_prepare(web *w, const web_route *route);
/* prepare, the handler, release (web.c's dispatch and api.c's). */
void web_route_run(web *w, const web_route *route);
void web_route_release(web *w);
/* The label of a load kind ("assessment"), for the tests and test-routes. */
const char *web_load_name(web_load l);

/* The route tables, one per page family (page_*.c), NULL-terminated. */
extern const web_route page_auth_routes[];
extern const web_route page_home_routes[];
extern const web_route page_assess_routes[];
extern const web_route page_dash_routes[];     /* round summary: levels, targets, weakest, best */
extern const web_route page_council_routes[];      /* council, assignments, tasks */
extern const web_route page_submission_routes[];   /* approval, request letter, return for supplement */
extern const web_route page_office_routes[];   /* rounds, inbox, review, recognition */
extern const web_route page_eval_routes[];     /* external evaluation */
extern const web_route page_public_routes[];   /* public results, open data, badge */
extern const web_route page_evidence_routes[]; /* evidence catalogue, files, previews */
extern const web_route page_doc_routes[];      /* "Văn bản": generated documents (page_doc.c) */
extern const web_route page_inspection_routes[];   /* the self-inspection data of the report (page_inspection.c) */
extern const web_route page_admin_routes[];    /* /quan-tri: the administration area's entry (page_admin.c) */
extern const web_route page_admin_unit_routes[];      /* /quan-tri/don-vi: units and their relations (page_admin_units.c) */
extern const web_route page_admin_import_routes[];    /* /quan-tri/don-vi/nhap: the unit import (page_admin_import.c) */
extern const web_route page_admin_account_routes[];   /* /quan-tri/tai-khoan: accounts and roles (page_admin_accounts.c) */
extern const web_route page_admin_framework_routes[]; /* /quan-tri/bo-chi-so: framework versions (page_admin_frameworks.c) */
extern const web_route page_commune_routes[];  /* a managing unit's schools in another office's round (page_commune.c) */
extern const web_route page_province_routes[]; /* the Sở's province roll-up across offices (page_province.c) */
extern const web_route page_report_routes[];   /* an office's report to its superior, the superior's inbox (page_report.c) */
extern const web_route page_round_units_routes[];   /* the units a new round will take, and why (page_round_units.c) */
extern const web_route page_autoremind_routes[];   /* automatic reminders, the SMTP server (page_autoremind.c) */
extern const web_route page_extreq_routes[];   /* deadline-extension requests (page_extreq.c) */
extern const web_route page_carry_routes[];    /* a round's assessments moved to a corrected framework (page_carry.c) */
extern const web_route page_job_routes[];      /* batch documents of a round, as background jobs (page_job.c) */
extern const web_route page_register_signed_routes[];   /* /dot/{id}/so-van-ban/{id}: signed originals (page_register_signed.c) */
extern const web_route page_sign_routes[];     /* /quan-tri/chu-ky-so: trust store, office signing keys (page_sign.c) */
extern const web_route page_publish_routes[];  /* a school publishing its own recognised result (page_publish.c) */
extern const web_route page_visit_routes[];    /* the external team's visit schedule of a round (page_visit.c) */
extern const web_route page_derived_routes[];  /* the basis and date of an office's derived items (page_derived.c) */

/* Calls fn for every route of every table, in dispatch order: the
 * security tests walk them all (chiso test-routes). */
void web_routes_each(void (*fn)(const web_route *route, void *ctx), void *ctx);

/* Serves the application (blocks until SIGTERM / SIGINT) with `threads`
 * workers (0: http.c's default, HTTP_THREADS_PER_CORE per core). */
int web_serve(web_app *app, const char *host, int port, int threads, bool quiet);
/* Handles one request; exposed for the HTTP tests. */
void web_handle(http_req *r);

/* Layout: the page head, the top bar, the main element; then page_end. */
void page_begin(web *w, const char *title);
void page_end(web *w);
/* A whole error page with a polite Vietnamese message and a way back. */
void web_error(web *w, int status, const char *message);
/* The hidden CSRF field every state-changing form carries. */
void web_csrf_field(web *w);
/* A one-line notice shown at the top of the next page: redirect with ?tb=. */
void web_redirect_notice(web *w, const char *location, const char *notice_code);
/* Form value normalised to NFC and trimmed; NULL when absent or not UTF-8. */
const char *web_text(web *w, const char *name);
/* "ngày 21 tháng 02 năm 2025" for an ISO date or timestamp. */
const char *web_date_long(web *w, const char *iso);
const char *web_date_short(web *w, const char *iso);   /* "21/02/2025" */
/* The session cookie's token (a secret only this browser holds), NULL
 * without a cookie session (API tokens): page_admin.c keys a password
 * shown once with it. */
const char *web_session_token(web *w);
/* The authz account of the request. */
authz_account web_account(web *w);
/* Makes account_id (if active) the request's account with its roles;
 * false (and nobody signed in) otherwise. For API tokens (api.c). */
bool web_load_account(web *w, int64_t account_id);
/* The signed-in account as already read (NULL or inactive: nobody). */
bool web_set_account(web *w, const account *acc, authz_grant *g, size_t n);
#endif
