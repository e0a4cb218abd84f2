// `shimgate profile validate|show|list`: what a security team uses while writing profiles.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { stringify as toYaml } from 'yaml';
import {
  credentialWarnings,
  expansionContextFromProcess,
  formatIssue,
  listProfiles,
  profileDirsFromProcess,
  resolveProfile,
  validateProfileFile,
} from '@shimgate/profile';
import type { ExitCodeSink } from '../exit-code.js';

export function registerProfileCommands(cli: Argv, exit: ExitCodeSink): void {
  cli.command('profile', 'validate, show and list profiles', (profile) =>
    profile
      .command(
        'validate <files..>',
        'check profile files against the schema; lists every error',
        (y) => y.positional('files', { type: 'string', array: true, demandOption: true }),
        (args) => {
          exit.code = validateFiles(args.files as string[]);
        },
      )
      .command(
        'show <profile>',
        'print a profile resolved: bases merged, defaults filled, $VARs expanded',
        (y) =>
          y
            .positional('profile', { type: 'string', demandOption: true, describe: 'a profile name or file' })
            .option('workdir', { type: 'string', describe: 'the session workdir $WORKDIR stands for (default: .)' })
            .option('json', { type: 'boolean', default: false, describe: 'print exactly the resolved object as JSON' }),
        (args) => {
          showProfile(args.profile as string, args.workdir, args.json as boolean);
        },
      )
      .command('list', 'list built-in and user profiles and where each comes from', {}, () => {
        printList();
      })
      .demandCommand(1, 'name a profile command: validate, show or list'),
  );
}

function validateFiles(files: string[]): number {
  let bad = 0;
  for (const file of files) {
    const issues = validateProfileFile(file);
    if (issues.length === 0) {
      process.stdout.write(`${file}: ok\n`);
      for (const warning of warningsOf(file)) process.stderr.write(`${file}: warning: ${warning}\n`);
      continue;
    }
    bad += 1;
    for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
  }
  if (bad > 0) process.stderr.write(`${bad} of ${files.length} profile file(s) invalid\n`);
  return bad > 0 ? 1 : 0;
}

/** Credential warnings of the file resolved with its bases (none when it does not resolve yet). */
function warningsOf(file: string): string[] {
  try {
    const { profile } = resolveProfile(resolve(file), { dirs: profileDirsFromProcess(), expansion: expansionContextFromProcess(process.cwd()) });
    return credentialWarnings(profile);
  } catch {
    return [];
  }
}

function showProfile(ref: string, workdir: string | undefined, json: boolean): void {
  const resolution = resolveProfile(ref, {
    dirs: profileDirsFromProcess(),
    expansion: expansionContextFromProcess(resolve(workdir ?? '.')),
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(resolution.profile, null, 2)}\n`);
    return;
  }
  const header = ['# resolved from (merged in this order):', ...resolution.sources.map((s) => `#   ${s}`)];
  process.stdout.write(`${header.join('\n')}\n${toYaml(resolution.profile)}`);
}

function printList(): void {
  const rows = listProfiles(profileDirsFromProcess());
  if (rows.length === 0) {
    process.stdout.write('no profiles found\n');
    return;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) {
    const note = row.shadowed ? '  (hidden by the user profile of the same name)' : '';
    process.stdout.write(`${row.name.padEnd(width)}  ${row.origin.padEnd(8)}  ${row.path}${note}\n`);
  }
}
