// `shimgate ui` over real HTTP: the built CLI is started as a process and asked with node's fetch (and
// node:http where a Host header must be forged). Needs `npm run build`; the last test runs a real,
// sandboxed session (bwrap, like approvals-e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startAgentProcess, startUiProcess, type UiProcess } from './testing/cli-processes.js';
import { SessionFixture } from './testing/session-fixture.js';

type Ui = UiProcess;
const startUi = startUiProcess;

const fx = new SessionFixture();
const AUDIT_ID = '0123456789ab';
let ui: Ui;
const url = (path: string, params: Record<string, string> = {}, token: string | null = ui.token): string => {
  const u = new URL(path, ui.base);
  for (const [k, v] of Object.entries({ ...params, ...(token === null ? {} : { token }) })) u.searchParams.set(k, v);
  return u.toString();
};
const get = (path: string, params: Record<string, string> = {}): Promise<Response> => fetch(url(path, params));
const decide = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Response> =>
  fetch(url('/api/decide'), { method: 'POST', headers, body });

beforeAll(async () => {
  const dir = join(fx.env.XDG_STATE_HOME!, 'shimgate', 'audit');
  mkdirSync(dir, { recursive: true });
  const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify({ seq: i + 1, command: 'git', args: ['status'], action_type: 'passthrough', exit_code: 0 }));
  writeFileSync(join(dir, `${AUDIT_ID}.jsonl`), `${lines.join('\n')}\n`);
  ui = await startUi(fx.env);
});
afterAll(async () => {
  expect(await ui.stop('SIGTERM')).toBe(0);
  fx.cleanup();
});

