/* page_inspection.c — the self-inspection data of seed 003's report form
 * (q_doc.h: self_inspections, software_in_use) entered on the web instead of
 * as JSON through `chiso doc inspection`: staff by category, the work on IT
 * and digital transformation under seed 003's six headings of part II.1,
 * the software in use with its purpose and fee, the contact that criterion
 * 2.1 asks for, the school's recommendations. The report (doc_school.c)
 * prints them.
 *
 * Every field may be left empty and saved: a draft, whose empty numbers the
 * report prints as dots. What is typed is checked (whole numbers ≥ 0, parts
 * not above their total, a fee only for a paid program, an e-mail of its
 * shape, a telephone of 9 to 12 digits); a refusal shows the form again with
 * what was typed and every message at once — the form is `novalidate`, so
 * a browser does not stop at the first field it dislikes, with or without
 * JavaScript.
 *
 * Who: anyone who may view the assessment reads it; those who may edit the
 * self-assessment (principal, council) save it. */
#include "q_doc.h"
#include "util.h"
#include "web.h"
#include "web_assess.h"
#include "web_school.h"
#include <stdlib.h>
#include <string.h>

#define SW_ROWS_EXTRA 3      /* empty software rows offered below the entered ones */
#define SW_ROWS_MAX 30

typedef struct staff_field {
	const char *name, *label;
	size_t offset;           /* in self_inspection */
} staff_field;

static const staff_field staff_fields[] = {
	{ "tong_so", "Tổng số CB-GV-CNV", offsetof(self_inspection, staff_total) },
	{ "can_bo_quan_ly", "Cán bộ quản lý", offsetof(self_inspection, managers) },
	{ "hieu_truong", "Hiệu trưởng", offsetof(self_inspection, principals) },
	{ "pho_hieu_truong", "Phó Hiệu trưởng", offsetof(self_inspection, vice_principals) },
	{ "giao_vien", "Giáo viên", offsetof(self_inspection, teachers) },
	{ "giao_vien_thua", "Giáo viên thừa", offsetof(self_inspection, teachers_surplus) },
	{ "giao_vien_thieu", "Giáo viên thiếu", offsetof(self_inspection, teachers_shortage) },
	{ "nhan_vien", "Nhân viên", offsetof(self_inspection, staff) },
	{ "nv_bien_che", "Nhân viên hợp đồng trong chỉ tiêu biên chế", offsetof(self_inspection, staff_in_quota) },
	{ "nv_hop_dong", "Nhân viên hợp đồng trường", offsetof(self_inspection, staff_school_contract) },
};

typedef struct contact_field {
	const char *name, *label, *type, *autocomplete;
	int maxlength;
	size_t offset;           /* in self_inspection */
} contact_field;

static const contact_field contact_fields[] = {
	{ "lh_ho_ten", "Họ tên", "text", "name", 200, offsetof(self_inspection, contact_name) },
	{ "lh_chuc_vu", "Chức vụ", "text", "organization-title", 200, offsetof(self_inspection, contact_title) },
	{ "lh_email", "Email", "email", "email", 254, offsetof(self_inspection, contact_email) },
	{ "lh_dien_thoai", "Điện thoại", "tel", "tel", 30, offsetof(self_inspection, contact_phone) },
};

static const char **contact_of(self_inspection *s, const contact_field *f)
{
	return (const char **)((char *)s + f->offset);
}

static const char *work_name(web *w, size_t i)
{
	return arena_printf(w->a, "cong_tac_%zu", i + 1);
}

static int64_t *field_of(self_inspection *s, const staff_field *f)
{
	return (int64_t *)((char *)s + f->offset);
}

/* "" or absent → unknown; digits → the number; anything else → false. */
static bool parse_count(const char *in, int64_t *out)
{
	*out = INSPECTION_UNKNOWN;
	if (!in || !*in) return true;
	if (strlen(in) > 7 || strspn(in, "0123456789") != strlen(in)) return false;
	*out = atoll(in);
	return true;
}

