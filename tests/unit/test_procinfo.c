/* /proc readers: environment lookup, stat times, and this process's own. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "procinfo.h"

static void looks_up_environment(void)
{
	static const char env[] = "PATH=/bin\0GOMAXPROCS=64\0BROKEN\0GODEBUG=a=1,b=2\0"
				  "GOMAXPROCS=2\0EMPTY=\0";
	struct procenv e;

	REQUIRE(procenv__from(env, sizeof(env) - 1, &e) == 0);
	CHECK_STR_EQ(procenv__get(&e, "GOMAXPROCS"), "64"); /* first wins, like getenv */
	CHECK_STR_EQ(procenv__get(&e, "GODEBUG"), "a=1,b=2");
	CHECK_STR_EQ(procenv__get(&e, "EMPTY"), "");
	CHECK(procenv__get(&e, "BROKEN") == NULL);
	CHECK(procenv__get(&e, "GOMAX") == NULL);
	CHECK(procenv__get(&e, "PATH=") == NULL);
	procenv__release(&e);
	/* An unterminated last entry is still found, and never read past. */
	REQUIRE(procenv__from("A=1\0B=22", 8, &e) == 0);
	CHECK_STR_EQ(procenv__get(&e, "B"), "22");
	procenv__release(&e);
}

static void parses_stat_times(void)
{
	uint64_t ut, st;

	CHECK_INT_EQ(procinfo__parse_stat_times("42 (a) b (c)) S 1 42 42 0 -1 4194304 100 0 0 0 "
						"1234 567 0 0 20 0 1 0",
						&ut, &st),
		     0);
	CHECK_INT_EQ(ut, 1234);
	CHECK_INT_EQ(st, 567);
	CHECK_INT_EQ(procinfo__parse_stat_times("42 (x) S 1", &ut, &st), -EINVAL);
	CHECK_INT_EQ(procinfo__parse_stat_times("no paren", &ut, &st), -EINVAL);
}

static void reads_own_process(void)
{
	char comm[32];
	unsigned threads = 0, cpus = 0;
	double secs = -1;
	struct procenv e;

	CHECK_INT_EQ(procinfo__comm(getpid(), comm, sizeof(comm)), 0);
	CHECK_STR_EQ(comm, "test_procinfo");
	CHECK_INT_EQ(procinfo__threads(getpid(), &threads), 0);
	CHECK_INT_EQ(threads, 1);
	CHECK_INT_EQ(procinfo__affinity(getpid(), &cpus), 0);
	CHECK(cpus >= 1 && cpus <= (unsigned)sysconf(_SC_NPROCESSORS_CONF));
	CHECK_INT_EQ(procinfo__cpu_seconds(getpid(), &secs), 0);
	CHECK(secs >= 0);
	REQUIRE(procenv__read(getpid(), &e) == 0);
	CHECK(procenv__get(&e, "PATH") != NULL || procenv__get(&e, "HOME") != NULL);
	procenv__release(&e);
	CHECK(procinfo__comm(0, comm, sizeof(comm)) == -EINVAL);
}

int main(void)
{
	CHECK_BEGIN("procinfo");
	RUN(looks_up_environment);
	RUN(parses_stat_times);
	RUN(reads_own_process);
	return CHECK_END();
}
