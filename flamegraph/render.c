/* The SVG writer: page geometry, header, controls, frames, embedded script.
 * The banner/legend lives in banner.c. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "flamegraph.h"
#include "layout.h"
#include "render_int.h"
#include "svg.h"
#include "thread.h"

extern const char fg_asset_flamegraph_js[];
extern const size_t fg_asset_flamegraph_js_len;
extern const char fg_asset_flamegraph_css[];
extern const size_t fg_asset_flamegraph_css_len;

#define XPAD 10.0
#define FRAME_PAD 1.0

void fg_opts__init(struct fg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->width = 1200;
	o->frame_height = 16;
	o->font_size = 12;
	o->font_type = "Verdana";
	o->font_width = 0.59;
	o->min_width = 0.1;
	o->count_name = "samples";
	o->palette = FG_PALETTE_GO;
	o->banner = true;
	o->scripts = true;
	o->diff_normalize = true;
}

static bool opts_valid(const struct fg_opts *o)
{
	return o->width >= 100 && o->width <= 1000000 && o->frame_height >= 4 &&
	       o->frame_height <= 1000 && o->font_size > 0 && o->font_size <= 200 &&
	       o->font_width > 0 && o->font_width <= 10 && o->min_width >= 0 &&
	       isfinite(o->min_width) && (unsigned)o->palette < FG_PALETTE__COUNT &&
	       (!o->min_width_percent || o->min_width <= 100) && o->count_name;
}

static double round1(double v)
{
	return round(v * 10) / 10;
}

/* ---- page ---------------------------------------------------------------- */

static void set_geometry(struct fg_ctx *c, unsigned banner_rows)
{
	struct fg_geom *g = &c->g;
	const struct fg_opts *o = c->o;

	g->width = o->width;
	g->xpad = XPAD;
	g->fh = o->frame_height;
	g->fs = o->font_size;
	g->banner_row = o->font_size + 8;
	g->banner_top = o->font_size * 3 + (o->subtitle ? o->font_size * 2 : 0);
	g->top = g->banner_top + banner_rows * g->banner_row + (banner_rows ? 4 : 0);
	g->bottom = o->font_size * 2 + 10;
	g->height = (c->lay.max_depth + 1) * g->fh + g->top + g->bottom;
	g->wpt = c->total > 0 ? (g->width - 2 * XPAD) / c->total : 0;
}

/* The font family with anything that could leave the CSS value removed. */
static void write_font(FILE *fp, const char *font)
{
	for (; font && *font; font++)
		if ((*font >= 'a' && *font <= 'z') || (*font >= 'A' && *font <= 'Z') ||
		    (*font >= '0' && *font <= '9') || strchr(" ,._'\"-", *font))
			fputc(*font == '"' ? '\'' : *font, fp);
}

static void write_style(struct fg_ctx *c)
{
	FILE *fp = c->fp;

	fputs("<defs>\n<linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">\n",
	      fp);
	fprintf(fp,
		"<stop stop-color=\"%s\" offset=\"5%%\"/>\n<stop stop-color=\"%s\" "
		"offset=\"95%%\"/>\n</linearGradient>\n</defs>\n",
		c->diff ? "#f2f2f2" : "#eeeeee", c->diff ? "#dcdcdc" : "#eeeeb0");
	fputs("<style type=\"text/css\"><![CDATA[\n", fp);
	fputs("text { font-family: ", fp);
	write_font(fp, c->o->font_type);
	fprintf(fp,
		", sans-serif; font-size: %.4gpx; fill: rgb(0,0,0); }\n#title { font-size: %.4gpx; }\n",
		c->o->font_size, c->o->font_size + 5);
	if (c->o->scripts)
		fwrite(fg_asset_flamegraph_css, 1, fg_asset_flamegraph_css_len, fp);
	fputs("]]></style>\n", fp);
}

