// What the server does with one mediated call (DESIGN §4.2). Pure: no I/O, no module state.
//
// Order, exactly:
//   1. unknown command                       → { kind: 'unknown' }   (the shim exits 127)
//   2. caller gate (agent_allowed / allowed_parents)          → { kind: 'refused' } (126)
//   3. the parent command's sandbox.allow_commands lists it    → act via 'allow_commands', passthrough,
//      no intercepts, no admin
//   4. intercept rules, first match wins                       → act via 'rule'
//   5. otherwise                                               → act via 'default', passthrough
// Step 4 reads the args the way the command's tool reads them (normalize-args.ts: its tool spec, or
// flags_with_values). Where the call can be read more than one way, each reading gets its first
// matching rule (or the default) and the most restrictive of those wins:
//   deny > admin/approve > capture/respond > passthrough
// so neither an allow-list nor a deny rule fails open on an ambiguous flag or abbreviation.
// 'approve' actions and admin: true are returned as they are: running approvals is the caller's job.

import type { Action, ResolvedCommand, ResolvedProfile, ResolvedRule } from '@shimgate/profile';
import { firstMatches, mustIncludeHolds, NO_RULE } from './intercept-matcher.js';
import { normalizeArgs } from './normalize-args.js';
import { toolSpecFor } from './tools/index.js';

export interface Call {
  /** The mediated command's name (argv[0]'s basename). */
  command: string;
  /** argv without argv[0]. */
  args: readonly string[];
  /** The mediated command whose sandbox made this call, or null when the agent itself made it. */
  parent: string | null;
}

export interface DecidedRule {
  index: number;
  args_prefix: string[];
  /** For logs and messages: `gh intercept[1] ["pr","merge"]`. */
  label: string;
}

export type Decision =
  | { kind: 'unknown'; reason: string }
  | { kind: 'refused'; reason: string }
  | {
      kind: 'act';
      via: 'rule' | 'default' | 'allow_commands';
      action: Action;
      admin: boolean;
      rule: DecidedRule | null;
    };

export type DecisionProfile = Pick<ResolvedProfile, 'mediation'>;

export function decide(call: Call, profile: DecisionProfile): Decision {
  const command = findCommand(profile, call.command);
  if (command === undefined) {
    return { kind: 'unknown', reason: `${call.command} is not a mediated command of this profile` };
  }

  const refusal = callerRefusal(command, call.parent);
  if (refusal !== null) return { kind: 'refused', reason: refusal };

  if (call.parent !== null) {
    const parent = findCommand(profile, call.parent);
    if (parent !== undefined && parent.sandbox.allow_commands.includes(command.name)) {
      return { kind: 'act', via: 'allow_commands', action: { type: 'passthrough' }, admin: false, rule: null };
    }
  }

  const index = decidingRule(command, call.args);
  const matched = command.intercept[index];
  if (matched !== undefined) {
    return {
      kind: 'act',
      via: 'rule',
      action: { ...matched.action },
      admin: matched.admin,
      rule: { index, args_prefix: [...matched.args_prefix], label: ruleLabel(command.name, index, matched.args_prefix) },
    };
  }

  return { kind: 'act', via: 'default', action: { type: 'passthrough' }, admin: false, rule: null };
}

/** The rule that decides the call (NO_RULE: the default), the most restrictive over its readings. */
export function decidingRule(command: ResolvedCommand, args: readonly string[]): number {
  const rules = command.intercept;
  const reading = normalizeArgs(toolSpecFor(command), args, command.flags_with_values);
  // Too many readings to list: any rule that can match at all may be the one.
  const found = firstMatches(reading, rules) ?? [NO_RULE, ...rules.flatMap((r, i) => (mustIncludeHolds(reading, r.args_must_include) ? [i] : []))];
  // Most restrictive first; between equals, the earliest rule (the default last), as first-match would.
  const order = (i: number): number => (i === NO_RULE ? rules.length : i);
  let best = found[0] ?? NO_RULE;
  for (const index of found) {
    const [a, b] = [restrictiveness(rules[index]), restrictiveness(rules[best])];
    if (a > b || (a === b && order(index) < order(best))) best = index;
  }
  return best;
}

/** deny 3 > admin/approve 2 > capture/respond 1 > passthrough 0; no rule = the default, passthrough. */
export function restrictiveness(rule: ResolvedRule | undefined): number {
  if (rule === undefined) return 0;
  if (rule.action.type === 'deny') return 3;
  if (rule.admin || rule.action.type === 'approve') return 2;
  return rule.action.type === 'passthrough' ? 0 : 1;
}

export function ruleLabel(command: string, index: number, argsPrefix: readonly string[]): string {
  return `${command} intercept[${index}] ${JSON.stringify(argsPrefix)}`;
}

function findCommand(profile: DecisionProfile, name: string): ResolvedCommand | undefined {
  return profile.mediation.commands.find((c) => c.name === name);
}

/** Null when the caller may call the command, else the reason naming command, caller and rule. */
function callerRefusal(command: ResolvedCommand, parent: string | null): string | null {
  const policy = command.caller_policy;
  if (parent === null) {
    return policy.agent_allowed
      ? null
      : `${command.name} may not be called by the agent (caller_policy.agent_allowed is false)`;
  }
  const allowed = policy.allowed_parents;
  if (allowed === null || allowed.includes(parent)) return null;
  return `${command.name} may not be called by ${parent} (caller_policy.allowed_parents is [${allowed.join(', ')}])`;
}
