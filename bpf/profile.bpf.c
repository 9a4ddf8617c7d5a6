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

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PF_MAX_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, PF_DEFAULT_STACK_ENTRIES);
} stacks SEC(".maps");

/* --pid targets: tgids to sample. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, 1024);
} target_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, PF_DEFAULT_TGID_ENTRIES);
} seen_tgids SEC(".maps");

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

static __always_inline void count_stack_error(long err, bool user)
{
	if (err == -EEXIST)
		bump(&drops, user ? PF_DROP_USTACK_COLLISION : PF_DROP_KSTACK_COLLISION);
	else if (err == -EFAULT)
		bump(&drops, user ? PF_DROP_USTACK_FAULT : PF_DROP_KSTACK_FAULT);
	else
		bump(&drops, user ? PF_DROP_USTACK_OTHER : PF_DROP_KSTACK_OTHER);
}

struct vma_probe {
	__u64 word;
	bool inside;
};

static long word_in_vma(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct vma_probe *probe = data;

	probe->inside = probe->word >= vma->vm_start && probe->word < vma->vm_end;
	return 0;
}

/*
 * A frame-pointer walk starts at the PC and follows RBP, so when the PC is in
 * a function that has not linked its frame (a frameless leaf, a prologue) the
 * caller is skipped. Its return address is then the word at SP. Keep that word
 * only when it points into the same text mapping as the PC: user space decides
 * with the pclntab's SP delta whether to insert it; data words are dropped here
 * so they do not split the aggregation.
 */
static __always_inline __u64 user_sp_return_candidate(struct task_struct *task)
{
	struct pt_regs *uregs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct vma_probe probe = {};
	__u64 sp, ip;

	if (!uregs)
		return 0;
	sp = PT_REGS_SP_CORE(uregs);
	ip = PT_REGS_IP_CORE(uregs);
	if (!sp || !ip || bpf_probe_read_user(&probe.word, sizeof(probe.word), (void *)sp))
		return 0;
	if (!probe.word || probe.word == ip)
		return 0;
	if (bpf_find_vma(task, ip, word_in_vma, &probe, 0) || !probe.inside)
		return 0;
	return probe.word;
}

static __always_inline void note_new_tgid(__u32 tgid)
{
	struct pf_new_task *event;
	__u8 one = 1;
	long err;

	if (bpf_map_lookup_elem(&seen_tgids, &tgid))
		return;
	err = bpf_map_update_elem(&seen_tgids, &tgid, &one, BPF_NOEXIST);
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
	event->tgid = tgid;
	event->pad = 0;
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
	__u64 *slot, one = 1;
	long err;

	bump(&stats, PF_STAT_SAMPLES);
	if ((pid == 0 && !include_idle) ||
	    (filter_by_tgid && !bpf_map_lookup_elem(&target_tgids, &tgid))) {
		bump(&stats, PF_STAT_FILTERED);
		return 0;
	}

	task = bpf_get_current_task_btf();
	key.tgid = tgid;
	/* Kernel addresses have the top bit set on x86_64 and arm64. */
	if (PT_REGS_IP(&ctx->regs) >> 63)
		key.flags |= PF_KEY_IN_KERNEL;

	if (!want_user_stacks || !BPF_CORE_READ(task, mm)) {
		key.flags |= PF_KEY_NO_USER;
		key.user_stack_id = -ENOENT;
	} else {
		err = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
		key.user_stack_id = err;
		if (err < 0)
			count_stack_error(err, true);
		if (capture_sp_word)
			key.user_sp_word = user_sp_return_candidate(task);
	}

	/* In user mode there is no kernel stack; that is not a loss. */
	if (!want_kernel_stacks || !(key.flags & PF_KEY_IN_KERNEL)) {
		key.kernel_stack_id = -ENOENT;
	} else {
		err = bpf_get_stackid(ctx, &stacks, 0);
		key.kernel_stack_id = err;
		if (err < 0)
			count_stack_error(err, false);
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
	note_new_tgid(tgid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
