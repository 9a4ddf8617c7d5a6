/* Symbols of one binary: its Go pclntab when it has one (names, inlining,
 * file:line), else its ELF function symbols. Addresses are ELF virtual
 * addresses. */
#ifndef PODFLAME_BINARY_H
#define PODFLAME_BINARY_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "sym/elfimage.h"
#include "sym/gobinary.h"

struct binsym;

/* Opens the ELF file behind fd (fd may be closed after). NULL + errno
 * (ENOEXEC not ELF, EBADMSG corrupt, ...). path is kept for display. */
struct binsym *binsym__open_fd(int fd, const char *path);
/* Takes ownership of img (tests, the vdso). */
struct binsym *binsym__open_image(struct elfimage *img, const char *path);
void binsym__free(struct binsym *bin);

/* Frames at vaddr, innermost first: >= 1, or -ENOENT. Go frames first; a
 * PC outside Go code (cgo, libc linked in) falls back to ELF symbols. */
int binsym__resolve(const struct binsym *bin, uint64_t vaddr, struct sym_frame *frames, size_t cap);
/* Maps a file offset (from /proc/PID/maps) to an ELF virtual address. */
int binsym__offset_to_vaddr(const struct binsym *bin, uint64_t offset, uint64_t *vaddr);

const char *binsym__path(const struct binsym *bin);
/* Lower-case hex build id, or "" when the binary has none. */
const char *binsym__build_id(const struct binsym *bin);
/* NULL for non-Go binaries. */
const struct gobinary *binsym__go(const struct binsym *bin);
/* Why binsym__go() is NULL: -ENOENT (not Go) or the reader's error, e.g.
 * -EBADMSG for a corrupt table (ELF symbols are used instead). */
int binsym__go_error(const struct binsym *bin);
const struct elfimage *binsym__image(const struct binsym *bin);

#endif
