/* page_admin_accounts.c — /quan-tri/tai-khoan: accounts and their roles:
 * the list in the administrator's scope, a new account with a password
 * shown once, one account (enable, disable, password, e-mail, grant and
 * revoke a role). Access: AUTHZ_MANAGE_ACCOUNTS on every role of the
 * account (page_admin.c: admin_may_account). The store writes and audits
 * (q_account.c). */
#include "page_admin.h"
#include "q_account.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ACCOUNTS_PER_PAGE = 50 };

/* ---- accounts ------------------------------------------------------------------------- */

/* A password shown once: 16 characters from an alphabet without look-alikes. */
static const char *generated_password(web *w)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
	char *p = arena_alloc(w->a, 17);
	for (int i = 0; i < 16; i++) p[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	p[16] = '\0';
	return p;
}

/* The round of a council member's or external evaluator's role, by name,
 * office and school year; "" for the roles that take none. An office
 * administrator sees the rounds of the offices in its subtree. */
static void round_select(web *w, const char *cur)
{
	round_row *rs = NULL;
	size_t n = 0;
	if (round_list_all(w->d, 500, w->a, &rs, &n) != DB_OK) db_clear_error(w->d);
	int64_t office = admin_office(w);
	const char *today = office_today_iso(w);
	html_f(w->out, "<select name=\"dot\"><option value=\"\">— Không cần (các vai trò khác) —</option>");
	for (size_t i = 0; i < n; i++) {
		bool in = true;
		if (office && unit_in_scope(w->d, office, rs[i].office_unit_id, today, &in) != DB_OK) { db_clear_error(w->d); in = false; }
		if (!in) continue;
		const char *id = arena_printf(w->a, "%lld", (long long)rs[i].id);
		unit u;
		const char *who = unit_get(w->d, rs[i].office_unit_id, w->a, &u) == DB_OK ? u.name : "";
		db_clear_error(w->d);
		html_f(w->out, "<option value=\"%a\"%h>%h — %h (%h)%h</option>", id, admin_selected(cur && !strcmp(cur, id)), rs[i].title, who,
		       rs[i].school_year, strcmp(rs[i].state, "open") ? ", đã đóng" : "");
	}
	html_f(w->out, "</select>");
}

static const char *round_label(web *w, int64_t id)
{
	round_row r;
	if (round_get(w->d, id, w->a, &r) == DB_OK) return arena_printf(w->a, "%s (%s)", r.title, r.school_year);
	db_clear_error(w->d);
	return arena_printf(w->a, "đợt số %lld", (long long)id);
}

/* A generated password is shown once, on the account's page reached by
 * the 303 after the POST (a reload posts nothing again): it travels in a
 * short-lived HttpOnly cookie, encrypted (secretbox) with a key derived
 * from the session token — a secret the browser holds and the database
 * keeps only hashed — and the account id, and the page deletes the cookie
 * as it shows it. Never in a URL, a log or the database. */
#define ONCE_COOKIE "chiso_mat_khau"

static bool once_key(web *w, int64_t account_id, unsigned char key[crypto_secretbox_KEYBYTES])
{
	const char *token = web_session_token(w);
	if (!token || !*token) return false;
	char ctx[64];
	snprintf(ctx, sizeof ctx, "chiso: mật khẩu hiển thị một lần %lld", (long long)account_id);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, crypto_secretbox_KEYBYTES);
	crypto_generichash_update(&st, (const unsigned char *)ctx, strlen(ctx) + 1);
	crypto_generichash_update(&st, (const unsigned char *)token, strlen(token));
	crypto_generichash_final(&st, key, crypto_secretbox_KEYBYTES);
	return true;
}

