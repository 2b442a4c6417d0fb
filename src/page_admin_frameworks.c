/* page_admin_frameworks.c — /quan-tri/bo-chi-so: framework versions:
 * upload a corrected file (JSON or the annex table, fw_import.c) → the
 * loader's report with a summary and a diff against the previous revision
 * → publish it as a new revision. National frameworks are the system
 * administrators' (AUTHZ_MANAGE_FRAMEWORKS). The store writes and audits
 * (q_framework.c). */
#include "fw_import.h"
#include "page_admin.h"
#include "page_admin_fw_edit.h"
#include "q_framework.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- frameworks ----------------------------------------------------------------------- */

bool may_publish_frameworks(web *w, authz_decision *why)
{
	/* National frameworks (unit 0): the Ministry's decisions, kept by the
	 * system administrators. */
	authz_ctx c = { .account = web_account(w) };
	c.object.kind = AUTHZ_KIND_FRAMEWORK;
	c.object.state = WF_STATE_INVALID;
	c.object.grant_role = AUTHZ_ROLE_INVALID;
	return authz_check(&c, AUTHZ_MANAGE_FRAMEWORKS, why);
}

static bool stored_in_db(const framework *fw) { return fw->file && !strncmp(fw->file, "CSDL:", 5); }

static const char *fw_status_text(const framework *fw)
{
	return fw->complete ? "Đầy đủ" : "Chưa đầy đủ: chưa dùng để chấm điểm";
}

static void upload_form(web *w)
{
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/bo-chi-so\" enctype=\"multipart/form-data\" class=\"grid-form\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Tệp bộ chỉ số: JSON (UTF-8, tối đa 4 MB), hoặc bảng phụ lục của quyết định dạng Word (.docx) hay "
	               "bảng tính (.xlsx)<input type=\"file\" name=\"tep\" required accept=\".json,application/json,.docx,.xlsx\"></label>"
	               "<fieldset><legend>Chỉ cần khi nhập bảng phụ lục (.docx, .xlsx)</legend>"
	               "<label>Mã bộ chỉ số<input name=\"ma\" pattern=\"[a-z0-9\\-]+\" placeholder=\"qd3276-2024\"></label>"
	               "<label>Tên bộ chỉ số<input name=\"ten\"></label>"
	               "<label>Số quyết định<input name=\"so_qd\" placeholder=\"3276/QĐ-BGDĐT\"></label>"
	               "<label>Ngày quyết định<input type=\"date\" name=\"ngay_qd\"></label>"
	               "<label>Cơ quan ban hành<input name=\"co_quan\" placeholder=\"Bộ Giáo dục và Đào tạo\"></label>"
	               "<fieldset><legend>Loại hình đơn vị áp dụng (để trống: suy ra từ tên)</legend>");
	for (int t = 0; t < UT_COUNT; t++)
		html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"loai_hinh\" value=\"%a\"> %h</label>",
		       unit_type_code((unit_type)t), unit_type_name((unit_type)t));
	html_f(w->out, "</fieldset><p class=\"explain\">Mẫu bảng: <a href=\"/quan-tri/bo-chi-so/mau-bang-tieu-chi.xlsx\">"
	               "mau-bang-tieu-chi.xlsx</a> (các cột STT, Tiêu chí, Điểm tối đa, Điểm thành phần, Mức độ, Ghi chú, minh chứng). "
	               "Bảng nhập vào thành bản nháp để xem lại; chỉ công bố khi bấm Công bố.</p></fieldset>"
	               "<p><button type=\"submit\">Kiểm tra tệp</button></p></form>");
}

