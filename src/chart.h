/* chart.h — server-drawn SVG charts through the escaping writer: readable
 * without JavaScript and when printed. Each chart has a <title> and the
 * page shows its table underneath. */
#ifndef CHISO_CHART_H
#define CHISO_CHART_H
#include "buf.h"
#include "exact.h"

enum { CHART_MAX_SERIES = 6 };

typedef struct chart_row {
	const char *label;
	q values[CHART_MAX_SERIES];       /* stacked: counts; bars: a percentage in values[0] */
} chart_row;

/* Horizontal stacked bars, each row scaled to its own total (shares). */
void chart_stacked(buf *out, const char *title, const char *const *series, const char *const *colors,
                   size_t nseries, const chart_row *rows, size_t nrows);
/* Horizontal bars of percentages 0–100, with an optional target mark
 * (target < 0: none). */
void chart_percent_bars(buf *out, const char *title, const chart_row *rows, size_t nrows, int target);
#endif
