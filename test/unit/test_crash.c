/* test_crash.c — the crash test of issue 3: a child process writes answers
 * and evidence (blob + evidence row + file row) in a loop and reports each
 * write on a pipe only after it committed; the parent kills it with
 * SIGKILL at a random moment, 60 times. After every kill, with a fresh
 * connection: every acknowledged write is present, the audit chain
 * verifies, and every evidence file names a complete blob whose content
 * matches its hash (a temp file never becomes evidence). Runs on SQLite and
 * on PostgreSQL (store_test.h). */
#include "store_test.h"
#include "audit.h"
#include "blob.h"
#include "q.h"
#include "q_assessment.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_unit.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

enum { KILLS = 60 };

/* The writer: never returns. Acks are "A <version>" and "E <id>" lines. */
static void writer(const char *target, const char *blobdir, int64_t as, int out, int start)
{
	db *d;
	char *err = NULL;
	if (db_open(target, &d, &err) != DB_OK) _exit(3);
	/* A loaded test machine must not turn a slow kill into a failure. */
	db_set_lock_timeout(d, 30000);
	blob_store *bs;
	char msg[BLOB_MSG_MAX];
	if (blob_store_open(blobdir, 0, &bs, msg) != BLOB_OK) _exit(4);
	const char *items[] = { "1.3" };
	for (int i = start;; i++) {
		char value[64], line[64];
		snprintf(value, sizeof value, "{\"n\": %d}", i);
		int v = 0;
		if (assessment_answer_put(d, 0, as, "1.3", ANSWER_SELF, value, NULL, &v, NULL) != DB_OK)
			_exit(5);
		int n = snprintf(line, sizeof line, "A %d\n", v);
		if (write(out, line, (size_t)n) != n) _exit(6);
		if (i % 3 == 0) {
			/* A PDF-looking file of a few KB, different every time. */
			char pdf[6000];
			int len = snprintf(pdf, sizeof pdf, "%%PDF-1.4\n%% minh chung %d\n", i);
			memset(pdf + len, 'a' + i % 26, sizeof pdf - (size_t)len);
			blob_info bi;
			if (blob_put(bs, pdf, sizeof pdf, &bi, msg) != BLOB_OK) _exit(7);
			evidence e = { .assessment_id = as, .title = "Ảnh chụp phòng máy", .items = items,
				.nitems = 1 };
			int64_t id = 0;
			if (evidence_add(d, 0, &e, &id, NULL, NULL) != DB_OK) _exit(8);
			if (evidence_add_file(d, 0, id, &bi, "phong-may.pdf", NULL) != DB_OK) _exit(9);
			n = snprintf(line, sizeof line, "E %lld\n", (long long)id);
			if (write(out, line, (size_t)n) != n) _exit(6);
		}
	}
}

