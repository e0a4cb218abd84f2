// The boot gate and doctor: a machine without a working sandbox refuses `run` (unless --unconfined,
// which then says so everywhere), and `doctor` names what is missing and how to fix it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shimgate } from './testing/run-cli.js';
import { SessionFixture } from './testing/session-fixture.js';

const fx = new SessionFixture();
afterAll(() => fx.cleanup());
const noBwrap = { PATH: '/nonexistent-bin-dir' }; // bwrap is looked up on PATH: this machine then has none

describe('shimgate doctor', () => {
  it('passes every check on this machine', () => {
    const r = shimgate(['doctor'], { env: fx.env });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('OK  ')).length).toBe(8);
    expect(r.stdout).toMatch(/OK {4}Landlock scopes\s+abstract sockets and signals/);
    expect(r.stdout).toMatch(/Landlock\s+ABI \d+/);
    expect(r.status).toBe(0);
  });

  it('warns, without failing, when the shell can reach tmux, screen or an ssh agent', () => {
    const quiet = shimgate(['doctor'], { env: { ...fx.env, TMUX: '', STY: '', SSH_AUTH_SOCK: '' } });
    expect(quiet.stdout).not.toContain('WARN');
    const r = shimgate(['doctor'], { env: { ...fx.env, TMUX: '/tmp/tmux-0/default,42,0', SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1', STY: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^WARN {2}TMUX is set: /m);
    expect(r.stdout).toMatch(/^WARN {2}SSH_AUTH_SOCK is set: /m);
    expect(r.stdout).not.toMatch(/^WARN {2}STY/m);
  });

  it('fails with the fix when bubblewrap is missing', () => {
    const r = shimgate(['doctor'], { env: { ...fx.env, ...noBwrap } });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+bubblewrap\s+bwrap not found/);
    expect(r.stdout).toContain('fix: apt-get install bubblewrap');
  });
});

describe('shimgate run without a working sandbox', () => {
  it('refuses to start, says why and how to fix it, and runs nothing', () => {
    const marker = join(fx.root, 'agent-ran');
    const r = shimgate(['run', '--workdir', fx.work, '--', '/usr/bin/touch', marker], { env: { ...fx.env, ...noBwrap } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot be built, so run refuses to start');
    expect(r.stderr).toContain('fix: apt-get install bubblewrap');
    expect(r.stderr).toContain('--unconfined');
    expect(existsSync(marker)).toBe(false);
  });

  it('runs with --unconfined and says UNCONFINED at start, in session.json and in every audit line', () => {
    const tool = fx.script('tool', 'echo ok');
    const profile = fx.profile({ mediation: { commands: [{ name: 'tool', binary_path: tool }] } });
    const r = fx.agent(profile, 'tool; d=$(dirname "$(dirname "$SHIMGATE_SOCKET")"); /bin/cat "$d/session.json"');
    expect(r.stderr).toContain('UNCONFINED');
    expect(r.stdout).toContain('"unconfined": true');
    expect(r.events.length).toBeGreaterThan(0);
    for (const event of r.events) expect(event.unconfined).toBe(true);
  });
});
