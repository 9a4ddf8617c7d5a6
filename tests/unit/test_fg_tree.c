/* Frame tree and layout: merging, reverse, differential sides, sibling
 * order, self-first geometry, pruning. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flamegraph/layout.h"
#include "flamegraph/tree.h"

static int add(struct fg_tree *t, int side, const char *stack, double count)
{
	const char *frames[256];
	char buf[4096], *p, *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (p = strtok_r(buf, ";", &save); p && n < 256; p = strtok_r(NULL, ";", &save))
		frames[n++] = p;
	return fg_tree__add_side(t, side, frames, NULL, n, count);
}

/* The node at path "a;b;c" (root for ""), or FG_NONE; finishes t. */
static uint32_t find(struct fg_tree *t, const char *path)
{
	char buf[4096], *p, *save = NULL;
	uint32_t node = 0;

	if (fg_tree__finish(t))
		return FG_NONE;
	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
		const uint32_t *kids;
		uint32_t n = fg_tree__children(t, node, &kids), i;

		for (i = 0; i < n; i++)
			if (!strcmp(fg_tree__name(t, kids[i]), p))
				break;
		if (i == n)
			return FG_NONE;
		node = kids[i];
	}
	return node;
}

static double value(struct fg_tree *t, const char *path)
{
	uint32_t n = find(t, path);

	return n == FG_NONE ? -1 : fg_tree__value(t, n, 0);
}

static void test_merge(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);

	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "a;b", 3), 0);
	CHECK_INT_EQ(add(t, 0, "a;c", 2), 0);
	CHECK_INT_EQ(add(t, 0, "a;b", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a", 4), 0);
	CHECK_INT_EQ(fg_tree__finish(t), 0);
	CHECK_INT_EQ(fg_tree__nodes(t), 4);
	CHECK(fg_tree__total(t, 0) == 10);
	CHECK(value(t, "a") == 10);
	CHECK(value(t, "a;b") == 4);
	CHECK(value(t, "a;c") == 2);
	CHECK_INT_EQ(fg_tree__parent(t, find(t, "a;c")), find(t, "a"));
	CHECK_INT_EQ(fg_tree__parent(t, 0), FG_NONE);
	CHECK(!fg_tree__is_diff(t));
	CHECK(fg_tree__bytes(t) > 0);
	fg_tree__free(t);
	fg_tree__free(NULL);
}

/* Stacks that share prefixes and diverge, in one batch. */
static void test_shared_prefixes(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);

	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "a;b;c", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a;x;c", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a;b;c;d", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a;b", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a;b;c", 1), 0);
	CHECK_INT_EQ(add(t, 0, "ab;c", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a", 1), 0);
	CHECK_INT_EQ(add(t, 0, "a;bc", 1), 0);
	CHECK_INT_EQ(fg_tree__finish(t), 0);
	CHECK_INT_EQ(fg_tree__nodes(t), 10);
	CHECK(value(t, "a;b;c") == 3);
	CHECK(value(t, "a;x;c") == 1);
	CHECK(value(t, "a;b;c;d") == 1);
	CHECK(value(t, "a;b") == 4);
	CHECK(value(t, "a") == 7);
	CHECK(value(t, "ab;c") == 1);
	CHECK(value(t, "a;bc") == 1);
	fg_tree__free(t);
}

/* Adding after a finish undoes the sums first; finishing twice is a no-op. */
static void test_add_after_finish(void)
{
	struct fg_tree *t = fg_tree__new(NULL, FG_TREE_DIFF);

	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "a;b;c", 2), 0);
	CHECK_INT_EQ(add(t, 1, "a;b", 7), 0);
	CHECK(value(t, "a;b") == 2);
	fg_tree__finish(t);
	CHECK(value(t, "a") == 2);
	CHECK_INT_EQ(add(t, 0, "a;b", 3), 0);
	CHECK_INT_EQ(add(t, 0, "a;d", 1), 0);
	CHECK(value(t, "a") == 6);
	CHECK(value(t, "a;b") == 5);
	CHECK(value(t, "a;b;c") == 2);
	CHECK(fg_tree__value(t, find(t, "a;b"), 1) == 7);
	CHECK(fg_tree__value(t, 0, 1) == 7);
	CHECK(fg_tree__total(t, 0) == 6);
	fg_tree__free(t);
}

