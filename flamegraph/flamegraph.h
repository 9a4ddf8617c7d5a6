/* The flame-graph renderer: a frame tree (tree.h) in, a self-contained
 * interactive SVG out (script and style inline, no network, no URL).
 *
 *   struct fg_opts o;
 *   fg_opts__init(&o);
 *   o.title = "podflame: pod checkout-7f9";
 *   err = fg_render(tree, &o, fp, &stats);
 *
 * The pipeline is parse -> merge (tree.c) -> layout and prune (layout.c) ->
 * colour (palette.c) -> write (here). The same tree and options always give
 * byte-identical output. A differential tree (FG_TREE_DIFF) renders as a
 * differential graph: widths from one side, colours red (grew) / blue
 * (shrank) by the normalized change, tooltips with both counts and the delta.
 *
 * Geometry is flamegraph.pl's (10 px side padding, --width, --height per
 * frame, --minwidth in px or %), so the same input draws the same frames at
 * the same x and width. */
#ifndef PODFLAME_FLAMEGRAPH_H
#define PODFLAME_FLAMEGRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "palette.h"
#include "runtime_share.h"
#include "tree.h"

struct fg_opts {
	const char *title; /* NULL: "Flame Graph", "Icicle Graph" or "Differential Flame Graph" */
	const char *subtitle; /* NULL: none */
	unsigned width; /* image width in px: 1200 */
	unsigned frame_height; /* px: 16 */
	double font_size; /* px: 12 */
	const char *font_type; /* CSS font family: "Verdana"; only [A-Za-z0-9 ,._'"-] kept */
	double font_width; /* average glyph width relative to font_size: 0.59 */
	double min_width; /* prune frames narrower than this: 0.1 (px) */
	bool min_width_percent; /* min_width is a percentage of all samples */
	const char *count_name; /* "samples"; not NULL */
	bool inverted; /* icicle graph: root at the top */
	enum fg_palette palette; /* FG_PALETTE_GO */
	bool banner; /* Go runtime / highlight legend with shares: true */
	bool scripts; /* embed the JS and CSS: true (golden tests turn it off) */
	/* Differential trees only. */
	bool diff_normalize; /* compare shares of each side's total: true */
	bool diff_width_base; /* widths from the base side instead of the new: false */
	bool diff_color_inclusive; /* colour by inclusive instead of self delta: false */
};

struct fg_render_stats {
	size_t frames; /* frames drawn, the root included */
	size_t pruned; /* subtrees pruned as narrower than min_width */
	uint32_t depth; /* deepest drawn frame (root = 0) */
	double total; /* samples on the side that sets the widths */
};

/* The defaults above. */
void fg_opts__init(struct fg_opts *o);

/* Writes the SVG for t to fp (finishing t first: fg_tree__finish). A tree without samples gives a small valid SVG
 * saying so (stats->total == 0; the caller decides whether that is an error).
 * stats may be NULL. 0, -EINVAL (bad options), -ENOMEM, or -EIO when fp
 * reported a write error. */
int fg_render(struct fg_tree *t, const struct fg_opts *o, FILE *fp, struct fg_render_stats *stats);
/* The same, for a differential tree only (-EINVAL for a plain one). */
int fg_render_diff(struct fg_tree *t, const struct fg_opts *o, FILE *fp,
		   struct fg_render_stats *stats);

#endif
