/* cmd_admin.c — the administrative commands: user add|grant, round open,
 * audit verify, levels verify, backup, restore. Each is a thin layer over
 * the store (q_*.h), the audit log, the scoring of stored answers (assess.h) and
 * backup.h; the CLI acts as the system (actor 0) and every change it makes
 * is audited by the store. */
#include "audit.h"
#include "authz.h"
#include "backup.h"
#include "cmd.h"
#include "framework.h"
#include "assess.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_framework.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "workflow.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* "2025-05-31" → "31/05/2025" into b (empty for NULL). */
static const char *date_vn(buf *b, const char *iso)
{
	buf_reset(b);
	int y, m, d;
	if (iso && vn_parse_date(iso, &y, &m, &d)) vn_format_date_short(b, y, m, d);
	return buf_str(b);
}

static void today_iso(char out[static 11])
{
	vn_today_iso(out);
}

/* Accepts "2025-05-31" or "31/05/2025"; writes the ISO form. */
static bool parse_date_arg(const char *s, char out[11])
{
	int y, m, d;
	if (!vn_parse_date(s, &y, &m, &d)) return false;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return true;
}

static int usage_error(const char *usage)
{
	fprintf(stderr, "Cách dùng (usage): %s\n", usage);
	return EXIT_BADINPUT;
}

/* ---- chiso user ------------------------------------------------------------ */

static const char user_usage[] =
	"chiso user add LOGIN --name \"Họ và tên\" [--password P] [--role VAI_TRÒ --unit MÃ_ĐƠN_VỊ [--round SỐ]] [--db …]\n"
	"       chiso user grant LOGIN --role VAI_TRÒ [--unit MÃ_ĐƠN_VỊ] [--round SỐ] [--db …]\n"
	"  vai trò (roles): system_admin, office_admin, officer, principal, council_member, external_evaluator\n"
	"  không có --password: đọc mật khẩu từ bàn phím (hai lần) hoặc dòng đầu của stdin";

/* Reads a password: from the terminal without echo (asked twice), else
 * the first line of stdin. malloc'd, NULL on failure (message printed). */
static char *read_password(void)
{
	char line[1100];
	if (isatty(STDIN_FILENO)) {
		struct termios old, quiet;
		bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
		char again[1100];
		if (tty) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		}
		fputs("Mật khẩu: ", stderr);
		bool ok = fgets(line, sizeof line, stdin) != NULL;
		fputs("\nNhập lại mật khẩu: ", stderr);
		ok = ok && fgets(again, sizeof again, stdin) != NULL;
		fputs("\n", stderr);
		if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		if (!ok) return NULL;
		line[strcspn(line, "\r\n")] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
		if (strcmp(line, again) != 0) {
			fprintf(stderr, "chiso user: hai lần nhập mật khẩu không khớp\n");
			return NULL;
		}
	} else {
		if (!fgets(line, sizeof line, stdin)) {
			fprintf(stderr, "chiso user: chưa có mật khẩu (dùng --password hoặc đưa vào stdin)\n");
			return NULL;
		}
		line[strcspn(line, "\r\n")] = '\0';
	}
	return xstrdup(line);
}

/* Looks up --unit and --round and grants the role; inside the caller's
 * transaction. Prints the reason and returns a DB_E* code on failure. */
