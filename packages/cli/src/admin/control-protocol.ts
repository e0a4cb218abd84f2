// The control socket's messages (DESIGN §7) as admins read them. Every answer and event is checked
// here, once, and copied into null-prototype objects; code behind this trusts the shapes. A frame that
// does not fit is an error (answers) or is dropped (events: a newer server may send kinds we don't know).
import { ShimgateError } from '@shimgate/profile';
import type { Approver, PendingApproval } from '@shimgate/server';
import { controlRequest } from './control-client.js';

// One definition of the wire shapes: the server's.
export type { Approver, PendingApproval };

export type Decision = 'approve' | 'deny';
export type Scope = 'once' | 'session';

export type ControlEvent =
  | { event: 'pending'; approval: PendingApproval }
  | { event: 'decided'; id: string; decision: Decision; scope: Scope; reason: string | null; approver: Approver | null }
  | { event: 'expired'; id: string }
  | { event: 'withdrawn'; id: string }
  | { event: 'command'; audit: Record<string, unknown> };

export interface SessionStatus {
  session: Record<string, unknown>;
  pending: PendingApproval[];
}

type Fields = Record<string, unknown>;

export async function fetchPending(socketPath: string, options: { timeoutMs?: number } = {}): Promise<PendingApproval[]> {
  const answer = okAnswer(socketPath, await controlRequest(socketPath, { op: 'pending' }, options));
  return pendingList(socketPath, answer.pending);
}

export async function fetchStatus(socketPath: string, options: { timeoutMs?: number } = {}): Promise<SessionStatus> {
  const answer = okAnswer(socketPath, await controlRequest(socketPath, { op: 'status' }, options));
  const session = record(answer.session);
  if (!session) throw malformed(socketPath, 'a status answer without a "session" object');
  return { session, pending: pendingList(socketPath, answer.pending) };
}

/** `{ok:false}` is an answer, not a failure: the request may have been decided by someone else. */
export async function sendDecision(
  socketPath: string,
  request: { id: string; decision: Decision; scope: Scope; reason: string | null },
): Promise<{ ok: true } | { ok: false; error: string }> {
  const answer = record(await controlRequest(socketPath, { op: 'decide', ...request }));
  if (answer?.ok === true) return { ok: true };
  if (answer?.ok === false) return { ok: false, error: typeof answer.error === 'string' ? answer.error : 'refused, no reason given' };
  throw malformed(socketPath, 'an answer to "decide" that is neither ok nor an error');
}

/** A subscription frame as an event, or null for a frame this version does not understand. */
export function parseControlEvent(value: unknown): ControlEvent | null {
  const frame = record(value);
  if (!frame) return null;
  switch (frame.event) {
    case 'pending': {
      const approval = parsePending(frame.approval);
      return approval && { event: 'pending', approval };
    }
    case 'decided': {
      if (typeof frame.id !== 'string' || (frame.decision !== 'approve' && frame.decision !== 'deny')) return null;
      const scope: Scope = frame.scope === 'session' ? 'session' : 'once';
      const reason = typeof frame.reason === 'string' ? frame.reason : null;
      return { event: 'decided', id: frame.id, decision: frame.decision, scope, reason, approver: parseApprover(frame.approver) };
    }
    case 'expired':
    case 'withdrawn':
      return typeof frame.id === 'string' ? { event: frame.event, id: frame.id } : null;
    case 'command': {
      const audit = record(frame.audit);
      return audit && { event: 'command', audit };
    }
    default:
      return null;
  }
}

export function parsePending(value: unknown): PendingApproval | null {
  const p = record(value);
  if (!p) return null;
  const strings = ['id', 'session_id', 'session_name', 'command', 'cwd', 'requested_at', 'expires_at'] as const;
  if (!strings.every((key) => typeof p[key] === 'string')) return null;
  if (!Array.isArray(p.args) || !p.args.every((a) => typeof a === 'string')) return null;
  if (!nullableString(p.parent) || !nullableString(p.rule)) return null;
  const pending = Object.create(null) as PendingApproval;
  for (const key of strings) pending[key] = p[key] as string;
  return Object.assign(pending, { args: [...(p.args as string[])], parent: p.parent as string | null, rule: p.rule as string | null });
}

function parseApprover(value: unknown): Approver | null {
  const a = record(value);
  return a && typeof a.uid === 'number' && typeof a.user === 'string' ? { uid: a.uid, user: a.user } : null;
}

function okAnswer(socketPath: string, value: unknown): Fields {
  const answer = record(value);
  if (answer?.ok === true) return answer;
  if (answer?.ok === false) {
    const error = typeof answer.error === 'string' ? answer.error : 'no reason given';
    throw new ShimgateError('CONTROL_REFUSED', `control socket ${socketPath} refused: ${error}`);
  }
  throw malformed(socketPath, 'an answer that is neither ok nor an error');
}

function pendingList(socketPath: string, value: unknown): PendingApproval[] {
  if (!Array.isArray(value)) throw malformed(socketPath, 'an answer without a "pending" list');
  return value.map((item) => parsePending(item) ?? badPending(socketPath));
}

function badPending(socketPath: string): never {
  throw malformed(socketPath, 'a pending approval without its id, session, command, args, cwd, parent, rule or times');
}

/** A null-prototype copy of a JSON object (a `__proto__` key stays a key), or null for anything else. */
export function record(value: unknown): Fields | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.assign(Object.create(null) as Fields, value);
}

function nullableString(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

function malformed(socketPath: string, what: string): ShimgateError {
  return new ShimgateError('CONTROL_PROTOCOL', `control socket ${socketPath} sent ${what}: is the session's shimgate the same version as this one?`);
}
