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
/** A client that has not sent its request by then is cut off. */
const REQUEST_TIMEOUT_MS = 10_000;
/** A subscriber this far behind is not reading: it is dropped rather than buffered without end. */
const MAX_SUBSCRIBER_BACKLOG = 1024 * 1024;

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
    let peer: { uid: number; pid: number };
    try {
      peer = peerCredentials(fd);
    } catch {
      socket.destroy();
      return;
    }
    const refusal = peerRefusal(peer, options.adminUid);
    if (refusal !== null) {
      options.logger.warn({ uid: peer.uid, pid: peer.pid }, `refused a control connection: ${refusal}`);
      socket.destroy();
      return;
    }
    const decoder = new FrameDecoder(MAX_CONTROL_FRAME);
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    const onData = (chunk: Buffer): void => {
      const [first] = decoder.push(chunk);
      if (!first) return;
      socket.off('data', onData);
      socket.setTimeout(0);
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
        if (socket.destroyed) return;
        if (socket.writableLength > MAX_SUBSCRIBER_BACKLOG) socket.destroy();
        else socket.write(encodeFrame(event));
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

/**
 * Why a peer may not use the control socket, or null. The uid alone is not enough: the agent and every
 * mediated command run as the supervisor's uid too, and a mediated command (outside bwrap, under
 * Landlock, which does not govern connect() on Unix sockets) could otherwise approve the agent's own
 * requests. Every process of an agent sandbox or a per-command sandbox has no_new_privs set, which
 * nothing can clear and every descendant inherits, even one that double-forks away; and the session's
 * own processes descend from the supervisor. Either one refuses. Unreadable /proc refuses too.
 */
export function peerRefusal(peer: { uid: number; pid: number }, adminUid: number): string | null {
  if (peer.uid !== adminUid && peer.uid !== 0) return `uid ${peer.uid} is neither the session's user nor root`;
  try {
    const status = readFileSync(`/proc/${peer.pid}/status`, 'utf8');
    if (/^NoNewPrivs:\s*1$/m.test(status)) return `pid ${peer.pid} runs with no_new_privs (inside a shimgate sandbox)`;
    for (let pid = peer.pid, hops = 0; pid > 1 && hops < 4096; hops += 1) {
      if (pid === process.pid) return `pid ${peer.pid} is a process of this session`;
      pid = parentPid(pid);
    }
  } catch {
    return `pid ${peer.pid} cannot be inspected`;
  }
  return null;
}

function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: the ppid follows the last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
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
