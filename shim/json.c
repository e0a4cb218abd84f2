/*
 * json.c — the shim's JSON writer and its one tiny reader.
 *
 * Invariants:
 *  1. The writer MUST never write past b->cap: a write that does not fit sets b->over, and the
 *     caller MUST reject the whole message (oversize input is rejected, never truncated).
 *  2. A string MUST be emitted as a JSON string only if it is strictly valid UTF-8 (no overlong
 *     forms, no surrogates, nothing above U+10FFFF); any other byte string MUST travel as
 *     {"b64":"<standard base64>"} so no byte is lost or altered.
 *  3. The reader MUST accept exactly one shape — optional whitespace, one object with exactly one
 *     key, "exit_code" (0..255) or "signal" (1..127), whose value is a plain decimal integer — and
 *     MUST refuse everything else.
 */
#include "json.h"
#include "wire.h"

#include <stdio.h>
#include <string.h>

void jb_raw(struct jbuf *b, const void *s, size_t n)
{
	if (b->over || n > b->cap - b->len) {
		b->over = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void jb_lit(struct jbuf *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

void jb_int(struct jbuf *b, long long v)
{
	char num[24]; /* "-9223372036854775808" is 20 characters */
	int n = snprintf(num, sizeof num, "%lld", v);

	jb_raw(b, num, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		if (s[0] == 0xE0)
			lo = 0xA0; /* overlong */
		if (s[0] == 0xED)
			hi = 0x9F; /* surrogates U+D800..U+DFFF */
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		if (s[0] == 0xF0)
			lo = 0x90; /* overlong */
		if (s[0] == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if ((k = utf8_seq(u + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

static void jb_b64(struct jbuf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[4];
	size_t i;

	for (i = 0; i < n && !b->over; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		out[0] = tab[(v >> 18) & 63];
		out[1] = tab[(v >> 12) & 63];
		out[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? tab[v & 63] : '=';
		jb_raw(b, out, sizeof out);
	}
}

/* Writes a valid UTF-8 string with JSON escaping: runs of plain bytes are copied in one go. */
static void jb_escaped(struct jbuf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	char esc[8];

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			if (c >= 0x20)
				continue;
			snprintf(esc, sizeof esc, "\\u%04x", c);
			e = esc;
		}
		jb_raw(b, s + run, i - run);
		jb_lit(b, e);
		run = i + 1;
	}
	jb_raw(b, s + run, n - run);
}

void jb_str(struct jbuf *b, const char *s, size_t n)
{
	if (utf8_valid(s, n)) {
		jb_lit(b, "\"");
		jb_escaped(b, s, n);
		jb_lit(b, "\"");
	} else {
		jb_lit(b, "{\"b64\":\"");
		jb_b64(b, (const unsigned char *)s, n);
		jb_lit(b, "\"}");
	}
}

void jb_cstr(struct jbuf *b, const char *s)
{
	jb_str(b, s, strlen(s));
}

/* "command", "args", "cwd", "pid": the part the request and the audit record share. */
static void jb_call(struct jbuf *b, const struct call *c)
{
	int i;

	jb_lit(b, "\"command\":");
	jb_cstr(b, c->command);
	jb_lit(b, ",\"args\":[");
	for (i = 1; i < c->argc; i++) {
		if (i > 1)
			jb_lit(b, ",");
		jb_cstr(b, c->argv[i]);
	}
	jb_lit(b, "],\"cwd\":");
	jb_cstr(b, c->cwd);
	jb_lit(b, ",\"pid\":");
	jb_int(b, c->pid);
}

/* Was variable `name=` (name_len bytes) already seen before entry e? getenv() keeps the first of
 * duplicates, so the server sees the value a local program would, and no JSON key repeats. */
static bool env_seen(char *const *envp, char *const *e, size_t name_len)
{
	for (; envp < e; envp++)
		if (strncmp(*envp, *e, name_len + 1) == 0)
			return true;
	return false;
}

/* Entries without '=', with an empty name or a name that is not UTF-8 are not sent. */
static void jb_env(struct jbuf *b, char *const *envp)
{
	char *const *e;
	const char *eq;
	size_t name_len;
	bool first = true;

	jb_lit(b, "{");
	for (e = envp; *e != NULL; e++) {
		if ((eq = strchr(*e, '=')) == NULL || eq == *e)
			continue;
		name_len = (size_t)(eq - *e);
		if (!utf8_valid(*e, name_len) || env_seen(envp, e, name_len))
			continue;
		if (!first)
			jb_lit(b, ",");
		first = false;
		jb_str(b, *e, name_len);
		jb_lit(b, ":");
		jb_cstr(b, eq + 1);
	}
	jb_lit(b, "}");
}

void json_request(struct jbuf *b, const struct call *c)
{
	jb_lit(b, "{\"v\":");
	jb_int(b, SHIMGATE_PROTOCOL_VERSION);
	jb_lit(b, ",");
	jb_call(b, c);
	jb_lit(b, ",\"token\":");
	jb_cstr(b, c->token);
	jb_lit(b, ",\"env\":");
	jb_env(b, c->envp);
	jb_lit(b, "}");
}

void json_audit(struct jbuf *b, const struct call *c, long long ts_ms)
{
	jb_lit(b, "{");
	jb_call(b, c);
	jb_lit(b, ",\"ts\":");
	jb_int(b, ts_ms);
	jb_lit(b, ",\"token\":");
	jb_cstr(b, c->token);
	jb_lit(b, "}");
}

/* Skips JSON whitespace, then consumes `lit` if it comes next. */
static bool eat(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	while (*p < end && (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r'))
		(*p)++;
	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* A non-negative JSON integer of at most 3 digits (every valid value is <= 255), no leading 0. */
static bool eat_small_uint(const char **p, const char *end, int *v)
{
	int digits = 0;

	eat(p, end, "");
	*v = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (++digits > 3 || (digits == 2 && *v == 0))
			return false;
		*v = *v * 10 + (**p - '0');
		(*p)++;
	}
	return digits > 0;
}

int json_parse_status(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	bool is_signal;
	int v;

	if (!eat(&p, end, "{"))
		return -1;
	if (eat(&p, end, "\"exit_code\""))
		is_signal = false;
	else if (eat(&p, end, "\"signal\""))
		is_signal = true;
	else
		return -1;
	if (!eat(&p, end, ":") || !eat_small_uint(&p, end, &v) || !eat(&p, end, "}"))
		return -1;
	eat(&p, end, "");
	if (p != end)
		return -1;
	if (is_signal)
		return v >= 1 && v <= 127 ? 128 + v : -1;
	return v <= 255 ? v : -1;
}
