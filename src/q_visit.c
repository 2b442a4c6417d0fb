/* q_visit.c — the external team's visit schedule of a round (q_visit.h).
 * SQL for round_visits and round_visit_members lives here. */
#include "q_visit.h"
#include "audit.h"
#include "q.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char visit_migration_sql[] =
	"CREATE TABLE round_visits ("
	" id {ID},"
	" round_id BIGINT NOT NULL REFERENCES rounds (id),"
	" unit_id BIGINT NOT NULL REFERENCES units (id),"
	" visit_date TEXT NOT NULL,"
	" note TEXT,"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL);\n"
	"CREATE INDEX round_visits_round ON round_visits (round_id, visit_date);\n"
	"CREATE TABLE round_visit_members ("
	" visit_id BIGINT NOT NULL REFERENCES round_visits (id) ON DELETE CASCADE,"
	" account_id BIGINT NOT NULL REFERENCES accounts (id),"
	" PRIMARY KEY (visit_id, account_id));\n";

/* The unit takes part in the round; each member is on its team. */
static int visit_check(db *d, int64_t round_id, int64_t unit_id, const int64_t *members, size_t n)
{
	int64_t found = 0;
	int rc = db_query_int64(d, &found, "SELECT COUNT(*) FROM assessments WHERE round_id = ? AND unit_id = ?", "ii",
		round_id, unit_id);
	if (rc) return rc;
	if (!found) return db_fail(d, DB_EINVAL, "Đơn vị không thuộc đợt đánh giá này");
	if (!n) return db_fail(d, DB_EINVAL, "Chọn ít nhất một thành viên Đoàn");
	for (size_t i = 0; i < n; i++) {
		rc = db_query_int64(d, &found, "SELECT COUNT(*) FROM external_team_members m JOIN external_teams t"
			" ON t.id = m.team_id WHERE t.round_id = ? AND m.account_id = ?", "ii", round_id, members[i]);
		if (rc) return rc;
		if (!found) return db_fail(d, DB_EINVAL, "Thành viên số %lld không thuộc Đoàn kiểm tra của đợt", (long long)members[i]);
	}
	return DB_OK;
}

int visit_add(db *d, int64_t actor, int64_t round_id, int64_t unit_id, const char *date,
              const int64_t *members, size_t nmembers, const char *note, int64_t *id)
{
	char *clean = NULL;
	int rc = q_date(d, "Ngày kiểm tra", date, true);
	if (!rc) rc = q_text(d, "Ghi chú", note, false, 500, false, &clean);
	if (rc) return rc;
	if ((rc = audit_begin_write(d))) {
		free(clean);
		return rc;
	}
	char now[21];
	db_now(now);
	int64_t vid = 0;
	rc = visit_check(d, round_id, unit_id, members, nmembers);
	if (!rc)
		rc = db_query_int64(d, &vid, "INSERT INTO round_visits (round_id, unit_id, visit_date, note, created_by, created_at)"
			" VALUES (?, ?, ?, ?, ?, ?) RETURNING id", "iittIt", round_id, unit_id, date, clean, actor, now);
	json_t *who = json_array();
	for (size_t i = 0; !rc && i < nmembers; i++) {
		/* a member chosen twice in one form counts once */
		rc = db_execf(d, "INSERT INTO round_visit_members (visit_id, account_id) VALUES (?, ?)"
			" ON CONFLICT (visit_id, account_id) DO NOTHING", "ii", vid, members[i]);
		json_array_append_new(who, json_integer(members[i]));
	}
	if (!rc)
		rc = audit_record(d, actor, "round.visit", "round", round_id, NULL,
			json_pack("{s:I, s:I, s:s, s:O}", "visit", (json_int_t)vid, "unit", (json_int_t)unit_id, "date", date, "members", who));
	json_decref(who);
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	free(clean);
	if (!rc && id) *id = vid;
	return rc;
}

