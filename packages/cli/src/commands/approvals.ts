// `shimgate approvals`, `shimgate approve ID` and `shimgate deny ID` (DESIGN §7): list the calls waiting
// for an admin across live sessions, and answer one. The session's control socket learns who answered
// from the connection itself (SO_PEERCRED), so nothing here claims an identity.
import type { Argv } from 'yargs';
import { ShimgateError } from '@shimgate/profile';
import { escapeControls } from '../audit/audit-table.js';
import { approvalsTable, decisionLine, pendingCommand } from '../admin/admin-format.js';
import { sendDecision, type Decision, type Scope } from '../admin/control-protocol.js';
import { liveSessionsFromProcess, selectSession, type LiveSession } from '../admin/live-sessions.js';
import { findApproval, gatherPending, unansweredLines } from '../admin/pending-lookup.js';
import type { ExitCodeSink } from '../exit-code.js';

const APPROVALS_USAGE = `$0 approvals [--session ID] [--json]

List the calls waiting for an admin in every live session (or one): the approval id to answer
with "shimgate approve ID" or "shimgate deny ID", its session, the time left before it is
denied, the command that made the call (PARENT; "(agent)" for the agent itself), the rule that
asked for an admin, and the call.`;

const APPROVE_USAGE = `$0 approve ID [--scope once|session] [--reason TEXT] [--session ID]

Let the waiting call ID run. --scope session also lets the same command under the same rule
run for the rest of that session without asking again.`;

const DENY_USAGE = `$0 deny ID [--reason TEXT] [--session ID]

Refuse the waiting call ID: the caller gets exit status 126; the reason goes to the audit log.`;

export function registerApprovalCommands(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'approvals',
    'list calls waiting for an admin, in every live session',
    (y) =>
      y
        .usage(APPROVALS_USAGE)
        .option('session', { type: 'string', describe: 'only this session (its id, or the start of it)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the pending approvals as a JSON array, as the sessions sent them' }),
    async (args) => {
      if (exit.code !== 0) return; // yargs calls the handler even after .fail() reported a usage error
      exit.code = await listApprovals(args.session, args.json);
    },
  );
  cli.command(
    'approve <id>',
    'let a waiting call run',
    (y) =>
      y
        .usage(APPROVE_USAGE)
        .positional('id', { type: 'string', demandOption: true, describe: 'the approval id shown by "shimgate approvals"' })
        .option('scope', { choices: ['once', 'session'] as const, default: 'once' as const, describe: 'once: this call only; session: this command and rule for the rest of the session' })
        .option('reason', { type: 'string', describe: 'why, for the audit log' })
        .option('session', { type: 'string', describe: 'the session holding ID (needed only when two sessions use the same id)' }),
    async (args) => {
      if (exit.code !== 0) return;
      exit.code = await answer(args.id, 'approve', args.scope, args.reason, args.session);
    },
  );
  cli.command(
    'deny <id>',
    'refuse a waiting call',
    (y) =>
      y
        .usage(DENY_USAGE)
        .positional('id', { type: 'string', demandOption: true, describe: 'the approval id shown by "shimgate approvals"' })
        .option('reason', { type: 'string', describe: 'why, for the audit log (the caller sees "denied by USER: REASON")' })
        .option('session', { type: 'string', describe: 'the session holding ID (needed only when two sessions use the same id)' }),
    async (args) => {
      if (exit.code !== 0) return;
      exit.code = await answer(args.id, 'deny', 'once', args.reason, args.session);
    },
  );
}

function chosenSessions(ref: string | undefined): LiveSession[] {
  const live = liveSessionsFromProcess();
  return ref === undefined ? live : [selectSession(live, ref)];
}

async function listApprovals(sessionRef: string | undefined, json: boolean): Promise<number> {
  const results = await gatherPending(chosenSessions(sessionRef));
  for (const line of unansweredLines(results)) process.stderr.write(`shimgate: ${line}\n`);
  const pending = results.flatMap((r) => (r.ok ? r.pending : [])).sort((a, b) => a.expires_at.localeCompare(b.expires_at));
  if (json) {
    process.stdout.write(`${JSON.stringify(pending, null, 2)}\n`);
    return 0;
  }
  if (pending.length === 0) {
    process.stderr.write(`shimgate: no pending approvals${results.length === 0 ? ' (no live sessions)' : ''}\n`);
    return 0;
  }
  process.stdout.write(`${approvalsTable(pending, Date.now()).join('\n')}\n`);
  return 0;
}

async function answer(id: string, decision: Decision, scope: Scope, reason: string | undefined, sessionRef: string | undefined): Promise<number> {
  const { session, approval } = await findApproval(chosenSessions(sessionRef), id);
  const result = await sendDecision(session.controlSocket, { id, decision, scope, reason: reason ?? null });
  if (!result.ok) {
    const verb = decision === 'approve' ? 'approve' : 'deny';
    throw new ShimgateError('DECIDE_REFUSED', `could not ${verb} ${escapeControls(id)} (${pendingCommand(approval)}): ${escapeControls(result.error)}`);
  }
  process.stdout.write(`${decisionLine(id, decision, scope, pendingCommand(approval))}\n`);
  return 0;
}
