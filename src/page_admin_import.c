/* page_admin_import.c — /quan-tri/don-vi/nhap: the unit import from the
 * browser: upload → the importer's report (a check-only background job) →
 * confirm → the import job, its progress and its cancellation. The
 * importer is import_unit.c, run as a job by import_unit_job.c. */
#include "import.h"
#include "import_unit.h"
#include "import_unit_job.h"
#include "job.h"
#include "page_admin.h"
#include "q_account.h"
#include "q_job.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_job.h"
#include "web_office.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- units: import -------------------------------------------------------------------- */

static void import_form(web *w)
{
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/don-vi/nhap\" enctype=\"multipart/form-data\" class=\"grid-form\">");
	web_csrf_field(w);
	html_f(w->out, "<label>Tệp danh sách đơn vị (XLSX hoặc CSV, tối đa 20 MB)<input type=\"file\" name=\"tep\" required "
	               "accept=\".xlsx,.csv,.txt\"></label>"
	               "<label>Quan hệ quản lý, đánh giá có hiệu lực từ ngày<input type=\"date\" name=\"tu_ngay\" value=\"%a\" required></label>"
	               "<p><button type=\"submit\">Kiểm tra tệp</button></p></form>",
	       admin_in(w, "tu_ngay", office_today_iso(w)));
}

