/* The banner under the title: the Go runtime families and user highlights,
 * each a colour swatch (the legend) and its inclusive share (runtime_share.h).
 * A differential graph colours frames by change, not by family: its banner
 * keys red and blue instead and gives each share as base -> new. */
#include <string.h>

#include "palette.h"
#include "render_int.h"
#include "svg.h"

static const char lead[] = "Inclusive share of samples:";

/* item->family for the differential colour key */
#define KEY_GREW (-2)
#define KEY_SHRANK (-3)

static const char *const family_ids[RT_FAMILY__COUNT] = {
	[RT_SCHEDULE] = "share-schedule",
	[RT_GC_WORKER] = "share-gcworker",
	[RT_GC_ASSIST] = "share-gcassist",
};

static unsigned item_bit(const struct fg_banner_item *it)
{
	return it->family >= 0 ? (unsigned)it->family : RT_FAMILY__COUNT + (unsigned)it->highlight;
}

/* The item's text, unescaped (the writer escapes it). */
static void item_label(const struct fg_ctx *c, const struct fg_banner_item *it, char *buf,
		       size_t size)
{
	const struct rt_classifier *cls = fg_tree__classifier(c->t);
	unsigned bit = item_bit(it);
	char name[256];
	const struct rt_share *base = fg_tree__share(c->t, FG_SIDE_BASE);

	if (it->family == KEY_GREW || it->family == KEY_SHRANK) {
		snprintf(buf, size, "%s (%s share)", it->family == KEY_GREW ? "grew" : "shrank",
			 c->o->diff_color_inclusive ? "inclusive" : "self");
		return;
	}
	if (it->family >= 0)
		snprintf(name, sizeof(name), "%s", rt_family__name(it->family));
	else
		snprintf(name, sizeof(name), "/%s/", rt_classifier__highlight(cls, it->highlight));
	if (!c->diff) {
		snprintf(buf, size, "%s %.2f%%", name, 100 * rt_share__fraction(base, bit));
	} else if (c->o->diff_normalize) {
		double b = 100 * rt_share__fraction(base, bit);
		double n = 100 * rt_share__fraction(fg_tree__share(c->t, FG_SIDE_NEW), bit);

		snprintf(buf, size, "%s %.2f%% \xe2\x86\x92 %.2f%% (%+.2f pp)", name, b, n, n - b);
	} else {
		char b[64], n[64], d[64];
		double bv = base->sum[bit], nv = fg_tree__share(c->t, FG_SIDE_NEW)->sum[bit];

		fg_format_count(b, sizeof(b), bv);
		fg_format_count(n, sizeof(n), nv);
		fg_format_count(d, sizeof(d), nv - bv);
		snprintf(buf, size, "%s %s \xe2\x86\x92 %s (%s%s)", name, b, n, nv >= bv ? "+" : "",
			 d);
	}
}

static bool any_family(const struct fg_ctx *c)
{
	int side, f;

	for (side = 0; side < (c->diff ? 2 : 1); side++)
		for (f = 0; f < RT_FAMILY__COUNT; f++)
			if (fg_tree__share(c->t, side)->sum[f] > 0)
				return true;
	return false;
}

