import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileInvalidError, ShimgateError } from './errors.js';
import type { ExpansionContext } from './expand.js';
import { BUILTIN_PROFILE_DIR, type ProfileDirs } from './locate.js';
import { MAX_EXTENDS_DEPTH, resolveProfile } from './resolve.js';

const root = mkdtempSync(join(tmpdir(), 'shimgate-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function scratch(files: Record<string, unknown>): string {
  const dir = join(root, `case${(counter += 1)}`);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
}

function context(workdir: string): ExpansionContext {
  return { workdir, home: '/home/agent', uid: 1000, user: 'agent', env: {} };
}

function resolveIn(dir: string, ref: string, dirs?: Partial<ProfileDirs>) {
  return resolveProfile(ref, {
    cwd: dir,
    dirs: { user: dirs?.user ?? join(dir, 'user-profiles'), builtin: dirs?.builtin ?? join(dir, 'builtin') },
    expansion: context('/work/repo'),
  });
}

describe('resolveProfile over an extends graph', () => {
  it('merges a three-level chain with a diamond by the rules of DESIGN §2.2', () => {
    const dir = scratch({
      'base.json': {
        filesystem: { read: ['/usr'], deny: ['~/.ssh'] },
        mediation: {
          commands: [
            {
              name: 'gh',
              intercept: [
                { args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } },
                { args_prefix: ['repo', 'delete'], action: { type: 'deny', message: 'base says no' } },
              ],
              caller_policy: { allowed_parents: ['make', 'git'] },
            },
          ],
          env: { block: ['GH_TOKEN'] },
        },
      },
      'left.json': {
        extends: 'base.json',
        filesystem: { read: ['/opt'] },
        mediation: { commands: [{ name: 'git' }], env: { block: ['GITHUB_TOKEN', 'GH_TOKEN'] } },
      },
      'right.yaml': [
        'extends: ./base.json',
        'network: { block: true }',
        'mediation:',
        '  commands:',
        '    - name: gh',
        '      caller_policy: { agent_allowed: false, allowed_parents: [git, make2] }',
        '',
      ].join('\n'),
      'top.json': {
        extends: ['left.json', 'right.yaml'],
        filesystem: { write: ['$WORKDIR'] },
        mediation: {
          commands: [
            {
              name: 'gh',
              intercept: [{ args_prefix: ['repo', 'delete'], action: { type: 'deny', message: 'top says no' } }],
            },
            { name: 'kubectl' },
          ],
        },
      },
    });
    const { profile, sources } = resolveIn(dir, './top.json');

    expect(sources.map((s) => s.slice(dir.length + 1))).toEqual(['base.json', 'left.json', 'right.yaml', 'top.json']);
    expect(profile.filesystem.read).toEqual(['/usr', '/opt']);
    expect(profile.filesystem.write).toEqual(['/work/repo']);
    expect(profile.filesystem.deny).toEqual(['/home/agent/.ssh']);
    expect(profile.network.block).toBe(true);
    expect(profile.mediation.env.block).toEqual(['GH_TOKEN', 'GITHUB_TOKEN']);
    expect(profile.mediation.commands.map((c) => c.name)).toEqual(['gh', 'git', 'kubectl']);
    const gh = profile.mediation.commands[0]!;
    expect(gh.intercept.map((r) => [r.args_prefix.join(' '), r.action])).toEqual([
      ['repo delete', { type: 'deny', message: 'top says no' }],
      ['pr merge', { type: 'passthrough' }],
    ]);
    expect(gh.intercept[1]!.admin).toBe(true);
    expect(gh.caller_policy).toEqual({ agent_allowed: false, allowed_parents: ['git'] });
  });

  it('keeps a branch\'s overrides in a diamond: the shared base is merged once, first', () => {
    const dir = scratch({
      'base.json': {
        workdir: { access: 'readwrite' },
        mediation: { commands: [{ name: 'gh', intercept: [{ args_prefix: ['pr', 'merge'], action: { type: 'passthrough' } }] }] },
      },
      'strict.json': {
        extends: './base.json',
        workdir: { access: 'read' },
        mediation: {
          commands: [{ name: 'gh', intercept: [{ args_prefix: ['pr', 'merge'], action: { type: 'deny' } }] }],
          approval: { timeout_secs: 30 },
        },
      },
      'paths.json': { extends: './base.json', filesystem: { read: ['/x'] } },
      'top.json': { extends: ['./strict.json', './paths.json'] },
    });
    const { profile, sources } = resolveIn(dir, './top.json');
    expect(sources.map((s) => s.slice(dir.length + 1))).toEqual(['base.json', 'strict.json', 'paths.json', 'top.json']);
    expect(profile.workdir.access).toBe('read');
    expect(profile.mediation.approval.timeout_secs).toBe(30);
    expect(profile.mediation.commands[0]!.intercept.map((r) => r.action.type)).toEqual(['deny']);
    expect(profile.filesystem.read).toEqual(['/x']);
  });

  it('refuses a cycle and prints the chain', () => {
    const dir = scratch({
      'a.json': { extends: './b.json' },
      'b.json': { extends: './c.json' },
      'c.json': { extends: './a.json' },
    });
    let caught: unknown;
    try {
      resolveIn(dir, './a.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ShimgateError);
    expect((caught as ShimgateError).code).toBe('PROFILE_CYCLE');
    const chain = ['a.json', 'b.json', 'c.json', 'a.json'].map((f) => join(dir, f)).join(' → ');
    expect((caught as ShimgateError).message).toContain(chain);
  });

  it(`accepts ${MAX_EXTENDS_DEPTH} extends hops and refuses one more`, () => {
    const files: Record<string, unknown> = { 'p0.json': { meta: { name: 'p0' } } };
    for (let i = 1; i <= MAX_EXTENDS_DEPTH + 1; i += 1) files[`p${i}.json`] = { extends: `./p${i - 1}.json` };
    const dir = scratch(files);
    expect(resolveIn(dir, `./p${MAX_EXTENDS_DEPTH}.json`).profile.meta.name).toBe('p0');
    expect(() => resolveIn(dir, `./p${MAX_EXTENDS_DEPTH + 1}.json`)).toThrow(/deeper than 16/);
  });

  it('looks names up in the user directory before the built-in one', () => {
    const dir = scratch({
      'builtin/base.json': { meta: { name: 'built-in base' } },
      'builtin/other.json': { meta: { name: 'built-in other' } },
      'user-profiles/base.yaml': 'meta: { name: user base }\n',
      'sub/child.json': { extends: ['other', 'base'] },
    });
    expect(resolveIn(dir, 'sub/child.json').profile.meta.name).toBe('user base');
    expect(resolveIn(dir, 'other').profile.meta.name).toBe('built-in other');
  });

  it('resolves relative paths against the extending file, not the current directory', () => {
    const dir = scratch({
      'profiles/team/base.json': { filesystem: { read: ['/team'] } },
      'profiles/team/agent.json': { extends: './base.json' },
    });
    expect(resolveIn(dir, 'profiles/team/agent.json').profile.filesystem.read).toEqual(['/team']);
  });

  it('names the extending file when a base does not exist', () => {
    const dir = scratch({ 'child.json': { extends: ['nope'] } });
    expect(() => resolveIn(dir, './child.json')).toThrow(`${join(dir, 'child.json')}: /extends: no profile named "nope"`);
  });

  it('reports a schema error in a base with that base file named', () => {
    const dir = scratch({
      'base.json': { mediation: { comands: [] } },
      'child.json': { extends: './base.json' },
    });
    let caught: unknown;
    try {
      resolveIn(dir, './child.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProfileInvalidError);
    expect((caught as ProfileInvalidError).issues[0]!.file).toBe(join(dir, 'base.json'));
    expect((caught as ProfileInvalidError).message).toContain('did you mean "commands"?');
  });

  it('resolves the built-in default profile', () => {
    const dir = scratch({});
    const { profile } = resolveIn(dir, 'default', { builtin: BUILTIN_PROFILE_DIR });
    expect(profile.meta.name).toBe('default');
    expect(profile.filesystem.write).toEqual(['/work/repo']); // a private /tmp; $HOME by allow-list
    expect(profile.filesystem.deny).toContain('/home/agent/.ssh/'); // a dir: a trailing /
    expect(profile.filesystem.deny).toContain('/home/agent/.config/gh/');
    expect(profile.mediation.env.block).toEqual(expect.arrayContaining(['GH_TOKEN', 'GITHUB_TOKEN', 'AWS_*']));
  });
});
