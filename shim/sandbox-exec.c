/*
 * shimgate-sandbox-exec — runs one mediated command inside its per-command sandbox (DESIGN.md §5).
 * The server spawns it instead of the real binary; it builds the sandbox and execs the binary in
 * place, so the command keeps the stdio fds, cwd, environment and pid it was given.
 *
 * Invariants:
 *  1. The helper MUST never exec the binary unless every protection asked for is in place; any
 *     failure is a refusal (126). The one exception is --landlock-optional on a kernel without
 *     Landlock, which runs without Landlock (still no_new_privs, still seccomp).
 *  2. The order MUST be capabilities dropped (as root) -> no_new_privs -> Landlock -> seccomp ->
 *     execve(absolute path); seccomp is the last step before exec. There is no execvp and no PATH
 *     lookup. A command run by root MUST keep no capability.
 *  3. The ruleset MUST handle every filesystem right the running Landlock ABI knows, so anything
 *     not granted below is denied.
 *  4. The root directory, $HOME and the tmp dirs MUST never be granted implicitly (a binary living
 *     in one gets a rule for itself, not for its directory); device nodes MUST never be
 *     creatable (MAKE_CHAR/MAKE_BLOCK are granted nowhere).
 *  5. Every path MUST be absolute and shorter than SANDBOX_PATH_MAX, and there MUST be at most
 *     SANDBOX_MAX_GRANTS path options; anything else is refused, never truncated.
 *  6. Every fd the helper opens MUST be close-on-exec and closed before exec; the fds it was given
 *     (the caller's stdio) MUST stay untouched.
 *
 * Usage:
 *   shimgate-sandbox-exec --probe
 *   shimgate-sandbox-exec [--ro DIR]... [--ro-file FILE]... [--rw DIR]... [--rw-file FILE]...
 *                         [--rx DIR]... [--block-net] [--landlock-optional]
 *                         -- /ABS/BINARY ARGV0 [ARGS...]
 *
 * Exit status: the binary's own (the helper execs it); 126 the sandbox could not be built (no
 * Landlock without --landlock-optional, a relative or over-long path, a failed syscall, a usage
 * error) or the binary could not be executed; 127 the binary does not exist. --probe exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fail.h"
#include "wire.h"

/* Rights newer than the system's linux/landlock.h (Debian 12 ships the 6.1 header, ABI 2). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif

#if defined(__x86_64__)
#define BUILD_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define BUILD_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp filter: only x86_64 and aarch64 are supported"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "seccomp filter: reads the low 32 bits of args[0] at its first byte (little-endian only)"
#endif

/* Longest path, NUL included: what open() accepts. Checked up front so the refusal names the
 * option instead of surfacing later as ENAMETOOLONG. */
#define SANDBOX_PATH_MAX PATH_MAX

/* Most --ro/--ro-file/--rw/--rw-file/--rx options: each is one Landlock rule, and the options live
 * in a fixed array. A profile needing more paths than this is a mistake worth refusing. */
#define SANDBOX_MAX_GRANTS 1024

/* An error message is one line of at most this many bytes (it is output, not input). */
#define MESSAGE_MAX FAIL_MESSAGE_MAX

/* Capability numbers to drop from the bounding set: past the kernel's last one, PR_CAPBSET_DROP
 * answers EINVAL, which is skipped; 63 covers every capability a 64-bit mask can hold. */
#define CAP_BOUND_MAX 63

/* --probe's child exits with this when the filter loaded but socket(AF_INET) still worked. */
#define PROBE_NOT_BLOCKED 255

#define ACCESS_ABI1                                                                            \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
	 LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |                             \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |                           \
	 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | \
	 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)

/* The rights Landlock accepts on a rule for a non-directory. */
#define ACCESS_FILE_RIGHTS                                                                     \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

#define ACCESS_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define ACCESS_READ_EXEC (ACCESS_READ | LANDLOCK_ACCESS_FS_EXECUTE)
#define ACCESS_READ_WRITE_FILE \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)
/* Everything but execute and making device nodes (invariant 4: root could mknod the disk). */
#define ACCESS_READ_WRITE                                                                      \
	(ACCESS_READ | ACCESS_READ_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                    \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_SYM |   \
	 LANDLOCK_ACCESS_FS_REFER)
/* Terminals also need ioctls (termios, window size) on what the command opens itself. */
#define ACCESS_TERMINAL (ACCESS_READ_WRITE_FILE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

extern char **environ;

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

/* A ruleset under construction. */
struct ruleset {
	const struct sandbox_opts *o;
	int fd;
	__u64 handled;
};

