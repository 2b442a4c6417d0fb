/* http.c — the libmicrohttpd server: thread pool with epoll, a request
 * context per connection, form and multipart parsing through MHD's post
 * processor (uploads streamed to temporary files, never held in memory),
 * other bodies (JSON) held whole up to a small limit, body limits,
 * security headers, an access log, graceful shutdown.
 *
 * The response is queued on the *last* call of the access handler, never
 * the first: queuing on the first call makes MHD close every keep-alive
 * connection (measured 52k instead of 199k req/s here).
 *
 * http_fuzz_request is the fuzzers' way in (fuzz/fuzz_http.c, and the
 * corpus replay in the tests): a daemon with the very same callbacks and
 * options as http_serve (start_daemon), but without a listening socket or
 * threads, is handed one end of a socketpair that carries the raw bytes
 * of one or more requests; MHD parses them (request line, headers,
 * cookies, urlencoded and multipart bodies through on_post and unescape)
 * as it would from the network. */
#include "http.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

typedef struct server {
	const http_config *cfg;
	http_handler handler;
	atomic_int inflight;            /* requests between first call and completion */
} server;

/* Why a request is refused before its handler runs. */
typedef enum refusal {
	REFUSE_NONE,
	REFUSE_BODY_TOO_LARGE,          /* 413: the whole body over its limit */
	REFUSE_FIELD_TOO_LONG,          /* 413: one text field, or a form's text, over its limit */
	REFUSE_BAD_REQUEST,             /* 400: NUL, control bytes in the path, framing, malformed body */
} refusal;

typedef struct ctx {
	http_req req;
	server *srv;
	struct MHD_PostProcessor *pp;
	uint64_t received;
	refusal refuse;
	bool capture_raw;               /* not a form: keep the body in raw */
	buf raw;
	/* The text field being received: MHD hands a long value over in
	 * pieces, appended here (amortised growth, so memory stays linear in
	 * the field) and stored as a field when the next part starts. */
	buf text;
	const char *text_name;          /* NULL: no field open */
	size_t text_total;              /* every text field of the form so far */
	int upload_fd;
	struct timespec start;
	size_t capfields, capuploads;
} ctx;

const char http_csp_head[] = "default-src 'self'; img-src 'self' data:; style-src 'self'";
const char http_csp_tail[] = "; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

static const char *const security_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
	                             "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Permissions-Policy", "camera=(), microphone=(), geolocation=()" },
};

static void add_field(ctx *c, const char *name, const char *value, size_t vlen)
{
	http_req *r = &c->req;
	if (r->nfields == c->capfields) {
		c->capfields = c->capfields ? c->capfields * 2 : 16;
		http_field *nf = arena_alloc(r->a, c->capfields * sizeof *nf);
		if (r->nfields) memcpy(nf, r->fields, r->nfields * sizeof *nf);
		r->fields = nf;
	}
	r->fields[r->nfields].name = arena_strdup(r->a, name);
	r->fields[r->nfields].value = arena_strndup(r->a, value, vlen);
	r->nfields++;
}

/* A decoded NUL would cut a string short where the next reader does not
 * expect it ("/static/chiso.css%00.js" served the CSS): the unescaper
 * turns it into HTTP_NUL_MARK, which no real input contains, and a path
 * or field holding that byte is refused with 400. */
enum { HTTP_NUL_MARK = 0x01 };

static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls; (void)conn;
	size_t n = MHD_http_unescape(s);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0') s[i] = HTTP_NUL_MARK;
	return n;
}

static bool has_nul(const char *s, size_t n)
{
	return memchr(s, '\0', n) || memchr(s, HTTP_NUL_MARK, n);
}

static enum MHD_Result on_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	ctx *c = cls;
	size_t n = value ? strlen(value) : 0;
	if (strchr(key, HTTP_NUL_MARK) || (value && has_nul(value, n))) c->refuse = REFUSE_BAD_REQUEST;
	add_field(c, key, value ? value : "", n);
	return MHD_YES;
}