static void test_kill9_loses_no_acknowledged_write(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t office = 0, school = 0, round = 0, as = 0;
	unit u1 = { .code = "79760", .name = "Phòng GD&ĐT Quận 7", .type = "phong" };
	unit u2 = { .code = "79760401", .name = "Trường THCS Nguyễn Hữu Thọ", .type = "thcs" };
	OK(unit_save(fx->d, 0, &u1, &office, NULL));
	OK(unit_save(fx->d, 0, &u2, &school, NULL));
	round_row r = { .office_unit_id = office, .school_year = "2024-2025", .title = "Đợt 1" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	OK(round_open(fx->d, 0, &r, fw, 1, NULL, 0, &round));
	OK(assessment_create(fx->d, 0, round, school, "qd4725-2022", "1", &as));
	char blobdir[96];
	snprintf(blobdir, sizeof blobdir, "%s/blobs", fx->dir);
	blob_store *bs;
	char msg[BLOB_MSG_MAX];
	assert_int_equal(blob_store_open(blobdir, 0, &bs, msg), BLOB_OK);

	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	int acked_version = 0, acked_evidence = 0, total_kills = 0;
	int64_t *acked_ids = NULL;
	size_t nids = 0, capids = 0;
	for (int k = 0; k < KILLS; k++) {
		int p[2];
		assert_int_equal(pipe(p), 0);
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			writer(fx->target, blobdir, as, p[1], k * 1000);
		}
		close(p[1]);
		/* Wait for its first acknowledged write (connecting can take a
		 * while on a loaded machine), then let it run 0–40 ms more so the
		 * kill lands at a random point inside the write loop: in a
		 * commit, a blob write or rename, between blob and row. */
		buf acks;
		buf_init(&acks);
		char ch;
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		while (poll(&pfd, 1, 30000) > 0 && read(p[0], &ch, 1) == 1) {
			buf_putc(&acks, ch);
			if (ch == '\n') break;
		}
		struct timespec ts = { 0, (long)(rand_r(&seed) % 41) * 1000000L };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		if (!WIFSIGNALED(status))
			fail_msg("writer exited by itself (status %d) at kill %d", WEXITSTATUS(status), k);
		total_kills++;
		/* Everything acknowledged before the kill is in the pipe. */
		char chunk[4096];
		ssize_t got;
		while ((got = read(p[0], chunk, sizeof chunk)) > 0) buf_append(&acks, chunk, (size_t)got);
		close(p[0]);
		for (char *line = acks.data; line && *line;) {
			char *nl = strchr(line, '\n');
			if (!nl) break;      /* a line cut by the kill was never acknowledged */
			*nl = '\0';
			if (line[0] == 'A') {
				int v = atoi(line + 2);
				if (v > acked_version) acked_version = v;
			} else if (line[0] == 'E') {
				q_grow(a, (void **)&acked_ids, &capids, nids, sizeof *acked_ids);
				acked_ids[nids++] = strtoll(line + 2, NULL, 10);
				acked_evidence++;
			}
			line = nl + 1;
		}
		buf_free(&acks);

		/* Restart: a fresh connection sees every acknowledged write. */
		db *d;
		char *err = NULL;
		assert_int_equal(db_open(fx->target, &d, &err), DB_OK);
		assessment_answer cur;
		if (acked_version > 0) {
			assert_int_equal(assessment_answer_get(d, as, ANSWER_SELF, "1.3", a, &cur), DB_OK);
			assert_true(cur.version >= acked_version);
		}
		for (size_t i = 0; i < nids; i++) {
			evidence e;
			if (evidence_get(d, acked_ids[i], a, &e) != DB_OK)
				fail_msg("acknowledged evidence %lld lost after kill %d", (long long)acked_ids[i], k);
		}
		audit_report rep;
		assert_int_equal(audit_verify(d, &rep), DB_OK);
		if (rep.bad_seq) fail_msg("audit chain broken after kill %d: %s", k, rep.problem);
		/* Every evidence file is a whole blob whose bytes match its name. */
		db_stmt *s = db_prepare(d, "SELECT sha256, size FROM evidence_files");
		assert_non_null(s);
		int rc;
		while ((rc = db_step(s)) == DB_ROW) {
			buf b;
			buf_init(&b);
			const char *sha = db_col_text(s, 0);
			if (blob_read(bs, sha, &b, msg) != BLOB_OK) fail_msg("after kill %d: %s", k, msg);
			assert_int_equal((int64_t)b.len, db_col_int64(s, 1));
			buf_free(&b);
		}
		assert_int_equal(rc, DB_DONE);
		db_finish(s);
		db_close(d);
	}
	/* What a crash leaves are temp files, which the sweep removes. */
	int removed = 0;
	assert_int_equal(blob_sweep(bs, 0, &removed), BLOB_OK);
	print_message("%d kills: %d answer versions and %d evidence items acknowledged, "
		"%d temp files swept\n", total_kills, acked_version, acked_evidence, removed);
	assert_int_equal(total_kills, KILLS);
	assert_true(acked_version > 0);
	assert_true(acked_evidence > 0);
	blob_store_close(bs);
	arena_free(a);
}

#define STORE_TESTS(X) X(kill9_loses_no_acknowledged_write)

int main(void)
{
	store_run("crash", STORE_TESTS);
}
