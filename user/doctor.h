/* The doctor's diagnosis of a recorded window: is a Go process's
 * GOMAXPROCS above what its CPU limit can run, is the target throttled, and
 * how much of its CPU went to the runtime's scheduler and GC — then the fix.
 *
 * Verdicts, worst first (the JSON "verdict" names):
 *   gomaxprocs_above_limit  a Go process runs with GOMAXPROCS above
 *                           max(1, floor(limit)) of its effective limit
 *   cpu_throttled           GOMAXPROCS fits, but the cgroup was throttled in
 *                           >= 10% of the window's periods (the limit is below
 *                           the load)
 *   ok                      neither
 *   no_go_process           nothing Go to judge (throttling still reported)
 * doctor__exit_status maps the first two to 3, the others to 0. */
#ifndef PODFLAME_DOCTOR_H
#define PODFLAME_DOCTOR_H

#include <stdbool.h>
#include <stdio.h>

#include "cpuwindow.h"
#include "profile.h"

/* Throttled in at least this share of periods, and at least this many. */
#define DOCTOR_THROTTLED_SHARE 0.10
#define DOCTOR_THROTTLED_MIN 5

enum doctor_verdict {
	DOCTOR_OK,
	DOCTOR_NO_GO_PROCESS,
	DOCTOR_CPU_THROTTLED,
	DOCTOR_GOMAXPROCS_ABOVE_LIMIT,
};

/* Inclusive shares (0..1) of samples; total is the sample count. */
struct doctor_shares {
	double total;
	double schedule, gc_worker, gc_assist;
};

struct doctor_report {
	const char *target; /* as recording__describe_target says it */
	const struct cpuwindow *window;
	const struct profile *prof;
	double seconds; /* the window's length */
	struct doctor_shares shares; /* the whole target */
	struct doctor_shares *proc_shares; /* per window process */
	/* Judged: */
	enum doctor_verdict verdict;
	int primary; /* the process the top-level numbers are about, or -1 */
	bool throttle_known;
	uint64_t periods, throttled_periods;
	double throttled_seconds;
	double cpu_seconds; /* -1 unknown */
};

/* Shares of the samples of pid (0: all) in prof. 0 or -ENOMEM. */
int doctor__shares(const struct profile *prof, int pid, struct doctor_shares *out);

/* Computes shares and the verdict. r's target, window, prof and seconds
 * are set by the caller. 0 or -ENOMEM. */
int doctor__judge(struct doctor_report *r);
void doctor__release(struct doctor_report *r);
int doctor__exit_status(const struct doctor_report *r);

const char *doctor_verdict__name(enum doctor_verdict v);

/* The report for people, and the JSON one (keys: verdict, gomaxprocs,
 * gomaxprocs_source, cpu_limit, recommended_gomaxprocs, throttled_periods,
 * throttled_seconds, shares, ... and processes[]). */
void doctor__write_text(FILE *out, const struct doctor_report *r);
void doctor__write_json(FILE *out, const struct doctor_report *r);

#endif
