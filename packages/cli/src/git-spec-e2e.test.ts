// The git tool spec end to end (DESIGN §4.5): real git, mediated by a real confined session (agent in
// bubblewrap, git in the Landlock helper), against a profile that denies push. Each attack must fail
// to push or to run its marker command, while status, log and commit keep working. The same attacks
// under a profile with "tool": null (no spec) succeed: the controls show the attacks are real here.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionFixture } from './testing/session-fixture.js';

const fx = new SessionFixture();
const HOME = join(fx.root, 'home');
let hardened: string;
let control: string;
let repoCount = 0;

beforeAll(() => {
  mkdirSync(HOME);
  hardened = fx.profile({
    extends: 'default',
    mediation: { commands: [{ name: 'git', intercept: [{ args_prefix: ['push'], action: { type: 'deny', message: 'no pushing' } }] }] },
  });
  // The control may also run a shell and what the attacks call: the exec allow-list alone would stop
  // them, and the controls are there to show that the spec's own refusals matter.
  const exec = ['/usr/lib/git-core', '/bin/sh', '/usr/bin/sh', '/usr/bin/dash', '/usr/bin/touch', '/usr/bin/cat', '/usr/bin/less'];
  control = fx.profile({ extends: 'default', mediation: { commands: [{ name: 'git', tool: null, sandbox: { exec } }] } }, 'control.json');
});
afterAll(() => fx.cleanup());

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME, GIT_CONFIG_NOSYSTEM: '1' } }).trim();

interface Repo {
  /** The name inside the workdir (the agent's cwd is $WORKDIR/<dir>). */
  dir: string;
  path: string;
  remote: string;
  /** A file the attack's command would create. */
  marker: string;
}

/** A repo with a pushed commit and one more not yet pushed, so any push moves the remote's main. */
function freshRepo(): Repo {
  const dir = `repo${repoCount++}`;
  const path = join(fx.work, dir);
  const remote = join(fx.work, `${dir}-remote.git`);
  git(fx.work, 'init', '-q', '--bare', '-b', 'main', remote);
  git(fx.work, 'init', '-q', '-b', 'main', path);
  git(path, 'config', 'user.name', 'agent');
  git(path, 'config', 'user.email', 'agent@example.invalid');
  git(path, 'remote', 'add', 'origin', remote);
  writeFileSync(join(path, 'a.txt'), 'a\n');
  git(path, 'add', 'a.txt');
  git(path, 'commit', '-q', '-m', 'first');
  git(path, 'push', '-q', 'origin', 'main');
  writeFileSync(join(path, 'b.txt'), 'b\n');
  git(path, 'add', 'b.txt');
  git(path, 'commit', '-q', '-m', 'second');
  return { dir, path, remote, marker: join(fx.work, `${dir}-marker`) };
}

const remoteMain = (repo: Repo): string => git(repo.remote, 'rev-parse', 'main');
const localMain = (repo: Repo): string => git(repo.path, 'rev-parse', 'main');
const agent = (profile: string, repo: Repo, script: string) => fx.agent(profile, `cd ${repo.dir} && ${script}`, { confined: true, env: { HOME } });

describe('push attacks under a deny rule on push', () => {
  it.each<[string, (repo: Repo) => string, string]>([
    ['a plain push', () => 'git push origin main', 'denied: no pushing'],
    ['-c alias.p=push', () => 'git -c alias.p=push p origin main', '-c alias.p=… ("alias.*")'],
    ['--config-env alias', () => 'P=push git --config-env=alias.p=P p origin main', 'refuses --config-env: it copies a variable of the command\'s environment'],
    ['an alias from the repository\'s config', () => 'git config alias.pp push && git pp origin main', '"pp": it is not a git built-in'],
    ['send-pack, the plumbing of push', (r) => `git send-pack ${r.remote} main`, 'denied: no pushing'],
    ['-c help.autocorrect=immediate with a typo', () => 'git -c help.autocorrect=immediate psuh origin main', '-c help.autocorrect=… ("help.*")'],
    ['autocorrect from the repository\'s config', () => 'git config help.autocorrect immediate && git psuh origin main', '"psuh": it is not a git built-in'],
    ['-C swallowing a word', () => 'git -C log push origin main', 'denied: no pushing'],
    ['--exec-path of the caller\'s choosing', () => 'git --exec-path=/tmp push origin main', 'denied: no pushing'],
  ])('%s does not push', (_, script, refusal) => {
    const repo = freshRepo();
    const before = remoteMain(repo);
    const r = agent(hardened, repo, script(repo));
    expect(r.status).toBe(126);
    expect(r.stderr).toContain(refusal);
    expect(remoteMain(repo)).toBe(before);
    const last = r.events.at(-1)!;
    expect(last).toMatchObject({ command: 'git', exit_code: 126 });
    expect(['deny', 'denied']).toContain(last.action_type);
  });

  it('a tool spec refusal is in the audit log with its reason', () => {
    const repo = freshRepo();
    const r = agent(hardened, repo, 'git -c alias.p=push p origin main');
    expect(r.events.at(-1)).toMatchObject({ action_type: 'denied', reason: expect.stringContaining('the git tool spec refuses -c alias.p=…') });
  });

  it('control: without the spec ("tool": null) the alias pushes, so the attack is real', () => {
    const repo = freshRepo();
    const r = agent(control, repo, 'git -c alias.p=push p -q origin main');
    expect(r.stderr).toBe('');
    expect(remoteMain(repo)).toBe(localMain(repo));
  });
});

