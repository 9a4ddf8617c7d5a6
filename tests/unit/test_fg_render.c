/* The SVG writer: geometry read back from the output, colours, banner,
 * differential graphs, determinism, a golden file, errors. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flamegraph/flamegraph.h"
#include "flamegraph/folded.h"

struct frame {
	char title[512];
	char text[256];
	double x, y, w, s, v;
	unsigned r, g, b;
};

struct svg {
	char *buf;
	size_t len;
	struct frame frames[256];
	size_t n;
	int err;
	struct fg_render_stats st;
};

static int add_cb(void *ctx, const char *const *frames, const size_t *lens, size_t n, double c)
{
	return fg_tree__add(ctx, frames, lens, n, c);
}

static struct fg_tree *tree_of(const char *folded, struct rt_classifier *cls)
{
	struct fg_tree *t = fg_tree__new(cls, 0);

	if (t && folded__parse_mem(folded, strlen(folded), add_cb, NULL, t, NULL)) {
		fg_tree__free(t);
		return NULL;
	}
	return t;
}

struct diff_ctx {
	struct fg_tree *t;
	int side;
};

static int add_side_cb(void *ctx, const char *const *frames, const size_t *lens, size_t n, double c)
{
	struct diff_ctx *d = ctx;

	return fg_tree__add_side(d->t, d->side, frames, lens, n, c);
}

static struct fg_tree *diff_of(const char *base, const char *new_, struct rt_classifier *cls)
{
	struct diff_ctx d = { fg_tree__new(cls, FG_TREE_DIFF), FG_SIDE_BASE };

	if (!d.t || folded__parse_mem(base, strlen(base), add_side_cb, NULL, &d, NULL))
		return NULL;
	d.side = FG_SIDE_NEW;
	if (folded__parse_mem(new_, strlen(new_), add_side_cb, NULL, &d, NULL))
		return NULL;
	return d.t;
}

static void copy_between(char *out, size_t size, const char *s, const char *open, const char *close)
{
	const char *a = strstr(s, open), *b;
	size_t n;

	out[0] = '\0';
	if (!a)
		return;
	a += strlen(open);
	b = strstr(a, close);
	if (!b)
		return;
	n = (size_t)(b - a) < size - 1 ? (size_t)(b - a) : size - 1;
	memcpy(out, a, n);
	out[n] = '\0';
}

static double attr(const char *s, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(s, key);
	return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* Renders t and reads every frame back from the SVG text. */
static void render(struct fg_tree *t, const struct fg_opts *o, struct svg *out)
{
	FILE *fp;
	char *line, *save = NULL, *copy;

	memset(out, 0, sizeof(*out));
	fp = open_memstream(&out->buf, &out->len);
	out->err = fg_render(t, o, fp, &out->st);
	fclose(fp);
	copy = strdup(out->buf);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct frame *f = &out->frames[out->n];
		const char *rect = strstr(line, "<rect");

		if (strncmp(line, "<g data-s=", 10) || out->n == 256 || !rect)
			continue;
		copy_between(f->title, sizeof(f->title), line, "<title>", "</title>");
		copy_between(f->text, sizeof(f->text), rect, "\">", "</text>");
		f->x = attr(rect, "x");
		f->y = attr(rect, "y");
		f->w = attr(rect, "width");
		f->s = attr(line, "data-s");
		f->v = attr(line, "data-v");
		sscanf(strstr(rect, "fill=\"rgb(") + 10, "%u,%u,%u", &f->r, &f->g, &f->b);
		out->n++;
	}
	free(copy);
}

static const struct frame *by_title(const struct svg *s, const char *prefix)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strncmp(s->frames[i].title, prefix, strlen(prefix)))
			return &s->frames[i];
	return NULL;
}

static bool near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

