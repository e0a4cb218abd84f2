// The agent sandbox's bubblewrap options (DESIGN §5), as a pure function of values the caller already
// looked up: no files are read, nothing is spawned. agent-sandbox.ts is the I/O edge that fills `kinds`.
//
// The argv is a list of mounts in the order bwrap applies them; a later mount at P covers everything
// mounted earlier at or under P. So, in this order:
//   1. host binds (filesystem.read/read_file → --ro-bind, write/write_file → --bind, the workdir per
//      workdir.access), frozen dirs (a tmpfs with the entries re-bound), and the private mounts
//      (--dev /dev, --proc /proc, --tmpfs /tmp), sorted parent-before-child so a child bind is never
//      covered by its parent's;
//   2. the dirs between a writable bind and a path hidden inside it, each bound onto itself so the
//      agent cannot rename them away (see pinnedParents);
//   3. the hiding, after every bind so it wins: deny paths, the workdir when access is "none", the real
//      binaries of mediated commands, the runtime root and the other hidden dirs;
//   4. the session's agent dir, read-only, last: it reappears inside the runtime root's tmpfs;
//   5. --remount-ro of every hiding tmpfs and of bwrap's own root, so a write there fails (EROFS)
//      instead of landing in a scratch tmpfs and silently vanishing. Only /tmp stays a writable scratch.
//
// Decisions:
// - /tmp: the host /tmp is bound only when the profile lists /tmp itself (write → writable, read →
//   read-only); otherwise the agent gets a private, empty tmpfs /tmp that vanishes with the sandbox.
// - write beats read for the same path; workdir.access beats both for the workdir path itself.
// - "Visible" means: some host bind shows P (the last mount at or above P is a host bind), or some
//   still-visible host bind lies inside P. Only visible paths are hidden, so hiding never creates mount
//   points in places the agent cannot see anyway.
// - Hiding: a directory gets an empty tmpfs, a file gets /dev/null; a deny path or binary that does not
//   exist is left out (hiding it would create it on the host when its parent is writable). A hidden dir,
//   the runtime root, the agent dir (and the workdir unless access is "none") must exist: they are
//   shimgate's own, and a missing one is refused rather than silently left visible later.
// - /dev and /proc in the profile's lists are ignored: bwrap provides its own (the host /proc would
//   show the host's processes).
import { posix } from 'node:path';
import { ShimgateError, type ResolvedProfile } from '@shimgate/profile';

export type PathKind = 'dir' | 'file' | 'missing';

export interface BwrapInput {
  profile: Pick<ResolvedProfile, 'workdir' | 'filesystem' | 'network'>;
  workdir: string;
  /** The session's agent/ directory: bound read-only, last. */
  agentDir: string;
  runtimeRoot: string;
  /** Directories (or files) the agent must never see, e.g. the audit dir. */
  hiddenDirs: readonly string[];
  /** Absolute paths through which the real binary of a mediated command could be reached. */
  hiddenBinaries: readonly string[];
  /** What exists at every path of bwrapPathsToStat(input), keyed by that (normalised) path. */
  kinds: ReadonlyMap<string, PathKind>;
  /**
   * Read-only dirs whose entries are fixed at start: an empty tmpfs at `path` with each entry re-bound
   * read-only from `source`, so nothing created there later (a deny path) ever shows.
   */
  freezes?: readonly Freeze[];
}

export interface Freeze {
  path: string;
  /** Each entry: re-bound from `source`, or, for a symlink, made again as a symlink to `symlink`. */
  entries: readonly ({ name: string; source: string } | { name: string; symlink: string })[];
}

interface Mount {
  path: string;
  /** True when the mount shows host content (a bind); false for tmpfs, /dev, /proc, /dev/null. */
  host: boolean;
  args: string[];
  /** Remount read-only at the end (hiding tmpfs). */
  seal?: boolean;
}

const PRIVATE_MOUNTS: Readonly<Record<string, readonly string[]>> = {
  '/dev': ['--dev', '/dev'],
  '/proc': ['--proc', '/proc'],
};

