// Runs as the agent inside a shimgate session (see passthrough.mjs). Direct and mediated runs are
// interleaved so machine noise hits both alike.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const CALLS = 400;
const GIB = 1024 ** 3;
const THROUGHPUT_ROUNDS = 3;

function time(file, args, stdio = 'ignore') {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { stdio });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${file} exited ${code}`))));
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function latency() {
  const direct = [];
  const mediated = [];
  for (let i = 0; i < 20; i += 1) await time('true', []); // warm the server's JIT
  for (let i = 0; i < CALLS; i += 1) {
    direct.push(await time('/bin/true', []));
    mediated.push(await time('true', [])); // PATH: the session's shim dir comes first
  }
  direct.sort((a, b) => a - b);
  mediated.sort((a, b) => a - b);
  const p50 = pct(mediated, 50) - pct(direct, 50);
  const p99 = pct(mediated, 99) - pct(direct, 99);
  console.log(`P1 /bin/true x${CALLS}: direct p50 ${pct(direct, 50).toFixed(2)} ms p99 ${pct(direct, 99).toFixed(2)} ms; ` +
    `mediated p50 ${pct(mediated, 50).toFixed(2)} ms p99 ${pct(mediated, 99).toFixed(2)} ms`);
  console.log(`P1 added latency: p50 ${p50.toFixed(2)} ms (goal ≤ 1.0), p99 ${p99.toFixed(2)} ms (goal ≤ 4)`);
}

async function throughput() {
  const pipeThrough = (cat) => time('/bin/sh', ['-c', `head -c ${GIB} /dev/zero | ${cat} > /dev/null`]);
  const direct = [];
  const mediated = [];
  for (let i = 0; i < THROUGHPUT_ROUNDS; i += 1) {
    direct.push(await pipeThrough('/bin/cat'));
    mediated.push(await pipeThrough('cat'));
  }
  direct.sort((a, b) => a - b);
  mediated.sort((a, b) => a - b);
  const d = direct[1];
  const m = mediated[1];
  const rate = (ms) => (GIB / (1024 ** 2) / (ms / 1000)).toFixed(0);
  console.log(`P2 1 GiB through cat (median of ${THROUGHPUT_ROUNDS}): direct ${d.toFixed(0)} ms (${rate(d)} MiB/s), mediated ${m.toFixed(0)} ms (${rate(m)} MiB/s)`);
  console.log(`P2 throughput ratio mediated/direct: ${(d / m).toFixed(3)} (goal ≥ 0.97)`);
}

await latency();
await throughput();
