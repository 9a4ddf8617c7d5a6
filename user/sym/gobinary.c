/* The ELF glue between a binary and the Go readers: where the pclntab is
 * (section, symbol, or a scan of the loaded bytes), where Go's text starts
 * (runtime.text, the runtime's moduledata, the table header), where the
 * inline trees are (moduledata.gofunc), and the build info. Works with no
 * symbol table and with no section headers at all. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gobinary.h"
#include "sym/gobuildinfo.h"
#include "sym/gopclntab.h"

#define R_X86_64_RELATIVE_ 8
#define R_AARCH64_RELATIVE_ 1027

/* Symbols that help when they exist (unstripped binaries). */
struct gosyms {
	uint64_t text, pclntab, epclntab, moduledata, gofunc;
};

struct gobinary {
	const struct elfimage *img;
	struct gomem_region *regions; /* PT_LOAD file bytes */
	size_t nregions;
	unsigned ptrsize;
	bool big_endian;
	const uint8_t *rela; /* dynamic RELA table, for unrelocated PIE words */
	size_t rela_size;
	struct gosyms syms; /* read on first need: symbol tables can be big */
	bool syms_read;
	struct gopclntab *tab;
	struct gobuildinfo *bi;
	struct gobinary_info info;
	char *errbuf;
	size_t errlen;
};

static void set_err(struct gobinary *gb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(struct gobinary *gb, const char *fmt, ...)
{
	va_list ap;

	if (!gb->errbuf || !gb->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(gb->errbuf, gb->errlen, fmt, ap);
	va_end(ap);
}

static uint64_t rdword(const struct gobinary *gb, const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < gb->ptrsize; i++)
		v |= (uint64_t)p[gb->big_endian ? gb->ptrsize - 1 - i : i] << (8 * i);
	return v;
}

/* ---- memory by address ------------------------------------------------ */

static int view_fn(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail)
{
	const struct gobinary *gb = ctx;
	size_t i;

	for (i = 0; i < gb->nregions; i++) {
		const struct gomem_region *r = &gb->regions[i];

		if (vaddr >= r->vaddr && vaddr - r->vaddr < r->size) {
			*p = r->data + (vaddr - r->vaddr);
			*avail = r->size - (size_t)(vaddr - r->vaddr);
			return 0;
		}
	}
	return -ENOENT;
}

/* The pointer a dynamic R_*_RELATIVE relocation will store at vaddr: some
 * linkers leave the word itself 0 in PIE files. 0 when there is none. */
static uint64_t rela_addend(const struct gobinary *gb, uint64_t vaddr)
{
	size_t off;

	for (off = 0; off + 24 <= gb->rela_size; off += 24) {
		const uint8_t *e = gb->rela + off;
		uint64_t where, info, addend;
		unsigned type;
		unsigned i;

		where = info = addend = 0;
		for (i = 0; i < 8; i++) {
			unsigned sh = gb->big_endian ? 8 * (7 - i) : 8 * i;

			where |= (uint64_t)e[i] << sh;
			info |= (uint64_t)e[8 + i] << sh;
			addend |= (uint64_t)e[16 + i] << sh;
		}
		type = (unsigned)(info & 0xffffffff);
		if (where == vaddr && (type == R_X86_64_RELATIVE_ || type == R_AARCH64_RELATIVE_))
			return addend;
	}
	return 0;
}

/* A pointer-sized word of the loaded image, as it is after relocation. */
static int read_word(const struct gobinary *gb, uint64_t vaddr, uint64_t *val)
{
	const uint8_t *p;
	size_t avail;

	if (view_fn((void *)gb, vaddr, &p, &avail) || avail < gb->ptrsize)
		return -ENOENT;
	*val = rdword(gb, p);
	if (!*val && gb->rela)
		*val = rela_addend(gb, vaddr);
	return 0;
}

static int load_regions(struct gobinary *gb)
{
	Elf *elf = elfimage__elf(gb->img);
	size_t size, phnum, i;
	const uint8_t *bytes = elfimage__bytes(gb->img, &size);

	if (elf_getphdrnum(elf, &phnum) || phnum > 4096)
		return -ENOENT;
	gb->regions = calloc(phnum ? phnum : 1, sizeof(*gb->regions));
	if (!gb->regions)
		return -ENOMEM;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return -EBADMSG;
		gb->regions[gb->nregions++] = (struct gomem_region){
			.data = bytes + ph.p_offset,
			.size = ph.p_filesz,
			.vaddr = ph.p_vaddr,
			.writable = ph.p_flags & PF_W,
			.executable = ph.p_flags & PF_X,
		};
	}
	return gb->nregions ? 0 : -ENOENT;
}

