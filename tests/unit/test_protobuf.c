#include <errno.h>

#include "check.h"
#include "protobuf.h"

static bool bytes_eq(const struct pb_buf *b, const uint8_t *want, size_t n)
{
	return !b->err && b->len == n && !memcmp(b->data, want, n);
}

/* The examples of the protobuf encoding guide. */
static void encodes_reference_examples(void)
{
	static const uint8_t v150[] = { 0x08, 0x96, 0x01 };
	static const uint8_t testing[] = { 0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g' };
	static const uint8_t minus1[] = { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff, 0xff, 0x01 };
	static const uint8_t packed[] = { 0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05 };
	struct pb_buf b = { 0 };
	size_t mark;

	pb_buf__uint64_field(&b, 1, 150);
	CHECK(bytes_eq(&b, v150, sizeof(v150)));
	pb_buf__release(&b);
	pb_buf__string_field(&b, 2, "testing");
	CHECK(bytes_eq(&b, testing, sizeof(testing)));
	pb_buf__release(&b);
	pb_buf__int64_field(&b, 1, -1);
	CHECK(bytes_eq(&b, minus1, sizeof(minus1)));
	pb_buf__release(&b);
	mark = pb_buf__begin(&b, 4);
	pb_buf__varint(&b, 3);
	pb_buf__varint(&b, 270);
	pb_buf__varint(&b, 86942);
	pb_buf__end(&b, mark);
	CHECK(bytes_eq(&b, packed, sizeof(packed)));
	pb_buf__release(&b);
}

/* A nested message longer than 127 bytes needs a two-byte length: the
 * content moves and stays intact, also with a nested message inside. */
static void long_nested_message(void)
{
	struct pb_buf b = { 0 };
	struct pb_view v, inner;
	struct pb_field f, g;
	size_t outer, mid, i;
	char text[300];

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	outer = pb_buf__begin(&b, 3);
	pb_buf__uint64_field(&b, 1, 7);
	mid = pb_buf__begin(&b, 2);
	pb_buf__string_field(&b, 5, text);
	pb_buf__end(&b, mid);
	pb_buf__end(&b, outer);
	REQUIRE(!b.err);
	pb_view__init(&v, b.data, b.len);
	REQUIRE(pb_view__next(&v, &f) == 1);
	CHECK_INT_EQ(f.number, 3);
	CHECK_INT_EQ(f.wire, PB_LEN);
	CHECK_INT_EQ(f.sub.len, b.len - 3); /* tag + two length bytes */
	REQUIRE(pb_view__next(&f.sub, &g) == 1);
	CHECK_INT_EQ(g.number, 1);
	CHECK_INT_EQ(g.value, 7);
	REQUIRE(pb_view__next(&f.sub, &g) == 1);
	CHECK_INT_EQ(g.number, 2);
	inner = g.sub;
	REQUIRE(pb_view__next(&inner, &g) == 1);
	CHECK_INT_EQ(g.number, 5);
	CHECK_INT_EQ(g.sub.len, strlen(text));
	for (i = 0; i < g.sub.len; i++)
		if (g.sub.data[i] != 'x')
			break;
	CHECK_INT_EQ(i, strlen(text));
	CHECK_INT_EQ(pb_view__next(&inner, &g), 0);
	CHECK_INT_EQ(pb_view__next(&f.sub, &g), 0);
	CHECK_INT_EQ(pb_view__next(&v, &f), 0);
	pb_buf__release(&b);
}

static void varint_round_trip(void)
{
	static const uint64_t values[] = {
		0,	    1,	       127,	   128,	       300,
		16383,	    16384,     UINT32_MAX, 1ull << 35, (1ull << 63) - 1,
		1ull << 63, UINT64_MAX
	};
	struct pb_buf b = { 0 };
	struct pb_view v;
	uint64_t got;
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		pb_buf__varint(&b, values[i]);
	REQUIRE(!b.err);
	pb_view__init(&v, b.data, b.len);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		REQUIRE(pb_view__varint(&v, &got) == 1);
		CHECK(got == values[i]);
	}
	CHECK_INT_EQ(pb_view__varint(&v, &got), 0);
	pb_buf__release(&b);
}

static int sum_values(void *ctx, uint64_t v)
{
	*(uint64_t *)ctx += v;
	return 0;
}

/* A repeated varint field is valid packed or one value per field. */
static void packed_and_unpacked_repeated(void)
{
	static const uint8_t unpacked[] = { 0x08, 0x03, 0x08, 0x8e, 0x02 };
	static const uint8_t packed[] = { 0x0a, 0x03, 0x03, 0x8e, 0x02 };
	struct pb_view v;
	struct pb_field f;
	uint64_t sum = 0;

	pb_view__init(&v, unpacked, sizeof(unpacked));
	while (pb_view__next(&v, &f) == 1) {
		CHECK_INT_EQ(pb_field__count_varints(&f), 1);
		CHECK_INT_EQ(pb_field__each_varint(&f, sum_values, &sum), 0);
	}
	CHECK_INT_EQ(sum, 273);
	sum = 0;
	pb_view__init(&v, packed, sizeof(packed));
	REQUIRE(pb_view__next(&v, &f) == 1);
	CHECK_INT_EQ(pb_field__count_varints(&f), 2);
	CHECK_INT_EQ(pb_field__each_varint(&f, sum_values, &sum), 0);
	CHECK_INT_EQ(sum, 273);
}