static int grant_role(db *d, arena *a, int64_t account_id, const char *role, const char *unit_code,
                      int64_t round_id)
{
	authz_role r = authz_role_parse(role);
	if (r == AUTHZ_ROLE_INVALID) {
		fprintf(stderr, "chiso user: vai trò không hợp lệ '%s'\n", role);
		return DB_EINVAL;
	}
	int64_t unit_id = 0;
	if (unit_code) {
		unit u;
		if (unit_find_code(d, unit_code, a, &u) != DB_OK) {
			fprintf(stderr, "chiso user: không có đơn vị mã '%s'\n", unit_code);
			return DB_ENOTFOUND;
		}
		unit_id = u.id;
	}
	if (round_id) {
		round_row rr;
		if (round_get(d, round_id, a, &rr) != DB_OK) {
			fprintf(stderr, "chiso user: không có đợt đánh giá số %lld\n", (long long)round_id);
			return DB_ENOTFOUND;
		}
	}
	int rc = account_grant(d, 0, account_id, role, unit_id, round_id, NULL);
	if (rc != DB_OK) fprintf(stderr, "chiso user: %s\n", db_errmsg(d));
	return rc;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "grant") != 0))
		return usage_error(user_usage);
	bool add = !strcmp(argv[1], "add");
	const char *login = argv[2], *name = NULL, *password = NULL, *role = NULL, *unit_code = NULL;
	const char *target = cmd_default_db();
	int64_t round_id = 0;
	for (int i = 3; i < argc; i++) {
		const char *o = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(o, "--name") && has) name = argv[++i];
		else if (!strcmp(o, "--password") && has && add) password = argv[++i];
		else if (!strcmp(o, "--role") && has) role = argv[++i];
		else if (!strcmp(o, "--unit") && has) unit_code = argv[++i];
		else if (!strcmp(o, "--round") && has) {
			char *end;
			round_id = strtoll(argv[++i], &end, 10);
			if (*end || round_id <= 0) return usage_error(user_usage);
		} else if (!strcmp(o, "--db") && has) target = argv[++i];
		else return usage_error(user_usage);
	}
	if (login[0] == '-' || (add && !name) || (!add && !role) || (!role && (unit_code || round_id)))
		return usage_error(user_usage);
	char *pw = NULL;
	if (add) {
		pw = password ? xstrdup(password) : read_password();
		if (!pw) return EXIT_BADINPUT;
	}
	db *d = cmd_open_db(target);
	if (!d) {
		free(pw);
		return EXIT_FAIL;
	}
	arena *a = arena_new();
	int64_t id = 0;
	/* One transaction: an account whose role failed is not left behind. */
	int rc = db_begin_write(d);
	if (rc != DB_OK) fprintf(stderr, "chiso user: %s\n", db_errmsg(d));
	else if (add) {
		rc = account_create(d, 0, login, name, pw, &id);
		if (rc != DB_OK) fprintf(stderr, "chiso user: %s\n", db_errmsg(d));
	} else {
		account acc;
		rc = account_find_login(d, login, a, &acc);
		if (rc != DB_OK) fprintf(stderr, "chiso user: không có tài khoản '%s'\n", login);
		id = acc.id;
	}
	if (rc == DB_OK && role) rc = grant_role(d, a, id, role, unit_code, round_id);
	if (rc == DB_OK && (rc = db_commit(d)) != DB_OK)
		fprintf(stderr, "chiso user: %s\n", db_errmsg(d));
	if (rc != DB_OK && db_tx_depth(d)) db_rollback(d);
	if (rc == DB_OK) {
		account acc;
		account_get(d, id, a, &acc);
		if (add) printf("Đã tạo tài khoản %s (%s), số %lld", acc.login, acc.full_name, (long long)id);
		else printf("Tài khoản %s (%s)", acc.login, acc.full_name);
		if (role)
			printf("%s vai trò %s%s%s", add ? "," : ": đã giao",
				authz_role_label(authz_role_parse(role)), unit_code ? " tại đơn vị " : "",
				unit_code ? unit_code : "");
		if (round_id) printf(", đợt %lld", (long long)round_id);
		printf(".\n");
	}
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	arena_free(a);
	db_close(d);
	return rc == DB_OK ? EXIT_OK : rc == DB_EINVAL || rc == DB_ECONSTRAINT || rc == DB_ENOTFOUND
		? EXIT_BADINPUT : EXIT_FAIL;
}

/* ---- chiso round open ------------------------------------------------------ */

static const char round_usage[] =
	"chiso round open --office MÃ --year 2024-2025 --framework LOẠI=ID|ID … [--title T]\n"
	"       [--self-due 2025-05-31] [--report-due 2025-06-10] [--external-due 2025-06-20]\n"
	"       [--policy min|per_group_only] [--target level:MỨC:TỈ_LỆ[:LOẠI]] [--target indicator:MÃ:TỈ_LỆ[:NHÃN]]\n"
	"       [--date NGÀY] [--also-managed] [--db …]\n"
	"  --framework thcs=qd4725-2022 (một loại hình) hoặc --framework qd4725-2022 (mọi loại hình của bộ)\n"
	"  --date: ngày xác định các đơn vị do cơ quan đánh giá (mặc định: hạn tự đánh giá, hoặc hôm nay)\n"
	"  --also-managed: gồm cả các đơn vị do cơ quan quản lý trực tiếp (UBND xã, phường)";

