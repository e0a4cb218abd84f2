/*
 * landlock-rules.c — see landlock-rules.h.
 *
 * Invariants:
 *  1. The ruleset MUST handle every filesystem right the running Landlock ABI knows, so anything
 *     not granted here is denied.
 *  2. EXECUTE MUST be granted only on: the binary and the interpreters the kernel opens to exec it
 *     (exec-chain.h), and the --rx paths (the session's shim dirs and the command's sandbox.exec).
 *     System dirs, the binary's own dirs and every other grant are read (or write), never execute:
 *     a command cannot exec sh, python3 or a program it wrote unless the profile lists it.
 *  3. The program dirs (/usr/bin, /usr/sbin, /usr/local/bin, ... and /bin, /sbin) MUST NOT be
 *     readable as a whole: the ELF loader, executable for every dynamic command, runs any ELF file
 *     the command can read (`ld.so /bin/sh`), so only the programs it may execute are readable
 *     there. The rest of /usr is read-only.
 *  4. The root directory, $HOME and the tmp dirs MUST never be granted implicitly (a binary living
 *     in one gets a rule for itself, not for its directory); device nodes MUST never be creatable
 *     (MAKE_CHAR/MAKE_BLOCK are granted nowhere); of /proc only entries of the command's own
 *     /proc/self, never its environ, mem, net/ or task/.
 *  5. Every ruleset MUST carry the scopes LANDLOCK_SCOPE_SIGNAL and
 *     LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET; a kernel without them (ABI < 6) is a refusal unless the
 *     command opted out with --landlock-optional, which is then said on stderr.
 *  6. Every fd opened here MUST be close-on-exec and closed before returning.
 */
#define _GNU_SOURCE
#include "landlock-rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-chain.h"

/* Network rights and scopes, newer than the system header (ABI 4 and 6). */
#define ACCESS_NET_BIND_TCP (1ULL << 0)
#define ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)
#define LANDLOCK_ABI_NET 4

/* struct landlock_ruleset_attr as of ABI 6; older kernels take it as long as the fields they do not
 * know are zero (copy_struct_from_user). */
struct ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net;
	__u64 scoped;
};

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

/* What the binary and its interpreters get: to be opened for exec (the kernel asks for both). */
#define ACCESS_EXEC_FILE (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE)
/* Terminals also need ioctls (termios, window size) on what the command opens itself. */
#define ACCESS_TERMINAL (ACCESS_READ_WRITE_FILE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* A ruleset under construction. */
struct ruleset {
	const struct sandbox_opts *o;
	const char *who;
	int fd;
	__u64 handled;
};

/* Read, never execute (invariant 2): ld.so maps libraries with read access alone. /usr is read
 * entry by entry, its program dirs left out (invariant 3): see allow_usr(). */
static const struct {
	const char *path;
	__u64 access;
} FIXED_RULES[] = {
	{ "/lib", ACCESS_READ },
	{ "/lib32", ACCESS_READ },	 { "/lib64", ACCESS_READ },
	{ "/libx32", ACCESS_READ },	 { "/etc", ACCESS_READ },
	{ "/opt", ACCESS_READ },	 { "/dev/null", ACCESS_READ_WRITE_FILE },
	{ "/dev/zero", ACCESS_READ_WRITE_FILE }, { "/dev/full", ACCESS_READ_WRITE_FILE },
	{ "/dev/random", ACCESS_READ_WRITE_FILE }, { "/dev/urandom", ACCESS_READ_WRITE_FILE },
	{ "/dev/tty", ACCESS_TERMINAL },	 { "/dev/ptmx", ACCESS_TERMINAL },
	{ "/dev/pts", ACCESS_TERMINAL | LANDLOCK_ACCESS_FS_READ_DIR },
	/* Entries of the helper's own /proc/<pid>, which the command keeps (it is exec'd in place) —
	 * what tools read about themselves. Never environ, mem or task/ (their copies): the environment
	 * holds the command's credentials, and a tool told to read a file the agent names (tar -T,
	 * git notes -F, curl --data @file) would hand them over. Nothing of other processes, nor
	 * /proc/self/net (the host's sockets and connections). Its children see no /proc at all. */
	{ "/proc/self/fd", ACCESS_READ },	 { "/proc/self/fdinfo", ACCESS_READ },
	{ "/proc/self/stat", ACCESS_READ },	 { "/proc/self/statm", ACCESS_READ },
	{ "/proc/self/status", ACCESS_READ }, { "/proc/self/maps", ACCESS_READ },
	{ "/proc/self/limits", ACCESS_READ }, { "/proc/self/mountinfo", ACCESS_READ },
	{ "/proc/self/mounts", ACCESS_READ }, { "/proc/self/cgroup", ACCESS_READ },
	{ "/proc/self/comm", ACCESS_READ },	 { "/proc/self/auxv", ACCESS_READ },
	{ "/proc/self/io", ACCESS_READ },	 { "/proc/self/cmdline", ACCESS_READ },
};

