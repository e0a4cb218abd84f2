/*
 * seccomp-filter.h — the command's seccomp filter: what Landlock cannot express.
 *
 * Every command: io_uring (ENOSYS: a ring runs opens, sockets and xattr operations behind
 * seccomp's back) and memfd_create without MFD_NOEXEC_SEAL (EACCES: an executable memfd would run
 * any program, beyond Landlock's reach). chmod/chown/xattrs/times are not filtered here: seccomp
 * cannot see a path, and the read-only mount view (mount-view.h) refuses them outside fs_write*
 * while letting git and tar use them inside.
 * Under --block-net also: socket() of AF_INET, AF_INET6, AF_PACKET, AF_VSOCK and AF_NETLINK other
 * than NETLINK_ROUTE (EACCES).
 */
#ifndef SHIMGATE_SECCOMP_FILTER_H
#define SHIMGATE_SECCOMP_FILTER_H

#include <stdbool.h>
#include <stddef.h>

/* Loads the filter into this process (no_new_privs must be set). 0, or -1 with errno. */
int load_seccomp_filter(bool block_net);

/* In a child: does the filter load here, and does it refuse what it must? true when it does;
 * otherwise `why` says what went wrong. */
bool probe_seccomp(char *why, size_t n);

#endif