static void test_lens_and_empty(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);
	const char *frames[] = { "abcdef", "xyz" };
	size_t lens[] = { 3, 2 };

	REQUIRE(t);
	CHECK_INT_EQ(fg_tree__add(t, frames, lens, 2, 2), 0);
	CHECK(value(t, "abc;xy") == 2);
	/* An empty stack is samples of the root itself. */
	CHECK_INT_EQ(fg_tree__add(t, NULL, NULL, 0, 3), 0);
	CHECK(fg_tree__total(t, 0) == 5);
	CHECK_INT_EQ(fg_tree__nodes(t), 3);
	fg_tree__free(t);
}

static void test_bad_counts(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);

	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "a", -1), -EINVAL);
	CHECK_INT_EQ(add(t, 0, "a", NAN), -EINVAL);
	CHECK_INT_EQ(add(t, 0, "a", INFINITY), -EINVAL);
	CHECK_INT_EQ(add(t, 1, "a", 1), -EINVAL); /* no new side in a plain tree */
	CHECK_INT_EQ(add(t, 2, "a", 1), -EINVAL);
	CHECK(fg_tree__total(t, 0) == 0);
	CHECK_INT_EQ(fg_tree__nodes(t), 1);
	fg_tree__free(t);
}

static void test_reverse(void)
{
	struct fg_tree *t = fg_tree__new(NULL, FG_TREE_REVERSE);

	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "main;work;memmove", 3), 0);
	CHECK_INT_EQ(add(t, 0, "main;idle;memmove", 2), 0);
	CHECK(value(t, "memmove") == 5);
	CHECK(value(t, "memmove;work;main") == 3);
	CHECK(value(t, "memmove;idle;main") == 2);
	fg_tree__free(t);
}

static void test_diff_sides(void)
{
	struct fg_tree *t = fg_tree__new(NULL, FG_TREE_DIFF);
	uint32_t b;

	REQUIRE(t);
	CHECK(fg_tree__is_diff(t));
	CHECK_INT_EQ(add(t, FG_SIDE_BASE, "a;b", 10), 0);
	CHECK_INT_EQ(add(t, FG_SIDE_NEW, "a;b", 30), 0);
	CHECK_INT_EQ(add(t, FG_SIDE_NEW, "a;c", 5), 0);
	CHECK(fg_tree__total(t, FG_SIDE_BASE) == 10);
	CHECK(fg_tree__total(t, FG_SIDE_NEW) == 35);
	b = find(t, "a;b");
	REQUIRE(b != FG_NONE);
	fg_tree__finish(t);
	CHECK(fg_tree__value(t, b, FG_SIDE_BASE) == 10);
	CHECK(fg_tree__value(t, b, FG_SIDE_NEW) == 30);
	CHECK(fg_tree__value(t, find(t, "a;c"), FG_SIDE_BASE) == 0);
	fg_tree__free(t);
}

static void test_shares_as_added(void)
{
	struct rt_classifier *c = rt_classifier__new();
	struct fg_tree *t;
	const struct rt_share *s;

	REQUIRE(c);
	REQUIRE(rt_classifier__add_highlight(c, "^main\\.leaf$", NULL, 0) == 0);
	t = fg_tree__new(c, 0);
	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "runtime.mcall;runtime.park_m;runtime.schedule", 6), 0);
	CHECK_INT_EQ(add(t, 0, "main.main;main.leaf", 2), 0);
	CHECK_INT_EQ(add(t, 0, "main.main;main.leaf;main.leaf", 2), 0);
	s = fg_tree__share(t, 0);
	CHECK(s->total == 10);
	CHECK(rt_share__family(s, RT_SCHEDULE) == 0.6);
	CHECK(rt_share__highlight(s, 0) == 0.4);
	CHECK(fg_tree__mask(t, find(t, "runtime.mcall;runtime.park_m")) ==
	      RT_BIT_FAMILY(RT_SCHEDULE));
	CHECK(fg_tree__mask(t, find(t, "main.main")) == 0);
	CHECK(fg_tree__mask(t, 0) == 0);
	CHECK(fg_tree__classifier(t) == c);
	fg_tree__free(t);
	rt_classifier__free(c);
}

