#include <errno.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fileio.h"
#include "idxtab.h"
#include "profile.skel.h"
#include "sampler.h"

/* The stack table and its frames, mapped after the window and indexed by
 * id on the first read. */
struct stack_table {
	const struct pf_stack_slot *slots;
	const uint64_t *frames;
	size_t slots_size, frames_size; /* of the mappings */
	uint32_t nslots, nframes;
	struct idxtab index; /* id -> slot */
	bool loaded;
	int load_err; /* a failed load is not retried: reads report it */
};

struct sampler {
	struct profile_bpf *skel;
	struct ring_buffer *ringbuf;
	int *perf_fds;
	struct bpf_link **links;
	int ncpus_online, nlinks;
	int ncpus_possible;
	sampler_new_task_fn on_new_task;
	void *ctx;
	struct stack_table stacks;
};

const char *sampler_stage__name(enum sampler_stage stage)
{
	switch (stage) {
	case SAMPLER_STAGE_OPEN: return "opening the BPF object";
	case SAMPLER_STAGE_LOAD: return "loading the BPF program";
	case SAMPLER_STAGE_FILTER: return "filling the pid filter";
	case SAMPLER_STAGE_PERF_EVENT: return "perf_event_open";
	case SAMPLER_STAGE_ATTACH: return "attaching to the perf event";
	case SAMPLER_STAGE_RINGBUF: return "opening the ring buffer";
	}
	return "?";
}

const char *pf_drop__name(enum pf_drop drop)
{
	static const char *const names[PF_DROP__COUNT] = {
		[PF_DROP_COUNTS_FULL] = "samples lost: counts map full (raise --map-size)",
		[PF_DROP_STACKS_FULL] = "stacks lost: stack map full (raise --map-size)",
		[PF_DROP_KSTACK_FAULT] = "kernel stacks unavailable (bpf_get_stack failed)",
		[PF_DROP_USTACK_FAULT] = "user stacks unavailable (no user registers)",
		[PF_DROP_NEW_TASK_LOST] = "new-process notices lost: ring buffer full",
		[PF_DROP_TGIDS_FULL] = "new-process notices lost: process table full",
	};

	return (unsigned)drop < PF_DROP__COUNT ? names[drop] : "?";
}

/* Online CPUs from sysfs ("0-3,5"), into a malloc'd list. */
static int online_cpus(int **cpus, int *count)
{
	char *text, *p;
	int n = 0, cap = 64, *list;
	int err = fileio__slurp("/sys/devices/system/cpu/online", &text, NULL, 1 << 16);

	if (err)
		return err;
	list = malloc(cap * sizeof(*list));
	if (!list) {
		free(text);
		return -ENOMEM;
	}
	for (p = text; *p && *p != '\n';) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo, c;

		if (end == p)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (c = lo; c <= hi && c < 65536; c++) {
			if (n == cap) {
				int *bigger = realloc(list, (size_t)cap * 2 * sizeof(*list));

				if (!bigger) {
					free(list);
					free(text);
					return -ENOMEM;
				}
				list = bigger;
				cap *= 2;
			}
			list[n++] = (int)c;
		}
		p = *end == ',' ? end + 1 : end;
	}
	free(text);
	*cpus = list;
	*count = n;
	return n ? 0 : -ENODEV;
}

static int handle_new_task(void *ctx, void *data, size_t size)
{
	struct sampler *s = ctx;
	const struct pf_new_task *event = data;
	char comm[PF_COMM_LEN + 1];

	if (size < sizeof(*event))
		return 0;
	memcpy(comm, event->comm, PF_COMM_LEN);
	comm[PF_COMM_LEN] = '\0';
	if (s->on_new_task)
		s->on_new_task(s->ctx, event->tgid, event->mm_id, comm, event->leader != 0);
	return 0;
}

/* Slots of an open-addressed table for entries ids: twice as many, a power
 * of two (see the counts map in profile.bpf.c). */
