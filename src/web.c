/* web.c — dispatch, sessions, CSRF, layout and error pages.
 *
 * Every request: find the route, open (once per thread) the database,
 * load the session from its cookie, check the CSRF token of a POST, then
 * prepare what the route declares (web_route.c: its object loaded and
 * authorised through authz.c, its inputs parsed), call the page, free. */
#include "web.h"
#include "api.h"
#include "asset.h"
#include "q_account.h"
#include "q_framework.h"
#include "q_round_agg.h"
#include "q_session.h"
#include "util.h"
#include "vn.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_COOKIE "chiso_phien"
#define PRESESSION_COOKIE "chiso_csrf"

static const web_route *const route_tables[] = { page_auth_routes, page_home_routes, page_assess_routes, page_council_routes, page_submission_routes,
	page_evidence_routes, page_doc_routes, page_job_routes,
	page_office_routes, page_eval_routes, page_public_routes, api_routes, api_assess_routes, page_dash_routes,
	page_admin_routes, page_admin_unit_routes, page_admin_import_routes,
	page_admin_account_routes, page_admin_framework_routes, page_sign_routes, page_commune_routes, page_province_routes,
	page_report_routes, page_round_units_routes, page_extreq_routes, page_autoremind_routes,
	page_carry_routes, page_inspection_routes,
	page_publish_routes, page_derived_routes, page_visit_routes, page_register_signed_routes, NULL };

void web_routes_each(void (*fn)(const web_route *route, void *ctx), void *ctx)
{
	for (size_t t = 0; route_tables[t]; t++)
		for (const web_route *rt = route_tables[t]; rt->pattern; rt++) fn(rt, ctx);
}

/* ---- one database connection per server thread --------------------------------- */

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;
static void db_key_close(void *p) { db_close(p); }
static void db_key_make(void) { pthread_key_create(&db_key, db_key_close); }

static db *thread_db(web_app *app)
{
	pthread_once(&db_key_once, db_key_make);
	db *d = pthread_getspecific(db_key);
	if (d) return d;
	char *msg = NULL;
	if (db_open(app->db_target, &d, &msg) != DB_OK) {
		fprintf(stderr, "chiso serve: không mở được cơ sở dữ liệu: %s\n", msg ? msg : "?");
		free(msg);
		return NULL;
	}
	pthread_setspecific(db_key, d);
	return d;
}

const struct asset *asset_find(const char *path, bool *hashed)
{
	for (const struct asset *a = assets; a->path; a++) {
		bool h = strcmp(a->hashed_path, path) == 0;
		if (h || strcmp(a->path, path) == 0) {
			if (hashed) *hashed = h;
			return a;
		}
	}
	return NULL;
}

const char *asset_url(const char *path)
{
	const struct asset *a = asset_find(path, NULL);
	return a ? a->hashed_path : path;
}

/* ---- helpers for pages ------------------------------------------------------------ */

const char *web_text(web *w, const char *name)
{
	const char *v = http_param(w->r, name);
	if (!v || !vn_utf8_valid(v, strlen(v), NULL)) return NULL;
	char *n = vn_nfc(v);
	if (!n) return NULL;
	/* trim */
	char *s = n;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n')) len--;
	const char *out = arena_strndup(w->a, s, len);
	free(n);
	return out;
}

static bool iso_ymd(const char *iso, int *y, int *m, int *d)
{
	return iso && sscanf(iso, "%4d-%2d-%2d", y, m, d) == 3 && vn_date_valid(*y, *m, *d);
}

const char *web_date_long(web *w, const char *iso)
{
	int y, m, d;
	if (!iso_ymd(iso, &y, &m, &d)) return "";
	buf b;
	buf_init(&b);
	vn_format_date(&b, y, m, d);
	const char *s = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return s;
}

const char *web_date_short(web *w, const char *iso)
{
	int y, m, d;
	if (!iso_ymd(iso, &y, &m, &d)) return "";
	buf b;
	buf_init(&b);
	vn_format_date_short(&b, y, m, d);
	const char *s = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return s;
}

authz_account web_account(web *w)
{
	authz_account acc = { .id = w->account_id, .active = w->account_id != 0, .grants = w->grants, .n_grants = w->ngrants };
	return acc;
}