/* Stores the text field being received, if any. */
static void text_close(ctx *c)
{
	if (!c->text_name) return;
	add_field(c, c->text_name, c->text.data ? c->text.data : "", c->text.len);
	c->text_name = NULL;
	buf_reset(&c->text);
}

static void text_piece(ctx *c, const char *key, const char *data, uint64_t off, size_t size)
{
	if (has_nul(data, size)) { c->refuse = REFUSE_BAD_REQUEST; return; }
	/* a piece at offset 0 starts a field, even one repeating the last name (checkboxes) */
	if (!(off > 0 && c->text_name && strcmp(c->text_name, key) == 0)) {
		text_close(c);
		c->text_name = arena_strdup(c->req.a, key);
	}
	if (c->text.len + size > HTTP_MAX_FIELD || c->text_total + size > HTTP_MAX_FORM_TEXT) {
		c->refuse = REFUSE_FIELD_TOO_LONG;
		return;
	}
	buf_append(&c->text, data, size);
	c->text_total += size;
}

static http_upload *current_upload(ctx *c, const char *field, const char *filename, const char *ctype)
{
	http_req *r = &c->req;
	if (r->nuploads && c->upload_fd >= 0 && strcmp(r->uploads[r->nuploads - 1].field, field) == 0 &&
	    strcmp(r->uploads[r->nuploads - 1].filename, filename) == 0)
		return &r->uploads[r->nuploads - 1];
	if (c->upload_fd >= 0) { close(c->upload_fd); c->upload_fd = -1; }
	if (r->nuploads == c->capuploads) {
		c->capuploads = c->capuploads ? c->capuploads * 2 : 4;
		http_upload *nu = arena_alloc(r->a, c->capuploads * sizeof *nu);
		if (r->nuploads) memcpy(nu, r->uploads, r->nuploads * sizeof *nu);
		r->uploads = nu;
	}
	http_upload *u = &r->uploads[r->nuploads++];
	u->field = arena_strdup(r->a, field);
	u->filename = arena_strdup(r->a, filename);
	u->content_type = ctype ? arena_strdup(r->a, ctype) : NULL;
	return u;
}

static enum MHD_Result on_post(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding,
                               const char *data, uint64_t off, size_t size)
{
	(void)kind; (void)transfer_encoding;
	ctx *c = cls;
	http_req *r = &c->req;
	if (c->refuse) return MHD_YES;
	/* A multipart part whose Content-Disposition has no name= comes with
	 * key NULL: it belongs to no field and is dropped (it crashed the
	 * server before: found by fuzz_http, fuzz/corpus/http/nameless-part.txt). */
	if (!key) return MHD_YES;
	if (!filename) {
		text_piece(c, key, data, off, size);
		return MHD_YES;
	}
	text_close(c);
	http_upload *u = current_upload(c, key, filename, content_type);
	if (!u->tmp_path) {
		const http_config *cfg = c->srv->cfg;
		char *path = arena_printf(r->a, "%s/.upload-XXXXXX", cfg->upload_dir);
		c->upload_fd = mkstemp(path);
		if (c->upload_fd < 0) return MHD_NO;
		u->tmp_path = path;
	}
	if (u->truncated) return MHD_YES;
	const http_config *cfg = c->srv->cfg;
	if (u->size + size > cfg->max_upload) {
		u->truncated = true;
		return MHD_YES;
	}
	size_t done = 0;
	while (done < size) {
		ssize_t w = write(c->upload_fd, data + done, size - done);
		if (w < 0) { if (errno == EINTR) continue; return MHD_NO; }
		done += (size_t)w;
	}
	u->size += size;
	return MHD_YES;
}

