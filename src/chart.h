/* chart.h — server-drawn SVG charts through the escaping writer: readable
 * without JavaScript and when printed. Each chart has a <title> and the
 * page shows its table underneath. Text is in CSS pixels (15 and 14, the
 * page's font) and keeps that size on a phone, a desktop or paper; bars,
 * axes and points are in percentages of the chart's width, which is the
 * card's (CSS caps it on wide screens). Each label sits on one or two lines
 * above its bar, cut only in its middle when longer. */
#ifndef CHISO_CHART_H
#define CHISO_CHART_H
#include "buf.h"
#include "exact.h"

enum { CHART_MAX_SERIES = 6 };

typedef struct chart_row {
	const char *label;
	q values[CHART_MAX_SERIES];       /* stacked: counts; bars: a percentage in values[0] */
} chart_row;

/* The palettes (#rrggbb): every colour at least 3:1 against the white card
 * (WCAG 1.4.11, graphics) and far from the others (CIE76 ΔE ≥ 20, also as
 * seen with deuteranopia and protanopia); test_chart.c checks them. */
extern const char *const chart_level_colors[4];   /* Mức 1, Mức 2, Mức 3, no level */
extern const char *const chart_stage_colors[4];   /* submitted, evaluated, recognised, published */

/* WCAG 2 relative luminance of "#rrggbb" (0 black … 1 white; -1 if malformed),
 * the contrast ratio of two colours (1 … 21; 0 if either is malformed), and
 * the CIE76 distance of two colours in CIELAB (D65), optionally as someone
 * with a red-green colour vision deficiency sees them (Machado et al. 2009,
 * severity 1). */
typedef enum chart_vision { CHART_VISION_NORMAL, CHART_VISION_DEUTERANOPIA, CHART_VISION_PROTANOPIA } chart_vision;
double chart_luminance(const char *hex);
double chart_contrast(const char *a, const char *b);
double chart_distance(const char *a, const char *b, chart_vision vision);

/* Horizontal stacked bars, each row scaled to its own total (shares). */
void chart_stacked(buf *out, const char *title, const char *const *series, const char *const *colors,
                   size_t nseries, const chart_row *rows, size_t nrows);
/* Horizontal bars of percentages 0–100, with an optional target mark
 * (target < 0: none). */
void chart_percent_bars(buf *out, const char *title, const chart_row *rows, size_t nrows, int target);
/* Lines over time: npoints points (x labels, e.g. dates "21/02"), each
 * with nseries values (rows[i].values[s]); the y axis from 0 to `ymax`
 * (at least 1). Dots mark each point, so one point is still visible. */
void chart_lines(buf *out, const char *title, const char *const *series, const char *const *colors,
                 size_t nseries, const chart_row *points, size_t npoints, q ymax);
#endif
