#!/usr/bin/env node
// `npm run bench [-- NAME…]`: runs bench/<NAME>.mjs (all of them when no name is given) against the
// built packages. Each benchmark prints its figures next to its goal.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = join(import.meta.dirname, '..', 'bench');
const all = readdirSync(dir).filter((f) => f.endsWith('.mjs') && !f.includes('-driver')).map((f) => f.slice(0, -4)).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`## ${name}`);
  const { run } = await import(pathToFileURL(join(dir, `${name}.mjs`)).href);
  await run();
}
