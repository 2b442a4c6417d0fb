/* page_doc.c — the "Văn bản" tab of an assessment and of a round: which
 * documents can be generated, a form per document (number, date, signer
 * and title, recipients, place, format) prefilled with what was used last
 * time, a preview that leaves no record, generation with a download, and
 * the list of every file generated (who, when, number, SHA-256).
 *
 * Who may: anyone who may view the assessment or round. A document is the
 * data they can already see, in the form an office files; every generated
 * file is recorded under their account in the audit log (doc_generate). */
#include "doc_set.h"
#include "q_account.h"
#include "q_doc.h"
#include "q_register.h"
#include "util.h"
#include "vn.h"
#include "web.h"
#include "web_job.h"
#include "web_office.h"
#include "web_school.h"
#include "web_sign.h"
#include "page_register_signed.h"
#include "q_register_signed.h"
#include "blob.h"
#include "blob_db.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct doc_page {
	doc_scope scope;
	int64_t id;
	const char *base;              /* "/danh-gia/5" or "/dot/3" */
	const char *object_type;       /* "assessment" | "round" */
	assess_view *av;               /* the route's (WEB_LOAD_ASSESSMENT_PRIVATE) */
	round_view *rv;                /* the route's (WEB_LOAD_ROUND) */
} doc_page;

/* The page of the route's object, loaded and authorised by the dispatcher. */
static void page_load(web *w, doc_scope scope, doc_page *p)
{
	memset(p, 0, sizeof *p);
	p->scope = scope;
	if (scope == DOC_SCOPE_ASSESSMENT) {
		p->av = w->view;
		p->id = p->av->as.id;
		p->base = arena_printf(w->a, "/danh-gia/%lld", (long long)p->id);
		p->object_type = "assessment";
	} else {
		p->rv = w->round;
		p->id = p->rv->r.id;
		p->base = arena_printf(w->a, "/dot/%lld", (long long)p->id);
		p->object_type = "round";
	}
}

static const char *account_name(web *w, int64_t id)
{
	account a;
	if (!id) return "Hệ thống";
	return account_get(w->d, id, w->a, &a) == DB_OK ? a.full_name : "";
}

/* The form of one document type, prefilled from the last file of that type
 * (or from what was just typed, after a refusal). */
