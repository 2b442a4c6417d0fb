/* cmd_score.c — the framework and scoring commands: frameworks, framework
 * show|check and score. Rendering of a score result as a
 * Vietnamese text table lives here; as JSON (docs/score-json.md) in score_json.c. */
#include "answers.h"
#include "vn.h"
#include "cmd.h"
#include "fw_import.h"
#include "db.h"
#include "q_framework.h"
#include "score.h"
#include "score_json.h"
#include "util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>

static const char *fmtq(buf *b, q v)
{
	buf_reset(b);
	q_format(b, v, 2, true);
	return buf_str(b);
}

/* Print at most `width` code points of s, padding with spaces. */
static void put_cols(FILE *out, const char *s, size_t width)
{
	size_t cols = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && cols < width) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		if (cols == width - 1 && p[len]) { fputs("…", out); cols++; break; }
		fwrite(p, 1, len, out);
		p += len;
		cols++;
	}
	for (; cols < width; cols++) fputc(' ', out);
}

static const char *date_vn(buf *b, const char *iso)
{
	buf_reset(b);
	if (iso && strlen(iso) == 10) buf_printf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	return buf_str(b);
}

/* ---- chiso frameworks ----------------------------------------------------- */

/* The embedded frameworks, the installed ones, the override directory
 * (dir, else $CHISO_FRAMEWORKS): framework.h, fw_catalog_load_default. */
static int load_catalog(fw_catalog *cat, const char *dir)
{
	fw_catalog_load_default(cat, dir);
	if (cat->errors.len) fputs(buf_str(&cat->errors), stderr);
	return cat->errors.len ? EXIT_FAIL : EXIT_OK;
}

int cmd_frameworks(int argc, char **argv)
{
	const char *dir = NULL, *target = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--frameworks") == 0 && i + 1 < argc) dir = argv[++i];
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) target = argv[++i];
		else {
			fprintf(stderr, "chiso frameworks: tùy chọn không hợp lệ '%s' (xem: chiso frameworks --help)\n", argv[i]);
			return EXIT_BADINPUT;
		}
	}
	fw_catalog cat;
	int rc = load_catalog(&cat, dir);
	if (target) {
		/* and the versions published on the administration pages */
		db *d = cmd_open_db(target);
		if (!d) rc = EXIT_FAIL;
		else {
			buf err;
			buf_init(&err);
			fw_catalog_sync_db(&cat, d, 0, &err);
			if (err.len) { fputs(buf_str(&err), stderr); rc = EXIT_FAIL; }
			buf_free(&err);
			db_close(d);
		}
	}
	buf b;
	buf_init(&b);
	static const char *const head[] = { "Mã (id)", "Bản", "Trạng thái", "Ngày QĐ", "Áp dụng cho" };
	static const size_t width[] = { 18, 5, 17, 12, 40 };
	for (size_t k = 0; k < ARRAY_LEN(head); k++) put_cols(stdout, head[k], width[k]);
	puts("Tên");
	for (size_t i = 0; i < cat.n; i++) {
		const framework *fw = cat.items[i];
		buf types, rev;
		buf_init(&types);
		buf_init(&rev);
		for (int t = 0; t < UT_COUNT; t++)
			if (fw->unit_types[t]) buf_printf(&types, "%s%s", types.len ? ", " : "", unit_type_name((unit_type)t));
		buf_printf(&rev, "%d", fw->revision);
		put_cols(stdout, fw->id, width[0]);
		put_cols(stdout, buf_str(&rev), width[1]);
		put_cols(stdout, fw->complete ? "hoàn chỉnh" : "CHƯA HOÀN CHỈNH", width[2]);
		put_cols(stdout, date_vn(&b, fw->decision_date), width[3]);
		put_cols(stdout, buf_str(&types), width[4]);
		buf_free(&rev);
		printf("%s\n", fw->title);
		printf("  nguồn: %s\n", fw_origin_text(fw, &b));
		buf_free(&types);
	}
	buf_free(&b);
	fw_catalog_free(&cat);
	return rc;
}