/* "150.000" or "150000" đồng; "" → 0 (not given). */
static bool parse_fee(const char *in, int64_t *out)
{
	*out = 0;
	if (!in || !*in) return true;
	int64_t v = 0;
	size_t digits = 0;
	for (const char *p = in; *p; p++) {
		if (*p == '.' || *p == ' ') continue;
		if (*p < '0' || *p > '9' || ++digits > 12) return false;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return digits > 0;
}

typedef struct form {
	self_inspection s;
	software_use *sw;
	size_t nsw;
	buf errors;              /* one "<li>" message a line, escaped at render */
	size_t nerrors;
} form;

static void form_error(web *w, form *f, const char *msg)
{
	buf_printf(&f->errors, "%s\n", msg);
	f->nerrors++;
	(void)w;
}

/* Parts never above their whole, when both are given. */
static void check_parts(web *w, form *f, int64_t whole, const char *whole_label, int64_t a, int64_t b,
                        const char *parts_label)
{
	if (whole == INSPECTION_UNKNOWN) return;
	int64_t sum = (a > 0 ? a : 0) + (b > 0 ? b : 0);
	if (sum > whole)
		form_error(w, f, arena_printf(w->a, "%s (%lld) nhiều hơn %s (%lld).", parts_label, (long long)sum,
		                              whole_label, (long long)whole));
}

static void form_read(web *w, int64_t assessment_id, form *f)
{
	memset(f, 0, sizeof *f);
	buf_init(&f->errors);
	f->s.assessment_id = assessment_id;
	for (size_t i = 0; i < ARRAY_LEN(staff_fields); i++) {
		const staff_field *sf = &staff_fields[i];
		if (!parse_count(web_in_text(w, sf->name), field_of(&f->s, sf)))
			form_error(w, f, arena_printf(w->a, "%s: ghi một số nguyên không âm (ví dụ 12), hoặc để trống.", sf->label));
	}
	check_parts(w, f, f->s.staff_total, "tổng số CB-GV-CNV", f->s.managers, f->s.teachers, "Cán bộ quản lý và giáo viên");
	check_parts(w, f, f->s.managers, "số cán bộ quản lý", f->s.principals, f->s.vice_principals, "Hiệu trưởng và phó hiệu trưởng");
	check_parts(w, f, f->s.staff, "số nhân viên", f->s.staff_in_quota, f->s.staff_school_contract, "Nhân viên hợp đồng");
	f->s.work_summary = web_in_text(w, "cong_tac");
	for (size_t i = 0; i < INSPECTION_NWORK; i++) f->s.work[i] = web_in_text(w, work_name(w, i));
	f->s.recommendations = web_in_text(w, "kien_nghi");
	for (size_t i = 0; i < ARRAY_LEN(contact_fields); i++) {
		*contact_of(&f->s, &contact_fields[i]) = web_in_text(w, contact_fields[i].name);
	}
	if (f->s.contact_email && !inspection_email_valid(f->s.contact_email))
		form_error(w, f, "Email người phụ trách (mục 2.1): không đúng dạng địa chỉ thư (ví dụ: ten@truong.edu.vn).");
	if (f->s.contact_phone && !inspection_phone_valid(f->s.contact_phone))
		form_error(w, f, "Điện thoại người phụ trách (mục 2.1): ghi 9 đến 12 chữ số (ví dụ 0905 123 456).");
	f->sw = arena_alloc(w->a, SW_ROWS_MAX * sizeof *f->sw);
	for (int i = 0; i < SW_ROWS_MAX; i++) {
		const char *name = web_in_text(w, arena_printf(w->a, "pm_ten_%d", i));
		const char *purpose = web_in_text(w, arena_printf(w->a, "pm_muc_dich_%d", i));
		const char *vendor = web_in_text(w, arena_printf(w->a, "pm_don_vi_%d", i));
		const char *fee = web_in_text(w, arena_printf(w->a, "pm_phi_%d", i));
		const char *note = web_in_text(w, arena_printf(w->a, "pm_ghi_chu_%d", i));
		bool paid = web_in_bool(w, arena_printf(w->a, "pm_thu_phi_%d", i));
		bool any = (purpose && *purpose) || (vendor && *vendor) || (fee && *fee) || (note && *note) || paid;
		if (!name || !*name) {
			if (any) form_error(w, f, arena_printf(w->a, "Phần mềm dòng %d: cần ghi tên phần mềm.", i + 1));
			continue;
		}
		software_use *s = &f->sw[f->nsw++];
		*s = (software_use){ .name = name, .purpose = purpose, .vendor = vendor, .paid = paid, .fee_note = note };
		if (!parse_fee(fee, &s->fee_vnd))
			form_error(w, f, arena_printf(w->a, "Phần mềm “%s”: mức phí ghi bằng số đồng (ví dụ 150.000).", name));
		else if (s->fee_vnd && !paid)
			form_error(w, f, arena_printf(w->a, "Phần mềm “%s”: có mức phí nhưng chưa đánh dấu “Có thu phí”.", name));
	}
}

static void count_input(web *w, const staff_field *sf, const char *value)
{
	html_f(w->out, "<label>%h<input name=\"%a\" inputmode=\"numeric\" pattern=\"[0-9]*\" maxlength=\"7\" value=\"%a\"></label>",
	       sf->label, sf->name, value);
}

static const char *count_text(web *w, int64_t v)
{
	return v == INSPECTION_UNKNOWN ? "" : arena_printf(w->a, "%lld", (long long)v);
}

/* II.1: a general text, then one text under each of seed 003's headings. */
static void work_fields(web *w, const self_inspection *s, bool retyped)
{
	html_f(w->out, "<fieldset><legend>II.1. Công tác ứng dụng công nghệ thông tin và chuyển đổi số</legend>"
	               "<label>Nhận xét chung (nếu có)<textarea name=\"cong_tac\" rows=\"3\" maxlength=\"20000\">%h</textarea></label>",
	       retyped ? web_in_text(w, "cong_tac") : s->work_summary);
	for (size_t i = 0; i < INSPECTION_NWORK; i++) {
		const char *name = work_name(w, i);
		html_f(w->out, "<label>%z. %h<textarea name=\"%a\" rows=\"4\" maxlength=\"20000\">%h</textarea></label>",
		       i + 1, inspection_work_heading(i), name, retyped ? web_in_text(w, name) : s->work[i]);
	}
	html_f(w->out, "</fieldset>");
}

/* II.2, criterion 2.1: the person in charge of digital transformation. */
static void contact_inputs(web *w, const self_inspection *s, bool retyped)
{
	html_f(w->out, "<fieldset><legend>Người phụ trách chuyển đổi số (tiêu chí 2.1)</legend>");
	for (size_t i = 0; i < ARRAY_LEN(contact_fields); i++) {
		const contact_field *cf = &contact_fields[i];
		const char *val = retyped ? web_in_text(w, cf->name) : *contact_of((self_inspection *)s, cf);
		html_f(w->out, "<label>%h<input type=\"%a\" name=\"%a\" autocomplete=\"%a\" maxlength=\"%d\" value=\"%a\"></label>",
		       cf->label, cf->type, cf->name, cf->autocomplete, cf->maxlength, val);
	}
	html_f(w->out, "</fieldset>");
}

/* The form, from the stored values or (retyped) from the request. */
static void render(web *w, assess_view *v, const self_inspection *s, const software_use *sw, size_t nsw,
                   bool retyped, const form *f, bool can_edit)
{
	page_begin(w, arena_printf(w->a, "Số liệu tự kiểm tra — %s", v->u.name));
	html_f(w->out, "<section class=\"card summary\"><h1>Số liệu báo cáo tự kiểm tra</h1><p>%h — %h. "
	               "Các số liệu này in vào Báo cáo kết quả tự kiểm tra (mẫu báo cáo của Sở); ô để trống in thành dấu chấm để điền tay.</p></section>",
	       v->u.name, v->round.title);
	school_tabs(w, v, "van-ban");
	if (f && f->nerrors) {
		html_f(w->out, "<div class=\"error-msg\" role=\"alert\"><p>Chưa lưu: %z chỗ cần sửa.</p><ul>", f->nerrors);
		const char *p = buf_str((buf *)&f->errors);
		while (*p) {
			const char *nl = strchr(p, '\n');
			html_f(w->out, "<li>%h</li>", arena_strndup(w->a, p, (size_t)(nl - p)));
			p = nl + 1;
		}
		html_f(w->out, "</ul></div>");
	}
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/tu-kiem-tra\" class=\"card\" novalidate>", v->as.id);
	web_csrf_field(w);
	html_f(w->out, "<fieldset><legend>I. Đặc điểm tình hình nhân sự</legend>");
	for (size_t i = 0; i < ARRAY_LEN(staff_fields); i++) {
		const staff_field *sf = &staff_fields[i];
		const char *val = retyped ? web_in_text(w, sf->name) : count_text(w, *field_of((self_inspection *)s, sf));
		count_input(w, sf, val);
	}
	html_f(w->out, "</fieldset>");
	work_fields(w, s, retyped);
	html_f(w->out, "<fieldset><legend>Các phần mềm đang sử dụng (mục 4 ở trên)</legend><div class=\"table-wrap\"><table><thead><tr><th>Tên phần mềm</th>"
	               "<th>Mục đích sử dụng</th><th>Đơn vị cung cấp</th><th>Có thu phí</th><th>Mức phí (đồng)</th><th>Ghi chú phí</th>"
	               "</tr></thead><tbody>");
	size_t rows = nsw + SW_ROWS_EXTRA > SW_ROWS_MAX ? SW_ROWS_MAX : nsw + SW_ROWS_EXTRA;
	for (size_t i = 0; i < rows; i++) {
		const software_use *x = i < nsw ? &sw[i] : NULL;
		int k = (int)i;
		const char *fee = retyped ? web_in_text(w, arena_printf(w->a, "pm_phi_%d", k))
		                  : x && x->fee_vnd ? arena_printf(w->a, "%lld", (long long)x->fee_vnd) : NULL;
		bool paid = retyped ? web_in_bool(w, arena_printf(w->a, "pm_thu_phi_%d", k)) : x && x->paid;
		html_f(w->out, "<tr><td><input name=\"pm_ten_%d\" maxlength=\"200\" value=\"%a\" aria-label=\"Tên phần mềm dòng %d\"></td>"
		               "<td><input name=\"pm_muc_dich_%d\" maxlength=\"500\" value=\"%a\" aria-label=\"Mục đích sử dụng dòng %d\"></td>"
		               "<td><input name=\"pm_don_vi_%d\" maxlength=\"200\" value=\"%a\" aria-label=\"Đơn vị cung cấp dòng %d\"></td>"
		               "<td><input type=\"checkbox\" name=\"pm_thu_phi_%d\" value=\"1\" aria-label=\"Có thu phí dòng %d\"",
		       k, retyped ? web_in_text(w, arena_printf(w->a, "pm_ten_%d", k)) : x ? x->name : NULL, k + 1,
		       k, retyped ? web_in_text(w, arena_printf(w->a, "pm_muc_dich_%d", k)) : x ? x->purpose : NULL, k + 1,
		       k, retyped ? web_in_text(w, arena_printf(w->a, "pm_don_vi_%d", k)) : x ? x->vendor : NULL, k + 1, k, k + 1);
		if (paid) html_f(w->out, " checked");
		html_f(w->out, "></td><td><input name=\"pm_phi_%d\" inputmode=\"numeric\" maxlength=\"20\" value=\"%a\" aria-label=\"Mức phí dòng %d\"></td>"
		               "<td><input name=\"pm_ghi_chu_%d\" maxlength=\"200\" value=\"%a\" placeholder=\"/học sinh/năm\" aria-label=\"Ghi chú phí dòng %d\"></td></tr>",
		       k, fee, k + 1, k, retyped ? web_in_text(w, arena_printf(w->a, "pm_ghi_chu_%d", k)) : x ? x->fee_note : NULL, k + 1);
	}
	html_f(w->out, "</tbody></table></div></fieldset>");
	contact_inputs(w, s, retyped);
	html_f(w->out, "<fieldset><legend>III. Kiến nghị, đề xuất</legend>"
	               "<label>Kiến nghị<textarea name=\"kien_nghi\" rows=\"5\" maxlength=\"20000\">%h</textarea></label></fieldset>",
	       s->recommendations);
	if (can_edit)
		html_f(w->out, "<p class=\"actions\"><button type=\"submit\">Lưu (có thể lưu dở, bổ sung sau)</button> "
		               "<a href=\"/danh-gia/%D/van-ban?loai=bao-cao#lap\">Lập báo cáo</a></p>", v->as.id);
	html_f(w->out, "</form>");
	page_end(w);
}

