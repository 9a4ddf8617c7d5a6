/* Kubernetes pods and containers on this node, found from the cgroup
 * directories the kubelet and the container runtime create:
 *
 *   systemd driver  kubepods.slice/kubepods-<qos>.slice/
 *                     kubepods-<qos>-pod<uid, '-' as '_'>.slice/<runtime>-<id>.scope
 *   cgroupfs driver kubepods/<qos>/pod<uid>/<id>      (crio: crio-<id>)
 *
 * with <qos> burstable or besteffort, and no qos level for guaranteed pods;
 * <runtime> cri-containerd, crio or docker. The kubepods root may sit deeper
 * (kind, nested kubelets), so the tree is walked, depth-limited, for pod
 * directories. Both the cgroup2 tree and the v1 cpu hierarchy are scanned
 * and merged: hybrid hosts have a pod in both, v1-only hosts only in v1.
 *
 * IDs are the ones `kubectl get pod -o jsonpath` prints: the pod UID with
 * dashes, container IDs with or without their "containerd://" prefix. */
#ifndef PODFLAME_PODS_H
#define PODFLAME_PODS_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"
#include "cgroup_cpu.h"

enum pod_qos { POD_QOS_GUARANTEED, POD_QOS_BURSTABLE, POD_QOS_BESTEFFORT };
enum pod_driver { POD_DRIVER_CGROUPFS, POD_DRIVER_SYSTEMD };
/* Which hierarchy a path is in. */
enum pod_tree { POD_TREE_V2, POD_TREE_V1_CPU, POD_TREE__COUNT };

#define POD_UID_MAX 36 /* 8-4-4-4-12; static pods: 32 hex */
#define POD_ID_MAX 64

struct pod_container {
	char id[POD_ID_MAX + 1]; /* lower-case hex */
	char runtime[16]; /* "cri-containerd", "crio", "docker"; "" when the name has none */
	char *path[POD_TREE__COUNT]; /* absolute directory, NULL when absent there */
};

struct pod {
	char uid[POD_UID_MAX + 1]; /* with dashes */
	enum pod_qos qos;
	enum pod_driver driver;
	char *path[POD_TREE__COUNT];
	struct pod_container *containers; /* sorted by id */
	size_t ncontainers;
};

struct pods;

/* Scans the cgroup2 mount and the v1 cpu hierarchy of m. NULL + errno
 * (ENOMEM); an unreadable or absent tree just contributes nothing. */
struct pods *pods__scan(const struct cgroup_mounts *m);
/* An empty list, then trees added one by one (tests). */
struct pods *pods__new(void);
int pods__scan_tree(struct pods *p, const char *root, enum pod_tree tree);
void pods__free(struct pods *p);

/* Pods sorted by UID. Pointers stay valid until pods__free. */
size_t pods__count(const struct pods *p);
const struct pod *pods__at(const struct pods *p, size_t i);

/* A pod by UID: the full UID (dashes or underscores, any case) or a unique
 * prefix of >= 8 characters. -ENOENT none, -ENOTUNIQ several (then *out is
 * the first match, for listing). */
int pods__find_pod(const struct pods *p, const char *uid, const struct pod **out);
/* A container by ID: "containerd://<hex>", "cri-o://..", "docker://.." or
 * bare hex, full or a prefix of >= 12 hex digits. -EINVAL not such an ID,
 * -ENOENT none, -ENOTUNIQ several. */
int pods__find_container(const struct pods *p, const char *id, const struct pod **pod,
			 const struct pod_container **c);

/* Name parsers, exposed for tests. 0 or -EINVAL. */
int pods__parse_pod_dir(const char *name, char uid[POD_UID_MAX + 1], enum pod_driver *driver);
int pods__parse_container_dir(const char *name, char id[POD_ID_MAX + 1], char runtime[16]);
/* A user's container ID to bare lower-case hex. -EINVAL. */
int pods__normalize_container_id(const char *arg, char hex[POD_ID_MAX + 1]);

/* Where the cgroup at path[] (a pod's or a container's) keeps its CPU
 * limit: the v1 cpu hierarchy when the cgroup is there, else cgroup2; the
 * cpuset directory at the same place in the cpuset hierarchy. -ENOENT when
 * neither path is set. */
int pods__cpu_dirs(const struct cgroup_mounts *m, char *const path[POD_TREE__COUNT],
		   struct cpu_cgroup_dirs *d);
/* The directory to list processes from: cgroup2's, else v1 cpu's. */
const char *pods__procs_dir(char *const path[POD_TREE__COUNT]);

const char *pod_qos__name(enum pod_qos q);
const char *pod_driver__name(enum pod_driver d);

#endif