static void test_geometry(void)
{
	struct fg_tree *t = tree_of("main;work;hash 300\nmain;work 100\nmain;idle 200\n"
				    "other 400\n",
				    NULL);
	const struct frame *all, *main_, *work, *hash, *idle, *other;
	struct fg_opts o;
	struct svg s;

	REQUIRE(t);
	fg_opts__init(&o);
	render(t, &o, &s);
	CHECK_INT_EQ(s.err, 0);
	CHECK_INT_EQ(s.n, 6);
	CHECK_INT_EQ(s.st.frames, 6);
	CHECK(s.st.total == 1000);
	all = by_title(&s, "all (1,000 samples, 100%)");
	main_ = by_title(&s, "main (600 samples, 60.00%)");
	work = by_title(&s, "work (400 samples, 40.00%)");
	hash = by_title(&s, "hash (300 samples, 30.00%)");
	idle = by_title(&s, "idle (200 samples, 20.00%)");
	other = by_title(&s, "other (400 samples, 40.00%)");
	REQUIRE(all && main_ && work && hash && idle && other);
	/* widths proportional to counts over 1200 - 2 * 10 px */
	CHECK(near(all->x, 10, 0.05) && near(all->w, 1180, 0.05));
	CHECK(near(main_->w, 708, 0.05));
	CHECK(near(work->w, 472, 0.05));
	CHECK(near(hash->w, 354, 0.05));
	CHECK(near(other->x, 10 + 708, 0.05));
	/* idle sorts before work; work's own 100 samples come before hash */
	CHECK(near(idle->x, 10, 0.05));
	CHECK(near(work->x, 10 + 236, 0.05));
	CHECK(near(hash->x, 10 + 236 + 118, 0.05));
	/* nesting: children inside parents, one frame height up */
	CHECK(hash->x >= work->x && hash->x + hash->w <= work->x + work->w + 0.05);
	CHECK(near(work->y - hash->y, 16, 0.01));
	CHECK(near(main_->y - work->y, 16, 0.01));
	CHECK(near(all->y - main_->y, 16, 0.01));
	CHECK(hash->s == 300 && hash->v == 300);
	/* labels fit: 0.59 * 12 px per character */
	CHECK_STR_EQ(hash->text, "hash");
	free(s.buf);
	/* icicle: the root on top, children below */
	o.inverted = true;
	render(t, &o, &s);
	CHECK(by_title(&s, "all")->y < by_title(&s, "main")->y);
	CHECK(strstr(s.buf, ">Icicle Graph</text>") != NULL);
	free(s.buf);
	fg_tree__free(t);
}

static void test_options(void)
{
	struct fg_tree *t = tree_of("a;b 1\n", NULL);
	struct fg_opts o;
	struct svg s;

	REQUIRE(t);
	fg_opts__init(&o);
	o.width = 600;
	o.frame_height = 20;
	o.title = "My <title>";
	o.subtitle = "sub & title";
	o.count_name = "ms\"";
	o.font_type = "Courier New\"; } * { display: none";
	render(t, &o, &s);
	CHECK_INT_EQ(s.err, 0);
	CHECK(near(by_title(&s, "all")->w, 580, 0.05));
	CHECK(near(by_title(&s, "all")->y - by_title(&s, "a ")->y, 20, 0.01));
	CHECK(strstr(s.buf, ">My &lt;title&gt;</text>") != NULL);
	CHECK(strstr(s.buf, ">sub &amp; title</text>") != NULL);
	CHECK(by_title(&s, "b (1 ms&quot;, 100.00%)") != NULL);
	CHECK(strstr(s.buf, "countName: \"ms\\u0022\"") != NULL);
	/* the font cannot close the CSS rule */
	CHECK(strstr(s.buf, "font-family: Courier New'    display none, sans-serif;") != NULL);
	free(s.buf);
	fg_tree__free(t);
}