int visit_remove(db *d, int64_t actor, int64_t round_id, int64_t visit_id)
{
	int rc = audit_begin_write(d);
	if (rc) return rc;
	int64_t found = 0;
	rc = db_query_int64(d, &found, "SELECT COUNT(*) FROM round_visits WHERE id = ? AND round_id = ?", "ii", visit_id, round_id);
	if (!rc && !found) rc = db_fail(d, DB_ENOTFOUND, "Không có lịch kiểm tra này trong đợt");
	if (!rc) rc = db_execf(d, "DELETE FROM round_visit_members WHERE visit_id = ?", "i", visit_id);
	if (!rc) rc = db_execf(d, "DELETE FROM round_visits WHERE id = ?", "i", visit_id);
	if (!rc)
		rc = audit_record(d, actor, "round.visit_remove", "round", round_id, NULL,
			json_pack("{s:I}", "visit", (json_int_t)visit_id));
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

static int members_of(db *d, round_visit *v, size_t n, int64_t round_id, arena *a)
{
	db_stmt *s = db_prepare(d, "SELECT m.visit_id, m.account_id, acc.full_name FROM round_visit_members m"
		" JOIN round_visits v ON v.id = m.visit_id JOIN accounts acc ON acc.id = m.account_id"
		" WHERE v.round_id = ? ORDER BY m.visit_id, acc.full_name, m.account_id");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", round_id);
	int rc;
	size_t *cap = arena_alloc(a, (n + 1) * sizeof *cap);
	memset(cap, 0, (n + 1) * sizeof *cap);
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t vid = db_col_int64(s, 0);
		for (size_t i = 0; i < n; i++) {
			if (v[i].id != vid) continue;
			q_grow(a, (void **)&v[i].members, &cap[i], v[i].nmembers, sizeof *v[i].members);
			visit_member *m = &v[i].members[v[i].nmembers++];
			m->account_id = db_col_int64(s, 1);
			m->full_name = db_col_dup(s, 2, a);
			break;
		}
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int visit_list(db *d, int64_t round_id, arena *a, round_visit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT v.id, v.unit_id, u.code, u.name, u.type, v.visit_date, v.note"
		" FROM round_visits v JOIN units u ON u.id = v.unit_id WHERE v.round_id = ?"
		" ORDER BY v.visit_date, u.code, v.id");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		round_visit *v = &(*out)[(*n)++];
		memset(v, 0, sizeof *v);
		v->id = db_col_int64(s, 0);
		v->round_id = round_id;
		v->unit_id = db_col_int64(s, 1);
		v->unit_code = db_col_dup(s, 2, a);
		v->unit_name = db_col_dup(s, 3, a);
		v->unit_type = db_col_dup(s, 4, a);
		v->date = db_col_dup(s, 5, a);
		v->note = db_col_dup(s, 6, a);
	}
	db_finish(s);
	if (rc != DB_DONE) return rc;
	return *n ? members_of(d, *out, *n, round_id, a) : DB_OK;
}

static void conflict_add(arena *a, visit_conflict **v, size_t *n, size_t *cap, visit_conflict c)
{
	q_grow(a, (void **)v, cap, *n, sizeof **v);
	(*v)[(*n)++] = c;
}

visit_conflict *visit_conflicts(arena *a, const round_visit *v, size_t n, size_t *nconflicts)
{
	visit_conflict *out = NULL;
	size_t cap = 0;
	*nconflicts = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (v[i].unit_id == v[j].unit_id)
				conflict_add(a, &out, nconflicts, &cap, (visit_conflict){ VISIT_UNIT_TWICE, i, j, NULL });
			if (strcmp(v[i].date, v[j].date) != 0) continue;
			for (size_t x = 0; x < v[i].nmembers; x++)
				for (size_t y = 0; y < v[j].nmembers; y++)
					if (v[i].members[x].account_id == v[j].members[y].account_id)
						conflict_add(a, &out, nconflicts, &cap,
							(visit_conflict){ VISIT_MEMBER_TWICE, i, j, &v[i].members[x] });
		}
	return out;
}

bool visit_in_conflict(const visit_conflict *c, size_t nc, size_t i)
{
	for (size_t k = 0; k < nc; k++)
		if (c[k].first == i || c[k].second == i) return true;
	return false;
}
