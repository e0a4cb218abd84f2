// `shimgate run` end to end: the real CLI starts the real server, the agent's calls go through the
// real C shim, and the fds travel over the real socket.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForDescendant, waitUntil } from '../../server/src/testing/process-tree.js';
import { SHIMGATE_BIN } from './testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'shimgate-run-'));
const work = join(root, 'work');
mkdirSync(join(work, 'sub', 'deeper'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A tool whose behaviour the tests pick by argument: its output and exit status are what we check.
const tool = join(root, 'tool');
writeFileSync(
  tool,
  [
    '#!/bin/sh',
    'case "$1" in',
    '  streams) printf "to-stdout\\n"; printf "to-stderr\\n" >&2 ;;',
    '  exit) exit "$2" ;;',
    '  term) kill -TERM $$ ;;',
    'esac',
  ].join('\n'),
);
chmodSync(tool, 0o755);

const profile = join(root, 'profile.json');
writeFileSync(
  profile,
  JSON.stringify({
    extends: 'default',
    mediation: {
      commands: [
        { name: 'cat' },
        { name: 'pwd', binary_path: '/bin/pwd' },
        { name: 'sleep' },
        { name: 'tool', binary_path: tool },
        { name: 'no-such-binary-here' },
      ],
      audit: { commands: ['uname'] },
    },
  }),
);

const env = { XDG_STATE_HOME: join(root, 'state'), XDG_RUNTIME_DIR: join(root, 'run') };
mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });

function agent(script: string, input?: string | Buffer) {
  const result = spawnSync(
    process.execPath,
    [SHIMGATE_BIN, 'run', '--unconfined', '--profile', profile, '--workdir', work, '--', 'sh', '-c', script],
    { env: { ...process.env, ...env }, input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

describe('shimgate run --unconfined', () => {
  it('pipes stdin through a mediated cat', () => {
    const r = agent('cat', 'hi\n');
    expect(r.stdout.toString()).toBe('hi\n');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('UNCONFINED');
  });

  it('round-trips 4 MiB of every byte value unchanged', () => {
    const data = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 1) data[i] = i % 256;
    const r = agent('cat', data);
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, data)).toBe(0);
  });

  it('puts stdout and stderr on the right fds', () => {
    const r = agent('tool streams');
    expect(r.stdout.toString()).toBe('to-stdout\n');
    expect(r.stderr).toContain('to-stderr\n');
    expect(r.stderr).not.toContain('to-stdout');
  });

  it.each([0, 1, 42])('returns exit code %i exactly', (code) => {
    const r = agent(`tool exit ${code}`);
    expect(r.status).toBe(code);
  });

  it('returns 143 for a command killed by SIGTERM', () => {
    expect(agent('tool term').status).toBe(143);
  });

  it('runs a mediated pwd in the caller\'s subdirectory', () => {
    const r = agent('cd sub/deeper && env pwd');
    expect(r.stdout.toString()).toBe(`${join(work, 'sub', 'deeper')}\n`);
  });

  it('exits 127 for a mediated name with no binary', () => {
    const r = agent('no-such-binary-here');
    expect(r.status).toBe(127);
    expect(r.stderr).toContain('shimgate: no-such-binary-here:');
  });

  it('stops a mediated sleep 100 when the shim gets SIGINT', async () => {
    const pidFile = join(root, 'sleep.pid');
    const child = spawn(
      process.execPath,
      [SHIMGATE_BIN, 'run', '--unconfined', '--profile', profile, '--workdir', work, '--', 'sh', '-c', `echo $$ > ${pidFile}; exec sleep 100`],
      { env: { ...process.env, ...env } },
    );
    // Not `sleep 100 &`: sh without job control starts background jobs with SIGINT ignored, and the
    // shim keeps an ignored signal ignored. exec keeps the shim in the foreground with the shell's pid.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const shimPid = Number(await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim(), 'the agent shell to write its pid'));
    // The shim is named sleep too; the real one runs as the supervisor's child once the call is in.
    const sleeper = await waitForDescendant(child.pid!, 'sleep', (p) => p.pid !== shimPid);
    process.kill(shimPid, 'SIGINT');
    const code = await exited;
    expect(code).toBe(130); // 128 + SIGINT, from the shim through the agent to run's own exit
    expect(() => process.kill(sleeper.pid, 0)).toThrow(); // the mediated sleep is gone, not left over
  });

  it('writes each call to the session audit file', () => {
    const r = agent('tool exit 3; echo "$SHIMGATE_SESSION_ID"');
    const id = r.stdout.toString().trim();
    const lines = readFileSync(join(env.XDG_STATE_HOME, 'shimgate', 'audit', `${id}.jsonl`), 'utf8').trim().split('\n');
    const event = JSON.parse(lines.at(-1)!);
    expect(event).toMatchObject({ session_id: id, command: 'tool', args: ['exit', '3'], action_type: 'passthrough', exit_code: 3 });
    expect(event.supervisor_pid).toEqual(expect.any(Number));
    expect(event.sandboxed_pid).toEqual(expect.any(Number));
  });

  it('logs an audit-only command and runs its real binary', () => {
    const r = agent('uname -s; echo "$SHIMGATE_SESSION_ID"');
    const [sysname, id] = r.stdout.toString().trim().split('\n');
    expect(sysname).toBe('Linux');
    const file = join(env.XDG_STATE_HOME, 'shimgate', 'audit', `${id}.jsonl`);
    // The supervisor drains the audit socket before it closes, so the datagram is in the file now.
    const event = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.command === 'uname');
    expect(event).toMatchObject({ action_type: 'audit', args: ['-s'] });
  });

  it('writes session.json and the sidecars while the session runs', () => {
    const r = agent('d=$(dirname "$(dirname "$SHIMGATE_SOCKET")"); /bin/cat "$d/session.json"; echo; /bin/cat "$SHIMGATE_SHIM_SOURCES_DIR/tool"; stat -c %a "$d" "$d/agent" "$SHIMGATE_SOCKET"');
    const text = r.stdout.toString();
    const record = JSON.parse(text.slice(0, text.lastIndexOf('}') + 1));
    expect(record).toMatchObject({
      profile,
      workdir: work,
      name: 'sh',
      supervisor_pid: expect.any(Number),
      sandboxed_pid: expect.any(Number),
      status: 'running',
      unconfined: true,
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      control_socket: expect.stringMatching(/\/control\.sock$/),
    });
    const rest = text.slice(text.lastIndexOf('}') + 1).trim().split('\n');
    expect(rest).toEqual([tool, '700', '700', '600']);
  });

  it('removes the session directory when the agent exits', () => {
    const r = agent('echo "$SHIMGATE_SOCKET"');
    const socket = r.stdout.toString().trim();
    expect(socket).toMatch(/\/agent\/mediation\.sock$/);
    expect(existsSync(join(socket, '..', '..'))).toBe(false);
  });
});

describe('the shim without a server', () => {
  it('exits 125 and runs nothing', () => {
    const shimDir = join(root, 'lone-shim');
    mkdirSync(shimDir);
    const shim = join(shimDir, 'touch');
    writeFileSync(shim, readFileSync(new URL('../../../shim/build/shimgate-shim', import.meta.url)));
    chmodSync(shim, 0o755);
    const marker = join(root, 'must-not-exist');
    const r = spawnSync(shim, [marker], {
      env: { PATH: `${shimDir}:/usr/bin:/bin`, SHIMGATE_SOCKET: join(root, 'gone.sock'), SHIMGATE_MEDIATED: 'touch', SHIMGATE_SESSION_TOKEN: 'x' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(125);
    expect(r.stderr).toContain('shimgate: touch: mediation unavailable:');
    expect(existsSync(marker)).toBe(false);
  });
});