/* The dynamic RELA table, through PT_DYNAMIC (works without sections). */
static void load_rela(struct gobinary *gb)
{
	Elf *elf = elfimage__elf(gb->img);
	uint64_t rela = 0, relasz = 0;
	const uint8_t *p;
	size_t phnum, i, avail, off;

	if (gb->ptrsize != 8 || elf_getphdrnum(elf, &phnum))
		return;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_DYNAMIC)
			continue;
		if (view_fn(gb, ph.p_vaddr, &p, &avail))
			return;
		if (avail > ph.p_filesz)
			avail = ph.p_filesz;
		for (off = 0; off + 16 <= avail; off += 16) {
			uint64_t tag = rdword(gb, p + off), val = rdword(gb, p + off + 8);

			if (tag == DT_NULL)
				break;
			if (tag == DT_RELA)
				rela = val;
			else if (tag == DT_RELASZ)
				relasz = val;
		}
	}
	if (rela && relasz && !view_fn(gb, rela, &p, &avail) && relasz <= avail) {
		gb->rela = p;
		gb->rela_size = (size_t)relasz;
	}
}

/* ---- symbols ---------------------------------------------------------- */

static const struct gosyms *symbols(struct gobinary *gb)
{
	Elf *elf = elfimage__elf(gb->img);
	struct gosyms *syms = &gb->syms;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (gb->syms_read)
		return syms;
	gb->syms_read = true;
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		size_t n, i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = data->d_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || (name[0] != 'r' && name[0] != 'g'))
				continue;
			if (!strcmp(name, "runtime.text"))
				syms->text = sym.st_value;
			else if (!strcmp(name, "runtime.pclntab"))
				syms->pclntab = sym.st_value;
			else if (!strcmp(name, "runtime.epclntab"))
				syms->epclntab = sym.st_value;
			else if (!strcmp(name, "runtime.firstmoduledata"))
				syms->moduledata = sym.st_value;
			else if (!strcmp(name, "go:func.*") || !strcmp(name, "go.func.*"))
				syms->gofunc = sym.st_value;
		}
	}
	return syms;
}

/* ---- the table -------------------------------------------------------- */

struct table_loc {
	const uint8_t *data;
	size_t size;
	uint64_t vaddr;
	const char *source;
};

/* Opens a candidate with a provisional text start when it needs one, to
 * learn whether it parses. */
static struct gopclntab *probe_table(const struct table_loc *loc, char *err, size_t errlen)
{
	struct gopclntab_opts opts = {
		.vaddr = loc->vaddr,
		.no_index = true,
		.errbuf = err,
		.errlen = errlen,
	};
	struct gopclntab_header hdr;

	if (!gopclntab__parse_header(loc->data, loc->size, &hdr) && hdr.format >= GOPCLNTAB_GO118 &&
	    !hdr.text_start)
		opts.text_start = 1;
	return gopclntab__open(loc->data, loc->size, &opts);
}

/* The magic, then a table that parses: the last resort when the binary
 * has neither the section nor the symbol. */
