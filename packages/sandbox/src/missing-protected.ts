// A deny path that does not exist at start must stay hidden if it is created later (by the user, or a
// tool on the host, while the session runs). Hiding needs a mount target, and bwrap would create a
// missing target on the host inside a bind, so instead:
// - inside a READ-ONLY bound tree: freeze the nearest existing ancestor A — an empty tmpfs at A with
//   each of A's entries re-bound read-only (symlinks made again as symlinks) — so nothing created in A
//   after start ever shows. The host is untouched; the cost is that A's later entries do not appear.
// - inside a WRITABLE bound tree: create a placeholder at the path — an empty file (0600), or an empty
//   dir (0700) when the deny entry ends in "/" — with any missing parent dirs (0700); the sandbox then
//   hides it like any deny path, and the session removes what it created at the end if it is still
//   empty. Freezing there would turn the agent's new files in A into lost tmpfs files. While the
//   session runs, a host tool that wants a dir where a file placeholder stands (or the reverse) fails:
//   the default profile marks its dir entries with "/" for that reason.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { ShimgateError } from '@shimgate/profile';
import { isWithin, type Freeze } from './bwrap-argv.js';
import { kindOf, realPath, type BindView } from './bind-view.js';

/** Each frozen entry is one bind (3 bwrap arguments); bwrap refuses more than 9000 arguments in all. */
const MAX_FROZEN_ENTRIES = 1000;

export interface Placeholder {
  path: string;
  kind: 'file' | 'dir';
  dev: number;
  ino: number;
}

export interface MissingPlan {
  freezes: Freeze[];
  /** Created on the host, deepest last: remove them in reverse order. */
  placeholders: Placeholder[];
}

export interface ProtectedPath {
  path: string;
  /** The deny entry ended in "/": a placeholder for it is a directory. */
  dir: boolean;
}

/** Plans (and, for writable trees, creates) what keeps each missing protected path hidden. */
export function protectMissing(view: BindView, protectedPaths: readonly ProtectedPath[]): MissingPlan {
  const plan: MissingPlan = { freezes: [], placeholders: [] };
  const frozen = new Set<string>();
  for (const { path, dir } of protectedPaths) {
    if (kindOf(path) !== 'missing') continue;
    const ancestor = nearestExistingDir(path);
    const realAncestor = ancestor === null ? null : realPath(ancestor);
    if (ancestor === null || realAncestor === null) continue;
    const rest = posix.relative(ancestor, path);
    for (const tree of view.trees.filter((t) => isWithin(realAncestor, t.real))) {
      const at = posix.join(tree.path, posix.relative(tree.real, realAncestor));
      const mode = view.modeAt(at);
      if (mode === 'ro' && !frozen.has(at)) {
        frozen.add(at);
        const entries = frozenEntries(realAncestor);
        if (entries.length > MAX_FROZEN_ENTRIES) {
          throw new ShimgateError('SANDBOX_PATH', `agent sandbox: deny path ${path} does not exist, and keeping it hidden would freeze ${at}, whose ${entries.length} entries exceed ${MAX_FROZEN_ENTRIES} (bwrap takes at most 9000 arguments); create ${path} before the session, or bind a narrower dir than ${at}`);
        }
        plan.freezes.push({ path: at, entries });
      } else if (mode === 'rw' && kindOf(join(realAncestor, rest)) === 'missing') {
        plan.placeholders.push(...createPlaceholder(realAncestor, rest, dir));
      }
    }
  }
  return plan;
}

function frozenEntries(dir: string): Freeze['entries'] {
  return readdirSync(dir).map((name) => {
    const source = join(dir, name);
    return lstatSync(source).isSymbolicLink() ? { name, symlink: readlinkSync(source) } : { name, source };
  });
}

/** Removes each placeholder still empty and still ours, deepest first; anything written there stays. */
export function removePlaceholders(placeholders: readonly Placeholder[]): void {
  for (const p of [...placeholders].reverse()) {
    try {
      const st = lstatSync(p.path);
      if (st.dev !== p.dev || st.ino !== p.ino) continue;
      if (p.kind === 'file' && st.isFile() && st.size === 0) unlinkSync(p.path);
      if (p.kind === 'dir' && st.isDirectory()) rmdirSync(p.path); // fails, and stays, unless empty
    } catch {
      // gone already, or not empty
    }
  }
}

function nearestExistingDir(path: string): string | null {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === 'dir') return dir;
    if (kind === 'file' || dir === '/') return null; // a file in the way: the path cannot be created
  }
}

/** Creates the missing parent dirs of `rest` under `base`, then `rest` itself (a file, or a dir). */
function createPlaceholder(base: string, rest: string, dir: boolean): Placeholder[] {
  const made: Placeholder[] = [];
  const parts = rest.split('/');
  let at = base;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const last = i === parts.length - 1;
    try {
      if (last && !dir) made.push(createFile(at));
      else {
        mkdirSync(at, { mode: 0o700 });
        const st = lstatSync(at);
        made.push({ path: at, kind: 'dir', dev: st.dev, ino: st.ino });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (last) break; // appeared meanwhile: hidden as it is
    }
  }
  return made;
}

function createFile(path: string): Placeholder {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    const st = fstatSync(fd);
    return { path, kind: 'file', dev: st.dev, ino: st.ino };
  } finally {
    closeSync(fd);
  }
}
