/* test_round_agg.c — the round summary's stored aggregates (round_agg.h),
 * on SQLite and PostgreSQL (store_test.h): the demo data set written with
 * the hook installed, then a scripted mix of writes — answers saved on
 * both sides one at a time and as a sheet, levels fixed, changed and
 * cleared, an assessment carried to another revision of its framework, a
 * unit added to a round, a unit's type changed (its rounds go stale and
 * the rebuild counts them again) — and after each step every round's
 * stored units and cells equal a full recomputation (round_agg_compute).
 * An answer saved without its touch (a crash after the save's commit)
 * leaves its mark: the round is not read from its aggregates until the
 * background pass applies it, and then equals a recomputation again. A
 * sheet written without the hook marks the round stale instead. */
#include "store_test.h"
#include <jansson.h>
#include "assess_carry.h"
#include "demo.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_round.h"
#include "q_unit.h"
#include "q_dash.h"
#include "workflow.h"
#include "round_agg.h"

static int cmp_cell(const void *x, const void *y)
{
	return strcmp(((const agg_cell_row *)x)->cell, ((const agg_cell_row *)y)->cell);
}

/* The stored aggregates of every round equal their recomputation; the
 * number of units compared. */
static size_t check_all(store_fx *fx, const fw_catalog *cat, const char *step)
{
	arena *a = arena_new();
	round_row *rounds = NULL;
	size_t nr = 0, units = 0, stages = 0;
	OK(round_list_all(fx->d, 100, a, &rounds, &nr));
	assert_true(nr >= 2);
	for (size_t r = 0; r < nr; r++) {
		if (!round_agg_current(fx->d, rounds[r].id)) fail_msg("%s: round %lld is not current", step, (long long)rounds[r].id);
		agg_member *m1 = NULL, *m2 = NULL;
		agg_cell_row *c1 = NULL, *c2 = NULL;
		size_t nm1 = 0, nm2 = 0, nc1 = 0, nc2 = 0;
		OK(round_agg_compute(fx->d, cat, rounds[r].id, a, &m1, &nm1, &c1, &nc1));
		OK(agg_members(fx->d, rounds[r].id, a, &m2, &nm2));
		OK(agg_cells(fx->d, rounds[r].id, a, &c2, &nc2));
		if (nc2) qsort(c2, nc2, sizeof *c2, cmp_cell);
		if (nm1 != nm2) fail_msg("%s: round %lld: %zu units stored, %zu counted", step, (long long)rounds[r].id, nm2, nm1);
		for (size_t i = 0; i < nm1; i++) {
			if (m1[i].assessment_id != m2[i].assessment_id || strcmp(m1[i].cell, m2[i].cell) != 0 || strcmp(m1[i].summary, m2[i].summary) != 0 ||
			    m1[i].total_key != m2[i].total_key || m1[i].level != m2[i].level)
				fail_msg("%s: assessment %lld: stored %s %s, counted %s %s", step, (long long)m1[i].assessment_id, m2[i].cell,
				         m2[i].summary, m1[i].cell, m1[i].summary);
		}
		if (nc1 != nc2) fail_msg("%s: round %lld: %zu cells stored, %zu counted", step, (long long)rounds[r].id, nc2, nc1);
		for (size_t i = 0; i < nc1; i++)
			if (strcmp(c1[i].cell, c2[i].cell) != 0 || c1[i].units != c2[i].units || strcmp(c1[i].body, c2[i].body) != 0)
				fail_msg("%s: cell %s: stored %lld %s, counted %s %lld %s", step, c2[i].cell, (long long)c2[i].units, c2[i].body,
				         c1[i].cell, (long long)c1[i].units, c1[i].body);
		units += nm1;
		/* the progress: the stored counts are those of the transitions */
		dash_stage_count *s1 = NULL, *s2 = NULL;
		size_t ns1 = 0, ns2 = 0;
		OK(dash_stage_counts(fx->d, rounds[r].id, a, &s1, &ns1));
		OK(agg_stage_counts(fx->d, rounds[r].id, a, &s2, &ns2));
		if (ns1 != ns2) fail_msg("%s: round %lld: %zu stage rows stored, %zu counted", step, (long long)rounds[r].id, ns2, ns1);
		for (size_t i = 0; i < ns1; i++)
			if (strcmp(s1[i].hour, s2[i].hour) != 0 || strcmp(s1[i].state, s2[i].state) != 0 || s1[i].count != s2[i].count)
				fail_msg("%s: stage %s %s: stored %lld, counted %lld", step, s1[i].hour, s1[i].state, (long long)s2[i].count,
				         (long long)s1[i].count);
		stages += ns1;
	}
	assert_true(stages > 0);
	arena_free(a);
	return units;
}

