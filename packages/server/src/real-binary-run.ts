// Runs a real binary for a call on the caller's fds and waits for it, forwarding the shim's signal
// frames to its process group and killing that group if the shim hangs up. With `captureStdout`, the
// child's stdout goes to a pipe the server reads instead of to the caller.
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ChildExit, ChildReaper } from './child-reaper.js';
import type { Intake } from './connection-intake.js';
import type { FrameResult } from './frame-decoder.js';
import { errnoError, lastErrno, libc } from './libc.js';
import { signalProcessGroup } from './process-group.js';
import { spawnWithFds } from './spawn-with-fds.js';

type Accepted = Extract<Intake, { ok: true }>;

export interface RealRun {
  file: string;
  argv: (string | Buffer)[];
  env: (string | Buffer)[];
  /** The directory fd the child starts in (see caller-cwd.ts). */
  cwdFd: number;
  captureStdout: boolean;
  /** Told the child's pid as soon as it exists (before any of its children can call back). */
  onSpawn?: (pid: number) => void;
}

export interface RealRunResult {
  pid: number;
  exit: ChildExit;
  /** What the child wrote to stdout, when captured; null when over the limit. */
  captured: Buffer | null;
}

/** Signals a shim may forward (DESIGN §4.1); anything else in a signal frame is ignored. */
const FORWARDED_SIGNALS = new Set([1, 2, 3, 15]);
/** After the shim hangs up, the child gets SIGTERM, then SIGKILL this much later. */
const KILL_GRACE_MS = 2000;
/** Captured output is a secret for the broker (a token, a key): anything this big is not one. */
export const MAX_CAPTURE_BYTES = 1024 * 1024;
const O_CLOEXEC = 0o2000000;

/** What a run needs from its server: the reaper, the log, and the set of live children to stop at close. */
export interface RunContext {
  reaper: ChildReaper;
  logger: Logger;
  children: Set<number>;
}

export async function runRealBinary(call: Accepted, socket: Socket, run: RealRun, ctx: RunContext): Promise<RealRunResult> {
  const pipe = run.captureStdout ? openPipe() : null;
  let pid: number;
  try {
    pid = spawnWithFds({
      file: run.file,
      argv: run.argv,
      env: run.env,
      cwd: { fd: run.cwdFd },
      stdio: [call.fds[0], pipe ? pipe.write : call.fds[1], call.fds[2]],
      newSession: true,
    });
  } catch (err) {
    if (pipe) libc().close(pipe.read);
    throw err;
  } finally {
    if (pipe) libc().close(pipe.write);
  }
  ctx.children.add(pid);
  run.onSpawn?.(pid);
  const output = pipe ? readAll(pipe.read, () => signalProcessGroup(pid, 9)) : Promise.resolve(null);
  const stopFollowing = followShim(socket, call, pid, ctx.logger);
  try {
    const [exit, captured] = await Promise.all([ctx.reaper.watch(pid), output]);
    return { pid, exit, captured };
  } finally {
    ctx.children.delete(pid);
    stopFollowing();
  }
}

function openPipe(): { read: number; write: number } {
  const fds = Buffer.alloc(8);
  if (libc().pipe2(fds, O_CLOEXEC) !== 0) throw errnoError('pipe2', lastErrno());
  return { read: fds.readInt32LE(0), write: fds.readInt32LE(4) };
}

/** Reads a pipe to its end through libuv (non-blocking, off the threadpool); null past the cap. */
function readAll(fd: number, onOverflow: () => void): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const stream = new Socket({ fd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CAPTURE_BYTES) {
        onOverflow();
        stream.destroy();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', () => resolve(null));
  });
}

function followShim(socket: Socket, call: Accepted, pid: number, logger: Logger): () => void {
  let done = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onFrames = (frames: FrameResult[]): void => {
    for (const frame of frames) {
      const signal = frame.ok ? (frame.value as { signal?: unknown } | null)?.signal : undefined;
      if (typeof signal === 'number' && FORWARDED_SIGNALS.has(signal)) {
        signalProcessGroup(pid, signal);
        continue;
      }
      // Anything else breaks the protocol: stop reading (no unbounded buffering) and treat it as a hang-up.
      logger.warn({ pid }, 'the shim sent a frame that is not a forwarded signal: ending the call');
      socket.destroy();
      onGone();
      return;
    }
  };
  let gone = false;
  const onGone = (): void => {
    if (done || gone) return;
    gone = true;
    signalProcessGroup(pid, 15);
    killTimer = setTimeout(() => signalProcessGroup(pid, 9), KILL_GRACE_MS);
    killTimer.unref();
  };
  const onData = (chunk: Buffer): void => onFrames(call.decoder.push(chunk));
  onFrames(call.rest);
  socket.on('data', onData);
  socket.on('end', onGone);
  socket.on('close', onGone);
  socket.resume();
  return () => {
    done = true;
    if (killTimer) clearTimeout(killTimer);
    socket.off('data', onData);
    socket.off('end', onGone);
    socket.off('close', onGone);
  };
}
