// What `shimgate explain` says about one call: which rule matches, what runs, under which sandbox,
// and why. Pure: the profile, the call and the binary lookup come in; a report object goes out.
import { credentialWarnings, type Action, type ResolvedCommand, type ResolvedProfile } from '@shimgate/profile';
import { decide, hardenCall, normalizeArgs, NO_TOOL_FACTS, ruleMatchesReading, toolSpecFor, type ToolFacts } from '@shimgate/server';

export interface ExplainCall {
  command: string;
  args: string[];
  parent: string | null;
}

export interface ExplainReport {
  call: ExplainCall;
  mediated: boolean;
  audit_only: boolean;
  outcome: 'unknown' | 'refused' | 'act';
  exit_code_if_refused: number | null;
  reason: string | null;
  via: 'rule' | 'default' | 'allow_commands' | null;
  rule: string | null;
  /** The deciding rule's index (the most restrictive over the call's readings), null for none. */
  rule_index: number | null;
  /** The built-in tool spec the command runs under (README "Tool specs"), and its summary. */
  tool: { name: string; summary: string } | null;
  /** Why the tool spec refuses the call before its binary would run, if it does. */
  tool_refusal: string | null;
  action: Action | null;
  admin: boolean;
  approval_timeout_secs: number | null;
  binary: string | null;
  caller_policy: ResolvedCommand['caller_policy'] | null;
  /** The command's sandbox as it runs: network.block includes the agent's, which it inherits. */
  sandbox: ResolvedCommand['sandbox'] | null;
  credentials: { name: string; source: string }[];
  rules: { index: number; args_prefix: string[]; args_must_include: string[]; admin: boolean; action: string; matches: boolean }[];
  /** Where this command's credentials can reach agent-steered code (credentialWarnings). */
  warnings: string[];
}

export function explainCall(
  profile: ResolvedProfile,
  call: ExplainCall,
  binary: string | null,
  toolFacts: ToolFacts = NO_TOOL_FACTS,
): ExplainReport {
  const command = profile.mediation.commands.find((c) => c.name === call.command) ?? null;
  const decision = decide(call, profile);
  const spec = command === null ? null : toolSpecFor(command);
  const reading = normalizeArgs(spec, call.args, command?.flags_with_values ?? []);
  const hardened = spec !== null && decision.kind === 'act' && runsBinary(decision.action) ? hardenCall(spec, call.args, toolFacts) : null;
  const act = decision.kind === 'act' ? decision : null;
  const needsAdmin = act !== null && (act.admin || act.action.type === 'approve');
  return {
    call,
    mediated: command !== null,
    audit_only: command === null && profile.mediation.audit.commands.includes(call.command),
    outcome: decision.kind,
    exit_code_if_refused: decision.kind === 'act' ? null : decision.kind === 'unknown' ? 127 : 126,
    reason: decision.kind === 'act' ? null : decision.reason,
    via: act?.via ?? null,
    rule: act?.rule?.label ?? null,
    rule_index: act?.rule?.index ?? null,
    tool: spec === null ? null : { name: spec.name, summary: spec.summary },
    tool_refusal: hardened !== null && 'refuse' in hardened ? hardened.refuse : null,
    action: act?.action ?? null,
    admin: needsAdmin,
    approval_timeout_secs: needsAdmin ? profile.mediation.approval.timeout_secs : null,
    binary: command ? binary : null,
    caller_policy: command?.caller_policy ?? null,
    sandbox: command ? effectiveSandbox(command.sandbox, profile.network.block) : null,
    credentials: command ? Object.entries(command.credentials).map(([name, src]) => ({ name, source: describeSource(src) })) : [],
    rules: (command?.intercept ?? []).map((rule, index) => ({
      index,
      args_prefix: rule.args_prefix,
      args_must_include: rule.args_must_include,
      admin: rule.admin,
      action: rule.action.type,
      matches: ruleMatchesReading(reading, rule),
    })),
    warnings: credentialWarnings(profile).filter((w) => w.startsWith(`mediation.commands "${call.command}"`)),
  };
}

function runsBinary(action: Action): boolean {
  return action.type === 'passthrough' || ((action.type === 'approve' || action.type === 'capture') && action.script === undefined);
}

function describeSource(source: ResolvedCommand['credentials'][string]): string {
  if ('file' in source) return `file ${source.file}`;
  if ('env' in source) return `the supervisor's $${source.env}`;
  return `command ${JSON.stringify(source.command)}`;
}

/** A command without network of its own inherits the agent's network.block (exec-helper-argv.ts). */
function effectiveSandbox(sandbox: ResolvedCommand['sandbox'], agentBlocked: boolean): ResolvedCommand['sandbox'] {
  return { ...sandbox, network: { ...sandbox.network, block: sandbox.network.block || agentBlocked } };
}
