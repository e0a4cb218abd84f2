// The real server on a real socket, fed by a raw client (python3, which can send fds) that breaks the
// protocol in each way the design names. Every refusal must close the connection, return the
// server's open fd count to its baseline, and leave the server serving.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { verifyChain } from './audit-chain.js';
import { createMediationServer, type MediationServer } from './mediation-server.js';
import { waitForDescendant, waitUntil } from './testing/process-tree.js';
import { testRuntime } from './testing/test-runtime.js';

const run = promisify(execFile);
const CLIENT = new URL('./testing/raw-shim-client.py', import.meta.url).pathname;
const TOKEN = 'ab'.repeat(32);

let dir: string;
let socketPath: string;
let server: MediationServer;
let audit: AuditLog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shimgate-server-'));
  socketPath = join(dir, 'mediation.sock');
  audit = openAuditLog(join(dir, 'audit.jsonl'), { session_id: 't', session_name: 't', supervisor_pid: process.pid, sandboxed_pid: null, unconfined: false });
  server = createMediationServer({
    socketPath,
    token: TOKEN,
    agentUid: process.getuid!(),
    runtime: testRuntime(dir, { true: '/bin/true', pwd: '/bin/pwd' }),
    audit,
    logger: pino({ level: 'silent' }),
    idleTimeoutMs: 300,
  });
  await server.listen();
});

afterAll(async () => {
  await server.close();
  audit.close();
  rmSync(dir, { recursive: true, force: true });
});