static void doc_form(web *w, doc_page *p, const doc_type *t, bool retyped)
{
	document_row last;
	bool has_last = document_last(w->d, t->code, p->object_type, p->id, w->a, &last) == DB_OK;
	db_clear_error(w->d);
	const char *number = retyped ? web_in_text(w, "so") : has_last ? last.number : NULL;
	const char *date = retyped ? web_in_text(w, "ngay") : has_last ? last.date : NULL;
	const char *signer = retyped ? web_in_text(w, "nguoi_ky") : has_last ? last.signer : NULL;
	const char *recipients = retyped ? web_in_text(w, "noi_nhan") : has_last ? last.recipients : NULL;
	/* the placeholders of the unit that issues it: the office's symbol and
	 * head ("…/QĐ-SGDĐT", "GIÁM ĐỐC") on the office's documents */
	unit office;
	const unit *issuer = p->scope == DOC_SCOPE_ROUND ? &p->rv->office : &p->av->u;
	if (p->scope == DOC_SCOPE_ASSESSMENT && t->office) {
		if (unit_get(w->d, p->av->round.office_unit_id, w->a, &office) == DB_OK) issuer = &office;
		db_clear_error(w->d);
	}
	const char *num_example = doc_number_example(w->a, t, issuer);
	html_f(w->out, "<section class=\"card\" id=\"lap\"><h2>%h</h2>"
	               "<p>Những mục để trống: số và ngày để trống để ghi tay như bản dự thảo; người ký lấy từ dữ liệu "
	               "(%h, quyết định đã ghi nhận); nơi nhận theo mẫu của văn bản.</p>"
	               "<form method=\"post\" action=\"%h/van-ban\">", t->name,
	       t->office || p->scope == DOC_SCOPE_ROUND ? "người đứng đầu cơ quan" : "chủ tịch hội đồng", p->base);
	web_csrf_field(w);
	html_f(w->out, "<input type=\"hidden\" name=\"loai\" value=\"%a\">"
	               "<label>Số văn bản<input name=\"so\" value=\"%a\" maxlength=\"60\" placeholder=\"%a\"></label>"
	               "<label>Ngày ban hành<input type=\"date\" name=\"ngay\" value=\"%a\"></label>"
	               "<label>Người ký<input name=\"nguoi_ky\" value=\"%a\" maxlength=\"120\"></label>"
	               "<label>Chức vụ người ký (để trống: theo đơn vị)<textarea name=\"chuc_vu\" rows=\"2\" maxlength=\"200\" "
	               "placeholder=\"%a\">%h</textarea></label>"
	               "<label>Nơi nhận, mỗi dòng một nơi (để trống: theo mẫu)<textarea name=\"noi_nhan\" rows=\"4\" maxlength=\"2000\">%h</textarea></label>"
	               "<label>Địa danh (để trống: theo địa chỉ đơn vị)<input name=\"noi\" value=\"%a\" maxlength=\"80\"></label>"
	               "<fieldset><legend>Định dạng</legend>"
	               "<label class=\"opt\"><input type=\"radio\" name=\"dinh_dang\" value=\"pdf\" checked> PDF (bản ký, in)</label>"
	               "<label class=\"opt\"><input type=\"radio\" name=\"dinh_dang\" value=\"docx\"> DOCX (sửa bằng Word, LibreOffice)</label>",
	       t->alias, number, num_example ? arena_printf(w->a, "15 hoặc %s", num_example) : "15", date, signer,
	       doc_deputy_title_example(w->a, issuer), retyped ? web_in_text(w, "chuc_vu") : NULL, recipients,
	       retyped ? web_in_text(w, "noi") : NULL);
	if (t->xlsx) html_f(w->out, "<label class=\"opt\"><input type=\"radio\" name=\"dinh_dang\" value=\"xlsx\"> XLSX (bảng số liệu)</label>");
	if (web_sign_office(w))   /* issue 17: the office's own key, kept sealed (page_sign.c) */
		html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"ky_so\" value=\"1\"> Ký số PDF bằng khóa của cơ quan</label>");
	html_f(w->out, "</fieldset>");
	if (t->symbol) {
		html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"cap_so\" value=\"1\"");
		if (!retyped || web_in_bool(w, "cap_so")) html_f(w->out, " checked");
		html_f(w->out, "> Số để trống: lấy số tiếp theo trong <a href=\"%h/so-van-ban\">sổ văn bản đi</a> "
		               "(văn bản đã vào sổ giữ nguyên số khi tạo lại)</label>", p->base);
	}
	html_f(w->out, "<p class=\"actions\"><button type=\"submit\" name=\"xem_truoc\" value=\"1\">Xem trước (không lưu)</button> "
	               "<button type=\"submit\">Tạo và tải về</button></p></form></section>");
}

/* A generated file is kept in the blob store (content-addressed: its name
 * is the SHA-256 the documents row records), so that the list of the
 * documents made can hand it out again; false when it could not be kept
 * (the file was still given to its maker; the list then says so). */
static bool keep_generated(web *w, const buf *data, const char *sha256)
{
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	if (!w->app->blob_dir || blob_store_open(w->app->blob_dir, (int64_t)1 << 30, &bs, msg) != BLOB_OK) return false;
	blob_info bi;
	bool ok = blob_put(bs, data->data, data->len, &bi, msg) == BLOB_OK && strcmp(bi.sha256, sha256) == 0;
	blob_store_close(bs);
	return ok;
}

/* Where a kept file is, NULL when it is not (made before files were kept,
 * made by the command line or a batch). */
static const char *kept_path(web *w, const char *sha256)
{
	/* kept in this server's directory only (keep_generated): no database fetch */
	return blob_local_file(w->app->blob_dir, NULL, sha256, w->a);
}

/* The signed original (issue 17) whose unsigned revision is the generated
 * file sha256, among those of the page's object; NULL when none. */
