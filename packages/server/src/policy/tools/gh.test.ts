// gh under its tool spec: every command's value flags, gh's own aliases, no new aliases or extensions.
import { describe, expect, it } from '@jest/globals';
import { admin, deny, hardened, verdict } from '../../testing/tool-calls.js';
import { gh } from './gh.js';
import { GIT_CONFIG_OVERRIDES } from './git.js';

describe('gh matching', () => {
  const rules = [admin(['pr', 'merge']), deny(['repo', 'delete'])];
  it.each<[string, string]>([
    ['pr merge 7', 'admin'],
    ['-R o/r pr merge 7', 'admin'],
    ['pr --repo o/r merge', 'admin'],
    ['pr -R o/r merge --squash 7', 'admin'],
    ['pr merge -d 7', 'admin'],
    ['--json pr merge', 'admin'], // --json may take a value: read both ways
    ['repo delete o/r --yes', 'deny'],
    ['pr list', 'default'],
    ['pr ls', 'default'],
    ['pr view merge', 'default'],
  ])('gh %s → %s', (line, expected) => {
    expect(verdict('gh', rules, line)).toBe(expected);
  });

  it.each<[string, string]>([
    ['ext install x/y', 'deny'],
    ['extensions install x/y', 'deny'],
    ['pr new', 'deny'],
    ['secret remove X', 'deny'],
  ])('gh\'s own aliases: gh %s → %s', (line, expected) => {
    expect(verdict('gh', [deny(['extension', 'install']), deny(['pr', 'create']), deny(['secret', 'delete'])], line)).toBe(expected);
  });
});

describe('gh hardening', () => {
  it.each<[string, string]>([
    ['alias set mm "pr merge"', 'gh alias set'],
    ['alias import aliases.yml', 'gh alias import'],
    ['extension install owner/gh-evil', 'gh extension install'],
    ['ext install owner/gh-evil', 'gh extension install'],
    ['extension exec evil', 'gh extension exec'],
    ['config set pager evil', 'gh config set'],
    ['-R o/r config set http_unix_socket /tmp/s', 'gh config set'],
  ])('gh %s', (line, what) => {
    expect(hardened('gh', line)).toContain(`refuses "${what}"`);
  });

  it.each(['pr list', 'alias list', 'config get pager', 'extension list'])('lets gh %s through', (line) => {
    expect(hardened('gh', line)).toBe(`ok: ${line}`);
  });

  it('hands git\'s hardening to the git that gh runs, through the environment', () => {
    const env = gh.hardening!.env!;
    expect(env.set).toMatchObject({ GH_PAGER: 'cat', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: '/dev/null' });
    expect(Number(env.set.GIT_CONFIG_COUNT)).toBe(GIT_CONFIG_OVERRIDES.length);
    expect(env.drop).toEqual(expect.arrayContaining(['GH_*', 'GITHUB_*', 'GIT_*', 'LESS*']));
  });
});