static int scan_for_table(const struct gobinary *gb, struct table_loc *loc)
{
	static const uint32_t magics[] = { 0xfffffff1, 0xfffffff0, 0xfffffffa, 0xfffffffb };
	size_t i, off;

	for (i = 0; i < gb->nregions; i++) {
		const struct gomem_region *r = &gb->regions[i];

		if (r->executable)
			continue;
		for (off = (size_t)((4 - (r->vaddr & 3)) & 3); off + 64 <= r->size; off += 4) {
			const uint8_t *p = r->data + off;
			uint32_t m;
			size_t k;

			if (p[4] || p[5] || p[0] < 0xf0 || p[3] != 0xff)
				continue;
			memcpy(&m, p, 4);
			if (gb->big_endian)
				m = __builtin_bswap32(m);
			for (k = 0; k < sizeof(magics) / sizeof(magics[0]); k++) {
				struct table_loc cand = { p, r->size - off, r->vaddr + off,
							  "scan" };
				struct gopclntab *t;

				if (m != magics[k])
					continue;
				t = probe_table(&cand, NULL, 0);
				if (t) {
					gopclntab__free(t);
					*loc = cand;
					return 0;
				}
			}
		}
	}
	return -ENOENT;
}

/* A Go build ID note ("Go", type 4) in a PT_NOTE segment: every binary the
 * go command links has one, sections or not. */
static bool has_go_note(const struct gobinary *gb)
{
	Elf *elf = elfimage__elf(gb->img);
	size_t size, phnum, i, off;
	const uint8_t *bytes = elfimage__bytes(gb->img, &size);

	if (elf_getphdrnum(elf, &phnum))
		return false;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE || ph.p_offset > size ||
		    ph.p_filesz > size - ph.p_offset)
			continue;
		for (off = 0; off + 12 <= ph.p_filesz;) {
			const uint8_t *n = bytes + ph.p_offset + off;
			uint32_t namesz, descsz, type;

			memcpy(&namesz, n, 4);
			memcpy(&descsz, n + 4, 4);
			memcpy(&type, n + 8, 4);
			if (gb->big_endian) {
				namesz = __builtin_bswap32(namesz);
				descsz = __builtin_bswap32(descsz);
				type = __builtin_bswap32(type);
			}
			if (namesz == 3 && type == 4 && off + 16 <= ph.p_filesz &&
			    !memcmp(n + 12, "Go", 3))
				return true;
			if (namesz > ph.p_filesz || descsz > ph.p_filesz)
				break;
			off += 12 + (((size_t)namesz + 3) & ~(size_t)3) +
			       (((size_t)descsz + 3) & ~(size_t)3);
		}
	}
	return false;
}

/* No section headers at all (sstrip, some packers): the names above can't
 * answer, so whatever else the binary shows, it has to be scanned. */
static bool has_sections(const struct gobinary *gb)
{
	size_t n;

	return !elf_getshdrnum(elfimage__elf(gb->img), &n) && n > 0;
}

/* The table: by section name; else, in a binary that shows other signs of
 * Go (or has no sections to tell), by the runtime.pclntab symbol or a
 * scan. Non-Go binaries (every library a profile touches) stop at the
 * cheap checks. */
static int find_table(struct gobinary *gb, struct table_loc *loc)
{
	static const char *const names[] = { ".gopclntab", ".data.rel.ro.gopclntab" };
	const struct gosyms *syms;
	struct byteview view;
	size_t i, avail;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int err = elfimage__section(gb->img, names[i], &view);

		if (err == -EBADMSG)
			return err;
		if (!err) {
			*loc = (struct table_loc){ view.data, view.size, view.vaddr,
						   i ? "section .data.rel.ro.gopclntab"
						     : "section .gopclntab" };
			return 0;
		}
	}
	if (!gb->bi && !has_go_note(gb) && has_sections(gb))
		return -ENOENT;
	syms = symbols(gb);
	if (syms->pclntab && !view_fn((void *)gb, syms->pclntab, &loc->data, &avail)) {
		loc->size = avail;
		if (syms->epclntab > syms->pclntab && syms->epclntab - syms->pclntab <= avail)
			loc->size = (size_t)(syms->epclntab - syms->pclntab);
		loc->vaddr = syms->pclntab;
		loc->source = "symbol runtime.pclntab";
		return 0;
	}
	return scan_for_table(gb, loc);
}

