/* test_admin.c — what the administration pages rest on: the revision rule
 * of published frameworks, the diff between two versions, the
 * append-only catalogue (read by many threads while a version is added),
 * loop detection, the administration gate in authz; and the store part on
 * SQLite and PostgreSQL (store_test.h): drafts and publication of
 * framework versions and their pick-up by another connection, unit edits,
 * lists and relation checks, the last administrator, account lists, the
 * kept import files. */
#include "store_test.h"
#include "audit.h"
#include "authz.h"
#include "framework.h"
#include "q_account.h"
#include "q_framework.h"
#include "q_unit.h"
#include <pthread.h>
#include <stdatomic.h>

/* A small framework (docs/framework-format.md's example); `variant` 1 is
 * the example, 2 changes 1.2.1's points, turns 1.2.2 into yes/no, drops
 * 1.1 and adds 1.2.3. */
static char *example(int revision, int variant)
{
	const char *groups1 =
		"{\"code\": \"1\", \"title\": \"Chuyển đổi số trong dạy, học\", \"max\": 100, \"source\": \"official\","
		" \"criteria\": ["
		"  {\"code\": \"1.1\", \"title\": \"Có kế hoạch dạy học trực tuyến\", \"source\": \"official\", \"rule\": {\"kind\": \"gate\"}},"
		"  {\"code\": \"1.2\", \"title\": \"Hạ tầng\", \"max\": 100, \"source\": \"inferred\", \"items\": ["
		"   {\"code\": \"1.2.1\", \"title\": \"Phòng học có máy chiếu\", \"source\": \"seed\","
		"    \"rule\": {\"kind\": \"ratio\", \"points\": 60, \"threshold\": 60, \"mode\": \"proportional\"}},"
		"   {\"code\": \"1.2.2\", \"title\": \"Tự học trên LMS\", \"source\": \"seed\","
		"    \"rule\": {\"kind\": \"ratio_by_type\", \"points\": 40, \"thresholds\": {\"tieu_hoc\": 5, \"thcs\": 20}}}]}]}";
	const char *groups2 =
		"{\"code\": \"1\", \"title\": \"Chuyển đổi số trong dạy, học\", \"max\": 100, \"source\": \"official\","
		" \"criteria\": ["
		"  {\"code\": \"1.2\", \"title\": \"Hạ tầng\", \"max\": 100, \"source\": \"inferred\", \"items\": ["
		"   {\"code\": \"1.2.1\", \"title\": \"Phòng học có máy chiếu\", \"source\": \"seed\","
		"    \"rule\": {\"kind\": \"ratio\", \"points\": 50, \"threshold\": 60, \"mode\": \"proportional\"}},"
		"   {\"code\": \"1.2.2\", \"title\": \"Tự học trên LMS\", \"source\": \"seed\","
		"    \"rule\": {\"kind\": \"yes_no\", \"points\": 40}},"
		"   {\"code\": \"1.2.3\", \"title\": \"Học liệu số\", \"source\": \"seed\","
		"    \"rule\": {\"kind\": \"yes_no\", \"points\": 10}}]}]}";
	buf b;
	buf_init(&b);
	buf_printf(&b, "{\"chiso_framework\": 1, \"id\": \"vi-du-2025\", \"revision\": %d,"
		" \"title\": \"Bộ chỉ số ví dụ\","
		" \"decision\": {\"number\": \"01/QĐ-VD\", \"date\": \"2025-01-15\", \"issuer\": \"Phòng GD&ĐT Ví Dụ\"},"
		" \"status\": \"complete\", \"source\": \"inferred\", \"unit_types\": [\"tieu_hoc\", \"thcs\"],"
		" \"scoring\": {\"basis\": \"groups\", \"gate_policy\": \"zero_group\", \"levels\": ["
		"  {\"level\": 1, \"name\": \"Mức 1\", \"label\": \"Chưa đáp ứng\"},"
		"  {\"level\": 2, \"name\": \"Mức 2\", \"label\": \"Đáp ứng cơ bản\", \"from\": 50},"
		"  {\"level\": 3, \"name\": \"Mức 3\", \"label\": \"Đáp ứng tốt\", \"above\": 75}]},"
		" \"groups\": [%s]}", revision, variant == 1 ? groups1 : groups2);
	return buf_take(&b);
}

