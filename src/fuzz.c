/* fuzz.c — the bodies of the fuzz targets (fuzz.h): each feeds the bytes
 * to one parser the way the product does and checks what the parser
 * promises: no crash, no leak, and a refusal comes with a message. */
#include "fuzz.h"
#include "answers.h"
#include "api.h"
#include "blob.h"
#include "framework.h"
#include "http.h"
#include "import.h"
#include "score.h"
#include "util.h"
#include "workflow.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The shipped frameworks, loaded once: answers are checked against them. */
static const fw_catalog *frameworks(void)
{
	static fw_catalog cat;
	static bool loaded;
	if (!loaded) {
		fw_catalog_load(&cat, "frameworks");
		if (cat.n == 0) {
			fprintf(stderr, "fuzz: no framework in ./frameworks (run from the repository root)\n%s",
			        buf_str(&cat.errors));
			abort();
		}
		loaded = true;
	}
	return &cat;
}

/* ---- HTTP: the request line, headers, cookies, query, urlencoded and
 * multipart bodies, through http.c's own MHD callbacks ------------------- */

static void touch(const char *s)
{
	if (s && strlen(s) == (size_t)-1) abort();
}

static void http_one_handler(http_req *r)
{
	touch(r->method);
	touch(r->path);
	touch(r->remote);
	for (size_t i = 0; i < r->nfields; i++) {
		touch(r->fields[i].name);
		touch(r->fields[i].value);
	}
	/* the lookups the pages make */
	touch(http_param(r, "_csrf"));
	touch(http_body_param(r, "_csrf"));
	size_t n = 0;
	const char **v = http_params(r, "giu", &n);
	for (size_t i = 0; i < n; i++) touch(v[i]);
	touch(http_cookie(r, "chiso_session"));
	touch(http_header(r, "Content-Type"));
	/* every upload: its file read back and its type decided, as the
	 * evidence page does */
	for (size_t i = 0; i < r->nuploads; i++) {
		http_upload *u = &r->uploads[i];
		touch(u->field);
		touch(u->filename);
		touch(u->content_type);
		if (!u->tmp_path) continue;
		int fd = open(u->tmp_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) abort();
		unsigned char head[4096];
		ssize_t k = pread(fd, head, sizeof head, 0);
		const char *mime, *ext;
		char msg[BLOB_MSG_MAX];
		if (k > 0 && blob_sniff(fd, (int64_t)u->size, head, (size_t)k, &mime, &ext, msg) != BLOB_OK && !msg[0])
			abort();
		close(fd);
	}
	/* a JSON body, as the API reads it */
	if (r->raw_body) {
		const char *code, *message;
		json_t *j = api_parse_body(r->raw_body, r->raw_len, JSON_OBJECT, r->a, &code, &message);
		if (!j && (!code || !message || !*message)) abort();
		json_decref(j);
	}
	buf_puts(&r->body, "ok");
	http_set_cookie(r, "chiso_session", "x", 0);
}

static char upload_dir[] = "/tmp/chiso-fuzz-XXXXXX";

static void remove_upload_dir(void)
{
	rmdir(upload_dir);
}

void fuzz_http_exchange(const uint8_t *data, size_t size, buf *response)
{
	static http_config cfg;
	if (!cfg.upload_dir) {
		if (!mkdtemp(upload_dir)) abort();
		atexit(remove_upload_dir);
		cfg.host = "127.0.0.1";
		cfg.max_body = (uint64_t)1 << 20;
		cfg.max_upload = (uint64_t)256 << 10;
		cfg.max_raw = API_MAX_BODY;
		cfg.upload_dir = upload_dir;
		cfg.trust_proxy = true;       /* X-Forwarded-For / -Proto are parsed too */
		cfg.quiet = true;
	}
	if (http_fuzz_request(&cfg, http_one_handler, data, size, response) != 0) {
		fprintf(stderr, "fuzz_http: the server did not close the connection (hang?)\n");
		abort();
	}
}

void fuzz_http_one(const uint8_t *data, size_t size)
{
	fuzz_http_exchange(data, size, NULL);
}

/* ---- the JSON API: a body of PUT /api/v1/danh-gia/{id}/tra-loi or
 * POST …/chuyen, checked as api_assess.c does before the store ------------ */