typedef struct round_args {
	round_framework fw[16];
	size_t nfw;
	round_target targets[32];
	size_t ntargets;
} round_args;

static bool add_framework(const fw_catalog *cat, round_args *ra, const char *arg, arena *a)
{
	const char *eq = strchr(arg, '=');
	const char *id = eq ? eq + 1 : arg;
	const framework *fw = fw_catalog_find(cat, id);
	if (!fw) {
		fprintf(stderr, "chiso round: không có bộ chỉ số '%s' (xem: chiso frameworks)\n", id);
		return false;
	}
	/* An office's set still incomplete (3806 as shipped) may be used for
	 * offices: its derived items are computed, nothing else is scored. */
	bool derived = false;
	for (size_t i = 0; i < fw->nleaves; i++) derived |= fw->leaves[i]->rule->kind == RULE_DERIVED;
	bool for_offices = eq && (!strncmp(arg, "phong=", 6) || !strncmp(arg, "so=", 3));
	if (!fw->complete && !(derived && for_offices)) {
		fprintf(stderr, "chiso round: bộ chỉ số %s chưa hoàn chỉnh nên không chấm điểm được; "
			"hãy chọn bộ khác%s\n", fw->id, derived ? " (với phong=/so= chỉ tạm tính phần suy ra)" : "");
		return false;
	}
	unit_type types[UT_COUNT];
	size_t nt = 0;
	if (eq) {
		char *code = arena_strndup(a, arg, (size_t)(eq - arg));
		unit_type t;
		if (!unit_type_parse(code, &t) || !unit_type_valid(unit_type_code(t))) {
			fprintf(stderr, "chiso round: loại hình đơn vị không hợp lệ '%s'\n", code);
			return false;
		}
		if (!fw->unit_types[t]) {
			fprintf(stderr, "chiso round: bộ chỉ số %s không áp dụng cho %s\n", fw->id,
				unit_type_name(t));
			return false;
		}
		types[nt++] = t;
	} else {
		for (int t = 0; t < UT_COUNT; t++)
			if (fw->unit_types[t]) types[nt++] = (unit_type)t;
	}
	for (size_t i = 0; i < nt; i++) {
		const char *code = unit_type_code(types[i]);
		for (size_t k = 0; k < ra->nfw; k++)
			if (!strcmp(ra->fw[k].unit_type, code)) {
				fprintf(stderr, "chiso round: loại hình %s có hai bộ chỉ số\n", unit_type_name(types[i]));
				return false;
			}
		if (ra->nfw == ARRAY_LEN(ra->fw)) return false;
		ra->fw[ra->nfw++] = (round_framework){ code, fw->id, arena_printf(a, "%d", fw->revision) };
	}
	return true;
}