describe('shimgate ui: token, Host, methods', () => {
  it('answers 403 without the token, with a wrong one, or with the token twice', async () => {
    const wrong = `${ui.token.slice(0, -1)}${ui.token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of ['/', '/api/sessions', '/api/approvals', '/api/events', '/api/audit', '/nothing']) {
      for (const target of [url(path, {}, null), url(path, {}, wrong), url(path, {}, 'short'), `${url(path)}&token=${ui.token}`]) {
        const res = await fetch(target);
        expect([path, res.status]).toEqual([path, 403]);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
    }
    const body = JSON.stringify({ session_id: 'abcdef', id: 'k3x9q2', decision: 'approve' });
    const post = await fetch(url('/api/decide', {}, null), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(post.status).toBe(403);
  });

  it('serves the page with the token, under a CSP that allows only its own script and style', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(html).not.toContain(ui.token); // the page reads it from its own URL
  });

  it('refuses a Host header other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding)', async () => {
    const withHost = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: ui.port, path: `/?token=${ui.token}`, headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject).end();
      });
    expect(await withHost('evil.example')).toBe(403);
    expect(await withHost(`evil.example:${ui.port}`)).toBe(403);
    expect(await withHost('127.0.0.1')).toBe(403);
    expect(await withHost(`127.0.0.1:${ui.port + 1}`)).toBe(403);
    expect(await withHost(`localhost:${ui.port}`)).toBe(200);
    expect(await withHost(`127.0.0.1:${ui.port}`)).toBe(200);
  });

  it('answers 405 to a method a path does not take', async () => {
    const res = await fetch(url('/api/decide'));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await fetch(url('/'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(405);
    expect((await fetch(url('/api/sessions'), { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(url('/api/decide'), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(405);
    expect((await get('/nothing')).status).toBe(404);
  });

  it('takes a decision only as JSON, from no origin or its own, and checks every field', async () => {
    const ok = JSON.stringify({ session_id: 'abcdef', id: 'k3x9q2', decision: 'approve' });
    expect((await decide('session_id=abcdef&id=k3x9q2&decision=approve', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await decide(ok, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await decide(ok, { 'Content-Type': 'application/json', Origin: 'http://evil.example' })).status).toBe(403);
    expect((await decide('{not json')).status).toBe(400);
    expect((await decide(JSON.stringify({ session_id: '../x', id: 'k3x9q2', decision: 'approve' }))).status).toBe(400);
    expect((await decide(JSON.stringify({ session_id: 'abcdef', id: 'k3x9q2', decision: 'maybe' }))).status).toBe(400);
    expect((await decide(JSON.stringify({ session_id: 'abcdef', id: 'k3x9q2', decision: 'deny', scope: 'forever' }))).status).toBe(400);
    expect((await decide(JSON.stringify({ session_id: 'abcdef', id: 'k', decision: 'deny', reason: 'x'.repeat(20_000) }))).status).toBe(413);
    const res = await decide(ok, { 'Content-Type': 'application/json; charset=utf-8', Origin: `http://127.0.0.1:${ui.port}` });
    expect([res.status, await res.json()]).toEqual([404, { ok: false, error: 'no live session abcdef' }]);
  });

  it('reads /api/audit only for a hex session id, and only the latest lines', async () => {
    for (const session of ['../../../etc/passwd', 'ABCDEF', '0123/..', '', '%2e%2e']) {
      expect([session, (await get('/api/audit', { session })).status]).toEqual([session, 400]);
    }
    expect((await get('/api/audit')).status).toBe(400);
    for (const limit of ['0', '501', 'ten', '-1', '1e2']) expect((await get('/api/audit', { session: AUDIT_ID, limit })).status).toBe(400);
    expect((await get('/api/audit', { session: 'abcdef' })).status).toBe(404);
    const all = (await (await get('/api/audit', { session: AUDIT_ID })).json()) as { events: { seq: number }[] };
    expect(all.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    const few = (await (await get('/api/audit', { session: AUDIT_ID, limit: '3' })).json()) as { events: { seq: number }[] };
    expect(few.events.map((e) => e.seq)).toEqual([58, 59, 60]);
  });

  it('lists no sessions and no approvals when none run, and opens an event stream', async () => {
    expect(await (await get('/api/sessions')).json()).toEqual({ ok: true, sessions: [] });
    expect(await (await get('/api/approvals')).json()).toEqual({ ok: true, pending: [], unanswered: [] });
    const abort = new AbortController();
    const res = await fetch(url('/api/events'), { signal: abort.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { value } = await res.body!.getReader().read();
    expect(Buffer.from(value!).toString()).toBe('retry: 2000\n\n');
    abort.abort();
  });
});

describe('shimgate ui: port and stopping', () => {
  it('listens on --port N, refuses a port in use, and stops with 0 on SIGINT', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const second = await startUi(fx.env, ['--port', String(port)]);
    expect(second.port).toBe(port);
    await expect(startUi(fx.env, ['--port', String(port)])).rejects.toThrow(/exited \(1\).*127\.0\.0\.1:\d+: is in use/s);
    await expect(startUi(fx.env, ['--port', '70000'])).rejects.toThrow(/--port 70000 is not a port/);
    expect(await second.stop('SIGINT')).toBe(0);
  });
});

describe('shimgate ui with a real session', () => {
  it('lists the session, relays its pending approval and the decision, and forwards Approve', async () => {
    const gh = fx.script('gh', 'echo "gh ran: $*"');
    const profile = fx.profile({
      extends: 'default',
      mediation: { commands: [{ name: 'gh', binary_path: gh, intercept: [{ args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } }] }] },
    });
    const abort = new AbortController();
    const stream = await fetch(url('/api/events'), { signal: abort.signal });
    const events = eventLines(stream.body!.getReader());
    const agent = startAgentProcess(fx.env, profile, fx.work, 'gh pr merge 7; echo "rc=$?"');
    try {
      const pending = await events.until((e) => e.event === 'pending');
      const approval = pending.approval as Record<string, unknown>;
      expect(approval).toMatchObject({ command: 'gh', args: ['pr', 'merge', '7'], session_id: pending.session_id });
      const listed = (await (await get('/api/approvals')).json()) as { pending: Record<string, unknown>[] };
      expect(listed.pending).toEqual([expect.objectContaining({ id: approval.id, session_id: pending.session_id })]);
      const sessions = (await (await get('/api/sessions')).json()) as { sessions: Record<string, unknown>[] };
      expect(sessions.sessions).toEqual([expect.objectContaining({ id: pending.session_id, pending: 1, unconfined: false })]);
      const res = await decide(JSON.stringify({ session_id: pending.session_id, id: approval.id, decision: 'approve' }));
      expect(await res.json()).toEqual({ ok: true });
      expect(await events.until((e) => e.event === 'decided')).toMatchObject({ id: approval.id, decision: 'approve', scope: 'once' });
      expect((await events.until((e) => e.event === 'command')).audit).toMatchObject({ command: 'gh', action_type: 'passthrough', exit_code: 0 });
      const result = await agent.done;
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('gh ran: pr merge 7\nrc=0\n');
      const audit = (await (await get('/api/audit', { session: pending.session_id as string })).json()) as { events: Record<string, unknown>[] };
      expect(audit.events.map((e) => e.action_type)).toEqual(['approve', 'approve', 'passthrough']);
    } finally {
      agent.kill();
      abort.abort();
    }
  }, 60_000);
});

/** Reads `data:` lines of a server-sent event stream as JSON objects, in order. */
function eventLines(reader: ReadableStreamDefaultReader<Uint8Array>): { until(match: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> } {
  let buffer = '';
  const queue: Record<string, unknown>[] = [];
  return {
    async until(match) {
      for (;;) {
        const found = queue.findIndex(match);
        if (found !== -1) return queue.splice(0, found + 1).at(-1)!;
        queue.length = 0;
        const { value, done } = await reader.read();
        if (done) throw new Error('the event stream ended');
        buffer += Buffer.from(value).toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('data: ')) queue.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
      }
    },
  };
}
