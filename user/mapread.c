#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "mapread.h"

#define BATCH_ENTRIES 1024u
/* The kernel's internal "not supported", which map types without batch
 * operations return as is; user-space errno.h has no name for it. */
#define KERNEL_ENOTSUPP 524

static int each_by_key(int fd, size_t key_size, size_t value_size, mapread_fn fn, void *ctx)
{
	char *keys = malloc(2 * key_size), *value = malloc(value_size);
	void *prev = NULL, *next = keys + key_size;
	int err = 0;

	if (!keys || !value) {
		err = -ENOMEM;
		goto out;
	}
	while (!bpf_map_get_next_key(fd, prev, next)) {
		void *cur = next;

		/* The key just read becomes the cursor; the other buffer
		 * receives the next one. */
		next = prev ? prev : keys;
		prev = cur;
		if (bpf_map_lookup_elem(fd, cur, value))
			continue; /* deleted between the two calls */
		err = fn(ctx, cur, value);
		if (err)
			goto out;
	}
	err = errno == ENOENT ? 0 : -errno;
out:
	free(keys);
	free(value);
	return err;
}

int mapread__each(int fd, size_t key_size, size_t value_size, mapread_fn fn, void *ctx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t capacity = BATCH_ENTRIES, n, i;
	/* The kernel's cursor for hash maps is a bucket number: 4 bytes. */
	uint64_t cursor = 0, next_cursor = 0;
	bool first = true;
	char *keys = NULL, *values = NULL;
	int err = 0;

	for (;;) {
		if (!keys) {
			keys = malloc((size_t)capacity * key_size);
			values = malloc((size_t)capacity * value_size);
			if (!keys || !values) {
				err = -ENOMEM;
				break;
			}
		}
		n = capacity;
		err = bpf_map_lookup_batch(fd, first ? NULL : &cursor, &next_cursor, keys, values, &n,
					   &opts) ? -errno : 0;
		if (err == -ENOSPC && capacity < (1u << 20)) {
			/* One bucket holds more than a batch: bigger buffers. */
			capacity *= 2;
			free(keys);
			free(values);
			keys = values = NULL;
			continue;
		}
		if (first && (err == -EINVAL || err == -ENOTSUP || err == -EOPNOTSUPP ||
			      err == -KERNEL_ENOTSUPP)) {
			free(keys);
			free(values);
			return each_by_key(fd, key_size, value_size, fn, ctx);
		}
		if (err && err != -ENOENT)
			break;
		for (i = 0; i < n; i++) {
			int stop = fn(ctx, keys + (size_t)i * key_size, values + (size_t)i * value_size);

			if (stop) {
				err = stop;
				goto out;
			}
		}
		if (err == -ENOENT) { /* that was the last batch */
			err = 0;
			break;
		}
		cursor = next_cursor;
		first = false;
	}
out:
	free(keys);
	free(values);
	return err;
}
