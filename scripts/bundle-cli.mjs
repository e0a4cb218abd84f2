#!/usr/bin/env node
// Build step: bundles the compiled CLI (packages/cli/dist/main.js and every workspace package and
// dependency it imports) into one ESM file, packages/cli/dist/shimgate.mjs, which the `shimgate` bin
// loads. Measured here: importing the unbundled module graph took ~210 ms of a ~470 ms
// `shimgate run -- true`; the bundle loads in ~60 ms. koffi stays external (a native addon), and so
// does whatever is loaded with require() at run time (ajv, only to explain an invalid profile).
// Paths found through import.meta.url keep working: every packages/*/dist is at the same depth.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
await build({
  entryPoints: [join(root, 'packages/cli/dist/main.js')],
  outfile: join(root, 'packages/cli/dist/shimgate.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['koffi'],
  // Bundled CommonJS dependencies call require(); give them one in the ESM output.
  banner: { js: "import { createRequire as shimgateCreateRequire } from 'node:module'; const require = shimgateCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
