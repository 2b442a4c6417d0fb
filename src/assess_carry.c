/* assess_carry.c — see assess_carry.h. */
#include "assess_carry.h"
#include <string.h>
#include "assess.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"
#include "workflow.h"

/* The reason a cleared answer carries starts with this; the form finds the
 * items to answer again by it. */
static const char cleared_prefix[] = "Bộ chỉ số sửa đổi (bản ";

bool assess_carry_cleared(const assessment_answer *an)
{
	return an && an->value_json && !strcmp(an->value_json, "null") && an->reason &&
	       !strncmp(an->reason, cleared_prefix, sizeof cleared_prefix - 1);
}

/* The plan of one side from its stored answers. */
static int plan_side(db *d, const framework *old, const framework *new_fw, unit_type t, int64_t id,
                     answer_side side, arena *a, carry_plan *out)
{
	assessment_answer *stored;
	size_t n;
	int rc = assessment_answers(d, id, side, a, &stored, &n);
	if (rc != DB_OK) return rc;
	carry_answer *ans = arena_alloc(a, (n ? n : 1) * sizeof *ans);
	for (size_t i = 0; i < n; i++) ans[i] = (carry_answer){ stored[i].item_code, stored[i].value_json };
	fw_carry_plan(old, new_fw, t, ans, n, a, out);
	return DB_OK;
}

static json_t *plan_json(const assess_carry_result *r)
{
	json_t *sides = json_object();
	for (int s = 0; s < 2; s++) {
		json_t *items = json_array();
		for (size_t i = 0; i < r->side[s].n; i++) {
			const carry_item *it = &r->side[s].items[i];
			if (it->fate == CARRY_KEPT) continue;
			json_array_append_new(items, json_pack("{s:s, s:s}", "code", it->code, "fate", carry_fate_name(it->fate)));
		}
		json_object_set_new(sides, answer_side_code((answer_side)s), items);
	}
	return sides;
}

/* Clears the answers of one side the new rule no longer accepts. */
static int clear_side(db *d, int64_t actor, int64_t id, answer_side side, const carry_plan *p,
                      const framework *new_fw, arena *a)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->items[i].fate != CARRY_REANSWER) continue;
		const char *reason = arena_printf(a, "%s%d): %s. Cần trả lời lại.", cleared_prefix, new_fw->revision,
		                                  p->items[i].why);
		int rc = assessment_answer_put(d, actor, id, p->items[i].code, side, "null", reason, NULL, NULL);
		if (rc != DB_OK) return rc;
	}
	return DB_OK;
}

/* Scores again, on the new revision, each level the assessment has stored. */
static int rescore_levels(db *d, const fw_catalog *cat, int64_t actor, assessment *as, const char *type,
                          const char *policy, int levels[3], buf *err)
{
	const struct { assessment_level which; answer_side side; int stored; } sides[] = {
		{ LEVEL_SELF, ANSWER_SELF, as->self_level },
		{ LEVEL_EXTERNAL, ANSWER_EXTERNAL, as->external_level },
	};
	for (size_t s = 0; s < 2; s++) {
		levels[s] = sides[s].stored;
		if (!sides[s].stored) continue;
		int level = 0;
		int rc = assess_score(d, cat, as, type, policy, sides[s].side, &level, NULL, err);
		if (rc != DB_OK) return rc;
		if (level != sides[s].stored) {
			rc = assessment_set_level(d, actor, as->id, assessment_level_code(sides[s].which), level);
			if (rc != DB_OK) return rc;
		}
		levels[s] = level;
	}
	return DB_OK;
}

