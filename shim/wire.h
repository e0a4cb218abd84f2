/*
 * wire.h — the ONE place that defines the shim <-> server wire constants (DESIGN.md §3, §4).
 *
 * The TypeScript side parses this file with /^#define (SHIMGATE_\w+) (.+)$/ and a test checks it
 * agrees, so: one plain `#define SHIMGATE_NAME value` per line, no trailing comments on those lines,
 * comments above them.
 */
#ifndef SHIMGATE_WIRE_H
#define SHIMGATE_WIRE_H

/* Version of the request JSON ("v"). */
#define SHIMGATE_PROTOCOL_VERSION 1

/* Every frame on the stream socket is a big-endian u32 length, then that many bytes of JSON. */
#define SHIMGATE_FRAME_HEADER_BYTES 4

/* Largest request JSON (the value of the length prefix, header not counted): 1 MiB. */
#define SHIMGATE_MAX_FRAME 1048576

/* Largest server -> shim frame ({"exit_code":N} or {"signal":N}), header not counted. */
#define SHIMGATE_MAX_RESPONSE_FRAME 4096

/* Caps on the request: more is rejected (exit 125), never truncated. */
#define SHIMGATE_MAX_ARGS 4096
#define SHIMGATE_MAX_ENV 4096

/*
 * Exactly this many fds ride in the one SCM_RIGHTS message: stdin, stdout, stderr, and the shim's cwd
 * opened O_PATH|O_DIRECTORY (the server runs the command there without resolving any path).
 */
#define SHIMGATE_NUM_FDS 4

/* Exit codes of the shim besides the real command's own (128+N: the command died of signal N). */
#define SHIMGATE_EXIT_UNAVAILABLE 125
#define SHIMGATE_EXIT_DENIED 126
#define SHIMGATE_EXIT_NOT_FOUND 127

/* Environment the session gives the agent (DESIGN.md §3). */
#define SHIMGATE_ENV_SOCKET "SHIMGATE_SOCKET"
#define SHIMGATE_ENV_AUDIT_SOCKET "SHIMGATE_AUDIT_SOCKET"
#define SHIMGATE_ENV_SESSION_TOKEN "SHIMGATE_SESSION_TOKEN"
#define SHIMGATE_ENV_SHIM_DIR "SHIMGATE_SHIM_DIR"
#define SHIMGATE_ENV_SHIM_SOURCES_DIR "SHIMGATE_SHIM_SOURCES_DIR"
#define SHIMGATE_ENV_MEDIATED "SHIMGATE_MEDIATED"
#define SHIMGATE_ENV_AUDITED "SHIMGATE_AUDITED"
#define SHIMGATE_ENV_SESSION_ID "SHIMGATE_SESSION_ID"

#endif
