/* page_office.c — the office's side of a round: opening it (frameworks per
 * unit type, deadlines, level policy, targets), per-unit extensions,
 * closing; the inbox of every unit's state with deadlines and filters; the
 * review of one submitted assessment (read-only, with its evidence) and
 * its return for supplement with a reason per item; the diff between two
 * submitted versions; recognition of levels by decision and publication.
 *
 * Every route asks authz, as its entry in the route table declares (the
 * dispatcher loads and checks before the handler runs): round pages about
 * the round's office (WEB_LOAD_ROUND), assessment pages about the
 * assessment (WEB_LOAD_ASSESSMENT), and each transition goes through the assessment
 * service (assess_act: wf_check, the transition, the level, in one
 * transaction). */
#include "answers.h"
#include "job.h"
#include "mail.h"
#include "page_evidence.h"
#include "page_autoremind.h"
#include "page_extreq.h"
#include "q_evhist.h"
#include "q_account.h"
#include "q_evidence.h"
#include "q_submission.h"
#include "remind.h"
#include "score_json.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include "web_seal.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A declared field as posted (to show a refused form again), else the default. */
static const char *pval(web *w, const char *name, const char *dflt)
{
	const char *v = web_in_text(w, name);
	return v ? v : dflt;
}

/* Rows of the inbox on one page. */
enum { INBOX_PAGE = 50 };

static const char *sel(bool on) { return on ? " selected" : ""; }

static const char *level_class(int level)
{
	return level == 1 ? "level-1" : level == 2 ? "level-2" : level == 3 ? "level-3" : "";
}

static const char *level_text(int level)
{
	static const char *const names[] = { "—", "Mức 1", "Mức 2", "Mức 3" };
	return level >= 0 && level <= 3 ? names[level] : "—";
}

static bool is_office_role(authz_role r) { return r == AUTHZ_OFFICE_ADMIN || r == AUTHZ_OFFICER; }

/* The school year a round opened today most likely belongs to: from
 * August on, the year starting now. */
static const char *current_school_year(web *w)
{
	int t = assess_today(), y = t / 10000, m = t / 100 % 100;
	if (m < 8) y--;
	return arena_printf(w->a, "%d-%d", y, y + 1);
}

/* ---- rounds: list and open ----------------------------------------------------------- */

/* The frameworks of the catalogue that can score unit type t; the default
 * is the official one with the highest revision. */
static const framework *default_framework(web *w, unit_type t)
{
	const framework *best = NULL;
	for (size_t i = 0; i < w->app->frameworks.n; i++) {
		const framework *fw = w->app->frameworks.items[i];
		if (!fw->unit_types[t] || !fw->complete) continue;
		if (!best || (fw->source == SRC_OFFICIAL && best->source != SRC_OFFICIAL) ||
		    (fw->source == best->source && strcmp(fw->id, best->id) == 0 && fw->revision > best->revision))
			best = fw;
	}
	return best;
}

static void open_form(web *w, const unit *offices, size_t noffices, const char *error)
{
	html_f(w->out, "<section class=\"card\" id=\"mo-dot\"><h2>Mở đợt đánh giá mới</h2>");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out, "<form method=\"post\" action=\"/dot\" class=\"grid-form\">");
	web_csrf_field(w);
	int64_t chosen = web_in_int(w, "co_quan", 0);
	if (noffices == 1) {
		html_f(w->out, "<input type=\"hidden\" name=\"co_quan\" value=\"%D\"><p>Cơ quan mở đợt: <strong>%h</strong> "
		               "(<a href=\"/dot/xem-truoc-don-vi?co_quan=%D\">xem trước các đơn vị sẽ có trong đợt</a>)</p>",
		       offices[0].id, offices[0].name, offices[0].id);
	} else {
		html_f(w->out, "<label>Cơ quan mở đợt<select name=\"co_quan\">");
		for (size_t i = 0; i < noffices; i++)
			html_f(w->out, "<option value=\"%D\"%h>%h</option>", offices[i].id, sel(offices[i].id == chosen), offices[i].name);
		html_f(w->out, "</select></label>");
	}
	const char *year = pval(w, "nam_hoc", current_school_year(w));
	html_f(w->out, "<label>Năm học<input name=\"nam_hoc\" value=\"%a\" required pattern=\"[0-9]{4}-[0-9]{4}\" placeholder=\"2024-2025\"></label>"
	               "<label>Tên đợt đánh giá<input name=\"ten\" value=\"%a\" required maxlength=\"300\"></label>",
	       year, pval(w, "ten", arena_printf(w->a, "Đánh giá mức độ chuyển đổi số năm học %s", year)));
	const char *policy = pval(w, "cach_xep", "min");
	html_f(w->out, "<label>Cách xếp mức của đơn vị<select name=\"cach_xep\">"
	               "<option value=\"min\"%h>Mức của đơn vị là mức thấp nhất của các nhóm</option>"
	               "<option value=\"per_group_only\"%h>Chỉ xếp mức theo từng nhóm</option></select></label>",
	       sel(strcmp(policy, "min") == 0), sel(strcmp(policy, "per_group_only") == 0));
	/* issue 11, item 2: a commune evaluates none of its schools */
	html_f(w->out, "<label class=\"inline-label\"><input type=\"checkbox\" name=\"cung_quan_ly\" value=\"1\"%h> "
	               "Gồm cả các đơn vị do cơ quan quản lý trực tiếp (ngoài các đơn vị cơ quan đánh giá)</label>",
	       web_in_bool(w, "cung_quan_ly") ? " checked" : "");
	html_f(w->out, "<fieldset><legend>Thời hạn</legend>"
	               "<label>Hạn tự đánh giá và gửi hồ sơ<input type=\"date\" name=\"han_tu_danh_gia\" value=\"%a\"></label>"
	               "<label>Hạn báo cáo cấp trên<input type=\"date\" name=\"han_bao_cao\" value=\"%a\"></label>"
	               "<label>Hạn đánh giá ngoài và công nhận<input type=\"date\" name=\"han_danh_gia_ngoai\" value=\"%a\"></label></fieldset>",
	       pval(w, "han_tu_danh_gia", ""), pval(w, "han_bao_cao", ""), pval(w, "han_danh_gia_ngoai", ""));

	/* One framework per unit type the offices evaluate today (every school
	 * type when they evaluate none yet). */
	bool types[UT_COUNT] = { false };
	bool any = false;
	for (size_t i = 0; i < noffices; i++) {
		unit *deps = NULL;
		size_t nd = 0;
		unit_dependents_on(w->d, offices[i].id, UNIT_EVALUATOR, office_today_iso(w), w->a, &deps, &nd);
		for (size_t k = 0; k < nd; k++) {
			unit_type t;
			if (unit_type_parse(deps[k].type, &t) && strcmp(deps[k].type, unit_type_code(t)) == 0) types[t] = any = true;
		}
	}
	if (!any)
		for (int t = UT_MAM_NON; t <= UT_GDTX; t++) types[t] = true;
	/* An office no one in the system evaluates (a Sở) hosts its own
	 * assessment (3806) in its round (docs/office.md). */
	for (size_t i = 0; i < noffices; i++) {
		unit_type t;
		int64_t ev = 0;
		if (unit_type_parse(offices[i].type, &t) && strcmp(offices[i].type, unit_type_code(t)) == 0 &&
		    unit_related_on(w->d, offices[i].id, UNIT_EVALUATOR, office_today_iso(w), &ev) == DB_ENOTFOUND)
			types[t] = true;
		db_clear_error(w->d);
	}
	html_f(w->out, "<fieldset><legend>Bộ chỉ số theo loại hình đơn vị</legend>");
	for (int t = 0; t < UT_COUNT; t++) {
		if (!types[t]) continue;
		const char *name = arena_printf(w->a, "bcs:%s", unit_type_code((unit_type)t));
		const framework *dflt = default_framework(w, (unit_type)t);
		const char *cur = pval(w, name, dflt ? arena_printf(w->a, "%s@%d", dflt->id, dflt->revision) : "");
		html_f(w->out, "<label>%h<select name=\"%a\"><option value=\"\">Không áp dụng trong đợt này</option>",
		       unit_type_name((unit_type)t), name);
		for (size_t i = 0; i < w->app->frameworks.n; i++) {
			const framework *fw = w->app->frameworks.items[i];
			/* an office's set still incomplete (3806 as shipped) is offered
			 * for offices: its derived items are computed, nothing else is
			 * scored, and the page says so */
			bool provisional = !fw->complete && (t == UT_PHONG || t == UT_SO) && assess_has_derived(fw);
			if (!fw->unit_types[t] || (!fw->complete && !provisional)) continue;
			const char *key = arena_printf(w->a, "%s@%d", fw->id, fw->revision);
			html_f(w->out, "<option value=\"%a\"%h>%h (%h, phiên bản %d)%h</option>", key, sel(strcmp(cur, key) == 0), fw->title,
			       fw->decision_number ? fw->decision_number : fw->id, fw->revision,
			       provisional ? " — chưa hoàn chỉnh: chỉ tạm tính phần kết quả của các cơ sở giáo dục" : "");
		}
		html_f(w->out, "</select></label>");
	}
	html_f(w->out, "</fieldset><fieldset><legend>Chỉ tiêu (để trống dòng không dùng)</legend>"
	               "<p class=\"explain\">Ví dụ: 100%% đơn vị đạt Mức 2 trở lên; 80%% THCS đạt Mức 3; "
	               "60%% phòng học có thiết bị trình chiếu và Internet (chỉ tiêu theo mã chỉ số).</p>"
	               "<div class=\"table-wrap\"><table class=\"targets\"><thead><tr><th>Loại</th><th>Loại hình</th><th>Mức ≥</th>"
	               "<th>Mã chỉ số</th><th>Tỉ lệ (%%)</th><th>Diễn giải</th></tr></thead><tbody>");
	for (int k = 0; k < 4; k++) {
		const char *kind = pval(w, arena_printf(w->a, "ct_loai_%d", k), "");
		const char *ty = pval(w, arena_printf(w->a, "ct_dv_%d", k), "");
		int64_t lv = web_in_int(w, arena_printf(w->a, "ct_muc_%d", k), 2);
		html_f(w->out, "<tr><td><select name=\"ct_loai_%d\" aria-label=\"Loại chỉ tiêu\"><option value=\"\">—</option>"
		               "<option value=\"level_share\"%h>Tỉ lệ đạt mức</option><option value=\"indicator\"%h>Theo chỉ số</option></select></td>"
		               "<td><select name=\"ct_dv_%d\" aria-label=\"Loại hình\"><option value=\"\">Tất cả</option>",
		       k, sel(strcmp(kind, "level_share") == 0), sel(strcmp(kind, "indicator") == 0), k);
		for (int t = 0; t < UT_COUNT; t++)
			html_f(w->out, "<option value=\"%a\"%h>%h</option>", unit_type_code((unit_type)t),
			       sel(strcmp(ty, unit_type_code((unit_type)t)) == 0), unit_type_name((unit_type)t));
		html_f(w->out, "</select></td><td><select name=\"ct_muc_%d\" aria-label=\"Mức\">", k);
		for (int l = 1; l <= 3; l++)
			html_f(w->out, "<option value=\"%d\"%h>Mức %d</option>", l, sel(lv == l), l);
		html_f(w->out, "</select></td><td><input name=\"ct_ma_%d\" size=\"6\" value=\"%a\" aria-label=\"Mã chỉ số\"></td>"
		               "<td><input name=\"ct_tl_%d\" size=\"4\" inputmode=\"numeric\" value=\"%a\" aria-label=\"Tỉ lệ\"></td>"
		               "<td><input name=\"ct_nhan_%d\" value=\"%a\" aria-label=\"Diễn giải\"></td></tr>",
		       k, pval(w, arena_printf(w->a, "ct_ma_%d", k), ""), k, pval(w, arena_printf(w->a, "ct_tl_%d", k), ""), k,
		       pval(w, arena_printf(w->a, "ct_nhan_%d", k), ""));
	}
	html_f(w->out, "</tbody></table></div></fieldset><p><button type=\"submit\">Mở đợt đánh giá</button></p></form></section>");
}

