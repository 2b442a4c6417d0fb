/* sign_look.c — a visible signature's appearance as PDF paths (sign_look.h). */
#include "sign_look.h"
#include "doc.h"
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>

enum { LOOK_PT_MAX = 10, LOOK_PT_MIN = 6 };
static const double LOOK_PAD = 4.0;   /* points between the frame and the text */

/* A number for a content stream: two decimals, '.' whatever the locale. */
static void num(buf *out, double v)
{
	long long c = llround(v * 100);
	if (c < 0) { buf_putc(out, '-'); c = -c; }
	buf_printf(out, "%lld.%02lld ", c / 100, c % 100);
}

static PangoLayout *look_layout(cairo_t *cr, const char *text, int pt, double w)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(l), fo);
	cairo_font_options_destroy(fo);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, DOC_FONT_PDF);
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, text, -1);
	return l;
}

/* The path cairo holds, flipped into the box (PDF's y goes up). */
static void emit_path(buf *out, const cairo_path_t *path, double h)
{
	for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
		const cairo_path_data_t *d = &path->data[i];
		switch (d->header.type) {
		case CAIRO_PATH_MOVE_TO: num(out, d[1].point.x); num(out, h - d[1].point.y); buf_puts(out, "m\n"); break;
		case CAIRO_PATH_LINE_TO: num(out, d[1].point.x); num(out, h - d[1].point.y); buf_puts(out, "l\n"); break;
		case CAIRO_PATH_CURVE_TO:
			for (int k = 1; k <= 3; k++) { num(out, d[k].point.x); num(out, h - d[k].point.y); }
			buf_puts(out, "c\n");
			break;
		case CAIRO_PATH_CLOSE_PATH: buf_puts(out, "h\n"); break;
		}
	}
}

void sign_look_stream(const char *const *lines, size_t n, double w, double h, buf *out)
{
	buf text;
	buf_init(&text);
	for (size_t i = 0; i < n; i++) if (lines[i] && lines[i][0]) buf_printf(&text, "%s%s", text.len ? "\n" : "", lines[i]);
	cairo_surface_t *rs = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(rs);
	double tw = w - 2 * LOOK_PAD;
	PangoLayout *l = NULL;
	int lw = 0, lh = 0;
	for (int pt = LOOK_PT_MAX; pt >= LOOK_PT_MIN; pt--) {
		if (l) g_object_unref(l);
		l = look_layout(cr, buf_str(&text), pt, tw);
		pango_layout_get_size(l, &lw, &lh);
		if ((double)lh / PANGO_SCALE <= h - 2 * LOOK_PAD) break;
	}
	cairo_move_to(cr, LOOK_PAD, (h - (double)lh / PANGO_SCALE) / 2);
	pango_cairo_layout_path(cr, l);
	cairo_path_t *path = cairo_copy_path(cr);
	/* a dark blue frame and text, the colour of a signature stamp */
	buf_puts(out, "q\n0.08 0.2 0.55 RG 0.08 0.2 0.55 rg 0.8 w\n");
	num(out, 0.4); num(out, 0.4); num(out, w - 0.8); num(out, h - 0.8); buf_puts(out, "re S\n");
	emit_path(out, path, h);
	buf_puts(out, "f\nQ\n");
	cairo_path_destroy(path);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_destroy(rs);
	buf_free(&text);
}
