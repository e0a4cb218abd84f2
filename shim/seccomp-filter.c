/*
 * seccomp-filter.c — see seccomp-filter.h.
 *
 * Invariants:
 *  1. The filter MUST kill a process that calls in with another architecture or the x32 ABI (their
 *     syscall numbers differ, so the comparisons below would mean nothing).
 *  2. It MUST refuse by errno, never kill, for the calls it is about: a program that probes for a
 *     feature gets an answer it can handle.
 *  3. Each refusal is one `nr == N -> errno` pair, or a block that ends with A = nr again; jumps
 *     are constants within a block, so a table entry cannot skip another. The program MUST fit
 *     FILTER_MAX or it is not loaded (never truncated).
 *  4. Comparisons on an int argument (a socket domain, a protocol) MUST read only its low 32 bits,
 *     as the kernel does.
 */
#define _GNU_SOURCE
#include "seccomp-filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define BUILD_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define BUILD_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp filter: only x86_64 and aarch64 are supported"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "seccomp filter: reads the low 32 bits of an argument at its first byte (little-endian only)"
#endif

/* Instructions in the largest program built below (about 30): room to spare, checked on append. */
#define FILTER_MAX 96

/* --probe's child exits with these when the filter loaded but did not refuse. */
#define PROBE_INET_NOT_REFUSED 254
#define PROBE_MEMFD_NOT_REFUSED 255

static const struct {
	int nr;
	int errnum;
} REFUSED[] = {
	{ __NR_io_uring_setup, ENOSYS },
	{ __NR_io_uring_enter, ENOSYS },
	{ __NR_io_uring_register, ENOSYS },
};

/* memfd_create flag (6.3): the file is not executable and never becomes so. */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

/* Socket families a command without network may not open (all of them bypass a netns or reach
 * past it: vsock goes to the hypervisor, netlink other than ROUTE to kernel subsystems). */
static const int REFUSED_FAMILIES[] = { AF_INET, AF_INET6, AF_PACKET, AF_VSOCK };

struct program {
	struct sock_filter insn[FILTER_MAX];
	size_t n;
	bool overflow;
};

static void emit(struct program *p, struct sock_filter insn)
{
	if (p->n < FILTER_MAX)
		p->insn[p->n++] = insn;
	else
		p->overflow = true;
}

/* if (A == k) return errno; */
static void refuse_if(struct program *p, __u32 k, int errnum)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (__u32)errnum));
}

static void load_field(struct program *p, __u32 offset)
{
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset));
}

static void arch_check(struct program *p)
{
	load_field(p, offsetof(struct seccomp_data, arch));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BUILD_AUDIT_ARCH, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	load_field(p, offsetof(struct seccomp_data, nr));
#ifdef __x86_64__
	/* x32 syscalls share AUDIT_ARCH_X86_64 but not the numbers; a 64-bit program never sets it. */
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
#endif
}

/* Expects A = nr, leaves A = nr. memfd_create() without MFD_NOEXEC_SEAL -> EACCES: a memfd lives
 * on a kernel-internal mount Landlock does not govern, so an executable one would run any program
 * the command wrote into it (execveat(fd, "", AT_EMPTY_PATH) or /proc/self/fd/N). */
static void memfd_rule(struct program *p)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_memfd_create, 0, 3));
	load_field(p, offsetof(struct seccomp_data, args[1]));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MFD_NOEXEC_SEAL, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES));
	load_field(p, offsetof(struct seccomp_data, nr));
}

/* Expects A = nr. socket(): refused families -> EACCES; AF_NETLINK only with NETLINK_ROUTE. */
static void socket_rules(struct program *p)
{
	size_t i;

	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	load_field(p, offsetof(struct seccomp_data, args[0]));
	for (i = 0; i < sizeof REFUSED_FAMILIES / sizeof REFUSED_FAMILIES[0]; i++)
		refuse_if(p, (__u32)REFUSED_FAMILIES[i], EACCES);
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	load_field(p, offsetof(struct seccomp_data, args[2]));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NETLINK_ROUTE, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES));
}

int load_seccomp_filter(bool block_net)
{
	static struct program p; /* zeroed; the helper loads one filter */
	struct sock_fprog prog;
	size_t i;

	p.n = 0;
	p.overflow = false;
	arch_check(&p);
	for (i = 0; i < sizeof REFUSED / sizeof REFUSED[0]; i++)
		refuse_if(&p, (__u32)REFUSED[i].nr, REFUSED[i].errnum);
	memfd_rule(&p);
	if (block_net)
		socket_rules(&p);
	else
		emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	if (p.overflow) {
		errno = E2BIG;
		return -1;
	}
	prog = (struct sock_fprog){ .len = (unsigned short)p.n, .filter = p.insn };
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static int probe_filter_child(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || load_seccomp_filter(true) < 0)
		return errno;
	if (socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) >= 0 || errno != EACCES)
		return PROBE_INET_NOT_REFUSED;
	if (syscall(SYS_memfd_create, "shimgate-probe", 0) >= 0 || errno != EACCES)
		return PROBE_MEMFD_NOT_REFUSED;
	return 0;
}

bool probe_seccomp(char *why, size_t n)
{
	pid_t pid;
	int status;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) {
		snprintf(why, n, "prctl PR_GET_SECCOMP: %s", strerror(errno));
		return false;
	}
	if ((pid = fork()) == 0)
		_exit(probe_filter_child());
	if (pid < 0) {
		snprintf(why, n, "fork: %s", strerror(errno));
		return false;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, n, "waitpid: %s", strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFSIGNALED(status))
		snprintf(why, n, "probe killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) == PROBE_INET_NOT_REFUSED)
		snprintf(why, n, "the filter loaded but socket(AF_INET) was not refused");
	else if (WEXITSTATUS(status) == PROBE_MEMFD_NOT_REFUSED)
		snprintf(why, n, "the filter loaded but an executable memfd_create was not refused");
	else
		snprintf(why, n, "load filter: %s", strerror(WEXITSTATUS(status)));
	return false;
}
