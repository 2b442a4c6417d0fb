/* page_derived.c — the office chooses the basis of its derived items (3806
 * group 2) and the date their results are taken at (q_derived.h); the form
 * is on the office's assessment page (web_derived.c). */
#include "q_derived.h"
#include "web_assess.h"

static const char *const basis_values[] = { "recognition", "external", "self", "chain", NULL };

static const web_input basis_inputs[] = {
	{ .name = "co_so", .type = WEB_IN_ENUM, .values = basis_values, .label = "cơ sở tính" },
	{ .name = "ngay", .type = WEB_IN_DATE, .label = "ngày lấy kết quả" },
	{ .name = NULL },
};

static void basis_post(web *w)
{
	assess_view *v = w->view;
	derived_basis b = DERIVED_RECOGNISED;
	if (!assess_has_derived(v->fw) || !derived_basis_parse(web_in_text(w, "co_so"), &b)) {
		web_error(w, 400, "Bộ chỉ số của hồ sơ này không có mục tính từ kết quả các đơn vị.");
		return;
	}
	int rc = derived_choice_set(w->d, w->account_id, v->as.id, b, web_in_text(w, "ngay"));
	if (rc != DB_OK) {
		web_error(w, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld", (long long)v->as.id), "da-luu");
}

const web_route page_derived_routes[] = {
	{ "POST", "/danh-gia/{id}/co-so-tinh", basis_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT,
	  .action = AUTHZ_EDIT_SELF_ANSWER, .inputs = basis_inputs },
	{ NULL, NULL, NULL, 0 },
};