static void frameworks_get(web *w)
{
	if (!admin_gate(w)) return;
	fw_catalog *cat = &w->app->frameworks;
	fw_catalog_sync_db(cat, w->d, 0, NULL);
	framework_use *use = NULL;
	size_t nu = 0;
	framework_usage(w->d, w->a, &use, &nu);
	page_begin(w, "Bộ chỉ số");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/bo-chi-so");
	/* the name first (a phone shows it as the card's title), the code and
	 * version under it; table.labelled stacks the other cells on a phone */
	html_f(w->out, "<section class=\"card\"><h2>Các bộ chỉ số đang nạp</h2><div class=\"table-wrap\"><table class=\"frameworks labelled\"><thead><tr>"
	               "<th>Bộ chỉ số</th><th>Trạng thái</th><th>Quyết định</th><th>Nguồn</th>"
	               "<th>Số hồ sơ đánh giá</th></tr></thead><tbody>");
	size_t n = cat->n;
	/* id order, then revision (appended versions come last in the catalogue) */
	const framework **order = arena_alloc(w->a, (n + 1) * sizeof *order);
	for (size_t i = 0; i < n; i++) {
		const framework *fw = cat->items[i];
		size_t k = i;
		while (k > 0 && (strcmp(order[k - 1]->id, fw->id) > 0 ||
		                 (!strcmp(order[k - 1]->id, fw->id) && order[k - 1]->revision > fw->revision))) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = fw;
	}
	for (size_t i = 0; i < n; i++) {
		const framework *fw = order[i];
		int64_t count = 0;
		const char *rev = arena_printf(w->a, "%d", fw->revision);
		for (size_t k = 0; k < nu; k++)
			if (!strcmp(use[k].framework_id, fw->id) && !strcmp(use[k].revision, rev)) count = use[k].assessments;
		html_f(w->out, "<tr data-framework=\"%a@%d\"><td class=\"fw-name\">%h<span class=\"fw-id\">Mã %h, phiên bản %d</span></td>"
		               "<td data-label=\"Trạng thái\">%h</td><td data-label=\"Quyết định\">%h%h%h</td><td data-label=\"Nguồn\">%h</td>"
		               "<td data-label=\"Số hồ sơ đánh giá\">%D</td></tr>",
		       fw->id, fw->revision, fw->title, fw->id, fw->revision, fw_status_text(fw),
		       fw->decision_number ? fw->decision_number : "", fw->decision_date ? " ngày " : "",
		       fw->decision_date ? web_date_short(w, fw->decision_date) : "",
		       stored_in_db(fw) ? "Công bố trên trang quản trị" : "Tệp đi kèm phần mềm", count);
	}
	html_f(w->out, "</tbody></table></div>");
	if (cat->errors.len)
		html_f(w->out, "<h3>Tệp không nạp được</h3><pre class=\"report\">%h</pre>", buf_str(&cat->errors));
	html_f(w->out, "</section>");
	if (may_publish_frameworks(w, NULL)) {
		fw_edit_drafts_card(w);
		html_f(w->out, "<section class=\"card\"><h2>Tải lên bộ chỉ số đã sửa hoặc bổ sung</h2><p class=\"explain\">Tệp được kiểm tra "
		               "như khi khởi động; nếu hợp lệ, trang kết quả cho xem tóm tắt và khác biệt so với phiên bản trước, rồi mới "
		               "công bố thành một phiên bản mới. Số phiên bản phải cao hơn mọi phiên bản đã có; các hồ sơ đã lập "
		               "giữ phiên bản của mình.</p>");
		upload_form(w);
		html_f(w->out, "</section>");
	}
	page_end(w);
}

static const char *change_text(web *w, const fw_change *c)
{
	switch (c->kind) {
	case FW_ADDED: return arena_printf(w->a, "Thêm mới (tối đa %s điểm)", office_q(w, c->new_max));
	case FW_REMOVED: return arena_printf(w->a, "Bỏ (trước đây tối đa %s điểm)", office_q(w, c->old_max));
	case FW_MAX_CHANGED: return arena_printf(w->a, "Điểm tối đa %s → %s", office_q(w, c->old_max), office_q(w, c->new_max));
	case FW_RULE_CHANGED: return arena_printf(w->a, "Cách chấm %s → %s", c->old_rule, c->new_rule);
	}
	return "";
}

