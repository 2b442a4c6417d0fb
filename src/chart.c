/* chart.c — SVG bar charts. Pixel positions are integers computed from
 * exact values (floor), so the same data always draws the same picture. */
#include "chart.h"
#include "html.h"
#include <stdint.h>

enum { LABEL_W = 220, BAR_W = 440, ROW_H = 26, PAD = 6 };

static int px(q part, q whole, int width)
{
	if (whole.n <= 0 || part.n <= 0) return 0;
	q v = q_div(q_mul(part, q_int(width)), whole);
	int64_t p = v.n / v.d;
	return p > width ? width : (int)p;
}

/* A label cut to what fits beside the bars (the whole text is in the
 * row's <title> and in the table underneath). */
static const char *short_label(buf *tmp, const char *s)
{
	enum { MAX_CHARS = 30 };
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

static void svg_begin(buf *out, const char *title, size_t nrows, int extra)
{
	int h = (int)nrows * ROW_H + 2 * PAD + extra;
	html_f(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">"
	            "<title>%h</title>", LABEL_W + BAR_W + 60, h, title);
}

void chart_stacked(buf *out, const char *title, const char *const *series, const char *const *colors, size_t nseries,
                   const chart_row *rows, size_t nrows)
{
	svg_begin(out, title, nrows, 22);
	for (size_t r = 0; r < nrows; r++) {
		int y = PAD + (int)r * ROW_H;
		q total = q_int(0);
		for (size_t s = 0; s < nseries; s++) total = q_add(total, rows[r].values[s]);
		buf tmp;
		buf_init(&tmp);
		html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"end\"><title>%h</title>%h</text>", LABEL_W - 8, y + 17,
		       rows[r].label, short_label(&tmp, rows[r].label));
		buf_free(&tmp);
		int x = LABEL_W;
		q acc = q_int(0);
		for (size_t s = 0; s < nseries; s++) {
			/* position from the running sum, so rounding never leaves gaps */
			int x0 = LABEL_W + px(acc, total, BAR_W);
			acc = q_add(acc, rows[r].values[s]);
			int x1 = LABEL_W + px(acc, total, BAR_W);
			if (x1 > x0)
				html_f(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%a\"><title>%h: %q</title></rect>",
				       x0, y + 3, x1 - x0, ROW_H - 8, colors[s], series[s], rows[r].values[s]);
			x = x1;
		}
		html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%q</text>", x + 6, y + 17, total);
	}
	/* legend */
	int ly = PAD + (int)nrows * ROW_H + 14, lx = LABEL_W;
	for (size_t s = 0; s < nseries; s++) {
		html_f(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%a\"/>"
		            "<text x=\"%d\" y=\"%d\" font-size=\"12\">%h</text>", lx, ly - 10, colors[s], lx + 16, ly, series[s]);
		lx += 110;
	}
	html_f(out, "</svg>");
}

void chart_percent_bars(buf *out, const char *title, const chart_row *rows, size_t nrows, int target)
{
	svg_begin(out, title, nrows, 0);
	for (size_t r = 0; r < nrows; r++) {
		int y = PAD + (int)r * ROW_H;
		int w = px(rows[r].values[0], q_int(100), BAR_W);
		buf tmp;
		buf_init(&tmp);
		html_f(out, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"end\"><title>%h</title>%h</text>"
		            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e3e7eb\"/>"
		            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0b5cab\"/>"
		            "<text x=\"%d\" y=\"%d\" font-size=\"12\">%q%%</text>",
		       LABEL_W - 8, y + 17, rows[r].label, short_label(&tmp, rows[r].label), LABEL_W, y + 3, BAR_W, ROW_H - 8,
		       LABEL_W, y + 3, w, ROW_H - 8, LABEL_W + BAR_W + 6, y + 17, rows[r].values[0]);
		buf_free(&tmp);
	}
	if (target >= 0) {
		int x = LABEL_W + px(q_int(target), q_int(100), BAR_W);
		html_f(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"4 3\">"
		            "<title>Chỉ tiêu %d%%</title></line>", x, PAD, x, PAD + (int)nrows * ROW_H, target);
	}
	html_f(out, "</svg>");
}
