/* doc_set.c — the document registry and doc_generate (doc_set.h): loading
 * and scoring what a document is about, the header values (issuer, number,
 * place and date, signer, recipients), the shared pieces the builders use
 * (score tables, level words), rendering and recording. */
#include "doc_build.h"
#include "derived_subs.h"
#include "exact.h"
#include "assess.h"
#include "q_account.h"
#include "q_office.h"
#include "q_register.h"
#include "q_visit.h"
#include "util.h"
#include "vn.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

static const doc_type types[] = {
	{ "plan", "ke-hoach", "Kế hoạch tự kiểm tra, đánh giá", "KH", DOC_SCOPE_ASSESSMENT, false, build_plan, NULL },
	{ "council", "quyet-dinh-hoi-dong", "Quyết định thành lập Hội đồng tự đánh giá", "QĐ", DOC_SCOPE_ASSESSMENT, false, build_council, NULL },
	{ "minutes", "bien-ban", "Biên bản họp Hội đồng tự đánh giá", "BB", DOC_SCOPE_ASSESSMENT, false, build_minutes, xlsx_scores },
	{ "report", "bao-cao", "Báo cáo kết quả tự đánh giá", "BC", DOC_SCOPE_ASSESSMENT, false, build_report, xlsx_scores },
	{ "approval", "quyet-dinh-phe-duyet", "Quyết định phê duyệt kết quả tự đánh giá", "QĐ", DOC_SCOPE_ASSESSMENT, false, build_approval, NULL },
	{ "request", "to-trinh", "Tờ trình đề nghị đánh giá ngoài", "TTr", DOC_SCOPE_ASSESSMENT, false, build_request, NULL },
	{ "evidence", "danh-muc-minh-chung", "Danh mục minh chứng", "DM", DOC_SCOPE_ASSESSMENT, false, build_evidence, xlsx_evidence },
	{ "external-minutes", "bien-ban-danh-gia-ngoai", "Biên bản kiểm tra, đánh giá ngoài", "BB", DOC_SCOPE_ASSESSMENT, true, build_external_minutes, xlsx_scores },
	{ "team", "quyet-dinh-doan", "Quyết định thành lập Đoàn kiểm tra, đánh giá ngoài", "QĐ", DOC_SCOPE_ROUND, true, build_team, NULL },
	{ "recognition", "quyet-dinh-cong-nhan", "Quyết định công nhận mức độ chuyển đổi số", "QĐ", DOC_SCOPE_ROUND, true, build_recognition, xlsx_round },
	{ "summary", "bao-cao-tong-hop", "Báo cáo tổng hợp kết quả đánh giá", "BC", DOC_SCOPE_ROUND, true, build_summary, xlsx_round },
	{ "round-plan", "ke-hoach-kiem-tra", "Kế hoạch kiểm tra, đánh giá mức độ chuyển đổi số", "KH", DOC_SCOPE_ROUND, true, build_round_plan, NULL },
	{ "schedule", "lich-kiem-tra", "Lịch kiểm tra, đánh giá ngoài", "TB", DOC_SCOPE_ROUND, true, build_schedule, xlsx_schedule },
	{ "proposal", "de-nghi-cong-nhan", "Danh sách đề nghị công nhận mức độ chuyển đổi số", "TTr", DOC_SCOPE_ROUND, true, build_proposal, xlsx_proposal },
};

const doc_type *doc_types(size_t *n)
{
	*n = ARRAY_LEN(types);
	return types;
}

const doc_type *doc_type_find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_LEN(types); i++)
		if (!strcmp(types[i].code, name) || !strcmp(types[i].alias, name)) return &types[i];
	return NULL;
}

static const char *const format_codes[] = { "pdf", "docx", "xlsx" };

const char *doc_format_code(doc_format f) { return format_codes[f]; }

