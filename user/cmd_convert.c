/* podflame convert: folded <-> pprof (and either to a report's JSON). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_load.h"
#include "commands.h"
#include "errmsg.h"
#include "output.h"
#include "tmpguard.h"

struct convert_args {
	const char *in, *out, *format;
	unsigned long frequency_hz; /* 0: not given */
	bool no_comm;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: podflame convert IN OUT [options]\n"
		     "\n"
		     "Convert a profile between folded text and pprof. IN may be folded text\n"
		     "(podflame, perf + stackcollapse, bcc) or a pprof profile.proto, each plain\n"
		     "or gzip-compressed; the format is recognized from the content. OUT's\n"
		     "format follows its extension: .folded .collapsed .txt (folded), .pb.gz\n"
		     ".pprof .pb (pprof, gzip-compressed), .json (the report, as `podflame\n"
		     "report --json`); \"-\" is stdout (folded unless --format).\n"
		     "\n"
		     "options:\n"
		     "      --format FMT       folded|pprof|json, overriding OUT's extension\n"
		     "  -F, --frequency HZ     sampling frequency of folded input (default 99):\n"
		     "                         gives the pprof its cpu/nanoseconds period, 1e9/HZ\n"
		     "      --no-comm          pprof -> folded: no process-name root frame\n"
		     "  -h, --help             this help\n"
		     "\n"
		     "Folded text has no addresses, mappings or file:line: a pprof made from it\n"
		     "has function names only (`go tool pprof -top`, -traces, -raw and the web\n"
		     "view work; -disasm, -list and address granularities do not). pprof from\n"
		     "`podflame record -o x.pb.gz` keeps addresses, mappings, build ids and\n"
		     "inlined frames. pprof -> folded -> pprof keeps stacks and counts.\n"
		     "\n"
		     "examples:\n"
		     "  podflame convert perf.folded perf.pb.gz && go tool pprof -top perf.pb.gz\n"
		     "  podflame convert cpu.pprof cpu.folded      # a Go CPU profile as folded\n");
}

static int parse_args(int argc, char **argv, struct convert_args *a, bool *help)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "frequency", required_argument, NULL, 'F' },
		{ "no-comm", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "F:h", options, NULL)) != -1) {
		switch (opt) {
		case 'f': a->format = optarg; break;
		case 'F':
			a->frequency_hz = strtoul(optarg, &end, 10);
			if (*end || end == optarg || a->frequency_hz == 0 ||
			    a->frequency_hz > 1000000000) {
				pf_error("-F %s: give a frequency in Hz, 1 to 1000000000", optarg);
				return PF_EXIT_USAGE;
			}
			break;
		case 'n': a->no_comm = true; break;
		case 'h': *help = true; return 0;
		default: usage(stderr); return PF_EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		pf_error(argc - optind < 2 ? "give an input and an output file (see --help)"
					   : "unexpected argument '%s' (see --help)",
			 argv[optind + 2 < argc ? optind + 2 : 0]);
		return PF_EXIT_USAGE;
	}
	a->in = argv[optind];
	a->out = argv[optind + 1];
	return 0;
}

/* output__write, with the temporary file removed if a signal kills us. */
static int write_guarded(struct profile *p, const char *path, enum output_format fmt,
			 const struct output_opts *oo)
{
	struct outfile out;
	int err = tmpguard__open(&out, path);

	if (err)
		return err;
	err = output__write_stream(p, out.fp, fmt, oo);
	if (err) {
		tmpguard__abort(&out);
		return err;
	}
	return tmpguard__commit(&out);
}

static int convert(const struct convert_args *a, enum output_format fmt)
{
	struct output_opts oo = { .with_comm = !a->no_comm, .source = a->in };
	struct profile *p = NULL;
	int status, err;

	status = cmd_load_profile(a->in, &p);
	if (status)
		return status;
	/* Folded input knows no frequency; pprof input does. -F only fills
	 * in what the input lacks. */
	if (!p->meta.period_ns) {
		unsigned long hz = a->frequency_hz ? a->frequency_hz : 99;

		p->meta.frequency_hz = (uint32_t)hz;
		p->meta.period_ns = (int64_t)(1000000000ul / hz);
	} else if (a->frequency_hz) {
		pf_warn("-F %lu ignored: %s already has a period of %lld ns", a->frequency_hz,
			a->in, (long long)p->meta.period_ns);
	}
	err = write_guarded(p, a->out, fmt, &oo);
	if (err) {
		pf_error_errno(err, err == -ENOTSUP ? "this build cannot write that format" : NULL,
			       "writing %s", a->out);
		status = PF_EXIT_ERROR;
	}
	profile__free(p);
	return status;
}

int cmd_convert(int argc, char **argv)
{
	struct convert_args a = { 0 };
	enum output_format fmt;
	bool help = false;
	int status = parse_args(argc, argv, &a, &help);

	if (status || help) {
		if (help)
			usage(stdout);
		return status;
	}
	if (a.format ? output_format__parse(a.format, &fmt)
		     : output_format__from_path(a.out, &fmt)) {
		if (a.format)
			pf_error("--format %s: use folded, pprof or json", a.format);
		else
			pf_error(
				"%s: unknown extension (use .folded, .pb.gz or .json, or --format)",
				a.out);
		return PF_EXIT_USAGE;
	}
	return convert(&a, fmt);
}
