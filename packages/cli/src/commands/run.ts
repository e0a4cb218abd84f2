// `shimgate run [--profile P] [--workdir DIR] [--name N] [--unconfined] -- CMD ARGS…`
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ShimgateError } from '@shimgate/profile';
import type { Writable } from 'node:stream';
import {
  AGENT_SCOPE_PATH,
  agentWritablePaths,
  EXEC_HELPER_PATH,
  probeAgentScope,
  removePlaceholders,
  selectBackend,
  SHIMGATE_INSTALL_ROOT,
  type AgentSandboxBackend,
  type Placeholder,
  type SandboxCommand,
} from '@shimgate/sandbox';
import type { ExitCodeSink } from '../exit-code.js';
import { hostSocketWarnings } from '../session/host-sockets.js';
import { refuseAgentWritable, trustedFiles } from '../session/trusted-files.js';
import { startSession, type RunningSession, type StartOptions } from '../session/start-session.js';

export function registerRunCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'run [command..]',
    'run an agent command in a mediated, sandboxed session (put the command after --)',
    (y) =>
      y
        .positional('command', { type: 'string', array: true, describe: 'the agent command and its arguments' })
        .option('profile', { type: 'string', default: 'default', describe: 'profile name or file' })
        .option('workdir', { type: 'string', describe: 'the agent\'s working directory (default: .)' })
        .option('name', { type: 'string', describe: 'a name for the session (default: the command name)' })
        .option('unconfined', { type: 'boolean', default: false, describe: 'run without the agent sandbox (says UNCONFINED)' })
        .parserConfiguration({ 'populate--': true }),
    async (args) => {
      const command = [...((args.command as string[] | undefined) ?? []), ...((args['--'] as string[] | undefined) ?? [])].map(String);
      exit.code = await run({
        profile: args.profile as string,
        workdir: resolve((args.workdir as string | undefined) ?? '.'),
        name: args.name as string | undefined,
        unconfined: args.unconfined as boolean,
        agentCommand: command,
      });
    },
  );
}

async function run(options: StartOptions): Promise<number> {
  if (options.agentCommand.length === 0) throw new ShimgateError('USAGE', 'run needs a command: shimgate run -- CMD ARGS…');
  const signals = new SupervisorSignals();
  try {
    const gate = options.unconfined ? null : startBootGate();
    if (gate === null) process.stderr.write('shimgate: UNCONFINED: the agent runs without its sandbox; it can bypass its shims\n');
    for (const warning of hostSocketWarnings(process.env)) process.stderr.write(`shimgate: warning: ${warning}\n`);
    const session = await startSession(options);
    const placeholders: Placeholder[] = [];
    try {
      if (gate !== null) await gate.passed; // nothing of the agent's has run yet: refusing here is clean
      if (signals.stopRequested) return 128 + (constants.signals[signals.stopRequested] ?? 0);
      const launch: Launch = gate === null ? { file: options.agentCommand[0] as string, args: options.agentCommand.slice(1) } : confinedLaunch(gate.backend, session, options);
      if (launch.placeholders) placeholders.push(...launch.placeholders);
      return await runAgent(session, launch, options.workdir, signals);
    } finally {
      await session.stop();
      removePlaceholders(placeholders);
    }
  } finally {
    signals.detach();
  }
}

/**
 * The sandbox must work before the agent starts: otherwise refuse, saying why and how to fix it. The
 * probes run beside the session's set-up (`passed` rejects with the reasons); the per-command helper
 * only has to be there here, since it refuses by itself on a kernel without Landlock.
 */