const char *doc_format_mime(doc_format f)
{
	switch (f) {
	case DOC_PDF: return "application/pdf";
	case DOC_DOCX: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	case DOC_XLSX: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	return "application/octet-stream";
}

bool doc_format_parse(const char *s, doc_format *out)
{
	for (size_t i = 0; s && i < ARRAY_LEN(format_codes); i++)
		if (!strcmp(s, format_codes[i])) { *out = (doc_format)i; return true; }
	return false;
}

/* ---- words --------------------------------------------------------------------- */

const char *dq(doc_ctx *c, q v)
{
	return q_to_text(c->a, v, 2, true);
}

/* "Đáp ứng cơ bản" → "đáp ứng cơ bản" (the label inside a sentence). */
static const char *lower_first(arena *a, const char *s)
{
	if (!s || !*s) return s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
	if (k <= 0) return s;
	utf8proc_uint8_t enc[8];
	utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
	char *out = arena_alloc(a, strlen(s) + 8);
	memcpy(out, enc, (size_t)m);
	memcpy(out + m, s + k, strlen(s + k) + 1);
	return out;
}

const char *level_words(doc_ctx *c, const fw_band *b)
{
	if (!b) return "Chưa xếp mức";
	if (!b->label) return b->name;
	return arena_printf(c->a, "%s (%s)", b->name, lower_first(c->a, b->label));
}

const char *level_words_n(doc_ctx *c, const framework *fw, int level)
{
	if (fw)
		for (size_t i = 0; i < fw->nlevels; i++)
			if (fw->levels[i].level == level) return level_words(c, &fw->levels[i]);
	return level ? arena_printf(c->a, "Mức %d", level) : "Chưa xếp mức";
}

const char *date_words(doc_ctx *c, const char *iso)
{
	int y, m, d;
	if (!iso || !vn_parse_date(iso, &y, &m, &d)) return "";
	buf b;
	buf_init(&b);
	vn_format_date(&b, y, m, d);
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

const char *date_short(doc_ctx *c, const char *iso)
{
	int y, m, d;
	if (!iso || !vn_parse_date(iso, &y, &m, &d)) return "……";
	buf b;
	buf_init(&b);
	vn_format_date_short(&b, y, m, d);
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

const char *unit_name(const doc_unit *u) { return u->u.name; }

const char *short_name(doc_ctx *c, const char *name)
{
	/* "Sở Giáo dục và Đào tạo tỉnh Bình Định" → "Sở GD&ĐT tỉnh Bình Định":
	 * the usual short form in "Nơi nhận" */
	static const char long_form[] = "Giáo dục và Đào tạo";
	const char *hit = name ? strstr(name, long_form) : NULL;
	if (!hit) return name;
	return arena_printf(c->a, "%.*sGD&ĐT%s", (int)(hit - name), name, hit + strlen(long_form));
}

const char *unit_type_words(const char *type)
{
	static const char *const names[][2] = {
		{ "mam_non", "Mầm non" }, { "tieu_hoc", "Tiểu học" }, { "thcs", "THCS" }, { "thpt", "THPT" },
		{ "lien_cap", "Liên cấp" }, { "gdtx", "GDTX" }, { "phong", "Phòng GD&ĐT" },
		{ "so", "Sở GD&ĐT" }, { "bo", "Bộ GD&ĐT" }, { "ubnd_xa", "UBND xã, phường" },
		{ "ubnd_tinh", "UBND tỉnh, thành phố" },
	};
	for (size_t i = 0; type && i < ARRAY_LEN(names); i++)
		if (!strcmp(type, names[i][0])) return names[i][1];
	return type ? type : "";
}

/* The title of the head of a unit, as signature blocks write it. */
static const char *head_title_of(const char *type)
{
	if (!type) return "THỦ TRƯỞNG ĐƠN VỊ";
	if (!strcmp(type, "phong")) return "TRƯỞNG PHÒNG";
	if (!strcmp(type, "so") || !strcmp(type, "gdtx")) return "GIÁM ĐỐC";
	if (!strcmp(type, "bo")) return "BỘ TRƯỞNG";
	if (!strcmp(type, "ubnd_xa") || !strcmp(type, "ubnd_tinh")) return "CHỦ TỊCH";
	return "HIỆU TRƯỞNG";
}

/* Splits on spaces into an arena array; *n words. */
static char **words_of(arena *a, const char *s, size_t *n)
{
	char *copy = arena_strdup(a, s);
	size_t cap = 8;
	char **v = arena_alloc(a, cap * sizeof *v);
	*n = 0;
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (*n + 1 >= cap) {
			char **nv = arena_alloc(a, cap * 2 * sizeof *nv);
			memcpy(nv, v, *n * sizeof *v);
			v = nv;
			cap *= 2;
		}
		v[(*n)++] = w;
	}
	return v;
}

/* The issuer's part of a document symbol: "Trường THCS Nguyễn Hữu Thọ" →
 * "THCSNHT", "Phòng Giáo dục và Đào tạo Quận 7" → "PGDĐT" (offices write
 * their symbol without the place, the usual practice). */
static const char *unit_symbol(arena *a, const unit *u)
{
	static const char *const phrases[][2] = {
		{ "giao duc va dao tao", "GDĐT" }, { "trung hoc co so", "THCS" },
		{ "trung hoc pho thong", "THPT" }, { "giao duc thuong xuyen", "GDTX" },
		{ "tieu hoc", "TH" }, { "mam non", "MN" }, { "mau giao", "MG" }, { "nha tre", "NT" },
		{ "uy ban nhan dan", "UBND" }, { "lien cap", "LC" }, { "va", "" },
	};
	char *folded = vn_fold(u->name);
	if (!folded) return "CSGD";
	size_t nf, no;
	char **fw = words_of(a, folded, &nf), **ow = words_of(a, u->name, &no);
	free(folded);
	if (nf != no) return "CSGD";              /* folding never splits words, but be safe */
	bool office = unit_type_is_office(u->type);
	buf out;
	buf_init(&out);
	size_t i = nf && !strcmp(fw[0], "truong") ? 1 : 0;   /* "Trường" is not in the symbol */
	while (i < nf) {
		size_t used = 0;
		for (size_t k = 0; k < ARRAY_LEN(phrases) && !used; k++) {
			size_t words = 1;
			for (const char *z = phrases[k][0]; *z; z++) words += *z == ' ';
			if (i + words > nf) continue;
			buf cand;
			buf_init(&cand);
			for (size_t w = 0; w < words; w++) buf_printf(&cand, "%s%s", w ? " " : "", fw[i + w]);
			if (!strcmp(buf_str(&cand), phrases[k][0])) {
				buf_puts(&out, phrases[k][1]);
				used = words;
			}
			buf_free(&cand);
		}
		if (used) {
			i += used;
			if (office && strstr(buf_str(&out), "GDĐT")) break;   /* PGDĐT, SGDĐT */
			continue;
		}
		const char *w = ow[i++];
		bool acronym = strlen(w) > 1, digits = true;
		for (const char *z = w; *z; z++) {
			if (!((*z >= 'A' && *z <= 'Z') || (*z >= '0' && *z <= '9'))) acronym = false;
			if (*z < '0' || *z > '9') digits = false;
		}
		if (acronym || digits) { buf_puts(&out, w); continue; }
		/* a word's initial, upper case, without its tone mark (Đ stays Đ) */
		utf8proc_int32_t cp;
		if (utf8proc_iterate((const utf8proc_uint8_t *)w, -1, &cp) <= 0) continue;
		cp = utf8proc_toupper(cp);
		if (cp == 0x0110) { buf_puts(&out, "Đ"); continue; }
		utf8proc_uint8_t enc[8];
		utf8proc_ssize_t m = utf8proc_encode_char(cp, enc);
		enc[m] = 0;
		char *f = vn_fold((const char *)enc);
		if (f && f[0] >= 'a' && f[0] <= 'z') buf_putc(&out, (char)(f[0] - 'a' + 'A'));
		else if (f && f[0]) buf_putc(&out, f[0]);
		free(f);
	}
	const char *s = arena_strdup(a, out.len ? buf_str(&out) : "CSGD");
	buf_free(&out);
	return s;
}

/* ---- the header values ---------------------------------------------------------- */

static const char *today_iso(arena *a)
{
	char *s = arena_alloc(a, 11);
	vn_today_iso(s);
	return s;
}

/* The place a phrase of administrative words introduces in `text`:
 * "…, thành phố Quy Nhơn, tỉnh Bình Định" with "thanh pho" → "Quy Nhơn";
 * a numbered district keeps its word ("Quận 7"). NULL when absent. */
static const char *place_after(arena *a, const char *text, const char *const *phrases, size_t nphrases)
{
	char *folded = text ? vn_fold(text) : NULL;
	if (!folded) return NULL;
	size_t nf, no;
	char **fw = words_of(a, folded, &nf), **ow = words_of(a, text, &no);
	free(folded);
	if (nf != no) return NULL;
	for (size_t k = 0; k < nphrases; k++) {
		size_t pw;
		char **ph = words_of(a, phrases[k], &pw);
		for (size_t i = 0; i + pw < nf; i++) {
			size_t m = 0;
			while (m < pw) {
				const char *w = fw[i + m];
				size_t len = strlen(w);
				if (len && w[len - 1] == ',') len--;
				if (len != strlen(ph[m]) || strncmp(w, ph[m], len) != 0 || (m + 1 < pw && w[strlen(w) - 1] == ',')) break;
				m++;
			}
			if (m < pw || fw[i + pw - 1][strlen(fw[i + pw - 1]) - 1] == ',') continue;
			size_t start = ow[i + pw][0] >= '0' && ow[i + pw][0] <= '9' ? i : i + pw;
			buf b;
			buf_init(&b);
			for (size_t j = start; j < no; j++) {
				size_t len = strlen(ow[j]);
				bool end = len && ow[j][len - 1] == ',';
				buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)(end ? len - 1 : len), ow[j]);
				if (end) break;
			}
			/* "quận 7" → "Quận 7": the place begins the line */
			utf8proc_int32_t cp;
			utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)b.data, -1, &cp);
			char *out = arena_alloc(a, b.len + 8);
			if (l > 0) {
				utf8proc_ssize_t m2 = utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out);
				memcpy(out + m2, b.data + l, b.len - (size_t)l + 1);
			} else {
				memcpy(out, buf_str(&b), b.len + 1);
			}
			buf_free(&b);
			return out;
		}
	}
	return NULL;
}

