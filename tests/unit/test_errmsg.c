#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "errmsg.h"

/* In a child: drops the given capabilities from the effective set, then
 * reports what pf_has_bpf_privileges() says (exit 1: privileged). */
static int privileged_without(const int *caps, int ncaps)
{
	pid_t pid = fork();
	int status, i;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct data[2];

		if (syscall(SYS_capget, &hdr, data))
			_exit(2);
		for (i = 0; i < ncaps; i++)
			data[caps[i] / 32].effective &= ~(1u << (caps[i] % 32));
		if (syscall(SYS_capset, &hdr, data))
			_exit(2);
		_exit(pf_has_bpf_privileges() ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The load error's advice rests on this: CAP_SYS_ADMIN, or CAP_BPF with
 * CAP_PERFMON, read from the process's effective set. */
static void privileges_follow_the_effective_set(void)
{
	static const int admin[] = { CAP_SYS_ADMIN };
	static const int admin_bpf[] = { CAP_SYS_ADMIN, CAP_BPF };
	static const int admin_perfmon[] = { CAP_SYS_ADMIN, CAP_PERFMON };
	static const int all[] = { CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON };

	if (geteuid() != 0) {
		check_skip("privileges_follow_the_effective_set",
			   "needs root to drop capabilities");
		return;
	}
	CHECK(pf_has_bpf_privileges());
	CHECK_INT_EQ(privileged_without(admin, 1), 1);
	CHECK_INT_EQ(privileged_without(admin_bpf, 2), 0);
	CHECK_INT_EQ(privileged_without(admin_perfmon, 2), 0);
	CHECK_INT_EQ(privileged_without(all, 3), 0);
}

int main(void)
{
	CHECK_BEGIN("test_errmsg");
	RUN(privileges_follow_the_effective_set);
	return CHECK_END();
}
