// Credentials of DESIGN §2 (`credentials: {NAME: {file}|{env}|{command}}`), resolved once when the
// session starts, held in the server's memory only, and added to the real binary's environment.
// A source that cannot be read stops the session from starting: a command that silently runs without
// its credential fails later in ways that are harder to understand.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ShimgateError, type CredentialSource, type ResolvedCommand } from '@shimgate/profile';

/** Command name → the variables to add to its environment. */
export type CredentialTable = ReadonlyMap<string, Readonly<Record<string, string>>>;

const COMMAND_TIMEOUT_MS = 30_000;

export function resolveCredentials(
  commands: readonly ResolvedCommand[],
  supervisorEnv: Readonly<Record<string, string | undefined>>,
): CredentialTable {
  const table = new Map<string, Record<string, string>>();
  for (const command of commands) {
    const names = Object.keys(command.credentials);
    if (names.length === 0) continue;
    const values: Record<string, string> = {};
    for (const name of names) {
      values[name] = readSource(command.name, name, command.credentials[name] as CredentialSource, supervisorEnv);
    }
    table.set(command.name, values);
  }
  return table;
}

function readSource(command: string, name: string, source: CredentialSource, env: Readonly<Record<string, string | undefined>>): string {
  const where = `mediation.commands "${command}": credentials.${name}`;
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined || value === '') {
      throw new ShimgateError('CREDENTIAL', `${where}: the supervisor's environment has no ${source.env}; export it before "shimgate run"`);
    }
    return value;
  }
  if ('file' in source) {
    try {
      return stripFinalNewline(readFileSync(source.file, 'utf8'));
    } catch (err) {
      throw new ShimgateError('CREDENTIAL', `${where}: cannot read ${source.file}: ${(err as Error).message}`, { cause: err });
    }
  }
  const [file, ...args] = source.command as [string, ...string[]];
  try {
    return stripFinalNewline(execFileSync(file, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (err) {
    const status = (err as { status?: number }).status;
    const why = status !== undefined && status !== null ? `exited ${status}` : (err as Error).message;
    throw new ShimgateError('CREDENTIAL', `${where}: command ${JSON.stringify(source.command)} failed (${why})`, { cause: err });
  }
}

function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}
