/* The written forms of a diff: text for a terminal, Markdown for a pull
 * request comment, JSON for scripts. All three say the same things: the
 * samples on both sides, the top changes by inclusive and by self share
 * with counts on both sides and the noise interval, and every gate. */
#ifndef PODFLAME_DIFFOUT_H
#define PODFLAME_DIFFOUT_H

#include <stdio.h>

#include "diffstat.h"
#include "gate.h"

enum diff_format { DIFF_TEXT, DIFF_MARKDOWN, DIFF_JSON };

/* "text", "markdown" (or "md"), "json". -EINVAL. */
int diff_format__parse(const char *name, enum diff_format *f);

struct diffout_opts {
	const char *base_name, *head_name; /* shown as given */
	size_t top; /* rows per table (0: every changed function) */
	const struct gate *gates;
	const struct gate_result *results;
	size_t ngates;
	bool strict;
};

/* Sorts d->fns. 0 or -errno (write errors are left to the stream). */
int diffout__write(struct diffstat *d, enum diff_format f, const struct diffout_opts *o, FILE *fp);

#endif
