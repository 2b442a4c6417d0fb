/* chart.c — SVG bar and line charts. Positions are integers computed from
 * exact values (floor), so the same data always draws the same picture.
 * There is no viewBox: text is set in CSS pixels (FONT, SMALL) and keeps
 * that size on a phone, a desktop or A4 paper, while the bars, the axes
 * and the points are placed in percentages of the chart's width, so the
 * chart fills its card (the earlier 420-unit viewBox scaled its text with
 * the card: 10 px on a phone, capped at 45% of a desktop card). Row labels
 * sit on their own lines above their bars, wrapped onto a second line;
 * one longer than two lines loses words from its middle, never its start
 * or its end, where labels differ ("… — THCS"). */
#include "chart.h"
#include "html.h"
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The levels' colours keep their meaning across the site (red, amber, green,
 * grey); Mức 2's amber was #c98a00 (2.95:1) and "no level" #9aa4ae (2.53:1). */
const char *const chart_level_colors[4] = { "#b3261e", "#a86b00", "#1d7a3a", "#6b7580" };
const char *const chart_stage_colors[4] = { "#0b5cab", "#a86b00", "#1d7a3a", "#8e3a8e" };

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* "#rrggbb" → linear-light sRGB components; false if malformed */
static bool linear_rgb(const char *hex, double rgb[3])
{
	if (!hex || hex[0] != '#' || strlen(hex) != 7) return false;
	for (int i = 0; i < 3; i++) {
		int hi = hex_digit(hex[1 + 2 * i]), lo = hex_digit(hex[2 + 2 * i]);
		if (hi < 0 || lo < 0) return false;
		double c = (hi * 16 + lo) / 255.0;
		rgb[i] = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
	}
	return true;
}