static const struct {
	const char *path;
	__u64 access;
} FIXED_RULES[] = {
	{ "/usr", ACCESS_READ_EXEC },	    { "/bin", ACCESS_READ_EXEC },
	{ "/sbin", ACCESS_READ_EXEC },	    { "/lib", ACCESS_READ_EXEC },
	{ "/lib32", ACCESS_READ_EXEC },	    { "/lib64", ACCESS_READ_EXEC },
	{ "/libx32", ACCESS_READ_EXEC },    { "/etc", ACCESS_READ_EXEC },
	{ "/opt", ACCESS_READ_EXEC },	    { "/dev/null", ACCESS_READ_WRITE_FILE },
	{ "/dev/zero", ACCESS_READ_WRITE_FILE }, { "/dev/full", ACCESS_READ_WRITE_FILE },
	{ "/dev/random", ACCESS_READ_WRITE_FILE }, { "/dev/urandom", ACCESS_READ_WRITE_FILE },
	{ "/dev/tty", ACCESS_TERMINAL },    { "/dev/ptmx", ACCESS_TERMINAL },
	{ "/dev/pts", ACCESS_TERMINAL | LANDLOCK_ACCESS_FS_READ_DIR },
	{ "/proc", ACCESS_READ }, /* processes read /proc/self; Landlock's ptrace rules guard others */
};

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

/* The helper's messages go through fail() with who = "shimgate: ARGV0". */
#define die fail

/* `shimgate: ARGV0: denied: sandbox: <what>[: strerror]`, exit 126. `who` is "shimgate: ARGV0". */
#define denied(who, errnum, ...) \
	die((who), SHIMGATE_EXIT_DENIED, (errnum), "denied: sandbox: ", __VA_ARGS__)

/* Before ARGV0 is known the server misused the helper: say so in the helper's own name. */
#define usage(...) \
	die("shimgate-sandbox-exec", SHIMGATE_EXIT_DENIED, 0, "usage: ", __VA_ARGS__)

static int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

/* Every filesystem right the running ABI knows (invariant 3). */
static __u64 handled_access(int abi)
{
	__u64 access = ACCESS_ABI1;

	if (abi >= 2)
		access |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		access |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		access |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return access;
}

/* socket(AF_INET|AF_INET6|AF_PACKET) -> EACCES, io_uring_setup -> ENOSYS (a ring can open sockets
 * behind seccomp's back); every other syscall, AF_UNIX sockets included, is allowed. */
static int load_net_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BUILD_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS), /* another ABI: other numbers */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
		/* x32 syscalls share AUDIT_ARCH_X86_64 but not the numbers; a 64-bit program never
		 * sets this bit. */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* The kernel reads the domain as an int: compare the low 32 bits only. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_PACKET, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* In a child: does the real filter load, and does it refuse an inet socket? */
static int probe_filter_child(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || load_net_filter() < 0)
		return errno;
	if (socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) >= 0 || errno != EACCES)
		return PROBE_NOT_BLOCKED;
	return 0;
}

/* true when the --block-net filter works here; otherwise `why` says what went wrong. */
static bool probe_seccomp(char *why, size_t n)
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
	else if (WEXITSTATUS(status) == PROBE_NOT_BLOCKED)
		snprintf(why, n, "the filter loaded but socket(AF_INET) was not refused");
	else
		snprintf(why, n, "load filter: %s", strerror(WEXITSTATUS(status)));
	return false;
}

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

/* Invariant 5, once ARGV0 is known so the refusal can name the command. */
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

/* Grants `access` beneath the directory `path`, or on `path` itself when it is not a directory
 * (file rights only). A path that does not exist is skipped: the server warns at session start. */
