/* Helper threads of the flame-graph library. */
#ifndef PODFLAME_FG_THREAD_H
#define PODFLAME_FG_THREAD_H

#include <pthread.h>

/* pthread_create, with every signal blocked in the new thread: a signal
 * sent to the process then always reaches the caller's thread, where the
 * program handles it (a handler running on a helper would race with the
 * caller, e.g. one that blocks signals while it renames its output).
 * 0 or -errno. */
int fg_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
