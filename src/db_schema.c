/* db_schema.c — the database schema as an ordered list of migrations.
 *
 * Forward-only: a released migration is never edited, a change is a new
 * entry at the end. The SQL is shared by both engines; {ID} and {BLOB} are
 * replaced per engine (db_sql_dialect) and engine-specific extras (triggers)
 * go in the sqlite_sql / pg_sql fields.
 *
 * Conventions (see db.h): BIGINT for integers and 0/1 flags, ISO-8601 text
 * for dates ('2025-05-31') and timestamps ('2025-05-31T08:00:00Z'), text
 * codes rather than integers for enumerations so that rows read on their
 * own. Enumerations owned by pure modules (assessment states: workflow.c;
 * unit types) are checked in C, not by CHECK constraints, because SQLite
 * cannot change a CHECK without rebuilding the table. */
#include "db_impl.h"
#include "q_api_token.h"
#include "q_assessment.h"
#include "q_autoremind.h"
#include "q_dash.h"
#include "q_extreq.h"
#include "q_doc.h"
#include "q_framework.h"
#include "q_blob.h"
#include "q_job.h"
#include "q_session.h"
#include "q_sign.h"
#include "q_office.h"
#include "q_register.h"
#include "q_register_signed.h"
#include "q_submission.h"
#include "q_report.h"
#include "q_publish.h"
#include "q_round.h"
#include "q_derived.h"
#include "q_visit.h"
#include "q_round_agg.h"