/* ---- chiso framework show|check -------------------------------------------- */

static void show_rule(FILE *out, const fw_rule *r, buf *b)
{
	fprintf(out, "[%s", rule_kind_code(r->kind));
	if (r->kind != RULE_GATE && r->kind != RULE_INFO) fprintf(out, ", tối đa %s", fmtq(b, r->points));
	if (r->kind == RULE_RATIO || r->kind == RULE_COUNT)
		fprintf(out, ", ngưỡng %s %s%s", r->cmp == CMP_GE ? "≥" : "≤", fmtq(b, r->threshold),
		        r->kind == RULE_RATIO && r->unit == UNIT_PERCENT ? "%" : "");
	if (r->kind == RULE_RATIO_BY_TYPE) {
		for (int t = 0; t < UT_COUNT; t++) {
			if (!r->type_known[t]) continue;
			if (r->type_has_threshold[t])
				fprintf(out, ", %s %s %s%s", unit_type_name((unit_type)t), r->cmp == CMP_GE ? "≥" : "≤",
				        fmtq(b, r->type_threshold[t]), r->unit == UNIT_PERCENT ? "%" : "");
			else fprintf(out, ", %s: chấm tay", unit_type_name((unit_type)t));
		}
	}
	for (size_t i = 0; i < r->noptions; i++) fprintf(out, ", %s=%s", r->options[i].code, fmtq(b, r->options[i].points));
	fputs("]", out);
}

static void show_node(FILE *out, const fw_node *n, int depth, buf *b)
{
	fprintf(out, "%*s%s  %s", depth * 2, "", n->code, n->title);
	if (n->source != SRC_OFFICIAL) fprintf(out, "  ‹%s›", source_tag_name(n->source));
	if (n->rule) {
		fputs("  ", out);
		show_rule(out, n->rule, b);
		if (n->rule->source != n->source) fprintf(out, " ‹điểm: %s›", source_tag_name(n->rule->source));
	} else {
		fprintf(out, "  (tối đa %s)", fmtq(b, n->max));
	}
	fputc('\n', out);
	for (size_t i = 0; i < n->nchildren; i++) show_node(out, &n->children[i], depth + 1, b);
}

static void show_framework(const framework *fw)
{
	buf b;
	buf_init(&b);
	printf("%s — %s\n", fw->id, fw->title);
	printf("Quyết định %s ngày %s của %s; bản %d; %s; nguồn: %s\n", fw->decision_number,
	       date_vn(&b, fw->decision_date), fw->decision_issuer, fw->revision,
	       fw->complete ? "hoàn chỉnh" : "CHƯA HOÀN CHỈNH — chưa dùng để chấm điểm", source_tag_name(fw->source));
	printf("Cách xếp mức: %s; điều kiện bắt buộc không đạt: %s\n",
	       fw->basis == BASIS_GROUPS ? "theo từng nhóm tiêu chí" : "theo tổng điểm",
	       fw->gate_effect == GATE_ZERO_GROUP ? "nhóm không có điểm" : "chỉ ghi nhận");
	for (size_t i = 0; i < fw->nlevels; i++) {
		const fw_band *l = &fw->levels[i];
		printf("  %s%s%s: ", l->name, l->label ? " — " : "", l->label ? l->label : "");
		if (i + 1 < fw->nlevels) {
			const fw_band *nx = &fw->levels[i + 1];
			const char *bound = fmtq(&b, nx->has_from ? nx->from : nx->above);
			if (l->has_from || l->has_above) printf("%s %s và ", l->has_from ? "≥" : ">", fmtq(&b, l->has_from ? l->from : l->above)), bound = fmtq(&b, nx->has_from ? nx->from : nx->above);
			printf("%s %s\n", nx->has_from ? "<" : "≤", bound);
		} else {
			printf("%s %s\n", l->has_from ? "≥" : ">", fmtq(&b, l->has_from ? l->from : l->above));
		}
	}
	if (fw->note) printf("Ghi chú: %s\n", fw->note);
	putchar('\n');
	for (size_t g = 0; g < fw->ngroups; g++) show_node(stdout, &fw->groups[g], 0, &b);
	buf_free(&b);
}

