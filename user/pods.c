#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pods.h"

/* Pods sit 1-3 levels below the kubepods root, which itself may be nested
 * (kind: kubelet.slice/kubelet-kubepods.slice). The budget bounds the walk
 * on hosts with huge unrelated trees. */
#define MAX_DEPTH 6
#define DIR_BUDGET 200000

struct pods {
	struct pod *pods;
	size_t npods, cap;
};

static const char *const runtimes[] = { "cri-containerd", "crio", "docker" };

static bool all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* 8-4-4-4-12 hex with sep between groups, or 32 bare hex (static pods). */
static bool is_uid(const char *s, size_t len, char sep)
{
	size_t i;

	if (len == 32)
		return all_hex(s, 32);
	if (len != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != sep : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static void copy_uid(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = src[i] == '_' ? '-' : (char)tolower((unsigned char)src[i]);
	dst[len] = '\0';
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

int pods__parse_pod_dir(const char *name, char uid[POD_UID_MAX + 1], enum pod_driver *driver)
{
	size_t len = strlen(name);
	const char *p, *start = NULL;

	if (!strncmp(name, "pod", 3) && is_uid(name + 3, len - 3, '-')) {
		copy_uid(uid, name + 3, len - 3);
		*driver = POD_DRIVER_CGROUPFS;
		return 0;
	}
	if (!ends_with(name, len, ".slice"))
		return -EINVAL;
	/* kubepods[-qos]-pod<uid>.slice: the last "-pod" starts the UID. */
	for (p = strstr(name, "-pod"); p; p = strstr(p + 1, "-pod"))
		start = p;
	if (!start || !memmem(name, (size_t)(start - name), "kubepods", 8))
		return -EINVAL;
	start += 4;
	len = (size_t)(name + len - 6 - start);
	if (!is_uid(start, len, '_'))
		return -EINVAL;
	copy_uid(uid, start, len);
	*driver = POD_DRIVER_SYSTEMD;
	return 0;
}

int pods__parse_container_dir(const char *name, char id[POD_ID_MAX + 1], char runtime[16])
{
	size_t len = strlen(name), i;
	const char *p = name;

	runtime[0] = '\0';
	if (ends_with(name, len, ".scope"))
		len -= 6;
	/* CRI-O's monitor process gets its own scope; it is not the container. */
	if (!strncmp(name, "crio-conmon-", 12))
		return -EINVAL;
	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		size_t n = strlen(runtimes[i]);

		if (len > n + 1 && !strncmp(name, runtimes[i], n) && name[n] == '-') {
			strcpy(runtime, runtimes[i]);
			p = name + n + 1;
			len -= n + 1;
			break;
		}
	}
	if (len < 12 || len > POD_ID_MAX || !all_hex(p, len))
		return -EINVAL;
	for (i = 0; i < len; i++)
		id[i] = (char)tolower((unsigned char)p[i]);
	id[len] = '\0';
	return 0;
}

int pods__normalize_container_id(const char *arg, char hex[POD_ID_MAX + 1])
{
	const char *scheme = strstr(arg, "://");
	size_t len, i;

	if (scheme)
		arg = scheme + 3;
	len = strlen(arg);
	if (len < 12 || len > POD_ID_MAX || !all_hex(arg, len))
		return -EINVAL;
	for (i = 0; i <= len; i++)
		hex[i] = (char)tolower((unsigned char)arg[i]);
	return 0;
}

static enum pod_qos qos_of(const char *name, const char *parent)
{
	if (strstr(name, "burstable") || strstr(parent, "burstable"))
		return POD_QOS_BURSTABLE;
	if (strstr(name, "besteffort") || strstr(parent, "besteffort"))
		return POD_QOS_BESTEFFORT;
	return POD_QOS_GUARANTEED;
}

static struct pod *pod_get(struct pods *p, const char *uid)
{
	struct pod *pod;
	size_t i;

	for (i = 0; i < p->npods; i++)
		if (!strcmp(p->pods[i].uid, uid))
			return &p->pods[i];
	if (p->npods == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct pod *bigger = realloc(p->pods, cap * sizeof(*bigger));

		if (!bigger)
			return NULL;
		p->pods = bigger;
		p->cap = cap;
	}
	pod = &p->pods[p->npods++];
	memset(pod, 0, sizeof(*pod));
	strcpy(pod->uid, uid);
	return pod;
}

static int container_add(struct pod *pod, enum pod_tree tree, const char *id, const char *runtime,
			 const char *path)
{
	struct pod_container *c = NULL, *bigger;
	size_t i;

	for (i = 0; i < pod->ncontainers && !c; i++)
		if (!strcmp(pod->containers[i].id, id))
			c = &pod->containers[i];
	if (!c) {
		bigger = realloc(pod->containers, (pod->ncontainers + 1) * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		pod->containers = bigger;
		c = &pod->containers[pod->ncontainers++];
		memset(c, 0, sizeof(*c));
		strcpy(c->id, id);
		strcpy(c->runtime, runtime);
	}
	if (!c->path[tree] && !(c->path[tree] = strdup(path)))
		return -ENOMEM;
	return 0;
}

/* A pod directory: record it and its container children. path is a
 * PATH_MAX buffer holding the pod's directory; it is restored on return. */
static int add_pod(struct pods *p, enum pod_tree tree, char *path, const char *name,
		   const char *parent, const char *uid, enum pod_driver driver)
{
	size_t len = strlen(path);
	struct pod *pod = pod_get(p, uid);
	struct dirent *e;
	DIR *dir;
	int err = 0;

	if (!pod)
		return -ENOMEM;
	pod->driver = driver;
	pod->qos = qos_of(name, parent);
	if (!pod->path[tree] && !(pod->path[tree] = strdup(path)))
		return -ENOMEM;
	dir = opendir(path);
	if (!dir)
		return 0;
	while (!err && (e = readdir(dir))) {
		char id[POD_ID_MAX + 1], runtime[16];

		if ((e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) ||
		    pods__parse_container_dir(e->d_name, id, runtime))
			continue;
		if (len + 1 + strlen(e->d_name) >= PATH_MAX)
			continue;
		snprintf(path + len, PATH_MAX - len, "/%s", e->d_name);
		err = container_add(pod, tree, id, runtime, path);
		path[len] = '\0';
	}
	closedir(dir);
	return err;
}

static int walk(struct pods *p, enum pod_tree tree, char *path, const char *parent, int depth,
		unsigned *budget)
{
	size_t len = strlen(path);
	struct dirent *e;
	DIR *dir = opendir(path);
	int err = 0;

	if (!dir)
		return 0; /* unreadable subtrees contribute nothing */
	while (!err && *budget && (e = readdir(dir))) {
		char uid[POD_UID_MAX + 1];
		enum pod_driver driver;

		if ((e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) || e->d_name[0] == '.')
			continue;
		if (len + 1 + strlen(e->d_name) >= PATH_MAX)
			continue;
		(*budget)--;
		snprintf(path + len, PATH_MAX - len, "/%s", e->d_name);
		if (!pods__parse_pod_dir(e->d_name, uid, &driver))
			err = add_pod(p, tree, path, e->d_name, parent, uid, driver);
		else if (depth < MAX_DEPTH)
			err = walk(p, tree, path, e->d_name, depth + 1, budget);
		path[len] = '\0';
	}
	closedir(dir);
	return err;
}

static int by_uid(const void *a, const void *b)
{
	return strcmp(((const struct pod *)a)->uid, ((const struct pod *)b)->uid);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct pod_container *)a)->id, ((const struct pod_container *)b)->id);
}

