/* test_job.c — the background job queue (q_job.h) on SQLite and, when
 * CHISO_TEST_PG is set, PostgreSQL: concurrent claimers on their own
 * connections never get the same job; a lease that ran out is claimed
 * again and the worker that lost it is refused; cancel and release; and
 * the batch's pure parts (which units, file names); the unit import as a
 * job (unit-import): written with its end in one transaction, nothing
 * written when it is stopped inside it or its file changed. */
#include "store_test.h"
#include "audit.h"
#include "doc_batch.h"
#include "doc_fixture.h"
#include "import_unit_job.h"
#include "job.h"
#include "q_job.h"
#include <pthread.h>
#include <sodium.h>
#include <zip.h>

static fw_catalog catalog;
static bool catalog_loaded;
static const fw_catalog *cat(void)
{
	if (!catalog_loaded) {
		fw_catalog_load_default(&catalog, NULL);
		catalog_loaded = true;
	}
	return &catalog;
}

/* One entry of a ZIP, malloc'd (NULL when absent). */
static char *zip_entry(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) != 0) return NULL;
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f) return NULL;
	char *p = xmalloc(st.size + 1);
	zip_int64_t n = zip_fread(f, p, st.size);
	zip_fclose(f);
	p[n > 0 ? n : 0] = '\0';
	*len = n > 0 ? (size_t)n : 0;
	return p;
}

static int64_t queue(store_fx *fx, const char *params)
{
	int64_t id = 0;
	OK(job_create(fx->d, 0, DOC_BATCH_KIND, 0, params, &id));
	assert_true(id > 0);
	return id;
}

static void test_create_checks_params(void **state)
{
	store_fx *fx = *state;
	int64_t id;
	assert_int_equal(job_create(fx->d, 0, DOC_BATCH_KIND, 0, "[1,2]", &id), DB_EINVAL);
	assert_int_equal(job_create(fx->d, 0, DOC_BATCH_KIND, 0, "{bad", &id), DB_EINVAL);
	assert_int_equal(job_create(fx->d, 0, "", 0, "{}", &id), DB_EINVAL);
	id = queue(fx, "{\"format\":\"pdf\",\"type\":\"minutes\"}");
	arena *a = arena_new();
	job_row j;
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "queued");
	assert_string_equal(j.kind, DOC_BATCH_KIND);
	assert_int_equal(j.round_id, 0);
	assert_null(j.lease_owner);
	int64_t n = 0;
	OK(job_count_active(fx->d, &n));
	assert_int_equal(n, 1);
	/* audited */
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.create' AND object_id = ?", "i", id));
	assert_int_equal(n, 1);
	arena_free(a);
}

enum { NJOBS = 40, NCLAIMERS = 4 };

typedef struct claimer {
	const char *target;
	char owner[32];
	int64_t got[NJOBS];
	int n;
	int errors;
} claimer;

static void *claim_all(void *arg)
{
	claimer *c = arg;
	db *d = NULL;
	if (db_open(c->target, &d, NULL) != DB_OK) {
		c->errors++;
		return NULL;
	}
	arena *a = arena_new();
	for (;;) {
		job_row j;
		int rc = job_claim(d, c->owner, NULL, 60, a, &j);
		if (rc == DB_ENOTFOUND) break;
		if (rc != DB_OK) {
			c->errors++;
			if (c->errors > 50) break;
			continue;
		}
		if (c->n < NJOBS) c->got[c->n] = j.id;
		c->n++;
		/* finish it, so the job is not runnable again */
		if (job_finish(d, j.id, c->owner, "done", "ok", NULL, 0, NULL) != DB_OK) c->errors++;
	}
	arena_free(a);
	db_close(d);
	return NULL;
}

