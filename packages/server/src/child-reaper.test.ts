// Real children from spawnWithFds; the reaper must report each exactly once and leave libuv's alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createChildReaper, decodeStatus, type ChildReaper } from './child-reaper.js';
import { libc } from './libc.js';
import { spawnWithFds } from './spawn-with-fds.js';

const O_CLOEXEC = 0o2000000;

let reaper: ChildReaper;
let devNull: number;

beforeAll(() => {
  reaper = createChildReaper();
  devNull = openSync('/dev/null', 'r+');
});

afterAll(() => {
  reaper.close();
  closeSync(devNull);
});

function sh(script: string, stdin = devNull): number {
  return spawnWithFds({
    file: '/bin/sh', argv: ['sh', '-c', script], env: ['PATH=/usr/bin:/bin'], cwd: '/',
    stdio: [stdin, devNull, devNull], newSession: false,
  });
}

/** A close-on-exec pipe [read, write]; a child given the read end as stdin blocks until the write end closes. */
function pipe(): [number, number] {
  const fds = Buffer.alloc(8);
  expect(libc().pipe2(fds, O_CLOEXEC)).toBe(0);
  return [fds.readInt32LE(0), fds.readInt32LE(4)];
}

function state(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

describe('createChildReaper', () => {
  it('reports 50 children that exit at the same moment, each with its own code', async () => {
    const [readEnd, writeEnd] = pipe();
    // Every child blocks reading the pipe; closing its last write end releases them all at once.
    const pids = Array.from({ length: 50 }, (_, i) => sh(`read x; exit ${i + 1}`, readEnd));
    closeSync(readEnd);
    const results = new Map<number, unknown[]>();
    const all = Promise.all(
      pids.map((pid) => reaper.watch(pid).then((exit) => results.set(pid, [...(results.get(pid) ?? []), exit]))),
    );
    closeSync(writeEnd);
    await all;
    pids.forEach((pid, i) => expect(results.get(pid)).toEqual([{ code: i + 1, signal: null }]));
    // Reaped means gone: a second watch has nothing left to report.
    await expect(reaper.watch(pids[0]!)).rejects.toMatchObject({ code: 'ECHILD', syscall: 'waitpid' });
  });

  it.each([
    ['exit 0', { code: 0, signal: null }],
    ['exit 255', { code: 255, signal: null }],
    ['kill -TERM $$', { code: null, signal: 15 }],
    ['kill -KILL $$', { code: null, signal: 9 }],
    ['kill -USR1 $$', { code: null, signal: 10 }],
  ])('decodes `%s`', async (script, expected) => {
    expect(await reaper.watch(sh(script))).toEqual(expected);
  });

  it('reports a child that exited before watch() was called', async () => {
    const pid = sh('exit 4');
    for (const end = Date.now() + 5000; state(pid) !== 'Z'; ) {
      if (Date.now() > end) throw new Error('child never became a zombie');
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await reaper.watch(pid)).toEqual({ code: 4, signal: null });
  });

  it('wakes up on the exit itself: with the safety sweep out of reach, the pidfd alone reports it', async () => {
    const pidfdOnly = createChildReaper({ sweepIntervalMs: 2 ** 31 - 1 });
    try {
      const [readEnd, writeEnd] = pipe();
      const pid = sh('read x; exit 6', readEnd);
      closeSync(readEnd);
      const exit = pidfdOnly.watch(pid);
      closeSync(writeEnd); // the child exits only now, after the watch is in place
      expect(await exit).toEqual({ code: 6, signal: null });
    } finally {
      pidfdOnly.close();
    }
  });

  it('returns the same promise when one pid is watched twice', async () => {
    // The child blocks until both watches are in place: an early exit would be reaped by the first.
    const [readEnd, writeEnd] = pipe();
    const pid = sh('read x; exit 2', readEnd);
    closeSync(readEnd);
    const [a, b] = [reaper.watch(pid), reaper.watch(pid)];
    expect(a).toBe(b);
    closeSync(writeEnd);
    expect(await a).toEqual({ code: 2, signal: null });
  });

  it('leaves children of child_process to libuv', async () => {
    const ours = reaper.watch(sh('sleep 0.2; exit 5'));
    const theirs = new Promise<number | null>((resolve) => {
      execFile('/bin/sh', ['-c', 'exit 3'], (err) => resolve(err ? (err as { code?: number }).code ?? null : 0));
    });
    expect(await theirs).toBe(3);
    expect(await ours).toEqual({ code: 5, signal: null });
  });

  it('rejects a pid that is not its child', async () => {
    await expect(reaper.watch(1)).rejects.toMatchObject({ code: 'ECHILD' });
    await expect(reaper.watch(0)).rejects.toThrow(/not a child pid/);
  });

  it('rejects pending watches on close(), and any watch after', async () => {
    const own = createChildReaper();
    const [readEnd, writeEnd] = pipe();
    const pid = sh('read x', readEnd);
    closeSync(readEnd);
    const pending = own.watch(pid);
    own.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(own.watch(pid)).rejects.toThrow(/closed/);
    const exit = reaper.watch(pid);
    closeSync(writeEnd);
    expect(await exit).toEqual({ code: 1, signal: null }); // `read` at end of input fails
  });
});

describe('decodeStatus', () => {
  it.each([
    [0x0000, { code: 0, signal: null }],
    [0x0700, { code: 7, signal: null }],
    [0xff00, { code: 255, signal: null }],
    [0x000f, { code: null, signal: 15 }],
    [0x008b, { code: null, signal: 11 }], // SIGSEGV with the core-dump bit
  ])('%i', (status, expected) => {
    expect(decodeStatus(status)).toEqual(expected);
  });
});
