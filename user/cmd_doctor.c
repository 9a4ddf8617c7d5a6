/* podflame doctor: record a target for -d seconds and diagnose the seeds'
 * failure — GOMAXPROCS above the CPU limit, CFS throttling, the runtime's
 * scheduler and GC share — with the fix. Exit 0 healthy, 3 a finding, 1 an
 * error, 2 usage. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cpuwindow.h"
#include "cmd_outputs.h"
#include "doctor.h"
#include "errmsg.h"
#include "outfile.h"
#include "output.h"
#include "recording.h"
#include "target.h"

#define MAX_OUTPUTS 4
/* Processes inspected in one target (binary, cgroup, memory each). */
#define MAX_PROCS 256

struct doctor_args {
	struct target target;
	unsigned int frequency_hz;
	double duration_s;
	const char *outputs[MAX_OUTPUTS];
	size_t noutputs;
	bool json, quiet, verbose;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame doctor TARGET [options]\n"
		"\n"
		"Record the target for -d seconds and diagnose its Go processes: CPU used vs\n"
		"the cgroup's CPU limit, CFS throttling over the window, the inclusive shares\n"
		"of runtime.schedule, runtime.gcBgMarkWorker and GC assist, and GOMAXPROCS\n"
		"(observed or inferred per Go version) vs max(1, floor(limit)); then the\n"
		"verdict and the fix.\n"
		"\n"
		"exit status: 0 healthy, 3 a misconfiguration found, 1 error, 2 usage\n"
		"\n"
		"target (one kind):\n" RECORDING_TARGET_USAGE "\n"
		"options:\n"
		"  -d, --duration SEC     length of the window (default 10)\n"
		"  -F, --frequency HZ     samples per second per CPU (default 99)\n"
		"  -o, --output FILE      also write the profile (.svg, .folded, .pb.gz,\n"
		"                         .json by extension; repeatable)\n"
		"      --json             the report as JSON on stdout\n"
		"  -q, --quiet            no status line or summary on stderr\n"
		"  -v, --verbose          show libbpf's messages\n"
		"  -h, --help             this help\n"
		"\n"
		"examples:\n"
		"  podflame doctor --pod 3f1c0d6e-1a2b-4c3d-8e9f-0123456789ab -d 10\n"
		"  podflame doctor --container containerd://9ab3c1d2e4f5 -d 10 --json\n"
		"  podflame doctor -p 1234 -d 5 -o app.svg\n");
}

static int parse_option(struct doctor_args *a, const struct cgroup_mounts *m, int opt, bool *help)
{
	unsigned long value;
	char *end;

	switch (opt) {
	case 'P':
	case 'C':
	case 'c':
	case 'p':
	case 'a': return recording__target_option(&a->target, m, opt, optarg);
	case 'F':
		if (recording__parse_uint(optarg, 100000, &value) || value == 0) {
			pf_error("-F %s: give a frequency in Hz, 1 to 100000", optarg);
			return PF_EXIT_USAGE;
		}
		a->frequency_hz = (unsigned int)value;
		return 0;
	case 'd':
		a->duration_s = strtod(optarg, &end);
		if (*end || end == optarg || !(a->duration_s > 0) || isinf(a->duration_s)) {
			pf_error("-d %s: give a duration in seconds, > 0", optarg);
			return PF_EXIT_USAGE;
		}
		return 0;
	case 'o':
		if (a->noutputs == MAX_OUTPUTS) {
			pf_error("at most %d outputs", MAX_OUTPUTS);
			return PF_EXIT_USAGE;
		}
		a->outputs[a->noutputs++] = optarg;
		return 0;
	case 'j': a->json = true; return 0;
	case 'q': a->quiet = true; return 0;
	case 'v': a->verbose = true; return 0;
	case 'h': *help = true; return 0;
	default: usage(stderr); return PF_EXIT_USAGE;
	}
}

static int parse_args(int argc, char **argv, struct doctor_args *a, bool *help)
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
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cgroup_mounts mounts;
	int opt, status;

	recording__host_cgroup_view();
	cgroup_mounts__read(&mounts);
	while ((opt = getopt_long(argc, argv, "p:aF:d:o:qvh", options, NULL)) != -1) {
		status = parse_option(a, &mounts, opt, help);
		if (status || *help)
			return status;
	}
	if (optind < argc) {
		pf_error("unexpected argument '%s' (see --help)", argv[optind]);
		return PF_EXIT_USAGE;
	}
	if (a->target.kind == TARGET_NONE) {
		pf_error(
			"no target: give --pod UID, --container ID, --cgroup PATH, --pid PID or -a "
			"(see --help)");
		return PF_EXIT_USAGE;
	}
	return 0;
}

