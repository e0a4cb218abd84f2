// Pending approvals across live sessions: each session is asked at once, in parallel, and one that does
// not answer is reported rather than hiding the others.
import { ShimgateError } from '@shimgate/profile';
import { escapeControls } from '../audit/audit-table.js';
import { fetchPending, type PendingApproval } from './control-protocol.js';
import type { LiveSession } from './live-sessions.js';

export type SessionPending =
  | { session: LiveSession; ok: true; pending: PendingApproval[] }
  | { session: LiveSession; ok: false; error: Error };

export function gatherPending(sessions: readonly LiveSession[]): Promise<SessionPending[]> {
  return Promise.all(
    sessions.map(async (session): Promise<SessionPending> => {
      try {
        return { session, ok: true, pending: await fetchPending(session.controlSocket) };
      } catch (err) {
        return { session, ok: false, error: err as Error };
      }
    }),
  );
}

/** For stderr: which sessions could not be asked, and why. */
export function unansweredLines(results: readonly SessionPending[]): string[] {
  return results.flatMap((r) =>
    r.ok ? [] : [`session ${r.session.id} (${escapeControls(r.session.record.name)}) did not answer: ${escapeControls(r.error.message)}`],
  );
}

export interface FoundApproval {
  session: LiveSession;
  approval: PendingApproval;
}

/** The live session holding pending approval `id`; a ShimgateError names what went wrong. */
export async function findApproval(sessions: readonly LiveSession[], id: string): Promise<FoundApproval> {
  const results = await gatherPending(sessions);
  const found = results.flatMap((r) => (r.ok ? r.pending.filter((p) => p.id === id).map((approval) => ({ session: r.session, approval })) : []));
  if (found.length > 1) {
    const where = found.map((f) => f.session.id).join(', ');
    throw new ShimgateError('APPROVAL_AMBIGUOUS', `pending approval ${escapeControls(id)} exists in sessions ${where}: add --session ID`);
  }
  if (found[0]) return found[0];
  const silent = results.filter((r) => !r.ok).length;
  const hint = silent === 0 ? '' : `; ${silent} session${silent === 1 ? '' : 's'} did not answer and may hold it`;
  throw new ShimgateError('APPROVAL_UNKNOWN', `no pending approval ${escapeControls(id)} (it may have expired or been decided)${hint}`);
}
