/* podflame record: sample on-CPU stacks of a target, write folded/SVG/pprof. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "commands.h"
#include "errmsg.h"
#include "output.h"
#include "record.h"
#include "sampler.h"
#include "target.h"

#define MAX_OUTPUTS 8

struct record_args {
	struct target target;
	unsigned int frequency_hz;
	double duration_s;
	const char *outputs[MAX_OUTPUTS];
	size_t noutputs;
	const char *format;
	bool user_only, kernel_only, include_idle, no_comm, quiet, verbose;
	uint32_t map_size;
};

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

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame record TARGET [options]\n"
		"\n"
		"Sample on-CPU stacks (kernel and user) with eBPF at a fixed frequency and\n"
		"write them symbolized. Ctrl-C ends the window early and still writes output.\n"
		"\n"
		"target (one kind):\n"
		"      --cgroup PATH      a cgroup v2 directory and everything below it\n"
		"                         (absolute, or relative to the cgroup2 mount)\n"
		"  -p, --pid PID          a process (repeatable)\n"
		"  -a, --all              every process on the host\n"
		"\n"
		"options:\n"
		"  -F, --frequency HZ     samples per second per CPU (default 99)\n"
		"  -d, --duration SEC     length of the window (default 10)\n"
		"  -o, --output FILE      .folded, .svg, .pb.gz or .json by extension;\n"
		"                         repeatable (default: podflame.folded)\n"
		"      --format FMT       folded|svg|pprof|json, overriding the extension\n"
		"  -U, --user-only        user stacks only\n"
		"  -K, --kernel-only      kernel stacks only\n"
		"  -I, --include-idle     count the idle task (with -a)\n"
		"      --map-size N       entries of the in-kernel counts and stack maps\n"
		"                         (default %d; raise it when the summary reports losses)\n"
		"      --no-comm          no process-name root frame\n"
		"  -q, --quiet            no status line, no summary\n"
		"  -v, --verbose          show libbpf's messages\n"
		"  -h, --help             this help\n"
		"\n"
		"examples:\n"
		"  podflame record --cgroup kubepods.slice/... -F 99 -d 10 -o out.folded\n"
		"  podflame record -p 1234 -d 30 -o app.svg -o app.pb.gz\n"
		"  podflame record -a -d 5 -o host.folded\n",
		PF_DEFAULT_COUNTS_ENTRIES);
}

static int parse_uint(const char *text, unsigned long max, unsigned long *value)
{
	char *end;

	errno = 0;
	*value = strtoul(text, &end, 10);
	return errno || end == text || *end || *value > max || text[0] == '-' ? -EINVAL : 0;
}

/* Target options; 0, or an exit status after printing why. */
static int add_target(struct record_args *args, const struct cgroup_mounts *mounts, int opt,
		      const char *arg)
{
	unsigned long pid;
	int err = 0;

	if (opt == 'a') {
		err = target__set_all(&args->target);
	} else if (opt == 'c') {
		if (!mounts->v2[0]) {
			pf_error("--cgroup %s: no cgroup2 filesystem is mounted "
				 "(mount one, e.g. mount -t cgroup2 none /sys/fs/cgroup)",
				 arg);
			return PF_EXIT_ERROR;
		}
		err = target__set_cgroup(&args->target, mounts, arg);
		if (err && err != -EBUSY) {
			pf_error_errno(err, err == -EXDEV ? "give a path under the cgroup2 mount" : NULL,
				       "--cgroup %s (cgroup2 is mounted at %s)", arg, mounts->v2);
			return PF_EXIT_ERROR;
		}
	} else {
		if (parse_uint(arg, 0x7fffffff, &pid) || pid == 0) {
			pf_error("--pid %s: not a process id", arg);
			return PF_EXIT_USAGE;
		}
		err = target__add_pid(&args->target, (int)pid);
		if (err == -ESRCH) {
			pf_error("--pid %lu: no such process", pid);
			return PF_EXIT_ERROR;
		}
	}
	if (err == -EBUSY) {
		pf_error("choose one target: --cgroup, --pid (repeatable) or -a");
		return PF_EXIT_USAGE;
	}
	return err ? PF_EXIT_ERROR : 0;
}

