/* From the sampler's aggregated keys to a symbolized profile. Processes are
 * snapshotted (maps + binaries) as soon as they are seen, so one that exits
 * during the window is still symbolized at the end. */
#ifndef PODFLAME_RECORD_H
#define PODFLAME_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf/profile.h"
#include "gostack.h"
#include "profile.h"
#include "sampler.h"
#include "sym/procsym.h"
#include "sym/symcache.h"

struct record_stats {
	uint64_t samples; /* counted in the profile */
	uint64_t keys; /* distinct in-kernel keys */
	uint64_t processes; /* distinct tgids sampled */
	uint64_t snapshots_failed; /* processes gone before their maps were read */
	uint64_t frames, unknown_frames; /* over all samples, weighted by count */
	uint64_t samples_with_unknown;
	uint64_t user_stacks_lost, kernel_stacks_lost; /* samples whose stack was lost */
	uint64_t go_leaf[GOSTACK__COUNT]; /* samples by what the Go leaf check found */
	uint64_t go_stack_ends; /* samples whose stack ends at mcall/morestack */
	uint64_t go_switch_restored, go_switch_lost; /* systemstack callers */
	uint64_t drops[PF_DROP__COUNT]; /* from the kernel */
	uint64_t kernel_stats[PF_STAT__COUNT];
	bool kernel_symbols; /* /proc/kallsyms was readable */
	struct procsym_stats sym;
	struct symcache_stats cache;
};

struct recorder;

/* Loads the vdso. NULL + errno (ENOMEM). Kernel symbols are loaded by
 * recorder__build; a missing kallsyms is not fatal: kernel frames become
 * [unknown] and stats say so. */
struct recorder *recorder__new(void);
void recorder__free(struct recorder *rec);

/* Snapshots the process's current address space now (first sight of
 * (tgid, mm_id)); later calls for the same pair do nothing. mm_id 0 means
 * "not yet known" (a --pid target before its first sample): the snapshot is
 * bound to the first mm_id reported for that tgid. comm is the BPF-seen
 * thread name: taken as the process's when comm_is_process, else used only
 * when /proc has none. */
void recorder__note_task(struct recorder *rec, uint32_t tgid, uint32_t mm_id, const char *comm,
			 bool comm_is_process);

/* Reads every key from the stopped sampler and builds the profile. 0 or
 * -errno. */
int recorder__build(struct recorder *rec, struct sampler *s, struct profile *out,
		    struct record_stats *stats);

/* The snapshot of (tgid, mm_id), NULL when none was possible. */
const struct procsym *recorder__process(const struct recorder *rec, uint32_t tgid, uint32_t mm_id);

#endif
