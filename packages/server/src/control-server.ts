// control.sock (DESIGN §7): where admins see and decide a session's approvals. Same framing as the
// shim protocol, one request per connection; `subscribe` keeps the connection as an event stream.
// Only the supervisor's uid and root may connect (SO_PEERCRED); anyone else is cut off unanswered.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ApprovalQueue, Approver } from './approval-queue.js';
import type { AuditLog } from './audit-log.js';
import { peerCredentials } from './fd-receive.js';
import { encodeFrame, FrameDecoder } from './frame-decoder.js';

/** A control request is a few hundred bytes; anything near this is not one. */
const MAX_CONTROL_FRAME = 64 * 1024;

export interface ControlServerOptions {
  socketPath: string;
  /** The uids allowed besides root: the supervisor's. */
  adminUid: number;
  queue: ApprovalQueue;
  audit: AuditLog;
  /** session.json as it is now. */
  status(): Record<string, unknown>;
  logger: Logger;
}

export function createControlServer(options: ControlServerOptions): { listen(): Promise<void>; close(): Promise<void> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    let peer: { uid: number };
    try {
      peer = peerCredentials(fd);
    } catch {
      socket.destroy();
      return;
    }
    if (peer.uid !== options.adminUid && peer.uid !== 0) {
      options.logger.warn({ uid: peer.uid }, 'refused a control connection from another uid');
      socket.destroy();
      return;
    }
    const decoder = new FrameDecoder(MAX_CONTROL_FRAME);
    const onData = (chunk: Buffer): void => {
      const [first] = decoder.push(chunk);
      if (!first) return;
      socket.off('data', onData);
      if (!first.ok) return answer(socket, { ok: false, error: first.reason });
      handle(socket, first.value, { uid: peer.uid, user: userName(peer.uid) }, options);
    };
    socket.on('data', onData);
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        rmSync(options.socketPath, { force: true });
        server.once('error', reject);
        server.listen(options.socketPath, () => {
          chmodSync(options.socketPath, 0o600);
          resolve();
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function handle(socket: Socket, request: unknown, approver: Approver, options: ControlServerOptions): void {
  const op = typeof request === 'object' && request !== null ? (request as { op?: unknown }).op : undefined;
  switch (op) {
    case 'status':
      return answer(socket, { ok: true, session: options.status(), pending: options.queue.pending(), session_approvals: options.queue.sessionApprovals() });
    case 'pending':
      return answer(socket, { ok: true, pending: options.queue.pending() });
    case 'decide': {
      const { id, decision, scope = 'once', reason = null } = request as Record<string, unknown>;
      if (typeof id !== 'string' || (decision !== 'approve' && decision !== 'deny') || (scope !== 'once' && scope !== 'session') || (reason !== null && typeof reason !== 'string')) {
        return answer(socket, { ok: false, error: 'decide needs {id: string, decision: "approve"|"deny", scope?: "once"|"session", reason?: string}' });
      }
      return answer(socket, options.queue.decide(id, decision, scope, reason as string | null, approver));
    }
    case 'subscribe': {
      const send = (event: unknown): void => {
        if (!socket.destroyed) socket.write(encodeFrame(event));
      };
      const stopQueue = options.queue.subscribe(send);
      const stopAudit = options.audit.onAppend((line) => send({ event: 'command', audit: line }));
      socket.on('close', () => {
        stopQueue();
        stopAudit();
      });
      socket.resume();
      return;
    }
    default:
      return answer(socket, { ok: false, error: 'unknown op: use status, pending, decide or subscribe' });
  }
}

function answer(socket: Socket, value: unknown): void {
  socket.end(encodeFrame(value), () => socket.destroy());
}

/** The approver's login name for the audit log; the uid when /etc/passwd has none. */
function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && Number(id) === uid) return name;
    }
  } catch {
    // no passwd file: fall through
  }
  return String(uid);
}
