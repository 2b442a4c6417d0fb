/* page_admin_fw_edit.c — /quan-tri/bo-chi-so/{id}/sua: the rule editor of
 * a framework draft (an imported annex table, or any uploaded file not
 * yet published). Per leaf the kind of rule and its parameters, each
 * rule the import inferred marked for review; saving one item's rule
 * stores the draft again (framework_draft_update, audited as
 * framework.edit) with the source tag the reviewer chose, then the page
 * shows the checks again (fw_edit_check and the loader's own) and a
 * preview that scores two sample sheets with the engine. Publishing is
 * the existing Công bố (page_admin_frameworks.c), refused while the draft
 * does not load. System administrators only (AUTHZ_MANAGE_FRAMEWORKS).
 * Works without JavaScript; chiso.js only hides the fields of the other
 * kinds of rule. */
#include "fw_edit.h"
#include "page_admin.h"
#include "page_admin_fw_edit.h"
#include "q_framework.h"
#include "score.h"
#include "util.h"
#include "web_office.h"
#include <stdlib.h>
#include <string.h>

static const char *const kind_values[] = { "gate", "yes_no", "up_to", "alternatives", "tiered", "ratio", "ratio_by_type",
	"count", "info", "derived", NULL };
static const char *const source_values[] = { "official", "seed", "third-party", "test", NULL };
static const char *const cmp_values[] = { "ge", "le", NULL };
static const char *const unit_values[] = { "percent", "ratio", NULL };
static const char *const mode_values[] = { "threshold", "proportional", NULL };
static const char *const dmeasure_values[] = { "share_at_least_level", "average_score", NULL };
static const char *const effect_values[] = { "zero_group", "flag_only", NULL };
static const char *const type_values[] = { "mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx", "phong", "so", NULL };

const web_input fw_edit_view_inputs[] = {
	{ .name = "da_luu", .type = WEB_IN_TEXT, .max = 64, .label = "mục đã lưu" },
	{ .name = "loai_hinh", .type = WEB_IN_ENUM, .values = type_values, .label = "loại hình chấm thử" },
	{ .name = NULL },
};

const web_input fw_edit_save_inputs[] = {
	{ .name = "ma", .type = WEB_IN_TEXT, .max = 64, .label = "mã mục" },
	{ .name = "loai", .type = WEB_IN_ENUM, .values = kind_values, .label = "cách chấm" },
	{ .name = "nguon", .type = WEB_IN_ENUM, .values = source_values, .label = "nguồn" },
	{ .name = "diem", .type = WEB_IN_TEXT, .max = 32, .label = "điểm" },
	{ .name = "nguong", .type = WEB_IN_TEXT, .max = 32, .label = "ngưỡng" },
	{ .name = "so_sanh", .type = WEB_IN_ENUM, .values = cmp_values, .label = "chiều so sánh" },
	{ .name = "don_vi", .type = WEB_IN_ENUM, .values = unit_values, .label = "đơn vị" },
	{ .name = "che_do", .type = WEB_IN_ENUM, .values = mode_values, .label = "cách tính" },
	{ .name = "do_luong", .type = WEB_IN_TEXT, .max = 500, .label = "đại lượng đo" },
	{ .name = "lua_chon", .type = WEB_IN_TEXT, .max = 4000, .label = "các lựa chọn" },
	{ .name = "thanh_phan", .type = WEB_IN_TEXT, .max = 4000, .label = "các thành phần" },
	{ .name = "tru", .type = WEB_IN_TEXT, .max = 32, .label = "điểm trừ" },
	{ .name = "san", .type = WEB_IN_TEXT, .max = 32, .label = "điểm sàn" },
	{ .name = "toi_da", .type = WEB_IN_TEXT, .max = 32, .label = "điểm tối đa" },
	{ .name = "nguong_loai", .type = WEB_IN_TEXT, .max = 1000, .label = "ngưỡng theo loại hình" },
	{ .name = "dl_do", .type = WEB_IN_ENUM, .values = dmeasure_values, .label = "đại lượng tổng hợp" },
	{ .name = "dl_muc", .type = WEB_IN_TEXT, .max = 8, .label = "mức" },
	{ .name = "dl_cua", .type = WEB_IN_TEXT, .max = 64, .label = "lấy trung bình của" },
	{ .name = "hieu_luc", .type = WEB_IN_ENUM, .values = effect_values, .label = "hệ quả khi không đạt" },
	{ .name = NULL },
};

