/* cmd.c — the command table, global options and help. */
#include "cmd.h"
#include "util.h"
#include <stdio.h>
#include <string.h>

static bool lang_en;
bool cmd_lang_en(void) { return lang_en; }

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help_vi, *help_en;
};

static const struct command commands[] = {
	{ "frameworks", cmd_frameworks, "chiso frameworks [--frameworks DIR] [--db PATH|postgresql://…]",
	  "Liệt kê các bộ chỉ số, mức độ hoàn chỉnh và nguồn (nhúng, thư mục, cơ sở dữ liệu)",
	  "List the indicator sets, whether they are complete and where each came from" },
	{ "framework", cmd_framework, "chiso framework show ID [--frameworks DIR] | check FILE… | import FILE.docx|FILE.xlsx --id ID [--title …] [--decision-number … --decision-date …] [--out FILE.json] | template FILE.xlsx",
	  "Xem cây tiêu chí của một bộ chỉ số, kiểm tra tệp bộ chỉ số, hoặc nhập bảng phụ lục (DOCX, XLSX) thành tệp bộ chỉ số",
	  "Show a framework's tree, validate framework files, or import an annex table (DOCX, XLSX) as a framework file" },
	{ "score", cmd_score, "chiso score --framework ID [--frameworks DIR] [--unit-type T] [--policy min|per_group_only] [--json] [--what-if] [--partial] ANSWERS.json",
	  "Chấm điểm một phiếu trả lời", "Score an answer sheet" },
	{ "doc", cmd_doc, "chiso doc TYPE --assessment ID|--round ID --format pdf|docx|xlsx [--out FILE] [--number …] [--date YYYY-MM-DD] [--signer \"…\"] [--db …] | doc list | doc history | doc inspection",
	  "Tạo văn bản hành chính (kế hoạch, quyết định, biên bản, báo cáo…) dạng PDF, DOCX, XLSX", "Generate an administrative document (plan, decision, minutes, report…) as PDF, DOCX or XLSX" },
	{ "job", cmd_job, "chiso job batch --round ID --type TYPE [--format pdf|docx] | job run [--once] | job show ID [--db …]",
	  "Công việc nền: lập văn bản hàng loạt cho một đợt (ZIP), chạy các công việc đang chờ", "Background jobs: batch documents for a round (ZIP), run queued jobs" },
	{ "init", cmd_init, "chiso init [--db PATH|postgresql://…] [--secret-file PATH]",
	  "Tạo hoặc cập nhật cơ sở dữ liệu", "Create or migrate a database" },
	{ "serve", cmd_serve, "chiso serve [--db PATH|postgresql://…] [--host H] [--port 8080] [--blobs DIR] [--secret-file PATH] [--quiet]",
	  "Chạy ứng dụng web", "Run the web application" },
	{ "token", cmd_token, "chiso token create LOGIN --label \"Tên\" [--expires YYYY-MM-DD] | token list LOGIN | token revoke LOGIN ID [--db …]",
	  "Tạo, xem, thu hồi token API cho hệ thống khác", "Create, list, revoke API tokens for other systems" },
	{ "unit", cmd_unit, "chiso unit import FILE.xlsx|FILE.csv [--db PATH|postgresql://…] [--from YYYY-MM-DD] [--dry-run]",
	  "Nhập danh sách đơn vị (mã, tên, loại hình, đơn vị quản lý…) từ tệp Excel/CSV", "Import the unit list (code, name, type, managing unit…) from an Excel/CSV file" },
	{ "user", cmd_user, "chiso user add LOGIN --name \"Họ tên\" [--password P] [--role R --unit CODE [--round ID]] | user grant LOGIN --role R …",
	  "Tạo tài khoản, giao vai trò", "Create an account, grant a role" },
	{ "round", cmd_round, "chiso round open --office CODE --year 2024-2025 --framework LOẠI=ID … [--self-due …] [--target …]",
	  "Mở đợt đánh giá và tạo phiếu cho các đơn vị", "Open an assessment round and create its assessments" },
	{ "audit", cmd_audit, "chiso audit verify [--db …]",
	  "Kiểm tra chuỗi băm của nhật ký", "Verify the audit log's hash chain" },
	{ "levels", cmd_levels, "chiso levels verify [--round ID] [--db …]",
	  "Chấm lại câu trả lời đã lưu, đối chiếu mức đã lưu", "Re-score stored answers against stored levels" },
	{ "backup", cmd_backup, "chiso backup DEST [--db …] [--blobs DIR]",
	  "Sao lưu cơ sở dữ liệu và tệp minh chứng (trực tuyến)", "Online backup of the database and evidence files" },
	{ "restore", cmd_restore, "chiso restore SRC [--db …] [--blobs DIR] [--force]",
	  "Khôi phục từ bản sao lưu", "Restore from a backup" },
	{ "verify", cmd_verify, "chiso verify FILE.pdf [--ca CA.pem]… [--crl CRL.pem]… [--db …] | verify --submission ID [--db …]",
	  "Kiểm tra chữ ký số của tệp PDF, hoặc niêm phong của một hồ sơ đã nộp", "Verify a PDF's digital signatures, or a submission's seal" },
	{ "sign", cmd_sign, "chiso sign IN.pdf --p12 KEY.p12 | --pkcs11-uri URI --pkcs11-module SO --out OUT.pdf",
	  "Ký số tệp PDF bằng khóa PKCS#12 (mật khẩu trong CHISO_P12_PASSWORD) hoặc trên USB token PKCS#11 (PIN trong CHISO_PKCS11_PIN)",
	  "Sign a PDF with a PKCS#12 key (password in CHISO_P12_PASSWORD) or a PKCS#11 token key (PIN in CHISO_PKCS11_PIN)" },
	{ "test-routes", cmd_test_routes, "chiso test-routes", "Liệt kê mọi đường dẫn web (cho kiểm thử)", "List every web route (for tests)" },
	{ "test-act", cmd_test_act, "chiso test-act [--db …] < STEPS", "Áp dụng các bước đánh giá qua dịch vụ (cho kiểm thử)",
	  "Apply assessment steps through the service (for tests)" },
	{ "demo", cmd_demo, "chiso demo [--db PATH|postgresql://…] [--blobs DIR] [--secret-file PATH] [--force] [--today YYYY-MM-DD]",
	  "Tạo bộ dữ liệu mẫu: một tỉnh, các phòng, ~200 trường, đợt đánh giá, tài khoản",
	  "Create a demo data set: a province, its offices, ~200 schools, rounds, accounts" },
	{ "admin", cmd_setup_admin, "chiso admin init [--login admin] [--name \"Quản trị hệ thống\"] [--db PATH|postgresql://…]",
	  "Tạo quản trị viên đầu tiên với mật khẩu dùng một lần (in ra một lần)",
	  "Create the first administrator with a one-time password (printed once)" },
	{ "blob", cmd_blob, "chiso blob migrate --to db|dir --db postgresql://… [--blobs DIR]",
	  "Chuyển tệp minh chứng giữa thư mục và cơ sở dữ liệu PostgreSQL",
	  "Move evidence files between a directory and the PostgreSQL database" },
	{ "visit", cmd_visit, "chiso visit list --round N | visit add --round N --unit CODE --date YYYY-MM-DD --member LOGIN… [--note \"…\"]"
	  " | visit remove --round N --visit ID [--db …]",
	  "Lịch kiểm tra, đánh giá ngoài của một đợt: xem, thêm, xóa (báo trùng lịch)",
	  "A round's external visit schedule: list, add, remove (conflicts flagged)" },
};

