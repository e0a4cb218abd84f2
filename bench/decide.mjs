// decide() per mediated call, with tool specs and ambiguous options (goal: a typical call ≤ 50 µs,
// the worst 4096-token argv ≤ 25 ms, both far below a Node start). Run after `npm run build`.
import { performance } from 'node:perf_hooks';
import { normalizeProfile } from '@shimgate/profile';
import { decide } from '@shimgate/server';

const profile = normalizeProfile({
  mediation: {
    commands: [
      { name: 'git', intercept: [{ args_prefix: ['push', 'origin', 'main'], action: { type: 'deny' } }, { args_prefix: ['push'], admin: true, action: { type: 'passthrough' } }] },
      { name: 'aws', intercept: [{ args_prefix: ['s3', 'rm'], action: { type: 'deny' } }, { args_prefix: ['s3'], action: { type: 'passthrough' } }] },
    ],
  },
});

function perCall(command, args, runs) {
  const t0 = performance.now();
  for (let i = 0; i < runs; i += 1) decide({ command, args, parent: null }, profile);
  return ((performance.now() - t0) / runs) * 1000;
}

export async function run() {
  const git = ['-C', 'repo', '-c', 'user.name=x', 'push', '--force', '-o', 'ci.skip', 'origin', 'main'];
  const aws = ['--region', 'us-east-1', '--profile', 'p', '--output', 'json', 's3', 'rm', 's3://b/k', '--recursive', '--dryrun'];
  const repeated = Array.from({ length: 2048 }, (_, i) => [`-f${i}`, `w${i % 3}`]).flat();
  const distinct = Array.from({ length: 2048 }, (_, i) => [`-f${i}`, `w${i}`]).flat();
  console.log(`git (tool spec), 10 args: ${perCall('git', git, 20_000).toFixed(1)} µs/call (goal ≤ 50 µs)`);
  console.log(`aws (no spec), 6 ambiguous options: ${perCall('aws', aws, 5_000).toFixed(1)} µs/call (goal ≤ 50 µs)`);
  console.log(`4096 tokens, unknown options, 3 distinct words: ${(perCall('aws', repeated, 20) / 1000).toFixed(1)} ms/call (goal ≤ 25 ms)`);
  console.log(`4096 tokens, unknown options, all distinct: ${(perCall('aws', distinct, 20) / 1000).toFixed(1)} ms/call (goal ≤ 25 ms)`);
}
