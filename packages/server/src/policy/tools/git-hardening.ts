// git before it runs with the agent's arguments (DESIGN §4.5). Pure: hardenGit decides; call-runner.ts
// applies the result. What it does:
//   - refuses a subcommand that is not one of the session's git commands (`git --list-cmds=
//     builtins,main` at session start): git would run it as an alias from some config file
//     ("git config alias.pp push; git pp"), or autocorrect it ("psuh"), where no rule sees it;
//   - refuses -c / --config-env (and clone's -c/--config) of a key that names a command, an alias,
//     another file to read, or one the server pins (git.ts GIT_REFUSED_CONFIG_KEYS), and
//     --exec-path=DIR (git would run its helpers from DIR);
//   - refuses subcommands, options and actions that run commands of the caller's choosing (git.ts),
//     help pages (a viewer the repository's config can name), --help;
//   - runs git with --no-pager and `-c` overrides for every config key that names a command (they win
//     over the repository's config), `--no-ext-diff` after `diff` (diff.external cannot be unset), and
//     an environment without the caller's GIT_*, pager, editor and ssh variables (GIT_ENV).
// What remains (README "Tool specs"): per-name keys that git reads from the repository's own config
// together with its attributes — filter.<driver>.clean/smudge/process, diff.<driver>.textconv,
// merge.<driver>.driver — and the repository's state files (a rebase todo's "exec" lines) can still
// name commands; only the per-command sandbox's exec list (no /bin/sh for git) stops those.
import { possibleOptions, readWithTable, SAME_NAME, type ReadToken } from '../argv-reading.js';
import { leadingWords } from '../reading-words.js';
import { argText, quote, refusal, shown, type Hardened } from './hardening.js';
import { GIT_CONFIG_OVERRIDES, GIT_ENV, GIT_REFUSED_ACTIONS, GIT_REFUSED_CONFIG_KEYS, GIT_REFUSED_OPTIONS, GIT_REFUSED_SUBCOMMANDS, git } from './git.js';
import { optionTable } from './option-table.js';

/** The session's git commands, or why they are not known (then every git call is refused). */
export type GitCommands = ReadonlySet<string> | { readonly problem: string };

const ANY_OPTION = optionTable([], { unknown: 'maybe', negation: true });
const HELP_VIEWERS = new Set(['-w', '--web', '-m', '--man', '-i', '--info']);

export function hardenGit<A extends string | Buffer>(args: readonly A[], commands: GitCommands): Hardened<A> {
  const text = args.map(argText);
  let i = 0;
  while (i < text.length) {
    const raw = text[i]!;
    if (raw.length < 2 || !raw.startsWith('-') || Object.hasOwn(FIRST_WORD_OPTIONS, raw)) break;
    const problem = globalOptionProblem(raw, text[i + 1]);
    if (problem !== null) return problem;
    i += 1 + (needsNext(raw) ? 1 : 0);
  }
  const ours = ['--no-pager', ...GIT_CONFIG_OVERRIDES.flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  if (i >= text.length) return { args: [...ours, ...args], env: GIT_ENV }; // "git", "git --exec-path"
  const written = text[i]!;
  const subcommand = Object.hasOwn(FIRST_WORD_OPTIONS, written) ? FIRST_WORD_OPTIONS[written]! : written;
  const problem = subcommandProblem(subcommand, written, text.slice(i + 1), commands);
  if (problem !== null) return problem;
  const extra = subcommand === 'diff' ? ['--no-ext-diff'] : [];
  return { args: [...ours, ...args.slice(0, i + 1), ...extra, ...args.slice(i + 1)], env: GIT_ENV };
}

const FIRST_WORD_OPTIONS: Readonly<Record<string, string>> = git.subcommands!.aliases!['']!;

function needsNext(raw: string): boolean {
  const arity = raw.startsWith('--') ? git.options.long.get(raw.slice(2)) : git.options.short.get(raw.slice(1));
  return arity === 'required';
}

/** A refusal for one of git's own options (before the subcommand), or null. */
function globalOptionProblem(raw: string, next: string | undefined): { refuse: string } | null {
  const eq = raw.indexOf('=');
  const name = raw.startsWith('--') ? raw.slice(2, eq < 0 ? undefined : eq) : raw.slice(1);
  const known = raw.startsWith('--') ? git.options.long.has(name) : raw.length === 2 && git.options.short.has(name);
  if (!known) return refusal('git', shown(raw), 'it is not one of git\'s own options (git would refuse it too)');
  if (name === 'exec-path' && eq >= 0) {
    return refusal('git', '--exec-path=…', 'git would run its helper programs from a directory of the caller\'s choosing');
  }
  if (name === 'config-env') {
    // Whatever the key: its whole job is to read a value from the command's environment, where its
    // credentials are (`--config-env=user.name=TOKEN config user.name` prints one).
    return refusal('git', '--config-env', 'it copies a variable of the command\'s environment (where its credentials are) into git\'s config', 'use -c with the value itself');
  }
  if (name === 'c') return configProblem('-c', next ?? '');
  return null;
}

/** A refusal when `assignment` ("key=value", "key") sets a refused key, else null. */
function configProblem(option: string, assignment: string): { refuse: string } | null {
  const eq = assignment.indexOf('=');
  const key = eq < 0 ? assignment : assignment.slice(0, eq);
  const refused = refusedConfigKey(key);
  if (refused === null) return null;
  // The value is never shown: it may be a secret, and the reason goes to the audit log.
  return refusal('git', `${option} ${key}${eq < 0 ? '' : '=…'} ("${refused.pattern}")`, refused.reason, 'run the command itself, without the setting');
}

/** The refused pattern `key` matches and why (section and name compared case-insensitively), or null. */
export function refusedConfigKey(key: string): { pattern: string; reason: string } | null {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0) return null; // git refuses a key without a section
  const section = key.slice(0, first).toLowerCase();
  const name = key.slice(last + 1).toLowerCase();
  const hasSubsection = last > first;
  for (const [reason, patterns] of Object.entries(GIT_REFUSED_CONFIG_KEYS)) {
    for (const pattern of patterns) {
      const parts = pattern.split('.');
      if (parts[0] !== section) continue;
      if (parts.length === 2 && (parts[1] === '*' || (!hasSubsection && parts[1] === name))) return { pattern, reason };
      if (parts.length === 3 && hasSubsection && parts[2] === name) return { pattern, reason };
    }
  }
  return null;
}