/* Redirects to the account's page, which shows `password` once. */
static void redirect_with_password(web *w, int64_t account_id, const char *password)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	size_t len = strlen(password);
	if (len <= 64 && once_key(w, account_id, key)) {
		unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64];
		randombytes_buf(box, crypto_secretbox_NONCEBYTES);
		crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)password, len, box, key);
		size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
		char *hex = arena_alloc(w->a, blen * 2 + 1);
		sodium_bin2hex(hex, blen * 2 + 1, box, blen);
		http_set_cookie(w->r, ONCE_COOKIE, arena_printf(w->a, "%lld-%s", (long long)account_id, hex), 300);
		sodium_memzero(key, sizeof key);
	}
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/tai-khoan/%lld", (long long)account_id));
}

/* The password waiting for this account's page, if any (and forgets it). */
static const char *take_password(web *w, int64_t account_id)
{
	const char *c = http_cookie(w->r, ONCE_COOKIE);
	if (!c) return NULL;
	char *end;
	long long id = strtoll(c, &end, 10);
	if (id != account_id || *end != '-') return NULL;      /* another account's: left to expire */
	http_set_cookie(w->r, ONCE_COOKIE, "", -1);
	const char *hex = end + 1;
	size_t hl = strlen(hex);
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64], key[crypto_secretbox_KEYBYTES];
	size_t blen = 0;
	if (hl > sizeof box * 2 || sodium_hex2bin(box, sizeof box, hex, hl, NULL, &blen, NULL) != 0
	    || blen <= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES || !once_key(w, account_id, key))
		return NULL;
	size_t plen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *pw = arena_alloc(w->a, plen + 1);
	int bad = crypto_secretbox_open_easy((unsigned char *)pw, box + crypto_secretbox_NONCEBYTES, blen - crypto_secretbox_NONCEBYTES,
	                                     box, key);
	sodium_memzero(key, sizeof key);
	if (bad) return NULL;
	pw[plen] = '\0';
	return vn_utf8_valid(pw, plen, NULL) ? pw : NULL;
}

static void role_select(web *w, const char *cur)
{
	html_f(w->out, "<select name=\"vai_tro\">");
	for (int r = 0; r < AUTHZ_ROLE_COUNT; r++) {
		if (r == AUTHZ_SYSTEM_ADMIN && !admin_is_system(w)) continue;
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", authz_role_code((authz_role)r),
		       admin_selected(cur && !strcmp(cur, authz_role_code((authz_role)r))), authz_role_label((authz_role)r));
	}
	html_f(w->out, "</select>");
}

/* An account's roles in a list cell: "Hiệu trưởng — Trường … (5210…)". */
static void roles_cell(web *w, int64_t account_id)
{
	role_assignment *roles = NULL;
	size_t nr = 0;
	if (account_roles(w->d, account_id, w->a, &roles, &nr) != DB_OK) { db_clear_error(w->d); return; }
	if (!nr) { html_f(w->out, "Chưa có vai trò"); return; }
	html_f(w->out, "<ul class=\"roles\">");
	for (size_t i = 0; i < nr; i++) {
		html_f(w->out, "<li>%h", authz_role_label(authz_role_parse(roles[i].role)));
		if (roles[i].unit_id) html_f(w->out, " — %h", admin_unit_label(w, roles[i].unit_id));
		round_row r;
		if (roles[i].round_id && round_get(w->d, roles[i].round_id, w->a, &r) == DB_OK)
			html_f(w->out, ", đợt năm học %h", r.school_year);
		db_clear_error(w->d);
		html_f(w->out, "</li>");
	}
	html_f(w->out, "</ul>");
}

