// Runs the built `shimgate` binary the way a user does (tests need `npm run build` first; `npm test`
// does that).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHIMGATE_BIN = fileURLToPath(new URL('../../bin/shimgate.js', import.meta.url));
const BUILT_MAIN = fileURLToPath(new URL('../../dist/shimgate.mjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function shimgate(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run "npm run build" before these tests`);
  const result = spawnSync(process.execPath, [SHIMGATE_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