/* chiso framework import FILE --id ID …: the annex table of a decision
 * (DOCX or XLSX, fw_import.h) into a framework file; the review notes (what
 * was inferred) on standard output, the problems on standard error. */
static const char import_usage[] =
	"Cách dùng: chiso framework import FILE.docx|FILE.xlsx --id ID [--revision N] [--title \"…\"]\n"
	"           [--decision-number \"3276/QĐ-BGDĐT\" --decision-date YYYY-MM-DD] [--issuer \"…\"]\n"
	"           [--unit-types mam_non,tieu_hoc,…] [--out FILE.json]\n";

static int framework_import(int argc, char **argv)
{
	const char *file = NULL, *out = NULL;
	fw_import_meta m = { .revision = 1 };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(o, "--id") && has) m.id = argv[++i];
		else if (!strcmp(o, "--title") && has) m.title = argv[++i];
		else if (!strcmp(o, "--decision-number") && has) m.decision_number = argv[++i];
		else if (!strcmp(o, "--decision-date") && has) m.decision_date = argv[++i];
		else if (!strcmp(o, "--issuer") && has) m.decision_issuer = argv[++i];
		else if (!strcmp(o, "--out") && has) out = argv[++i];
		else if (!strcmp(o, "--revision") && has) {
			char *end;
			long r = strtol(argv[++i], &end, 10);
			if (*end || r < 1 || r > 1000000) { fprintf(stderr, "chiso framework import: --revision cần số nguyên dương\n"); return EXIT_BADINPUT; }
			m.revision = (int)r;
		} else if (!strcmp(o, "--unit-types") && has) {
			char *list = xstrdup(argv[++i]), *save = NULL;
			m.unit_types_set = true;
			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				unit_type ut;
				while (*t == ' ') t++;
				if (!unit_type_parse(t, &ut)) {
					fprintf(stderr, "chiso framework import: loại hình không hợp lệ '%s'\n", t);
					free(list);
					return EXIT_BADINPUT;
				}
				m.unit_types[ut] = true;
			}
			free(list);
		} else if (o[0] != '-' && !file) file = o;
		else { fprintf(stderr, "chiso framework import: tùy chọn không hợp lệ '%s'\n%s", o, import_usage); return EXIT_BADINPUT; }
	}
	if (!file || !m.id) { fputs(import_usage, stderr); return EXIT_BADINPUT; }
	if (m.decision_number && !m.decision_date) {
		fprintf(stderr, "chiso framework import: có --decision-number thì cần cả --decision-date (YYYY-MM-DD)\n");
		return EXIT_BADINPUT;
	}
	const char *base = strrchr(file, '/');
	m.file = base ? base + 1 : file;
	char today[11];
	vn_today_iso(today);
	m.today = today;

	/* the file, bounded like every import */
	const import_limits *lim = &import_default_limits;
	FILE *f = fopen(file, "rb");
	if (!f) { fprintf(stderr, "chiso framework import: không mở được %s: %s\n", file, strerror(errno)); return EXIT_BADINPUT; }
	buf data;
	buf_init(&data);
	char chunk[65536];
	size_t k;
	bool big = false;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (data.len + k > lim->max_file_bytes) { big = true; break; }
		buf_append(&data, chunk, k);
	}
	fclose(f);
	if (big) {
		fprintf(stderr, "%s: tệp quá lớn (tối đa %zu MB)\n", file, lim->max_file_bytes >> 20);
		buf_free(&data);
		return EXIT_BADINPUT;
	}
	fw_table t;
	char *err = NULL;
	if (fw_import_read(data.data ? data.data : "", data.len, m.file, lim, &t, &err)) {
		fprintf(stderr, "%s: %s\n", file, err);
		free(err);
		buf_free(&data);
		fw_table_free(&t);
		return EXIT_BADINPUT;
	}
	buf_free(&data);
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	char *json = NULL;
	framework *fw = fw_import_run(&t, &m, &json, &notes, &errs);
	fw_table_free(&t);
	int rc = EXIT_OK;
	if (!fw) {
		fputs(buf_str(&errs), stderr);
		fprintf(stderr, "%s: bảng chưa nhập được; chưa ghi tệp nào\n", file);
		rc = EXIT_BADINPUT;
	} else {
		size_t ng, nc, ni, nl;
		fw_counts(fw, &ng, &nc, &ni, &nl);
		printf("%s: %s bản %d — %zu nhóm, %zu tiêu chí, %zu chỉ số (%zu mục được chấm)\n", file, fw->id, fw->revision,
		       ng, nc, ni, nl);
		if (notes.len) {
			printf("Cần xem lại (suy ra, bảng không nói):\n");
			for (const char *p = buf_str(&notes); *p;) {
				const char *e = strchr(p, '\n');
				size_t len = e ? (size_t)(e - p) : strlen(p);
				printf("  - %.*s\n", (int)len, p);
				p += len + (e ? 1 : 0);
			}
		}
		if (out) {
			FILE *o = fopen(out, "wb");
			if (!o || fputs(json, o) < 0 || fputc('\n', o) == EOF || fclose(o) != 0) {
				fprintf(stderr, "chiso framework import: không ghi được %s: %s\n", out, strerror(errno));
				rc = EXIT_FAIL;
			} else printf("Đã ghi %s\n", out);
		} else if (!out) {
			printf("(thêm --out FILE.json để ghi tệp bộ chỉ số)\n");
		}
		framework_free(fw);
	}
	free(json);
	buf_free(&notes);
	buf_free(&errs);
	return rc;
}

