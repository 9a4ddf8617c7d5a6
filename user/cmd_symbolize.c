/* podflame symbolize: addresses of a Go binary to functions, file:line and
 * inlined frames, straight from its .gopclntab (stripped binaries too).
 * A debugging aid beside `go tool addr2line`, and the way the tests look
 * at what the profiler will print. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "errmsg.h"
#include "sym/elfimage.h"
#include "sym/gobinary.h"
#include "sym/gobuildinfo.h"

/* Inline chains are a handful of frames deep; this is room to spare. */
#define MAX_FRAMES 64

enum mode { MODE_ADDRS, MODE_INFO, MODE_FUNCTIONS, MODE_SP_DELTA };

struct opts {
	const char *binary;
	bool json;
	bool stats;
	enum mode mode;
};

/* What --stats reports on stderr at the end. */
struct stats {
	double open_ms;
	size_t addrs, frames, unknown;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: podflame symbolize --binary FILE [--json] [ADDR...]\n"
		"       podflame symbolize --binary FILE --info | --functions\n"
		"\n"
		"Resolves addresses of a Go binary (stripped, PIE, cgo: any) with its own\n"
		".gopclntab: function, file:line and inlined frames, innermost first, one\n"
		"line per frame:\n"
		"  0xADDR<TAB>FUNCTION<TAB>FILE:LINE\n"
		"An address outside every Go function prints 0xADDR<TAB>?\?<TAB>?\?:0.\n"
		"Addresses are hex ELF virtual addresses (as addr2line takes them; for\n"
		"PIE, not the runtime address), as arguments or one per line on stdin.\n"
		"\n"
		"  -b, --binary FILE  the ELF binary\n"
		"  -j, --json         one JSON object per address (JSON Lines):\n"
		"                     {\"address\":\"0x..\",\"frames\":[{\"function\":..,\n"
		"                      \"file\":..,\"line\":N,\"inlined\":bool}]}\n"
		"      --info         how the tables were found; Go version and modules\n"
		"      --functions    every function: 0xENTRY<TAB>0xEND<TAB>NAME<TAB>FILE:LINE\n"
		"      --sp-delta     per address, the bytes its function has taken off SP\n"
		"                     there (pcsp): 0xADDR<TAB>N, or 0xADDR<TAB>?\? outside\n"
		"      --stats        time to open, addresses, frames, index memory (stderr)\n"
		"  -h, --help         this text\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "binary", required_argument, NULL, 'b' }, { "json", no_argument, NULL, 'j' },
		{ "info", no_argument, NULL, 'I' },	    { "functions", no_argument, NULL, 'F' },
		{ "stats", no_argument, NULL, 'S' },	    { "sp-delta", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },	    { NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:b:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->binary = optarg; break;
		case 'j': o->json = true; break;
		case 'I': o->mode = MODE_INFO; break;
		case 'F': o->mode = MODE_FUNCTIONS; break;
		case 'S': o->stats = true; break;
		case 'D': o->mode = MODE_SP_DELTA; break;
		case 'h': usage(stdout); return PF_EXIT_OK;
		case ':':
			pf_error("option '%s' needs an argument", argv[optind - 1]);
			return PF_EXIT_USAGE;
		default:
			pf_error("unknown option '%s' (see 'podflame symbolize --help')",
				 argv[optind - 1]);
			return PF_EXIT_USAGE;
		}
	}
	if (!o->binary) {
		pf_error("--binary FILE is required (see 'podflame symbolize --help')");
		return PF_EXIT_USAGE;
	}
	if ((o->mode == MODE_INFO || o->mode == MODE_FUNCTIONS) && optind < argc) {
		pf_error("--info and --functions take no addresses");
		return PF_EXIT_USAGE;
	}
	return -1;
}

/* "0x4a1f3c", "4a1f3c", surrounding blanks allowed. */
static bool parse_addr(const char *s, uint64_t *addr)
{
	uint64_t v = 0;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, digits++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (digits == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (!digits || *s)
		return false;
	*addr = v;
	return true;
}

/* printf is most of the cost at a million addresses: hex and decimal by
 * hand, into stdio's buffer. */
static void put_hex(uint64_t v, FILE *out)
{
	char buf[19], *p = buf + sizeof(buf);

	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), out);
}

static void put_dec(uint32_t v, FILE *out)
{
	char buf[10], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), out);
}

static void put_json_str(const char *s, FILE *out)
{
	putc_unlocked('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			putc_unlocked('\\', out);
			putc_unlocked((int)c, out);
		} else if (c < 0x20) {
			fprintf(out, "\\u%04x", c);
		} else {
			putc_unlocked((int)c, out);
		}
	}
	putc_unlocked('"', out);
}

