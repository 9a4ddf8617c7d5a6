/* podflame targets: the pods and containers on this node, their cgroups,
 * CPU limits and processes, and for Go processes the version and
 * GOMAXPROCS against the recommended value. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "commands.h"
#include "errmsg.h"
#include "json.h"
#include "pods.h"
#include "procfacts.h"
#include "podfacts.h"
#include "recording.h"

/* A container with hundreds of processes is listed, but not inspected
 * process by process past this. */
#define MAX_PIDS 4096

struct targets_args {
	const char *pod, *container;
	bool json;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame targets [--pod UID | --container ID] [--json]\n"
		"\n"
		"List the Kubernetes pods and containers on this node from their cgroups\n"
		"(kubelet systemd and cgroupfs drivers, cgroup v2 and v1): cgroup paths, CPU\n"
		"limit, processes, and for Go processes the Go version and GOMAXPROCS\n"
		"(observed or inferred) against the recommended max(1, floor(limit)).\n"
		"\n"
		"options:\n"
		"      --pod UID          only this pod (UID as kubectl prints it, or a prefix)\n"
		"      --container ID     only this container (containerd://..., or >= 12 hex)\n"
		"      --json             machine-readable output\n"
		"  -h, --help             this help\n");
}

static int parse_args(int argc, char **argv, struct targets_args *a, bool *help)
{
	static const struct option options[] = {
		{ "pod", required_argument, NULL, 'P' },
		{ "container", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'P': a->pod = optarg; break;
		case 'C': a->container = optarg; break;
		case 'j': a->json = true; break;
		case 'h': *help = true; return 0;
		default: usage(stderr); return PF_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pf_error("unexpected argument '%s' (see --help)", argv[optind]);
		return PF_EXIT_USAGE;
	}
	if (a->pod && a->container) {
		pf_error("--pod and --container exclude each other");
		return PF_EXIT_USAGE;
	}
	return 0;
}

static void json_str_or_null(FILE *out, const char *s)
{
	if (s)
		json__string(out, s);
	else
		fputs("null", out);
}

static void json_limit(FILE *out, const struct cpu_limit *l, int err)
{
	fputs("\"cpu_limit\":", out);
	if (err || !l->cpus)
		fputs("null", out);
	else
		json__number(out, l->cpus);
	fputs(",\"cpu_limit_dir\":", out);
	json_str_or_null(out, !err && l->tightest_dir[0] ? l->tightest_dir : NULL);
	fputs(",\"cpuset_cpus\":", out);
	json__number(out, err ? 0 : l->cpuset_cpus);
}

static void json_process(FILE *out, const struct proc_facts *f)
{
	fprintf(out, "{\"pid\":%d,\"comm\":", f->pid);
	json__string(out, f->comm);
	fprintf(out, ",\"threads\":%u,\"go\":%s", f->threads, f->go.is_go ? "true" : "false");
	if (f->go.is_go) {
		fputs(",\"go_version\":", out);
		json_str_or_null(out, f->go.version[0] ? f->go.version : NULL);
		fprintf(out, ",\"automaxprocs\":%s,\"gomaxprocs\":%u,\"gomaxprocs_source\":",
			f->go.automaxprocs ? "true" : "false", f->gomaxprocs.value);
		json__string(out, gomaxprocs_source__name(f->gomaxprocs.source));
		fprintf(out, ",\"gomaxprocs_observed\":%s,\"gomaxprocs_assumption\":",
			f->gomaxprocs.observed ? "true" : "false");
		if (proc_facts__gomaxprocs_assumption(f))
			json__string(out, proc_facts__gomaxprocs_assumption(f));
		else
			fputs("null", out);
	}
	fputs(",\"recommended_gomaxprocs\":", out);
	if (f->recommended)
		fprintf(out, "%u", f->recommended);
	else
		fputs("null", out);
	fputc('}', out);
}

static void json_group(FILE *out, const struct cgroup_facts *g)
{
	size_t i;

	fputs("\"cgroups\":{\"v2\":", out);
	json_str_or_null(out, g->path[POD_TREE_V2]);
	fputs(",\"v1_cpu\":", out);
	json_str_or_null(out, g->path[POD_TREE_V1_CPU]);
	fputs("},", out);
	json_limit(out, &g->limit, g->limit_error);
	fputs(",\"processes\":[", out);
	for (i = 0; i < g->nfacts; i++) {
		if (i)
			fputc(',', out);
		json_process(out, &g->facts[i]);
	}
	fprintf(out, "],\"pids\":%zu", g->npids);
}

static void print_json(FILE *out, const struct pods_facts *tl)
{
	size_t i, j;

	fputs("{\"pods\":[", out);
	for (i = 0; i < tl->npods; i++) {
		const struct pod_facts *p = &tl->pods[i];

		fprintf(out, "%s{\"uid\":", i ? "," : "");
		json__string(out, p->pod->uid);
		fprintf(out, ",\"qos\":\"%s\",\"driver\":\"%s\",", pod_qos__name(p->pod->qos),
			pod_driver__name(p->pod->driver));
		json_group(out, &p->group);
		fputs(",\"containers\":[", out);
		for (j = 0; j < p->ncontainers; j++) {
			const struct container_facts *c = &p->containers[j];

			fprintf(out, "%s{\"id\":", j ? "," : "");
			json__string(out, c->ctr->id);
			fputs(",\"runtime\":", out);
			json__string(out, c->ctr->runtime);
			fputc(',', out);
			json_group(out, &c->group);
			fputc('}', out);
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
}

static void text_paths(FILE *out, const struct cgroup_facts *g, const char *indent)
{
	if (g->path[POD_TREE_V2])
		fprintf(out, "%s%s\n", indent, g->path[POD_TREE_V2]);
	if (g->path[POD_TREE_V1_CPU])
		fprintf(out, "%s%s\n", indent, g->path[POD_TREE_V1_CPU]);
}

static const char *text_limit(const struct cgroup_facts *g, char *buf, size_t cap)
{
	const struct cpu_limit *l = &g->limit;

	if (g->limit_error)
		snprintf(buf, cap, "unknown (%s)", strerror(-g->limit_error));
	else if (!l->cpus)
		snprintf(buf, cap, "none");
	else if (cpu_quota__limited(&l->tightest) && cpu_quota__cpus(&l->tightest) <= l->cpus)
		snprintf(buf, cap, "%g CPU (%s %lld/%llu)", l->cpus,
			 l->version == 1 ? "cfs quota/period" : "cpu.max",
			 (long long)l->tightest.quota_us,
			 (unsigned long long)l->tightest.period_us);
	else
		snprintf(buf, cap, "%g CPU (cpuset)", l->cpus);
	return buf;
}

static void text_process(FILE *out, const struct proc_facts *f)
{
	char g[512];

	fprintf(out, "    pid %d  %s", f->pid, f->comm);
	if (f->go.is_go) {
		fprintf(out, "  %s%s  %s",
			f->go.version[0] ? f->go.version : "Go (version unknown)",
			f->go.automaxprocs ? " +automaxprocs" : "",
			proc_facts__describe_gomaxprocs(f, g, sizeof(g)));
		if (f->recommended)
			fprintf(out, "  recommended %u", f->recommended);
	}
	fprintf(out, "  %u threads\n", f->threads);
}

static void print_text(FILE *out, const struct pods_facts *tl)
{
	char lim[256];
	size_t i, j, k;

	for (i = 0; i < tl->npods; i++) {
		const struct pod_facts *p = &tl->pods[i];

		fprintf(out, "pod %s  %s, %s driver  cpu limit %s\n", p->pod->uid,
			pod_qos__name(p->pod->qos), pod_driver__name(p->pod->driver),
			text_limit(&p->group, lim, sizeof(lim)));
		text_paths(out, &p->group, "    ");
		for (j = 0; j < p->ncontainers; j++) {
			const struct container_facts *c = &p->containers[j];

			fprintf(out, "  container %s  %s  cpu limit %s  %zu process%s\n",
				c->ctr->id, c->ctr->runtime[0] ? c->ctr->runtime : "-",
				text_limit(&c->group, lim, sizeof(lim)), c->group.npids,
				c->group.npids == 1 ? "" : "es");
			text_paths(out, &c->group, "      ");
			for (k = 0; k < c->group.nfacts; k++)
				text_process(out, &c->group.facts[k]);
		}
	}
}

static int select_one(const struct targets_args *a, const struct pods *pods, const struct pod **pod,
		      const struct pod_container **ctr)
{
	int err;

	*pod = NULL;
	*ctr = NULL;
	if (a->pod)
		err = pods__find_pod(pods, a->pod, pod);
	else if (a->container)
		err = pods__find_container(pods, a->container, pod, ctr);
	else
		return 0;
	if (err)
		recording__report_lookup(pods, a->pod ? "--pod" : "--container",
					 a->pod ? a->pod : a->container, err);
	return err ? (err == -EINVAL ? PF_EXIT_USAGE : PF_EXIT_ERROR) : 0;
}

int cmd_targets(int argc, char **argv)
{
	struct targets_args a = { 0 };
	struct cgroup_mounts m;
	struct pods_facts tl;
	const struct pod *pod;
	const struct pod_container *ctr;
	struct pods *pods;
	bool help = false;
	int status, err;

	status = parse_args(argc, argv, &a, &help);
	if (status || help) {
		if (help)
			usage(stdout);
		return status;
	}
	recording__host_cgroup_view();
	err = cgroup_mounts__read(&m);
	if (err) {
		pf_error_errno(err,
			       "mount cgroupfs, or run where the host's /sys/fs/cgroup is visible",
			       "no cgroup filesystem in /proc/self/mountinfo");
		return PF_EXIT_ERROR;
	}
	pods = pods__scan(&m);
	if (!pods) {
		pf_error_errno(-errno, NULL, "scanning cgroups");
		return PF_EXIT_ERROR;
	}
	status = select_one(&a, pods, &pod, &ctr);
	if (!status) {
		err = pods_facts__gather(&tl, &m, pods, pod, ctr, MAX_PIDS);
		if (err) {
			pf_error_errno(err, NULL, "gathering the pods' processes");
			status = PF_EXIT_ERROR;
		} else {
			if (a.json)
				print_json(stdout, &tl);
			else if (!tl.npods)
				printf("no Kubernetes pods found under %s%s%s (kubepods cgroups of "
				       "the systemd or cgroupfs driver)\n",
				       m.v2[0] ? m.v2 : "", m.v2[0] && m.v1_cpu[0] ? " or " : "",
				       m.v1_cpu);
			else
				print_text(stdout, &tl);
			pods_facts__release(&tl);
			if (fflush(stdout) || ferror(stdout)) {
				pf_error_errno(-errno, NULL, "writing to stdout");
				status = PF_EXIT_ERROR;
			}
		}
	}
	pods__free(pods);
	return status;
}
