/* import_unit_job.c — the "unit-import" kind of background job
 * (import_unit_job.h). */
#include "import_unit_job.h"
#include "import_unit.h"
#include "vn.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void import_unit_job_params_json(const import_unit_job_params *p, buf *out)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "file", (json_int_t)p->file_id, "from", p->from, "sha256",
	                      p->sha256, "name", p->file_name ? p->file_name : "");
	if (p->check_only) json_object_set_new(o, "check", json_true());
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	buf_puts(out, s ? s : "{}");
	free(s);
}

static bool iso_date(const char *s)
{
	int y, m, d;
	/* vn_parse_date also takes dd/mm/yyyy: the job keeps ISO only */
	return s && strlen(s) == 10 && s[4] == '-' && vn_parse_date(s, &y, &m, &d);
}

static bool sha_hex(const char *s)
{
	if (!s || strlen(s) != 64) return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
	return true;
}

bool import_unit_job_params_parse(const char *json, arena *a, import_unit_job_params *out)
{
	memset(out, 0, sizeof *out);
	json_t *o = json_loads(json ? json : "", JSON_REJECT_DUPLICATES, NULL);
	json_t *file = json_object_get(o, "file");
	const char *from = json_string_value(json_object_get(o, "from"));
	const char *sha = json_string_value(json_object_get(o, "sha256"));
	const char *name = json_string_value(json_object_get(o, "name"));
	json_t *check = json_object_get(o, "check");
	bool ok = json_is_object(o) && json_is_integer(file) && json_integer_value(file) > 0 && iso_date(from)
	          && sha_hex(sha) && name && strlen(name) <= 255 && (!check || json_is_boolean(check));
	if (ok) {
		out->file_id = json_integer_value(file);
		out->from = arena_strdup(a, from);
		out->sha256 = arena_strdup(a, sha);
		out->file_name = arena_strdup(a, name);
		out->check_only = json_is_true(check);
	}
	json_decref(o);
	return ok;
}

