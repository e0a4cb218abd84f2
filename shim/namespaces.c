/*
 * namespaces.c — see namespaces.h.
 *
 * Invariants:
 *  1. A command MUST run in a mount namespace, and a --block-net command in a network namespace,
 *     that the helper created for it, or not at all (126): there is no fallback.
 *  2. The user namespace of an unprivileged helper MUST map exactly one uid and one gid, its own,
 *     with setgroups denied: the command keeps the same file access it had, and no other id.
 *  3. A command MUST keep no capability: whatever the helper holds (root, or root of its own user
 *     namespace) it drops before no_new_privs; the bounding set goes too when it may.
 *  4. The caller's stdio fds MUST only be inspected (fstat, getsockopt), never changed.
 */
#define _GNU_SOURCE
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox-opts.h"

/* Capability numbers to drop from the bounding set: past the kernel's last one, PR_CAPBSET_DROP
 * answers EINVAL, which is skipped; 63 covers every capability a 64-bit mask can hold. */
#define CAP_BOUND_MAX 63

/* "4294967295 4294967295 1\n" and "deny\n" fit with room to spare. */
#define ID_MAP_LINE_MAX 64

static const char *const STDIO_NAMES[] = { "stdin", "stdout", "stderr" };

static const char *family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "an AF_INET (TCP/UDP) socket";
	case AF_INET6:
		return "an AF_INET6 (TCP/UDP) socket";
	default:
		return "a network socket";
	}
}

void refuse_network_stdio(const char *who)
{
	struct stat st;
	int fd, family;
	socklen_t len;

	for (fd = 0; fd <= 2; fd++) {
		if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
			continue;
		len = sizeof family;
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0)
			denied(who, errno, "%s is a socket whose family cannot be read", STDIO_NAMES[fd]);
		if (family != AF_UNIX)
			denied(who, 0,
			       "%s is %s (family %d), and this command has no network: give it a file, "
			       "a pipe or a terminal",
			       STDIO_NAMES[fd], family_name(family), family);
	}
}

static void write_proc_file(const char *who, const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t w;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		denied(who, errno, "namespaces: open %s", path);
	do
		w = write(fd, text, len);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)len)
		denied(who, w < 0 ? errno : EIO, "namespaces: write %s", path);
	close(fd);
}

void enter_namespaces(const char *who, bool net)
{
	char map[ID_MAP_LINE_MAX];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int flags = CLONE_NEWNS | (net ? CLONE_NEWNET : 0);

	if (uid == 0) {
		if (unshare(flags) < 0)
			denied(who, errno, "namespaces: unshare(CLONE_NEWNS%s)", net ? "|CLONE_NEWNET" : "");
		return;
	}
	if (unshare(CLONE_NEWUSER | flags) < 0)
		denied(who, errno, "namespaces: unshare(CLONE_NEWUSER|CLONE_NEWNS%s) (are user namespaces "
				   "allowed? user.max_user_namespaces)", net ? "|CLONE_NEWNET" : "");
	snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	write_proc_file(who, "/proc/self/uid_map", map);
	write_proc_file(who, "/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	write_proc_file(who, "/proc/self/gid_map", map);
}

void drop_capabilities(const char *who)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct held[_LINUX_CAPABILITY_U32S_3], none[_LINUX_CAPABILITY_U32S_3];
	int cap;

	memset(none, 0, sizeof none);
	if (syscall(SYS_capget, &hdr, held) < 0)
		denied(who, errno, "capget");
	if (held[0].effective & (1U << CAP_SETPCAP)) {
		for (cap = 0; cap <= CAP_BOUND_MAX; cap++)
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
				denied(who, errno, "prctl PR_CAPBSET_DROP");
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		denied(who, errno, "prctl PR_CAP_AMBIENT_CLEAR_ALL");
	if (syscall(SYS_capset, &hdr, none) < 0)
		denied(who, errno, "capset (drop every capability)");
}
