/* What a live process's binary says about its Go runtime: whether it is Go,
 * its Go version, whether it links go.uber.org/automaxprocs, its
 * DefaultGODEBUG, and — when the binary keeps its symbol table — the
 * runtime's current GOMAXPROCS read from the process's memory
 * (runtime.gomaxprocs, an int32 since Go 1.0), which beats any inference:
 * it sees runtime.GOMAXPROCS() calls, automaxprocs and Go 1.25's updates.
 * The binary is read through /proc/PID/exe, so binaries inside containers
 * and deleted ones work. */
#ifndef PODFLAME_GOPROC_H
#define PODFLAME_GOPROC_H

#include <stdbool.h>

#define AUTOMAXPROCS_MODULE "go.uber.org/automaxprocs"

struct goproc {
	bool is_go;
	char version[64]; /* "go1.21.3"; "" unknown */
	char default_godebug[512]; /* "" when absent */
	bool buildinfo; /* module build info was found (not just a version) */
	bool automaxprocs;
	bool gomaxprocs_read; /* gomaxprocs below came from memory */
	unsigned gomaxprocs;
	int mem_error; /* why memory was not read: -ENOENT no symbol, -EPERM... */
};

/* 0, or -errno when the executable cannot be opened or is not ELF
 * (out->is_go false). A Go binary whose memory cannot be read is still 0,
 * with gomaxprocs_read false and mem_error set. */
int goproc__inspect(int pid, struct goproc *out);

#endif
