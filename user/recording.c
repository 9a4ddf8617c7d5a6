#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "commands.h"
#include "errmsg.h"
#include "fileio.h"
#include "pods.h"
#include "recording.h"
#include "gostack.h"
#include "sampler.h"

/* Command-layer state: set from the signal handler, read by the loop. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

void recording__catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int recording__parse_uint(const char *text, unsigned long max, unsigned long *value)
{
	char *end;

	errno = 0;
	*value = strtoul(text, &end, 10);
	return errno || end == text || *end || *value > max || text[0] == '-' ? -EINVAL : 0;
}

#define MAX_CANDIDATES 12

void recording__host_cgroup_view(void)
{
	char comm[32] = "";
	int err;

	/* kthreadd lives in the initial namespaces and, unlike an init that
	 * holds capabilities we lack, its ns links are readable by root. */
	fileio__read_line_at(-1, "/proc/2/comm", comm, sizeof(comm));
	err = cgroup__enter_ns_of(strcmp(comm, "kthreadd") ? 1 : 2);

	if (err < 0)
		pf_warn("cannot join the host's cgroup namespace: %s (pods outside this container's "
			"cgroup will not resolve; run privileged or with CAP_SYS_ADMIN)",
			strerror(-err));
}

/* The lower-case, dash-separated form a pod UID prefix is compared in. */
static void normalize_uid(const char *arg, char *out, size_t cap)
{
	size_t i;

	for (i = 0; arg[i] && i + 1 < cap; i++)
		out[i] = arg[i] == '_' ? '-' : (char)tolower((unsigned char)arg[i]);
	out[i] = '\0';
}

void recording__report_lookup(const struct pods *pods, const char *option, const char *arg, int err)
{
	bool is_pod = !strcmp(option, "--pod"), ambiguous = err == -ENOTUNIQ;
	char want[POD_ID_MAX + 1] = "";
	size_t i, j, shown = 0, total = 0;

	if (err == -EINVAL) {
		pf_error("%s %s: not a container ID (give containerd://<id>, cri-o://<id>, "
			 "docker://<id> or at least 12 hex digits of it)",
			 option, arg);
		return;
	}
	if (!pods__count(pods)) {
		pf_error("%s %s: no Kubernetes pods found on this node (is the host's cgroup "
			 "filesystem visible here? podflame targets lists what there is)",
			 option, arg);
		return;
	}
	if (is_pod)
		normalize_uid(arg, want, sizeof(want));
	else if (ambiguous)
		pods__normalize_container_id(arg, want);
	pf_error("%s %s: %s; %s:", option, arg,
		 ambiguous ? "ambiguous"
		 : is_pod  ? "no such pod on this node"
			   : "no such container on this node",
		 ambiguous ? "it matches" : "there are");
	for (i = 0; i < pods__count(pods); i++) {
		const struct pod *pod = pods__at(pods, i);

		if (is_pod) {
			if (ambiguous && strncmp(pod->uid, want, strlen(want)))
				continue;
			if (total++ < MAX_CANDIDATES && ++shown)
				fprintf(stderr, "    pod %s (%s)\n", pod->uid,
					pod_qos__name(pod->qos));
			continue;
		}
		for (j = 0; j < pod->ncontainers; j++) {
			if (ambiguous && strncmp(pod->containers[j].id, want, strlen(want)))
				continue;
			if (total++ < MAX_CANDIDATES && ++shown)
				fprintf(stderr, "    container %s (pod %s)\n",
					pod->containers[j].id, pod->uid);
		}
	}
	if (total > shown)
		fprintf(stderr, "    ... and %zu more (podflame targets lists them all)\n",
			total - shown);
}

/* A pod or container without a cgroup2 directory (v1-only hosts): its
 * processes now. New processes will not be followed; say so. */
static int set_v1_pids(struct target *t, const char *dir, const char *what)
{
	int *pids;
	size_t n, i;
	int err = cgroup__pids(dir, &pids, &n, 1u << 16);

	if (err && err != -E2BIG)
		return err;
	for (i = 0; i < n && (!err || err == -E2BIG); i++)
		err = target__add_pid(t, pids[i]) == -EBUSY ? -EBUSY : 0;
	free(pids);
	if (err)
		return err;
	if (!n) {
		pf_error("%s: no processes in %s (and no cgroup2 directory to follow new ones)",
			 what, dir);
		return -ESRCH;
	}
	pf_warn("%s has no cgroup2 directory (cgroup v1 host): sampling its %zu current "
		"processes; processes it starts later are not sampled",
		what, n);
	return 0;
}

