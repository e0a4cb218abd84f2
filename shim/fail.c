/*
 * fail.c — see fail.h. No allocation and one write(2), so it is safe after anything has gone wrong.
 */
#include "fail.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void write_line(const char *who, int errnum, const char *prefix, const char *fmt, va_list ap)
{
	char what[FAIL_MESSAGE_MAX], msg[FAIL_MESSAGE_MAX];
	int n;

	vsnprintf(what, sizeof what, fmt, ap);
	n = snprintf(msg, sizeof msg, "%s: %s%s%s%s\n", who, prefix, what, errnum != 0 ? ": " : "",
		     errnum != 0 ? strerror(errnum) : "");
	if (n >= (int)sizeof msg)
		msg[(n = sizeof msg - 1) - 1] = '\n'; /* cut, but still one line */
	write_all(STDERR_FILENO, msg, (size_t)n);
}

void fail(const char *who, int code, int errnum, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_line(who, errnum, prefix, fmt, ap);
	va_end(ap);
	exit(code);
}

void notice(const char *who, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	write_line(who, 0, "", fmt, ap);
	va_end(ap);
	errno = saved;
}