/* The draft {id}: its row and JSON, or NULL with the error page sent. */
static json_t *draft_load(web *w, framework_version *v)
{
	if (!admin_gate(w)) return NULL;
	authz_decision why;
	if (!may_publish_frameworks(w, &why)) { web_error(w, 403, why.message); return NULL; }
	const char *text = NULL;
	if (framework_version_get(w->d, w->ids[0], w->a, v, &text) != DB_OK || !text) {
		web_error(w, 404, "Không tìm thấy bản nháp bộ chỉ số.");
		return NULL;
	}
	if (v->published) { web_error(w, 409, "Phiên bản này đã công bố: không sửa được. Hãy tải lên bản sửa thành phiên bản mới."); return NULL; }
	json_t *root = json_loads(text, 0, NULL);
	if (!root) web_error(w, 500, "Bản nháp không đọc được.");
	return root;
}

/* ---- the rule's current values, for the form ----------------------------------------------- */

static const char *num_text(web *w, json_t *v)
{
	q x;
	if (json_is_integer(v)) return arena_printf(w->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v) && q_from_double(json_real_value(v), 2, &x)) return q_to_text(w->a, x, 2, true);
	return "";
}

static const char *key_text(web *w, json_t *r, const char *key)
{
	json_t *v = json_object_get(r, key);
	return json_is_string(v) ? json_string_value(v) : num_text(w, v);
}

