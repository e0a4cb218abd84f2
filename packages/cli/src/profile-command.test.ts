import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shimgate } from './testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'shimgate-cli-profile-'));
const configHome = join(root, 'config');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, body: unknown): string {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return path;
}

const env = { XDG_CONFIG_HOME: configHome, HOME: '/home/tester' };

describe('shimgate --help / --version', () => {
  it('prints the version from the cli package', () => {
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    const r = shimgate(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('lists the profile command in --help', () => {
    const r = shimgate(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/shimgate profile/);
  });

  it('refuses an unknown command with exit 2', () => {
    const r = shimgate(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument|Unknown command/i);
  });
});

describe('shimgate profile show', () => {
  it('prints the merged, expanded result of a three-level chain with a diamond', () => {
    write('chain/base.json', {
      filesystem: { read: ['/usr'], write: ['$WORKDIR'], deny: ['~/.ssh'] },
      mediation: { commands: [{ name: 'gh', caller_policy: { allowed_parents: ['git', 'make'] } }] },
    });
    write('chain/left.json', { extends: 'base.json', network: { block: true } });
    write('chain/right.yaml', 'extends: base.json\nmediation:\n  commands:\n    - name: gh\n      caller_policy: { allowed_parents: [make] }\n');
    const top = write('chain/top.json', { extends: ['./left.json', './right.yaml'], meta: { name: 'top' } });

    const r = shimgate(['profile', 'show', top, '--workdir', '/srv/repo', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const profile = JSON.parse(r.stdout);
    expect(profile.meta.name).toBe('top');
    expect(profile.filesystem.read).toEqual(['/usr']);
    expect(profile.filesystem.write).toEqual(['/srv/repo']);
    expect(profile.filesystem.deny).toEqual(['/home/tester/.ssh']);
    expect(profile.network.block).toBe(true);
    expect(profile.mediation.commands).toHaveLength(1);
    expect(profile.mediation.commands[0].caller_policy).toEqual({ agent_allowed: true, allowed_parents: ['make'] });
    expect(profile).not.toHaveProperty('extends');
  });

  it('prints a readable view with the files merged, without --json', () => {
    const r = shimgate(['profile', 'show', 'default', '--workdir', '/srv/repo'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# resolved from/);
    expect(r.stdout).toContain('profiles/default.json');
    expect(r.stdout).toContain('- /srv/repo');
  });

  it('exits 1 and prints the chain on a cycle', () => {
    write('cycle/a.json', { extends: './b.json' });
    write('cycle/b.json', { extends: './a.json' });
    const r = shimgate(['profile', 'show', join(root, 'cycle/a.json')], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(root, 'cycle/a.json')} → ${join(root, 'cycle/b.json')} → ${join(root, 'cycle/a.json')}`);
  });

  it('exits 1 with a did-you-mean on a misspelt key', () => {
    const file = write('typo.json', { mediation: { commands: [{ name: 'gh', caller_policy: { agent_alowed: false } }] } });
    const r = shimgate(['profile', 'show', file], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/mediation/commands/0/caller_policy/agent_alowed');
    expect(r.stderr).toContain('did you mean "agent_allowed"?');
  });
});

describe('shimgate profile validate', () => {
  it('lists every error of every file and exits 1', () => {
    const bad1 = write('v/bad1.json', { workdir: { access: 'rw' }, netwrok: {} });
    const bad2 = write('v/bad2.yaml', 'mediation:\n  commands:\n    - name: gh\n      intercept:\n        - action: { type: respnd }\n');
    const good = write('v/good.json', { meta: { name: 'fine' } });
    const r = shimgate(['profile', 'validate', bad1, good, bad2], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${good}: ok`);
    expect(r.stderr).toContain(`${bad1}: /workdir/access:`);
    expect(r.stderr).toContain(`${bad1}: /netwrok:`);
    expect(r.stderr).toContain(`${bad2}: /mediation/commands/0/intercept/0/action/type:`);
    expect(r.stderr).toContain('2 of 3 profile file(s) invalid');
  });

  it('warns, without failing, about a credential file the command itself can read', () => {
    const leaky = write('v/leaky.json', { mediation: { commands: [{ name: 'git', credentials: { T: { file: '/srv/secrets/tok' } }, sandbox: { fs_read: ['/srv'] } }] } });
    const r = shimgate(['profile', 'validate', leaky], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${leaky}: ok`);
    expect(r.stderr).toContain(`${leaky}: warning: mediation.commands "git": credentials.T file /srv/secrets/tok lies inside the command's own readable paths`);
  });

  it('exits 0 for every built-in profile and every example, and each resolves', () => {
    const files = ['profiles', 'examples'].flatMap((dir) => {
      const path = new URL(`../../../${dir}/`, import.meta.url).pathname;
      return readdirSync(path).filter((f) => f.endsWith('.json')).map((f) => join(path, f));
    });
    expect(files.length).toBeGreaterThanOrEqual(7);
    const r = shimgate(['profile', 'validate', ...files]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const file of files) expect([file, shimgate(['profile', 'show', file, '--json'], { env }).status]).toEqual([file, 0]);
  });
});

describe('shimgate profile list', () => {
  it('shows built-in and user profiles with where each comes from', () => {
    write('config/shimgate/profiles/mine.yaml', 'meta: { name: mine }\n');
    write('config/shimgate/profiles/default.json', { meta: { name: 'my default' } });
    const r = shimgate(['profile', 'list'], { env });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^mine\s+user\s+.*config\/shimgate\/profiles\/mine\.yaml$/));
    expect(lines).toContainEqual(expect.stringMatching(/^default\s+user\s+/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^default\s+built-in\s+.*profiles\/default\.json\s+\(hidden by the user profile/),
    );
  });
});