/* The Sở's current round (every workflow state) and its assessments. */
static int64_t current_round(store_fx *fx, arena *a, round_unit **ru, size_t *n)
{
	int64_t id = 0;
	OK(db_query_int64(fx->d, &id, "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = ?"
		" ORDER BY r.school_year DESC, r.id DESC LIMIT 1", "t", "52000000"));
	OK(bulk_round_units(fx->d, id, a, ru, n));
	assert_true(*n >= 100);
	return id;
}

static int64_t cell_units(store_fx *fx, int64_t round_id)
{
	int64_t n = 0;
	OK(db_query_int64(fx->d, &n, "SELECT COALESCE(SUM(units), 0) FROM round_agg_cells WHERE round_id = ?", "i", round_id));
	return n;
}

/* Whether the assessment's stored contribution is the one counted now. */
static bool member_counted(store_fx *fx, const fw_catalog *cat, int64_t round_id, int64_t assessment_id)
{
	arena *a = arena_new();
	agg_member *m1 = NULL, *m2 = NULL;
	agg_cell_row *c1 = NULL;
	size_t nm1 = 0, nm2 = 0, nc1 = 0;
	OK(round_agg_compute(fx->d, cat, round_id, a, &m1, &nm1, &c1, &nc1));
	OK(agg_members(fx->d, round_id, a, &m2, &nm2));
	const char *counted = NULL, *stored = NULL;
	for (size_t i = 0; i < nm1; i++)
		if (m1[i].assessment_id == assessment_id) counted = m1[i].summary;
	for (size_t i = 0; i < nm2; i++)
		if (m2[i].assessment_id == assessment_id) stored = m2[i].summary;
	bool same = counted && stored && !strcmp(counted, stored);
	arena_free(a);
	return same;
}