static void test_claimers_never_share(void **state)
{
	store_fx *fx = *state;
	for (int i = 0; i < NJOBS; i++) queue(fx, "{}");
	claimer cs[NCLAIMERS];
	pthread_t th[NCLAIMERS];
	memset(cs, 0, sizeof cs);
	for (int i = 0; i < NCLAIMERS; i++) {
		cs[i].target = fx->target;
		snprintf(cs[i].owner, sizeof cs[i].owner, "claimer-%d", i);
		assert_int_equal(pthread_create(&th[i], NULL, claim_all, &cs[i]), 0);
	}
	for (int i = 0; i < NCLAIMERS; i++) pthread_join(th[i], NULL);
	int seen[NJOBS + 1] = { 0 }, total = 0, claimers_used = 0;
	for (int i = 0; i < NCLAIMERS; i++) {
		assert_int_equal(cs[i].errors, 0);
		total += cs[i].n;
		if (cs[i].n) claimers_used++;
		for (int k = 0; k < cs[i].n && k < NJOBS; k++) {
			assert_true(cs[i].got[k] >= 1 && cs[i].got[k] <= NJOBS);
			seen[cs[i].got[k]]++;
		}
	}
	/* every job claimed exactly once, none twice */
	assert_int_equal(total, NJOBS);
	for (int id = 1; id <= NJOBS; id++) assert_int_equal(seen[id], 1);
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND attempts = 1", ""));
	assert_int_equal(n, NJOBS);
	(void)claimers_used;
}

