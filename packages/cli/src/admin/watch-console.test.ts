import { describe, expect, it } from '@jest/globals';
import type { Decision, PendingApproval, Scope } from './control-protocol.js';
import { createWatchConsole, PROMPT } from './watch-console.js';
import { createWatchScreen } from './watch-screen.js';

const NOW = Date.parse('2030-01-01T10:00:00.000Z');

function request(id: string, fields: Partial<PendingApproval> = {}): PendingApproval {
  return {
    id, session_id: 's1', session_name: 'claude', command: 'gh', args: ['pr', 'merge', id], cwd: '/repo', parent: null,
    rule: 'gh pr merge', requested_at: new Date(NOW).toISOString(), expires_at: new Date(NOW + 60_000).toISOString(), ...fields,
  };
}

type Answer = { ok: true } | { ok: false; error: string };

/** A console over a pipe-style screen, a settable clock, and decisions answered by the test. */
function rig() {
  const state = { out: '', now: NOW, notified: [] as string[] };
  const decisions: { sessionId: string; id: string; decision: Decision; scope: Scope; answer(a: Answer): void }[] = [];
  const watch = createWatchConsole({
    screen: createWatchScreen((text) => (state.out += text), false),
    now: () => state.now,
    decide: (sessionId, approval, decision, scope) =>
      new Promise<Answer>((resolve) => decisions.push({ sessionId, id: approval.id, decision, scope, answer: resolve })),
    notify: (approval) => state.notified.push(approval.id),
  });
  /** Everything printed since the last call, prompts dropped (a pipe gets one after every line). */
  let seen = 0;
  const lines = (): string[] => {
    const fresh = state.out.slice(seen);
    seen = state.out.length;
    return fresh.split('\n').filter((l) => l !== '' && !l.startsWith(PROMPT));
  };
  const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
  return { state, decisions, watch, lines, settle };
}