static const register_signed *signed_of(const register_signed *s, size_t n, const char *sha256)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].origin_sha256 && strcmp(s[i].origin_sha256, sha256) == 0) return &s[i];
	return NULL;
}

static void signed_originals(web *w, const doc_page *p, register_signed **s, size_t *n)
{
	if (register_signed_about(w->d, p->object_type, p->id, w->a, s, n) != DB_OK) {
		db_clear_error(w->d);
		*s = NULL;
		*n = 0;
	}
}

/* How the office's register numbers (q_register.h): one sequence a year
 * across every kind (ND 30/2020), or one a kind a year; chosen here by
 * the office that opens rounds, for all its documents. */
static void numbering_section(web *w, doc_page *p)
{
	register_numbering n = REGISTER_PER_YEAR;
	register_numbering_get(w->d, p->rv->office.id, &n);
	db_clear_error(w->d);
	html_f(w->out, "<section class=\"card\" id=\"danh-so\"><h2>Cách đánh số văn bản đi</h2><p>%h: <strong>%h</strong>.</p>",
	       p->rv->office.name, n == REGISTER_PER_KIND ? "mỗi loại văn bản (Quyết định, Báo cáo, …) một dãy số trong năm"
	                                                  : "một dãy số chung cho mọi văn bản trong năm (Nghị định 30/2020/NĐ-CP)");
	if (round_allowed(w, p->rv, AUTHZ_OPEN_ROUND, NULL)) {
		html_f(w->out, "<form method=\"post\" action=\"%h/danh-so\">", p->base);
		web_csrf_field(w);
		html_f(w->out, "<fieldset><legend>Đánh số</legend><label class=\"opt\"><input type=\"radio\" name=\"cach\" value=\"nam\"");
		if (n == REGISTER_PER_YEAR) html_f(w->out, " checked");
		html_f(w->out, "> Một dãy số trong năm cho mọi loại văn bản</label><label class=\"opt\"><input type=\"radio\" name=\"cach\" value=\"loai\"");
		if (n == REGISTER_PER_KIND) html_f(w->out, " checked");
		html_f(w->out, "> Mỗi loại văn bản một dãy số trong năm</label></fieldset>"
		               "<p>Đổi cách đánh số chỉ áp dụng cho số cấp sau đó; số đã cấp giữ nguyên, không cấp trùng số.</p>"
		               "<p class=\"actions\"><button type=\"submit\">Lưu cách đánh số</button></p></form>");
	}
	html_f(w->out, "</section>");
}

/* The office's plan for the round (q_register.h): cited by every document
 * of the round; entered here by the office that opened it. */
static void plan_section(web *w, doc_page *p)
{
	round_plan plan;
	bool has = round_plan_get(w->d, p->id, w->a, &plan) == DB_OK;
	db_clear_error(w->d);
	html_f(w->out, "<section class=\"card\" id=\"ke-hoach\"><h2>Kế hoạch của đợt</h2>");
	if (has)
		html_f(w->out, "<p>Các văn bản của đợt ghi: “Căn cứ Kế hoạch số <strong>%h</strong> ngày <strong>%h</strong> của %h”.</p>",
		       plan.number, web_date_short(w, plan.date), p->rv->office.name);
	else
		html_f(w->out, "<p class=\"warn\">Chưa nhập số và ngày của Kế hoạch: các văn bản của đợt sẽ ghi rõ chỗ thiếu này "
		               "thay vì để trống.</p>");
	if (round_allowed(w, p->rv, AUTHZ_OPEN_ROUND, NULL)) {
		html_f(w->out, "<form method=\"post\" action=\"%h/ke-hoach\">", p->base);
		web_csrf_field(w);
		html_f(w->out, "<label>Số kế hoạch<input name=\"so\" required maxlength=\"40\" value=\"%a\" placeholder=\"%a\"></label>"
		               "<label>Ngày ban hành<input type=\"date\" name=\"ngay\" required value=\"%a\"></label>"
		               "<p class=\"actions\"><button type=\"submit\">Lưu</button></p></form>",
		       has ? plan.number : NULL, doc_number_example(w->a, doc_type_find("plan"), &p->rv->office), has ? plan.date : NULL);
	}
	html_f(w->out, "<p><a href=\"%h/so-van-ban\">Sổ đăng ký văn bản đi của %h</a></p></section>", p->base, p->rv->office.name);
	numbering_section(w, p);
}

