/* json_out.h — a jansson value written into a buf exactly as
 * json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
 * writes it, without json_dumps's per-fragment callbacks and reallocations
 * (issue 19: the save's reply was a third of its CPU in json_dumps).
 * test/unit/test_json_out.c checks the two agree byte for byte. */
#ifndef CHISO_JSON_OUT_H
#define CHISO_JSON_OUT_H
#include "buf.h"
#include <jansson.h>
#include <stdbool.h>

/* Appends v to b; false (b then holds a partial text) on what json_dumps
 * refuses too: NaN or infinite reals. */
bool json_out(buf *b, const json_t *v);
#endif