export function buildBwrapArgv(input: BwrapInput): string[] {
  const kindOf = kindLookup(input.kinds);
  const { workdir, agentDir, runtimeRoot } = normalizedRoots(input);
  const access = input.profile.workdir.access;
  if (kindOf(agentDir) !== 'dir') throw missing('the session agent dir', agentDir);
  if (kindOf(runtimeRoot) !== 'dir') throw missing('the runtime root', runtimeRoot);
  if (access !== 'none' && kindOf(workdir) !== 'dir') throw missing('the workdir', workdir);

  const base = baseMounts(input, workdir, kindOf);
  const hides: Mount[] = [];
  const hide = (path: string): void => {
    const kind = kindOf(path);
    if (kind === 'missing' || !isVisible(path, [...base, ...hides])) return;
    if (kind === 'file') hides.push({ path, host: false, args: ['--ro-bind', '/dev/null', path] });
    else hides.push({ path, host: false, args: ['--tmpfs', path], seal: true });
  };
  byDepth(listed(input.profile.filesystem.deny, 'filesystem.deny')).forEach(hide);
  if (access === 'none') hide(workdir);
  byDepth(listed(input.hiddenBinaries, 'hiddenBinaries')).forEach(hide);
  for (const dir of [runtimeRoot, ...listed(input.hiddenDirs, 'hiddenDirs')]) {
    if (kindOf(dir) === 'missing') throw missing('a hidden dir', dir);
    hide(dir);
  }
  const mounts = [...base, ...pinnedParents(hides, base), ...hides];
  mounts.push({ path: agentDir, host: true, args: ['--ro-bind', agentDir, agentDir] });
  // Read-only only now: bwrap had to create mount points inside them (the agent dir in the runtime root).
  const sealed = mounts.filter((m) => m.seal).map((m) => m.path);
  if (!mounts.some((m) => m.path === '/')) sealed.push('/');

  // Run by root, bwrap would leave the agent every capability: enough to unmount what hides the
  // control socket, the audit log and the real binaries. The agent keeps none.
  const argv = ['--die-with-parent', '--new-session', '--unshare-pid', '--unshare-ipc', '--cap-drop', 'ALL'];
  if (input.profile.network.block) argv.push('--unshare-net');
  for (const mount of mounts) argv.push(...mount.args);
  for (const path of sealed) argv.push('--remount-ro', path);
  argv.push('--chdir', access === 'none' ? '/' : workdir, '--');
  return argv;
}

/** Every path buildBwrapArgv will ask `kinds` about, normalised: stat these and nothing else. */
export function bwrapPathsToStat(input: Omit<BwrapInput, 'kinds'>): string[] {
  const fs = input.profile.filesystem;
  const roots = normalizedRoots(input);
  return [...new Set([
    ...listed(fs.read, 'filesystem.read'), ...listed(fs.read_file, 'filesystem.read_file'),
    ...listed(fs.write, 'filesystem.write'), ...listed(fs.write_file, 'filesystem.write_file'),
    ...listed(fs.deny, 'filesystem.deny'), ...listed(input.hiddenBinaries, 'hiddenBinaries'),
    ...listed(input.hiddenDirs, 'hiddenDirs'), roots.workdir, roots.agentDir, roots.runtimeRoot,
  ])];
}

/**
 * The host binds a profile asks for, path → mode: write beats read for the same path, workdir.access
 * beats both for the workdir; missing paths and the private mounts are left out.
 */
export function hostBindModes(
  profile: Pick<ResolvedProfile, 'filesystem' | 'workdir'>,
  workdir: string,
  kindOf: (p: string) => PathKind,
): Map<string, 'ro' | 'rw'> {
  const fs = profile.filesystem;
  const binds = new Map<string, 'ro' | 'rw'>();
  const add = (paths: readonly string[], field: string, mode: 'ro' | 'rw'): void => {
    for (const path of listed(paths, field)) {
      if (kindOf(path) === 'missing' || path in PRIVATE_MOUNTS) continue;
      if (mode === 'rw' || !binds.has(path)) binds.set(path, mode);
    }
  };
  add(fs.read, 'filesystem.read', 'ro');
  add(fs.read_file, 'filesystem.read_file', 'ro');
  add(fs.write, 'filesystem.write', 'rw');
  add(fs.write_file, 'filesystem.write_file', 'rw');
  const access = profile.workdir.access;
  if (access === 'none') binds.delete(workdir);
  else binds.set(workdir, access === 'readwrite' ? 'rw' : 'ro');
  return binds;
}

function baseMounts(input: BwrapInput, workdir: string, kindOf: (p: string) => PathKind): Mount[] {
  const binds = hostBindModes(input.profile, workdir, kindOf);
  const frozen = new Set((input.freezes ?? []).map((f) => normalizePath(f.path, 'freezes')).filter((dir) => binds.get(dir) !== 'rw'));
  const mounts: Mount[] = [...binds].filter(([path]) => !frozen.has(path)).map(([path, mode]) => ({
    path,
    host: true,
    args: [mode === 'rw' ? '--bind' : '--ro-bind', path, path],
  }));
  for (const freeze of input.freezes ?? []) {
    const dir = normalizePath(freeze.path, 'freezes');
    if (!frozen.has(dir)) continue; // a writable bind of its own: the agent could create the path anyway
    mounts.push({ path: dir, host: false, args: ['--tmpfs', dir], seal: true });
    for (const entry of freeze.entries) {
      const at = posix.join(dir, entry.name);
      if (binds.has(at)) continue;
      // A bind follows a symlink and would show its target here, hidden or not: recreate the link.
      if ('symlink' in entry) mounts.push({ path: at, host: false, args: ['--symlink', entry.symlink, at] });
      else mounts.push({ path: at, host: true, args: ['--ro-bind', entry.source, at] });
    }
  }
  for (const [path, args] of Object.entries(PRIVATE_MOUNTS)) mounts.push({ path, host: false, args: [...args] });
  if (!binds.has('/tmp')) mounts.push({ path: '/tmp', host: false, args: ['--tmpfs', '/tmp'] });
  return byDepth(mounts.map((m) => m.path)).map((path) => mounts.find((m) => m.path === path) as Mount);
}

