// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * On-CPU stack sampler. Attached to per-CPU cpu-clock perf events; the target
 * is chosen by how user space opens those events (cgroup mode, or system-wide
 * with a tgid filter here). Samples are aggregated in the kernel by
 * {tgid, user stack id, kernel stack id, user SP word}; every loss is counted.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"

#ifndef EEXIST
#define EEXIST 17
#endif
#ifndef EFAULT
#define EFAULT 14
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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct pf_key);
	__type(value, __u64);
	__uint(max_entries, PF_DEFAULT_COUNTS_ENTRIES);
} counts SEC(".maps");

/* Distinct stacks, by a 64-bit hash of their content. Unlike a stack-trace
 * map's buckets, a hash map only loses a stack when it is full. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, struct pf_stack);
	__uint(max_entries, PF_DEFAULT_STACK_ENTRIES);
} stacks SEC(".maps");

/* Where a stack is assembled: too big for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct pf_stack);
	__uint(max_entries, 1);
} scratch SEC(".maps");

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

/* The stack words just below a goroutine's frame record at a switch. */
struct candidate_window {
	__u64 words[PF_CANDIDATE_WORDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct candidate_window);
	__uint(max_entries, 1);
} window SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} new_tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, PF_DROP__COUNT);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, PF_STAT__COUNT);
} stats SEC(".maps");

static __always_inline void bump(void *map, __u32 idx)
{
	__u64 *slot = bpf_map_lookup_elem(map, &idx);

	if (slot)
		*slot += 1; /* per-CPU slot: no atomic needed */
}

/* Stores st (once per distinct content) and sets *key to find it again.
 * Returns 0, or -errno when the map is full (the stack is lost, counted). */