static void test_expired_lease_reclaimed(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t id = queue(fx, "{}");
	job_row j, k;
	OK(job_claim(fx->d, "worker-a", "2026-01-10T08:00:00Z", 60, a, &j));
	assert_int_equal(j.id, id);
	assert_string_equal(j.state, "running");
	assert_string_equal(j.lease_owner, "worker-a");
	assert_string_equal(j.lease_until, "2026-01-10T08:01:00Z");
	assert_int_equal(j.attempts, 1);
	/* within the lease nobody else gets it */
	assert_int_equal(job_claim(fx->d, "worker-b", "2026-01-10T08:00:59Z", 60, a, &k), DB_ENOTFOUND);
	/* past it (worker-a died), worker-b does, from the start */
	OK(job_claim(fx->d, "worker-b", "2026-01-10T08:01:01Z", 60, a, &k));
	assert_int_equal(k.id, id);
	assert_string_equal(k.lease_owner, "worker-b");
	assert_int_equal(k.attempts, 2);
	assert_int_equal(k.done, 0);
	/* worker-a wakes up: refused at its next heartbeat and at the end */
	assert_int_equal(job_progress(fx->d, id, "worker-a", 5, 10, 60), DB_ECONFLICT);
	assert_int_equal(job_finish(fx->d, id, "worker-a", "done", "x", NULL, 0, NULL), DB_ECONFLICT);
	/* worker-b's heartbeat extends the lease from the clock (years after 2026-01-10) */
	OK(job_progress(fx->d, id, "worker-b", 3, 10, 60));
	OK(job_get(fx->d, id, a, &k));
	assert_int_equal(k.done, 3);
	assert_int_equal(k.total, 10);
	assert_true(strcmp(k.lease_until, "2026-01-10T08:02:01Z") > 0);
	OK(job_finish(fx->d, id, "worker-b", "done", "Đã tạo 10/10 văn bản.",
	              "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1234, "x.zip"));
	OK(job_get(fx->d, id, a, &k));
	assert_string_equal(k.state, "done");
	assert_string_equal(k.message, "Đã tạo 10/10 văn bản.");
	assert_int_equal(k.result_size, 1234);
	assert_null(k.lease_owner);
	assert_non_null(k.finished_at);
	/* done is done: nothing to claim, even far in the future */
	assert_int_equal(job_claim(fx->d, "worker-c", "2099-01-01T00:00:00Z", 60, a, &k), DB_ENOTFOUND);
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.done' AND object_id = ?", "i", id));
	assert_int_equal(n, 1);
	arena_free(a);
}

static void test_cancel_and_release(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	job_row j;
	int64_t first = queue(fx, "{}"), second = queue(fx, "{}");
	/* oldest first */
	OK(job_claim(fx->d, "w1", NULL, 60, a, &j));
	assert_int_equal(j.id, first);
	/* a cancelled running job: its worker is told at its next heartbeat */
	OK(job_cancel(fx->d, 0, first));
	assert_int_equal(job_progress(fx->d, first, "w1", 1, 2, 60), DB_ECONFLICT);
	assert_int_equal(job_finish(fx->d, first, "w1", "done", NULL, NULL, 0, NULL), DB_ECONFLICT);
	assert_int_equal(job_cancel(fx->d, 0, first), DB_ECONFLICT);
	assert_int_equal(job_cancel(fx->d, 0, 999), DB_ENOTFOUND);
	OK(job_get(fx->d, first, a, &j));
	assert_string_equal(j.state, "cancelled");
	/* a worker stopping cleanly gives its job back at once */
	OK(job_claim(fx->d, "w2", NULL, 60, a, &j));
	assert_int_equal(j.id, second);
	OK(job_progress(fx->d, second, "w2", 1, 4, 60));
	OK(job_release(fx->d, second, "w2"));
	OK(job_get(fx->d, second, a, &j));
	assert_string_equal(j.state, "queued");
	assert_int_equal(j.done, 0);
	OK(job_claim(fx->d, "w3", NULL, 60, a, &j));
	assert_int_equal(j.id, second);
	assert_int_equal(j.attempts, 1);   /* the clean stop did not count */
	OK(job_finish(fx->d, second, "w3", "failed", "Không có đơn vị nào", NULL, 0, NULL));
	OK(job_get(fx->d, second, a, &j));
	assert_string_equal(j.state, "failed");
	assert_true(job_state_final(j.state));
	assert_string_equal(job_state_label(j.state), "Lỗi");
	int64_t n = 0;
	OK(job_count_active(fx->d, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

/* A job whose process dies every time (a document that crashes the
 * server) is given up after JOB_MAX_ATTEMPTS claims, with a message. */
static void test_crash_loop_gives_up(void **state)
{
	store_fx *fx = *state;
	int64_t id = queue(fx, "{\"type\":\"minutes\",\"format\":\"pdf\"}");
	OK(db_execf(fx->d, "UPDATE jobs SET state = 'running', lease_owner = 'dead', lease_until = '2020-01-01T00:00:00Z',"
	            " attempts = ? WHERE id = ?", "ii", (int64_t)JOB_MAX_ATTEMPTS, id));
	job_env e = { .d = fx->d, .owner = "w", .lease_seconds = 60 };
	bool ran = false;
	OK(job_run_next(&e, &ran));
	assert_true(ran);
	arena *a = arena_new();
	job_row j;
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "failed");
	assert_int_equal(j.attempts, JOB_MAX_ATTEMPTS + 1);
	assert_non_null(strstr(j.message, "Đã chạy 5 lần mà tiến trình đều bị dừng giữa chừng"));
	arena_free(a);
}

/* Pure parts of the batch: which units, and the file names. */
static void test_batch_eligible_and_names(void **state)
{
	(void)state;
	const doc_type *ext = doc_type_find("bien-ban-danh-gia-ngoai"), *rep = doc_type_find("report"),
	               *plan = doc_type_find("plan"), *rec = doc_type_find("recognition");
	assert_non_null(ext);
	assert_false(doc_batch_eligible(ext, WF_UNDER_EVALUATION));
	assert_true(doc_batch_eligible(ext, WF_EVALUATED));
	assert_true(doc_batch_eligible(ext, WF_PUBLISHED));
	assert_false(doc_batch_eligible(rep, WF_DRAFT));
	assert_true(doc_batch_eligible(rep, WF_SELF_ASSESSED));
	assert_false(doc_batch_eligible(rep, WF_RETURNED));
	assert_true(doc_batch_eligible(plan, WF_RETURNED));
	assert_false(doc_batch_eligible(plan, WF_NOT_STARTED));
	assert_false(doc_batch_eligible(rec, WF_PUBLISHED));    /* a round document */
	char s[64];
	doc_batch_slug("Trường THCS Nhơn Bình", s, sizeof s);
	assert_string_equal(s, "Truong-THCS-Nhon-Binh");
	doc_batch_slug("Trường Tiểu học Đống Đa – số 2 (cơ sở 1)", s, sizeof s);
	assert_string_equal(s, "Truong-Tieu-hoc-Dong-Da-so-2-co-so-1");
	/* decomposed input (NFD) gives the same */
	doc_batch_slug("Tru\xcc\x9bo\xcc\x9b\xcc\x80ng", s, sizeof s);
	assert_string_equal(s, "Truong");
	doc_batch_slug("Trường Mầm non Hoa Sen Thành phố Quy Nhơn tỉnh Bình Định", s, 24);
	assert_string_equal(s, "Truong-Mam-non-Hoa-Sen");
	doc_batch_slug("???", s, sizeof s);
	assert_string_equal(s, "");
	buf p, e;
	buf_init(&p);
	buf_init(&e);
	assert_int_equal(doc_batch_params("bien-ban-danh-gia-ngoai", "pdf", NULL, NULL, &p, &e), DB_OK);
	assert_string_equal(buf_str(&p), "{\"format\":\"pdf\",\"type\":\"external-minutes\"}");
	assert_int_equal(doc_batch_params("khong-co", "pdf", NULL, NULL, &p, &e), DB_EINVAL);
	assert_non_null(strstr(buf_str(&e), "Loại văn bản không có"));
	buf_reset(&e);
	assert_int_equal(doc_batch_params("report", "xlsx", NULL, NULL, &p, &e), DB_EINVAL);
	assert_non_null(strstr(buf_str(&e), "Định dạng không hợp lệ"));
	buf_reset(&e);
	assert_int_equal(doc_batch_params("recognition", "pdf", NULL, NULL, &p, &e), DB_EINVAL);
	assert_non_null(strstr(buf_str(&e), "văn bản chung của cả đợt"));
	buf_free(&p);
	buf_free(&e);
}

/* The whole run through job_run_next, as the server's worker does it: the
 * fixture's round has four evaluated units (one recognised); their external
 * minutes come out as one ZIP, in Vietnamese order, with a manifest whose
 * SHA-256 values are the entries', each document recorded. */
static void test_batch_runs_into_zip(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	buf params, err;
	buf_init(&params);
	buf_init(&err);
	assert_int_equal(doc_batch_params("bien-ban-danh-gia-ngoai", "docx", NULL, NULL, &params, &err), DB_OK);
	int64_t id = 0;
	OK(job_create(fx->d, f.dgn1, DOC_BATCH_KIND, f.round, buf_str(&params), &id));
	char dir[128];
	snprintf(dir, sizeof dir, "%s/blobs", fx->dir);
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_store_open(dir, 0, &bs, msg), BLOB_OK);
	job_env e = { .d = fx->d, .cat = cat(), .bs = bs, .owner = "test-worker", .lease_seconds = 60 };
	bool ran = false;
	OK(job_run_next(&e, &ran));
	assert_true(ran);
	arena *a = arena_new();
	job_row j;
	OK(job_get(fx->d, id, a, &j));
	if (strcmp(j.state, "done") != 0) fail_msg("job %s: %s", j.state, j.message ? j.message : "");
	assert_string_equal(j.message, "Đã tạo 4/4 văn bản.");
	assert_int_equal(j.done, 4);
	assert_int_equal(j.total, 4);
	assert_int_equal(j.attempts, 1);
	assert_string_equal(j.result_name, "bien-ban-danh-gia-ngoai-dot1-2024-2025.zip");
	assert_true(blob_exists(bs, j.result_sha256));
	/* nothing left to run */
	OK(job_run_next(&e, &ran));
	assert_false(ran);

	char path[256];
	snprintf(path, sizeof path, "%s/%.2s/%s", dir, j.result_sha256, j.result_sha256);
	int zerr = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
	assert_non_null(z);
	assert_int_equal(zip_get_num_entries(z, 0), 5);
	static const char *const names[] = {   /* Ánh < Dương in Vietnamese, not in bytes */
		"001-Truong-Mam-non-Son-Ca-bien-ban-danh-gia-ngoai.docx",
		"002-Truong-THCS-Anh-Sang-bien-ban-danh-gia-ngoai.docx",
		"003-Truong-THCS-Duong-Ba-Trac-bien-ban-danh-gia-ngoai.docx",
		"004-Truong-THCS-Nguyen-Huu-Tho-bien-ban-danh-gia-ngoai.docx",
	};
	size_t mlen = 0;
	char *manifest = zip_entry(z, "danh-sach.csv", &mlen);
	assert_non_null(manifest);
	assert_true(!strncmp(manifest, "\xef\xbb\xbfstt,tep,ma_don_vi,ten_don_vi", 30));
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		size_t len = 0;
		char *docx = zip_entry(z, names[i], &len);
		if (!docx) fail_msg("no %s in the ZIP", names[i]);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)docx, len);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		/* the manifest's row: number, file, …, this SHA-256 */
		char *row = strstr(manifest, names[i]);
		assert_non_null(row);
		char *eol = strchr(row, '\r');
		assert_non_null(eol);
		*eol = '\0';
		if (!strstr(row, hex)) fail_msg("manifest row %s lacks %s", row, hex);
		*eol = '\r';
		assert_int_equal(docx[0], 'P');   /* a DOCX is a ZIP itself */
		free(docx);
	}
	assert_non_null(strstr(manifest, ",Trường THCS Ánh Sáng,Đã đánh giá ngoài,"));
	assert_non_null(strstr(manifest, ",Trường THCS Dương Bá Trạc,Đã công nhận,"));
	free(manifest);
	zip_close(z);
	/* recorded like single documents, under the account that asked */
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM documents WHERE type = 'external-minutes' AND generated_by = ?",
	                  "i", f.dgn1));
	assert_int_equal(n, 4);
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.done' AND account_id = ?", "i", f.dgn1));
	assert_int_equal(n, 1);

	/* every unit failing: the job fails and names them (parameters that
	 * skipped doc_batch_params' check: an impossible date) */
	OK(job_create(fx->d, f.dgn1, DOC_BATCH_KIND, f.round,
	              "{\"type\":\"external-minutes\",\"format\":\"pdf\",\"date\":\"2025-02-30\"}", &id));
	OK(job_run_next(&e, &ran));
	assert_true(ran);
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "failed");
	assert_null(j.result_sha256);
	if (!strstr(j.message, "Không tạo được văn bản nào (4 đơn vị lỗi)") || !strstr(j.message, "Trường THCS Ánh Sáng: Ngày văn bản không hợp lệ"))
		fail_msg("message: %s", j.message);
	/* a type with no unit in its state: a clear failure, nothing stored */
	OK(db_execf(fx->d, "UPDATE assessments SET state = 'draft' WHERE round_id = ?", "i", f.round));
	OK(job_create(fx->d, 0, DOC_BATCH_KIND, f.round, "{\"type\":\"request\",\"format\":\"pdf\"}", &id));
	OK(job_run_next(&e, &ran));
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "failed");
	assert_string_equal(j.message, "Không có đơn vị nào để lập Tờ trình đề nghị đánh giá ngoài: văn bản này chỉ lập "
	                               "cho các đơn vị đã gửi hồ sơ đề nghị đánh giá ngoài.");
	arena_free(a);
	blob_store_close(bs);
	buf_free(&params);
	buf_free(&err);
}

