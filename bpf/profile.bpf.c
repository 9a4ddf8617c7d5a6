// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * On-CPU stack sampler. Attached to per-CPU cpu-clock perf events; the target
 * is chosen by how user space opens those events (cgroup mode, or system-wide
 * with a tgid filter here). Samples are aggregated in the kernel by
 * {tgid, user PC, its callers' stack id, kernel stack id, user SP word}; every
 * loss is counted.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "profile.h"

#ifndef EEXIST
#define EEXIST 17
#endif
#ifndef EFAULT
#define EFAULT 14
#endif
#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef ENOENT
#define ENOENT 2
#endif

/* Set by user space before load (read-only after). */
const volatile bool filter_by_tgid = false;
const volatile bool include_idle = false;
const volatile bool want_user_stacks = true;
const volatile bool want_kernel_stacks = true;
const volatile bool capture_sp_word = true;

/* Samples counted by key. An open-addressed table in an array, not a hash
 * map: an array lookup is address arithmetic, so a sample of a known key
 * reads one slot (one cache line: a slot is 64 bytes, the array's data
 * page-aligned since it is mmapable), where a hash map reads its header, a
 * bucket and an element, each cold at 99 Hz; and a new key is written into
 * its slot instead of a second map. A slot is found by a 64-bit hash of its
 * key (two of 65536 keys share one with odds of 2^-33). Both builds at once,
 * balanced for start order: the table against a hash map of counts by id
 * and one of keys, 0.84x the cost per sample. Twice as many slots as
 * --map-size's entries keeps probe sequences short; one longer than
 * PF_PROBES drops the sample, counted. User space mmaps the table. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct pf_count_slot);
	__uint(max_entries, PF_DEFAULT_COUNT_SLOTS);
	__uint(map_flags, BPF_F_MMAPABLE);
} counts SEC(".maps");

/* counts' max_entries - 1; its max_entries is a power of two */
const volatile __u32 count_slot_mask = PF_DEFAULT_COUNT_SLOTS - 1;

/* Distinct stacks, by a 64-bit hash of their content: an open-addressed
 * table of ids like counts, each pointing at its addresses in stack_frames,
 * stored back to back. A sample whose key is new (at 99 Hz on a Go program,
 * one in six to ten in a 10 s window) checks its stacks here: one slot
 * each, not a hash map's three lines, and a new stack writes its own
 * addresses, not a 1016-byte value. Unlike a stack-trace map's buckets,
 * the table only loses a stack when it or stack_frames is full (counted). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct pf_stack_slot);
	__uint(max_entries, PF_DEFAULT_STACK_SLOTS);
	__uint(map_flags, BPF_F_MMAPABLE);
} stack_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, PF_DEFAULT_STACK_FRAMES);
	__uint(map_flags, BPF_F_MMAPABLE);
} stack_frames SEC(".maps");

/* stack_slots' max_entries - 1 (a power of two); stack_frames' entries */
const volatile __u32 stack_slot_mask = PF_DEFAULT_STACK_SLOTS - 1;
const volatile __u32 stack_frames_max = PF_DEFAULT_STACK_FRAMES;

/* stack_frames handed out so far, across CPUs */
__u32 stack_frames_used = 0;

/* --pid targets: tgids to sample. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, 1024);
} target_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct pf_task_id);
	__type(value, __u8);
	__uint(max_entries, PF_DEFAULT_TGID_ENTRIES);
} seen_tasks SEC(".maps");

/* What user space learned from a process's snapshot, by tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct pf_task_info);
	__uint(max_entries, PF_DEFAULT_TGID_ENTRIES);
} task_info SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} new_tasks SEC(".maps");

/* The stack words just below a goroutine's frame record at a switch. */
struct candidate_window {
	__u64 words[PF_CANDIDATE_WORDS];
};

/*
 * State of one stack walk. The loops are bpf_loop() callbacks, and the
 * state lives in map memory rather than on the stack: values read from a
 * map are not tracked exactly, so the verifier's states converge after a
 * step or two instead of being explored for each of 127 iterations.
 */
struct walk_state {
	__u64 fp; /* the frame record to read next */
	__u64 low; /* lowest address that record may start at */
	__u64 high; /* nothing valid at or above this */
	__u64 switch_lo, switch_hi; /* runtime.systemstack, for Go */
	__u64 switch_record; /* goroutine frame record after a switch, or 0 */
	__u64 text_lo, text_hi; /* the executable's text */
	__u32 n; /* addresses in the stack so far */
	__u32 found; /* switch candidates appended */
	__u32 is_go;
	__u32 pad;
};

/* The thread last sampled on a CPU, and facts about its process that
 * otherwise take reads of cold lines: the leader's task_struct (for mm_id)
 * and the mm_struct. A thread is its task_struct's address and start time
 * (the address alone is reused after exit); the mm's address changes at
 * exec. Consecutive samples of one thread on a CPU, nearly all of them for
 * a busy target, then read neither: 0.1-0.15 us less per sample at 99 Hz
 * (stage timers), 0.95x (both builds at once, eight rounds). */
struct thread_cache {
	__u64 task, start_time, mm;
	__u64 env_end, start_code, end_code;
	__u32 mm_id;
	__u32 pad;
};

/*
 * Everything one CPU's samples keep, in one map value: a sample at 99 Hz
 * finds the caches cold, so each map and hash lookup it avoids saves cache
 * and TLB misses. One value instead of five maps, and the process cache
 * below instead of two hash lookups, took a fifth off the cost per sample
 * (tests/bench/bench_record.sh, 999 Hz).
 */
struct cpu_state {
	struct pf_cpu_counters counters; /* read by user space: keep first */
	struct thread_cache thread;
	/* The process last sampled here, whether its notice went out, and
	 * its task_info when one for this address space was found. */
	struct pf_task_id task;
	__u32 task_noticed;
	__u32 task_has_info;
	struct pf_task_info info;
	struct walk_state walk;
	struct candidate_window window;
	/* Too big for the 512-byte BPF stack. Two: both are held until the
	 * sample's key is known to be new. */
	struct pf_stack stack; /* user */
	struct pf_stack kstack;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct cpu_state);
	__uint(max_entries, 1);
} cpu_state SEC(".maps");

