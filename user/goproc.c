#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "goproc.h"
#include "sym/elfimage.h"
#include "sym/gobinary.h"
#include "sym/procmaps.h"

/* GOMAXPROCS past this is not a value the runtime holds. */
#define MAX_SANE_GOMAXPROCS (1u << 20)

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* An object symbol's address from .symtab. libelf bounds-checks the table;
 * we check the name offset through elf_strptr. */
static int find_object(const struct elfimage *img, const char *name, uint64_t *vaddr,
		       uint64_t *size)
{
	Elf *elf = elfimage__elf(img);
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB || !shdr.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = data->d_size / shdr.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
				continue;
			s = elf_strptr(elf, shdr.sh_link, sym.st_name);
			if (s && !strcmp(s, name)) {
				*vaddr = sym.st_value;
				*size = sym.st_size;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* Where the executable is loaded: 0 for ET_EXEC; for PIE, the start of its
 * offset-0 mapping minus the lowest PT_LOAD address. */
static int load_bias(int pid, const struct elfimage *img, uint64_t *bias)
{
	char link[64], exe[4096];
	struct procmaps maps;
	ssize_t n;
	size_t i;
	int err;

	*bias = 0;
	if (!elfimage__is_dyn(img))
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
		exe[n - 10] = '\0';
	err = procmaps__read_pid(&maps, pid, false);
	if (err)
		return err;
	err = -ENOENT;
	for (i = 0; i < maps.count && err; i++) {
		if (maps.maps[i].offset == 0 && !strcmp(maps.maps[i].path, exe)) {
			*bias = maps.maps[i].start - elfimage__load_base(img);
			err = 0;
		}
	}
	procmaps__release(&maps);
	return err;
}

static int read_gomaxprocs(int pid, const struct elfimage *img, unsigned *value)
{
	uint64_t vaddr, size, bias;
	char path[64];
	int32_t v;
	ssize_t n;
	int fd, err = find_object(img, "runtime.gomaxprocs", &vaddr, &size);

	if (err)
		return err;
	if (size != sizeof(v))
		return -EBADMSG;
	err = load_bias(pid, img, &bias);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, &v, sizeof(v), (off_t)(bias + vaddr));
	err = n == (ssize_t)sizeof(v) ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	if (err)
		return err;
	/* 0 before schedinit has run; garbage means a wrong address. */
	if (v <= 0 || (unsigned)v > MAX_SANE_GOMAXPROCS)
		return -EBADMSG;
	*value = (unsigned)v;
	return 0;
}

static bool has_section(const struct elfimage *img, const char *name)
{
	struct byteview v;
	int err = elfimage__section(img, name, &v);

	return !err || err == -ENODATA;
}

int goproc__inspect(int pid, struct goproc *out)
{
	struct elfimage *img;
	struct gobinary *gb;
	char path[64];
	int fd;

	memset(out, 0, sizeof(*out));
	out->mem_error = -ENOENT;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	img = elfimage__open_fd(fd);
	close(fd);
	if (!img)
		return -errno;
	gb = gobinary__open(img);
	if (gb) {
		out->is_go = true;
		copy(out->version, sizeof(out->version), gobinary__go_version(gb));
		copy(out->default_godebug, sizeof(out->default_godebug),
		     gobinary__build_setting(gb, "DefaultGODEBUG"));
		out->automaxprocs = gobinary__has_dep(gb, AUTOMAXPROCS_MODULE);
		out->buildinfo = gobinary__main_module(gb) != NULL;
	} else {
		/* The table reader could not parse it, but the toolchain's
		 * sections still say what wrote the binary. */
		out->is_go = has_section(img, ".go.buildinfo") || has_section(img, ".gopclntab");
	}
	out->mem_error = read_gomaxprocs(pid, img, &out->gomaxprocs);
	out->gomaxprocs_read = out->mem_error == 0;
	if (out->gomaxprocs_read)
		out->is_go = true;
	gobinary__free(gb);
	elfimage__free(img);
	return 0;
}
