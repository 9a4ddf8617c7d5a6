/* Differential graphs: two counts per frame (base, new). Colour says how a
 * frame's share changed, red grew, blue shrank, as Gregg's difffolded does:
 * by its self samples by default (the frame where time moved), by inclusive
 * samples on request. Normalized (default) compares each side's share of its
 * own total, so a longer recording alone changes nothing. */
#include <math.h>
#include <string.h>

#include "palette.h"
#include "render_int.h"
#include "svg.h"

static double self_value(const struct fg_tree *t, uint32_t node, int side)
{
	double v = fg_tree__value(t, node, side), kids = 0;
	const uint32_t *list;
	uint32_t n = fg_tree__children(t, node, &list), i;

	for (i = 0; i < n; i++)
		kids += fg_tree__value(t, list[i], side);
	return v > kids ? v - kids : 0;
}

static double share(const struct fg_tree *t, double v, int side)
{
	double total = fg_tree__total(t, side);

	return total > 0 ? v / total : 0;
}

/* The change of v (self or inclusive) from base to new: in fractions of each
 * side's total when normalizing, else in counts. */
static double delta(const struct fg_ctx *c, uint32_t node, bool self)
{
	double b = self ? self_value(c->t, node, FG_SIDE_BASE)
			: fg_tree__value(c->t, node, FG_SIDE_BASE);
	double n = self ? self_value(c->t, node, FG_SIDE_NEW)
			: fg_tree__value(c->t, node, FG_SIDE_NEW);

	if (c->o->diff_normalize)
		return share(c->t, n, FG_SIDE_NEW) - share(c->t, b, FG_SIDE_BASE);
	return n - b;
}

void fg_diff_prepare(struct fg_ctx *c)
{
	size_t i;

	c->max_delta = 0;
	for (i = 1; i < c->lay.n; i++) {
		double d = fabs(delta(c, c->lay.boxes[i].node, !c->o->diff_color_inclusive));

		if (d > c->max_delta)
			c->max_delta = d;
	}
}

struct fg_rgb fg_diff_color(const struct fg_ctx *c, const struct fg_box *b)
{
	if (b->node == 0 || !(c->max_delta > 0))
		return fg_palette__diff(0);
	return fg_palette__diff(delta(c, b->node, !c->o->diff_color_inclusive) / c->max_delta);
}

static void side_text(const struct fg_ctx *c, const char *label, uint32_t node, int side)
{
	char count[64];
	double v = fg_tree__value(c->t, node, side);

	fg_format_count(count, sizeof(count), v);
	fprintf(c->fp, "%s %s ", label, count);
	fg_svg_escape(c->fp, c->o->count_name, strlen(c->o->count_name));
	if (c->o->diff_normalize)
		fprintf(c->fp, " %.2f%%", 100 * share(c->t, v, side));
}

static void delta_text(const struct fg_ctx *c, const char *label, uint32_t node, bool self)
{
	double d = delta(c, node, self);
	char count[64];

	if (c->o->diff_normalize) {
		fprintf(c->fp, ", %s %+.2f pp", label, 100 * d);
		return;
	}
	fg_format_count(count, sizeof(count), d);
	fprintf(c->fp, ", %s %s%s", label, d >= 0 ? "+" : "", count);
}

/* " (base N samples P%, new N samples P%, delta +D pp, self +S pp)": no " ("
 * inside, so the script finds the name before the last one. */
void fg_diff_title(const struct fg_ctx *c, const struct fg_box *b)
{
	fputs(" (", c->fp);
	side_text(c, "base", b->node, FG_SIDE_BASE);
	fputs(", ", c->fp);
	side_text(c, "new", b->node, FG_SIDE_NEW);
	if (b->node != 0) {
		delta_text(c, "delta", b->node, false);
		delta_text(c, "self", b->node, true);
	}
	fputc(')', c->fp);
}
