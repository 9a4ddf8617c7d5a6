/* Writes seed inputs for fuzz_gopclntab and fuzz_gobuildinfo from the
 * test table builder (tests/unit/pclntab_builder.h): each pclntab layout
 * raw and inside a small Go-like ELF, and build info blobs of both layouts.
 *   gen_gosym_corpus PCLNTAB_DIR BUILDINFO_DIR */
#include <stdio.h>

#include "pclntab_builder.h"

static int write_file(const char *dir, const char *name, const void *a, size_t alen, const void *b,
		      size_t blen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen)) {
		perror(path);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

static int pclntab_seeds(const char *dir)
{
	static const struct {
		const char *name;
		enum gopclntab_format format;
		unsigned minor;
		const char *version;
	} layouts[] = {
		{ "go1.14", GOPCLNTAB_GO12, 14, "go1.14.2" },
		{ "go1.12", GOPCLNTAB_GO12, 12, "go1.12.17" },
		{ "go1.16", GOPCLNTAB_GO116, 16, "go1.16" },
		{ "go1.18", GOPCLNTAB_GO118, 19, "go1.19.3" },
		{ "go1.20", GOPCLNTAB_GO120, 26, "go1.26.5" },
	};
	static struct tb_func funcs[3];
	const struct tb_elf_opts plain = { 0 }, go126 = { true, true, false, false };
	size_t i;
	int err = 0;

	tb_sample_funcs(funcs, 64);
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		struct tb_spec spec = {
			.format = layouts[i].format,
			.go_minor = layouts[i].minor,
			.files = { "/src/a.go", "/src/b.go", "/src/c.go" },
			.nfiles = 3,
			.funcs = funcs,
			.nfuncs = 3,
		};
		struct tb_table tb;
		struct tb_buf raw = { 0 }, elf = { 0 };
		char name[64];

		tb_build(&spec, &tb);
		tb_put(&raw, 0, 1, false);
		tb_put(&raw, layouts[i].minor, 1, false);
		tb_put(&raw, tb.size, 4, false);
		tb_append(&raw, tb.tab, tb.size);
		snprintf(name, sizeof(name), "raw-%s", layouts[i].name);
		err |= write_file(dir, name, raw.p, raw.len, tb.mem, tb.mem_size);
		tb_elf(&spec, &tb, layouts[i].version,
		       layouts[i].format == GOPCLNTAB_GO120 ? &go126 : &plain, &elf);
		snprintf(name, sizeof(name), "elf-%s", layouts[i].name);
		err |= write_file(dir, name, "\x01\x00", 2, elf.p, elf.len);
		free(raw.p);
		free(elf.p);
		tb_free(&tb);
	}
	return err;
}

static int buildinfo_seeds(const char *dir)
{
	static const char mod[] = "0w\xaf\x0c\x92t\x08\x02"
				  "A\xe1\xc1\x07\xe6\xd6\x18\xe6"
				  "path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
				  "dep\tgolang.org/x/sys\tv0.5.0\th1:x=\n"
				  "build\t-ldflags=\"-s -w\"\nbuild\tGOARCH=amd64\n"
				  "\xf9"
				  "2C1\x86\x18 r\x00\x82"
				  "B\x10"
				  "A\x16\xd8\xf2";
	uint8_t blob[512] = "\xff Go buildinf:\x08\x02";
	size_t n = 32, mlen = sizeof(mod) - 1;
	int err = 0;

	/* Go 1.18+: inline strings */
	blob[n++] = 8;
	memcpy(blob + n, "go1.21.3", 8);
	n += 8;
	blob[n++] = (uint8_t)(mlen | 0x80);
	blob[n++] = (uint8_t)(mlen >> 7);
	memcpy(blob + n, mod, mlen);
	n += mlen;
	err |= write_file(dir, "inline", blob, n, NULL, 0);
	/* before 1.18: pointers to string headers at 0x700040 and 0x700050,
	 * the fuzz target maps the input at 0x700000 */
	memset(blob, 0, sizeof(blob));
	memcpy(blob, "\xff Go buildinf:\x08\x00", 16);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 16, 0x700040, 8, false);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 24, 0x700050, 8, false);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 0x40, 0x700060, 8, false);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 0x48, 6, 8, false);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 0x50, 0x700070, 8, false);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 0x58, mlen, 8, false);
	memcpy(blob + 0x60, "go1.16", 6);
	memcpy(blob + 0x70, mod, mlen);
	err |= write_file(dir, "pointers", blob, 0x70 + mlen, NULL, 0);
	/* the runtime's version string: read-only first half, a string
	 * header in the writable second half */
	memset(blob, 0, 64);
	memcpy(blob + 8, "xxgo1.25.5\n", 11);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 32, 0x70000a, 8, false);
	tb_set(&(struct tb_buf){ blob, 512, 512 }, 40, 8, 8, false);
	err |= write_file(dir, "runtime-version", blob, 64, NULL, 0);
	return err;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_gosym_corpus PCLNTAB_DIR BUILDINFO_DIR\n");
		return 2;
	}
	return pclntab_seeds(argv[1]) | buildinfo_seeds(argv[2]);
}
