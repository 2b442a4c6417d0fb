/* doc_school.c — the school's documents (doc_set.h): self-assessment plan,
 * council decision, minutes, self-assessment report (with the
 * self-inspection data of seed 003), approval decision, request for
 * external evaluation, evidence catalogue. Each builder fills the document
 * model from the loaded context (doc_build.h); the wording follows the
 * documents schools issue today (the seeds). */
#include "doc_build.h"
#include "q_submission.h"
#include "util.h"
#include <stdio.h>
#include <string.h>

/* "Hội đồng tự đánh giá" or "Tổ công tác tự kiểm tra, đánh giá". */
static const char *body_name(doc_ctx *c)
{
	return c->has_council && c->cn.kind && !strcmp(c->cn.kind, "to_cong_tac")
		? "Tổ công tác tự kiểm tra, đánh giá" : "Hội đồng tự đánh giá";
}

static const char *office_short(doc_ctx *c)
{
	return c->office.name;
}

/* The level bands of a framework in words: "Mức 2 (đáp ứng cơ bản): tổng
 * điểm của mỗi nhóm tiêu chí từ 50 đến 75 điểm." */
static void level_rules(doc_ctx *c, doc *d, const framework *fw)
{
	const char *subject = fw->basis == BASIS_GROUPS ? "tổng điểm của mỗi nhóm tiêu chí" : "tổng điểm";
	for (size_t i = 0; i < fw->nlevels; i++) {
		const fw_band *b = &fw->levels[i];
		const fw_band *nx = i + 1 < fw->nlevels ? &fw->levels[i + 1] : NULL;
		const char *range;
		const char *lo = b->has_from ? dq(c, b->from) : b->has_above ? dq(c, b->above) : NULL;
		const char *hi = nx ? dq(c, nx->has_from ? nx->from : nx->above) : NULL;
		bool hi_incl = nx && nx->has_above;     /* the next starts above: this one reaches it */
		if (!lo && hi) range = arena_printf(c->a, "%s %s điểm", hi_incl ? "không quá" : "dưới", hi);
		else if (lo && !hi) range = arena_printf(c->a, "%s %s điểm", b->has_above ? "trên" : "từ", lo);
		else if (lo && hi) range = arena_printf(c->a, "%s %s đến %s%s điểm", b->has_above ? "trên" : "từ", lo,
		                                        hi_incl ? "" : "dưới ", hi);
		else range = "";
		doc_text(d, 0, "- %s: %s %s.", level_words(c, b), subject, range);
	}
}

static const char *member_name(doc_ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].id == id) return c->members[i].full_name;
	return "";
}

/* ---- Kế hoạch ------------------------------------------------------------------ */

