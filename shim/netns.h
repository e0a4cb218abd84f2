/*
 * netns.h — a command without network egress (--block-net) gets an empty network namespace of its
 * own, and no network socket among its stdio.
 */
#ifndef SHIMGATE_NETNS_H
#define SHIMGATE_NETNS_H

/* Refuses (126) when fd 0, 1 or 2 is a socket of any family but AF_UNIX: a TCP connection handed
 * over as stdin/stdout is network egress the namespace and seccomp cannot see. */
void refuse_network_stdio(const char *who);

/* Moves the helper into a new network namespace with nothing in it (loopback down, no routes). As
 * root: unshare(CLONE_NEWNET). Otherwise: unshare(CLONE_NEWUSER | CLONE_NEWNET) with a uid and a
 * gid map of the helper's own ids only (setgroups denied); the capabilities that user namespace
 * grants are the caller's to drop (drop_capabilities). Must run before the capabilities are
 * dropped and before Landlock (it writes /proc/self). */
void enter_empty_netns(const char *who);

/* Empties every capability set this process holds (bounding set when it may, ambient, inheritable,
 * permitted, effective): root, or root of its own user namespace, keeps nothing through execve. */
void drop_capabilities(const char *who);

#endif
