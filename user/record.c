#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "idxtab.h"
#include "record.h"
#include "sym/kallsyms.h"

#define MAX_INLINE_DEPTH 32
/* Kernel part + user part + a marker for each + slack for inserted frames. */
#define MAX_SAMPLE_LOCS (2 * PF_MAX_STACK_DEPTH + 8)

struct process {
	uint32_t tgid;
	uint32_t mm_id; /* 0 until known, for pre-snapshotted --pid targets */
	struct procsym *sym; /* NULL when the snapshot failed */
	/* The executable a pre-snapshot (mm_id 0) saw, to tell whether the
	 * process exec'd before its first sample. */
	bool exe_known;
	dev_t exe_dev;
	ino_t exe_ino;
	char comm[PF_COMM_LEN + 1];
	bool sampled; /* has samples in the profile being built */
	uint64_t switch_lo, switch_hi; /* runtime.systemstack, for Go */
};

/* Resolved addresses: (process, address, leaf?) -> profile location. Kernel
 * addresses use process index UINT32_MAX. */
struct addr_entry {
	uint64_t addr;
	uint32_t proc; /* index into recorder.procs */
	uint32_t loc;
	bool leaf;
};

struct recorder {
	struct kallsyms *ksyms;
	struct symcache *cache;
	const struct binsym *vdso;
	struct process *procs;
	size_t nprocs, procs_cap;
	struct idxtab proc_index;
	struct addr_entry *addrs;
	size_t naddrs, addrs_cap;
	struct idxtab addr_index;
	struct procsym_stats sym_stats;
	uint64_t snapshots_failed;
};

/* State of one recorder__build call. */
struct build {
	struct recorder *rec;
	struct sampler *sampler;
	struct profile *prof;
	struct record_stats *stats;
	struct pf_stack stack;
	uint64_t count; /* of the key being added */
};

struct recorder *recorder__new(void)
{
	struct recorder *rec = calloc(1, sizeof(*rec));
	struct binsym *vdso;

	if (!rec || !(rec->cache = symcache__new())) {
		free(rec);
		errno = ENOMEM;
		return NULL;
	}
	vdso = procsym__open_vdso();
	if (vdso && !symcache__adopt(rec->cache, vdso))
		rec->vdso = vdso;
	else
		binsym__free(vdso);
	return rec;
}

void recorder__free(struct recorder *rec)
{
	size_t i;

	if (!rec)
		return;
	for (i = 0; i < rec->nprocs; i++)
		procsym__free(rec->procs[i].sym);
	free(rec->procs);
	idxtab__release(&rec->proc_index);
	free(rec->addrs);
	idxtab__release(&rec->addr_index);
	kallsyms__free(rec->ksyms);
	symcache__free(rec->cache);
	free(rec);
}

static bool proc_eq(const void *ctx, uint32_t idx)
{
	const struct recorder *rec = ((const void *const *)ctx)[0];
	const uint32_t *id = ((const void *const *)ctx)[1];

	return rec->procs[idx].tgid == id[0] && rec->procs[idx].mm_id == id[1];
}

static uint64_t proc_hash(uint32_t tgid, uint32_t mm_id)
{
	return ((uint64_t)tgid << 32 | mm_id) * 0x9e3779b97f4a7c15ull;
}

static struct process *find_process(const struct recorder *rec, uint32_t tgid, uint32_t mm_id)
{
	uint32_t id[2] = { tgid, mm_id }, idx;
	const void *ctx[2] = { rec, id };

	if (idxtab__find(&rec->proc_index, proc_hash(tgid, mm_id), proc_eq, ctx, &idx))
		return NULL;
	return &rec->procs[idx];
}

/* The process name as ps shows it: the main thread's comm. */
static void read_comm(uint32_t tgid, char comm[PF_COMM_LEN + 1])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/comm", tgid);
	if (fileio__read_line_at(-1, path, comm, PF_COMM_LEN + 1))
		comm[0] = '\0';
}

/* The identity of the file the process runs, false when it has none or
 * is gone. */
static bool read_exe_identity(uint32_t tgid, dev_t *dev, ino_t *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/exe", tgid);
	if (stat(path, &st))
		return false;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return true;
}

