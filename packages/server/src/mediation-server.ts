// The mediation server: one Unix stream socket, one connection per mediated call. Each call is
// taken in (fds + checked request), decided, acted on, audited, and answered with its exit status.
// A connection that misbehaves is closed with every fd it brought; the accept loop always goes on.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';
import { createChildReaper } from './child-reaper.js';
import { takeConnection } from './connection-intake.js';
import { runCall, type CallOutcome, type SessionRuntime } from './call-runner.js';
import { encodeFrame } from './frame-decoder.js';
import { markInheritedFdsCloexec } from './libc.js';
import { signalProcessGroup } from './process-group.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MediationServerOptions {
  socketPath: string;
  token: string;
  agentUid: number;
  runtime: SessionRuntime;
  audit: AuditLog;
  logger: Logger;
  /** A client that has not sent its whole request by then is dropped. */
  idleTimeoutMs?: number;
}

export interface MediationServer {
  listen(): Promise<void>;
  close(): Promise<void>;
  /** Calls in flight (taken in, not yet answered). */
  readonly activeCalls: number;
}

export function createMediationServer(options: MediationServerOptions): MediationServer {
  const reaper = createChildReaper();
  const sockets = new Set<Socket>();
  const children = new Set<number>();
  let active = 0;
  const server: Server = createServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => options.logger.debug({ err }, 'shim connection error'));
    active += 1;
    serveConnection(socket)
      .catch((err: unknown) => {
        options.logger.error({ err }, 'a shim connection failed');
        socket.destroy();
      })
      .finally(() => {
        active -= 1;
      });
  });

  async function serveConnection(socket: Socket): Promise<void> {
    const intake = await takeConnection(socket, {
      token: options.token,
      agentUid: options.agentUid,
      idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
    });
    if (!intake.ok) {
      options.logger.warn({ reason: intake.reason }, 'refused a shim connection');
      socket.destroy();
      return;
    }
    let outcome: CallOutcome;
    try {
      outcome = await runCall(intake, socket, { runtime: options.runtime, reaper, children, logger: options.logger, audit: options.audit });
    } catch (err) {
      // runCall has closed the fds (its finally); the shim sees the hang-up and exits 125.
      options.logger.error({ err, command: intake.request.command }, 'mediation failed');
      socket.destroy();
      return;
    }
    if (socket.destroyed) return;
    const answer = outcome.signal !== null ? { signal: outcome.signal } : { exit_code: outcome.exitCode };
    socket.end(encodeFrame(answer), () => socket.destroy());
  }

  return {
    get activeCalls() {
      return active;
    },
    listen() {
      markInheritedFdsCloexec();
      rmSync(options.socketPath, { force: true });
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.socketPath, () => {
          server.off('error', reject);
          chmodSync(options.socketPath, 0o600);
          resolve();
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await stopChildren(children);
      for (const socket of sockets) socket.destroy();
      reaper.close();
      await closed;
    },
  };
}

/** Commands still running when the session ends get SIGTERM, then SIGKILL; the reaper sees them go. */
async function stopChildren(children: Set<number>): Promise<void> {
  for (const [signal, graceMs] of [[15, 2000], [9, 1000]] as const) {
    for (const pid of children) signalProcessGroup(pid, signal);
    for (let waited = 0; children.size > 0 && waited < graceMs; waited += 20) await sleep(20);
    if (children.size === 0) return;
  }
}
