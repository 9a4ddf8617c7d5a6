/* Test workload: spins on CPU in known functions for a wall-clock time.
 * Built with frame pointers and no inlining so every stack is
 * main/thread -> podflame_spin_middle -> podflame_spin_leaf.
 *   spin [-s SECONDS] [-t THREADS] [-w SECONDS_BEFORE_START]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double seconds = 3.0;

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

__attribute__((noinline)) unsigned long podflame_spin_middle(unsigned long x)
{
	double end = now() + seconds;

	/* A clock read per ~0.2 ms of work keeps the vdso out of most samples. */
	while (now() < end)
		x = podflame_spin_leaf(x);
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
	pthread_t tids[64];

	while ((opt = getopt(argc, argv, "s:t:w:")) != -1) {
		if (opt == 's')
			seconds = atof(optarg);
		else if (opt == 't')
			threads = atoi(optarg);
		else if (opt == 'w')
			wait = atof(optarg);
		else
			return 2;
	}
	if (threads < 1 || threads > 64)
		return 2;
	if (wait > 0)
		usleep((useconds_t)(wait * 1e6));
	for (i = 1; i < threads; i++)
		pthread_create(&tids[i], NULL, thread_main, (void *)(long)i);
	printf("%lu\n", podflame_spin_middle(0) & 1);
	for (i = 1; i < threads; i++)
		pthread_join(tids[i], NULL);
	return 0;
}