static void print_text(uint64_t addr, const struct sym_frame *frames, int n, FILE *out)
{
	int i;

	if (n <= 0) {
		put_hex(addr, out);
		fputs_unlocked("\t??\t??:0\n", out);
		return;
	}
	for (i = 0; i < n; i++) {
		put_hex(addr, out);
		putc_unlocked('\t', out);
		fputs_unlocked(frames[i].function ? frames[i].function : "??", out);
		putc_unlocked('\t', out);
		fputs_unlocked(frames[i].file ? frames[i].file : "??", out);
		putc_unlocked(':', out);
		put_dec(frames[i].line, out);
		putc_unlocked('\n', out);
	}
}

static void print_json(uint64_t addr, const struct sym_frame *frames, int n, FILE *out)
{
	int i;

	fputs_unlocked("{\"address\":\"", out);
	put_hex(addr, out);
	fputs_unlocked("\",\"frames\":[", out);
	for (i = 0; i < n; i++) {
		fputs_unlocked(i ? ",{\"function\":" : "{\"function\":", out);
		put_json_str(frames[i].function ? frames[i].function : "??", out);
		fputs_unlocked(",\"file\":", out);
		if (frames[i].file)
			put_json_str(frames[i].file, out);
		else
			fputs_unlocked("null", out);
		fputs_unlocked(",\"line\":", out);
		put_dec(frames[i].line, out);
		fputs_unlocked(i + 1 < n ? ",\"inlined\":true}" : ",\"inlined\":false}", out);
	}
	fputs_unlocked("]}\n", out);
}

/* --sp-delta: the pcsp value at addr. */
static bool sp_delta_one(const struct gobinary *gb, uint64_t addr)
{
	int32_t delta;
	int err = gobinary__sp_delta(gb, addr, &delta);

	put_hex(addr, stdout);
	if (err) {
		fputs_unlocked("\t??\n", stdout);
	} else {
		printf("\t%d\n", delta);
	}
	if (err == -EBADMSG) {
		pf_warn("0x%" PRIx64 ": the pclntab is corrupt for this function", addr);
		return false;
	}
	return true;
}

/* Resolves and prints one address; false when the table is corrupt there. */
static bool symbolize_one(const struct gobinary *gb, uint64_t addr, bool json, struct stats *st)
{
	struct sym_frame frames[MAX_FRAMES];
	int n = gobinary__resolve(gb, addr, frames, MAX_FRAMES);

	st->addrs++;
	if (n > 0)
		st->frames += (size_t)n;
	else
		st->unknown++;
	if (json)
		print_json(addr, frames, n > 0 ? n : 0, stdout);
	else
		print_text(addr, frames, n, stdout);
	if (n == -EBADMSG) {
		pf_warn("0x%" PRIx64 ": the pclntab is corrupt for this function", addr);
		return false;
	}
	return true;
}

static bool one(const struct gobinary *gb, uint64_t addr, const struct opts *o, struct stats *st)
{
	return o->mode == MODE_SP_DELTA ? sp_delta_one(gb, addr)
					: symbolize_one(gb, addr, o->json, st);
}

static int symbolize_stdin(const struct gobinary *gb, const struct opts *o, struct stats *st)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) != -1) {
		uint64_t addr;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if (!parse_addr(line, &addr)) {
			line[strcspn(line, "\r\n")] = '\0';
			pf_warn("stdin line %zu: '%s' is not a hex address", lineno, line);
			bad++;
			continue;
		}
		bad += !one(gb, addr, o, st);
	}
	free(line);
	return bad ? PF_EXIT_ERROR : PF_EXIT_OK;
}

/* Dependencies and build settings, unquoted: "dep PATH VERSION", "build
 * KEY=VALUE". */
static void print_modules(const struct gobuildinfo *bi)
{
	const char *a, *b;
	size_t i;

	if (!bi)
		return;
	for (i = 0; !gobuildinfo__dep(bi, i, &a, &b); i++)
		printf("dep\t%s\t%s\n", a, b);
	for (i = 0; !gobuildinfo__setting_at(bi, i, &a, &b); i++)
		printf("build\t%s=%s\n", a, b);
}

