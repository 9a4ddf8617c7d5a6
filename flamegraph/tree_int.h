/* Internal to the frame tree (tree.c builds, tree_finish.c finishes). */
#ifndef PODFLAME_FG_TREE_INT_H
#define PODFLAME_FG_TREE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime_share.h"
#include "tree.h"

struct node {
	uint32_t name; /* strpool id */
	uint32_t parent;
};

/* Stacks are queued and added to the nodes in batches, by a worker thread
 * when there is a second CPU, while the caller goes on parsing and interning
 * the next ones (tree_batch.c). Within a batch, FG_WALK stacks walk down the
 * tree together so that their table lookups, cache misses on big tables,
 * overlap. */
#define FG_WALK 32
#define FG_HANDOFF 1024

struct fg_queued {
	uint32_t off, n; /* their name ids: names[off .. off + n) */
	uint32_t shared; /* leading names equal to the stack queued before */
	int side;
	double count;
};

struct fg_batch {
	struct fg_queued q[FG_HANDOFF];
	unsigned n;
	uint32_t *names;
	size_t len, cap;
};

struct fg_worker;

/* Names are looked up in the tree's own index (a profile has a few thousand
 * distinct names and millions of frames) before the string pool. */
struct fg_name_slot {
	uint64_t hash;
	const char *str; /* the pooled copy (stable); NULL: empty */
	uint32_t id, len;
};

/* The fields are grouped by the thread that writes them while a tree is
 * built: the caller's (names, totals, shares, the filling batch) and the
 * worker's (the node table), each group on cache lines of its own. When
 * the worker's node count shared a line with the caller's totals, every
 * new node took that line from the parsing CPU's cache. */
#define FG_CACHE_LINE 64

struct fg_tree {
	unsigned flags;
	struct strpool *names;
	struct rt_classifier *classifier;
	uint64_t *name_masks; /* by name id */
	uint32_t name_masks_len;
	struct fg_name_slot *name_index; /* open addressing, str NULL: empty */
	uint32_t name_index_cap, name_index_used;
	double total[2];
	struct rt_share share[2];

	/* Adds fill *fill; the other batch may be with the worker. */
	struct fg_batch batch[2], *fill;
	struct fg_worker *worker; /* NULL: batches are added inline */
	bool no_worker; /* FG_TREE_SERIAL, one CPU, or no thread could start */

	/* Finished: the children of n are kids[kid_start[n] .. kid_start[n + 1]);
	 * both arrays were sized for kids_count nodes. */
	uint32_t *kid_start, *kids;
	uint32_t kids_count;
	bool finished;

	/* Written by the worker while building. */
	_Alignas(FG_CACHE_LINE) struct node *nodes;
	/* Self counts while building, inclusive once finished. */
	double *value[2]; /* value[1] only in a differential tree */
	uint32_t count, cap;
	uint32_t *slots; /* building: node id + 1, 0 empty; NULL once finished */
	uint32_t slots_cap; /* power of two */
	/* (The struct's size is a multiple of its alignment, so nothing else
	 * in memory shares the group's last line.) */
};

int fg_tree_rehash(struct fg_tree *t, uint32_t cap);
int fg_tree_rehash_for_count(struct fg_tree *t);
/* The node for name under parent, created if new. 0 or -ENOMEM. */
int fg_tree_child(struct fg_tree *t, uint32_t parent, uint32_t name, uint32_t *id);
uint32_t fg_tree_slot_hash(uint32_t parent, uint32_t name);

/* tree_batch.c. Room in the filling batch for n more names. */
int fg_tree_reserve(struct fg_tree *t, size_t n);
/* The filling batch is full: hand it over (or add it inline). */
int fg_tree_handoff(struct fg_tree *t);
/* Every queued stack in the nodes, the worker idle. 0 or its error. */
int fg_tree_drain(struct fg_tree *t);
/* Stops and joins the worker, frees the batches. */
void fg_tree_free_batches(struct fg_tree *t);
/* Back to building after a finish. */
int fg_tree_unfinish(struct fg_tree *t);
void fg_tree_free_kids(struct fg_tree *t);

#endif