static void write_text(FILE *fp, const char *id, double x, double y, const char *anchor,
		       const char *s)
{
	fprintf(fp, "<text id=\"%s\" x=\"%.2f\" y=\"%.2f\"", id, x, y);
	if (anchor)
		fprintf(fp, " text-anchor=\"%s\"", anchor);
	fputc('>', fp);
	fg_svg_escape(fp, s, strlen(s));
	fputs("</text>\n", fp);
}

static const char *default_title(const struct fg_ctx *c)
{
	if (c->diff)
		return c->o->inverted ? "Differential Icicle Graph" : "Differential Flame Graph";
	return c->o->inverted ? "Icicle Graph" : "Flame Graph";
}

static void write_head(struct fg_ctx *c)
{
	const struct fg_geom *g = &c->g;
	FILE *fp = c->fp;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", fp);
	fprintf(fp,
		"<svg version=\"1.1\" width=\"%u\" height=\"%.0f\" viewBox=\"0 0 %u %.0f\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n",
		g->width, g->height, g->width, g->height);
	fputs("<!-- Flame graph by podflame: click a frame to zoom, Ctrl-F or \"Search\" to "
	      "search by regex, Esc to reset. -->\n",
	      fp);
	write_style(c);
	fprintf(fp,
		"<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%.0f\" fill=\"url(#background)\"/>\n",
		g->width, g->height);
	write_text(fp, "title", g->width / 2.0, g->fs * 2, "middle",
		   c->o->title ? c->o->title : default_title(c));
	if (c->o->subtitle)
		write_text(fp, "subtitle", g->width / 2.0, g->fs * 4, "middle", c->o->subtitle);
}

static void write_controls(struct fg_ctx *c)
{
	const struct fg_geom *g = &c->g;
	double y = g->height - g->bottom / 2;
	FILE *fp = c->fp;

	if (!c->o->scripts)
		return;
	fprintf(fp, "<text id=\"unzoom\" x=\"%.2f\" y=\"%.2f\" class=\"hide\">Reset Zoom</text>\n",
		g->xpad, g->fs * 2);
	fprintf(fp, "<text id=\"search\" x=\"%.2f\" y=\"%.2f\">Search</text>\n",
		g->width - g->xpad - 100, g->fs * 2);
	fprintf(fp, "<text id=\"ignorecase\" x=\"%.2f\" y=\"%.2f\">ic</text>\n",
		g->width - g->xpad - 16, g->fs * 2);
	fprintf(fp, "<text id=\"details\" x=\"%.2f\" y=\"%.2f\"> </text>\n", g->xpad, y);
	fprintf(fp, "<text id=\"matched\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\"> </text>\n",
		g->width - g->xpad, y);
}

static void write_script(struct fg_ctx *c)
{
	char total[64];
	FILE *fp = c->fp;

	if (!c->o->scripts)
		return;
	fg_format_number(total, sizeof(total), c->total);
	fputs("<script type=\"text/ecmascript\"><![CDATA[\n", fp);
	fprintf(fp,
		"var fgConfig = { xpad: %g, width: %u, frameHeight: %u, fontSize: %g, "
		"fontWidth: %g, inverted: %s, diff: %s, total: %s, countName: \"",
		c->g.xpad, c->g.width, c->o->frame_height, c->o->font_size, c->o->font_width,
		c->o->inverted ? "true" : "false", c->diff ? "true" : "false", total);
	fg_svg_js_string(fp, c->o->count_name, strlen(c->o->count_name));
	fputs("\" };\n", fp);
	fwrite(fg_asset_flamegraph_js, 1, fg_asset_flamegraph_js_len, fp);
	fputs("]]></script>\n", fp);
}

/* ---- frames -------------------------------------------------------------- */

/* A line of frame output is built here and written with one call; only
 * the escaped names go straight to the stream. */
struct line {
	char buf[512];
	char *p;
};

static void put(struct line *l, const char *s)
{
	l->p = stpcpy(l->p, s);
}