void web_csrf_field(web *w)
{
	html_f(w->out, "<input type=\"hidden\" name=\"_csrf\" value=\"%a\">", w->csrf);
}

/* Short notices carried across a redirect by code, never by text, so a
 * link cannot put words on a Chiso page. */
static const char *const notices[][2] = {
	{ "dang-nhap", "Đăng nhập thành công." },
	{ "dang-xuat", "Bạn đã đăng xuất." },
	{ "mat-khau", "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đóng." },
	{ "da-luu", "Đã lưu." },
	{ "da-chuyen", "Đã cập nhật trạng thái hồ sơ." },
	{ "da-tai-len", "Đã tải lên minh chứng." },
	{ "da-gui", "Đã gửi hồ sơ và tờ trình đến cơ quan quản lý." },
	{ "mc-da-gan", "Đã gắn minh chứng với tiêu chí." },
	{ "mc-da-bo-gan", "Đã bỏ gắn minh chứng khỏi tiêu chí." },
	{ "mc-da-them-link", "Đã thêm đường dẫn." },
	{ "mc-da-go-tep", "Đã gỡ tệp khỏi minh chứng." },
	{ "mc-da-xoa", "Đã xóa minh chứng." },
	{ "mc-da-dung-lai", "Đã dùng lại minh chứng từ đợt trước." },
	{ "bcs-cong-bo", "Đã công bố phiên bản mới của bộ chỉ số." },
	{ "gh-da-gui", "Đã gửi đơn xin gia hạn." },
	{ "gh-da-tra-loi", "Đã trả lời đơn xin gia hạn." },
	{ "bc-da-nhac", "Đã gửi thư nhắc cơ quan gửi báo cáo." },
	{ "bc-chua-co-thu", "Chưa nhắc được: cơ quan chưa có địa chỉ e-mail của thủ trưởng." },
};

void web_redirect_notice(web *w, const char *location, const char *notice_code)
{
	http_redirect(w->r, arena_printf(w->a, "%s%stb=%s", location, strchr(location, '?') ? "&" : "?", notice_code));
}

static const char *notice_text(web *w)
{
	const char *code = http_param(w->r, "tb");
	for (size_t i = 0; code && i < ARRAY_LEN(notices); i++)
		if (strcmp(code, notices[i][0]) == 0) return notices[i][1];
	return NULL;
}

/* ---- layout ------------------------------------------------------------------------ */

/* The critical CSS (assets/critical.css) and the page CSP that allows it
 * by its hash, made once. */
static const struct asset *critical_css;
static char critical_csp[512];
static pthread_once_t critical_once = PTHREAD_ONCE_INIT;

static void critical_init(void)
{
	critical_css = asset_find("/static/critical.css", NULL);
	if (!critical_css) return;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, critical_css->data, critical_css->len);
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
	snprintf(critical_csp, sizeof critical_csp, "%s 'sha256-%s'%s", http_csp_head, b64, http_csp_tail);
}

void page_begin(web *w, const char *title)
{
	/* Only the critical CSS blocks the first paint: inlined here (no second
	 * round trip), allowed by its hash; the rest (chiso.css) is fetched
	 * from the start (preload) and applied at the end of the body. */
	pthread_once(&critical_once, critical_init);
	html_f(w->out,
	       "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	       "<meta name=\"description\" content=\"Chiso: đánh giá mức độ chuyển đổi số của cơ sở giáo dục\">"
	       "<title>%h — Chiso</title><link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
	       "<link rel=\"preload\" href=\"%h\" as=\"style\">",
	       title, asset_url("/static/chiso.css"));
	if (critical_css) {
		http_set_header(w->r, "Content-Security-Policy", critical_csp);
		/* our own build-time file, not data: appended as it is */
		buf_puts(w->out, "<style>");
		buf_append(w->out, (const char *)critical_css->data, critical_css->len);
		buf_puts(w->out, "</style>");
	}
	html_f(w->out, "<script src=\"%h\" defer></script></head><body>", asset_url("/static/chiso.js"));
	/* the first Tab stops, shown when focused: past the header to the content,
	 * and on a long form (a hundred stops) straight to its save button */
	html_f(w->out, "<a class=\"skip\" href=\"#noi-dung\">Bỏ qua đến nội dung chính</a>");
	if (w->skip_to_save) html_f(w->out, "<a class=\"skip\" href=\"#nut-luu\">Bỏ qua đến nút lưu</a>");
	html_f(w->out, "<header class=\"top\"><a class=\"brand\" href=\"/\">Chiso</a>"
	               "<span class=\"tagline\">Đánh giá mức độ chuyển đổi số</span>");
	if (w->account_id) {
		html_f(w->out, "<nav><span class=\"who\">%h</span> <a href=\"/tai-khoan-cua-toi\">Tài khoản</a> "
		               "<form method=\"post\" action=\"/dang-xuat\" class=\"inline\">", w->account_name);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\" class=\"link\">Đăng xuất</button></form></nav>");
	}
	html_f(w->out, "</header><main id=\"noi-dung\" tabindex=\"-1\">");
	const char *n = notice_text(w);
	if (n) html_f(w->out, "<p class=\"notice\" role=\"status\">%h</p>", n);
}