static const char migration_1[] =
	/* ---- units and their dated relations ---------------------------- */
	"CREATE TABLE units ("
	" id {ID},"
	" code TEXT NOT NULL UNIQUE,"            /* mã đơn vị, as in the sector database */
	" name TEXT NOT NULL,"                   /* NFC */
	" name_fold TEXT NOT NULL,"              /* lower case, no tone marks, đ→d: search key */
	" type TEXT NOT NULL,"                   /* q_unit.c: unit_type_valid */
	" is_public BIGINT NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),"
	" address TEXT,"
	" levels TEXT,"                          /* liên cấp: 'tieu_hoc,thcs' */
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);\n"
	"CREATE INDEX units_name_fold ON units (name_fold);\n"
	"CREATE INDEX units_type ON units (type);\n"

	/* A relation holds on [valid_from, valid_to); valid_to NULL = still
	 * holds. The past is never rewritten: a change closes the current row
	 * and opens a new one, so a 2023-2024 round still finds the Phòng that
	 * evaluated it. */
	"CREATE TABLE unit_relations ("
	" id {ID},"
	" unit_id BIGINT NOT NULL REFERENCES units (id),"
	" kind TEXT NOT NULL CHECK (kind IN ('parent', 'evaluator')),"
	" other_unit_id BIGINT NOT NULL REFERENCES units (id),"
	" valid_from TEXT NOT NULL,"
	" valid_to TEXT,"
	" CHECK (valid_to IS NULL OR valid_to > valid_from),"
	" CHECK (unit_id <> other_unit_id));\n"
	"CREATE INDEX unit_relations_unit ON unit_relations (unit_id, kind, valid_from);\n"
	"CREATE INDEX unit_relations_other ON unit_relations (other_unit_id, kind, valid_from);\n"
	"CREATE UNIQUE INDEX unit_relations_current ON unit_relations (unit_id, kind)"
	" WHERE valid_to IS NULL;\n"

	/* ---- people ------------------------------------------------------ */
	"CREATE TABLE accounts ("
	" id {ID},"
	" login TEXT NOT NULL UNIQUE,"           /* lower case */
	" full_name TEXT NOT NULL,"
	" email TEXT,"
	" phone TEXT,"
	" password_hash TEXT,"                   /* argon2id string; NULL: no password yet */
	" active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);\n"

	/* ---- rounds ------------------------------------------------------ */
	"CREATE TABLE rounds ("
	" id {ID},"
	" office_unit_id BIGINT NOT NULL REFERENCES units (id),"
	" school_year TEXT NOT NULL,"            /* '2024-2025' */
	" title TEXT NOT NULL,"
	" policy TEXT NOT NULL DEFAULT 'min' CHECK (policy IN ('min', 'per_group_only')),"
	" self_due TEXT,"                        /* self-assessment + submission, e.g. 31/5 */
	" report_due TEXT,"                      /* report upward, e.g. 10/6 */
	" external_due TEXT,"                    /* external evaluation and recognition, e.g. 20/6 */
	" state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL,"
	" UNIQUE (office_unit_id, school_year, title));\n"
	"CREATE TABLE round_frameworks ("
	" round_id BIGINT NOT NULL REFERENCES rounds (id),"
	" unit_type TEXT NOT NULL,"
	" framework_id TEXT NOT NULL,"
	" framework_revision TEXT NOT NULL,"
	" PRIMARY KEY (round_id, unit_type));\n"
	/* level_share: share_percent of units (of unit_type, or all) at Mức ≥
	 * level. indicator: share_percent for a framework item, e.g. 60% of
	 * classrooms with projection and Internet. */
	"CREATE TABLE round_targets ("
	" id {ID},"
	" round_id BIGINT NOT NULL REFERENCES rounds (id),"
	" kind TEXT NOT NULL CHECK (kind IN ('level_share', 'indicator')),"
	" unit_type TEXT,"
	" level BIGINT CHECK (level IS NULL OR level IN (1, 2, 3)),"
	" item_code TEXT,"
	" share_percent BIGINT NOT NULL CHECK (share_percent BETWEEN 0 AND 100),"
	" label TEXT,"
	" CHECK ((kind = 'level_share' AND level IS NOT NULL)"
	"     OR (kind = 'indicator' AND item_code IS NOT NULL)));\n"
	"CREATE INDEX round_targets_round ON round_targets (round_id);\n"

	/* A role per scope (authz.h: authz_grant). system_admin has no unit;
	 * office roles are scoped to the office (its subtree comes from
	 * unit_relations); principal and council_member to their unit;
	 * external_evaluator to the office that formed the team, in one round
	 * (the units each evaluator judges are in evaluator_assignments). */
	"CREATE TABLE role_assignments ("
	" id {ID},"
	" account_id BIGINT NOT NULL REFERENCES accounts (id),"
	" role TEXT NOT NULL CHECK (role IN ('system_admin', 'office_admin', 'officer',"
	"  'principal', 'council_member', 'external_evaluator')),"
	" unit_id BIGINT REFERENCES units (id),"
	" round_id BIGINT REFERENCES rounds (id),"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL,"
	" CHECK ((role = 'system_admin') = (unit_id IS NULL)),"
	" CHECK (role <> 'external_evaluator' OR round_id IS NOT NULL));\n"
	"CREATE UNIQUE INDEX role_assignments_unique ON role_assignments"
	" (account_id, role, COALESCE(unit_id, 0), COALESCE(round_id, 0));\n"
	"CREATE INDEX role_assignments_unit ON role_assignments (unit_id, role);\n"

	/* ---- administrative decisions ------------------------------------ */
	/* A decision (quyết định) referenced by workflow steps: approval of a
	 * self-assessment, the external team, recognition of levels. */
	"CREATE TABLE decisions ("
	" id {ID},"
	" issuer_unit_id BIGINT NOT NULL REFERENCES units (id),"
	" kind TEXT NOT NULL,"                   /* 'approval', 'external_team', 'recognition', … */
	" number TEXT NOT NULL,"                 /* '125/QĐ-PGDĐT' */
	" date TEXT NOT NULL,"
	" signer TEXT,"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL);\n"

	/* ---- assessments ------------------------------------------------- */
	"CREATE TABLE assessments ("
	" id {ID},"
	" round_id BIGINT NOT NULL REFERENCES rounds (id),"
	" unit_id BIGINT NOT NULL REFERENCES units (id),"
	" framework_id TEXT NOT NULL,"           /* kept: a later framework never rescores it */
	" framework_revision TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'not_started',"  /* workflow.c: wf_state_code */
	" state_changed_at TEXT NOT NULL,"
	" extended_until TEXT,"                  /* supplement deadline after a return */
	" self_level BIGINT CHECK (self_level IS NULL OR self_level IN (1, 2, 3)),"
	" external_level BIGINT CHECK (external_level IS NULL OR external_level IN (1, 2, 3)),"
	" recognised_level BIGINT CHECK (recognised_level IS NULL OR recognised_level IN (1, 2, 3)),"
	" recognition_decision_id BIGINT REFERENCES decisions (id),"
	" created_at TEXT NOT NULL,"
	" UNIQUE (round_id, unit_id));\n"
	"CREATE INDEX assessments_unit ON assessments (unit_id);\n"
	"CREATE INDEX assessments_round_state ON assessments (round_id, state);\n"
	"CREATE INDEX assessments_round_level ON assessments (round_id, recognised_level);\n"
	"CREATE TABLE assessment_transitions ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" account_id BIGINT REFERENCES accounts (id),"
	" from_state TEXT NOT NULL,"
	" to_state TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" reason TEXT);\n"
	"CREATE INDEX assessment_transitions_a ON assessment_transitions (assessment_id, id);\n"
	/* Every change is a new row; the current answer of (item, side) is the
	 * highest version. Self and external answers never share a row. */
	"CREATE TABLE answers ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" item_code TEXT NOT NULL,"
	" side TEXT NOT NULL CHECK (side IN ('self', 'external')),"
	" version BIGINT NOT NULL CHECK (version >= 1),"
	" value_json TEXT NOT NULL,"
	" reason TEXT,"
	" author_id BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL,"
	" UNIQUE (assessment_id, side, item_code, version));\n"

	/* The external team's work split: which evaluator judges which unit in
	 * a round; is_lead marks the team head (trưởng đoàn) for that unit. */
	"CREATE TABLE evaluator_assignments ("
	" round_id BIGINT NOT NULL REFERENCES rounds (id),"
	" unit_id BIGINT NOT NULL REFERENCES units (id),"
	" account_id BIGINT NOT NULL REFERENCES accounts (id),"
	" is_lead BIGINT NOT NULL DEFAULT 0 CHECK (is_lead IN (0, 1)),"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (round_id, unit_id, account_id));\n"
	"CREATE INDEX evaluator_assignments_account ON evaluator_assignments (account_id, round_id);\n"

	/* ---- council and tasks ------------------------------------------- */
	"CREATE TABLE councils ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL UNIQUE REFERENCES assessments (id),"
	" kind TEXT NOT NULL DEFAULT 'hoi_dong' CHECK (kind IN ('hoi_dong', 'to_cong_tac')),"
	" decision_number TEXT,"
	" decision_date TEXT,"
	" created_at TEXT NOT NULL);\n"
	"CREATE TABLE council_members ("
	" id {ID},"
	" council_id BIGINT NOT NULL REFERENCES councils (id),"
	" account_id BIGINT REFERENCES accounts (id),"   /* NULL: a member without an account */
	" full_name TEXT NOT NULL,"
	" job_title TEXT,"                        /* chức vụ: 'Phó Hiệu trưởng' */
	" post TEXT NOT NULL CHECK (post IN ('chu_tich', 'pho_chu_tich', 'thu_ky', 'uy_vien')));\n"
	"CREATE UNIQUE INDEX council_members_account ON council_members (council_id, account_id)"
	" WHERE account_id IS NOT NULL;\n"
	"CREATE UNIQUE INDEX council_members_chair ON council_members (council_id)"
	" WHERE post = 'chu_tich';\n"
	"CREATE TABLE council_assignments ("
	" member_id BIGINT NOT NULL REFERENCES council_members (id) ON DELETE CASCADE,"
	" item_code TEXT NOT NULL,"
	" PRIMARY KEY (member_id, item_code));\n"
	/* The task table of the plan (seed 002): TT, content, due, who leads,
	 * who takes part, status. */
	"CREATE TABLE tasks ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" seq BIGINT NOT NULL,"
	" title TEXT NOT NULL,"
	" due TEXT,"                              /* ISO date: what overdue is computed from */
	" due_label TEXT,"                        /* as the plan words it: 'Tháng 02/2025' */
	" owner_member_id BIGINT REFERENCES council_members (id) ON DELETE SET NULL,"
	" status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done')),"
	" note TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);\n"
	"CREATE INDEX tasks_assessment ON tasks (assessment_id, seq);\n"
	"CREATE TABLE task_members ("
	" task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,"
	" member_id BIGINT NOT NULL REFERENCES council_members (id) ON DELETE CASCADE,"
	" PRIMARY KEY (task_id, member_id));\n"

	/* ---- evidence ---------------------------------------------------- */
	"CREATE TABLE evidence ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" code TEXT NOT NULL,"                    /* 'MC-1.3-02': stable, never reused */
	" title TEXT NOT NULL,"
	" doc_number TEXT,"
	" doc_date TEXT,"
	" issuer TEXT,"
	" note TEXT,"
	" copied_from BIGINT REFERENCES evidence (id) ON DELETE SET NULL,"
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" UNIQUE (assessment_id, code));\n"
	"CREATE TABLE evidence_criteria ("
	" evidence_id BIGINT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,"
	" item_code TEXT NOT NULL,"
	" PRIMARY KEY (evidence_id, item_code));\n"
	"CREATE INDEX evidence_criteria_item ON evidence_criteria (item_code, evidence_id);\n"
	"CREATE TABLE evidence_files ("
	" id {ID},"
	" evidence_id BIGINT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,"
	" sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"  /* the blob's name */
	" size BIGINT NOT NULL CHECK (size >= 0),"
	" mime TEXT NOT NULL,"                    /* sniffed, never the client's claim */
	" original_name TEXT NOT NULL,"           /* NFC, display only: never a path */
	" created_by BIGINT REFERENCES accounts (id),"
	" created_at TEXT NOT NULL,"
	" UNIQUE (evidence_id, sha256));\n"
	"CREATE INDEX evidence_files_sha ON evidence_files (sha256);\n"
	"CREATE TABLE evidence_links ("
	" id {ID},"
	" evidence_id BIGINT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,"
	" url TEXT NOT NULL,"
	" label TEXT,"
	" created_at TEXT NOT NULL);\n"
	/* Last sequence number handed out per (assessment, criterion), so that
	 * a deleted MC-1.3-02 is never handed out again. */
	"CREATE TABLE evidence_counters ("
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" item_code TEXT NOT NULL,"
	" last_seq BIGINT NOT NULL,"
	" PRIMARY KEY (assessment_id, item_code));\n"

	/* ---- audit ------------------------------------------------------- */
	/* Append-only and hash-chained (audit.c): hash = SHA-256(prev_hash +
	 * canonical row). seq is dense from 1, assigned under the write lock. */
	"CREATE TABLE audit_log ("
	" seq BIGINT PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" account_id BIGINT,"                     /* no FK: the log outlives everything */
	" action TEXT NOT NULL,"
	" object_type TEXT NOT NULL,"
	" object_id BIGINT,"
	" before_json TEXT,"
	" after_json TEXT,"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL UNIQUE);\n"
	"CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);\n"
	"CREATE INDEX audit_log_account ON audit_log (account_id, seq);\n";

