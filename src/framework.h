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

typedef enum source_tag { SRC_OFFICIAL, SRC_SEED, SRC_THIRD_PARTY, SRC_INFERRED } source_tag;
const char *source_tag_code(source_tag s);  /* "third-party" */
const char *source_tag_name(source_tag s);  /* "bên thứ ba" */

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

typedef struct framework {
	arena *mem;                       /* owns everything below */
	const char *file;
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

/* A directory of framework files (every .json file in it). */
typedef struct fw_catalog {
	framework **items; size_t n;
	buf errors;                       /* files that failed to load */
} fw_catalog;
void fw_catalog_load(fw_catalog *c, const char *dir);
const framework *fw_catalog_find(const fw_catalog *c, const char *id);
void fw_catalog_free(fw_catalog *c);
/* Directory of framework files: $CHISO_FRAMEWORKS, else ./frameworks, else
 * the installed share directory. */
const char *fw_default_dir(void);
#endif
