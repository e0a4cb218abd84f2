// A scratch session world for end-to-end tests: tool scripts, a profile, XDG dirs, and a helper that
// runs `shimgate run --unconfined` with an agent shell script.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIMGATE_BIN } from './run-cli.js';

export interface AgentResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The audit events of this run's session. */
  events: Record<string, unknown>[];
  auditText: string;
}

export class SessionFixture {
  readonly root = mkdtempSync(join(tmpdir(), 'shimgate-e2e-'));
  readonly work = join(this.root, 'work');
  readonly env: Record<string, string>;

  constructor(readonly extraEnv: Record<string, string> = {}) {
    mkdirSync(this.work);
    mkdirSync(join(this.root, 'run'), { mode: 0o700 });
    this.env = { XDG_STATE_HOME: join(this.root, 'state'), XDG_RUNTIME_DIR: join(this.root, 'run'), ...extraEnv };
  }

  /** Writes an executable shell script and returns its path. */
  script(name: string, body: string): string {
    const path = join(this.root, 'bin', name);
    mkdirSync(join(this.root, 'bin'), { recursive: true });
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  profile(doc: unknown, name = 'profile.json'): string {
    const path = join(this.root, name);
    writeFileSync(path, JSON.stringify(doc, null, 2));
    return path;
  }

  agent(
    profile: string,
    script: string,
    options: { input?: string; env?: Record<string, string>; confined?: boolean; uid?: number; gid?: number } = {},
  ): AgentResult {
    const auditDir = join(this.env.XDG_STATE_HOME!, 'shimgate', 'audit');
    const before = new Set(existsSync(auditDir) ? readdirSync(auditDir) : []);
    const r = spawnSync(
      process.execPath,
      [SHIMGATE_BIN, 'run', ...(options.confined ? [] : ['--unconfined']), '--profile', profile, '--workdir', this.work, '--', 'sh', '-c', script],
      { env: { ...process.env, ...this.env, ...options.env }, input: options.input, encoding: 'utf8', timeout: 60_000, uid: options.uid, gid: options.gid },
    );
    const created = (existsSync(auditDir) ? readdirSync(auditDir) : []).filter((f) => !before.has(f));
    const auditText = created.length === 1 ? readFileSync(join(auditDir, created[0]!), 'utf8') : '';
    const events = auditText.trim() === '' ? [] : auditText.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, events, auditText };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
