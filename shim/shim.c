/*
 * shimgate-shim — stands in for a mediated or audited command on the agent's PATH (DESIGN.md §4).
 *
 * Invariants:
 *  1. The shim MUST never run the real binary on the mediated path: when the server is unreachable
 *     or misbehaves it fails closed with exit 125.
 *  2. A command listed in neither SHIMGATE_MEDIATED nor SHIMGATE_AUDITED MUST fail closed (125).
 *  3. Exactly fds 0, 1, 2 and the cwd (opened O_PATH|O_DIRECTORY) MUST be sent, all four, in the
 *     first sendmsg() of the request; a cwd that cannot be opened fails closed (125).
 *  4. The audit path MUST send its datagram before it execs; no datagram, no exec (125).
 *  5. The audit path MUST never exec itself: candidates are compared with the running shim by
 *     device and inode, never by name.
 *  6. Every size taken from argv, the environment or the socket MUST be checked against a named
 *     limit from wire.h; oversize input is rejected, never truncated.
 *  7. Every fd the shim opens MUST be close-on-exec, except /dev/null put on a closed fd 0-2.
 *  8. The SIGPIPE disposition MUST stay untouched (the audit path execs); sends use MSG_NOSIGNAL.
 *
 * Exit status: the real command's status; 128+N when it died of signal N; 125 mediation unavailable
 * (no server, broken socket, malformed answer, oversize request, unlisted command, audit gap);
 * 126 denied (the server says so) or the real binary could not be executed; 127 no real binary.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fail.h"
#include "json.h"
#include "real-binary.h"
#include "wire.h"


extern char **environ;

struct shim_opts {
	int argc;
	char **argv;
	const char *cmd;         /* basename(argv[0]) */
	char who[FAIL_MESSAGE_MAX / 2]; /* "shimgate: <cmd>", cut for messages only */
	const char *socket_path; /* $SHIMGATE_SOCKET, or NULL */
	const char *audit_path;  /* $SHIMGATE_AUDIT_SOCKET, or NULL */
	const char *token;       /* $SHIMGATE_SESSION_TOKEN, or NULL */
	const char *sources_dir; /* $SHIMGATE_SHIM_SOURCES_DIR, or NULL */
	const char *mediated;    /* $SHIMGATE_MEDIATED, comma list, or NULL */
	const char *audited;     /* $SHIMGATE_AUDITED, comma list, or NULL */
	char *cwd;               /* getcwd(), or NULL (e.g. removed): "" — for display only */
};

/* The only global: a signal handler has no other way to reach the self-pipe. */
static volatile int sig_pipe_w = -1;

/* Every message names the command: `shimgate: <cmd>: …` (fail.h). */
#define die(o, code, errnum, prefix, ...) fail((o)->who, (code), (errnum), (prefix), __VA_ARGS__)

#define unavailable(o, errnum, ...) \
	die((o), SHIMGATE_EXIT_UNAVAILABLE, (errnum), "mediation unavailable: ", __VA_ARGS__)

/* A closed fd 0-2 would be reused by our own sockets and then passed or written to: fill it. */
static void ensure_stdio_open(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* No O_CLOEXEC on purpose: this is the stdio the real command inherits. */
		if (open("/dev/null", O_RDWR) != fd)
			_exit(SHIMGATE_EXIT_UNAVAILABLE);
	}
}

static void load_opts(struct shim_opts *o, int argc, char **argv)
{
	const char *slash;

	o->argc = argc;
	o->argv = argv;
	o->cmd = argc > 0 && argv[0] != NULL ? argv[0] : "";
	if ((slash = strrchr(o->cmd, '/')) != NULL)
		o->cmd = slash + 1;
	snprintf(o->who, sizeof o->who, "shimgate: %s", o->cmd);
	o->socket_path = getenv(SHIMGATE_ENV_SOCKET);
	o->audit_path = getenv(SHIMGATE_ENV_AUDIT_SOCKET);
	o->token = getenv(SHIMGATE_ENV_SESSION_TOKEN);
	o->sources_dir = getenv(SHIMGATE_ENV_SHIM_SOURCES_DIR);
	o->mediated = getenv(SHIMGATE_ENV_MEDIATED);
	o->audited = getenv(SHIMGATE_ENV_AUDITED);
	o->cwd = getcwd(NULL, 0);
}

/* Is `name` one of the entries of the comma list `list`? */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list, *comma;

	if (list == NULL || n == 0)
		return false;
	for (;; p = comma + 1) {
		comma = strchr(p, ',');
		if ((comma ? (size_t)(comma - p) : strlen(p)) == n && memcmp(p, name, n) == 0)
			return true;
		if (comma == NULL)
			return false;
	}
}

/* Checks the caps (wire.h) and describes the call for the JSON writers. */
static struct call describe_call(const struct shim_opts *o)
{
	struct call c = { .command = o->cmd, .argc = o->argc, .argv = o->argv,
			  .cwd = o->cwd != NULL ? o->cwd : "", .pid = getpid(), .token = o->token,
			  .envp = environ };
	size_t env_count = 0;