static void access_log(ctx *c, size_t bytes)
{
	http_req *r = &c->req;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	long us = (end.tv_sec - c->start.tv_sec) * 1000000L + (end.tv_nsec - c->start.tv_nsec) / 1000;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* one JSON object per line; the path is escaped of quotes and controls */
	buf line;
	buf_init(&line);
	buf_printf(&line, "{\"t\":\"%s\",\"ip\":\"%s\",\"m\":\"%s\",\"p\":\"", ts, r->remote, r->method);
	for (const char *p = r->path; *p; p++) {
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) buf_printf(&line, "\\u%04x", (unsigned char)*p);
		else buf_putc(&line, *p);
	}
	buf_printf(&line, "\",\"s\":%d,\"b\":%zu,\"us\":%ld}\n", r->status, bytes, us);
	fputs(buf_str(&line), stderr);
	buf_free(&line);
}

/* A streamed body (http_req.stream_fill): what the callbacks need once
 * the request is gone. */
typedef struct stream {
	long (*fill)(void *ctx, char *out, size_t max);
	void (*done)(void *ctx);
	void *ctx;
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	stream *s = cls;
	long n = s->fill(s->ctx, out, max);
	return n > 0 ? (ssize_t)n : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	stream *s = cls;
	if (s->done) s->done(s->ctx);
	free(s);
}

/* Chunks of a streamed body: a few rows of open data each. */
enum { STREAM_BLOCK = 32 * 1024 };

static struct MHD_Response *stream_response(http_req *r)
{
	stream *s = malloc(sizeof *s);
	if (!s) {
		if (r->stream_done) r->stream_done(r->stream_ctx);
		return NULL;
	}
	*s = (stream){ r->stream_fill, r->stream_done, r->stream_ctx };
	r->stream_fill = NULL;
	r->stream_done = NULL;
	/* on failure libmicrohttpd does not call stream_free */
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, s, stream_free);
	if (!resp) stream_free(s);
	return resp;
}

bool http_accepts_gzip(http_req *r)
{
	const char *p = http_header(r, "Accept-Encoding");
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',') p++;
		const char *tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t') p++;
		bool gzip = p - tok == 4 && strncasecmp(tok, "gzip", 4) == 0;
		double q = 1;
		while (*p == ' ' || *p == '\t') p++;
		if (*p == ';') {
			p++;
			while (*p == ' ') p++;
			if ((*p == 'q' || *p == 'Q') && p[1] == '=') q = strtod(p + 2, NULL);
		}
		if (gzip) return q > 0;   /* gzip;q=0 refuses it */
		while (*p && *p != ',') p++;
	}
	return false;
}

static bool compress_pages(void)
{
	static int on = -1;   /* read once; a benign race sets the same value */
	if (on < 0) {
		const char *e = getenv("CHISO_COMPRESS");
		on = !(e && strcmp(e, "0") == 0);
	}
	return on;
}

static bool has_header(const http_req *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0) return true;
	return false;
}

/* A page body in gzip (zlib, windowBits 15 + 16); false leaves it as it is. */
static bool gzip_body(buf *body)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, HTTP_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
	uLong cap = deflateBound(&z, (uLong)body->len);
	unsigned char *out = malloc(cap);
	if (!out) abort();
	z.next_in = (unsigned char *)body->data;
	z.avail_in = (uInt)body->len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	size_t n = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return false;
	}
	buf_reset(body);
	buf_append(body, (const char *)out, n);
	free(out);
	return true;
}

/* HTML and JSON pages above HTTP_GZIP_MIN, for a client that accepts gzip
 * (assets come gzip'd from the build: web.c). */
static void maybe_compress(http_req *r)
{
	const char *ct = r->content_type ? r->content_type : "text/html";
	bool text = strncmp(ct, "text/html", 9) == 0 || strncmp(ct, "application/json", 16) == 0;
	if (!text || r->send_path || r->body.len < HTTP_GZIP_MIN || r->status == 304 || has_header(r, "Content-Encoding") ||
	    !compress_pages())
		return;
	http_set_header(r, "Vary", "Accept-Encoding");
	if (http_accepts_gzip(r) && gzip_body(&r->body)) http_set_header(r, "Content-Encoding", "gzip");
}