/* The validation report of a valid file: summary, diff, the revision rule. */
static void framework_report(web *w, const framework *fw, const framework *prev, const char *refusal, int64_t draft_id)
{
	size_t ng, nc, ni, nl;
	fw_counts(fw, &ng, &nc, &ni, &nl);
	html_f(w->out, "<p class=\"ok-msg\"><strong>Tệp hợp lệ.</strong></p><dl class=\"facts\"><dt>Mã</dt><dd>%h</dd><dt>Phiên bản</dt><dd>%d</dd>"
	               "<dt>Tên</dt><dd>%h</dd><dt>Trạng thái</dt><dd>%h</dd><dt>Quyết định</dt><dd>%h</dd>"
	               "<dt>Số nhóm, tiêu chí, chỉ số</dt><dd>%z nhóm, %z tiêu chí, %z chỉ số (%z mục được chấm)</dd></dl>",
	       fw->id, fw->revision, fw->title, fw_status_text(fw),
	       fw->decision_number ? fw->decision_number : "", ng, nc, ni, nl);
	html_f(w->out, "<h3>Điểm tối đa theo nhóm</h3><div class=\"table-wrap\"><table><thead><tr><th>Nhóm</th><th>Tên</th>"
	               "<th>Tiêu chí</th><th>Tối đa</th></tr></thead><tbody>");
	for (size_t g = 0; g < fw->ngroups; g++)
		html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%z</td><td>%q</td></tr>", fw->groups[g].code, fw->groups[g].title,
		       fw->groups[g].nchildren, fw->groups[g].max);
	if (fw->has_total_max) html_f(w->out, "<tr><td></td><td>Tổng</td><td></td><td>%q</td></tr>", fw->total_max);
	html_f(w->out, "</tbody></table></div><h3>Các mức</h3><ul>");
	for (size_t i = 0; i < fw->nlevels; i++) {
		const fw_band *b = &fw->levels[i];
		if (b->has_from) html_f(w->out, "<li>%h — %h: từ %q điểm</li>", b->name, b->label, b->from);
		else if (b->has_above) html_f(w->out, "<li>%h — %h: trên %q điểm</li>", b->name, b->label, b->above);
		else html_f(w->out, "<li>%h — %h</li>", b->name, b->label);
	}
	html_f(w->out, "</ul>");
	if (prev) {
		fw_change *ch = NULL;
		size_t n = 0;
		fw_diff(prev, fw, w->a, &ch, &n);
		html_f(w->out, "<h3>Khác biệt so với phiên bản %d</h3>", prev->revision);
		if (!n) html_f(w->out, "<p>Không khác về mã, điểm tối đa và cách chấm.</p>");
		else {
			html_f(w->out, "<div class=\"table-wrap\"><table class=\"diff\"><thead><tr><th>Mã</th><th>Tên</th><th>Thay đổi</th></tr></thead><tbody>");
			for (size_t i = 0; i < n; i++)
				html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td></tr>", ch[i].code, ch[i].title, change_text(w, &ch[i]));
			html_f(w->out, "</tbody></table></div>");
		}
	} else {
		html_f(w->out, "<p>Đây là bộ chỉ số mới (chưa có phiên bản nào với mã này).</p>");
	}
	if (refusal) {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Không thể công bố: %h</p>", refusal);
		return;
	}
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/bo-chi-so/%D/cong-bo\">", draft_id);
	web_csrf_field(w);
	html_f(w->out, "<p><button type=\"submit\">Công bố</button> thành phiên bản %d của %h</p></form>", fw->revision, fw->id);
	html_f(w->out, "<p><a class=\"button\" href=\"/quan-tri/bo-chi-so/%D/sua\">Sửa cách chấm</a> trước khi công bố: "
	               "xem lại từng mục suy ra, kiểm tra tổng điểm và chấm thử.</p>", draft_id);
}

/* The XLSX template of an annex table (fw_import_template.c). */
static void framework_template(web *w)
{
	if (!admin_gate(w)) return;
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(w->a, "%s/chiso-mau-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) { web_error(w, 500, "Không tạo được tệp mẫu. Vui lòng thử lại."); return; }
	close(fd);
	buf err;
	buf_init(&err);
	bool ok = fw_import_template_write(path, &err);
	buf_free(&err);
	FILE *f = ok ? fopen(path, "rb") : NULL;
	buf_reset(w->out);
	char chunk[65536];
	size_t k;
	while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(w->out, chunk, k);
	if (f) fclose(f);
	unlink(path);
	if (!ok || !f) { web_error(w, 500, "Không tạo được tệp mẫu. Vui lòng thử lại."); return; }
	w->r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"mau-bang-tieu-chi.xlsx\"");
}

static bool rule_inferred(const fw_node *n)
{
	return n->rule && n->rule->source == SRC_INFERRED;
}