/* qd4725-2022 revision 2 (1.6.1's threshold raised): a carry target. */
static framework *revision2(void)
{
	json_error_t je;
	json_t *root = json_load_file("frameworks/qd4725-2022.json", 0, &je);
	if (!root) fail_msg("frameworks/qd4725-2022.json: %s", je.text);
	json_object_set_new(root, "revision", json_integer(2));
	json_t *groups = json_object_get(root, "groups"), *g, *c, *it;
	size_t i, j, k;
	json_array_foreach(groups, i, g) json_array_foreach(json_object_get(g, "criteria"), j, c)
		json_array_foreach(json_object_get(c, "items"), k, it)
			if (!strcmp(json_string_value(json_object_get(it, "code")), "1.6.1"))
				json_object_set_new(json_object_get(it, "rule"), "threshold", json_integer(90));
	char *text = json_dumps(root, 0);
	json_decref(root);
	buf err;
	buf_init(&err);
	framework *fw = framework_parse(text, strlen(text), "qd4725-2022-r2.json", &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	buf_free(&err);
	free(text);
	return fw;
}

static void build_demo(store_fx *fx, fw_catalog *cat)
{
	demo_opts o = { .db_target = fx->target, .frameworks = cat, .today = "2026-11-23" };
	char dir[96];
	snprintf(dir, sizeof dir, "%s/blobs", fx->dir);
	char msg[BLOB_MSG_MAX];
	blob_store *bs = NULL;
	assert_int_equal(blob_store_open(dir, 0, &bs, msg), BLOB_OK);
	o.blobs = bs;
	demo_summary s;
	buf err;
	buf_init(&err);
	if (demo_create(fx->d, &o, &s, &err) != DB_OK) fail_msg("demo: %s", buf_str(&err));
	buf_free(&err);
	demo_summary_free(&s);
	blob_store_close(bs);
}

/* Answers on both sides of a few assessments, one at a time and as a sheet. */
static void save_answers(store_fx *fx, const round_unit *ru, size_t n)
{
	static const char *const values[] = { "true", "false", "{\"num\":45,\"den\":60}", "null" };
	for (size_t i = 0; i < n; i += 7) {
		const char *v = values[i % 4];
		OK(assessment_answer_put(fx->d, 0, ru[i].as.id, i % 2 ? "1.3.1" : "1.1.1", ANSWER_SELF, i % 3 ? v : "true", NULL, NULL, NULL));
		OK(assessment_answer_put(fx->d, 0, ru[i].as.id, "1.6.1", ANSWER_EXTERNAL, "{\"num\":50,\"den\":60}", NULL, NULL, NULL));
	}
	const char *codes[] = { "1.1.1", "1.3.1", "1.6.1" }, *vals[] = { "false", "true", "{\"num\":59,\"den\":60}" };
	OK(bulk_answers_put(fx->d, 0, ru[1].as.id, ANSWER_SELF, codes, vals, 3));
	OK(bulk_answers_put(fx->d, 0, ru[2].as.id, ANSWER_EXTERNAL, codes, vals, 3));
}

static void set_levels(store_fx *fx, const round_unit *ru, size_t n)
{
	for (size_t i = 0; i < n; i += 5) {
		assessment_level which = i % 3 == 0 ? LEVEL_SELF : i % 3 == 1 ? LEVEL_EXTERNAL : LEVEL_RECOGNISED;
		OK(assessment_set_level(fx->d, 0, ru[i].as.id, assessment_level_code(which), (int)(i % 4)));
	}
}

/* The store's functions called one by one on the state the scripted mix
 * left (the round current, every mark applied): what each returns, and
 * that the round still equals a recomputation after those that write. */
static void store_calls(store_fx *fx, const fw_catalog *cat, int64_t round, int64_t school, int64_t id, int64_t crashed)
{
	arena *a = arena_new();
	char *stamp = NULL;
	OK(agg_round_stamp(fx->d, round, a, &stamp));
	assert_non_null(stamp);
	int64_t size = 0;
	OK(agg_round_size(fx->d, round, &size));
	assert_int_equal(size, 2);                          /* counted up to 2 */
	agg_member *m = NULL;
	size_t nm = 0, nids = 0, nst = 0;
	OK(agg_members(fx->d, round, a, &m, &nm));
	int64_t *ids = NULL, *stale = NULL;
	OK(agg_round_ids(fx->d, round, a, &ids, &nids));
	assert_int_equal(nids, nm);
	for (size_t i = 1; i < nids; i++) assert_true(ids[i - 1] < ids[i]);
	OK(agg_rounds_stale(fx->d, stamp, a, &stale, &nst));
	for (size_t i = 0; i < nst; i++) assert_int_not_equal(stale[i], round);
	OK(agg_rounds_stale(fx->d, "another build", a, &stale, &nst));
	bool listed = false;
	for (size_t i = 0; i < nst; i++) listed |= stale[i] == round;
	assert_true(listed);
	/* what the hook reads of one assessment, and its cell */
	agg_context cx;
	OK(agg_context_get(fx->d, crashed, a, &cx));
	assert_true(cx.has_round_row && cx.has_member && cx.has_cell);
	assert_int_equal(cx.member.assessment_id, crashed);
	assert_string_equal(cx.cell.cell, cx.member.cell);
	agg_cell_row cell;
	OK(agg_cell_get(fx->d, round, cx.member.cell, a, &cell));
	assert_int_equal(cell.units, cx.cell.units);
	assert_string_equal(cell.body, cx.cell.body);
	/* written back as they are, taken out and put back: nothing moved */
	OK(db_begin_write(fx->d));
	OK(agg_cell_put(fx->d, round, &cell));
	OK(agg_member_delete(fx->d, crashed));
	size_t nm2 = 0;
	OK(agg_members(fx->d, round, a, &m, &nm2));
	assert_int_equal(nm2, nm - 1);
	OK(agg_member_put(fx->d, &cx.member));
	OK(db_commit(fx->d));
	check_all(fx, cat, "written back");
	/* the lists: the lowest totals first, the best first, at most the limit */
	agg_listed *low = NULL;
	size_t nlow = 0;
	OK(agg_lowest(fx->d, round, NULL, 4, 5, a, &low, &nlow));
	assert_int_equal(nlow, nm < 5 ? nm : 5);
	agg_listed *best = NULL;
	size_t nbest = 0;
	OK(agg_best(fx->d, round, 3, a, &best, &nbest));
	assert_int_equal(nbest, nm < 3 ? nm : 3);
	bool crossed = nm > 5;   /* the best is not among the five lowest */
	for (size_t i = 0; crossed && i < nlow; i++) crossed = low[i].assessment_id != best[0].assessment_id;
	assert_true(nm <= 5 || crossed);
	/* a school year before the first */
	bool any = true;
	OK(agg_earlier_years(fx->d, "1900-1901", &any));
	assert_false(any);
	OK(agg_earlier_years(fx->d, "2999-3000", &any));
	assert_true(any);
	/* a second transition to a state is not counted again */
	dash_stage_count *s1 = NULL, *s2 = NULL;
	size_t ns1 = 0, ns2 = 0;
	OK(agg_stage_counts(fx->d, round, a, &s1, &ns1));
	OK(agg_stage_reached(fx->d, id, wf_state_code(WF_SUBMITTED), "2026-01-01T00:00:00Z"));
	OK(agg_stage_counts(fx->d, round, a, &s2, &ns2));
	assert_int_equal(ns1, ns2);
	for (size_t i = 0; i < ns1; i++) assert_int_equal(s1[i].count, s2[i].count);
	/* a unit's new code follows into its contribution */
	OK(agg_unit_recoded(fx->d, school, "52199998"));
	OK(agg_context_get(fx->d, id, a, &cx));
	assert_string_equal(cx.member.unit_code, "52199998");
	OK(agg_unit_recoded(fx->d, school, "52199999"));
	/* a mark written and cleared; with the hook, round_agg_saved applies it */
	db_stmt *mark = agg_dirty_stmt(fx->d, crashed);
	assert_non_null(mark);
	assert_int_equal(db_step(mark), DB_DONE);
	db_finish(mark);
	int64_t *marked = NULL;
	size_t nmarked = 0;
	OK(agg_dirty_ids(fx->d, 10, a, &marked, &nmarked));
	assert_int_equal(nmarked, 1);
	assert_int_equal(marked[0], crashed);
	OK(agg_dirty_clear(fx->d, crashed));
	OK(agg_dirty_ids(fx->d, 10, a, &marked, &nmarked));
	assert_int_equal(nmarked, 0);
	mark = agg_dirty_stmt(fx->d, crashed);
	assert_int_equal(db_step(mark), DB_DONE);
	db_finish(mark);
	round_agg_enable(cat);
	OK(round_agg_saved(fx->d, crashed));
	assert_false(round_agg_deferred());
	OK(agg_dirty_ids(fx->d, 10, a, &marked, &nmarked));
	assert_int_equal(nmarked, 0);
	check_all(fx, cat, "saved");
	/* without the hook a write marks the round stale; so does a unit's new
	 * type, and a reset; a rebuild's stamp is taken only from its own mark */
	round_agg_set_hook(NULL);
	OK(db_begin_write(fx->d));
	OK(round_agg_changed(fx->d, crashed));
	OK(db_commit(fx->d));
	assert_false(round_agg_current(fx->d, round));
	OK(db_begin_write(fx->d));
	OK(agg_unit_changed(fx->d, school));
	OK(agg_round_reset(fx->d, round, NULL));
	assert_int_equal(agg_round_ready(fx->d, round, "building:not-this-one", stamp), DB_ECONFLICT);
	db_rollback(fx->d);
	db_clear_error(fx->d);
	size_t rebuilt = 0;
	OK(round_agg_rebuild_stale(fx->d, cat, &rebuilt));
	assert_true(rebuilt >= 1);
	check_all(fx, cat, "rebuilt again");
	arena_free(a);
}

static void test_consistent(void **state)
{
	store_fx *fx = *state;
	fw_catalog cat;
	fw_catalog_load(&cat, "frameworks");
	const framework *r2 = revision2();
	assert_true(fw_catalog_append(&cat, (framework *)r2));
	round_agg_enable(&cat);
	build_demo(fx, &cat);
	size_t all = check_all(fx, &cat, "demo");
	assert_true(all >= 200);
	arena *a = arena_new();
	round_unit *ru = NULL;
	size_t n = 0;
	int64_t round = current_round(fx, a, &ru, &n);
	save_answers(fx, ru, n);
	check_all(fx, &cat, "answers");
	set_levels(fx, ru, n);
	check_all(fx, &cat, "levels");
	/* an assessment carried to revision 2: its cell changes */
	size_t k = 0;
	while (k < n && (ru[k].as.recognised_level || strcmp(ru[k].as.framework_id, "qd4725-2022") != 0)) k++;
	if (k < n) {
		assess_carry_result cr;
		buf err;
		buf_init(&err);
		assessment as;
		OK(assessment_get(fx->d, ru[k].as.id, a, &as));
		if (!as.recognised_level) OK(assess_carry(fx->d, &cat, 0, ru[k].as.id, r2, false, a, &cr, &err));
		buf_free(&err);
		check_all(fx, &cat, "carry");
	}
	/* a new school added to the round */
	int64_t before = cell_units(fx, round), school = 0, id = 0;
	unit s = { .code = "52199999", .name = "Trường THCS Thử Nghiệm", .type = "thcs", .is_public = true };
	OK(unit_save(fx->d, 0, &s, &school, NULL));
	OK(assessment_create(fx->d, 0, round, school, "qd4725-2022", "1", &id));
	OK(assessment_answer_put(fx->d, 0, id, "1.1.1", ANSWER_SELF, "true", NULL, NULL, NULL));
	assert_int_equal(cell_units(fx, round), before + 1);
	check_all(fx, &cat, "new unit");
	/* submitted, returned, submitted again: it reached "submitted" once */
	const char *ns = wf_state_code(WF_NOT_STARTED), *sub = wf_state_code(WF_SUBMITTED), *ret = wf_state_code(WF_RETURNED);
	OK(assessment_transition(fx->d, 0, id, ns, sub, NULL, NULL));
	OK(assessment_transition(fx->d, 0, id, sub, ret, "thiếu minh chứng", NULL));
	OK(assessment_transition(fx->d, 0, id, ret, sub, NULL, NULL));
	check_all(fx, &cat, "transitions");
	/* its type changed: the round is stale until rebuilt */
	s.type = "tieu_hoc";
	OK(unit_save(fx->d, 0, &s, &school, NULL));
	assert_false(round_agg_current(fx->d, round));
	size_t rebuilt = 0;
	OK(round_agg_rebuild_stale(fx->d, &cat, &rebuilt));
	assert_int_equal(rebuilt, 1);
	check_all(fx, &cat, "retyped");
	/* an answer saved whose touch never ran (a crash after the save's
	 * commit, or a command without the hook): its mark, written in the
	 * save's transaction, is left; the round is not read from its
	 * aggregates (the page reads every unit) until the background
	 * thread's pass applies the mark */
	round_agg_enable(NULL);
	int64_t crashed = ru[0].as.id;   /* a school scored in its own framework */
	assessment_answer cur1;
	bool was_true = assessment_answer_get(fx->d, crashed, ANSWER_SELF, "1.1", a, &cur1) == DB_OK &&
	                !strcmp(cur1.value_json, "true");
	db_clear_error(fx->d);
	for (int side = 0; side < 2; side++)   /* two saves, one mark */
		OK(assessment_answer_put(fx->d, 0, crashed, "1.1", side ? ANSWER_EXTERNAL : ANSWER_SELF, was_true ? "false" : "true",
		                         NULL, NULL, NULL));
	bool marked = false;
	OK(agg_round_dirty(fx->d, round, &marked));
	assert_true(marked);
	assert_false(round_agg_current(fx->d, round));
	assert_false(member_counted(fx, &cat, round, crashed));   /* the stored contribution is behind */
	OK(round_agg_rebuild_stale(fx->d, &cat, &rebuilt));
	assert_int_equal(rebuilt, 0);                       /* marked, not stale */
	size_t applied = 0;
	OK(round_agg_apply_marks(fx->d, &cat, &applied));
	assert_int_equal(applied, 1);
	OK(agg_round_dirty(fx->d, round, &marked));
	assert_false(marked);
	assert_true(member_counted(fx, &cat, round, crashed));
	check_all(fx, &cat, "mark applied");
	/* a sheet saved without the hook: the round is marked stale, not wrong */
	const char *codes[] = { "1.1.1" }, *vals[] = { "true" };
	OK(bulk_answers_put(fx->d, 0, id, ANSWER_SELF, codes, vals, 1));
	assert_false(round_agg_current(fx->d, round));
	OK(round_agg_rebuild_stale(fx->d, &cat, &rebuilt));
	assert_int_equal(rebuilt, 1);
	check_all(fx, &cat, "rebuilt");
	store_calls(fx, &cat, round, school, id, crashed);
	arena_free(a);
	fw_catalog_free(&cat);
}

#define STORE_TESTS(X) \
	X(consistent)

int main(void)
{
	store_run("round_agg", STORE_TESTS);
}
