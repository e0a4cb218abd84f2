// The admin end of a session's control socket (DESIGN §7): u32 big-endian length ‖ JSON both ways, one
// request per connection. `controlRequest` reads one answer; `controlSubscribe` reads events until either
// side closes. Both return parsed JSON unchecked: control-protocol.ts checks the shapes.
import { connect, type Socket } from 'node:net';
import { ShimgateError } from '@shimgate/profile';
import { encodeFrame, FrameDecoder } from '@shimgate/server';

/**
 * The largest frame taken from a session. A status answer lists every pending request and session
 * approval, each a few hundred bytes of scrubbed arguments; 4 MiB is thousands of them, and bounds what
 * a wedged or hostile peer can make us buffer.
 */
export const MAX_CONTROL_FRAME = 4 * 1024 * 1024;
/** A session that has not answered in this long counts as not answering ("?" in `shimgate sessions`). */
export const CONTROL_TIMEOUT_MS = 5_000;

const HUNG_UP = 'closed the connection without answering (only the session\'s own user and root may use it)';

export function controlRequest(socketPath: string, request: object, options: { timeoutMs?: number } = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? CONTROL_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const decoder = new FrameDecoder(MAX_CONTROL_FRAME);
    let settled = false;
    const finish = (err: Error | null, value?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(unreachable(socketPath, `no answer in ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => socket.write(encodeFrame(request)));
    socket.on('data', (chunk: Buffer) => {
      const [first] = decoder.push(chunk);
      if (!first) return;
      if (first.ok) finish(null, first.value);
      else finish(unreachable(socketPath, `sent a bad frame: ${first.reason}`));
    });
    socket.on('error', (err) => finish(unreachable(socketPath, hungUp(err) ? HUNG_UP : err.message, err)));
    socket.on('close', () => finish(unreachable(socketPath, HUNG_UP)));
  });
}

export interface ControlSubscription {
  /** Stops reading; `onEnd` is not called for a close asked for here. */
  close(): void;
}

/**
 * Sends `{"op":"subscribe"}` and hands every frame that comes back to `onEvent`, in order. `onEnd` is
 * called once when the stream stops by itself: null when the session closed it cleanly, else the reason
 * (refused connection, a bad frame, an `{"ok":false}` answer).
 */
export function controlSubscribe(
  socketPath: string,
  onEvent: (event: unknown) => void,
  onEnd: (err: Error | null) => void = () => {},
): ControlSubscription {
  const socket: Socket = connect(socketPath);
  const decoder = new FrameDecoder(MAX_CONTROL_FRAME);
  let ended = false;
  const end = (err: Error | null): void => {
    if (ended) return;
    ended = true;
    socket.destroy();
    onEnd(err);
  };
  socket.on('connect', () => socket.write(encodeFrame({ op: 'subscribe' })));
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      if (ended) return;
      if (!frame.ok) return end(unreachable(socketPath, `sent a bad frame: ${frame.reason}`));
      const refusal = refusalOf(frame.value);
      if (refusal !== null) return end(unreachable(socketPath, `refused to subscribe: ${refusal}`));
      onEvent(frame.value);
    }
  });
  socket.on('error', (err) => end(unreachable(socketPath, hungUp(err) ? HUNG_UP : err.message, err)));
  socket.on('close', () => end(null));
  return {
    close() {
      ended = true;
      socket.destroy();
    },
  };
}

/** The `error` of an `{"ok":false,"error":…}` frame, or null for any other frame. */
function refusalOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || (value as { ok?: unknown }).ok !== false) return null;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'string' ? error : 'no reason given';
}

/** Writing to, or reading from, a connection the session has already dropped. */
function hungUp(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPIPE' || err.code === 'ECONNRESET';
}

function unreachable(socketPath: string, reason: string, cause?: unknown): ShimgateError {
  return new ShimgateError('CONTROL_UNREACHABLE', `control socket ${socketPath}: ${reason}`, { cause });
}