void fuzz_api_one(const uint8_t *data, size_t size)
{
	const fw_catalog *cat = frameworks();
	arena *a = arena_new();
	const char *code, *message;
	json_t *body = api_parse_body((const char *)data, size, JSON_OBJECT, a, &code, &message);
	if (!body) {
		if (!code || !message || !*message) abort();
		arena_free(a);
		return;
	}
	json_t *action = json_object_get(body, "action");
	if (json_is_string(action)) (void)wf_action_parse(json_string_value(action));
	json_t *answers = json_object_get(body, "answers");
	const char *key;
	json_t *val;
	if (json_is_object(answers)) json_object_foreach(answers, key, val) {
		for (size_t f = 0; f < cat->n; f++) {
			const framework *fw = cat->items[f];
			const fw_node *leaf = framework_find(fw, key);
			if (!leaf || !leaf->rule) continue;
			char *text = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
			if (!text) abort();
			for (int t = 0; t < UT_COUNT; t++) {
				if (!fw->unit_types[t]) continue;
				buf e;
				buf_init(&e);
				answer parsed;
				if (!answers_parse_one(fw, (unit_type)t, leaf, text, a, &parsed, &e) && e.len == 0) abort();
				buf_free(&e);
			}
			free(text);
		}
	}
	json_decref(body);
	arena_free(a);
}

/* ---- framework files: `chiso framework check`, and an empty sheet
 * scored on whatever it accepted -------------------------------------- */

static void score_sheet(const framework *fw, unit_type t, const answer_sheet *sheet)
{
	for (int p = POLICY_MIN; p <= POLICY_PER_GROUP_ONLY; p++) {
		buf err;
		buf_init(&err);
		score_result *r = score_compute(fw, t, (unit_policy)p, sheet, &err);
		if (!r && err.len == 0) abort();
		if (r) {
			size_t nplans = 0;
			(void)score_whatif(r, &nplans);
		}
		score_free(r);
		buf_free(&err);
	}
}

void fuzz_framework_one(const uint8_t *data, size_t size)
{
	buf err;
	buf_init(&err);
	framework *fw = framework_parse((const char *)data, size, "fuzz.json", &err);
	if (!fw) {
		if (err.len == 0) abort();
		buf_free(&err);
		return;
	}
	answer_sheet sheet = { .answers = xcalloc(fw->nleaves ? fw->nleaves : 1, sizeof *sheet.answers) };
	for (int t = 0; t < UT_COUNT; t++)
		if (fw->unit_types[t]) score_sheet(fw, (unit_type)t, &sheet);
	free(sheet.answers);
	framework_free(fw);
	buf_free(&err);
}

/* ---- answer sheets: `chiso score FRAMEWORK SHEET`, on every shipped
 * framework, then scored when accepted ----------------------------------- */

void fuzz_answers_one(const uint8_t *data, size_t size)
{
	const fw_catalog *cat = frameworks();
	for (size_t f = 0; f < cat->n; f++) {
		const framework *fw = cat->items[f];
		for (int partial = 0; partial < 2; partial++) {
			arena *a = arena_new();
			buf err;
			buf_init(&err);
			answers_opts opts = { .partial = partial };
			answer_sheet sheet;
			unit_type type;
			if (answers_parse(fw, (const char *)data, size, "fuzz.json", &opts, a, &sheet, &type, &err))
				score_sheet(fw, type, &sheet);
			else if (err.len == 0)
				abort();
			buf_free(&err);
			arena_free(a);
		}
	}
}

/* ---- unit lists: the CSV and XLSX readers, with limits small enough
 * that one input cannot take seconds ----------------------------------- */

void fuzz_import_one(const uint8_t *data, size_t size)
{
	import_limits lim = import_default_limits;
	lim.max_unzipped_bytes = (uint64_t)8 << 20;
	lim.max_rows = 20000;
	lim.max_cells = 200000;
	import_table t;
	char *err = NULL;
	if (import_csv_parse((const char *)data, size, &lim, &t, &err) == 0) import_table_free(&t);
	else if (!err) abort();
	free(err);
	err = NULL;
	if (import_xlsx_parse(data, size, &lim, &t, &err) == 0) import_table_free(&t);
	else if (!err) abort();
	free(err);
}

/* ---- uploads: the type check every evidence file goes through ------------ */

void fuzz_upload_one(const uint8_t *data, size_t size)
{
	/* blob_sniff reads the file's tail and directories with pread: the
	 * bytes go to one unlinked temporary file, reused */
	static int fd = -1;
	if (fd < 0) {
		char path[] = "/tmp/chiso-fuzz-upload-XXXXXX";
		fd = mkstemp(path);
		if (fd < 0) abort();
		unlink(path);
	}
	if (ftruncate(fd, 0) != 0) abort();
	for (size_t done = 0; done < size;) {
		ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
		if (w <= 0) abort();
		done += (size_t)w;
	}
	const char *mime = NULL, *ext = NULL;
	char msg[BLOB_MSG_MAX] = "";
	size_t nhead = size < 4096 ? size : 4096;
	int rc = blob_sniff(fd, (int64_t)size, data, nhead, &mime, &ext, msg);
	if (rc == BLOB_OK ? !mime || !ext : rc != BLOB_ETYPE || !msg[0]) abort();
}
