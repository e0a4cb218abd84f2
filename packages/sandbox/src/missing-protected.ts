// A deny path that does not exist at start must stay hidden if it is created later (by the user, or a
// tool on the host, while the session runs). Hiding needs a mount target, and bwrap would create a
// missing target on the host inside a bind, so instead:
// - inside a READ-ONLY bound tree: freeze the nearest existing ancestor A — an empty tmpfs at A with
//   each of A's entries re-bound read-only — so nothing created in A after start ever shows. The host
//   is untouched; the cost is that A's later entries do not appear in the sandbox.
// - inside a WRITABLE bound tree: create an empty placeholder file (0600) at the path, which the
//   sandbox then covers with /dev/null like any deny file; the session removes it at the end if it
//   is still empty. Freezing there would turn the agent's new files in A into lost tmpfs files. A
//   path whose parent dir is missing too gets no placeholder (creating dirs in the user's tree is
//   more than hiding asks for): that is reported as a warning.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { isWithin, normalizePath, type Freeze } from './bwrap-argv.js';
import { kindOf, realPath, type BindView } from './bind-view.js';

export interface Placeholder {
  path: string;
  dev: number;
  ino: number;
}

export interface MissingPlan {
  freezes: Freeze[];
  placeholders: Placeholder[];
  warnings: string[];
}

/** Plans (and, for writable trees, creates) what keeps each missing protected path hidden. */
export function protectMissing(view: BindView, protectedPaths: readonly string[]): MissingPlan {
  const plan: MissingPlan = { freezes: [], placeholders: [], warnings: [] };
  const frozen = new Set<string>();
  for (const path of new Set(protectedPaths.map((p) => normalizePath(p, 'filesystem.deny')))) {
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
        plan.freezes.push({ path: at, entries: readdirSync(realAncestor).map((name) => ({ name, source: join(realAncestor, name) })) });
      } else if (mode === 'rw' && !rest.includes('/')) {
        const placeholder = createPlaceholder(join(realAncestor, rest));
        if (placeholder) plan.placeholders.push(placeholder);
      } else if (mode === 'rw') {
        plan.warnings.push(`deny path ${path} does not exist and its parent dir is missing too, inside the writable ${tree.path}: if it is created during the session the agent will see it`);
      }
    }
  }
  return plan;
}

/** Removes each placeholder still empty and still ours; anything written there meanwhile stays. */
export function removePlaceholders(placeholders: readonly Placeholder[]): void {
  for (const p of placeholders) {
    try {
      const st = lstatSync(p.path);
      if (st.isFile() && st.size === 0 && st.dev === p.dev && st.ino === p.ino) unlinkSync(p.path);
    } catch {
      // gone already
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

function createPlaceholder(path: string): Placeholder | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null; // appeared meanwhile: hidden as it is
    throw err;
  }
  try {
    const st = fstatSync(fd);
    return { path, dev: st.dev, ino: st.ino };
  } finally {
    closeSync(fd);
  }
}
