/* A tiny Go linker for tests: writes a pclntab in any of the four layouts
 * from a description of functions, their pc tables and inline trees, so the
 * unit tests and the fuzz seed corpus know exactly what each byte means.
 * Header-only; used by tests/unit/test_gopclntab.c and the fuzz corpus
 * generator (tests/fuzz/gen_corpus.c). */
#ifndef PODFLAME_PCLNTAB_BUILDER_H
#define PODFLAME_PCLNTAB_BUILDER_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gopclntab.h"

#define TB_TEXT 0x401000u /* text start of built tables */
#define TB_MEM 0x600000u /* where FUNCDATA (inline trees) live */

/* value v holds for PCs below entry + until */
struct tb_run {
	int32_t v;
	uint32_t until;
};

struct tb_inl {
	const char *name;
	uint32_t parent_pc; /* offset from entry of the call site */
};

struct tb_func {
	const char *name;
	uint32_t off, size; /* entry offset from TB_TEXT; code bytes */
	struct tb_run file[4], line[1200], sp[4], inl[4];
	int nfile, nline, nsp, ninl;
	struct tb_inl tree[4];
	int ntree;
};

struct tb_buf {
	uint8_t *p;
	size_t len, cap;
};

struct tb_table {
	uint8_t *tab;
	size_t size;
	uint8_t *mem; /* inline trees, at TB_MEM */
	size_t mem_size;
	uint64_t gofunc;
};

static inline size_t tb_reserve(struct tb_buf *b, size_t n)
{
	size_t at = b->len;

	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	memset(b->p + at, 0, n);
	b->len += n;
	return at;
}

static inline void tb_set(struct tb_buf *b, size_t at, uint64_t v, int size, bool be)
{
	int i;

	for (i = 0; i < size; i++)
		b->p[at + (size_t)i] = (uint8_t)(v >> (8 * (be ? size - 1 - i : i)));
}

static inline size_t tb_put(struct tb_buf *b, uint64_t v, int size, bool be)
{
	size_t at = tb_reserve(b, (size_t)size);

	tb_set(b, at, v, size, be);
	return at;
}

static inline void tb_append(struct tb_buf *b, const void *data, size_t len)
{
	size_t at = tb_reserve(b, len);

	if (len)
		memcpy(b->p + at, data, len);
}

static inline size_t tb_str(struct tb_buf *b, const char *s)
{
	size_t at = tb_reserve(b, strlen(s) + 1);

	memcpy(b->p + at, s, strlen(s));
	return at;
}

static inline void tb_uvarint(struct tb_buf *b, uint32_t v)
{
	while (v >= 0x80) {
		tb_put(b, (v & 0x7f) | 0x80, 1, false);
		v >>= 7;
	}
	tb_put(b, v, 1, false);
}

/* Encodes runs as Go does; returns the offset, 0 for an empty table. */
static inline uint32_t tb_pctab(struct tb_buf *b, const struct tb_run *runs, int n)
{
	uint32_t at = (uint32_t)b->len, pc = 0;
	int32_t val = -1;
	int i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		int32_t d = runs[i].v - val;

		tb_uvarint(b, d < 0 ? ((uint32_t)~d << 1) | 1 : (uint32_t)d << 1);
		tb_uvarint(b, runs[i].until - pc);
		val = runs[i].v;
		pc = runs[i].until;
	}
	tb_put(b, 0, 1, false);
	return at;
}

static inline uint32_t tb_name(struct tb_buf *names, const char *s)
{
	return (uint32_t)tb_str(names, s);
}

/* Files are global; pcfile values index them directly (one CU), starting
 * at 1 in the Go 1.2 layout where index 0 is the table's count. */
struct tb_spec {
	enum gopclntab_format format;
	bool big_endian;
	unsigned go_minor; /* Go 1.2 layout: 12 or 13+ (inline slots) */
	const char *files[4];
	int nfiles;
	struct tb_func *funcs;
	int nfuncs;
};

/* Inline trees into mem; returns the funcdata value for f (address or
 * gofunc offset), 0 or ~0 for none. */