void http_lend(http_req *r, const struct iovec *iov, size_t n, void (*done)(void *), void *done_ctx)
{
	if (r->lend_done) r->lend_done(r->lend_ctx);   /* one loan per reply */
	r->lent = iov;
	r->nlent = n;
	r->lend_at = r->body.len;
	r->lend_done = done;
	r->lend_ctx = done_ctx;
}

static void lend_end(http_req *r)
{
	if (r->lend_done) r->lend_done(r->lend_ctx);
	r->lent = NULL;
	r->nlent = 0;
	r->lend_done = NULL;
}

/* The loan copied into body (a reply to compress), or dropped when an
 * error page replaced the reply it was part of. */
static void lend_settle(http_req *r, bool copy)
{
	if (copy && r->lend_at <= r->body.len) {
		buf tail;
		buf_init(&tail);
		buf_append(&tail, r->body.data + r->lend_at, r->body.len - r->lend_at);
		r->body.len = r->lend_at;
		for (size_t i = 0; i < r->nlent; i++) buf_append(&r->body, r->lent[i].iov_base, r->lent[i].iov_len);
		buf_append(&r->body, tail.data ? tail.data : "", tail.len);
		buf_free(&tail);
	}
	lend_end(r);
}

typedef struct loan {
	char *body;
	void (*done)(void *ctx);
	void *ctx;
} loan;

static void loan_free(void *cls)
{
	loan *l = cls;
	free(l->body);
	if (l->done) l->done(l->ctx);
	free(l);
}

/* body[0..lend_at), the lent pieces, body[lend_at..): one writev, no copy. */
static struct MHD_Response *lent_response(http_req *r, size_t *bytes)
{
	size_t n = r->nlent + 2, len = r->body.len, at = r->lend_at;
	struct MHD_IoVec *iov = arena_alloc(r->a, n * sizeof *iov);
	loan *l = malloc(sizeof *l);
	if (!l) {
		lend_end(r);
		return NULL;
	}
	*l = (loan){ buf_take(&r->body), r->lend_done, r->lend_ctx };
	r->lend_done = NULL;
	*bytes = len;
	iov[0] = (struct MHD_IoVec){ l->body, at };
	for (size_t i = 0; i < r->nlent; i++) {
		iov[i + 1] = (struct MHD_IoVec){ r->lent[i].iov_base, r->lent[i].iov_len };
		*bytes += r->lent[i].iov_len;
	}
	iov[n - 1] = (struct MHD_IoVec){ l->body ? l->body + at : NULL, len - at };
	r->lent = NULL;
	/* on failure libmicrohttpd does not call loan_free */
	struct MHD_Response *resp = MHD_create_response_from_iovec(iov, (unsigned)n, loan_free, l);
	if (!resp) loan_free(l);
	return resp;
}

static enum MHD_Result respond(struct MHD_Connection *conn, ctx *c)
{
	http_req *r = &c->req;
	struct MHD_Response *resp = NULL;
	size_t bytes = r->body.len;
	if (r->send_path) {
		int fd = open(r->send_path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0) {
			resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
			bytes = (size_t)st.st_size;
		} else {
			if (fd >= 0) close(fd);
			r->status = 404;
			buf_reset(&r->body);
			buf_puts(&r->body, "Không tìm thấy tệp.");
			r->content_type = "text/plain; charset=utf-8";
		}
	}
	if (r->lent && (r->status != 200 || r->lend_at > r->body.len || (compress_pages() && http_accepts_gzip(r))))
		lend_settle(r, r->status == 200);
	if (!resp && r->lent) resp = lent_response(r, &bytes);
	if (!resp && r->stream_fill && r->status == 200) resp = stream_response(r);
	else if (r->stream_done) {   /* an error page replaced the stream */
		r->stream_done(r->stream_ctx);
		r->stream_done = NULL;
	}
	if (!resp) {
		maybe_compress(r);
		size_t len = r->body.len;
		char *data = buf_take(&r->body);
		resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	}
	if (!resp) return MHD_NO;
	/* A handler may replace one of these for its own response (an evidence
	 * preview is framed by our own pages): a second CSP header would only
	 * tighten the first, never loosen it. */
	for (size_t i = 0; i < ARRAY_LEN(security_headers); i++) {
		bool replaced = false;
		for (size_t k = 0; k < r->nheaders && !replaced; k++)
			replaced = strcasecmp(r->headers[k].name, security_headers[i][0]) == 0;
		if (!replaced) MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	}
	MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "text/html; charset=utf-8");
	for (size_t i = 0; i < r->nheaders; i++) MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	if (!c->srv->cfg->quiet) access_log(c, bytes);
	return ret;
}

