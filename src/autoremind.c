/* autoremind.c — automatic deadline reminders (autoremind.h). */
#include "autoremind.h"
#include "arena.h"
#include "assess.h"
#include "job.h"
#include "q_office.h"
#include "q_report.h"
#include "q_round.h"
#include "q_unit.h"
#include "remind.h"
#include "smtp_config.h"
#include "workflow.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int autoremind_today(void)
{
	const char *s = getenv("CHISO_REMIND_TODAY");
	int v = s && *s ? assess_ymd(s) : 0;
	return v ? v : assess_today();
}

static time_t ymd_time(int ymd)
{
	struct tm tm = { .tm_year = ymd / 10000 - 1900, .tm_mon = ymd / 100 % 100 - 1, .tm_mday = ymd % 100, .tm_hour = 12 };
	return timegm(&tm);
}

/* Whole days from `from` to `to` (yyyymmdd). */
static int days_between(int from, int to)
{
	return (int)((ymd_time(to) - ymd_time(from)) / 86400);
}

const char *autoremind_slot(const autoremind_settings *s, int today, int deadline)
{
	if (!deadline) return NULL;
	int left = days_between(today, deadline);   /* negative: past */
	if (s->days_after > 0 && -left >= s->days_after && -left < s->days_after + AUTOREMIND_CATCH_UP) return "after";
	if (s->on_day && left <= 0 && -left < AUTOREMIND_CATCH_UP) return "day";
	if (s->days_before > 0 && left > 0 && left <= s->days_before && s->days_before - left < AUTOREMIND_CATCH_UP) return "before";
	return NULL;
}

static bool file_open(wf_state s)
{
	return s == WF_NOT_STARTED || s == WF_DRAFT || s == WF_SELF_ASSESSED || s == WF_APPROVED || s == WF_RETURNED;
}

static const char *ddmmyyyy(arena *a, int ymd)
{
	return arena_printf(a, "%02d/%02d/%04d", ymd % 100, ymd / 100 % 100, ymd / 10000);
}

static const char *body_of(arena *a, const char *slot, const inbox_row *r, const round_row *rd, const char *office,
                           int today, int deadline, const char *base_url)
{
	int left = days_between(today, deadline);
	const char *when = !strcmp(slot, "before") ? arena_printf(a, "còn %d ngày nữa là hết hạn gửi hồ sơ (%s)", left, ddmmyyyy(a, deadline))
	                 : left == 0 ? arena_printf(a, "hôm nay (%s) là hạn cuối gửi hồ sơ", ddmmyyyy(a, deadline))
	                             : arena_printf(a, "hồ sơ đã quá hạn %d ngày (hạn nộp: %s)", -left, ddmmyyyy(a, deadline));
	return arena_printf(a,
		"Kính gửi: Thủ trưởng %s,\n\n"
		"%s nhắc: trong đợt «%s», hồ sơ tự đánh giá mức độ chuyển đổi số của đơn vị chưa được gửi; %s. "
		"Trạng thái hiện tại: %s.\n\nĐề nghị đơn vị hoàn thành và gửi hồ sơ trên Chiso: %s/danh-gia/%lld\n\n"
		"(Thư nhắc tự động của Chiso.)\nTrân trọng,\n%s\n",
		r->u.name, office, rd->title, when, wf_state_label(wf_state_parse(r->as.state)), base_url ? base_url : "",
		(long long)r->as.id, office);
}

/* The round's own report to its superior (issue 11, item 4): while it is
 * not sent, the same slots around the report deadline remind the office's
 * head — one message per slot, never twice (report_reminder_slots). */
static int report_slot(db *d, const autoremind_settings *s, int today, const round_row *rd, const unit *office,
                       const char *base_url, arena *a, remind_batch *b)
{
	int deadline = assess_ymd(rd->report_due);
	office_report rep;
	int rc = report_get_round(d, rd->id, a, &rep);
	if (rc != DB_OK && rc != DB_ENOTFOUND) return rc;
	db_clear_error(d);
	wf_report_state st = rc == DB_OK ? wf_report_state_parse(rep.state) : WF_REPORT_DRAFT;
	const char *slot = wf_report_awaited(st) ? autoremind_slot(s, today, deadline) : NULL;
	bool taken = false;
	if (!slot) return DB_OK;
	const char *dl_iso = arena_printf(a, "%04d-%02d-%02d", deadline / 10000, deadline / 100 % 100, deadline % 100);
	if ((rc = report_remind_claim(d, rd->id, slot, dl_iso, &taken)) || !taken) return rc;
	unit_contact *cs = NULL;
	size_t nc = 0;
	office_unit_contacts(d, office->id, a, &cs, &nc);
	if (!nc) {
		remind_batch_skip(b, office->id, office->name, "Chưa có địa chỉ e-mail của thủ trưởng cơ quan.");
		return DB_OK;
	}
	int left = days_between(today, deadline);
	const char *when = !strcmp(slot, "before") ? arena_printf(a, "còn %d ngày nữa là hết hạn gửi báo cáo (%s)", left, ddmmyyyy(a, deadline))
	                 : left == 0 ? arena_printf(a, "hôm nay (%s) là hạn cuối gửi báo cáo", ddmmyyyy(a, deadline))
	                             : arena_printf(a, "báo cáo đã quá hạn %d ngày (hạn gửi: %s)", -left, ddmmyyyy(a, deadline));
	const char *subject = arena_printf(a, "%s hạn gửi báo cáo kết quả đánh giá chuyển đổi số — %s",
	                                   !strcmp(slot, "after") ? "Đã quá" : "Nhắc", office->name);
	const char *body = arena_printf(a,
		"Kính gửi: Thủ trưởng %s,\n\nTrong đợt «%s», báo cáo kết quả lên cơ quan cấp trên chưa được gửi; %s.\n\n"
		"Đề nghị cơ quan hoàn thành và gửi báo cáo trên Chiso: %s/dot/%lld/bao-cao-cap-tren\n\n"
		"(Thư nhắc tự động của Chiso.)\n", office->name, rd->title, when, base_url ? base_url : "", (long long)rd->id);
	remind_batch_add(b, office->id, office->name, cs, nc, subject, body, slot);
	return DB_OK;
}

