import { describe, expect, it } from '@jest/globals';
import type { Action, ResolvedCommand, ResolvedRule } from '@shimgate/profile';
import { decide, ruleLabel } from './decide.js';
import type { Decision, DecisionProfile } from './decide.js';

// ---- fixtures ------------------------------------------------------------------------------------

function command(name: string, over: Partial<ResolvedCommand> = {}): ResolvedCommand {
  return {
    name,
    binary_path: null,
    flags_with_values: [],
    tool: null,
    intercept: [],
    sandbox: {
      fs_read: [], fs_read_file: [], fs_write: [], fs_write_file: [], exec: [],
      network: { block: false, allowed_hosts: [] },
      allow_commands: [],
      landlock: 'required',
      env_pass: [],
    },
    credentials: {},
    caller_policy: { agent_allowed: true, allowed_parents: null },
    ...over,
  };
}

const rule = (args_prefix: string[], action: Action, extra: Partial<ResolvedRule> = {}): ResolvedRule =>
  ({ args_prefix, args_must_include: [], admin: false, action, ...extra });

const callers = (agent_allowed: boolean, allowed_parents: string[] | null) => ({ caller_policy: { agent_allowed, allowed_parents } });
const allowing = (name: string, allow_commands: string[]): ResolvedCommand => {
  const c = command(name);
  return { ...c, sandbox: { ...c.sandbox, allow_commands } };
};

function profile(...commands: ResolvedCommand[]): DecisionProfile {
  return { mediation: { commands, env: { block: [] }, audit: { commands: [] }, approval: { timeout_secs: 300 } } };
}

const PASS: Action = { type: 'passthrough' };
const DEFAULT: Decision = { kind: 'act', via: 'default', action: PASS, admin: false, rule: null };
const VIA_ALLOW: Decision = { kind: 'act', via: 'allow_commands', action: PASS, admin: false, rule: null };

const ghRules = [
  rule(['auth', 'token'], { type: 'capture' }),
  rule(['pr', 'merge'], { type: 'passthrough' }, { admin: true }),
  rule(['repo', 'delete'], { type: 'deny', message: 'never' }),
  rule(['pr'], { type: 'approve', script: 'echo hi' }),
  rule(['auth', 'status'], { type: 'respond', stdout: 'Logged in\n', exit_code: 0 }),
];
const gh = command('gh', { flags_with_values: ['-R', '--repo'], intercept: ghRules });

// ---- tables --------------------------------------------------------------------------------------

describe('decide: unknown and caller gate', () => {
  it.each<[string, DecisionProfile, string, string | null, Decision]>([
    ['unknown command', profile(gh), 'curl', null, { kind: 'unknown', reason: 'curl is not a mediated command of this profile' }],
    ['unknown even with a known parent', profile(gh), 'curl', 'gh', { kind: 'unknown', reason: 'curl is not a mediated command of this profile' }],
    ['no commands at all', profile(), 'gh', null, { kind: 'unknown', reason: 'gh is not a mediated command of this profile' }],
    ['agent_allowed true, agent calls', profile(command('gh', callers(true, null))), 'gh', null, DEFAULT],
    ['agent_allowed false, agent calls', profile(command('gh', callers(false, null))), 'gh', null,
      { kind: 'refused', reason: 'gh may not be called by the agent (caller_policy.agent_allowed is false)' }],
    ['agent_allowed false, a parent calls (parents null = any)', profile(command('gh', callers(false, null))), 'gh', 'make', DEFAULT],
    ['allowed_parents null, any parent', profile(command('gh', callers(true, null))), 'gh', 'make', DEFAULT],
    ['allowed_parents [], no parent may', profile(command('gh', callers(true, []))), 'gh', 'git',
      { kind: 'refused', reason: 'gh may not be called by git (caller_policy.allowed_parents is [])' }],
    ['allowed_parents [], the agent still may', profile(command('gh', callers(true, []))), 'gh', null, DEFAULT],
    ['allowed_parents list hit', profile(command('gh', callers(false, ['git', 'make']))), 'gh', 'make', DEFAULT],
    ['allowed_parents list miss', profile(command('gh', callers(true, ['git']))), 'gh', 'make',
      { kind: 'refused', reason: 'gh may not be called by make (caller_policy.allowed_parents is [git])' }],
    ['allowed_parents list miss names every entry', profile(command('gh', callers(true, ['git', 'npm']))), 'gh', 'make',
      { kind: 'refused', reason: 'gh may not be called by make (caller_policy.allowed_parents is [git, npm])' }],
    ['the gate comes before allow_commands', profile(command('git', callers(true, [])), allowing('gh', ['git'])), 'git', 'gh',
      { kind: 'refused', reason: 'git may not be called by gh (caller_policy.allowed_parents is [])' }],
  ])('%s', (_, prof, cmd, parent, expected) => {
    expect(decide({ command: cmd, args: [], parent }, prof)).toStrictEqual(expected);
  });
});

