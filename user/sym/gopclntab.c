/* The pclntab reader. Layouts are Go's (runtime/symtab.go, cmd/link's
 * pcln.go) as they stood in each release; the comments name the release a
 * field appeared in. Every offset read from the table is checked against
 * the sub-table it indexes before use. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gopclntab.h"
#include "sym/gopcindex.h"
#include "sym/gopcvalue.h"

#define MAGIC_GO12 0xfffffffbu
#define MAGIC_GO116 0xfffffffau
#define MAGIC_GO118 0xfffffff0u
#define MAGIC_GO120 0xfffffff1u

/* Deeper inline chains than this are a loop in a corrupt tree. */
#define MAX_INLINE_DEPTH 100

/* A sub-table: data[off, off + len). */
struct span {
	size_t off, len;
	/* Its last byte is NUL, so every string starting in it ends in it. */
	bool terminated;
};

struct gopclntab {
	const uint8_t *data;
	size_t size;
	struct gopclntab_header hdr;
	uint64_t text; /* Go 1.18+: base of entry offsets */
	uint64_t gofunc; /* Go 1.18+: base of FUNCDATA offsets, 0 unknown */
	uint64_t vaddr;
	struct span whole, funcnames, cutab, filetab, pctab, pcln, functab;
	uint32_t nfiletab; /* Go 1.2: entries of the file table */
	size_t entry_size; /* one functab entry */
	size_t func_size; /* fixed part of a _func record */
	size_t field0; /* offset of nameoff in _func (after entry) */
	int inl_pcdata, inl_funcdata; /* table indexes; -1: no inline tree */
	size_t inl_rec_size, inl_name_at, inl_parent_pc_at;
	int (*view)(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail);
	void *view_ctx;
	uint64_t min_pc, max_pc;
	/* PC -> functab slot in two steps: bucket b covers PCs from
	 * min_pc + (b << bucket_shift); buckets[b] is the slot of the function
	 * holding its first PC, so a lookup searches between two buckets. */
	uint32_t *buckets;
	size_t nbuckets;
	unsigned bucket_shift;
	/* Lookups update it behind the const API: one thread at a time. */
	struct gopcindex *index;
};

/* One function's record, found by PC. */
struct fn {
	const uint8_t *rec; /* the _func record */
	size_t avail; /* bytes from rec to the end of the pcln sub-table */
	uint64_t entry, end; /* from the function table */
	uint64_t base; /* the record's own entry: where its pc tables start */
	size_t index; /* its functab slot */
};

/* The pc tables the index keeps, per function */
enum { TAB_FILE = 0, TAB_LINE, TAB_INLINE, TAB_SP };

static bool host_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

static inline uint32_t rd32(const struct gopclntab *t, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return t->hdr.big_endian != host_big_endian() ? __builtin_bswap32(v) : v;
}

static inline uint64_t rd64(const struct gopclntab *t, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return t->hdr.big_endian != host_big_endian() ? __builtin_bswap64(v) : v;
}

static inline uint64_t rdptr(const struct gopclntab *t, const uint8_t *p)
{
	return t->hdr.ptrsize == 8 ? rd64(t, p) : rd32(t, p);
}