static framework *parse_example(int revision, int variant, char **text_out)
{
	char *text = example(revision, variant);
	buf err;
	buf_init(&err);
	framework *fw = framework_parse(text, strlen(text), "vi-du.json", &err);
	if (!fw) fail_msg("%s", buf_str(&err));
	buf_free(&err);
	if (text_out) *text_out = text;
	else free(text);
	return fw;
}

/* ---- pure --------------------------------------------------------------------------- */

static void test_revision_rule(void **state)
{
	(void)state;
	assert_null(fw_revision_refusal(1, 0));
	assert_null(fw_revision_refusal(2, 1));
	assert_null(fw_revision_refusal(7, 3));
	const char *m = fw_revision_refusal(1, 1);
	assert_non_null(m);
	assert_non_null(strstr(m, "không bao giờ được thay thế"));
	m = fw_revision_refusal(1, 2);
	assert_non_null(m);
	assert_non_null(strstr(m, "cao hơn"));
	assert_non_null(fw_revision_refusal(0, 0));
	assert_non_null(fw_revision_refusal(-3, 0));
}

static void test_framework_diff(void **state)
{
	(void)state;
	framework *a = parse_example(1, 1, NULL), *b = parse_example(2, 2, NULL);
	arena *ar = arena_new();
	fw_change *ch;
	size_t n;
	fw_diff(a, a, ar, &ch, &n);
	assert_int_equal(n, 0);
	fw_diff(a, b, ar, &ch, &n);
	assert_int_equal(n, 4);
	/* new order first: 1.2.1's maximum, 1.2.2's rule, 1.2.3 added; then 1.1 removed */
	assert_int_equal(ch[0].kind, FW_MAX_CHANGED);
	assert_string_equal(ch[0].code, "1.2.1");
	assert_int_equal(q_cmp(ch[0].old_max, q_int(60)), 0);
	assert_int_equal(q_cmp(ch[0].new_max, q_int(50)), 0);
	assert_int_equal(ch[1].kind, FW_RULE_CHANGED);
	assert_string_equal(ch[1].code, "1.2.2");
	assert_string_equal(ch[1].old_rule, "ratio_by_type");
	assert_string_equal(ch[1].new_rule, "yes_no");
	assert_int_equal(ch[2].kind, FW_ADDED);
	assert_string_equal(ch[2].code, "1.2.3");
	assert_int_equal(ch[3].kind, FW_REMOVED);
	assert_string_equal(ch[3].code, "1.1");
	size_t g, c, i, l;
	fw_counts(b, &g, &c, &i, &l);
	assert_int_equal(g, 1);
	assert_int_equal(c, 1);
	assert_int_equal(i, 3);
	assert_int_equal(l, 3);
	arena_free(ar);
	framework_free(a);
	framework_free(b);
}

typedef struct reader_ctx {
	fw_catalog *cat;
	atomic_bool stop;
	atomic_long seen_complete, bad;
} reader_ctx;

/* A page's view of the catalogue while versions are being added: every
 * entry it finds is whole. */
static void *reader(void *p)
{
	reader_ctx *r = p;
	while (!atomic_load(&r->stop)) {
		const framework *fw = fw_catalog_find(r->cat, "vi-du-2025");
		if (!fw) continue;
		if (!fw->id || strcmp(fw->id, "vi-du-2025") != 0 || fw->ngroups != 1 || fw->nleaves != 3 || fw->revision < 1)
			atomic_fetch_add(&r->bad, 1);
		else atomic_fetch_add(&r->seen_complete, 1);
		size_t n = r->cat->n;
		for (size_t i = 0; i < n; i++)
			if (!r->cat->items[i] || !r->cat->items[i]->title) atomic_fetch_add(&r->bad, 1);
	}
	return NULL;
}

