/* CI gates: `--fail-if EXPR`, evaluated on a base and a head profile.
 *
 *   EXPR      := [self:] SUBJECT OP THRESHOLD
 *   SUBJECT   := total | NAME | /REGEX/ | @FAMILY
 *   OP        := > | >= | < | <=
 *   THRESHOLD := [+|-] NUMBER (pp | %)
 *
 *   runtime.schedule>+2pp    inclusive share of runtime.schedule grew by more
 *                            than 2 percentage points
 *   total>+10%               samples grew by more than 10%
 *   /^runtime\.gc/>+5pp      share of samples with a frame matching the
 *                            regex (POSIX extended, unanchored) grew > 5pp
 *   self:runtime.memmove>+1pp  self share (leaf frames only)
 *   @schedule>+2pp           share of a Go runtime family, as the flame
 *                            graph's banner counts it (runtime_share.h):
 *                            @schedule, @gc-worker, @gc-assist; the same
 *                            gate whatever the Go version names the
 *                            functions (findrunnable, findRunnable...)
 *   main.handle<-20%         inclusive share fell by more than 20%
 *
 * NAME is a frame name as folded text writes it, matched exactly (kernel
 * frames end in "_[k]"). A share counts each sample once, however often the
 * stack holds the subject. pp compares shares; % is the relative change of
 * the share (of the count with --no-normalize; of samples for total). The
 * operator is the last '<' or '>' followed by a threshold, so C++ names
 * with templates work. A delta that the noise interval (diffstat.h)
 * explains does not trip a gate unless strict. */
#ifndef PODFLAME_GATE_H
#define PODFLAME_GATE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "diffstat.h"
#include "profile.h"

enum gate_subject { GATE_TOTAL, GATE_NAME, GATE_REGEX, GATE_FAMILY };
enum gate_op { GATE_GT, GATE_GE, GATE_LT, GATE_LE };
enum gate_unit { GATE_PP, GATE_PERCENT };

struct gate {
	char *expr; /* as given */
	enum gate_subject subject;
	bool self;
	char *name; /* GATE_NAME: the name; GATE_REGEX: the pattern */
	regex_t re;
	bool has_re;
	int family; /* GATE_FAMILY: enum rt_family */
	enum gate_op op;
	enum gate_unit unit;
	double threshold;
};

/* Parses expr. 0, or -EINVAL with a message naming the problem in err
 * ("'runtime.schedule>2': threshold '2' has no unit; ..."), or -ENOMEM. */
int gate__parse(const char *expr, struct gate *g, char *err, size_t err_len);
void gate__release(struct gate *g);

struct gate_result {
	int64_t count[2], samples[2]; /* subject's samples and totals per side */
	struct delta delta;
	double value; /* compared with the threshold: pp or % */
	bool seen; /* the subject has samples on either side */
	bool exceeds; /* value passes the threshold */
	bool tripped; /* exceeds, and not noise (or strict) */
};

/* 0 or -ENOMEM. */
int gate__eval(const struct gate *g, const struct profile *base, const struct profile *head,
	       const struct diff_opts *o, bool strict, struct gate_result *r);

/* "> +2pp" style text of the comparison, for messages. */
const char *gate_op__str(enum gate_op op);

#endif
