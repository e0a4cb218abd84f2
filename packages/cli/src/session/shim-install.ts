// Puts the shim into a session: one copy of the built binary, one hard link per command name, and a
// sidecar per name holding the real binary's absolute path. A mediated command whose sandbox lists
// `allow_commands` gets its own filtered shim dir (every shim but the allowed names), built once here
// rather than on every call.
import { copyFileSync, chmodSync, existsSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShimgateError } from '@shimgate/profile';
import { BUILT_SHIM_PATH as BUILT_SHIM } from '@shimgate/sandbox';
import type { SessionPaths } from './session-files.js';


export function installShims(paths: SessionPaths, realBinaries: ReadonlyMap<string, string | null>): void {
  if (!existsSync(BUILT_SHIM)) {
    throw new ShimgateError('SHIM_MISSING', `the shim is not built (${BUILT_SHIM} is missing): run "npm run build"`);
  }
  copyFileSync(BUILT_SHIM, paths.shimBinary);
  chmodSync(paths.shimBinary, 0o755);
  for (const [name, real] of realBinaries) {
    linkSync(paths.shimBinary, join(paths.shimDir, name));
    if (real !== null) writeFileSync(join(paths.shimSourcesDir, name), `${real}\n`, { mode: 0o644 });
  }
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
