// Issue 10 end to end: a mediated command runs the agent's arguments, environment and working tree
// outside the agent sandbox, with a credential. Each test is an attack from the review, made with the
// real tool in a real session: the fake credential must not come out, and normal use must still work.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
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
        { name: 'git', credentials },
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
    expect(r.stdout).toMatch(/rc=1\n/); // git: 'x' is not a git command
    expect(r.stdout).toContain('first\n');
  });
});