static inline uint64_t tb_tree(const struct tb_spec *s, struct tb_buf *mem, struct tb_buf *names,
			       uint64_t names_base, const struct tb_func *f)
{
	bool be = s->big_endian;
	size_t at;
	int i;

	if (!f->ntree)
		return s->format >= GOPCLNTAB_GO118 ? UINT32_MAX : 0;
	while (mem->len % 4)
		tb_reserve(mem, 1);
	at = mem->len;
	for (i = 0; i < f->ntree; i++) {
		uint32_t name = (uint32_t)(tb_name(names, f->tree[i].name) - names_base);

		if (s->format == GOPCLNTAB_GO120) {
			tb_put(mem, 0, 4, be); /* funcID, pad */
			tb_put(mem, name, 4, be);
			tb_put(mem, f->tree[i].parent_pc, 4, be);
			tb_put(mem, 0, 4, be); /* startLine */
		} else {
			tb_put(mem, 0xffff, 2, be); /* parent: unused by readers */
			tb_put(mem, 0, 2, be);
			tb_put(mem, 0, 4, be); /* file */
			tb_put(mem, 0, 4, be); /* line */
			tb_put(mem, name, 4, be);
			tb_put(mem, f->tree[i].parent_pc, 4, be);
		}
	}
	return s->format >= GOPCLNTAB_GO118 ? at : TB_MEM + at;
}

/* Writes one _func record at the end of b (pcln area). */
static inline void tb_record(const struct tb_spec *s, struct tb_buf *b, const struct tb_func *f,
			     uint32_t nameoff, const uint32_t pc[4], uint32_t fd,
			     uint64_t base_vaddr)
{
	bool be = s->big_endian, split = s->format >= GOPCLNTAB_GO118;
	int ptr = 8, npcdata = f->ntree ? 3 : 0, inl_fd = 3, nfd, k;
	size_t rec;

	if (s->format == GOPCLNTAB_GO12)
		inl_fd = s->go_minor == 12 ? 2 : 4;
	nfd = f->ntree ? inl_fd + 1 : 0;
	rec = b->len;
	if (split)
		tb_put(b, f->off, 4, be);
	else
		tb_put(b, TB_TEXT + f->off, ptr, be);
	tb_put(b, nameoff, 4, be);
	tb_put(b, 0, 4, be); /* args */
	tb_put(b, 0, 4, be); /* deferreturn */
	tb_put(b, pc[0], 4, be); /* pcsp */
	tb_put(b, pc[1], 4, be); /* pcfile */
	tb_put(b, pc[2], 4, be); /* pcln */
	tb_put(b, (uint32_t)npcdata, 4, be);
	if (s->format != GOPCLNTAB_GO12)
		tb_put(b, 0, 4, be); /* cuOffset */
	if (s->format == GOPCLNTAB_GO120)
		tb_put(b, 0, 4, be); /* startLine */
	tb_put(b, 0, 3, be); /* funcID, flag, pad */
	tb_put(b, (uint64_t)nfd, 1, be);
	for (k = 0; k < npcdata; k++) {
		int slot = s->format == GOPCLNTAB_GO12 && s->go_minor == 12 ? 1 : 2;

		tb_put(b, k == slot ? pc[3] : 0, 4, be);
	}
	if (!nfd)
		return;
	if (!split && ((base_vaddr + b->len) & 4))
		tb_reserve(b, 4);
	for (k = 0; k < nfd; k++) {
		uint64_t v = k == inl_fd ? fd : (split ? UINT32_MAX : 0);

		tb_put(b, v, split ? 4 : ptr, be);
	}
	(void)rec;
}

#define TB_TAB_VADDR 0x500000u /* where the table itself is */

static inline uint32_t tb_magic(enum gopclntab_format f)
{
	return f == GOPCLNTAB_GO12    ? 0xfffffffb
	       : f == GOPCLNTAB_GO116 ? 0xfffffffa
	       : f == GOPCLNTAB_GO118 ? 0xfffffff0
				      : 0xfffffff1;
}

/* File values in specs count from 0; Go 1.2 tables count from 1. */
static inline void tb_pctabs(struct tb_buf *b, const struct tb_func *f, uint32_t pc[4], bool go12)
{
	struct tb_run file[4];
	int i;

	for (i = 0; i < f->nfile; i++)
		file[i] = (struct tb_run){ f->file[i].v + go12, f->file[i].until };
	pc[0] = tb_pctab(b, f->sp, f->nsp);
	pc[1] = tb_pctab(b, file, f->nfile);
	pc[2] = tb_pctab(b, f->line, f->nline);
	pc[3] = tb_pctab(b, f->inl, f->ninl);
}