describe('decide: allow_commands of the parent', () => {
  const git = command('git', { intercept: [rule(['push'], { type: 'deny', message: 'no' }, { admin: true })] });
  it.each<[string, DecisionProfile, string | null, Decision]>([
    ['parent lists the command: passthrough, intercepts skipped', profile(git, allowing('gh', ['git'])), 'gh', VIA_ALLOW],
    ['parent lists other commands only', profile(git, allowing('gh', ['npm'])), 'gh',
      { kind: 'act', via: 'rule', action: { type: 'deny', message: 'no' }, admin: true,
        rule: { index: 0, args_prefix: ['push'], label: 'git intercept[0] ["push"]' } }],
    ['the agent has no allow_commands', profile(git, allowing('gh', ['git'])), null,
      { kind: 'act', via: 'rule', action: { type: 'deny', message: 'no' }, admin: true,
        rule: { index: 0, args_prefix: ['push'], label: 'git intercept[0] ["push"]' } }],
    ['parent not a mediated command: no allow_commands', profile(git), 'make',
      { kind: 'act', via: 'rule', action: { type: 'deny', message: 'no' }, admin: true,
        rule: { index: 0, args_prefix: ['push'], label: 'git intercept[0] ["push"]' } }],
  ])('%s', (_, prof, parent, expected) => {
    expect(decide({ command: 'git', args: ['push'], parent }, prof)).toStrictEqual(expected);
  });
});

describe('decide: intercept rules and default', () => {
  const act = (index: number, action: Action, admin = false): Decision => ({
    kind: 'act', via: 'rule', action, admin,
    rule: { index, args_prefix: ghRules[index]!.args_prefix, label: ruleLabel('gh', index, ghRules[index]!.args_prefix) },
  });
  it.each<[string, string[], Decision]>([
    ['capture', ['auth', 'token'], act(0, { type: 'capture' })],
    ['admin passthrough returned as is', ['pr', 'merge', '7'], act(1, { type: 'passthrough' }, true)],
    ['flags do not hide the rule', ['-R', 'o/r', 'pr', '--squash', 'merge'], act(1, { type: 'passthrough' }, true)],
    ['deny', ['repo', 'delete', 'x'], act(2, { type: 'deny', message: 'never' })],
    ['first match wins: pr merge is rule 1, not the later [pr]', ['pr', 'merge'], act(1, { type: 'passthrough' }, true)],
    ['approve returned as is', ['pr', 'list'], act(3, { type: 'approve', script: 'echo hi' })],
    ['respond', ['auth', 'status'], act(4, { type: 'respond', stdout: 'Logged in\n', exit_code: 0 })],
    ['no match: default passthrough', ['issue', 'list'], DEFAULT],
    ['no args: default passthrough', [], DEFAULT],
  ])('%s', (_, args, expected) => {
    expect(decide({ command: 'gh', args, parent: null }, profile(gh))).toStrictEqual(expected);
  });

  it('labels a rule with its command, index and prefix', () => {
    const d = decide({ command: 'gh', args: ['pr', 'merge'], parent: null }, profile(gh));
    expect(d.kind === 'act' && d.rule?.label).toBe('gh intercept[1] ["pr","merge"]');
  });

  it('an empty-prefix rule catches every call; args_must_include is honoured', () => {
    const c = command('kubectl', {
      flags_with_values: ['--context'],
      intercept: [rule(['delete'], { type: 'deny' }, { args_must_include: ['prod'] }), rule([], { type: 'capture' })],
    });
    const kinds = (args: string[]) => {
      const d = decide({ command: 'kubectl', args, parent: null }, profile(c));
      return d.kind === 'act' ? [d.via, d.rule?.index, d.action.type] : [d.kind];
    };
    expect(kinds(['--context=prod', 'delete', 'pod'])).toEqual(['rule', 0, 'deny']);
    expect(kinds(['--context', 'dev', 'delete', 'pod'])).toEqual(['rule', 1, 'capture']);
    expect(kinds(['get', 'pods'])).toEqual(['rule', 1, 'capture']);
  });

  it('returns copies: changing a decision never changes the profile', () => {
    const prof = profile(gh);
    const d = decide({ command: 'gh', args: ['repo', 'delete'], parent: null }, prof);
    if (d.kind !== 'act' || d.rule === null) throw new Error('expected a rule decision');
    (d.action as { message?: string }).message = 'changed';
    d.rule.args_prefix.push('x');
    expect(ghRules[2]).toStrictEqual(rule(['repo', 'delete'], { type: 'deny', message: 'never' }));
  });
});