static void test_minwidth(void)
{
	char folded[8192] = "big 100000\n";
	struct fg_tree *t;
	struct fg_opts o;
	struct svg s;
	int i;

	/* 100 tiny frames: 1 sample of ~100k is 0.0118 px each */
	for (i = 0; i < 100; i++)
		sprintf(folded + strlen(folded), "tiny%02d;below 1\n", i);
	t = tree_of(folded, NULL);
	REQUIRE(t);
	fg_opts__init(&o);
	render(t, &o, &s);
	CHECK_INT_EQ(s.n, 2);
	CHECK_INT_EQ(s.st.pruned, 100);
	CHECK(strstr(s.buf, "tiny") == NULL);
	free(s.buf);
	o.min_width = 0;
	render(t, &o, &s);
	CHECK_INT_EQ(s.n, 202);
	CHECK_INT_EQ(s.st.depth, 2);
	free(s.buf);
	o.min_width = 0.0005;
	o.min_width_percent = true; /* 0.0005% of 100100 = 0.5 samples */
	render(t, &o, &s);
	CHECK_INT_EQ(s.n, 202);
	free(s.buf);
	o.min_width = 0.002; /* = 2 samples */
	render(t, &o, &s);
	CHECK_INT_EQ(s.n, 2);
	free(s.buf);
	fg_tree__free(t);
}

static void test_truncated_labels(void)
{
	struct fg_tree *t = tree_of("main.aVeryLongFunctionNameThatDoesNotFit 1\nx 60\n"
				    "do_syscall_64_[k] 60\n",
				    NULL);
	struct fg_opts o;
	struct svg s;

	REQUIRE(t);
	fg_opts__init(&o);
	render(t, &o, &s);
	/* 1/121 of 1180 px = 9.75 px: under three characters, no label */
	CHECK_STR_EQ(by_title(&s, "main.aVery")->text, "");
	/* 585 px: the annotation is not shown */
	CHECK_STR_EQ(by_title(&s, "do_syscall_64 (")->text, "do_syscall_64");
	free(s.buf);
	o.width = 300; /* 280 px: 39 characters of 7.08 px */
	fg_tree__free(t);
	t = tree_of("main.aVeryLongFunctionNameThatDoesNotFit 1\n", NULL);
	REQUIRE(t);
	render(t, &o, &s);
	CHECK_STR_EQ(by_title(&s, "main.aVery")->text, "main.aVeryLongFunctionNameThatDoesNot..");
	free(s.buf);
	fg_tree__free(t);
}

static bool in_range(const struct frame *f, int r0, int r1, int g0, int g1, int b0, int b1)
{
	return f && (int)f->r >= r0 && (int)f->r <= r1 && (int)f->g >= g0 && (int)f->g <= g1 &&
	       (int)f->b >= b0 && (int)f->b <= b1;
}