static uint64_t max_raw(const http_config *cfg)
{
	return cfg->max_raw ? cfg->max_raw : 1u << 20;
}

static bool is_form(const char *ctype)
{
	return ctype && (strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0 ||
	                 strncasecmp(ctype, "multipart/form-data", 19) == 0);
}

/* The refusal answered instead of the handler. A client that speaks JSON
 * (the API) gets it as JSON. */
static void refuse_reply(struct MHD_Connection *conn, ctx *c)
{
	http_req *r = &c->req;
	static const struct { int status; const char *code, *message; } why[] = {
		[REFUSE_NONE] = { 400, "bad_request", "Yêu cầu không hợp lệ." },
		[REFUSE_BODY_TOO_LARGE] = { 413, "body_too_large",
			"Nội dung gửi lên quá lớn. Hãy gửi ít dữ liệu hơn trong mỗi lần (tệp minh chứng tối đa 50 MB)." },
		[REFUSE_FIELD_TOO_LONG] = { 413, "field_too_long",
			"Một ô nhập quá dài (tối đa 64 KB, khoảng 20.000 chữ; cả biểu mẫu tối đa 1 MB). "
			"Hãy rút gọn nội dung hoặc đính kèm dưới dạng tệp minh chứng." },
		[REFUSE_BAD_REQUEST] = { 400, "bad_request",
			"Yêu cầu không hợp lệ: địa chỉ hoặc nội dung chứa ký tự không được phép, hoặc phần đầu yêu cầu bị lặp hay hỏng." },
	};
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *acc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	bool json = (ct && strncasecmp(ct, "application/json", 16) == 0) || (acc && strstr(acc, "application/json")) ||
	            strncmp(r->path, "/api/", 5) == 0;
	r->status = why[c->refuse].status;
	buf_reset(&r->body);
	if (json) {
		r->content_type = "application/json; charset=utf-8";
		buf_printf(&r->body, "{\"error\": {\"code\": \"%s\", \"message\": \"%s\"}}\n", why[c->refuse].code,
		           why[c->refuse].message);
	} else {
		r->content_type = "text/plain; charset=utf-8";
		buf_printf(&r->body, "%s\n", why[c->refuse].message);
	}
}

/* Request smuggling and truncation: a request with two Content-Length
 * headers, or one beside Transfer-Encoding, or a path with a control
 * byte (a decoded NUL among them), is refused. */
static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind; (void)value;
	int *n = cls;
	if (strcasecmp(key, "Content-Length") == 0) n[0]++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0) n[1]++;
	return MHD_YES;
}

static bool request_well_formed(struct MHD_Connection *conn, const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7f) return false;
	int n[2] = { 0, 0 };
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, n);
	return n[0] <= 1 && !(n[0] && n[1]);
}

/* The client as nginx saw it: the LAST address of X-Forwarded-For
 * (proxy_add_x_forwarded_for appends $remote_addr); the ones before it
 * are whatever the client claimed, and would let it pick its address for
 * the sign-in throttle. */
static const char *forwarded_client(arena *a, const char *xff)
{
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	last += strspn(last, " ");
	return arena_strndup(a, last, strcspn(last, " "));
}