static void test_catalog_append_concurrent(void **state)
{
	(void)state;
	fw_catalog cat;
	fw_catalog_init(&cat);
	framework *first = parse_example(1, 1, NULL);
	assert_true(fw_catalog_append(&cat, first));
	framework *dup = parse_example(1, 1, NULL);
	assert_false(fw_catalog_append(&cat, dup));   /* an id@revision is never replaced */
	framework_free(dup);
	reader_ctx r = { .cat = &cat };
	pthread_t t[3];
	for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
	for (int rev = 2; rev <= 120; rev++) {
		framework *fw = parse_example(rev, 1, NULL);
		assert_true(fw_catalog_append(&cat, fw));
	}
	atomic_store(&r.stop, true);
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&r.bad), 0);
	assert_true(atomic_load(&r.seen_complete) > 0);
	assert_int_equal(cat.n, 120);
	assert_int_equal(fw_catalog_find(&cat, "vi-du-2025")->revision, 120);
	assert_int_equal(fw_catalog_find(&cat, "vi-du-2025@7")->revision, 7);
	assert_int_equal(fw_catalog_max_revision(&cat, "vi-du-2025"), 120);
	assert_int_equal(fw_catalog_max_revision(&cat, "khong-co"), 0);
	fw_catalog_free(&cat);
}

static void test_cycle_and_admin_gate(void **state)
{
	(void)state;
	int64_t chain[] = { 5, 3, 1 };
	assert_true(unit_chain_has_cycle(3, chain, 3));
	assert_false(unit_chain_has_cycle(9, chain, 3));
	assert_false(unit_chain_has_cycle(9, NULL, 0));

	authz_grant sys = { AUTHZ_SYSTEM_ADMIN, 0, 0 }, oa = { AUTHZ_OFFICE_ADMIN, 52, 0 }, of = { AUTHZ_OFFICER, 52, 0 },
		pr = { AUTHZ_PRINCIPAL, 60, 0 };
	authz_account a = { 1, true, &sys, 1 };
	assert_true(authz_is_administrator(&a));
	a.grants = &oa;
	assert_true(authz_is_administrator(&a));
	a.active = false;
	assert_false(authz_is_administrator(&a));
	a.active = true;
	a.grants = &of;
	assert_false(authz_is_administrator(&a));
	a.grants = &pr;
	assert_false(authz_is_administrator(&a));
	a.id = 0;
	a.grants = &sys;
	assert_false(authz_is_administrator(&a));
	/* an office administrator granting system administration: escalation,
	 * not "out of scope" (the role has no unit) */
	authz_ctx c = { .account = { 1, true, &oa, 1 } };
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.grant_role = AUTHZ_SYSTEM_ADMIN;
	authz_decision d;
	assert_false(authz_check(&c, AUTHZ_MANAGE_ACCOUNTS, &d));
	assert_int_equal(d.reason, AUTHZ_DENIED_ESCALATION);
	/* national frameworks: system administrators only */
	c.object.kind = AUTHZ_KIND_FRAMEWORK;
	c.object.grant_role = AUTHZ_ROLE_INVALID;
	assert_false(authz_check(&c, AUTHZ_MANAGE_FRAMEWORKS, NULL));
	c.account.grants = &sys;
	assert_true(authz_check(&c, AUTHZ_MANAGE_FRAMEWORKS, NULL));
}

/* ---- store -------------------------------------------------------------------------- */

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

static int64_t draft(store_fx *fx, int revision, int variant)
{
	char *text;
	framework *fw = parse_example(revision, variant, &text);
	int64_t id = 0;
	OK(framework_draft_save(fx->d, 1, fw, text, strlen(text), "vi-du.json", &id));
	framework_free(fw);
	free(text);
	return id;
}

