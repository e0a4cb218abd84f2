/*
 * json.h — the shim's JSON: a bounded writer for requests and audit datagrams, and the strict
 * reader of the server's one-line answer. See json.c for the invariants.
 */
#ifndef SHIMGATE_JSON_H
#define SHIMGATE_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* A fixed-capacity output buffer. A write that does not fit sets `over` and writes nothing more. */
struct jbuf {
	char *p;
	size_t len;
	size_t cap;
	bool over;
};

void jb_raw(struct jbuf *b, const void *s, size_t n);
void jb_lit(struct jbuf *b, const char *s);
void jb_int(struct jbuf *b, long long v);
/* n bytes of s as a JSON string if they are valid UTF-8, else as {"b64":"<base64>"}. */
void jb_str(struct jbuf *b, const char *s, size_t n);
void jb_cstr(struct jbuf *b, const char *s);

bool utf8_valid(const char *s, size_t n);

/* One call of the shim, as the request and the audit record describe it. The caller has already
 * checked the counts against SHIMGATE_MAX_ARGS and SHIMGATE_MAX_ENV. */
struct call {
	const char *command;
	int argc;           /* the args are argv[1..argc-1] */
	char *const *argv;
	const char *cwd;    /* "" when unknown: the server falls back */
	long long pid;
	const char *token;
	char *const *envp;  /* NULL-terminated NAME=value entries */
};

/* {"v":1,"command":..,"args":[..],"cwd":..,"pid":..,"token":..,"env":{..}} */
void json_request(struct jbuf *b, const struct call *c);
/* {"command":..,"args":[..],"cwd":..,"pid":..,"ts":<ms>,"token":..} */
void json_audit(struct jbuf *b, const struct call *c, long long ts_ms);

/* {"exit_code":N} -> N (0..255); {"signal":N} -> 128+N (N 1..127); anything else -> -1. */
int json_parse_status(const char *s, size_t n);

#endif