void build_plan(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "KẾ HOẠCH", arena_printf(c->a, "Tự kiểm tra, đánh giá mức độ chuyển đổi số\nnăm học %s", c->school_year));
	doc_basis(c, d, u->fw, 0);
	doc_text(d, 0, "Thực hiện %s,", plan_cite(c));
	doc_text(d, 0, "%s xây dựng Kế hoạch tự kiểm tra, đánh giá mức độ chuyển đổi số năm học %s với các nội dung cụ thể như sau:",
		unit_name(u), c->school_year);

	doc_heading(d, "I. MỤC ĐÍCH, YÊU CẦU");
	doc_heading(d, "1. Mục đích");
	doc_text(d, 0, "- Nắm rõ thực trạng triển khai các nhiệm vụ ứng dụng công nghệ thông tin, chuyển đổi số trong nhà trường; những khó khăn, vướng mắc trong quá trình thực hiện để kịp thời chỉ đạo, khắc phục.");
	doc_text(d, 0, "- Đối chiếu, tự đánh giá, bổ sung minh chứng theo Bộ chỉ số; trên cơ sở đó định hướng nhiệm vụ chuyển đổi số trong các năm học tiếp theo.");
	doc_heading(d, "2. Yêu cầu");
	doc_text(d, 0, "- Việc tự kiểm tra, đánh giá bảo đảm khách quan, trung thực, đúng quy định; không gây trở ngại đến hoạt động dạy và học của nhà trường.");
	doc_text(d, 0, "- Mỗi tiêu chí có minh chứng được thu thập, lập danh mục và mã hóa; kết quả được tổng hợp thành báo cáo cụ thể, rõ ràng, chỉ rõ tồn tại, hạn chế và đề xuất, kiến nghị (nếu có).");

	doc_heading(d, "II. NỘI DUNG, PHƯƠNG THỨC THỰC HIỆN");
	doc_heading(d, "1. Đối tượng");
	doc_text(d, 0, "Toàn bộ đội ngũ cán bộ, giáo viên, nhân viên, các bộ phận và tổ chức đoàn thể trong nhà trường.");
	doc_heading(d, "2. Thời gian và hình thức");
	if (c->round.self_due)
		doc_text(d, 0, "Hoàn thành tự kiểm tra, đánh giá trước ngày %s; hình thức: trực tiếp tại nhà trường.", date_short(c, c->round.self_due));
	else
		doc_text(d, 0, "Thời gian: theo kế hoạch của %s; hình thức: trực tiếp tại nhà trường.", office_short(c));
	doc_heading(d, "3. Nội dung");
	if (u->fw) {
		doc_text(d, 0, "Tự kiểm tra, đánh giá theo %s, gồm %zu nhóm tiêu chí:", u->fw->title, u->fw->ngroups);
		for (size_t g = 0; g < u->fw->ngroups; g++)
			doc_text(d, 0, "+ Nhóm tiêu chí “%s” (tối đa %s điểm).", u->fw->groups[g].title, dq(c, u->fw->groups[g].max));
		doc_heading(d, "4. Đánh giá mức độ chuyển đổi số");
		doc_text(d, 0, "Mức độ chuyển đổi số được đánh giá theo %s, mỗi mức như sau:",
			u->fw->basis == BASIS_GROUPS ? "từng nhóm tiêu chí, thang điểm tối đa 100" : "tổng điểm");
		level_rules(c, d, u->fw);
	}
	doc_heading(d, "5. Hồ sơ tự đánh giá");
	static const char *const files[] = { "Kế hoạch tự kiểm tra, đánh giá;",
		"Quyết định thành lập Hội đồng tự đánh giá (tổ công tác);", "Danh mục minh chứng;",
		"Biên bản họp Hội đồng tự đánh giá;", "Báo cáo kết quả tự đánh giá;",
		"Quyết định phê duyệt kết quả tự đánh giá;", "Tờ trình đề nghị đánh giá ngoài." };
	for (size_t i = 0; i < ARRAY_LEN(files); i++) doc_text(d, 0, "- %s", files[i]);

	doc_heading(d, "III. TỔ CHỨC THỰC HIỆN");
	if (c->ntasks) {
		doc_text(d, 0, "Phân công nhiệm vụ cụ thể như sau:");
		static const double w[] = { 0.95, 5, 2.2, 3, 2.6 };
		doc_table *t = doc_table_add(d, 5, w);
		doc_row *h = doc_row_add(d, t, true);
		doc_cellf(d, h, DOC_CENTER, 0, "TT");
		doc_cellf(d, h, DOC_CENTER, 0, "Nội dung công việc");
		doc_cellf(d, h, DOC_CENTER, 0, "Thời gian hoàn thành");
		doc_cellf(d, h, DOC_CENTER, 0, "Người thực hiện");
		doc_cellf(d, h, DOC_CENTER, 0, "Người chịu trách nhiệm chính");
		for (size_t i = 0; i < c->ntasks; i++) {
			const council_task *k = &c->tasks[i];
			doc_row *r = doc_row_add(d, t, false);
			doc_cellf(d, r, DOC_CENTER, 0, "%d", k->seq);
			doc_cellf(d, r, DOC_LEFT, 0, "%s", k->title);
			doc_cellf(d, r, DOC_CENTER, 0, "%s", k->due_label ? k->due_label : k->due ? date_short(c, k->due) : "");
			buf who;
			buf_init(&who);
			for (size_t m = 0; m < k->nmembers; m++) buf_printf(&who, "%s%s", m ? ", " : "", member_name(c, k->member_ids[m]));
			doc_cellf(d, r, DOC_LEFT, 0, "%s", buf_str(&who));
			buf_free(&who);
			doc_cellf(d, r, DOC_LEFT, 0, "%s", k->owner_member_id ? member_name(c, k->owner_member_id) : "");
		}
	} else {
		doc_text(d, 0, "- Thành lập %s năm học %s.", body_name(c), c->school_year);
		doc_text(d, 0, "- Tiến hành thu thập, tập hợp, lập danh mục minh chứng theo các tiêu chí của Bộ chỉ số.");
		doc_text(d, 0, "- Thực hiện tự đánh giá, chấm điểm mức độ chuyển đổi số theo các tiêu chí của Bộ chỉ số; Hiệu trưởng ban hành quyết định phê duyệt kết quả tự đánh giá.");
	}
	doc_text(d, 0, "- Báo cáo kết quả tự đánh giá về %s%s%s; cập nhật kết quả tự đánh giá lên cổng thông tin điện tử của nhà trường.",
		office_short(c), c->round.self_due ? " trước ngày " : "", c->round.self_due ? date_short(c, c->round.self_due) : "");
	doc_text(d, 0, "Trên đây là Kế hoạch tự kiểm tra, đánh giá mức độ chuyển đổi số năm học %s của %s. Đề nghị các đồng chí cán bộ, giáo viên, nhân viên căn cứ kế hoạch triển khai thực hiện. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc báo cáo về Ban giám hiệu để được hướng dẫn./.",
		c->school_year, unit_name(u));
	const char *rec[] = { arena_printf(c->a, "%s (để b/c);", short_name(c, office_short(c))), "CB, GV, NV nhà trường (để t/h);", "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, council_chair(c));
}

