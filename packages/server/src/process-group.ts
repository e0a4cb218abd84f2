// Signals for a mediated command go to its whole process group (DESIGN §4.3): the command was spawned
// with newSession, so its pid is also its group id, and pipelines or helpers it started get the signal too.
import { constants } from 'node:os';
import { errnoError, lastErrno, libc } from './libc.js';

/**
 * kill(-pid, signal). False when the group is gone (ESRCH) or out of our reach (EPERM: a member became
 * another user, e.g. through sudo); a server must not die because one caller's child cannot be signalled.
 */
export function signalProcessGroup(pid: number, signal: number): boolean {
  // kill(-1) would signal every process we may signal and kill(-0) our own group: refuse both.
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`signalProcessGroup: not a process group leader pid: ${pid}`);
  if (!Number.isInteger(signal) || signal < 0) throw new RangeError(`signalProcessGroup: not a signal number: ${signal}`);
  if (libc().kill(-pid, signal) === 0) return true;
  const errno = lastErrno();
  if (errno === constants.errno.ESRCH || errno === constants.errno.EPERM) return false;
  throw errnoError('kill', errno, `-${pid}`);
}
