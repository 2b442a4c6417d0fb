/* fw_edit.c — the rule editor's work on a draft's JSON (fw_edit.h). */
#include "fw_edit.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- the form → a rule object ---------------------------------------------------------- */

static bool given(const char *s)
{
	if (!s) return false;
	while (isspace((unsigned char)*s)) s++;
	return *s != 0;
}

/* "12,5" or "12.5", at most 2 decimals, ≥ 0. */
static bool parse_num(const char *s, q *out)
{
	char t[64] = { 0 };
	size_t n = 0;
	while (isspace((unsigned char)*s)) s++;
	for (; *s && n + 1 < sizeof t; s++) t[n++] = *s == ',' ? '.' : *s;
	while (n && isspace((unsigned char)t[n - 1])) n--;
	t[n] = 0;
	return n && q_parse_decimal(t, 2, out) && out->n >= 0;
}

static json_t *num_json(q v)
{
	if (v.d == 1) return json_integer(v.n);
	return json_real(q_to_double(v));
}

/* Sets key to the number in field s; a message when it is missing (and
 * required) or not a number. */
static void put_num(json_t *o, const char *key, const char *s, const char *label, bool required, buf *err)
{
	q v;
	if (!given(s)) {
		if (required) buf_printf(err, "%s: cần nhập một số\n", label);
		return;
	}
	if (!parse_num(s, &v)) { buf_printf(err, "%s: \"%s\" không phải số không âm (tối đa 2 chữ số thập phân)\n", label, s); return; }
	json_object_set_new(o, key, num_json(v));
}

static void put_text(json_t *o, const char *key, const char *s)
{
	if (given(s)) json_object_set_new(o, key, json_string(s));
}

/* One field of a "a | b | c" line, trimmed, in a new string. */
static char *field_dup(const char *p, size_t len)
{
	while (len && isspace((unsigned char)*p)) { p++; len--; }
	while (len && isspace((unsigned char)p[len - 1])) len--;
	char *s = malloc(len + 1);
	if (!s) abort();
	memcpy(s, p, len);
	s[len] = 0;
	return s;
}

/* Splits one line at '|' into at most 3 fields (each malloc'd, caller frees). */
static size_t split_line(const char *line, size_t len, char *f[3])
{
	size_t n = 0;
	const char *p = line, *end = line + len;
	while (n < 3) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *stop = bar && n < 2 ? bar : end;
		f[n++] = field_dup(p, (size_t)(stop - p));
		if (stop == end) break;
		p = stop + 1;
	}
	return n;
}

/* "code | label | points" lines (with_points) or "code | label" into an array. */
static json_t *option_lines(const char *text, bool with_points, const char *label, buf *err)
{
	json_t *arr = json_array();
	for (const char *p = text ? text : ""; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *f[3] = { NULL, NULL, NULL };
		size_t n = split_line(p, len, f);
		if (n && *f[0]) {
			json_t *o = json_pack("{s:s, s:s}", "code", f[0], "label", n > 1 ? f[1] : "");
			q v;
			if (with_points && (n < 3 || !parse_num(f[2], &v)))
				buf_printf(err, "%s: dòng \"%s\" cần dạng mã | tên | điểm\n", label, f[0]);
			else if (with_points) json_object_set_new(o, "points", num_json(v));
			json_array_append_new(arr, o);
		}
		for (size_t i = 0; i < n; i++) free(f[i]);
		p += len + (e ? 1 : 0);
	}
	if (!json_array_size(arr)) buf_printf(err, "%s: cần ít nhất một dòng\n", label);
	return arr;
}

/* "tieu_hoc = 5" lines: every key a unit type; no number = judged by hand. */
static json_t *threshold_lines(const char *text, buf *err)
{
	json_t *o = json_object();
	for (const char *p = text ? text : ""; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		char *k = field_dup(p, eq ? (size_t)(eq - p) : len);
		char *v = eq ? field_dup(eq + 1, len - (size_t)(eq - p) - 1) : NULL;
		unit_type t;
		q x;
		if (!*k) { /* a blank line */ }
		else if (!unit_type_parse(k, &t)) buf_printf(err, "Ngưỡng theo loại hình: \"%s\" không phải loại hình đơn vị\n", k);
		else if (!v || !*v) json_object_set_new(o, unit_type_code(t), json_null());
		else if (!parse_num(v, &x)) buf_printf(err, "Ngưỡng theo loại hình: %s = \"%s\" không phải số\n", k, v);
		else json_object_set_new(o, unit_type_code(t), num_json(x));
		free(k);
		free(v);
		p += len + (e ? 1 : 0);
	}
	return o;
}

