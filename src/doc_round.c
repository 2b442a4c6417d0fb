/* doc_round.c — the office's round documents the seeds name (doc_set.h):
 * its plan for the round with the timeline (seeds 001, 002, 004: self-
 * assessment, submission, external evaluation, recognition, report), the
 * external team's visit schedule (lịch kiểm tra) with its conflicts
 * flagged, and the list of units proposed for recognition (danh sách đề
 * nghị công nhận) the team hands to the head of the office; and the
 * spreadsheets of the last two. Every count is the round's data. */
#include "doc_build.h"
#include "doc_xlsx.h"
#include "q_office.h"
#include "q_visit.h"
#include "util.h"
#include "workflow.h"
#include <string.h>

/* ---- shared pieces ------------------------------------------------------------------ */

static const char *team_cite(doc_ctx *c)
{
	if (c->team_number && c->team_date)
		return arena_printf(c->a, "Quyết định số %s ngày %s của %s về việc thành lập Đoàn kiểm tra, đánh giá ngoài",
			c->team_number, date_short(c, c->team_date), c->office.name);
	return NULL;
}

static const char *before(doc_ctx *c, const char *iso, const char *otherwise)
{
	return iso ? arena_printf(c->a, "Trước ngày %s", date_short(c, iso)) : otherwise;
}

static void head_row(doc *d, doc_table *t, const char *const *h, size_t n)
{
	doc_row *r = doc_row_add(d, t, true);
	for (size_t i = 0; i < n; i++) doc_cellf(d, r, DOC_CENTER, DOC_B, "%s", h[i]);
}

/* ---- the plan ------------------------------------------------------------------------- */

/* The first and last visit days, NULL when none is scheduled. */
static void visit_span(const doc_ctx *c, const char **first, const char **last)
{
	*first = *last = NULL;
	for (size_t i = 0; i < c->nvisits; i++) {
		const char *d = c->visits[i].date;
		if (!*first || strcmp(d, *first) < 0) *first = d;
		if (!*last || strcmp(d, *last) > 0) *last = d;
	}
}

static void plan_timeline(doc_ctx *c, doc *d)
{
	const char *first, *last;
	visit_span(c, &first, &last);
	const char *visits = first ? arena_printf(c->a, "Từ ngày %s đến ngày %s (theo lịch kiểm tra)", date_short(c, first), date_short(c, last))
	                           : before(c, c->round.external_due, "Theo lịch kiểm tra");
	const char *office = unit_type_words(c->office.type);
	const struct { const char *what, *when, *who, *product; } steps[] = {
		{ "Ban hành kế hoạch kiểm tra, đánh giá mức độ chuyển đổi số", c->date_given ? date_short(c, c->date_given) : "……",
		  office, "Kế hoạch" },
		{ "Tự đánh giá mức độ chuyển đổi số theo Bộ chỉ số; phê duyệt kết quả tự đánh giá; công khai kết quả tự đánh giá",
		  before(c, c->round.self_due, "Theo hướng dẫn"), "Các cơ sở giáo dục",
		  "Biên bản tự đánh giá; Quyết định phê duyệt kết quả tự đánh giá" },
		{ "Gửi hồ sơ, tờ trình đề nghị đánh giá ngoài", before(c, c->round.self_due, "Theo hướng dẫn"), "Các cơ sở giáo dục",
		  "Tờ trình, báo cáo tự đánh giá" },
		{ "Thành lập Đoàn kiểm tra, đánh giá ngoài; phân công thành viên; lập lịch kiểm tra",
		  c->team_date ? date_short(c, c->team_date) : first ? before(c, first, "……") : "Trước khi kiểm tra", office,
		  "Quyết định thành lập Đoàn; lịch kiểm tra" },
		{ "Kiểm tra, đánh giá ngoài tại các cơ sở giáo dục", visits, "Đoàn kiểm tra, đánh giá ngoài",
		  "Biên bản kiểm tra; danh sách đề nghị công nhận" },
		{ "Công nhận mức độ chuyển đổi số; công bố kết quả trên trang thông tin điện tử", before(c, c->round.external_due, "Sau khi hoàn thành đánh giá ngoài"),
		  office, "Quyết định công nhận mức độ chuyển đổi số" },
		{ "Báo cáo kết quả về cấp trên", before(c, c->round.report_due, "Theo yêu cầu của cấp trên"), office,
		  "Báo cáo tổng hợp kết quả đánh giá" },
	};
	static const double w[] = { 0.8, 5.2, 2.6, 2.2, 3.2 };
	doc_table *t = doc_table_add(d, 5, w);
	t->size = 12;
	static const char *const h[] = { "TT", "Nội dung thực hiện", "Thời gian thực hiện", "Đơn vị thực hiện", "Sản phẩm" };
	head_row(d, t, h, ARRAY_LEN(h));
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", steps[i].what);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", steps[i].when);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", steps[i].who);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", steps[i].product);
	}
}

