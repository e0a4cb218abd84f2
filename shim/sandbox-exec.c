/*
 * shimgate-sandbox-exec — runs one mediated command inside its per-command sandbox (DESIGN.md §5,
 * §4.5). The server spawns it instead of the real binary; it builds the sandbox and execs the
 * binary in place, so the command keeps the stdio fds, cwd, environment and pid it was given. The
 * command runs with the agent's arguments, environment and working tree: whatever it can be made
 * to run is agent code, and this sandbox is what holds it.
 *
 * Invariants:
 *  1. The helper MUST never exec the binary unless every protection asked for is in place; any
 *     failure is a refusal (126). The one exception is --landlock-optional on a kernel without
 *     Landlock or without its scopes, which runs with what the kernel has (still no_new_privs,
 *     still seccomp) and says UNCONFINED on stderr.
 *  2. The order MUST be: stdio checked (--block-net) -> namespaces entered (mount; network under
 *     --block-net; user when not root) -> mounts made read-only but the writable grants ->
 *     capabilities dropped -> no_new_privs -> Landlock -> seccomp -> execve(absolute path); seccomp
 *     is the last step before exec. There is no execvp and no PATH lookup. A command MUST keep no
 *     capability.
 *  3. The command MUST be able to execute only its binary, the interpreters the kernel opens to
 *     exec it (a `#!` interpreter, the ELF loader) and the --rx paths (the session's shims and its
 *     sandbox.exec): not sh, not python3, not a copy of either it wrote (landlock-rules.c).
 *  4. The command MUST NOT signal processes or connect to abstract Unix sockets outside its
 *     Landlock domain (scopes), nor change modes, owners, xattrs or times outside its writable
 *     grants (every other mount is read-only in its own mount namespace, mount-view.c).
 *  5. A --block-net command MUST run in an empty network namespace of its own, with no socket() of
 *     a network family, no io_uring, and no network socket among its stdio (namespaces.c).
 *  6. Every path MUST be absolute and shorter than SANDBOX_PATH_MAX, and there MUST be at most
 *     SANDBOX_MAX_GRANTS path options; anything else is refused, never truncated.
 *  7. Every fd the helper opens MUST be close-on-exec and closed before exec; the fds it was given
 *     (the caller's stdio) MUST stay untouched.
 *
 * Usage:
 *   shimgate-sandbox-exec --probe
 *   shimgate-sandbox-exec [--ro DIR]... [--ro-file FILE]... [--rw DIR]... [--rw-file FILE]...
 *                         [--rx DIR|FILE]... [--block-net] [--landlock-optional]
 *                         -- /ABS/BINARY ARGV0 [ARGS...]
 *   --rx is the only grant of execute (on everything beneath a DIR, or on one FILE).
 *
 * Exit status: the binary's own (the helper execs it); 126 the sandbox could not be built (no
 * Landlock or no Landlock scopes without --landlock-optional, no mount or network namespace, a network
 * socket as stdio under --block-net, a relative or over-long path, a failed syscall, a usage error)
 * or the binary could not be executed; 127 the binary does not exist. --probe exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "landlock-rules.h"
#include "mount-view.h"
#include "namespaces.h"
#include "sandbox-opts.h"
#include "seccomp-filter.h"

/* An error message is one line of at most this many bytes (it is output, not input). */
#define MESSAGE_MAX FAIL_MESSAGE_MAX

extern char **environ;

static const struct {
	const char *name;
	__u64 access;
	enum node node;
} PATH_FLAGS[] = {
	{ "--ro", ACCESS_READ, NODE_ANY },
	{ "--ro-file", LANDLOCK_ACCESS_FS_READ_FILE, NODE_FILE },
	{ "--rw", ACCESS_READ_WRITE, NODE_ANY },
	{ "--rw-file", ACCESS_READ_WRITE_FILE, NODE_FILE },
	{ "--rx", ACCESS_READ_EXEC, NODE_ANY },
};

/* Before ARGV0 is known the server misused the helper: say so in the helper's own name. */
#define usage(...) \
	fail("shimgate-sandbox-exec", SHIMGATE_EXIT_DENIED, 0, "usage: ", __VA_ARGS__)