enum stack_kind { STACK_USER, STACK_KERNEL };

static __always_inline struct cpu_state *this_cpu_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_state, &zero);
}

/* One word into a running 64-bit hash (stacks' and keys' ids). */
static __always_inline __u64 hash_step(__u64 h, __u64 word)
{
	h = (h ^ word) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* The key a stack is stored under: a hash of its addresses from the
 * from'th on, never 0 (which means "no stack" in pf_key). */
static __always_inline __u64 stack_hash(const struct pf_stack *st, __u32 from, enum stack_kind kind)
{
	__u64 h = kind == STACK_USER ? 0x75736572ull : 0x6b65726e656cull;
	__u32 i;

	for (i = from; i < PF_MAX_STACK_DEPTH; i++) {
		if (i >= st->nr)
			break;
		h = hash_step(h, st->ips[i]);
	}
	return h | 1;
}

/*
 * Open addressing over an array map whose slots start with a 64-bit id
 * (never 0; 0 marks a free slot), mask + 1 slots, probed linearly from the
 * id's high bits (its low bit is always set; the high ones are the best
 * mixed). The probe loops are bpf_loop() callbacks: inlined at each of
 * their four uses they took the verifier 0.7 s more at every start.
 */
enum probe_state { PROBE_FULL, PROBE_FOUND, PROBE_FREE };

struct slot_probe {
	__u64 id;
	__u32 mask;
	__u32 step; /* probes done: the free slot's, after a find */
	__u32 index; /* the slot found, free or claimed */
	__u32 state; /* enum probe_state */
};

static __always_inline __u32 probe_index(const struct slot_probe *p)
{
	return ((__u32)(p->id >> 32) + p->step) & p->mask;
}

/* One step of a find: stops at the id's slot or the first free one. */
static __always_inline long find_step(void *table, struct slot_probe *p)
{
	__u32 index = probe_index(p);
	__u64 *slot = bpf_map_lookup_elem(table, &index), seen;

	if (!slot)
		return 1;
	seen = *slot;
	if (seen == p->id || !seen) {
		p->state = seen ? PROBE_FOUND : PROBE_FREE;
		p->index = index;
		return 1;
	}
	p->step++;
	return 0;
}

/* One step of a claim, from the free slot a find stopped at: another CPU
 * may have taken it, for the same id (PROBE_FOUND: that CPU fills it) or
 * another (probe on). PROBE_FREE: claimed here, to be filled. */
static __always_inline long claim_step(void *table, struct slot_probe *p)
{
	__u32 index = probe_index(p);
	__u64 *slot = bpf_map_lookup_elem(table, &index), seen;

	if (!slot || p->step >= PF_PROBES)
		return 1;
	seen = __sync_val_compare_and_swap(slot, 0, p->id);
	if (!seen || seen == p->id) {
		p->state = seen ? PROBE_FOUND : PROBE_FREE;
		p->index = index;
		return 1;
	}
	p->step++;
	return 0;
}

static long find_count(__u64 i, void *p)
{
	return find_step(&counts, p);
}

static long claim_count(__u64 i, void *p)
{
	return claim_step(&counts, p);
}

static long find_stack(__u64 i, void *p)
{
	return find_step(&stack_slots, p);
}

static long claim_stack(__u64 i, void *p)
{
	return claim_step(&stack_slots, p);
}

/* Runs a find or, from the free slot a find stopped at, a claim (step_fn
 * one of the four above); returns the slot it stopped at, or NULL when
 * the probe sequence is full (PROBE_FULL). */
static __always_inline void *probe_table(void *table, void *step_fn, struct slot_probe *p)
{
	p->state = PROBE_FULL;
	bpf_loop(PF_PROBES, step_fn, p, 0);
	return p->state == PROBE_FULL ? NULL : bpf_map_lookup_elem(table, &p->index);
}

struct frame_copy {
	const struct pf_stack *st;
	__u32 from, first;
	/* not a count of frames copied: the verifier would follow each value */
	__u32 failed;
};

static long copy_frame(__u64 index, void *data)
{
	struct frame_copy *copy = data;
	__u32 at = copy->first + (__u32)index;
	__u64 *frame = bpf_map_lookup_elem(&stack_frames, &at);

	index += copy->from;
	if (!frame || index >= PF_MAX_STACK_DEPTH) {
		copy->failed = 1;
		return 1;
	}
	*frame = copy->st->ips[index];
	return 0;
}

/* Stores st's addresses from the from'th on (at least one) under *key
 * unless a stack is stored there. On failure (the table or stack_frames is
 * full: the stack is lost, counted) *key becomes 0 and -E2BIG is returned.
 * The frames are written before the slot is claimed and its nr, set last,
 * marks it complete. */
static __always_inline long store_stack(struct cpu_state *cs, const struct pf_stack *st, __u32 from,
					__u64 *key)
{
	struct slot_probe probe = { .id = *key, .mask = stack_slot_mask };
	__u32 nr = st->nr - from, first;
	struct pf_stack_slot *slot;
	struct frame_copy copy;

	bpf_loop(PF_PROBES, find_stack, &probe, 0);
	if (probe.state == PROBE_FOUND)
		return 0;
	if (probe.state != PROBE_FREE)
		goto lost;
	if (nr > PF_MAX_STACK_DEPTH)
		nr = PF_MAX_STACK_DEPTH;
	first = __sync_fetch_and_add(&stack_frames_used, nr);
	if (first >= stack_frames_max || nr > stack_frames_max - first)
		goto lost;
	copy.st = st;
	copy.from = from;
	copy.first = first;
	copy.failed = 0;
	if (bpf_loop(nr, copy_frame, &copy, 0) != nr || copy.failed)
		goto lost;
	slot = probe_table(&stack_slots, claim_stack, &probe);
	if (!slot)
		goto lost;
	/* else another CPU stored it: these frames go unused */
	if (probe.state == PROBE_FREE) {
		slot->first = first;
		/* an atomic with a result: ordered after the frames */
		__sync_fetch_and_or(&slot->nr, nr);
	}
	return 0;
lost:
	cs->counters.drops[PF_DROP_STACKS_FULL]++;
	*key = 0;
	return -E2BIG;
}

/*
 * Frame-pointer walk of the user stack. Only frame pointers that move up the
 * stack (past the previous frame record, by at most PF_MAX_FRAME_SIZE) and are
 * 8-byte aligned are followed: the chain ends in a register some frameless
 * code left behind, and reading where that points would take a page fault on
 * nearly every sample (the kernel's own walker does, and that fault costs
 * more than the rest of the program together).
 */
static long walk_step(__u64 index, void *data)
{
	struct cpu_state *cs = this_cpu_state();
	struct walk_state *w;
	__u32 n;
	__u64 fp, frame[2];

	if (!cs)
		return 1;
	w = &cs->walk;
	n = w->n;
	fp = w->fp;
	if (n >= PF_MAX_STACK_DEPTH)
		return 1;
	if (!fp || (fp & 7) || fp >= w->high || fp >= (1ull << 47))
		return 1;
	/* Go's chains end in zero and may switch stacks; elsewhere a link must
	 * move up the stack, or it is the garbage that ends it. */
	if (!w->is_go && (fp < w->low || fp - w->low > PF_MAX_FRAME_SIZE))
		return 1;
	if (bpf_probe_read_user(frame, sizeof(frame), (void *)fp) || !frame[1])
		return 1;
	cs->stack.ips[n] = frame[1];
	w->n = n + 1;
	w->low = fp + sizeof(frame);
	w->fp = frame[0];
	/* the first switch is handled; the next record is the goroutine's */
	if (w->is_go && !w->switch_record && frame[1] >= w->switch_lo && frame[1] < w->switch_hi)
		w->switch_record = frame[0];
	return 0;
}

/*
 * After a stack switch in runtime.systemstack (frameless), the return
 * address into the goroutine's function that called it lies exactly that
 * function's frame size below its frame record. The program cannot know the
 * frame size, so it appends the first text words below the record, tagged
 * with their distance; user space keeps the one whose distance equals the
 * pclntab's SP delta at its own call site.
 */
static long candidate_step(__u64 index, void *data)
{
	struct cpu_state *cs = this_cpu_state();
	struct walk_state *w;
	__u32 n, i = (__u32)index + 1;
	__u64 word;

	if (!cs || i > PF_CANDIDATE_WORDS)
		return 1;
	w = &cs->walk;
	n = w->n;
	if (n >= PF_MAX_STACK_DEPTH)
		return 1;
	/* masked: the window is a power of two, and the verifier must see it */
	word = cs->window.words[(PF_CANDIDATE_WORDS - i) & (PF_CANDIDATE_WORDS - 1)];
	if (word < w->text_lo || word >= w->text_hi)
		return 0;
	cs->stack.ips[n] = PF_CANDIDATE_TAG | ((__u64)i << PF_CANDIDATE_SHIFT) | word;
	w->n = n + 1;
	return ++w->found == PF_MAX_CANDIDATES;
}

static __always_inline void append_switch_candidates(struct cpu_state *cs)
{
	__u64 record = cs->walk.switch_record;

	if (record < sizeof(cs->window.words) ||
	    bpf_probe_read_user(cs->window.words, sizeof(cs->window.words),
				(void *)(record - sizeof(cs->window.words))))
		return;
	bpf_loop(PF_CANDIDATE_WORDS, candidate_step, NULL, 0);
}

/* The user registers a walk starts from. */
struct user_regs {
	__u64 ip, sp, fp;
};

/* A sample taken in user mode has them in its own registers; in kernel
 * mode they are where the kernel saved them on entry (a helper call). */
static __always_inline long read_user_regs(const struct user_regs *sampled,
					   struct task_struct *task, bool in_kernel,
					   struct user_regs *r)
{
	struct pt_regs *saved;

	if (!in_kernel) {
		*r = *sampled;
		return 0;
	}
	saved = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!saved)
		return -EFAULT;
	r->ip = PT_REGS_IP(saved);
	r->sp = PT_REGS_SP(saved);
	r->fp = PT_REGS_FP(saved);
	return 0;
}

