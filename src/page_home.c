/* page_home.c — the signed-in home page: the account's roles and, per
 * role, where to go next. */
#include "q_account.h"
#include "q_unit.h"
#include "web.h"

static void home(web *w)
{
	page_begin(w, "Trang chủ");
	html_f(w->out, "<h1>Xin chào, %h</h1>", w->account_name);
	if (w->ngrants == 0)
		html_f(w->out, "<p>Tài khoản của bạn chưa được phân quyền. Hãy liên hệ quản trị viên của đơn vị.</p>");
	html_f(w->out, "<ul class=\"roles\">");
	for (size_t i = 0; i < w->ngrants; i++) {
		unit u = { 0 };
		bool has_unit = w->grants[i].unit_id && unit_get(w->d, w->grants[i].unit_id, w->a, &u) == DB_OK;
		html_f(w->out, "<li>%h%h%h</li>", authz_role_label(w->grants[i].role), has_unit ? " — " : "",
		       has_unit ? u.name : "");
	}
	html_f(w->out, "</ul>");
	page_end(w);
}

const web_route page_home_routes[] = {
	{ "GET", "/", home, WEB_SIGNED_IN },
	{ NULL, NULL, NULL, 0 },
};
