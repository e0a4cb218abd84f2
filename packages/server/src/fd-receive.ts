// The first chunk of a shim connection with the fds it carries (DESIGN §4.1). Node has no recvmsg, so
// this reads the socket underneath a `net.createServer({pauseOnConnect: true})` connection
// (`socket._handle.fd`) directly, before libuv ever reads from it.
import { constants } from 'node:os';
import koffi from 'koffi';
import {
  CMSGHDR,
  IOVEC_SIZE,
  MSGHDR,
  MSG_CMSG_CLOEXEC,
  MSG_CTRUNC,
  MSG_DONTWAIT,
  SCM_RIGHTS,
  SOL_SOCKET,
  SO_PEERCRED,
  UCRED_SIZE,
  errnoError,
  lastErrno,
  libc,
} from './libc.js';

export type FirstChunk =
  | { kind: 'data'; bytes: Buffer; fds: number[] }
  | { kind: 'again' }
  | { kind: 'eof' }
  | { kind: 'error'; reason: string; fds: number[] };

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

// Room for twice the four fds a shim sends (stdio and its cwd), so a peer sending five (or eight) is
// seen and rejected rather than silently truncated by the kernel.
const MAX_FDS = 8;
const CONTROL_SIZE = CMSGHDR.size + align8(MAX_FDS * 4); // CMSG_SPACE(8 * sizeof(int)) = 48
const IOVEC_OFFSET = MSGHDR.size;
const CONTROL_OFFSET = IOVEC_OFFSET + IOVEC_SIZE;
const DATA_OFFSET = CONTROL_OFFSET + CONTROL_SIZE;

/**
 * One non-blocking recvmsg of at most maxBytes bytes. Received fds are close-on-exec (so a child spawned
 * meanwhile for another caller never inherits them) and are returned on the error path too: the caller
 * owns them and must close them.
 */
export function receiveFirstChunk(fd: number, maxBytes: number): FirstChunk {
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`receiveFirstChunk: maxBytes must be a positive integer, not ${maxBytes}`);
  }
  // msghdr, iovec, control buffer and data buffer in one Buffer: passing it to recvmsg keeps all of it
  // alive, where the raw addresses written into the msghdr would keep nothing from the GC.
  const msg = Buffer.allocUnsafe(DATA_OFFSET + maxBytes).fill(0, 0, DATA_OFFSET);
  const base = koffi.address(msg);
  msg.writeBigUInt64LE(base + BigInt(IOVEC_OFFSET), MSGHDR.iov);
  msg.writeBigUInt64LE(1n, MSGHDR.iovlen);
  msg.writeBigUInt64LE(base + BigInt(CONTROL_OFFSET), MSGHDR.control);
  msg.writeBigUInt64LE(BigInt(CONTROL_SIZE), MSGHDR.controllen);
  msg.writeBigUInt64LE(base + BigInt(DATA_OFFSET), IOVEC_OFFSET);
  msg.writeBigUInt64LE(BigInt(maxBytes), IOVEC_OFFSET + 8);

  let n: number;
  let errno = 0;
  do {
    n = Number(libc().recvmsg(fd, msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
    errno = n < 0 ? lastErrno() : 0;
  } while (n < 0 && errno === constants.errno.EINTR);
  if (n < 0) {
    if (errno === constants.errno.EAGAIN || errno === constants.errno.EWOULDBLOCK) return { kind: 'again' };
    return { kind: 'error', reason: errnoError('recvmsg', errno).message, fds: [] };
  }

  const controlLength = Number(msg.readBigUInt64LE(MSGHDR.controllen));
  const control = msg.subarray(CONTROL_OFFSET, DATA_OFFSET);
  const { fds, unexpected } = parseControl(control, Math.min(controlLength, CONTROL_SIZE));
  if ((msg.readInt32LE(MSGHDR.flags) & MSG_CTRUNC) !== 0) {
    return { kind: 'error', reason: `control data truncated: more than ${MAX_FDS} fds or unexpected control messages`, fds };
  }
  if (unexpected !== undefined) return { kind: 'error', reason: unexpected, fds };
  if (n === 0) {
    return fds.length === 0 ? { kind: 'eof' } : { kind: 'error', reason: 'fds received without data', fds };
  }
  // A copy, so the connection does not keep a maxBytes buffer alive for a few bytes.
  return { kind: 'data', bytes: Buffer.from(msg.subarray(DATA_OFFSET, DATA_OFFSET + n)), fds };
}

function parseControl(control: Buffer, length: number): { fds: number[]; unexpected?: string } {
  const fds: number[] = [];
  let unexpected: string | undefined;
  let offset = 0;
  while (offset + CMSGHDR.size <= length) {
    const cmsgLen = Number(control.readBigUInt64LE(offset));
    if (cmsgLen < CMSGHDR.size || offset + cmsgLen > length) {
      unexpected ??= `malformed control message (cmsg_len ${cmsgLen} at ${offset})`;
      break;
    }
    const level = control.readInt32LE(offset + CMSGHDR.level);
    const type = control.readInt32LE(offset + CMSGHDR.type);
    if (level === SOL_SOCKET && type === SCM_RIGHTS) {
      for (let at = offset + CMSGHDR.size; at + 4 <= offset + cmsgLen; at += 4) fds.push(control.readInt32LE(at));
    } else {
      unexpected ??= `unexpected control message (level ${level}, type ${type})`;
    }
    offset += align8(cmsgLen);
  }
  return unexpected === undefined ? { fds } : { fds, unexpected };
}

/** The peer's pid, uid and gid as the kernel recorded them at connect() time (SO_PEERCRED). */
export function peerCredentials(fd: number): PeerCredentials {
  const ucred = Buffer.alloc(UCRED_SIZE);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(ucred.length);
  if (libc().getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, len) !== 0) {
    throw errnoError('getsockopt', lastErrno(), 'SO_PEERCRED');
  }
  if (len.readUInt32LE() !== UCRED_SIZE) {
    throw new Error(`getsockopt SO_PEERCRED: returned ${len.readUInt32LE()} bytes, expected ${UCRED_SIZE}`);
  }
  return { pid: ucred.readInt32LE(0), uid: ucred.readUInt32LE(4), gid: ucred.readUInt32LE(8) };
}

/**
 * Closes every fd (an fd already closed is fine). Every fd is attempted before the first other error is
 * thrown, so a failure never leaks the rest.
 */
/** Closes every fd; never throws (a close error on an NFS/FUSE fd is no reason to stop serving). */
export function closeFds(fds: readonly number[]): Error | undefined {
  let first: Error | undefined;
  for (const fd of fds) {
    if (libc().close(fd) === 0) continue;
    const errno = lastErrno();
    // Linux releases the fd even when close() reports EINTR; retrying could close someone else's fd.
    if (errno === constants.errno.EBADF || errno === constants.errno.EINTR) continue;
    first ??= errnoError('close', errno, String(fd));
  }
  return first;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