void import_unit_job_sha256(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int import_unit_job_table(const unit_import_file *f, import_table *t, char **err)
{
	const unsigned char *p = f->data;
	if (f->len >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4)
		return import_xlsx_parse(f->data, f->len, &import_default_limits, t, err);
	return import_csv_parse(f->data, f->len, &import_default_limits, t, err);
}

/* ---- the run ---------------------------------------------------------------------- */

typedef enum stop_why { GO_ON, STOP_ASKED, ALREADY_IMPORTED } stop_why;

typedef struct run_state {
	job_run_ctx *c;
	const job_row *j;
	int64_t file_id;
	const import_table *t;
	const import_unit_opts *o;
	const char *source;
	bool writing;          /* the heartbeat before the transaction was sent */
	stop_why why;
} run_state;

/* The importer's progress: only its call before the write transaction is
 * a heartbeat (phase 1/2); inside the transaction a write to the job's
 * row would be part of the import, invisible until its commit. A job
 * cancelled or stopping by then stops before writing anything. */
static bool on_progress(void *ctx, size_t done, size_t total)
{
	run_state *s = ctx;
	(void)total;
	if (done != 0 || s->writing || db_tx_depth(s->c->d)) return true;
	s->writing = true;
	if (s->c->progress(s->c->ctx, 1, 2)) return true;
	s->why = STOP_ASKED;
	return false;
}

/* Inside the import's transaction, every row written: mark the file
 * imported, record 2/2 (which also proves the job is still this worker's:
 * not cancelled, lease not taken over) and end the job with the report.
 * Any refusal rolls the whole import back. */
static int before_commit(void *ctx, const import_unit_result *r)
{
	run_state *s = ctx;
	db *d = s->c->d;
	if (s->why != GO_ON) return db_fail(d, DB_ECONFLICT, "Đã dừng trước khi ghi");
	int rc = unit_import_file_done(d, s->file_id);
	if (rc == DB_ECONFLICT) {
		s->why = ALREADY_IMPORTED;
		return rc;
	}
	if (rc != DB_OK) return rc;
	if (!s->c->progress(s->c->ctx, 2, 2)) {
		s->why = STOP_ASKED;
		return db_fail(d, DB_ECONFLICT, "Đã dừng trước khi ghi");
	}
	import_unit_result shown = *r;
	shown.written = true;
	buf msg;
	buf_init(&msg);
	import_unit_report(s->t, &shown, s->o, s->source, &msg);
	rc = job_finish(d, s->j->id, s->c->owner, "done", buf_str(&msg), NULL, 0, NULL);
	buf_free(&msg);
	if (rc == DB_ECONFLICT) s->why = STOP_ASKED;
	return rc;
}

job_outcome import_unit_job_run(job_run_ctx *c, const job_row *j)
{
	arena *a = arena_new();
	import_unit_job_params p;
	job_outcome out = JOB_OUT_FAILED;
	unit_import_file f;
	import_table t;
	bool have_table = false;
	if (!import_unit_job_params_parse(j->params, a, &p)) {
		buf_puts(&c->message, "Tham số của công việc không hợp lệ.");
		goto done;
	}
	/* phase 0/2: reading the file and checking every row */
	if (!c->progress(c->ctx, 0, 2)) {
		out = JOB_OUT_STOPPED;
		goto done;
	}
	int rc = unit_import_file_get(c->d, p.file_id, a, &f);
	if (rc != DB_OK) {
		buf_puts(&c->message, rc == DB_ENOTFOUND ? "Không tìm thấy tệp đã tải lên; chưa ghi gì."
		                                          : "Không đọc được tệp đã tải lên từ cơ sở dữ liệu; chưa ghi gì.");
		db_clear_error(c->d);
		goto done;
	}
	if (f.imported_at) {
		buf_puts(&c->message, "Tệp này đã được nhập (bởi một lần nhập khác); không ghi gì thêm.");
		goto done;
	}
	char sha[65];
	import_unit_job_sha256(f.data, f.len, sha);
	if (strcmp(sha, p.sha256) != 0) {
		buf_puts(&c->message, "Tệp đã thay đổi kể từ khi được kiểm tra (mã SHA-256 khác); chưa ghi gì. "
		                      "Hãy tải tệp lên và kiểm tra lại.");
		goto done;
	}
	char *err = NULL;
	if (import_unit_job_table(&f, &t, &err)) {
		buf_printf(&c->message, "Không đọc được tệp: %s. Chưa ghi gì.", err ? err : "lỗi không rõ");
		free(err);
		goto done;
	}
	have_table = true;
	if (p.check_only) {
		/* the check before the confirmation: a dry run, its report the message */
		import_unit_opts o = { .from = p.from, .dry_run = true, .actor = j->requested_by };
		import_unit_result r;
		rc = import_unit_run(c->d, &t, &o, &r);
		if (rc == DB_OK || (rc == DB_EINVAL && r.nerrors)) {
			/* the report in the page's words: the command line's "(--dry-run)"
			 * means nothing to an officer */
			static const char cli[] = "Chạy thử (--dry-run), không ghi gì. Nếu nhập thật: ";
			buf rep;
			buf_init(&rep);
			import_unit_report(&t, &r, &o, p.file_name, &rep);
			const char *text = buf_str(&rep), *at = strstr(text, cli);
			if (at) {
				buf_append(&c->message, text, (size_t)(at - text));
				buf_puts(&c->message, "Kiểm tra xong, chưa ghi gì. Khi nhập: ");
				buf_puts(&c->message, at + strlen(cli));
			} else buf_puts(&c->message, text);
			buf_free(&rep);
			out = rc == DB_OK ? JOB_OUT_DONE : JOB_OUT_FAILED;
		} else {
			buf_printf(&c->message, "Lỗi cơ sở dữ liệu khi kiểm tra: %s. Hãy thử lại.",
			           rc == DB_EBUSY ? "cơ sở dữ liệu đang bận" : db_errmsg(c->d));
		}
		db_clear_error(c->d);
		import_unit_result_free(&r);
		goto done;
	}
	run_state s = { .c = c, .j = j, .file_id = f.id, .t = &t, .source = p.file_name };
	import_unit_opts o = { .from = p.from, .actor = j->requested_by, .progress = on_progress, .progress_ctx = &s,
	                       .before_commit = before_commit };
	s.o = &o;
	import_unit_result r;
	rc = import_unit_run(c->d, &t, &o, &r);
	if (rc == DB_OK) {
		out = JOB_OUT_RECORDED;
	} else if (s.why == STOP_ASKED) {
		/* cancelled, lease lost, or the worker stopping: nothing written */
		out = JOB_OUT_STOPPED;
	} else if (s.why == ALREADY_IMPORTED) {
		buf_puts(&c->message, "Tệp này đã được nhập (bởi một lần nhập khác); không ghi gì thêm.");
	} else if (rc == DB_EINVAL && r.nerrors) {
		/* checked again against the database as it is now */
		buf_puts(&c->message, "Không nhập được: tệp không còn hợp lệ với dữ liệu hiện tại. Chưa ghi gì.\n\n");
		import_unit_report(&t, &r, &o, p.file_name, &c->message);
	} else {
		buf_printf(&c->message, "Lỗi cơ sở dữ liệu khi nhập: %s. Chưa ghi gì; hãy thử lại.",
		           rc == DB_EBUSY ? "cơ sở dữ liệu đang bận" : db_errmsg(c->d));
	}
	db_clear_error(c->d);
	import_unit_result_free(&r);
done:
	if (have_table) import_table_free(&t);
	arena_free(a);
	return out;
}