/* Pure: the unit import's parameters, and what their reader refuses. */
static void test_unit_import_params(void **state)
{
	(void)state;
	char sha[65];
	import_unit_job_sha256("abc", 3, sha);
	assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	import_unit_job_params p = { .file_id = 7, .from = "2026-09-01", .sha256 = sha, .file_name = "Danh sách \"mới\".csv" };
	buf b;
	buf_init(&b);
	import_unit_job_params_json(&p, &b);
	arena *a = arena_new();
	import_unit_job_params back;
	assert_true(import_unit_job_params_parse(buf_str(&b), a, &back));
	assert_int_equal(back.file_id, 7);
	assert_string_equal(back.from, "2026-09-01");
	assert_string_equal(back.sha256, sha);
	assert_string_equal(back.file_name, "Danh sách \"mới\".csv");
	assert_false(back.check_only);
	/* the check before the confirmation: "check": true, a params text of its own
	 * (job_find_active never takes a check for the import of the same file) */
	import_unit_job_params chk = p;
	chk.check_only = true;
	buf cb;
	buf_init(&cb);
	import_unit_job_params_json(&chk, &cb);
	assert_non_null(strstr(buf_str(&cb), "\"check\":true"));
	assert_string_not_equal(buf_str(&cb), buf_str(&b));
	assert_true(import_unit_job_params_parse(buf_str(&cb), a, &back));
	assert_true(back.check_only);
	assert_int_equal(back.file_id, 7);
	buf_free(&cb);
	static const char *const bad[] = {
		"{\"check\":\"yes\",\"file\":7,\"from\":\"2026-09-01\",\"sha256\":\"@\",\"name\":\"a\"}",
		"", "[]", "{}",
		"{\"file\":0,\"from\":\"2026-09-01\",\"sha256\":\"@\",\"name\":\"a\"}",
		"{\"file\":\"7\",\"from\":\"2026-09-01\",\"sha256\":\"@\",\"name\":\"a\"}",
		"{\"file\":7,\"from\":\"01/09/2026\",\"sha256\":\"@\",\"name\":\"a\"}",
		"{\"file\":7,\"from\":\"2026-02-30\",\"sha256\":\"@\",\"name\":\"a\"}",
		"{\"file\":7,\"from\":\"2026-09-01\",\"sha256\":\"@-\",\"name\":\"a\"}",
		"{\"file\":7,\"from\":\"2026-09-01\",\"sha256\":\"@\"}",
		"{\"file\":7,\"file\":8,\"from\":\"2026-09-01\",\"sha256\":\"@\",\"name\":\"a\"}",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		/* '@' stands for the hash, "@-" for it one digit short */
		buf json;
		buf_init(&json);
		for (const char *c = bad[i]; *c; c++) {
			if (*c == '@' && c[1] == '-') { buf_append(&json, sha, 63); c++; }
			else if (*c == '@') buf_puts(&json, sha);
			else buf_append(&json, c, 1);
		}
		if (import_unit_job_params_parse(buf_str(&json), a, &back)) fail_msg("accepted: %s", buf_str(&json));
		buf_free(&json);
	}
	/* upper-case hex is not what the job writes */
	char upper[65];
	for (size_t i = 0; i < 65; i++) upper[i] = (char)(sha[i] >= 'a' && sha[i] <= 'f' ? sha[i] - 32 : sha[i]);
	p.sha256 = upper;
	buf_reset(&b);
	import_unit_job_params_json(&p, &b);
	assert_false(import_unit_job_params_parse(buf_str(&b), a, &back));
	buf_free(&b);
	arena_free(a);
}