static const char *rule_text(web *w, const fw_rule *r)
{
	switch (r->kind) {
	case RULE_GATE: return "Điều kiện bắt buộc";
	case RULE_INFO: return "Thông tin, không tính điểm";
	case RULE_RATIO:
		return arena_printf(w->a, "%s: %s %s%s thì %s điểm", rule_kind_name(r->kind), r->cmp == CMP_GE ? "≥" : "≤",
		                    office_q(w, r->threshold), r->unit == UNIT_PERCENT ? "%" : "", office_q(w, r->points));
	case RULE_ALTERNATIVES: {
		buf b;
		buf_init(&b);
		for (size_t i = 0; i < r->noptions; i++)
			buf_printf(&b, "%s%s) %s: %s", i ? "; " : "", r->options[i].code, r->options[i].label, office_q(w, r->options[i].points));
		const char *s = arena_printf(w->a, "%s — %s", rule_kind_name(r->kind), buf_str(&b));
		buf_free(&b);
		return s;
	}
	default: return arena_printf(w->a, "%s, tối đa %s điểm", rule_kind_name(r->kind), office_q(w, r->points));
	}
}

static void review_node(web *w, const fw_node *n, int depth, size_t *ninferred)
{
	bool inf = n->source == SRC_INFERRED || rule_inferred(n);
	if (inf) (*ninferred)++;
	if (inf) html_f(w->out, "<tr class=\"depth-%d inferred\" data-inferred=\"1\">", depth);
	else html_f(w->out, "<tr class=\"depth-%d\">", depth);
	html_f(w->out, "<td>%h</td><td>%h", n->code, n->title);
	if (n->evidence) html_f(w->out, "<br><small>Minh chứng: %h</small>", n->evidence);
	if (n->nbands) {
		html_f(w->out, "<br><small>Mức độ:");
		for (size_t i = 0; i < n->nbands; i++) {
			const fw_band *b = &n->bands[i];
			if (b->has_from) html_f(w->out, " %h từ %q;", b->name, b->from);
			else if (b->has_above) html_f(w->out, " %h trên %q;", b->name, b->above);
			else html_f(w->out, " %h;", b->name);
		}
		html_f(w->out, "</small>");
	}
	html_f(w->out, "</td><td>%q</td><td>%h</td><td>", n->max, n->rule ? rule_text(w, n->rule) : "");
	if (inf) html_f(w->out, "<span class=\"badge inferred\">Suy ra — cần xem lại</span> ");
	else html_f(w->out, "Theo bảng. ");
	html_f(w->out, "%h</td><td>%h</td></tr>", n->note ? n->note : "", n->origin ? n->origin : "");
	for (size_t i = 0; i < n->nchildren; i++) review_node(w, &n->children[i], depth + 1, ninferred);
}

/* An imported table's draft: the tree, maxima, rules, and every inferred
 * rule highlighted with its note, then the review notes. */
static void framework_review(web *w, const framework *fw, const char *notes)
{
	size_t ninf = 0;
	html_f(w->out, "<h3>Bản nháp nhập từ bảng: xem lại trước khi công bố</h3>"
	               "<div class=\"table-wrap\"><table class=\"fw-review\"><thead><tr><th>Mã</th><th>Tiêu chí</th>"
	               "<th>Tối đa</th><th>Cách chấm</th><th>Nguồn, ghi chú</th><th>Đọc từ</th></tr></thead><tbody>");
	for (size_t g = 0; g < fw->ngroups; g++) review_node(w, &fw->groups[g], 1, &ninf);
	html_f(w->out, "</tbody></table></div><p><strong>%z mục suy ra</strong> (tô màu) cần quản trị viên xem lại.</p>", ninf);
	if (notes && *notes) {
		html_f(w->out, "<h3>Những điều bảng không nói (suy ra)</h3><ul class=\"review-notes\">");
		for (const char *p = notes; *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			html_f(w->out, "<li>%h</li>", arena_strndup(w->a, p, len));
			p += len + (e ? 1 : 0);
		}
		html_f(w->out, "</ul>");
	}
}

/* The upload is an annex table: the framework it gives (or NULL with the
 * lines in err), its JSON in *text and the review notes in notes. */
