/* levels.c — stored answers → answer sheet → score and level (levels.h).
 * No SQL: answers come through q_assessment.h. */
#include "levels.h"
#include "answers.h"
#include "util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int levels_sheet(db *d, int64_t assessment_id, answer_side side, const char *type, char **out)
{
	*out = NULL;
	arena *a = arena_new();
	assessment_answer *ans = NULL;
	size_t n = 0;
	int rc = assessment_answers(d, assessment_id, side, a, &ans, &n);
	if (rc == DB_OK) {
		json_t *answers = json_object();
		for (size_t i = 0; i < n && rc == DB_OK; i++) {
			json_error_t je;
			json_t *v = json_loads(ans[i].value_json, JSON_DECODE_ANY, &je);
			/* A stored null is a cleared answer: the item counts as unanswered. */
			if (!v) rc = db_fail(d, DB_EINVAL, "Câu trả lời %s không phải JSON: %s",
				ans[i].item_code, je.text);
			else if (json_is_null(v)) json_decref(v);
			else json_object_set_new(answers, ans[i].item_code, v);
		}
		json_t *sheet = json_pack("{s:s, s:o}", "unit_type", type, "answers", answers);
		if (rc == DB_OK) *out = json_dumps(sheet, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(sheet);
	}
	arena_free(a);
	return rc;
}

int levels_score_sheet(const framework *fw, const char *sheet_json, const char *policy,
                       bool partial, int *level, score_result **result, buf *err)
{
	*level = 0;
	if (result) *result = NULL;
	unit_policy pol = POLICY_MIN;
	if (policy && !unit_policy_parse(policy, &pol)) {
		buf_printf(err, "cách xếp mức không hợp lệ '%s'\n", policy);
		return DB_EINVAL;
	}
	arena *a = arena_new();
	answer_sheet sheet;
	unit_type t;
	answers_opts opts = { .partial = partial };
	int rc = DB_EINVAL;
	if (answers_parse(fw, sheet_json, strlen(sheet_json), fw->id, &opts, a, &sheet, &t, err)) {
		score_result *r = score_compute(fw, t, pol, &sheet, err);
		if (r) {
			*level = r->level ? r->level->level : 0;
			if (result) *result = r;
			else score_free(r);
			rc = DB_OK;
		}
	}
	arena_free(a);
	return rc;
}

int levels_score(db *d, const fw_catalog *cat, const assessment *as, const char *type,
                 const char *policy, answer_side side, bool partial, int *level,
                 score_result **result, buf *err)
{
	*level = 0;
	if (result) *result = NULL;
	char key[160];
	snprintf(key, sizeof key, "%s@%s", as->framework_id, as->framework_revision);
	const framework *fw = fw_catalog_find(cat, key);
	if (!fw) {
		buf_printf(err, "không có bộ chỉ số %s bản %s trong thư mục bộ chỉ số\n",
			as->framework_id, as->framework_revision);
		return DB_EINVAL;
	}
	char *sheet = NULL;
	int rc = levels_sheet(d, as->id, side, type, &sheet);
	if (rc != DB_OK) {
		buf_printf(err, "%s\n", db_errmsg(d));
		return rc;
	}
	rc = levels_score_sheet(fw, sheet, policy, partial, level, result, err);
	free(sheet);
	return rc;
}
