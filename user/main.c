/* podflame: one binary, subcommands like git/perf (bpftool's command table). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "errmsg.h"

#ifndef PODFLAME_VERSION
#define PODFLAME_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "record", cmd_record, "sample on-CPU stacks of a pod, cgroup, pid or the host" },
	{ "flamegraph", cmd_flamegraph, "render folded stacks as an interactive SVG" },
	{ "diff", cmd_diff, "compare two profiles; differential SVG and CI gates" },
	{ "report", cmd_report, "top functions and Go runtime shares of a profile" },
	{ "convert", cmd_convert, "convert between folded and pprof" },
	{ "doctor", cmd_doctor, "diagnose GOMAXPROCS vs CPU quota for a live target" },
	{ "targets", cmd_targets, "list pods, containers and cgroups on this node" },
	{ "symbolize", cmd_symbolize, "resolve addresses of a binary (Go pclntab, ELF)" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: podflame <command> [options]\n\n"
		"An eBPF CPU profiler and flame-graph generator for Go services in containers.\n\n"
		"commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'podflame <command> --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	/* A closed pipe must be a write error we report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return PF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return PF_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("podflame %s\n", PODFLAME_VERSION);
		return PF_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			pf_set_command(commands[i].name);
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	pf_error("unknown command '%s' (see 'podflame --help')", argv[1]);
	return PF_EXIT_USAGE;
}