static const char *option_text(web *w, json_t *arr, bool with_points)
{
	buf b;
	buf_init(&b);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		buf_printf(&b, "%s | %s", key_text(w, o, "code"), key_text(w, o, "label"));
		if (with_points) buf_printf(&b, " | %s", key_text(w, o, "points"));
		buf_puts(&b, "\n");
	}
	const char *s = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static const char *threshold_text(web *w, json_t *th)
{
	buf b;
	buf_init(&b);
	const char *k;
	json_t *v;
	json_object_foreach(th, k, v) buf_printf(&b, "%s = %s\n", k, json_is_null(v) ? "" : num_text(w, v));
	const char *s = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static void select_field(web *w, const char *name, const char *label, const char *const *values,
                         const char *const *labels, const char *current)
{
	html_f(w->out, "<label>%h<select name=\"%a\">", label, name);
	for (size_t i = 0; values[i]; i++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", values[i],
		       admin_selected(current && !strcmp(current, values[i])), labels[i]);
	html_f(w->out, "</select></label>");
}

static void text_field(web *w, const char *name, const char *label, const char *value)
{
	html_f(w->out, "<label>%h<input name=\"%a\" value=\"%a\" inputmode=\"decimal\"></label>", label, name, value);
}

static void area_field(web *w, const char *name, const char *label, const char *value, const char *hint)
{
	html_f(w->out, "<label>%h<textarea name=\"%a\" rows=\"4\">%h</textarea><small>%h</small></label>", label, name, value, hint);
}

/* ---- one leaf's form ---------------------------------------------------------------------------- */

static void kind_select(web *w, const char *current)
{
	html_f(w->out, "<label>Cách chấm<select name=\"loai\" class=\"fw-kind\">");
	for (int k = 0; k < RULE_KIND_COUNT; k++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", rule_kind_code((rule_kind)k),
		       admin_selected(current && !strcmp(current, rule_kind_code((rule_kind)k))), rule_kind_name((rule_kind)k));
	html_f(w->out, "</select></label>");
}

static void ratio_fields(web *w, json_t *r)
{
	static const char *const cmp_l[] = { "≥ ngưỡng (từ … trở lên)", "≤ ngưỡng (không quá …)" };
	static const char *const unit_l[] = { "phần trăm (%)", "tỉ số" };
	static const char *const mode_l[] = { "đạt ngưỡng thì đủ điểm", "theo tỉ lệ so với ngưỡng" };
	const char *k = json_string_value(json_object_get(r, "kind"));
	bool count = k && !strcmp(k, "count");
	html_f(w->out, "<fieldset class=\"fw-kinds\" data-kinds=\"ratio count derived\"><legend>Ngưỡng</legend>");
	text_field(w, "nguong", "Ngưỡng (tỉ lệ), số tối thiểu (đếm) hoặc % (tổng hợp)",
	           key_text(w, r, count ? "min" : "threshold"));
	html_f(w->out, "</fieldset><fieldset class=\"fw-kinds\" data-kinds=\"ratio ratio_by_type count derived\"><legend>Cách so sánh</legend>");
	select_field(w, "so_sanh", "Chiều", cmp_values, cmp_l, key_text(w, r, "compare"));
	select_field(w, "don_vi", "Đơn vị", unit_values, unit_l, key_text(w, r, "unit"));
	select_field(w, "che_do", "Cách tính", mode_values, mode_l, key_text(w, r, "mode"));
	html_f(w->out, "<label>Đại lượng đo<input name=\"do_luong\" value=\"%a\"></label></fieldset>",
	       json_is_string(json_object_get(r, "measure")) && !(k && !strcmp(k, "derived")) ? key_text(w, r, "measure") : "");
	html_f(w->out, "<fieldset class=\"fw-kinds\" data-kinds=\"ratio_by_type\"><legend>Ngưỡng theo loại hình</legend>");
	area_field(w, "nguong_loai", "Mỗi dòng một loại hình", threshold_text(w, json_object_get(r, "thresholds")),
	           "tieu_hoc = 5; để trống số: chấm bằng tay");
	html_f(w->out, "</fieldset>");
}

static void option_fields(web *w, json_t *r)
{
	const char *k = json_string_value(json_object_get(r, "kind"));
	bool tiered = k && !strcmp(k, "tiered");
	html_f(w->out, "<fieldset class=\"fw-kinds\" data-kinds=\"alternatives tiered\"><legend>Lựa chọn, bậc</legend>");
	area_field(w, "lua_chon", "Các lựa chọn (hoặc các bậc)", option_text(w, json_object_get(r, tiered ? "tiers" : "options"), true),
	           "mỗi dòng: mã | tên | điểm");
	html_f(w->out, "</fieldset><fieldset class=\"fw-kinds\" data-kinds=\"tiered\"><legend>Trừ điểm theo thành phần</legend>");
	area_field(w, "thanh_phan", "Các thành phần", option_text(w, json_object_get(r, "components"), false), "mỗi dòng: mã | tên");
	text_field(w, "tru", "Trừ mỗi thành phần thiếu", key_text(w, r, "deduction"));
	text_field(w, "san", "Điểm sàn", key_text(w, r, "floor"));
	text_field(w, "toi_da", "Điểm tối đa", key_text(w, r, "max"));
	html_f(w->out, "</fieldset>");
}

static void derived_fields(web *w, json_t *r)
{
	static const char *const dm_l[] = { "tỉ lệ đơn vị đạt từ mức … trở lên", "điểm trung bình" };
	static const char *const eff_l[] = { "nhóm không có điểm", "chỉ ghi nhận" };
	const char *k = json_string_value(json_object_get(r, "kind"));
	bool derived = k && !strcmp(k, "derived");
	html_f(w->out, "<fieldset class=\"fw-kinds\" data-kinds=\"derived\"><legend>Tổng hợp từ đơn vị trực thuộc</legend>");
	select_field(w, "dl_do", "Đại lượng", dmeasure_values, dm_l, derived ? key_text(w, r, "measure") : NULL);
	text_field(w, "dl_muc", "Mức", key_text(w, r, "level"));
	html_f(w->out, "<label>Lấy trung bình của (mã nhóm hoặc total)<input name=\"dl_cua\" value=\"%a\"></label></fieldset>",
	       key_text(w, r, "of"));
	html_f(w->out, "<fieldset class=\"fw-kinds\" data-kinds=\"gate\"><legend>Điều kiện bắt buộc</legend>");
	select_field(w, "hieu_luc", "Khi không đạt", effect_values, eff_l, key_text(w, r, "effect"));
	html_f(w->out, "</fieldset>");
}

static void leaf_form(web *w, int64_t id, const char *code, json_t *r, bool open)
{
	static const char *const src_l[] = { "Theo quyết định (official)", "Văn bản trích dẫn (seed)", "Bên thứ ba (third-party)",
		"Thử nghiệm (test)" };
	const char *src = json_string_value(json_object_get(r, "source"));
	html_f(w->out, "<details class=\"fw-edit\"%h><summary>Sửa cách chấm %h</summary>"
	               "<form method=\"post\" action=\"/quan-tri/bo-chi-so/%D/sua\" class=\"grid-form\">",
	       open ? " open" : "", code, id);
	web_csrf_field(w);
	html_f(w->out, "<input type=\"hidden\" name=\"ma\" value=\"%a\">", code);
	kind_select(w, json_string_value(json_object_get(r, "kind")));
	select_field(w, "nguon", "Nguồn của cách chấm", source_values, src_l, src && strcmp(src, "inferred") != 0 ? src : "official");
	html_f(w->out, "<fieldset class=\"fw-kinds\" data-kinds=\"yes_no up_to ratio ratio_by_type count derived\"><legend>Điểm</legend>");
	text_field(w, "diem", "Điểm (tối đa)", key_text(w, r, "points"));
	html_f(w->out, "</fieldset>");
	ratio_fields(w, r);
	option_fields(w, r);
	derived_fields(w, r);
	html_f(w->out, "<p><button type=\"submit\">Lưu cách chấm %h</button></p></form></details>", code);
}

/* ---- the tree ------------------------------------------------------------------------------------- */

typedef struct edit_ctx {
	int64_t id;
	const framework *fw;     /* NULL while the draft does not load */
	const char *open_code;   /* the form to show open (a refused save) */
} edit_ctx;

static bool is_inferred(json_t *n)
{
	json_t *r = json_object_get(n, "rule");
	const char *rs = json_string_value(json_object_get(r, "source"));
	const char *ns = json_string_value(json_object_get(n, "source"));
	return (rs && !strcmp(rs, "inferred")) || (!rs && ns && !strcmp(ns, "inferred"));
}

static const char *rule_summary(web *w, const edit_ctx *c, const char *code)
{
	const fw_node *n = c->fw ? framework_find(c->fw, code) : NULL;
	if (!n || !n->rule) return "";
	const fw_rule *r = n->rule;
	switch (r->kind) {
	case RULE_GATE: case RULE_INFO: return rule_kind_name(r->kind);
	case RULE_RATIO: case RULE_COUNT:
		return arena_printf(w->a, "%s: %s %s%s thì %s điểm%s", rule_kind_name(r->kind), r->cmp == CMP_GE ? "≥" : "≤",
		                    office_q(w, r->threshold), r->kind == RULE_RATIO && r->unit == UNIT_PERCENT ? "%" : "",
		                    office_q(w, r->points), r->mode == MODE_PROPORTIONAL ? " (theo tỉ lệ)" : "");
	case RULE_ALTERNATIVES: case RULE_TIERED: return arena_printf(w->a, "%s: %zu lựa chọn", rule_kind_name(r->kind), r->noptions);
	default: return arena_printf(w->a, "%s, tối đa %s điểm", rule_kind_name(r->kind), office_q(w, r->points));
	}
}

static void node_rows(web *w, const edit_ctx *c, json_t *n, int depth)
{
	const char *code = json_string_value(json_object_get(n, "code"));
	const char *title = json_string_value(json_object_get(n, "title"));
	json_t *r = json_object_get(n, "rule");
	if (!code) return;
	if (!json_is_object(r)) {
		html_f(w->out, "<tr class=\"depth-%d\"><th scope=\"row\">%h</th><td colspan=\"3\"><strong>%h</strong>", depth, code,
		       title ? title : "");
		if (json_object_get(n, "max")) html_f(w->out, " — tối đa %h điểm", num_text(w, json_object_get(n, "max")));
		html_f(w->out, "</td></tr>");
		const char *key = json_object_get(n, "criteria") ? "criteria" : "items";
		size_t i;
		json_t *ch;
		json_array_foreach(json_object_get(n, key), i, ch) node_rows(w, c, ch, depth + 1);
		return;
	}
	bool inf = is_inferred(n);
	const char *note = json_string_value(json_object_get(n, "note"));
	html_f(w->out, "<tr class=\"depth-%d%h\" id=\"muc-%a\"%h><th scope=\"row\">%h</th><td>%h", depth, inf ? " inferred" : "", code,
	       inf ? " data-inferred=\"1\"" : "", code, title ? title : "");
	if (note) html_f(w->out, "<br><small>%h</small>", note);
	html_f(w->out, "</td><td>%h ", rule_summary(w, c, code));
	if (inf) html_f(w->out, "<span class=\"badge inferred\">Suy ra — cần xem lại</span>");
	else html_f(w->out, "<span class=\"badge\">Nguồn: %h</span>",
	            json_is_string(json_object_get(r, "source")) ? key_text(w, r, "source") : key_text(w, n, "source"));
	html_f(w->out, "</td><td>");
	leaf_form(w, c->id, code, r, c->open_code && !strcmp(c->open_code, code));
	html_f(w->out, "</td></tr>");
}

/* ---- checks and preview ------------------------------------------------------------------------ */

static void check_list(web *w, const char *title, const buf *problems)
{
	if (!problems->len) { html_f(w->out, "<li class=\"ok\">✓ %h</li>", title); return; }
	html_f(w->out, "<li class=\"bad\">✗ %h<ul>", title);
	for (const char *p = buf_str(problems); *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		html_f(w->out, "<li>%h</li>", arena_strndup(w->a, p, len));
		p += len + (e ? 1 : 0);
	}
	html_f(w->out, "</ul></li>");
}

static bool checks_section(web *w, json_t *root, const buf *load_err, const framework *fw)
{
	fw_edit_checks c;
	fw_edit_check(root, &c);
	html_f(w->out, "<section class=\"card\" id=\"kiem-tra\"><h2>Kiểm tra bản nháp</h2><ul class=\"fw-checks\">");
	check_list(w, "Tổng điểm khớp điểm tối đa của nhóm, tiêu chí", &c.sums);
	check_list(w, "Mã không trùng", &c.codes);
	check_list(w, "Mọi loại hình đơn vị đều có ngưỡng", &c.types);
	check_list(w, "Bộ chỉ số nạp được (các kiểm tra khi khởi động)", load_err);
	html_f(w->out, "</ul><p><strong>Còn %z/%z mục có cách chấm suy ra</strong> cần xem lại.</p></section>", c.inferred, c.leaves);
	bool ok = fw && !c.sums.len && !c.codes.len && !c.types.len;
	fw_edit_checks_free(&c);
	return ok;
}

/* A sheet's group scores and level in one column of the preview. */
static score_result *sample_score(web *w, const framework *fw, unit_type t, bool full, buf *err)
{
	answer_sheet sheet;
	fw_edit_sample(fw, t, full, w->a, &sheet);
	return score_compute(fw, t, POLICY_MIN, &sheet, err);
}

static const char *level_text(web *w, const score_result *r, const fw_node *g)
{
	const fw_band *b = g ? score_node(r, g)->band : r->level;
	return b ? arena_printf(w->a, "%s (%s)", b->name, b->label ? b->label : "") : "—";
}

static void preview_table(web *w, const framework *fw, const score_result *full, const score_result *empty)
{
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"fw-preview\"><thead><tr><th>Nhóm</th><th>Tối đa</th>"
	               "<th>Phiếu đạt tối đa</th><th>Phiếu trống</th></tr></thead><tbody>");
	for (size_t g = 0; g < fw->ngroups; g++) {
		const fw_node *n = &fw->groups[g];
		html_f(w->out, "<tr><th scope=\"row\">%h %h</th><td>%q</td><td>%q — %h</td><td>%q — %h</td></tr>", n->code, n->title, n->max,
		       score_node(full, n)->points, level_text(w, full, fw->basis == BASIS_GROUPS ? n : NULL),
		       score_node(empty, n)->points, level_text(w, empty, fw->basis == BASIS_GROUPS ? n : NULL));
	}
	html_f(w->out, "<tr><th scope=\"row\">Tổng, mức của đơn vị</th><td>%q</td><td>%q — %h</td><td>%q — %h</td></tr></tbody></table></div>",
	       full->total_max, full->total, level_text(w, full, NULL), empty->total, level_text(w, empty, NULL));
	html_f(w->out, "<p class=\"explain\">Phiếu trống: %z mục bắt buộc chưa trả lời.</p>", empty->unanswered);
}

