// A session's directory (DESIGN §3): session.json, control.sock, and agent/ (the only part the agent
// sandbox sees) with the sockets, the shims and their sidecars.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface SessionPaths {
  id: string;
  dir: string;
  sessionJson: string;
  controlSocket: string;
  agentDir: string;
  mediationSocket: string;
  auditSocket: string;
  shimDir: string;
  shimSourcesDir: string;
  /** The session's copy of the shim binary; every name in shimDir is a hard link to it. */
  shimBinary: string;
  /** The session's private copy of the sandbox exec helper: the only one the server spawns. */
  execHelper: string;
  /** The agent's first program inside bwrap (Landlock scopes), in the read-only agent dir. */
  agentScope: string;
}

export interface SessionRecord {
  id: string;
  name: string;
  profile: string;
  workdir: string;
  supervisor_pid: number;
  sandboxed_pid: number | null;
  started_at: string;
  control_socket: string;
  status: 'starting' | 'running' | 'exited';
  unconfined: boolean;
  agent_command: string[];
  audit_file: string;
}

export function newSessionId(): string {
  return randomBytes(6).toString('hex');
}

export function sessionPaths(root: string, id: string): SessionPaths {
  const dir = join(root, 'sessions', id);
  const agentDir = join(dir, 'agent');
  return {
    id,
    dir,
    sessionJson: join(dir, 'session.json'),
    controlSocket: join(dir, 'control.sock'),
    agentDir,
    mediationSocket: join(agentDir, 'mediation.sock'),
    auditSocket: join(agentDir, 'audit.sock'),
    shimDir: join(agentDir, 'shims'),
    shimSourcesDir: join(agentDir, 'shim-sources'),
    shimBinary: join(agentDir, 'shimgate-shim'),
    execHelper: join(dir, 'bin', 'shimgate-sandbox-exec'),
    agentScope: join(agentDir, 'shimgate-agent-scope'),
  };
}

export function createSessionDirs(paths: SessionPaths): void {
  mkdirSync(paths.dir, { mode: 0o700 }); // fails if the id exists: ids are never reused
  for (const dir of [paths.agentDir, paths.shimDir, paths.shimSourcesDir, dirname(paths.execHelper)]) mkdirSync(dir, { mode: 0o700 });
}

/** Replaces session.json atomically, so readers never see half a file. */
export function writeSessionRecord(paths: SessionPaths, record: SessionRecord): void {
  const tmp = `${paths.sessionJson}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, paths.sessionJson);
}

export function removeSession(paths: Pick<SessionPaths, 'dir'>): void {
  rmSync(paths.dir, { recursive: true, force: true });
}

/** Removes sessions whose supervisor is gone (crashed or killed); returns their ids. */
export function removeDeadSessions(root: string): string[] {
  const sessionsDir = join(root, 'sessions');
  const removed: string[] = [];
  for (const id of readdirSync(sessionsDir)) {
    const record = readSessionRecord(join(sessionsDir, id, 'session.json'));
    if (record && isAlive(record.supervisor_pid)) continue;
    if (!record && isYoung(join(sessionsDir, id))) continue; // another supervisor may be creating it now
    rmSync(join(sessionsDir, id), { recursive: true, force: true });
    removed.push(id);
  }
  return removed;
}

export function readSessionRecord(path: string): SessionRecord | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SessionRecord;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const YOUNG_MS = 60_000;

function isYoung(dir: string): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs < YOUNG_MS;
  } catch {
    return false;
  }
}