static void render(web *w, doc_page *p, const char *error)
{
	if (p->scope == DOC_SCOPE_ASSESSMENT) {
		page_begin(w, arena_printf(w->a, "Văn bản — %s", p->av->u.name));
		html_f(w->out, "<section class=\"card summary\"><h1>Văn bản</h1><p>%h — %h — trạng thái: <strong>%h</strong></p></section>",
		       p->av->u.name, p->av->round.title, wf_state_label(p->av->state));
		school_tabs(w, p->av, "van-ban");
	} else {
		page_begin(w, arena_printf(w->a, "Văn bản — %s", p->rv->r.title));
		office_round_header(w, p->rv, "/van-ban");
	}
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);

	/* the document types of this page, with the last file of each */
	size_t nt;
	const doc_type *types = doc_types(&nt);
	html_f(w->out, "<section class=\"card\"><h2>Lập văn bản</h2><div class=\"table-wrap\"><table class=\"labelled docs\"><thead><tr><th>Văn bản</th><th>Lần tạo gần nhất</th>"
	               "<th>Định dạng</th><th></th></tr></thead><tbody>");
	for (size_t i = 0; i < nt; i++) {
		const doc_type *t = &types[i];
		if (t->scope != p->scope) continue;
		document_row last;
		bool has = document_last(w->d, t->code, p->object_type, p->id, w->a, &last) == DB_OK;
		db_clear_error(w->d);
		html_f(w->out, "<tr><td>%h%h</td><td data-label=\"Lần tạo gần nhất\">%h%h%h</td><td data-label=\"Định dạng\">PDF, DOCX%h</td><td><a href=\"%h/van-ban?loai=%u#lap\">Lập</a></td></tr>",
		       t->name, t->office ? " (cơ quan đánh giá)" : "", has ? office_time(w, last.generated_at) : "chưa tạo",
		       has && last.number ? " — số " : "", has && last.number ? last.number : "", t->xlsx ? ", XLSX" : "", p->base, t->alias);
	}
	html_f(w->out, "</tbody></table></div></section>");

	if (p->scope == DOC_SCOPE_ROUND) plan_section(w, p);
	else html_f(w->out, "<p><a href=\"%h/tu-kiem-tra\">Số liệu báo cáo tự kiểm tra</a> (nhân sự, phần mềm, kiến nghị) · "
	                    "<a href=\"%h/so-van-ban\">Sổ văn bản đi của trường</a></p>", p->base, p->base);
	const doc_type *chosen = doc_type_find(web_in_text(w, "loai"));
	if (chosen && chosen->scope == p->scope) doc_form(w, p, chosen, error != NULL);
	/* one type for every unit of the round, in the background (page_job.c) */
	if (p->scope == DOC_SCOPE_ROUND) page_job_round_section(w, p->rv);

	document_row *rows = NULL;
	size_t n = 0, nsigned = 0;
	document_list(w->d, p->object_type, p->id, w->a, &rows, &n);
	db_clear_error(w->d);
	register_signed *sig = NULL;
	signed_originals(w, p, &sig, &nsigned);
	html_f(w->out, "<section class=\"card\"><h2>Các văn bản đã tạo</h2>");
	if (!n) {
		html_f(w->out, "<p>Chưa tạo văn bản nào.</p>");
	} else {
		html_f(w->out, "<table><thead><tr><th>Thời gian</th><th>Người tạo</th><th>Văn bản</th><th>Định dạng</th><th>Số</th>"
		               "<th>Ngày</th><th>Người ký</th><th>SHA-256</th><th>Tệp</th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			const doc_type *t = doc_type_find(rows[i].type);
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td>"
			               "<td><code title=\"%a\">%h…</code></td>",
			       office_time(w, rows[i].generated_at), account_name(w, rows[i].generated_by), t ? t->name : rows[i].type,
			       rows[i].format, rows[i].number ? rows[i].number : "", rows[i].date ? web_date_short(w, rows[i].date) : "",
			       rows[i].signer ? rows[i].signer : "", rows[i].sha256, arena_strndup(w->a, rows[i].sha256, 12));
			const register_signed *rs = signed_of(sig, nsigned, rows[i].sha256);
			if (rs)   /* the document of record: the signed original (issue 17) */
				html_f(w->out, "<td><span class=\"badge sig sig-ok\" data-sig=\"signed-original\">Bản đã ký số</span> "
				               "<a href=\"%h/van-ban/%D\" download>Tải bản đã ký</a></td></tr>", p->base, rows[i].id);
			else if (kept_path(w, rows[i].sha256))
				html_f(w->out, "<td><a href=\"%h/van-ban/%D\" download>Tải về</a></td></tr>", p->base, rows[i].id);
			else
				html_f(w->out, "<td><span class=\"explain\">Tệp không được lưu (tạo trước khi lưu tệp, hoặc từ dòng lệnh)</span></td></tr>");
		}
		html_f(w->out, "</tbody></table><p>Mỗi lần tạo được ghi vào nhật ký (ai, lúc nào, mã SHA-256 của tệp): "
		               "đối chiếu mã với bản đã in để biết đó đúng là bản nào.</p>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

static void doc_page_get(web *w, doc_scope scope)
{
	doc_page p;
	page_load(w, scope, &p);
	render(w, &p, NULL);
}

static void doc_page_post(web *w, doc_scope scope)
{
	doc_page p;
	page_load(w, scope, &p);
	const doc_type *t = doc_type_find(web_in_text(w, "loai"));
	doc_format f = DOC_PDF;
	const char *err_msg = NULL;
	if (!t || t->scope != scope) err_msg = "Hãy chọn một văn bản trong danh sách.";
	else if (web_in_text(w, "dinh_dang") && !doc_format_parse(web_in_text(w, "dinh_dang"), &f))
		err_msg = "Định dạng không hợp lệ.";
	const char *date = NULL;
	const char *date_in = web_in_text(w, "ngay");
	int y, m, d;
	if (!err_msg && date_in && *date_in) {
		if (vn_parse_date(date_in, &y, &m, &d)) date = arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
		else err_msg = "Ngày ban hành không hợp lệ (ghi dạng 21/02/2025).";
	}
	bool preview = web_in_bool(w, "xem_truoc");
	if (!err_msg) {
		/* a textarea's "\r\n" becomes the "\n" the signature title breaks on */
		char *title = (char *)web_in_text(w, "chuc_vu");
		if (title) {
			title = arena_strdup(w->a, title);
			char *o = title;
			for (const char *s = title; *s; s++) if (*s != '\r') *o++ = *s;
			*o = '\0';
		}
		const char *nk = web_in_text(w, "nguoi_ky"), *nn = web_in_text(w, "noi_nhan"), *so = web_in_text(w, "so"), *noi = web_in_text(w, "noi");
		doc_params params = {
			.number = so && *so ? so : NULL, .date = date, .signer = nk && *nk ? nk : NULL,
			.signer_title = title && *title ? title : NULL, .recipients = nn && *nn ? nn : NULL,
			.place = noi && *noi ? noi : NULL,
			.register_number = !preview && web_in_bool(w, "cap_so"),
		};
		doc_result r;
		buf err;
		buf_init(&err);
		int rc = doc_generate(w->d, &w->app->frameworks, w->account_id, t, p.id, f, &params, !preview, &r, &err);
		/* kept as made, before any signature: the bytes the register's SHA-256 names */
		if (rc == DB_OK && !preview) keep_generated(w, &r.data, r.sha256);
		char sign_msg[SIGN_MSG_MAX] = "";
		int64_t office = rc == DB_OK && f == DOC_PDF && !preview && web_in_bool(w, "ky_so") ? web_sign_office(w) : 0;
		if (office && !web_sign_office_pdf(w, office, &r.data, sign_msg)) {
			buf_free(&r.data);
			buf_printf(&err, "%s", sign_msg);
			rc = DB_EINVAL;
		}
		if (rc == DB_OK) {
			if (office) http_set_header(w->r, "X-Chiso-Signed", "1");
			buf_reset(w->out);
			buf_append(w->out, r.data.data, r.data.len);
			buf_free(&r.data);
			buf_free(&err);
			w->r->content_type = doc_format_mime(f);
			/* file names are ASCII (doc_set builds them): no encoding needed */
			http_set_header(w->r, "Content-Disposition", arena_printf(w->a, "%s; filename=\"%s\"",
			                preview && f == DOC_PDF ? "inline" : "attachment", r.filename));
			http_set_header(w->r, "X-Chiso-Sha256", r.sha256);
			return;
		}
		err_msg = arena_strdup(w->a, err.len ? buf_str(&err) : "Không tạo được văn bản.");
		buf_free(&err);
		w->r->status = rc == DB_EINVAL || rc == DB_ENOTFOUND ? 422 : 500;
	} else {
		w->r->status = 422;
	}
	render(w, &p, err_msg);
}

/* A document made earlier, from the list: the same bytes (the SHA-256 the
 * list shows), for whoever may see the page the list is on. */
static void doc_file_get(web *w, doc_scope scope)
{
	doc_page p;
	page_load(w, scope, &p);   /* the dispatcher loaded and authorised it */
	document_row *rows = NULL;
	size_t n = 0;
	document_list(w->d, p.object_type, p.id, w->a, &rows, &n);
	db_clear_error(w->d);
	const document_row *row = NULL;
	for (size_t i = 0; i < n && !row; i++) if (rows[i].id == w->ids[1]) row = &rows[i];
	/* signed outside and filed in the register: the signed file is the record */
	register_signed *sig = NULL;
	size_t nsigned = 0;
	if (row) signed_originals(w, &p, &sig, &nsigned);
	const register_signed *rs = row ? signed_of(sig, nsigned, row->sha256) : NULL;
	const char *sha = rs ? rs->sha256 : row ? row->sha256 : NULL;
	const char *path = sha ? kept_path(w, sha) : NULL;
	doc_format f;
	if (!path || !doc_format_parse(row->format, &f)) {
		web_error(w, 404, row ? "Tệp của văn bản này không được lưu." : "Không tìm thấy văn bản này.");
		return;
	}
	const doc_type *t = doc_type_find(row->type);
	w->r->content_type = doc_format_mime(f);
	w->r->send_path = path;
	/* ASCII names (the type's alias): no encoding needed */
	http_set_header(w->r, "Content-Disposition", arena_printf(w->a, "attachment; filename=\"%s-%lld%s.%s\"", t ? t->alias : "van-ban",
	                                                          (long long)row->id, rs ? "-da-ky" : "", row->format));
	http_set_header(w->r, "X-Chiso-Sha256", sha);
	if (rs) http_set_header(w->r, "X-Chiso-Signed-Original", "1");
}

static void assess_docs(web *w) { doc_page_get(w, DOC_SCOPE_ASSESSMENT); }
static void assess_doc_file(web *w) { doc_file_get(w, DOC_SCOPE_ASSESSMENT); }
static void round_doc_file(web *w) { doc_file_get(w, DOC_SCOPE_ROUND); }
static void assess_docs_post(web *w) { doc_page_post(w, DOC_SCOPE_ASSESSMENT); }
static void round_docs(web *w) { doc_page_get(w, DOC_SCOPE_ROUND); }
static void round_docs_post(web *w) { doc_page_post(w, DOC_SCOPE_ROUND); }

static void plan_post(web *w)
{
	doc_page p;
	page_load(w, DOC_SCOPE_ROUND, &p);   /* declared: the round, for the office that opened it */
	const char *date_in = web_in_text(w, "ngay"), *date = NULL;
	int y, m, d;
	if (date_in && *date_in && vn_parse_date(date_in, &y, &m, &d)) date = arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
	int rc = date ? round_plan_set(w->d, w->account_id, p.id, web_in_text(w, "so"), date) : DB_EINVAL;
	if (rc != DB_OK) {
		w->r->status = rc == DB_EINVAL ? 422 : 500;
		render(w, &p, date ? db_errmsg(w->d) : "Ngày ban hành kế hoạch không hợp lệ (ghi dạng 10/03/2026).");
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "%s/van-ban", p.base), "da-luu");
}

