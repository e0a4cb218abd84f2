// The host trees a profile binds into the agent sandbox, seen from the host: each bind's sandbox path,
// its real path and its mode. bwrap binds the *real* directory behind each bound path (`--ro-bind /bin
// /bin` shows /usr/bin at /bin on a merged-/usr system), so one host object can be reachable inside the
// sandbox at several paths: a bind P whose real path R contains the object's real path X exposes it at
// P + (X − R); a bind whose R lies inside X exposes part of it at P. Hiding and the writability check
// both start from here.
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { ShimgateError, type ResolvedProfile } from '@shimgate/profile';
import { hostBindModes, isWithin, normalizePath, type PathKind } from './bwrap-argv.js';

export interface BoundTree {
  /** Where the agent sees it. */
  path: string;
  /** What it is on the host. */
  real: string;
  mode: 'ro' | 'rw';
}

export class BindView {
  readonly trees: readonly BoundTree[];

  constructor(profile: Pick<ResolvedProfile, 'filesystem' | 'workdir'>, workdir: string) {
    const modes = hostBindModes(profile, workdir, (path) => (realPath(path) === null ? 'missing' : 'dir'));
    this.trees = [...modes].flatMap(([path, mode]) => {
      const real = realPath(path);
      return real === null ? [] : [{ path, real, mode }];
    });
  }

  /** Every sandbox path through which the host object at `path` (followed to its real path) is reachable. */
  reachableAt(path: string, field: string): string[] {
    const real = realPath(normalizePath(path, field));
    return real === null ? [] : this.reachableAtReal(real);
  }

  /**
   * The same for a path shimgate did not choose (another program's socket): one this user cannot even
   * inspect (EACCES on the way) is out of the agent's reach too, since the agent runs as this user.
   */
  reachableIfInspectable(path: string): string[] {
    try {
      return this.reachableAt(path, 'socket');
    } catch (err) {
      if ((err as { cause?: NodeJS.ErrnoException }).cause?.code === 'EACCES') return [];
      throw err;
    }
  }

  reachableAtReal(real: string): string[] {
    const at = this.trees.flatMap((b) => {
      if (isWithin(real, b.real)) return [posix.join(b.path, posix.relative(b.real, real))];
      return isWithin(b.real, real) ? [b.path] : []; // a bind of something inside it shows part of it
    });
    return [...new Set(at)];
  }

  /** The mode of the deepest bind at or above the sandbox path, or null when no bind shows it. */
  modeAt(sandboxPath: string): 'ro' | 'rw' | null {
    let best: BoundTree | null = null;
    for (const tree of this.trees) {
      if (isWithin(sandboxPath, tree.path) && (best === null || tree.path.length > best.path.length)) best = tree;
    }
    return best?.mode ?? null;
  }
}

/** How many symlinks followLinks follows before giving up, as the kernel does (ELOOP). */
const MAX_SYMLINKS = 40;

/**
 * The path a name leads to, following every symlink on the way, also when the final target does not
 * exist yet (realpath would fail there): a deny name that is a dangling link must protect the target
 * it will lead to once something is written there.
 */
export function followLinks(path: string, budget = { links: MAX_SYMLINKS }): string {
  let at = '/';
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as string;
    if (part === '..') {
      at = posix.dirname(at);
      continue;
    }
    const next = posix.join(at, part);
    let link: string | null;
    try {
      link = lstatSync(next).isSymbolicLink() ? readlinkSync(next) : null;
    } catch (err) {
      if (isAbsent(err)) return posix.join(next, ...parts.slice(i + 1)); // the rest does not exist yet
      throw cannotInspect(next, err);
    }
    if (link === null) {
      at = next;
      continue;
    }
    if (--budget.links < 0) throw new ShimgateError('SANDBOX_PATH', `agent sandbox: too many symlinks resolving ${path}`);
    at = followLinks(posix.isAbsolute(link) ? link : posix.join(at, link), budget);
  }
  return at;
}

/** Follows symlinks; a path that is not there (or has a non-directory in the middle) is "missing". */
export function kindOf(path: string): PathKind {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch (err) {
    if (isAbsent(err)) return 'missing';
    throw cannotInspect(path, err);
  }
}

export function realPath(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch (err) {
    if (isAbsent(err)) return null;
    throw cannotInspect(path, err);
  }
}

function isAbsent(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// Anything else (EACCES, ELOOP, …) leaves us unable to say what the agent would see: refuse.
function cannotInspect(path: string, err: unknown): ShimgateError {
  return new ShimgateError('SANDBOX_PATH', `agent sandbox: cannot inspect ${path}: ${(err as Error).message}; fix its permissions or remove it from the profile`, { cause: err });
}
