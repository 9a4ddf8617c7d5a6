/* .go.buildinfo and the runtime version string. The blob's layout is the
 * one cmd/link writes and debug/buildinfo reads: a 14-byte magic, pointer
 * size, flags (bit 0 big-endian, bit 1 strings inline), then either two
 * pointers (before Go 1.18) or, at offset 32, two varint-prefixed strings:
 * the Go version and the module info text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gobuildinfo.h"

static const uint8_t magic[14] = "\xff Go buildinf:";

/* Caps on sizes read from the file, before they size an allocation. */
#define MAX_VERSION_LEN 256
#define MAX_MODINFO_LEN (4u << 20)

/* The module info text wraps its lines in two 16-byte sentinels. */
#define MODINFO_SENTINEL 16

struct kv {
	const char *key, *value;
};

struct gobuildinfo {
	char *buf; /* version, NUL, modinfo lines split in place */
	const char *version;
	const char *path;
	const char *mod_path, *mod_version;
	struct kv *deps; /* path, version */
	size_t ndeps;
	struct kv *settings;
	size_t nsettings;
};

int gobuildinfo__locate(const uint8_t *data, size_t size, uint64_t vaddr, size_t *offset)
{
	size_t off = (size_t)((16 - (vaddr & 15)) & 15);

	for (; off < size && size - off >= 32; off += 16) {
		if (!memcmp(data + off, magic, sizeof(magic))) {
			*offset = off;
			return 0;
		}
	}
	return -ENOENT;
}

static uint64_t rdword(const uint8_t *p, unsigned size, bool big_endian)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

/* Go's binary.Uvarint, bounded by end. */
static int read_uvarint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	unsigned shift;

	for (shift = 0; shift < 64 && p < end; shift += 7) {
		uint8_t b = *p++;

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*out = v;
			return 0;
		}
	}
	return -EBADMSG;
}

/* A varint-prefixed string of at most max bytes. */
static int read_inline_string(const uint8_t **pp, const uint8_t *end, size_t max, const uint8_t **s,
			      size_t *len)
{
	uint64_t n;

	if (read_uvarint(pp, end, &n) || n > max || n > (uint64_t)(end - *pp))
		return -EBADMSG;
	*s = *pp;
	*len = (size_t)n;
	*pp += n;
	return 0;
}

/* Pre-1.18: a pointer to a Go string header (data pointer, length). */
static int read_string_ptr(const uint8_t *at, unsigned ptrsize, bool be, gomem_view_fn view,
			   void *ctx, size_t max, const uint8_t **s, size_t *len)
{
	uint64_t hdr_addr = rdword(at, ptrsize, be), data_addr, n;
	const uint8_t *hdr;
	size_t avail;

	if (!view || view(ctx, hdr_addr, &hdr, &avail) || avail < 2 * (size_t)ptrsize)
		return -EBADMSG;
	data_addr = rdword(hdr, ptrsize, be);
	n = rdword(hdr + ptrsize, ptrsize, be);
	if (n > max)
		return -EBADMSG;
	if (n == 0) {
		*s = (const uint8_t *)"";
		*len = 0;
		return 0;
	}
	if (view(ctx, data_addr, s, &avail) || avail < n)
		return -EBADMSG;
	*len = (size_t)n;
	return 0;
}

/* strconv.Unquote for the double- and back-quoted values Go writes in
 * "build" lines; in place (the result is never longer). Unknown escapes
 * are kept as they are. */
static void unquote(char *s)
{
	size_t n = strlen(s), i, o = 0;
	char q = s[0];

	if (n < 2 || (q != '"' && q != '`') || s[n - 1] != q)
		return;
	for (i = 1; i < n - 1; i++) {
		char c = s[i];

		if (q == '"' && c == '\\' && i + 1 < n - 1) {
			char e = s[++i];

			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '\\':
			case '"':
			case '\'': c = e; break;
			default: s[o++] = '\\'; c = e;
			}
		}
		s[o++] = c;
	}
	s[o] = '\0';
}

/* Splits line at tabs into up to max fields (NUL-terminating each). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;

	while (n < max) {
		char *tab = strchr(line, '\t');

		fields[n++] = line;
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

static void parse_line(struct gobuildinfo *bi, char *line)
{
	char *f[4];
	size_t n = split_tabs(line, f, 4);

	if (n >= 2 && !strcmp(f[0], "path")) {
		bi->path = f[1];
	} else if (n >= 3 && !strcmp(f[0], "mod")) {
		bi->mod_path = f[1];
		bi->mod_version = f[2];
	} else if (n >= 3 && !strcmp(f[0], "dep")) {
		bi->deps[bi->ndeps++] = (struct kv){ f[1], f[2] };
	} else if (n >= 2 && !strcmp(f[0], "build")) {
		char *eq = f[1][0] == '"' ? strstr(f[1], "\"=") : strchr(f[1], '=');

		if (!eq)
			return;
		if (*eq == '"')
			eq++;
		*eq = '\0';
		unquote(f[1]);
		unquote(eq + 1);
		bi->settings[bi->nsettings++] = (struct kv){ f[1], eq + 1 };
	}
	/* "=>" replaces the previous module; its path is not what was asked
	 * for by has_dep, so it is left out. */
}

