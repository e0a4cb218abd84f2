// The environment a mediated command runs with (DESIGN §4.3): the caller's, minus every name that
// could steer the command or shimgate itself, plus what the server decides.
import type { WireText } from './shim-request.js';

/** Names the caller may never set for the real binary. SHIMGATE_* are all the server's to give. */
const DANGEROUS_NAMES = new Set([
  'PATH', 'NODE_OPTIONS', 'NODE_PATH', 'BASH_ENV', 'ENV', 'PS4', 'SHELLOPTS', 'BASHOPTS', 'IFS', 'CDPATH',
  'GLOBIGNORE', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONINSPECT', 'PERL5OPT', 'PERL5LIB',
  'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'GCONV_PATH', 'LOCPATH', 'HOSTALIASES', 'RESOLV_HOST_CONF',
  'GIT_EXEC_PATH', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PROXY_COMMAND',
  'GIT_EXTERNAL_DIFF', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM',
  'GIT_TEMPLATE_DIR',
]);
const DANGEROUS_PREFIXES = ['LD_', 'DYLD_', 'SHIMGATE_', 'BASH_FUNC_', 'GIT_CONFIG_KEY_', 'GIT_CONFIG_VALUE_', 'MALLOC_'];

export function isDangerousEnvName(name: string): boolean {
  return DANGEROUS_NAMES.has(name) || DANGEROUS_PREFIXES.some((p) => name.startsWith(p));
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
