/* Writing a profile to a file in the format its name asks for. One place
 * that knows every output format, shared by record, convert and doctor. */
#ifndef PODFLAME_OUTPUT_H
#define PODFLAME_OUTPUT_H

#include <stdbool.h>

#include "profile.h"

enum output_format {
	OUTPUT_FOLDED,
	OUTPUT_SVG,
	OUTPUT_PPROF,
	OUTPUT_JSON,
	OUTPUT__COUNT,
};

struct output_opts {
	bool with_comm; /* process name as root frame (folded, SVG) */
	const char *title; /* SVG */
	const char *subtitle; /* SVG */
	const char *source; /* JSON: what was profiled or read ("-" when NULL) */
};

/* By extension: .folded .collapsed .txt -> folded, .svg, .pb.gz .pprof .pb
 * -> pprof, .json; "-", devices and FIFOs -> folded. -EINVAL otherwise. */
int output_format__from_path(const char *path, enum output_format *fmt);
/* By name: "folded", "svg", "pprof", "json". -EINVAL. */
int output_format__parse(const char *name, enum output_format *fmt);
const char *output_format__name(enum output_format fmt);

/* Writes p to a stream already open. 0 or -errno; -ENOTSUP for a format
 * this build cannot write. Write errors show on the stream (ferror). */
int output__write_stream(struct profile *p, FILE *out, enum output_format fmt,
			 const struct output_opts *opts);
/* Opens, writes and commits atomically (temporary name, then rename); "-"
 * is stdout. 0 or -errno. */
int output__write(struct profile *p, const char *path, enum output_format fmt,
		  const struct output_opts *opts);

#endif
