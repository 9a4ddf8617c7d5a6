#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sym/elfsyms.h"

struct elfsym {
	uint64_t addr, size;
	const char *name;
};

struct elfsyms {
	struct elfsym *syms;
	size_t count;
};

static bool wanted(const GElf_Sym *sym)
{
	int type = GELF_ST_TYPE(sym->st_info);

	return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym->st_shndx != SHN_UNDEF &&
	       sym->st_value != 0;
}

/* Appends the function symbols of one symbol-table section. */
static int collect(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct elfsyms *out)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n, i;
	struct elfsym *grown;

	if (!data || !sh->sh_entsize)
		return 0;
	/* libelf checked data against the file size, so n is bounded by it. */
	n = data->d_size / sh->sh_entsize;
	grown = realloc(out->syms, (out->count + n + 1) * sizeof(*out->syms));
	if (!grown)
		return -ENOMEM;
	out->syms = grown;
	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) || !wanted(&sym))
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		out->syms[out->count++] = (struct elfsym){ sym.st_value, sym.st_size, name };
	}
	return 0;
}

static int compare_sym(const void *a, const void *b)
{
	const struct elfsym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Among aliases prefer the sized, then global-looking (shorter) name. */
	if ((x->size != 0) != (y->size != 0))
		return x->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct elfsyms *elfsyms__load(const struct elfimage *img)
{
	static const Elf64_Word types[] = { SHT_SYMTAB, SHT_DYNSYM };
	Elf *elf = elfimage__elf(img);
	struct elfsyms *out = calloc(1, sizeof(*out));
	size_t t;
	int err = 0;

	if (!out) {
		errno = ENOMEM;
		return NULL;
	}
	/* .symtab is a superset of .dynsym when present; fall back otherwise. */
	for (t = 0; t < 2 && out->count == 0 && !err; t++) {
		Elf_Scn *scn = NULL;
		GElf_Shdr sh;

		while (!err && (scn = elf_nextscn(elf, scn)))
			if (gelf_getshdr(scn, &sh) && sh.sh_type == types[t])
				err = collect(elf, scn, &sh, out);
	}
	if (err || out->count == 0) {
		elfsyms__free(out);
		errno = err ? -err : ENOENT;
		return NULL;
	}
	qsort(out->syms, out->count, sizeof(*out->syms), compare_sym);
	return out;
}

void elfsyms__free(struct elfsyms *syms)
{
	if (!syms)
		return;
	free(syms->syms);
	free(syms);
}

size_t elfsyms__count(const struct elfsyms *syms)
{
	return syms->count;
}

int elfsyms__resolve(const struct elfsyms *syms, uint64_t vaddr, const char **name,
		     uint64_t *offset)
{
	size_t lo = 0, hi = syms->count;
	const struct elfsym *sym;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -ENOENT;
	sym = &syms->syms[lo - 1];
	/* Step back to the preferred alias at this address. */
	while (sym > syms->syms && sym[-1].addr == sym->addr)
		sym--;
	if (sym->size && vaddr - sym->addr >= sym->size)
		return -ENOENT;
	if (!sym->size && lo == syms->count && vaddr - sym->addr > (1u << 16))
		return -ENOENT;
	*name = sym->name;
	if (offset)
		*offset = vaddr - sym->addr;
	return 0;
}

int elfsyms__lookup_name(const struct elfsyms *syms, const char *name, uint64_t *vaddr)
{
	size_t i;

	for (i = 0; i < syms->count; i++) {
		if (!strcmp(syms->syms[i].name, name)) {
			*vaddr = syms->syms[i].addr;
			return 0;
		}
	}
	return -ENOENT;
}