void page_end(web *w)
{
	html_f(w->out, "</main><footer>Chiso — Bộ chỉ số theo Quyết định 4725/QĐ-BGDĐT, 3276/QĐ-BGDĐT, 3806/QĐ-BGDĐT</footer>"
	               "<link rel=\"stylesheet\" href=\"%h\"></body></html>\n", asset_url("/static/chiso.css"));
}

void web_error(web *w, int status, const char *message)
{
	if (w->api) { api_error(w, status, NULL, message); return; }
	w->r->status = status;
	w->skip_to_save = false;   /* an error page has no form */
	buf_reset(w->out);
	static const char *const titles[][2] = {
		{ "400", "Yêu cầu không hợp lệ" }, { "403", "Không có quyền truy cập" }, { "404", "Không tìm thấy trang" },
		{ "405", "Phương thức không được hỗ trợ" }, { "409", "Không thể thực hiện lúc này" },
		{ "422", "Dữ liệu chưa hợp lệ" }, { "429", "Thử lại sau" }, { "500", "Lỗi hệ thống" }, { "503", "Hệ thống tạm bận" },
	};
	const char *title = "Lỗi";
	char code[8];
	snprintf(code, sizeof code, "%d", status);
	for (size_t i = 0; i < ARRAY_LEN(titles); i++)
		if (strcmp(titles[i][0], code) == 0) title = titles[i][1];
	page_begin(w, title);
	html_f(w->out, "<section class=\"error\"><h1>%h</h1><p>%h</p><p><a href=\"/\">Về trang chủ</a></p></section>", title, message);
	page_end(w);
}

/* ---- dispatch ---------------------------------------------------------------------- */

static bool match(web *w, const char *pattern, const char *path)
{
	w->nids = 0;
	while (*pattern && *path) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			if (*path < '1' || *path > '9') return false;
			int64_t v = 0;
			int digits = 0;
			while (*path >= '0' && *path <= '9') {
				if (++digits > 15) return false;
				v = v * 10 + (*path++ - '0');
			}
			if (w->nids == ARRAY_LEN(w->ids)) return false;
			w->ids[w->nids++] = v;
			pattern += 4;
			continue;
		}
		if (*pattern++ != *path++) return false;
	}
	return *pattern == '\0' && *path == '\0';
}

bool web_load_account(web *w, int64_t account_id)
{
	account acc;
	authz_grant *g = NULL;
	size_t n = 0;
	int rc = account_get_with_grants(w->d, account_id, w->a, &acc, &g, &n);
	return web_set_account(w, rc == DB_OK ? &acc : NULL, g, n);
}

bool web_set_account(web *w, const account *acc, authz_grant *g, size_t n)
{
	w->account_id = 0;
	w->grants = NULL;
	w->ngrants = 0;
	if (!acc || !acc->active) return false;
	w->account_id = acc->id;
	w->account_name = acc->full_name;
	w->account_login = acc->login;
	w->grants = g;
	w->ngrants = n;
	return true;
}

const char *web_session_token(web *w)
{
	return w->via_token ? NULL : http_cookie(w->r, SESSION_COOKIE);
}