/* The offices whose rounds this account works with: its office roles, or
 * the one named by ?cq= when that office is in its scope. */
static size_t my_offices(web *w, unit **out, bool *can_open)
{
	size_t n = 0;
	unit *list = arena_alloc(w->a, (w->ngrants + 1) * sizeof *list);
	int64_t asked = web_in_int(w, "cq", 0);
	if (!asked) asked = web_in_int(w, "co_quan", 0);
	for (size_t i = 0; i < w->ngrants && !asked; i++) {
		if (!is_office_role(w->grants[i].role)) continue;
		bool dup = false;
		for (size_t k = 0; k < n; k++) dup |= list[k].id == w->grants[i].unit_id;
		if (!dup && unit_get(w->d, w->grants[i].unit_id, w->a, &list[n]) == DB_OK) n++;
	}
	if (asked && unit_get(w->d, asked, w->a, &list[0]) == DB_OK && unit_type_is_office(list[0].type)) n = 1;
	*can_open = false;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		round_view v = { .office = list[i], .date = office_today_iso(w) };
		unit_chain_on(w->d, v.office.id, UNIT_PARENT, v.date, w->a, &v.parents, &v.nparents);
		unit_chain_on(w->d, v.office.id, UNIT_EVALUATOR, v.date, w->a, &v.evaluators, &v.nevaluators);
		if (!round_allowed(w, &v, AUTHZ_VIEW, NULL)) continue;
		if (round_allowed(w, &v, AUTHZ_OPEN_ROUND, NULL)) *can_open = true;
		list[kept++] = list[i];
	}
	*out = list;
	return kept;
}

static void rounds_page(web *w, const char *error)
{
	unit *offices;
	bool can_open;
	size_t n = my_offices(w, &offices, &can_open);
	if (n == 0) {
		web_error(w, 403, web_in_given(w, "cq") ? "Cơ quan này không thuộc phạm vi phụ trách của bạn."
		                                           : "Trang này dành cho cán bộ cơ quan quản lý giáo dục.");
		return;
	}
	page_begin(w, "Đợt đánh giá");
	html_f(w->out, "<h1>Đợt đánh giá</h1>");
	for (size_t i = 0; i < n; i++) {
		round_row *rs = NULL;
		size_t nr = 0;
		round_list_for_office(w->d, offices[i].id, w->a, &rs, &nr);
		html_f(w->out, "<section class=\"card\"><h2>%h</h2>", offices[i].name);
		if (!nr) html_f(w->out, "<p>Chưa có đợt đánh giá nào.</p>");
		else {
			html_f(w->out, "<div class=\"table-wrap\"><table><thead><tr><th>Đợt đánh giá</th><th>Năm học</th>"
			               "<th>Hạn tự đánh giá</th><th>Trạng thái</th><th class=\"no-print\"></th></tr></thead><tbody>");
			for (size_t k = 0; k < nr; k++)
				html_f(w->out, "<tr><td><a href=\"/dot/%D\">%h</a></td><td>%h</td><td>%h</td><td>%h</td>"
				               "<td class=\"no-print\"><a href=\"/dot/%D/hop-thu\">Hộp hồ sơ</a></td></tr>",
				       rs[k].id, rs[k].title, rs[k].school_year, web_date_short(w, rs[k].self_due),
				       strcmp(rs[k].state, "closed") == 0 ? "Đã kết thúc" : "Đang mở", rs[k].id);
			html_f(w->out, "</tbody></table></div>");
		}
		html_f(w->out, "</section>");
	}
	/* only the offices where the account may open rounds */
	if (can_open) {
		unit *own = arena_alloc(w->a, (n + 1) * sizeof *own);
		size_t nown = 0;
		for (size_t i = 0; i < n; i++) {
			round_view v = { .office = offices[i] };
			if (round_allowed(w, &v, AUTHZ_OPEN_ROUND, NULL)) own[nown++] = offices[i];
		}
		open_form(w, own, nown, error);
	}
	page_end(w);
}

static void rounds_get(web *w) { rounds_page(w, NULL); }

