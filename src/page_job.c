/* page_job.c — batch documents of a round ("Tạo hàng loạt" on the round's
 * "Văn bản" tab): the form queues a background job (doc_batch.h, run by
 * job.h's worker outside any request), the job's page shows its progress
 * (a <progress> bar kept fresh by assets/chiso.js polling the JSON status,
 * or by a meta refresh without JavaScript), then the ZIP to download; the
 * round's past batches are listed with their state, who, when and size.
 *
 * Who may: the office that runs the round (AUTHZ_OPEN_ROUND), on every
 * route — create, status, download, cancel. A job is always read through
 * its round, so a job of another round is "not found".
 *
 * The reminders to late units (remind.h, queued by page_office.c) are
 * jobs too: their page under /dot/{id}/nhac-nho/{job} shows the progress
 * and, at the end, the outcome per unit and recipient. */
#include "blob_db.h"
#include "doc_batch.h"
#include "job.h"
#include "q_account.h"
#include "q_job.h"
#include "remind.h"
#include "util.h"
#include "vn.h"
#include "web.h"
#include "web_job.h"
#include "web_office.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *who_name(web *w, int64_t id)
{
	account a;
	if (!id) return "Hệ thống";
	return account_get(w->d, id, w->a, &a) == DB_OK ? a.full_name : "";
}

/* "1,2 MB", "340 KB" */
static const char *size_text(web *w, int64_t n)
{
	const int64_t mb = (int64_t)1024 * 1024;
	if (n >= mb) {
		int64_t t = (n * 10 + mb / 2) / mb;
		return arena_printf(w->a, "%lld,%lld MB", (long long)(t / 10), (long long)(t % 10));
	}
	return arena_printf(w->a, "%lld KB", (long long)((n + 1023) / 1024));
}

/* The document type and format a job's parameters name. */
static void job_what(const job_row *j, const doc_type **t, const char **format)
{
	json_t *p = json_loads(j->params ? j->params : "", 0, NULL);
	*t = doc_type_find(json_string_value(json_object_get(p, "type")));
	const char *f = json_string_value(json_object_get(p, "format"));
	*format = f && !strcmp(f, "pdf") ? "PDF" : f && !strcmp(f, "docx") ? "DOCX" : "";
	json_decref(p);
}

/* The bar's value: a job done with nothing to do is full, not empty. */
void web_job_card_begin(web *w, const job_row *j, const char *base, const char *counted)
{
	if (!job_state_final(j->state)) html_f(w->out, "<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>");
	html_f(w->out, "<section class=\"card\" id=\"cong-viec\" data-job-status=\"%h/trang-thai\" data-job-state=\"%a\""
	               " data-job-unit=\"%a\">", base, j->state, counted);
}

void web_job_progress(web *w, const job_row *j, int64_t done, int64_t total, const char *counted)
{
	int64_t bar = !strcmp(j->state, "done") && !total ? 1 : done;
	html_f(w->out, "<p><label for=\"job-progress\" class=\"plain\">Tiến độ</label> <progress id=\"job-progress\" value=\"%D\""
	               " max=\"%D\">%D/%D</progress> <span id=\"job-count\">%D/%D %h</span> — <strong id=\"job-state\">%h</strong></p>",
	       bar, total ? total : 1, done, total, done, total, counted, job_state_label(j->state));
}

void web_job_status_reply(web *w, const job_row *j, int64_t done, int64_t total, const char *message,
                          json_t *extra)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:o}", "id", (json_int_t)j->id, "state", j->state,
	                      "label", job_state_label(j->state), "done", (json_int_t)done, "total", (json_int_t)total,
	                      "message", message ? json_string(message) : json_null());
	if (extra) json_object_update(o, extra);
	json_decref(extra);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	buf_reset(w->out);
	buf_puts(w->out, s ? s : "{}");
	free(s);
	w->r->content_type = "application/json; charset=utf-8";
}