static void test_framework_publish(void **state)
{
	store_fx *fx = *state;
	int64_t admin = 0;
	OK(account_create(fx->d, 0, "admin", "Quản trị", NULL, &admin));
	assert_int_equal(admin, 1);
	int64_t d1 = draft(fx, 1, 1);
	/* a draft is not in any catalogue */
	fw_catalog cat;
	fw_catalog_init(&cat);
	assert_int_equal(fw_catalog_sync_db(&cat, fx->d, 0, NULL), 0);
	assert_int_equal(cat.n, 0);
	OK(framework_publish(fx->d, admin, d1, 0));
	assert_int_equal(framework_publish(fx->d, admin, d1, 0), DB_ECONFLICT);   /* once */
	/* the same revision again, and a lower one than what the caller knows */
	int64_t again = draft(fx, 1, 2);
	assert_int_equal(framework_publish(fx->d, admin, again, 0), DB_ECONFLICT);
	assert_non_null(strstr(db_errmsg(fx->d), "không bao giờ được thay thế"));
	int64_t d2 = draft(fx, 2, 2);
	assert_int_equal(framework_publish(fx->d, admin, d2, 5), DB_ECONFLICT);   /* files have revision 5 */
	assert_non_null(strstr(db_errmsg(fx->d), "cao hơn"));
	/* drafts are published in any order; servers pick them up in publication order */
	int64_t d3 = draft(fx, 3, 1);
	OK(framework_publish(fx->d, admin, d3, 1));
	assert_int_equal(framework_publish(fx->d, admin, d2, 1), DB_ECONFLICT);   /* 2 < 3 now */
	assert_int_equal(fw_catalog_sync_db(&cat, fx->d, 0, NULL), 2);
	assert_int_equal(fw_catalog_sync_db(&cat, fx->d, 0, NULL), 0);
	assert_int_equal(fw_catalog_find(&cat, "vi-du-2025")->revision, 3);
	assert_int_equal(fw_catalog_find(&cat, "vi-du-2025@1")->nleaves, 3);
	assert_true(fw_catalog_find(&cat, "vi-du-2025@1")->complete);
	/* max_age: a recent look is not repeated */
	int64_t d4 = draft(fx, 4, 2);
	OK(framework_publish(fx->d, admin, d4, 3));
	assert_int_equal(fw_catalog_sync_db(&cat, fx->d, 3600, NULL), 0);
	/* another server (another connection, another catalogue) sees all three */
	db *other = NULL;
	char *err = NULL;
	OK(db_open(fx->target, &other, &err));
	fw_catalog cat2;
	fw_catalog_init(&cat2);
	assert_int_equal(fw_catalog_sync_db(&cat2, other, 0, NULL), 3);
	assert_int_equal(fw_catalog_find(&cat2, "vi-du-2025")->revision, 4);
	db_close(other);
	assert_int_equal(fw_catalog_sync_db(&cat, fx->d, 0, NULL), 1);
	fw_catalog_free(&cat2);
	fw_catalog_free(&cat);
	/* the list, the JSON kept byte for byte, the audit rows */
	arena *a = arena_new();
	framework_version *v;
	size_t n;
	OK(framework_published(fx->d, a, &v, &n));
	assert_int_equal(n, 3);
	assert_int_equal(v[0].revision, 1);
	assert_int_equal(v[1].revision, 3);
	assert_int_equal(v[2].revision, 4);
	assert_int_equal(v[0].published_by, admin);
	const char *text;
	OK(framework_version_get(fx->d, d2, a, v, &text));
	assert_false(v->published);
	char *want = example(2, 2);
	assert_string_equal(text, want);
	free(want);
	int64_t rows = 0;
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.publish'", NULL));
	assert_int_equal(rows, 3);
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.upload'", NULL));
	assert_int_equal(rows, 5);
	framework_use *u;
	OK(framework_usage(fx->d, a, &u, &n));
	assert_int_equal(n, 0);
	arena_free(a);
}

/* The rule editor's save (framework_draft_update): the draft's JSON and
 * hash replaced, one framework.edit audit row with the item's rule before
 * and after; a published version is never changed. */
