/*
 * mount-view.c — see mount-view.h.
 *
 * Invariants:
 *  1. Every mount of the command's namespace MUST be read-only and private (nothing propagates back
 *     to the host) before any grant is made writable again.
 *  2. A grant MUST be made writable only if the host mount under it was writable: the helper never
 *     unlocks what the host made read-only. A writable grant is also noexec: nothing written there
 *     can be mapped executable (`ld.so ./payload`, dlopen), unless it is itself an executable path
 *     (the binary, a --rx path), which is then bound exec again — only where the host allowed it.
 *  3. A grant is bound onto itself through ONE fd (open_tree + move_mount on the same O_PATH fd), and
 *     the directory it names MUST be the one seen before the mounts changed (device and inode), or
 *     the command is refused: a symlink swapped in the meantime cannot move a writable mount.
 *  4. The cwd MUST stay the same directory (device and inode); it is re-entered through the new
 *     mounts only when getcwd() names it and that name leads back to it. A cwd on a writable
 *     grant's device that could not be re-entered MUST be refused (it would sit on an exec mount).
 *  5. Every fd opened here MUST be close-on-exec and closed before returning.
 */
#define _GNU_SOURCE
#include "mount-view.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A path the view changes, as it was before the mounts changed. */
struct before {
	const char *flag; /* names it in messages: "--rw", "binary", ... */
	const char *path;
	bool present; /* the path exists (a missing one is skipped, as Landlock skips it) */
	bool host_writable;
	bool host_exec;
	dev_t dev;
	ino_t ino;
};

struct view {
	struct before writable[SANDBOX_MAX_GRANTS];
	size_t nwritable;
	struct before exec[SANDBOX_MAX_GRANTS + 1];
	size_t nexec;
};

static void record(const char *who, const char *flag, const char *path, struct before *b)
{
	struct statvfs vfs;
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC);

	*b = (struct before){ .flag = flag, .path = path };
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (fd < 0 || fstat(fd, &st) < 0 || fstatvfs(fd, &vfs) < 0)
		denied(who, errno, "mount view: %s %s", flag, path);
	close(fd);
	b->present = true;
	b->host_writable = !(vfs.f_flag & ST_RDONLY);
	b->host_exec = !(vfs.f_flag & ST_NOEXEC);
	b->dev = st.st_dev;
	b->ino = st.st_ino;
}

static void record_all(const struct sandbox_opts *o, const char *who, struct view *v)
{
	size_t i;

	v->nwritable = v->nexec = 0;
	record(who, "binary", o->binary, &v->exec[v->nexec++]);
	for (i = 0; i < o->ngrants; i++) {
		const struct grant *g = &o->grants[i];

		if (g->access & LANDLOCK_ACCESS_FS_WRITE_FILE)
			record(who, g->flag, g->path, &v->writable[v->nwritable++]);
		if (g->access & LANDLOCK_ACCESS_FS_EXECUTE)
			record(who, g->flag, g->path, &v->exec[v->nexec++]);
	}
}

/* Invariant 3: clone the mount tree at the path, change its top by `attr`, put it back there. */
static void rebind(const char *who, const struct before *b, struct mount_attr attr)
{
	struct stat st;
	int fd = open(b->path, O_PATH | O_CLOEXEC), tree;

	if (fd < 0 || fstat(fd, &st) < 0)
		denied(who, errno, "mount view: %s %s", b->flag, b->path);
	if (st.st_dev != b->dev || st.st_ino != b->ino)
		denied(who, 0, "mount view: %s %s changed while the sandbox was built", b->flag, b->path);
	tree = (int)syscall(SYS_open_tree, fd, "",
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree < 0)
		denied(who, errno, "mount view: open_tree %s", b->path);
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
		denied(who, errno, "mount view: mount_setattr %s", b->path);
	if (syscall(SYS_move_mount, tree, "", fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		denied(who, errno, "mount view: move_mount %s", b->path);
	close(tree);
	close(fd);
}

/* An executable path that now sits on a noexec mount the view made (a writable grant). */
static bool lost_exec(const char *who, const struct before *b)
{
	struct statvfs vfs;

	if (!b->present || !b->host_exec)
		return false;
	if (statvfs(b->path, &vfs) < 0)
		denied(who, errno, "mount view: %s %s", b->flag, b->path);
	return (vfs.f_flag & ST_NOEXEC) != 0;
}

/* Re-enters the cwd through the new mounts; false when its name does not lead back to it. */
static bool try_reenter(const char *who, const struct stat *was)
{
	char path[SANDBOX_PATH_MAX];
	struct stat now;
	bool same;
	int fd;

	if (getcwd(path, sizeof path) == NULL || path[0] != '/')
		return false;
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return false;
	same = fstat(fd, &now) == 0 && now.st_dev == was->st_dev && now.st_ino == was->st_ino;
	if (same && fchdir(fd) < 0)
		denied(who, errno, "mount view: re-enter the working directory %s", path);
	close(fd);
	return same;
}

/*
 * Invariant 4. A cwd getcwd() cannot name (a directory of the agent's own mounts, its private /tmp)
 * stays as it is: Landlock grants nothing there. But a cwd on the device of a writable grant that
 * was not re-entered is on a mount the view did not make noexec (the old one, or the agent's bind
 * of the workdir): a file the agent put there could be mapped executable. An agent swapping dirs
 * while the view is built gets exactly that, so it is refused.
 */
static void reenter_cwd(const char *who, int old, const struct view *v)
{
	struct stat was;
	size_t i;

	if (old < 0 || fstat(old, &was) < 0 || try_reenter(who, &was))
		return;
	for (i = 0; i < v->nwritable; i++)
		if (v->writable[i].present && v->writable[i].dev == was.st_dev)
			denied(who, 0, "the working directory could not be re-entered in the command's own view "
				       "(did it move while the sandbox was built?); run the command again");
}

void make_readonly_view(const struct sandbox_opts *o, const char *who)
{
	static struct view v; /* ~100 KiB: not on the stack */
	const struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY, .propagation = MS_PRIVATE };
	const struct mount_attr rw = { .attr_clr = MOUNT_ATTR_RDONLY, .attr_set = MOUNT_ATTR_NOEXEC };
	const struct mount_attr exec = { .attr_clr = MOUNT_ATTR_NOEXEC };
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t i;

	record_all(o, who, &v);
	if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof ro) < 0)
		denied(who, errno, "mount view: make every mount read-only");
	for (i = 0; i < v.nwritable; i++)
		if (v.writable[i].present && v.writable[i].host_writable)
			rebind(who, &v.writable[i], rw);
	for (i = 0; i < v.nexec; i++)
		if (lost_exec(who, &v.exec[i]))
			rebind(who, &v.exec[i], exec);
	reenter_cwd(who, cwd, &v);
	if (cwd >= 0)
		close(cwd);
}