static __always_inline long walk_user_stack(struct cpu_state *cs, const struct user_regs *uregs,
					    __u32 *flags, const struct pf_task_info *info)
{
	__u64 env_end = cs->thread.env_end;
	struct walk_state *w = &cs->walk;

	w->fp = uregs->fp;
	w->low = uregs->sp;
	w->high = ~0ull;
	w->n = 1;
	w->found = 0;
	w->switch_record = 0;
	w->is_go = info && (info->flags & PF_TASK_GO);
	w->switch_lo = w->is_go ? info->switch_lo : 0;
	w->switch_hi = w->is_go ? info->switch_hi : 0;
	/* On the main thread's stack nothing valid lies above the environment
	 * strings the kernel put at its top: a tight bound for free. */
	if (w->low < env_end && env_end - w->low < (1ull << 30))
		w->high = env_end;
	cs->stack.ips[0] = uregs->ip;
	bpf_loop(PF_MAX_STACK_DEPTH - 1, walk_step, NULL, 0);
	if (w->n >= PF_MAX_STACK_DEPTH && w->fp && w->fp < w->high) {
		*flags |= PF_KEY_USER_TRUNCATED;
		cs->counters.stats[PF_STAT_USER_TRUNCATED]++;
	}
	if (w->switch_record) {
		w->text_lo = cs->thread.start_code;
		w->text_hi = cs->thread.end_code;
		append_switch_candidates(cs);
	}
	cs->stack.nr = w->n < PF_MAX_STACK_DEPTH ? w->n : PF_MAX_STACK_DEPTH;
	return cs->stack.ips[0] ? 0 : -EFAULT;
}

