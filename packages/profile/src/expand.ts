// $VAR and ~ expansion of a resolved profile's path-like fields (DESIGN §2.1). Pure: the context
// (workdir, home, uid, user, env) comes in as a value; process-context.ts reads it from the process.
import type { CredentialSource, ResolvedCommand, ResolvedProfile, ResolvedRule } from './types.js';

export interface ExpansionContext {
  workdir: string;
  home: string;
  uid: number;
  user: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Built-ins first, then the environment; a built-in wins over an env variable of the same name. */
export function expansionVariables(ctx: ExpansionContext): ReadonlyMap<string, string> {
  const { env, home } = ctx;
  const vars = new Map<string, string>([
    ['WORKDIR', ctx.workdir],
    ['HOME', home],
    ['TMPDIR', env.TMPDIR || '/tmp'],
    ['UID', String(ctx.uid)],
    ['USER', ctx.user],
    ['XDG_CONFIG_HOME', env.XDG_CONFIG_HOME || underHome(home, '.config')],
    ['XDG_DATA_HOME', env.XDG_DATA_HOME || underHome(home, '.local/share')],
    ['XDG_STATE_HOME', env.XDG_STATE_HOME || underHome(home, '.local/state')],
    ['XDG_CACHE_HOME', env.XDG_CACHE_HOME || underHome(home, '.cache')],
  ]);
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !vars.has(name)) vars.set(name, value);
  }
  return vars;
}

/**
 * One left-to-right scan; substituted text is never rescanned. A name is the whole run of
 * [A-Za-z0-9_] after `$` (or inside `${…}`); only a run that is entirely [A-Z_][A-Z0-9_]* is a
 * variable, so `$HOMEdir` stays literal instead of becoming `<home>dir`. Anything not expanded
 * (unset, lower-case, malformed) is copied exactly as written. `$$` is a literal `$`.
 */
export function expandString(text: string, vars: ReadonlyMap<string, string>, home: string): string {
  if (text === '~') return home;
  let out = '';
  let i = 0;
  if (text.startsWith('~/')) {
    out = home.endsWith('/') ? home.slice(0, -1) : home;
    i = 1;
  }
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const ref = readReference(text, dollar);
    const value = ref.name === undefined ? ref.literal : vars.get(ref.name);
    out += value ?? text.slice(dollar, ref.end);
    i = ref.end;
  }
  return out;
}

interface Reference {
  /** The variable named, if the text at `$` is a well-formed upper-case reference. */
  name?: string;
  /** What to write instead, when the text is an escape (`$$`). */
  literal?: string;
  /** Index just past what was read; unless expanded or escaped, text up to here is copied as is. */
  end: number;
}

/** Reads the reference starting at text[at] === '$'. */
function readReference(text: string, at: number): Reference {
  const next = text[at + 1];
  if (next === '$') return { literal: '$', end: at + 2 };
  if (next === '{') {
    const end = wordEnd(text, at + 2);
    const word = text.slice(at + 2, end);
    if (text[end] === '}' && isVariableName(word)) return { name: word, end: end + 1 };
    return { end: at + 1 };
  }
  const end = wordEnd(text, at + 1);
  const word = text.slice(at + 1, end);
  if (word === '') return { end: at + 1 };
  return isVariableName(word) ? { name: word, end } : { end };
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
  return i;
}

function isVariableName(word: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(word);
}

/** Expands exactly the fields DESIGN §2.1 names; everything else is copied unchanged. */
export function expandProfile(profile: ResolvedProfile, ctx: ExpansionContext): ResolvedProfile {
  const vars = expansionVariables(ctx);
  const ex = (text: string): string => expandString(text, vars, ctx.home);
  const exAll = (items: readonly string[]): string[] => items.map(ex);
  const { filesystem: fs, mediation } = profile;
  return {
    meta: { ...profile.meta },
    workdir: { ...profile.workdir },
    filesystem: {
      read: exAll(fs.read),
      write: exAll(fs.write),
      read_file: exAll(fs.read_file),
      write_file: exAll(fs.write_file),
      deny: exAll(fs.deny),
    },
    network: { block: profile.network.block, allow_domain: [...profile.network.allow_domain] },
    mediation: {
      commands: mediation.commands.map((cmd) => expandCommand(cmd, ex)),
      env: { block: [...mediation.env.block] },
      audit: { commands: [...mediation.audit.commands] },
      approval: { ...mediation.approval },
    },
  };
}

function expandCommand(cmd: ResolvedCommand, ex: (text: string) => string): ResolvedCommand {
  const { sandbox } = cmd;
  return {
    name: cmd.name,
    binary_path: cmd.binary_path === null ? null : ex(cmd.binary_path),
    flags_with_values: [...cmd.flags_with_values],
    tool: cmd.tool,
    intercept: cmd.intercept.map(
      (rule): ResolvedRule => ({
        args_prefix: rule.args_prefix.map(ex),
        args_must_include: rule.args_must_include.map(ex),
        admin: rule.admin,
        action: { ...rule.action },
      }),
    ),
    sandbox: {
      fs_read: sandbox.fs_read.map(ex),
      fs_read_file: sandbox.fs_read_file.map(ex),
      fs_write: sandbox.fs_write.map(ex),
      fs_write_file: sandbox.fs_write_file.map(ex),
      exec: sandbox.exec.map(ex),
      network: { block: sandbox.network.block, allowed_hosts: [...sandbox.network.allowed_hosts] },
      allow_commands: [...sandbox.allow_commands],
      landlock: sandbox.landlock,
      env_pass: [...sandbox.env_pass],
    },
    credentials: expandCredentials(cmd.credentials, ex),
    caller_policy: {
      agent_allowed: cmd.caller_policy.agent_allowed,
      allowed_parents: cmd.caller_policy.allowed_parents === null ? null : [...cmd.caller_policy.allowed_parents],
    },
  };
}

// Only a credential's file path is a path; env names and command argv are passed as written.
function expandCredentials(
  credentials: Readonly<Record<string, CredentialSource>>,
  ex: (text: string) => string,
): Record<string, CredentialSource> {
  const out = Object.create(null) as Record<string, CredentialSource>;
  for (const [key, source] of Object.entries(credentials)) {
    if ('file' in source) out[key] = { file: ex(source.file) };
    else if ('env' in source) out[key] = { env: source.env };
    else out[key] = { command: [...source.command] };
  }
  return out;
}

function underHome(home: string, rel: string): string {
  return `${home.endsWith('/') ? home.slice(0, -1) : home}/${rel}`;
}
