// The session's pending approvals (DESIGN §7): the ApprovalGate that rules with `admin: true` and
// `approve` actions wait on. Admins answer through the control socket; no answer by
// approval.timeout_secs is a denial; a caller that hangs up withdraws its request. Scope "session"
// approves the same command + rule for the rest of the session.
import { randomBytes } from 'node:crypto';
import type { ApprovalAnswer, ApprovalGate, ApprovalRequest } from './approval-gate.js';
import type { AuditLog } from './audit-log.js';

export interface Approver {
  uid: number;
  user: string;
}

export interface PendingApproval {
  id: string;
  session_id: string;
  session_name: string;
  command: string;
  args: string[];
  cwd: string;
  parent: string | null;
  rule: string | null;
  requested_at: string;
  expires_at: string;
}

export interface SessionApproval {
  command: string;
  rule: string | null;
  approver: Approver;
  at: string;
}

export type ApprovalEvent =
  | { event: 'pending'; approval: PendingApproval }
  | { event: 'decided'; id: string; decision: 'approve' | 'deny'; scope: 'once' | 'session'; reason: string | null; approver: Approver }
  | { event: 'expired'; id: string }
  | { event: 'withdrawn'; id: string };

export type Decide = { ok: true } | { ok: false; error: string };

export interface ApprovalQueue extends ApprovalGate {
  pending(): PendingApproval[];
  sessionApprovals(): SessionApproval[];
  decide(id: string, decision: 'approve' | 'deny', scope: 'once' | 'session', reason: string | null, approver: Approver): Decide;
  subscribe(listener: (event: ApprovalEvent) => void): () => void;
  /** The session is ending: every pending request is denied. */
  close(): void;
}

interface Waiting {
  approval: PendingApproval;
  settle(answer: ApprovalAnswer): void;
}

export function createApprovalQueue(options: { sessionId: string; sessionName: string; timeoutSecs: number; audit: AuditLog }): ApprovalQueue {
  const waiting = new Map<string, Waiting>();
  const approvedForSession = new Map<string, SessionApproval>();
  const listeners = new Set<(event: ApprovalEvent) => void>();
  const emit = (event: ApprovalEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const record = (approval: PendingApproval, status: string, extra: Record<string, unknown>): void => {
    options.audit.append({
      command_pid: null, command: approval.command, args: approval.args, cwd: approval.cwd, parent: approval.parent,
      action_type: 'approve', rule: approval.rule, exit_code: null, signal: null, duration_ms: null,
      approval: { id: approval.id, status, ...extra },
    });
  };

  return {
    request(request: ApprovalRequest): Promise<ApprovalAnswer> {
      const remembered = approvedForSession.get(sessionKey(request.command, request.rule));
      if (remembered) return Promise.resolve({ approved: true, scope: 'session', approver: remembered.approver, reason: 'approved for the session' });
      const now = Date.now();
      const approval: PendingApproval = {
        id: freshId(waiting),
        session_id: options.sessionId,
        session_name: options.sessionName,
        command: request.command,
        args: request.args,
        cwd: request.cwd,
        parent: request.parent,
        rule: request.rule,
        requested_at: new Date(now).toISOString(),
        expires_at: new Date(now + options.timeoutSecs * 1000).toISOString(),
      };
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          settle({ approved: false, reason: 'approval timed out', approver: null });
          record(approval, 'expired', {});
          emit({ event: 'expired', id: approval.id });
        }, options.timeoutSecs * 1000);
        const onAbort = (): void => {
          settle({ approved: false, reason: 'withdrawn by the caller', approver: null });
          record(approval, 'withdrawn', {});
          emit({ event: 'withdrawn', id: approval.id });
        };
        const settle = (answer: ApprovalAnswer): void => {
          if (!waiting.delete(approval.id)) return;
          clearTimeout(timer);
          request.signal.removeEventListener('abort', onAbort);
          resolve(answer);
        };
        if (request.signal.aborted) return resolve({ approved: false, reason: 'withdrawn by the caller', approver: null });
        request.signal.addEventListener('abort', onAbort);
        waiting.set(approval.id, { approval, settle });
        record(approval, 'requested', { expires_at: approval.expires_at });
        emit({ event: 'pending', approval });
      });
    },
    pending: () => [...waiting.values()].map((w) => w.approval),
    sessionApprovals: () => [...approvedForSession.values()],
    decide(id, decision, scope, reason, approver) {
      const entry = waiting.get(id);
      if (!entry) return { ok: false, error: `no pending approval ${id} (it may have expired or been decided)` };
      const { approval } = entry;
      if (decision === 'approve' && scope === 'session') {
        approvedForSession.set(sessionKey(approval.command, approval.rule), { command: approval.command, rule: approval.rule, approver, at: new Date().toISOString() });
      }
      // Written before the caller is answered, like every audit line.
      record(approval, decision === 'approve' ? 'approved' : 'denied', { scope, reason, approver_uid: approver.uid, approver_user: approver.user });
      entry.settle(
        decision === 'approve'
          ? { approved: true, scope, approver, reason }
          : { approved: false, reason: reason ? `denied by ${approver.user}: ${reason}` : `denied by ${approver.user}`, approver },
      );
      emit({ event: 'decided', id, decision, scope, reason, approver });
      return { ok: true };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const entry of [...waiting.values()]) entry.settle({ approved: false, reason: 'the session ended', approver: null });
      listeners.clear();
    },
  };
}

function sessionKey(command: string, rule: string | null): string {
  return `${command}\u0000${rule ?? ''}`;
}

/** Short enough to type (`shimgate approve k3x9q2`), unique among the pending ones. */
function freshId(taken: ReadonlyMap<string, unknown>): string {
  for (;;) {
    const id = [...randomBytes(6)].map((b) => 'abcdefghijkmnpqrstuvwxyz23456789'[b % 32]).join('');
    if (!taken.has(id)) return id;
  }
}