/* Names and snapshots p as the process is now. */
static void snapshot_process(struct recorder *rec, struct process *p, const char *comm,
			     bool comm_is_process)
{
	/* Before the snapshot: an exec between the two then shows as a
	 * changed executable when the pre-snapshot is bound. */
	if (!p->mm_id)
		p->exe_known = read_exe_identity(p->tgid, &p->exe_dev, &p->exe_ino);
	/* The main thread's name is the process's: no need to ask /proc,
	 * which costs a new procfs lookup per short-lived process. */
	if (comm && comm_is_process && comm[0])
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
	else
		read_comm(p->tgid, p->comm);
	if (!p->comm[0] && comm)
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
	if (!p->comm[0])
		snprintf(p->comm, sizeof(p->comm), "[pid %u]", p->tgid);
	p->sym = procsym__snapshot((int)p->tgid, rec->cache, rec->vdso, &rec->sym_stats);
	p->switch_lo = p->switch_hi = 0;
	if (!p->sym)
		rec->snapshots_failed++;
	else if (gostack__switch_range(p->sym, &p->switch_lo, &p->switch_hi))
		p->switch_lo = p->switch_hi = 0;
}

static struct process *add_process(struct recorder *rec, uint32_t tgid, uint32_t mm_id,
				   const char *comm, bool comm_is_process)
{
	struct process *p;

	if (rec->nprocs == rec->procs_cap) {
		size_t cap = rec->procs_cap ? rec->procs_cap * 2 : 64;
		struct process *procs = realloc(rec->procs, cap * sizeof(*procs));

		if (!procs)
			return NULL;
		rec->procs = procs;
		rec->procs_cap = cap;
	}
	if (idxtab__insert(&rec->proc_index, proc_hash(tgid, mm_id), (uint32_t)rec->nprocs))
		return NULL;
	p = &rec->procs[rec->nprocs++];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->mm_id = mm_id;
	snapshot_process(rec, p, comm, comm_is_process);
	return p;
}

/* Gives a snapshot taken before the first sample (mm_id 0) its mm_id. A
 * process started just before podflame may still have been the shell that
 * forks it: when its executable changed since, the snapshot describes the
 * program it left, and it is taken again. One that has exited keeps its
 * snapshot, the best there is. */
static bool bind_presnapshot(struct recorder *rec, uint32_t tgid, uint32_t mm_id, const char *comm,
			     bool comm_is_process)
{
	struct process *pending = mm_id ? find_process(rec, tgid, 0) : NULL;
	dev_t dev;
	ino_t ino;
	uint32_t idx;

	if (!pending)
		return false;
	if (pending->exe_known && read_exe_identity(tgid, &dev, &ino) &&
	    (dev != pending->exe_dev || ino != pending->exe_ino)) {
		procsym__free(pending->sym);
		pending->sym = NULL;
		snapshot_process(rec, pending, comm, comm_is_process);
	}
	idx = (uint32_t)(pending - rec->procs);
	/* Re-index: the table is keyed by (tgid, mm_id). Stale slot stays but
	 * can no longer match, since the record now says mm_id. */
	pending->mm_id = mm_id;
	return idxtab__insert(&rec->proc_index, proc_hash(tgid, mm_id), idx) == 0;
}

void recorder__note_task(struct recorder *rec, uint32_t tgid, uint32_t mm_id, const char *comm,
			 bool comm_is_process)
{
	if (find_process(rec, tgid, mm_id) ||
	    bind_presnapshot(rec, tgid, mm_id, comm, comm_is_process))
		return;
	add_process(rec, tgid, mm_id, comm, comm_is_process);
}

const struct procsym *recorder__process(const struct recorder *rec, uint32_t tgid, uint32_t mm_id)
{
	const struct process *p = find_process(rec, tgid, mm_id);

	return p ? p->sym : NULL;
}

static bool addr_eq(const void *ctx, uint32_t idx)
{
	const struct recorder *rec = ((const void *const *)ctx)[0];
	const struct addr_entry *want = ((const void *const *)ctx)[1];
	const struct addr_entry *have = &rec->addrs[idx];

	return have->addr == want->addr && have->proc == want->proc && have->leaf == want->leaf;
}

static uint64_t addr_hash(const struct addr_entry *e)
{
	return (e->addr * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)e->proc << 1 | e->leaf);
}

