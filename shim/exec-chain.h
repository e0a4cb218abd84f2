/*
 * exec-chain.h — which files the kernel opens for execute when it execs one binary: the binary,
 * the interpreter of a `#!` script, and the ELF interpreter (PT_INTERP, the loader) of whichever of
 * them is dynamically linked. Landlock checks EXECUTE on each of them (LINUX-NOTES.md), so these,
 * and nothing else found here, get it.
 */
#ifndef SHIMGATE_EXEC_CHAIN_H
#define SHIMGATE_EXEC_CHAIN_H

#include <stddef.h>

#include "sandbox-opts.h"

/* Longest chain followed: a script, up to two script interpreters of scripts, an ELF binary and
 * its loader. The kernel gives up past five nested interpreters (ELOOP); a command needing more
 * than this is not one to run. Entries past the limit are not granted, so execve() fails. */
#define EXEC_CHAIN_MAX 5

struct exec_chain {
	char path[EXEC_CHAIN_MAX][SANDBOX_PATH_MAX];
	size_t n;
};

/* Fills `chain` with `binary` and the interpreters the kernel will open to exec it, in that order.
 * A file the helper cannot open or read ends the chain there (execve() then reports the problem);
 * an interpreter named by a relative path or not NUL/space-terminated is not followed. */
void exec_chain(const char *binary, struct exec_chain *chain);

#endif
