/* Layout: which frames are drawn and where, in counts (the SVG writer scales
 * to pixels). Frames narrower than the minimum are pruned here, with their
 * whole subtree, before anything is written.
 *
 * Siblings come in the tree's order, flamegraph.pl's (tree.h), and a frame's
 * own (self) samples come before its children, on the left, as in
 * flamegraph.pl's sorted lines. So the same input gives the same picture in
 * both. */
#ifndef PODFLAME_FG_LAYOUT_H
#define PODFLAME_FG_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"

struct fg_box {
	uint32_t node;
	uint32_t depth; /* 0: the root ("all") */
	double start; /* left edge, in counts from the left of the root */
	double value; /* width, in counts */
};

struct fg_layout {
	struct fg_box *boxes; /* depth-first, parents before children */
	size_t n;
	uint32_t max_depth;
	size_t pruned; /* subtrees dropped for being narrower than min_value */
};

/* Lays out side (FG_SIDE_BASE or FG_SIDE_NEW) of a finished tree
 * (fg_tree__finish): a frame is kept when
 * its count is > 0 and >= min_value. The root is always kept.
 * 0 or -ENOMEM; out is filled on success and must be released with
 * fg_layout__free (also after an error). */
int fg_layout__build(struct fg_layout *out, const struct fg_tree *t, int side, double min_value);
void fg_layout__free(struct fg_layout *l);

#endif
