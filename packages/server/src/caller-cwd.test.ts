// Real directories and real fds: the hint is used only when it names the very directory of the fd.
import { afterAll, describe, expect, it } from '@jest/globals';
import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callCwd } from './caller-cwd.js';

const W = mkdtempSync(join(tmpdir(), 'shimgate-cwd-'));
mkdirSync(join(W, 'a'));
mkdirSync(join(W, 'b'));
writeFileSync(join(W, 'file'), '');
symlinkSync(join(W, 'a'), join(W, 'link-to-a'));
const O_PATH_DIR = 0o10000000 | 0o200000;
const callerFd = openSync(join(W, 'a'), O_PATH_DIR);
afterAll(() => {
  closeSync(callerFd);
  rmSync(W, { recursive: true, force: true });
});

const same = (fd: number): boolean => fstatSync(fd).ino === fstatSync(callerFd).ino && fstatSync(fd).dev === fstatSync(callerFd).dev;

describe('callCwd', () => {
  it('never looks up a hint outside the session workdir, even the very same dir', () => {
    const cwd = callCwd(callerFd, join(W, 'a'), join(W, 'b'));
    expect(cwd.fd).toBe(callerFd);
  });

  it.each([['the same dir', 'a'], ['a symlink to it', 'link-to-a']])('opens its own fd when the hint is %s', (_what, hint) => {
    const cwd = callCwd(callerFd, join(W, hint), W);
    expect(cwd.fd).not.toBe(callerFd);
    expect(same(cwd.fd)).toBe(true);
    cwd.release();
    expect(() => fstatSync(cwd.fd)).toThrow(); // released: closed
  });

  it.each([
    ['another dir', join(W, 'b')],
    ['a file', join(W, 'file')],
    ['a missing path', join(W, 'nope')],
    ['nothing', ''],
    ['relative', 'a'],
    ['the same dir reached through ..', `${W}/b/../a`],
  ])(
    'keeps the caller\'s fd when the hint is %s',
    (_what, hint) => {
      const cwd = callCwd(callerFd, hint, W);
      expect(cwd.fd).toBe(callerFd);
      cwd.release();
      expect(same(callerFd)).toBe(true); // not closed by release
    },
  );
});