static void rounds_post(web *w)
{
	int64_t office_id = web_in_int(w, "co_quan", 0);
	round_view v = { 0 };
	if (!office_id || unit_get(w->d, office_id, w->a, &v.office) != DB_OK) {
		web_error(w, 400, "Chưa chọn cơ quan mở đợt đánh giá.");
		return;
	}
	authz_decision why;
	if (!round_allowed(w, &v, AUTHZ_OPEN_ROUND, &why)) { web_error(w, 403, why.message); return; }

	round_row r = {
		.office_unit_id = office_id, .school_year = web_in_text(w, "nam_hoc"), .title = web_in_text(w, "ten"),
		.policy = web_in_text(w, "cach_xep"), .include_managed = web_in_bool(w, "cung_quan_ly"),
		.self_due = web_in_text(w, "han_tu_danh_gia"), .report_due = web_in_text(w, "han_bao_cao"),
		.external_due = web_in_text(w, "han_danh_gia_ngoai"),
	};

	round_framework fws[UT_COUNT];
	size_t nfw = 0;
	for (int t = 0; t < UT_COUNT; t++) {
		const char *key = web_in_text(w, arena_printf(w->a, "bcs:%s", unit_type_code((unit_type)t)));
		if (!key) continue;
		const framework *fw = fw_catalog_find(&w->app->frameworks, key);
		if (!fw || !strchr(key, '@') || !fw->unit_types[t]) {
			w->r->status = 422;
			rounds_page(w, arena_printf(w->a, "Bộ chỉ số «%s» không dùng được cho %s.", key, unit_type_name((unit_type)t)));
			return;
		}
		fws[nfw++] = (round_framework){ unit_type_code((unit_type)t), fw->id, arena_printf(w->a, "%d", fw->revision) };
	}
	round_target targets[4];
	size_t nt = 0;
	for (int k = 0; k < 4; k++) {
		const char *kind = web_in_text(w, arena_printf(w->a, "ct_loai_%d", k));
		const char *pct = arena_printf(w->a, "ct_tl_%d", k);
		if (!kind) continue;
		if (!web_in_given(w, pct)) {   /* its range is declared (0 to 100) */
			w->r->status = 422;
			rounds_page(w, arena_printf(w->a, "Chỉ tiêu dòng %d: tỉ lệ phải là số từ 0 đến 100.", k + 1));
			return;
		}
		targets[nt++] = (round_target){
			.kind = kind, .unit_type = web_in_text(w, arena_printf(w->a, "ct_dv_%d", k)),
			.level = (int)web_in_int(w, arena_printf(w->a, "ct_muc_%d", k), 0),
			.item_code = web_in_text(w, arena_printf(w->a, "ct_ma_%d", k)), .share_percent = (int)web_in_int(w, pct, 0),
			.label = web_in_text(w, arena_printf(w->a, "ct_nhan_%d", k)),
		};
	}
	int64_t id = 0;
	int rc = round_open(w->d, w->account_id, &r, fws, nfw, targets, nt, &id);
	if (rc == DB_EINVAL || rc == DB_ECONSTRAINT) {
		w->r->status = 422;
		rounds_page(w, arena_strdup(w->a, db_errmsg(w->d)));   /* the page's own queries reuse the handle's message */
		return;
	}
	if (rc != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return; }
	/* every unit the office evaluates on the round's date gets its
	 * assessment now, so that the inbox is complete from day one */
	int created = 0, skipped = 0;
	if (round_add_units(w->d, w->account_id, id, r.self_due ? r.self_due : office_today_iso(w), &created, &skipped) != DB_OK) {
		web_error(w, 500, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld", (long long)id), "da-luu");
}

/* ---- one round ------------------------------------------------------------------------ */

static void round_get_page(web *w)
{
	round_view v = *w->round;
	bool manage = round_allowed(w, &v, AUTHZ_OPEN_ROUND, NULL) && !v.closed;
	page_begin(w, v.r.title);
	office_round_header(w, &v, "");
	html_f(w->out, "<section class=\"card\"><h2>Thông tin đợt</h2><dl class=\"facts\">"
	               "<dt>Hạn tự đánh giá và gửi hồ sơ</dt><dd>%h</dd><dt>Hạn báo cáo cấp trên</dt><dd>%h</dd>"
	               "<dt>Hạn đánh giá ngoài và công nhận</dt><dd>%h</dd><dt>Cách xếp mức</dt><dd>%h</dd></dl>",
	       v.r.self_due ? web_date_long(w, v.r.self_due) : "Không đặt hạn", v.r.report_due ? web_date_long(w, v.r.report_due) : "—",
	       v.r.external_due ? web_date_long(w, v.r.external_due) : "—",
	       strcmp(v.r.policy, "per_group_only") == 0 ? "Chỉ xếp mức theo từng nhóm" : "Mức của đơn vị là mức thấp nhất của các nhóm");
	bool managed = false;
	if (round_includes_managed(w->d, v.r.id, &managed) != DB_OK) db_clear_error(w->d);
	if (managed) html_f(w->out, "<p id=\"cung-quan-ly\">Đợt gồm các đơn vị do cơ quan đánh giá và các đơn vị cơ quan quản lý trực tiếp.</p>");
	round_framework *fws = NULL;
	size_t nfw = 0;
	round_frameworks(w->d, v.r.id, w->a, &fws, &nfw);
	html_f(w->out, "<h3>Bộ chỉ số</h3><ul>");
	for (size_t i = 0; i < nfw; i++) {
		const framework *fw = fw_catalog_find(&w->app->frameworks, arena_printf(w->a, "%s@%s", fws[i].framework_id, fws[i].framework_revision));
		html_f(w->out, "<li>%h: %h (phiên bản %h)", office_unit_type_label(fws[i].unit_type), fw ? fw->title : fws[i].framework_id,
		       fws[i].framework_revision);
		int newest = fw_catalog_max_revision(&w->app->frameworks, fws[i].framework_id);
		if (manage && newest > atoi(fws[i].framework_revision))
			html_f(w->out, " — <a href=\"/dot/%D/chuyen-ban\">có bản sửa đổi %d: chuyển các phiếu sang bản này</a>", v.r.id, newest);
		html_f(w->out, "</li>");
	}
	html_f(w->out, "</ul>");
	round_target *ts = NULL;
	size_t nt = 0;
	round_targets(w->d, v.r.id, w->a, &ts, &nt);
	if (nt) {
		html_f(w->out, "<h3>Chỉ tiêu</h3><ul>");
		for (size_t i = 0; i < nt; i++) {
			if (strcmp(ts[i].kind, "level_share") == 0)
				html_f(w->out, "<li>%d%% %h đạt Mức %d trở lên%h%h</li>", ts[i].share_percent,
				       ts[i].unit_type ? office_unit_type_label(ts[i].unit_type) : "đơn vị", ts[i].level,
				       ts[i].label ? " — " : "", ts[i].label);
			else
				html_f(w->out, "<li>%d%% — chỉ số %h%h%h</li>", ts[i].share_percent, ts[i].item_code, ts[i].label ? ": " : "", ts[i].label);
		}
		html_f(w->out, "</ul>");
	}
	html_f(w->out, "</section>");

	inbox_row *rows;
	size_t n = office_round_rows(w, &v, &rows);
	size_t counts[WF_STATE_COUNT] = { 0 };
	for (size_t i = 0; i < n; i++) {
		wf_state s = wf_state_parse(rows[i].as.state);
		if (s >= 0) counts[s]++;
	}
	html_f(w->out, "<section class=\"card\"><h2>Tiến độ: %z đơn vị</h2><ul class=\"state-counts\">", n);
	for (int s = 0; s < WF_STATE_COUNT; s++)
		html_f(w->out, "<li><a href=\"/dot/%D/hop-thu?tt=%a\">%h: <strong>%z</strong></a></li>", v.r.id, wf_state_code((wf_state)s),
		       wf_state_label((wf_state)s), counts[s]);
	html_f(w->out, "</ul><p><a href=\"/tong-hop/%D\">Tổng hợp: mức độ, chỉ tiêu, tiêu chí yếu, đơn vị điển hình</a></p></section>", v.r.id);

	/* an extension is for units that have not sent their file: no form with an empty list */
	size_t extendable = 0;
	for (size_t i = 0; i < n; i++) {
		wf_state s = wf_state_parse(rows[i].as.state);
		if (s < WF_SUBMITTED || s == WF_RETURNED) extendable++;
	}
	if (manage && extendable) {
		html_f(w->out, "<section class=\"card no-print\" id=\"gia-han\"><h2>Gia hạn cho một đơn vị</h2>"
		               "<form method=\"post\" action=\"/dot/%D/gia-han\">", v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Đơn vị<select name=\"ho_so\" required>");
		for (size_t i = 0; i < n; i++) {
			wf_state s = wf_state_parse(rows[i].as.state);
			if (s >= WF_SUBMITTED && s != WF_RETURNED) continue;   /* already in */
			html_f(w->out, "<option value=\"%D\">%h</option>", rows[i].as.id, rows[i].u.name);
		}
		html_f(w->out, "</select></label><label>Hạn mới<input type=\"date\" name=\"han\" required></label>"
		               "<label>Lý do gia hạn<textarea name=\"ly_do\" rows=\"2\" required></textarea></label>"
		               "<button type=\"submit\">Gia hạn</button></form></section>");
	}
	autoremind_round_section(w, &v, manage);
	deadline_extension *ex = NULL;
	size_t nex = 0;
	office_extensions(w->d, v.r.id, w->a, &ex, &nex);
	if (nex) {
		html_f(w->out, "<section class=\"card\"><h2>Các lần gia hạn</h2><div class=\"table-wrap\"><table><thead><tr><th>Đơn vị</th>"
		               "<th>Hạn mới</th><th>Lý do</th><th>Người gia hạn</th><th>Lúc</th></tr></thead><tbody>");
		for (size_t i = 0; i < nex; i++) {
			const char *uname = "";
			for (size_t k = 0; k < n; k++) if (rows[k].as.id == ex[i].assessment_id) uname = rows[k].u.name;
			account acc = { 0 };
			account_get(w->d, ex[i].account_id, w->a, &acc);
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", uname, web_date_short(w, ex[i].until),
			       ex[i].reason, acc.full_name, office_time(w, ex[i].at));
		}
		html_f(w->out, "</tbody></table></div></section>");
	}
	if (manage) {
		html_f(w->out, "<section class=\"card no-print\"><h2>Quản lý đợt</h2><form method=\"post\" action=\"/dot/%D/cap-nhat-don-vi\" class=\"action\">", v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\" class=\"secondary\">Bổ sung đơn vị mới thuộc phạm vi đánh giá</button></form>"
		               "<form method=\"post\" action=\"/dot/%D/dong\" class=\"action\">", v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\" class=\"danger\" data-confirm=\"Kết thúc đợt đánh giá? Sau đó không hồ sơ nào được chuyển trạng thái.\">"
		               "Kết thúc đợt đánh giá</button></form></section>");
	}
	page_end(w);
}

/* Round-management POSTs share this: the route's round (AUTHZ_OPEN_ROUND:
 * the account works at the office), still open. */
static bool manage_load(web *w, round_view *v)
{
	*v = *w->round;
	if (v->closed) { web_error(w, 409, "Đợt đánh giá đã kết thúc."); return false; }
	return true;
}

/* An assessment id from the form that belongs to this round. */
static bool round_assessment(web *w, const round_view *v, const char *field, assessment *as)
{
	int64_t id = web_in_int(w, field, 0);
	if (!id || assessment_get(w->d, id, w->a, as) != DB_OK || as->round_id != v->r.id) {
		web_error(w, 400, "Đơn vị được chọn không thuộc đợt đánh giá này.");
		return false;
	}
	return true;
}

static void round_extend(web *w)
{
	round_view v;
	assessment as;
	if (!manage_load(w, &v) || !round_assessment(w, &v, "ho_so", &as)) return;
	if (!office_assessment_allowed(w, &v, &as, AUTHZ_REVIEW)) {
		web_error(w, 403, "Đơn vị này không do cơ quan của bạn đánh giá.");
		return;
	}
	const char *until = web_in_text(w, "han"), *reason = web_in_text(w, "ly_do");
	int ymd = assess_ymd(until);
	if (!ymd || !wf_date_valid(ymd) || ymd < assess_today()) {
		web_error(w, 422, "Hạn mới phải là một ngày hợp lệ, không trước hôm nay.");
		return;
	}
	if (!reason) { web_error(w, 422, "Cần ghi lý do gia hạn."); return; }
	int rc = office_extend(w->d, w->account_id, as.id, until, reason);
	if (rc != DB_OK) { web_error(w, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld", (long long)v.r.id), "da-luu");
}

static void round_close_post(web *w)
{
	round_view v;
	if (!manage_load(w, &v)) return;
	int rc = round_close(w->d, w->account_id, v.r.id);
	if (rc != DB_OK) { web_error(w, rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld", (long long)v.r.id), "da-luu");
}

static void round_add_units_post(web *w)
{
	round_view v;
	if (!manage_load(w, &v)) return;
	int created = 0, skipped = 0;
	int rc = round_add_units(w->d, w->account_id, v.r.id, v.date, &created, &skipped);
	if (rc != DB_OK) { web_error(w, rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/hop-thu", (long long)v.r.id), "da-luu");
}

/* ---- the inbox ------------------------------------------------------------------------ */

typedef struct due_info {
	int deadline;        /* effective, yyyymmdd, 0 = none */
	int days;            /* to the deadline (negative: overdue) */
	bool overdue, open;  /* open: not yet submitted */
} due_info;

static due_info due_of(const round_view *v, const assessment *as)
{
	due_info d = { 0 };
	wf_input in = { 0 };
	in.state = wf_state_parse(as->state);
	in.deadline = assess_ymd(v->r.self_due);
	in.extended_until = assess_ymd(as->extended_until);
	in.today = assess_today();
	d.deadline = wf_effective_deadline(&in);
	d.overdue = wf_overdue(&in);
	d.open = in.state == WF_NOT_STARTED || in.state == WF_DRAFT || in.state == WF_SELF_ASSESSED ||
	         in.state == WF_APPROVED || in.state == WF_RETURNED;
	if (d.deadline) d.days = office_days(in.today, d.deadline);
	return d;
}

/* ---- reminders to late units ------------------------------------------------------- */

static void reminder_form(web *w, const round_view *v, size_t late)
{
	html_f(w->out, "<details class=\"no-print\"><summary>Gửi e-mail nhắc %z đơn vị quá hạn</summary>", late);
	bool configured = web_mail_configured(w);
	/* the fix is the administrator's business; an officer is told whom to ask */
	if (!configured) web_mail_unconfigured_note(w);
	html_f(w->out, "<form method=\"post\" action=\"/dot/%D/nhac-nho\">", v->r.id);
	web_csrf_field(w);
	html_f(w->out, "<p class=\"explain\">Thư gửi đến thủ trưởng các đơn vị chưa gửi hồ sơ mà đã quá hạn, kèm hạn nộp, số ngày quá hạn "
	               "và đường dẫn đến hồ sơ.</p><label>Lời nhắn thêm (không bắt buộc)<textarea name=\"loi_nhan\" rows=\"3\" maxlength=\"2000\"></textarea></label>"
	               "<button type=\"submit\"%h>Gửi e-mail nhắc</button></form></details>",
	       configured ? "" : " disabled");
}

/* The messages are written here, from the inbox as the office sees it now;
 * sending them is a background job (remind.c): an SMTP server that is slow
 * or down must not hold the request. */
static void reminders_post(web *w)
{
	round_view v = *w->round;
	if (v.closed) { web_error(w, 409, "Đợt đánh giá đã kết thúc."); return; }
	if (!web_mail_configured(w)) { web_error(w, 503, "Chưa cấu hình máy chủ thư (trang Quản trị — Gửi thư)."); return; }
	const char *extra = web_in_text(w, "loi_nhan");
	inbox_row *rows;
	size_t n = office_round_rows(w, &v, &rows), nlate = 0;
	remind_batch b;
	remind_batch_init(&b);
	const char *base = office_base_url(w);
	for (size_t i = 0; i < n; i++) {
		due_info du = due_of(&v, &rows[i].as);
		/* only the units this office judges: a superior looking on does not chase */
		if (!du.overdue || !office_assessment_allowed(w, &v, &rows[i].as, AUTHZ_REVIEW)) continue;
		nlate++;
		unit_contact *cs = NULL;
		size_t nc = 0;
		office_unit_contacts(w->d, rows[i].u.id, w->a, &cs, &nc);
		if (!nc) {
			const char *why = "Chưa có địa chỉ e-mail của thủ trưởng đơn vị.";
			office_reminder_record(w->d, w->account_id, v.r.id, rows[i].u.id, NULL, false, why);
			remind_batch_skip(&b, rows[i].u.id, rows[i].u.name, why);
			continue;
		}
		const char *deadline = arena_printf(w->a, "%04d-%02d-%02d", du.deadline / 10000, du.deadline / 100 % 100, du.deadline % 100);
		const char *body = arena_printf(w->a,
			"Kính gửi: Thủ trưởng %s,\n\n"
			"%s thông báo: hồ sơ tự đánh giá mức độ chuyển đổi số của đơn vị trong đợt «%s» chưa được gửi "
			"và đã quá hạn %d ngày (hạn nộp: %s). Trạng thái hiện tại: %s.\n\n%s%s"
			"Đề nghị đơn vị hoàn thành và gửi hồ sơ trên Chiso: %s/danh-gia/%lld\n\nTrân trọng,\n%s\n",
			rows[i].u.name, v.office.name, v.r.title, -du.days, web_date_short(w, deadline),
			wf_state_label(wf_state_parse(rows[i].as.state)), extra ? extra : "", extra ? "\n\n" : "",
			base, (long long)rows[i].as.id, v.office.name);
		const char *subject = arena_printf(w->a, "Nhắc hạn gửi hồ sơ tự đánh giá chuyển đổi số — %s", rows[i].u.name);
		remind_batch_add(&b, rows[i].u.id, rows[i].u.name, cs, nc, subject, body, NULL);
	}
	int64_t id = 0;
	if (!web_remind_queue(w, v.r.id, &b, nlate, &id)) return;
	http_redirect(w->r, arena_printf(w->a, "/dot/%lld/nhac-nho/%lld", (long long)v.r.id, (long long)id));
}

/* The inbox's query string for a page of it, keeping the filters. */
static const char *inbox_query(web *w, int page)
{
	static const char *const keep[] = { "loai", "cq", "tt", "qh", "q", "xem" };
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < ARRAY_LEN(keep); i++) {
		const char *v = web_in_text(w, keep[i]);
		if (!v) continue;
		buf_printf(&b, "%s%s=", b.len ? "&" : "?", keep[i]);
		for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
			if (isalnum(*c) || strchr("-._~", *c)) buf_putc(&b, (char)*c);
			else buf_printf(&b, "%%%02X", *c);
		}
	}
	if (page > 1) buf_printf(&b, "%strang=%d", b.len ? "&" : "?", page);
	const char *out = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* Does the unit's name or code contain what was searched for, ignoring
 * tone marks and case ("nguyen hue" finds "Nguyễn Huệ")? */
static bool inbox_matches(const char *folded_query, const inbox_row *r)
{
	if (!folded_query || !*folded_query) return true;
	char *name = vn_fold(r->u.name);
	bool hit = (name && strstr(name, folded_query)) || (r->u.code && strstr(r->u.code, folded_query));
	free(name);
	return hit;
}

static void inbox_get(web *w)
{
	round_view v = *w->round;
	const char *f_type = web_in_text(w, "loai"), *f_state = web_in_text(w, "tt");
	const char *f_query = web_in_text(w, "q"), *f_view = web_in_text(w, "xem");
	int64_t f_manager = web_in_int(w, "cq", 0);
	bool late_only = web_in_given(w, "qh");
	int page = (int)web_in_int(w, "trang", 1);

	inbox_row *rows;
	size_t n = office_round_rows(w, &v, &rows);
	/* A round larger than a page opens on what needs the office: files
	 * waiting for review and units past their deadline. */
	bool attention = !f_type && !f_state && !f_manager && !late_only && !f_query && !(f_view && *f_view) && n > INBOX_PAGE;
	char *folded = f_query ? vn_fold(f_query) : NULL;

	page_begin(w, arena_printf(w->a, "Hộp hồ sơ — %s", v.r.title));
	office_round_header(w, &v, "/hop-thu");

	/* counts by state, each a filter */
	int counts[WF_STATE_COUNT] = { 0 };
	size_t late = 0, need = 0;
	due_info *dues = arena_alloc(w->a, (n + 1) * sizeof *dues);
	bool *overdue = arena_alloc(w->a, (n + 1) * sizeof *overdue);
	for (size_t i = 0; i < n; i++) {
		wf_state s = wf_state_parse(rows[i].as.state);
		if (s >= 0) counts[s]++;
		dues[i] = due_of(&v, &rows[i].as);
		overdue[i] = dues[i].overdue;
		late += overdue[i];
		need += overdue[i] || s == WF_SUBMITTED;
	}
	html_f(w->out, "<nav class=\"state-counts card no-print\" aria-label=\"Lọc theo trạng thái\"><a href=\"/dot/%D/hop-thu\"%h>Cần xử lý (%z)</a>"
	               " · <a href=\"/dot/%D/hop-thu?xem=tat-ca\">Tất cả (%z)</a>",
	       v.r.id, attention ? " aria-current=\"page\"" : "", need, v.r.id, n);
	for (int s = 0; s < WF_STATE_COUNT; s++)
		if (counts[s])
			html_f(w->out, " · <a href=\"/dot/%D/hop-thu?tt=%a\"%h>%h (%d)</a>", v.r.id, wf_state_code((wf_state)s),
			       f_state && !strcmp(f_state, wf_state_code((wf_state)s)) ? " aria-current=\"page\"" : "", wf_state_label((wf_state)s), counts[s]);
	html_f(w->out, "</nav>");
	extreq_inbox_section(w, &v, rows, n);

	/* the filter choices come from the rows themselves */
	html_f(w->out, "<form method=\"get\" action=\"/dot/%D/hop-thu\" class=\"filters card no-print\">"
	               "<label>Tìm đơn vị (tên hoặc mã, gõ không dấu cũng được)<input type=\"search\" name=\"q\" value=\"%a\"></label>"
	               "<input type=\"hidden\" name=\"xem\" value=\"tat-ca\">"
	               "<label>Loại hình<select name=\"loai\"><option value=\"\">Tất cả</option>", v.r.id, f_query ? f_query : "");
	const char **seen_types = arena_alloc(w->a, (n + 1) * sizeof *seen_types);
	size_t nst = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < nst; k++) dup |= strcmp(seen_types[k], rows[i].u.type) == 0;
		if (dup) continue;
		seen_types[nst++] = rows[i].u.type;
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", rows[i].u.type, sel(f_type && strcmp(f_type, rows[i].u.type) == 0),
		       office_unit_type_label(rows[i].u.type));
	}
	html_f(w->out, "</select></label><label>Đơn vị quản lý<select name=\"cq\"><option value=\"\">Tất cả</option>");
	int64_t *seen_mgr = arena_alloc(w->a, (n + 1) * sizeof *seen_mgr);
	size_t nsm = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = !rows[i].manager_id;
		for (size_t k = 0; k < nsm; k++) dup |= seen_mgr[k] == rows[i].manager_id;
		if (dup) continue;
		seen_mgr[nsm++] = rows[i].manager_id;
		html_f(w->out, "<option value=\"%D\"%h>%h</option>", rows[i].manager_id, sel(f_manager == rows[i].manager_id), rows[i].manager_name);
	}
	html_f(w->out, "</select></label><label>Trạng thái<select name=\"tt\"><option value=\"\">Tất cả</option>");
	for (int s = 0; s < WF_STATE_COUNT; s++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", wf_state_code((wf_state)s),
		       sel(f_state && strcmp(f_state, wf_state_code((wf_state)s)) == 0), wf_state_label((wf_state)s));
	html_f(w->out, "</select></label><label class=\"opt\"><input type=\"checkbox\" name=\"qh\" value=\"1\"%h> Chỉ đơn vị quá hạn</label>"
	               "<button type=\"submit\">Lọc</button> <a href=\"/dot/%D/hop-thu?xem=tat-ca\">Bỏ lọc</a></form>",
	       late_only ? " checked" : "", v.r.id);

	/* the rows that pass, then one page of them */
	size_t *hit = arena_alloc(w->a, (n + 1) * sizeof *hit), nhit = 0;
	for (size_t i = 0; i < n; i++) {
		const inbox_row *r = &rows[i];
		if (attention && !(overdue[i] || wf_state_parse(r->as.state) == WF_SUBMITTED)) continue;
		if (f_type && strcmp(f_type, r->u.type) != 0) continue;
		if (f_manager && f_manager != r->manager_id) continue;
		if (f_state && strcmp(f_state, r->as.state) != 0) continue;
		if (late_only && !overdue[i]) continue;
		if (!inbox_matches(folded, r)) continue;
		hit[nhit++] = i;
	}
	free(folded);
	int pages = (int)((nhit + INBOX_PAGE - 1) / INBOX_PAGE);
	if (page > pages && pages > 0) page = pages;
	size_t from = (size_t)(page - 1) * INBOX_PAGE, to = from + INBOX_PAGE < nhit ? from + INBOX_PAGE : nhit;
	buf body;
	buf_init(&body);
	for (size_t k = from; k < to; k++) {
		inbox_row *r = &rows[hit[k]];
		due_info du = dues[hit[k]];
		wf_state s = wf_state_parse(r->as.state);
		bool review = office_assessment_allowed(w, &v, &r->as, AUTHZ_REVIEW);
		html_f(&body, "<tr class=\"%h\" data-state=\"%a\" data-unit=\"%D\" data-assessment=\"%D\"><td>", du.overdue ? "overdue-row" : "", r->as.state,
		       r->u.id, r->as.id);
		if (review) html_f(&body, "<a href=\"/xet-duyet/%D\">%h</a>", r->as.id, r->u.name);
		else html_f(&body, "%h", r->u.name);
		html_f(&body, "<div class=\"explain\">%h</div></td><td data-label=\"Loại hình\">%h</td><td data-label=\"Đơn vị quản lý\">%h</td>"
		               "<td data-label=\"Trạng thái\"><span class=\"state state-%a\">%h</span></td><td data-label=\"Hạn nộp\">%h</td><td data-label=\"Thời hạn\">",
		       r->u.code, office_unit_type_label(r->u.type), r->manager_name ? r->manager_name : "—", r->as.state,
		       wf_state_label(s), du.deadline ? web_date_short(w, arena_printf(w->a, "%04d-%02d-%02d", du.deadline / 10000,
		                                                                       du.deadline / 100 % 100, du.deadline % 100)) : "—");
		if (!du.deadline || !du.open) html_f(&body, "—");
		else if (du.overdue) html_f(&body, "<span class=\"due overdue\">Quá hạn %d ngày</span>", -du.days);
		else if (du.days == 0) html_f(&body, "<span class=\"due due-soon\">Hết hạn hôm nay</span>");
		else html_f(&body, "<span class=\"due %h\">Còn %d ngày</span>", du.days <= 7 ? "due-soon" : "due-ok", du.days);
		if (r->as.extended_until) html_f(&body, "<div class=\"explain\">đã gia hạn</div>");
		html_f(&body, "</td><td class=\"%a\" data-label=\"Mức tự đánh giá\">%h</td><td class=\"%a\" data-label=\"Mức công nhận\">%h</td></tr>",
		       level_class(r->as.self_level),
		       level_text(r->as.self_level), level_class(r->as.recognised_level), level_text(r->as.recognised_level));
	}
	html_f(w->out, "<section class=\"card\"><p>%hHiển thị <strong>%z</strong>/%z đơn vị; <span class=\"overdue\">%z đơn vị quá hạn</span>.</p>",
	       attention ? "Cần xử lý (hồ sơ chờ xem xét, đơn vị quá hạn). " : "", nhit, n, late);
	if (late && !v.closed && round_allowed(w, &v, AUTHZ_OPEN_ROUND, NULL)) reminder_form(w, &v, late);
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"inbox labelled\"><thead><tr><th>Đơn vị</th><th>Loại hình</th><th>Đơn vị quản lý</th>"
	               "<th>Trạng thái</th><th>Hạn nộp</th><th>Thời hạn</th><th>Mức tự đánh giá</th><th>Mức công nhận</th></tr></thead><tbody>");
	buf_append(w->out, body.data ? body.data : "", body.len);
	buf_free(&body);
	html_f(w->out, "</tbody></table></div>");
	if (pages > 1) {
		html_f(w->out, "<nav class=\"pages no-print\" aria-label=\"Trang\">Trang:");
		for (int p = 1; p <= pages; p++)
			if (p == page) html_f(w->out, " <strong aria-current=\"page\">%d</strong>", p);
			else html_f(w->out, " <a href=\"/dot/%D/hop-thu%h\">%d</a>", v.r.id, inbox_query(w, p), p);
		html_f(w->out, "</nav>");
	}
	html_f(w->out, "</section>");
	page_end(w);
}

/* ---- review ---------------------------------------------------------------------------- */

static const char *return_reason_of(const return_notice *rn, const char *code)
{
	for (size_t i = 0; rn && i < rn->nitems; i++)
		if (strcmp(rn->items[i].item_code, code) == 0) return rn->items[i].reason;
	return NULL;
}

static void review_rows(web *w, assess_view *v, const fw_node *n, const evidence *ev, size_t nev, bool returnable,
                        const return_notice *last)
{
	const node_score *ns = v->score ? score_node(v->score, n) : NULL;
	bool leaf = n->rule != NULL;
	html_f(w->out, "<tr id=\"tc-%a\" class=\"%h\"><td>%h</td><td>%h</td><td data-label=\"Kết quả tự đánh giá\">", n->code,
	       leaf ? "leaf" : "criterion", n->code, n->title);
	if (leaf) {
		const assessment_answer *st = v->stored[n->leaf_index];
		const char *text = st ? office_answer_text(w, n, v->type, st->value_json) : "";
		html_f(w->out, "%h", *text ? text : "Chưa đánh giá");
		if (ns && ns->explain) html_f(w->out, "<div class=\"explain\">%h</div>", ns->explain);
	}
	html_f(w->out, "</td><td class=\"num\" data-label=\"Điểm\">");
	if (ns && !(n->rule && (n->rule->kind == RULE_GATE || n->rule->kind == RULE_INFO))) html_f(w->out, "%q/%q", ns->points, ns->max);
	else if (ns && n->rule && n->rule->kind == RULE_GATE) html_f(w->out, "%h", ns->answered ? (ns->gate_failed ? "Chưa đạt" : "Đạt") : "—");
	html_f(w->out, "</td><td data-label=\"Minh chứng\">");
	evidence_review_list(w, ev, nev, n->code, false);
	html_f(w->out, "</td>");
	if (returnable) {
		const char *name = arena_printf(w->a, "r:%s", n->code);
		html_f(w->out, "<td data-label=\"Yêu cầu bổ sung\"><textarea name=\"%a\" rows=\"2\" aria-label=\"Yêu cầu bổ sung cho %a\">%h</textarea></td>", name, n->code,
		       pval(w, name, ""));
	} else if (last) {
		const char *why = return_reason_of(last, n->code);
		html_f(w->out, "<td data-label=\"Đã yêu cầu bổ sung\">%h</td>", why ? why : "");
	}
	html_f(w->out, "</tr>");
	for (size_t i = 0; i < n->nchildren; i++) review_rows(w, v, &n->children[i], ev, nev, returnable, last);
}

/* Transitions into WF_SUBMITTED, oldest first: the versions a school sent. */
static size_t submissions_of(web *w, int64_t id, assessment_transition_row **out)
{
	assessment_transition_row *t = NULL;
	size_t n = 0, k = 0;
	assessment_transitions(w->d, id, w->a, &t, &n);
	for (size_t i = 0; i < n; i++)
		if (wf_state_parse(t[i].to_state) == WF_SUBMITTED) t[k++] = t[i];
	*out = t;
	return k;
}

static void review_page(web *w, assess_view *v, const char *error)
{
	wf_input in;
	assess_wf_input(w, v, &in);
	bool returnable = wf_offered(&in, WF_RETURN);
	return_notice last;
	bool has_last = submission_last_return(w->d, v->as.id, w->a, &last) == DB_OK;
	if (!has_last) db_clear_error(w->d);

	page_begin(w, arena_printf(w->a, "Xét duyệt — %s", v->u.name));
	html_f(w->out, "<p class=\"crumbs no-print\"><a href=\"/dot/%D/hop-thu\">Hộp hồ sơ — %h</a></p>", v->round.id, v->round.title);
	html_f(w->out, "<section class=\"card summary\"><h1>%h</h1><p>%h — trạng thái: <strong>%h</strong></p>",
	       v->u.name, v->round.title, wf_state_label(v->state));
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	if (v->score) {
		html_f(w->out, "<table class=\"totals\"><thead><tr><th>Nhóm</th><th class=\"num\">Điểm tự đánh giá</th><th>Mức</th></tr></thead><tbody>");
		for (size_t g = 0; g < v->fw->ngroups; g++) {
			const node_score *gs = score_node(v->score, &v->fw->groups[g]);
			html_f(w->out, "<tr><td>%h. %h</td><td class=\"num\">%q/%q</td><td class=\"%a\">%h</td></tr>", v->fw->groups[g].code,
			       v->fw->groups[g].title, gs->points, gs->max, level_class(gs->band ? gs->band->level : 0), gs->band ? gs->band->name : "");
		}
		html_f(w->out, "</tbody></table><p><strong>Kết luận tự đánh giá:</strong> %h</p>", v->score->level_explain);
	}
	assessment_transition_row *subs;
	size_t nsubs = submissions_of(w, v->as.id, &subs);
	if (nsubs) {
		html_f(w->out, "<h2>Các lần gửi hồ sơ</h2><ol>");
		for (size_t i = 0; i < nsubs; i++) html_f(w->out, "<li>%h</li>", office_time(w, subs[i].at));
		html_f(w->out, "</ol>");
		if (nsubs >= 2)
			html_f(w->out, "<p><a href=\"/xet-duyet/%D/so-sanh?tu=%z&amp;den=%z\">So sánh lần gửi %z với lần gửi %z</a></p>", v->as.id,
			       nsubs - 1, nsubs, nsubs - 1, nsubs);
	}
	submission sub;
	if (submission_latest(w->d, v->as.id, w->a, &sub) == DB_OK && sub.letter)
		html_f(w->out, "<details><summary>Tờ trình kèm theo lần gửi gần nhất</summary><pre class=\"letter\">%h</pre></details>", sub.letter);
	else db_clear_error(w->d);
	html_f(w->out, "<p class=\"no-print\"><a href=\"/danh-gia-ngoai/%D/doi-chieu\">Đối chiếu tự đánh giá và đánh giá ngoài</a></p></section>", v->as.id);
	web_seal_status(w, v->as.id);   /* issue 17: the seal, checked now */

	if (has_last) {
		html_f(w->out, "<section class=\"card\"><h2>Lần yêu cầu bổ sung gần nhất (%h)</h2><p>%h</p>", office_time(w, last.at), last.reason);
		if (last.extended_until) html_f(w->out, "<p>Hạn bổ sung: %h</p>", web_date_long(w, last.extended_until));
		if (last.nitems) {
			html_f(w->out, "<ul>");
			for (size_t i = 0; i < last.nitems; i++)
				html_f(w->out, "<li><a href=\"#tc-%a\">%h</a>: %h</li>", last.items[i].item_code, last.items[i].item_code, last.items[i].reason);
			html_f(w->out, "</ul>");
		}
		html_f(w->out, "</section>");
	}

	/* the other transitions the office may take from here */
	bool any = false;
	static const wf_action office_actions[] = { WF_START_EVALUATION };
	for (size_t i = 0; i < ARRAY_LEN(office_actions); i++) {
		if (!wf_offered(&in, office_actions[i])) continue;
		if (!any) html_f(w->out, "<section class=\"card actions no-print\"><h2>Thao tác</h2>");
		any = true;
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia-ngoai/%D/chuyen\" class=\"action\">", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"action\" value=\"%a\"><button type=\"submit\">%h</button></form>",
		       wf_action_code(office_actions[i]), wf_action_label(office_actions[i]));
	}
	if (any) html_f(w->out, "<p class=\"explain\">Phân công thành viên đoàn đánh giá ngoài tại trang <a href=\"/dot/%D/doan\">Đoàn đánh giá ngoài</a>.</p></section>",
	                v->round.id);

	evidence *ev = NULL;
	size_t nev = 0;
	evidence_list(w->d, v->as.id, NULL, w->a, &ev, &nev);
	if (returnable) {
		html_f(w->out, "<form method=\"post\" action=\"/xet-duyet/%D/tra-lai\" class=\"review\">", v->as.id);
		web_csrf_field(w);
	}
	for (size_t g = 0; g < v->fw->ngroups; g++) {
		const fw_node *gn = &v->fw->groups[g];
		html_f(w->out, "<section class=\"card group\" id=\"nhom-%a\"><h2>Nhóm %h. %h</h2><div class=\"table-wrap\"><table class=\"items labelled\">"
		               "<thead><tr><th>Mã</th><th>Tiêu chí</th><th>Kết quả tự đánh giá</th><th class=\"num\">Điểm</th><th>Minh chứng</th>",
		       gn->code, gn->code, gn->title);
		if (returnable || has_last) html_f(w->out, "<th>%h</th>", returnable ? "Yêu cầu bổ sung" : "Đã yêu cầu bổ sung");
		html_f(w->out, "</tr></thead><tbody>");
		for (size_t i = 0; i < gn->nchildren; i++) review_rows(w, v, &gn->children[i], ev, nev, returnable, has_last ? &last : NULL);
		html_f(w->out, "</tbody></table></div></section>");
	}
	if (returnable) {
		html_f(w->out, "<section class=\"card\" id=\"tra-lai\"><h2>Trả lại để bổ sung</h2>"
		               "<p class=\"explain\">Ghi yêu cầu cho từng chỉ tiêu ở cột «Yêu cầu bổ sung» phía trên; đơn vị sẽ thấy các yêu cầu này khi mở hồ sơ.</p>"
		               "<label>Lý do chung<textarea name=\"ly_do\" rows=\"3\">%h</textarea></label>"
		               "<label>Hạn nộp bổ sung<input type=\"date\" name=\"han\" value=\"%a\"></label>"
		               "<button type=\"submit\" class=\"danger\">Trả lại để bổ sung</button></section></form>",
		       pval(w, "ly_do", ""), pval(w, "han", ""));
	}

	assessment_transition_row *t = NULL;
	size_t nt = 0;
	assessment_transitions(w->d, v->as.id, w->a, &t, &nt);
	html_f(w->out, "<section class=\"card\"><h2>Lịch sử hồ sơ</h2><div class=\"table-wrap\"><table><thead><tr><th>Lúc</th><th>Người thực hiện</th>"
	               "<th>Từ</th><th>Sang</th><th>Lý do</th></tr></thead><tbody>");
	for (size_t i = 0; i < nt; i++) {
		account acc = { 0 };
		if (t[i].account_id) account_get(w->d, t[i].account_id, w->a, &acc);
		html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", office_time(w, t[i].at), acc.full_name,
		       wf_state_label(wf_state_parse(t[i].from_state)), wf_state_label(wf_state_parse(t[i].to_state)), t[i].reason);
	}
	html_f(w->out, "</tbody></table></div></section>");
	page_end(w);
}

