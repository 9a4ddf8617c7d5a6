/* Test workload: spins on CPU in known functions for a wall-clock time.
 * Built with frame pointers and no inlining so every stack is
 * main/thread -> podflame_spin_middle -> podflame_spin_leaf.
 *   spin [-s SECONDS] [-t THREADS] [-w SECONDS_BEFORE_START] [-x PROGRAM]
 * -x: after spinning, exec PROGRAM -s SECONDS (same pid, new binary).
 * -v N: reach the leaf through 0..N-1 levels of recursion in turn, so the
 *       process has N distinct stacks (to fill small maps on purpose).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double seconds = 3.0;
/* One deadline for all threads, so creating many of them under load does
 * not stretch the run. */
static double deadline;
static int variety;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) unsigned long podflame_spin_leaf(unsigned long x)
{
	int i;

	for (i = 0; i < 200000; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return x;
}

__attribute__((noinline)) unsigned long podflame_spin_recurse(int depth, unsigned long x)
{
	if (depth <= 0)
		return podflame_spin_leaf(x);
	return podflame_spin_recurse(depth - 1, x) + 1;
}

__attribute__((noinline)) unsigned long podflame_spin_middle(unsigned long x)
{
	int turn = 0;

	/* A clock read per ~0.2 ms of work keeps the vdso out of most samples. */
	while (now() < deadline) {
		if (variety)
			x = podflame_spin_recurse(turn++ % variety, x);
		else
			x = podflame_spin_leaf(x);
	}
	return x;
}

static void *thread_main(void *arg)
{
	unsigned long x = podflame_spin_middle((unsigned long)arg);

	return (void *)x;
}

int main(int argc, char **argv)
{
	int threads = 1, opt, i;
	double wait = 0;
	const char *then_exec = NULL;
	pthread_t *tids;

	while ((opt = getopt(argc, argv, "s:t:w:x:v:")) != -1) {
		if (opt == 's')
			seconds = atof(optarg);
		else if (opt == 't')
			threads = atoi(optarg);
		else if (opt == 'w')
			wait = atof(optarg);
		else if (opt == 'x')
			then_exec = optarg;
		else if (opt == 'v')
			variety = atoi(optarg);
		else
			return 2;
	}
	if (threads < 1 || threads > 4096)
		return 2;
	tids = calloc((size_t)threads, sizeof(*tids));
	if (!tids)
		return 1;
	if (wait > 0)
		usleep((useconds_t)(wait * 1e6));
	deadline = now() + seconds;
	for (i = 1; i < threads; i++)
		pthread_create(&tids[i], NULL, thread_main, (void *)(long)i);
	printf("%lu\n", podflame_spin_middle(0) & 1);
	for (i = 1; i < threads; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	if (then_exec) {
		char secs[32];

		snprintf(secs, sizeof(secs), "%g", seconds);
		fflush(stdout);
		execl(then_exec, then_exec, "-s", secs, (char *)NULL);
		return 127;
	}
	return 0;
}
