/* cmd_job.c — `chiso job`: queue a batch of documents for a round, run the
 * queued background jobs without a web server (scripts, tests, a worker
 * process of its own), and show a job. */
#include "backup.h"
#include "cmd.h"
#include "db.h"
#include "doc_batch.h"
#include "job.h"
#include "q_framework.h"
#include "q_job.h"
#include "util.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Cách dùng (usage):\n"
	"  chiso job batch --round ID --type TYPE [--format pdf|docx] [--date YYYY-MM-DD] [--signer \"Họ tên\"] [--db …]\n"
	"            xếp hàng lập một loại văn bản cho mọi đơn vị phù hợp của đợt, thành một tệp ZIP\n"
	"  chiso job run [--once] [--db …] [--blobs DIR]\n"
	"            chạy các công việc đang chờ (--once: một công việc) rồi thoát\n"
	"  chiso job show ID [--db …]\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return EXIT_BADINPUT;
}

static int job_show(db *d, int64_t id)
{
	arena *a = arena_new();
	job_row j;
	int rc = job_get(d, id, a, &j);
	if (rc != DB_OK) {
		fprintf(stderr, "chiso job: %s\n", db_errmsg(d));
		arena_free(a);
		return EXIT_FAIL;
	}
	printf("id %lld\nkind %s\nround %lld\nstate %s\nprogress %lld/%lld\nattempts %lld\nparams %s\n",
	       (long long)j.id, j.kind, (long long)j.round_id, j.state, (long long)j.done, (long long)j.total,
	       (long long)j.attempts, j.params);
	if (j.message) printf("message %s\n", j.message);
	if (j.result_sha256) printf("result %s %lld %s\n", j.result_sha256, (long long)j.result_size, j.result_name);
	arena_free(a);
	return EXIT_OK;
}

int cmd_job(int argc, char **argv)
{
	if (argc < 2 || cmd_wants_help(argc, argv)) return usage();
	const char *sub = argv[1], *target = cmd_default_db(), *blobs = NULL;
	const char *type = NULL, *format = "pdf", *date = NULL, *signer = NULL;
	int64_t round_id = 0, show_id = 0;
	bool once = false;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(o, "--db") && more) target = argv[++i];
		else if (!strcmp(o, "--blobs") && more) blobs = argv[++i];
		else if (!strcmp(o, "--round") && more) { if (!cmd_parse_id(argv[++i], &round_id)) return usage(); }
		else if (!strcmp(o, "--type") && more) type = argv[++i];
		else if (!strcmp(o, "--format") && more) format = argv[++i];
		else if (!strcmp(o, "--date") && more) date = argv[++i];
		else if (!strcmp(o, "--signer") && more) signer = argv[++i];
		else if (!strcmp(o, "--once")) once = true;
		else if (!strcmp(sub, "show") && !show_id && cmd_parse_id(o, &show_id)) continue;
		else return usage();
	}
	if (strcmp(sub, "batch") != 0 && strcmp(sub, "run") != 0 && strcmp(sub, "show") != 0) return usage();
	if (!strcmp(sub, "show") && !show_id) return usage();
	if (!strcmp(sub, "batch") && (!round_id || !type)) return usage();
	if (sodium_init() < 0) return EXIT_FAIL;
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	int rc = EXIT_OK;
	if (!strcmp(sub, "show")) {
		rc = job_show(d, show_id);
	} else if (!strcmp(sub, "batch")) {
		buf params, err;
		buf_init(&params);
		buf_init(&err);
		int64_t id = 0;
		arena *a = arena_new();
		char *title = NULL;
		if (doc_batch_params(type, format, date, signer, &params, &err) != DB_OK) {
			fprintf(stderr, "chiso job: %s\n", buf_str(&err));
			rc = EXIT_BADINPUT;
		} else if (db_query_text(d, a, &title, "SELECT title FROM rounds WHERE id = ?", "i", round_id) != DB_OK) {
			fprintf(stderr, "chiso job: không có đợt đánh giá số %lld\n", (long long)round_id);
			rc = EXIT_BADINPUT;
		} else if (job_create(d, 0, DOC_BATCH_KIND, round_id, buf_str(&params), &id) != DB_OK) {
			fprintf(stderr, "chiso job: %s\n", db_errmsg(d));
			rc = EXIT_FAIL;
		} else {
			printf("%lld\n", (long long)id);
		}
		arena_free(a);
		buf_free(&params);
		buf_free(&err);
	} else {
		buf dir;
		buf_init(&dir);
		backup_blob_dir(target, blobs, &dir);
		fw_catalog cat;
		fw_catalog_load_default(&cat, NULL);
		fw_catalog_sync_db(&cat, d, 0, &cat.errors);   /* published versions too */
		blob_store *bs = NULL;
		char msg[BLOB_MSG_MAX];
		if (blob_store_open(buf_str(&dir), (int64_t)8 << 30, &bs, msg) != BLOB_OK) {
			fprintf(stderr, "chiso job: %s\n", msg);
			rc = EXIT_FAIL;
		} else {
			blob_store_use_db(bs, target);
			char owner[96];
			job_owner_token(owner);
			job_env e = { .d = d, .cat = &cat, .bs = bs, .owner = owner, .lease_seconds = job_lease_seconds(),
			                .db_target = target };
			int n = 0;
			for (;;) {
				bool ran = false;
				if (job_run_next(&e, &ran) != DB_OK) {
					fprintf(stderr, "chiso job: %s\n", db_errmsg(d));
					rc = EXIT_FAIL;
					break;
				}
				if (!ran) break;
				n++;
				if (once) break;
			}
			printf("Đã chạy %d công việc.\n", n);
			blob_store_close(bs);
		}
		fw_catalog_free(&cat);
		buf_free(&dir);
	}
	db_close(d);
	return rc;
}
