// A protocol peer for the admin commands' tests: a real Unix socket server speaking the control
// protocol of DESIGN §7 (u32 big-endian length ‖ JSON; status, pending, decide, subscribe) over canned
// state, inside a scratch runtime root whose session dirs look like real ones. The supervisor's own
// control server is tested on its own; this lets the CLI be tested against the protocol as written.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder } from '@shimgate/server';
import type { PendingApproval } from '../admin/control-protocol.js';

/** Far beyond any pid_max (at most 2^22 on Linux): `kill(pid, 0)` says ESRCH, so the session is dead. */
export const DEAD_PID = 999_999_999;

export class AdminWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'sg-admin-'));
  /** XDG_RUNTIME_DIR for the CLI; the runtime root is `<runtime>/shimgate`. */
  readonly runtime = join(this.dir, 'run');
  readonly root = join(this.runtime, 'shimgate');
  readonly env: Record<string, string> = { XDG_RUNTIME_DIR: this.runtime, XDG_STATE_HOME: join(this.dir, 'state') };

  constructor() {
    mkdirSync(join(this.root, 'sessions'), { recursive: true, mode: 0o700 });
    chmodSync(this.runtime, 0o700);
    chmodSync(this.root, 0o700);
  }

  /** Writes `<root>/sessions/<id>/session.json`; live unless `supervisor_pid` says otherwise. */
  session(id: string, fields: Record<string, unknown> = {}): { record: Record<string, unknown>; socket: string } {
    const dir = join(this.root, 'sessions', id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const socket = join(dir, 'control.sock');
    const record = {
      id, name: 'agent', profile: 'default', workdir: '/work', supervisor_pid: process.pid, sandboxed_pid: null,
      started_at: '2030-01-01T10:00:00.000Z', control_socket: socket, status: 'running', unconfined: false,
      agent_command: ['claude', '--print', 'hello world'], audit_file: join(this.dir, 'state', `${id}.jsonl`),
      ...fields,
    };
    writeFileSync(join(dir, 'session.json'), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    return { record, socket };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function pendingApproval(id: string, sessionId: string, fields: Partial<PendingApproval> = {}): PendingApproval {
  const now = Date.now();
  return {
    id, session_id: sessionId, session_name: 'agent', command: 'gh', args: ['pr', 'merge', '7'], cwd: '/work/repo',
    parent: null, rule: 'gh pr merge', requested_at: new Date(now).toISOString(), expires_at: new Date(now + 300_000).toISOString(),
    ...fields,
  };
}

export interface ControlPeer {
  /** Every request frame received, in order. */
  readonly requests: Record<string, unknown>[];
  /** The canned pending list; `decide` removes from it. */
  pending: PendingApproval[];
  /** Sends `event` to every subscriber. */
  push(event: unknown): void;
  subscribers(): number;
  /** Resolves once `test()` holds (checked every 20 ms); rejects after `ms`. */
  until(test: () => boolean, label: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Listens on `socketPath`; answers `status` with `session` and the current pending list. */
export async function startControlPeer(socketPath: string, session: Record<string, unknown>, pending: PendingApproval[] = []): Promise<ControlPeer> {
  const requests: Record<string, unknown>[] = [];
  const subscribers = new Set<Socket>();
  const peer: ControlPeer = {
    requests,
    pending,
    push(event) {
      for (const s of subscribers) s.write(encodeFrame(event));
    },
    subscribers: () => subscribers.size,
    async until(test, label, ms = 10_000) {
      for (const deadline = Date.now() + ms; !test(); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() > deadline) throw new Error(`control peer: timed out waiting for ${label}`);
      }
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of subscribers) s.destroy();
      server.close(() => resolve());
    }),
  };
  const answer = (socket: Socket, request: Record<string, unknown>): void => {
    switch (request.op) {
      case 'status':
        return void socket.end(encodeFrame({ ok: true, session, pending: peer.pending, session_approvals: [] }));
      case 'pending':
        return void socket.end(encodeFrame({ ok: true, pending: peer.pending }));
      case 'decide': {
        const found = peer.pending.find((p) => p.id === request.id);
        if (!found) return void socket.end(encodeFrame({ ok: false, error: `no pending approval ${String(request.id)} (it may have expired or been decided)` }));
        peer.pending = peer.pending.filter((p) => p !== found);
        socket.end(encodeFrame({ ok: true }));
        const approver = { uid: userInfo().uid, user: userInfo().username };
        return peer.push({ event: 'decided', id: found.id, decision: request.decision, scope: request.scope, reason: request.reason, approver });
      }
      case 'subscribe':
        subscribers.add(socket);
        socket.on('close', () => subscribers.delete(socket));
        return;
      default:
        return void socket.end(encodeFrame({ ok: false, error: `unknown op ${JSON.stringify(request.op)}` }));
    }
  };
  const server: Server = createServer((socket) => {
    const decoder = new FrameDecoder(1024 * 1024);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (!frame.ok) return void socket.end(encodeFrame({ ok: false, error: frame.reason }));
        const request = frame.value as Record<string, unknown>;
        requests.push(request);
        answer(socket, request);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return peer;
}