static __always_inline long store_stack(struct pf_stack *st, __u64 seed, __u64 *key)
{
	__u64 h = seed;
	__u32 i;
	long err;

	for (i = 0; i < PF_MAX_STACK_DEPTH; i++) {
		if (i >= st->nr)
			break;
		h = (h ^ st->ips[i]) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	h |= 1; /* 0 means "no stack" in pf_key */
	*key = h;
	if (bpf_map_lookup_elem(&stacks, &h))
		return 0;
	err = bpf_map_update_elem(&stacks, &h, st, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		bump(&drops, PF_DROP_STACKS_FULL);
		*key = 0;
		return err;
	}
	return 0;
}

/*
 * Frame-pointer walk of the user stack. Only frame pointers that move up the
 * stack (past the previous frame record, by at most PF_MAX_FRAME_SIZE) and are
 * 8-byte aligned are followed: the
 * chain ends in a register some frameless code left behind, and reading
 * where that points would take a page fault on nearly every sample (the
 * kernel's own walker does, and that fault costs more than the rest of the
 * program together).
 */
/*
 * After a stack switch in runtime.systemstack (frameless), the return
 * address into the goroutine's function that called it lies exactly that
 * function's frame size below its frame record. The program cannot know the
 * frame size, so it appends the first text words below the record, tagged
 * with their distance; user space keeps the one whose distance equals the
 * pclntab's SP delta at its own call site.
 */
static __always_inline void append_switch_candidates(struct pf_stack *st, __u64 record,
						     __u64 text_lo, __u64 text_hi)
{
	struct candidate_window *win;
	__u32 zero = 0, i, found = 0, n = st->nr;

	win = bpf_map_lookup_elem(&window, &zero);
	if (!win || record < sizeof(win->words) ||
	    bpf_probe_read_user(win->words, sizeof(win->words), (void *)(record - sizeof(win->words))))
		return;
	for (i = 1; i <= PF_CANDIDATE_WORDS; i++) {
		__u64 word = win->words[PF_CANDIDATE_WORDS - i];

		if (word < text_lo || word >= text_hi)
			continue;
		if (n >= PF_MAX_STACK_DEPTH)
			break;
		st->ips[n++] = PF_CANDIDATE_TAG | ((__u64)i << PF_CANDIDATE_SHIFT) | word;
		if (++found == PF_MAX_CANDIDATES)
			break;
	}
	st->nr = n;
}

static __always_inline long walk_user_stack(struct task_struct *task, struct pt_regs *uregs,
					    struct pf_stack *st, __u32 *flags,
					    const struct pf_task_info *info)
{
	bool is_go = info && (info->flags & PF_TASK_GO);
	__u64 switch_record = 0;
	/* lowest address the next frame record may start at */
	__u64 fp = PT_REGS_FP_CORE(uregs), low = PT_REGS_SP_CORE(uregs);
	__u64 env_end = BPF_CORE_READ(task, mm, env_end), high = ~0ull;
	__u64 frame[2];
	__u32 n;

	/* On the main thread's stack nothing valid lies above the environment
	 * strings the kernel put at its top: a tight bound for free. */
	if (low < env_end && env_end - low < (1ull << 30))
		high = env_end;

	st->ips[0] = PT_REGS_IP_CORE(uregs);
	for (n = 1; n < PF_MAX_STACK_DEPTH; n++) {
		if ((fp & 7) || fp >= high || fp >= (1ull << 47))
			break;
		/* Go's chains end in zero and may switch stacks; elsewhere a link
		 * must move up the stack, or it is the garbage that ends it. */
		if (!is_go && (fp < low || fp - low > PF_MAX_FRAME_SIZE))
			break;
		if (!fp)
			break;
		if (bpf_probe_read_user(frame, sizeof(frame), (void *)fp) || !frame[1])
			break;
		st->ips[n] = frame[1];
		low = fp + sizeof(frame);
		fp = frame[0];
		/* the first switch is handled; the next record is the goroutine's */
		if (is_go && !switch_record && frame[1] >= info->switch_lo &&
		    frame[1] < info->switch_hi)
			switch_record = fp;
	}
	if (n == PF_MAX_STACK_DEPTH && fp && fp < high) {
		*flags |= PF_KEY_USER_TRUNCATED;
		bump(&stats, PF_STAT_USER_TRUNCATED);
	}
	st->nr = n;
	if (switch_record)
		append_switch_candidates(st, switch_record, BPF_CORE_READ(task, mm, start_code),
					 BPF_CORE_READ(task, mm, end_code));
	return st->ips[0] ? 0 : -EFAULT;
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
static __always_inline __u64 user_sp_return_candidate(struct task_struct *task,
						      struct pt_regs *uregs)
{
	__u64 start = BPF_CORE_READ(task, mm, start_code);
	__u64 end = BPF_CORE_READ(task, mm, end_code);
	__u64 ip = PT_REGS_IP_CORE(uregs), word = 0;

	if (ip < start || ip >= end)
		return 0;
	if (bpf_probe_read_user(&word, sizeof(word), (void *)PT_REGS_SP_CORE(uregs)))
		return 0;
	return word >= start && word < end && word != ip ? word : 0;
}

static __always_inline void note_new_task(const struct pf_task_id *id)
{
	struct pf_new_task *event;
	__u8 one = 1;
	long err;

	if (bpf_map_lookup_elem(&seen_tasks, id))
		return;
	err = bpf_map_update_elem(&seen_tasks, id, &one, BPF_NOEXIST);
	if (err == -EEXIST)
		return; /* another CPU got there first */
	if (err) {
		bump(&drops, PF_DROP_TGIDS_FULL);
		return;
	}
	event = bpf_ringbuf_reserve(&new_tasks, sizeof(*event), 0);
	if (!event) {
		bump(&drops, PF_DROP_NEW_TASK_LOST);
		return;
	}
	event->tgid = id->tgid;
	event->mm_id = id->mm_id;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	bpf_ringbuf_submit(event, 0);
}

SEC("perf_event")
int do_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, pid = (__u32)id;
	struct task_struct *task;
	struct pf_key key = {};
	struct pf_task_id task_id;
	struct pf_stack *st;
	__u64 *slot, one = 1, mm;
	__u32 zero = 0;
	long err;

	bump(&stats, PF_STAT_SAMPLES);
	if ((pid == 0 && !include_idle) ||
	    (filter_by_tgid && !bpf_map_lookup_elem(&target_tgids, &tgid))) {
		bump(&stats, PF_STAT_FILTERED);
		return 0;
	}

	task = bpf_get_current_task_btf();
	key.tgid = tgid;
	/* The mm's address, folded to 32 bits: a new one after exec. */
	mm = (__u64)BPF_CORE_READ(task, mm);
	key.mm_id = (__u32)(mm >> 6) ^ (__u32)(mm >> 38);
	/* Kernel addresses have the top bit set on x86_64 and arm64. */
	if (PT_REGS_IP(&ctx->regs) >> 63)
		key.flags |= PF_KEY_IN_KERNEL;

	st = bpf_map_lookup_elem(&scratch, &zero);
	if (!st)
		return 0;

	/* In user mode there is no kernel stack; that is not a loss. */
	if (want_kernel_stacks && (key.flags & PF_KEY_IN_KERNEL)) {
		err = bpf_get_stack(ctx, st->ips, sizeof(st->ips), 0);
		if (err > 0) {
			st->nr = (__u32)err / sizeof(__u64);
			key.kernel_err = store_stack(st, 0x6b65726e656cull, &key.kernel_stack);
		} else {
			key.kernel_err = err ? err : -EFAULT;
			bump(&drops, PF_DROP_KSTACK_FAULT);
		}
	}

	if (!want_user_stacks || !mm) {
		key.flags |= PF_KEY_NO_USER;
	} else {
		struct pt_regs *uregs = (struct pt_regs *)bpf_task_pt_regs(task);
		struct pf_task_info *info = bpf_map_lookup_elem(&task_info, &tgid);
		bool is_go = info && (info->flags & PF_TASK_GO);

		if (!uregs || walk_user_stack(task, uregs, st, &key.flags, info)) {
			key.user_err = -EFAULT;
			bump(&drops, PF_DROP_USTACK_FAULT);
		} else {
			key.user_err = store_stack(st, 0x75736572ull, &key.user_stack);
			if (capture_sp_word && is_go)
				key.user_sp_word = user_sp_return_candidate(task, uregs);
		}
	}

	slot = bpf_map_lookup_elem(&counts, &key);
	if (slot) {
		__sync_fetch_and_add(slot, 1);
	} else {
		err = bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
		if (err == -EEXIST) {
			slot = bpf_map_lookup_elem(&counts, &key);
			if (slot)
				__sync_fetch_and_add(slot, 1);
		} else if (err) {
			bump(&drops, PF_DROP_COUNTS_FULL);
			return 0;
		}
	}
	bump(&stats, PF_STAT_COUNTED);
	task_id.tgid = tgid;
	task_id.mm_id = key.mm_id;
	note_new_task(&task_id);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
