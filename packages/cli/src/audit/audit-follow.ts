// `--follow`: calls `check` whenever the file may have grown, until SIGINT or SIGTERM.
import { watch, type FSWatcher } from 'node:fs';

/**
 * fs.watch (inotify) gives low latency; the interval is the backstop for filesystems and limits
 * where inotify says nothing (NFS, an exhausted max_user_watches).
 */
const POLL_MS = 500;

export interface FollowOptions {
  /** Called when the follow cannot go on (check threw); the promise then resolves too. */
  onError(err: unknown): void;
}

export interface Follower {
  /** Resolves after a stop signal (once `check` has run a last time) or a failed check; never rejects. */
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * Takes over SIGINT and SIGTERM at once, so a signal that comes while the caller is still printing
 * what exists ends the follow cleanly instead of killing the process. `check` first runs on the next
 * turn of the event loop at the earliest.
 */
export function followFile(path: string, check: () => void, options: FollowOptions): Follower {
  let stop = (): void => {};
  const done = new Promise<void>((resolveDone) => {
    let watcher: FSWatcher | null = null;
    let stopped = false;
    stop = (): void => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      watcher?.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveDone();
    };
    const run = (): void => {
      if (stopped) return;
      try {
        check();
      } catch (err) {
        options.onError(err);
        stop();
      }
    };
    const onSignal = (): void => {
      run(); // lines written just before the signal still get printed
      stop();
    };
    const timer = setInterval(run, POLL_MS);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      watcher = watch(path, { persistent: false }, run);
      watcher.on('error', () => {
        watcher?.close();
        watcher = null;
      });
    } catch {
      watcher = null; // the interval alone still follows
    }
  });
  return { done, stop: () => stop() };
}