/* The create form, behind "Thêm tài khoản" (open again after a refusal). */
static void account_create_form(web *w, const char *error)
{
	html_f(w->out, "<details class=\"create\" id=\"tao\"%h><summary class=\"button\">Thêm tài khoản</summary>",
	       error ? " open" : "");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan\" class=\"grid-form\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Tên đăng nhập<input name=\"dang_nhap\" value=\"%a\" required maxlength=\"64\" autocomplete=\"off\"></label>"
	               "<label>Họ và tên<input name=\"ho_ten\" value=\"%a\" required maxlength=\"200\"></label>"
	               "<label>Thư điện tử<input type=\"email\" name=\"email\" value=\"%a\" maxlength=\"254\"></label>"
	               "<label>Vai trò", admin_in(w, "dang_nhap", ""), admin_in(w, "ho_ten", ""), admin_in(w, "email", ""));
	role_select(w, admin_in(w, "vai_tro", "principal"));
	admin_office_datalist(w);
	html_f(w->out, "</label><label>Mã đơn vị (trường hoặc cơ quan)<input name=\"don_vi\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
	               "<label>Đợt đánh giá (thành viên hội đồng, đoàn đánh giá ngoài)", admin_in(w, "don_vi", ""));
	round_select(w, admin_in(w, "dot", ""));
	html_f(w->out, "</label><label>Mật khẩu ban đầu (để trống: tạo tự động)<input type=\"password\" name=\"mat_khau\" minlength=\"8\" autocomplete=\"new-password\"></label>"
	               "<p><button type=\"submit\">Tạo tài khoản</button></p></form></details>");
}

