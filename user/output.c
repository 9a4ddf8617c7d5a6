#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "flamegraph/flamegraph.h"
#include "folded.h"
#include "outfile.h"
#include "output.h"
#include "pprof.h"
#include "report.h"

static const struct {
	const char *name;
	const char *suffixes[4];
} formats[OUTPUT__COUNT] = {
	[OUTPUT_FOLDED] = { "folded", { ".folded", ".collapsed", ".txt", NULL } },
	[OUTPUT_SVG] = { "svg", { ".svg", NULL } },
	[OUTPUT_PPROF] = { "pprof", { ".pb.gz", ".pprof", ".pb", NULL } },
	[OUTPUT_JSON] = { "json", { ".json", NULL } },
};

int output_format__from_path(const char *path, enum output_format *fmt)
{
	struct stat st;
	int f, s;

	/* A stream has no extension: folded, the format every tool reads. */
	if (!strcmp(path, "-") ||
	    (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
		*fmt = OUTPUT_FOLDED;
		return 0;
	}
	for (f = 0; f < OUTPUT__COUNT; f++) {
		for (s = 0; formats[f].suffixes[s]; s++) {
			if (outfile__has_suffix(path, formats[f].suffixes[s])) {
				*fmt = (enum output_format)f;
				return 0;
			}
		}
	}
	return -EINVAL;
}

int output_format__parse(const char *name, enum output_format *fmt)
{
	int f;

	for (f = 0; f < OUTPUT__COUNT; f++) {
		if (!strcasecmp(name, formats[f].name)) {
			*fmt = (enum output_format)f;
			return 0;
		}
	}
	return -EINVAL;
}

const char *output_format__name(enum output_format fmt)
{
	return (unsigned)fmt < OUTPUT__COUNT ? formats[fmt].name : "?";
}

/* The flame graph of p: every sample's stack into a frame tree, rendered
 * with the defaults of `podflame flamegraph`, so recording straight to SVG
 * and rendering the folded output give the same picture. */
static int write_svg(struct profile *p, FILE *out, const struct output_opts *opts)
{
	struct profile_names names = { 0 };
	struct fg_tree *tree = fg_tree__new(NULL, 0);
	struct fg_opts o;
	size_t s;
	int err = 0, n;

	if (!tree)
		return -ENOMEM;
	for (s = 0; s < p->nsamples && !err; s++) {
		n = profile__sample_names(p, s, opts->with_comm, true, &names);
		if (n < 0)
			err = n;
		else if (n > 0 && p->samples[s].count > 0)
			err = fg_tree__add(tree, names.names, NULL, (size_t)n,
					   (double)p->samples[s].count);
	}
	if (!err) {
		fg_opts__init(&o);
		o.title = opts->title;
		o.subtitle = opts->subtitle;
		err = fg_render(tree, &o, out, NULL);
	}
	profile_names__release(&names);
	fg_tree__free(tree);
	return err;
}

int output__write_stream(struct profile *p, FILE *out, enum output_format fmt,
			 const struct output_opts *opts)
{
	struct folded_write_opts folded = { .with_comm = opts->with_comm };

	switch (fmt) {
	case OUTPUT_FOLDED: return folded_profile__write(p, out, &folded);
	case OUTPUT_SVG: return write_svg(p, out, opts);
	case OUTPUT_PPROF: return pprof__write(p, out);
	case OUTPUT_JSON: {
		/* The JSON of a profile is its report: the numbers a script
		 * wants (samples, top functions, processes), not the stacks. */
		struct report_opts ro = { .source = opts->source, .format = "profile" };

		return report__write_json(p, &ro, out);
	}
	default: return -ENOTSUP;
	}
}

int output__write(struct profile *p, const char *path, enum output_format fmt,
		  const struct output_opts *opts)
{
	struct outfile out;
	int err = outfile__open(&out, path);

	if (err)
		return err;
	err = output__write_stream(p, out.fp, fmt, opts);
	if (err) {
		outfile__abort(&out);
		return err;
	}
	return outfile__commit(&out);
}
