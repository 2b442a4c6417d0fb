/* chart.c — SVG bar and line charts. Pixel positions are integers computed
 * from exact values (floor), so the same data always draws the same
 * picture. The viewBox is narrow (VIEW_W) and every label sits on its own
 * line above its bar: on a 360 px phone the chart is drawn about 330 px
 * wide, so a font-size of 16 in the viewBox is still ~12.5 px there (the
 * earlier 720-unit layout with labels beside the bars came out at 6 px). */
#include "chart.h"
#include "html.h"
#include <stdint.h>

enum { VIEW_W = 420, PAD = 6, BAR_W = 340, BAR_H = 16, ROW_H = 46, FONT = 16, SMALL = 15 };

static int px(q part, q whole, int width)
{
	if (whole.n <= 0 || part.n <= 0) return 0;
	q v = q_div(q_mul(part, q_int(width)), whole);
	int64_t p = v.n / v.d;
	return p > width ? width : (int)p;
}

/* A label cut to what fits on its line (the whole text is in the row's
 * <title> and in the table underneath). */
static const char *short_label(buf *tmp, const char *s)
{
	enum { MAX_CHARS = 44 };
	buf_reset(tmp);
	size_t chars = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		if (chars == MAX_CHARS - 1 && p[len]) { buf_puts(tmp, "…"); break; }
		buf_append(tmp, (const char *)p, len);
		p += len;
		chars++;
	}
	return buf_str(tmp);
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void svg_begin(buf *out, const char *title, int h)
{
	html_f(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\""
	            " font-family=\"sans-serif\"><title>%h</title>", VIEW_W, h, title);
}

static void row_label(buf *out, int y, const char *label)
{
	buf tmp;
	buf_init(&tmp);
	html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"%d\"><title>%h</title>%h</text>", PAD, y + FONT, FONT, label,
	       short_label(&tmp, label));
	buf_free(&tmp);
}

/* Legend entries on as many lines as they need; returns the height used. */
static int legend(buf *out, int y, const char *const *series, const char *const *colors, size_t nseries)
{
	int lx = PAD, ly = y + FONT;
	for (size_t s = 0; s < nseries; s++) {
		int w = 24 + (int)(chars(series[s]) * 9);
		if (lx > PAD && lx + w > VIEW_W) { lx = PAD; ly += FONT + 8; }
		html_f(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%a\"/>"
		            "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%h</text>", lx, ly - 13, colors[s], lx + 19, ly, SMALL, series[s]);
		lx += w + 12;
	}
	return ly - y + 8;
}

static int legend_height(const char *const *series, size_t nseries)
{
	int lx = PAD, h = FONT + 8;
	for (size_t s = 0; s < nseries; s++) {
		int w = 24 + (int)(chars(series[s]) * 9);
		if (lx > PAD && lx + w > VIEW_W) { lx = PAD; h += FONT + 8; }
		lx += w + 12;
	}
	return h;
}

void chart_stacked(buf *out, const char *title, const char *const *series, const char *const *colors, size_t nseries,
                   const chart_row *rows, size_t nrows)
{
	int lh = legend_height(series, nseries);
	svg_begin(out, title, (int)nrows * ROW_H + 2 * PAD + lh);
	for (size_t r = 0; r < nrows; r++) {
		int y = PAD + (int)r * ROW_H;
		q total = q_int(0);
		for (size_t s = 0; s < nseries; s++) total = q_add(total, rows[r].values[s]);
		row_label(out, y, rows[r].label);
		int by = y + FONT + 6, x = PAD;
		q acc = q_int(0);
		for (size_t s = 0; s < nseries; s++) {
			/* position from the running sum, so rounding never leaves gaps */
			int x0 = PAD + px(acc, total, BAR_W);
			acc = q_add(acc, rows[r].values[s]);
			int x1 = PAD + px(acc, total, BAR_W);
			if (x1 > x0)
				html_f(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%a\"><title>%h: %q</title></rect>",
				       x0, by, x1 - x0, BAR_H, colors[s], series[s], rows[r].values[s]);
			x = x1;
		}
		html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%q</text>", x + 6, by + BAR_H - 2, SMALL, total);
	}
	legend(out, PAD + (int)nrows * ROW_H, series, colors, nseries);
	html_f(out, "</svg>");
}

