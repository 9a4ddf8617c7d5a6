/* Opening a pclntab: the header, the layout of each format's sub-tables,
 * and the checks that let lookups trust the function table. Layouts are
 * Go's (runtime/symtab.go, cmd/link's pcln.go) as they stood in each
 * release. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gopclntab_int.h"

#define MAGIC_GO12 0xfffffffbu
#define MAGIC_GO116 0xfffffffau
#define MAGIC_GO118 0xfffffff0u
#define MAGIC_GO120 0xfffffff1u

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
	case GOPCLNTAB_GO12: return "go1.2";
	case GOPCLNTAB_GO116: return "go1.16";
	case GOPCLNTAB_GO118: return "go1.18";
	case GOPCLNTAB_GO120: return "go1.20";
	}
	return "unknown";
}

static int format_of(uint32_t magic, enum gopclntab_format *format)
{
	switch (magic) {
	case MAGIC_GO12: *format = GOPCLNTAB_GO12; return 0;
	case MAGIC_GO116: *format = GOPCLNTAB_GO116; return 0;
	case MAGIC_GO118: *format = GOPCLNTAB_GO118; return 0;
	case MAGIC_GO120: *format = GOPCLNTAB_GO120; return 0;
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
	if (t->functab.len > t->size - t->functab.off ||
	    t->size - t->functab.off - t->functab.len < 4) {
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
				set_err(opts,
					"function %zu: record offset 0x%llx outside the table", i,
					(unsigned long long)off);
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
