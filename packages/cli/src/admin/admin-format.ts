// What admins read: the `sessions` and `approvals` tables, times left, one-line notes about requests.
// Pure: the caller passes the clock. Every string from a session (the agent picks the arguments, and
// a session.json names its own agent) is made printable before it reaches the terminal.
import { commandLine, escapeControls } from '../audit/audit-table.js';
import type { SessionRecord } from '../session/session-files.js';
import type { Approver, Decision, PendingApproval, Scope } from './control-protocol.js';

export interface SessionRow {
  record: SessionRecord;
  /** null: the control socket did not answer. */
  pending: number | null;
}

const GAP = '  ';

/** Columns padded to their widest cell; the last is not padded (it takes the rest of the line). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number))).join(GAP).trimEnd();
  return [line(headers), ...rows.map(line)];
}

export function sessionsTable(rows: readonly SessionRow[]): string[] {
  return formatTable(
    ['ID', 'NAME', 'PROFILE', 'STARTED', 'PENDING', 'SANDBOX', 'COMMAND'],
    rows.map(({ record, pending }) => [
      record.id,
      escapeControls(record.name),
      escapeControls(record.profile),
      localTime(record.started_at),
      pending === null ? '?' : String(pending),
      record.unconfined ? 'UNCONFINED' : 'confined',
      argvLine(record.agent_command),
    ]),
  );
}

export function approvalsTable(pending: readonly PendingApproval[], now: number): string[] {
  return formatTable(
    ['ID', 'SESSION', 'NAME', 'LEFT', 'PARENT', 'RULE', 'COMMAND'],
    pending.map((p) => [
      escapeControls(p.id),
      escapeControls(p.session_id),
      escapeControls(p.session_name),
      timeLeft(p.expires_at, now),
      parentText(p.parent),
      ruleText(p.rule),
      pendingCommand(p),
    ]),
  );
}

/** "4m12s", "59s", "1h02m03s"; "expired" at or past the deadline; "?" for a time that does not parse. */
export function timeLeft(expiresAt: string, now: number): string {
  const deadline = Date.parse(expiresAt);
  if (Number.isNaN(deadline)) return '?';
  const total = Math.ceil((deadline - now) / 1000); // "0s" would be shown for a request still open
  if (total <= 0) return 'expired';
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${two(m)}m${two(s)}s`;
  return m > 0 ? `${m}m${two(s)}s` : `${s}s`;
}

/** "2030-01-01 10:00:00" in the local time zone (TZ applies). */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return escapeControls(iso);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function pendingCommand(p: Pick<PendingApproval, 'command' | 'args'>): string {
  return commandLine(p.command, p.args);
}

/** The details an admin decides on, one per line, indented under a heading. */
export function pendingDetails(p: PendingApproval): string[] {
  return [
    `approval ${escapeControls(p.id)} requested by session ${escapeControls(p.session_id)} (${escapeControls(p.session_name)})`,
    `  command  ${pendingCommand(p)}`,
    `  cwd      ${escapeControls(p.cwd)}`,
    `  parent   ${parentText(p.parent)}`,
    `  rule     ${ruleText(p.rule)}`,
  ];
}

/** "approved k3x9q2 (gh pr merge 7)"; session scope says so. */
export function decisionLine(id: string, decision: Decision, scope: Scope, command: string): string {
  const verb = decision === 'approve' ? 'approved' : 'denied';
  const forSession = decision === 'approve' && scope === 'session' ? ' for the rest of the session' : '';
  return `${verb} ${escapeControls(id)} (${command})${forSession}`;
}

/** A decision taken elsewhere (another admin, the web page), as one line. */
export function decidedElsewhereLine(
  id: string,
  command: string | null,
  d: { decision: Decision; scope: Scope; reason: string | null; approver: Approver | null },
): string {
  const who = d.approver ? `${escapeControls(d.approver.user)} (uid ${d.approver.uid})` : 'an admin';
  const base = decisionLine(id, d.decision, d.scope, command ?? 'not shown here');
  return `${base} by ${who}${d.reason === null ? '' : `: ${escapeControls(d.reason)}`}`;
}

export function closedLine(id: string, command: string | null, how: 'expired' | 'withdrawn'): string {
  const what = how === 'expired' ? 'expired: no admin answered in time, the call was denied' : 'withdrawn: the caller gave up';
  return `${escapeControls(id)}${command === null ? '' : ` (${command})`} ${what}`;
}

function argvLine(argv: readonly string[]): string {
  return argv.length === 0 ? '-' : commandLine(argv[0], argv.slice(1));
}

/** A null parent is the agent itself; otherwise the mediated command that made the call. */
function parentText(parent: string | null): string {
  return parent === null ? '(agent)' : escapeControls(parent);
}

function ruleText(rule: string | null): string {
  return rule === null ? '-' : escapeControls(rule);
}
