/* The frame tree: stacks merged by common prefix, one node per distinct
 * path, with inclusive counts. Memory is bounded by the number of distinct
 * paths (nodes) and names, never by the number of stacks or samples added.
 *
 * A differential tree (FG_TREE_DIFF) keeps two counts per node: side 0 is the
 * base profile, side 1 the new one.
 *
 * Typical use (record, flamegraph, diff):
 *     t = fg_tree__new(classifier, 0);
 *     for each stack: fg_tree__add(t, frames, lens, n, count);
 *     fg_render(t, &opts, fp, NULL);     (finishes the tree itself)
 *     fg_tree__free(t);
 *
 * Adding is cheap: the caller's thread interns the names and queues the
 * stack; batches of queued stacks are merged into the nodes by a worker
 * thread when the machine has a second CPU (FG_TREE_SERIAL: never), so
 * parsing and merging overlap. The result does not depend on it.
 * fg_tree__finish() waits for the worker, makes the counts inclusive and
 * lists children in sibling order. Adding after a finish is allowed. A tree
 * is used from one thread at a time. After an -ENOMEM (which an add may
 * report for an earlier stack) the tree is only good for fg_tree__free().
 *
 * Node 0 is the root ("all"), with an empty name. Node ids are dense and a
 * parent's id is always smaller than its children's. Reading (values,
 * children) needs a finished tree: fg_tree__finish(). */
#ifndef PODFLAME_FG_TREE_H
#define PODFLAME_FG_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime_share.h"

#define FG_TREE_DIFF (1u << 0) /* two counts per node: base and new */
#define FG_TREE_REVERSE (1u << 1) /* merge stacks leaf-first (--reverse) */
#define FG_TREE_SERIAL (1u << 2) /* one thread: adding, finishing, rendering */

#define FG_NONE UINT32_MAX
#define FG_SIDE_BASE 0
#define FG_SIDE_NEW 1

struct fg_tree;

/* classifier: families and highlights for colours and shares; borrowed (must
 * outlive the tree), NULL for the Go families alone. NULL + errno on error. */
struct fg_tree *fg_tree__new(struct rt_classifier *classifier, unsigned flags);
void fg_tree__free(struct fg_tree *t);

/* Adds one stack, frames[0] the root (leaf-first with FG_TREE_REVERSE).
 * lens may be NULL (strlen). count must be finite and >= 0.
 * 0, -EINVAL or -ENOMEM. */
int fg_tree__add(struct fg_tree *t, const char *const *frames, const size_t *lens, size_t n,
		 double count);
/* The same for one side of a differential tree (FG_SIDE_BASE or FG_SIDE_NEW). */
int fg_tree__add_side(struct fg_tree *t, int side, const char *const *frames, const size_t *lens,
		      size_t n, double count);

/* Makes the tree readable: every stack added is in the nodes, counts are
 * inclusive, and each node's children are listed in sibling order.
 * Idempotent. 0 or -ENOMEM. */
int fg_tree__finish(struct fg_tree *t);
bool fg_tree__is_finished(const struct fg_tree *t);
/* Whether building, finishing and rendering this tree may start helper
 * threads: not with FG_TREE_SERIAL, on one CPU, or once one failed to
 * start. */
bool fg_tree__may_thread(const struct fg_tree *t);

bool fg_tree__is_diff(const struct fg_tree *t);
/* Samples added on a side (the root's inclusive count), any time. */
double fg_tree__total(const struct fg_tree *t, int side);
/* Nodes, the root included (stacks still queued for a batch are not in it
 * until fg_tree__finish). */
size_t fg_tree__nodes(const struct fg_tree *t);
size_t fg_tree__names(const struct fg_tree *t);
/* Bytes held by the tree, for memory reports. */
size_t fg_tree__bytes(const struct fg_tree *t);
/* Inclusive Go-runtime and highlight shares of a side, exact over every
 * stack added (computed as stacks arrive, before any pruning). */
const struct rt_share *fg_tree__share(const struct fg_tree *t, int side);
const struct rt_classifier *fg_tree__classifier(const struct fg_tree *t);

/* Read access for the layout and writers, on a finished tree; node must be
 * < fg_tree__nodes(). */
const char *fg_tree__name(const struct fg_tree *t, uint32_t node);
/* The interned id of the node's name: < fg_tree__names(), equal ids equal
 * names (for per-name caches). */
uint32_t fg_tree__name_id(const struct fg_tree *t, uint32_t node);
size_t fg_tree__name_len(const struct fg_tree *t, uint32_t node);
/* Family/highlight bits of the node's own name (RT_BIT_*). */
uint64_t fg_tree__mask(const struct fg_tree *t, uint32_t node);
/* The node's inclusive count. */
double fg_tree__value(const struct fg_tree *t, uint32_t node, int side);
uint32_t fg_tree__parent(const struct fg_tree *t, uint32_t node);
/* Sibling order, flamegraph.pl's (it sorts whole lines): names compared as
 * the bytes of "name;". <0, 0, >0 like strcmp. */
int fg_tree__name_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* The number of children; *kids lists them in sibling order
 * (flamegraph.pl's), valid until the tree changes. 0 on an unfinished tree. */
uint32_t fg_tree__children(const struct fg_tree *t, uint32_t node, const uint32_t **kids);

#endif
