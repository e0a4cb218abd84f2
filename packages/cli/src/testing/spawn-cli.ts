// Runs the built `shimgate` without blocking this process, for tests whose peer (a control socket
// server) lives in the test process itself: run-cli.ts's spawnSync would stop it from answering.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SHIMGATE_BIN, type CliResult } from './run-cli.js';

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  out: { stdout: string; stderr: string };
  /** Resolves when the process has exited and its output is all read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once `test()` holds; the error shows what the command printed so far. */
  waitFor(test: () => boolean, label: string, ms?: number): Promise<void>;
}

export function startShimgate(args: readonly string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [SHIMGATE_BIN, ...args], { env: { ...process.env, ...env } });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })), // 'close': its output is all read too
  );
  const waitFor = async (test: () => boolean, label: string, ms = 10_000): Promise<void> => {
    for (const deadline = Date.now() + ms; !test(); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    }
  };
  return { child, out, exited, waitFor };
}

/** `shimgate ARGS` to the end, with the event loop free meanwhile. */
export async function shimgateAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const run = startShimgate(args, env);
  run.child.stdin.end();
  const { code } = await run.exited;
  return { status: code, stdout: run.out.stdout, stderr: run.out.stderr };
}