static void review_get(web *w)
{
	assess_view *v = w->view;
	review_page(w, v, NULL);
}

static void review_return(web *w)
{
	assess_view *v = w->view;
	return_item *items = arena_alloc(w->a, (v->fw->nnodes + 1) * sizeof *items);
	size_t n = 0;
	/* a reason per leaf or criterion, as the review table offers them */
	for (size_t i = 0; i < w->r->nfields; i++) {
		const char *name = w->r->fields[i].name;
		if (strncmp(name, "r:", 2) != 0) continue;
		const char *why = web_in_text(w, name);
		if (!why || !framework_find(v->fw, name + 2)) continue;
		bool dup = false;
		for (size_t k = 0; k < n; k++) dup |= strcmp(items[k].item_code, name + 2) == 0;
		if (!dup) items[n++] = (return_item){ .item_code = name + 2, .reason = why };
	}
	const char *reason = web_in_text(w, "ly_do"), *until = web_in_text(w, "han");
	if ((!reason || !*reason) && n)
		reason = arena_printf(w->a, "Cần bổ sung theo yêu cầu ở %zu chỉ tiêu.", n);
	authz_ctx az;
	assess_target t;
	assess_target_of(w, v, &az, &t);
	assess_request rq = { .action = WF_RETURN, .account_id = w->account_id, .reason = reason,
	                      .new_deadline = until, .items = items, .nitems = n };
	wf_result res;
	assess_refusal r = assess_act(w->d, &rq, &t, 1, &res);
	if (r == ASSESS_UNMET && res.refusal != WF_OK) {
		/* a condition of the workflow unmet: the form again, with why */
		w->r->status = 422;
		review_page(w, v, res.message);
		return;
	}
	if (r != ASSESS_OK) { web_error(w, assess_refusal_status(r), arena_strdup(w->a, res.message)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/xet-duyet/%lld", (long long)w->ids[0]), "da-chuyen");
}

/* ---- the diff between two submitted versions --------------------------------------------- */

/* The answers (by leaf index) as they stood at timestamp `at`: for each
 * item, its last version written at or before then. */
static const char **answers_at(web *w, const framework *fw, const assessment_answer *all, size_t n, const char *at)
{
	const char **vals = arena_alloc(w->a, (fw->nleaves + 1) * sizeof *vals);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(all[i].created_at, at) > 0) continue;
		const fw_node *leaf = framework_find(fw, all[i].item_code);
		if (!leaf || !leaf->rule) continue;
		vals[leaf->leaf_index] = strcmp(all[i].value_json, "null") == 0 ? NULL : all[i].value_json;   /* versions ascend */
	}
	return vals;
}

