/* test_chart.c — the charts' colours (issue 20, item 4): each series colour
 * of the summary's charts at least 3:1 against the white card, the colours of
 * one chart far apart (also as someone with deuteranopia or protanopia sees
 * them), the WCAG contrast computation itself against known values, and the
 * white edge between adjacent segments of a stacked bar. */
#include "buf.h"
#include "chart.h"
#include "testutil.h"
#include <math.h>
#include <stdio.h>

static void test_contrast_known_values(void **state)
{
	(void)state;
	assert_true(fabs(chart_luminance("#000000") - 0) < 1e-9);
	assert_true(fabs(chart_luminance("#FFFFFF") - 1) < 1e-9);
	assert_true(fabs(chart_contrast("#000000", "#ffffff") - 21) < 1e-9);
	assert_true(fabs(chart_contrast("#ffffff", "#ffffff") - 1) < 1e-9);
	/* the measurements (WebAIM's checker gives the same to 2 places) */
	assert_true(fabs(chart_contrast("#c98a00", "#ffffff") - 2.95) < 0.01);
	assert_true(fabs(chart_contrast("#9aa4ae", "#ffffff") - 2.53) < 0.01);
	assert_true(fabs(chart_contrast("#767676", "#ffffff") - 4.54) < 0.01);   /* the AA grey */
	assert_true(fabs(chart_contrast("#ffffff", "#0b5cab") - chart_contrast("#0b5cab", "#ffffff")) < 1e-12);
	/* malformed colours are not silently "black" */
	assert_true(chart_luminance("#12345") < 0);
	assert_true(chart_luminance("123456") < 0);
	assert_true(chart_luminance("#12345g") < 0);
	assert_true(chart_luminance(NULL) < 0);
	assert_true(chart_contrast("red", "#ffffff") == 0);
	assert_true(chart_distance("#000000", "#ffffff", CHART_VISION_NORMAL) > 99.9);
	assert_true(chart_distance("#1d7a3a", "#1d7a3a", CHART_VISION_DEUTERANOPIA) < 1e-9);
	assert_true(chart_distance("#zzzzzz", "#ffffff", CHART_VISION_NORMAL) < 0);
}

static void check_palette(const char *const *colors, size_t n, const char *what)
{
	static const char *const vision[] = { "normal", "deuteranopia", "protanopia" };
	for (size_t i = 0; i < n; i++) {
		double c = chart_contrast(colors[i], "#ffffff");
		if (c < 3) fail_msg("%s colour %zu %s: %.2f:1 against white (3:1 needed)", what, i, colors[i], c);
		for (size_t k = i + 1; k < n; k++)
			for (int v = CHART_VISION_NORMAL; v <= CHART_VISION_PROTANOPIA; v++) {
				double d = chart_distance(colors[i], colors[k], (chart_vision)v);
				if (d < 10 || (v == CHART_VISION_NORMAL && d < 20))
					fail_msg("%s colours %s and %s too alike (%s): ΔE %.1f", what, colors[i], colors[k], vision[v], d);
			}
	}
}

static void test_palettes(void **state)
{
	(void)state;
	check_palette(chart_level_colors, 4, "level");
	check_palette(chart_stage_colors, 4, "stage");
	/* the site's fixed chart colours: the percentage bar and the target line */
	assert_true(chart_contrast("#0b5cab", "#ffffff") >= 3);
	assert_true(chart_contrast("#b3261e", "#ffffff") >= 3);
}

static void test_segments_separated(void **state)
{
	(void)state;
	static const char *const series[] = { "Mức 1", "Mức 2", "Mức 3", "Chưa có mức" };
	chart_row rows[] = { { "Tiểu học", { q_int(3), q_int(5), q_int(2), q_int(1) } } };
	buf b;
	buf_init(&b);
	chart_stacked(&b, "Số đơn vị theo mức", series, chart_level_colors, 4, rows, 1);
	const char *svg = buf_str(&b);
	size_t segments = 0;
	for (const char *p = svg; (p = strstr(p, "stroke=\"#ffffff\" stroke-width=\"2\"><title>")); p++) segments++;
	assert_int_equal(segments, 4);
	for (size_t i = 0; i < 4; i++) assert_contains(svg, chart_level_colors[i]);
	assert_contains(svg, "<title>Mức 2: 5</title>");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contrast_known_values),
		cmocka_unit_test(test_palettes),
		cmocka_unit_test(test_segments_separated),
	};
	return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