static void test_colors(void)
{
	struct rt_classifier *cls = rt_classifier__new();
	struct fg_tree *t1, *t2;
	struct fg_opts o;
	struct svg s1, s2;

	REQUIRE(cls);
	REQUIRE(rt_classifier__add_highlight(cls, "json", NULL, 0) == 0);
	t1 = tree_of("main.main;main.work;runtime.mallocgc 5\n"
		     "runtime.mcall;runtime.park_m;runtime.schedule 5\n"
		     "runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject 5\n"
		     "main.main;runtime.gcAssistAlloc;runtime.gcDrainN 5\n"
		     "main.main;encoding/json.Marshal 5\n"
		     "app;libc_write;entry_SYSCALL_64_[k] 5\n"
		     "[unknown];libfoo.so+0x1234 5\n",
		     cls);
	t2 = tree_of("zzz;main.work 1\nother 9\n", cls);
	REQUIRE(t1 && t2);
	fg_opts__init(&o);
	render(t1, &o, &s1);
	render(t2, &o, &s2);
	/* same name, same colour, wherever it is */
	REQUIRE(by_title(&s1, "main.work (") && by_title(&s2, "main.work ("));
	CHECK(by_title(&s1, "main.work (")->r == by_title(&s2, "main.work (")->r);
	CHECK(by_title(&s1, "main.work (")->g == by_title(&s2, "main.work (")->g);
	CHECK(by_title(&s1, "main.work (")->b == by_title(&s2, "main.work (")->b);
	/* kinds and families */
	CHECK(in_range(by_title(&s1, "main.work ("), 60, 120, 175, 225, 60, 110));
	CHECK(in_range(by_title(&s1, "runtime.mallocgc ("), 150, 180, 185, 210, 210, 235));
	CHECK(in_range(by_title(&s1, "runtime.schedule ("), 150, 175, 100, 130, 235, 255));
	CHECK(in_range(by_title(&s1, "runtime.park_m ("), 150, 175, 100, 130, 235, 255));
	CHECK(in_range(by_title(&s1, "runtime.scanobject ("), 25, 60, 160, 190, 160, 190));
	CHECK(in_range(by_title(&s1, "runtime.gcAssistAlloc ("), 240, 255, 115, 145, 175, 200));
	/* the worker's drain functions take the assist colour under an assist */
	CHECK(in_range(by_title(&s1, "runtime.gcDrainN ("), 240, 255, 115, 145, 175, 200));
	CHECK(in_range(by_title(&s1, "runtime.gcDrain ("), 25, 60, 160, 190, 160, 190));
	CHECK(in_range(by_title(&s1, "entry_SYSCALL_64 ("), 225, 250, 115, 165, 20, 60));
	CHECK(in_range(by_title(&s1, "libc_write ("), 210, 250, 80, 200, 30, 60));
	CHECK(in_range(by_title(&s1, "libfoo.so+0x1234 ("), 180, 200, 180, 200, 180, 200));
	CHECK(in_range(by_title(&s1, "encoding/json.Marshal ("), 240, 255, 185, 215, 0, 15));
	free(s1.buf);
	/* a single-hue palette keeps the families but not the kinds */
	o.palette = FG_PALETTE_RED;
	render(t1, &o, &s1);
	CHECK(in_range(by_title(&s1, "main.work ("), 200, 255, 50, 110, 50, 110));
	CHECK(in_range(by_title(&s1, "runtime.schedule ("), 150, 175, 100, 130, 235, 255));
	free(s1.buf);
	free(s2.buf);
	fg_tree__free(t1);
	fg_tree__free(t2);
	rt_classifier__free(cls);
}

static void test_banner(void)
{
	struct rt_classifier *cls = rt_classifier__new();
	struct fg_tree *t, *c_only;
	struct fg_opts o;
	struct svg s;

	REQUIRE(cls);
	REQUIRE(rt_classifier__add_highlight(cls, "^main\\.h<andler$", NULL, 0) == 0);
	t = tree_of("runtime.mstart;runtime.schedule;runtime.findRunnable;runtime.schedule 30\n"
		    "runtime.gcBgMarkWorker;runtime.gcDrain 12\n"
		    "main.main;runtime.mallocgc;runtime.gcAssistAlloc;runtime.gcDrainN 3\n"
		    "main.main;main.h<andler 55\n",
		    cls);
	c_only = tree_of("main;work 10\n", NULL);
	REQUIRE(t && c_only);
	fg_opts__init(&o);
	render(t, &o, &s);
	CHECK(strstr(s.buf, "<g id=\"banner\">") != NULL);
	CHECK(strstr(s.buf, ">runtime.schedule 30.00%</text>") != NULL);
	CHECK(strstr(s.buf, ">runtime.gcBgMarkWorker 12.00%</text>") != NULL);
	CHECK(strstr(s.buf, ">GC assist 3.00%</text>") != NULL);
	CHECK(strstr(s.buf, ">/^main\\.h&lt;andler$/ 55.00%</text>") != NULL);
	CHECK(strstr(s.buf, "30 of 100 samples</title>") != NULL);
	free(s.buf);
	o.banner = false;
	render(t, &o, &s);
	CHECK(strstr(s.buf, "id=\"banner\"") == NULL);
	free(s.buf);
	/* no Go runtime and no highlights: no banner */
	o.banner = true;
	render(c_only, &o, &s);
	CHECK(strstr(s.buf, "id=\"banner\"") == NULL);
	free(s.buf);
	fg_tree__free(t);
	fg_tree__free(c_only);
	rt_classifier__free(cls);
}

