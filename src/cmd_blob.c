/* cmd_blob.c — `chiso blob migrate`: the evidence files of a PostgreSQL
 * store moved from a blob directory into the database (--to db), or from
 * the database into a directory (--to dir: to leave PostgreSQL, or to fill
 * a server's cache at once). Each file checked against its SHA-256 name. */
#include "backup.h"
#include "blob_db.h"
#include "cmd.h"
#include "db.h"
#include "util.h"
#include <stdio.h>
#include <string.h>

static const char blob_usage[] =
	"chiso blob migrate --to db|dir --db postgresql://… [--blobs DIR]";

int cmd_blob(int argc, char **argv)
{
	const char *target = cmd_default_db(), *blobs = NULL, *to = NULL;
	bool ok = argc >= 2 && !strcmp(argv[1], "migrate");
	for (int i = 2; ok && i < argc; i++) {
		bool has = i + 1 < argc;
		if (!strcmp(argv[i], "--db") && has) target = argv[++i];
		else if (!strcmp(argv[i], "--blobs") && has) blobs = argv[++i];
		else if (!strcmp(argv[i], "--to") && has) to = argv[++i];
		else ok = false;
	}
	if (!ok || !to || (strcmp(to, "db") != 0 && strcmp(to, "dir") != 0)) {
		fprintf(stderr, "Cách dùng (usage): %s\n", blob_usage);
		return EXIT_BADINPUT;
	}
	if (!blob_db_wanted(target)) {
		fprintf(stderr, "chiso blob migrate: chỉ cơ sở dữ liệu PostgreSQL giữ tệp minh chứng; "
			"SQLite dùng thư mục (only a PostgreSQL database keeps files; SQLite uses the directory)\n");
		return EXIT_BADINPUT;
	}
	db *d = cmd_open_db(target);   /* migrated: the tables exist */
	if (!d) return EXIT_FAIL;
	db_close(d);
	buf dir;
	buf_init(&dir);
	backup_blob_dir(target, blobs, &dir);
	blob_migrate_report r;
	char msg[BLOB_MSG_MAX];
	int rc = blob_db_migrate(target, buf_str(&dir), !strcmp(to, "db"), &r, msg);
	printf("%s: %lld tệp (files), %lld byte, %lld đã có (already there), %lld hỏng (bad)\n",
		!strcmp(to, "db") ? "Thư mục → cơ sở dữ liệu (directory → database)"
		                  : "Cơ sở dữ liệu → thư mục (database → directory)",
		(long long)r.files, (long long)r.bytes, (long long)r.skipped, (long long)r.bad);
	if (rc != BLOB_OK) fprintf(stderr, "chiso blob migrate: %s\n", msg);
	buf_free(&dir);
	return rc == BLOB_OK ? EXIT_OK : rc == BLOB_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
}
