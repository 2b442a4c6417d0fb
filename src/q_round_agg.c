/* q_round_agg.c — the round summary's stored aggregates (q_round_agg.h). */
#include "q_round_agg.h"
#include "q.h"
#include "workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char round_agg_migration_sql[] =
	"CREATE TABLE round_agg_units ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id),"
	" round_id BIGINT NOT NULL,"
	" cell TEXT NOT NULL,"
	" unit_type TEXT NOT NULL,"
	" unit_code TEXT NOT NULL,"
	" level INTEGER NOT NULL,"
	" total_key BIGINT NOT NULL,"
	" summary TEXT NOT NULL);\n"
	/* the page's lists (lowest totals below a level, best totals; ties by
	 * unit code, as target.c orders them): read in this order, a few rows
	 * each — 5,000 not-started schools tie at 0 */
	"CREATE INDEX round_agg_units_total ON round_agg_units (round_id, total_key, unit_code);\n"
	"CREATE TABLE round_agg_cells ("
	" round_id BIGINT NOT NULL,"
	" cell TEXT NOT NULL,"
	" units BIGINT NOT NULL,"
	" body TEXT NOT NULL,"
	" PRIMARY KEY (round_id, cell));\n"
	/* per round, hour and state: the assessments whose first transition
	 * to that state was in that hour (the summary's progress chart) */
	"CREATE TABLE round_agg_stages ("
	" round_id BIGINT NOT NULL,"
	" hour TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" n BIGINT NOT NULL,"
	" PRIMARY KEY (round_id, hour, state));\n"
	"CREATE TABLE round_agg_rounds ("
	" round_id BIGINT PRIMARY KEY,"
	" stamp TEXT);\n"
	/* assessments whose contribution an answer save moved and nobody has
	 * counted yet: written in the save's own transaction (its pipelined
	 * batch), so a crash between the save and the touch loses nothing */
	"CREATE TABLE round_agg_dirty ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id));\n";

/* An answer save's mark carries the saving transaction's id on PostgreSQL
 * (agg_dirty_stmt), so the settle after the commit (round_agg_saved) can
 * count the assessment without holding the write lock across its reads:
 * it reads the mark, the context and the answers, computes, and sends one
 * pipelined write that applies only while the mark is the one it read
 * (agg_settle_stmt). chiso_agg_add adds a delta body (a unit's summary
 * now minus the one stored, same cell) to a cell's body in the engine,
 * the same exact sums round_agg.c writes; chiso_agg_settle is that write. */