/* ---- Quyết định thành lập Hội đồng -------------------------------------------- */

static void authority(doc_ctx *c, doc *d)
{
	doc_para *p = doc_line(d, DOC_CENTER, DOC_B, "%s", c->authority);
	p->space_before = 6;
}

static const char *post_duty(council_post p)
{
	switch (p) {
	case COUNCIL_CHU_TICH: return "Chỉ đạo, điều hành toàn bộ hoạt động tự đánh giá; chủ trì các cuộc họp; chịu trách nhiệm về kết quả tự đánh giá.";
	case COUNCIL_PHO_CHU_TICH: return "Giúp Chủ tịch điều hành; chỉ đạo thu thập minh chứng và chấm điểm các tiêu chí được phân công.";
	case COUNCIL_THU_KY: return "Tổng hợp minh chứng, lập danh mục minh chứng; ghi biên bản; dự thảo báo cáo kết quả tự đánh giá.";
	case COUNCIL_UY_VIEN: return "Thu thập minh chứng, tự đánh giá, chấm điểm các tiêu chí được phân công.";
	case COUNCIL_POST_INVALID: break;
	}
	return "";
}

void build_council(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "QUYẾT ĐỊNH", arena_printf(c->a, "Về việc thành lập %s mức độ chuyển đổi số\nnăm học %s",
		body_name(c), c->school_year));
	authority(c, d);
	doc_basis(c, d, u->fw, DOC_I);
	doc_text(d, DOC_I, "Căn cứ %s;", plan_cite(c));
	doc_text(d, DOC_I, "Căn cứ Kế hoạch tự kiểm tra, đánh giá mức độ chuyển đổi số năm học %s của %s;", c->school_year, unit_name(u));
	doc_text(d, DOC_I, "Xét năng lực và nhiệm vụ của cán bộ, giáo viên, nhân viên nhà trường,");
	doc_para *decide = doc_line(d, DOC_CENTER, DOC_B, "QUYẾT ĐỊNH:");
	decide->space_before = 4;
	doc_para *p = doc_text(d, DOC_B, "Điều 1. ");
	doc_run_add(d, p, 0, "Thành lập %s mức độ chuyển đổi số năm học %s của %s gồm các ông (bà) có tên sau:",
		body_name(c), c->school_year, unit_name(u));
	static const double w[] = { 0.95, 3.6, 2.8, 2.2, 2.6 };
	doc_table *t = doc_table_add(d, 5, w);
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Họ và tên");
	doc_cellf(d, h, DOC_CENTER, 0, "Chức vụ");
	doc_cellf(d, h, DOC_CENTER, 0, "Nhiệm vụ");
	doc_cellf(d, h, DOC_CENTER, 0, "Tiêu chí phụ trách");
	for (size_t i = 0; i < c->nmembers; i++) {
		const council_member *m = &c->members[i];
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", m->full_name);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", m->job_title ? m->job_title : "");
		doc_cellf(d, r, DOC_LEFT, 0, "%s", council_post_label(m->post));
		buf it;
		buf_init(&it);
		for (size_t k = 0; k < m->nitems; k++) buf_printf(&it, "%s%s", k ? ", " : "", m->items[k]);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", buf_str(&it));
		buf_free(&it);
	}
	if (!c->nmembers) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *e = doc_cell_add(d, r, DOC_CENTER, 5);
		doc_run_add(d, e, DOC_I, "(chưa có thành viên)");
	}
	p = doc_text(d, DOC_B, "Điều 2. ");
	doc_run_add(d, p, 0, "%s có nhiệm vụ tổ chức tự kiểm tra, đánh giá mức độ chuyển đổi số của nhà trường theo Bộ chỉ số; thu thập, lập danh mục minh chứng; chấm điểm các tiêu chí; tổng hợp kết quả, báo cáo Hiệu trưởng phê duyệt. Nhiệm vụ của từng thành viên:",
		body_name(c));
	static const council_post posts[] = { COUNCIL_CHU_TICH, COUNCIL_PHO_CHU_TICH, COUNCIL_THU_KY, COUNCIL_UY_VIEN };
	for (size_t i = 0; i < ARRAY_LEN(posts); i++) {
		bool any = false;
		for (size_t k = 0; k < c->nmembers; k++) any |= c->members[k].post == posts[i];
		if (any) doc_text(d, 0, "- %s: %s", council_post_label(posts[i]), post_duty(posts[i]));
	}
	doc_text(d, 0, "%s tự giải thể sau khi hoàn thành nhiệm vụ.", body_name(c));
	p = doc_text(d, DOC_B, "Điều 3. ");
	doc_run_add(d, p, 0, "Quyết định có hiệu lực kể từ ngày ký. Các bộ phận có liên quan và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.");
	const char *rec[] = { "Như Điều 3;", arena_printf(c->a, "%s (để b/c);", short_name(c, office_short(c))), "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, council_chair(c));
}