/* Go 1.2-1.15: one table, every offset from its start. */
static inline void tb_build_go12(const struct tb_spec *s, struct tb_table *out)
{
	struct tb_buf b = { 0 }, mem = { 0 };
	bool be = s->big_endian;
	int n = s->nfuncs, i;
	size_t functab, fileoff_at, filetab;
	uint32_t nameoff[16], pc[16][4], fstr[4];
	uint64_t fd[16];

	tb_put(&b, tb_magic(s->format), 4, be);
	tb_put(&b, 0, 2, be);
	tb_put(&b, 1, 1, be);
	tb_put(&b, 8, 1, be);
	tb_put(&b, (uint64_t)n, 8, be);
	functab = tb_reserve(&b, (2 * (size_t)n + 1) * 8);
	fileoff_at = tb_reserve(&b, 4);
	for (i = 0; i < n; i++)
		nameoff[i] = tb_name(&b, s->funcs[i].name);
	for (i = 0; i < n; i++)
		fd[i] = tb_tree(s, &mem, &b, 0, &s->funcs[i]);
	for (i = 0; i < n; i++)
		tb_pctabs(&b, &s->funcs[i], pc[i], true);
	for (i = 0; i < s->nfiles; i++)
		fstr[i] = (uint32_t)tb_str(&b, s->files[i]);
	while (b.len % 8)
		tb_reserve(&b, 1);
	filetab = tb_put(&b, (uint64_t)s->nfiles + 1, 4, be);
	for (i = 0; i < s->nfiles; i++)
		tb_put(&b, fstr[i], 4, be);
	tb_set(&b, fileoff_at, filetab, 4, be);
	for (i = 0; i < n; i++) {
		while (b.len % 8)
			tb_reserve(&b, 1);
		tb_set(&b, functab + 16 * (size_t)i, TB_TEXT + s->funcs[i].off, 8, be);
		tb_set(&b, functab + 16 * (size_t)i + 8, b.len, 8, be);
		tb_record(s, &b, &s->funcs[i], nameoff[i], pc[i], (uint32_t)fd[i], TB_TAB_VADDR);
	}
	tb_set(&b, functab + 16 * (size_t)n, TB_TEXT + s->funcs[n - 1].off + s->funcs[n - 1].size,
	       8, be);
	out->tab = b.p;
	out->size = b.len;
	out->mem = mem.p;
	out->mem_size = mem.len;
	out->gofunc = 0;
}