static int set_pod_target(struct target *t, const struct cgroup_mounts *m, int opt, const char *arg)
{
	const char *option = opt == 'P' ? "--pod" : "--container";
	const struct pod_container *ctr = NULL;
	const struct pod *pod = NULL;
	struct pods *pods = pods__scan(m);
	char *const *path;
	char what[160];
	int err;

	if (!pods) {
		pf_error_errno(-errno, NULL, "%s %s: scanning cgroups", option, arg);
		return PF_EXIT_ERROR;
	}
	err = opt == 'P' ? pods__find_pod(pods, arg, &pod)
			 : pods__find_container(pods, arg, &pod, &ctr);
	if (err) {
		recording__report_lookup(pods, option, arg, err);
		pods__free(pods);
		return err == -EINVAL ? PF_EXIT_USAGE : PF_EXIT_ERROR;
	}
	path = ctr ? ctr->path : pod->path;
	if (ctr)
		snprintf(what, sizeof(what), "container %.12s (pod %s)", ctr->id, pod->uid);
	else
		snprintf(what, sizeof(what), "pod %s", pod->uid);
	if (path[POD_TREE_V2])
		err = target__set_cgroup(t, m, path[POD_TREE_V2]);
	else
		err = set_v1_pids(t, path[POD_TREE_V1_CPU], what);
	if (!err)
		snprintf(t->label, sizeof(t->label), "%s", what);
	else if (err != -EBUSY && err != -ESRCH)
		pf_error_errno(err, NULL, "%s %s: opening its cgroup", option, arg);
	pods__free(pods);
	if (err == -EBUSY) {
		pf_error(
			"choose one target: --pod, --container, --cgroup, --pid (repeatable) or -a");
		return PF_EXIT_USAGE;
	}
	return err ? PF_EXIT_ERROR : 0;
}

int recording__target_option(struct target *t, const struct cgroup_mounts *mounts, int opt,
			     const char *arg)
{
	unsigned long pid;
	int err = 0;

	if (opt == 'P' || opt == 'C')
		return set_pod_target(t, mounts, opt, arg);
	if (opt == 'a') {
		err = target__set_all(t);
	} else if (opt == 'c') {
		if (!mounts->v2[0]) {
			pf_error("--cgroup %s: no cgroup2 filesystem is mounted "
				 "(mount one, e.g. mount -t cgroup2 none /sys/fs/cgroup)",
				 arg);
			return PF_EXIT_ERROR;
		}
		err = target__set_cgroup(t, mounts, arg);
		if (err && err != -EBUSY) {
			pf_error_errno(err,
				       err == -EXDEV ? "give a path under the cgroup2 mount" : NULL,
				       "--cgroup %s (cgroup2 is mounted at %s)", arg, mounts->v2);
			return PF_EXIT_ERROR;
		}
	} else {
		if (recording__parse_uint(arg, 0x7fffffff, &pid) || pid == 0) {
			pf_error("--pid %s: not a process id", arg);
			return PF_EXIT_USAGE;
		}
		err = target__add_pid(t, (int)pid);
		if (err == -ESRCH) {
			pf_error("--pid %lu: no such process", pid);
			return PF_EXIT_ERROR;
		}
	}
	if (err == -EBUSY) {
		pf_error(
			"choose one target: --pod, --container, --cgroup, --pid (repeatable) or -a");
		return PF_EXIT_USAGE;
	}
	return err ? PF_EXIT_ERROR : 0;
}

const char *recording__describe_target(const struct target *t, char *buf, size_t cap)
{
	size_t i, used;

	if (t->label[0] && t->kind == TARGET_CGROUP) {
		snprintf(buf, cap, "%s (cgroup %s)", t->label, t->cgroup_path);
		return buf;
	}
	switch (t->kind) {
	case TARGET_CGROUP: snprintf(buf, cap, "cgroup %s", t->cgroup_path); break;
	case TARGET_PIDS:
		used = (size_t)snprintf(buf, cap, "%s%spid", t->label, t->label[0] ? ": " : "");
		used = used < cap ? used : cap;
		for (i = 0; i < t->npids && used < cap; i++)
			used += (size_t)snprintf(buf + used, cap - used, "%s%d", i ? "," : " ",
						 t->pids[i]);
		break;
	default: snprintf(buf, cap, "all processes");
	}
	return buf;
}

