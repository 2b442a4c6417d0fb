/* http.h — Chiso's HTTP layer on libmicrohttpd (the only file that includes
 * microhttpd.h is http.c). A request arrives with its query and form fields
 * parsed, uploads already streamed to temporary files, and an arena that
 * lives exactly as long as the request. The handler fills in the response.
 * Every response carries the security headers (CSP, nosniff, frame denial,
 * referrer policy). */
#ifndef CHISO_HTTP_H
#define CHISO_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include <sys/uio.h>

typedef struct http_field {
	const char *name, *value;       /* NFC is the caller's business: raw UTF-8 here */
} http_field;

typedef struct http_upload {
	const char *field;
	const char *filename;           /* as the client sent it: never a path */
	const char *content_type;       /* as the client sent it: never trusted */
	char *tmp_path;                 /* the streamed file; set to NULL to keep it */
	uint64_t size;
	bool truncated;                 /* over the per-file limit */
} http_upload;

typedef struct http_req {
	arena *a;
	const char *method, *path, *remote;
	bool secure;                    /* HTTPS (behind nginx: X-Forwarded-Proto) */
	http_field *fields; size_t nfields;   /* query string, then form body */
	size_t nquery;                  /* fields[0..nquery) came from the query string */
	http_upload *uploads; size_t nuploads;
	/* A body that is not a form (application/json for the API), held
	 * whole: at most http_config.max_raw bytes; NULL when there is none. */
	const char *raw_body; size_t raw_len;
	/* response */
	int status;
	const char *content_type;
	buf body;
	http_field *headers; size_t nheaders, capheaders;
	const char *send_path;          /* serve this file instead of body */
	/* A body made while it is sent (chunked), instead of body: fill
	 * writes at most max bytes at out and returns how many, 0 at the
	 * end, -1 on an error (the connection is then closed); done frees
	 * stream_ctx and is always called once, also when nothing was sent.
	 * Neither may use the request (its arena is gone by then). */
	long (*stream_fill)(void *stream_ctx, char *out, size_t max);
	void (*stream_done)(void *stream_ctx);
	void *stream_ctx;
	/* Bytes lent by the handler instead of copied into body (http_lend):
	 * sent at offset lend_at of body. */
	const struct iovec *lent; size_t nlent, lend_at;
	void (*lend_done)(void *lend_ctx);
	void *lend_ctx;
	void *conn;                     /* the MHD connection (http.c only) */
	void *app;                      /* the application's per-server data */
} http_req;

typedef void (*http_handler)(http_req *r);

/* The worker pool (chiso serve --threads): its default size per core and
 * cap, and the most --threads accepts. */
enum { HTTP_THREADS_PER_CORE = 4, HTTP_THREADS_DEFAULT_MAX = 32, HTTP_THREADS_MAX = 256 };

typedef struct http_config {
	const char *host;               /* "127.0.0.1" */
	int port;
	int threads;                    /* 0 = HTTP_THREADS_PER_CORE × cores, at most HTTP_THREADS_DEFAULT_MAX */
	uint64_t max_body;              /* whole request body */
	uint64_t max_upload;            /* one uploaded file */
	uint64_t max_raw;               /* a non-form body held in memory; 0 = 1 MiB */
	const char *upload_dir;         /* temporary files for uploads */
	bool trust_proxy;               /* honour X-Forwarded-For / -Proto from nginx */
	bool quiet;                     /* no access log */
	void *app;
} http_config;

/* Serves until SIGTERM or SIGINT, then stops accepting connections and
 * lets requests in flight finish (up to HTTP_DRAIN_SECONDS) before the
 * worker threads end. Returns 0, or 1 when the server could not start
 * (message on stderr). */
enum { HTTP_DRAIN_SECONDS = 30 };
/* Text fields of a form (urlencoded or multipart parts without a file
 * name): one field, and all of them together. Longer text is refused with
 * 413 before it is held; no form of Chiso's needs more (long content
 * comes as an uploaded file). */
enum { HTTP_MAX_FIELD = 64 * 1024, HTTP_MAX_FORM_TEXT = 1024 * 1024 };
/* Slow clients: an idle connection (headers or body trickling in, or a
 * keep-alive with nothing to do) is closed after HTTP_IDLE_SECONDS, and
 * one address holds at most HTTP_PER_ADDRESS_CONNECTIONS of the
 * HTTP_CONNECTIONS slots, so a few addresses cannot take them all. Behind
 * nginx (trust_proxy) every connection comes from nginx, which does this
 * itself: the per-address cap is lifted. */
enum { HTTP_IDLE_SECONDS = 20, HTTP_CONNECTIONS = 2000, HTTP_PER_ADDRESS_CONNECTIONS = 64 };
int http_serve(const http_config *cfg, http_handler h);

const char *http_param(http_req *r, const char *name);        /* form, then query */
/* A field of the request body only, never the query string (the CSRF token). */
const char *http_body_param(http_req *r, const char *name);
/* Every value of a repeated field (checkboxes); *n values in r->a. */
const char **http_params(http_req *r, const char *name, size_t *n);
const char *http_header(http_req *r, const char *name);
/* The default Content-Security-Policy in two pieces, so that a page with
 * an inline style of its own (the critical CSS: web.c) can add its hash
 * to style-src between them: head + " 'sha256-…'" + tail. */
extern const char http_csp_head[], http_csp_tail[];
/* Does the client accept gzip (Accept-Encoding: gzip, not with q=0)? */
bool http_accepts_gzip(http_req *r);
/* Pages (HTML, JSON) at least this long go gzip'd to a client that accepts
 * it, compressed on the fly at HTTP_GZIP_LEVEL; CHISO_COMPRESS=0 turns that
 * off (a proxy in front compresses, or a benchmark measures without). */
enum { HTTP_GZIP_MIN = 1024, HTTP_GZIP_LEVEL = 5 };
const char *http_cookie(http_req *r, const char *name);
void http_set_header(http_req *r, const char *name, const char *value);
/* Sends iov[0..n) at the body's current end, without copying them (the
 * kept page, page_cache.c): the pieces and what they point to stay valid
 * until done(ctx), which is called once, also when they are not sent (an
 * error page replaced them) or are copied (a compressed reply). */
void http_lend(http_req *r, const struct iovec *iov, size_t n, void (*done)(void *ctx), void *ctx);
/* A session-style cookie: HttpOnly, SameSite=Lax, Path=/, Secure over
 * HTTPS; max_age < 0 deletes it, 0 makes it a browser-session cookie. */
void http_set_cookie(http_req *r, const char *name, const char *value, long max_age);
void http_redirect(http_req *r, const char *location);        /* 303 See Other */

/* For the fuzzers and their corpus replay (fuzz/fuzz_http.c): the raw
 * bytes of one or more requests go through the server's own parsing
 * (the same callbacks and options as http_serve) from a socketpair, with
 * no listening socket and no threads; `h` sees every complete request,
 * after every header and cookie has been read. The daemon is started on
 * the first call with that call's cfg and h (both must outlive the
 * process). What the server answered is appended to response (may be
 * NULL). Returns 0 once the server closed the connection, -1 when it
 * could not be set up or never closed (a hang). */
int http_fuzz_request(const http_config *cfg, http_handler h, const uint8_t *data, size_t size, buf *response);
#endif
