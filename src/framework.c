/* framework.c — loading and validating indicator-set files.
 *
 * The loader is strict because a framework decides schools' levels: every
 * problem is reported with the file, the JSON path and what is wrong, all
 * problems at once, and nothing half-loaded is ever returned. Unknown keys
 * are errors too, so a misspelt "pionts" cannot silently become 0 points. */
#include "framework.h"
#include "exact.h"
#include "asset.h"
#include "util.h"
#include "vn.h"
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- names ------------------------------------------------------------- */

static const char *const ut_codes[UT_COUNT] = {
	"mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx", "phong", "so"
};
static const char *const ut_names[UT_COUNT] = {
	"Mầm non", "Tiểu học", "THCS", "THPT", "Liên cấp", "GDTX", "Phòng GD&ĐT", "Sở GD&ĐT"
};
/* Accepted spellings besides the code (compared case-insensitively on ASCII). */
static const char *const ut_aliases[][2] = {
	{ "mầm non", "mam_non" }, { "mam-non", "mam_non" }, { "mn", "mam_non" },
	{ "tiểu học", "tieu_hoc" }, { "tieu-hoc", "tieu_hoc" }, { "th", "tieu_hoc" },
	{ "trung học cơ sở", "thcs" }, { "trung học phổ thông", "thpt" },
	{ "liên cấp", "lien_cap" }, { "lien-cap", "lien_cap" },
	{ "giáo dục thường xuyên", "gdtx" }, { "phòng", "phong" }, { "sở", "so" },
};

const char *unit_type_code(unit_type t) { return t < UT_COUNT ? ut_codes[t] : "?"; }
const char *unit_type_name(unit_type t) { return t < UT_COUNT ? ut_names[t] : "?"; }

static bool ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
		if (x != y) return false;
	}
	return *a == *b;
}

bool unit_type_parse(const char *s, unit_type *out)
{
	for (int t = 0; t < UT_COUNT; t++)
		if (ascii_ieq(s, ut_codes[t])) { *out = (unit_type)t; return true; }
	char *n = vn_nfc(s);
	if (!n) return false;
	/* lower-case the Vietnamese capitals that appear in the aliases */
	static const char *const caps[][2] = {
		{ "Ầ", "ầ" }, { "Ể", "ể" }, { "Ọ", "ọ" }, { "Ơ", "ơ" }, { "Ổ", "ổ" },
		{ "Ê", "ê" }, { "Á", "á" }, { "Ấ", "ấ" }, { "Ở", "ở" }, { "Ò", "ò" },
		{ "Ư", "ư" }, { "Ờ", "ờ" }, { "Ụ", "ụ" },
	};
	buf low;
	buf_init(&low);
	for (const char *p = n; *p;) {
		bool done = false;
		for (size_t i = 0; i < ARRAY_LEN(caps) && !done; i++) {
			size_t l = strlen(caps[i][0]);
			if (strncmp(p, caps[i][0], l) == 0) { buf_puts(&low, caps[i][1]); p += l; done = true; }
		}
		if (!done) {
			char c = *p++;
			buf_putc(&low, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
		}
	}
	free(n);
	bool found = false;
	for (size_t i = 0; i < ARRAY_LEN(ut_aliases) && !found; i++) {
		if (strcmp(buf_str(&low), ut_aliases[i][0]) == 0) {
			found = unit_type_parse(ut_aliases[i][1], out);
		}
	}
	buf_free(&low);
	return found;
}

static const char *const src_codes[] = { "official", "seed", "third-party", "inferred", "test" };
static const char *const src_names[] = { "chính thức", "tài liệu gốc", "bên thứ ba", "suy luận", "kiểm thử" };
const char *source_tag_code(source_tag s) { return src_codes[s]; }
const char *source_tag_name(source_tag s) { return src_names[s]; }
static const char *const src_explain[] = {
	"Theo văn bản chính thức của Bộ Giáo dục và Đào tạo.",
	"Chép từ biểu mẫu, kế hoạch của trường, phòng hoặc sở; chưa đối chiếu văn bản gốc của Bộ.",
	"Theo bản mã hoá của một phần mềm khác, chưa đối chiếu văn bản gốc.",
	"Văn bản không ghi rõ nên Chiso suy ra; cơ quan quản lý cần rà soát trước khi dùng.",
	"Dữ liệu thử nghiệm, không dùng để đánh giá thật.",
};
const char *source_tag_explain(source_tag s) { return src_explain[s]; }

static const char *const kind_codes[RULE_KIND_COUNT] = {
	"gate", "yes_no", "up_to", "alternatives", "tiered", "ratio", "ratio_by_type",
	"count", "info", "derived"
};
static const char *const kind_names[RULE_KIND_COUNT] = {
	"Điều kiện bắt buộc", "Có/Không", "Tối đa (chấm theo mức)", "Phương án",
	"Theo bậc, trừ điểm", "Tỉ lệ đạt ngưỡng", "Tỉ lệ theo cấp học", "Số lượng tối thiểu",
	"Thông tin", "Tính từ đơn vị trực thuộc"
};
const char *rule_kind_code(rule_kind k) { return k < RULE_KIND_COUNT ? kind_codes[k] : "?"; }
const char *rule_kind_name(rule_kind k) { return k < RULE_KIND_COUNT ? kind_names[k] : "?"; }

/* ---- validation context -------------------------------------------------- */

typedef struct vctx {
	arena *a;
	const char *file;
	buf *err;
	int nerr;
	framework *fw;
	/* codes seen so far, for duplicate detection */
	const char **codes, **code_paths;
	size_t ncodes, capcodes;
} vctx;

static void verr(vctx *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void verr(vctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_printf(c->err, "%s: %s: ", c->file, path && *path ? path : "(gốc)");
	buf_vprintf(c->err, fmt, ap);
	buf_putc(c->err, '\n');
	va_end(ap);
	c->nerr++;
}

static const char *sub(vctx *c, const char *path, const char *key)
{
	return *path ? arena_printf(c->a, "%s.%s", path, key) : arena_strdup(c->a, key);
}

static const char *idx(vctx *c, const char *path, const char *key, size_t i)
{
	return arena_printf(c->a, "%s%s%s[%zu]", path, *path ? "." : "", key, i);
}

/* Unknown keys are errors: allowed is a NULL-terminated list. */
static void check_keys(vctx *c, json_t *obj, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *k = allowed; *k && !ok; k++) ok = strcmp(*k, key) == 0;
		if (!ok) verr(c, sub(c, path, key), "khóa không được hỗ trợ (unknown key) \"%s\"", key);
	}
}