static int remember_addr(struct recorder *rec, const struct addr_entry *e)
{
	if (rec->naddrs == rec->addrs_cap) {
		size_t cap = rec->addrs_cap ? rec->addrs_cap * 2 : 4096;
		struct addr_entry *addrs = realloc(rec->addrs, cap * sizeof(*addrs));

		if (!addrs)
			return -ENOMEM;
		rec->addrs = addrs;
		rec->addrs_cap = cap;
	}
	rec->addrs[rec->naddrs] = *e;
	return idxtab__insert(&rec->addr_index, addr_hash(e), (uint32_t)rec->naddrs++);
}

/* A location of a single synthetic frame ("[unknown]", markers). */
static int named_location(struct profile *prof, const char *name, enum frame_kind kind,
			  uint64_t address, uint32_t mapping, uint32_t *loc)
{
	struct profile_line line = { 0 };
	int err = profile__add_function(prof, name, NULL, kind, &line.function);

	return err ? err : profile__add_location(prof, address, mapping, &line, 1, loc);
}

static int kernel_location(struct build *b, uint64_t addr, bool leaf, uint32_t *loc)
{
	const char *name;
	struct profile_line line = { 0 };
	int err;

	/* A return address points after the call; look up the call itself. */
	if (!b->rec->ksyms ||
	    kallsyms__resolve(b->rec->ksyms, leaf ? addr : addr - 1, &name, NULL, NULL))
		return named_location(b->prof, "[unknown]", FRAME_UNKNOWN, addr, PROFILE_NO_MAPPING,
				      loc);
	err = profile__add_function(b->prof, name, NULL, FRAME_KERNEL, &line.function);
	return err ? err : profile__add_location(b->prof, addr, PROFILE_NO_MAPPING, &line, 1, loc);
}

static int mapping_of(struct build *b, const struct addr_location *where, uint32_t *id)
{
	struct profile_mapping m = {
		.start = where->map->start,
		.limit = where->map->end,
		.offset = where->map->offset,
	};
	int err = profile__intern_string(b->prof, where->map->path, &m.file);

	if (!err)
		err = profile__intern_string(b->prof,
					     where->bin ? binsym__build_id(where->bin) : "",
					     &m.build_id);
	return err ? err : profile__add_mapping(b->prof, &m, id);
}

static int user_location(struct build *b, const struct process *proc, uint64_t addr, bool leaf,
			 uint32_t *loc)
{
	struct sym_frame frames[MAX_INLINE_DEPTH];
	struct profile_line lines[MAX_INLINE_DEPTH];
	struct addr_location where;
	uint32_t mapping = PROFILE_NO_MAPPING;
	char name[64];
	int n = -ENOENT, i, err;

	if (proc->sym)
		n = procsym__resolve(proc->sym, leaf ? addr : addr - 1, &where, frames,
				     MAX_INLINE_DEPTH);
	if (n >= 0) {
		err = mapping_of(b, &where, &mapping);
		if (err)
			return err;
	}
	if (n <= 0) {
		if (n == 0)
			snprintf(name, sizeof(name), "%s+0x%" PRIx64, where.module,
				 where.file_offset);
		return named_location(b->prof, n == 0 ? name : "[unknown]", FRAME_UNKNOWN, addr,
				      mapping, loc);
	}
	for (i = 0; i < n; i++) {
		lines[i].line = frames[i].line;
		err = profile__add_function(b->prof, frames[i].function, frames[i].file,
					    frames[i].kind, &lines[i].function);
		if (err)
			return err;
	}
	return profile__add_location(b->prof, addr, mapping, lines, (size_t)n, loc);
}

/* Location of addr in tgid (0: kernel), resolved once per run. */
static int location_of(struct build *b, const struct process *proc, uint64_t addr, bool leaf,
		       uint32_t *loc)
{
	struct addr_entry key = { addr, proc ? (uint32_t)(proc - b->rec->procs) : UINT32_MAX, 0,
				  leaf };
	const void *ctx[2] = { b->rec, &key };
	uint32_t idx;
	int err;

	if (!idxtab__find(&b->rec->addr_index, addr_hash(&key), addr_eq, ctx, &idx)) {
		*loc = b->rec->addrs[idx].loc;
		return 0;
	}
	err = proc ? user_location(b, proc, addr, leaf, loc) : kernel_location(b, addr, leaf, loc);
	if (err)
		return err;
	key.loc = *loc;
	return remember_addr(b->rec, &key);
}

