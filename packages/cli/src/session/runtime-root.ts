// The runtime root (DESIGN §3): `$XDG_RUNTIME_DIR/shimgate`, else `/tmp/shimgate-<uid>`. It holds every
// session's sockets, so it must be ours alone: a directory (not a symlink), owned by us, mode 0700.
import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ShimgateError } from '@shimgate/profile';

export function runtimeRootPath(env: Readonly<Record<string, string | undefined>>, uid: number): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'shimgate') : `/tmp/shimgate-${uid}`;
}

/** Creates the root if missing; refuses one that another user could reach or swap. */
export function ensureRuntimeRoot(path: string, uid: number): string {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ShimgateError('RUNTIME_ROOT', `cannot create the runtime root ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
  const problem = runtimeRootProblem(path, uid);
  if (problem) throw new ShimgateError('RUNTIME_ROOT', `runtime root ${path} ${problem}`);
  mkdirSync(join(path, 'sessions'), { recursive: true, mode: 0o700 });
  return path;
}

/** What is wrong with the runtime root, or null. Also used by `shimgate doctor`. */
export function runtimeRootProblem(path: string, uid: number): string | null {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return 'does not exist';
  if (st.isSymbolicLink()) return 'is a symbolic link: remove it (another user may have planted it)';
  if (!st.isDirectory()) return 'is not a directory: remove it';
  if (st.uid !== uid) return `is owned by uid ${st.uid}, not by you (uid ${uid}): remove it or set XDG_RUNTIME_DIR`;
  if ((st.mode & 0o077) !== 0) return `has mode ${(st.mode & 0o777).toString(8)}, not 700: chmod 700 it`;
  return null;
}
