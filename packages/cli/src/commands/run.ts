// `shimgate run [--profile P] [--workdir DIR] [--name N] [--unconfined] -- CMD ARGS…`
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ShimgateError } from '@shimgate/profile';
import type { ExitCodeSink } from '../exit-code.js';
import { startSession, type RunningSession } from '../session/start-session.js';

export function registerRunCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'run [command..]',
    'run an agent command in a mediated session (put the command after --)',
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

async function run(options: Parameters<typeof startSession>[0]): Promise<number> {
  if (options.agentCommand.length === 0) throw new ShimgateError('USAGE', 'run needs a command: shimgate run -- CMD ARGS…');
  if (!options.unconfined) {
    throw new ShimgateError(
      'NO_SANDBOX',
      'the agent sandbox is not available in this version, so run refuses to start.\n' +
        'Pass --unconfined to run the agent without it (mediation and audit still apply).',
    );
  }
  process.stderr.write('shimgate: UNCONFINED: the agent runs without a sandbox; it can bypass its shims\n');
  const session = await startSession(options);
  try {
    return await runAgent(session, options.agentCommand, options.workdir);
  } finally {
    await session.stop();
  }
}

function runAgent(session: RunningSession, command: string[], workdir: string): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { cwd: workdir, env: session.agentEnv, stdio: 'inherit' });
    // The terminal sends SIGINT to the agent itself; the supervisor stays to clean up after it.
    const ignore = (): void => {};
    const forward = (signal: NodeJS.Signals) => (): void => {
      child.kill(signal);
    };
    const onTerm = forward('SIGTERM');
    const onHup = forward('SIGHUP');
    process.on('SIGINT', ignore);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    const detach = (): void => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    };
    child.once('spawn', () => session.markRunning(child.pid as number));
    child.once('error', (err) => {
      detach();
      reject(new ShimgateError('AGENT_START', `cannot start ${file}: ${err.message}`, { cause: err }));
    });
    child.once('exit', (code, signal) => {
      detach();
      resolveExit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0));
    });
  });
}
