/* test_blob_db.c — evidence files in the database (blob_db.h, issue 14
 * item 4), on SQLite and PostgreSQL (store_test.h): with PostgreSQL a file
 * written through one server's directory is read through another's, whole
 * and checked, a damaged chunk is refused on read, `blob migrate` moves
 * files both ways; with SQLite the directory stays the only store. */
#include "store_test.h"
#include "blob.h"
#include "blob_db.h"
#include "q_blob.h"
#include <sodium.h>
#include <sys/stat.h>

/* A PDF of n bytes (n > BLOB_CHUNK spans chunks), random after its header. */
static unsigned char *make_pdf(size_t n)
{
	static const unsigned char head[9] = { '%', 'P', 'D', 'F', '-', '1', '.', '4', '\n' };
	unsigned char *p = xmalloc(n);
	randombytes_buf(p, n);
	memcpy(p, head, sizeof head);
	return p;
}

/* A store in dir/name attached to the fixture's database. */
static blob_store *store_in(store_fx *fx, const char *name)
{
	char dir[128];
	snprintf(dir, sizeof dir, "%s/%s", fx->dir, name);
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	if (blob_store_open(dir, 0, &bs, msg) != BLOB_OK) fail_msg("%s", msg);
	blob_store_use_db(bs, fx->target);
	return bs;
}

static int64_t rows(store_fx *fx, const char *table)
{
	int64_t n = -1;
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	OK(db_query_int64(fx->d, &n, sql, NULL));
	return n;
}

static void test_shared_between_servers(void **state)
{
	store_fx *fx = *state;
	size_t n = BLOB_CHUNK * 2 + 1000;
	unsigned char *pdf = make_pdf(n);
	blob_store *a = store_in(fx, "a"), *b = store_in(fx, "b");
	blob_info info;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_put(a, pdf, n, &info, msg), BLOB_OK);
	if (fx->pg) {
		assert_int_equal(rows(fx, "blob_objects"), 1);
		assert_int_equal(rows(fx, "blob_chunks"), 3);
		/* server B never saw the upload: it reads it from the database */
		assert_true(blob_exists(b, info.sha256));
		buf got;
		buf_init(&got);
		assert_int_equal(blob_read(b, info.sha256, &got, msg), BLOB_OK);
		assert_int_equal(got.len, n);
		assert_memory_equal(got.data, pdf, n);
		buf_free(&got);
		/* the same content again: no new rows */
		assert_int_equal(blob_put(b, pdf, n, &info, msg), BLOB_OK);
		assert_int_equal(rows(fx, "blob_chunks"), 3);
	} else {
		/* SQLite: the directory alone, B does not see A's file */
		assert_int_equal(rows(fx, "blob_objects"), 0);
		assert_false(blob_exists(b, info.sha256));
	}
	blob_store_close(a);
	blob_store_close(b);
	free(pdf);
}

static void test_damaged_chunk_refused(void **state)
{
	store_fx *fx = *state;
	if (!fx->pg) skip();
	size_t n = BLOB_CHUNK + 10;
	unsigned char *pdf = make_pdf(n);
	blob_store *a = store_in(fx, "a");
	blob_info info;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_put(a, pdf, n, &info, msg), BLOB_OK);
	OK(db_execf(fx->d, "UPDATE blob_chunks SET data = ? WHERE seq = 1", "b", "0123456789", (size_t)10));
	char dir[128];
	snprintf(dir, sizeof dir, "%s/c", fx->dir);
	assert_int_equal(mkdir(dir, 0750), 0);
	assert_int_equal(blob_db_fetch(fx->target, dir, info.sha256, msg), BLOB_EIO);
	assert_non_null(strstr(msg, "damaged"));
	assert_int_equal(blob_local_ready(dir, fx->target, info.sha256, msg), BLOB_EIO);
	/* nothing left under the file's name, nor a temporary file */
	char cmd[256];
	snprintf(cmd, sizeof cmd, "test -z \"$(find %s -type f)\"", dir);
	assert_int_equal(system(cmd), 0);
	blob_store_close(a);
	free(pdf);
}

static void test_migrate_both_ways(void **state)
{
	store_fx *fx = *state;
	char msg[BLOB_MSG_MAX];
	char plain[128], back[128];
	snprintf(plain, sizeof plain, "%s/plain", fx->dir);
	snprintf(back, sizeof back, "%s/back", fx->dir);
	blob_migrate_report r;
	if (!fx->pg) {
		assert_int_equal(blob_db_migrate(fx->target, plain, true, &r, msg), BLOB_EINVAL);
		return;
	}
	/* a directory store of two files, as a SQLite-era installation has it */
	blob_store *bs = NULL;
	assert_int_equal(blob_store_open(plain, 0, &bs, msg), BLOB_OK);
	unsigned char *p1 = make_pdf(BLOB_CHUNK + 5), *p2 = make_pdf(100);
	blob_info i1, i2;
	assert_int_equal(blob_put(bs, p1, BLOB_CHUNK + 5, &i1, msg), BLOB_OK);
	assert_int_equal(blob_put(bs, p2, 100, &i2, msg), BLOB_OK);
	blob_store_close(bs);
	assert_int_equal(blob_db_migrate(fx->target, plain, true, &r, msg), BLOB_OK);
	assert_int_equal(r.files, 2);
	assert_int_equal(r.bad, 0);
	assert_int_equal(rows(fx, "blob_objects"), 2);
	/* and out again into an empty directory: the same bytes */
	assert_int_equal(blob_db_migrate(fx->target, back, false, &r, msg), BLOB_OK);
	assert_int_equal(r.files, 2);
	blob_store *b2 = NULL;
	assert_int_equal(blob_store_open(back, 0, &b2, msg), BLOB_OK);
	buf got;
	buf_init(&got);
	assert_int_equal(blob_read(b2, i1.sha256, &got, msg), BLOB_OK);
	assert_int_equal(got.len, BLOB_CHUNK + 5);
	assert_memory_equal(got.data, p1, BLOB_CHUNK + 5);
	buf_free(&got);
	/* a second run finds everything there */
	assert_int_equal(blob_db_migrate(fx->target, back, false, &r, msg), BLOB_OK);
	assert_int_equal(r.files, 0);
	assert_int_equal(r.skipped, 2);
	blob_store_close(b2);
	free(p1);
	free(p2);
}

static void test_remove_from_database(void **state)
{
	store_fx *fx = *state;
	if (!fx->pg) skip();
	unsigned char *pdf = make_pdf(500);
	blob_store *a = store_in(fx, "a"), *b = store_in(fx, "b");
	blob_info info;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_put(a, pdf, 500, &info, msg), BLOB_OK);
	assert_int_equal(blob_remove(a, info.sha256), BLOB_OK);
	assert_int_equal(rows(fx, "blob_objects"), 0);
	assert_int_equal(rows(fx, "blob_chunks"), 0);
	assert_false(blob_exists(b, info.sha256));
	blob_store_close(a);
	blob_store_close(b);
	free(pdf);
}

#define STORE_TESTS(X) \
	X(shared_between_servers) \
	X(damaged_chunk_refused) \
	X(migrate_both_ways) \
	X(remove_from_database)

int main(void)
{
	if (sodium_init() < 0) return 1;
	store_run("blob_db", STORE_TESTS);
}
