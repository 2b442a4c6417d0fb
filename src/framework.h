/* framework.h — an indicator set (Bộ chỉ số) loaded from its JSON file.
 *
 * A framework is data: groups → criteria → items. Any node that carries a
 * rule is a *leaf* and is answered by its code; other nodes sum their
 * children. Every node carries a source tag (official / seed / third-party /
 * inferred). The file format is described in docs/framework-format.md.
 * Parsing and validation are pure (no I/O) except framework_load_file. */
#ifndef CHISO_FRAMEWORK_H
#define CHISO_FRAMEWORK_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "exact.h"

typedef enum unit_type {
	UT_MAM_NON, UT_TIEU_HOC, UT_THCS, UT_THPT, UT_LIEN_CAP, UT_GDTX, UT_PHONG, UT_SO,
	UT_COUNT
} unit_type;

const char *unit_type_code(unit_type t);    /* "tieu_hoc" */
const char *unit_type_name(unit_type t);    /* "Tiểu học" */
/* Accepts the code ("thcs") or the Vietnamese name in any case ("THCS",
 * "Trung học cơ sở"); false when unknown. */
bool unit_type_parse(const char *s, unit_type *out);

/* SRC_TEST: made up for a test fixture, never a real criterion. */
typedef enum source_tag { SRC_OFFICIAL, SRC_SEED, SRC_THIRD_PARTY, SRC_INFERRED, SRC_TEST } source_tag;
const char *source_tag_code(source_tag s);  /* "third-party" */
const char *source_tag_name(source_tag s);
/* The tag in one plain sentence, for a principal who meets it on a page. */
const char *source_tag_explain(source_tag s);  /* "bên thứ ba" */

typedef enum rule_kind {
	RULE_GATE,              /* điều kiện bắt buộc: met / not met */
	RULE_YES_NO,            /* points or 0 */
	RULE_UP_TO,             /* assessor sets 0..points with a reason */
	RULE_ALTERNATIVES,      /* one of several options, each worth its points */
	RULE_TIERED,            /* tier points minus a deduction per missing component */
	RULE_RATIO,             /* num/den against one threshold */
	RULE_RATIO_BY_TYPE,     /* num/den against a threshold per unit type */
	RULE_COUNT,             /* a count against a minimum */
	RULE_INFO,              /* information only, no points */
	RULE_DERIVED,           /* computed from subordinate units' results */
	RULE_KIND_COUNT
} rule_kind;
const char *rule_kind_code(rule_kind k);    /* "yes_no" */
const char *rule_kind_name(rule_kind k);    /* "Có/Không" */

typedef enum gate_policy { GATE_ZERO_GROUP, GATE_FLAG_ONLY } gate_policy;
typedef enum ratio_mode { MODE_THRESHOLD, MODE_PROPORTIONAL } ratio_mode;
typedef enum ratio_cmp { CMP_GE, CMP_LE } ratio_cmp;   /* value ≥ threshold / value ≤ threshold */
typedef enum ratio_unit { UNIT_PERCENT, UNIT_RATIO } ratio_unit;
typedef enum derived_measure { DM_SHARE_AT_LEAST_LEVEL, DM_AVERAGE_SCORE } derived_measure;

typedef struct fw_option {            /* an alternative, a tier or a component */
	const char *code, *label;
	q points;                         /* unused for components */
	source_tag source;
} fw_option;

typedef struct fw_band {              /* a level as an inequality on a score */
	int level;
	const char *name, *label;
	bool has_from;                    /* score ≥ from */
	q from;
	bool has_above;                   /* score > above */
	q above;
	source_tag source;
} fw_band;