	if (o->argc - 1 > SHIMGATE_MAX_ARGS)
		unavailable(o, 0, "%d arguments exceed the limit of %d (SHIMGATE_MAX_ARGS)",
			    o->argc - 1, SHIMGATE_MAX_ARGS);
	while (environ[env_count] != NULL)
		env_count++;
	if (env_count > SHIMGATE_MAX_ENV)
		unavailable(o, 0, "%zu environment entries exceed the limit of %d (SHIMGATE_MAX_ENV)",
			    env_count, SHIMGATE_MAX_ENV);
	return c;
}

static void put_be32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

static void check_fits(const struct shim_opts *o, const struct jbuf *b, const char *what)
{
	if (b->over)
		unavailable(o, 0, "%s exceeds the limit of %d bytes (SHIMGATE_MAX_FRAME)", what,
			    SHIMGATE_MAX_FRAME);
}

/* The whole request frame in b: u32 BE length || JSON request. */
static void build_request(const struct shim_opts *o, struct jbuf *b)
{
	struct call c = describe_call(o);

	jb_raw(b, "\0\0\0\0", SHIMGATE_FRAME_HEADER_BYTES);
	json_request(b, &c);
	check_fits(o, b, "the request");
	put_be32(b->p, (uint32_t)(b->len - SHIMGATE_FRAME_HEADER_BYTES));
}

/* Fills sa with the socket path named by $env_name; returns its length for connect/sendto. */
static socklen_t unix_addr(const struct shim_opts *o, const char *env_name, const char *path,
			   struct sockaddr_un *sa)
{
	size_t n;

	if (path == NULL || path[0] == '\0')
		unavailable(o, 0, "%s is not set", env_name);
	if ((n = strlen(path)) >= sizeof sa->sun_path)
		unavailable(o, 0, "socket path longer than %zu bytes: %s", sizeof sa->sun_path - 1,
			    path);
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

static int connect_server(const struct shim_opts *o)
{
	struct sockaddr_un sa;
	socklen_t len = unix_addr(o, SHIMGATE_ENV_SOCKET, o->socket_path, &sa);
	int s;

	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		unavailable(o, errno, "socket");
	while (connect(s, (struct sockaddr *)&sa, len) < 0)
		if (errno != EINTR)
			unavailable(o, errno, "connect %s", o->socket_path);
	return s;
}

static int send_all(int s, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(s, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The cwd travels as a directory fd: the server runs the command in it without resolving a path in
 * its own view of the filesystem (where the agent's private /tmp does not exist, and where a path
 * check would tell the agent which hidden dirs exist).
 */
static int open_cwd(const struct shim_opts *o)
{
	int fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		unavailable(o, errno, "cannot open the current directory");
	return fd;
}

/* The first sendmsg() carries the first bytes AND fds 0, 1, 2 and the cwd; send() finishes the frame. */
static void send_request(const struct shim_opts *o, int s, const struct jbuf *f)
{
	const int fds[SHIMGATE_NUM_FDS] = { STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO, open_cwd(o) };
	union {
		char buf[CMSG_SPACE(sizeof fds)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = f->p, .iov_len = f->len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	ssize_t n;

	memset(&ctl, 0, sizeof ctl);
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof ctl.buf;
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	do
		n = sendmsg(s, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR); /* nothing was sent, the fds neither: try again */
	if (n < 0 || send_all(s, f->p + n, f->len - (size_t)n) < 0)
		unavailable(o, errno, "send to %s", o->socket_path);
	close(fds[3]);
}

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(sig_pipe_w, &b, 1) < 0) {
		/* pipe full: signals are already queued for forwarding, drop this one */
	}
	errno = saved;
}

/* Returns the read end of the self-pipe that the handlers of the forwarded signals write to. */
static int forward_signals(const struct shim_opts *o)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = on_signal }, old;
	int p[2];
	size_t i;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		unavailable(o, errno, "pipe2");
	sig_pipe_w = p[1];
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	sa.sa_flags = 0; /* no SA_RESTART: poll() must wake up */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		/* An ignored signal stays ignored (nohup, `cmd &`): the command would ignore it too. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(sigs[i], &sa, NULL) < 0)
			unavailable(o, errno, "sigaction");
	}
	return p[0];
}

/* Sends one {"signal":N} frame per signal caught. A server that already hung up is not an error
 * here: its answer (or EOF) is still to be read and decides. */
static void forward_pending(const struct shim_opts *o, int s, int sig_r)
{
	unsigned char sigs[64];
	char f[SHIMGATE_FRAME_HEADER_BYTES + 32];
	ssize_t n, i;
	int len;

	while ((n = read(sig_r, sigs, sizeof sigs)) > 0 || (n < 0 && errno == EINTR)) {
		for (i = 0; i < n; i++) {
			len = snprintf(f + SHIMGATE_FRAME_HEADER_BYTES, sizeof f - SHIMGATE_FRAME_HEADER_BYTES,
				       "{\"signal\":%d}", sigs[i]);
			put_be32(f, (uint32_t)len);
			if (send_all(s, f, SHIMGATE_FRAME_HEADER_BYTES + (size_t)len) < 0 &&
			    errno != EPIPE && errno != ECONNRESET)
				unavailable(o, errno, "send to %s", o->socket_path);
		}
	}
}

/* Waits for the server's {"exit_code":N} / {"signal":N} frame, forwarding signals meanwhile. */
static int wait_for_status(const struct shim_opts *o, int s, int sig_r)
{
	char buf[SHIMGATE_FRAME_HEADER_BYTES + SHIMGATE_MAX_RESPONSE_FRAME];
	size_t got = 0, need = SHIMGATE_FRAME_HEADER_BYTES;
	struct pollfd p[2] = { { .fd = s, .events = POLLIN }, { .fd = sig_r, .events = POLLIN } };
	uint32_t len;
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			unavailable(o, errno, "poll");
		}
		if (p[1].revents != 0)
			forward_pending(o, s, sig_r);
		if (p[0].revents == 0)
			continue;
		if ((n = recv(s, buf + got, need - got, 0)) < 0) {
			if (errno == EINTR)
				continue;
			unavailable(o, errno, "read from %s", o->socket_path);
		}
		if (n == 0)
			unavailable(o, 0, "%s closed the connection before answering", o->socket_path);
		if ((got += (size_t)n) < need)
			continue;
		if (need > SHIMGATE_FRAME_HEADER_BYTES)
			break;
		len = (uint32_t)(unsigned char)buf[0] << 24 | (uint32_t)(unsigned char)buf[1] << 16 |
		      (uint32_t)(unsigned char)buf[2] << 8 | (unsigned char)buf[3];
		if (len == 0 || len > SHIMGATE_MAX_RESPONSE_FRAME)
			unavailable(o, 0, "answer frame of %u bytes (limit %d, SHIMGATE_MAX_RESPONSE_FRAME)",
				    len, SHIMGATE_MAX_RESPONSE_FRAME);
		need += len;
	}
	n = json_parse_status(buf + SHIMGATE_FRAME_HEADER_BYTES, need - SHIMGATE_FRAME_HEADER_BYTES);
	if (n < 0)
		unavailable(o, 0, "malformed answer from %s", o->socket_path);
	return (int)n;
}