static void preview_section(web *w, int64_t id, const framework *fw)
{
	html_f(w->out, "<section class=\"card\" id=\"cham-thu\"><h2>Chấm thử</h2>");
	if (!fw) { html_f(w->out, "<p>Chưa chấm thử được: bản nháp chưa qua kiểm tra.</p></section>"); return; }
	unit_type t = UT_COUNT;
	const char *want = web_in_text(w, "loai_hinh");
	for (int i = 0; i < UT_COUNT; i++)
		if (fw->unit_types[i] && (t == UT_COUNT || (want && !strcmp(want, unit_type_code((unit_type)i))))) t = (unit_type)i;
	buf err;
	buf_init(&err);
	if (t == UT_COUNT || !score_can_use(fw, &t, &err)) {
		html_f(w->out, "<p>Chưa chấm thử được: %h</p></section>", t == UT_COUNT ? "chưa có loại hình đơn vị" : buf_str(&err));
		buf_free(&err);
		return;
	}
	html_f(w->out, "<p class=\"explain\">Bộ máy chấm điểm chấm hai phiếu mẫu: một phiếu đạt tối đa mọi mục (điều kiện "
	               "đạt, lựa chọn cao nhất, tỉ lệ bằng ngưỡng), một phiếu trống. Loại hình:");
	for (int i = 0; i < UT_COUNT; i++)
		if (fw->unit_types[i]) {
			if (i == (int)t) html_f(w->out, " <strong>%h</strong>", unit_type_name((unit_type)i));
			else html_f(w->out, " <a href=\"/quan-tri/bo-chi-so/%D/sua?loai_hinh=%u#cham-thu\">%h</a>", id,
			            unit_type_code((unit_type)i), unit_type_name((unit_type)i));
		}
	html_f(w->out, "</p>");
	score_result *full = sample_score(w, fw, t, true, &err), *empty = full ? sample_score(w, fw, t, false, &err) : NULL;
	if (full && empty) preview_table(w, fw, full, empty);
	else html_f(w->out, "<p class=\"error-msg\">Không chấm thử được: %h</p>", buf_str(&err));
	score_free(full);
	score_free(empty);
	buf_free(&err);
	html_f(w->out, "</section>");
}