typedef struct fw_rule {
	rule_kind kind;
	source_tag source;                /* defaults to the node's */
	q points;                         /* the maximum the rule can give */
	bool gate_effect_set;
	gate_policy gate_effect;          /* per-gate override of the framework's */
	fw_option *options; size_t noptions;      /* alternatives, tiers */
	fw_option *components; size_t ncomponents; /* tiered */
	q deduction, floor;               /* tiered */
	ratio_mode mode;
	ratio_cmp cmp;
	ratio_unit unit;
	q threshold;                      /* ratio, count (min) */
	bool type_known[UT_COUNT];        /* ratio_by_type: threshold declared for type */
	bool type_has_threshold[UT_COUNT];/* … and it is a number (null = judged by hand) */
	q type_threshold[UT_COUNT];
	const char *measure;              /* what is measured, Vietnamese */
	derived_measure dmeasure;         /* derived */
	int dlevel;                       /* derived: share at ≥ this level */
	const char *dgroup;               /* derived: average of this group code or "total" */
	bool dtypes[UT_COUNT];            /* derived: subordinate unit types counted */
	bool dtypes_set;
} fw_rule;

typedef enum node_kind { NODE_GROUP, NODE_CRITERION, NODE_ITEM } node_kind;

typedef struct fw_node {
	node_kind kind;
	const char *code, *title, *note, *evidence, *path;
	const char *origin;               /* where it was read: "qd3276.docx, hàng 12" */
	source_tag source;
	bool has_max;                     /* declared maximum */
	q max;                            /* declared, else computed */
	fw_rule *rule;                    /* non-NULL on a leaf */
	bool required;
	fw_band *bands; size_t nbands;    /* per-criterion information bands */
	struct fw_node *children; size_t nchildren;
	struct fw_node *parent;
	size_t leaf_index;                /* index among leaves when rule != NULL */
	size_t node_index;                /* index among all nodes, depth-first */
	size_t group_index;
} fw_node;

typedef enum score_basis { BASIS_GROUPS, BASIS_TOTAL } score_basis;

/* Where a framework came from (`chiso frameworks` says it): a file in a
 * directory (`file` is its path), the copy embedded in the binary (`file`
 * is its name), or a version published in the database (`file` is
 * "CSDL:id@revision"). */
typedef enum fw_origin { FW_FROM_DIR, FW_FROM_EMBEDDED, FW_FROM_DB } fw_origin;

typedef struct framework {
	arena *mem;                       /* owns everything below */
	const char *file;
	fw_origin origin;                 /* framework_parse: FW_FROM_DIR; loaders set the others */
	const char *id, *title, *note;
	int revision;
	const char *decision_number, *decision_date, *decision_issuer;
	source_tag source;
	bool complete;
	bool unit_types[UT_COUNT];
	score_basis basis;
	bool has_total_max;
	q total_max;
	gate_policy gate_effect;
	fw_band *levels; size_t nlevels;
	fw_node *groups; size_t ngroups;
	fw_node **leaves; size_t nleaves; /* depth-first order */
	size_t nnodes;                    /* groups + criteria + items */
} framework;

/* Parse and validate a framework from JSON text. On failure returns NULL
 * and writes one line per problem to err: "FILE: PATH: what is wrong".
 * `file` names the source in messages. */
framework *framework_parse(const char *text, size_t len, const char *file, buf *err);
framework *framework_load_file(const char *path, buf *err);
void framework_free(framework *fw);

const fw_node *framework_find(const framework *fw, const char *code);
/* The band (level) a score falls in, or NULL when no band matches. */
const fw_band *band_for(const fw_band *bands, size_t n, q score);

/* A directory of framework files (every .json file in it), plus the
 * versions published through the administration pages (stored in the
 * database, q_framework.h: fw_catalog_sync_db).
 *
 * Append-only, for a running server whose threads read it while a new
 * version is added: `items` is allocated once with room for
 * FW_CATALOG_MAX entries and never moves, an entry once added never
 * changes, and `n` is published (atomically, release) only after the
 * entry is complete, so a reader sees either the old list or the old list
 * plus a whole framework, never half of one. Entries are sorted by id and
 * revision after the directory load; appended ones follow in publication
 * order (fw_catalog_find does not depend on the order). One appender at a
 * time (fw_catalog_append's callers serialise). */
