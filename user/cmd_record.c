/* podflame record: sample on-CPU stacks of a target, write folded/SVG/pprof. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cpuwindow.h"
#include "cmd_outputs.h"
#include "errmsg.h"
#include "output.h"
#include "recording.h"
#include "target.h"

#define MAX_OUTPUTS 8

struct record_args {
	struct target target;
	unsigned int frequency_hz;
	double duration_s;
	const char *outputs[MAX_OUTPUTS];
	size_t noutputs;
	const char *format;
	bool user_only, kernel_only, include_idle, no_comm, quiet, verbose, fp_only;
	uint32_t map_size;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame record TARGET [options]\n"
		"\n"
		"Sample on-CPU stacks (kernel and user) with eBPF at a fixed frequency and\n"
		"write them symbolized. Ctrl-C ends the window early and still writes output.\n"
		"\n"
		"target (one kind):\n" RECORDING_TARGET_USAGE "\n"
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
		"                         (default %d keys, %d stacks; raise it when the\n"
		"                         summary reports losses)\n"
		"      --no-comm          no process-name root frame\n"
		"      --frame-pointers-only  no Go caller recovery: the bare frame-pointer\n"
		"                         chain, as perf record -g takes it (for comparison)\n"
		"  -q, --quiet            no status line, no summary\n"
		"  -v, --verbose          show libbpf's messages\n"
		"  -h, --help             this help\n"
		"\n"
		"examples:\n"
		"  podflame record --pod 3f1c0d6e-1a2b-4c3d-8e9f-0123456789ab -d 10 -o pod.svg\n"
		"  podflame record --container containerd://9ab3c1d2e4f5 -d 10 -o c.folded\n"
		"  podflame record --cgroup kubepods.slice/... -F 99 -d 10 -o out.folded\n"
		"  podflame record -p 1234 -d 30 -o app.svg -o app.pb.gz\n"
		"  podflame record -a -d 5 -o host.folded\n",
		PF_DEFAULT_COUNTS_ENTRIES, PF_DEFAULT_STACK_ENTRIES);
}

static int parse_args(int argc, char **argv, struct record_args *args, bool *help)
{
	static const struct option options[] = {
		{ "pod", required_argument, NULL, 'P' },
		{ "container", required_argument, NULL, 'C' },
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
		{ "frame-pointers-only", no_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cgroup_mounts mounts;
	unsigned long value;
	char *end;
	int opt, status;

	recording__host_cgroup_view();
	cgroup_mounts__read(&mounts);
	while ((opt = getopt_long(argc, argv, "p:aF:d:o:UKIqvh", options, NULL)) != -1) {
		switch (opt) {
		case 'P':
		case 'C':
		case 'c':
		case 'p':
		case 'a':
			status = recording__target_option(&args->target, &mounts, opt, optarg);
			if (status)
				return status;
			break;
		case 'F':
			if (recording__parse_uint(optarg, 100000, &value) || value == 0) {
				pf_error("-F %s: give a frequency in Hz, 1 to 100000", optarg);
				return PF_EXIT_USAGE;
			}
			args->frequency_hz = (unsigned int)value;
			break;
		case 'd':
			args->duration_s = strtod(optarg, &end);
			if (*end || end == optarg || !(args->duration_s > 0) ||
			    isinf(args->duration_s)) {
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
		case 'f': args->format = optarg; break;
		case 'U': args->user_only = true; break;
		case 'K': args->kernel_only = true; break;
		case 'I': args->include_idle = true; break;
		case 'm':
			if (recording__parse_uint(optarg, 1u << 24, &value) || value < 64) {
				pf_error("--map-size %s: give a number of entries, 64 to 16777216",
					 optarg);
				return PF_EXIT_USAGE;
			}
			args->map_size = (uint32_t)value;
			break;
		case 'n': args->no_comm = true; break;
		case 'R': args->fp_only = true; break;
		case 'q': args->quiet = true; break;
		case 'v': args->verbose = true; break;
		case 'h': *help = true; return 0;
		default: usage(stderr); return PF_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pf_error("unexpected argument '%s' (see --help)", argv[optind]);
		return PF_EXIT_USAGE;
	}
	if (args->target.kind == TARGET_NONE) {
		pf_error(
			"no target: give --pod UID, --container ID, --cgroup PATH, --pid PID or -a "
			"(see --help)");
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
				pf_error("--format %s: use folded, svg, pprof or json",
					 args->format);
			else
				pf_error("-o %s: unknown extension (use .folded, .svg, .pb.gz or "
					 ".json, or --format)",
					 args->outputs[i]);
			return PF_EXIT_USAGE;
		}
	}
	return 0;
}

/* A flame graph of a cgroup (pod, container) carries the limit, GOMAXPROCS
 * and the throttled share in its subtitle, so the graph alone tells the
 * story: the facts are read before the window, throttling over it. */