/* Keeps a CSV as the administration page does and queues its import. */
static int64_t queue_import(store_fx *fx, const char *csv, const char *sha_override, int64_t *file_id)
{
	OK(unit_import_file_save(fx->d, 0, "don-vi.csv", csv, strlen(csv), file_id));
	char sha[65];
	import_unit_job_sha256(csv, strlen(csv), sha);
	import_unit_job_params p = { .file_id = *file_id, .from = "2026-09-01", .sha256 = sha_override ? sha_override : sha,
	                             .file_name = "don-vi.csv" };
	buf b;
	buf_init(&b);
	import_unit_job_params_json(&p, &b);
	int64_t id = 0;
	OK(job_create(fx->d, 0, IMPORT_UNIT_JOB_KIND, 0, buf_str(&b), &id));
	/* the same confirmation again finds it instead of queuing a second */
	int64_t again = 0;
	OK(job_find_active(fx->d, IMPORT_UNIT_JOB_KIND, buf_str(&b), &again));
	assert_int_equal(again, id);
	buf_free(&b);
	return id;
}

static int64_t count(store_fx *fx, const char *sql)
{
	int64_t n = -1;
	OK(db_query_int64(fx->d, &n, sql, ""));
	return n;
}

/* A heartbeat that refuses its n-th call (1 = the first), like a job
 * cancelled at that moment. */