/* --probe: exactly `landlock-abi N` and `seccomp ok|unavailable: <why>`, exit 0. */
static int probe(void)
{
	char why[MESSAGE_MAX] = "";
	bool seccomp_ok = probe_seccomp(why, sizeof why); /* forks: before anything is buffered */

	printf("landlock-abi %d\n", landlock_abi());
	if (seccomp_ok)
		printf("seccomp ok\n");
	else
		printf("seccomp unavailable: %s\n", why);
	return fflush(stdout) == 0 ? 0 : SHIMGATE_EXIT_DENIED;
}

static void add_grant(struct sandbox_opts *o, const char *arg, const char *path)
{
	size_t i;

	for (i = 0; i < sizeof PATH_FLAGS / sizeof PATH_FLAGS[0]; i++) {
		if (strcmp(arg, PATH_FLAGS[i].name) != 0)
			continue;
		if (o->ngrants < SANDBOX_MAX_GRANTS)
			o->grants[o->ngrants] = (struct grant){ PATH_FLAGS[i].name, path,
								PATH_FLAGS[i].access,
								PATH_FLAGS[i].node };
		o->ngrants++;
		return;
	}
	usage("unknown option %s", arg);
}

static void parse_args(struct sandbox_opts *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--block-net") == 0)
			o->block_net = true;
		else if (strcmp(argv[i], "--landlock-optional") == 0)
			o->landlock_optional = true;
		else if (i + 1 < argc)
			add_grant(o, argv[i], argv[i + 1]), i++;
		else
			usage("unknown option %s, or it lacks its path", argv[i]);
	}
	if (argc - i < 3)
		usage("expected `-- /ABS/BINARY ARGV0 [ARGS...]` after the options");
	o->binary = argv[i + 1];
	o->argv0 = argv[i + 2];
	o->exec_argv = &argv[i + 2];
}

static void check_path(const char *who, const char *what, const char *path)
{
	if (path[0] != '/')
		denied(who, 0, "%s %s: not an absolute path", what, path);
	if (strlen(path) >= SANDBOX_PATH_MAX)
		denied(who, 0, "%s: path longer than %d bytes (SANDBOX_PATH_MAX)", what,
		       SANDBOX_PATH_MAX - 1);
}

/* Invariant 6, once ARGV0 is known so the refusal can name the command. */
static void check_opts(const struct sandbox_opts *o, const char *who)
{
	size_t i;

	if (o->ngrants > SANDBOX_MAX_GRANTS)
		denied(who, 0, "%zu path options exceed the limit of %d (SANDBOX_MAX_GRANTS)",
		       o->ngrants, SANDBOX_MAX_GRANTS);
	for (i = 0; i < o->ngrants; i++)
		check_path(who, o->grants[i].flag, o->grants[i].path);
	check_path(who, "binary", o->binary);
}

int main(int argc, char **argv)
{
	static struct sandbox_opts o; /* 32 KiB of grants: not on the stack */
	char who[MESSAGE_MAX / 2];

	if (argc == 2 && strcmp(argv[1], "--probe") == 0)
		return probe();
	parse_args(&o, argc, argv);
	snprintf(who, sizeof who, "shimgate: %s", o.argv0); /* a long ARGV0 is cut in messages only */
	check_opts(&o, who);

	if (o.block_net)
		refuse_network_stdio(who);
	enter_namespaces(who, o.block_net);
	make_readonly_view(&o, who);
	drop_capabilities(who);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		denied(who, errno, "prctl PR_SET_NO_NEW_PRIVS");
	enforce_landlock(&o, who);
	if (load_seccomp_filter(o.block_net) < 0)
		denied(who, errno, "seccomp: load the filter");
	execve(o.binary, o.exec_argv, environ);
	fail(who, errno == ENOENT ? SHIMGATE_EXIT_NOT_FOUND : SHIMGATE_EXIT_DENIED, errno, "",
	     "exec %s", o.binary);
	/* not reached */
}