int pods__scan_tree(struct pods *p, const char *root, enum pod_tree tree)
{
	char path[PATH_MAX];
	unsigned budget = DIR_BUDGET;
	size_t i;
	int err;

	if (strlen(root) >= sizeof(path))
		return -ENAMETOOLONG;
	strcpy(path, root);
	err = walk(p, tree, path, "", 0, &budget);
	/* Deterministic order whatever readdir returned. */
	if (p->npods)
		qsort(p->pods, p->npods, sizeof(*p->pods), by_uid);
	for (i = 0; i < p->npods; i++)
		if (p->pods[i].ncontainers)
			qsort(p->pods[i].containers, p->pods[i].ncontainers,
			      sizeof(*p->pods[i].containers), by_id);
	return err;
}

struct pods *pods__new(void)
{
	return calloc(1, sizeof(struct pods));
}

struct pods *pods__scan(const struct cgroup_mounts *m)
{
	struct pods *p = pods__new();
	int err = 0;

	if (!p)
		return NULL;
	if (m->v2[0])
		err = pods__scan_tree(p, m->v2, POD_TREE_V2);
	if (!err && m->v1_cpu[0])
		err = pods__scan_tree(p, m->v1_cpu, POD_TREE_V1_CPU);
	if (err) {
		pods__free(p);
		errno = -err;
		return NULL;
	}
	return p;
}