/* Địa danh (ND 30/2020, Phụ lục I): a Sở writes its province, a Phòng its
 * district, a UBND xã its commune; a school its district, or its commune
 * where districts were abolished, from its address, else from its name. */
static const char *place_of(arena *a, const unit *u)
{
	static const char *const province[] = { "tinh", "thanh pho" };
	static const char *const district[] = { "quan", "huyen", "thi xa", "thanh pho", "tp." };
	static const char *const commune[] = { "phuong", "xa", "thi tran", "dac khu" };
	const char *p = NULL;
	if (!strcmp(u->type, "so") || !strcmp(u->type, "ubnd_tinh")) {
		p = place_after(a, u->name, province, ARRAY_LEN(province));
	} else if (!strcmp(u->type, "phong")) {
		p = place_after(a, u->name, district, ARRAY_LEN(district));
	} else if (!strcmp(u->type, "ubnd_xa")) {
		p = place_after(a, u->name, commune, ARRAY_LEN(commune));
	} else {
		const char *srcs[] = { u->address, u->name };
		for (size_t k = 0; k < 2 && !p; k++) {
			p = place_after(a, srcs[k], district, ARRAY_LEN(district));
			if (!p) p = place_after(a, srcs[k], commune, ARRAY_LEN(commune));
		}
	}
	if (!p && u->address && !strchr(u->address, ',') && strlen(u->address) < 40) p = u->address;
	return p ? p : "……";
}

static void parse_recipients(doc_ctx *c, const char *s)
{
	char *copy = arena_strdup(c->a, s);
	size_t cap = 0;
	for (char *save = NULL, *r = strtok_r(copy, ";\n", &save); r; r = strtok_r(NULL, ";\n", &save)) {
		while (*r == ' ' || *r == '-' || *r == '\t') r++;
		size_t n = strlen(r);
		while (n && (r[n - 1] == ' ' || r[n - 1] == '.' || r[n - 1] == '\r')) r[--n] = '\0';
		if (!n) continue;
		if (c->nrecipients == cap) {
			cap = cap ? cap * 2 : 8;
			const char **v = arena_alloc(c->a, cap * sizeof *v);
			if (c->nrecipients) memcpy(v, c->recipients, c->nrecipients * sizeof *v);
			c->recipients = v;
		}
		c->recipients[c->nrecipients++] = r;
	}
}

void doc_recipients(doc_ctx *c, doc *d, const char *const *defaults, size_t n)
{
	const char *const *v = c->recipients ? c->recipients : defaults;
	size_t m = c->recipients ? c->nrecipients : n;
	if (c->recipients) {
		/* ND 30/2020: each line ends with ";", the last ("Lưu: VT") with "." */
		for (size_t i = 0; i < m; i++) doc_recipient(d, "%s%s", v[i], i + 1 < m ? ";" : ".");
	} else {
		for (size_t i = 0; i < m; i++) doc_recipient(d, "%s", v[i]);
	}
}

void doc_head(doc_ctx *c, doc *d, const char *kind, const char *summary)
{
	doc_set_header(d, c->parent_upper, c->issuer_line, c->number_line, c->place_date);
	doc_set_title(d, kind, summary);
}

void doc_signature_std(doc_ctx *c, doc *d, const char *name)
{
	const char *caption = c->p->signer_title ? c->p->signer_title : c->head_title;
	const char *who = c->p->signer ? c->p->signer : c->data_signer ? c->data_signer : name;
	/* a signer recorded as "Nguyễn Thanh Hùng — Giám đốc": the title is the
	 * caption's business (ND 30), the name line carries the name alone */
	const char *dash = who ? strstr(who, " — ") : NULL;
	if (dash) who = arena_strndup(c->a, who, (size_t)(dash - who));
	doc_sign(d, caption, "(Ký, ghi rõ họ tên, đóng dấu)", who);
}

static const char *member_with_post(doc_ctx *c, council_post post)
{
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].post == post) return c->members[i].full_name;
	return NULL;
}

const char *council_chair(doc_ctx *c) { return member_with_post(c, COUNCIL_CHU_TICH); }
const char *council_secretary(doc_ctx *c) { return member_with_post(c, COUNCIL_THU_KY); }

/* The body that issues the document: the school for its own documents,
 * the round's office for the round's. */
static const char *issuer_name(const doc_ctx *c)
{
	return c->type->scope == DOC_SCOPE_ASSESSMENT && c->one ? c->one->u.name : c->office.name;
}

const char *framework_basis(doc_ctx *c, const framework *fw)
{
	if (!fw) return NULL;
	/* A decision (4725/QĐ-BGDĐT) is a legal basis. A local form (seed 003)
	 * is not: it is cited as guidance, and only in the documents of the
	 * office that issued it, never in another office's or province's. */
	if (fw->decision_number && strchr(fw->decision_number, '/'))
		return arena_printf(c->a, "Quyết định số %s ngày %s của %s ban hành %s", fw->decision_number,
			date_short(c, fw->decision_date), fw->decision_issuer ? fw->decision_issuer : "cơ quan có thẩm quyền",
			fw->title);
	if (fw->decision_issuer && !strcmp(fw->decision_issuer, issuer_name(c)))
		return arena_printf(c->a, "hướng dẫn “%s” của %s", fw->title, fw->decision_issuer);
	return NULL;
}

void doc_basis(doc_ctx *c, doc *d, const framework *fw, unsigned style)
{
	const char *b = framework_basis(c, fw);
	if (b) doc_text(d, style, "Căn cứ %s;", b);
}

void doc_bases_of_units(doc_ctx *c, doc *d)
{
	const framework *seen[16];
	size_t nseen = 0;
	for (size_t i = 0; i < c->nunits && nseen < ARRAY_LEN(seen); i++) {
		const framework *fw = c->units[i].fw;
		bool dup = !fw;
		for (size_t k = 0; k < nseen && !dup; k++) dup = seen[k] == fw;
		if (dup) continue;
		seen[nseen++] = fw;
		doc_basis(c, d, fw, DOC_I);
	}
}

const char *doc_annex_ref(doc_ctx *c, const char *kind)
{
	return arena_printf(c->a, "(Kèm theo %s số %s %s của %s)", kind, c->number_ref ? c->number_ref : "……",
		c->date_given ? c->date_words : "ngày …… tháng …… năm ……", c->office.name);
}

