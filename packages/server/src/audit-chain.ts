// The audit log's hash chain (DESIGN §6): each line carries the hash of the line before it, and its
// own hash = sha256(prev_hash ‖ the line's JSON without its "hash" field). Pure: no files here.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The JSON line for `event` chained after `prevHash`; `hash` is always the last field. */
export function chainLine(event: Readonly<Record<string, unknown>>, prevHash: string): { line: string; hash: string } {
  const body = JSON.stringify({ ...event, prev_hash: prevHash });
  const hash = sha256(prevHash + body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export type ChainCheck = { ok: true; lines: number; lastHash: string } | { ok: false; line: number; reason: string };

/** Checks a whole audit file's text; `line` in a failure is 1-based. */
export function verifyChain(text: string): ChainCheck {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = GENESIS_HASH;
  for (let i = 0; i < lines.length; i += 1) {
    const problem = checkLine(lines[i] as string, prev);
    if (typeof problem === 'string') return { ok: false, line: i + 1, reason: problem };
    prev = problem.hash;
  }
  return { ok: true, lines: lines.length, lastHash: prev };
}

function checkLine(line: string, prev: string): { hash: string } | string {
  const match = /^(.*),"hash":"([0-9a-f]{64})"\}$/.exec(line);
  if (!match) return 'not an audit line (no trailing "hash" field)';
  const body = `${match[1]}}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'not valid JSON';
  }
  if ((parsed as { prev_hash?: unknown }).prev_hash !== prev) return 'prev_hash does not match the line before';
  if (sha256(prev + body) !== match[2]) return 'hash does not match the line (it was changed)';
  return { hash: match[2] as string };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