int cmd_framework(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "show") == 0) {
		fw_catalog cat;
		load_catalog(&cat, argc >= 5 && strcmp(argv[3], "--frameworks") == 0 ? argv[4] : NULL);
		const framework *fw = fw_catalog_find(&cat, argv[2]);
		int rc = EXIT_OK;
		if (fw) show_framework(fw);
		else { fprintf(stderr, "chiso: không có bộ chỉ số '%s' (xem: chiso frameworks)\n", argv[2]); rc = EXIT_BADINPUT; }
		fw_catalog_free(&cat);
		return rc;
	}
	if (argc >= 3 && strcmp(argv[1], "check") == 0) {
		int rc = EXIT_OK;
		for (int i = 2; i < argc; i++) {
			buf err;
			buf_init(&err);
			framework *fw = framework_load_file(argv[i], &err);
			if (fw) {
				printf("%s: hợp lệ — %s bản %d, %zu nhóm, %zu chỉ tiêu%s\n", argv[i], fw->id, fw->revision,
				       fw->ngroups, fw->nleaves, fw->complete ? "" : " (chưa hoàn chỉnh)");
				framework_free(fw);
			} else {
				fputs(buf_str(&err), stderr);
				rc = EXIT_BADINPUT;
			}
			buf_free(&err);
		}
		return rc;
	}
	if (argc >= 2 && strcmp(argv[1], "import") == 0) return framework_import(argc - 1, argv + 1);
	if (argc == 3 && strcmp(argv[1], "template") == 0) {
		buf err;
		buf_init(&err);
		bool ok = fw_import_template_write(argv[2], &err);
		if (!ok) fprintf(stderr, "chiso framework template: %s", buf_str(&err));
		else printf("Đã ghi mẫu bảng tiêu chí: %s\n", argv[2]);
		buf_free(&err);
		return ok ? EXIT_OK : EXIT_FAIL;
	}
	fprintf(stderr, "Cách dùng (usage): chiso framework show ID | chiso framework check FILE… | chiso framework import "
	        "FILE.docx|FILE.xlsx --id ID [--title …] [--decision-number … --decision-date …] [--out FILE.json] | "
	        "chiso framework template FILE.xlsx\n");
	return EXIT_BADINPUT;
}

