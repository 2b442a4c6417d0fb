/* page_auth.c — sign in, sign out, change password. Sign-in is throttled
 * per (login, address) pair and per address (q_session.c); the session cookie is new at
 * every sign-in, so a token planted before cannot be ridden. */
#include "page_auth.h"
#include "q_account.h"
#include "q_session.h"
#include "web.h"
#include <inttypes.h>
#include <string.h>

const char *page_auth_safe_next(const char *next)
{
	/* one '/' then not a second '/' or '\\' (both mean "another host" to a
	 * browser), and only bytes that cannot hide a scheme, a host or a
	 * control character that browsers strip ("/\t/evil" → "//evil") */
	static const char allowed[] = "-._~/?=&%+,:";
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "/";
	size_t n = strlen(next);
	if (n > PAGE_AUTH_NEXT_MAX) return "/";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)next[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && !strchr(allowed, c)) return "/";
	}
	return next;
}

static void signin_form(web *w, const char *login, const char *error)
{
	page_begin(w, "Đăng nhập");
	html_f(w->out, "<section class=\"card narrow\"><h1>Đăng nhập</h1>");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out,
	       "<form method=\"post\" action=\"/dang-nhap\">"
	       "<input type=\"hidden\" name=\"tiep\" value=\"%a\">"
	       "<label>Tên đăng nhập<input name=\"login\" autocomplete=\"username\" required value=\"%a\" autofocus></label>"
	       "<label>Mật khẩu<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>",
	       page_auth_safe_next(web_in_text(w, "tiep")), login ? login : "");
	web_csrf_field(w);
	/* the public's way in: the sign-in page is what "/" shows a visitor */
	html_f(w->out, "<button type=\"submit\">Đăng nhập</button></form>"
	               "<p class=\"explain\" id=\"cong-khai\"><a href=\"/cong-khai\">Kết quả chuyển đổi số đã công bố</a>"
	               " — xem không cần đăng nhập.</p></section>");
	page_end(w);
}

static void signin_get(web *w)
{
	if (w->account_id) { http_redirect(w->r, "/"); return; }
	signin_form(w, NULL, NULL);
}