/* ---- the page ---------------------------------------------------------------------------------------- */

static void publish_form(web *w, int64_t id, const framework *fw, bool ok)
{
	if (!ok) {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Chưa công bố được: sửa các lỗi ở phần Kiểm tra.</p>");
		return;
	}
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/bo-chi-so/%D/cong-bo\">", id);
	web_csrf_field(w);
	html_f(w->out, "<p><button type=\"submit\">Công bố</button> thành phiên bản %d của %h</p></form>", fw->revision, fw->id);
}

static void editor_page(web *w, const framework_version *v, json_t *root, const char *error, const char *open_code)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf err;
	buf_init(&err);
	framework *fw = text ? framework_parse(text, strlen(text), v->file_name ? v->file_name : "bản nháp", &err) : NULL;
	free(text);
	page_begin(w, "Sửa cách chấm");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/bo-chi-so");
	html_f(w->out, "<section class=\"card\"><h2>Sửa cách chấm: %h, phiên bản %d (bản nháp)</h2>", v->framework_id, v->revision);
	const char *saved = web_in_text(w, "da_luu");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Chưa lưu %h: %h</p>", open_code ? open_code : "", error);
	else if (saved) html_f(w->out, "<p class=\"ok-msg\" role=\"status\">Đã lưu cách chấm của mục %h. Kết quả kiểm tra và chấm thử "
	                               "bên dưới đã tính lại.</p>", saved);
	html_f(w->out, "<p class=\"explain\">Mỗi mục được chấm có một cách chấm. Mục tô màu là cách chấm suy ra (bảng không nói): "
	               "chọn đúng cách chấm theo quyết định rồi lưu; nguồn của nó thành nguồn bạn chọn. "
	               "<a href=\"/quan-tri/bo-chi-so\">Về danh sách bộ chỉ số</a></p></section>");
	bool ok = checks_section(w, root, &err, fw);
	html_f(w->out, "<section class=\"card\"><h2>Công bố</h2>");
	publish_form(w, v->id, fw, ok);
	html_f(w->out, "</section>");
	preview_section(w, v->id, fw);
	edit_ctx c = { .id = v->id, .fw = fw, .open_code = open_code };
	html_f(w->out, "<section class=\"card\"><h2>Các mục được chấm</h2><div class=\"table-wrap\"><table class=\"fw-edit-table\"><thead><tr>"
	               "<th>Mã</th><th>Tiêu chí</th><th>Cách chấm</th><th>Sửa</th></tr></thead><tbody>");
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(root, "groups"), i, g) node_rows(w, &c, g, 1);
	html_f(w->out, "</tbody></table></div></section>");
	page_end(w);
	framework_free(fw);
	buf_free(&err);
}

