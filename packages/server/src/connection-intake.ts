// Takes one shim connection from "accepted" to "a checked request with its four fds" (stdin, stdout,
// stderr, and the caller's cwd as a directory fd), or refuses it.
// The socket arrives paused (pauseOnConnect): the first bytes must be read with recvmsg to get the fds
// (a plain read would drop them); what follows them is ordinary stream data.
import type { Socket } from 'node:net';
import { fstatSync } from 'node:fs';
import koffi from 'koffi';
import { closeFds, peerCredentials, receiveFirstChunk } from './fd-receive.js';
import { FrameDecoder, type FrameResult } from './frame-decoder.js';
import { parseShimRequest, tokenMatches, type ShimRequest } from './shim-request.js';
import { NUM_FDS, MAX_FRAME } from './wire.js';

export interface IntakeOptions {
  token: string;
  agentUid: number;
  idleTimeoutMs: number;
}

export type Intake =
  | { ok: true; request: ShimRequest; fds: CallFds; peerPid: number; decoder: FrameDecoder; rest: FrameResult[] }
  | { ok: false; reason: string };

/** stdin, stdout, stderr, and the caller's cwd (a directory, usually O_PATH). */
export type CallFds = [number, number, number, number];

/** The first recvmsg takes at most this much; the rest of a large frame streams in through libuv. */
const FIRST_READ_BYTES = 64 * 1024;

export function takeConnection(socket: Socket, options: IntakeOptions): Promise<Intake> {
  return new Promise((resolve) => {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return resolve({ ok: false, reason: 'connection has no file descriptor' });
    const peer = peerCredentials(fd);
    if (peer.uid !== options.agentUid) {
      return resolve({ ok: false, reason: `peer uid ${peer.uid} is not the agent's uid ${options.agentUid}` });
    }
    const decoder = new FrameDecoder(MAX_FRAME);
    let fds: number[] = [];
    let settled = false;
    const finish = (result: Intake): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      stopWaiting();
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      if (!result.ok) closeFds(fds);
      else socket.pause();
      resolve(result);
    };
    const idle = setTimeout(() => finish({ ok: false, reason: `no complete request within ${options.idleTimeoutMs} ms` }), options.idleTimeoutMs);
    // Until the first bytes arrive, wait for readability with a uv_poll on the fd. That is safe here
    // because the paused stream has not started its own watcher; the poll is stopped (synchronously)
    // before the stream is ever resumed. A timer retry cost ≥ 1 ms per call: the shim usually sends
    // a fraction of a millisecond after the connection is accepted.
    let waiting: ReturnType<typeof koffi.node.poll> | null = null;
    const stopWaiting = (): void => {
      waiting?.close();
      waiting = null;
    };
    socket.once('close', stopWaiting);

    const accept = (frames: FrameResult[]): void => {
      if (frames.length === 0) return;
      const [first, ...rest] = frames as [FrameResult, ...FrameResult[]];
      if (!first.ok) return finish({ ok: false, reason: first.reason });
      const parsed = parseShimRequest(first.value);
      if (!parsed.ok) return finish({ ok: false, reason: parsed.reason });
      if (!tokenMatches(parsed.request.token, options.token)) return finish({ ok: false, reason: 'wrong session token' });
      finish({ ok: true, request: parsed.request, fds: fds as CallFds, peerPid: peer.pid, decoder, rest });
    };
    const onData = (chunk: Buffer): void => accept(decoder.push(chunk));
    const onEnd = (): void => finish({ ok: false, reason: 'connection closed before the request was complete' });

    const tryReceive = (): void => {
      stopWaiting();
      if (settled) return;
      const got = receiveFirstChunk(fd, FIRST_READ_BYTES);
      if (got.kind === 'again') {
        waiting = koffi.node.poll(fd, { readable: true }, tryReceive);
        return;
      }
      if (got.kind === 'eof') return finish({ ok: false, reason: 'connection closed before sending anything' });
      fds = got.fds;
      if (got.kind === 'error') return finish({ ok: false, reason: got.reason });
      if (fds.length !== NUM_FDS) return finish({ ok: false, reason: `request carried ${fds.length} fds, not ${NUM_FDS}` });
      if (!isDirectoryFd(fds[3] as number)) return finish({ ok: false, reason: 'the fourth fd (the caller\'s cwd) is not a directory' });
      const frames = decoder.push(got.bytes);
      if (frames.length > 0) return accept(frames);
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.resume();
    };
    tryReceive();
  });
}

function isDirectoryFd(fd: number): boolean {
  try {
    return fstatSync(fd).isDirectory();
  } catch {
    return false;
  }
}