static void put_fixed(struct line *l, double v, int decimals)
{
	l->p = fg_fmt_fixed(l->p, v, decimals);
}

static void flush_line(struct line *l, FILE *fp)
{
	fwrite_unlocked(l->buf, 1, (size_t)(l->p - l->buf), fp);
	l->p = l->buf;
}

static void write_title(struct fg_ctx *c, const struct fg_box *b, struct line *l)
{
	const char *name = fg_tree__name(c->t, b->node);
	size_t len = fg_display_len(name, fg_tree__name_len(c->t, b->node));
	FILE *fp = c->fp;

	put(l, "<title>");
	flush_line(l, fp);
	if (b->node == 0)
		fputs_unlocked("all", fp);
	else
		fg_svg_escape(fp, name, len);
	if (c->diff) {
		fg_diff_title(c, b);
	} else {
		put(l, " (");
		fg_format_count(l->p, 64, b->value);
		l->p += strlen(l->p);
		put(l, " ");
		flush_line(l, fp);
		fg_svg_escape(fp, c->o->count_name, strlen(c->o->count_name));
		if (b->node == 0) {
			put(l, ", 100%)");
		} else {
			put(l, ", ");
			put_fixed(l, 100 * b->value / c->total, 2);
			put(l, "%)");
		}
	}
	put(l, "</title>");
}

/* The colour of a plain graph's frame. mask is the frame's own family bits,
 * with the GC worker's drain functions counted as assist under an assist
 * (the rule the shares follow, runtime_share.h). Colours depend on the name
 * alone otherwise, so they are worked out once per name. */
static struct fg_rgb frame_color(struct fg_ctx *c, const struct fg_box *b, uint64_t mask)
{
	uint32_t id = fg_tree__name_id(c->t, b->node);
	bool plain = mask == fg_tree__mask(c->t, b->node);
	struct fg_rgb rgb;

	if (b->node == 0)
		return fg_palette__color(c->o->palette, "all", 3, 0);
	if (plain && c->colors && c->colored[id])
		return c->colors[id];
	rgb = fg_palette__color(c->o->palette, fg_tree__name(c->t, b->node),
				fg_tree__name_len(c->t, b->node), mask);
	if (plain && c->colors) {
		c->colors[id] = rgb;
		c->colored[id] = true;
	}
	return rgb;
}

static void write_frame(struct fg_ctx *c, const struct fg_box *b, uint64_t mask)
{
	const struct fg_geom *g = &c->g;
	double x1 = g->xpad + b->start * g->wpt, x2 = g->xpad + (b->start + b->value) * g->wpt;
	double y = c->o->inverted ? g->top + b->depth * g->fh
				  : g->height - g->bottom - (b->depth + 1) * g->fh + FRAME_PAD;
	double glyph = g->fs * c->o->font_width, chars = floor((x2 - x1) / glyph);
	const char *name = fg_tree__name(c->t, b->node);
	size_t len = fg_display_len(name, fg_tree__name_len(c->t, b->node));
	struct fg_rgb rgb;
	struct line l;
	FILE *fp = c->fp;

	l.p = l.buf;
	put(&l, "<g data-s=\"");
	fg_format_number(l.p, 64, b->start);
	l.p += strlen(l.p);
	put(&l, "\" data-v=\"");
	fg_format_number(l.p, 64, b->value);
	l.p += strlen(l.p);
	put(&l, "\">");
	write_title(c, b, &l);
	rgb = c->diff ? fg_diff_color(c, b) : frame_color(c, b, mask);
	/* x and width from the rounded edges, as flamegraph.pl does. */
	put(&l, "<rect x=\"");
	put_fixed(&l, x1, 1);
	put(&l, "\" y=\"");
	put_fixed(&l, y, 1);
	put(&l, "\" width=\"");
	put_fixed(&l, round1(x2) - round1(x1), 1);
	put(&l, "\" height=\"");
	put_fixed(&l, g->fh - FRAME_PAD, 1);
	put(&l, "\" fill=\"rgb(");
	l.p = fg_fmt_uint(l.p, rgb.r);
	put(&l, ",");
	l.p = fg_fmt_uint(l.p, rgb.g);
	put(&l, ",");
	l.p = fg_fmt_uint(l.p, rgb.b);
	put(&l, ")\" rx=\"2\" ry=\"2\"/><text x=\"");
	put_fixed(&l, x1 + 3, 2);
	put(&l, "\" y=\"");
	put_fixed(&l, y + (g->fh - FRAME_PAD) / 2 + 3, 2);
	put(&l, "\">");
	flush_line(&l, fp);
	/* Room for one character and "..", as flamegraph.pl does. */
	if (chars >= 3) {
		if (b->node == 0)
			fg_svg_text(fp, "all", 3, (size_t)chars);
		else
			fg_svg_text(fp, name, len, chars > 1e6 ? SIZE_MAX : (size_t)chars);
	}
	fputs_unlocked("</text></g>\n", fp);
}

