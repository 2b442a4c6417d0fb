/* answers.c — validating an answer sheet against its framework.
 *
 * An answer sheet comes from people and other systems, so it is hostile
 * until checked: every unknown code, wrong type, out-of-range value and
 * missing required answer is reported, naming the item, before anything
 * is scored. Text is normalised to NFC on the way in. */
#include "answers.h"
#include "exact.h"
#include "util.h"
#include "vn.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct actx {
	arena *a;
	const char *file;
	buf *err;
	int nerr;
	const framework *fw;
	unit_type type;
} actx;

static void aerr(actx *c, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void aerr(actx *c, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_printf(c->err, "%s: %s: ", c->file, code);
	buf_vprintf(c->err, fmt, ap);
	buf_putc(c->err, '\n');
	va_end(ap);
	c->nerr++;
}

static const char *nfc_copy(actx *c, const char *s)
{
	char *n = vn_nfc(s);
	const char *r = arena_strdup(c->a, n ? n : "");
	free(n);
	return r;
}

static const char *text_of(actx *c, json_t *v)
{
	return json_is_string(v) ? nfc_copy(c, json_string_value(v)) : NULL;
}

static const char *pts(actx *c, q v)
{
	return q_to_text(c->a, v, 2, true);
}

static bool keys_only(actx *c, const char *code, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(obj, key, v) {
		bool known = false;
		for (const char *const *k = allowed; *k && !known; k++) known = strcmp(*k, key) == 0;
		if (!known) { aerr(c, code, "khóa không được hỗ trợ \"%s\"", key); ok = false; }
	}
	return ok;
}

static bool need_reason(actx *c, const char *code, json_t *obj, answer *an)
{
	an->reason = text_of(c, json_object_get(obj, "reason"));
	if (!an->reason || !*an->reason) {
		aerr(c, code, "cần ghi lý do (\"reason\") cho điểm chấm tay");
		return false;
	}
	return true;
}

static bool number(json_t *v, q *out)
{
	if (json_is_integer(v)) { *out = q_int(json_integer_value(v)); return true; }
	if (json_is_real(v)) return q_from_double(json_real_value(v), 2, out);
	return false;
}

static void parse_ratio(actx *c, const fw_node *n, json_t *v, answer *an)
{
	const fw_rule *r = n->rule;
	static const char *const keys[] = { "num", "den", "value", "met", "reason", NULL };
	bool manual = r->kind == RULE_RATIO_BY_TYPE && !r->type_has_threshold[c->type];
	if (!json_is_object(v)) {
		aerr(c, n->code, manual ? "cần {\"met\": true|false, \"reason\": \"…\"} (chưa có ngưỡng cho %s)"
		                        : "cần {\"num\": tử số, \"den\": mẫu số} hoặc {\"value\": giá trị}%s",
		     manual ? unit_type_name(c->type) : "");
		return;
	}
	if (!keys_only(c, n->code, v, keys)) return;
	json_t *num = json_object_get(v, "num"), *den = json_object_get(v, "den"), *val = json_object_get(v, "value");
	json_t *met = json_object_get(v, "met");
	if (num || den) {
		if (!json_is_integer(num) || !json_is_integer(den) || json_integer_value(num) < 0 || json_integer_value(den) <= 0) {
			aerr(c, n->code, "\"num\" và \"den\" phải là số nguyên, num ≥ 0, den > 0");
			return;
		}
		if (r->unit == UNIT_PERCENT && json_integer_value(num) > json_integer_value(den)) {
			aerr(c, n->code, "tử số (%lld) lớn hơn mẫu số (%lld): tỉ lệ vượt 100%%",
			     (long long)json_integer_value(num), (long long)json_integer_value(den));
			return;
		}
		an->has_ratio = true;
		an->num = q_int(json_integer_value(num));
		an->den = q_int(json_integer_value(den));
	} else if (val) {
		if (!number(val, &an->value) || an->value.n < 0 ||
		    (r->unit == UNIT_PERCENT && q_cmp(an->value, q_int(100)) > 0)) {
			aerr(c, n->code, "\"value\" phải là số không âm, tối đa 2 chữ số thập phân%s",
			     r->unit == UNIT_PERCENT ? ", không quá 100 (%)" : "");
			return;
		}
		an->has_value = true;
	}
	if (manual) {
		if (!json_is_boolean(met)) {
			aerr(c, n->code, "chưa có ngưỡng cho %s: cần \"met\": true|false và \"reason\"", unit_type_name(c->type));
			return;
		}
		an->has_met = true;
		an->met = json_is_true(met);
		if (!need_reason(c, n->code, v, an)) return;
	} else {
		if (met) { aerr(c, n->code, "\"met\" chỉ dùng khi chưa có ngưỡng cho loại hình; ở đây hãy nhập số liệu"); return; }
		if (!an->has_ratio && !an->has_value) { aerr(c, n->code, "thiếu số liệu: {\"num\", \"den\"} hoặc {\"value\"}"); return; }
		an->reason = text_of(c, json_object_get(v, "reason"));
	}
	an->present = true;
}

static void parse_one(actx *c, const fw_node *n, json_t *v, answer *an)
{
	const fw_rule *r = n->rule;
	switch (r->kind) {
	case RULE_GATE:
	case RULE_YES_NO:
		if (!json_is_boolean(v)) { aerr(c, n->code, "cần true (có/đạt) hoặc false (không/chưa đạt)"); return; }
		an->yes = json_is_true(v);
		an->present = true;
		return;
	case RULE_UP_TO: {
		static const char *const keys[] = { "points", "reason", NULL };
		if (!json_is_object(v)) { aerr(c, n->code, "cần {\"points\": điểm, \"reason\": \"lý do\"}"); return; }
		if (!keys_only(c, n->code, v, keys)) return;
		if (!number(json_object_get(v, "points"), &an->points) || an->points.n < 0 ||
		    q_cmp(an->points, r->points) > 0) {
			aerr(c, n->code, "điểm phải từ 0 đến %s, tối đa 2 chữ số thập phân", pts(c, r->points));
			return;
		}
		if (!need_reason(c, n->code, v, an)) return;
		an->has_points = true;
		an->present = true;
		return;
	}
	case RULE_ALTERNATIVES: {
		static const char *const keys[] = { "option", "points", "reason", NULL };
		json_t *opt = v;
		if (json_is_object(v)) {
			if (!keys_only(c, n->code, v, keys)) return;
			opt = json_object_get(v, "option");
		}
		if (!json_is_string(opt)) { aerr(c, n->code, "cần mã phương án (chuỗi) hoặc \"none\""); return; }
		const char *code = json_string_value(opt);
		const fw_option *o = NULL;
		for (size_t i = 0; i < r->noptions; i++) if (strcmp(r->options[i].code, code) == 0) o = &r->options[i];
		if (!o && strcmp(code, "none") != 0) {
			buf ok;
			buf_init(&ok);
			for (size_t i = 0; i < r->noptions; i++) buf_printf(&ok, "%s, ", r->options[i].code);
			aerr(c, n->code, "phương án không hợp lệ \"%s\"; chấp nhận: %snone", code, buf_str(&ok));
			buf_free(&ok);
			return;
		}
		an->option = o ? o->code : "none";
		json_t *p = json_is_object(v) ? json_object_get(v, "points") : NULL;
		if (p) {
			if (!o || !number(p, &an->points) || an->points.n < 0 || q_cmp(an->points, o->points) > 0) {
				aerr(c, n->code, "điểm phải từ 0 đến %s của phương án đã chọn", o ? pts(c, o->points) : "0");
				return;
			}
			if (!need_reason(c, n->code, v, an)) return;
			an->has_points = true;
		}
		an->present = true;
		return;
	}
	case RULE_TIERED: {
		static const char *const keys[] = { "tier", "missing", NULL };
		if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) { an->option = "none"; an->present = true; return; }
		if (!json_is_object(v)) { aerr(c, n->code, "cần {\"tier\": bậc, \"missing\": [thành phần thiếu]} hoặc \"none\""); return; }
		if (!keys_only(c, n->code, v, keys)) return;
		json_t *tier = json_object_get(v, "tier");
		const fw_option *t = NULL;
		for (size_t i = 0; json_is_string(tier) && i < r->noptions; i++)
			if (strcmp(r->options[i].code, json_string_value(tier)) == 0) t = &r->options[i];
		if (!t) { aerr(c, n->code, "bậc không hợp lệ \"%s\"", json_is_string(tier) ? json_string_value(tier) : "?"); return; }
		an->option = t->code;
		json_t *miss = json_object_get(v, "missing");
		if (miss && !json_is_array(miss)) { aerr(c, n->code, "\"missing\" phải là mảng mã thành phần"); return; }
		size_t nm = json_array_size(miss);
		an->missing = arena_alloc(c->a, (nm ? nm : 1) * sizeof *an->missing);
		for (size_t i = 0; i < nm; i++) {
			json_t *m = json_array_get(miss, i);
			const char *mc = json_is_string(m) ? json_string_value(m) : "";
			const fw_option *comp = NULL;
			for (size_t j = 0; j < r->ncomponents; j++) if (strcmp(r->components[j].code, mc) == 0) comp = &r->components[j];
			if (!comp) { aerr(c, n->code, "thành phần không có trong danh sách \"%s\"", mc); return; }
			for (size_t j = 0; j < an->nmissing; j++)
				if (strcmp(an->missing[j], mc) == 0) { aerr(c, n->code, "thành phần \"%s\" bị lặp", mc); return; }
			an->missing[an->nmissing++] = comp->code;
		}
		an->present = true;
		return;
	}
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE:
		parse_ratio(c, n, v, an);
		return;
	case RULE_COUNT:
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000000) {
			aerr(c, n->code, "cần số nguyên không âm (số lượng)");
			return;
		}
		an->count = json_integer_value(v);
		an->present = true;
		return;
	case RULE_INFO:
		if (json_is_string(v)) an->text = text_of(c, v);
		else if (json_is_object(v) && json_is_string(json_object_get(v, "text"))) an->text = text_of(c, json_object_get(v, "text"));
		else { aerr(c, n->code, "cần văn bản (chuỗi) hoặc {\"text\": \"…\"}"); return; }
		an->present = true;
		return;
	case RULE_DERIVED:
		aerr(c, n->code, "chỉ tiêu được tính từ kết quả các đơn vị trực thuộc, không nhập tay");
		return;
	case RULE_KIND_COUNT:
		return;
	}
}

