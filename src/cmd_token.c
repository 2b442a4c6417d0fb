/* cmd_token.c — `chiso token`: API tokens for other systems, created by
 * an administrator on the server (the web page creates them for the
 * signed-in account: POST /api/v1/token). The secret is printed once. */
#include "cmd.h"
#include "db.h"
#include "q_account.h"
#include "q_api_token.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Cách dùng (usage):\n"
	"  chiso token create LOGIN --label \"Tên gợi nhớ\" [--expires YYYY-MM-DD] [--db PATH|postgresql://…]\n"
	"  chiso token list LOGIN [--db …]\n"
	"  chiso token revoke LOGIN ID [--db …]\n";

int cmd_token(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) { fputs(usage_text, stdout); return EXIT_OK; }
	const char *target = cmd_default_db(), *label = NULL, *expires = NULL, *sub = NULL, *login = NULL, *idarg = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0 && i + 1 < argc) target = argv[++i];
		else if (strcmp(a, "--label") == 0 && i + 1 < argc) label = argv[++i];
		else if (strcmp(a, "--expires") == 0 && i + 1 < argc) expires = argv[++i];
		else if (a[0] != '-' && !sub) sub = a;
		else if (a[0] != '-' && !login) login = a;
		else if (a[0] != '-' && !idarg) idarg = a;
		else { fputs(usage_text, stderr); return EXIT_BADINPUT; }
	}
	bool create = sub && strcmp(sub, "create") == 0, list = sub && strcmp(sub, "list") == 0,
	     revoke = sub && strcmp(sub, "revoke") == 0;
	if (!login || (!create && !list && !revoke) || (create && !label) || (revoke && !idarg)) {
		fputs(usage_text, stderr);
		return EXIT_BADINPUT;
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	arena *a = arena_new();
	int rc = EXIT_OK;
	account acc;
	if (account_find_login(d, login, a, &acc) != DB_OK) {
		fprintf(stderr, "chiso token: không có tài khoản '%s'\n", login);
		rc = EXIT_BADINPUT;
	} else if (create) {
		char *token = NULL;
		int64_t id = 0;
		if (api_token_create(d, 0, acc.id, label, expires, a, &token, &id) != DB_OK) {
			fprintf(stderr, "chiso token: %s\n", db_errmsg(d));
			rc = db_errcode(d) == DB_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
		} else {
			/* the secret alone on stdout, so a script can capture it */
			printf("%s\n", token);
			fprintf(stderr, "Đã tạo token số %lld cho %s (%s). Hãy lưu ngay: token chỉ hiển thị một lần.\n"
			                "Dùng: Authorization: Bearer <token>\n", (long long)id, acc.login, label);
		}
	} else if (list) {
		api_token *t = NULL;
		size_t n = 0;
		if (api_token_list(d, acc.id, a, &t, &n) != DB_OK) { fprintf(stderr, "chiso token: %s\n", db_errmsg(d)); rc = EXIT_FAIL; }
		for (size_t i = 0; i < n; i++)
			printf("%-5lld %-30s tạo %s  dùng gần nhất %s  %s\n", (long long)t[i].id, t[i].label, t[i].created_at,
			       t[i].last_used_at ? t[i].last_used_at : "chưa dùng",
			       t[i].revoked_at ? "ĐÃ THU HỒI" : t[i].expires_at ? "có hạn" : "");
	} else {
		char *end;
		long long id = strtoll(idarg, &end, 10);
		if (*end || id <= 0) { fprintf(stderr, "chiso token: số token không hợp lệ '%s'\n", idarg); rc = EXIT_BADINPUT; }
		else if (api_token_revoke(d, 0, acc.id, id) != DB_OK) {
			fprintf(stderr, "chiso token: %s\n", db_errmsg(d));
			rc = db_errcode(d) == DB_ENOTFOUND ? EXIT_BADINPUT : EXIT_FAIL;
		} else {
			printf("Đã thu hồi token số %lld của %s.\n", id, acc.login);
		}
	}
	arena_free(a);
	db_close(d);
	return rc;
}