/* One datagram {command,args,cwd,pid,ts,token} to $SHIMGATE_AUDIT_SOCKET, or fail closed. */
static void send_audit(const struct shim_opts *o, struct jbuf *b)
{
	struct sockaddr_un sa;
	socklen_t len = unix_addr(o, SHIMGATE_ENV_AUDIT_SOCKET, o->audit_path, &sa);
	struct call c = describe_call(o);
	struct timespec now;
	ssize_t n;
	int s;

	clock_gettime(CLOCK_REALTIME, &now);
	json_audit(b, &c, (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
	check_fits(o, b, "the audit record");
	if ((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		unavailable(o, errno, "socket");
	/* A datagram must fit the send buffer (default ~208 KiB). The kernel caps this at
	 * net.core.wmem_max; a record still too big fails below (EMSGSIZE) and so fails closed. */
	(void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){ SHIMGATE_MAX_FRAME }, sizeof(int));
	do
		n = sendto(s, b->p, b->len, MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		unavailable(o, errno, "send audit record to %s", o->audit_path);
	close(s);
}

int main(int argc, char **argv)
{
	struct shim_opts o;
	struct jbuf b = { .cap = SHIMGATE_FRAME_HEADER_BYTES + SHIMGATE_MAX_FRAME };
	char real[PATH_MAX];
	int s, sig_r;

	ensure_stdio_open();
	load_opts(&o, argc, argv);
	if (!listed(o.mediated, o.cmd) && !listed(o.audited, o.cmd))
		unavailable(&o, 0, "%s is not listed in %s or %s", o.cmd, SHIMGATE_ENV_MEDIATED,
			    SHIMGATE_ENV_AUDITED);
	if (o.token == NULL)
		unavailable(&o, 0, "%s is not set", SHIMGATE_ENV_SESSION_TOKEN);
	if ((b.p = malloc(b.cap)) == NULL)
		unavailable(&o, errno, "malloc");

	if (listed(o.mediated, o.cmd)) {
		build_request(&o, &b);
		free(o.cwd);
		s = connect_server(&o);
		sig_r = forward_signals(&o);
		send_request(&o, s, &b);
		free(b.p);
		return wait_for_status(&o, s, sig_r);
	}

	switch (find_real_binary(o.sources_dir, o.cmd, real)) {
	case REAL_FOUND:
		break;
	case REAL_NOT_FOUND:
		die(&o, SHIMGATE_EXIT_NOT_FOUND, 0, "", "command not found");
	case REAL_NO_SELF:
		unavailable(&o, errno, "stat /proc/self/exe (the shim must never exec itself)");
	}
	b.cap = SHIMGATE_MAX_FRAME; /* the datagram is the frame: no length prefix */
	send_audit(&o, &b);
	free(o.cwd);
	free(b.p);
	execv(real, argv);
	die(&o, errno == ENOENT ? SHIMGATE_EXIT_NOT_FOUND : SHIMGATE_EXIT_DENIED, errno, "",
	    "exec %s", real);
	/* not reached */
}
