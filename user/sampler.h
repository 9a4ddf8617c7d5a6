/* The kernel side of a recording: opens the BPF program (configure before
 * load), opens one cpu-clock perf event per online CPU — in cgroup mode when
 * a cgroup is the target, so nothing outside it is ever sampled — attaches,
 * and reads back the in-kernel aggregation, stacks and loss counters. */
#ifndef PODFLAME_SAMPLER_H
#define PODFLAME_SAMPLER_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/profile.h"

struct sampler_opts {
	unsigned int frequency_hz;
	int cgroup_fd; /* >= 0: sample only this cgroup v2 directory (and below) */
	const int *tgids; /* non-empty: sample only these processes */
	size_t ntgids;
	bool user_stacks, kernel_stacks;
	bool include_idle;
	bool capture_sp_word; /* keep the word at user SP (complete Go stacks) */
	uint32_t counts_entries, stack_entries; /* 0: defaults */
};

/* Which step failed, so the command can name the subject of the error. */
enum sampler_stage {
	SAMPLER_STAGE_OPEN,
	SAMPLER_STAGE_LOAD,
	SAMPLER_STAGE_FILTER,
	SAMPLER_STAGE_PERF_EVENT,
	SAMPLER_STAGE_ATTACH,
	SAMPLER_STAGE_RINGBUF,
};

struct sampler_error {
	enum sampler_stage stage;
	int cpu; /* for PERF_EVENT/ATTACH */
};

struct sampler;

/* A new address space was seen by the program: once per (tgid, mm_id), so
 * again after an exec. comm is the sampled thread's name; comm_is_process
 * when that thread is the main one, whose name /proc/PID/comm shows. */
typedef void (*sampler_new_task_fn)(void *ctx, uint32_t tgid, uint32_t mm_id, const char *comm,
				    bool comm_is_process);

/* 0 or -errno with *where describing the failed step; nothing is left
 * attached on failure. */
int sampler__start(const struct sampler_opts *opts, sampler_new_task_fn on_new_task, void *ctx,
		   struct sampler **out, struct sampler_error *where);
/* Tells the program what a process's snapshot showed. */
int sampler__set_task_info(struct sampler *s, uint32_t tgid, const struct pf_task_info *info);
/* Waits up to timeout_ms for new-task events and delivers them. How many,
 * or -errno (-EINTR when a signal arrived). */
int sampler__poll(struct sampler *s, int timeout_ms);
/* Detaches the perf events: no sample is taken after this returns. The maps
 * stay readable. Idempotent. */
void sampler__stop(struct sampler *s);
void sampler__free(struct sampler *s);

/* Visits every aggregated key with its count. Stops at the first non-zero
 * return of fn and returns it. */
typedef int (*sampler_count_fn)(void *ctx, const struct pf_key *key, uint64_t count);
int sampler__for_each_count(struct sampler *s, sampler_count_fn fn, void *ctx);
/* Copies the stack stored under key (from pf_key.user_stack or
 * kernel_stack), innermost address first. -ENOENT when it is not stored. */
int sampler__read_stack(struct sampler *s, uint64_t key, struct pf_stack *stack);
/* Sums of the per-CPU loss and sample counters. */
int sampler__counters(struct sampler *s, uint64_t drops[PF_DROP__COUNT],
		      uint64_t stats[PF_STAT__COUNT]);
/* Cumulative run time and runs of the BPF program as the kernel counts
 * them (needs kernel.bpf_stats_enabled=1, else both stay 0). */
int sampler__prog_stats(struct sampler *s, uint64_t *run_time_ns, uint64_t *run_cnt);
int sampler__ncpus(const struct sampler *s);

const char *sampler_stage__name(enum sampler_stage stage);
const char *pf_drop__name(enum pf_drop drop);

#endif