static void import_get(web *w)
{
	if (!admin_gate(w)) return;
	if (!admin_is_system(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	page_begin(w, "Nhập danh sách đơn vị");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/don-vi");
	html_f(w->out, "<section class=\"card\"><h2>Nhập danh sách đơn vị</h2>"
	               "<p class=\"explain\">Tệp Excel (XLSX) hoặc CSV, mỗi dòng một đơn vị, dòng tiêu đề ở trên cùng (có thể có "
	               "tiêu đề bảng phía trên). Tên cột viết có dấu hay không dấu đều được; cột khác (STT, Ghi chú) được bỏ qua.</p>"
	               "<div class=\"table-wrap\"><table class=\"import-columns labelled\"><thead><tr><th>Cột</th><th>Nội dung</th>"
	               "<th>Bắt buộc</th></tr></thead><tbody>"
	               "<tr><td>Mã đơn vị</td><td data-label=\"Nội dung\">Mã trường hoặc mã cơ quan: chữ không dấu, chữ số, dấu . - _</td>"
	               "<td data-label=\"Bắt buộc\">Có</td></tr>"
	               "<tr><td>Tên đơn vị</td><td data-label=\"Nội dung\">Tên đầy đủ, có dấu</td><td data-label=\"Bắt buộc\">Có</td></tr>"
	               "<tr><td>Loại hình</td><td data-label=\"Nội dung\">Mầm non, Tiểu học, THCS, THPT, Liên cấp, GDTX; hoặc Phòng GD&amp;ĐT, "
	               "Sở GD&amp;ĐT, UBND xã/phường</td><td data-label=\"Bắt buộc\">Có</td></tr>"
	               "<tr><td>Các cấp học</td><td data-label=\"Nội dung\">Với trường liên cấp, ví dụ: Tiểu học, THCS</td>"
	               "<td data-label=\"Bắt buộc\">Với trường liên cấp</td></tr>"
	               "<tr><td>Mã đơn vị quản lý</td><td data-label=\"Nội dung\">Mã (hoặc tên chính xác) của cơ quan quản lý, có sẵn "
	               "hoặc ở một dòng khác của tệp</td><td data-label=\"Bắt buộc\">Không</td></tr>"
	               "<tr><td>Mã đơn vị đánh giá</td><td data-label=\"Nội dung\">Như trên; để trống: là đơn vị quản lý</td>"
	               "<td data-label=\"Bắt buộc\">Không</td></tr>"
	               "<tr><td>Địa chỉ</td><td data-label=\"Nội dung\"></td><td data-label=\"Bắt buộc\">Không</td></tr>"
	               "<tr><td>Công lập/Tư thục</td><td data-label=\"Nội dung\">Công lập hoặc Tư thục; để trống: công lập</td>"
	               "<td data-label=\"Bắt buộc\">Không</td></tr></tbody></table></div>"
	               "<p><a class=\"button\" href=\"/quan-tri/don-vi/nhap/mau.csv\" download>Tải tệp mẫu (CSV)</a></p>"
	               "<p class=\"explain\">Mọi dòng được kiểm tra trước; chỉ khi không có lỗi mới có nút Nhập.</p>");
	import_form(w);
	html_f(w->out, "</section>");
	page_end(w);
}

/* The template: the header row the importer recognises and one example
 * row (a school of the demo's province, under its UBND), UTF-8 with a BOM
 * so that Excel opens it with its Vietnamese letters. */
static void import_template(web *w)
{
	if (!admin_gate(w)) return;
	if (!admin_is_system(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	buf_reset(w->out);
	buf_puts(w->out, "\xEF\xBB\xBF"
	         "Mã đơn vị,Tên đơn vị,Loại hình,Các cấp học,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục\r\n"
	         "52109101,Trường Tiểu học và THCS Kim Đồng,Liên cấp,\"Tiểu học, THCS\",52109001,52000000,"
	         "\"Số 12 Lê Lợi, phường Quy Nhơn, tỉnh Bình Định\",Công lập\r\n");
	w->r->content_type = "text/csv; charset=utf-8";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"mau-danh-sach-don-vi.csv\"");
}

static void import_post(web *w)
{
	if (!admin_gate(w)) return;
	if (!admin_is_system(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	const char *from = admin_in_date(w, "tu_ngay");
	http_upload *up = NULL;
	for (size_t i = 0; i < w->r->nuploads; i++)
		if (!strcmp(w->r->uploads[i].field, "tep") && w->r->uploads[i].size > 0) up = &w->r->uploads[i];
	if (!up || !from) { web_error(w, 422, !up ? "Chưa chọn tệp." : "Ngày hiệu lực không hợp lệ."); return; }
	if (up->truncated) { web_error(w, 413, "Tệp quá lớn."); return; }
	/* The check is a dry run of the whole import (seconds at 50,000 rows,
	 * holding the write lock): a background job of the import's kind with
	 * check_only, whose page shows the report and then offers "Nhập". The
	 * file is kept for it and for the confirmation. */
	buf bytes;
	buf_init(&bytes);
	FILE *f = fopen(up->tmp_path, "rb");
	char chunk[65536];
	size_t k;
	while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&bytes, chunk, k);
	if (f) fclose(f);
	const char *name = up->filename && *up->filename && strlen(up->filename) <= 255
	                   && vn_utf8_valid(up->filename, strlen(up->filename), NULL) ? up->filename : "tep";
	char sha[65];
	import_unit_job_sha256(bytes.data, bytes.len, sha);
	int64_t file_id = 0, id = 0;
	int rc = unit_import_file_save(w->d, w->account_id, name, bytes.data, bytes.len, &file_id);
	buf_free(&bytes);
	if (rc == DB_OK) {
		import_unit_job_params p = { .file_id = file_id, .from = from, .sha256 = sha, .file_name = name, .check_only = true };
		buf params;
		buf_init(&params);
		import_unit_job_params_json(&p, &params);
		rc = job_create(w->d, w->account_id, IMPORT_UNIT_JOB_KIND, 0, buf_str(&params), &id);
		buf_free(&params);
	}
	if (rc != DB_OK) { web_error(w, 500, "Không lưu được tệp để kiểm tra. Vui lòng thử lại."); return; }
	job_worker_wake();
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)id));
}

/* The confirmation queues the import as a background job (import_unit_job.h)
 * and shows its page: the request never holds the write lock. */
static void import_commit_post(web *w)
{
	if (!admin_gate(w)) return;
	if (!admin_is_system(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return; }
	const char *from = admin_in_date(w, "tu_ngay");
	unit_import_file f;
	if (unit_import_file_get(w->d, w->ids[0], w->a, &f) != DB_OK) { web_error(w, 404, "Không tìm thấy tệp đã tải lên."); return; }
	if (!from) { web_error(w, 422, "Ngày hiệu lực không hợp lệ."); return; }
	if (f.imported_at) { web_error(w, 409, "Tệp này đã được nhập."); return; }
	char sha[65];
	import_unit_job_sha256(f.data, f.len, sha);
	const char *name = f.file_name && strlen(f.file_name) <= 255 && vn_utf8_valid(f.file_name, strlen(f.file_name), NULL)
	                   ? f.file_name : "tep";
	import_unit_job_params p = { .file_id = f.id, .from = from, .sha256 = sha, .file_name = name };
	buf params;
	buf_init(&params);
	import_unit_job_params_json(&p, &params);
	/* the same confirmation already waiting or running (a double click,
	 * another tab): show it rather than queue a second import of the file */
	int64_t id = 0;
	int rc = job_find_active(w->d, IMPORT_UNIT_JOB_KIND, buf_str(&params), &id);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(w->d);
		rc = job_create(w->d, w->account_id, IMPORT_UNIT_JOB_KIND, 0, buf_str(&params), &id);
	}
	buf_free(&params);
	if (rc != DB_OK) { web_error(w, 500, "Không tạo được công việc nhập. Vui lòng thử lại."); return; }
	job_worker_wake();
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)id));
}

