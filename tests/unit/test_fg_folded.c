/* The folded-stack parser: formats, malformed lines, gzip, streaming. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "flamegraph/folded.h"

/* Everything the callbacks saw, as text: "a;b;c=12.5\n" per stack and
 * "!LINE:reason\n" per malformed line. */
struct seen {
	char *buf;
	size_t len, cap;
	int stop_after; /* > 0: return -ECANCELED from that stack on */
	int stacks;
	size_t max_frames;
};

static void append(struct seen *s, const char *text, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, text, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

static int on_stack(void *ctx, const char *const *frames, const size_t *lens, size_t n,
		    double count)
{
	struct seen *s = ctx;
	char num[64];
	size_t i;

	if (s->stop_after && s->stacks >= s->stop_after)
		return -ECANCELED;
	s->stacks++;
	if (n > s->max_frames)
		s->max_frames = n;
	if (n > 100) /* deep stacks: only their depth matters */
		return 0;
	for (i = 0; i < n; i++) {
		if (strlen(frames[i]) != lens[i])
			append(s, "<len mismatch>", 14);
		if (i)
			append(s, ";", 1);
		append(s, frames[i], lens[i]);
	}
	snprintf(num, sizeof(num), "=%g\n", count);
	append(s, num, strlen(num));
	return 0;
}

static void on_malformed(void *ctx, uint64_t line_no, const char *reason)
{
	struct seen *s = ctx;
	char buf[256];

	snprintf(buf, sizeof(buf), "!%llu:%s\n", (unsigned long long)line_no, reason);
	append(s, buf, strlen(buf));
}

static int parse_str(const char *text, struct seen *s, struct folded_stats *st)
{
	memset(s, 0, sizeof(*s));
	append(s, "", 0);
	return folded__parse_mem(text, strlen(text), on_stack, on_malformed, s, st);
}

static void test_basic(void)
{
	struct folded_stats st;
	struct seen s;

	CHECK_INT_EQ(parse_str("main;foo;bar 10\nmain;foo 5\n", &s, &st), 0);
	CHECK_STR_EQ(s.buf, "main;foo;bar=10\nmain;foo=5\n");
	CHECK_INT_EQ(st.lines, 2);
	CHECK_INT_EQ(st.stacks, 2);
	CHECK_INT_EQ(st.skipped, 0);
	CHECK_INT_EQ(st.malformed, 0);
	CHECK(st.total == 15);
	free(s.buf);
}

static void test_frames_exact(void)
{
	struct folded_stats st;
	struct seen s;

	/* Spaces inside frames, annotations, a tab before the count, CRLF,
	 * trailing blanks, empty frames and a last line without '\n'. */
	CHECK_INT_EQ(parse_str("my app;do_syscall_64_[k];operator new(unsigned long)\t7\r\n"
			       "a;;b 1  \n"
			       "x 2",
			       &s, &st),
		     0);
	CHECK_STR_EQ(s.buf, "my app;do_syscall_64_[k];operator new(unsigned long)=7\n"
			    "a;;b=1\n"
			    "x=2\n");
	CHECK_INT_EQ(st.lines, 3);
	CHECK_INT_EQ(st.stacks, 3);
	free(s.buf);
}

static void test_skipped(void)
{
	struct folded_stats st;
	struct seen s;

	CHECK_INT_EQ(parse_str("# comment\n\n   \n\t\n  # indented comment\na 1\n\n", &s, &st), 0);
	CHECK_STR_EQ(s.buf, "a=1\n");
	CHECK_INT_EQ(st.lines, 7);
	CHECK_INT_EQ(st.skipped, 6);
	CHECK_INT_EQ(st.stacks, 1);
	CHECK_INT_EQ(st.malformed, 0);
	free(s.buf);
}

static void test_decimal_counts(void)
{
	struct folded_stats st;
	struct seen s;

	CHECK_INT_EQ(parse_str("a 0.5\nb 3.\nc 0\nd 0012\n", &s, &st), 0);
	CHECK_STR_EQ(s.buf, "a=0.5\nb=3\nc=0\nd=12\n");
	CHECK(st.total == 15.5);
	CHECK_INT_EQ(st.stacks, 4);
	free(s.buf);
}

static void test_malformed(void)
{
	static const char text[] = "good 1\n"
				   "no_count_here\n"
				   "a;b abc\n"
				   "a;b 1e5\n"
				   "a;b -5\n"
				   "a;b .5\n"
				   "   7\n"
				   "a;b 99999999999999999999\n"
				   "a;b 0x10\n"
				   "good 2\n";
	struct folded_stats st;
	struct seen s;

	CHECK_INT_EQ(parse_str(text, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "good=1\n"
			    "!2:no count at end of line\n"
			    "!3:count is not a number\n"
			    "!4:count is not a number\n"
			    "!5:count is not a number\n"
			    "!6:count is not a number\n"
			    "!7:no frames before the count\n"
			    "!8:count too large (above 2^53)\n"
			    "!9:count is not a number\n"
			    "good=2\n");
	CHECK_INT_EQ(st.lines, 10);
	CHECK_INT_EQ(st.malformed, 8);
	CHECK_INT_EQ(st.stacks, 2);
	CHECK(st.total == 3);
	free(s.buf);
}

static void test_nul_byte(void)
{
	static const char text[] = "a;b\0c 5\nd 1\n";
	struct folded_stats st;
	struct seen s = { 0 };

	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_mem(text, sizeof(text) - 1, on_stack, on_malformed, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "!1:NUL byte in line\nd=1\n");
	CHECK_INT_EQ(st.malformed, 1);
	free(s.buf);
}

static void test_no_malformed_callback(void)
{
	struct folded_stats st;
	struct seen s = { 0 };
	static const char text[] = "bad\ngood 1\n";

	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_mem(text, strlen(text), on_stack, NULL, &s, &st), 0);
	CHECK_INT_EQ(st.malformed, 1);
	CHECK_STR_EQ(s.buf, "good=1\n");
	CHECK_INT_EQ(folded__parse_mem(text, strlen(text), NULL, NULL, &s, &st), -EINVAL);
	free(s.buf);
}

static void test_callback_stops(void)
{
	struct folded_stats st;
	struct seen s;

	memset(&s, 0, sizeof(s));
	append(&s, "", 0);
	s.stop_after = 2;
	CHECK_INT_EQ(folded__parse_mem("a 1\nb 1\nc 1\nd 1\n", 16, on_stack, on_malformed, &s, &st),
		     -ECANCELED);
	CHECK_INT_EQ(st.stacks, 2);
	CHECK_STR_EQ(s.buf, "a=1\nb=1\n");
	free(s.buf);
}

static void test_long_line(void)
{
	size_t big = FOLDED_MAX_LINE + 100, n;
	char *text = malloc(big + 64);
	struct folded_stats st;
	struct seen s = { 0 };

	REQUIRE(text);
	strcpy(text, "first 1\n");
	n = strlen(text);
	memset(text + n, 'x', big);
	n += big;
	strcpy(text + n, " 5\nafter 2\n");
	n += strlen(text + n);
	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_mem(text, n, on_stack, on_malformed, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "first=1\n!2:line longer than 16 MiB\nafter=2\n");
	CHECK_INT_EQ(st.lines, 3);
	CHECK_INT_EQ(st.malformed, 1);
	free(text);
	free(s.buf);
}

/* A line just under the cap is still a stack: the buffer grows to it. */
static void test_line_at_cap(void)
{
	size_t n = FOLDED_MAX_LINE - 2;
	char *text = malloc(n + 16);
	struct folded_stats st;
	struct seen s = { 0 };

	REQUIRE(text);
	memset(text, 'y', n - 2);
	memcpy(text + n - 2, " 3\nz 1\n", 7);
	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_mem(text, n + 5, on_stack, on_malformed, &s, &st), 0);
	CHECK_INT_EQ(st.stacks, 2);
	CHECK_INT_EQ(st.malformed, 0);
	CHECK(st.total == 4);
	free(text);
	free(s.buf);
}

