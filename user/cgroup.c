#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "fileio.h"

/* Copies a mountinfo path field, decoding \ooo escapes (space, tab, \n, \). */
static int copy_field(char *dst, size_t cap, const char *src, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		char c = src[i];

		if (c == '\\' && i + 3 < len && src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' && src[i + 3] >= '0' &&
		    src[i + 3] <= '7') {
			c = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 +
				   (src[i + 3] - '0'));
			i += 4;
		} else {
			i++;
		}
		if (o + 1 >= cap)
			return -ENAMETOOLONG;
		dst[o++] = c;
	}
	dst[o] = '\0';
	return 0;
}

static bool has_option(const char *opts, size_t len, const char *want)
{
	size_t n = strlen(want), i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && opts[j] != ',')
			j++;
		if (j - i == n && !memcmp(opts + i, want, n))
			return true;
		i = j + 1;
	}
	return false;
}

/* Splits a line into space-separated fields; returns the count. */
static size_t split(const char *line, size_t len, const char **fields, size_t *lens, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		size_t j;

		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		for (j = i; j < len && line[j] != ' '; j++)
			;
		fields[n] = line + i;
		lens[n++] = j - i;
		i = j;
	}
	return n;
}

/* The first mount of a hierarchy wins: later ones are usually bind mounts
 * of a subtree (a container's view) of the same hierarchy ... */
static void take_mount(char *mount, char *root, const char **f, const size_t *l)
{
	/* ... except that a mount of the whole hierarchy (root "/") beats a
	 * subtree: in a debug pod, the container's own cgroupfs shows its
	 * cgroup, the host's (a hostPath volume) shows everything. */
	if (mount[0] && (!strcmp(root, "/") || l[3] != 1 || f[3][0] != '/'))
		return;
	if (copy_field(mount, PATH_MAX, f[4], l[4]) || copy_field(root, PATH_MAX, f[3], l[3]))
		mount[0] = root[0] = '\0';
}

static void parse_mount_line(struct cgroup_mounts *m, const char *line, size_t len)
{
	const char *f[32];
	size_t l[32], n = split(line, len, f, l, 32), sep;

	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER */
	for (sep = 6; sep < n && !(l[sep] == 1 && f[sep][0] == '-'); sep++)
		;
	if (n < 5 || sep + 3 >= n)
		return;
	if (l[sep + 1] == 7 && !memcmp(f[sep + 1], "cgroup2", 7)) {
		take_mount(m->v2, m->v2_root, f, l);
	} else if (l[sep + 1] == 6 && !memcmp(f[sep + 1], "cgroup", 6)) {
		if (has_option(f[sep + 3], l[sep + 3], "cpu"))
			take_mount(m->v1_cpu, m->v1_cpu_root, f, l);
		if (has_option(f[sep + 3], l[sep + 3], "cpuset"))
			take_mount(m->v1_cpuset, m->v1_cpuset_root, f, l);
		if (has_option(f[sep + 3], l[sep + 3], "cpuacct"))
			take_mount(m->v1_cpuacct, m->v1_cpuacct_root, f, l);
	}
}

int cgroup_mounts__parse(struct cgroup_mounts *m, const char *text, size_t len)
{
	size_t pos = 0;

	memset(m, 0, sizeof(*m));
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;

		parse_mount_line(m, line, line_len);
		pos += line_len + 1;
	}
	return m->v2[0] || m->v1_cpu[0] ? 0 : -ENOENT;
}

int cgroup_mounts__read(struct cgroup_mounts *m)
{
	char *text;
	size_t len;
	int err = fileio__slurp("/proc/self/mountinfo", &text, &len, 16u << 20);

	if (err)
		return err;
	err = cgroup_mounts__parse(m, text, len);
	free(text);
	return err;
}

