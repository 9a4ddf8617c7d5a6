/* libFuzzer target for the folded parser and everything behind it: tree
 * (plain, reversed and differential), runtime shares, layout and the SVG
 * writer. The first byte picks options; the rest is the input (gzip when it
 * starts with the gzip magic). Checks invariants rather than just running:
 * every line is accounted for, the tree holds every sample, and the SVG is
 * complete, valid UTF-8, and never contains markup from a name. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flamegraph/flamegraph.h"
#include "flamegraph/folded.h"

struct ctx {
	struct fg_tree *tree, *diff;
	struct rt_classifier *cls;
	struct rt_share share;
	uint64_t stacks, malformed_seen, last_line;
};

static int on_stack(void *p, const char *const *frames, const size_t *lens, size_t n, double count)
{
	struct ctx *c = p;
	size_t i;
	int err;

	for (i = 0; i < n; i++)
		if (strlen(frames[i]) != lens[i] || memchr(frames[i], ';', lens[i]))
			abort(); /* frames are split exactly at ';' */
	if (!(count >= 0) || isinf(count))
		abort();
	err = fg_tree__add(c->tree, frames, lens, n, count);
	if (!err)
		err = fg_tree__add_side(c->diff, (int)(c->stacks & 1), frames, lens, n, count);
	if (!err)
		err = rt_share__add_stack(&c->share, c->cls, frames, lens, n, count);
	c->stacks++;
	return err;
}

static void on_malformed(void *p, uint64_t line_no, const char *reason)
{
	struct ctx *c = p;

	if (!reason || !*reason || line_no == 0 || line_no < c->last_line)
		abort();
	c->last_line = line_no;
	c->malformed_seen++;
}

static int utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char b = s[i];
		size_t n = b < 0x80	    ? 1
			   : (b >> 5) == 6  ? 2
			   : (b >> 4) == 14 ? 3
			   : (b >> 3) == 30 ? 4
					    : 0;

		if (!n || i + n > len)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n;
	}
	return 1;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

static void render_check(struct fg_tree *t, const struct fg_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int err;

	if (!fp)
		return;
	err = fg_render(t, o, fp, NULL);
	fclose(fp);
	if (!err) {
		const char *script = strstr(buf, "<script");

		if (len < 7 || strcmp(buf + len - 7, "</svg>\n") ||
		    !utf8_ok((unsigned char *)buf, len))
			abort();
		/* One script at most, and it is ours (after every frame). */
		if (script &&
		    (strstr(script + 1, "<script") || strstr(buf, "<g id=\"frames\">") > script))
			abort();
		/* Markup from names never reaches the page: no element from the
		 * title or highlight, and no CDATA section ended early. */
		if (strstr(buf, "<evil") || count(buf, "]]>") != count(buf, "<![CDATA["))
			abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { 0 };
	struct folded_stats st;
	struct fg_opts o;
	uint8_t flags;
	int err;

	if (size < 1)
		return 0;
	flags = data[0];
	c.cls = rt_classifier__new();
	if (!c.cls)
		return 0;
	if (flags & 1)
		rt_classifier__add_highlight(c.cls, "json|<evil>", NULL, 0);
	c.tree = fg_tree__new(c.cls, flags & 2 ? FG_TREE_REVERSE : 0);
	c.diff = fg_tree__new(c.cls, FG_TREE_DIFF);
	if (!c.tree || !c.diff)
		goto out;
	err = folded__parse_mem(data + 1, size - 1, on_stack, on_malformed, &c, &st);
	if (!err) {
		if (st.lines != st.stacks + st.skipped + st.malformed || st.stacks != c.stacks ||
		    st.malformed != c.malformed_seen)
			abort();
		if (fabs(fg_tree__total(c.tree, 0) - st.total) > 1e-6 * (st.total + 1) ||
		    fabs(c.share.total - st.total) > 1e-6 * (st.total + 1))
			abort();
	}
	fg_opts__init(&o);
	o.inverted = flags & 4;
	o.palette = (enum fg_palette)((flags >> 3) % FG_PALETTE__COUNT);
	o.min_width = flags & 0x80 ? 0 : 0.1;
	o.scripts = flags & 0x40;
	o.title = "fuzz <evil> ]]>";
	render_check(c.tree, &o);
	o.diff_normalize = flags & 0x20;
	render_check(c.diff, &o);
	if (fg_tree__finish(c.tree) == 0 &&
	    fg_tree__value(c.tree, 0, 0) != fg_tree__total(c.tree, 0) &&
	    fabs(fg_tree__value(c.tree, 0, 0) - fg_tree__total(c.tree, 0)) >
		    1e-6 * (fg_tree__total(c.tree, 0) + 1))
		abort();
out:
	fg_tree__free(c.tree);
	fg_tree__free(c.diff);
	rt_classifier__free(c.cls);
	return 0;
}
