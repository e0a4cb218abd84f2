// Finds the real binary behind a mediated name at session start: the profile's binary_path, else the
// first executable of that name on the supervisor's PATH (never one of shimgate's own shim dirs).
// The answer is the file's real path: a symlink on the way (in a dir the agent can write, say) could
// be pointed elsewhere after the session checked what it leads to, and every call would follow it.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export function findRealBinary(name: string, binaryPath: string | null, searchPath: string, skipDirs: readonly string[]): string | null {
  if (binaryPath !== null) return isExecutableFile(binaryPath) ? realpathSync(binaryPath) : null;
  for (const dir of searchPath.split(':')) {
    if (!isAbsolute(dir) || skipDirs.includes(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return realpathSync(candidate);
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