/* The school's own people: who may edit the self-assessment, or (once the
 * answers are locked by approval or submission, while the report is still
 * being written) who manages the school's council — the principal. */
static bool may_edit(web *w, assess_view *v)
{
	return assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, NULL, NULL) ||
	       assess_allowed(w, v, AUTHZ_MANAGE_COUNCIL, NULL, NULL);
}

static void inspection_get_page(web *w)
{
	assess_view *v = w->view;   /* declared: the school's private data, loaded and freed by the dispatcher */
	self_inspection s;
	software_use *sw = NULL;
	size_t nsw = 0;
	if (inspection_get(w->d, v->as.id, w->a, &s, &sw, &nsw) != DB_OK) {
		db_clear_error(w->d);
		memset(&s, 0, sizeof s);
		for (size_t i = 0; i < ARRAY_LEN(staff_fields); i++) *field_of(&s, &staff_fields[i]) = INSPECTION_UNKNOWN;
	}
	render(w, v, &s, sw, nsw, false, NULL, may_edit(w, v));
}

static void inspection_post(web *w)
{
	assess_view *v = w->view;
	if (!may_edit(w, v)) {
		web_error(w, 403, "Chỉ nhà trường (hiệu trưởng, hội đồng tự đánh giá) nhập số liệu tự kiểm tra.");
		return;
	}
	form f;
	form_read(w, v->as.id, &f);
	int rc = f.nerrors ? DB_EINVAL : inspection_save(w->d, w->account_id, &f.s, f.sw, f.nsw);
	if (rc == DB_OK) {
		buf_free(&f.errors);
		web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld/tu-kiem-tra", (long long)v->as.id), "da-luu");
		return;
	}
	if (!f.nerrors) form_error(w, &f, db_errmsg(w->d));
	w->r->status = rc == DB_EINVAL ? 422 : 500;
	render(w, v, &f.s, f.sw, f.nsw, true, &f, true);
	buf_free(&f.errors);
}