function startBootGate(): { backend: AgentSandboxBackend; passed: Promise<void> } {
  const backend = selectBackend();
  const passed = backend.checkAsync().then((results) => {
    const problems = results.flatMap((p) => (p.ok ? [] : [`${p.detail}\n  fix: ${p.fix}`]));
    try {
      accessSync(EXEC_HELPER_PATH, fsConstants.X_OK);
    } catch {
      problems.push(`the sandbox helper ${EXEC_HELPER_PATH} is not built\n  fix: run "npm run build" (npm ci does it)`);
    }
    const scopes = probeAgentScope(AGENT_SCOPE_PATH);
    if (!scopes.ok) problems.push(`${scopes.detail}\n  fix: ${scopes.fix}`);
    if (problems.length > 0) {
      throw new ShimgateError(
        'NO_SANDBOX',
        `the agent sandbox (${backend.name}) cannot be built, so run refuses to start:\n${problems.map((p) => `- ${p}`).join('\n')}\n` +
          'Run "shimgate doctor" for every check, or pass --unconfined to run without the sandbox.',
      );
    }
  });
  passed.catch(() => {}); // handled where it is awaited; this only keeps an early failure from going unhandled
  return { backend, passed };
}

/** While the session starts and runs, the supervisor outlives the signals meant for the agent. */
class SupervisorSignals {
  stopRequested: NodeJS.Signals | null = null;
  private child: { kill(signal: NodeJS.Signals): boolean } | null = null;
  private readonly handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', () => {}], // the terminal sends it to the agent too; the agent decides
    ['SIGTERM', () => this.forward('SIGTERM')],
    ['SIGHUP', () => this.forward('SIGHUP')],
  ];

  constructor() {
    for (const [signal, handler] of this.handlers) process.on(signal, handler);
  }

  attach(child: { kill(signal: NodeJS.Signals): boolean }): void {
    this.child = child;
  }

  detach(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
  }

  private forward(signal: NodeJS.Signals): void {
    if (this.child) this.child.kill(signal);
    else this.stopRequested = signal;
  }
}

type Launch = Pick<SandboxCommand, 'file' | 'args'> & Partial<SandboxCommand>;

/** The agent's bwrap command, once nothing the server runs or obeys is writable inside it. */
function confinedLaunch(backend: AgentSandboxBackend, session: RunningSession, options: StartOptions): SandboxCommand {
  const sandbox = {
    profile: session.profile,
    workdir: options.workdir,
    agentDir: session.paths.agentDir,
    runtimeRoot: session.runtimeRoot,
    hiddenDirs: [session.stateDir],
    mediatedBinaries: session.mediatedBinaries,
    credentialFiles: session.profile.mediation.commands.flatMap((c) => Object.values(c.credentials)).flatMap((src) => ('file' in src ? [src.file] : [])),
    env: process.env,
    scopeHelper: session.paths.agentScope,
    command: options.agentCommand,
  };
  const trusted = trustedFiles({
    nodeBinary: process.execPath,
    installRoot: SHIMGATE_INSTALL_ROOT,
    runtimeRoot: session.runtimeRoot,
    stateDir: session.stateDir,
    profileSources: session.profileSources,
    mediatedBinaries: session.mediatedBinaries,
  });
  refuseAgentWritable(trusted, new Set(agentWritablePaths(sandbox, trusted.map((t) => t.path))));
  return backend.wrap(sandbox);
}

function runAgent(session: RunningSession, launch: Launch, workdir: string, signals: SupervisorSignals): Promise<number> {
  return new Promise((resolveExit) => {
    const { file, args, fd3 } = launch;
    const child = spawn(file, args, { cwd: workdir, env: session.agentEnv, stdio: fd3 ? ['inherit', 'inherit', 'inherit', 'pipe'] : 'inherit' });
    if (fd3) {
      const options = child.stdio[3] as Writable;
      options.on('error', () => {}); // bwrap gone before reading: its exit says why
      options.end(fd3);
    }
    signals.attach(child);
    child.once('spawn', () => session.markRunning(child.pid as number));
    child.once('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126;
      process.stderr.write(`shimgate: cannot start ${file}: ${err.message}\n`);
      resolveExit(code);
    });
    child.once('exit', (code, signal) => {
      resolveExit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0));
    });
  });
}
