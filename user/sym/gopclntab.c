/* Looking PCs up in an opened pclntab: the function by binary search, its
 * pc-value tables (through the checkpoint index), names, files and the
 * inline tree. Every offset read from the table is checked against the
 * sub-table it indexes before use. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gopclntab_int.h"
#include "sym/gopcvalue.h"

/* Deeper inline chains than this are a loop in a corrupt tree. */
#define MAX_INLINE_DEPTH 100

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

/* A pc-value table lookup in two steps: seek (the table's start, or the
 * index's checkpoint) for every table a PC needs, then decode each, so the
 * cache misses on the tables' bytes overlap instead of following each
 * other. Decoding is as Go's runtime does from the function's entry. */
struct pcq {
	int which; /* TAB_*: the index slot */
	uint32_t off; /* in the pc-table span; 0: the function has none */
	int err;
	struct pcv_state st;
};

static void pcq_seek(const struct gopclntab *t, const struct fn *f, struct pcq *q, uint64_t target)
{
	const struct span *s = &t->pctab;
	const uint8_t *tab = t->data + s->off + q->off, *end = t->data + s->off + s->len;

	q->err = q->off == 0 ? -ENOENT : q->off >= s->len ? -EBADMSG : 0;
	if (q->err)
		return;
	q->st = (struct pcv_state){ tab, f->base, (uint32_t)-1 };
	if (t->index)
		gopcindex__seek(t->index, f->index * GOPCINDEX_TABLES + (size_t)q->which, tab, end,
				f->base, t->hdr.quantum, target, &q->st);
	__builtin_prefetch(q->st.p);
}

/* 0 and *val; -ENOENT when the function has no such table or it ends
 * before target; -EBADMSG when it runs off its span. */
static int pcq_value(const struct gopclntab *t, const struct fn *f, struct pcq *q, uint64_t target,
		     int32_t *val)
{
	const uint8_t *end = t->data + t->pctab.off + t->pctab.len;
	int err = q->err;

	while (!err && !(err = pcv_step(&q->st, end, f->base, t->hdr.quantum))) {
		if (target < q->st.pc) {
			*val = (int32_t)q->st.val;
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

/* Offset of the inline tree index (a PCDATA table) of f: 0 when it has
 * none, -EBADMSG when its pcdata array runs off the table. */
static int inline_table(const struct gopclntab *t, const struct fn *f, uint32_t *off)
{
	size_t at = t->func_size + 4 * (size_t)t->inl_pcdata;

	*off = 0;
	if ((uint32_t)t->inl_pcdata >= fn_field(t, f, F_NPCDATA))
		return 0;
	if (at + 4 > f->avail)
		return -EBADMSG;
	*off = rd32(t, f->rec + at);
	return 0;
}

/* File, line and inline tree index at pc (file NULL, line 0, index -1
 * where the tables say nothing). inl is the inline table's offset, 0 for
 * none. -EBADMSG when a table is corrupt. */
static int position(const struct gopclntab *t, const struct fn *f, uint32_t inl, uint64_t pc,
		    const char **file, uint32_t *line, int32_t *ix)
{
	struct pcq q[3] = {
		{ .which = TAB_FILE, .off = fn_field(t, f, F_PCFILE) },
		{ .which = TAB_LINE, .off = fn_field(t, f, F_PCLN) },
		{ .which = TAB_INLINE, .off = inl },
	};
	int32_t v[3];
	int err[3], k;

	for (k = 0; k < 3; k++)
		pcq_seek(t, f, &q[k], pc);
	for (k = 0; k < 3; k++) {
		err[k] = pcq_value(t, f, &q[k], pc, &v[k]);
		if (err[k] == -EBADMSG)
			return err[k];
	}
	*file = err[0] ? NULL : file_name(t, f, v[0]);
	*line = !err[1] && v[1] > 0 ? (uint32_t)v[1] : 0;
	*ix = err[2] ? -1 : v[2];
	return 0;
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

int gopclntab__resolve(const struct gopclntab *t, uint64_t pc, struct sym_frame *frames, size_t cap)
{
	const uint8_t *tree;
	const char *fname;
	uint32_t inl = 0;
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
	if (!err && tree)
		err = inline_table(t, &f, &inl);
	if (err)
		return err;
	/* Each inlined call is a record naming the callee and the PC of its
	 * call site in the outer function, whose file:line is the caller's
	 * position: walk out until the PC is in no inlined body. */
	for (depth = 0; depth < MAX_INLINE_DEPTH; depth++) {
		const uint8_t *rec;
		const char *file, *name;
		int32_t ix, parent_pc;
		uint32_t line;

		err = position(t, &f, inl, cur, &file, &line, &ix);
		if (err)
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
	struct pcq q = { .which = TAB_SP };
	struct fn f;
	int err = find_fn(t, pc, &f);

	if (err)
		return err;
	q.off = fn_field(t, &f, F_PCSP);
	pcq_seek(t, &f, &q, pc);
	return pcq_value(t, &f, &q, pc, delta);
}
