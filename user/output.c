#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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
	if (!strcmp(path, "-") || (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
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

int output__write_stream(struct profile *p, FILE *out, enum output_format fmt,
			 const struct output_opts *opts)
{
	struct folded_write_opts folded = { .with_comm = opts->with_comm };

	switch (fmt) {
	case OUTPUT_FOLDED:
		return folded_profile__write(p, out, &folded);
	case OUTPUT_PPROF:
		return pprof__write(p, out);
	case OUTPUT_JSON: {
		/* The JSON of a profile is its report: the numbers a script
		 * wants (samples, top functions, processes), not the stacks. */
		struct report_opts ro = { .source = opts->source, .format = "profile" };

		return report__write_json(p, &ro, out);
	}
	default:
		return -ENOTSUP;
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