static const char *lost_stack_name(int32_t err, bool user)
{
	if (err == -E2BIG || err == -ENOMEM)
		return user ? "[lost: user stack, map full]" : "[lost: kernel stack, map full]";
	return user ? "[user stack unavailable]" : "[kernel stack unavailable]";
}

/* Go's traceback ends a stack at these: on g0 after mcall (the goroutine
 * has been switched away) and at morestack, what lies above is stale. */
static bool is_go_stack_end(const struct profile *prof, uint32_t loc_id)
{
	const struct profile_location *loc = &prof->locations[loc_id];
	const struct profile_function *f;
	const char *name;

	if (!loc->nlines)
		return false;
	/* the outermost of the inlined lines is the real function */
	f = &prof->functions[prof->lines[loc->first_line + loc->nlines - 1].function];
	if (f->kind != FRAME_GO)
		return false;
	name = profile__str(prof, f->name);
	return !strcmp(name, "runtime.mcall") || !strcmp(name, "runtime.morestack");
}

/* Where in b->stack a Go stack switch's caller belongs, and which word it
 * is: the program appended candidates (tagged) after the addresses. Strips
 * them from b->stack. Returns the index to insert after, or -1. A switch
 * with no candidate that fits, or none at all (the bare chain, or no text
 * word within the program's window), is a caller lost: counted. */
static int switch_caller(struct build *b, const struct process *proc, uint64_t *caller)
{
	uint64_t words[PF_MAX_CANDIDATES];
	uint32_t distances[PF_MAX_CANDIDATES], k;
	size_t n = 0;
	int chosen;

	while (b->stack.nr > 0 && (b->stack.ips[b->stack.nr - 1] & PF_CANDIDATE_TAG)) {
		uint64_t tagged = b->stack.ips[--b->stack.nr];

		if (n < PF_MAX_CANDIDATES) {
			words[n] = tagged & ((1ull << PF_CANDIDATE_SHIFT) - 1);
			distances[n++] =
				(uint32_t)((tagged & ~PF_CANDIDATE_TAG) >> PF_CANDIDATE_SHIFT) * 8;
		}
	}
	if (!proc->sym || !proc->switch_hi)
		return -1;
	for (k = 1; k < b->stack.nr; k++) {
		if (b->stack.ips[k] < proc->switch_lo || b->stack.ips[k] >= proc->switch_hi)
			continue;
		chosen = !n ? -1
			    : gostack__switch_caller(proc->sym, words, distances, n,
						     k + 1 < b->stack.nr ? b->stack.ips[k + 1] : 0);
		if (chosen < 0) {
			b->stats->go_switch_lost += b->count;
			return -1;
		}
		b->stats->go_switch_restored += b->count;
		*caller = words[chosen];
		return (int)k;
	}
	return -1;
}

/* Reads a stack part into b->stack: the stored stack, or with a leaf (user
 * stacks) the leaf and then its callers' stack, when it has one. */
static int read_stack(struct build *b, uint64_t stack_key, uint64_t leaf)
{
	struct pf_stack *st = &b->stack;

	if (!leaf)
		return sampler__read_stack(b->sampler, stack_key, st);
	st->nr = 0;
	if (stack_key && sampler__read_stack(b->sampler, stack_key, st))
		return -ENOENT;
	if (st->nr >= PF_MAX_STACK_DEPTH)
		return -EPROTO; /* the program keeps at most one fewer callers */
	memmove(st->ips + 1, st->ips, st->nr * sizeof(*st->ips));
	st->ips[0] = leaf;
	st->nr++;
	return 0;
}

/* Appends one stack part (kernel or user), leaf first. For a Go leaf that
 * had not linked its frame, the caller from sp_word goes right after it;
 * at a systemstack switch, the goroutine's function that called it. */
