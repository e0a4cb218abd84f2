// Resolving a 16-deep extends chain holding 500 commands in total (goal: ≤ 50 ms).
// Run after `npm run build`; it measures the compiled package, as `shimgate run` uses it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveProfile, expansionContextFromProcess } from '@shimgate/profile';

const DEPTH = 16;
const COMMANDS = 500;
const GOAL_MS = 50;

function writeChain(dir) {
  const perLevel = Math.ceil(COMMANDS / DEPTH);
  let made = 0;
  for (let level = 0; level < DEPTH; level += 1) {
    const commands = [];
    for (let i = 0; i < perLevel && made < COMMANDS; i += 1, made += 1) {
      commands.push({
        name: `cmd${made}`,
        flags_with_values: ['-R', '--repo'],
        intercept: [
          { args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } },
          { args_prefix: ['auth', 'token'], action: { type: 'capture' } },
          { args_prefix: ['repo', 'delete'], action: { type: 'deny', message: 'never' } },
        ],
        sandbox: { fs_read: ['~/.config/x', '$WORKDIR/src'], fs_write: ['$WORKDIR'], network: { block: level % 2 === 0 } },
        caller_policy: { agent_allowed: true, allowed_parents: null },
      });
    }
    const doc = {
      ...(level > 0 ? { extends: `./level${level - 1}.json` } : {}),
      meta: { name: `level${level}` },
      filesystem: { read: ['/usr', `/opt/l${level}`], write: ['$WORKDIR'], deny: [`~/.secret${level}`] },
      mediation: { commands, env: { block: [`TOKEN_${level}`] } },
    };
    writeFileSync(join(dir, `level${level}.json`), JSON.stringify(doc));
  }
  return join(dir, `level${DEPTH - 1}.json`);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'shimgate-bench-'));
  try {
    const top = writeChain(dir);
    const options = { dirs: { user: join(dir, 'none'), builtin: dir }, expansion: expansionContextFromProcess(dir) };
    const first0 = performance.now();
    const { profile } = resolveProfile(top, options);
    const first = performance.now() - first0;
    const times = [];
    for (let i = 0; i < 30; i += 1) {
      const t0 = performance.now();
      resolveProfile(top, options);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)];
    console.log(`resolved ${DEPTH} files, ${profile.mediation.commands.length} commands`);
    console.log(`first resolve in a fresh process (cold JIT): ${first.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms)`);
    console.log(`steady-state resolve p50 over 30 runs: ${p50.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
