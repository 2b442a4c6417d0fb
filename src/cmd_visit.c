/* cmd_visit.c — chiso visit list|add|remove: the external team's visit
 * schedule of a round (lịch kiểm tra) from the command line, through the
 * same store functions as the page (q_visit.h, page_visit.c): a unit of
 * the round, a day, members of the round's team by login. Conflicts (a
 * member in two places the same day, a unit visited twice) are recorded,
 * never refused, and flagged by `list` and after `add`, as the page does.
 * The CLI acts as the system (actor 0); the store audits every change. */
#include "cmd.h"
#include "q_account.h"
#include "q_round.h"
#include "q_unit.h"
#include "q_visit.h"
#include "util.h"
#include "vn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char visit_usage[] =
	"chiso visit list --round N [--db …] | visit add --round N --unit CODE --date YYYY-MM-DD --member LOGIN… [--note \"…\"] [--db …]"
	" | visit remove --round N --visit ID [--db …]";

typedef struct visit_args {
	const char *target, *unit_code, *note;
	int64_t round_id, visit_id;
	char date[11];
	const char **logins;
	size_t nlogins;
} visit_args;

static int visit_usage_error(void)
{
	fprintf(stderr, "Cách dùng (usage): %s\n", visit_usage);
	return EXIT_BADINPUT;
}

/* Accepts "2025-05-31" or "31/05/2025"; writes the ISO form. */
static bool visit_date_arg(const char *s, char out[11])
{
	int y, m, d;
	if (!vn_parse_date(s, &y, &m, &d)) return false;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return true;
}

static bool parse_args(int argc, char **argv, arena *a, visit_args *va)
{
	memset(va, 0, sizeof *va);
	va->target = cmd_default_db();
	va->logins = arena_alloc(a, (size_t)(argc + 1) * sizeof *va->logins);
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		if (i + 1 >= argc) return false;
		const char *v = argv[++i];
		if (!strcmp(o, "--db")) va->target = v;
		else if (!strcmp(o, "--round")) { if (!cmd_parse_id(v, &va->round_id)) return false; }
		else if (!strcmp(o, "--visit")) { if (!cmd_parse_id(v, &va->visit_id)) return false; }
		else if (!strcmp(o, "--unit")) va->unit_code = v;
		else if (!strcmp(o, "--note")) va->note = v;
		else if (!strcmp(o, "--member")) va->logins[va->nlogins++] = v;
		else if (!strcmp(o, "--date")) {
			if (!visit_date_arg(v, va->date)) {
				fprintf(stderr, "chiso visit: ngày không hợp lệ '%s' (ví dụ 2025-06-12 hoặc 12/06/2025)\n", v);
				return false;
			}
		} else return false;
	}
	return va->round_id > 0;
}

/* "12/06/2025" of an ISO date. */
static const char *short_date(arena *a, const char *iso)
{
	int y, m, d;
	if (!iso || !vn_parse_date(iso, &y, &m, &d)) return "";
	return arena_printf(a, "%02d/%02d/%04d", d, m, y);
}

/* One line per visit, then one line per conflict (as the page's remarks). */
static void print_schedule(arena *a, const round_visit *v, size_t n)
{
	size_t ncf = 0;
	visit_conflict *cf = visit_conflicts(a, v, n, &ncf);
	if (!n) {
		printf("Chưa có lịch kiểm tra nào.\n");
		return;
	}
	printf("%zu lượt kiểm tra; %zu trường hợp trùng lịch.\n", n, ncf);
	for (size_t i = 0; i < n; i++) {
		printf("%s%-6lld %s  %s (%s)  ", visit_in_conflict(cf, ncf, i) ? "! " : "  ", (long long)v[i].id,
		       short_date(a, v[i].date), v[i].unit_name, v[i].unit_code);
		for (size_t k = 0; k < v[i].nmembers; k++) printf("%s%s", k ? ", " : "", v[i].members[k].full_name);
		if (v[i].note) printf("  — %s", v[i].note);
		printf("\n");
	}
	for (size_t k = 0; k < ncf; k++) {
		const round_visit *x = &v[cf[k].first], *y = &v[cf[k].second];
		if (cf[k].kind == VISIT_MEMBER_TWICE)
			printf("Trùng lịch: %s ngày %s ở cả %s và %s (lịch %lld, %lld)\n", cf[k].member->full_name, short_date(a, x->date),
			       x->unit_name, y->unit_name, (long long)x->id, (long long)y->id);
		else
			printf("Đơn vị có hai lịch: %s (ngày %s và %s; lịch %lld, %lld)\n", x->unit_name, short_date(a, x->date),
			       short_date(a, y->date), (long long)x->id, (long long)y->id);
	}
}

