/* cmd_demo.c — `chiso demo`: loads the demo data set (demo.h) into a new
 * or empty database and prints what it made and the accounts to try. */
#include "backup.h"
#include "blob.h"
#include "cmd.h"
#include "demo.h"
#include "q_account.h"
#include "q_unit.h"
#include "round_agg.h"
#include "util.h"
#include "vn.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *date_vn(buf *b, const char *iso)
{
	buf_reset(b);
	int y, m, d;
	if (iso && vn_parse_date(iso, &y, &m, &d)) vn_format_date_short(b, y, m, d);
	return buf_str(b);
}

/* Prints s padded to `width` columns (code points, not bytes). */
static void put_padded(const char *s, int width)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80) cols++;
	fputs(s, stdout);
	for (; cols < width; cols++) putchar(' ');
}

/* Removes a directory tree of regular files (a blob directory: two levels). */
static void remove_tree(const char *path)
{
	DIR *dir = opendir(path);
	if (!dir) {
		unlink(path);
		return;
	}
	struct dirent *e;
	buf child;
	buf_init(&child);
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
		buf_reset(&child);
		buf_printf(&child, "%s/%s", path, e->d_name);
		struct stat st;
		if (lstat(buf_str(&child), &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(buf_str(&child));
		else unlink(buf_str(&child));
	}
	closedir(dir);
	buf_free(&child);
	rmdir(path);
}

static const char *const sqlite_suffixes[] = { "", "-wal", "-shm", "-journal" };

/* Removes a SQLite database and its side files. */
static void remove_sqlite(const char *path)
{
	for (size_t k = 0; k < ARRAY_LEN(sqlite_suffixes); k++) {
		buf f;
		buf_init(&f);
		buf_printf(&f, "%s%s", path, sqlite_suffixes[k]);
		unlink(buf_str(&f));
		buf_free(&f);
	}
}

/* Puts the finished database `work` (closed) in place of `target`: its WAL
 * first if one is left (SQLite removes it on a clean close), then the
 * file, then the directory is synced. */
static bool install(const char *work, const char *target)
{
	buf from, to;
	buf_init(&from);
	buf_init(&to);
	remove_sqlite(target);
	buf_printf(&from, "%s-wal", work);
	buf_printf(&to, "%s-wal", target);
	bool ok = access(buf_str(&from), F_OK) != 0 || rename(buf_str(&from), buf_str(&to)) == 0;
	buf_reset(&from);
	buf_printf(&from, "%s-shm", work);
	unlink(buf_str(&from));
	if (ok && rename(work, target) != 0) ok = false;
	if (!ok) fprintf(stderr, "chiso demo: không đổi tên %s thành %s: %s\n", work, target, strerror(errno));
	char *slash = strrchr(target, '/');
	buf_reset(&to);
	if (slash) buf_append(&to, target, (size_t)(slash - target + (slash == target)));
	else buf_puts(&to, ".");
	int fd = open(buf_str(&to), O_RDONLY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	buf_free(&from);
	buf_free(&to);
	return ok;
}

static bool db_has_data(db *d)
{
	arena *a = arena_new();
	unit *u;
	size_t n = 0;
	account acc;
	bool yes = (unit_search(d, "", NULL, 1, a, &u, &n) == DB_OK && n > 0) ||
	           account_find_login(d, "admin", a, &acc) == DB_OK;
	db_clear_error(d);
	arena_free(a);
	return yes;
}

int cmd_demo(int argc, char **argv)
{
	static const char usage[] = "chiso demo [--db PATH|postgresql://…] [--blobs THƯ_MỤC] [--secret-file PATH] [--force] "
	                            "[--today YYYY-MM-DD]";
	const char *target = cmd_default_db(), *blobs = NULL, *secret_file = NULL;
	char today[11] = "";
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) target = argv[++i];
		else if (!strcmp(argv[i], "--blobs") && i + 1 < argc) blobs = argv[++i];
		else if (!strcmp(argv[i], "--secret-file") && i + 1 < argc) secret_file = argv[++i];
		else if (!strcmp(argv[i], "--force")) force = true;
		else if (!strcmp(argv[i], "--today") && i + 1 < argc) {
			int y, m, dd;
			if (!vn_parse_date(argv[++i], &y, &m, &dd)) {
				fprintf(stderr, "Cách dùng (usage): %s\n", usage);
				return EXIT_BADINPUT;
			}
			char iso[32];
			snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, dd);
			snprintf(today, sizeof today, "%.10s", iso);
		} else {
			fprintf(stderr, "Cách dùng (usage): %s\n", usage);
			return EXIT_BADINPUT;
		}
	}
	bool pg = !strncmp(target, "postgres", 8) || !strncmp(target, "pg:", 3);
	buf dir, work;
	buf_init(&dir);
	buf_init(&work);
	backup_blob_dir(target, blobs, &dir);
	/* SQLite: built as TARGET.new and renamed when complete, so that an
	 * interrupted demo never leaves a half-made database under the real
	 * name (make run loads the demo only when chiso.db does not exist). */
	buf_printf(&work, pg ? "%s" : "%s.new", target);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct stat st;
	if (pg || (stat(target, &st) == 0 && st.st_size > 0)) {
		db *x = cmd_open_db(target);
		if (!x) goto fail_early;
		bool has = db_has_data(x);
		db_close(x);
		if (has && (!force || pg)) {
			fprintf(stderr, pg ? "chiso demo: cơ sở dữ liệu %s đã có dữ liệu; với PostgreSQL hãy tạo "
			                     "một cơ sở dữ liệu trống cho dữ liệu mẫu\n"
			                   : "chiso demo: cơ sở dữ liệu %s đã có dữ liệu; dùng --force để xóa và "
			                     "tạo lại dữ liệu mẫu\n", target);
			goto fail_early;
		}
		/* --force: the blob directory goes too when it is the database's
		 * own (not one named with --blobs, which may be shared). */
		if (has && !blobs) remove_tree(buf_str(&dir));
	}
	/* the server's own key beside the data, as `chiso init` makes it */
	unsigned char key[SECRET_BYTES];
	bool have_secret = cmd_server_secret(secret_file, target, key);
	sodium_memzero(key, sizeof key);
	if (!have_secret) goto fail_early;
	if (!pg) remove_sqlite(buf_str(&work));
	db *d = cmd_open_db(buf_str(&work));
	if (!d) goto fail_early;
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	if (blob_store_open(buf_str(&dir), 0, &bs, msg) == BLOB_OK) blob_store_use_db(bs, buf_str(&work));
	else {
		fprintf(stderr, "chiso demo: %s\n", msg);
		db_close(d);
		if (!pg) remove_sqlite(buf_str(&work));
		goto fail_early;
	}
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	demo_opts o = { .db_target = buf_str(&work), .blobs = bs, .frameworks = &cat,
	                .today = today[0] ? today : NULL };
	demo_summary s;
	buf err;
	buf_init(&err);
	printf("Đang tạo dữ liệu mẫu trong %s…\n", target);
	fflush(stdout);
	/* the round summary's aggregates kept as the demo writes (round_agg.h) */
	round_agg_enable(&cat);
	int rc = demo_create(d, &o, &s, &err);
	round_agg_enable(NULL);
	const char *kind = db_kind_name(d);
	if (rc != DB_OK)
		fprintf(stderr, "chiso demo: không tạo được dữ liệu mẫu: %s\n", err.len ? buf_str(&err) : db_errmsg(d));
	blob_store_close(bs);
	db_close(d);
	if (!pg && rc == DB_OK && !install(buf_str(&work), target)) rc = DB_ERROR;
	if (!pg && rc != DB_OK) remove_sqlite(buf_str(&work));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == DB_OK) {
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		buf b1, b2, b3;
		buf_init(&b1);
		buf_init(&b2);
		buf_init(&b3);
		printf("Đã tạo dữ liệu mẫu trong %.1f giây (%s, tệp minh chứng trong %s):\n", secs,
			kind, buf_str(&dir));
		printf("  Tỉnh Gia Lai (hợp nhất với tỉnh Bình Định từ 01/07/2025): Sở GD&ĐT tỉnh Gia Lai; "
			"Sở GD&ĐT tỉnh Bình Định và %d Phòng GD&ĐT (giải thể từ 01/07/2025), "
			"%d UBND xã/phường quản lý trường từ 01/07/2025\n", s.offices - 2, s.ubnd);
		printf("  %d trường:", s.schools);
		static const unit_type order[] = { UT_MAM_NON, UT_TIEU_HOC, UT_THCS, UT_THPT, UT_LIEN_CAP, UT_GDTX };
		for (size_t k = 0; k < ARRAY_LEN(order); k++)
			printf("%s %d %s", k ? "," : "", s.by_type[order[k]], unit_type_name(order[k]));
		printf("\n  Năm học 2024-2025: mỗi Phòng và Sở một đợt, đã công nhận (Mức 1: %d, Mức 2: %d, "
			"Mức 3: %d), phần lớn đã công bố; đợt đã kết thúc\n",
			s.recognised_2024[1], s.recognised_2024[2], s.recognised_2024[3]);
		printf("  Năm học %s: đợt của Sở, hạn tự đánh giá %s (đã qua), báo cáo %s, đánh giá ngoài %s\n",
			s.current_year, date_vn(&b1, s.self_due), date_vn(&b2, s.report_due),
			date_vn(&b3, s.external_due));
		printf("    phiếu theo trạng thái:");
		bool first = true;
		for (int k = 0; k < WF_STATE_COUNT; k++) {
			if (!s.by_state[k]) continue;
			printf("%s %s %d", first ? "" : ",", wf_state_label((wf_state)k), s.by_state[k]);
			first = false;
		}
		printf("\n    mức tự đánh giá: Mức 1: %d, Mức 2: %d, Mức 3: %d\n", s.self_levels[1],
			s.self_levels[2], s.self_levels[3]);
		printf("  %d đợt đánh giá, %d phiếu, %d câu trả lời, %d hội đồng, %d nhiệm vụ, "
			"%d minh chứng (%d tệp)\n", s.rounds, s.assessments, s.answers, s.councils, s.tasks,
			s.evidence, s.files);
		printf("\nTài khoản mẫu (%d tài khoản; mật khẩu của tất cả: %s):\n", s.accounts, DEMO_PASSWORD);
		for (size_t k = 0; k < s.nshown; k++) {
			fputs("  ", stdout);
			put_padded(s.shown[k].login, 19);
			printf("%s\n", s.shown[k].what);
		}
		buf_free(&b1);
		buf_free(&b2);
		buf_free(&b3);
		demo_summary_free(&s);
	}
	buf_free(&err);
	fw_catalog_free(&cat);
	buf_free(&dir);
	buf_free(&work);
	return rc == DB_OK ? EXIT_OK : EXIT_FAIL;
fail_early:
	buf_free(&dir);
	buf_free(&work);
	return EXIT_FAIL;
}