/* Where a job's pages are: under the round page that asked for it. */
static const char *job_base(web *w, const job_row *j)
{
	return arena_printf(w->a, strcmp(j->kind, REMIND_KIND) ? "/dot/%lld/van-ban/hang-loat/%lld" : "/dot/%lld/nhac-nho/%lld",
	                    (long long)j->round_id, (long long)j->id);
}

static void batch_form(web *w, const round_view *rv)
{
	size_t nt;
	const doc_type *types = doc_types(&nt);
	/* ?loai= also names the single document opened on the tab (page_doc.c):
	 * only a unit-level type chooses here */
	const char *chosen = web_in_text(w, "loai");
	const doc_type *ct = chosen ? doc_type_find(chosen) : NULL;
	if (!ct || ct->scope != DOC_SCOPE_ASSESSMENT) chosen = NULL;
	html_f(w->out, "<section class=\"card\" id=\"hang-loat\"><h2>Tạo hàng loạt</h2>"
	               "<p>Lập một loại văn bản cho mọi đơn vị phù hợp của đợt, thành một tệp ZIP (kèm danh sách "
	               "<code>danh-sach.csv</code> có mã SHA-256 của từng tệp). Việc lập chạy nền: bạn có thể rời trang "
	               "và quay lại xem tiến độ.</p>"
	               "<form method=\"post\" action=\"/dot/%D/van-ban/hang-loat\">", rv->r.id);
	web_csrf_field(w);
	html_f(w->out, "<label>Văn bản<select name=\"loai\">");
	for (size_t i = 0; i < nt; i++) {
		if (types[i].scope != DOC_SCOPE_ASSESSMENT) continue;
		bool sel = chosen ? !strcmp(chosen, types[i].alias) : !strcmp(types[i].code, "external-minutes");
		html_f(w->out, "<option value=\"%a\"%h>%h — cho %h</option>", types[i].alias, sel ? " selected" : "",
		       types[i].name, doc_batch_who(&types[i]));
	}
	const char *fmt = web_in_text(w, "dinh_dang");
	bool docx = fmt && !strcmp(fmt, "docx");
	html_f(w->out, "</select></label>"
	               "<fieldset><legend>Định dạng</legend>"
	               "<label class=\"opt\"><input type=\"radio\" name=\"dinh_dang\" value=\"pdf\"%h> PDF (bản ký, in)</label>"
	               "<label class=\"opt\"><input type=\"radio\" name=\"dinh_dang\" value=\"docx\"%h> DOCX (sửa bằng Word, LibreOffice)</label>"
	               "</fieldset>"
	               "<label>Ngày ban hành (để trống: ghi tay)<input type=\"date\" name=\"ngay\" value=\"%a\"></label>"
	               "<label>Người ký (để trống: theo dữ liệu)<input name=\"nguoi_ky\" value=\"%a\" maxlength=\"120\"></label>"
	               "<p class=\"actions\"><button type=\"submit\">Tạo hàng loạt</button></p></form>",
	       docx ? "" : " checked", docx ? " checked" : "", web_in_text(w, "ngay"), web_in_text(w, "nguoi_ky"));

	job_row *jobs = NULL;
	size_t n = 0;
	job_list_round(w->d, DOC_BATCH_KIND, rv->r.id, 50, w->a, &jobs, &n);
	db_clear_error(w->d);
	if (!n) {
		html_f(w->out, "<p>Chưa có lần tạo hàng loạt nào.</p></section>");
		return;
	}
	html_f(w->out, "<h3>Các lần tạo hàng loạt</h3><div class=\"table-wrap\"><table><thead><tr><th>Thời gian</th><th>Người yêu cầu</th>"
	               "<th>Văn bản</th><th>Định dạng</th><th>Trạng thái</th><th>Tiến độ</th><th>Kích thước</th><th></th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const doc_type *t;
		const char *f;
		job_what(&jobs[i], &t, &f);
		html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%D/%D</td><td>%h</td>"
		               "<td><a href=\"%h\">Xem</a></td></tr>",
		       office_time(w, jobs[i].created_at), who_name(w, jobs[i].requested_by), t ? t->name : "?", f,
		       job_state_label(jobs[i].state), jobs[i].done, jobs[i].total,
		       jobs[i].result_sha256 ? size_text(w, jobs[i].result_size) : "",
		       job_base(w, &jobs[i]));
	}
	html_f(w->out, "</tbody></table></div></section>");
}