/**
 * A hidden path inside a writable bind is a mount point the agent cannot rename, but the dirs above
 * it up to the bind are not: renaming one away and re-making it would leave the hiding behind and
 * show whatever appears at the path later. Each such dir is bound onto itself (same content, still
 * writable inside), which makes it a mount point too.
 */
function pinnedParents(hides: readonly Mount[], base: readonly Mount[]): Mount[] {
  const pins = new Set<string>();
  const mountPaths = new Set(base.map((m) => m.path));
  for (const hidden of hides) {
    for (let dir = posix.dirname(hidden.path); dir !== '/'; dir = posix.dirname(dir)) {
      // Only where a writable bind decides: a dir in a read-only one cannot be renamed, and binding it
      // onto itself with --bind would make it writable. A mount point is pinned already.
      if (mountPaths.has(dir)) continue;
      if (deepestHostMount(dir, base)?.args[0] === '--bind') pins.add(dir);
    }
  }
  return byDepth([...pins]).map((dir) => ({ path: dir, host: true, args: ['--bind', dir, dir] }));
}

/** The last host mount at or above `path` (the one whose content shows there), if any. */
function deepestHostMount(path: string, mounts: readonly Mount[]): Mount | undefined {
  const above = mounts.filter((m) => isWithin(path, m.path));
  const deepest = above.sort((a, b) => depth(b.path) - depth(a.path))[0];
  return deepest?.host ? deepest : undefined;
}

/** Whether the host content at `path` (or a host bind inside it) would be reachable in the sandbox. */
function isVisible(path: string, mounts: readonly Mount[]): boolean {
  if (showsHost(path, mounts)) return true;
  return mounts.some((m) => m.host && m.path !== path && isWithin(m.path, path) && showsHost(m.path, mounts));
}

/** The last mount at or above `path` decides what is there; none at all means bwrap's empty root. */
function showsHost(path: string, mounts: readonly Mount[]): boolean {
  for (let i = mounts.length - 1; i >= 0; i--) {
    const mount = mounts[i] as Mount;
    if (isWithin(path, mount.path)) return mount.host;
  }
  return false;
}

/** Component-wise: `/tmp/x` is within `/tmp`, `/tmpx` is not; every path is within `/`. */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || dir === '/' || path.startsWith(`${dir}/`);
}

function depth(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

/** Unique paths, parents before children (then by name, so the argv is deterministic). */
function byDepth(paths: readonly string[]): string[] {
  return [...new Set(paths)].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function listed(paths: readonly string[], field: string): string[] {
  return paths.map((p) => normalizePath(p, field));
}

function normalizedRoots(input: Omit<BwrapInput, 'kinds'>): { workdir: string; agentDir: string; runtimeRoot: string } {
  return {
    workdir: normalizePath(input.workdir, 'workdir'),
    agentDir: normalizePath(input.agentDir, 'agentDir'),
    runtimeRoot: normalizePath(input.runtimeRoot, 'runtimeRoot'),
  };
}

/** Absolute, no `.`/`..`/`//`, no trailing slash; a relative path (e.g. an unexpanded $VAR) is refused. */
export function normalizePath(path: string, field: string): string {
  if (!posix.isAbsolute(path)) {
    throw new ShimgateError('SANDBOX_PATH', `${field}: "${path}" is not an absolute path (an unset $VARIABLE?); the agent sandbox only takes absolute paths`);
  }
  const clean = posix.normalize(path);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

function kindLookup(kinds: ReadonlyMap<string, PathKind>): (path: string) => PathKind {
  return (path) => {
    const kind = kinds.get(path);
    if (kind === undefined) {
      throw new ShimgateError('SANDBOX_INTERNAL', `agent sandbox: nothing is known about ${path}; stat every path of bwrapPathsToStat() first`);
    }
    return kind;
  };
}

function missing(what: string, path: string): ShimgateError {
  return new ShimgateError('SANDBOX_PATH', `agent sandbox: ${what} ${path} does not exist or is not a directory; it must exist before the sandbox is built`);
}