const char *evidence_codes(doc_ctx *c, const fw_node *n)
{
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < c->nev; i++)
		for (size_t k = 0; k < c->ev[i].nitems; k++)
			if (!strcmp(c->ev[i].items[k], n->code)) {
				if (b.len) buf_puts(&b, ", ");
				buf_puts(&b, c->ev[i].code);
				break;
			}
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* ---- score tables -------------------------------------------------------------- */

/* The points cell of a node: a gate says met / not met, an information
 * item shows the text given, an unanswered item a dash. */
static const char *points_cell(doc_ctx *c, const score_result *r, const answer_sheet *sh, const fw_node *n)
{
	if (!r) return "—";
	const node_score *ns = score_node(r, n);
	if (n->rule && n->rule->kind == RULE_GATE)
		return !ns->answered ? "—" : ns->gate_failed ? "Không đạt" : "Đạt";
	if (n->rule && n->rule->kind == RULE_INFO) return "—";
	(void)sh;
	if (n->rule && !ns->answered) return "—";
	return dq(c, ns->points);
}

static const char *max_cell(doc_ctx *c, const fw_node *n)
{
	if (n->rule && n->rule->kind == RULE_GATE) return "ĐKBB";
	if (n->rule && n->rule->kind == RULE_INFO) return "—";
	return dq(c, n->max);
}

typedef struct st_cols {
	unsigned cols;
	size_t n;
} st_cols;

static void score_rows(doc_ctx *c, doc *d, doc_table *t, const doc_unit *u, unsigned cols,
                       const fw_node *n, int depth)
{
	doc_row *r = doc_row_add(d, t, false);
	unsigned st = depth == 0 ? DOC_B : depth == 1 && n->nchildren ? DOC_B : 0;
	doc_cellf(d, r, DOC_CENTER, st, "%s", n->code);
	doc_para *title = doc_cell_add(d, r, DOC_LEFT, 1);
	doc_run_add(d, title, st, "%s", n->title);
	if (n->rule && n->rule->kind == RULE_INFO) {
		/* information items have no points: what the school said goes under the title */
		const answer *s1 = u->self_sheet.answers ? &u->self_sheet.answers[n->leaf_index] : NULL;
		if (s1 && s1->present && s1->text) doc_run_add(d, title, DOC_I, "\nThông tin: %s", s1->text);
	}
	doc_cellf(d, r, DOC_CENTER, st, "%s", max_cell(c, n));
	doc_cellf(d, r, DOC_CENTER, st, "%s", points_cell(c, u->self, &u->self_sheet, n));
	if (cols & ST_EXTERNAL)
		doc_cellf(d, r, DOC_CENTER, st, "%s", u->has_ext ? points_cell(c, u->ext, &u->ext_sheet, n) : "—");
	if (cols & ST_EVIDENCE) doc_cellf(d, r, DOC_LEFT, 0, "%s", evidence_codes(c, n));
	if (cols & ST_REASON) {
		const char *why = n->rule && u->fw && u->ext_reason ? u->ext_reason[n->leaf_index] : NULL;
		doc_cellf(d, r, DOC_LEFT, 0, "%s", why ? why : "");
	}
	for (size_t i = 0; i < n->nchildren; i++) score_rows(c, d, t, u, cols, &n->children[i], depth + 1);
}

void score_table(doc_ctx *c, doc *d, const doc_unit *u, unsigned cols)
{
	if (!u->fw) {
		doc_text(d, DOC_I, "(Không tìm thấy bộ chỉ số %s bản %s: không lập được bảng điểm.)",
			u->as.framework_id, u->as.framework_revision);
		return;
	}
	double w[7];
	size_t n = 0;
	w[n++] = 1.1;
	w[n++] = cols & ST_REASON ? 4.6 : 5.6;
	w[n++] = 1.05;
	w[n++] = cols & ST_EXTERNAL ? 1.1 : 1.25;
	if (cols & ST_EXTERNAL) w[n++] = 1.1;
	if (cols & ST_EVIDENCE) w[n++] = 2.2;
	if (cols & ST_REASON) w[n++] = 2.4;
	doc_table *t = doc_table_add(d, n, w);
	t->size = n > 5 ? 12 : DOC_PT_TABLE;
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "Mã");
	doc_cellf(d, h, DOC_CENTER, 0, "Tiêu chí, chỉ tiêu");
	doc_cellf(d, h, DOC_CENTER, 0, "Điểm tối đa");
	doc_cellf(d, h, DOC_CENTER, 0, cols & ST_EXTERNAL ? "Tự đánh giá" : "Điểm tự đánh giá");
	if (cols & ST_EXTERNAL) doc_cellf(d, h, DOC_CENTER, 0, "Đánh giá ngoài");
	if (cols & ST_EVIDENCE) doc_cellf(d, h, DOC_CENTER, 0, "Minh chứng");
	if (cols & ST_REASON) doc_cellf(d, h, DOC_CENTER, 0, "Lý do điều chỉnh");
	for (size_t g = 0; g < u->fw->ngroups; g++) score_rows(c, d, t, u, cols, &u->fw->groups[g], 0);
	if (u->fw->basis == BASIS_TOTAL && u->self) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *p = doc_cell_add(d, r, DOC_CENTER, 2);
		doc_run_add(d, p, DOC_B, "Tổng điểm");
		doc_cellf(d, r, DOC_CENTER, DOC_B, "%s", dq(c, u->self->total_max));
		doc_cellf(d, r, DOC_CENTER, DOC_B, "%s", dq(c, u->self->total));
		if (cols & ST_EXTERNAL) doc_cellf(d, r, DOC_CENTER, DOC_B, "%s", u->has_ext && u->ext ? dq(c, u->ext->total) : "—");
	}
}

void group_table(doc_ctx *c, doc *d, const doc_unit *u, const score_result *r)
{
	if (!u->fw || !r) {
		doc_text(d, DOC_I, "(Chưa tính được điểm: bộ chỉ số của hồ sơ này chưa dùng để chấm điểm được.)");
		return;
	}
	static const double w[] = { 5.4, 1.5, 1.5, 3.8 };
	doc_table *t = doc_table_add(d, 4, w);
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "Nhóm tiêu chí");
	doc_cellf(d, h, DOC_CENTER, 0, "Điểm tối đa");
	doc_cellf(d, h, DOC_CENTER, 0, "Điểm đạt");
	doc_cellf(d, h, DOC_CENTER, 0, "Mức độ");
	for (size_t g = 0; g < u->fw->ngroups; g++) {
		const fw_node *gn = &u->fw->groups[g];
		const node_score *gs = score_node(r, gn);
		doc_row *row = doc_row_add(d, t, false);
		doc_cellf(d, row, DOC_LEFT, 0, "%s. %s", gn->code, gn->title);
		doc_cellf(d, row, DOC_CENTER, 0, "%s", dq(c, gn->max));
		doc_cellf(d, row, DOC_CENTER, 0, "%s", dq(c, gs->points));
		doc_cellf(d, row, DOC_CENTER, 0, "%s", u->fw->basis == BASIS_GROUPS ? level_words(c, gs->band) : "");
	}
	doc_row *row = doc_row_add(d, t, false);
	if (u->fw->basis == BASIS_TOTAL) {
		doc_cellf(d, row, DOC_LEFT, DOC_B, "Tổng điểm");
		doc_cellf(d, row, DOC_CENTER, DOC_B, "%s", dq(c, r->total_max));
		doc_cellf(d, row, DOC_CENTER, DOC_B, "%s", dq(c, r->total));
	} else {
		doc_para *p = doc_cell_add(d, row, DOC_LEFT, 3);
		doc_run_add(d, p, DOC_B, "Mức độ chuyển đổi số của đơn vị");
	}
	doc_cellf(d, row, DOC_CENTER, DOC_B, "%s", r->level ? level_words(c, r->level) : "Chưa xếp mức");
	doc_derived_basis(c, d, u);
}

