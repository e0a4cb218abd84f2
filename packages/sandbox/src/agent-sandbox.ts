// The I/O edge of the agent sandbox: looks at the filesystem once, then hands plain values to the pure
// buildBwrapArgv. Returns the bwrap invocation; spawning it is the caller's business.
//
// Hiding by real location (bind-view.ts): for every deny path, credential file, other program's socket,
// mediated binary and hidden dir we hide each sandbox path that a bind makes it reachable through. A
// symlink is never itself a mount target (bwrap would follow it, and fail when the target is not
// visible): its target is hidden instead, at every path it is reachable through.
//
// bwrap's own argv lists every hidden path, and inside the sandbox bwrap is pid 1, whose cmdline any
// process can read: so the options travel on fd 3 (`--args 3`, NUL-separated) and only the agent's
// command stays on the command line.
import { ShimgateError, type ResolvedProfile } from '@shimgate/profile';
import { BindView, followLinks, kindOf, realPath } from './bind-view.js';
import { buildBwrapArgv, bwrapPathsToStat, isWithin, normalizePath, type BwrapInput, type PathKind } from './bwrap-argv.js';
import { protectMissing, type Placeholder } from './missing-protected.js';
import { hostSocketPaths } from './socket-hiding.js';

export interface AgentSandboxOptions {
  profile: ResolvedProfile;
  workdir: string;
  agentDir: string;
  runtimeRoot: string;
  /** Directories the agent must never see besides the runtime root, e.g. the shimgate state dir. */
  hiddenDirs: readonly string[];
  /** The real binaries of the mediated commands, as found on PATH or named by binary_path. */
  mediatedBinaries: readonly string[];
  /** Every credential `file` of the profile: hidden like deny paths, without being listed there. */
  credentialFiles?: readonly string[];
  /**
   * The agent's first program inside the sandbox (shim/agent-scope.c, a copy in the agent dir): it
   * adds the Landlock scopes (no abstract sockets, no signals outside) and execs the command.
   */
  scopeHelper?: string;
  /** The supervisor's environment, for the socket dirs it names (XDG_RUNTIME_DIR, SSH_AUTH_SOCK, TMUX). */
  env?: NodeJS.ProcessEnv;
  command: readonly string[];
  bwrapPath?: string;
}

export interface SandboxCommand {
  file: string;
  args: string[];
  /** bwrap's options, NUL-separated, to be written to the child's fd 3 (the args name it). */
  fd3: Buffer;
  /** Placeholder files created for missing deny paths: pass to removePlaceholders() at session end. */
  placeholders: Placeholder[];
}

const ARGS_FD = 3;

export function agentSandboxCommand(opts: AgentSandboxOptions): SandboxCommand {
  if (opts.command.length === 0) {
    throw new ShimgateError('SANDBOX_COMMAND', 'agent sandbox: no agent command was given to run inside it');
  }
  const { profile } = opts;
  const fs = profile.filesystem;
  const workdir = normalizePath(opts.workdir, 'workdir');
  const view = new BindView(profile, workdir);
  for (const dir of opts.hiddenDirs) {
    // Hidden dirs are shimgate's own; one created after the sandbox starts would show through a bind.
    if (realPath(normalizePath(dir, 'hiddenDirs')) === null) {
      throw new ShimgateError('SANDBOX_PATH', `agent sandbox: the hidden dir ${dir} does not exist; create it before the sandbox is built`);
    }
  }
  // A deny name that is a symlink protects what it leads to, even a target that does not exist yet.
  const protectedPaths = [...fs.deny, ...(opts.credentialFiles ?? [])].map((p) => ({ path: followLinks(normalizePath(p, 'filesystem.deny')), dir: p.endsWith('/') }));
  const missing = protectMissing(view, protectedPaths);
  const sockets = hostSocketPaths({ env: opts.env ?? {}, ownRoot: normalizePath(opts.runtimeRoot, 'runtimeRoot') });
  const deny = protectedPaths.flatMap((p) => view.reachableAt(p.path, 'filesystem.deny'));
  const base: Omit<BwrapInput, 'kinds'> = {
    profile: {
      workdir: profile.workdir,
      network: profile.network,
      filesystem: { ...fs, deny: [...deny, ...sockets.flatMap((p) => view.reachableIfInspectable(p))] },
    },
    workdir,
    agentDir: opts.agentDir,
    runtimeRoot: opts.runtimeRoot,
    hiddenDirs: [opts.runtimeRoot, ...opts.hiddenDirs].flatMap((p) => view.reachableAt(p, 'hiddenDirs')),
    hiddenBinaries: opts.mediatedBinaries.flatMap((p) => view.reachableAt(p, 'mediatedBinaries')),
    freezes: missing.freezes,
  };
  const kinds = new Map<string, PathKind>(bwrapPathsToStat(base).map((p) => [p, kindOf(p)]));
  const options = buildBwrapArgv({ ...base, kinds });
  const dashDash = options.lastIndexOf('--');
  return {
    file: opts.bwrapPath ?? 'bwrap',
    args: ['--args', String(ARGS_FD), '--', ...(opts.scopeHelper ? [opts.scopeHelper, '--'] : []), ...opts.command],
    fd3: Buffer.from(options.slice(0, dashDash).map((arg) => `${arg}\0`).join('')),
    placeholders: missing.placeholders,
  };
}

/**
 * The candidates (host files or dirs) the agent could modify inside the sandbox this profile builds:
 * the candidate lies inside a writable bind (so it, or a dir above it up to the bind, can be replaced),
 * or a writable bind lies inside it (part of it can). Missing candidates are never writable.
 */
export function agentWritablePaths(opts: Pick<AgentSandboxOptions, 'profile' | 'workdir'>, candidates: readonly string[]): string[] {
  const view = new BindView(opts.profile, normalizePath(opts.workdir, 'workdir'));
  const writable = view.trees.filter((t) => t.mode === 'rw');
  return candidates.filter((candidate) => {
    const real = realPath(normalizePath(candidate, 'candidate'));
    return real !== null && writable.some((t) => isWithin(real, t.real) || isWithin(t.real, real));
  });
}
