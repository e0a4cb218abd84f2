// git: how it reads its argv, and what git-hardening.ts neutralises before it runs (DESIGN §4.5).
//
// Reading: git's own options come before the subcommand and are read exactly (git.c handle_options:
// "-C log push" is a push in the directory "log"); the subcommand's options come after it
// (git-options.ts). git has no subcommand abbreviations; aliases are refused instead (git-hardening.ts).
// Classes: send-pack and http-push push, the remote helpers fetch and push, fetch-pack, upload-pack and
// receive-pack move objects like fetch, so a rule on "push" or "fetch" also catches them.
import { GIT_SUBCOMMAND_OPTIONS } from './git-options.js';
import { optionTable } from './option-table.js';
import type { EnvEdits, ToolSpec } from './tool-spec.js';

/** git.c handle_options (2.39 to 2.5x): all of them, each a whole token. */
const GLOBAL_OPTIONS = optionTable(
  [
    '-C=', '-c=', '--config-env=', '--exec-path=?', '--html-path', '--man-path', '--info-path', '-p --paginate',
    '-P --no-pager', '--no-lazy-fetch', '--no-replace-objects', '--git-dir=', '--namespace=', '--work-tree=',
    '--super-prefix=', '--bare', '--literal-pathspecs', '--no-literal-pathspecs', '--glob-pathspecs',
    '--noglob-pathspecs', '--icase-pathspecs', '--no-optional-locks', '--shallow-file=', '--list-cmds=?',
    '--attr-source=', '--no-advice',
  ],
  { unknown: 'none' }, // git refuses any other option before the subcommand, whatever it is
);

export const git: ToolSpec = {
  name: 'git',
  summary: 'git: exact global options (-C, -c, --git-dir…), push/fetch classes; no system/global config, hooks, fsmonitor, pager, editor, ssh command, credential helper, askpass, gpg programs, external diff overridden; -c/--config-env of command keys, aliases, autocorrect, non-built-in subcommands refused',
  layout: 'subcommand',
  options: GLOBAL_OPTIONS,
  subcommandOptions: GIT_SUBCOMMAND_OPTIONS,
  subcommands: {
    aliases: { '': { '--help': 'help', '-h': 'help', '--version': 'version', '-v': 'version' } },
    classes: {
      'send-pack': ['push'],
      'http-push': ['push'],
      'remote-http': ['push', 'fetch'],
      'remote-https': ['push', 'fetch'],
      'remote-ftp': ['push', 'fetch'],
      'remote-ftps': ['push', 'fetch'],
      'remote-ext': ['push', 'fetch'],
      'remote-fd': ['push', 'fetch'],
      'fetch-pack': ['fetch'],
      'upload-pack': ['fetch'],
      'receive-pack': ['fetch'],
    },
  },
};

// ---- hardening data (used by git-hardening.ts) ----------------------------------------------------

/** Hook events (githooks(5)); newer git runs configured hooks per event unless hook.<event>.enabled=false. */
const HOOK_EVENTS = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg',
  'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update',
  'proc-receive', 'post-receive', 'post-update', 'reference-transaction', 'push-to-checkout', 'pre-auto-gc',
  'post-rewrite', 'sendemail-validate', 'fsmonitor-watchman', 'p4-changelist', 'p4-prepare-changelist',
  'p4-post-changelist', 'p4-pre-submit', 'post-index-change',
];

/**
 * `-c key=value` put before the agent's arguments: command-line config wins over every config file,
 * so each key that names a command is pinned to something inert. Not here, on purpose:
 * diff.external (an empty value makes git run "", breaking every diff: `--no-ext-diff` instead),
 * uploadpack.packObjectsHook (read only from protected config, which the caller cannot reach; empty
 * would break upload-pack), core.gitProxy (first value wins: git:// is not an allowed protocol),
 * and per-name keys (filter.<driver>.*, …: see git-hardening.ts).
 */
