// `shimgate explain [--profile P] [--parent CMD] [--json] -- CMD ARGS…`: what the server would do with
// a call, without running anything.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { expansionContextFromProcess, profileDirsFromProcess, resolveProfile, ShimgateError } from '@shimgate/profile';
import type { ExitCodeSink } from '../exit-code.js';
import { listGitCommands } from '@shimgate/server';
import { explainCall } from '../explain/explain-report.js';
import { renderExplain } from '../explain/explain-text.js';
import { findRealBinary } from '../session/real-binary.js';

export function registerExplainCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'explain [call..]',
    'show which rule matches a call, what would run, under which sandbox, and why (runs nothing)',
    (y) =>
      y
        .positional('call', { type: 'string', array: true, describe: 'the command and its arguments (after --)' })
        .option('profile', { type: 'string', default: 'default', describe: 'profile name or file' })
        .option('parent', { type: 'string', describe: 'the mediated command making the call (default: the agent)' })
        .option('workdir', { type: 'string', describe: 'the workdir $WORKDIR stands for (default: .)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
        .parserConfiguration({ 'populate--': true }),
    (args) => {
      const call = [...((args.call as string[] | undefined) ?? []), ...((args['--'] as string[] | undefined) ?? [])].map(String);
      const [command, ...rest] = call;
      if (command === undefined) throw new ShimgateError('USAGE', 'explain needs a call: shimgate explain -- CMD ARGS…');
      const { profile, sources } = resolveProfile(args.profile as string, {
        dirs: profileDirsFromProcess(),
        expansion: expansionContextFromProcess(resolve((args.workdir as string | undefined) ?? '.')),
      });
      const entry = profile.mediation.commands.find((c) => c.name === command);
      const binary = entry ? findRealBinary(command, entry.binary_path, process.env.PATH ?? '', []) : null;
      const facts = entry?.tool === 'git' ? { gitCommands: listGitCommands(binary) } : undefined;
      const report = explainCall(profile, { command, args: rest, parent: (args.parent as string | undefined) ?? null }, binary, facts);
      const out = args.json ? `${JSON.stringify(report, null, 2)}\n` : renderExplain(report, resolve(args.profile as string) === sources.at(-1) ? (sources.at(-1) as string) : `${args.profile as string} (${sources.at(-1)})`);
      process.stdout.write(out);
      exit.code = 0;
    },
  );
}
