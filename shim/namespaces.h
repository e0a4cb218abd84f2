/*
 * namespaces.h — the command's namespaces and privileges: always a mount namespace of its own
 * (mount-view.h), and for a command without network egress (--block-net) an empty network
 * namespace and no network socket among its stdio. An unprivileged helper gets them inside a user
 * namespace of its own; whatever capabilities the helper holds, it drops.
 */
#ifndef SHIMGATE_NAMESPACES_H
#define SHIMGATE_NAMESPACES_H

#include <stdbool.h>

/* Refuses (126) when fd 0, 1 or 2 is a socket of any family but AF_UNIX: a TCP connection handed
 * over as stdin/stdout is network egress the namespace and seccomp cannot see. */
void refuse_network_stdio(const char *who);

/* Moves the helper into a new mount namespace and, when `net`, a new network namespace with nothing
 * in it (loopback down, no routes). As root: unshare(CLONE_NEWNS [| CLONE_NEWNET]). Otherwise the
 * same inside a new user namespace with a uid and a gid map of the helper's own ids only (setgroups
 * denied); the capabilities that user namespace grants are the caller's to drop
 * (drop_capabilities). Must run before the capabilities are dropped and before Landlock (it writes
 * /proc/self). */
void enter_namespaces(const char *who, bool net);

/* Empties every capability set this process holds (bounding set when it may, ambient, inheritable,
 * permitted, effective): root, or root of its own user namespace, keeps nothing through execve. */
void drop_capabilities(const char *who);

#endif
