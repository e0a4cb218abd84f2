// Everything the mediation server needs to know about the session's commands, worked out once at
// start: the real binaries, the shims (and filtered shim dirs for allow_commands), the credentials,
// the PATH each command's children get, and how each command is put in its per-command sandbox.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ResolvedProfile } from '@shimgate/profile';
import { execHelperArgv } from '@shimgate/sandbox';
import { createBroker, listGitCommands, NO_TOOL_FACTS, noAdminGate, resolveCredentials, type SessionRuntime } from '@shimgate/server';
import { sessionVariables } from './agent-env.js';
import { findRealBinary } from './real-binary.js';
import type { SessionPaths } from './session-files.js';
import { installFilteredShims, installShims } from './shim-install.js';

export interface CommandSetup {
  runtime: SessionRuntime;
  mediated: string[];
  audited: string[];
  /** Real binaries of mediated commands, to hide from the agent. */
  mediatedBinaries: string[];
  /** Sandbox paths that do not exist (skipped), to tell the user at start. */
  missingSandboxPaths: { command: string; path: string }[];
}

export function setUpCommands(paths: SessionPaths, profile: ResolvedProfile, workdir: string, token: string): CommandSetup {
  const serverPath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const mediated = profile.mediation.commands.map((c) => c.name);
  const audited = profile.mediation.audit.commands.filter((name) => !mediated.includes(name));
  const binaries = new Map<string, string | null>();
  for (const command of profile.mediation.commands) {
    binaries.set(command.name, findRealBinary(command.name, command.binary_path, serverPath, [paths.shimDir]));
  }
  for (const name of audited) binaries.set(name, findRealBinary(name, null, serverPath, [paths.shimDir]));
  const credentials = resolveCredentials(profile.mediation.commands, process.env);
  installShims(paths, binaries);

  const childPaths = new Map<string, string>();
  // allow_commands children run their real binaries directly: those must be executable in the parent.
  const allowedBinaries = new Map<string, string[]>();
  for (const command of profile.mediation.commands) {
    const allowed = command.sandbox.allow_commands;
    if (allowed.length === 0) continue;
    const dir = installFilteredShims(paths, command.name, [...binaries.keys()], allowed);
    const reals = allowed.map((name) => binaries.get(name)).filter((p): p is string => typeof p === 'string');
    childPaths.set(command.name, [dir, ...new Set(reals.map(dirname)), serverPath].join(':'));
    allowedBinaries.set(command.name, reals);
  }
  const defaultChildPath = `${paths.shimDir}:${serverPath}`;
  const toolFacts = new Map(
    profile.mediation.commands
      .filter((c) => c.tool === 'git')
      .map((c) => [c.name, { gitCommands: listGitCommands(binaries.get(c.name) ?? null) }] as const),
  );
  const sandboxOf = new Map(profile.mediation.commands.map((c) => [c.name, c.sandbox]));

  const runtime: SessionRuntime = {
    sessionId: paths.id,
    workdir,
    profile,
    binaries,
    sessionEnv: { ...supervisorHomeVariables(process.env), ...sessionVariables(paths, token, mediated, audited) },
    childPath: (command) => childPaths.get(command) ?? defaultChildPath,
    credentials,
    broker: createBroker(),
    approvals: noAdminGate,
    toolFacts: (command) => toolFacts.get(command) ?? NO_TOOL_FACTS,
    sandboxed: (command, file, [argv0, ...args]) => ({
      file: paths.execHelper,
      argv: execHelperArgv({
        sandbox: sandboxOf.get(command)!,
        workdir,
        workdirAccess: profile.workdir.access,
        // The shims, so the command's own children reach the server; the command's real binary when a
        // capture/approve script runs /bin/sh in its place (the script is the profile's); the real
        // binaries of its allow_commands, which it runs directly.
        executeDirs: [paths.agentDir, ...scriptBinary(binaries.get(command), file), ...(allowedBinaries.get(command) ?? [])],
        agentNetworkBlocked: profile.network.block,
        binary: file,
        argv0: String(argv0 ?? command),
        args,
      }),
    }),
  };
  return {
    runtime,
    mediated,
    audited,
    mediatedBinaries: [
      ...mediated.map((name) => binaries.get(name)).filter((p): p is string => typeof p === 'string'),
      ...mediated.flatMap(knownCopies),
    ],
    missingSandboxPaths: profile.mediation.commands.flatMap((c) =>
      [...c.sandbox.fs_read, ...c.sandbox.fs_read_file, ...c.sandbox.fs_write, ...c.sandbox.fs_write_file, ...c.sandbox.exec]
        .filter((path) => !existsSync(path))
        .map((path) => ({ command: c.name, path })),
    ),
  };
}

function scriptBinary(real: string | null | undefined, file: string): string[] {
  return typeof real === 'string' && real !== file ? [real] : [];
}

/**
 * Some tools install a second copy of their binary in a libexec dir (git: /usr/lib/git-core/git, a
 * separate file). Hiding only the PATH one would leave that copy runnable: hide the known ones too.
 */
function knownCopies(name: string): string[] {
  return ['/usr/lib', '/usr/libexec', '/usr/local/lib', '/usr/local/libexec']
    .map((dir) => `${dir}/${name}-core/${name}`)
    .filter((path) => existsSync(path));
}

/** The real command's HOME and XDG dirs are the supervisor's; the caller may not choose them. */
function supervisorHomeVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR'];
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])));
}