void fw_edit_drafts_card(web *w)
{
	framework_version *v = NULL;
	size_t n = 0;
	if (framework_drafts(w->d, w->a, 20, &v, &n) != DB_OK || !n) return;
	html_f(w->out, "<section class=\"card\"><h2>Bản nháp chưa công bố</h2><ul class=\"fw-drafts\">");
	for (size_t i = 0; i < n; i++)
		html_f(w->out, "<li><a href=\"/quan-tri/bo-chi-so/%D/sua\">%h, phiên bản %d</a> — %h, tải lên %h</li>", v[i].id,
		       v[i].framework_id, v[i].revision, v[i].file_name ? v[i].file_name : "", v[i].uploaded_at ? v[i].uploaded_at : "");
	html_f(w->out, "</ul></section>");
}

void fw_edit_get(web *w)
{
	framework_version v;
	json_t *root = draft_load(w, &v);
	if (!root) return;
	editor_page(w, &v, root, NULL, NULL);
	json_decref(root);
}

static fw_rule_form form_of(web *w)
{
	fw_rule_form f = {
		.kind = web_in_text(w, "loai"), .source = web_in_text(w, "nguon"),
		.points = web_in_text(w, "diem"), .threshold = web_in_text(w, "nguong"),
		.compare = web_in_text(w, "so_sanh"), .unit = web_in_text(w, "don_vi"), .mode = web_in_text(w, "che_do"),
		.measure = web_in_text(w, "do_luong"), .options = web_in_text(w, "lua_chon"),
		.components = web_in_text(w, "thanh_phan"), .deduction = web_in_text(w, "tru"),
		.floor = web_in_text(w, "san"), .max = web_in_text(w, "toi_da"),
		.thresholds = web_in_text(w, "nguong_loai"), .dmeasure = web_in_text(w, "dl_do"),
		.dlevel = web_in_text(w, "dl_muc"), .dof = web_in_text(w, "dl_cua"), .effect = web_in_text(w, "hieu_luc"),
	};
	return f;
}