/*
 * A frame-pointer walk starts at the PC and then follows RBP, so when the PC
 * is in a function that has not linked its frame (a frameless leaf, a
 * prologue) its caller is skipped. That caller's return address is then the
 * word at SP. Keep the word only when it and the PC lie in the executable's
 * text: user space decides with the pclntab's SP delta whether to insert it;
 * data words are dropped here so they do not split the aggregation.
 * (bpf_find_vma would be exact, but costs ~4 us from interrupt context.)
 */
static __always_inline __u64 user_sp_return_candidate(const struct thread_cache *thread,
						      const struct user_regs *uregs)
{
	__u64 start = thread->start_code, end = thread->end_code;
	__u64 ip = uregs->ip, word = 0;

	if (ip < start || ip >= end)
		return 0;
	if (bpf_probe_read_user(&word, sizeof(word), (void *)uregs->sp))
		return 0;
	return word >= start && word < end && word != ip ? word : 0;
}

/* Makes cs->task the sampled process and returns its task_info, or NULL
 * while user space has provided none for this address space. Consecutive
 * samples of one process on a CPU then skip both hash maps. */
static __always_inline const struct pf_task_info *switch_task(struct cpu_state *cs,
							      const struct pf_task_id *id)
{
	struct pf_task_info *info;

	if (cs->task.tgid != id->tgid || cs->task.mm_id != id->mm_id) {
		cs->task = *id;
		cs->task_noticed = 0;
		cs->task_has_info = 0;
	}
	if (cs->task_has_info)
		return &cs->info;
	info = bpf_map_lookup_elem(&task_info, &id->tgid);
	if (!info)
		return NULL;
	if (info->mm_id == id->mm_id) {
		cs->info = *info;
		cs->task_has_info = 1;
		return &cs->info;
	}
	/* From a snapshot taken before the window (--pid), when the address
	 * space had no id yet: used, and looked up again until the notice
	 * brings facts for this address space. */
	return info->mm_id ? NULL : info;
}