static const char *client_addr(struct MHD_Connection *conn, arena *a)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[64] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host, sizeof host);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host, sizeof host);
	}
	return arena_strdup(a, host);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	(void)version;
	server *s = cls;
	ctx *c = *con_cls;
	if (!c) {
		/* first call: headers only. Set up the context and wait for the body. */
		c = xcalloc(1, sizeof *c);
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		c->upload_fd = -1;
		http_req *r = &c->req;
		r->a = arena_new();
		c->srv = s;
		r->app = s->cfg->app;
		r->conn = conn;
		r->status = 200;
		buf_init(&r->body);
		r->method = arena_strdup(r->a, method);
		r->path = arena_strdup(r->a, url);
		r->remote = client_addr(conn, r->a);
		if (s->cfg->trust_proxy) {
			const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
			const char *xfp = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
			if (xff) r->remote = forwarded_client(r->a, xff);
			r->secure = xfp && strcmp(xfp, "https") == 0;
		}
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, on_query, c);
		r->nquery = r->nfields;
		atomic_fetch_add(&s->inflight, 1);
		*con_cls = c;
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		bool has_body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
		c->capture_raw = has_body && !is_form(ct);
		buf_init(&c->raw);
		buf_init(&c->text);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		uint64_t limit = c->capture_raw ? max_raw(s->cfg) : s->cfg->max_body;
		if (!request_well_formed(conn, url)) c->refuse = REFUSE_BAD_REQUEST;
		else if (cl && strtoull(cl, NULL, 10) > limit) c->refuse = REFUSE_BODY_TOO_LARGE;
		if (c->refuse) {
			/* refuse before reading: answering on the first call makes MHD
			 * close the connection instead of receiving the whole body */
			refuse_reply(conn, c);
			return respond(conn, c);
		}
		if (strcmp(method, "POST") == 0 && is_form(ct))
			c->pp = MHD_create_post_processor(conn, (size_t)64 * 1024, on_post, c);
		return MHD_YES;
	}
	http_req *r = &c->req;
	if (*upload_data_size) {
		c->received += *upload_data_size;
		if (!c->refuse && (c->received > s->cfg->max_body || (c->capture_raw && c->received > max_raw(s->cfg))))
			c->refuse = REFUSE_BODY_TOO_LARGE;
		/* after a refusal the rest of the body is read and dropped */
		if (!c->refuse && c->pp && MHD_post_process(c->pp, upload_data, *upload_data_size) != MHD_YES)
			c->refuse = REFUSE_BAD_REQUEST;
		if (!c->refuse && c->capture_raw) buf_append(&c->raw, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->pp) {
		/* the processor may still hold the end of the last field */
		MHD_destroy_post_processor(c->pp);
		c->pp = NULL;
	}
	text_close(c);
	if (c->upload_fd >= 0) { close(c->upload_fd); c->upload_fd = -1; }
	if (c->refuse) {
		refuse_reply(conn, c);
	} else {
		if (c->capture_raw && c->received) {
			r->raw_body = buf_str(&c->raw);
			r->raw_len = c->raw.len;
		}
		s->handler(r);
	}
	return respond(conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)conn; (void)toe;
	server *s = cls;
	ctx *c = *con_cls;
	if (!c) return;
	atomic_fetch_sub(&s->inflight, 1);
	/* A request cut off in its body still has its post processor, which
	 * hands the field it holds to on_post while being destroyed: refused
	 * first, so nothing is stored any more (before, that piece grew the
	 * freed text buffer again and leaked it: found by fuzz_http,
	 * fuzz/corpus/http/cut-off-form.txt). */
	c->refuse = REFUSE_BAD_REQUEST;
	if (c->pp) MHD_destroy_post_processor(c->pp);
	buf_free(&c->raw);
	buf_free(&c->text);
	if (c->upload_fd >= 0) close(c->upload_fd);
	for (size_t i = 0; i < c->req.nuploads; i++)
		if (c->req.uploads[i].tmp_path) unlink(c->req.uploads[i].tmp_path);
	lend_end(&c->req);   /* a loan never answered (sent loans are the response's) */
	buf_free(&c->req.body);
	arena_free(c->req.a);
	free(c);
	*con_cls = NULL;
}