describe('watch console', () => {
  it('shows the first request with a prompt, queues the next, and moves on after a decision', async () => {
    const { state, decisions, watch, lines, settle } = rig();
    watch.pending('s1', request('aaaaaa'));
    watch.pending('s1', request('bbbbbb'));
    watch.pending('s1', request('aaaaaa')); // the same request again (a stream event and a poll): once
    expect(lines()).toEqual([
      'approval aaaaaa requested by session s1 (claude)', '  command  gh pr merge aaaaaa', '  cwd      /repo', '  parent   (agent)', '  rule     gh pr merge',
      'queued bbbbbb (gh pr merge bbbbbb) from session s1; 1 waiting',
    ]);
    expect(state.out).toContain(`${PROMPT}  (1m00s left) `);
    expect(state.notified).toEqual(['aaaaaa', 'bbbbbb']);

    watch.key('s');
    watch.key('a'); // while a decision is in flight, keys do nothing
    expect(decisions.map((d) => [d.sessionId, d.id, d.decision, d.scope])).toEqual([['s1', 'aaaaaa', 'approve', 'session']]);
    decisions[0]!.answer({ ok: true });
    await settle();
    watch.event('s1', { event: 'decided', id: 'aaaaaa', decision: 'approve', scope: 'session', reason: null, approver: { uid: 1, user: 'me' } });
    expect(lines()).toEqual([
      'approved aaaaaa (gh pr merge aaaaaa) for the rest of the session',
      'approval bbbbbb requested by session s1 (claude)', '  command  gh pr merge bbbbbb', '  cwd      /repo', '  parent   (agent)', '  rule     gh pr merge',
    ]);

    watch.key('d');
    decisions[1]!.answer({ ok: false, error: 'no pending approval bbbbbb (it may have expired or been decided)' });
    await settle();
    expect(lines()).toEqual([
      'could not deny bbbbbb (gh pr merge bbbbbb): no pending approval bbbbbb (it may have expired or been decided)',
      'no pending requests; waiting for more (Ctrl-C to quit)',
    ]);
  });

  it('takes requests decided elsewhere, withdrawn or expired out of the queue with one line each', () => {
    const { watch, lines } = rig();
    for (const id of ['aaaaaa', 'bbbbbb', 'cccccc']) watch.pending('s1', request(id));
    lines();
    watch.event('s1', { event: 'withdrawn', id: 'bbbbbb' });
    watch.event('s1', { event: 'decided', id: 'aaaaaa', decision: 'deny', scope: 'once', reason: null, approver: { uid: 0, user: 'root' } });
    watch.event('s1', { event: 'expired', id: 'aaaaaa' }); // already closed: no second line
    watch.event('s2', { event: 'expired', id: 'zzzzzz' }); // never seen here: still told
    expect(lines()).toEqual([
      'bbbbbb (gh pr merge bbbbbb) withdrawn: the caller gave up',
      'denied aaaaaa (gh pr merge aaaaaa) by root (uid 0)',
      'approval cccccc requested by session s1 (claude)', '  command  gh pr merge cccccc', '  cwd      /repo', '  parent   (agent)', '  rule     gh pr merge',
      'zzzzzz expired: no admin answered in time, the call was denied',
    ]);
  });

  it('on each tick, says when the shown request ran out of time and moves on past any that ran out waiting', () => {
    const { state, watch, lines } = rig();
    const expiring = (id: string, ms: number): PendingApproval => request(id, { expires_at: new Date(NOW + ms).toISOString() });
    watch.pending('s1', expiring('aaaaaa', 2_000));
    watch.pending('s1', expiring('bbbbbb', 1_500));
    watch.pending('s1', expiring('cccccc', 10_000));
    lines();
    state.now += 1_000;
    watch.tick();
    expect(lines()).toEqual([]);
    state.now += 1_500;
    watch.tick();
    expect(lines()).toEqual([
      'aaaaaa (gh pr merge aaaaaa) expired: no admin answered in time, the call was denied',
      'bbbbbb (gh pr merge bbbbbb) expired: no admin answered in time, the call was denied',
      'approval cccccc requested by session s1 (claude)', '  command  gh pr merge cccccc', '  cwd      /repo', '  parent   (agent)', '  rule     gh pr merge',
    ]);
    state.now += 10_000;
    watch.tick();
    expect(lines()).toEqual(['cccccc (gh pr merge cccccc) expired: no admin answered in time, the call was denied', 'no pending requests; waiting for more (Ctrl-C to quit)']);
  });

  it('redraws the countdown on a terminal each tick', () => {
    let out = '';
    let now = NOW;
    const watch = createWatchConsole({
      screen: createWatchScreen((text) => (out += text), true),
      now: () => now,
      decide: async () => ({ ok: true }),
      notify: () => {},
    });
    watch.pending('s1', request('aaaaaa'));
    now += 1_000;
    watch.tick();
    expect(out.endsWith(`${PROMPT}  (1m00s left) \r\x1b[K${PROMPT}  (59s left) `)).toBe(true);
  });

  it('skip leaves the request pending for others; other keys get a hint', () => {
    const { watch, lines, decisions } = rig();
    watch.key('a');
    expect(lines()).toEqual(['nothing to answer yet']);
    watch.pending('s1', request('aaaaaa'));
    lines();
    watch.key('x');
    watch.key('\r'); // unprintable keys are ignored
    watch.key('k');
    watch.event('s1', { event: 'decided', id: 'aaaaaa', decision: 'approve', scope: 'once', reason: 'ok', approver: { uid: 5, user: 'bob' } });
    expect(lines()).toEqual([
      'press a to approve, d to deny, s to approve for the session, k to skip',
      'skipped aaaaaa: still pending for other admins ("shimgate approve aaaaaa")',
      'no pending requests; waiting for more (Ctrl-C to quit)',
      'approved aaaaaa (gh pr merge aaaaaa) by bob (uid 5): ok',
    ]);
    expect(decisions).toEqual([]);
  });

  it('drops the requests of a session that ended', () => {
    const { watch, lines } = rig();
    watch.pending('s1', request('aaaaaa'));
    watch.pending('s2', request('bbbbbb', { session_id: 's2' }));
    watch.pending('s1', request('cccccc'));
    lines();
    watch.sessionEnded('s1', 'claude');
    expect(lines()).toEqual([
      'session s1 (claude) has ended; 2 pending requests went with it',
      'approval bbbbbb requested by session s2 (claude)', '  command  gh pr merge bbbbbb', '  cwd      /repo', '  parent   (agent)', '  rule     gh pr merge',
    ]);
  });
});

describe('watch screen', () => {
  it('on a terminal, redraws the prompt in place and keeps it under new lines', () => {
    let out = '';
    const screen = createWatchScreen((text) => (out += text), true);
    screen.prompt('answer (5s left) ');
    screen.refresh('answer (4s left) ');
    screen.refresh('answer (4s left) '); // unchanged: nothing written
    screen.line('another admin decided');
    screen.clearPrompt();
    expect(out).toBe('answer (5s left) \r\x1b[Kanswer (4s left) \r\x1b[Kanother admin decided\nanswer (4s left) \r\x1b[K');
  });

  it('on a pipe, never redraws: a line ends the prompt line first, then the prompt is printed again', () => {
    let out = '';
    const screen = createWatchScreen((text) => (out += text), false);
    screen.line('first');
    screen.prompt('answer> ');
    screen.refresh('answer (4s)> ');
    screen.line('event');
    screen.clearPrompt();
    expect(out).toBe('first\nanswer> \nevent\nanswer> \n');
  });
});