static __always_inline void note_new_task(struct cpu_state *cs, bool leader)
{
	struct pf_new_task *event;
	__u8 one = 1;
	long err;

	if (cs->task_noticed)
		return;
	/* seen_tasks is never deleted from during a run */
	cs->task_noticed = 1;
	if (bpf_map_lookup_elem(&seen_tasks, &cs->task))
		return;
	err = bpf_map_update_elem(&seen_tasks, &cs->task, &one, BPF_NOEXIST);
	if (err == -EEXIST)
		return; /* another CPU got there first */
	if (err) {
		cs->counters.drops[PF_DROP_TGIDS_FULL]++;
		return;
	}
	event = bpf_ringbuf_reserve(&new_tasks, sizeof(*event), 0);
	if (!event) {
		cs->counters.drops[PF_DROP_NEW_TASK_LOST]++;
		return;
	}
	event->tgid = cs->task.tgid;
	event->mm_id = cs->task.mm_id;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	event->leader = leader;
	event->pad = 0;
	bpf_ringbuf_submit(event, 0);
}

/* The id a key is counted under: a hash of all its words, never 0. */
static __always_inline __u64 key_hash(const struct pf_key *key)
{
	const __u64 *word = (const __u64 *)key;
	__u64 h = 0x636f756e7473ull;
	int i;

	for (i = 0; i < sizeof(*key) / sizeof(*word); i++)
		h = hash_step(h, word[i]);
	return h | 1;
}

