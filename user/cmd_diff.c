/* podflame diff: per-function deltas of two profiles, CI gates. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_load.h"
#include "commands.h"
#include "diffout.h"
#include "errmsg.h"
#include "flamegraph/flamegraph.h"
#include "outfile.h"
#include "tmpguard.h"

#define MAX_GATES 64

struct diff_args {
	const char *base, *head, *svg, *report_out;
	enum diff_format format;
	struct diff_opts dopts;
	const char *gate_exprs[MAX_GATES];
	size_t ngates;
	long top;
	bool strict;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame diff BASE HEAD [options]\n"
		"\n"
		"Compare two profiles (folded or pprof, plain or gzip, either side): the\n"
		"functions whose inclusive and self shares changed most, with their counts\n"
		"on both sides, and CI gates that fail the build on a regression.\n"
		"\n"
		"options:\n"
		"      --format FMT       text (default), markdown (for a PR comment) or json\n"
		"  -r, --report FILE      write the text/markdown/json there, not stdout\n"
		"  -o, --output FILE.svg  differential flame graph (red grew, blue shrank)\n"
		"      --fail-if EXPR     exit 1 when EXPR holds; repeatable (see below)\n"
		"      --strict           gates also trip on changes within the noise interval\n"
		"      --no-normalize     compare raw counts instead of shares of each total\n"
		"      --confidence PCT   of the noise interval (default 99)\n"
		"  -n, --top N            rows per table (default 20; 0: every change)\n"
		"  -h, --help             this help\n"
		"\n"
		"gates: [self:]SUBJECT OP THRESHOLD\n"
		"  SUBJECT    a frame name as in folded text (exact), /REGEX/ (POSIX ERE),\n"
		"             @schedule, @gc-worker or @gc-assist (a Go runtime family, as the\n"
		"             flame graph's banner counts it, whatever the Go version), or\n"
		"             total (samples); self: counts leaf frames only\n"
		"  OP         >  >=  <  <=\n"
		"  THRESHOLD  [+-]N pp (percentage points of the share of samples whose stack\n"
		"             holds SUBJECT) or [+-]N %% (relative change of that share; of\n"
		"             the count with --no-normalize or for total)\n"
		"  'runtime.schedule>+2pp'  'total>+10%%'  '@gc-worker>+3pp'  'main.serve<-20%%'\n"
		"\n"
		"Noise: a change is sampling noise when the %s confidence interval of the\n"
		"difference of the two shares, z*sqrt(p1(1-p1)/n1 + p2(1-p2)/n2) (shares\n"
		"adjusted as (c+1)/(n+2)), contains 0. It is marked ~ and trips no gate\n"
		"unless --strict. Record longer (more samples) to narrow it.\n"
		"\n"
		"exit status: 0 no gate tripped, 1 a gate tripped (named on stderr) or an\n"
		"error, 2 usage error (including a malformed gate).\n",
		"99%");
}

static int parse_number_opt(const char *name, const char *arg, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (*end || end == arg || !(v >= lo && v <= hi)) {
		pf_error("%s %s: give a number from %g to %g", name, arg, lo, hi);
		return PF_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static int parse_option(int opt, struct diff_args *a)
{
	double v;

	switch (opt) {
	case 'f':
		if (diff_format__parse(optarg, &a->format)) {
			pf_error("--format %s: use text, markdown or json", optarg);
			return PF_EXIT_USAGE;
		}
		return 0;
	case 'r': a->report_out = optarg; return 0;
	case 'o': a->svg = optarg; return 0;
	case 'g':
		if (a->ngates == MAX_GATES) {
			pf_error("at most %d --fail-if gates", MAX_GATES);
			return PF_EXIT_USAGE;
		}
		a->gate_exprs[a->ngates++] = optarg;
		return 0;
	case 's': a->strict = true; return 0;
	case 'N': a->dopts.normalize = false; return 0;
	case 'c':
		if (parse_number_opt("--confidence", optarg, 50, 99.9999, &v))
			return PF_EXIT_USAGE;
		a->dopts.confidence = v / 100;
		return 0;
	case 'n':
		if (parse_number_opt("--top", optarg, 0, 1e9, &v) || v != floor(v))
			return PF_EXIT_USAGE;
		a->top = (long)v;
		return 0;
	}
	usage(stderr);
	return PF_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct diff_args *a, bool *help)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "report", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-if", required_argument, NULL, 'g' },
		{ "strict", no_argument, NULL, 's' },
		{ "no-normalize", no_argument, NULL, 'N' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt, status;

	while ((opt = getopt_long(argc, argv, "r:o:n:h", options, NULL)) != -1) {
		if (opt == 'h') {
			*help = true;
			return 0;
		}
		if ((status = parse_option(opt, a)))
			return status;
	}
	if (argc - optind != 2) {
		pf_error(argc - optind < 2 ? "give two profiles, BASE and HEAD (see --help)"
					   : "unexpected argument '%s' (see --help)",
			 argv[argc - 1]);
		return PF_EXIT_USAGE;
	}
	a->base = argv[optind];
	a->head = argv[optind + 1];
	return 0;
}

/* Every gate parses before anything is read: a typo is a usage error. */
static int parse_gates(const struct diff_args *a, struct gate *gates)
{
	char err[512];
	size_t i;
	int rc;

	for (i = 0; i < a->ngates; i++) {
		rc = gate__parse(a->gate_exprs[i], &gates[i], err, sizeof(err));
		if (rc) {
			if (rc == -EINVAL)
				pf_error("--fail-if %s", err);
			else
				pf_error_errno(rc, NULL, "--fail-if '%s'", a->gate_exprs[i]);
			while (i-- > 0)
				gate__release(&gates[i]);
			return rc == -EINVAL ? PF_EXIT_USAGE : PF_EXIT_ERROR;
		}
	}
	return 0;
}