int recording__preflight(void)
{
	static const char fix[] = "podflame needs a kernel built with CONFIG_DEBUG_INFO_BTF=y, as "
				  "Debian's and most distributions' are";
	struct stat st;

	/* libbpf reads it again while loading; a stat is enough to say now
	 * that it is missing or empty (as on kernels without BTF, or hidden by
	 * a container's bind mount) instead of failing inside the loader. */
	if (stat("/sys/kernel/btf/vmlinux", &st)) {
		pf_error_errno(-errno, fix, "kernel BTF (/sys/kernel/btf/vmlinux)");
		return PF_EXIT_ERROR;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		pf_error("kernel BTF at /sys/kernel/btf/vmlinux is empty (%s)", fix);
		return PF_EXIT_ERROR;
	}
	return 0;
}

static void report_start_error(int err, const struct sampler_error *where,
			       const struct target *target)
{
	const char *fix = NULL;

	if ((err == -EPERM || err == -EACCES) && where->stage == SAMPLER_STAGE_LOAD &&
	    pf_has_bpf_privileges())
		fix = "the kernel's verifier refused the program: run with -v for its log";
	else if (err == -EPERM || err == -EACCES)
		fix = pf_privilege_fix();
	else if (where->stage == SAMPLER_STAGE_PERF_EVENT && err == -EINVAL)
		fix = "lower -F below kernel.perf_event_max_sample_rate";
	else if (where->stage == SAMPLER_STAGE_PERF_EVENT && err == -ENOENT)
		fix = "this kernel has no cpu-clock perf event";
	else if (where->stage == SAMPLER_STAGE_PERF_EVENT && err == -EBADF)
		fix = "the cgroup is not a cgroup v2 directory";
	else if (where->stage == SAMPLER_STAGE_LOAD)
		fix = "run with -v for the verifier's log";
	if (where->stage == SAMPLER_STAGE_PERF_EVENT || where->stage == SAMPLER_STAGE_ATTACH)
		pf_error_errno(err, fix, "%s cpu %d%s", sampler_stage__name(where->stage),
			       where->cpu, target->kind == TARGET_CGROUP ? " (cgroup mode)" : "");
	else
		pf_error_errno(err, fix, "%s", sampler_stage__name(where->stage));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the new-process callback needs; the sampler is set once started
 * (notices only arrive from sampler__poll, after that). */
struct window_ctx {
	struct recorder *rec;
	struct sampler *sampler;
	bool go_callers; /* recover callers at systemstack (off: the bare chain) */
};

/* Hands the program what the snapshot learned: Go processes get the Go
 * stack-walk rules and where their stack switches are. */
static void mark_task(struct window_ctx *w, uint32_t tgid, uint32_t mm_id)
{
	const struct procsym *ps = recorder__process(w->rec, tgid, mm_id);
	const struct binsym *exe = ps ? procsym__main_binary(ps) : NULL;
	struct pf_task_info info = { .mm_id = mm_id };

	if (!w->sampler)
		return;
	if (exe && binsym__go(exe)) {
		uint64_t lo, hi;

		info.flags = PF_TASK_GO;
		if (w->go_callers && !gostack__switch_range(ps, &lo, &hi)) {
			info.switch_lo = lo;
			info.switch_hi = hi;
		}
	}
	sampler__set_task_info(w->sampler, tgid, &info);
}

static void on_new_task(void *ctx, uint32_t tgid, uint32_t mm_id, const char *comm,
			bool comm_is_process)
{
	struct window_ctx *w = ctx;

	recorder__note_task(w->rec, tgid, mm_id, comm, comm_is_process);
	mark_task(w, tgid, mm_id);
}

/* A short-lived process must still be alive when its notice is read. */
#define NOTICE_BATCH_NS (5 * 1000 * 1000)

/* Polls until the time is up, a signal arrives or the target is gone. */
static enum recording_end run_window(struct sampler *s, const struct recording_opts *opts)
{
	bool status_line = opts->status_line && !pf_is_quiet() && isatty(STDERR_FILENO);
	double start = now_s(), last_check = start, elapsed;
	uint64_t drops[PF_DROP__COUNT], stats[PF_STAT__COUNT];
	enum recording_end end = RECORDING_END_TIME;
	int err;

	while (!stop_signal && (elapsed = now_s() - start) < opts->duration_s) {
		err = sampler__poll(s, 200);
		if (err < 0 && err != -EINTR)
			break;
		/* Processes start in bursts (fork, exec, the next fork): a
		 * moment's pause lets one wake-up take the whole burst, where a
		 * wake-up per notice was a fifth of podflame's CPU under load. */
		if (err > 0)
			nanosleep(&(struct timespec){ .tv_nsec = NOTICE_BATCH_NS }, NULL);
		if (now_s() - last_check < 1.0)
			continue;
		last_check = now_s();
		if (!target__alive(opts->target)) {
			end = RECORDING_END_TARGET_GONE;
			break;
		}
		if (status_line && !sampler__counters(s, drops, stats))
			fprintf(stderr, "\r  recording: %.0f/%.0f s, %llu samples\033[K", elapsed,
				opts->duration_s, (unsigned long long)stats[PF_STAT_COUNTED]);
	}
	if (status_line)
		fputs("\r\033[K", stderr);
	return stop_signal ? RECORDING_END_SIGNAL : end;
}

/* This process's CPU so far: what the window itself costs is the
 * difference, without start-up (BPF load, BTF) and symbolization. */
static double own_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void set_meta(struct profile *prof, unsigned int frequency_hz, double seconds)
{
	prof->meta.frequency_hz = frequency_hz;
	prof->meta.period_ns = 1000000000ll / frequency_hz;
	prof->meta.duration_ns = (int64_t)(seconds * 1e9);
	prof->meta.time_ns = (int64_t)time(NULL) * 1000000000ll - prof->meta.duration_ns;
}

int recording__run(const struct recording_opts *opts, struct profile *prof,
		   struct recording_result *res)
{
	const struct target *t = opts->target;
	struct sampler_opts sopts = {
		.frequency_hz = opts->frequency_hz,
		.cgroup_fd = t->cgroup_fd,
		.tgids = t->pids,
		.ntgids = t->npids,
		.user_stacks = opts->user_stacks,
		.kernel_stacks = opts->kernel_stacks,
		.include_idle = opts->include_idle,
		.capture_sp_word = opts->capture_sp_word,
		.counts_entries = opts->map_size,
		.stack_entries = opts->map_size,
	};
	struct recorder *rec = recorder__new();
	struct window_ctx wctx = { .rec = rec, .go_callers = opts->capture_sp_word };
	struct sampler *s = NULL;
	struct sampler_error where;
	char target_text[PATH_MAX + 32];
	int status = PF_EXIT_ERROR, err;
	double start, cpu_start;
	size_t i;

	memset(res, 0, sizeof(*res));
	if (!rec) {
		pf_error_errno(-ENOMEM, NULL, "starting");
		return PF_EXIT_ERROR;
	}
	libbpf_set_print(opts->verbose ? libbpf_print : libbpf_quiet);
	/* Known targets are snapshotted before the first sample. */
	for (i = 0; i < t->npids; i++)
		recorder__note_task(rec, (uint32_t)t->pids[i], 0, NULL, false);
	recording__catch_signals();
	err = sampler__start(&sopts, on_new_task, &wctx, &s, &where);
	if (err) {
		report_start_error(err, &where, t);
		goto cleanup;
	}
	wctx.sampler = s;
	for (i = 0; i < t->npids; i++)
		mark_task(&wctx, (uint32_t)t->pids[i], 0);
	pf_info("podflame: sampling %s at %u Hz for %g s... Ctrl-C to end early",
		recording__describe_target(t, target_text, sizeof(target_text)), opts->frequency_hz,
		opts->duration_s);
	start = now_s();
	cpu_start = own_cpu_s();
	res->end = run_window(s, opts);
	res->signal = stop_signal;
	res->own_cpu_s = own_cpu_s() - cpu_start;
	sampler__stop(s);
	res->seconds = now_s() - start;
	res->ncpus = sampler__ncpus(s);
	set_meta(prof, opts->frequency_hz, res->seconds);
	if (res->end == RECORDING_END_SIGNAL)
		pf_info("podflame: %s: ending the window early",
			res->signal == SIGINT ? "interrupted" : "terminated");
	err = recorder__build(rec, s, prof, &res->stats);
	if (err) {
		pf_error_errno(err, NULL, "reading the samples");
		goto cleanup;
	}
	status = PF_EXIT_OK;
cleanup:
	sampler__free(s);
	recorder__free(rec);
	return status;
}

void recording__print_summary(const struct recording_result *res, const struct profile *prof,
			      unsigned int frequency_hz)
{
	const struct record_stats *st = &res->stats;
	uint64_t lost = 0;
	int d;

	pf_info("podflame: %llu samples from %llu processes in %.1f s at %u Hz on %d CPUs; "
		"%zu distinct stacks from %llu in-kernel keys",
		(unsigned long long)st->samples, (unsigned long long)st->processes, res->seconds,
		frequency_hz, res->ncpus, prof->nsamples, (unsigned long long)st->keys);
	/* The kernel's own count is the check that nothing went missing
	 * between the program and this profile. */
	pf_info("  kernel: %llu target samples taken, %llu counted, %llu in the profile",
		(unsigned long long)(st->kernel_stats[PF_STAT_SAMPLES] -
				     st->kernel_stats[PF_STAT_FILTERED]),
		(unsigned long long)st->kernel_stats[PF_STAT_COUNTED],
		(unsigned long long)st->samples);
	if (st->samples != st->kernel_stats[PF_STAT_COUNTED])
		pf_warn("the profile holds %llu samples but the kernel counted %llu",
			(unsigned long long)st->samples,
			(unsigned long long)st->kernel_stats[PF_STAT_COUNTED]);
	if (st->kernel_stats[PF_STAT_USER_TRUNCATED])
		pf_info("  %llu user stacks deeper than %d frames were cut at the limit",
			(unsigned long long)st->kernel_stats[PF_STAT_USER_TRUNCATED],
			PF_MAX_STACK_DEPTH);
	for (d = 0; d < PF_DROP__COUNT; d++) {
		if (!st->drops[d])
			continue;
		pf_info("  lost: %llu %s", (unsigned long long)st->drops[d],
			pf_drop__name((enum pf_drop)d));
		lost += st->drops[d];
	}
	if (!lost)
		pf_info("  lost: none");
	if (res->seconds > 0)
		pf_info("  podflame's own CPU while sampling: %.2f s, %.2f%% of one core",
			res->own_cpu_s, 100.0 * res->own_cpu_s / res->seconds);
	if (st->samples)
		pf_info("  unknown frames: %.1f%% of samples have one (%llu of %llu frames)",
			100.0 * (double)st->samples_with_unknown / (double)st->samples,
			(unsigned long long)st->unknown_frames, (unsigned long long)st->frames);
	if (st->go_leaf[GOSTACK_RESTORED] + st->go_leaf[GOSTACK_NO_WORD] +
	    st->go_leaf[GOSTACK_NOT_RETURN_SITE]) {
		pf_info("  Go frameless leaves: %llu callers restored; lost: %llu %s, %llu %s",
			(unsigned long long)st->go_leaf[GOSTACK_RESTORED],
			(unsigned long long)st->go_leaf[GOSTACK_NO_WORD],
			gostack_outcome__name(GOSTACK_NO_WORD),
			(unsigned long long)st->go_leaf[GOSTACK_NOT_RETURN_SITE],
			gostack_outcome__name(GOSTACK_NOT_RETURN_SITE));
	}
	if (st->go_switch_restored + st->go_switch_lost)
		pf_info("  Go stack switches (systemstack): %llu callers restored, %llu lost",
			(unsigned long long)st->go_switch_restored,
			(unsigned long long)st->go_switch_lost);
	if (st->go_stack_ends)
		pf_info("  %llu Go stacks end at runtime.mcall or runtime.morestack, as Go's traceback "
			"ends them",
			(unsigned long long)st->go_stack_ends);
	if (st->snapshots_failed)
		pf_info("  %llu processes exited before their maps could be read",
			(unsigned long long)st->snapshots_failed);
	if (st->sym.unreadable)
		pf_info("  %llu mappings had an unreadable binary (their frames show module+offset)",
			(unsigned long long)st->sym.unreadable);
	if (!st->kernel_symbols)
		pf_info("  /proc/kallsyms unreadable: kernel frames are [unknown]");
}