export const GIT_CONFIG_OVERRIDES: readonly (readonly [string, string])[] = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.pager', 'cat'],
  ['core.editor', 'false'],
  ['sequence.editor', 'false'],
  ['core.sshCommand', 'ssh'],
  ['core.askPass', ''],
  ['credential.helper', ''], // an empty value empties the helper list, URL-scoped helpers included
  ['core.alternateRefsCommand', ''],
  ['help.autoCorrect', '0'],
  ['gpg.program', 'gpg'],
  ['gpg.openpgp.program', 'gpg'],
  ['gpg.x509.program', 'gpgsm'],
  ['gpg.ssh.program', 'ssh-keygen'],
  ['gpg.ssh.defaultKeyCommand', 'false'],
  ['interactive.diffFilter', 'cat'],
  ['gc.auto', '0'], // auto gc would run gc.recentObjectsHook (git ≥ 2.42), a list that cannot be reset
  ['maintenance.auto', 'false'],
  ...HOOK_EVENTS.map((event) => [`hook.${event}.enabled`, 'false'] as const),
];

/**
 * Config keys the caller may not set with -c, --config-env or clone's -c/--config, by why.
 * 'section.*' = any key of the section; 'section.*.key' = that key under any subsection; 'section.key'.
 * Sections and key names compare case-insensitively (git's rule); write them in lower case here.
 */
export const GIT_REFUSED_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  'an alias is a command the intercept rules never see': ['alias.*'],
  'it makes git read another config file, which can set anything': ['include.*', 'includeif.*'],
  'it chooses the credential helpers, programs that get the server\'s credentials': ['credential.*'],
  'it makes git run a guessed or configured command (autocorrect, browser)': ['help.*'],
  'it names a program git would run (the server pins or refuses these keys)': [
    'pager.*', 'filter.*', 'difftool.*', 'mergetool.*', 'man.*', 'browser.*', 'instaweb.*', 'guitool.*', 'sendemail.*',
    'gpg.*', 'hook.*', 'core.hookspath', 'core.fsmonitor', 'core.fsmonitorhookversion', 'core.pager', 'core.editor',
    'core.sshcommand', 'core.askpass', 'core.gitproxy', 'core.alternaterefscommand', 'core.attributesfile',
    'sequence.editor', 'diff.external', 'diff.tool', 'diff.guitool', 'diff.*.command', 'diff.*.textconv', 'merge.tool',
    'merge.guitool', 'merge.*.driver', 'remote.*.uploadpack', 'remote.*.receivepack', 'remote.*.vcs',
    'uploadpack.packobjectshook', 'submodule.*.update', 'interactive.difffilter', 'gc.recentobjectshook', 'web.browser',
    'imap.tunnel',
  ],
  'the server sets it': ['protocol.*', 'gc.auto', 'maintenance.auto'],
};

/** Subcommands refused outright, and why. */
export const GIT_REFUSED_SUBCOMMANDS: Readonly<Record<string, string>> = {
  difftool: 'it runs the diff tool the repository\'s config names (difftool.<tool>.cmd)',
  'difftool--helper': 'it runs the diff tool the repository\'s config names (difftool.<tool>.cmd)',
  mergetool: 'it runs the merge tool the repository\'s config names (mergetool.<tool>.cmd)',
  'filter-branch': 'its arguments are shell commands',
  'send-email': 'it runs programs the repository\'s config names (sendemail.smtpServer, sendemail.*Cmd)',
  'imap-send': 'it runs imap.tunnel, a command the repository\'s config names',
  instaweb: 'it starts the web server and browser the repository\'s config names',
  'web--browse': 'it runs the browser the repository\'s config names (browser.<tool>.cmd)',
  daemon: 'it is a server that outlives the call (and runs --access-hook)',
  'http-backend': 'it is a server program, not for callers',
  shell: 'it is a login shell for git servers, not for callers',
  'remote-ext': 'it runs the command in its argument',
  'remote-fd': 'it is a remote helper, not for callers',
  'merge-index': 'it runs the merge program in its arguments',
  'fsmonitor--daemon': 'it is a daemon that outlives the call',
  credential: 'it asks the credential helpers for the server\'s credentials',
  'credential-store': 'it reads and writes stored credentials',
  'credential-cache': 'it reads and writes cached credentials',
  'credential-cache--daemon': 'it is a daemon that holds credentials',
};