/* One item's evidence changes between the two submissions, as a list. */
static bool evidence_changes(web *w, const char *item, const evhist_change *ch, size_t nch)
{
	bool any = false;
	for (size_t k = 0; k < nch; k++) {
		if (strcmp(ch[k].item, item) != 0) continue;
		if (!any) html_f(w->out, "<ul class=\"ev-changes\">");
		any = true;
		if (ch[k].kind == EVHIST_ADDED)
			html_f(w->out, "<li class=\"ev-added\"><ins>Thêm minh chứng %h: %h</ins></li>", ch[k].code, ch[k].title);
		else if (ch[k].kind == EVHIST_REMOVED)
			html_f(w->out, "<li class=\"ev-removed\"><del>Bỏ minh chứng %h: %h</del></li>", ch[k].code, ch[k].title);
		else
			html_f(w->out, "<li class=\"ev-changed\">%h (%h): %h</li>", ch[k].code, ch[k].title, ch[k].what);
	}
	if (any) html_f(w->out, "</ul>");
	return any;
}

static bool item_in(const char *item, const evhist_change *ch, size_t nch)
{
	for (size_t k = 0; k < nch; k++)
		if (strcmp(ch[k].item, item) == 0) return true;
	return false;
}

static void review_diff(web *w)
{
	assess_view *v = w->view;
	assessment_transition_row *subs;
	size_t nsubs = submissions_of(w, v->as.id, &subs);
	int ka = (int)web_in_int(w, "tu", (int64_t)nsubs - 1), kb = (int)web_in_int(w, "den", (int64_t)nsubs);
	if (nsubs < 2 || ka < 1 || kb < 1 || (size_t)ka > nsubs || (size_t)kb > nsubs || ka == kb) {
		web_error(w, 404, nsubs < 2 ? "Hồ sơ này mới được gửi một lần: chưa có phiên bản nào để so sánh."
		                            : "Không có lần gửi hồ sơ được chọn.");
		return;
	}
	assessment_answer *all = NULL;
	size_t nall = 0;
	office_answer_versions(w->d, v->as.id, ANSWER_SELF, w->a, &all, &nall);
	const char **va = answers_at(w, v->fw, all, nall, subs[ka - 1].at), **vb = answers_at(w, v->fw, all, nall, subs[kb - 1].at);
	score_result *sa = office_score(w, v->fw, v->type, v->round.policy, va), *sb = office_score(w, v->fw, v->type, v->round.policy, vb);
	return_notice last;
	bool has_last = submission_last_return(w->d, v->as.id, w->a, &last) == DB_OK;
	evhist_change *ch = NULL;
	size_t nch = 0;
	evhist_between(w->d, v->as.id, subs[(ka < kb ? ka : kb) - 1].at, subs[(ka < kb ? kb : ka) - 1].at, w->a, &ch, &nch);

	page_begin(w, arena_printf(w->a, "So sánh các lần gửi — %s", v->u.name));
	html_f(w->out, "<p class=\"crumbs no-print\"><a href=\"/xet-duyet/%D\">Xét duyệt — %h</a></p>"
	               "<h1>So sánh lần gửi %d (%h) với lần gửi %d (%h)</h1>",
	       v->as.id, v->u.name, ka, office_time(w, subs[ka - 1].at), kb, office_time(w, subs[kb - 1].at));
	html_f(w->out, "<form method=\"get\" class=\"filters no-print\"><label>Từ lần<select name=\"tu\">");
	for (size_t i = 1; i <= nsubs; i++) html_f(w->out, "<option value=\"%z\"%h>%z</option>", i, sel((int)i == ka), i);
	html_f(w->out, "</select></label><label>Đến lần<select name=\"den\">");
	for (size_t i = 1; i <= nsubs; i++) html_f(w->out, "<option value=\"%z\"%h>%z</option>", i, sel((int)i == kb), i);
	html_f(w->out, "</select></label><button type=\"submit\">So sánh</button></form>");
	if (sa && sb) {
		html_f(w->out, "<section class=\"card\"><table class=\"totals\"><thead><tr><th>Nhóm</th><th class=\"num\">Lần %d</th>"
		               "<th class=\"num\">Lần %d</th><th class=\"num\">Chênh lệch</th></tr></thead><tbody>", ka, kb);
		for (size_t g = 0; g < v->fw->ngroups; g++) {
			const node_score *ga = score_node(sa, &v->fw->groups[g]), *gb = score_node(sb, &v->fw->groups[g]);
			html_f(w->out, "<tr><td>%h. %h</td><td class=\"num\">%q</td><td class=\"num\">%q</td><td class=\"num\">%q</td></tr>",
			       v->fw->groups[g].code, v->fw->groups[g].title, ga->points, gb->points, q_sub(gb->points, ga->points));
		}
		html_f(w->out, "</tbody></table><p>Lần %d: %h<br>Lần %d: %h</p></section>", ka, sa->level_explain, kb, sb->level_explain);
	}
	html_f(w->out, "<section class=\"card\"><h2>Các chỉ tiêu thay đổi</h2><div class=\"table-wrap\"><table class=\"diff labelled\"><thead><tr>"
	               "<th>Mã</th><th>Tiêu chí</th><th>Lần %d</th><th>Lần %d</th><th class=\"num\">Điểm</th><th>Minh chứng</th>",
	       ka, kb);
	if (has_last) html_f(w->out, "<th>Yêu cầu bổ sung</th>");
	html_f(w->out, "</tr></thead><tbody>");
	size_t changed = 0;
	for (size_t i = 0; i < v->fw->nleaves; i++) {
		const fw_node *leaf = v->fw->leaves[i];
		const char *ta = office_answer_text(w, leaf, v->type, va[i]), *tb = office_answer_text(w, leaf, v->type, vb[i]);
		bool same = (!va[i] && !vb[i]) || (va[i] && vb[i] && strcmp(va[i], vb[i]) == 0);
		if (same && !item_in(leaf->code, ch, nch)) continue;
		changed++;
		html_f(w->out, "<tr id=\"ss-%a\"><td><a href=\"/xet-duyet/%D#tc-%a\">%h</a></td><td>%h</td>", leaf->code, v->as.id, leaf->code,
		       leaf->code, leaf->title);
		if (same)
			html_f(w->out, "<td data-label=\"Trước\" colspan=\"2\">Câu trả lời không đổi: %h</td>", *ta ? ta : "Chưa đánh giá");
		else
			html_f(w->out, "<td data-label=\"Trước\"><del>%h</del></td><td data-label=\"Sau\"><ins>%h</ins></td>",
			       *ta ? ta : "Chưa đánh giá", *tb ? tb : "Chưa đánh giá");
		html_f(w->out, "<td class=\"num\" data-label=\"Điểm\">");
		if (sa && sb && !same) html_f(w->out, "%q → %q", score_node(sa, leaf)->points, score_node(sb, leaf)->points);
		html_f(w->out, "</td><td data-label=\"Minh chứng\">");
		if (!evidence_changes(w, leaf->code, ch, nch)) html_f(w->out, "Không đổi");
		html_f(w->out, "</td>");
		if (has_last) {
			const char *why = return_reason_of(&last, leaf->code);
			html_f(w->out, "<td data-label=\"Yêu cầu bổ sung\">%h</td>", why ? why : "");
		}
		html_f(w->out, "</tr>");
	}
	if (!changed) html_f(w->out, "<tr><td colspan=\"6\">Không có chỉ tiêu nào thay đổi giữa hai lần gửi.</td></tr>");
	html_f(w->out, "</tbody></table></div><p>%z chỉ tiêu thay đổi.</p></section>", changed);
	page_end(w);
	score_free(sa);
	score_free(sb);
}

