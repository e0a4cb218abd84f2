/*
 * exec-chain.c — see exec-chain.h. Reads what the kernel reads (fs/binfmt_script.c,
 * fs/binfmt_elf.c) and no more: the first BINPRM_BUF_SIZE bytes, the ELF header, its program
 * header table and the PT_INTERP string.
 *
 * Invariants:
 *  1. Only the files the kernel itself opens for execute MAY enter the chain: a `#!` interpreter
 *     (absolute), a PT_INTERP path (absolute). Nothing else in a file (its libraries, a DT_RUNPATH)
 *     is ever followed.
 *  2. Every length read from a file MUST be checked against a named limit before use; a file that
 *     does not fit ends the chain (it is not granted), it is never truncated into another path.
 *  3. Every fd opened here MUST be close-on-exec and closed before returning.
 */
#include "exec-chain.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* What the kernel reads of a file to pick its format, and where a `#!` line must end. */
#define BINPRM_BUF_SIZE 256

/* The kernel refuses a program header table larger than this (fs/binfmt_elf.c elf_read_phdrs:
 * ELF_MIN_ALIGN, the page size): a larger one could not be exec'd, so it is not followed. */
#define ELF_PHDRS_MAX_BYTES 4096

static bool read_at(int fd, void *buf, size_t n, off_t at)
{
	ssize_t r;

	do
		r = pread(fd, buf, n, at);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)n;
}

/* `#!` then optional blanks, then the interpreter up to a blank, a newline or the end of the line.
 * Only an absolute interpreter whose line ends inside the buffer is followed. */
static bool script_interpreter(const char *head, size_t n, char *out, size_t outsz)
{
	size_t i = 2, start, len;

	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	start = i;
	while (i < n && head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && head[i] != '\0')
		i++;
	if (i == n || i == start || head[start] != '/')
		return false;
	len = i - start;
	if (len >= outsz)
		return false;
	memcpy(out, head + start, len);
	out[len] = '\0';
	return true;
}

/* The program header table's place and entry size, from a 32- or 64-bit little-endian header. */
static bool elf_phdrs(const unsigned char *head, size_t n, off_t *off, size_t *entsize, size_t *count)
{
	if (n >= sizeof(Elf64_Ehdr) && head[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		memcpy(&eh, head, sizeof eh);
		*off = (off_t)eh.e_phoff, *entsize = eh.e_phentsize, *count = eh.e_phnum;
		return eh.e_phoff <= INT64_MAX && eh.e_phentsize == sizeof(Elf64_Phdr);
	}
	if (n >= sizeof(Elf32_Ehdr) && head[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		memcpy(&eh, head, sizeof eh);
		*off = (off_t)eh.e_phoff, *entsize = eh.e_phentsize, *count = eh.e_phnum;
		return eh.e_phentsize == sizeof(Elf32_Phdr);
	}
	return false;
}

/* PT_INTERP's file offset and size from entry `i` of the table. */
static bool interp_entry(const unsigned char *table, size_t entsize, size_t i, off_t *at, size_t *size)
{
	if (entsize == sizeof(Elf64_Phdr)) {
		Elf64_Phdr ph;

		memcpy(&ph, table + i * entsize, sizeof ph);
		*at = (off_t)ph.p_offset, *size = (size_t)ph.p_filesz;
		return ph.p_type == PT_INTERP && ph.p_offset <= INT64_MAX && ph.p_filesz <= SIZE_MAX;
	}
	Elf32_Phdr ph;

	memcpy(&ph, table + i * entsize, sizeof ph);
	*at = (off_t)ph.p_offset, *size = ph.p_filesz;
	return ph.p_type == PT_INTERP;
}

/* The PT_INTERP path of an ELF file: absolute, NUL-terminated within its segment, shorter than
 * `outsz` (the kernel's own rules, plus "absolute"). */
static bool elf_interpreter(int fd, const unsigned char *head, size_t n, char *out, size_t outsz)
{
	unsigned char table[ELF_PHDRS_MAX_BYTES];
	size_t entsize, count, i, size;
	off_t phoff, at;

	if (n < EI_NIDENT || memcmp(head, ELFMAG, SELFMAG) != 0 || head[EI_DATA] != ELFDATA2LSB)
		return false;
	if (!elf_phdrs(head, n, &phoff, &entsize, &count) || count == 0 ||
	    count > ELF_PHDRS_MAX_BYTES / entsize || !read_at(fd, table, count * entsize, phoff))
		return false;
	for (i = 0; i < count; i++) {
		if (!interp_entry(table, entsize, i, &at, &size))
			continue;
		if (size < 2 || size > outsz || !read_at(fd, out, size, at) || out[size - 1] != '\0')
			return false;
		return out[0] == '/' && strlen(out) == size - 1;
	}
	return false; /* static: no loader */
}

/* The next file the kernel opens for execute after `path`, if any. */
static bool next_in_chain(const char *path, char *next, size_t nextsz)
{
	char head[BINPRM_BUF_SIZE];
	bool found = false;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return false;
	do
		n = pread(fd, head, sizeof head, 0);
	while (n < 0 && errno == EINTR);
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		found = script_interpreter(head, (size_t)n, next, nextsz);
	else if (n > 0)
		found = elf_interpreter(fd, (const unsigned char *)head, (size_t)n, next, nextsz);
	close(fd);
	return found;
}

void exec_chain(const char *binary, struct exec_chain *chain)
{
	size_t len = strlen(binary);

	chain->n = 0;
	if (len >= SANDBOX_PATH_MAX)
		return;
	memcpy(chain->path[0], binary, len + 1);
	chain->n = 1;
	while (chain->n < EXEC_CHAIN_MAX &&
	       next_in_chain(chain->path[chain->n - 1], chain->path[chain->n], SANDBOX_PATH_MAX))
		chain->n++;
}