static void numbering_post(web *w)
{
	doc_page p;
	page_load(w, DOC_SCOPE_ROUND, &p);   /* declared: the round, for the office that opened it */
	const char *cach = web_in_text(w, "cach");
	if (!cach) {
		w->r->status = 422;
		render(w, &p, "Hãy chọn cách đánh số.");
		return;
	}
	register_numbering n = strcmp(cach, "loai") ? REGISTER_PER_YEAR : REGISTER_PER_KIND;
	if (register_numbering_set(w->d, w->account_id, p.rv->office.id, n) != DB_OK) {
		w->r->status = 500;
		render(w, &p, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "%s/van-ban#danh-so", p.base), "da-luu");
}

/* The rows of a register: số, ngày, loại, trích yếu, người ký, the file's
 * SHA-256 and its signed original (issue 17, page_register_signed.c). */
static void register_table(web *w, const char *base, const register_entry *e, size_t n)
{
	html_f(w->out, "<table><thead><tr><th>Số thứ tự</th><th>Số, ký hiệu</th><th>Ngày</th><th>Loại</th><th>Trích yếu</th>"
	               "<th>Người ký</th><th>SHA-256 của tệp</th><th>Bản ký số</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		html_f(w->out, "<tr data-register=\"%D\"><td>%D</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td><code>%h</code>%h</td><td>",
		       e[i].id, e[i].seq, e[i].number, web_date_short(w, e[i].date), e[i].kind, e[i].summary,
		       e[i].signer ? e[i].signer : "", e[i].sha256 ? arena_strndup(w->a, e[i].sha256, 16) : "—",
		       e[i].sha256 ? "…" : "");
		register_signed_cell(w, base, &e[i]);
		html_f(w->out, "</td></tr>");
	}
	html_f(w->out, "</tbody></table>");
}

