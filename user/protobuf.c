#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protobuf.h"

/* ---- encoding ---------------------------------------------------------- */

void pb_buf__release(struct pb_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static bool grow(struct pb_buf *b, size_t extra)
{
	size_t cap;
	uint8_t *data;

	if (b->err)
		return false;
	if (b->len + extra <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra) {
		if (cap > SIZE_MAX / 2) {
			b->err = -ENOMEM;
			return false;
		}
		cap *= 2;
	}
	data = realloc(b->data, cap);
	if (!data) {
		b->err = -ENOMEM;
		return false;
	}
	b->data = data;
	b->cap = cap;
	return true;
}

static size_t varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static void put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p = (uint8_t)v;
}

void pb_buf__varint(struct pb_buf *b, uint64_t v)
{
	size_t n = varint_size(v);

	if (!grow(b, n))
		return;
	put_varint(b->data + b->len, v);
	b->len += n;
}

void pb_buf__tag(struct pb_buf *b, uint32_t field, enum pb_wire wire)
{
	pb_buf__varint(b, ((uint64_t)field << 3) | (uint64_t)wire);
}

void pb_buf__uint64_field(struct pb_buf *b, uint32_t field, uint64_t v)
{
	pb_buf__tag(b, field, PB_VARINT);
	pb_buf__varint(b, v);
}

void pb_buf__int64_field(struct pb_buf *b, uint32_t field, int64_t v)
{
	pb_buf__uint64_field(b, field, (uint64_t)v);
}

void pb_buf__bool_field(struct pb_buf *b, uint32_t field, bool v)
{
	pb_buf__uint64_field(b, field, v ? 1 : 0);
}

void pb_buf__bytes_field(struct pb_buf *b, uint32_t field, const void *data, size_t len)
{
	pb_buf__tag(b, field, PB_LEN);
	pb_buf__varint(b, len);
	if (!len || !grow(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void pb_buf__string_field(struct pb_buf *b, uint32_t field, const char *s)
{
	pb_buf__bytes_field(b, field, s, strlen(s));
}

/* The length goes before the content but is known only after it: reserve
 * one byte (enough below 128 bytes, the common case for locations and
 * samples) and move the content when the length needs more. */
size_t pb_buf__begin(struct pb_buf *b, uint32_t field)
{
	size_t mark;

	pb_buf__tag(b, field, PB_LEN);
	mark = b->len;
	if (grow(b, 1))
		b->data[b->len++] = 0;
	return mark;
}

void pb_buf__end(struct pb_buf *b, size_t mark)
{
	size_t content, n;

	if (b->err)
		return;
	content = b->len - mark - 1;
	n = varint_size(content);
	if (n > 1) {
		if (!grow(b, n - 1))
			return;
		memmove(b->data + mark + n, b->data + mark + 1, content);
		b->len += n - 1;
	}
	put_varint(b->data + mark, content);
}

/* ---- decoding ---------------------------------------------------------- */

void pb_view__init(struct pb_view *v, const void *data, size_t len)
{
	memset(v, 0, sizeof(*v));
	v->data = data;
	v->len = len;
}

static int corrupt(struct pb_view *v, size_t at)
{
	v->err_offset = v->base_offset + at;
	return -EBADMSG;
}

int pb_view__varint(struct pb_view *v, uint64_t *out)
{
	uint64_t value = 0;
	size_t start = v->pos, i;

	if (v->pos >= v->len)
		return 0;
	/* At most ten bytes; the tenth may only carry the top bit. */
	for (i = 0; i < 10; i++) {
		uint8_t byte;

		if (v->pos >= v->len)
			return corrupt(v, start);
		byte = v->data[v->pos++];
		if (i == 9 && byte > 1)
			return corrupt(v, start);
		value |= (uint64_t)(byte & 0x7f) << (7 * i);
		if (!(byte & 0x80)) {
			*out = value;
			return 1;
		}
	}
	return corrupt(v, start);
}

static int read_fixed(struct pb_view *v, size_t size, uint64_t *out)
{
	uint64_t value = 0;
	size_t i;

	if (v->len - v->pos < size)
		return corrupt(v, v->pos);
	/* Little-endian on the wire, whatever the host. */
	for (i = 0; i < size; i++)
		value |= (uint64_t)v->data[v->pos + i] << (8 * i);
	v->pos += size;
	*out = value;
	return 1;
}

int pb_view__next(struct pb_view *v, struct pb_field *f)
{
	size_t start = v->pos;
	uint64_t key, len;
	int rc;

	rc = pb_view__varint(v, &key);
	if (rc <= 0)
		return rc;
	if (key >> 3 == 0 || key >> 3 > UINT32_MAX)
		return corrupt(v, start);
	memset(f, 0, sizeof(*f));
	f->number = (uint32_t)(key >> 3);
	f->wire = (enum pb_wire)(key & 7);
	switch (f->wire) {
	case PB_VARINT:
		rc = pb_view__varint(v, &f->value);
		return rc == 0 ? corrupt(v, v->pos) : rc;
	case PB_FIXED64: return read_fixed(v, 8, &f->value);
	case PB_FIXED32: return read_fixed(v, 4, &f->value);
	case PB_LEN:
		rc = pb_view__varint(v, &len);
		if (rc <= 0)
			return rc == 0 ? corrupt(v, v->pos) : rc;
		if (len > v->len - v->pos)
			return corrupt(v, start);
		pb_view__init(&f->sub, v->data + v->pos, (size_t)len);
		f->sub.base_offset = v->base_offset + v->pos;
		v->pos += (size_t)len;
		return 1;
	default:
		/* Groups (3, 4) are deprecated and never in profile.proto. */
		return corrupt(v, start);
	}
}

int pb_field__each_varint(struct pb_field *f, int (*fn)(void *ctx, uint64_t v), void *ctx)
{
	struct pb_view packed;
	uint64_t value;
	int rc;

	if (f->wire == PB_VARINT)
		return fn(ctx, f->value);
	if (f->wire != PB_LEN)
		return -EBADMSG;
	packed = f->sub;
	packed.pos = 0;
	while ((rc = pb_view__varint(&packed, &value)) == 1) {
		rc = fn(ctx, value);
		if (rc)
			return rc;
	}
	f->sub.err_offset = packed.err_offset;
	return rc;
}

long pb_field__count_varints(const struct pb_field *f)
{
	struct pb_view packed;
	uint64_t value;
	long n = 0;
	int rc;

	if (f->wire == PB_VARINT)
		return 1;
	if (f->wire != PB_LEN)
		return -EBADMSG;
	packed = f->sub;
	packed.pos = 0;
	while ((rc = pb_view__varint(&packed, &value)) == 1)
		n++;
	return rc < 0 ? rc : n;
}
