/* doc_batch.c — batch generation of one document type for a round's units
 * into one ZIP with a manifest (doc_batch.h). */
#include "doc_batch.h"
#include "doc.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "zip_stream.h"
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

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

/* ---- the units and their list ------------------------------------------------------ */

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

/* ---- the renderers ------------------------------------------------------------- */

/* Documents rendered ahead of the one being written into the ZIP: what the
 * batch holds in memory at most, whatever its size. */
enum { BATCH_WINDOW = 8, BATCH_THREADS_MAX = 8 };

typedef struct batch_slot {
	doc_result r;
	int rc;
	buf err;
	bool ready;
} batch_slot;

/* What every renderer reads (never writes) and the queue they share. */
typedef struct batch_pool {
	const fw_catalog *cat;
	int64_t actor;
	const doc_type *t;
	doc_format f;
	const doc_params *dp;
	const batch_unit *units;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;       /* the next unit a renderer takes */
	size_t consumed;   /* the units written into the ZIP */
	bool stop;
	batch_slot slots[BATCH_WINDOW];
} batch_pool;

typedef struct batch_worker {
	batch_pool *p;
	db *d;             /* the renderer's own connection */
	pthread_t thread;
	bool started;
} batch_worker;

static void render_one(batch_pool *p, db *d, size_t i, batch_slot *s)
{
	buf_reset(&s->err);
	s->rc = doc_generate(d, p->cat, p->actor, p->t, p->units[i].as.id, p->f, p->dp, true, &s->r, &s->err);
}

/* Takes unit i once it is within the window of the one being written. */
static void *batch_worker_main(void *arg)
{
	batch_worker *w = arg;
	batch_pool *p = w->p;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->n && p->next >= p->consumed + BATCH_WINDOW) pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next >= p->n) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		size_t i = p->next++;
		pthread_mutex_unlock(&p->mu);
		/* slot i % BATCH_WINDOW: unit i - BATCH_WINDOW, its last user, is written */
		batch_slot *s = &p->slots[i % BATCH_WINDOW];
		render_one(p, w->d, i, s);
		pthread_mutex_lock(&p->mu);
		s->ready = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	doc_release_fonts(false);   /* this thread's pango font map */
	vn_collate_thread_done();
	return NULL;
}

/* CHISO_BATCH_THREADS, else one renderer per core (at most 4). */
static int batch_threads(void)
{
	const char *s = getenv("CHISO_BATCH_THREADS");
	long v = s && *s ? strtol(s, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	if (!s && v > 4) v = 4;
	return v < 1 ? 1 : v > BATCH_THREADS_MAX ? BATCH_THREADS_MAX : (int)v;
}

/* CHISO_BATCH_PACE_MS: a pause after each document written (0). For the
 * browser walk, which must see a short batch's bar move while it runs:
 * 56 documents take under a second on two idle cores. */
static long batch_pace_ms(void)
{
	const char *s = getenv("CHISO_BATCH_PACE_MS");
	long v = s && *s ? strtol(s, NULL, 10) : 0;
	return v < 0 ? 0 : v > 1000 ? 1000 : v;
}

/* Starts the renderers, each on a connection of its own; none (the batch
 * is rendered on c->d by the writing thread) without a target to open or
 * with one renderer asked for. Returns how many run. */
static int pool_start(batch_pool *p, batch_worker *w, const char *target)
{
	int want = target && *target ? batch_threads() : 0, k = 0;
	if (want < 2) return 0;
	for (; k < want; k++) {
		char *e = NULL;
		w[k] = (batch_worker){ .p = p };
		if (db_open(target, &w[k].d, &e) != DB_OK) {
			free(e);
			break;
		}
		if (pthread_create(&w[k].thread, NULL, batch_worker_main, &w[k]) != 0) {
			db_close(w[k].d);
			break;
		}
		w[k].started = true;
	}
	return k;
}

static void pool_stop(batch_pool *p, batch_worker *w, int k)
{
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < k; i++) {
		pthread_join(w[i].thread, NULL);
		db_close(w[i].d);
	}
}

/* The result for unit i: rendered by the pool, or here on c->d. */
static batch_slot *pool_get(batch_pool *p, int workers, db *d, size_t i)
{
	batch_slot *s = &p->slots[i % BATCH_WINDOW];
	if (!workers) {
		render_one(p, d, i, s);
		return s;
	}
	pthread_mutex_lock(&p->mu);
	while (!s->ready) pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return s;
}

