/* web_derived.c — the office's own assessment under 3806: group 2's
 * derived items computed from the results of the units the office
 * evaluates — on the basis and at the date the office chose (recognised,
 * external or self-assessed results, or the first a unit has; q_derived.h)
 * — and shown with the units that make them, the basis and the date.
 *
 * Always current by construction: nothing is cached. Every view reads
 * the assessments of the school year (q_derived.h) and scores each from
 * its external (recognised, external basis) or self answers with the
 * engine, in the view's read snapshot, so a recognition (or its
 * withdrawal) shows on the next view.
 * The cost is one scoring per unit counted (~50 for a Phòng, a few
 * hundred for a Sở of the demo's size). */
#include "derived_subs.h"
#include "q_derived.h"
#include "exact.h"
#include "vn.h"
#include "util.h"
#include "web_assess.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct derived_view {
	derived_source *src;             /* parallel to v->sheet.subs */
	size_t n;
	derived_choice choice;           /* the basis and date the office chose */
	const char *on;                  /* the date the results are taken at (the choice's, else today) */
	const char *last_touch;          /* the office's last save or state change, NULL = never */
	bool failed;                     /* the store could not be read */
} derived_view;

bool assess_has_derived(const framework *fw)
{
	return framework_has_derived(fw);
}

static const char *today_iso(web *w)
{
	char *s = arena_alloc(w->a, 11);
	vn_today_iso(s);
	return s;
}

void assess_load_derived(web *w, assess_view *v)
{
	derived_view *dv = arena_alloc(w->a, sizeof *dv);
	v->dv = dv;
	derived_subs ds;
	int rc = derived_subs_load(w->d, &w->app->frameworks, w->a, v->as.id, v->u.id, v->round.school_year, today_iso(w), &ds);
	if (!rc) rc = derived_last_touch(w->d, v->as.id, w->a, &dv->last_touch);
	dv->choice = ds.choice;
	dv->on = ds.on;
	if (rc != DB_OK) {
		dv->failed = true;
		db_clear_error(w->d);
		return;
	}
	dv->src = ds.src;
	dv->n = ds.n;
	v->sheet.subs = ds.subs;
	v->sheet.nsubs = ds.n;
}

bool assess_derived_basis(const assess_view *v, const char **basis_code, const char **basis_label, const char **on)
{
	const derived_view *dv = v->dv;
	if (!dv || dv->failed) return false;
	*basis_code = derived_basis_code(dv->choice.basis);
	*basis_label = derived_basis_label(dv->choice.basis);
	*on = dv->on;
	return true;
}

void assess_derived_basis_line(web *w, assess_view *v)
{
	const char *code, *label, *on;
	if (!assess_derived_basis(v, &code, &label, &on)) return;
	html_f(w->out, "<p class=\"derived-basis\" data-basis=\"%a\">Cơ sở tính các mục suy ra: %h; kết quả tính đến %h.</p>",
	       code, label, web_date_long(w, on));
}

/* Recognised after the office last worked on its assessment? */
static bool moved_since(const derived_view *dv, const derived_source *s)
{
	return dv->last_touch && s->recognised_at && strcmp(s->recognised_at, dv->last_touch) > 0;
}

/* "công nhận" / "đánh giá ngoài" / "tự đánh giá": the result a row uses. */
static const char *used_word(derived_basis b)
{
	return b == DERIVED_SELF ? "tự đánh giá" : b == DERIVED_EXTERNAL ? "đánh giá ngoài" : "công nhận";
}

static bool only_recognised(const derived_view *dv)
{
	return dv->choice.basis == DERIVED_RECOGNISED;
}

static const char *qtext(web *w, q v)
{
	return q_to_text(w->a, v, 2, true);
}

static const char *date_of(web *w, const char *ts)
{
	return ts && strlen(ts) >= 10 ? web_date_long(w, arena_strndup(w->a, ts, 10)) : "";
}

typedef struct row {
	size_t i;
	q value;
	const char *code;
} row;