static void set_err(const struct gopclntab_opts *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(const struct gopclntab_opts *opts, const char *fmt, ...)
{
	va_list ap;

	if (!opts || !opts->errbuf || !opts->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(opts->errbuf, opts->errlen, fmt, ap);
	va_end(ap);
}

const char *gopclntab__format_name(enum gopclntab_format format)
{
	switch (format) {
	case GOPCLNTAB_GO12:
		return "go1.2";
	case GOPCLNTAB_GO116:
		return "go1.16";
	case GOPCLNTAB_GO118:
		return "go1.18";
	case GOPCLNTAB_GO120:
		return "go1.20";
	}
	return "unknown";
}

static int format_of(uint32_t magic, enum gopclntab_format *format)
{
	switch (magic) {
	case MAGIC_GO12:
		*format = GOPCLNTAB_GO12;
		return 0;
	case MAGIC_GO116:
		*format = GOPCLNTAB_GO116;
		return 0;
	case MAGIC_GO118:
		*format = GOPCLNTAB_GO118;
		return 0;
	case MAGIC_GO120:
		*format = GOPCLNTAB_GO120;
		return 0;
	}
	return -ENOENT;
}

/* The Go 1.16+ header: nfunc, nfiles, [textStart (1.18+)], then five
 * offsets of sub-tables, each a pointer-sized word. */
static int parse_split_header(const struct gopclntab *t, const uint8_t *data, size_t size,
			      struct gopclntab_header *hdr, uint64_t off[5])
{
	size_t p = hdr->ptrsize, words = hdr->format == GOPCLNTAB_GO116 ? 7 : 8;
	size_t i, first = 2 + (words == 8);

	if (size < 8 + words * p)
		return -EBADMSG;
	hdr->nfunc = rdptr(t, data + 8);
	if (words == 8)
		hdr->text_start = rdptr(t, data + 8 + 2 * p);
	for (i = 0; i < 5; i++)
		off[i] = rdptr(t, data + 8 + (first + i) * p);
	/* The linker lays the sub-tables out in this order after the header:
	 * names, cu index, files, pc tables, function records. */
	if (off[0] < 8 + words * p)
		return -EBADMSG;
	for (i = 0; i < 5; i++)
		if (off[i] > size || (i && off[i] < off[i - 1]))
			return -EBADMSG;
	hdr->funcname_offset = off[0];
	hdr->min_size = off[4];
	return 0;
}

int gopclntab__parse_header(const uint8_t *data, size_t size, struct gopclntab_header *hdr)
{
	struct gopclntab t = { 0 };
	uint64_t off[5];
	uint32_t le;

	memset(hdr, 0, sizeof(*hdr));
	if (size < 8)
		return -ENOENT;
	le = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	     (uint32_t)data[3] << 24;
	if (!format_of(le, &hdr->format)) {
		hdr->big_endian = false;
	} else if (!format_of(__builtin_bswap32(le), &hdr->format)) {
		hdr->big_endian = true;
	} else {
		return -ENOENT;
	}
	if (data[4] || data[5] || (data[6] != 1 && data[6] != 2 && data[6] != 4) ||
	    (data[7] != 4 && data[7] != 8))
		return -EBADMSG;
	hdr->quantum = data[6];
	hdr->ptrsize = data[7];
	t.hdr = *hdr;
	if (hdr->format == GOPCLNTAB_GO12) {
		if (size < 8 + (size_t)hdr->ptrsize)
			return -EBADMSG;
		hdr->nfunc = rdptr(&t, data + 8);
		hdr->min_size = 8 + hdr->ptrsize;
	} else if (parse_split_header(&t, data, size, hdr, off)) {
		return -EBADMSG;
	}
	/* Every function needs a functab entry of at least 8 bytes. */
	if (hdr->nfunc == 0 || hdr->nfunc > size / 8)
		return -EBADMSG;
	return 0;
}

static void set_inline_layout(struct gopclntab *t, const struct gopclntab_opts *opts)
{
	t->inl_pcdata = 2; /* PCDATA_InlTreeIndex */
	t->inl_funcdata = 3; /* FUNCDATA_InlTree, Go 1.16+ */
	t->inl_rec_size = 20; /* inlinedCall: parent, funcID, file, line, func_, parentPc */
	t->inl_name_at = 12;
	t->inl_parent_pc_at = 16;
	if (t->hdr.format == GOPCLNTAB_GO120) {
		t->inl_rec_size = 16; /* funcID, nameOff, parentPc, startLine */
		t->inl_name_at = 4;
		t->inl_parent_pc_at = 8;
	} else if (t->hdr.format == GOPCLNTAB_GO12) {
		unsigned minor = opts ? opts->go_minor : 0;

		if (minor == 12) {
			t->inl_pcdata = 1;
			t->inl_funcdata = 2;
		} else if (minor && minor < 12) {
			/* Before 1.12 inline records had no parentPc. */
			t->inl_pcdata = t->inl_funcdata = -1;
		} else {
			t->inl_funcdata = 4; /* 1.13-1.15: RegPointerMaps took slot 2 */
		}
	}
	if (!opts || !opts->view || (t->hdr.format >= GOPCLNTAB_GO118 && !t->gofunc))
		t->inl_pcdata = t->inl_funcdata = -1;
}

/* Go 1.2-1.15: one table; offsets of everything relative to its start. */
static int layout_go12(struct gopclntab *t, const struct gopclntab_opts *opts)
{
	size_t p = t->hdr.ptrsize, n = t->hdr.nfunc, fileoff;

	t->functab = (struct span){ 8 + p, (2 * n + 1) * p };
	if (t->functab.len > t->size - t->functab.off || t->size - t->functab.off - t->functab.len < 4) {
		set_err(opts, "function table of %zu entries runs past the table's %zu bytes", n,
			t->size);
		return -EBADMSG;
	}
	fileoff = rd32(t, t->data + t->functab.off + t->functab.len);
	if (fileoff > t->size - 4) {
		set_err(opts, "file table offset 0x%zx outside the table", fileoff);
		return -EBADMSG;
	}
	t->nfiletab = rd32(t, t->data + fileoff);
	if (t->nfiletab > (t->size - fileoff) / 4) {
		set_err(opts, "file table of %u entries runs past the table", t->nfiletab);
		return -EBADMSG;
	}
	t->filetab = (struct span){ fileoff, (size_t)t->nfiletab * 4 };
	t->funcnames = t->pctab = t->pcln = t->whole;
	t->entry_size = 2 * p;
	t->field0 = p;
	t->func_size = p + 32;
	return 0;
}

/* Go 1.16+: sub-tables at the offsets the header gives. */
static int layout_split(struct gopclntab *t, const struct gopclntab_opts *opts)
{
	struct gopclntab_header hdr = t->hdr;
	uint64_t off[5];
	size_t p = t->hdr.ptrsize, n = t->hdr.nfunc;

	if (parse_split_header(t, t->data, t->size, &hdr, off))
		return -EBADMSG;
	t->funcnames = (struct span){ off[0], off[1] - off[0] };
	t->cutab = (struct span){ off[1], off[2] - off[1] };
	t->filetab = (struct span){ off[2], off[3] - off[2] };
	t->pctab = (struct span){ off[3], off[4] - off[3] };
	t->pcln = (struct span){ off[4], t->size - off[4] };
	if (t->hdr.format == GOPCLNTAB_GO116) {
		t->entry_size = 2 * p;
		t->functab = (struct span){ off[4], (2 * n + 1) * p };
		t->field0 = p;
		t->func_size = p + 36;
	} else {
		t->entry_size = 8;
		t->functab = (struct span){ off[4], (n + 1) * 8 };
		t->field0 = 4;
		t->func_size = t->hdr.format == GOPCLNTAB_GO118 ? 40 : 44;
	}
	if (t->functab.len > t->pcln.len) {
		set_err(opts, "function table of %zu entries runs past the table's %zu bytes", n,
			t->size);
		return -EBADMSG;
	}
	return 0;
}

/* Entry PC of functab slot i (i == nfunc: the end of the last function). */
static inline uint64_t entry_at(const struct gopclntab *t, size_t i)
{
	const uint8_t *e = t->data + t->functab.off + i * t->entry_size;

	if (t->hdr.format >= GOPCLNTAB_GO118)
		return t->text + rd32(t, e);
	return rdptr(t, e);
}

/* Offset of function i's record in the pcln sub-table. */
static inline uint64_t funcoff_at(const struct gopclntab *t, size_t i)
{
	const uint8_t *e = t->data + t->functab.off + i * t->entry_size;

	if (t->hdr.format >= GOPCLNTAB_GO118)
		return rd32(t, e + 4);
	return rdptr(t, e + t->hdr.ptrsize);
}

/* The runtime trusts the table; we check once, at open, what every lookup
 * would otherwise check: sorted entries and records inside the table. */
static int check_functab(const struct gopclntab *t, const struct gopclntab_opts *opts)
{
	size_t i, n = t->hdr.nfunc;
	uint64_t prev = entry_at(t, 0);
	/* Go 1.2 funcoffs count from the table start, later from pcln. */
	uint64_t base = t->hdr.format == GOPCLNTAB_GO12 ? 0 : t->pcln.off;

	for (i = 0; i <= n; i++) {
		uint64_t pc = entry_at(t, i);

		if (pc < prev) {
			set_err(opts, "function table entry %zu (0x%llx) out of order", i,
				(unsigned long long)pc);
			return -EBADMSG;
		}
		prev = pc;
		if (i < n) {
			uint64_t off = funcoff_at(t, i);

			if (off > t->size - base || t->size - base - off < t->func_size) {
				set_err(opts, "function %zu: record offset 0x%llx outside the table",
					i, (unsigned long long)off);
				return -EBADMSG;
			}
		}
	}
	return 0;
}

static void mark_terminated(const struct gopclntab *t, struct span *s)
{
	s->terminated = s->len && t->data[s->off + s->len - 1] == 0;
}

/* Builds the bucket index: buckets no smaller than 4 KiB, and no more of
 * them than four per function whatever PC range a table claims. */
static int build_buckets(struct gopclntab *t)
{
	uint64_t range = t->max_pc - t->min_pc;
	size_t n = t->hdr.nfunc, b, i = 0;

	t->bucket_shift = 12;
	while ((range >> t->bucket_shift) > 4 * (uint64_t)n + 16)
		t->bucket_shift++;
	t->nbuckets = (size_t)(range >> t->bucket_shift) + 1;
	t->buckets = malloc(t->nbuckets * sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	for (b = 0; b < t->nbuckets; b++) {
		uint64_t pc = t->min_pc + ((uint64_t)b << t->bucket_shift);

		while (i + 1 < n && entry_at(t, i + 1) <= pc)
			i++;
		t->buckets[b] = (uint32_t)i;
	}
	return 0;
}

struct gopclntab *gopclntab__open(const uint8_t *data, size_t size,
				  const struct gopclntab_opts *opts)
{
	struct gopclntab *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	t->data = data;
	t->size = size;
	t->whole = (struct span){ 0, size };
	err = gopclntab__parse_header(data, size, &t->hdr);
	if (err) {
		set_err(opts, err == -ENOENT ? "no pclntab magic" : "corrupt pclntab header");
		goto fail;
	}
	if (opts) {
		t->vaddr = opts->vaddr;
		t->gofunc = opts->gofunc;
		t->view = opts->view;
		t->view_ctx = opts->view_ctx;
	}
	if (t->hdr.format >= GOPCLNTAB_GO118) {
		t->text = opts && opts->text_start ? opts->text_start : t->hdr.text_start;
		if (!t->text) {
			set_err(opts, "the table's text start is 0 and none was found elsewhere");
			err = -EINVAL;
			goto fail;
		}
	}
	err = t->hdr.format == GOPCLNTAB_GO12 ? layout_go12(t, opts) : layout_split(t, opts);
	if (err)
		goto fail;
	set_inline_layout(t, opts);
	err = check_functab(t, opts);
	if (err)
		goto fail;
	t->min_pc = entry_at(t, 0);
	t->max_pc = entry_at(t, t->hdr.nfunc);
	mark_terminated(t, &t->funcnames);
	mark_terminated(t, &t->filetab);
	mark_terminated(t, &t->whole);
	if (t->hdr.nfunc > UINT32_MAX || build_buckets(t)) {
		err = -ENOMEM;
		goto fail;
	}
	/* Checkpoints cost 12 bytes per 16 pairs of about 2.5 bytes each: a
	 * third of the pc tables if every one is indexed; capped at half.
	 * Plus 16 bytes a function, allocated on the first lookup. */
	if (!opts || !opts->no_index) {
		t->index = gopcindex__new(t->hdr.nfunc, t->pctab.len / 2 + 64 * 1024);
		if (!t->index) {
			err = -ENOMEM;
			goto fail;
		}
	}
	return t;
fail:
	gopclntab__free(t);
	errno = -err;
	return NULL;
}

void gopclntab__free(struct gopclntab *t)
{
	if (!t)
		return;
	gopcindex__free(t->index);
	free(t->buckets);
	free(t);
}

size_t gopclntab__index_bytes(const struct gopclntab *t)
{
	return sizeof(*t) + t->nbuckets * sizeof(*t->buckets) +
	       (t->index ? gopcindex__bytes(t->index) : 0);
}

enum gopclntab_format gopclntab__format(const struct gopclntab *t)
{
	return t->hdr.format;
}

uint64_t gopclntab__text_start(const struct gopclntab *t)
{
	return t->hdr.format >= GOPCLNTAB_GO118 ? t->text : t->min_pc;
}

bool gopclntab__has_inline(const struct gopclntab *t)
{
	return t->inl_funcdata >= 0;
}

size_t gopclntab__nfuncs(const struct gopclntab *t)
{
	return t->hdr.nfunc;
}

void gopclntab__pc_range(const struct gopclntab *t, uint64_t *min, uint64_t *max)
{
	*min = t->min_pc;
	*max = t->max_pc;
}

/* A NUL-terminated string at off in span s, or NULL. */
static const char *str_at(const struct gopclntab *t, const struct span *s, uint64_t off)
{
	const uint8_t *p;

	if (off >= s->len)
		return NULL;
	p = t->data + s->off + off;
	if (!s->terminated && !memchr(p, 0, s->len - off))
		return NULL;
	return (const char *)p;
}

static int fn_at(const struct gopclntab *t, size_t i, struct fn *f)
{
	uint64_t base = t->hdr.format == GOPCLNTAB_GO12 ? 0 : t->pcln.off;
	uint64_t off = base + funcoff_at(t, i);

	/* check_functab made sure the fixed part fits. */
	f->rec = t->data + off;
	f->avail = t->size - off;
	f->index = i;
	f->entry = entry_at(t, i);
	f->end = entry_at(t, i + 1);
	if (t->hdr.format >= GOPCLNTAB_GO118)
		f->base = t->text + rd32(t, f->rec);
	else
		f->base = rdptr(t, f->rec);
	return 0;
}

/* The last function whose entry is <= pc, if pc is before its end. */
static int find_fn(const struct gopclntab *t, uint64_t pc, struct fn *f)
{
	size_t lo, hi, b;

	if (pc < t->min_pc || pc >= t->max_pc)
		return -ENOENT;
	b = (size_t)((pc - t->min_pc) >> t->bucket_shift);
	lo = t->buckets[b];
	hi = b + 1 < t->nbuckets ? (size_t)t->buckets[b + 1] + 1 : t->hdr.nfunc;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (entry_at(t, mid) <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return fn_at(t, lo, f);
}

static const char *fn_name(const struct gopclntab *t, const struct fn *f)
{
	int32_t nameoff = (int32_t)rd32(t, f->rec + t->field0);

	return nameoff < 0 ? NULL : str_at(t, &t->funcnames, (uint64_t)nameoff);
}

/* The value a pc-value table at off (in the pc-table span) gives for
 * target, decoding from the function's entry as Go's runtime does. 0 and
 * *val; -ENOENT when off is 0 or the table ends before target; -EBADMSG
 * when it runs off its span. */
static int pcvalue(const struct gopclntab *t, const struct fn *f, int which, uint32_t off,
		   uint64_t target, int32_t *val)
{
	uint64_t base = f->base;
	const struct span *s = &t->pctab;
	const uint8_t *end = t->data + s->off + s->len;
	struct pcv_state st = { t->data + s->off + off, base, (uint32_t)-1 };
	int err;

	if (off == 0)
		return -ENOENT;
	if (off >= s->len)
		return -EBADMSG;
	if (t->index)
		return gopcindex__value(t->index, f->index * GOPCINDEX_TABLES + (size_t)which, st.p,
					end, base, t->hdr.quantum, target, val);
	while (!(err = pcv_step(&st, end, base, t->hdr.quantum))) {
		if (target < st.pc) {
			*val = (int32_t)st.val;
			return 0;
		}
	}
	return err;
}

/* Field k of the fixed record: the uint32 at field0 + 4*k. */
static inline uint32_t fn_field(const struct gopclntab *t, const struct fn *f, size_t k)
{
	return rd32(t, f->rec + t->field0 + 4 * k);
}

enum { F_NAME = 0, F_ARGS, F_DEFER, F_PCSP, F_PCFILE, F_PCLN, F_NPCDATA, F_CUOFF };

static const char *file_name(const struct gopclntab *t, const struct fn *f, int32_t fno)
{
	uint64_t idx;
	uint32_t off;

	if (t->hdr.format == GOPCLNTAB_GO12) {
		/* entry 0 is the count; names count from the table start */
		if (fno <= 0 || (uint32_t)fno >= t->nfiletab)
			return NULL;
		off = rd32(t, t->data + t->filetab.off + 4 * (size_t)fno);
		return str_at(t, &t->whole, off);
	}
	if (fno < 0)
		return NULL;
	idx = (uint64_t)fn_field(t, f, F_CUOFF) + (uint64_t)fno;
	if (idx >= t->cutab.len / 4)
		return NULL;
	off = rd32(t, t->data + t->cutab.off + 4 * idx);
	if (off == UINT32_MAX)
		return NULL;
	return str_at(t, &t->filetab, off);
}

static int file_line(const struct gopclntab *t, const struct fn *f, uint64_t pc, const char **file,
		     uint32_t *line)
{
	int32_t fno, ln;
	int err;

	*file = NULL;
	*line = 0;
	err = pcvalue(t, f, TAB_FILE, fn_field(t, f, F_PCFILE), pc, &fno);
	if (err == -EBADMSG)
		return err;
	if (!err)
		*file = file_name(t, f, fno);
	err = pcvalue(t, f, TAB_LINE, fn_field(t, f, F_PCLN), pc, &ln);
	if (err == -EBADMSG)
		return err;
	if (!err && ln > 0)
		*line = (uint32_t)ln;
	return 0;
}

/* The inline tree index (a PCDATA table) at pc: -ENOENT when the function
 * has none. */
static int inline_index(const struct gopclntab *t, const struct fn *f, uint64_t pc, int32_t *val)
{
	uint32_t npcdata = fn_field(t, f, F_NPCDATA);
	size_t at = t->func_size + 4 * (size_t)t->inl_pcdata;

	if ((uint32_t)t->inl_pcdata >= npcdata)
		return -ENOENT;
	if (at + 4 > f->avail)
		return -EBADMSG;
	return pcvalue(t, f, TAB_INLINE, rd32(t, f->rec + at), pc, val);
}

/* Address of FUNCDATA slot k, 0 when the function has none. */
static int funcdata_addr(const struct gopclntab *t, const struct fn *f, int k, uint64_t *addr)
{
	uint32_t npcdata = fn_field(t, f, F_NPCDATA);
	uint8_t nfuncdata = f->rec[t->func_size - 1];
	size_t at = t->func_size + 4 * (size_t)npcdata;

	*addr = 0;
	if (npcdata > f->avail / 4 || k >= nfuncdata)
		return 0;
	if (t->hdr.format >= GOPCLNTAB_GO118) {
		uint32_t off;

		at += 4 * (size_t)k;
		if (at + 4 > f->avail)
			return -EBADMSG;
		off = rd32(t, f->rec + at);
		if (off != UINT32_MAX)
			*addr = t->gofunc + off;
		return 0;
	}
	/* Pointers, aligned in memory as the runtime reads them. */
	if (t->hdr.ptrsize == 8 && ((t->vaddr + (uint64_t)(f->rec - t->data) + at) & 4))
		at += 4;
	at += (size_t)k * t->hdr.ptrsize;
	if (at + t->hdr.ptrsize > f->avail)
		return -EBADMSG;
	*addr = rdptr(t, f->rec + at);
	return 0;
}

/* The inline tree of f: NULL with 0 when it has none. */
static int inline_tree(const struct gopclntab *t, const struct fn *f, const uint8_t **tree,
		       size_t *len)
{
	uint64_t addr;
	int err;

	*tree = NULL;
	*len = 0;
	if (t->inl_funcdata < 0)
		return 0;
	err = funcdata_addr(t, f, t->inl_funcdata, &addr);
	if (err || !addr)
		return err;
	if (t->view(t->view_ctx, addr, tree, len))
		return -EBADMSG; /* a FUNCDATA address that points nowhere */
	return 0;
}

static void put_frame(struct sym_frame *frame, const char *function, const char *file,
		      uint32_t line)
{
	frame->function = function;
	frame->file = file;
	frame->line = line;
	frame->kind = FRAME_GO;
}

int gopclntab__resolve(const struct gopclntab *t, uint64_t pc, struct sym_frame *frames,
		       size_t cap)
{
	const uint8_t *tree;
	const char *fname;
	size_t tree_len, n = 0;
	uint64_t cur = pc;
	struct fn f;
	int err, depth;

	if (!cap)
		return -EINVAL;
	err = find_fn(t, pc, &f);
	if (err)
		return err;
	/* Lookups are cache misses in a big table: start the loads that do
	 * not depend on each other now (the name is printed last). */
	fname = fn_name(t, &f);
	if (!fname)
		return -EBADMSG;
	__builtin_prefetch(fname);
	if (t->index)
		gopcindex__prefetch(t->index, f.index * GOPCINDEX_TABLES);
	err = inline_tree(t, &f, &tree, &tree_len);
	if (err)
		return err;
	/* Each inlined call is a record naming the callee and the PC of its
	 * call site in the outer function, whose file:line is the caller's
	 * position: walk out until the PC is in no inlined body. */
	for (depth = 0; depth < MAX_INLINE_DEPTH; depth++) {
		const uint8_t *rec;
		const char *file, *name;
		int32_t ix = -1, parent_pc;
		uint32_t line;

		err = file_line(t, &f, cur, &file, &line);
		if (!err && tree)
			err = inline_index(t, &f, cur, &ix);
		if (err == -EBADMSG)
			return err;
		if (ix < 0) {
			put_frame(&frames[n++], fname, file, line);
			return (int)n;
		}
		if ((uint64_t)ix >= tree_len / t->inl_rec_size)
			return -EBADMSG;
		rec = tree + (size_t)ix * t->inl_rec_size;
		name = str_at(t, &t->funcnames, rd32(t, rec + t->inl_name_at));
		parent_pc = (int32_t)rd32(t, rec + t->inl_parent_pc_at);
		if (!name || parent_pc < 0)
			return -EBADMSG;
		if (n < cap - 1)
			put_frame(&frames[n++], name, file, line);
		cur = f.base + (uint64_t)parent_pc;
	}
	return -EBADMSG;
}

int gopclntab__func_bounds(const struct gopclntab *t, uint64_t pc, uint64_t *entry, uint64_t *end,
			   const char **name)
{
	struct fn f;
	int err = find_fn(t, pc, &f);

	if (err)
		return err;
	*entry = f.entry;
	*end = f.end;
	*name = fn_name(t, &f);
	return *name ? 0 : -EBADMSG;
}

int gopclntab__func(const struct gopclntab *t, size_t i, uint64_t *entry, uint64_t *end,
		    const char **name)
{
	struct fn f;

	if (i >= t->hdr.nfunc)
		return -ERANGE;
	fn_at(t, i, &f);
	*entry = f.entry;
	*end = f.end;
	*name = fn_name(t, &f);
	return *name ? 0 : -EBADMSG;
}

int gopclntab__sp_delta(const struct gopclntab *t, uint64_t pc, int32_t *delta)
{
	struct fn f;
	int err = find_fn(t, pc, &f);

	if (err)
		return err;
	return pcvalue(t, &f, TAB_SP, fn_field(t, &f, F_PCSP), pc, delta);
}
