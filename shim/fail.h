/*
 * fail.h — how the shim and the sandbox helper end with an error: one line on stderr, one exit code.
 */
#ifndef SHIMGATE_FAIL_H
#define SHIMGATE_FAIL_H

#include <stddef.h>

/* One message line at most, so it reaches stderr in one write(). */
#define FAIL_MESSAGE_MAX 1024

/* Prints `<who>: <prefix><message>[: strerror(errnum)]` as one write, then exits with `code`.
 * errnum 0 means no strerror part. A message too long for FAIL_MESSAGE_MAX is cut, still one line. */
__attribute__((format(printf, 5, 6), noreturn))
void fail(const char *who, int code, int errnum, const char *prefix, const char *fmt, ...);

/* The same line as fail() without exiting: for a protection the caller chose to go without. */
__attribute__((format(printf, 2, 3)))
void notice(const char *who, const char *fmt, ...);

#endif