static int eval_gates(const struct diff_args *a, const struct gate *gates,
		      struct gate_result *results, struct profile *const *prof)
{
	char buf[64];
	size_t i;
	int status = PF_EXIT_OK, err;

	for (i = 0; i < a->ngates; i++) {
		const struct gate_result *r = &results[i];

		err = gate__eval(&gates[i], prof[0], prof[1], &a->dopts, a->strict, &results[i]);
		if (err) {
			pf_error_errno(err, NULL, "evaluating --fail-if '%s'", gates[i].expr);
			return PF_EXIT_ERROR;
		}
		if (gates[i].unit == GATE_PP)
			snprintf(buf, sizeof(buf), "%+.2fpp (noise ±%.2fpp)", r->value,
				 r->delta.noise_pp);
		else if (isinf(r->value))
			snprintf(buf, sizeof(buf), "new (absent from the base)");
		else
			snprintf(buf, sizeof(buf), "%+.2f%% (noise ±%.2f%%)", r->value,
				 r->delta.noise_rel);
		if (r->tripped) {
			pf_error("gate tripped: %s: %s, %lld -> %lld samples", gates[i].expr, buf,
				 (long long)r->count[0], (long long)r->count[1]);
			status = PF_EXIT_ERROR;
		} else if (r->exceeds) {
			pf_info("podflame diff: gate not tripped: %s: %s is within the noise "
				"interval (--strict would trip it)",
				gates[i].expr, buf);
		} else if (!r->seen) {
			pf_warn("gate %s: no frame matches it in either profile (a typo?)",
				gates[i].expr);
		}
	}
	return status;
}

static int write_report(struct diffstat *d, const struct diff_args *a, const struct gate *gates,
			const struct gate_result *results)
{
	struct diffout_opts o = {
		.base_name = a->base,
		.head_name = a->head,
		.top = a->top >= 0		? (size_t)a->top
		       : a->format == DIFF_JSON ? 0
						: 20,
		.gates = gates,
		.results = results,
		.ngates = a->ngates,
		.strict = a->strict,
	};
	struct outfile out;
	int err = tmpguard__open(&out, a->report_out ? a->report_out : "-");

	if (!err) {
		err = diffout__write(d, a->format, &o, out.fp);
		if (err)
			tmpguard__abort(&out);
		else
			err = tmpguard__commit(&out);
	}
	if (err) {
		pf_error_errno(err, NULL, "writing %s", a->report_out ? a->report_out : "the diff");
		return PF_EXIT_ERROR;
	}
	return 0;
}

