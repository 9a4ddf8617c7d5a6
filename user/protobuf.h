/* The protobuf wire format, only as much of it as profile.proto needs:
 * varints, 64-bit two's-complement ints, length-delimited fields (strings,
 * nested messages, packed repeated varints). No schema, no reflection.
 *
 * Encoding appends to a growable buffer with a sticky error (like git's
 * strbuf): callers write a whole message and check pb_buf.err once.
 *
 * Decoding reads untrusted bytes through a view that never reads past its
 * end: every length is checked against what is left before it is used, and
 * nothing is allocated. A malformed input is -EBADMSG with the byte offset
 * of the problem in pb_view.err_offset. */
#ifndef PODFLAME_PROTOBUF_H
#define PODFLAME_PROTOBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pb_wire {
	PB_VARINT = 0,
	PB_FIXED64 = 1,
	PB_LEN = 2,
	PB_FIXED32 = 5,
};

/* ---- encoding ---------------------------------------------------------- */

struct pb_buf {
	uint8_t *data; /* owned; free() it or pb_buf__release */
	size_t len, cap;
	int err; /* 0, or -ENOMEM after a failed grow (then nothing more is written) */
};

void pb_buf__release(struct pb_buf *b);
void pb_buf__varint(struct pb_buf *b, uint64_t v);
void pb_buf__tag(struct pb_buf *b, uint32_t field, enum pb_wire wire);
/* Scalar fields. int64 negatives take ten bytes, as protobuf's int64 does. */
void pb_buf__uint64_field(struct pb_buf *b, uint32_t field, uint64_t v);
void pb_buf__int64_field(struct pb_buf *b, uint32_t field, int64_t v);
void pb_buf__bool_field(struct pb_buf *b, uint32_t field, bool v);
void pb_buf__bytes_field(struct pb_buf *b, uint32_t field, const void *data, size_t len);
void pb_buf__string_field(struct pb_buf *b, uint32_t field, const char *s);

/* A nested length-delimited field (a message, or a packed repeated field):
 * begin writes the tag and returns a mark; write the content; end fills in
 * the length. Nesting is allowed (end the inner one first). */
size_t pb_buf__begin(struct pb_buf *b, uint32_t field);
void pb_buf__end(struct pb_buf *b, size_t mark);

/* ---- decoding ---------------------------------------------------------- */

/* A window on bytes owned by someone else. base_offset is where data starts
 * in the outermost input, so errors in nested messages report absolute
 * offsets. */
struct pb_view {
	const uint8_t *data;
	size_t len, pos;
	size_t base_offset;
	size_t err_offset; /* set with -EBADMSG */
};

struct pb_field {
	uint32_t number;
	enum pb_wire wire;
	uint64_t value; /* PB_VARINT, PB_FIXED64, PB_FIXED32 */
	struct pb_view sub; /* PB_LEN: the content, a view of its own */
};

void pb_view__init(struct pb_view *v, const void *data, size_t len);
/* The next field: 1 when one was read, 0 at the end, -EBADMSG for a
 * truncated varint or length, a field number 0, a group (wire types 3, 4)
 * or an unknown wire type. */
int pb_view__next(struct pb_view *v, struct pb_field *f);
/* One varint from v (for packed content). 1, 0 at the end, or -EBADMSG. */
int pb_view__varint(struct pb_view *v, uint64_t *out);

/* A repeated varint field may come packed (PB_LEN) or one value per field
 * (PB_VARINT); both are valid protobuf. Calls fn for each value. Returns 0,
 * -EBADMSG for a wrong wire type or bad packed content, or fn's error. */
int pb_field__each_varint(struct pb_field *f, int (*fn)(void *ctx, uint64_t v), void *ctx);
/* Number of values in such a field (1 for PB_VARINT), -EBADMSG. */
long pb_field__count_varints(const struct pb_field *f);

#endif