static const char *get_str(vctx *c, json_t *obj, const char *key, const char *path, bool required)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required) verr(c, sub(c, path, key), "thiếu trường bắt buộc (missing)");
		return NULL;
	}
	if (!json_is_string(v)) {
		verr(c, sub(c, path, key), "phải là chuỗi văn bản (string expected)");
		return NULL;
	}
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		verr(c, sub(c, path, key), "chuỗi chứa ký tự NUL");
		return NULL;
	}
	if (!vn_is_nfc(s)) {
		verr(c, sub(c, path, key), "văn bản không ở dạng chuẩn Unicode NFC (text is not NFC)");
		return NULL;
	}
	if (required && !*s) {
		verr(c, sub(c, path, key), "không được để trống (empty)");
		return NULL;
	}
	return arena_strdup(c->a, s);
}

/* A number: integer or a decimal with at most two decimals, ≥ 0. */
static bool json_to_q(json_t *v, q *out)
{
	if (json_is_integer(v)) { *out = q_int(json_integer_value(v)); return true; }
	if (json_is_real(v)) return q_from_double(json_real_value(v), 2, out);
	return false;
}

static bool get_q(vctx *c, json_t *obj, const char *key, const char *path, bool required, q *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required) verr(c, sub(c, path, key), "thiếu trường bắt buộc (missing)");
		return false;
	}
	if (!json_to_q(v, out)) {
		verr(c, sub(c, path, key), "phải là số, tối đa 2 chữ số thập phân (number expected)");
		return false;
	}
	if (out->n < 0) {
		verr(c, sub(c, path, key), "không được âm (must not be negative)");
		return false;
	}
	return true;
}

static bool get_bool(vctx *c, json_t *obj, const char *key, const char *path, bool dflt)
{
	json_t *v = json_object_get(obj, key);
	if (!v) return dflt;
	if (!json_is_boolean(v)) {
		verr(c, sub(c, path, key), "phải là true hoặc false");
		return dflt;
	}
	return json_is_true(v);
}

/* Match a string against a list of codes; -1 (with an error) when absent
 * or unknown, `dflt` when the key is missing and dflt >= 0. */
static int get_enum(vctx *c, json_t *obj, const char *key, const char *path,
                    const char *const *codes, int n, int dflt)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (dflt < 0) verr(c, sub(c, path, key), "thiếu trường bắt buộc (missing)");
		return dflt;
	}
	if (json_is_string(v)) {
		for (int i = 0; i < n; i++)
			if (strcmp(json_string_value(v), codes[i]) == 0) return i;
	}
	buf allowed;
	buf_init(&allowed);
	for (int i = 0; i < n; i++) buf_printf(&allowed, "%s%s", i ? ", " : "", codes[i]);
	verr(c, sub(c, path, key), "giá trị không hợp lệ %s%s%s; chấp nhận: %s",
	     json_is_string(v) ? "\"" : "", json_is_string(v) ? json_string_value(v) : "(không phải chuỗi)",
	     json_is_string(v) ? "\"" : "", buf_str(&allowed));
	buf_free(&allowed);
	return dflt >= 0 ? dflt : -1;
}

static source_tag get_source(vctx *c, json_t *obj, const char *path, bool required, source_tag dflt)
{
	int s = get_enum(c, obj, "source", path, src_codes, 5, required ? -1 : (int)dflt);
	return s < 0 ? dflt : (source_tag)s;
}

static json_t *get_array(vctx *c, json_t *obj, const char *key, const char *path, bool required)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required) verr(c, sub(c, path, key), "thiếu trường bắt buộc (missing)");
		return NULL;
	}
	if (!json_is_array(v)) {
		verr(c, sub(c, path, key), "phải là mảng (array expected)");
		return NULL;
	}
	return v;
}

static void note_code(vctx *c, const char *code, const char *path)
{
	for (size_t i = 0; i < c->ncodes; i++) {
		if (strcmp(c->codes[i], code) == 0) {
			verr(c, sub(c, path, "code"), "mã \"%s\" bị trùng với %s (duplicate code)", code, c->code_paths[i]);
			return;
		}
	}
	if (c->ncodes == c->capcodes) {
		c->capcodes = c->capcodes ? c->capcodes * 2 : 64;
		const char **nc = arena_alloc(c->a, c->capcodes * sizeof *nc);
		const char **np = arena_alloc(c->a, c->capcodes * sizeof *np);
		if (c->ncodes) {
			memcpy(nc, c->codes, c->ncodes * sizeof *nc);
			memcpy(np, c->code_paths, c->ncodes * sizeof *np);
		}
		c->codes = nc;
		c->code_paths = np;
	}
	c->codes[c->ncodes] = code;
	c->code_paths[c->ncodes++] = path;
}

static bool valid_code(const char *s, bool allow_underscore)
{
	if (!*s) return false;
	for (; *s; s++) {
		char ch = *s;
		bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		          ch == '.' || ch == '-' || (allow_underscore && ch == '_');
		if (!ok) return false;
	}
	return true;
}

/* ---- levels / bands -------------------------------------------------------- */

