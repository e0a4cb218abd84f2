// Which sessions are running now (DESIGN §3, §7): every `<root>/sessions/<id>/session.json` whose
// supervisor is alive. A session dir left by a crashed supervisor stays until the next `shimgate run`
// removes it; admins never see it.
import { lstatSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ShimgateError } from '@shimgate/profile';
import { runtimeRootPath, runtimeRootProblem } from '../session/runtime-root.js';
import { isAlive, readSessionRecord, sessionPaths, type SessionRecord } from '../session/session-files.js';

export interface LiveSession {
  id: string;
  /** session.json as written by the supervisor, checked for the fields admins use. */
  record: SessionRecord;
  /** Where the session's control socket is by DESIGN §3, under the root we checked. */
  controlSocket: string;
}

/**
 * The runtime root admins read, or null when it does not exist (no session ever ran). A root another
 * user could have planted (a symlink, someone else's, group- or world-writable) is refused: its
 * session.json files would choose which sockets our decisions are sent to. Root may read any user's
 * root (pointed at it with XDG_RUNTIME_DIR), which the session's control socket also allows.
 */
export function adminRuntimeRoot(env: Readonly<Record<string, string | undefined>>, uid: number): string | null {
  const path = runtimeRootPath(env, uid);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) return null;
  const problem = runtimeRootProblem(path, uid === 0 && !stat.isSymbolicLink() ? stat.uid : uid);
  if (problem) throw new ShimgateError('RUNTIME_ROOT', `runtime root ${path} ${problem}`);
  return path;
}

/** The live sessions of the root this process would use (XDG_RUNTIME_DIR, else /tmp/shimgate-<uid>). */
export function liveSessionsFromProcess(): LiveSession[] {
  return listLiveSessions(adminRuntimeRoot(process.env, userInfo().uid));
}

/** Live sessions, oldest first. Records that are unreadable or miss a field are skipped like dead ones. */
export function listLiveSessions(root: string | null): LiveSession[] {
  if (root === null) return [];
  let ids: string[];
  try {
    ids = readdirSync(join(root, 'sessions'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ShimgateError('RUNTIME_ROOT', `cannot list sessions in ${join(root, 'sessions')}: ${(err as Error).message}`, { cause: err });
  }
  const live: LiveSession[] = [];
  for (const id of ids) {
    const paths = sessionPaths(root, id);
    const record = checkedRecord(readSessionRecord(paths.sessionJson), id);
    if (!record || record.status === 'exited' || !isAlive(record.supervisor_pid)) continue;
    live.push({ id, record, controlSocket: paths.controlSocket });
  }
  return live.sort((a, b) => a.record.started_at.localeCompare(b.record.started_at) || a.id.localeCompare(b.id));
}

/** The session named by a full id or the unique start of one (tables show ids whole; people type less). */
export function selectSession(sessions: readonly LiveSession[], ref: string): LiveSession {
  const exact = sessions.find((s) => s.id === ref);
  if (exact) return exact;
  const matches = ref === '' ? [] : sessions.filter((s) => s.id.startsWith(ref));
  if (matches.length === 1) return matches[0] as LiveSession;
  if (matches.length > 1) {
    throw new ShimgateError('SESSION_AMBIGUOUS', `session "${ref}" matches ${matches.map((s) => s.id).join(', ')}: give more of the id`);
  }
  throw new ShimgateError('SESSION_UNKNOWN', `no live session "${ref}": "shimgate sessions" lists the live ones`);
}

/**
 * A pid of 0 or below would make the liveness check signal a process group (ours included) and always
 * pass, so a record must name a real pid. The dir name must match the id it claims.
 */
function checkedRecord(raw: SessionRecord | null, dirName: string): SessionRecord | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = Object.assign(Object.create(null) as Record<string, unknown>, raw);
  if (r.id !== dirName || typeof r.supervisor_pid !== 'number' || !Number.isSafeInteger(r.supervisor_pid) || r.supervisor_pid <= 0) return null;
  if (typeof r.started_at !== 'string' || typeof r.name !== 'string' || typeof r.profile !== 'string') return null;
  if (!Array.isArray(r.agent_command) || !r.agent_command.every((a) => typeof a === 'string')) return null;
  r.unconfined = r.unconfined !== false; // a record that does not say it is confined is shown as UNCONFINED
  return r as unknown as SessionRecord;
}
