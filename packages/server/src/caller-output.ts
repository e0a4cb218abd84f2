// Messages and canned output from the server to the caller go straight to the fds the shim passed.
// Those fds are the caller's: a blocking pipe whose reader stalls would freeze the whole server in
// write(), and O_NONBLOCK cannot be set on them (the flag is shared with the caller's shell). So a
// pipe or a tty is reopened through /proc/self/fd as our own non-blocking open file description, a
// socket is written with MSG_DONTWAIT, and a regular file (which never blocks) is written directly.
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isatty } from 'node:tty';
import { errnoError, lastErrno, libc } from './libc.js';

/** A caller that does not read its output for this long loses the rest of it; the call goes on. */
const WRITE_DEADLINE_MS = 10_000;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;

export function callerMessage(command: string, message: string): string {
  return `shimgate: ${command}: ${message}\n`;
}

/** Writes all of `text` unless the caller stops reading (deadline) or closed the other end. */
export async function writeToCaller(fd: number, text: string | Buffer): Promise<void> {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (data.length === 0) return;
  let kind: 'file' | 'reopen' | 'socket';
  try {
    const st = fstatSync(fd);
    kind = st.isSocket() ? 'socket' : st.isFIFO() || isatty(fd) ? 'reopen' : 'file';
    if (st.isCharacterDevice() && !isatty(fd)) kind = 'file'; // /dev/null and friends
  } catch {
    return;
  }
  if (kind === 'file') {
    await writeLoop((chunk) => writeSync(fd, chunk), data);
    return;
  }
  if (kind === 'socket') {
    await writeLoop((chunk) => sendNow(fd, chunk), data);
    return;
  }
  let own: number;
  try {
    own = openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY | 0o2000000);
  } catch {
    return; // no reader left (ENXIO) or not reopenable: nothing to write to
  }
  try {
    await writeLoop((chunk) => writeSync(own, chunk), data);
  } finally {
    closeSync(own);
  }
}

async function writeLoop(write: (chunk: Buffer) => number, data: Buffer): Promise<void> {
  const deadline = Date.now() + WRITE_DEADLINE_MS;
  let rest = data;
  let wait = 1;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(write(rest));
      wait = 1;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) return;
      await sleep(wait);
      wait = Math.min(wait * 2, 50);
    }
  }
}

function sendNow(fd: number, chunk: Buffer): number {
  const n = libc().send(fd, chunk, chunk.length, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) return n;
  throw errnoError('send', lastErrno());
}