/* ---- Biên bản ------------------------------------------------------------------ */

static void members_list(doc_ctx *c, doc *d)
{
	for (size_t i = 0; i < c->nmembers; i++) {
		const council_member *m = &c->members[i];
		doc_text(d, 0, "- Ông (bà) %s%s%s – %s;", m->full_name, m->job_title ? ", " : "", m->job_title ? m->job_title : "",
			council_post_label(m->post));
	}
}

void build_minutes(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "BIÊN BẢN", arena_printf(c->a, "Họp %s mức độ chuyển đổi số\nnăm học %s", body_name(c), c->school_year));
	doc_text(d, 0, "Vào hồi …… giờ …… %s, tại %s, %s họp để thống nhất kết quả tự đánh giá mức độ chuyển đổi số năm học %s.",
		c->date_given ? c->date_words : "ngày …… tháng …… năm ……", unit_name(u), body_name(c), c->school_year);
	doc_heading(d, "I. THÀNH PHẦN");
	if (c->has_council && c->cn.decision_number)
		doc_text(d, 0, "%s được thành lập theo Quyết định số %s%s%s, gồm:", body_name(c), c->cn.decision_number,
			c->cn.decision_date ? " " : "", c->cn.decision_date ? date_words(c, c->cn.decision_date) : "");
	else
		doc_text(d, 0, "%s gồm:", body_name(c));
	members_list(c, d);
	const char *chair = council_chair(c), *sec = council_secretary(c);
	doc_text(d, 0, "Chủ trì: %s. Thư ký: %s.", chair ? chair : "……", sec ? sec : "……");
	doc_heading(d, "II. NỘI DUNG");
	doc_text(d, 0, "1. Các thành viên báo cáo kết quả thu thập minh chứng, tự đánh giá và chấm điểm các tiêu chí được phân công.");
	doc_text(d, 0, "2. %s thảo luận, đối chiếu minh chứng và thống nhất kết quả tự đánh giá từng tiêu chí như sau:", body_name(c));
	score_table(c, d, u, ST_EVIDENCE);
	doc_text(d, 0, "3. Tổng hợp kết quả:");
	group_table(c, d, u, u->self);
	doc_heading(d, "III. KẾT LUẬN");
	doc_text(d, 0, "Kết quả tự đánh giá của %s năm học %s: %s.", unit_name(u), c->school_year, result_sentence(c, u, u->self));
	doc_text(d, 0, "%s thống nhất đề nghị Hiệu trưởng ban hành quyết định phê duyệt kết quả tự đánh giá và gửi hồ sơ đề nghị đánh giá ngoài về %s.",
		body_name(c), office_short(c));
	doc_text(d, 0, "Cuộc họp kết thúc vào hồi …… giờ …… cùng ngày. Biên bản đã được thông qua trước %s và các thành viên nhất trí./.", body_name(c));
	doc_sign(d, "THƯ KÝ", "(Ký, ghi rõ họ tên)", sec);
	doc_sign(d, c->has_council && !strcmp(c->cn.kind, "to_cong_tac") ? "TỔ TRƯỞNG" : "CHỦ TỊCH HỘI ĐỒNG",
		"(Ký, ghi rõ họ tên)", c->p->signer ? c->p->signer : chair);
}