static int row_cmp(const void *a, const void *b)
{
	const row *x = a, *y = b;
	int c = q_cmp(x->value, y->value);   /* the ones holding the item down first */
	return c ? c : strcmp(x->code, y->code);
}

static const score_result *shown(const assess_view *v)
{
	return v->score ? v->score : v->derived;
}

void assess_derived_item(web *w, assess_view *v, const fw_node *leaf)
{
	const fw_rule *r = leaf->rule;
	derived_view *dv = v->dv;
	html_f(w->out, "<div class=\"derived\"><p class=\"explain\"><strong>Công thức:</strong> %h</p>",
	       score_derived_formula(w->a, r));
	if (!dv || dv->failed) {
		html_f(w->out, "<p class=\"error-msg\">Không đọc được kết quả của các đơn vị. Vui lòng tải lại trang.</p></div>");
		return;
	}
	html_f(w->out, "<p class=\"derived-basis\"><strong>Cơ sở tính:</strong> %h; kết quả tính đến %h.</p>",
	       derived_basis_label(dv->choice.basis), web_date_long(w, dv->on));
	size_t counted = 0;
	q share;
	score_derived_share(r, v->sheet.subs, v->sheet.nsubs, &counted, &share);
	if (counted == 0) {
		html_f(w->out, "<p class=\"explain\">Chưa có đơn vị nào thuộc phạm vi có kết quả theo cơ sở tính này đến %h "
		               "(năm học %h).</p></div>", web_date_long(w, dv->on), v->round.school_year);
		return;
	}
	row *rows = arena_alloc(w->a, counted * sizeof *rows);
	size_t nr = 0;
	for (size_t i = 0; i < v->sheet.nsubs; i++) {
		q val;
		if (!score_derived_input(r, &v->sheet.subs[i], &val)) continue;
		rows[nr++] = (row){ i, val, v->sheet.subs[i].code };
	}
	sort_list(rows, nr, sizeof *rows, row_cmp);
	bool share_measure = r->dmeasure == DM_SHARE_AT_LEAST_LEVEL;
	const node_score *ns = shown(v) ? score_node(shown(v), leaf) : NULL;
	html_f(w->out, "<details class=\"units-moving\"><summary>Đơn vị tác động (%z đơn vị được tính", counted);
	if (ns) html_f(w->out, ", %q/%q điểm", ns->points, ns->max);
	html_f(w->out, ")</summary><div class=\"table-scroll\"><table class=\"units\"><thead><tr><th>Mã</th><th>Đơn vị</th>"
	               "<th>Loại hình</th><th>%h</th><th class=\"num\">%h</th><th class=\"num\">Đóng góp</th>"
	               "<th>Ghi chú</th></tr></thead><tbody>",
	       only_recognised(dv) ? "Mức công nhận" : "Mức (kết quả được dùng)", share_measure ? arena_printf(w->a, "Đạt Mức %d trở lên", r->dlevel)
	                     : strcmp(r->dgroup, "total") == 0 ? "Tổng điểm" : arena_printf(w->a, "Điểm nhóm %s", r->dgroup));
	for (size_t k = 0; k < nr; k++) {
		const subordinate *s = &v->sheet.subs[rows[k].i];
		const derived_source *src = &dv->src[rows[k].i];
		bool down = share_measure && rows[k].value.n == 0;
		bool moved = moved_since(dv, src);
		html_f(w->out, "<tr class=\"%h%h\" data-unit=\"%a\" data-basis=\"%a\"><td>%h</td><td>%h</td><td>%h</td>"
		               "<td>Mức %d%h</td><td class=\"num\">",
		       down ? "below" : "", moved ? " moved" : "", s->code, derived_basis_code(src->used), s->code, s->name,
		       unit_type_name(s->type), s->level,
		       only_recognised(dv) ? "" : arena_printf(w->a, " (%s)", used_word(src->used)));
		if (share_measure) html_f(w->out, "%h", down ? "Chưa đạt" : "Đạt");
		else html_f(w->out, "%q", rows[k].value);
		html_f(w->out, "</td><td class=\"num\">");
		if (r->mode == MODE_PROPORTIONAL) html_f(w->out, "+%h", qtext(w, score_derived_part(r, s, counted)));
		else html_f(w->out, "—");
		html_f(w->out, "</td><td>");
		if (down) html_f(w->out, "Dưới Mức %d: kéo tỉ lệ xuống. ", r->dlevel);
		if (moved) html_f(w->out, "<strong>%h %h, sau lần cập nhật hồ sơ gần nhất</strong>", used_word(src->used),
		                  date_of(w, src->recognised_at));
		html_f(w->out, "</td></tr>");
	}
	html_f(w->out, "</tbody></table></div></details></div>");
}

