// How rules see git calls under the git tool spec: the reading of git's own options, subcommand
// classes, and the bypasses seen in the wild (DESIGN §4.5). Pure table tests.
import { describe, expect, it } from '@jest/globals';
import { allow, deny, verdict } from '../../testing/tool-calls.js';

describe('git: a deny rule on push sees every way to write a push', () => {
  const rules = [deny(['push'])];
  it.each<[string, string]>([
    ['push', 'deny'],
    ['push origin main', 'deny'],
    ['-C log push', 'deny'], // -C takes "log": the subcommand is push
    ['-C log log', 'default'],
    ['-C push log', 'default'], // a directory named push
    ['-c x=y push', 'deny'],
    ['-c push log', 'default'], // -c takes "push" (git refuses the key later)
    ['--git-dir x push', 'deny'],
    ['--git-dir=x push', 'deny'],
    ['--work-tree /w --namespace ns push', 'deny'],
    ['--namespace push log', 'default'],
    ['--no-pager -P -p --bare --literal-pathspecs push', 'deny'],
    ['--config-env=a.b=C push', 'deny'],
    ['--config-env a.b=C push', 'deny'],
    ['send-pack https://x/r main', 'deny'], // class push
    ['http-push https://x/r', 'deny'],
    ['remote-https origin https://x/r', 'deny'], // a remote helper pushes too
    ['log -- push', 'default'],
    ['log push', 'default'],
    ['status', 'default'],
  ])('git %s → %s', (line, expected) => {
    expect(verdict('git', rules, line)).toBe(expected);
  });
});

describe('git: classes reach fetch rules too', () => {
  it.each<[string, string]>([
    ['fetch origin', 'deny'],
    ['fetch-pack https://x/r', 'deny'],
    ['upload-pack .', 'deny'],
    ['receive-pack .', 'deny'],
    ['remote-http origin http://x/r', 'deny'],
    ['pull', 'default'],
  ])('git %s → %s', (line, expected) => {
    expect(verdict('git', [deny(['fetch'])], line)).toBe(expected);
  });
});

describe('git: subcommand options are read with the subcommand\'s table', () => {
  const rules = [deny(['push', 'origin', 'main']), allow(['push', 'origin']), deny([])];
  it.each<[string, string]>([
    ['push origin main', 'deny'],
    ['push --force origin main', 'deny'],
    ['push -o ci.skip origin main', 'deny'], // -o takes a value
    ['push --push-option=x origin main', 'deny'],
    ['push origin feature', 'passthrough'],
    ['push --force origin feature', 'passthrough'], // --force takes nothing: one reading
    ['push -fu origin feature', 'passthrough'],
    ['push --unknown origin feature', 'deny'], // unknown option: it may take "origin" (git refuses it anyway)
    ['push --repo origin main', 'deny'], // --repo takes "origin": push main → the catch-all deny
    ['push', 'deny'],
  ])('git %s → %s', (line, expected) => {
    expect(verdict('git', rules, line)).toBe(expected);
  });
});

describe('git: an allow-list stays closed', () => {
  const rules = [allow(['status']), allow(['log']), allow(['commit']), deny([])];
  it.each<[string, string]>([
    ['status', 'passthrough'],
    ['-C sub log --oneline', 'passthrough'],
    ['-C status push', 'deny'],
    ['commit -m push', 'passthrough'],
    ['send-pack x', 'deny'],
    ['--help', 'deny'],
    ['', 'deny'],
  ])('git %s → %s', (line, expected) => {
    expect(verdict('git', rules, line)).toBe(expected);
  });
});

describe('git: "tool": null reads git like any command (flags_with_values only)', () => {
  it('-C log push is read both ways without the spec, and the deny still wins', async () => {
    const { normalizeProfile } = await import('@shimgate/profile');
    const { decide } = await import('../decide.js');
    const profile = normalizeProfile({ mediation: { commands: [{ name: 'git', tool: null, intercept: [deny(['log']), allow(['push'])] }] } });
    expect(profile.mediation.commands[0]!.tool).toBeNull();
    const d = decide({ command: 'git', args: ['-C', 'log', 'push'], parent: null }, profile);
    expect(d.kind === 'act' && d.action.type).toBe('deny'); // "-C takes nothing" reads log: the most restrictive wins
  });
});