const char *result_sentence(doc_ctx *c, const doc_unit *u, const score_result *r)
{
	if (!u->fw || !r) return "chưa tính được điểm";
	buf b;
	buf_init(&b);
	if (u->fw->basis == BASIS_TOTAL) {
		buf_printf(&b, "tổng điểm đạt %s/%s điểm", dq(c, r->total), dq(c, r->total_max));
	} else {
		for (size_t g = 0; g < u->fw->ngroups; g++) {
			const fw_node *gn = &u->fw->groups[g];
			const node_score *gs = score_node(r, gn);
			buf_printf(&b, "%snhóm tiêu chí %s “%s” đạt %s điểm, %s", g ? "; " : "", gn->code, gn->title,
				dq(c, gs->points), level_words(c, gs->band));
		}
	}
	if (r->level) buf_printf(&b, "; mức độ chuyển đổi số của đơn vị: %s", level_words(c, r->level));
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* ---- loading --------------------------------------------------------------------- */

/* The words after "Căn cứ kết quả:" for each basis. */
static const char *basis_words(derived_basis b)
{
	switch (b) {
	case DERIVED_EXTERNAL: return "đánh giá ngoài";
	case DERIVED_SELF: return "tự đánh giá";
	case DERIVED_CHAIN: return "đã công nhận; đơn vị chưa được công nhận: đánh giá ngoài; chưa được đánh giá ngoài: tự đánh giá";
	default: return "đã công nhận";
	}
}

const char *doc_derived_basis_text(doc_ctx *c, const doc_unit *u)
{
	if (!u->derived) return NULL;
	return arena_printf(c->a, "Các chỉ tiêu suy ra từ kết quả của các đơn vị (Nhóm 2) — Căn cứ kết quả: %s; số liệu tính đến ngày %s (%zu đơn vị).",
	                    basis_words(u->derived->choice.basis), date_short(c, u->derived->on), u->derived->n);
}

void doc_derived_basis(doc_ctx *c, doc *d, const doc_unit *u)
{
	const char *t = doc_derived_basis_text(c, u);
	if (t) doc_text(d, DOC_I, "%s", t);
}

void doc_derived_basis_round(doc_ctx *c, doc *d)
{
	for (size_t i = 0; i < c->nunits; i++) {
		const char *t = doc_derived_basis_text(c, &c->units[i]);
		if (t) doc_text(d, DOC_I, "%s: %s", c->units[i].u.name, t);
	}
}

/* An office's own assessment under 3806: the results of the units it
 * evaluates, on its chosen basis and date, scored as its page scores them
 * (derived_subs.h); the document then prints the page's figures. A failed
 * read leaves the derived items at nothing, with a warning. */
static void derived_load(doc_ctx *c, doc_unit *o)
{
	if (!framework_has_derived(o->fw)) return;
	derived_subs *ds = arena_alloc(c->a, sizeof *ds);
	char today[11];
	vn_today_iso(today);
	if (derived_subs_load(c->d, c->cat, c->a, o->as.id, o->as.unit_id, c->round.school_year, arena_strdup(c->a, today), ds) != DB_OK) {
		buf_printf(c->err, "Cảnh báo: không đọc được kết quả của các đơn vị để tính các chỉ tiêu suy ra: %s\n", db_errmsg(c->d));
		db_clear_error(c->d);
		return;
	}
	o->derived = ds;
}

static score_result *score_side(doc_ctx *c, doc_unit *o, answer_side side, answer_sheet *sh,
                                const char ***reasons, bool *any)
{
	*any = false;
	*reasons = arena_alloc(c->a, (o->fw->nleaves + 1) * sizeof **reasons);
	/* the service's sheet (assess.c): one bad stored value does not hide the others */
	assess_sheet s;
	assess_sheet_init(&s, o->fw, o->type, c->a);
	assessment_answer **stored = NULL;
	int rc = assess_sheet_load(c->d, &s, o->as.id, side, &stored, NULL);
	if (o->derived) {
		s.sheet.subs = o->derived->subs;
		s.sheet.nsubs = o->derived->n;
	}
	*sh = s.sheet;
	if (rc != DB_OK) return NULL;
	for (size_t i = 0; i < o->fw->nleaves; i++) {
		if (!stored[i]) continue;
		if (sh->answers[i].present) *any = true;
		(*reasons)[i] = stored[i]->reason;
	}
	return assess_sheet_score(&s, assess_policy(c->round.policy), NULL);
}

static int unit_load(doc_ctx *c, const assessment *as, doc_unit *o)
{
	memset(o, 0, sizeof *o);
	o->as = *as;
	int rc = unit_get(c->d, as->unit_id, c->a, &o->u);
	if (rc != DB_OK) return rc;
	if (!unit_type_parse(o->u.type, &o->type)) o->type = UT_THCS;
	o->fw = fw_catalog_find(c->cat, arena_printf(c->a, "%s@%s", as->framework_id, as->framework_revision));
	if (!o->fw && !c->warned) {
		/* the document still comes out, without scores: say why */
		buf_printf(c->err, "Cảnh báo: không tìm thấy bộ chỉ số %s bản %s (xem: chiso frameworks): văn bản không có bảng điểm\n",
			as->framework_id, as->framework_revision);
		c->warned = true;
	}
	if (o->fw) {
		bool any_self;
		derived_load(c, o);
		o->self = score_side(c, o, ANSWER_SELF, &o->self_sheet, &o->self_reason, &any_self);
		o->ext = score_side(c, o, ANSWER_EXTERNAL, &o->ext_sheet, &o->ext_reason, &o->has_ext);
	}
	/* the external result once the team's sheet is whole (or its level
	 * stored); while the team is still at work, the self-assessment's —
	 * the level the web pages count (recognised, else external, else self) */
	bool ext_whole = o->has_ext && o->ext && (as->external_level || !o->ext->unanswered);
	o->result = ext_whole ? o->ext : o->self;
	/* an assessment with required items still unanswered has no level yet
	 * (its zero points would read as Mức 1) */
	o->level = as->recognised_level ? as->recognised_level
	         : o->result && !o->result->unanswered && o->result->level ? o->result->level->level : 0;
	return DB_OK;
}

static void unit_free(doc_unit *o)
{
	score_free(o->self);
	score_free(o->ext);
	o->self = o->ext = NULL;
}

static int cmp_units(const void *a, const void *b)
{
	const doc_unit *x = a, *y = b;
	if (x->type != y->type) return x->type < y->type ? -1 : 1;
	return vn_collate(x->u.name, y->u.name);
}

static int fail(doc_ctx *c, int rc, const char *msg)
{
	buf_printf(c->err, "%s\n", msg);
	return rc;
}

static int ctx_load(doc_ctx *c, int64_t object_id)
{
	int rc;
	int64_t round_id = object_id;
	if (c->type->scope == DOC_SCOPE_ASSESSMENT) {
		assessment as;
		rc = assessment_get(c->d, object_id, c->a, &as);
		if (rc == DB_ENOTFOUND) return fail(c, rc, arena_printf(c->a, "Không có hồ sơ đánh giá số %lld", (long long)object_id));
		if (rc != DB_OK) return fail(c, rc, db_errmsg(c->d));
		round_id = as.round_id;
		c->one = arena_alloc(c->a, sizeof *c->one);
		if ((rc = round_get(c->d, round_id, c->a, &c->round)) != DB_OK) return fail(c, rc, db_errmsg(c->d));
		if ((rc = unit_load(c, &as, c->one)) != DB_OK) return fail(c, rc, db_errmsg(c->d));
		c->has_council = council_get(c->d, as.id, c->a, &c->cn) == DB_OK;
		db_clear_error(c->d);
		if (c->has_council) council_members(c->d, c->cn.id, c->a, &c->members, &c->nmembers);
		council_tasks(c->d, as.id, c->a, &c->tasks, &c->ntasks);
		evidence_list(c->d, as.id, NULL, c->a, &c->ev, &c->nev);
		c->has_inspection = inspection_get(c->d, as.id, c->a, &c->insp, &c->sw, &c->nsw) == DB_OK;
		db_clear_error(c->d);
	} else {
		rc = round_get(c->d, round_id, c->a, &c->round);
		if (rc == DB_ENOTFOUND) return fail(c, rc, arena_printf(c->a, "Không có đợt đánh giá số %lld", (long long)round_id));
		if (rc != DB_OK) return fail(c, rc, db_errmsg(c->d));
		assessment *as = NULL;
		size_t n = 0;
		if ((rc = assessment_list_round(c->d, round_id, c->a, &as, &n)) != DB_OK) return fail(c, rc, db_errmsg(c->d));
		c->units = arena_alloc(c->a, (n + 1) * sizeof *c->units);
		for (size_t i = 0; i < n; i++) {
			if ((rc = unit_load(c, &as[i], &c->units[c->nunits])) != DB_OK) return fail(c, rc, db_errmsg(c->d));
			c->nunits++;
		}
		sort_list(c->units, c->nunits, sizeof *c->units, cmp_units);
		round_targets(c->d, round_id, c->a, &c->targets, &c->ntargets);
	}
	/* what the data already says about this document's number, date, signer */
	if (!strcmp(c->type->code, "council") && c->has_council) {
		c->data_number = c->cn.decision_number;
		c->data_date = c->cn.decision_date;
	}
	team tm;
	if (team_get(c->d, c->round.id, c->a, &tm) == DB_OK) {
		c->has_team = true;
		team_members(c->d, tm.id, c->a, &c->team, &c->nteam);
		c->team_number = tm.dec.number;
		c->team_date = tm.dec.date;
		if (!strcmp(c->type->code, "team")) {
			c->data_number = tm.dec.number;
			c->data_date = tm.dec.date;
			c->data_signer = tm.dec.signer;
		}
	}
	db_clear_error(c->d);
	if (!strcmp(c->type->code, "recognition")) {
		/* the round's latest recognition decision: the document is that
		 * decision and lists exactly the units it recognised */
		for (size_t i = 0; i < c->nunits; i++)
			if (c->units[i].as.recognition_decision_id > c->decision_id) c->decision_id = c->units[i].as.recognition_decision_id;
		decision dec;
		if (c->decision_id && decision_get(c->d, c->decision_id, c->a, &dec) == DB_OK) {
			c->data_number = dec.number;
			c->data_date = dec.date;
			c->data_signer = dec.signer;
		}
		db_clear_error(c->d);
	}
	if ((rc = unit_get(c->d, c->round.office_unit_id, c->a, &c->office)) != DB_OK) return fail(c, rc, db_errmsg(c->d));
	round_plan plan;
	if (round_plan_get(c->d, c->round.id, c->a, &plan) == DB_OK) {
		c->plan_number = plan.number;
		c->plan_date = plan.date;
		if (!strcmp(c->type->code, "round-plan")) {   /* the plan is this document */
			c->data_number = plan.number;
			c->data_date = plan.date;
		}
	}
	db_clear_error(c->d);
	if (c->type->scope == DOC_SCOPE_ROUND && (rc = visit_list(c->d, c->round.id, c->a, &c->visits, &c->nvisits)) != DB_OK)
		return fail(c, rc, db_errmsg(c->d));
	c->on = c->round.self_due ? c->round.self_due : today_iso(c->a);
	c->school_year = c->round.school_year;
	return DB_OK;
}

/* The parent line of the header as ND 30/2020 writes it (Phụ lục I, mục
 * II.3: the managing body's name may be abbreviated): "ỦY BAN NHÂN DÂN" as
 * "UBND", "GIÁO DỤC VÀ ĐÀO TẠO" as "GD&ĐT", so it holds on one line. */
static const char *header_parent_line(arena *a, const char *name)
{
	static const struct { const char *full, *abbr; } ab[] = {
		{ "ỦY BAN NHÂN DÂN ", "UBND " }, { "UỶ BAN NHÂN DÂN ", "UBND " },
		{ "GIÁO DỤC VÀ ĐÀO TẠO", "GD&ĐT" },
	};
	const char *up = doc_upper(a, name);
	for (size_t i = 0; i < ARRAY_LEN(ab); i++) {
		const char *at = strstr(up, ab[i].full);
		if (at) up = arena_printf(a, "%.*s%s%s", (int)(at - up), up, ab[i].abbr, at + strlen(ab[i].full));
	}
	return up;
}

/* Where an office's locality begins in its upper-cased name: "SỞ GIÁO DỤC
 * VÀ ĐÀO TẠO| TỈNH GIA LAI", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO| QUẬN 7"; 0 if none. */
static size_t locality_at(const char *upper)
{
	static const char *const kinds[] = { " TỈNH ", " THÀNH PHỐ ", " HUYỆN ", " THỊ XÃ ", " QUẬN " };
	size_t best = 0;
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		const char *at = strstr(upper, kinds[i]);
		if (at && (!best || (size_t)(at - upper) < best)) best = (size_t)(at - upper);
	}
	return best;
}