/* Copies version and modinfo into one buffer and indexes the lines. */
static struct gobuildinfo *build(const uint8_t *ver, size_t ver_len, const uint8_t *mod,
				 size_t mod_len)
{
	struct gobuildinfo *bi = calloc(1, sizeof(*bi));
	size_t lines = 1, i;
	char *p, *end;

	if (!bi)
		return NULL;
	/* Go strips the sentinels only when the text has the expected shape. */
	if (mod_len >= 2 * MODINFO_SENTINEL + 1 && mod[mod_len - MODINFO_SENTINEL - 1] == '\n') {
		mod += MODINFO_SENTINEL;
		mod_len -= 2 * MODINFO_SENTINEL;
	} else {
		mod_len = 0;
	}
	for (i = 0; i < mod_len; i++)
		lines += mod[i] == '\n';
	bi->buf = malloc(ver_len + mod_len + 2);
	bi->deps = calloc(lines, sizeof(*bi->deps));
	bi->settings = calloc(lines, sizeof(*bi->settings));
	if (!bi->buf || !bi->deps || !bi->settings) {
		gobuildinfo__free(bi);
		return NULL;
	}
	memcpy(bi->buf, ver, ver_len);
	bi->buf[ver_len] = '\0';
	bi->version = ver_len ? bi->buf : NULL;
	p = bi->buf + ver_len + 1;
	if (mod_len)
		memcpy(p, mod, mod_len);
	p[mod_len] = '\0';
	/* A NUL inside the text would cut a line short; harmless. */
	for (end = p + mod_len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl)
			*nl = '\0';
		parse_line(bi, p);
		p = nl ? nl + 1 : end;
	}
	return bi;
}

struct gobuildinfo *gobuildinfo__parse(const uint8_t *data, size_t size, gomem_view_fn view,
				       void *ctx)
{
	const uint8_t *ver, *mod, *p, *end = data + size;
	size_t ver_len, mod_len;
	unsigned ptrsize;
	struct gobuildinfo *bi;
	bool be;

	if (size < 32 || memcmp(data, magic, sizeof(magic))) {
		errno = ENOENT;
		return NULL;
	}
	ptrsize = data[14];
	be = data[15] & 1;
	if (data[15] & 2) {
		p = data + 32;
		if (read_inline_string(&p, end, MAX_VERSION_LEN, &ver, &ver_len) ||
		    read_inline_string(&p, end, MAX_MODINFO_LEN, &mod, &mod_len))
			goto corrupt;
	} else {
		if (ptrsize != 4 && ptrsize != 8)
			goto corrupt;
		if (read_string_ptr(data + 16, ptrsize, be, view, ctx, MAX_VERSION_LEN, &ver,
				    &ver_len) ||
		    read_string_ptr(data + 16 + ptrsize, ptrsize, be, view, ctx, MAX_MODINFO_LEN,
				    &mod, &mod_len))
			goto corrupt;
	}
	if (!ver_len)
		goto corrupt;
	bi = build(ver, ver_len, mod, mod_len);
	if (!bi)
		errno = ENOMEM;
	return bi;
corrupt:
	errno = EBADMSG;
	return NULL;
}

struct gobuildinfo *gobuildinfo__from_version(const char *version, size_t len)
{
	struct gobuildinfo *bi;

	if (!len || len > MAX_VERSION_LEN) {
		errno = EINVAL;
		return NULL;
	}
	bi = build((const uint8_t *)version, len, NULL, 0);
	if (!bi)
		errno = ENOMEM;
	return bi;
}

void gobuildinfo__free(struct gobuildinfo *bi)
{
	if (!bi)
		return;
	free(bi->buf);
	free(bi->deps);
	free(bi->settings);
	free(bi);
}

const char *gobuildinfo__go_version(const struct gobuildinfo *bi)
{
	return bi->version;
}

const char *gobuildinfo__path(const struct gobuildinfo *bi)
{
	return bi->path;
}

const char *gobuildinfo__main_module(const struct gobuildinfo *bi)
{
	return bi->mod_path;
}

const char *gobuildinfo__main_version(const struct gobuildinfo *bi)
{
	return bi->mod_version;
}

size_t gobuildinfo__ndeps(const struct gobuildinfo *bi)
{
	return bi->ndeps;
}

int gobuildinfo__dep(const struct gobuildinfo *bi, size_t i, const char **path,
		     const char **version)
{
	if (i >= bi->ndeps)
		return -ERANGE;
	*path = bi->deps[i].key;
	*version = bi->deps[i].value;
	return 0;
}

