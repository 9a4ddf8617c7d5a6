/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF/user-space boundary: fixed-size structs, limits and the one enum of
 * drop causes. Nothing else belongs here; both sides count drops with it.
 */
#ifndef PODFLAME_PROFILE_H
#define PODFLAME_PROFILE_H

#ifndef __VMLINUX_H__
/* User space: the fixed-size kernel types, and none of the kernel's short
 * typedefs (bpftool's habit; they hide sign and width mistakes). */
#include <linux/types.h>
#pragma GCC poison u8 u16 u32 u64 s8 s16 s32 s64
#endif

/* perf's default kernel.perf_event_max_stack. */
#define PF_MAX_STACK_DEPTH 127
#define PF_COMM_LEN 16
/* A frame pointer that moves further than this up the stack ends the walk:
 * past it lies garbage, and touching unmapped garbage costs a page fault. */
#define PF_MAX_FRAME_SIZE (8u << 20)

#define PF_DEFAULT_COUNTS_ENTRIES 65536
/* The counts table's slots: a power of two, twice the entries. */
#define PF_DEFAULT_COUNT_SLOTS (2 * PF_DEFAULT_COUNTS_ENTRIES)
/* Slots of counts or stack_slots tried for an id before the sample or the
 * stack is dropped (counted) */
#define PF_PROBES 32
#define PF_DEFAULT_STACK_ENTRIES 32768
#define PF_DEFAULT_STACK_SLOTS (2 * PF_DEFAULT_STACK_ENTRIES)
/* stack_frames holds this many addresses per stack entry: deep stacks
 * take more, shallow ones less */
#define PF_STACK_FRAMES_PER_ENTRY 32
#define PF_DEFAULT_STACK_FRAMES (PF_DEFAULT_STACK_ENTRIES * PF_STACK_FRAMES_PER_ENTRY)
#define PF_DEFAULT_TGID_ENTRIES 16384

/* One stack, innermost address first. Stored once per distinct content,
 * keyed by a 64-bit hash of (kind, addresses). */
struct pf_stack {
	__u32 nr;
	__u32 pad;
	__u64 ips[PF_MAX_STACK_DEPTH];
};

/* One slot of the stack table: a stack's id (0 while free) and where its
 * addresses are in stack_frames; nr is set last, nonzero once they are. */
struct pf_stack_slot {
	__u64 id;
	__u32 first;
	__u32 nr;
};

/* A sample's aggregation key. A stack is an id in the stack table, or 0
 * when absent; *_err says why (0, or -errno of the step that failed) so the
 * sample is still counted when its stack is lost. */
struct pf_key {
	__u32 tgid;
	/* Which address space of tgid: changes on exec, and tells a reused pid
	 * from its predecessor (process start time and exec count, folded).
	 * User space takes 0 as "not yet known". */
	__u32 mm_id;
	/* enum pf_key_flags; PF_KEY_COMPLETE is 0 in a sample's key (hashed
	 * with it) and set in its counts slot once the rest is written there */
	__u32 flags;
	__s16 user_err;
	__s16 kernel_err;
	/* The user PC, kept apart from its callers' stack (user_stack, 0 when
	 * it has none): a hot loop's PCs then share one stored stack, so a new
	 * PC is a new key but not a new stack. */
	__u64 user_leaf;
	__u64 user_stack;
	__u64 kernel_stack;
	/* The word at the user stack pointer when it points into the sampled
	 * PC's text mapping, else 0: the return address a frameless leaf or a
	 * prologue has not yet linked into the frame-pointer chain. */
	__u64 user_sp_word;
};

/* One slot of the counts table: 64 bytes, a cache line. */
struct pf_count_slot {
	__u64 id; /* a hash of key; 0 while the slot is free */
	__u64 count;
	struct pf_key key; /* PF_KEY_COMPLETE set once the rest is written */
};

enum pf_key_flags {
	PF_KEY_IN_KERNEL = 1u << 0, /* sample interrupted kernel mode */
	PF_KEY_NO_USER = 1u << 1, /* kernel thread, or --kernel-only */
	PF_KEY_USER_TRUNCATED = 1u << 2, /* walk stopped at PF_MAX_STACK_DEPTH */
	PF_KEY_COMPLETE = 1u << 31, /* in a counts slot: its key is written */
};

/* Facts user space learns about a process and hands to the program
 * (struct pf_task_info, task_info map). */
enum pf_task_flags {
	/* A Go binary: its frame-pointer chains always end in a zero, and
	 * legitimately jump between the g0 and goroutine stacks (systemstack,
	 * cgo calls), so a link may point down the address space. */
	PF_TASK_GO = 1u << 0,
};

/* What the program knows of a process, keyed by tgid (task_info map). */
struct pf_task_info {
	__u32 flags; /* enum pf_task_flags */
	/* The address space these facts are about: the program ignores them
	 * for another (the tgid exec'd and user space has not caught up). */
	__u32 mm_id;
	/* Runtime address range of runtime.systemstack: a return address in
	 * it means the next frame record is the goroutine's, whose own return
	 * address into its caller systemstack never linked (it is frameless). */
	__u64 switch_lo, switch_hi;
};

/* The words below a stack switch that may be the missing return address
 * are appended to the stack tagged: bit 63 set, bits 47-62 the distance
 * below the frame record in 8-byte words, bits 0-46 the word itself. */
#define PF_CANDIDATE_TAG (1ull << 63)
#define PF_CANDIDATE_SHIFT 47
#define PF_CANDIDATE_WORDS 128 /* how far below the frame record to look */
#define PF_MAX_CANDIDATES 4

/* A process's address space, as the seen map and notices name it. */
struct pf_task_id {
	__u32 tgid;
	__u32 mm_id;
};

/* First sight of an address space: sent once per (tgid, mm_id) so user space
 * can snapshot /proc/PID/maps while it still exists (and again after exec). */
struct pf_new_task {
	__u32 tgid;
	__u32 mm_id;
	char comm[PF_COMM_LEN];
	__u32 leader; /* sampled on the main thread: comm is the process's name */
	__u32 pad;
};

/* Every way a sample or part of it can be lost. Indexes
 * pf_cpu_counters.drops; user space prints each by name. */
enum pf_drop {
	PF_DROP_COUNTS_FULL, /* counts map full: sample lost */
	PF_DROP_STACKS_FULL, /* stacks map full: that stack lost, sample kept */
	PF_DROP_KSTACK_FAULT, /* bpf_get_stack failed: kernel stack lost */
	PF_DROP_USTACK_FAULT, /* first user read failed: user stack lost */
	PF_DROP_NEW_TASK_LOST, /* ring buffer full: a new tgid's maps may be missed */
	PF_DROP_TGIDS_FULL, /* seen-tgid map full: no early maps snapshot */
	PF_DROP__COUNT,
};

/* Samples seen by the program, including dropped and filtered ones; the
 * per-CPU sum lets user space check received == kernel count. */
enum pf_stat {
	PF_STAT_SAMPLES, /* program invocations */
	PF_STAT_FILTERED, /* not the target (pid filter, idle) */
	PF_STAT_COUNTED, /* added to the counts map */
	PF_STAT_USER_TRUNCATED, /* user stacks deeper than PF_MAX_STACK_DEPTH */
	PF_STAT__COUNT,
};

/* The part of the program's per-CPU state user space reads (the first
 * member of each CPU's value in the cpu_state map). */
struct pf_cpu_counters {
	__u64 stats[PF_STAT__COUNT];
	__u64 drops[PF_DROP__COUNT];
};

#endif /* PODFLAME_PROFILE_H */