static void parse_bands(vctx *c, json_t *arr, const char *path, fw_band **out, size_t *nout,
                        source_tag dflt_src)
{
	static const char *const keys[] = { "level", "name", "label", "from", "above", "source", NULL };
	size_t n = json_array_size(arr);
	if (n == 0) { verr(c, path, "cần ít nhất một mức (no levels)"); return; }
	fw_band *b = arena_alloc(c->a, n * sizeof *b);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *p = arena_printf(c->a, "%s[%zu]", path, i);
		if (!json_is_object(v)) { verr(c, p, "phải là đối tượng (object expected)"); continue; }
		check_keys(c, v, p, keys);
		json_t *lv = json_object_get(v, "level");
		if (!json_is_integer(lv) || json_integer_value(lv) != (json_int_t)i + 1)
			verr(c, sub(c, p, "level"), "mức phải là số nguyên %zu (levels numbered 1, 2, … in order)", i + 1);
		b[i].level = (int)i + 1;
		b[i].name = get_str(c, v, "name", p, false);
		if (!b[i].name) b[i].name = arena_printf(c->a, "Mức %zu", i + 1);
		b[i].label = get_str(c, v, "label", p, false);
		b[i].has_from = get_q(c, v, "from", p, false, &b[i].from);
		b[i].has_above = get_q(c, v, "above", p, false, &b[i].above);
		b[i].source = get_source(c, v, p, false, dflt_src);
		if (i == 0 && (b[i].has_from || b[i].has_above))
			verr(c, p, "mức thấp nhất không có ngưỡng \"from\"/\"above\"");
		if (i > 0 && b[i].has_from == b[i].has_above)
			verr(c, p, "cần đúng một trong \"from\" (≥) hoặc \"above\" (>)");
		if (i > 1) {
			q prev = b[i - 1].has_from ? b[i - 1].from : b[i - 1].above;
			q cur = b[i].has_from ? b[i].from : b[i].above;
			if (q_cmp(cur, prev) < 0 || (q_cmp(cur, prev) == 0 && !(b[i - 1].has_from && b[i].has_above)))
				verr(c, p, "ngưỡng các mức phải tăng dần (thresholds must increase)");
		}
	}
	*out = b;
	*nout = n;
}

const fw_band *band_for(const fw_band *bands, size_t n, q score)
{
	const fw_band *hit = n ? &bands[0] : NULL;
	for (size_t i = 1; i < n; i++) {
		bool in = bands[i].has_from ? q_cmp(score, bands[i].from) >= 0 : q_cmp(score, bands[i].above) > 0;
		if (in) hit = &bands[i];
	}
	return hit;
}

/* ---- rules ---------------------------------------------------------------- */

static void parse_options(vctx *c, json_t *rule, const char *key, const char *path, bool with_points,
                          fw_option **out, size_t *nout, source_tag dflt)
{
	static const char *const keys_p[] = { "code", "label", "points", "source", NULL };
	static const char *const keys_c[] = { "code", "label", "source", NULL };
	json_t *arr = get_array(c, rule, key, path, true);
	if (!arr) return;
	size_t n = json_array_size(arr);
	if (n == 0) { verr(c, sub(c, path, key), "cần ít nhất một phương án (empty)"); return; }
	fw_option *o = arena_alloc(c->a, n * sizeof *o);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *p = idx(c, path, key, i);
		if (!json_is_object(v)) { verr(c, p, "phải là đối tượng (object expected)"); continue; }
		check_keys(c, v, p, with_points ? keys_p : keys_c);
		o[i].code = get_str(c, v, "code", p, true);
		o[i].label = get_str(c, v, "label", p, true);
		o[i].source = get_source(c, v, p, false, dflt);
		if (with_points) get_q(c, v, "points", p, true, &o[i].points);
		if (o[i].code && (!valid_code(o[i].code, true) || strcmp(o[i].code, "none") == 0))
			verr(c, sub(c, p, "code"), "mã phương án không hợp lệ \"%s\"", o[i].code);
		for (size_t j = 0; j < i && o[i].code; j++)
			if (o[j].code && strcmp(o[j].code, o[i].code) == 0)
				verr(c, sub(c, p, "code"), "mã \"%s\" bị trùng trong cùng quy tắc (duplicate)", o[i].code);
	}
	*out = o;
	*nout = n;
}

static const char *const mode_codes[] = { "threshold", "proportional" };
static const char *const cmp_codes[] = { "ge", "le" };
static const char *const unit_codes[] = { "percent", "ratio" };
static const char *const dm_codes[] = { "share_at_least_level", "average_score" };

static void parse_unit_type_list(vctx *c, json_t *arr, const char *path, bool *set)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		unit_type t;
		const char *p = arena_printf(c->a, "%s[%zu]", path, i);
		if (!json_is_string(v) || !unit_type_parse(json_string_value(v), &t) ||
		    strcmp(json_string_value(v), unit_type_code(t)) != 0) {
			verr(c, p, "loại hình đơn vị không hợp lệ; chấp nhận: mam_non, tieu_hoc, thcs, thpt, lien_cap, gdtx, phong, so");
			continue;
		}
		if (set[t]) verr(c, p, "loại hình \"%s\" bị lặp", unit_type_code(t));
		set[t] = true;
	}
}