const char round_agg_settle_migration_sql[] = "ALTER TABLE round_agg_dirty ADD COLUMN seq BIGINT;\n";
const char round_agg_settle_migration_pg[] =
	"CREATE OR REPLACE FUNCTION chiso_q_add(x TEXT, y TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$"
	" DECLARE xn BIGINT := split_part(x, '/', 1)::BIGINT; xd BIGINT := coalesce(nullif(split_part(x, '/', 2), ''), '1')::BIGINT;"
	" yn BIGINT := split_part(y, '/', 1)::BIGINT; yd BIGINT := coalesce(nullif(split_part(y, '/', 2), ''), '1')::BIGINT;"
	" n BIGINT; d BIGINT; g BIGINT;"
	" BEGIN n := xn * yd + yn * xd; d := xd * yd; g := gcd(n, d); n := n / g; d := d / g;"
	" IF d = 1 THEN RETURN n::TEXT; END IF; RETURN n::TEXT || '/' || d::TEXT; END $$;\n"
	/* body "a1;N=..;T=..;G=l0.l1.l2.l3,..;C=q,..;R=code:counted:num:den,.."
	 * plus a sparse delta "d1;N=0;T=..;G=i:l0.l1.l2.l3,..;C=i:q,..;R=code:counted:num:den,.."
	 * (only what moves; i from 1): the cell stays scored and keeps its
	 * shape (anything else: 40001, the caller takes the locked path) */
	"CREATE OR REPLACE FUNCTION chiso_agg_add(body TEXT, delta TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$"
	" DECLARE bp TEXT[] := string_to_array(body, ';'); dp TEXT[] := string_to_array(delta, ';');"
	" g TEXT[]; c TEXT[]; e TEXT; i INT; x BIGINT[]; y BIGINT[]; n BIGINT; r TEXT;"
	" BEGIN"
	" IF bp[1] <> 'a1' OR dp[1] <> 'd1' OR cardinality(bp) <> 6 OR cardinality(dp) <> 6 THEN"
	"  RAISE EXCEPTION 'chiso_agg_add: not a cell body' USING ERRCODE = '40001'; END IF;"
	" n := substr(bp[2], 3)::BIGINT + substr(dp[2], 3)::BIGINT;"
	" IF n <= 0 THEN RAISE EXCEPTION 'chiso_agg_add: the cell empties' USING ERRCODE = '40001'; END IF;"
	" g := string_to_array(substr(bp[4], 3), ',');"
	" FOREACH e IN ARRAY string_to_array(substr(dp[4], 3), ',') LOOP"
	"  i := split_part(e, ':', 1)::INT;"
	"  IF i < 1 OR i > cardinality(g) THEN RAISE EXCEPTION 'chiso_agg_add: shape' USING ERRCODE = '40001'; END IF;"
	"  x := string_to_array(g[i], '.')::BIGINT[]; y := string_to_array(split_part(e, ':', 2), '.')::BIGINT[];"
	"  g[i] := (x[1] + y[1]) || '.' || (x[2] + y[2]) || '.' || (x[3] + y[3]) || '.' || (x[4] + y[4]); END LOOP;"
	" c := string_to_array(substr(bp[5], 3), ',');"
	" FOREACH e IN ARRAY string_to_array(substr(dp[5], 3), ',') LOOP"
	"  i := split_part(e, ':', 1)::INT;"
	"  IF i < 1 OR i > cardinality(c) THEN RAISE EXCEPTION 'chiso_agg_add: shape' USING ERRCODE = '40001'; END IF;"
	"  c[i] := chiso_q_add(c[i], split_part(e, ':', 2)); END LOOP;"
	" r := substr(bp[6], 3);"
	" IF dp[6] <> 'R=' THEN"
	" WITH b AS (SELECT split_part(e2, ':', 1) AS code, split_part(e2, ':', 2)::BIGINT AS k, split_part(e2, ':', 3) AS num,"
	"             split_part(e2, ':', 4) AS den FROM unnest(string_to_array(substr(bp[6], 3), ',')) e2),"
	"  d AS (SELECT split_part(e2, ':', 1) AS code, split_part(e2, ':', 2)::BIGINT AS k, split_part(e2, ':', 3) AS num,"
	"             split_part(e2, ':', 4) AS den FROM unnest(string_to_array(substr(dp[6], 3), ',')) e2),"
	"  s AS (SELECT coalesce(b.code, d.code) AS code, coalesce(b.k, 0) + coalesce(d.k, 0) AS k,"
	"        chiso_q_add(coalesce(b.num, '0'), coalesce(d.num, '0')) AS num,"
	"        chiso_q_add(coalesce(b.den, '0'), coalesce(d.den, '0')) AS den FROM b FULL JOIN d ON b.code = d.code)"
	" SELECT string_agg(s.code || ':' || s.k || ':' || s.num || ':' || s.den, ',' ORDER BY s.code COLLATE \"C\")"
	"  INTO r FROM s WHERE s.k <> 0;"
	" END IF;"
	" RETURN 'a1;N=' || n || ';T=' || chiso_q_add(substr(bp[3], 3), substr(dp[3], 3)) || ';G=' || array_to_string(g, ',')"
	"  || ';C=' || array_to_string(c, ',') || ';R=' || coalesce(r, ''); END $$;\n"
	/* the mark read is still there: the unit (as read) gets its new
	 * summary and its cell the delta; no mark (or a later save's): a
	 * later settle counts it; the unit moved meanwhile: 40001 */
	"CREATE OR REPLACE FUNCTION chiso_agg_settle(p_aid BIGINT, p_seq BIGINT, p_round BIGINT, p_cell TEXT, p_was TEXT,"
	" p_unit_code TEXT, p_total_key BIGINT, p_summary TEXT, p_delta TEXT) RETURNS VOID LANGUAGE plpgsql AS $$"
	" BEGIN"
	" DELETE FROM round_agg_dirty WHERE assessment_id = p_aid AND seq = p_seq;"
	" IF NOT FOUND THEN RETURN; END IF;"
	" UPDATE round_agg_units SET unit_code = p_unit_code, total_key = p_total_key, summary = p_summary"
	"  WHERE assessment_id = p_aid AND round_id = p_round AND cell = p_cell AND summary = p_was;"
	" IF NOT FOUND THEN RAISE EXCEPTION 'chiso_agg_settle: the unit moved' USING ERRCODE = '40001'; END IF;"
	" IF p_delta IS NOT NULL THEN"
	"  UPDATE round_agg_cells SET body = chiso_agg_add(body, p_delta) WHERE round_id = p_round AND cell = p_cell;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'chiso_agg_settle: no cell' USING ERRCODE = '40001'; END IF;"
	" END IF; END $$;\n";

