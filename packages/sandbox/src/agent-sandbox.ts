// The I/O edge of the agent sandbox: looks at the filesystem once, then hands plain values to the pure
// buildBwrapArgv. Returns the bwrap invocation; spawning it is the caller's business.
//
// Hiding by real location: bwrap binds the *real* directory behind each bound path (`--ro-bind /bin
// /bin` shows /usr/bin at /bin on a merged-/usr system), so one host file can be reachable inside the
// sandbox at several paths. For every deny path, mediated binary and hidden dir we hide each sandbox
// path that a bind makes it reachable through: a bind P whose real path R contains the object's real
// path X exposes it at P + (X − R); a bind whose R lies inside X exposes part of it at P. A symlink is
// never itself a mount target (bwrap would follow it, and fail when the target is not visible): its
// target is hidden instead, at every path it is reachable through.
import { realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { ShimgateError, type ResolvedProfile } from '@shimgate/profile';
import { buildBwrapArgv, bwrapPathsToStat, isWithin, normalizePath, type BwrapInput, type PathKind } from './bwrap-argv.js';

export interface AgentSandboxOptions {
  profile: ResolvedProfile;
  workdir: string;
  agentDir: string;
  runtimeRoot: string;
  /** Directories the agent must never see besides the runtime root, e.g. the shimgate state dir. */
  hiddenDirs: readonly string[];
  /** The real binaries of the mediated commands, as found on PATH or named by binary_path. */
  mediatedBinaries: readonly string[];
  command: readonly string[];
  bwrapPath?: string;
}

export interface SandboxCommand {
  file: string;
  args: string[];
}

export function agentSandboxCommand(opts: AgentSandboxOptions): SandboxCommand {
  if (opts.command.length === 0) {
    throw new ShimgateError('SANDBOX_COMMAND', 'agent sandbox: no agent command was given to run inside it');
  }
  const { profile } = opts;
  const fs = profile.filesystem;
  const workdir = normalizePath(opts.workdir, 'workdir');
  const bound = [...fs.read, ...fs.read_file, ...fs.write, ...fs.write_file]
    .map((p) => normalizePath(p, 'filesystem'))
    .concat(profile.workdir.access === 'none' ? [] : [workdir]);
  const bindRoots = bound.flatMap((path) => {
    const real = realPath(path);
    return real === null ? [] : [{ path, real }];
  });
  const reachableAt = (path: string, field: string): string[] => {
    const real = realPath(normalizePath(path, field));
    if (real === null) return [];
    const at = bindRoots.flatMap((b) => {
      if (isWithin(real, b.real)) return [posix.join(b.path, posix.relative(b.real, real))];
      return isWithin(b.real, real) ? [b.path] : []; // a bind of something inside it shows part of it
    });
    return [...new Set(at)];
  };

  for (const dir of opts.hiddenDirs) {
    // Hidden dirs are shimgate's own; one created after the sandbox starts would show through a bind.
    if (realPath(normalizePath(dir, 'hiddenDirs')) === null) {
      throw new ShimgateError('SANDBOX_PATH', `agent sandbox: the hidden dir ${dir} does not exist; create it before the sandbox is built`);
    }
  }
  const base: Omit<BwrapInput, 'kinds'> = {
    profile: {
      workdir: profile.workdir,
      network: profile.network,
      filesystem: { ...fs, deny: fs.deny.flatMap((p) => reachableAt(p, 'filesystem.deny')) },
    },
    workdir,
    agentDir: opts.agentDir,
    runtimeRoot: opts.runtimeRoot,
    hiddenDirs: [opts.runtimeRoot, ...opts.hiddenDirs].flatMap((p) => reachableAt(p, 'hiddenDirs')),
    hiddenBinaries: opts.mediatedBinaries.flatMap((p) => reachableAt(p, 'mediatedBinaries')),
  };
  const kinds = new Map<string, PathKind>(bwrapPathsToStat(base).map((p) => [p, kindOf(p)]));
  return { file: opts.bwrapPath ?? 'bwrap', args: [...buildBwrapArgv({ ...base, kinds }), ...opts.command] };
}

/** Follows symlinks; a path that is not there (or has a non-directory in the middle) is "missing". */
function kindOf(path: string): PathKind {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch (err) {
    if (isAbsent(err)) return 'missing';
    throw cannotInspect(path, err);
  }
}

function realPath(path: string): string | null {
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
