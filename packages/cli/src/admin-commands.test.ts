// `shimgate sessions`, `approvals`, `approve`, `deny` and `watch` end to end: the built CLI against
// control sockets served by testing/control-peer.ts in a scratch runtime root (XDG_RUNTIME_DIR).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminWorld, DEAD_PID, pendingApproval, startControlPeer, type ControlPeer } from './testing/control-peer.js';
import { shimgateAsync, startShimgate, type RunningCli } from './testing/spawn-cli.js';

const A = 'aaaa11112222'; // live, answering, two pending
const B = 'bbbb33334444'; // live, UNCONFINED, no control socket: "?"
const C = 'cccc55556666'; // supervisor dead: never listed

const world = new AdminWorld();
const env = { ...world.env, TZ: 'UTC' };
let peer: ControlPeer;
const merge = pendingApproval('k3x9q2', A, { session_name: 'claude' });
const kubectl = pendingApproval('p7m2x4', A, {
  session_name: 'claude', command: 'kubectl', args: ['delete', 'ns', 'prod'], parent: 'make', rule: null,
  expires_at: new Date(Date.now() + 90_000).toISOString(),
});

beforeAll(async () => {
  const a = world.session(A, { name: 'claude', profile: 'github' });
  world.session(B, { name: 'codex', unconfined: true, agent_command: ['codex'], started_at: '2030-01-01T11:30:00.000Z' });
  world.session(C, { name: 'gone', supervisor_pid: DEAD_PID });
  peer = await startControlPeer(a.socket, a.record, [merge, kubectl]);
});
afterEach(() => {
  peer.pending = [merge, kubectl];
  peer.requests.length = 0;
});
afterAll(async () => {
  await peer.close();
  world.cleanup();
});

/** Cuts each row where the header's titles start, so misaligned columns fail the test. */
function cells(stdout: string): string[][] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const starts = [...header!.matchAll(/\S+/g)].map((m) => m.index);
  const cut = (row: string): string[] => starts.map((at, i) => row.slice(at, starts[i + 1]).trim());
  return [cut(header!), ...rows.map(cut)];
}

describe('shimgate sessions', () => {
  it('lists live sessions with their pending counts, "?" for a silent socket, UNCONFINED; skips dead ones', async () => {
    const r = await shimgateAsync(['sessions'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(cells(r.stdout)).toEqual([
      ['ID', 'NAME', 'PROFILE', 'STARTED', 'PENDING', 'SANDBOX', 'COMMAND'],
      [A, 'claude', 'github', '2030-01-01 10:00:00', '2', 'confined', "claude --print 'hello world'"],
      [B, 'codex', 'default', '2030-01-01 11:30:00', '?', 'UNCONFINED', 'codex'],
    ]);
    expect(peer.requests).toEqual([{ op: 'status' }]);
  });

  it('--json prints session.json objects with "pending" (null when the socket did not answer)', async () => {
    const r = await shimgateAsync(['sessions', '--json'], env);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((s) => [s.id, s.name, s.unconfined, s.pending])).toEqual([[A, 'claude', false, 2], [B, 'codex', true, null]]);
    expect(rows[0]).toMatchObject({ profile: 'github', supervisor_pid: process.pid, agent_command: ['claude', '--print', 'hello world'] });
  });

  it('refuses a runtime root other users can write to', async () => {
    const open = new AdminWorld();
    chmodSync(open.root, 0o755);
    try {
      const r = await shimgateAsync(['sessions'], open.env);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`shimgate: runtime root ${open.root} has mode 755, not 700: chmod 700 it\n`);
    } finally {
      open.cleanup();
    }
  });
});