static int check_outputs(const struct doctor_args *a, enum output_format *formats)
{
	size_t i;

	for (i = 0; i < a->noutputs; i++) {
		if (output_format__from_path(a->outputs[i], &formats[i])) {
			pf_error("-o %s: unknown extension (use .svg, .folded, .pb.gz or .json)",
				 a->outputs[i]);
			return PF_EXIT_USAGE;
		}
	}
	return 0;
}

/* Opened before the window, as record does, so a bad path fails at once. */
static int open_outputs(const struct doctor_args *a, struct outfile *files)
{
	/* Signals end the window from here on, so these files are completed
	 * or removed, never left half-written. */
	recording__catch_signals();
	return cmd_outputs_open(a->outputs, a->noutputs, files);
}

static int write_outputs(struct profile *prof, const struct doctor_args *a,
			 const enum output_format *formats, struct outfile *files,
			 const struct doctor_report *r)
{
	char title[128], subtitle[512];
	struct output_opts opts = { .with_comm = true, .title = title, .subtitle = subtitle };

	snprintf(title, sizeof(title), "podflame doctor: %s", doctor_verdict__name(r->verdict));
	cpuwindow__subtitle(r->window, r->primary, subtitle, sizeof(subtitle));
	return cmd_outputs_write(prof, a->outputs, formats, files, a->noutputs, &opts);
}

/* The window: facts first, then the recording, then the second readings. */
static int diagnose(struct doctor_args *a, const enum output_format *formats)
{
	struct recording_opts opts = {
		.target = &a->target,
		.frequency_hz = a->frequency_hz,
		.duration_s = a->duration_s,
		.user_stacks = true,
		.kernel_stacks = true,
		.verbose = a->verbose,
		.status_line = true,
	};
	struct doctor_report r = { 0 };
	struct outfile files[MAX_OUTPUTS];
	struct recording_result res;
	struct cgroup_mounts m;
	struct cpuwindow w;
	char target_text[PATH_MAX + 256];
	struct profile *prof = profile__new();
	int status = PF_EXIT_ERROR, err;

	cgroup_mounts__read(&m);
	if (!prof || open_outputs(a, files)) {
		if (!prof)
			pf_error_errno(-ENOMEM, NULL, "starting");
		profile__free(prof);
		return PF_EXIT_ERROR;
	}
	err = cpuwindow__begin(&w, &a->target, &m, MAX_PROCS);
	if (err) {
		pf_error_errno(err, NULL, "reading the target's processes");
		cmd_outputs_abort(files, a->noutputs);
		profile__free(prof);
		return PF_EXIT_ERROR;
	}
	status = recording__run(&opts, prof, &res);
	cpuwindow__end(&w);
	if (status) {
		cmd_outputs_abort(files, a->noutputs);
		goto cleanup;
	}
	if (!a->quiet)
		recording__print_summary(&res, prof, a->frequency_hz);
	r.target = recording__describe_target(&a->target, target_text, sizeof(target_text));
	r.window = &w;
	r.prof = prof;
	r.seconds = w.end_s - w.begin_s;
	err = doctor__judge(&r);
	if (err) {
		pf_error_errno(err, NULL, "judging the window");
		cmd_outputs_abort(files, a->noutputs);
		status = PF_EXIT_ERROR;
		goto cleanup;
	}
	if (a->json)
		doctor__write_json(stdout, &r);
	else
		doctor__write_text(stdout, &r);
	status = write_outputs(prof, a, formats, files, &r);
	if (fflush(stdout) || ferror(stdout)) {
		pf_error_errno(-errno, NULL, "writing the report to stdout");
		status = PF_EXIT_ERROR;
	}
	if (res.end == RECORDING_END_TARGET_GONE && a->target.kind == TARGET_CGROUP) {
		pf_error("%s: the target went away during the window", r.target);
		status = PF_EXIT_ERROR;
	}
	if (!status)
		status = doctor__exit_status(&r);
cleanup:
	doctor__release(&r);
	cpuwindow__release(&w);
	profile__free(prof);
	return status;
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor_args a = { .frequency_hz = 99, .duration_s = 10 };
	enum output_format formats[MAX_OUTPUTS];
	bool help = false;
	int status;

	target__init(&a.target);
	status = parse_args(argc, argv, &a, &help);
	if (!status && help)
		usage(stdout);
	if (!status && !help)
		status = check_outputs(&a, formats);
	if (!status && !help)
		status = recording__preflight();
	if (!status && !help) {
		pf_set_quiet(a.quiet);
		status = diagnose(&a, formats);
	}
	target__release(&a.target);
	return status;
}
