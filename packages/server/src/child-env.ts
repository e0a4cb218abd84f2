// The environment a mediated command runs with (DESIGN §4.3): the caller's, minus every name that
// could steer the command or shimgate itself, plus what the server decides.
import type { WireText } from './shim-request.js';

/**
 * Names the caller may never set for the real binary, which runs outside the agent sandbox with
 * credentials. Beyond the loader and interpreter hooks of DESIGN §4.3: where the command finds its
 * configuration (agent-written config can run commands: gh aliases, kubeconfig exec plugins, aws
 * credential_process), proxies and TLS trust (the agent could read the injected token on the wire),
 * pagers/editors/browsers the command may launch, and tracing that prints auth headers. HOME and the
 * XDG dirs come from the server instead. SHIMGATE_* are all the server's to give.
 */
const DANGEROUS_NAMES = new Set([
  'PATH', 'NODE_OPTIONS', 'NODE_PATH', 'BASH_ENV', 'ENV', 'PS4', 'SHELLOPTS', 'BASHOPTS', 'IFS', 'CDPATH',
  'GLOBIGNORE', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONINSPECT', 'PYTHONUSERBASE', 'PERL5OPT',
  'PERL5LIB', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'GCONV_PATH', 'LOCPATH', 'HOSTALIASES',
  'RESOLV_HOST_CONF', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS',
  'HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_DIRS', 'XDG_DATA_DIRS',
  'GH_CONFIG_DIR', 'KUBECONFIG', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'DOCKER_CONFIG', 'NPM_CONFIG_USERCONFIG',
  'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'FTP_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED',
  'PAGER', 'GH_PAGER', 'GIT_PAGER', 'MANPAGER', 'EDITOR', 'VISUAL', 'GIT_EDITOR', 'GH_EDITOR', 'BROWSER', 'GH_BROWSER',
  'GIT_EXEC_PATH', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PROXY_COMMAND',
  'GIT_EXTERNAL_DIFF', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM',
  'GIT_TEMPLATE_DIR', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_SSL_NO_VERIFY', 'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH',
]);
const DANGEROUS_PREFIXES = ['LD_', 'DYLD_', 'SHIMGATE_', 'BASH_FUNC_', 'GIT_CONFIG_KEY_', 'GIT_CONFIG_VALUE_', 'MALLOC_', 'GIT_TRACE'];

export function isDangerousEnvName(name: string): boolean {
  // Proxy variables are read in either case (https_proxy), so compare upper-cased.
  const upper = name.toUpperCase();
  return DANGEROUS_NAMES.has(upper) || DANGEROUS_PREFIXES.some((p) => upper.startsWith(p));
}

/** `NAME=value` entries for the spawn: the caller's safe names, then `add` (which wins). */
export function childEnvironment(
  callerEnv: Readonly<Record<string, WireText>>,
  add: Readonly<Record<string, string>>,
): (string | Buffer)[] {
  const entries: (string | Buffer)[] = [];
  for (const name of Object.keys(callerEnv)) {
    if (isDangerousEnvName(name) || Object.hasOwn(add, name)) continue;
    const value = callerEnv[name] as WireText;
    entries.push(typeof value === 'string' ? `${name}=${value}` : Buffer.concat([Buffer.from(`${name}=`), value]));
  }
  for (const [name, value] of Object.entries(add)) entries.push(`${name}=${value}`);
  return entries;
}