void chart_percent_bars(buf *out, const char *title, const chart_row *rows, size_t nrows, int target)
{
	svg_begin(out, title, (int)nrows * ROW_H + 2 * PAD);
	for (size_t r = 0; r < nrows; r++) {
		int y = PAD + (int)r * ROW_H, by = y + FONT + 6;
		int w = px(rows[r].values[0], q_int(100), BAR_W);
		row_label(out, y, rows[r].label);
		html_f(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e3e7eb\"/>"
		            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0b5cab\"/>"
		            "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%q%%</text>",
		       PAD, by, BAR_W, BAR_H, PAD, by, w, BAR_H, PAD + BAR_W + 4, by + BAR_H - 2, SMALL, rows[r].values[0]);
	}
	if (target >= 0) {
		int x = PAD + px(q_int(target), q_int(100), BAR_W);
		html_f(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"4 3\">"
		            "<title>Chỉ tiêu %d%%</title></line>", x, PAD, x, PAD + (int)nrows * ROW_H, target);
	}
	html_f(out, "</svg>");
}

void chart_lines(buf *out, const char *title, const char *const *series, const char *const *colors, size_t nseries,
                 const chart_row *points, size_t npoints, q ymax)
{
	enum { LEFT = 48, TOP = 10, PLOT_W = VIEW_W - LEFT - 14, PLOT_H = 180 };
	if (q_cmp(ymax, q_int(1)) < 0) ymax = q_int(1);
	int lh = legend_height(series, nseries);
	int axis_y = TOP + PLOT_H;
	svg_begin(out, title, axis_y + FONT + 14 + lh);
	/* axes: 0 and ymax on the left, the first and last day below */
	html_f(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5f6b76\"/>"
	            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5f6b76\"/>"
	            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d5dade\" stroke-dasharray=\"3 3\"/>"
	            "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">0</text>"
	            "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">%q</text>",
	       LEFT, TOP, LEFT, axis_y, LEFT, axis_y, LEFT + PLOT_W, axis_y, LEFT, TOP, LEFT + PLOT_W, TOP,
	       LEFT - 4, axis_y, SMALL, LEFT - 4, TOP + SMALL - 3, SMALL, ymax);
	if (npoints) {
		html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%h</text>", LEFT, axis_y + FONT + 4, SMALL, points[0].label);
		if (npoints > 1)
			html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">%h</text>", LEFT + PLOT_W,
			       axis_y + FONT + 4, SMALL, points[npoints - 1].label);
	}
	for (size_t s = 0; s < nseries; s++) {
		html_f(out, "<polyline fill=\"none\" stroke=\"%a\" stroke-width=\"2.5\" points=\"", colors[s]);
		for (size_t i = 0; i < npoints; i++) {
			int x = LEFT + (npoints > 1 ? (int)(i * (size_t)PLOT_W / (npoints - 1)) : PLOT_W / 2);
			int y = axis_y - px(points[i].values[s], ymax, PLOT_H);
			html_f(out, i ? " %d,%d" : "%d,%d", x, y);
		}
		html_f(out, "\"/>");
		for (size_t i = 0; i < npoints; i++) {
			int x = LEFT + (npoints > 1 ? (int)(i * (size_t)PLOT_W / (npoints - 1)) : PLOT_W / 2);
			int y = axis_y - px(points[i].values[s], ymax, PLOT_H);
			html_f(out, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"%a\"><title>%h, %h: %q</title></circle>", x, y, colors[s],
			       points[i].label, series[s], points[i].values[s]);
		}
	}
	legend(out, axis_y + FONT + 10, series, colors, nseries);
	html_f(out, "</svg>");
}
