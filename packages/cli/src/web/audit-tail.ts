// The latest events of one session's audit file, for the page's audit panel: read backwards from the
// end in chunks until enough lines are found, so a long session's log is not read whole on every click.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** Session ids are hex (session-files.ts `newSessionId`); this is checked before the id becomes a path. */
export const SESSION_ID = /^[0-9a-f]{1,64}$/;
export const DEFAULT_AUDIT_LIMIT = 50;
/** More rows than this is not a panel any more: `shimgate audit --session ID` prints the whole log. */
export const MAX_AUDIT_LIMIT = 500;
/**
 * The most bytes read from the end of a file for one answer. An audit line is a few hundred bytes, up
 * to a few KiB with long arguments; 8 MiB holds 500 of them with room to spare and bounds the work a
 * huge log can cause.
 */
const MAX_TAIL_BYTES = 8 * 1024 * 1024;
const CHUNK = 64 * 1024;

export type AuditTail = { ok: true; events: Record<string, unknown>[] } | { ok: false; status: number; error: string };

export function readAuditTail(auditDir: string, sessionId: string, limit: number): AuditTail {
  if (!SESSION_ID.test(sessionId)) return { ok: false, status: 400, error: 'session must be a session id: hex digits only' };
  let fd: number;
  try {
    fd = openSync(join(auditDir, `${sessionId}.jsonl`), 'r');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, status: missing ? 404 : 500, error: missing ? `no audit file for session ${sessionId}` : (err as Error).message };
  }
  try {
    return { ok: true, events: lastLines(fd, limit).flatMap(parseLine) };
  } finally {
    closeSync(fd);
  }
}

/** The last `limit` complete lines (a last line without its '\n' is still being written: left out). */
function lastLines(fd: number, limit: number): string[] {
  const size = fstatSync(fd).size;
  const floor = Math.max(0, size - MAX_TAIL_BYTES);
  const parts: Buffer[] = [];
  let start = size;
  let newlines = 0;
  while (start > floor && newlines <= limit) {
    const length = Math.min(CHUNK, start - floor);
    const chunk = Buffer.alloc(length);
    start -= length;
    if (readSync(fd, chunk, 0, length, start) !== length) return []; // shrank under us: not an append-only log
    parts.unshift(chunk);
    for (const byte of chunk) if (byte === 0x0a) newlines += 1;
  }
  const text = Buffer.concat(parts).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // after the last '\n': empty, or a line being written
  if (start > 0) lines.shift(); // the first may be cut at the chunk boundary
  return lines.slice(-limit);
}

function parseLine(line: string): Record<string, unknown>[] {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
  } catch {
    return []; // a damaged line; `shimgate audit verify` is the place to report it
  }
}

/** `limit` from the query: absent means the default; anything but an integer 1…MAX is refused. */
export function parseLimit(raw: string | null): number | null {
  if (raw === null) return DEFAULT_AUDIT_LIMIT;
  if (!/^[0-9]{1,4}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= MAX_AUDIT_LIMIT ? n : null;
}