static fw_rule *parse_rule(vctx *c, json_t *r, const char *path, source_tag node_src)
{
	if (!json_is_object(r)) { verr(c, path, "phải là đối tượng (object expected)"); return NULL; }
	int k = get_enum(c, r, "kind", path, kind_codes, RULE_KIND_COUNT, -1);
	if (k < 0) return NULL;
	fw_rule *ru = arena_alloc(c->a, sizeof *ru);
	ru->kind = (rule_kind)k;
	ru->source = get_source(c, r, path, false, node_src);
	ru->measure = get_str(c, r, "measure", path, false);
	switch (ru->kind) {
	case RULE_GATE: {
		static const char *const keys[] = { "kind", "source", "effect", NULL };
		static const char *const eff[] = { "zero_group", "flag_only" };
		check_keys(c, r, path, keys);
		if (json_object_get(r, "effect")) {
			ru->gate_effect_set = true;
			ru->gate_effect = (gate_policy)get_enum(c, r, "effect", path, eff, 2, 0);
		}
		break;
	}
	case RULE_INFO: {
		static const char *const keys[] = { "kind", "source", NULL };
		check_keys(c, r, path, keys);
		break;
	}
	case RULE_YES_NO:
	case RULE_UP_TO: {
		static const char *const keys[] = { "kind", "source", "points", NULL };
		check_keys(c, r, path, keys);
		get_q(c, r, "points", path, true, &ru->points);
		break;
	}
	case RULE_ALTERNATIVES: {
		static const char *const keys[] = { "kind", "source", "options", NULL };
		check_keys(c, r, path, keys);
		parse_options(c, r, "options", path, true, &ru->options, &ru->noptions, ru->source);
		for (size_t i = 0; i < ru->noptions; i++) ru->points = q_max(ru->points, ru->options[i].points);
		break;
	}
	case RULE_TIERED: {
		static const char *const keys[] = { "kind", "source", "tiers", "components", "deduction", "floor", "max", NULL };
		check_keys(c, r, path, keys);
		parse_options(c, r, "tiers", path, true, &ru->options, &ru->noptions, ru->source);
		parse_options(c, r, "components", path, false, &ru->components, &ru->ncomponents, ru->source);
		get_q(c, r, "max", path, true, &ru->points);
		get_q(c, r, "deduction", path, true, &ru->deduction);
		if (!get_q(c, r, "floor", path, false, &ru->floor)) ru->floor = q_int(0);
		if (q_cmp(ru->floor, ru->points) > 0) verr(c, sub(c, path, "floor"), "sàn lớn hơn điểm tối đa");
		break;
	}
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE:
	case RULE_COUNT: {
		static const char *const keys_r[] = { "kind", "source", "points", "threshold", "unit", "compare", "mode", "measure", NULL };
		static const char *const keys_t[] = { "kind", "source", "points", "thresholds", "unit", "compare", "mode", "measure", NULL };
		static const char *const keys_c[] = { "kind", "source", "points", "min", "mode", "measure", NULL };
		check_keys(c, r, path, ru->kind == RULE_RATIO ? keys_r : ru->kind == RULE_COUNT ? keys_c : keys_t);
		get_q(c, r, "points", path, true, &ru->points);
		ru->mode = (ratio_mode)get_enum(c, r, "mode", path, mode_codes, 2, MODE_THRESHOLD);
		if (ru->kind == RULE_COUNT) {
			ru->cmp = CMP_GE;
			ru->unit = UNIT_RATIO;
			if (get_q(c, r, "min", path, true, &ru->threshold) && q_is_zero(ru->threshold))
				verr(c, sub(c, path, "min"), "số lượng tối thiểu phải lớn hơn 0");
			break;
		}
		ru->cmp = (ratio_cmp)get_enum(c, r, "compare", path, cmp_codes, 2, CMP_GE);
		ru->unit = (ratio_unit)get_enum(c, r, "unit", path, unit_codes, 2, UNIT_PERCENT);
		if (ru->kind == RULE_RATIO) {
			if (get_q(c, r, "threshold", path, true, &ru->threshold) && q_is_zero(ru->threshold))
				verr(c, sub(c, path, "threshold"), "ngưỡng phải lớn hơn 0");
			break;
		}
		json_t *th = json_object_get(r, "thresholds");
		const char *tp = sub(c, path, "thresholds");
		if (!json_is_object(th)) { verr(c, tp, "cần đối tượng ngưỡng theo loại hình (object expected)"); break; }
		const char *key;
		json_t *v;
		json_object_foreach(th, key, v) {
			unit_type t;
			const char *kp = sub(c, tp, key);
			if (!unit_type_parse(key, &t) || strcmp(key, unit_type_code(t)) != 0) {
				verr(c, kp, "loại hình đơn vị không hợp lệ \"%s\"", key);
				continue;
			}
			if (!c->fw->unit_types[t])
				verr(c, kp, "loại hình \"%s\" không thuộc phạm vi áp dụng của bộ chỉ số", key);
			ru->type_known[t] = true;
			if (json_is_null(v)) continue;
			if (!json_to_q(v, &ru->type_threshold[t]) || ru->type_threshold[t].n <= 0)
				verr(c, kp, "ngưỡng phải là số dương hoặc null (chưa biết, chấm tay)");
			else
				ru->type_has_threshold[t] = true;
		}
		for (int t = 0; t < UT_COUNT; t++)
			if (c->fw->unit_types[t] && !ru->type_known[t])
				verr(c, tp, "thiếu ngưỡng cho loại hình \"%s\" (missing threshold; dùng null nếu chưa biết)",
				     unit_type_code((unit_type)t));
		break;
	}
	case RULE_DERIVED: {
		static const char *const keys[] = { "kind", "source", "points", "measure", "level", "of", "unit_types", "mode", "threshold", NULL };
		check_keys(c, r, path, keys);
		get_q(c, r, "points", path, true, &ru->points);
		ru->measure = NULL;
		ru->dmeasure = (derived_measure)get_enum(c, r, "measure", path, dm_codes, 2, -1);
		ru->mode = (ratio_mode)get_enum(c, r, "mode", path, mode_codes, 2, MODE_PROPORTIONAL);
		if (ru->mode == MODE_THRESHOLD) get_q(c, r, "threshold", path, true, &ru->threshold);
		if (ru->dmeasure == DM_SHARE_AT_LEAST_LEVEL) {
			json_t *lv = json_object_get(r, "level");
			if (!json_is_integer(lv) || json_integer_value(lv) < 1 || json_integer_value(lv) > 9)
				verr(c, sub(c, path, "level"), "cần mức (số nguyên từ 1) cho share_at_least_level");
			else
				ru->dlevel = (int)json_integer_value(lv);
		} else if (ru->dmeasure == DM_AVERAGE_SCORE) {
			ru->dgroup = get_str(c, r, "of", path, true);
		}
		json_t *ut = json_object_get(r, "unit_types");
		if (ut) {
			if (!json_is_array(ut)) verr(c, sub(c, path, "unit_types"), "phải là mảng (array expected)");
			else { parse_unit_type_list(c, ut, sub(c, path, "unit_types"), ru->dtypes); ru->dtypes_set = true; }
		}
		break;
	}
	case RULE_KIND_COUNT:
		break;
	}
	return ru;
}

/* ---- nodes ---------------------------------------------------------------- */

static q rule_max(const fw_rule *r)
{
	return (r->kind == RULE_GATE || r->kind == RULE_INFO) ? q_int(0) : r->points;
}

