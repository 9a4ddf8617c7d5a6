#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "procinfo.h"

/* Environments are bounded by ARG_MAX-ish limits; past this is not one. */
#define MAX_ENVIRON (8u << 20)
#define MAX_CPUS 8192

static int proc_path(char *buf, size_t cap, int pid, const char *name)
{
	if (pid <= 0)
		return -EINVAL;
	snprintf(buf, cap, "/proc/%d/%s", pid, name);
	return 0;
}

int procinfo__comm(int pid, char *buf, size_t cap)
{
	char path[64];
	int err = proc_path(path, sizeof(path), pid, "comm");

	return err ? err : fileio__read_line_at(-1, path, buf, cap);
}

int procinfo__threads(int pid, unsigned *threads)
{
	char path[64], *text, *line;
	int err = proc_path(path, sizeof(path), pid, "status");

	if (err || (err = fileio__slurp(path, &text, NULL, 1 << 20)))
		return err;
	line = strstr(text, "\nThreads:");
	err = line && sscanf(line + 9, "%u", threads) == 1 ? 0 : -EINVAL;
	free(text);
	return err;
}

int procenv__read(int pid, struct procenv *env)
{
	char path[64];
	int err = proc_path(path, sizeof(path), pid, "environ");

	env->text = NULL;
	env->len = 0;
	return err ? err : fileio__slurp(path, &env->text, &env->len, MAX_ENVIRON);
}

int procenv__from(const char *text, size_t len, struct procenv *env)
{
	env->text = malloc(len + 1);
	if (!env->text)
		return -ENOMEM;
	memcpy(env->text, text, len);
	env->text[len] = '\0';
	env->len = len;
	return 0;
}

void procenv__release(struct procenv *env)
{
	free(env->text);
	env->text = NULL;
	env->len = 0;
}

const char *procenv__get(const struct procenv *env, const char *key)
{
	size_t klen = strlen(key), pos = 0;

	while (env->text && pos < env->len) {
		const char *entry = env->text + pos;
		size_t n = strnlen(entry, env->len - pos);

		if (n > klen && !memcmp(entry, key, klen) && entry[klen] == '=')
			return entry + klen + 1;
		pos += n + 1;
	}
	return NULL;
}

int procinfo__affinity(int pid, unsigned *cpus)
{
	size_t size = CPU_ALLOC_SIZE(MAX_CPUS);
	cpu_set_t *set = CPU_ALLOC(MAX_CPUS);
	int err = 0;

	if (!set)
		return -ENOMEM;
	CPU_ZERO_S(size, set);
	if (sched_getaffinity(pid, size, set))
		err = -errno;
	else
		*cpus = (unsigned)CPU_COUNT_S(size, set);
	CPU_FREE(set);
	return err;
}

int procinfo__parse_stat_times(const char *text, uint64_t *utime_ticks, uint64_t *stime_ticks)
{
	const char *p = strrchr(text, ')');
	unsigned long long ut, st;

	/* After "pid (comm)": state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime. */
	if (!p ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -EINVAL;
	*utime_ticks = ut;
	*stime_ticks = st;
	return 0;
}

int procinfo__cpu_seconds(int pid, double *seconds)
{
	char path[64], *text;
	uint64_t ut, st;
	long hz = sysconf(_SC_CLK_TCK);
	int err = proc_path(path, sizeof(path), pid, "stat");

	if (err || (err = fileio__slurp(path, &text, NULL, 1 << 16)))
		return err;
	err = procinfo__parse_stat_times(text, &ut, &st);
	free(text);
	if (!err)
		*seconds = (double)(ut + st) / (double)(hz > 0 ? hz : 100);
	return err;
}