static framework *framework_from_table(web *w, const char *name, const char *path, size_t size, int next_revision,
                                       buf *text, buf *notes, buf *err)
{
	fw_import_meta m = { .file = name, .revision = next_revision };
	m.id = admin_in(w, "ma", NULL);
	if (!m.id || !*m.id) { buf_printf(err, "%s: cần nhập mã bộ chỉ số (ví dụ qd3276-2024) khi nhập bảng phụ lục\n", name); return NULL; }
	m.title = admin_in(w, "ten", NULL);
	m.decision_number = admin_in(w, "so_qd", NULL);
	m.decision_date = admin_in(w, "ngay_qd", NULL);
	m.decision_issuer = admin_in(w, "co_quan", NULL);
	char *today = arena_alloc(w->a, 11);
	vn_today_iso(today);
	m.today = today;
	for (size_t i = 0; i < w->r->nfields; i++) {
		unit_type t;
		if (!strcmp(w->r->fields[i].name, "loai_hinh") && unit_type_parse(w->r->fields[i].value, &t)) {
			m.unit_types[t] = true;
			m.unit_types_set = true;
		}
	}
	const import_limits *lim = &import_default_limits;
	if (size > lim->max_file_bytes) { buf_printf(err, "%s: tệp quá lớn (tối đa %zu MB)\n", name, lim->max_file_bytes >> 20); return NULL; }
	buf data;
	buf_init(&data);
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t k;
	while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0 && data.len <= lim->max_file_bytes) buf_append(&data, chunk, k);
	if (f) fclose(f);
	fw_table t;
	char *e = NULL;
	framework *fw = NULL;
	if (fw_import_read(data.data ? data.data : "", data.len, name, lim, &t, &e)) {
		buf_printf(err, "%s: %s\n", name, e);
		free(e);
	} else {
		char *json = NULL;
		fw = fw_import_run(&t, &m, &json, notes, err);
		if (json) buf_puts(text, json);
		free(json);
	}
	fw_table_free(&t);
	buf_free(&data);
	return fw;
}

static int stored_max_revision(web *w, const char *id)
{
	framework_version *v = NULL;
	size_t n = 0;
	int max = 0;
	if (framework_published(w->d, w->a, &v, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(v[i].framework_id, id) && v[i].revision > max) max = v[i].revision;
	return max;
}

static void framework_upload_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	if (!may_publish_frameworks(w, &why)) { web_error(w, 403, why.message); return; }
	http_upload *up = NULL;
	for (size_t i = 0; i < w->r->nuploads; i++)
		if (!strcmp(w->r->uploads[i].field, "tep")) up = &w->r->uploads[i];
	if (!up || up->size == 0) {
		web_error(w, 422, up && up->filename && *up->filename ? "Tệp rỗng (0 byte): không có bảng nào để nhập." : "Chưa chọn tệp.");
		return;
	}
	const char *name = up->filename && *up->filename ? up->filename : "tep.json";
	if (!vn_utf8_valid(name, strlen(name), NULL)) name = "tep.json";
	buf text, err, notes;
	buf_init(&text);
	buf_init(&err);
	buf_init(&notes);
	framework *fw = NULL;
	fw_catalog *cat = &w->app->frameworks;
	bool table = fw_import_is_table_name(name);
	if (table) {
		/* the next revision of the id typed in the form */
		fw_catalog_sync_db(cat, w->d, 0, NULL);
		const char *id = admin_in(w, "ma", "");
		int known = fw_catalog_max_revision(cat, id), stored = stored_max_revision(w, id);
		if (up->truncated) buf_printf(&err, "%s: tệp quá lớn\n", name);
		else fw = framework_from_table(w, name, up->tmp_path, up->size, (known > stored ? known : stored) + 1, &text, &notes, &err);
	} else if (up->truncated || up->size > (4u << 20)) buf_printf(&err, "%s: tệp quá lớn (tối đa 4 MB)\n", name);
	else {
		FILE *f = fopen(up->tmp_path, "rb");
		char chunk[65536];
		size_t k;
		while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&text, chunk, k);
		if (f) fclose(f);
		if (strlen(buf_str(&text)) != text.len) buf_printf(&err, "%s: tệp chứa byte 0 (không phải văn bản JSON)\n", name);
		else fw = framework_parse(buf_str(&text), text.len, name, &err);
	}
	fw_catalog_sync_db(cat, w->d, 0, NULL);
	int64_t draft = 0;
	const char *refusal = NULL;
	if (fw) {
		int known = fw_catalog_max_revision(cat, fw->id), stored = stored_max_revision(w, fw->id);
		refusal = fw_revision_refusal(fw->revision, known > stored ? known : stored);
		if (!refusal && framework_draft_save(w->d, w->account_id, fw, buf_str(&text), text.len, name, &draft) != DB_OK) {
			framework_free(fw);
			buf_free(&text);
			buf_free(&err);
			buf_free(&notes);
			web_error(w, 500, "Không lưu được tệp. Vui lòng thử lại.");
			return;
		}
	}
	w->r->status = fw && !refusal ? 200 : 422;
	page_begin(w, "Kiểm tra bộ chỉ số");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/bo-chi-so");
	html_f(w->out, "<section class=\"card\"><h2>Kết quả kiểm tra: %h</h2>", name);
	if (!fw) {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Tệp không hợp lệ; chưa công bố gì. Mỗi dòng dưới đây là một lỗi, "
		               "kèm vị trí trong tệp:</p><ul class=\"errors\">");
		const char *p = buf_str(&err);
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			html_f(w->out, "<li><code>%h</code></li>", arena_strndup(w->a, p, len));
			p += len + (e ? 1 : 0);
		}
		html_f(w->out, "</ul>");
		upload_form(w);
	} else {
		const framework *prev = fw_catalog_find(cat, fw->id);
		if (table) framework_review(w, fw, buf_str(&notes));
		framework_report(w, fw, prev, refusal, draft);
		if (refusal) upload_form(w);
	}
	html_f(w->out, "</section>");
	page_end(w);
	framework_free(fw);
	buf_free(&text);
	buf_free(&err);
	buf_free(&notes);
}

