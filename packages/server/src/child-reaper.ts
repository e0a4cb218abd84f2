// Reaps children spawned with spawnWithFds, which libuv does not know about: no thread per child and
// nothing parked on the libuv threadpool. Each watched child gets a pidfd, polled on the main loop
// (koffi.node.poll is a plain uv_poll_t); it turns readable when the child exits, and then
// waitpid(pid, WNOHANG) collects the status. Never waitpid(-1): it would steal the exit status of
// children libuv spawned (child_process, execa).
//
// Why not process.on('SIGCHLD'): it works in plain Node 20, but under jest `process` is a copy whose
// listeners the real signal never reaches (measured: 0 calls), so the fast path would go untested and
// every reap in a test would wait for the sweep.
import { constants } from 'node:os';
import koffi from 'koffi';
import { WNOHANG, errnoError, lastErrno, libc } from './libc.js';

/** How a child ended: `code` when it exited, `signal` (a number, e.g. 15) when a signal killed it. */
export type ChildExit = { code: number | null; signal: number | null };

export interface ChildReaper {
  /**
   * Resolves once with the child's exit. The pid must be an unreaped child of this process. A pending
   * watch does not keep the process alive (the server's socket does).
   */
  watch(pid: number): Promise<ChildExit>;
  /** Stops watching; watches still pending reject. */
  close(): void;
}

type PollHandle = ReturnType<typeof koffi.node.poll>;

interface Watch {
  promise: Promise<ChildExit>;
  resolve(exit: ChildExit): void;
  reject(err: Error): void;
  /** Absent when pidfd_open failed (EMFILE…): the sweep alone reaps that child. */
  pidfd?: number;
  poll?: PollHandle;
}

// Insurance only: a child whose pidfd could not be opened or polled is still reaped within a second.
const SWEEP_INTERVAL_MS = 1000;

export interface ChildReaperOptions {
  /** How often the insurance sweep runs (tests set it out of reach to prove the pidfd path alone). */
  sweepIntervalMs?: number;
}

export function createChildReaper(options: ChildReaperOptions = {}): ChildReaper {
  const sweepIntervalMs = options.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
  const watched = new Map<number, Watch>();
  let sweep: NodeJS.Timeout | undefined;
  let closed = false;

  const settle = (pid: number, w: Watch): void => {
    let outcome: ChildExit | Error | undefined;
    try {
      outcome = tryReap(pid);
    } catch (err) {
      outcome = err as Error;
    }
    if (outcome === undefined) return;
    forget(pid, w);
    if (outcome instanceof Error) w.reject(outcome);
    else w.resolve(outcome);
  };

  const forget = (pid: number, w: Watch): void => {
    watched.delete(pid);
    w.poll?.close(); // stops the uv_poll synchronously, so the fd can go now
    if (w.pidfd !== undefined) libc().close(w.pidfd);
    if (watched.size === 0 && sweep !== undefined) {
      clearInterval(sweep);
      sweep = undefined;
    }
  };

  const sweepAll = (): void => {
    for (const [pid, w] of watched) settle(pid, w);
  };

  return {
    watch(pid: number): Promise<ChildExit> {
      if (closed) return Promise.reject(new Error('child reaper is closed'));
      if (!Number.isInteger(pid) || pid <= 0) return Promise.reject(new RangeError(`not a child pid: ${pid}`));
      const existing = watched.get(pid);
      if (existing !== undefined) return existing.promise;

      let resolve!: (exit: ChildExit) => void;
      let reject!: (err: Error) => void;
      const promise = new Promise<ChildExit>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const w: Watch = { promise, resolve, reject };
      watched.set(pid, w);
      startPoll(pid, w, () => settle(pid, w));
      // The child may be gone already (its pidfd would then be readable at once anyway).
      settle(pid, w);
      if (watched.has(pid) && sweep === undefined) sweep = setInterval(sweepAll, sweepIntervalMs).unref();
      return promise;
    },
    close(): void {
      if (closed) return;
      closed = true;
      const pending = [...watched];
      for (const [pid, w] of pending) forget(pid, w);
      for (const [, w] of pending) w.reject(new Error('child reaper closed before the child exited'));
    },
  };
}

function startPoll(pid: number, w: Watch, onReadable: () => void): void {
  const pidfd = libc().pidfd_open(pid, 0);
  if (pidfd < 0) return; // ESRCH: already reaped, which settle() reports; EMFILE: left to the sweep
  w.pidfd = pidfd;
  try {
    // koffi calls back with (status, events), not the single PollEvents its typings declare; either way
    // the answer comes from waitpid, so neither is read.
    const poll = koffi.node.poll(pidfd, { readable: true }, onReadable) as PollHandle | null;
    poll?.unref();
    if (poll) w.poll = poll;
  } catch {
    // uv_poll_init failed: the sweep still reaps this child.
  }
}

/** The child's exit if it has ended (and is now reaped), undefined while it runs. */
function tryReap(pid: number): ChildExit | undefined {
  const status = Buffer.alloc(4);
  for (;;) {
    const r = libc().waitpid(pid, status, WNOHANG);
    if (r === pid) return decodeStatus(status.readInt32LE());
    if (r === 0) return undefined;
    const errno = lastErrno();
    if (errno !== constants.errno.EINTR) throw errnoError('waitpid', errno, String(pid));
  }
}

/** Decodes a wait status as WIFEXITED/WEXITSTATUS and WIFSIGNALED/WTERMSIG do. */
export function decodeStatus(status: number): ChildExit {
  const low = status & 0x7f;
  if (low === 0) return { code: (status >> 8) & 0xff, signal: null };
  // 0x7f means "stopped", which waitpid reports only with WUNTRACED: anything else here is a signal death.
  return { code: null, signal: low };
}
