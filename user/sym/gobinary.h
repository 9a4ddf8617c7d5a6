/* Go-specific facts of one ELF binary: its .gopclntab (functions, file:line,
 * inline tree, SP deltas) and its build info (Go version, main module, deps).
 * Works on stripped, PIE, cgo and externally linked binaries. All addresses
 * are ELF virtual addresses (as addr2line takes them). */
#ifndef PODFLAME_GOBINARY_H
#define PODFLAME_GOBINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "sym/elfimage.h"

struct gobinary;

/* NULL + errno: ENOENT when img has no Go pclntab (not a Go binary),
 * EBADMSG when the table is there but corrupt (or, Go 1.18+, nothing says
 * where Go's text starts), ENOMEM. img must outlive the
 * returned object; names and files point into img's bytes. */
struct gobinary *gobinary__open(const struct elfimage *img);
/* The same, plus a sentence on what was wrong when it fails ("corrupt
 * .gopclntab: function table entry 12 out of order") in err[0..errlen). */
struct gobinary *gobinary__open_err(const struct elfimage *img, char *err, size_t errlen);
void gobinary__free(struct gobinary *gb);

/* Lookups extend an index of the pc tables inside gb: use a gobinary from
 * one thread at a time. */

/* Frames at vaddr, innermost (inlined) first, into frames[0..cap); returns
 * the number written (>= 1), -ENOENT when vaddr is in no Go function,
 * -EBADMSG when the table is corrupt for that function. kind is FRAME_GO.
 * A chain longer than cap keeps its innermost cap-1 frames and, last, the
 * function that holds the code. */
int gobinary__resolve(const struct gobinary *gb, uint64_t vaddr, struct sym_frame *frames,
		      size_t cap);

/* The function containing vaddr: [entry, end) and its name. -ENOENT. */
int gobinary__func_bounds(const struct gobinary *gb, uint64_t vaddr, uint64_t *entry, uint64_t *end,
			  const char **name);

/* SP delta at vaddr from the pcsp table: bytes the function has pushed or
 * subtracted from SP at that PC (0 at entry, and throughout a frameless
 * function). -ENOENT outside Go functions, -EBADMSG corrupt. */
int gobinary__sp_delta(const struct gobinary *gb, uint64_t vaddr, int32_t *delta);

/* How the tables were found, for `symbolize --info` and for tests. The
 * strings are static or valid until gobinary__free. */
struct gobinary_info {
	const char *format; /* "go1.2", "go1.16", "go1.18", "go1.20" */
	const char *pclntab_source; /* "section .gopclntab", "symbol runtime.pclntab", "scan" */
	uint64_t pclntab_vaddr;
	size_t pclntab_size;
	size_t nfuncs;
	uint64_t text_start;
	/* "moduledata", "symbol runtime.text", "pclntab header", "entries"
	 * (Go < 1.18 tables hold absolute PCs), ".text section" (a guess) */
	const char *text_source;
	uint64_t moduledata; /* 0 when not found */
	bool inline_frames; /* the inline tree is readable */
	/* "section .go.buildinfo", "scan", "runtime version string", NULL */
	const char *buildinfo_source;
	size_t index_bytes; /* allocated beside the mapped file, now */
};
void gobinary__info(const struct gobinary *gb, struct gobinary_info *info);

/* Function i in address order (i < nfuncs in the info): -ERANGE. */
int gobinary__func(const struct gobinary *gb, size_t i, uint64_t *entry, uint64_t *end,
		   const char **name);

/* Build info; NULL when absent. Strings valid until gobinary__free. */
const char *gobinary__go_version(const struct gobinary *gb); /* "go1.21.3" */
const char *gobinary__main_module(const struct gobinary *gb); /* "example.com/app" */
/* True when the binary's build info lists module path as a dependency. */
bool gobinary__has_dep(const struct gobinary *gb, const char *module_path);
/* A build setting ("-ldflags", "DefaultGODEBUG", "GOARCH"...), or NULL. */
const char *gobinary__build_setting(const struct gobinary *gb, const char *key);
/* The main package path ("cmd/compile"), or NULL. */
const char *gobinary__main_path(const struct gobinary *gb);
/* All of the build info (dependencies, settings), or NULL; valid until
 * gobinary__free. See sym/gobuildinfo.h. */
const struct gobuildinfo *gobinary__buildinfo(const struct gobinary *gb);

#endif