static uint32_t table_slots(uint32_t entries)
{
	uint32_t slots = 2;

	while (slots < 2 * (uint64_t)entries && slots < (1u << 31))
		slots *= 2;
	return slots;
}

static int configure(struct sampler *s, const struct sampler_opts *opts)
{
	struct profile_bpf *skel = s->skel;
	int err = 0;

	skel->rodata->filter_by_tgid = opts->ntgids > 0;
	skel->rodata->include_idle = opts->include_idle;
	skel->rodata->want_user_stacks = opts->user_stacks;
	skel->rodata->want_kernel_stacks = opts->kernel_stacks;
	skel->rodata->capture_sp_word = opts->capture_sp_word;
	if (opts->counts_entries) {
		uint32_t slots = table_slots(opts->counts_entries);

		skel->rodata->count_slot_mask = slots - 1;
		err = bpf_map__set_max_entries(skel->maps.counts, slots);
	}
	if (!err && opts->stack_entries) {
		uint32_t slots = table_slots(opts->stack_entries);

		skel->rodata->stack_slot_mask = slots - 1;
		skel->rodata->stack_frames_max = opts->stack_entries * PF_STACK_FRAMES_PER_ENTRY;
		err = bpf_map__set_max_entries(skel->maps.stack_slots, slots);
		if (!err)
			err = bpf_map__set_max_entries(skel->maps.stack_frames,
						       skel->rodata->stack_frames_max);
	}
	if (!err && opts->ntgids > 1024)
		err = bpf_map__set_max_entries(skel->maps.target_tgids, (uint32_t)opts->ntgids);
	return err;
}

static int fill_filter(struct sampler *s, const struct sampler_opts *opts)
{
	size_t i;
	__u8 one = 1;

	for (i = 0; i < opts->ntgids; i++) {
		__u32 tgid = (__u32)opts->tgids[i];

		if (bpf_map__update_elem(s->skel->maps.target_tgids, &tgid, sizeof(tgid), &one,
					 sizeof(one), BPF_ANY))
			return -errno;
	}
	return 0;
}

static int open_perf_events(struct sampler *s, const struct sampler_opts *opts,
			    struct sampler_error *where)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.size = sizeof(attr),
		.sample_freq = opts->frequency_hz,
		.freq = 1,
	};
	unsigned long flags = PERF_FLAG_FD_CLOEXEC;
	int pid = -1, *cpus = NULL, i, err;

	if (opts->cgroup_fd >= 0) {
		pid = opts->cgroup_fd;
		flags |= PERF_FLAG_PID_CGROUP;
	}
	err = online_cpus(&cpus, &s->ncpus_online);
	if (err) {
		where->stage = SAMPLER_STAGE_PERF_EVENT;
		where->cpu = -1;
		return err;
	}
	s->perf_fds = calloc((size_t)s->ncpus_online, sizeof(*s->perf_fds));
	s->links = calloc((size_t)s->ncpus_online, sizeof(*s->links));
	if (!s->perf_fds || !s->links) {
		free(cpus);
		return -ENOMEM;
	}
	for (i = 0; i < s->ncpus_online; i++)
		s->perf_fds[i] = -1;
	for (i = 0; i < s->ncpus_online; i++) {
		int fd = (int)syscall(__NR_perf_event_open, &attr, pid, cpus[i], -1, flags);

		where->cpu = cpus[i];
		if (fd < 0) {
			err = -errno;
			where->stage = SAMPLER_STAGE_PERF_EVENT;
			break;
		}
		s->perf_fds[i] = fd;
		s->links[i] = bpf_program__attach_perf_event(s->skel->progs.do_sample, fd);
		if (!s->links[i]) {
			err = -errno;
			where->stage = SAMPLER_STAGE_ATTACH;
			break;
		}
		s->nlinks = i + 1;
	}
	free(cpus);
	return err;
}

int sampler__start(const struct sampler_opts *opts, sampler_new_task_fn on_new_task, void *ctx,
		   struct sampler **out, struct sampler_error *where)
{
	struct sampler *s = calloc(1, sizeof(*s));
	int err;

