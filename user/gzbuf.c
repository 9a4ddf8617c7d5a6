#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gzbuf.h"

/* zlib counts in uInt; feed it in slices that fit. */
#define SLICE ((size_t)1 << 30)

bool gzbuf__is_gzip(const void *data, size_t len)
{
	const unsigned char *p = data;

	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static int grow_out(unsigned char **buf, size_t *cap, size_t used, size_t max_out)
{
	size_t want;
	unsigned char *bigger;

	if (used < *cap)
		return 0;
	if (*cap >= max_out + 1)
		return -EFBIG;
	want = *cap < SIZE_MAX / 2 ? *cap * 2 : SIZE_MAX;
	if (want > max_out + 1)
		want = max_out + 1; /* room to notice one byte too many */
	bigger = realloc(*buf, want);
	if (!bigger)
		return -ENOMEM;
	*buf = bigger;
	*cap = want;
	return 0;
}

int gzbuf__inflate(const void *data, size_t len, size_t max_out, void **out, size_t *out_len,
		   size_t *err_offset)
{
	z_stream zs = { 0 };
	unsigned char *buf;
	size_t cap = 64 * 1024, used = 0, in_done = 0;
	int zrc, err = 0;

	if (max_out >= SIZE_MAX - 1)
		max_out = SIZE_MAX - 2;
	if (cap > max_out + 1)
		cap = max_out + 1;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	/* 15 + 32: gzip or zlib header, detected. */
	if (inflateInit2(&zs, 15 + 32) != Z_OK) {
		free(buf);
		return -ENOMEM;
	}
	for (;;) {
		if (!zs.avail_in && in_done < len) {
			zs.next_in = (unsigned char *)data + in_done;
			zs.avail_in = (uInt)(len - in_done < SLICE ? len - in_done : SLICE);
			in_done += zs.avail_in;
		}
		if ((err = grow_out(&buf, &cap, used, max_out)))
			break;
		zs.next_out = buf + used;
		zs.avail_out = (uInt)(cap - used < SLICE ? cap - used : SLICE);
		zrc = inflate(&zs, Z_NO_FLUSH);
		used = (size_t)(zs.next_out - buf);
		if (used > max_out) {
			err = -EFBIG;
			break;
		}
		if (zrc == Z_STREAM_END) {
			size_t consumed = in_done - zs.avail_in;

			/* Another member may follow; trailing zero padding is
			 * tolerated, as gzip(1) does. */
			while (consumed < len && ((const unsigned char *)data)[consumed] == 0)
				consumed++;
			if (consumed >= len)
				break;
			in_done = consumed;
			zs.avail_in = 0;
			if (inflateReset(&zs) != Z_OK) {
				err = -EBADMSG;
				break;
			}
			continue;
		}
		if (zrc == Z_BUF_ERROR && !zs.avail_in && in_done >= len) {
			err = -EBADMSG; /* truncated */
			break;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			err = zrc == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
			break;
		}
	}
	if (err == -EBADMSG && err_offset)
		*err_offset = in_done - zs.avail_in;
	inflateEnd(&zs);
	if (!err && (err = grow_out(&buf, &cap, used, SIZE_MAX - 2)) == 0) {
		buf[used] = 0;
		*out = buf;
		*out_len = used;
		return 0;
	}
	free(buf);
	return err;
}

int gzbuf__deflate_to(const void *data, size_t len, FILE *fp)
{
	unsigned char chunk[64 * 1024];
	z_stream zs = { 0 };
	size_t in_done = 0;
	int zrc, err = 0;

	/* 15 + 16: a gzip wrapper with a default header (no name, mtime 0). */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -ENOMEM;
	do {
		if (!zs.avail_in && in_done < len) {
			zs.next_in = (unsigned char *)data + in_done;
			zs.avail_in = (uInt)(len - in_done < SLICE ? len - in_done : SLICE);
			in_done += zs.avail_in;
		}
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zrc = deflate(&zs, in_done >= len ? Z_FINISH : Z_NO_FLUSH);
		if (zrc == Z_STREAM_ERROR) {
			err = -EINVAL;
			break;
		}
		if (fwrite(chunk, 1, sizeof(chunk) - zs.avail_out, fp) !=
		    sizeof(chunk) - zs.avail_out) {
			err = -EIO;
			break;
		}
	} while (zrc != Z_STREAM_END);
	deflateEnd(&zs);
	return err;
}
