// The directory a call runs in. The shim passes its cwd as a directory fd, opened in the agent's
// mount namespace: entering it with fchdir puts the command in the right directory, but one that
// getcwd() cannot name from the server's root (git then fails with "Unable to read current working
// directory"). So the request's cwd string is used as a hint, never as an authority: the server opens
// that path itself and uses its own fd only when it is the very directory the caller's fd names (same
// device and inode). Otherwise — the agent's private /tmp, a path that lies, a dir renamed meanwhile —
// the caller's fd is used as it is. The comparison is on the fd the server then enters, so nothing can
// be swapped in between; and the hint can only ever lead to a directory the caller already holds.
// The hint is looked up only inside the session's workdir (absolute, no `..`): the server never probes
// an arbitrary host path for the agent (an existence oracle; a hung NFS or FUSE mount would block the
// event loop), and the workdir is where tools that need getcwd (git) are run.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { WireText } from './shim-request.js';

const O_PATH = 0o10000000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;

export interface CallCwd {
  /** The fd to fchdir into. */
  fd: number;
  /** Closes the server's own fd, if it opened one (the caller's fd is closed with the call's fds). */
  release(): void;
}

export function callCwd(callerFd: number, hint: WireText, workdir: string): CallCwd {
  const keep: CallCwd = { fd: callerFd, release: () => {} };
  if (!insideWorkdir(typeof hint === 'string' ? hint : hint.toString('latin1'), workdir)) return keep;
  let own: number;
  try {
    own = openSync(hint, O_PATH | O_DIRECTORY | O_CLOEXEC);
  } catch {
    return keep; // not there in the server's view (or not a dir): the caller's fd alone
  }
  try {
    const [mine, theirs] = [fstatSync(own), fstatSync(callerFd)];
    if (mine.dev === theirs.dev && mine.ino === theirs.ino) return { fd: own, release: () => closeSync(own) };
  } catch {
    // fall through: the caller's fd
  }
  closeSync(own);
  return keep;
}

function insideWorkdir(path: string, workdir: string): boolean {
  if (!isAbsolute(path) || path.split('/').includes('..')) return false;
  return path === workdir || path.startsWith(workdir.endsWith('/') ? workdir : `${workdir}/`);
}