	memset(where, 0, sizeof(*where));
	if (!s)
		return -ENOMEM;
	s->on_new_task = on_new_task;
	s->ctx = ctx;
	s->ncpus_possible = libbpf_num_possible_cpus();
	where->stage = SAMPLER_STAGE_OPEN;
	s->skel = profile_bpf__open();
	if (!s->skel || s->ncpus_possible <= 0) {
		err = s->ncpus_possible <= 0 ? s->ncpus_possible : -errno;
		goto fail;
	}
	err = configure(s, opts);
	if (err)
		goto fail;
	where->stage = SAMPLER_STAGE_LOAD;
	err = profile_bpf__load(s->skel);
	if (err)
		goto fail;
	where->stage = SAMPLER_STAGE_FILTER;
	err = fill_filter(s, opts);
	if (err)
		goto fail;
	where->stage = SAMPLER_STAGE_RINGBUF;
	s->ringbuf =
		ring_buffer__new(bpf_map__fd(s->skel->maps.new_tasks), handle_new_task, s, NULL);
	if (!s->ringbuf) {
		err = -errno;
		goto fail;
	}
	err = open_perf_events(s, opts, where);
	if (err)
		goto fail;
	*out = s;
	return 0;
fail:
	sampler__free(s);
	return err < 0 ? err : -EINVAL;
}

int sampler__set_task_info(struct sampler *s, uint32_t tgid, const struct pf_task_info *info)
{
	__u32 key = tgid;

	if (bpf_map__update_elem(s->skel->maps.task_info, &key, sizeof(key), info, sizeof(*info),
				 BPF_ANY))
		return -errno;
	return 0;
}

int sampler__poll(struct sampler *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->ringbuf, timeout_ms);

	return n;
}

void sampler__stop(struct sampler *s)
{
	int i;

	if (!s || !s->links)
		return;
	for (i = 0; i < s->ncpus_online; i++) {
		bpf_link__destroy(s->links[i]);
		s->links[i] = NULL;
		if (s->perf_fds[i] >= 0)
			close(s->perf_fds[i]);
		s->perf_fds[i] = -1;
	}
	/* Events that were already queued in the ring buffer still count. */
	if (s->ringbuf)
		ring_buffer__consume(s->ringbuf);
}

void sampler__free(struct sampler *s)
{
	if (!s)
		return;
	sampler__stop(s);
	ring_buffer__free(s->ringbuf);
	profile_bpf__destroy(s->skel);
	if (s->stacks.slots)
		munmap((void *)s->stacks.slots, s->stacks.slots_size);
	if (s->stacks.frames)
		munmap((void *)s->stacks.frames, s->stacks.frames_size);
	idxtab__release(&s->stacks.index);
	free(s->links);
	free(s->perf_fds);
	free(s);
}

static bool stack_id_eq(const void *ctx, uint32_t idx)
{
	const struct stack_table *t = ((const void *const *)ctx)[0];
	const uint64_t *id = ((const void *const *)ctx)[1];

	return t->slots[idx].id == *id;
}

/* A table the program fills, mapped read-only. */
static const void *map_table(struct bpf_map *map, size_t elem, uint32_t *count, size_t *size)
{
	void *table;

	*count = bpf_map__max_entries(map);
	*size = (size_t)*count * elem;
	table = mmap(NULL, *size, PROT_READ, MAP_SHARED, bpf_map__fd(map), 0);
	return table == MAP_FAILED ? NULL : table;
}

/* Maps the stack table and indexes its complete slots. A slot claimed but
 * not complete, or pointing outside the frames, would be a stack lost
 * unseen: the program completes a slot before it returns. */
