#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_cpu.h"
#include "fileio.h"

/* The kernel caps cpu.cfs_period_us at 1 s and quotas at ~2^44 us; anything
 * past these is not a file the kernel wrote. */
#define MAX_PERIOD_US 1000000ull
#define MAX_QUOTA_US (1ll << 50)
#define MAX_CPU_ID (1u << 20)

/* A decimal token at *p (after blanks); advances *p. */
static int take_number(const char **p, long long min, long long max, long long *value)
{
	const char *s = *p;
	char *end;
	long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!(*s >= '0' && *s <= '9') && *s != '-')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < min || v > max)
		return -EINVAL;
	*p = end;
	*value = v;
	return 0;
}

static bool only_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return !*p;
}

int cpu_quota__parse_v2(const char *text, struct cpu_quota *q)
{
	const char *p = text;
	long long quota = -1, period = 100000;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, "max", 3)) {
		p += 3;
	} else if (take_number(&p, 1, MAX_QUOTA_US, &quota)) {
		return -EINVAL;
	}
	if (!only_blanks(p) && take_number(&p, 1, (long long)MAX_PERIOD_US, &period))
		return -EINVAL;
	if (!only_blanks(p))
		return -EINVAL;
	q->quota_us = quota;
	q->period_us = (uint64_t)period;
	return 0;
}

int cpu_quota__parse_v1(const char *quota_text, const char *period_text, struct cpu_quota *q)
{
	const char *pq = quota_text, *pp = period_text;
	long long quota, period;

	if (take_number(&pq, -1, MAX_QUOTA_US, &quota) || !only_blanks(pq) || quota == 0)
		return -EINVAL;
	if (take_number(&pp, 1, (long long)MAX_PERIOD_US, &period) || !only_blanks(pp))
		return -EINVAL;
	/* -1 is the only negative the kernel writes: "no limit". */
	if (quota < 0 && quota != -1)
		return -EINVAL;
	q->quota_us = quota;
	q->period_us = (uint64_t)period;
	return 0;
}

bool cpu_quota__limited(const struct cpu_quota *q)
{
	return q->quota_us > 0 && q->period_us > 0;
}

double cpu_quota__cpus(const struct cpu_quota *q)
{
	return cpu_quota__limited(q) ? (double)q->quota_us / (double)q->period_us : 0;
}

int cpulist__count(const char *text, unsigned *count)
{
	const char *p = text;
	unsigned total = 0;

	while (*p && *p != '\n') {
		long long lo, hi;

		if (take_number(&p, 0, MAX_CPU_ID, &lo))
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			if (take_number(&p, lo, MAX_CPU_ID, &hi))
				return -EINVAL;
		}
		total += (unsigned)(hi - lo + 1);
		if (total > MAX_CPU_ID)
			return -EINVAL;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	if (!only_blanks(p))
		return -EINVAL;
	*count = total;
	return 0;
}

static int read_small(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	return fileio__read_line_at(-1, path, buf, cap);
}

static int read_quota(const char *dir, int version, struct cpu_quota *q)
{
	char quota[64], period[64];
	int err;

	if (version == 2) {
		err = read_small(dir, "cpu.max", quota, sizeof(quota));
		return err ? err : cpu_quota__parse_v2(quota, q);
	}
	err = read_small(dir, "cpu.cfs_quota_us", quota, sizeof(quota));
	if (!err)
		err = read_small(dir, "cpu.cfs_period_us", period, sizeof(period));
	return err ? err : cpu_quota__parse_v1(quota, period, q);
}

static bool under(const char *mount, const char *dir)
{
	size_t n = strlen(mount);

	return !strncmp(dir, mount, n) && (dir[n] == '/' || !dir[n] || !strcmp(mount, "/"));
}

/* Cuts the last component of dir, never above mount. False at the mount. */
static bool parent(char *dir, size_t mount_len)
{
	char *slash;

	if (strlen(dir) <= mount_len)
		return false;
	slash = strrchr(dir, '/');
	if (!slash || (size_t)(slash - dir) < mount_len)
		dir[mount_len] = '\0';
	else
		*slash = '\0';
	return true;
}

int cpuset__read(const char *mount, const char *dir, unsigned *count)
{
	static const char *const names[] = { "cpuset.cpus.effective", "cpuset.effective_cpus" };
	char cur[PATH_MAX], line[4096];
	size_t i;

	if (!under(mount, dir) || strlen(dir) >= sizeof(cur))
		return -EXDEV;
	strcpy(cur, dir);
	do {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!read_small(cur, names[i], line, sizeof(line)) &&
			    !cpulist__count(line, count) && *count)
				return 0;
	} while (parent(cur, strlen(mount)));
	return -ENOENT;
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : UINT_MAX;
}

int cpu_limit__read(const struct cpu_cgroup_dirs *d, struct cpu_limit *out)
{
	char cur[PATH_MAX];
	double tightest = 0;
	bool leaf = true;
	struct stat st;
	unsigned cpuset;

	memset(out, 0, sizeof(*out));
	out->version = d->version;
	out->leaf.quota_us = out->tightest.quota_us = -1;
	if (!under(d->cpu_mount, d->cpu_dir) || strlen(d->cpu_dir) >= sizeof(cur))
		return -EXDEV;
	if (stat(d->cpu_dir, &st))
		return -errno;
	strcpy(cur, d->cpu_dir);
	do {
		struct cpu_quota q;

		if (read_quota(cur, d->version, &q))
			q.quota_us = -1, q.period_us = 0;
		if (leaf)
			out->leaf = q;
		leaf = false;
		if (cpu_quota__limited(&q) && (!tightest || cpu_quota__cpus(&q) < tightest)) {
			tightest = cpu_quota__cpus(&q);
			out->tightest = q;
			strcpy(out->tightest_dir, cur);
		}
	} while (parent(cur, strlen(d->cpu_mount)));
	if (d->cpuset_dir[0] && !cpuset__read(d->cpuset_mount, d->cpuset_dir, &cpuset))
		out->cpuset_cpus = cpuset;
	out->cpus = tightest;
	/* A cpuset of every online CPU limits nothing. */
	if (out->cpuset_cpus && out->cpuset_cpus < online_cpus() &&
	    (!out->cpus || out->cpuset_cpus < out->cpus))
		out->cpus = out->cpuset_cpus;
	return 0;
}