/* An office's header (ND 30/2020, Phụ lục I, mục II.3): the body that
 * manages it is the People's Committee of its locality — "UBND TỈNH GIA
 * LAI" over "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND HUYỆN TUY PHƯỚC" over "PHÒNG
 * GIÁO DỤC VÀ ĐÀO TẠO" — not the office above it in the education tree (a
 * Phòng's parent there is the Sở). The committee is the unit tree's parent
 * when the tree holds one; otherwise it is named after the locality the
 * office's own name carries. The issuer line then drops the locality. A
 * school keeps the tree's parent and its full name. */
static void header_office_lines(doc_ctx *c)
{
	c->issuer_line = c->issuer_upper;
	const char *t = c->issuer->type;
	/* a People's Committee heads its own documents: no body above it in
	 * the header (the Sở a commune reports to stays in "Nơi nhận") */
	if (!strcmp(t, "ubnd_xa") || !strcmp(t, "ubnd_tinh")) c->parent_upper = NULL;
	if (strcmp(t, "so") != 0 && strcmp(t, "phong") != 0) return;
	bool committee = c->parent_name && (!strncmp(c->parent_name, "Ủy ban nhân dân", strlen("Ủy ban nhân dân")) ||
	                                    !strncmp(c->parent_name, "UBND", 4));
	const char *up = c->issuer_upper;
	size_t at = locality_at(up);
	/* parent_name stays the tree's (the office reported to in "Nơi nhận") */
	if (!committee) c->parent_upper = at ? arena_printf(c->a, "UBND %s", up + at + 1) : NULL;
	if (at) c->issuer_line = arena_printf(c->a, "%.*s", (int)at, up);
}