describe('shimgate approvals', () => {
  it('lists pending approvals soonest-expiring first, with time left; says which session did not answer', async () => {
    const r = await shimgateAsync(['approvals'], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^shimgate: session ${B} \\(codex\\) did not answer: control socket .*control.sock: connect ENOENT`));
    expect(cells(r.stdout)).toEqual([
      ['ID', 'SESSION', 'NAME', 'LEFT', 'PARENT', 'RULE', 'COMMAND'],
      ['p7m2x4', A, 'claude', expect.stringMatching(/^1m[23]\ds$/), 'make', '-', 'kubectl delete ns prod'],
      ['k3x9q2', A, 'claude', expect.stringMatching(/^(4m[45]\ds|5m00s)$/), '(agent)', 'gh pr merge', 'gh pr merge 7'],
    ]);
  });

  it('--session picks one session by a prefix of its id; --json prints what the session sent', async () => {
    const r = await shimgateAsync(['approvals', '--session', 'aaaa', '--json'], env);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([kubectl, merge]);
    expect((await shimgateAsync(['approvals', '--session', 'ffff'], env)).stderr).toBe('shimgate: no live session "ffff": "shimgate sessions" lists the live ones\n');
  });
});

describe('shimgate approve / deny', () => {
  it('approve sends the decide frame to the session holding the id and prints the result', async () => {
    const r = await shimgateAsync(['approve', 'k3x9q2', '--scope', 'session', '--reason', 'release day'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('approved k3x9q2 (gh pr merge 7) for the rest of the session\n');
    expect(peer.requests).toEqual([{ op: 'pending' }, { op: 'decide', id: 'k3x9q2', decision: 'approve', scope: 'session', reason: 'release day' }]);
    expect(peer.pending).toEqual([kubectl]);
  });

  it('deny defaults to scope once and no reason', async () => {
    const r = await shimgateAsync(['deny', 'p7m2x4'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('denied p7m2x4 (kubectl delete ns prod)\n');
    expect(peer.requests.at(-1)).toEqual({ op: 'decide', id: 'p7m2x4', decision: 'deny', scope: 'once', reason: null });
  });

  it('an id no live session holds exits 1 and sends no decision', async () => {
    const r = await shimgateAsync(['approve', 'zzzzzz', '--session', A], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('shimgate: no pending approval zzzzzz (it may have expired or been decided)\n');
    const all = await shimgateAsync(['deny', 'zzzzzz'], env);
    expect(all.status).toBe(1);
    expect(all.stderr).toContain('no pending approval zzzzzz (it may have expired or been decided); 1 session did not answer');
    expect(peer.requests.filter((q) => q.op === 'decide')).toEqual([]);
  });

  it('rejects a scope other than once or session as a usage error', async () => {
    const r = await shimgateAsync(['approve', 'k3x9q2', '--scope', 'forever'], env);
    expect(r.status).toBe(2);
    expect(peer.requests).toEqual([]);
  });
});

describe('shimgate watch (line mode: stdin is a pipe)', () => {
  const W = 'dddd77778888';
  const later = 'eeee99990000';
  const bin = join(world.dir, 'bin');
  const notes = join(world.dir, 'notify-send.log');
  let watched: ControlPeer;
  let run: RunningCli;

  beforeAll(async () => {
    mkdirSync(bin);
    writeFileSync(join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s|' "$@" >> '${notes}'\necho >> '${notes}'\n`, { mode: 0o755 });
    const watchWorld = { ...world.env, PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':99' };
    const s = world.session(W, { name: 'watched' });
    watched = await startControlPeer(s.socket, s.record);
    run = startShimgate(['watch', '--session', 'dddd'], watchWorld);
    await watched.until(() => watched.subscribers() === 1, 'the watch subscription');
  });
  afterAll(async () => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    await watched.close();
  });

  it('shows a new request with its details and the prompt; "a" sends decide approve', async () => {
    const request = pendingApproval('w1w1w1', W, { session_name: 'watched', cwd: '/work/repo', parent: 'make' });
    watched.pending.push(request);
    watched.push({ event: 'pending', approval: request });
    await run.waitFor(() => run.out.stdout.includes('[a]pprove / [d]eny / approve for [s]ession / s[k]ip'), 'the prompt');
    expect(run.out.stdout).toContain(`approval w1w1w1 requested by session ${W} (watched)\n  command  gh pr merge 7\n  cwd      /work/repo\n  parent   make\n  rule     gh pr merge\n`);
    expect(run.out.stdout).toMatch(/s\[k\]ip {2}\((4m5\d|5m00)s left\) /);
    run.child.stdin.write('a\n');
    await watched.until(() => watched.requests.some((q) => q.op === 'decide'), 'the decide frame');
    expect(watched.requests.filter((q) => q.op === 'decide')).toEqual([{ op: 'decide', id: 'w1w1w1', decision: 'approve', scope: 'once', reason: null }]);
    await run.waitFor(() => run.out.stdout.includes('approved w1w1w1 (gh pr merge 7)\n'), 'the result line');
    await run.waitFor(() => existsSync(notes) && readFileSync(notes, 'utf8').includes('\n'), 'the desktop notification');
    expect(readFileSync(notes, 'utf8')).toBe('shimgate: approval needed|gh pr merge 7|\n');
  });

  it('prints decisions of other admins, withdrawals and expiries one line each', async () => {
    const other = pendingApproval('o2o2o2', W, { command: 'git', args: ['push', '--force'] });
    watched.push({ event: 'pending', approval: other });
    await run.waitFor(() => run.out.stdout.includes('approval o2o2o2'), 'the second request');
    watched.push({ event: 'decided', id: 'o2o2o2', decision: 'deny', scope: 'once', reason: 'not on main', approver: { uid: 0, user: 'root' } });
    await run.waitFor(() => run.out.stdout.includes('denied o2o2o2 (git push --force) by root (uid 0): not on main\n'), 'the other admin');
    watched.push({ event: 'withdrawn', id: 'x3x3x3' });
    await run.waitFor(() => run.out.stdout.includes('x3x3x3 withdrawn: the caller gave up\n'), 'the withdrawal');
    const soon = pendingApproval('e4e4e4', W, { expires_at: new Date(Date.now() + 1500).toISOString() });
    watched.push({ event: 'pending', approval: soon });
    await run.waitFor(() => run.out.stdout.includes('e4e4e4 (gh pr merge 7) expired: no admin answered in time'), 'the expiry', 5000);
    watched.push({ event: 'expired', id: 'e4e4e4' }); // the server's own word on it adds no second line
    run.child.stdin.write('k\n');
    await run.waitFor(() => run.out.stdout.includes('nothing to answer yet'), 'the key with nothing shown');
    expect(run.out.stdout.match(/e4e4e4/g)).toHaveLength(2); // its details heading, and the expiry
    expect(run.out.stdout).not.toContain('approved w1w1w1 (gh pr merge 7) by'); // our own decision's echo
  });

  it('exits 0 on Ctrl-C (SIGINT)', async () => {
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('picks up sessions started after it and says when one ends', async () => {
    const all = startShimgate(['watch'], { ...world.env, DISPLAY: '', WAYLAND_DISPLAY: '' });
    const s = world.session(later, { name: 'late' });
    const latePeer = await startControlPeer(s.socket, s.record);
    try {
      await latePeer.until(() => latePeer.subscribers() === 1, 'a subscription to the session started later', 6000);
      await all.waitFor(() => all.out.stdout.includes(`watching session ${later} (late, profile default)`), 'the new session line');
      world.session(later, { name: 'late', supervisor_pid: DEAD_PID });
      await all.waitFor(() => all.out.stdout.includes(`session ${later} (late) has ended`), 'the end line', 6000);
      all.child.stdin.end(); // input closed: nobody can answer any more
      expect(await all.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (all.child.exitCode === null) all.child.kill('SIGKILL');
      await latePeer.close();
    }
  });
});
