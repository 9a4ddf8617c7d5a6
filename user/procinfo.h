/* Facts about one live process from /proc: its name, thread count, the
 * environment it started with, its CPU affinity and CPU time. Each returns
 * 0 or -errno (-ENOENT/-ESRCH once the process is gone). */
#ifndef PODFLAME_PROCINFO_H
#define PODFLAME_PROCINFO_H

#include <stddef.h>
#include <stdint.h>

int procinfo__comm(int pid, char *buf, size_t cap);
/* "Threads:" of /proc/PID/status. */
int procinfo__threads(int pid, unsigned *threads);

/* The environment the process was started with (/proc/PID/environ: what
 * its runtime read at start, not later setenv calls). */
struct procenv {
	char *text; /* NUL-separated KEY=VALUE entries */
	size_t len;
};
int procenv__read(int pid, struct procenv *env);
/* Parses caller bytes (tests); env borrows nothing, copies them. */
int procenv__from(const char *text, size_t len, struct procenv *env);
void procenv__release(struct procenv *env);
/* The value of key, or NULL; valid until procenv__release. Entries that are
 * not KEY=VALUE are skipped; the first match wins, as getenv's does. */
const char *procenv__get(const struct procenv *env, const char *key);

/* CPUs in the process's affinity mask (sched_getaffinity), which is what
 * the Go runtime counts as its CPUs. */
int procinfo__affinity(int pid, unsigned *cpus);
/* utime + stime of the whole process, in seconds. */
int procinfo__cpu_seconds(int pid, double *seconds);
/* Parses /proc/PID/stat text (comm may hold spaces and parentheses). */
int procinfo__parse_stat_times(const char *text, uint64_t *utime_ticks, uint64_t *stime_ticks);

#endif
