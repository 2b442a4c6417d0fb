/* fw_edit.h — the rule editor's work on a framework draft's JSON
 * (page_admin_fw_edit.c): one leaf's rule replaced from the form's fields,
 * the checks shown after every save (sums against the maxima, codes
 * unique, every unit type covered), and the sample answer sheets of the
 * preview. Pure: no I/O. */
#ifndef CHISO_FW_EDIT_H
#define CHISO_FW_EDIT_H
#include <jansson.h>
#include <stdbool.h>
#include "arena.h"
#include "buf.h"
#include "framework.h"
#include "score.h"

/* The form's fields, as typed (NULL or "" = not given). Numbers take a
 * decimal comma or point, at most 2 decimals. */
typedef struct fw_rule_form {
	const char *kind;          /* rule_kind_code */
	const char *source;        /* the reviewer's tag: official, seed, third-party, test */
	const char *points, *threshold, *compare, *unit, *mode, *measure;
	const char *options;       /* alternatives, tiered tiers: "code | label | points" a line */
	const char *components;    /* tiered: "code | label" a line */
	const char *deduction, *floor, *max;   /* tiered */
	const char *thresholds;    /* ratio_by_type: "tieu_hoc = 5" a line; no number = judged by hand */
	const char *dmeasure, *dlevel, *dof;   /* derived */
	const char *effect;        /* gate: "" (the set's policy), zero_group, flag_only */
} fw_rule_form;

/* The rule object the form describes (a new reference), or NULL with one
 * Vietnamese line per problem in err, naming the field. */
json_t *fw_edit_rule(const fw_rule_form *f, buf *err);
/* The node of `code` that carries a rule (borrowed), NULL when none. */
json_t *fw_edit_leaf(json_t *root, const char *code);
/* Replaces leaf `code`'s rule by `rule` (taken) and its source tag: the
 * rule's becomes `source`, the node's too when it was "inferred"; the
 * import's explanation of the inference is dropped from the note. False
 * (rule released) when there is no such leaf. */
bool fw_edit_set_rule(json_t *root, const char *code, json_t *rule, const char *source);

/* The editor's checks on a draft, each a list of Vietnamese lines (empty =
 * passed): sums (a group's or criterion's maximum against its children's,
 * the total's against the groups'), codes (unique among nodes, options
 * unique in a rule), unit types (the set names some; every ratio_by_type
 * rule has a threshold key for each). */
typedef struct fw_edit_checks {
	buf sums, codes, types;
	size_t inferred;           /* leaves whose rule is still inferred */
	size_t leaves;
} fw_edit_checks;
void fw_edit_check(json_t *root, fw_edit_checks *out);   /* out's bufs initialised here */
void fw_edit_checks_free(fw_edit_checks *c);

/* A sample answer sheet for the preview, in arena a: `full` answers every
 * leaf with what earns its maximum for unit type t (gates met, the best
 * option, a ratio at its threshold), else nothing is answered. */
void fw_edit_sample(const framework *fw, unit_type t, bool full, arena *a, answer_sheet *out);
#endif