void page_job_round_section(web *w, const round_view *rv)
{
	authz_decision why;
	if (!round_allowed(w, rv, AUTHZ_OPEN_ROUND, &why)) return;
	batch_form(w, rv);
}

/* GET: the form alone (and where a refused form comes back). */
static void render_form_page(web *w, const round_view *rv, const char *error)
{
	page_begin(w, arena_printf(w->a, "Tạo hàng loạt — %s", rv->r.title));
	office_round_header(w, rv, "/van-ban");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	batch_form(w, rv);
	page_end(w);
}

static void batch_page(web *w)
{
	round_view rv = *w->round;
	render_form_page(w, &rv, NULL);
}

static void batch_create(web *w)
{
	round_view rv = *w->round;
	const char *date = NULL, *date_in = web_in_text(w, "ngay"), *signer = web_in_text(w, "nguoi_ky");
	int y, m, d;
	buf params, err;
	buf_init(&params);
	buf_init(&err);
	if (date_in && *date_in) {
		if (vn_parse_date(date_in, &y, &m, &d)) date = arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
		else buf_puts(&err, "Ngày ban hành không hợp lệ (ghi dạng 21/02/2025).");
	}
	if (!err.len) doc_batch_params(web_in_text(w, "loai"), web_in_text(w, "dinh_dang"), date,
	                               signer && *signer ? signer : NULL, &params, &err);
	if (err.len) {
		w->r->status = 422;
		render_form_page(w, &rv, arena_strdup(w->a, buf_str(&err)));
		buf_free(&params);
		buf_free(&err);
		return;
	}
	/* the same batch already waiting or running: show it rather than queue
	 * the same work twice (a double click, an impatient reload) */
	int64_t id = 0;
	job_row *jobs = NULL;
	size_t n = 0;
	job_list_round(w->d, DOC_BATCH_KIND, rv.r.id, 50, w->a, &jobs, &n);
	db_clear_error(w->d);
	for (size_t i = 0; i < n && !id; i++)
		if (!job_state_final(jobs[i].state) && !strcmp(jobs[i].params, buf_str(&params))) id = jobs[i].id;
	if (!id && job_create(w->d, w->account_id, DOC_BATCH_KIND, rv.r.id, buf_str(&params), &id) != DB_OK) {
		buf_free(&params);
		buf_free(&err);
		web_error(w, 500, "Không tạo được công việc. Vui lòng thử lại.");
		return;
	}
	buf_free(&params);
	buf_free(&err);
	job_worker_wake();
	http_redirect(w->r, job_base(w, &(job_row){ .kind = DOC_BATCH_KIND, .round_id = rv.r.id, .id = id }));
}

/* The route's round (AUTHZ_OPEN_ROUND) and the job, which must be of that
 * round and of the kind the route shows: the reminders' routes never show
 * a batch. */
static bool job_load_kind(web *w, const char *kind, round_view *rv, job_row *j)
{
	*rv = *w->round;
	if (job_get(w->d, w->ids[1], w->a, j) != DB_OK || j->round_id != rv->r.id || strcmp(j->kind, kind) != 0) {
		db_clear_error(w->d);
		web_error(w, 404, strcmp(kind, REMIND_KIND) ? "Không tìm thấy lần tạo hàng loạt này trong đợt đánh giá."
		                                            : "Không tìm thấy lần gửi thư nhắc này trong đợt đánh giá.");
		return false;
	}
	return true;
}