/* A refused save: the page again, 422, the message at the top and the
 * item's form open. */
static void save_refused(web *w, const framework_version *v, json_t *root, const char *code, const char *msg)
{
	w->r->status = 422;
	editor_page(w, v, root, msg, code);
}

void fw_edit_post(web *w)
{
	framework_version v;
	json_t *root = draft_load(w, &v);
	if (!root) return;
	const char *code = web_in_text(w, "ma");
	json_t *leaf = fw_edit_leaf(root, code);
	if (!leaf) { json_decref(root); web_error(w, 404, "Không có mục được chấm với mã này trong bản nháp."); return; }
	fw_rule_form f = form_of(w);
	buf err;
	buf_init(&err);
	json_t *rule = fw_edit_rule(&f, &err);
	if (!rule) {
		save_refused(w, &v, root, code, buf_str(&err));
		buf_free(&err);
		json_decref(root);
		return;
	}
	buf_free(&err);
	char *before = json_dumps(json_object_get(leaf, "rule"), JSON_COMPACT), *after = json_dumps(rule, JSON_COMPACT);
	fw_edit_set_rule(root, code, rule, f.source);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int rc = text ? framework_draft_update(w->d, w->account_id, v.id, text, strlen(text), code, before, after) : DB_EINVAL;
	free(text);
	free(before);
	free(after);
	json_decref(root);
	if (rc != DB_OK) { web_error(w, rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d)); return; }
	buf loc;
	buf_init(&loc);
	html_f(&loc, "/quan-tri/bo-chi-so/%D/sua?da_luu=%u#muc-%u", v.id, code, code);
	http_redirect(w->r, arena_strdup(w->a, buf_str(&loc)));
	buf_free(&loc);
}
