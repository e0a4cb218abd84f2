/*
 * shimgate-agent-scope — the agent's first program inside bubblewrap: it puts the agent in a Landlock
 * domain that handles no filesystem right (bubblewrap's mounts decide what the agent sees) but is
 * scoped, then execs the agent command.
 *
 * Invariants:
 *  1. The agent command MUST never start unless both scopes are in place: abstract Unix sockets
 *     outside the domain cannot be connected to (they ignore every mount, and without a network
 *     namespace the host's are reachable: an X server, a desktop bus), and processes outside the
 *     domain cannot be signalled. Any failure is a refusal (126).
 *  2. The order MUST be no_new_privs -> landlock_restrict_self -> execvp; nothing else runs between.
 *  3. Every fd the helper opens MUST be close-on-exec; it passes its stdio through untouched.
 *
 * Usage: shimgate-agent-scope --probe            exit 0 when this kernel has the scopes, else 126
 *        shimgate-agent-scope -- CMD [ARGS...]   CMD is looked up on PATH, as a shell would
 *
 * Exit status: the command's own (the helper execs it); 126 the scopes could not be set up or the
 * command could not be executed; 127 the command was not found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fail.h"
#include "wire.h"

/* Scopes arrived with Landlock ABI 6 (Linux 6.12); Debian 12's header predates them. */
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
#define SCOPES_MIN_ABI 6
#define WHO "shimgate-agent-scope"

/* The ruleset attribute as ABI 6 knows it (the system header has only the first field). */
struct scoped_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define refuse(errnum, ...) fail(WHO, SHIMGATE_EXIT_DENIED, (errnum), "", __VA_ARGS__)

static int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

static void enter_scoped_domain(void)
{
	struct scoped_ruleset_attr attr = {
		.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL,
	};
	int abi = landlock_abi(), ruleset;

	if (abi < SCOPES_MIN_ABI)
		refuse(0, "Landlock ABI %d has no scopes (ABI %d, Linux 6.12, is needed to keep the agent "
			  "from abstract sockets and signals outside its sandbox)", abi, SCOPES_MIN_ABI);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		refuse(errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (ruleset < 0)
		refuse(errno, "landlock_create_ruleset (scopes)");
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
		refuse(errno, "landlock_restrict_self");
	close(ruleset);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--probe") == 0)
		return landlock_abi() >= SCOPES_MIN_ABI ? 0 : SHIMGATE_EXIT_DENIED;
	if (argc < 3 || strcmp(argv[1], "--") != 0)
		refuse(0, "usage: %s -- CMD [ARGS...]", WHO);
	enter_scoped_domain();
	execvp(argv[2], argv + 2);
	fail(WHO, errno == ENOENT ? SHIMGATE_EXIT_NOT_FOUND : SHIMGATE_EXIT_DENIED, errno, "", "cannot run %s", argv[2]);
}
