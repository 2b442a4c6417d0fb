/* cmd_setup.c — `chiso admin init`: the first system administrator of a new
 * installation (the Debian package's postinst runs it after `chiso init`),
 * with a password drawn here and printed once. Does nothing when the login
 * already exists, so running it again (a package upgrade) changes nothing. */
#include "cmd.h"
#include "db.h"
#include "q_account.h"
#include "util.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char admin_usage[] =
	"chiso admin init [--login admin] [--name \"Quản trị hệ thống\"] [--db PATH|postgresql://…]";

/* 16 characters from an alphabet without look-alikes, into out[17]. */
static void draw_password(char out[17])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 16; i++) out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[16] = '\0';
}

/* Creates login with the system_admin role in one transaction. DB_OK,
 * or DB_ECONFLICT when the login already exists (nothing changed). */
static int create_admin(db *d, const char *login, const char *name, const char *password)
{
	arena *a = arena_new();
	account acc;
	int rc = account_find_login(d, login, a, &acc);
	arena_free(a);
	if (rc == DB_OK) return DB_ECONFLICT;
	db_clear_error(d);
	int64_t id = 0;
	rc = db_begin_write(d);
	if (rc == DB_OK) rc = account_create(d, 0, login, name, password, &id);
	if (rc == DB_OK) rc = account_grant(d, 0, id, "system_admin", 0, 0, NULL);
	if (rc == DB_OK) rc = db_commit(d);
	if (rc != DB_OK && db_tx_depth(d)) db_rollback(d);
	return rc;
}

static int admin_init(int argc, char **argv)
{
	const char *target = cmd_default_db(), *login = "admin", *name = "Quản trị hệ thống";
	for (int i = 2; i < argc; i++) {
		bool has = i + 1 < argc;
		if (!strcmp(argv[i], "--db") && has) target = argv[++i];
		else if (!strcmp(argv[i], "--login") && has) login = argv[++i];
		else if (!strcmp(argv[i], "--name") && has) name = argv[++i];
		else {
			fprintf(stderr, "Cách dùng (usage): %s\n", admin_usage);
			return EXIT_BADINPUT;
		}
	}
	if (sodium_init() < 0) return EXIT_FAIL;
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	char pw[17];
	draw_password(pw);
	int rc = create_admin(d, login, name, pw);
	if (rc == DB_OK)
		printf("Đã tạo quản trị viên (administrator created): %s\n"
		       "Mật khẩu dùng một lần (one-time password): %s\n"
		       "Hãy đăng nhập và đổi mật khẩu ngay (sign in and change it now).\n", login, pw);
	else if (rc == DB_ECONFLICT)
		printf("Đã có tài khoản %s, không tạo lại (already exists, nothing changed).\n", login);
	else
		fprintf(stderr, "chiso admin init: %s\n", db_errmsg(d));
	sodium_memzero(pw, sizeof pw);
	db_close(d);
	return rc == DB_OK || rc == DB_ECONFLICT ? EXIT_OK : rc == DB_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
}

int cmd_setup_admin(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "init")) return admin_init(argc, argv);
	fprintf(stderr, "Cách dùng (usage): %s\n", admin_usage);
	return EXIT_BADINPUT;
}