/* Frames from..to of the layout, to c->fp. The mask rule needs the
 * frames above each one: boxes come parents first, so under_assist[d] (the
 * path down to depth d has an assist frame) is replayed from the first box
 * and is always current for the parent. */
static int write_frame_range(struct fg_ctx *c, size_t from, size_t to)
{
	const uint64_t worker = RT_BIT_FAMILY(RT_GC_WORKER), assist = RT_BIT_FAMILY(RT_GC_ASSIST);
	bool *under_assist = calloc(c->lay.max_depth + 1, sizeof(*under_assist));
	size_t i;

	/* The colour cache is an optimization: without memory for it, none. */
	c->colors = malloc(fg_tree__names(c->t) * sizeof(*c->colors));
	c->colored = calloc(fg_tree__names(c->t), sizeof(*c->colored));
	if (!c->colors || !c->colored) {
		free(c->colors);
		free(c->colored);
		c->colors = NULL;
		c->colored = NULL;
	}
	if (!under_assist) {
		free(c->colors);
		free(c->colored);
		return -ENOMEM;
	}
	flockfile(c->fp); /* the frame writers use the _unlocked calls */
	for (i = 0; i < to; i++) {
		const struct fg_box *b = &c->lay.boxes[i];
		uint64_t mask = fg_tree__mask(c->t, b->node);
		bool above = b->depth > 0 && under_assist[b->depth - 1];

		under_assist[b->depth] = above || (mask & assist);
		if (i < from)
			continue;
		if (above && (mask & worker))
			mask = (mask & ~worker) | assist;
		write_frame(c, b, mask);
	}
	funlockfile(c->fp);
	free(under_assist);
	free(c->colors);
	free(c->colored);
	c->colors = NULL;
	c->colored = NULL;
	return 0;
}

/* The second part of the frames, written by a thread of its own into
 * memory while the caller writes the first part to the output. */
struct frame_part {
	struct fg_ctx c; /* a copy: its own stream and colour cache */
	size_t from, to;
	char *buf;
	size_t len;
	int err;
};

static void *write_part(void *arg)
{
	struct frame_part *part = arg;

	part->err = write_frame_range(&part->c, part->from, part->to);
	if (fflush(part->c.fp) || ferror(part->c.fp))
		part->err = part->err ? part->err : -ENOMEM;
	return NULL;
}

/* Big graphs are written in two parts on two CPUs: formatting the frames
 * is most of the time left once the tree is built (tens of thousands of
 * frames, each a dozen numbers and an escaped name twice). */
#define PARALLEL_MIN_FRAMES 8192

/* All frames, the second part by a helper thread. 0, -errno, or 1 when no
 * helper could start (nothing written yet). */