/* ---- moduledata ------------------------------------------------------- */

/* Word indexes in runtime.moduledata (Go 1.16+): the pcHeader pointer,
 * six slices, findfunctab, minpc, maxpc, text; gofunc came with 1.18 and
 * moved by two words when 1.20 added the coverage counters. */
enum { MD_PCHEADER = 0, MD_FUNCNAMETAB = 1, MD_MINPC = 20, MD_MAXPC = 21, MD_TEXT = 22 };

struct moduledata {
	uint64_t addr, text, gofunc;
};

/* Checks a candidate against the table: its pointers must be the table's
 * and its PC range the function table's, given its text start. */
static bool check_moduledata(const struct gobinary *gb, uint64_t md, const struct table_loc *loc,
			     const struct gopclntab_header *hdr, uint64_t first_off,
			     uint64_t last_off, struct moduledata *out)
{
	uint64_t w[41];
	unsigned k, n = hdr->format == GOPCLNTAB_GO120 ? 41 : 39;

	for (k = 0; k < n; k++)
		if (read_word(gb, md + (uint64_t)k * gb->ptrsize, &w[k]))
			return false;
	if (w[MD_PCHEADER] != loc->vaddr || w[MD_FUNCNAMETAB] != loc->vaddr + hdr->funcname_offset)
		return false;
	if (w[MD_MINPC] != w[MD_TEXT] + first_off || w[MD_MAXPC] != w[MD_TEXT] + last_off ||
	    !w[MD_TEXT])
		return false;
	out->addr = md;
	out->text = w[MD_TEXT];
	out->gofunc = w[n - 1];
	return true;
}

/* moduledata: its own section from Go 1.26, the symbol, or any writable
 * word that points at the table (relocated or not). */
static int find_moduledata(struct gobinary *gb, const struct table_loc *loc,
			   const struct gopclntab_header *hdr, uint64_t first_off,
			   uint64_t last_off, struct moduledata *md)
{
	struct byteview view;
	size_t i, off;

	if (!elfimage__section(gb->img, ".go.module", &view) && view.vaddr &&
	    check_moduledata(gb, view.vaddr, loc, hdr, first_off, last_off, md))
		return 0;
	for (i = 0; i < gb->nregions; i++) {
		const struct gomem_region *r = &gb->regions[i];

		if (!r->writable)
			continue;
		off = (size_t)((gb->ptrsize - (r->vaddr % gb->ptrsize)) % gb->ptrsize);
		for (; off + gb->ptrsize <= r->size; off += gb->ptrsize) {
			if (rdword(gb, r->data + off) == loc->vaddr &&
			    check_moduledata(gb, r->vaddr + off, loc, hdr, first_off, last_off, md))
				return 0;
		}
	}
	/* PIE files whose words are left for the dynamic linker to fill. */
	for (off = 0; gb->rela && off + 24 <= gb->rela_size; off += 24) {
		uint64_t where = rdword(gb, gb->rela + off),
			 addend = rdword(gb, gb->rela + off + 16);

		if (addend == loc->vaddr &&
		    check_moduledata(gb, where, loc, hdr, first_off, last_off, md))
			return 0;
	}
	if (symbols(gb)->moduledata &&
	    check_moduledata(gb, gb->syms.moduledata, loc, hdr, first_off, last_off, md))
		return 0;
	return -ENOENT;
}

/* ---- open ------------------------------------------------------------- */

static void open_buildinfo(struct gobinary *gb)
{
	struct byteview view;
	size_t i, off;

	if (!elfimage__section(gb->img, ".go.buildinfo", &view)) {
		gb->bi = gobuildinfo__parse(view.data, view.size, view_fn, gb);
		gb->info.buildinfo_source = "section .go.buildinfo";
	}
	for (i = 0; !gb->bi && i < gb->nregions; i++) {
		const struct gomem_region *r = &gb->regions[i];

		if (!r->writable || gobuildinfo__locate(r->data, r->size, r->vaddr, &off))
			continue;
		gb->bi = gobuildinfo__parse(r->data + off, r->size - off, view_fn, gb);
		gb->info.buildinfo_source = "scan";
	}
	if (!gb->bi)
		gb->info.buildinfo_source = NULL;
}