/* The one place the daemon's callbacks and limits are set: http_serve
 * and http_fuzz_request differ only in how connections arrive (flags,
 * and `listen`: the address and thread pool, or nothing). */
static struct MHD_Daemon *start_daemon(server *s, unsigned flags, const struct MHD_OptionItem *listen)
{
	const http_config *cfg = s->cfg;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_ARRAY, listen,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_SECONDS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->trust_proxy ? (unsigned)HTTP_CONNECTIONS : (unsigned)HTTP_PER_ADDRESS_CONNECTIONS,
		MHD_OPTION_END);
}

int http_serve(const http_config *cfg, http_handler h)
{
	server s = { .cfg = cfg, .handler = h };
	atomic_init(&s.inflight, 0);
	signal(SIGPIPE, SIG_IGN);
	/* SIGTERM/SIGINT are taken by sigwait in this thread only */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
		fprintf(stderr, "chiso serve: địa chỉ không hợp lệ %s\n", cfg->host);
		return 1;
	}
	/* one descriptor a connection, plus the database, uploads and logs */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < HTTP_CONNECTIONS + 256u) {
		nofile.rlim_cur = nofile.rlim_max < HTTP_CONNECTIONS + 256u ? nofile.rlim_max : HTTP_CONNECTIONS + 256u;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	/* Workers wait on the database (SQLite's busy timeout, PostgreSQL's
	 * round trips and write lock) as much as they compute: by default four
	 * per core, capped so that one server's connections stay well under
	 * PostgreSQL's default max_connections (100). */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned dflt = (unsigned)(cores > 0 ? cores : 2) * HTTP_THREADS_PER_CORE;
	if (dflt > HTTP_THREADS_DEFAULT_MAX) dflt = HTTP_THREADS_DEFAULT_MAX;
	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : dflt;
	const struct MHD_OptionItem listen[] = {
		{ MHD_OPTION_SOCK_ADDR, 0, &addr },
		{ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	/* ITC: needed by MHD_quiesce_daemon for the graceful stop */
	struct MHD_Daemon *d = start_daemon(&s, MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
	                                    listen);
	if (!d) {
		fprintf(stderr, "chiso serve: không khởi động được máy chủ trên %s:%d (cổng đang bận?)\n", cfg->host, cfg->port);
		return 1;
	}
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "chiso serve: nhận tín hiệu %s, đang dừng (requests in flight finish)…\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	/* Stop accepting, let the requests already received finish (a save
	 * half-way through its body must not be cut off), then stop: the
	 * worker threads end and close their database connections, which
	 * checkpoints SQLite's WAL. Idle keep-alive connections hold no
	 * request and do not delay the stop. */
	MHD_socket lsock = MHD_quiesce_daemon(d);
	for (int waited = 0; atomic_load(&s.inflight) > 0 && waited < HTTP_DRAIN_SECONDS * 20; waited++) {
		struct timespec ts = { 0, 50L * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (atomic_load(&s.inflight) > 0)
		fprintf(stderr, "chiso serve: %d yêu cầu chưa xong sau %d giây, dừng hẳn\n", atomic_load(&s.inflight), HTTP_DRAIN_SECONDS);
	MHD_stop_daemon(d);
	if (lsock != MHD_INVALID_SOCKET) close(lsock);
	return 0;
}

const char *http_param(http_req *r, const char *name)
{
	/* form fields come after query fields: the last match wins */
	const char *v = NULL;
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0) v = r->fields[i].value;
	return v;
}

const char *http_body_param(http_req *r, const char *name)
{
	const char *v = NULL;
	for (size_t i = r->nquery; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0) v = r->fields[i].value;
	return v;
}

const char **http_params(http_req *r, const char *name, size_t *n)
{
	const char **out = arena_alloc(r->a, (r->nfields + 1) * sizeof *out);
	*n = 0;
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0) out[(*n)++] = r->fields[i].value;
	return out;
}

const char *http_header(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

void http_set_header(http_req *r, const char *name, const char *value)
{
	if (r->nheaders == r->capheaders) {
		r->capheaders = r->capheaders ? r->capheaders * 2 : 8;
		http_field *nh = arena_alloc(r->a, r->capheaders * sizeof *nh);
		if (r->nheaders) memcpy(nh, r->headers, r->nheaders * sizeof *nh);
		r->headers = nh;
	}
	r->headers[r->nheaders].name = arena_strdup(r->a, name);
	r->headers[r->nheaders].value = arena_strdup(r->a, value);
	r->nheaders++;
}

void http_set_cookie(http_req *r, const char *name, const char *value, long max_age)
{
	char *v;
	if (max_age < 0)
		v = arena_printf(r->a, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", name, r->secure ? "; Secure" : "");
	else if (max_age == 0)
		v = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value, r->secure ? "; Secure" : "");
	else
		v = arena_printf(r->a, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name, value, max_age,
		                 r->secure ? "; Secure" : "");
	http_set_header(r, "Set-Cookie", v);
}

void http_redirect(http_req *r, const char *location)
{
	r->status = 303;
	http_set_header(r, "Location", location);
	buf_reset(&r->body);
}

/* ---- the fuzzers' way in ------------------------------------------------ */

static http_handler fuzz_handler;

static enum MHD_Result fuzz_touch(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	size_t *n = cls;
	*n += strlen(key) + (value ? strlen(value) : 0);
	return MHD_YES;
}

/* Every header and cookie MHD parsed is read (ASan sees any bad one),
 * then the test's handler runs. */
static void fuzz_handle(http_req *r)
{
	size_t n = 0;
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND | MHD_COOKIE_KIND | MHD_FOOTER_KIND, fuzz_touch, &n);
	if (n == (size_t)-1) abort();
	fuzz_handler(r);
}

int http_fuzz_request(const http_config *cfg, http_handler h, const uint8_t *data, size_t size, buf *response)
{
	/* One daemon for the process: started on the first call, with the
	 * configuration and handler of that call. */
	static server s;
	static struct MHD_Daemon *d;
	if (!d) {
		signal(SIGPIPE, SIG_IGN);
		s.cfg = cfg;
		s.handler = fuzz_handle;
		fuzz_handler = h;
		atomic_init(&s.inflight, 0);
		const struct MHD_OptionItem none[] = { { MHD_OPTION_END, 0, NULL } };
		d = start_daemon(&s, MHD_USE_NO_LISTEN_SOCKET, none);
		if (!d) return -1;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -1;
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	struct sockaddr_in peer;
	memset(&peer, 0, sizeof peer);
	peer.sin_family = AF_INET;
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(d, sv[1], (const struct sockaddr *)&peer, sizeof peer) != MHD_YES) {
		close(sv[0]);
		return -1;
	}
	/* Write as the socket takes it, let MHD work, read what it answers,
	 * until it closes the connection (it does once the client's side is
	 * shut and every complete request answered). */
	size_t sent = 0;
	bool shut = false, closed = false;
	char chunk[16384];
	for (int rounds = 0; !closed && rounds < 100000; rounds++) {
		if (sent < size) {
			ssize_t w = send(sv[0], data + sent, size - sent, MSG_NOSIGNAL);
			if (w > 0) sent += (size_t)w;
			else if (w < 0 && errno != EAGAIN && errno != EINTR) sent = size;   /* MHD hung up */
		}
		if (sent == size && !shut) { shutdown(sv[0], SHUT_WR); shut = true; }
		MHD_run(d);
		for (;;) {
			ssize_t k = recv(sv[0], chunk, sizeof chunk, 0);
			if (k > 0) { if (response) buf_append(response, chunk, (size_t)k); continue; }
			if (k == 0 || (errno != EAGAIN && errno != EINTR)) closed = true;
			break;
		}
	}
	close(sv[0]);
	return closed ? 0 : -1;
}