static void load_session(web *w)
{
	const char *token = http_cookie(w->r, SESSION_COOKIE);
	session s;
	if (!token || session_get(w->d, token, w->a, &s) != DB_OK) return;
	if (web_load_account(w, s.account_id)) w->csrf = s.csrf;
}

/* Before sign-in there is no session: the sign-in form is protected by a
 * double-submit token (a cookie and the same value in the form). */
static void presession_csrf(web *w)
{
	const char *c = http_cookie(w->r, PRESESSION_COOKIE);
	if (c && strlen(c) == 43) { w->csrf = arena_strdup(w->a, c); return; }
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	char tok[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(tok, sizeof tok, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	w->csrf = arena_strdup(w->a, tok);
	http_set_cookie(w->r, PRESESSION_COOKIE, w->csrf, 0);
}

static bool csrf_ok(web *w)
{
	/* from the body only: a token in the query string leaks into logs and Referer */
	const char *sent = http_body_param(w->r, "_csrf");
	return sent && w->csrf && strlen(sent) == strlen(w->csrf) &&
	       sodium_memcmp(sent, w->csrf, strlen(sent)) == 0;
}

/* Does an If-None-Match header ("\"a\", W/\"b\"" or "*") name this ETag? */
static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm) return false;
	size_t n = strlen(etag);
	for (const char *p = inm; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',') p++;
		if (*p == '*') return true;
		if (p[0] == 'W' && p[1] == '/') p += 2;   /* weak comparison, as RFC 9110 asks */
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t')) return true;
		while (*p && *p != ',') p++;
	}
	return false;
}