/* The import's job, for the routes under /quan-tri/don-vi/nhap/{job}: the
 * same gate as the import pages (system administrators); a job of another
 * kind (a batch of documents) is "not found" here. */
static bool import_job_load(web *w, job_row *j, import_unit_job_params *p)
{
	if (!admin_gate(w)) return false;
	if (!admin_is_system(w)) { web_error(w, 403, "Nhập danh sách đơn vị dành cho quản trị viên hệ thống."); return false; }
	if (job_get(w->d, w->ids[0], w->a, j) != DB_OK || strcmp(j->kind, IMPORT_UNIT_JOB_KIND) != 0
	    || !import_unit_job_params_parse(j->params, w->a, p)) {
		db_clear_error(w->d);
		web_error(w, 404, "Không tìm thấy lần nhập danh sách đơn vị này.");
		return false;
	}
	return true;
}

/* What the job is doing, from its phase (import_unit_job.h). */
static const char *import_phase(const job_row *j, const import_unit_job_params *p)
{
	if (!strcmp(j->state, "queued")) return "Đang chờ tiến trình nền.";
	if (strcmp(j->state, "running") != 0) return "";
	if (p->check_only) return "Đang đọc tệp và kiểm tra từng dòng với dữ liệu hiện tại (chưa ghi gì).";
	if (j->done == 0) return "Đang đọc tệp và kiểm tra lại từng dòng với dữ liệu hiện tại.";
	if (j->done == 1) return "Đang ghi các đơn vị và quan hệ (một giao dịch: ghi hết hoặc không ghi gì).";
	return "Đang hoàn tất.";
}

static const char *import_who(web *w, int64_t id)
{
	account a;
	if (!id) return "Hệ thống";
	if (account_get(w->d, id, w->a, &a) == DB_OK) return a.full_name;
	db_clear_error(w->d);
	return "";
}