enum { FW_CATALOG_MAX = 4096 };
typedef struct fw_catalog {
	framework **items;
	_Atomic size_t n;
	buf errors;                       /* files that failed to load */
	/* database versions (q_framework.c) */
	_Atomic long long db_checked_at;  /* time() of the last look, 0 = never */
	long long db_last_id;             /* highest framework_versions.id seen */
} fw_catalog;
/* Exactly the .json files of one directory (tests, tools). */
void fw_catalog_load(fw_catalog *c, const char *dir);
/* The catalogue the commands and the server use, in layers; a file in a
 * later layer replaces an earlier layer's framework of the same
 * id@revision, and adds the others:
 *   1. the frameworks embedded in the binary (frameworks/ at build time),
 *      so a binary copied anywhere works;
 *   2. the installed copy, when there is one: PREFIX/share/chiso/frameworks
 *      for a binary in PREFIX/bin (/usr/bin/chiso reads
 *      /usr/share/chiso/frameworks; fw_installed_dir);
 *   3. the override directory: `dir` (a command's --frameworks), else
 *      $CHISO_FRAMEWORKS; one that cannot be read is an error in c->errors.
 * The versions published in the database come on top of these
 * (q_framework.h: fw_catalog_sync_db): their revisions are higher. */
void fw_catalog_load_default(fw_catalog *c, const char *dir);
/* The installed directory of layer 2 into out (whether or not it exists);
 * false when the binary is not in a directory named bin. */
bool fw_installed_dir(buf *out);
/* Where fw came from, in Vietnamese: "nhúng trong chương trình", the
 * file's path, "cơ sở dữ liệu, bản 3". In b, which it returns. */
const char *fw_origin_text(const framework *fw, buf *b);
/* An empty catalogue (no directory): for tests and tools. */
void fw_catalog_init(fw_catalog *c);
const framework *fw_catalog_find(const fw_catalog *c, const char *id);
/* Adds fw (the catalogue takes it) unless its id@revision is already
 * there or the catalogue is full; false then, and fw is still the
 * caller's. Readers may run concurrently; appenders may not. */
bool fw_catalog_append(fw_catalog *c, framework *fw);
/* The highest revision of `id` in the catalogue, 0 when none. */
int fw_catalog_max_revision(const fw_catalog *c, const char *id);
void fw_catalog_free(fw_catalog *c);

/* The revision rule of a published correction: a new version of `id`
 * must carry a revision higher than every existing one (the catalogue's,
 * which holds the files and the database versions, and max_stored, the
 * highest in the database, which another server may have published a
 * moment ago); an existing revision is never replaced, because
 * assessments refer to id@revision for ever. NULL when allowed, else a
 * Vietnamese reason. */
const char *fw_revision_refusal(int revision, int max_existing);

/* What changed between two versions of a framework, node by node (codes
 * in the new version's order, then removed ones). */
typedef enum fw_change_kind { FW_ADDED, FW_REMOVED, FW_MAX_CHANGED, FW_RULE_CHANGED } fw_change_kind;
typedef struct fw_change {
	fw_change_kind kind;
	const char *code, *title;
	q old_max, new_max;               /* FW_MAX_CHANGED (and added/removed: one side) */
	const char *old_rule, *new_rule;  /* FW_RULE_CHANGED: rule kind codes */
} fw_change;
/* The changes from old to new, in arena a; *n = 0 when identical in codes,
 * maxima and rule kinds. */
void fw_diff(const framework *old, const framework *new_fw, arena *a, fw_change **out, size_t *n);
/* Counts of a framework's nodes: groups, criteria, items (leaves under a
 * criterion), leaves. */
void fw_counts(const framework *fw, size_t *groups, size_t *criteria, size_t *items, size_t *leaves);
#endif