/* ---- recognition and publication ------------------------------------------------------------ */

/* A folded form to take a unit back one step (unpublish, withdraw the
 * recognition), with the reason the workflow requires. */
static void withdraw_form(web *w, const round_view *v, const inbox_row *r, const char *path, const char *label)
{
	html_f(w->out, " <details class=\"inline no-print\"><summary>%h</summary><form method=\"post\" action=\"/dot/%D/%h\">", label,
	       v->r.id, path);
	web_csrf_field(w);
	html_f(w->out, "<input type=\"hidden\" name=\"ho_so\" value=\"%D\"><label class=\"small\">Lý do (bắt buộc)"
	               "<textarea name=\"ly_do\" rows=\"2\" required></textarea></label><button type=\"submit\" class=\"danger\">%h — %h</button></form></details>",
	       r->as.id, label, r->u.name);
}

/* A unit's checkbox on the recognition page: never ticked by default (a
 * decision covers only what the officer chose), ticked for every eligible
 * unit when the page is asked "?chon=FORM"; disabled where not allowed. */
static const char *tick(web *w, const char *form, bool may)
{
	if (!may) return " disabled";
	const char *want = web_in_text(w, "chon");
	return want && !strcmp(want, form) ? " checked" : "";
}

/* The step before a recognition or a publication is recorded: what the
 * officer chose, counted by level, with the chosen units named, and the
 * same form again with xac_nhan=1. Returns false when the request is
 * already that confirmation. */
static bool confirmed(web *w)
{
	return web_in_given(w, "xac_nhan");   /* declared as the one value "1" */
}