int cgroup__resolve_v2(const struct cgroup_mounts *m, const char *arg, char *abs, size_t cap)
{
	size_t root_len = strlen(m->v2);
	struct stat st;
	int n;

	if (!m->v2[0])
		return -ENODEV;
	if (arg[0] == '/') {
		if (strncmp(arg, m->v2, root_len) || (arg[root_len] != '/' && arg[root_len]))
			return -EXDEV;
		n = snprintf(abs, cap, "%s", arg);
	} else {
		n = snprintf(abs, cap, "%s/%s", m->v2, arg);
	}
	if (n < 0 || (size_t)n >= cap)
		return -ENAMETOOLONG;
	/* Trailing slashes would make later joins ugly. */
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	if (stat(abs, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int cgroup__join(const char *mount, const char *mount_root, const char *cgpath, char *abs,
		 size_t cap)
{
	size_t root_len = strlen(mount_root);
	const char *rest = cgpath;
	int n;

	/* A root of "/" strips nothing; a deeper root must prefix the path
	 * at a component boundary. */
	if (root_len > 1) {
		if (strncmp(cgpath, mount_root, root_len) ||
		    (cgpath[root_len] != '/' && cgpath[root_len]))
			return -EXDEV;
		rest = cgpath + root_len;
	}
	if (!strncmp(rest, "/..", 3) && (rest[3] == '/' || !rest[3]))
		return -EXDEV;
	while (*rest == '/')
		rest++;
	n = snprintf(abs, cap, "%s%s%s", mount, *rest ? "/" : "", rest);
	if (n < 0 || (size_t)n >= cap)
		return -ENAMETOOLONG;
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	return 0;
}

int cgroup__parse_cpu_stat(const char *text, struct cgroup_cpu_stat *st)
{
	static const struct {
		const char *key;
		size_t offset;
		unsigned divisor; /* v1's throttled_time is in ns */
	} keys[] = {
		{ "usage_usec", offsetof(struct cgroup_cpu_stat, usage_usec), 1 },
		{ "user_usec", offsetof(struct cgroup_cpu_stat, user_usec), 1 },
		{ "system_usec", offsetof(struct cgroup_cpu_stat, system_usec), 1 },
		{ "nr_periods", offsetof(struct cgroup_cpu_stat, nr_periods), 1 },
		{ "nr_throttled", offsetof(struct cgroup_cpu_stat, nr_throttled), 1 },
		{ "throttled_usec", offsetof(struct cgroup_cpu_stat, throttled_usec), 1 },
		{ "throttled_time", offsetof(struct cgroup_cpu_stat, throttled_usec), 1000 },
	};
	bool found = false;
	const char *line = text;

	memset(st, 0, sizeof(*st));
	while (line && *line) {
		char key[32];
		unsigned long long value;
		size_t k;

		if (sscanf(line, "%31s %llu", key, &value) == 2) {
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				if (strcmp(key, keys[k].key))
					continue;
				*(uint64_t *)((char *)st + keys[k].offset) =
					value / keys[k].divisor;
				found = true;
				st->has_usage |= k == 0;
				st->has_throttling |= k >= 3;
			}
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return found ? 0 : -EINVAL;
}

int cgroup__read_cpu_stat(const char *dir, struct cgroup_cpu_stat *st)
{
	char path[PATH_MAX], *text;
	int err;

	if ((size_t)snprintf(path, sizeof(path), "%s/cpu.stat", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	err = fileio__slurp(path, &text, NULL, 1 << 20);
	if (err)
		return err;
	err = cgroup__parse_cpu_stat(text, st);
	free(text);
	return err;
}

struct pidset {
	int *pids;
	size_t n, cap, max;
};

static int pidset_add_text(struct pidset *s, const char *text)
{
	const char *p = text;

	while (*p) {
		char *end;
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0 && pid <= 0x7fffffff) {
			if (s->n == s->max)
				return -E2BIG;
			if (s->n == s->cap) {
				size_t cap = s->cap ? s->cap * 2 : 64;
				int *bigger = realloc(s->pids, cap * sizeof(*bigger));

				if (!bigger)
					return -ENOMEM;
				s->pids = bigger;
				s->cap = cap;
			}
			s->pids[s->n++] = (int)pid;
		}
		p = end;
		while (*p == '\n')
			p++;
	}
	return 0;
}

/* depth bounds the recursion: cgroup2 allows deep trees, a stack does not. */
static int collect_pids(struct pidset *s, char *path, size_t len, int depth, bool top)
{
	struct dirent *e;
	char *text;
	DIR *dir;
	int err;

	if (len + sizeof("/cgroup.procs") > PATH_MAX)
		return 0;
	strcpy(path + len, "/cgroup.procs");
	err = fileio__slurp(path, &text, NULL, 64u << 20);
	path[len] = '\0';
	if (err)
		return top ? err : 0;
	err = pidset_add_text(s, text);
	free(text);
	if (err || depth >= 32 || !(dir = opendir(path)))
		return err;
	while (!err && (e = readdir(dir))) {
		size_t n = strlen(e->d_name);

		if (e->d_type != DT_DIR || e->d_name[0] == '.' || len + 1 + n >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, n + 1);
		err = collect_pids(s, path, len + 1 + n, depth + 1, false);
		path[len] = '\0';
	}
	closedir(dir);
	return err;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int cgroup__pids(const char *dir, int **pids, size_t *npids, size_t max_pids)
{
	struct pidset s = { .max = max_pids };
	char path[PATH_MAX];
	size_t i, out = 0;
	int err;

	*pids = NULL;
	*npids = 0;
	if (strlen(dir) >= sizeof(path))
		return -ENAMETOOLONG;
	strcpy(path, dir);
	err = collect_pids(&s, path, strlen(path), 0, true);
	if (err && err != -E2BIG) {
		free(s.pids);
		return err;
	}
	if (s.n)
		qsort(s.pids, s.n, sizeof(*s.pids), cmp_int);
	for (i = 0; i < s.n; i++)
		if (!out || s.pids[out - 1] != s.pids[i])
			s.pids[out++] = s.pids[i];
	*pids = s.pids;
	*npids = out;
	return err;
}

int cgroup__enter_ns_of(int pid)
{
	char path[64], theirs[64], ours[64];
	ssize_t n, m;
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/cgroup", pid);
	n = readlink(path, theirs, sizeof(theirs) - 1);
	m = readlink("/proc/self/ns/cgroup", ours, sizeof(ours) - 1);
	if (n < 0 || m < 0)
		return 0; /* not ours to see (no ptrace access to pid 1): stay */
	if (n == m && !memcmp(theirs, ours, (size_t)n))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWCGROUP))
		err = -errno;
	close(fd);
	return err ? err : 1;
}