static round_agg_hook_fn hook;
static round_agg_settle_fn settle_fast;

void round_agg_set_settle(round_agg_settle_fn fn)
{
	settle_fast = fn;
}

void round_agg_set_hook(round_agg_hook_fn fn)
{
	hook = fn;
}

int round_agg_changed(db *d, int64_t assessment_id)
{
	if (hook) return hook(d, assessment_id);
	return db_execf(d, "UPDATE round_agg_rounds SET stamp = NULL WHERE round_id ="
		" (SELECT round_id FROM assessments WHERE id = ?)", "i", assessment_id);
}

/* ---- an answer save's mark (round_agg_dirty) ---------------------------------------- */

db_stmt *agg_dirty_stmt(db *d, int64_t assessment_id)
{
	db_stmt *s = db_prepare(d, db_kind(d) == DB_PG
		? "INSERT INTO round_agg_dirty (assessment_id, seq) VALUES (?, txid_current())"
		  " ON CONFLICT (assessment_id) DO UPDATE SET seq = excluded.seq"
		: "INSERT INTO round_agg_dirty (assessment_id) VALUES (?) ON CONFLICT DO NOTHING");
	if (s) db_bind_int64(s, 1, assessment_id);
	return s;
}

db_stmt *agg_settle_stmt(db *d, const agg_settle *st)
{
	db_stmt *s = db_prepare(d, "SELECT chiso_agg_settle(?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (s && db_bindf(s, "iiitttitt", st->assessment_id, st->seq, st->was->round_id, st->was->cell,
	                  st->was->summary, st->now->unit_code, st->now->total_key, st->now->summary, st->delta) != DB_OK) {
		db_finish(s);
		return NULL;
	}
	return s;
}

int agg_dirty_clear(db *d, int64_t assessment_id)
{
	return db_execf(d, "DELETE FROM round_agg_dirty WHERE assessment_id = ?", "i", assessment_id);
}

