// The argv of the per-command sandbox exec helper, shim/sandbox-exec.c (DESIGN.md §5). Pure: no files,
// no spawn, no globals. The server spawns `[helperPath, ...execHelperArgv(...).slice(1)]`.
//
// Every path travels as the argument right after its option, and everything after `--` is the
// command's own argv, which the helper never parses: a path or an argument that looks like an option
// cannot turn into one. The helper refuses relative paths (exit 126) and skips missing ones.
import type { ResolvedCommand, WorkdirAccess } from '@shimgate/profile';

/** The helper's file name in shim/build/ and its argv[0]. */
export const EXEC_HELPER_NAME = 'shimgate-sandbox-exec';

export interface ExecHelperInput {
  /** The command's resolved `sandbox` block. */
  sandbox: ResolvedCommand['sandbox'];
  /** The session's workdir (absolute). */
  workdir: string;
  /** The profile's `workdir.access`. */
  workdirAccess: WorkdirAccess;
  /**
   * Directories (or files) whose programs the command may run besides its binary and `sandbox.exec`:
   * the session's shim dirs, and the command's real binary when a script action runs /bin/sh instead.
   */
  executeDirs: readonly string[];
  /**
   * The agent's own `network.block`. A command without network egress of its own inherits it: until
   * a session proxy exists, "egress" = neither the command's nor the agent's network is blocked, so
   * an agent without network cannot reach it through a mediated command.
   */
  agentNetworkBlocked: boolean;
  /** The real binary, absolute: the helper execs it without a PATH lookup. */
  binary: string;
  /** argv[0] the binary sees (and the name in the helper's error messages). */
  argv0: string;
  args: readonly (string | Buffer)[];
}

/**
 * `['shimgate-sandbox-exec', ...options, '--', binary, argv0, ...args]`.
 *
 * Execute is granted by the helper only on the binary, its interpreters and the `--rx` paths: the
 * shim dirs and `sandbox.exec` (DESIGN.md §4.5); every other grant is read or write.
 *
 * Not encoded here, on purpose: `allow_commands` is the server's decision on nested calls (they come
 * back through the shims reachable via `executeDirs`), and `network.allowed_hosts` cannot be expressed
 * by Landlock or seccomp (it needs a proxy); only `network.block` is (then the helper gives the
 * command an empty network namespace of its own).
 */
export function execHelperArgv(input: ExecHelperInput): (string | Buffer)[] {
  const { sandbox } = input;
  const out: (string | Buffer)[] = [EXEC_HELPER_NAME];
  const grant = (flag: string, paths: readonly string[]): void => {
    for (const path of paths) out.push(flag, path);
  };

  // The command runs in the caller's cwd, which is normally inside the session workdir; without a
  // grant on the workdir it could not even read the files it was asked to work on. The grant follows
  // the profile's workdir.access, so the command gets exactly what the agent has there, never more.
  if (input.workdirAccess === 'read') grant('--ro', [input.workdir]);
  if (input.workdirAccess === 'readwrite') grant('--rw', [input.workdir]);
  // The session's shim dirs, so the command's own children can call mediated commands through their
  // shims (which the server then decides on, allow_commands included).
  grant('--rx', input.executeDirs);
  grant('--rx', sandbox.exec);
  grant('--ro', sandbox.fs_read);
  grant('--ro-file', sandbox.fs_read_file);
  grant('--rw', sandbox.fs_write);
  grant('--rw-file', sandbox.fs_write_file);
  if (sandbox.network.block || input.agentNetworkBlocked) out.push('--block-net');
  if (sandbox.landlock === 'optional') out.push('--landlock-optional');
  out.push('--', input.binary, input.argv0, ...input.args);
  return out;
}
