/* doc_batch.c — batch generation of one document type for a round's units
 * into one ZIP with a manifest (doc_batch.h). */
#include "doc_batch.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include <zip.h>

/* The first state in which each unit-level document exists. */
static const struct { const char *code; wf_state from; const char *who; } eligible[] = {
	{ "plan", WF_DRAFT, "các đơn vị đã bắt đầu tự đánh giá" },
	{ "council", WF_DRAFT, "các đơn vị đã bắt đầu tự đánh giá" },
	{ "evidence", WF_DRAFT, "các đơn vị đã bắt đầu tự đánh giá" },
	{ "minutes", WF_SELF_ASSESSED, "các đơn vị đã họp Hội đồng tổng hợp kết quả" },
	{ "report", WF_SELF_ASSESSED, "các đơn vị đã họp Hội đồng tổng hợp kết quả" },
	{ "approval", WF_APPROVED, "các đơn vị đã phê duyệt kết quả tự đánh giá" },
	{ "request", WF_SUBMITTED, "các đơn vị đã gửi hồ sơ đề nghị đánh giá ngoài" },
	{ "external-minutes", WF_EVALUATED, "các đơn vị đã được đánh giá ngoài" },
};

bool doc_batch_eligible(const doc_type *t, wf_state s)
{
	if (!t || t->scope != DOC_SCOPE_ASSESSMENT || s <= WF_NOT_STARTED || s >= WF_STATE_COUNT) return false;
	for (size_t i = 0; i < ARRAY_LEN(eligible); i++) {
		if (strcmp(eligible[i].code, t->code) != 0) continue;
		if (s < eligible[i].from) return false;
		/* returned for supplement: what comes after the draft is being redone */
		return !(s == WF_RETURNED && eligible[i].from > WF_DRAFT);
	}
	return false;
}

const char *doc_batch_who(const doc_type *t)
{
	for (size_t i = 0; t && i < ARRAY_LEN(eligible); i++)
		if (!strcmp(eligible[i].code, t->code)) return eligible[i].who;
	return "";
}

void doc_batch_slug(const char *name, char *out, size_t cap)
{
	if (!cap) return;
	out[0] = '\0';
	utf8proc_uint8_t *m = NULL;
	if (!name || utf8proc_map((const utf8proc_uint8_t *)name, 0, &m,
	                          UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK) < 0)
		m = NULL;
	const unsigned char *s = m ? m : (const unsigned char *)"";
	size_t k = 0, last_cut = 0;
	bool dash = false;
	while (*s) {
		char c = 0;
		size_t adv = 1;
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) c = (char)*s;
		else if (s[0] == 0xc4 && s[1] == 0x91) { c = 'd'; adv = 2; }    /* đ */
		else if (s[0] == 0xc4 && s[1] == 0x90) { c = 'D'; adv = 2; }    /* Đ */
		s += adv;
		if (!c) {
			dash = k > 0;
			continue;
		}
		if (dash) {
			if (k + 2 >= cap) break;
			last_cut = k;
			out[k++] = '-';
			dash = false;
		}
		if (k + 1 >= cap) {
			k = last_cut;   /* cut at a word boundary */
			break;
		}
		out[k++] = c;
	}
	out[k] = '\0';
	free(m);
}

int doc_batch_params(const char *type, const char *format, const char *date, const char *signer,
                     buf *params, buf *err)
{
	const doc_type *t = doc_type_find(type);
	if (!t) {
		buf_printf(err, "Loại văn bản không có trong danh sách: hãy chọn một văn bản của từng đơn vị.");
		return DB_EINVAL;
	}
	if (t->scope != DOC_SCOPE_ASSESSMENT) {
		buf_printf(err, "%s là một văn bản chung của cả đợt, không lập hàng loạt theo đơn vị: hãy lập ở mục \"Lập văn bản\".", t->name);
		return DB_EINVAL;
	}
	doc_format f;
	if (!format || !doc_format_parse(format, &f) || f == DOC_XLSX) {
		buf_printf(err, "Định dạng không hợp lệ: chọn PDF hoặc DOCX.");
		return DB_EINVAL;
	}
	if (date && *date && !db_date_valid(date)) {
		buf_printf(err, "Ngày ban hành không hợp lệ.");
		return DB_EINVAL;
	}
	if (signer && (strlen(signer) > 120 || !vn_utf8_valid(signer, strlen(signer), NULL))) {
		buf_printf(err, "Tên người ký không hợp lệ (tối đa 120 byte).");
		return DB_EINVAL;
	}
	json_t *o = json_pack("{s:s, s:s}", "type", t->code, "format", doc_format_code(f));
	if (date && *date) json_object_set_new(o, "date", json_string(date));
	if (signer && *signer) json_object_set_new(o, "signer", json_string(signer));
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	buf_puts(params, s);
	free(s);
	return DB_OK;
}

