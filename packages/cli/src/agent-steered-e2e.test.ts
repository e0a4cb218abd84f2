// Issue 10 end to end: a mediated command runs the agent's arguments, environment and working tree
// outside the agent sandbox, with a credential. Each test is an attack from the review, made with the
// real tool in a real session: the fake credential must not come out, and normal use must still work.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionFixture } from './testing/session-fixture.js';

const SECRET = 'FAKE-CREDENTIAL-4c1f';
const fx = new SessionFixture();
const home = join(fx.root, 'home');
let profile: string;

beforeAll(() => {
  mkdirSync(home, { recursive: true });
  writeFileSync(join(fx.root, 'token'), SECRET);
  const credentials = { TOKEN: { file: join(fx.root, 'token') } };
  profile = fx.profile({
    extends: 'default',
    mediation: {
      commands: [
        { name: 'tar', credentials },
        { name: 'curl', credentials },
        // git runs its helpers from git-core (remote-http, …); nothing else is executable in it.
        { name: 'git', credentials, sandbox: { exec: ['/usr/lib/git-core'] } },
        // npm with a credential may run node (npm itself) but no shell: a package.json script cannot run.
        { name: 'npm-publisher', binary_path: '/usr/bin/npm', credentials, sandbox: { exec: ['/usr/bin/node'] } },
        // npm without credentials, allowed a shell: scripts run as usual.
        { name: 'npm', sandbox: { exec: ['/usr/bin/node', '/bin/sh', '/usr/bin/dash'] } },
      ],
    },
  });
  execFileSync('git', ['init', '-q', fx.work]);
  execFileSync('git', ['-C', fx.work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first']);
});
afterAll(() => fx.cleanup());

const agent = (script: string) => fx.agent(profile, script, { confined: true, env: { HOME: home } });
const leaked = (): string => (existsSync(join(fx.work, 'leak')) ? readFileSync(join(fx.work, 'leak'), 'utf8') : '');

describe('the environment is an allow-list', () => {
  it('TAR_OPTIONS cannot make tar run a command', () => {
    const r = agent([
      'mkdir -p src && echo data > src/f && tar cf a.tar src && rm -r src',
      `TAR_OPTIONS='--checkpoint=1 --checkpoint-action=exec=printenv\\ TOKEN\\ >leak' tar xf a.tar; echo "rc=$?"`,
      'cat src/f',
    ].join('; '));
    expect(leaked()).not.toContain(SECRET);
    expect(r.stdout).toBe('rc=0\ndata\n'); // extraction itself works as usual
  });

  it('git config from the environment (GIT_CONFIG_COUNT/KEY/VALUE) cannot define a command alias', () => {
    const r = agent(`GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!printenv TOKEN > leak' git x; echo "rc=$?"; git log --format=%s`);
    expect(leaked()).not.toContain(SECRET);
    expect(r.stdout).toMatch(/rc=126\n/); // the git spec: 'x' is not one of git's own commands
    expect(r.stdout).toContain('first\n');
  });
});

describe('code the tools run from their config or options', () => {
  it.each([
    ['core.fsmonitor in the repository config', `git config core.fsmonitor 'printenv TOKEN > leak'; git status >/dev/null 2>&1; git config --unset core.fsmonitor`],
    ['a ! alias on the command line', `git -c alias.x='!printenv TOKEN > leak' x`],
    ['a pager', `git -c core.pager='printenv TOKEN > leak' -p log`],
    ['a credential helper', `printf 'protocol=https\\nhost=example.com\\n\\n' | git -c credential.helper='!printenv TOKEN > leak' credential fill`],
    ['tar -I', `tar cf a.tar -I 'sh -c "printenv TOKEN > leak"' src`],
    ['tar --checkpoint-action', `tar cf a.tar --checkpoint=1 --checkpoint-action=exec='printenv TOKEN > leak' src`],
    ['tar --to-command', `tar cf a.tar src && tar xf a.tar --to-command='printenv TOKEN > leak'`],
  ])('%s does not run the agent\'s command', (_how, attack) => {
    agent(`rm -f leak; mkdir -p src; echo x > src/f; ${attack} </dev/null >/dev/null 2>&1; true`);
    expect(leaked()).not.toContain(SECRET);
  });

  it('an npm given a credential cannot be made to run a package.json script; npm without one runs them', () => {
    writeFileSync(join(fx.work, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', scripts: { hello: 'echo hello-from-script', leak: 'printenv TOKEN > leak' } }));
    const r = agent('rm -f leak; npm-publisher run leak >/dev/null 2>&1; echo "rc=$?"; npm run --silent hello');
    expect(leaked()).not.toContain(SECRET);
    expect(r.stdout).toMatch(/^rc=(?!0\n)\d+\nhello-from-script\n$/);
  });

  it.each([
    ['tar -T', 'tar -cf /dev/null --null -T /proc/self/environ'],
    ['git notes -F', 'git notes add -f -F /proc/self/environ && git notes show'],
    ['git tag -F', 'git tag -f -a leak-tag -F /proc/self/environ && git cat-file -p leak-tag'],
    ['curl --libcurl with --data-binary @', 'curl -s --libcurl leak --data-binary @/proc/self/environ http://127.0.0.1:1/'],
    ['git --config-env', 'git --config-env=user.name=TOKEN config user.name'],
    ['git --config-env, as an identity', 'git -c user.email=x --config-env=user.name=TOKEN var GIT_AUTHOR_IDENT'],
  ])('%s cannot read the command\'s own environment', (_how, attack) => {
    const r = agent(`rm -f leak; ${attack}; true`);
    expect(`${r.stdout}${r.stderr}${leaked()}`).not.toContain(SECRET);
  });

  it('normal use still works: git add, commit, log, diff, branch; tar create and extract', () => {
    const r = agent([
      'echo one > a.txt && git add a.txt && git -c user.name=a -c user.email=a@a commit -qm second && git log --format=%s | head -2',
      'echo two >> a.txt && git diff --stat | tail -1 && git branch feature && git branch --list feature',
      'mkdir -p t && echo data > t/f && tar cf t.tar t && rm -r t && tar xf t.tar && cat t/f',
    ].join('; '));
    expect(r.stdout).toBe('second\nfirst\n 1 file changed, 1 insertion(+)\n  feature\ndata\n');
  });
});

describe('curl', () => {
  // In a process of its own: fx.agent blocks this one until the session ends.
  let server: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    const script = "require('http').createServer((q, s) => s.end('hello from the local server\\n')).listen(0, '127.0.0.1', function () { console.log(this.address().port); })";
    server = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = Number(await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
  });
  afterAll(() => void server.kill());

  it('cannot read its own environment through file://, nor take a config file from the workdir', () => {
    writeFileSync(join(fx.work, 'curl.cfg'), `url = "file:///proc/self/environ"\noutput = "leak"\n`);
    const r = agent(`curl -s file:///proc/self/environ; echo "file rc=$?"; curl -s -K curl.cfg; echo "K rc=$?"`);
    expect(r.stdout).not.toContain(SECRET);
    expect(leaked()).not.toContain(SECRET);
    expect(r.stdout).toMatch(/file rc=1\nK rc=126\n/); // protocol refused by curl (--proto); -K refused by the spec
  });

  it('fetches from a local server as usual', () => {
    expect(agent(`curl -s http://127.0.0.1:${port}/`).stdout).toBe('hello from the local server\n');
  });
});

describe('the built-in github profile\'s git', () => {
  // git pushes to a local remote through `sh -c "git-receive-pack '<path>'"`: a profile that wants
  // that lists a shell for git (the built-in one does not: https remotes need none, and a shell lets a
  // repository's filter drivers run commands inside git's sandbox).
  let localPushes: string;
  beforeAll(() => {
    localPushes = fx.profile({ extends: 'github', mediation: { commands: [{ name: 'git', sandbox: { exec: ['/bin/sh', '/usr/bin/dash'] } }] } }, 'github-local.json');
  });

  it('refuses to push to main in the built-in profile, before anything runs', () => {
    const r = fx.agent('github', 'git push -q origin main; echo "rc=$?"', { confined: true, env: { HOME: home } });
    expect(r.stdout).toBe('rc=126\n');
    expect(r.stderr).toContain('shimgate: git: denied: main and master are protected');
  });

  it('works as usual with a local bare remote, and may not push to main', () => {
    const repo = join(fx.work, 'gh-repo');
    const remote = join(fx.work, 'gh-remote.git');
    const host = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
    host(fx.work, 'init', '-q', '--bare', '-b', 'main', remote);
    host(fx.work, 'init', '-q', '-b', 'main', repo);
    for (const [k, v] of [['user.name', 'agent'], ['user.email', 'agent@example.invalid']]) host(repo, 'config', k!, v!);
    host(repo, 'remote', 'add', 'origin', remote);
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    host(repo, 'add', 'a.txt');
    host(repo, 'commit', '-q', '-m', 'first');
    host(repo, 'push', '-q', 'origin', 'main');
    const before = host(remote, 'rev-parse', 'main');
    const r = fx.agent(localPushes, [
      'cd gh-repo && echo b > b.txt && git add b.txt && git commit -qm second && git status --short && git log --format=%s | head -1',
      'git checkout -qb feature && git push -q origin feature && echo pushed-feature',
      'git checkout -q main; git push -q origin main; echo "main rc=$?"; git push -qf origin HEAD:main; echo "HEAD:main rc=$?"',
    ].join('; '), { confined: true, env: { HOME: home } });
    expect(r.stdout).toBe('second\npushed-feature\nmain rc=126\nHEAD:main rc=126\n');
    expect(r.stderr).toContain('shimgate: git: denied: main and master are protected');
    expect(host(remote, 'rev-parse', 'main')).toBe(before);
    expect(host(remote, 'rev-parse', 'feature')).toBe(host(repo, 'rev-parse', 'main'));
  });
});