static bool confirm_first(web *w, const round_view *v, const char *path, const char *what, const char *const *names,
                          const int *levels, const int64_t *ids, size_t n)
{
	if (confirmed(w)) return false;
	size_t at[4] = { 0 };
	for (size_t i = 0; i < n; i++) at[levels[i] >= 1 && levels[i] <= 3 ? levels[i] : 0]++;
	page_begin(w, arena_printf(w->a, "Xác nhận %s — %s", what, v->r.title));
	html_f(w->out, "<section class=\"card\"><h1>Xác nhận %h</h1><p><strong>%z đơn vị</strong>: Mức 3: %z; Mức 2: %z; Mức 1: %z",
	       what, n, at[3], at[2], at[1]);
	if (at[0]) html_f(w->out, "; chưa có mức: %z", at[0]);
	const char *number = web_in_text(w, "so"), *date = web_in_text(w, "ngay");
	html_f(w->out, ".</p>");
	if (number) html_f(w->out, "<p>Theo Quyết định số <strong>%h</strong>%h%h.</p>", number, date ? " ngày " : "", web_date_short(w, date));
	html_f(w->out, "<ol>");
	for (size_t i = 0; i < n; i++) html_f(w->out, "<li>%h — %h</li>", names[i], level_text(levels[i]));
	html_f(w->out, "</ol><form method=\"post\" action=\"/dot/%D/%h\">", v->r.id, path);
	web_csrf_field(w);
	for (size_t i = 0; i < n; i++) html_f(w->out, "<input type=\"hidden\" name=\"ho_so\" value=\"%D\">", ids[i]);
	static const char *const carried[] = { "so", "ngay", "nguoi_ky" };
	for (size_t i = 0; i < ARRAY_LEN(carried); i++) {
		const char *val = web_in_text(w, carried[i]);
		if (val) html_f(w->out, "<input type=\"hidden\" name=\"%h\" value=\"%a\">", carried[i], val);
	}
	html_f(w->out, "<input type=\"hidden\" name=\"xac_nhan\" value=\"1\"><p><button type=\"submit\">Xác nhận %h %z đơn vị</button> "
	               "<a href=\"/dot/%D/cong-nhan\">Quay lại, chọn lại</a></p></form></section>",
	       what, n, v->r.id);
	page_end(w);
	return true;
}

static void recognition_get(web *w)
{
	round_view v = *w->round;
	inbox_row *rows;
	size_t n = office_round_rows(w, &v, &rows);
	page_begin(w, arena_printf(w->a, "Công nhận và công bố — %s", v.r.title));
	office_round_header(w, &v, "/cong-nhan");

	/* evaluated → recognised, by one decision for the chosen units */
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (wf_state_parse(rows[i].as.state) != WF_EVALUATED) continue;
		bool may = office_assessment_allowed(w, &v, &rows[i].as, AUTHZ_RECOGNISE);
		if (!any) {
			html_f(w->out, "<section class=\"card\" id=\"cong-nhan\"><h2>Công nhận mức độ chuyển đổi số</h2>"
			               "<p class=\"no-print\"><a href=\"/dot/%D/cong-nhan?chon=cong-nhan#cong-nhan\">Chọn tất cả đơn vị đủ điều kiện</a></p>"
			               "<form method=\"post\" action=\"/dot/%D/cong-nhan\">", v.r.id, v.r.id);
			web_csrf_field(w);
			html_f(w->out, "<div class=\"table-wrap\"><table class=\"labelled pick\"><thead><tr><th>Chọn</th><th>Đơn vị</th><th>Loại hình</th><th>Mức tự đánh giá</th>"
			               "<th>Mức đánh giá ngoài</th></tr></thead><tbody>");
		}
		any = true;
		html_f(w->out, "<tr><td><input type=\"checkbox\" name=\"ho_so\" value=\"%D\" aria-label=\"Chọn %a\"%h></td>"
		               "<td><a href=\"/danh-gia-ngoai/%D/doi-chieu\">%h</a></td><td data-label=\"Loại hình\">%h</td>"
		               "<td class=\"%a\" data-label=\"Mức tự đánh giá\">%h</td><td class=\"%a\" data-label=\"Mức đánh giá ngoài\">%h</td></tr>",
		       rows[i].as.id, rows[i].u.name, tick(w, "cong-nhan", may), rows[i].as.id, rows[i].u.name,
		       office_unit_type_label(rows[i].u.type), level_class(rows[i].as.self_level), level_text(rows[i].as.self_level),
		       level_class(rows[i].as.external_level), level_text(rows[i].as.external_level));
	}
	if (any)
		html_f(w->out, "</tbody></table></div><fieldset><legend>Quyết định công nhận</legend>"
		               "<label>Số quyết định<input name=\"so\" required placeholder=\"125/QĐ-PGDĐT\" value=\"%a\"></label>"
		               "<label>Ngày ký<input type=\"date\" name=\"ngay\" required value=\"%a\"></label>"
		               "<label>Người ký<input name=\"nguoi_ky\" required value=\"%a\"></label></fieldset>"
		               "<p class=\"explain\">Mức được công nhận là mức theo kết quả đánh giá ngoài của đoàn.</p>"
		               "<button type=\"submit\">Công nhận các đơn vị đã chọn</button></form></section>",
		       pval(w, "so", ""), pval(w, "ngay", office_today_iso(w)), pval(w, "nguoi_ky", ""));
	else
		html_f(w->out, "<section class=\"card\"><h2>Công nhận mức độ chuyển đổi số</h2><p>Chưa có đơn vị nào đã hoàn thành đánh giá ngoài.</p></section>");

	any = false;
	for (size_t i = 0; i < n; i++) {
		if (wf_state_parse(rows[i].as.state) != WF_RECOGNISED) continue;
		bool may = office_assessment_allowed(w, &v, &rows[i].as, AUTHZ_PUBLISH);
		if (!any) {
			html_f(w->out, "<section class=\"card\" id=\"cong-bo\"><h2>Công bố kết quả</h2>"
			               "<p class=\"no-print\"><a href=\"/dot/%D/cong-nhan?chon=cong-bo#cong-bo\">Chọn tất cả đơn vị đủ điều kiện</a></p>"
			               "<form method=\"post\" action=\"/dot/%D/cong-bo\">", v.r.id, v.r.id);
			web_csrf_field(w);
			html_f(w->out, "<div class=\"table-wrap\"><table class=\"labelled pick\"><thead><tr><th>Chọn</th><th>Đơn vị</th><th>Mức công nhận</th><th>Quyết định</th></tr></thead><tbody>");
		}
		any = true;
		decision dec = { 0 };
		if (rows[i].as.recognition_decision_id) decision_get(w->d, rows[i].as.recognition_decision_id, w->a, &dec);
		html_f(w->out, "<tr><td><input type=\"checkbox\" name=\"ho_so\" value=\"%D\" aria-label=\"Chọn %a\"%h></td><td>%h</td>"
		               "<td class=\"%a\" data-label=\"Mức công nhận\">%h</td><td data-label=\"Quyết định\">%h%h%h</td></tr>",
		       rows[i].as.id, rows[i].u.name, tick(w, "cong-bo", may), rows[i].u.name, level_class(rows[i].as.recognised_level),
		       level_text(rows[i].as.recognised_level), dec.number, dec.date ? " ngày " : "", web_date_short(w, dec.date));
	}
	if (any) {
		html_f(w->out, "</tbody></table></div><button type=\"submit\">Công bố các đơn vị đã chọn</button></form><ul class=\"plain\">");
		for (size_t i = 0; i < n; i++)
			if (wf_state_parse(rows[i].as.state) == WF_RECOGNISED && office_assessment_allowed(w, &v, &rows[i].as, AUTHZ_RECOGNISE)) {
				html_f(w->out, "<li>");
				withdraw_form(w, &v, &rows[i], "thu-hoi-cong-nhan", "Thu hồi công nhận");
				html_f(w->out, "</li>");
			}
		html_f(w->out, "</ul></section>");
	}

	any = false;
	for (size_t i = 0; i < n; i++) {
		if (wf_state_parse(rows[i].as.state) != WF_PUBLISHED) continue;
		if (!any) html_f(w->out, "<section class=\"card\"><h2>Đã công bố</h2><ul>");
		any = true;
		html_f(w->out, "<li><a href=\"/cong-khai/don-vi/%D\">%h</a> — <span class=\"%a\">%h</span>", rows[i].u.id, rows[i].u.name,
		       level_class(rows[i].as.recognised_level), level_text(rows[i].as.recognised_level));
		if (office_assessment_allowed(w, &v, &rows[i].as, AUTHZ_PUBLISH)) withdraw_form(w, &v, &rows[i], "thu-hoi-cong-bo", "Thu hồi công bố");
		html_f(w->out, "</li>");
	}
	if (any)
		html_f(w->out, "</ul><p><a href=\"/cong-khai/khu-vuc/%D\">Trang công khai của %h</a> · "
		               "<a href=\"/cong-khai/du-lieu.csv?khu-vuc=%D\">CSV</a> · <a href=\"/cong-khai/du-lieu.json?khu-vuc=%D\">JSON</a></p></section>",
		       v.office.id, v.office.name, v.office.id, v.office.id);
	page_end(w);
}

/* The ids of the chosen assessments (checkboxes "ho_so") of this round. */
static size_t chosen(web *w, const round_view *v, int64_t **out)
{
	size_t n = 0;
	const int64_t *given;
	web_in_list(w, "ho_so", &n, &given);   /* ids, checked by the dispatcher */
	int64_t *ids = arena_alloc(w->a, (n + 1) * sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		assessment as;
		if (assessment_get(w->d, given[i], w->a, &as) != DB_OK || as.round_id != v->r.id) return (size_t)-1;
		ids[k++] = given[i];
	}
	*out = ids;
	return k;
}