/* Go 1.16+: header, then names, cu index, files, pc tables, records. */
static inline void tb_build_split(const struct tb_spec *s, struct tb_table *out)
{
	struct tb_buf names = { 0 }, cutab = { 0 }, files = { 0 }, pct = { 0 }, pcln = { 0 };
	struct tb_buf mem = { 0 }, b = { 0 };
	bool be = s->big_endian, abs = s->format == GOPCLNTAB_GO116;
	int n = s->nfuncs, i, words = abs ? 7 : 8;
	uint32_t nameoff[16], pc[16][4];
	uint64_t fd[16], off[5];
	size_t esz = abs ? 16 : 8, functab;

	for (i = 0; i < n; i++)
		nameoff[i] = tb_name(&names, s->funcs[i].name);
	for (i = 0; i < n; i++)
		fd[i] = tb_tree(s, &mem, &names, 0, &s->funcs[i]);
	for (i = 0; i < s->nfiles; i++)
		tb_put(&cutab, tb_str(&files, s->files[i]), 4, be);
	tb_reserve(&pct, 1); /* offset 0 means "no table" */
	for (i = 0; i < n; i++)
		tb_pctabs(&pct, &s->funcs[i], pc[i], false);
	while ((8 * (size_t)(words + 1) + names.len + cutab.len + files.len + pct.len) % 8)
		tb_reserve(&pct, 1);
	off[0] = 8 + 8 * (uint64_t)words;
	off[1] = off[0] + names.len;
	off[2] = off[1] + cutab.len;
	off[3] = off[2] + files.len;
	off[4] = off[3] + pct.len;
	functab = tb_reserve(&pcln, ((abs ? 2 : 1) * (size_t)n + 1) * (abs ? 8 : 8));
	for (i = 0; i < n; i++) {
		const struct tb_func *f = &s->funcs[i];

		while (pcln.len % 8)
			tb_reserve(&pcln, 1);
		if (abs) {
			tb_set(&pcln, functab + esz * (size_t)i, TB_TEXT + f->off, 8, be);
			tb_set(&pcln, functab + esz * (size_t)i + 8, pcln.len, 8, be);
		} else {
			tb_set(&pcln, functab + esz * (size_t)i, f->off, 4, be);
			tb_set(&pcln, functab + esz * (size_t)i + 4, pcln.len, 4, be);
		}
		tb_record(s, &pcln, f, nameoff[i], pc[i], (uint32_t)fd[i], TB_TAB_VADDR + off[4]);
	}
	if (abs)
		tb_set(&pcln, functab + esz * (size_t)n,
		       TB_TEXT + s->funcs[n - 1].off + s->funcs[n - 1].size, 8, be);
	else
		tb_set(&pcln, functab + esz * (size_t)n, s->funcs[n - 1].off + s->funcs[n - 1].size,
		       4, be);
	tb_put(&b, tb_magic(s->format), 4, be);
	tb_put(&b, 0, 2, be);
	tb_put(&b, 1, 1, be);
	tb_put(&b, 8, 1, be);
	tb_put(&b, (uint64_t)n, 8, be);
	tb_put(&b, (uint64_t)s->nfiles, 8, be);
	if (!abs)
		tb_put(&b, TB_TEXT, 8, be);
	for (i = 0; i < 5; i++)
		tb_put(&b, off[i], 8, be);
	tb_append(&b, names.p, names.len);
	tb_append(&b, cutab.p, cutab.len);
	tb_append(&b, files.p, files.len);
	tb_append(&b, pct.p, pct.len);
	tb_append(&b, pcln.p, pcln.len);
	free(names.p), free(cutab.p), free(files.p), free(pct.p), free(pcln.p);
	out->tab = b.p;
	out->size = b.len;
	out->mem = mem.p;
	out->mem_size = mem.len;
	out->gofunc = abs ? 0 : TB_MEM;
}

static inline void tb_build(const struct tb_spec *s, struct tb_table *out)
{
	if (s->format == GOPCLNTAB_GO12)
		tb_build_go12(s, out);
	else
		tb_build_split(s, out);
}

static inline void tb_free(struct tb_table *t)
{
	free(t->tab);
	free(t->mem);
	memset(t, 0, sizeof(*t));
}

/* The view callback for built tables: mem at TB_MEM. */
static inline int tb_view(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail)
{
	const struct tb_table *t = ctx;

	if (vaddr < TB_MEM || vaddr - TB_MEM >= t->mem_size)
		return -ENOENT;
	*p = t->mem + (vaddr - TB_MEM);
	*avail = t->mem_size - (size_t)(vaddr - TB_MEM);
	return 0;
}

/* main.first: one file, three lines, a frame of 16 bytes after 4.
 * main.outer: mid inlined at 0x20-0x40, leaf inlined in mid at 0x40-0x60.
 * main.last: 1000 one-byte steps of line numbers (the index's work). */
