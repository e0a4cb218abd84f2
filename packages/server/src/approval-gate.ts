// Where a call that needs an admin (a rule with `admin: true`, or an `approve` action) asks for one.
// The session supplies the implementation; until admins have a way to answer (control socket, CLI,
// web page), the gate answers "no admin available" and the call is denied, failing closed.

export interface ApprovalRequest {
  sessionId: string;
  command: string;
  /** Scrubbed, for display. */
  args: string[];
  cwd: string;
  parent: string | null;
  rule: string | null;
  /** The caller hung up: a pending request is withdrawn. */
  signal: AbortSignal;
}

export type ApprovalAnswer =
  | { approved: true; approver: { uid: number; user: string } | null; scope: 'once' | 'session'; reason: string | null }
  | { approved: false; reason: string; approver: { uid: number; user: string } | null };

export interface ApprovalGate {
  request(request: ApprovalRequest): Promise<ApprovalAnswer>;
}

export const noAdminGate: ApprovalGate = {
  request: async () => ({ approved: false, reason: 'no admin available', approver: null }),
};