/* On a school's register page: the evaluating office's own documents about
 * this assessment (the evaluation-side ones: its report, its decision),
 * numbered in the office's register, with their signed originals. */
static void office_entries_about(web *w, doc_page *p)
{
	register_entry *e = NULL;
	size_t n = 0;
	if (register_list_about(w->d, p->av->round.office_unit_id, "assessment", p->id, w->a, &e, &n) != DB_OK) {
		db_clear_error(w->d);
		return;
	}
	if (!n) return;
	unit office;
	bool named = unit_get(w->d, p->av->round.office_unit_id, w->a, &office) == DB_OK;
	db_clear_error(w->d);
	html_f(w->out, "<section class=\"card\" id=\"van-ban-co-quan\"><h2>Văn bản của %h về hồ sơ này</h2>"
	               "<p>Vào sổ văn bản đi của cơ quan đánh giá; bản đã ký số do cán bộ của cơ quan tải lên.</p>",
	       named ? office.name : "cơ quan đánh giá");
	register_table(w, p->base, e, n);
	html_f(w->out, "</section>");
}

/* Sổ đăng ký văn bản đi of the page's issuer (the round's office, or the
 * school) for one year (?nam=, default this year): số, ngày, loại, trích
 * yếu, người ký, the file's SHA-256. */