static void parse_subordinates(actx *c, json_t *arr, answer_sheet *sheet)
{
	static const char *const keys[] = { "code", "name", "unit_type", "level", "total", "groups", NULL };
	if (!json_is_array(arr)) { aerr(c, "subordinates", "phải là mảng"); return; }
	size_t n = json_array_size(arr);
	subordinate *subs = arena_alloc(c->a, (n ? n : 1) * sizeof *subs);
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(arr, i);
		const char *where = arena_printf(c->a, "subordinates[%zu]", i);
		if (!json_is_object(s) || !keys_only(c, where, s, keys)) { if (!json_is_object(s)) aerr(c, where, "phải là đối tượng"); continue; }
		subordinate *d = &subs[i];
		d->code = text_of(c, json_object_get(s, "code"));
		d->name = text_of(c, json_object_get(s, "name"));
		json_t *ut = json_object_get(s, "unit_type");
		if (!json_is_string(ut) || !unit_type_parse(json_string_value(ut), &d->type)) aerr(c, where, "thiếu hoặc sai \"unit_type\"");
		json_t *lv = json_object_get(s, "level");
		if (lv && (!json_is_integer(lv) || json_integer_value(lv) < 0 || json_integer_value(lv) > 9)) aerr(c, where, "\"level\" phải là số nguyên 0..9");
		d->level = lv ? (int)json_integer_value(lv) : 0;
		json_t *tot = json_object_get(s, "total");
		if (tot) {
			if (!number(tot, &d->total) || d->total.n < 0 || q_cmp(d->total, q_int(100)) > 0) aerr(c, where, "\"total\" phải từ 0 đến 100");
			else d->has_total = true;
		}
		json_t *gs = json_object_get(s, "groups");
		if (gs) {
			if (!json_is_object(gs)) { aerr(c, where, "\"groups\" phải là đối tượng {mã nhóm: điểm}"); continue; }
			size_t ng = json_object_size(gs), k = 0;
			d->group_codes = arena_alloc(c->a, (ng ? ng : 1) * sizeof *d->group_codes);
			d->group_scores = arena_alloc(c->a, (ng ? ng : 1) * sizeof *d->group_scores);
			const char *key;
			json_t *v;
			json_object_foreach(gs, key, v) {
				if (!number(v, &d->group_scores[k]) || d->group_scores[k].n < 0 || q_cmp(d->group_scores[k], q_int(100)) > 0) {
					aerr(c, where, "điểm nhóm \"%s\" phải từ 0 đến 100", key);
					continue;
				}
				d->group_codes[k++] = arena_strdup(c->a, key);
			}
			d->ngroups = k;
		}
	}
	sheet->subs = subs;
	sheet->nsubs = n;
}

