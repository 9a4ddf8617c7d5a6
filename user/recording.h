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
	bool capture_sp_word; /* and recover Go callers at systemstack */
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
	double own_cpu_s; /* podflame's user+system CPU while the window was open */
};

/* From now on SIGINT and SIGTERM end the window (or, before it, make it
 * empty) instead of killing the process, so outputs opened early are still
 * completed or removed. Call before opening outputs. */
void recording__catch_signals(void);

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
 * 'a' (-a), 'P' (--pod UID), 'C' (--container ID). A pod or container
 * becomes its cgroup2 directory; where it only exists in the v1 cpu
 * hierarchy (v1-only hosts), its processes at this moment. 0, or an exit
 * status after printing why. */
int recording__target_option(struct target *t, const struct cgroup_mounts *mounts, int opt,
			     const char *arg);
/* The target options' long names, for option tables and usage text. */
#define RECORDING_TARGET_USAGE                                                             \
	"      --pod UID          a Kubernetes pod on this node (UID as kubectl prints\n"  \
	"                         it, or a unique prefix); see podflame targets\n"         \
	"      --container ID     a container (containerd://ID, cri-o://ID, docker://ID\n" \
	"                         or >= 12 hex digits of it)\n"                            \
	"      --cgroup PATH      a cgroup v2 directory and everything below it\n"         \
	"                         (absolute, or relative to the cgroup2 mount)\n"          \
	"  -p, --pid PID          a process (repeatable)\n"                                \
	"  -a, --all              every process on the host\n"

/* Joins the host's cgroup namespace (kthreadd's, else PID 1's) when running
 * in a hostPID pod with a private one (see cgroup__enter_ns_of); warns when
 * that fails. Call first, before reading mounts or /proc/PID/cgroup. */
void recording__host_cgroup_view(void);

struct pods;
/* Prints why a --pod/--container lookup failed (err from pods__find_*),
 * with the candidates: the matches when ambiguous, else what exists. */
void recording__report_lookup(const struct pods *pods, const char *option, const char *arg,
			      int err);
/* "cgroup /sys/fs/...", "pid 1,2", "all processes". */
const char *recording__describe_target(const struct target *t, char *buf, size_t cap);

/* A decimal unsigned number <= max; -EINVAL otherwise. */
int recording__parse_uint(const char *text, unsigned long max, unsigned long *value);

#endif
