/* Streaming folded-stack parser: a byte source (gzip file, plain or gzip
 * memory) fills a line buffer; each complete line is split in place and
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

struct source {
	/* > 0 bytes read, 0 at the end, or -errno. */
	long (*read)(struct source *src, char *buf, size_t cap);
	gzFile gz;
	const unsigned char *mem;
	size_t mem_len, mem_off;
	z_stream zs;
	bool zs_live, zs_done;
};

static long gz_read(struct source *src, char *buf, size_t cap)
{
	int n, zerr;
	const char *msg;

	if (cap > INT_MAX)
		cap = INT_MAX;
	n = gzread(src->gz, buf, (unsigned)cap);
	if (n > 0)
		return n;
	/* 0 is the end, but a truncated gzip member is only visible here. */
	msg = gzerror(src->gz, &zerr);
	(void)msg;
	if (zerr == Z_OK || zerr == Z_STREAM_END)
		return 0;
	if (zerr == Z_ERRNO)
		return errno ? -errno : -EIO;
	if (zerr == Z_MEM_ERROR)
		return -ENOMEM;
	return -EBADMSG;
}

static long mem_read(struct source *src, char *buf, size_t cap)
{
	size_t n = src->mem_len - src->mem_off;

	if (n > cap)
		n = cap;
	if (n == 0)
		return 0;
	memcpy(buf, src->mem + src->mem_off, n);
	src->mem_off += n;
	return (long)n;
}

static bool gzip_magic(const unsigned char *p, size_t len)
{
	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* gzip in memory, member after member as gzread does; bytes after the last
 * member that are not another member end the stream (zlib's behaviour). */
static long inflate_read(struct source *src, char *buf, size_t cap)
{
	z_stream *zs = &src->zs;
	int ret;

	if (cap > UINT_MAX)
		cap = UINT_MAX;
	zs->next_out = (unsigned char *)buf;
	zs->avail_out = (unsigned)cap;
	while (zs->avail_out > 0 && !src->zs_done) {
		if (zs->avail_in == 0 && src->mem_off < src->mem_len) {
			size_t left = src->mem_len - src->mem_off;

			zs->next_in = (unsigned char *)src->mem + src->mem_off;
			zs->avail_in = left > UINT_MAX ? UINT_MAX : (unsigned)left;
			src->mem_off += zs->avail_in;
		}
		ret = inflate(zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			const unsigned char *rest = zs->next_in;
			size_t rest_len = zs->avail_in + (src->mem_len - src->mem_off);

			/* next_in points into the one contiguous input, so
			 * rest covers every byte not yet inflated. */
			if (!gzip_magic(rest, rest_len)) {
				src->zs_done = true;
				break;
			}
			if (inflateReset(zs) != Z_OK)
				return -EBADMSG;
			continue;
		}
		if (ret == Z_MEM_ERROR)
			return -ENOMEM;
		/* Z_BUF_ERROR with room to write: the input ended mid-member. */
		if (ret != Z_OK)
			return -EBADMSG;
	}
	return (long)(cap - zs->avail_out);
}

static int source_open_fd(struct source *src, int fd)
{
	int copy = dup(fd);

	memset(src, 0, sizeof(*src));
	if (copy < 0)
		return -errno;
	src->gz = gzdopen(copy, "rb");
	if (!src->gz) {
		close(copy);
		return -ENOMEM;
	}
	gzbuffer(src->gz, 128u << 10);
	src->read = gz_read;
	return 0;
}

static int source_open_mem(struct source *src, const void *buf, size_t len)
{
	memset(src, 0, sizeof(*src));
	src->mem = buf;
	src->mem_len = len;
	src->read = mem_read;
	if (!gzip_magic(buf, len))
		return 0;
	if (inflateInit2(&src->zs, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	src->zs_live = true;
	src->read = inflate_read;
	return 0;
}

static void source_close(struct source *src)
{
	if (src->gz)
		gzclose(src->gz);
	if (src->zs_live)
		inflateEnd(&src->zs);
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
	n = p->src->read(p->src, p->buf + p->end, p->cap - p->end);
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
		n = p->src->read(p->src, p->buf, p->cap);
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

int folded__parse_fd(int fd, folded_stack_fn on_stack, folded_malformed_fn on_malformed,
		     void *ctx, struct folded_stats *stats)
{
	struct source src;
	int err;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!on_stack)
		return -EINVAL;
	err = source_open_fd(&src, fd);
	if (err)
		return err;
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
	if (err)
		return err;
	err = parse(&src, on_stack, on_malformed, ctx, stats);
	source_close(&src);
	return err;
}