static int parse_args(int argc, char **argv, struct record_args *args, bool *help)
{
	static const struct option options[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "frequency", required_argument, NULL, 'F' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "user-only", no_argument, NULL, 'U' },
		{ "kernel-only", no_argument, NULL, 'K' },
		{ "include-idle", no_argument, NULL, 'I' },
		{ "map-size", required_argument, NULL, 'm' },
		{ "no-comm", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cgroup_mounts mounts;
	unsigned long value;
	char *end;
	int opt, status;

	cgroup_mounts__read(&mounts);
	while ((opt = getopt_long(argc, argv, "p:aF:d:o:UKIqvh", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'p':
		case 'a':
			status = add_target(args, &mounts, opt, optarg);
			if (status)
				return status;
			break;
		case 'F':
			if (parse_uint(optarg, 100000, &value) || value == 0) {
				pf_error("-F %s: give a frequency in Hz, 1 to 100000", optarg);
				return PF_EXIT_USAGE;
			}
			args->frequency_hz = (unsigned int)value;
			break;
		case 'd':
			args->duration_s = strtod(optarg, &end);
			if (*end || end == optarg || !(args->duration_s > 0) || isinf(args->duration_s)) {
				pf_error("-d %s: give a duration in seconds, > 0", optarg);
				return PF_EXIT_USAGE;
			}
			break;
		case 'o':
			if (args->noutputs == MAX_OUTPUTS) {
				pf_error("at most %d outputs", MAX_OUTPUTS);
				return PF_EXIT_USAGE;
			}
			args->outputs[args->noutputs++] = optarg;
			break;
		case 'f':
			args->format = optarg;
			break;
		case 'U':
			args->user_only = true;
			break;
		case 'K':
			args->kernel_only = true;
			break;
		case 'I':
			args->include_idle = true;
			break;
		case 'm':
			if (parse_uint(optarg, 1u << 24, &value) || value < 64) {
				pf_error("--map-size %s: give a number of entries, 64 to 16777216",
					 optarg);
				return PF_EXIT_USAGE;
			}
			args->map_size = (uint32_t)value;
			break;
		case 'n':
			args->no_comm = true;
			break;
		case 'q':
			args->quiet = true;
			break;
		case 'v':
			args->verbose = true;
			break;
		case 'h':
			*help = true;
			return 0;
		default:
			usage(stderr);
			return PF_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pf_error("unexpected argument '%s' (see --help)", argv[optind]);
		return PF_EXIT_USAGE;
	}
	if (args->target.kind == TARGET_NONE) {
		pf_error("no target: give --cgroup PATH, --pid PID or -a (see --help)");
		return PF_EXIT_USAGE;
	}
	if (args->user_only && args->kernel_only) {
		pf_error("--user-only and --kernel-only exclude each other");
		return PF_EXIT_USAGE;
	}
	return 0;
}

/* Resolves every output's format before recording, so a typo fails fast. */
static int check_outputs(struct record_args *args, enum output_format *formats)
{
	size_t i;

	if (!args->noutputs)
		args->outputs[args->noutputs++] = "podflame.folded";
	if (args->format && args->noutputs > 1) {
		pf_error("--format applies to a single -o; name several outputs by extension");
		return PF_EXIT_USAGE;
	}
	for (i = 0; i < args->noutputs; i++) {
		int err = args->format ? output_format__parse(args->format, &formats[i])
				       : output_format__from_path(args->outputs[i], &formats[i]);

		if (err) {
			if (args->format)
				pf_error("--format %s: use folded, svg, pprof or json", args->format);
			else
				pf_error("-o %s: unknown extension (use .folded, .svg, .pb.gz or "
					 ".json, or --format)",
					 args->outputs[i]);
			return PF_EXIT_USAGE;
		}
	}
	return 0;
}

static void report_start_error(int err, const struct sampler_error *where,
			       const struct record_args *args)
{
	const char *fix = NULL;

	if (err == -EPERM || err == -EACCES)
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
		pf_error_errno(err, fix, "%s cpu %d%s", sampler_stage__name(where->stage), where->cpu,
			       args->target.kind == TARGET_CGROUP ? " (cgroup mode)" : "");
	else
		pf_error_errno(err, fix, "%s", sampler_stage__name(where->stage));
}

static const char *describe_target(const struct target *t, char *buf, size_t cap)
{
	size_t i, used;

	switch (t->kind) {
	case TARGET_CGROUP:
		snprintf(buf, cap, "cgroup %s", t->cgroup_path);
		break;
	case TARGET_PIDS:
		used = (size_t)snprintf(buf, cap, "pid");
		for (i = 0; i < t->npids && used < cap; i++)
			used += (size_t)snprintf(buf + used, cap - used, "%s%d", i ? "," : " ",
						 t->pids[i]);
		break;
	default:
		snprintf(buf, cap, "all processes");
	}
	return buf;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_new_task(void *ctx, uint32_t tgid, const char *comm)
{
	recorder__note_task(ctx, tgid, comm);
}

/* The recording window: returns why it ended (0 time, signal number, or -1
 * when the target is gone). */
static int run_window(struct sampler *s, const struct record_args *args)
{
	bool status_line = !args->quiet && isatty(STDERR_FILENO);
	double start = now_s(), last_check = start, elapsed = 0;
	uint64_t drops[PF_DROP__COUNT], stats[PF_STAT__COUNT];
	int err;

	while (!stop_signal && (elapsed = now_s() - start) < args->duration_s) {
		err = sampler__poll(s, 100);
		if (err && err != -EINTR)
			break;
		if (now_s() - last_check < 1.0)
			continue;
		last_check = now_s();
		if (!target__alive(&args->target))
			return -1;
		if (status_line && !sampler__counters(s, drops, stats))
			fprintf(stderr, "\r  recording: %.0f/%.0f s, %llu samples\033[K",
				elapsed, args->duration_s,
				(unsigned long long)stats[PF_STAT_COUNTED]);
	}
	if (status_line)
		fputs("\r\033[K", stderr);
	return stop_signal;
}

static void print_summary(const struct record_stats *st, const struct profile *prof,
			  const struct record_args *args, double seconds, int ncpus)
{
	uint64_t lost = 0;
	int d;

	pf_info("podflame record: %llu samples from %llu processes in %.1f s at %u Hz on %d CPUs; "
		"%zu distinct stacks",
		(unsigned long long)st->samples, (unsigned long long)st->processes, seconds,
		args->frequency_hz, ncpus, prof->nsamples);
	for (d = 0; d < PF_DROP__COUNT; d++) {
		if (!st->drops[d])
			continue;
		pf_info("  lost: %llu %s", (unsigned long long)st->drops[d],
			pf_drop__name((enum pf_drop)d));
		lost += st->drops[d];
	}
	if (!lost)
		pf_info("  lost: none");
	if (st->samples)
		pf_info("  unknown frames: %.1f%% of samples have one (%llu of %llu frames)",
			100.0 * (double)st->samples_with_unknown / (double)st->samples,
			(unsigned long long)st->unknown_frames, (unsigned long long)st->frames);
	if (st->snapshots_failed)
		pf_info("  %llu processes exited before their maps could be read",
			(unsigned long long)st->snapshots_failed);
	if (st->sym.unreadable)
		pf_info("  %llu mappings had an unreadable binary (their frames show module+offset)",
			(unsigned long long)st->sym.unreadable);
	if (!st->kernel_symbols)
		pf_info("  /proc/kallsyms unreadable: kernel frames are [unknown]");
}

static int write_outputs(struct profile *prof, const struct record_args *args,
			 const enum output_format *formats)
{
	struct output_opts opts = { .with_comm = !args->no_comm };
	int status = PF_EXIT_OK;
	size_t i;

	for (i = 0; i < args->noutputs; i++) {
		int err = output__write(prof, args->outputs[i], formats[i], &opts);

		if (err) {
			pf_error_errno(err, err == -ENOTSUP ? "this format is not built yet" : NULL,
				       "writing %s", args->outputs[i]);
			status = PF_EXIT_ERROR;
		} else if (strcmp(args->outputs[i], "-")) {
			pf_info("  wrote %s (%s)", args->outputs[i], output_format__name(formats[i]));
		}
	}
	return status;
}

static int preflight(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		pf_error("kernel BTF not found at /sys/kernel/btf/vmlinux (podflame needs a kernel "
			 "built with CONFIG_DEBUG_INFO_BTF=y, as Debian's and most distributions' are)");
		return PF_EXIT_ERROR;
	}
	return 0;
}

static int record(struct record_args *args, const enum output_format *formats)
{
	struct sampler_opts opts = {
		.frequency_hz = args->frequency_hz,
		.cgroup_fd = args->target.cgroup_fd,
		.tgids = args->target.pids,
		.ntgids = args->target.npids,
		.user_stacks = !args->kernel_only,
		.kernel_stacks = !args->user_only,
		.include_idle = args->include_idle,
		.counts_entries = args->map_size,
		.stack_entries = args->map_size,
	};
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct recorder *rec = recorder__new();
	struct profile *prof = profile__new();
	struct sampler *s = NULL;
	struct sampler_error where;
	struct record_stats stats;
	int status = PF_EXIT_ERROR, why, err;
	char target_text[PATH_MAX + 32];
	double start;
	size_t i;

	if (!rec || !prof) {
		pf_error_errno(-ENOMEM, NULL, "starting");
		goto cleanup;
	}
	/* Known targets are snapshotted before the first sample. */
	for (i = 0; i < args->target.npids; i++)
		recorder__note_task(rec, (uint32_t)args->target.pids[i], NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = sampler__start(&opts, on_new_task, rec, &s, &where);
	if (err) {
		report_start_error(err, &where, args);
		goto cleanup;
	}
	pf_info("podflame record: sampling %s at %u Hz for %g s... Ctrl-C to end early",
		describe_target(&args->target, target_text, sizeof(target_text)),
		args->frequency_hz, args->duration_s);
	start = now_s();
	why = run_window(s, args);
	sampler__stop(s);
	prof->meta.frequency_hz = args->frequency_hz;
	prof->meta.period_ns = 1000000000ll / args->frequency_hz;
	prof->meta.duration_ns = (int64_t)((now_s() - start) * 1e9);
	prof->meta.time_ns = (int64_t)time(NULL) * 1000000000ll - prof->meta.duration_ns;
	if (why > 0)
		pf_info("podflame record: %s: ending the window early",
			why == SIGINT ? "interrupted" : "terminated");
	err = recorder__build(rec, s, prof, &stats);
	if (err) {
		pf_error_errno(err, NULL, "reading the samples");
		goto cleanup;
	}
	print_summary(&stats, prof, args, (double)prof->meta.duration_ns / 1e9, sampler__ncpus(s));
	status = write_outputs(prof, args, formats);
	if (why < 0) {
		pf_error("%s: the target went away during the window (output holds what was recorded)",
			 args->target.kind == TARGET_CGROUP ? args->target.cgroup_path : "--pid");
		if (args->target.kind == TARGET_CGROUP)
			status = PF_EXIT_ERROR;
	}
	if (!stats.samples)
		pf_warn("no samples: was the target running on a CPU during the window?");
cleanup:
	sampler__free(s);
	profile__free(prof);
	recorder__free(rec);
	return status;
}

int cmd_record(int argc, char **argv)
{
	struct record_args args = { .frequency_hz = 99, .duration_s = 10 };
	enum output_format formats[MAX_OUTPUTS];
	bool help = false;
	int status;

	target__init(&args.target);
	status = parse_args(argc, argv, &args, &help);
	if (!status && help)
		usage(stdout);
	if (!status && !help)
		status = check_outputs(&args, formats);
	if (!status && !help)
		status = preflight();
	if (!status && !help) {
		pf_set_quiet(args.quiet);
		libbpf_set_print(args.verbose ? libbpf_print : libbpf_quiet);
		status = record(&args, formats);
	}
	target__release(&args.target);
	return status;
}