describe('decide: where readings disagree, the most restrictive wins (DESIGN §4.2)', () => {
  const kind = (c: ResolvedCommand, args: string[]): string => {
    const d = decide({ command: c.name, args, parent: null }, profile(c));
    return d.kind !== 'act' ? d.kind : `${d.via}${d.rule ? ` ${d.rule.index}` : ''} ${d.admin ? 'admin ' : ''}${d.action.type}`;
  };

  it.each<[string, ResolvedRule[], string, string]>([
    // without a spec, --cache-dir may or may not take "get": an allow-list must not fail open
    ['allow-list, unlisted value flag', [rule(['get'], PASS), rule([], { type: 'deny' })], '--cache-dir get delete pod', 'rule 1 deny'],
    ['an earlier passthrough does not shadow a deny of another reading', [rule(['status'], PASS), rule(['push'], { type: 'deny' })], '--x status push', 'rule 1 deny'],
    ['admin beats respond', [rule(['a'], { type: 'respond' }), rule(['b'], PASS, { admin: true })], '-f a b', 'rule 1 admin passthrough'],
    ['approve beats capture', [rule(['a'], { type: 'capture' }), rule(['b'], { type: 'approve' })], '-f a b', 'rule 1 approve'],
    ['capture beats the default', [rule(['b'], { type: 'capture' })], '-f a b', 'rule 0 capture'],
    ['equals: the earlier rule', [rule(['a'], { type: 'capture' }), rule(['b'], { type: 'respond' })], '-f a b', 'rule 0 capture'],
    ['a rule beats the default when both pass through', [rule(['b'], PASS)], '-f a b', 'rule 0 passthrough'],
    ['one reading: first match wins as ever', [rule(['pr'], PASS), rule(['pr'], { type: 'deny' })], 'pr', 'rule 0 passthrough'],
  ])('%s', (_, intercept, line, expected) => {
    expect(kind(command('x', { intercept }), line.split(' '))).toBe(expected);
  });

  it('too ambiguous to read: every rule that could match counts', () => {
    const args = [...Array.from({ length: 30 }, (_, i) => [`-f${i}`, `w${i}`]).flat(), 'ok'];
    const c = command('x', { intercept: [rule(['ok'], PASS), rule(['w0', 'w1', 'w2', 'w3'], { type: 'deny' }, { args_must_include: ['absent'] }), rule(['zz'], { type: 'capture' })] });
    expect(kind(c, args)).toBe('rule 2 capture');
  });

  it('reads args with the command\'s tool spec: git -C takes its value', () => {
    const git = (tool: 'git' | null) => command('git', { tool, intercept: [rule(['log'], PASS), rule([], { type: 'deny' })] });
    expect(kind(git('git'), ['-C', 'log', 'push'])).toBe('rule 1 deny');
    expect(kind(git('git'), ['-C', 'push', 'log'])).toBe('rule 0 passthrough');
    expect(kind(git(null), ['-C', 'push', 'log'])).toBe('rule 1 deny'); // no spec: "-C" may take nothing, then push is first
  });
});