static void plan_scope(doc_ctx *c, doc *d)
{
	size_t nt = 0;
	type_stats all;
	type_stats *st = round_stats(c, &nt, &all);
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < nt; i++)
		buf_printf(&b, "%s%s: %d", i ? "; " : "", unit_type_name(st[i].type), st[i].units);
	doc_text(d, 0, "Các cơ sở giáo dục thuộc phạm vi đánh giá của %s năm học %s: tổng số %d đơn vị%s%s.", c->office.name,
		c->school_year, all.units, nt ? ", gồm " : "", buf_str(&b));
	buf_free(&b);
}

void build_round_plan(doc_ctx *c, doc *d)
{
	doc_head(c, d, "KẾ HOẠCH", arena_printf(c->a, "Kiểm tra, đánh giá mức độ chuyển đổi số của các cơ sở giáo dục\nnăm học %s",
		c->school_year));
	doc_bases_of_units(c, d);
	doc_text(d, 0, "%s xây dựng Kế hoạch kiểm tra, đánh giá mức độ chuyển đổi số của các cơ sở giáo dục năm học %s như sau:",
		c->office.name, c->school_year);
	doc_heading(d, "I. MỤC ĐÍCH, YÊU CẦU");
	doc_text(d, 0, "- Đánh giá đúng thực trạng, mức độ chuyển đổi số của từng cơ sở giáo dục theo Bộ chỉ số; làm cơ sở chỉ đạo, "
		"huy động nguồn lực, nâng cao mức độ chuyển đổi số của các đơn vị và toàn ngành.");
	doc_text(d, 0, "- Phát hiện các điển hình, mô hình chuyển đổi số làm tốt để nhân rộng.");
	doc_text(d, 0, "- Kiểm tra, đánh giá khách quan, thực chất, công bằng; trong quá trình tự đánh giá, các đơn vị thu thập, "
		"lập danh mục minh chứng theo các tiêu chí của Bộ chỉ số.");
	doc_heading(d, "II. ĐỐI TƯỢNG, PHẠM VI");
	plan_scope(c, d);
	doc_heading(d, "III. CHỈ TIÊU");
	if (!c->ntargets) doc_text(d, 0, "Đợt đánh giá không đặt chỉ tiêu.");
	for (size_t i = 0; i < c->ntargets; i++)
		doc_text(d, 0, "- %s: %d%%.", target_label(c, &c->targets[i]), c->targets[i].share_percent);
	doc_heading(d, "IV. NỘI DUNG VÀ THỜI GIAN THỰC HIỆN");
	plan_timeline(c, d);
	doc_heading(d, "V. TỔ CHỨC THỰC HIỆN");
	doc_heading(d, "1. %s", c->office.name);
	doc_text(d, 0, "- Ban hành kế hoạch, hướng dẫn, giám sát; thành lập Đoàn kiểm tra, đánh giá ngoài và công nhận mức độ chuyển đổi số "
		"cho các cơ sở giáo dục; công bố kết quả.");
	doc_text(d, 0, "- Báo cáo kết quả về cấp trên%s.", c->round.report_due ? arena_printf(c->a, " trước ngày %s", date_short(c, c->round.report_due)) : "");
	doc_heading(d, "2. Các cơ sở giáo dục");
	doc_text(d, 0, "- Tự đánh giá, chấm điểm theo các tiêu chí của Bộ chỉ số; thủ trưởng đơn vị ban hành Quyết định phê duyệt kết quả tự đánh giá.");
	doc_text(d, 0, "- Gửi tờ trình đề nghị đánh giá ngoài và báo cáo kết quả tự đánh giá%s; công khai kết quả tự đánh giá trên cổng thông tin điện tử của đơn vị.",
		c->round.self_due ? arena_printf(c->a, " trước ngày %s", date_short(c, c->round.self_due)) : "");
	doc_text(d, 0, "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo kịp thời về %s để được hướng dẫn./.", c->office.name);
	const char *sup = arena_printf(c->a, "%s (để b/c);", c->parent_name ? short_name(c, c->parent_name) : "Cấp trên trực tiếp");
	const char *rec[] = { sup, "Các cơ sở giáo dục (để t/h);", "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, NULL);
}

/* ---- the visit schedule ----------------------------------------------------------------- */

static const char *members_text(doc_ctx *c, const round_visit *v)
{
	buf b;
	buf_init(&b);
	for (size_t k = 0; k < v->nmembers; k++) buf_printf(&b, "%s%s", k ? ", " : "", v->members[k].full_name);
	const char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* The remarks of visit i: each conflict it takes part in, in words. */
static const char *visit_remarks(doc_ctx *c, const visit_conflict *cf, size_t ncf, size_t i)
{
	buf b;
	buf_init(&b);
	for (size_t k = 0; k < ncf; k++) {
		if (cf[k].first != i && cf[k].second != i) continue;
		const round_visit *other = &c->visits[cf[k].first == i ? cf[k].second : cf[k].first];
		if (cf[k].kind == VISIT_MEMBER_TWICE)
			buf_printf(&b, "%sTRÙNG LỊCH: %s cùng ngày kiểm tra %s", b.len ? "; " : "", cf[k].member->full_name, other->unit_name);
		else
			buf_printf(&b, "%sĐƠN VỊ CÓ HAI LỊCH: ngày %s và ngày %s", b.len ? "; " : "", date_short(c, c->visits[cf[k].first].date),
				date_short(c, c->visits[cf[k].second].date));
	}
	const char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static size_t units_visited(const doc_ctx *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nvisits; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) seen = c->visits[j].unit_id == c->visits[i].unit_id;
		n += !seen;
	}
	return n;
}

void build_schedule(doc_ctx *c, doc *d)
{
	doc_head(c, d, "THÔNG BÁO", arena_printf(c->a, "Lịch kiểm tra, đánh giá ngoài mức độ chuyển đổi số\ncủa các cơ sở giáo dục năm học %s",
		c->school_year));
	doc_text(d, DOC_I, "Căn cứ %s;", plan_cite(c));
	const char *team_dec = team_cite(c);
	if (team_dec) doc_text(d, DOC_I, "Căn cứ %s;", team_dec);
	doc_text(d, 0, "%s thông báo lịch kiểm tra, đánh giá ngoài mức độ chuyển đổi số tại các cơ sở giáo dục như sau:", c->office.name);
	size_t ncf = 0;
	visit_conflict *cf = visit_conflicts(c->a, c->visits, c->nvisits, &ncf);
	static const double w[] = { 0.8, 1.9, 4.4, 4.2, 3.6 };
	doc_table *t = doc_table_add(d, 5, w);
	t->size = 12;
	static const char *const h[] = { "TT", "Ngày", "Đơn vị được kiểm tra", "Thành viên Đoàn", "Ghi chú" };
	head_row(d, t, h, ARRAY_LEN(h));
	for (size_t i = 0; i < c->nvisits; i++) {
		const round_visit *v = &c->visits[i];
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", date_short(c, v->date));
		doc_cellf(d, r, DOC_LEFT, 0, "%s", v->unit_name);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", members_text(c, v));
		const char *remarks = visit_remarks(c, cf, ncf, i);
		doc_cellf(d, r, DOC_LEFT, *remarks ? DOC_B : 0, "%s%s%s", remarks, *remarks && v->note ? "; " : "", v->note ? v->note : "");
	}
	if (!c->nvisits) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *p = doc_cell_add(d, r, DOC_CENTER, 5);
		doc_run_add(d, p, DOC_I, "(chưa lập lịch kiểm tra)");
	}
	size_t visited = units_visited(c);
	doc_text(d, 0, "Tổng số: %zu lượt kiểm tra tại %zu đơn vị; số đơn vị của đợt chưa có lịch kiểm tra: %zu.", c->nvisits, visited,
		c->nunits > visited ? c->nunits - visited : 0);
	if (ncf) {
		size_t twice = 0, busy = 0;
		for (size_t k = 0; k < ncf; k++) {
			if (cf[k].kind == VISIT_UNIT_TWICE) twice++;
			else busy++;
		}
		doc_text(d, DOC_B, "Lưu ý: lịch có %zu trường hợp trùng lịch: %zu trường hợp một thành viên kiểm tra hai nơi trong cùng một ngày, "
			"%zu trường hợp một đơn vị được kiểm tra hai lần (xem cột Ghi chú); đề nghị điều chỉnh trước khi ban hành.", ncf, busy, twice);
	} else {
		doc_text(d, 0, "Lịch không có thành viên nào kiểm tra hai nơi trong cùng một ngày, không có đơn vị nào được kiểm tra hai lần.");
	}
	doc_text(d, 0, "Các đơn vị có tên trên chuẩn bị hồ sơ tự đánh giá, minh chứng và bố trí thành phần làm việc với Đoàn; "
		"thành viên Đoàn thực hiện kiểm tra theo đúng lịch./.");
	const char *rec[] = { "Các cơ sở giáo dục có tên trên;", "Thành viên Đoàn kiểm tra;", "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, NULL);
}

/* ---- the list proposed for recognition --------------------------------------------------- */

bool doc_unit_proposed(const doc_unit *u)
{
	wf_state st = wf_state_parse(u->as.state);
	return (st == WF_EVALUATED || st == WF_RECOGNISED || st == WF_PUBLISHED) && u->as.external_level > 0;
}

static const char *team_head(doc_ctx *c)
{
	for (size_t i = 0; i < c->nteam; i++)
		if (c->team[i].post == TEAM_HEAD) return c->team[i].full_name;
	return NULL;
}

static const char *group_points(doc_ctx *c, const doc_unit *u, size_t g)
{
	const score_result *r = u->ext;
	if (!r || !u->fw || u->fw->basis != BASIS_GROUPS || g >= u->fw->ngroups) return "—";
	return dq(c, score_node(r, &u->fw->groups[g])->points);
}

void build_proposal(doc_ctx *c, doc *d)
{
	doc_head(c, d, "TỜ TRÌNH", arena_printf(c->a, "Về việc đề nghị công nhận mức độ chuyển đổi số\ncủa các cơ sở giáo dục năm học %s",
		c->school_year));
	doc_para *to = doc_line(d, DOC_CENTER, 0, "Kính gửi: Lãnh đạo %s.", c->office.name);
	to->space_before = 4;
	doc_text(d, DOC_I, "Căn cứ %s;", plan_cite(c));
	const char *team_dec = team_cite(c);
	if (team_dec) doc_text(d, DOC_I, "Căn cứ %s;", team_dec);
	doc_text(d, DOC_I, "Căn cứ kết quả kiểm tra, đánh giá ngoài tại các cơ sở giáo dục,");
	int at[4] = { 0 }, total = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		if (!doc_unit_proposed(&c->units[i])) continue;
		total++;
		at[c->units[i].as.external_level]++;
	}
	doc_text(d, 0, "Đoàn kiểm tra, đánh giá ngoài đề nghị %s công nhận mức độ chuyển đổi số năm học %s đối với %d cơ sở giáo dục "
		"(có danh sách kèm theo), trong đó: Mức 3: %d đơn vị; Mức 2: %d đơn vị; Mức 1: %d đơn vị.",
		c->office.name, c->school_year, total, at[3], at[2], at[1]);
	size_t pending = c->nunits - (size_t)total;
	doc_text(d, 0, "Số đơn vị của đợt chưa hoàn thành đánh giá ngoài, chưa đưa vào danh sách: %zu.", pending);
	doc_text(d, 0, "Kính trình Lãnh đạo %s xem xét, quyết định./.", c->office.name);
	const char *rec[] = { "Như trên;", "Lưu: VT, Đoàn KT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	const char *who = c->p->signer ? c->p->signer : team_head(c);
	doc_sign(d, c->p->signer_title ? c->p->signer_title : "TM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN", "(Ký, ghi rõ họ tên)", who);

	doc_annex(d);
	doc_line(d, DOC_CENTER, DOC_B, "DANH SÁCH CƠ SỞ GIÁO DỤC ĐỀ NGHỊ CÔNG NHẬN\nMỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM HỌC %s", c->school_year);
	doc_line(d, DOC_CENTER, DOC_I, "%s", doc_annex_ref(c, "Tờ trình"));
	static const double w[] = { 0.8, 5.0, 1.7, 1.3, 1.3, 1.8, 2.2 };
	doc_table *t = doc_table_add(d, 7, w);
	t->size = 12;
	static const char *const h[] = { "TT", "Tên đơn vị", "Loại hình", "Điểm nhóm 1", "Điểm nhóm 2", "Mức tự đánh giá", "Mức đề nghị công nhận" };
	head_row(d, t, h, ARRAY_LEN(h));
	size_t k = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		const doc_unit *u = &c->units[i];
		if (!doc_unit_proposed(u)) continue;
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", ++k);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", u->u.name);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", unit_type_words(u->u.type));
		if (u->ext && u->fw && u->fw->basis == BASIS_TOTAL) {
			doc_para *p = doc_cell_add(d, r, DOC_CENTER, 2);
			doc_run_add(d, p, 0, "Tổng: %s", dq(c, u->ext->total));
		} else {
			doc_cellf(d, r, DOC_CENTER, 0, "%s", group_points(c, u, 0));
			doc_cellf(d, r, DOC_CENTER, 0, "%s", group_points(c, u, 1));
		}
		doc_cellf(d, r, DOC_CENTER, 0, "%s", u->as.self_level ? arena_printf(c->a, "Mức %d", (int)u->as.self_level) : "—");
		doc_cellf(d, r, DOC_CENTER, DOC_B, "Mức %d", (int)u->as.external_level);
	}
	if (!k) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *p = doc_cell_add(d, r, DOC_CENTER, 7);
		doc_run_add(d, p, DOC_I, "(chưa có đơn vị hoàn thành đánh giá ngoài)");
	}
	doc_derived_basis_round(c, d);
}

