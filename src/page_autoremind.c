/* page_autoremind.c — automatic reminders' settings per round and the SMTP
 * server of the administration page (page_autoremind.h). */
#include "page_autoremind.h"
#include "authz.h"
#include "html.h"
#include "http.h"
#include "q_autoremind.h"
#include "smtp_config.h"
#include "web.h"
#include <stdlib.h>
#include <string.h>

bool web_mail_configured(web *w)
{
	mail_config c;
	bool from_page;
	smtp_config_load(w->d, w->app->secret, w->a, &c, &from_page);
	return mail_config_usable(&c);
}

void web_mail_unconfigured_note(web *w)
{
	authz_account acc = web_account(w);
	if (authz_may_configure_server(&acc))
		html_f(w->out, "<p class=\"explain\">Chưa cấu hình gửi thư: đặt máy chủ thư ở trang "
		               "<a href=\"/quan-tri/thu\">Quản trị — Gửi thư</a>.</p>");
	else
		html_f(w->out, "<p class=\"explain\">Chưa cấu hình gửi thư — hãy liên hệ quản trị hệ thống.</p>");
}

/* A number of days (declared as text: a bad one is the settings' own 422). */
static int day_count(web *w, const char *name)
{
	const char *s = web_in_text(w, name);
	if (!s) return 0;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 || v > 60 ? -1 : (int)v;
}

void autoremind_round_section(web *w, const round_view *v, bool manage)
{
	autoremind_settings s;
	autoremind_get(w->d, v->r.id, &s);
	int64_t sent = 0;
	autoremind_count(w->d, v->r.id, &sent);
	bool on = s.days_before || s.on_day || s.days_after;
	html_f(w->out, "<section class=\"card\" id=\"nhac-tu-dong\"><h2>Nhắc hạn tự động</h2>");
	if (on) {
		html_f(w->out, "<p>Chiso tự gửi e-mail đến thủ trưởng các đơn vị chưa gửi hồ sơ:");
		if (s.days_before) html_f(w->out, " %d ngày trước hạn;", s.days_before);
		if (s.on_day) html_f(w->out, " đúng ngày hết hạn;");
		if (s.days_after) html_f(w->out, " %d ngày sau hạn;", s.days_after);
		html_f(w->out, " mỗi lần nhắc chỉ gửi một lần. Đã gửi %D lượt nhắc.</p>", sent);
	} else {
		html_f(w->out, "<p>Chưa bật nhắc hạn tự động cho đợt này.</p>");
	}
	if (!web_mail_configured(w)) web_mail_unconfigured_note(w);
	if (manage) {
		html_f(w->out, "<form method=\"post\" action=\"/dot/%D/nhac-tu-dong\" class=\"no-print inline-form\">", v->r.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Số ngày nhắc trước hạn (0: không nhắc)<input type=\"number\" name=\"truoc\" min=\"0\" max=\"60\" value=\"%d\"></label>"
		               "<label class=\"opt\"><input type=\"checkbox\" name=\"dung_ngay\" value=\"1\"%h> Nhắc đúng ngày hết hạn</label>"
		               "<label>Số ngày nhắc sau hạn (0: không nhắc)<input type=\"number\" name=\"sau\" min=\"0\" max=\"60\" value=\"%d\"></label>"
		               "<button type=\"submit\">Lưu cài đặt nhắc hạn</button></form>",
		       s.days_before, s.on_day ? " checked" : "", s.days_after);
	}
	html_f(w->out, "</section>");
}

