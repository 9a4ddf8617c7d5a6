#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "fileio.h"

/* Copies a mountinfo path field, decoding \ooo escapes (space, tab, \n, \). */
static int copy_field(char *dst, size_t cap, const char *src, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		char c = src[i];

		if (c == '\\' && i + 3 < len && src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' && src[i + 3] >= '0' && src[i + 3] <= '7') {
			c = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 + (src[i + 3] - '0'));
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
		if (!m->v2[0])
			copy_field(m->v2, sizeof(m->v2), f[4], l[4]);
	} else if (l[sep + 1] == 6 && !memcmp(f[sep + 1], "cgroup", 6)) {
		if (!m->v1_cpu[0] && has_option(f[sep + 3], l[sep + 3], "cpu"))
			copy_field(m->v1_cpu, sizeof(m->v1_cpu), f[4], l[4]);
		if (!m->v1_cpuset[0] && has_option(f[sep + 3], l[sep + 3], "cpuset"))
			copy_field(m->v1_cpuset, sizeof(m->v1_cpuset), f[4], l[4]);
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

int cgroup__parse_cpu_stat(const char *text, struct cgroup_cpu_stat *st)
{
	static const struct {
		const char *key;
		size_t offset;
	} keys[] = {
		{ "usage_usec", offsetof(struct cgroup_cpu_stat, usage_usec) },
		{ "user_usec", offsetof(struct cgroup_cpu_stat, user_usec) },
		{ "system_usec", offsetof(struct cgroup_cpu_stat, system_usec) },
		{ "nr_periods", offsetof(struct cgroup_cpu_stat, nr_periods) },
		{ "nr_throttled", offsetof(struct cgroup_cpu_stat, nr_throttled) },
		{ "throttled_usec", offsetof(struct cgroup_cpu_stat, throttled_usec) },
	};
	bool found_usage = false;
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
				*(uint64_t *)((char *)st + keys[k].offset) = value;
				found_usage |= k == 0;
				st->has_throttling |= k >= 3;
			}
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return found_usage ? 0 : -EINVAL;
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