/* level:MỨC:TỈ_LỆ[:LOẠI] or indicator:MÃ:TỈ_LỆ[:NHÃN] */
static bool add_target(const fw_catalog *cat, round_args *ra, const char *arg, arena *a)
{
	char *s = arena_strdup(a, arg);
	char *parts[4] = { 0 };
	int n = 0;
	for (char *p = s; n < 4;) {
		parts[n++] = p;
		char *colon = n < 4 ? strchr(p, ':') : NULL;
		if (!colon) break;
		*colon = '\0';
		p = colon + 1;
	}
	if (ra->ntargets == ARRAY_LEN(ra->targets) || n < 3) goto bad;
	char *end;
	long share = strtol(parts[2], &end, 10);
	if (*end == '%') end++;
	if (*end || share < 0 || share > 100) goto bad;
	round_target *t = &ra->targets[ra->ntargets];
	memset(t, 0, sizeof *t);
	t->share_percent = (int)share;
	if (!strcmp(parts[0], "level")) {
		long level = strtol(parts[1], &end, 10);
		if (*end || level < 1 || level > 3) goto bad;
		t->kind = "level_share";
		t->level = (int)level;
		unit_type ut;
		if (n == 4) {
			if (!unit_type_parse(parts[3], &ut)) {
				fprintf(stderr, "chiso round: chỉ tiêu: loại hình không hợp lệ '%s'\n", parts[3]);
				return false;
			}
			t->unit_type = unit_type_code(ut);
		}
		t->label = arena_printf(a, "Tỉ lệ đơn vị%s%s đạt Mức %d%s", n == 4 ? " " : "",
			n == 4 ? unit_type_name(ut) : "", t->level, t->level < 3 ? " trở lên" : "");
	} else if (!strcmp(parts[0], "indicator")) {
		t->kind = "indicator";
		t->item_code = parts[1];
		const fw_node *node = NULL;
		for (size_t i = 0; i < ra->nfw && !node; i++) {
			const framework *fw = fw_catalog_find(cat, ra->fw[i].framework_id);
			if (fw) node = framework_find(fw, parts[1]);
		}
		if (!node) {
			fprintf(stderr, "chiso round: chỉ tiêu: không có chỉ số '%s' trong các bộ chỉ số của "
				"đợt (đặt --framework trước --target)\n", parts[1]);
			return false;
		}
		t->label = n == 4 ? parts[3] : node->title;
	} else {
		goto bad;
	}
	ra->ntargets++;
	return true;
bad:
	fprintf(stderr, "chiso round: chỉ tiêu không hợp lệ '%s' (ví dụ: level:3:80:thcs, "
		"indicator:1.7.1:60)\n", arg);
	return false;
}