static void allow_path(const struct ruleset *rs, const char *who, const char *what,
		       const char *path, __u64 access, enum node node)
{
	struct landlock_path_beneath_attr rule = { 0 };
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (fd < 0 || fstat(fd, &st) < 0)
		denied(who, errno, "%s %s", what, path);
	if (node == NODE_FILE && S_ISDIR(st.st_mode))
		denied(who, EISDIR, "%s %s", what, path);
	if (!S_ISDIR(st.st_mode))
		access &= ACCESS_FILE_RIGHTS;
	rule.allowed_access = access & rs->handled;
	rule.parent_fd = fd;
	if (rule.allowed_access != 0 &&
	    syscall(SYS_landlock_add_rule, rs->fd, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0)
		denied(who, errno, "landlock_add_rule %s %s", what, path);
	close(fd);
}

/* Read+execute on the directory holding `file`; on `file` alone when that is /, $HOME or a tmp dir
 * (invariant 4). */
/* Directories whose other files are not the binary's business: a tool dropped straight into $HOME or
 * /tmp gets a rule for itself only, or its sandbox would read the whole home (~/.ssh included). */
static bool is_shared_dir(const char *dir)
{
	const char *home = getenv("HOME");

	return strcmp(dir, "/tmp") == 0 || strcmp(dir, "/var/tmp") == 0 ||
	       (home != NULL && home[0] == '/' && strcmp(dir, home) == 0);
}

static void allow_parent_dir(const struct ruleset *rs, const char *who, const char *file)
{
	char dir[SANDBOX_PATH_MAX];
	char *slash;

	snprintf(dir, sizeof dir, "%s", file); /* fits: check_opts / realpath bound it */
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir) {
		allow_path(rs, who, "binary", file, ACCESS_READ_EXEC, NODE_ANY);
		return;
	}
	*slash = '\0';
	if (is_shared_dir(dir)) {
		allow_path(rs, who, "binary", file, ACCESS_READ_EXEC, NODE_ANY);
		return;
	}
	allow_path(rs, who, "binary directory", dir, ACCESS_READ_EXEC, NODE_ANY);
}

/* The binary's own directory, and its real one when the binary is (or sits behind) a symlink. */
static void allow_binary(const struct ruleset *rs, const char *who)
{
	char real[PATH_MAX];

	allow_parent_dir(rs, who, rs->o->binary);
	/* A binary that does not resolve is left to execve() to report (127). */
	if (realpath(rs->o->binary, real) != NULL && strcmp(real, rs->o->binary) != 0)
		allow_parent_dir(rs, who, real);
}

/* Builds and enforces the Landlock ruleset; without Landlock in the kernel, refuses unless the
 * command may run without it (--landlock-optional). */
static void enforce_landlock(const struct sandbox_opts *o, const char *who)
{
	struct ruleset rs = { .o = o, .fd = -1, .handled = 0 };
	struct landlock_ruleset_attr attr = { 0 };
	int abi = landlock_abi();
	size_t i;

	if (abi == 0 && o->landlock_optional)
		return;
	if (abi == 0)
		die(who, SHIMGATE_EXIT_DENIED, 0, "denied: ",
		    "this kernel has no Landlock, so the command's sandbox cannot be built (set "
		    "sandbox.landlock: \"optional\" in the profile to run it without)");
	rs.handled = attr.handled_access_fs = handled_access(abi);
	if ((rs.fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0)) < 0)
		denied(who, errno, "landlock_create_ruleset");
	for (i = 0; i < sizeof FIXED_RULES / sizeof FIXED_RULES[0]; i++)
		allow_path(&rs, who, "system path", FIXED_RULES[i].path, FIXED_RULES[i].access,
			   NODE_ANY);
	allow_binary(&rs, who);
	for (i = 0; i < o->ngrants; i++)
		allow_path(&rs, who, o->grants[i].flag, o->grants[i].path, o->grants[i].access,
			   o->grants[i].node);
	if (syscall(SYS_landlock_restrict_self, rs.fd, 0) < 0)
		denied(who, errno, "landlock_restrict_self");
	close(rs.fd);
}

/* As root, the command would keep every capability through execve (root's file capabilities are
 * all of the bounding set): empty the bounding and ambient sets first, so it keeps none. */
static void drop_capabilities(const char *who)
{
	int cap;

	if (geteuid() != 0)
		return;
	for (cap = 0; cap <= CAP_BOUND_MAX; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			denied(who, errno, "prctl PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		denied(who, errno, "prctl PR_CAP_AMBIENT_CLEAR_ALL");
}

int main(int argc, char **argv)
{
	struct sandbox_opts o;
	char who[MESSAGE_MAX / 2];

	if (argc == 2 && strcmp(argv[1], "--probe") == 0)
		return probe();
	parse_args(&o, argc, argv);
	snprintf(who, sizeof who, "shimgate: %s", o.argv0); /* a long ARGV0 is cut in messages only */
	check_opts(&o, who);

	drop_capabilities(who);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		denied(who, errno, "prctl PR_SET_NO_NEW_PRIVS");
	enforce_landlock(&o, who);
	if (o.block_net && load_net_filter() < 0)
		denied(who, errno, "seccomp: load the network filter");
	execve(o.binary, o.exec_argv, environ);
	die(who, errno == ENOENT ? SHIMGATE_EXIT_NOT_FOUND : SHIMGATE_EXIT_DENIED, errno, "",
	    "exec %s", o.binary);
	/* not reached */
}