static bool job_load(web *w, round_view *rv, job_row *j)
{
	return job_load_kind(w, DOC_BATCH_KIND, rv, j);
}

static void job_page(web *w)
{
	round_view rv;
	job_row j;
	if (!job_load(w, &rv, &j)) return;
	const doc_type *t;
	const char *f;
	job_what(&j, &t, &f);
	const char *base = job_base(w, &j);
	page_begin(w, arena_printf(w->a, "Tạo hàng loạt — %s", t ? t->name : ""));
	office_round_header(w, &rv, "/van-ban");
	bool final = job_state_final(j.state);
	web_job_card_begin(w, &j, base, "văn bản");
	html_f(w->out, "<h2>%h (%h), cho %h</h2><p>Yêu cầu bởi %h lúc %h.</p>",
	       t ? t->name : "?", f, doc_batch_who(t), who_name(w, j.requested_by), office_time(w, j.created_at));
	web_job_progress(w, &j, j.done, j.total, "văn bản");
	html_f(w->out, "<p id=\"job-message\">%h</p>", j.message ? j.message : "");
	if (!strcmp(j.state, "done") && j.result_sha256)
		html_f(w->out, "<p><a class=\"button\" href=\"%h/tai-ve\">Tải tệp ZIP (%h)</a></p>"
		               "<p>SHA-256 của tệp ZIP: <code class=\"hash\">%h</code></p>",
		       base, size_text(w, j.result_size), j.result_sha256);
	if (!final) {
		html_f(w->out, "<form method=\"post\" action=\"%h/huy\">", base);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\">Hủy</button></form>");
	}
	html_f(w->out, "<p><a href=\"/dot/%D/van-ban#hang-loat\">Về trang Văn bản của đợt</a></p></section>", rv.r.id);
	page_end(w);
}

static void job_status_of(web *w, const char *kind)
{
	round_view rv;
	job_row j;
	if (!job_load_kind(w, kind, &rv, &j)) return;
	json_t *extra = NULL;
	if (!strcmp(j.state, "done") && j.result_sha256)
		extra = json_pack("{s:s, s:s, s:I}", "download", arena_printf(w->a, "%s/tai-ve", job_base(w, &j)),
		                  "sha256", j.result_sha256, "size", (json_int_t)j.result_size);
	web_job_status_reply(w, &j, j.done, j.total, j.message, extra);
}

static void job_download(web *w)
{
	round_view rv;
	job_row j;
	if (!job_load(w, &rv, &j)) return;
	if (strcmp(j.state, "done") != 0 || !j.result_sha256 || !blob_sha_valid(j.result_sha256)) {
		web_error(w, 409, "Tệp ZIP chưa có: việc tạo hàng loạt chưa xong hoặc đã lỗi.");
		return;
	}
	/* blob.h's layout, DIR/ab/<sha256>, sent by http.c from the file */
	/* PostgreSQL: fetched into this server's directory when missing */
	const char *path = blob_local_file(w->app->blob_dir, w->app->db_target, j.result_sha256, w->a);
	if (!path) {
		web_error(w, 404, "Tệp ZIP không còn trong kho lưu trữ. Vui lòng báo quản trị viên.");
		return;
	}
	w->r->content_type = "application/zip";
	w->r->send_path = path;
	/* doc_batch names it in ASCII: no encoding needed */
	http_set_header(w->r, "Content-Disposition", arena_printf(w->a, "attachment; filename=\"%s\"",
	                j.result_name ? j.result_name : "van-ban.zip"));
	http_set_header(w->r, "X-Chiso-Sha256", j.result_sha256);
}