describe('commands from the repository\'s own config and hooks', () => {
  const fsmonitor = (repo: Repo): void => appendFileSync(join(repo.path, '.git', 'config'), `[core]\n\tfsmonitor = touch ${repo.marker}; false\n`);
  const pager = (repo: Repo): void => appendFileSync(join(repo.path, '.git', 'config'), `[core]\n\tpager = touch ${repo.marker}; cat\n[pager]\n\tshow = touch ${repo.marker}; cat\n`);
  // The per-command sandbox does not let git execute files of the workdir, but a hook may be a link to
  // a shell: commit-msg gets the message file as its argument, so the message is the script.
  const hook = (repo: Repo): void => symlinkSync('/bin/sh', join(repo.path, '.git', 'hooks', 'commit-msg'));
  const commitRunningHook = 'echo c > c.txt && git add c.txt && git commit -q -m \"touch MARKER\"';
  // git pages only on a terminal: `script` gives the mediated git one (the shim passes the pty on).
  const onTerminal = (command: string): string => `script -qec '${command}' /dev/null`;

  it.each<[string, (repo: Repo) => void, string, RegExp]>([
    ['core.fsmonitor', fsmonitor, 'git status --short', /^$/],
    ['core.pager, on a terminal', pager, onTerminal('git log --oneline'), /second/],
    ['pager.<cmd>, on a terminal', pager, onTerminal('git show --stat HEAD'), /second/],
    ['the caller\'s GIT_PAGER and LESSOPEN, on a terminal', () => {}, onTerminal('GIT_PAGER=less LESSOPEN=\"|-touch MARKER %s\" git log --oneline'), /second/],
    ['a commit-msg hook', hook, `${commitRunningHook} && git log --oneline -1`, /touch/],
  ])('%s: the command works, the marker command never runs', (_, plant, script, output) => {
    const repo = freshRepo();
    plant(repo);
    const r = agent(hardened, repo, script.replace('MARKER', repo.marker));
    expect(r.stdout).toMatch(output);
    expect(r.status).toBe(0);
    expect(existsSync(repo.marker)).toBe(false);
  });

  it.each<[string, (repo: Repo) => void, string]>([
    ['core.fsmonitor', fsmonitor, 'git status --short'],
    ['core.pager', pager, onTerminal('git log --oneline')],
    // No control for the caller's LESSOPEN: the child environment's allow-list drops it for every
    // command, spec or not (child-env.ts).
    ['a commit-msg hook', hook, commitRunningHook],
  ])('control: without the spec, %s runs its command', (_, plant, script) => {
    const repo = freshRepo();
    plant(repo);
    agent(control, repo, script.replace('MARKER', repo.marker));
    expect(existsSync(repo.marker)).toBe(true);
  });
});

describe('git still works', () => {
  it('status, log, diff, commit and a denied push in one session', () => {
    const repo = freshRepo();
    const r = agent(hardened, repo, 'echo more >> a.txt && git status --short && git diff --stat && git commit -qam third && git log --format=%s && git push origin main; echo "push exit $?"');
    expect(r.stdout).toContain(' M a.txt\n');
    expect(r.stdout).toContain('a.txt | 1 +');
    expect(r.stdout).toContain('third\nsecond\nfirst\n');
    expect(r.stdout).toContain('push exit 126');
    expect(r.events.map((e) => e.action_type)).toEqual(['passthrough', 'passthrough', 'passthrough', 'passthrough', 'deny']);
  });
});