static void accounts_page(web *w, int status, const char *error)
{
	const char *text = admin_in(w, "q", "");
	size_t page = admin_in_page(w), total = 0, n = 0;
	account *rows = NULL;
	if (account_list(w->d, admin_office(w), office_today_iso(w), text, ACCOUNTS_PER_PAGE, (page - 1) * ACCOUNTS_PER_PAGE,
	                 w->a, &rows, &n, &total) != DB_OK) {
		web_error(w, 500, "Không đọc được danh sách tài khoản. Vui lòng thử lại.");
		return;
	}
	if (status) w->r->status = status;
	page_begin(w, "Tài khoản và vai trò");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/tai-khoan");
	html_f(w->out, "<section class=\"card\"><h2>Tài khoản</h2>");
	account_create_form(w, error);
	html_f(w->out, "<form method=\"get\" action=\"/quan-tri/tai-khoan\" class=\"filters\">"
	               "<label>Tìm theo tên, tên đăng nhập, thư điện tử<input name=\"q\" value=\"%a\" maxlength=\"200\"></label>"
	               "<button type=\"submit\">Tìm</button></form><p>%z tài khoản.</p>", text, total);
	if (n) {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"accounts labelled\"><thead><tr><th>Tên đăng nhập</th><th>Họ và tên</th>"
		               "<th>Vai trò và đơn vị</th><th>Thư điện tử</th><th>Trạng thái</th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			html_f(w->out, "<tr><td><a href=\"/quan-tri/tai-khoan/%D\">%h</a></td><td data-label=\"Họ và tên\">%h</td>"
			               "<td data-label=\"Vai trò và đơn vị\">", rows[i].id, rows[i].login, rows[i].full_name);
			roles_cell(w, rows[i].id);
			html_f(w->out, "</td><td data-label=\"Thư điện tử\">%h</td><td data-label=\"Trạng thái\">%h</td></tr>",
			       rows[i].email ? rows[i].email : "", rows[i].active ? "Đang hoạt động" : "Đã khóa");
		}
		html_f(w->out, "</tbody></table></div>");
	}
	size_t pages = (total + ACCOUNTS_PER_PAGE - 1) / ACCOUNTS_PER_PAGE;
	if (pages > 1) {
		html_f(w->out, "<nav class=\"pager\" aria-label=\"Trang\">");
		if (page > 1) html_f(w->out, "<a href=\"/quan-tri/tai-khoan?q=%u&amp;trang=%z\">← Trang trước</a> ", text, page - 1);
		html_f(w->out, "<span>Trang %z / %z</span>", page, pages);
		if (page < pages) html_f(w->out, " <a href=\"/quan-tri/tai-khoan?q=%u&amp;trang=%z\">Trang sau →</a>", text, page + 1);
		html_f(w->out, "</nav>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

static void accounts_get(web *w)
{
	accounts_page(w, 0, NULL);
}

/* The role and unit of a grant form; NULL when fine, else why not. */
static const char *grant_from_form(web *w, int64_t account_id, authz_role *role, int64_t *unit_id, int64_t *round_id)
{
	*role = authz_role_parse(web_in_text(w, "vai_tro"));
	*unit_id = *round_id = 0;
	if (*role == AUTHZ_ROLE_INVALID) return "Vai trò không hợp lệ.";
	const char *ref = web_in_text(w, "don_vi");
	unit u;
	if (*role != AUTHZ_SYSTEM_ADMIN) {
		if (!admin_unit_by_ref(w, ref, &u)) return "Không có đơn vị với mã đã nhập.";
		*unit_id = u.id;
	}
	*round_id = web_in_int(w, "dot", 0);
	authz_decision why;
	if (!admin_role_allowed(w, AUTHZ_MANAGE_ACCOUNTS, account_id, *role, *unit_id, &why))
		return why.message;
	return NULL;
}

static void account_create_post(web *w)
{
	authz_role role;
	int64_t unit_id, round_id;
	const char *why = grant_from_form(w, 0, &role, &unit_id, &round_id);
	if (why) { accounts_page(w, 422, why); return; }
	const char *pw = web_in_text(w, "mat_khau");
	bool generated = !pw || !*pw;
	if (generated) pw = generated_password(w);
	const char *email = web_in_text(w, "email");
	int64_t id = 0;
	/* One transaction: account, e-mail and role, or nothing. */
	int rc = db_begin_write(w->d);
	if (rc == DB_OK) rc = account_create(w->d, w->account_id, web_in_text(w, "dang_nhap"), web_in_text(w, "ho_ten"), pw, &id);
	if (rc == DB_OK && email && *email) rc = account_set_email(w->d, w->account_id, id, email);
	if (rc == DB_OK) rc = account_grant(w->d, w->account_id, id, authz_role_code(role), unit_id, round_id, NULL);
	if (rc == DB_OK) rc = db_commit(w->d);
	else if (db_tx_depth(w->d)) db_rollback(w->d);
	if (rc != DB_OK) { accounts_page(w, rc == DB_EINVAL || rc == DB_ECONSTRAINT ? 422 : 500, db_errmsg(w->d)); return; }
	/* 303 to the new account's page (a reload creates nothing again),
	 * which shows a generated password once */
	if (generated) { redirect_with_password(w, id, pw); return; }
	web_redirect_notice(w, arena_printf(w->a, "/quan-tri/tai-khoan/%lld", (long long)id), "da-luu");
}

static void account_page(web *w, int64_t id, int status, const char *error, const char *shown_password)
{
	account a;
	role_assignment *roles = NULL;
	size_t nr = 0;
	if (account_get(w->d, id, w->a, &a) != DB_OK) { web_error(w, 404, "Không tìm thấy tài khoản này."); return; }
	if (account_roles(w->d, id, w->a, &roles, &nr) != DB_OK) { web_error(w, 500, "Không đọc được vai trò."); return; }
	authz_decision why;
	if (!admin_may_account(w, id, roles, nr, false, &why)) { web_error(w, 403, why.message); return; }
	bool manage = admin_may_account(w, id, roles, nr, true, NULL);
	if (status) w->r->status = status;
	if (shown_password) http_set_header(w->r, "Cache-Control", "no-store");
	page_begin(w, a.full_name);
	html_f(w->out, "<h1>%h</h1>", a.full_name);
	admin_nav(w, "/quan-tri/tai-khoan");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	if (shown_password)
		html_f(w->out, "<section class=\"card notice\" role=\"status\"><h2>Mật khẩu của %h</h2><p>Mật khẩu được tạo: "
		               "<strong class=\"password\">%h</strong></p><p>Mật khẩu chỉ hiển thị một lần (tải lại trang sẽ không còn); "
		               "hãy trao cho người dùng và đề nghị đổi sau khi đăng nhập.</p></section>", a.login, shown_password);
	html_f(w->out, "<section class=\"card\"><h2>Tài khoản</h2><dl class=\"facts\"><dt>Tên đăng nhập</dt><dd>%h</dd>"
	               "<dt>Thư điện tử</dt><dd>%h</dd><dt>Trạng thái</dt><dd>%h</dd><dt>Tạo lúc</dt><dd>%h</dd></dl>",
	       a.login, a.email ? a.email : "—", a.active ? "Đang hoạt động" : "Đã khóa", office_time(w, a.created_at));
	if (manage) {
		/* locking asks for a ticked confirmation, checked by the server too */
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/trang-thai\" class=\"inline confirm\">", id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"hoat_dong\" value=\"%h\">", a.active ? "0" : "1");
		if (a.active)
			html_f(w->out, "<label class=\"check\"><input type=\"checkbox\" name=\"xac_nhan\" value=\"1\" required> "
			               "Tôi xác nhận khóa tài khoản này (người dùng bị đăng xuất, không đăng nhập được nữa)</label> "
			               "<button type=\"submit\" class=\"danger\">Khóa tài khoản</button></form> ");
		else html_f(w->out, "<button type=\"submit\">Mở khóa tài khoản</button></form> ");
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/mat-khau\" class=\"inline\">", id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\">Đặt lại mật khẩu (tạo tự động)</button></form>"
		               "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/email\" class=\"grid-form\">", id);
		web_csrf_field(w);
		html_f(w->out, "<label>Thư điện tử<input type=\"email\" name=\"email\" value=\"%a\" maxlength=\"254\"></label>"
		               "<p><button type=\"submit\">Lưu thư điện tử</button></p></form>", a.email ? a.email : "");
	}
	html_f(w->out, "</section><section class=\"card\"><h2>Vai trò</h2>");
	if (!nr) html_f(w->out, "<p>Chưa có vai trò nào.</p>");
	else {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"roles labelled\"><thead><tr><th>Vai trò</th><th>Đơn vị</th><th>Đợt</th><th></th></tr></thead><tbody>");
		for (size_t i = 0; i < nr; i++) {
			html_f(w->out, "<tr><td>%h</td><td data-label=\"Đơn vị\">%h</td><td data-label=\"Đợt\">%h</td><td>",
			       authz_role_label(authz_role_parse(roles[i].role)),
			       roles[i].unit_id ? admin_unit_label(w, roles[i].unit_id) : "Toàn hệ thống",
			       roles[i].round_id ? round_label(w, roles[i].round_id) : "Mọi đợt");
			if (manage) {
				html_f(w->out, "<form method=\"post\" action=\"/quan-tri/tai-khoan/%D/thu-hoi\" class=\"inline confirm\">", id);
				web_csrf_field(w);
				html_f(w->out, "<input type=\"hidden\" name=\"phan_quyen\" value=\"%D\"><label class=\"check\"><input "
				               "type=\"checkbox\" name=\"xac_nhan\" value=\"1\" required> Xác nhận</label> "
				               "<button type=\"submit\" class=\"danger\">Thu hồi</button></form>", roles[i].id);
			}
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table></div>");
	}
	if (manage) {
		html_f(w->out, "<h3>Giao vai trò</h3><form method=\"post\" action=\"/quan-tri/tai-khoan/%D/vai-tro\" class=\"grid-form\">", id);
		web_csrf_field(w);
		html_f(w->out, "<label>Vai trò");
		role_select(w, admin_in(w, "vai_tro", "officer"));
		admin_office_datalist(w);
		html_f(w->out, "</label><label>Mã đơn vị (trường hoặc cơ quan)<input name=\"don_vi\" value=\"%a\" maxlength=\"40\" list=\"co-quan\"></label>"
		               "<label>Đợt đánh giá (thành viên hội đồng, đoàn đánh giá ngoài)", admin_in(w, "don_vi", ""));
		round_select(w, admin_in(w, "dot", ""));
		html_f(w->out, "</label><p><button type=\"submit\">Giao vai trò</button></p></form>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

static void account_get_page(web *w)
{
	account_page(w, w->ids[0], 0, NULL, take_password(w, w->ids[0]));
}

/* The ticked box of a destructive form (locking, revoking): the page asks
 * for it with `required`, the server insists without JavaScript's help. */
static bool confirmed(web *w)
{
	const char *v = web_in_text(w, "xac_nhan");
	return v && !strcmp(v, "1");
}

/* Loads the account's roles and checks that the administrator manages it. */
static bool account_manage_check(web *w, int64_t id)
{
	account a;
	if (account_get(w->d, id, w->a, &a) != DB_OK) { web_error(w, 404, "Không tìm thấy tài khoản này."); return false; }
	role_assignment *roles = NULL;
	size_t nr = 0;
	authz_decision why;
	if (account_roles(w->d, id, w->a, &roles, &nr) != DB_OK) { web_error(w, 500, "Không đọc được vai trò."); return false; }
	if (!admin_may_account(w, id, roles, nr, true, &why)) { web_error(w, 403, why.message); return false; }
	return true;
}

static void account_done(web *w, int64_t id, int rc)
{
	if (rc == DB_OK) web_redirect_notice(w, arena_printf(w->a, "/quan-tri/tai-khoan/%lld", (long long)id), "da-luu");
	else account_page(w, id, rc == DB_EINVAL || rc == DB_ECONSTRAINT || rc == DB_ECONFLICT ? 422 : 500, db_errmsg(w->d), NULL);
}

static void account_active_post(web *w)
{
	int64_t id = w->ids[0];
	if (!account_manage_check(w, id)) return;
	const char *v = web_in_text(w, "hoat_dong");
	bool on = v && !strcmp(v, "1");
	authz_account acc = web_account(w);
	authz_decision why;
	if (!authz_may_set_active(&acc, id, on, &why)) {
		account_page(w, id, 422, why.message, NULL);
		return;
	}
	if (!on && !confirmed(w)) {
		account_page(w, id, 422, "Chưa khóa: hãy đánh dấu ô xác nhận rồi bấm “Khóa tài khoản”.", NULL);
		return;
	}
	account_done(w, id, account_set_active(w->d, w->account_id, id, on));
}

static void account_password_post(web *w)
{
	int64_t id = w->ids[0];
	if (!account_manage_check(w, id)) return;
	const char *pw = generated_password(w);
	int rc = account_set_password(w->d, w->account_id, id, pw);
	if (rc != DB_OK) { account_done(w, id, rc); return; }
	redirect_with_password(w, id, pw);
}

static void account_email_post(web *w)
{
	int64_t id = w->ids[0];
	if (!account_manage_check(w, id)) return;
	account_done(w, id, account_set_email(w->d, w->account_id, id, web_in_text(w, "email")));
}

static void account_grant_post(web *w)
{
	int64_t id = w->ids[0];
	if (!account_manage_check(w, id)) return;
	authz_role role;
	int64_t unit_id, round_id;
	const char *why = grant_from_form(w, id, &role, &unit_id, &round_id);
	if (why) { account_page(w, id, 422, why, NULL); return; }
	account_done(w, id, account_grant(w->d, w->account_id, id, authz_role_code(role), unit_id, round_id, NULL));
}

static void account_revoke_post(web *w)
{
	int64_t id = w->ids[0];
	if (!account_manage_check(w, id)) return;
	int64_t assignment = web_in_int(w, "phan_quyen", 0);
	role_assignment *roles = NULL;
	size_t nr = 0;
	bool mine = false;
	account_roles(w->d, id, w->a, &roles, &nr);
	for (size_t i = 0; i < nr; i++) mine |= roles[i].id == assignment;
	if (!mine) { web_error(w, 404, "Không tìm thấy vai trò này của tài khoản."); return; }
	if (!confirmed(w)) { account_page(w, id, 422, "Chưa thu hồi: hãy đánh dấu ô xác nhận rồi bấm “Thu hồi”.", NULL); return; }
	account_done(w, id, account_revoke(w->d, w->account_id, assignment));
}

static const char *const zero_one[] = { "0", "1", NULL };
static const char *const ticked[] = { "1", NULL };
static const char *const role_codes[] = { "system_admin", "office_admin", "officer", "principal", "council_member",
                                          "external_evaluator", NULL };

/* Every form of the pages (each page refills the create and grant forms
 * after a refusal): the store's own limits (q_account.c). */
static const web_input account_inputs[] = {
	{ .name = "q", .type = WEB_IN_TEXT, .max = 200, .label = "từ khóa tìm" },
	ADMIN_PAGE_INPUT,
	ADMIN_OFFICE_INPUT,
	{ .name = "dang_nhap", .type = WEB_IN_TEXT, .max = ACCOUNT_LOGIN_MAX, .label = "tên đăng nhập" },
	{ .name = "ho_ten", .type = WEB_IN_TEXT, .max = 200, .label = "họ và tên" },
	{ .name = "email", .type = WEB_IN_TEXT, .max = 254, .label = "thư điện tử" },
	{ .name = "vai_tro", .type = WEB_IN_ENUM, .values = role_codes, .label = "vai trò" },
	{ .name = "don_vi", .type = WEB_IN_TEXT, .max = 40, .label = "mã đơn vị" },
	{ .name = "dot", .type = WEB_IN_ID, .label = "đợt đánh giá" },
	{ .name = "mat_khau", .type = WEB_IN_TEXT, .max = 1024, .label = "mật khẩu" },
	{ .name = "hoat_dong", .type = WEB_IN_ENUM, .values = zero_one, .label = "trạng thái" },
	{ .name = "xac_nhan", .type = WEB_IN_ENUM, .values = ticked, .label = "ô xác nhận" },
	{ .name = "phan_quyen", .type = WEB_IN_ID, .label = "vai trò được giao" },
	{ .name = NULL },
};

/* A new account names its login and its holder: 400 without them. */
static const web_input create_inputs[] = {
	{ .name = "dang_nhap", .type = WEB_IN_TEXT, .required = true, .max = ACCOUNT_LOGIN_MAX, .label = "tên đăng nhập" },
	{ .name = "ho_ten", .type = WEB_IN_TEXT, .required = true, .max = 200, .label = "họ và tên" },
	{ .name = "email", .type = WEB_IN_TEXT, .max = 254, .label = "thư điện tử" },
	{ .name = "vai_tro", .type = WEB_IN_ENUM, .values = role_codes, .label = "vai trò" },
	{ .name = "don_vi", .type = WEB_IN_TEXT, .max = 40, .label = "mã đơn vị" },
	{ .name = "dot", .type = WEB_IN_ID, .label = "đợt đánh giá" },
	{ .name = "mat_khau", .type = WEB_IN_TEXT, .max = 1024, .label = "mật khẩu" },
	{ .name = NULL },
};

/* WEB_LOAD_ADMIN is the gate; each account is checked here. */
const web_route page_admin_account_routes[] = {
	{ "GET", "/quan-tri/tai-khoan", accounts_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ "POST", "/quan-tri/tai-khoan", account_create_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = create_inputs },
	{ "GET", "/quan-tri/tai-khoan/{id}", account_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ "POST", "/quan-tri/tai-khoan/{id}/trang-thai", account_active_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ "POST", "/quan-tri/tai-khoan/{id}/mat-khau", account_password_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ "POST", "/quan-tri/tai-khoan/{id}/email", account_email_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ "POST", "/quan-tri/tai-khoan/{id}/vai-tro", account_grant_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ "POST", "/quan-tri/tai-khoan/{id}/thu-hoi", account_revoke_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = account_inputs },
	{ NULL, NULL, NULL, 0 },
};