static void register_page(web *w, doc_scope scope)
{
	doc_page p;
	page_load(w, scope, &p);
	const unit *issuer = scope == DOC_SCOPE_ROUND ? &p.rv->office : &p.av->u;
	int year = (int)web_in_int(w, "nam", vn_today_ymd() / 10000);
	register_entry *e = NULL;
	size_t n = 0;
	if (register_list(w->d, issuer->id, year, w->a, &e, &n) != DB_OK) {
		web_error(w, 500, db_errmsg(w->d));
		return;
	}
	page_begin(w, arena_printf(w->a, "Sổ văn bản đi %d — %s", year, issuer->name));
	html_f(w->out, "<section class=\"card\"><h1>Sổ đăng ký văn bản đi năm %d</h1><p>%h — %z văn bản. "
	               "<a href=\"%h/so-van-ban?nam=%d\">Năm %d</a> · <a href=\"%h/van-ban\">Văn bản</a></p>",
	       year, issuer->name, n, p.base, year - 1, year - 1, p.base);
	if (!n) html_f(w->out, "<p>Chưa có văn bản nào vào sổ năm này.</p>");
	else register_table(w, p.base, e, n);
	register_numbering mode = REGISTER_PER_YEAR;
	register_numbering_get(w->d, issuer->id, &mode);
	db_clear_error(w->d);
	html_f(w->out, "<p>Số được cấp theo thứ tự trong năm của đơn vị ban hành%h, không trùng, không bỏ số "
	               "(Nghị định 30/2020/NĐ-CP, Điều 15).</p></section>",
	       mode == REGISTER_PER_KIND ? ", mỗi loại văn bản một dãy số" : "");
	if (scope == DOC_SCOPE_ASSESSMENT) office_entries_about(w, &p);
	page_end(w);
}