static void fmt_pts(vctx *c, q v, const char **out)
{
	*out = q_to_text(c->a, v, 2, false);
}

/* Compare a node's declared maximum with the sum of its children. */
static void check_sum(vctx *c, fw_node *n, q sum, const char *path)
{
	if (!n->has_max) { n->max = sum; return; }
	int cmp = q_cmp(sum, n->max);
	if (cmp == 0) return;
	const char *s, *m;
	fmt_pts(c, sum, &s);
	fmt_pts(c, n->max, &m);
	if (cmp > 0)
		verr(c, sub(c, path, "max"), "tổng điểm các thành phần (%s) vượt điểm tối đa khai báo (%s)", s, m);
	else if (c->fw->complete)
		verr(c, sub(c, path, "max"), "tổng điểm các thành phần (%s) không bằng điểm tối đa khai báo (%s)", s, m);
}

/* Returns false when the node's maximum is unknown because something under
 * it failed to parse; sums above it are then not checked, so one mistake
 * gives one message instead of a cascade. */
static bool parse_node(vctx *c, json_t *j, node_kind kind, const char *path, fw_node *n, fw_node *parent)
{
	static const char *const keys_g[] = { "code", "title", "source", "origin", "note", "max", "criteria", NULL };
	static const char *const keys_c[] = { "code", "title", "source", "origin", "note", "evidence", "max", "items", "rule", "bands", "required", NULL };
	static const char *const keys_i[] = { "code", "title", "source", "origin", "note", "evidence", "rule", "required", NULL };
	n->kind = kind;
	n->parent = parent;
	n->path = path;
	bool max_known = true;
	if (!json_is_object(j)) { verr(c, path, "phải là đối tượng (object expected)"); return false; }
	check_keys(c, j, path, kind == NODE_GROUP ? keys_g : kind == NODE_CRITERION ? keys_c : keys_i);
	n->code = get_str(c, j, "code", path, true);
	if (n->code) {
		if (!valid_code(n->code, false)) verr(c, sub(c, path, "code"), "mã không hợp lệ \"%s\" (chữ, số, dấu chấm)", n->code);
		note_code(c, n->code, path);
	}
	n->title = get_str(c, j, "title", path, true);
	n->note = get_str(c, j, "note", path, false);
	n->evidence = get_str(c, j, "evidence", path, false);
	n->origin = get_str(c, j, "origin", path, false);
	n->source = get_source(c, j, path, true, SRC_INFERRED);
	n->has_max = get_q(c, j, "max", path, false, &n->max);

	json_t *rule = json_object_get(j, "rule");
	const char *child_key = kind == NODE_GROUP ? "criteria" : "items";
	json_t *kids = json_object_get(j, child_key);
	if (kind == NODE_ITEM && !rule) verr(c, sub(c, path, "rule"), "thiếu quy tắc chấm (missing rule)");
	if (kind == NODE_CRITERION && !rule == !kids)
		verr(c, path, "tiêu chí cần đúng một trong \"rule\" hoặc \"items\"");
	if (kind == NODE_GROUP && !kids) verr(c, sub(c, path, "criteria"), "thiếu trường bắt buộc (missing)");

	if (rule) {
		int before = c->nerr;
		n->rule = parse_rule(c, rule, sub(c, path, "rule"), n->source);
		if (!n->rule || c->nerr != before) max_known = false;
		if (n->rule) {
			bool scored = n->rule->kind != RULE_INFO && n->rule->kind != RULE_DERIVED;
			n->required = get_bool(c, j, "required", path, scored);
			q m = rule_max(n->rule);
			if (n->has_max && q_cmp(m, n->max) != 0) {
				const char *s, *mm;
				fmt_pts(c, m, &s);
				fmt_pts(c, n->max, &mm);
				verr(c, sub(c, path, "max"), "điểm tối đa của quy tắc (%s) khác điểm tối đa khai báo (%s)", s, mm);
			}
			n->max = m;
		}
	}
	json_t *bands = json_object_get(j, "bands");
	if (bands) {
		if (!json_is_array(bands)) verr(c, sub(c, path, "bands"), "phải là mảng (array expected)");
		else parse_bands(c, bands, sub(c, path, "bands"), &n->bands, &n->nbands, n->source);
	}
	if (kids && !json_is_array(kids)) { verr(c, sub(c, path, child_key), "phải là mảng (array expected)"); kids = NULL; }
	if (kids) {
		n->nchildren = json_array_size(kids);
		if (n->nchildren == 0 && (kind != NODE_GROUP || c->fw->complete))
			verr(c, sub(c, path, child_key), "không có thành phần nào (empty)");
		n->children = arena_alloc(c->a, n->nchildren * sizeof *n->children);
		q sum = q_int(0);
		size_t i;
		json_t *v;
		json_array_foreach(kids, i, v) {
			fw_node *ch = &n->children[i];
			if (!parse_node(c, v, kind == NODE_GROUP ? NODE_CRITERION : NODE_ITEM, idx(c, path, child_key, i), ch, n))
				max_known = false;
			sum = q_add(sum, ch->max);
		}
		if (max_known) check_sum(c, n, sum, path);
	}
	return max_known;
}

static void collect_leaves(framework *fw, fw_node *n, size_t group, size_t *count, bool store)
{
	n->group_index = group;
	if (store) n->node_index = fw->nnodes++;
	if (n->rule) {
		if (store) { n->leaf_index = *count; fw->leaves[*count] = n; }
		(*count)++;
	}
	for (size_t i = 0; i < n->nchildren; i++) collect_leaves(fw, &n->children[i], group, count, store);
}

