#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "podfacts.h"

static int gather_group(struct cgroup_facts *g, const struct cgroup_mounts *m,
			char *const path[POD_TREE__COUNT], bool per_process, size_t max_pids)
{
	struct cpu_cgroup_dirs dirs;
	const char *procs = pods__procs_dir(path);
	int *pids = NULL;
	size_t npids = 0, i;
	int err;

	g->path = path;
	g->limit_error = pods__cpu_dirs(m, path, &dirs);
	if (!g->limit_error)
		g->limit_error = cpu_limit__read(&dirs, &g->limit);
	if (!procs)
		return 0;
	err = cgroup__pids(procs, &pids, &npids, max_pids);
	if (err == -ENOMEM)
		return err;
	g->npids = npids;
	if (per_process && npids) {
		g->facts = calloc(npids, sizeof(*g->facts));
		if (!g->facts) {
			free(pids);
			return -ENOMEM;
		}
		/* A process that exits meanwhile is simply not listed. */
		for (i = 0; i < npids; i++)
			if (!proc_facts__gather(pids[i], m, &g->facts[g->nfacts]))
				g->nfacts++;
	}
	free(pids);
	return 0;
}

static int gather_pod(struct pod_facts *p, const struct cgroup_mounts *m, const struct pod *pod,
		      const struct pod_container *only_ctr, size_t max_pids)
{
	size_t j;
	int err;

	p->pod = pod;
	err = gather_group(&p->group, m, pod->path, false, max_pids);
	if (err)
		return err;
	p->containers = calloc(pod->ncontainers ? pod->ncontainers : 1, sizeof(*p->containers));
	if (!p->containers)
		return -ENOMEM;
	for (j = 0; j < pod->ncontainers; j++) {
		const struct pod_container *c = &pod->containers[j];
		struct container_facts *cf = &p->containers[p->ncontainers];

		if (only_ctr && c != only_ctr)
			continue;
		cf->ctr = c;
		p->ncontainers++;
		err = gather_group(&cf->group, m, c->path, true, max_pids);
		if (err)
			return err;
	}
	return 0;
}

int pods_facts__gather(struct pods_facts *pf, const struct cgroup_mounts *m,
		       const struct pods *pods, const struct pod *only_pod,
		       const struct pod_container *only_ctr, size_t max_pids)
{
	size_t i, n = pods__count(pods);
	int err = 0;

	memset(pf, 0, sizeof(*pf));
	pf->pods = calloc(n ? n : 1, sizeof(*pf->pods));
	if (!pf->pods)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		const struct pod *pod = pods__at(pods, i);

		if (only_pod && pod != only_pod)
			continue;
		err = gather_pod(&pf->pods[pf->npods++], m, pod, only_ctr, max_pids);
	}
	if (err)
		pods_facts__release(pf);
	return err;
}

void pods_facts__release(struct pods_facts *pf)
{
	size_t i, j;

	for (i = 0; i < pf->npods; i++) {
		for (j = 0; j < pf->pods[i].ncontainers; j++)
			free(pf->pods[i].containers[j].group.facts);
		free(pf->pods[i].containers);
		free(pf->pods[i].group.facts);
	}
	free(pf->pods);
	memset(pf, 0, sizeof(*pf));
}