bool answers_parse(const framework *fw, const char *text, size_t len, const char *file,
                   const answers_opts *opts, arena *a, answer_sheet *sheet, unit_type *type, buf *err)
{
	static const char *const keys[] = { "framework", "unit_type", "unit", "note", "answers", "subordinates", NULL };
	actx c = { .a = a, .file = file, .err = err, .fw = fw };
	size_t bad;
	if (!vn_utf8_valid(text, len, &bad)) {
		buf_printf(err, "%s: byte %zu: văn bản không phải UTF-8 hợp lệ (byte 0x%02X); hãy lưu tệp dạng UTF-8\n",
		           file, bad, (unsigned char)text[bad]);
		return false;
	}
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		buf_printf(err, "%s: dòng %d, cột %d: JSON không hợp lệ: %s\n", file, je.line, je.column, je.text);
		return false;
	}
	memset(sheet, 0, sizeof *sheet);
	if (!json_is_object(root)) { aerr(&c, "(gốc)", "tệp phải chứa một đối tượng JSON"); goto out; }
	keys_only(&c, "(gốc)", root, keys);
	json_t *fid = json_object_get(root, "framework");
	if (fid && (!json_is_string(fid) || strcmp(json_string_value(fid), fw->id) != 0))
		aerr(&c, "framework", "phiếu trả lời dành cho bộ chỉ số khác (\"%s\"), không phải %s",
		     json_is_string(fid) ? json_string_value(fid) : "?", fw->id);
	json_t *ut = json_object_get(root, "unit_type");
	unit_type sheet_type;
	bool sheet_has_type = false;
	if (ut) {
		if (!json_is_string(ut) || !unit_type_parse(json_string_value(ut), &sheet_type)) aerr(&c, "unit_type", "loại hình đơn vị không hợp lệ");
		else sheet_has_type = true;
	}
	if (opts->type_given) {
		c.type = opts->type;
		if (sheet_has_type && sheet_type != opts->type)
			aerr(&c, "unit_type", "phiếu ghi loại hình %s nhưng lệnh yêu cầu %s", unit_type_name(sheet_type), unit_type_name(opts->type));
	} else if (sheet_has_type) {
		c.type = sheet_type;
	} else {
		aerr(&c, "unit_type", "chưa biết loại hình đơn vị: dùng --unit-type hoặc khóa \"unit_type\" trong phiếu");
		goto out;
	}
	*type = c.type;
	if (c.nerr) goto out;

	sheet->answers = arena_alloc(a, (fw->nleaves ? fw->nleaves : 1) * sizeof *sheet->answers);
	json_t *ans = json_object_get(root, "answers");
	if (!json_is_object(ans)) { aerr(&c, "answers", "thiếu đối tượng \"answers\" {mã chỉ tiêu: câu trả lời}"); goto out; }
	const char *code;
	json_t *v;
	json_object_foreach(ans, code, v) {
		const fw_node *n = framework_find(fw, code);
		if (!n) { aerr(&c, code, "mã chỉ tiêu không có trong bộ chỉ số %s", fw->id); continue; }
		if (!n->rule) { aerr(&c, code, "là %s tổng hợp: hãy trả lời các chỉ tiêu thành phần", n->kind == NODE_GROUP ? "nhóm" : "tiêu chí"); continue; }
		if (json_is_null(v)) continue;   /* explicitly unanswered */
		parse_one(&c, n, v, &sheet->answers[n->leaf_index]);
	}
	json_t *subs = json_object_get(root, "subordinates");
	if (subs) parse_subordinates(&c, subs, sheet);
	if (!opts->partial && c.nerr == 0) {
		for (size_t i = 0; i < fw->nleaves; i++) {
			const fw_node *n = fw->leaves[i];
			if (n->required && !sheet->answers[i].present)
				aerr(&c, n->code, "thiếu câu trả lời cho chỉ tiêu bắt buộc (missing answer)");
		}
	}
