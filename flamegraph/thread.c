#include <errno.h>
#include <signal.h>

#include "thread.h"

int fg_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	/* The new thread inherits the mask in force when it is created. */
	sigfillset(&all);
	err = pthread_sigmask(SIG_BLOCK, &all, &old);
	if (err)
		return -err;
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}
