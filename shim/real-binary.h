/*
 * real-binary.h — where the real binary of an audit-only command is (see real-binary.c).
 */
#ifndef SHIMGATE_REAL_BINARY_H
#define SHIMGATE_REAL_BINARY_H

#include <limits.h>

enum real_binary {
	REAL_FOUND,     /* real holds its absolute path */
	REAL_NOT_FOUND, /* neither the sidecar nor PATH has one that is not the shim */
	REAL_NO_SELF,   /* stat /proc/self/exe failed (errno): cannot tell the shim apart, refuse */
};

/* First the sidecar <sources_dir>/<cmd> (sources_dir may be NULL), then $PATH. */
enum real_binary find_real_binary(const char *sources_dir, const char *cmd, char real[PATH_MAX]);

#endif
