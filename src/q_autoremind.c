/* q_autoremind.c — automatic reminders' settings and slots, the server's
 * settings (q_autoremind.h). SQL for round_reminders, reminder_slots and
 * server_settings lives here. */
#include "q_autoremind.h"
#include "audit.h"
#include "q.h"
#include <jansson.h>
#include <string.h>

const char autoremind_migration_sql[] =
	"CREATE TABLE round_reminders ("
	" round_id BIGINT PRIMARY KEY REFERENCES rounds (id),"
	" days_before BIGINT NOT NULL DEFAULT 0 CHECK (days_before BETWEEN 0 AND 60),"
	" on_day BIGINT NOT NULL DEFAULT 0 CHECK (on_day IN (0, 1)),"
	" days_after BIGINT NOT NULL DEFAULT 0 CHECK (days_after BETWEEN 0 AND 60),"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n"
	/* one row per reminder slot taken: the key is what "never twice" means */
	"CREATE TABLE reminder_slots ("
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" slot TEXT NOT NULL CHECK (slot IN ('before', 'day', 'after')),"
	" deadline TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (assessment_id, slot, deadline));\n"
	"CREATE TABLE server_settings ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL,"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n";

int autoremind_get(db *d, int64_t round_id, autoremind_settings *out)
{
	*out = (autoremind_settings){ .round_id = round_id };
	db_stmt *s = db_prepare(d, "SELECT days_before, on_day, days_after FROM round_reminders WHERE round_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->days_before = (int)db_col_int64(s, 0);
		out->on_day = db_col_int64(s, 1) != 0;
		out->days_after = (int)db_col_int64(s, 2);
	}
	db_finish(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int autoremind_set(db *d, int64_t actor, const autoremind_settings *st)
{
	if (st->days_before < 0 || st->days_before > 60 || st->days_after < 0 || st->days_after > 60)
		return db_fail(d, DB_EINVAL, "Số ngày nhắc phải từ 0 đến 60.");
	int rc = db_begin_write(d);
	if (rc) return rc;
	char now[21];
	db_now(now);
	rc = db_execf(d, "INSERT INTO round_reminders (round_id, days_before, on_day, days_after, updated_by, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id) DO UPDATE SET days_before = excluded.days_before,"
		" on_day = excluded.on_day, days_after = excluded.days_after, updated_by = excluded.updated_by,"
		" updated_at = excluded.updated_at", "iiiiIt", st->round_id, (int64_t)st->days_before, (int64_t)st->on_day,
		(int64_t)st->days_after, actor, now);
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy đợt đánh giá");
	if (rc == DB_OK)
		rc = audit_record(d, actor, "round.reminders", "round", st->round_id, NULL,
			json_pack("{s:i, s:b, s:i}", "days_before", st->days_before, "on_day", st->on_day, "days_after", st->days_after));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

int autoremind_active(db *d, arena *a, autoremind_settings **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT r.round_id, r.days_before, r.on_day, r.days_after FROM round_reminders r"
		" JOIN rounds o ON o.id = r.round_id WHERE o.state = 'open'"
		" AND (r.days_before > 0 OR r.on_day = 1 OR r.days_after > 0) ORDER BY r.round_id");
	if (!s) return db_errcode(d);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		(*out)[(*n)++] = (autoremind_settings){ db_col_int64(s, 0), (int)db_col_int64(s, 1), db_col_int64(s, 2) != 0,
		                                        (int)db_col_int64(s, 3) };
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int autoremind_claim(db *d, int64_t assessment_id, const char *slot, const char *deadline, bool *taken)
{
	*taken = false;
	char now[21];
	db_now(now);
	int rc = db_execf(d, "INSERT INTO reminder_slots (assessment_id, slot, deadline, at) VALUES (?, ?, ?, ?)"
		" ON CONFLICT (assessment_id, slot, deadline) DO NOTHING", "ittt", assessment_id, slot, deadline, now);
	if (rc == DB_OK) *taken = db_changes(d) == 1;
	return rc;
}

int autoremind_count(db *d, int64_t round_id, int64_t *n)
{
	return db_query_int64(d, n, "SELECT count(*) FROM reminder_slots s JOIN assessments a ON a.id = s.assessment_id"
		" WHERE a.round_id = ?", "i", round_id);
}

int server_setting_get(db *d, const char *key, arena *a, char **out)
{
	*out = NULL;
	int rc = db_query_text(d, a, out, "SELECT value FROM server_settings WHERE key = ?", "t", key);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		return DB_OK;
	}
	return rc;
}

int server_setting_set(db *d, int64_t actor, const char *key, const char *value, bool secret)
{
	int rc = db_begin_write(d);
	if (rc) return rc;
	char now[21];
	db_now(now);
	if (value)
		rc = db_execf(d, "INSERT INTO server_settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)"
			" ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by,"
			" updated_at = excluded.updated_at", "ttIt", key, value, actor, now);
	else
		rc = db_execf(d, "DELETE FROM server_settings WHERE key = ?", "t", key);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "server.setting", "server", 0, NULL,
			json_pack("{s:s, s:o}", "key", key, "value", secret ? json_string(value ? "(đã đặt)" : "(đã xoá)") : q_json_str(value)));
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}
