import { describe, expect, it } from '@jest/globals';
import { normalizeProfile } from '@shimgate/profile';
import { explainCall } from './explain-report.js';
import { renderExplain } from './explain-text.js';

const profile = normalizeProfile({
  mediation: {
    commands: [
      {
        name: 'gh',
        flags_with_values: ['-R', '--repo'],
        intercept: [
          { args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } },
          { args_prefix: ['pr'], action: { type: 'passthrough' } },
          { args_prefix: ['repo', 'delete'], action: { type: 'deny', message: 'never' } },
        ],
        sandbox: { fs_read: ['/home/a/.config/gh'], network: { block: true } },
        credentials: { GH_TOKEN: { env: 'MY_GH' } },
        caller_policy: { allowed_parents: ['make'] },
      },
    ],
    audit: { commands: ['curl'] },
    approval: { timeout_secs: 60 },
  },
});

describe('explainCall', () => {
  it('names the first matching rule, the later ones that also match, and the admin step', () => {
    const report = explainCall(profile, { command: 'gh', args: ['pr', '--repo', 'o/r', 'merge', '7'], parent: null }, '/usr/bin/gh');
    expect(report).toMatchObject({ outcome: 'act', via: 'rule', rule: 'gh intercept[0] ["pr","merge"]', admin: true, approval_timeout_secs: 60 });
    expect(report.rules.map((r) => r.matches)).toEqual([true, true, false]);
    const text = renderExplain(report, 'p.json');
    expect(text).toContain('rule  0 => ["pr","merge"] → passthrough (admin)   matches first: wins');
    expect(text).toContain('rule  1  ~ ["pr"] → passthrough   matches, but an earlier rule wins');
    expect(text).toContain('only after an admin approves (no answer in 60 s = denied, 126)');
    expect(text).toContain('network blocked');
    expect(text).toContain('execute  its own binary only (and the shims of mediated commands)');
    expect(text).toContain('secret   GH_TOKEN from the supervisor\'s $MY_GH');
  });

  it('shows sandbox.exec, and the agent\'s network.block inherited by a command without its own', () => {
    const blocked = normalizeProfile({
      network: { block: true },
      // tool: null, so the git spec (which needs the session's list of git commands) stays out of it.
      mediation: { commands: [{ name: 'git', tool: null, sandbox: { exec: ['/usr/lib/git-core', '/bin/sh'] } }] },
    });
    const report = explainCall(blocked, { command: 'git', args: ['status'], parent: null }, '/usr/bin/git');
    expect(report.sandbox?.network.block).toBe(true);
    const text = renderExplain(report, 'p');
    expect(text).toContain('execute  its own binary and /usr/lib/git-core, /bin/sh (and the shims of mediated commands)');
    expect(text).toContain('network blocked');
  });

  it('says why a caller is refused', () => {
    const report = explainCall(profile, { command: 'gh', args: ['pr', 'list'], parent: 'git' }, null);
    expect(report).toMatchObject({ outcome: 'refused', exit_code_if_refused: 126 });
    expect(renderExplain(report, 'p')).toContain('REFUSED, exit 126: gh may not be called by git');
  });

  it('falls back to passthrough when no rule matches', () => {
    const report = explainCall(profile, { command: 'gh', args: ['issue', 'list'], parent: null }, '/usr/bin/gh');
    expect(report).toMatchObject({ via: 'default', rule: null, action: { type: 'passthrough' }, admin: false });
    expect(renderExplain(report, 'p')).toContain('no rule matches: default passthrough');
  });

  it('tells audit-only and unmediated commands apart', () => {
    expect(renderExplain(explainCall(profile, { command: 'curl', args: [], parent: null }, null), 'p')).toContain('audit-only');
    const other = explainCall(profile, { command: 'ls', args: [], parent: null }, null);
    expect(other).toMatchObject({ mediated: false, audit_only: false, outcome: 'unknown' });
  });
});

describe('explainCall: tool specs', () => {
  const tools = normalizeProfile({
    mediation: {
      commands: [
        { name: 'tar' },
        { name: 'kubectl', intercept: [{ args_prefix: ['get'], action: { type: 'passthrough' } }, { action: { type: 'deny', message: 'read only' } }] },
      ],
    },
  });

  it('says which spec the command runs under, and its refusal', () => {
    const report = explainCall(tools, { command: 'tar', args: ['-xf', 'a.tar', '--to-c=sh'], parent: null }, '/usr/bin/tar');
    expect(report).toMatchObject({ outcome: 'act', via: 'default', tool: { name: 'tar' }, tool_refusal: expect.stringContaining('"--to-c=…" (--to-command)') });
    const text = renderExplain(report, 'p');
    expect(text).toContain('tool     GNU tar:');
    expect(text).toContain('verdict  REFUSED by the tool spec, exit 126: the tar tool spec refuses "--to-c=…" (--to-command)');
  });

  it('marks the most restrictive rule as the winner when it is not the first match', () => {
    const report = explainCall(tools, { command: 'kubectl', args: ['--unknown', 'get', 'delete', 'pod'], parent: null }, null);
    expect(report).toMatchObject({ rule_index: 1, action: { type: 'deny' } });
    const text = renderExplain(report, 'p');
    expect(text).toContain('rule  0  ~ ["get"] → passthrough   matches, but rule 1 (more restrictive, for another reading of the call) wins');
    expect(text).toContain('rule  1 => [] → deny   the most restrictive match: wins');
  });
});