static void test_diff(void)
{
	struct fg_tree *t = diff_of("a;grow 10\na;shrink 30\na;same 60\n",
				    "a;grow 60\na;shrink 20\na;same 120\n", NULL);
	const struct frame *grow, *shrink, *same, *a;
	struct fg_opts o;
	struct svg s;

	REQUIRE(t);
	fg_opts__init(&o);
	render(t, &o, &s);
	CHECK_INT_EQ(s.err, 0);
	grow = by_title(&s, "grow (");
	shrink = by_title(&s, "shrink (");
	same = by_title(&s, "same (");
	a = by_title(&s, "a (");
	REQUIRE(grow && shrink && same && a);
	CHECK_STR_EQ(grow->title, "grow (base 10 samples 10.00%, new 60 samples 30.00%, "
				  "delta +20.00 pp, self +20.00 pp)");
	CHECK_STR_EQ(shrink->title, "shrink (base 30 samples 30.00%, new 20 samples 10.00%, "
				    "delta -20.00 pp, self -20.00 pp)");
	/* widths from the new profile; red grew, blue shrank, white same */
	CHECK(near(grow->w, 354, 0.05));
	CHECK(grow->r == 255 && grow->g == 35 && grow->b == 35);
	CHECK(shrink->r == 35 && shrink->g == 35 && shrink->b == 255);
	CHECK(same->r == 245 && same->g == 245 && same->b == 245);
	CHECK(a->r == 245 && a->g == 245 && a->b == 245);
	CHECK(strstr(s.buf, ">Differential Flame Graph</text>") != NULL);
	free(s.buf);
	/* raw counts: everything grew */
	o.diff_normalize = false;
	render(t, &o, &s);
	CHECK_STR_EQ(by_title(&s, "grow (")->title, "grow (base 10 samples, new 60 samples, "
						    "delta +50, self +50)");
	CHECK(by_title(&s, "same (")->r == 255);
	CHECK(by_title(&s, "shrink (")->b == 255);
	free(s.buf);
	/* widths from the base */
	o.diff_normalize = true;
	o.diff_width_base = true;
	render(t, &o, &s);
	CHECK(near(by_title(&s, "grow (")->w, 118, 0.05));
	free(s.buf);
	fg_tree__free(t);
}

static void test_diff_inclusive_and_banner(void)
{
	struct fg_tree *t = diff_of("main;runtime.schedule;futex 10\nmain;work 90\n",
				    "main;runtime.schedule;futex 30\nmain;work 70\n", NULL);
	struct fg_opts o;
	struct svg s;

	REQUIRE(t);
	fg_opts__init(&o);
	render(t, &o, &s);
	/* self: runtime.schedule has none, its callee has all the change */
	CHECK(by_title(&s, "runtime.schedule (")->g == 245);
	CHECK(by_title(&s, "futex (")->g == 35);
	CHECK(strstr(s.buf, ">runtime.schedule 10.00% \xe2\x86\x92 30.00% (+20.00 pp)</text>") !=
	      NULL);
	/* the key is red and blue; frames are not in family colours here */
	CHECK(strstr(s.buf, "<g id=\"key-grew\"><rect ") != NULL);
	CHECK(strstr(s.buf, "fill=\"rgb(255,35,35)\"") != NULL);
	CHECK(strstr(s.buf, ">shrank (self share)</text>") != NULL);
	CHECK(strstr(s.buf, "samples</title><rect") == NULL);
	free(s.buf);
	o.diff_color_inclusive = true;
	render(t, &o, &s);
	CHECK(by_title(&s, "runtime.schedule (")->g == 35);
	free(s.buf);
	{
		FILE *null = fopen("/dev/null", "w");

		REQUIRE(null);
		CHECK_INT_EQ(fg_render_diff(t, &o, null, NULL), 0);
		fclose(null);
	}
	fg_tree__free(t);
}

static char *render_str(struct fg_tree *t, const struct fg_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	fg_render(t, o, fp, NULL);
	fclose(fp);
	return buf;
}

