// Finds the real binary behind a mediated name at session start: the profile's binary_path, else the
// first executable of that name on the supervisor's PATH (never one of shimgate's own shim dirs).
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export function findRealBinary(name: string, binaryPath: string | null, searchPath: string, skipDirs: readonly string[]): string | null {
  if (binaryPath !== null) return isExecutableFile(binaryPath) ? binaryPath : null;
  for (const dir of searchPath.split(':')) {
    if (!isAbsolute(dir) || skipDirs.includes(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
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
