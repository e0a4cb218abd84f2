// Receives the datagrams of audit-only shims (DESIGN §4.4) on `agent/audit.sock` and logs each call.
// Node has no AF_UNIX datagram sockets, so the socket is made through libc and watched on the main
// loop with koffi.node.poll (a plain uv_poll_t: the fd is ours alone, no libuv stream shares it).
import { chmodSync, rmSync } from 'node:fs';
import koffi from 'koffi';
import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';
import { errnoError, lastErrno, libc, MSG_DONTWAIT } from './libc.js';
import { decodeWireText, displayText, tokenMatches, type WireText } from './shim-request.js';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const EAGAIN = 11;
/** sun_path is 108 bytes including its NUL. */
const SUN_PATH_MAX = 107;
/** Larger than the kernel's default datagram limit (wmem_max ≈ 208 KiB), so nothing is cut. */
const DATAGRAM_BUFFER = 256 * 1024;

export interface AuditReceiverOptions {
  socketPath: string;
  token: string;
  audit: AuditLog;
  logger: Logger;
}

export function createAuditReceiver(options: AuditReceiverOptions): { close(): void } {
  const fd = bindDatagramSocket(options.socketPath);
  const buffer = Buffer.alloc(DATAGRAM_BUFFER);
  const drain = (): void => {
    for (;;) {
      const n = libc().recv(fd, buffer, buffer.length, MSG_DONTWAIT);
      if (n < 0) {
        const errno = lastErrno();
        if (errno !== EAGAIN) options.logger.warn({ err: errnoError('recv', errno) }, 'audit socket read failed');
        return;
      }
      record(buffer.subarray(0, n), options);
    }
  };
  const poll = koffi.node.poll(fd, { readable: true }, drain);
  poll.unref(); // the mediation socket keeps the server alive, not this one
  return {
    close() {
      drain();
      poll.close();
      libc().close(fd);
    },
  };
}

function bindDatagramSocket(path: string): number {
  const pathBytes = Buffer.from(path, 'utf8');
  if (pathBytes.length > SUN_PATH_MAX) throw new Error(`audit socket path ${path} is longer than ${SUN_PATH_MAX} bytes`);
  const fd = libc().socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw errnoError('socket', lastErrno(), path);
  const addr = Buffer.alloc(2 + SUN_PATH_MAX + 1);
  addr.writeUInt16LE(AF_UNIX, 0);
  pathBytes.copy(addr, 2);
  rmSync(path, { force: true });
  if (libc().bind(fd, addr, 2 + pathBytes.length + 1) !== 0) {
    const err = errnoError('bind', lastErrno(), path);
    libc().close(fd);
    throw err;
  }
  chmodSync(path, 0o600);
  return fd;
}

function record(datagram: Buffer, options: AuditReceiverOptions): void {
  const call = parseDatagram(datagram);
  if (!call || !tokenMatches(call.token, options.token)) {
    options.logger.warn('dropped an audit datagram that is malformed or has the wrong token');
    return;
  }
  options.audit.append({
    command_pid: call.pid,
    command: call.command,
    args: call.args.map(displayText),
    cwd: displayText(call.cwd),
    parent: null,
    action_type: 'audit',
    rule: null,
    exit_code: null,
    signal: null,
    duration_ms: null,
    approval: null,
  });
}

interface AuditedCall {
  command: string;
  args: WireText[];
  cwd: WireText;
  pid: number;
  token: string;
}

function parseDatagram(datagram: Buffer): AuditedCall | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(datagram.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { command, args, cwd, pid, token } = value;
  if (typeof command !== 'string' || typeof token !== 'string' || !Number.isSafeInteger(pid) || !Array.isArray(args)) return null;
  const decodedArgs = args.map(decodeWireText);
  const decodedCwd = decodeWireText(cwd);
  if (decodedArgs.some((a) => a === null) || decodedCwd === null) return null;
  return { command, args: decodedArgs as WireText[], cwd: decodedCwd, pid: pid as number, token };
}
