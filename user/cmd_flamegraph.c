/* podflame flamegraph: folded stacks (ours, perf + stackcollapse, bcc,
 * bpftrace; plain or gzip) to an interactive SVG, with flamegraph.pl's
 * options. A faster drop-in for flamegraph.pl. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "errmsg.h"
#include "flamegraph/flamegraph.h"
#include "flamegraph/folded.h"
#include "outfile.h"
#include "tmpguard.h"

#define MAX_REPORTED_MALFORMED 20

struct fg_args {
	struct fg_opts opts;
	const char *in, *out;
	bool reverse;
};

struct parse_ctx {
	struct fg_tree *tree;
	const char *in_name;
	uint64_t malformed;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: podflame flamegraph [options] [IN|-]\n"
		"\n"
		"Renders folded stacks (podflame record, perf script | stackcollapse-perf.pl, bcc\n"
		"profile -f, bpftrace) as an interactive SVG: click to zoom, Ctrl-F to search.\n"
		"IN may be gzip-compressed; '-' or no IN reads standard input.\n"
		"\n"
		"  -o, --output FILE     write the SVG to FILE, atomically (default: stdout)\n"
		"      --title TEXT      title (default \"Flame Graph\")\n"
		"      --subtitle TEXT   second line under the title\n"
		"      --width PX        image width (1200)\n"
		"      --height PX       height of one frame (16)\n"
		"      --minwidth PX|N%%  omit frames narrower than PX pixels, or N%% of all\n"
		"                        samples (0.1)\n"
		"      --countname NAME  what the counts are (samples)\n"
		"      --inverted        icicle graph: the root at the top\n"
		"      --reverse         merge stacks from the leaf: leaf functions at the root\n"
		"      --colors PALETTE  %s\n"
		"      --hash            accepted for flamegraph.pl; colours always come from a\n"
		"                        hash of the name\n"
		"      --fonttype FONT   font family (Verdana)\n"
		"      --fontsize PX     font size (12)\n"
		"      --fontwidth F     average glyph width relative to the font size (0.59)\n"
		"      --highlight REGEX colour frames matching REGEX (POSIX extended) and show\n"
		"                        the share of samples whose stack has one; repeatable\n"
		"      --no-banner       leave out the Go runtime / highlight share banner\n"
		"  -q, --quiet           no summary on stderr\n"
		"  -h, --help            this help\n"
		"\n"
		"The banner gives the inclusive share (samples whose stack contains a member) of\n"
		"  runtime.schedule:       %s\n"
		"  runtime.gcBgMarkWorker: %s\n"
		"  GC assist:              %s\n",
		fg_palette__names(), rt_family__members(RT_SCHEDULE),
		rt_family__members(RT_GC_WORKER), rt_family__members(RT_GC_ASSIST));
}

enum {
	OPT_TITLE = 256,
	OPT_SUBTITLE,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_MINWIDTH,
	OPT_COUNTNAME,
	OPT_INVERTED,
	OPT_REVERSE,
	OPT_COLORS,
	OPT_HASH,
	OPT_FONTTYPE,
	OPT_FONTSIZE,
	OPT_FONTWIDTH,
	OPT_HIGHLIGHT,
	OPT_NO_BANNER,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "subtitle", required_argument, NULL, OPT_SUBTITLE },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
	{ "countname", required_argument, NULL, OPT_COUNTNAME },
	{ "inverted", no_argument, NULL, OPT_INVERTED },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "colors", required_argument, NULL, OPT_COLORS },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "fonttype", required_argument, NULL, OPT_FONTTYPE },
	{ "fontsize", required_argument, NULL, OPT_FONTSIZE },
	{ "fontwidth", required_argument, NULL, OPT_FONTWIDTH },
	{ "highlight", required_argument, NULL, OPT_HIGHLIGHT },
	{ "no-banner", no_argument, NULL, OPT_NO_BANNER },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A positive number within [lo, hi]; the whole string must parse. */