static void assess_register(web *w) { register_page(w, DOC_SCOPE_ASSESSMENT); }
static void round_register(web *w) { register_page(w, DOC_SCOPE_ROUND); }

/* The document form, the plan's and the batch's (the round's tab shows
 * it, page_job.c): what a well-formed value is. Which type, format and
 * date it means stays the handler's 422 with its own message; the limits
 * are above the form's maxlength. */
#define DOC_FORM_INPUTS \
	PAGE_JOB_BATCH_INPUTS, \
	{ .name = "so", .type = WEB_IN_TEXT, .max = 100, .label = "số văn bản" }, \
	{ .name = "chuc_vu", .type = WEB_IN_TEXT, .max = 500, .label = "chức vụ người ký" }, \
	{ .name = "noi_nhan", .type = WEB_IN_TEXT, .max = 4000, .label = "nơi nhận" }, \
	{ .name = "noi", .type = WEB_IN_TEXT, .max = 200, .label = "địa danh" }, \
	{ .name = "cap_so", .type = WEB_IN_BOOL, .label = "lấy số trong sổ" }, \
	{ .name = "ky_so", .type = WEB_IN_BOOL, .label = "ký số" }, \
	{ .name = "xem_truoc", .type = WEB_IN_BOOL, .label = "xem trước" }
static const web_input doc_inputs[] = { DOC_FORM_INPUTS, { .name = NULL } };

static const web_input register_inputs[] = {
	{ .name = "nam", .type = WEB_IN_INT, .min = 1000, .max = 9999, .label = "năm" },
	{ .name = NULL },
};

static const char *const numbering_values[] = { "nam", "loai", NULL };
static const web_input numbering_inputs[] = {
	{ .name = "cach", .type = WEB_IN_ENUM, .values = numbering_values, .label = "cách đánh số" },
	DOC_FORM_INPUTS,
	{ .name = NULL },
};

const web_route page_doc_routes[] = {
	{ "GET", "/danh-gia/{id}/van-ban", assess_docs, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW, .inputs = doc_inputs },
	{ "POST", "/danh-gia/{id}/van-ban", assess_docs_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW, .inputs = doc_inputs },
	{ "GET", "/dot/{id}/van-ban", round_docs, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW, .inputs = doc_inputs },
	{ "POST", "/dot/{id}/van-ban", round_docs_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW, .inputs = doc_inputs },
	{ "GET", "/danh-gia/{id}/van-ban/{id}", assess_doc_file, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW },
	{ "GET", "/dot/{id}/van-ban/{id}", round_doc_file, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "POST", "/dot/{id}/ke-hoach", plan_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND, .inputs = doc_inputs },
	{ "GET", "/dot/{id}/so-van-ban", round_register, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW, .inputs = register_inputs },
	{ "GET", "/danh-gia/{id}/so-van-ban", assess_register, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW, .inputs = register_inputs },
	{ "POST", "/dot/{id}/danh-so", numbering_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = numbering_inputs },
	{ NULL, NULL, NULL, 0 },
};