static bool kind_of(const char *s, rule_kind *out)
{
	for (int k = 0; k < RULE_KIND_COUNT && s; k++)
		if (!strcmp(s, rule_kind_code((rule_kind)k))) { *out = (rule_kind)k; return true; }
	return false;
}

static void ratio_keys(json_t *o, const fw_rule_form *f, buf *err)
{
	put_text(o, "compare", f->compare && !strcmp(f->compare, "le") ? "le" : NULL);
	put_text(o, "unit", f->unit && !strcmp(f->unit, "ratio") ? "ratio" : NULL);
	put_text(o, "mode", f->mode && !strcmp(f->mode, "proportional") ? "proportional" : NULL);
	put_text(o, "measure", f->measure);
	(void)err;
}

static void derived_keys(json_t *o, const fw_rule_form *f, buf *err)
{
	bool avg = f->dmeasure && !strcmp(f->dmeasure, "average_score");
	json_object_set_new(o, "measure", json_string(avg ? "average_score" : "share_at_least_level"));
	if (avg) {
		if (!given(f->dof)) buf_printf(err, "Lấy trung bình của: cần mã nhóm hoặc total\n");
		else put_text(o, "of", f->dof);
	} else {
		char *end = NULL;
		long lv = given(f->dlevel) ? strtol(f->dlevel, &end, 10) : 0;
		if (lv < 1 || lv > 9 || (end && *end)) buf_printf(err, "Mức: cần một số từ 1 đến 9\n");
		else json_object_set_new(o, "level", json_integer(lv));
	}
	if (f->mode && !strcmp(f->mode, "threshold")) {
		json_object_set_new(o, "mode", json_string("threshold"));
		put_num(o, "threshold", f->threshold, "Ngưỡng (%)", true, err);
	}
}

static void kind_keys(json_t *o, rule_kind k, const fw_rule_form *f, buf *err)
{
	switch (k) {
	case RULE_GATE:
		if (f->effect && (!strcmp(f->effect, "zero_group") || !strcmp(f->effect, "flag_only")))
			json_object_set_new(o, "effect", json_string(f->effect));
		break;
	case RULE_INFO: break;
	case RULE_YES_NO: case RULE_UP_TO: put_num(o, "points", f->points, "Điểm", true, err); break;
	case RULE_ALTERNATIVES: json_object_set_new(o, "options", option_lines(f->options, true, "Các lựa chọn", err)); break;
	case RULE_TIERED:
		json_object_set_new(o, "tiers", option_lines(f->options, true, "Các bậc", err));
		json_object_set_new(o, "components", option_lines(f->components, false, "Các thành phần", err));
		put_num(o, "deduction", f->deduction, "Trừ mỗi thành phần thiếu", true, err);
		put_num(o, "floor", f->floor, "Điểm sàn", false, err);
		put_num(o, "max", f->max, "Điểm tối đa", true, err);
		break;
	case RULE_RATIO:
		put_num(o, "points", f->points, "Điểm", true, err);
		put_num(o, "threshold", f->threshold, "Ngưỡng", true, err);
		ratio_keys(o, f, err);
		break;
	case RULE_RATIO_BY_TYPE:
		put_num(o, "points", f->points, "Điểm", true, err);
		json_object_set_new(o, "thresholds", threshold_lines(f->thresholds, err));
		ratio_keys(o, f, err);
		break;
	case RULE_COUNT:
		put_num(o, "points", f->points, "Điểm", true, err);
		put_num(o, "min", f->threshold, "Số tối thiểu", true, err);
		put_text(o, "mode", f->mode && !strcmp(f->mode, "proportional") ? "proportional" : NULL);
		put_text(o, "measure", f->measure);
		break;
	case RULE_DERIVED:
		put_num(o, "points", f->points, "Điểm", true, err);
		derived_keys(o, f, err);
		break;
	case RULE_KIND_COUNT: break;
	}
}

static bool source_ok(const char *s)
{
	return s && (!strcmp(s, "official") || !strcmp(s, "seed") || !strcmp(s, "third-party") || !strcmp(s, "test"));
}

json_t *fw_edit_rule(const fw_rule_form *f, buf *err)
{
	rule_kind k;
	size_t before = err->len;
	if (!kind_of(f->kind, &k)) { buf_printf(err, "Cách chấm: chưa chọn hoặc không có loại \"%s\"\n", f->kind ? f->kind : ""); return NULL; }
	if (!source_ok(f->source)) { buf_printf(err, "Nguồn: chọn theo quyết định, văn bản trích dẫn, bên thứ ba hoặc thử nghiệm\n"); return NULL; }
	json_t *o = json_pack("{s:s, s:s}", "kind", rule_kind_code(k), "source", f->source);
	kind_keys(o, k, f, err);
	if (err->len != before) { json_decref(o); return NULL; }
	return o;
}

