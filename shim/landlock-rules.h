/*
 * landlock-rules.h — the command's Landlock domain: which paths it may read, write and execute, and
 * the scopes that keep it from signalling processes and reaching abstract sockets outside it.
 */
#ifndef SHIMGATE_LANDLOCK_RULES_H
#define SHIMGATE_LANDLOCK_RULES_H

#include <linux/landlock.h>

#include "sandbox-opts.h"

/* Rights newer than the system's linux/landlock.h (Debian 12 ships the 6.1 header, ABI 2). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif

#define ACCESS_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define ACCESS_READ_EXEC (ACCESS_READ | LANDLOCK_ACCESS_FS_EXECUTE)
#define ACCESS_READ_WRITE_FILE \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)
/* Everything but execute and making device nodes (root could mknod the disk). */
#define ACCESS_READ_WRITE                                                                      \
	(ACCESS_READ | ACCESS_READ_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                    \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_SYM |   \
	 LANDLOCK_ACCESS_FS_REFER)

/* The first Landlock ABI with LANDLOCK_SCOPE_SIGNAL and LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET. */
#define LANDLOCK_ABI_SCOPES 6

/* The running kernel's Landlock ABI, 0 when it has none. */
int landlock_abi(void);

/* Builds and enforces the ruleset for `o` (no_new_privs must be set). Refuses (126) when Landlock or
 * its scopes are missing, unless o->landlock_optional: then it runs with what the kernel has and
 * says so on stderr. */
void enforce_landlock(const struct sandbox_opts *o, const char *who);

#endif