/*
 * Adds one sample of key to counts. Stacks are never deleted during a run,
 * so a key already counted has its stacks stored: only a new key stores
 * them. Its slot is claimed, then the key written, then marked complete:
 * another CPU counting the same key meanwhile only adds to the count. The
 * program completes a slot before it returns, so user space, reading after
 * the events are closed, finds every claimed slot complete.
 */
static __always_inline void count_sample(struct cpu_state *cs, struct pf_key *key)
{
	struct pf_cpu_counters *c = &cs->counters;
	struct slot_probe probe = { .id = key_hash(key), .mask = count_slot_mask };
	struct pf_count_slot *slot = probe_table(&counts, find_count, &probe);

	if (slot && probe.state == PROBE_FREE) {
		if (key->kernel_stack)
			key->kernel_err = store_stack(cs, &cs->kstack, 0, &key->kernel_stack);
		/* the leaf is in the key: the stack holds its callers */
		if (key->user_stack)
			key->user_err = store_stack(cs, &cs->stack, 1, &key->user_stack);
		slot = probe_table(&counts, claim_count, &probe);
		if (slot && probe.state == PROBE_FREE) {
			slot->key = *key;
			/* an atomic with a result: ordered after the key */
			__sync_fetch_and_or(&slot->key.flags, PF_KEY_COMPLETE);
		}
	}
	if (!slot) {
		c->drops[PF_DROP_COUNTS_FULL]++;
		return;
	}
	__sync_fetch_and_add(&slot->count, 1);
	c->stats[PF_STAT_COUNTED]++;
}

/* Makes thread the sampled one and returns its mm_id. Loaded through the
 * BTF pointers, no helper call; comparing and storing pointers as numbers
 * needs CAP_PERFMON, which the program needs anyway. */
static __always_inline __u32 learn_thread(struct thread_cache *thread, struct task_struct *task,
					  struct mm_struct *mm)
{
	__u64 start_time = task->start_time, id_hash;
	struct task_struct *leader;