/** Options refused after these subcommands, with why. Every spelling counts (clusters, --x=v). */
export const GIT_REFUSED_OPTIONS: Readonly<Record<string, readonly { options: readonly string[]; reason: string }[]>> = {
  rebase: [{ options: ['-x', '--exec'], reason: 'it runs a shell command after each commit' }],
  grep: [{ options: ['-O', '--open-files-in-pager'], reason: 'it runs the pager of the caller\'s choosing' }],
  archive: [{ options: ['--exec'], reason: 'it runs the upload-archive program of the caller\'s choosing' }],
  clone: [
    { options: ['-u', '--upload-pack'], reason: 'it runs the upload-pack program of the caller\'s choosing' },
    { options: ['--template'], reason: 'it copies hooks and config from a directory of the caller\'s choosing' },
  ],
  init: [{ options: ['--template'], reason: 'it copies hooks and config from a directory of the caller\'s choosing' }],
  fetch: [{ options: ['--upload-pack'], reason: 'it runs the upload-pack program of the caller\'s choosing' }],
  pull: [{ options: ['--upload-pack'], reason: 'it runs the upload-pack program of the caller\'s choosing' }],
  'ls-remote': [{ options: ['--upload-pack', '--exec'], reason: 'it runs the upload-pack program of the caller\'s choosing' }],
  'fetch-pack': [{ options: ['--upload-pack', '--exec'], reason: 'it runs the upload-pack program of the caller\'s choosing' }],
  push: [{ options: ['--receive-pack', '--exec'], reason: 'it runs the receive-pack program of the caller\'s choosing' }],
  'send-pack': [{ options: ['--receive-pack', '--exec'], reason: 'it runs the receive-pack program of the caller\'s choosing' }],
  config: [{ options: ['--global', '--system'], reason: 'the global and system config are the server\'s' }],
  '*': [{ options: ['--ext-diff'], reason: 'it runs diff.external or a diff driver\'s command' }],
};

/** First words after these subcommands that are refused: they run commands of the caller's choosing. */
export const GIT_REFUSED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  bisect: ['run'],
  'bisect--helper': ['run', '--bisect-run'],
  submodule: ['foreach'],
  'submodule--helper': ['foreach'],
};

/** The caller's environment for git: no GIT_* of its own but the identity, no pager or editor settings. */
export const GIT_ENV: EnvEdits = {
  drop: ['GIT_*', 'LESS*', 'PAGER', 'MANPAGER', 'EDITOR', 'VISUAL', 'SSH_*'],
  keep: ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE'],
  set: {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_EDITOR: 'false',
    GIT_SEQUENCE_EDITOR: 'false',
    GIT_ASKPASS: '', // set and empty: git asks no askpass program, not even core.askPass or SSH_ASKPASS
    SSH_ASKPASS_REQUIRE: 'never',
    GIT_SSH_COMMAND: 'ssh', // wins over core.sshCommand
    GIT_TERMINAL_PROMPT: '0',
    // Wins over every protocol.* config: no ext:: (runs a command), no git:// (core.gitProxy). Local
    // remotes (file://, a path) stay: the uploadpack/receivepack a repository's config names for them
    // is a program git would run, which the per-command sandbox's exec allow-list refuses (no shell,
    // nothing from the workdir), and --upload-pack/--receive-pack are refused above.
    GIT_ALLOW_PROTOCOL: 'https:http:ssh:file',
    GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: '1', // "--upload-p" is refused, not read as --upload-pack
  },
};

/**
 * For tools that run git themselves (gh: pr checkout, repo clone, pr create's push): git's
 * environment and the overrides above as environment config (GIT_CONFIG_COUNT, git ≥ 2.31), which has
 * command-line scope and so wins over the repository's config of every git they start.
 */
export const GIT_CHILD_ENV: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(GIT_ENV.set).filter(([name]) => name !== 'GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS')),
  GIT_CONFIG_COUNT: String(GIT_CONFIG_OVERRIDES.length),
  ...Object.fromEntries(GIT_CONFIG_OVERRIDES.flatMap(([key, value], i) => [[`GIT_CONFIG_KEY_${i}`, key], [`GIT_CONFIG_VALUE_${i}`, value]])),
};