static int list_cmd(db *d, arena *a, const visit_args *va)
{
	round_visit *v = NULL;
	size_t n = 0;
	if (visit_list(d, va->round_id, a, &v, &n) != DB_OK) {
		fprintf(stderr, "chiso visit: %s\n", db_errmsg(d));
		return EXIT_FAIL;
	}
	print_schedule(a, v, n);
	return EXIT_OK;
}

static int add_cmd(db *d, arena *a, const visit_args *va)
{
	if (!va->unit_code || !va->date[0] || !va->nlogins) return visit_usage_error();
	unit u;
	if (unit_find_code(d, va->unit_code, a, &u) != DB_OK) {
		fprintf(stderr, "chiso visit: không có đơn vị mã '%s'\n", va->unit_code);
		return EXIT_BADINPUT;
	}
	int64_t *members = arena_alloc(a, (va->nlogins + 1) * sizeof *members);
	for (size_t i = 0; i < va->nlogins; i++) {
		account acc;
		if (account_find_login(d, va->logins[i], a, &acc) != DB_OK) {
			fprintf(stderr, "chiso visit: không có tài khoản '%s'\n", va->logins[i]);
			return EXIT_BADINPUT;
		}
		members[i] = acc.id;
	}
	int64_t id = 0;
	int rc = visit_add(d, 0, va->round_id, u.id, va->date, members, va->nlogins, va->note, &id);
	if (rc != DB_OK) {
		fprintf(stderr, "chiso visit: %s\n", db_errmsg(d));
		return rc == DB_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
	}
	printf("Đã thêm lịch %lld: %s (%s) ngày %s.\n", (long long)id, u.name, u.code, short_date(a, va->date));
	return list_cmd(d, a, va);
}

static int remove_cmd(db *d, const visit_args *va)
{
	if (!va->visit_id) return visit_usage_error();
	int rc = visit_remove(d, 0, va->round_id, va->visit_id);
	if (rc != DB_OK) {
		fprintf(stderr, "chiso visit: %s\n", db_errmsg(d));
		return rc == DB_ENOTFOUND ? EXIT_BADINPUT : EXIT_FAIL;
	}
	printf("Đã xóa lịch %lld của đợt %lld.\n", (long long)va->visit_id, (long long)va->round_id);
	return EXIT_OK;
}

int cmd_visit(int argc, char **argv)
{
	if (argc < 2) return visit_usage_error();
	const char *sub = argv[1];
	bool list = !strcmp(sub, "list"), add = !strcmp(sub, "add"), rm = !strcmp(sub, "remove");
	if (!list && !add && !rm) return visit_usage_error();
	arena *a = arena_new();
	visit_args va;
	int rc = EXIT_BADINPUT;
	db *d = NULL;
	if (!parse_args(argc, argv, a, &va)) {
		visit_usage_error();
		goto out;
	}
	rc = EXIT_FAIL;
	if (!(d = cmd_open_db(va.target))) goto out;
	round_row r;
	if (round_get(d, va.round_id, a, &r) != DB_OK) {
		fprintf(stderr, "chiso visit: không có đợt đánh giá số %lld\n", (long long)va.round_id);
		rc = EXIT_BADINPUT;
		goto out;
	}
	/* as the page: a closed round's schedule is read, never changed */
	if (!list && r.state && !strcmp(r.state, "closed")) {
		fprintf(stderr, "chiso visit: Đợt đánh giá đã kết thúc: không sửa lịch kiểm tra.\n");
		rc = EXIT_BADINPUT;
		goto out;
	}
	rc = list ? list_cmd(d, a, &va) : add ? add_cmd(d, a, &va) : remove_cmd(d, &va);
out:
	if (d) db_close(d);
	arena_free(a);
	return rc;
}
