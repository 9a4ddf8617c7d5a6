#include <errno.h>
#include <string.h>
#include <strings.h>

#include "folded.h"
#include "outfile.h"
#include "output.h"
#include "pprof.h"

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
	int f, s;

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

static int write_format(struct profile *p, FILE *out, enum output_format fmt,
			const struct output_opts *opts)
{
	struct folded_write_opts folded = { .with_comm = opts->with_comm };

	switch (fmt) {
	case OUTPUT_FOLDED:
		return folded_profile__write(p, out, &folded);
	case OUTPUT_PPROF:
		return pprof__write(p, out);
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
	err = write_format(p, out.fp, fmt, opts);
	if (err) {
		outfile__abort(&out);
		return err;
	}
	return outfile__commit(&out);
}
