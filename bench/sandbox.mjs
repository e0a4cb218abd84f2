// P5: what the per-command sandbox (the exec helper: a mount namespace with read-only mounts but the
// writable grants, Landlock with the exec allow-list and scopes, seccomp, capabilities dropped) adds to a mediated /bin/true, over the same call without it (goal:
// p50 ≤ 1.5 ms), and what a command with network.block adds on top (its own empty network namespace).
// Three servers in this process, identical but for the helper and --block-net, called in turn by a
// driver process through the real shim.
// Measured here (2 cores, shared): the helper added p50 0.72 ms before the exec allow-list, scopes,
// always-on seccomp and mount namespace (57e8cd5), 0.92–1.00 ms after. Spawned directly, old vs new
// helper: 1.39 vs 1.60 ms; of the 0.21 ms, the chain read, scopes and seccomp are 0.04 ms, the rest
// is the mount namespace and the per-entry /usr rules (a user also pays a user namespace). A network
// namespace adds 0.33–0.40 ms more (unshare(CLONE_NEWNET); its teardown is asynchronous).
// P6: wall time of `shimgate run -- true` on the default profile (goal ≤ 150 ms), with a bare
// `node -e 0` measured alongside for scale.
import { spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { normalizeProfile } from '@shimgate/profile';
import { BUILT_SHIM_PATH, EXEC_HELPER_PATH, execHelperArgv } from '@shimgate/sandbox';
import { createBroker, createMediationServer, noAdminGate, openAuditLog } from '@shimgate/server';

const CALLS = 300;
const RUNS = 15;
const TOKEN = 'ab'.repeat(32);
const root = join(import.meta.dirname, '..');

function runtime(dir, withHelper, blockNet = false) {
  const profile = normalizeProfile({ mediation: { commands: [{ name: 'true', sandbox: { network: { block: blockNet } } }] } });
  const sandbox = profile.mediation.commands[0].sandbox;
  return {
    sessionId: 'bench', workdir: dir, profile, binaries: new Map([['true', '/bin/true']]), sessionEnv: {},
    childPath: () => '/usr/bin:/bin', credentials: new Map(), broker: createBroker(), approvals: noAdminGate,
    sandboxed: withHelper
      ? (command, file, [argv0, ...args]) => ({
          file: EXEC_HELPER_PATH,
          argv: execHelperArgv({ sandbox, workdir: dir, workdirAccess: 'readwrite', executeDirs: [], agentNetworkBlocked: false, binary: file, argv0, args }),
        })
      : (command, file, argv) => ({ file, argv: [...argv] }),
  };
}

async function server(dir, name, withHelper, blockNet = false) {
  const audit = openAuditLog(join(dir, `${name}.jsonl`), { session_id: name, session_name: name, supervisor_pid: process.pid, sandboxed_pid: null, unconfined: false });
  const s = createMediationServer({ socketPath: join(dir, `${name}.sock`), token: TOKEN, agentUid: process.getuid(), runtime: runtime(dir, withHelper, blockNet), audit, logger: pino({ level: 'silent' }) });
  await s.listen();
  return { close: async () => { await s.close(); audit.close(); } };
}

// The driver must not be this process (its event loop serves the calls): python3 spawns and waits.
const DRIVER = `
import os, sys, time
shim, n, socks = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def call(sock):
    env = dict(os.environ, SHIMGATE_SOCKET=sock)
    t = time.perf_counter(); pid = os.posix_spawn(shim, ['true'], env); _, st = os.waitpid(pid, 0)
    if st != 0: sys.exit(f"{sock}: exit status {st}")
    return (time.perf_counter() - t) * 1000
for _ in range(20):
    for s in socks: call(s)
times = [[] for _ in socks]
for _ in range(n):
    for i, s in enumerate(socks): times[i].append(call(s))
print(' '.join(str(sorted(t)[len(t)//2]) for t in times))
`;

async function commandSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'shimgate-bench-sb-'));
  try {
    const shimDir = join(dir, 'shims');
    mkdirSync(shimDir);
    copyFileSync(BUILT_SHIM_PATH, join(shimDir, 'true'));
    chmodSync(join(shimDir, 'true'), 0o755);
    const plain = await server(dir, 'plain', false);
    const helper = await server(dir, 'helper', true);
    const netns = await server(dir, 'netns', true, true);
    const socks = ['plain', 'helper', 'netns'].map((name) => join(dir, `${name}.sock`));
    const driver = spawnAsync('python3', ['-c', DRIVER, join(shimDir, 'true'), String(CALLS), ...socks], {
      ...process.env, SHIMGATE_MEDIATED: 'true', SHIMGATE_SESSION_TOKEN: TOKEN,
    });
    const [p, h, n] = (await driver).trim().split(' ').map(Number);
    await plain.close();
    await helper.close();
    await netns.close();
    console.log(`P5 mediated /bin/true x${CALLS}: p50 ${p.toFixed(2)} ms without the sandbox helper, ${h.toFixed(2)} ms with it, ${n.toFixed(2)} ms with it and network.block`);
    console.log(`P5 per-command sandbox added latency (mount namespace, exec allow-list, scopes, seccomp): p50 ${(h - p).toFixed(2)} ms (goal ≤ 1.5)`);
    console.log(`P5 with network.block (own network namespace) added latency: p50 ${(n - p).toFixed(2)} ms (goal ≤ 1.5); the namespace alone: ${(n - h).toFixed(2)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnAsync(file, args, env) {
  return import('node:child_process').then(({ execFile }) => new Promise((resolve, reject) => {
    execFile(file, args, { env }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  }));
}

function wallTimes(args, cwd) {
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

function runWallTime() {
  const dir = mkdtempSync(join(tmpdir(), 'shimgate-bench-run-'));
  try {
    const bare = wallTimes(['-e', '0'], dir);
    const run = wallTimes([join(root, 'packages/cli/bin/shimgate.js'), 'run', '--', 'true'], dir);
    console.log(`P6 shimgate run -- true (default profile, median of ${RUNS}): ${run.toFixed(0)} ms (goal ≤ 150); node -e 0 alone: ${bare.toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  await commandSandbox();
  runWallTime();
}