/* ---- Báo cáo ------------------------------------------------------------------- */

static const char *count_words(doc_ctx *c, int64_t v)
{
	return v == INSPECTION_UNKNOWN ? "……" : arena_printf(c->a, "%lld", (long long)v);
}

/* "150.000" — Vietnamese thousands separators. */
static const char *money(doc_ctx *c, int64_t v)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", (long long)v);
	size_t n = strlen(digits);
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0) buf_putc(&b, '.');
		buf_putc(&b, digits[i]);
	}
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* One line of dots to fill in by hand (an indented 14 pt line holds 28). */
#define DOTS "………………………………………………………………………"

/* Free text as paragraphs, one per line; dots to fill in when empty. */
static void free_text(doc *d, const char *s)
{
	if (!s || !*s) {
		doc_text(d, 0, "%s", DOTS);
		return;
	}
	const char *p = s;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n) doc_text(d, 0, "%.*s", (int)n, p);
		if (!nl) break;
		p = nl + 1;
	}
}

/* A file name that wraps at its separators ("ke_hoach_2026.pdf" after
 * "_" and before ".pdf") rather than anywhere: a zero-width space after
 * each "_" and before the extension's dot. */
static const char *breakable_name(doc_ctx *c, const char *name)
{
	buf b;
	buf_init(&b);
	const char *ext = strrchr(name, '.');
	for (const char *p = name; *p; p++) {
		if (p == ext && p != name) buf_puts(&b, "\u200B");
		buf_putc(&b, *p);
		if (*p == '_') buf_puts(&b, "\u200B");
	}
	const char *out = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The software in use: name, purpose, vendor, fee (seed 003, II.1 item 4). */
static void software_table(doc_ctx *c, doc *d)
{
	doc_text(d, 0, "Các phần mềm đang sử dụng trong nhà trường:");
	static const double w[] = { 0.95, 2.3, 3.6, 2.0, 1.5, 3.2 };
	doc_table *t = doc_table_add(d, 6, w);
	t->size = 12;
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Tên phần mềm");
	doc_cellf(d, h, DOC_CENTER, 0, "Mục đích sử dụng");
	doc_cellf(d, h, DOC_CENTER, 0, "Đơn vị cung cấp");
	doc_cellf(d, h, DOC_CENTER, 0, "Thu phí");
	doc_cellf(d, h, DOC_CENTER, 0, "Mức phí");
	for (size_t i = 0; i < c->nsw; i++) {
		const software_use *sw = &c->sw[i];
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", sw->name);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", sw->purpose ? sw->purpose : "");
		doc_cellf(d, r, DOC_LEFT, 0, "%s", sw->vendor ? sw->vendor : "");
		doc_cellf(d, r, DOC_CENTER, 0, "%s", sw->paid ? "Có" : "Không");
		if (sw->paid && sw->fee_vnd)
			doc_cellf(d, r, DOC_LEFT, 0, "%s đồng%s", money(c, sw->fee_vnd), sw->fee_note ? sw->fee_note : "");
		else
			doc_cellf(d, r, DOC_LEFT, 0, "%s", sw->paid && sw->fee_note ? sw->fee_note : "");
	}
	if (!c->nsw) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *e = doc_cell_add(d, r, DOC_CENTER, 6);
		doc_run_add(d, e, DOC_I, "(chưa kê khai)");
	}
}

/* Criterion 2.1's "(thông tin: Họ tên, chức vụ, email, điện thoại)";
 * dots for what was not given. */
