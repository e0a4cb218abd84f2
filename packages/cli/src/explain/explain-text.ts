// The human rendering of an ExplainReport: short labelled lines a security team can read top-down.
import type { Action } from '@shimgate/profile';
import type { ExplainReport } from './explain-report.js';

export function renderExplain(report: ExplainReport, profileLabel: string): string {
  const { call } = report;
  const caller = call.parent === null ? 'the agent' : `mediated command ${call.parent}`;
  const lines = [`profile  ${profileLabel}`, `call     ${[call.command, ...call.args].map(quote).join(' ')}   (caller: ${caller})`];
  if (!report.mediated) {
    lines.push(
      report.audit_only
        ? `verdict  not mediated: ${call.command} is audit-only here; the call is logged and the real binary runs directly`
        : `verdict  not mediated: ${call.command} is not in this profile's mediation.commands; the agent runs it directly (inside the agent sandbox)`,
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(`binary   ${report.binary ?? 'none found on PATH (a call would exit 127)'}`);
  lines.push(`callers  ${describeCallers(report)}`);
  if (report.tool !== null) lines.push(`tool     ${report.tool.summary}`);
  const winner = report.via === 'rule' ? (report.rule_index ?? -1) : -1;
  for (const rule of report.rules) {
    const first = rule.index === winner;
    const mark = first ? '=> ' : rule.matches ? ' ~ ' : '   ';
    const extra = rule.args_must_include.length > 0 ? ` must include ${JSON.stringify(rule.args_must_include)}` : '';
    const later = winner > rule.index ? `   matches, but rule ${winner} (more restrictive, for another reading of the call) wins` : '   matches, but an earlier rule wins';
    const note = first ? (report.rules.slice(0, rule.index).some((r) => r.matches) ? '   the most restrictive match: wins' : '   matches first: wins') : rule.matches ? (winner >= 0 ? later : '   matches') : '';
    lines.push(`rule ${String(rule.index).padStart(2)} ${mark}${JSON.stringify(rule.args_prefix)}${extra} → ${rule.action}${rule.admin ? ' (admin)' : ''}${note}`);
  }
  if (report.outcome === 'refused') {
    lines.push(`verdict  REFUSED, exit 126: ${report.reason}`);
    return `${lines.join('\n')}\n`;
  }
  const how = report.via === 'allow_commands' ? `the parent ${call.parent} lists it in allow_commands: runs directly, no intercepts` : report.via === 'rule' ? `rule ${report.rule}` : 'no rule matches: default passthrough';
  lines.push(`matched  ${how}`);
  if (report.tool_refusal !== null) {
    lines.push(`verdict  REFUSED by the tool spec, exit 126: ${report.tool_refusal}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`verdict  ${describeAction(report.action as Action)}${report.admin ? `, only after an admin approves (no answer in ${report.approval_timeout_secs} s = denied, 126)` : ''}`);
  if (runsBinary(report.action as Action)) {
    const sb = report.sandbox!;
    lines.push(`sandbox  read the system${list(sb.fs_read, sb.fs_read_file, ' and ')}; write ${list(sb.fs_write, sb.fs_write_file, '') || 'nothing'}; network ${sb.network.block ? 'blocked' : `open${sb.network.allowed_hosts.length ? ` (hosts ${sb.network.allowed_hosts.join(', ')})` : ''}`}`);
    lines.push(`execute  its own binary${sb.exec.length > 0 ? ` and ${sb.exec.join(', ')}` : ' only'} (and the shims of mediated commands)`);
    if (sb.allow_commands.length > 0) lines.push(`children ${sb.allow_commands.join(', ')} run directly when this command calls them`);
    for (const c of report.credentials) lines.push(`secret   ${c.name} from ${c.source}, injected by the server (the agent never sees it)`);
  }
  for (const warning of report.warnings) lines.push(`WARNING  ${warning}`);
  return `${lines.join('\n')}\n`;
}

function describeCallers(report: ExplainReport): string {
  const policy = report.caller_policy!;
  const parents = policy.allowed_parents === null ? 'any mediated command' : policy.allowed_parents.length === 0 ? 'no mediated command' : policy.allowed_parents.join(', ');
  return `${policy.agent_allowed ? 'the agent' : 'not the agent'}; parents: ${parents}`;
}

function describeAction(action: Action): string {
  switch (action.type) {
    case 'passthrough': return 'PASSTHROUGH: the real binary runs on the caller\'s stdio';
    case 'approve': return `APPROVE: ${action.script ? `the script ${JSON.stringify(action.script)} runs` : 'the real binary runs'}`;
    case 'capture': return `CAPTURE: ${action.script ? `the script ${JSON.stringify(action.script)}` : 'the real binary'} runs; its output is kept by the server and the caller gets a shimgate_… nonce`;
    case 'respond': return `RESPOND: nothing runs; stdout ${JSON.stringify(action.stdout ?? '')}, exit ${action.exit_code ?? 0}`;
    case 'deny': return `DENY, exit ${action.exit_code ?? 126}: ${action.message ?? 'refused by the profile'}`;
  }
}

function runsBinary(action: Action): boolean {
  return action.type === 'passthrough' || action.type === 'approve' || action.type === 'capture';
}

function list(dirs: string[], files: string[], lead: string): string {
  const all = [...dirs, ...files];
  return all.length === 0 ? '' : `${lead}${all.join(', ')}`;
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
