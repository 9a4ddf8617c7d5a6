/* Benchmark baseline: the kernel's sampling interrupt and nothing else.
 * Opens a cpu-clock sampling event on every online CPU at -F Hz, as record
 * and perf record do, but with no ring buffer, so each sample costs only
 * the timer interrupt and the kernel's overflow path. A profiler's slowdown
 * of a workload can be no lower than this one's; the difference is the
 * profiler's own.
 * -b attaches a BPF program that does nothing (named pf_empty): its
 * run_time_ns / run_cnt is what the kernel's accounting reads for a
 * program with no work at all, the floor under record's own figure.
 * -G samples only the tasks of one cgroup (v2 directory), as record
 * --cgroup and perf record -G do.
 *   timer_floor [-F HZ] [-b] [-G DIR]     runs until SIGINT or SIGTERM
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* r0 = 0; exit */
static int load_empty_program(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_PERF_EVENT;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (unsigned long)"GPL";
	strcpy(attr.prog_name, "pf_empty");
	return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.size = sizeof(attr),
		.sample_freq = 99,
		.freq = 1,
	};
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN), cpu;
	sigset_t wait_for;
	int opt, sig, prog = -1, cgroup = -1;
	unsigned long flags = PERF_FLAG_FD_CLOEXEC;

	while ((opt = getopt(argc, argv, "F:bG:")) != -1) {
		if (opt == 'G') {
			cgroup = open(optarg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (cgroup < 0) {
				fprintf(stderr, "timer_floor: %s: %s\n", optarg, strerror(errno));
				return 1;
			}
			flags |= PERF_FLAG_PID_CGROUP;
		} else if (opt == 'F') {
			attr.sample_freq = strtoul(optarg, NULL, 10);
		} else if (opt == 'b') {
			prog = load_empty_program();
			if (prog < 0) {
				fprintf(stderr, "timer_floor: loading the empty BPF program: %s\n",
					strerror(errno));
				return 1;
			}
		} else {
			fprintf(stderr, "usage: timer_floor [-F HZ] [-b] [-G CGROUP_DIR]\n");
			return 2;
		}
	}
	sigemptyset(&wait_for);
	sigaddset(&wait_for, SIGINT);
	sigaddset(&wait_for, SIGTERM);
	sigprocmask(SIG_BLOCK, &wait_for, NULL);
	for (cpu = 0; cpu < ncpus; cpu++) {
		int fd = (int)syscall(__NR_perf_event_open, &attr, cgroup, (int)cpu, -1, flags);

		if (fd < 0 || (prog >= 0 && ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog) < 0)) {
			fprintf(stderr, "timer_floor: perf event on CPU %ld: %s\n", cpu,
				strerror(errno));
			return 1;
		}
	}
	sigwait(&wait_for, &sig);
	return 0;
}
