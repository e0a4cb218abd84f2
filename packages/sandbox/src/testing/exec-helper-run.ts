// Running the built sandbox exec helper (shim/sandbox-exec.c) in tests: its path, a checked start
// (Landlock and seccomp must work here, or the tests fail with the reason), and an unprivileged
// test user. Nothing here skips.
import { execFileSync, spawnSync, type SpawnSyncReturns, type StdioOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHIM_DIR = fileURLToPath(new URL('../../../../shim', import.meta.url));
export const HELPER = fileURLToPath(new URL('../../../../shim/build/shimgate-sandbox-exec', import.meta.url));
// The system python, not a pyenv shim: its home (/usr/lib/python3.*) is inside the granted system dirs.
export const PYTHON = '/usr/bin/python3';

/** Throws unless the helper is built and this kernel has Landlock (ABI ≥ 6) and seccomp. */
export function requireHelper(): void {
  if (!existsSync(HELPER)) throw new Error(`${HELPER} is missing: build it with \`make -C shim\``);
  const probe = execFileSync(HELPER, ['--probe'], { encoding: 'utf8' });
  const abi = Number(/^landlock-abi (\d+)$/m.exec(probe)?.[1] ?? 0);
  if (abi < 6) {
    throw new Error(`this kernel's Landlock ABI is ${abi} (\`${HELPER} --probe\` says ${JSON.stringify(probe)}); ` +
      'these tests need ABI 6 or later (scopes); CI runs on such a kernel');
  }
  if (!probe.includes('seccomp ok\n')) throw new Error(`seccomp filters do not work here: ${probe}`);
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: these tests need the system python`);
}

export interface RunOptions {
  input?: string;
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
  cwd?: string;
  helper?: string;
}

export function runHelper(args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> {
  const r = spawnSync(options.helper ?? HELPER, args, {
    input: options.input ?? '', encoding: 'utf8', timeout: 20_000,
    uid: options.uid, gid: options.gid, env: options.env, stdio: options.stdio, cwd: options.cwd,
  });
  if (r.error) throw r.error;
  return r;
}

/** `python3 -c code args…` under the helper with the given options. */
export function runPython(options: readonly string[], code: string, args: readonly string[] = [], run: RunOptions = {}): SpawnSyncReturns<string> {
  return runHelper([...options, '--', PYTHON, 'python3', '-c', code, ...args], run);
}

/** The unprivileged system user the tests run commands as (created when missing; needs root). */
export function testUser(name = 'shimgate-e2e'): { uid: number; gid: number } {
  if (process.getuid!() !== 0) throw new Error(`needs root to create the test user ${name} (CI runs as root)`);
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    // Another test file may create the same user at the same moment: its "already exists" is fine.
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
    if (made.status !== 0 && spawnSync('id', ['-u', name]).status !== 0) throw new Error(`useradd ${name}: ${made.stderr}`);
  }
  return {
    uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
  };
}

/** Makes dir/rel (and its parents) with the content and mode, whatever the umask; returns its absolute path. */
export function putFile(dir: string, rel: string, content = 'content\n', mode = 0o644): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}