static void print_info(const struct gobinary *gb)
{
	struct gobinary_info info;
	const char *s;

	gobinary__info(gb, &info);
	printf("pclntab\t%s at 0x%" PRIx64 ", %zu bytes\n", info.pclntab_source, info.pclntab_vaddr,
	       info.pclntab_size);
	printf("format\t%s\n", info.format);
	printf("functions\t%zu\n", info.nfuncs);
	printf("text_start\t0x%" PRIx64 " (%s)\n", info.text_start, info.text_source);
	if (info.moduledata)
		printf("moduledata\t0x%" PRIx64 "\n", info.moduledata);
	printf("inline_frames\t%s\n", info.inline_frames ? "yes" : "no");
	printf("index_bytes\t%zu\n", info.index_bytes);
	printf("buildinfo\t%s\n", info.buildinfo_source ? info.buildinfo_source : "none");
	s = gobinary__go_version(gb);
	printf("go_version\t%s\n", s ? s : "unknown");
	if ((s = gobinary__main_path(gb)))
		printf("path\t%s\n", s);
	if ((s = gobinary__main_module(gb)))
		printf("main_module\t%s\n", s);
	print_modules(gobinary__buildinfo(gb));
}

static int print_functions(const struct gobinary *gb)
{
	struct gobinary_info info;
	size_t i, bad = 0;

	gobinary__info(gb, &info);
	for (i = 0; i < info.nfuncs; i++) {
		struct sym_frame frames[MAX_FRAMES];
		uint64_t entry, end;
		const char *name;
		int n;

		if (gobinary__func(gb, i, &entry, &end, &name)) {
			bad++;
			continue;
		}
		n = gobinary__resolve(gb, entry, frames, MAX_FRAMES);
		put_hex(entry, stdout);
		putc_unlocked('\t', stdout);
		put_hex(end, stdout);
		printf("\t%s\t%s:%u\n", name,
		       n > 0 && frames[n - 1].file ? frames[n - 1].file : "??",
		       n > 0 ? frames[n - 1].line : 0);
	}
	if (bad)
		pf_warn("%zu functions have corrupt records", bad);
	return bad ? PF_EXIT_ERROR : PF_EXIT_OK;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void print_stats(const struct gobinary *gb, const struct stats *st)
{
	struct gobinary_info info;

	gobinary__info(gb, &info);
	fprintf(stderr,
		"open_ms\t%.3f\naddresses\t%zu\nframes\t%zu\nunknown\t%zu\n"
		"pclntab_bytes\t%zu\nindex_bytes\t%zu\n",
		st->open_ms, st->addrs, st->frames, st->unknown, info.pclntab_size,
		info.index_bytes);
}

static struct gobinary *open_binary(const char *path, struct elfimage **img)
{
	char why[200];
	struct gobinary *gb;

	*img = elfimage__open_path(path);
	if (!*img) {
		int err = errno;

		if (err == ENOEXEC)
			pf_error("%s: not an ELF file", path);
		else if (err == EBADMSG)
			pf_error("%s: corrupt or truncated ELF headers", path);
		else
			pf_error_errno(err, NULL, "%s", path);
		return NULL;
	}
	gb = gobinary__open_err(*img, why, sizeof(why));
	if (!gb) {
		if (errno == ENOENT)
			pf_error("%s: not a Go binary: %s", path, why);
		else if (errno == ENOMEM)
			pf_error_errno(ENOMEM, NULL, "%s", path);
		else
			pf_error("%s: %s", path, why);
		elfimage__free(*img);
		*img = NULL;
	}
	return gb;
}

int cmd_symbolize(int argc, char **argv)
{
	struct opts o = { 0 };
	struct stats st = { 0 };
	struct elfimage *img;
	double t0;
	struct gobinary *gb;
	int status = parse_opts(argc, argv, &o), i;
	static char outbuf[1 << 16];

	if (status >= 0)
		return status;
	for (i = optind; i < argc; i++) {
		uint64_t addr;

		if (!parse_addr(argv[i], &addr)) {
			pf_error("'%s' is not a hex address", argv[i]);
			return PF_EXIT_USAGE;
		}
	}
	t0 = now_ms();
	gb = open_binary(o.binary, &img);
	if (!gb)
		return PF_EXIT_ERROR;
	st.open_ms = now_ms() - t0;
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	status = PF_EXIT_OK;
	if (o.mode == MODE_INFO) {
		print_info(gb);
	} else if (o.mode == MODE_FUNCTIONS) {
		status = print_functions(gb);
	} else if (optind == argc) {
		status = symbolize_stdin(gb, &o, &st);
	} else {
		for (i = optind; i < argc; i++) {
			uint64_t addr;

			parse_addr(argv[i], &addr);
			if (!one(gb, addr, &o, &st))
				status = PF_EXIT_ERROR;
		}
	}
	if (fflush(stdout) || ferror(stdout)) {
		pf_error_errno(errno, NULL, "writing to stdout");
		status = PF_EXIT_ERROR;
	}
	if (o.stats)
		print_stats(gb, &st);
	gobinary__free(gb);
	elfimage__free(img);
	return status;
}
