// Where audit files live (DESIGN §3: `$XDG_STATE_HOME/shimgate/audit/<session-id>.jsonl`) and which
// of them a command means.
import { readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ShimgateError } from '@shimgate/profile';

export interface AuditFile {
  sessionId: string;
  path: string;
  mtimeMs: number;
}

/** Same rule as the session writer in session/start-session.ts. */
export function auditDirFromEnv(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'shimgate', 'audit');
}

/** Every `*.jsonl` in `dir`, oldest first by mtime (ties by name); a missing dir has none. */
export function listAuditFiles(dir: string): AuditFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ShimgateError('AUDIT_DIR', `cannot read the audit directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const files: AuditFile[] = [];
  for (const name of names) {
    if (!name.endsWith('.jsonl')) continue;
    const path = join(dir, name);
    const stat = statOrNull(path);
    if (stat?.isFile()) files.push({ sessionId: name.slice(0, -'.jsonl'.length), path, mtimeMs: stat.mtimeMs });
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.sessionId.localeCompare(b.sessionId));
}

/**
 * The file of session `id`: an exact id, or a prefix of exactly one id (the table shows ids short).
 * The id never becomes a path by itself, so `../x` cannot reach outside the audit dir.
 */
export function findSessionFile(dir: string, id: string): AuditFile {
  const files = listAuditFiles(dir);
  const exact = files.find((f) => f.sessionId === id);
  if (exact) return exact;
  const matches = id === '' ? [] : files.filter((f) => f.sessionId.startsWith(id));
  if (matches.length === 1) return matches[0] as AuditFile;
  if (matches.length > 1) {
    const ids = matches.map((f) => f.sessionId).join(', ');
    throw new ShimgateError('AUDIT_SESSION_AMBIGUOUS', `session "${id}" matches ${matches.length} audit files in ${dir} (${ids}): give more of the id`);
  }
  const known = files.length === 0 ? 'it holds no audit files' : `sessions there: ${recentIds(files)}`;
  throw new ShimgateError('AUDIT_SESSION_NOT_FOUND', `no audit file for session "${id}" in ${dir} (${known})`);
}

function recentIds(files: readonly AuditFile[]): string {
  const newest = files.slice(-5).reverse().map((f) => f.sessionId);
  return files.length > newest.length ? `${newest.join(', ')}, … (${files.length} in all)` : newest.join(', ');
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null; // removed between readdir and stat
  }
}