const char *plan_cite(doc_ctx *c)
{
	if (c->plan_number && c->plan_date)
		return arena_printf(c->a, "Kế hoạch số %s ngày %s của %s", c->plan_number, date_short(c, c->plan_date), c->office.name);
	if (!c->plan_warned) {
		buf_printf(c->err, "Cảnh báo: đợt đánh giá chưa có số và ngày của Kế hoạch; văn bản ghi rõ chỗ thiếu (nhập tại trang đợt đánh giá hoặc: chiso doc plan-ref)\n");
		c->plan_warned = true;
	}
	return arena_printf(c->a, "Kế hoạch “%s” của %s (chưa nhập số và ngày ban hành của Kế hoạch)", c->round.title, c->office.name);
}

/* Number, date, place, signer: the parameters, else the data's. */
static int ctx_header(doc_ctx *c)
{
	const doc_params *p = c->p;
	c->issuer = c->type->office || !c->one ? &c->office : &c->one->u;
	c->issuer_upper = doc_upper(c->a, c->issuer->name);
	int64_t parent = 0;
	if (unit_related_on(c->d, c->issuer->id, UNIT_PARENT, c->on, &parent) == DB_OK) {
		unit pu;
		if (unit_get(c->d, parent, c->a, &pu) == DB_OK) {
			c->parent_name = pu.name;
			c->parent_upper = header_parent_line(c->a, pu.name);
		}
	}
	db_clear_error(c->d);
	c->head_title = head_title_of(c->issuer->type);
	header_office_lines(c);
	/* "TRƯỞNG PHÒNG" + "PHÒNG GIÁO DỤC …" is written "TRƯỞNG PHÒNG GIÁO DỤC …" */
	const char *last = strrchr(c->head_title, ' ');
	last = last ? last + 1 : c->head_title;
	size_t ll = strlen(last);
	if (!strncmp(c->issuer_upper, last, ll) && c->issuer_upper[ll] == ' ')
		c->authority = arena_printf(c->a, "%.*s%s", (int)(last - c->head_title), c->head_title, c->issuer_upper);
	else
		c->authority = arena_printf(c->a, "%s %s", c->head_title, c->issuer_upper);

	/* the council's, the team's, the recognition's decision: entered once */
	const char *number = p->number ? p->number : c->data_number;
	const char *date = p->date ? p->date : c->data_date;
	if (date && *date && !db_date_valid(date))
		return fail(c, DB_EINVAL, arena_printf(c->a, "Ngày văn bản không hợp lệ: '%s' (YYYY-MM-DD)", date));
	if (date && !*date) date = NULL;
	if (number && !*number) number = NULL;
	c->number_given = number;
	c->date_given = date;
	const char *sym = c->type->symbol ? arena_printf(c->a, "%s-%s", c->type->symbol, unit_symbol(c->a, c->issuer)) : NULL;
	if (number && strchr(number, '/')) {
		c->number_ref = number;
	} else if (number) {
		bool digits = strspn(number, "0123456789") == strlen(number);
		/* ND 30/2020: numbers below 10 are written with a leading zero */
		const char *n2 = digits && strlen(number) == 1 ? arena_printf(c->a, "0%s", number) : number;
		c->number_ref = sym ? arena_printf(c->a, "%s/%s", n2, sym) : n2;
	} else if (sym) {
		c->number_ref = arena_printf(c->a, "      /%s", sym);
	}
	if (!sym) c->number_ref = NULL;        /* a type without a symbol carries no number */
	c->number_line = c->number_ref ? arena_printf(c->a, "Số: %s", c->number_ref) : NULL;
	c->place = p->place && *p->place ? p->place : place_of(c->a, c->issuer);
	if (date) {
		c->date_words = date_words(c, date);
	} else {
		/* the blank date's year: this year's, or the round's when that is
		 * earlier — a dissolved Phòng's 2024-2025 report, headed by the
		 * bodies of 2025, is not dated 2026 */
		const char *t = today_iso(c->a);
		if (c->on && strlen(c->on) >= 4 && strncmp(c->on, t, 4) < 0) t = c->on;
		c->date_words = arena_printf(c->a, "ngày      tháng      năm %.4s", t);
	}
	c->place_date = arena_printf(c->a, "%s, %s", c->place, c->date_words);
	if (p->recipients) parse_recipients(c, p->recipients);
	return DB_OK;
}

/* ---- generation ------------------------------------------------------------------- */

static void sha256_hex(const buf *b, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)b->data, b->len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static bool render_xlsx(doc_ctx *c, buf *out, buf *err)
{
	/* libxlsxwriter writes files only: a private temporary file, read back */
	char path[] = "/tmp/chiso-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		buf_printf(err, "không tạo được tệp tạm cho XLSX\n");
		return false;
	}
	close(fd);
	bool ok = c->type->xlsx(c, path, err);
	if (ok) {
		FILE *f = fopen(path, "rb");
		if (!f) {
			buf_printf(err, "không đọc lại được tệp XLSX vừa tạo\n");
			ok = false;
		} else {
			char chunk[16384];
			size_t n;
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, n);
			fclose(f);
		}
	}
	unlink(path);
	return ok;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* "bao-cao-79760101-2024-2025.pdf": ASCII, safe in any file system. */