/* ---- the run ------------------------------------------------------------------- */

typedef struct batch_unit {
	assessment as;
	unit u;
	wf_state state;
} batch_unit;

static int cmp_unit(const void *a, const void *b)
{
	const batch_unit *x = a, *y = b;
	int c = vn_collate(x->u.name, y->u.name);
	return c ? c : strcmp(x->u.code, y->u.code);
}

static void csv_field(buf *b, const char *s, bool last)
{
	s = s ? s : "";
	if (strpbrk(s, ",\"\r\n")) {
		buf_putc(b, '"');
		for (; *s; s++) {
			if (*s == '"') buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
	} else {
		buf_puts(b, s);
	}
	buf_puts(b, last ? "\r\n" : ",");
}

static bool zip_add_owned(zip_t *z, const char *name, char *data, size_t len, bool store, buf *err)
{
	zip_source_t *s = zip_source_buffer(z, data, len, 1);
	if (!s) {
		free(data);
		buf_printf(err, "libzip: %s", zip_strerror(z));
		return false;
	}
	zip_int64_t idx = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
	if (idx < 0) {
		buf_printf(err, "libzip: %s: %s", name, zip_strerror(z));
		zip_source_free(s);
		return false;
	}
	/* PDF and DOCX are compressed already: storing them saves the time */
	if (store) zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	return true;
}

static job_outcome fail_with(job_run_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static job_outcome fail_with(job_run_ctx *c, const char *fmt, ...)
{
	buf_reset(&c->message);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&c->message, fmt, ap);
	va_end(ap);
	return JOB_OUT_FAILED;
}

job_outcome doc_batch_run(job_run_ctx *c, const job_row *j)
{
	json_t *p = json_loads(j->params ? j->params : "", JSON_REJECT_DUPLICATES, NULL);
	const char *type = json_string_value(json_object_get(p, "type"));
	const char *format = json_string_value(json_object_get(p, "format"));
	const doc_type *t = doc_type_find(type);
	doc_format f;
	if (!t || t->scope != DOC_SCOPE_ASSESSMENT || !format || !doc_format_parse(format, &f) || f == DOC_XLSX) {
		json_decref(p);
		return fail_with(c, "Tham số của công việc không hợp lệ (loại văn bản, định dạng)");
	}
	doc_params dp = {
		.date = json_string_value(json_object_get(p, "date")),
		.signer = json_string_value(json_object_get(p, "signer")),
	};
	arena *a = arena_new();
	job_outcome out = JOB_OUT_FAILED;
	zip_t *z = NULL;
	char tmp[4096] = "";
	buf manifest, err;
	buf_init(&manifest);
	buf_init(&err);

	round_row rd;
	assessment *as = NULL;
	size_t nas = 0;
	if (round_get(c->d, j->round_id, a, &rd) != DB_OK ||
	    assessment_list_round(c->d, j->round_id, a, &as, &nas) != DB_OK) {
		out = fail_with(c, "Không đọc được đợt đánh giá: %s", db_errmsg(c->d));
		goto done;
	}
	batch_unit *units = arena_alloc(a, (nas + 1) * sizeof *units);
	size_t n = 0;
	for (size_t i = 0; i < nas; i++) {
		wf_state s = wf_state_parse(as[i].state);
		if (!doc_batch_eligible(t, s)) continue;
		units[n].as = as[i];
		units[n].state = s;
		if (unit_get(c->d, as[i].unit_id, a, &units[n].u) != DB_OK) {
			out = fail_with(c, "Không đọc được đơn vị: %s", db_errmsg(c->d));
			goto done;
		}
		n++;
	}
	if (!n) {
		buf_reset(&c->message);
		buf_printf(&c->message, "Không có đơn vị nào để lập %s: văn bản này chỉ lập cho %s.", t->name, doc_batch_who(t));
		goto done;
	}
	sort_list(units, n, sizeof *units, cmp_unit);
	if (!c->progress(c->ctx, 0, (int64_t)n)) { out = JOB_OUT_STOPPED; goto done; }

	/* the archive is written beside the blobs (one file system: the store
	 * takes it by copy, and blob_sweep removes what a crash leaves) */
	snprintf(tmp, sizeof tmp, "%s/.tmp-zip-XXXXXX", blob_store_dir(c->bs));
	int fd = mkstemp(tmp);
	if (fd < 0) {
		tmp[0] = '\0';
		out = fail_with(c, "Không tạo được tệp tạm cho ZIP: %s", strerror(errno));
		goto done;
	}
	close(fd);
	int zerr = 0;
	z = zip_open(tmp, ZIP_TRUNCATE, &zerr);
	if (!z) {
		out = fail_with(c, "Không tạo được tệp ZIP (mã lỗi libzip %d)", zerr);
		goto done;
	}
	/* a BOM so that Excel reads the CSV as UTF-8 */
	buf_puts(&manifest, "\xef\xbb\xbf" "stt,tep,ma_don_vi,ten_don_vi,trang_thai,so_ghi_nhan,sha256,kich_thuoc,loi\r\n");
	size_t made = 0, failed = 0;
	buf failures;
	buf_init(&failures);
	for (size_t i = 0; i < n; i++) {
		batch_unit *u = &units[i];
		char slug[64], name[200], num[24], id[24], size[24];
		doc_batch_slug(u->u.name, slug, sizeof slug);
		snprintf(num, sizeof num, "%03zu", i + 1);
		snprintf(name, sizeof name, "%s-%s-%s.%s", num, slug, t->alias, doc_format_code(f));
		doc_result r;
		buf_reset(&err);
		int rc = doc_generate(c->d, c->cat, j->requested_by, t, u->as.id, f, &dp, true, &r, &err);
		csv_field(&manifest, num, false);
		if (rc == DB_OK) {
			char sha[65];
			memcpy(sha, r.sha256, sizeof sha);
			snprintf(id, sizeof id, "%lld", (long long)r.document_id);
			snprintf(size, sizeof size, "%zu", r.data.len);
			size_t len = r.data.len;
			if (!zip_add_owned(z, name, buf_take(&r.data), len, true, &err)) {
				out = fail_with(c, "Không ghi được tệp ZIP: %s", buf_str(&err));
				buf_free(&failures);
				goto done;
			}
			made++;
			csv_field(&manifest, name, false);
			csv_field(&manifest, u->u.code, false);
			csv_field(&manifest, u->u.name, false);
			csv_field(&manifest, wf_state_label(u->state), false);
			csv_field(&manifest, id, false);
			csv_field(&manifest, sha, false);
			csv_field(&manifest, size, false);
			csv_field(&manifest, "", true);
		} else {
			/* one unit's failure is said, in the list and in the job's message */
			failed++;
			char *e = arena_strdup(a, err.len ? buf_str(&err) : "lỗi không rõ");
			for (char *ch = e; *ch; ch++) if (*ch == '\n' || *ch == '\r') *ch = ' ';
			csv_field(&manifest, "", false);
			csv_field(&manifest, u->u.code, false);
			csv_field(&manifest, u->u.name, false);
			csv_field(&manifest, wf_state_label(u->state), false);
			csv_field(&manifest, "", false);
			csv_field(&manifest, "", false);
			csv_field(&manifest, "", false);
			csv_field(&manifest, e, true);
			if (failed <= 3) buf_printf(&failures, "%s%s: %s", failed > 1 ? "; " : "", u->u.name, e);
		}
		if (!c->progress(c->ctx, (int64_t)i + 1, (int64_t)n)) {
			buf_free(&failures);
			out = JOB_OUT_STOPPED;
			goto done;
		}
	}
	size_t mlen = manifest.len;
	if (!zip_add_owned(z, "danh-sach.csv", buf_take(&manifest), mlen, false, &err) || zip_close(z) != 0) {
		out = fail_with(c, "Không ghi được tệp ZIP: %s", err.len ? buf_str(&err) : zip_strerror(z));
		buf_free(&failures);
		goto done;
	}
	z = NULL;
	buf_reset(&c->message);
	if (!made) {
		buf_printf(&c->message, "Không tạo được văn bản nào (%zu đơn vị lỗi): %s", failed, buf_str(&failures));
		buf_free(&failures);
		goto done;
	}
	blob_info bi;
	char msg[BLOB_MSG_MAX];
	if (blob_put_file_as(c->bs, tmp, "application/zip", "zip", &bi, msg) != BLOB_OK) {
		out = fail_with(c, "Không lưu được tệp ZIP: %s", msg);
		buf_free(&failures);
		goto done;
	}
	memcpy(c->result_sha256, bi.sha256, sizeof c->result_sha256);
	c->result_size = bi.size;
	snprintf(c->result_name, sizeof c->result_name, "%s-dot%lld-%s.zip", t->alias, (long long)rd.id, rd.school_year);
	buf_printf(&c->message, "Đã tạo %zu/%zu văn bản.", made, n);
	if (failed) buf_printf(&c->message, " %zu đơn vị lỗi (xem danh-sach.csv): %s%s", failed, buf_str(&failures), failed > 3 ? "; …" : "");
	buf_free(&failures);
	out = JOB_OUT_DONE;
done:
	if (z) zip_discard(z);
	if (tmp[0]) unlink(tmp);
	buf_free(&manifest);
	buf_free(&err);
	json_decref(p);
	arena_free(a);
	return out;
}