double chart_luminance(const char *hex)
{
	double c[3];
	if (!linear_rgb(hex, c)) return -1;
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

double chart_contrast(const char *a, const char *b)
{
	double la = chart_luminance(a), lb = chart_luminance(b);
	if (la < 0 || lb < 0) return 0;
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static double lab_f(double t)
{
	return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static bool lab(const char *hex, chart_vision vision, double out[3])
{
	/* Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB */
	static const double m[3][3][3] = {
		{ { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
		{ { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
		{ { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
	};
	double c[3], s[3];
	if (!linear_rgb(hex, c)) return false;
	for (int i = 0; i < 3; i++) {
		double v = m[vision][i][0] * c[0] + m[vision][i][1] * c[1] + m[vision][i][2] * c[2];
		s[i] = v < 0 ? 0 : v > 1 ? 1 : v;
	}
	double x = (0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2]) / 0.95047;
	double y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
	double z = (0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2]) / 1.08883;
	out[0] = 116 * lab_f(y) - 16;
	out[1] = 500 * (lab_f(x) - lab_f(y));
	out[2] = 200 * (lab_f(y) - lab_f(z));
	return true;
}

double chart_distance(const char *a, const char *b, chart_vision vision)
{
	double la[3], lb[3];
	if (!lab(a, vision, la) || !lab(b, vision, lb)) return -1;
	return sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) + (la[2] - lb[2]) * (la[2] - lb[2]));
}

enum {
	FONT = 15, SMALL = 14, LINE_H = 19, BAR_H = 16, GAP = 12, PAD = 4,
	BAR_SPAN = 820,       /* bars run over 82.0% of the width, their numbers from 83.5% ("43,18%": ~46 px at 14 px) */
	LABEL_CHARS = 38,     /* per label line: ~290 px at 15 px, a 360 px phone's card */
	LEGEND_W = 290,       /* legend entries wrap as on that phone */
};

static int px(q part, q whole, int width)
{
	if (whole.n <= 0 || part.n <= 0) return 0;
	q v = q_div(q_mul(part, q_int(width)), whole);
	int64_t p = v.n / v.d;
	return p > width ? width : (int)p;
}

/* A position in tenths of a percent written as an attribute value "43.5%". */
static void pct(buf *out, int tenths)
{
	html_f(out, "%d.%d%%", tenths / 10, tenths % 10);
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Byte offset of character `n` of s (or its end). */
static size_t char_off(const char *s, size_t n)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n-- == 0) break;
	return i;
}

/* One line of a label into `line`: the label from byte `from` up to `to`,
 * after "…" when `cut`. */
static const char *line_text(buf *line, const char *s, size_t from, size_t to, bool cut)
{
	buf_reset(line);
	if (cut) buf_puts(line, "…");
	buf_append(line, s + from, to - from);
	return buf_str(line);
}

/* The label's lines (one or two of at most LABEL_CHARS characters, broken
 * at a space) as <tspan>s; what does not fit is cut from the middle of the
 * second line, which keeps the label's end. Returns the number of lines. */
static int label_tspans(buf *out, const char *s)
{
	size_t len = strlen(s);
	buf line;
	buf_init(&line);
	if (chars(s) <= LABEL_CHARS) {
		html_f(out, "<tspan x=\"%d\">%h</tspan>", PAD, s);
		buf_free(&line);
		return 1;
	}
	size_t lim = char_off(s, LABEL_CHARS), cut = 0;
	for (size_t i = 1; i < lim; i++)
		if (s[i] == ' ') cut = i;
	if (!cut) cut = lim;
	html_f(out, "<tspan x=\"%d\">%h</tspan>", PAD, line_text(&line, s, 0, cut, false));
	size_t rest = cut;
	while (s[rest] == ' ') rest++;
	size_t from = rest, nch = chars(s + rest);
	bool ell = nch > LABEL_CHARS;
	if (ell) {
		/* the end of the label, from a word's start when one comes soon enough */
		from = rest + char_off(s + rest, nch - (LABEL_CHARS - 1));
		for (size_t i = from; i < len && i < from + 12; i++)
			if (s[i - 1] == ' ' && s[i] != ' ') { from = i; break; }
	}
	html_f(out, "<tspan x=\"%d\" dy=\"%d\">%h</tspan>", PAD, LINE_H, line_text(&line, s, from, len, ell));
	buf_free(&line);
	return 2;
}

static int label_lines_of(const char *s)
{
	return chars(s) <= LABEL_CHARS ? 1 : 2;
}

static void svg_begin(buf *out, const char *title, int h)
{
	html_f(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%%\" height=\"%d\" role=\"img\">"
	            "<title>%h</title>", h, title);
}

/* The label's lines from y; returns the y under them. */
static int row_label(buf *out, int y, const char *label)
{
	html_f(out, "<text y=\"%d\" font-size=\"%d\"><title>%h</title>", y + FONT, FONT, label);
	int n = label_tspans(out, label);
	html_f(out, "</text>");
	return y + n * LINE_H + 4;
}

static int row_height(const char *label)
{
	return label_lines_of(label) * LINE_H + 4 + BAR_H + GAP;
}

/* Legend entries on as many lines as a phone needs (CSS pixels); returns
 * the height used. */
static int legend(buf *out, int y, const char *const *series, const char *const *colors, size_t nseries)
{
	int lx = PAD, ly = y + FONT;
	for (size_t s = 0; s < nseries; s++) {
		int w = 22 + (int)(chars(series[s]) * 8);
		if (lx > PAD && lx + w > LEGEND_W) { lx = PAD; ly += FONT + 8; }
		if (out)
			html_f(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%a\"/>"
			            "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%h</text>", lx, ly - 12, colors[s], lx + 19, ly, SMALL, series[s]);
		lx += w + 12;
	}
	return ly - y + 8;
}

static void bar_rect(buf *out, int x0, int w, int y, const char *color)
{
	html_f(out, "<rect x=\"");
	pct(out, x0);
	html_f(out, "\" y=\"%d\" width=\"", y);
	pct(out, w);
	html_f(out, "\" height=\"%d\" fill=\"%a\"", BAR_H, color);
}

void chart_stacked(buf *out, const char *title, const char *const *series, const char *const *colors, size_t nseries,
                   const chart_row *rows, size_t nrows)
{
	int h = PAD;
	for (size_t r = 0; r < nrows; r++) h += row_height(rows[r].label);
	int lh = legend(NULL, h, series, colors, nseries);
	svg_begin(out, title, h + lh + PAD);
	int y = PAD;
	for (size_t r = 0; r < nrows; r++) {
		q total = q_int(0);
		for (size_t s = 0; s < nseries; s++) total = q_add(total, rows[r].values[s]);
		int by = row_label(out, y, rows[r].label);
		q acc = q_int(0);
		for (size_t s = 0; s < nseries; s++) {
			/* position from the running sum, so rounding never leaves gaps */
			int x0 = px(acc, total, BAR_SPAN);
			acc = q_add(acc, rows[r].values[s]);
			int x1 = px(acc, total, BAR_SPAN);
			if (x1 > x0) {
				/* a white edge (1 px each side) parts adjacent segments,
				 * whose colours need not contrast with each other */
				bar_rect(out, x0, x1 - x0, by, colors[s]);
				html_f(out, " stroke=\"#ffffff\" stroke-width=\"2\"><title>%h: %q</title></rect>", series[s], rows[r].values[s]);
			}
		}
		html_f(out, "<text x=\"83.5%%\" y=\"%d\" font-size=\"%d\">%q</text>", by + BAR_H - 2, SMALL, total);
		y = by + BAR_H + GAP;
	}
	legend(out, y, series, colors, nseries);
	html_f(out, "</svg>");
}

void chart_percent_bars(buf *out, const char *title, const chart_row *rows, size_t nrows, int target)
{
	int h = PAD;
	for (size_t r = 0; r < nrows; r++) h += row_height(rows[r].label);
	svg_begin(out, title, h + PAD);
	int y = PAD;
	for (size_t r = 0; r < nrows; r++) {
		int by = row_label(out, y, rows[r].label);
		bar_rect(out, 0, BAR_SPAN, by, "#e3e7eb");
		html_f(out, "/>");
		bar_rect(out, 0, px(rows[r].values[0], q_int(100), BAR_SPAN), by, "#0b5cab");
		html_f(out, "/><text x=\"83.5%%\" y=\"%d\" font-size=\"%d\">%q%%</text>", by + BAR_H - 2, SMALL,
		       rows[r].values[0]);
		y = by + BAR_H + GAP;
	}
	if (target >= 0) {
		int x = px(q_int(target), q_int(100), BAR_SPAN);
		html_f(out, "<line x1=\"");
		pct(out, x);
		html_f(out, "\" y1=\"%d\" x2=\"", PAD);
		pct(out, x);
		html_f(out, "\" y2=\"%d\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"4 3\"><title>Chỉ tiêu %d%%</title></line>",
		       y, target);
	}
	html_f(out, "</svg>");
}

void chart_lines(buf *out, const char *title, const char *const *series, const char *const *colors, size_t nseries,
                 const chart_row *points, size_t npoints, q ymax)
{
	/* the plot from 12% to 97% of the width (tenths of a percent), PLOT_H px high */
	enum { LEFT = 120, RIGHT = 970, TOP = 12, PLOT_H = 180 };
	if (q_cmp(ymax, q_int(1)) < 0) ymax = q_int(1);
	int axis_y = TOP + PLOT_H;
	int lh = legend(NULL, 0, series, colors, nseries);
	svg_begin(out, title, axis_y + FONT + 14 + lh);
	/* axes: 0 and ymax on the left, the first and last day below */
	html_f(out, "<line x1=\"");
	pct(out, LEFT);
	html_f(out, "\" y1=\"%d\" x2=\"", TOP);
	pct(out, LEFT);
	html_f(out, "\" y2=\"%d\" stroke=\"#5f6b76\"/><line x1=\"", axis_y);
	pct(out, LEFT);
	html_f(out, "\" y1=\"%d\" x2=\"", axis_y);
	pct(out, RIGHT);
	html_f(out, "\" y2=\"%d\" stroke=\"#5f6b76\"/><line x1=\"", axis_y);
	pct(out, LEFT);
	html_f(out, "\" y1=\"%d\" x2=\"", TOP);
	pct(out, RIGHT);
	html_f(out, "\" y2=\"%d\" stroke=\"#d5dade\" stroke-dasharray=\"3 3\"/><text x=\"", TOP);
	pct(out, LEFT - 10);
	html_f(out, "\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">0</text><text x=\"", axis_y, SMALL);
	pct(out, LEFT - 10);
	html_f(out, "\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">%q</text>", TOP + SMALL - 3, SMALL, ymax);
	if (npoints) {
		html_f(out, "<text x=\"");
		pct(out, LEFT);
		html_f(out, "\" y=\"%d\" font-size=\"%d\">%h</text>", axis_y + FONT + 4, SMALL, points[0].label);
		if (npoints > 1) {
			html_f(out, "<text x=\"");
			pct(out, RIGHT);
			html_f(out, "\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">%h</text>", axis_y + FONT + 4, SMALL,
			       points[npoints - 1].label);
		}
	}
	for (size_t s = 0; s < nseries; s++) {
		int px0 = 0, py0 = 0;
		for (size_t i = 0; i < npoints; i++) {
			int x = LEFT + (npoints > 1 ? (int)(i * (size_t)(RIGHT - LEFT) / (npoints - 1)) : (RIGHT - LEFT) / 2);
			int y = axis_y - px(points[i].values[s], ymax, PLOT_H);
			if (i) {
				html_f(out, "<line x1=\"");
				pct(out, px0);
				html_f(out, "\" y1=\"%d\" x2=\"", py0);
				pct(out, x);
				html_f(out, "\" y2=\"%d\" stroke=\"%a\" stroke-width=\"2.5\"/>", y, colors[s]);
			}
			px0 = x;
			py0 = y;
		}
		for (size_t i = 0; i < npoints; i++) {
			int x = LEFT + (npoints > 1 ? (int)(i * (size_t)(RIGHT - LEFT) / (npoints - 1)) : (RIGHT - LEFT) / 2);
			int y = axis_y - px(points[i].values[s], ymax, PLOT_H);
			html_f(out, "<circle cx=\"");
			pct(out, x);
			html_f(out, "\" cy=\"%d\" r=\"3.5\" fill=\"%a\"><title>%h, %h: %q</title></circle>", y, colors[s], points[i].label,
			       series[s], points[i].values[s]);
		}
	}
	legend(out, axis_y + FONT + 10, series, colors, nseries);
	html_f(out, "</svg>");
}