static int cmp(const char *a, const char *b)
{
	int r = fg_tree__name_cmp(a, strlen(a), b, strlen(b));

	return r < 0 ? -1 : r > 0;
}

/* flamegraph.pl sorts whole lines: "x;..." against "x.func1;...". */
static void test_sibling_order(void)
{
	CHECK_INT_EQ(cmp("a", "b"), -1);
	CHECK_INT_EQ(cmp("b", "a"), 1);
	CHECK_INT_EQ(cmp("a", "a"), 0);
	CHECK_INT_EQ(cmp("main.foo.func1", "main.foo"), -1); /* '.' < ';' */
	CHECK_INT_EQ(cmp("main.foo", "main.foo.func1"), 1);
	CHECK_INT_EQ(cmp("main.foo", "main.fooBar"), -1); /* ';' < 'B' */
	CHECK_INT_EQ(cmp("foo", "foo bar"), 1); /* ' ' < ';' */
	CHECK_INT_EQ(cmp("Z", "a"), -1); /* bytes, not locale */
	CHECK_INT_EQ(cmp("\xc3\xa9", "z"), 1);
}

/* After a finish every node's children are consecutive, in sibling order,
 * with larger ids than their parent. */
static void test_finished_shape(void)
{
	static const char *const stacks[] = {
		"main.foo;x", "main.foo.func1;y", "main.fooBar", "main.foo;a;b", "Z",
		"zz;q",	      "main.foo",	  "\xc3\xa9",	 "main.foo;a;c",
	};
	struct fg_tree *t = fg_tree__new(NULL, 0);
	const uint32_t *kids;
	uint32_t node, n, i, seen = 1;
	size_t k;

	REQUIRE(t);
	for (k = 0; k < sizeof(stacks) / sizeof(stacks[0]); k++)
		CHECK_INT_EQ(add(t, 0, stacks[k], 1), 0);
	CHECK(!fg_tree__is_finished(t));
	CHECK_INT_EQ(fg_tree__children(t, 0, &kids), 0);
	CHECK_INT_EQ(fg_tree__finish(t), 0);
	CHECK(fg_tree__is_finished(t));
	CHECK_INT_EQ(fg_tree__finish(t), 0);
	for (node = 0; node < fg_tree__nodes(t); node++) {
		n = fg_tree__children(t, node, &kids);
		seen += n;
		for (i = 0; i < n; i++) {
			CHECK_INT_EQ(fg_tree__parent(t, kids[i]), node);
			CHECK(kids[i] > node);
			if (i)
				CHECK(fg_tree__name_cmp(fg_tree__name(t, kids[i - 1]),
							fg_tree__name_len(t, kids[i - 1]),
							fg_tree__name(t, kids[i]),
							fg_tree__name_len(t, kids[i])) < 0);
		}
	}
	CHECK_INT_EQ(seen, fg_tree__nodes(t));
	n = fg_tree__children(t, 0, &kids);
	REQUIRE(n == 6);
	CHECK_STR_EQ(fg_tree__name(t, kids[0]), "Z");
	CHECK_STR_EQ(fg_tree__name(t, kids[1]), "main.foo.func1");
	CHECK_STR_EQ(fg_tree__name(t, kids[2]), "main.foo");
	CHECK_STR_EQ(fg_tree__name(t, kids[3]), "main.fooBar");
	CHECK_STR_EQ(fg_tree__name(t, kids[4]), "zz");
	CHECK_STR_EQ(fg_tree__name(t, kids[5]), "\xc3\xa9");
	CHECK(fg_tree__value(t, kids[2], 0) == 4);
	fg_tree__free(t);
}

