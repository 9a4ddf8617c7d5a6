#include <errno.h>

#include "cgroup.h"
#include "check.h"

static const char hybrid[] =
	"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu\n"
	"32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
	"33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
	"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

static const char pure_v2[] =
	"25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
	"26 1 0:23 / /mnt/with\\040space rw - ext4 /dev/x rw\n";

static void finds_mounts(void)
{
	struct cgroup_mounts m;

	CHECK_INT_EQ(cgroup_mounts__parse(&m, hybrid, sizeof(hybrid) - 1), 0);
	CHECK_STR_EQ(m.v2, "/sys/fs/cgroup/unified");
	CHECK_STR_EQ(m.v1_cpu, "/sys/fs/cgroup/cpu"); /* not cpuacct */
	CHECK_STR_EQ(m.v1_cpuset, "/sys/fs/cgroup/cpuset");
	CHECK_INT_EQ(cgroup_mounts__parse(&m, pure_v2, sizeof(pure_v2) - 1), 0);
	CHECK_STR_EQ(m.v2, "/sys/fs/cgroup");
	CHECK_STR_EQ(m.v1_cpu, "");
	CHECK_INT_EQ(cgroup_mounts__parse(&m, "garbage\n", 8), -ENOENT);
}

static void decodes_escaped_mount_points(void)
{
	static const char text[] = "40 30 0:37 / /sys/fs/my\\040cg rw - cgroup2 cgroup2 rw\n";
	struct cgroup_mounts m;

	CHECK_INT_EQ(cgroup_mounts__parse(&m, text, sizeof(text) - 1), 0);
	CHECK_STR_EQ(m.v2, "/sys/fs/my cg");
}

static void resolves_paths(void)
{
	struct cgroup_mounts m = { .v2 = "/proc" };
	char abs[PATH_MAX];

	CHECK_INT_EQ(cgroup__resolve_v2(&m, "self", abs, sizeof(abs)), 0);
	CHECK_STR_EQ(abs, "/proc/self");
	CHECK_INT_EQ(cgroup__resolve_v2(&m, "/proc/self/", abs, sizeof(abs)), 0);
	CHECK_STR_EQ(abs, "/proc/self");
	CHECK_INT_EQ(cgroup__resolve_v2(&m, "/etc", abs, sizeof(abs)), -EXDEV);
	CHECK_INT_EQ(cgroup__resolve_v2(&m, "/procfoo", abs, sizeof(abs)), -EXDEV);
	CHECK_INT_EQ(cgroup__resolve_v2(&m, "nonexistent-x", abs, sizeof(abs)), -ENOENT);
	CHECK_INT_EQ(cgroup__resolve_v2(&m, "self/status", abs, sizeof(abs)), -ENOTDIR);
	m.v2[0] = '\0';
	CHECK_INT_EQ(cgroup__resolve_v2(&m, "x", abs, sizeof(abs)), -ENODEV);
}

static void parses_cpu_stat(void)
{
	struct cgroup_cpu_stat st;

	CHECK_INT_EQ(cgroup__parse_cpu_stat("usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n"
					    "nr_periods 10\nnr_throttled 4\nthrottled_usec 123\n",
					    &st),
		     0);
	CHECK_INT_EQ(st.usage_usec, 1500);
	CHECK_INT_EQ(st.nr_throttled, 4);
	CHECK_INT_EQ(st.throttled_usec, 123);
	CHECK(st.has_throttling);
	CHECK_INT_EQ(cgroup__parse_cpu_stat("usage_usec 7\nuser_usec 7\nsystem_usec 0\n", &st), 0);
	CHECK(!st.has_throttling);
	CHECK_INT_EQ(cgroup__parse_cpu_stat("nonsense\n", &st), -EINVAL);
}

int main(void)
{
	CHECK_BEGIN("cgroup");
	RUN(finds_mounts);
	RUN(decodes_escaped_mount_points);
	RUN(resolves_paths);
	RUN(parses_cpu_stat);
	return CHECK_END();
}