static int expect_bad(const uint8_t *data, size_t len, size_t *offset)
{
	struct pb_view v;
	struct pb_field f;
	int rc;

	pb_view__init(&v, data, len);
	while ((rc = pb_view__next(&v, &f)) == 1)
		;
	*offset = v.err_offset;
	return rc;
}

/* Every malformed shape is -EBADMSG with the offset where it starts. */
static void rejects_malformed(void)
{
	static const uint8_t truncated_varint[] = { 0x08, 0x96 };
	static const uint8_t eleven_bytes[] = { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
						0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	static const uint8_t tenth_too_big[] = { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
						 0xff, 0xff, 0xff, 0xff, 0x02 };
	static const uint8_t len_past_end[] = { 0x08, 0x01, 0x12, 0x05, 'a', 'b' };
	static const uint8_t huge_len[] = { 0x12, 0xff, 0xff, 0xff, 0xff,
					    0xff, 0xff, 0xff, 0xff, 0x7f };
	static const uint8_t field_zero[] = { 0x00, 0x01 };
	static const uint8_t group[] = { 0x0b, 0x0c };
	static const uint8_t wire7[] = { 0x0f };
	static const uint8_t short_fixed64[] = { 0x09, 1, 2, 3 };
	static const uint8_t no_value[] = { 0x08 };
	size_t off;

	CHECK_INT_EQ(expect_bad(truncated_varint, sizeof(truncated_varint), &off), -EBADMSG);
	CHECK_INT_EQ(off, 1);
	CHECK_INT_EQ(expect_bad(eleven_bytes, sizeof(eleven_bytes), &off), -EBADMSG);
	CHECK_INT_EQ(expect_bad(tenth_too_big, sizeof(tenth_too_big), &off), -EBADMSG);
	CHECK_INT_EQ(expect_bad(len_past_end, sizeof(len_past_end), &off), -EBADMSG);
	CHECK_INT_EQ(off, 2);
	CHECK_INT_EQ(expect_bad(huge_len, sizeof(huge_len), &off), -EBADMSG);
	CHECK_INT_EQ(expect_bad(field_zero, sizeof(field_zero), &off), -EBADMSG);
	CHECK_INT_EQ(off, 0);
	CHECK_INT_EQ(expect_bad(group, sizeof(group), &off), -EBADMSG);
	CHECK_INT_EQ(expect_bad(wire7, sizeof(wire7), &off), -EBADMSG);
	CHECK_INT_EQ(expect_bad(short_fixed64, sizeof(short_fixed64), &off), -EBADMSG);
	CHECK_INT_EQ(expect_bad(no_value, sizeof(no_value), &off), -EBADMSG);
}

/* Offsets inside nested messages are absolute. */
static void nested_error_offset(void)
{
	/* field 1 LEN 3 { field 1 varint <truncated> ... } */
	static const uint8_t data[] = { 0x0a, 0x03, 0x08, 0x01, 0x10 };
	struct pb_view v;
	struct pb_field f, g;

	pb_view__init(&v, data, sizeof(data));
	REQUIRE(pb_view__next(&v, &f) == 1);
	REQUIRE(pb_view__next(&f.sub, &g) == 1);
	CHECK_INT_EQ(pb_view__next(&f.sub, &g), -EBADMSG);
	CHECK_INT_EQ(f.sub.err_offset, 5);
}

static void fixed_fields(void)
{
	static const uint8_t data[] = { 0x09, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x15, 0xff, 0, 0, 0 };
	struct pb_view v;
	struct pb_field f;

	pb_view__init(&v, data, sizeof(data));
	REQUIRE(pb_view__next(&v, &f) == 1);
	CHECK_INT_EQ(f.wire, PB_FIXED64);
	CHECK(f.value == 0x8000000000000001ull);
	REQUIRE(pb_view__next(&v, &f) == 1);
	CHECK_INT_EQ(f.wire, PB_FIXED32);
	CHECK_INT_EQ(f.value, 255);
	CHECK_INT_EQ(pb_view__next(&v, &f), 0);
}

int main(void)
{
	CHECK_BEGIN("protobuf");
	RUN(encodes_reference_examples);
	RUN(long_nested_message);
	RUN(varint_round_trip);
	RUN(packed_and_unpacked_repeated);
	RUN(rejects_malformed);
	RUN(nested_error_offset);
	RUN(fixed_fields);
	return CHECK_END();
}
