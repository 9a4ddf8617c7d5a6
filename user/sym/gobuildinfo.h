/* Go build information: the Go version and the module list the toolchain
 * writes into .go.buildinfo (what `go version -m` prints), and, for the
 * binaries that have none (stripped of the section, or built outside the
 * go command), the runtime's own version string.
 *
 * Two blob layouts: Go 1.18+ keeps the strings inline after the 32-byte
 * header; older releases keep two pointers to Go string headers elsewhere
 * in memory, read through the caller's view. No ELF here: the caller hands
 * over bytes and a way to read memory by address. */
#ifndef PODFLAME_GOBUILDINFO_H
#define PODFLAME_GOBUILDINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A loaded range of the binary, for the readers that scan memory. */
struct gomem_region {
	const uint8_t *data;
	size_t size;
	uint64_t vaddr;
	bool writable;
	bool executable;
};

/* *p, *avail: the readable bytes at vaddr. 0 or -ENOENT. */
typedef int (*gomem_view_fn)(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail);

struct gobuildinfo;

/* Offset of the buildinfo magic ("\xff Go buildinf:") in data, which is at
 * vaddr; Go aligns it to 16 bytes. -ENOENT. */
int gobuildinfo__locate(const uint8_t *data, size_t size, uint64_t vaddr, size_t *offset);

/* Parses the blob at data[0..size) (the start of .go.buildinfo). view is
 * needed for the pre-1.18 pointer layout and may be NULL otherwise. NULL +
 * errno: ENOENT no magic, EBADMSG corrupt, ENOMEM. The result owns copies
 * of its strings. */
struct gobuildinfo *gobuildinfo__parse(const uint8_t *data, size_t size, gomem_view_fn view,
				       void *ctx);
/* Build info that is only a Go version (the runtime-string fallback). */
struct gobuildinfo *gobuildinfo__from_version(const char *version, size_t len);
void gobuildinfo__free(struct gobuildinfo *bi);

/* Strings stay valid until gobuildinfo__free; NULL when absent. */
const char *gobuildinfo__go_version(const struct gobuildinfo *bi); /* "go1.21.3" */
const char *gobuildinfo__path(const struct gobuildinfo *bi); /* main package: "cmd/compile" */
const char *gobuildinfo__main_module(const struct gobuildinfo *bi); /* "example.com/app" */
const char *gobuildinfo__main_version(const struct gobuildinfo *bi); /* "(devel)", "v1.2.3" */
size_t gobuildinfo__ndeps(const struct gobuildinfo *bi);
/* Dependency i in file order: module path and version. -ERANGE. */
int gobuildinfo__dep(const struct gobuildinfo *bi, size_t i, const char **path,
		     const char **version);
bool gobuildinfo__has_dep(const struct gobuildinfo *bi, const char *module_path);
size_t gobuildinfo__nsettings(const struct gobuildinfo *bi);
/* Build setting i ("-ldflags", "GOARCH", "vcs.revision"...), unquoted. */
int gobuildinfo__setting_at(const struct gobuildinfo *bi, size_t i, const char **key,
			    const char **value);
const char *gobuildinfo__setting(const struct gobuildinfo *bi, const char *key);

/* The minor release of a version string: 21 for "go1.21.3" or
 * "devel go1.21-abcdef"; 0 when it is not a Go 1.x version. */
unsigned gobuildinfo__go_minor(const char *version);

/* The runtime's version string (runtime.buildVersion) without symbols: a
 * "go1.N..." string in read-only memory that a Go string header (pointer,
 * length) in writable memory points at, length and all. *version points
 * into the region's bytes, *len its length (no NUL). -ENOENT. */
int gobuildinfo__find_runtime_version(const struct gomem_region *regions, size_t nregions,
				      unsigned ptrsize, bool big_endian, const char **version,
				      size_t *len);

#endif
