// The request frame a shim sends (DESIGN §4.1), checked field by field. The shim is not trusted:
// anything unexpected is a reason to refuse the call, and the reason names the field.
import { timingSafeEqual } from 'node:crypto';
import { MAX_ARGS, MAX_ENV, PROTOCOL_VERSION } from './wire.js';

/** Text from the shim: a string when it was UTF-8, the raw bytes when it came as {"b64": …}. */
export type WireText = string | Buffer;

export interface ShimRequest {
  command: string;
  args: WireText[];
  cwd: WireText;
  pid: number;
  token: string;
  /** Null-prototype map of the caller's environment. */
  env: Record<string, WireText>;
}

export type ParsedRequest = { ok: true; request: ShimRequest } | { ok: false; reason: string };

const REQUEST_KEYS = new Set(['v', 'command', 'args', 'cwd', 'pid', 'token', 'env']);
const COMMAND_NAME = /^[A-Za-z0-9._+-]{1,255}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class BadRequest extends Error {}

export function parseShimRequest(value: unknown): ParsedRequest {
  try {
    return { ok: true, request: readRequest(value) };
  } catch (err) {
    if (err instanceof BadRequest) return { ok: false, reason: err.message };
    throw err;
  }
}

function readRequest(value: unknown): ShimRequest {
  const frame = asObject(value, 'request');
  for (const key of Object.keys(frame)) {
    if (!REQUEST_KEYS.has(key)) throw new BadRequest(`request has an unknown field "${key}"`);
  }
  if (frame.v !== PROTOCOL_VERSION) throw new BadRequest(`request.v must be ${PROTOCOL_VERSION}, got ${JSON.stringify(frame.v)}`);
  if (typeof frame.command !== 'string' || !COMMAND_NAME.test(frame.command)) {
    throw new BadRequest('request.command must be a plain command name');
  }
  if (!Array.isArray(frame.args)) throw new BadRequest('request.args must be an array');
  if (frame.args.length > MAX_ARGS) throw new BadRequest(`request.args has ${frame.args.length} entries, over the ${MAX_ARGS} limit`);
  if (typeof frame.pid !== 'number' || !Number.isSafeInteger(frame.pid) || frame.pid <= 0) {
    throw new BadRequest('request.pid must be a positive integer');
  }
  if (typeof frame.token !== 'string') throw new BadRequest('request.token must be a string');
  return {
    command: frame.command,
    args: frame.args.map((arg, i) => wireText(arg, `request.args[${i}]`)),
    cwd: wireText(frame.cwd, 'request.cwd'),
    pid: frame.pid,
    token: frame.token,
    env: readEnv(frame.env),
  };
}

function readEnv(value: unknown): Record<string, WireText> {
  const source = asObject(value, 'request.env');
  const names = Object.keys(source);
  if (names.length > MAX_ENV) throw new BadRequest(`request.env has ${names.length} entries, over the ${MAX_ENV} limit`);
  const env: Record<string, WireText> = Object.create(null);
  for (const name of names) {
    if (name === '' || name.includes('=') || name.includes('\0')) throw new BadRequest(`request.env has a bad name ${JSON.stringify(name)}`);
    env[name] = wireText(source[name], `request.env.${name}`);
  }
  return env;
}

function wireText(value: unknown, field: string): WireText {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new BadRequest(`${field} holds a NUL byte`);
    return value;
  }
  const wrapped = asObject(value, field);
  const keys = Object.keys(wrapped);
  if (keys.length !== 1 || typeof wrapped.b64 !== 'string' || !BASE64.test(wrapped.b64)) {
    throw new BadRequest(`${field} must be a string or {"b64": "<base64>"}`);
  }
  const bytes = Buffer.from(wrapped.b64, 'base64');
  if (bytes.includes(0)) throw new BadRequest(`${field} holds a NUL byte`);
  return bytes;
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest(`${field} must be an object`);
  return value as Record<string, unknown>;
}

/** One field of a shim's datagram or frame as text, or null when it is neither form. */
export function decodeWireText(value: unknown): WireText | null {
  try {
    return wireText(value, 'value');
  } catch (err) {
    if (err instanceof BadRequest) return null;
    throw err;
  }
}

/** Compares the caller's token with the session's without leaking where they differ. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A readable rendering for logs and error messages; bytes that are not UTF-8 show as \xNN. */
export function displayText(text: WireText): string {
  if (typeof text === 'string') return text;
  return [...text].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

export function textBytes(text: WireText): Buffer {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}