static void test_framework_draft_update(void **state)
{
	store_fx *fx = *state;
	int64_t admin = 0;
	OK(account_create(fx->d, 0, "admin", "Quản trị", NULL, &admin));
	int64_t d1 = draft(fx, 1, 1);
	char *text = example(1, 2);
	OK(framework_draft_update(fx->d, admin, d1, text, strlen(text), "1.2.1", "{\"kind\":\"yes_no\",\"points\":60}",
	                          "{\"kind\":\"ratio\",\"points\":60,\"threshold\":50}"));
	arena *a = arena_new();
	framework_version v;
	const char *got;
	OK(framework_version_get(fx->d, d1, a, &v, &got));
	assert_string_equal(got, text);
	assert_false(v.published);
	/* the drafts' list, newest first */
	int64_t d2 = draft(fx, 2, 1);
	framework_version *dl;
	size_t nd;
	OK(framework_drafts(fx->d, a, 20, &dl, &nd));
	assert_int_equal(nd, 2);
	assert_int_equal(dl[0].id, d2);
	assert_int_equal(dl[1].id, d1);
	OK(framework_drafts(fx->d, a, 1, &dl, &nd));
	assert_int_equal(nd, 1);
	int64_t rows = 0;
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.edit' AND object_id = ?",
	                  "I", d1));
	assert_int_equal(rows, 1);
	char *after = NULL;
	OK(db_query_text(fx->d, a, &after, "SELECT after_json FROM audit_log WHERE action = 'framework.edit'", NULL));
	assert_non_null(strstr(after, "\"threshold\":50"));
	assert_non_null(strstr(after, v.sha256));
	/* no NUL inside; once published, never again */
	assert_int_equal(framework_draft_update(fx->d, admin, d1, text, strlen(text) + 1, "1.2.1", NULL, NULL), DB_EINVAL);
	OK(framework_publish(fx->d, admin, d1, 0));
	assert_int_equal(framework_draft_update(fx->d, admin, d1, text, strlen(text), "1.2.1", NULL, NULL), DB_ECONFLICT);
	OK(framework_drafts(fx->d, a, 20, &dl, &nd));
	assert_int_equal(nd, 1);                                   /* published: no longer a draft */
	assert_int_equal(framework_draft_update(fx->d, admin, 999, text, strlen(text), "1.2.1", NULL, NULL), DB_ECONFLICT);
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM audit_log WHERE action = 'framework.edit'", NULL));
	assert_int_equal(rows, 1);
	free(text);
	arena_free(a);
}

