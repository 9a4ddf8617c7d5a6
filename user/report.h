/* What `podflame report` says about a profile: samples, the top functions by
 * self and inclusive count, and the Go runtime shares; as text or JSON.
 * The per-function table is also what diff compares.
 *
 * Counting follows pprof's -top, so the two agree on any profile we write:
 *   self (flat)        samples whose leaf frame is the function; with inlined
 *                      frames the leaf is the innermost one
 *   inclusive (cum)    samples whose stack contains the function at least
 *                      once (recursion counts once)
 * Names are as folded text shows them: kernel frames carry "_[k]" (pprof
 * shows the same functions without it). The process name is a sample label,
 * not a function; in folded input it is the root frame and counts as one. */
#ifndef PODFLAME_REPORT_H
#define PODFLAME_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"

struct fn_stat {
	const char *name; /* valid while the profile lives */
	int64_t self, total;
};

struct fn_table {
	struct fn_stat *fns; /* sorted by name (strcmp) */
	size_t n;
	int64_t samples; /* all samples of the profile */
};

/* 0 or -ENOMEM. */
int fn_table__build(const struct profile *p, struct fn_table *t);
void fn_table__release(struct fn_table *t);
/* The entry for name, or NULL. */
const struct fn_stat *fn_table__find(const struct fn_table *t, const char *name);

/* Samples whose stack has a frame (any frame, or the leaf only) for which
 * match(name) is true; each distinct name is asked once. 0 or -ENOMEM. */
int report__count_matching(const struct profile *p, bool leaf_only,
			   bool (*match)(void *ctx, const char *name), void *ctx, int64_t *count);

/* Inclusive shares of the Go runtime families (flamegraph/runtime_share.h:
 * the same numbers the flame graph's banner and doctor state), over the
 * frames of each sample, the process name left out. out is zeroed first.
 * 0 or -ENOMEM. */
struct rt_share;
int report__runtime_shares(const struct profile *p, struct rt_share *out);

struct report_opts {
	const char *source; /* file name shown in the header */
	const char *format; /* "folded" or "pprof" */
	size_t top; /* rows per table; 0: all */
};

/* Both 0 or -errno (-ENOMEM; write errors are left to the stream). */
int report__write_text(const struct profile *p, const struct report_opts *o, FILE *fp);
int report__write_json(const struct profile *p, const struct report_opts *o, FILE *fp);

#endif