/* ---- finding and replacing a leaf ------------------------------------------------------- */

static json_t *find_in(json_t *arr, const char *code)
{
	size_t i;
	json_t *n;
	json_array_foreach(arr, i, n) {
		const char *c = json_string_value(json_object_get(n, "code"));
		if (c && !strcmp(c, code) && json_is_object(json_object_get(n, "rule"))) return n;
		json_t *in = find_in(json_object_get(n, json_object_get(n, "criteria") ? "criteria" : "items"), code);
		if (in) return in;
	}
	return NULL;
}

json_t *fw_edit_leaf(json_t *root, const char *code)
{
	return code ? find_in(json_object_get(root, "groups"), code) : NULL;
}

/* Drops the import's "Cách chấm: … — suy ra ….": the reviewer has set it. */
static void drop_inference_note(json_t *n)
{
	const char *note = json_string_value(json_object_get(n, "note"));
	const char *at = note ? strstr(note, "Cách chấm: ") : NULL;
	if (!at) return;
	const char *end = strstr(at, ". ");
	end = end ? end + 2 : at + strlen(at);
	size_t head = (size_t)(at - note);
	while (head && note[head - 1] == ' ') head--;
	buf b;
	buf_init(&b);
	buf_append(&b, note, head);
	if (head && *end) buf_puts(&b, " ");
	buf_puts(&b, end);
	if (b.len) json_object_set_new(n, "note", json_string(buf_str(&b)));
	else json_object_del(n, "note");
	buf_free(&b);
}

bool fw_edit_set_rule(json_t *root, const char *code, json_t *rule, const char *source)
{
	json_t *n = fw_edit_leaf(root, code);
	if (!n) { json_decref(rule); return false; }
	json_object_set_new(n, "rule", rule);
	const char *ns = json_string_value(json_object_get(n, "source"));
	if (ns && !strcmp(ns, "inferred")) json_object_set_new(n, "source", json_string(source));
	drop_inference_note(n);
	return true;
}

/* ---- checks ------------------------------------------------------------------------------- */

static q jnum(json_t *v)
{
	q out = q_int(0);
	if (json_is_integer(v)) out = q_int(json_integer_value(v));
	else if (json_is_real(v) && !q_from_double(json_real_value(v), 2, &out)) out = q_int(0);
	return out;
}

static q options_top(json_t *arr)
{
	q top = q_int(0);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) top = q_max(top, jnum(json_object_get(o, "points")));
	return top;
}

static q rule_max(json_t *r)
{
	rule_kind k;
	if (!kind_of(json_string_value(json_object_get(r, "kind")), &k)) return q_int(0);
	switch (k) {
	case RULE_GATE: case RULE_INFO: case RULE_KIND_COUNT: return q_int(0);
	case RULE_ALTERNATIVES: return options_top(json_object_get(r, "options"));
	case RULE_TIERED:
		return json_object_get(r, "max") ? jnum(json_object_get(r, "max")) : options_top(json_object_get(r, "tiers"));
	default: return jnum(json_object_get(r, "points"));
	}
}

static void check_options(json_t *r, const char *code, fw_edit_checks *c)
{
	const char *lists[] = { "options", "tiers", "components" };
	for (size_t l = 0; l < 3; l++) {
		json_t *seen = json_object();
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(r, lists[l]), i, o) {
			const char *oc = json_string_value(json_object_get(o, "code"));
			if (!oc) continue;
			if (json_object_get(seen, oc)) buf_printf(&c->codes, "%s: mã lựa chọn \"%s\" bị trùng\n", code, oc);
			json_object_set_new(seen, oc, json_true());
		}
		json_decref(seen);
	}
}

/* The threshold keys of a ratio_by_type rule against the set's unit types. */
static void check_types(json_t *r, const char *code, json_t *types, fw_edit_checks *c)
{
	const char *k = json_string_value(json_object_get(r, "kind"));
	if (!k || strcmp(k, "ratio_by_type") != 0) return;
	json_t *th = json_object_get(r, "thresholds");
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t) {
		const char *tc = json_string_value(t);
		unit_type ut;
		if (tc && !json_object_get(th, tc))
			buf_printf(&c->types, "%s: chưa có ngưỡng cho loại hình %s\n", code,
			           unit_type_parse(tc, &ut) ? unit_type_name(ut) : tc);
	}
}