static int append_stack(struct build *b, const struct process *proc, uint64_t stack_key,
			uint64_t leaf, int32_t stack_err, uint64_t sp_word, uint32_t *locs,
			size_t *n)
{
	enum gostack_outcome outcome = GOSTACK_NOT_GO;
	uint64_t caller = 0;
	int switch_at = -1, err;
	uint32_t i;

	if (stack_err || read_stack(b, stack_key, leaf)) {
		if (proc)
			b->stats->user_stacks_lost += b->count;
		else
			b->stats->kernel_stacks_lost += b->count;
		return named_location(b->prof, lost_stack_name(stack_err, proc != NULL),
				      FRAME_UNKNOWN, 0, PROFILE_NO_MAPPING, &locs[(*n)++]);
	}
	if (proc)
		switch_at = switch_caller(b, proc, &caller);
	if (proc && proc->sym && b->stack.nr > 0) {
		outcome = gostack__missing_caller(proc->sym, b->stack.ips[0],
						  b->stack.nr > 1 ? b->stack.ips[1] : 0, sp_word);
		b->stats->go_leaf[outcome] += b->count;
	}
	for (i = 0; i < b->stack.nr && *n < MAX_SAMPLE_LOCS; i++) {
		err = location_of(b, proc, b->stack.ips[i], i == 0, &locs[*n]);
		if (err)
			return err;
		(*n)++;
		if (proc && i + 1 < b->stack.nr && is_go_stack_end(b->prof, locs[*n - 1])) {
			b->stats->go_stack_ends += b->count;
			break;
		}
		if (i == 0 && outcome == GOSTACK_RESTORED && *n < MAX_SAMPLE_LOCS) {
			err = location_of(b, proc, sp_word, false, &locs[*n]);
			if (err)
				return err;
			(*n)++;
		}
		if ((int)i == switch_at && *n < MAX_SAMPLE_LOCS) {
			err = location_of(b, proc, caller, false, &locs[*n]);
			if (err)
				return err;
			(*n)++;
		}
	}
	return 0;
}

static void count_unknown(struct build *b, const uint32_t *locs, size_t n, uint64_t count)
{
	const struct profile *prof = b->prof;
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct profile_location *loc = &prof->locations[locs[i]];
		uint32_t j;

		for (j = 0; j < loc->nlines; j++) {
			b->stats->frames += count;
			if (prof->functions[prof->lines[loc->first_line + j].function].kind ==
			    FRAME_UNKNOWN) {
				b->stats->unknown_frames += count;
				any = true;
			}
		}
	}
	if (any)
		b->stats->samples_with_unknown += count;
}

static int add_key(void *ctx, const struct pf_key *key, uint64_t count)
{
	struct build *b = ctx;
	uint32_t locs[MAX_SAMPLE_LOCS];
	struct process *proc;
	size_t n = 0;
	int err;

	b->stats->keys++;
	b->count = count;
	proc = find_process(b->rec, key->tgid, key->mm_id);
	if (!proc && bind_presnapshot(b->rec, key->tgid, key->mm_id, NULL, false))
		proc = find_process(b->rec, key->tgid, key->mm_id);
	if (!proc) {
		/* Seen by the kernel but its notice was lost: try now. */
		proc = add_process(b->rec, key->tgid, key->mm_id, NULL, false);
		if (!proc)
			return -ENOMEM;
	}
	if (key->kernel_stack || key->kernel_err) {
		err = append_stack(b, NULL, key->kernel_stack, 0, key->kernel_err, 0, locs, &n);
		if (err)
			return err;
	}
	if (!(key->flags & PF_KEY_NO_USER)) {
		err = append_stack(b, proc, key->user_stack, key->user_leaf, key->user_err,
				   key->user_sp_word, locs, &n);
		if (err)
			return err;
	}
	count_unknown(b, locs, n, count);
	b->stats->samples += count;
	proc->sampled = true;
	return profile__add_sample(b->prof, locs, n, (int64_t)count, proc->comm, key->tgid);
}

int recorder__build(struct recorder *rec, struct sampler *s, struct profile *out,
		    struct record_stats *stats)
{
	struct build b = { .rec = rec, .sampler = s, .prof = out, .stats = stats };
	size_t i;
	int err;

	memset(stats, 0, sizeof(*stats));
	/* Kernel symbols are read after the window, not before it: 100k
	 * lines of procfs would delay the first sample. */
	if (!rec->ksyms) {
		int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			rec->ksyms = kallsyms__load_fd(fd, NULL);
			close(fd);
		}
	}
	stats->kernel_symbols = rec->ksyms != NULL;
	err = sampler__counters(s, stats->drops, stats->kernel_stats);
	if (err)
		return err;
	err = sampler__for_each_count(s, add_key, &b);
	if (err)
		return err;
	for (i = 0; i < rec->nprocs; i++)
		stats->processes += rec->procs[i].sampled;
	stats->snapshots_failed = rec->snapshots_failed;
	stats->sym = rec->sym_stats;
	symcache__stats(rec->cache, &stats->cache);
	return 0;
}