static const struct fg_box *box_at(const struct fg_layout *l, struct fg_tree *t, const char *path)
{
	uint32_t node = find(t, path);
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->boxes[i].node == node)
			return &l->boxes[i];
	return NULL;
}

static void test_layout_geometry(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);
	struct fg_layout l;
	const struct fg_box *a, *b, *c, *d;
	size_t i;

	REQUIRE(t);
	/* inserted out of order on purpose */
	CHECK_INT_EQ(add(t, 0, "a;c", 2), 0);
	CHECK_INT_EQ(add(t, 0, "a;b;d", 3), 0);
	CHECK_INT_EQ(add(t, 0, "a", 5), 0);
	CHECK_INT_EQ(add(t, 0, "e", 10), 0);
	fg_tree__finish(t);
	CHECK_INT_EQ(fg_layout__build(&l, t, 0, 0), 0);
	CHECK_INT_EQ(l.n, 6);
	CHECK_INT_EQ(l.max_depth, 3);
	CHECK_INT_EQ(l.pruned, 0);
	CHECK_INT_EQ(l.boxes[0].node, 0);
	CHECK(l.boxes[0].value == 20);
	a = box_at(&l, t, "a");
	b = box_at(&l, t, "a;b");
	c = box_at(&l, t, "a;c");
	d = box_at(&l, t, "a;b;d");
	REQUIRE(a && b && c && d);
	/* a's own 5 samples first, then b, then c: flamegraph.pl's order */
	CHECK(a->start == 0 && a->value == 10);
	CHECK(b->start == 5 && b->value == 3);
	CHECK(c->start == 8 && c->value == 2);
	CHECK(d->start == 5 && d->value == 3 && d->depth == 3);
	CHECK(box_at(&l, t, "e")->start == 10);
	/* every child lies within its parent, parents come first */
	for (i = 1; i < l.n; i++) {
		const struct fg_box *k = &l.boxes[i];
		uint32_t parent = fg_tree__parent(t, k->node);
		size_t j;

		for (j = 0; j < i && l.boxes[j].node != parent; j++)
			;
		REQUIRE(j < i);
		CHECK(k->start >= l.boxes[j].start);
		CHECK(k->start + k->value <= l.boxes[j].start + l.boxes[j].value);
		CHECK_INT_EQ(k->depth, l.boxes[j].depth + 1);
	}
	fg_layout__free(&l);
	fg_tree__free(t);
}

static void test_layout_prune(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);
	struct fg_layout l;

	REQUIRE(t);
	CHECK_INT_EQ(add(t, 0, "big;x;y;z", 90), 0);
	CHECK_INT_EQ(add(t, 0, "c_small;deep;deeper;deepest;bottom", 4), 0);
	CHECK_INT_EQ(add(t, 0, "mid;m", 6), 0);
	fg_tree__finish(t);
	CHECK_INT_EQ(fg_layout__build(&l, t, 0, 5), 0);
	/* c_small and its whole subtree go: one pruned subtree, not five */
	CHECK_INT_EQ(l.pruned, 1);
	CHECK(box_at(&l, t, "c_small") == NULL);
	CHECK(box_at(&l, t, "c_small;deep") == NULL);
	CHECK(box_at(&l, t, "mid;m") != NULL);
	CHECK_INT_EQ(l.max_depth, 4);
	CHECK_INT_EQ(l.n, 1 + 4 + 2);
	/* the pruned frame keeps its place (90..94): neighbours do not move */
	CHECK(box_at(&l, t, "mid")->start == 94);
	fg_layout__free(&l);
	fg_tree__free(t);
}

