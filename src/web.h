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
#include "secret.h"

typedef struct web_app {
	const char *db_target;          /* SQLite path or postgresql:// URL */
	const char *blob_dir;           /* evidence files */
	const char *base_url;           /* "https://chiso.example.gov.vn", no trailing '/': links made for outside (never from Host) */
	unsigned char secret[SECRET_BYTES];   /* the server secret: keys the kept-file token (keeptoken.h) */
	fw_catalog frameworks;          /* append-only while serving: published versions are added (framework.h) */
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
} web;

typedef void (*web_handler)(web *w);

enum { WEB_SIGNED_IN = 1 };         /* route flags */

typedef struct web_route {
	const char *method, *pattern;   /* "/danh-gia/{id}/tra-loi" */
	web_handler handler;
	unsigned flags;
} web_route;

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
extern const web_route page_admin_routes[];    /* /quan-tri/: units, accounts and roles, framework versions */
extern const web_route page_commune_routes[];  /* a managing unit's schools in another office's round (page_commune.c) */
extern const web_route page_province_routes[]; /* the Sở's province roll-up across offices (page_province.c) */
extern const web_route page_report_routes[];   /* an office's report to its superior, the superior's inbox (page_report.c) */
extern const web_route page_round_units_routes[];   /* the units a new round will take, and why (page_round_units.c) */
extern const web_route page_job_routes[];      /* batch documents of a round, as background jobs (page_job.c) */
extern const web_route page_sign_routes[];     /* /quan-tri/chu-ky-so: trust store, office signing keys (page_sign.c) */
extern const web_route page_publish_routes[];  /* a school publishing its own recognised result (page_publish.c) */

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
#endif