static int write_frames_in_two(struct fg_ctx *c)
{
	/* The second part also replays the masks of the first: a little less
	 * for it. */
	struct frame_part part = { .c = *c, .from = c->lay.n / 2 + c->lay.n / 10, .to = c->lay.n };
	pthread_t thread;
	int err;

	part.c.fp = open_memstream(&part.buf, &part.len);
	if (!part.c.fp)
		return 1;
	if (fg_thread_start(&thread, write_part, &part)) {
		fclose(part.c.fp);
		free(part.buf);
		return 1;
	}
	err = write_frame_range(c, 0, part.from);
	pthread_join(thread, NULL);
	if (fclose(part.c.fp) && !part.err)
		part.err = -ENOMEM;
	if (!err)
		err = part.err;
	if (!err)
		fwrite(part.buf, 1, part.len, c->fp);
	free(part.buf);
	return err;
}

static int write_frames(struct fg_ctx *c)
{
	int err = 1;

	fputs("<g id=\"frames\">\n", c->fp);
	if (c->lay.n >= PARALLEL_MIN_FRAMES && fg_tree__may_thread(c->t))
		err = write_frames_in_two(c);
	if (err == 1)
		err = write_frame_range(c, 0, c->lay.n);
	if (err)
		return err;
	fputs("</g>\n", c->fp);
	return 0;
}

static int write_empty(struct fg_ctx *c)
{
	FILE *fp = c->fp;
	double h = c->o->font_size * 5;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", fp);
	fprintf(fp,
		"<svg version=\"1.1\" width=\"%u\" height=\"%.0f\" viewBox=\"0 0 %u %.0f\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n",
		c->o->width, h, c->o->width, h);
	write_text(fp, "title", c->o->width / 2.0, c->o->font_size * 2, "middle",
		   c->o->title ? c->o->title : default_title(c));
	write_text(fp, "details", c->o->width / 2.0, c->o->font_size * 4, "middle",
		   "No samples in the input.");
	fputs("</svg>\n", fp);
	return ferror(fp) ? (errno ? -errno : -EIO) : 0;
}

static int render(struct fg_tree *t, const struct fg_opts *o, FILE *fp,
		  struct fg_render_stats *stats)
{
	struct fg_ctx c = { .t = t, .o = o, .fp = fp, .diff = fg_tree__is_diff(t) };
	struct fg_banner banner;
	double min_value;
	int err;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!opts_valid(o) || !fp)
		return -EINVAL;
	err = fg_tree__finish(t);
	if (err)
		return err;
	c.side = c.diff && !o->diff_width_base ? FG_SIDE_NEW : FG_SIDE_BASE;
	c.total = fg_tree__total(t, c.side);
	if (!(c.total > 0))
		return write_empty(&c);
	min_value = o->min_width_percent ? c.total * o->min_width / 100
					 : o->min_width * c.total / (o->width - 2 * XPAD);
	err = fg_layout__build(&c.lay, t, c.side, min_value);
	if (err)
		goto cleanup;
	if (c.diff)
		fg_diff_prepare(&c);
	fg_banner__plan(&banner, &c);
	set_geometry(&c, banner.rows);
	write_head(&c);
	fg_banner__write(&banner, &c);
	write_controls(&c);
	err = write_frames(&c);
	if (err)
		goto cleanup;
	write_script(&c);
	fputs("</svg>\n", fp);
	if (stats) {
		stats->frames = c.lay.n;
		stats->pruned = c.lay.pruned;
		stats->depth = c.lay.max_depth;
		stats->total = c.total;
	}
	/* The stream keeps the first write error's errno (ENOSPC, EPIPE...). */
	err = ferror(fp) ? (errno ? -errno : -EIO) : 0;
cleanup:
	fg_layout__free(&c.lay);
	return err;
}

int fg_render(struct fg_tree *t, const struct fg_opts *o, FILE *fp, struct fg_render_stats *stats)
{
	return render(t, o, fp, stats);
}

int fg_render_diff(struct fg_tree *t, const struct fg_opts *o, FILE *fp,
		   struct fg_render_stats *stats)
{
	if (!fg_tree__is_diff(t))
		return -EINVAL;
	return render(t, o, fp, stats);
}