bool gobuildinfo__has_dep(const struct gobuildinfo *bi, const char *module_path)
{
	size_t i;

	for (i = 0; i < bi->ndeps; i++)
		if (!strcmp(bi->deps[i].key, module_path))
			return true;
	return false;
}

size_t gobuildinfo__nsettings(const struct gobuildinfo *bi)
{
	return bi->nsettings;
}

int gobuildinfo__setting_at(const struct gobuildinfo *bi, size_t i, const char **key,
			    const char **value)
{
	if (i >= bi->nsettings)
		return -ERANGE;
	*key = bi->settings[i].key;
	*value = bi->settings[i].value;
	return 0;
}

const char *gobuildinfo__setting(const struct gobuildinfo *bi, const char *key)
{
	size_t i;

	/* The last one wins, as when Go reads the text. */
	for (i = bi->nsettings; i-- > 0;)
		if (!strcmp(bi->settings[i].key, key))
			return bi->settings[i].value;
	return NULL;
}

unsigned gobuildinfo__go_minor(const char *version)
{
	const char *p;
	unsigned minor = 0;

	if (!version)
		return 0;
	p = strstr(version, "go1.");
	if (!p || p[4] < '0' || p[4] > '9')
		return 0;
	for (p += 4; *p >= '0' && *p <= '9' && minor < 10000; p++)
		minor = minor * 10 + (unsigned)(*p - '0');
	return minor;
}

/* ---- the runtime version string -------------------------------------- */

#define MAX_CANDIDATES 4096

/* Bytes a Go version string may hold: "go1.22.1", "go1.21rc2",
 * "go1.21.0 X:boringcrypto", "devel go1.23-abc Tue ...". */
static bool version_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '-' || c == '+' || c == '_' || c == ' ' || c == ':' || c == ',';
}

static bool plausible_version(const uint8_t *s, size_t len)
{
	size_t i;

	if (len < 5 || len > 128 || memcmp(s, "go1.", 4) || s[4] < '0' || s[4] > '9')
		return false;
	for (i = 0; i < len; i++)
		if (!version_char(s[i]))
			return false;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Addresses of "go1.<digit>" in read-only regions, sorted. */
static size_t version_candidates(const struct gomem_region *r, size_t n, uint64_t *out)
{
	size_t count = 0, i;

	for (i = 0; i < n && count < MAX_CANDIDATES; i++) {
		const uint8_t *p = r[i].data, *end = r[i].data + r[i].size;

		if (r[i].writable || r[i].executable)
			continue;
		while (count < MAX_CANDIDATES && (p = memmem(p, (size_t)(end - p), "go1.", 4))) {
			if (p + 4 < end && p[4] >= '0' && p[4] <= '9')
				out[count++] = r[i].vaddr + (uint64_t)(p - r[i].data);
			p += 4;
		}
	}
	qsort(out, count, sizeof(*out), cmp_u64);
	return count;
}

static const uint8_t *bytes_at(const struct gomem_region *r, size_t n, uint64_t vaddr, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vaddr >= r[i].vaddr && vaddr - r[i].vaddr < r[i].size &&
		    len <= r[i].size - (vaddr - r[i].vaddr))
			return r[i].data + (vaddr - r[i].vaddr);
	return NULL;
}

int gobuildinfo__find_runtime_version(const struct gomem_region *regions, size_t nregions,
				      unsigned ptrsize, bool big_endian, const char **version,
				      size_t *len)
{
	uint64_t *cand;
	size_t ncand, i;
	int err = -ENOENT;

	if (ptrsize != 4 && ptrsize != 8)
		return -EINVAL;
	cand = malloc(MAX_CANDIDATES * sizeof(*cand));
	if (!cand)
		return -ENOMEM;
	ncand = version_candidates(regions, nregions, cand);
	/* A string header is two aligned words in writable data. */
	for (i = 0; ncand && i < nregions && err; i++) {
		const struct gomem_region *r = &regions[i];
		size_t off = (size_t)((ptrsize - (r->vaddr % ptrsize)) % ptrsize);

		if (!r->writable)
			continue;
		for (; off + 2 * (size_t)ptrsize <= r->size; off += ptrsize) {
			uint64_t ptr = rdword(r->data + off, ptrsize, big_endian), slen;
			const uint8_t *s;

			if (ptr < cand[0] || ptr > cand[ncand - 1] ||
			    !bsearch(&ptr, cand, ncand, sizeof(*cand), cmp_u64))
				continue;
			slen = rdword(r->data + off + ptrsize, ptrsize, big_endian);
			s = bytes_at(regions, nregions, ptr, (size_t)slen);
			if (slen > 128 || !s || !plausible_version(s, (size_t)slen))
				continue;
			*version = (const char *)s;
			*len = (size_t)slen;
			err = 0;
			break;
		}
	}
	free(cand);
	return err;
}
