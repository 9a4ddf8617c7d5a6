/* One recording window, shared by the commands that sample (record, doctor).
 * Command layer: it prints the start line, the live status line and errors,
 * and handles Ctrl-C/SIGTERM (they end the window; output is still built). */
#ifndef PODFLAME_RECORDING_H
#define PODFLAME_RECORDING_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "profile.h"
#include "record.h"
#include "target.h"

struct recording_opts {
	const struct target *target;
	unsigned int frequency_hz;
	double duration_s;
	bool user_stacks, kernel_stacks, include_idle;
	bool capture_sp_word;
	uint32_t map_size; /* 0: defaults */
	bool verbose; /* libbpf's messages */
	bool status_line; /* live status on stderr (only when it is a terminal) */
};

enum recording_end {
	RECORDING_END_TIME,
	RECORDING_END_SIGNAL,
	RECORDING_END_TARGET_GONE,
};

struct recording_result {
	struct record_stats stats;
	enum recording_end end;
	int signal; /* for RECORDING_END_SIGNAL */
	int ncpus;
	double seconds;
};

/* Checks what every recording needs (kernel BTF); prints why not. 0 or an
 * exit status. */
int recording__preflight(void);
/* Runs the window and builds the profile into prof (its meta included).
 * Returns PF_EXIT_OK, or PF_EXIT_ERROR after printing the cause. */
int recording__run(const struct recording_opts *opts, struct profile *prof,
		   struct recording_result *res);
/* The end-of-run summary: samples, losses by cause, unknown frames. */
void recording__print_summary(const struct recording_result *res, const struct profile *prof,
			      unsigned int frequency_hz);

/* Parses one target option into t: 'c' (--cgroup PATH), 'p' (--pid PID),
 * 'a' (-a). 0, or an exit status after printing why. */
int recording__target_option(struct target *t, const struct cgroup_mounts *mounts, int opt,
			     const char *arg);
/* "cgroup /sys/fs/...", "pid 1,2", "all processes". */
const char *recording__describe_target(const struct target *t, char *buf, size_t cap);

/* A decimal unsigned number <= max; -EINVAL otherwise. */
int recording__parse_uint(const char *text, unsigned long max, unsigned long *value);

#endif
