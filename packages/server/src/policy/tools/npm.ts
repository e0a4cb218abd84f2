// npm (nopt: options anywhere; a value never starts with "-"; long options abbreviate; an unknown
// option is a boolean). The command is npm's own table (lib/utils/cmd-list.js): aliases (i, rm, un,
// add, x, …) and any unique prefix of a command or alias ("pub" is publish, "unp" unpublish); an
// ambiguous prefix (which npm refuses) reads as every command it could be. Rules name npm's canonical
// commands: install, uninstall, publish, run, exec, …
//
// Hardening: the caller's npm_config_* variables are dropped (npm reads its whole config from them).
// npm still reads the project's .npmrc, which the agent writes (script-shell, git, registry, …), and
// runs lifecycle scripts: bounding what they may execute is the per-command sandbox's exec list.
import { optionTable } from './option-table.js';
import type { ToolSpec } from './tool-spec.js';

const OPTIONS = optionTable(
  [
    // every npm config whose type is not Boolean (@npmcli/config definitions, npm 11)
    '--_auth=', '--access=', '--allow-directory=', '--allow-file=', '--allow-git=', '--allow-remote=',
    '--allow-scripts=', '--also=', '--audit-level=', '--auth-type=', '--before=', '--browser=~', '--ca=',
    '--cache=', '--cache-max=', '--cache-min=', '--cafile=', '--call=', '--cert=', '--cidr=', '--color=~',
    '--cpu=', '--depth=', '--diff=', '--diff-dst-prefix=', '--diff-src-prefix=', '--diff-unified=',
    '--editor=', '--expect-result-count=', '--expires=', '--fetch-retries=', '--fetch-retry-factor=',
    '--fetch-retry-maxtimeout=', '--fetch-retry-mintimeout=', '--fetch-timeout=', '--git=', '--globalconfig=',
    '--heading=', '--https-proxy=', '--include=', '--init-author-email=', '--init-author-name=',
    '--init-author-url=', '--init-license=', '--init-module=', '--init-type=', '--init-version=',
    '--init.author.email=', '--init.author.name=', '--init.author.url=', '--init.license=', '--init.module=',
    '--init.version=', '--install-strategy=', '--key=', '--libc=', '--local-address=', '--location=',
    '--lockfile-version=', '--loglevel=', '--logs-dir=', '--logs-max=', '--name=', '--maxsockets=',
    '--message=', '--min-release-age=', '--min-release-age-exclude=', '--node-gyp=', '--node-options=',
    '--noproxy=', '--omit=', '--only=', '--orgs=', '--os=', '--otp=', '--package=', '--pack-destination=',
    '--packages=', '--prefix=', '--preid=', '--provenance-file=', '--proxy=', '--registry=',
    '--replace-registry-host=', '--save-prefix=', '--sbom-format=', '--sbom-type=', '--scope=', '--scopes=',
    '--packages-and-scopes-permission=', '--orgs-permission=', '--password=', '--token-description=',
    '--script-shell=', '--searchexclude=', '--searchlimit=', '--searchopts=', '--searchstaleness=', '--shell=',
    '--tag=', '--tag-version-prefix=', '--umask=', '--user-agent=', '--userconfig=', '--viewer=', '--which=',
    '--workspace=',
    // shorthands: multi-letter ones read like long options ("--reg" is --registry), letters cluster
    '--reg=', '--enjoy-by=', '--dd', '--ddd', '--quiet', '--silent', '--verbose', '--desc', '--help', '--local',
    '--porcelain', '--readonly', '--iwr', '--ws',
    '-a', '-c=', '-d', '-f', '-g', '-L=', '-l', '-m=', '-n', '-p', '-C=', '-S', '-B', '-D', '-E', '-O', '-P', '-?', '-H',
    '-h', '-v', '-w=', '-y', '-q', '-s',
  ],
  { abbreviations: true, unknown: 'none', style: 'nopt', negation: true },
);

/** npm's commands, the current ones and those of npm 7–10 (so an abbreviation is never read too narrowly). */
const COMMANDS = [
  'access', 'adduser', 'approve-scripts', 'audit', 'bin', 'birthday', 'bugs', 'cache', 'ci', 'completion', 'config',
  'dedupe', 'deny-scripts', 'deprecate', 'diff', 'dist-tag', 'docs', 'doctor', 'edit', 'exec', 'explain', 'explore',
  'find-dupes', 'fund', 'get', 'help', 'help-search', 'hook', 'init', 'install', 'install-ci-test', 'install-scripts',
  'install-test', 'link', 'll', 'login', 'logout', 'ls', 'org', 'outdated', 'owner', 'pack', 'ping', 'pkg', 'prefix',
  'profile', 'prune', 'publish', 'query', 'rebuild', 'repo', 'restart', 'root', 'run', 'sbom', 'search', 'set',
  'set-script', 'shrinkwrap', 'stage', 'star', 'stars', 'start', 'stop', 'team', 'test', 'token', 'trust',
  'undeprecate', 'uninstall', 'unpublish', 'unstar', 'update', 'version', 'view', 'whoami',
];

/** npm's aliases (lib/utils/cmd-list.js), each to a command above. */
const ALIASES: Readonly<Record<string, string>> = {
  author: 'owner', home: 'docs', issues: 'bugs', info: 'view', show: 'view', find: 'search', add: 'install',
  unlink: 'uninstall', remove: 'uninstall', rm: 'uninstall', r: 'uninstall', un: 'uninstall', rb: 'rebuild',
  list: 'ls', ln: 'link', create: 'init', i: 'install', it: 'install-test', cit: 'install-ci-test', u: 'update',
  up: 'update', c: 'config', s: 'search', se: 'search', tst: 'test', t: 'test', ddp: 'dedupe', v: 'view',
  'run-script': 'run', 'clean-install': 'ci', 'clean-install-test': 'install-ci-test', x: 'exec', why: 'explain',
  la: 'll', verison: 'version', ic: 'ci', innit: 'init', in: 'install', ins: 'install', inst: 'install',
  insta: 'install', instal: 'install', isnt: 'install', isnta: 'install', isntal: 'install', isntall: 'install',
  'install-clean': 'ci', 'isntall-clean': 'ci', hlep: 'help', 'dist-tags': 'dist-tag', upgrade: 'update',
  udpate: 'update', rum: 'run', sit: 'install-ci-test', urn: 'run', ogr: 'org', 'add-user': 'adduser',
};

export const npm: ToolSpec = {
  name: 'npm',
  summary: 'npm: value options and npm\'s command table (aliases, unique prefixes: pub = publish) for matching; npm_config_* of the caller dropped',
  layout: 'anywhere',
  options: OPTIONS,
  subcommands: { aliases: { '': ALIASES }, abbreviate: [...COMMANDS, ...Object.keys(ALIASES)], camelCase: true },
  hardening: { env: { drop: ['NPM_CONFIG_*'], set: {} } },
};
