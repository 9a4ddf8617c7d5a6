#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "flamegraph/folded.h"
#include "gzbuf.h"
#include "profile_load.h"

const char *profile_source__name(enum profile_source s)
{
	return s == PROFILE_SOURCE_PPROF ? "pprof" : "folded";
}

struct folded_ctx {
	struct profile *out;
	struct profile_load_info *info;
	uint32_t *locs;
	size_t cap;
	int64_t total;
};

static void note_bad(struct profile_load_info *info, uint64_t line_no, const char *reason)
{
	if (!info->first_bad_line) {
		info->first_bad_line = line_no;
		info->first_bad_reason = reason;
	}
}

static void on_malformed(void *ctx, uint64_t line_no, const char *reason)
{
	struct folded_ctx *c = ctx;

	c->info->malformed++;
	note_bad(c->info, line_no, reason);
}

static int frame_location(struct profile *p, const char *name, size_t len, uint32_t *loc)
{
	struct profile_line line = { 0 };
	enum frame_kind kind = FRAME_NATIVE;
	char *kernel = NULL;
	int err;

	if (len >= 4 && !memcmp(name + len - 4, "_[k]", 4)) {
		/* The suffix is how folded text marks kernel frames: keep the
		 * plain name and the kind, as record does. */
		kernel = strndup(name, len - 4);
		if (!kernel)
			return -ENOMEM;
		name = kernel;
		kind = FRAME_KERNEL;
	} else if (!len || name[0] == '[') {
		kind = FRAME_UNKNOWN; /* "[unknown]", lost-stack markers */
	}
	err = profile__add_function(p, name, NULL, kind, &line.function);
	free(kernel);
	return err ? err : profile__add_location(p, 0, PROFILE_NO_MAPPING, &line, 1, loc);
}

static int on_stack(void *ctx, const char *const *frames, const size_t *lens, size_t n,
		    double count)
{
	struct folded_ctx *c = ctx;
	size_t i;
	int err;

	if (count != floor(count)) {
		c->info->fractional++;
		c->info->skipped_samples += count;
		return 0;
	}
	if (count <= 0 || !n)
		return 0;
	/* As for pprof: no sum of counts downstream may overflow. */
	if (count > (double)(PPROF_MAX_TOTAL - c->total))
		return -EOVERFLOW;
	c->total += (int64_t)count;
	c->info->stacks++;
	if (n > c->cap) {
		uint32_t *grown = realloc(c->locs, n * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		c->locs = grown;
		c->cap = n;
	}
	/* Folded is root first; the model is leaf first. */
	for (i = 0; i < n; i++)
		if ((err = frame_location(c->out, frames[i], lens[i], &c->locs[n - 1 - i])))
			return err;
	return profile__add_sample(c->out, c->locs, n, (int64_t)count, NULL, 0);
}

static int load_folded(const void *data, size_t len, struct profile *out,
		       struct profile_load_info *info)
{
	struct folded_ctx c = { .out = out, .info = info };
	struct folded_stats stats = { 0 };
	int err = folded__parse_mem(data, len, on_stack, on_malformed, &c, &stats);

	info->lines = stats.lines;
	free(c.locs);
	return err;
}

static bool looks_binary(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 4096; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') || p[i] == 0x7f)
			return true;
	return false;
}

int profile__load_mem(const void *data, size_t len, struct profile *out,
		      struct profile_load_info *info)
{
	void *inflated = NULL;
	size_t inflated_len = 0;
	int err;

	memset(info, 0, sizeof(*info));
	if (gzbuf__is_gzip(data, len)) {
		info->gzip = true;
		err = gzbuf__inflate(data, len, PPROF_MAX_BYTES, &inflated, &inflated_len,
				     &info->pprof.error_offset);
		if (err == -EBADMSG) {
			info->pprof.error = "corrupt or truncated gzip stream";
			info->pprof.gzip_error = 1;
		}
		if (err)
			return err;
		data = inflated;
		len = inflated_len;
	}
	/* Folded text never holds control bytes; a pprof cut short or corrupt
	 * does not walk as one but is still binary: read it as pprof so the
	 * error says what is wrong with it. */
	if (len && (pprof__looks_like(data, len) || looks_binary(data, len))) {
		info->source = PROFILE_SOURCE_PPROF;
		err = pprof__read(data, len, 0, out, &info->pprof);
	} else {
		info->source = PROFILE_SOURCE_FOLDED;
		err = load_folded(data, len, out, info);
	}
	free(inflated);
	return err;
}

int profile__load_file(const char *path, struct profile *out, struct profile_load_info *info)
{
	char *data;
	size_t len;
	int err;

	memset(info, 0, sizeof(*info));
	err = strcmp(path, "-")
		      ? fileio__slurp(path, &data, &len, PROFILE_LOAD_MAX_BYTES)
		      : fileio__slurp_fd(STDIN_FILENO, &data, &len, PROFILE_LOAD_MAX_BYTES);
	if (err)
		return err;
	err = profile__load_mem(data, len, out, info);
	free(data);
	return err;
}