/* ---- score rendering --------------------------------------------------------- */

static void print_node_text(const score_result *r, const fw_node *n, buf *b, buf *b2)
{
	const node_score *ns = score_node(r, n);
	if (n->kind == NODE_GROUP) {
		printf("\nNHÓM %s — %s: %s/%s điểm", n->code, n->title, fmtq(b, ns->points), fmtq(b2, ns->max));
		if (ns->band) printf(" → %s%s%s", ns->band->name, ns->band->label ? " (" : "", ns->band->label ? ns->band->label : "");
		if (ns->band) putchar(')');
		putchar('\n');
		if (ns->gate_failed) printf("  ↳ %s\n", ns->explain);
	} else {
		const char *tag = n->source != SRC_OFFICIAL ? source_tag_name(n->source) : NULL;
		printf("  %-8s ", n->code);
		buf title;
		buf_init(&title);
		if (tag) buf_printf(&title, "‹%s› ", tag);
		buf_puts(&title, n->title);
		put_cols(stdout, buf_str(&title), 56);
		buf_free(&title);
		if (n->rule && (n->rule->kind == RULE_GATE || n->rule->kind == RULE_INFO))
			printf(" %9s\n", n->rule->kind == RULE_GATE ? (ns->gate_failed ? "KHÔNG ĐẠT" : "đạt") : "—");
		else
			printf(" %4s/%-4s\n", fmtq(b, ns->points), fmtq(b2, ns->max));
		if (ns->explain) printf("  %-8s ↳ %s\n", "", ns->explain);
	}
	for (size_t i = 0; i < n->nchildren; i++) print_node_text(r, &n->children[i], b, b2);
}

static void print_text(const score_result *r, const whatif_plan *plans, size_t nplans)
{
	const framework *fw = r->fw;
	buf b, b2;
	buf_init(&b);
	buf_init(&b2);
	printf("Bộ chỉ số: %s bản %d — căn cứ: %s ngày %s\n", fw->id, fw->revision, fw->decision_number,
	       date_vn(&b, fw->decision_date));
	printf("Loại hình đơn vị: %s\n", unit_type_name(r->type));
	for (size_t g = 0; g < fw->ngroups; g++) print_node_text(r, &fw->groups[g], &b, &b2);
	putchar('\n');
	if (fw->basis == BASIS_TOTAL)
		printf("TỔNG ĐIỂM: %s/%s\n", fmtq(&b, r->total), fmtq(&b2, r->total_max));
	printf("KẾT LUẬN: %s\n", r->level_explain);
	if (r->unanswered) printf("Lưu ý: còn %zu chỉ tiêu bắt buộc chưa đánh giá.\n", r->unanswered);
	for (size_t i = 0; i < nplans; i++) {
		const whatif_plan *p = &plans[i];
		printf("\nĐể %s đạt %s (hiện %s điểm → %s điểm):\n", p->group ? arena_printf(r->mem, "nhóm %s", p->group->code) : "tổng điểm",
		       p->to->name, fmtq(&b, p->current), fmtq(&b2, p->after));
		if (!p->reachable) printf("  Không thể đạt chỉ bằng các chỉ tiêu còn thiếu điểm; tối đa đạt được như sau:\n");
		for (size_t s = 0; s < p->nsteps; s++)
			printf("  - %s %s: %s%s\n", p->steps[s].leaf->code, p->steps[s].leaf->title, p->steps[s].action,
			       p->steps[s].gain.n ? arena_printf(r->mem, " (+%s điểm)", fmtq(&b, p->steps[s].gain)) : "");
	}
	buf_free(&b);
	buf_free(&b2);
}