static inline void tb_sample_funcs(struct tb_func funcs[3], uint32_t last_size)
{
	struct tb_func *f;
	int i;

	memset(funcs, 0, 3 * sizeof(*funcs));
	f = &funcs[0];
	*f = (struct tb_func){ .name = "main.first", .off = 0, .size = 0x40 };
	f->file[f->nfile++] = (struct tb_run){ 0, 0x40 };
	f->line[f->nline++] = (struct tb_run){ 10, 0x10 };
	f->line[f->nline++] = (struct tb_run){ 11, 0x20 };
	f->line[f->nline++] = (struct tb_run){ 12, 0x40 };
	f->sp[f->nsp++] = (struct tb_run){ 0, 0x4 };
	f->sp[f->nsp++] = (struct tb_run){ 16, 0x3c };
	f->sp[f->nsp++] = (struct tb_run){ 0, 0x40 };

	f = &funcs[1];
	*f = (struct tb_func){ .name = "main.outer", .off = 0x40, .size = 0x80 };
	f->file[f->nfile++] = (struct tb_run){ 0, 0x20 };
	f->file[f->nfile++] = (struct tb_run){ 1, 0x40 };
	f->file[f->nfile++] = (struct tb_run){ 2, 0x60 };
	f->file[f->nfile++] = (struct tb_run){ 0, 0x80 };
	f->line[f->nline++] = (struct tb_run){ 20, 0x20 };
	f->line[f->nline++] = (struct tb_run){ 30, 0x40 };
	f->line[f->nline++] = (struct tb_run){ 40, 0x60 };
	f->line[f->nline++] = (struct tb_run){ 21, 0x80 };
	f->sp[f->nsp++] = (struct tb_run){ 8, 0x80 };
	f->inl[f->ninl++] = (struct tb_run){ -1, 0x20 };
	f->inl[f->ninl++] = (struct tb_run){ 0, 0x40 };
	f->inl[f->ninl++] = (struct tb_run){ 1, 0x60 };
	f->inl[f->ninl++] = (struct tb_run){ -1, 0x80 };
	f->tree[f->ntree++] = (struct tb_inl){ "main.mid", 0x10 };
	f->tree[f->ntree++] = (struct tb_inl){ "main.leaf[...]", 0x30 };

	f = &funcs[2];
	*f = (struct tb_func){ .name = "main.last", .off = 0xc0, .size = last_size };
	f->file[f->nfile++] = (struct tb_run){ 1, last_size };
	for (i = 0; i < (int)last_size; i++)
		f->line[f->nline++] = (struct tb_run){ 100 + (i % 7) * 3 - i % 5, (uint32_t)i + 1 };
	f->sp[f->nsp++] = (struct tb_run){ 0, last_size };
}

/* ---- a minimal Go ELF around a built table ---------------------------- */

#define TB_RW 0x700000u /* build info, moduledata */

struct tb_elf_opts {
	bool zero_text_start; /* Go 1.26: the header's text start is 0 */
	bool go_module_section; /* Go 1.26: moduledata in .go.module */
	bool no_moduledata;
	bool no_sections; /* e_shnum 0, as sstrip leaves it */
};

static inline size_t tb_pad_to(struct tb_buf *b, size_t align)
{
	while (b->len % align)
		tb_reserve(b, 1);
	return b->len;
}

/* ELF64 little-endian x86-64 executable: PT_LOAD R for the table at
 * TB_TAB_VADDR, R for the inline trees at TB_MEM, RW for .go.buildinfo and
 * runtime.firstmoduledata at TB_RW, a PT_NOTE with the Go build ID. */
