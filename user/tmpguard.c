#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tmpguard.h"

#define MAX_GUARDED 8

/* Command-layer state: read from the signal handler, so plain arrays and
 * sig_atomic_t flags, no pointers into memory that may be freed. */
static char guarded_path[MAX_GUARDED][PATH_MAX + 64];
static volatile sig_atomic_t guarded_armed[MAX_GUARDED];
static volatile sig_atomic_t handlers_installed;

static void on_fatal_signal(int sig)
{
	int i;

	for (i = 0; i < MAX_GUARDED; i++)
		if (guarded_armed[i])
			unlink(guarded_path[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fatal_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

static void install(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal };

	if (handlers_installed)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	handlers_installed = 1;
}

int tmpguard__open(struct outfile *out, const char *path)
{
	sigset_t held, old;
	int err, i;

	fatal_signals(&held);
	sigprocmask(SIG_BLOCK, &held, &old);
	install();
	err = outfile__open(out, path);
	if (!err && out->tmp_path && strlen(out->tmp_path) < sizeof(guarded_path[0])) {
		for (i = 0; i < MAX_GUARDED && guarded_armed[i]; i++)
			;
		if (i < MAX_GUARDED) {
			strcpy(guarded_path[i], out->tmp_path);
			guarded_armed[i] = 1;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}

static void unregister(const struct outfile *out)
{
	int i;

	if (!out->tmp_path)
		return;
	for (i = 0; i < MAX_GUARDED; i++)
		if (guarded_armed[i] && !strcmp(guarded_path[i], out->tmp_path))
			guarded_armed[i] = 0;
}

int tmpguard__commit(struct outfile *out)
{
	sigset_t held, old;
	int err;

	/* Held across the rename: a signal after it must not unlink a path
	 * that no longer exists under that name (harmless) or before it
	 * leave the file (the handler still knows it). */
	fatal_signals(&held);
	sigprocmask(SIG_BLOCK, &held, &old);
	unregister(out);
	err = outfile__commit(out);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}

void tmpguard__abort(struct outfile *out)
{
	unregister(out);
	outfile__abort(out);
}
