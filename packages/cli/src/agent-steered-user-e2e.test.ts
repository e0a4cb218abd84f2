// Issue 10's attacks again, by an agent session of an unprivileged user (its own user namespace in
// bwrap and in the per-command sandbox): the fake credential must not come out, normal use must work.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testUser } from '../../sandbox/src/testing/exec-helper-run.js';
import { SessionFixture } from './testing/session-fixture.js';

const SECRET = 'FAKE-CREDENTIAL-u53r';
const fx = new SessionFixture();
const home = join(fx.root, 'home');
let profile: string;
let user: { uid: number; gid: number };

function chownTree(dir: string): void {
  chownSync(dir, user.uid, user.gid);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) chownTree(path);
    else chownSync(path, user.uid, user.gid);
  }
}

beforeAll(() => {
  user = testUser();
  mkdirSync(home, { recursive: true });
  writeFileSync(join(fx.root, 'token'), SECRET, { mode: 0o600 });
  const credentials = { TOKEN: { file: join(fx.root, 'token') } };
  profile = fx.profile({
    extends: 'default',
    mediation: { commands: [{ name: 'tar', credentials }, { name: 'curl', credentials }, { name: 'git', credentials, sandbox: { exec: ['/usr/lib/git-core'] } }] },
  });
  execFileSync('git', ['init', '-q', fx.work]);
  execFileSync('git', ['-C', fx.work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first']);
  chownTree(fx.root);
});
afterAll(() => fx.cleanup());

const agent = (script: string) => fx.agent(profile, script, { confined: true, uid: user.uid, gid: user.gid, env: { HOME: home } });
const leaked = (): string => (existsSync(join(fx.work, 'leak')) ? readFileSync(join(fx.work, 'leak'), 'utf8') : '');

describe('as an unprivileged user', () => {
  it.each([
    ['a git ! alias', `git -c alias.x='!printenv TOKEN > leak' x`],
    ['git --config-env', 'git --config-env=user.name=TOKEN config user.name'],
    ['tar -T /proc/self/environ', 'tar -cf /dev/null --null -T /proc/self/environ'],
    ['tar --checkpoint-action', `mkdir -p src && echo x > src/f && tar cf a.tar --checkpoint=1 --checkpoint-action=exec='printenv TOKEN > leak' src`],
    ['TAR_OPTIONS', `TAR_OPTIONS='--checkpoint=1 --checkpoint-action=exec=printenv\\ TOKEN\\ >leak' tar cf b.tar src`],
    ['curl file://', 'curl -s file:///proc/self/environ'],
  ])('%s gets no credential out', (_how, attack) => {
    const r = agent(`rm -f leak; ${attack}; true`);
    expect(`${r.stdout}${r.stderr}${leaked()}`).not.toContain(SECRET);
  });

  it('normal use works: git add, commit, log; tar create and extract', () => {
    const r = agent([
      `id -u`,
      'echo one > a.txt && git add a.txt && git -c user.name=a -c user.email=a@a commit -qm second && git log --format=%s | head -1',
      'mkdir -p t && echo data > t/f && tar cf t.tar t && rm -r t && tar xf t.tar && cat t/f',
    ].join('; '));
    expect(r.stdout).toBe(`${user.uid}\nsecond\ndata\n`);
  });
});
