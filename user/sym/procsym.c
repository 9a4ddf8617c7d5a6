#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "fileio.h"
#include "sym/perfmap.h"
#include "sym/procsym.h"

struct procsym {
	int pid;
	struct procmaps maps; /* executable mappings only */
	const struct binsym **bins; /* per mapping; NULL when unreadable */
	struct perfmap *jit; /* NULL when the process writes none */
	const struct binsym *main_bin;
};

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!*path)
		return "[anon]";
	return slash ? slash + 1 : path;
}

/* Opens the file behind a mapping. map_files works for deleted files and
 * for files in other mount namespaces; /proc/PID/root/<path> is the fallback
 * where map_files is not readable. */
static int open_mapping(int pid, const struct procmap *m)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if ((size_t)snprintf(path, sizeof(path), "/proc/%d/root%s", pid, m->path) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

/* The pid as the process itself sees it (last NSpid field): perf-PID.map
 * files are named with it. */
static int namespace_pid(int pid)
{
	char path[64], *text, *line;
	int nspid = pid;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (fileio__slurp(path, &text, NULL, 1 << 20))
		return pid;
	line = strstr(text, "\nNSpid:");
	if (line) {
		char *end = strchr(line + 1, '\n'), *last = NULL, *p;

		if (end)
			*end = '\0';
		for (p = line + 7; (p = strpbrk(p, "0123456789"));) {
			last = p;
			p += strspn(p, "0123456789");
		}
		if (last)
			nspid = atoi(last);
	}
	free(text);
	return nspid;
}

static void load_jit(struct procsym *ps, struct procsym_stats *stats)
{
	char path[PATH_MAX], *text;
	size_t len;
	uint64_t malformed = 0;

	snprintf(path, sizeof(path), "/proc/%d/root/tmp/perf-%d.map", ps->pid,
		 namespace_pid(ps->pid));
	if (fileio__slurp(path, &text, &len, 256u << 20)) {
		snprintf(path, sizeof(path), "/tmp/perf-%d.map", ps->pid);
		if (fileio__slurp(path, &text, &len, 256u << 20))
			return;
	}
	ps->jit = perfmap__parse(text, len, &malformed);
	stats->jit_malformed += malformed;
	free(text);
}

/* Only a Go main binary is ever asked for (its stack rules); a process
 * without one mapped is spared the readlink. */
static void find_main_binary(struct procsym *ps)
{
	char link[64], exe[PATH_MAX];
	bool any_go = false;
	ssize_t n;
	size_t i;

	for (i = 0; i < ps->maps.count && !any_go; i++)
		any_go = ps->bins[i] && binsym__go(ps->bins[i]);
	if (!any_go)
		return;

	snprintf(link, sizeof(link), "/proc/%d/exe", ps->pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
		exe[n - 10] = '\0';
	for (i = 0; i < ps->maps.count; i++) {
		if (ps->bins[i] && !strcmp(ps->maps.maps[i].path, exe)) {
			ps->main_bin = ps->bins[i];
			return;
		}
	}
}

struct procsym *procsym__snapshot(int pid, struct symcache *cache, const struct binsym *vdso,
				  struct procsym_stats *stats)
{
	struct procsym *ps = calloc(1, sizeof(*ps));
	bool anon_exec = false;
	size_t i;
	int err;

	if (!ps) {
		errno = ENOMEM;
		return NULL;
	}
	ps->pid = pid;
	err = procmaps__read_pid(&ps->maps, pid, true);
	if (err) {
		free(ps);
		errno = err == -ENOENT ? ESRCH : -err;
		return NULL;
	}
	stats->maps_malformed += ps->maps.malformed;
	ps->bins = calloc(ps->maps.count + 1, sizeof(*ps->bins));
	if (!ps->bins) {
		procsym__free(ps);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < ps->maps.count; i++) {
		const struct procmap *m = &ps->maps.maps[i];
		bool held;
		int fd;

		stats->mappings++;
		if (!strcmp(m->path, "[vdso]")) {
			ps->bins[i] = vdso;
			continue;
		}
		if (m->path[0] != '/') {
			anon_exec |= m->path[0] == '\0';
			continue;
		}
		/* Short-lived processes map the same few binaries again and
		 * again: known ones are found by identity, without an open. */
		if (!symcache__get_mapped(cache, m->dev_major, m->dev_minor, m->inode,
					  &ps->bins[i]))
			continue;
		fd = open_mapping(pid, m);
		if (fd < 0 || symcache__get_fd(cache, fd, m->path, &ps->bins[i], &held))
			stats->unreadable++;
		else if (held)
			symcache__note_mapped(cache, m->dev_major, m->dev_minor, m->inode,
					      ps->bins[i]);
		if (fd >= 0)
			close(fd);
	}
	if (anon_exec)
		load_jit(ps, stats);
	find_main_binary(ps);
	return ps;
}

void procsym__free(struct procsym *ps)
{
	if (!ps)
		return;
	perfmap__free(ps->jit);
	procmaps__release(&ps->maps);
	free(ps->bins);
	free(ps);
}

int procsym__addr_of(const struct procsym *ps, const struct binsym *bin, uint64_t vaddr,
		     uint64_t *addr)
{
	uint64_t offset;
	size_t i;

	if (elfimage__vaddr_to_offset(binsym__image(bin), vaddr, &offset))
		return -ENOENT;
	for (i = 0; i < ps->maps.count; i++) {
		const struct procmap *m = &ps->maps.maps[i];

		if (ps->bins[i] == bin && offset >= m->offset &&
		    offset - m->offset < m->end - m->start) {
			*addr = m->start + (offset - m->offset);
			return 0;
		}
	}
	return -ENOENT;
}

const struct binsym *procsym__main_binary(const struct procsym *ps)
{
	return ps->main_bin;
}

int procsym__locate(const struct procsym *ps, uint64_t addr, struct addr_location *loc)
{
	const struct procmap *m = procmaps__find(&ps->maps, addr);

	memset(loc, 0, sizeof(*loc));
	if (!m)
		return -ENOENT;
	loc->map = m;
	loc->bin = ps->bins[m - ps->maps.maps];
	loc->file_offset = addr - m->start + m->offset;
	loc->module = basename_of(m->path);
	if (loc->bin && binsym__offset_to_vaddr(loc->bin, loc->file_offset, &loc->vaddr))
		loc->bin = NULL; /* offset outside every PT_LOAD: no symbols */
	return 0;
}

int procsym__resolve(const struct procsym *ps, uint64_t addr, struct addr_location *loc,
		     struct sym_frame *frames, size_t cap)
{
	const char *name;
	int n;

	if (procsym__locate(ps, addr, loc))
		return -ENOENT;
	if (loc->bin) {
		n = binsym__resolve(loc->bin, loc->vaddr, frames, cap);
		if (n > 0)
			return n;
	}
	if (ps->jit && cap && !perfmap__resolve(ps->jit, addr, &name)) {
		frames[0] = (struct sym_frame){ .function = name, .kind = FRAME_JIT };
		return 1;
	}
	return 0;
}

static int vdso_size(uint64_t start, size_t *size)
{
	struct procmaps maps;
	size_t i;
	int err = procmaps__read_pid(&maps, getpid(), false);

	if (err)
		return err;
	err = -ENOENT;
	for (i = 0; i < maps.count; i++) {
		if (maps.maps[i].start == start && !strcmp(maps.maps[i].path, "[vdso]")) {
			*size = maps.maps[i].end - maps.maps[i].start;
			err = 0;
		}
	}
	procmaps__release(&maps);
	return err;
}

struct binsym *procsym__open_vdso(void)
{
	uint64_t start = getauxval(AT_SYSINFO_EHDR);
	struct elfimage *img;
	size_t size;
	int err;

	if (!start) {
		errno = ENOENT;
		return NULL;
	}
	err = vdso_size(start, &size);
	if (err) {
		errno = -err;
		return NULL;
	}
	img = elfimage__open_mem((const void *)(uintptr_t)start, size);
	return img ? binsym__open_image(img, "[vdso]") : NULL;
}
