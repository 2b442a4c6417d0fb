/* q.h — helpers shared by the store modules (q_*.c): cleaning text at the
 * input boundary (UTF-8, NFC, trimmed, bounded) with Vietnamese messages,
 * growing result arrays in an arena, JSON for audit rows. No SQL here. */
#ifndef CHISO_Q_H
#define CHISO_Q_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "db.h"

/* Cleans one text field: must be valid UTF-8 without control characters
 * (tabs and newlines are allowed when multiline), is converted to NFC and
 * trimmed; an empty result counts as absent. When required and absent, or
 * longer than max bytes, sets DB_EINVAL on d with a message naming `label`
 * ("Tên đơn vị") and returns it. *out is malloc'd, or NULL when absent. */
int q_text(db *d, const char *label, const char *in, bool required, size_t max,
           bool multiline, char **out);

/* A date field "YYYY-MM-DD" (NULL or "" = absent). */
int q_date(db *d, const char *label, const char *in, bool required);

/* Makes room for one more element of `size` bytes in *arr (which holds *n,
 * with capacity *cap), copying into a bigger arena block when full. */
void q_grow(arena *a, void **arr, size_t *cap, size_t n, size_t size);

/* A JSON string, or null for NULL. */
json_t *q_json_str(const char *s);
#endif