static bool valid_iso_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1945 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static void parse_top(vctx *c, json_t *root)
{
	static const char *const keys[] = { "chiso_framework", "id", "revision", "title", "decision", "status",
		"source", "note", "unit_types", "scoring", "groups", NULL };
	static const char *const dkeys[] = { "number", "date", "issuer", NULL };
	static const char *const skeys[] = { "basis", "max", "gate_policy", "levels", NULL };
	static const char *const status_codes[] = { "complete", "incomplete" };
	static const char *const basis_codes[] = { "groups", "total" };
	static const char *const gate_codes[] = { "zero_group", "flag_only" };
	framework *fw = c->fw;

	if (!json_is_object(root)) { verr(c, "", "tệp phải chứa một đối tượng JSON (object expected)"); return; }
	check_keys(c, root, "", keys);
	json_t *ver = json_object_get(root, "chiso_framework");
	if (!json_is_integer(ver) || json_integer_value(ver) != 1)
		verr(c, "chiso_framework", "phiên bản định dạng phải là 1");
	fw->id = get_str(c, root, "id", "", true);
	if (fw->id && !valid_code(fw->id, false)) verr(c, "id", "mã bộ chỉ số chỉ gồm chữ thường, số, dấu gạch");
	json_t *rev = json_object_get(root, "revision");
	if (!json_is_integer(rev) || json_integer_value(rev) < 1 || json_integer_value(rev) > 1000000)
		verr(c, "revision", "cần số nguyên dương");
	else fw->revision = (int)json_integer_value(rev);
	fw->title = get_str(c, root, "title", "", true);
	fw->note = get_str(c, root, "note", "", false);
	fw->source = get_source(c, root, "", true, SRC_INFERRED);
	fw->complete = get_enum(c, root, "status", "", status_codes, 2, -1) == 0;

	json_t *dec = json_object_get(root, "decision");
	if (!json_is_object(dec)) verr(c, "decision", "thiếu thông tin quyết định ban hành (number, date, issuer)");
	else {
		check_keys(c, dec, "decision", dkeys);
		fw->decision_number = get_str(c, dec, "number", "decision", true);
		fw->decision_date = get_str(c, dec, "date", "decision", true);
		fw->decision_issuer = get_str(c, dec, "issuer", "decision", true);
		if (fw->decision_date && !valid_iso_date(fw->decision_date))
			verr(c, "decision.date", "ngày không hợp lệ \"%s\" (YYYY-MM-DD)", fw->decision_date);
	}

	json_t *ut = get_array(c, root, "unit_types", "", true);
	if (ut) {
		parse_unit_type_list(c, ut, "unit_types", fw->unit_types);
		if (json_array_size(ut) == 0) verr(c, "unit_types", "cần ít nhất một loại hình đơn vị");
	}

	json_t *sc = json_object_get(root, "scoring");
	if (!json_is_object(sc)) { verr(c, "scoring", "thiếu cách tính điểm (scoring)"); return; }
	check_keys(c, sc, "scoring", skeys);
	fw->basis = (score_basis)get_enum(c, sc, "basis", "scoring", basis_codes, 2, -1);
	if ((int)fw->basis < 0) fw->basis = BASIS_GROUPS;
	fw->gate_effect = (gate_policy)get_enum(c, sc, "gate_policy", "scoring", gate_codes, 2, GATE_ZERO_GROUP);
	fw->has_total_max = get_q(c, sc, "max", "scoring", fw->basis == BASIS_TOTAL, &fw->total_max);
	json_t *lv = get_array(c, sc, "levels", "scoring", true);
	if (lv) parse_bands(c, lv, "scoring.levels", &fw->levels, &fw->nlevels, fw->source);

	json_t *groups = get_array(c, root, "groups", "", true);
	if (!groups) return;
	fw->ngroups = json_array_size(groups);
	if (fw->ngroups == 0) verr(c, "groups", "cần ít nhất một nhóm tiêu chí");
	fw->groups = arena_alloc(c->a, fw->ngroups * sizeof *fw->groups);
	q total = q_int(0);
	bool all_max = true, groups_known = true;
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) {
		const char *p = idx(c, "", "groups", i);
		fw_node *gn = &fw->groups[i];
		if (!parse_node(c, g, NODE_GROUP, p, gn, NULL)) groups_known = false;
		/* a group without criteria but with a declared max keeps it */
		if (!gn->has_max) all_max = false;
		if (fw->basis == BASIS_GROUPS && !gn->has_max)
			verr(c, sub(c, p, "max"), "nhóm cần điểm tối đa khi chấm theo từng nhóm (basis groups)");
		total = q_add(total, gn->max);
	}
	if (fw->basis == BASIS_TOTAL && fw->has_total_max && groups_known) {
		const char *s, *m;
		fmt_pts(c, total, &s);
		fmt_pts(c, fw->total_max, &m);
		int cmp = q_cmp(total, fw->total_max);
		if (cmp > 0) verr(c, "scoring.max", "tổng điểm các nhóm (%s) vượt tổng tối đa (%s)", s, m);
		else if (cmp < 0 && fw->complete && all_max)
			verr(c, "scoring.max", "tổng điểm các nhóm (%s) không bằng tổng tối đa (%s)", s, m);
		else if (cmp < 0 && fw->complete)
			verr(c, "scoring.max", "bộ chỉ số hoàn chỉnh nhưng tổng điểm (%s) chưa đạt tổng tối đa (%s)", s, m);
	}
	size_t nleaves = 0;
	for (i = 0; i < fw->ngroups; i++) collect_leaves(fw, &fw->groups[i], i, &nleaves, false);
	fw->leaves = arena_alloc(c->a, (nleaves ? nleaves : 1) * sizeof *fw->leaves);
	fw->nleaves = 0;
	for (i = 0; i < fw->ngroups; i++) collect_leaves(fw, &fw->groups[i], i, &fw->nleaves, true);
}

/* 1-based line and column of a byte offset, for messages about raw text. */
static void line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') { (*line)++; *col = 1; }
		else if (((unsigned char)text[i] & 0xC0) != 0x80) (*col)++;
	}
}

