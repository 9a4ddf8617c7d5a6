/* The command layer: one cmd_<name>.c per subcommand, dispatched by main.c.
 * Commands parse options, print, and pick the exit status; everything they
 * call returns 0/-errno and prints nothing. */
#ifndef PODFLAME_COMMANDS_H
#define PODFLAME_COMMANDS_H

/* Exit statuses scripts can rely on. */
enum pf_exit {
	PF_EXIT_OK = 0,
	PF_EXIT_ERROR = 1, /* also: a diff gate tripped */
	PF_EXIT_USAGE = 2,
	PF_EXIT_FINDING = 3, /* doctor: a misconfiguration was found */
};

int cmd_record(int argc, char **argv);
int cmd_flamegraph(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_targets(int argc, char **argv);
int cmd_symbolize(int argc, char **argv);

#endif
