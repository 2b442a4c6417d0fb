/* api.h — the JSON API under /api/v1/ (docs/openapi.yaml): dispatch,
 * authentication, request bodies and JSON responses. Resources live in
 * api_*.c with their route tables; they call the same store functions and
 * the same authz checks as the pages (web_assess.h), and only answer in
 * JSON.
 *
 * Two ways in:
 *   - `Authorization: Bearer chiso_…` — an API token (q_api_token.h), for
 *     other systems. No cookies, so no CSRF to fear.
 *   - the browser's session cookie — then every state-changing request
 *     must carry `X-CSRF-Token` equal to the session's token (a page can
 *     read it from GET /api/v1/toi); a cross-site form cannot set headers.
 *
 * Errors are {"error": {"code": "…", "message": "Vietnamese"}} with the
 * HTTP status; codes are stable English words for programs, messages are
 * for people. */
#ifndef CHISO_API_H
#define CHISO_API_H
#include <jansson.h>
#include "web.h"

enum { API_MAX_BODY = 1 << 20 };   /* a JSON body: 1 MiB (http_config.max_raw) */

/* The route tables of the API resources, NULL-terminated (web.c lists them). */
extern const web_route api_routes[];          /* api.c: the account, its tokens */
extern const web_route api_assess_routes[];   /* api_assess.c */

/* Called by web_handle for every /api/ path once the session cookie is
 * read: authenticates, checks CSRF and the route's needs, then calls the
 * handler (route NULL: 404, or 405 when path_known). */
void api_dispatch(web *w, const web_route *route, bool path_known);

/* Writes `body` (stolen) as the response, UTF-8 JSON, with `status`. */
void api_json(web *w, int status, json_t *body);
/* An error response. code NULL: derived from the status ("forbidden" …). */
void api_error(web *w, int status, const char *code, const char *message);
/* The request's JSON body, parsed strictly (valid UTF-8, no duplicate
 * keys, at most API_MAX_BODY bytes) with every string normalised to NFC;
 * owned by the caller (json_decref). NULL after writing the error (400,
 * 415) — the handler just returns. `want` is the JSON type expected at the
 * top level (JSON_OBJECT). */
json_t *api_body(web *w, json_type want);
/* api_body's checks on the bytes alone (pure; the fuzzer's way in): the
 * parsed body, or NULL with *code ("invalid_json" …) and the Vietnamese
 * *message (static or in a) for the 400. */
json_t *api_parse_body(const char *raw, size_t len, json_type want, arena *a, const char **code, const char **message);
/* A date-time as stored ("2025-02-21T08:00:00Z") or NULL → JSON string/null. */
json_t *api_str(const char *s);
#endif
