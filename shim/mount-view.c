/*
 * mount-view.c — see mount-view.h.
 *
 * Invariants:
 *  1. Every mount of the command's namespace MUST be read-only and private (nothing propagates back
 *     to the host) before any grant is made writable again.
 *  2. A grant MUST be made writable only if the host mount under it was writable: the helper never
 *     unlocks what the host made read-only.
 *  3. A grant is bound onto itself through ONE fd (open_tree + move_mount on the same O_PATH fd), and
 *     the directory it names MUST be the one seen before the mounts changed (device and inode), or
 *     the command is refused: a symlink swapped in the meantime cannot move a writable mount.
 *  4. The cwd MUST stay the same directory (device and inode); it is re-entered through the new
 *     mounts only when getcwd() names it and that name leads back to it.
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

/* What a writable grant was before the mounts changed. */
struct before {
	bool present; /* the path exists (a missing one is skipped, as Landlock skips it) */
	bool host_writable;
	dev_t dev;
	ino_t ino;
};

static bool is_writable_grant(const struct grant *g)
{
	return (g->access & LANDLOCK_ACCESS_FS_WRITE_FILE) != 0;
}

static void record(const char *who, const struct grant *g, struct before *b)
{
	struct statvfs vfs;
	struct stat st;
	int fd = open(g->path, O_PATH | O_CLOEXEC);

	memset(b, 0, sizeof *b);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (fd < 0 || fstat(fd, &st) < 0 || fstatvfs(fd, &vfs) < 0)
		denied(who, errno, "mount view: %s %s", g->flag, g->path);
	close(fd);
	*b = (struct before){ true, !(vfs.f_flag & ST_RDONLY), st.st_dev, st.st_ino };
}

/* Invariant 3: clone the mount tree at `path`, make its top writable, and put it back on `path`. */
static void bind_writable(const char *who, const struct grant *g, const struct before *b)
{
	struct mount_attr rw = { .attr_clr = MOUNT_ATTR_RDONLY };
	struct stat st;
	int fd = open(g->path, O_PATH | O_CLOEXEC), tree;

	if (fd < 0 || fstat(fd, &st) < 0)
		denied(who, errno, "mount view: %s %s", g->flag, g->path);
	if (st.st_dev != b->dev || st.st_ino != b->ino)
		denied(who, 0, "mount view: %s %s changed while the sandbox was built", g->flag, g->path);
	tree = (int)syscall(SYS_open_tree, fd, "",
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree < 0)
		denied(who, errno, "mount view: open_tree %s", g->path);
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &rw, sizeof rw) < 0)
		denied(who, errno, "mount view: make %s writable", g->path);
	if (syscall(SYS_move_mount, tree, "", fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		denied(who, errno, "mount view: move_mount %s", g->path);
	close(tree);
	close(fd);
}

/* Invariant 4. A cwd getcwd() cannot name (a directory of the agent's own mounts) stays as it is. */
static void reenter_cwd(const char *who, int old)
{
	char path[SANDBOX_PATH_MAX];
	struct stat was, now;
	int fd;

	if (old < 0 || fstat(old, &was) < 0 || getcwd(path, sizeof path) == NULL || path[0] != '/')
		return;
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &now) == 0 && now.st_dev == was.st_dev && now.st_ino == was.st_ino &&
	    fchdir(fd) < 0)
		denied(who, errno, "mount view: re-enter the working directory %s", path);
	close(fd);
}

void make_readonly_view(const struct sandbox_opts *o, const char *who)
{
	static struct before before[SANDBOX_MAX_GRANTS];
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY, .propagation = MS_PRIVATE };
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t i;

	for (i = 0; i < o->ngrants; i++)
		if (is_writable_grant(&o->grants[i]))
			record(who, &o->grants[i], &before[i]);
	if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof ro) < 0)
		denied(who, errno, "mount view: make every mount read-only");
	for (i = 0; i < o->ngrants; i++)
		if (is_writable_grant(&o->grants[i]) && before[i].present && before[i].host_writable)
			bind_writable(who, &o->grants[i], &before[i]);
	reenter_cwd(who, cwd);
	if (cwd >= 0)
		close(cwd);
}
