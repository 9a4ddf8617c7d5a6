#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_proc.h"
#include "fileio.h"

static bool has_controller(const char *list, size_t len, const char *want)
{
	size_t n = strlen(want), i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && list[j] != ',')
			j++;
		if (j - i == n && !memcmp(list + i, want, n))
			return true;
		i = j + 1;
	}
	return false;
}

static void take(char *dst, bool *has, const char *path, size_t len)
{
	/* The first line for a controller wins; a path too long for us is
	 * dropped rather than truncated into a different cgroup. */
	if (*has || len >= PATH_MAX)
		return;
	memcpy(dst, path, len);
	dst[len] = '\0';
	*has = true;
}

static bool parse_line(struct proc_cgroup *pc, const char *line, size_t len)
{
	const char *c1 = memchr(line, ':', len), *c2, *path;
	size_t clen, plen;

	if (!c1)
		return false;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
	if (!c2 || c2 + 1 >= line + len || c2[1] != '/')
		return false;
	clen = (size_t)(c2 - c1 - 1);
	path = c2 + 1;
	plen = len - (size_t)(path - line);
	if (c1 - line == 1 && line[0] == '0' && clen == 0) {
		take(pc->v2, &pc->has_v2, path, plen);
		return true;
	}
	if (has_controller(c1 + 1, clen, "cpu"))
		take(pc->cpu, &pc->has_cpu, path, plen);
	if (has_controller(c1 + 1, clen, "cpuset"))
		take(pc->cpuset, &pc->has_cpuset, path, plen);
	if (has_controller(c1 + 1, clen, "cpuacct"))
		take(pc->cpuacct, &pc->has_cpuacct, path, plen);
	return true;
}

int proc_cgroup__parse(const char *text, struct proc_cgroup *pc)
{
	const char *line = text;
	bool any = false;

	memset(pc, 0, sizeof(*pc));
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		any |= parse_line(pc, line, len);
		line += len + (nl ? 1 : 0);
	}
	return any ? 0 : -EINVAL;
}

int proc_cgroup__read(int pid, struct proc_cgroup *pc)
{
	char path[64], *text;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	err = fileio__slurp(path, &text, NULL, 1 << 20);
	if (err)
		return err;
	err = proc_cgroup__parse(text, pc);
	free(text);
	return err;
}

int proc_cgroup__v2_dir(const struct cgroup_mounts *m, const struct proc_cgroup *pc, char *abs,
			size_t cap)
{
	if (!m->v2[0] || !pc->has_v2)
		return -ENODEV;
	return cgroup__join(m->v2, m->v2_root, pc->v2, abs, cap);
}

int proc_cgroup__cpu_dirs(const struct cgroup_mounts *m, const struct proc_cgroup *pc,
			  struct cpu_cgroup_dirs *d)
{
	int err;

	memset(d, 0, sizeof(*d));
	if (m->v1_cpu[0] && pc->has_cpu) {
		d->version = 1;
		strcpy(d->cpu_mount, m->v1_cpu);
		err = cgroup__join(m->v1_cpu, m->v1_cpu_root, pc->cpu, d->cpu_dir,
				   sizeof(d->cpu_dir));
	} else {
		d->version = 2;
		strcpy(d->cpu_mount, m->v2);
		err = proc_cgroup__v2_dir(m, pc, d->cpu_dir, sizeof(d->cpu_dir));
	}
	if (err)
		return err;
	if (m->v1_cpuset[0] && pc->has_cpuset) {
		strcpy(d->cpuset_mount, m->v1_cpuset);
		if (cgroup__join(m->v1_cpuset, m->v1_cpuset_root, pc->cpuset, d->cpuset_dir,
				 sizeof(d->cpuset_dir)))
			d->cpuset_mount[0] = d->cpuset_dir[0] = '\0';
	} else if (m->v2[0] && pc->has_v2) {
		strcpy(d->cpuset_mount, m->v2);
		if (proc_cgroup__v2_dir(m, pc, d->cpuset_dir, sizeof(d->cpuset_dir)))
			d->cpuset_mount[0] = d->cpuset_dir[0] = '\0';
	}
	return 0;
}