static void usage(FILE *out)
{
	fprintf(out, lang_en ? "Chiso — digital-transformation assessment of education units\n\nUsage: chiso [--lang en] COMMAND [OPTIONS]\n\nCommands:\n"
	                     : "Chiso — đánh giá mức độ chuyển đổi số ngành giáo dục\n\nCách dùng (usage): chiso [--lang en] LỆNH [TÙY CHỌN]\n\nCác lệnh (commands):\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		const struct command *c = &commands[i];
		if (!strncmp(c->name, "test-", 5)) continue;   /* for the test suite (Fossil's habit) */
		if (lang_en) fprintf(out, "  %-12s %s\n", c->name, c->help_en);
		else fprintf(out, "  %-12s %s (%s)\n", c->name, c->help_vi, c->help_en);
	}
	fprintf(out, lang_en ? "\n'chiso COMMAND --help' shows a command's options.\n"
	                     : "\n'chiso LỆNH --help' xem tùy chọn của từng lệnh (options of a command).\n");
}

bool cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
	return false;
}

static void command_help(const struct command *c)
{
	printf("%s\n\n%s: %s\n", lang_en ? c->help_en : c->help_vi, lang_en ? "Usage" : "Cách dùng (usage)", c->usage);
}

int cmd_main(int argc, char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			lang_en = strcmp(argv[i + 1], "en") == 0;
			i += 2;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else {
			fprintf(stderr, lang_en ? "chiso: unknown option %s\n" : "chiso: tùy chọn không hợp lệ %s (unknown option)\n", argv[i]);
			usage(stderr);
			return EXIT_BADINPUT;
		}
	}
	if (i >= argc) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc) {
			for (size_t k = 0; k < ARRAY_LEN(commands); k++)
				if (strcmp(commands[k].name, argv[i + 1]) == 0) { command_help(&commands[k]); return EXIT_OK; }
		}
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t k = 0; k < ARRAY_LEN(commands); k++) {
		if (strcmp(commands[k].name, argv[i]) == 0) {
			if (cmd_wants_help(argc - i, argv + i)) { command_help(&commands[k]); return EXIT_OK; }
			return commands[k].run(argc - i, argv + i);
		}
	}
	fprintf(stderr, lang_en ? "chiso: unknown command '%s'\n" : "chiso: không có lệnh '%s' (unknown command)\n", argv[i]);
	usage(stderr);
	return EXIT_BADINPUT;
}
