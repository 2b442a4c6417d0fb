/* cmd_carry.c — chiso round carry: moves a round's assessments that are not
 * yet recognised to a new revision of their framework (assess_carry.h) and
 * prints, per assessment, what moved and which items the school must answer
 * again. --dry-run prints the same report and writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assess_carry.h"
#include "cmd.h"
#include "q_assessment.h"
#include "q_framework.h"
#include "q_round.h"
#include "q_unit.h"

static const char carry_usage[] =
	"chiso round carry SỐ_ĐỢT --to ID@BẢN [--dry-run] [--db …]\n"
	"  chuyển các phiếu chưa công nhận của đợt sang bản sửa đổi của bộ chỉ số;\n"
	"  --dry-run: chỉ in báo cáo, không ghi gì";

/* One assessment's line, then the items that need the school. */
static void report(const unit *u, int64_t id, const assess_carry_result *r)
{
	const carry_plan *p = &r->side[ANSWER_SELF];
	printf("Phiếu %lld — %s %s: giữ %zu, chấm lại %zu, cần trả lời lại %zu, mới %zu, bỏ %zu%s\n", (long long)id,
	       u->code, u->name, p->count[CARRY_KEPT], p->count[CARRY_RESCORED], p->count[CARRY_REANSWER],
	       p->count[CARRY_NEW], p->count[CARRY_DROPPED], r->moved ? "" : " (chưa ghi)");
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < r->side[s].n; i++) {
			const carry_item *it = &r->side[s].items[i];
			if (it->fate != CARRY_REANSWER && it->fate != CARRY_NEW) continue;
			printf("    %s%s %s — %s%s%s\n", s ? "[đánh giá ngoài] " : "", it->code, it->title,
			       carry_fate_name(it->fate), it->why ? ": " : "", it->why ? it->why : "");
		}
}

/* assess_carry_round's report of one assessment; the first failure other
 * than "keeps its revision" stops the round (*ctx: the exit code). */
static bool report_one(void *ctx, const assessment *as, const unit *u, int rc, const assess_carry_result *r,
                       const char *err)
{
	if (rc == DB_OK) {
		report(u, as->id, r);
		return true;
	}
	if (rc == DB_ECONFLICT) {
		printf("%s\n", err);
		return true;
	}
	fprintf(stderr, "chiso round carry: phiếu %lld: %s\n", (long long)as->id, err);
	*(int *)ctx = EXIT_FAIL;
	return false;
}

int cmd_round_carry(int argc, char **argv)
{
	const char *target = cmd_default_db(), *to = NULL;
	int64_t round_id = 0;
	bool dry_run = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) target = argv[++i];
		else if (!strcmp(argv[i], "--to") && i + 1 < argc) to = argv[++i];
		else if (!strcmp(argv[i], "--dry-run")) dry_run = true;
		else if (!round_id && cmd_parse_id(argv[i], &round_id)) continue;
		else round_id = -1;
	}
	if (round_id <= 0 || !to || !strchr(to, '@')) {
		fprintf(stderr, "Cách dùng (usage): %s\n", carry_usage);
		return EXIT_BADINPUT;
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	fw_catalog_sync_db(&cat, d, 0, &cat.errors);   /* published corrections too */
	const framework *fw = fw_catalog_find(&cat, to);
	int rc = EXIT_OK;
	arena *a = arena_new();
	assess_carry_count c = { 0 };
	if (!fw) {
		fprintf(stderr, "chiso round carry: không có bộ chỉ số %s (xem: chiso frameworks)\n", to);
		rc = EXIT_BADINPUT;
	} else if (assess_carry_round(d, &cat, 0, round_id, fw, dry_run, a, report_one, &rc, &c) != DB_OK || !c.n) {
		fprintf(stderr, "chiso round carry: đợt %lld không có phiếu đánh giá nào\n", (long long)round_id);
		rc = EXIT_BADINPUT;
	}
	size_t n = c.n, moved = c.moved, kept = c.kept, other = c.other;
	if (rc == EXIT_OK && !dry_run &&
	    round_framework_set_revision(d, 0, round_id, fw->id, arena_printf(a, "%d", fw->revision)) != DB_OK) {
		fprintf(stderr, "chiso round carry: %s\n", db_errmsg(d));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK)
		printf("%s %zu phiếu sang %s; %zu phiếu giữ bản cũ; %zu phiếu dùng bộ chỉ số khác.\n",
		       dry_run ? "Sẽ chuyển" : "Đã chuyển", dry_run ? n - kept - other : moved, to, kept, other);
	arena_free(a);
	fw_catalog_free(&cat);
	db_close(d);
	return rc;
}
