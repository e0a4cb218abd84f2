import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSync, openSync } from 'node:fs';
import { createChildReaper, type ChildReaper } from './child-reaper.js';
import { signalProcessGroup } from './process-group.js';
import { spawnWithFds } from './spawn-with-fds.js';

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

describe('signalProcessGroup', () => {
  it('signals a live group and says false once it is gone', async () => {
    const pid = spawnWithFds({
      file: '/bin/sleep', argv: ['sleep', '100'], env: [], cwd: '/', stdio: [devNull, devNull, devNull], newSession: true,
    });
    const exited = reaper.watch(pid);
    expect(signalProcessGroup(pid, 0)).toBe(true);
    expect(signalProcessGroup(pid, 9)).toBe(true);
    expect(await exited).toEqual({ code: null, signal: 9 });
    expect(signalProcessGroup(pid, 0)).toBe(false);
  });

  it.each([0, 1, -1, 1.5])('refuses pid %p, which would reach far more than one group', (pid) => {
    expect(() => signalProcessGroup(pid, 0)).toThrow(RangeError);
  });
});