int assess_carry(db *d, const fw_catalog *cat, int64_t actor, int64_t id, const framework *new_fw,
                 bool dry_run, arena *a, assess_carry_result *out, buf *err)
{
	memset(out, 0, sizeof *out);
	assessment as;
	unit su;
	round_row round;
	int rc = assessment_get(d, id, a, &as);
	if (rc == DB_OK) rc = unit_get(d, as.unit_id, a, &su);
	if (rc == DB_OK) rc = round_get(d, as.round_id, a, &round);
	if (rc != DB_OK) {
		buf_printf(err, "%s", db_errmsg(d));
		return rc;
	}
	if (strcmp(as.framework_id, new_fw->id) != 0) {
		buf_printf(err, "Phiếu đánh giá số %lld dùng bộ chỉ số %s, không phải %s.", (long long)id, as.framework_id,
		           new_fw->id);
		return DB_ECONFLICT;
	}
	if (as.recognised_level || wf_state_parse(as.state) >= WF_RECOGNISED) {
		buf_printf(err, "Phiếu đánh giá số %lld đã được công nhận: giữ bản %s của bộ chỉ số.", (long long)id,
		           as.framework_revision);
		return DB_ECONFLICT;
	}
	const char *to = arena_printf(a, "%d", new_fw->revision);
	const framework *old = fw_catalog_find(cat, arena_printf(a, "%s@%s", as.framework_id, as.framework_revision));
	if (!old) {
		buf_printf(err, "Không tìm thấy bộ chỉ số %s bản %s.", as.framework_id, as.framework_revision);
		return DB_ENOTFOUND;
	}
	unit_type t;
	if (!unit_type_parse(su.type, &t)) {
		buf_printf(err, "Loại đơn vị không hợp lệ: %s", su.type);
		return DB_EINVAL;
	}
	/* the plan is read inside the transaction that applies it: a save
	 * cannot slip in between */
	rc = dry_run ? db_begin_read(d) : db_begin_write(d);
	for (int s = 0; rc == DB_OK && s < 2; s++) rc = plan_side(d, old, new_fw, t, id, (answer_side)s, a, &out->side[s]);
	if (rc == DB_OK && (dry_run || strcmp(as.framework_revision, to) == 0)) {
		db_rollback(d);
		return DB_OK;
	}
	for (int s = 0; rc == DB_OK && s < 2; s++) rc = clear_side(d, actor, id, (answer_side)s, &out->side[s], new_fw, a);
	if (rc == DB_OK) rc = assessment_set_revision(d, actor, id, as.framework_revision, to, plan_json(out));
	if (rc == DB_OK) {
		as.framework_revision = to;
		rc = rescore_levels(d, cat, actor, &as, su.type, round.policy, out->levels, err);
	}
	if (rc == DB_OK) rc = db_commit(d);
	if (rc != DB_OK) {
		if (db_tx_depth(d)) db_rollback(d);
		if (!err->len) buf_printf(err, "%s", db_errmsg(d));
		return rc;
	}
	out->moved = true;
	return DB_OK;
}

int assess_carry_round(db *d, const fw_catalog *cat, int64_t actor, int64_t round_id, const framework *new_fw,
                       bool dry_run, arena *a, assess_carry_each fn, void *ctx, assess_carry_count *count)
{
	memset(count, 0, sizeof *count);
	assessment *as = NULL;
	int rc = assessment_list_round(d, round_id, a, &as, &count->n);
	if (rc != DB_OK) return rc;
	bool go = true;
	for (size_t i = 0; go && i < count->n; i++) {
		if (strcmp(as[i].framework_id, new_fw->id) != 0) {
			count->other++;
			continue;
		}
		unit u;
		assess_carry_result r;
		buf err;
		buf_init(&err);
		int crc = unit_get(d, as[i].unit_id, a, &u);
		bool have_unit = crc == DB_OK;
		if (have_unit) crc = assess_carry(d, cat, actor, as[i].id, new_fw, dry_run, a, &r, &err);
		if (crc == DB_OK) {
			count->done++;
			count->moved += r.moved;
		} else if (crc == DB_ECONFLICT) {
			count->kept++;
		}
		go = fn(ctx, &as[i], have_unit ? &u : NULL, crc, crc == DB_OK ? &r : NULL, buf_str(&err));
		buf_free(&err);
	}
	return DB_OK;
}