static void contact_line(doc *d, const self_inspection *s)
{
#define OR_DOTS(x) ((x) && *(x) ? (x) : "……………")
	doc_text(d, 0, "Bộ phận phụ trách ứng dụng CNTT, chuyển đổi số (tiêu chí 2.1) — họ tên: %s; chức vụ: %s; "
		"email: %s; điện thoại: %s.", OR_DOTS(s->contact_name), OR_DOTS(s->contact_title),
		OR_DOTS(s->contact_email), OR_DOTS(s->contact_phone));
#undef OR_DOTS
}

void build_report(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "BÁO CÁO", arena_printf(c->a, "Kết quả tự kiểm tra, đánh giá mức độ chuyển đổi số\nnăm học %s", c->school_year));
	doc_text(d, 0, "Thực hiện %s, %s báo cáo kết quả tự kiểm tra, đánh giá mức độ chuyển đổi số năm học %s như sau:",
		plan_cite(c), unit_name(u), c->school_year);

	doc_heading(d, "I. ĐẶC ĐIỂM TÌNH HÌNH NHÂN SỰ");
	const self_inspection *s = &c->insp;
	static const self_inspection blank = { .staff_total = INSPECTION_UNKNOWN, .managers = INSPECTION_UNKNOWN,
		.principals = INSPECTION_UNKNOWN, .vice_principals = INSPECTION_UNKNOWN, .teachers = INSPECTION_UNKNOWN,
		.teachers_surplus = INSPECTION_UNKNOWN, .teachers_shortage = INSPECTION_UNKNOWN, .staff = INSPECTION_UNKNOWN,
		.staff_in_quota = INSPECTION_UNKNOWN, .staff_school_contract = INSPECTION_UNKNOWN };
	if (!c->has_inspection) s = &blank;
	doc_text(d, 0, "- Tổng số CB-GV-CNV: %s người. Trong đó:", count_words(c, s->staff_total));
	doc_text(d, 0, "+ Cán bộ quản lý: %s người (Hiệu trưởng: %s người, Phó Hiệu trưởng: %s người);",
		count_words(c, s->managers), count_words(c, s->principals), count_words(c, s->vice_principals));
	doc_text(d, 0, "+ Giáo viên: %s người (thừa: %s; thiếu: %s);", count_words(c, s->teachers),
		count_words(c, s->teachers_surplus), count_words(c, s->teachers_shortage));
	doc_text(d, 0, "+ Nhân viên: %s người (hợp đồng trong chỉ tiêu biên chế: %s; hợp đồng trường: %s).",
		count_words(c, s->staff), count_words(c, s->staff_in_quota), count_words(c, s->staff_school_contract));

	/* seed 003 is the preschools' form: their report keeps its headings word for word */
	bool seed = !strcmp(u->u.type, "mam_non");
	doc_heading(d, "II. NỘI DUNG TỰ KIỂM TRA");
	doc_heading(d, seed ? "1. Công tác ứng dụng công nghệ thông tin và chuyển đổi số khác"
	                    : "1. Công tác ứng dụng công nghệ thông tin và chuyển đổi số");
	if (s->work_summary && *s->work_summary) free_text(d, s->work_summary);
	for (size_t i = 0; i < INSPECTION_NWORK; i++) {
		doc_heading(d, "1.%zu. %s", i + 1, inspection_work_heading(i));
		free_text(d, s->work[i]);
		if (i == 3) software_table(c, d);   /* "các phần mềm khác đang sử dụng trong nhà trường" */
	}

	doc_heading(d, seed ? "2. Kiểm tra các nội dung theo Bộ chỉ số đánh giá mức độ chuyển đổi số"
	                    : "2. Kết quả tự đánh giá theo Bộ chỉ số");
	const char *basis = framework_basis(c, u->fw);
	if (basis) doc_text(d, 0, "Căn cứ %s, kết quả tự đánh giá từng tiêu chí (kèm mã minh chứng) như sau:", basis);
	else doc_text(d, 0, "Kết quả tự đánh giá từng tiêu chí (kèm mã minh chứng) như sau:");
	score_table(c, d, u, ST_EVIDENCE);
	contact_line(d, s);
	doc_text(d, 0, "Tổng hợp kết quả tự đánh giá:");
	group_table(c, d, u, u->self);
	doc_text(d, 0, "Kết luận: %s.", result_sentence(c, u, u->self));

	doc_heading(d, "III. KIẾN NGHỊ");
	free_text(d, s->recommendations);
	const char *rec[] = { arena_printf(c->a, "%s (để b/c);", short_name(c, office_short(c))), "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, council_chair(c));
}