int agg_dirty_ids(db *d, size_t limit, arena *a, int64_t **out, size_t *n)
{
	*out = arena_alloc(a, (limit + 1) * sizeof **out);
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT assessment_id FROM round_agg_dirty ORDER BY assessment_id LIMIT ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, (int64_t)limit);
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) (*out)[(*n)++] = db_col_int64(s, 0);
	db_finish(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int agg_round_dirty(db *d, int64_t round_id, bool *any)
{
	*any = false;
	db_stmt *s = db_prepare(d, "SELECT 1 FROM round_agg_dirty m JOIN assessments a ON a.id = m.assessment_id"
		" WHERE a.round_id = ? LIMIT 1");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	int rc = db_step(s);
	*any = rc == DB_ROW;
	db_finish(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The touch in its own short write transaction, the mark cleared with it
 * (the write lock orders it after the save: a save committed later marks
 * again). */
static int settle_one(db *d, int64_t assessment_id)
{
	/* PostgreSQL: reads first, then one pipelined write (round_agg.c) */
	if (settle_fast && settle_fast(d, assessment_id)) return DB_OK;
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	rc = hook(d, assessment_id);
	if (rc == DB_OK) rc = agg_dirty_clear(d, assessment_id);
	if (rc == DB_OK) return db_commit(d);
	if (db_tx_depth(d)) db_rollback(d);
	return rc;
}

/* Assessments saved during this thread's request (round_agg_defer): each
 * touched once, after the request's own work. */
enum { DEFER_MAX = 16 };
static _Thread_local struct {
	bool on;
	size_t n;
	int64_t ids[DEFER_MAX];
	int64_t trips;
} deferred;

/* A settle that fails leaves the mark: the save stands, and the server's
 * background thread counts the assessment later. */
static void settle_now(db *d, int64_t assessment_id)
{
	if (settle_one(d, assessment_id) == DB_OK) return;
	fprintf(stderr, "chiso: round summary aggregates of assessment %lld left to the background thread: %s\n",
	        (long long)assessment_id, db_errmsg(d));
	db_clear_error(d);
}

int round_agg_saved(db *d, int64_t assessment_id)
{
	if (!hook) return DB_OK;   /* the mark waits for a server's thread */
	if (db_tx_depth(d)) {      /* the caller's transaction: counted in it */
		int rc = hook(d, assessment_id);
		return rc == DB_OK ? agg_dirty_clear(d, assessment_id) : rc;
	}
	if (!deferred.on) {
		settle_now(d, assessment_id);
		return DB_OK;
	}
	for (size_t i = 0; i < deferred.n; i++)
		if (deferred.ids[i] == assessment_id) return DB_OK;
	if (deferred.n == DEFER_MAX) {
		int64_t t = db_round_trips(d);
		settle_now(d, assessment_id);
		deferred.trips += db_round_trips(d) - t;
		return DB_OK;
	}
	deferred.ids[deferred.n++] = assessment_id;
	return DB_OK;
}

void round_agg_defer(void)
{
	deferred.on = true;
	deferred.n = 0;
	deferred.trips = 0;
}

bool round_agg_deferred(void)
{
	return deferred.n > 0;
}

int64_t round_agg_settle_deferred(db *d)
{
	int64_t t = d ? db_round_trips(d) : 0;
	for (size_t i = 0; d && i < deferred.n; i++) settle_now(d, deferred.ids[i]);
	int64_t trips = deferred.trips + (d ? db_round_trips(d) - t : 0);
	deferred.on = false;
	deferred.n = 0;
	deferred.trips = 0;
	return trips;
}

#define MEMBER_COLUMNS "assessment_id, round_id, cell, unit_type, unit_code, level, total_key, summary"

static void read_member(db_stmt *s, arena *a, agg_member *m)
{
	m->assessment_id = db_col_int64(s, 0);
	m->round_id = db_col_int64(s, 1);
	m->cell = db_col_dup(s, 2, a);
	m->unit_type = db_col_dup(s, 3, a);
	m->unit_code = db_col_dup(s, 4, a);
	m->level = (int)db_col_int64(s, 5);
	m->total_key = db_col_int64(s, 6);
	m->summary = db_col_dup(s, 7, a);
}

int agg_member_put(db *d, const agg_member *m)
{
	return db_execf(d, "INSERT INTO round_agg_units (" MEMBER_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (assessment_id) DO UPDATE SET round_id = excluded.round_id, cell = excluded.cell,"
		" unit_type = excluded.unit_type, unit_code = excluded.unit_code, level = excluded.level,"
		" total_key = excluded.total_key, summary = excluded.summary", "iitttiit", m->assessment_id, m->round_id, m->cell,
		m->unit_type, m->unit_code, (int64_t)m->level, m->total_key, m->summary);
}

int agg_member_delete(db *d, int64_t assessment_id)
{
	return db_execf(d, "DELETE FROM round_agg_units WHERE assessment_id = ?", "i", assessment_id);
}

int agg_members(db *d, int64_t round_id, arena *a, agg_member **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " MEMBER_COLUMNS " FROM round_agg_units WHERE round_id = ? ORDER BY assessment_id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_member(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int agg_cell_get(db *d, int64_t round_id, const char *cell, arena *a, agg_cell_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT cell, units, body FROM round_agg_cells WHERE round_id = ? AND cell = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "it", round_id, cell);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->cell = db_col_dup(s, 0, a);
		out->units = db_col_int64(s, 1);
		out->body = db_col_dup(s, 2, a);
	}
	db_finish(s);
	return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ENOTFOUND : rc;
}

int agg_cell_put(db *d, int64_t round_id, const agg_cell_row *c)
{
	if (c->units <= 0)
		return db_execf(d, "DELETE FROM round_agg_cells WHERE round_id = ? AND cell = ?", "it", round_id, c->cell);
	return db_execf(d, "INSERT INTO round_agg_cells (round_id, cell, units, body) VALUES (?, ?, ?, ?)"
		" ON CONFLICT (round_id, cell) DO UPDATE SET units = excluded.units, body = excluded.body", "itit",
		round_id, c->cell, c->units, c->body);
}

int agg_cells(db *d, int64_t round_id, arena *a, agg_cell_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT cell, units, body FROM round_agg_cells WHERE round_id = ? ORDER BY cell");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		agg_cell_row *c = &(*out)[(*n)++];
		c->cell = db_col_dup(s, 0, a);
		c->units = db_col_int64(s, 1);
		c->body = db_col_dup(s, 2, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int agg_round_stamp(db *d, int64_t round_id, arena *a, char **stamp)
{
	*stamp = NULL;
	db_stmt *s = db_prepare(d, "SELECT stamp FROM round_agg_rounds WHERE round_id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	int rc = db_step(s);
	if (rc == DB_ROW) *stamp = db_col_dup(s, 0, a);
	db_finish(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int agg_round_reset(db *d, int64_t round_id, const char *stamp)
{
	int rc = db_execf(d, "DELETE FROM round_agg_units WHERE round_id = ?", "i", round_id);
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM round_agg_cells WHERE round_id = ?", "i", round_id);
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM round_agg_stages WHERE round_id = ?", "i", round_id);
	/* the stages straight from the transitions (dash_stage_counts' count) */
	if (rc == DB_OK)
		rc = db_execf(d, "INSERT INTO round_agg_stages (round_id, hour, state, n)"
			" SELECT ?, substr(f.at, 1, 13), f.to_state, COUNT(*) FROM ("
			"  SELECT t.assessment_id, t.to_state, MIN(t.at) AS at"
			"  FROM assessments a JOIN assessment_transitions t ON t.assessment_id = a.id"
			"  WHERE a.round_id = ? GROUP BY t.assessment_id, t.to_state) f"
			" GROUP BY substr(f.at, 1, 13), f.to_state", "ii", round_id, round_id);
	if (rc == DB_OK)
		rc = db_execf(d, "INSERT INTO round_agg_rounds (round_id, stamp) VALUES (?, ?)"
			" ON CONFLICT (round_id) DO UPDATE SET stamp = excluded.stamp", "it", round_id, stamp);
	return rc;
}

int agg_rounds_stale(db *d, const char *stamp, arena *a, int64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT r.id FROM rounds r LEFT JOIN round_agg_rounds g ON g.round_id = r.id"
		" WHERE (g.stamp IS NULL OR g.stamp <> ?) AND EXISTS (SELECT 1 FROM assessments a WHERE a.round_id = r.id)"
		" ORDER BY r.id");
	if (!s) return db_errcode(d);
	db_bind_text(s, 1, stamp);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		(*out)[(*n)++] = db_col_int64(s, 0);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

#define LISTED_COLUMNS "m.assessment_id, a.unit_id, u.code, u.name, m.unit_type, m.level, a.framework_id," \
	" a.framework_revision, m.summary"

static int read_listed(db_stmt *s, arena *a, agg_listed **out, size_t *n)
{
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		agg_listed *l = &(*out)[(*n)++];
		l->assessment_id = db_col_int64(s, 0);
		l->unit_id = db_col_int64(s, 1);
		l->code = db_col_dup(s, 2, a);
		l->name = db_col_dup(s, 3, a);
		l->unit_type = db_col_dup(s, 4, a);
		l->level = (int)db_col_int64(s, 5);
		l->framework_id = db_col_dup(s, 6, a);
		l->framework_revision = db_col_dup(s, 7, a);
		l->summary = db_col_dup(s, 8, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int agg_lowest(db *d, int64_t round_id, const char *unit_type, int below_level, size_t limit, arena *a,
               agg_listed **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " LISTED_COLUMNS " FROM round_agg_units m"
		" JOIN assessments a ON a.id = m.assessment_id JOIN units u ON u.id = a.unit_id"
		" WHERE m.round_id = ? AND (CAST(? AS TEXT) IS NULL OR m.unit_type = ?) AND m.level < ?"
		" ORDER BY m.total_key, m.unit_code LIMIT ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "ittii", round_id, unit_type, unit_type, (int64_t)below_level, (int64_t)limit);
	return read_listed(s, a, out, n);
}

int agg_best(db *d, int64_t round_id, size_t limit, arena *a, agg_listed **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " LISTED_COLUMNS " FROM round_agg_units m"
		" JOIN assessments a ON a.id = m.assessment_id JOIN units u ON u.id = a.unit_id"
		" WHERE m.round_id = ? ORDER BY m.total_key DESC, m.unit_code LIMIT ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "ii", round_id, (int64_t)limit);
	return read_listed(s, a, out, n);
}

int agg_earlier_years(db *d, const char *school_year, bool *any)
{
	int64_t x;
	int rc = db_query_int64(d, &x, "SELECT 1 FROM rounds WHERE school_year < ? LIMIT 1", "t", school_year);
	*any = rc == DB_OK;
	if (rc == DB_ENOTFOUND) { db_clear_error(d); rc = DB_OK; }
	return rc;
}

int agg_unit_changed(db *d, int64_t unit_id)
{
	return db_execf(d, "UPDATE round_agg_rounds SET stamp = NULL WHERE round_id IN"
		" (SELECT round_id FROM assessments WHERE unit_id = ?)", "i", unit_id);
}

int agg_round_size(db *d, int64_t round_id, int64_t *n)
{
	return db_query_int64(d, n, "SELECT COUNT(*) FROM (SELECT 1 FROM assessments WHERE round_id = ? LIMIT 2) x", "i",
	                      round_id);
}

int agg_stage_reached(db *d, int64_t assessment_id, const char *state, const char *at)
{
	return db_execf(d, "INSERT INTO round_agg_stages (round_id, hour, state, n)"
		" SELECT a.round_id, substr(?, 1, 13), ?, 1 FROM assessments a WHERE a.id = ?"
		"  AND (SELECT COUNT(*) FROM assessment_transitions t WHERE t.assessment_id = a.id AND t.to_state = ?) = 1"
		" ON CONFLICT (round_id, hour, state) DO UPDATE SET n = round_agg_stages.n + 1", "ttit", at, state,
		assessment_id, state);
}

int agg_stage_counts(db *d, int64_t round_id, arena *a, dash_stage_count **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT hour, state, n FROM round_agg_stages WHERE round_id = ? AND state IN (?, ?, ?, ?)"
		" ORDER BY 1, 2");
	if (!s) return db_errcode(d);
	db_bindf(s, "itttt", round_id, wf_state_code(WF_SUBMITTED), wf_state_code(WF_EVALUATED), wf_state_code(WF_RECOGNISED),
	         wf_state_code(WF_PUBLISHED));
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		dash_stage_count *c = &(*out)[(*n)++];
		c->hour = db_col_dup(s, 0, a);
		c->state = db_col_dup(s, 1, a);
		c->count = db_col_int64(s, 2);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int agg_round_ids(db *d, int64_t round_id, arena *a, int64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id FROM assessments WHERE round_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, round_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		(*out)[(*n)++] = db_col_int64(s, 0);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int agg_round_ready(db *d, int64_t round_id, const char *from, const char *to)
{
	int rc = db_execf(d, "UPDATE round_agg_rounds SET stamp = ? WHERE round_id = ? AND stamp = ?", "tit", to, round_id, from);
	if (rc == DB_OK && db_changes(d) == 0) rc = db_fail(d, DB_ECONFLICT, "round_agg: round %lld changed while rebuilt", (long long)round_id);
	return rc;
}

#define CONTEXT_COLUMNS "a.id, a.round_id, a.unit_id, a.framework_id, a.framework_revision," \
	" a.state, a.state_changed_at, a.extended_until, a.self_level, a.external_level," \
	" a.recognised_level, a.recognition_decision_id, u.code, u.name, u.type," \
	" r.policy, g.round_id, g.stamp, m.assessment_id, m.round_id, m.cell, m.unit_type, m.unit_code, m.level," \
	" m.total_key, m.summary, c.units, c.body," \
	" (SELECT coalesce(k.seq, -1) FROM round_agg_dirty k WHERE k.assessment_id = a.id)"
#define CONTEXT_FROM " FROM assessments a JOIN units u ON u.id = a.unit_id JOIN rounds r ON r.id = a.round_id" \
	" LEFT JOIN round_agg_rounds g ON g.round_id = a.round_id" \
	" LEFT JOIN round_agg_units m ON m.assessment_id = a.id" \
	" LEFT JOIN round_agg_cells c ON c.round_id = m.round_id AND c.cell = m.cell"

static void read_context(db_stmt *s, arena *a, agg_context *out)
{
	assessment_read_row(s, a, &out->ru.as);
	out->ru.unit_code = db_col_dup(s, 12, a);
	out->ru.unit_name = db_col_dup(s, 13, a);
	out->ru.unit_type = db_col_dup(s, 14, a);
	out->policy = db_col_dup(s, 15, a);
	out->has_round_row = !db_col_null(s, 16);
	out->stamp = db_col_dup(s, 17, a);
	out->has_member = !db_col_null(s, 18);
	if (out->has_member) {
		db_col_base(s, 18);
		read_member(s, a, &out->member);
		db_col_base(s, 0);
	}
	out->has_cell = !db_col_null(s, 27);
	if (out->has_cell) out->cell = (agg_cell_row){ out->member.cell, db_col_int64(s, 26), db_col_dup(s, 27, a) };
	out->has_mark = !db_col_null(s, 28);
	out->mark_seq = out->has_mark ? db_col_int64(s, 28) : 0;
}

int agg_context_get(db *d, int64_t assessment_id, arena *a, agg_context *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " CONTEXT_COLUMNS CONTEXT_FROM " WHERE a.id = ?");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) read_context(s, a, out);
	db_finish(s);
	return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ENOTFOUND : rc;
}

int agg_context_answers_get(db *d, int64_t assessment_id, arena *a, agg_context *out, bulk_answer **ans, size_t *n)
{
	memset(out, 0, sizeof *out);
	*ans = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " CONTEXT_COLUMNS ", x.assessment_id, x.item_code, x.value_json" CONTEXT_FROM
		" LEFT JOIN answers_current x ON x.assessment_id = a.id"
		"  AND x.side = CASE WHEN a.external_level IS NULL THEN 'self' ELSE 'external' END"
		" WHERE a.id = ? ORDER BY x.item_code");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, assessment_id);
	size_t cap = 0;
	int rc, rows = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (!rows++) read_context(s, a, out);
		if (db_col_null(s, 30)) continue;
		q_grow(a, (void **)ans, &cap, *n, sizeof **ans);
		bulk_answer *x = &(*ans)[(*n)++];
		x->assessment_id = db_col_int64(s, 29);
		x->item_code = db_col_dup(s, 30, a);
		x->value_json = db_col_dup(s, 31, a);
	}
	db_finish(s);
	return rc != DB_DONE ? rc : rows ? DB_OK : db_fail(d, DB_ENOTFOUND, "no assessment %lld", (long long)assessment_id);
}

int agg_unit_recoded(db *d, int64_t unit_id, const char *code)
{
	return db_execf(d, "UPDATE round_agg_units SET unit_code = ? WHERE assessment_id IN"
		" (SELECT id FROM assessments WHERE unit_id = ?)", "ti", code, unit_id);
}