/* Program dirs: never readable as a whole, nor granted as a binary's own directory (invariant 3). */
static const char *const PROGRAM_DIRS[] = {
	"/bin",	      "/sbin",		 "/usr/bin",	     "/usr/sbin",
	"/usr/games", "/usr/local/bin", "/usr/local/sbin", "/usr/local/games",
};

/* The directories read entry by entry, so that the program dirs in them can be left out. */
static const char *const SPLIT_DIRS[] = { "/usr", "/usr/local" };

static bool is_program_dir(const char *dir)
{
	size_t i;

	for (i = 0; i < sizeof PROGRAM_DIRS / sizeof PROGRAM_DIRS[0]; i++)
		if (strcmp(dir, PROGRAM_DIRS[i]) == 0)
			return true;
	return false;
}

static bool is_split_dir(const char *dir)
{
	return strcmp(dir, SPLIT_DIRS[0]) == 0 || strcmp(dir, SPLIT_DIRS[1]) == 0;
}

int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

/* Every filesystem right the running ABI knows (invariant 1). */
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

/* Grants `access` beneath the directory `path`, or on `path` itself when it is not a directory
 * (file rights only). A path that does not exist is skipped: the server warns at session start. */
static void allow_path(const struct ruleset *rs, const char *what, const char *path, __u64 access,
		       enum node node)
{
	struct landlock_path_beneath_attr rule = { 0 };
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (fd < 0 || fstat(fd, &st) < 0)
		denied(rs->who, errno, "%s %s", what, path);
	if (node == NODE_FILE && S_ISDIR(st.st_mode))
		denied(rs->who, EISDIR, "%s %s", what, path);
	if (!S_ISDIR(st.st_mode))
		access &= ACCESS_FILE_RIGHTS;
	rule.allowed_access = access & rs->handled;
	rule.parent_fd = fd;
	if (rule.allowed_access != 0 &&
	    syscall(SYS_landlock_add_rule, rs->fd, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0)
		denied(rs->who, errno, "landlock_add_rule %s %s", what, path);
	close(fd);
}

/* Read on each entry of `dir` but its program dirs and the other split dir (granted on its own). */
static void allow_split_dir(const struct ruleset *rs, const char *dir)
{
	char path[SANDBOX_PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir); /* O_CLOEXEC */

	if (d == NULL && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (d == NULL)
		denied(rs->who, errno, "system path %s", dir);
	while ((errno = 0, e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			denied(rs->who, ENAMETOOLONG, "system path %s/%s", dir, e->d_name);
		if (!is_program_dir(path) && !is_split_dir(path))
			allow_path(rs, "system path", path, ACCESS_READ, NODE_ANY);
	}
	if (errno != 0)
		denied(rs->who, errno, "readdir %s", dir);
	closedir(d);
}

/* Directories whose other files are not the binary's business: a tool dropped straight into $HOME or
 * /tmp gets a rule for itself only, or its sandbox would read the whole home (~/.ssh included); a
 * tool in a program dir gets none either (invariant 3). */
static bool is_shared_dir(const char *dir)
{
	const char *home = getenv("HOME");

	return strcmp(dir, "/tmp") == 0 || strcmp(dir, "/var/tmp") == 0 || is_program_dir(dir) ||
	       (home != NULL && home[0] == '/' && strcmp(dir, home) == 0);
}

/* Read on the directory holding `file` (its data files), unless that is /, $HOME or a tmp dir. */
static void allow_parent_dir(const struct ruleset *rs, const char *file)
{
	char dir[SANDBOX_PATH_MAX];
	char *slash;

	snprintf(dir, sizeof dir, "%s", file); /* fits: check_opts / realpath bound it */
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (!is_shared_dir(dir))
		allow_path(rs, "binary directory", dir, ACCESS_READ, NODE_ANY);
}

/* Execute on `file` and on each interpreter the kernel opens to exec it (invariant 2). */
static void allow_exec_chain(const struct ruleset *rs, const char *what, const char *file)
{
	static struct exec_chain chain; /* 20 KiB: not on the stack */
	size_t i;

	exec_chain(file, &chain);
	for (i = 0; i < chain.n; i++)
		allow_path(rs, i == 0 ? what : "interpreter", chain.path[i], ACCESS_EXEC_FILE, NODE_ANY);
}

/* The binary's own directory (and its real one behind a symlink) for reading; the binary and its
 * interpreters for executing. */
static void allow_binary(const struct ruleset *rs)
{
	char real[PATH_MAX];

	allow_parent_dir(rs, rs->o->binary);
	/* A binary that does not resolve is left to execve() to report (127). */
	if (realpath(rs->o->binary, real) != NULL && strcmp(real, rs->o->binary) != 0)
		allow_parent_dir(rs, real);
	allow_exec_chain(rs, "binary", rs->o->binary);
}

/* A grant; an executable file (--rx FILE) brings its interpreters, as the binary does, so that
 * sandbox.exec: ["/bin/sh"] runs sh under a static command too. A --rx DIR does not: list the
 * loader when the programs in it need one the binary does not bring. */
static void allow_grant(const struct ruleset *rs, const struct grant *g)
{
	struct stat st;

	allow_path(rs, g->flag, g->path, g->access, g->node);
	if ((g->access & LANDLOCK_ACCESS_FS_EXECUTE) && stat(g->path, &st) == 0 && S_ISREG(st.st_mode))
		allow_exec_chain(rs, g->flag, g->path);
}

/* Scopes on ABI >= 6 (invariant 4); TCP bind/connect handled and never granted under --block-net
 * on ABI >= 4 (the network namespace and seccomp already stop it: one more layer, for free). */
static void create_ruleset(struct ruleset *rs, int abi)
{
	struct ruleset_attr attr = { 0 };

	rs->handled = attr.handled_access_fs = handled_access(abi);
	if (rs->o->block_net && abi >= LANDLOCK_ABI_NET)
		attr.handled_access_net = ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP;
	if (abi >= LANDLOCK_ABI_SCOPES)
		attr.scoped = SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET;
	else if (rs->o->landlock_optional)
		notice(rs->who, "UNCONFINED signals and abstract sockets: this kernel's Landlock (ABI %d) "
				"has no scopes (ABI %d), running without them (--landlock-optional)",
		       abi, LANDLOCK_ABI_SCOPES);
	else
		denied(rs->who, 0,
		       "this kernel's Landlock (ABI %d) cannot keep the command from signalling processes "
		       "and reaching abstract sockets outside its sandbox (needs ABI %d; set "
		       "sandbox.landlock: \"optional\" in the profile to run it without)",
		       abi, LANDLOCK_ABI_SCOPES);
	if ((rs->fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0)) < 0)
		denied(rs->who, errno, "landlock_create_ruleset");
}

void enforce_landlock(const struct sandbox_opts *o, const char *who)
{
	struct ruleset rs = { .o = o, .who = who, .fd = -1, .handled = 0 };
	int abi = landlock_abi();
	size_t i;

	if (abi == 0 && o->landlock_optional) {
		notice(who, "UNCONFINED filesystem: this kernel has no Landlock, running without it "
			    "(--landlock-optional)");
		return;
	}
	if (abi == 0)
		fail(who, SHIMGATE_EXIT_DENIED, 0, "denied: ",
		     "this kernel has no Landlock, so the command's sandbox cannot be built (set "
		     "sandbox.landlock: \"optional\" in the profile to run it without)");
	create_ruleset(&rs, abi);
	for (i = 0; i < sizeof FIXED_RULES / sizeof FIXED_RULES[0]; i++)
		allow_path(&rs, "system path", FIXED_RULES[i].path, FIXED_RULES[i].access, NODE_ANY);
	for (i = 0; i < sizeof SPLIT_DIRS / sizeof SPLIT_DIRS[0]; i++)
		allow_split_dir(&rs, SPLIT_DIRS[i]);
	allow_binary(&rs);
	for (i = 0; i < o->ngrants; i++)
		allow_grant(&rs, &o->grants[i]);
	if (syscall(SYS_landlock_restrict_self, rs.fd, 0) < 0)
		denied(who, errno, "landlock_restrict_self");
	close(rs.fd);
}