static void make_filename(doc_ctx *c, doc_format f, char out[160])
{
	const char *code = c->type->scope == DOC_SCOPE_ASSESSMENT ? c->one->u.code
	                 : arena_printf(c->a, "dot%lld", (long long)c->round.id);
	char safe[64];
	size_t k = 0;
	for (const char *s = code; *s && k + 1 < sizeof safe; s++)
		safe[k++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-') ? *s : '_';
	safe[k] = '\0';
	snprintf(out, 160, "%s-%s-%s.%s", c->type->alias, safe, c->school_year ? c->school_year : "", doc_format_code(f));
}

static const char *recipients_text(doc_ctx *c, const doc *d)
{
	if (!d->has_recipients) return NULL;
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < d->nrecipients; i++) buf_printf(&b, "%s%s", i ? "\n" : "", d->recipients[i]);
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* "Quyết định" for "QĐ": the kind column of the register. */
static const char *kind_of_symbol(const char *sym)
{
	static const struct { const char *sym, *kind; } k[] = {
		{ "QĐ", "Quyết định" }, { "KH", "Kế hoạch" }, { "BC", "Báo cáo" }, { "BB", "Biên bản" },
		{ "TTr", "Tờ trình" }, { "CV", "Công văn" }, { "TB", "Thông báo" }, { "DM", "Danh mục" },
	};
	for (size_t i = 0; i < ARRAY_LEN(k); i++)
		if (!strcmp(sym, k[i].sym)) return k[i].kind;
	return sym;
}

/* No number given and none in the data: the next one of the issuer's
 * register of the year (q_register.h; the same one again when this
 * document was registered before), dated today unless a date was given;
 * then the header is computed again with it. */
static int ctx_register(doc_ctx *c, doc_params *p, int64_t actor)
{
	if (!c->number_ref) return DB_OK;           /* a type without a symbol: no number */
	const char *slash = strchr(c->number_ref, '/');
	register_entry e = {
		.issuer_unit_id = c->issuer->id,
		.date = c->date_given ? c->date_given : today_iso(c->a),
		.type = c->type->code,
		.kind = kind_of_symbol(c->type->symbol),
		.summary = c->type->name,
		.signer = p->signer,
		.object_type = c->type->scope == DOC_SCOPE_ASSESSMENT ? "assessment" : "round",
		.object_id = c->type->scope == DOC_SCOPE_ASSESSMENT ? c->one->as.id : c->round.id,
	}, got;
	int rc = register_issue(c->d, actor, &e, slash ? slash + 1 : c->number_ref, c->a, &got);
	if (rc != DB_OK) return fail(c, rc, db_errmsg(c->d));
	p->number = got.number;
	p->date = got.date;
	c->recipients = NULL;
	c->nrecipients = 0;
	return ctx_header(c);
}

int doc_generate(db *d, const fw_catalog *cat, int64_t actor, const doc_type *t, int64_t object_id,
                 doc_format f, const doc_params *pin, bool record, doc_result *out, buf *err)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->data);
	if (f == DOC_XLSX && !t->xlsx) {
		buf_printf(err, "%s không có bản Excel (XLSX); hãy chọn PDF hoặc DOCX\n", t->name);
		return DB_EINVAL;
	}
	double t0 = now_ms();
	doc_params p = pin ? *pin : (doc_params){ 0 };
	doc_ctx c = { .d = d, .a = arena_new(), .cat = cat, .type = t, .p = &p, .err = err };
	int rc = ctx_load(&c, object_id);
	if (rc == DB_OK && p.reuse_last) {
		document_row last;
		const char *ot = t->scope == DOC_SCOPE_ASSESSMENT ? "assessment" : "round";
		if (document_last(d, t->code, ot, object_id, c.a, &last) == DB_OK) {
			if (!p.number) p.number = last.number;
			if (!p.date) p.date = last.date;
			if (!p.signer) p.signer = last.signer;
			if (!p.recipients) p.recipients = last.recipients;
		}
		db_clear_error(d);
	}
	if (rc == DB_OK) rc = ctx_header(&c);
	if (rc == DB_OK && p.register_number && !c.number_given && t->symbol) rc = ctx_register(&c, &p, actor);
	doc *dm = NULL;
	if (rc == DB_OK) {
		bool ok;
		if (f == DOC_XLSX) {
			ok = render_xlsx(&c, &out->data, err);
		} else {
			dm = doc_new();
			t->build(&c, dm);
			ok = f == DOC_PDF ? doc_render_pdf(dm, &out->data, err) : doc_render_docx(dm, &out->data, err);
		}
		if (!ok) rc = DB_ERROR;
	}
	if (rc == DB_OK) {
		sha256_hex(&out->data, out->sha256);
		make_filename(&c, f, out->filename);
		out->ms = now_ms() - t0;
	}
	if (rc == DB_OK && record) {
		document_row row = {
			.type = t->code,
			.object_type = t->scope == DOC_SCOPE_ASSESSMENT ? "assessment" : "round",
			.object_id = object_id,
			.number = c.number_given ? c.number_ref : NULL,
			.date = c.date_given,
			.signer = p.signer,
			.recipients = dm ? recipients_text(&c, dm) : NULL,
			.format = doc_format_code(f),
			.sha256 = out->sha256,
			.size = (int64_t)out->data.len,
		};
		if (dm && !row.signer && dm->nsign) row.signer = dm->sign[dm->nsign - 1].name;
		rc = document_record(d, actor, &row, &out->document_id);
		if (rc != DB_OK) buf_printf(err, "Không ghi nhận được văn bản: %s\n", db_errmsg(d));
		/* the office's plan issued with its number and date is the round's
		 * plan every other document of the round cites (q_register.h) */
		if (rc == DB_OK && !strcmp(t->code, "round-plan") && c.number_given && c.date_given &&
		    (!c.plan_number || strcmp(c.plan_number, c.number_ref) != 0 || !c.plan_date || strcmp(c.plan_date, c.date_given) != 0)) {
			rc = round_plan_set(d, actor, c.round.id, c.number_ref, c.date_given);
			if (rc != DB_OK) buf_printf(err, "Không ghi được số, ngày của Kế hoạch vào đợt: %s\n", db_errmsg(d));
		}
	}
	doc_free(dm);
	if (c.one) unit_free(c.one);
	for (size_t i = 0; i < c.nunits; i++) unit_free(&c.units[i]);
	arena_free(c.a);
	if (rc != DB_OK) buf_free(&out->data);
	return rc;
}

const char *doc_number_example(arena *a, const doc_type *t, const unit *issuer)
{
	if (!t->symbol) return NULL;
	return arena_printf(a, "15/%s-%s", t->symbol, unit_symbol(a, issuer));
}

const char *doc_deputy_title_example(arena *a, const unit *issuer)
{
	const char *head = head_title_of(issuer->type);
	return arena_printf(a, "KT. %s\nPHÓ %s", head, head);
}