static void test_unit_admin(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t so = add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	int64_t phong = add_unit(fx, "79760", "Phòng GD&ĐT Quận 7", "phong");
	int64_t s1 = add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	int64_t s2 = add_unit(fx, "79760402", "Trường Tiểu học Đống Đa", "tieu_hoc");
	int64_t far = add_unit(fx, "01", "Sở GD&ĐT Hà Nội", "so");
	OK(unit_relate(fx->d, 0, phong, UNIT_PARENT, so, "2000-01-01"));
	OK(unit_relate(fx->d, 0, phong, UNIT_EVALUATOR, so, "2000-01-01"));
	OK(unit_relate(fx->d, 0, s1, UNIT_PARENT, phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s2, UNIT_PARENT, phong, "2020-09-01"));
	/* evaluators and parents are offices; neither chain may loop */
	assert_int_equal(unit_relate(fx->d, 0, s2, UNIT_EVALUATOR, s1, "2021-01-01"), DB_EINVAL);
	assert_non_null(strstr(db_errmsg(fx->d), "không phải cơ quan quản lý"));
	assert_int_equal(unit_relate(fx->d, 0, so, UNIT_EVALUATOR, phong, "2021-01-01"), DB_EINVAL);
	assert_non_null(strstr(db_errmsg(fx->d), "vòng lặp"));
	assert_int_equal(unit_relate(fx->d, 0, so, UNIT_PARENT, phong, "2021-01-01"), DB_EINVAL);
	/* a change dated before the current relation began is refused */
	assert_int_equal(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, so, "2019-01-01"), DB_EINVAL);
	/* a move: the old relation closes on the new date, both stay */
	OK(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, so, "2025-07-01"));
	unit_relation *r;
	size_t n;
	OK(unit_relations(fx->d, s1, a, &r, &n));
	assert_int_equal(n, 3);
	assert_string_equal(r[1].valid_to, "2025-07-01");
	assert_null(r[2].valid_to);

	/* the list: scope, folded text, type, managing body, paging */
	unit_filter f = { .scope_office = so, .date = "2025-09-01", .limit = 2 };
	unit_list_row *rows;
	int64_t total;
	OK(unit_list(fx->d, &f, a, &rows, &n, &total));
	assert_int_equal(total, 4);   /* the Sở, its Phòng, two schools; not Hà Nội */
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].u.code, "79");
	assert_string_equal(rows[1].u.code, "79760");
	assert_int_equal(rows[1].parent_id, so);
	f.offset = 2;
	OK(unit_list(fx->d, &f, a, &rows, &n, &total));
	assert_int_equal(n, 2);
	assert_int_equal(total, 4);
	assert_string_equal(rows[0].evaluator_name, "Sở GD&ĐT TP. Hồ Chí Minh");
	assert_int_equal(rows[1].evaluator_id, 0);
	f.offset = 10;
	OK(unit_list(fx->d, &f, a, &rows, &n, &total));
	assert_int_equal(n, 0);
	assert_int_equal(total, 4);
	unit_filter g = { .text = "dong da", .date = "2025-09-01", .limit = 50 };
	OK(unit_list(fx->d, &g, a, &rows, &n, &total));
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].u.id, s2);
	g.text = "7976040";
	g.type = "thcs";
	OK(unit_list(fx->d, &g, a, &rows, &n, &total));
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].u.id, s1);
	unit_filter h = { .parent_id = phong, .date = "2025-09-01", .limit = 50 };
	OK(unit_list(fx->d, &h, a, &rows, &n, &total));
	assert_int_equal(total, 2);
	unit_filter all = { .date = "2025-09-01", .limit = 50 };
	OK(unit_list(fx->d, &all, a, &rows, &n, &total));
	assert_int_equal(total, 5);
	(void)far;

	/* edits by id, the code included; a taken code is refused */
	unit u = { .code = "79760499", .name = "Trường THCS Nguyễn Hữu Thọ (mới)", .type = "thcs", .is_public = true };
	OK(unit_update(fx->d, 7, s1, &u));
	unit got;
	OK(unit_get(fx->d, s1, a, &got));
	assert_string_equal(got.code, "79760499");
	assert_string_equal(got.name, "Trường THCS Nguyễn Hữu Thọ (mới)");
	u.code = "79760402";
	assert_int_equal(unit_update(fx->d, 7, s1, &u), DB_ECONSTRAINT);
	OK(unit_get(fx->d, s1, a, &got));
	assert_string_equal(got.code, "79760499");
	audit_entry *e;
	OK(audit_history(fx->d, "unit", s1, a, &e, &n));
	assert_string_equal(e[n - 2].action, "unit.code");
	assert_string_equal(e[n - 1].action, "unit.update");
	assert_int_equal(e[n - 1].account_id, 7);

	/* an uploaded list kept for its confirmation, bytes as sent, used once */
	static const unsigned char raw[] = { 'P', 'K', 3, 4, 0, 0xff, '\n', 0 };
	int64_t fid = 0;
	OK(unit_import_file_save(fx->d, 0, "danh-sach.xlsx", raw, sizeof raw, &fid));
	unit_import_file uf;
	OK(unit_import_file_get(fx->d, fid, a, &uf));
	assert_int_equal(uf.len, sizeof raw);
	assert_memory_equal(uf.data, raw, sizeof raw);
	assert_null(uf.imported_at);
	OK(db_begin_write(fx->d));
	OK(unit_import_file_done(fx->d, fid));
	OK(db_commit(fx->d));
	OK(db_begin_write(fx->d));
	assert_int_equal(unit_import_file_done(fx->d, fid), DB_ECONFLICT);
	db_rollback(fx->d);

	/* dissolved: every relation ended (unit_unrelate), hidden unless asked
	 * for, with the day the last one ended; the Sở (never placed) is not */
	OK(unit_unrelate(fx->d, 0, s2, UNIT_PARENT, "2025-10-01"));
	unit_filter d = { .date = "2025-10-15", .limit = 50 };
	OK(unit_list(fx->d, &d, a, &rows, &n, &total));
	assert_int_equal(total, 4);
	for (size_t i = 0; i < n; i++) assert_true(rows[i].u.id != s2 && !rows[i].dissolved_on);
	d.with_dissolved = true;
	OK(unit_list(fx->d, &d, a, &rows, &n, &total));
	assert_int_equal(total, 5);
	size_t seen = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].u.id == s2) { seen++; assert_string_equal(rows[i].dissolved_on, "2025-10-01"); }
		else assert_null(rows[i].dissolved_on);
	assert_int_equal(seen, 1);
	d.with_dissolved = false;
	d.date = "2025-09-30";   /* the day before: still under its Phòng */
	OK(unit_list(fx->d, &d, a, &rows, &n, &total));
	assert_int_equal(total, 5);
	arena_free(a);
}

