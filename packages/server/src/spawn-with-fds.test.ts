// Real processes through glibc's posix_spawn; exits observed with the ChildReaper.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChildReaper, type ChildReaper } from './child-reaper.js';
import { libc } from './libc.js';
import { signalProcessGroup } from './process-group.js';
import { spawnWithFds, type SpawnWithFdsOptions } from './spawn-with-fds.js';

let dir: string;
let reaper: ChildReaper;
let devNull: number;
const openFds: number[] = [];

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'spawn-with-fds-')));
  reaper = createChildReaper();
  devNull = openSync('/dev/null', 'r');
});

afterEach(() => {
  for (const fd of openFds.splice(0)) closeSync(fd);
});

afterAll(() => {
  reaper.close();
  closeSync(devNull);
  rmSync(dir, { recursive: true, force: true });
});

function output(name: string): { fd: number; read(): Buffer } {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  openFds.push(fd);
  return { fd, read: () => readFileSync(path) };
}

/** Spawns with /dev/null as stdin and stdout/stderr into fresh files, and waits for the exit. */
async function run(argv: (string | Buffer)[], extra: Partial<SpawnWithFdsOptions> = {}) {
  const out = output('out');
  const err = output('err');
  const pid = spawnWithFds({
    file: argv[0]!,
    argv,
    env: ['PATH=/usr/bin:/bin'],
    cwd: dir,
    stdio: [devNull, out.fd, err.fd],
    newSession: false,
    ...extra,
  });
  const exit = await reaper.watch(pid);
  return { exit, stdout: out.read(), stderr: err.read() };
}