/* The node's maximum (declared, else the sum), its problems written. */
static q check_node(json_t *n, json_t *seen, json_t *types, fw_edit_checks *c)
{
	const char *code = json_string_value(json_object_get(n, "code"));
	if (!code) code = "?";
	if (json_object_get(seen, code)) buf_printf(&c->codes, "Mã %s bị trùng\n", code);
	json_object_set_new(seen, code, json_true());
	json_t *r = json_object_get(n, "rule");
	if (json_is_object(r)) {
		c->leaves++;
		const char *rs = json_string_value(json_object_get(r, "source"));
		const char *ns = json_string_value(json_object_get(n, "source"));
		if ((rs && !strcmp(rs, "inferred")) || (!rs && ns && !strcmp(ns, "inferred"))) c->inferred++;
		check_options(r, code, c);
		check_types(r, code, types, c);
		return rule_max(r);
	}
	q sum = q_int(0);
	const char *key = json_object_get(n, "criteria") ? "criteria" : "items";
	size_t i;
	json_t *ch;
	json_array_foreach(json_object_get(n, key), i, ch) sum = q_add(sum, check_node(ch, seen, types, c));
	json_t *mx = json_object_get(n, "max");
	if (!mx) return sum;
	q m = jnum(mx);
	if (q_cmp(m, sum)) {
		arena *a = arena_new();
		buf_printf(&c->sums, "%s: điểm tối đa %s nhưng tổng các mục bên dưới là %s\n", code,
		           q_to_text(a, m, 2, true), q_to_text(a, sum, 2, true));
		arena_free(a);
	}
	return m;
}

void fw_edit_check(json_t *root, fw_edit_checks *out)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->sums);
	buf_init(&out->codes);
	buf_init(&out->types);
	json_t *types = json_object_get(root, "unit_types");
	if (!json_array_size(types)) buf_printf(&out->types, "Bộ chỉ số chưa ghi loại hình đơn vị áp dụng\n");
	json_t *seen = json_object();
	q total = q_int(0);
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(root, "groups"), i, g) total = q_add(total, check_node(g, seen, types, out));
	json_decref(seen);
	json_t *sc = json_object_get(root, "scoring");
	const char *basis = json_string_value(json_object_get(sc, "basis"));
	if (basis && !strcmp(basis, "total") && json_object_get(sc, "max") && q_cmp(jnum(json_object_get(sc, "max")), total)) {
		arena *a = arena_new();
		buf_printf(&out->sums, "Tổng: điểm tối đa %s nhưng tổng các nhóm là %s\n",
		           q_to_text(a, jnum(json_object_get(sc, "max")), 2, true), q_to_text(a, total, 2, true));
		arena_free(a);
	}
}

void fw_edit_checks_free(fw_edit_checks *c)
{
	buf_free(&c->sums);
	buf_free(&c->codes);
	buf_free(&c->types);
}

/* ---- the preview's sample sheets ------------------------------------------------------------- */

static const fw_option *best_option(const fw_option *o, size_t n)
{
	const fw_option *best = n ? &o[0] : NULL;
	for (size_t i = 1; i < n; i++)
		if (q_cmp(o[i].points, best->points) > 0) best = &o[i];
	return best;
}

/* A value that meets the threshold (and earns the points when proportional). */
static void meet(answer *an, q threshold)
{
	an->has_value = true;
	an->value = threshold;
}

static void full_answer(const fw_rule *r, unit_type t, answer *an)
{
	an->present = true;
	an->reason = "Phiếu mẫu";
	switch (r->kind) {
	case RULE_GATE: case RULE_YES_NO: an->yes = true; break;
	case RULE_UP_TO: an->has_points = true; an->points = r->points; break;
	case RULE_ALTERNATIVES: { const fw_option *b = best_option(r->options, r->noptions); an->option = b ? b->code : "none"; break; }
	case RULE_TIERED: { const fw_option *b = best_option(r->options, r->noptions); an->option = b ? b->code : "none"; break; }
	case RULE_RATIO: meet(an, r->threshold); break;
	case RULE_RATIO_BY_TYPE:
		if (r->type_has_threshold[t]) meet(an, r->type_threshold[t]);
		else { an->has_met = true; an->met = true; }
		break;
	case RULE_COUNT: an->count = r->threshold.d ? (r->threshold.n + r->threshold.d - 1) / r->threshold.d : 0; break;
	case RULE_INFO: an->text = ""; break;
	case RULE_DERIVED: an->present = false; break;
	case RULE_KIND_COUNT: break;
	}
}

void fw_edit_sample(const framework *fw, unit_type t, bool full, arena *a, answer_sheet *out)
{
	memset(out, 0, sizeof *out);
	out->answers = arena_alloc(a, (fw->nleaves ? fw->nleaves : 1) * sizeof *out->answers);
	memset(out->answers, 0, (fw->nleaves ? fw->nleaves : 1) * sizeof *out->answers);
	if (!full) return;
	for (size_t i = 0; i < fw->nleaves; i++) full_answer(fw->leaves[i]->rule, t, &out->answers[i]);
}
