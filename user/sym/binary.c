#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym/binary.h"
#include "sym/elfsyms.h"

struct binsym {
	struct elfimage *img;
	struct elfsyms *syms; /* NULL when the binary has none */
	struct gobinary *go; /* NULL for non-Go binaries */
	int go_error; /* why go is NULL: -ENOENT not Go, -EBADMSG corrupt */
	char *path;
	char build_id[2 * 64 + 1];
};

static void format_build_id(struct binsym *bin)
{
	const uint8_t *id;
	size_t len, i;

	bin->build_id[0] = '\0';
	if (elfimage__build_id(bin->img, &id, &len))
		return;
	if (len > 64)
		len = 64;
	for (i = 0; i < len; i++)
		sprintf(bin->build_id + 2 * i, "%02x", id[i]);
}

struct binsym *binsym__open_image(struct elfimage *img, const char *path)
{
	struct binsym *bin = calloc(1, sizeof(*bin));

	if (!bin || !(bin->path = strdup(path ? path : ""))) {
		free(bin);
		elfimage__free(img);
		errno = ENOMEM;
		return NULL;
	}
	bin->img = img;
	format_build_id(bin);
	/* A binary with neither table still resolves to module+offset frames,
	 * so both being absent is not an error. */
	bin->syms = elfsyms__load(img);
	bin->go = gobinary__open(img);
	bin->go_error = bin->go ? 0 : -errno;
	return bin;
}

struct binsym *binsym__open_fd(int fd, const char *path)
{
	struct elfimage *img = elfimage__open_fd(fd);

	return img ? binsym__open_image(img, path) : NULL;
}

void binsym__free(struct binsym *bin)
{
	if (!bin)
		return;
	gobinary__free(bin->go);
	elfsyms__free(bin->syms);
	elfimage__free(bin->img);
	free(bin->path);
	free(bin);
}

int binsym__resolve(const struct binsym *bin, uint64_t vaddr, struct sym_frame *frames, size_t cap)
{
	const char *name;
	int n;

	if (!cap)
		return -ENOSPC;
	if (bin->go) {
		n = gobinary__resolve(bin->go, vaddr, frames, cap);
		if (n > 0)
			return n;
	}
	if (bin->syms && !elfsyms__resolve(bin->syms, vaddr, &name, NULL)) {
		frames[0] = (struct sym_frame){
			.function = name,
			.kind = bin->go ? FRAME_GO : FRAME_NATIVE,
		};
		/* Go's assembly and cgo C code in a Go binary: the ELF symbol is
		 * right, but only Go functions are FRAME_GO. */
		if (bin->go && !strchr(name, '.'))
			frames[0].kind = FRAME_NATIVE;
		return 1;
	}
	return -ENOENT;
}

int binsym__offset_to_vaddr(const struct binsym *bin, uint64_t offset, uint64_t *vaddr)
{
	return elfimage__offset_to_vaddr(bin->img, offset, vaddr);
}

const char *binsym__path(const struct binsym *bin)
{
	return bin->path;
}

const char *binsym__build_id(const struct binsym *bin)
{
	return bin->build_id;
}

const struct gobinary *binsym__go(const struct binsym *bin)
{
	return bin->go;
}

const struct elfimage *binsym__image(const struct binsym *bin)
{
	return bin->img;
}

int binsym__go_error(const struct binsym *bin)
{
	return bin->go_error;
}
