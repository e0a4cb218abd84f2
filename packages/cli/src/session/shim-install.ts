// Puts shimgate's C programs into a session: one copy of the built shim, one hard link per command
// name, and a sidecar per name holding the real binary's absolute path; and a private copy of the
// sandbox exec helper, the only one the server spawns. Copies, because the build outputs may sit in a
// tree some agent can write (a checkout used as a workdir): what the session runs is fixed at its start,
// in dirs only the supervisor writes. A mediated command whose sandbox lists `allow_commands` gets
// its own filtered shim dir (every shim but the allowed names), built once here rather than on every call.
import { copyFileSync, chmodSync, existsSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShimgateError } from '@shimgate/profile';
import { AGENT_SCOPE_PATH, BUILT_SHIM_PATH as BUILT_SHIM, EXEC_HELPER_PATH } from '@shimgate/sandbox';
import type { SessionPaths } from './session-files.js';


export function installShims(paths: SessionPaths, realBinaries: ReadonlyMap<string, string | null>): void {
  copyProgram(BUILT_SHIM, paths.shimBinary, 'the shim', 0o755);
  copyProgram(EXEC_HELPER_PATH, paths.execHelper, 'the sandbox exec helper', 0o500);
  copyProgram(AGENT_SCOPE_PATH, paths.agentScope, 'the agent scope helper', 0o555);
  for (const [name, real] of realBinaries) {
    linkSync(paths.shimBinary, join(paths.shimDir, name));
    if (real !== null) writeFileSync(join(paths.shimSourcesDir, name), `${real}\n`, { mode: 0o644 });
  }
}

function copyProgram(built: string, copy: string, what: string, mode: number): void {
  if (!existsSync(built)) {
    throw new ShimgateError('SHIM_MISSING', `${what} is not built (${built} is missing): run "npm run build"`);
  }
  copyFileSync(built, copy);
  chmodSync(copy, mode);
}

/** `agent/shims-for/<parent>/`: the shims a parent's children see, without its allowed commands. */
export function installFilteredShims(paths: SessionPaths, parent: string, shimmed: readonly string[], allowed: readonly string[]): string {
  const dir = join(paths.agentDir, 'shims-for', parent);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of shimmed) {
    if (!allowed.includes(name)) linkSync(paths.shimBinary, join(dir, name));
  }
  return dir;
}