static void test_account_admin(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t so = add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	int64_t school = add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	int64_t other = add_unit(fx, "01", "Sở GD&ĐT Hà Nội", "so");
	OK(unit_relate(fx->d, 0, school, UNIT_PARENT, so, "2020-01-01"));
	int64_t admin = 0, ht = 0, hn = 0, g = 0;
	OK(account_create(fx->d, 0, "admin", "Quản trị", NULL, &admin));
	OK(account_grant(fx->d, 0, admin, "system_admin", 0, 0, &g));
	OK(account_create(fx->d, 0, "ht.79760401", "Nguyễn Thị Lan", NULL, &ht));
	OK(account_grant(fx->d, 0, ht, "principal", school, 0, NULL));
	OK(account_create(fx->d, 0, "cb.hanoi", "Đỗ Văn Hà", NULL, &hn));
	OK(account_grant(fx->d, 0, hn, "officer", other, 0, NULL));
	/* the last active system administrator stays */
	assert_int_equal(account_set_active(fx->d, admin, admin, false), DB_ECONFLICT);
	assert_int_equal(account_revoke(fx->d, admin, g), DB_ECONFLICT);
	assert_non_null(strstr(db_errmsg(fx->d), "cuối cùng"));
	int64_t second = 0, g2 = 0;
	OK(account_create(fx->d, admin, "admin2", "Quản trị 2", NULL, &second));
	OK(account_grant(fx->d, admin, second, "system_admin", 0, 0, &g2));
	OK(account_set_active(fx->d, admin, second, false));
	assert_int_equal(account_revoke(fx->d, admin, g), DB_ECONFLICT);   /* the other one is disabled */
	OK(account_set_active(fx->d, admin, second, true));
	OK(account_revoke(fx->d, second, g));
	assert_int_equal(account_set_active(fx->d, second, second, false), DB_ECONFLICT);
	OK(account_set_active(fx->d, 0, ht, false));   /* others are not affected */
	/* e-mail */
	OK(account_set_email(fx->d, admin, ht, "lan@truong.edu.vn"));
	assert_int_equal(account_set_email(fx->d, admin, ht, "lan@"), DB_EINVAL);
	assert_int_equal(account_set_email(fx->d, admin, ht, "a b@x.vn"), DB_EINVAL);
	account acc;
	OK(account_get(fx->d, ht, a, &acc));
	assert_string_equal(acc.email, "lan@truong.edu.vn");
	OK(account_set_email(fx->d, admin, ht, ""));
	OK(account_get(fx->d, ht, a, &acc));
	assert_null(acc.email);
	/* lists: everything, an office's subtree, folded names */
	account *l;
	size_t n, total;
	OK(account_list(fx->d, 0, "2025-09-01", NULL, 50, 0, a, &l, &n, &total));
	assert_int_equal(total, 4);
	OK(account_list(fx->d, so, "2025-09-01", NULL, 50, 0, a, &l, &n, &total));
	assert_int_equal(total, 1);
	assert_string_equal(l[0].login, "ht.79760401");
	OK(account_list(fx->d, 0, "2025-09-01", "nguyen thi", 50, 0, a, &l, &n, &total));
	assert_int_equal(total, 1);
	OK(account_list(fx->d, 0, "2025-09-01", "DO VAN HA", 50, 0, a, &l, &n, &total));
	assert_int_equal(total, 1);
	OK(account_list(fx->d, 0, "2025-09-01", "đỗ văn", 50, 0, a, &l, &n, &total));
	assert_int_equal(total, 1);
	OK(account_list(fx->d, 0, "2025-09-01", "", 2, 2, a, &l, &n, &total));
	assert_int_equal(total, 4);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].login, "cb.hanoi");
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(revision_rule) \
	X(framework_diff) \
	X(catalog_append_concurrent) \
	X(cycle_and_admin_gate) \
	X(framework_publish) \
	X(framework_draft_update) \
	X(unit_admin) \
	X(account_admin)

int main(void)
{
	store_run("admin", STORE_TESTS);
}
