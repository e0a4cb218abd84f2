// P1: added latency of a mediated /bin/true (goal: p50 ≤ 1.0 ms, p99 ≤ 4 ms over direct exec).
// P2: throughput of 1 GiB through a mediated cat, as a ratio to a direct cat (goal ≥ 0.97).
// Both run inside a real `shimgate run --unconfined` session: the driver is the agent, and it times
// the shim against the real binary by absolute path, side by side in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'shimgate-bench-'));
  try {
    const profile = join(dir, 'bench.json');
    writeFileSync(profile, JSON.stringify({ extends: 'default', mediation: { commands: [{ name: 'true' }, { name: 'cat' }] } }));
    const result = spawnSync(
      process.execPath,
      [join(root, 'packages/cli/bin/shimgate.js'), 'run', '--unconfined', '--profile', profile, '--workdir', dir, '--',
        process.execPath, join(import.meta.dirname, 'passthrough-driver.mjs')],
      { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`bench session failed (${result.status}): ${result.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
