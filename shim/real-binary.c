/*
 * real-binary.c — finds the real binary behind an audit-only shim (DESIGN.md §4.4).
 *
 * Invariants:
 *  1. The result MUST be an absolute path to an executable regular file.
 *  2. The result MUST never be the running shim: every candidate is compared with /proc/self/exe
 *     by device and inode (hard links and symlinks of the shim included), never by name.
 *  3. PATH entries that are empty or relative MUST be skipped (they would depend on the cwd).
 *  4. A sidecar longer than PATH_MAX is rejected, never truncated.
 */
#define _GNU_SOURCE
#include "real-binary.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* PATH used when the environment has none (what execvp uses). */
#define DEFAULT_PATH "/bin:/usr/bin"

/* An executable regular file that is not the running shim itself (device + inode). */
static bool usable(const char *path, const struct stat *self)
{
	struct stat st;

	return path[0] == '/' && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       !(st.st_dev == self->st_dev && st.st_ino == self->st_ino) && access(path, X_OK) == 0;
}

/* The sidecar $SHIMGATE_SHIM_SOURCES_DIR/<cmd> holds the real binary's absolute path. */
static bool from_sidecar(const char *sources_dir, const char *cmd, const struct stat *self,
			 char *real)
{
	char path[PATH_MAX], buf[PATH_MAX + 1]; /* one byte more to see an over-long sidecar */
	size_t got = 0;
	ssize_t n;
	int fd;

	if (sources_dir == NULL ||
	    snprintf(path, sizeof path, "%s/%s", sources_dir, cmd) >= (int)sizeof path ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return false;
	while (got < sizeof buf &&
	       ((n = read(fd, buf + got, sizeof buf - got)) > 0 || (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	close(fd);
	if (got == sizeof buf)
		return false; /* longer than any usable path: stale or hostile, never truncated */
	if (got > 0 && buf[got - 1] == '\n')
		got--;
	if (got == 0 || got >= PATH_MAX || memchr(buf, '\0', got) != NULL)
		return false;
	memcpy(real, buf, got);
	real[got] = '\0';
	return usable(real, self);
}

/* Walks $PATH: absolute entries only, skipping every directory whose <cmd> is the shim. */
static bool from_path(const char *cmd, const struct stat *self, char *real)
{
	const char *p = getenv("PATH"), *colon;
	size_t len;

	for (p = p != NULL ? p : DEFAULT_PATH; *p != '\0'; p = colon + (*colon != '\0')) {
		colon = strchrnul(p, ':');
		len = (size_t)(colon - p);
		if (len == 0 || p[0] != '/')
			continue;
		if (snprintf(real, PATH_MAX, "%.*s/%s", (int)len, p, cmd) >= PATH_MAX)
			continue;
		if (usable(real, self))
			return true;
	}
	return false;
}

enum real_binary find_real_binary(const char *sources_dir, const char *cmd, char real[PATH_MAX])
{
	struct stat self;

	if (stat("/proc/self/exe", &self) < 0)
		return REAL_NO_SELF;
	if (from_sidecar(sources_dir, cmd, &self, real) || from_path(cmd, &self, real))
		return REAL_FOUND;
	return REAL_NOT_FOUND;
}