/* Binaries without build info (section removed, or built outside the go
 * command) still hold the runtime's version string. Go binaries only: it
 * reads every read-only byte. */
static void open_runtime_version(struct gobinary *gb)
{
	const char *version;
	size_t len;

	if (gb->bi || gobuildinfo__find_runtime_version(gb->regions, gb->nregions, gb->ptrsize,
							gb->big_endian, &version, &len))
		return;
	gb->bi = gobuildinfo__from_version(version, len);
	if (gb->bi)
		gb->info.buildinfo_source = "runtime version string";
}

/* Go 1.18+ tables hold entries relative to the text start, and FUNCDATA
 * relative to moduledata.gofunc: find both. */
static int find_bases(struct gobinary *gb, const struct table_loc *loc,
		      const struct gopclntab_header *hdr, const struct gopclntab *probe,
		      struct gopclntab_opts *opts)
{
	const struct gosyms *syms;
	uint64_t provisional = hdr->text_start ? hdr->text_start : 1, min, max;
	struct moduledata md;
	struct byteview text;
	const uint8_t *p;
	size_t avail;

	gopclntab__pc_range(probe, &min, &max);
	if (!find_moduledata(gb, loc, hdr, min - provisional, max - provisional, &md)) {
		gb->info.moduledata = md.addr;
		gb->info.text_source = "moduledata";
		opts->text_start = md.text;
		opts->gofunc = md.gofunc;
	} else if ((syms = symbols(gb))->text) {
		gb->info.text_source = "symbol runtime.text";
		opts->text_start = syms->text;
	} else if (hdr->text_start) {
		/* Right in binaries linked by Go itself before 1.26. */
		gb->info.text_source = "pclntab header";
		opts->text_start = hdr->text_start;
	} else if (!elfimage__section(gb->img, ".text", &text) && text.vaddr) {
		/* A guess: wrong when C code precedes Go's in .text. */
		gb->info.text_source = ".text section";
		opts->text_start = text.vaddr;
	} else {
		set_err(gb, "Go text start not found (no moduledata, runtime.text or header)");
		return -EBADMSG;
	}
	if (!opts->gofunc)
		opts->gofunc = symbols(gb)->gofunc;
	if (opts->gofunc && view_fn(gb, opts->gofunc, &p, &avail))
		opts->gofunc = 0;
	return 0;
}

static int open_table(struct gobinary *gb)
{
	char why[160] = "";
	struct gopclntab_opts opts = { 0 };
	struct gopclntab_header hdr;
	struct gopclntab *probe;
	struct table_loc loc;
	int err;

	err = find_table(gb, &loc);
	if (err) {
		set_err(gb, err == -ENOENT
				    ? "no .gopclntab, no Go build ID note, no Go build info"
				    : "the .gopclntab section lies outside the file (truncated?)");
		return err == -ENOENT ? -ENOENT : -EBADMSG;
	}
	gb->info.pclntab_source = loc.source;
	gb->info.pclntab_vaddr = loc.vaddr;
	gb->info.pclntab_size = loc.size;
	probe = probe_table(&loc, why, sizeof(why));
	if (!probe) {
		set_err(gb, "corrupt pclntab (%s): %s", loc.source, why);
		return -EBADMSG;
	}
	gopclntab__parse_header(loc.data, loc.size, &hdr);
	open_runtime_version(gb);
	opts.vaddr = loc.vaddr;
	opts.view = view_fn;
	opts.view_ctx = gb;
	opts.errbuf = why;
	opts.errlen = sizeof(why);
	opts.go_minor = gb->bi ? gobuildinfo__go_minor(gobuildinfo__go_version(gb->bi)) : 0;
	gb->info.text_source = "entries";
	if (hdr.format >= GOPCLNTAB_GO118)
		err = find_bases(gb, &loc, &hdr, probe, &opts);
	gopclntab__free(probe);
	if (err)
		return err;
	gb->tab = gopclntab__open(loc.data, loc.size, &opts);
	if (!gb->tab) {
		err = -errno;
		set_err(gb, "corrupt pclntab (%s): %s", loc.source, why);
		return err;
	}
	gb->info.format = gopclntab__format_name(hdr.format);
	gb->info.nfuncs = gopclntab__nfuncs(gb->tab);
	gb->info.text_start = gopclntab__text_start(gb->tab);
	gb->info.inline_frames = gopclntab__has_inline(gb->tab);
	return 0;
}

