// A tool spec's environment edits (tool-spec.ts EnvEdits), applied around child-env.ts: `drop` to the
// caller's variables before the command's environment is built (so the server's own additions, such as
// credentials, are never dropped), `set` after it (so the spec's values win over everything). Pure.
import type { EnvEdits } from './tool-spec.js';

/** The names `edits` drop from a caller's environment (compared upper-cased; "PREFIX*" is a prefix). */
export function droppedBy(edits: EnvEdits, name: string): boolean {
  const upper = name.toUpperCase();
  if (edits.keep?.includes(name)) return false;
  return edits.drop.some((rule) => (rule.endsWith('*') ? upper.startsWith(rule.slice(0, -1).toUpperCase()) : upper === rule.toUpperCase()));
}

/** The caller's environment without what `edits` drop; a null-prototype copy. */
export function dropCallerVariables<V>(env: Readonly<Record<string, V>>, edits: EnvEdits | undefined): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const name of Object.keys(env)) if (edits === undefined || !droppedBy(edits, name)) out[name] = env[name] as V;
  return out;
}

/** `NAME=value` entries with `edits.set` replacing any entry of the same name, at the end. */
export function setVariables(entries: readonly (string | Buffer)[], edits: EnvEdits | undefined): (string | Buffer)[] {
  const set = edits?.set ?? {};
  const names = new Set(Object.keys(set));
  if (names.size === 0) return [...entries];
  const kept = entries.filter((entry) => !names.has(entryName(entry)));
  return [...kept, ...Object.entries(set).map(([name, value]) => `${name}=${value}`)];
}

function entryName(entry: string | Buffer): string {
  const text = typeof entry === 'string' ? entry : entry.toString('latin1');
  const eq = text.indexOf('=');
  return eq < 0 ? text : text.slice(0, eq);
}