void pods__free(struct pods *p)
{
	size_t i, j;
	int t;

	if (!p)
		return;
	for (i = 0; i < p->npods; i++) {
		struct pod *pod = &p->pods[i];

		for (j = 0; j < pod->ncontainers; j++)
			for (t = 0; t < POD_TREE__COUNT; t++)
				free(pod->containers[j].path[t]);
		for (t = 0; t < POD_TREE__COUNT; t++)
			free(pod->path[t]);
		free(pod->containers);
	}
	free(p->pods);
	free(p);
}

size_t pods__count(const struct pods *p)
{
	return p->npods;
}

const struct pod *pods__at(const struct pods *p, size_t i)
{
	return i < p->npods ? &p->pods[i] : NULL;
}

int pods__find_pod(const struct pods *p, const char *uid, const struct pod **out)
{
	char want[POD_UID_MAX + 1];
	size_t len = strlen(uid), i, matches = 0;

	*out = NULL;
	if (len < 8 || len > POD_UID_MAX)
		return -ENOENT;
	copy_uid(want, uid, len);
	for (i = 0; i < p->npods; i++) {
		if (!strcmp(p->pods[i].uid, want)) {
			*out = &p->pods[i];
			return 0;
		}
		if (!strncmp(p->pods[i].uid, want, len) && !matches++)
			*out = &p->pods[i];
	}
	return matches == 1 ? 0 : matches ? -ENOTUNIQ : -ENOENT;
}

int pods__find_container(const struct pods *p, const char *id, const struct pod **pod,
			 const struct pod_container **c)
{
	char want[POD_ID_MAX + 1];
	size_t i, j, len, matches = 0;

	*pod = NULL;
	*c = NULL;
	if (pods__normalize_container_id(id, want))
		return -EINVAL;
	len = strlen(want);
	for (i = 0; i < p->npods; i++) {
		for (j = 0; j < p->pods[i].ncontainers; j++) {
			const struct pod_container *ct = &p->pods[i].containers[j];

			if (strncmp(ct->id, want, len))
				continue;
			if (!matches++ || !strcmp(ct->id, want)) {
				*pod = &p->pods[i];
				*c = ct;
			}
			if (!strcmp(ct->id, want))
				return 0;
		}
	}
	return matches == 1 ? 0 : matches ? -ENOTUNIQ : -ENOENT;
}

const char *pod_qos__name(enum pod_qos q)
{
	return q == POD_QOS_BURSTABLE	 ? "burstable"
	       : q == POD_QOS_BESTEFFORT ? "besteffort"
					 : "guaranteed";
}

const char *pod_driver__name(enum pod_driver d)
{
	return d == POD_DRIVER_SYSTEMD ? "systemd" : "cgroupfs";
}

int pods__cpu_dirs(const struct cgroup_mounts *m, char *const path[POD_TREE__COUNT],
		   struct cpu_cgroup_dirs *d)
{
	const char *rel;

	memset(d, 0, sizeof(*d));
	if (path[POD_TREE_V1_CPU] && m->v1_cpu[0]) {
		d->version = 1;
		snprintf(d->cpu_mount, sizeof(d->cpu_mount), "%s", m->v1_cpu);
		snprintf(d->cpu_dir, sizeof(d->cpu_dir), "%s", path[POD_TREE_V1_CPU]);
		/* The kubelet mirrors the path in every v1 hierarchy. */
		rel = path[POD_TREE_V1_CPU] + strlen(m->v1_cpu);
		if (m->v1_cpuset[0]) {
			snprintf(d->cpuset_mount, sizeof(d->cpuset_mount), "%s", m->v1_cpuset);
			if ((size_t)snprintf(d->cpuset_dir, sizeof(d->cpuset_dir), "%s%s",
					     m->v1_cpuset, rel) >= sizeof(d->cpuset_dir))
				d->cpuset_mount[0] = d->cpuset_dir[0] = '\0';
		}
		return 0;
	}
	if (!path[POD_TREE_V2] || !m->v2[0])
		return -ENOENT;
	d->version = 2;
	snprintf(d->cpu_mount, sizeof(d->cpu_mount), "%s", m->v2);
	snprintf(d->cpu_dir, sizeof(d->cpu_dir), "%s", path[POD_TREE_V2]);
	snprintf(d->cpuset_mount, sizeof(d->cpuset_mount), "%s", m->v2);
	snprintf(d->cpuset_dir, sizeof(d->cpuset_dir), "%s", path[POD_TREE_V2]);
	return 0;
}

const char *pods__procs_dir(char *const path[POD_TREE__COUNT])
{
	return path[POD_TREE_V2] ? path[POD_TREE_V2] : path[POD_TREE_V1_CPU];
}