static int load_stacks(struct stack_table *t, struct profile_bpf *skel)
{
	uint32_t i;
	int err;

	t->slots = map_table(skel->maps.stack_slots, sizeof(*t->slots), &t->nslots, &t->slots_size);
	if (!t->slots)
		return -errno;
	t->frames = map_table(skel->maps.stack_frames, sizeof(*t->frames), &t->nframes,
			      &t->frames_size);
	if (!t->frames)
		return -errno;
	for (i = 0; i < t->nslots; i++) {
		struct pf_stack_slot slot = t->slots[i];

		if (!slot.id)
			continue;
		if (!slot.nr || slot.nr > PF_MAX_STACK_DEPTH || slot.first > t->nframes ||
		    slot.nr > t->nframes - slot.first)
			return -EPROTO;
		err = idxtab__insert(&t->index, slot.id, i);
		if (err)
			return err;
	}
	return 0;
}

int sampler__read_stack(struct sampler *s, uint64_t key, struct pf_stack *stack)
{
	struct stack_table *t = &s->stacks;
	const void *ctx[2] = { t, &key };
	struct pf_stack_slot slot;
	uint32_t idx;

	if (!key)
		return -ENOENT;
	if (!t->loaded) {
		t->load_err = load_stacks(t, s->skel);
		t->loaded = true;
	}
	if (t->load_err)
		return t->load_err;
	if (idxtab__find(&t->index, key, stack_id_eq, ctx, &idx))
		return -ENOENT;
	slot = t->slots[idx];
	stack->nr = slot.nr;
	memcpy(stack->ips, t->frames + slot.first, slot.nr * sizeof(*stack->ips));
	return 0;
}

/*
 * Calls fn for each key in the counts table, read in place (mmapped) after
 * the window. A slot claimed but never completed would be samples lost
 * unseen: the program completes a key before it returns, and it has
 * returned on every CPU once the events are closed.
 */
int sampler__for_each_count(struct sampler *s, sampler_count_fn fn, void *ctx)
{
	const struct pf_count_slot *table;
	uint32_t slots, i;
	size_t size;
	int err = 0;

	table = map_table(s->skel->maps.counts, sizeof(*table), &slots, &size);
	if (!table)
		return -errno;
	for (i = 0; !err && i < slots; i++) {
		struct pf_count_slot slot = table[i];

		if (!slot.id)
			continue;
		if (!(slot.key.flags & PF_KEY_COMPLETE)) {
			err = -EPROTO;
		} else {
			slot.key.flags &= ~PF_KEY_COMPLETE;
			err = fn(ctx, &slot.key, slot.count);
		}
	}
	munmap((void *)table, size);
	return err;
}

int sampler__counters(struct sampler *s, uint64_t drops[PF_DROP__COUNT],
		      uint64_t stats[PF_STAT__COUNT])
{
	/* A per-CPU value comes back once per possible CPU, each rounded up
	 * to 8 bytes; the counters open each CPU's cpu_state. */
	size_t stride = ((size_t)bpf_map__value_size(s->skel->maps.cpu_state) + 7) & ~(size_t)7;
	char *values = calloc((size_t)s->ncpus_possible, stride);
	struct pf_cpu_counters c;
	__u32 zero = 0;
	int cpu, i;

	if (!values)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.cpu_state), &zero, values)) {
		int err = -errno;

		free(values);
		return err;
	}
	memset(drops, 0, PF_DROP__COUNT * sizeof(*drops));
	memset(stats, 0, PF_STAT__COUNT * sizeof(*stats));
	for (cpu = 0; cpu < s->ncpus_possible; cpu++) {
		memcpy(&c, values + (size_t)cpu * stride, sizeof(c));
		for (i = 0; i < PF_DROP__COUNT; i++)
			drops[i] += c.drops[i];
		for (i = 0; i < PF_STAT__COUNT; i++)
			stats[i] += c.stats[i];
	}
	free(values);
	return 0;
}

int sampler__prog_stats(struct sampler *s, uint64_t *run_time_ns, uint64_t *run_cnt)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(s->skel->progs.do_sample), &info, &len))
		return -errno;
	*run_time_ns = info.run_time_ns;
	*run_cnt = info.run_cnt;
	return 0;
}

int sampler__ncpus(const struct sampler *s)
{
	return s->ncpus_online;
}