typedef struct refuse_at { int calls, at; } refuse_at;
static bool refusing_beat(void *ctx, int64_t done, int64_t total)
{
	(void)done;
	(void)total;
	refuse_at *r = ctx;
	return ++r->calls != r->at;
}

static void test_unit_import_job(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	job_row j;
	bool ran = false;
	job_env e = { .d = fx->d, .owner = "w", .lease_seconds = 60 };
	static const char csv[] = "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n"
	                          "79000000,Sở Giáo dục và Đào tạo Thử,Sở GD&ĐT,\n"
	                          "79100001,Trường Tiểu học Thử,Tiểu học,79000000\n";
	/* the check before the confirmation ("check": true): a dry run, done with
	 * the importer's report; nothing written, the file not marked */
	int64_t cfid = 0, cid = 0;
	OK(unit_import_file_save(fx->d, 0, "don-vi.csv", csv, strlen(csv), &cfid));
	char csha[65];
	import_unit_job_sha256(csv, strlen(csv), csha);
	import_unit_job_params cp = { .file_id = cfid, .from = "2026-09-01", .sha256 = csha, .file_name = "don-vi.csv",
	                              .check_only = true };
	buf cb;
	buf_init(&cb);
	import_unit_job_params_json(&cp, &cb);
	OK(job_create(fx->d, 0, IMPORT_UNIT_JOB_KIND, 0, buf_str(&cb), &cid));
	buf_free(&cb);
	OK(job_run_next(&e, &ran));
	assert_true(ran);
	OK(job_get(fx->d, cid, a, &j));
	assert_string_equal(j.state, "done");
	if (!strstr(j.message, "Kiểm tra xong, chưa ghi gì. Khi nhập: 2 đơn vị: 2 tạo mới") || strstr(j.message, "--dry-run"))
		fail_msg("check: %s", j.message);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code IN ('79000000', '79100001')"), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM unit_import_files WHERE imported_at IS NOT NULL"), 0);
	int64_t fid = 0, id = queue_import(fx, csv, NULL, &fid);
	OK(job_run_next(&e, &ran));
	assert_true(ran);
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "done");
	assert_int_equal(j.done, 2);
	assert_int_equal(j.total, 2);
	assert_null(j.lease_owner);
	if (!strstr(j.message, "Đã nhập 2 đơn vị: 2 tạo mới, 0 cập nhật, 0 không đổi."))
		fail_msg("message: %s", j.message);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code IN ('79000000', '79100001')"), 2);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM unit_relations r JOIN units u ON u.id = r.unit_id"
	                           " WHERE u.code = '79100001' AND r.valid_from = '2026-09-01'"), 2);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM unit_import_files WHERE imported_at IS NOT NULL"), 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.done'"), 2);   /* the check's and the import's */
	/* a second job of the same file (queued before the first ended) writes nothing more */
	char sha[65];
	import_unit_job_sha256(csv, strlen(csv), sha);
	buf b;
	buf_init(&b);
	import_unit_job_params_json(&(import_unit_job_params){ fid, "2026-09-02", sha, "don-vi.csv", false }, &b);
	OK(job_create(fx->d, 0, IMPORT_UNIT_JOB_KIND, 0, buf_str(&b), &id));
	buf_free(&b);
	OK(job_run_next(&e, &ran));
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "failed");
	assert_non_null(strstr(j.message, "Tệp này đã được nhập"));

	/* stopped inside the transaction (cancelled when "written" is
	 * recorded): the units, the relations and the mark are rolled back */
	static const char csv2[] = "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n"
	                           "79100002,Trường THCS Thử,THCS,79000000\n"
	                           "79100001,Trường Tiểu học Thử Đổi Tên,Tiểu học,79000000\n";
	id = queue_import(fx, csv2, NULL, &fid);
	OK(job_claim(fx->d, "w2", NULL, 60, a, &j));
	int64_t audit_before = count(fx, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(j.id, id);
	/* stopped when the rows are checked (1/2): the importer writes nothing;
	 * stopped at 2/2 inside the transaction: it rolls everything back */
	for (int at = 2; at <= 3; at++) {
		refuse_at r = { 0, at };
		job_run_ctx c = { .d = fx->d, .progress = refusing_beat, .ctx = &r, .owner = "w2" };
		buf_init(&c.message);
		assert_int_equal(import_unit_job_run(&c, &j), JOB_OUT_STOPPED);
		assert_int_equal(r.calls, at);
		assert_int_equal(db_tx_depth(fx->d), 0);
		buf_free(&c.message);
	}
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code = '79100002'"), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE name = 'Trường Tiểu học Thử Đổi Tên'"), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM unit_import_files WHERE imported_at IS NOT NULL"), 1);
	/* no audit row either (unit.update, unit.relate, job.done) */
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), audit_before);
	OK(job_release(fx->d, id, "w2"));
	/* run again for real, it imports */
	OK(job_run_next(&e, &ran));
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "done");
	if (!strstr(j.message, "Đã nhập 2 đơn vị: 1 tạo mới, 1 cập nhật, 0 không đổi."))
		fail_msg("message: %s", j.message);

	/* the kept bytes are not those that were checked: nothing written */
	static const char csv3[] = "Mã đơn vị,Tên đơn vị,Loại hình\n79100003,Trường THPT Thử,THPT\n";
	id = queue_import(fx, csv3, "0000000000000000000000000000000000000000000000000000000000000000", &fid);
	OK(job_run_next(&e, &ran));
	OK(job_get(fx->d, id, a, &j));
	assert_string_equal(j.state, "failed");
	assert_non_null(strstr(j.message, "Tệp đã thay đổi kể từ khi được kiểm tra"));
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code = '79100003'"), 0);
	arena_free(a);
}