/* The form's fields, limits as the store's (q_doc.c). The counts stay text
 * here: the form checks them itself and lists every mistake at once (422,
 * the form again), as it does the software rows — fields numbered per row
 * (pm_ten_0, …): prefixes. */
static const web_input inspection_inputs[] = {
	{ .name = "tong_so", .type = WEB_IN_TEXT, .max = 32, .label = "tổng số CB-GV-CNV" },
	{ .name = "can_bo_quan_ly", .type = WEB_IN_TEXT, .max = 32, .label = "cán bộ quản lý" },
	{ .name = "hieu_truong", .type = WEB_IN_TEXT, .max = 32, .label = "hiệu trưởng" },
	{ .name = "pho_hieu_truong", .type = WEB_IN_TEXT, .max = 32, .label = "phó hiệu trưởng" },
	{ .name = "giao_vien", .type = WEB_IN_TEXT, .max = 32, .label = "giáo viên" },
	{ .name = "giao_vien_thua", .type = WEB_IN_TEXT, .max = 32, .label = "giáo viên thừa" },
	{ .name = "giao_vien_thieu", .type = WEB_IN_TEXT, .max = 32, .label = "giáo viên thiếu" },
	{ .name = "nhan_vien", .type = WEB_IN_TEXT, .max = 32, .label = "nhân viên" },
	{ .name = "nv_bien_che", .type = WEB_IN_TEXT, .max = 32, .label = "nhân viên hợp đồng trong chỉ tiêu biên chế" },
	{ .name = "nv_hop_dong", .type = WEB_IN_TEXT, .max = 32, .label = "nhân viên hợp đồng trường" },
	{ .name = "cong_tac", .type = WEB_IN_TEXT, .max = 20000, .label = "nhận xét chung về công tác ứng dụng CNTT, chuyển đổi số" },
	{ .name = "cong_tac_", .type = WEB_IN_TEXT, .max = 20000, .prefix = true, .label = "công tác ứng dụng CNTT, chuyển đổi số" },
	{ .name = "kien_nghi", .type = WEB_IN_TEXT, .max = 20000, .label = "kiến nghị" },
	{ .name = "lh_ho_ten", .type = WEB_IN_TEXT, .max = 200, .label = "họ tên người phụ trách" },
	{ .name = "lh_chuc_vu", .type = WEB_IN_TEXT, .max = 200, .label = "chức vụ người phụ trách" },
	{ .name = "lh_email", .type = WEB_IN_TEXT, .max = 254, .label = "email người phụ trách" },
	{ .name = "lh_dien_thoai", .type = WEB_IN_TEXT, .max = 30, .label = "điện thoại người phụ trách" },
	{ .name = "pm_ten_", .type = WEB_IN_TEXT, .max = 300, .prefix = true, .label = "tên phần mềm" },
	{ .name = "pm_muc_dich_", .type = WEB_IN_TEXT, .max = 2000, .prefix = true, .label = "mục đích sử dụng phần mềm" },
	{ .name = "pm_don_vi_", .type = WEB_IN_TEXT, .max = 300, .prefix = true, .label = "đơn vị cung cấp phần mềm" },
	{ .name = "pm_thu_phi_", .type = WEB_IN_BOOL, .prefix = true, .label = "có thu phí" },
	{ .name = "pm_phi_", .type = WEB_IN_TEXT, .max = 32, .prefix = true, .label = "mức phí" },
	{ .name = "pm_ghi_chu_", .type = WEB_IN_TEXT, .max = 300, .prefix = true, .label = "ghi chú mức phí" },
	{ .name = NULL },
};

const web_route page_inspection_routes[] = {
	{ "GET", "/danh-gia/{id}/tu-kiem-tra", inspection_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW },
	/* who may write is finer than the route can say (may_edit): the handler asks authz.c */
	{ "POST", "/danh-gia/{id}/tu-kiem-tra", inspection_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW,
	  .inputs = inspection_inputs },
	{ NULL, NULL, NULL, 0 },
};
