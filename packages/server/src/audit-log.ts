// Appends chained audit events to `$XDG_STATE_HOME/shimgate/audit/<session-id>.jsonl` (0600,
// O_APPEND). Writes are synchronous on purpose: an event is on disk before the caller gets its answer.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { chainLine, GENESIS_HASH, verifyChain } from './audit-chain.js';

export type AuditActionType =
  | 'passthrough' | 'respond' | 'capture' | 'approve' | 'deny' | 'denied' | 'unknown' | 'audit' | 'error';

/** The per-call fields of DESIGN §6; the log adds ts, seq, the session fields and the chain. */
export interface AuditEvent {
  command_pid: number | null;
  command: string;
  args: string[];
  cwd: string;
  parent: string | null;
  action_type: AuditActionType;
  rule: string | null;
  exit_code: number | null;
  signal: number | null;
  duration_ms: number | null;
  approval: unknown;
  [extra: string]: unknown;
}

export interface AuditSession {
  session_id: string;
  session_name: string;
  supervisor_pid: number;
  sandboxed_pid: number | null;
  /** True when the agent runs without its sandbox (`run --unconfined`): on every line, so no reader misses it. */
  unconfined: boolean;
}

export interface AuditLog {
  readonly path: string;
  append(event: AuditEvent): void;
  /** The agent's pid is known only once it runs. */
  setSandboxedPid(pid: number): void;
  /** Calls `listener` with every line appended from now on (admins watch the session live). */
  onAppend(listener: (line: Record<string, unknown>) => void): () => void;
  close(): void;
}

export function openAuditLog(path: string, session: AuditSession): AuditLog {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let { prevHash, seq } = resumePoint(path);
  const fd = openSync(path, 'a', 0o600);
  const fields = { ...session };
  const listeners = new Set<(line: Record<string, unknown>) => void>();
  return {
    path,
    append(event) {
      const { line, hash } = chainLine({ ts: new Date().toISOString(), seq, ...fields, ...event }, prevHash);
      writeSync(fd, `${line}\n`);
      prevHash = hash;
      seq += 1;
      if (listeners.size > 0) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        for (const listener of listeners) listener(parsed);
      }
    },
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setSandboxedPid(pid) {
      fields.sandboxed_pid = pid;
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Continue an existing chain (a session id is never reused, but a crash-restart must not fork it). */
function resumePoint(path: string): { prevHash: string; seq: number } {
  if (!existsSync(path)) return { prevHash: GENESIS_HASH, seq: 0 };
  const check = verifyChain(readFileSync(path, 'utf8'));
  if (!check.ok) throw new Error(`audit log ${path} is broken at line ${check.line} (${check.reason}); move it aside`);
  return { prevHash: check.lastHash, seq: check.lines };
}
