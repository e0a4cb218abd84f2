#!/usr/bin/env node
// The README's test command: build (TypeScript + C), run jest, then print the totals as the plain line
// `N passed, M failed` that CI reads (jest's own summary is not a line it recognises).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const results = join(root, '.test-results', 'jest.json');
mkdirSync(join(root, '.test-results'), { recursive: true });

// test:repeat builds once and then sets SHIMGATE_TEST_NO_BUILD for the later runs.
const skipBuild = process.env.SHIMGATE_TEST_NO_BUILD === '1';
const build = skipBuild ? { status: 0 } : spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
// The build skips test files and jest only transpiles them; this checks their types too.
const typecheck = build.status === 0 && !skipBuild ? spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { cwd: root, stdio: 'inherit' }) : build;
if (build.status !== 0 || typecheck.status !== 0) {
  console.log('0 passed, 1 failed');
  console.error('build or type check failed: see the compiler output above');
  process.exit(1);
}

const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--json', `--outputFile=${results}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const summary = JSON.parse(readFileSync(results, 'utf8'));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
}
if (jest.status !== 0 && failed === 0) failed = 1; // jest died before counting: never report green
console.log(`${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