/* ---- Quyết định phê duyệt -------------------------------------------------------- */

void build_approval(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "QUYẾT ĐỊNH", arena_printf(c->a, "Về việc phê duyệt kết quả tự đánh giá mức độ chuyển đổi số\nnăm học %s", c->school_year));
	authority(c, d);
	doc_basis(c, d, u->fw, DOC_I);
	if (c->has_council && c->cn.decision_number)
		doc_text(d, DOC_I, "Căn cứ Quyết định số %s%s%s về việc thành lập %s mức độ chuyển đổi số năm học %s;",
			c->cn.decision_number, c->cn.decision_date ? " " : "", c->cn.decision_date ? date_words(c, c->cn.decision_date) : "",
			body_name(c), c->school_year);
	doc_text(d, DOC_I, "Căn cứ Biên bản họp %s mức độ chuyển đổi số năm học %s;", body_name(c), c->school_year);
	doc_text(d, DOC_I, "Xét đề nghị của %s,", body_name(c));
	doc_para *decide = doc_line(d, DOC_CENTER, DOC_B, "QUYẾT ĐỊNH:");
	decide->space_before = 4;
	doc_para *p = doc_text(d, DOC_B, "Điều 1. ");
	doc_run_add(d, p, 0, "Phê duyệt kết quả tự đánh giá mức độ chuyển đổi số năm học %s của %s như sau:", c->school_year, unit_name(u));
	group_table(c, d, u, u->self);
	p = doc_text(d, DOC_B, "Điều 2. ");
	doc_run_add(d, p, 0, "Giao %s hoàn thiện hồ sơ, gửi báo cáo và tờ trình đề nghị đánh giá ngoài về %s%s%s; công khai kết quả tự đánh giá trên cổng thông tin điện tử của nhà trường.",
		body_name(c), office_short(c), c->round.self_due ? " trước ngày " : "", c->round.self_due ? date_short(c, c->round.self_due) : "");
	p = doc_text(d, DOC_B, "Điều 3. ");
	doc_run_add(d, p, 0, "Quyết định có hiệu lực kể từ ngày ký. %s, các bộ phận và cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.", body_name(c));
	const char *rec[] = { "Như Điều 3;", arena_printf(c->a, "%s (để b/c);", short_name(c, office_short(c))), "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, council_chair(c));
}

/* ---- Tờ trình ------------------------------------------------------------------ */

void build_request(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "TỜ TRÌNH", arena_printf(c->a, "Đề nghị đánh giá ngoài mức độ chuyển đổi số\nnăm học %s", c->school_year));
	/* the letter the school sent (or is drafting) is the body, as written */
	const char *letter = NULL;
	submission sub;
	submission_draft dr;
	if (submission_latest(c->d, u->as.id, c->a, &sub) == DB_OK) letter = sub.letter;
	else if (submission_draft_get(c->d, u->as.id, c->a, &dr) == DB_OK) letter = dr.letter;
	db_clear_error(c->d);
	/* To the school's direct superior on the round's date (the commune or
	 * ward for a preschool, primary or lower-secondary school since
	 * 1/7/2025) and to the evaluating office when it is another body; once,
	 * unless the stored letter says it itself. */
	bool two = c->parent_name && strcmp(c->parent_name, c->office.name) != 0;
	if (!letter || !strstr(letter, "Kính gửi")) {
		doc_para *k = two ? doc_line(d, DOC_CENTER, 0, "Kính gửi:\n- %s;\n- %s.", c->parent_name, c->office.name)
		                  : doc_line(d, DOC_CENTER, 0, "Kính gửi: %s.", c->office.name);
		k->space_before = 4;
	}
	if (letter) {
		free_text(d, letter);
	} else {
		doc_basis(c, d, u->fw, 0);
		doc_text(d, 0, "Thực hiện %s, %s đã tổ chức tự kiểm tra, đánh giá mức độ chuyển đổi số năm học %s. Kết quả: %s.",
			plan_cite(c), unit_name(u), c->school_year, result_sentence(c, u, u->self));
		doc_derived_basis(c, d, u);
		doc_text(d, 0, "%s kính đề nghị %s tổ chức đánh giá ngoài và công nhận mức độ chuyển đổi số năm học %s của nhà trường.",
			unit_name(u), office_short(c), c->school_year);
	}
	doc_text(d, 0, "Hồ sơ kèm theo gồm:");
	doc_text(d, 0, "1. Kế hoạch tự kiểm tra, đánh giá;");
	if (c->has_council && c->cn.decision_number)
		doc_text(d, 0, "2. Quyết định số %s thành lập %s;", c->cn.decision_number, body_name(c));
	else
		doc_text(d, 0, "2. Quyết định thành lập %s;", body_name(c));
	doc_text(d, 0, "3. Biên bản họp %s;", body_name(c));
	doc_text(d, 0, "4. Báo cáo kết quả tự đánh giá;");
	doc_text(d, 0, "5. Quyết định phê duyệt kết quả tự đánh giá;");
	doc_text(d, 0, "6. Danh mục minh chứng (%zu minh chứng).", c->nev);
	doc_text(d, 0, "Kính trình %s xem xét, quyết định./.", office_short(c));
	if (two) {
		const char *rec[] = { arena_printf(c->a, "%s;", c->office.name), arena_printf(c->a, "%s;", c->parent_name), "Lưu: VT." };
		doc_recipients(c, d, rec, ARRAY_LEN(rec));
	} else {
		const char *rec[] = { "Như trên;", "Lưu: VT." };
		doc_recipients(c, d, rec, ARRAY_LEN(rec));
	}
	doc_signature_std(c, d, council_chair(c));
}

