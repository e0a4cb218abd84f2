#!/usr/bin/env node
// `npm run test:repeat [-- N]`: the whole suite N times in a row (default 5), to show it is stable.
// Builds once; every run is the README's test command. Prints each run's totals, then the overall
// line `N passed, M failed` where M counts the runs that were not green.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const times = Number(process.argv[2] ?? 5);
if (!Number.isInteger(times) || times < 1) {
  console.error(`test:repeat: "${process.argv[2]}" is not a run count; use e.g. npm run test:repeat -- 5`);
  process.exit(2);
}

mkdirSync(join(root, '.test-results'), { recursive: true });
const results = [];
for (let i = 1; i <= times; i += 1) {
  const env = i === 1 ? process.env : { ...process.env, SHIMGATE_TEST_NO_BUILD: '1' };
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'run-tests.mjs')], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  // Each run's whole output is kept, so a red run can be read in full afterwards.
  writeFileSync(join(root, '.test-results', `repeat-${i}.log`), `${run.stdout ?? ''}${run.stderr ?? ''}`);
  const totals = /^(\d+) passed, (\d+) failed$/m.exec(run.stdout ?? '');
  const line = totals ? totals[0] : 'no totals (the runner died)';
  const green = run.status === 0 && totals !== null && totals[2] === '0';
  if (!green) {
    const failures = `${run.stdout ?? ''}${run.stderr ?? ''}`.split('\n').filter((l) => /^\s*(FAIL|●)/.test(l));
    console.log(failures.slice(0, 40).join('\n'));
    console.log(`(the whole run: .test-results/repeat-${i}.log)`);
  }
  results.push(green);
  console.log(`test:repeat run ${i}/${times}: ${line} (${Math.round((Date.now() - started) / 1000)} s)${green ? '' : ' RED'}`);
}
const red = results.filter((g) => !g).length;
console.log(`test:repeat: ${times - red} of ${times} runs green`);
console.log(`${times - red} passed, ${red} failed`);
process.exit(red === 0 ? 0 : 1);
