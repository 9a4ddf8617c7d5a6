/* Streaming folded-stack parser: a byte source (an fd or memory, plain or
 * gzip) fills a line buffer; each complete line is split in place and
 * handed to the callback. Only the current line is ever held. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "folded.h"

#define INITIAL_BUF (256u << 10)
#define INITIAL_FRAMES 256u

/* ---- byte sources --------------------------------------------------------- */

#define RAW_BUF (128u << 10)

/* Raw bytes come from an fd (read into raw[]) or from memory. Plain input
 * is read straight into the parser's buffer; gzip (recognized by its magic)
 * goes through inflate, member after member as gzread does, and bytes after
 * the last member that are not another member end the stream (zlib's
 * behaviour). */
struct source {
	int fd; /* -1: memory */
	const unsigned char *mem;
	size_t mem_len, mem_off;
	unsigned char *raw; /* fd: what was read but not consumed, raw[0..raw_len) */
	size_t raw_len;
	bool gzip;
	z_stream zs;
	bool zs_live, zs_done;
	int err; /* to report after the bytes inflated before it */
};

static long read_fd(int fd, void *buf, size_t cap)
{
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

/* Makes at least want raw bytes pending (fewer only at the end of input).
 * Memory is always wholly pending. 0 or -errno. */
static int pend(struct source *src, size_t want)
{
	while (src->fd >= 0 && src->raw_len < want) {
		long n = read_fd(src->fd, src->raw + src->raw_len, RAW_BUF - src->raw_len);

		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		src->raw_len += (size_t)n;
	}
	return 0;
}

static bool gzip_magic(const unsigned char *p, size_t len)
{
	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static long plain_read(struct source *src, char *buf, size_t cap)
{
	size_t n;

	if (src->fd >= 0) {
		if (!src->raw_len)
			return read_fd(src->fd, buf, cap);
		/* the bytes read to look for the gzip magic */
		n = src->raw_len < cap ? src->raw_len : cap;
		memcpy(buf, src->raw, n);
		memmove(src->raw, src->raw + n, src->raw_len - n);
		src->raw_len -= n;
		return (long)n;
	}
	n = src->mem_len - src->mem_off;
	if (n > cap)
		n = cap;
	if (n)
		memcpy(buf, src->mem + src->mem_off, n);
	src->mem_off += n;
	return (long)n;
}

/* Points zs at the pending input; with an fd, compacts and reads more. */
static int feed(struct source *src, size_t want)
{
	z_stream *zs = &src->zs;
	int err;

	if (src->fd < 0) {
		size_t left = src->mem_len - src->mem_off;

		if (zs->avail_in == 0 && left) {
			zs->next_in = (unsigned char *)src->mem + src->mem_off;
			zs->avail_in = left > UINT_MAX ? UINT_MAX : (unsigned)left;
			src->mem_off += zs->avail_in;
		}
		return 0;
	}
	if (zs->avail_in >= want)
		return 0;
	memmove(src->raw, zs->next_in, zs->avail_in);
	src->raw_len = zs->avail_in;
	err = pend(src, want);
	zs->next_in = src->raw;
	zs->avail_in = (unsigned)src->raw_len;
	return err;
}

static long inflate_read(struct source *src, char *buf, size_t cap)
{
	z_stream *zs = &src->zs;
	int ret, err = 0;

	if (src->err)
		return src->err;
	if (cap > UINT_MAX)
		cap = UINT_MAX;
	zs->next_out = (unsigned char *)buf;
	zs->avail_out = (unsigned)cap;
	while (zs->avail_out > 0 && !src->zs_done) {
		err = feed(src, 1);
		if (err)
			break;
		ret = inflate(zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			/* Another member follows only if its magic does. */
			err = feed(src, 2);
			if (err)
				break;
			if (!gzip_magic(zs->next_in, zs->avail_in)) {
				src->zs_done = true;
				break;
			}
			if (inflateReset(zs) != Z_OK)
				err = -EBADMSG;
			if (err)
				break;
			continue;
		}
		/* Z_BUF_ERROR with room to write: the input ended mid-member. */
		if (ret != Z_OK) {
			err = ret == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
			break;
		}
	}
	/* Hand over what was inflated; the error comes with the next call. */
	if (err && zs->avail_out == cap)
		return err;
	src->err = err;
	return (long)(cap - zs->avail_out);
}

static long source_read(struct source *src, char *buf, size_t cap)
{
	return src->gzip ? inflate_read(src, buf, cap) : plain_read(src, buf, cap);
}

/* Looks at the first bytes and sets up gzip when they are its magic. */
static int source_start(struct source *src)
{
	const unsigned char *head = src->mem;
	size_t len = src->mem_len;
	int err = pend(src, 2);

	if (err)
		return err;
	if (src->fd >= 0) {
		head = src->raw;
		len = src->raw_len;
	}
	if (!gzip_magic(head, len))
		return 0;
	if (inflateInit2(&src->zs, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	src->zs_live = true;
	src->gzip = true;
	if (src->fd >= 0) {
		src->zs.next_in = src->raw;
		src->zs.avail_in = (unsigned)src->raw_len;
	}
	return 0;
}

static int source_open_fd(struct source *src, int fd)
{
	memset(src, 0, sizeof(*src));
	src->fd = fd;
	src->raw = malloc(RAW_BUF);
	if (!src->raw)
		return -ENOMEM;
	return source_start(src);
}

static int source_open_mem(struct source *src, const void *buf, size_t len)
{
	memset(src, 0, sizeof(*src));
	src->fd = -1;
	src->mem = buf;
	src->mem_len = len;
	return source_start(src);
}

static void source_close(struct source *src)
{
	if (src->zs_live)
		inflateEnd(&src->zs);
	free(src->raw);
	memset(src, 0, sizeof(*src));
}

/* ---- line parsing ---------------------------------------------------------- */

struct parser {
	struct source *src;
	char *buf; /* cap + 1 bytes: a NUL always fits after a line */
	size_t cap, start, end;
	bool eof;
	const char **frames;
	size_t *lens;
	size_t frames_cap;
	folded_stack_fn on_stack;
	folded_malformed_fn on_malformed;
	void *ctx;
	struct folded_stats *stats;
};

static void malformed(struct parser *p, const char *reason)
{
	p->stats->malformed++;
	if (p->on_malformed)
		p->on_malformed(p->ctx, p->stats->lines, reason);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* digits, optionally '.' and more digits: flamegraph.pl's \d+(?:\.\d*)? */
static const char *parse_count(const char *tok, size_t len, double *count)
{
	size_t i = 0, digits = 0;

	while (i < len && tok[i] >= '0' && tok[i] <= '9')
		i++, digits++;
	if (!digits)
		return "count is not a number";
	if (i < len && tok[i] == '.')
		for (i++; i < len && tok[i] >= '0' && tok[i] <= '9'; i++)
			;
	if (i != len)
		return "count is not a number";
	/* tok is NUL-terminated by the caller and holds only [0-9.]. */
	*count = strtod(tok, NULL);
	if (!(*count <= FOLDED_MAX_COUNT))
		return "count too large (above 2^53)";
	return NULL;
}

static int grow_frames(struct parser *p)
{
	size_t cap = p->frames_cap ? p->frames_cap * 2 : INITIAL_FRAMES;
	const char **frames;
	size_t *lens;

	if (cap > FOLDED_MAX_FRAMES)
		cap = FOLDED_MAX_FRAMES;
	frames = realloc(p->frames, cap * sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	p->frames = frames;
	lens = realloc(p->lens, cap * sizeof(*lens));
	if (!lens)
		return -ENOMEM;
	p->lens = lens;
	p->frames_cap = cap;
	return 0;
}

/* Splits s[0..len) on ';' in place into p->frames; *n gets the count.
 * 1 when there are too many frames, 0 or -ENOMEM. */
static int split_frames(struct parser *p, char *s, size_t len, size_t *n)
{
	char *end = s + len, *f = s;
	size_t i = 0;
	int err;

	for (;;) {
		char *semi = memchr(f, ';', (size_t)(end - f));
		char *stop = semi ? semi : end;

		if (i == p->frames_cap) {
			if (p->frames_cap == FOLDED_MAX_FRAMES)
				return 1;
			err = grow_frames(p);
			if (err)
				return err;
		}
		*stop = '\0';
		p->frames[i] = f;
		p->lens[i] = (size_t)(stop - f);
		i++;
		if (!semi)
			break;
		f = semi + 1;
	}
	*n = i;
	return 0;
}

/* s[len] is writable. Returns 0 or the callback's/allocation error. */
static int parse_line(struct parser *p, char *s, size_t len)
{
	const char *why;
	size_t first = 0, tok, stack_len, n;
	double count;
	int err;

	p->stats->lines++;
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	while (first < len && is_blank(s[first]))
		first++;
	if (first == len || s[first] == '#') {
		p->stats->skipped++;
		return 0;
	}
	if (memchr(s, '\0', len)) {
		malformed(p, "NUL byte in line");
		return 0;
	}
	for (tok = len; tok > 0 && !is_blank(s[tok - 1]); tok--)
		;
	if (tok == 0) {
		malformed(p, "no count at end of line");
		return 0;
	}
	s[len] = '\0';
	why = parse_count(s + tok, len - tok, &count);
	if (why) {
		malformed(p, why);
		return 0;
	}
	for (stack_len = tok; stack_len > 0 && is_blank(s[stack_len - 1]); stack_len--)
		;
	if (stack_len == 0) {
		malformed(p, "no frames before the count");
		return 0;
	}
	err = split_frames(p, s, stack_len, &n);
	if (err > 0) {
		malformed(p, "too many frames (more than 65536)");
		return 0;
	}
	if (err)
		return err;
	err = p->on_stack(p->ctx, p->frames, p->lens, n, count);
	if (err)
		return err;
	p->stats->stacks++;
	p->stats->total += count;
	return 0;
}

/* Reads more bytes after p->end; grows the buffer when a line fills it.
 * 1 when the pending line is longer than FOLDED_MAX_LINE. */
static int fill(struct parser *p)
{
	long n;

	if (p->start > 0) {
		memmove(p->buf, p->buf + p->start, p->end - p->start);
		p->end -= p->start;
		p->start = 0;
	}
	if (p->end == p->cap) {
		size_t cap = p->cap * 2;
		char *buf;

		if (p->cap > FOLDED_MAX_LINE)
			return 1;
		if (cap > FOLDED_MAX_LINE + 1)
			cap = FOLDED_MAX_LINE + 1;
		buf = realloc(p->buf, cap + 1);
		if (!buf)
			return -ENOMEM;
		p->buf = buf;
		p->cap = cap;
	}
	n = source_read(p->src, p->buf + p->end, p->cap - p->end);
	if (n < 0)
		return (int)n;
	if (n == 0)
		p->eof = true;
	p->end += (size_t)n;
	return 0;
}

/* Drops the rest of an over-long line, up to and including its '\n'. */
static int skip_long_line(struct parser *p)
{
	p->stats->lines++;
	malformed(p, "line longer than 16 MiB");
	for (;;) {
		char *nl = memchr(p->buf, '\n', p->end);
		long n;

		if (nl) {
			p->start = (size_t)(nl - p->buf) + 1;
			return 0;
		}
		p->start = p->end = 0;
		n = source_read(p->src, p->buf, p->cap);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			p->eof = true;
			return 0;
		}
		p->end = (size_t)n;
	}
}

static int run(struct parser *p)
{
	int err;

	for (;;) {
		char *line = p->buf + p->start;
		char *nl = memchr(line, '\n', p->end - p->start);

		if (nl) {
			err = parse_line(p, line, (size_t)(nl - line));
			if (err)
				return err;
			p->start = (size_t)(nl - p->buf) + 1;
			continue;
		}
		if (p->eof) {
			if (p->end > p->start)
				return parse_line(p, line, p->end - p->start);
			return 0;
		}
		err = fill(p);
		if (err == 1)
			err = skip_long_line(p);
		if (err)
			return err;
	}
}

static int parse(struct source *src, folded_stack_fn on_stack, folded_malformed_fn on_malformed,
		 void *ctx, struct folded_stats *stats)
{
	struct folded_stats local;
	struct parser p = {
		.src = src,
		.on_stack = on_stack,
		.on_malformed = on_malformed,
		.ctx = ctx,
		.stats = stats ? stats : &local,
	};
	int err;

	memset(p.stats, 0, sizeof(*p.stats));
	p.cap = INITIAL_BUF;
	p.buf = malloc(p.cap + 1);
	if (!p.buf)
		return -ENOMEM;
	err = grow_frames(&p);
	if (!err)
		err = run(&p);
	free(p.frames);
	free(p.lens);
	free(p.buf);
	return err;
}

int folded__parse_fd(int fd, folded_stack_fn on_stack, folded_malformed_fn on_malformed, void *ctx,
		     struct folded_stats *stats)
{
	struct source src;
	int err;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!on_stack)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	err = source_open_fd(&src, fd);
	if (!err)
		err = parse(&src, on_stack, on_malformed, ctx, stats);
	source_close(&src);
	return err;
}

int folded__parse_mem(const void *buf, size_t len, folded_stack_fn on_stack,
		      folded_malformed_fn on_malformed, void *ctx, struct folded_stats *stats)
{
	struct source src;
	int err;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!on_stack || (!buf && len))
		return -EINVAL;
	err = source_open_mem(&src, buf, len);
	if (!err)
		err = parse(&src, on_stack, on_malformed, ctx, stats);
	source_close(&src);
	return err;
}
