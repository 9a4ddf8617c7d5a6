/* An ELF file mapped read-only, with bounds-checked access to its sections and
 * segments. Parsers above it (symbol tables, pclntab, buildinfo) see byte views,
 * never file descriptors. libelf does the header walking; every range it hands
 * back is re-checked against the mapping before use. */
#ifndef PODFLAME_ELFIMAGE_H
#define PODFLAME_ELFIMAGE_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A window of the file: data[0..size) is the bytes at virtual address vaddr
 * (0 when the bytes are not loaded) and file offset file_offset. The bytes
 * stay valid until the image is freed. */
struct byteview {
	const uint8_t *data;
	size_t size;
	uint64_t vaddr;
	uint64_t file_offset;
};

struct elfimage;

/* Maps the file behind fd (the fd may be closed afterwards). NULL + errno:
 * ENOEXEC not ELF or unsupported class, EBADMSG corrupt headers, others from
 * mmap/fstat. */
struct elfimage *elfimage__open_fd(int fd);
struct elfimage *elfimage__open_path(const char *path);
/* Parses caller-owned bytes (fuzzing, tests); they must outlive the image. */
struct elfimage *elfimage__open_mem(const void *data, size_t size);
void elfimage__free(struct elfimage *img);

Elf *elfimage__elf(const struct elfimage *img);
const uint8_t *elfimage__bytes(const struct elfimage *img, size_t *size);
uint16_t elfimage__machine(const struct elfimage *img);
bool elfimage__is_64bit(const struct elfimage *img);
bool elfimage__is_little_endian(const struct elfimage *img);
/* ET_DYN (PIE or shared object): addresses are relative to the load base. */
bool elfimage__is_dyn(const struct elfimage *img);

/* Section contents by name. -ENOENT: no such section; -ENODATA: SHT_NOBITS;
 * -EBADMSG: the section lies outside the file. */
int elfimage__section(const struct elfimage *img, const char *name, struct byteview *view);
/* First section containing vaddr (allocated sections only). */
int elfimage__section_at(const struct elfimage *img, uint64_t vaddr, struct byteview *view,
			 const char **name);

/* The file bytes behind [vaddr, vaddr+len) from the PT_LOAD segments; fails
 * with -ENOENT outside them or -ENODATA for the bss part. */
int elfimage__read_vaddr(const struct elfimage *img, uint64_t vaddr, void *buf, size_t len);
/* A view from vaddr to the end of its PT_LOAD segment's file bytes. */
int elfimage__view_at_vaddr(const struct elfimage *img, uint64_t vaddr, struct byteview *view);
/* File offset -> virtual address through PT_LOAD (for /proc/PID/maps). */
int elfimage__offset_to_vaddr(const struct elfimage *img, uint64_t offset, uint64_t *vaddr);
/* Virtual address -> file offset through PT_LOAD; -ENOENT outside them. */
int elfimage__vaddr_to_offset(const struct elfimage *img, uint64_t vaddr, uint64_t *offset);
/* Lowest PT_LOAD vaddr, page-aligned down. */
uint64_t elfimage__load_base(const struct elfimage *img);

/* GNU build-id (NT_GNU_BUILD_ID), else the Go build id note; -ENOENT. The
 * id bytes stay valid until the image is freed. */
int elfimage__build_id(const struct elfimage *img, const uint8_t **id, size_t *len);

#endif