/* ---- Danh mục minh chứng -------------------------------------------------------- */

void build_evidence(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "DANH MỤC MINH CHỨNG", arena_printf(c->a, "Tự đánh giá mức độ chuyển đổi số năm học %s", c->school_year));
	doc_text(d, 0, "Danh mục minh chứng kèm theo Báo cáo kết quả tự đánh giá mức độ chuyển đổi số năm học %s của %s (%zu minh chứng).",
		c->school_year, unit_name(u), c->nev);
	static const double w[] = { 0.95, 2.4, 3.4, 2.5, 2.1, 1.3, 3.2 };   /* file names need the room */
	doc_table *t = doc_table_add(d, 7, w);
	t->size = 12;
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Mã minh chứng");
	doc_cellf(d, h, DOC_CENTER, 0, "Tên minh chứng");
	doc_cellf(d, h, DOC_CENTER, 0, "Số, ngày ban hành");
	doc_cellf(d, h, DOC_CENTER, 0, "Nơi ban hành");
	doc_cellf(d, h, DOC_CENTER, 0, "Tiêu chí");
	doc_cellf(d, h, DOC_CENTER, 0, "Tệp, đường dẫn");
	for (size_t i = 0; i < c->nev; i++) {
		const evidence *e = &c->ev[i];
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", e->code);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", e->title);
		doc_cellf(d, r, DOC_LEFT, 0, "%s%s%s", e->doc_number ? e->doc_number : "", e->doc_number && e->doc_date ? ", " : "",
			e->doc_date ? date_short(c, e->doc_date) : "");
		doc_cellf(d, r, DOC_LEFT, 0, "%s", e->issuer ? e->issuer : "");
		buf it;
		buf_init(&it);
		for (size_t k = 0; k < e->nitems; k++) buf_printf(&it, "%s%s", k ? ", " : "", e->items[k]);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", buf_str(&it));
		buf_reset(&it);
		evidence_file *files = NULL;
		evidence_link *links = NULL;
		size_t nf = 0, nl = 0;
		evidence_files(c->d, e->id, c->a, &files, &nf);
		evidence_links(c->d, e->id, c->a, &links, &nl);
		for (size_t k = 0; k < nf; k++) buf_printf(&it, "%s%s", it.len ? "; " : "", breakable_name(c, files[k].original_name));
		for (size_t k = 0; k < nl; k++) buf_printf(&it, "%s%s", it.len ? "; " : "", links[k].label ? links[k].label : links[k].url);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", buf_str(&it));
		buf_free(&it);
	}
	if (!c->nev) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *e = doc_cell_add(d, r, DOC_CENTER, 7);
		doc_run_add(d, e, DOC_I, "(chưa có minh chứng)");
	}
	doc_signature_std(c, d, council_chair(c));
}
