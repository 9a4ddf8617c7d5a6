#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "target.h"

void target__init(struct target *t)
{
	memset(t, 0, sizeof(*t));
	t->cgroup_fd = -1;
}

void target__release(struct target *t)
{
	if (t->cgroup_fd >= 0)
		close(t->cgroup_fd);
	free(t->pids);
	target__init(t);
}

static int choose(struct target *t, enum target_kind kind)
{
	if (t->kind != TARGET_NONE && t->kind != kind)
		return -EBUSY;
	t->kind = kind;
	return 0;
}

int target__set_all(struct target *t)
{
	return choose(t, TARGET_ALL);
}

int target__set_cgroup(struct target *t, const struct cgroup_mounts *m, const char *arg)
{
	char path[PATH_MAX];
	int err, fd;

	if (t->kind == TARGET_CGROUP)
		return -EBUSY; /* one cgroup per recording */
	err = choose(t, TARGET_CGROUP);
	if (err)
		return err;
	t->kind = TARGET_NONE;
	err = cgroup__resolve_v2(m, arg, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	t->kind = TARGET_CGROUP;
	t->cgroup_fd = fd;
	strcpy(t->cgroup_path, path);
	return 0;
}

int target__add_pid(struct target *t, int pid)
{
	int *pids;
	size_t i;
	int err;

	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, 0) && errno == ESRCH)
		return -ESRCH;
	err = choose(t, TARGET_PIDS);
	if (err)
		return err;
	for (i = 0; i < t->npids; i++)
		if (t->pids[i] == pid)
			return 0;
	pids = realloc(t->pids, (t->npids + 1) * sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	t->pids = pids;
	t->pids[t->npids++] = pid;
	return 0;
}

/* Alive and not a zombie: an exited child its parent has not reaped yet
 * has nothing left to sample. */
static bool pid_running(int pid)
{
	char path[64], *text, *state;
	bool running;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (fileio__slurp(path, &text, NULL, 1 << 16))
		return false;
	/* "pid (comm) S ...": comm may hold ')' so take the last one. */
	state = strrchr(text, ')');
	running = state && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
	free(text);
	return running;
}

bool target__alive(const struct target *t)
{
	struct stat st;
	size_t i;

	switch (t->kind) {
	case TARGET_CGROUP:
		/* An rmdir'ed cgroup leaves our fd open but unlinks the path. */
		return stat(t->cgroup_path, &st) == 0;
	case TARGET_PIDS:
		for (i = 0; i < t->npids; i++)
			if (pid_running(t->pids[i]))
				return true;
		return false;
	default: return true;
	}
}