void fg_banner__plan(struct fg_banner *b, const struct fg_ctx *c)
{
	const struct rt_classifier *cls = fg_tree__classifier(c->t);
	size_t nhl = cls ? rt_classifier__highlights(cls) : 0, i;
	/* Legend text runs wider than frame labels' estimate in common fonts:
	 * leave room rather than overlap. */
	double glyph = c->o->font_size * c->o->font_width * 1.1;
	double x, right = c->o->width - 10.0;
	char label[1024];

	memset(b, 0, sizeof(*b));
	if (!c->o->banner)
		return;
	if (c->diff) {
		b->items[b->n++] = (struct fg_banner_item){ KEY_GREW, 0, 0, 0 };
		b->items[b->n++] = (struct fg_banner_item){ KEY_SHRANK, 0, 0, 0 };
	}
	if (any_family(c))
		for (i = 0; i < RT_FAMILY__COUNT; i++)
			b->items[b->n++] = (struct fg_banner_item){ (int)i, 0, 0, 0 };
	for (i = 0; i < nhl && b->n < FG_BANNER_MAX_ITEMS; i++)
		b->items[b->n++] = (struct fg_banner_item){ -1, i, 0, 0 };
	if (!b->n)
		return;
	b->rows = 1;
	x = 10.0 + (sizeof(lead) - 1 + 2) * glyph;
	for (i = 0; i < b->n; i++) {
		double w;

		item_label(c, &b->items[i], label, sizeof(label));
		/* swatch, gap, text, gap before the next item */
		w = c->o->font_size + 4 + fg_utf8_chars(label, strlen(label)) * glyph +
		    2.5 * c->o->font_size;
		if (x + w > right && x > 10.0 + (sizeof(lead) + 1) * glyph) {
			b->rows++;
			x = 10.0 + (sizeof(lead) - 1 + 2) * glyph;
		}
		b->items[i].x = x;
		b->items[i].row = b->rows - 1;
		x += w;
	}
}

static void write_item_title(const struct fg_ctx *c, const struct fg_banner_item *it)
{
	const struct rt_classifier *cls = fg_tree__classifier(c->t);
	unsigned bit = item_bit(it);
	FILE *fp = c->fp;
	int side;

	fputs("<title>", fp);
	if (it->family >= 0) {
		fputs("stacks containing any of ", fp);
		fg_svg_escape(fp, rt_family__members(it->family),
			      strlen(rt_family__members(it->family)));
	} else {
		const char *re = rt_classifier__highlight(cls, it->highlight);

		fputs("stacks with a frame matching /", fp);
		fg_svg_escape(fp, re, strlen(re));
		fputc('/', fp);
	}
	for (side = 0; side < (c->diff ? 2 : 1); side++) {
		const struct rt_share *s = fg_tree__share(c->t, side);
		char part[64], total[64];

		fg_format_count(part, sizeof(part), s->sum[bit]);
		fg_format_count(total, sizeof(total), s->total);
		fprintf(fp, "%s%s%s of %s ", side ? "; " : ": ",
			c->diff ? (side ? "new " : "base ") : "", part, total);
		fg_svg_escape(fp, c->o->count_name, strlen(c->o->count_name));
	}
	fputs("</title>", fp);
}

void fg_banner__write(const struct fg_banner *b, const struct fg_ctx *c)
{
	double fs = c->o->font_size;
	FILE *fp = c->fp;
	char label[1024];
	size_t i;

	if (!b->n)
		return;
	fputs("<g id=\"banner\">\n", fp);
	fprintf(fp, "<text x=\"10.00\" y=\"%.2f\">%s</text>\n", c->g.banner_top + fs + 2, lead);
	for (i = 0; i < b->n; i++) {
		const struct fg_banner_item *it = &b->items[i];
		double top = c->g.banner_top + it->row * c->g.banner_row;
		bool key = it->family == KEY_GREW || it->family == KEY_SHRANK;
		struct fg_rgb rgb = key ? fg_palette__diff(it->family == KEY_GREW ? 1 : -1)
				    : it->family >= 0 ? fg_palette__family(it->family)
						      : fg_palette__highlight(it->highlight);

		if (key)
			fprintf(fp, "<g id=\"key-%s\">",
				it->family == KEY_GREW ? "grew" : "shrank");
		else if (it->family >= 0)
			fprintf(fp, "<g id=\"%s\">", family_ids[it->family]);
		else
			fprintf(fp, "<g id=\"share-highlight-%zu\">", it->highlight);
		if (!key)
			write_item_title(c, it);
		/* In a differential graph frames are not in family colours. */
		if (key || !c->diff)
			fprintf(fp,
				"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
				"fill=\"rgb(%u,%u,%u)\" rx=\"2\" ry=\"2\"/>",
				it->x, top + 4, fs, fs, rgb.r, rgb.g, rgb.b);
		item_label(c, it, label, sizeof(label));
		fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\">", it->x + fs + 4, top + fs + 2);
		fg_svg_escape(fp, label, strlen(label));
		fputs("</text></g>\n", fp);
	}
	fputs("</g>\n", fp);
}