static void test_deterministic(void)
{
	static const char *const lines[] = {
		"runtime.goexit;main.worker;main.compute;math.Sqrt 17\n",
		"runtime.goexit;main.worker;main.compute 3\n",
		"runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable 9\n",
		"runtime.goexit;main.worker.func1;syscall.write;entry_SYSCALL_64_[k] 4\n",
		"runtime.goexit;main.worker;runtime.mallocgc 6\n",
	};
	char fwd[1024] = "", rev[1024] = "";
	struct fg_tree *t1, *t2, *t3;
	char *a, *b, *c;
	struct fg_opts o;
	int i;

	for (i = 0; i < 5; i++) {
		strcat(fwd, lines[i]);
		strcat(rev, lines[4 - i]);
	}
	t1 = tree_of(fwd, NULL);
	t2 = tree_of(fwd, NULL);
	t3 = tree_of(rev, NULL);
	REQUIRE(t1 && t2 && t3);
	fg_opts__init(&o);
	a = render_str(t1, &o);
	b = render_str(t2, &o);
	c = render_str(t3, &o);
	CHECK_STR_EQ(a, b);
	CHECK_STR_EQ(a, c); /* input order does not matter either */
	free(a);
	a = render_str(t1, &o);
	CHECK_STR_EQ(a, b); /* rendering twice from one tree */
	free(a);
	free(b);
	free(c);
	fg_tree__free(t1);
	fg_tree__free(t2);
	fg_tree__free(t3);
}

/* (Not strstr in a loop: ASan's strstr measures the whole rest of the
 * haystack on every call, minutes on a multi-megabyte SVG.) */
static size_t count_substr(const char *s, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (; *s; s++)
		if (*s == needle[0] && !strncmp(s, needle, len))
			n++;
	return n;
}

/* Stacks merged on the worker thread or inline, finished and rendered on
 * two threads or one: the same bytes. */
static void test_worker_same_output(void)
{
	struct fg_tree *threaded = fg_tree__new(NULL, 0),
		       *serial = fg_tree__new(NULL, FG_TREE_SERIAL);
	char frame[12][32];
	const char *frames[12];
	uint64_t x = 88172645463325252ull;
	struct fg_opts o;
	char *a, *b;
	int i, d;

	REQUIRE(threaded && serial);
	for (i = 0; i < 30000; i++) { /* many batches, random shapes */
		int depth = 1 + (int)(x % 12);

		for (d = 0; d < depth; d++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			snprintf(frame[d], sizeof(frame[d]), "pkg.f%d",
				 (int)(x % (d < 2 ? 3 : 40)));
			frames[d] = frame[d];
		}
		CHECK_INT_EQ(fg_tree__add(threaded, frames, NULL, (size_t)depth, (double)(x % 9)),
			     0);
		CHECK_INT_EQ(fg_tree__add(serial, frames, NULL, (size_t)depth, (double)(x % 9)), 0);
		if (i == 7000) { /* finish mid-way and go on adding */
			CHECK_INT_EQ(fg_tree__finish(threaded), 0);
			CHECK_INT_EQ(fg_tree__finish(serial), 0);
		}
	}
	fg_opts__init(&o);
	o.min_width = 0;
	a = render_str(threaded, &o);
	b = render_str(serial, &o);
	/* big enough for the threaded finish and the two-part frame writer */
	CHECK(fg_tree__nodes(threaded) >= 65536);
	CHECK(count_substr(a, "<g data-s=") >= 8192);
	CHECK_STR_EQ(a, b);
	CHECK_INT_EQ(fg_tree__nodes(threaded), fg_tree__nodes(serial));
	free(a);
	free(b);
	fg_tree__free(threaded);
	fg_tree__free(serial);
}

