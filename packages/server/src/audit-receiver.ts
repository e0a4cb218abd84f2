// Receives the datagrams of audit-only shims (DESIGN §4.4) on `agent/audit.sock` and logs each call.
// Node has no AF_UNIX datagram sockets, so the socket is made through libc and watched on the main
// loop with koffi.node.poll (a plain uv_poll_t: the fd is ours alone, no libuv stream shares it).
import { chmodSync, rmSync } from 'node:fs';
import koffi from 'koffi';
import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';
import { errnoError, lastErrno, libc, MSG_DONTWAIT } from './libc.js';
import { scrubArgs } from './policy/scrub-args.js';
import { decodeWireText, displayText, tokenMatches, type WireText } from './shim-request.js';
import { MAX_FRAME } from './wire.js';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const EAGAIN = 11;
/** sun_path is 108 bytes including its NUL. */
const SUN_PATH_MAX = 107;
/** The shim sends at most a request frame's worth; one byte more shows a datagram that was cut. */
const DATAGRAM_BUFFER = MAX_FRAME + 1;
const MSG_TRUNC = 0x20;

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
      // MSG_TRUNC: the return value is the datagram's real length even when it did not fit.
      const n = libc().recv(fd, buffer, buffer.length, MSG_DONTWAIT | MSG_TRUNC);
      if (n < 0) {
        const errno = lastErrno();
        if (errno !== EAGAIN) options.logger.warn({ err: errnoError('recv', errno) }, 'audit socket read failed');
        return;
      }
      try {
        record(n <= MAX_FRAME ? buffer.subarray(0, n) : null, options);
      } catch (err) {
        // A failed audit write (disk full) must not take the supervisor down with it.
        options.logger.error({ err }, 'could not write an audit-only call to the audit log');
      }
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

function record(datagram: Buffer | null, options: AuditReceiverOptions): void {
  const call = datagram === null ? null : parseDatagram(datagram);
  if (!call || !tokenMatches(call.token, options.token)) {
    // The command has already run: say so in the audit log itself, not only in the server log.
    options.logger.warn('an audit datagram was oversized, malformed or had the wrong token');
    options.audit.append({
      command_pid: null, command: '?', args: [], cwd: '', parent: null, action_type: 'error', rule: null,
      exit_code: null, signal: null, duration_ms: null, approval: null,
      error: datagram === null ? 'audit datagram over the frame limit' : 'unreadable audit datagram',
    });
    return;
  }
  options.audit.append({
    command_pid: call.pid,
    command: call.command,
    args: scrubArgs(call.args.map(displayText)),
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
