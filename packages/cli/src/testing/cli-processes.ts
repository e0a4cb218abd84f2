// Long-running CLI processes for end-to-end tests: an agent session (`shimgate run`) and the admin
// page (`shimgate ui`), each started for real and handed back with a way to wait for or stop it.
import { spawn } from 'node:child_process';
import { SHIMGATE_BIN } from './run-cli.js';

export interface AgentProcess {
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** For a test that failed before answering: the session would otherwise wait out its timeout. */
  kill(): void;
}

export function startAgentProcess(env: Record<string, string>, profile: string, workdir: string, script: string): AgentProcess {
  const child = spawn(process.execPath, [SHIMGATE_BIN, 'run', '--profile', profile, '--workdir', workdir, '--', 'sh', '-c', script], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))),
    kill: () => void child.kill('SIGTERM'),
  };
}

export interface UiProcess {
  /** The printed URL, token included. */
  url: string;
  base: string;
  token: string;
  port: number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startUiProcess(env: Record<string, string>, args: string[] = []): Promise<UiProcess> {
  const child = spawn(process.execPath, [SHIMGATE_BIN, 'ui', ...args], { env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^shimgate ui: ((http:\/\/127\.0\.0\.1:(\d+)\/)\?token=([A-Za-z0-9_-]{32}))\n/.exec(out);
      if (m) resolve({ url: m[1]!, base: m[2]!, port: Number(m[3]), token: m[4]!, stop: (s = 'SIGTERM') => (child.kill(s), exited) });
    });
    void exited.then((code) => reject(new Error(`shimgate ui exited (${code}) before printing its URL: ${err}${out}`)));
  });
}