/* One round's due slots: claimed, then queued as one job. */
static int round_tick(db *d, const autoremind_settings *s, int today, const char *base_url, arena *a, size_t *queued)
{
	round_row rd;
	int rc = round_get(d, s->round_id, a, &rd);
	if (rc) return rc;
	unit office;
	if ((rc = unit_get(d, rd.office_unit_id, a, &office))) return rc;
	const char *today_iso = arena_printf(a, "%04d-%02d-%02d", today / 10000, today / 100 % 100, today % 100);
	inbox_row *rows;
	size_t n;
	if ((rc = office_inbox(d, rd.id, rd.self_due ? rd.self_due : today_iso, a, &rows, &n))) return rc;
	remind_batch b;
	remind_batch_init(&b);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		wf_input in = { .state = wf_state_parse(rows[i].as.state), .deadline = assess_ymd(rd.self_due),
		                .extended_until = assess_ymd(rows[i].as.extended_until) };
		int deadline = wf_effective_deadline(&in);
		const char *slot = file_open(in.state) ? autoremind_slot(s, today, deadline) : NULL;
		if (!slot) continue;
		bool taken = false;
		const char *dl_iso = arena_printf(a, "%04d-%02d-%02d", deadline / 10000, deadline / 100 % 100, deadline % 100);
		if ((rc = autoremind_claim(d, rows[i].as.id, slot, dl_iso, &taken)) || !taken) continue;
		unit_contact *cs = NULL;
		size_t nc = 0;
		office_unit_contacts(d, rows[i].u.id, a, &cs, &nc);
		if (!nc) {
			remind_batch_skip(&b, rows[i].u.id, rows[i].u.name, "Chưa có địa chỉ e-mail của thủ trưởng đơn vị.");
			continue;
		}
		const char *subject = arena_printf(a, "%s hạn gửi hồ sơ tự đánh giá chuyển đổi số — %s",
		                                   !strcmp(slot, "after") ? "Đã quá" : "Nhắc", rows[i].u.name);
		const char *body = body_of(a, slot, &rows[i], &rd, office.name, today, deadline, base_url);
		remind_batch_add(&b, rows[i].u.id, rows[i].u.name, cs, nc, subject, body, slot);
	}
	if (rc == DB_OK && rd.report_due) rc = report_slot(d, s, today, &rd, &office, base_url, a, &b);
	size_t nm = json_array_size(b.messages);
	if (rc == DB_OK && (nm || json_array_size(b.skipped))) {
		rc = remind_batch_queue(d, 0, rd.id, &b, "automatic", json_true(), NULL);
		if (rc == DB_OK) *queued += nm;
	}
	remind_batch_free(&b);
	return rc;
}

int autoremind_tick(db *d, int today, const char *base_url, size_t *queued)
{
	*queued = 0;
	arena *a = arena_new();
	/* no server to send through: no slot is taken, so none is lost */
	mail_config mc;
	bool from_page;
	smtp_config_load(d, NULL, a, &mc, &from_page);
	if (!mail_config_usable(&mc)) {
		arena_free(a);
		return DB_OK;
	}
	autoremind_settings *s;
	size_t n;
	int rc = autoremind_active(d, a, &s, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++) rc = round_tick(d, &s[i], today, base_url, a, queued);
	arena_free(a);
	if (*queued) job_worker_wake();
	return rc;
}

void autoremind_maybe_tick(db *d, const char *base_url)
{
	static time_t last;   /* the worker thread's own */
	const char *iv = getenv("CHISO_REMIND_INTERVAL");
	int interval = iv && atoi(iv) > 0 ? atoi(iv) : AUTOREMIND_INTERVAL_DEFAULT;
	time_t now = time(NULL);
	if (last && now - last < interval) return;
	last = now;
	size_t queued = 0;
	if (autoremind_tick(d, autoremind_today(), base_url, &queued) != DB_OK) {
		fprintf(stderr, "chiso serve: nhắc hạn tự động: %s\n", db_errmsg(d));
		db_clear_error(d);
	}
}
