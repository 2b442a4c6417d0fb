/* answers.h — reading an answer sheet (JSON keyed by item code) into the
 * typed answers the scoring engine takes, checking every value against the
 * framework. Pure: the caller reads the file. */
#ifndef CHISO_ANSWERS_H
#define CHISO_ANSWERS_H
#include "score.h"
#include <jansson.h>

typedef struct answers_opts {
	bool partial;            /* allow required items to be unanswered (work in progress) */
	bool type_given;         /* unit type from the command line; else from the sheet */
	unit_type type;
} answers_opts;

/* Parse `text` into `sheet` (allocated in `a`). Returns false with one line
 * per problem in err ("FILE: CODE: what is wrong"). On success *type holds
 * the unit type (from opts or the sheet). */
bool answers_parse(const framework *fw, const char *text, size_t len, const char *file,
                   const answers_opts *opts, arena *a, answer_sheet *sheet, unit_type *type, buf *err);
/* Parse and check one leaf's answer given as JSON text (the stored form
 * of an answer, e.g. "true" or {"num":45,"den":60}) for unit type t. On
 * failure returns false with "CODE: what is wrong" lines in err; "null"
 * gives an absent answer. */
bool answers_parse_one(const framework *fw, unit_type t, const fw_node *leaf, const char *value_json,
                       arena *a, answer *out, buf *err);
/* The one stored form of leaf's answer v, whichever surface it came from
 * (the form, the JSON API, the service): compact JSON with sorted keys, a
 * text answer as {"text": "…"} (a plain string is accepted, stored so), as
 * the API documents it and returns it, so that the same answer is the same
 * stored value, version and seal. Caller frees; NULL only when out of
 * memory. */
char *answers_stored_json(const fw_node *leaf, json_t *v);
#endif
