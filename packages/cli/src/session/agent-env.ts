// The environment the agent starts with (DESIGN §3). Pure: the caller passes the base environment.
import type { SessionPaths } from './session-files.js';

export interface AgentEnvInput {
  base: Readonly<Record<string, string | undefined>>;
  paths: SessionPaths;
  token: string;
  mediated: readonly string[];
  audited: readonly string[];
  /** `mediation.env.block`: names, or `PREFIX*` for every name starting with PREFIX. */
  block: readonly string[];
}

export function buildAgentEnv(input: AgentEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.base)) {
    if (value === undefined || isBlocked(name, input.block) || name.startsWith('SHIMGATE_')) continue;
    env[name] = value;
  }
  Object.assign(env, sessionVariables(input.paths, input.token, input.mediated, input.audited));
  env.PATH = input.base.PATH ? `${input.paths.shimDir}:${input.base.PATH}` : input.paths.shimDir;
  return env;
}

/** The SHIMGATE_* variables: the agent gets them, and so does every mediated command it runs. */
export function sessionVariables(
  paths: SessionPaths,
  token: string,
  mediated: readonly string[],
  audited: readonly string[],
): Record<string, string> {
  return {
    SHIMGATE_SOCKET: paths.mediationSocket,
    SHIMGATE_AUDIT_SOCKET: paths.auditSocket,
    SHIMGATE_SESSION_TOKEN: token,
    SHIMGATE_SHIM_DIR: paths.shimDir,
    SHIMGATE_SHIM_SOURCES_DIR: paths.shimSourcesDir,
    SHIMGATE_MEDIATED: mediated.join(','),
    SHIMGATE_AUDITED: audited.join(','),
    SHIMGATE_SESSION_ID: paths.id,
  };
}

export function isBlocked(name: string, block: readonly string[]): boolean {
  return block.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}
