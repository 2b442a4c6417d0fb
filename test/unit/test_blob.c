/* test_blob.c — the content-addressed blob store: write/read, dedupe,
 * type sniffing on real-looking files (test/fixtures/blob), refusals with
 * their Vietnamese messages, size limit, no temp file left visible, sweep,
 * and the ZIP/OLE readers surviving damaged input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "blob.h"
#include "buf.h"
#include "util.h"

#define FIXTURES "test/fixtures/blob/"

typedef struct fx {
	char dir[64];
	blob_store *bs;
} fx;

static int setup(void **state)
{
	fx *f = xcalloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/chiso-blob-XXXXXX");
	if (!mkdtemp(f->dir)) return -1;
	char store[96];
	snprintf(store, sizeof store, "%s/blobs", f->dir);
	char msg[BLOB_MSG_MAX];
	if (blob_store_open(store, (int64_t)64 * 1024, &f->bs, msg) != BLOB_OK) return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	blob_store_close(f->bs);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0) return -1;
	free(f);
	return 0;
}

static unsigned char *load(const char *name, size_t *n)
{
	char path[256];
	snprintf(path, sizeof path, FIXTURES "%s", name);
	FILE *fp = fopen(path, "rb");
	if (!fp) fail_msg("missing fixture %s", path);
	buf b;
	buf_init(&b);
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, k);
	fclose(fp);
	*n = b.len;
	return (unsigned char *)buf_take(&b);
}

static void sha_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* Entries of the store's top directory that are not two-hex fan-out
 * directories: temp files would show up here. */
static int stray_entries(const fx *f)
{
	char store[96];
	snprintf(store, sizeof store, "%s/blobs", f->dir);
	DIR *d = opendir(store);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 && strlen(e->d_name) != 2) n++;
	closedir(d);
	return n;
}

static void test_accepts_documents_and_images(void **state)
{
	fx *f = *state;
	static const struct { const char *file, *ext, *mime; } cases[] = {
		{ "bao-cao.pdf", "pdf", "application/pdf" },
		{ "may-chieu.png", "png", "image/png" },
		{ "anh-lop-hoc.jpg", "jpg", "image/jpeg" },
		{ "anh.gif", "gif", "image/gif" },
		{ "anh.webp", "webp", "image/webp" },
		{ "bien-ban.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "phan-mem.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ "ke-hoach.odt", "odt", "application/vnd.oasis.opendocument.text" },
		{ "phan-mem.ods", "ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ "phan-mem.xls", "xls", "application/vnd.ms-excel" },
		{ "bien-ban.doc", "doc", "application/msword" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t n;
		unsigned char *data = load(cases[i].file, &n);
		blob_info info;
		char msg[BLOB_MSG_MAX] = "";
		int rc = blob_put(f->bs, data, n, &info, msg);
		if (rc != BLOB_OK) fail_msg("%s refused: %s", cases[i].file, msg);
		assert_string_equal(info.ext, cases[i].ext);
		assert_string_equal(info.mime, cases[i].mime);
		assert_int_equal(info.size, (int64_t)n);
		assert_false(info.existed);
		char want[65];
		sha_hex(data, n, want);
		assert_string_equal(info.sha256, want);
		/* Stored under DIR/ab/<sha>, and reads back verified. */
		char path[256];
		snprintf(path, sizeof path, "%s/blobs/%.2s/%s", f->dir, want, want);
		assert_int_equal(access(path, R_OK), 0);
		buf b;
		buf_init(&b);
		assert_int_equal(blob_read(f->bs, want, &b, msg), BLOB_OK);
		assert_int_equal(b.len, n);
		assert_memory_equal(b.data, data, n);
		buf_free(&b);
		/* The same content again is deduplicated. */
		assert_int_equal(blob_put(f->bs, data, n, &info, msg), BLOB_OK);
		assert_true(info.existed);
		free(data);
	}
	assert_int_equal(stray_entries(f), 0);
}

static void test_streaming_equals_one_shot(void **state)
{
	fx *f = *state;
	size_t n;
	unsigned char *data = load("bao-cao.pdf", &n);
	blob_writer *w;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_begin(f->bs, &w, msg), BLOB_OK);
	/* Odd chunk sizes, as a multipart parser delivers them. */
	for (size_t off = 0; off < n;) {
		size_t k = off % 7 == 0 ? 1 : 1000 + off % 313;
		if (k > n - off) k = n - off;
		assert_int_equal(blob_write(w, data + off, k, msg), BLOB_OK);
		off += k;
	}
	blob_info info;
	assert_int_equal(blob_commit(w, &info, msg), BLOB_OK);
	char want[65];
	sha_hex(data, n, want);
	assert_string_equal(info.sha256, want);
	assert_true(blob_exists(f->bs, want));
	free(data);
}

static void test_refuses_with_reason(void **state)
{
	fx *f = *state;
	blob_info info;
	char msg[BLOB_MSG_MAX];
	size_t n;
	unsigned char *zip = load("anh-nen.zip", &n);
	assert_int_equal(blob_put(f->bs, zip, n, &info, msg), BLOB_ETYPE);
	assert_non_null(strstr(msg, "ZIP"));
	assert_string_equal(info.sha256, "");
	free(zip);
	unsigned char *ole = load("khac.ole", &n);
	assert_int_equal(blob_put(f->bs, ole, n, &info, msg), BLOB_ETYPE);
	assert_non_null(strstr(msg, "Office"));
	free(ole);
	static const char html[] = "<!DOCTYPE html><html><script>alert(1)</script></html>";
	assert_int_equal(blob_put(f->bs, html, sizeof html - 1, &info, msg), BLOB_ETYPE);
	assert_non_null(strstr(msg, "không được chấp nhận"));
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
	assert_int_equal(blob_put(f->bs, elf, sizeof elf - 1, &info, msg), BLOB_ETYPE);
	assert_int_equal(blob_put(f->bs, "", 0, &info, msg), BLOB_EEMPTY);
	assert_non_null(strstr(msg, "rỗng"));
	/* The store's limit is 64 KiB: one byte more is refused during the
	 * write, before the rest of the upload is read. */
	static const char pdf[] = "%PDF-1.4\n";
	unsigned char *big = xcalloc(1, 64 * 1024 + 1);
	memcpy(big, pdf, sizeof pdf - 1);
	blob_writer *w;
	assert_int_equal(blob_begin(f->bs, &w, msg), BLOB_OK);
	assert_int_equal(blob_write(w, big, (size_t)64 * 1024, msg), BLOB_OK);
	assert_int_equal(blob_write(w, big, 1, msg), BLOB_ETOOBIG);
	assert_non_null(strstr(msg, "quá lớn"));
	assert_int_equal(blob_commit(w, &info, msg), BLOB_ETOOBIG);
	free(big);
	/* A DOCX cut short (its ZIP directory lost) is not a document. */
	unsigned char *docx = load("bien-ban.docx", &n);
	assert_int_equal(blob_put(f->bs, docx, n - 40, &info, msg), BLOB_ETYPE);
	free(docx);
	/* Nothing refused left anything behind. */
	assert_int_equal(stray_entries(f), 0);
	assert_false(blob_exists(f->bs, "../../etc/passwd"));
	buf b;
	buf_init(&b);
	assert_int_equal(blob_read(f->bs, "0123", &b, msg), BLOB_EINVAL);
	buf_free(&b);
}

static void test_damaged_blob_detected(void **state)
{
	fx *f = *state;
	size_t n;
	unsigned char *data = load("may-chieu.png", &n);
	blob_info info;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_put(f->bs, data, n, &info, msg), BLOB_OK);
	char path[256];
	snprintf(path, sizeof path, "%s/blobs/%.2s/%s", f->dir, info.sha256, info.sha256);
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	fseek(fp, 40, SEEK_SET);
	fputc(0x55, fp);
	fclose(fp);
	buf b;
	buf_init(&b);
	assert_int_equal(blob_read(f->bs, info.sha256, &b, msg), BLOB_EIO);
	assert_non_null(strstr(msg, "damaged"));
	buf_free(&b);
	assert_int_equal(blob_remove(f->bs, info.sha256), BLOB_OK);
	assert_false(blob_exists(f->bs, info.sha256));
	free(data);
}