static void print_json(const score_result *r, const whatif_plan *plans, size_t nplans, bool with_whatif)
{
	json_t *o = score_json(r, plans, nplans, with_whatif);
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	puts(s);
	free(s);
	json_decref(o);
}

/* ---- chiso score ----------------------------------------------------------------- */

static bool read_file(const char *path, buf *out, buf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) { buf_printf(err, "%s: không mở được tệp\n", path); return false; }
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_append(out, chunk, n);
		if (out->len > (16u << 20)) { fclose(f); buf_printf(err, "%s: tệp quá lớn (tối đa 16 MB)\n", path); return false; }
	}
	bool ok = !ferror(f);
	fclose(f);
	if (!ok) buf_printf(err, "%s: lỗi đọc tệp\n", path);
	return ok;
}

int cmd_score(int argc, char **argv)
{
	const char *fid = NULL, *file = NULL, *dir = NULL;
	bool json = false, whatif = false;
	answers_opts opts = { 0 };
	unit_policy policy = POLICY_MIN;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--framework") == 0 && i + 1 < argc) fid = argv[++i];
		else if (strcmp(a, "--frameworks") == 0 && i + 1 < argc) dir = argv[++i];
		else if (strcmp(a, "--unit-type") == 0 && i + 1 < argc) {
			if (!unit_type_parse(argv[++i], &opts.type)) {
				fprintf(stderr, "chiso score: loại hình đơn vị không hợp lệ '%s'; chấp nhận: mam_non, tieu_hoc, thcs, thpt, lien_cap, gdtx, phong, so\n", argv[i]);
				return EXIT_BADINPUT;
			}
			opts.type_given = true;
		} else if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
			if (!unit_policy_parse(argv[++i], &policy)) {
				fprintf(stderr, "chiso score: cách xếp mức không hợp lệ '%s'; chấp nhận: min, per_group_only\n", argv[i]);
				return EXIT_BADINPUT;
			}
		} else if (strcmp(a, "--json") == 0) json = true;
		else if (strcmp(a, "--what-if") == 0) whatif = true;
		else if (strcmp(a, "--partial") == 0) opts.partial = true;
		else if (a[0] != '-' && !file) file = a;
		else {
			fprintf(stderr, "chiso score: tùy chọn không hợp lệ '%s' (xem: chiso score --help)\n", a);
			return EXIT_BADINPUT;
		}
	}
	if (!fid || !file) {
		fprintf(stderr, "Cách dùng (usage): chiso score --framework ID [--unit-type T] [--json] [--what-if] ANSWERS.json\n");
		return EXIT_BADINPUT;
	}
	fw_catalog cat;
	load_catalog(&cat, dir);
	int rc = EXIT_OK;
	buf text, err;
	buf_init(&text);
	buf_init(&err);
	arena *a = arena_new();
	const framework *fw = fw_catalog_find(&cat, fid);
	answer_sheet sheet;
	unit_type type;
	score_result *r = NULL;
	if (!fw) {
		fprintf(stderr, "chiso score: không có bộ chỉ số '%s' (xem: chiso frameworks)\n", fid);
		rc = EXIT_BADINPUT;
	} else if (!score_can_use(fw, NULL, &err) || !read_file(file, &text, &err) ||
	           !answers_parse(fw, buf_str(&text), text.len, file, &opts, a, &sheet, &type, &err) ||
	           !(r = score_compute(fw, type, policy, &sheet, &err))) {
		rc = EXIT_BADINPUT;
	} else {
		size_t nplans = 0;
		whatif_plan *plans = whatif || json ? score_whatif(r, &nplans) : NULL;
		if (json) print_json(r, plans, nplans, whatif);
		else print_text(r, whatif ? plans : NULL, whatif ? nplans : 0);
	}
	if (err.len) fputs(buf_str(&err), stderr);
	score_free(r);
	arena_free(a);
	buf_free(&text);
	buf_free(&err);
	fw_catalog_free(&cat);
	return rc;
}