struct gobinary *gobinary__open_err(const struct elfimage *img, char *errbuf, size_t errlen)
{
	struct gobinary *gb = calloc(1, sizeof(*gb));
	int err;

	if (!gb) {
		errno = ENOMEM;
		return NULL;
	}
	gb->img = img;
	gb->errbuf = errbuf;
	gb->errlen = errlen;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	gb->ptrsize = elfimage__is_64bit(img) ? 8 : 4;
	gb->big_endian = !elfimage__is_little_endian(img);
	err = load_regions(gb);
	if (err) {
		set_err(gb, err == -EBADMSG ? "a PT_LOAD segment lies outside the file (truncated?)"
					    : "no loadable segments");
		goto fail;
	}
	load_rela(gb);
	open_buildinfo(gb);
	err = open_table(gb);
	if (err)
		goto fail;
	gb->errbuf = NULL;
	return gb;
fail:
	gb->errbuf = NULL;
	gobinary__free(gb);
	errno = -err;
	return NULL;
}

struct gobinary *gobinary__open(const struct elfimage *img)
{
	return gobinary__open_err(img, NULL, 0);
}

void gobinary__free(struct gobinary *gb)
{
	if (!gb)
		return;
	gopclntab__free(gb->tab);
	gobuildinfo__free(gb->bi);
	free(gb->regions);
	free(gb);
}

void gobinary__info(const struct gobinary *gb, struct gobinary_info *info)
{
	*info = gb->info;
	info->index_bytes =
		sizeof(*gb) + gb->nregions * sizeof(*gb->regions) + gopclntab__index_bytes(gb->tab);
}

int gobinary__func(const struct gobinary *gb, size_t i, uint64_t *entry, uint64_t *end,
		   const char **name)
{
	return gopclntab__func(gb->tab, i, entry, end, name);
}

int gobinary__resolve(const struct gobinary *gb, uint64_t vaddr, struct sym_frame *frames,
		      size_t cap)
{
	return gopclntab__resolve(gb->tab, vaddr, frames, cap);
}

int gobinary__func_bounds(const struct gobinary *gb, uint64_t vaddr, uint64_t *entry, uint64_t *end,
			  const char **name)
{
	return gopclntab__func_bounds(gb->tab, vaddr, entry, end, name);
}

int gobinary__sp_delta(const struct gobinary *gb, uint64_t vaddr, int32_t *delta)
{
	return gopclntab__sp_delta(gb->tab, vaddr, delta);
}

const char *gobinary__go_version(const struct gobinary *gb)
{
	return gb->bi ? gobuildinfo__go_version(gb->bi) : NULL;
}

const char *gobinary__main_module(const struct gobinary *gb)
{
	return gb->bi ? gobuildinfo__main_module(gb->bi) : NULL;
}

const char *gobinary__main_path(const struct gobinary *gb)
{
	return gb->bi ? gobuildinfo__path(gb->bi) : NULL;
}

bool gobinary__has_dep(const struct gobinary *gb, const char *module_path)
{
	return gb->bi && gobuildinfo__has_dep(gb->bi, module_path);
}

const char *gobinary__build_setting(const struct gobinary *gb, const char *key)
{
	return gb->bi ? gobuildinfo__setting(gb->bi, key) : NULL;
}

const struct gobuildinfo *gobinary__buildinfo(const struct gobinary *gb)
{
	return gb->bi;
}