static void test_layout_order_independent(void)
{
	static const char *const stacks[] = { "m;a;x", "m;b", "m;a;y", "n", "m;a", "m;c;z;w" };
	struct fg_tree *t1 = fg_tree__new(NULL, 0), *t2 = fg_tree__new(NULL, 0);
	struct fg_layout l1, l2;
	size_t i;

	REQUIRE(t1 && t2);
	for (i = 0; i < 6; i++) {
		CHECK_INT_EQ(add(t1, 0, stacks[i], (double)i + 1), 0);
		CHECK_INT_EQ(add(t2, 0, stacks[5 - i], 6.0 - (double)i), 0);
	}
	fg_tree__finish(t1);
	fg_tree__finish(t2);
	CHECK_INT_EQ(fg_layout__build(&l1, t1, 0, 0), 0);
	CHECK_INT_EQ(fg_layout__build(&l2, t2, 0, 0), 0);
	REQUIRE(l1.n == l2.n);
	for (i = 0; i < l1.n; i++) {
		CHECK_STR_EQ(fg_tree__name(t1, l1.boxes[i].node),
			     fg_tree__name(t2, l2.boxes[i].node));
		CHECK(l1.boxes[i].start == l2.boxes[i].start);
		CHECK(l1.boxes[i].value == l2.boxes[i].value);
	}
	fg_layout__free(&l1);
	fg_layout__free(&l2);
	fg_tree__free(t1);
	fg_tree__free(t2);
}

/* Deep stacks are laid out without recursion. */
static void test_layout_deep(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);
	enum { DEPTH = 60000 };
	const char **frames = malloc(DEPTH * sizeof(*frames));
	char *names = malloc(DEPTH * 8);
	struct fg_layout l;
	size_t i;

	REQUIRE(t && frames && names);
	for (i = 0; i < DEPTH; i++) {
		snprintf(names + i * 8, 8, "f%zu", i % 1000);
		frames[i] = names + i * 8;
	}
	CHECK_INT_EQ(fg_tree__add(t, frames, NULL, DEPTH, 1), 0);
	CHECK_INT_EQ(fg_tree__finish(t), 0);
	CHECK_INT_EQ(fg_tree__nodes(t), DEPTH + 1);
	CHECK_INT_EQ(fg_tree__names(t), 1001); /* "" and f0..f999 */
	fg_tree__finish(t);
	CHECK_INT_EQ(fg_layout__build(&l, t, 0, 0), 0);
	CHECK_INT_EQ(l.n, DEPTH + 1);
	CHECK_INT_EQ(l.max_depth, DEPTH);
	fg_layout__free(&l);
	fg_tree__free(t);
	free(frames);
	free(names);
}

static void test_layout_diff_side(void)
{
	struct fg_tree *t = fg_tree__new(NULL, FG_TREE_DIFF);
	struct fg_layout l;

	REQUIRE(t);
	CHECK_INT_EQ(add(t, FG_SIDE_BASE, "gone", 5), 0);
	CHECK_INT_EQ(add(t, FG_SIDE_BASE, "kept", 5), 0);
	CHECK_INT_EQ(add(t, FG_SIDE_NEW, "kept", 8), 0);
	fg_tree__finish(t);
	CHECK_INT_EQ(fg_layout__build(&l, t, FG_SIDE_NEW, 0), 0);
	/* frames absent from the drawn side take no room */
	CHECK_INT_EQ(l.n, 2);
	CHECK(box_at(&l, t, "kept")->start == 0);
	CHECK(box_at(&l, t, "kept")->value == 8);
	fg_layout__free(&l);
	fg_tree__finish(t);
	CHECK_INT_EQ(fg_layout__build(&l, t, FG_SIDE_BASE, 0), 0);
	CHECK_INT_EQ(l.n, 3);
	CHECK(box_at(&l, t, "kept")->start == 5);
	fg_layout__free(&l);
	fg_tree__free(t);
}

int main(void)
{
	CHECK_BEGIN("test_fg_tree");
	RUN(test_merge);
	RUN(test_shared_prefixes);
	RUN(test_add_after_finish);
	RUN(test_lens_and_empty);
	RUN(test_bad_counts);
	RUN(test_reverse);
	RUN(test_diff_sides);
	RUN(test_shares_as_added);
	RUN(test_sibling_order);
	RUN(test_finished_shape);
	RUN(test_layout_geometry);
	RUN(test_layout_prune);
	RUN(test_layout_order_independent);
	RUN(test_layout_deep);
	RUN(test_layout_diff_side);
	return CHECK_END();
}
