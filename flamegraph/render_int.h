/* Internal to the SVG writer (render.c, banner.c, diff.c): the state of one
 * rendering. Not for other modules. */
#ifndef PODFLAME_FG_RENDER_INT_H
#define PODFLAME_FG_RENDER_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "flamegraph.h"
#include "layout.h"
#include "palette.h"

struct fg_geom {
	unsigned width;
	double height;
	double xpad;
	double fh, fs; /* frame height, font size */
	double banner_top, banner_row; /* first banner row's top, row height */
	double top; /* everything above the frames (title, subtitle, banner) */
	double bottom; /* below the frames (details line) */
	double wpt; /* px per count */
};

struct fg_ctx {
	const struct fg_tree *t;
	const struct fg_opts *o;
	FILE *fp;
	bool diff;
	int side; /* the side that sets widths */
	double total; /* its total */
	struct fg_layout lay;
	struct fg_geom g;
	double max_delta; /* differential: largest |delta| drawn, for colours */
	struct fg_rgb *colors; /* by name id, where colored[id] */
	bool *colored;
};

#define FG_BANNER_MAX_ITEMS (2 + RT_FAMILY__COUNT + RT_MAX_HIGHLIGHTS)

struct fg_banner_item {
	int family; /* enum rt_family, -1 a highlight, < -1 the diff colour key */
	size_t highlight;
	double x;
	unsigned row;
};

struct fg_banner {
	struct fg_banner_item items[FG_BANNER_MAX_ITEMS];
	size_t n;
	unsigned rows;
};

/* Decides which items the banner shows and where (needs c->t, c->o, c->g.fs). */
void fg_banner__plan(struct fg_banner *b, const struct fg_ctx *c);
void fg_banner__write(const struct fg_banner *b, const struct fg_ctx *c);

/* Differential graphs. */
void fg_diff_prepare(struct fg_ctx *c);
void fg_diff_title(const struct fg_ctx *c, const struct fg_box *b);
struct fg_rgb fg_diff_color(const struct fg_ctx *c, const struct fg_box *b);

#endif