static inline void tb_elf(const struct tb_spec *s, struct tb_table *t, const char *version,
			  const struct tb_elf_opts *o, struct tb_buf *out)
{
	struct tb_buf b = { 0 };
	size_t tab_off, mem_off, rw_off, md_off, shstr_off, sh_off, note_off, bi_size, i;
	uint64_t words = s->format == GOPCLNTAB_GO120 ? 41 : 39;
	static const char shstr[] = "\0.gopclntab\0.go.buildinfo\0.go.module\0.shstrtab\0.text";
	uint64_t min_pc, max_pc, funcname_off;

	if (o->zero_text_start && s->format >= GOPCLNTAB_GO118)
		memset(t->tab + 24, 0, 8);
	memcpy(&funcname_off, t->tab + (s->format == GOPCLNTAB_GO116 ? 24 : 32), 8);
	min_pc = TB_TEXT + s->funcs[0].off;
	max_pc = TB_TEXT + s->funcs[s->nfuncs - 1].off + s->funcs[s->nfuncs - 1].size;
	tb_reserve(&b, 64 + 4 * 56);
	note_off = b.len; /* Go build ID note: "Go\0", type 4 */
	tb_put(&b, 4, 4, false);
	tb_put(&b, 8, 4, false);
	tb_put(&b, 4, 4, false);
	tb_append(&b, "Go\0\0buildid!", 12);
	tab_off = tb_pad_to(&b, 0x1000);
	tb_append(&b, t->tab, t->size);
	mem_off = tb_pad_to(&b, 0x1000);
	tb_append(&b, t->mem, t->mem_size);
	tb_reserve(&b, 16);
	rw_off = tb_pad_to(&b, 0x1000);
	tb_append(&b, "\xff Go buildinf:\x08\x02", 16);
	tb_reserve(&b, 16);
	tb_put(&b, strlen(version), 1, false);
	tb_append(&b, version, strlen(version));
	tb_put(&b, 0, 1, false); /* no module text */
	bi_size = b.len - rw_off;
	md_off = tb_pad_to(&b, 16);
	if (!o->no_moduledata) {
		tb_reserve(&b, words * 8);
		tb_set(&b, md_off, TB_TAB_VADDR, 8, false);
		tb_set(&b, md_off + 8, TB_TAB_VADDR + funcname_off, 8, false);
		tb_set(&b, md_off + 20 * 8, min_pc, 8, false);
		tb_set(&b, md_off + 21 * 8, max_pc, 8, false);
		tb_set(&b, md_off + 22 * 8, TB_TEXT, 8, false);
		tb_set(&b, md_off + (words - 1) * 8, TB_MEM, 8, false);
	}
	shstr_off = b.len;
	tb_append(&b, shstr, sizeof(shstr));
	sh_off = tb_pad_to(&b, 8);
	tb_reserve(&b, 6 * 64);
	/* sections: null, .gopclntab, .go.buildinfo, .go.module, .shstrtab, .text */
	{
		struct {
			uint32_t name, type;
			uint64_t flags, addr, off, size;
		} sh[6] = {
			{ 0 },
			{ 1, 1, 2, TB_TAB_VADDR, tab_off, t->size },
			{ 12, 1, 3, TB_RW, rw_off, bi_size },
			{ 27, 1, 3, TB_RW + (md_off - rw_off), md_off,
			  o->go_module_section ? words * 8 : 0 },
			{ 38, 3, 0, 0, shstr_off, sizeof(shstr) },
			{ 48, 8, 6, TB_TEXT, 0, max_pc - TB_TEXT },
		};
		for (i = 0; i < 6; i++) {
			size_t at = sh_off + 64 * i;

			if (i == 3 && !o->go_module_section)
				sh[i].name = 0; /* unnamed: no .go.module before 1.26 */
			tb_set(&b, at, sh[i].name, 4, false);
			tb_set(&b, at + 4, sh[i].type, 4, false);
			tb_set(&b, at + 8, sh[i].flags, 8, false);
			tb_set(&b, at + 16, sh[i].addr, 8, false);
			tb_set(&b, at + 24, sh[i].off, 8, false);
			tb_set(&b, at + 32, sh[i].size, 8, false);
			tb_set(&b, at + 48, 1, 8, false);
		}
	}
	memcpy(b.p,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7);
	tb_set(&b, 16, 2, 2, false); /* ET_EXEC */
	tb_set(&b, 18, 62, 2, false); /* EM_X86_64 */
	tb_set(&b, 20, 1, 4, false);
	tb_set(&b, 24, TB_TEXT, 8, false);
	tb_set(&b, 32, 64, 8, false); /* e_phoff */
	tb_set(&b, 40, o->no_sections ? 0 : sh_off, 8, false);
	tb_set(&b, 52, 64, 2, false);
	tb_set(&b, 54, 56, 2, false);
	tb_set(&b, 56, 4, 2, false);
	tb_set(&b, 58, 64, 2, false);
	tb_set(&b, 60, o->no_sections ? 0 : 6, 2, false);
	tb_set(&b, 62, o->no_sections ? 0 : 4, 2, false);
	{
		struct {
			uint32_t type, flags;
			uint64_t off, vaddr, size;
		} ph[4] = {
			{ 4, 4, note_off, 0x400000 + note_off, 24 },
			{ 1, 4, tab_off, TB_TAB_VADDR, t->size },
			{ 1, 4, mem_off, TB_MEM, t->mem_size + 16 },
			{ 1, 6, rw_off, TB_RW, shstr_off - rw_off },
		};
		for (i = 0; i < 4; i++) {
			size_t at = 64 + 56 * i;

			tb_set(&b, at, ph[i].type, 4, false);
			tb_set(&b, at + 4, ph[i].flags, 4, false);
			tb_set(&b, at + 8, ph[i].off, 8, false);
			tb_set(&b, at + 16, ph[i].vaddr, 8, false);
			tb_set(&b, at + 24, ph[i].vaddr, 8, false);
			tb_set(&b, at + 32, ph[i].size, 8, false);
			tb_set(&b, at + 40, ph[i].size, 8, false);
			tb_set(&b, at + 48, 0x1000, 8, false);
		}
	}
	*out = b;
}

#endif