static int round_open_cmd(int argc, char **argv)
{
	const char *target = cmd_default_db(), *office_code = NULL, *year = NULL, *title = NULL;
	const char *policy = "min";
	bool also_managed = false;   /* also the units the office manages directly (a commune) */
	char self_due[11] = "", report_due[11] = "", external_due[11] = "", date[11] = "";
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	/* with the versions published on the administration pages */
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--db")) target = argv[i + 1];
	db *fd = cmd_open_db(target);
	if (fd) {
		fw_catalog_sync_db(&cat, fd, 0, &cat.errors);
		db_close(fd);
	}
	arena *a = arena_new();
	round_args ra = { 0 };
	int rc = EXIT_BADINPUT;
	db *d = NULL;
	/* Frameworks first, so that targets can name their items. */
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--framework") && !add_framework(&cat, &ra, argv[++i], a)) goto out;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(o, "--framework") && has) i++;
		else if (!strcmp(o, "--office") && has) office_code = argv[++i];
		else if (!strcmp(o, "--year") && has) year = argv[++i];
		else if (!strcmp(o, "--title") && has) title = argv[++i];
		else if (!strcmp(o, "--policy") && has) policy = argv[++i];
		else if (!strcmp(o, "--db") && has) target = argv[++i];
		else if (!strcmp(o, "--also-managed")) also_managed = true;
		else if ((!strcmp(o, "--self-due") || !strcmp(o, "--report-due") ||
		          !strcmp(o, "--external-due") || !strcmp(o, "--date")) && has) {
			char *out = o[2] == 's' ? self_due : o[2] == 'r' ? report_due
				: o[2] == 'e' ? external_due : date;
			if (!parse_date_arg(argv[++i], out)) {
				fprintf(stderr, "chiso round: ngày không hợp lệ '%s' (ví dụ 2025-05-31 hoặc 31/05/2025)\n",
					argv[i]);
				goto out;
			}
		} else if (!strcmp(o, "--target") && has) {
			if (!add_target(&cat, &ra, argv[++i], a)) goto out;
		} else {
			usage_error(round_usage);
			goto out;
		}
	}
	if (!office_code || !year || ra.nfw == 0) {
		usage_error(round_usage);
		goto out;
	}
	int start;
	if (!vn_parse_school_year(year, &start)) {
		fprintf(stderr, "chiso round: năm học không hợp lệ '%s' (ví dụ 2024-2025)\n", year);
		goto out;
	}
	buf sy;
	buf_init(&sy);
	vn_school_year(&sy, start);
	const char *school_year = arena_strdup(a, buf_str(&sy));
	buf_free(&sy);
	if (!date[0]) {
		/* The units a round covers are those the office evaluates on the
		 * self-assessment deadline; without one, today if it falls in the
		 * school year, else the usual deadline 31/5 of that year. */
		char today[11], first[32], last[32];
		today_iso(today);
		snprintf(first, sizeof first, "%04d-08-01", start);
		snprintf(last, sizeof last, "%04d-07-31", start + 1);
		if (self_due[0]) memcpy(date, self_due, sizeof date);
		else if (strcmp(today, first) >= 0 && strcmp(today, last) <= 0) memcpy(date, today, sizeof date);
		else {
			snprintf(last, sizeof last, "%04d-05-31", start + 1);
			snprintf(date, sizeof date, "%.10s", last);
		}
	}
	rc = EXIT_FAIL;
	if (!(d = cmd_open_db(target))) goto out;
	unit office;
	if (unit_find_code(d, office_code, a, &office) != DB_OK) {
		fprintf(stderr, "chiso round: không có đơn vị mã '%s'\n", office_code);
		rc = EXIT_BADINPUT;
		goto out;
	}
	round_row r = {
		.office_unit_id = office.id, .school_year = school_year,
		.title = title ? title : arena_printf(a, "Đánh giá mức độ chuyển đổi số năm học %s", school_year),
		.policy = policy, .self_due = self_due[0] ? self_due : NULL,
		.report_due = report_due[0] ? report_due : NULL,
		.external_due = external_due[0] ? external_due : NULL, .include_managed = also_managed,
	};
	int64_t id = 0;
	int created = 0, skipped = 0;
	/* The round and its assessments together, or nothing. */
	int drc = db_begin_write(d);
	if (drc == DB_OK) drc = round_open(d, 0, &r, ra.fw, ra.nfw, ra.targets, ra.ntargets, &id);
	if (drc == DB_OK) drc = round_add_units(d, 0, id, date, &created, &skipped);
	if (drc == DB_OK) drc = db_commit(d);
	else db_rollback(d);
	if (drc != DB_OK) {
		fprintf(stderr, "chiso round: %s\n", db_errmsg(d));
		rc = drc == DB_EINVAL || drc == DB_ECONSTRAINT ? EXIT_BADINPUT : EXIT_FAIL;
		goto out;
	}
	buf b;
	buf_init(&b);
	printf("Đã mở đợt đánh giá số %lld: «%s» của %s.\n", (long long)id, r.title, office.name);
	for (size_t i = 0; i < ra.nfw; i++) {
		unit_type t;
		unit_type_parse(ra.fw[i].unit_type, &t);
		printf("  %-10s → %s (bản %s)\n", unit_type_name(t), ra.fw[i].framework_id,
			ra.fw[i].framework_revision);
	}
	if (r.self_due) printf("  Hạn tự đánh giá: %s\n", date_vn(&b, r.self_due));
	if (r.report_due) printf("  Hạn báo cáo: %s\n", date_vn(&b, r.report_due));
	if (r.external_due) printf("  Hạn đánh giá ngoài, công nhận: %s\n", date_vn(&b, r.external_due));
	for (size_t i = 0; i < ra.ntargets; i++)
		printf("  Chỉ tiêu: %s ≥ %d%%\n", ra.targets[i].label, ra.targets[i].share_percent);
	printf("Đã tạo %d phiếu đánh giá cho các đơn vị do %s đánh giá%s ngày %s", created, office.name,
		also_managed ? " hoặc quản lý trực tiếp" : "", date_vn(&b, date));
	if (skipped) printf("; bỏ qua %d đơn vị có loại hình chưa có bộ chỉ số trong đợt", skipped);
	printf(".\n");
	buf_free(&b);
	rc = EXIT_OK;
out:
	if (d) db_close(d);
	arena_free(a);
	fw_catalog_free(&cat);
	return rc;
}

int cmd_round(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "open")) return round_open_cmd(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "carry")) return cmd_round_carry(argc, argv);
	return usage_error(round_usage);
}

/* ---- chiso audit verify ---------------------------------------------------- */