static bool parse_number(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		pf_error("--%s '%s': expected a number from %g to %g (see --help)", opt, s, lo, hi);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_minwidth(struct fg_opts *o, const char *s)
{
	size_t n = strlen(s);
	char buf[64];

	if (n > 0 && n < sizeof(buf) && s[n - 1] == '%') {
		memcpy(buf, s, n - 1);
		buf[n - 1] = '\0';
		o->min_width_percent = true;
		return parse_number("minwidth", buf, 0, 100, &o->min_width);
	}
	o->min_width_percent = false;
	return parse_number("minwidth", s, 0, 1e6, &o->min_width);
}

static bool add_highlight(struct rt_classifier *cls, const char *re)
{
	char why[256];
	int err = rt_classifier__add_highlight(cls, re, why, sizeof(why));

	if (err == -ENOMEM) {
		pf_error_errno(err, NULL, "--highlight '%s'", re);
		return false;
	}
	if (err) {
		pf_error("--highlight '%s': %s", re, why);
		return false;
	}
	return true;
}

/* 0 to go on, -1 to exit successfully (--help), else the exit status. */
static int parse_args(int argc, char **argv, struct fg_args *a, struct rt_classifier *cls)
{
	double v;
	int c, palette;

	opterr = 0; /* our messages, in the house shape */
	while ((c = getopt_long(argc, argv, ":o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 'q': pf_set_quiet(true); break;
		case 'h': usage(stdout); return -1;
		case OPT_TITLE: a->opts.title = optarg; break;
		case OPT_SUBTITLE: a->opts.subtitle = optarg; break;
		case OPT_COUNTNAME: a->opts.count_name = optarg; break;
		case OPT_FONTTYPE: a->opts.font_type = optarg; break;
		case OPT_INVERTED: a->opts.inverted = true; break;
		case OPT_REVERSE: a->reverse = true; break;
		case OPT_HASH: break;
		case OPT_NO_BANNER: a->opts.banner = false; break;
		case OPT_WIDTH:
			if (!parse_number("width", optarg, 100, 1000000, &v))
				return PF_EXIT_USAGE;
			a->opts.width = (unsigned)v;
			break;
		case OPT_HEIGHT:
			if (!parse_number("height", optarg, 4, 1000, &v))
				return PF_EXIT_USAGE;
			a->opts.frame_height = (unsigned)v;
			break;
		case OPT_FONTSIZE:
			if (!parse_number("fontsize", optarg, 1, 200, &a->opts.font_size))
				return PF_EXIT_USAGE;
			break;
		case OPT_FONTWIDTH:
			if (!parse_number("fontwidth", optarg, 0.05, 10, &a->opts.font_width))
				return PF_EXIT_USAGE;
			break;
		case OPT_MINWIDTH:
			if (!parse_minwidth(&a->opts, optarg))
				return PF_EXIT_USAGE;
			break;
		case OPT_COLORS:
			palette = fg_palette__parse(optarg);
			if (palette < 0) {
				pf_error("--colors '%s': unknown palette (one of: %s)", optarg,
					 fg_palette__names());
				return PF_EXIT_USAGE;
			}
			a->opts.palette = (enum fg_palette)palette;
			break;
		case OPT_HIGHLIGHT:
			if (!add_highlight(cls, optarg))
				return PF_EXIT_USAGE;
			break;
		case ':':
			pf_error("%s: missing argument (see --help)", argv[optind - 1]);
			return PF_EXIT_USAGE;
		default:
			if (optopt)
				pf_error("unknown option '-%c' (see --help)", optopt);
			else
				pf_error("unknown option '%s' (see --help)", argv[optind - 1]);
			return PF_EXIT_USAGE;
		}
	}
	if (optind < argc)
		a->in = argv[optind++];
	if (optind < argc) {
		pf_error("unexpected argument '%s': one input at most (see --help)", argv[optind]);
		return PF_EXIT_USAGE;
	}
	return 0;
}

static int on_stack(void *ctx, const char *const *frames, const size_t *lens, size_t n,
		    double count)
{
	struct parse_ctx *p = ctx;

	return fg_tree__add(p->tree, frames, lens, n, count);
}

static void on_malformed(void *ctx, uint64_t line_no, const char *reason)
{
	struct parse_ctx *p = ctx;

	if (++p->malformed <= MAX_REPORTED_MALFORMED)
		pf_warn("%s:%" PRIu64 ": %s; line skipped", p->in_name, line_no, reason);
}

/* Opens IN ("-" or NULL: stdin). -errno on failure. */
static int open_input(const char *in)
{
	int fd;

	if (!in || !strcmp(in, "-"))
		return STDIN_FILENO;
	fd = open(in, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int read_input(struct fg_args *a, struct parse_ctx *p, struct folded_stats *st)
{
	int fd = open_input(a->in), err;

	if (fd < 0) {
		pf_error_errno(fd, fd == -ENOENT ? "check the path" : NULL, "%s", p->in_name);
		return PF_EXIT_ERROR;
	}
	err = folded__parse_fd(fd, on_stack, on_malformed, p, st);
	if (fd != STDIN_FILENO)
		close(fd);
	if (p->malformed > MAX_REPORTED_MALFORMED)
		pf_warn("%s: %" PRIu64 " malformed lines skipped in all (first %d shown)",
			p->in_name, p->malformed, MAX_REPORTED_MALFORMED);
	if (err == -EBADMSG) {
		pf_error("%s: corrupt or truncated gzip data after %" PRIu64 " lines "
			 "(check the file; 'gzip -t' tells more)",
			 p->in_name, st->lines);
		return PF_EXIT_ERROR;
	}
	if (err) {
		pf_error_errno(err, NULL, "%s: reading folded stacks (line %" PRIu64 ")",
			       p->in_name, st->lines);
		return PF_EXIT_ERROR;
	}
	if (st->stacks == 0 || !(st->total > 0)) {
		pf_error("%s: no samples in the input (%" PRIu64 " lines, %" PRIu64
			 " malformed): expected folded stacks 'root;...;leaf COUNT'",
			 p->in_name, st->lines, st->malformed);
		return PF_EXIT_ERROR;
	}
	return 0;
}

static int write_output(struct fg_args *a, struct fg_tree *tree, struct fg_render_stats *rs)
{
	const char *out = a->out ? a->out : "-";
	struct outfile of;
	int err = tmpguard__open(&of, out);

	if (err) {
		pf_error_errno(err, NULL, "%s: cannot create the output file", out);
		return PF_EXIT_ERROR;
	}
	/* Megabytes of SVG: fewer, bigger writes. */
	setvbuf(of.fp, NULL, _IOFBF, 1u << 20);
	err = fg_render(tree, &a->opts, of.fp, rs);
	if (err) {
		bool io = ferror(of.fp);

		tmpguard__abort(&of);
		pf_error_errno(err, NULL, "%s: %s the flame graph", out,
			       io ? "writing" : "rendering");
		return PF_EXIT_ERROR;
	}
	err = tmpguard__commit(&of);
	if (err) {
		pf_error_errno(err, NULL, "%s: writing the flame graph", out);
		return PF_EXIT_ERROR;
	}
	return 0;
}

int cmd_flamegraph(int argc, char **argv)
{
	struct fg_args a = { 0 };
	struct parse_ctx p = { 0 };
	struct folded_stats st;
	struct fg_render_stats rs;
	struct rt_classifier *cls = rt_classifier__new();
	int ret;

	if (!cls) {
		pf_error_errno(errno, NULL, "starting");
		return PF_EXIT_ERROR;
	}
	fg_opts__init(&a.opts);
	ret = parse_args(argc, argv, &a, cls);
	if (ret) {
		ret = ret < 0 ? PF_EXIT_OK : ret;
		goto cleanup;
	}
	p.in_name = a.in && strcmp(a.in, "-") ? a.in : "<stdin>";
	p.tree = fg_tree__new(cls, a.reverse ? FG_TREE_REVERSE : 0);
	if (!p.tree) {
		pf_error_errno(errno, NULL, "starting");
		ret = PF_EXIT_ERROR;
		goto cleanup;
	}
	ret = read_input(&a, &p, &st);
	if (!ret)
		ret = write_output(&a, p.tree, &rs);
	if (!ret)
		pf_info("podflame flamegraph: %s: %zu frames drawn (%zu narrower than --minwidth "
			"left out), %" PRIu64 " stacks, %.0f %s",
			a.out ? a.out : "<stdout>", rs.frames, rs.pruned, st.stacks, st.total,
			a.opts.count_name);
cleanup:
	fg_tree__free(p.tree);
	rt_classifier__free(cls);
	return ret;
}
