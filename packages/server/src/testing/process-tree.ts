// Waiting on real processes instead of on the clock: a test that needs "the server has spawned the
// command" looks for that process under the server's pid, rather than sleeping and hoping.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  comm: string;
}

/** Every live descendant of `rootPid` (children of all its threads, recursively). */
export function descendants(rootPid: number): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of childrenOf(pid)) {
      found.push({ pid: child, comm: readComm(child) });
      queue.push(child);
    }
  }
  return found;
}

/**
 * Polls until a descendant of `rootPid` named `comm` (and passing `also`, if given) exists; throws,
 * naming what it saw, after `timeoutMs`.
 */
export async function waitForDescendant(rootPid: number, comm: string, also: (p: ProcessInfo) => boolean = () => true, timeoutMs = 20_000): Promise<ProcessInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tree = descendants(rootPid);
    const hit = tree.find((p) => p.comm === comm && also(p));
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(`no process "${comm}" appeared under pid ${rootPid} within ${timeoutMs} ms (saw: ${tree.map((p) => p.comm).join(', ') || 'none'})`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls `check` until it returns a value other than undefined/false; throws naming `what` after `timeoutMs`. */
export async function waitUntil<T>(check: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // gone meanwhile
  }
  return tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
