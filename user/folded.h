/* Profile -> Brendan Gregg's folded text: "root;...;leaf COUNT\n". The
 * parser of folded text is flamegraph/folded.h (one parser in the project). */
#ifndef PODFLAME_FOLDED_H
#define PODFLAME_FOLDED_H

#include <stdbool.h>
#include <stdio.h>

#include "profile.h"

struct folded_write_opts {
	bool with_comm; /* process name as the root frame (record's default) */
};

/* Writes one line per distinct stack text, sorted, so the same profile gives
 * byte-identical output. Sorts p's samples. Frame names containing ';' or a
 * newline (which the format cannot carry) have them replaced by ':' and ' '.
 * 0 or -errno (write errors are left to the caller's stream check). */
int folded_profile__write(struct profile *p, FILE *out, const struct folded_write_opts *opts);

#endif