static void recognition_post(web *w)
{
	round_view v = *w->round;
	int64_t *ids;
	size_t n = chosen(w, &v, &ids);
	if (n == (size_t)-1) { web_error(w, 400, "Có đơn vị được chọn không thuộc đợt đánh giá này."); return; }
	if (n == 0) { web_error(w, 422, "Chưa chọn đơn vị nào để công nhận."); return; }
	decision dec = { .number = web_in_text(w, "so"), .date = web_in_text(w, "ngay"), .signer = web_in_text(w, "nguoi_ky") };
	assess_view *av = arena_alloc(w->a, n * sizeof *av);
	size_t loaded = 0;
	for (; loaded < n; loaded++)
		if (!assess_view_load(w, ids[loaded], ANSWER_EXTERNAL, AUTHZ_RECOGNISE, &av[loaded])) break;
	if (loaded == n) {
		const char **names = arena_alloc(w->a, n * sizeof *names);
		int *levels = arena_alloc(w->a, n * sizeof *levels);
		for (size_t i = 0; i < n; i++) {
			names[i] = av[i].u.name;
			levels[i] = av[i].score && av[i].score->level ? av[i].score->level->level : 0;
		}
		if (confirm_first(w, &v, "cong-nhan", "công nhận", names, levels, ids, n)) loaded = n + 1;
	}
	int status = 0;
	wf_result res;
	if (loaded == n) status = assess_recognise(w, av, n, &dec, v.office.id, 0, &res);
	for (size_t i = 0; i < loaded && i < n; i++) assess_view_free(&av[i]);
	if (loaded != n) return;   /* refused while loading, or the confirmation shown */
	if (status) { web_error(w, status, arena_strdup(w->a, res.message)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/cong-nhan", (long long)v.r.id), "da-chuyen");
}

static void publish_post(web *w)
{
	round_view v = *w->round;
	int64_t *ids;
	size_t n = chosen(w, &v, &ids);
	if (n == (size_t)-1) { web_error(w, 400, "Có đơn vị được chọn không thuộc đợt đánh giá này."); return; }
	if (n == 0) { web_error(w, 422, "Chưa chọn đơn vị nào để công bố."); return; }
	if (!confirmed(w)) {
		/* the confirmation first: each unit allowed before anything about it is shown */
		const char **names = arena_alloc(w->a, n * sizeof *names);
		int *levels = arena_alloc(w->a, n * sizeof *levels);
		for (size_t i = 0; i < n; i++) {
			assess_view av;
			if (!assess_view_load(w, ids[i], ANSWER_EXTERNAL, AUTHZ_PUBLISH, &av)) return;
			names[i] = av.u.name;
			levels[i] = av.as.recognised_level;
			assess_view_free(&av);
		}
		confirm_first(w, &v, "cong-bo", "công bố", names, levels, ids, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		assess_view av;
		if (!assess_view_load(w, ids[i], ANSWER_EXTERNAL, AUTHZ_PUBLISH, &av)) return;
		authz_ctx az;
		assess_target t;
		assess_target_of(w, &av, &az, &t);
		t.label = av.u.name;
		char *json = score_public_snapshot(av.score);   /* NULL: no score; the service refuses */
		t.result_json = json;
		assess_request rq = { .action = WF_PUBLISH, .account_id = w->account_id };
		wf_result res;
		assess_refusal r = assess_act(w->d, &rq, &t, 1, &res);
		free(json);
		assess_view_free(&av);
		if (r != ASSESS_OK) { web_error(w, assess_refusal_status(r), arena_strdup(w->a, res.message)); return; }
	}
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/cong-nhan", (long long)v.r.id), "da-chuyen");
}

/* Unpublish (published → recognised: the public snapshot goes) or
 * withdraw the recognition (recognised → evaluated: the recognised level
 * and decision are cleared), each with its reason. */
static void withdraw_post(web *w, wf_action a)
{
	round_view v = *w->round;
	int64_t *ids;
	size_t n = chosen(w, &v, &ids);
	if (n != 1) { web_error(w, 400, "Chọn một đơn vị."); return; }
	assess_view av;
	if (!assess_view_load(w, ids[0], ANSWER_EXTERNAL, a == WF_UNPUBLISH ? AUTHZ_PUBLISH : AUTHZ_RECOGNISE, &av)) return;
	authz_ctx az;
	assess_target t;
	assess_target_of(w, &av, &az, &t);
	assess_request rq = { .action = a, .account_id = w->account_id, .reason = web_in_text(w, "ly_do") };
	wf_result res;
	assess_refusal r = assess_act(w->d, &rq, &t, 1, &res);
	assess_view_free(&av);
	if (r != ASSESS_OK) { web_error(w, assess_refusal_status(r), arena_strdup(w->a, res.message)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/cong-nhan", (long long)v.r.id), "da-chuyen");
}

static void unpublish_post(web *w) { withdraw_post(w, WF_UNPUBLISH); }
static void unrecognise_post(web *w) { withdraw_post(w, WF_WITHDRAW_RECOGNITION); }

/* The list of rounds and opening one: the offices of the account's own
 * grants (WEB_LOAD_OWN), each asked of authz (round_allowed).
 * Recognising, publishing and withdrawing load the round to view and then
 * check each chosen assessment (AUTHZ_RECOGNISE / AUTHZ_PUBLISH). */
/* Returning for supplement: the reason and the new deadline (the reasons
 * item by item, r:CODE, are as many as the framework has: read by the
 * handler). */
static const web_input return_inputs[] = {
	{ .name = "ly_do", .type = WEB_IN_TEXT, .max = 4000, .label = "lý do trả lại" },
	{ .name = "han", .type = WEB_IN_DATE, .label = "hạn nộp bổ sung" },
	{ .name = "r:", .type = WEB_IN_TEXT, .max = 4000, .prefix = true, .label = "lý do yêu cầu bổ sung của chỉ tiêu" },
	{ .name = NULL },
};

/* The list of rounds: the office asked for (?cq=, or the form's co_quan). */
static const web_input rounds_inputs[] = {
	{ .name = "cq", .type = WEB_IN_ID, .label = "cơ quan" },
	{ .name = "co_quan", .type = WEB_IN_ID, .label = "cơ quan mở đợt" },
	{ .name = NULL },
};

/* Opening a round. Limits as the store's (round_open, check_target); what
 * a value means (a school year, a framework for a unit type, a target's
 * parts) stays the store's and the handler's, with their 422. The four
 * target rows are fields numbered 0 to 3 (ct_loai_0, …): prefixes. */
static const char *const policies[] = { "min", "per_group_only", NULL };
static const char *const target_kinds[] = { "level_share", "indicator", NULL };
static const web_input open_inputs[] = {
	{ .name = "cq", .type = WEB_IN_ID, .label = "cơ quan" },
	{ .name = "co_quan", .type = WEB_IN_ID, .label = "cơ quan mở đợt" },
	{ .name = "nam_hoc", .type = WEB_IN_TEXT, .max = 32, .label = "năm học" },
	{ .name = "ten", .type = WEB_IN_TEXT, .max = 300, .label = "tên đợt đánh giá" },
	{ .name = "cach_xep", .type = WEB_IN_ENUM, .values = policies, .label = "cách xếp mức" },
	{ .name = "cung_quan_ly", .type = WEB_IN_BOOL, .label = "gồm cả các đơn vị quản lý trực tiếp" },
	{ .name = "han_tu_danh_gia", .type = WEB_IN_DATE, .label = "hạn tự đánh giá" },
	{ .name = "han_bao_cao", .type = WEB_IN_DATE, .label = "hạn báo cáo cấp trên" },
	{ .name = "han_danh_gia_ngoai", .type = WEB_IN_DATE, .label = "hạn đánh giá ngoài" },
	{ .name = "bcs:", .type = WEB_IN_TEXT, .max = 200, .prefix = true, .label = "bộ chỉ số" },
	{ .name = "ct_loai_", .type = WEB_IN_ENUM, .values = target_kinds, .prefix = true, .label = "loại chỉ tiêu" },
	{ .name = "ct_dv_", .type = WEB_IN_TEXT, .max = 32, .prefix = true, .label = "loại hình của chỉ tiêu" },
	{ .name = "ct_muc_", .type = WEB_IN_INT, .min = 1, .max = 3, .prefix = true, .label = "mức của chỉ tiêu" },
	{ .name = "ct_ma_", .type = WEB_IN_TEXT, .max = 64, .prefix = true, .label = "mã chỉ số của chỉ tiêu" },
	{ .name = "ct_tl_", .type = WEB_IN_INT, .min = 0, .max = 100, .prefix = true, .label = "tỉ lệ của chỉ tiêu (0 đến 100)" },
	{ .name = "ct_nhan_", .type = WEB_IN_TEXT, .max = 500, .prefix = true, .label = "diễn giải của chỉ tiêu" },
	{ .name = NULL },
};

/* A unit's extension: the assessment, the new date, why (q_office's limit). */
static const web_input extend_inputs[] = {
	{ .name = "ho_so", .type = WEB_IN_ID, .label = "đơn vị được chọn" },
	{ .name = "han", .type = WEB_IN_DATE, .label = "hạn mới" },
	{ .name = "ly_do", .type = WEB_IN_TEXT, .max = 2000, .label = "lý do gia hạn" },
	{ .name = NULL },
};

static const web_input reminder_inputs[] = {
	{ .name = "loi_nhan", .type = WEB_IN_TEXT, .max = 2000, .label = "lời nhắn thêm" },
	{ .name = NULL },
};

/* The inbox's filters and page. A state (tt) is checked against the
 * workflow's codes by the handler: no state name here. */
static const char *const yes[] = { "1", NULL };
static const char *const all_rows[] = { "tat-ca", NULL };
static const web_input inbox_inputs[] = {
	{ .name = "loai", .type = WEB_IN_TEXT, .max = 32, .label = "loại hình" },
	{ .name = "cq", .type = WEB_IN_ID, .label = "đơn vị quản lý" },
	{ .name = "tt", .type = WEB_IN_TEXT, .max = 32, .label = "trạng thái" },
	{ .name = "qh", .type = WEB_IN_ENUM, .values = yes, .label = "quá hạn" },
	{ .name = "q", .type = WEB_IN_TEXT, .max = 200, .label = "từ khoá tìm" },
	{ .name = "xem", .type = WEB_IN_ENUM, .values = all_rows, .label = "cách xem" },
	{ .name = "trang", .type = WEB_IN_INT, .min = 1, .max = 1000000, .label = "trang" },
	{ .name = NULL },
};

/* The two submissions compared (1 = the first); one not made is a 404. */
static const web_input diff_inputs[] = {
	{ .name = "tu", .type = WEB_IN_INT, .label = "lần gửi so sánh" },
	{ .name = "den", .type = WEB_IN_INT, .label = "lần gửi so sánh" },
	{ .name = NULL },
};

/* The recognition page's forms: the units chosen, the decision, the
 * confirmation step; a withdrawal's reason. Limits as the store's. */
static const char *const confirmation[] = { "1", NULL };
static const web_input recognition_page_inputs[] = {
	{ .name = "chon", .type = WEB_IN_TEXT, .max = 32, .label = "chọn tất cả" },
	{ .name = NULL },
};
static const web_input recognise_inputs[] = {
	{ .name = "ho_so", .type = WEB_IN_ID, .many = true, .label = "đơn vị được chọn" },
	{ .name = "so", .type = WEB_IN_TEXT, .max = 100, .label = "số quyết định" },
	{ .name = "ngay", .type = WEB_IN_DATE, .label = "ngày quyết định" },
	{ .name = "nguoi_ky", .type = WEB_IN_TEXT, .max = 200, .label = "người ký" },
	{ .name = "xac_nhan", .type = WEB_IN_ENUM, .values = confirmation, .label = "xác nhận" },
	{ .name = NULL },
};
static const web_input publish_inputs[] = {
	{ .name = "ho_so", .type = WEB_IN_ID, .many = true, .label = "đơn vị được chọn" },
	{ .name = "xac_nhan", .type = WEB_IN_ENUM, .values = confirmation, .label = "xác nhận" },
	{ .name = NULL },
};
static const web_input withdraw_inputs[] = {
	{ .name = "ho_so", .type = WEB_IN_ID, .many = true, .label = "đơn vị được chọn" },
	{ .name = "ly_do", .type = WEB_IN_TEXT, .max = 4000, .label = "lý do" },
	{ .name = NULL },
};

const web_route page_office_routes[] = {
	{ "GET", "/dot", rounds_get, WEB_SIGNED_IN, .load = WEB_LOAD_OWN, .inputs = rounds_inputs },
	{ "POST", "/dot", rounds_post, WEB_SIGNED_IN, .load = WEB_LOAD_OWN, .inputs = open_inputs },
	{ "GET", "/dot/{id}", round_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "POST", "/dot/{id}/gia-han", round_extend, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = extend_inputs },
	{ "POST", "/dot/{id}/dong", round_close_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "POST", "/dot/{id}/cap-nhat-don-vi", round_add_units_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "GET", "/dot/{id}/hop-thu", inbox_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW,
	  .inputs = inbox_inputs },
	{ "POST", "/dot/{id}/nhac-nho", reminders_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = reminder_inputs },
	{ "GET", "/dot/{id}/cong-nhan", recognition_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW,
	  .inputs = recognition_page_inputs },
	{ "POST", "/dot/{id}/cong-nhan", recognition_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW,
	  .inputs = recognise_inputs },
	{ "POST", "/dot/{id}/cong-bo", publish_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW,
	  .inputs = publish_inputs },
	{ "POST", "/dot/{id}/thu-hoi-cong-bo", unpublish_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW,
	  .inputs = withdraw_inputs },
	{ "POST", "/dot/{id}/thu-hoi-cong-nhan", unrecognise_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW,
	  .inputs = withdraw_inputs },
	{ "GET", "/xet-duyet/{id}", review_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_REVIEW },
	{ "POST", "/xet-duyet/{id}/tra-lai", review_return, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_REVIEW,
	  .inputs = return_inputs },
	{ "GET", "/xet-duyet/{id}/so-sanh", review_diff, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_REVIEW,
	  .inputs = diff_inputs },
	{ NULL, NULL, NULL, 0 },
};