int cmd_audit(int argc, char **argv)
{
	const char *target = cmd_default_db();
	if (argc < 2 || strcmp(argv[1], "verify") != 0) return usage_error("chiso audit verify [--db …]");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) target = argv[++i];
		else return usage_error("chiso audit verify [--db …]");
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	audit_report r;
	int rc = audit_verify(d, &r);
	if (rc != DB_OK) {
		fprintf(stderr, "chiso audit: không đọc được nhật ký: %s\n", db_errmsg(d));
		db_close(d);
		return EXIT_FAIL;
	}
	db_close(d);
	if (r.bad_seq) {
		printf("Chuỗi nhật ký KHÔNG hợp lệ: bản ghi số %lld đã bị sửa, xóa hoặc chèn (%s).\n",
			(long long)r.bad_seq, r.problem);
		printf("Đã kiểm tra %lld bản ghi.\n", (long long)r.rows);
		return EXIT_FAIL;
	}
	printf("Chuỗi nhật ký hợp lệ: %lld bản ghi\n", (long long)r.rows);
	if (r.head[0]) printf("Mã băm cuối (hãy ghi lại để phát hiện nhật ký bị cắt đuôi): %s\n", r.head);
	return EXIT_OK;
}

/* ---- chiso levels verify --------------------------------------------------- */

/* Re-scores every stored level from the stored answers. */
int cmd_levels(int argc, char **argv)
{
	static const char usage[] = "chiso levels verify [--round SỐ] [--db …]";
	const char *target = cmd_default_db();
	int64_t only_round = 0;
	if (argc < 2 || strcmp(argv[1], "verify") != 0) return usage_error(usage);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) target = argv[++i];
		else if (!strcmp(argv[i], "--round") && i + 1 < argc) only_round = atoll(argv[++i]);
		else return usage_error(usage);
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	fw_catalog_sync_db(&cat, d, 0, &cat.errors);   /* published versions too */
	arena *a = arena_new();
	int rc = EXIT_OK;
	int64_t checked = 0, levels = 0, bad = 0, offices = 0;
	/* Every round: the rounds of every office-type unit. */
	unit *units = NULL;
	size_t nu = 0;
	if (unit_search(d, "", NULL, INT_MAX, a, &units, &nu) != DB_OK) {
		fprintf(stderr, "chiso levels: %s\n", db_errmsg(d));
		rc = EXIT_FAIL;
		nu = 0;
	}
	for (size_t u = 0; u < nu && rc == EXIT_OK; u++) {
		if (!unit_type_is_office(units[u].type)) continue;
		round_row *rounds;
		size_t nr;
		if (round_list_for_office(d, units[u].id, a, &rounds, &nr) != DB_OK) continue;
		for (size_t k = 0; k < nr; k++) {
			if (only_round && rounds[k].id != only_round) continue;
			arena *ra = arena_new();
			assessment *as;
			size_t na;
			assessment_list_round(d, rounds[k].id, ra, &as, &na);
			for (size_t i = 0; i < na; i++) {
				unit su;
				if (unit_get(d, as[i].unit_id, ra, &su) != DB_OK) continue;
				wf_state st = wf_state_parse(as[i].state);
				/* Where the workflow says a level must exist by now. */
				bool self_due = st >= WF_SELF_ASSESSED && st != WF_RETURNED;
				bool ext_due = st >= WF_EVALUATED;
				struct { answer_side side; int stored; bool due; const char *what; } sides[] = {
					{ ANSWER_SELF, as[i].self_level, self_due, "tự đánh giá" },
					{ ANSWER_EXTERNAL, as[i].external_level, ext_due, "đánh giá ngoài" },
					{ ANSWER_EXTERNAL, as[i].recognised_level, st >= WF_RECOGNISED, "công nhận" },
				};
				/* An office's own assessment (3806): its derived items
				 * read the units' recognised results as they were when
				 * the level was stored; they cannot be re-read from its
				 * answers alone. */
				const framework *afw = fw_catalog_find(&cat, arena_printf(ra, "%s@%s", as[i].framework_id,
					as[i].framework_revision));
				bool derived = false;
				for (size_t l = 0; afw && l < afw->nleaves; l++) derived |= afw->leaves[l]->rule->kind == RULE_DERIVED;
				if (derived) {
					offices++;
					continue;
				}
				checked++;
				for (size_t s = 0; s < ARRAY_LEN(sides); s++) {
					if (!sides[s].stored && !sides[s].due) continue;
					buf err;
					buf_init(&err);
					int level = 0;
					/* the service's path: the one that stored it */
					int lrc = assess_score(d, &cat, &as[i], su.type, rounds[k].policy,
						sides[s].side, &level, NULL, &err);
					levels++;
					if (lrc != DB_OK || level != sides[s].stored) {
						bad++;
						printf("Phiếu số %lld (%s %s, đợt %lld, %s): mức %s đã lưu %d, chấm lại %s",
							(long long)as[i].id, su.code, su.name, (long long)rounds[k].id,
							wf_state_label(st), sides[s].what, sides[s].stored,
							lrc == DB_OK ? "" : "không được: ");
						if (lrc == DB_OK) printf("%d\n", level);
						else printf("%s", buf_str(&err));
					}
					buf_free(&err);
				}
			}
			arena_free(ra);
		}
	}
	if (rc == EXIT_OK) {
		if (bad) {
			printf("%lld/%lld mức đã lưu KHÔNG khớp kết quả chấm lại (%lld phiếu đánh giá).\n",
				(long long)bad, (long long)levels, (long long)checked);
			rc = EXIT_FAIL;
		} else {
			printf("Đã kiểm tra %lld phiếu đánh giá: %lld mức đã lưu khớp kết quả chấm lại "
				"từ câu trả lời.\n", (long long)checked, (long long)levels);
		}
		if (offices)
			printf("Bỏ qua %lld phiếu tự đánh giá của cơ quan quản lý (Quyết định 3806): phần tính từ "
				"kết quả các đơn vị thay đổi theo các quyết định công nhận.\n", (long long)offices);
	}
	arena_free(a);
	fw_catalog_free(&cat);
	db_close(d);
	return rc;
}

