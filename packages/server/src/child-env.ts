// The environment a mediated command runs with (DESIGN §4.3): an allow-list of the caller's variables
// plus what the server decides. Never a block-list: the variables that steer a tool (its config
// location, pager, editor, hooks, options, loader and interpreter hooks) are too many and grow with
// every release, and one missed name hands the command — and its credentials — to the agent.
import type { WireText } from './shim-request.js';

/** Terminal, locale, time zone and colour: what changes how a command prints, never what it runs. */
const ALLOWED_NAMES = new Set([
  'TERM', 'COLORTERM', 'COLUMNS', 'LINES', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION',
  'LANG', 'LANGUAGE', 'TZ',
  'NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE',
]);
const ALLOWED_PREFIXES = ['LC_'];

/**
 * Names never passed even when a profile's `sandbox.env_pass` lists them: they make the command load,
 * run or trust something the caller chose, or tell it where its configuration is. HOME and the XDG
 * dirs come from the server. SHIMGATE_* are all the server's to give.
 */
const DANGEROUS_NAMES = new Set([
  'PATH', 'NODE_OPTIONS', 'NODE_PATH', 'BASH_ENV', 'ENV', 'PS4', 'SHELLOPTS', 'BASHOPTS', 'IFS', 'CDPATH',
  'GLOBIGNORE', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONINSPECT', 'PYTHONUSERBASE', 'PERL5OPT',
  'PERL5LIB', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'GCONV_PATH', 'LOCPATH', 'HOSTALIASES',
  'RESOLV_HOST_CONF', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'TAR_OPTIONS', 'LESSOPEN', 'LESSCLOSE',
  'HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_DIRS', 'XDG_DATA_DIRS',
  'GH_CONFIG_DIR', 'KUBECONFIG', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'DOCKER_CONFIG', 'CURL_HOME',
  'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'FTP_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED',
  'PAGER', 'MANPAGER', 'EDITOR', 'VISUAL', 'BROWSER', 'SSH_ASKPASS', 'SSH_AUTH_SOCK',
]);
/** Vetoed whatever a profile lists. */
const LOADER_PREFIXES = ['LD_', 'DYLD_', 'SHIMGATE_', 'BASH_FUNC_', 'MALLOC_'];
/**
 * Tool prefixes: most of their variables steer the tool (GIT_SSH_COMMAND, GIT_SEQUENCE_EDITOR), a few
 * are plain data a profile may pass on purpose (GIT_AUTHOR_NAME), so here `env_pass` decides.
 */
const TOOL_PREFIXES = ['GIT_', 'GH_', 'NPM_CONFIG_'];

export function isDangerousEnvName(name: string): boolean {
  // Proxy variables are read in either case (https_proxy), so compare upper-cased.
  const upper = name.toUpperCase();
  return DANGEROUS_NAMES.has(upper) || [...LOADER_PREFIXES, ...TOOL_PREFIXES].some((p) => upper.startsWith(p));
}

/** Whether the caller's `name` reaches the command: on the allow-list or in `pass`, and never vetoed. */
export function isPassedEnvName(name: string, pass: ReadonlySet<string>): boolean {
  const upper = name.toUpperCase();
  if (DANGEROUS_NAMES.has(upper) || LOADER_PREFIXES.some((p) => upper.startsWith(p))) return false;
  if (pass.has(name)) return true;
  if (TOOL_PREFIXES.some((p) => upper.startsWith(p))) return false;
  return ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p));
}

/** `NAME=value` entries for the spawn: the caller's passed names, then `add` (which wins). */
export function childEnvironment(
  callerEnv: Readonly<Record<string, WireText>>,
  add: Readonly<Record<string, string>>,
  pass: readonly string[] = [],
): (string | Buffer)[] {
  const passed = new Set(pass);
  const entries: (string | Buffer)[] = [];
  for (const name of Object.keys(callerEnv)) {
    if (!isPassedEnvName(name, passed) || Object.hasOwn(add, name)) continue;
    const value = callerEnv[name] as WireText;
    entries.push(typeof value === 'string' ? `${name}=${value}` : Buffer.concat([Buffer.from(`${name}=`), value]));
  }
  for (const [name, value] of Object.entries(add)) entries.push(`${name}=${value}`);
  return entries;
}