static bool wants_subtitle(const struct record_args *args, const enum output_format *formats)
{
	size_t i;

	for (i = 0; args->target.kind == TARGET_CGROUP && i < args->noutputs; i++)
		if (formats[i] == OUTPUT_SVG)
			return true;
	return false;
}

static int record(struct record_args *args, const enum output_format *formats)
{
	bool facts = wants_subtitle(args, formats);
	char subtitle[512] = "";
	struct cgroup_mounts mounts;
	struct cpuwindow window;
	struct recording_opts opts = {
		.target = &args->target,
		.frequency_hz = args->frequency_hz,
		.duration_s = args->duration_s,
		.user_stacks = !args->kernel_only,
		.kernel_stacks = !args->user_only,
		.include_idle = args->include_idle,
		.capture_sp_word = !args->fp_only,
		.map_size = args->map_size,
		.verbose = args->verbose,
		.status_line = true,
	};
	char source[PATH_MAX + 32];
	struct output_opts out_opts = {
		.with_comm = !args->no_comm,
		.source = recording__describe_target(&args->target, source, sizeof(source)),
	};
	struct outfile files[MAX_OUTPUTS];
	struct recording_result res;
	struct profile *prof = profile__new();
	int status;

	if (!prof) {
		pf_error_errno(-ENOMEM, NULL, "starting");
		return PF_EXIT_ERROR;
	}
	recording__catch_signals();
	status = cmd_outputs_open(args->outputs, args->noutputs, files);
	if (status)
		goto cleanup;
	cgroup_mounts__read(&mounts);
	if (facts && cpuwindow__begin(&window, &args->target, &mounts, 64))
		facts = false;
	status = recording__run(&opts, prof, &res);
	if (facts) {
		cpuwindow__end(&window);
		cpuwindow__subtitle(&window, cpuwindow__primary(&window, prof), subtitle,
				    sizeof(subtitle));
		cpuwindow__release(&window);
	}
	if (status) {
		cmd_outputs_abort(files, args->noutputs);
		goto cleanup;
	}
	recording__print_summary(&res, prof, args->frequency_hz);
	out_opts.subtitle = subtitle[0] ? subtitle : NULL;
	status = cmd_outputs_write(prof, args->outputs, formats, files, args->noutputs, &out_opts);
	if (res.end == RECORDING_END_TARGET_GONE) {
		pf_error(
			"%s: the target went away during the window (output holds what was recorded)",
			args->target.kind == TARGET_CGROUP ? args->target.cgroup_path : "--pid");
		/* A vanished cgroup is an error; exited --pid targets end the
		 * window as they do in perf record -p. */
		if (args->target.kind == TARGET_CGROUP)
			status = PF_EXIT_ERROR;
	}
	if (!res.stats.samples)
		pf_warn("no samples: was the target running on a CPU during the window?");
cleanup:
	profile__free(prof);
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
		status = recording__preflight();
	if (!status && !help) {
		pf_set_quiet(args.quiet);
		status = record(&args, formats);
	}
	target__release(&args.target);
	return status;
}
