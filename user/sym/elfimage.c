#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfimage.h"

struct load_segment {
	uint64_t vaddr, memsz, offset, filesz;
};

struct elfimage {
	Elf *elf;
	const uint8_t *data;
	size_t size;
	enum { DATA_BORROWED, DATA_MAPPED, DATA_MALLOCED } ownership;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	bool has_shstrndx;
	struct load_segment *loads;
	size_t nloads;
};

static bool range_ok(const struct elfimage *img, uint64_t off, uint64_t len)
{
	return off <= img->size && len <= img->size - off;
}

static int load_segments(struct elfimage *img)
{
	size_t phnum, i;

	if (elf_getphdrnum(img->elf, &phnum))
		return 0; /* no program headers: relocatable objects, fine */
	/* Each phdr needs space in the file; a larger count is a lie. */
	if (phnum > img->size / 32)
		return -EBADMSG;
	img->loads = calloc(phnum ? phnum : 1, sizeof(*img->loads));
	if (!img->loads)
		return -ENOMEM;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(img->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		img->loads[img->nloads++] = (struct load_segment){
			.vaddr = ph.p_vaddr,
			.memsz = ph.p_memsz,
			.offset = ph.p_offset,
			.filesz = ph.p_filesz,
		};
	}
	return 0;
}

/* libelf may convert a foreign-endian file in place, so data must be
 * writable and private: a copy-on-write mapping or our own copy. */
static struct elfimage *open_bytes(const uint8_t *data, size_t size, int ownership)
{
	struct elfimage *img;
	int err = -ENOEXEC;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		errno = ENOSYS;
		return NULL;
	}
	img = calloc(1, sizeof(*img));
	if (!img) {
		if (ownership == DATA_MAPPED)
			munmap((void *)data, size);
		else if (ownership == DATA_MALLOCED)
			free((void *)data);
		errno = ENOMEM;
		return NULL;
	}
	img->data = data;
	img->size = size;
	img->ownership = ownership;
	if (size < EI_NIDENT || memcmp(data, ELFMAG, SELFMAG))
		goto fail;
	img->elf = elf_memory((char *)data, size);
	if (!img->elf || elf_kind(img->elf) != ELF_K_ELF || !gelf_getehdr(img->elf, &img->ehdr))
		goto fail;
	if (img->ehdr.e_ident[EI_CLASS] != ELFCLASS64 && img->ehdr.e_ident[EI_CLASS] != ELFCLASS32)
		goto fail;
	img->has_shstrndx = elf_getshdrstrndx(img->elf, &img->shstrndx) == 0;
	err = load_segments(img);
	if (err)
		goto fail;
	return img;
fail:
	elfimage__free(img);
	errno = -err;
	return NULL;
}

struct elfimage *elfimage__open_mem(const void *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(copy, data, size);
	return open_bytes(copy, size, DATA_MALLOCED);
}

struct elfimage *elfimage__open_fd(int fd)
{
	struct stat st;
	void *map;

	if (fstat(fd, &st))
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : ENOEXEC;
		return NULL;
	}
	if (st.st_size < EI_NIDENT) {
		errno = ENOEXEC;
		return NULL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return NULL;
	return open_bytes(map, (size_t)st.st_size, DATA_MAPPED);
}

struct elfimage *elfimage__open_path(const char *path)
{
	struct elfimage *img;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int saved;

	if (fd < 0)
		return NULL;
	img = elfimage__open_fd(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return img;
}

void elfimage__free(struct elfimage *img)
{
	if (!img)
		return;
	if (img->elf)
		elf_end(img->elf);
	if (img->ownership == DATA_MAPPED)
		munmap((void *)img->data, img->size);
	else if (img->ownership == DATA_MALLOCED)
		free((void *)img->data);
	free(img->loads);
	free(img);
}

Elf *elfimage__elf(const struct elfimage *img)
{
	return img->elf;
}

const uint8_t *elfimage__bytes(const struct elfimage *img, size_t *size)
{
	*size = img->size;
	return img->data;
}

uint16_t elfimage__machine(const struct elfimage *img)
{
	return img->ehdr.e_machine;
}

bool elfimage__is_64bit(const struct elfimage *img)
{
	return img->ehdr.e_ident[EI_CLASS] == ELFCLASS64;
}

bool elfimage__is_little_endian(const struct elfimage *img)
{
	return img->ehdr.e_ident[EI_DATA] == ELFDATA2LSB;
}

bool elfimage__is_dyn(const struct elfimage *img)
{
	return img->ehdr.e_type == ET_DYN;
}

static int view_of_section(const struct elfimage *img, const GElf_Shdr *sh, struct byteview *view)
{
	if (sh->sh_type == SHT_NOBITS)
		return -ENODATA;
	if (!range_ok(img, sh->sh_offset, sh->sh_size))
		return -EBADMSG;
	view->data = img->data + sh->sh_offset;
	view->size = sh->sh_size;
	view->vaddr = (sh->sh_flags & SHF_ALLOC) ? sh->sh_addr : 0;
	view->file_offset = sh->sh_offset;
	return 0;
}

int elfimage__section(const struct elfimage *img, const char *name, struct byteview *view)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (!img->has_shstrndx)
		return -ENOENT;
	while ((scn = elf_nextscn(img->elf, scn))) {
		const char *sname;

		if (!gelf_getshdr(scn, &sh))
			continue;
		sname = elf_strptr(img->elf, img->shstrndx, sh.sh_name);
		if (sname && !strcmp(sname, name))
			return view_of_section(img, &sh, view);
	}
	return -ENOENT;
}

