/* test_autoremind.c — issue 16's store additions on SQLite and, when
 * CHISO_TEST_PG is set, PostgreSQL: reminder slots are taken once
 * (autoremind_claim), the slot of a day (autoremind_slot), the SMTP
 * password sealed with the server secret (smtp_config), and deadline-
 * extension requests (one waiting at a time; granting records the
 * extension; answered once). */
#include "store_test.h"
#include "autoremind.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_extreq.h"
#include "q_round.h"
#include "q_unit.h"
#include "smtp_config.h"

static int64_t one_assessment(store_fx *fx, int64_t *officer)
{
	unit o = { .code = "31310", .name = "Phòng GD&ĐT quận Dương Kinh", .type = "phong", .is_public = true };
	unit s = { .code = "31310401", .name = "Trường THCS Hưng Đạo", .type = "thcs", .is_public = true };
	int64_t oid = 0, sid = 0, rid = 0, aid = 0;
	OK(unit_save(fx->d, 0, &o, &oid, NULL));
	OK(unit_save(fx->d, 0, &s, &sid, NULL));
	OK(unit_relate(fx->d, 0, sid, UNIT_PARENT, oid, "2020-09-01"));
	OK(account_create(fx->d, 0, "pgd.sy", "Đào Văn Sỹ", NULL, officer));
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = oid, .school_year = "2024-2025", .title = "Đánh giá CĐS năm học 2024-2025",
	                .policy = "min", .self_due = "2025-05-31" };
	OK(round_open(fx->d, *officer, &r, fw, 1, NULL, 0, &rid));
	OK(assessment_create(fx->d, 0, rid, sid, "qd4725-2022", "1", &aid));
	return aid;
}

static void test_slot_taken_once(void **state)
{
	store_fx *fx = *state;
	int64_t officer, aid = one_assessment(fx, &officer);
	bool taken = false;
	OK(autoremind_claim(fx->d, aid, "before", "2025-05-31", &taken));
	assert_true(taken);
	OK(autoremind_claim(fx->d, aid, "before", "2025-05-31", &taken));
	assert_false(taken);
	/* another slot, or the same slot of a new deadline (an extension), is new */
	OK(autoremind_claim(fx->d, aid, "day", "2025-05-31", &taken));
	assert_true(taken);
	OK(autoremind_claim(fx->d, aid, "before", "2025-06-15", &taken));
	assert_true(taken);
}

static void test_slot_of_a_day(void **state)
{
	(void)state;
	autoremind_settings s = { .days_before = 3, .on_day = true, .days_after = 2 };
	assert_null(autoremind_slot(&s, 20270116, 20270120));
	assert_string_equal(autoremind_slot(&s, 20270117, 20270120), "before");
	assert_string_equal(autoremind_slot(&s, 20270119, 20270120), "before");   /* caught up */
	assert_string_equal(autoremind_slot(&s, 20270120, 20270120), "day");
	assert_string_equal(autoremind_slot(&s, 20270121, 20270120), "day");
	assert_string_equal(autoremind_slot(&s, 20270122, 20270120), "after");
	assert_null(autoremind_slot(&s, 20270301, 20270120));                      /* too late to catch up */
	autoremind_settings off = { 0 };
	assert_null(autoremind_slot(&off, 20270120, 20270120));
	assert_null(autoremind_slot(&s, 20270120, 0));
}

static void test_smtp_password_sealed(void **state)
{
	store_fx *fx = *state;
	unsigned char key[SECRET_BYTES], other[SECRET_BYTES];
	memset(key, 7, sizeof key);
	memset(other, 8, sizeof other);
	mail_config c = { "smtp://mail.example.vn:587", "cds@sgddt.example.vn", "cds", "Mk-bi-mat", false };
	OK(smtp_config_save(fx->d, 0, key, &c, false));
	arena *a = arena_new();
	char *sealed = NULL;
	OK(smtp_config_sealed(fx->d, a, &sealed));
	assert_non_null(sealed);
	assert_int_equal(strncmp(sealed, "v1:", 3), 0);
	assert_null(strstr(sealed, "Mk-bi-mat"));
	mail_config got;
	bool from_page;
	smtp_config_load(fx->d, key, a, &got, &from_page);
	assert_true(from_page);
	assert_string_equal(got.password, "Mk-bi-mat");
	assert_string_equal(got.url, "smtp://mail.example.vn:587");
	smtp_config_load(fx->d, other, a, &got, &from_page);   /* another server secret */
	assert_null(got.password);
	/* an empty password keeps the stored one; a bad URL is refused */
	mail_config keep = { "smtps://mail.example.vn:465", "cds@sgddt.example.vn", "cds", "", false };
	OK(smtp_config_save(fx->d, 0, key, &keep, false));
	smtp_config_load(fx->d, key, a, &got, &from_page);
	assert_string_equal(got.password, "Mk-bi-mat");
	mail_config bad = { "http://mail.example.vn", "cds@sgddt.example.vn", NULL, NULL, false };
	assert_int_equal(smtp_config_save(fx->d, 0, key, &bad, false), DB_EINVAL);
	arena_free(a);
}

static void test_extension_request(void **state)
{
	store_fx *fx = *state;
	int64_t officer, aid = one_assessment(fx, &officer), id = 0, id2 = 0;
	assert_int_equal(extreq_create(fx->d, officer, aid, "  ", &id), DB_EINVAL);
	OK(extreq_create(fx->d, officer, aid, "Mất điện sau bão", &id));
	assert_int_equal(extreq_create(fx->d, officer, aid, "lần hai", &id2), DB_ECONFLICT);
	assert_int_equal(extreq_answer(fx->d, officer, id, false, NULL, NULL), DB_EINVAL);   /* a refusal needs its reason */
	OK(extreq_answer(fx->d, officer, id, true, "2025-06-15", NULL));
	assert_int_equal(extreq_answer(fx->d, officer, id, false, NULL, "muộn"), DB_ECONFLICT);
	arena *a = arena_new();
	assessment as;
	OK(assessment_get(fx->d, aid, a, &as));
	assert_string_equal(as.extended_until, "2025-06-15");
	extreq *rq;
	size_t n;
	OK(extreq_of_assessment(fx->d, aid, a, &rq, &n));
	assert_int_equal(n, 1);
	assert_int_equal(rq[0].status, EXTREQ_GRANTED);
	/* answered: the next one may be asked */
	OK(extreq_create(fx->d, officer, aid, "Cần thêm một tuần", &id2));
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(slot_taken_once) \
	X(slot_of_a_day) \
	X(smtp_password_sealed) \
	X(extension_request)

int main(void)
{
	store_run("autoremind", STORE_TESTS);
}