/* ---- spreadsheets ---------------------------------------------------------------------------- */

static bool close_book(lxw_workbook *wb, buf *err)
{
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		buf_printf(err, "không ghi được tệp XLSX: %s\n", lxw_strerror(e));
		return false;
	}
	return true;
}

bool xlsx_schedule(doc_ctx *c, const char *path, buf *err)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb) { buf_printf(err, "không tạo được tệp XLSX\n"); return false; }
	xlsx_fmt x;
	xlsx_fmt_init(wb, &x);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Lịch kiểm tra");
	worksheet_write_string(ws, 0, 0, arena_printf(c->a, "Lịch kiểm tra, đánh giá ngoài năm học %s — %s", c->school_year, c->office.name), x.title);
	worksheet_write_string(ws, 1, 0, c->round.title, NULL);
	static const char *const h[] = { "TT", "Ngày", "Mã đơn vị", "Tên đơn vị", "Thành viên Đoàn", "Trùng lịch", "Ghi chú" };
	static const double w[] = { 5, 12, 12, 42, 40, 40, 24 };
	xlsx_fmt_headers(ws, &x, 3, h, w, ARRAY_LEN(h));
	size_t ncf = 0;
	visit_conflict *cf = visit_conflicts(c->a, c->visits, c->nvisits, &ncf);
	lxw_row_t row = 4;
	for (size_t i = 0; i < c->nvisits; i++, row++) {
		const round_visit *v = &c->visits[i];
		worksheet_write_number(ws, row, 0, (double)(i + 1), x.center);
		worksheet_write_string(ws, row, 1, date_short(c, v->date), x.center);
		worksheet_write_string(ws, row, 2, v->unit_code, x.text);
		worksheet_write_string(ws, row, 3, v->unit_name, x.wrap);
		worksheet_write_string(ws, row, 4, members_text(c, v), x.wrap);
		worksheet_write_string(ws, row, 5, visit_remarks(c, cf, ncf, i), x.wrap);
		worksheet_write_string(ws, row, 6, v->note ? v->note : "", x.wrap);
	}
	worksheet_autofilter(ws, 3, 0, row > 4 ? row - 1 : 4, (lxw_col_t)(ARRAY_LEN(h) - 1));
	return close_book(wb, err);
}

