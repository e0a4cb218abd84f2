#!/usr/bin/env node
// Thin launcher: `npm run build` (run by `npm ci` through `prepare`) compiles the CLI and bundles it
// into dist/shimgate.mjs (see scripts/bundle-cli.mjs for why).
import { main } from '../dist/shimgate.mjs';

process.exitCode = await main(process.argv.slice(2));