/* The append-only rule, enforced by the engine as a second line behind the
 * hash chain (which catches whoever drops these triggers first). */
static const char migration_1_sqlite[] =
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";

static const char migration_1_pg[] =
	"CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;\n"
	"CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log"
	" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();\n";

/* Issue 19: an index no read uses (the log is read by seq, and by object
 * for a history), written on every audited change. */
static const char audit_account_index_drop[] = "DROP INDEX IF EXISTS audit_log_account;\n";

const db_migration db_schema_migrations[] = {
	{ 1, "initial schema", migration_1, migration_1_sqlite, migration_1_pg },
	{ 2, "sessions and sign-in throttling", session_migration_sql, NULL, NULL },   /* q_session.c */
	{ 3, "request letters, submissions, return reasons", submission_migration_sql, NULL, NULL },   /* q_submission.c */
	{ 4, "API tokens", api_token_migration_sql, NULL, NULL },   /* q_api_token.c */
	{ 5, "documents generated, self-inspection inputs", doc_migration_sql, NULL, NULL },   /* q_doc.c */
	{ 6, "office: decisions, extensions, external team, published results", office_migration_sql, NULL, NULL },   /* q_office.c */
	{ 7, "background jobs", job_migration_sql, NULL, NULL },   /* q_job.c */
	{ 8, "administration: framework versions, unit import files", framework_migration_sql, NULL, NULL },   /* q_framework.c */
	{ 9, "round summary: each assessment's score in short", dash_migration_sql, NULL, NULL },   /* q_dash.c */
	{ 10, "sign-in throttle per login and address", signin_migration_sql, NULL, NULL },   /* q_session.c */
	{ 11, "current answers: one row per item", answers_current_migration_sql,
	  answers_current_migration_sqlite, answers_current_migration_pg },   /* q_assessment.c */
	{ 12, "digital signatures: trust store, office keys, submission seals", sign_migration_sql, NULL, NULL },   /* q_sign.c */
	{ 13, "evidence files in the database (PostgreSQL)", blob_migration_sql, NULL, NULL },   /* q_blob.c */
	{ 14, "offices' reports to their superior", report_migration_sql, NULL, NULL },   /* q_report.c */
	{ 15, "deadline-extension requests", extreq_migration_sql, NULL, NULL },   /* q_extreq.c */
	{ 16, "automatic reminders, server settings", autoremind_migration_sql, NULL, NULL },   /* q_autoremind.c */
	{ 17, "round plans, the register of issued documents", register_migration_sql, NULL, NULL },   /* q_register.c */
	{ 18, "schools publishing their own recognised result", publish_own_migration_sql, NULL, NULL },   /* q_publish.c */
	{ 19, "rounds that also take the units the office manages", round_managed_migration_sql, NULL, NULL },   /* q_round.c */
	{ 20, "automatic reminders of the report to the superior", report_remind_migration_sql, NULL, NULL },   /* q_report.c */
	{ 21, "schools publishing their self-assessment result before recognition", publish_self_migration_sql, NULL, NULL },   /* q_publish.c */
	{ 22, "the basis and date of an office's derived items (3806 group 2)", derived_basis_migration_sql, NULL, NULL },   /* q_derived.c */
	{ 23, "the external team's visit schedule", visit_migration_sql, NULL, NULL },   /* q_visit.c */
	{ 24, "self-inspection: the six headings of part II.1, the contact of 2.1", inspection_migration_sql, NULL, NULL },   /* q_doc.c */
	{ 25, "register numbering per year or per kind", register_numbering_migration_sql, NULL, NULL },   /* q_register.c */
	{ 26, "signed originals in the register", register_signed_migration_sql, NULL, NULL },   /* q_register_signed.c */
	{ 27, "round summary: aggregates kept per round, unit type, level and criterion", round_agg_migration_sql, NULL, NULL },   /* q_round_agg.c */
	{ 28, "submission seals by an office's certificate", seal_signer_migration_sql, NULL, NULL },   /* q_sign.c */
	{ 29, "the generated file a signed original was matched to", register_signed_origin_migration_sql, NULL, NULL },   /* q_register_signed.c */
	{ 30, "the timestamps of signed PDFs (PAdES B-T)", signature_timestamp_migration_sql, NULL, NULL },   /* q_sign.c */
	{ 31, "answer saves counted without the write lock held across their reads",
	  round_agg_settle_migration_sql, NULL, round_agg_settle_migration_pg },   /* q_round_agg.c */
	{ 32, "the audit log's unread index by account dropped", audit_account_index_drop, NULL, NULL },
};
const size_t db_schema_nmigrations = sizeof db_schema_migrations / sizeof db_schema_migrations[0];
