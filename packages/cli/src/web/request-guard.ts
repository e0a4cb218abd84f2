// The gate every request of `shimgate ui` passes before any route runs (DESIGN §7): the Host header
// must name our own loopback origin (a DNS-rebinding page asks with its own name), and the URL must carry
// the server's random token. Also the headers every answer carries, and the small answer helpers.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** 24 random bytes: 192 bits, as base64url (32 characters, safe in a URL without escaping). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export type GuardResult = { ok: true; url: URL } | { ok: false; status: number; error: string };

/**
 * Checks Host, then the token. The token is compared as SHA-256 digests with timingSafeEqual: equal
 * lengths whatever was sent, so neither the length nor a matching prefix shows in the timing.
 */
export function guardRequest(req: IncomingMessage, port: number, token: string): GuardResult {
  if (!allowedHost(req.headers.host, port)) {
    return { ok: false, status: 403, error: `the Host header must be 127.0.0.1:${port} or localhost:${port}` };
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  } catch {
    return { ok: false, status: 400, error: 'the request URL does not parse' };
  }
  const given = url.searchParams.getAll('token');
  if (given.length !== 1 || !sameSecret(given[0] as string, token)) {
    return { ok: false, status: 403, error: 'missing or wrong token: open the URL "shimgate ui" printed' };
  }
  return { ok: true, url };
}

export function allowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const lower = host.toLowerCase();
  return lower === `127.0.0.1:${port}` || lower === `localhost:${port}`;
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * A state-changing request from a browser carries Origin; one from another site (or from our page
 * served under another name) is refused even before the token and content type would stop it.
 */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // not a browser (curl, node): the token is the whole check
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** Headers on every answer, errors included. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY', // the page has Approve buttons: never inside someone else's frame
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store', // answers name commands and arguments; the URL names the token
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: string, extra: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error }, extra);
}