/* One side's stacks into the differential tree, root first, without the
 * process name: the graph compares code, not process names. */
static int add_side(struct fg_tree *t, int side, const struct profile *p)
{
	struct profile_names names = { 0 };
	size_t s;
	int n, err = profile_names__init(&names, 128);

	for (s = 0; !err && s < p->nsamples; s++) {
		n = profile__sample_names(p, s, false, true, &names);
		err = n < 0 ? n
			    : fg_tree__add_side(t, side, names.names, NULL, (size_t)n,
						(double)p->samples[s].count);
	}
	profile_names__release(&names);
	return err;
}

/* -o diff.svg: the renderer's differential flame graph (widths from the
 * head, red grew, blue shrank). */
static int write_svg(const struct diff_args *a, struct profile *const *prof)
{
	struct fg_tree *t = fg_tree__new(NULL, FG_TREE_DIFF);
	char title[512];
	struct fg_opts o;
	struct outfile out;
	int err = t ? 0 : -errno;

	if (!err)
		err = add_side(t, FG_SIDE_BASE, prof[0]);
	if (!err)
		err = add_side(t, FG_SIDE_NEW, prof[1]);
	if (!err)
		err = tmpguard__open(&out, a->svg);
	if (!err) {
		fg_opts__init(&o);
		snprintf(title, sizeof(title), "podflame diff: %s -> %s", a->base, a->head);
		o.title = title;
		o.diff_normalize = a->dopts.normalize;
		err = fg_render_diff(t, &o, out.fp, NULL);
		if (err)
			tmpguard__abort(&out);
		else
			err = tmpguard__commit(&out);
	}
	fg_tree__free(t);
	if (err) {
		pf_error_errno(err, NULL, "writing %s", a->svg);
		return PF_EXIT_ERROR;
	}
	return 0;
}

static int run(struct diff_args *a, const struct gate *gates, struct gate_result *results)
{
	struct profile *prof[2] = { NULL, NULL };
	struct diffstat d = { 0 };
	int status, gate_status = PF_EXIT_OK, err;

	status = cmd_load_profile(a->base, &prof[0]);
	if (!status)
		status = cmd_load_profile(a->head, &prof[1]);
	if (status)
		goto cleanup;
	err = diffstat__build(prof[0], prof[1], &a->dopts, &d);
	if (err) {
		pf_error_errno(err, NULL, "comparing %s and %s", a->base, a->head);
		status = PF_EXIT_ERROR;
		goto cleanup;
	}
	gate_status = eval_gates(a, gates, results, prof);
	status = write_report(&d, a, gates, results);
	if (!status && a->svg)
		status = write_svg(a, prof);
	if (!status)
		status = gate_status;
cleanup:
	diffstat__release(&d);
	profile__free(prof[0]);
	profile__free(prof[1]);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { .format = DIFF_TEXT, .top = -1 };
	struct gate gates[MAX_GATES];
	struct gate_result results[MAX_GATES];
	bool help = false;
	size_t i;
	int status;

	diff_opts__init(&a.dopts);
	status = parse_args(argc, argv, &a, &help);
	if (status || help) {
		if (help)
			usage(stdout);
		return status;
	}
	if (a.svg && !strcmp(a.svg, "-") && !a.report_out) {
		pf_error("-o - and the report would both go to stdout: give -r FILE too");
		return PF_EXIT_USAGE;
	}
	status = parse_gates(&a, gates);
	if (status)
		return status;
	status = run(&a, gates, results);
	for (i = 0; i < a.ngates; i++)
		gate__release(&gates[i]);
	return status;
}
