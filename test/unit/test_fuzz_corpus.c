/* test_fuzz_corpus.c — every committed fuzz corpus (fuzz/corpus/NAME/)
 * replayed through the same function its libFuzzer target calls
 * (fuzz_NAME_one, src/fuzz.c): what was once found stays fixed. Those
 * functions abort on a broken promise, so a regression fails this test
 * (and a leak fails it under `make asan`). Also checks that the HTTP
 * harness really reaches the handler, so its target fuzzes the parser and
 * not a closed socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "testutil.h"

static size_t replay(const char *name, void (*one)(const uint8_t *, size_t))
{
	char dirpath[256];
	snprintf(dirpath, sizeof dirpath, "fuzz/corpus/%s", name);
	DIR *dir = opendir(dirpath);
	if (!dir) fail_msg("%s: missing", dirpath);
	struct dirent *e;
	size_t files = 0;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.') continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dirpath, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) continue;
		buf b;
		buf_init(&b);
		char chunk[4096];
		size_t got;
		while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, got);
		fclose(f);
		one((const uint8_t *)(b.data ? b.data : ""), b.len);
		buf_free(&b);
		files++;
	}
	closedir(dir);
	if (files < 3) fail_msg("%s: %zu seed files, expected a handful", dirpath, files);
	return files;
}

static void test_http(void **state) { (void)state; replay("http", fuzz_http_one); }
static void test_api(void **state) { (void)state; replay("api", fuzz_api_one); }
static void test_framework(void **state) { (void)state; replay("framework", fuzz_framework_one); }
static void test_answers(void **state) { (void)state; replay("answers", fuzz_answers_one); }
static void test_import(void **state) { (void)state; replay("import", fuzz_import_one); }
static void test_upload(void **state) { (void)state; replay("upload", fuzz_upload_one); }
static void test_pdfsig(void **state) { (void)state; replay("pdfsig", fuzz_pdfsig_one); }

static void exchange(const char *request, const char *want)
{
	buf resp;
	buf_init(&resp);
	fuzz_http_exchange((const uint8_t *)request, strlen(request), &resp);
	assert_contains(buf_str(&resp), want);
	buf_free(&resp);
}

/* The harness's handler answers "ok"; the server's own refusals still work. */
static void test_http_harness(void **state)
{
	(void)state;
	exchange("GET /?a=1 HTTP/1.1\r\nHost: x\r\nCookie: chiso_session=abc\r\n\r\n", "HTTP/1.1 200");
	exchange("POST /dang-nhap HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: 8\r\n\r\nzz=a%20b", "\r\n\r\nok");
	exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 86\r\n\r\n"
	         "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 x\r\n--B--\r\n",
	         "Set-Cookie: chiso_session=x");
	exchange("GET /static/chiso.css%00.js HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400");
	exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab", "HTTP/1.1 400");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_harness),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_framework),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_upload),
		cmocka_unit_test(test_pdfsig),
	};
	return cmocka_run_group_tests_name("fuzz_corpus", tests, NULL, NULL);
}