int elfimage__section_at(const struct elfimage *img, uint64_t vaddr, struct byteview *view,
			 const char **name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(img->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC))
			continue;
		if (vaddr < sh.sh_addr || vaddr - sh.sh_addr >= sh.sh_size)
			continue;
		if (name) {
			*name = img->has_shstrndx ? elf_strptr(img->elf, img->shstrndx, sh.sh_name)
						  : NULL;
		}
		return view_of_section(img, &sh, view);
	}
	return -ENOENT;
}

static const struct load_segment *segment_at(const struct elfimage *img, uint64_t vaddr)
{
	size_t i;

	for (i = 0; i < img->nloads; i++) {
		const struct load_segment *seg = &img->loads[i];

		if (vaddr >= seg->vaddr && vaddr - seg->vaddr < seg->memsz)
			return seg;
	}
	return NULL;
}

int elfimage__view_at_vaddr(const struct elfimage *img, uint64_t vaddr, struct byteview *view)
{
	const struct load_segment *seg = segment_at(img, vaddr);
	uint64_t delta;

	if (!seg)
		return -ENOENT;
	delta = vaddr - seg->vaddr;
	if (delta >= seg->filesz)
		return -ENODATA;
	if (!range_ok(img, seg->offset, seg->filesz))
		return -EBADMSG;
	view->data = img->data + seg->offset + delta;
	view->size = seg->filesz - delta;
	view->vaddr = vaddr;
	view->file_offset = seg->offset + delta;
	return 0;
}

int elfimage__read_vaddr(const struct elfimage *img, uint64_t vaddr, void *buf, size_t len)
{
	struct byteview view;
	int err = elfimage__view_at_vaddr(img, vaddr, &view);

	if (err)
		return err;
	if (len > view.size)
		return -ENODATA;
	memcpy(buf, view.data, len);
	return 0;
}

int elfimage__offset_to_vaddr(const struct elfimage *img, uint64_t offset, uint64_t *vaddr)
{
	size_t i;

	for (i = 0; i < img->nloads; i++) {
		const struct load_segment *seg = &img->loads[i];

		if (offset >= seg->offset && offset - seg->offset < seg->filesz) {
			*vaddr = seg->vaddr + (offset - seg->offset);
			return 0;
		}
	}
	return -ENOENT;
}

int elfimage__vaddr_to_offset(const struct elfimage *img, uint64_t vaddr, uint64_t *offset)
{
	const struct load_segment *seg = segment_at(img, vaddr);

	if (!seg || vaddr - seg->vaddr >= seg->filesz)
		return -ENOENT;
	*offset = seg->offset + (vaddr - seg->vaddr);
	return 0;
}

uint64_t elfimage__load_base(const struct elfimage *img)
{
	uint64_t base = UINT64_MAX;
	size_t i;

	for (i = 0; i < img->nloads; i++)
		if (img->loads[i].vaddr < base)
			base = img->loads[i].vaddr;
	return base == UINT64_MAX ? 0 : base & ~(uint64_t)0xfff;
}

/* Walks one note area for a note of the given owner and type. */
static int find_note(const struct elfimage *img, const Elf_Data *data, const char *owner,
		     uint32_t type, const uint8_t **desc, size_t *desc_len)
{
	size_t offset = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while ((offset = gelf_getnote((Elf_Data *)data, offset, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;

		if (nh.n_type != type || nh.n_namesz != strlen(owner) + 1 ||
		    memcmp(name, owner, nh.n_namesz))
			continue;
		if (nh.n_descsz == 0 || desc_off > data->d_size ||
		    nh.n_descsz > data->d_size - desc_off)
			return -EBADMSG;
		*desc = (const uint8_t *)data->d_buf + desc_off;
		*desc_len = nh.n_descsz;
		(void)img;
		return 0;
	}
	return -ENOENT;
}

int elfimage__build_id(const struct elfimage *img, const uint8_t **id, size_t *len)
{
	static const struct {
		const char *owner;
		uint32_t type;
	} kinds[] = { { "GNU", NT_GNU_BUILD_ID }, { "Go", 4 /* NT_GO_BUILD_ID */ } };
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		Elf_Scn *scn = NULL;
		GElf_Shdr sh;

		while ((scn = elf_nextscn(img->elf, scn))) {
			Elf_Data *data;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
				continue;
			data = elf_getdata(scn, NULL);
			if (data && !find_note(img, data, kinds[k].owner, kinds[k].type, id, len))
				return 0;
		}
	}
	return -ENOENT;
}