/** /proc/<pid>/stat fields after the command name: [state, ppid, pgrp, session, ...]. */
function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('spawnWithFds', () => {
  it('runs with the given fds as stdout and stderr and reports the exit code', async () => {
    const r = await run(['/bin/sh', '-c', 'printf out; printf err >&2; exit 7']);
    expect(r.exit).toEqual({ code: 7, signal: null });
    expect(r.stdout.toString()).toBe('out');
    expect(r.stderr.toString()).toBe('err');
  });

  it('puts one fd on all three of 0, 1, 2', async () => {
    const out = output('all');
    const pid = spawnWithFds({
      file: '/bin/sh', argv: ['/bin/sh', '-c', 'printf a; printf b >&2; test -w /dev/stdin && printf c'],
      env: [], cwd: dir, stdio: [out.fd, out.fd, out.fd], newSession: false,
    });
    expect(await reaper.watch(pid)).toEqual({ code: 0, signal: null });
    expect(out.read().toString()).toBe('abc');
  });

  it('swaps fds that are each other’s targets', async () => {
    const a = output('a');
    const b = output('b');
    const pid = spawnWithFds({
      file: '/bin/sh', argv: ['/bin/sh', '-c', 'printf 1; printf 2 >&2'],
      env: [], cwd: dir, stdio: [devNull, b.fd, a.fd], newSession: false,
    });
    await reaper.watch(pid);
    expect([a.read().toString(), b.read().toString()]).toEqual(['2', '1']);
  });

  it('takes the server’s own fd 0 as a source for targets 1 and 2 after 0 was replaced', async () => {
    const stdin = readlinkSync('/proc/self/fd/0'); // throws, failing the test, when fd 0 is closed
    const a = output('a');
    const pid = spawnWithFds({
      file: '/bin/sleep', argv: ['sleep', '10'], env: [], cwd: dir, stdio: [a.fd, 0, 0], newSession: false,
    });
    const exited = reaper.watch(pid);
    await until('sleep to exec', () => readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n');
    const links = [0, 1, 2].map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`));
    process.kill(pid, 'SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 9 });
    expect(links).toEqual([join(dir, 'a'), stdin, stdin]);
  });

  it('runs in cwd', async () => {
    const r = await run(['/bin/pwd'], { cwd: '/usr/share' });
    expect(r.stdout.toString()).toBe('/usr/share\n');
  });

  it('passes bytes that are not UTF-8 through argv exactly', async () => {
    const raw = Buffer.from([0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28]);
    const r = await run(['/bin/sh', '-c', 'printf %s "$1" | od -An -tx1', 'sh', raw]);
    expect(r.stdout.toString().trim().split(/\s+/)).toEqual(['ff', 'fe', '80', '41', 'c3', '28']);
  });

  it('gives the child exactly the env it was given', async () => {
    const env = ['A=1', Buffer.concat([Buffer.from('B='), Buffer.from([0xff, 0x0a, 0x41])]), 'EMPTY='];
    const r = await run(['/usr/bin/env'], { env });
    expect(r.stdout).toEqual(Buffer.from('A=1\nB=\xff\nA\nEMPTY=\n', 'latin1'));
  });

  it('resets SIGPIPE to its default: `yes` in a closed pipe dies of it (141)', async () => {
    const r = await run(['/bin/bash', '-c', 'yes | head -c1 >/dev/null; echo ${PIPESTATUS[0]}']);
    expect(r.stdout.toString()).toBe('141\n');
  });

  it('lets no fd of the server into the child', async () => {
    // A pipe without O_CLOEXEC: only the closefrom(3) action keeps it out.
    const pipe = Buffer.alloc(8);
    expect(libc().pipe2(pipe, 0)).toBe(0);
    openFds.push(pipe.readInt32LE(0), pipe.readInt32LE(4));
    expect(readdirSync('/proc/self/fd').length).toBeGreaterThan(5);
    const r = await run(['/bin/ls', '/proc/self/fd']);
    // 3 is the directory ls has open while it lists.
    expect(r.stdout.toString().split('\n').filter(Boolean)).toEqual(['0', '1', '2', '3']);
  });

  it('with newSession, leads its own session and group; signalProcessGroup ends it and its child', async () => {
    const pid = spawnWithFds({
      file: '/bin/sh', argv: ['/bin/sh', '-c', 'sleep 100; echo not reached'],
      env: ['PATH=/usr/bin:/bin'], cwd: dir, stdio: [devNull, devNull, devNull], newSession: true,
    });
    const exited = reaper.watch(pid);
    const [, , pgrp, session] = stat(pid) ?? [];
    expect([Number(pgrp), Number(session)]).toEqual([pid, pid]);

    let sleepPid = 0;
    await until('sleep to start', () => {
      for (const entry of readdirSync('/proc')) {
        const s = /^\d+$/.test(entry) ? stat(Number(entry)) : undefined;
        if (s && Number(s[3]) === pid && Number(entry) !== pid && Number(s[1]) === pid) sleepPid = Number(entry);
      }
      return sleepPid !== 0 && readFileSync(`/proc/${sleepPid}/comm`, 'utf8').trim() === 'sleep';
    });

    expect(signalProcessGroup(pid, constants.signals.SIGTERM)).toBe(true);
    expect(await exited).toEqual({ code: null, signal: 15 });
    // The orphaned sleep goes to an init that may not reap it here: dead or a zombie is enough.
    await until('sleep to die', () => !existsSync(`/proc/${sleepPid}`) || stat(sleepPid)?.[0] === 'Z');
    expect(signalProcessGroup(pid, constants.signals.SIGTERM)).toBe(stat(sleepPid)?.[0] === 'Z');
  });

  it('without newSession, stays in the server’s session', async () => {
    const pid = spawnWithFds({
      file: '/bin/sleep', argv: ['sleep', '0.2'], env: [], cwd: dir, stdio: [devNull, devNull, devNull], newSession: false,
    });
    const exited = reaper.watch(pid);
    expect(Number(stat(pid)?.[3])).toBe(Number(stat(process.pid)?.[3]));
    await exited;
  });

  it.each([
    ['a missing program', { file: '/nonexistent/missing' }, 'ENOENT'],
    ['a missing cwd', { cwd: '/nonexistent/dir' }, 'ENOENT'],
    ['a closed stdio fd', { stdio: [1_000_000, 1_000_000, 1_000_000] as const }, 'EBADF'],
  ])('throws an errno error for %s', (_what, opts, code) => {
    const base = { file: '/bin/true', argv: ['true'], env: [], cwd: '/', stdio: [devNull, devNull, devNull] as const };
    const spawn = () => spawnWithFds({ ...base, newSession: false, ...opts });
    expect(spawn).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a relative file and NUL bytes', () => {
    const base = { argv: ['x'], env: [], cwd: '/', stdio: [devNull, devNull, devNull] as const, newSession: false };
    expect(() => spawnWithFds({ ...base, file: 'true' })).toThrow(/absolute/);
    expect(() => spawnWithFds({ ...base, file: '/bin/true', argv: ['a\0b'] })).toThrow(/NUL/);
  });
});
