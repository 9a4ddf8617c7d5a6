/* podflame report: top functions (self, inclusive) and Go runtime shares. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_load.h"
#include "commands.h"
#include "errmsg.h"
#include "outfile.h"
#include "tmpguard.h"
#include "report.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame report FILE [options]\n"
		"\n"
		"Summarize a profile (folded or pprof, plain or gzip; \"-\" is stdin): samples,\n"
		"the Go runtime's inclusive shares, the top functions by self and by\n"
		"inclusive samples, and the processes sampled.\n"
		"\n"
		"  self       samples whose leaf frame is the function (pprof's flat)\n"
		"  inclusive  samples whose stack contains it at least once (pprof's cum)\n"
		"\n"
		"Names are as folded text writes them: kernel frames end in _[k]. On a pprof\n"
		"the numbers equal `go tool pprof -top -sample_index=samples`.\n"
		"\n"
		"options:\n"
		"      --json             JSON instead of text (every function unless --top)\n"
		"  -n, --top N            rows per table (default 20 for text; 0: all)\n"
		"  -o, --output FILE      write there instead of stdout (atomically)\n"
		"  -h, --help             this help\n");
}

struct report_args {
	const char *in, *out;
	bool json;
	long top; /* -1: the default */
};

static int parse_args(int argc, char **argv, struct report_args *a, bool *help)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "n:o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': a->json = true; break;
		case 'n':
			a->top = strtol(optarg, &end, 10);
			if (*end || end == optarg || a->top < 0) {
				pf_error("--top %s: give a number of rows, 0 for all", optarg);
				return PF_EXIT_USAGE;
			}
			break;
		case 'o': a->out = optarg; break;
		case 'h': *help = true; return 0;
		default: usage(stderr); return PF_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		pf_error(
			argc == optind
				? "give a profile file (see --help)"
				: "one profile at a time (see --help; `podflame diff` compares two)");
		return PF_EXIT_USAGE;
	}
	a->in = argv[optind];
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { .top = -1 };
	struct profile_load_info info;
	struct report_opts ro;
	struct outfile out;
	struct profile *p;
	bool help = false;
	int status = parse_args(argc, argv, &a, &help), err;

	if (status || help) {
		if (help)
			usage(stdout);
		return status;
	}
	status = cmd_load_profile_info(a.in, &p, &info);
	if (status)
		return status;
	ro = (struct report_opts){
		.source = a.in,
		.format = profile_source__name(info.source),
		.top = a.top >= 0 ? (size_t)a.top
		       : a.json	  ? 0
				  : 20,
	};
	err = tmpguard__open(&out, a.out ? a.out : "-");
	if (!err) {
		err = a.json ? report__write_json(p, &ro, out.fp)
			     : report__write_text(p, &ro, out.fp);
		if (err)
			tmpguard__abort(&out);
		else
			err = tmpguard__commit(&out);
	}
	if (err) {
		pf_error_errno(err, NULL, "writing %s", a.out ? a.out : "the report");
		status = PF_EXIT_ERROR;
	}
	profile__free(p);
	return status;
}