framework *framework_parse(const char *text, size_t len, const char *file, buf *err)
{
	size_t bad;
	if (!vn_utf8_valid(text, len, &bad)) {
		size_t line, col;
		line_col(text, bad, &line, &col);
		buf_printf(err, "%s: dòng %zu, cột %zu: văn bản không phải UTF-8 hợp lệ (byte 0x%02X)%s\n",
		           file, line, col, (unsigned char)text[bad],
		           (unsigned char)text[bad] >= 0x80 ? " — tệp có lẽ được lưu bằng mã Latin-1/Windows-125x; hãy lưu lại dạng UTF-8" : "");
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		buf_printf(err, "%s: dòng %d, cột %d: JSON không hợp lệ: %s\n", file, je.line, je.column, je.text);
		return NULL;
	}
	arena *a = arena_new();
	framework *fw = arena_alloc(a, sizeof *fw);
	fw->mem = a;
	fw->file = arena_strdup(a, file);
	vctx c = { .a = a, .file = file, .err = err, .fw = fw };
	parse_top(&c, root);
	json_decref(root);
	if (c.nerr) {
		arena_free(a);
		return NULL;
	}
	return fw;
}

void framework_free(framework *fw)
{
	if (fw) arena_free(fw->mem);
}

enum { MAX_FRAMEWORK_BYTES = 4 << 20 };

framework *framework_load_file(const char *path, buf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		buf_printf(err, "%s: không mở được tệp: %s\n", path, strerror(errno));
		return NULL;
	}
	buf text;
	buf_init(&text);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_append(&text, chunk, n);
		if (text.len > MAX_FRAMEWORK_BYTES) break;
	}
	bool rerr = ferror(f);
	fclose(f);
	framework *fw = NULL;
	if (rerr) buf_printf(err, "%s: lỗi đọc tệp\n", path);
	else if (text.len > MAX_FRAMEWORK_BYTES) buf_printf(err, "%s: tệp quá lớn (tối đa 4 MB)\n", path);
	else fw = framework_parse(buf_str(&text), text.len, path, err);
	buf_free(&text);
	return fw;
}

static const fw_node *find_in(const fw_node *n, const char *code)
{
	if (n->code && strcmp(n->code, code) == 0) return n;
	for (size_t i = 0; i < n->nchildren; i++) {
		const fw_node *hit = find_in(&n->children[i], code);
		if (hit) return hit;
	}
	return NULL;
}

const fw_node *framework_find(const framework *fw, const char *code)
{
	for (size_t i = 0; i < fw->ngroups; i++) {
		const fw_node *hit = find_in(&fw->groups[i], code);
		if (hit) return hit;
	}
	return NULL;
}

/* ---- catalogue -------------------------------------------------------------- */

static int cmp_fw(const void *a, const void *b)
{
	const framework *x = *(framework *const *)a, *y = *(framework *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->revision > y->revision) - (x->revision < y->revision);
}

void fw_catalog_init(fw_catalog *c)
{
	memset(c, 0, sizeof *c);
	buf_init(&c->errors);
	/* Allocated once, never moved: readers hold no lock (framework.h). */
	c->items = xmalloc(FW_CATALOG_MAX * sizeof *c->items);
}

/* Adds fw to a catalogue being loaded (readers do not see it yet: n is
 * published when the load ends). A framework of the same id@revision
 * already there, from an earlier layer, is replaced: the later layer wins. */