static void pool_done_with(batch_pool *p, int workers, size_t i)
{
	batch_slot *s = &p->slots[i % BATCH_WINDOW];
	buf_free(&s->r.data);
	if (!workers) return;
	pthread_mutex_lock(&p->mu);
	s->ready = false;
	p->consumed = i + 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* ---- the run ------------------------------------------------------------------- */

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

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The round's eligible units in Vietnamese order of their names. */
static int batch_units(job_run_ctx *c, int64_t round_id, const doc_type *t, arena *a, batch_unit **out, size_t *nout)
{
	assessment *as = NULL;
	size_t nas = 0;
	int rc = assessment_list_round(c->d, round_id, a, &as, &nas);
	if (rc != DB_OK) return rc;
	batch_unit *units = arena_alloc(a, (nas + 1) * sizeof *units);
	size_t n = 0;
	for (size_t i = 0; i < nas; i++) {
		wf_state s = wf_state_parse(as[i].state);
		if (!doc_batch_eligible(t, s)) continue;
		units[n].as = as[i];
		units[n].state = s;
		if ((rc = unit_get(c->d, as[i].unit_id, a, &units[n].u)) != DB_OK) return rc;
		n++;
	}
	sort_list(units, n, sizeof *units, cmp_unit);
	*out = units;
	*nout = n;
	return DB_OK;
}

static void manifest_row(buf *m, const char *num, const char *file, const batch_unit *u, const char *id,
                         const char *sha, const char *size, const char *error)
{
	csv_field(m, num, false);
	csv_field(m, file, false);
	csv_field(m, u->u.code, false);
	csv_field(m, u->u.name, false);
	csv_field(m, wf_state_label(u->state), false);
	csv_field(m, id, false);
	csv_field(m, sha, false);
	csv_field(m, size, false);
	csv_field(m, error, true);
}

typedef struct batch_run {
	job_run_ctx *c;
	const doc_type *t;
	doc_format f;
	const batch_unit *units;
	size_t n;
	zip_stream *z;
	buf manifest, failures, err;
	size_t made, failed;
	arena *a;
} batch_run;

/* Writes unit i's document (or its error) into the ZIP and the list. */
static bool batch_take(batch_run *b, size_t i, batch_slot *s)
{
	const batch_unit *u = &b->units[i];
	int width = b->n >= 100000 ? 6 : b->n >= 10000 ? 5 : b->n >= 1000 ? 4 : 3;
	char slug[64], name[200], num[24];
	doc_batch_slug(u->u.name, slug, sizeof slug);
	snprintf(num, sizeof num, "%0*zu", width, i + 1);
	snprintf(name, sizeof name, "%s-%s-%s.%s", num, slug, b->t->alias, doc_format_code(b->f));
	if (s->rc == DB_OK) {
		char id[24], size[24];
		snprintf(id, sizeof id, "%lld", (long long)s->r.document_id);
		snprintf(size, sizeof size, "%zu", s->r.data.len);
		/* PDF and DOCX are compressed already: storing them saves the time */
		if (!zip_stream_add(b->z, name, s->r.data.data, s->r.data.len, false, &b->err)) return false;
		b->made++;
		manifest_row(&b->manifest, num, name, u, id, s->r.sha256, size, "");
		return true;
	}
	/* one unit's failure is said, in the list and in the job's message */
	b->failed++;
	char *e = arena_strdup(b->a, s->err.len ? buf_str(&s->err) : "lỗi không rõ");
	for (char *ch = e; *ch; ch++) if (*ch == '\n' || *ch == '\r') *ch = ' ';
	manifest_row(&b->manifest, num, "", u, "", "", "", e);
	if (b->failed <= 3) buf_printf(&b->failures, "%s%s: %s", b->failed > 1 ? "; " : "", u->u.name, e);
	return true;
}

/* Renders every unit (the pool ahead of the writer), streams each into the
 * ZIP in order and commits the progress about once a second. */
static job_outcome batch_render(batch_run *b, const job_row *j, const doc_params *dp)
{
	batch_pool p = { .cat = b->c->cat, .actor = j->requested_by, .t = b->t, .f = b->f, .dp = dp, .units = b->units, .n = b->n };
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (size_t k = 0; k < BATCH_WINDOW; k++) {
		buf_init(&p.slots[k].err);
		buf_init(&p.slots[k].r.data);
	}
	batch_worker w[BATCH_THREADS_MAX];
	int workers = pool_start(&p, w, b->c->db_target);
	job_outcome out = JOB_OUT_DONE;
	double last = mono_s();
	long pace = batch_pace_ms();
	for (size_t i = 0; i < b->n && out == JOB_OUT_DONE; i++) {
		batch_slot *s = pool_get(&p, workers, b->c->d, i);
		if (!batch_take(b, i, s)) out = fail_with(b->c, "Không ghi được tệp ZIP: %s", buf_str(&b->err));
		pool_done_with(&p, workers, i);
		if (pace) nanosleep(&(struct timespec){ .tv_sec = pace / 1000, .tv_nsec = pace % 1000 * 1000000L }, NULL);
		double now = mono_s();
		if (out == JOB_OUT_DONE && (now - last >= 1.0 || i + 1 == b->n)) {
			last = now;
			if (!b->c->progress(b->c->ctx, (int64_t)i + 1, (int64_t)b->n)) out = JOB_OUT_STOPPED;
		}
	}
	pool_stop(&p, w, workers);
	for (size_t k = 0; k < BATCH_WINDOW; k++) {
		buf_free(&p.slots[k].err);
		buf_free(&p.slots[k].r.data);
	}
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return out;
}

/* Closes the ZIP with its list and stores it as the job's result. */
static job_outcome batch_finish(batch_run *b, const char *tmp, const round_row *rd)
{
	job_run_ctx *c = b->c;
	bool ok = zip_stream_add(b->z, "danh-sach.csv", b->manifest.data, b->manifest.len, true, &b->err);
	ok = zip_stream_close(b->z, &b->err) && ok;
	b->z = NULL;
	if (!ok) return fail_with(c, "Không ghi được tệp ZIP: %s", buf_str(&b->err));
	buf_reset(&c->message);
	if (!b->made) {
		buf_printf(&c->message, "Không tạo được văn bản nào (%zu đơn vị lỗi): %s", b->failed, buf_str(&b->failures));
		return JOB_OUT_FAILED;
	}
	blob_info bi;
	char msg[BLOB_MSG_MAX];
	if (blob_put_file_as(c->bs, tmp, "application/zip", "zip", &bi, msg) != BLOB_OK)
		return fail_with(c, "Không lưu được tệp ZIP: %s", msg);
	memcpy(c->result_sha256, bi.sha256, sizeof c->result_sha256);
	c->result_size = bi.size;
	snprintf(c->result_name, sizeof c->result_name, "%s-dot%lld-%s.zip", b->t->alias, (long long)rd->id, rd->school_year);
	buf_printf(&c->message, "Đã tạo %zu/%zu văn bản.", b->made, b->n);
	if (b->failed)
		buf_printf(&c->message, " %zu đơn vị lỗi (xem danh-sach.csv): %s%s", b->failed, buf_str(&b->failures),
		           b->failed > 3 ? "; …" : "");
	return JOB_OUT_DONE;
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
	batch_run b = { .c = c, .t = t, .f = f, .a = arena_new() };
	buf_init(&b.manifest);
	buf_init(&b.failures);
	buf_init(&b.err);
	job_outcome out = JOB_OUT_FAILED;
	char tmp[4096] = "";
	round_row rd;
	batch_unit *units = NULL;
	if (round_get(c->d, j->round_id, b.a, &rd) != DB_OK || batch_units(c, j->round_id, t, b.a, &units, &b.n) != DB_OK) {
		out = fail_with(c, "Không đọc được đợt đánh giá: %s", db_errmsg(c->d));
		goto done;
	}
	b.units = units;
	if (!b.n) {
		buf_reset(&c->message);
		buf_printf(&c->message, "Không có đơn vị nào để lập %s: văn bản này chỉ lập cho %s.", t->name, doc_batch_who(t));
		goto done;
	}
	if (!c->progress(c->ctx, 0, (int64_t)b.n)) { out = JOB_OUT_STOPPED; goto done; }

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
	if (!(b.z = zip_stream_open(tmp, &b.err))) {
		out = fail_with(c, "Không tạo được tệp ZIP: %s", buf_str(&b.err));
		goto done;
	}
	/* a BOM so that Excel reads the CSV as UTF-8 */
	buf_puts(&b.manifest, "\xef\xbb\xbf" "stt,tep,ma_don_vi,ten_don_vi,trang_thai,so_ghi_nhan,sha256,kich_thuoc,loi\r\n");
	out = batch_render(&b, j, &dp);
	if (out == JOB_OUT_DONE) out = batch_finish(&b, tmp, &rd);
done:
	zip_stream_discard(b.z);
	if (tmp[0]) unlink(tmp);
	buf_free(&b.manifest);
	buf_free(&b.failures);
	buf_free(&b.err);
	json_decref(p);
	arena_free(b.a);
	return out;
}