	if (thread->task == (__u64)task && thread->start_time == start_time &&
	    thread->mm == (__u64)mm)
		return thread->mm_id;
	thread->task = (__u64)task;
	thread->start_time = start_time;
	thread->mm = (__u64)mm;
	/* Which address space: the process's start time changes at PID reuse,
	 * its leader's exec count at exec (the one thread left by an exec
	 * leads). Both, folded to 32 bits, never 0 ("not yet known"). */
	leader = task->group_leader;
	id_hash = (leader->start_time ^ leader->self_exec_id * 0xff51afd7ed558ccdull) *
		  0x9e3779b97f4a7c15ull;
	thread->mm_id = (__u32)(id_hash >> 32) | 1;
	thread->env_end = mm ? mm->env_end : 0;
	thread->start_code = mm ? mm->start_code : 0;
	thread->end_code = mm ? mm->end_code : 0;
	return thread->mm_id;
}

SEC("perf_event")
int do_sample(struct bpf_perf_event_data *ctx)
{
	/* pid and tgid from the task_struct: one helper call fewer than
	 * bpf_get_current_pid_tgid(), which reads the same line */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid, pid = task->pid;
	struct cpu_state *cs = this_cpu_state();
	struct pf_key key = {};
	const struct pf_task_info *info;
	struct pf_task_id task_id;
	struct mm_struct *mm;
	long err;

	/* Read first, while ctx is unmodified: the verifier allows context
	 * loads only at a constant offset from it. */
	struct user_regs sampled = { PT_REGS_IP(&ctx->regs), PT_REGS_SP(&ctx->regs),
				     PT_REGS_FP(&ctx->regs) };

	if (!cs)
		return 0;
	cs->counters.stats[PF_STAT_SAMPLES]++;
	if ((pid == 0 && !include_idle) ||
	    (filter_by_tgid && !bpf_map_lookup_elem(&target_tgids, &tgid))) {
		cs->counters.stats[PF_STAT_FILTERED]++;
		return 0;
	}

	mm = task->mm;
	key.tgid = tgid;
	key.mm_id = learn_thread(&cs->thread, task, mm);
	task_id.tgid = tgid;
	task_id.mm_id = key.mm_id;
	info = switch_task(cs, &task_id);
	/* Kernel addresses have the top bit set on x86_64 and arm64. */
	if (sampled.ip >> 63)
		key.flags |= PF_KEY_IN_KERNEL;

	/* In user mode there is no kernel stack; that is not a loss. */
	if (want_kernel_stacks && (key.flags & PF_KEY_IN_KERNEL)) {
		err = bpf_get_stack(ctx, cs->kstack.ips, sizeof(cs->kstack.ips), 0);
		if (err > 0) {
			cs->kstack.nr = (__u32)err / sizeof(__u64);
			key.kernel_stack = stack_hash(&cs->kstack, 0, STACK_KERNEL);
		} else {
			key.kernel_err = err ? err : -EFAULT;
			cs->counters.drops[PF_DROP_KSTACK_FAULT]++;
		}
	}

	if (!want_user_stacks || !mm) {
		key.flags |= PF_KEY_NO_USER;
	} else {
		bool is_go = info && (info->flags & PF_TASK_GO);
		struct user_regs uregs;

		if (read_user_regs(&sampled, task, key.flags & PF_KEY_IN_KERNEL, &uregs) ||
		    walk_user_stack(cs, &uregs, &key.flags, info)) {
			key.user_err = -EFAULT;
			cs->counters.drops[PF_DROP_USTACK_FAULT]++;
		} else {
			key.user_leaf = cs->stack.ips[0];
			if (cs->stack.nr > 1)
				key.user_stack = stack_hash(&cs->stack, 1, STACK_USER);
			if (capture_sp_word && is_go)
				key.user_sp_word = user_sp_return_candidate(&cs->thread, &uregs);
		}
	}

	count_sample(cs, &key);
	/* Only a sample in user mode proves the address space is complete: one
	 * taken inside execve can see the new mm before the binary is mapped,
	 * and a snapshot then would lack the program for the whole run.
	 * Kernel threads have no address space to miss; their notice carries
	 * the name, which a short-lived kworker no longer has at the end. */
	if (!(key.flags & PF_KEY_IN_KERNEL) || !mm)
		note_new_task(cs, pid == tgid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