static void load_add(fw_catalog *c, size_t *n, framework *fw, const char *where)
{
	for (size_t i = 0; i < *n; i++) {
		if (c->items[i]->revision != fw->revision || strcmp(c->items[i]->id, fw->id) != 0) continue;
		framework_free(c->items[i]);
		c->items[i] = fw;
		return;
	}
	if (*n == FW_CATALOG_MAX) {
		buf_printf(&c->errors, "%s: quá nhiều bộ chỉ số (tối đa %d)\n", where, FW_CATALOG_MAX);
		framework_free(fw);
		return;
	}
	c->items[(*n)++] = fw;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every .json file of dir, in name order (so of two files with the same
 * id@revision the same one always wins). missing_ok: a directory that
 * does not exist is no error. */
static void load_dir(fw_catalog *c, size_t *n, const char *dir, bool missing_ok)
{
	struct dirent **names;
	int k = scandir(dir, &names, NULL, by_name);
	if (k < 0) {
		if (!(missing_ok && errno == ENOENT))
			buf_printf(&c->errors, "%s: không mở được thư mục bộ chỉ số: %s\n", dir, strerror(errno));
		return;
	}
	for (int i = 0; i < k; i++) {
		const char *name = names[i]->d_name;
		size_t l = strlen(name);
		if (l >= 6 && strcmp(name + l - 5, ".json") == 0 && name[0] != '.') {
			buf path;
			buf_init(&path);
			buf_printf(&path, "%s/%s", dir, name);
			framework *fw = framework_load_file(buf_str(&path), &c->errors);
			if (fw) load_add(c, n, fw, dir);
			buf_free(&path);
		}
		free(names[i]);
	}
	free(names);
}

static void load_end(fw_catalog *c, size_t n)
{
	sort_list(c->items, n, sizeof *c->items, cmp_fw);
	c->n = n;
}

void fw_catalog_load(fw_catalog *c, const char *dir)
{
	fw_catalog_init(c);
	size_t n = 0;
	load_dir(c, &n, dir, false);
	load_end(c, n);
}

bool fw_installed_dir(buf *out)
{
	buf_reset(out);
	char exe[4096];
	ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (l <= 0 || (size_t)l >= sizeof exe - 1) return false;
	exe[l] = '\0';
	/* PREFIX/bin/chiso → PREFIX/share/chiso/frameworks */
	char *slash = strrchr(exe, '/');
	if (!slash) return false;
	*slash = '\0';
	slash = strrchr(exe, '/');
	if (!slash || strcmp(slash + 1, "bin") != 0) return false;
	*slash = '\0';
	buf_printf(out, "%s/share/chiso/frameworks", exe);
	return true;
}

void fw_catalog_load_default(fw_catalog *c, const char *dir)
{
	fw_catalog_init(c);
	size_t n = 0;
	for (const struct asset *e = fw_embedded; e->path; e++) {
		framework *fw = framework_parse((const char *)e->data, e->len, e->path, &c->errors);
		if (!fw) continue;
		fw->origin = FW_FROM_EMBEDDED;
		load_add(c, &n, fw, "nhúng trong chương trình");
	}
	buf installed;
	buf_init(&installed);
	if (fw_installed_dir(&installed)) load_dir(c, &n, buf_str(&installed), true);
	buf_free(&installed);
	if (!dir || !*dir) dir = getenv("CHISO_FRAMEWORKS");
	if (dir && *dir) load_dir(c, &n, dir, false);
	load_end(c, n);
}

const char *fw_origin_text(const framework *fw, buf *b)
{
	buf_reset(b);
	switch (fw->origin) {
	case FW_FROM_EMBEDDED: buf_puts(b, "nhúng trong chương trình"); break;
	case FW_FROM_DB: buf_printf(b, "cơ sở dữ liệu, bản %d", fw->revision); break;
	case FW_FROM_DIR: buf_puts(b, fw->file); break;
	}
	return buf_str(b);
}

/* The highest revision of an id; "id@rev" picks one revision. */
const framework *fw_catalog_find(const fw_catalog *c, const char *id)
{
	const char *at = strchr(id, '@');
	size_t idlen = at ? (size_t)(at - id) : strlen(id);
	int rev = at ? atoi(at + 1) : 0;
	const framework *best = NULL;
	size_t n = c->n;   /* one acquire load: entries below n are complete */
	for (size_t i = 0; i < n; i++) {
		const framework *fw = c->items[i];
		if (strlen(fw->id) != idlen || strncmp(fw->id, id, idlen) != 0) continue;
		if (rev ? fw->revision == rev : (!best || fw->revision > best->revision)) best = fw;
	}
	return best;
}

int fw_catalog_max_revision(const fw_catalog *c, const char *id)
{
	const framework *fw = strchr(id, '@') ? NULL : fw_catalog_find(c, id);
	return fw ? fw->revision : 0;
}

bool fw_catalog_append(fw_catalog *c, framework *fw)
{
	size_t n = atomic_load_explicit(&c->n, memory_order_relaxed);   /* we are the only writer */
	if (n >= FW_CATALOG_MAX || !c->items) return false;
	for (size_t i = 0; i < n; i++)
		if (c->items[i]->revision == fw->revision && strcmp(c->items[i]->id, fw->id) == 0) return false;
	c->items[n] = fw;
	/* Release: a reader that sees n + 1 sees the whole framework. */
	atomic_store_explicit(&c->n, n + 1, memory_order_release);
	return true;
}

void fw_catalog_free(fw_catalog *c)
{
	size_t n = c->n;
	for (size_t i = 0; i < n; i++) framework_free(c->items[i]);
	free(c->items);
	buf_free(&c->errors);
	memset(c, 0, sizeof *c);
}

const char *fw_revision_refusal(int revision, int max_existing)
{
	if (revision < 1) return "Phiên bản (revision) phải là số nguyên từ 1 trở lên.";
	if (revision == max_existing)
		return "Phiên bản này đã có: một phiên bản đã công bố không bao giờ được thay thế, "
		       "vì các hồ sơ đánh giá vẫn dùng nó. Hãy tăng số phiên bản (revision).";
	if (revision < max_existing)
		return "Phiên bản phải cao hơn mọi phiên bản đã có của bộ chỉ số này. Hãy tăng số phiên bản (revision).";
	return NULL;
}

/* ---- comparing two versions ------------------------------------------------ */

static void flatten(const fw_node *n, const fw_node **out, size_t *k)
{
	out[(*k)++] = n;
	for (size_t i = 0; i < n->nchildren; i++) flatten(&n->children[i], out, k);
}

static const fw_node **all_nodes(const framework *fw, arena *a, size_t *n)
{
	const fw_node **v = arena_alloc(a, (fw->nnodes + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < fw->ngroups; i++) flatten(&fw->groups[i], v, n);
	return v;
}

static fw_change *change_add(arena *a, fw_change **out, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		fw_change *g = arena_alloc(a, nc * sizeof *g);
		if (*n) memcpy(g, *out, *n * sizeof *g);
		*out = g;
		*cap = nc;
	}
	fw_change *ch = &(*out)[(*n)++];
	memset(ch, 0, sizeof *ch);
	return ch;
}

void fw_diff(const framework *old, const framework *new_fw, arena *a, fw_change **out, size_t *n)
{
	size_t no, nn, cap = 0;
	const fw_node **vo = all_nodes(old, a, &no), **vn = all_nodes(new_fw, a, &nn);
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nn; i++) {
		const fw_node *x = vn[i], *o = framework_find(old, x->code);
		if (!o) {
			fw_change *ch = change_add(a, out, n, &cap);
			ch->kind = FW_ADDED;
			ch->code = x->code;
			ch->title = x->title;
			ch->new_max = x->max;
			continue;
		}
		if (q_cmp(o->max, x->max) != 0) {
			fw_change *ch = change_add(a, out, n, &cap);
			ch->kind = FW_MAX_CHANGED;
			ch->code = x->code;
			ch->title = x->title;
			ch->old_max = o->max;
			ch->new_max = x->max;
		}
		if ((o->rule != NULL) != (x->rule != NULL) || (o->rule && o->rule->kind != x->rule->kind)) {
			fw_change *ch = change_add(a, out, n, &cap);
			ch->kind = FW_RULE_CHANGED;
			ch->code = x->code;
			ch->title = x->title;
			ch->old_rule = o->rule ? rule_kind_code(o->rule->kind) : "";
			ch->new_rule = x->rule ? rule_kind_code(x->rule->kind) : "";
		}
	}
	for (size_t i = 0; i < no; i++) {
		if (framework_find(new_fw, vo[i]->code)) continue;
		fw_change *ch = change_add(a, out, n, &cap);
		ch->kind = FW_REMOVED;
		ch->code = vo[i]->code;
		ch->title = vo[i]->title;
		ch->old_max = vo[i]->max;
	}
}

void fw_counts(const framework *fw, size_t *groups, size_t *criteria, size_t *items, size_t *leaves)
{
	*groups = fw->ngroups;
	*criteria = *items = 0;
	for (size_t g = 0; g < fw->ngroups; g++) {
		*criteria += fw->groups[g].nchildren;
		for (size_t c = 0; c < fw->groups[g].nchildren; c++) *items += fw->groups[g].children[c].nchildren;
	}
	*leaves = fw->nleaves;
}