static void framework_publish_post(web *w)
{
	if (!admin_gate(w)) return;
	authz_decision why;
	if (!may_publish_frameworks(w, &why)) { web_error(w, 403, why.message); return; }
	framework_version v;
	const char *text = NULL;
	if (framework_version_get(w->d, w->ids[0], w->a, &v, &text) != DB_OK) { web_error(w, 404, "Không tìm thấy tệp đã tải lên."); return; }
	/* a draft changed in the editor (page_admin_fw_edit.c) may not load yet */
	buf perr;
	buf_init(&perr);
	framework *check = v.published || !text ? NULL : framework_parse(text, strlen(text), "bản nháp", &perr);
	bool loads = v.published || check;
	framework_free(check);
	buf_free(&perr);
	if (!loads) { web_error(w, 422, "Bản nháp chưa qua kiểm tra (xem trang Sửa cách chấm): chưa công bố."); return; }
	fw_catalog *cat = &w->app->frameworks;
	fw_catalog_sync_db(cat, w->d, 0, NULL);
	int rc = framework_publish(w->d, w->account_id, v.id, fw_catalog_max_revision(cat, v.framework_id));
	if (rc != DB_OK) { web_error(w, rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d)); return; }
	buf errs;
	buf_init(&errs);
	fw_catalog_sync_db(cat, w->d, 0, &errs);
	if (errs.len) fputs(buf_str(&errs), stderr);
	buf_free(&errs);
	web_redirect_notice(w, "/quan-tri/bo-chi-so", "bcs-cong-bo");
}

/* Every page is the administrators' (WEB_LOAD_ADMIN, checked by the
 * dispatcher); the units, accounts, imports and framework drafts they touch
 * are checked here, per object. */

/* WEB_LOAD_ADMIN is the gate; framework drafts are checked here. */
/* The annex table's fields (a multipart form: http.c gives its text parts
 * as fields); the unit types (loai_hinh) are read as the importer's own
 * list, an unknown one ignored as before. */
static const web_input upload_inputs[] = {
	{ .name = "ma", .type = WEB_IN_TEXT, .max = 64, .label = "mã bộ chỉ số" },
	{ .name = "ten", .type = WEB_IN_TEXT, .max = 500, .label = "tên bộ chỉ số" },
	{ .name = "so_qd", .type = WEB_IN_TEXT, .max = 64, .label = "số quyết định" },
	{ .name = "ngay_qd", .type = WEB_IN_TEXT, .max = 20, .label = "ngày quyết định" },
	{ .name = "co_quan", .type = WEB_IN_TEXT, .max = 300, .label = "cơ quan ban hành" },
	{ .name = NULL },
};

const web_route page_admin_framework_routes[] = {
	{ "GET", "/quan-tri/bo-chi-so", frameworks_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/bo-chi-so", framework_upload_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = upload_inputs },
	{ "GET", "/quan-tri/bo-chi-so/mau-bang-tieu-chi.xlsx", framework_template, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/bo-chi-so/{id}/cong-bo", framework_publish_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/bo-chi-so/{id}/sua", fw_edit_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = fw_edit_view_inputs },
	{ "POST", "/quan-tri/bo-chi-so/{id}/sua", fw_edit_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = fw_edit_save_inputs },
	{ NULL, NULL, NULL, 0 },
};
