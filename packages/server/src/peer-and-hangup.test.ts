// Who may talk to the server, and what happens when a caller goes away. Needs root (to act as a
// second, real uid); CI runs as root. Without root these tests fail: they never skip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { createMediationServer, type MediationServer } from './mediation-server.js';
import { waitForDescendant, waitUntil } from './testing/process-tree.js';
import { testRuntime } from './testing/test-runtime.js';

const run = promisify(execFile);
const CLIENT = new URL('./testing/raw-shim-client.py', import.meta.url).pathname;
const TOKEN = 'cd'.repeat(32);
const OTHER_USER = 'shimgate-peer-test';

let dir: string;
let socketPath: string;
let server: MediationServer;
let audit: AuditLog;

function ensureUser(name: string): void {
  if (process.getuid!() !== 0) throw new Error('these tests need root to create and act as a second uid (CI runs as root)');
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  }
}

beforeAll(async () => {
  ensureUser(OTHER_USER);
  dir = mkdtempSync(join(tmpdir(), 'shimgate-peer-'));
  chmodSync(dir, 0o755); // let the other uid reach the socket file, so the peer check itself is tested
  socketPath = join(dir, 'mediation.sock');
  audit = openAuditLog(join(dir, 'audit.jsonl'), { session_id: 'p', session_name: 'p', supervisor_pid: process.pid, sandboxed_pid: null, unconfined: false });
  server = createMediationServer({
    socketPath,
    token: TOKEN,
    agentUid: 0,
    runtime: testRuntime(dir, { true: '/bin/true', sleep: '/bin/sleep' }),
    audit,
    logger: pino({ level: 'silent' }),
    idleTimeoutMs: 2000,
  });
  await server.listen();
});

afterAll(async () => {
  await server.close();
  audit.close();
  rmSync(dir, { recursive: true, force: true });
});

function asOtherUser(mode: string) {
  return run('runuser', ['-u', OTHER_USER, '--', 'python3', CLIENT, socketPath, mode, TOKEN], { timeout: 10_000 });
}

describe('peer checks', () => {
  it('keeps the socket at mode 0600, so another uid cannot even connect', async () => {
    await expect(asOtherUser('good')).rejects.toMatchObject({ stderr: expect.stringContaining('Permission denied') });
  });

  it('refuses another uid by SO_PEERCRED even when the socket mode would let it in, and keeps serving', async () => {
    chmodSync(socketPath, 0o666);
    try {
      const { stdout } = await asOtherUser('good');
      expect(stdout.trim()).toBe('closed');
    } finally {
      chmodSync(socketPath, 0o600);
    }
    const { stdout } = await run('python3', [CLIENT, socketPath, 'good', TOKEN]);
    expect(stdout.trim()).toBe('{"exit_code":0}');
  });
});

describe('a caller that hangs up', () => {
  it('gets its child killed', async () => {
    const caller = spawn('python3', [CLIENT, socketPath, 'sleep', TOKEN], { stdio: 'ignore' });
    const callerGone = new Promise((resolve) => caller.on('exit', resolve));
    const child = await waitForDescendant(process.pid, 'sleep'); // the server has spawned it
    caller.kill('SIGKILL'); // the caller vanishes mid-call: its end of the connection closes
    await callerGone;
    const event = await waitUntil(() => {
      const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
      return lines.map((l) => JSON.parse(l) as { command?: string; signal?: number; child_pid?: number }).find((e) => e.command === 'sleep');
    }, 'the audit line of the killed sleep');
    expect(event).toMatchObject({ command: 'sleep', signal: 15, child_pid: child.pid });
    expect(() => process.kill(child.pid, 0)).toThrow(); // gone, not just signalled
  });
});