/* 429 with how long to wait, in words and in Retry-After (seconds). */
static void signin_refused(web *w, const char *login, int64_t wait)
{
	w->r->status = 429;
	http_set_header(w->r, "Retry-After", arena_printf(w->a, "%" PRId64, wait));
	const char *when = wait < 60 ? arena_printf(w->a, "%" PRId64 " giây", wait)
	                             : arena_printf(w->a, "%" PRId64 " phút", (wait + 59) / 60);
	signin_form(w, login, arena_printf(w->a, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %s.", when));
}

static void signin_post(web *w)
{
	const char *login = web_in_text(w, "login");
	const char *password = web_in_text(w, "password");
	if (!login || !*login || !password || !*password) {
		w->r->status = 422;
		signin_form(w, login, "Vui lòng nhập tên đăng nhập và mật khẩu.");
		return;
	}
	char key[ACCOUNT_LOGIN_MAX + 1];
	account_login_key(login, key);   /* "" for a login no account can have */
	int64_t wait = 0;
	if (signin_attempt(w->d, key, w->r->remote, &wait) != DB_OK) {
		web_error(w, 503, "Hệ thống tạm bận. Vui lòng thử lại sau ít phút.");
		return;
	}
	if (wait > 0) {
		signin_refused(w, login, wait);
		return;
	}
	int64_t id = 0;
	int rc = account_authenticate(w->d, login, password, &id);
	if (rc != DB_OK) {
		w->r->status = 422;
		signin_form(w, login, rc == DB_EINVAL ? db_errmsg(w->d) : "Hệ thống tạm bận. Vui lòng thử lại.");
		return;
	}
	signin_succeeded(w->d, key, w->r->remote);
	/* a new session (and token) at every sign-in */
	session_delete(w->d, http_cookie(w->r, "chiso_phien"));
	char *token, *csrf;
	if (session_create(w->d, id, w->r->remote, w->a, &token, &csrf) != DB_OK) {
		web_error(w, 503, "Không tạo được phiên đăng nhập. Vui lòng thử lại.");
		return;
	}
	http_set_cookie(w->r, "chiso_phien", token, 0);
	http_set_cookie(w->r, "chiso_csrf", "", -1);
	const char *next = page_auth_safe_next(web_in_text(w, "tiep"));
	web_redirect_notice(w, next, "dang-nhap");
}

static void signout_post(web *w)
{
	session_delete(w->d, http_cookie(w->r, "chiso_phien"));
	http_set_cookie(w->r, "chiso_phien", "", -1);
	web_redirect_notice(w, "/dang-nhap", "dang-xuat");
}

/* "Tài khoản của tôi": the e-mail address reminders go to, and the
 * password. Each form has its own error line; a failed one keeps what
 * was typed in the e-mail box. */
static void account_page(web *w, const char *email_error, const char *email_typed, const char *password_error)
{
	account me;
	const char *email = email_typed;
	if (!email) email = account_get(w->d, w->account_id, w->a, &me) == DB_OK && me.email ? me.email : "";
	page_begin(w, "Tài khoản của tôi");
	html_f(w->out, "<section class=\"card narrow\" id=\"thu-dien-tu\"><h1>Tài khoản của tôi</h1>"
	               "<h2>Thư điện tử</h2><p class=\"explain\">Cơ quan quản lý gửi thư nhắc hạn đến địa chỉ này.</p>");
	if (email_error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", email_error);
	html_f(w->out, "<form method=\"post\" action=\"/tai-khoan-cua-toi/thu-dien-tu\">"
	               "<label>Địa chỉ thư điện tử<input name=\"email\" type=\"email\" autocomplete=\"email\" maxlength=\"254\" value=\"%a\"></label>",
	       email);
	web_csrf_field(w);
	html_f(w->out, "<button type=\"submit\">Lưu địa chỉ</button></form></section>");
	html_f(w->out, "<section class=\"card narrow\" id=\"mat-khau\"><h2>Đổi mật khẩu</h2>");
	if (password_error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", password_error);
	html_f(w->out,
	       "<form method=\"post\" action=\"/doi-mat-khau\">"
	       "<label>Mật khẩu hiện tại<input name=\"old\" type=\"password\" autocomplete=\"current-password\" required></label>"
	       "<label>Mật khẩu mới (ít nhất 8 ký tự)<input name=\"new\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\" required></label>"
	       "<label>Nhập lại mật khẩu mới<input name=\"again\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\" required></label>");
	web_csrf_field(w);
	html_f(w->out, "<button type=\"submit\">Đổi mật khẩu</button></form></section>");
	page_end(w);
}

static void password_form(web *w, const char *error) { account_page(w, NULL, NULL, error); }
static void account_get_page(web *w) { account_page(w, NULL, NULL, NULL); }

static void email_post(web *w)
{
	const char *email = web_in_text(w, "email");
	if (account_set_email(w->d, w->account_id, w->account_id, email) != DB_OK) {
		w->r->status = 422;
		account_page(w, db_errmsg(w->d), email ? email : "", NULL);
		return;
	}
	web_redirect_notice(w, "/tai-khoan-cua-toi", "da-luu");
}

static void password_post(web *w)
{
	const char *old = web_in_text(w, "old"), *nw = web_in_text(w, "new"), *again = web_in_text(w, "again");
	int64_t id = 0;
	w->r->status = 422;
	if (!old || !nw || !again) { password_form(w, "Vui lòng điền đủ ba ô."); return; }
	if (strcmp(nw, again) != 0) { password_form(w, "Hai lần nhập mật khẩu mới không khớp."); return; }
	if (account_authenticate(w->d, w->account_login, old, &id) != DB_OK || id != w->account_id) {
		password_form(w, "Mật khẩu hiện tại không đúng.");
		return;
	}
	if (account_set_password(w->d, w->account_id, w->account_id, nw) != DB_OK) {
		password_form(w, db_errmsg(w->d));
		return;
	}
	/* every other session ends; this one is replaced by a fresh one */
	session_delete_account(w->d, w->account_id);
	char *token, *csrf;
	if (session_create(w->d, w->account_id, w->r->remote, w->a, &token, &csrf) == DB_OK)
		http_set_cookie(w->r, "chiso_phien", token, 0);
	w->r->status = 200;
	web_redirect_notice(w, "/", "mat-khau");
}

/* Sign-in: a missing login or password is the form's own 422, not the
 * dispatcher's 400, and a long login is a wrong one (no limit below the
 * field's): every attempt that reaches the check is throttled alike. */
static const web_input next_inputs[] = {
	{ .name = "tiep", .type = WEB_IN_TEXT, .label = "trang tiếp theo" },
	{ .name = NULL },
};
static const web_input signin_inputs[] = {
	{ .name = "login", .type = WEB_IN_TEXT, .label = "tên đăng nhập" },
	{ .name = "password", .type = WEB_IN_SECRET, .label = "mật khẩu" },
	{ .name = "tiep", .type = WEB_IN_TEXT, .label = "trang tiếp theo" },
	{ .name = NULL },
};
static const web_input email_inputs[] = {
	{ .name = "email", .type = WEB_IN_TEXT, .max = 254, .label = "địa chỉ thư điện tử" },
	{ .name = NULL },
};
static const web_input password_inputs[] = {
	{ .name = "old", .type = WEB_IN_SECRET, .label = "mật khẩu hiện tại" },
	{ .name = "new", .type = WEB_IN_SECRET, .max = 1024, .label = "mật khẩu mới" },
	{ .name = "again", .type = WEB_IN_SECRET, .max = 1024, .label = "mật khẩu mới nhập lại" },
	{ .name = NULL },
};

const web_route page_auth_routes[] = {
	{ "GET", "/dang-nhap", signin_get, 0, .load = WEB_LOAD_NONE, .inputs = next_inputs },
	{ "POST", "/dang-nhap", signin_post, 0, .load = WEB_LOAD_NONE, .inputs = signin_inputs },
	{ "POST", "/dang-xuat", signout_post, WEB_SIGNED_IN, .load = WEB_LOAD_NONE },
	{ "GET", "/doi-mat-khau", account_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_NONE },
	{ "GET", "/tai-khoan-cua-toi", account_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_NONE },
	{ "POST", "/tai-khoan-cua-toi/thu-dien-tu", email_post, WEB_SIGNED_IN, .load = WEB_LOAD_NONE, .inputs = email_inputs },
	{ "POST", "/doi-mat-khau", password_post, WEB_SIGNED_IN, .load = WEB_LOAD_NONE, .inputs = password_inputs },
	{ NULL, NULL, NULL, 0 },
};