static void job_cancel_of(web *w, const char *kind)
{
	round_view rv;
	job_row j;
	if (!job_load_kind(w, kind, &rv, &j)) return;
	int rc = job_cancel(w->d, w->account_id, j.id);
	if (rc == DB_ECONFLICT) {
		web_error(w, 409, db_errmsg(w->d));
		return;
	}
	if (rc != DB_OK) {
		web_error(w, 500, "Không hủy được. Vui lòng thử lại.");
		return;
	}
	http_redirect(w->r, job_base(w, &j));
}

static void job_status(web *w) { job_status_of(w, DOC_BATCH_KIND); }
static void job_cancel_post(web *w) { job_cancel_of(w, DOC_BATCH_KIND); }
static void remind_status(web *w) { job_status_of(w, REMIND_KIND); }
static void remind_cancel_post(web *w) { job_cancel_of(w, REMIND_KIND); }

/* The reminders sent by the worker (remind.c): progress, then one line
 * per unit and recipient from the job's message. */
static void remind_page(web *w)
{
	round_view rv;
	job_row j;
	if (!job_load_kind(w, REMIND_KIND, &rv, &j)) return;
	const char *base = job_base(w, &j);
	json_t *p = json_loads(j.params ? j.params : "", 0, NULL);
	json_int_t late = json_integer_value(json_object_get(p, "late"));
	json_decref(p);
	page_begin(w, "Gửi e-mail nhắc");
	office_round_header(w, &rv, "/hop-thu");
	bool final = job_state_final(j.state);
	web_job_card_begin(w, &j, base, "thư");
	html_f(w->out, "<h2>Gửi e-mail nhắc đơn vị quá hạn</h2><p>%D đơn vị quá hạn. Yêu cầu bởi %h lúc %h.</p>",
	       (int64_t)late, who_name(w, j.requested_by), office_time(w, j.created_at));
	web_job_progress(w, &j, j.done, j.total, "thư");
	/* the message: a summary line, then "unit: outcome" lines */
	const char *m = j.message ? j.message : "", *nl = strchr(m, '\n');
	html_f(w->out, "<p id=\"job-message\">%h</p>", nl ? arena_strndup(w->a, m, (size_t)(nl - m)) : m);
	if (nl) {
		html_f(w->out, "<ul class=\"outcomes\">");
		for (const char *line = nl + 1; *line;) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			const char *text = arena_strndup(w->a, line, len);
			html_f(w->out, strstr(text, ": đã gửi đến ") ? "<li>%h</li>" : "<li class=\"warn\">%h</li>", text);
			line += len + (end ? 1 : 0);
		}
		html_f(w->out, "</ul>");
	}
	if (!final) {
		html_f(w->out, "<form method=\"post\" action=\"%h/huy\">", base);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\">Hủy</button></form>");
	}
	html_f(w->out, "<p><a href=\"/dot/%D/hop-thu\">Về hộp thư</a></p></section>", rv.r.id);
	page_end(w);
}

const web_input page_job_batch_inputs[] = { PAGE_JOB_BATCH_INPUTS, { .name = NULL } };

const web_route page_job_routes[] = {
	{ "GET", "/dot/{id}/van-ban/hang-loat", batch_page, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = page_job_batch_inputs },
	{ "POST", "/dot/{id}/van-ban/hang-loat", batch_create, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = page_job_batch_inputs },
	{ "GET", "/dot/{id}/van-ban/hang-loat/{id}", job_page, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "GET", "/dot/{id}/van-ban/hang-loat/{id}/trang-thai", job_status, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "GET", "/dot/{id}/nhac-nho/{id}", remind_page, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "GET", "/dot/{id}/nhac-nho/{id}/trang-thai", remind_status, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "POST", "/dot/{id}/nhac-nho/{id}/huy", remind_cancel_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "GET", "/dot/{id}/van-ban/hang-loat/{id}/tai-ve", job_download, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "POST", "/dot/{id}/van-ban/hang-loat/{id}/huy", job_cancel_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ NULL, NULL, NULL, 0 },
};
