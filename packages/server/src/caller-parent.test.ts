import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { callerParent, descendsFrom, procParent, type ParentOf } from './caller-parent.js';
import { createBroker } from './policy/broker.js';

// 100 ← 200 ← 300 ← 400; 500 is elsewhere (its parent is init).
const TREE: Record<number, number> = { 200: 100, 300: 200, 400: 300, 500: 1, 100: 1 };
const parentOf: ParentOf = (pid) => TREE[pid] ?? null;

describe('descendsFrom', () => {
  it.each([
    [400, 100, true], [400, 300, true], [200, 100, true],
    [100, 100, false], // a process is not its own descendant: the command itself calls as the agent did
    [500, 100, false], [400, 500, false], [999, 100, false],
  ])('%i from %i: %s', (pid, ancestor, expected) => {
    expect(descendsFrom(pid, ancestor, parentOf)).toBe(expected);
  });
});

describe('callerParent', () => {
  const broker = createBroker();
  const context = broker.newContext('outer');

  it('is the agent (null) while the context has no process, and for no or unknown contexts', () => {
    expect(callerParent(context, 300, broker, parentOf)).toBeNull();
    expect(callerParent(undefined, 300, broker, parentOf)).toBeNull();
    expect(callerParent(`shimgate_${'1'.repeat(64)}`, 300, broker, parentOf)).toBeNull();
    expect(callerParent(Buffer.from(context), 300, broker, parentOf)).toBeNull();
  });

  it('names the parent only for a caller that descends from the context\'s command', () => {
    broker.bindContext(context, 200);
    expect(callerParent(context, 400, broker, parentOf)).toBe('outer');
    expect(callerParent(context, 500, broker, parentOf)).toBeNull(); // the agent holding a copied nonce
    broker.revokeContext(context);
    expect(callerParent(context, 400, broker, parentOf)).toBeNull();
  });
});

describe('procParent', () => {
  it('reads the real parent of a real process', () => {
    const r = spawnSync('/bin/sh', ['-c', 'echo $$; echo $PPID'], { encoding: 'utf8' });
    const [, ppid] = r.stdout.trim().split('\n').map(Number);
    expect(ppid).toBe(process.pid);
    expect(procParent(process.pid)).toBe(process.ppid);
    expect(procParent(2 ** 22 + 1)).toBeNull();
  });
});
