// Where a profile hands credentials to code the agent can steer: `profile validate` and `explain`
// print these. Pure: the resolved profile in, sentences out.
//
// A mediated command runs the agent's arguments in the agent's working tree. A shell, an interpreter,
// `env`, `npm` or `make` given credentials runs whatever the agent writes, so the credential is the
// agent's; and a credential file inside the command's own readable dirs can be read back through it
// (`git diff --no-index`, `cat`); and a `sandbox.exec` that lists a shell, an interpreter or a whole
// program dir lets any command run the agent's code.
import { posix } from 'node:path';
import type { ResolvedCommand, ResolvedProfile } from './types.js';

/** Programs that run code named by their arguments, environment or working tree. */
const CODE_RUNNERS = new Set([
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'busybox', 'env', 'xargs', 'sudo', 'nohup', 'timeout', 'nice',
  'python', 'python2', 'python3', 'node', 'nodejs', 'deno', 'bun', 'ruby', 'perl', 'php', 'lua', 'tclsh', 'Rscript',
  'npm', 'npx', 'pnpm', 'yarn', 'make', 'cmake', 'ninja', 'cargo', 'go', 'pip', 'pip3', 'uv', 'poetry', 'gradle', 'mvn', 'awk', 'gawk',
]);

export function credentialWarnings(profile: ResolvedProfile): string[] {
  return profile.mediation.commands.flatMap((command) => (Object.keys(command.credentials).length === 0 ? [] : warningsFor(command)));
}

/** Dirs that hold shells and interpreters: listing one in sandbox.exec makes all of them runnable. */
const PROGRAM_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

/** An exec entry that is a code runner itself, or a program dir (with every one of them in it). */
function runsAnything(entry: string): boolean {
  const path = posix.normalize(entry).replace(/(.)\/$/, '$1');
  const name = posix.basename(path);
  return PROGRAM_DIRS.has(path) || CODE_RUNNERS.has(name) || /^python3\.\d+$/.test(name);
}

function warningsFor(command: ResolvedCommand): string[] {
  const warnings: string[] = [];
  const names = [command.name, ...(command.binary_path ? [posix.basename(command.binary_path)] : [])];
  const runner = names.find((n) => CODE_RUNNERS.has(n) || /^python3\.\d+$/.test(n));
  const vars = Object.keys(command.credentials).join(', ');
  if (runner !== undefined) {
    warnings.push(`mediation.commands "${command.name}": credentials (${vars}) go to ${runner}, which runs whatever code the agent gives it: the agent can read them`);
  }
  const wide = command.sandbox.exec.find((entry) => runsAnything(entry));
  if (wide !== undefined) {
    warnings.push(`mediation.commands "${command.name}": sandbox.exec lists ${wide}, which lets the command run a shell or an interpreter (code the agent can write): the agent can read its credentials (${vars})`);
  }
  const readable = [...command.sandbox.fs_read, ...command.sandbox.fs_write];
  const readableFiles = [...command.sandbox.fs_read_file, ...command.sandbox.fs_write_file];
  for (const [name, source] of Object.entries(command.credentials)) {
    if (!('file' in source)) continue;
    const file = posix.normalize(source.file);
    if (readableFiles.includes(file) || readable.some((dir) => file === dir || file.startsWith(`${dir.replace(/\/$/, '')}/`))) {
      warnings.push(`mediation.commands "${command.name}": credentials.${name} file ${file} lies inside the command's own readable paths (sandbox.fs_*): the agent can read it through the command`);
    }
  }
  return warnings;
}
