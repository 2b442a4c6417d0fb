/* q_framework.h — framework versions published through the administration
 * pages (migration 8). A corrected or completed framework file is
 * uploaded, validated by the loader (framework_parse), kept as a draft,
 * and published as a NEW revision: the published JSON lives in the
 * database so that it survives a restart and reaches every `chiso serve`
 * sharing one PostgreSQL (STYLE.md: serve keeps no state of its own).
 * The files in frameworks/ stay the base; a published revision is never
 * replaced, so assessments keep the id@revision they were made with. */
#ifndef CHISO_Q_FRAMEWORK_H
#define CHISO_Q_FRAMEWORK_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "framework.h"

extern const char framework_migration_sql[];   /* migration 8 (db_schema.c) */

typedef struct framework_version {
	int64_t id;
	const char *framework_id;
	int revision;
	bool published;
	const char *file_name;     /* as uploaded, for the report */
	const char *sha256;        /* hex of the JSON bytes */
	int64_t uploaded_by;
	const char *uploaded_at;
	int64_t published_by;      /* 0 while a draft */
	const char *published_at;  /* NULL while a draft */
} framework_version;

/* Keeps a validated upload (fw is text parsed by framework_parse) as a
 * draft. Audited as framework.upload. */
int framework_draft_save(db *d, int64_t actor, const framework *fw, const char *text, size_t len,
                         const char *file_name, int64_t *id);
/* Replaces a draft's JSON by the editor's (page_admin_fw_edit.c): one
 * item's rule changed, `code` names it, before/after its rule as JSON
 * text for the audit row (framework.edit). The text need not pass the
 * loader yet (a half-done edit is kept; publishing checks it). A version
 * already published is never changed: DB_ECONFLICT. */
int framework_draft_update(db *d, int64_t actor, int64_t id, const char *text, size_t len,
                           const char *code, const char *before, const char *after);
/* A stored version (draft or published) and its JSON text, in arena a. */
int framework_version_get(db *d, int64_t id, arena *a, framework_version *out, const char **text);
/* Publishes draft `id` as a new revision. Under the write lock the
 * highest stored revision of its framework id is read again; the draft's
 * revision must exceed it and `known_max` (the caller's catalogue: the
 * files and what this process has loaded), else DB_ECONFLICT with
 * fw_revision_refusal's message. A published version is never changed
 * again. Audited as framework.publish. */
int framework_publish(db *d, int64_t actor, int64_t id, int known_max);
/* Drafts not published, newest first, at most `limit` (the rule editor's
 * list on /quan-tri/bo-chi-so). */
int framework_drafts(db *d, arena *a, int limit, framework_version **out, size_t *n);
/* Published versions, oldest first. */
int framework_published(db *d, arena *a, framework_version **out, size_t *n);

/* How many assessments use each framework id@revision. */
typedef struct framework_use {
	const char *framework_id, *revision;
	int64_t assessments;
} framework_use;
int framework_usage(db *d, arena *a, framework_use **out, size_t *n);

/* Adds to catalogue c the published versions it does not have yet (rows
 * after c->db_last_id), at most once every max_age seconds (0 = now).
 * Safe to call from many threads: one loads while the others go on with
 * the catalogue as it is (fw_catalog_append's contract). A stored version
 * that no longer loads is reported in *errors (may be NULL) and skipped.
 * Returns how many were added, or a negative DB_E* code. */
int fw_catalog_sync_db(fw_catalog *c, db *d, int max_age, buf *errors);
#endif