static void round_settings_post(web *w)
{
	const round_view *v = w->round;
	if (v->closed) { web_error(w, 409, "Đợt đánh giá đã kết thúc."); return; }
	autoremind_settings s = { .round_id = v->r.id, .days_before = day_count(w, "truoc"), .on_day = web_in_bool(w, "dung_ngay"),
	                          .days_after = day_count(w, "sau") };
	if (s.days_before < 0 || s.days_after < 0) { web_error(w, 422, "Số ngày nhắc phải là số nguyên từ 0 đến 60."); return; }
	int rc = autoremind_set(w->d, w->account_id, &s);
	if (rc != DB_OK) { web_error(w, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld", (long long)v->r.id), "da-luu");
}

/* ---- /quan-tri/thu: the SMTP server ------------------------------------------------ */

static void mail_page(web *w, const char *error)
{
	mail_config c;
	bool from_page;
	smtp_config_load(w->d, w->app->secret, w->a, &c, &from_page);
	char *sealed = NULL;
	smtp_config_sealed(w->d, w->a, &sealed);
	page_begin(w, "Quản trị — Gửi thư");
	html_f(w->out, "<p class=\"crumbs no-print\"><a href=\"/quan-tri/don-vi\">Quản trị</a></p><h1>Gửi thư (máy chủ SMTP)</h1>");
	if (error) html_f(w->out, "<div class=\"error-msg\" role=\"alert\"><p>%h</p></div>", error);
	html_f(w->out, "<section class=\"card\"><p>%h</p>",
	       mail_config_usable(&c) ? (from_page ? "Đang gửi thư qua máy chủ đặt ở trang này." : "Đang gửi thư qua máy chủ đặt trong biến môi trường CHISO_SMTP_URL.")
	                              : "Chưa cấu hình gửi thư: thư nhắc hạn (bằng tay và tự động) chưa gửi được.");
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/thu\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Địa chỉ máy chủ (smtp://máy:587 hoặc smtps://máy:465; để trống để bỏ cấu hình)"
	               "<input name=\"url\" value=\"%a\" autocomplete=\"off\" placeholder=\"smtp://mail.sgddt.gov.vn:587\"></label>"
	               "<label>Địa chỉ người gửi<input type=\"email\" name=\"from\" value=\"%a\" placeholder=\"cds@sgddt.gov.vn\"></label>"
	               "<label>Tên đăng nhập (không bắt buộc)<input name=\"user\" value=\"%a\" autocomplete=\"off\"></label>"
	               "<label>Mật khẩu (%h)<input type=\"password\" name=\"password\" autocomplete=\"new-password\"></label>"
	               "<label class=\"opt\"><input type=\"checkbox\" name=\"xoa_mat_khau\" value=\"1\"> Xoá mật khẩu đã lưu</label>"
	               "<label class=\"opt\"><input type=\"checkbox\" name=\"insecure\" value=\"1\"%h> Cho gửi mật khẩu không mã hoá (chỉ dùng thử nghiệm)</label>"
	               "<p class=\"explain\">Mật khẩu được mã hoá bằng khoá bí mật của máy chủ trước khi lưu, không bao giờ hiện lại.</p>"
	               "<button type=\"submit\">Lưu cấu hình gửi thư</button></form></section>",
	       from_page && c.url ? c.url : "", from_page && c.from ? c.from : "", from_page && c.user ? c.user : "",
	       sealed ? "đã lưu; để trống để giữ nguyên" : "chưa lưu", from_page && c.insecure ? " checked" : "");
	page_end(w);
}

static void mail_get(web *w)
{
	mail_page(w, NULL);
}

static void mail_post(web *w)
{
	mail_config c = { web_in_text(w, "url"), web_in_text(w, "from"), web_in_text(w, "user"), web_in_text(w, "password"),
	                  web_in_bool(w, "insecure") };
	int rc = smtp_config_save(w->d, w->account_id, w->app->secret, &c, web_in_bool(w, "xoa_mat_khau"));
	if (rc == DB_EINVAL) {
		w->r->status = 422;
		mail_page(w, arena_strdup(w->a, db_errmsg(w->d)));
		db_clear_error(w->d);
		return;
	}
	if (rc != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, "/quan-tri/thu", "da-luu");
}

/* The days before and after the deadline are text: "0 to 60" is the
 * settings' own 422 with its message. */
static const web_input settings_inputs[] = {
	{ .name = "truoc", .type = WEB_IN_TEXT, .max = 16, .label = "số ngày nhắc trước hạn" },
	{ .name = "dung_ngay", .type = WEB_IN_BOOL, .label = "nhắc đúng ngày hết hạn" },
	{ .name = "sau", .type = WEB_IN_TEXT, .max = 16, .label = "số ngày nhắc sau hạn" },
	{ .name = NULL },
};

/* The SMTP server: its address's form is smtp_config's (422, the page
 * again); the password is taken byte for byte. */
static const web_input mail_inputs[] = {
	{ .name = "url", .type = WEB_IN_TEXT, .max = 500, .label = "địa chỉ máy chủ thư" },
	{ .name = "from", .type = WEB_IN_TEXT, .max = 254, .label = "địa chỉ người gửi" },
	{ .name = "user", .type = WEB_IN_TEXT, .max = 254, .label = "tên đăng nhập" },
	{ .name = "password", .type = WEB_IN_SECRET, .max = 1024, .label = "mật khẩu" },
	{ .name = "xoa_mat_khau", .type = WEB_IN_BOOL, .label = "xoá mật khẩu đã lưu" },
	{ .name = "insecure", .type = WEB_IN_BOOL, .label = "cho gửi mật khẩu không mã hoá" },
	{ .name = NULL },
};

const web_route page_autoremind_routes[] = {
	{ "POST", "/dot/{id}/nhac-tu-dong", round_settings_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = settings_inputs },
	{ "GET", "/quan-tri/thu", mail_get, WEB_SIGNED_IN, .load = WEB_LOAD_SERVER },
	{ "POST", "/quan-tri/thu", mail_post, WEB_SIGNED_IN, .load = WEB_LOAD_SERVER, .inputs = mail_inputs },
	{ NULL, NULL, NULL, 0 },
};