out:
	json_decref(root);
	return c.nerr == 0;
}

bool answers_parse_one(const framework *fw, unit_type t, const fw_node *leaf, const char *value_json,
                       arena *a, answer *out, buf *err)
{
	actx c = { .a = a, .file = "", .err = err, .fw = fw, .type = t };
	memset(out, 0, sizeof *out);
	json_error_t je;
	json_t *v = json_loads(value_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		buf_printf(err, "%s: giá trị không phải JSON hợp lệ: %s\n", leaf->code, je.text);
		return false;
	}
	size_t before = err->len;
	if (!json_is_null(v)) {
		if (!leaf->rule) aerr(&c, leaf->code, "không phải chỉ tiêu có quy tắc chấm");
		else parse_one(&c, leaf, v, out);
	}
	json_decref(v);
	/* aerr wrote "FILE: CODE: …"; with no file name drop the leading ": " */
	if (err->len > before && strncmp(err->data + before, ": ", 2) == 0) {
		memmove(err->data + before, err->data + before + 2, err->len - before - 1);
		err->len -= 2;
	}
	return c.nerr == 0;
}

char *answers_stored_json(const fw_node *leaf, json_t *v)
{
	if (leaf && leaf->rule && leaf->rule->kind == RULE_INFO && json_is_string(v)) {
		json_t *o = json_pack("{s:O}", "text", v);
		char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(o);
		return s;
	}
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
}