/* The same batch through the pool of renderers (doc_batch.c), each on a
 * connection of its own opened from the target, as `chiso job run` and the
 * server's worker run it: the ZIP holds one document per unit and the
 * list, the progress reaches the total, every document is recorded once
 * and the audit chain written from several connections still verifies.
 * Twice: the entries' names and order do not depend on which renderer
 * made what. */
static void test_batch_pool_streams_zip(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	char dir[128];
	snprintf(dir, sizeof dir, "%s/blobs", fx->dir);
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_store_open(dir, 0, &bs, msg), BLOB_OK);
	setenv("CHISO_BATCH_THREADS", "3", 1);
	job_env e = { .d = fx->d, .cat = cat(), .bs = bs, .owner = "test-worker", .lease_seconds = 60, .db_target = fx->target };
	arena *a = arena_new();
	int64_t units = 0;
	buf names[2];
	buf_init(&names[0]);
	buf_init(&names[1]);
	OK(db_query_int64(fx->d, &units, "SELECT COUNT(*) FROM assessments WHERE round_id = ? AND state <> 'not_started'", "i", f.round));
	assert_true(units > 0);
	for (int run = 0; run < 2; run++) {
		int64_t id = 0;
		OK(job_create(fx->d, f.dgn1, DOC_BATCH_KIND, f.round, "{\"type\":\"plan\",\"format\":\"docx\",\"date\":\"2025-03-01\"}", &id));
		bool ran = false;
		OK(job_run_next(&e, &ran));
		assert_true(ran);
		job_row j;
		OK(job_get(fx->d, id, a, &j));
		if (strcmp(j.state, "done") != 0) fail_msg("job %s: %s", j.state, j.message ? j.message : "");
		assert_int_equal(j.total, units);
		assert_int_equal(j.done, units);
		char path[256];
		snprintf(path, sizeof path, "%s/%.2s/%s", dir, j.result_sha256, j.result_sha256);
		int zerr = 0;
		zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
		if (!z) fail_msg("the ZIP does not open: libzip error %d", zerr);
		assert_int_equal(zip_get_num_entries(z, 0), units + 1);
		for (zip_int64_t k = 0; k < units + 1; k++) buf_printf(&names[run], "%s\n", zip_get_name(z, (zip_uint64_t)k, 0));
		size_t len = 0;
		char *first = zip_entry(z, zip_get_name(z, 0, 0), &len);
		assert_non_null(first);
		assert_int_equal(first[0], 'P');
		free(first);
		char *manifest = zip_entry(z, "danh-sach.csv", &len);
		assert_non_null(manifest);
		size_t rows = 0;
		for (const char *c = manifest; (c = strchr(c, '\n')); c++) rows++;
		assert_int_equal(rows, units + 1);
		free(manifest);
		zip_close(z);
	}
	assert_string_equal(buf_str(&names[0]), buf_str(&names[1]));
	assert_non_null(strstr(buf_str(&names[0]), "001-"));
	buf_free(&names[0]);
	buf_free(&names[1]);
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COUNT(*) FROM documents WHERE type = 'plan'", ""));
	assert_int_equal(n, 2 * units);
	audit_report r;
	OK(audit_verify(fx->d, &r));
	if (r.bad_seq) fail_msg("audit chain broken at %lld: %s", (long long)r.bad_seq, r.problem);
	unsetenv("CHISO_BATCH_THREADS");
	arena_free(a);
	blob_store_close(bs);
}

#define STORE_TESTS(X) \
	X(create_checks_params) \
	X(claimers_never_share) \
	X(expired_lease_reclaimed) \
	X(cancel_and_release) \
	X(crash_loop_gives_up) \
	X(batch_eligible_and_names) \
	X(batch_runs_into_zip) \
	X(batch_pool_streams_zip) \
	X(unit_import_params) \
	X(unit_import_job)

int main(void)
{
	store_run("job", STORE_TESTS);
}