static bool serve_asset(http_req *r)
{
	/* browsers ask for /favicon.ico whatever the page says */
	bool hashed = false;
	const struct asset *a = asset_find(strcmp(r->path, "/favicon.ico") == 0 ? "/static/favicon.ico" : r->path, &hashed);
	if (!a) return false;
	/* A hashed path names these bytes for good: cached for a year without
	 * asking again. The plain path may change with the next release: cached,
	 * but revalidated each time (a 304 when the ETag still matches). */
	http_set_header(r, "Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
	/* the gzip'd bytes of the build for a client that takes them: another
	 * representation, so another ETag ("…-gz") */
	bool gz = a->gz && http_accepts_gzip(r);
	const char *etag = gz ? arena_printf(r->a, "%.*s-gz\"", (int)strlen(a->etag) - 1, a->etag) : a->etag;
	if (a->gz) http_set_header(r, "Vary", "Accept-Encoding");
	http_set_header(r, "ETag", etag);
	r->content_type = a->content_type;
	if (etag_matches(http_header(r, "If-None-Match"), etag)) {
		r->status = 304;
		return true;
	}
	if (gz) http_set_header(r, "Content-Encoding", "gzip");
	buf_append(&r->body, gz ? (const char *)a->gz : (const char *)a->data, gz ? a->gz_len : a->len);
	return true;
}

static void handle(http_req *r);
static void dispatch_page(web *w, const web_route *route);

/* Answers saved during the request are counted in the round summary's
 * aggregates once per assessment after the request's own work, each in a
 * short transaction of its own (q_round_agg.h): the save's transaction
 * stays one round trip. X-Chiso-Agg-Round-Trips says what that cost. */
void web_handle(http_req *r)
{
	round_agg_defer();
	handle(r);
	web_app *app = r->app;
	db *d = app && round_agg_deferred() ? thread_db(app) : NULL;
	int64_t trips = round_agg_settle_deferred(d);
	if (app && app->round_trips_header && strncmp(r->path, "/api/", 5) == 0)
		http_set_header(r, "X-Chiso-Agg-Round-Trips", arena_printf(r->a, "%lld", (long long)trips));
}

static void handle(http_req *r)
{
	web_app *app = r->app;
	web w = { .r = r, .a = r->a, .app = app, .out = &r->body, .api = strncmp(r->path, "/api/", 5) == 0 };
	/* HEAD is routed as GET: the same status and headers, and the HTTP
	 * layer (libmicrohttpd) sends no body */
	bool head = strcmp(r->method, "HEAD") == 0;
	const char *method = head ? "GET" : r->method;
	if (strcmp(method, "GET") == 0 && (strncmp(r->path, "/static/", 8) == 0 || strcmp(r->path, "/favicon.ico") == 0)) {
		if (!serve_asset(r)) web_error(&w, 404, "Tệp tĩnh không tồn tại.");
		return;
	}
	const web_route *route = NULL;
	bool path_known = false;
	for (size_t t = 0; route_tables[t] && !route; t++) {
		for (const web_route *rt = route_tables[t]; rt->pattern && !route; rt++) {
			if (!match(&w, rt->pattern, r->path)) continue;
			path_known = true;
			if (strcmp(rt->method, method) == 0) route = rt;
		}
	}
	w.d = app ? thread_db(app) : NULL;
	if (!w.d) { web_error(&w, 503, "Không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."); return; }
	int64_t trips = db_round_trips(w.d);
	/* Framework versions published by another server sharing the database
	 * (or by the command line): looked for at most every 2 s. */
	fw_catalog_sync_db(&app->frameworks, w.d, 2, NULL);
	/* A page read in one snapshot reads its session in that snapshot too:
	 * one read transaction instead of three, so SQLite takes its file
	 * locks once (bench/http.sh: the kept page's fcntl calls and their
	 * inode mutex were ~10% of a hit). */
	bool snapshot = route && !w.api && (route->flags & WEB_READ_SNAPSHOT) && db_begin_read(w.d) == DB_OK;
	load_session(&w);
	if (snapshot) {
		dispatch_page(&w, route);
		db_commit(w.d);
		return;
	}
	if (w.api) {   /* its own auth and CSRF */
		api_dispatch(&w, route, path_known);
		if (app->round_trips_header)
			http_set_header(r, "X-Chiso-Round-Trips",
			                arena_printf(w.a, "%lld", (long long)(db_round_trips(w.d) - trips)));
		return;
	}
	if (!route) {
		web_error(&w, path_known ? 405 : 404, path_known ? "Trang này không nhận phương thức đó."
		                                                 : "Địa chỉ bạn mở không có trong Chiso. Hãy kiểm tra lại đường dẫn.");
		return;
	}
	dispatch_page(&w, route);
}

/* A page's route: the sign-in form's token, CSRF, sign-in, then the route. */
static void dispatch_page(web *w, const web_route *route)
{
	http_req *r = w->r;
	if (!w->account_id) presession_csrf(w);
	if (strcmp(r->method, "POST") == 0 && !csrf_ok(w)) {
		web_error(w, 403, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.");
		return;
	}
	if ((route->flags & WEB_SIGNED_IN) && !w->account_id) {
		http_redirect(r, arena_printf(w->a, "/dang-nhap?tiep=%s", r->path));
		return;
	}
	http_set_header(r, "Cache-Control", "no-store");
	web_route_run(w, route);
}

/* A declared route: prepare (load, authorise, inputs), the handler, release.
 * WEB_READ_SNAPSHOT: all of it reads one snapshot (db_begin_read). */
void web_route_run(web *w, const web_route *route)
{
	bool snapshot = (route->flags & WEB_READ_SNAPSHOT) && db_begin_read(w->d) == DB_OK;
	if (snapshot && route->cached && route->cached(w)) {
		db_commit(w->d);
		return;
	}
	if (web_route_prepare(w, route) == 0) route->handler(w);
	web_route_release(w);
	if (snapshot) db_commit(w->d);
}

int web_serve(web_app *app, const char *host, int port, int threads, bool quiet)
{
	if (sodium_init() < 0) { fputs("chiso serve: libsodium không khởi tạo được\n", stderr); return 1; }
	char *upload_dir = NULL;
	buf p;
	buf_init(&p);
	buf_printf(&p, "%s/.tmp", app->blob_dir);
	upload_dir = buf_take(&p);
	http_config cfg = {
		.host = host, .port = port, .max_body = 64u << 20, .max_upload = 50u << 20,
		.upload_dir = upload_dir, .quiet = quiet, .trust_proxy = getenv("CHISO_BEHIND_PROXY") != NULL,
		.app = app, .threads = threads,
	};
	int rc = http_serve(&cfg, web_handle);
	free(upload_dir);
	return rc;
}
