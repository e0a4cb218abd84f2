// The `shimgate` command: each subcommand lives in commands/<name>.ts and returns its exit code.
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { ShimgateError } from '@shimgate/profile';
import { registerApprovalCommands } from './commands/approvals.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerProfileCommands } from './commands/profile.js';
import { registerRunCommand } from './commands/run.js';
import { registerSessionsCommand } from './commands/sessions.js';
import { registerUiCommand } from './commands/ui.js';
import { registerWatchCommand } from './commands/watch.js';
import type { ExitCodeSink } from './exit-code.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export async function main(argv: readonly string[]): Promise<number> {
  const exit: ExitCodeSink = { code: 0 };
  const cli = yargs([...argv])
    .scriptName('shimgate')
    .usage('$0 <command>\n\nSandbox mediation for AI agents: shims, a mediation server, profiles, audit.')
    .version(VERSION)
    .help()
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'name a command (see --help)')
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`shimgate: ${message}\nRun "shimgate --help" for usage.\n`);
      exit.code = 2;
    });
  registerProfileCommands(cli, exit);
  registerRunCommand(cli, exit);
  registerExplainCommand(cli, exit);
  registerDoctorCommand(cli, exit);
  registerAuditCommands(cli, exit);
  registerSessionsCommand(cli, exit);
  registerApprovalCommands(cli, exit);
  registerWatchCommand(cli, exit);
  registerUiCommand(cli, exit);
  try {
    await cli.parseAsync();
  } catch (err) {
    return reportError(err);
  }
  return exit.code;
}

function reportError(err: unknown): number {
  if (err instanceof ShimgateError) {
    process.stderr.write(`shimgate: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`shimgate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 70;
}