static void test_sweep_removes_stale_temp_files(void **state)
{
	fx *f = *state;
	char old[128], fresh[128];
	snprintf(old, sizeof old, "%s/blobs/.tmp-crashed", f->dir);
	snprintf(fresh, sizeof fresh, "%s/blobs/.tmp-uploading", f->dir);
	FILE *a = fopen(old, "w"), *b = fopen(fresh, "w");
	assert_true(a && b);
	fputs("%PDF-half", a);
	fputs("%PDF-half", b);
	fclose(a);
	fclose(b);
	struct timeval tv[2] = { { time(NULL) - 7200, 0 }, { time(NULL) - 7200, 0 } };
	assert_int_equal(utimes(old, tv), 0);
	int removed = -1;
	assert_int_equal(blob_sweep(f->bs, 3600, &removed), BLOB_OK);
	assert_int_equal(removed, 1);
	assert_int_not_equal(access(old, F_OK), 0);
	assert_int_equal(access(fresh, F_OK), 0);
	/* A temp name is never a blob name. */
	assert_false(blob_sha_valid(".tmp-uploading"));
}

/* Damaged office files must be refused or accepted, never crash or read
 * out of bounds (run under ASan by `make asan`). */
static void test_sniffers_survive_damage(void **state)
{
	fx *f = *state;
	static const char *const files[] = { "bien-ban.docx", "phan-mem.xlsx", "phan-mem.xls",
		"ke-hoach.odt", "bien-ban.doc" };
	unsigned seed = 12345;
	int accepted = 0, refused = 0;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		size_t n;
		unsigned char *orig = load(files[i], &n);
		unsigned char *m = xmalloc(n);
		for (int round = 0; round < 300; round++) {
			memcpy(m, orig, n);
			size_t len = n;
			int flips = 1 + (int)(rand_r(&seed) % 8);
			for (int k = 0; k < flips; k++) {
				/* Bias towards the directory structures at both ends. */
				size_t at = rand_r(&seed) % 2 ? rand_r(&seed) % (n < 600 ? n : 600)
					: n - 1 - rand_r(&seed) % (n < 600 ? n : 600);
				m[at] = (unsigned char)rand_r(&seed);
			}
			if (round % 5 == 0) len = 8 + rand_r(&seed) % (n - 8);
			blob_info info;
			char msg[BLOB_MSG_MAX];
			int rc = blob_put(f->bs, m, len, &info, msg);
			assert_true(rc == BLOB_OK || rc == BLOB_ETYPE);
			if (rc == BLOB_OK) accepted++;
			else refused++;
		}
		free(m);
		free(orig);
	}
	assert_true(accepted > 0 && refused > 0);
	assert_int_equal(stray_entries(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accepts_documents_and_images, setup, teardown),
		cmocka_unit_test_setup_teardown(test_streaming_equals_one_shot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_with_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_blob_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_removes_stale_temp_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sniffers_survive_damage, setup, teardown),
	};
	return cmocka_run_group_tests_name("blob", tests, NULL, NULL);
}