/* The office chooses the basis and the date (page_derived.c stores them):
 * offered to whoever may edit the office's own answers. */
static void derived_basis_form(web *w, assess_view *v)
{
	if (!assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, NULL, NULL)) return;
	const derived_view *dv = v->dv;
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/co-so-tinh\" class=\"derived-basis-form\">", v->as.id);
	web_csrf_field(w);
	html_f(w->out, "<label>Cơ sở tính <select name=\"co_so\">");
	for (int b = 0; b < DERIVED_BASIS_COUNT; b++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", derived_basis_code((derived_basis)b),
		       dv->choice.basis == (derived_basis)b ? " selected" : "", derived_basis_label((derived_basis)b));
	html_f(w->out, "</select></label> <label>Lấy kết quả đến ngày <input type=\"date\" name=\"ngay\" value=\"%a\"></label> "
	               "<button type=\"submit\">Lưu cơ sở tính</button><p class=\"hint\">Để trống ngày: lấy kết quả đến ngày xem trang.</p></form>",
	       dv->choice.taken_on ? dv->choice.taken_on : "");
}

void assess_derived_notice(web *w, assess_view *v)
{
	derived_view *dv = v->dv;
	if (!dv || dv->failed) return;
	html_f(w->out, "<section class=\"card derived-notice\"><h2>Phần tính từ kết quả các đơn vị</h2>"
	               "<p>Các mục suy ra được tính lại mỗi lần mở trang từ kết quả của %z đơn vị do %h đánh giá "
	               "trong năm học %h; không nhập tay.</p>"
	               "<p class=\"derived-basis\"><strong>Cơ sở tính:</strong> %h. <strong>Kết quả tính đến:</strong> %h%h.</p>",
	       dv->n, v->u.name, v->round.school_year, derived_basis_label(dv->choice.basis), web_date_long(w, dv->on),
	       dv->choice.taken_on ? "" : " (ngày xem trang)");
	derived_basis_form(w, v);
	bool any = false;
	for (size_t i = 0; i < dv->n; i++) {
		if (!moved_since(dv, &dv->src[i])) continue;
		/* only the units some derived item counts */
		bool counts = false;
		q val;
		for (size_t l = 0; l < v->fw->nleaves && !counts; l++)
			counts = score_derived_input(v->fw->leaves[l]->rule, &v->sheet.subs[i], &val);
		if (!counts) continue;
		if (!any)
			html_f(w->out, "<p>%h sau lần cập nhật hồ sơ gần nhất (%h), làm thay đổi kết quả:</p><ul class=\"moved-units\">",
			       only_recognised(dv) ? "Được công nhận" : "Có kết quả", date_of(w, dv->last_touch));
		any = true;
		html_f(w->out, "<li data-unit=\"%a\">%h — %h: Mức %d, %h %h</li>", dv->src[i].unit_code, dv->src[i].unit_code,
		       dv->src[i].unit_name, dv->src[i].level, used_word(dv->src[i].used), date_of(w, dv->src[i].recognised_at));
	}
	if (any) html_f(w->out, "</ul>");
	else if (dv->last_touch) html_f(w->out, "<p>Không có đơn vị nào %h sau lần cập nhật hồ sơ gần nhất (%h).</p>",
	                               only_recognised(dv) ? "được công nhận thêm" : "có thêm kết quả", date_of(w, dv->last_touch));
	html_f(w->out, "</section>");
}
