/*
 * sandbox-opts.h — the sandbox exec helper's parsed command line, shared by its parts
 * (sandbox-exec.c parses it; landlock-rules.c, seccomp-filter.c and namespaces.c apply it), and the one
 * way they refuse.
 *
 * Invariants:
 *  1. Every part MUST refuse through denied() (exit 126, one line naming the command); none may
 *     print a warning and carry on, except where the caller opted out (--landlock-optional), and
 *     then it MUST say so on stderr (notice()).
 *  2. The options MUST be read-only once parsed: no part changes what another part will apply.
 */
#ifndef SHIMGATE_SANDBOX_OPTS_H
#define SHIMGATE_SANDBOX_OPTS_H

#include <limits.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "fail.h"
#include "wire.h"

/* Longest path, NUL included: what open() accepts. Checked up front so the refusal names the
 * option instead of surfacing later as ENAMETOOLONG. */
#define SANDBOX_PATH_MAX PATH_MAX

/* Most --ro/--ro-file/--rw/--rw-file/--rx options: each is one Landlock rule, and the options live
 * in a fixed array. A profile needing more paths than this is a mistake worth refusing. */
#define SANDBOX_MAX_GRANTS 1024

/* What a path option must name: anything (a non-directory gets the file rights only), or a
 * non-directory (a --*-file option on a directory would grant every file beneath it). */
enum node { NODE_ANY, NODE_FILE };

struct grant {
	const char *flag; /* "--ro", …: names the grant in error messages */
	const char *path;
	__u64 access;
	enum node node;
};

struct sandbox_opts {
	struct grant grants[SANDBOX_MAX_GRANTS];
	size_t ngrants; /* may exceed SANDBOX_MAX_GRANTS: counted, refused once ARGV0 is known */
	bool block_net;
	bool landlock_optional;
	const char *binary;
	const char *argv0;
	char **exec_argv; /* ARGV0, ARGS..., NULL */
};

/* `shimgate: ARGV0: denied: sandbox: <what>[: strerror]`, exit 126. `who` is "shimgate: ARGV0". */
#define denied(who, errnum, ...) \
	fail((who), SHIMGATE_EXIT_DENIED, (errnum), "denied: sandbox: ", __VA_ARGS__)

#endif
