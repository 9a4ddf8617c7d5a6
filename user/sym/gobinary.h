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
 * EBADMSG when the table is there but corrupt, ENOMEM. img must outlive the
 * returned object; names and files point into img's bytes. */
struct gobinary *gobinary__open(const struct elfimage *img);
void gobinary__free(struct gobinary *gb);

/* Frames at vaddr, innermost (inlined) first, into frames[0..cap); returns
 * the number written (>= 1), -ENOENT when vaddr is in no Go function,
 * -EBADMSG when the table is corrupt for that function. kind is FRAME_GO. */
int gobinary__resolve(const struct gobinary *gb, uint64_t vaddr, struct sym_frame *frames,
		      size_t cap);

/* The function containing vaddr: [entry, end) and its name. -ENOENT. */
int gobinary__func_bounds(const struct gobinary *gb, uint64_t vaddr, uint64_t *entry,
			  uint64_t *end, const char **name);

/* SP delta at vaddr from the pcsp table: bytes the function has pushed or
 * subtracted from SP at that PC (0 at entry, and throughout a frameless
 * function). -ENOENT outside Go functions, -EBADMSG corrupt. */
int gobinary__sp_delta(const struct gobinary *gb, uint64_t vaddr, int32_t *delta);

/* Build info; NULL when absent. Strings valid until gobinary__free. */
const char *gobinary__go_version(const struct gobinary *gb); /* "go1.21.3" */
const char *gobinary__main_module(const struct gobinary *gb); /* "example.com/app" */
/* True when the binary's build info lists module path as a dependency. */
bool gobinary__has_dep(const struct gobinary *gb, const char *module_path);
/* A build setting ("-ldflags", "DefaultGODEBUG", "GOARCH"...), or NULL. */
const char *gobinary__build_setting(const struct gobinary *gb, const char *key);

#endif