bool xlsx_proposal(doc_ctx *c, const char *path, buf *err)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb) { buf_printf(err, "không tạo được tệp XLSX\n"); return false; }
	xlsx_fmt x;
	xlsx_fmt_init(wb, &x);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Đề nghị công nhận");
	worksheet_write_string(ws, 0, 0, arena_printf(c->a, "Danh sách đề nghị công nhận mức độ chuyển đổi số năm học %s — %s",
		c->school_year, c->office.name), x.title);
	worksheet_write_string(ws, 1, 0, c->round.title, NULL);
	static const char *const h[] = { "TT", "Mã đơn vị", "Tên đơn vị", "Loại hình", "Điểm nhóm 1", "Điểm nhóm 2", "Mức tự đánh giá", "Mức đề nghị công nhận" };
	static const double w[] = { 5, 12, 42, 14, 11, 11, 14, 18 };
	xlsx_fmt_headers(ws, &x, 3, h, w, ARRAY_LEN(h));
	lxw_row_t row = 4;
	for (size_t i = 0; i < c->nunits; i++) {
		const doc_unit *u = &c->units[i];
		if (!doc_unit_proposed(u)) continue;
		worksheet_write_number(ws, row, 0, (double)(row - 3), x.center);
		worksheet_write_string(ws, row, 1, u->u.code, x.text);
		worksheet_write_string(ws, row, 2, u->u.name, x.wrap);
		worksheet_write_string(ws, row, 3, unit_type_words(u->u.type), x.center);
		bool groups = u->ext && u->fw && u->fw->basis == BASIS_GROUPS;
		for (size_t g = 0; g < 2; g++) {
			if (groups && g < u->fw->ngroups)
				worksheet_write_number(ws, row, (lxw_col_t)(4 + g), q_to_double(score_node(u->ext, &u->fw->groups[g])->points), x.points);
			else
				worksheet_write_blank(ws, row, (lxw_col_t)(4 + g), x.points);
		}
		if (u->as.self_level) worksheet_write_number(ws, row, 6, (double)u->as.self_level, x.center);
		else worksheet_write_blank(ws, row, 6, x.center);
		worksheet_write_number(ws, row, 7, (double)u->as.external_level, x.center);
		row++;
	}
	worksheet_autofilter(ws, 3, 0, row > 4 ? row - 1 : 4, 7);
	return close_book(wb, err);
}