static void import_job_page(web *w)
{
	job_row j;
	import_unit_job_params p;
	if (!import_job_load(w, &j, &p)) return;
	const char *base = arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)j.id);
	int y = 0, m = 0, d = 0;
	buf day;
	buf_init(&day);
	if (vn_parse_date(p.from, &y, &m, &d)) vn_format_date(&day, y, m, d);
	const char *from_text = arena_strdup(w->a, buf_str(&day));
	buf_free(&day);
	bool final = job_state_final(j.state), done = !strcmp(j.state, "done"), check = p.check_only;
	/* a check is one step, an import two (import_unit_job.h) */
	int64_t total = check ? 1 : 2, step = done ? total : check ? 0 : j.done;
	page_begin(w, "Nhập danh sách đơn vị");
	html_f(w->out, "<h1>Quản trị</h1>");
	admin_nav(w, "/quan-tri/don-vi");
	web_job_card_begin(w, &j, base, "bước");
	html_f(w->out, "<h2>%h: %h</h2><p>Quan hệ quản lý, đánh giá có hiệu lực từ %h. Yêu cầu bởi %h lúc %h.</p>",
	       check ? (final ? "Kết quả kiểm tra" : "Kiểm tra tệp") : done ? "Đã nhập" : "Nhập danh sách đơn vị",
	       p.file_name, from_text, import_who(w, j.requested_by), office_time(w, j.created_at));
	web_job_progress(w, &j, step, total, "bước");
	html_f(w->out, "<p id=\"job-message\">%h</p>", import_phase(&j, &p));
	if (final && j.message && *j.message)
		html_f(w->out, "<pre class=\"report\"%h>%h</pre>", done ? "" : " role=\"alert\"", j.message);
	if (check && done) {
		/* every row is good: the confirmation queues the import itself */
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/don-vi/nhap/%D\">", p.file_id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"tu_ngay\" value=\"%a\"><p><button type=\"submit\">Nhập</button> "
		               "<a href=\"/quan-tri/don-vi/nhap\">Chọn tệp khác</a></p>"
		               "<p class=\"explain\">Việc nhập chạy nền: các dòng được kiểm tra lại với dữ liệu lúc nhập, rồi ghi trong "
		               "một giao dịch (ghi hết hoặc không ghi gì). Bạn có thể rời trang và quay lại xem kết quả.</p></form>", p.from);
	} else if (!final) {
		html_f(w->out, "<form method=\"post\" action=\"%h/huy\">", base);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\">Hủy</button></form>");
	} else if (!done) {
		html_f(w->out, "<p>Chưa ghi gì. Hãy sửa tệp và tải lên lại.</p>");
		import_form(w);
	}
	html_f(w->out, "<p><a href=\"/quan-tri/don-vi\">Về danh sách đơn vị</a></p></section>");
	page_end(w);
}

static void import_job_status(web *w)
{
	job_row j;
	import_unit_job_params p;
	if (!import_job_load(w, &j, &p)) return;
	bool done = !strcmp(j.state, "done");
	int64_t total = p.check_only ? 1 : 2;
	web_job_status_reply(w, &j, done ? total : p.check_only ? 0 : j.done, total,
	                     job_state_final(j.state) && j.message ? j.message : import_phase(&j, &p), NULL);
}

static void import_job_cancel_post(web *w)
{
	job_row j;
	import_unit_job_params p;
	if (!import_job_load(w, &j, &p)) return;
	int rc = job_cancel(w->d, w->account_id, j.id);
	if (rc == DB_ECONFLICT) { web_error(w, 409, db_errmsg(w->d)); return; }
	if (rc != DB_OK) { web_error(w, 500, "Không hủy được. Vui lòng thử lại."); return; }
	http_redirect(w->r, arena_printf(w->a, "/quan-tri/don-vi/nhap/%lld", (long long)j.id));
}

/* WEB_LOAD_ADMIN is the gate; each import job is checked here. */
static const web_input import_inputs[] = {
	ADMIN_DATE_INPUT("tu_ngay"),
	{ .name = NULL },
};

const web_route page_admin_import_routes[] = {
	{ "GET", "/quan-tri/don-vi/nhap", import_get, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = import_inputs },
	{ "POST", "/quan-tri/don-vi/nhap", import_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = import_inputs },
	{ "GET", "/quan-tri/don-vi/nhap/mau.csv", import_template, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/nhap/{id}", import_commit_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = import_inputs },
	{ "GET", "/quan-tri/don-vi/nhap/{id}", import_job_page, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "GET", "/quan-tri/don-vi/nhap/{id}/trang-thai", import_job_status, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/don-vi/nhap/{id}/huy", import_job_cancel_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ NULL, NULL, NULL, 0 },
};