async function client(mode: string, token = TOKEN, timeout = 10_000, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('python3', [CLIENT, socketPath, mode, token], { timeout, env: { ...process.env, ...env } });
  return stdout.trim();
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

async function settled(): Promise<void> {
  await waitUntil(() => server.activeCalls === 0, 'every call to be finished');
}

describe('mediation server', () => {
  it('serves a good call with its exit code', async () => {
    expect(await client('good')).toBe('{"exit_code":0}');
  });

  it.each(['no-fds', 'three-fds', 'five-fds', 'file-as-cwd', 'oversize', 'truncated', 'bad-json', 'wrong-token', 'idle'])(
    'refuses a %s client, closes every fd it brought, and serves the next good call',
    async (mode) => {
      await client('good'); // warm up lazily opened fds (libc, reaper) before taking the baseline
      await settled();
      const baseline = openFds();
      expect(await client(mode)).toBe('closed');
      await settled();
      expect(openFds()).toBe(baseline);
      expect(await client('good')).toBe('{"exit_code":0}');
    },
  );

  it('runs the command in the directory the cwd fd names, whatever the cwd string says', async () => {
    const real = mkdtempSync(join(tmpdir(), 'shimgate-cwd-'));
    try {
      // pwd -P prints to the client's stdout (fd 1 passed through); the client then prints the answer.
      const out = await client('cwd-lie', TOKEN, 10_000, { CWD_DIR: real, CWD_STRING: '/nonexistent/lie' });
      expect(out).toBe(`${realpathSync(real)}\n{"exit_code":0}`);
    } finally {
      rmSync(real, { recursive: true, force: true });
    }
  });

  it('never resolves the cwd string: a hidden dir and a missing one get the same treatment', async () => {
    const hidden = mkdtempSync(join(tmpdir(), 'shimgate-hidden-'));
    chmodSync(hidden, 0o700);
    const real = mkdtempSync(join(tmpdir(), 'shimgate-cwd-'));
    try {
      const a = await client('cwd-lie', TOKEN, 10_000, { CWD_DIR: real, CWD_STRING: hidden });
      const b = await client('cwd-lie', TOKEN, 10_000, { CWD_DIR: real, CWD_STRING: `${hidden}-missing` });
      expect(a).toBe(b);
      expect(a).toBe(`${realpathSync(real)}\n{"exit_code":0}`);
    } finally {
      rmSync(hidden, { recursive: true, force: true });
      rmSync(real, { recursive: true, force: true });
    }
  });

  it('keeps serving while one caller\'s stderr is a full pipe nobody reads', async () => {
    const stuck = client('stuck-stderr', TOKEN, 25_000);
    await waitUntil(() => server.activeCalls > 0, 'the stuck call to be taken in');
    expect(await client('good')).toBe('{"exit_code":0}');
    expect(await stuck).toBe('{"exit_code":127}'); // answered once the write gives up, not before
  }, 30_000);

  it('serves the ASan/UBSan build of the shim too (no sanitizer report, exit codes intact)', async () => {
    execFileSync('make', ['-s', '-C', new URL('../../../shim', import.meta.url).pathname, 'check']);
    const shimDir = join(dir, 'asan-shims');
    mkdirSync(shimDir, { recursive: true });
    copyFileSync(new URL('../../../shim/build/shimgate-shim-asan', import.meta.url), join(shimDir, 'true'));
    chmodSync(join(shimDir, 'true'), 0o755);
    const env = { PATH: '/usr/bin:/bin', SHIMGATE_SOCKET: socketPath, SHIMGATE_MEDIATED: 'true', SHIMGATE_SESSION_TOKEN: TOKEN };
    // sh passes the raw byte 0xff (not UTF-8: it travels as {"b64"}) and a long argument.
    const script = `exec "${join(shimDir, 'true')}" plain "$(printf 'f\\377')" "$(head -c 5000 /dev/zero | tr '\\0' x)"`;
    const r = await run('/bin/sh', ['-c', script], { env, encoding: 'utf8' }).then(
      (ok) => ({ code: 0, stderr: ok.stderr }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(r).toEqual({ code: 0, stderr: '' });
    const last = JSON.parse(readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').at(-1)!);
    expect(last.args).toEqual(['plain', 'f\\xff', 'x'.repeat(5000)]); // the byte arrived as bytes
    const gone = await run(join(shimDir, 'true'), [], { env: { ...env, SHIMGATE_SOCKET: join(dir, 'nope.sock') }, encoding: 'utf8' }).catch((err: { code: number; stderr: string }) => err);
    expect(gone).toMatchObject({ code: 125, stderr: expect.stringContaining('mediation unavailable') });
    expect((gone as { stderr: string }).stderr).not.toMatch(/Sanitizer|runtime error/);
  }, 60_000);

  it('audits every served call in a chain that verifies', async () => {
    await client('good');
    const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    const check = verifyChain(text);
    expect(check).toMatchObject({ ok: true });
    const last = JSON.parse(text.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ command: 'true', action_type: 'passthrough', exit_code: 0, session_id: 't' });
  });
});

describe('closing the server', () => {
  it('stops the commands still running', async () => {
    const closeDir = mkdtempSync(join(tmpdir(), 'shimgate-close-'));
    const closeAudit = openAuditLog(join(closeDir, 'audit.jsonl'), { session_id: 'c', session_name: 'c', supervisor_pid: process.pid, sandboxed_pid: null, unconfined: false });
    const closing = createMediationServer({
      socketPath: join(closeDir, 's.sock'), token: TOKEN, agentUid: process.getuid!(),
      runtime: testRuntime(closeDir, { sleep: '/bin/sleep' }), audit: closeAudit, logger: pino({ level: 'silent' }),
    });
    await closing.listen();
    const caller = run('python3', [CLIENT, join(closeDir, 's.sock'), 'sleep', TOKEN], { timeout: 20_000 });
    await waitForDescendant(process.pid, 'sleep'); // the call is in and its command running
    await closing.close();
    const event = JSON.parse(readFileSync(join(closeDir, 'audit.jsonl'), 'utf8').trim().split('\n').at(-1)!);
    expect(event).toMatchObject({ command: 'sleep', signal: 15 });
    expect(() => process.kill(event.child_pid, 0)).toThrow();
    await caller.catch(() => undefined);
    closeAudit.close();
    rmSync(closeDir, { recursive: true, force: true });
  }, 30_000);
});