static void test_empty_and_errors(void)
{
	struct fg_tree *t = fg_tree__new(NULL, 0);
	struct fg_opts o;
	struct svg s;
	FILE *full;

	REQUIRE(t);
	fg_opts__init(&o);
	render(t, &o, &s);
	CHECK_INT_EQ(s.err, 0);
	CHECK(s.st.total == 0);
	CHECK(strstr(s.buf, "No samples in the input.") != NULL);
	CHECK(strstr(s.buf, "</svg>\n") != NULL);
	free(s.buf);
	REQUIRE(fg_tree__add(t, (const char *[]){ "a" }, NULL, 1, 1) == 0);
	o.width = 10;
	CHECK_INT_EQ(fg_render(t, &o, stdout, NULL), -EINVAL);
	fg_opts__init(&o);
	o.font_size = 0;
	CHECK_INT_EQ(fg_render(t, &o, stdout, NULL), -EINVAL);
	fg_opts__init(&o);
	o.min_width = NAN;
	CHECK_INT_EQ(fg_render(t, &o, stdout, NULL), -EINVAL);
	fg_opts__init(&o);
	o.count_name = NULL;
	CHECK_INT_EQ(fg_render(t, &o, stdout, NULL), -EINVAL);
	fg_opts__init(&o);
	CHECK_INT_EQ(fg_render(t, &o, NULL, NULL), -EINVAL);
	CHECK_INT_EQ(fg_render_diff(t, &o, stdout, NULL), -EINVAL);
	/* a full disk is an error, not a short file */
	full = fopen("/dev/full", "w");
	if (full) {
		setvbuf(full, NULL, _IONBF, 0);
		CHECK_INT_EQ(fg_render(t, &o, full, NULL), -ENOSPC);
		fclose(full);
	}
	fg_tree__free(t);
}

/* The golden file: every part of the page but the script, reviewed in diffs. */
static void test_golden(void)
{
	char in_path[512], gold_path[512], *in = NULL, *want = NULL, *got;
	struct rt_classifier *cls = rt_classifier__new();
	struct fg_tree *t;
	struct fg_opts o;
	size_t len = 0;
	FILE *fp;

	REQUIRE(cls && rt_classifier__add_highlight(cls, "json", NULL, 0) == 0);
	snprintf(in_path, sizeof(in_path), "%s/fg_render/golden.folded", check_data_dir());
	snprintf(gold_path, sizeof(gold_path), "%s/fg_render/golden.svg", check_data_dir());
	fp = fopen(in_path, "r");
	REQUIRE(fp);
	REQUIRE(getdelim(&in, &len, '\0', fp) > 0);
	fclose(fp);
	t = tree_of(in, cls);
	REQUIRE(t);
	fg_opts__init(&o);
	o.scripts = false;
	o.title = "golden";
	got = render_str(t, &o);
	if (getenv("PODFLAME_BLESS")) {
		fp = fopen(gold_path, "w");
		REQUIRE(fp);
		fputs(got, fp);
		fclose(fp);
	}
	fp = fopen(gold_path, "r");
	REQUIRE(fp);
	len = 0;
	REQUIRE(getdelim(&want, &len, '\0', fp) > 0);
	fclose(fp);
	CHECK_STR_EQ(got, want);
	CHECK(strstr(got, "<script") == NULL);
	free(in);
	free(want);
	free(got);
	fg_tree__free(t);
	rt_classifier__free(cls);
}

/* The embedded script and style cannot end their CDATA sections early. */
static void test_assets(void)
{
	extern const char fg_asset_flamegraph_js[], fg_asset_flamegraph_css[];

	CHECK(strstr(fg_asset_flamegraph_js, "]]>") == NULL);
	CHECK(strstr(fg_asset_flamegraph_css, "]]>") == NULL);
	CHECK(strstr(fg_asset_flamegraph_js, "http") == NULL);
	CHECK(strstr(fg_asset_flamegraph_css, "http") == NULL);
}

int main(void)
{
	CHECK_BEGIN("test_fg_render");
	RUN(test_geometry);
	RUN(test_options);
	RUN(test_minwidth);
	RUN(test_truncated_labels);
	RUN(test_colors);
	RUN(test_banner);
	RUN(test_diff);
	RUN(test_diff_inclusive_and_banner);
	RUN(test_deterministic);
	RUN(test_worker_same_output);
	RUN(test_empty_and_errors);
	RUN(test_golden);
	RUN(test_assets);
	return CHECK_END();
}
