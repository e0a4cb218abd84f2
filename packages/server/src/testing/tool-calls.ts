// Table-test helpers for the tool specs: a command under a spec with some rules, and what decide()
// and hardenCall() make of a call written as one string (split on spaces).
import { normalizeProfile, type InterceptRule, type ToolName } from '@shimgate/profile';
import { decide } from '../policy/decide.js';
import { hardenCall, type ToolFacts } from '../policy/tools/hardening.js';
import { TOOL_SPECS } from '../policy/tools/index.js';

export const argv = (line: string): string[] => (line === '' ? [] : line.split(' '));

/** "deny", "admin", "approve", "capture", "respond", "passthrough" or "default": what decides the call. */
export function verdict(tool: ToolName, rules: InterceptRule[], line: string): string {
  const profile = normalizeProfile({ mediation: { commands: [{ name: tool, intercept: rules }] } });
  const d = decide({ command: tool, args: argv(line), parent: null }, profile);
  if (d.kind !== 'act') return d.kind;
  if (d.via === 'default') return 'default';
  return d.admin ? 'admin' : d.action.type;
}

/** The refusal reason, or "ok: " and the argv the real binary would get. */
export function hardened(tool: ToolName, line: string, facts: ToolFacts = { gitCommands: new Set() }): string {
  const r = hardenCall(TOOL_SPECS.get(tool)!, argv(line), facts);
  return 'refuse' in r ? r.refuse : `ok: ${r.args.join(' ')}`;
}

export const deny = (args_prefix: string[], args_must_include?: string[]): InterceptRule =>
  ({ args_prefix, ...(args_must_include ? { args_must_include } : {}), action: { type: 'deny' } });
export const allow = (args_prefix: string[]): InterceptRule => ({ args_prefix, action: { type: 'passthrough' } });
export const admin = (args_prefix: string[]): InterceptRule => ({ args_prefix, admin: true, action: { type: 'passthrough' } });