static void test_too_many_frames(void)
{
	size_t frames = FOLDED_MAX_FRAMES + 1, i, n = 0;
	char *text = malloc(frames * 4 + 64);
	struct folded_stats st;
	struct seen s = { 0 };

	REQUIRE(text);
	for (i = 0; i < frames; i++) {
		text[n++] = 'f';
		text[n++] = i + 1 < frames ? ';' : ' ';
	}
	n += (size_t)sprintf(text + n, "1\n");
	/* exactly the limit is fine */
	for (i = 0; i < FOLDED_MAX_FRAMES; i++) {
		text[n++] = 'g';
		text[n++] = i + 1 < FOLDED_MAX_FRAMES ? ';' : ' ';
	}
	n += (size_t)sprintf(text + n, "2\n");
	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_mem(text, n, on_stack, on_malformed, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "!1:too many frames (more than 65536)\n");
	CHECK_INT_EQ(st.stacks, 1);
	CHECK_INT_EQ(s.max_frames, FOLDED_MAX_FRAMES);
	free(text);
	free(s.buf);
}

/* gzip-compresses src (one member). */
static unsigned char *gzip_mem(const char *src, size_t len, size_t *out_len)
{
	z_stream zs = { 0 };
	size_t cap = compressBound(len) + 64;
	unsigned char *out = malloc(cap);

	if (!out || deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY))
		return NULL;
	zs.next_in = (unsigned char *)src;
	zs.avail_in = (unsigned)len;
	zs.next_out = out;
	zs.avail_out = (unsigned)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		return NULL;
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static void test_gzip_mem(void)
{
	static const char text[] = "a;b 3\nc 4\n";
	size_t zlen, zlen2;
	unsigned char *z = gzip_mem(text, strlen(text), &zlen);
	unsigned char *z2 = gzip_mem("d 5\n", 4, &zlen2), *both;
	struct folded_stats st;
	struct seen s = { 0 };

	REQUIRE(z && z2);
	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_mem(z, zlen, on_stack, on_malformed, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "a;b=3\nc=4\n");
	/* Two members, as `cat a.gz b.gz` makes. */
	both = malloc(zlen + zlen2);
	REQUIRE(both);
	memcpy(both, z, zlen);
	memcpy(both + zlen, z2, zlen2);
	s.len = 0;
	CHECK_INT_EQ(folded__parse_mem(both, zlen + zlen2, on_stack, on_malformed, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "a;b=3\nc=4\nd=5\n");
	/* Truncated and corrupt streams are errors, not silent ends. */
	s.len = 0;
	CHECK_INT_EQ(folded__parse_mem(z, zlen - 6, on_stack, on_malformed, &s, &st), -EBADMSG);
	z[zlen / 2] ^= 0xff;
	z[zlen / 2 + 1] ^= 0x55;
	CHECK_INT_EQ(folded__parse_mem(z, zlen, on_stack, on_malformed, &s, &st), -EBADMSG);
	free(both);
	free(z);
	free(z2);
	free(s.buf);
}

static char *tmp_file(const char *tag)
{
	char *path = malloc(64);

	snprintf(path, 64, "/tmp/test_fg_folded.%s.XXXXXX", tag);
	close(mkstemp(path));
	return path;
}

static void test_fd_plain_and_gzip(void)
{
	char *plain = tmp_file("plain"), *gz = tmp_file("gz");
	FILE *fp = fopen(plain, "w");
	gzFile g = gzopen(gz, "wb");
	struct folded_stats st;
	struct seen s = { 0 };
	double want = 0;
	int fd, i;

	REQUIRE(fp && g);
	/* Enough lines that many cross the parser's read-buffer boundaries. */
	for (i = 0; i < 40000; i++) {
		fprintf(fp, "root;mid%d;leaf%d %d\n", i % 97, i, i % 13 + 1);
		gzprintf(g, "root;mid%d;leaf%d %d\n", i % 97, i, i % 13 + 1);
		want += i % 13 + 1;
	}
	fclose(fp);
	gzclose(g);
	append(&s, "", 0);
	fd = open(plain, O_RDONLY);
	CHECK_INT_EQ(folded__parse_fd(fd, on_stack, on_malformed, &s, &st), 0);
	CHECK_INT_EQ(st.stacks, 40000);
	CHECK(st.total == want);
	CHECK(strstr(s.buf, "root;mid35;leaf39999=12\n") != NULL);
	/* The fd is still the caller's. */
	CHECK(fcntl(fd, F_GETFD) >= 0);
	close(fd);
	s.len = 0;
	fd = open(gz, O_RDONLY);
	CHECK_INT_EQ(folded__parse_fd(fd, on_stack, on_malformed, &s, &st), 0);
	CHECK_INT_EQ(st.stacks, 40000);
	CHECK(st.total == want);
	CHECK_INT_EQ(st.malformed, 0);
	close(fd);
	unlink(plain);
	unlink(gz);
	free(plain);
	free(gz);
	free(s.buf);
}

static void test_fd_truncated_gzip(void)
{
	char *gz = tmp_file("trunc");
	gzFile g = gzopen(gz, "wb");
	struct folded_stats st;
	struct seen s = { 0 };
	int fd, i;

	REQUIRE(g);
	for (i = 0; i < 5000; i++)
		gzprintf(g, "a;b;c%d 1\n", i);
	gzclose(g);
	REQUIRE(truncate(gz, 2000) == 0);
	append(&s, "", 0);
	fd = open(gz, O_RDONLY);
	CHECK_INT_EQ(folded__parse_fd(fd, on_stack, on_malformed, &s, &st), -EBADMSG);
	CHECK(st.stacks > 0 && st.stacks < 5000);
	close(fd);
	unlink(gz);
	free(gz);
	free(s.buf);
}

static void test_fd_pipe(void)
{
	int p[2];
	struct folded_stats st;
	struct seen s = { 0 };

	REQUIRE(pipe(p) == 0);
	REQUIRE(write(p[1], "x;y 2\n# c\nz 1\n", 14) == 14);
	close(p[1]);
	append(&s, "", 0);
	CHECK_INT_EQ(folded__parse_fd(p[0], on_stack, on_malformed, &s, &st), 0);
	CHECK_STR_EQ(s.buf, "x;y=2\nz=1\n");
	CHECK_INT_EQ(st.skipped, 1);
	close(p[0]);
	CHECK_INT_EQ(folded__parse_fd(-1, on_stack, on_malformed, &s, &st), -EBADF);
	free(s.buf);
}

static void test_empty(void)
{
	struct folded_stats st;
	struct seen s;

	CHECK_INT_EQ(parse_str("", &s, &st), 0);
	CHECK_INT_EQ(st.lines, 0);
	CHECK_INT_EQ(st.stacks, 0);
	free(s.buf);
	memset(&s, 0, sizeof(s));
	CHECK_INT_EQ(folded__parse_mem(NULL, 0, on_stack, on_malformed, &s, NULL), 0);
}

int main(void)
{
	CHECK_BEGIN("test_fg_folded");
	RUN(test_basic);
	RUN(test_frames_exact);
	RUN(test_skipped);
	RUN(test_decimal_counts);
	RUN(test_malformed);
	RUN(test_nul_byte);
	RUN(test_no_malformed_callback);
	RUN(test_callback_stops);
	RUN(test_long_line);
	RUN(test_line_at_cap);
	RUN(test_too_many_frames);
	RUN(test_gzip_mem);
	RUN(test_fd_plain_and_gzip);
	RUN(test_fd_truncated_gzip);
	RUN(test_fd_pipe);
	RUN(test_empty);
	return CHECK_END();
}
