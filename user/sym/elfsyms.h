/* Function symbols of an ELF image (.symtab, else .dynsym), sorted for
 * address lookup. Names point into the image and stay valid while it lives. */
#ifndef PODFLAME_ELFSYMS_H
#define PODFLAME_ELFSYMS_H

#include <stddef.h>
#include <stdint.h>

#include "sym/elfimage.h"

struct elfsyms;

/* NULL + errno: ENOENT when the image has no function symbols at all,
 * ENOMEM. */
struct elfsyms *elfsyms__load(const struct elfimage *img);
void elfsyms__free(struct elfsyms *syms);

/* The function containing vaddr (an ELF virtual address): by its size when
 * the symbol has one, else up to the next symbol. -ENOENT otherwise. */
int elfsyms__resolve(const struct elfsyms *syms, uint64_t vaddr, const char **name,
		     uint64_t *offset);
/* Address of the first symbol with this exact name; -ENOENT. */
int elfsyms__lookup_name(const struct elfsyms *syms, const char *name, uint64_t *vaddr);
size_t elfsyms__count(const struct elfsyms *syms);

#endif