/* ---- chiso backup / restore ----------------------------------------------- */

static void print_size(int64_t bytes)
{
	if (bytes >= 10LL * 1024 * 1024) printf("%lld MB", (long long)(bytes / (1024LL * 1024)));
	else if (bytes >= 10LL * 1024) printf("%lld KB", (long long)(bytes / 1024));
	else printf("%lld byte", (long long)bytes);
}

static int backup_restore_cmd(int argc, char **argv, bool restore)
{
	const char *usage = restore ? "chiso restore THƯ_MỤC_SAO_LƯU [--db …] [--blobs THƯ_MỤC] [--force]"
	                            : "chiso backup THƯ_MỤC_ĐÍCH [--db …] [--blobs THƯ_MỤC]";
	const char *target = cmd_default_db(), *blobs = NULL, *path = NULL;
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) target = argv[++i];
		else if (!strcmp(argv[i], "--blobs") && i + 1 < argc) blobs = argv[++i];
		else if (restore && !strcmp(argv[i], "--force")) force = true;
		else if (argv[i][0] != '-' && !path) path = argv[i];
		else return usage_error(usage);
	}
	if (!path) return usage_error(usage);
	buf dir, err;
	buf_init(&dir);
	buf_init(&err);
	backup_blob_dir(target, blobs, &dir);
	backup_report r;
	int rc = restore ? backup_restore(path, target, buf_str(&dir), force, &r, &err)
	                 : backup_create(target, buf_str(&dir), path, &r, &err);
	if (rc == 0 || r.schema_version) {
		if (restore) printf("Đã khôi phục %s vào %s (%s, lược đồ phiên bản %d", path, target,
			r.backend, r.schema_version);
		else printf("Đã sao lưu %s vào %s (%s, lược đồ phiên bản %d", target, path, r.backend,
			r.schema_version);
		if (r.audit_rows) printf(", nhật ký %lld bản ghi hợp lệ", (long long)r.audit_rows);
		printf("); %lld tệp minh chứng (", (long long)r.files);
		print_size(r.bytes);
		printf(")");
		if (r.files_skipped) printf(", %lld tệp đã có sẵn", (long long)r.files_skipped);
		printf(".\n");
	}
	if (rc != 0)
		fprintf(stderr, "chiso %s: %s\n", restore ? "restore" : "backup", buf_str(&err));
	buf_free(&dir);
	buf_free(&err);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_backup(int argc, char **argv) { return backup_restore_cmd(argc, argv, false); }
int cmd_restore(int argc, char **argv) { return backup_restore_cmd(argc, argv, true); }
