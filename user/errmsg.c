#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"

/* Command-layer state: which subcommand is talking, and whether to be quiet. */
static const char *command_name;
static bool quiet;

void pf_set_command(const char *name)
{
	command_name = name;
}

void pf_set_quiet(bool value)
{
	quiet = value;
}

bool pf_is_quiet(void)
{
	return quiet;
}

static void print_prefix(void)
{
	if (command_name)
		fprintf(stderr, "podflame %s: ", command_name);
	else
		fputs("podflame: ", stderr);
}

void pf_error(const char *fmt, ...)
{
	va_list ap;

	print_prefix();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void pf_error_errno(int err, const char *fix, const char *fmt, ...)
{
	va_list ap;

	print_prefix();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
	if (fix)
		fprintf(stderr, " (%s)", fix);
	fputc('\n', stderr);
}

void pf_warn(const char *fmt, ...)
{
	va_list ap;

	print_prefix();
	fputs("warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void pf_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *pf_privilege_fix(void)
{
	return "run as root, or grant CAP_BPF and CAP_PERFMON";
}

bool pf_has_bpf_privileges(void)
{
	FILE *status = fopen("/proc/self/status", "re");
	unsigned long long caps = 0;
	char line[256];
	bool found = false;

	if (!status)
		return geteuid() == 0;
	while (!found && fgets(line, sizeof(line), status))
		found = sscanf(line, "CapEff: %llx", &caps) == 1;
	fclose(status);
	if (!found)
		return geteuid() == 0;
	/* CAP_SYS_ADMIN (21), or CAP_PERFMON (38) with CAP_BPF (39) */
	return (caps >> 21 & 1) || ((caps >> 38 & 1) && (caps >> 39 & 1));
}
