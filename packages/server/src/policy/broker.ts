// The nonce broker (DESIGN §4.2 step 2, §4.3): secrets and sandbox contexts, named by nonces.
//
// Invariants:
//   1. A nonce is "shimgate_" + 64 lowercase hex digits from crypto.randomBytes(32), and is only a
//      nonce when no further hex digit (either case) follows: "shimgate_" + 65 hex stays literal.
//   2. Secrets live only in this closure, as private copies; nothing here logs or prints them.
//   3. rewrite() replaces KNOWN SECRET nonces only, anywhere inside the text (substring), in one pass:
//      a secret that itself contains nonce-shaped text is not rescanned. Unknown nonces and context
//      nonces stay literal.
//   4. No module-level state: every broker is its own closure (one per session).

import { randomBytes } from 'node:crypto';
import { isUtf8 } from 'node:buffer';

/** One nonce, not anchored, no flags (so it carries no lastIndex state): `NONCE_PATTERN.test(s)`. */
export const NONCE_PATTERN = /shimgate_[0-9a-f]{64}(?![0-9a-fA-F])/;
export const NONCE_PREFIX = 'shimgate_';

export interface Broker {
  /** Keeps a private copy of the secret; returns the fresh nonce that names it. */
  storeSecret(secret: Buffer): string;
  /** A fresh nonce naming a sandbox context whose calls come from `parent`. */
  newContext(parent: string): string;
  /** Forgets a context once its command has exited, so a leaked nonce cannot claim that parent later. */
  revokeContext(nonce: string): void;
  /** Records the pid of the command a context belongs to, once it is spawned. */
  bindContext(nonce: string, pid: number): void;
  /** The parent a context nonce names; null (= the agent) for anything else. */
  contextParent(nonce: string): string | null;
  /** The pid of the command that owns the context; null before it is spawned or when unknown. */
  contextPid(nonce: string): number | null;
  /**
   * Every known secret nonce inside the text replaced by its secret's bytes. A string comes back as a
   * string when every substituted secret is valid UTF-8, else as a Buffer; a Buffer comes back as a Buffer.
   * Text without a known secret nonce is returned as it was given.
   */
  rewrite(text: string | Buffer): string | Buffer;
  /** True when the text holds at least one KNOWN SECRET nonce (i.e. rewrite would change it). */
  hasNonce(text: string | Buffer): boolean;
}

interface Hit {
  start: number;
  end: number;
  secret: Buffer;
}

export function createBroker(): Broker {
  const secrets = new Map<string, Buffer>();
  const contexts = new Map<string, { parent: string; pid: number | null }>();

  const freshNonce = (): string => {
    for (;;) {
      const nonce = NONCE_PREFIX + randomBytes(32).toString('hex');
      if (!secrets.has(nonce) && !contexts.has(nonce)) return nonce;
    }
  };

  /** Known secret nonces in `scanned` (a string whose char offsets are the caller's units). */
  const findHits = (scanned: string): Hit[] => {
    const hits: Hit[] = [];
    for (const m of scanned.matchAll(new RegExp(NONCE_PATTERN.source, 'g'))) {
      const secret = secrets.get(m[0]);
      if (secret !== undefined) hits.push({ start: m.index, end: m.index + m[0].length, secret });
    }
    return hits;
  };

  const rewriteString = (text: string): string | Buffer => {
    const hits = findHits(text);
    if (hits.length === 0) return text;
    if (hits.every((h) => isUtf8(h.secret))) {
      return splice(text.length, hits, (a, b) => text.slice(a, b), (s) => s.toString('utf8')).join('');
    }
    return Buffer.concat(splice(text.length, hits, (a, b) => Buffer.from(text.slice(a, b), 'utf8'), (s) => s));
  };

  const rewriteBuffer = (bytes: Buffer): Buffer => {
    // latin1 maps each byte to one char, so string offsets are byte offsets and ASCII nonces match.
    const hits = findHits(bytes.toString('latin1'));
    if (hits.length === 0) return bytes;
    return Buffer.concat(splice(bytes.length, hits, (a, b) => bytes.subarray(a, b), (s) => s));
  };

  return {
    storeSecret(secret) {
      const nonce = freshNonce();
      secrets.set(nonce, Buffer.from(secret));
      return nonce;
    },
    newContext(parent) {
      const nonce = freshNonce();
      contexts.set(nonce, { parent, pid: null });
      return nonce;
    },
    bindContext(nonce, pid) {
      const context = contexts.get(nonce);
      if (context) context.pid = pid;
    },
    revokeContext(nonce) {
      contexts.delete(nonce);
    },
    contextParent(nonce) {
      return contexts.get(nonce)?.parent ?? null;
    },
    contextPid(nonce) {
      return contexts.get(nonce)?.pid ?? null;
    },
    rewrite(text) {
      return typeof text === 'string' ? rewriteString(text) : rewriteBuffer(text);
    },
    hasNonce(text) {
      return findHits(typeof text === 'string' ? text : text.toString('latin1')).length > 0;
    },
  };
}

/** Text pieces between hits interleaved with the hits' secrets, in order. */
function splice<T>(length: number, hits: readonly Hit[], between: (a: number, b: number) => T, secret: (s: Buffer) => T): T[] {
  const parts: T[] = [];
  let at = 0;
  for (const hit of hits) {
    parts.push(between(at, hit.start), secret(hit.secret));
    at = hit.end;
  }
  parts.push(between(at, length));
  return parts;
}
