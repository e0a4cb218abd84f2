import { describe, expect, it } from '@jest/globals';
import { NONCE_PATTERN, createBroker } from './broker.js';

const HEX64 = 'ab'.repeat(32);
const UNKNOWN = `shimgate_${HEX64}`;

describe('broker: nonces', () => {
  it('storeSecret and newContext return fresh, well-formed, distinct nonces', () => {
    const b = createBroker();
    const nonces = [b.storeSecret(Buffer.from('a')), b.storeSecret(Buffer.from('a')), b.newContext('gh'), b.newContext('gh')];
    for (const n of nonces) expect(n).toMatch(/^shimgate_[0-9a-f]{64}$/);
    expect(new Set(nonces).size).toBe(4);
  });

  it('brokers share nothing', () => {
    const a = createBroker();
    const b = createBroker();
    const n = a.storeSecret(Buffer.from('s'));
    const c = a.newContext('gh');
    expect(b.rewrite(n)).toBe(n);
    expect(b.contextParent(c)).toBeNull();
  });

  it.each<[string, (b: ReturnType<typeof createBroker>) => string, string | null]>([
    ['a context names its parent', (b) => b.newContext('gh'), 'gh'],
    ['an unknown nonce is the agent', () => UNKNOWN, null],
    ['a secret nonce is not a context', (b) => b.storeSecret(Buffer.from('x')), null],
    ['garbage is the agent', () => 'not a nonce', null],
  ])('contextParent: %s', (_, make, expected) => {
    const b = createBroker();
    expect(b.contextParent(make(b))).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ['exact', `shimgate_${HEX64}`, true],
    ['inside text', `Bearer shimgate_${HEX64}, ok`, true],
    ['63 hex', `shimgate_${HEX64.slice(1)}`, false],
    ['65 hex', `shimgate_${HEX64}c`, false],
    ['64 hex then an upper-case hex digit', `shimgate_${HEX64}C`, false],
    ['64 hex then a non-hex letter', `shimgate_${HEX64}g`, true],
    ['upper-case hex', `shimgate_${HEX64.toUpperCase()}`, false],
    ['other prefix', `shimgat_${HEX64}`, false],
  ])('NONCE_PATTERN: %s', (_, text, expected) => {
    expect(NONCE_PATTERN.test(text)).toBe(expected);
    expect(NONCE_PATTERN.test(text)).toBe(expected); // no lastIndex state
  });
});

describe('broker: rewrite', () => {
  const b = createBroker();
  const token = b.storeSecret(Buffer.from('ghp_SECRET'));
  const other = b.storeSecret(Buffer.from('pässwörd'));
  const ctx = b.newContext('gh');
  const binary = b.storeSecret(Buffer.from([0xff, 0x00, 0x41]));
  const nested = b.storeSecret(Buffer.from(`x${token}y`));

  it.each<[string, string, string]>([
    ['a whole arg', token, 'ghp_SECRET'],
    ['in the middle of a header', `Authorization: Bearer ${token}\r\nX: y`, 'Authorization: Bearer ghp_SECRET\r\nX: y'],
    ['two nonces in one arg', `${token}:${other}`, 'ghp_SECRET:pässwörd'],
    ['the same nonce twice, glued', `${token}${token}`, 'ghp_SECRETghp_SECRET'],
    ['unknown nonce stays literal', `a ${UNKNOWN} b`, `a ${UNKNOWN} b`],
    ['context nonce is not rewritten', `SHIMGATE_SANDBOX_CONTEXT=${ctx}`, `SHIMGATE_SANDBOX_CONTEXT=${ctx}`],
    ['65 hex stays literal', `${token}0`, `${token}0`],
    ['64 hex then a non-hex char is a nonce', `${token}/x`, 'ghp_SECRET/x'],
    ['a prefix glued in front still counts (substring rewrite)', `xx${token}`, 'xxghp_SECRET'],
    ['non-ASCII text around a nonce survives', `é ${token} 😀`, 'é ghp_SECRET 😀'],
    ['no rescan: a secret holding a nonce is inserted as is', nested, `x${token}y`],
    ['no nonce', 'plain text', 'plain text'],
    ['empty', '', ''],
  ])('string: %s', (_, input, expected) => {
    expect(b.rewrite(input)).toBe(expected);
  });

  it('a non-UTF-8 secret turns a string into a Buffer, bytes exact', () => {
    const out = b.rewrite(`é=${binary};${token}`);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(out).toEqual(Buffer.concat([Buffer.from('é=', 'utf8'), Buffer.from([0xff, 0x00, 0x41]), Buffer.from(';ghp_SECRET')]));
  });

  it('a Buffer in gives a Buffer out, non-UTF-8 bytes around the nonce kept', () => {
    const input = Buffer.concat([Buffer.from([0xfe, 0x80]), Buffer.from(token), Buffer.from([0xc3])]);
    expect(b.rewrite(input)).toEqual(Buffer.concat([Buffer.from([0xfe, 0x80]), Buffer.from('ghp_SECRET'), Buffer.from([0xc3])]));
    const plain = Buffer.from('nothing here');
    expect(b.rewrite(plain)).toBe(plain);
    expect(b.rewrite(Buffer.from(ctx))).toEqual(Buffer.from(ctx));
  });

  it('stores a private copy of the secret', () => {
    const secret = Buffer.from('abc');
    const n = b.storeSecret(secret);
    secret.fill(0);
    expect(b.rewrite(n)).toBe('abc');
  });

  it.each<[string, string | Buffer, boolean]>([
    ['known secret nonce', `Bearer ${token}`, true],
    ['known secret nonce in a Buffer', Buffer.from(`-H ${token}`), true],
    ['unknown nonce', UNKNOWN, false],
    ['context nonce', ctx, false],
    ['65 hex', `${token}a`, false],
    ['nothing', 'x', false],
  ])('hasNonce: %s', (_, text, expected) => {
    expect(b.hasNonce(text)).toBe(expected);
  });
});

describe('revokeContext', () => {
  it('makes a context nonce name nobody once its command is gone', () => {
    const broker = createBroker();
    const nonce = broker.newContext('gh');
    expect(broker.contextParent(nonce)).toBe('gh');
    broker.revokeContext(nonce);
    expect(broker.contextParent(nonce)).toBeNull();
  });
});
