/* cmd_unit.c — `chiso unit …`: administering units from the command line.
 *   chiso unit import FILE [--db PATH|postgresql://…] [--from DATE] [--dry-run]
 * reads a unit list (CSV or XLSX, import.h), imports it (import_unit.h)
 * and prints the Vietnamese report. Exit 0 when imported, 2 when the file
 * or the arguments are bad (nothing written), 1 when the database fails. */
#include "cmd.h"
#include "db.h"
#include "import.h"
#include "import_unit.h"
#include "util.h"
#include "vn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char unit_usage[] =
	"Cách dùng (usage): chiso unit import TỆP.xlsx|TỆP.csv [--db PATH|postgresql://…] "
	"[--from YYYY-MM-DD] [--dry-run]\n"
	"  --from     quan hệ quản lý/đánh giá có hiệu lực từ ngày này (mặc định: hôm nay)\n"
	"  --dry-run  kiểm tra và đếm, không ghi gì\n";

static bool show_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	fprintf(stderr, "\rĐang ghi… %zu/%zu", done, total);
	if (done == total) fputs("\n", stderr);
	return true;
}

static int unit_import_cmd(int argc, char **argv)
{
	const char *file = NULL, *target = cmd_default_db(), *from_arg = NULL;
	bool dry_run = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--db") && i + 1 < argc) target = argv[++i];
		else if (!strcmp(a, "--from") && i + 1 < argc) from_arg = argv[++i];
		else if (!strcmp(a, "--dry-run")) dry_run = true;
		else if (a[0] != '-' && !file) file = a;
		else {
			fprintf(stderr, "chiso unit import: tham số không hợp lệ '%s'\n%s", a, unit_usage);
			return EXIT_BADINPUT;
		}
	}
	if (!file) {
		fputs(unit_usage, stderr);
		return EXIT_BADINPUT;
	}
	char from[11];
	int y, m, d;
	if (from_arg) {
		/* 2025-09-01 or 01/09/2025, stored as ISO. */
		if (!vn_parse_date(from_arg, &y, &m, &d)) {
			fprintf(stderr, "chiso unit import: ngày '%s' không hợp lệ (YYYY-MM-DD hoặc "
				"dd/mm/yyyy)\n", from_arg);
			return EXIT_BADINPUT;
		}
	} else {
		/* Today where the office is (Asia/Ho_Chi_Minh), not in UTC. */
		int t = vn_today_ymd();
		y = t / 10000;
		m = t / 100 % 100;
		d = t % 100;
	}
	snprintf(from, sizeof from, "%04d-%02d-%02d", y, m, d);

	import_table t;
	char *err = NULL;
	if (import_read_file(file, &import_default_limits, &t, &err)) {
		fprintf(stderr, "chiso unit import: %s: %s\n", file, err);
		free(err);
		return EXIT_BADINPUT;
	}
	db *dbh = cmd_open_db(target);
	if (!dbh) {
		import_table_free(&t);
		return EXIT_FAIL;
	}
	import_unit_opts o = { from, dry_run, 0, NULL, NULL, NULL };
	if (isatty(STDERR_FILENO) && t.nrows > 2000) o.progress = show_progress;
	import_unit_result r;
	int rc = import_unit_run(dbh, &t, &o, &r);
	buf out;
	buf_init(&out);
	import_unit_report(&t, &r, &o, file, &out);
	int status = EXIT_OK;
	if (rc == DB_OK) {
		fputs(buf_str(&out), stdout);
	} else if (r.nerrors) {
		fputs(buf_str(&out), stdout);
		status = EXIT_BADINPUT;
	} else {
		fputs(buf_str(&out), stdout);
		fprintf(stderr, "chiso unit import: lỗi cơ sở dữ liệu, không ghi gì: %s\n", db_errmsg(dbh));
		status = EXIT_FAIL;
	}
	buf_free(&out);
	import_unit_result_free(&r);
	import_table_free(&t);
	db_close(dbh);
	return status;
}

int cmd_unit(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import")) return unit_import_cmd(argc, argv);
	fprintf(stderr, "chiso unit: cần lệnh con (subcommand) 'import'\n%s", unit_usage);
	return EXIT_BADINPUT;
}