function subcommandProblem(subcommand: string, written: string, rest: readonly string[], commands: GitCommands): { refuse: string } | null {
  if ('problem' in commands) return refusal('git', quote(written), `git's commands are not known in this session (${commands.problem})`);
  if (!commands.has(subcommand)) {
    return refusal(
      'git',
      quote(written),
      'it is not a git built-in or installed command, so git would run it as an alias from a config file (or autocorrect it), which the intercept rules never see',
      'write the git command it stands for',
    );
  }
  if (Object.hasOwn(GIT_REFUSED_SUBCOMMANDS, subcommand)) return refusal('git', quote(`git ${subcommand}`), GIT_REFUSED_SUBCOMMANDS[subcommand]!);
  const tables = git.subcommandOptions!;
  const tokens = readWithTable(Object.hasOwn(tables, subcommand) ? tables[subcommand]! : ANY_OPTION, rest);
  const helpPage = subcommand === 'help' && tokens.some((t) => t.kind === 'word' || HELP_VIEWERS.has(t.raw));
  if (helpPage) return refusal('git', quote(`git help ${rest.join(' ')}`), 'git shows help pages through a viewer the repository\'s config can name (man.<tool>.cmd)', 'read the page outside the session, or use `git <command> -h`');
  const options = possibleOptions(tokens);
  return optionProblem(subcommand, options) ?? cloneConfigProblem(subcommand, tokens) ?? actionProblem(subcommand, tokens);
}

function optionProblem(subcommand: string, options: readonly ReadToken[]): { refuse: string } | null {
  const rules = [...(GIT_REFUSED_OPTIONS[subcommand] ?? []), ...GIT_REFUSED_OPTIONS['*']!];
  for (const token of options) {
    if (token.options.includes('--help')) {
      return refusal('git', shown(token.raw, '--help'), 'git shows help pages through a viewer the repository\'s config can name (man.<tool>.cmd)', 'use -h');
    }
    for (const rule of rules) {
      const hit = token.options.find((option) => rule.options.includes(option));
      if (hit !== undefined) return refusal('git', `${shown(token.raw, hit)} after "${subcommand}"`, rule.reason);
    }
  }
  return null;
}

/** clone -c/--config key=value: set in the new repository before its checkout runs filters. */
function cloneConfigProblem(subcommand: string, tokens: readonly ReadToken[]): { refuse: string } | null {
  if (subcommand !== 'clone') return null;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token.kind !== 'option' || !token.options.some((o) => o === '-c' || o === '--config')) continue;
    const attached = token.raw.startsWith('--') ? token.raw.indexOf('=') : token.raw.indexOf('c') + 1;
    const value = token.raw.startsWith('--')
      ? attached < 0 ? tokens[k + 1]?.raw ?? '' : token.raw.slice(attached + 1)
      : attached < token.raw.length ? token.raw.slice(attached) : tokens[k + 1]?.raw ?? '';
    const problem = configProblem('clone --config', value);
    if (problem !== null) return problem;
  }
  return null;
}

/** bisect run, submodule foreach: their arguments are commands. */
function actionProblem(subcommand: string, tokens: readonly ReadToken[]): { refuse: string } | null {
  const refused = GIT_REFUSED_ACTIONS[subcommand];
  if (refused === undefined) return null;
  if (tokens.some((t) => refused.includes(t.raw) && t.raw.startsWith('-'))) {
    return refusal('git', quote(`git ${subcommand} ${refused.join('/')}`), 'its arguments are commands git would run');
  }
  const readings = leadingWords({ tokens, names: SAME_NAME }, 1);
  if (readings === null || readings.some((words) => refused.includes(words[0] ?? ''))) {
    return refusal('git', quote(`git ${subcommand} ${refused.filter((r) => !r.startsWith('-')).join('/')}`), 'its arguments are commands git would run');
  }
  return null;
}

